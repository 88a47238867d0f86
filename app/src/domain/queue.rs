//! The order of a group's queue (DESIGN section 3): customer grade first (VIP > gold > general >
//! new), then the earliest SLA due time, then age. The SQL that lists queues uses `ORDER_SQL`,
//! the same rule written for the database; a test checks that both agree.

use crate::model::Grade;
use std::cmp::Ordering;

/// What a queue entry is ordered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueKey {
    pub grade: Grade,
    pub sla_due_at: i64,
    pub created_at: i64,
    pub id: i64,
}

/// VIP first: a lower rank comes first.
pub fn grade_rank(grade: Grade) -> i64 {
    3 - grade.priority()
}

pub fn queue_cmp(a: &QueueKey, b: &QueueKey) -> Ordering {
    grade_rank(a.grade)
        .cmp(&grade_rank(b.grade))
        .then(a.sla_due_at.cmp(&b.sla_due_at))
        .then(a.created_at.cmp(&b.created_at))
        .then(a.id.cmp(&b.id))
}

/// The same order for SQL over `inquiries i`: `i.priority` is `Grade::priority` of the customer's
/// grade (see `store::grades::recompute`, which keeps waiting inquiries in step), so the order can be
/// read from the `inquiries_waiting` index instead of sorting a join.
///
pub const ORDER_SQL: &str = "i.priority DESC, i.sla_due_at, i.created_at, i.id";

/// Statuses in which an inquiry waits in a queue for an agent to take it.
pub const WAITING_SQL: &str = "('new', 'open')";

/// Milliseconds until the SLA is due (negative when overdue).
pub fn time_left(sla_due_at: i64, now: i64) -> i64 {
    sla_due_at - now
}

/// Statuses an agent may set on an inquiry.
pub const AGENT_STATUSES: [crate::model::InquiryStatus; 3] =
    [crate::model::InquiryStatus::Open, crate::model::InquiryStatus::WaitingCustomer, crate::model::InquiryStatus::Resolved];

#[cfg(test)]
mod tests {
    use super::*;

    fn k(grade: &str, sla: i64, created: i64, id: i64) -> QueueKey {
        QueueKey { grade: Grade::parse(grade).expect("a grade"), sla_due_at: sla, created_at: created, id }
    }

    #[test]
    fn grade_beats_due_time_which_beats_age() {
        let mut q = vec![
            k("new", 10, 1, 1),
            k("general", 50, 2, 2),
            k("vip", 900, 3, 3),
            k("gold", 100, 4, 4),
            k("general", 20, 9, 5),
            k("general", 20, 5, 6),
            k("general", 20, 5, 7),
        ];
        q.sort_by(queue_cmp);
        let ids: Vec<i64> = q.iter().map(|x| x.id).collect();
        assert_eq!(ids, [3, 4, 6, 7, 5, 2, 1]);
    }

    #[test]
    fn new_customers_rank_last_and_time_left_goes_negative() {
        assert_eq!(grade_rank(Grade::New), 3);
        assert_eq!(grade_rank(Grade::Vip), 0);
        assert_eq!(time_left(1_000, 400), 600);
        assert!(time_left(1_000, 1_001) < 0);
    }
}
