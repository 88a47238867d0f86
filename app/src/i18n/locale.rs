//! Which language a person sees: their remembered choice (cookie), else Korean when the browser
//! prefers Korean over English, else English.

use serde::{Deserialize, Serialize};

pub const LOCALE_COOKIE: &str = "cc_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Ko,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }

    /// The one of two things (a name kept in both languages) that is in this language.
    pub fn pick<T>(self, ko: T, en: T) -> T {
        match self {
            Locale::Ko => ko,
            Locale::En => en,
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ko" => Some(Locale::Ko),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::Ko => Locale::En,
            Locale::En => Locale::Ko,
        }
    }
}

/// The locale remembered in a `Cookie` header, if any.
pub fn from_cookie_header(cookie_header: &str) -> Option<Locale> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| Locale::parse(value))
}

/// Korean when the browser ranks Korean at least as high as English, else English.
pub fn from_accept_language(header: &str) -> Locale {
    let mut best: Option<(f32, Locale)> = None;
    for item in header.split(',') {
        let mut parts = item.trim().split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok()))
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let locale = match primary {
            "ko" => Locale::Ko,
            "en" => Locale::En,
            _ => continue,
        };
        // first listed wins a tie, as browsers list in preference order
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, locale));
        }
    }
    best.map(|(_, l)| l).unwrap_or(Locale::En)
}

/// The locale for a request: cookie first, then Accept-Language.
pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
    cookie_header
        .and_then(from_cookie_header)
        .unwrap_or_else(|| from_accept_language(accept_language.unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_table() {
        let cases = [
            ("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", Locale::Ko),
            ("en-US,en;q=0.9,ko;q=0.8", Locale::En),
            ("en-US,ko;q=0.95", Locale::En),
            ("ko", Locale::Ko),
            ("fr-FR,fr;q=0.9", Locale::En),
            ("fr-FR,ko;q=0.5", Locale::Ko),
            ("", Locale::En),
            ("*", Locale::En),
            ("en;q=0.3,ko;q=0.9", Locale::Ko),
            ("ko;q=garbage,en;q=0.5", Locale::Ko),
        ];
        for (header, expected) in cases {
            assert_eq!(from_accept_language(header), expected, "{header:?}");
        }
    }

    #[test]
    fn cookie_overrides_browser_preference() {
        assert_eq!(negotiate(Some("a=1; cc_lang=en; b=2"), Some("ko-KR")), Locale::En);
        assert_eq!(negotiate(Some("cc_lang=ko"), Some("en-US")), Locale::Ko);
        assert_eq!(negotiate(Some("cc_lang=xx"), Some("ko-KR")), Locale::Ko);
        assert_eq!(negotiate(None, None), Locale::En);
    }
}
