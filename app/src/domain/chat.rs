//! Live chat rules shared by the WebSocket server and the browser client: what a message and a
//! client message id may be, how fast a connection may send, where a waiting chat stands in its
//! group's queue and how long the wait will be, and the reconnect backoff.

use super::queue::{queue_cmp, QueueKey};
use crate::error::FieldCode;

/// The longest chat message, in characters.
pub const MESSAGE_MAX_CHARS: usize = 2_000;
/// The longest client message id (the browser uses a UUID-like string).
pub const CLIENT_ID_MAX_CHARS: usize = 64;
/// Messages a connection may send per second, sustained, and in one burst.
pub const RATE_PER_S: f64 = 5.0;
pub const RATE_BURST: f64 = 10.0;
/// An agent's chat limit when the admin has not set one.
pub const DEFAULT_CHAT_LIMIT: i64 = 3;
/// The handling time assumed before a group has finished any chat.
pub const DEFAULT_AHT_S: f64 = 300.0;

/// A message body: trimmed, not empty, at most 2,000 characters, no control characters but
/// line breaks and tabs.
pub fn validate_message(raw: &str) -> Result<String, FieldCode> {
    super::inquiry::validate_text(raw, MESSAGE_MAX_CHARS, true)
}

/// A client message id: 1–64 characters of ASCII letters, digits, `-` and `_`.
pub fn validate_client_id(raw: &str) -> Result<&str, FieldCode> {
    if raw.is_empty() {
        return Err(FieldCode::Required);
    }
    if raw.len() > CLIENT_ID_MAX_CHARS {
        return Err(FieldCode::TooLong { max: CLIENT_ID_MAX_CHARS });
    }
    if !raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(FieldCode::InvalidChoice);
    }
    Ok(raw)
}

/// A token bucket: `RATE_PER_S` messages a second with bursts of `RATE_BURST`. Time comes in as
/// milliseconds so the rule is testable without a clock.
#[derive(Debug, Clone)]
pub struct SendRate {
    tokens: f64,
    last_ms: i64,
    per_s: f64,
    burst: f64,
}

impl SendRate {
    pub fn new(now_ms: i64) -> SendRate {
        SendRate::with(now_ms, RATE_PER_S, RATE_BURST)
    }

    pub fn with(now_ms: i64, per_s: f64, burst: f64) -> SendRate {
        SendRate { tokens: burst, last_ms: now_ms, per_s, burst }
    }

    /// When a token was last taken or refilled (ms).
    pub fn last_ms(&self) -> i64 {
        self.last_ms
    }

