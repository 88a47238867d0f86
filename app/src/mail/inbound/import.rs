//! Turning one mail into what it means: a new inquiry (routed like a web one, answered at once
//! by the FAQ when it can be, by mail), the customer's reply in an inquiry's thread, a bounce
//! noted on the mail it returns, or an entry admins see saying why it was left out. Every
//! outcome is recorded with the mail's Message-ID in the transaction that files it, so a mail
//! read twice (a crash before it was marked read) is imported once.

use super::parse::{self, Incoming};
use crate::domain::email::{Automatic, Screen};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::inbound::{InboundOutcome, InboundReason};
use crate::model::Channel;
use crate::state::AppState;
use crate::store::inbound::{self, NewInbound};

/// Where a mail was read: the mailbox (none for a test or a manual import) and the inquiry type
/// its new inquiries are filed under.
#[derive(Debug, Clone)]
pub struct Source {
    pub mailbox_id: Option<i64>,
    pub type_code: String,
}

/// What the import did with a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// Read before (same Message-ID): nothing done.
    Duplicate,
    Recorded { outcome: InboundOutcome, reason: Option<InboundReason>, inquiry_id: Option<i64> },
}

/// Limits on what is read (configurable: `CYBERCENTER_MAIL_MAX_MB`, `CYBERCENTER_MAIL_PER_SENDER_HOUR`).
#[derive(Debug, Clone, Copy)]
pub struct InboundLimits {
    pub max_bytes: u64,
    pub per_sender_per_hour: i64,
}

impl Default for InboundLimits {
    fn default() -> Self {
        InboundLimits { max_bytes: 25 * 1024 * 1024, per_sender_per_hour: 20 }
    }
}

/// Imports one mail.
pub async fn import(state: &AppState, source: &Source, raw: &[u8], now: i64) -> Result<Imported, AppError> {
    let own = state.mail.from.email.to_string();
    let parsed = match parse::parse(raw, &own) {
        Ok(p) => p,
        Err(reason) => {
            let raw_key = state.files.put(raw).await?;
            let message_id = parse::without_message_id(&raw_key);
            let row = NewInbound {
                mailbox_id: source.mailbox_id,
                message_id: &message_id,
                sender: "",
                subject: "",
                outcome: InboundOutcome::Failed,
                reason: Some(reason),
                detail: None,
                inquiry_id: None,
                message_row_id: None,
                raw_key: Some(raw_key.as_str()),
                size: raw.len() as i64,
            };
            return record_failure(state, row, now).await;
        }
    };
    if inbound::seen(&state.db, &parsed.message_id).await? {
        return Ok(Imported::Duplicate);
    }
    let raw_key = state.files.put(raw).await?;
    let base = NewInbound {
        mailbox_id: source.mailbox_id,
        message_id: &parsed.message_id,
        sender: &parsed.from_address,
        subject: &parsed.subject,
        outcome: InboundOutcome::Ignored,
        reason: None,
        detail: None,
        inquiry_id: None,
        message_row_id: None,
        raw_key: Some(raw_key.as_str()),
        size: raw.len() as i64,
    };
    match (&parsed.screen, &parsed.text) {
        (Screen::Bounce, _) => {
            let mut tx = crate::store::write_tx(&state.db).await?;
            let marked = inbound::mark_bounced(&mut tx, &parsed.bounced, now).await?;
            let detail = format!("{marked} sent mail(s) marked bounced");
            let recorded = NewInbound { outcome: InboundOutcome::Bounce, detail: Some(&detail), ..base };
            finish(tx, recorded, now).await
        }
        (Screen::Automatic(kind), _) => {
            let reason = match kind {
                Automatic::AutoSubmitted => InboundReason::AutoSubmitted,
                Automatic::BulkOrList => InboundReason::BulkOrList,
                Automatic::OwnMail => InboundReason::OwnMail,
            };
            tracing::info!(message_id = %parsed.message_id, sender = %parsed.from_address, reason = %reason, "mail not imported: not from a person");
            let tx = crate::store::write_tx(&state.db).await?;
            finish(tx, NewInbound { reason: Some(reason), ..base }, now).await
        }
        (Screen::Person, Err(reason)) => record_failure(state, NewInbound { outcome: InboundOutcome::Failed, reason: Some(*reason), ..base }, now).await,
        (Screen::Person, Ok(text)) => from_person(state, source, &parsed, text, raw, base, now).await,
    }
}

