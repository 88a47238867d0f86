//! The BERT encoder of multilingual-e5-small (post-LayerNorm, erf GELU, 12 heads) over a batch of
//! windows laid end to end: the matrix products run once over every token of the batch, attention
//! stays inside each window.

use crate::file::{Config, DType, LoadError, ModelFile, Q4_BLOCK_BYTES, Q4_BLOCK as QK};
use crate::quant::{dequantise_row, matmul, Q4Matrix, Q8Rows};

struct Layer {
    q: Q4Matrix,
    q_b: Vec<f32>,
    k: Q4Matrix,
    k_b: Vec<f32>,
    v: Q4Matrix,
    v_b: Vec<f32>,
    attn_out: Q4Matrix,
    attn_out_b: Vec<f32>,
    attn_norm: (Vec<f32>, Vec<f32>),
    ff_in: Q4Matrix,
    ff_in_b: Vec<f32>,
    ff_out: Q4Matrix,
    ff_out_b: Vec<f32>,
    out_norm: (Vec<f32>, Vec<f32>),
}

pub struct Weights {
    pub config: Config,
    word: Vec<u8>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embed_norm: (Vec<f32>, Vec<f32>),
    layers: Vec<Layer>,
}

impl Weights {
    pub fn from_file(f: &ModelFile) -> Result<Weights, LoadError> {
        let c = f.config;
        let (h, ff) = (c.hidden, c.intermediate);
        let q4 = |name: &str, rows: usize, cols: usize| -> Result<Q4Matrix, LoadError> {
            let t = f.tensor(name, DType::Q4, rows * cols)?;
            Ok(Q4Matrix::from_blocks(t.bytes, rows, cols))
        };
        let norm = |prefix: &str| -> Result<(Vec<f32>, Vec<f32>), LoadError> {
            Ok((f.f32s(&format!("{prefix}.w"), h)?, f.f32s(&format!("{prefix}.b"), h)?))
        };
        let mut layers = Vec::with_capacity(c.layers);
        for l in 0..c.layers {
            let n = |s: &str| format!("l{l}.{s}");
            layers.push(Layer {
                q: q4(&n("q.w"), h, h)?,
                q_b: f.f32s(&n("q.b"), h)?,
                k: q4(&n("k.w"), h, h)?,
                k_b: f.f32s(&n("k.b"), h)?,
                v: q4(&n("v.w"), h, h)?,
                v_b: f.f32s(&n("v.b"), h)?,
                attn_out: q4(&n("ao.w"), h, h)?,
                attn_out_b: f.f32s(&n("ao.b"), h)?,
                attn_norm: norm(&n("aln"))?,
                ff_in: q4(&n("fi.w"), ff, h)?,
                ff_in_b: f.f32s(&n("fi.b"), ff)?,
                ff_out: q4(&n("fo.w"), h, ff)?,
                ff_out_b: f.f32s(&n("fo.b"), h)?,
                out_norm: norm(&n("oln"))?,
            });
        }
        Ok(Weights {
            config: c,
            word: f.tensor("emb.word", DType::Q4, c.vocab_rows * h)?.bytes.to_vec(),
            position: f.f32s("emb.pos", c.max_positions * h)?,
            token_type: f.f32s("emb.type", c.token_types * h)?,
            embed_norm: norm("emb.ln")?,
            layers,
        })
    }

    /// Mean of the last hidden states of each window (`windows[i]` are token ids with `<s>` and
    /// `</s>`), one `hidden`-wide row per window.
    pub fn pooled(&self, windows: &[Vec<u32>], s: &mut Scratch) -> Vec<f32> {
        let c = &self.config;
        let (h, heads) = (c.hidden, c.heads);
        let hd = h / heads;
        let tokens: usize = windows.iter().map(Vec::len).sum();
        let row_bytes = h / QK * Q4_BLOCK_BYTES;
        s.x.clear();
        s.x.resize(tokens * h, 0.0);
        let mut t = 0;
        for w in windows {
            for (p, &id) in w.iter().enumerate() {
                let row = &mut s.x[t * h..(t + 1) * h];
                let id = (id as usize).min(c.vocab_rows - 1);
                dequantise_row(&self.word[id * row_bytes..(id + 1) * row_bytes], row);
                let pos = &self.position[p.min(c.max_positions - 1) * h..][..h];
                for ((r, p), ty) in row.iter_mut().zip(pos).zip(&self.token_type[..h]) {
                    *r += p + ty;
                }
                t += 1;
            }
        }
        layer_norm(&mut s.x, None, &self.embed_norm, h, c.eps);
        let scale = 1.0 / (hd as f32).sqrt();
        for l in &self.layers {
            s.q8.quantise(&s.x, h);
            matmul(&l.q, &l.q_b, &s.q8, &mut s.q);
            matmul(&l.k, &l.k_b, &s.q8, &mut s.k);
            matmul(&l.v, &l.v_b, &s.q8, &mut s.v);
            s.ctx.clear();
            s.ctx.resize(tokens * h, 0.0);
            let mut start = 0;
            for w in windows {
                attention(&s.q, &s.k, &s.v, &mut s.ctx, start, start + w.len(), h, heads, scale, &mut s.probs);
                start += w.len();
            }
            s.q8.quantise(&s.ctx, h);
            matmul(&l.attn_out, &l.attn_out_b, &s.q8, &mut s.y);
            layer_norm(&mut s.x, Some(&s.y), &l.attn_norm, h, c.eps);
            s.q8.quantise(&s.x, h);
            matmul(&l.ff_in, &l.ff_in_b, &s.q8, &mut s.mid);
            gelu_all(&mut s.mid);
            s.q8.quantise(&s.mid, c.intermediate);
            matmul(&l.ff_out, &l.ff_out_b, &s.q8, &mut s.y);
            layer_norm(&mut s.x, Some(&s.y), &l.out_norm, h, c.eps);
        }
        let mut out = vec![0f32; windows.len() * h];
        let mut start = 0;
        for (i, w) in windows.iter().enumerate() {
            let o = &mut out[i * h..(i + 1) * h];
            for t in start..start + w.len() {
                o.iter_mut().zip(&s.x[t * h..(t + 1) * h]).for_each(|(o, x)| *o += x);
            }
            let inv = 1.0 / w.len().max(1) as f32;
            o.iter_mut().for_each(|v| *v *= inv);
            start += w.len();
        }
        out
    }
}

