//! The agent console against the real server: routing by type, re-typing, atomic "take next",
//! group boundaries, internal notes that customers never receive, and queue order.

mod common;

use app::domain::queue::{queue_cmp, QueueKey};
use common::TestServer;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn file(srv: &TestServer, c: &reqwest::Client, type_code: &str, subject: &str, key: &str) -> i64 {
    let (status, res) = srv
        .call(c, "create_inquiry", &[("type_code", type_code), ("order_no", ""), ("subject", subject), ("body", "상품 포장이 찢어져서 왔습니다. 확인 부탁드려요."), ("idempotency_key", key)])
        .await;
    assert_eq!(status, 200, "{res}");
    let path: String = serde_json::from_str(&res).expect("path");
    path.trim_start_matches("/my/inquiries/").parse().expect("id")
}

async fn no_automation(srv: &TestServer) {
    sqlx::query("UPDATE inquiry_types SET auto_answer = 0").execute(&srv.db).await.expect("automation off");
}

async fn queue_ids(srv: &TestServer, c: &reqwest::Client, type_code: &str) -> Vec<i64> {
    let (status, body) = srv.call(c, "agent_queue", &[("type_code", type_code), ("grade", ""), ("overdue", "false"), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    json(&body)["waiting"].as_array().expect("waiting").iter().map(|i| i["id"].as_i64().expect("id")).collect()
}

#[tokio::test]
async fn delivery_inquiries_reach_the_payments_and_delivery_queue_only_and_retype_reroutes() {
    let srv = TestServer::start(true).await;
    no_automation(&srv).await;
    let customer = srv.signed_in("customer5@example.com").await;
    let id = file(&srv, &customer, "delivery", "택배 상자가 찢어져 왔어요", "k-route").await;
    let agent1 = srv.signed_in("agent1@example.com").await;
    let agent3 = srv.signed_in("agent3@example.com").await;
    assert!(queue_ids(&srv, &agent1, "delivery").await.contains(&id));
    assert!(!queue_ids(&srv, &agent3, "").await.contains(&id));

    // re-typing moves it to the general group's queue
    let (status, body) = srv.call(&agent1, "agent_retype", &[("id", &id.to_string()), ("type_code", "account")]).await;
    assert_eq!(status, 200, "{body}");
    let group: String = sqlx::query_scalar("SELECT g.code FROM inquiries i JOIN agent_groups g ON g.id = i.group_id WHERE i.id = $1")
        .bind(id)
        .fetch_one(&srv.db)
        .await
        .expect("group");
    assert_eq!(group, "general");
    assert!(queue_ids(&srv, &agent3, "account").await.contains(&id));
    let (status, _) = srv.call(&agent1, "agent_inquiry", &[("id", &id.to_string()), ("locale", "Ko")]).await;
    assert_eq!(status, 403, "no longer agent1's group");

    // a bad type is a field error, not a 500
    let (status, body) = srv.call(&agent3, "agent_retype", &[("id", &id.to_string()), ("type_code", "nope")]).await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn twenty_concurrent_take_next_calls_never_hand_out_the_same_inquiry_twice() {
    let srv = TestServer::start(true).await;
    let agents = [srv.signed_in("agent1@example.com").await, srv.signed_in("agent2@example.com").await];
    let mut tasks = Vec::new();
    for n in 0..20 {
        let c = agents[n % 2].clone();
        let (url, origin) = (srv.url("/api/take_next_inquiry"), srv.base.clone());
        tasks.push(tokio::spawn(async move {
            let res = c.post(url).header("origin", origin).form(&[("", "")]).send().await.expect("send");
            (res.status().as_u16(), res.text().await.expect("body"))
        }));
    }
    let mut taken = Vec::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, 200, "{body}");
        let path: String = serde_json::from_str(&body).expect("path");
        if let Some(id) = path.strip_prefix("/agent/inquiries/") {
            taken.push(id.parse::<i64>().expect("id"));
        }
    }
    let mut unique = taken.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), taken.len(), "some inquiry was handed out twice: {taken:?}");
    assert!(!taken.is_empty());
    // each is assigned to exactly one of the two agents, and open
    for id in taken {
        let (status, agent): (String, Option<i64>) =
            sqlx::query_as("SELECT status, assigned_agent_id FROM inquiries WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("row");
        assert_eq!(status, "open");
        assert!(agent.is_some());
    }
}

