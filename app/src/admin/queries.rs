//! What the admin pages read (server only): each query returns the page's own view types.
//! Writes and what they keep in step live in `store/`.

use super::agents::{AgentRow, GroupRow};
use super::audit::AuditEntry;
use super::faq::{ProposalView, RevisionView, TemplateDetail, TemplateFilter, TemplateRow};
use super::types::TypeRow;
use super::{AdminOverview, TypeRoute};
use crate::domain::faq_template::TemplateDraft;
use crate::domain::inquiry_type::TypeDraft;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::store::faq::StoredDraft;
use crate::store::types::StoredType;
use crate::store::{like_anywhere, Db, GroupName, TypeName};

// ---- agents and groups ----

/// An agent account as stored: the disabled flag, shifts (NULL: none) and the group codes as
/// `GROUP_CONCAT` (see [`crate::store::agents::group_codes`]).
#[derive(sqlx::FromRow)]
struct AgentListRow {
    id: i64,
    display_name: String,
    email: String,
    #[sqlx(try_from = "crate::model::Flag")]
    disabled: bool,
    chat_limit: i64,
    presence: crate::model::Presence,
    shifts: Option<String>,
    groups: Option<String>,
    public_name: String,
}

impl From<AgentListRow> for AgentRow {
    fn from(r: AgentListRow) -> AgentRow {
        AgentRow {
            user_id: r.id,
            name: r.display_name,
            email: r.email,
            disabled: r.disabled,
            chat_limit: r.chat_limit,
            presence: r.presence,
            groups: crate::store::agents::group_codes(r.groups),
            shifts: r.shifts.unwrap_or_default(),
            public_name: r.public_name,
        }
    }
}

pub async fn agents(db: &Db) -> Result<Vec<AgentRow>, AppError> {
    let rows: Vec<AgentListRow> = sqlx::query_as(
        &format!(
        "SELECT u.id, u.display_name, u.email, u.disabled, a.chat_limit, a.presence, a.shifts, a.public_name,
                (SELECT {} FROM agent_memberships m JOIN agent_groups g ON g.id = m.group_id
                 WHERE m.agent_user_id = u.id) AS groups
         FROM users u JOIN agents a ON a.user_id = u.id WHERE u.role = 'agent' ORDER BY u.display_name, u.id",
        crate::store::dialect::comma_list(crate::store::Backend::of(db), "g.code")
    ),
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(AgentRow::from).collect())
}

pub async fn groups(db: &Db) -> Result<Vec<GroupRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT g.code, g.name_ko, g.name_en, g.is_supervisors AS supervisors, g.push_mode,
                (SELECT COUNT(*) FROM agent_memberships m WHERE m.group_id = g.id) AS members
         FROM agent_groups g ORDER BY g.id",
    )
    .fetch_all(db)
    .await?)
}

// ---- audit log ----

/// The latest entries, newest first (optionally one entity kind).
pub async fn audit_entries(db: &Db, entity: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.at, u.display_name AS actor, a.action, a.entity, a.entity_id, a.before_json, a.after_json
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
         WHERE ($1 IS NULL OR a.entity = $1) ORDER BY a.at DESC, a.id DESC LIMIT $2",
    )
    .bind(entity)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
// ---- overview ----

/// A type's routing, its own and its group's names in both languages.
#[derive(sqlx::FromRow)]
struct TypeRouteRow {
    code: String,
    #[sqlx(flatten)]
    type_name: TypeName,
    #[sqlx(flatten)]
    group_name: GroupName,
    first_response_target_s: i64,
}

