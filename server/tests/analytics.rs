//! Analytics against the real server: volume figures on a hand-built set of inquiries match
//! hand-computed values, and so do service metrics (first response, resolution, target
//! attainment, satisfaction, VOC); the CSV exports say the same as the page; the rollups kept up
//! to date by the app agree with a rebuild from the inquiries; and only admins may read any of it.

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
    // a write transaction from the start: the mail sender writes meanwhile, and a read-then-write
    // deferred one would fail with SQLITE_BUSY_SNAPSHOT
    let mut tx = app::store::write_tx(&srv.db).await.expect("tx");
    app::store::analytics::rebuild(&mut tx).await.expect("rebuild");
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
    let hours = || async { app::store::analytics::hours(&srv.db, 0, i64::MAX, None).await.expect("rows") };
    let escalations = || async {
        app::store::analytics::totals_by_hour(&srv.db, 0, i64::MAX).await.expect("totals").iter().map(|(_, c)| c.escalated).sum::<i64>()
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

/// A hand-built inquiry with its service facts (offsets in seconds from arrival).
struct Served<'a> {
    date: &'a str,
    code: &'a str,
    first_response_s: Option<i64>,
    target_s: i64,
    resolved_s: Option<i64>,
    csat: Option<i64>,
    voc: Option<&'a str>,
}

async fn insert_served(srv: &TestServer, x: Served<'_>) {
    let at = parse_date(x.date, CENTRE_OFFSET_MS).expect("date") + 10 * HOUR_MS;
    sqlx::query(
        "INSERT INTO inquiries (customer_id, type_id, subject, status, channel, group_id, created_at, updated_at, sla_due_at,
                                first_response_at, resolved_at, csat, voc_category)
         VALUES ((SELECT MIN(id) FROM customers), $1, 'hand-built', 'resolved', 'web', (SELECT MIN(id) FROM agent_groups), $2, $2, $3, $4, $5, $6, $7)",
    )
    .bind(type_id(srv, x.code).await)
    .bind(at)
    .bind(at + x.target_s * 1000)
    .bind(x.first_response_s.map(|s| at + s * 1000))
    .bind(x.resolved_s.map(|s| at + s * 1000))
    .bind(x.csat)
    .bind(x.voc)
    .execute(&srv.db)
    .await
    .expect("insert");
}

/// `got` is within one histogram bucket (a ninth) of the exact `want`.
fn near(got: &Value, want: f64) -> bool {
    got.as_f64().is_some_and(|g| (g / want - 1.0).abs() < 0.0906)
}