/// A mail too large to read whole: recorded from its headers alone.
pub async fn too_large(state: &AppState, source: &Source, headers: &[u8], size: u64, now: i64) -> Result<Imported, AppError> {
    let own = state.mail.from.email.to_string();
    let parsed = parse::parse(headers, &own).ok();
    let message_id = parsed.as_ref().map(|p| p.message_id.clone()).unwrap_or_else(|| parse::without_message_id(&crate::files::FileKey::of(headers)));
    if inbound::seen(&state.db, &message_id).await? {
        return Ok(Imported::Duplicate);
    }
    let detail = format!("{:.1} MiB; the limit is {:.1} MiB", size as f64 / 1_048_576.0, state.inbound.max_bytes as f64 / 1_048_576.0);
    let row = NewInbound {
        mailbox_id: source.mailbox_id,
        message_id: &message_id,
        sender: parsed.as_ref().map(|p| p.from_address.as_str()).unwrap_or_default(),
        subject: parsed.as_ref().map(|p| p.subject.as_str()).unwrap_or_default(),
        outcome: InboundOutcome::Failed,
        reason: Some(InboundReason::TooLarge),
        detail: Some(&detail),
        inquiry_id: None,
        message_row_id: None,
        raw_key: None,
        size: size as i64,
    };
    record_failure(state, row, now).await
}

/// A mail that could not be imported: a log line, and its row for the admins' list.
async fn record_failure(state: &AppState, row: NewInbound<'_>, now: i64) -> Result<Imported, AppError> {
    let reason = row.reason.map(|r| r.as_str()).unwrap_or_default();
    tracing::warn!(message_id = %row.message_id, sender = %row.sender, reason, detail = row.detail.unwrap_or(""), "mail could not be imported");
    let tx = crate::store::write_tx(&state.db).await?;
    finish(tx, row, now).await
}

/// Records the mail and commits what was written with it; a mail another import recorded first
/// rolls everything back.
async fn finish(mut tx: crate::store::WriteTx, row: NewInbound<'_>, now: i64) -> Result<Imported, AppError> {
    let (outcome, reason, inquiry_id) = (row.outcome, row.reason, row.inquiry_id);
    if !inbound::record(&mut tx, row, now).await? {
        tx.rollback().await?;
        return Ok(Imported::Duplicate);
    }
    tx.commit().await?;
    Ok(Imported::Recorded { outcome, reason, inquiry_id })
}

/// A person's mail: their reply to one of their inquiries, or a new inquiry.
async fn from_person(state: &AppState, source: &Source, mail: &Incoming, text: &str, raw: &[u8], base: NewInbound<'_>, now: i64) -> Result<Imported, AppError> {
    let mut conn = state.db.acquire().await?;
    if inbound::count_from(&mut conn, &mail.from_address, now - 3_600_000).await? >= state.inbound.per_sender_per_hour {
        drop(conn);
        tracing::warn!(sender = %mail.from_address, "mail not imported: too many from this sender this hour");
        let tx = crate::store::write_tx(&state.db).await?;
        return finish(tx, NewInbound { reason: Some(InboundReason::TooManyFromSender), ..base }, now).await;
    }
    let customer = crate::store::users::customer_by_email(&mut conn, &mail.from_address).await?;
    drop(conn);
    let customer_id = match customer {
        Some(Ok(id)) => id,
        Some(Err(())) => return record_failure(state, NewInbound { outcome: InboundOutcome::Failed, reason: Some(InboundReason::StaffAddress), ..base }, now).await,
        None => new_customer(state, mail, text, now).await?,
    };
    let body = clip(text, crate::domain::inquiry::BODY_MAX_CHARS);
    let files = keep_files(state, raw).await?;

    // a reply: the thread its headers name, else the [#Q-…] tag of its subject — only ever one
    // of this customer's inquiries
    let mut conn = state.db.acquire().await?;
    let mut thread = inbound::thread_of(&mut conn, customer_id, &mail.refers_to, &state.mail.message_id_host).await?;
    if thread.is_none() {
        if let Some(tagged) = crate::domain::email::subject_inquiry(&mail.subject) {
            thread = inbound::own_inquiry(&mut conn, customer_id, tagged).await?;
        }
    }
    drop(conn);
    if let Some(inquiry_id) = thread {
        let mut tx = crate::store::write_tx(&state.db).await?;
        match crate::store::inquiries::reply_in(&mut tx, customer_id, inquiry_id, &body, now).await {
            Ok(message) => {
                files.attach(&mut tx, inquiry_id, message, now).await?;
                let row = NewInbound { outcome: InboundOutcome::Reply, inquiry_id: Some(inquiry_id), message_row_id: Some(message), ..base };
                return finish(tx, row, now).await;
            }
            // a closed inquiry takes no replies: the mail starts a new one
            Err(AppError::Invalid(_)) => tx.rollback().await?,
            Err(e) => return Err(e),
        }
    }

    let subject = match mail.subject.trim() {
        "" => text.lines().find(|l| !l.trim().is_empty()).unwrap_or("(no subject)").trim().to_string(),
        s => s.to_string(),
    };
    let new = crate::domain::inquiry::NewInquiry {
        type_code: source.type_code.clone(),
        order_no: None,
        subject: clip(&subject, crate::domain::inquiry::SUBJECT_MAX_CHARS),
        body: body.clone(),
        // the same mail (its Message-ID) always files the same inquiry
        idempotency_key: format!("mail-{}", &crate::mail::token_hash(&mail.message_id)[..40]),
    };
    let query = crate::faq::index::inquiry_text(&new.subject, &new.body);
    let best = state.faq.current().best(&query).map(Into::into);
    match crate::store::inquiries::create(&state.db, customer_id, &new, Channel::Email, best, now).await {
        Ok(crate::store::inquiries::Created::Existing(_)) => Ok(Imported::Duplicate),
        Ok(crate::store::inquiries::Created::New { id, first_message, mut tx, auto_answer, semantic }) => {
            files.attach(&mut tx, id, first_message, now).await?;
            if let Some(answer) = &auto_answer {
                use crate::mail::outbox::{queue_answer, AnsweredBy};
                let to = crate::store::inquiries::answer_for(&mut tx, id).await?;
                queue_answer(&mut tx, &state.mail, &to, answer, AnsweredBy::Faq, now).await?;
            }
            let row = NewInbound { outcome: InboundOutcome::NewInquiry, inquiry_id: Some(id), message_row_id: Some(first_message), ..base };
            let done = finish(tx, row, now).await?;
            if auto_answer.is_some() {
                state.mail.queued();
            } else if semantic {
                // as a web inquiry: the semantic head decides in a moment, and its answer goes by mail
                state.faq.semantic.submit(crate::faq::semantic::Pending { inquiry_id: id, submitted_at: now });
            }
            Ok(done)
        }
        Err(AppError::RateLimited { .. }) => {
            let tx = crate::store::write_tx(&state.db).await?;
            finish(tx, NewInbound { reason: Some(InboundReason::TooManyFromSender), ..base }, now).await
        }
        Err(e) => Err(e),
    }
}

