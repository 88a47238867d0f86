//! The lexical model and the semantic head together: each gives class probabilities, the blend
//! averages them, and a calibration fitted on out-of-fold answers turns the top class's margin
//! into a confidence, exactly as the lexical classifier does alone. The out-of-fold answers are
//! kept, so an auto-answer threshold is chosen on them and never on the data it is judged on.

use super::calibration::Calibration;
use super::dense::{DenseModel, DenseOptions};
use super::classifier::{in_language, margins};
use super::model::{Match, Model, Scorer, TrainOptions};

/// Which heads decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heads {
    Lexical,
    Semantic,
    Both,
}

impl Heads {
    pub fn parse(s: &str) -> Option<Heads> {
        match s {
            "lexical" => Some(Heads::Lexical),
            "semantic" => Some(Heads::Semantic),
            "ensemble" => Some(Heads::Both),
            _ => None,
        }
    }
}

/// Held-out folds: as the lexical classifier, every example once up to this many, else 20%.
const FOLD_ALL_UP_TO: usize = 3_000;
const FOLDS: usize = 5;

pub struct Blend {
    heads: Heads,
    classes: usize,
    /// the semantic head's share
    weight: f32,
    models: Trained,
    calibration: Calibration,
    korean: Option<Vec<bool>>,
    held_out: Vec<(f32, bool)>,
}

/// One example: its text and its embedding (empty when only the lexical head is used).
#[derive(Clone, Copy)]
pub struct Example<'a> {
    pub text: &'a str,
    pub embedding: &'a [f32],
}

/// The heads that were trained (none of a kind not chosen).
struct Trained {
    lexical: Option<Model>,
    semantic: Option<DenseModel>,
}

fn train_heads(heads: Heads, ex: &[Example], labels: &[usize], classes: usize, lex: TrainOptions, dense: DenseOptions) -> Option<Trained> {
    let lexical = match heads {
        Heads::Semantic => None,
        _ => Some(Model::train(&ex.iter().map(|e| e.text).collect::<Vec<_>>(), labels, classes, lex)?),
    };
    let semantic = match heads {
        Heads::Lexical => None,
        _ => Some(DenseModel::train(&ex.iter().map(|e| e.embedding).collect::<Vec<_>>(), labels, classes, dense)?),
    };
    Some(Trained { lexical, semantic })
}

/// Each trained head's probabilities for one example.
fn head_probabilities(h: &Trained, e: Example) -> (Option<Vec<f32>>, Option<Vec<f32>>) {
    (h.lexical.as_ref().map(|l| l.probabilities(e.text)), h.semantic.as_ref().map(|s| s.probabilities(e.embedding)))
}

/// `(1 − w) · lexical + w · semantic`, or the one head there is.
fn mix(p: (Option<Vec<f32>>, Option<Vec<f32>>), w: f32, classes: usize) -> Vec<f32> {
    match p {
        (Some(l), Some(s)) => l.iter().zip(&s).map(|(a, b)| (1.0 - w) * a + w * b).collect(),
        (Some(p), None) | (None, Some(p)) => p,
        (None, None) => vec![0.0; classes],
    }
}

/// The semantic head's weights tried; the one with the lowest out-of-fold log-loss is kept. With
/// 3 phrasings per template the lexical head is weak and the choice leans semantic; on BANKING77
/// both count.
const WEIGHTS: [f32; 7] = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

fn log_loss(oof: &[(Option<Vec<f32>>, Option<Vec<f32>>, usize)], w: f32, classes: usize) -> f64 {
    oof.iter().map(|(l, s, truth)| -(mix((l.clone(), s.clone()), w, classes).get(*truth).copied().unwrap_or(0.0).max(1e-6) as f64).ln()).sum()
}

/// Every class in the text's language, best first, as its margin (the classifier's ranking and
/// margins, over the mixed probabilities).
fn ranked_margins(p: Vec<f32>, korean: Option<&[bool]>, text: &str) -> Vec<(usize, f32)> {
    let n = p.len();
    margins(&in_language(p, korean, text, n))
}

