//! A service notice as an admin writes it: a title and text in Korean (required) and English
//! (the Korean is used where the English is left empty), and the day it stops showing.

use crate::domain::calendar::{parse_date, CENTRE_OFFSET_MS, DAY_MS};
use crate::domain::inquiry::validate_text;
use crate::error::{FieldCode, FieldError};

pub const TITLE_MAX_CHARS: usize = 120;
pub const BODY_MAX_CHARS: usize = 4000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDraft {
    pub title_ko: String,
    pub title_en: String,
    pub body_ko: String,
    pub body_en: String,
    /// The end of the last day it shows (none: until removed).
    pub expires_at: Option<i64>,
}

/// Checks a notice; every problem at once. `expires` is `YYYY-MM-DD` (empty: no end), today or later.
pub fn validate_notice(title_ko: &str, title_en: &str, body_ko: &str, body_en: &str, expires: &str, now: i64) -> Result<NoticeDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut text = |field: &str, raw: &str, max: usize, multiline: bool, required: bool| -> String {
        if raw.trim().is_empty() && !required {
            return String::new();
        }
        validate_text(raw, max, multiline).map_err(|c| errors.push(FieldError::new(field, c))).unwrap_or_default()
    };
    let title_ko = text("title_ko", title_ko, TITLE_MAX_CHARS, false, true);
    let title_en = text("title_en", title_en, TITLE_MAX_CHARS, false, false);
    let body_ko = text("body_ko", body_ko, BODY_MAX_CHARS, true, true);
    let body_en = text("body_en", body_en, BODY_MAX_CHARS, true, false);
    let expires_at = match expires.trim() {
        "" => None,
        day => match parse_date(day, CENTRE_OFFSET_MS) {
            Some(start) if start + DAY_MS > now => Some(start + DAY_MS),
            Some(_) => {
                errors.push(FieldError::new("expires", FieldCode::DateOrder));
                None
            }
            None => {
                errors.push(FieldError::new("expires", FieldCode::InvalidDate));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NoticeDraft {
        title_en: if title_en.is_empty() { title_ko.clone() } else { title_en },
        body_en: if body_en.is_empty() { body_ko.clone() } else { body_en },
        title_ko,
        body_ko,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000;

    #[test]
    fn korean_is_required_and_stands_in_for_missing_english() {
        let d = validate_notice("설 연휴 안내", "", "연휴 동안 채팅 상담을 쉽니다.", "", "", NOW).expect("valid");
        assert_eq!((d.title_en.as_str(), d.body_en.as_str(), d.expires_at), ("설 연휴 안내", "연휴 동안 채팅 상담을 쉽니다.", None));
        let errors = validate_notice(" ", "Holiday", "", "", "", NOW).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title_ko", "body_ko"]);
    }

    #[test]
    fn the_end_day_is_a_real_day_not_in_the_past() {
        let today = crate::domain::calendar::format_date(NOW, CENTRE_OFFSET_MS);
        let d = validate_notice("t", "", "b", "", &today, NOW).expect("today is fine");
        assert!(d.expires_at.expect("end") > NOW);
        let e = validate_notice("t", "", "b", "", "2020-01-01", NOW).expect_err("past");
        assert_eq!(e[0].code, FieldCode::DateOrder);
        let e = validate_notice("t", "", "b", "", "2026-02-31", NOW).expect_err("no such day");
        assert_eq!(e[0].code, FieldCode::InvalidDate);
    }
}