    /// Takes one token if there is one. A clock that goes backwards adds nothing.
    pub fn allow(&mut self, now_ms: i64) -> bool {
        let elapsed_s = (now_ms - self.last_ms).max(0) as f64 / 1000.0;
        self.last_ms = self.last_ms.max(now_ms);
        self.tokens = (self.tokens + elapsed_s * self.per_s).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// A waiting chat as the queue orders it: like inquiries, by customer grade, then age (a chat's
/// "due time" is its start: every waiting customer is already waiting for an answer).
pub fn waiting_key(grade: crate::model::Grade, created_at: i64, id: i64) -> QueueKey {
    QueueKey { grade, sla_due_at: created_at, created_at, id }
}

/// The 1-based position of chat `id` among `waiting` (in any order), or `None` if it is not there.
pub fn queue_position(waiting: &[QueueKey], id: i64) -> Option<usize> {
    let me = waiting.iter().find(|k| k.id == id)?;
    Some(1 + waiting.iter().filter(|k| k.id != id && queue_cmp(k, me).is_lt()).count())
}

/// Seconds until an agent is likely to accept the chat at `position` (1 = next): chats ahead
/// and this one are served as the group's chat slots free up, one slot every `aht_s ÷ slots`
/// seconds on average. With nobody online the estimate assumes one slot.
pub fn estimated_wait_s(position: usize, aht_s: f64, slots: i64) -> i64 {
    let aht = if aht_s.is_finite() && aht_s > 0.0 { aht_s } else { DEFAULT_AHT_S };
    let slots = slots.max(1) as f64;
    (position.max(1) as f64 * aht / slots).ceil() as i64
}

/// Reconnect delay after `attempt` failed attempts (0 = the first retry): doubling from 500 ms to
/// a cap of 15 s, with `jitter` in [0, 1) spreading clients that lost the same server.
pub fn reconnect_delay_ms(attempt: u32, jitter: f64) -> u64 {
    let base = 500u64.saturating_mul(1u64 << attempt.min(5)).min(15_000);
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
    base + (base as f64 * 0.25 * jitter) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(validate_message("  hello \n"), Ok("hello".to_string()));
        assert_eq!(validate_message("   "), Err(FieldCode::Required));
        assert_eq!(validate_message(&"가".repeat(2_000)).map(|s| s.chars().count()), Ok(2_000));
        assert_eq!(validate_message(&"가".repeat(2_001)), Err(FieldCode::TooLong { max: 2_000 }));
        assert_eq!(validate_message("a\u{7}b"), Err(FieldCode::ControlCharacters));
        assert_eq!(validate_message("line 1\nline 2"), Ok("line 1\nline 2".to_string()));
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        assert!(validate_client_id("c-1f3a_9").is_ok());
        assert_eq!(validate_client_id(""), Err(FieldCode::Required));
        assert_eq!(validate_client_id(&"a".repeat(65)), Err(FieldCode::TooLong { max: 64 }));
        assert_eq!(validate_client_id("a b"), Err(FieldCode::InvalidChoice));
        assert_eq!(validate_client_id("아이디"), Err(FieldCode::InvalidChoice));
    }

    #[test]
    fn the_send_rate_allows_a_burst_then_the_sustained_rate() {
        let mut r = SendRate::new(0);
        let burst = (0..20).filter(|_| r.allow(0)).count();
        assert_eq!(burst, RATE_BURST as usize);
        assert!(!r.allow(100), "0.5 token after 100 ms");
        assert!(r.allow(200), "one token after 200 ms");
        // a second later, 5 more
        let more = (0..20).filter(|_| r.allow(1_200)).count();
        assert_eq!(more, RATE_PER_S as usize);
        // the clock going backwards adds nothing
        assert!(!r.allow(0));
    }

    #[test]
    fn queue_position_follows_grade_then_age() {
        use crate::model::Grade::*;
        let waiting = vec![waiting_key(General, 100, 1), waiting_key(Vip, 300, 2), waiting_key(General, 50, 3), waiting_key(New, 10, 4)];
        assert_eq!(queue_position(&waiting, 2), Some(1));
        assert_eq!(queue_position(&waiting, 3), Some(2));
        assert_eq!(queue_position(&waiting, 1), Some(3));
        assert_eq!(queue_position(&waiting, 4), Some(4));
        assert_eq!(queue_position(&waiting, 9), None);
    }

    #[test]
    fn wait_estimate_grows_with_position_and_shrinks_with_slots() {
        assert_eq!(estimated_wait_s(1, 300.0, 3), 100);
        assert_eq!(estimated_wait_s(3, 300.0, 3), 300);
        assert_eq!(estimated_wait_s(2, 300.0, 0), 600, "nobody online: one slot");
        assert_eq!(estimated_wait_s(1, f64::NAN, 1), 300, "no history: the default AHT");
        assert_eq!(estimated_wait_s(0, 60.0, 1), 60);
    }

    #[test]
    fn reconnect_backoff_doubles_to_a_cap() {
        assert_eq!(reconnect_delay_ms(0, 0.0), 500);
        assert_eq!(reconnect_delay_ms(1, 0.0), 1_000);
        assert_eq!(reconnect_delay_ms(4, 0.0), 8_000);
        assert_eq!(reconnect_delay_ms(5, 0.0), 15_000);
        assert_eq!(reconnect_delay_ms(60, 0.0), 15_000);
        assert_eq!(reconnect_delay_ms(0, 0.999), 624);
        assert_eq!(reconnect_delay_ms(0, f64::NAN), 500);
    }
}