impl Blend {
    /// Trains the chosen heads on everything and the calibration on answers of heads trained
    /// without the examples they answer. `None` when there is nothing to learn from.
    pub fn train(heads: Heads, ex: &[Example], labels: &[usize], classes: usize, korean: Option<Vec<bool>>, lex: TrainOptions, dense: DenseOptions) -> Option<Blend> {
        if korean.as_ref().is_some_and(|k| k.len() != classes) || ex.len() != labels.len() {
            return None;
        }
        let all = train_heads(heads, ex, labels, classes, lex, dense)?;
        let n = ex.len();
        let folds: Vec<usize> = if n <= FOLD_ALL_UP_TO { (0..FOLDS).collect() } else { vec![0] };
        // every held-out example's head probabilities and its true class
        let mut oof = Vec::with_capacity(n);
        let mut held: Vec<usize> = Vec::with_capacity(n);
        for fold in folds {
            let (mut tr, mut tl, mut ho) = (Vec::new(), Vec::new(), Vec::new());
            for i in 0..n {
                if i % FOLDS == fold {
                    ho.push(i);
                } else {
                    tr.push(ex[i]);
                    tl.push(labels[i]);
                }
            }
            let Some(h) = (!ho.is_empty()).then(|| train_heads(heads, &tr, &tl, classes, lex, dense)).flatten() else { continue };
            for i in ho {
                let (l, s) = head_probabilities(&h, ex[i]);
                oof.push((l, s, labels[i]));
                held.push(i);
            }
        }
        let weight = match heads {
            Heads::Both => WEIGHTS.into_iter().min_by(|a, b| log_loss(&oof, *a, classes).total_cmp(&log_loss(&oof, *b, classes))).unwrap_or(0.5),
            _ => 0.5,
        };
        let raw: Vec<(f32, bool)> = oof
            .into_iter()
            .zip(held)
            .filter_map(|((l, s, truth), i)| {
                let &(class, margin) = ranked_margins(mix((l, s), weight, classes), korean.as_deref(), ex[i].text).first()?;
                Some((margin, class == truth))
            })
            .collect();
        let calibration = Calibration::fit(&raw);
        let held_out = raw.iter().map(|(m, ok)| (calibration.apply(*m), *ok)).collect();
        Some(Blend { heads, classes, weight, models: all, calibration, korean, held_out })
    }

    /// The semantic head's share of the blend (chosen on out-of-fold answers).
    pub fn weight(&self) -> f32 {
        self.weight
    }

    pub fn heads(&self) -> Heads {
        self.heads
    }

    /// (calibrated confidence, right?) of every out-of-fold answer made in training.
    pub fn held_out(&self) -> &[(f32, bool)] {
        &self.held_out
    }

    /// The `k` best classes, best first, each with its calibrated confidence.
    pub fn rank(&self, e: Example, k: usize) -> Vec<Match> {
        ranked_margins(mix(head_probabilities(&self.models, e), self.weight, self.classes), self.korean.as_deref(), e.text)
            .into_iter()
            .take(k)
            .map(|(class, raw)| Match { class, confidence: if raw < 0.0 { 0.0 } else { self.calibration.apply(raw) } })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three templates; the words of the third's examples say nothing (the embeddings do).
    fn data() -> (Vec<(&'static str, [f32; 3])>, Vec<usize>) {
        let rows = [
            ("배송 언제 와요", [1.0, 0.1, 0.0], 0),
            ("택배 언제 도착해요", [0.9, 0.0, 0.1], 0),
            ("배송 기간 알려주세요", [1.0, 0.0, 0.0], 0),
            ("주문한 물건 언제 받아요", [0.95, 0.05, 0.0], 0),
            ("환불 언제 돼요", [0.0, 1.0, 0.1], 1),
            ("환불 기간 알려주세요", [0.1, 0.9, 0.0], 1),
            ("돈 언제 돌려받아요", [0.0, 1.0, 0.0], 1),
            ("카드 취소 언제 돼요", [0.0, 0.95, 0.05], 1),
            ("xq zv", [0.0, 0.0, 1.0], 2),
            ("pl mk", [0.1, 0.0, 0.9], 2),
            ("rt yu", [0.0, 0.1, 1.0], 2),
            ("gh jk", [0.0, 0.0, 0.95], 2),
        ];
        (rows.iter().map(|(t, v, _)| (*t, *v)).collect(), rows.iter().map(|r| r.2).collect())
    }

    #[test]
    fn both_heads_rank_and_keep_their_out_of_fold_answers() {
        let (rows, labels) = data();
        let ex: Vec<Example> = rows.iter().map(|(t, v)| Example { text: t, embedding: v }).collect();
        let n = ex.len();
        let blend = Blend::train(Heads::Both, &ex, &labels, 3, None, TrainOptions::converged(n), DenseOptions::for_examples(n)).expect("trains");
        assert_eq!(blend.held_out().len(), n, "every example held out once (5 folds)");
        assert!(WEIGHTS.contains(&blend.weight()));
        // words the lexical head never saw: the embedding decides
        let best = blend.rank(Example { text: "전혀 모르는 말", embedding: &[0.0, 0.05, 0.97] }, 3);
        assert_eq!(best[0].class, 2);
        assert_eq!(best.len(), 3);
        assert!(best[0].confidence >= best[1].confidence);
        // lexical alone cannot tell that one apart; semantic alone can
        let sem = Blend::train(Heads::Semantic, &ex, &labels, 3, None, TrainOptions::converged(n), DenseOptions::for_examples(n)).expect("trains");
        assert_eq!(sem.rank(Example { text: "", embedding: &[0.0, 0.0, 1.0] }, 1)[0].class, 2);
        // inconsistent input is refused
        assert!(Blend::train(Heads::Both, &ex, &labels[1..], 3, None, TrainOptions::converged(n), DenseOptions::for_examples(n)).is_none());
        assert!(Blend::train(Heads::Both, &ex, &labels, 3, Some(vec![true]), TrainOptions::converged(n), DenseOptions::for_examples(n)).is_none());
        assert_eq!(Heads::parse("ensemble"), Some(Heads::Both));
        assert_eq!(Heads::parse("neural"), None);
    }
}
