//! The admin's FAQ editor against the real server: revisions and revert, the audit log, a new
//! template answering the very next inquiry, retiring, validation, and who may call it.

mod common;

use common::TestServer;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn file(srv: &TestServer, c: &reqwest::Client, type_code: &str, subject: &str, body: &str, key: &str) -> i64 {
    let (status, res) = srv
        .call(c, "create_inquiry", &[("type_code", type_code), ("order_no", ""), ("subject", subject), ("body", body), ("idempotency_key", key)])
        .await;
    assert_eq!(status, 200, "{res}");
    let path: String = serde_json::from_str(&res).expect("path");
    path.trim_start_matches("/my/inquiries/").parse().expect("id")
}

async fn bot_answer(srv: &TestServer, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT body FROM inquiry_messages WHERE inquiry_id = $1 AND author_kind = 'bot'")
        .bind(id)
        .fetch_optional(&srv.db)
        .await
        .expect("bot")
}

const GIFT_PHRASINGS: &str = "선물 포장 가능한가요\n포장해서 보내주실 수 있나요\n선물용 포장 되나요\n선물 박스 포장 요청\n리본 포장 가능해요?\n선물하려는데 포장 돼요?";

#[tokio::test]
async fn a_new_template_answers_the_next_inquiry_and_retiring_it_stops_that() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv
        .call(&admin, "admin_faq_save", &[("id", ""), ("type_code", "product"), ("language", "ko"), ("question", "선물 포장이 되나요?"), ("phrasings", GIFT_PHRASINGS), ("answer", "주문서에서 '선물 포장'을 선택하면 2,000원에 포장해 드립니다.")])
        .await;
    assert_eq!(status, 200, "{body}");
    let path: String = serde_json::from_str(&body).expect("path");
    let id: i64 = path.trim_start_matches("/admin/faq/").trim_end_matches("?saved=1").parse().expect("id");

    sqlx::query("UPDATE inquiry_types SET auto_answer_threshold = 0.3 WHERE code = 'product'").execute(&srv.db).await.expect("threshold");
    let customer = srv.signed_in("customer3@example.com").await;
    let q = file(&srv, &customer, "product", "선물 포장 해주시나요?", "친구 선물이라 포장해서 보내주실 수 있나요", "k-gift-1").await;
    assert_eq!(bot_answer(&srv, q).await.as_deref(), Some("주문서에서 '선물 포장'을 선택하면 2,000원에 포장해 드립니다."));
    let template: Option<i64> = sqlx::query_scalar("SELECT auto_template_id FROM inquiries WHERE id = $1").bind(q).fetch_one(&srv.db).await.expect("t");
    assert_eq!(template, Some(id));

    let (status, body) = srv.call(&admin, "admin_faq_retire", &[("id", &id.to_string()), ("retired", "true")]).await;
    assert_eq!(status, 200, "{body}");
    let q = file(&srv, &customer, "product", "선물 포장 해주시나요?", "친구 선물이라 포장해서 보내주실 수 있나요", "k-gift-2").await;
    let template: Option<i64> = sqlx::query_scalar("SELECT auto_template_id FROM inquiries WHERE id = $1").bind(q).fetch_one(&srv.db).await.expect("t");
    assert_ne!(template, Some(id), "a retired template answers nothing");
}