/// A mail's files: those taken (judged by their content, as uploads are) kept in the file
/// store, the others named with why they were not kept.
struct MailFiles {
    kept: Vec<crate::uploads::Kept>,
    refused: Vec<(String, u64, crate::domain::attachment::Refusal)>,
}

impl MailFiles {
    async fn attach(&self, tx: &mut crate::store::WriteTx, inquiry_id: i64, message: i64, now: i64) -> Result<(), AppError> {
        crate::store::attachments::add_to_message(tx, inquiry_id, message, &self.kept, now).await?;
        for (name, size, why) in &self.refused {
            crate::store::attachments::add_refused(tx, inquiry_id, message, name, *size, *why, now).await?;
        }
        Ok(())
    }
}

async fn keep_files(state: &AppState, raw: &[u8]) -> Result<MailFiles, AppError> {
    use crate::domain::attachment::{display_name, judge};
    let mut out = MailFiles { kept: Vec::new(), refused: Vec::new() };
    for f in parse::files(raw) {
        let size = f.bytes.len() as u64;
        match judge(&f.bytes) {
            Ok(kind) => {
                let key = state.files.put(&f.bytes).await?;
                out.kept.push(crate::uploads::Kept { key, kind, name: display_name(&f.name, kind), size });
            }
            Err(why) => {
                // the name as sent, cleaned, without an ending added: it is not served
                let name: String = f.name.chars().filter(|c| !c.is_control()).take(crate::domain::attachment::NAME_MAX_CHARS).collect();
                let name = if name.trim().is_empty() { "file".to_string() } else { name };
                tracing::info!(name = %name, reason = why.as_str(), "mail attachment not kept");
                out.refused.push((name, size, why));
            }
        }
    }
    Ok(out)
}

/// The customer record for an address that has none: mail-only (see `store::users`), named as
/// the mail signs (or by the address), in the language the mail is written in.
async fn new_customer(state: &AppState, mail: &Incoming, text: &str, now: i64) -> Result<i64, AppError> {
    let name = mail.from_name.clone().unwrap_or_else(|| mail.from_address.split('@').next().unwrap_or_default().to_string());
    let name = clip(&name, 50);
    let korean = text.chars().chain(mail.subject.chars()).any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let locale = if korean { Locale::Ko } else { Locale::En };
    let mut tx = crate::store::write_tx(&state.db).await?;
    match crate::store::users::create_mail_only_customer(&mut tx, &name, &mail.from_address, locale, now).await {
        Ok(id) => {
            tx.commit().await?;
            tracing::info!(sender = %mail.from_address, "customer record created from a mail (cannot sign in until registered)");
            Ok(id)
        }
        // another import created it a moment ago
        Err(AppError::Invalid(_)) => {
            tx.rollback().await?;
            let mut conn = state.db.acquire().await?;
            match crate::store::users::customer_by_email(&mut conn, &mail.from_address).await? {
                Some(Ok(id)) => Ok(id),
                _ => Err(AppError::internal("mail import", "customer vanished after a conflict")),
            }
        }
        Err(e) => Err(e),
    }
}

/// At most `max` characters of `text` (a long mail's start; its whole original is kept).
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => text[..at].to_string(),
        None => text.to_string(),
    }
}
