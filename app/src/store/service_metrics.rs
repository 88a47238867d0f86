//! The service rollups (histograms of first-response and resolution times, target attainment,
//! satisfaction and VOC per arrival day, type and channel): moved in the same transaction as
//! the inquiry change that moves them, rebuilt from the inquiries and chats after bulk loads,
//! and read by the analytics reports. What counts where is the pure
//! [`crate::domain::service_metrics`].

use super::Db;
use crate::domain::service_metrics::{contributions, diff, Facts, Key, Metric, MetricRow, VocDay};
use crate::error::AppError;
use crate::store::Conn;
use std::collections::HashMap;

const FACT_COLUMNS: &str = "created_at, type_id, channel, first_response_at, resolved_at, sla_due_at, csat, voc_category";

/// An inquiry's facts as stored ([`FACT_COLUMNS`]).
#[derive(sqlx::FromRow)]
struct FactsRow {
    created_at: i64,
    type_id: i64,
    channel: String,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    sla_due_at: i64,
    csat: Option<i64>,
    voc_category: Option<String>,
}

impl From<FactsRow> for Facts {
    fn from(r: FactsRow) -> Facts {
        Facts {
            created_at: r.created_at,
            type_id: r.type_id,
            channel: r.channel,
            first_response_at: r.first_response_at,
            resolved_at: r.resolved_at,
            sla_due_at: r.sla_due_at,
            csat: r.csat,
            voc: r.voc_category,
        }
    }
}

/// What the metrics know of an inquiry now (None if there is no such inquiry). Read it before
/// changing the inquiry and hand it to [`restate`] after.
pub async fn facts(conn: &mut Conn, inquiry_id: i64) -> Result<Option<Facts>, AppError> {
    let row: Option<FactsRow> =
        sqlx::query_as(&format!("SELECT {FACT_COLUMNS} FROM inquiries WHERE id = $1")).bind(inquiry_id).fetch_optional(&mut *conn).await?;
    Ok(row.map(Facts::from))
}

/// Moves the inquiry's contributions from what they were (`before`) to what they are now.
pub async fn restate(conn: &mut Conn, inquiry_id: i64, before: Option<Facts>) -> Result<(), AppError> {
    let after = facts(conn, inquiry_id).await?;
    for (key, delta) in diff(before.as_ref(), after.as_ref()) {
        add(conn, &key, delta).await?;
    }
    Ok(())
}

/// Adds `delta` to one cell.
pub async fn add(conn: &mut Conn, key: &Key, delta: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO service_rollups (day_at, type_id, channel, metric, bucket, n) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (day_at, type_id, channel, metric, bucket) DO UPDATE SET n = service_rollups.n + excluded.n",
    )
    .bind(key.day_at)
    .bind(key.type_id)
    .bind(&key.channel)
    .bind(key.metric.code())
    .bind(key.bucket)
    .bind(delta)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A chat's satisfaction rating, counted under the chat's arrival day and type, channel `chat`.
pub fn chat_rating(created_at: i64, type_id: i64, csat: i64) -> Key {
    Key { day_at: crate::domain::service_metrics::day_of(created_at), type_id, channel: "chat".into(), metric: Metric::Csat, bucket: csat }
}

/// An inquiry's facts with its id, for reading them in pages.
#[derive(sqlx::FromRow)]
struct PagedFacts {
    id: i64,
    #[sqlx(flatten)]
    facts: FactsRow,
}

