//! Admin setup against the real server: inquiry types (create, edit, retire) with the audit log,
//! validation, and who may call it.

mod common;

use common::TestServer;

fn type_form<'a>(create: &'a str, code: &'a str, minutes: &'a str, threshold: &'a str, auto: bool) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("create", create),
        ("code", code),
        ("name_ko", "선물 포장"),
        ("name_en", "Gift wrapping"),
        ("group_code", "general"),
        ("first_response_minutes", minutes),
        ("threshold", threshold),
    ];
    if auto {
        f.push(("auto_answer", "on"));
    }
    f
}

#[tokio::test]
async fn admins_create_and_edit_inquiry_types_and_every_change_is_audited() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv.call(&admin, "admin_type_save", &type_form("true", "gift", "90", "0.85", true)).await;
    assert_eq!(status, 200, "{body}");
    let customer = srv.signed_in("customer1@example.com").await;
    let (_, body) = srv.call(&customer, "inquiry_types", &[("locale", "En")]).await;
    assert!(body.contains("Gift wrapping"), "customers can choose the new type: {body}");

    // the same code twice is a field error
    let (status, body) = srv.call(&admin, "admin_type_save", &type_form("true", "gift", "90", "0.85", true)).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("CodeTaken"), "{body}");

    // edit: automation off (the check box is absent), new target
    let (status, body) = srv.call(&admin, "admin_type_save", &type_form("false", "gift", "30", "0.9", false)).await;
    assert_eq!(status, 200, "{body}");
    let (target, auto, threshold): (i64, i64, f64) =
        sqlx::query_as("SELECT first_response_target_s, auto_answer, auto_answer_threshold FROM inquiry_types WHERE code = 'gift'")
            .fetch_one(&srv.db)
            .await
            .expect("type");
    assert_eq!((target, auto, threshold), (1800, 0, 0.9));
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'inquiry_type' ORDER BY id")
        .fetch_all(&srv.db)
        .await
        .expect("audit");
    assert_eq!(actions, ["type.create", "type.update"]);
    let before: Option<String> = sqlx::query_scalar("SELECT before_json FROM audit_log WHERE action = 'type.update'").fetch_one(&srv.db).await.expect("before");
    assert!(before.expect("before").contains("\"first_response_minutes\":90"));

    // an unknown type cannot be "updated" into existence
    let (status, _) = srv.call(&admin, "admin_type_save", &type_form("false", "nosuch", "30", "0.9", false)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn bad_type_settings_are_refused_field_by_field() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    for (field, form) in [
        ("code", type_form("true", "Gift Wrap", "60", "0.8", true)),
        ("first_response_minutes", type_form("true", "gift", "0", "0.8", true)),
        ("first_response_minutes", type_form("true", "gift", "abc", "0.8", true)),
        ("threshold", type_form("true", "gift", "60", "1.5", true)),
    ] {
        let (status, body) = srv.call(&admin, "admin_type_save", &form).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{field}: {body}");
    }
    let mut bad_group = type_form("true", "gift", "60", "0.8", true);
    bad_group[4] = ("group_code", "nope");
    let (status, body) = srv.call(&admin, "admin_type_save", &bad_group).await;
    assert_eq!(status, 422, "{body}");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiry_types WHERE code = 'gift'").fetch_one(&srv.db).await.expect("n");
    assert_eq!(n, 0);
    for who in ["customer1@example.com", "agent4@example.com"] {
        let c = srv.signed_in(who).await;
        let (status, _) = srv.call(&c, "admin_type_save", &type_form("true", "gift", "60", "0.8", true)).await;
        assert_eq!(status, 403, "{who}");
        let (status, _) = srv.call(&c, "admin_types", &[("locale", "Ko")]).await;
        assert_eq!(status, 403, "{who}");
    }
}

