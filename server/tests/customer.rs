//! The customer portal's server functions against the real server: ownership, validation,
//! idempotency and the inquiry lifecycle.

mod common;

use common::TestServer;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// One order number and one inquiry id of the signed-in customer.
async fn first_order_and_inquiry(srv: &TestServer, client: &reqwest::Client) -> (String, i64) {
    let (status, body) = srv.call(client, "my_orders", &[("page", "1")]).await;
    assert_eq!(status, 200, "{body}");
    let order_no = json(&body)["items"][0]["order_no"].as_str().expect("an order").to_string();
    let (status, body) = srv.call(client, "my_inquiries", &[("page", "1"), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    let inquiry = json(&body)["items"][0]["id"].as_i64().expect("an inquiry");
    (order_no, inquiry)
}

#[tokio::test]
async fn customer_a_gets_404_and_no_data_for_every_record_of_customer_b() {
    let srv = TestServer::start(true).await;
    let b = srv.signed_in("customer2@example.com").await;
    let (b_order, b_inquiry) = first_order_and_inquiry(&srv, &b).await;
    let (_, b_before) = srv.call(&b, "my_inquiry", &[("id", &b_inquiry.to_string()), ("locale", "Ko")]).await;

    let a = srv.signed_in("customer1@example.com").await;
    let id = b_inquiry.to_string();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("my_order", vec![("order_no", b_order.as_str())]),
        ("my_inquiry", vec![("id", id.as_str()), ("locale", "Ko")]),
        ("reply_inquiry", vec![("id", id.as_str()), ("body", "not mine")]),
        ("close_inquiry", vec![("id", id.as_str())]),
        ("reopen_inquiry", vec![("id", id.as_str())]),
        ("rate_inquiry", vec![("id", id.as_str()), ("score", "1"), ("comment", "")]),
        (
            "create_inquiry",
            vec![("type_code", "delivery"), ("order_no", b_order.as_str()), ("subject", "s"), ("body", "b"), ("idempotency_key", "k-foreign")],
        ),
    ];
    for (endpoint, form) in calls {
        let (status, body) = srv.call(&a, endpoint, &form).await;
        assert_eq!(status, 404, "{endpoint}: {body}");
        assert_eq!(body, "\"NotFound\"", "{endpoint} leaks nothing");
    }
    // and B's inquiry is exactly as it was
    let (_, b_after) = srv.call(&b, "my_inquiry", &[("id", &b_inquiry.to_string()), ("locale", "Ko")]).await;
    assert_eq!(b_before, b_after);
    // pages answer 404 too, without B's order number in them
    let res = a.get(srv.url(&format!("/my/orders/{b_order}"))).send().await.expect("page");
    assert_eq!(res.status(), 404);
    assert!(!res.text().await.expect("body").contains(&format!("\"{b_order}\"")));
}

#[tokio::test]
async fn profile_validation_table() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer5@example.com").await;
    let (ko100, ko101, ko201, x201, ones40) = ("가".repeat(100), "가".repeat(101), "가".repeat(201), "x".repeat(201), "1".repeat(40));
    // (name, phone, postal, line1, line2, locale) → Ok(stored phone) or Err(field)
    let cases: Vec<([&str; 6], Result<Option<&str>, &str>)> = vec![
        (["김철수", "010-1234-5678", "06236", "서울 강남구 테헤란로 1", "", "ko"], Ok(Some("010-1234-5678"))),
        (["김철수", "01012345678", "06236", "서울 강남구 테헤란로 1", "2층", "ko"], Ok(Some("010-1234-5678"))),
        (["김철수", "+82 10 1234 5678", "", "", "", "ko"], Ok(Some("010-1234-5678"))),
        (["김철수", "02-123-4567", "", "", "", "ko"], Ok(Some("02-123-4567"))),
        (["김철수", "031 123 4567", "", "", "", "en"], Ok(Some("031-123-4567"))),
        (["김철수", "1588-1234", "", "", "", "ko"], Ok(Some("1588-1234"))),
        (["Ann Lee", "+1 (415) 555-0142", "94107", "500 Brannan St", "Unit 3", "en"], Ok(Some("+14155550142"))),
        (["Ann Lee", "+44 20 7946 0958", "SW1A 1AA", "1 Horse Guards Rd", "", "en"], Ok(Some("+442079460958"))),
        (["Ann 😀 Lee", "", "", "", "", "en"], Ok(None)),
        (["<script>alert(1)</script>", "", "", "", "", "en"], Ok(None)),
        (["O'Brien & Sons", "", "", "", "", "en"], Ok(None)),
        ([&ko100, "", "", "", "", "ko"], Ok(None)),
        (["김", "０１０-１２３４-５６７８", "", "", "", "ko"], Ok(Some("010-1234-5678"))),
        (["", "010-1234-5678", "", "", "", "ko"], Err("name")),
        (["   ", "", "", "", "", "ko"], Err("name")),
        ([&ko101, "", "", "", "", "ko"], Err("name")),
        (["a\u{7}b", "", "", "", "", "ko"], Err("name")),
        (["김철수", "010-1234-567", "", "", "", "ko"], Err("phone")),
        (["김철수", "1234", "", "", "", "ko"], Err("phone")),
        (["김철수", "phone", "", "", "", "ko"], Err("phone")),
        (["김철수", "+1 23", "", "", "", "ko"], Err("phone")),
        (["김철수", "099-123-4567", "", "", "", "ko"], Err("phone")),
        (["김철수", "<b>010</b>", "", "", "", "ko"], Err("phone")),
        (["김철수", &ones40, "", "", "", "ko"], Err("phone")),
        (["김철수", "", "135-080", "서울", "", "ko"], Err("postal_code")),
        (["김철수", "", "12", "서울", "", "ko"], Err("postal_code")),
        (["김철수", "", "06236!", "서울", "", "ko"], Err("postal_code")),
        (["김철수", "", "06236", "", "", "ko"], Err("address_line1")),
        (["김철수", "", "", "서울", "", "ko"], Err("postal_code")),
        (["김철수", "", "06236", &ko201, "", "ko"], Err("address_line1")),
        (["김철수", "", "06236", "서울", &x201, "ko"], Err("address_line2")),
        (["김철수", "", "", "", "", "fr"], Err("locale")),
        (["김철수", "", "", "", "", ""], Err("locale")),
    ];
    assert!(cases.len() >= 30);
    for ([name, phone, postal, line1, line2, locale], expected) in cases {
        let (_, before) = srv.call(&c, "my_profile", &[]).await;
        let (status, body) = srv
            .call(&c, "update_profile", &[
                ("name", name),
                ("phone", phone),
                ("postal_code", postal),
                ("address_line1", line1),
                ("address_line2", line2),
                ("locale", locale),
            ])
            .await;
        let (_, after) = srv.call(&c, "my_profile", &[]).await;
        let profile = json(&after);
        match expected {
            Ok(shown_phone) => {
                assert_eq!(status, 200, "{name:?} {phone:?}: {body}");
                assert_eq!(profile["name"], name.trim(), "stored as typed");
                assert_eq!(profile["phone"].as_str(), shown_phone, "{phone:?}");
            }
            Err(field) => {
                assert_eq!(status, 422, "{name:?} {phone:?} {postal:?}: {body}");
                assert!(body.contains(&format!("\"field\":\"{field}\"")), "{field} in {body}");
                assert_eq!(before, after, "a rejected save changes nothing");
            }
        }
    }
    // markup in a name is stored and rendered as text, never as markup
    srv.call(&c, "update_profile", &[("name", "<script>alert(1)</script>"), ("phone", ""), ("postal_code", ""), ("address_line1", ""), ("address_line2", ""), ("locale", "ko")]).await;
    let page = c.get(srv.url("/my")).send().await.expect("page").text().await.expect("body");
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn the_same_idempotency_key_creates_one_inquiry() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer7@example.com").await;
    let form = [("type_code", "delivery"), ("order_no", ""), ("subject", "배송 언제 와요?"), ("body", "주문한 지 5일째입니다."), ("idempotency_key", "k-double-click")];
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let (srv_url, c) = (srv.url("/api/create_inquiry"), c.clone());
        let base = srv.base.clone();
        let form = form.map(|(k, v)| (k.to_string(), v.to_string()));
        tasks.push(tokio::spawn(async move {
            let res = c.post(srv_url).header("origin", base).form(&form).send().await.expect("send");
            (res.status().as_u16(), res.text().await.expect("body"))
        }));
    }
    let mut bodies = Vec::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, 200, "{body}");
        bodies.push(body);
    }
    bodies.dedup();
    assert_eq!(bodies.len(), 1, "every submission answered with the same inquiry: {bodies:?}");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries WHERE idempotency_key = 'k-double-click'")
        .fetch_one(&srv.db)
        .await
        .expect("count");
    assert_eq!(count, 1);
}

