//! Multinomial logistic regression over the hashed TF-IDF features, trained by SGD.

use super::features::{Sparse, Vectorizer};

#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f32,
    /// L2 penalty, applied to the weights an example touches.
    pub l2: f32,
    pub seed: u64,
    /// Average the weights after each epoch of the second half of training (Polyak averaging
    /// over epochs): smooths out the last steps' noise.
    pub average: bool,
}

/// Small FAQ sets need more passes than large ones to converge: at least this many SGD steps.
const MIN_TRAINING_STEPS: usize = 20_000;
const MAX_EPOCHS: usize = 200;
/// Gradients smaller than this are skipped in the update (they would move a weight by less
/// than the learning rate times 1e-4).
const GRADIENT_FLOOR: f32 = 2e-3;

impl TrainOptions {
    /// The default settings with enough epochs for `examples` training examples.
    pub fn for_examples(examples: usize) -> TrainOptions {
        let d = TrainOptions::default();
        TrainOptions { epochs: (MIN_TRAINING_STEPS / examples.max(1)).clamp(d.epochs, MAX_EPOCHS), ..d }
    }
}

/// The lexical head of the blend trains to convergence: averaged over epochs and for at least
/// this many steps (80 epochs of BANKING77's 9,003 examples). Its probabilities are averaged with
/// the semantic head's, and a converged model's combine better: BANKING77 dev top-1 of the blend
/// 0.922 with the default 15 epochs, 0.930 with 40 averaged, 0.932 with 80 (the lexical model
/// alone 0.916 → 0.921).
const CONVERGED_STEPS: usize = 720_000;

impl TrainOptions {
    pub fn converged(examples: usize) -> TrainOptions {
        TrainOptions { epochs: (CONVERGED_STEPS / examples.max(1)).clamp(40, MAX_EPOCHS), average: true, ..TrainOptions::default() }
    }
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 15, learning_rate: 0.8, l2: 1e-6, seed: 0x5eed, average: false }
    }
}

/// One ranked class and its probability (the confidence in [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub class: usize,
    pub confidence: f32,
}

pub struct Model {
    classes: usize,
    vectorizer: Vectorizer,
    /// The feature buckets seen in training, sorted: row `r` of the weights belongs to
    /// `vocabulary[r]`. A feature never seen in training has no weights to learn, so the model
    /// needs memory for the training vocabulary only, not for the whole hashed space.
    vocabulary: Vec<u32>,
    /// Feature-major weights: w[row * classes + c].
    w: Vec<f32>,
    b: Vec<f32>,
}

/// Anything that turns a text into class probabilities: the full model on the server and the
/// pruned one the browser downloads rank the same way.
pub trait Scorer {
    fn classes(&self) -> usize;
    /// One probability per class, summing to one.
    fn probabilities(&self, text: &str) -> Vec<f32>;

    /// The `k` most likely classes for `text`, best first.
    fn rank(&self, text: &str, k: usize) -> Vec<Match> {
        let p = self.probabilities(text);
        let mut ranked: Vec<Match> = p.iter().enumerate().map(|(class, &confidence)| Match { class, confidence }).collect();
        ranked.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.class.cmp(&b.class)));
        ranked.truncate(k);
        ranked
    }
}

pub(super) fn softmax_in_place(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    if sum > 0.0 {
        for s in scores.iter_mut() {
            *s /= sum;
        }
    }
}