/// Recomputes every cell from the inquiries and the chats' ratings, within the caller's
/// transaction (after loading demo or bulk data).
pub async fn rebuild(conn: &mut Conn) -> Result<(), sqlx::Error> {
    let mut cells: HashMap<Key, i64> = HashMap::new();
    // in pages by id, so millions of inquiries never sit in memory at once
    let mut after_id = i64::MIN;
    loop {
        let page: Vec<PagedFacts> = sqlx::query_as(&format!(
            "SELECT id, {FACT_COLUMNS} FROM inquiries
              WHERE id > $1 AND (first_response_at IS NOT NULL OR resolved_at IS NOT NULL OR csat IS NOT NULL OR voc_category IS NOT NULL)
              ORDER BY id LIMIT 20000"
        ))
        .bind(after_id)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = page.last() else { break };
        after_id = last.id;
        for r in page {
            for key in contributions(&Facts::from(r.facts)) {
                *cells.entry(key).or_default() += 1;
            }
        }
    }
    let ratings: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT created_at, type_id, csat FROM chats WHERE csat BETWEEN 1 AND 5").fetch_all(&mut *conn).await?;
    for (created_at, type_id, csat) in ratings {
        *cells.entry(chat_rating(created_at, type_id, csat)).or_default() += 1;
    }
    sqlx::query("DELETE FROM service_rollups").execute(&mut *conn).await?;
    let mut cells: Vec<(Key, i64)> = cells.into_iter().collect();
    cells.sort();
    // a few hundred rows per statement
    // (numbered `$n` parameters, which both backends read: sqlx's QueryBuilder writes `?` for Any)
    for chunk in cells.chunks(150) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| format!("(${}, ${}, ${}, ${}, ${}, ${})", 6 * r + 1, 6 * r + 2, 6 * r + 3, 6 * r + 4, 6 * r + 5, 6 * r + 6))
            .collect();
        let sql = format!("INSERT INTO service_rollups (day_at, type_id, channel, metric, bucket, n) VALUES {}", rows.join(", "));
        let mut q = sqlx::query(&sql);
        for (k, n) in chunk {
            q = q.bind(k.day_at).bind(k.type_id).bind(k.channel.clone()).bind(k.metric.code()).bind(k.bucket).bind(*n);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Fills the rollups once for a database that has answered inquiries but no rollups yet (the
/// first start after the migration that added them).
pub async fn build_if_missing(db: &Db) -> Result<(), sqlx::Error> {
    let have: crate::model::Flag = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM service_rollups)").fetch_one(db).await?;
    if have.0 {
        return Ok(());
    }
    let needed: crate::model::Flag = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM inquiries WHERE first_response_at IS NOT NULL OR resolved_at IS NOT NULL OR csat IS NOT NULL OR voc_category IS NOT NULL)
             OR EXISTS (SELECT 1 FROM chats WHERE csat IS NOT NULL)",
    )
    .fetch_one(db)
    .await?;
    if needed.0 {
        let mut tx = super::write_tx(db).await?;
        rebuild(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The counts per type, metric and bucket of the inquiries that arrived in [from, to) (day
/// boundaries in centre time), optionally of one inquiry type, added up by the database.
pub async fn rows(db: &Db, from: i64, to: i64, type_code: Option<&str>) -> Result<Vec<MetricRow>, AppError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT t.code, s.metric, s.bucket, s.n
           FROM (SELECT type_id, metric, bucket, CAST(SUM(n) AS BIGINT) AS n FROM service_rollups
                  WHERE day_at >= $1 AND day_at < $2 AND ($3 IS NULL OR type_id = (SELECT id FROM inquiry_types WHERE code = $3))
                  GROUP BY type_id, metric, bucket) s
           JOIN inquiry_types t ON t.id = s.type_id
          WHERE s.n <> 0",
    )
    .bind(from)
    .bind(to)
    .bind(type_code)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(type_code, metric, bucket, n)| Metric::parse(&metric).map(|metric| MetricRow { type_code, metric, bucket, n }))
        .collect())
}

/// VOC per arrival day and category in [from, to), optionally of one inquiry type.
pub async fn voc_days(db: &Db, from: i64, to: i64, type_code: Option<&str>) -> Result<Vec<VocDay>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.day_at, r.bucket, CAST(SUM(r.n) AS BIGINT) FROM service_rollups r
          WHERE r.metric = 'voc' AND r.day_at >= $1 AND r.day_at < $2
            AND ($3 IS NULL OR r.type_id = (SELECT id FROM inquiry_types WHERE code = $3))
          GROUP BY r.day_at, r.bucket HAVING SUM(r.n) <> 0",
    )
    .bind(from)
    .bind(to)
    .bind(type_code)
    .fetch_all(db)
    .await?)
}

/// Every non-empty cell as stored (for checking that counting as things happen = a rebuild).
pub async fn cells(db: &Db) -> Result<Vec<(i64, i64, String, String, i64, i64)>, AppError> {
    Ok(sqlx::query_as("SELECT day_at, type_id, channel, metric, bucket, n FROM service_rollups WHERE n <> 0 ORDER BY day_at, type_id, channel, metric, bucket")
        .fetch_all(db)
        .await?)
}

/// Inquiries that arrived in [from, to) and still have no first answer past their target at
/// `now`: they count as missed targets although no answer has been written yet.
pub async fn overdue_unanswered(db: &Db, from: i64, to: i64, type_code: Option<&str>, now: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
          WHERE i.status IN ('new', 'open') AND i.first_response_at IS NULL AND i.sla_due_at < $1
            AND i.created_at >= $2 AND i.created_at < $3 AND ($4 IS NULL OR t.code = $4)",
    )
    .bind(now)
    .bind(from)
    .bind(to)
    .bind(type_code)
    .fetch_one(db)
    .await?)
}
