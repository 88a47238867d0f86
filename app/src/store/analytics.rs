//! The hourly inquiry rollups (DESIGN 4): kept up to date in the same transaction as the
//! inquiry they count, rebuilt from the inquiries after bulk loads, and read by the reports.

use super::Db;
use crate::domain::analytics::HourRow;
use crate::domain::calendar::HOUR_MS;
use crate::error::AppError;

/// What one inquiry adds to its hour's rollup.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub arrivals: i64,
    pub auto_answered: i64,
    pub escalated: i64,
}

impl Counts {
    /// An inquiry as it stands: answered automatically or not, escalated or not.
    pub fn of(auto_answered: bool, escalated: bool) -> Counts {
        Counts { arrivals: 1, auto_answered: auto_answered as i64, escalated: escalated as i64 }
    }

    pub fn negated(self) -> Counts {
        Counts { arrivals: -self.arrivals, auto_answered: -self.auto_answered, escalated: -self.escalated }
    }
}

/// Adds `counts` to the rollup of the hour `created_at` falls in. Negative counts take an
/// inquiry out (re-typing moves it between types).
pub async fn count(conn: &mut crate::store::Conn, created_at: i64, type_id: i64, channel: &str, counts: Counts) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO inquiry_rollups (hour_at, type_id, channel, arrivals, auto_answered, escalated) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (hour_at, type_id, channel)
         DO UPDATE SET arrivals = inquiry_rollups.arrivals + excluded.arrivals,
                       auto_answered = inquiry_rollups.auto_answered + excluded.auto_answered,
                       escalated = inquiry_rollups.escalated + excluded.escalated",
    )
    .bind(created_at.div_euclid(HOUR_MS) * HOUR_MS)
    .bind(type_id)
    .bind(channel)
    .bind(counts.arrivals)
    .bind(counts.auto_answered)
    .bind(counts.escalated)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Recomputes every rollup from the inquiries (after loading demo or bulk data), within the
/// caller's transaction.
pub async fn rebuild(conn: &mut crate::store::Conn) -> Result<(), AppError> {
    sqlx::query("DELETE FROM inquiry_rollups").execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO inquiry_rollups (hour_at, type_id, channel, arrivals, auto_answered, escalated)
         SELECT (created_at / 3600000) * 3600000, type_id, channel, COUNT(*),
                CAST(SUM(CASE WHEN auto_template_id IS NULL THEN 0 ELSE 1 END) AS BIGINT), CAST(SUM(CASE WHEN faq_outcome = 'escalated' THEN 1 ELSE 0 END) AS BIGINT)
           FROM inquiries GROUP BY (created_at / 3600000) * 3600000, type_id, channel",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Adds a chat to its arrival hour's chat rollup: `arrivals` when it starts, `handled` and the
/// handling time when an agent's chat ends.
pub async fn count_chat(conn: &mut crate::store::Conn, created_at: i64, type_id: i64, arrivals: i64, handled: i64, handle_ms: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO chat_rollups (hour_at, type_id, arrivals, handled, handle_ms) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hour_at, type_id)
         DO UPDATE SET arrivals = chat_rollups.arrivals + excluded.arrivals, handled = chat_rollups.handled + excluded.handled,
                       handle_ms = chat_rollups.handle_ms + excluded.handle_ms",
    )
    .bind(created_at.div_euclid(HOUR_MS) * HOUR_MS)
    .bind(type_id)
    .bind(arrivals)
    .bind(handled)
    .bind(handle_ms.max(0))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Recomputes the chat rollups from the chats.
pub async fn rebuild_chats(conn: &mut crate::store::Conn) -> Result<(), AppError> {
    sqlx::query("DELETE FROM chat_rollups").execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO chat_rollups (hour_at, type_id, arrivals, handled, handle_ms)
         SELECT (created_at / 3600000) * 3600000, type_id, COUNT(*),
                CAST(SUM(CASE WHEN accepted_at IS NOT NULL AND ended_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN accepted_at IS NOT NULL AND ended_at IS NOT NULL AND ended_at > accepted_at THEN ended_at - accepted_at ELSE 0 END) AS BIGINT)
           FROM chats GROUP BY (created_at / 3600000) * 3600000, type_id",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Chats per UTC hour in [from, to): (hour, arrivals, handled, handling milliseconds).
pub async fn chats_by_hour(db: &Db, from: i64, to: i64) -> Result<Vec<(i64, i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT hour_at, CAST(SUM(arrivals) AS BIGINT), CAST(SUM(handled) AS BIGINT), CAST(SUM(handle_ms) AS BIGINT) FROM chat_rollups
          WHERE hour_at >= $1 AND hour_at < $2 GROUP BY hour_at ORDER BY hour_at",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?)
}

/// Arrivals, automatic answers and escalations per UTC hour in [from, to), all types and channels.
pub async fn totals_by_hour(db: &Db, from: i64, to: i64) -> Result<Vec<(i64, Counts)>, AppError> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT hour_at, CAST(SUM(arrivals) AS BIGINT), CAST(SUM(auto_answered) AS BIGINT), CAST(SUM(escalated) AS BIGINT) FROM inquiry_rollups
          WHERE hour_at >= $1 AND hour_at < $2 GROUP BY hour_at ORDER BY hour_at",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(h, arrivals, auto_answered, escalated)| (h, Counts { arrivals, auto_answered, escalated })).collect())
}

