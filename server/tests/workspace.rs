//! The agent workspace against the real server: the properties saved together in one
//! transaction (all or nothing), assignment rules, the one composer (reply or note with a
//! status), saved replies kept per group, the answers library, and the name customers see.

mod common;

use common::TestServer;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn delivery_inquiry(srv: &TestServer, key: &str) -> i64 {
    sqlx::query("UPDATE inquiry_types SET auto_answer = 0").execute(&srv.db).await.expect("automation off");
    let customer = srv.signed_in("customer5@example.com").await;
    let (status, res) = srv
        .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "배송 문의"), ("body", "택배가 아직 안 왔어요. 언제 오나요?"), ("idempotency_key", key)])
        .await;
    assert_eq!(status, 200, "{res}");
    let path: String = serde_json::from_str(&res).expect("path");
    path.trim_start_matches("/my/inquiries/").parse().expect("id")
}

#[derive(sqlx::FromRow, Debug, PartialEq)]
struct Props {
    status: String,
    voc_category: Option<String>,
    group_code: String,
    type_code: String,
    assigned_agent_id: Option<i64>,
}

async fn props(srv: &TestServer, id: i64) -> Props {
    sqlx::query_as(
        "SELECT i.status, i.voc_category, g.code AS group_code, t.code AS type_code, i.assigned_agent_id
         FROM inquiries i JOIN agent_groups g ON g.id = i.group_id JOIN inquiry_types t ON t.id = i.type_id WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(&srv.db)
    .await
    .expect("inquiry")
}

async fn messages(srv: &TestServer, id: i64) -> Vec<(String, String, bool)> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as("SELECT author_kind, body, internal FROM inquiry_messages WHERE inquiry_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&srv.db)
        .await
        .expect("messages");
    rows.into_iter().map(|(kind, body, internal)| (kind, body, internal == 1)).collect()
}

async fn user_id(srv: &TestServer, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&srv.db).await.expect("user")
}

fn update<'a>(id: &'a str, status: &'a str, type_code: &'a str, voc: &'a str, group: &'a str, assignee: &'a str, note: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("id", id), ("status", status), ("type_code", type_code), ("voc", voc), ("group_code", group), ("assignee", assignee), ("note", note)]
}

#[tokio::test]
async fn properties_are_saved_together_and_a_bad_one_saves_none() {
    let srv = TestServer::start(true).await;
    let id = delivery_inquiry(&srv, "k-props").await;
    let ids = id.to_string();
    let agent1 = srv.signed_in("agent1@example.com").await;
    let before = messages(&srv, id).await.len();

    let (status, body) = srv.call(&agent1, "agent_update", &update(&ids, "resolved", "delivery", "complaint", "payments_delivery", "", "")).await;
    assert_eq!(status, 200, "{body}");
    let p = props(&srv, id).await;
    assert_eq!((p.status.as_str(), p.voc_category.as_deref()), ("resolved", Some("complaint")));
    let lines = messages(&srv, id).await;
    assert_eq!(lines.len(), before + 2, "one line per change, none for what stayed: {lines:?}");

    // a rejected type in the same submit: the VOC change beside it is not saved either
    let (status, body) = srv.call(&agent1, "agent_update", &update(&ids, "resolved", "nope", "question", "payments_delivery", "", "")).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("type_code"), "{body}");
    assert_eq!(props(&srv, id).await.voc_category.as_deref(), Some("complaint"));
    assert_eq!(messages(&srv, id).await.len(), before + 2);

    // the same values again change nothing and record nothing
    let (status, _) = srv.call(&agent1, "agent_update", &update(&ids, "resolved", "delivery", "complaint", "payments_delivery", "", "")).await;
    assert_eq!(status, 200);
    assert_eq!(messages(&srv, id).await.len(), before + 2);

    // someone outside the inquiry's groups may not touch it; a customer never
    let agent3 = srv.signed_in("agent3@example.com").await;
    assert_eq!(srv.call(&agent3, "agent_update", &update(&ids, "open", "delivery", "", "payments_delivery", "", "")).await.0, 403);
    let customer = srv.signed_in("customer5@example.com").await;
    assert_eq!(srv.call(&customer, "agent_update", &update(&ids, "open", "delivery", "", "payments_delivery", "", "")).await.0, 403);
}

