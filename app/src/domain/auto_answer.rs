//! When the FAQ automation answers an inquiry by itself, and which type an inquiry is filed
//! under (DESIGN section 3): the customer's choice, or the classifier's for "other".

/// The inquiry type code customers pick when nothing else fits.
pub const OTHER_TYPE: &str = "other";
/// A type suggestion replaces "other" only when the best template is at least this likely right.
pub const TYPE_SUGGESTION_MIN: f32 = 0.5;
/// An automatic answer nobody reacts to closes as solved after this long.
pub const AUTO_CLOSE_AFTER_MS: i64 = 3 * 24 * 3_600_000;

/// What an inquiry type says about automation.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRule {
    pub type_id: i64,
    pub code: String,
    pub auto_answer: bool,
    pub threshold: f64,
}

/// The best FAQ template for an inquiry's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BestTemplate {
    pub template_id: i64,
    pub type_id: i64,
    pub confidence: f32,
}

/// The type an inquiry is filed under.
pub fn filed_type(chosen: &TypeRule, best: Option<BestTemplate>) -> i64 {
    match best {
        Some(b) if chosen.code == OTHER_TYPE && b.confidence >= TYPE_SUGGESTION_MIN => b.type_id,
        _ => chosen.type_id,
    }
}

/// Whether the template answers the inquiry at once: auto-answer is on for the inquiry's type
/// and the confidence reaches the type's threshold.
pub fn answers_at_once(rule: &TypeRule, best: Option<BestTemplate>) -> Option<BestTemplate> {
    best.filter(|b| rule.auto_answer && b.confidence >= rule.threshold as f32)
}

/// Whether an automatic answer left alone since `since` is due to close as solved.
pub fn auto_close_due(since: i64, now: i64) -> bool {
    now.saturating_sub(since) >= AUTO_CLOSE_AFTER_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(code: &str, auto: bool, threshold: f64) -> TypeRule {
        TypeRule { type_id: 7, code: code.into(), auto_answer: auto, threshold }
    }
    fn best(confidence: f32) -> Option<BestTemplate> {
        Some(BestTemplate { template_id: 1, type_id: 3, confidence })
    }

    #[test]
    fn answers_only_at_or_above_the_threshold_when_on() {
        assert!(answers_at_once(&rule("delivery", true, 0.9), best(0.95)).is_some());
        assert!(answers_at_once(&rule("delivery", true, 0.9), best(0.9)).is_some());
        assert!(answers_at_once(&rule("delivery", true, 0.9), best(0.89)).is_none());
        assert!(answers_at_once(&rule("complaint", false, 0.9), best(1.0)).is_none());
        assert!(answers_at_once(&rule("delivery", true, 0.0), None).is_none());
    }

    #[test]
    fn other_takes_the_suggested_type_when_likely() {
        assert_eq!(filed_type(&rule("other", true, 0.9), best(0.6)), 3);
        assert_eq!(filed_type(&rule("other", true, 0.9), best(0.4)), 7);
        assert_eq!(filed_type(&rule("other", true, 0.9), None), 7);
        // a type the customer chose is kept
        assert_eq!(filed_type(&rule("delivery", true, 0.9), best(1.0)), 7);
    }

    #[test]
    fn closes_after_three_days() {
        let day = 24 * 3_600_000;
        assert!(!auto_close_due(0, 3 * day - 1));
        assert!(auto_close_due(0, 3 * day));
    }
}
