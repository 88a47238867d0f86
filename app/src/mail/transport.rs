//! How a queued mail leaves: built as a MIME message (plain text and HTML alternatives) and
//! handed to the configured transport: an SMTP server (`CYBERCENTER_SMTP_URL`), or by default an
//! `.eml` file per mail, so a local install with no mail server shows what would have been sent.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::extension::ClientId;
use lettre::Message;
use std::time::Duration;
use crate::store::outbox::DueMail;
use std::path::PathBuf;

pub enum Transport {
    /// One `<row id>-<kind>.eml` file per mail in `dir`, written whole or not at all.
    Files { dir: PathBuf },
    /// A mail server, over one connection kept open between mails.
    Smtp(Box<SmtpClient>),
}

/// How long connecting, or one mail's whole exchange, may take before it is tried again later.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://`: STARTTLS, required.
    StartTls,
    /// `smtp://…?tls=none`: a server on this machine only.
    None,
}

/// An SMTP client on lettre's protocol code, over sockets of its own: `TCP_NODELAY` is set on
/// each (lettre's own transport leaves Nagle on, and its last write of a mail — the closing
/// `.` — then waits for the server's delayed ACK: 47 ms a mail, 21 mails/s), and one connection
/// is kept open between mails (the sender delivers one at a time).
pub struct SmtpClient {
    host: String,
    port: u16,
    tls: SmtpTls,
    credentials: Option<Credentials>,
    hello: ClientId,
    trust: super::tls::MailTls,
    idle: tokio::sync::Mutex<Option<AsyncSmtpConnection>>,
}

/// A TLS stream lettre can drive as if it were a plain one (implicit TLS on our own socket).
#[derive(Debug)]
struct Tls(tokio_rustls::client::TlsStream<tokio::net::TcpStream>);

