//! The pruned model the browser downloads for live suggestions. Only the largest weights are
//! kept (a budget of entries across the training vocabulary), quantised to 8 bits with one
//! scale, and the idf of each vocabulary feature to 1/2048. It scores exactly like the full
//! model apart from the dropped weights: the norm of a query still counts the features the
//! training texts never had, with their idf.

use super::codec::{CodecError, Reader, Writer};
use super::features::{counts, sublinear_tf};
use super::model::{softmax_in_place, Model, Scorer};

/// The default number of weights kept: about 3 bytes each before compression, so a large FAQ
/// set stays well inside the 1 MB the browser may download.
pub const DEFAULT_BUDGET: usize = 250_000;
const IDF_STEPS: f32 = 2048.0;

#[derive(Debug, Clone, PartialEq)]
pub struct CompactModel {
    classes: usize,
    unseen_idf: f32,
    /// Sorted feature buckets, one row each.
    vocabulary: Vec<u32>,
    idf: Vec<f32>,
    /// The entries of row `r` are `entries[starts[r]..starts[r + 1]]`.
    starts: Vec<u32>,
    entries: Vec<(u32, f32)>,
    biases: Vec<f32>,
    /// Weights are multiples of this step (8-bit quantisation).
    step: f32,
}

fn quantize_idf(v: f32) -> f32 {
    (v * IDF_STEPS).round().clamp(0.0, u16::MAX as f32) / IDF_STEPS
}

impl CompactModel {
    /// Keeps the `budget` largest weights of `model` (by magnitude), quantised.
    pub fn from_model(model: &Model, budget: usize) -> CompactModel {
        let classes = model.classes();
        let vocabulary = model.vocabulary().to_vec();
        let rows = vocabulary.len();
        let mut magnitudes: Vec<f32> = (0..rows).flat_map(|r| model.row(r).iter().map(|w| w.abs())).collect();
        let largest = magnitudes.iter().copied().fold(0.0f32, f32::max);
        let step = if largest > 0.0 { largest / 127.0 } else { 1.0 };
        // the smallest magnitude kept: the budget-th largest, and at least half a step (smaller
        // weights quantise to zero anyway)
        let mut cut = step / 2.0;
        if budget == 0 {
            cut = f32::INFINITY;
        } else if magnitudes.len() > budget {
            let nth = magnitudes.len() - budget;
            let (_, v, _) = magnitudes.select_nth_unstable_by(nth, f32::total_cmp);
            cut = cut.max(*v);
        }
        let mut starts = Vec::with_capacity(rows + 1);
        let mut entries = Vec::new();
        starts.push(0);
        for r in 0..rows {
            for (c, &w) in model.row(r).iter().enumerate() {
                if w.abs() >= cut && entries.len() < budget {
                    let q = (w / step).round().clamp(-127.0, 127.0);
                    if q != 0.0 {
                        entries.push((c as u32, q * step));
                    }
                }
            }
            starts.push(entries.len() as u32);
        }
        let idf = vocabulary.iter().map(|&f| quantize_idf(model.vectorizer().idf(f))).collect();
        CompactModel {
            classes,
            unseen_idf: quantize_idf(model.vectorizer().unseen_idf()),
            vocabulary,
            idf,
            starts,
            entries,
            biases: model.biases().to_vec(),
            step,
        }
    }

    /// How many weights were kept.
    pub fn weights(&self) -> usize {
        self.entries.len()
    }

    pub fn encode(&self, w: &mut Writer) {
        w.len(self.classes);
        w.f32(self.step);
        w.varint((self.unseen_idf * IDF_STEPS).round() as u64);
        for b in &self.biases {
            w.f32(*b);
        }
        w.len(self.vocabulary.len());
        let mut last = 0u32;
        for (r, &f) in self.vocabulary.iter().enumerate() {
            w.varint((f - last) as u64);
            last = f;
            w.varint((self.idf[r] * IDF_STEPS).round() as u64);
            let row = &self.entries[self.starts[r] as usize..self.starts[r + 1] as usize];
            w.len(row.len());
            let mut last_class = 0u32;
            for &(c, v) in row {
                w.varint((c - last_class) as u64);
                last_class = c;
                w.u8((v / self.step).round() as i8 as u8);
            }
        }
    }

