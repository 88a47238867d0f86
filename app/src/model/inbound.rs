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

/// A mail that was ignored or could not be imported, as the admins' list shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct NotImported {
    pub id: i64,
    /// The mailbox it was read from (none once the mailbox was removed).
    pub mailbox: Option<String>,
    pub sender: String,
    pub subject: String,
    pub outcome: InboundOutcome,
    pub reason: Option<InboundReason>,
    pub detail: Option<String>,
    pub size: i64,
    pub received_at: i64,
    /// Whether its original is kept (a mail over the size limit is not downloaded).
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::model::Flag"))]
    pub has_raw: bool,
}
