//! Similar past inquiries by meaning (issue 20): each server keeps the embeddings of the newest
//! inquiries in memory (one byte a dimension), loads what any server wrote since it last looked,
//! and a background job embeds the inquiries nobody embedded yet — new ones first, then the
//! history from the newest back — whenever the semantic worker has nothing waiting.

use crate::domain::similar::{nearest, quantise, Quantised, QuestionHit, SimilarPast};
use crate::error::AppError;
use std::collections::{HashMap, VecDeque};
use std::sync::RwLock;
use std::time::Duration;

/// Embeddings kept in memory at most (384 bytes each: about 19 MB). The history job stops after
/// as many, so a database of millions is not encoded for days.
pub const INDEX_MAX: usize = 50_000;
/// Inquiries the history job reads at a time.
const STEP: i64 = 16;
/// How similar a past inquiry must be to be shown: e5 puts questions on the same subject but
/// asking something else around 0.80–0.86 (the demo's "is it waterproof?" 0.85 to a broken
/// screen), the same question in other words at 0.9 and above.
pub const FLOOR: f32 = 0.88;
/// Past inquiries shown beside one.
pub const SHOWN: usize = 3;
/// The nearest read from the database before keeping those the agent may open (many near ones are
/// still open or in other groups).
const CANDIDATES: usize = 100;

/// Rows behind the newest seen that each look reads again: on PostgreSQL an id is handed out at
/// insert but seen at commit, so a lower id can appear after a higher one was read (parallel
/// batches, several servers); those land within this window.
const TRAIL: i64 = 256;

#[derive(Default)]
pub struct SimilarIndex {
    inner: RwLock<Inner>,
    /// one refresh at a time
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Inner {
    /// the newest row of `inquiry_embeddings` seen (None before the first look)
    seq: Option<i64>,
    /// oldest first; `by_id` holds positions counted from the first ever kept (`base` of them gone)
    entries: VecDeque<(i64, Quantised)>,
    base: usize,
    by_id: HashMap<i64, usize>,
}

impl SimilarIndex {
    /// Loads the embeddings written since the last call (by this server or another); the first
    /// call starts at the newest [`INDEX_MAX`].
    pub async fn refresh(&self, db: &crate::store::Db) -> Result<(), AppError> {
        const PAGE: i64 = 5_000;
        let _one = self.refreshing.lock().await;
        loop {
            let seen = self.inner.read().unwrap_or_else(|e| e.into_inner()).seq;
            let from = match seen {
                Some(seq) => (seq - TRAIL).max(0),
                None => (crate::store::embeddings::newest_seq(db).await? - INDEX_MAX as i64).max(0),
            };
            let rows = crate::store::embeddings::since(db, from, PAGE).await?;
            let full = rows.len() as i64 == PAGE;
            let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
            let mut newest = inner.seq.unwrap_or(from);
            for r in rows {
                newest = newest.max(r.seq);
                if inner.by_id.contains_key(&r.inquiry_id) {
                    continue;
                }
                let at = inner.base + inner.entries.len();
                inner.entries.push_back((r.inquiry_id, r.q));
                inner.by_id.insert(r.inquiry_id, at);
            }
            inner.seq = Some(newest);
            // the first loaded go first
            while inner.entries.len() > INDEX_MAX {
                if let Some((id, _)) = inner.entries.pop_front() {
                    inner.by_id.remove(&id);
                }
                inner.base += 1;
            }
            if !full {
                return Ok(());
            }
        }
    }

    pub fn len(&self) -> usize {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn vector_of(&self, inquiry_id: i64) -> Option<Quantised> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.by_id.get(&inquiry_id).and_then(|at| inner.entries.get(at - inner.base)).map(|e| e.1.clone())
    }

    /// The mean of the embeddings held: the direction inquiries share (empty without any).
    pub fn mean(&self) -> Vec<f32> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let refs: Vec<&Quantised> = inner.entries.iter().map(|e| &e.1).collect();
        crate::domain::mining::mean(&refs)
    }

