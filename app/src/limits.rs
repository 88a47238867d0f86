//! Rate limits kept in memory, per key (a client address, an account): a token bucket each, for
//! attempts that leave no record of their own to count (registrations that failed, say). What
//! does leave a record (inquiries, chats, proposals) is counted in the database instead, in the
//! transaction that adds one. The map is bounded: when it is full, buckets that have refilled
//! (they carry no information) are forgotten first, then the oldest.

use crate::domain::chat::SendRate;
use std::collections::HashMap;
use std::sync::Mutex;

/// Keys one limit remembers at most.
const MAX_KEYS: usize = 10_000;

pub struct KeyedRate {
    per_s: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, SendRate>>,
}

impl KeyedRate {
    /// `per_s` attempts a second with bursts of `burst`.
    pub fn per_second(per_s: f64, burst: f64) -> KeyedRate {
        KeyedRate { per_s, burst, buckets: Mutex::new(HashMap::new()) }
    }

    /// `per_hour` attempts an hour with bursts of `burst`.
    pub fn per_hour(per_hour: f64, burst: f64) -> KeyedRate {
        KeyedRate { per_s: per_hour / 3600.0, burst, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one attempt for `key`; `Some(seconds to wait)` when none is left.
    pub fn check(&self, key: &str, now_ms: i64) -> Option<u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if !buckets.contains_key(key) && buckets.len() >= MAX_KEYS {
            let full_after_ms = (self.burst / self.per_s * 1000.0) as i64;
            buckets.retain(|_, b| now_ms - b.last_ms() < full_after_ms);
            if buckets.len() >= MAX_KEYS {
                if let Some(oldest) = buckets.iter().min_by_key(|(_, b)| b.last_ms()).map(|(k, _)| k.clone()) {
                    buckets.remove(&oldest);
                }
            }
        }
        let bucket = buckets.entry(key.to_string()).or_insert_with(|| SendRate::with(now_ms, self.per_s, self.burst));
        if bucket.allow(now_ms) {
            None
        } else {
            Some(((1.0 / self.per_s).ceil() as u64).max(1))
        }
    }
}

/// The in-memory limits of the server.
pub struct Limits {
    /// Registration attempts per client address.
    pub registrations: KeyedRate,
    /// Email changes per account (each answer says whether an address is taken).
    pub email_changes: KeyedRate,
    /// Chat messages per account sent with the plain form (no WebSocket).
    pub chat_messages: KeyedRate,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            registrations: KeyedRate::per_hour(20.0, 10.0),
            email_changes: KeyedRate::per_hour(6.0, 3.0),
            chat_messages: KeyedRate::per_second(2.0, 10.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_burst_then_waits_and_others_are_not_affected() {
        let r = KeyedRate::per_hour(20.0, 3.0);
        let now = 1_000_000;
        assert_eq!((0..3).filter(|_| r.check("a", now).is_none()).count(), 3);
        assert_eq!(r.check("a", now), Some(180), "one attempt every 3 minutes");
        assert_eq!(r.check("b", now), None);
        assert_eq!(r.check("a", now + 180_000), None, "refilled one");
    }

    #[test]
    fn the_map_stays_bounded() {
        let r = KeyedRate::per_hour(1.0, 1.0);
        for i in 0..(MAX_KEYS + 50) {
            r.check(&format!("k{i}"), i as i64);
        }
        assert!(r.buckets.lock().expect("lock").len() <= MAX_KEYS);
    }
}
