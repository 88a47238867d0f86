//! Reading a support mailbox over IMAP: unseen mails are fetched one at a time (the size asked
//! first, so a mail over the limit is never downloaded), imported, and only then marked `\Seen`.
//! Between rounds the connection waits in IDLE when the server offers it (a new mail is read at
//! once), else the mailbox is polled every `poll_seconds`.

use super::import::{self, Imported, Source};
use crate::state::AppState;
use crate::domain::mailbox::{ImapUrl, ImapUrlError, Tls};
use crate::store::mailboxes::Mailbox;
use futures_util::StreamExt;
use std::fmt::Debug;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// Why a round with a mailbox failed (stored as the mailbox's last error, shown to admins).
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("{0}")]
    Url(#[from] ImapUrlError),
    #[error("cannot connect to {0}: {1}")]
    Connect(String, String),
    #[error("TLS with {0} failed: {1}")]
    Tls(String, String),
    #[error("the server refused the user name or password: {0}")]
    Login(String),
    #[error("cannot open folder {0:?}: {1}")]
    Folder(String, String),
    #[error("IMAP error: {0}")]
    Protocol(String),
    #[error("the server did not answer within {0} s")]
    Timeout(u64),
    #[error("storing a mail failed: {0}")]
    Store(String),
}

impl From<async_imap::error::Error> for PollError {
    fn from(e: async_imap::error::Error) -> Self {
        PollError::Protocol(e.to_string())
    }
}

/// The connection under the IMAP client: plain (loopback) or TLS.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> Io for T {}

pub type Session = async_imap::Session<Box<dyn Io>>;

/// How long one command may take (a whole mail's download gets `FETCH_TIMEOUT`).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
const FETCH_TIMEOUT: Duration = Duration::from_secs(300);

async fn timed<T, E: Into<PollError>>(limit: Duration, f: impl std::future::Future<Output = Result<T, E>>) -> Result<T, PollError> {
    match tokio::time::timeout(limit, f).await {
        Ok(r) => r.map_err(Into::into),
        Err(_) => Err(PollError::Timeout(limit.as_secs())),
    }
}

async fn tls(trust: &crate::mail::tls::MailTls, host: &str, tcp: TcpStream) -> Result<Box<dyn Io>, PollError> {
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.to_string()).map_err(|e| PollError::Tls(host.to_string(), e.to_string()))?;
    let stream = timed(COMMAND_TIMEOUT, async { trust.connector().connect(name, tcp).await.map_err(|e| PollError::Tls(host.to_string(), e.to_string())) }).await?;
    Ok(Box::new(stream))
}

/// Connects, logs in and selects the folder; says whether the server can IDLE.
pub async fn connect(trust: &crate::mail::tls::MailTls, mailbox: &Mailbox) -> Result<(Session, bool), PollError> {
    let url = ImapUrl::parse(&mailbox.url)?;
    let addr = format!("{}:{}", url.host, url.port);
    let tcp = timed(COMMAND_TIMEOUT, async { TcpStream::connect(&addr).await.map_err(|e| PollError::Connect(addr.clone(), e.to_string())) }).await?;
    let _ = tcp.set_nodelay(true);
    let stream: Box<dyn Io> = match url.tls {
        Tls::Implicit => tls(trust, &url.host, tcp).await?,
        Tls::None => Box::new(tcp),
        Tls::StartTls => {
            let mut client = async_imap::Client::new(tcp);
            greeting(&mut client).await?;
            timed(COMMAND_TIMEOUT, client.run_command_and_check_ok("STARTTLS", None)).await?;
            tls(trust, &url.host, client.into_inner()).await?
        }
    };
    let mut client = async_imap::Client::new(stream);
    if url.tls != Tls::StartTls {
        greeting(&mut client).await?;
    }
    let mut session = match timed(COMMAND_TIMEOUT, async { Ok::<_, PollError>(client.login(&mailbox.username, &mailbox.password).await) }).await? {
        Ok(s) => s,
        Err((e, _)) => return Err(PollError::Login(e.to_string())),
    };
    timed(COMMAND_TIMEOUT, async { session.select(&mailbox.folder).await.map_err(|e| PollError::Folder(mailbox.folder.clone(), e.to_string())) }).await?;
    let idle = timed(COMMAND_TIMEOUT, session.capabilities()).await?.has_str("IDLE");
    Ok((session, idle))
}

