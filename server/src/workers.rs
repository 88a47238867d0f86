//! Background work on timers: automatic answers nobody reacted to close as solved, and the FAQ
//! index is retrained now and then so it learns from the answers customers confirmed, and
//! customer grades are recomputed once a day, login attempts older than a day and confirmation
//! links expired a week ago are forgotten, queued mail is sent as soon as it is queued, and the
//! support mailboxes admins connected are read.

use app::state::AppState;
use std::time::Duration;

const AUTO_CLOSE_EVERY: Duration = Duration::from_secs(600);
const RETRAIN_EVERY: Duration = Duration::from_secs(3_600);
const GRADES_EVERY: Duration = Duration::from_secs(24 * 3_600);
const PRUNE_EVERY: Duration = Duration::from_secs(3_600);

pub fn spawn(state: AppState) {
    tracing::info!(transport = %state.mail.transport.describe(), "mail sender started");
    tokio::spawn(app::mail::sender::run(state.db.clone(), state.mail.clone()));
    // support mailboxes: one reader each, as admins connect them
    tokio::spawn(app::mail::inbound::supervise(state.clone()));
    let s = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(AUTO_CLOSE_EVERY);
        loop {
            tick.tick().await;
            match app::store::inquiries::close_stale_auto_answers(&s.db, s.clock.now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "automatic answers closed as solved after 3 days"),
                Err(e) => tracing::warn!(error = %e, "closing stale automatic answers failed; retrying later"),
            }
        }
    });
    let s = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = app::store::login_attempts::prune(&s.db, s.clock.now_ms()).await {
                tracing::warn!(error = %e, "forgetting old login attempts failed; retrying later");
            }
            if let Err(e) = app::store::confirmations::prune(&s.db, s.clock.now_ms()).await {
                tracing::warn!(error = %e, "forgetting expired confirmation links failed; retrying later");
            }
        }
    });
    let s = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(GRADES_EVERY);
        tick.tick().await; // not at start-up: grades are kept, and recomputed once a day
        loop {
            tick.tick().await;
            match app::store::grades::recompute(&s.db, s.clock.now_ms()).await {
                Ok((_, changed)) => tracing::info!(changed, "customer grades recomputed"),
                Err(e) => tracing::warn!(error = %e, "recomputing customer grades failed; retrying tomorrow"),
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RETRAIN_EVERY);
        tick.tick().await; // the index was just built at start-up
        loop {
            tick.tick().await;
            if let Err(e) = state.faq.rebuild(&state.db).await {
                tracing::warn!(error = %e, "retraining the FAQ index failed; the previous one stays in use");
            }
        }
    });
}
