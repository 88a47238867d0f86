//! Changes that read a state and then write depend on it: the read and the write happen in one
//! transaction, so two requests at once cannot both act on the same old state. Each test fires the
//! same change many times at once (a double click, a resent form, two tabs) and counts what was
//! written; and a database held by another process answers "busy, try again" (503), never a 500.

mod common;

use common::TestServer;

/// An inquiry of customer1 in `status`, with the customer's client.
async fn inquiry_in(srv: &TestServer, status: &str) -> (reqwest::Client, i64) {
    let customer = srv.signed_in("customer1@example.com").await;
    let id: i64 = sqlx::query_scalar(
        "SELECT i.id FROM inquiries i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.user_id
         WHERE u.email_key = 'customer1@example.com' ORDER BY i.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("an inquiry of customer1");
    let resolved = if status == "resolved" || status == "closed" { Some(app::store::now_ms()) } else { None };
    sqlx::query("UPDATE inquiries SET status = $1, resolved_at = $2, closed_at = CASE WHEN $1 = 'closed' THEN $2 END WHERE id = $3")
        .bind(status)
        .bind(resolved)
        .bind(id)
        .execute(&srv.db)
        .await
        .expect("set the status");
    (customer, id)
}

/// `n` calls of `endpoint` at once (the hydrated app's form POST); their HTTP statuses.
async fn at_once(srv: &TestServer, client: &reqwest::Client, endpoint: &str, form: Vec<(&str, String)>, n: usize) -> Vec<u16> {
    let form: Vec<(String, String)> = form.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, url, origin, form) = (client.clone(), srv.url(&format!("/api/{endpoint}")), srv.base.clone(), form.clone());
        calls.spawn(async move { client.post(url).header("origin", origin).form(&form).send().await.expect("request").status().as_u16() });
    }
    calls.join_all().await
}

async fn system_messages(srv: &TestServer, id: i64, body: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM inquiry_messages WHERE inquiry_id = $1 AND author_kind = 'system' AND body = $2")
        .bind(id)
        .bind(body)
        .fetch_one(&srv.db)
        .await
        .expect("count")
}

