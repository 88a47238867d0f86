//! Question mining (issue 20): the questions customers keep asking that no template answers,
//! found by grouping inquiries by meaning, and what a template for each would add. Pure logic:
//! the grouping, the draft a group becomes, and the 20:80 curve.

use super::similar::{similarity, Quantised};

/// How similar an inquiry must be to a group's centre to belong to it. Chosen on the labelled
/// paraphrases (`cybercenter eval-mining`): at 0.90 the groups of the demo paraphrases are
/// 0.97 pure, lower lets neighbouring questions ("when will my refund come" and "how do I
/// return") merge, higher splits one question into several groups.
pub const THRESHOLD: f32 = 0.90;
/// The fewest inquiries a group needs to be proposed: a question asked twice is not yet a
/// pattern.
pub const MIN_SIZE: usize = 3;
/// The phrasings a draft takes from its group at most (the most typical first).
pub const DRAFT_PHRASINGS: usize = 20;

/// A group of inquiries asking the same thing: indices into the input, the centre (the member
/// with the most neighbours when it was formed) first, the rest from the most similar to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub members: Vec<usize>,
    /// each member's similarity to the centre, in the order of `members`
    pub closeness: Vec<f32>,
}

/// Groups `vectors` by meaning: the point with the most neighbours at or above `threshold`
/// becomes a centre and takes those neighbours not yet taken, then the next, as long as a centre
/// still has `min_size` members (centre included). Every member is within `threshold` of its
/// centre, so a group never drifts from its question the way chained (single-link) groups do.
/// Largest first; time O(n²) dot products, memory O(n). Vectors of another length are skipped.
pub fn group(vectors: &[&Quantised], threshold: f32, min_size: usize) -> Vec<Group> {
    let n = vectors.len();
    let dim = vectors.first().map_or(0, |v| v.vector.len());
    let usable: Vec<bool> = vectors.iter().map(|v| v.vector.len() == dim && v.scale > 0.0).collect();
    let mut neighbours = vec![0u32; n];
    for i in 0..n {
        if !usable[i] {
            continue;
        }
        neighbours[i] += 1;
        for j in i + 1..n {
            if usable[j] && similarity(vectors[i], vectors[j]) >= threshold {
                neighbours[i] += 1;
                neighbours[j] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|i| usable[*i] && neighbours[*i] as usize >= min_size.max(1)).collect();
    // most neighbours first; among equals the earlier input (stable)
    order.sort_by(|a, b| neighbours[*b].cmp(&neighbours[*a]).then(a.cmp(b)));
    let mut taken = vec![false; n];
    let mut groups = Vec::new();
    for centre in order {
        if taken[centre] {
            continue;
        }
        let mut members: Vec<(usize, f32)> = (0..n)
            .filter(|j| usable[*j] && !taken[*j])
            .filter_map(|j| {
                let s = if j == centre { f32::INFINITY } else { similarity(vectors[centre], vectors[j]) };
                (s >= threshold).then_some((j, s))
            })
            .collect();
        if members.len() < min_size.max(1) {
            continue;
        }
        members.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (j, _) in &members {
            taken[*j] = true;
        }
        groups.push(Group {
            closeness: members.iter().map(|m| if m.1.is_finite() { m.1 } else { 1.0 }).collect(),
            members: members.into_iter().map(|m| m.0).collect(),
        });
    }
    groups.sort_by(|a, b| b.members.len().cmp(&a.members.len()));
    groups
}

/// The language of a customer's text as templates name it: Korean when it has Hangul.
pub fn language_of(text: &str) -> &'static str {
    if text.chars().any(|c| ('가'..='힣').contains(&c) || ('ᄀ'..='ᇿ').contains(&c) || ('ㄱ'..='ㆎ').contains(&c)) {
        "ko"
    } else {
        "en"
    }
}

/// The value most of `items` have (the first seen among equals), or `None` for no items.
pub fn most_common<T: PartialEq + Clone>(items: impl IntoIterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(v, _)| *v == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    // the first of the largest: max_by_key keeps the last of equals, so walk in reverse
    counts.into_iter().rev().max_by_key(|(_, n)| *n).map(|(v, _)| v)
}

/// Phrasings for a draft from its group's texts, most typical first: trimmed, without blanks,
/// repeats (ignoring case and spacing) or the question itself, each within `max_chars`, at most
/// `limit`.
pub fn draft_phrasings<'a>(question: &str, texts: impl IntoIterator<Item = &'a str>, max_chars: usize, limit: usize) -> Vec<String> {
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut seen = vec![key(question)];
    let mut out = Vec::new();
    for t in texts {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() || t.chars().count() > max_chars || seen.contains(&key(&t)) {
            continue;
        }
        seen.push(key(&t));
        out.push(t);
        if out.len() == limit {
            break;
        }
    }
    out
}

/// The 20:80 curve of a set of questions, each with how many inquiries asked it: the share of
/// all inquiries that the most frequent questions account for, at each count of questions.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pareto {
    /// distinct questions (the sizes counted)
    pub questions: usize,
    pub inquiries: i64,
    /// share of inquiries asked by the most frequent fifth of the questions (0..=1)
    pub top_fifth: f64,
    /// (share of questions, share of inquiries) from the most frequent question on, ending at (1, 1)
    pub curve: Vec<(f64, f64)>,
}

