//! Downloads outside the Leptos pages: the inquiry volume as CSV (admins), the same rows and
//! range rules as the analytics page.

use app::domain::roles::Role;
use app::error::AppError;
use app::state::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

#[derive(Debug, Default, serde::Deserialize)]
pub struct VolumeQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default, rename = "type")]
    pub type_code: String,
}

pub async fn volume_csv(state: AppState, session: Session, q: VolumeQuery) -> Response {
    match volume_csv_body(&state, &session, &q).await {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            body,
        )
            .into_response(),
        Err(e) => crate::middleware::error_response(e),
    }
}

async fn volume_csv_body(state: &AppState, session: &Session, q: &VolumeQuery) -> Result<(String, String), AppError> {
    let user = app::auth::guard::session_user(state, session).await?.ok_or(AppError::Unauthorized)?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let types = app::db::inquiries::types(&state.db, app::i18n::Locale::En).await?;
    let (rows, from, to) = app::admin::analytics::volume_rows(&state.db, &q.from, &q.to, &q.type_code, &types, app::db::now_ms()).await?;
    Ok((format!("inquiry-volume-{from}-{to}.csv"), app::domain::analytics::csv(&rows, app::domain::calendar::CENTRE_OFFSET_MS)))
}