#[tokio::test]
async fn an_agent_of_another_group_gets_403_for_everything_on_the_inquiry() {
    let srv = TestServer::start(true).await;
    no_automation(&srv).await;
    let customer = srv.signed_in("customer6@example.com").await;
    let id = file(&srv, &customer, "delivery", "배송 관련 문의", "k-403").await.to_string();
    let agent3 = srv.signed_in("agent3@example.com").await;
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("agent_inquiry", vec![("id", &id), ("locale", "Ko")]),
        ("take_inquiry", vec![("id", &id)]),
        ("agent_reply", vec![("id", &id), ("body", "hi"), ("template_id", ""), ("next_status", "waiting_customer")]),
        ("agent_note", vec![("id", &id), ("body", "note")]),
        ("agent_set_status", vec![("id", &id), ("status", "resolved")]),
        ("agent_retype", vec![("id", &id), ("type_code", "account")]),
        ("agent_transfer", vec![("id", &id), ("group_code", "general"), ("note", "mine now")]),
    ];
    for (endpoint, form) in &calls {
        let (status, body) = srv.call(&agent3, endpoint, form).await;
        assert_eq!(status, 403, "{endpoint}: {body}");
    }
    // customers are kept out of the console altogether
    for (endpoint, form) in &calls {
        let (status, _) = srv.call(&customer, endpoint, form).await;
        assert_eq!(status, 403, "customer on {endpoint}");
    }
    let messages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiry_messages WHERE inquiry_id = $1").bind(id.parse::<i64>().expect("id")).fetch_one(&srv.db).await.expect("count");
    assert_eq!(messages, 1, "nothing was written");
}

