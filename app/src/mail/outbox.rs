//! Queuing a mail: rendered in the recipient's language, capped per address for mails a stranger
//! can cause, and stored (`store::outbox`) in the transaction of the change that causes it.

use super::templates::{render, Template};
use super::{random_hex, MailKind, Mailer, UNREQUESTED_PER_ADDRESS_PER_HOUR};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::store::outbox::{self, NewMail};
use crate::store::WriteTx;

/// Whether a mail was queued, or left out because its address had enough unrequested mail
/// this hour (the request still succeeds and says the same: the caller cannot tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    Yes,
    CappedForAddress,
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
/// Every mail queued so far is transactional (about the person's own account or request).
pub async fn queue(
    tx: &mut WriteTx,
    mailer: &Mailer,
    recipient: Recipient<'_>,
    template: Template<'_>,
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
    let rendered = render(&template, locale);
    let message_id = format!("<{:x}.{}@{}>", now, random_hex(8)?, mailer.message_id_host);
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
    };
    outbox::insert(tx, mail, now).await?;
    Ok(Queued::Yes)
}