#[tokio::test]
async fn inquiry_lifecycle_with_routing_fields_and_no_internal_notes() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer1@example.com").await;
    let (order_no, _) = first_order_and_inquiry(&srv, &c).await;
    let (status, body) = srv
        .call(&c, "create_inquiry", &[
            ("type_code", "delivery"),
            ("order_no", &order_no),
            ("subject", "<script>alert('x')</script> 배송 문의"),
            ("body", "언제 도착하나요?\n빨리 받고 싶어요."),
            ("idempotency_key", "k-lifecycle-1"),
        ])
        .await;
    assert_eq!(status, 200, "{body}");
    let path: String = serde_json::from_str(&body).expect("path");
    let id: i64 = path.trim_start_matches("/my/inquiries/").parse().expect("id");

    // routing fields: the delivery type's group, VIP priority, SLA = created + 60 minutes
    let row: (String, i64, i64, i64, String) = sqlx::query_as(
        "SELECT g.code, i.priority, i.created_at, i.sla_due_at, i.status FROM inquiries i JOIN agent_groups g ON g.id = i.group_id WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(&srv.db)
    .await
    .expect("row");
    assert_eq!(row.0, "payments_delivery");
    assert_eq!(row.1, 3, "customer1 is VIP");
    assert_eq!(row.3 - row.2, 60 * 60 * 1000);
    assert_eq!(row.4, "new");

    // an agent's internal note and reply
    sqlx::query("INSERT INTO inquiry_messages (inquiry_id, author_kind, body, internal, created_at) VALUES ($1, 'agent', 'INTERNAL: check carrier', 1, $2), ($1, 'agent', '내일 도착 예정입니다.', 0, $2 + 1)")
        .bind(id)
        .bind(row.2 + 1000)
        .execute(&srv.db)
        .await
        .expect("agent messages");
    sqlx::query("UPDATE inquiries SET status = 'resolved', resolved_at = $2 WHERE id = $1")
        .bind(id)
        .bind(row.2 + 2000)
        .execute(&srv.db)
        .await
        .expect("resolve");
    let id_s = id.to_string();
    let (status, body) = srv.call(&c, "my_inquiry", &[("id", &id_s), ("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains("INTERNAL"), "internal notes never reach the customer");
    assert!(body.contains("내일 도착 예정입니다."));
    let d = json(&body);
    assert_eq!(d["order_no"], order_no.as_str());
    assert_eq!(d["can_rate"], true);

    // rate once; a second rating is refused
    assert_eq!(srv.call(&c, "rate_inquiry", &[("id", &id_s), ("score", "4"), ("comment", "빨랐어요")]).await.0, 200);
    let (status, body) = srv.call(&c, "rate_inquiry", &[("id", &id_s), ("score", "1"), ("comment", "")]).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = srv.call(&c, "rate_inquiry", &[("id", &id_s), ("score", "9"), ("comment", "")]).await;
    assert_eq!(status, 422);

    // replying to a resolved inquiry reopens it; closing ends it; reopening within 14 days works
    assert_eq!(srv.call(&c, "reply_inquiry", &[("id", &id_s), ("body", "하나 더 궁금해요")]).await.0, 200);
    assert_eq!(json(&srv.call(&c, "my_inquiry", &[("id", &id_s), ("locale", "Ko")]).await.1)["status"], "open");
    assert_eq!(srv.call(&c, "close_inquiry", &[("id", &id_s)]).await.0, 200);
    let (status, body) = srv.call(&c, "reply_inquiry", &[("id", &id_s), ("body", "closed?")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("InquiryClosed"));
    assert_eq!(srv.call(&c, "reopen_inquiry", &[("id", &id_s)]).await.0, 200);
    // not after 14 days
    assert_eq!(srv.call(&c, "close_inquiry", &[("id", &id_s)]).await.0, 200);
    sqlx::query("UPDATE inquiries SET closed_at = closed_at - 15 * 86400000 WHERE id = $1").bind(id).execute(&srv.db).await.expect("age");
    let (status, body) = srv.call(&c, "reopen_inquiry", &[("id", &id_s)]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("ReopenExpired"));

    // the thread page shows the script as text
    let page = c.get(srv.url(&path)).send().await.expect("page").text().await.expect("body");
    assert!(page.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") || page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "escaped");
    assert!(!page.contains("<script>alert('x')</script>"));

    // and it is in the contact history
    let (status, body) = srv.call(&c, "my_history", &[("kind", "inquiry"), ("page", "1")]).await;
    assert_eq!(status, 200);
    assert!(body.contains("배송 문의"), "{body}");
}

#[tokio::test]
async fn inquiry_form_errors_are_specific() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer8@example.com").await;
    let long_subject = "가".repeat(201);
    let long_body = "a".repeat(5001);
    let cases = [
        ([("type_code", "delivery"), ("order_no", ""), ("subject", ""), ("body", "x"), ("idempotency_key", "k1")], "subject"),
        ([("type_code", "delivery"), ("order_no", ""), ("subject", long_subject.as_str()), ("body", "x"), ("idempotency_key", "k2")], "subject"),
        ([("type_code", "delivery"), ("order_no", ""), ("subject", "s"), ("body", long_body.as_str()), ("idempotency_key", "k3")], "body"),
        ([("type_code", "nonsense"), ("order_no", ""), ("subject", "s"), ("body", "b"), ("idempotency_key", "k4")], "type_code"),
        ([("type_code", "delivery"), ("order_no", ""), ("subject", "s"), ("body", "b"), ("idempotency_key", "")], "idempotency_key"),
    ];
    for (form, field) in cases {
        let (status, body) = srv.call(&c, "create_inquiry", &form).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(body.contains(&format!("\"field\":\"{field}\"")), "{body}");
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries WHERE idempotency_key IN ('k1','k2','k3','k4')")
        .fetch_one(&srv.db)
        .await
        .expect("count");
    assert_eq!(count, 0, "nothing half-saved");
}

#[tokio::test]
async fn consent_is_timestamped_and_layout_follows_the_customer() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer9@example.com").await;
    assert_eq!(srv.call(&c, "set_consent", &[("channel", "sms"), ("given", "true")]).await.0, 200);
    let p = json(&srv.call(&c, "my_profile", &[]).await.1);
    assert_eq!(p["sms_consent"]["given"], true);
    let given_at = p["sms_consent"]["at"].as_i64().expect("time recorded");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(srv.call(&c, "set_consent", &[("channel", "sms"), ("given", "false")]).await.0, 200);
    let p = json(&srv.call(&c, "my_profile", &[]).await.1);
    assert_eq!(p["sms_consent"]["given"], false);
    assert!(p["sms_consent"]["at"].as_i64().expect("time") > given_at, "withdrawal time recorded");
    assert_eq!(srv.call(&c, "set_consent", &[("channel", "fax"), ("given", "true")]).await.0, 422);

    assert_eq!(srv.call(&c, "arrange_panel", &[("panel", "notices"), ("change", "up")]).await.0, 200);
    assert_eq!(srv.call(&c, "arrange_panel", &[("panel", "orders"), ("change", "hide")]).await.0, 200);
    assert_eq!(srv.call(&c, "arrange_panel", &[("panel", "orders"), ("change", "sideways")]).await.0, 422);
    // another device: a fresh sign-in sees the same layout
    let other = srv.signed_in("customer9@example.com").await;
    let o = json(&srv.call(&other, "my_overview", &[("locale", "En")]).await.1);
    let ids: Vec<&str> = o["layout"].as_array().expect("layout").iter().map(|p| p["id"].as_str().unwrap_or("")).collect();
    assert_eq!(ids, ["orders", "inquiries", "notices", "faq", "chat"]);
    assert_eq!(o["layout"][0]["shown"], false);
}

#[tokio::test]
async fn changing_email_needs_the_password_and_the_new_address_confirmed() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer10@example.com").await;
    let other_device = srv.signed_in("customer10@example.com").await;
    let (status, body) = srv.call(&c, "change_email", &[("new_email", "new10@example.com"), ("password", "wrong password")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("WrongPassword"));
    let (status, body) = srv.call(&c, "change_email", &[("new_email", "Customer10@example.com"), ("password", common::DEMO_PASSWORD)]).await;
    assert_eq!(status, 422);
    assert!(body.contains("SameEmail"), "{body}");
    // an address another account uses answers like a free one; that address is told instead
    let taken = srv.call(&c, "change_email", &[("new_email", "Customer11@example.com"), ("password", common::DEMO_PASSWORD)]).await;
    let free = srv.call(&c, "change_email", &[("new_email", "new10@example.com"), ("password", common::DEMO_PASSWORD)]).await;
    assert_eq!(taken, free);
    assert_eq!(free, (200, "null".to_string()));
    srv.mail_to("Customer11@example.com", "email_change_taken").await;

    // nothing changed yet
    assert_eq!(srv.login(&srv.client(), "new10@example.com", common::DEMO_PASSWORD).await.0, 401);
    assert!(srv.call(&other_device, "current_user", &[]).await.1.contains("customer10@"));

    // the link works from a browser that is not signed in
    let link = srv.mail_to("new10@example.com", "email_change_link").await;
    assert!(link.text.contains("new10@example.com"));
    let phone = srv.client();
    let (status, body) = srv.call(&phone, "email_change_link", &[("token", &link.token())]).await;
    assert_eq!((status, body.as_str()), (200, "\"new10@example.com\""));
    let (status, body) = srv.call(&phone, "confirm_email_change", &[("token", &link.token())]).await;
    assert_eq!((status, body.as_str()), (200, "\"new10@example.com\""));
    assert_eq!(srv.call(&phone, "current_user", &[]).await.1, "null", "the link does not sign anyone in");
    let (status, body) = srv.call(&phone, "confirm_email_change", &[("token", &link.token())]).await;
    assert_eq!(status, 422, "once: {body}");

    // every session of the account ended; the old address is told and no longer signs in
    for session in [&c, &other_device] {
        assert_eq!(srv.call(session, "current_user", &[]).await.1, "null");
    }
    let notice = srv.mail_to("customer10@example.com", "email_changed").await;
    assert!(notice.text.contains("new10@example.com"), "{}", notice.text);
    assert_eq!(srv.login(&srv.client(), "customer10@example.com", common::DEMO_PASSWORD).await.0, 401);
    assert_eq!(srv.login(&srv.client(), "new10@example.com", common::DEMO_PASSWORD).await.0, 200);
}

#[tokio::test]
async fn confirming_an_email_change_in_the_signed_in_browser_keeps_it_signed_in() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer12@example.com").await;
    assert_eq!(srv.call(&c, "change_email", &[("new_email", "new12@example.com"), ("password", common::DEMO_PASSWORD)]).await.0, 200);
    let token = srv.mail_to("new12@example.com", "email_change_link").await.token();
    assert_eq!(srv.call(&c, "confirm_email_change", &[("token", &token)]).await.0, 200);
    assert!(srv.call(&c, "current_user", &[]).await.1.contains("new12@example.com"));
    // an address taken between the request and the link is refused, and nothing moves
    assert_eq!(srv.call(&c, "change_email", &[("new_email", "customer13@example.org"), ("password", common::DEMO_PASSWORD)]).await.0, 200);
    let token = srv.mail_to("customer13@example.org", "email_change_link").await.token();
    sqlx::query("UPDATE users SET email = 'customer13@example.org', email_key = 'customer13@example.org' WHERE email_key = 'customer13@example.com'")
        .execute(&srv.db)
        .await
        .expect("another account takes the address");
    let (status, body) = srv.call(&c, "confirm_email_change", &[("token", &token)]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("EmailTaken"), "{body}");
    assert!(srv.call(&c, "current_user", &[]).await.1.contains("new12@example.com"));
}

#[tokio::test]
async fn the_order_list_filters_by_a_known_status_and_refuses_an_unknown_one() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer1@example.com").await;
    let (status, body) = srv.call(&c, "my_orders", &[("page", "1"), ("status", "delivered")]).await;
    assert_eq!(status, 200, "{body}");
    let items = json(&body)["items"].as_array().cloned().unwrap_or_default();
    assert!(!items.is_empty() && items.iter().all(|o| o["status"] == "delivered"), "{body}");
    let (status, body) = srv.call(&c, "my_orders", &[("page", "1"), ("status", "lost_in_space")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("status"), "the error names the field: {body}");
}
