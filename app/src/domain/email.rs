//! Reading a customer's mail: what of a message is theirs (the quoted history and signature cut
//! off), whether it is from a person at all (auto-replies, bounces, lists), which inquiry a reply
//! names, and ISO-2022-KR, the 7-bit Korean charset of older mail that no decoder we use reads.
//! Pure: the MIME parsing and the database are in `mail::inbound`.

/// The tag answers carry in their subject, `[#Q-1234]`: a reply whose threading headers were
/// lost (some clients drop them) still finds its inquiry by it.
pub fn subject_tag(inquiry_id: i64) -> String {
    format!("[#Q-{inquiry_id}]")
}

/// The inquiry number a subject's `[#Q-1234]` names, if any.
pub fn subject_inquiry(subject: &str) -> Option<i64> {
    let start = subject.find("[#Q-")? + 4;
    let rest = &subject[start..];
    let end = rest.find(']')?;
    let digits = &rest[..end];
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The inquiry an inquiry thread's Message-ID names, `<inquiry-12.19abc@host>` (see
/// `mail::outbox::thread_id`): its number and creation time, which the caller compares with the
/// inquiry's own so a guessed id matches nothing.
pub fn thread_inquiry(message_id: &str, host: &str) -> Option<(i64, i64)> {
    let id = message_id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, domain) = id.rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case(host) {
        return None;
    }
    let (number, created) = local.strip_prefix("inquiry-")?.split_once('.')?;
    Some((number.parse().ok()?, i64::from_str_radix(created, 16).ok()?))
}

/// Whether a mail was written by a person, and if not what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Person,
    /// A delivery failure report about a mail we sent.
    Bounce,
    /// Written by a program: never imported, never answered (that is how mail loops start).
    Automatic(Automatic),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Automatic {
    /// `Auto-Submitted` other than `no` (RFC 3834), or an `X-Autoreply`-style header.
    AutoSubmitted,
    /// `Precedence: bulk/list/junk` or a mailing list's headers.
    BulkOrList,
    /// Mail from our own sending address coming back in.
    OwnMail,
}

/// The headers that tell who wrote a mail, as found (absent headers are `None`).
#[derive(Debug, Default, Clone)]
pub struct Headers<'a> {
    pub from_address: &'a str,
    pub auto_submitted: Option<&'a str>,
    pub precedence: Option<&'a str>,
    /// `X-Autoreply`, `X-Autorespond` or `X-Auto-Response-Suppress` naming an auto-reply.
    pub autoreply_marker: bool,
    /// `List-Id` or `List-Unsubscribe`.
    pub list_header: bool,
    /// `Content-Type: multipart/report; report-type=delivery-status`.
    pub delivery_report: bool,
    /// Our own sending address (mail from it is a loop).
    pub own_address: &'a str,
}

/// Screens a mail by its headers. A bounce is recognised by its report type or by coming from a
/// mailer daemon, before the auto-submitted check (bounces say `Auto-Submitted: auto-replied` too).
pub fn screen(h: &Headers<'_>) -> Screen {
    let local = h.from_address.rsplit_once('@').map(|(l, _)| l).unwrap_or(h.from_address).to_ascii_lowercase();
    if h.delivery_report || local == "mailer-daemon" || local == "postmaster" {
        return Screen::Bounce;
    }
    if !h.own_address.is_empty() && h.from_address.eq_ignore_ascii_case(h.own_address) {
        return Screen::Automatic(Automatic::OwnMail);
    }
    if let Some(v) = h.auto_submitted {
        // `no` (any case, parameters after `;` allowed) is the only value a person's mail has
        if !v.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("no") {
            return Screen::Automatic(Automatic::AutoSubmitted);
        }
    }
    if h.autoreply_marker {
        return Screen::Automatic(Automatic::AutoSubmitted);
    }
    if let Some(p) = h.precedence {
        if ["bulk", "list", "junk", "auto_reply"].iter().any(|x| p.trim().eq_ignore_ascii_case(x)) {
            return Screen::Automatic(Automatic::BulkOrList);
        }
    }
    if h.list_header {
        return Screen::Automatic(Automatic::BulkOrList);
    }
    Screen::Person
}

