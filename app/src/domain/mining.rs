//! Question mining (issue 20): the questions customers keep asking that no template answers,
//! found by grouping inquiries by meaning, and what a template for each would add. Pure logic:
//! the grouping, the draft a group becomes, and the 20:80 curve.

use super::similar::{similarity, Quantised};

/// How inquiries are grouped (`cybercenter eval-mining` measures the choices on labelled
/// paraphrases). e5's embeddings all point much the same way (unrelated questions in one domain
/// sit at cosine 0.80–0.88), so a plain cosine threshold either merges neighbouring questions or
/// splits one question into many: at the best threshold the demo paraphrases' groups were 0.70
/// pure. Two inquiries here belong together when, after taking away the common direction, they
/// share most of their nearest neighbours (shared-nearest-neighbour grouping: robust where some
/// questions are asked in many ways and others in few) and are still reasonably close.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// nearest neighbours each inquiry keeps (itself not counted)
    pub neighbours: usize,
    /// how many of the two lists (each with the inquiry itself: `neighbours + 1`) must be shared
    pub shared: usize,
    /// the least cosine, common direction removed, between two inquiries of one group
    pub floor: f32,
    /// the fewest inquiries a group needs to be proposed: a question asked twice is not yet a pattern
    pub min_size: usize,
}

/// The settings in use: 5 of 8 shared, floor 0.45 (demo paraphrases 0.87 pure, BANKING77 0.80).
pub const PARAMS: Params = Params { neighbours: 7, shared: 5, floor: 0.45, min_size: 3 };
/// The fewest inquiries a group needs to be proposed.
pub const MIN_SIZE: usize = PARAMS.min_size;
/// The phrasings a draft takes from its group at most (the most typical first).
pub const DRAFT_PHRASINGS: usize = 20;

/// A group of inquiries asking the same thing: indices into the input, the centre (the member
/// with the most neighbours when it was formed) first, the rest from the most similar to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub members: Vec<usize>,
    /// each member's cosine to the centre (common direction removed), in the order of `members`
    pub closeness: Vec<f32>,
}

/// The mean of `vectors` (of the length of the first): the direction they share.
pub fn mean(vectors: &[&Quantised]) -> Vec<f32> {
    let dim = vectors.first().map_or(0, |v| v.vector.len());
    let mut sum = vec![0f64; dim];
    let mut n = 0usize;
    for v in vectors.iter().filter(|v| v.vector.len() == dim && v.scale > 0.0) {
        for (s, x) in sum.iter_mut().zip(&v.vector) {
            *s += f64::from(*x) * f64::from(v.scale);
        }
        n += 1;
    }
    sum.into_iter().map(|s| (s / n.max(1) as f64) as f32).collect()
}

/// `v` with `mean` taken away, as a unit vector, quantised (None when nothing is left or the
/// lengths differ).
pub fn centred(v: &Quantised, mean: &[f32]) -> Option<Quantised> {
    if v.vector.len() != mean.len() || v.scale <= 0.0 {
        return None;
    }
    let c: Vec<f32> = v.vector.iter().zip(mean).map(|(x, m)| f32::from(*x) * v.scale - m).collect();
    let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt();
    (norm > 1e-6).then(|| super::similar::quantise(&c.iter().map(|x| x / norm).collect::<Vec<_>>()))
}