pub async fn overview(db: &Db, locale: Locale) -> Result<AdminOverview, AppError> {
    let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await };
    let types = sqlx::query_as::<_, TypeRouteRow>(
        "SELECT t.code, t.name_ko AS type_name_ko, t.name_en AS type_name_en, g.name_ko AS group_name_ko, g.name_en AS group_name_en,
                t.first_response_target_s
         FROM inquiry_types t JOIN agent_groups g ON g.id = t.group_id
         WHERE t.retired = 0 ORDER BY t.sort_order, t.id",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| TypeRoute {
        code: r.code,
        name: r.type_name.in_locale(locale),
        group_name: r.group_name.in_locale(locale),
        first_response_target_s: r.first_response_target_s,
    })
    .collect();
    Ok(AdminOverview {
        customers: count("SELECT COUNT(*) FROM customers").await?,
        agents: count("SELECT COUNT(*) FROM users WHERE role = 'agent' AND disabled = 0").await?,
        inquiries: count("SELECT COUNT(*) FROM inquiries").await?,
        open_inquiries: count("SELECT COUNT(*) FROM inquiries WHERE status NOT IN ('resolved', 'closed')").await?,
        templates: count("SELECT COUNT(*) FROM faq_templates WHERE retired = 0").await?,
        types,
    })
}

// ---- inquiry types ----

impl From<TypeDraft> for TypeRow {
    fn from(d: TypeDraft) -> TypeRow {
        TypeRow {
            code: d.code,
            name_ko: d.name_ko,
            name_en: d.name_en,
            group_code: d.group_code,
            first_response_minutes: d.first_response_minutes,
            auto_answer: d.auto_answer,
            threshold: d.threshold,
            retired: d.retired,
        }
    }
}

pub async fn types(db: &Db) -> Result<Vec<TypeRow>, AppError> {
    Ok(sqlx::query_as::<_, StoredType>(
        "SELECT t.code, t.name_ko, t.name_en, g.code AS group_code, t.first_response_target_s, t.auto_answer,
                t.auto_answer_threshold, t.retired
         FROM inquiry_types t JOIN agent_groups g ON g.id = t.group_id ORDER BY t.retired, t.sort_order, t.id",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|t| TypeRow::from(TypeDraft::from(t)))
    .collect())
}

// ---- FAQ templates and proposals ----

/// A template's counters as stored (its deflections counted from their own table).
#[derive(sqlx::FromRow)]
struct TemplateCounters {
    hits: i64,
    solved: i64,
    escalations: i64,
    deflections: i64,
    current_revision: i64,
}

/// A template in the list, its type's name in both languages.
#[derive(sqlx::FromRow)]
struct TemplateListRow {
    id: i64,
    question: String,
    #[sqlx(flatten)]
    type_name: TypeName,
    language: String,
    #[sqlx(try_from = "crate::model::Flag")]
    retired: bool,
    #[sqlx(flatten)]
    counters: TemplateCounters,
    updated_at: i64,
}

impl TemplateListRow {
    fn in_locale(self, locale: Locale) -> TemplateRow {
        TemplateRow {
            id: self.id,
            question: self.question,
            type_name: self.type_name.in_locale(locale),
            language: self.language,
            retired: self.retired,
            hits: self.counters.hits,
            solved: self.counters.solved,
            escalations: self.counters.escalations,
            deflections: self.counters.deflections,
            revision: self.counters.current_revision,
            updated_at: self.updated_at,
        }
    }
}

pub async fn templates(db: &Db, f: &TemplateFilter, locale: Locale) -> Result<Vec<TemplateRow>, AppError> {
    let like = f.q.as_deref().map(like_anywhere);
    Ok(sqlx::query_as::<_, TemplateListRow>(
        "SELECT f.id, f.question, t.name_ko AS type_name_ko, t.name_en AS type_name_en, f.language, f.retired, f.hits, f.solved, f.escalations, f.current_revision, f.updated_at,
                (SELECT COUNT(*) FROM faq_deflections d WHERE d.template_id = f.id) AS deflections
         FROM faq_templates f JOIN inquiry_types t ON t.id = f.type_id
         WHERE ($1 IS NULL OR LOWER(f.question) LIKE LOWER($1) ESCAPE '\\' OR LOWER(f.answer) LIKE LOWER($1) ESCAPE '\\' OR LOWER(f.alternatives) LIKE LOWER($1) ESCAPE '\\')
           AND ($2 IS NULL OR t.code = $2) AND ($3 IS NULL OR f.language = $3) AND ($4 IS NULL OR f.retired = $4)
         ORDER BY f.retired, t.sort_order, f.language, f.id",
    )
    .bind(like)
    .bind(f.type_code.as_deref())
    .bind(f.language.as_deref())
    .bind(f.active.map(|a| (!a) as i64))
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| r.in_locale(locale))
    .collect())
}

