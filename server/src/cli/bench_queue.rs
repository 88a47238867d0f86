//! `cybercenter bench-queue [--inquiries N]`: how fast the agent queue stays with N inquiries in
//! the database. Loads the demo into a temporary SQLite file, adds N inquiries (about 3% still
//! waiting, the rest answered, as in a working centre), then times the queue page query, "take
//! next", and a trivial query as the baseline measured in the same run.

use app::db::workspace::{queue, take_next, Actor};
use app::agent::queue::QueueFilter;
use app::i18n::Locale;
use super::time_ms;

pub fn parse_args(args: &[String]) -> Result<usize, String> {
    super::parse_inquiries(args, 100_000, "bench-queue")
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let n = parse_args(args)?;
    let (_dir, db) = super::bulk_database(n, app::db::now_ms()).await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries").fetch_one(&db).await.map_err(|e| e.to_string())?;
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries WHERE status IN ('new', 'open') AND assigned_agent_id IS NULL")
        .fetch_one(&db)
        .await
        .map_err(|e| e.to_string())?;
    println!("database: {total} inquiries, {waiting} waiting");
    let agent: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email_key = 'agent1@example.com'").fetch_one(&db).await.map_err(|e| e.to_string())?;
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email_key = 'admin@example.com'").fetch_one(&db).await.map_err(|e| e.to_string())?;
    let runs = 50;
    let base = time_ms(runs, || async { sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&db).await.map_err(|e| e.to_string()) }).await?;
    let filter = QueueFilter::default();
    let now = app::db::now_ms();
    let agent_q = time_ms(runs, || async {
        queue(&db, Actor { user_id: agent, is_admin: false }, &filter, Locale::Ko, now).await.map_err(|e| e.to_string())
    })
    .await?;
    let admin_q = time_ms(runs, || async {
        queue(&db, Actor { user_id: admin, is_admin: true }, &filter, Locale::Ko, now).await.map_err(|e| e.to_string())
    })
    .await?;
    let take = time_ms(20, || async { take_next(&db, Actor { user_id: agent, is_admin: false }, now).await.map_err(|e| e.to_string()) }).await?;
    println!("                      p50 ms   p99 ms   p50 / baseline");
    for (name, (p50, p99)) in [("baseline SELECT 1", base), ("queue (agent1)", agent_q), ("queue (admin, all)", admin_q), ("take next", take)] {
        println!("{name:<20} {p50:8.3} {p99:8.3} {:>10.1}x", p50 / base.0.max(1e-6));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(100_000));
        assert_eq!(parse_args(&s(&["--inquiries", "500"])), Ok(500));
        assert!(parse_args(&s(&["--inquiries", "x"])).is_err());
        assert!(parse_args(&s(&["--bogus"])).is_err());
    }
}