#[tokio::test]
async fn a_new_agent_works_their_group_and_disabling_ends_their_session_at_once() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv
        .call(&admin, "admin_agent_create", &[("name", "새 상담원"), ("email", "agent9@example.com"), ("password", "a-long-password-9"), ("groups[0]", "general"), ("chat_limit", "4")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = srv
        .call(&admin, "admin_agent_create", &[("name", "dup"), ("email", "AGENT9@example.com"), ("password", "a-long-password-9"), ("chat_limit", "4")])
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("EmailTaken"));
    let (status, body) = srv.call(&admin, "admin_agent_create", &[("name", "x"), ("email", "x@example.com"), ("password", "short"), ("chat_limit", "99")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("\"password\"") && body.contains("\"chat_limit\""), "{body}");

    let agent = srv.client();
    assert_eq!(srv.login(&agent, "agent9@example.com", "a-long-password-9").await.0, 200);
    let (status, body) = srv.call(&agent, "agent_queue", &[("type_code", ""), ("grade", ""), ("overdue", "false"), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    let codes: Vec<&str> = v["groups"].as_array().expect("groups").iter().map(|g| g["code"].as_str().unwrap_or("")).collect();
    assert_eq!(codes, ["general"]);

    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email_key = 'agent9@example.com'").fetch_one(&srv.db).await.expect("id");
    let (status, body) = srv
        .call(&admin, "admin_agent_update", &[("user_id", &user_id.to_string()), ("groups[1]", "payments_delivery"), ("chat_limit", "2"), ("disabled", "on")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = srv.call(&agent, "agent_queue", &[("type_code", ""), ("grade", ""), ("overdue", "false"), ("locale", "Ko")]).await;
    assert_eq!(status, 401, "the disabled agent's session ended");
    assert_eq!(srv.login(&agent, "agent9@example.com", "a-long-password-9").await.0, 401);
    let groups: Vec<String> = sqlx::query_scalar("SELECT g.code FROM agent_memberships m JOIN agent_groups g ON g.id = m.group_id WHERE m.agent_user_id = $1")
        .bind(user_id)
        .fetch_all(&srv.db)
        .await
        .expect("groups");
    assert_eq!(groups, ["payments_delivery"]);
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'user' ORDER BY id").fetch_all(&srv.db).await.expect("audit");
    assert_eq!(actions, ["agent.create", "agent.update"]);
}

#[tokio::test]
async fn push_mode_assigns_new_inquiries_to_the_least_loaded_online_agent() {
    let srv = TestServer::start(true).await;
    sqlx::query("UPDATE inquiry_types SET auto_answer = 0").execute(&srv.db).await.expect("no automation");
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv
        .call(&admin, "admin_group_save", &[("create", "false"), ("code", "payments_delivery"), ("name_ko", "결제·배송"), ("name_en", "Payments & delivery"), ("push_mode", "on")])
        .await;
    assert_eq!(status, 200, "{body}");
    let agent2 = srv.signed_in("agent2@example.com").await;
    let (status, body) = srv.call(&agent2, "set_presence", &[("presence", "online")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = srv.call(&agent2, "set_presence", &[("presence", "asleep")]).await;
    assert_eq!(status, 422);
    // the admin's agent list names presence in words, not as the stored word
    let page = admin.get(srv.url("/admin/agents")).send().await.expect("agents page").text().await.expect("body");
    assert!(page.contains("상담 가능"), "agent2 shows as online in Korean");
    assert!(!page.contains(" · online<") && !page.contains(" · offline<"), "no stored words shown");
    let customer = srv.signed_in("customer5@example.com").await;
    let (status, res) = srv
        .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "포장 파손"), ("body", "상자가 찢어져 왔어요"), ("idempotency_key", "k-push")])
        .await;
    assert_eq!(status, 200, "{res}");
    let assigned: Option<String> = sqlx::query_scalar(
        "SELECT u.email FROM inquiries i LEFT JOIN users u ON u.id = i.assigned_agent_id WHERE i.idempotency_key = 'k-push'",
    )
    .fetch_one(&srv.db)
    .await
    .expect("row");
    assert_eq!(assigned.as_deref(), Some("agent2@example.com"), "agent1 is offline, agent2 online");
}

#[tokio::test]
async fn grade_rules_recompute_and_the_watch_flag_which_routes_to_supervisors() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let rules = |vip_orders: &'static str| {
        vec![
            ("vip_recency_days", "90"),
            ("vip_min_orders", vip_orders),
            ("vip_min_amount_won", "0"),
            ("gold_recency_days", "180"),
            ("gold_min_orders", "3"),
            ("gold_min_amount_won", "0"),
            ("general_recency_days", "365"),
        ]
    };
    let (status, body) = srv.call(&admin, "admin_grade_rules", &rules("2")).await;
    assert_eq!(status, 422, "VIP below gold: {body}");
    let (status, body) = srv.call(&admin, "admin_grade_rules", &rules("1")).await;
    assert_eq!(status, 422, "{body}");
    // everyone with a recent order becomes VIP under these rules
    let (status, body) = srv.call(&admin, "admin_grade_rules", &rules("3")).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = srv.call(&admin, "admin_grades_recompute", &[]).await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    let total: i64 = v["counts"].as_array().expect("counts").iter().map(|c| c.as_i64().unwrap_or(0)).sum();
    assert_eq!(total, 20);
    let grade: String = sqlx::query_scalar("SELECT c.grade FROM customers c JOIN users u ON u.id = c.user_id WHERE u.email_key = 'customer1@example.com'")
        .fetch_one(&srv.db)
        .await
        .expect("grade");
    assert_eq!(grade, "vip", "45 orders, recent");

    // watch flag: needs a reason, then new inquiries go to the supervisors
    let no: String = sqlx::query_scalar("SELECT c.customer_no FROM customers c JOIN users u ON u.id = c.user_id WHERE u.email_key = 'customer5@example.com'")
        .fetch_one(&srv.db)
        .await
        .expect("no");
    let (status, _) = srv.call(&admin, "admin_watch", &[("customer_no", &no), ("on", "true"), ("reason", "")]).await;
    assert_eq!(status, 422);
    let (status, _) = srv.call(&admin, "admin_watch", &[("customer_no", "C0000000"), ("on", "true"), ("reason", "x")]).await;
    assert_eq!(status, 422);
    let (status, body) = srv.call(&admin, "admin_watch", &[("customer_no", &no), ("on", "true"), ("reason", "반복적인 폭언")]).await;
    assert_eq!(status, 200, "{body}");
    sqlx::query("UPDATE inquiry_types SET auto_answer = 0").execute(&srv.db).await.expect("no automation");
    let customer = srv.signed_in("customer5@example.com").await;
    let (status, res) = srv
        .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "배송 문의"), ("body", "확인 부탁"), ("idempotency_key", "k-watch")])
        .await;
    assert_eq!(status, 200, "{res}");
    let group: String = sqlx::query_scalar("SELECT g.code FROM inquiries i JOIN agent_groups g ON g.id = i.group_id WHERE i.idempotency_key = 'k-watch'")
        .fetch_one(&srv.db)
        .await
        .expect("group");
    assert_eq!(group, "supervisors");
    let (status, body) = srv.call(&admin, "admin_audit", &[("entity", "customer")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("customer.watch") && body.contains("반복적인 폭언"), "{body}");
    let (status, _) = srv.call(&admin, "admin_audit", &[("entity", "bogus")]).await;
    assert_eq!(status, 422);
    let (status, _) = srv.call(&customer, "admin_audit", &[("entity", "")]).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn staffing_history_is_for_admins_and_covers_every_weekday_hour() {
    let srv = TestServer::start(true).await;
    let agent = srv.signed_in("agent1@example.com").await;
    assert_eq!(srv.call(&agent, "admin_staffing_history", &[]).await.0, 403);
    let customer = srv.signed_in("customer1@example.com").await;
    assert_eq!(srv.call(&customer, "admin_staffing_history", &[]).await.0, 403);
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv.call(&admin, "admin_staffing_history", &[]).await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    let slots = v["plan"]["inquiries"].as_array().expect("slots");
    assert_eq!(slots.len(), 168);
    // the demo data has ~1,000 inquiries over 8 weeks: the last 4 weeks average above zero
    let total: f64 = slots.iter().filter_map(|s| s.as_f64()).sum();
    assert!(total > 10.0, "{total}");
    let rate = v["plan"]["automation_rate"].as_f64().expect("rate");
    assert!((0.0..=1.0).contains(&rate));
}