/// A template with its counters and its type's threshold; the content as stored.
#[derive(sqlx::FromRow)]
struct TemplateDetailRow {
    id: i64,
    #[sqlx(flatten)]
    content: StoredDraft,
    #[sqlx(try_from = "crate::model::Flag")]
    retired: bool,
    #[sqlx(flatten)]
    counters: TemplateCounters,
    auto_answer_threshold: f64,
}

/// A revision with its editor; the content as stored.
#[derive(sqlx::FromRow)]
struct RevisionRow {
    revision: i64,
    editor: Option<String>,
    edited_at: i64,
    #[sqlx(flatten)]
    content: StoredDraft,
}

impl From<RevisionRow> for RevisionView {
    fn from(r: RevisionRow) -> RevisionView {
        let d = TemplateDraft::from(r.content);
        RevisionView {
            revision: r.revision,
            editor: r.editor,
            edited_at: r.edited_at,
            type_code: d.type_code,
            language: d.language,
            question: d.question,
            phrasings: d.phrasings,
            answer: d.answer,
        }
    }
}

pub async fn template(db: &Db, id: i64) -> Result<TemplateDetail, AppError> {
    let r: TemplateDetailRow = sqlx::query_as(
        "SELECT f.id, t.code AS type_code, f.language, f.question, f.alternatives, f.answer, f.retired, f.hits, f.solved,
                f.escalations, f.current_revision, t.auto_answer_threshold,
                (SELECT COUNT(*) FROM faq_deflections d WHERE d.template_id = f.id) AS deflections
         FROM faq_templates f JOIN inquiry_types t ON t.id = f.type_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let revisions = sqlx::query_as::<_, RevisionRow>(
        "SELECT r.revision, u.display_name AS editor, r.edited_at, t.code AS type_code, r.language, r.question, r.alternatives, r.answer
         FROM faq_revisions r JOIN inquiry_types t ON t.id = r.type_id LEFT JOIN users u ON u.id = r.edited_by
         WHERE r.template_id = $1 ORDER BY r.revision DESC",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(RevisionView::from)
    .collect();
    let d = TemplateDraft::from(r.content);
    Ok(TemplateDetail {
        id: r.id,
        type_code: d.type_code,
        language: d.language,
        question: d.question,
        phrasings: d.phrasings,
        answer: d.answer,
        retired: r.retired,
        hits: r.counters.hits,
        solved: r.counters.solved,
        escalations: r.counters.escalations,
        deflections: r.counters.deflections,
        revision: r.counters.current_revision,
        threshold: r.auto_answer_threshold,
        revisions,
    })
}

/// A pending proposal, its type's name in both languages.
#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    inquiry_id: i64,
    agent: String,
    #[sqlx(flatten)]
    type_name: TypeName,
    language: String,
    question: String,
    answer: String,
    created_at: i64,
}

pub async fn pending_proposals(db: &Db, locale: Locale) -> Result<Vec<ProposalView>, AppError> {
    Ok(sqlx::query_as::<_, ProposalRow>(
        "SELECT p.id, p.inquiry_id, u.display_name AS agent, t.name_ko AS type_name_ko, t.name_en AS type_name_en, p.language,
                p.question, p.answer, p.created_at
         FROM faq_proposals p JOIN users u ON u.id = p.proposed_by JOIN inquiry_types t ON t.id = p.type_id
         WHERE p.status = 'pending' ORDER BY p.created_at, p.id",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| ProposalView {
        id: r.id,
        inquiry_id: r.inquiry_id,
        agent: r.agent,
        type_name: r.type_name.in_locale(locale),
        language: r.language,
        question: r.question,
        answer: r.answer,
        created_at: r.created_at,
    })
    .collect())
}

