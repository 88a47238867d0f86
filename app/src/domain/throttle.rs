//! Login throttling: after too many failures in a sliding window, refuse further attempts until
//! the oldest failure in the window ages out. Pure: the caller supplies the failure times.

/// Failures allowed per account within the window before attempts are refused.
pub const ACCOUNT_MAX_FAILURES: usize = 5;
/// Failures allowed per client address within the window (many accounts from one place).
pub const ADDRESS_MAX_FAILURES: usize = 30;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// `failures` are the times (ms) of failed attempts since the last success, any order.
/// Returns `Some(seconds to wait)` when the next attempt must be refused.
pub fn retry_after(failures: &[i64], max_failures: usize, now_ms: i64) -> Option<u64> {
    let mut recent: Vec<i64> = failures.iter().copied().filter(|t| now_ms - t < WINDOW_MS).collect();
    if recent.len() < max_failures {
        return None;
    }
    recent.sort_unstable();
    // Allowed again once enough of the recent failures have left the window that fewer than
    // `max_failures` remain: that is when the (len - max + 1)-th oldest leaves it.
    let pivot = recent[recent.len() - max_failures];
    let wait_ms = (pivot + WINDOW_MS - now_ms).max(1000);
    Some(((wait_ms + 999) / 1000) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn four_failures_are_allowed_the_fifth_locks() {
        let now = 100 * MIN;
        let four: Vec<i64> = (1..=4).map(|i| now - i * MIN).collect();
        assert_eq!(retry_after(&four, ACCOUNT_MAX_FAILURES, now), None);
        let five: Vec<i64> = (1..=5).map(|i| now - i * MIN).collect();
        // oldest is 5 min ago: free again in 10 minutes
        assert_eq!(retry_after(&five, ACCOUNT_MAX_FAILURES, now), Some(600));
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let now = 100 * MIN;
        let old: Vec<i64> = (16..=30).map(|i| now - i * MIN).collect();
        assert_eq!(retry_after(&old, ACCOUNT_MAX_FAILURES, now), None);
    }

    #[test]
    fn many_failures_wait_for_enough_to_expire() {
        let now = 100 * MIN;
        // seven failures 1..7 minutes ago: 5 allowed, so the 3rd oldest (5 min ago) must leave
        let seven: Vec<i64> = (1..=7).map(|i| now - i * MIN).collect();
        assert_eq!(retry_after(&seven, ACCOUNT_MAX_FAILURES, now), Some(10 * 60));
    }

    #[test]
    fn wait_is_never_zero() {
        let now = 100 * MIN;
        let edge: Vec<i64> = (0..5).map(|_| now - WINDOW_MS + 1).collect();
        assert_eq!(retry_after(&edge, ACCOUNT_MAX_FAILURES, now), Some(1));
    }
}
