//! Accounts, sessions, roles and request protections, over HTTP against the real server.

mod common;

use common::{TestServer, DEMO_PASSWORD};

#[tokio::test]
async fn register_login_and_use_a_customer_server_function() {
    let srv = TestServer::start(false).await;
    let browser = srv.client();
    let (status, body) = srv
        .call(&browser, "register", &[
            ("name", "<b>테스트</b> 고객"),
            ("email", "New.Customer@Example.com"),
            ("password", "a long enough pw"),
            ("password_confirm", "a long enough pw"),
        ])
        .await;
    assert_eq!(status, 200, "{body}");
    // nothing exists until the address is confirmed
    assert_eq!(srv.call(&browser, "my_overview", &[("locale", "Ko")]).await.0, 401);
    assert_eq!(srv.login(&browser, "new.customer@example.com", "a long enough pw").await.0, 401);

    // the link in the mail finishes it, in any browser, and signs that browser in
    let mail = srv.mail_to("New.Customer@Example.com", "registration_link").await;
    let token = mail.token();
    let phone = srv.client();
    let (status, body) = srv.call(&phone, "registration_link", &[("token", &token)]).await;
    assert_eq!((status, body.as_str()), (200, "\"New.Customer@Example.com\""));
    let (status, body) = srv.call(&phone, "confirm_registration", &[("token", &token)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "\"/my\"");
    let browser = phone;
    let (status, body) = srv.call(&browser, "my_overview", &[("locale", "Ko")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<b>테스트</b> 고객"), "name stored as typed: {body}");
    assert!(body.contains("\"customer_no\":\"C"), "{body}");

    let (status, _) = srv.call(&browser, "logout", &[]).await;
    assert_eq!(status, 200);
    let (status, _) = srv.call(&browser, "my_overview", &[("locale", "Ko")]).await;
    assert_eq!(status, 401, "signed out after logout");

    // log in with the email in another case
    let (status, body) = srv.login(&browser, "new.customer@example.COM", "a long enough pw").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "\"/my\"");
    let (status, body) = srv.call(&browser, "current_user", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"role\":\"Customer\""), "{body}");
}

#[tokio::test]
async fn registration_rejects_bad_fields_with_422_and_saves_nothing() {
    let srv = TestServer::start(false).await;
    let browser = srv.client();
    let (status, body) = srv
        .call(&browser, "register", &[("name", ""), ("email", "not-an-email"), ("password", "short"), ("password_confirm", "short")])
        .await;
    assert_eq!(status, 422, "{body}");
    for field in ["\"name\"", "\"email\"", "\"password\""] {
        assert!(body.contains(field), "{field} missing from {body}");
    }
    let (status, _) = srv.call(&browser, "current_user", &[]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_registration_link_works_once() {
    let srv = TestServer::start(false).await;
    let browser = srv.client();
    let form = [("name", "Kim"), ("email", "once@example.com"), ("password", "a long enough pw"), ("password_confirm", "a long enough pw")];
    assert_eq!(srv.call(&browser, "register", &form).await.0, 200);
    let token = srv.mail_to("once@example.com", "registration_link").await.token();
    assert_eq!(srv.call(&browser, "confirm_registration", &[("token", &token)]).await.0, 200);
    let (status, body) = srv.call(&srv.client(), "confirm_registration", &[("token", &token)]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("LinkInvalid"), "{body}");
    assert_eq!(srv.call(&browser, "registration_link", &[("token", &token)]).await.1, "null");
    for bad in ["", "abc", &"f".repeat(64), &"한".repeat(500)] {
        let (status, body) = srv.call(&browser, "confirm_registration", &[("token", bad)]).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
}

#[tokio::test]
async fn duplicate_email_in_any_case_is_refused() {
    let srv = TestServer::start(true).await;
    let browser = srv.client();
    let (status, body) = srv
        .call(&browser, "register", &[
            ("name", "Someone"),
            ("email", "CUSTOMER1@example.com"),
            ("password", "a long enough pw"),
            ("password_confirm", "a long enough pw"),
        ])
        .await;
    // the answer is the one a new address gets; the address is told by mail instead
    assert_eq!((status, body.as_str()), (200, "null"));
    let mail = srv.mail_to("CUSTOMER1@example.com", "registration_existing").await;
    assert!(mail.text.contains("/login"), "{}", mail.text);
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_confirmations").fetch_one(&srv.db).await.expect("count");
    assert_eq!(pending, 0, "no account can come of it");
}

#[tokio::test]
async fn customer_calling_admin_server_function_is_forbidden() {
    let srv = TestServer::start(true).await;
    let anonymous = srv.client();
    let (status, _) = srv.call(&anonymous, "admin_overview", &[("locale", "En")]).await;
    assert_eq!(status, 401);

    let customer = srv.client();
    assert_eq!(srv.login(&customer, "customer1@example.com", DEMO_PASSWORD).await.0, 200);
    let (status, body) = srv.call(&customer, "admin_overview", &[("locale", "En")]).await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("customers\":"), "no data in a refusal: {body}");
    let (status, _) = srv.call(&customer, "agent_queue", &[("type_code", ""), ("grade", ""), ("overdue", "false"), ("locale", "En")]).await;
    assert_eq!(status, 403);

    let admin = srv.client();
    let (status, body) = srv.login(&admin, "admin@example.com", DEMO_PASSWORD).await;
    assert_eq!((status, body.as_str()), (200, "\"/admin\""));
    let (status, body) = srv.call(&admin, "admin_overview", &[("locale", "En")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"customers\":20"), "{body}");

    let agent = srv.client();
    assert_eq!(srv.login(&agent, "agent1@example.com", DEMO_PASSWORD).await.0, 200);
    assert_eq!(srv.call(&agent, "admin_overview", &[("locale", "En")]).await.0, 403);
    let (status, body) = srv.call(&agent, "agent_queue", &[("type_code", ""), ("grade", ""), ("overdue", "false"), ("locale", "En")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Payments & delivery"), "agent1 sees their group: {body}");
    assert!(!body.contains("General desk"), "and only their group: {body}");
}

#[tokio::test]
async fn wrong_password_six_times_is_throttled() {
    let srv = TestServer::start(true).await;
    let browser = srv.client();
    for i in 0..5 {
        let (status, body) = srv.login(&browser, "customer2@example.com", "wrong password!").await;
        assert_eq!(status, 401, "attempt {i}: {body}");
        assert!(body.contains("BadCredentials"), "{body}");
    }
    // the sixth attempt is refused, even with the right password
    let (status, body) = srv.login(&browser, "customer2@example.com", DEMO_PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("retry_after_s"), "{body}");
    // another account is not affected
    assert_eq!(srv.login(&browser, "customer3@example.com", DEMO_PASSWORD).await.0, 200);
}

#[tokio::test]
async fn unknown_email_fails_exactly_like_a_wrong_password() {
    let srv = TestServer::start(true).await;
    let browser = srv.client();
    let unknown = srv.login(&browser, "nobody@example.com", "whatever password").await;
    let wrong = srv.login(&browser, "customer4@example.com", "whatever password").await;
    assert_eq!(unknown, wrong);
    assert_eq!(unknown.0, 401);
}

#[tokio::test]
async fn logout_makes_the_old_session_cookie_worthless() {
    let srv = TestServer::start(true).await;
    let jarless = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = jarless
        .post(srv.url("/api/login"))
        .form(&[("email", "customer5@example.com"), ("password", DEMO_PASSWORD), ("next", "")])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cc_session="))
        .expect("session cookie")
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let session = cookie.split(';').next().expect("pair").to_string();

    let me = |c: String| {
        let jarless = jarless.clone();
        let url = srv.url("/api/my_overview");
        async move { jarless.post(url).header("cookie", c).form(&[("locale", "En")]).send().await.expect("call").status() }
    };
    assert_eq!(me(session.clone()).await, 200);
    let res = jarless.post(srv.url("/api/logout")).header("cookie", &session).send().await.expect("logout");
    assert_eq!(res.status(), 200);
    assert_eq!(me(session).await, 401, "the old cookie no longer works");
}

#[tokio::test]
async fn login_issues_a_new_session_id_even_for_a_known_session() {
    let srv = TestServer::start(true).await;
    let jarless = reqwest::Client::builder().build().expect("client");
    let session_cookie = |res: &reqwest::Response| {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("cc_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
    };
    let form = [("email", "customer6@example.com"), ("password", DEMO_PASSWORD), ("next", "")];
    let first = jarless.post(srv.url("/api/login")).form(&form).send().await.expect("login");
    let a = session_cookie(&first).expect("session cookie at login");
    // logging in again while holding session A must not keep A (no fixation)
    let second = jarless.post(srv.url("/api/login")).header("cookie", &a).form(&form).send().await.expect("login");
    let b = session_cookie(&second).expect("a new session cookie");
    assert_ne!(a, b, "the session id changes at login");
    let me = jarless.post(srv.url("/api/current_user")).header("cookie", &a).send().await.expect("me");
    assert_eq!(me.text().await.expect("body"), "null", "the old id is dead");
}

#[tokio::test]
async fn cross_origin_state_changes_are_refused() {
    let srv = TestServer::start(true).await;
    let client = srv.client();
    let form = [("email", "customer1@example.com"), ("password", DEMO_PASSWORD), ("next", "")];
    let res = client
        .post(srv.url("/api/login"))
        .header("origin", "http://evil.example")
        .form(&form)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    let res = client
        .post(srv.url("/api/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    // same origin is fine
    assert_eq!(srv.login(&client, "customer1@example.com", DEMO_PASSWORD).await.0, 200);
}

#[tokio::test]
async fn oversized_bodies_get_413_and_garbage_gets_400() {
    let srv = TestServer::start(false).await;
    let client = srv.client();
    let big = "x".repeat(1024 * 1024 + 10);
    let res = client
        .post(srv.url("/api/login"))
        .form(&[("email", big.as_str()), ("password", "x")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 413);
    let res = client
        .post(srv.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("%%%not a form")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 400, "{}", res.text().await.unwrap_or_default());
    let (status, _) = srv.call(&client, "set_locale", &[("locale", "fr")]).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn plain_form_login_redirects_like_a_browser_without_javascript() {
    let srv = TestServer::start(true).await;
    let client = srv.client();
    let res = client
        .post(srv.url("/api/login"))
        .header("accept", "text/html")
        .header("referer", srv.url("/login?next=/admin"))
        .form(&[("email", "admin@example.com"), ("password", DEMO_PASSWORD), ("next", "/admin")])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/admin"));

    // a failed plain post goes back to the form with the error in the URL
    let res = client
        .post(srv.url("/api/login"))
        .header("accept", "text/html")
        .header("referer", srv.url("/login"))
        .form(&[("email", "admin@example.com"), ("password", "wrong password"), ("next", "")])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 302);
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(location.contains("/login?") && location.contains("__err="), "{location}");
    let page = client.get(&location).send().await.expect("page").text().await.expect("body");
    assert!(
        page.contains("이메일 또는 비밀번호가 올바르지 않습니다") || page.contains("Email or password is incorrect"),
        "error shown on the re-rendered form (the error carried: {location})"
    );
}

#[tokio::test]
async fn pages_check_roles_before_rendering() {
    let srv = TestServer::start(true).await;
    let anonymous = srv.client();
    let res = anonymous.get(srv.url("/admin")).header("accept", "text/html").send().await.expect("page");
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/login?next=/admin"));

    let customer = srv.client();
    assert_eq!(srv.login(&customer, "customer1@example.com", DEMO_PASSWORD).await.0, 200);
    let res = customer.get(srv.url("/admin")).header("accept-language", "en").send().await.expect("page");
    assert_eq!(res.status(), 403);
    let body = res.text().await.expect("body");
    // customer1's account language (Korean) was remembered at login
    assert!(body.contains("접근 권한이 없습니다"), "{body}");
    assert!(!body.contains("Unresolved inquiries"), "no admin content");

    let res = customer.get(srv.url("/my")).header("accept-language", "ko-KR,ko;q=0.9").send().await.expect("page");
    assert_eq!(res.status(), 200);
    let csp = res.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("'nonce-") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let body = res.text().await.expect("body");
    assert!(body.contains("<html lang=\"ko\""), "Korean for a Korean browser");
    assert!(body.contains("마이페이지") && body.contains("김민준"), "my page with my name");

    let res = anonymous.get(srv.url("/no/such/page")).send().await.expect("page");
    assert_eq!(res.status(), 404);
    let res = anonymous.get(srv.url("/healthz")).send().await.expect("health");
    assert_eq!(res.status(), 200);
    let health = res.text().await.expect("body");
    if common::on_postgres() {
        // the listener may still be connecting just after start-up
        assert!(health.starts_with(r#"{"status":"ok","backend":"postgres","listener":""#), "{health}");
    } else {
        assert_eq!(health, r#"{"status":"ok","backend":"sqlite","faq":"lexical","faq_overflowed":0}"#);
    }
}

#[tokio::test]
async fn language_choice_is_remembered_in_a_cookie() {
    let srv = TestServer::start(false).await;
    let browser = srv.client();
    let (status, body) = srv.call(&browser, "set_locale", &[("locale", "en")]).await;
    assert_eq!((status, body.as_str()), (200, "\"En\""));
    let page = browser
        .get(srv.url("/login"))
        .header("accept-language", "ko-KR")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(page.contains("<html lang=\"en\""), "cookie beats Accept-Language");
    assert!(page.contains(">Email<"), "English labels");
}
