//! What the agent console reads (server only): queues, the workspace, the customer record.
//! Agents see inquiries of their groups or assigned to them; admins all (the checks are
//! `store::workspace`'s, shared with the changes).

use super::customers::{CustomerHit, CustomerRecord};
use super::queue::{GroupQueue, QueueFilter, QueueItem, QueueView};
use super::workspace::{AgentInquiry, AgentMessage, AgentOption, Customer360, OrderBrief, SuggestionView};
use crate::domain::queue::{ORDER_SQL, WAITING_SQL};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{GroupOption, TypeOption};
use crate::store::inquiries::{ListRow, LIST_COLUMNS};
use crate::store::workspace::{access, my_groups, waiting_top_sql, Actor};
use crate::store::{dialect, Backend};
use crate::store::{like_anywhere, Db, GroupName, NamedRow, TypeName};

// ---- queues ----

/// An inquiry in a queue, its type's and group's names in both languages.
#[derive(sqlx::FromRow)]
struct QueueRow {
    id: i64,
    subject: String,
    status: crate::model::InquiryStatus,
    customer_name: String,
    grade: crate::model::Grade,
    #[sqlx(flatten)]
    type_name: TypeName,
    #[sqlx(flatten)]
    group_name: GroupName,
    created_at: i64,
    sla_due_at: i64,
}

impl QueueRow {
    fn into_item(self, locale: Locale, now: i64) -> QueueItem {
        QueueItem {
            id: self.id,
            subject: self.subject,
            status: self.status,
            customer_name: self.customer_name,
            grade: self.grade,
            type_name: self.type_name.in_locale(locale),
            group_name: self.group_name.in_locale(locale),
            created_at: self.created_at,
            sla_due_at: self.sla_due_at,
            overdue: self.sla_due_at < now,
        }
    }
}

/// One of the actor's groups (code and names) with the actor's presence and the group's counts.
#[derive(sqlx::FromRow)]
struct MyGroupRow {
    id: i64,
    #[sqlx(flatten)]
    group: NamedRow,
    presence: Option<crate::model::Presence>,
    /// waiting × 2³² + overdue (see `MY_GROUPS_SQL`)
    counts: i64,
}

/// The actor's groups (`$1` the actor, `$2` 1 for an admin, `$3` now) with the actor's presence
/// and each group's waiting and overdue counts, in one statement. Each group's counts come from
/// its range of the waiting index alone, no table rows read (named: the planner otherwise takes
/// (group_id, status, …) and reads every row for the assignment test, 14 ms instead of 1 ms at
/// 13,000 waiting; a `GROUP BY` over a join of the groups reads the rows as well). Both counts
/// come from one pass over that range, packed into one integer: waiting × 2³² + overdue.
static MY_GROUPS_SQL: std::sync::LazyLock<[String; 2]> = std::sync::LazyLock::new(|| {
    let sql = format!(
        "SELECT g.id, g.code, g.name_ko, g.name_en, (SELECT presence FROM agents WHERE user_id = $1) AS presence,
                (SELECT COUNT(*) * 4294967296 + COALESCE(CAST(SUM(CASE WHEN i.sla_due_at < $3 THEN 1 ELSE 0 END) AS BIGINT), 0)
                   FROM inquiries i INDEXED BY inquiries_waiting
                  WHERE i.group_id = g.id AND i.status IN {WAITING_SQL} AND i.assigned_agent_id IS NULL) AS counts
         FROM agent_groups g WHERE {} ORDER BY g.id",
        my_groups!()
    );
    [dialect::adapt(Backend::Sqlite, sql.clone()), dialect::adapt(Backend::Postgres, sql)]
});

/// The columns of a queue entry, and the tables they are joined from (the inquiry is `i`).
const QUEUE_COLUMNS: &str = "i.id, i.subject, i.status, c.name AS customer_name, c.grade, t.name_ko AS type_name_ko,
                t.name_en AS type_name_en, g.name_ko AS group_name_ko, g.name_en AS group_name_en, i.created_at, i.sla_due_at";
const QUEUE_JOINS: &str = "JOIN customers c ON c.id = i.customer_id
         JOIN inquiry_types t ON t.id = i.type_id
         JOIN agent_groups g ON g.id = i.group_id";

/// A queue entry and which list it is in (`mine`: assigned to the actor).
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(try_from = "crate::model::Flag")]
    mine: bool,
    #[sqlx(flatten)]
    row: QueueRow,
}