/// A form POST, sent again while the server answers 503 (busy: the database's write lock was
/// not free within its timeout, which a loaded test machine can see); its final status.
async fn post_until_not_busy(client: &reqwest::Client, url: &str, origin: &str, form: &[(String, String)]) -> u16 {
    for _ in 0..10 {
        let status = client.post(url).header("origin", origin).form(form).send().await.expect("request").status().as_u16();
        if status != 503 {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    503
}

fn one_ok_rest_refused(statuses: &[u16]) {
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "exactly one succeeds: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 422), "the others are refused as already done: {statuses:?}");
}

#[tokio::test]
async fn closing_twice_at_once_closes_once() {
    let srv = TestServer::start(true).await;
    let (customer, id) = inquiry_in(&srv, "open").await;
    let statuses = at_once(&srv, &customer, "close_inquiry", vec![("id", id.to_string())], 8).await;
    one_ok_rest_refused(&statuses);
    assert_eq!(system_messages(&srv, id, "closed_by_customer").await, 1);
}

#[tokio::test]
async fn reopening_twice_at_once_reopens_once() {
    let srv = TestServer::start(true).await;
    let (customer, id) = inquiry_in(&srv, "closed").await;
    let statuses = at_once(&srv, &customer, "reopen_inquiry", vec![("id", id.to_string())], 8).await;
    one_ok_rest_refused(&statuses);
    assert_eq!(system_messages(&srv, id, "reopened_by_customer").await, 1);
}

#[tokio::test]
async fn deciding_an_automatic_answer_twice_at_once_decides_once() {
    let srv = TestServer::start(true).await;
    let (customer, id) = inquiry_in(&srv, "auto_answered").await;
    let statuses = at_once(&srv, &customer, "decide_auto_answer", vec![("id", id.to_string()), ("solved", "true".into())], 8).await;
    one_ok_rest_refused(&statuses);
    assert_eq!(system_messages(&srv, id, "solved_by_customer").await, 1);
}

#[tokio::test]
async fn an_agent_reply_after_the_customer_closed_is_refused_and_the_inquiry_stays_closed() {
    let srv = TestServer::start(true).await;
    let (customer, id) = inquiry_in(&srv, "open").await;
    let admin = srv.signed_in("admin@example.com").await;
    // both at once, many times over: whichever comes second must see the first
    for _ in 0..5 {
        sqlx::query("UPDATE inquiries SET status = 'open', closed_at = NULL, resolved_at = NULL WHERE id = $1")
            .bind(id)
            .execute(&srv.db)
            .await
            .expect("reopen");
        let id_s = id.to_string();
        let close_form = [("id", id_s.as_str())];
        let reply_form =
            [("id", id_s.as_str()), ("body", "Here is the answer"), ("template_id", ""), ("next_status", "waiting_customer")];
        let close = srv.call(&customer, "close_inquiry", &close_form);
        let reply = srv.call(&admin, "agent_reply", &reply_form);
        let ((closed, _), (replied, body)) = tokio::join!(close, reply);
        assert_eq!(closed, 200);
        assert!(replied == 200 || replied == 422, "{replied}: {body}");
        let (status, closed_at): (String, Option<i64>) =
            sqlx::query_as("SELECT status, closed_at FROM inquiries WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("row");
        assert_eq!(status, "closed", "the customer's close is not undone by a reply that came in after it");
        assert!(closed_at.is_some());
    }
}

#[tokio::test]
async fn a_database_locked_by_another_process_answers_busy_not_an_error() {
    if common::on_postgres() {
        // SQLite's one database-wide write lock; PostgreSQL locks rows
        eprintln!("skipped on PostgreSQL: no database-wide write lock to hold");
        return;
    }
    let srv = TestServer::start(true).await;
    let (customer, id) = inquiry_in(&srv, "open").await;
    // another process's write transaction on the same file, held past the busy timeout
    let url = srv.db.connect_options().database_url.to_string();
    let mut other = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.expect("second connection");
    sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.expect("hold the write lock");
    let id_s = id.to_string();
    let (status, body) = srv.call(&customer, "reply_inquiry", &[("id", &id_s), ("body", "Any news?")]).await;
    sqlx::query("ROLLBACK").execute(&mut other).await.expect("let go");
    assert_eq!(status, 503, "{body}");
    let (status, _) = srv.call(&customer, "reply_inquiry", &[("id", &id_s), ("body", "Any news?")]).await;
    assert_eq!(status, 200, "and the same request goes through once the lock is gone");
}

#[tokio::test]
async fn saves_of_one_template_at_once_each_audit_what_the_one_before_left() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let (id, type_code, language, question): (i64, String, String, String) = sqlx::query_as(
        "SELECT f.id, t.code, f.language, f.question FROM faq_templates f JOIN inquiry_types t ON t.id = f.type_id ORDER BY f.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("a template");
    let mut saves = tokio::task::JoinSet::new();
    for n in 0..6 {
        let form: Vec<(String, String)> = vec![
            ("id".into(), id.to_string()),
            ("type_code".into(), type_code.clone()),
            ("language".into(), language.clone()),
            ("question".into(), question.clone()),
            ("phrasings".into(), String::new()),
            ("answer".into(), format!("Answer number {n}, long enough to be a real answer.")),
        ];
        let (client, url, origin) = (admin.clone(), srv.url("/api/admin_faq_save"), srv.base.clone());
        saves.spawn(async move { post_until_not_busy(&client, &url, &origin, &form).await });
    }
    let statuses = saves.join_all().await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let audit: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT before_json, after_json FROM audit_log WHERE entity = 'faq_template' AND entity_id = $1 AND action = 'faq.update' ORDER BY id",
    )
    .bind(id.to_string())
    .fetch_all(&srv.db)
    .await
    .expect("audit");
    assert_eq!(audit.len(), 6);
    for pair in audit.windows(2) {
        assert_eq!(pair[1].0, pair[0].1, "each save's before image is the previous save's after image");
    }
}

#[tokio::test]
async fn deciding_a_proposal_twice_at_once_makes_one_template() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let (type_id, agent, inquiry): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT id FROM inquiry_types ORDER BY id LIMIT 1), (SELECT id FROM users WHERE email_key = 'agent1@example.com'),
                (SELECT id FROM inquiries ORDER BY id LIMIT 1)",
    )
    .fetch_one(&srv.db)
    .await
    .expect("type and agent");
    let templates_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM faq_templates").fetch_one(&srv.db).await.expect("count");
    let proposal: i64 = sqlx::query_scalar(
        "INSERT INTO faq_proposals (inquiry_id, type_id, language, question, answer, proposed_by, created_at, status)
         VALUES ($4, $1, 'en', 'Can I change the delivery address after paying?', 'Yes, until the order ships: open the order and choose Change address.', $2, $3, 'pending')
         RETURNING id",
    )
    .bind(type_id)
    .bind(agent)
    .bind(app::store::now_ms())
    .bind(inquiry)
    .fetch_one(&srv.db)
    .await
    .expect("a proposal");
    let statuses = at_once(&srv, &admin, "admin_faq_decide", vec![("id", proposal.to_string()), ("approve", "true".into())], 6).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 404), "{statuses:?}");
    let templates_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM faq_templates").fetch_one(&srv.db).await.expect("count");
    assert_eq!(templates_after, templates_before + 1);
}

