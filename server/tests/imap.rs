//! Incoming mail over real IMAP: Debian's dovecot on loopback (see `common/imap.rs`) holds a
//! corpus of mails — plain, HTML-only, with an attachment, EUC-KR and ISO-2022-KR, a reply with
//! quotes, a bounce, an auto-reply, a 30 MiB mail, a malformed one — and the server's mail import
//! reads them. Each test asserts what every mail became, that nothing is imported twice, that
//! only what was imported is marked read, and (with aiosmtpd) the whole round trip: a customer
//! mails, an agent answers, the answer arrives threaded, the customer's reply joins the inquiry.

mod common;

use app::mail::inbound::imap;
use app::model::inbound::{InboundOutcome, InboundReason};
use app::store::mailboxes::Mailbox;
use common::imap::Dovecot;
use common::sink::SmtpSink;
use common::TestServer;
use std::time::Duration;

/// Connects the dovecot mailbox to the server (filed under "delivery") and returns it.
async fn connect_mailbox(srv: &TestServer, imap: &Dovecot) -> Mailbox {
    common::imap::add_mailbox(&srv.db, &imap.url()).await
}

fn mail(from: &str, subject: &str, message_id: &str, extra_headers: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: help@example.com\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\nDate: Tue, 01 Dec 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n{extra_headers}Content-Type: {content_type}\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    outcome: InboundOutcome,
    reason: Option<InboundReason>,
    inquiry_id: Option<i64>,
    detail: Option<String>,
    raw_key: Option<String>,
}

