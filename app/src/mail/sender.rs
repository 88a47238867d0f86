//! The sender: delivers due mails one by one, retries temporary failures with backoff, gives up
//! after [`MAX_TRIES`](super::MAX_TRIES), and sleeps until the next mail is due or one is queued.
//!
//! A crash after a mail left but before it was marked sent delivers it again on restart, with
//! the same Message-ID (and, for files, to the same file name): a duplicate a mail client can
//! recognise, rather than a mail that is never sent.

use super::transport::SendError;
use super::{retry_delay_ms, Mailer, MAX_TRIES};
use crate::store::{now_ms, outbox, Db};
use std::sync::Arc;
use std::time::Duration;

const BATCH: i64 = 50;
/// Even with nothing queued, look again this often (another process may have queued mail).
const IDLE_POLL: Duration = Duration::from_secs(30);

/// Runs for the life of the server.
pub async fn run(db: Db, mailer: Arc<Mailer>) {
    loop {
        let sent_all = match deliver_due(&db, &mailer).await {
            Ok(n) => n < BATCH as usize,
            Err(e) => {
                tracing::warn!(error = %e, "reading the mail queue failed; trying again shortly");
                true
            }
        };
        if !sent_all {
            continue;
        }
        let wait = match outbox::next_due_at(&db).await {
            Ok(Some(at)) => Duration::from_millis((at - now_ms()).clamp(0, IDLE_POLL.as_millis() as i64) as u64),
            _ => IDLE_POLL,
        };
        if !wait.is_zero() {
            mailer.wait_for_mail(wait).await;
        }
    }
}

/// Delivers the mails due now (at most one batch); returns how many were tried.
pub async fn deliver_due(db: &Db, mailer: &Mailer) -> Result<usize, crate::error::AppError> {
    let mut due = outbox::due(db, now_ms(), BATCH).await?;
    let tried = due.len();
    for mail in &mut due {
        let tries = mail.tries;
        let sent = match load_files(db, mailer, mail).await {
            Ok(()) => mailer.transport.send(&mailer.from, mail).await,
            Err(e) => Err(e),
        };
        // the bytes are not kept around after the attempt
        mail.files = Vec::new();
        match sent {
            Ok(()) => {
                let redact = super::MailKind::parse(&mail.template).is_some_and(super::MailKind::carries_link);
                outbox::sent(db, mail.id, redact, now_ms()).await?
            }
            Err(SendError::Temporary(e)) if tries + 1 < MAX_TRIES => {
                tracing::warn!(mail = mail.id, tries = tries + 1, error = %e, "mail not delivered; will retry");
                outbox::failed(db, mail.id, &e, Some(now_ms() + retry_delay_ms(tries, mail.id))).await?
            }
            Err(e) => {
                tracing::error!(mail = mail.id, error = %e, "mail given up");
                outbox::failed(db, mail.id, &e.to_string(), None).await?
            }
        }
    }
    Ok(tried)
}

/// Reads the files `mail` carries. A file missing from the store is a temporary failure: the mail
/// waits (and is given up with that error after its tries) rather than going without it.
async fn load_files(db: &Db, mailer: &Mailer, mail: &mut outbox::DueMail) -> Result<(), SendError> {
    let listed = outbox::files_of(db, mail.id).await.map_err(|e| SendError::Temporary(format!("files: {e}")))?;
    if listed.is_empty() {
        return Ok(());
    }
    let store = mailer.files.as_ref().ok_or_else(|| SendError::Temporary("no file store to read the mail's files from".into()))?;
    for (key, name, kind) in listed {
        let key = crate::files::FileKey::parse(&key).ok_or_else(|| SendError::Permanent(format!("file {name}: bad key")))?;
        let kind = crate::domain::attachment::FileKind::parse(&kind).ok_or_else(|| SendError::Permanent(format!("file {name}: unknown kind")))?;
        let bytes = store
            .get(&key)
            .await
            .map_err(|e| SendError::Temporary(format!("file {name}: {e}")))?
            .ok_or_else(|| SendError::Temporary(format!("file {name} is missing from the file store")))?;
        mail.files.push(outbox::MailFile { name, content_type: kind.content_type(), bytes });
    }
    Ok(())
}
