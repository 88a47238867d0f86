//! The semantic FAQ head at run time: the e5 encoder (loaded at start-up when its model file is
//! installed; without it matching stays lexical), a memo of the embeddings of the templates'
//! phrasings so a rebuild encodes only what is new, and the queue of inquiries the lexical model
//! was not sure of. A worker drains the queue in batches off the async threads and posts the
//! automatic answer moments after submission when the blend of both heads is confident.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Embeddings kept for reuse (the templates' phrasings and confirmed inquiries: thousands, not
/// millions); beyond this the memo starts again.
const MEMO_MAX: usize = 20_000;
/// Inquiries encoded together: one pass over the weights serves all of them. Small enough that
/// a batch takes a fraction of a second, so an inquiry behind a full batch does not wait long.
pub const BATCH: usize = 16;
/// Inquiries waiting for the worker at most (~10 s of encoding on one core). Beyond that a burst
/// is left to the lexical decision and the agents, so submissions never wait on the encoder.
const QUEUE_MAX: usize = 512;

pub struct Semantic {
    encoder: e5::Encoder,
    memo: Mutex<HashMap<String, Arc<[f32]>>>,
}

impl Semantic {
    pub fn load(path: &Path) -> Result<Semantic, e5::LoadError> {
        Ok(Semantic { encoder: e5::Encoder::load(path)?, memo: Mutex::new(HashMap::new()) })
    }

    /// Query embeddings of `texts` (blocking: call it off the async threads), from the memo when
    /// `remember` and known.
    pub fn embed(&self, texts: &[&str], remember: bool) -> Vec<Arc<[f32]>> {
        let mut out: Vec<Option<Arc<[f32]>>> = vec![None; texts.len()];
        if remember {
            let memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            for (o, t) in out.iter_mut().zip(texts) {
                *o = memo.get(*t).cloned();
            }
        }
        let missing: Vec<usize> = (0..texts.len()).filter(|i| out[*i].is_none()).collect();
        for chunk in missing.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|i| texts[*i]).collect();
            for (i, v) in chunk.iter().zip(self.encoder.embed(&batch, e5::Kind::Query)) {
                out[*i] = Some(Arc::from(v));
            }
        }
        if remember {
            let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            if memo.len() + missing.len() > MEMO_MAX {
                memo.clear();
            }
            for i in &missing {
                if let Some(v) = &out[*i] {
                    memo.insert(texts[*i].to_string(), v.clone());
                }
            }
        }
        out.into_iter().map(|v| v.unwrap_or_else(|| Arc::from(Vec::new()))).collect()
    }
}

/// An inquiry waiting for the semantic head's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub inquiry_id: i64,
    /// when it was submitted (ms), for the time to its automatic answer
    pub submitted_at: i64,
}

/// Threads that encode in the background (the worker's batches, past inquiries), one a core, at a
/// lower CPU priority (nice 10): when submissions and encoding compete for the cores, the
/// submissions win and the automatic answers come a little later, rather than the other way round.
struct Background {
    jobs: Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

impl Background {
    fn start() -> Background {
        let (tx, rx) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let rx = Arc::new(Mutex::new(rx));
        let threads = encoder_threads();
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new().name(format!("e5-encoder-{i}")).spawn(move || {
                lower_priority();
                loop {
                    // the lock is held only while waiting for the next job
                    let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        // a job that panics drops its answer (its caller hears of it) and
                        // leaves the thread to the next one
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                }
            });
            if let Err(e) = spawned {
                tracing::warn!(error = %e, "could not start an encoder thread");
            }
        }
        Background { jobs: Mutex::new(tx) }
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, crate::error::AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Box<dyn FnOnce() + Send> = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(job).map_err(|_| crate::error::AppError::internal("semantic encoder", "no encoder thread"))?;
        // a job that panicked drops its sender
        rx.await.map_err(|_| crate::error::AppError::internal("semantic encoder", "the encoder stopped"))
    }
}

/// This thread yields the CPU to others (nice 10; Linux sets it per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: plain system calls on this thread's own id; a failure only leaves the priority as it was
        let done = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10) };
        if done != 0 {
            tracing::debug!("could not lower the encoder thread's priority");
        }
    }
}

