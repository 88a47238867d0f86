//! Multinomial logistic regression over dense vectors (sentence embeddings): the semantic head of
//! the FAQ matcher. Inputs are standardised per dimension with the training set's mean and
//! spread (e5 vectors share a large common direction: two unrelated questions have cosine ≈ 0.7),
//! then SGD with L2 and averaging over the second half of training.

use super::model::softmax_in_place;

#[derive(Debug, Clone, Copy)]
pub struct DenseOptions {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
}

/// At least this many SGD steps, so a small FAQ set is passed over often enough.
const MIN_STEPS: usize = 40_000;

impl DenseOptions {
    pub fn for_examples(examples: usize) -> DenseOptions {
        let d = DenseOptions::default();
        DenseOptions { epochs: (MIN_STEPS / examples.max(1)).clamp(d.epochs, 300), ..d }
    }
}

impl Default for DenseOptions {
    fn default() -> Self {
        DenseOptions { epochs: 20, learning_rate: 0.02, l2: 1e-3, seed: 0xe5 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DenseModel {
    classes: usize,
    dim: usize,
    mean: Vec<f32>,
    inv_std: Vec<f32>,
    /// class-major: w[c * dim + i]
    w: Vec<f32>,
    b: Vec<f32>,
}

impl DenseModel {
    /// `None` when there is nothing to learn from, the vectors differ in width, or a label is out
    /// of range.
    pub fn train(xs: &[&[f32]], labels: &[usize], classes: usize, opts: DenseOptions) -> Option<DenseModel> {
        let dim = xs.first()?.len();
        if dim == 0 || xs.len() != labels.len() || classes == 0 || xs.iter().any(|x| x.len() != dim) || labels.iter().any(|&l| l >= classes) {
            return None;
        }
        let n = xs.len() as f32;
        let mut mean = vec![0f32; dim];
        for x in xs {
            mean.iter_mut().zip(*x).for_each(|(m, v)| *m += v / n);
        }
        let mut var = vec![0f32; dim];
        for x in xs {
            var.iter_mut().zip(*x).zip(&mean).for_each(|((s, v), m)| *s += (v - m) * (v - m) / n);
        }
        // a floor keeps a dimension that never varies in training from exploding at query time
        let inv_std: Vec<f32> = var.iter().map(|v| 1.0 / (v.sqrt() + 1e-3)).collect();
        let mut model = DenseModel { classes, dim, mean, inv_std, w: vec![0.0; classes * dim], b: vec![0.0; classes] };
        let z: Vec<Vec<f32>> = xs.iter().map(|x| model.standardise(x)).collect();
        let mut order: Vec<usize> = (0..z.len()).collect();
        let mut rng = crate::domain::rng::SplitMix64(opts.seed);
        let total = (opts.epochs * z.len()).max(1) as f32;
        let average_from = opts.epochs / 2;
        let (mut sum_w, mut sum_b, mut snapshots) = (vec![0f32; model.w.len()], vec![0f32; classes], 0usize);
        let mut p = vec![0f32; classes];
        let mut step = 0usize;
        for epoch in 0..opts.epochs {
            for i in (1..order.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                order.swap(i, j);
            }
            for &i in &order {
                let lr = opts.learning_rate * (1.0 - step as f32 / total).max(0.02);
                step += 1;
                model.scores_into(&z[i], &mut p);
                softmax_in_place(&mut p);
                p[labels[i]] -= 1.0;
                let decay = 1.0 - lr * opts.l2;
                for (c, g) in p.iter().enumerate() {
                    let row = &mut model.w[c * dim..(c + 1) * dim];
                    let step = lr * g;
                    row.iter_mut().zip(&z[i]).for_each(|(w, x)| *w = *w * decay - step * x);
                    model.b[c] -= step;
                }
            }
            if epoch >= average_from {
                sum_w.iter_mut().zip(&model.w).for_each(|(s, w)| *s += w);
                sum_b.iter_mut().zip(&model.b).for_each(|(s, b)| *s += b);
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

    fn standardise(&self, x: &[f32]) -> Vec<f32> {
        x.iter().zip(&self.mean).zip(&self.inv_std).map(|((v, m), s)| (v - m) * s).collect()
    }

    fn scores_into(&self, z: &[f32], out: &mut [f32]) {
        for (c, o) in out.iter_mut().enumerate() {
            *o = self.b[c] + self.w[c * self.dim..(c + 1) * self.dim].iter().zip(z).map(|(w, x)| w * x).sum::<f32>();
        }
    }

    pub fn classes(&self) -> usize {
        self.classes
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// One probability per class; a vector of the wrong width gives the uniform distribution.
    pub fn probabilities(&self, x: &[f32]) -> Vec<f32> {
        if x.len() != self.dim {
            return vec![1.0 / self.classes as f32; self.classes];
        }
        let mut p = vec![0f32; self.classes];
        self.scores_into(&self.standardise(x), &mut p);
        softmax_in_place(&mut p);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_clusters_and_refuses_bad_input() {
        // three classes around three directions, with noise
        let mut rng = crate::domain::rng::SplitMix64(7);
        let mut noise = || (rng.below(1000) as f32 / 1000.0 - 0.5) * 0.6;
        let centre = |c: usize, i: usize| if i % 3 == c { 1.0 } else { 0.0 };
        let mut xs = Vec::new();
        let mut labels = Vec::new();
        for k in 0..60 {
            let c = k % 3;
            xs.push((0..6).map(|i| centre(c, i) + noise()).collect::<Vec<f32>>());
            labels.push(c);
        }
        let refs: Vec<&[f32]> = xs.iter().map(Vec::as_slice).collect();
        let m = DenseModel::train(&refs, &labels, 3, DenseOptions::for_examples(60)).expect("trains");
        for c in 0..3 {
            let x: Vec<f32> = (0..6).map(|i| centre(c, i)).collect();
            let p = m.probabilities(&x);
            assert!(p[c] > 0.9, "class {c}: {p:?}");
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
        assert_eq!(m.probabilities(&[1.0]), vec![1.0 / 3.0; 3]);
        assert!(DenseModel::train(&refs, &labels, 2, DenseOptions::default()).is_none());
        assert!(DenseModel::train(&[], &[], 3, DenseOptions::default()).is_none());
        assert!(DenseModel::train(&[&[1.0, 2.0][..], &[1.0][..]], &[0, 1], 2, DenseOptions::default()).is_none());
    }
}
