//! "Plain text with simple formatting" for FAQ answers: paragraphs (blank line), line breaks,
//! bullet lists ("- ", "* ", "• "), numbered lists ("1. "), **bold**, [text](https://…) links and
//! bare http(s) addresses. Parsed into blocks, then written as HTML with every piece of text
//! escaped: nothing an editor types becomes markup, and only http(s) links are ever made.
//! (One HTML string rather than a view per element: the same output on the server and in an
//! island, for a few hundred bytes of WASM instead of ~7 KB of view code.)

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Bold(String),
    Link { href: String, text: String },
    Break,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Bullets(Vec<Vec<Inline>>),
    Numbered(Vec<Vec<Inline>>),
}

fn bullet(line: &str) -> Option<&str> {
    ["- ", "* ", "• "].iter().find_map(|p| line.strip_prefix(p))
}

fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    line[digits..].strip_prefix(". ").or_else(|| line[digits..].strip_prefix(") "))
}

/// Whether `href` may become a link: http(s) with a host, no spaces or quotes.
pub fn safe_href(href: &str) -> bool {
    let rest = href.strip_prefix("https://").or_else(|| href.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !href.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`')))
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Inline::Text(t)) = out.last_mut() {
        t.push_str(s);
    } else {
        out.push(Inline::Text(s.to_string()));
    }
}

/// Inline formatting of one line.
pub fn inline(line: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        // the earliest of: **bold**, [text](href), http(s)://
        let bold = rest.find("**");
        let link = rest.find('[');
        let bare = [rest.find("https://"), rest.find("http://")].into_iter().flatten().min();
        let next = [bold, link, bare].into_iter().flatten().min();
        let Some(at) = next else {
            push_text(&mut out, rest);
            break;
        };
        push_text(&mut out, &rest[..at]);
        let here = &rest[at..];
        if Some(at) == bold {
            if let Some(end) = here[2..].find("**").filter(|&e| e > 0) {
                out.push(Inline::Bold(here[2..2 + end].to_string()));
                rest = &here[2 + end + 2..];
                continue;
            }
            push_text(&mut out, "**");
            rest = &here[2..];
        } else if Some(at) == link {
            let parsed = here.find("](").and_then(|close| {
                let end = here[close + 2..].find(')')?;
                let (text, href) = (&here[1..close], &here[close + 2..close + 2 + end]);
                (!text.is_empty() && !text.contains('[') && safe_href(href)).then(|| (text, href, close + 2 + end + 1))
            });
            match parsed {
                Some((text, href, len)) => {
                    out.push(Inline::Link { href: href.to_string(), text: text.to_string() });
                    rest = &here[len..];
                }
                None => {
                    push_text(&mut out, "[");
                    rest = &here[1..];
                }
            }
        } else {
            let end = here.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')).unwrap_or(here.len());
            // a sentence's closing punctuation is not part of the address
            let href = here[..end].trim_end_matches(['.', ',', ')', '!', '?', ';', ':']);
            if safe_href(href) {
                out.push(Inline::Link { href: href.to_string(), text: href.to_string() });
                rest = &here[href.len()..];
            } else {
                let skip = here.find("//").map(|i| i + 2).unwrap_or(here.len());
                push_text(&mut out, &here[..skip]);
                rest = &here[skip..];
            }
        }
    }
    out
}

pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<Inline> = Vec::new();
    let flush = |paragraph: &mut Vec<Inline>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(std::mem::take(paragraph)));
        }
    };
    for raw in text.replace("\r\n", "\n").split('\n') {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        if let Some(item) = bullet(line) {
            flush(&mut paragraph, &mut blocks);
            match blocks.last_mut() {
                Some(Block::Bullets(items)) => items.push(inline(item.trim())),
                _ => blocks.push(Block::Bullets(vec![inline(item.trim())])),
            }
        } else if let Some(item) = numbered(line) {
            flush(&mut paragraph, &mut blocks);
            match blocks.last_mut() {
                Some(Block::Numbered(items)) => items.push(inline(item.trim())),
                _ => blocks.push(Block::Numbered(vec![inline(item.trim())])),
            }
        } else {
            // a line right after a list starts a new paragraph
            if !paragraph.is_empty() {
                paragraph.push(Inline::Break);
            }
            paragraph.extend(inline(line));
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// `text` with HTML's special characters escaped, for text content and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as `escape_html` does.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn inline_html(out: &mut String, parts: &[Inline]) {
    for part in parts {
        match part {
            Inline::Text(t) => escape_into(out, t),
            Inline::Bold(t) => {
                out.push_str("<strong>");
                escape_into(out, t);
                out.push_str("</strong>");
            }
            Inline::Link { href, text } => {
                out.push_str("<a href=\"");
                escape_into(out, href);
                out.push_str("\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">");
                escape_into(out, text);
                out.push_str("</a>");
            }
            Inline::Break => out.push_str("<br>"),
        }
    }
}

fn list_html(out: &mut String, tag: &str, items: &[Vec<Inline>]) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    for item in items {
        out.push_str("<li>");
        inline_html(out, item);
        out.push_str("</li>");
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// The formatted text as HTML: paragraphs, lists, bold and links, all text escaped.
pub fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4 + 16);
    for block in parse(text) {
        match block {
            Block::Paragraph(parts) => {
                out.push_str("<p>");
                inline_html(&mut out, &parts);
                out.push_str("</p>");
            }
            Block::Bullets(items) => list_html(&mut out, "ul", &items),
            Block::Numbered(items) => list_html(&mut out, "ol", &items),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn paragraphs_breaks_and_lists() {
        let blocks = parse("첫 줄\n둘째 줄\n\n- 하나\n* 둘\n1. first\n2) second\nafter");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![t("첫 줄"), Inline::Break, t("둘째 줄")]),
                Block::Bullets(vec![vec![t("하나")], vec![t("둘")]]),
                Block::Numbered(vec![vec![t("first")], vec![t("second")]]),
                Block::Paragraph(vec![t("after")]),
            ]
        );
        assert!(parse("").is_empty());
        assert!(parse("\n \n").is_empty());
        // "2024. 1. 1." style text with a long number is not a list
        assert_eq!(parse("2024. 1. 1 기준"), vec![Block::Paragraph(vec![t("2024. 1. 1 기준")])]);
    }

    #[test]
    fn bold_and_links() {
        assert_eq!(inline("**중요** 안내"), vec![Inline::Bold("중요".into()), t(" 안내")]);
        assert_eq!(inline("a ** b"), vec![t("a ** b")]);
        assert_eq!(
            inline("See [the guide](https://example.com/g?a=1) or https://example.com/x."),
            vec![
                t("See "),
                Inline::Link { href: "https://example.com/g?a=1".into(), text: "the guide".into() },
                t(" or "),
                Inline::Link { href: "https://example.com/x".into(), text: "https://example.com/x".into() },
                t("."),
            ]
        );
    }

    #[test]
    fn nothing_unsafe_becomes_a_link_or_markup() {
        assert_eq!(inline("[x](javascript:alert(1))"), vec![t("[x](javascript:alert(1))")]);
        assert_eq!(inline("<script>alert(1)</script>"), vec![t("<script>alert(1)</script>")]);
        assert!(!safe_href("https://"));
        assert!(!safe_href("https:///etc"));
        assert!(!safe_href("https://a.b/\"onmouseover=x"));
        assert!(!safe_href("data:text/html,x"));
        assert!(safe_href("http://example.com"));
        // malformed pieces stay text and never loop forever
        assert_eq!(
            inline("[unclosed](https://a.b"),
            vec![t("[unclosed]("), Inline::Link { href: "https://a.b".into(), text: "https://a.b".into() }]
        );
        let long = "[](**http://".repeat(2_000);
        assert!(!parse(&long).is_empty());
    }

    #[test]
    fn html_is_escaped_and_structured() {
        assert_eq!(to_html("**중요** <b>&\"'\n다음 줄\n\n- 하나\n1. first"), "<p><strong>중요</strong> &lt;b&gt;&amp;&quot;&#39;<br>다음 줄</p><ul><li>하나</li></ul><ol><li>first</li></ol>");
        assert_eq!(
            to_html("[가이드](https://example.com/a?b=1&c=2)"),
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">가이드</a></p>"
        );
        assert_eq!(to_html("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
        assert_eq!(to_html("[x](javascript:alert(1))"), "<p>[x](javascript:alert(1))</p>");
        assert_eq!(to_html(""), "");
    }
}