#[tokio::test]
async fn service_metrics_on_hand_built_inquiries_match_hand_computed_figures_and_the_csv() {
    let srv = TestServer::start(true).await;
    let s = |date, code, first_response_s, resolved_s, csat, voc| Served { date, code, first_response_s, target_s: 3600, resolved_s, csat, voc };
    // 2031-03-03 is a Monday; the target is an hour
    insert_served(&srv, s("2031-03-03", "delivery", Some(60), Some(3_600), Some(5), Some("question"))).await;
    insert_served(&srv, s("2031-03-04", "delivery", Some(600), Some(7_200), Some(4), Some("question"))).await;
    insert_served(&srv, s("2031-03-11", "delivery", Some(6_000), None, None, Some("suggestion"))).await; // late
    insert_served(&srv, s("2031-03-12", "payment", Some(30), Some(86_400), Some(1), Some("complaint"))).await;
    insert_served(&srv, s("2031-05-01", "payment", Some(30), Some(60), Some(1), Some("complaint"))).await; // outside
    // a write transaction from the start: the mail sender writes meanwhile, and a read-then-write
    // deferred one would fail with SQLITE_BUSY_SNAPSHOT
    let mut tx = app::store::write_tx(&srv.db).await.expect("tx");
    app::store::service_metrics::rebuild(&mut tx).await.expect("rebuild");
    tx.commit().await.expect("commit");

    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv.call(&admin, "admin_volume", &[("from", "2031-03-01"), ("to", "2031-04-30"), ("type_code", ""), ("locale", "En")]).await;
    assert_eq!(status, 200, "{body}");
    let v = json(&body);
    let all = &v["service"]["all"];
    assert_eq!(all["sla_met"], 3);
    assert_eq!(all["sla_total"], 4);
    assert_eq!(all["csat"], serde_json::json!([1, 0, 0, 1, 1]));
    assert_eq!(all["first_response"]["count"], 4);
    assert_eq!(all["resolution"]["count"], 3);
    // first responses 30, 60, 600, 6000 s: median between 60 and 600 (rank 2 of 4 is the 60 s one)
    assert!(near(&all["first_response"]["median_s"], 60.0), "{}", all["first_response"]);
    let delivery = v["service"]["by_type"].as_array().expect("types").iter().find(|t| t["type_code"] == "delivery").expect("delivery").clone();
    assert!(near(&delivery["first_response"]["median_s"], 600.0), "{}", delivery["first_response"]);
    assert!(near(&delivery["first_response"]["p90_s"], 6_000.0), "{}", delivery["first_response"]);
    assert!(near(&delivery["resolution"]["median_s"], 3_600.0), "{}", delivery["resolution"]);
    assert_eq!((delivery["sla_met"].as_i64(), delivery["sla_total"].as_i64()), (Some(2), Some(3)));
    assert_eq!(delivery["csat"], serde_json::json!([0, 0, 0, 1, 1]));
    // VOC by week (Monday dates) for a two-month range
    assert_eq!(v["service"]["voc_by_week"], true);
    assert_eq!(
        v["service"]["voc"],
        serde_json::json!([{"period": "2031-03-03", "counts": [0, 2, 0, 0]}, {"period": "2031-03-10", "counts": [1, 0, 0, 1]}])
    );

    // the CSVs say the same
    let csv = |path: &str| {
        let admin = admin.clone();
        let url = srv.url(path);
        async move {
            let res = admin.get(url).send().await.expect("csv");
            assert_eq!(res.status(), 200);
            res.text().await.expect("body")
        }
    };
    let service = csv("/admin/service.csv?from=2031-03-01&to=2031-04-30").await;
    let lines: Vec<&str> = service.lines().collect();
    assert!(lines[0].starts_with("inquiry_type,first_responses,first_response_median_s"), "{service}");
    assert!(lines[1].starts_with("(all),4,"), "{service}");
    assert!(lines[1].contains(",3,4,0.7500,1,0,0,1,1,3.33"), "{service}");
    assert!(lines.iter().any(|l| l.starts_with("delivery,3,") && l.ends_with(",2,3,0.6667,0,0,0,1,1,4.50")), "{service}");
    let voc = csv("/admin/voc.csv?from=2031-03-01&to=2031-04-30").await;
    assert_eq!(voc.lines().collect::<Vec<_>>(), vec!["week_of,complaint,question,compliment,suggestion", "2031-03-03,0,2,0,0", "2031-03-10,1,0,0,1"]);
    // a year: by month
    let voc = csv("/admin/voc.csv?from=2031-01-01&to=2031-12-31").await;
    assert_eq!(voc.lines().collect::<Vec<_>>(), vec!["month,complaint,question,compliment,suggestion", "2031-03,1,2,0,1", "2031-05,1,0,0,0"]);
    assert_eq!(admin.get(srv.url("/admin/service.csv?to=nonsense")).send().await.expect("csv").status(), 422);
}