    /// The `k` inquiries nearest to `q` at or above `floor`, best first (not `skip`).
    pub fn nearest(&self, q: &Quantised, k: usize, floor: f32, skip: Option<i64>) -> Vec<(i64, f32)> {
        nearest(q, self.inner.read().unwrap_or_else(|e| e.into_inner()).entries.iter(), k, floor, skip)
    }
}

/// The resolved inquiries most like inquiry `id` that `actor` may open, with their answers
/// (none until the inquiry is embedded, or without the model).
pub async fn like_inquiry(state: &crate::state::AppState, actor: crate::store::workspace::Actor, id: i64) -> Result<Vec<SimilarPast>, AppError> {
    let index = &state.faq.semantic.similar;
    let Some(q) = index.vector_of(id) else { return Ok(Vec::new()) };
    resolved_like(state, actor, &q, Some(id)).await
}

async fn resolved_like(state: &crate::state::AppState, actor: crate::store::workspace::Actor, q: &Quantised, skip: Option<i64>) -> Result<Vec<SimilarPast>, AppError> {
    // more candidates than shown: many near ones are still open or in other groups
    let near = state.faq.semantic.similar.nearest(q, CANDIDATES, FLOOR, skip);
    let found = crate::store::embeddings::resolved_among(&state.db, actor, &near.iter().map(|n| n.0).collect::<Vec<_>>()).await?;
    let mut out: Vec<SimilarPast> = near
        .iter()
        .filter_map(|(id, s)| {
            found.iter().find(|r| r.id == *id).map(|r| SimilarPast {
                id: r.id,
                subject: r.subject.clone(),
                question: r.question.clone().unwrap_or_default(),
                answer: r.answer.clone().unwrap_or_default(),
                resolved_at: r.resolved_at,
                similarity: *s,
            })
        })
        .collect();
    out.truncate(SHOWN);
    Ok(out)
}

/// How similar an inquiry must be to a typed question to be found (as [`FLOOR`]).
pub const SEARCH_FLOOR: f32 = FLOOR;
/// Inquiries a search by meaning lists at most.
pub const SEARCH_SHOWN: usize = 10;

/// Inquiries `actor` may open whose questions mean what `q` asks, best first (none without the
/// model). Encodes `q` (tens of milliseconds, off the async threads).
pub async fn search(state: &crate::state::AppState, actor: crate::store::workspace::Actor, q: &str) -> Result<Vec<QuestionHit>, AppError> {
    let Some(encoder) = state.faq.semantic.encoder() else { return Ok(Vec::new()) };
    if state.faq.semantic.similar.is_empty() {
        return Ok(Vec::new());
    }
    let text = super::semantic::head(q).to_string();
    let v = tokio::task::spawn_blocking(move || encoder.embed(&[text.as_str()], false).into_iter().next())
        .await
        .map_err(|e| AppError::internal("question search", e))?;
    let Some(v) = v.filter(|v| !v.is_empty()) else { return Ok(Vec::new()) };
    let near = state.faq.semantic.similar.nearest(&quantise(&v), CANDIDATES, SEARCH_FLOOR, None);
    let found = crate::store::embeddings::visible_among(&state.db, actor, &near.iter().map(|n| n.0).collect::<Vec<_>>()).await?;
    Ok(near
        .iter()
        .filter_map(|(id, s)| {
            found.iter().find(|r| r.id == *id).map(|r| QuestionHit {
                inquiry_id: r.id,
                subject: r.subject.clone(),
                status: r.status,
                created_at: r.created_at,
                customer_no: r.customer_no.clone(),
                customer_name: r.customer_name.clone(),
                similarity: *s,
            })
        })
        .take(SEARCH_SHOWN)
        .collect())
}

/// The text an inquiry is embedded by: its subject and first message, at most the head the
/// semantic worker reads.
pub fn question_text(subject: &str, body: &str) -> String {
    super::semantic::head(&super::index::inquiry_text(subject, body)).to_string()
}

