//! A support mailbox's settings as an admin types them: the IMAP URL (how to connect, TLS
//! required except to this machine), the address customers write to, the folder and the poll
//! interval, checked into field errors.

use crate::error::{FieldCode, FieldError};
use serde::{Deserialize, Serialize};

/// How a mailbox URL says to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapUrl {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// `imaps://` (port 993 by default).
    Implicit,
    /// `imap://` (port 143): STARTTLS, required.
    StartTls,
    /// `imap://…?tls=none`: a server on this machine only.
    None,
}

/// What is wrong with a mailbox URL (each has its own message in both languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UrlProblem {
    /// Not `imap://` or `imaps://`.
    Scheme,
    /// A user name or password (or a path) inside the URL.
    Credentials,
    /// A setting other than `?tls=none`.
    Setting,
    Port,
    Host,
    /// `?tls=none` to a server that is not on this machine.
    PlainTextRemote,
    /// `imaps://…?tls=none`.
    TlsContradiction,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mailbox URL {url:?}: {problem:?}")]
pub struct ImapUrlError {
    pub url: String,
    pub problem: UrlProblem,
}

impl ImapUrl {
    /// `imaps://host[:port]`, `imap://host[:port]` (STARTTLS) or `imap://127.0.0.1:port?tls=none`.
    pub fn parse(url: &str) -> Result<ImapUrl, ImapUrlError> {
        let bad = |problem| ImapUrlError { url: url.to_string(), problem };
        let trimmed = url.trim();
        let (scheme, rest) = trimmed.split_once("://").ok_or(bad(UrlProblem::Scheme))?;
        let (authority, query) = match rest.split_once('?') {
            Some((a, q)) => (a, Some(q)),
            None => (rest, None),
        };
        let authority = authority.trim_end_matches('/');
        if authority.contains(['@', '/']) {
            return Err(bad(UrlProblem::Credentials));
        }
        let tls_none = match query {
            None | Some("") => false,
            Some("tls=none") => true,
            Some(_) => return Err(bad(UrlProblem::Setting)),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse::<u16>().ok().filter(|p| *p > 0).ok_or(bad(UrlProblem::Port))?)),
            None => (authority, None),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(bad(UrlProblem::Host));
        }
        let loopback = is_this_machine(host);
        let (tls, default_port) = match (scheme.to_ascii_lowercase().as_str(), tls_none) {
            ("imaps", false) => (Tls::Implicit, 993),
            ("imaps", true) => return Err(bad(UrlProblem::TlsContradiction)),
            ("imap", false) => (Tls::StartTls, 143),
            ("imap", true) if loopback => (Tls::None, 143),
            ("imap", true) => return Err(bad(UrlProblem::PlainTextRemote)),
            _ => return Err(bad(UrlProblem::Scheme)),
        };
        Ok(ImapUrl { host: host.to_string(), port: port.unwrap_or(default_port), tls })
    }
}

/// Whether `host` names this machine: the only place a mail server may be reached without TLS
/// (IMAP here, SMTP in `mail::transport`).
pub fn is_this_machine(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A mailbox's settings, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxDraft {
    pub address: String,
    pub url: String,
    pub username: String,
    /// `None`: keep the saved one (an edit that leaves the field empty).
    pub password: Option<String>,
    pub folder: String,
    pub type_code: String,
    pub poll_seconds: i64,
    pub enabled: bool,
}

pub const POLL_SECONDS: (i64, i64) = (10, 3600);

/// Checks a mailbox form. A new mailbox needs a password; an edit may leave it empty.
#[allow(clippy::too_many_arguments)]
pub fn validate_mailbox(
    creating: bool,
    address: &str,
    url: &str,
    username: &str,
    password: &str,
    folder: &str,
    type_code: &str,
    poll_seconds: &str,
    enabled: bool,
) -> Result<MailboxDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let address = address.trim();
    if let Err(code) = crate::domain::validation::validate_email(address) {
        errors.push(FieldError::new("address", code));
    }
    if let Err(e) = ImapUrl::parse(url) {
        errors.push(FieldError::new("url", FieldCode::MailboxUrl { problem: e.problem }));
    }
    let username = username.trim();
    if username.is_empty() {
        errors.push(FieldError::new("username", FieldCode::Required));
    }
    if creating && password.is_empty() {
        errors.push(FieldError::new("password", FieldCode::Required));
    }
    let folder = match folder.trim() {
        "" => "INBOX",
        f => f,
    };
    if folder.chars().any(|c| c.is_control() || c == '"' || c == '\\') {
        errors.push(FieldError::new("folder", FieldCode::ControlCharacters));
    }
    let poll = poll_seconds.trim().parse::<i64>().ok().filter(|p| (POLL_SECONDS.0..=POLL_SECONDS.1).contains(p));
    if poll.is_none() {
        errors.push(FieldError::new("poll_seconds", FieldCode::OutOfRange { min: POLL_SECONDS.0, max: POLL_SECONDS.1 }));
    }
    if type_code.trim().is_empty() {
        errors.push(FieldError::new("type_code", FieldCode::InvalidChoice));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(MailboxDraft {
        address: address.to_string(),
        url: url.trim().to_string(),
        username: username.to_string(),
        password: (!password.is_empty()).then(|| password.to_string()),
        folder: folder.to_string(),
        type_code: type_code.trim().to_string(),
        poll_seconds: poll.unwrap_or(60),
        enabled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(ImapUrl::parse("imaps://imap.example.com").expect("ok"), ImapUrl { host: "imap.example.com".into(), port: 993, tls: Tls::Implicit });
        assert_eq!(ImapUrl::parse("imap://imap.example.com:1143").expect("ok"), ImapUrl { host: "imap.example.com".into(), port: 1143, tls: Tls::StartTls });
        assert_eq!(ImapUrl::parse(" imap://127.0.0.1:14300?tls=none ").expect("ok").tls, Tls::None);
        let problem = |u: &str| ImapUrl::parse(u).map_err(|e| e.problem).err();
        assert_eq!(problem("imap://imap.example.com?tls=none"), Some(UrlProblem::PlainTextRemote));
        assert_eq!(problem("imaps://127.0.0.1?tls=none"), Some(UrlProblem::TlsContradiction));
        assert_eq!(problem("imap://user:pw@imap.example.com"), Some(UrlProblem::Credentials));
        assert_eq!(problem("pop3://x"), Some(UrlProblem::Scheme));
        assert_eq!(problem("imap.example.com"), Some(UrlProblem::Scheme));
        assert_eq!(problem("imap://x:0"), Some(UrlProblem::Port));
        assert_eq!(problem("imap://x:99999"), Some(UrlProblem::Port));
        assert_eq!(problem("imap://"), Some(UrlProblem::Host));
        assert_eq!(problem("imap://x?tls=off"), Some(UrlProblem::Setting));
    }

    #[test]
    fn mailbox_forms() {
        let ok = validate_mailbox(true, " help@example.com ", "imaps://imap.example.com", "help", "pw", "", "delivery", "60", true).expect("valid");
        assert_eq!(ok.address, "help@example.com");
        assert_eq!(ok.folder, "INBOX");
        assert_eq!(ok.password.as_deref(), Some("pw"));
        let edit = validate_mailbox(false, "help@example.com", "imaps://imap.example.com", "help", "", "Support", "delivery", "30", false).expect("valid");
        assert_eq!(edit.password, None, "an empty password keeps the saved one");
        let errs = validate_mailbox(true, "nope", "http://x", "", "", "a\"b", "", "5", true).expect_err("invalid");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["address", "url", "username", "password", "folder", "poll_seconds", "type_code"]);
    }
}
