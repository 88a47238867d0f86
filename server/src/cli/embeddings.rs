//! Embeddings for the evaluations, on both cores, cached on disk under `data/models/cache/` by a
//! hash of the model file's size, the kind and the texts (an evaluation over BANKING77 encodes
//! 10,000 texts: minutes the first time, a file read after).

use e5::{Encoder, Kind};
use std::path::{Path, PathBuf};

pub const DEFAULT_MODEL: &str = "data/models/e5-small-q4.bin";

pub fn load(path: &Path) -> Result<Encoder, String> {
    Encoder::load(path).map_err(|e| format!("{e}\n(the model is installed by `bash scripts/install-tools.sh model`, or pass --encoder PATH)"))
}

fn fnv(h: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *h ^= *b as u64;
        *h = h.wrapping_mul(0x100_0000_01b3);
    }
}

fn cache_file(model: &Path, kind: Kind, texts: &[&str]) -> PathBuf {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let size = std::fs::metadata(model).map(|m| m.len()).unwrap_or(0);
    fnv(&mut h, &size.to_le_bytes());
    fnv(&mut h, if kind == Kind::Query { b"q" } else { b"p" });
    for t in texts {
        fnv(&mut h, t.as_bytes());
        fnv(&mut h, &[0]);
    }
    Path::new("data/models/cache").join(format!("{h:016x}.f32"))
}

/// Every text's embedding, from the cache when this exact list was encoded before.
pub fn embed_all(encoder: &Encoder, model: &Path, texts: &[&str], kind: Kind) -> Result<Vec<Vec<f32>>, String> {
    let dim = encoder.dim();
    let file = cache_file(model, kind, texts);
    if let Ok(bytes) = std::fs::read(&file) {
        if bytes.len() == texts.len() * dim * 4 {
            let flat: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            return Ok(flat.chunks(dim).map(<[f32]>::to_vec).collect());
        }
    }
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let per = texts.len().div_ceil(threads).max(1);
    let out: Vec<Vec<f32>> = std::thread::scope(|s| {
        let handles: Vec<_> = texts.chunks(per).map(|part| s.spawn(move || part.chunks(32).flat_map(|b| encoder.embed(b, kind)).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    if out.len() != texts.len() {
        return Err("an encoding thread failed".into());
    }
    let bytes: Vec<u8> = out.iter().flatten().flat_map(|v| v.to_le_bytes()).collect();
    let _ = std::fs::create_dir_all("data/models/cache").and_then(|_| std::fs::write(&file, bytes));
    Ok(out)
}
