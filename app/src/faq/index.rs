//! The live FAQ index: a classifier trained on the active templates (question, phrasings, and the
//! inquiries customers confirmed a template solved or agents answered with it), swapped in whole
//! when templates change, so the next inquiry uses the new answers without a restart.

use crate::store::Db;
use crate::domain::auto_answer::BestTemplate;
use crate::domain::faq_pack::{fingerprint, FaqPack, PackTemplate};
use crate::domain::matcher::compact::DEFAULT_BUDGET;
use crate::domain::matcher::blend::{Blend, Example, Heads};
use crate::domain::matcher::dense::DenseOptions;
use crate::domain::matcher::{Classifier, TrainOptions};
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

pub use crate::domain::faq_training::{inquiry_text, TemplateRef, TrainingSet};

/// A ranked template with its calibrated confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Suggestion {
    pub template_id: i64,
    pub type_id: i64,
    pub confidence: f32,
}

impl From<Suggestion> for BestTemplate {
    fn from(s: Suggestion) -> Self {
        BestTemplate { template_id: s.template_id, type_id: s.type_id, confidence: s.confidence }
    }
}

pub struct FaqIndex {
    classifier: Option<Classifier>,
    /// Both heads, when the encoder is installed: decides the inquiries the lexical classifier
    /// alone was not sure of.
    blend: Option<Blend>,
    /// The embeddings of the templates' wordings (question, phrasings, confirmed inquiries) by
    /// template, when the encoder is installed: how close a question is to what a template says.
    wordings: Vec<(i64, crate::domain::similar::Quantised)>,
    templates: Vec<TemplateRef>,
    examples: usize,
    /// The browser's copy: templates and the pruned classifier, decoded form and bytes.
    pack: FaqPack,
    pack_bytes: Arc<Vec<u8>>,
    pack_tag: String,
}


impl FaqIndex {
    pub fn empty() -> FaqIndex {
        FaqIndex::build(TrainingSet::default())
    }

    /// Trains on the examples (template id, text); examples of unknown templates are ignored.
    pub fn build(set: TrainingSet) -> FaqIndex {
        FaqIndex::build_with(set, None)
    }

    /// The same, with the semantic head when `semantic` is given (blocking: it encodes the
    /// phrasings it has not seen before).
    pub fn build_with(set: TrainingSet, semantic: Option<&super::semantic::Semantic>) -> FaqIndex {
        let TrainingSet { types, templates, examples } = set;
        let class_of: HashMap<i64, usize> = templates.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let (texts, labels): (Vec<&str>, Vec<usize>) =
            examples.iter().filter_map(|(id, text)| class_of.get(id).map(|&c| (text.as_str(), c))).unzip();
        let classifier = {
            let korean = templates.iter().map(|t| t.language == "ko").collect();
            Classifier::train(&texts, &labels, templates.len(), Some(korean), TrainOptions::for_examples(texts.len()))
        };
        let pack_templates = templates
            .iter()
            .map(|t| PackTemplate { id: t.id, type_id: t.type_id, korean: t.language == "ko", question: t.question.clone(), answer: t.answer.clone() })
            .collect();
        let embedded = semantic.filter(|_| !texts.is_empty()).map(|s| s.embed(&texts, true));
        let wordings = embedded
            .iter()
            .flat_map(|vs| vs.iter().zip(&labels).filter_map(|(v, c)| Some((templates.get(*c)?.id, crate::domain::similar::quantise(v)))))
            .collect();
        let blend = embedded.as_ref().and_then(|vectors| {
            let ex: Vec<Example> = texts.iter().zip(vectors.iter()).map(|(t, v)| Example { text: t, embedding: v }).collect();
            let korean = templates.iter().map(|t| t.language == "ko").collect();
            let n = texts.len();
            Blend::train(Heads::Both, &ex, &labels, templates.len(), Some(korean), TrainOptions::converged(n), DenseOptions::for_examples(n))
        });
        let compact = classifier.as_ref().map(|c| c.compact(DEFAULT_BUDGET));
        // the classes are the templates by construction, so the pack is always consistent
        let pack = FaqPack::new(types, pack_templates, compact).unwrap_or_else(|_| FaqPack::empty());
        let pack_bytes = pack.encode();
        let pack_tag = fingerprint(&pack_bytes);
        FaqIndex { classifier, blend, wordings, examples: texts.len(), templates, pack, pack_bytes: Arc::new(pack_bytes), pack_tag }
    }

    /// The templates and pruned classifier the browser uses (and public search is served from).
    pub fn pack(&self) -> &FaqPack {
        &self.pack
    }

    /// The encoded pack and its entity tag.
    pub fn pack_bytes(&self) -> (Arc<Vec<u8>>, &str) {
        (self.pack_bytes.clone(), &self.pack_tag)
    }

    pub fn template_count(&self) -> usize {
        self.templates.len()
    }

    pub fn example_count(&self) -> usize {
        self.examples
    }

    /// The `k` best templates for `text`, best first.
    pub fn suggest(&self, text: &str, k: usize) -> Vec<Suggestion> {
        let Some(c) = &self.classifier else { return Vec::new() };
        c.rank(text, k)
            .into_iter()
            .filter_map(|m| {
                let t = self.templates.get(m.class)?;
                Some(Suggestion { template_id: t.id, type_id: t.type_id, confidence: m.confidence })
            })
            .collect()
    }

