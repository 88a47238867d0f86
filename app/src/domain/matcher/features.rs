//! Text → sparse feature vector.

/// Feature space size (hashing trick). 2^17 buckets keep collisions rare for FAQ-sized data.
pub const DIM_BITS: u32 = 17;
pub const DIM: usize = 1 << DIM_BITS;
/// Only the first characters of a very long text are used: the question is at the start, and
/// the cost of a query stays bounded.
pub const MAX_CHARS: usize = 2_000;

/// A sparse vector: (bucket, value) sorted by bucket, no duplicates.
pub type Sparse = Vec<(u32, f32)>;

/// Unicode NFKC (full-width forms, compatibility characters) and lower case.
#[cfg(not(target_arch = "wasm32"))]
pub fn normalize(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.chars().take(MAX_CHARS).nfkc().flat_map(char::to_lowercase).collect()
}

/// In the browser NFKC and lower case come from the JavaScript engine (`normalize("NFKC")`,
/// `toLowerCase()`: the same Unicode algorithms), so the WASM carries neither the normalisation
/// nor the case tables (~110 KB). The only difference is Greek final sigma, which JavaScript
/// applies; the browser's answer is a preview, the server's at submission is the one that counts.
#[cfg(target_arch = "wasm32")]
pub fn normalize(text: &str) -> String {
    let head: String = text.chars().take(MAX_CHARS).collect();
    js_sys::JsString::from(head.as_str()).normalize("NFKC").to_lower_case().as_string().unwrap_or(head)
}

/// The language of a text by its script: any Hangul makes it Korean (customers mix English words
/// into Korean sentences, rarely the other way round).
pub fn script_is_korean(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c))
}

/// Words: maximal runs of letters and digits (Hangul syllables are letters).
pub fn words(normalized: &str) -> Vec<&str> {
    normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

/// FNV-1a over a kind tag and the parts, folded into the feature space.
pub(super) fn bucket(kind: u8, parts: &[&str]) -> u32 {
    hash32(kind, parts) & (DIM as u32 - 1)
}

/// FNV-1a over a kind tag and the parts, all 32 bits (for exact-term indexes such as BM25,
/// where a collision would make an unrelated word match).
pub(super) fn hash32(kind: u8, parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    };
    eat(kind);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            eat(0x1f);
        }
        for b in p.bytes() {
            eat(b);
        }
    }
    h
}

/// Raw counts of every feature of a text.
pub fn counts(text: &str) -> Sparse {
    let norm = normalize(text);
    let ws = words(&norm);
    let mut feats: Vec<u32> = Vec::with_capacity(ws.len() * 16);
    for w in &ws {
        feats.push(bucket(b'w', &[w]));
        // character n-grams of " word " (boundaries marked), n = 2..=5
        let padded: Vec<char> = std::iter::once(' ').chain(w.chars()).chain(std::iter::once(' ')).collect();
        let mut buf = String::new();
        for n in 2..=5 {
            if padded.len() < n {
                break;
            }
            for win in padded.windows(n) {
                buf.clear();
                buf.extend(win);
                feats.push(bucket(b'c', &[&buf]));
            }
        }
    }
    for pair in ws.windows(2) {
        feats.push(bucket(b'b', &[pair[0], pair[1]]));
    }
    feats.sort_unstable();
    let mut out: Sparse = Vec::with_capacity(feats.len());
    for f in feats {
        match out.last_mut() {
            Some((last, c)) if *last == f => *c += 1.0,
            _ => out.push((f, 1.0)),
        }
    }
    out
}

/// Inverse document frequencies learned from the training texts.
#[derive(Debug, Clone)]
pub struct Vectorizer {
    idf: Vec<f32>,
    documents: u32,
}

/// Smooth idf (as scikit-learn): ln((1 + n) / (1 + df)) + 1.
pub fn smooth_idf(documents: u32, df: u32) -> f32 {
    ((1.0 + documents as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// Sublinear term frequency: 1 + ln(count).
pub fn sublinear_tf(count: f32) -> f32 {
    1.0 + count.ln()
}

impl Vectorizer {
    pub fn fit<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vectorizer {
        let mut df = vec![0u32; DIM];
        let mut n = 0u32;
        for t in texts {
            n += 1;
            for (f, _) in counts(t) {
                df[f as usize] += 1;
            }
        }
        let idf = df.iter().map(|&d| smooth_idf(n, d)).collect();
        Vectorizer { idf, documents: n }
    }

    /// The idf of a feature bucket.
    pub fn idf(&self, f: u32) -> f32 {
        self.idf.get(f as usize).copied().unwrap_or_else(|| self.unseen_idf())
    }

    /// The idf of a feature no training text had.
    pub fn unseen_idf(&self) -> f32 {
        smooth_idf(self.documents, 0)
    }

    /// Sublinear TF-IDF, L2-normalised.
    pub fn transform(&self, text: &str) -> Sparse {
        let mut v = counts(text);
        let mut norm = 0.0f32;
        for (f, x) in v.iter_mut() {
            *x = sublinear_tf(*x) * self.idf[*f as usize];
            norm += *x * *x;
        }
        if norm > 0.0 {
            let inv = 1.0 / norm.sqrt();
            for (_, x) in v.iter_mut() {
                *x *= inv;
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(a: &Sparse, b: &Sparse) -> f32 {
        let (mut i, mut j, mut s) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    s += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        s
    }

    #[test]
    fn normalisation_folds_width_and_case() {
        assert_eq!(normalize("ＡＢＣ abc １２３"), "abc abc 123");
        assert_eq!(normalize("Delivery TIME"), "delivery time");
        assert_eq!(words(&normalize("배송이 언제 오나요?")), ["배송이", "언제", "오나요"]);
        assert_eq!(words(&normalize("order#123, please!! 😀")), ["order", "123", "please"]);
        assert!(words(&normalize("")).is_empty());
        assert!(words(&normalize("😀 !!! ...")).is_empty());
    }

    #[test]
    fn script_decides_the_language() {
        assert!(script_is_korean("배송 tracking 어디서 해요"));
        assert!(script_is_korean("ㅠㅠ"));
        assert!(!script_is_korean("where is my parcel"));
        assert!(!script_is_korean(""));
    }

    #[test]
    fn long_input_is_bounded() {
        let long = "배송 ".repeat(5_000);
        assert!(normalize(&long).chars().count() <= MAX_CHARS);
        assert!(!counts(&long).is_empty());
    }

    #[test]
    fn vectors_are_sorted_unique_and_unit_length() {
        let v = Vectorizer::fit(["when will my card arrive", "배송은 언제 오나요"]);
        for text in ["When will my card arrive?", "배송이 언제 도착하나요", "mixed 한국어 text 123"] {
            let x = v.transform(text);
            assert!(x.windows(2).all(|w| w[0].0 < w[1].0));
            let norm: f32 = x.iter().map(|(_, v)| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-4, "{text}: {norm}");
        }
        assert!(v.transform("").is_empty());
    }

    #[test]
    fn korean_paraphrases_share_character_ngrams() {
        let v = Vectorizer::fit(["배송이 언제 오나요?", "환불은 언제 되나요?", "비밀번호를 잊어버렸어요"]);
        let q = v.transform("배송은 언제 도착하나요");
        let same = cosine(&q, &v.transform("배송이 언제 오나요?"));
        let other = cosine(&q, &v.transform("비밀번호를 잊어버렸어요"));
        assert!(same > 0.2 && same > 3.0 * other, "same {same} other {other}");
    }
}
