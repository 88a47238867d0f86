//! What the browser downloads once for live suggestions and instant FAQ search: the active
//! templates (question, answer, type, language) and the pruned classifier, in one binary file.
//! The server decodes nothing from it; it builds the same `FaqPack` and encodes it, and answers
//! its own searches from the same struct, so server-rendered and instant results agree.

use super::matcher::bm25::Bm25;
use super::matcher::codec::{CodecError, Reader, Writer};
use super::matcher::{Classifier, CompactModel};

const MAGIC: &[u8; 4] = b"CCFQ";
const FORMAT: u8 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct PackType {
    pub id: i64,
    pub name_ko: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PackTemplate {
    pub id: i64,
    pub type_id: i64,
    pub korean: bool,
    pub question: String,
    pub answer: String,
}

/// A suggested template: its position in `templates` and the calibrated confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackMatch {
    pub template: usize,
    pub confidence: f32,
}

#[derive(Debug, Clone)]
pub struct FaqPack {
    pub types: Vec<PackType>,
    /// Class `c` of the classifier is `templates[c]`.
    pub templates: Vec<PackTemplate>,
    pub classifier: Option<Classifier<CompactModel>>,
    search: Bm25,
}

/// Suggestions below this confidence are noise, not help: a customer typing "hello" should not
/// be shown three random answers.
pub const SUGGESTION_FLOOR: f32 = 0.05;
/// Words needed before suggestions appear: one word rarely says what the question is.
pub const SUGGESTION_MIN_WORDS: usize = 2;

impl FaqPack {
    pub fn new(types: Vec<PackType>, templates: Vec<PackTemplate>, classifier: Option<Classifier<CompactModel>>) -> Result<FaqPack, CodecError> {
        if classifier.as_ref().is_some_and(|c| c.classes() != templates.len()) {
            return Err(CodecError::Inconsistent("classes and templates differ"));
        }
        let search = Bm25::build(templates.iter().map(|t| (t.question.as_str(), t.answer.as_str())));
        Ok(FaqPack { types, templates, classifier, search })
    }

    pub fn empty() -> FaqPack {
        FaqPack { types: Vec::new(), templates: Vec::new(), classifier: None, search: Bm25::default() }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.raw(MAGIC);
        w.u8(FORMAT);
        w.len(self.types.len());
        for t in &self.types {
            w.svarint(t.id);
            w.str(&t.name_ko);
            w.str(&t.name_en);
        }
        w.len(self.templates.len());
        for t in &self.templates {
            w.svarint(t.id);
            w.svarint(t.type_id);
            w.u8(t.korean as u8);
            w.str(&t.question);
            w.str(&t.answer);
        }
        match &self.classifier {
            None => w.u8(0),
            Some(c) => {
                w.u8(1);
                c.encode(&mut w);
            }
        }
        w.bytes
    }

    pub fn decode(bytes: &[u8]) -> Result<FaqPack, CodecError> {
        let mut r = Reader::new(bytes);
        if r.raw(4).ok() != Some(MAGIC.as_slice()) || r.u8()? != FORMAT {
            return Err(CodecError::WrongFormat);
        }
        let n = r.len()?;
        let types = (0..n)
            .map(|_| Ok(PackType { id: r.svarint()?, name_ko: r.str()?, name_en: r.str()? }))
            .collect::<Result<Vec<_>, CodecError>>()?;
        let n = r.len()?;
        let templates = (0..n)
            .map(|_| {
                Ok(PackTemplate { id: r.svarint()?, type_id: r.svarint()?, korean: r.u8()? != 0, question: r.str()?, answer: r.str()? })
            })
            .collect::<Result<Vec<_>, CodecError>>()?;
        let classifier = match r.u8()? {
            0 => None,
            1 => Some(Classifier::<CompactModel>::decode(&mut r)?),
            _ => return Err(CodecError::Inconsistent("classifier flag")),
        };
        if !r.is_done() {
            return Err(CodecError::Inconsistent("trailing bytes"));
        }
        FaqPack::new(types, templates, classifier)
    }

    /// The `k` best templates for what the customer is typing, in the language they type in,
    /// once there is enough text to go on.
    pub fn suggest(&self, text: &str, k: usize) -> Vec<PackMatch> {
        let Some(c) = &self.classifier else { return Vec::new() };
        let norm = super::matcher::normalize(text);
        if super::matcher::features::words(&norm).len() < SUGGESTION_MIN_WORDS {
            return Vec::new();
        }
        c.rank(text, k)
            .into_iter()
            .filter(|m| m.confidence >= SUGGESTION_FLOOR)
            .map(|m| PackMatch { template: m.class, confidence: m.confidence })
            .collect()
    }

