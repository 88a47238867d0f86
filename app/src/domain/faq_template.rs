//! What an FAQ template must be: a question, its alternative phrasings (one per line), an answer,
//! a type and a language. Rejected fields say why; nothing is cut short.

use super::inquiry::validate_text;
use crate::error::{FieldCode, FieldError};

pub const QUESTION_MAX_CHARS: usize = 300;
pub const PHRASING_MAX_CHARS: usize = 300;
pub const MAX_PHRASINGS: usize = 50;
pub const ANSWER_MAX_CHARS: usize = 5_000;
pub const LANGUAGES: [&str; 2] = ["ko", "en"];

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TemplateDraft {
    pub type_code: String,
    pub language: String,
    pub question: String,
    pub phrasings: Vec<String>,
    pub answer: String,
}

/// Phrasings from a text box, one per line: trimmed, blank lines and repeats (ignoring case)
/// dropped, the question itself dropped.
pub fn parse_phrasings(raw: &str, question: &str) -> Vec<String> {
    let mut seen: Vec<String> = vec![question.trim().to_lowercase()];
    let mut out = Vec::new();
    for line in raw.lines() {
        let p = line.trim();
        if p.is_empty() || seen.contains(&p.to_lowercase()) {
            continue;
        }
        seen.push(p.to_lowercase());
        out.push(p.to_string());
    }
    out
}

pub fn validate_draft(type_code: &str, language: &str, question: &str, phrasings: &str, answer: &str) -> Result<TemplateDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    if type_code.trim().is_empty() {
        errors.push(FieldError::new("type_code", FieldCode::Required));
    }
    if !LANGUAGES.contains(&language) {
        errors.push(FieldError::new("language", FieldCode::InvalidChoice));
    }
    let question = validate_text(question, QUESTION_MAX_CHARS, false).map_err(|c| errors.push(FieldError::new("question", c))).ok();
    let answer = validate_text(answer, ANSWER_MAX_CHARS, true).map_err(|c| errors.push(FieldError::new("answer", c))).ok();
    let list = parse_phrasings(phrasings, question.as_deref().unwrap_or(""));
    if list.len() > MAX_PHRASINGS {
        errors.push(FieldError::new("phrasings", FieldCode::TooMany { max: MAX_PHRASINGS }));
    } else if let Some(code) = list.iter().find_map(|p| validate_text(p, PHRASING_MAX_CHARS, false).err()) {
        errors.push(FieldError::new("phrasings", code));
    }
    match (question, answer) {
        (Some(question), Some(answer)) if errors.is_empty() => Ok(TemplateDraft {
            type_code: type_code.trim().to_string(),
            language: language.to_string(),
            question,
            phrasings: list,
            answer,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrasings_are_one_per_line_without_blanks_repeats_or_the_question() {
        let p = parse_phrasings("배송 언제 와요\n\n  배송 언제 와요 \nWHEN\nwhen\n배송은 언제 오나요?\n", "배송은 언제 오나요?");
        assert_eq!(p, ["배송 언제 와요", "WHEN"]);
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        assert!(validate_draft("delivery", "ko", "배송은?", "a\nb", "답변").is_ok());
        let errs = validate_draft("", "fr", " ", &"x\n".repeat(3), "").unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["type_code", "language", "question", "answer"]);
        let many: String = (0..60).map(|i| format!("p{i}\n")).collect();
        let errs = validate_draft("delivery", "en", "q", &many, "a").unwrap_err();
        assert_eq!(errs[0].field, "phrasings");
        let long = "가".repeat(301);
        assert!(validate_draft("delivery", "ko", &long, "", "a").is_err());
    }
}
