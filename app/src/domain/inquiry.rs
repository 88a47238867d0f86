//! Rules for what a customer writes in an inquiry: subject, text, replies and ratings.

use crate::error::{FieldCode, FieldError};

pub const SUBJECT_MAX_CHARS: usize = 200;
pub const BODY_MAX_CHARS: usize = 5_000;
pub const RATING_COMMENT_MAX_CHARS: usize = 1_000;
pub const IDEMPOTENCY_KEY_MAX_CHARS: usize = 64;

/// Required text of at most `max` characters; line breaks and tabs allowed only when
/// `multiline`. Returned trimmed, never truncated.
pub fn validate_text(raw: &str, max: usize, multiline: bool) -> Result<String, FieldCode> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldCode::Required);
    }
    if text.chars().count() > max {
        return Err(FieldCode::TooLong { max });
    }
    let bad = text.chars().any(|c| super::validation::is_forbidden_char(c, multiline));
    if bad {
        return Err(FieldCode::ControlCharacters);
    }
    Ok(text.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInquiry {
    pub type_code: String,
    pub order_no: Option<String>,
    pub subject: String,
    pub body: String,
    pub idempotency_key: String,
}

pub fn validate_new_inquiry(
    type_code: &str,
    order_no: &str,
    subject: &str,
    body: &str,
    idempotency_key: &str,
) -> Result<NewInquiry, Vec<FieldError>> {
    let mut errors = Vec::new();
    let type_code = type_code.trim();
    if type_code.is_empty() {
        errors.push(FieldError::new("type_code", FieldCode::Required));
    }
    let subject = validate_text(subject, SUBJECT_MAX_CHARS, false)
        .map_err(|c| errors.push(FieldError::new("subject", c)))
        .ok();
    let body = validate_text(body, BODY_MAX_CHARS, true).map_err(|c| errors.push(FieldError::new("body", c))).ok();
    let key = idempotency_key.trim();
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX_CHARS || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.push(FieldError::new("idempotency_key", FieldCode::InvalidChoice));
    }
    match (subject, body) {
        (Some(subject), Some(body)) if errors.is_empty() => Ok(NewInquiry {
            type_code: type_code.to_string(),
            order_no: Some(order_no.trim()).filter(|o| !o.is_empty()).map(str::to_string),
            subject,
            body,
            idempotency_key: key.to_string(),
        }),
        _ => Err(errors),
    }
}

/// A CSAT score 1–5 and an optional comment.
pub fn validate_rating(score: i64, comment: &str) -> Result<(i64, Option<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    if !(1..=5).contains(&score) {
        errors.push(FieldError::new("score", FieldCode::InvalidChoice));
    }
    let comment = if comment.trim().is_empty() {
        None
    } else {
        validate_text(comment, RATING_COMMENT_MAX_CHARS, true)
            .map_err(|c| errors.push(FieldError::new("comment", c)))
            .ok()
    };
    if errors.is_empty() {
        Ok((score, comment))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_and_text_limits_are_exact() {
        assert!(validate_text(&"가".repeat(200), SUBJECT_MAX_CHARS, false).is_ok());
        assert_eq!(validate_text(&"가".repeat(201), SUBJECT_MAX_CHARS, false), Err(FieldCode::TooLong { max: 200 }));
        assert!(validate_text(&"a".repeat(5000), BODY_MAX_CHARS, true).is_ok());
        assert_eq!(validate_text(&"a".repeat(5001), BODY_MAX_CHARS, true), Err(FieldCode::TooLong { max: 5000 }));
        assert_eq!(validate_text("  ", 10, false), Err(FieldCode::Required));
    }

    #[test]
    fn line_breaks_only_in_multiline_text() {
        assert!(validate_text("line one\nline two", 100, true).is_ok());
        assert_eq!(validate_text("line one\nline two", 100, false), Err(FieldCode::ControlCharacters));
        assert_eq!(validate_text("bell\u{7}", 100, true), Err(FieldCode::ControlCharacters));
        assert_eq!(validate_text("refund\u{202E}gpj.exe", 100, true), Err(FieldCode::ControlCharacters));
        assert_eq!(validate_text("zero\u{200B}width", 100, false), Err(FieldCode::ControlCharacters));
    }

    #[test]
    fn markup_is_kept_as_text() {
        let i = validate_new_inquiry("delivery", "", "<script>alert(1)</script>", "<b>hi</b>", "k-1").expect("valid");
        assert_eq!(i.subject, "<script>alert(1)</script>");
        assert_eq!(i.order_no, None);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = validate_new_inquiry("", "", "", "", "bad key!").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["type_code", "subject", "body", "idempotency_key"]);
    }

    #[test]
    fn ratings() {
        assert_eq!(validate_rating(5, ""), Ok((5, None)));
        assert_eq!(validate_rating(1, " thanks "), Ok((1, Some("thanks".into()))));
        assert!(validate_rating(0, "").is_err());
        assert!(validate_rating(6, "").is_err());
        assert!(validate_rating(3, &"x".repeat(1001)).is_err());
    }
}
