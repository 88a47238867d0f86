//! Incoming mail (server only): support mailboxes read over IMAP (`imap`), each mail reduced to
//! what it says (`parse`) and filed as an inquiry, a reply or a noted refusal (`import`).
//! `supervise` keeps one reader per enabled mailbox running, and restarts it when an admin
//! changes the mailbox. With several servers on one PostgreSQL each mailbox has one reader: the
//! server holding its advisory lock ([`crate::store::mailboxes::claim_reader`]).

pub mod imap;
pub mod import;
pub mod parse;

use crate::state::AppState;
use std::collections::HashMap;
use std::time::Duration;

/// How often the mailbox settings are re-read for changes.
const SETTINGS_EVERY: Duration = Duration::from_secs(15);

/// Runs forever: one `imap::serve` task per enabled mailbox, restarted when its settings change
/// and stopped when it is disabled or removed.
pub async fn supervise(state: AppState) {
    let mut running: HashMap<i64, (i64, tokio::task::JoinHandle<()>)> = HashMap::new();
    let mut tick = tokio::time::interval(SETTINGS_EVERY);
    loop {
        tick.tick().await;
        let mailboxes = match crate::store::mailboxes::all(&state.db).await {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "reading the mailbox settings failed; trying again");
                continue;
            }
        };
        let mut wanted: HashMap<i64, _> = HashMap::new();
        for mut m in mailboxes.into_iter().filter(|m| m.enabled) {
            match state.secrets.open(&m.password) {
                Ok(p) => {
                    m.password = p;
                    wanted.insert(m.id, m);
                }
                Err(e) => {
                    // said on the mailbox, once per change of its settings
                    if m.last_error.as_deref() != Some(&e.to_string()) {
                        let _ = crate::store::mailboxes::polled(&state.db, m.id, Some(&e.to_string()), state.clock.now_ms()).await;
                    }
                }
            }
        }
        running.retain(|id, (updated, task)| {
            let keep = wanted.get(id).is_some_and(|m| m.updated_at == *updated) && !task.is_finished();
            if !keep {
                task.abort();
            }
            keep
        });
        for (id, mailbox) in wanted {
            if let std::collections::hash_map::Entry::Vacant(slot) = running.entry(id) {
                // with several servers on one PostgreSQL, one of them reads each mailbox
                let Some(claim) = crate::store::mailboxes::claim_reader(&state.db, id).await else { continue };
                tracing::info!(mailbox = %mailbox.address, "reading mailbox");
                let updated = mailbox.updated_at;
                let s = state.clone();
                slot.insert((
                    updated,
                    tokio::spawn(async move {
                        // held for as long as the reader runs; dropped (the connection closes) when
                        // it stops or this server dies, and another server takes the mailbox over
                        let _claim = claim;
                        imap::serve(s, mailbox).await
                    }),
                ));
            }
        }
    }
}