/// Both lists of the queue page in one statement, each in queue order and at most a page long:
/// the top waiting inquiries of `groups` groups (`$1` now, `$2`–`$4` the filters, `$5`… the group
/// ids: `waiting_top_sql`) and the actor's own open inquiries (the actor is the parameter after
/// the groups; with no groups the only one, `$1`).
fn queue_lists_sql(groups: usize) -> String {
    let mine = |actor: usize| {
        format!(
            "SELECT * FROM (SELECT 1 AS mine, ROW_NUMBER() OVER (ORDER BY {ORDER_SQL}) AS pos, {QUEUE_COLUMNS}
               FROM inquiries i {QUEUE_JOINS}
              WHERE i.assigned_agent_id = ${actor} AND i.status IN ('new', 'open', 'waiting_customer')) AS mine_rows
             WHERE pos <= {QUEUE_PAGE}"
        )
    };
    if groups == 0 {
        return format!("{} ORDER BY mine, pos", mine(1));
    }
    format!(
        "SELECT * FROM (SELECT 0 AS mine, ROW_NUMBER() OVER (ORDER BY top.priority DESC, top.sla_due_at, top.created_at, top.id) AS pos, {QUEUE_COLUMNS}
           FROM inquiries i JOIN ({top}) top ON top.id = i.id {QUEUE_JOINS}) AS waiting_rows
          WHERE pos <= {QUEUE_PAGE}
         UNION ALL {mine}
         ORDER BY mine, pos",
        top = waiting_top_sql(groups, QUEUE_PAGE),
        mine = mine(5 + groups)
    )
}

/// The actor's queues: counts per group, the waiting inquiries in queue order (filtered), and the
/// inquiries assigned to the actor that are still being worked — two statements and, on most
/// pages, the inquiry types.
pub async fn queue(db: &Db, actor: Actor, filter: &QueueFilter, locale: Locale, now: i64) -> Result<QueueView, AppError> {
    // every statement on one connection (see `customer::queries::overview`)
    let mut conn = db.acquire().await?;
    let backend = Backend::of(db);
    let rows: Vec<MyGroupRow> =
        sqlx::query_as(MY_GROUPS_SQL[backend as usize].as_str()).bind(actor.user_id).bind(actor.is_admin as i64).bind(now).fetch_all(&mut *conn).await?;
    let presence = match rows.first() {
        Some(first) => first.presence,
        // in no group: no row carried it
        None => sqlx::query_scalar("SELECT presence FROM agents WHERE user_id = $1").bind(actor.user_id).fetch_optional(&mut *conn).await?,
    };
    let group_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let groups: Vec<GroupQueue> = rows
        .into_iter()
        .map(|r| {
            let (code, group_name) = r.group.in_locale(locale);
            GroupQueue { code, group_name, waiting: r.counts >> 32, overdue: r.counts & 0xFFFF_FFFF }
        })
        .collect();
    let type_id: Option<i64> = match filter.type_code.as_deref() {
        Some(code) => Some(
            sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?.unwrap_or(-1),
        ),
        None => None,
    };
    let sql = dialect::adapt(backend, queue_lists_sql(group_ids.len()));
    let mut q = sqlx::query_as::<_, ListedRow>(&sql);
    if !group_ids.is_empty() {
        q = q.bind(now).bind(type_id).bind(filter.grade.map(crate::model::Grade::priority)).bind(filter.overdue as i64);
        for id in &group_ids {
            q = q.bind(id);
        }
    }
    let (mut waiting, mut mine) = (Vec::new(), Vec::new());
    for listed in q.bind(actor.user_id).fetch_all(&mut *conn).await? {
        let list = if listed.mine { &mut mine } else { &mut waiting };
        list.push(listed.row.into_item(locale, now));
    }
    let types = crate::store::inquiries::types(&mut *conn, locale).await?;
    Ok(QueueView { groups, waiting, mine, types, now, presence: presence.unwrap_or(crate::model::Presence::Offline) })
}

/// How many waiting inquiries a queue page lists.
const QUEUE_PAGE: i64 = 100;

// ---- the workspace and the customer record ----

/// An inquiry as the workspace reads it, its type's and group's names in both languages, with
/// what its version and the suggestions are made of.
#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    subject: String,
    type_code: String,
    #[sqlx(flatten)]
    type_name: TypeName,
    group_code: String,
    #[sqlx(flatten)]
    group_name: GroupName,
    assigned_name: Option<String>,
    created_at: i64,
    sla_due_at: i64,
    first_response_at: Option<i64>,
    order_no: Option<String>,
    #[sqlx(try_from = "crate::model::Flag")]
    escalated: bool,
    voc_category: Option<crate::model::VocCategory>,
    updated_at: i64,
    message_count: i64,
    first_body: Option<String>,
}

