//! FAQ templates as the public FAQ page reads them.

use super::Db;
use crate::error::AppError;
use crate::domain::faq_pack::PackType;
use crate::domain::faq_training::{inquiry_text, TemplateRef, TrainingSet};

/// How many confirmed inquiries per template join its training examples: enough to learn how
/// customers really ask, few enough that the question and phrasings still count.
const LEARNED_PER_TEMPLATE: i64 = 50;

/// An inquiry type's names, for the pack.
#[derive(sqlx::FromRow)]
struct PackTypeRow {
    id: i64,
    name_ko: String,
    name_en: String,
}

/// An active template with its phrasings as stored (a JSON list).
#[derive(sqlx::FromRow)]
struct ActiveTemplateRow {
    id: i64,
    type_id: i64,
    language: String,
    question: String,
    answer: String,
    alternatives: String,
}

/// An inquiry a template answered: its subject and first customer message.
#[derive(sqlx::FromRow)]
struct LearnedRow {
    template_id: i64,
    subject: String,
    body: Option<String>,
}

/// The active templates and their training examples (template id, text): question, phrasings,
/// the inquiries customers confirmed it solved, and the inquiries agents answered with it.
/// The most used templates come first, so lists built from the index show them first.
pub async fn training_set(db: &Db) -> Result<TrainingSet, AppError> {
    let types = sqlx::query_as::<_, PackTypeRow>("SELECT id, name_ko, name_en FROM inquiry_types ORDER BY sort_order, id")
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| PackType { id: r.id, name_ko: r.name_ko, name_en: r.name_en })
        .collect();
    let rows: Vec<ActiveTemplateRow> =
        sqlx::query_as("SELECT id, type_id, language, question, answer, alternatives FROM faq_templates WHERE retired = 0 ORDER BY hits DESC, id")
            .fetch_all(db)
            .await?;
    let mut templates = Vec::with_capacity(rows.len());
    let mut examples = Vec::new();
    for r in rows {
        let id = r.id;
        examples.push((id, r.question.clone()));
        // a malformed list (edited by hand in the database) costs the phrasings, not the template
        for alt in serde_json::from_str::<Vec<String>>(&r.alternatives).unwrap_or_default() {
            examples.push((id, alt));
        }
        templates.push(TemplateRef { id, type_id: r.type_id, language: r.language, question: r.question, answer: r.answer });
    }
    let learned: Vec<LearnedRow> = sqlx::query_as(
        "SELECT template_id, subject, body FROM (
            SELECT x.template_id, i.subject,
                   (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                    ORDER BY m.created_at, m.id LIMIT 1) AS body,
                   ROW_NUMBER() OVER (PARTITION BY x.template_id ORDER BY i.id DESC) AS n
            FROM (SELECT id AS inquiry_id, auto_template_id AS template_id FROM inquiries WHERE faq_outcome = 'solved'
                  UNION
                  SELECT DISTINCT inquiry_id, template_id FROM inquiry_messages WHERE template_id IS NOT NULL AND author_kind = 'agent') x
            JOIN inquiries i ON i.id = x.inquiry_id
            JOIN faq_templates t ON t.id = x.template_id AND t.retired = 0
         ) AS learned WHERE n <= $1",
    )
    .bind(LEARNED_PER_TEMPLATE)
    .fetch_all(db)
    .await?;
    for r in &learned {
        examples.push((r.template_id, inquiry_text(&r.subject, r.body.as_deref().unwrap_or(""))));
    }
    Ok(TrainingSet { types, templates, examples })
}

// ---- the admin's FAQ editor ----

use crate::domain::faq_template::TemplateDraft;
use crate::error::FieldCode;

/// A template's content as stored (the phrasings as a JSON list), from a row with type_code,
/// language, question, alternatives and answer (a template or one of its revisions): the save's
/// before-image, revert and the admin's template page read it through this.
#[derive(sqlx::FromRow)]
pub struct StoredDraft {
    type_code: String,
    language: String,
    question: String,
    alternatives: String,
    answer: String,
}

impl From<StoredDraft> for TemplateDraft {
    fn from(r: StoredDraft) -> TemplateDraft {
        TemplateDraft { type_code: r.type_code, language: r.language, question: r.question, phrasings: phrasings_of(&r.alternatives), answer: r.answer }
    }
}

/// The phrasings of a stored JSON list (a malformed one, edited by hand, reads as none).
fn phrasings_of(json: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(json).unwrap_or_default()
}

async fn type_id(tx: &mut crate::store::WriteTx, code: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = $1 AND retired = 0")
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::invalid("type_code", FieldCode::InvalidChoice))
}

fn draft_json(d: &TemplateDraft) -> serde_json::Value {
    serde_json::json!({ "type": d.type_code, "language": d.language, "question": d.question, "phrasings": d.phrasings, "answer": d.answer })
}