/// What of a reply the customer wrote: the text above the quoted history (`On … wrote:`,
/// `-----Original Message-----`, Outlook's and Korean clients' header blocks, `>` lines) and
/// without the signature (`-- `) or a phone's "Sent from" line. When nothing would be left, the
/// whole text is kept: losing a customer's words is worse than keeping a quote.
pub fn trim_reply(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        if starts_history(&lines, i) {
            end = i;
            break;
        }
        // the signature separator, "-- " (its space is often lost on the way)
        if line.trim_end() == "--" {
            end = i;
            break;
        }
    }
    let mut kept: Vec<&str> = lines[..end].to_vec();
    // trailing quote lines, blank lines and a phone's signature
    while let Some(last) = kept.last() {
        let t = last.trim();
        if t.is_empty() || t.starts_with('>') || is_sent_from(t) {
            kept.pop();
        } else {
            break;
        }
    }
    // an inline quote block above the cut (a reply written below the quote keeps its words)
    let kept: Vec<&str> = kept.into_iter().filter(|l| !l.trim_start().starts_with('>')).collect();
    let out = kept.join("\n").trim().to_string();
    if out.is_empty() {
        text.trim().to_string()
    } else {
        out
    }
}

fn is_sent_from(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    l.starts_with("sent from my ") || l.starts_with("sent from mail for") || line.ends_with("에서 보냄") || line.ends_with("에서 보냈습니다.")
}

/// Whether line `i` starts the quoted history of a reply.
fn starts_history(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    if line.is_empty() {
        return false;
    }
    let lower = line.to_lowercase();
    // Outlook, Naver, Daum: a separator line
    if lower.starts_with("-----original message-----") || line.starts_with("-----원본 메시지-----") || line.starts_with("----- Original Message -----") {
        return true;
    }
    // "On Mon, 1 Dec 2026 at 10:00, Kim <kim@example.com> wrote:" (maybe broken over two lines)
    if lower.starts_with("on ") && (lower.ends_with(" wrote:") || lines.get(i + 1).is_some_and(|n| n.trim().to_lowercase().ends_with("wrote:"))) {
        return true;
    }
    // Gmail in Korean: "2026년 12월 1일 (화) 오전 10:00, 김민지 <kim@example.com>님이 작성:"
    if line.ends_with("작성:") && (line.contains('년') || line.contains('@')) {
        return true;
    }
    // Outlook's header block: "From: …" followed within two lines by "Sent:"/"Date:"/"보낸 날짜:"
    let header_start = lower.starts_with("from:") || line.starts_with("보낸 사람:") || line.starts_with("보낸사람:");
    if header_start || line.starts_with("________________________________") {
        return lines.iter().skip(i + 1).take(3).any(|n| {
            let n = n.trim().to_lowercase();
            n.starts_with("sent:") || n.starts_with("date:") || n.starts_with("보낸 날짜:") || n.starts_with("날짜:") || n.starts_with("from:") || n.starts_with("보낸 사람:")
        });
    }
    false
}

