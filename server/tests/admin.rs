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