/// The encoder once loaded, and the queue between submissions and the worker.
pub struct SemanticLive {
    encoder: std::sync::OnceLock<Arc<Semantic>>,
    queue: tokio::sync::mpsc::Sender<Pending>,
    receiver: Mutex<Option<tokio::sync::mpsc::Receiver<Pending>>>,
    /// inquiries not queued because the queue was full
    pub overflowed: std::sync::atomic::AtomicU64,
    /// past inquiries by meaning
    pub similar: super::similar::SimilarIndex,
    background: std::sync::OnceLock<Background>,
    /// the worker's batches under way
    running: std::sync::atomic::AtomicUsize,
}

impl Default for SemanticLive {
    fn default() -> Self {
        let (queue, receiver) = tokio::sync::mpsc::channel(QUEUE_MAX);
        SemanticLive { encoder: std::sync::OnceLock::new(), queue, receiver: Mutex::new(Some(receiver)), overflowed: Default::default(), similar: Default::default(), background: std::sync::OnceLock::new(), running: Default::default() }
    }
}

impl SemanticLive {
    /// Sets the encoder (once; a second call is ignored).
    pub fn install(&self, s: Semantic) {
        let _ = self.encoder.set(Arc::new(s));
    }

    pub fn encoder(&self) -> Option<Arc<Semantic>> {
        self.encoder.get().cloned()
    }