    /// Templates in the given language matching `query` (BM25), best first.
    pub fn search(&self, query: &str, korean: bool, limit: usize) -> Vec<usize> {
        self.search.search(query, |d| self.templates.get(d).is_some_and(|t| t.korean == korean)).into_iter().take(limit).map(|(d, _)| d).collect()
    }

    pub fn type_name(&self, type_id: i64, korean: bool) -> Option<&str> {
        self.types.iter().find(|t| t.id == type_id).map(|t| if korean { t.name_ko.as_str() } else { t.name_en.as_str() })
    }
}

/// A short fingerprint of the encoded pack (FNV-1a 64), for the HTTP entity tag.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::matcher::TrainOptions;

    fn pack() -> FaqPack {
        let templates = vec![
            PackTemplate { id: 10, type_id: 1, korean: true, question: "배송은 언제 오나요?".into(), answer: "보통 2~3일 걸립니다.".into() },
            PackTemplate { id: 11, type_id: 2, korean: true, question: "비밀번호를 잊어버렸어요".into(), answer: "로그인 화면에서 재설정하세요.".into() },
            PackTemplate { id: 20, type_id: 1, korean: false, question: "When will my order arrive?".into(), answer: "Usually in 2-3 days.".into() },
            PackTemplate { id: 21, type_id: 2, korean: false, question: "I forgot my password".into(), answer: "Reset it on the login page.".into() },
        ];
        let data = [
            ("배송은 언제 오나요?", 0),
            ("배송 언제 도착하나요", 0),
            ("주문한 상품 언제 와요", 0),
            ("비밀번호를 잊어버렸어요", 1),
            ("비밀번호 재설정", 1),
            ("비번이 기억 안 나요", 1),
            ("When will my order arrive?", 2),
            ("my parcel is late", 2),
            ("where is my delivery", 2),
            ("I forgot my password", 3),
            ("can't log in", 3),
            ("reset password", 3),
        ];
        let texts: Vec<&str> = data.iter().map(|d| d.0).collect();
        let labels: Vec<usize> = data.iter().map(|d| d.1).collect();
        let korean = templates.iter().map(|t| t.korean).collect();
        let c = Classifier::train(&texts, &labels, 4, Some(korean), TrainOptions::for_examples(texts.len())).expect("trains");
        let types = vec![PackType { id: 1, name_ko: "배송".into(), name_en: "Delivery".into() }, PackType { id: 2, name_ko: "계정".into(), name_en: "Account".into() }];
        FaqPack::new(types, templates, Some(c.compact(super::super::matcher::compact::DEFAULT_BUDGET))).expect("consistent")
    }

    #[test]
    fn round_trips_and_suggests_in_the_typed_language() {
        let p = pack();
        let bytes = p.encode();
        let back = FaqPack::decode(&bytes).expect("decodes");
        assert_eq!(back.templates, p.templates);
        assert_eq!(back.types, p.types);
        assert_eq!(back.classifier, p.classifier);
        let ko = back.suggest("배송이 언제 도착하나요", 3);
        assert_eq!(back.templates[ko[0].template].id, 10, "{ko:?}");
        assert!(ko.iter().all(|m| back.templates[m.template].korean));
        let en = back.suggest("my password is forgotten", 3);
        assert_eq!(back.templates[en[0].template].id, 21, "{en:?}");
        // one word is not enough to go on
        assert!(back.suggest("배송", 3).is_empty());
        assert_eq!(fingerprint(&bytes), fingerprint(&p.encode()));
        assert_ne!(fingerprint(&bytes), fingerprint(&bytes[1..]));
    }

    #[test]
    fn searches_one_language_and_names_types() {
        let p = pack();
        assert_eq!(p.search("비밀번호", true, 10), vec![1]);
        assert_eq!(p.search("password", false, 10), vec![3]);
        assert!(p.search("password", true, 10).is_empty());
        assert_eq!(p.type_name(1, false), Some("Delivery"));
        assert_eq!(p.type_name(9, true), None);
    }

    #[test]
    fn refuses_what_is_not_a_pack() {
        assert_eq!(FaqPack::decode(b"").err(), Some(CodecError::WrongFormat));
        assert_eq!(FaqPack::decode(b"CCFQ\x01").err(), Some(CodecError::Truncated));
        assert_eq!(FaqPack::decode(b"GIF89a").err(), Some(CodecError::WrongFormat));
        let mut bytes = pack().encode();
        bytes.push(0);
        assert!(FaqPack::decode(&bytes).is_err());
        let empty = FaqPack::new(Vec::new(), Vec::new(), None).expect("empty is fine");
        assert!(FaqPack::decode(&empty.encode()).expect("decodes").suggest("배송 언제", 3).is_empty());
    }
}
