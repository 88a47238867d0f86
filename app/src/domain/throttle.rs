//! Login throttling that can neither be raced nor used to lock a person out.
//!
//! Three counts, each of failures since the last success that resets it:
//! - per account *and* source address (the pair): five failures are free, then each further
//!   failure doubles the wait (1 min, 2, 4, … up to an hour). Someone guessing from one place is
//!   slowed to a crawl, but failures from elsewhere never lock the owner out of their own device.
//! - per source address, any accounts: 30 failures within 15 minutes (credential stuffing from
//!   one place).
//! - per account, from all addresses: a ceiling of 100 failures within 15 minutes, high enough
//!   that only a distributed attack reaches it (OWASP: lock-out only as a last resort).
//!
//! Pure: the caller supplies the failure times, reads them and records the attempt in one
//! transaction (so forty parallel guesses cannot all pass the same count).

/// Failures of one account from one address that are free before the backoff starts.
pub const PAIR_FREE_FAILURES: usize = 5;
/// The first backoff after the free failures, doubled by each further failure…
pub const PAIR_FIRST_WAIT_MS: i64 = 60 * 1000;
/// …up to this.
pub const PAIR_MAX_WAIT_MS: i64 = 60 * 60 * 1000;
/// How far back pair failures count (a success of the pair resets them earlier).
pub const PAIR_LOOKBACK_MS: i64 = 24 * 60 * 60 * 1000;
/// Failures allowed per client address within the window (many accounts from one place).
pub const ADDRESS_MAX_FAILURES: usize = 30;
/// Failures allowed per account within the window from all addresses together.
pub const ACCOUNT_CEILING: usize = 100;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// The failure times (ms) that decide whether the next attempt may go ahead.
#[derive(Debug, Default, Clone)]
pub struct Failures {
    /// This account from this address, since the pair's last success, within the lookback.
    pub pair: Vec<i64>,
    /// Any account from this address, within the window.
    pub address: Vec<i64>,
    /// This account from any address, since its last success, within the window.
    pub account: Vec<i64>,
}

/// `Some(seconds to wait)` when the next attempt must be refused.
pub fn login_wait(f: &Failures, now_ms: i64) -> Option<u64> {
    [
        pair_backoff(&f.pair, now_ms),
        retry_after(&f.address, ADDRESS_MAX_FAILURES, now_ms),
        retry_after(&f.account, ACCOUNT_CEILING, now_ms),
    ]
    .into_iter()
    .flatten()
    .max()
}

/// The pair's wait: none for the first five failures, then 1 min × 2^(n − 5) after the latest
/// failure, at most an hour.
pub fn pair_backoff(failures: &[i64], now_ms: i64) -> Option<u64> {
    let recent: Vec<i64> = failures.iter().copied().filter(|t| now_ms - t < PAIR_LOOKBACK_MS).collect();
    if recent.len() < PAIR_FREE_FAILURES {
        return None;
    }
    let doublings = (recent.len() - PAIR_FREE_FAILURES).min(20) as u32;
    let wait = (PAIR_FIRST_WAIT_MS << doublings).min(PAIR_MAX_WAIT_MS);
    let latest = recent.iter().copied().max()?;
    let left = latest + wait - now_ms;
    (left > 0).then(|| ((left + 999) / 1000) as u64)
}

/// Sliding window: `failures` within `WINDOW_MS`; refused while `max_failures` or more remain,
/// until enough of them age out. Returns `Some(seconds to wait)` when refused.
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
    fn sliding_window_refuses_at_the_limit_until_failures_age_out() {
        let now = 100 * MIN;
        let four: Vec<i64> = (1..=4).map(|i| now - i * MIN).collect();
        assert_eq!(retry_after(&four, 5, now), None);
        let five: Vec<i64> = (1..=5).map(|i| now - i * MIN).collect();
        // oldest is 5 min ago: free again in 10 minutes
        assert_eq!(retry_after(&five, 5, now), Some(600));
        // seven failures 1..7 minutes ago: 5 allowed, so the 3rd oldest (5 min ago) must leave
        let seven: Vec<i64> = (1..=7).map(|i| now - i * MIN).collect();
        assert_eq!(retry_after(&seven, 5, now), Some(10 * 60));
        let old: Vec<i64> = (16..=30).map(|i| now - i * MIN).collect();
        assert_eq!(retry_after(&old, 5, now), None);
        let edge: Vec<i64> = (0..5).map(|_| now - WINDOW_MS + 1).collect();
        assert_eq!(retry_after(&edge, 5, now), Some(1), "never zero");
    }

    #[test]
    fn the_pair_backs_off_doubling_after_five_failures() {
        let now = 1000 * MIN;
        let at = |n: usize| -> Vec<i64> { (0..n).map(|i| now - 10 * 1000 - i as i64).collect() };
        assert_eq!(pair_backoff(&at(4), now), None);
        // latest failure 10 s ago: 1 min → 50 s left; 2 min → 110 s; 4 min → 230 s
        assert_eq!(pair_backoff(&at(5), now), Some(50));
        assert_eq!(pair_backoff(&at(6), now), Some(110));
        assert_eq!(pair_backoff(&at(7), now), Some(230));
        assert_eq!(pair_backoff(&at(40), now), Some(3600 - 10), "capped at an hour");
        // the wait has passed
        let long_ago: Vec<i64> = (0..5).map(|i| now - 2 * MIN - i).collect();
        assert_eq!(pair_backoff(&long_ago, now), None);
        // a day-old burst no longer counts
        let yesterday: Vec<i64> = (0..50).map(|i| now - PAIR_LOOKBACK_MS - i).collect();
        assert_eq!(pair_backoff(&yesterday, now), None);
    }

    #[test]
    fn one_address_failing_does_not_refuse_the_account_elsewhere() {
        let now = 1000 * MIN;
        let five: Vec<i64> = (1..=5).map(|i| now - i * 1000).collect();
        // from the guessing address: refused
        let there = Failures { pair: five.clone(), address: five.clone(), account: five.clone() };
        assert!(login_wait(&there, now).is_some());
        // the owner's own address: no pair failures, the account is far below its ceiling
        let here = Failures { pair: vec![], address: vec![], account: five };
        assert_eq!(login_wait(&here, now), None);
    }

    #[test]
    fn a_distributed_attack_reaches_the_account_ceiling() {
        let now = 1000 * MIN;
        let many: Vec<i64> = (0..ACCOUNT_CEILING as i64).map(|i| now - i * 1000).collect();
        let f = Failures { pair: vec![], address: vec![], account: many };
        assert!(login_wait(&f, now).is_some());
    }
}
