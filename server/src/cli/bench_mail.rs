//! `cybercenter bench-mail [--mails N] [--imap URL USER PASSWORD] [--smtp URL]`: what mail costs.
//! On a temporary database with the demo data, in one run:
//! - the import: N mails (half from customers, half from unknown senders, each a new inquiry)
//!   filed by `mail::inbound::import`, against the same texts filed as web inquiries
//!   (`store::inquiries::create` with the FAQ match, what the web form does);
//! - with `--imap`, N more mails appended to that mailbox (a dovecot `bench/mail.sh` starts),
//!   then every unseen mail read over IMAP and imported;
//! - the sender: N mails queued and delivered as `.eml` files, and with `--smtp` to that SMTP
//!   server (aiosmtpd, started by the script), mails per second each.

use app::mail::inbound::import::{import, Imported, Source};
use std::time::{Duration, Instant};

#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub mails: usize,
    pub imap: Option<(String, String, String)>,
    pub smtp: Option<String>,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let usage = || "usage: cybercenter bench-mail [--mails N] [--imap URL USER PASSWORD] [--smtp URL]".to_string();
    let mut o = Options { mails: 2_000, ..Default::default() };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--mails" => o.mails = it.next().and_then(|v| v.parse().ok()).filter(|n| *n > 0).ok_or_else(usage)?,
            "--imap" => {
                let mut next = || it.next().cloned().ok_or_else(usage);
                o.imap = Some((next()?, next()?, next()?));
            }
            "--smtp" => o.smtp = Some(it.next().cloned().ok_or_else(usage)?),
            _ => return Err(usage()),
        }
    }
    Ok(o)
}

