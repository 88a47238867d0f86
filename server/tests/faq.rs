//! FAQ automation against the real server: automatic answers only at or above the type's
//! threshold, the customer's verdict, escalation routing, and closing after three days.

mod common;

use common::TestServer;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// Files an inquiry and returns its id.
async fn file(srv: &TestServer, c: &reqwest::Client, type_code: &str, subject: &str, body: &str, key: &str) -> i64 {
    let (status, res) = srv
        .call(c, "create_inquiry", &[("type_code", type_code), ("order_no", ""), ("subject", subject), ("body", body), ("idempotency_key", key)])
        .await;
    assert_eq!(status, 200, "{res}");
    let path: String = serde_json::from_str(&res).expect("path");
    path.trim_start_matches("/my/inquiries/").parse().expect("id")
}

/// (status, type code, group code, auto template id, auto score, faq outcome) of an inquiry.
async fn inquiry(srv: &TestServer, id: i64) -> (String, String, String, Option<i64>, Option<f64>, Option<String>) {
    sqlx::query_as(
        "SELECT i.status, t.code, g.code, i.auto_template_id, i.auto_score, i.faq_outcome
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id JOIN agent_groups g ON g.id = i.group_id WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(&srv.db)
    .await
    .expect("inquiry row")
}

async fn template_counters(srv: &TestServer, id: i64) -> (i64, i64, i64) {
    sqlx::query_as("SELECT hits, solved, escalations FROM faq_templates WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("counters")
}

async fn set_threshold(srv: &TestServer, code: &str, auto: bool, threshold: f64) {
    sqlx::query("UPDATE inquiry_types SET auto_answer = $1, auto_answer_threshold = $2 WHERE code = $3")
        .bind(auto as i64)
        .bind(threshold)
        .bind(code)
        .execute(&srv.db)
        .await
        .expect("threshold");
}

const DELIVERY_SUBJECT: &str = "배송 언제 도착하나요?";
const DELIVERY_BODY: &str = "주문한 상품 언제 와요? 배송 기간이 얼마나 걸리나요";

#[tokio::test]
async fn auto_answer_happens_only_at_or_above_the_types_threshold() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer3@example.com").await;
    set_threshold(&srv, "delivery", true, 0.0).await;
    let first = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-auto-1").await;
    let (status, _, _, template, score, _) = inquiry(&srv, first).await;
    assert_eq!(status, "auto_answered");
    let (template, score) = (template.expect("template recorded"), score.expect("score recorded"));
    let question: String = sqlx::query_scalar("SELECT question FROM faq_templates WHERE id = $1").bind(template).fetch_one(&srv.db).await.expect("q");
    assert_eq!(question, "배송은 언제 오나요?", "the delivery-time template in the customer's language");
    assert_eq!(template_counters(&srv, template).await.0 > 0, true);

    // the customer sees the bot's answer at once
    let (_, body) = srv.call(&c, "my_inquiry", &[("id", &first.to_string()), ("locale", "Ko")]).await;
    let detail = json(&body);
    let messages = detail["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 2, "{body}");
    assert_eq!(messages[1]["author_kind"], "bot");
    assert!(messages[1]["body"].as_str().expect("answer").contains("출고"), "{body}");

    // just above the score: the same text waits for a person
    set_threshold(&srv, "delivery", true, score + 1e-6).await;
    let above = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-auto-2").await;
    assert_eq!(inquiry(&srv, above).await.0, "new");
    // exactly at the score: answered
    set_threshold(&srv, "delivery", true, score).await;
    let at = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-auto-3").await;
    assert_eq!(inquiry(&srv, at).await.0, "auto_answered");
    // automation switched off for the type: never answered
    set_threshold(&srv, "delivery", false, 0.0).await;
    let off = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-auto-4").await;
    let (status, _, _, template, score, _) = inquiry(&srv, off).await;
    assert_eq!((status.as_str(), template, score), ("new", None, None));
}

#[tokio::test]
async fn i_still_need_a_person_routes_to_the_types_group_with_the_bot_answer_kept() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer3@example.com").await;
    set_threshold(&srv, "delivery", true, 0.0).await;
    let id = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-escalate").await;
    let template = inquiry(&srv, id).await.3.expect("answered");
    let before = template_counters(&srv, template).await;

    // another customer cannot decide for this one
    let other = srv.signed_in("customer2@example.com").await;
    let (status, body) = srv.call(&other, "decide_auto_answer", &[("id", &id.to_string()), ("solved", "false")]).await;
    assert_eq!((status, body.as_str()), (404, "\"NotFound\""));

    let (status, body) = srv.call(&c, "decide_auto_answer", &[("id", &id.to_string()), ("solved", "false")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, group, _, _, outcome) = inquiry(&srv, id).await;
    assert_eq!((status.as_str(), group.as_str(), outcome.as_deref()), ("open", "payments_delivery", Some("escalated")));
    let after = template_counters(&srv, template).await;
    assert_eq!((after.1, after.2), (before.1, before.2 + 1));
    let (_, body) = srv.call(&c, "my_inquiry", &[("id", &id.to_string()), ("locale", "En")]).await;
    let kinds: Vec<String> = json(&body)["messages"].as_array().expect("messages").iter().map(|m| m["author_kind"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(kinds, ["customer", "bot", "system"]);

    // a decision is taken once
    let (status, body) = srv.call(&c, "decide_auto_answer", &[("id", &id.to_string()), ("solved", "true")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("NotAutoAnswered"), "{body}");
}

#[tokio::test]
async fn solved_closes_the_inquiry_and_counts_for_the_template() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer4@example.com").await;
    set_threshold(&srv, "delivery", true, 0.0).await;
    let id = file(&srv, &c, "delivery", "When will my order arrive?", "How long does delivery take?", "k-solved").await;
    let (_, _, _, template, _, _) = inquiry(&srv, id).await;
    let template = template.expect("answered");
    let question: String = sqlx::query_scalar("SELECT question FROM faq_templates WHERE id = $1").bind(template).fetch_one(&srv.db).await.expect("q");
    assert_eq!(question, "When will my order arrive?", "an English question gets the English template");
    let before = template_counters(&srv, template).await;
    let (status, body) = srv.call(&c, "decide_auto_answer", &[("id", &id.to_string()), ("solved", "true")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, _, _, _, outcome) = inquiry(&srv, id).await;
    assert_eq!((status.as_str(), outcome.as_deref()), ("closed", Some("solved")));
    assert_eq!(template_counters(&srv, template).await.1, before.1 + 1);
}

#[tokio::test]
async fn automatic_answers_left_alone_for_three_days_close_as_solved() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer3@example.com").await;
    set_threshold(&srv, "delivery", true, 0.0).await;
    let old = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-old").await;
    let fresh = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-fresh").await;
    let now = app::store::now_ms();
    let three_days = 3 * 24 * 3_600_000;
    sqlx::query("UPDATE inquiries SET updated_at = $1 WHERE id = $2").bind(now - three_days).bind(old).execute(&srv.db).await.expect("age");
    sqlx::query("UPDATE inquiries SET updated_at = $1 WHERE id = $2").bind(now - three_days + 60_000).bind(fresh).execute(&srv.db).await.expect("age");
    // the demo has its own recent automatic answers; only the ones three days old may close
    let closed = app::store::inquiries::close_stale_auto_answers(&srv.db, now).await.expect("closes");
    assert!(closed >= 1);
    let (status, _, _, _, _, outcome) = inquiry(&srv, old).await;
    assert_eq!((status.as_str(), outcome.as_deref()), ("closed", Some("timed_out")));
    assert_eq!(inquiry(&srv, fresh).await.0, "auto_answered");
    // running it again changes nothing
    assert_eq!(app::store::inquiries::close_stale_auto_answers(&srv.db, now).await.expect("again"), 0);
}

#[tokio::test]
async fn other_is_filed_under_the_type_of_the_matching_template() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer3@example.com").await;
    set_threshold(&srv, "account", false, 0.0).await;
    let id = file(&srv, &c, "other", "비밀번호를 잊어버렸어요", "비밀번호 재설정은 어떻게 하나요? 로그인이 안 돼요", "k-other").await;
    let (status, code, group, ..) = inquiry(&srv, id).await;
    assert_eq!((status.as_str(), code.as_str(), group.as_str()), ("new", "account", "general"));
}

#[tokio::test]
async fn an_edited_answer_is_used_for_the_next_inquiry() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer3@example.com").await;
    set_threshold(&srv, "delivery", true, 0.0).await;
    let id = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-before-edit").await;
    let template = inquiry(&srv, id).await.3.expect("answered");
    sqlx::query("UPDATE faq_templates SET answer = '새 답변: 오늘 출고됩니다.' WHERE id = $1").bind(template).execute(&srv.db).await.expect("edit");
    let id = file(&srv, &c, "delivery", DELIVERY_SUBJECT, DELIVERY_BODY, "k-after-edit").await;
    let bot: String = sqlx::query_scalar("SELECT body FROM inquiry_messages WHERE inquiry_id = $1 AND author_kind = 'bot'")
        .bind(id)
        .fetch_one(&srv.db)
        .await
        .expect("bot answer");
    assert_eq!(bot, "새 답변: 오늘 출고됩니다.", "the answer is read when answering, never a stale copy");
}

#[tokio::test]
async fn the_faq_pack_is_public_cached_by_tag_and_changes_with_a_save() {
    use app::domain::faq_pack::FaqPack;
    let srv = TestServer::start(true).await;
    let c = srv.client();
    let res = c.get(srv.url("/faq/pack")).header("accept-encoding", "gzip").send().await.expect("pack");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    let tag = res.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_string();
    // reqwest without the gzip feature hands over the compressed body: fetch it again plain
    let bytes = c.get(srv.url("/faq/pack")).send().await.expect("pack").bytes().await.expect("body");
    let pack = FaqPack::decode(&bytes).expect("a valid pack");
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM faq_templates WHERE retired = 0").fetch_one(&srv.db).await.expect("count");
    assert_eq!(pack.templates.len() as i64, active);
    let best = pack.suggest("비밀번호를 잊어버렸는데 재설정 어떻게 해요", 1);
    assert_eq!(pack.templates[best[0].template].question, "비밀번호를 잊어버렸어요.");

    let again = c.get(srv.url("/faq/pack")).header("if-none-match", &tag).send().await.expect("revalidate");
    assert_eq!(again.status(), 304);

    // a saved template changes the pack (and so its tag) at once
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv
        .call(&admin, "admin_faq_retire", &[("id", &pack.templates[best[0].template].id.to_string()), ("retired", "true")])
        .await;
    assert_eq!(status, 200, "{body}");
    let fresh = c.get(srv.url("/faq/pack")).header("if-none-match", &tag).send().await.expect("after save");
    assert_eq!(fresh.status(), 200);
    assert_ne!(fresh.headers().get("etag").and_then(|v| v.to_str().ok()), Some(tag.as_str()));
}

#[tokio::test]
async fn a_deflection_is_recorded_once_for_customers_only() {
    let srv = TestServer::start(true).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM faq_templates WHERE retired = 0 ORDER BY id LIMIT 1").fetch_one(&srv.db).await.expect("template");
    let id_s = id.to_string();
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM faq_deflections").fetch_one(&srv.db).await.expect("count") };
    let before = count().await;

    let anonymous = srv.client();
    assert_eq!(srv.call(&anonymous, "record_deflection", &[("template_id", &id_s)]).await.0, 401);
    let agent = srv.signed_in("agent1@example.com").await;
    assert_eq!(srv.call(&agent, "record_deflection", &[("template_id", &id_s)]).await.0, 403);

    let customer = srv.signed_in("customer4@example.com").await;
    assert_eq!(srv.call(&customer, "record_deflection", &[("template_id", &id_s)]).await.0, 200);
    // the same thanks twice within the hour counts once
    assert_eq!(srv.call(&customer, "record_deflection", &[("template_id", &id_s)]).await.0, 200);
    assert_eq!(count().await, before + 1);
    assert_eq!(srv.call(&customer, "record_deflection", &[("template_id", "999999")]).await.0, 404);
    assert_eq!(srv.call(&customer, "record_deflection", &[("template_id", "x")]).await.0, 400);
    let inquiries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.user_id WHERE u.email = 'customer4@example.com' AND i.created_at > $1")
        .bind(app::store::now_ms() - 60_000)
        .fetch_one(&srv.db)
        .await
        .expect("inquiries");
    assert_eq!(inquiries, 0, "a deflection files no inquiry");
}
