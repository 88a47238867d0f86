//! Nearest inquiries by meaning: embeddings kept as one signed byte a dimension (a quarter of
//! the memory of `f32`, ranking all but unchanged for unit vectors), and the search over them.

/// A past inquiry like the one open, with the answer that resolved it, as the workspace shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimilarPast {
    pub id: i64,
    pub subject: String,
    pub question: String,
    pub answer: String,
    pub resolved_at: Option<i64>,
    /// cosine of the two questions' embeddings
    pub similarity: f32,
}

/// An inquiry found by the meaning of a question an agent typed into the customer search.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuestionHit {
    pub inquiry_id: i64,
    pub subject: String,
    pub status: crate::model::InquiryStatus,
    pub created_at: i64,
    pub customer_no: String,
    pub customer_name: String,
    pub similarity: f32,
}

/// Whether a search reads as a question to look up by meaning rather than an identifier: four
/// characters or more, no email address, and not one word with digits (a customer, order or
/// phone number).
pub fn looks_like_question(q: &str) -> bool {
    let q = q.trim();
    q.chars().count() >= 4 && !q.contains('@') && !(!q.contains(char::is_whitespace) && q.chars().any(|c| c.is_ascii_digit()))
}

/// An embedding quantised: `vector[i] as f32 * scale` ≈ the original.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantised {
    pub scale: f32,
    pub vector: Vec<i8>,
}

/// Quantises `v` to the range −127..=127 by its largest component (an all-zero vector, or one
/// with a component that is not a number, becomes zero: similar to nothing).
pub fn quantise(v: &[f32]) -> Quantised {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    if max == 0.0 || v.iter().any(|x| !x.is_finite()) {
        return Quantised { scale: 0.0, vector: vec![0; v.len()] };
    }
    let scale = max / 127.0;
    Quantised { scale, vector: v.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect() }
}

/// The dot product of two quantised vectors (their cosine when both came from unit vectors).
pub fn similarity(a: &Quantised, b: &Quantised) -> f32 {
    dot(&a.vector, &b.vector) as f32 * a.scale * b.scale
}

/// Whole-number dot product (vectorised by the compiler: sixteen bytes at a time).
fn dot(a: &[i8], b: &[i8]) -> i32 {
    a.iter().zip(b).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum()
}

/// The `k` entries most similar to `query`, best first, skipping `skip` (the inquiry itself)
/// and those below `floor`.
pub fn nearest<'a>(query: &Quantised, entries: impl IntoIterator<Item = &'a (i64, Quantised)>, k: usize, floor: f32, skip: Option<i64>) -> Vec<(i64, f32)> {
    let mut best: Vec<(i64, f32)> = Vec::with_capacity(k + 1);
    for (id, e) in entries {
        if Some(*id) == skip || e.vector.len() != query.vector.len() {
            continue;
        }
        let s = similarity(query, e);
        if s < floor || (best.len() == k && best.last().is_some_and(|l| s <= l.1)) {
            continue;
        }
        let at = best.partition_point(|b| b.1 >= s);
        best.insert(at, (*id, s));
        best.truncate(k);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn questions_are_told_from_identifiers() {
        for q in ["배송 언제 와요", "배송언제와요", "how do I get a refund", "환불해주세요?"] {
            assert!(looks_like_question(q), "{q}");
        }
        for q in ["C0000011", "customer2@example.com", "010-2345-6789", "20260600-006000", "김민준", "a b", "  "] {
            assert!(!looks_like_question(q), "{q}");
        }
    }

    #[test]
    fn quantising_keeps_the_cosine() {
        let a = unit(&(0..384).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect::<Vec<_>>());
        let b = unit(&(0..384).map(|i| ((i * 53 % 97) as f32 - 48.0) / 48.0 + 0.3).collect::<Vec<_>>());
        let exact: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        let q = similarity(&quantise(&a), &quantise(&b));
        assert!((exact - q).abs() < 0.01, "{exact} vs {q}");
        assert!((similarity(&quantise(&a), &quantise(&a)) - 1.0).abs() < 0.01);
    }

    #[test]
    fn zero_and_broken_vectors_quantise_to_zero() {
        assert_eq!(quantise(&[0.0, 0.0]), Quantised { scale: 0.0, vector: vec![0, 0] });
        assert_eq!(quantise(&[f32::NAN, 1.0]).scale, 0.0);
        assert_eq!(quantise(&[0.5, -1.0]).vector, vec![64, -127]);
    }

    #[test]
    fn nearest_ranks_best_first_skips_itself_and_the_dissimilar() {
        let q = |v: &[f32]| quantise(&unit(v));
        let entries = vec![
            (1, q(&[1.0, 0.0, 0.0])),
            (2, q(&[0.9, 0.1, 0.0])),
            (3, q(&[0.0, 1.0, 0.0])),
            (4, q(&[0.7, 0.7, 0.0])),
            (5, q(&[1.0, 0.0])), // another model's length: never compared
        ];
        let found = nearest(&q(&[1.0, 0.0, 0.0]), &entries, 2, 0.5, Some(1));
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), vec![2, 4]);
        assert!(found[0].1 > found[1].1);
        let all = nearest(&q(&[1.0, 0.0, 0.0]), &entries, 10, 0.5, None);
        assert_eq!(all.iter().map(|f| f.0).collect::<Vec<_>>(), vec![1, 2, 4], "3 is below the floor");
        assert!(nearest(&q(&[1.0, 0.0, 0.0]), &entries, 0, 0.0, None).is_empty());
    }
}
