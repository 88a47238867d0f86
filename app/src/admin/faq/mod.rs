//! The FAQ template editor: list with search and filters; create, edit, retire; every save a
//! revision (who, when, line diff) that can be reverted to; a test box that ranks templates for a
//! question; a preview of the recent inquiries the template would have answered; hit, solved and
//! escalation counts. Each save retrains the live index before it returns.

mod pages;
pub use pages::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::model::TypeOption;
use crate::domain::diff::{diff_lines, DiffLine};
use crate::domain::faq_template::LANGUAGES;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{field_errors, format_datetime, navigate_on_success, FormAlert, PageError};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TemplateFilter {
    pub q: Option<String>,
    pub type_code: Option<String>,
    pub language: Option<String>,
    /// Some(true): active only; Some(false): retired only.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: i64,
    pub question: String,
    pub type_name: String,
    pub language: String,
    pub retired: bool,
    pub hits: i64,
    pub solved: i64,
    pub escalations: i64,
    /// Customers who said a suggestion shown while typing answered them (no inquiry filed).
    pub deflections: i64,
    pub revision: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionView {
    pub revision: i64,
    pub editor: Option<String>,
    pub edited_at: i64,
    pub type_code: String,
    pub language: String,
    pub question: String,
    pub phrasings: Vec<String>,
    pub answer: String,
}

impl RevisionView {
    /// The revision as one text, for the diff view.
    fn as_text(&self) -> String {
        format!("[{}/{}] {}\n{}\n---\n{}", self.type_code, self.language, self.question, self.phrasings.join("\n"), self.answer)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateDetail {
    pub id: i64,
    pub type_code: String,
    pub language: String,
    pub question: String,
    pub phrasings: Vec<String>,
    pub answer: String,
    pub retired: bool,
    pub hits: i64,
    pub solved: i64,
    pub escalations: i64,
    /// Customers who said a suggestion shown while typing answered them (no inquiry filed).
    pub deflections: i64,
    pub revision: i64,
    /// The auto-answer threshold of the template's type.
    pub threshold: f64,
    pub revisions: Vec<RevisionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedTemplate {
    pub template_id: i64,
    pub question: String,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewItem {
    pub inquiry_id: i64,
    pub subject: String,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqEditView {
    pub template: Option<TemplateDetail>,
    pub types: Vec<TypeOption>,
    pub ranking: Vec<RankedTemplate>,
    pub preview: Vec<PreviewItem>,
    /// a draft from question mining (`from`: the inquiries of a group): a new template's fields,
    /// or the wordings to add to this template's phrasings
    pub draft: Option<crate::admin::mining::MinedDraft>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqListView {
    pub rows: Vec<TemplateRow>,
    pub types: Vec<TypeOption>,
}

/// How many recent inquiries the preview looks at.
#[cfg(feature = "ssr")]
const PREVIEW_INQUIRIES: i64 = 300;

#[cfg(feature = "ssr")]
fn non_empty(s: String) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

#[server(endpoint = "admin_faq_list")]
pub async fn admin_faq_list(q: String, type_code: String, language: String, active: String, locale: Locale) -> Result<FaqListView, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    let active = match active.as_str() {
        "" => None,
        "active" => Some(true),
        "retired" => Some(false),
        _ => return Err(AppError::invalid("active", crate::error::FieldCode::InvalidChoice)),
    };
    let filter = TemplateFilter { q: non_empty(q), type_code: non_empty(type_code), language: non_empty(language), active };
    let rows = super::queries::templates(&state.db, &filter, locale).await?;
    Ok(FaqListView { rows, types: crate::store::inquiries::types(&state.db, locale).await? })
}

/// One template (or none, for a new one) with the test ranking for `test` and the preview; with
/// `from` (inquiry ids from question mining) also a draft made of those inquiries.
#[server(endpoint = "admin_faq_get")]
pub async fn admin_faq_get(id: Option<i64>, test: String, from: Option<String>, locale: Locale) -> Result<FaqEditView, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    let from = crate::admin::mining::parse_ids(from.as_deref().unwrap_or(""))?;
    let draft = crate::faq::mining::draft(&state.db, &from).await?;
    let template = match id {
        Some(id) => Some(super::queries::template(&state.db, id).await?),
        None => None,
    };
    let index = state.faq.current();
    let ranking = if test.trim().is_empty() {
        Vec::new()
    } else {
        let ranked = index.suggest(&test, 5);
        let ids: Vec<i64> = ranked.iter().map(|s| s.template_id).collect();
        let names = crate::store::faq::questions(&state.db, &ids).await?;
        ranked
            .iter()
            .filter_map(|s| {
                let q = names.iter().find(|(i, _)| *i == s.template_id)?;
                Some(RankedTemplate { template_id: s.template_id, question: q.1.clone(), confidence: s.confidence })
            })
            .collect()
    };
    let mut preview = Vec::new();
    if let Some(t) = &template {
        for (inquiry_id, subject, text, threshold, auto) in crate::store::faq::recent_inquiries(&state.db, PREVIEW_INQUIRIES).await? {
            if let Some(best) = index.best(&text) {
                if auto && best.template_id == t.id && best.confidence >= threshold as f32 {
                    preview.push(PreviewItem { inquiry_id, subject, confidence: best.confidence });
                }
            }
        }
    }
    Ok(FaqEditView { template, types: crate::store::inquiries::types(&state.db, locale).await?, ranking, preview, draft })
}

/// Saves a template (a new one when `id` is empty) as a new revision, then retrains the index so
/// the next inquiry already uses it.
#[server(endpoint = "admin_faq_save")]
pub async fn admin_faq_save(
    id: String,
    type_code: String,
    language: String,
    question: String,
    phrasings: String,
    answer: String,
) -> Result<String, AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let id = match id.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let draft = crate::domain::faq_template::validate_draft(&type_code, &language, &question, &phrasings, &answer)
        .map_err(AppError::Invalid)?;
    let id = crate::store::faq::save(&state.db, id, &draft, admin.id, now).await?;
    faq_changed(&state).await?;
    crate::auth::api::finish_with_redirect(format!("/admin/faq/{id}?saved=1"))
}

#[server(endpoint = "admin_faq_retire")]
pub async fn admin_faq_retire(id: i64, retired: bool) -> Result<(), AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    crate::store::faq::set_retired(&state.db, id, retired, admin.id, now).await?;
    faq_changed(&state).await?;
    Ok(())
}

#[server(endpoint = "admin_faq_revert")]
pub async fn admin_faq_revert(id: i64, revision: i64) -> Result<(), AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    crate::store::faq::revert(&state.db, id, revision, admin.id, now).await?;
    faq_changed(&state).await?;
    Ok(())
}

fn rate(part: i64, whole: i64) -> String {
    if whole == 0 { "—".into() } else { format!("{:.0}%", part as f64 * 100.0 / whole as f64) }
}

// ---- agents' proposals ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalView {
    pub id: i64,
    pub inquiry_id: i64,
    pub agent: String,
    pub type_name: String,
    pub language: String,
    pub question: String,
    pub answer: String,
    pub created_at: i64,
}

#[server(endpoint = "admin_faq_proposals")]
pub async fn admin_faq_proposals(locale: Locale) -> Result<Vec<ProposalView>, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    super::queries::pending_proposals(&state.db, locale).await
}

/// Approving makes the proposal a template (opened for editing); rejecting drops it.
#[server(endpoint = "admin_faq_decide")]
pub async fn admin_faq_decide(id: i64, approve: bool) -> Result<String, AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    match crate::store::faq::decide_proposal(&state.db, id, approve, admin.id, now).await? {
        Some(template) => {
            faq_changed(&state).await?;
            crate::auth::api::finish_with_redirect(format!("/admin/faq/{template}?saved=1"))
        }
        None => crate::auth::api::finish_with_redirect("/admin/faq/proposals".into()),
    }
}

/// Rebuilds this server's FAQ index after a committed edit, and has the other servers sharing the
/// database rebuild theirs.
#[cfg(feature = "ssr")]
async fn faq_changed(state: &crate::state::AppState) -> Result<(), AppError> {
    state.faq.rebuild(&state.db).await?;
    state.chat.fanout.share(crate::chat::fanout::Shared::FaqChanged);
    Ok(())
}
