//! Voice-of-customer categories an agent files an inquiry under (for analysis, not handling).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(rename_all = "snake_case"))]
pub enum VocCategory {
    Complaint,
    Question,
    Compliment,
    Suggestion,
}

impl VocCategory {
    pub const ALL: [VocCategory; 4] = [VocCategory::Complaint, VocCategory::Question, VocCategory::Compliment, VocCategory::Suggestion];

    /// The stored words, in order (`inquiries.voc_category`, the VOC report's columns, filter options, query strings).
    pub const WORDS: [&'static str; 4] = [VocCategory::Complaint.as_str(), VocCategory::Question.as_str(), VocCategory::Compliment.as_str(), VocCategory::Suggestion.as_str()];

    pub const fn as_str(self) -> &'static str {
        match self {
            VocCategory::Complaint => "complaint",
            VocCategory::Question => "question",
            VocCategory::Compliment => "compliment",
            VocCategory::Suggestion => "suggestion",
        }
    }

    pub fn parse(word: &str) -> Option<VocCategory> {
        VocCategory::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

impl std::fmt::Display for VocCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_match_serde() {
        for s in VocCategory::ALL {
            assert_eq!(VocCategory::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).ok(), Some(format!("\"{}\"", s.as_str())));
        }
        assert_eq!(VocCategory::parse("unknown"), None);
        assert_eq!(VocCategory::parse(""), None);
    }
}
