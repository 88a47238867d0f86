//! How a queued mail leaves: built as a MIME message (plain text and HTML alternatives) and
//! handed to the configured transport. The embedded default writes each message as an `.eml`
//! file, so a local install shows what would have been sent (SMTP comes with the email channel).

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;
use crate::store::outbox::DueMail;
use std::path::PathBuf;

pub enum Transport {
    /// One `<row id>-<kind>.eml` file per mail in `dir`, written whole or not at all.
    Files { dir: PathBuf },
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
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        // written by the system, not a person: auto-responders must not answer it (RFC 3834)
        .raw_header(raw("Auto-Submitted", "auto-generated"))
        .raw_header(raw("Content-Language", &mail.locale))
        .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
        .map_err(|e| SendError::Permanent(format!("message: {e}")))
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
        }
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
    fn a_recipient_that_is_not_an_address_is_a_permanent_failure() {
        let from: Mailbox = "a@example.com".parse().expect("from");
        assert!(matches!(build(&from, &mail("not an address")), Err(SendError::Permanent(_))));
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
