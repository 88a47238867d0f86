//! What became of a mail read from a support mailbox (`inbound_mails.outcome`), and why one was
//! left out (`inbound_mails.reason`): shown to admins under "mail not imported".

stored_words! {
    pub enum InboundOutcome {
        /// A new inquiry was filed from it.
        NewInquiry = "new_inquiry",
        /// It joined an inquiry's thread as the customer's reply.
        Reply = "reply",
        /// Deliberately not imported (an auto-reply, a list, too many from one sender).
        Ignored = "ignored",
        /// A delivery failure report: the outbox mail it names is marked bounced.
        Bounce = "bounce",
        /// It could not be read (malformed, too large, no text, an unknown charset).
        Failed = "failed",
    }
}

stored_words! {
    /// Why a mail was not imported.
    pub enum InboundReason {
        AutoSubmitted = "auto_submitted",
        BulkOrList = "bulk_or_list",
        OwnMail = "own_mail",
        TooManyFromSender = "too_many_from_sender",
        TooLarge = "too_large",
        Malformed = "malformed",
        NoSender = "no_sender",
        /// From an agent's or admin's address: staff mail is not filed as a customer's inquiry.
        StaffAddress = "staff_address",
        NoText = "no_text",
        UnknownCharset = "unknown_charset",
    }
}