/// Groups `vectors` by meaning (see [`Params`]); `mean` is the common direction of the space
/// (the mean of many inquiries' embeddings). The inquiry with the most partners becomes a centre
/// and takes its partners not yet taken, then the next, as long as a centre still has
/// `min_size` members. Largest first. Time: n²/2 dot products for the neighbour lists, then
/// about n·k² steps; memory O(n·k). Vectors of another length, or empty, are never grouped.
pub fn group(vectors: &[&Quantised], mean: &[f32], p: Params) -> Vec<Group> {
    let n = vectors.len();
    let c: Vec<Option<Quantised>> = vectors.iter().map(|v| centred(v, mean)).collect();
    let k = p.neighbours.max(1);
    // each inquiry's k nearest, best first
    let mut near: Vec<Vec<(usize, f32)>> = vec![Vec::with_capacity(k + 1); n];
    let keep = |list: &mut Vec<(usize, f32)>, j: usize, s: f32| {
        if list.len() == k && list.last().is_some_and(|l| s <= l.1) {
            return;
        }
        let at = list.partition_point(|b| b.1 >= s);
        list.insert(at, (j, s));
        list.truncate(k);
    };
    for i in 0..n {
        let Some(a) = &c[i] else { continue };
        for j in i + 1..n {
            let Some(b) = &c[j] else { continue };
            let s = similarity(a, b);
            keep(&mut near[i], j, s);
            keep(&mut near[j], i, s);
        }
    }
    // each list with the inquiry itself, and who lists whom
    let lists: Vec<Vec<usize>> = (0..n).map(|i| std::iter::once(i).chain(near[i].iter().map(|x| x.0)).collect()).collect();
    let mut listed_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, l) in lists.iter().enumerate() {
        if c[i].is_some() {
            for x in l {
                listed_by[*x].push(i);
            }
        }
    }
    // partners: the inquiries sharing enough of the list, and close enough
    let mut count = vec![0usize; n];
    let partners: Vec<Vec<(usize, f32)>> = (0..n)
        .map(|i| {
            let Some(a) = &c[i] else { return Vec::new() };
            let mut touched = Vec::new();
            for x in &lists[i] {
                for j in &listed_by[*x] {
                    if count[*j] == 0 {
                        touched.push(*j);
                    }
                    count[*j] += 1;
                }
            }
            let mut out = Vec::new();
            for j in touched {
                if j != i && count[j] >= p.shared {
                    if let Some(b) = &c[j] {
                        let s = similarity(a, b);
                        if s >= p.floor {
                            out.push((j, s));
                        }
                    }
                }
                count[j] = 0;
            }
            out
        })
        .collect();
    let min = p.min_size.max(1);
    let mut order: Vec<usize> = (0..n).filter(|i| partners[*i].len() + 1 >= min).collect();
    // most partners first; among equals the earlier input (stable)
    order.sort_by(|a, b| partners[*b].len().cmp(&partners[*a].len()).then(a.cmp(b)));
    let mut taken = vec![false; n];
    let mut groups = Vec::new();
    for centre in order {
        if taken[centre] {
            continue;
        }
        let mut members: Vec<(usize, f32)> = std::iter::once((centre, f32::INFINITY)).chain(partners[centre].iter().copied().filter(|(j, _)| !taken[*j])).collect();
        if members.len() < min {
            continue;
        }
        members.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (j, _) in &members {
            taken[*j] = true;
        }
        groups.push(Group {
            // the centre (infinite, to sort first) and quantised cosines just over 1 as 1
            closeness: members.iter().map(|m| m.1.min(1.0)).collect(),
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

    /// Points around `centres` (unit vectors in 8 dimensions), a little apart from each other.
    fn cloud(centres: &[usize], per: usize) -> Vec<Quantised> {
        let mut out = Vec::new();
        for (g, c) in centres.iter().enumerate() {
            for m in 0..per {
                let mut v = vec![0.05f32; 8];
                v[*c] = 1.0;
                // a small, different wobble per member
                v[(c + 1 + m) % 8] += 0.12 * (m as f32 + 1.0) / per as f32;
                v[(g + 3) % 8] += 0.03;
                out.push(unit(&v));
            }
        }
        out
    }

    #[test]
    fn groups_gather_each_question_largest_first() {
        let mut v = cloud(&[0, 1, 2], 5);
        v.truncate(13); // the third question asked three times
        v.push(quantise(&[0.0; 8])); // empty: never grouped
        v.push(unit(&[1.0, 0.0])); // another length: never grouped
        let refs: Vec<&Quantised> = v.iter().collect();
        let m = mean(&refs);
        let p = Params { neighbours: 3, shared: 3, floor: 0.3, min_size: 3 };
        let groups = group(&refs, &m, p);
        let sets: Vec<Vec<usize>> = groups
            .iter()
            .map(|g| {
                let mut s = g.members.clone();
                s.sort();
                s
            })
            .collect();
        assert_eq!(sets, vec![vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9], vec![10, 11, 12]], "{groups:?}");
        assert_eq!(groups[0].closeness[0], 1.0, "the centre comes first");
        assert!(groups.iter().all(|g| g.closeness.windows(2).all(|w| w[0] >= w[1])));
        // a larger minimum drops the small question; a floor above every pair groups nothing
        assert_eq!(group(&refs, &m, Params { min_size: 4, ..p }).len(), 2);
        assert!(group(&refs, &m, Params { floor: 0.9999, ..p }).is_empty());
        assert!(group(&[], &[], p).is_empty());
    }

    #[test]
    fn a_member_is_taken_once() {
        let v = cloud(&[0, 1, 2, 3, 4], 4);
        let refs: Vec<&Quantised> = v.iter().collect();
        let groups = group(&refs, &mean(&refs), PARAMS);
        let mut all: Vec<usize> = groups.iter().flat_map(|g| g.members.clone()).collect();
        let before = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), before, "no inquiry in two groups");
        for g in &groups {
            let question = g.members[0] / 4;
            assert!(g.members.iter().all(|m| m / 4 == question), "one question a group: {g:?}");
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