    pub fn best(&self, text: &str) -> Option<Suggestion> {
        self.suggest(text, 1).into_iter().next()
    }

    /// Whether the semantic head is part of this index.
    pub fn has_semantic(&self) -> bool {
        self.blend.is_some()
    }

    /// The template whose wordings come closest to an embedding, and their cosine once `common`
    /// (the direction all inquiries share) is taken from both (`None` without the semantic head).
    pub fn closest_template(&self, v: &crate::domain::similar::Quantised, common: &[f32]) -> Option<(i64, f32)> {
        use crate::domain::mining::centred;
        let v = centred(v, common)?;
        let wordings: Vec<(i64, crate::domain::similar::Quantised)> = self.wordings.iter().filter_map(|(id, w)| Some((*id, centred(w, common)?))).collect();
        crate::domain::similar::nearest(&v, &wordings, 1, f32::MIN, None).into_iter().next()
    }

    /// The best template by both heads, for a text and its embedding (`None` without the
    /// semantic head).
    pub fn semantic_best(&self, text: &str, embedding: &[f32]) -> Option<Suggestion> {
        let m = *self.blend.as_ref()?.rank(Example { text, embedding }, 1).first()?;
        let t = self.templates.get(m.class)?;
        Some(Suggestion { template_id: t.id, type_id: t.type_id, confidence: m.confidence })
    }
}

/// The index in use, replaced whole by `rebuild`.
pub struct FaqLive {
    current: RwLock<Arc<FaqIndex>>,
    /// The latest build: the number of rebuild requests it covers (held across the build).
    rebuilding: tokio::sync::Mutex<u64>,
    /// Rebuild requests so far (each made after its change was committed).
    requested: std::sync::atomic::AtomicU64,
    /// The encoder and the queue of inquiries for the semantic head.
    pub semantic: super::semantic::SemanticLive,
}

impl Default for FaqLive {
    fn default() -> Self {
        FaqLive {
            current: RwLock::new(Arc::new(FaqIndex::empty())),
            rebuilding: tokio::sync::Mutex::new(0),
            requested: std::sync::atomic::AtomicU64::new(0),
            semantic: Default::default(),
        }
    }
}

impl FaqLive {
    pub fn current(&self) -> Arc<FaqIndex> {
        // a panic while swapping cannot leave a half-written Arc behind, so a poisoned lock is usable
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reads the templates and trains a new index off the async threads, then swaps it in; call
    /// it after the change it must include was committed. Builds run one at a time, and requests
    /// that queue behind a build share the next one: it reads the templates after all of them
    /// asked, so it includes every one of their changes. Six saves at once cost two builds, not
    /// six in a row (the sixth admin used to wait for all of them: 30 s and a timeout on a
    /// loaded machine).
    pub async fn rebuild(&self, db: &Db) -> Result<Arc<FaqIndex>, AppError> {
        use std::sync::atomic::Ordering;
        let mine = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let mut covered = self.rebuilding.lock().await;
        if *covered >= mine {
            // a build that started after this request finished while it waited
            return Ok(self.current());
        }
        let covers = self.requested.load(Ordering::SeqCst);
        let set = crate::store::faq::training_set(db).await?;
        let semantic = self.semantic.encoder();
        let index = tokio::task::spawn_blocking(move || FaqIndex::build_with(set, semantic.as_deref()))
            .await
            .map_err(|e| AppError::internal("faq index", e))?;
        let index = Arc::new(index);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = index.clone();
        *covered = covers;
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: i64, type_id: i64, lang: &str, q: &str) -> TemplateRef {
        TemplateRef { id, type_id, language: lang.into(), question: q.into(), answer: format!("answer to {q}") }
    }

    #[test]
    fn suggests_templates_by_id_and_type() {
        let templates = vec![t(10, 1, "ko", "배송은 언제 오나요?"), t(20, 2, "ko", "비밀번호를 잊어버렸어요"), t(30, 3, "ko", "환불은 언제 되나요?")];
        let ex: Vec<(i64, String)> = [
            (10, "배송은 언제 오나요?"),
            (10, "배송 언제 도착하나요"),
            (10, "주문한 상품 언제 와요"),
            (20, "비밀번호를 잊어버렸어요"),
            (20, "비밀번호 재설정"),
            (20, "로그인이 안 돼요"),
            (30, "환불은 언제 되나요?"),
            (30, "환불 기간"),
            (30, "환불 언제 들어와요"),
            (99, "an example of a template that no longer exists"),
        ]
        .iter()
        .map(|(id, s)| (*id, s.to_string()))
        .collect();
        let index = FaqIndex::build(TrainingSet { types: Vec::new(), templates, examples: ex });
        assert_eq!(index.example_count(), 9);
        let best = index.best(&inquiry_text("비밀번호", "비밀번호가 기억나지 않아요")).expect("a suggestion");
        assert_eq!((best.template_id, best.type_id), (20, 2));
        assert_eq!(index.suggest("배송", 3).len(), 3);
        assert!(FaqIndex::empty().suggest("배송", 3).is_empty());
        // the browser's pack holds the same templates and ranks the same way
        let (bytes, tag) = index.pack_bytes();
        let pack = FaqPack::decode(&bytes).expect("decodes");
        assert_eq!(pack.templates.len(), 3);
        assert_eq!(pack.templates[pack.suggest("비밀번호가 기억나지 않아요", 1)[0].template].id, 20);
        assert_eq!(tag.len(), 16);
    }
}