/// Saves a draft as the next revision of template `id` (a new template when `id` is `None`),
/// with the revision row and the audit entry in the same transaction. Returns the template id.
pub async fn save(db: &Db, id: Option<i64>, d: &TemplateDraft, editor: i64, now: i64) -> Result<i64, AppError> {
    let mut tx = super::write_tx(db).await?;
    let id = save_in(&mut tx, id, d, editor, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`save`] in the caller's transaction. The audit's "before" image is read in it too, so two
/// saves at once each record the content the other left (not both the same old one).
async fn save_in(tx: &mut crate::store::WriteTx, id: Option<i64>, d: &TemplateDraft, editor: i64, now: i64) -> Result<i64, AppError> {
    if let Some(id) = id {
        tx.lock(super::Lock::Template(id)).await?;
    }
    let type_id = type_id(tx, &d.type_code).await?;
    let phrasings = serde_json::to_string(&d.phrasings).map_err(|e| AppError::internal("faq phrasings", e))?;
    let before = match id {
        Some(id) => {
            let b: StoredDraft = sqlx::query_as(
                "SELECT t.code AS type_code, f.language, f.question, f.alternatives, f.answer
                 FROM faq_templates f JOIN inquiry_types t ON t.id = f.type_id WHERE f.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NotFound)?;
            Some(TemplateDraft::from(b))
        }
        None => None,
    };
    let (id, revision) = match id {
        Some(id) => {
            let revision: i64 = sqlx::query_scalar(
                "UPDATE faq_templates SET type_id = $1, language = $2, question = $3, alternatives = $4, answer = $5,
                        current_revision = current_revision + 1, updated_at = $6
                 WHERE id = $7 RETURNING current_revision",
            )
            .bind(type_id)
            .bind(&d.language)
            .bind(&d.question)
            .bind(&phrasings)
            .bind(&d.answer)
            .bind(now)
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            (id, revision)
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO faq_templates (type_id, language, question, alternatives, answer, current_revision, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
            )
            .bind(type_id)
            .bind(&d.language)
            .bind(&d.question)
            .bind(&phrasings)
            .bind(&d.answer)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            (id, 1)
        }
    };
    sqlx::query(
        "INSERT INTO faq_revisions (template_id, revision, question, alternatives, answer, type_id, language, edited_by, edited_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(revision)
    .bind(&d.question)
    .bind(&phrasings)
    .bind(&d.answer)
    .bind(type_id)
    .bind(&d.language)
    .bind(editor)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let before_json = before.as_ref().map(draft_json);
    let action = if before_json.is_some() { "faq.update" } else { "faq.create" };
    super::audit::record(tx, editor, action, "faq_template", id, before_json.as_ref(), Some(&draft_json(d)), now).await?;
    Ok(id)
}

/// Saves the content of an earlier revision as the newest one.
/// The revision is read in the transaction that saves it.
pub async fn revert(db: &Db, id: i64, revision: i64, editor: i64, now: i64) -> Result<i64, AppError> {
    let mut tx = super::write_tx(db).await?;
    let r: StoredDraft = sqlx::query_as(
        "SELECT t.code AS type_code, r.language, r.question, r.alternatives, r.answer
         FROM faq_revisions r JOIN inquiry_types t ON t.id = r.type_id WHERE r.template_id = $1 AND r.revision = $2",
    )
    .bind(id)
    .bind(revision)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let draft = TemplateDraft::from(r);
    let id = save_in(&mut tx, Some(id), &draft, editor, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Retires a template (it stops answering) or brings it back.
pub async fn set_retired(db: &Db, id: i64, retired: bool, editor: i64, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    let done = sqlx::query("UPDATE faq_templates SET retired = $1, updated_at = $2 WHERE id = $3")
        .bind(retired as i64)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let (before, after) = (serde_json::json!({ "retired": !retired }), serde_json::json!({ "retired": retired }));
    let action = if retired { "faq.retire" } else { "faq.restore" };
    super::audit::record(&mut tx, editor, action, "faq_template", id, Some(&before), Some(&after), now).await?;
    tx.commit().await?;
    Ok(())
}

/// A recent web inquiry with its type's automation settings and first customer message.
#[derive(sqlx::FromRow)]
struct RecentInquiryRow {
    id: i64,
    subject: String,
    auto_answer_threshold: f64,
    #[sqlx(try_from = "crate::model::Flag")]
    auto_answer: bool,
    body: Option<String>,
}

/// The latest inquiries (id, subject, text, the threshold of their type) for the preview of what
/// a template would have answered.
pub async fn recent_inquiries(db: &Db, limit: i64) -> Result<Vec<(i64, String, String, f64, bool)>, AppError> {
    let rows: Vec<RecentInquiryRow> = sqlx::query_as(
        "SELECT i.id, i.subject, t.auto_answer_threshold, t.auto_answer,
                (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                 ORDER BY m.created_at, m.id LIMIT 1) AS body
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.channel = 'web' ORDER BY i.created_at DESC, i.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let text = inquiry_text(&r.subject, r.body.as_deref().unwrap_or(""));
            (r.id, r.subject, text, r.auto_answer_threshold, r.auto_answer)
        })
        .collect())
}

/// A template's question, for naming ranked templates.
pub async fn questions(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String)>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(q) = sqlx::query_scalar::<_, String>("SELECT question FROM faq_templates WHERE id = $1").bind(id).fetch_optional(db).await? {
            out.push((*id, q));
        }
    }
    Ok(out)
}