#[tokio::test]
async fn the_database_itself_refuses_a_second_open_chat_for_a_customer() {
    let srv = TestServer::start(true).await;
    let customer = srv.signed_in("customer2@example.com").await;
    let (status, body) = srv.call(&customer, "start_chat", &[("type_code", "delivery"), ("body", "Hello?")]).await;
    assert!(status == 200 || status == 302 || status == 303, "{status}: {body}");
    // what a second server, past its own check, would write
    let second = sqlx::query(
        "INSERT INTO chats (customer_id, type_id, group_id, status, created_at, last_seq)
         SELECT customer_id, type_id, group_id, 'waiting', created_at + 1, 0 FROM chats
          WHERE customer_id = (SELECT c.id FROM customers c JOIN users u ON u.id = c.user_id WHERE u.email_key = 'customer2@example.com')",
    )
    .execute(&srv.db)
    .await;
    match second {
        Err(sqlx::Error::Database(e)) => assert!(e.is_unique_violation(), "{e}"),
        other => panic!("a second open chat was stored: {other:?}"),
    }
}

/// Fires `n` saves at once (each with its own form) and checks that the audit entries of
/// `entity`/`entity_id` with `action` chain: each "before" is the "after" of the save before it.
async fn saves_chain_in_the_audit(srv: &TestServer, endpoint: &str, forms: Vec<Vec<(String, String)>>, entity: &str, entity_id: i64, action: &str) {
    let admin = srv.signed_in("admin@example.com").await;
    let n = forms.len();
    let mut saves = tokio::task::JoinSet::new();
    for form in forms {
        let (client, url, origin) = (admin.clone(), srv.url(&format!("/api/{endpoint}")), srv.base.clone());
        saves.spawn(async move { post_until_not_busy(&client, &url, &origin, &form).await });
    }
    let statuses = saves.join_all().await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let audit: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT before_json, after_json FROM audit_log WHERE entity = $1 AND entity_id = $2 AND action = $3 ORDER BY id")
            .bind(entity)
            .bind(entity_id.to_string())
            .bind(action)
            .fetch_all(&srv.db)
            .await
            .expect("audit");
    assert_eq!(audit.len(), n);
    for pair in audit.windows(2) {
        assert_eq!(pair[1].0, pair[0].1, "each save's before image is the previous save's after image");
    }
}

#[tokio::test]
async fn saves_of_one_inquiry_type_at_once_each_audit_what_the_one_before_left() {
    let srv = TestServer::start(true).await;
    let (id, code, group): (i64, String, String) = sqlx::query_as(
        "SELECT t.id, t.code, g.code FROM inquiry_types t JOIN agent_groups g ON g.id = t.group_id ORDER BY t.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("a type");
    let forms = (0..6)
        .map(|n| {
            vec![
                ("create".to_string(), "false".to_string()),
                ("code".to_string(), code.clone()),
                ("name_ko".to_string(), format!("유형 {n}")),
                ("name_en".to_string(), format!("Type {n}")),
                ("group_code".to_string(), group.clone()),
                ("first_response_minutes".to_string(), (60 + n).to_string()),
                ("threshold".to_string(), "0.8".to_string()),
            ]
        })
        .collect();
    saves_chain_in_the_audit(&srv, "admin_type_save", forms, "inquiry_type", id, "type.update").await;
}

#[tokio::test]
async fn saves_of_one_agent_group_at_once_each_audit_what_the_one_before_left() {
    let srv = TestServer::start(true).await;
    let (id, code): (i64, String) =
        sqlx::query_as("SELECT id, code FROM agent_groups ORDER BY id LIMIT 1").fetch_one(&srv.db).await.expect("a group");
    let forms = (0..6)
        .map(|n| {
            vec![
                ("create".to_string(), "false".to_string()),
                ("code".to_string(), code.clone()),
                ("name_ko".to_string(), format!("그룹 {n}")),
                ("name_en".to_string(), format!("Group {n}")),
            ]
        })
        .collect();
    saves_chain_in_the_audit(&srv, "admin_group_save", forms, "agent_group", id, "group.update").await;
}