/// The mail `n` of a run: a customer's or a stranger's question, in Korean or English.
pub fn sample_mail(n: usize, customers: &[String]) -> Vec<u8> {
    let from = if n.is_multiple_of(2) && !customers.is_empty() { customers[n / 2 % customers.len()].clone() } else { format!("sender{n}@bench.example") };
    let (subject, body) = if n.is_multiple_of(3) {
        (format!("주문 {n} 배송 문의"), format!("주문번호 {n}번 상품이 아직 도착하지 않았습니다. 언제 받을 수 있을까요?\r\n\r\n-- \r\n보낸 사람"))
    } else {
        (format!("Question about order {n}"), format!("Hello, my order {n} arrived damaged. Can you replace it?\r\n\r\nOn Mon, 1 Dec 2026, Shop <help@shop.example> wrote:\r\n> Thank you for your order."))
    };
    format!(
        "From: {from}\r\nTo: help@example.com\r\nSubject: =?UTF-8?B?{}?=\r\nMessage-ID: <bench-{n}-{}@bench.example>\r\nDate: Wed, 02 Dec 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        base64(subject.as_bytes()),
        std::process::id(),
    )
    .into_bytes()
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn state_in(dir: &std::path::Path, smtp: Option<String>) -> Result<app::state::AppState, String> {
    let config = crate::config::Config {
        site_addr: "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        site_root: dir.join("site").display().to_string(),
        database_url: format!("sqlite://{}", dir.join("bench.db").display()),
        demo_data: true,
        secure_cookies: false,
        session_lifetime: Duration::from_secs(3600),
        max_connections: 1000,
        header_timeout: Duration::from_secs(10),
        public_url: "http://127.0.0.1:3000".into(),
        mail_from: "cybercenter <no-reply@example.com>".into(),
        smtp_url: smtp,
        outbox_dir: dir.join("outbox"),
        files_dir: dir.join("files"),
        mail_ca_file: None,
        inbound: app::mail::inbound::import::InboundLimits { max_bytes: 25 * 1024 * 1024, per_sender_per_hour: 1_000_000 },
        attach: Default::default(),
        secret_key_file: dir.join("secret.key"),
        e5_model: None,
    };
    Ok(crate::build(&config).await.map_err(|e| e.to_string())?.state)
}

async fn customers(state: &app::state::AppState) -> Result<Vec<String>, String> {
    sqlx::query_scalar("SELECT email FROM users WHERE role = 'customer' ORDER BY id").fetch_all(&state.db).await.map_err(|e| e.to_string())
}

/// Customers of the bench's own, with no history (the demo customers' recent inquiries would
/// count against the hourly quota on new inquiries): enough that none files more than ten.
async fn bench_customers(state: &app::state::AppState, n: usize) -> Result<Vec<(i64, String)>, String> {
    let mut out = Vec::new();
    let mut tx = app::store::write_tx(&state.db).await.map_err(|e| e.to_string())?;
    for i in 0..n {
        let email = format!("customer{i}@bench.example");
        let id = app::store::users::create_mail_only_customer(&mut tx, &format!("Bench {i}"), &email, app::i18n::Locale::Ko, app::store::now_ms())
            .await
            .map_err(|e| e.to_string())?;
        out.push((id, email));
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(out)
}

/// Queues `n` mails and waits until the sender has delivered them all; mails per second.
async fn send(state: &app::state::AppState, n: usize) -> Result<f64, String> {
    use app::mail::outbox::{queue, Recipient};
    use app::mail::templates::Template;
    let to = customers(state).await?;
    let started = Instant::now();
    let mut tx = app::store::write_tx(&state.db).await.map_err(|e| e.to_string())?;
    for i in 0..n {
        let address = &to[i % to.len()];
        let recipient = Recipient { address, locale: app::i18n::Locale::Ko, user_id: None };
        queue(&mut tx, &state.mail, recipient, Template::PasswordChanged { name: "벤치" }, app::store::now_ms()).await.map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    state.mail.queued();
    loop {
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE state = 'pending'").fetch_one(&state.db).await.map_err(|e| e.to_string())?;
        if pending == 0 {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err(format!("{pending} mails still pending after 10 minutes"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE state <> 'sent'").fetch_one(&state.db).await.map_err(|e| e.to_string())?;
    if failed > 0 {
        return Err(format!("{failed} mails were not delivered"));
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let state = state_in(dir.path(), None).await?;
    let known = bench_customers(&state, o.mails / 10 + 1).await?;
    let customers: Vec<String> = known.iter().map(|(_, e)| e.clone()).collect();
    let source = Source { mailbox_id: None, type_code: "delivery".into() };

    // baseline: the same texts filed as web inquiries (validated, FAQ-matched, routed)
    let mut baseline = Duration::ZERO;
    for n in 0..o.mails {
        let raw = sample_mail(n, &customers);
        let parsed = app::mail::inbound::parse::parse(&raw, "no-reply@example.com").map_err(|e| e.to_string())?;
        let text = parsed.text.map_err(|e| e.to_string())?;
        let customer = known[n % known.len()].0;
        let started = Instant::now();
        let new = app::domain::inquiry::NewInquiry { type_code: "delivery".into(), order_no: None, subject: parsed.subject.clone(), body: text, idempotency_key: format!("web-{n}") };
        let best = state.faq.current().best(&app::faq::index::inquiry_text(&new.subject, &new.body)).map(Into::into);
        let now = app::store::now_ms();
        match app::store::inquiries::create(&state.db, customer, &new, app::model::Channel::Web, best, now).await.map_err(|e| e.to_string())? {
            app::store::inquiries::Created::New { tx, .. } => tx.commit().await.map_err(|e| e.to_string())?,
            app::store::inquiries::Created::Existing(_) => return Err("baseline inquiry existed".into()),
        }
        baseline += started.elapsed();
    }

    let mut imported = 0;
    let mut other = std::collections::BTreeMap::<String, usize>::new();
    let mut took = Duration::ZERO;
    for n in 0..o.mails {
        let raw = sample_mail(n, &customers);
        let started = Instant::now();
        let done = import(&state, &source, &raw, app::store::now_ms()).await.map_err(|e| e.to_string())?;
        took += started.elapsed();
        match done {
            Imported::Recorded { inquiry_id: Some(_), .. } => imported += 1,
            other_outcome => *other.entry(format!("{other_outcome:?}")).or_default() += 1,
        }
    }
    if imported != o.mails {
        return Err(format!("only {imported} of {} mails became inquiries; the others: {other:?}", o.mails));
    }
    let per_web = baseline.as_secs_f64() * 1000.0 / o.mails as f64;
    let per_mail = took.as_secs_f64() * 1000.0 / o.mails as f64;
    println!("mails imported      {:>8.0} /s   {per_mail:.2} ms each   ({:.2}× a web inquiry: {per_web:.2} ms, same run)", 1000.0 / per_mail, per_mail / per_web);

    if let Some((url, user, password)) = &o.imap {
        let type_id: i64 = sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = 'delivery'").fetch_one(&state.db).await.map_err(|e| e.to_string())?;
        let settings = app::store::mailboxes::MailboxSettings {
            address: "help@example.com",
            url,
            username: user,
            password: Some(password),
            folder: "INBOX",
            type_id,
            poll_seconds: 60,
            enabled: false,
        };
        let mut tx = app::store::write_tx(&state.db).await.map_err(|e| e.to_string())?;
        let id = app::store::mailboxes::insert(&mut tx, &settings, app::store::now_ms()).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        let mailbox = app::store::mailboxes::get(&state.db, id).await.map_err(|e| e.to_string())?.ok_or("mailbox")?;
        // delivered first (not timed): the same number of new mails, appended over IMAP
        let (mut session, _) = app::mail::inbound::imap::connect(&state.mail.tls, &mailbox).await.map_err(|e| e.to_string())?;
        for n in o.mails..2 * o.mails {
            session.append("INBOX", None, None, sample_mail(n, &customers)).await.map_err(|e| e.to_string())?;
        }
        let _ = session.logout().await;
        let started = Instant::now();
        let round = app::mail::inbound::imap::read_once(&state, &mailbox).await.map_err(|e| e.to_string())?;
        let secs = started.elapsed().as_secs_f64();
        println!("read over IMAP      {:>8.0} /s   {} mails in {secs:.2} s ({} imported, {} already known)", round.read as f64 / secs, round.read, round.imported, round.duplicates);
    }

    let files = send(&state, o.mails).await?;
    println!("sent as .eml files  {files:>8.0} /s");
    if let Some(url) = o.smtp {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let smtp_state = state_in(dir.path(), Some(url)).await?;
        let smtp = send(&smtp_state, o.mails).await?;
        println!("sent over SMTP      {smtp:>8.0} /s   ({:.2}× the files, same run)", smtp / files);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let args = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(parse_args(&args("")).expect("defaults").mails, 2_000);
        let o = parse_args(&args("--mails 10 --imap imap://127.0.0.1:1?tls=none u p --smtp smtp://127.0.0.1:2?tls=none")).expect("all");
        assert_eq!(o.mails, 10);
        assert_eq!(o.imap, Some(("imap://127.0.0.1:1?tls=none".into(), "u".into(), "p".into())));
        assert!(parse_args(&args("--mails 0")).is_err());
        assert!(parse_args(&args("--imap a b")).is_err());
    }

    #[test]
    fn sample_mails_parse_and_alternate_senders() {
        let customers = vec!["customer1@example.com".to_string()];
        let a = app::mail::inbound::parse::parse(&sample_mail(0, &customers), "x@y.z").expect("parse");
        let b = app::mail::inbound::parse::parse(&sample_mail(1, &customers), "x@y.z").expect("parse");
        assert_eq!(a.from_address, "customer1@example.com");
        assert_eq!(a.subject, "주문 0 배송 문의");
        assert_eq!(b.from_address, "sender1@bench.example");
        assert_eq!(b.text.as_deref().ok(), Some("Hello, my order 1 arrived damaged. Can you replace it?"));
    }
}
