//! The lifecycles of orders and inquiries, and what a customer may do in each state.

pub const ORDER_STATUSES: [&str; 6] = ["placed", "paid", "shipped", "delivered", "cancelled", "returned"];
pub const INQUIRY_STATUSES: [&str; 6] = ["new", "auto_answered", "open", "waiting_customer", "resolved", "closed"];

/// How long after resolution or closing a customer may reopen an inquiry.
pub const REOPEN_WINDOW_MS: i64 = 14 * 24 * 3_600_000;

pub fn is_order_status(s: &str) -> bool {
    ORDER_STATUSES.contains(&s)
}

pub fn is_inquiry_status(s: &str) -> bool {
    INQUIRY_STATUSES.contains(&s)
}

/// A customer may reply while the inquiry is not closed; replying to a resolved one reopens it.
pub fn customer_may_reply(status: &str) -> bool {
    matches!(status, "new" | "auto_answered" | "open" | "waiting_customer" | "resolved")
}

/// The status after a customer's reply: back to the agents.
pub fn status_after_customer_reply(status: &str) -> &'static str {
    match status {
        "new" => "new",
        _ => "open",
    }
}

pub fn customer_may_close(status: &str) -> bool {
    status != "closed"
}

/// Reopen a resolved or closed inquiry within 14 days of when it was resolved/closed.
pub fn customer_may_reopen(status: &str, ended_at: Option<i64>, now: i64) -> bool {
    matches!(status, "resolved" | "closed") && ended_at.is_some_and(|t| now - t <= REOPEN_WINDOW_MS)
}

/// Rating is offered once the inquiry is resolved (or closed after an answer), and only once.
pub fn customer_may_rate(status: &str, already_rated: bool) -> bool {
    matches!(status, "resolved" | "closed" | "auto_answered") && !already_rated
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3_600_000;

    #[test]
    fn reopen_only_within_fourteen_days_of_the_end() {
        let now = 100 * DAY;
        assert!(customer_may_reopen("resolved", Some(now - 13 * DAY), now));
        assert!(customer_may_reopen("closed", Some(now - 14 * DAY), now));
        assert!(!customer_may_reopen("closed", Some(now - 15 * DAY), now));
        assert!(!customer_may_reopen("open", Some(now), now));
        assert!(!customer_may_reopen("closed", None, now));
    }

    #[test]
    fn replies_move_the_inquiry_back_to_agents() {
        for s in ["auto_answered", "open", "waiting_customer", "resolved"] {
            assert!(customer_may_reply(s));
            assert_eq!(status_after_customer_reply(s), "open");
        }
        assert_eq!(status_after_customer_reply("new"), "new");
        assert!(!customer_may_reply("closed"));
    }

    #[test]
    fn rating_once_after_an_answer() {
        assert!(customer_may_rate("resolved", false));
        assert!(!customer_may_rate("resolved", true));
        assert!(!customer_may_rate("open", false));
    }
}