#[tokio::test]
async fn a_move_to_another_group_releases_the_inquiry_with_the_note_and_assignment_follows_the_rules() {
    let srv = TestServer::start(true).await;
    let id = delivery_inquiry(&srv, "k-move").await;
    let ids = id.to_string();
    let agent1 = srv.signed_in("agent1@example.com").await;
    let (agent1_id, agent2_id, agent3_id) = (user_id(&srv, "agent1@example.com").await, user_id(&srv, "agent2@example.com").await, user_id(&srv, "agent3@example.com").await);

    // hand it to a colleague of the group
    let a2 = agent2_id.to_string();
    let (status, body) = srv.call(&agent1, "agent_update", &update(&ids, "open", "delivery", "", "payments_delivery", &a2, "")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(props(&srv, id).await.assigned_agent_id, Some(agent2_id));
    // now it is agent2's: agent1 cannot take it away, not even for themselves
    let a1 = agent1_id.to_string();
    let (status, body) = srv.call(&agent1, "agent_update", &update(&ids, "open", "delivery", "", "payments_delivery", &a1, "")).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("AlreadyTaken"), "{body}");
    // nobody outside the group
    let agent2 = srv.signed_in("agent2@example.com").await;
    let a3 = agent3_id.to_string();
    let (status, body) = srv.call(&agent2, "agent_update", &update(&ids, "open", "delivery", "", "payments_delivery", &a3, "")).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("assignee"), "{body}");

    // moved to the general group with a note: back in that queue, the note for its agents
    let (status, body) = srv.call(&agent2, "agent_update", &update(&ids, "open", "delivery", "", "general", &a2, "주소 변경 건이라 일반 문의로 넘깁니다")).await;
    assert_eq!(status, 200, "{body}");
    let p = props(&srv, id).await;
    assert_eq!((p.group_code.as_str(), p.assigned_agent_id), ("general", None));
    let lines = messages(&srv, id).await;
    assert!(lines.iter().any(|(k, b, internal)| k == "agent" && *internal && b == "→ general: 주소 변경 건이라 일반 문의로 넘깁니다"), "{lines:?}");
}

