//! Request-level protections: cross-origin refusal for state-changing requests. (Server-function
//! errors get their HTTP status where they become a response: `AppError::ser` in `app::error`.)

use app::error::AppError;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// True when a state-changing request comes from another site. Browsers send `Sec-Fetch-Site`
/// and `Origin` with every POST; clients that send neither (curl, tests) carry no victim's
/// cookies, so they are not a CSRF risk.
pub fn is_cross_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else { return true };
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host);
    }
    false
}

/// An error from a plain axum handler (WebSocket handshake, download): its status and its words.
pub fn error_response(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // field errors name each field and say what is wrong with it (plain downloads have no form)
    let body = match &err {
        AppError::Invalid(errors) => std::iter::once(err.to_string())
            .chain(errors.iter().map(|f| format!("{}: {}", f.field, app::i18n::field_message(&app::i18n::texts::EN, &f.code))))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => err.to_string(),
    };
    let mut res = (status, body).into_response();
    if let Some(s) = err.retry_after_s() {
        res.headers_mut().insert(header::RETRY_AFTER, s.into());
    }
    res
}

/// Headers from OWASP's secure headers list that every response carries (the pages' CSP is set
/// by the app, which knows its nonce), HSTS when the site is served over TLS, and
/// `Cache-Control: no-store` on everything that does not say otherwise: pages show a person's own
/// records and must not stay in a shared or back-button cache; the static files under `/pkg`,
/// and the FAQ pack set their own.
pub async fn security_headers(axum::extract::State(hsts): axum::extract::State<bool>, req: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let fixed: [(&str, &str); 7] = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("x-permitted-cross-domain-policies", "none"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"),
    ];
    for (name, value) in fixed {
        if !h.contains_key(name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    if hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

pub async fn refuse_cross_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_origin(req.headers()) {
        tracing::warn!(uri = %req.uri(), "refused cross-origin state-changing request");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_origin_table() {
        let cases: &[(&[(&str, &str)], bool)] = &[
            (&[("host", "127.0.0.1:3000")], false),
            (&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")], false),
            (&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")], true),
            (&[("host", "127.0.0.1:3000"), ("origin", "null")], true),
            (&[("host", "127.0.0.1:3000"), ("sec-fetch-site", "same-origin")], false),
            (&[("host", "127.0.0.1:3000"), ("sec-fetch-site", "cross-site")], true),
            (&[("host", "127.0.0.1:3000"), ("sec-fetch-site", "same-site")], true),
            (&[("host", "127.0.0.1:3000"), ("sec-fetch-site", "none")], false),
        ];
        for (pairs, expected) in cases {
            assert_eq!(is_cross_origin(&headers(pairs)), *expected, "{pairs:?}");
        }
    }
}
