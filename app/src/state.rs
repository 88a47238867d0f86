//! Server state reachable from server functions and SSR through the Leptos context.

use crate::store::Db;
use crate::error::AppError;
use leptos::prelude::use_context;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Whether cookies set by the app (language) get the `Secure` flag.
    pub secure_cookies: bool,
    /// The FAQ index new inquiries are matched against.
    pub faq: std::sync::Arc<crate::faq::index::FaqLive>,
    /// Live chat delivery and agents' chat connections.
    pub chat: std::sync::Arc<crate::chat::fanout::ChatHub>,
    /// A session ends this long after it signed in, however active it is (ms).
    pub session_lifetime_ms: i64,
    /// Rate limits kept in memory (registrations per address, email changes per account).
    pub limits: std::sync::Arc<crate::limits::Limits>,
    /// Outgoing mail: where links point, and the sender to wake when a mail is queued.
    pub mail: std::sync::Arc<crate::mail::Mailer>,
    /// Files kept outside the database (the originals of imported mails).
    pub files: std::sync::Arc<dyn crate::files::FileStore>,
    /// Seals the secrets the server stores (mailbox passwords).
    pub secrets: std::sync::Arc<crate::secrets::Secrets>,
    /// How much may be attached to a message.
    pub attach: crate::domain::attachment::AttachLimits,
    /// Limits on the mail read from support mailboxes.
    pub inbound: crate::mail::inbound::import::InboundLimits,
    /// The browser files of the build being served.
    pub assets: std::sync::Arc<crate::assets::Assets>,
    /// What time it is (every request reads it once; tests move it).
    pub clock: crate::store::Clock,
}

impl AppState {
    pub fn get() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| AppError::internal("context", "AppState not provided"))
    }
}