#[tokio::test]
async fn the_customer_receives_replies_but_never_internal_notes() {
    let srv = TestServer::start(true).await;
    no_automation(&srv).await;
    let customer = srv.signed_in("customer7@example.com").await;
    let id = file(&srv, &customer, "delivery", "포장 파손", "k-notes").await.to_string();
    let agent1 = srv.signed_in("agent1@example.com").await;
    let (status, body) = srv.call(&agent1, "take_inquiry", &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = srv.call(&agent1, "agent_note", &[("id", &id), ("body", "SECRET-NOTE 고객 반복 클레임")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = srv
        .call(&agent1, "agent_reply", &[("id", &id), ("body", "불편을 드려 죄송합니다. 교환해 드리겠습니다."), ("template_id", ""), ("next_status", "waiting_customer")])
        .await;
    assert_eq!(status, 200, "{body}");
    // the agent sees both
    let (_, ws) = srv.call(&agent1, "agent_inquiry", &[("id", &id), ("locale", "Ko")]).await;
    assert!(ws.contains("SECRET-NOTE") && ws.contains("교환해 드리겠습니다"), "{ws}");
    assert!(ws.contains("\"assigned_to_me\":true"));
    // the customer: reply yes, note nowhere
    for (endpoint, form) in [
        ("my_inquiry", vec![("id", id.as_str()), ("locale", "Ko")]),
        ("my_inquiries", vec![("page", "1"), ("locale", "Ko")]),
        ("my_history", vec![("page", "1")]),
        ("my_overview", vec![("locale", "Ko")]),
    ] {
        let (status, body) = srv.call(&customer, endpoint, &form).await;
        assert!(status == 200 || status == 404, "{endpoint}: {status}");
        assert!(!body.contains("SECRET-NOTE"), "{endpoint} leaked the internal note");
    }
    let (_, body) = srv.call(&customer, "my_inquiry", &[("id", &id), ("locale", "Ko")]).await;
    assert!(body.contains("교환해 드리겠습니다"));
    let (status, first_response): (String, Option<i64>) =
        sqlx::query_as("SELECT status, first_response_at FROM inquiries WHERE id = $1").bind(id.parse::<i64>().expect("id")).fetch_one(&srv.db).await.expect("row");
    assert_eq!(status, "waiting_customer");
    assert!(first_response.is_some(), "first response time recorded");
}

#[tokio::test]
async fn the_queue_sql_and_the_pure_ordering_agree() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv.call(&admin, "agent_queue", &[("type_code", ""), ("grade", ""), ("overdue", "false"), ("locale", "En")]).await;
    assert_eq!(status, 200, "{body}");
    let items = json(&body)["waiting"].as_array().expect("waiting").clone();
    assert!(items.len() >= 10, "the demo has a queue: {}", items.len());
    let keys: Vec<QueueKey> = items
        .iter()
        .map(|i| QueueKey {
            grade: i["grade"].as_str().and_then(app::model::Grade::parse).expect("a grade word"),
            sla_due_at: i["sla_due_at"].as_i64().expect("sla"),
            created_at: i["created_at"].as_i64().expect("created"),
            id: i["id"].as_i64().expect("id"),
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(queue_cmp);
    assert_eq!(keys, sorted);
    // more than one grade is present, so the test can tell
    let mut grades: Vec<&str> = keys.iter().map(|k| k.grade.as_str()).collect();
    grades.dedup();
    assert!(grades.len() > 1, "{grades:?}");
}

#[tokio::test]
async fn agents_find_customers_by_name_email_phone_customer_and_order_number() {
    let srv = TestServer::start(true).await;
    let (customer_no, phone, order_no): (String, String, String) = sqlx::query_as(
        "SELECT c.customer_no, c.phone, o.order_no FROM customers c JOIN users u ON u.id = c.user_id JOIN orders o ON o.customer_id = c.id
         WHERE u.email_key = 'customer2@example.com' AND c.phone IS NOT NULL LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("customer2 with a phone and an order");
    let agent = srv.signed_in("agent3@example.com").await;
    let national = app::domain::phone::format_phone(&phone);
    for q in [customer_no.as_str(), "CUSTOMER2@example.com", national.as_str(), order_no.as_str()] {
        let (status, body) = srv.call(&agent, "search_customers", &[("q", q)]).await;
        assert_eq!(status, 200, "{q}: {body}");
        let hits = json(&body);
        let hits = hits.as_array().expect("hits");
        assert_eq!(hits.len(), 1, "{q}: {body}");
        assert_eq!(hits[0]["customer_no"], customer_no.as_str());
    }
    // a wildcard is a character, not "everyone"
    let (status, body) = srv.call(&agent, "search_customers", &[("q", "%%")]).await;
    assert_eq!((status, body.as_str()), (200, "[]"));
    let (status, _) = srv.call(&agent, "search_customers", &[("q", "a")]).await;
    assert_eq!(status, 422);
    let (status, body) = srv.call(&agent, "agent_customer", &[("customer_no", &customer_no), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(json(&body)["inquiries"].as_array().is_some_and(|i| !i.is_empty()));
    let (status, _) = srv.call(&agent, "agent_customer", &[("customer_no", "C9999999"), ("locale", "Ko")]).await;
    assert_eq!(status, 404);
    let customer = srv.signed_in("customer1@example.com").await;
    let (status, _) = srv.call(&customer, "search_customers", &[("q", &customer_no)]).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn agents_read_internal_notes_only_from_inquiries_of_their_own_groups() {
    let srv = TestServer::start(true).await;
    no_automation(&srv).await;
    let customer = srv.signed_in("customer8@example.com").await;
    let delivery = file(&srv, &customer, "delivery", "배송 지연", "k-note-1").await;
    let account = file(&srv, &customer, "account", "회원 정보 변경", "k-note-2").await;
    let agent1 = srv.signed_in("agent1@example.com").await; // payments & delivery
    let agent3 = srv.signed_in("agent3@example.com").await; // general desk
    let (s1, b1) = srv.call(&agent1, "agent_note", &[("id", &delivery.to_string()), ("body", "NOTE-DELIVERY: 택배사 확인 중")]).await;
    let (s3, b3) = srv.call(&agent3, "agent_note", &[("id", &account.to_string()), ("body", "NOTE-ACCOUNT: 본인 확인 필요")]).await;
    assert_eq!((s1, s3), (200, 200), "{b1} {b3}");
    let customer_no: String = sqlx::query_scalar("SELECT c.customer_no FROM customers c JOIN users u ON u.id = c.user_id WHERE u.email_key = 'customer8@example.com'")
        .fetch_one(&srv.db)
        .await
        .expect("customer number");
    let record = |c: reqwest::Client| {
        let no = customer_no.clone();
        let srv = &srv;
        async move {
            let (status, body) = srv.call(&c, "agent_customer", &[("customer_no", &no), ("locale", "Ko")]).await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let seen_by_1 = record(agent1.clone()).await;
    assert!(seen_by_1.contains("NOTE-DELIVERY") && !seen_by_1.contains("NOTE-ACCOUNT"), "{seen_by_1}");
    let seen_by_3 = record(agent3.clone()).await;
    assert!(seen_by_3.contains("NOTE-ACCOUNT") && !seen_by_3.contains("NOTE-DELIVERY"), "{seen_by_3}");
    // the workspace's 360° panel follows the same rule
    let (status, ws) = srv.call(&agent1, "agent_inquiry", &[("id", &delivery.to_string()), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{ws}");
    assert!(!ws.contains("NOTE-ACCOUNT"), "{ws}");
    let admin = srv.signed_in("admin@example.com").await;
    let seen_by_admin = record(admin).await;
    assert!(seen_by_admin.contains("NOTE-ACCOUNT") && seen_by_admin.contains("NOTE-DELIVERY"));
}