#[tokio::test]
async fn every_save_is_a_revision_with_an_audit_entry_and_revert_restores_the_content() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM faq_templates WHERE question = '배송비는 얼마인가요?'").fetch_one(&srv.db).await.expect("template");
    let (_, body) = srv.call(&admin, "admin_faq_get", &[("id", &id.to_string()), ("test", ""), ("locale", "Ko")]).await;
    let before = json(&body)["template"].clone();
    let original_answer = before["answer"].as_str().expect("answer").to_string();
    let phrasings = before["phrasings"].as_array().expect("phrasings").iter().map(|p| p.as_str().unwrap_or("")).collect::<Vec<_>>().join("\n");

    let (status, body) = srv
        .call(&admin, "admin_faq_save", &[("id", &id.to_string()), ("type_code", "delivery"), ("language", "ko"), ("question", "배송비는 얼마인가요?"), ("phrasings", &phrasings), ("answer", "이번 달은 모든 주문이 무료 배송입니다.")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = srv.call(&admin, "admin_faq_get", &[("id", &id.to_string()), ("test", "택배비 얼마예요"), ("locale", "Ko")]).await;
    let v = json(&body);
    assert_eq!(v["template"]["revision"], 2);
    assert_eq!(v["template"]["revisions"].as_array().expect("revisions").len(), 2);
    assert_eq!(v["template"]["revisions"][0]["editor"], "관리자 Admin");
    assert_eq!(v["ranking"][0]["template_id"], id, "the test box ranks the template first: {body}");
    let audit: (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT action, before_json, after_json FROM audit_log WHERE entity = 'faq_template' AND entity_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(id.to_string())
            .fetch_one(&srv.db)
            .await
            .expect("audit");
    assert_eq!(audit.0, "faq.update");
    assert!(audit.1.expect("before").contains(&original_answer));
    assert!(audit.2.expect("after").contains("무료 배송"));

    let (status, body) = srv.call(&admin, "admin_faq_revert", &[("id", &id.to_string()), ("revision", "1")]).await;
    assert_eq!(status, 200, "{body}");
    let (answer, revision): (String, i64) = sqlx::query_as("SELECT answer, current_revision FROM faq_templates WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("t");
    assert_eq!((answer.as_str(), revision), (original_answer.as_str(), 3));
    let (status, _) = srv.call(&admin, "admin_faq_revert", &[("id", &id.to_string()), ("revision", "9")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn bad_drafts_are_refused_field_by_field_and_nothing_is_saved() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM faq_revisions").fetch_one(&srv.db).await.expect("count");
    for (field, form) in [
        ("question", [("id", ""), ("type_code", "delivery"), ("language", "ko"), ("question", "  "), ("phrasings", ""), ("answer", "a")]),
        ("answer", [("id", ""), ("type_code", "delivery"), ("language", "ko"), ("question", "q"), ("phrasings", ""), ("answer", "")]),
        ("language", [("id", ""), ("type_code", "delivery"), ("language", "fr"), ("question", "q"), ("phrasings", ""), ("answer", "a")]),
        ("type_code", [("id", ""), ("type_code", "nope"), ("language", "ko"), ("question", "q"), ("phrasings", ""), ("answer", "a")]),
    ] {
        let (status, body) = srv.call(&admin, "admin_faq_save", &form).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{field}: {body}");
    }
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM faq_revisions").fetch_one(&srv.db).await.expect("count");
    assert_eq!(before, after);
}

#[tokio::test]
async fn customers_and_agents_cannot_use_the_faq_editor() {
    let srv = TestServer::start(true).await;
    let id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM faq_templates").fetch_one(&srv.db).await.expect("id");
    let id = id.to_string();
    for who in ["customer1@example.com", "agent1@example.com"] {
        let c = srv.signed_in(who).await;
        for (endpoint, form) in [
            ("admin_faq_list", vec![("q", ""), ("type_code", ""), ("language", ""), ("active", ""), ("locale", "Ko")]),
            ("admin_faq_get", vec![("id", id.as_str()), ("test", ""), ("locale", "Ko")]),
            ("admin_faq_save", vec![("id", id.as_str()), ("type_code", "delivery"), ("language", "ko"), ("question", "q"), ("phrasings", ""), ("answer", "a")]),
            ("admin_faq_retire", vec![("id", id.as_str()), ("retired", "true")]),
            ("admin_faq_revert", vec![("id", id.as_str()), ("revision", "1")]),
        ] {
            let (status, body) = srv.call(&c, endpoint, &form).await;
            assert_eq!(status, 403, "{who} on {endpoint}: {body}");
        }
    }
    let question: String = sqlx::query_scalar("SELECT question FROM faq_templates WHERE id = $1").bind(id.parse::<i64>().expect("id")).fetch_one(&srv.db).await.expect("q");
    assert_ne!(question, "q");
}

#[tokio::test]
async fn an_agents_proposal_becomes_a_template_when_an_admin_approves_it() {
    let srv = TestServer::start(true).await;
    let inquiry: i64 = sqlx::query_scalar(
        "SELECT i.id FROM inquiries i JOIN agent_groups g ON g.id = i.group_id WHERE g.code = 'payments_delivery' ORDER BY i.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("inquiry");
    let id = inquiry.to_string();
    let agent3 = srv.signed_in("agent3@example.com").await;
    let (status, _) = srv.call(&agent3, "propose_faq", &[("id", &id), ("question", "q"), ("answer", "a")]).await;
    assert_eq!(status, 403, "not agent3's group");
    let agent1 = srv.signed_in("agent1@example.com").await;
    let (status, body) = srv.call(&agent1, "propose_faq", &[("id", &id), ("question", ""), ("answer", "a")]).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = srv
        .call(&agent1, "propose_faq", &[("id", &id), ("question", "해외 배송도 되나요?"), ("answer", "현재는 국내 배송만 합니다.")])
        .await;
    assert_eq!(status, 200, "{body}");

    let admin = srv.signed_in("admin@example.com").await;
    let (_, body) = srv.call(&admin, "admin_faq_proposals", &[("locale", "Ko")]).await;
    let list = json(&body);
    let proposal = list.as_array().expect("list").iter().find(|p| p["question"] == "해외 배송도 되나요?").expect("pending").clone();
    assert_eq!(proposal["language"], "ko");
    let pid = proposal["id"].as_i64().expect("id").to_string();
    let (status, body) = srv.call(&admin, "admin_faq_decide", &[("id", &pid), ("approve", "true")]).await;
    assert_eq!(status, 200, "{body}");
    let template: i64 = sqlx::query_scalar("SELECT id FROM faq_templates WHERE question = '해외 배송도 되나요?'").fetch_one(&srv.db).await.expect("template");
    assert!(body.contains(&format!("/admin/faq/{template}")));
    // decided once
    let (status, _) = srv.call(&admin, "admin_faq_decide", &[("id", &pid), ("approve", "false")]).await;
    assert_eq!(status, 404);
}
