//! Calibrated confidence: the raw model score mapped to "how often an answer with this score was
//! right on examples the model had not seen". Fitted by isotonic regression (pool adjacent
//! violators) on held-out (score, right?) pairs, so the map only ever rises with the score.

/// A non-decreasing step map from raw score to precision, interpolated linearly between the
/// centres of the fitted blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// (raw score at the block centre, precision of the block), sorted by score.
    points: Vec<(f32, f32)>,
}

impl Calibration {
    /// The identity map: used when there is nothing held out to fit on.
    pub fn identity() -> Calibration {
        Calibration { points: vec![(0.0, 0.0), (1.0, 1.0)] }
    }

    /// Fits the map on held-out pairs. Fewer than two pairs give the identity.
    pub fn fit(pairs: &[(f32, bool)]) -> Calibration {
        if pairs.len() < 2 {
            return Calibration::identity();
        }
        let mut sorted: Vec<(f32, bool)> = pairs.iter().copied().filter(|(s, _)| s.is_finite()).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        // blocks of (sum of scores, sum of right answers, count); merged while they would fall
        let mut blocks: Vec<(f64, f64, f64)> = Vec::with_capacity(sorted.len());
        for (s, ok) in sorted {
            blocks.push((s as f64, ok as u8 as f64, 1.0));
            while blocks.len() >= 2 {
                let n = blocks.len();
                let (a, b) = (blocks[n - 2], blocks[n - 1]);
                if a.1 / a.2 < b.1 / b.2 {
                    break;
                }
                blocks.truncate(n - 2);
                blocks.push((a.0 + b.0, a.1 + b.1, a.2 + b.2));
            }
        }
        if blocks.is_empty() {
            return Calibration::identity();
        }
        let points = blocks.iter().map(|(s, r, n)| ((s / n) as f32, (r / n) as f32)).collect();
        Calibration { points }
    }

    /// The fitted (raw score, precision) points, sorted by score.
    pub fn points(&self) -> &[(f32, f32)] {
        &self.points
    }

    /// A map from stored points: `None` unless they are finite, sorted by score, with the
    /// precision in [0, 1] and never falling.
    pub fn from_points(points: Vec<(f32, f32)>) -> Option<Calibration> {
        let valid = !points.is_empty()
            && points.iter().all(|(x, y)| x.is_finite() && (0.0..=1.0).contains(y))
            && points.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1);
        valid.then_some(Calibration { points })
    }

    /// The calibrated confidence of a raw score, in [0, 1].
    pub fn apply(&self, raw: f32) -> f32 {
        let p = &self.points;
        let Some(first) = p.first() else { return raw.clamp(0.0, 1.0) };
        if !raw.is_finite() || raw <= first.0 {
            return first.1;
        }
        for w in p.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            if raw <= x1 {
                let t = if x1 > x0 { (raw - x0) / (x1 - x0) } else { 1.0 };
                return (y0 + t * (y1 - y0)).clamp(0.0, 1.0);
            }
        }
        p[p.len() - 1].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_map_never_falls_and_stays_in_range() {
        // noisy data: wrong answers scattered among high scores
        let pairs: Vec<(f32, bool)> = (0..200).map(|i| (i as f32 / 200.0, (i * 7919) % 10 < i / 20)).collect();
        let c = Calibration::fit(&pairs);
        let mut last = -1.0;
        for i in 0..=100 {
            let y = c.apply(i as f32 / 100.0);
            assert!((0.0..=1.0).contains(&y));
            assert!(y >= last, "falls at {i}: {y} < {last}");
            last = y;
        }
        assert!(c.apply(0.0) < 0.2 && c.apply(1.0) > 0.8, "{c:?}");
    }

    #[test]
    fn perfect_separation_maps_to_zero_and_one() {
        let c = Calibration::fit(&[(0.1, false), (0.2, false), (0.8, true), (0.9, true)]);
        assert_eq!(c.apply(0.05), 0.0);
        assert_eq!(c.apply(0.95), 1.0);
        assert!(c.apply(0.5) > 0.0 && c.apply(0.5) < 1.0);
    }

    #[test]
    fn too_little_data_is_the_identity() {
        assert_eq!(Calibration::fit(&[]), Calibration::identity());
        assert_eq!(Calibration::fit(&[(0.3, true)]).apply(0.3), 0.3);
        assert_eq!(Calibration::identity().apply(f32::NAN), 0.0);
    }
}