#[tokio::test]
async fn service_rollups_follow_the_life_of_an_inquiry_and_agree_with_a_rebuild() {
    let srv = TestServer::start(true).await;
    let cells = || async { app::store::service_metrics::rows(&srv.db, 0, i64::MAX, None).await.expect("rows") };
    let count = |rows: &[app::domain::service_metrics::MetricRow], metric| rows.iter().filter(|r| r.metric == metric).map(|r| r.n).sum::<i64>();
    use app::domain::service_metrics::Metric;
    sqlx::query("UPDATE inquiry_types SET auto_answer = 0").execute(&srv.db).await.expect("automation off");
    let start = cells().await;
    let customer = srv.signed_in("customer3@example.com").await;
    let agent = srv.signed_in("agent1@example.com").await;
    let (status, body) = srv
        .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "상자가 찌그러져 왔어요"), ("body", "포장 상자가 많이 찌그러져서 왔습니다. 확인 부탁드립니다."), ("idempotency_key", "k-service")])
        .await;
    assert_eq!(status, 200, "{body}");
    let id: i64 = serde_json::from_str::<String>(&body).expect("path").trim_start_matches("/my/inquiries/").parse().expect("id");
    let id_s = id.to_string();
    assert_eq!(cells().await, start, "nothing to count before an answer");
    let (status, body) = srv.call(&agent, "agent_reply", &[("id", &id_s), ("body", "확인해 보겠습니다. 사진을 보내 주시겠어요?"), ("template_id", ""), ("next_status", "resolved")]).await;
    assert_eq!(status, 200, "{body}");
    let now = cells().await;
    assert_eq!(count(&now, Metric::FirstResponse), count(&start, Metric::FirstResponse) + 1);
    assert_eq!(count(&now, Metric::Sla), count(&start, Metric::Sla) + 1);
    assert_eq!(count(&now, Metric::Resolution), count(&start, Metric::Resolution) + 1);
    let (status, body) = srv.call(&customer, "rate_inquiry", &[("id", &id_s), ("score", "2"), ("comment", "")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = srv.call(&customer, "reopen_inquiry", &[("id", &id_s)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(count(&cells().await, Metric::Resolution), count(&start, Metric::Resolution), "reopened: not resolved any more");
    for voc in ["complaint", "suggestion"] {
        let (status, body) = srv.call(&agent, "agent_set_voc", &[("id", &id_s), ("voc", voc)]).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, _) = srv.call(&agent, "agent_set_voc", &[("id", &id_s), ("voc", "rant")]).await;
    assert_eq!(status, 422, "only the four categories");
    assert_eq!(srv.call(&customer, "agent_set_voc", &[("id", &id_s), ("voc", "compliment")]).await.0, 403);
    let (status, body) = srv.call(&agent, "agent_retype", &[("id", &id_s), ("type_code", "payment")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = srv.call(&agent, "agent_set_status", &[("id", &id_s), ("status", "resolved")]).await;
    assert_eq!(status, 200, "{body}");
    let incremental = cells().await;
    assert_eq!(count(&incremental, Metric::Voc), count(&start, Metric::Voc) + 1, "re-filed, counted once");
    assert_eq!(count(&incremental, Metric::Csat), count(&start, Metric::Csat) + 1);
    assert!(incremental.iter().any(|r| r.type_code == "payment" && r.metric == Metric::Voc && r.bucket == 3), "moved with the re-type");
    let stored = app::store::service_metrics::cells(&srv.db).await.expect("cells");
    // a write transaction from the start: the mail sender writes meanwhile, and a read-then-write
    // deferred one would fail with SQLITE_BUSY_SNAPSHOT
    let mut tx = app::store::write_tx(&srv.db).await.expect("tx");
    app::store::service_metrics::rebuild(&mut tx).await.expect("rebuild");
    tx.commit().await.expect("commit");
    assert_eq!(stored, app::store::service_metrics::cells(&srv.db).await.expect("cells"), "counted as they happen = counted from scratch");
}

#[tokio::test]
async fn concurrent_changes_to_many_inquiries_all_land_and_agree_with_a_rebuild() {
    // each change reads the inquiry's facts before writing: under concurrent writers that must
    // neither fail (SQLITE_BUSY_SNAPSHOT) nor lose a count
    let srv = TestServer::start(true).await;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT i.id FROM inquiries i JOIN agent_groups g ON g.id = i.group_id
          WHERE g.code = 'payments_delivery' AND i.status IN ('new', 'open', 'waiting_customer') ORDER BY i.id LIMIT 8",
    )
    .fetch_all(&srv.db)
    .await
    .expect("ids");
    assert!(ids.len() >= 4, "the demo has open inquiries for agent1's group: {ids:?}");
    let agents = [srv.signed_in("agent1@example.com").await, srv.signed_in("agent2@example.com").await];
    let mut tasks = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        for (k, (endpoint, form)) in [
            ("agent_set_voc", vec![("voc", ["complaint", "question", "compliment", "suggestion"][n % 4])]),
            ("agent_reply", vec![("body", "확인해서 바로 알려 드리겠습니다."), ("template_id", ""), ("next_status", "resolved")]),
            ("agent_set_status", vec![("status", "open")]),
        ]
        .into_iter()
        .enumerate()
        {
            let c = agents[(n + k) % 2].clone();
            let (url, origin) = (srv.url(&format!("/api/{endpoint}")), srv.base.clone());
            let mut form: Vec<(&str, String)> = form.into_iter().map(|(a, b)| (a, b.to_string())).collect();
            form.push(("id", id.to_string()));
            tasks.push(tokio::spawn(async move {
                let res = c.post(url).header("origin", origin).form(&form).send().await.expect("send");
                (res.status().as_u16(), res.text().await.expect("body"))
            }));
        }
    }
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, 200, "{body}");
    }
    let stored = app::store::service_metrics::cells(&srv.db).await.expect("cells");
    // a write transaction from the start: the mail sender writes meanwhile, and a read-then-write
    // deferred one would fail with SQLITE_BUSY_SNAPSHOT
    let mut tx = app::store::write_tx(&srv.db).await.expect("tx");
    app::store::service_metrics::rebuild(&mut tx).await.expect("rebuild");
    tx.commit().await.expect("commit");
    assert_eq!(stored, app::store::service_metrics::cells(&srv.db).await.expect("cells"), "no count lost or doubled");
}

#[tokio::test]
async fn only_admins_see_analytics() {
    let srv = TestServer::start(true).await;
    let agent = srv.signed_in("agent1@example.com").await;
    let customer = srv.signed_in("customer2@example.com").await;
    for c in [&agent, &customer] {
        let (status, _) = srv.call(c, "admin_volume", &[("from", ""), ("to", ""), ("type_code", ""), ("locale", "En")]).await;
        assert_eq!(status, 403);
        for path in ["/admin/analytics.csv", "/admin/service.csv", "/admin/voc.csv"] {
            assert_eq!(c.get(srv.url(path)).send().await.expect("csv").status(), 403, "{path}");
        }
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

async fn agent_id(srv: &TestServer, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&srv.db).await.expect("agent")
}

#[tokio::test]
async fn the_staffing_plan_starts_from_inquiries_chats_and_the_roster_admins_edit() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let history = |c: reqwest::Client| {
        let srv = &srv;
        async move {
            let (status, body) = srv.call(&c, "admin_staffing_history", &[]).await;
            assert_eq!(status, 200, "{body}");
            json(&body)
        }
    };
    let h = history(admin.clone()).await;
    let plan = &h["plan"];
    let sum = |v: &Value| v.as_array().expect("slots").iter().map(|x| x.as_f64().expect("n")).sum::<f64>();
    assert_eq!(plan["inquiries"].as_array().map(Vec::len), Some(168));
    assert!(sum(&plan["inquiries"]) > 0.0 && sum(&plan["chats"]) > 0.0, "the demo has both");
    let aht = plan["chat_aht_s"].as_f64().expect("chat AHT from handled chats");
    assert!((180.0..=720.0).contains(&aht), "demo chats take 3-12 minutes: {aht}");
    // the demo roster: Monday 09:00 has agent1 and agent3, 12:00 all four, Sunday nobody
    let roster = |h: &Value, slot: usize| h["plan"]["roster"][slot].as_u64().expect("roster");
    assert_eq!((roster(&h, 9), roster(&h, 12), roster(&h, 6 * 24 + 12)), (2, 4, 0));

    // shifts are edited per agent, kept in canonical form, audited, and move the roster
    let agent1 = agent_id(&srv, "agent1@example.com").await.to_string();
    let update = |shifts: &'static str, disabled: bool| {
        let mut form = vec![("user_id", agent1.clone()), ("groups[0]", "payments_delivery".to_string()), ("chat_limit", "3".to_string()), ("shifts", shifts.to_string())];
        if disabled {
            form.push(("disabled", "on".to_string()));
        }
        form
    };
    let call = |form: Vec<(&'static str, String)>| {
        let srv = &srv;
        let admin = admin.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            srv.call(&admin, "admin_agent_update", &form).await
        }
    };
    let (status, body) = call(update("일 3-5; 월 22-02", false)).await;
    assert_eq!(status, 200, "{body}");
    let stored: Option<String> = sqlx::query_scalar("SELECT shifts FROM agents WHERE user_id = $1").bind(agent1.parse::<i64>().expect("id")).fetch_one(&srv.db).await.expect("shifts");
    assert_eq!(stored.as_deref(), Some("mon 22-24, tue 00-02, sun 03-05"));
    let h = history(admin.clone()).await;
    assert_eq!((roster(&h, 9), roster(&h, 6 * 24 + 3), roster(&h, 24 + 1)), (1, 1, 1), "agent1 moved to nights");
    let (status, body) = call(update("mon 9", false)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("InvalidShift") && body.contains("mon 9"), "names the part that is wrong: {body}");
    let unchanged: Option<String> = sqlx::query_scalar("SELECT shifts FROM agents WHERE user_id = $1").bind(agent1.parse::<i64>().expect("id")).fetch_one(&srv.db).await.expect("shifts");
    assert_eq!(unchanged, stored, "nothing half-saved");
    // a disabled agent is not on the roster
    let (status, body) = call(update("daily 00-24", true)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(roster(&history(admin.clone()).await, 6 * 24 + 12), 0);
    let audit: String = sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = 'agent.update' ORDER BY id DESC LIMIT 1").fetch_one(&srv.db).await.expect("audit");
    assert!(audit.contains("daily 00-24"), "{audit}");

    // chats count as they start and end, the same as a rebuild
    let chats_total = || async {
        let rows = app::store::analytics::chats_by_hour(&srv.db, 0, i64::MAX).await.expect("chats");
        (rows.iter().map(|r| r.1).sum::<i64>(), rows.iter().map(|r| r.2).sum::<i64>(), rows.iter().map(|r| r.3).sum::<i64>())
    };
    let before = chats_total().await;
    let customer = srv.signed_in("customer2@example.com").await;
    let (status, body) = srv.call(&customer, "start_chat", &[("type_code", "delivery"), ("body", "배송 문의드려요")]).await;
    assert_eq!(status, 200, "{body}");
    let chat_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM chats").fetch_one(&srv.db).await.expect("chat");
    assert_eq!(chats_total().await.0, before.0 + 1);
    let agent = srv.signed_in("agent2@example.com").await;
    let (status, body) = srv.call(&agent, "accept_chat", &[("chat_id", &chat_id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = srv.call(&customer, "end_chat", &[("chat_id", &chat_id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let incremental = chats_total().await;
    assert_eq!(incremental.1, before.1 + 1, "handled");
    // a write transaction from the start: the mail sender writes meanwhile, and a read-then-write
    // deferred one would fail with SQLITE_BUSY_SNAPSHOT
    let mut tx = app::store::write_tx(&srv.db).await.expect("tx");
    app::store::analytics::rebuild_chats(&mut tx).await.expect("rebuild");
    tx.commit().await.expect("commit");
    assert_eq!(chats_total().await, incremental, "counted as they happen = counted from scratch");

    // the week's plan as CSV, with the page's assumptions or the ones in the query string
    let csv = |q: &'static str| {
        let admin = admin.clone();
        let url = srv.url(&format!("/admin/staffing.csv{q}"));
        async move {
            let res = admin.get(url).send().await.expect("csv");
            (res.status().as_u16(), res.text().await.expect("body"))
        }
    };
    let (status, body) = csv("").await;
    assert_eq!(status, 200, "{body}");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 1 + 168);
    assert!(lines[0].starts_with("weekday,hour,inquiries,chats,"), "{body}");
    assert!(lines[1].starts_with("Mon,00:00,") && lines[168].starts_with("Sun,23:00,"), "{body}");
    let (_, all_automated) = csv("?automation_pct=100").await;
    assert!(all_automated.lines().skip(1).all(|l| l.split(',').nth(5) == Some("0")), "no web agents when every inquiry is answered automatically");
    let (status, body) = csv("?target_pct=150&concurrency=x").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("target_pct") && body.contains("concurrency"), "{body}");

    // agents and customers cannot read the plan
    for c in [agent, customer] {
        assert_eq!(srv.call(&c, "admin_staffing_history", &[]).await.0, 403);
        assert_eq!(c.get(srv.url("/admin/staffing.csv")).send().await.expect("csv").status(), 403);
    }
}
