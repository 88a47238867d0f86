//! A hostile-input corpus against every server function and every page: script and markup,
//! SQL, path traversal, huge values, invisible and text-direction characters, numbers out of
//! range, JSON where a form is expected and a form where JSON is expected — as a visitor, a
//! customer, an agent and an admin. Nothing may answer 5xx, no page may reflect the markup
//! unescaped, and nothing may be stored with the characters validation refuses.
//!
//! Server functions are found in the server's own registry, and their arguments by asking: an
//! empty form is answered "missing field `x`", so the test adds `x` and asks again.

mod common;

use common::TestServer;
use std::collections::BTreeSet;

/// The markup whose unescaped echo would be an XSS.
const SCRIPT: &str = "<script>alert('cc-xss')</script>";

fn corpus() -> Vec<String> {
    vec![
        SCRIPT.to_string(),
        "\"><img src=x onerror=alert('cc-xss')>".to_string(),
        "' OR '1'='1'; DROP TABLE users; --".to_string(),
        "../../../../etc/passwd".to_string(),
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_string(),
        "a".repeat(100_000),
        "\u{202E}nimda\u{200B}\u{FEFF}".to_string(),
        "nul\u{0}byte".to_string(),
        "😀\u{10FFFF}\u{FFFD}".to_string(),
        "-1".to_string(),
        "99999999999999999999999".to_string(),
        "{\"$where\": \"1\"}".to_string(),
        String::new(),
    ]
}

/// The argument named in a "missing field" answer, if that is what it says.
fn missing_field(body: &str) -> Option<String> {
    let at = body.find("missing field `")? + "missing field `".len();
    let rest = &body[at..];
    Some(rest[..rest.find('`')?].to_string())
}

/// Discovers a server function's required arguments by asking with what is known so far.
async fn arguments(srv: &TestServer, c: &reqwest::Client, path: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for _ in 0..12 {
        let form: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
        let res = c.post(srv.url(path)).header("origin", &srv.base).form(&form).send().await.expect("request");
        let body = res.text().await.unwrap_or_default();
        match missing_field(&body) {
            Some(n) if !names.contains(&n) => names.push(n),
            _ => break,
        }
    }
    names
}

fn assert_no_5xx(status: u16, what: &str, body: &str) {
    assert!(status < 500, "{what}: {status} {}", &body[..body.len().min(300)]);
}

/// Every server function, every argument filled with every corpus value, as `c`.
async fn attack_server_functions(srv: &TestServer, c: &reqwest::Client, who: &str) -> usize {
    let mut paths: Vec<(String, leptos::server_fn::axum_export::http::Method)> =
        leptos::server_fn::axum::server_fn_paths().map(|(p, m)| (p.to_string(), m)).collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    // signing out would end the role's session half-way through
    paths.retain(|(p, _)| !p.ends_with("/logout"));
    let mut sent = 0;
    for (path, method) in &paths {
        if method != leptos::server_fn::axum_export::http::Method::POST {
            continue;
        }
        let args = arguments(srv, c, path).await;
        for value in corpus() {
            let form: Vec<(&str, &str)> = args.iter().map(|n| (n.as_str(), value.as_str())).collect();
            let res = c.post(srv.url(path)).header("origin", &srv.base).form(&form).send().await.expect("request");
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            assert_no_5xx(status, &format!("{who} POST {path} {args:?} = {:?}", value.chars().take(40).collect::<String>()), &body);
            sent += 1;
        }
        // JSON where a form is expected, and a form body claiming to be JSON
        let json = serde_json::json!({ "x": SCRIPT }).to_string();
        for (ctype, body) in [("application/json", json.as_str()), ("application/json", "x=1&y=<b>"), ("text/plain", SCRIPT)] {
            let res = c.post(srv.url(path)).header("origin", &srv.base).header("content-type", ctype).body(body.to_string()).send().await.expect("request");
            let status = res.status().as_u16();
            let text = res.text().await.unwrap_or_default();
            assert_no_5xx(status, &format!("{who} POST {path} as {ctype}"), &text);
            sent += 1;
        }
    }
    sent
}

