//! Attachment downloads: only for someone who may read the thread the file belongs to (the
//! customer whose inquiry or chat it is — never from an internal note —, an agent of its group
//! or assigned to it, an admin); to anyone else, and for a file that is not there, "not found".
//! Streamed from the file store, images shown in the page and everything else downloaded, with
//! `X-Content-Type-Options: nosniff` so a browser never reads a file as something else.

use app::auth::guard::session_user;
use app::error::AppError;
use app::domain::roles::Role;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

pub async fn download(state: AppState, session: Session, id: String) -> Response {
    match open(&state, &session, &id).await {
        Ok(res) => res,
        Err(e) => crate::middleware::error_response(e),
    }
}

async fn open(state: &AppState, session: &Session, id: &str) -> Result<Response, AppError> {
    let user = session_user(state, session).await?.ok_or(AppError::Unauthorized)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let stored = app::store::attachments::stored(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let allowed = match user.role {
        Role::Customer => stored.owner_user_id == user.id && !stored.internal,
        Role::Agent | Role::Admin => {
            let actor = app::store::workspace::Actor { user_id: user.id, is_admin: user.role == Role::Admin };
            match (stored.inquiry_id, stored.chat_id) {
                (Some(inquiry), _) => app::store::workspace::access(&state.db, actor, inquiry).await.is_ok(),
                // a chat's files: as its transcript, for the agents of its group
                (None, Some(chat)) => app::store::chats::open_for(&state.db, app::store::chats::Participant::Agent(actor), chat).await.is_ok(),
                (None, None) => false,
            }
        }
    };
    if !allowed {
        return Err(AppError::NotFound);
    }
    let kind = stored.kind().ok_or(AppError::NotFound)?;
    let key = app::files::FileKey::parse(&stored.file_key).ok_or(AppError::NotFound)?;
    let (len, reader) = state.files.open(&key).await?.ok_or(AppError::NotFound)?;
    let body = Body::from_stream(futures_util::stream::unfold(reader, |mut reader| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match tokio::io::AsyncReadExt::read(&mut reader, &mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), reader))
            }
            Err(e) => Some((Err(e), reader)),
        }
    }));
    let disposition = format!("{}; {}", if kind.is_image() { "inline" } else { "attachment" }, filename_params(&stored.name));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.content_type()));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // opened on its own, a file runs nothing and loads nothing
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"));
    // the bytes under an id never change; only the reader's own browser keeps them
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400"));
    Ok(res)
}

/// `filename="…"` (ASCII, for old clients) and `filename*=UTF-8''…` (the real name, RFC 6266).
fn filename_params(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_survive_in_both_forms() {
        assert_eq!(super::filename_params("영수증 1.pdf"), "filename=\"___ 1.pdf\"; filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D%201.pdf");
        assert_eq!(super::filename_params("a\"b.txt"), "filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt");
    }
}
