//! Downloads outside the Leptos pages: the analytics page's tables as CSV (admins): inquiry volume,
//! service figures per type and VOC over time, with the same rows and range rules as the page;
//! and the original of a mail read from a support mailbox (`.eml`).

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

/// Which table of the analytics page a CSV download holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Arrivals per local hour, type and channel.
    Volume,
    /// First response, resolution, target attainment and satisfaction per type.
    Service,
    /// Voice-of-customer categories per week or month.
    Voc,
}

pub async fn report_csv(state: AppState, session: Session, q: VolumeQuery, report: Report) -> Response {
    match csv_body(&state, &session, &q, report).await {
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

async fn csv_body(state: &AppState, session: &Session, q: &VolumeQuery, report: Report) -> Result<(String, String), AppError> {
    use app::admin::analytics::{service_report, voc_report, volume_rows, Scope};
    let user = app::auth::guard::session_user(state, session).await?.ok_or(AppError::Unauthorized)?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let types = app::store::inquiries::types(&state.db, app::i18n::Locale::En).await?;
    let now = state.clock.now_ms();
    let scope = Scope::parse(&q.from, &q.to, &q.type_code, &types, now)?;
    let (from, to) = (&scope.from, &scope.to);
    Ok(match report {
        Report::Volume => {
            let rows = volume_rows(&state.db, &scope).await?;
            (format!("inquiry-volume-{from}-{to}.csv"), app::domain::analytics::csv(&rows, app::domain::calendar::CENTRE_OFFSET_MS))
        }
        Report::Service => {
            let service = service_report(&state.db, &scope).await?;
            (format!("service-{from}-{to}.csv"), app::domain::service_metrics::csv_by_type(&service))
        }
        Report::Voc => {
            let service = voc_report(&state.db, &scope).await?;
            (format!("voc-{from}-{to}.csv"), app::domain::service_metrics::csv_voc(&service))
        }
    })
}

/// The week's staffing plan as CSV (admins): the page's forecast and roster, with the
/// assumptions in the query string (the page's defaults for missing ones).
pub async fn staffing_csv(state: AppState, session: Session, q: std::collections::HashMap<String, String>) -> Response {
    match staffing_csv_body(&state, &session, &q).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"staffing-plan.csv\"".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(e) => crate::middleware::error_response(e),
    }
}

async fn staffing_csv_body(state: &AppState, session: &Session, q: &std::collections::HashMap<String, String>) -> Result<String, AppError> {
    use app::admin::staffing::{plan_history, Assumptions};
    let user = app::auth::guard::session_user(state, session).await?.ok_or(AppError::Unauthorized)?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let h = plan_history(&state.db, state.clock.now_ms()).await?;
    let a = Assumptions::from_query(Assumptions::defaults(&h.plan), |k| q.get(k).cloned())?;
    app::domain::staffing::week_csv(&h.plan.inquiries, &h.plan.chats, &h.plan.roster, &a.inputs())
        .map_err(|e| AppError::BadRequest(e.to_string()))
}

/// The original of inbound mail `id` as an `.eml` download: for admins any, for agents those
/// that joined an inquiry (as the thread they can open); nobody else, and a mail that is not
/// there is "not found" either way.
pub async fn inbound_original(state: AppState, session: Session, id: String) -> Response {
    let found = async {
        let user = app::auth::guard::session_user(&state, &session).await?.ok_or(AppError::Unauthorized)?;
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        let (key, inquiry) = app::store::inbound::raw_of(&state.db, id).await?.ok_or(AppError::NotFound)?;
        let allowed = match user.role {
            Role::Admin => true,
            Role::Agent => inquiry.is_some(),
            Role::Customer => false,
        };
        if !allowed {
            return Err(AppError::NotFound);
        }
        let key = key.as_deref().and_then(app::files::FileKey::parse).ok_or(AppError::NotFound)?;
        let bytes = state.files.get(&key).await?.ok_or(AppError::NotFound)?;
        Ok::<_, AppError>((id, bytes))
    };
    match found.await {
        Ok((id, bytes)) => (
            [
                (header::CONTENT_TYPE, "message/rfc822".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"mail-{id}.eml\"")),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => crate::middleware::error_response(e),
    }
}
