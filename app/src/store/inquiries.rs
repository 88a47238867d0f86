//! Inquiries (web tickets) from the customer's side. Every query is keyed by the customer id:
//! another customer's inquiry is "not found". Internal notes never leave this module for a
//! customer.

use super::Db;
use crate::model::inquiry::InquiryListItem;
use crate::model::TypeOption;
use crate::domain::inquiry::NewInquiry;
use crate::domain::auto_answer::{self, BestTemplate};
use crate::domain::{routing, status};
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;
use crate::model::{Channel, InquiryStatus};

/// The active inquiry types, in their order, named in the reader's language (on the pool, or on a
/// connection the caller holds for its other statements).
pub async fn types<'e>(db: impl sqlx::AnyExecutor<'e>, locale: Locale) -> Result<Vec<TypeOption>, AppError> {
    let rows: Vec<super::NamedRow> =
        sqlx::query_as("SELECT code, name_ko, name_en FROM inquiry_types WHERE retired = 0 ORDER BY sort_order, id").fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| r.in_locale(locale)).map(|(code, name)| TypeOption { code, name }).collect())
}

async fn existing_by_key(db: &Db, customer_id: i64, key: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM inquiries WHERE customer_id = $1 AND idempotency_key = $2")
        .bind(customer_id)
        .bind(key)
        .fetch_optional(db)
        .await?)
}

/// An inquiry type's routing and automation settings.
struct TypeRow {
    rule: auto_answer::TypeRule,
    group_id: i64,
    first_response_target_s: i64,
}

/// An active inquiry type's settings as stored.
#[derive(sqlx::FromRow)]
struct StoredType {
    id: i64,
    code: String,
    group_id: i64,
    first_response_target_s: i64,
    #[sqlx(try_from = "crate::model::Flag")]
    auto_answer: bool,
    auto_answer_threshold: f64,
}

impl From<StoredType> for TypeRow {
    fn from(r: StoredType) -> TypeRow {
        TypeRow {
            rule: auto_answer::TypeRule { type_id: r.id, code: r.code, auto_answer: r.auto_answer, threshold: r.auto_answer_threshold },
            group_id: r.group_id,
            first_response_target_s: r.first_response_target_s,
        }
    }
}

async fn type_row(db: &Db, by_code: Option<&str>, by_id: Option<i64>) -> Result<Option<TypeRow>, AppError> {
    let row: Option<StoredType> = sqlx::query_as(
        "SELECT id, code, group_id, first_response_target_s, auto_answer, auto_answer_threshold FROM inquiry_types
         WHERE retired = 0 AND (code = $1 OR id = $2)",
    )
    .bind(by_code)
    .bind(by_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(TypeRow::from))
}

/// What routing needs to know of a customer.
#[derive(sqlx::FromRow)]
struct RoutedCustomer {
    grade: crate::model::Grade,
    #[sqlx(try_from = "crate::model::Flag")]
    watch_flag: bool,
}

/// Where this customer's work of a type routed to `type_group` goes — the type's group, or the
/// supervisors' for a watch-flagged customer (new and re-typed inquiries, chats) — and the
/// customer's grade.
pub(super) async fn routed_group(db: &Db, customer_id: i64, type_group: i64) -> Result<(i64, crate::model::Grade), AppError> {
    let mut conn = db.acquire().await?;
    routed_group_on(&mut conn, customer_id, type_group).await
}

