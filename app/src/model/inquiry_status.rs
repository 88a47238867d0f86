//! The lifecycle of an inquiry: filed (new), answered by the bot (auto_answered), being worked
//! (open), waiting for the customer's answer, resolved, closed.

stored_words! {
    /// In lifecycle order.
    pub enum InquiryStatus {
        New = "new",
        AutoAnswered = "auto_answered",
        Open = "open",
        WaitingCustomer = "waiting_customer",
        Resolved = "resolved",
        Closed = "closed",
    }
}
