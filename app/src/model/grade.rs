//! A customer's grade (DESIGN 5), from RFM over their orders: it orders the agents' queues.

stored_words! {
    /// Highest first (the order of the admin's grade counts and the queue filter).
    pub enum Grade {
        Vip = "vip",
        Gold = "gold",
        General = "general",
        New = "new",
    }
}

impl Grade {
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
