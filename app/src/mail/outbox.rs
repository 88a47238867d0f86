//! Queuing a mail: rendered in the recipient's language, capped per address for mails a stranger
//! can cause, and stored (`store::outbox`) in the transaction of the change that causes it.

use super::templates::{render, Template};
use super::{random_hex, MailKind, Mailer, UNREQUESTED_PER_ADDRESS_PER_HOUR};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::store::outbox::{self, NewMail};
use crate::store::WriteTx;

/// Whether a mail was queued, or left out because its address had enough unrequested mail
/// this hour (the request still succeeds and says the same: the caller cannot tell), or because
/// it needs consent to email the recipient has not given (or withdrew).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    /// Written to the outbox as row `id`.
    Yes { id: i64 },
    CappedForAddress,
    NoConsent,
}

impl Queued {
    pub fn is_queued(self) -> bool {
        matches!(self, Queued::Yes { .. })
    }
}

/// Who a mail goes to: the address, the language it is written in, and the account it concerns
/// (its customer record gets the mail in its contact history).
pub struct Recipient<'a> {
    pub address: &'a str,
    pub locale: Locale,
    pub user_id: Option<i64>,
}

/// Renders `template` in the recipient's language and queues it in the caller's transaction.
/// Mails a stranger can cause (see [`MailKind::unrequested_by_recipient`]) are capped per address.
/// A mail that needs consent ([`MailKind::needs_consent`]) is queued only for a recipient who
/// agreed to email and has not withdrawn it.
pub async fn queue(
    tx: &mut WriteTx,
    mailer: &Mailer,
    recipient: Recipient<'_>,
    template: Template<'_>,
    now: i64,
) -> Result<Queued, AppError> {
    queue_with(tx, mailer, recipient, template, None, None, now).await
}

/// Queues a chat transcript the customer asked for; a few an hour per address, then
/// `CappedForAddress`.
pub async fn queue_transcript(tx: &mut WriteTx, mailer: &Mailer, recipient: Recipient<'_>, template: Template<'_>, now: i64) -> Result<Queued, AppError> {
    let key = crate::domain::validation::email_key(recipient.address);
    if outbox::count_recent(tx, &key, &[MailKind::ChatTranscript.as_str()], now - 3_600_000).await? >= super::TRANSCRIPTS_PER_ADDRESS_PER_HOUR {
        return Ok(Queued::CappedForAddress);
    }
    queue(tx, mailer, recipient, template, now).await
}

/// The inquiry a mail is about: `created_at` makes its thread's Message-ID one no one can guess
/// from the inquiry number alone.
#[derive(Debug, Clone, Copy)]
pub struct AboutInquiry {
    pub id: i64,
    pub created_at: i64,
}

/// Who answered an inquiry: an agent (who may have resolved it with the answer), or the FAQ
/// automation at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnsweredBy {
    Agent { resolved: bool },
    Faq,
}

/// Queues the mail that brings `answer` to the customer of inquiry `to` (an answer to the
/// customer's own request: transactional), in their language, threaded under the inquiry.
pub async fn queue_answer(
    tx: &mut WriteTx,
    mailer: &Mailer,
    to: &crate::model::inquiry::AnswerFor,
    answer: &str,
    by: AnsweredBy,
    now: i64,
) -> Result<Queued, AppError> {
    let link = format!("{}/my/inquiries/{}", mailer.public_url, to.inquiry_id);
    let reply_to = crate::store::mailboxes::reply_address(tx, to.inquiry_id).await?;
    let (name, subject, link, by_mail) = (to.name.as_str(), to.subject.as_str(), link.as_str(), reply_to.is_some());
    let template = match by {
        AnsweredBy::Agent { resolved } => Template::InquiryAnswered { name, subject, answer, link, resolved, by_mail },
        AnsweredBy::Faq => Template::InquiryAutoAnswered { name, subject, answer, link, by_mail },
    };
    queue_about(tx, mailer, to, template, reply_to.as_deref(), now).await
}

