//! The lifecycles of orders and inquiries, and what a customer may do in each state.

use crate::model::InquiryStatus;


/// How long after resolution or closing a customer may reopen an inquiry.
pub const REOPEN_WINDOW_MS: i64 = 14 * 24 * 3_600_000;


/// A customer may reply while the inquiry is not closed; replying to a resolved one reopens it.
pub fn customer_may_reply(status: InquiryStatus) -> bool {
    status != InquiryStatus::Closed
}

/// The status after a customer's reply: back to the agents.
pub fn status_after_customer_reply(status: InquiryStatus) -> InquiryStatus {
    match status {
        InquiryStatus::New => InquiryStatus::New,
        _ => InquiryStatus::Open,
    }
}

pub fn customer_may_close(status: InquiryStatus) -> bool {
    status != InquiryStatus::Closed
}

/// Reopen a resolved or closed inquiry within 14 days of when it was resolved/closed.
pub fn customer_may_reopen(status: InquiryStatus, ended_at: Option<i64>, now: i64) -> bool {
    matches!(status, InquiryStatus::Resolved | InquiryStatus::Closed) && ended_at.is_some_and(|t| now - t <= REOPEN_WINDOW_MS)
}

/// Rating is offered once the inquiry is resolved (or closed after an answer), and only once.
pub fn customer_may_rate(status: InquiryStatus, already_rated: bool) -> bool {
    matches!(status, InquiryStatus::Resolved | InquiryStatus::Closed | InquiryStatus::AutoAnswered) && !already_rated
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3_600_000;

    #[test]
    fn reopen_only_within_fourteen_days_of_the_end() {
        let now = 100 * DAY;
        use InquiryStatus::*;
        assert!(customer_may_reopen(Resolved, Some(now - 13 * DAY), now));
        assert!(customer_may_reopen(Closed, Some(now - 14 * DAY), now));
        assert!(!customer_may_reopen(Closed, Some(now - 15 * DAY), now));
        assert!(!customer_may_reopen(Open, Some(now), now));
        assert!(!customer_may_reopen(Closed, None, now));
    }

    #[test]
    fn replies_move_the_inquiry_back_to_agents() {
        use InquiryStatus::*;
        for s in [AutoAnswered, Open, WaitingCustomer, Resolved] {
            assert!(customer_may_reply(s));
            assert_eq!(status_after_customer_reply(s), Open);
        }
        assert_eq!(status_after_customer_reply(New), New);
        assert!(!customer_may_reply(Closed));
    }

    #[test]
    fn rating_once_after_an_answer() {
        assert!(customer_may_rate(InquiryStatus::Resolved, false));
        assert!(!customer_may_rate(InquiryStatus::Resolved, true));
        assert!(!customer_may_rate(InquiryStatus::Open, false));
    }
}
