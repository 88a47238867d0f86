//! Analytics against the real server: volume figures on a hand-built set of inquiries match
//! hand-computed values, the CSV export says the same as the page, the rollups kept up to date by
//! the app agree with a rebuild from the inquiries, and only admins may read any of it.

mod common;

use app::domain::calendar::{parse_date, CENTRE_OFFSET_MS, HOUR_MS};
use common::TestServer;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

async fn type_id(srv: &TestServer, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = $1").bind(code).fetch_one(&srv.db).await.expect("type")
}

/// An inquiry at a local date and hour (Seoul), straight into the table.
async fn insert(srv: &TestServer, date: &str, hour: i64, code: &str, channel: &str, auto: bool) {
    let at = parse_date(date, CENTRE_OFFSET_MS).expect("date") + hour * HOUR_MS + 17 * 60_000;
    let template: Option<i64> = if auto { sqlx::query_scalar("SELECT MIN(id) FROM faq_templates").fetch_one(&srv.db).await.expect("template") } else { None };
    sqlx::query(
        "INSERT INTO inquiries (customer_id, type_id, subject, status, channel, group_id, created_at, updated_at, sla_due_at, auto_template_id)
         VALUES ((SELECT MIN(id) FROM customers), $1, 'hand-built', 'open', $2, (SELECT MIN(id) FROM agent_groups), $3, $3, $3, $4)",
    )
    .bind(type_id(srv, code).await)
    .bind(channel)
    .bind(at)
    .bind(template)
    .execute(&srv.db)
    .await
    .expect("insert");
}

async fn rebuild(srv: &TestServer) {
    let mut tx = srv.db.begin().await.expect("tx");
    app::db::analytics::rebuild(&mut tx).await.expect("rebuild");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn volume_on_a_hand_built_week_matches_hand_computed_figures_and_the_csv() {
    let srv = TestServer::start(true).await;
    // 2031-03-03 is a Monday
    insert(&srv, "2031-03-03", 9, "delivery", "web", true).await;
    insert(&srv, "2031-03-03", 9, "delivery", "web", false).await;
    insert(&srv, "2031-03-03", 9, "payment", "chat", false).await;
    insert(&srv, "2031-03-03", 23, "delivery", "web", true).await;
    insert(&srv, "2031-03-09", 0, "other", "web", false).await; // Sunday
    insert(&srv, "2031-04-01", 14, "delivery", "web", false).await; // Tuesday, next month
    insert(&srv, "2031-05-01", 10, "delivery", "web", false).await; // outside the range
    rebuild(&srv).await;
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv.call(&admin, "admin_volume", &[("from", "2031-03-01"), ("to", "2031-04-30"), ("type_code", ""), ("locale", "En")]).await;
    assert_eq!(status, 200, "{body}");
    let v = &json(&body)["volume"];
    assert_eq!(v["total"], 6);
    assert_eq!(v["auto_answered"], 2);
    assert_eq!(v["by_hour"][9], 3);
    assert_eq!(v["by_hour"][23], 1);
    assert_eq!(v["by_hour"][0], 1);
    assert_eq!(v["by_hour"][14], 1);
    assert_eq!(v["by_weekday"], serde_json::json!([4, 1, 0, 0, 0, 0, 1]));
    assert_eq!(v["heatmap"][0][9], 3);
    assert_eq!(v["heatmap"][6][0], 1);
    assert_eq!(v["by_month"], serde_json::json!([["2031-03", 5], ["2031-04", 1]]));
    assert_eq!(v["by_year"], serde_json::json!([[2031, 6]]));
    assert_eq!(v["by_type"][0], serde_json::json!(["delivery", 4]));
    assert_eq!(v["by_channel"], serde_json::json!([["web", 5], ["chat", 1]]));
    // one type only
    let (_, body) = srv.call(&admin, "admin_volume", &[("from", "2031-03-01"), ("to", "2031-04-30"), ("type_code", "payment"), ("locale", "En")]).await;
    assert_eq!(json(&body)["volume"]["total"], 1);

    // the CSV says the same: a line per local hour, type and channel
    let res = admin.get(srv.url("/admin/analytics.csv?from=2031-03-01&to=2031-04-30&type=")).send().await.expect("csv");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let csv = res.text().await.expect("body");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "date,weekday,hour,inquiry_type,channel,arrivals,auto_answered");
    assert!(lines.contains(&"2031-03-03,Mon,9,delivery,web,2,1"), "{csv}");
    assert!(lines.contains(&"2031-03-09,Sun,0,other,web,1,0"), "{csv}");
    let total: i64 = lines[1..].iter().map(|l| l.split(',').nth(5).expect("arrivals").parse::<i64>().expect("number")).sum();
    assert_eq!(total, 6, "the CSV adds up to the page's total");

    // bad ranges are field errors, not 500s
    for (from, to) in [("2031-04-30", "2031-03-01"), ("someday", ""), ("2031-02-30", "")] {
        let (status, body) = srv.call(&admin, "admin_volume", &[("from", from), ("to", to), ("type_code", ""), ("locale", "En")]).await;
        assert_eq!(status, 422, "{from}..{to}: {body}");
    }
    let res = admin.get(srv.url("/admin/analytics.csv?from=x")).send().await.expect("csv");
    assert_eq!(res.status(), 422);
    let (status, _) = srv.call(&admin, "admin_volume", &[("from", ""), ("to", ""), ("type_code", "nope"), ("locale", "En")]).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn rollups_follow_new_and_retyped_inquiries_and_agree_with_a_rebuild() {
    let srv = TestServer::start(true).await;
    let hours = || async { app::db::analytics::hours(&srv.db, 0, i64::MAX, None).await.expect("rows") };
    let escalations = || async {
        app::db::analytics::totals_by_hour(&srv.db, 0, i64::MAX).await.expect("totals").iter().map(|(_, c)| c.escalated).sum::<i64>()
    };
    let customer = srv.signed_in("customer3@example.com").await;
    // an automatic answer the customer escalates ("I still need a person")
    sqlx::query("UPDATE inquiry_types SET auto_answer = 1, auto_answer_threshold = 0.0 WHERE code = 'delivery'").execute(&srv.db).await.expect("automation on");
    let escalated_before = escalations().await;
    let (status, body) = srv
        .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "배송은 언제 오나요?"), ("body", "어제 주문했는데 언제 받을 수 있어요?"), ("idempotency_key", "k-auto")])
        .await;
    assert_eq!(status, 200, "{body}");
    let auto: i64 = serde_json::from_str::<String>(&body).expect("path").trim_start_matches("/my/inquiries/").parse().expect("id");
    let answered: Option<i64> = sqlx::query_scalar("SELECT auto_template_id FROM inquiries WHERE id = $1").bind(auto).fetch_one(&srv.db).await.expect("row");
    assert!(answered.is_some(), "answered automatically");
    let (status, body) = srv.call(&customer, "decide_auto_answer", &[("id", &auto.to_string()), ("solved", "false")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(escalations().await, escalated_before + 1);

    sqlx::query("UPDATE inquiry_types SET auto_answer = 0").execute(&srv.db).await.expect("automation off");
    let before: i64 = hours().await.iter().map(|r| r.arrivals).sum();
    let (status, body) = srv
        .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "상자가 찌그러져 왔어요"), ("body", "포장 상자가 많이 찌그러져서 왔습니다. 확인 부탁드립니다."), ("idempotency_key", "k-rollup")])
        .await;
    assert_eq!(status, 200, "{body}");
    let id: i64 = serde_json::from_str::<String>(&body).expect("path").trim_start_matches("/my/inquiries/").parse().expect("id");
    let after = hours().await;
    assert_eq!(after.iter().map(|r| r.arrivals).sum::<i64>(), before + 1);
    let agent = srv.signed_in("agent1@example.com").await;
    let (status, body) = srv.call(&agent, "agent_retype", &[("id", &id.to_string()), ("type_code", "account")]).await;
    assert_eq!(status, 200, "{body}");
    let incremental = (hours().await, escalations().await);
    rebuild(&srv).await;
    assert_eq!(incremental, (hours().await, escalations().await), "counted as they happen = counted from scratch");
}