/// Queues the notice that an agent marked inquiry `to` resolved, with the link to rate the answer.
pub async fn queue_resolved(tx: &mut WriteTx, mailer: &Mailer, to: &crate::model::inquiry::AnswerFor, now: i64) -> Result<Queued, AppError> {
    let link = format!("{}/my/inquiries/{}", mailer.public_url, to.inquiry_id);
    let reply_to = crate::store::mailboxes::reply_address(tx, to.inquiry_id).await?;
    let template = Template::InquiryResolved { name: &to.name, subject: &to.subject, link: &link, by_mail: reply_to.is_some() };
    queue_about(tx, mailer, to, template, reply_to.as_deref(), now).await
}

/// Queues a mail about an inquiry to its customer, threaded under it (`In-Reply-To` and
/// `References` name the inquiry's thread), with the inquiry's support mailbox as its reply
/// address when there is one.
async fn queue_about(
    tx: &mut WriteTx,
    mailer: &Mailer,
    to: &crate::model::inquiry::AnswerFor,
    template: Template<'_>,
    reply_to: Option<&str>,
    now: i64,
) -> Result<Queued, AppError> {
    let recipient = Recipient { address: &to.email, locale: Locale::parse(&to.locale).unwrap_or_default(), user_id: Some(to.user_id) };
    let inquiry = AboutInquiry { id: to.inquiry_id, created_at: to.inquiry_created_at };
    queue_with(tx, mailer, recipient, template, Some(inquiry), reply_to, now).await
}

/// The Message-ID every mail about inquiry `id` refers to (no mail carries it as its own).
pub fn thread_id(mailer: &Mailer, inquiry: AboutInquiry) -> String {
    format!("<inquiry-{}.{:x}@{}>", inquiry.id, inquiry.created_at, mailer.message_id_host)
}

async fn queue_with(
    tx: &mut WriteTx,
    mailer: &Mailer,
    recipient: Recipient<'_>,
    template: Template<'_>,
    inquiry: Option<AboutInquiry>,
    reply_to: Option<&str>,
    now: i64,
) -> Result<Queued, AppError> {
    let Recipient { address: to, locale, user_id } = recipient;
    let kind = template.kind();
    let to_key = crate::domain::validation::email_key(to);
    if kind.unrequested_by_recipient() {
        let capped: Vec<&str> = MailKind::ALL.into_iter().filter(|k| k.unrequested_by_recipient()).map(MailKind::as_str).collect();
        if outbox::count_recent(tx, &to_key, &capped, now - 3_600_000).await? >= UNREQUESTED_PER_ADDRESS_PER_HOUR {
            return Ok(Queued::CappedForAddress);
        }
    }
    let mut rendered = render(&template, locale);
    if let Some(i) = inquiry {
        // the subject carries the inquiry's tag: a reply whose mail client dropped the threading
        // headers still finds its inquiry
        rendered.subject = format!("{} {}", rendered.subject, crate::domain::email::subject_tag(i.id));
    }
    let message_id = format!("<{:x}.{}@{}>", now, random_hex(8)?, mailer.message_id_host);
    let thread = inquiry.map(|i| (i.id, thread_id(mailer, i)));
    let mail = NewMail {
        message_id: &message_id,
        template: kind.as_str(),
        to,
        to_key: &to_key,
        locale,
        subject: &rendered.subject,
        text: &rendered.text,
        html: &rendered.html,
        user_id,
        thread: thread.as_ref().map(|(id, root)| (*id, root.as_str())),
        reply_to,
    };
    let consent = if kind.needs_consent() { outbox::Consent::Required } else { outbox::Consent::NotNeeded };
    Ok(match outbox::insert(tx, mail, consent, now).await? {
        Some(id) => Queued::Yes { id },
        None => Queued::NoConsent,
    })
}
