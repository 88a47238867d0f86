//! Attachments end to end on the real server: files posted with the forms (multipart, streamed
//! to the file store), judged by their content, listed in the thread, and downloaded only by
//! those who may read the thread.

mod common;

use common::{multipart, TestServer};

async fn post(srv: &TestServer, c: &reqwest::Client, endpoint: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (u16, String) {
    common::post_multipart(srv, c, endpoint, fields, files).await
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x04\0\x09\xfb\x03\xfd\xe3U\xf2\x9c\0\0\0\0IEND\xaeB`\x82";
const PDF: &[u8] = b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

fn new_inquiry<'a>(key: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("type_code", "returns"), ("order_no", ""), ("subject", "반품 사진을 보냅니다"), ("body", body), ("idempotency_key", key)]
}

/// Files an inquiry with files as customer1; returns its id.
async fn file_with(srv: &TestServer, c: &reqwest::Client, key: &str, files: &[(&str, &[u8])]) -> i64 {
    let (status, body) = post(srv, c, "file_inquiry", &new_inquiry(key, "포장이 찢어져서 왔어요. 사진과 영수증을 첨부합니다."), files).await;
    assert_eq!(status, 200, "{body}");
    let path: String = serde_json::from_str(&body).expect("path");
    path.trim_start_matches("/my/inquiries/").parse().expect("id")
}

async fn attachment_ids(srv: &TestServer, inquiry: i64) -> Vec<(i64, String, String)> {
    sqlx::query_as("SELECT id, kind, name FROM attachments WHERE inquiry_id = $1 ORDER BY id").bind(inquiry).fetch_all(&srv.db).await.expect("attachments")
}

#[tokio::test]
async fn files_reach_only_the_people_who_may_read_the_thread() {
    let srv = TestServer::start(true).await;
    let owner = srv.signed_in("customer1@example.com").await;
    let id = file_with(&srv, &owner, "k-files-1", &[("사진.png", PNG), ("C:\\docs\\영수증.pdf", PDF)]).await;
    let rows = attachment_ids(&srv, id).await;
    assert_eq!(rows.iter().map(|r| (r.1.as_str(), r.2.as_str())).collect::<Vec<_>>(), vec![("png", "사진.png"), ("pdf", "영수증.pdf")]);
    let (png, pdf) = (rows[0].0, rows[1].0);

    // the thread lists them with the customer's first message
    let (status, body) = srv.call(&owner, "my_inquiry", &[("id", &id.to_string()), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    let detail: serde_json::Value = serde_json::from_str(&body).expect("json");
    let listed: Vec<String> = detail["messages"][0]["attachments"].as_array().expect("list").iter().map(|a| a["name"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(listed, vec!["사진.png", "영수증.pdf"]);

    // the owner gets them: the image inline, the PDF as a download, never sniffed
    let res = owner.get(srv.url(&format!("/attachments/{png}"))).send().await.expect("get");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(res.headers()["content-disposition"].to_str().expect("ascii").starts_with("inline;"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PNG);
    let res = owner.get(srv.url(&format!("/attachments/{pdf}"))).send().await.expect("get");
    assert_eq!(res.status().as_u16(), 200);
    let disposition = res.headers()["content-disposition"].to_str().expect("ascii").to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D.pdf"), "{disposition}");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);

    // another customer, an agent outside the inquiry's group: "not found", like an id that is not there
    let other = srv.signed_in("customer2@example.com").await;
    let outsider = srv.signed_in("agent3@example.com").await;
    for (who, c) in [("customer2", &other), ("agent3", &outsider)] {
        for a in [png, pdf, 999_999] {
            let res = c.get(srv.url(&format!("/attachments/{a}"))).send().await.expect("get");
            assert_eq!(res.status().as_u16(), 404, "{who} must not get attachment {a}");
        }
    }
    let res = srv.client().get(srv.url(&format!("/attachments/{png}"))).send().await.expect("get");
    assert_eq!(res.status().as_u16(), 401, "signed out");
    // the group's agent and the admin may
    for email in ["agent1@example.com", "admin@example.com"] {
        let c = srv.signed_in(email).await;
        let res = c.get(srv.url(&format!("/attachments/{pdf}"))).send().await.expect("get");
        assert_eq!(res.status().as_u16(), 200, "{email}");
    }
}

#[tokio::test]
async fn programs_and_unknown_files_are_refused_by_content_and_nothing_is_saved() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer1@example.com").await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries").fetch_one(&srv.db).await.expect("count");
    let exe: &[u8] = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0This program cannot be run in DOS mode.";
    let (status, body) = post(&srv, &c, "file_inquiry", &new_inquiry("k-exe", "영수증입니다"), &[("invoice.pdf", exe), ("data.bin", b"\0\x01\x02\x03"), ("ok.png", PNG)]).await;
    assert_eq!(status, 422, "{body}");
    let err: serde_json::Value = serde_json::from_str(&body).expect("json");
    let problems = &err["Invalid"];
    assert_eq!(problems[0]["field"], "files");
    assert_eq!(problems[0]["code"]["Attachment"]["name"], "invoice.pdf");
    assert_eq!(problems[0]["code"]["Attachment"]["problem"]["Refused"], "Executable");
    assert_eq!(problems[1]["code"]["Attachment"]["name"], "data.bin");
    assert_eq!(problems[1]["code"]["Attachment"]["problem"]["Refused"], "NotAllowed");
    assert_eq!(problems.as_array().map(Vec::len), Some(2), "the PNG was fine: {body}");
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries").fetch_one(&srv.db).await.expect("count");
    assert_eq!(before, after, "no inquiry without its files");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments").fetch_one(&srv.db).await.expect("count");
    assert_eq!(stored, 0);
    // and no spool file was left behind
    let incoming = std::path::Path::new(&srv.files_dir()).join(".incoming");
    let left = std::fs::read_dir(&incoming).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "spools of a refused form are removed");

    // a text file named like a program keeps its content's ending
    let id = file_with(&srv, &c, "k-txt", &[("run.exe", b"just a note\r\n")]).await;
    let rows = attachment_ids(&srv, id).await;
    assert_eq!((rows[0].1.as_str(), rows[0].2.as_str()), ("text", "run.exe.txt"));
}

#[tokio::test]
async fn limits_name_the_file_and_bodies_past_them_are_refused_unread() {
    let srv = TestServer::start_with(true, |c| {
        c.attach = app::domain::attachment::AttachLimits { per_file: 1024 * 1024, per_message: 2 * 1024 * 1024, files: 3 };
    })
    .await;
    let c = srv.signed_in("customer1@example.com").await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(1024 * 1024 + 10, b'a');
    let mut part = b"%PDF-1.4\n".to_vec();
    part.resize(900 * 1024, b'b');
    let (status, body) = post(&srv, &c, "file_inquiry", &new_inquiry("k-big", "큰 파일"), &[("big.pdf", &big)]).await;
    assert_eq!(status, 422, "{body}");
    let err: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(err["Invalid"][0]["code"]["Attachment"]["name"], "big.pdf");
    assert_eq!(err["Invalid"][0]["code"]["Attachment"]["problem"]["TooLarge"]["max_mib"], 1);
    let (status, body) = post(&srv, &c, "file_inquiry", &new_inquiry("k-many", "여러 파일"), &[("a.pdf", &part), ("b.pdf", &part), ("c.pdf", &part)]).await;
    assert_eq!(status, 422, "{body}");
    let err: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(err["Invalid"][0]["code"]["Attachment"]["name"], "c.pdf");
    assert_eq!(err["Invalid"][0]["code"]["Attachment"]["problem"]["MessageTooLarge"]["max_mib"], 2);
    assert_eq!(err["Invalid"].as_array().map(Vec::len), Some(1), "{body}");

    // a body announced larger than a message's files may be: refused before it is read
    let res = c
        .post(srv.url("/api/file_inquiry"))
        .header("origin", &srv.base)
        .header("content-type", "multipart/form-data; boundary=x")
        .body(vec![b'x'; 4 * 1024 * 1024])
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 413);
    // not multipart at all: refused before the form reader
    let (status, _) = srv.call(&c, "file_inquiry", &[("subject", "x")]).await;
    assert_eq!(status, 415);
    // everything else keeps the 1 MB limit
    let res = c.post(srv.url("/api/create_inquiry")).header("origin", &srv.base).body(vec![b'a'; 2 * 1024 * 1024]).send().await.expect("send");
    assert_eq!(res.status().as_u16(), 413);
}

#[tokio::test]
async fn a_plain_form_post_comes_back_to_the_form_with_the_error() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer1@example.com").await;
    let (ct, body) = multipart(&new_inquiry("k-plain", "본문"), &[("virus.jpg", b"\x7fELF\x02\x01\x01\0")]);
    let res = c
        .post(srv.url("/api/file_inquiry"))
        .header("origin", &srv.base)
        .header("accept", "text/html")
        .header("referer", srv.url("/my/inquiries/new"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 302);
    let location = res.headers()["location"].to_str().expect("ascii").to_string();
    assert!(location.starts_with(&srv.url("/my/inquiries/new?")) && location.contains("__err="), "{location}");
    // the form page shows which file and why
    let page = c.get(&location).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("virus.jpg"), "the error names the file");
    assert!(page.contains("실행 파일"), "and says why");
    assert!(page.contains("enctype=\"multipart/form-data\""));
}

#[tokio::test]
async fn an_internal_notes_files_stay_with_the_agents_and_a_replys_reach_the_customer() {
    let srv = TestServer::start(true).await;
    let customer = srv.signed_in("customer1@example.com").await;
    let id = file_with(&srv, &customer, "k-agent", &[]).await;
    let agent = srv.signed_in("agent1@example.com").await;
    let ids = id.to_string();
    let note = [("id", ids.as_str()), ("kind", "note"), ("body", "내부 확인용 캡처"), ("template_id", ""), ("next_status", "")];
    let (status, body) = post(&srv, &agent, "agent_compose", &note, &[("capture.png", PNG)]).await;
    assert_eq!(status, 200, "{body}");
    let reply = [("id", ids.as_str()), ("kind", "reply"), ("body", "반품 안내서를 첨부합니다."), ("template_id", ""), ("next_status", "")];
    let (status, body) = post(&srv, &agent, "agent_compose", &reply, &[("반품안내.pdf", PDF)]).await;
    assert_eq!(status, 200, "{body}");
    let rows = attachment_ids(&srv, id).await;
    assert_eq!(rows.len(), 2);
    let (note_file, reply_file) = (rows[0].0, rows[1].0);

    let (_, body) = srv.call(&customer, "my_inquiry", &[("id", &ids), ("locale", "Ko")]).await;
    assert!(body.contains("반품안내.pdf") && !body.contains("capture.png"), "{body}");
    let res = customer.get(srv.url(&format!("/attachments/{note_file}"))).send().await.expect("get");
    assert_eq!(res.status().as_u16(), 404, "a note's file is not the customer's");
    let res = customer.get(srv.url(&format!("/attachments/{reply_file}"))).send().await.expect("get");
    assert_eq!(res.status().as_u16(), 200);
    // the answer's mail carries the answer's file (and nothing of the note)
    let mail = srv.mail_to("customer1@example.com", "inquiry_answered").await;
    let parsed = mail_parser::MessageParser::default().parse(mail.raw.as_bytes()).expect("mime");
    assert_eq!(parsed.attachment_count(), 1, "{}", mail.raw);
    let file = parsed.attachment(0).expect("file");
    assert_eq!((mail_parser::MimeHeaders::attachment_name(file), file.contents()), (Some("반품안내.pdf"), PDF));
    assert!(mail.text.contains("반품 안내서를 첨부합니다."));
    // and the customer answers with only a photo
    let (status, body) = post(&srv, &customer, "reply_with_files", &[("id", ids.as_str()), ("body", "")], &[("box.png", PNG)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(attachment_ids(&srv, id).await.len(), 3);
    // with neither words nor files there is nothing to send
    let (status, body) = post(&srv, &customer, "reply_with_files", &[("id", ids.as_str()), ("body", " ")], &[]).await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn files_in_a_chat_arrive_over_the_socket_and_stay_in_the_chat() {
    use common::ws::{accept, connect, start_chat, until};
    let srv = TestServer::start(true).await;
    let (customer, cookie) = srv.signed_in_cookie("customer5@example.com").await;
    let chat = start_chat(&srv, &customer, "delivery", "사진 보낼게요").await;
    let (agent, agent_cookie) = srv.signed_in_cookie("agent1@example.com").await;
    let (status, body) = accept(&srv, &agent, chat).await;
    assert_eq!(status, 200, "{body}");
    let mut a = connect(&srv, chat, 0, &agent_cookie).await;
    until(&mut a, "state").await;
    let mut c = connect(&srv, chat, 0, &cookie).await;
    until(&mut c, "state").await;

    let chat_s = chat.to_string();
    let (status, body) = post(&srv, &customer, "chat_attach", &[("chat_id", &chat_s), ("client_id", "f-1"), ("body", "")], &[("송장.png", PNG)]).await;
    assert_eq!(status, 200, "{body}");
    // the agent's room gets it like any message, with the file
    let m = loop {
        // the backlog first (the first message, "accepted"), then the new one
        let (m, _) = until(&mut a, "message").await;
        if m["files"].is_array() {
            break m;
        }
    };
    let file = &m["files"][0];
    assert_eq!((file["name"].as_str(), file["image"].as_bool()), (Some("송장.png"), Some(true)), "{m}");
    let id = file["id"].as_i64().expect("id");
    // and the transcript keeps it (a reconnect from the start sees it again)
    let (_, body) = srv.call(&customer, "my_chat", &[("locale", "Ko")]).await;
    assert!(body.contains("송장.png"), "{body}");
    for (who, c, expected) in [("customer", &customer, 200), ("agent1", &agent, 200)] {
        let res = c.get(srv.url(&format!("/attachments/{id}"))).send().await.expect("get");
        assert_eq!(res.status().as_u16(), expected, "{who}");
    }
    for email in ["customer1@example.com", "agent3@example.com"] {
        let other = srv.signed_in(email).await;
        let res = other.get(srv.url(&format!("/attachments/{id}"))).send().await.expect("get");
        assert_eq!(res.status().as_u16(), 404, "{email}");
        // nor may they send files into it
        let (status, _) = post(&srv, &other, "chat_attach", &[("chat_id", &chat_s), ("client_id", "f-x"), ("body", "")], &[("x.png", PNG)]).await;
        assert!(status == 404 || status == 403 || status == 422, "{email}: {status}");
    }
    // a program is refused in chat as everywhere
    let (status, body) = post(&srv, &customer, "chat_attach", &[("chat_id", &chat_s), ("client_id", "f-2"), ("body", "")], &[("a.pdf", b"MZ\x90\0")]).await;
    assert_eq!(status, 422, "{body}");
    drop(c);
}