async fn greeting<T: AsyncRead + AsyncWrite + Unpin + Send + Debug>(client: &mut async_imap::Client<T>) -> Result<(), PollError> {
    match tokio::time::timeout(COMMAND_TIMEOUT, client.read_response()).await {
        Ok(Ok(Some(_))) => Ok(()),
        Ok(Ok(None)) => Err(PollError::Protocol("the server closed the connection before its greeting".into())),
        Ok(Err(e)) => Err(PollError::Protocol(e.to_string())),
        Err(_) => Err(PollError::Timeout(COMMAND_TIMEOUT.as_secs())),
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub read: usize,
    pub imported: usize,
    pub duplicates: usize,
}

/// Reads every unseen mail of the selected folder once.
pub async fn read_unseen(state: &AppState, mailbox: &Mailbox, session: &mut Session) -> Result<Round, PollError> {
    let source = Source { mailbox_id: Some(mailbox.id), type_code: mailbox.type_code.clone() };
    let mut uids: Vec<u32> = timed(COMMAND_TIMEOUT, session.uid_search("UNSEEN NOT DELETED")).await?.into_iter().collect();
    uids.sort_unstable();
    let mut round = Round::default();
    for uid in uids {
        let size = fetch_one(session, uid, "(UID RFC822.SIZE)", COMMAND_TIMEOUT).await?.and_then(|f| f.size).map(u64::from);
        let Some(size) = size else { continue }; // expunged meanwhile
        let now = state.clock.now_ms();
        let outcome = if size > state.inbound.max_bytes {
            let Some(fetch) = fetch_one(session, uid, "BODY.PEEK[HEADER]", COMMAND_TIMEOUT).await? else { continue };
            import::too_large(state, &source, fetch.header().unwrap_or_default(), size, now).await
        } else {
            let Some(fetch) = fetch_one(session, uid, "BODY.PEEK[]", FETCH_TIMEOUT).await? else { continue };
            import::import(state, &source, fetch.body().unwrap_or_default(), now).await
        };
        // a mail whose import failed on our side (the database) stays unseen for the next round
        let outcome = outcome.map_err(|e| PollError::Store(e.to_string()))?;
        round.read += 1;
        match outcome {
            Imported::Duplicate => round.duplicates += 1,
            Imported::Recorded { .. } => round.imported += 1,
        }
        let mut stored = timed(COMMAND_TIMEOUT, session.uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)")).await?;
        while let Some(r) = stored.next().await {
            r?;
        }
    }
    while session.unsolicited_responses.try_recv().is_ok() {}
    Ok(round)
}

async fn fetch_one(session: &mut Session, uid: u32, query: &str, limit: Duration) -> Result<Option<async_imap::types::Fetch>, PollError> {
    timed(limit, async {
        let mut stream = session.uid_fetch(uid.to_string(), query).await?;
        let mut found = None;
        while let Some(f) = stream.next().await {
            let f = f?;
            if f.uid == Some(uid) || found.is_none() {
                found = Some(f);
            }
        }
        Ok::<_, PollError>(found)
    })
    .await
}

/// Connects, reads every unseen mail once and logs out (tests, and a manual "check now").
pub async fn read_once(state: &AppState, mailbox: &Mailbox) -> Result<Round, PollError> {
    let (mut session, _) = connect(&state.mail.tls, mailbox).await?;
    let round = read_unseen(state, mailbox, &mut session).await?;
    let _ = tokio::time::timeout(COMMAND_TIMEOUT, session.logout()).await;
    Ok(round)
}

/// Serves one mailbox until the task is aborted: connect, read, wait (IDLE or sleep), read
/// again; after a failure, the error is noted on the mailbox and it is tried again after a pause
/// that doubles up to ten minutes.
pub async fn serve(state: AppState, mailbox: Mailbox) {
    let poll = Duration::from_secs(mailbox.poll_seconds.clamp(10, 3600) as u64);
    let mut backoff = Duration::from_secs(10);
    loop {
        match serve_connected(&state, &mailbox, poll).await {
            Ok(()) => backoff = Duration::from_secs(10),
            Err(e) => {
                tracing::warn!(mailbox = %mailbox.address, error = %e, "reading the mailbox failed; trying again later");
                let _ = crate::store::mailboxes::polled(&state.db, mailbox.id, Some(&e.to_string()), state.clock.now_ms()).await;
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(600));
            }
        }
    }
}

/// One connection's life: rounds until the server drops it (`Ok`) or something fails.
async fn serve_connected(state: &AppState, mailbox: &Mailbox, poll: Duration) -> Result<(), PollError> {
    let (mut session, can_idle) = connect(&state.mail.tls, mailbox).await?;
    loop {
        let round = read_unseen(state, mailbox, &mut session).await?;
        if round.read > 0 {
            tracing::info!(mailbox = %mailbox.address, read = round.read, imported = round.imported, duplicates = round.duplicates, "mail read");
        }
        let _ = crate::store::mailboxes::polled(&state.db, mailbox.id, None, state.clock.now_ms()).await;
        if can_idle {
            let mut idle = session.idle();
            timed(COMMAND_TIMEOUT, idle.init()).await?;
            let (wait, _stop) = idle.wait_with_timeout(poll.max(Duration::from_secs(60)).min(Duration::from_secs(25 * 60)));
            wait.await?;
            session = timed(COMMAND_TIMEOUT, idle.done()).await?;
        } else {
            tokio::time::sleep(poll).await;
            timed(COMMAND_TIMEOUT, session.noop()).await?;
        }
    }
}
