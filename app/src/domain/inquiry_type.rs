//! What an inquiry type must be: a code, names in both languages, the group it routes to, a
//! first-response target, and whether (and how confidently) the FAQ automation answers it.

use super::inquiry::validate_text;
use crate::error::{FieldCode, FieldError};

pub const NAME_MAX_CHARS: usize = 50;
/// One week: a longer first-response target is not a target.
pub const MAX_TARGET_MINUTES: i64 = 7 * 24 * 60;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TypeDraft {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub group_code: String,
    pub first_response_minutes: i64,
    pub auto_answer: bool,
    pub threshold: f64,
    pub retired: bool,
}

/// Codes are short lower-case identifiers (they appear in URLs and filters).
pub fn valid_code(code: &str) -> bool {
    (2..=30).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[allow(clippy::too_many_arguments)]
pub fn validate_type(
    code: &str,
    name_ko: &str,
    name_en: &str,
    group_code: &str,
    minutes: &str,
    auto_answer: bool,
    threshold: &str,
    retired: bool,
) -> Result<TypeDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let code = code.trim();
    if !valid_code(code) {
        errors.push(FieldError::new("code", FieldCode::InvalidChoice));
    }
    let name_ko = validate_text(name_ko, NAME_MAX_CHARS, false).map_err(|c| errors.push(FieldError::new("name_ko", c))).ok();
    let name_en = validate_text(name_en, NAME_MAX_CHARS, false).map_err(|c| errors.push(FieldError::new("name_en", c))).ok();
    if group_code.trim().is_empty() {
        errors.push(FieldError::new("group_code", FieldCode::Required));
    }
    let minutes = match minutes.trim().parse::<i64>() {
        Ok(m) if (1..=MAX_TARGET_MINUTES).contains(&m) => Some(m),
        Ok(_) | Err(_) => {
            errors.push(FieldError::new("first_response_minutes", FieldCode::OutOfRange { min: 1, max: MAX_TARGET_MINUTES }));
            None
        }
    };
    let threshold = match threshold.trim().parse::<f64>() {
        Ok(t) if (0.0..=1.0).contains(&t) => Some(t),
        _ => {
            errors.push(FieldError::new("threshold", FieldCode::OutOfRange { min: 0, max: 1 }));
            None
        }
    };
    match (name_ko, name_en, minutes, threshold) {
        (Some(name_ko), Some(name_en), Some(first_response_minutes), Some(threshold)) if errors.is_empty() => Ok(TypeDraft {
            code: code.to_string(),
            name_ko,
            name_en,
            group_code: group_code.trim().to_string(),
            first_response_minutes,
            auto_answer,
            threshold,
            retired,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_lower_case_identifiers() {
        for ok in ["delivery", "gift_wrap", "a1"] {
            assert!(valid_code(ok), "{ok}");
        }
        for bad in ["", "x", "Delivery", "배송", "a b", "x".repeat(31).as_str()] {
            assert!(!valid_code(bad), "{bad}");
        }
    }

    #[test]
    fn types_are_checked_field_by_field() {
        assert!(validate_type("gift", "선물", "Gift", "general", "60", true, "0.85", false).is_ok());
        let errs = validate_type("G", "", "Gift", "", "0", true, "1.5", false).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["code", "name_ko", "group_code", "first_response_minutes", "threshold"]);
        assert!(validate_type("gift", "선물", "Gift", "general", "abc", true, "0.8", false).is_err());
        assert!(validate_type("gift", "선물", "Gift", "general", "10081", true, "0.8", false).is_err());
    }
}
