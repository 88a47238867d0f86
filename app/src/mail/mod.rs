//! Outgoing mail (server only). A mail is queued as an `email_outbox` row by `store::outbox`, in the
//! transaction of the change that causes it, with its words already rendered (`templates`); the
//! sender (`sender::run`) delivers queued rows through a transport (`transport`) and never holds
//! up a request.

pub mod inbound;
pub mod outbox;
pub mod sender;
pub mod templates;
pub mod tls;
pub mod transport;

use std::path::PathBuf;
use tokio::sync::Notify;

/// What a mail is for. Stored as text in `email_outbox.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// The link that finishes a registration.
    RegistrationLink,
    /// Someone registered with an address that already has an account.
    RegistrationExisting,
    /// The link that moves an account to a new sign-in email (sent to the new address).
    EmailChangeLink,
    /// An account asked to move to an address another account uses (sent to that address).
    EmailChangeTaken,
    /// The sign-in email was changed (sent to the old address).
    EmailChanged,
    /// The password was changed.
    PasswordChanged,
    /// An agent answered the customer's inquiry (threaded under the inquiry).
    InquiryAnswered,
    /// An FAQ answer answered the inquiry at once (threaded under the inquiry).
    InquiryAutoAnswered,
    /// An agent marked the inquiry resolved: how to rate the answer, or to say it is not.
    InquiryResolved,
    /// A chat's transcript, which the customer asked to have mailed.
    ChatTranscript,
    /// A service notice an admin published, mailed to the customers who agreed to email.
    Notice,
}

impl MailKind {
    pub const ALL: [MailKind; 11] = [
        MailKind::RegistrationLink,
        MailKind::RegistrationExisting,
        MailKind::EmailChangeLink,
        MailKind::EmailChangeTaken,
        MailKind::EmailChanged,
        MailKind::PasswordChanged,
        MailKind::InquiryAnswered,
        MailKind::InquiryAutoAnswered,
        MailKind::InquiryResolved,
        MailKind::ChatTranscript,
        MailKind::Notice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::RegistrationLink => "registration_link",
            MailKind::RegistrationExisting => "registration_existing",
            MailKind::EmailChangeLink => "email_change_link",
            MailKind::EmailChangeTaken => "email_change_taken",
            MailKind::EmailChanged => "email_changed",
            MailKind::PasswordChanged => "password_changed",
            MailKind::InquiryAnswered => "inquiry_answered",
            MailKind::InquiryAutoAnswered => "inquiry_auto_answered",
            MailKind::InquiryResolved => "inquiry_resolved",
            MailKind::ChatTranscript => "chat_transcript",
            MailKind::Notice => "notice",
        }
    }

    pub fn parse(s: &str) -> Option<MailKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Mails that carry a sign-in or confirmation link: once delivered, the stored copy of the
    /// body is blanked, so the database never keeps a usable link longer than it must.
    pub fn carries_link(self) -> bool {
        matches!(self, MailKind::RegistrationLink | MailKind::EmailChangeLink)
    }

    /// The `Auto-Submitted` header (RFC 3834): none on what a person wrote (an agent's answer),
    /// `auto-generated` on what the system sends by itself, so auto-responders leave it alone.
    pub fn auto_submitted(self) -> Option<&'static str> {
        match self {
            MailKind::InquiryAnswered => None,
            // an automatic answer to a person's message: auto-responders must not answer it back
            MailKind::InquiryAutoAnswered => Some("auto-replied"),
            _ => Some("auto-generated"),
        }
    }

    /// Mails that are neither an answer to the person's own request nor a security notice: they
    /// go only to someone who agreed to email and has not withdrawn it (checked where the outbox
    /// row is written, `store::outbox::insert`).
    pub fn needs_consent(self) -> bool {
        matches!(self, MailKind::Notice)
    }

    /// Mails that a stranger can cause to be sent to an address they do not own (by typing it
    /// into a form): at most a few an hour reach one address, so no one can flood a mailbox.
    pub fn unrequested_by_recipient(self) -> bool {
        matches!(
            self,
            MailKind::RegistrationLink | MailKind::RegistrationExisting | MailKind::EmailChangeLink | MailKind::EmailChangeTaken
        )
    }
}

/// At most this many chat transcripts are mailed to one address per hour (a person asks for a
/// few; a script clicking the button does not fill their mailbox).
pub const TRANSCRIPTS_PER_ADDRESS_PER_HOUR: i64 = 5;

/// At most this many mails of the kinds a stranger can cause reach one address per hour.
pub const UNREQUESTED_PER_ADDRESS_PER_HOUR: i64 = 3;

/// How long a confirmation link works.
pub const LINK_LIFETIME_MS: i64 = 24 * 3_600_000;

