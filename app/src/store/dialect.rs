//! The few places where SQLite and PostgreSQL need different SQL. Everything else is written once
//! in the SQL both read (`$1` parameters, `ON CONFLICT`, `RETURNING`, `COALESCE`, integer
//! milliseconds for times, integer 0/1 for flags); the parts that cannot be are made here from
//! the pool's backend.

use super::Backend;

/// The end of a `SELECT` that claims rows for work: on PostgreSQL it locks them and passes over
/// rows another server is claiming (`FOR UPDATE SKIP LOCKED`); on SQLite, where one writer runs
/// at a time, nothing.
pub fn skip_locked(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    }
}

/// `sql` as `backend` reads it: SQLite's index hints (`INDEXED BY name`, which pin a plan its
/// planner would otherwise miss) are dropped for PostgreSQL, which has no hints and plans these
/// reads from its statistics.
pub fn adapt(backend: Backend, sql: String) -> String {
    match backend {
        Backend::Sqlite => sql,
        Backend::Postgres => without_index_hints(&sql),
    }
}

fn without_index_hints(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(" INDEXED BY ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " INDEXED BY ".len()..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out
}

/// Joins text values of a group with commas: `GROUP_CONCAT` on SQLite, `string_agg` on PostgreSQL.
pub fn comma_list(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("GROUP_CONCAT({expr}, ',')"),
        Backend::Postgres => format!("string_agg({expr}, ',')"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_hints_are_sqlite_only() {
        let sql = "SELECT 1 FROM inquiries i INDEXED BY inquiries_waiting WHERE x IN (SELECT 2 FROM t INDEXED BY t_a)".to_string();
        assert_eq!(adapt(Backend::Sqlite, sql.clone()), sql);
        assert_eq!(adapt(Backend::Postgres, sql), "SELECT 1 FROM inquiries i WHERE x IN (SELECT 2 FROM t)");
    }
}
