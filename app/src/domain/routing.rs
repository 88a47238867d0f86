//! Routing rules: which group an inquiry goes to and how urgent it is (DESIGN section 3).

/// The group an inquiry goes to: the type's group, or the supervisors' group for a
/// watch-flagged customer (when there is one).
pub fn route_group(type_group: i64, watch_flag: bool, supervisors_group: Option<i64>) -> i64 {
    match (watch_flag, supervisors_group) {
        (true, Some(g)) => g,
        _ => type_group,
    }
}

/// SLA due time: created + the type's first-response target.
pub fn sla_due(created_at_ms: i64, first_response_target_s: i64) -> i64 {
    created_at_ms.saturating_add(first_response_target_s.saturating_mul(1000))
}

/// In push mode an agent takes new web inquiries only while holding fewer open ones than this.
pub const PUSH_CAPACITY: i64 = 20;

/// Push mode: the least-loaded online agent with capacity, (agent id, open inquiries held) in;
/// ties go to the lower id so the choice is stable.
pub fn least_loaded(candidates: &[(i64, i64)], capacity: i64) -> Option<i64> {
    candidates.iter().filter(|(_, load)| *load < capacity).min_by_key(|(id, load)| (*load, *id)).map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_flag_routes_to_supervisors() {
        assert_eq!(route_group(2, false, Some(9)), 2);
        assert_eq!(route_group(2, true, Some(9)), 9);
        assert_eq!(route_group(2, true, None), 2);
    }

    #[test]
    fn sla_due_adds_the_target() {
        assert_eq!(sla_due(1_000, 3_600), 3_601_000);
    }

    #[test]
    fn push_goes_to_the_least_loaded_agent_with_capacity() {
        assert_eq!(least_loaded(&[(7, 3), (5, 1), (9, 1)], 20), Some(5));
        assert_eq!(least_loaded(&[(7, 20), (5, 25)], 20), None);
        assert_eq!(least_loaded(&[], 20), None);
    }
}