/// Buffers reused from batch to batch.
#[derive(Default)]
pub struct Scratch {
    x: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    ctx: Vec<f32>,
    y: Vec<f32>,
    mid: Vec<f32>,
    probs: Vec<f32>,
    q8: Q8Rows,
}

#[allow(clippy::too_many_arguments)]
fn attention(q: &[f32], k: &[f32], v: &[f32], ctx: &mut [f32], start: usize, end: usize, h: usize, heads: usize, scale: f32, probs: &mut Vec<f32>) {
    let hd = h / heads;
    probs.resize(end - start, 0.0);
    for t in start..end {
        for head in 0..heads {
            let off = head * hd;
            let qh = &q[t * h + off..t * h + off + hd];
            let mut max = f32::NEG_INFINITY;
            for (s, p) in (start..end).zip(probs.iter_mut()) {
                let kh = &k[s * h + off..s * h + off + hd];
                let d = qh.iter().zip(kh).map(|(a, b)| a * b).sum::<f32>() * scale;
                *p = d;
                max = max.max(d);
            }
            let mut sum = 0.0;
            for p in probs.iter_mut() {
                *p = (*p - max).exp();
                sum += *p;
            }
            let inv = 1.0 / sum;
            let out = &mut ctx[t * h + off..t * h + off + hd];
            for (s, p) in (start..end).zip(probs.iter()) {
                let w = p * inv;
                let vh = &v[s * h + off..s * h + off + hd];
                out.iter_mut().zip(vh).for_each(|(o, v)| *o += w * v);
            }
        }
    }
}

/// `x = LayerNorm(x + y)` row by row (population variance).
fn layer_norm(x: &mut [f32], y: Option<&[f32]>, (w, b): &(Vec<f32>, Vec<f32>), h: usize, eps: f32) {
    for (t, row) in x.chunks_exact_mut(h).enumerate() {
        if let Some(y) = y {
            row.iter_mut().zip(&y[t * h..(t + 1) * h]).for_each(|(r, y)| *r += y);
        }
        let mean = row.iter().sum::<f32>() / h as f32;
        let var = row.iter().map(|r| (r - mean) * (r - mean)).sum::<f32>() / h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((r, w), b) in row.iter_mut().zip(w).zip(b) {
            *r = (*r - mean) * inv * w + b;
        }
    }
}

fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// GELU over a whole buffer: branch-free so the compiler vectorises it (it runs on every one of
/// 1,536 × tokens × 12 values; a call into libm per value was a third of the encoder's time).
fn gelu_all(v: &mut [f32]) {
    v.iter_mut().for_each(|x| *x = gelu(*x));
}

/// erf as a rational function of x on [−4, 4] (odd numerator of degree 13, even denominator of
/// degree 8; the approximation Eigen and XLA use for float), beyond which erf(x) = ±1 in f32.
/// Error below 5e-7 against the exact function (unit test); GELU needs far less.
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let z = x * x;
    let mut p = -2.726_142_3e-10f32;
    for c in [2.770_681_4e-8, -2.101_024e-6, -5.692_506_4e-5, -7.349_906_3e-4, -2.954_600e-3, -1.609_603_3e-2] {
        p = p * z + c;
    }
    let mut q = -1.456_607_2e-5f32;
    for c in [-2.133_740_6e-4, -1.682_827e-3, -7.373_329e-3, -1.426_474e-2] {
        q = q * z + c;
    }
    x * p / q
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf by its Taylor series (exact enough in f64 for |x| ≤ 4 with enough terms)
    fn erf_reference(x: f64) -> f64 {
        let (mut term, mut sum, mut n) = (x, x, 0.0);
        while term.abs() > 1e-17 {
            n += 1.0;
            term *= -x * x / n;
            sum += term / (2.0 * n + 1.0);
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn erf_is_accurate_everywhere() {
        let mut worst = 0f64;
        for i in -6000..=6000 {
            let x = i as f64 / 1000.0;
            let want = if x.abs() > 5.0 { x.signum() } else { erf_reference(x) };
            worst = worst.max((erf(x as f32) as f64 - want).abs());
        }
        assert!(worst < 5e-7, "max error {worst}");
    }

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [(0.0, 0.0), (0.1, 0.112_462_916), (0.5, 0.520_499_878), (1.0, 0.842_700_793), (2.0, 0.995_322_265), (-1.5, -0.966_105_146), (4.0, 0.999_999_985)] {
            assert!((erf(x) - want).abs() < 3e-7, "erf({x}) = {} not {want}", erf(x));
        }
        assert!((gelu(1.0) - 0.841_344_75).abs() < 1e-6);
    }
}
