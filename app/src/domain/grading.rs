//! Customer grades from RFM over orders (DESIGN section 5): recency (days since the last order),
//! frequency (orders in the last year) and monetary value (won spent in the last year), with
//! thresholds the admins set. Cancelled and returned orders do not count.

use crate::model::Grade;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// The last order at most this many days ago.
    pub recency_days: i64,
    /// At least this many orders in the last 365 days.
    pub min_orders: i64,
    /// At least this much spent in the last 365 days.
    pub min_amount_won: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeRules {
    pub vip: Tier,
    pub gold: Tier,
    /// A customer with an order within this many days is "general"; without, "new".
    pub general_recency_days: i64,
}

impl Default for GradeRules {
    fn default() -> Self {
        GradeRules {
            vip: Tier { recency_days: 90, min_orders: 10, min_amount_won: 1_000_000 },
            gold: Tier { recency_days: 180, min_orders: 4, min_amount_won: 300_000 },
            general_recency_days: 365,
        }
    }
}

/// One customer's order statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfm {
    /// Days since the last counted order; `None` without one.
    pub recency_days: Option<i64>,
    pub orders: i64,
    pub amount_won: i64,
}

fn meets(r: &Rfm, t: &Tier) -> bool {
    r.recency_days.is_some_and(|d| d <= t.recency_days) && r.orders >= t.min_orders && r.amount_won >= t.min_amount_won
}

pub fn grade(r: &Rfm, rules: &GradeRules) -> Grade {
    if meets(r, &rules.vip) {
        Grade::Vip
    } else if meets(r, &rules.gold) {
        Grade::Gold
    } else if r.recency_days.is_some_and(|d| d <= rules.general_recency_days) {
        Grade::General
    } else {
        Grade::New
    }
}

/// Rules must be non-negative, and VIP at least as demanding as gold.
pub fn validate_rules(rules: &GradeRules) -> Result<(), &'static str> {
    let tiers = [rules.vip, rules.gold];
    if tiers.iter().any(|t| t.recency_days < 0 || t.min_orders < 0 || t.min_amount_won < 0) || rules.general_recency_days < 0 {
        return Err("negative");
    }
    if rules.vip.recency_days > rules.gold.recency_days || rules.vip.min_orders < rules.gold.min_orders || rules.vip.min_amount_won < rules.gold.min_amount_won {
        return Err("vip_below_gold");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfm(days: Option<i64>, orders: i64, amount: i64) -> Rfm {
        Rfm { recency_days: days, orders, amount_won: amount }
    }

    #[test]
    fn grade_edges() {
        let r = GradeRules::default();
        // exactly on every VIP threshold is VIP; one short on any is not
        assert_eq!(grade(&rfm(Some(90), 10, 1_000_000), &r), Grade::Vip);
        assert_eq!(grade(&rfm(Some(91), 10, 1_000_000), &r), Grade::Gold);
        assert_eq!(grade(&rfm(Some(90), 9, 1_000_000), &r), Grade::Gold);
        assert_eq!(grade(&rfm(Some(90), 10, 999_999), &r), Grade::Gold);
        assert_eq!(grade(&rfm(Some(180), 4, 300_000), &r), Grade::Gold);
        assert_eq!(grade(&rfm(Some(181), 4, 300_000), &r), Grade::General);
        assert_eq!(grade(&rfm(Some(365), 1, 1), &r), Grade::General);
        assert_eq!(grade(&rfm(Some(366), 20, 9_000_000), &r), Grade::New);
        assert_eq!(grade(&rfm(None, 0, 0), &r), Grade::New);
        // a big spender with one order is not VIP
        assert_eq!(grade(&rfm(Some(1), 1, 50_000_000), &r), Grade::General);
    }

    #[test]
    fn rules_are_sane() {
        assert!(validate_rules(&GradeRules::default()).is_ok());
        let mut r = GradeRules::default();
        r.vip.min_orders = 2;
        assert_eq!(validate_rules(&r), Err("vip_below_gold"));
        let mut r = GradeRules::default();
        r.gold.min_amount_won = -1;
        assert_eq!(validate_rules(&r), Err("negative"));
    }
}