impl Model {
    /// Trains on `texts` with `labels` (class indices below `classes`). Returns `None` when
    /// there is nothing to learn from (no texts, or a label out of range).
    pub fn train(texts: &[&str], labels: &[usize], classes: usize, opts: TrainOptions) -> Option<Model> {
        if texts.is_empty() || texts.len() != labels.len() || classes == 0 || labels.iter().any(|&l| l >= classes) {
            return None;
        }
        let vectorizer = Vectorizer::fit(texts.iter().copied());
        let mut xs: Vec<Sparse> = texts.iter().map(|t| vectorizer.transform(t)).collect();
        let mut vocabulary: Vec<u32> = xs.iter().flat_map(|x| x.iter().map(|(f, _)| *f)).collect();
        vocabulary.sort_unstable();
        vocabulary.dedup();
        // from here on an example's features are rows of the weights
        for x in xs.iter_mut() {
            for (f, _) in x.iter_mut() {
                *f = vocabulary.binary_search(f).unwrap_or_default() as u32;
            }
        }
        let rows = vocabulary.len();
        let mut model = Model { classes, vectorizer, vocabulary, w: vec![0.0; rows * classes], b: vec![0.0; classes] };
        let mut order: Vec<usize> = (0..xs.len()).collect();
        let mut rng = crate::domain::rng::SplitMix64(opts.seed);
        let total = (opts.epochs * xs.len()).max(1) as f32;
        let mut step = 0usize;
        let mut p = vec![0.0f32; classes];
        let mut active: Vec<(usize, f32)> = Vec::with_capacity(classes);
        let average_from = opts.epochs / 2;
        let (mut sum_w, mut sum_b, mut snapshots) = (Vec::new(), Vec::new(), 0usize);
        for epoch in 0..opts.epochs {
            // Fisher–Yates
            for i in (1..order.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                order.swap(i, j);
            }
            for &i in &order {
                let lr = opts.learning_rate * (1.0 - step as f32 / total).max(0.05);
                step += 1;
                model.row_scores_into(&xs[i], &mut p);
                simd::softmax(&mut p);
                p[labels[i]] -= 1.0; // gradient of the cross-entropy w.r.t. the scores
                let decay = 1.0 - lr * opts.l2;
                // with many classes most gradients are negligible: update only the classes
                // that move (a dense update when most do, as early in training)
                active.clear();
                active.extend(p.iter().enumerate().filter(|(_, g)| g.abs() >= GRADIENT_FLOOR).map(|(c, g)| (c, *g)));
                if active.len() * 2 > classes {
                    for &(f, x) in &xs[i] {
                        let row = &mut model.w[f as usize * classes..(f as usize + 1) * classes];
                        simd::decay_sub_scaled(row, &p, decay, lr, x);
                    }
                } else {
                    for &(f, x) in &xs[i] {
                        let row = &mut model.w[f as usize * classes..(f as usize + 1) * classes];
                        for &(c, g) in &active {
                            row[c] = row[c] * decay - lr * g * x;
                        }
                    }
                }
                for (bc, g) in model.b.iter_mut().zip(&p) {
                    *bc -= lr * g;
                }
            }
            if opts.average && epoch >= average_from {
                if sum_w.is_empty() {
                    sum_w = vec![0.0f32; model.w.len()];
                    sum_b = vec![0.0f32; classes];
                }
                for (s, w) in sum_w.iter_mut().zip(&model.w) {
                    *s += w;
                }
                for (s, b) in sum_b.iter_mut().zip(&model.b) {
                    *s += b;
                }
                snapshots += 1;
            }
        }
        if snapshots > 0 {
            let inv = 1.0 / snapshots as f32;
            model.w = sum_w.into_iter().map(|s| s * inv).collect();
            model.b = sum_b.into_iter().map(|s| s * inv).collect();
        }
        Some(model)
    }

    /// Scores of an example whose features are already rows: four rows per pass over the
    /// scores (each score still adds its rows in order, so the sums are the same).
    fn row_scores_into(&self, x: &Sparse, out: &mut [f32]) {
        out.copy_from_slice(&self.b);
        let row = |r: u32| &self.w[r as usize * self.classes..(r as usize + 1) * self.classes];
        let mut quads = x.chunks_exact(4);
        for q in &mut quads {
            simd::add_scaled4(out, [row(q[0].0), row(q[1].0), row(q[2].0), row(q[3].0)], [q[0].1, q[1].1, q[2].1, q[3].1]);
        }
        for &(r, v) in quads.remainder() {
            simd::add_scaled(out, row(r), v);
        }
    }

    pub fn vectorizer(&self) -> &Vectorizer {
        &self.vectorizer
    }

    /// The training vocabulary (sorted feature buckets), one weight row each.
    pub fn vocabulary(&self) -> &[u32] {
        &self.vocabulary
    }

    /// The weights of row `r`, one per class.
    pub fn row(&self, r: usize) -> &[f32] {
        &self.w[r * self.classes..(r + 1) * self.classes]
    }

    pub fn biases(&self) -> &[f32] {
        &self.b
    }
}

impl Scorer for Model {
    fn classes(&self) -> usize {
        self.classes
    }

    fn probabilities(&self, text: &str) -> Vec<f32> {
        let mut p = self.b.clone();
        for (f, v) in self.vectorizer.transform(text) {
            if let Ok(r) = self.vocabulary.binary_search(&f) {
                for (o, w) in p.iter_mut().zip(self.row(r)) {
                    *o += w * v;
                }
            }
        }
        softmax_in_place(&mut p);
        p
    }
}