/// A suggested template that is still active.
#[derive(sqlx::FromRow)]
struct SuggestedRow {
    id: i64,
    question: String,
    answer: String,
}

/// The workspace: the whole thread with internal notes, the customer's 360° view, and the FAQ
/// suggestions for the inquiry's text (template ids and confidences from the live index).
/// `suggest` gets the inquiry's text (subject and first customer message) and returns template
/// ids with confidences; the workspace's version (as [`version`]) comes back with it, read in the
/// same statement as the inquiry, so the page checks access once. `types` are the active inquiry
/// types (the caller has them from the queue it shows beside the inquiry).
pub async fn detail(
    db: &Db,
    actor: Actor,
    id: i64,
    suggest: impl FnOnce(&str) -> Vec<(i64, f32)>,
    types: Vec<TypeOption>,
    locale: Locale,
) -> Result<(AgentInquiry, String), AppError> {
    let a = access(db, actor, id).await?;
    let r: DetailRow = sqlx::query_as(
        "SELECT i.id, i.subject, i.status, t.code AS type_code, t.name_ko AS type_name_ko, t.name_en AS type_name_en,
                g.code AS group_code, g.name_ko AS group_name_ko, g.name_en AS group_name_en,
                u.display_name AS assigned_name, i.created_at, i.sla_due_at, i.first_response_at, o.order_no, i.escalated,
                i.auto_score, i.voc_category, i.updated_at,
                (SELECT COUNT(*) FROM inquiry_messages m WHERE m.inquiry_id = i.id) AS message_count,
                (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                 ORDER BY m.created_at, m.id LIMIT 1) AS first_body
         FROM inquiries i
         JOIN inquiry_types t ON t.id = i.type_id
         JOIN agent_groups g ON g.id = i.group_id
         LEFT JOIN users u ON u.id = i.assigned_agent_id
         LEFT JOIN orders o ON o.id = i.order_id
         WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let mut messages: Vec<AgentMessage> = sqlx::query_as(&format!(
        "SELECT m.id, m.author_kind, u.display_name AS author_name, m.body, m.internal, m.created_at AS at, b.id AS mail_id, {}
         FROM inquiry_messages m LEFT JOIN users u ON u.id = m.author_user_id LEFT JOIN inbound_mails b ON b.message_row_id = m.id
         WHERE m.inquiry_id = $1 ORDER BY m.created_at, m.id",
        crate::store::attachments::files_of_message_sql(crate::store::Backend::of(db))
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    for m in &mut messages {
        m.attachments = crate::store::attachments::files_from_json(&std::mem::take(&mut m.files_json));
    }
    let suggestions = suggest(&crate::domain::faq_training::inquiry_text(&r.subject, r.first_body.as_deref().unwrap_or("")));
    let version = format!("{}-{}", r.updated_at, r.message_count);
    // the suggested templates that are still active, in one statement, in the matcher's order
    let mut suggestion_views = Vec::with_capacity(suggestions.len());
    if !suggestions.is_empty() {
        let marks: Vec<String> = (1..=suggestions.len()).map(|n| format!("${n}")).collect();
        let sql = format!("SELECT id, question, answer FROM faq_templates WHERE retired = 0 AND id IN ({})", marks.join(", "));
        let mut q = sqlx::query_as::<_, SuggestedRow>(&sql);
        for (template_id, _) in &suggestions {
            q = q.bind(template_id);
        }
        let rows = q.fetch_all(db).await?;
        for (template_id, confidence) in &suggestions {
            if let Some(t) = rows.iter().find(|t| t.id == *template_id) {
                suggestion_views.push(SuggestionView {
                    template_id: *template_id,
                    question: t.question.clone(),
                    answer: t.answer.clone(),
                    confidence: *confidence,
                });
            }
        }
    }
    let groups: Vec<GroupOption> = sqlx::query_as::<_, NamedRow>("SELECT code, name_ko, name_en FROM agent_groups ORDER BY id")
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|g| g.in_locale(locale))
        .map(|(code, name)| GroupOption { code, name })
        .collect();
    let agents: Vec<AgentOption> = sqlx::query_as(
        "SELECT u.id, u.display_name AS name FROM agent_memberships m JOIN users u ON u.id = m.agent_user_id
         WHERE m.group_id = (SELECT group_id FROM inquiries WHERE id = $1) AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let inquiry = AgentInquiry {
        id: r.id,
        subject: r.subject,
        status: a.status,
        type_code: r.type_code,
        type_name: r.type_name.in_locale(locale),
        group_code: r.group_code,
        group_name: r.group_name.in_locale(locale),
        assigned_name: r.assigned_name,
        assigned_to_me: a.assigned == Some(actor.user_id),
        created_at: r.created_at,
        sla_due_at: r.sla_due_at,
        first_response_at: r.first_response_at,
        order_no: r.order_no,
        escalated: r.escalated,
        voc: r.voc_category,
        messages,
        customer: customer_360(db, a.customer_id, actor).await?,
        suggestions: suggestion_views,
        types,
        groups,
        assigned_id: a.assigned,
        agents,
    };
    Ok((inquiry, version))
}

/// A customer as stored (phone as digits), with the account's email and language.
#[derive(sqlx::FromRow)]
struct CustomerRow {
    customer_no: String,
    name: String,
    email: String,
    phone: Option<String>,
    grade: crate::model::Grade,
    #[sqlx(try_from = "crate::model::Flag")]
    watch_flag: bool,
    watch_reason: Option<String>,
    #[sqlx(try_from = "crate::model::Flag")]
    email_consent: bool,
    #[sqlx(try_from = "crate::model::Flag")]
    sms_consent: bool,
    locale: String,
}

/// The customer behind an inquiry, as an agent needs them: profile, grade, watch flag, consent,
/// recent orders and all recent contacts, with the internal notes the viewer may read (those on
/// inquiries of the viewer's groups; admins read all).
pub async fn customer_360(db: &Db, customer_id: i64, viewer: Actor) -> Result<Customer360, AppError> {
    let c: CustomerRow = sqlx::query_as(
        "SELECT c.customer_no, c.name, u.email, c.phone, c.grade, c.watch_flag, c.watch_reason, c.email_consent, c.sms_consent,
                u.locale
         FROM customers c JOIN users u ON u.id = c.user_id WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_one(db)
    .await?;
    let orders: Vec<OrderBrief> = sqlx::query_as(
        "SELECT order_no, status, total_won, placed_at FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC, id DESC LIMIT 10",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await?;
    Ok(Customer360 {
        customer_no: c.customer_no,
        name: c.name,
        email: c.email,
        phone: c.phone.map(|p| crate::domain::phone::format_phone(&p)),
        grade: c.grade,
        watch_flag: c.watch_flag,
        watch_reason: c.watch_reason,
        email_consent: c.email_consent,
        sms_consent: c.sms_consent,
        locale: c.locale,
        orders,
        contacts: crate::store::history::recent_for_agent(db, customer_id, viewer, 30).await?,
    })
}

/// Customers matching a search: exact customer number, email, phone or order number, or a part
/// of the name. At most 20, by name.
pub async fn search_customers(db: &Db, q: &str) -> Result<Vec<CustomerHit>, AppError> {
    let phone = crate::domain::phone::normalize_phone(q).ok();
    let rows: Vec<HitRow> = sqlx::query_as(
        "SELECT c.customer_no, c.name, u.email, c.phone, c.grade FROM customers c JOIN users u ON u.id = c.user_id
         WHERE c.customer_no = $1 OR u.email_key = $2 OR c.phone = $3 OR LOWER(c.name) LIKE LOWER($4) ESCAPE '\\'
            OR c.id IN (SELECT o.customer_id FROM orders o WHERE o.order_no = $1)
         ORDER BY c.name, c.id LIMIT 20",
    )
    .bind(q.to_uppercase())
    .bind(q.to_lowercase())
    .bind(phone)
    .bind(like_anywhere(q))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CustomerHit {
            customer_no: r.customer_no,
            name: r.name,
            email: r.email,
            phone: r.phone.map(|p| crate::domain::phone::format_phone(&p)),
            grade: r.grade,
        })
        .collect())
}

/// A customer found by a search (phone as digits).
#[derive(sqlx::FromRow)]
struct HitRow {
    customer_no: String,
    name: String,
    email: String,
    phone: Option<String>,
    grade: crate::model::Grade,
}

/// A customer's 360° view and every inquiry, by customer number (404 when there is none).
pub async fn customer_record(db: &Db, customer_no: &str, locale: Locale, viewer: Actor) -> Result<CustomerRecord, AppError> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let inquiries = sqlx::query_as::<_, ListRow>(&format!(
        "SELECT {LIST_COLUMNS}
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.customer_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT 100"
    ))
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| r.in_locale(locale))
    .collect();
    Ok(CustomerRecord { customer: customer_360(db, id, viewer).await?, inquiries })
}

