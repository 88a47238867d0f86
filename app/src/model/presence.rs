//! An agent's presence: push mode gives new inquiries only to online agents, and chat
//! connections move it (the first brings an offline agent online, the last takes them offline).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(rename_all = "snake_case"))]
pub enum Presence {
    Online,
    Away,
    Offline,
}

impl Presence {
    pub const ALL: [Presence; 3] = [Presence::Online, Presence::Away, Presence::Offline];

    pub const fn as_str(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::Away => "away",
            Presence::Offline => "offline",
        }
    }

    pub fn parse(word: &str) -> Option<Presence> {
        Presence::ALL.into_iter().find(|p| p.as_str() == word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_match_serde() {
        for p in Presence::ALL {
            assert_eq!(Presence::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_string(&p).ok(), Some(format!("\"{}\"", p.as_str())));
        }
        assert_eq!(Presence::parse("busy"), None);
    }
}