/// Every page (route parameters and query strings filled with the corpus), as `c`: no 5xx and
/// no unescaped markup.
async fn attack_pages(srv: &TestServer, c: &reqwest::Client, who: &str) -> usize {
    let routes: BTreeSet<String> = leptos_axum::generate_route_list(app::App).iter().map(|r| r.path().to_string()).collect();
    let mut extra = vec!["/admin/analytics.csv", "/admin/service.csv", "/admin/voc.csv", "/admin/staffing.csv", "/faq/pack", "/healthz", "/pkg/../../Cargo.toml", "/pkg/%2e%2e/%2e%2e/Cargo.toml"]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    extra.extend(routes);
    let mut sent = 0;
    for route in extra {
        for value in corpus().into_iter().filter(|v| v.len() < 1_000) {
            let enc: String = url_encode(&value);
            // a parameter segment (":id" or "{id}") gets the value; every page also gets it in
            // the query strings pages read (next, q, done, from, to, …)
            let path: String = route
                .split('/')
                .map(|seg| if seg.starts_with(':') || seg.starts_with('{') || seg.starts_with('*') { enc.clone() } else { seg.to_string() })
                .collect::<Vec<_>>()
                .join("/");
            let url = format!("{}?next={enc}&q={enc}&done={enc}&from={enc}&to={enc}&type={enc}&error={enc}&page={enc}", srv.url(&path));
            let res = c.get(&url).send().await.expect("request");
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            assert_no_5xx(status, &format!("{who} GET {path}"), &body);
            assert!(!body.contains(SCRIPT) && !body.contains("<img src=x onerror"), "{who} GET {path}: markup echoed unescaped");
            assert!(!body.contains("root:x:0:0"), "{who} GET {path}: a file outside the site was served");
            sent += 1;
        }
    }
    sent
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// No text column of any table holds a character that validation refuses everywhere (NUL, a
/// text-direction override, a zero-width space or BOM).
async fn nothing_forbidden_stored(srv: &TestServer) {
    let pg = common::on_postgres();
    let (tables_sql, columns_sql) = if pg {
        (
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        )
    } else {
        (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
            "SELECT name, type FROM pragma_table_info($1)",
        )
    };
    let tables: Vec<String> = sqlx::query_scalar(tables_sql).fetch_all(&srv.db).await.expect("tables");
    assert!(tables.len() > 10, "{tables:?}");
    for table in tables {
        let columns: Vec<(String, String)> = sqlx::query_as(columns_sql).bind(&table).fetch_all(&srv.db).await.expect("columns");
        for (column, _) in columns.into_iter().filter(|(_, t)| t.eq_ignore_ascii_case("TEXT")) {
            // PostgreSQL cannot store NUL in text at all; the other three are looked for on both
            let sql = if pg {
                format!("SELECT COUNT(*) FROM \"{table}\" WHERE strpos(\"{column}\", chr(8238)) > 0 OR strpos(\"{column}\", chr(8203)) > 0 OR strpos(\"{column}\", chr(65279)) > 0")
            } else {
                format!("SELECT COUNT(*) FROM \"{table}\" WHERE INSTR(\"{column}\", char(0)) > 0 OR INSTR(\"{column}\", char(8238)) > 0 OR INSTR(\"{column}\", char(8203)) > 0 OR INSTR(\"{column}\", char(65279)) > 0")
            };
            let bad: i64 = sqlx::query_scalar(&sql).fetch_one(&srv.db).await.expect("scan");
            assert_eq!(bad, 0, "{table}.{column} holds a refused character");
        }
    }
}

#[tokio::test]
async fn the_hostile_corpus_gets_no_5xx_no_reflection_and_stores_nothing_refused() {
    let srv = TestServer::start(true).await;
    let users_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&srv.db).await.expect("users");
    let visitor = srv.client();
    let customer = srv.signed_in("customer12@example.com").await;
    let agent = srv.signed_in("agent3@example.com").await;
    let admin = srv.signed_in("admin@example.com").await;
    let mut sent = 0;
    for (who, c) in [("visitor", &visitor), ("customer", &customer), ("agent", &agent), ("admin", &admin)] {
        sent += attack_server_functions(&srv, c, who).await;
    }
    // pages last: whatever the attack stored is rendered now and must come out escaped
    for (who, c) in [("visitor", &visitor), ("customer", &customer), ("agent", &agent), ("admin", &admin)] {
        sent += attack_pages(&srv, c, who).await;
    }
    nothing_forbidden_stored(&srv).await;
    let users_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&srv.db).await.expect("users");
    assert!(users_after - users_before <= 1, "no account made of hostile input ({users_before} → {users_after})");
    assert!(sent > 1_000, "the corpus reached the server: {sent} requests");
}
