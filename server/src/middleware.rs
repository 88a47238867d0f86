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

/// How large a request body may be and how long a request may take: [`crate::app::MAX_BODY_BYTES`]
/// and 30 s for everything but the forms that carry files, which may bring a message's worth of
/// attachments plus their text and get 10 minutes.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub body_bytes: u64,
}

impl UploadLimits {
    pub fn of(attach: app::domain::attachment::AttachLimits) -> UploadLimits {
        UploadLimits { body_bytes: attach.per_message + crate::app::MAX_BODY_BYTES as u64 }
    }
}

const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// The body limit and timeout (see [`UploadLimits`]). A body announced larger than its limit is
/// refused before it is read (413); one that grows past it stops there. An upload form's request
/// must be `multipart/form-data` with a boundary (anything else is a 415 here, before the
/// form reader sees it).
pub async fn body_limits(axum::extract::State(limits): axum::extract::State<UploadLimits>, req: Request, next: Next) -> Response {
    let upload = app::uploads::is_upload_path(req.uri().path()) && req.method() == Method::POST;
    let limit = if upload { limits.body_bytes } else { crate::app::MAX_BODY_BYTES as u64 };
    if upload {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") && ct.contains("boundary="));
        if !multipart {
            return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "a form with files is sent as multipart/form-data").into_response();
        }
    }
    let announced = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit) {
        let msg = if upload {
            format!("the files are larger than a message may carry ({} MB together)", (limit - crate::app::MAX_BODY_BYTES as u64) / (1024 * 1024))
        } else {
            "the request is too large".to_string()
        };
        return (StatusCode::PAYLOAD_TOO_LARGE, msg).into_response();
    }
    let req = req.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit as usize)));
    let timeout = if upload { UPLOAD_TIMEOUT } else { TIMEOUT };
    match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(res) => res,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "the request took too long").into_response(),
    }
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
