//! The customer's profile form: every field checked, all problems reported at once, nothing
//! truncated. A rejected form changes nothing.

use super::phone::normalize_phone;
use super::validation::validate_name;
use crate::error::{FieldCode, FieldError};
use crate::i18n::Locale;

pub const ADDRESS_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfile {
    pub name: String,
    /// E.164, or `None` when left empty (a phone number is optional).
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub locale: Locale,
}

/// Korean five-digit codes, or an international code: 3–10 letters, digits, spaces or hyphens
/// with at least one digit ("SW1A 1AA", "94107", "75008"). Stored upper-cased.
pub fn validate_postal_code(raw: &str) -> Result<String, FieldCode> {
    let code = raw.trim().to_uppercase();
    let bytes = code.as_bytes();
    if bytes.len() == 7 && bytes[3] == b'-' && code.chars().filter(char::is_ascii_digit).count() == 6 {
        return Err(FieldCode::OldPostalCode);
    }
    if bytes.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldCode::OldPostalCode);
    }
    let ok = (3..=10).contains(&code.chars().count())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        && code.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(code)
    } else {
        Err(FieldCode::InvalidPostalCode)
    }
}

fn optional_text(raw: &str, max: usize) -> Result<Option<String>, FieldCode> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(FieldCode::TooLong { max });
    }
    if text.chars().any(|c| super::validation::is_forbidden_char(c, false)) {
        return Err(FieldCode::ControlCharacters);
    }
    Ok(Some(text.to_string()))
}

pub fn validate_profile(
    name: &str,
    phone: &str,
    postal_code: &str,
    address_line1: &str,
    address_line2: &str,
    locale: &str,
) -> Result<ValidProfile, Vec<FieldError>> {
    let mut errors = Vec::new();
    fn check<T>(errors: &mut Vec<FieldError>, field: &str, r: Result<T, FieldCode>) -> Option<T> {
        r.map_err(|c| errors.push(FieldError::new(field, c))).ok()
    }
    let name = check(&mut errors, "name", validate_name(name));
    let phone = check(&mut errors, "phone", if phone.trim().is_empty() { Ok(None) } else { normalize_phone(phone).map(Some) });
    let postal = check(
        &mut errors,
        "postal_code",
        if postal_code.trim().is_empty() { Ok(None) } else { validate_postal_code(postal_code).map(Some) },
    );
    let line1 = check(&mut errors, "address_line1", optional_text(address_line1, ADDRESS_MAX_CHARS));
    let line2 = check(&mut errors, "address_line2", optional_text(address_line2, ADDRESS_MAX_CHARS));
    let locale = check(&mut errors, "locale", Locale::parse(locale).ok_or(FieldCode::InvalidChoice));
    if let (Some(postal), Some(line1), Some(line2)) = (&postal, &line1, &line2) {
        if postal.is_some() != line1.is_some() {
            let field = if postal.is_none() { "postal_code" } else { "address_line1" };
            errors.push(FieldError::new(field, FieldCode::AddressIncomplete));
        } else if line2.is_some() && line1.is_none() {
            errors.push(FieldError::new("address_line1", FieldCode::AddressIncomplete));
        }
    }
    match (name, phone, postal, line1, line2, locale) {
        (Some(name), Some(phone), Some(postal_code), Some(address_line1), Some(address_line2), Some(locale))
            if errors.is_empty() =>
        {
            Ok(ValidProfile { name, phone, postal_code, address_line1, address_line2, locale })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<ValidProfile, Vec<FieldError>>) -> Vec<(String, FieldCode)> {
        r.err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn postal_codes() {
        for (input, expected) in [("06236", "06236"), (" 06236 ", "06236"), ("sw1a 1aa", "SW1A 1AA"), ("94107", "94107"), ("75008", "75008"), ("100-0001", "100-0001")] {
            assert_eq!(validate_postal_code(input).as_deref(), Ok(expected), "{input}");
        }
        for (input, code) in [
            ("135-080", FieldCode::OldPostalCode),
            ("135080", FieldCode::OldPostalCode),
            ("12", FieldCode::InvalidPostalCode),
            ("ABCDE", FieldCode::InvalidPostalCode),
            ("06236!", FieldCode::InvalidPostalCode),
            ("우편번호", FieldCode::InvalidPostalCode),
            ("12345678901", FieldCode::InvalidPostalCode),
        ] {
            assert_eq!(validate_postal_code(input), Err(code), "{input}");
        }
    }

    #[test]
    fn a_full_valid_profile_is_normalised() {
        let p = validate_profile(" 김민준 ", "010-2345-6789", "06236", "서울특별시 강남구 테헤란로 152", "12층", "ko").expect("valid");
        assert_eq!(p.name, "김민준");
        assert_eq!(p.phone.as_deref(), Some("+821023456789"));
        assert_eq!(p.locale, Locale::Ko);
        let p = validate_profile("Ann", "", "", "", "", "en").expect("phone and address are optional");
        assert_eq!((p.phone, p.postal_code, p.address_line1), (None, None, None));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = fields(validate_profile("", "12", "135-080", "", &"x".repeat(201), "fr"));
        let names: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["name", "phone", "postal_code", "address_line2", "locale"]);
    }

    #[test]
    fn address_parts_go_together() {
        assert_eq!(fields(validate_profile("A", "", "06236", "", "", "ko")), vec![("address_line1".into(), FieldCode::AddressIncomplete)]);
        assert_eq!(fields(validate_profile("A", "", "", "Somewhere 1", "", "ko")), vec![("postal_code".into(), FieldCode::AddressIncomplete)]);
        assert_eq!(fields(validate_profile("A", "", "", "", "Apt 5", "ko")), vec![("address_line1".into(), FieldCode::AddressIncomplete)]);
    }

    #[test]
    fn long_text_is_refused_not_truncated() {
        let line = "가".repeat(201);
        assert_eq!(fields(validate_profile("A", "", "06236", &line, "", "ko")), vec![("address_line1".into(), FieldCode::TooLong { max: 200 })]);
        let ok = "가".repeat(200);
        assert_eq!(validate_profile("A", "", "06236", &ok, "", "ko").expect("200 is fine").address_line1, Some(ok));
    }
}
