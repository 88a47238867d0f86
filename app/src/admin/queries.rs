//! What the admin pages read (server only): each query returns the page's own view types.
//! Writes and what they keep in step live in `store/`.

use super::agents::{AgentRow, GroupRow};
use super::audit::AuditEntry;
use super::faq::{ProposalView, RevisionView, TemplateDetail, TemplateFilter, TemplateRow};
use super::types::TypeRow;
use super::{AdminOverview, TypeRoute};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::store::faq::phrasings_of;
use crate::store::{like_anywhere, localized, Db, GROUP_NAME, TYPE_NAME};
use sqlx::Row;

// ---- agents and groups ----

pub async fn agents(db: &Db) -> Result<Vec<AgentRow>, AppError> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, u.email, u.disabled, a.chat_limit, a.presence, a.shifts,
                (SELECT GROUP_CONCAT(g.code, ',') FROM agent_memberships m JOIN agent_groups g ON g.id = m.group_id
                 WHERE m.agent_user_id = u.id) AS groups
         FROM users u JOIN agents a ON a.user_id = u.id WHERE u.role = 'agent' ORDER BY u.display_name, u.id",
    )
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let groups = crate::store::agents::group_codes(r.try_get("groups")?);
            Ok(AgentRow {
                user_id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                email: r.try_get("email")?,
                disabled: r.try_get::<i64, _>("disabled")? != 0,
                chat_limit: r.try_get("chat_limit")?,
                presence: r.try_get("presence")?,
                groups,
                shifts: r.try_get::<Option<String>, _>("shifts")?.unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(Into::into)
}

pub async fn groups(db: &Db) -> Result<Vec<GroupRow>, AppError> {
    Ok(sqlx::query(
        "SELECT g.code, g.name_ko, g.name_en, g.is_supervisors, g.push_mode,
                (SELECT COUNT(*) FROM agent_memberships m WHERE m.group_id = g.id) AS members
         FROM agent_groups g ORDER BY g.id",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(GroupRow {
            code: r.try_get("code")?,
            name_ko: r.try_get("name_ko")?,
            name_en: r.try_get("name_en")?,
            supervisors: r.try_get::<i64, _>("is_supervisors")? != 0,
            push_mode: r.try_get::<i64, _>("push_mode")? != 0,
            members: r.try_get("members")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?)
}

// ---- audit log ----

/// The latest entries, newest first (optionally one entity kind).
pub async fn audit_entries(db: &Db, entity: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    use sqlx::Row;
    Ok(sqlx::query(
        "SELECT a.id, a.at, u.display_name AS actor, a.action, a.entity, a.entity_id, a.before_json, a.after_json
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
         WHERE ($1 IS NULL OR a.entity = $1) ORDER BY a.at DESC, a.id DESC LIMIT $2",
    )
    .bind(entity)
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(AuditEntry {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            before: r.try_get("before_json")?,
            after: r.try_get("after_json")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?)
}
// ---- overview ----

pub async fn overview(db: &Db, locale: Locale) -> Result<AdminOverview, AppError> {
    let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await };
    let types = sqlx::query(
        "SELECT t.code, t.name_ko AS type_name_ko, t.name_en AS type_name_en, g.name_ko AS group_name_ko, g.name_en AS group_name_en,
                t.first_response_target_s
         FROM inquiry_types t JOIN agent_groups g ON g.id = t.group_id
         WHERE t.retired = 0 ORDER BY t.sort_order, t.id",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(TypeRoute {
            code: r.try_get("code")?,
            name: localized(r, TYPE_NAME, locale)?,
            group_name: localized(r, GROUP_NAME, locale)?,
            first_response_target_s: r.try_get("first_response_target_s")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
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

pub async fn types(db: &Db) -> Result<Vec<TypeRow>, AppError> {
    Ok(sqlx::query(
        "SELECT t.code, t.name_ko, t.name_en, g.code AS group_code, t.first_response_target_s, t.auto_answer,
                t.auto_answer_threshold, t.retired
         FROM inquiry_types t JOIN agent_groups g ON g.id = t.group_id ORDER BY t.retired, t.sort_order, t.id",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(TypeRow {
            code: r.try_get("code")?,
            name_ko: r.try_get("name_ko")?,
            name_en: r.try_get("name_en")?,
            group_code: r.try_get("group_code")?,
            first_response_minutes: r.try_get::<i64, _>("first_response_target_s")? / 60,
            auto_answer: r.try_get::<i64, _>("auto_answer")? != 0,
            threshold: r.try_get("auto_answer_threshold")?,
            retired: r.try_get::<i64, _>("retired")? != 0,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?)
}

// ---- FAQ templates and proposals ----

pub async fn templates(db: &Db, f: &TemplateFilter, locale: Locale) -> Result<Vec<TemplateRow>, AppError> {
    let like = f.q.as_deref().map(like_anywhere);
    Ok(sqlx::query(
        "SELECT f.id, f.question, t.name_ko AS type_name_ko, t.name_en AS type_name_en, f.language, f.retired, f.hits, f.solved, f.escalations, f.current_revision, f.updated_at,
                (SELECT COUNT(*) FROM faq_deflections d WHERE d.template_id = f.id) AS deflections
         FROM faq_templates f JOIN inquiry_types t ON t.id = f.type_id
         WHERE ($1 IS NULL OR f.question LIKE $1 ESCAPE '\\' OR f.answer LIKE $1 ESCAPE '\\' OR f.alternatives LIKE $1 ESCAPE '\\')
           AND ($2 IS NULL OR t.code = $2) AND ($3 IS NULL OR f.language = $3) AND ($4 IS NULL OR f.retired = $4)
         ORDER BY f.retired, t.sort_order, f.language, f.id",
    )
    .bind(like)
    .bind(f.type_code.as_deref())
    .bind(f.language.as_deref())
    .bind(f.active.map(|a| (!a) as i64))
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(TemplateRow {
            id: r.try_get("id")?,
            question: r.try_get("question")?,
            type_name: localized(r, TYPE_NAME, locale)?,
            language: r.try_get("language")?,
            retired: r.try_get::<i64, _>("retired")? != 0,
            hits: r.try_get("hits")?,
            solved: r.try_get("solved")?,
            escalations: r.try_get("escalations")?,
            deflections: r.try_get("deflections")?,
            revision: r.try_get("current_revision")?,
            updated_at: r.try_get("updated_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?)
}

pub async fn template(db: &Db, id: i64) -> Result<TemplateDetail, AppError> {
    let r = sqlx::query(
        "SELECT f.id, t.code AS type_code, f.language, f.question, f.alternatives, f.answer, f.retired, f.hits, f.solved,
                f.escalations, f.current_revision, t.auto_answer_threshold,
                (SELECT COUNT(*) FROM faq_deflections d WHERE d.template_id = f.id) AS deflections
         FROM faq_templates f JOIN inquiry_types t ON t.id = f.type_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let revisions = sqlx::query(
        "SELECT r.revision, u.display_name AS editor, r.edited_at, t.code AS type_code, r.language, r.question, r.alternatives, r.answer
         FROM faq_revisions r JOIN inquiry_types t ON t.id = r.type_id LEFT JOIN users u ON u.id = r.edited_by
         WHERE r.template_id = $1 ORDER BY r.revision DESC",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|v| {
        Ok(RevisionView {
            revision: v.try_get("revision")?,
            editor: v.try_get("editor")?,
            edited_at: v.try_get("edited_at")?,
            type_code: v.try_get("type_code")?,
            language: v.try_get("language")?,
            question: v.try_get("question")?,
            phrasings: phrasings_of(&v.try_get::<String, _>("alternatives")?),
            answer: v.try_get("answer")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(TemplateDetail {
        id: r.try_get("id")?,
        type_code: r.try_get("type_code")?,
        language: r.try_get("language")?,
        question: r.try_get("question")?,
        phrasings: phrasings_of(&r.try_get::<String, _>("alternatives")?),
        answer: r.try_get("answer")?,
        retired: r.try_get::<i64, _>("retired")? != 0,
        hits: r.try_get("hits")?,
        solved: r.try_get("solved")?,
        escalations: r.try_get("escalations")?,
        deflections: r.try_get("deflections")?,
        revision: r.try_get("current_revision")?,
        threshold: r.try_get("auto_answer_threshold")?,
        revisions,
    })
}

pub async fn pending_proposals(db: &Db, locale: Locale) -> Result<Vec<ProposalView>, AppError> {
    Ok(sqlx::query(
        "SELECT p.id, p.inquiry_id, u.display_name AS agent, t.name_ko AS type_name_ko, t.name_en AS type_name_en, p.language,
                p.question, p.answer, p.created_at
         FROM faq_proposals p JOIN users u ON u.id = p.proposed_by JOIN inquiry_types t ON t.id = p.type_id
         WHERE p.status = 'pending' ORDER BY p.created_at, p.id",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(ProposalView {
            id: r.try_get("id")?,
            inquiry_id: r.try_get("inquiry_id")?,
            agent: r.try_get("agent")?,
            type_name: localized(r, TYPE_NAME, locale)?,
            language: r.try_get("language")?,
            question: r.try_get("question")?,
            answer: r.try_get("answer")?,
            created_at: r.try_get("created_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?)
}