impl tokio::io::AsyncRead for Tls {
    fn poll_read(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, buf: &mut tokio::io::ReadBuf<'_>) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Tls {
    fn poll_write(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, buf: &[u8]) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for Tls {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl SmtpClient {
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let temporary = |what: &str, e: &dyn std::fmt::Display| SendError::Temporary(format!("SMTP: {what} {}:{}: {e}", self.host, self.port));
        let tcp = match tokio::time::timeout(SMTP_TIMEOUT, tokio::net::TcpStream::connect((self.host.as_str(), self.port))).await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(e)) => return Err(temporary("connecting to", &e)),
            Err(_) => return Err(temporary("connecting to", &"timed out")),
        };
        tcp.set_nodelay(true).map_err(|e| temporary("setting up", &e))?;
        let mut conn = match self.tls {
            SmtpTls::Implicit => {
                let name = tokio_rustls::rustls::pki_types::ServerName::try_from(self.host.clone()).map_err(|e| temporary("TLS name", &e))?;
                let tls = self.trust.connector().connect(name, tcp).await.map_err(|e| temporary("TLS with", &e))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(Tls(tls)), &self.hello).await.map_err(smtp_error)?
            }
            SmtpTls::StartTls => {
                let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await.map_err(smtp_error)?;
                let params = self.trust.smtp_parameters(&self.host).map_err(smtp_error)?;
                conn.starttls(params, &self.hello).await.map_err(smtp_error)?;
                conn
            }
            SmtpTls::None => AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await.map_err(smtp_error)?,
        };
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(smtp_error)?;
        }
        Ok(conn)
    }

    /// Sends one mail, on the open connection when it still answers, else on a new one; a
    /// connection that failed is closed.
    async fn send(&self, message: &Message) -> Result<(), SendError> {
        let mut idle = self.idle.lock().await;
        let mut conn = match idle.take() {
            Some(mut c) => {
                if c.test_connected().await {
                    c
                } else {
                    c.abort().await;
                    self.connect().await?
                }
            }
            None => self.connect().await?,
        };
        let bytes = message.formatted();
        match tokio::time::timeout(SMTP_TIMEOUT, conn.send(message.envelope(), &bytes)).await {
            Ok(Ok(_)) => {
                *idle = Some(conn);
                Ok(())
            }
            Ok(Err(e)) => {
                conn.abort().await;
                Err(smtp_error(e))
            }
            Err(_) => {
                conn.abort().await;
                Err(SendError::Temporary(format!("SMTP: {}:{} did not finish the mail within {} s", self.host, self.port, SMTP_TIMEOUT.as_secs())))
            }
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SmtpUrlError {
    #[error("CYBERCENTER_SMTP_URL must look like smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465; {0}")]
    Invalid(String),
}

impl Transport {
    /// The SMTP transport for `url`:
    /// - `smtp://[user:password@]host[:port]`: STARTTLS required (port 587 unless given);
    /// - `smtps://…`: TLS from the first byte (port 465 unless given);
    /// - `smtp://…?tls=none`: no TLS at all, for a relay on the same host or a test server on
    ///   loopback (refused for any other host, where it would send passwords in the clear).
    ///
    /// The user and password may be percent-encoded.
    pub fn smtp(url: &str, trust: super::tls::MailTls) -> Result<Transport, SmtpUrlError> {
        let bad = |why: &str| SmtpUrlError::Invalid(why.to_string());
        let (scheme, rest) = url.trim().split_once("://").ok_or_else(|| bad("no scheme"))?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut tls_none = false;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair {
                "tls=none" => tls_none = true,
                "tls=required" => {}
                other => return Err(bad(&format!("unknown setting {other:?} (only tls=none or tls=required)"))),
            }
        }
        let (auth, host_port) = match rest.trim_end_matches('/').rsplit_once('@') {
            Some((auth, hp)) => (Some(auth), hp),
            None => (None, rest.trim_end_matches('/')),
        };
        // `host`, `host:port`, `[v6]` or `[v6]:port`
        let (host, port) = match host_port.strip_prefix('[') {
            Some(v6) => {
                let (h, after) = v6.split_once(']').ok_or_else(|| bad("an IPv6 address needs its closing ]"))?;
                (h, after.strip_prefix(':'))
            }
            None => match host_port.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (host_port, None),
            },
        };
        let port = port.map(|p| p.parse::<u16>().map_err(|_| bad(&format!("port {p:?} is not a number")))).transpose()?;
        if host.is_empty() || host.contains(['/', ' ']) {
            return Err(bad("no host"));
        }
        let loopback = crate::domain::mailbox::is_this_machine(host);
        let (tls, default_port) = match (scheme, tls_none) {
            ("smtp", true) if loopback => (SmtpTls::None, 25),
            ("smtp", true) => return Err(bad("tls=none is only for a server on this machine (localhost, 127.0.0.1)")),
            ("smtp", false) => (SmtpTls::StartTls, 587),
            ("smtps", false) => (SmtpTls::Implicit, 465),
            ("smtps", true) => return Err(bad("smtps:// is TLS; tls=none contradicts it")),
            (other, _) => return Err(bad(&format!("the scheme is {other:?}, not smtp or smtps"))),
        };
        if tls != SmtpTls::None {
            trust.smtp_parameters(host).map_err(|e| bad(&format!("TLS: {e}")))?;
        }
        let credentials = match auth {
            Some(auth) => {
                let (user, password) = auth.split_once(':').ok_or_else(|| bad("a user needs a password (user:password@host)"))?;
                Some(Credentials::new(percent_decoded(user), percent_decoded(password)))
            }
            None => None,
        };
        Ok(Transport::Smtp(Box::new(SmtpClient {
            host: host.to_string(),
            port: port.unwrap_or(default_port),
            tls,
            credentials,
            hello: ClientId::default(),
            trust,
            idle: tokio::sync::Mutex::new(None),
        })))
    }

    /// What the transport is, for the log line at start (no password).
    pub fn describe(&self) -> String {
        match self {
            Transport::Files { dir } => format!("files in {}", dir.display()),
            Transport::Smtp(c) => format!("SMTP {}:{} ({})", c.host, c.port, match c.tls { SmtpTls::Implicit => "TLS", SmtpTls::StartTls => "STARTTLS", SmtpTls::None => "no TLS, this machine" }),
        }
    }
}

