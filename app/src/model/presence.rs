//! An agent's presence: push mode gives new inquiries only to online agents, and chat
//! connections move it (the first brings an offline agent online, the last takes them offline).

stored_words! {
    pub enum Presence {
        Online = "online",
        Away = "away",
        Offline = "offline",
    }
}