async fn inbound(srv: &TestServer, message_id: &str) -> Row {
    sqlx::query_as("SELECT outcome, reason, inquiry_id, detail, raw_key FROM inbound_mails WHERE message_id = $1")
        .bind(message_id)
        .fetch_optional(&srv.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no inbound row for {message_id}"))
}

/// The customer's messages in an inquiry, oldest first.
async fn customer_messages(srv: &TestServer, inquiry: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT body FROM inquiry_messages WHERE inquiry_id = $1 AND author_kind = 'customer' ORDER BY id")
        .bind(inquiry)
        .fetch_all(&srv.db)
        .await
        .expect("messages")
}

#[tokio::test]
async fn a_corpus_of_mails_becomes_inquiries_replies_and_explained_refusals() {
    let srv = TestServer::start(true).await;
    let dovecot = Dovecot::start().await;
    let mailbox = connect_mailbox(&srv, &dovecot).await;

    // a known customer, plain text, a question no FAQ answers
    dovecot.deliver("01-plain", &mail("김민지 <customer1@example.com>", "=?UTF-8?B?7YOd67Cw6rCAIOyVhOyngSDslYgg7JmA7JqU?=", "<plain-1@mail.example.net>", "", "text/plain; charset=utf-8", "지난주에 주문한 의자가 아직 오지 않았어요. 확인 부탁드립니다.\r\n\r\n-- \r\n김민지 드림"));
    // HTML only, from an address with no account
    dovecot.deliver("02-html", &mail("New Person <new.person@example.org>", "Broken zipper", "<html-2@mail.example.org>", "", "text/html; charset=utf-8", "<html><body><p>The zipper of my <b>jacket</b> broke after one day.</p><div>Can I get a new one?</div></body></html>"));
    // text with a PDF attached
    let with_pdf = "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe invoice is attached; the amount is wrong.\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AAA==\r\n--b1--";
    dovecot.deliver("03-attachment", &mail("customer2@example.com", "Wrong invoice", "<pdf-3@mail.example.net>", "", "multipart/mixed; boundary=\"b1\"", with_pdf));
    // EUC-KR, 8-bit: "환불은 언제 되나요?" — and ISO-2022-KR, 7-bit: "한글"
    let (euc, _, _) = encoding_rs::EUC_KR.encode("환불은 언제 되나요? 주문번호는 메일로 보냈습니다.");
    let mut euc_mail = mail("customer3@example.com", "refund", "<euckr-4@mail.example.net>", "Content-Transfer-Encoding: 8bit\r\n", "text/plain; charset=euc-kr", "");
    euc_mail.truncate(euc_mail.len() - 2);
    euc_mail.extend_from_slice(&euc);
    euc_mail.extend_from_slice(b"\r\n");
    dovecot.deliver("04-euc-kr", &euc_mail);
    dovecot.deliver("05-iso-2022-kr", &mail("customer4@example.com", "old client", "<iso-5@mail.example.net>", "Content-Transfer-Encoding: 7bit\r\n", "text/plain; charset=ISO-2022-KR", "\x1b$)C\r\n\x0e\x47\x51\x31\x5b\x0f test"));
    // an out-of-office reply, a mailing list, a bounce of a mail we sent, a malformed mail
    dovecot.deliver("06-auto-reply", &mail("customer1@example.com", "Out of office", "<ooo-6@mail.example.net>", "Auto-Submitted: auto-replied\r\n", "text/plain", "I am away until Monday."));
    dovecot.deliver("07-list", &mail("news@shop.example", "Weekly deals", "<list-7@shop.example>", "List-Id: <deals.shop.example>\r\nPrecedence: bulk\r\n", "text/plain", "Buy now."));
    let sent_id = "<19abc.deadbeef@127.0.0.1>";
    sqlx::query(
        "INSERT INTO email_outbox (message_id, template, kind, to_address, to_key, locale, subject, body_text, body_html, state, next_at, created_at)
         VALUES ($1, 'password_changed', 'transactional', 'gone@example.com', 'gone@example.com', 'en', 's', 't', 'h', 'sent', 0, 0)",
    )
    .bind(sent_id)
    .execute(&srv.db)
    .await
    .expect("sent mail");
    let bounce = format!(
        "--rb\r\nContent-Type: text/plain\r\n\r\nDelivery to gone@example.com failed permanently.\r\n--rb\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n--rb\r\nContent-Type: message/rfc822\r\n\r\nFrom: no-reply@example.com\r\nTo: gone@example.com\r\nSubject: s\r\nMessage-ID: {sent_id}\r\n\r\nt\r\n--rb--"
    );
    dovecot.deliver("08-bounce", &mail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>", "Undelivered Mail Returned to Sender", "<bounce-8@mx.example.com>", "Auto-Submitted: auto-replied\r\n", "multipart/report; report-type=delivery-status; boundary=\"rb\"", &bounce));
    dovecot.deliver("09-malformed", b"\x00\xff\xfe this is not a mail \x00\r\n\x01\x02");
    // 30 MiB: over the 25 MiB limit, refused from its headers without being downloaded
    let mut huge = mail("customer5@example.com", "photos", "<huge-10@mail.example.net>", "", "text/plain", "");
    huge.extend(std::iter::repeat_n(b'x', 30 * 1024 * 1024));
    dovecot.deliver("10-huge", &huge);
    // a photo with no text at all
    dovecot.deliver("11-only-attachment", &mail("customer6@example.com", "photo", "<photo-11@mail.example.net>", "", "multipart/mixed; boundary=\"b2\"", "--b2\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"a.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b2--"));

    let started = std::time::Instant::now();
    let round = imap::read_once(&srv.state, &mailbox).await.expect("the mailbox is read");
    let took = started.elapsed();
    assert_eq!(round.read, 11, "{round:?}");
    assert_eq!(round.duplicates, 0);
    eprintln!("read {} mails (one of 30 MiB refused by size) in {took:?}", round.read);

    // 1: a new email-channel inquiry of the known customer, signature trimmed, subject decoded
    let plain = inbound(&srv, "<plain-1@mail.example.net>").await;
    assert_eq!(plain.outcome, InboundOutcome::NewInquiry);
    let id = plain.inquiry_id.expect("an inquiry");
    let (channel, subject, owner): (String, String, String) = sqlx::query_as(
        "SELECT i.channel, i.subject, u.email FROM inquiries i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.user_id WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(&srv.db)
    .await
    .expect("inquiry");
    assert_eq!((channel.as_str(), subject.as_str(), owner.as_str()), ("email", "택배가 아직 안 와요", "customer1@example.com"));
    assert_eq!(customer_messages(&srv, id).await, ["지난주에 주문한 의자가 아직 오지 않았어요. 확인 부탁드립니다."]);
    assert!(plain.raw_key.is_some(), "the original is kept");

    // 2: an unknown sender becomes a customer who cannot sign in; the HTML is read as text
    let html = inbound(&srv, "<html-2@mail.example.org>").await;
    assert_eq!(html.outcome, InboundOutcome::NewInquiry);
    let text = customer_messages(&srv, html.inquiry_id.expect("inquiry")).await.join("\n");
    assert!(text.contains("The zipper of my jacket broke after one day.") && text.contains("Can I get a new one?") && !text.contains('<'), "{text}");
    let (mail_only, name, locale): (i64, String, String) = sqlx::query_as("SELECT mail_only, display_name, locale FROM users WHERE email_key = 'new.person@example.org'")
        .fetch_one(&srv.db)
        .await
        .expect("user");
    assert_eq!(mail_only, 1);
    assert_eq!((name.as_str(), locale.as_str()), ("New Person", "en"));
    let (status, _) = srv.login(&srv.client(), "new.person@example.org", "any password at all").await;
    assert_ne!(status, 200, "a customer made from a mail cannot sign in");

    // 3: the text of a mail with an attachment
    let pdf = inbound(&srv, "<pdf-3@mail.example.net>").await;
    assert_eq!(pdf.outcome, InboundOutcome::NewInquiry);
    assert_eq!(customer_messages(&srv, pdf.inquiry_id.expect("inquiry")).await, ["The invoice is attached; the amount is wrong."]);
    // its files: the PDF kept (judged as uploads are), the program named but not kept
    let files: Vec<(String, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT kind, name, file_key, refused FROM attachments WHERE inquiry_id = $1 ORDER BY id")
            .bind(pdf.inquiry_id)
            .fetch_all(&srv.db)
            .await
            .expect("attachments");
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!((files[0].0.as_str(), files[0].1.as_str()), ("pdf", "invoice.pdf"));
    let key = app::files::FileKey::parse(files[0].2.as_deref().expect("kept")).expect("key");
    assert!(srv.state.files.get(&key).await.expect("read").expect("stored").starts_with(b"%PDF-1.4"));
    assert_eq!((files[1].0.as_str(), files[1].1.as_str(), files[1].2.as_deref(), files[1].3.as_deref()), ("refused", "setup.exe", None, Some("executable")));

    // 4, 5: Korean charsets decoded
    let euc = inbound(&srv, "<euckr-4@mail.example.net>").await;
    assert_eq!(customer_messages(&srv, euc.inquiry_id.expect("inquiry")).await, ["환불은 언제 되나요? 주문번호는 메일로 보냈습니다."]);
    let iso = inbound(&srv, "<iso-5@mail.example.net>").await;
    assert_eq!(customer_messages(&srv, iso.inquiry_id.expect("inquiry")).await, ["한글 test"]);

    // 6, 7: not from a person: recorded, nothing filed, nothing answered
    let ooo = inbound(&srv, "<ooo-6@mail.example.net>").await;
    assert_eq!((ooo.outcome, ooo.reason, ooo.inquiry_id), (InboundOutcome::Ignored, Some(InboundReason::AutoSubmitted), None));
    let list = inbound(&srv, "<list-7@shop.example>").await;
    assert_eq!((list.outcome, list.reason), (InboundOutcome::Ignored, Some(InboundReason::BulkOrList)));

    // 8: the bounce marks the mail it returns
    assert_eq!(inbound(&srv, "<bounce-8@mx.example.com>").await.outcome, InboundOutcome::Bounce);
    let bounced: Option<i64> = sqlx::query_scalar("SELECT bounced_at FROM email_outbox WHERE message_id = $1").bind(sent_id).fetch_one(&srv.db).await.expect("row");
    assert!(bounced.is_some(), "the returned mail is marked bounced");

    // 9, 10, 11: could not be imported, each with its reason
    let malformed: Row = sqlx::query_as("SELECT outcome, reason, inquiry_id, detail, raw_key FROM inbound_mails WHERE message_id LIKE '%@no-message-id>'")
        .fetch_one(&srv.db)
        .await
        .expect("malformed row");
    assert_eq!((malformed.outcome, malformed.reason), (InboundOutcome::Failed, Some(InboundReason::Malformed)));
    let huge = inbound(&srv, "<huge-10@mail.example.net>").await;
    assert_eq!((huge.outcome, huge.reason), (InboundOutcome::Failed, Some(InboundReason::TooLarge)));
    assert!(huge.detail.as_deref().unwrap_or_default().starts_with("30.0 MiB"), "{:?}", huge.detail);
    assert!(huge.raw_key.is_none(), "a mail over the limit is not downloaded");
    let photo = inbound(&srv, "<photo-11@mail.example.net>").await;
    assert_eq!((photo.outcome, photo.reason), (InboundOutcome::Failed, Some(InboundReason::NoText)));

    // every mail was marked read, and a second round reads nothing
    for name in ["01-plain", "06-auto-reply", "09-malformed", "10-huge"] {
        assert!(dovecot.flags(name).is_some_and(|f| f.contains('S')), "{name} marked \\Seen: {:?}", dovecot.flags(name));
    }
    assert_eq!(imap::read_once(&srv.state, &mailbox).await.expect("again").read, 0);

    // the same mail delivered again (a crash before \Seen) is not imported twice
    dovecot.deliver("12-plain-again", &mail("김민지 <customer1@example.com>", "택배가 아직 안 와요", "<plain-1@mail.example.net>", "", "text/plain; charset=utf-8", "지난주에 주문한 의자가 아직 오지 않았어요."));
    let again = imap::read_once(&srv.state, &mailbox).await.expect("again");
    assert_eq!((again.read, again.duplicates), (1, 1));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries WHERE channel = 'email'").fetch_one(&srv.db).await.expect("count");
    assert_eq!(count, 5, "one inquiry per mail from a person");

    // admins see what was not imported, and can open the original
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv.call(&admin, "admin_mail", &[("locale", "En")]).await;
    assert_eq!(status, 200, "{body}");
    for expected in ["too_large", "malformed", "auto_submitted", "bulk_or_list", "no_text"] {
        assert!(body.contains(expected), "{expected} listed: {body}");
    }
    let ooo_id: i64 = sqlx::query_scalar("SELECT id FROM inbound_mails WHERE message_id = '<ooo-6@mail.example.net>'").fetch_one(&srv.db).await.expect("id");
    let res = admin.get(srv.url(&format!("/mail/inbound/{ooo_id}/original.eml"))).send().await.expect("get");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "message/rfc822");
    assert!(res.text().await.expect("body").contains("I am away until Monday."));
    // a customer never gets an original; an agent only those that joined an inquiry
    let customer = srv.signed_in("customer1@example.com").await;
    assert_eq!(customer.get(srv.url(&format!("/mail/inbound/{ooo_id}/original.eml"))).send().await.expect("get").status().as_u16(), 404);
    let agent = srv.signed_in("agent1@example.com").await;
    assert_eq!(agent.get(srv.url(&format!("/mail/inbound/{ooo_id}/original.eml"))).send().await.expect("get").status().as_u16(), 404);
    let plain_id: i64 = sqlx::query_scalar("SELECT id FROM inbound_mails WHERE message_id = '<plain-1@mail.example.net>'").fetch_one(&srv.db).await.expect("id");
    assert_eq!(agent.get(srv.url(&format!("/mail/inbound/{plain_id}/original.eml"))).send().await.expect("get").status().as_u16(), 200);
}

#[tokio::test]
async fn a_flood_from_one_sender_is_cut_off_and_a_bad_login_is_reported() {
    let srv = TestServer::start_with(true, |c| c.inbound.per_sender_per_hour = 3).await;
    let dovecot = Dovecot::start().await;
    let mailbox = connect_mailbox(&srv, &dovecot).await;
    for n in 0..5 {
        dovecot.deliver(&format!("flood-{n}"), &mail("customer1@example.com", &format!("question {n}"), &format!("<flood-{n}@example.net>"), "", "text/plain", &format!("message number {n} about my order")));
    }
    let round = imap::read_once(&srv.state, &mailbox).await.expect("read");
    assert_eq!(round.read, 5);
    let outcomes: Vec<(String, Option<String>)> = sqlx::query_as("SELECT outcome, reason FROM inbound_mails ORDER BY id").fetch_all(&srv.db).await.expect("rows");
    let filed = outcomes.iter().filter(|o| o.0 == "new_inquiry").count();
    let cut = outcomes.iter().filter(|o| o.1.as_deref() == Some("too_many_from_sender")).count();
    assert_eq!((filed, cut), (3, 2), "{outcomes:?}");

    let wrong = Mailbox { password: "not it".into(), ..mailbox.clone() };
    let err = imap::read_once(&srv.state, &wrong).await.expect_err("refused");
    assert!(err.to_string().contains("refused the user name or password"), "{err}");
    let nowhere = Mailbox { url: format!("imap://127.0.0.1:{}?tls=none", common::sink::free_port()), ..mailbox };
    let err = imap::read_once(&srv.state, &nowhere).await.expect_err("down");
    assert!(err.to_string().starts_with("cannot connect to 127.0.0.1:"), "{err}");
}

#[tokio::test]
async fn a_customer_served_entirely_by_mail() {
    let sink = SmtpSink::started().await;
    let url = sink.url();
    let srv = TestServer::start_with(true, |c| c.smtp_url = Some(url)).await;
    let dovecot = Dovecot::start().await;
    let mailbox = connect_mailbox(&srv, &dovecot).await;

    // 1. the customer mails the support address
    dovecot.deliver("q", &mail("customer7@example.com", "The lamp flickers", "<q-1@customer.example>", "", "text/plain; charset=utf-8", "The lamp I bought flickers when it is switched on."));
    imap::read_once(&srv.state, &mailbox).await.expect("read");
    let id = inbound(&srv, "<q-1@customer.example>").await.inquiry_id.expect("inquiry");

    // 2. an agent answers in the console
    let agent = srv.signed_in("agent1@example.com").await;
    let (status, body) = srv
        .call(&agent, "agent_reply", &[("id", &id.to_string()), ("body", "Please try another bulb; if it still flickers we replace the lamp."), ("template_id", ""), ("next_status", "waiting_customer")])
        .await;
    assert_eq!(status, 200, "{body}");

    // 3. the answer arrives in the customer's mailbox, threaded, with the support address to reply to
    let mails = sink.mails_to("customer7@example.com").await;
    assert_eq!(mails.len(), 1);
    let answer = mail_parser::MessageParser::default().parse(mails[0].as_bytes()).expect("MIME");
    let thread = format!("<{}>", answer.in_reply_to().as_text().expect("In-Reply-To"));
    assert!(thread.starts_with(&format!("<inquiry-{id}.")), "{thread}");
    assert_eq!(answer.reply_to().and_then(|a| a.first()).and_then(|a| a.address()), Some("help@example.com"));
    assert!(answer.subject().expect("subject").ends_with(&format!("[#Q-{id}]")), "{:?}", answer.subject());
    assert!(answer.body_text(0).expect("text").contains("Please try another bulb"));

    // 4. the customer replies from their mail client: quote and all
    let answer_id = format!("<{}>", answer.message_id().expect("Message-ID"));
    let reply = "I tried another bulb and it still flickers.\r\n\r\nOn Tue, 1 Dec 2026 at 11:00, cybercenter <no-reply@example.com> wrote:\r\n> Please try another bulb; if it still flickers we replace the lamp.\r\n";
    dovecot.deliver("r", &mail("customer7@example.com", &format!("Re: {}", answer.subject().expect("subject")), "<r-2@customer.example>", &format!("In-Reply-To: {answer_id}\r\nReferences: {thread} {answer_id}\r\n"), "text/plain; charset=utf-8", reply));
    imap::read_once(&srv.state, &mailbox).await.expect("read reply");
    let row = inbound(&srv, "<r-2@customer.example>").await;
    assert_eq!((row.outcome, row.inquiry_id), (InboundOutcome::Reply, Some(id)), "the reply joins the same inquiry");
    assert_eq!(customer_messages(&srv, id).await, ["The lamp I bought flickers when it is switched on.", "I tried another bulb and it still flickers."]);
    let status: String = sqlx::query_scalar("SELECT status FROM inquiries WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("status");
    assert_eq!(status, "open", "back with the agents");

    // 5. a reply whose client dropped the headers finds the inquiry by the subject tag — but
    // another customer using the same tag starts their own inquiry
    dovecot.deliver("s", &mail("customer7@example.com", &format!("Re: lamp [#Q-{id}]"), "<s-3@customer.example>", "", "text/plain", "Any news?"));
    dovecot.deliver("t", &mail("customer8@example.com", &format!("Re: lamp [#Q-{id}]"), "<t-4@other.example>", "", "text/plain", "I want to see this inquiry"));
    imap::read_once(&srv.state, &mailbox).await.expect("read");
    assert_eq!(inbound(&srv, "<s-3@customer.example>").await.inquiry_id, Some(id));
    let other = inbound(&srv, "<t-4@other.example>").await;
    assert_eq!(other.outcome, InboundOutcome::NewInquiry);
    assert_ne!(other.inquiry_id, Some(id));
    tokio::time::sleep(Duration::from_millis(10)).await;
}

#[tokio::test]
async fn the_worker_reads_an_enabled_mailbox_and_hears_a_new_mail_over_idle() {
    let srv = TestServer::start(true).await;
    let dovecot = Dovecot::start().await;
    let mailbox = connect_mailbox(&srv, &dovecot).await;
    // enabled, polling only once an hour: a mail read within seconds was heard over IDLE
    sqlx::query("UPDATE mailboxes SET enabled = 1, poll_seconds = 3600, updated_at = 1 WHERE id = $1").bind(mailbox.id).execute(&srv.db).await.expect("enable");
    let mut read = false;
    for _ in 0..300 {
        let polled: Option<i64> = sqlx::query_scalar("SELECT last_polled_at FROM mailboxes WHERE id = $1").bind(mailbox.id).fetch_one(&srv.db).await.expect("mailbox");
        if polled.is_some() {
            read = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(read, "the supervisor starts a reader within its 15 s settings round");
    tokio::time::sleep(Duration::from_millis(300)).await; // the reader is idling now
    dovecot.deliver("idle", &mail("customer12@example.com", "Heard at once", "<idle-1@customer.example>", "", "text/plain", "Is my order on its way?"));
    let mut found = None;
    for _ in 0..300 {
        found = sqlx::query_scalar::<_, i64>("SELECT inquiry_id FROM inbound_mails WHERE message_id = '<idle-1@customer.example>'").fetch_optional(&srv.db).await.expect("query");
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found.is_some(), "a new mail is imported within 30 s although the mailbox polls hourly: IDLE woke the reader");
    assert!(dovecot.flags("idle").is_some_and(|f| f.contains('S')));
}