/// `%xx` sequences decoded (a password may hold `@`, `:` or `/`); anything else kept as it is.
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A refusal with a 5xx reply will be refused again (no such mailbox, message rejected); anything
/// else (connection refused, 4xx, timeouts, TLS trouble an admin can fix) is tried again later.
fn smtp_error(e: lettre::transport::smtp::Error) -> SendError {
    if e.is_permanent() {
        SendError::Permanent(format!("SMTP: {e}"))
    } else {
        SendError::Temporary(format!("SMTP: {e}"))
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SendError {
    /// Worth trying again later (disk full, server down).
    #[error("temporary: {0}")]
    Temporary(String),
    /// Will never work (an address that is not one).
    #[error("permanent: {0}")]
    Permanent(String),
}

/// The message for `mail`, with its fixed Message-ID: sending a row twice sends the same mail.
pub fn build(from: &Mailbox, mail: &DueMail) -> Result<Message, SendError> {
    let to: Mailbox = mail.to.parse().map_err(|e| SendError::Permanent(format!("recipient {:?}: {e}", mail.to)))?;
    let raw = |name: &'static str, value: &str| HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_string());
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        .raw_header(raw("Content-Language", &mail.locale));
    // what the system wrote by itself, not a person: auto-responders must not answer it (RFC 3834)
    if let Some(auto) = super::MailKind::parse(&mail.template).map_or(Some("auto-generated"), super::MailKind::auto_submitted) {
        builder = builder.raw_header(raw("Auto-Submitted", auto));
    }
    // every mail about one inquiry answers its thread: one conversation in the mail client
    if let Some(thread) = &mail.thread_id {
        builder = builder.in_reply_to(thread.clone()).references(thread.clone());
    }
    // a reply goes to the support mailbox, where the mail import files it under the inquiry
    if let Some(reply_to) = &mail.reply_to {
        match reply_to.parse::<Mailbox>() {
            Ok(m) => builder = builder.reply_to(m),
            Err(e) => tracing::warn!(reply_to = %reply_to, error = %e, "Reply-To left out: not a mail address"),
        }
    }
    let text = MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone());
    let body = if mail.files.is_empty() {
        text
    } else {
        // the words, then the files (each as the attachment it is, under its shown name)
        mail.files.iter().try_fold(MultiPart::mixed().multipart(text), |parts, f| {
            let ct = lettre::message::header::ContentType::parse(f.content_type).map_err(|e| SendError::Permanent(format!("file {}: {e}", f.name)))?;
            Ok::<_, SendError>(parts.singlepart(lettre::message::Attachment::new(f.name.clone()).body(f.bytes.clone(), ct)))
        })?
    };
    builder.multipart(body).map_err(|e| SendError::Permanent(format!("message: {e}")))
}

impl Transport {
    pub async fn send(&self, from: &Mailbox, mail: &DueMail) -> Result<(), SendError> {
        let message = build(from, mail)?;
        match self {
            Transport::Files { dir } => {
                let dir = dir.clone();
                let name = format!("{:010}-{}.eml", mail.id, mail.template);
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_whole(&dir, &name, &bytes))
                    .await
                    .map_err(|e| SendError::Temporary(format!("writer: {e}")))?
            }
            Transport::Smtp(smtp) => smtp.send(&message).await,
        }
    }
}

