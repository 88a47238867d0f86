//! The lifecycle of an inquiry: filed (new), answered by the bot (auto_answered), being worked
//! (open), waiting for the customer's answer, resolved, closed.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(rename_all = "snake_case"))]
pub enum InquiryStatus {
    New,
    AutoAnswered,
    Open,
    WaitingCustomer,
    Resolved,
    Closed,
}

impl InquiryStatus {
    pub const ALL: [InquiryStatus; 6] = [
        InquiryStatus::New,
        InquiryStatus::AutoAnswered,
        InquiryStatus::Open,
        InquiryStatus::WaitingCustomer,
        InquiryStatus::Resolved,
        InquiryStatus::Closed,
    ];

    /// The stored words, in lifecycle order (filter options, query strings).
    pub const WORDS: [&'static str; 6] = [
        InquiryStatus::New.as_str(),
        InquiryStatus::AutoAnswered.as_str(),
        InquiryStatus::Open.as_str(),
        InquiryStatus::WaitingCustomer.as_str(),
        InquiryStatus::Resolved.as_str(),
        InquiryStatus::Closed.as_str(),
    ];

    /// The stored word (the `status` column, CSS classes, query strings).
    pub const fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::New => "new",
            InquiryStatus::AutoAnswered => "auto_answered",
            InquiryStatus::Open => "open",
            InquiryStatus::WaitingCustomer => "waiting_customer",
            InquiryStatus::Resolved => "resolved",
            InquiryStatus::Closed => "closed",
        }
    }

    pub fn parse(word: &str) -> Option<InquiryStatus> {
        InquiryStatus::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

impl std::fmt::Display for InquiryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_match_serde() {
        for s in InquiryStatus::ALL {
            assert_eq!(InquiryStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).ok(), Some(format!("\"{}\"", s.as_str())));
        }
        assert_eq!(InquiryStatus::parse("pending"), None);
        assert_eq!(InquiryStatus::parse(""), None);
    }
}
