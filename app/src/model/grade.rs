//! A customer's grade (DESIGN 5), from RFM over their orders: it orders the agents' queues.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(rename_all = "snake_case"))]
pub enum Grade {
    Vip,
    Gold,
    General,
    New,
}

impl Grade {
    /// Highest first (the order of the admin's grade counts and the queue filter).
    pub const ALL: [Grade; 4] = [Grade::Vip, Grade::Gold, Grade::General, Grade::New];

    pub const fn as_str(self) -> &'static str {
        match self {
            Grade::Vip => "vip",
            Grade::Gold => "gold",
            Grade::General => "general",
            Grade::New => "new",
        }
    }

    pub fn parse(word: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == word)
    }

    /// Queue rank: VIP first (3), then gold, general, new (0). Kept on each waiting inquiry as
    /// its `priority`, which the queue's index is ordered by.
    pub const fn priority(self) -> i64 {
        match self {
            Grade::Vip => 3,
            Grade::Gold => 2,
            Grade::General => 1,
            Grade::New => 0,
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_rank_vip_first() {
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Some(g));
            assert_eq!(serde_json::to_string(&g).ok(), Some(format!("\"{}\"", g.as_str())));
        }
        let ranks: Vec<i64> = Grade::ALL.iter().map(|g| g.priority()).collect();
        assert_eq!(ranks, [3, 2, 1, 0]);
        assert_eq!(Grade::parse("platinum"), None);
    }
}
