//! Customer grades: the RFM thresholds (a setting), recomputing every customer's grade from their
//! orders, and the manual watch flag. Admin changes are audited.

use super::Db;
use crate::domain::grading::{self, GradeRules, Rfm};
use crate::error::{AppError, FieldCode};

const RULES_KEY: &str = "grade_rules";
const DAY_MS: i64 = 24 * 3_600_000;

pub async fn rules(db: &Db) -> Result<GradeRules, AppError> {
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(RULES_KEY).fetch_optional(db).await?;
    // a value that no longer parses (edited by hand) falls back to the defaults, loudly
    Ok(match v {
        Some(json) => serde_json::from_str(&json).map_err(|e| AppError::internal("grade rules setting", e))?,
        None => GradeRules::default(),
    })
}

pub async fn save_rules(db: &Db, new: &GradeRules, admin: i64, now: i64) -> Result<(), AppError> {
    let before = rules(db).await?;
    let json = serde_json::to_string(new).map_err(|e| AppError::internal("grade rules", e))?;
    let mut tx = super::write_tx(db).await?;
    sqlx::query(
        "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(RULES_KEY)
    .bind(&json)
    .bind(admin)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let b = serde_json::to_value(before).map_err(|e| AppError::internal("grade rules", e))?;
    let a = serde_json::to_value(new).map_err(|e| AppError::internal("grade rules", e))?;
    super::audit::record(&mut tx, admin, "grades.rules", "settings", 0, Some(&b), Some(&a), now).await?;
    tx.commit().await?;
    Ok(())
}

/// A customer's grade and their orders of the last year (count and amount) and latest order.
#[derive(sqlx::FromRow)]
struct CustomerOrders {
    id: i64,
    grade: crate::model::Grade,
    last_at: Option<i64>,
    orders: i64,
    amount: i64,
}

/// Recomputes every customer's grade. Returns (customers per grade in VIP, gold, general, new
/// order, how many changed).
pub async fn recompute(db: &Db, now: i64) -> Result<([i64; 4], i64), AppError> {
    let rules = rules(db).await?;
    let year_ago = now - 365 * DAY_MS;
    let rows: Vec<CustomerOrders> = sqlx::query_as(
        "SELECT c.id, c.grade, MAX(o.placed_at) AS last_at,
                COALESCE(CAST(SUM(CASE WHEN o.placed_at >= $1 THEN 1 ELSE 0 END) AS BIGINT), 0) AS orders,
                COALESCE(CAST(SUM(CASE WHEN o.placed_at >= $1 THEN o.total_won ELSE 0 END) AS BIGINT), 0) AS amount
         FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.status NOT IN ('cancelled', 'returned')
         GROUP BY c.id, c.grade",
    )
    .bind(year_ago)
    .fetch_all(db)
    .await?;
    let mut counts = [0i64; 4];
    let mut changes: Vec<(i64, crate::model::Grade)> = Vec::new();
    for r in &rows {
        let rfm = Rfm { recency_days: r.last_at.map(|t| (now - t).max(0) / DAY_MS), orders: r.orders, amount_won: r.amount };
        let g = grading::grade(&rfm, &rules);
        counts[crate::model::Grade::ALL.iter().position(|x| *x == g).unwrap_or(3)] += 1;
        if r.grade != g {
            changes.push((r.id, g));
        }
    }
    let mut tx = super::write_tx(db).await?;
    for (id, g) in &changes {
        sqlx::query("UPDATE customers SET grade = $1, updated_at = $2 WHERE id = $3").bind(g).bind(now).bind(id).execute(&mut *tx).await?;
        // the queue orders waiting inquiries by their customer's grade, kept on the inquiry
        sqlx::query(&format!(
            "UPDATE inquiries SET priority = $1 WHERE customer_id = $2 AND status IN {} AND assigned_agent_id IS NULL",
            crate::domain::queue::WAITING_SQL
        ))
        .bind(g.priority())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((counts, changes.len() as i64))
}

/// A customer's watch flag as stored.
#[derive(sqlx::FromRow)]
struct WatchRow {
    id: i64,
    #[sqlx(try_from = "crate::model::Flag")]
    watch_flag: bool,
    watch_reason: Option<String>,
}

/// Sets or clears the watch flag (with a reason when set) of a customer by customer number.
pub async fn set_watch(db: &Db, customer_no: &str, on: bool, reason: Option<&str>, admin: i64, now: i64) -> Result<(), AppError> {
    let row: WatchRow = sqlx::query_as("SELECT id, watch_flag, watch_reason FROM customers WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| AppError::invalid("customer_no", FieldCode::NoSuchCustomer))?;
    let id = row.id;
    let before = serde_json::json!({ "watch": row.watch_flag, "reason": row.watch_reason });
    let after = serde_json::json!({ "watch": on, "reason": reason });
    let mut tx = super::write_tx(db).await?;
    sqlx::query("UPDATE customers SET watch_flag = $1, watch_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(on as i64)
        .bind(if on { reason } else { None })
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    super::audit::record(&mut tx, admin, if on { "customer.watch" } else { "customer.unwatch" }, "customer", id, Some(&before), Some(&after), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Watch-flagged customers (number, name, reason).
pub async fn watched(db: &Db) -> Result<Vec<(String, String, Option<String>)>, AppError> {
    Ok(sqlx::query_as("SELECT customer_no, name, watch_reason FROM customers WHERE watch_flag = 1 ORDER BY name").fetch_all(db).await?)
}

/// Customers per grade: VIP, gold, general, new.
pub async fn counts(db: &Db) -> Result<[i64; 4], AppError> {
    let rows: Vec<(crate::model::Grade, i64)> = sqlx::query_as("SELECT grade, COUNT(*) FROM customers GROUP BY grade").fetch_all(db).await?;
    let mut counts = [0; 4];
    for (g, n) in rows {
        if let Some(i) = crate::model::Grade::ALL.iter().position(|x| *x == g) {
            counts[i] = n;
        }
    }
    Ok(counts)
}