/// The two dense loops of training (a weight row against a score or gradient vector), compiled
/// a second time for AVX2 and chosen at run time on x86-64: twice the lanes of the baseline's
/// SSE2, with the same arithmetic per lane, so the results are identical. 1,000 classes make each
/// row 4 KB, and these loops are most of the training time.
mod simd {
    /// `out += row × v`
    pub fn add_scaled(out: &mut [f32], row: &[f32], v: f32) {
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            // SAFETY: the CPU has AVX2 (checked at run time just above)
            unsafe { add_scaled_avx2(out, row, v) };
            return;
        }
        add_scaled_plain(out, row, v);
    }

    /// `row = row × decay − lr × g × x`
    pub fn decay_sub_scaled(row: &mut [f32], g: &[f32], decay: f32, lr: f32, x: f32) {
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            // SAFETY: the CPU has AVX2 (checked at run time just above)
            unsafe { decay_sub_scaled_avx2(row, g, decay, lr, x) };
            return;
        }
        decay_sub_scaled_plain(row, g, decay, lr, x);
    }

    /// Softmax in place with a polynomial `exp` (Cephes' `expf`, within 2 ulp) that vectorises:
    /// with many classes, a scalar `exp` per class and step was a fifth of the training time.
    pub fn softmax(scores: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            // SAFETY: the CPU has AVX2 (checked at run time just above)
            unsafe { softmax_avx2(scores) };
            return;
        }
        softmax_plain(scores);
    }

    #[inline(always)]
    fn exp_poly(x: f32) -> f32 {
        const LOG2E: f32 = std::f32::consts::LOG2_E;
        const C1: f32 = 0.693_359_4;
        const C2: f32 = -2.121_944_4e-4;
        let x = x.clamp(-87.0, 88.0);
        let n = (x * LOG2E + 0.5).floor();
        let r = x - n * C1 - n * C2;
        let mut p = 1.987_569_1e-4;
        p = p * r + 1.398_199_9e-3;
        p = p * r + 8.333_452e-3;
        p = p * r + 4.166_579_6e-2;
        p = p * r + 1.666_666_5e-1;
        p = p * r + 5.000_000_1e-1;
        let e = p * r * r + r + 1.0;
        // 2^n through the exponent bits (n is within [-126, 127] after the clamp)
        e * f32::from_bits(((n as i32 + 127) as u32) << 23)
    }

    /// Lanes of the max and sum reductions: eight running values instead of one long chain.
    const LANES: usize = 8;

    #[inline(always)]
    fn softmax_plain(scores: &mut [f32]) {
        let mut maxes = [f32::NEG_INFINITY; LANES];
        for chunk in scores.chunks(LANES) {
            for (m, &s) in maxes.iter_mut().zip(chunk) {
                *m = m.max(s);
            }
        }
        let max = maxes.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sums = [0.0f32; LANES];
        for chunk in scores.chunks_mut(LANES) {
            for (acc, s) in sums.iter_mut().zip(chunk.iter_mut()) {
                *s = exp_poly(*s - max);
                *acc += *s;
            }
        }
        let sum: f32 = sums.iter().sum();
        if sum > 0.0 {
            let inv = 1.0 / sum;
            for s in scores.iter_mut() {
                *s *= inv;
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn softmax_avx2(scores: &mut [f32]) {
        softmax_plain(scores)
    }

    /// `out += r0 × v0 + r1 × v1 + r2 × v2 + r3 × v3`, added in that order.
    pub fn add_scaled4(out: &mut [f32], rows: [&[f32]; 4], v: [f32; 4]) {
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            // SAFETY: the CPU has AVX2 (checked at run time just above)
            unsafe { add_scaled4_avx2(out, rows, v) };
            return;
        }
        add_scaled4_plain(out, rows, v);
    }

    #[inline(always)]
    fn add_scaled4_plain(out: &mut [f32], rows: [&[f32]; 4], v: [f32; 4]) {
        let n = out.len();
        let (r0, r1, r2, r3) = (&rows[0][..n], &rows[1][..n], &rows[2][..n], &rows[3][..n]);
        for i in 0..n {
            out[i] = (((out[i] + r0[i] * v[0]) + r1[i] * v[1]) + r2[i] * v[2]) + r3[i] * v[3];
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_scaled4_avx2(out: &mut [f32], rows: [&[f32]; 4], v: [f32; 4]) {
        add_scaled4_plain(out, rows, v)
    }

    #[inline(always)]
    fn add_scaled_plain(out: &mut [f32], row: &[f32], v: f32) {
        for (o, w) in out.iter_mut().zip(row) {
            *o += w * v;
        }
    }

    #[inline(always)]
    fn decay_sub_scaled_plain(row: &mut [f32], g: &[f32], decay: f32, lr: f32, x: f32) {
        for (w, g) in row.iter_mut().zip(g) {
            *w = *w * decay - lr * g * x;
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn avx2() -> bool {
        use std::sync::atomic::{AtomicU8, Ordering};
        static HAS: AtomicU8 = AtomicU8::new(0);
        match HAS.load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let has = std::arch::is_x86_feature_detected!("avx2");
                HAS.store(if has { 1 } else { 2 }, Ordering::Relaxed);
                has
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_scaled_avx2(out: &mut [f32], row: &[f32], v: f32) {
        add_scaled_plain(out, row, v)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn decay_sub_scaled_avx2(row: &mut [f32], g: &[f32], decay: f32, lr: f32, x: f32) {
        decay_sub_scaled_plain(row, g, decay, lr, x)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn both_paths_compute_the_same() {
            let row: Vec<f32> = (0..1_003).map(|i| (i as f32 * 0.37).sin()).collect();
            let g: Vec<f32> = (0..1_003).map(|i| (i as f32 * 0.11).cos()).collect();
            let (mut a, mut b) = (g.clone(), g.clone());
            super::add_scaled(&mut a, &row, 0.3);
            super::add_scaled_plain(&mut b, &row, 0.3);
            assert_eq!(a, b);
            let (mut a, mut b) = (row.clone(), row.clone());
            super::decay_sub_scaled(&mut a, &g, 0.999, 0.8, 0.25);
            super::decay_sub_scaled_plain(&mut b, &g, 0.999, 0.8, 0.25);
            assert_eq!(a, b);
            let rows: Vec<Vec<f32>> = (0..4).map(|k| (0..1_003).map(|i| ((i * (k + 2)) as f32 * 0.013).sin()).collect()).collect();
            let (mut a, mut b) = (g.clone(), g.clone());
            super::add_scaled4(&mut a, [&rows[0], &rows[1], &rows[2], &rows[3]], [0.5, -0.25, 0.125, 2.0]);
            for (r, v) in rows.iter().zip([0.5, -0.25, 0.125, 2.0]) {
                super::add_scaled_plain(&mut b, r, v);
            }
            assert_eq!(a, b, "four rows at once add exactly like one at a time");
            let scores: Vec<f32> = (0..1_003).map(|i| (i as f32 * 0.07).sin() * 30.0).collect();
            let (mut a, mut b) = (scores.clone(), scores.clone());
            super::softmax(&mut a);
            super::softmax_plain(&mut b);
            assert_eq!(a, b);
        }

        #[test]
        fn the_polynomial_exp_is_within_a_few_ulp() {
            for i in -8_700..=8_800 {
                let x = i as f32 / 100.0;
                let (got, want) = (super::exp_poly(x), x.exp());
                assert!(((got - want) / want).abs() < 4e-7, "exp({x}) = {got}, want {want}");
            }
            assert!(super::exp_poly(-1e9) >= 0.0 && super::exp_poly(1e9).is_finite());
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Three classes in Korean and English (shared with the pruned model's tests).
    pub(crate) fn demo() -> Model {
        let data = [
            ("배송은 언제 오나요?", 0),
            ("주문한 상품 언제 와요", 0),
            ("배송 기간이 얼마나 걸리나요", 0),
            ("When will my order arrive?", 0),
            ("비밀번호를 잊어버렸어요", 1),
            ("비밀번호 재설정", 1),
            ("I forgot my password", 1),
            ("can't log in", 1),
            ("환불은 언제 되나요?", 2),
            ("환불 기간", 2),
            ("When will I get my refund?", 2),
            ("refund not received", 2),
        ];
        let texts: Vec<&str> = data.iter().map(|d| d.0).collect();
        let labels: Vec<usize> = data.iter().map(|d| d.1).collect();
        Model::train(&texts, &labels, 3, TrainOptions { epochs: 30, ..Default::default() }).expect("trains")
    }

    #[test]
    fn ranks_paraphrases_in_both_languages() {
        let m = demo();
        for (q, expected) in [
            ("배송이 언제 도착하나요", 0),
            ("my order hasn't arrived yet, when will it come", 0),
            ("비밀번호가 기억이 안 나요", 1),
            ("how do I reset my password", 1),
            ("환불 언제 들어와요", 2),
            ("still waiting for my refund", 2),
        ] {
            let top = m.rank(q, 3);
            assert_eq!(top[0].class, expected, "{q}: {top:?}");
            assert!(top[0].confidence >= top[1].confidence);
        }
    }

    #[test]
    fn confidences_are_probabilities() {
        let m = demo();
        let all = m.rank("배송", 3);
        let sum: f32 = all.iter().map(|m| m.confidence).sum();
        assert!((sum - 1.0).abs() < 1e-4);
        assert!(all.iter().all(|m| (0.0..=1.0).contains(&m.confidence)));
        // no words at all: nothing to go on, so no class is confident
        let empty = m.rank("", 1);
        assert!(empty[0].confidence < 0.6, "{empty:?}");
    }

    #[test]
    fn refuses_to_train_on_nothing_or_bad_labels() {
        assert!(Model::train(&[], &[], 3, TrainOptions::default()).is_none());
        assert!(Model::train(&["a"], &[5], 3, TrainOptions::default()).is_none());
        assert!(Model::train(&["a"], &[0, 1], 3, TrainOptions::default()).is_none());
    }
}
