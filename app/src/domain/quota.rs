//! How much one account may create in a window: inquiries, chats, FAQ proposals. Counted from
//! the records themselves (in the transaction that adds one), so the count is exact, survives a
//! restart and holds across servers. Generous for people, a wall for scripts.

/// At most `max` records per `window_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub max: i64,
    pub window_ms: i64,
}

const HOUR_MS: i64 = 60 * 60 * 1000;

/// Inquiries a customer files per hour (a person files a handful a day).
pub const INQUIRIES: Quota = Quota { max: 30, window_ms: HOUR_MS };
/// Chats a customer starts per hour.
pub const CHATS: Quota = Quota { max: 20, window_ms: HOUR_MS };
/// FAQ proposals an agent sends per hour.
pub const FAQ_PROPOSALS: Quota = Quota { max: 60, window_ms: HOUR_MS };

impl Quota {
    /// Given how many records fall in the window ending now and when the oldest of them was
    /// made, `Some(seconds to wait)` when one more would be too many.
    pub fn retry_after(&self, in_window: i64, oldest: Option<i64>, now_ms: i64) -> Option<u64> {
        if in_window < self.max {
            return None;
        }
        let frees_at = oldest.unwrap_or(now_ms) + self.window_ms;
        Some((((frees_at - now_ms).max(1000) + 999) / 1000) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_record_waits_for_the_oldest_to_leave_the_window() {
        let q = Quota { max: 3, window_ms: 60_000 };
        assert_eq!(q.retry_after(2, Some(0), 10_000), None);
        assert_eq!(q.retry_after(3, Some(0), 10_000), Some(50));
        assert_eq!(q.retry_after(3, Some(0), 59_999), Some(1), "never zero");
    }
}
