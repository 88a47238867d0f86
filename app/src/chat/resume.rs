//! Where a reconnect continues. Messages of one chat are numbered 1, 2, 3, … without gaps, but
//! they do not always arrive in that order: two messages written at once on two servers are
//! fanned out in the order their servers publish them, and one's own message comes back at once
//! while the other side's earlier one is still on its way. A reconnect that asked for what comes
//! after the highest number seen would lose such a message for good; it asks for what comes after
//! the highest number below which nothing is missing, and a replay of what was already shown is
//! ignored by its number.

use std::collections::BTreeSet;

/// What a reconnect asks to continue after, for a transcript holding `seqs` (any order, repeats
/// allowed) that was loaded from the start of the chat: the highest `n` with 1..=n all present.
pub fn resume_after(seqs: impl IntoIterator<Item = i64>) -> i64 {
    let mut seen = Seen::default();
    for s in seqs {
        seen.insert(s);
    }
    seen.resume_after()
}

/// The sequence numbers one connection has shown: every one up to `through`, and the ones above
/// it that arrived early.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    through: i64,
    early: BTreeSet<i64>,
}

impl Seen {
    /// Everything up to `through` already held (a reconnect's `after`).
    pub fn starting_after(through: i64) -> Seen {
        Seen { through, early: BTreeSet::new() }
    }

    /// Records `seq`; false when it was shown already (a replay).
    pub fn insert(&mut self, seq: i64) -> bool {
        if seq <= self.through || !self.early.insert(seq) {
            return false;
        }
        while self.early.remove(&(self.through + 1)) {
            self.through += 1;
        }
        true
    }

    pub fn resume_after(&self) -> i64 {
        self.through
    }
}

#[cfg(test)]
mod tests {
    use super::{resume_after, Seen};

    #[test]
    fn a_message_still_on_its_way_is_asked_for_again() {
        // ours (3) came back before theirs (2): a reconnect must not skip 2
        assert_eq!(resume_after([1, 3]), 1);
        assert_eq!(resume_after([3, 1, 2]), 3);
        assert_eq!(resume_after([]), 0);
        assert_eq!(resume_after([2]), 0);
    }

    #[test]
    fn a_replayed_number_is_reported_once() {
        let mut seen = Seen::default();
        assert!(seen.insert(2));
        assert_eq!(seen.resume_after(), 0);
        assert!(!seen.insert(2));
        assert!(seen.insert(1));
        assert_eq!(seen.resume_after(), 2);
        assert!(!seen.insert(1));
        assert!(seen.insert(4));
        assert_eq!(seen.resume_after(), 2);
        assert!(seen.insert(3));
        assert_eq!(seen.resume_after(), 4);
        let mut later = Seen::starting_after(10);
        assert!(!later.insert(10));
        assert!(later.insert(11));
        assert_eq!(later.resume_after(), 11);
    }
}