    /// Hands an inquiry to the worker (nothing happens without an encoder, or when the worker is
    /// too far behind).
    pub fn submit(&self, p: Pending) {
        if self.encoder.get().is_some() && self.queue.try_send(p).is_err() {
            self.overflowed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Runs `f` on a background encoder thread (started on first use) and waits for its result.
    pub async fn in_background<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, crate::error::AppError> {
        self.background.get_or_init(Background::start).run(f).await
    }

    /// Whether inquiries wait for the worker or are being decided (jobs that can wait give way).
    pub fn busy(&self) -> bool {
        self.queue.capacity() < self.queue.max_capacity() || self.running.load(std::sync::atomic::Ordering::Relaxed) > 0
    }

    /// The worker's end of the queue (once).
    pub fn take_receiver(&self) -> Option<tokio::sync::mpsc::Receiver<Pending>> {
        self.receiver.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// The most of an inquiry's text the semantic head reads (about one window): a 5,000-character
/// body would cost seconds to encode in full, and the question is at its start.
const TEXT_MAX_CHARS: usize = 1_000;

pub(crate) fn head(text: &str) -> &str {
    text.char_indices().nth(TEXT_MAX_CHARS).map(|(i, _)| &text[..i]).unwrap_or(text)
}

/// Drains the queue in batches: reads the inquiries still waiting, encodes them, and answers
/// those the blend is confident of (each in its own transaction, only if nobody answered first).
/// As many batches run at once as the machine has cores (encoding is all CPU, on the background
/// threads at a lower priority), each as a task of its own, so a panic costs that batch, not the
/// worker (a panic while encoding costs the batch and leaves its encoder thread running).
pub async fn run(state: crate::state::AppState) {
    let Some(mut rx) = state.faq.semantic.take_receiver() else { return };
    let parallel = encoder_threads();
    let mut running: tokio::task::JoinSet<(usize, Result<(), crate::error::AppError>)> = tokio::task::JoinSet::new();
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        while running.len() >= parallel {
            finished(running.join_next().await);
        }
        // a finished batch frees its place at once, even while the queue is empty
        let received = tokio::select! {
            n = rx.recv_many(&mut batch, BATCH) => n,
            done = running.join_next(), if !running.is_empty() => {
                finished(done);
                continue;
            }
        };
        if received == 0 {
            break;
        }
        let (s, b) = (state.clone(), std::mem::take(&mut batch));
        let under_way = UnderWay::start(state.clone());
        running.spawn(async move {
            let _under_way = under_way;
            (b.len(), decide(&s, &b).await)
        });
    }
    while let Some(done) = running.join_next().await {
        finished(Some(done));
    }
    tracing::warn!("the semantic FAQ queue closed; matching is lexical from now on");
}

/// Counts a batch under way for [`SemanticLive::busy`] until dropped (also when its task panics).
struct UnderWay(crate::state::AppState);

impl UnderWay {
    fn start(state: crate::state::AppState) -> UnderWay {
        state.faq.semantic.running.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        UnderWay(state)
    }
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        self.0.faq.semantic.running.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Batches encoded at once at most.
const MAX_PARALLEL: usize = 8;

/// Batches encoded at once, and the encoder threads that do it: one a core, up to [`MAX_PARALLEL`].
fn encoder_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, MAX_PARALLEL)
}

fn finished(done: Option<Result<(usize, Result<(), crate::error::AppError>), tokio::task::JoinError>>) {
    match done {
        None | Some(Ok((_, Ok(())))) => {}
        Some(Ok((n, Err(e)))) => tracing::warn!(error = %e, inquiries = n, "semantic FAQ matching failed; the inquiries stay with the agents"),
        Some(Err(e)) => tracing::error!(error = %e, "semantic FAQ matching panicked; the inquiries stay with the agents"),
    }
}

async fn decide(state: &crate::state::AppState, batch: &[Pending]) -> Result<(), crate::error::AppError> {
    let Some(encoder) = state.faq.semantic.encoder() else { return Ok(()) };
    let index = state.faq.current();
    if !index.has_semantic() {
        return Ok(());
    }
    let ids: Vec<i64> = batch.iter().map(|p| p.inquiry_id).collect();
    let waiting = crate::store::inquiries::awaiting_semantic(&state.db, &ids).await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let texts: Vec<String> = waiting.iter().map(|w| super::similar::question_text(&w.subject, &w.body)).collect();
    let (texts, vectors) = state
        .faq
        .semantic
        .in_background(move || {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let v = encoder.embed(&refs, false);
            (texts, v)
        })
        .await?;
    // kept for similar past inquiries, so the background job need not encode them again
    let kept = waiting.iter().zip(&vectors).filter(|(_, v)| !v.is_empty()).map(|(w, v)| (w.id, crate::domain::similar::quantise(v))).collect();
    super::similar::keep(state, kept).await;
    for ((w, text), v) in waiting.iter().zip(&texts).zip(&vectors) {
        let Some(best) = index.semantic_best(text, v) else { continue };
        let best: crate::domain::auto_answer::BestTemplate = best.into();
        // a template of another type is not answered here: its type's own setting decides that
        // (filing "other" under the template's type happens only at submission)
        if best.type_id != w.rule.type_id || crate::domain::auto_answer::answers_at_once(&w.rule, Some(best)).is_none() {
            continue;
        }
        let submitted = batch.iter().find(|p| p.inquiry_id == w.id).map(|p| p.submitted_at).unwrap_or(0);
        if let Err(e) = answer(state, w.id, best, submitted).await {
            tracing::warn!(error = %e, inquiry = w.id, "automatic answer by the semantic FAQ head failed; the inquiry stays with the agents");
        }
    }
    Ok(())
}

async fn answer(state: &crate::state::AppState, id: i64, best: crate::domain::auto_answer::BestTemplate, submitted: i64) -> Result<(), crate::error::AppError> {
    let now = state.clock.now_ms();
    let mut tx = crate::store::write_tx(&state.db).await?;
    // dropped uncommitted when an agent was first: nothing is written then
    let Some(answer) = crate::store::inquiries::answer_later(&mut tx, id, best, now).await? else { return Ok(()) };
    use crate::mail::outbox::{queue_answer, AnsweredBy};
    let to = crate::store::inquiries::answer_for(&mut tx, id).await?;
    queue_answer(&mut tx, &state.mail, &to, &answer, AnsweredBy::Faq, now).await?;
    tx.commit().await?;
    state.mail.queued();
    tracing::info!(inquiry = id, template = best.template_id, confidence = best.confidence, waited_ms = now - submitted, "answered by the semantic FAQ head");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_head_of_a_long_text() {
        let long = "가".repeat(3_000);
        assert_eq!(super::head(&long).chars().count(), super::TEXT_MAX_CHARS);
        assert_eq!(super::head("짧은 질문"), "짧은 질문");
    }
}
