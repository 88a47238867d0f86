//! One mail as read from a mailbox, reduced to what the import needs: who wrote it, what it
//! answers, whether a person wrote it, and the customer's words (quotes and signature trimmed),
//! or why it cannot be read.

use crate::domain::email::{self, Headers, Screen};
use crate::model::inbound::InboundReason;
use mail_parser::{MessageParser, MimeHeaders, PartType};

#[derive(Debug, Clone)]
pub struct Incoming {
    /// `<…>`; a mail without one gets `<sha256-of-the-mail@no-message-id>`, the same every
    /// time the same mail is read, so importing stays idempotent.
    pub message_id: String,
    /// Lower-case-insensitive as written (`kim@example.com`); empty when there is none.
    pub from_address: String,
    pub from_name: Option<String>,
    pub subject: String,
    /// `In-Reply-To` then `References`, each `<…>`.
    pub refers_to: Vec<String>,
    pub screen: Screen,
    /// For a bounce: the Message-IDs of the mails it reports on.
    pub bounced: Vec<String>,
    /// The customer's words, or why there are none.
    pub text: Result<String, InboundReason>,
    pub attachments: usize,
}

/// The Message-ID given to a mail that has none: its bytes' digest, the same every time it is read.
pub fn without_message_id(digest: &crate::files::FileKey) -> String {
    format!("<{}@no-message-id>", digest.as_str())
}

fn angle(id: &str) -> String {
    format!("<{}>", id.trim().trim_start_matches('<').trim_end_matches('>'))
}

/// Reads `raw`. Never fails: what cannot be read is said in `text` (or the `Err` of the whole
/// mail when it has no headers at all).
pub fn parse(raw: &[u8], own_address: &str) -> Result<Incoming, InboundReason> {
    let msg = MessageParser::default().parse(raw).ok_or(InboundReason::Malformed)?;
    // the parser reads anything; a "mail" with none of the headers every mail has is not one
    if !["From", "Subject", "Date", "Message-ID", "To"].iter().any(|h| msg.header_raw(*h).is_some()) {
        return Err(InboundReason::Malformed);
    }
    let from = msg.from().and_then(|a| a.first());
    let from_address = from.and_then(|a| a.address()).unwrap_or_default().trim().to_string();
    let from_name = from.and_then(|a| a.name()).map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let message_id = match msg.message_id() {
        Some(id) if !id.trim().is_empty() => angle(id),
        _ => without_message_id(&crate::files::FileKey::of(raw)),
    };
    let mut refers_to: Vec<String> = Vec::new();
    for list in [msg.in_reply_to().as_text_list(), msg.references().as_text_list()].into_iter().flatten() {
        for id in list {
            let id = angle(id);
            if !refers_to.contains(&id) {
                refers_to.push(id);
            }
        }
    }
    let header = |name: &'static str| msg.header_raw(name).map(str::trim);
    let report = msg
        .content_type()
        .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart") && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report")) && ct.attribute("report-type").is_some_and(|t| t.eq_ignore_ascii_case("delivery-status")));
    let screen = email::screen(&Headers {
        from_address: &from_address,
        auto_submitted: header("Auto-Submitted"),
        precedence: header("Precedence"),
        autoreply_marker: header("X-Autoreply").is_some()
            || header("X-Autorespond").is_some()
            || header("X-Auto-Response-Suppress").is_some_and(|v| v.to_ascii_lowercase().contains("oof") || v.eq_ignore_ascii_case("all")),
        list_header: header("List-Id").is_some() || header("List-Unsubscribe").is_some(),
        delivery_report: report,
        own_address,
    });
    let bounced = if screen == Screen::Bounce { bounced_ids(&msg, &message_id) } else { Vec::new() };
    let text = if from_address.is_empty() {
        Err(InboundReason::NoSender)
    } else {
        body_text(&msg, raw).map(|t| email::trim_reply(&t)).and_then(|t| if t.trim().is_empty() { Err(InboundReason::NoText) } else { Ok(t) })
    };
    Ok(Incoming {
        message_id,
        from_address,
        from_name,
        subject: msg.subject().map(|s| s.trim().to_string()).unwrap_or_default(),
        refers_to,
        screen,
        bounced,
        text,
        attachments: msg.attachment_count(),
    })
}

/// A file a mail brought: its name as the mail gives it, and its bytes (decoded).
pub struct MailFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The mail's attachments, in order (inline images with a name included; the body parts are not).
pub fn files(raw: &[u8]) -> Vec<MailFile> {
    let Some(msg) = MessageParser::default().parse(raw) else { return Vec::new() };
    msg.attachments()
        .map(|part| MailFile {
            name: part.attachment_name().map(str::to_string).unwrap_or_default(),
            bytes: part.contents().to_vec(),
        })
        .collect()
}

/// The first text body (an HTML-only mail's HTML as text), decoded from its charset.
fn body_text(msg: &mail_parser::Message<'_>, raw: &[u8]) -> Result<String, InboundReason> {
    let Some(part) = msg.text_part(0) else {
        return Err(InboundReason::NoText);
    };
    let charset = part.content_type().and_then(|ct| ct.attribute("charset")).map(|c| c.trim().to_ascii_lowercase());
    match charset.as_deref() {
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => {}
        Some("iso-2022-kr" | "csiso2022kr") => return iso_2022_kr(part, raw),
        Some(label) if mail_parser::decoders::charsets::map::charset_decoder(label.as_bytes()).is_some() => {}
        Some(_) => return Err(InboundReason::UnknownCharset),
    }
    msg.body_text(0).map(|t| t.into_owned()).ok_or(InboundReason::NoText)
}

/// A part in ISO-2022-KR, which the parser does not decode: its bytes, transfer-decoded, as
/// EUC-KR (see `domain::email`).
fn iso_2022_kr(part: &mail_parser::MessagePart<'_>, raw: &[u8]) -> Result<String, InboundReason> {
    let body = raw.get(part.offset_body as usize..part.offset_end as usize).ok_or(InboundReason::Malformed)?;
    let decoded = match part.encoding {
        mail_parser::Encoding::Base64 => mail_parser::decoders::base64::base64_decode(body).ok_or(InboundReason::Malformed)?,
        mail_parser::Encoding::QuotedPrintable => mail_parser::decoders::quoted_printable::quoted_printable_decode(body).ok_or(InboundReason::Malformed)?,
        mail_parser::Encoding::None => body.to_vec(),
    };
    let euc_kr = email::iso_2022_kr_to_euc_kr(&decoded).ok_or(InboundReason::UnknownCharset)?;
    let (text, _, had_errors) = encoding_rs::EUC_KR.decode(&euc_kr);
    if had_errors {
        return Err(InboundReason::UnknownCharset);
    }
    let text = text.into_owned();
    Ok(match part.body {
        PartType::Html(_) => mail_parser::decoders::html::html_to_text(&text),
        _ => text,
    })
}

/// The Message-IDs a delivery report names: the returned message (or its headers) it carries.
fn bounced_ids(msg: &mail_parser::Message<'_>, own_id: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for part in msg.parts.iter() {
        match &part.body {
            PartType::Message(inner) => ids.extend(inner.message_id().map(angle)),
            PartType::Text(text) => {
                for line in text.lines() {
                    if let Some((name, value)) = line.split_once(':') {
                        if name.trim().eq_ignore_ascii_case("message-id") && value.contains('@') {
                            ids.push(angle(value));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    ids.retain(|id| id != own_id);
    ids.dedup();
    ids
}