/// Keeps embeddings the worker computed anyway (the inquiries it decided on).
pub async fn keep(state: &crate::state::AppState, rows: Vec<(i64, Quantised)>) {
    if let Err(e) = crate::store::embeddings::save(&state.db, &rows).await {
        tracing::warn!(error = %e, "could not keep inquiry embeddings");
    }
}

/// The background job: keeps the index current and embeds inquiries without an embedding, new
/// ones first, then back through the history up to [`INDEX_MAX`]; yields to the semantic worker.
pub async fn run(state: crate::state::AppState) {
    // wait for the encoder (loaded in the background at start-up)
    let encoder = loop {
        if let Some(e) = state.faq.semantic.encoder() {
            break e;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let (mut newer, mut older, mut walked) = (None::<i64>, None::<i64>, 0usize);
    loop {
        let pause = match round(&state, &encoder, &mut newer, &mut older, &mut walked).await {
            Ok(true) => Duration::ZERO,
            Ok(false) => Duration::from_secs(2),
            Err(e) => {
                tracing::warn!(error = %e, "embedding past inquiries failed; trying again shortly");
                Duration::from_secs(10)
            }
        };
        if let Err(e) = state.faq.semantic.similar.refresh(&state.db).await {
            tracing::warn!(error = %e, "could not load inquiry embeddings");
        }
        tokio::time::sleep(pause).await;
    }
}

/// One step of the job: true when it found work (and goes on at once). The cursors move only
/// once what they pass is saved, and the newer walk reads again the last [`TRAIL`] ids, which on
/// PostgreSQL may have been committed after higher ones.
async fn round(state: &crate::state::AppState, encoder: &std::sync::Arc<super::semantic::Semantic>, newer: &mut Option<i64>, older: &mut Option<i64>, walked: &mut usize) -> Result<bool, AppError> {
    use crate::store::embeddings::{questions, Walk};
    if state.faq.semantic.busy() {
        // answering customers comes first
        return Ok(false);
    }
    let db = &state.db;
    let from_newer = match *newer {
        Some(n) => n,
        None => *newer.insert(crate::store::embeddings::newest_inquiry(db).await?),
    };
    let from_older = *older.get_or_insert(from_newer + 1);
    let rows = questions(db, (from_newer - TRAIL).max(0), Walk::Newer, STEP + TRAIL).await?;
    let newest = rows.last().map(|r| r.id).unwrap_or(from_newer).max(from_newer);
    let (rows, walk) = if rows.iter().all(|r| r.embedded) && newest == from_newer && *walked < INDEX_MAX && from_older > 1 {
        (questions(db, from_older, Walk::Older, STEP).await?, Walk::Older)
    } else {
        (rows, Walk::Newer)
    };
    let moved = match walk {
        Walk::Newer => newest != from_newer,
        Walk::Older => !rows.is_empty(),
    };
    let last = rows.last().map(|r| r.id);
    let count = rows.len();
    let mut todo: Vec<(i64, String)> = rows.into_iter().filter(|r| !r.embedded).map(|r| (r.id, question_text(&r.subject, r.body.as_deref().unwrap_or("")))).collect();
    // one short job at a time, so the worker's batches never wait long behind it; the cursor stays
    // where it was until what it passes is all embedded
    let all_of_them = todo.len() <= STEP as usize;
    todo.truncate(STEP as usize);
    let worked = !todo.is_empty();
    if worked {
        let encoder = encoder.clone();
        let vectors = state
            .faq
            .semantic
            .in_background(move || {
                let texts: Vec<&str> = todo.iter().map(|t| t.1.as_str()).collect();
                let v = encoder.embed(&texts, false);
                todo.iter().map(|t| t.0).zip(v.iter().map(|v| quantise(v))).collect::<Vec<_>>()
            })
            .await?;
        crate::store::embeddings::save(db, &vectors).await?;
    }
    match walk {
        Walk::Newer if all_of_them => *newer = Some(newest),
        Walk::Newer => {}
        Walk::Older => {
            if let Some(last) = last {
                *older = Some(last);
            }
            *walked += count;
        }
    }
    Ok(worked || moved)
}