/// The volume report of [from, to), optionally of one inquiry type: the database adds up the
/// hours, the types and the channels; the calendar split happens in Rust (centre time).
pub async fn volume(db: &Db, from: i64, to: i64, type_code: Option<&str>) -> Result<crate::domain::analytics::Volume, AppError> {
    let type_id: Option<i64> = match type_code {
        Some(code) => Some(sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = $1").bind(code).fetch_optional(db).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let hours: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT hour_at, CAST(SUM(arrivals) AS BIGINT), CAST(SUM(auto_answered) AS BIGINT) FROM inquiry_rollups
          WHERE hour_at >= $1 AND hour_at < $2 AND ($3 IS NULL OR type_id = $3) GROUP BY hour_at HAVING SUM(arrivals) <> 0 ORDER BY hour_at",
    )
    .bind(from)
    .bind(to)
    .bind(type_id)
    .fetch_all(db)
    .await?;
    let by_type: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.code, s.n FROM (SELECT type_id, CAST(SUM(arrivals) AS BIGINT) AS n FROM inquiry_rollups
                                   WHERE hour_at >= $1 AND hour_at < $2 AND ($3 IS NULL OR type_id = $3) GROUP BY type_id) s
           JOIN inquiry_types t ON t.id = s.type_id",
    )
    .bind(from)
    .bind(to)
    .bind(type_id)
    .fetch_all(db)
    .await?;
    let by_channel: Vec<(String, i64)> = sqlx::query_as(
        "SELECT channel, CAST(SUM(arrivals) AS BIGINT) FROM inquiry_rollups WHERE hour_at >= $1 AND hour_at < $2 AND ($3 IS NULL OR type_id = $3) GROUP BY channel",
    )
    .bind(from)
    .bind(to)
    .bind(type_id)
    .fetch_all(db)
    .await?;
    Ok(crate::domain::analytics::volume_of(&hours, by_type, by_channel, crate::domain::calendar::CENTRE_OFFSET_MS))
}

/// The rollup rows of the hours in [from, to), optionally of one inquiry type.
pub async fn hours(db: &Db, from: i64, to: i64, type_code: Option<&str>) -> Result<Vec<HourRow>, AppError> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT r.hour_at, t.code, r.channel, r.arrivals, r.auto_answered
           FROM inquiry_rollups r JOIN inquiry_types t ON t.id = r.type_id
          WHERE r.hour_at >= $1 AND r.hour_at < $2 AND ($3 IS NULL OR t.code = $3) AND r.arrivals <> 0
          ORDER BY r.hour_at, t.code, r.channel",
    )
    .bind(from)
    .bind(to)
    .bind(type_code)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(hour_at, type_code, channel, arrivals, auto_answered)| HourRow { hour_at, type_code, channel, arrivals, auto_answered })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_rebuild_counts_every_inquiry_once() {
        let dir = std::env::temp_dir().join(format!("cc-rollups-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let db = crate::store::connect_and_migrate(&format!("sqlite://{}", dir.join("t.db").display())).await.expect("db");
        crate::demo::load_if_empty(&db).await.expect("demo");
        let loaded = hours(&db, 0, i64::MAX, None).await.expect("rows");
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries").fetch_one(&db).await.expect("count");
        assert!(total > 0);
        assert_eq!(loaded.iter().map(|r| r.arrivals).sum::<i64>(), total);
        assert!(loaded.iter().all(|r| r.hour_at % HOUR_MS == 0), "whole hours");
        let mut tx = db.begin().await.expect("tx");
        rebuild(&mut tx).await.expect("rebuild");
        tx.commit().await.expect("commit");
        assert_eq!(hours(&db, 0, i64::MAX, None).await.expect("rows"), loaded, "rebuilding twice changes nothing");
        let one_type = hours(&db, 0, i64::MAX, Some("delivery")).await.expect("rows");
        assert!(!one_type.is_empty() && one_type.iter().all(|r| r.type_code == "delivery"));
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