/// The curve for `sizes` (in any order; zeros are dropped), at most `points` points.
pub fn pareto(sizes: &[i64], points: usize) -> Pareto {
    let mut s: Vec<i64> = sizes.iter().copied().filter(|n| *n > 0).collect();
    s.sort_unstable_by(|a, b| b.cmp(a));
    let total: i64 = s.iter().sum();
    let q = s.len();
    if q == 0 || total == 0 {
        return Pareto { questions: 0, inquiries: 0, top_fifth: 0.0, curve: Vec::new() };
    }
    let mut cumulative = Vec::with_capacity(q);
    let mut sum = 0;
    for n in &s {
        sum += n;
        cumulative.push(sum);
    }
    // the top fifth, rounding the number of questions up (one question of three is "the top fifth")
    let fifth = q.div_ceil(5);
    let top_fifth = cumulative[fifth - 1] as f64 / total as f64;
    let points = points.max(2);
    let step = q.div_ceil(points).max(1);
    let mut curve: Vec<(f64, f64)> = (0..q).filter(|k| k % step == 0 || *k == q - 1).map(|k| ((k + 1) as f64 / q as f64, cumulative[k] as f64 / total as f64)).collect();
    curve.insert(0, (0.0, 0.0));
    Pareto { questions: q, inquiries: total, top_fifth, curve }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::similar::quantise;

    fn unit(v: &[f32]) -> Quantised {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        quantise(&v.iter().map(|x| x / n).collect::<Vec<_>>())
    }

    #[test]
    fn groups_gather_near_points_around_the_densest_largest_first() {
        let v = [
            unit(&[1.0, 0.0, 0.0]),   // 0: A
            unit(&[0.0, 1.0, 0.0]),   // 1: B
            unit(&[0.98, 0.05, 0.0]), // 2: A
            unit(&[0.0, 0.99, 0.1]),  // 3: B
            unit(&[0.97, 0.0, 0.1]),  // 4: A
            unit(&[0.0, 0.0, 1.0]),   // 5: alone
            unit(&[0.99, 0.02, 0.03]), // 6: A
            unit(&[0.05, 0.97, 0.0]), // 7: B
            quantise(&[0.0, 0.0, 0.0]), // 8: empty, never grouped
            unit(&[1.0, 0.0]),        // 9: another length, never grouped
        ];
        let refs: Vec<&Quantised> = v.iter().collect();
        let groups = group(&refs, 0.95, 3);
        assert_eq!(groups.len(), 2);
        let mut a = groups[0].members.clone();
        a.sort();
        assert_eq!(a, vec![0, 2, 4, 6]);
        let mut b = groups[1].members.clone();
        b.sort();
        assert_eq!(b, vec![1, 3, 7]);
        assert_eq!(groups[0].closeness[0], 1.0, "the centre comes first");
        assert!(groups[0].closeness.windows(2).all(|w| w[0] >= w[1]));
        // a larger minimum drops B; a higher threshold splits everything into nothing
        assert_eq!(group(&refs, 0.95, 4).len(), 1);
        assert!(group(&refs, 0.9999, 2).is_empty());
        assert!(group(&[], 0.9, 3).is_empty());
    }

    #[test]
    fn a_member_is_taken_once_and_stays_near_its_centre() {
        // a chain: each near the next, the ends far apart
        let v: Vec<Quantised> = (0..6).map(|k| unit(&[(k as f32 * 0.25).cos(), (k as f32 * 0.25).sin()])).collect();
        let refs: Vec<&Quantised> = v.iter().collect();
        let groups = group(&refs, 0.95, 2);
        let mut all: Vec<usize> = groups.iter().flat_map(|g| g.members.clone()).collect();
        let before = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), before, "no inquiry in two groups");
        for g in &groups {
            for m in &g.members {
                assert!(similarity(refs[g.members[0]], refs[*m]) >= 0.95);
            }
        }
    }

    #[test]
    fn languages_by_script() {
        assert_eq!(language_of("배송 언제 와요"), "ko");
        assert_eq!(language_of("ㅠㅠ when"), "ko");
        assert_eq!(language_of("When will it come?"), "en");
        assert_eq!(language_of(""), "en");
    }

    #[test]
    fn the_most_common_value_first_seen_among_equals() {
        assert_eq!(most_common(["a", "b", "b", "a", "c"]), Some("a"));
        assert_eq!(most_common(["a", "b", "b"]), Some("b"));
        assert_eq!(most_common(Vec::<&str>::new()), None);
    }

    #[test]
    fn phrasings_skip_blanks_repeats_the_question_and_long_ones() {
        let p = draft_phrasings("Do you ship abroad?", ["do you  ship ABROAD?", " ", "ship to Japan?", "Ship to japan?", &"x".repeat(15), "gift wrap", "more"], 14, 2);
        assert_eq!(p, ["ship to Japan?", "gift wrap"]);
    }

    #[test]
    fn pareto_measures_the_share_of_the_top_fifth() {
        // 10 questions: two asked 40 times, eight once each
        let mut sizes = vec![1; 8];
        sizes.extend([40, 40]);
        let p = pareto(&sizes, 100);
        assert_eq!((p.questions, p.inquiries), (10, 88));
        assert!((p.top_fifth - 80.0 / 88.0).abs() < 1e-9);
        assert_eq!(p.curve.first(), Some(&(0.0, 0.0)));
        assert_eq!(p.curve.last(), Some(&(1.0, 1.0)));
        assert!(p.curve.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        // few points for many questions, still ending at (1, 1)
        let many = pareto(&vec![3; 1000], 10);
        assert!(many.curve.len() <= 12);
        assert_eq!(many.curve.last(), Some(&(1.0, 1.0)));
        assert!((many.top_fifth - 0.2).abs() < 1e-9);
        assert_eq!(pareto(&[0, 0], 10).questions, 0);
    }
}