/// Writes `name` in `dir` through a temporary file and a rename: a reader never sees half a
/// mail, and writing the same row again replaces the file instead of adding a second mail.
fn write_whole(dir: &std::path::Path, name: &str, bytes: &[u8]) -> Result<(), SendError> {
    let fail = |what: &str, e: std::io::Error| SendError::Temporary(format!("{what} {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(|e| fail("creating", e))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| fail("writing to", e))?;
    std::fs::rename(&tmp, dir.join(name)).map_err(|e| fail("renaming in", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(to: &str) -> DueMail {
        DueMail {
            id: 7,
            message_id: "<abc.1@help.example.com>".into(),
            template: "registration_link".into(),
            to: to.into(),
            locale: "ko".into(),
            subject: "[cybercenter] 회원가입을 마무리해 주세요".into(),
            text: "김님, 안녕하세요.\nhttps://x/register/confirm?token=ab\n".into(),
            html: "<p>김님</p>".into(),
            tries: 0,
            thread_id: None,
            reply_to: None,
            files: Vec::new(),
        }
    }

    #[test]
    fn a_mail_with_files_carries_them_after_its_words() {
        let from: Mailbox = "cybercenter <no-reply@example.com>".parse().expect("from");
        let mut m = mail("kim@example.com");
        m.files.push(crate::store::outbox::MailFile { name: "반품안내.pdf".into(), content_type: "application/pdf", bytes: b"%PDF-1.4\n".to_vec() });
        let raw = build(&from, &m).expect("built").formatted();
        let parsed = mail_parser::MessageParser::default().parse(&raw).expect("parses");
        assert_eq!(parsed.attachment_count(), 1);
        let file = parsed.attachment(0).expect("file");
        assert_eq!(mail_parser::MimeHeaders::attachment_name(file), Some("반품안내.pdf"));
        assert_eq!(file.contents(), b"%PDF-1.4\n");
        assert!(parsed.body_text(0).is_some_and(|t| t.contains("김님")), "the words are still there");
    }

    #[test]
    fn messages_are_multipart_with_fixed_ids_and_encoded_korean() {
        let from: Mailbox = "cybercenter <no-reply@example.com>".parse().expect("from");
        let raw = String::from_utf8(build(&from, &mail("kim@example.com")).expect("built").formatted()).expect("ascii");
        assert!(raw.contains("Message-ID: <abc.1@help.example.com>"), "{raw}");
        assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
        assert!(raw.contains("Content-Language: ko"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain; charset=utf-8") && raw.contains("text/html; charset=utf-8"), "{raw}");
        assert!(raw.contains("Subject: [cybercenter] =?utf-8?b?"), "Korean subject is encoded: {raw}");
        assert!(raw.is_ascii(), "8-bit text is transfer-encoded");
    }

    #[test]
    fn an_answer_is_threaded_under_its_inquiry_and_not_marked_automatic() {
        let from: Mailbox = "a@example.com".parse().expect("from");
        let mut m = mail("kim@example.com");
        m.template = "inquiry_answered".into();
        m.thread_id = Some("<inquiry-7.19a@help.example.com>".into());
        let raw = String::from_utf8(build(&from, &m).expect("built").formatted()).expect("ascii");
        assert!(raw.contains("In-Reply-To: <inquiry-7.19a@help.example.com>"), "{raw}");
        assert!(raw.contains("References: <inquiry-7.19a@help.example.com>"), "{raw}");
        assert!(!raw.contains("Auto-Submitted"), "a person wrote it: {raw}");
    }

    #[test]
    fn a_recipient_that_is_not_an_address_is_a_permanent_failure() {
        let from: Mailbox = "a@example.com".parse().expect("from");
        assert!(matches!(build(&from, &mail("not an address")), Err(SendError::Permanent(_))));
    }

    #[test]
    fn smtp_urls_are_read_and_checked() {
        for ok in [
            "smtp://mail.example.com",
            "smtp://user:p%40ss@mail.example.com:2587",
            "smtps://user:pw@mail.example.com",
            "smtp://127.0.0.1:2525?tls=none",
            "smtp://localhost:25/?tls=none",
            "smtp://[::1]:2525?tls=none",
            "smtp://[::1]?tls=none",
        ] {
            assert!(Transport::smtp(ok, Default::default()).is_ok(), "{ok}");
        }
        for bad in [
            "mail.example.com",
            "http://mail.example.com",
            "smtp://mail.example.com?tls=none",
            "smtps://127.0.0.1?tls=none",
            "smtp://user@mail.example.com",
            "smtp://mail.example.com:port",
            "smtp://mail.example.com?tls=maybe",
            "smtp://",
        ] {
            assert!(Transport::smtp(bad, Default::default()).is_err(), "{bad}");
        }
        assert_eq!(percent_decoded("p%40ss%3Aw%2F%zz"), "p@ss:w/%zz");
    }

    #[tokio::test]
    async fn files_are_written_whole_and_a_resend_replaces_them() {
        let dir = std::env::temp_dir().join(format!("cc-outbox-test-{}", std::process::id()));
        let t = Transport::Files { dir: dir.clone() };
        let from: Mailbox = "a@example.com".parse().expect("from");
        t.send(&from, &mail("kim@example.com")).await.expect("sent");
        t.send(&from, &mail("kim@example.com")).await.expect("sent again");
        let names: Vec<String> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, ["0000000007-registration_link.eml"]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