/// How mail leaves this server and what it says about itself.
pub struct Mailer {
    /// The sender mailbox, e.g. `cybercenter <no-reply@example.com>`.
    pub from: lettre::message::Mailbox,
    /// Where links in mails point: the portal's public address, without a trailing slash.
    pub public_url: String,
    /// The host part of Message-IDs.
    pub message_id_host: String,
    pub transport: transport::Transport,
    /// Whom TLS to mail servers trusts (IMAP and SMTP).
    pub tls: tls::MailTls,
    /// Woken when a mail is queued, so it leaves at once rather than at the next poll.
    wake: Notify,
    /// Where the files mails carry are read from (none: mails go without their files).
    pub files: Option<std::sync::Arc<dyn crate::files::FileStore>>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MailConfigError {
    #[error("CYBERCENTER_MAIL_FROM must be a mail address like `cybercenter <support@example.com>`, got {0:?}")]
    From(String),
    #[error("CYBERCENTER_PUBLIC_URL must start with http:// or https:// and name a host, got {0:?}")]
    PublicUrl(String),
    #[error("{0}")]
    Smtp(#[from] transport::SmtpUrlError),
    #[error("{0}")]
    Ca(#[from] tls::CaError),
}

impl Mailer {
    /// The mailer for the settings: SMTP when `smtp_url` is set, else `.eml` files in `outbox_dir`;
    /// TLS to mail servers also trusts the authorities in `ca_pem`, when given.
    pub fn new(from: &str, public_url: &str, smtp_url: Option<&str>, outbox_dir: PathBuf, ca_pem: Option<&[u8]>) -> Result<Mailer, MailConfigError> {
        let tls = match ca_pem {
            Some(pem) => tls::MailTls::with_authorities(pem)?,
            None => tls::MailTls::default(),
        };
        let transport = match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => transport::Transport::smtp(url, tls.clone())?,
            None => transport::Transport::Files { dir: outbox_dir },
        };
        let from: lettre::message::Mailbox = from.trim().parse().map_err(|_| MailConfigError::From(from.to_string()))?;
        let public_url = public_url.trim().trim_end_matches('/').to_string();
        let host = public_url
            .strip_prefix("https://")
            .or_else(|| public_url.strip_prefix("http://"))
            .map(|rest| rest.split(['/', ':']).next().unwrap_or_default().to_string())
            .filter(|h| !h.is_empty() && !h.contains(['@', ' ', '<', '>']))
            .ok_or_else(|| MailConfigError::PublicUrl(public_url.clone()))?;
        Ok(Mailer {
            from,
            public_url,
            message_id_host: host,
            transport,
            tls,
            wake: Notify::new(),
            files: None,
        })
    }

    /// The mailer reading the files mails carry from `files`.
    pub fn with_files(mut self, files: std::sync::Arc<dyn crate::files::FileStore>) -> Mailer {
        self.files = Some(files);
        self
    }

    /// A link into the portal, e.g. `link("/register/confirm", token)`.
    pub fn link(&self, path: &str, token: &str) -> String {
        format!("{}{path}?token={token}", self.public_url)
    }

    /// Tells the sender a mail was queued (call after the queuing transaction committed).
    pub fn queued(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn wait_for_mail(&self, at_most: std::time::Duration) {
        let _ = tokio::time::timeout(at_most, self.wake.notified()).await;
    }
}

/// `n` random bytes from the operating system, as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, crate::error::AppError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| crate::error::AppError::internal("random", e))?;
    Ok(hex(&bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new confirmation token (mailed) and its hash (stored): 32 random bytes.
pub fn new_token() -> Result<(String, String), crate::error::AppError> {
    let token = random_hex(32)?;
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What is stored for a token: SHA-256 of it, as hex. A token that is not 64 hex digits cannot
/// be one of ours; it still hashes, and simply matches nothing.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(token.trim().as_bytes()))
}

/// When a failed delivery is tried again: 30 s doubling to at most an hour, spread by ±20 % so
/// mails that failed together do not retry together. `spread` is any number (the row id).
pub fn retry_delay_ms(tries: i64, spread: i64) -> i64 {
    let base = (30_000i64 << tries.clamp(0, 7)).min(3_600_000);
    let jitter = (spread.wrapping_mul(2_654_435_761).rem_euclid(41) - 20) as f64 / 100.0;
    base + (base as f64 * jitter) as i64
}

/// After this many failed tries a mail is given up ("dead") and shown to admins with its error.
pub const MAX_TRIES: i64 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in MailKind::ALL {
            assert_eq!(MailKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MailKind::parse("newsletter"), None);
    }

    #[test]
    fn retries_back_off_within_bounds() {
        let mut last = 0;
        for tries in 0..MAX_TRIES {
            let d = retry_delay_ms(tries, 0);
            assert!(d >= last, "grows: {tries} {d}");
            last = d;
        }
        for spread in 0..200 {
            let d = retry_delay_ms(0, spread);
            assert!((24_000..=36_000).contains(&d), "{d}");
            assert!(retry_delay_ms(20, spread) <= 4_320_000);
        }
        assert_ne!(retry_delay_ms(3, 1), retry_delay_ms(3, 2), "spread apart");
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, ha) = new_token().expect("token");
        let (b, _) = new_token().expect("token");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), ha);
        assert_ne!(ha, a);
    }

    #[test]
    fn settings_are_checked() {
        let dir = PathBuf::from("/tmp/x");
        let m = Mailer::new("cybercenter <no-reply@example.com>", "https://help.example.com/", None, dir.clone(), None).expect("ok");
        assert_eq!(m.public_url, "https://help.example.com");
        assert_eq!(m.message_id_host, "help.example.com");
        assert_eq!(m.link("/register/confirm", "ab"), "https://help.example.com/register/confirm?token=ab");
        assert!(matches!(Mailer::new("not a mailbox", "http://x", None, dir.clone(), None), Err(MailConfigError::From(_))));
        assert!(matches!(Mailer::new("a@b.c", "ftp://x", None, dir.clone(), None), Err(MailConfigError::PublicUrl(_))));
        assert_eq!(Mailer::new("a@b.c", "http://127.0.0.1:3000", None, dir.clone(), None).expect("ok").message_id_host, "127.0.0.1");
        assert!(matches!(Mailer::new("a@b.c", "http://x", Some("smtp://mail.example.com?tls=none"), dir.clone(), None), Err(MailConfigError::Smtp(_))));
        assert!(matches!(Mailer::new("a@b.c", "http://x", Some("smtp://127.0.0.1:2525?tls=none"), dir, None).expect("ok").transport, transport::Transport::Smtp(_)));
    }
}
