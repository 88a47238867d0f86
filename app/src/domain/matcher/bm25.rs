//! BM25 over FAQ questions and answers, for the public search box: the same ranking on the
//! server (the page without JavaScript) and in the browser (instant results while typing).
//! Terms are whole words plus character 3-grams inside word boundaries, so "배송이" finds
//! "배송은" and "refunds" finds "refund" without a dictionary.

use super::features::{hash32, normalize, words};
use std::collections::HashMap;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// The question says what a template is about: it counts this many times the answer.
const QUESTION_WEIGHT: u32 = 2;
/// Results scoring below this share of the best one are dropped: a shared 3-gram ("ord" of
/// "password" and "order") is not a match worth showing.
const RELATIVE_CUTOFF: f32 = 0.25;

/// The terms of a text (hashed), with repeats.
pub fn terms(text: &str) -> Vec<u32> {
    let norm = normalize(text);
    let mut out = Vec::new();
    for w in words(&norm) {
        out.push(hash32(b'w', &[w]));
        let padded: Vec<char> = std::iter::once(' ').chain(w.chars()).chain(std::iter::once(' ')).collect();
        if padded.len() > 3 {
            let mut buf = String::new();
            for win in padded.windows(3) {
                buf.clear();
                buf.extend(win);
                out.push(hash32(b't', &[&buf]));
            }
        }
    }
    out
}

#[derive(Debug, Clone, Default)]
pub struct Bm25 {
    /// term → (document, term frequency)
    postings: HashMap<u32, Vec<(u32, f32)>>,
    lengths: Vec<f32>,
    average_length: f32,
}

impl Bm25 {
    /// Indexes documents given as (question, answer).
    pub fn build<'a>(docs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Bm25 {
        let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        let mut lengths = Vec::new();
        for (d, (question, answer)) in docs.into_iter().enumerate() {
            let mut tf: HashMap<u32, f32> = HashMap::new();
            let mut length = 0.0;
            for (text, weight) in [(question, QUESTION_WEIGHT as f32), (answer, 1.0)] {
                for t in terms(text) {
                    *tf.entry(t).or_default() += weight;
                    length += weight;
                }
            }
            for (t, f) in tf {
                postings.entry(t).or_default().push((d as u32, f));
            }
            lengths.push(length);
        }
        let average_length = if lengths.is_empty() { 0.0 } else { lengths.iter().sum::<f32>() / lengths.len() as f32 };
        Bm25 { postings, lengths, average_length }
    }

    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// Documents matching `query` with their scores, best first (ties: earlier document
    /// first), those with `allowed(doc)` only, and none far below the best.
    pub fn search(&self, query: &str, allowed: impl Fn(usize) -> bool) -> Vec<(usize, f32)> {
        let n = self.lengths.len() as f32;
        let mut query_terms = terms(query);
        query_terms.sort_unstable();
        query_terms.dedup();
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for t in query_terms {
            let Some(list) = self.postings.get(&t) else { continue };
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(d, tf) in list {
                let length = self.lengths[d as usize];
                let norm = if self.average_length > 0.0 { length / self.average_length } else { 1.0 };
                *scores.entry(d).or_default() += idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * norm));
            }
        }
        let mut ranked: Vec<(usize, f32)> = scores.into_iter().map(|(d, s)| (d as usize, s)).filter(|&(d, s)| s > 0.0 && allowed(d)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let floor = ranked.first().map(|r| r.1 * RELATIVE_CUTOFF).unwrap_or(0.0);
        ranked.retain(|r| r.1 >= floor);
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Bm25 {
        Bm25::build([
            ("배송은 언제 오나요?", "결제 후 1~2일 안에 출발해 보통 2~3일 걸립니다."),
            ("환불은 언제 되나요?", "반품이 확인되면 3영업일 안에 환불됩니다."),
            ("How do I reset my password?", "Use 'Forgot password' on the login page."),
            ("Where is my parcel?", "Open the order and follow the tracking link for delivery updates."),
        ])
    }

    #[test]
    fn finds_korean_word_forms_and_english_stems() {
        let i = index();
        assert_eq!(i.search("배송이 언제 와요", |_| true)[0].0, 0);
        assert_eq!(i.search("환불", |_| true)[0].0, 1);
        assert_eq!(i.search("passwords", |_| true)[0].0, 2);
        assert_eq!(i.search("tracking my delivery", |_| true)[0].0, 3);
    }

    #[test]
    fn the_question_outweighs_the_answer_and_filters_apply() {
        let i = index();
        // "refund" is in the question of 1 only; "환불" also appears in no other answer
        let r = i.search("반품 환불", |_| true);
        assert_eq!(r[0].0, 1);
        assert!(i.search("배송", |d| d != 0).iter().all(|(d, _)| *d != 0));
        assert!(i.search("", |_| true).is_empty());
        assert!(i.search("😀 !!!", |_| true).is_empty());
        assert!(i.search("zzzz qqqq", |_| true).is_empty());
        assert!(i.search("zzqx qqvw", |_| true).is_empty());
        assert!(Bm25::build(std::iter::empty()).search("배송", |_| true).is_empty());
    }
}