// ---- agents' proposals ----


/// An agent proposes their reply on an inquiry (of their groups) as a new FAQ template.
pub async fn propose(db: &Db, agent: i64, inquiry_id: i64, question: &str, answer: &str, now: i64) -> Result<i64, AppError> {
    let type_id: i64 = sqlx::query_scalar("SELECT type_id FROM inquiries WHERE id = $1")
        .bind(inquiry_id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let language = if crate::domain::matcher::features::script_is_korean(question) { "ko" } else { "en" };
    let mut tx = super::write_tx(db).await?;
    super::enforce_quota(
        &mut tx,
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM faq_proposals WHERE proposed_by = $1 AND created_at > $2",
        agent,
        crate::domain::quota::FAQ_PROPOSALS,
        crate::error::Limited::FaqProposals,
        now,
    )
    .await?;
    let id = sqlx::query_scalar(
        "INSERT INTO faq_proposals (inquiry_id, proposed_by, type_id, language, question, answer, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(inquiry_id)
    .bind(agent)
    .bind(type_id)
    .bind(language)
    .bind(question)
    .bind(answer)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A pending proposal's content.
#[derive(sqlx::FromRow)]
struct ProposalRow {
    type_code: String,
    language: String,
    question: String,
    answer: String,
}

/// Approves a pending proposal (it becomes a template, returned) or rejects it.
pub async fn decide_proposal(db: &Db, id: i64, approve: bool, admin: i64, now: i64) -> Result<Option<i64>, AppError> {
    // one transaction: two admins deciding at once cannot make two templates, and a template
    // that cannot be made (its type retired meanwhile) leaves the proposal waiting, untouched
    let mut tx = super::write_tx(db).await?;
    tx.lock(super::Lock::Proposal(id)).await?;
    let p: ProposalRow = sqlx::query_as(
        "SELECT t.code AS type_code, p.language, p.question, p.answer FROM faq_proposals p JOIN inquiry_types t ON t.id = p.type_id
         WHERE p.id = $1 AND p.status = 'pending'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query("UPDATE faq_proposals SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4")
        .bind(if approve { "approved" } else { "rejected" })
        .bind(admin)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let template = if approve {
        let draft = TemplateDraft { type_code: p.type_code, language: p.language, question: p.question, phrasings: Vec::new(), answer: p.answer };
        let template = save_in(&mut tx, None, &draft, admin, now).await?;
        sqlx::query("UPDATE faq_proposals SET template_id = $1 WHERE id = $2").bind(template).bind(id).execute(&mut *tx).await?;
        Some(template)
    } else {
        None
    };
    tx.commit().await?;
    Ok(template)
}

// ---- deflections: a suggestion shown while typing answered the question ----

/// The same customer thanking the same answer again within this window counts once.
const DEFLECTION_WINDOW_MS: i64 = 60 * 60 * 1000;

/// Records that `template_id` answered the customer's question before they sent an inquiry.
/// `Ok(false)` when it was already counted within the hour; `NotFound` for a template that does
/// not exist or is retired.
pub async fn record_deflection(db: &Db, customer_id: i64, template_id: i64, now: i64) -> Result<bool, AppError> {
    let mut tx = super::write_tx(db).await?;
    // counted once per customer and hour: the check and the insert, one customer at a time
    tx.lock(super::Lock::Customer(customer_id)).await?;
    let active: Option<i64> = sqlx::query_scalar("SELECT id FROM faq_templates WHERE id = $1 AND retired = 0")
        .bind(template_id)
        .fetch_optional(&mut *tx)
        .await?;
    if active.is_none() {
        return Err(AppError::NotFound);
    }
    let recent: Option<i64> = sqlx::query_scalar("SELECT id FROM faq_deflections WHERE customer_id = $1 AND template_id = $2 AND at > $3 LIMIT 1")
        .bind(customer_id)
        .bind(template_id)
        .bind(now - DEFLECTION_WINDOW_MS)
        .fetch_optional(&mut *tx)
        .await?;
    if recent.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO faq_deflections (template_id, customer_id, at) VALUES ($1, $2, $3)")
        .bind(template_id)
        .bind(customer_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