#[tokio::test]
async fn the_composer_sends_a_reply_or_a_note_with_the_status_asked_for() {
    let srv = TestServer::start(true).await;
    let id = delivery_inquiry(&srv, "k-compose").await;
    let ids = id.to_string();
    let agent1 = srv.signed_in("agent1@example.com").await;
    let send = |kind: &'static str, body: &'static str, next: &'static str| {
        let ids = ids.clone();
        let agent1 = agent1.clone();
        let srv = &srv;
        async move { srv.call(&agent1, "agent_send", &[("id", &ids), ("kind", kind), ("body", body), ("template_id", ""), ("next_status", next)]).await }
    };
    // a note leaves the status as it is (automatic) and stays internal
    let first = props(&srv, id).await.status;
    let (status, body) = send("note", "배송 조회 중", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(props(&srv, id).await.status, first);
    assert!(messages(&srv, id).await.iter().any(|(_, b, internal)| b == "배송 조회 중" && *internal));
    // a reply waits for the customer (automatic) ...
    let (status, body) = send("reply", "내일 도착 예정입니다.", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(props(&srv, id).await.status, "waiting_customer");
    // ... or keeps the status when asked
    let (status, _) = send("note", "재확인", "open").await;
    assert_eq!(status, 200);
    assert_eq!(props(&srv, id).await.status, "open");
    let (status, _) = send("reply", "추가 안내드립니다.", "keep").await;
    assert_eq!(status, 200);
    assert_eq!(props(&srv, id).await.status, "open");
    // bad input: specific field errors, nothing saved
    let n = messages(&srv, id).await.len();
    for (kind, body, next, field) in [("reply", "  ", "", "body"), ("shout", "안녕하세요", "", "kind"), ("reply", "안녕하세요", "closed", "next_status")] {
        let (status, res) = send(kind, body, next).await;
        assert_eq!(status, 422, "{kind} {next}: {res}");
        assert!(res.contains(field), "{field}: {res}");
    }
    assert_eq!(messages(&srv, id).await.len(), n);

    // the customer sees the agent by the name customers see, never the login handle
    let customer = srv.signed_in("customer5@example.com").await;
    let (status, body) = srv.call(&customer, "my_inquiry", &[("id", &ids), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    let names: Vec<String> = json(&body)["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["author_kind"] == "agent")
        .map(|m| m["author_name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["한상담", "한상담"], "{body}");
}

#[tokio::test]
async fn saved_replies_belong_to_their_groups() {
    let srv = TestServer::start(true).await;
    let agent3 = srv.signed_in("agent3@example.com").await; // general
    let agent1 = srv.signed_in("agent1@example.com").await; // payments and delivery
    let save = |c: reqwest::Client, id: String, group: &'static str, title: &'static str| {
        let srv = &srv;
        async move { srv.call(&c, "save_reply", &[("id", &id), ("group_code", group), ("language", "ko"), ("title", title), ("body", "확인 후 안내드리겠습니다.")]).await }
    };
    let (status, body) = save(agent3.clone(), String::new(), "payments_delivery", "남의 그룹").await;
    assert_eq!(status, 422, "not agent3's group: {body}");
    assert!(body.contains("group_code"), "{body}");
    let (status, body) = save(agent3.clone(), String::new(), "general", "확인 중 안내").await;
    assert_eq!(status, 200, "{body}");
    let id: i64 = sqlx::query_scalar("SELECT id FROM saved_replies WHERE title = '확인 중 안내'").fetch_one(&srv.db).await.expect("saved");
    let (status, body) = save(agent3.clone(), String::new(), "general", "확인 중 안내").await;
    assert_eq!(status, 422, "same title twice: {body}");
    assert!(body.contains("TitleTaken"), "{body}");
    // another group's reply is not agent1's to change, delete or even see
    let (status, _) = save(agent1.clone(), id.to_string(), "payments_delivery", "가로채기").await;
    assert_eq!(status, 404);
    assert_eq!(srv.call(&agent1, "delete_reply", &[("id", &id.to_string())]).await.0, 404);
    let (_, list) = srv.call(&agent1, "saved_replies", &[("locale", "Ko")]).await;
    assert!(!list.contains("확인 중 안내"), "{list}");
    let customer = srv.signed_in("customer5@example.com").await;
    assert_eq!(srv.call(&customer, "saved_replies", &[("locale", "Ko")]).await.0, 403);
    // admins keep every group's
    let admin = srv.signed_in("admin@example.com").await;
    let (_, list) = srv.call(&admin, "saved_replies", &[("locale", "Ko")]).await;
    assert!(list.contains("확인 중 안내") && list.contains("배송 지연 사과"), "{list}");
    assert_eq!(srv.call(&agent3, "delete_reply", &[("id", &id.to_string())]).await.0, 200);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM saved_replies WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("count");
    assert_eq!(left, 0);
}

#[tokio::test]
async fn the_answers_library_offers_the_groups_saved_replies_and_faq_answers_in_the_customers_language() {
    let srv = TestServer::start(true).await;
    let id = delivery_inquiry(&srv, "k-library").await;
    let ids = id.to_string();
    let agent1 = srv.signed_in("agent1@example.com").await;
    let (status, body) = srv.call(&agent1, "answer_library", &[("inquiry_id", &ids), ("q", "배송")]).await;
    assert_eq!(status, 200, "{body}");
    let found = json(&body);
    let found = found.as_array().expect("answers");
    assert!(found.iter().any(|a| a["source"] == "Saved" && a["title"] == "배송 지연 사과"), "{body}");
    assert!(found.iter().any(|a| a["source"] == "Faq"), "FAQ answers too: {body}");
    assert!(!body.contains("Delivery delay apology"), "not in the customer's language: {body}");
    assert!(!body.contains("본인 확인 요청"), "not another group's: {body}");
    assert!(found.iter().all(|a| a["title"].as_str().unwrap_or_default().contains("배송") || a["body"].as_str().unwrap_or_default().contains("배송")), "{body}");
    // a LIKE wildcard is taken literally
    let (_, none) = srv.call(&agent1, "answer_library", &[("inquiry_id", &ids), ("q", "%_%")]).await;
    assert_eq!(none, "[]");
    // the library is as private as the inquiry
    let agent3 = srv.signed_in("agent3@example.com").await;
    assert_eq!(srv.call(&agent3, "answer_library", &[("inquiry_id", &ids), ("q", "")]).await.0, 403);
    let customer = srv.signed_in("customer5@example.com").await;
    assert_eq!(srv.call(&customer, "answer_library", &[("inquiry_id", &ids), ("q", "")]).await.0, 403);
}