#[tokio::test]
async fn only_admins_see_analytics() {
    let srv = TestServer::start(true).await;
    let agent = srv.signed_in("agent1@example.com").await;
    let customer = srv.signed_in("customer2@example.com").await;
    for c in [&agent, &customer] {
        let (status, _) = srv.call(c, "admin_volume", &[("from", ""), ("to", ""), ("type_code", ""), ("locale", "En")]).await;
        assert_eq!(status, 403);
        assert_eq!(c.get(srv.url("/admin/analytics.csv")).send().await.expect("csv").status(), 403);
    }
    assert_eq!(srv.client().get(srv.url("/admin/analytics.csv")).send().await.expect("csv").status(), 401);
    let (status, _) = srv.call(&srv.client(), "admin_volume", &[("from", ""), ("to", ""), ("type_code", ""), ("locale", "En")]).await;
    assert_eq!(status, 401);
    // agents get the read-only summary; customers do not
    let (status, body) = srv.call(&agent, "agent_volume_summary", &[]).await;
    assert_eq!(status, 200, "{body}");
    let summary = json(&body);
    let weeks: i64 = summary["four_weeks"]["heatmap"].as_array().expect("heatmap").iter().flat_map(|d| d.as_array().expect("day").iter().map(|v| v.as_i64().expect("n"))).sum();
    assert_eq!(weeks, summary["four_weeks"]["total"].as_i64().expect("total"));
    assert!(weeks > 0, "the demo's last four weeks");
    assert_eq!(srv.call(&customer, "agent_volume_summary", &[]).await.0, 403);
}