/// ISO-2022-KR (RFC 1557) as EUC-KR bytes: the escape `ESC $ ) C` is dropped, and between SO
/// and SI each byte gets its high bit (the KS X 1001 code set EUC-KR carries as is). `None` when
/// the bytes are not ISO-2022-KR (an 8-bit byte, or an escape other than the designator).
pub fn iso_2022_kr_to_euc_kr(bytes: &[u8]) -> Option<Vec<u8>> {
    const DESIGNATOR: &[u8] = b"\x1b$)C";
    let mut out = Vec::with_capacity(bytes.len());
    let mut shifted = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x1b if bytes[i..].starts_with(DESIGNATOR) => i += DESIGNATOR.len() - 1,
            0x1b => return None,
            0x0e => shifted = true,
            0x0f => shifted = false,
            b'\r' | b'\n' => {
                // a line ends the shift (RFC 1557: each line starts in ASCII)
                shifted = false;
                out.push(b);
            }
            0x80.. => return None,
            _ if shifted && b > 0x20 => out.push(b | 0x80),
            _ => out.push(b),
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_tags_round_trip() {
        assert_eq!(subject_inquiry(&format!("Re: 배송 문의 {}", subject_tag(1234))), Some(1234));
        assert_eq!(subject_inquiry("RE: [#Q-7] x"), Some(7));
        assert_eq!(subject_inquiry("[#Q-] x"), None);
        assert_eq!(subject_inquiry("[#Q-12a] x"), None);
        assert_eq!(subject_inquiry("[#Q-99999999999999999999]"), None);
        assert_eq!(subject_inquiry("no tag"), None);
    }

    #[test]
    fn thread_ids_name_their_inquiry_on_our_host_only() {
        assert_eq!(thread_inquiry("<inquiry-12.19abc@help.example.com>", "help.example.com"), Some((12, 0x19abc)));
        assert_eq!(thread_inquiry("inquiry-12.19abc@HELP.example.com", "help.example.com"), Some((12, 0x19abc)));
        assert_eq!(thread_inquiry("<inquiry-12.19abc@evil.example>", "help.example.com"), None);
        assert_eq!(thread_inquiry("<19abc.ffee@help.example.com>", "help.example.com"), None);
        assert_eq!(thread_inquiry("<inquiry-x.1@help.example.com>", "help.example.com"), None);
    }

    fn person(from: &str) -> Headers<'_> {
        Headers { from_address: from, own_address: "no-reply@help.example.com", ..Default::default() }
    }

    #[test]
    fn screening() {
        assert_eq!(screen(&person("kim@example.com")), Screen::Person);
        assert_eq!(screen(&Headers { auto_submitted: Some("No"), ..person("kim@example.com") }), Screen::Person);
        assert_eq!(screen(&Headers { auto_submitted: Some("auto-replied"), ..person("kim@example.com") }), Screen::Automatic(Automatic::AutoSubmitted));
        assert_eq!(screen(&Headers { auto_submitted: Some("auto-generated; owner-email=x"), ..person("a@b.c") }), Screen::Automatic(Automatic::AutoSubmitted));
        assert_eq!(screen(&Headers { autoreply_marker: true, ..person("a@b.c") }), Screen::Automatic(Automatic::AutoSubmitted));
        assert_eq!(screen(&Headers { precedence: Some(" Bulk"), ..person("a@b.c") }), Screen::Automatic(Automatic::BulkOrList));
        assert_eq!(screen(&Headers { precedence: Some("first-class"), ..person("a@b.c") }), Screen::Person);
        assert_eq!(screen(&Headers { list_header: true, ..person("a@b.c") }), Screen::Automatic(Automatic::BulkOrList));
        assert_eq!(screen(&person("NO-REPLY@help.example.com")), Screen::Automatic(Automatic::OwnMail));
        assert_eq!(screen(&person("MAILER-DAEMON@mx.example.com")), Screen::Bounce);
        // a bounce says auto-replied too: it is still a bounce
        assert_eq!(screen(&Headers { delivery_report: true, auto_submitted: Some("auto-replied"), ..person("x@y.z") }), Screen::Bounce);
    }

    #[test]
    fn replies_lose_their_quote_and_signature() {
        let gmail = "Thanks, it arrived.\r\n\r\nOn Mon, 1 Dec 2026 at 10:00, Support <help@example.com> wrote:\r\n> Your parcel left today.\r\n";
        assert_eq!(trim_reply(gmail), "Thanks, it arrived.");
        let wrapped = "Still broken.\n\nOn Mon, 1 Dec 2026 at 10:00, Support Team\n<help@example.com> wrote:\n> hello";
        assert_eq!(trim_reply(wrapped), "Still broken.");
        let korean = "네 확인했습니다.\n감사합니다.\n\n2026년 12월 1일 (화) 오전 10:00, 고객센터 <help@example.com>님이 작성:\n> 안녕하세요";
        assert_eq!(trim_reply(korean), "네 확인했습니다.\n감사합니다.");
        let outlook = "환불 부탁드립니다.\n\n-----Original Message-----\nFrom: help@example.com\nSent: Monday\n";
        assert_eq!(trim_reply(outlook), "환불 부탁드립니다.");
        let outlook_block = "OK\n\n________________________________\nFrom: Support <help@example.com>\nSent: 1 December 2026 10:00\nSubject: x";
        assert_eq!(trim_reply(outlook_block), "OK");
        let signed = "Where is my order?\n\n-- \nKim Minji\nACME Corp.";
        assert_eq!(trim_reply(signed), "Where is my order?");
        let phone = "Got it\n\nSent from my iPhone";
        assert_eq!(trim_reply(phone), "Got it");
        let naver = "알겠습니다\n\niPhone에서 보냄";
        assert_eq!(trim_reply(naver), "알겠습니다");
    }

    #[test]
    fn a_reply_that_is_all_quote_is_kept_whole() {
        assert_eq!(trim_reply("> only a quote\n> more"), "> only a quote\n> more");
        // a line that merely mentions "from:" is the customer's text
        assert_eq!(trim_reply("Mail from: my sister says\nit broke"), "Mail from: my sister says\nit broke");
    }

    #[test]
    fn iso_2022_kr_becomes_euc_kr() {
        // "한글" is B0 A1 (가)… in EUC-KR: 한 = C7 D1, 글 = B1 DB
        let iso = b"\x1b$)C\r\nA \x0e\x47\x51\x31\x5b\x0f B\r\n";
        assert_eq!(iso_2022_kr_to_euc_kr(iso).expect("valid"), b"\r\nA \xc7\xd1\xb1\xdb B\r\n".to_vec());
        assert_eq!(iso_2022_kr_to_euc_kr(b"\x1b$B"), None, "another escape");
        assert_eq!(iso_2022_kr_to_euc_kr(b"\xc7\xd1"), None, "8-bit");
        // a line break ends a shift that was never closed
        assert_eq!(iso_2022_kr_to_euc_kr(b"\x0e\x47\x51\nA").expect("valid"), b"\xc7\xd1\nA".to_vec());
    }
}