/// [`routed_group`] on a connection (inside a write transaction).
pub(super) async fn routed_group_on(conn: &mut crate::store::Conn, customer_id: i64, type_group: i64) -> Result<(i64, crate::model::Grade), AppError> {
    let customer: RoutedCustomer = sqlx::query_as("SELECT grade, watch_flag FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
    let supervisors: Option<i64> = sqlx::query_scalar("SELECT id FROM agent_groups WHERE is_supervisors = 1 ORDER BY id LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let group = routing::route_group(type_group, customer.watch_flag, supervisors);
    Ok((group, customer.grade))
}

/// The group an inquiry of this type goes to for this customer, and its SLA due time.
async fn route(db: &Db, customer_id: i64, ty: &TypeRow, now: i64) -> Result<(i64, i64, crate::model::Grade), AppError> {
    let (group, grade) = routed_group(db, customer_id, ty.group_id).await?;
    Ok((group, routing::sla_due(now, ty.first_response_target_s), grade))
}

/// Push mode: the agent a new inquiry of `group` goes to (the least-loaded online agent of the
/// group with capacity), or `None` when the group pulls or nobody can take it.
async fn push_target(conn: &mut crate::store::Conn, group: i64) -> Result<Option<i64>, AppError> {
    let push: Option<i64> = sqlx::query_scalar("SELECT push_mode FROM agent_groups WHERE id = $1").bind(group).fetch_optional(&mut *conn).await?;
    if push != Some(1) {
        return Ok(None);
    }
    let candidates: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.user_id, (SELECT COUNT(*) FROM inquiries i WHERE i.assigned_agent_id = a.user_id AND i.status IN ('new', 'open')) AS load
         FROM agents a JOIN agent_memberships m ON m.agent_user_id = a.user_id JOIN users u ON u.id = a.user_id
         WHERE m.group_id = $1 AND a.presence = 'online' AND u.disabled = 0",
    )
    .bind(group)
    .fetch_all(&mut *conn)
    .await?;
    Ok(routing::least_loaded(&candidates, routing::PUSH_CAPACITY))
}

/// Creates an inquiry with its routing fields and first message, or returns the inquiry an
/// earlier submission with the same idempotency key created. `best` is the FAQ template that
/// matches the text best: it types an "other" inquiry, and answers it at once when its
/// confidence reaches the type's threshold (the bot's answer is part of the same transaction).
pub async fn create(db: &Db, customer_id: i64, new: &NewInquiry, channel: Channel, best: Option<BestTemplate>, now: i64) -> Result<Created, AppError> {
    if let Some(id) = existing_by_key(db, customer_id, &new.idempotency_key).await? {
        return Ok(Created::Existing(id));
    }
    let chosen = type_row(db, Some(&new.type_code), None)
        .await?
        .ok_or_else(|| AppError::invalid("type_code", FieldCode::InvalidChoice))?;
    let filed = auto_answer::filed_type(&chosen.rule, best);
    let ty = match filed == chosen.rule.type_id {
        true => chosen,
        // the suggested type may have been retired a moment ago: keep the customer's choice then
        false => match type_row(db, None, Some(filed)).await? {
            Some(t) => t,
            None => chosen,
        },
    };
    let order_id = match &new.order_no {
        // another customer's order is "not found", as everywhere
        Some(no) => Some(super::orders::id_for_customer(db, customer_id, no).await?),
        None => None,
    };
    let (group, sla_due, grade) = route(db, customer_id, &ty, now).await?;
    let auto = match auto_answer::answers_at_once(&ty.rule, best) {
        Some(b) => sqlx::query_scalar::<_, String>("SELECT answer FROM faq_templates WHERE id = $1 AND retired = 0")
            .bind(b.template_id)
            .fetch_optional(db)
            .await?
            .map(|answer| (b, answer)),
        None => None,
    };

    let mut tx = super::write_tx(db).await?;
    super::enforce_quota(
        &mut tx,
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM inquiries WHERE customer_id = $1 AND created_at > $2",
        customer_id,
        crate::domain::quota::INQUIRIES,
        crate::error::Limited::NewInquiries,
        now,
    )
    .await?;
    let assignee = if auto.is_some() { None } else { push_target(&mut tx, group).await? };
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO inquiries (customer_id, type_id, order_id, subject, status, priority, channel, group_id,
                                created_at, updated_at, sla_due_at, idempotency_key, auto_template_id, auto_score, assigned_agent_id)
         VALUES ($1, $2, $3, $4, $5, $6, $14, $7, $8, $8, $9, $10, $11, CAST($12 AS DOUBLE PRECISION), $13)
         ON CONFLICT (customer_id, idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(customer_id)
    .bind(ty.rule.type_id)
    .bind(order_id)
    .bind(&new.subject)
    .bind(if auto.is_some() { "auto_answered" } else { "new" })
    .bind(grade.priority())
    .bind(group)
    .bind(now)
    .bind(sla_due)
    .bind(&new.idempotency_key)
    .bind(auto.as_ref().map(|(b, _)| b.template_id))
    .bind(super::optional_real(auto.as_ref().map(|(b, _)| b.confidence as f64)))
    .bind(assignee)
    .bind(channel)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        // a concurrent submission with the same key won the race
        tx.rollback().await?;
        return existing_by_key(db, customer_id, &new.idempotency_key).await?.map(Created::Existing).ok_or(AppError::NotFound);
    };
    let first_message = add_message(&mut tx, id, "customer", &new.body, now).await?;
    super::analytics::count(&mut tx, now, ty.rule.type_id, channel.as_str(), super::analytics::Counts::of(auto.is_some(), false)).await?;
    if let Some((b, answer)) = &auto {
        let bot = NewMessage { kind: "bot", author: None, body: answer, internal: false, template_id: Some(b.template_id) };
        insert_message(&mut tx, id, bot, now).await?;
        sqlx::query("UPDATE faq_templates SET hits = hits + 1 WHERE id = $1").bind(b.template_id).execute(&mut *tx).await?;
    }
    let semantic = auto.is_none() && ty.rule.auto_answer;
    Ok(Created::New { id, first_message, tx, auto_answer: auto.map(|(_, answer)| answer), semantic })
}

/// What [`create`] did: found the inquiry an earlier submission with the same key made, or wrote
/// a new one in `tx`, which the caller commits after adding what goes with it (the mail that
/// brings an automatic answer). Dropping `tx` uncommitted writes nothing.
pub enum Created {
    Existing(i64),
    /// `first_message`: the customer's message it was filed with. `semantic`: not answered at
    /// once, and of a type that answers automatically: the semantic FAQ head may still answer it.
    New { id: i64, first_message: i64, tx: crate::store::WriteTx, auto_answer: Option<String>, semantic: bool },
}

/// Whom mail about inquiry `id` goes to: the customer's sign-in address, name and language.
pub async fn answer_for(conn: &mut crate::store::Conn, id: i64) -> Result<crate::model::inquiry::AnswerFor, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.id AS inquiry_id, i.created_at AS inquiry_created_at, i.subject, u.id AS user_id, u.email, c.name, u.locale
         FROM inquiries i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.user_id WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// What a list entry selects (see [`ListRow`]).
pub const LIST_COLUMNS: &str = "i.id, i.subject, i.status, t.name_ko AS type_name_ko, t.name_en AS type_name_en, i.created_at, i.updated_at";

/// A list entry as selected by [`LIST_COLUMNS`] (inquiry `i` joined with its type `t`), the type's
/// name in both languages.
#[derive(sqlx::FromRow)]
pub struct ListRow {
    id: i64,
    subject: String,
    status: InquiryStatus,
    #[sqlx(flatten)]
    type_name: super::TypeName,
    created_at: i64,
    updated_at: i64,
}

impl ListRow {
    pub fn in_locale(self, locale: Locale) -> InquiryListItem {
        InquiryListItem {
            id: self.id,
            subject: self.subject,
            status: self.status,
            type_name: self.type_name.in_locale(locale),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// (status, resolved_at, closed_at, csat) of the customer's inquiry, or 404.
/// The inquiry's state as the customer's change must see it: read inside the change's write
/// transaction, locked until it commits ([`crate::store::WriteTx::lock`]), so no other change to
/// it can come between this read and the write.
async fn state(tx: &mut crate::store::WriteTx, customer_id: i64, id: i64) -> Result<(InquiryStatus, Option<i64>, Option<i64>, Option<i64>), AppError> {
    tx.lock(crate::store::Lock::Inquiry(id)).await?;
    let r: StateRow = sqlx::query_as("SELECT status, resolved_at, closed_at, csat FROM inquiries WHERE id = $1 AND customer_id = $2")
        .bind(id)
        .bind(customer_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r.status, r.resolved_at, r.closed_at, r.csat))
}

#[derive(sqlx::FromRow)]
struct StateRow {
    status: InquiryStatus,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    csat: Option<i64>,
}

/// A message to add to an inquiry's thread.
pub(super) struct NewMessage<'a> {
    pub kind: &'a str,
    pub author: Option<i64>,
    pub body: &'a str,
    /// Internal notes are for agents only.
    pub internal: bool,
    /// The FAQ template the message answers with (bot answers, agent replies that used one).
    pub template_id: Option<i64>,
}

/// The one place messages are written.
pub(super) async fn insert_message(tx: &mut crate::store::WriteTx, id: i64, m: NewMessage<'_>, now: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO inquiry_messages (inquiry_id, author_kind, author_user_id, body, internal, created_at, template_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(m.kind)
    .bind(m.author)
    .bind(m.body)
    .bind(m.internal as i64)
    .bind(now)
    .bind(m.template_id)
    .fetch_one(&mut **tx)
    .await?)
}

/// A message the customer sees, from the customer (no account shown), the bot or the system.
async fn add_message(tx: &mut crate::store::WriteTx, id: i64, kind: &str, body: &str, now: i64) -> Result<i64, AppError> {
    insert_message(tx, id, NewMessage { kind, author: None, body, internal: false, template_id: None }, now).await
}

pub async fn reply(db: &Db, customer_id: i64, id: i64, body: &str, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    reply_in(&mut tx, customer_id, id, body, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The customer's reply to their inquiry `id` in the caller's transaction (a reply by mail is
/// recorded with it): back to the agents, a resolved inquiry reopened, an automatic answer
/// escalated. A closed inquiry takes no replies. Returns the message's id.
pub async fn reply_in(tx: &mut crate::store::WriteTx, customer_id: i64, id: i64, body: &str, now: i64) -> Result<i64, AppError> {
    let (st, ..) = state(tx, customer_id, id).await?;
    if !status::customer_may_reply(st) {
        return Err(AppError::invalid("body", FieldCode::InquiryClosed));
    }
    let before = super::service_metrics::facts(tx, id).await?;
    let message = add_message(tx, id, "customer", body, now).await?;
    if st == InquiryStatus::AutoAnswered {
        // a reply to an automatic answer asks for a person
        escalate_auto_answer(tx, id, now).await?;
    } else {
        sqlx::query("UPDATE inquiries SET status = $1, updated_at = $2, resolved_at = NULL WHERE id = $3")
            .bind(status::status_after_customer_reply(st))
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    super::service_metrics::restate(tx, id, before).await?;
    Ok(message)
}

/// Routes an automatically answered inquiry to agents, the bot's answer kept in the thread: open,
/// escalated, with a fresh first-response target from now (the customer waits from now on).
async fn escalate_auto_answer(tx: &mut crate::store::WriteTx, id: i64, now: i64) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE inquiries SET status = 'open', escalated = 1, faq_outcome = 'escalated', updated_at = $1,
                sla_due_at = $1 + 1000 * (SELECT t.first_response_target_s FROM inquiry_types t WHERE t.id = inquiries.type_id)
         WHERE id = $2 AND status = 'auto_answered'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 1 {
        sqlx::query("UPDATE faq_templates SET escalations = escalations + 1 WHERE id = (SELECT auto_template_id FROM inquiries WHERE id = $1)")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let (group, created_at, type_id, channel): (i64, i64, i64, String) =
            sqlx::query_as("SELECT group_id, created_at, type_id, channel FROM inquiries WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
        let escalation = super::analytics::Counts { escalated: 1, ..Default::default() };
        super::analytics::count(tx, created_at, type_id, &channel, escalation).await?;
        if let Some(agent) = push_target(tx, group).await? {
            sqlx::query("UPDATE inquiries SET assigned_agent_id = $1 WHERE id = $2").bind(agent).bind(id).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// The customer's answer to an automatic answer: "this solved my question" closes the inquiry as
/// solved; "I still need a person" sends it to agents.
pub async fn decide_auto_answer(db: &Db, customer_id: i64, id: i64, solved: bool, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    let (st, ..) = state(&mut tx, customer_id, id).await?;
    if st != InquiryStatus::AutoAnswered {
        return Err(AppError::invalid("status", FieldCode::NotAutoAnswered));
    }
    let before = super::service_metrics::facts(&mut tx, id).await?;
    if solved {
        add_message(&mut tx, id, "system", "solved_by_customer", now).await?;
        close_auto_answer(&mut tx, id, "solved", now).await?;
    } else {
        add_message(&mut tx, id, "system", "escalated_by_customer", now).await?;
        escalate_auto_answer(&mut tx, id, now).await?;
    }
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes an automatically answered inquiry as solved (`outcome` says whether the customer said
/// so or time did) and counts it for the template. Returns whether it was still waiting.
async fn close_auto_answer(tx: &mut crate::store::WriteTx, id: i64, outcome: &str, now: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE inquiries SET status = 'closed', faq_outcome = $1, resolved_at = $2, closed_at = $2, updated_at = $2
         WHERE id = $3 AND status = 'auto_answered'",
    )
    .bind(outcome)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 1 {
        sqlx::query("UPDATE faq_templates SET solved = solved + 1 WHERE id = (SELECT auto_template_id FROM inquiries WHERE id = $1)")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(done.rows_affected() == 1)
}

/// Automatic answers nobody reacted to for three days close as solved. Returns how many closed.
pub async fn close_stale_auto_answers(db: &Db, now: i64) -> Result<u64, AppError> {
    let due: Vec<(i64, i64)> = sqlx::query_as("SELECT id, updated_at FROM inquiries WHERE status = 'auto_answered' AND updated_at <= $1")
        .bind(now - auto_answer::AUTO_CLOSE_AFTER_MS)
        .fetch_all(db)
        .await?;
    let mut closed = 0;
    for (id, since) in due {
        if !auto_answer::auto_close_due(since, now) {
            continue;
        }
        let mut tx = super::write_tx(db).await?;
        tx.lock(super::Lock::Inquiry(id)).await?;
        let before = super::service_metrics::facts(&mut tx, id).await?;
        if close_auto_answer(&mut tx, id, "timed_out", now).await? {
            add_message(&mut tx, id, "system", "auto_closed_solved", now).await?;
            super::service_metrics::restate(&mut tx, id, before).await?;
            closed += 1;
        }
        tx.commit().await?;
    }
    Ok(closed)
}

pub async fn close(db: &Db, customer_id: i64, id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    let (st, ..) = state(&mut tx, customer_id, id).await?;
    if !status::customer_may_close(st) {
        return Err(AppError::invalid("status", FieldCode::InquiryClosed));
    }
    let before = super::service_metrics::facts(&mut tx, id).await?;
    add_message(&mut tx, id, "system", "closed_by_customer", now).await?;
    sqlx::query("UPDATE inquiries SET status = 'closed', closed_at = $1, updated_at = $1, resolved_at = COALESCE(resolved_at, $1) WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reopen(db: &Db, customer_id: i64, id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    let (st, resolved_at, closed_at, _) = state(&mut tx, customer_id, id).await?;
    if !status::customer_may_reopen(st, closed_at.or(resolved_at), now) {
        return Err(AppError::invalid("status", FieldCode::ReopenExpired));
    }
    let before = super::service_metrics::facts(&mut tx, id).await?;
    add_message(&mut tx, id, "system", "reopened_by_customer", now).await?;
    sqlx::query("UPDATE inquiries SET status = 'open', closed_at = NULL, resolved_at = NULL, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn rate(db: &Db, customer_id: i64, id: i64, score: i64, comment: Option<&str>, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    let (st, _, _, csat) = state(&mut tx, customer_id, id).await?;
    if !status::customer_may_rate(st, csat.is_some()) {
        return Err(AppError::invalid("score", FieldCode::AlreadyRated));
    }
    let before = super::service_metrics::facts(&mut tx, id).await?;
    // the WHERE keeps a double submission from rating twice
    sqlx::query("UPDATE inquiries SET csat = $1, csat_comment = $2, updated_at = $3 WHERE id = $4 AND csat IS NULL")
        .bind(score)
        .bind(comment)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
}

/// An inquiry still waiting for its first answer, as the semantic FAQ head reads it.
pub struct AwaitingAnswer {
    pub id: i64,
    pub subject: String,
    /// the customer's first message
    pub body: String,
    pub rule: auto_answer::TypeRule,
}

#[derive(sqlx::FromRow)]
struct AwaitingRow {
    id: i64,
    subject: String,
    body: Option<String>,
    type_id: i64,
    code: String,
    #[sqlx(try_from = "crate::model::Flag")]
    auto_answer: bool,
    auto_answer_threshold: f64,
}

/// Those of `ids` that are still new (nobody answered or took them) and whose type answers
/// automatically.
pub async fn awaiting_semantic(db: &Db, ids: &[i64]) -> Result<Vec<AwaitingAnswer>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let row: Option<AwaitingRow> = sqlx::query_as(
            "SELECT i.id, i.subject, t.id AS type_id, t.code, t.auto_answer, t.auto_answer_threshold,
                    (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                     ORDER BY m.created_at, m.id LIMIT 1) AS body
             FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
             WHERE i.id = $1 AND i.status = 'new' AND i.first_response_at IS NULL AND t.auto_answer = 1",
        )
        .bind(id)
        .fetch_optional(db)
        .await?;
        if let Some(r) = row {
            out.push(AwaitingAnswer {
                id: r.id,
                subject: r.subject,
                body: r.body.unwrap_or_default(),
                rule: auto_answer::TypeRule { type_id: r.type_id, code: r.code, auto_answer: r.auto_answer, threshold: r.auto_answer_threshold },
            });
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct AnsweredRow {
    created_at: i64,
    type_id: i64,
    channel: String,
}

/// Answers a waiting inquiry with a template after it was filed (the semantic head decided a
/// moment later): only if it is still new and unanswered, all in `tx`. Returns the answer, or
/// `None` when somebody was first or the template was retired.
pub async fn answer_later(tx: &mut crate::store::WriteTx, id: i64, best: BestTemplate, now: i64) -> Result<Option<String>, AppError> {
    let answer: Option<String> =
        sqlx::query_scalar("SELECT answer FROM faq_templates WHERE id = $1 AND retired = 0").bind(best.template_id).fetch_optional(&mut **tx).await?;
    let Some(answer) = answer else { return Ok(None) };
    let row: Option<AnsweredRow> = sqlx::query_as(
        "UPDATE inquiries SET status = 'auto_answered', auto_template_id = $1, auto_score = CAST($2 AS DOUBLE PRECISION),
                              assigned_agent_id = NULL, updated_at = $3
         WHERE id = $4 AND status = 'new' AND first_response_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM inquiry_messages m WHERE m.inquiry_id = $4 AND m.author_kind = 'agent')
         RETURNING created_at, type_id, channel",
    )
    .bind(best.template_id)
    .bind(super::optional_real(Some(best.confidence as f64)))
    .bind(now)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let bot = NewMessage { kind: "bot", author: None, body: &answer, internal: false, template_id: Some(best.template_id) };
    insert_message(tx, id, bot, now).await?;
    sqlx::query("UPDATE faq_templates SET hits = hits + 1 WHERE id = $1").bind(best.template_id).execute(&mut **tx).await?;
    let counts = super::analytics::Counts { arrivals: 0, auto_answered: 1, escalated: 0 };
    super::analytics::count(tx, row.created_at, row.type_id, &row.channel, counts).await?;
    Ok(Some(answer))
}