    pub fn decode(r: &mut Reader) -> Result<CompactModel, CodecError> {
        let classes = r.len()?;
        let step = r.finite_f32()?;
        if step <= 0.0 {
            return Err(CodecError::Inconsistent("weight step"));
        }
        let idf_of = |v: u64| -> Result<f32, CodecError> {
            if v > u16::MAX as u64 {
                return Err(CodecError::Overflow);
            }
            Ok(v as f32 / IDF_STEPS)
        };
        let unseen_idf = idf_of(r.varint()?)?;
        let biases = (0..classes).map(|_| r.finite_f32()).collect::<Result<Vec<_>, _>>()?;
        let rows = r.len()?;
        let (mut vocabulary, mut idf, mut starts, mut entries) = (Vec::with_capacity(rows), Vec::with_capacity(rows), Vec::with_capacity(rows + 1), Vec::new());
        starts.push(0u32);
        let mut last: u64 = 0;
        for i in 0..rows {
            let delta = r.varint()?;
            if i > 0 && delta == 0 {
                return Err(CodecError::Inconsistent("vocabulary not sorted"));
            }
            last = last.checked_add(delta).filter(|&f| f <= u32::MAX as u64).ok_or(CodecError::Overflow)?;
            vocabulary.push(last as u32);
            idf.push(idf_of(r.varint()?)?);
            let n = r.len()?;
            let mut class: u64 = 0;
            for j in 0..n {
                let d = r.varint()?;
                if j > 0 && d == 0 {
                    return Err(CodecError::Inconsistent("classes not sorted"));
                }
                class = class.checked_add(d).ok_or(CodecError::Overflow)?;
                if class >= classes as u64 {
                    return Err(CodecError::Inconsistent("class out of range"));
                }
                entries.push((class as u32, (r.u8()? as i8) as f32 * step));
            }
            starts.push(entries.len() as u32);
        }
        Ok(CompactModel { classes, unseen_idf, vocabulary, idf, starts, entries, biases, step })
    }
}

impl Scorer for CompactModel {
    fn classes(&self) -> usize {
        self.classes
    }

    fn probabilities(&self, text: &str) -> Vec<f32> {
        let mut p = self.biases.clone();
        if self.classes == 0 {
            return p;
        }
        let mut norm = 0.0f32;
        let mut hits: Vec<(usize, f32)> = Vec::new();
        for (f, count) in counts(text) {
            let (row, idf) = match self.vocabulary.binary_search(&f) {
                Ok(r) => (Some(r), self.idf[r]),
                Err(_) => (None, self.unseen_idf),
            };
            let x = sublinear_tf(count) * idf;
            norm += x * x;
            if let Some(r) = row {
                hits.push((r, x));
            }
        }
        let inv = if norm > 0.0 { 1.0 / norm.sqrt() } else { 0.0 };
        for (r, x) in hits {
            for &(c, w) in &self.entries[self.starts[r] as usize..self.starts[r + 1] as usize] {
                p[c as usize] += w * x * inv;
            }
        }
        softmax_in_place(&mut p);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::matcher::model::tests::demo;

    const QUERIES: [&str; 6] = [
        "배송이 언제 도착하나요",
        "my order hasn't arrived yet",
        "비밀번호가 기억이 안 나요",
        "how do I reset my password",
        "환불 언제 들어와요",
        "still waiting for my refund",
    ];

    #[test]
    fn scores_like_the_full_model_and_round_trips() {
        let full = demo();
        let compact = CompactModel::from_model(&full, DEFAULT_BUDGET);
        for q in QUERIES {
            let (a, b) = (full.probabilities(q), compact.probabilities(q));
            assert_eq!(full.rank(q, 1)[0].class, compact.rank(q, 1)[0].class, "{q}");
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() < 0.02, "{q}: {a:?} vs {b:?}");
            }
        }
        let mut w = Writer::default();
        compact.encode(&mut w);
        let back = CompactModel::decode(&mut Reader::new(&w.bytes)).expect("decodes");
        assert_eq!(back, compact);
    }

    #[test]
    fn the_budget_bounds_the_weights_and_keeps_the_largest() {
        let full = demo();
        let all = CompactModel::from_model(&full, usize::MAX);
        let small = CompactModel::from_model(&full, 200);
        assert!(small.weights() <= 200 && small.weights() < all.weights(), "{} {}", small.weights(), all.weights());
        // even heavily pruned, the clear cases still rank first
        for q in ["비밀번호 재설정", "환불 기간"] {
            assert_eq!(small.rank(q, 1)[0].class, full.rank(q, 1)[0].class, "{q}");
        }
        assert_eq!(CompactModel::from_model(&full, 0).weights(), 0);
    }

    #[test]
    fn corrupt_data_is_an_error_not_a_panic() {
        let mut w = Writer::default();
        CompactModel::from_model(&demo(), DEFAULT_BUDGET).encode(&mut w);
        for cut in [0, 1, 5, w.bytes.len() / 2, w.bytes.len() - 1] {
            assert!(CompactModel::decode(&mut Reader::new(&w.bytes[..cut])).is_err(), "cut at {cut}");
        }
        // flipping bytes never panics (it may still decode into another valid model)
        for i in 0..w.bytes.len().min(400) {
            let mut b = w.bytes.clone();
            b[i] ^= 0x5a;
            let _ = CompactModel::decode(&mut Reader::new(&b));
        }
    }
}
