//! Accounts and open chats for the chat benches (`bench-chat`, `bench-chaos`): one customer per
//! chat (a customer has one open chat at a time) and an agent per ten chats (an account holds at
//! most 16 WebSockets), all with the demo password, its hash copied so nothing is hashed here.

use std::sync::Arc;

/// Chats to open: (chat id, index of its customer, index of its agent) and the accounts' emails.
pub(crate) struct ChatPlan {
    pub chats: Vec<(i64, usize, usize)>,
    pub customers: Vec<String>,
    pub agents: Vec<String>,
}

/// Chats per agent.
const CHATS_PER_AGENT: usize = 10;

/// Agents needed for `chats` chats.
pub(crate) fn agents_for(chats: usize) -> usize {
    chats.div_ceil(CHATS_PER_AGENT).max(1)
}

/// Adds `chats` active chats to a database with the demo loaded, each with a customer of its own
/// (`{prefix}-customer{i}@example.com`) and an agent of the first group (`{prefix}-agent{i}`).
pub(crate) async fn prepare(db: &app::store::Db, chats: usize, prefix: &str) -> Result<ChatPlan, String> {
    let e = |e: app::error::AppError| format!("{e:?}");
    let s = |e: sqlx::Error| e.to_string();
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'customer1@example.com'").fetch_one(db).await.map_err(s)?;
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@example.com'").fetch_one(db).await.map_err(s)?;
    let (group_id, group): (i64, String) = sqlx::query_as("SELECT id, code FROM agent_groups ORDER BY id LIMIT 1").fetch_one(db).await.map_err(s)?;
    let type_id: i64 = sqlx::query_scalar("SELECT id FROM inquiry_types ORDER BY id LIMIT 1").fetch_one(db).await.map_err(s)?;
    let now = app::store::now_ms();
    let mut customers = Vec::with_capacity(chats);
    let mut customer_ids = Vec::with_capacity(chats);
    let mut tx = app::store::write_tx(db).await.map_err(|e| e.to_string())?;
    for i in 0..chats {
        let email = format!("{prefix}-customer{i}@example.com");
        let user = app::store::users::create_customer(&mut tx, &format!("Bench customer {i}"), &email, &hash, app::i18n::Locale::Ko, now).await.map_err(e)?;
        let customer: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE user_id = $1").bind(user).fetch_one(&mut *tx).await.map_err(s)?;
        customers.push(email);
        customer_ids.push(customer);
    }
    tx.commit().await.map_err(s)?;
    let count = agents_for(chats);
    let mut agents = Vec::with_capacity(count);
    let mut agent_ids = Vec::with_capacity(count);
    for i in 0..count {
        let email = format!("{prefix}-agent{i}@example.com");
        let id = app::store::agents::create_agent(db, &format!("Bench agent {i}"), &format!("Agent {i}"), &email, &hash, std::slice::from_ref(&group), 10, admin, now)
            .await
            .map_err(e)?;
        agents.push(email);
        agent_ids.push(id);
    }
    let mut planned = Vec::with_capacity(chats);
    let mut tx = app::store::write_tx(db).await.map_err(|e| e.to_string())?;
    for (c, customer) in customer_ids.iter().enumerate() {
        let a = c % count;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO chats (customer_id, type_id, group_id, agent_user_id, status, created_at, accepted_at, last_seq)
             VALUES ($1, $2, $3, $4, 'active', $5, $5, 0) RETURNING id",
        )
        .bind(customer)
        .bind(type_id)
        .bind(group_id)
        .bind(agent_ids[a])
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(s)?;
        planned.push((id, c, a));
    }
    tx.commit().await.map_err(s)?;
    Ok(ChatPlan { chats: planned, customers, agents })
}

/// Signs accounts in eight at a time, the `i`th through `addrs[i % addrs.len()]`: their cookies in
/// order.
pub(crate) async fn sign_in_all(addrs: &[String], emails: &[String]) -> Result<Vec<String>, String> {
    let limit = Arc::new(tokio::sync::Semaphore::new(8));
    let tasks: Vec<_> = emails
        .iter()
        .enumerate()
        .map(|(i, email)| {
            let (addr, email, limit) = (addrs[i % addrs.len()].clone(), email.clone(), limit.clone());
            tokio::spawn(async move {
                let _permit = limit.acquire().await.map_err(|e| e.to_string())?;
                super::sign_in(&addr, &email).await
            })
        })
        .collect();
    let mut cookies = Vec::with_capacity(tasks.len());
    for t in tasks {
        cookies.push(t.await.map_err(|e| e.to_string())??);
    }
    Ok(cookies)
}

#[cfg(test)]
mod tests {
    use super::agents_for;

    #[test]
    fn an_agent_per_ten_chats_stays_under_the_connection_cap() {
        assert_eq!(agents_for(0), 1);
        assert_eq!(agents_for(1), 1);
        assert_eq!(agents_for(1_000), 100);
        assert_eq!(agents_for(2_501), 251);
        assert!(2_501usize.div_ceil(agents_for(2_501)) <= app::chat::fanout::MAX_CONNECTIONS_PER_USER);
    }
}
