//! What each mail says, in Korean and English, as plain text and HTML rendered from the same
//! parts. Every mail ends with why it was sent. Pure functions: no database, no clock.

use super::MailKind;
use crate::i18n::Locale;
use crate::domain::rich_text::escape_html;

/// A mail's words, ready to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One mail to render, with what it needs to say.
#[derive(Debug, Clone, Copy)]
pub enum Template<'a> {
    RegistrationLink { name: &'a str, link: &'a str },
    RegistrationExisting { login_link: &'a str },
    EmailChangeLink { name: &'a str, new_email: &'a str, link: &'a str },
    EmailChangeTaken,
    EmailChanged { name: &'a str, new_email: &'a str },
    PasswordChanged { name: &'a str },
    /// An agent answered the customer's inquiry: the answer itself, and where to read or reply
    /// (`by_mail`: a support mailbox takes replies to this mail). `resolved`: the answer also
    /// resolved the inquiry, so the mail says how to rate it.
    InquiryAnswered { name: &'a str, subject: &'a str, answer: &'a str, link: &'a str, resolved: bool, by_mail: bool },
    /// An FAQ answer answered the customer's inquiry at once.
    InquiryAutoAnswered { name: &'a str, subject: &'a str, answer: &'a str, link: &'a str, by_mail: bool },
    /// An agent marked the inquiry resolved (without a new answer): rate it, or say it is not.
    InquiryResolved { name: &'a str, subject: &'a str, link: &'a str, by_mail: bool },
    /// A chat's transcript the customer asked for: one line per message, as written.
    ChatTranscript { name: &'a str, chat_id: i64, topic: &'a str, lines: &'a [String], link: &'a str },
    /// A service notice (`consented_on`: the day the customer agreed to email, YYYY-MM-DD;
    /// `profile_link`: where to withdraw it).
    Notice { name: &'a str, title: &'a str, body: &'a str, link: &'a str, consented_on: &'a str, profile_link: &'a str },
}

impl Template<'_> {
    pub fn kind(&self) -> MailKind {
        match self {
            Template::RegistrationLink { .. } => MailKind::RegistrationLink,
            Template::RegistrationExisting { .. } => MailKind::RegistrationExisting,
            Template::EmailChangeLink { .. } => MailKind::EmailChangeLink,
            Template::EmailChangeTaken => MailKind::EmailChangeTaken,
            Template::EmailChanged { .. } => MailKind::EmailChanged,
            Template::PasswordChanged { .. } => MailKind::PasswordChanged,
            Template::InquiryAnswered { .. } => MailKind::InquiryAnswered,
            Template::InquiryAutoAnswered { .. } => MailKind::InquiryAutoAnswered,
            Template::InquiryResolved { .. } => MailKind::InquiryResolved,
            Template::ChatTranscript { .. } => MailKind::ChatTranscript,
            Template::Notice { .. } => MailKind::Notice,
        }
    }
}

/// The parts every mail is made of.
struct Parts {
    subject: String,
    greeting: Option<String>,
    lines: Vec<String>,
    /// Text a person wrote (an agent's answer): quoted as written in the text part, formatted
    /// (bold, lists, links) and set apart in HTML.
    quote: Option<String>,
    /// A button in HTML, a bare link on its own line in text.
    action: Option<(String, String)>,
    after: Vec<String>,
    why: String,
}

pub fn render(template: &Template<'_>, locale: Locale) -> Rendered {
    let parts = match locale {
        Locale::Ko => korean(template),
        Locale::En => english(template),
    };
    Rendered { subject: parts.subject.clone(), text: text(&parts), html: html(&parts, locale) }
}

fn korean(t: &Template<'_>) -> Parts {
    let hello = |name: &str| Some(format!("{name}님, 안녕하세요."));
    match *t {
        Template::RegistrationLink { name, link } => Parts {
            subject: "[cybercenter] 회원가입을 마무리해 주세요".into(),
            greeting: hello(name),
            lines: vec!["cybercenter 고객센터 회원가입 신청을 받았습니다. 아래 링크를 열어 가입을 마무리해 주세요. 링크는 24시간 동안 한 번 쓸 수 있습니다.".into()],
            quote: None,
            action: Some(("가입 마무리하기".into(), link.into())),
            after: vec!["가입을 신청하지 않으셨다면 이 메일을 무시해 주세요. 계정은 만들어지지 않습니다.".into()],
            why: "이 주소로 회원가입이 신청되어 보내는 메일입니다.".into(),
        },
        Template::RegistrationExisting { login_link } => Parts {
            subject: "[cybercenter] 이미 가입된 이메일입니다".into(),
            greeting: None,
            lines: vec![
                "이 이메일 주소로 회원가입이 신청되었지만, 이 주소에는 이미 계정이 있습니다. 새 계정은 만들지 않았습니다.".into(),
                "본인이 신청하셨다면 기존 계정으로 로그인해 주세요.".into(),
            ],
            quote: None,
            action: Some(("로그인하기".into(), login_link.into())),
            after: vec!["본인이 신청하지 않으셨다면 이 메일을 무시하셔도 됩니다. 계정에는 아무 변화가 없습니다.".into()],
            why: "이 주소로 회원가입이 신청되어 보내는 메일입니다.".into(),
        },
        Template::EmailChangeLink { name, new_email, link } => Parts {
            subject: "[cybercenter] 새 로그인 이메일을 확인해 주세요".into(),
            greeting: hello(name),
            lines: vec![format!("로그인 이메일을 {new_email}(으)로 바꾸는 요청을 받았습니다. 아래 링크를 열면 변경이 완료됩니다. 링크는 24시간 동안 한 번 쓸 수 있습니다.")],
            quote: None,
            action: Some(("이메일 변경 확인".into(), link.into())),
            after: vec!["요청하지 않으셨다면 이 메일을 무시해 주세요. 이메일은 바뀌지 않습니다.".into()],
            why: "이 주소를 로그인 이메일로 쓰겠다는 요청이 있어 보내는 메일입니다.".into(),
        },
        Template::EmailChangeTaken => Parts {
            subject: "[cybercenter] 이미 사용 중인 이메일입니다".into(),
            greeting: None,
            lines: vec!["다른 계정의 로그인 이메일을 이 주소로 바꾸려는 요청이 있었지만, 이 주소는 이미 계정에서 쓰고 있어 바꾸지 않았습니다.".into()],
            quote: None,
            action: None,
            after: vec!["본인이 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다.".into()],
            why: "이 주소를 로그인 이메일로 쓰겠다는 요청이 있어 보내는 메일입니다.".into(),
        },
        Template::EmailChanged { name, new_email } => Parts {
            subject: "[cybercenter] 로그인 이메일이 변경되었습니다".into(),
            greeting: hello(name),
            lines: vec![
                format!("계정의 로그인 이메일이 {new_email}(으)로 변경되었습니다. 앞으로 이 주소로는 로그인할 수 없습니다."),
                "모든 기기에서 로그아웃되었습니다.".into(),
            ],
            quote: None,
            action: None,
            after: vec!["본인이 변경하지 않으셨다면 바로 고객센터로 연락해 주세요.".into()],
            why: "계정 보안 알림입니다. 계정의 로그인 정보가 바뀌면 항상 보내 드립니다.".into(),
        },
        Template::PasswordChanged { name } => Parts {
            subject: "[cybercenter] 비밀번호가 변경되었습니다".into(),
            greeting: hello(name),
            lines: vec!["계정의 비밀번호가 변경되었습니다. 변경한 기기를 뺀 모든 기기에서 로그아웃되었습니다.".into()],
            quote: None,
            action: None,
            after: vec!["본인이 변경하지 않으셨다면 바로 고객센터로 연락해 주세요.".into()],
            why: "계정 보안 알림입니다. 계정의 로그인 정보가 바뀌면 항상 보내 드립니다.".into(),
        },
        Template::InquiryAnswered { name, subject, answer, link, resolved, by_mail } => Parts {
            subject: format!("[cybercenter] 문의에 답변드립니다: {subject}"),
            greeting: hello(name),
            lines: vec![format!("문의하신 \"{subject}\"에 상담원이 답변을 남겼습니다.")],
            quote: Some(answer.into()),
            action: Some(if resolved { ("답변 평가하기".into(), format!("{link}#rate")) } else { ("문의 전체 보기·답하기".into(), link.into()) }),
            after: match (resolved, by_mail) {
                (true, true) => vec!["이 답변으로 문의를 해결됨으로 표시했습니다. 해결되지 않았다면 이 메일에 답장해 주세요. 문의가 다시 열립니다.".into()],
                (true, false) => vec!["이 답변으로 문의를 해결됨으로 표시했습니다. 해결되지 않았다면 위 링크에서 다시 열어 주세요.".into()],
                (false, true) => vec!["더 궁금하신 점은 이 메일에 답장하시거나 위 링크에서 이어서 남겨 주세요.".into()],
                (false, false) => vec!["더 궁금하신 점은 위 링크에서 이어서 남겨 주세요.".into()],
            },
            why: "고객님이 남기신 문의에 대한 답변이라 보내 드리는 메일입니다.".into(),
        },
        Template::InquiryAutoAnswered { name, subject, answer, link, by_mail } => Parts {
            subject: format!("[cybercenter] 자동 답변: {subject}"),
            greeting: hello(name),
            lines: vec![format!("문의하신 \"{subject}\"은(는) 자주 묻는 질문이라 바로 답변드립니다.")],
            quote: Some(answer.into()),
            action: Some(("문의 보기·상담원 연결".into(), link.into())),
            after: vec![if by_mail {
                "답변이 도움이 되지 않았다면 이 메일에 답장하시거나 위 링크에서 '상담원 연결이 필요해요'를 눌러 주세요. 상담원이 이어서 답변드립니다.".into()
            } else {
                "답변이 도움이 되지 않았다면 위 링크에서 '상담원 연결이 필요해요'를 눌러 주세요. 상담원이 이어서 답변드립니다.".into()
            }],
            why: "고객님이 남기신 문의에 대한 자동 답변이라 보내 드리는 메일입니다.".into(),
        },
        Template::InquiryResolved { name, subject, link, by_mail } => Parts {
            subject: format!("[cybercenter] 문의가 해결되었습니다: {subject}"),
            greeting: hello(name),
            lines: vec![format!("문의하신 \"{subject}\"을(를) 해결됨으로 표시했습니다. 답변이 어떠셨는지 평가해 주시면 더 나은 상담에 반영하겠습니다.")],
            quote: None,
            action: Some(("답변 평가하기".into(), format!("{link}#rate"))),
            after: vec![if by_mail {
                "해결되지 않았다면 이 메일에 답장해 주세요. 문의가 다시 열립니다.".into()
            } else {
                "해결되지 않았다면 위 링크에서 문의를 다시 열어 주세요.".into()
            }],
            why: "고객님이 남기신 문의의 처리 결과라 보내 드리는 메일입니다.".into(),
        },
        Template::ChatTranscript { name, chat_id, topic, lines, link } => Parts {
            subject: format!("[cybercenter] 채팅 상담 #{chat_id} 대화 내용 ({topic})"),
            greeting: hello(name),
            lines: std::iter::once(format!("요청하신 채팅 상담 #{chat_id}의 대화 내용입니다.")).chain(lines.iter().cloned()).collect(),
            quote: None,
            action: Some(("상담 이력에서 보기".into(), link.into())),
            after: vec![],
            why: "고객님이 대화 내용을 메일로 받겠다고 요청하셔서 보내 드리는 메일입니다.".into(),
        },
        Template::Notice { name, title, body, link, consented_on, profile_link } => Parts {
            subject: format!("[cybercenter] {title}"),
            greeting: hello(name),
            lines: body.lines().map(str::to_string).collect(),
            quote: None,
            action: Some(("마이페이지에서 보기".into(), link.into())),
            after: vec![format!("메일로 안내를 받고 싶지 않으시면 내 정보에서 이메일 수신 동의를 끄세요: {profile_link}")],
            why: format!("고객님이 {consented_on}에 이메일 수신에 동의하셔서 보내 드리는 안내입니다."),
        },
    }
}

fn english(t: &Template<'_>) -> Parts {
    let hello = |name: &str| Some(format!("Hello {name},"));
    match *t {
        Template::RegistrationLink { name, link } => Parts {
            subject: "[cybercenter] Finish your registration".into(),
            greeting: hello(name),
            lines: vec!["We received a registration for the cybercenter customer center. Open the link below to finish it. The link works once, for 24 hours.".into()],
            quote: None,
            action: Some(("Finish registration".into(), link.into())),
            after: vec!["If you did not register, ignore this mail: no account is created.".into()],
            why: "You get this mail because this address was entered in our registration form.".into(),
        },
        Template::RegistrationExisting { login_link } => Parts {
            subject: "[cybercenter] This address already has an account".into(),
            greeting: None,
            lines: vec![
                "Someone registered with this address, but it already has an account, so no new account was created.".into(),
                "If it was you, log in with your existing account.".into(),
            ],
            quote: None,
            action: Some(("Log in".into(), login_link.into())),
            after: vec!["If it was not you, you can ignore this mail: nothing changed in your account.".into()],
            why: "You get this mail because this address was entered in our registration form.".into(),
        },
        Template::EmailChangeLink { name, new_email, link } => Parts {
            subject: "[cybercenter] Confirm your new sign-in email".into(),
            greeting: hello(name),
            lines: vec![format!("We received a request to change your sign-in email to {new_email}. Open the link below to confirm it. The link works once, for 24 hours.")],
            quote: None,
            action: Some(("Confirm the new email".into(), link.into())),
            after: vec!["If you did not ask for this, ignore this mail: your email stays as it is.".into()],
            why: "You get this mail because this address was entered as a new sign-in email.".into(),
        },
        Template::EmailChangeTaken => Parts {
            subject: "[cybercenter] This address is already in use".into(),
            greeting: None,
            lines: vec!["Someone asked to use this address as the sign-in email of another account, but an account already uses it, so nothing changed.".into()],
            quote: None,
            action: None,
            after: vec!["If it was not you, you can ignore this mail.".into()],
            why: "You get this mail because this address was entered as a new sign-in email.".into(),
        },
        Template::EmailChanged { name, new_email } => Parts {
            subject: "[cybercenter] Your sign-in email was changed".into(),
            greeting: hello(name),
            lines: vec![
                format!("The sign-in email of your account is now {new_email}. This address no longer signs in."),
                "You were signed out on every device.".into(),
            ],
            quote: None,
            action: None,
            after: vec!["If you did not make this change, contact the customer center right away.".into()],
            why: "This is a security notice: we always send one when your sign-in details change.".into(),
        },
        Template::PasswordChanged { name } => Parts {
            subject: "[cybercenter] Your password was changed".into(),
            greeting: hello(name),
            lines: vec!["The password of your account was changed. Every device except the one that changed it was signed out.".into()],
            quote: None,
            action: None,
            after: vec!["If you did not make this change, contact the customer center right away.".into()],
            why: "This is a security notice: we always send one when your sign-in details change.".into(),
        },
        Template::InquiryAnswered { name, subject, answer, link, resolved, by_mail } => Parts {
            subject: format!("[cybercenter] Re: {subject}"),
            greeting: hello(name),
            lines: vec![format!("An agent answered your inquiry \"{subject}\".")],
            quote: Some(answer.into()),
            action: Some(if resolved { ("Rate the answer".into(), format!("{link}#rate")) } else { ("See the whole inquiry and reply".into(), link.into()) }),
            after: match (resolved, by_mail) {
                (true, true) => vec!["With this answer we marked your inquiry resolved. If it is not, reply to this mail and it opens again.".into()],
                (true, false) => vec!["With this answer we marked your inquiry resolved. If it is not, reopen it at the link above.".into()],
                (false, true) => vec!["If you have more questions, reply to this mail or continue at the link above.".into()],
                (false, false) => vec!["If you have more questions, continue at the link above.".into()],
            },
            why: "You get this mail because it answers an inquiry you sent us.".into(),
        },
        Template::InquiryAutoAnswered { name, subject, answer, link, by_mail } => Parts {
            subject: format!("[cybercenter] Automatic answer: {subject}"),
            greeting: hello(name),
            lines: vec![format!("Your inquiry \"{subject}\" is a frequent question, so here is the answer right away.")],
            quote: Some(answer.into()),
            action: Some(("See the inquiry or ask for an agent".into(), link.into())),
            after: vec![if by_mail {
                "If this did not help, reply to this mail or choose \"I still need a person\" at the link above, and an agent will take it from there.".into()
            } else {
                "If this did not help, choose \"I still need a person\" at the link above and an agent will take it from there.".into()
            }],
            why: "You get this mail because it automatically answers an inquiry you sent us.".into(),
        },
        Template::InquiryResolved { name, subject, link, by_mail } => Parts {
            subject: format!("[cybercenter] Resolved: {subject}"),
            greeting: hello(name),
            lines: vec![format!("We marked your inquiry \"{subject}\" resolved. Tell us how the answer was: it helps us serve you better.")],
            quote: None,
            action: Some(("Rate the answer".into(), format!("{link}#rate"))),
            after: vec![if by_mail {
                "If it is not resolved, reply to this mail and it opens again.".into()
            } else {
                "If it is not resolved, reopen it at the link above.".into()
            }],
            why: "You get this mail because it tells you what became of an inquiry you sent us.".into(),
        },
        Template::ChatTranscript { name, chat_id, topic, lines, link } => Parts {
            subject: format!("[cybercenter] Transcript of chat #{chat_id} ({topic})"),
            greeting: hello(name),
            lines: std::iter::once(format!("Here is the transcript of chat #{chat_id} you asked for.")).chain(lines.iter().cloned()).collect(),
            quote: None,
            action: Some(("See it in your history".into(), link.into())),
            after: vec![],
            why: "You get this mail because you asked for the transcript of your chat.".into(),
        },
        Template::Notice { name, title, body, link, consented_on, profile_link } => Parts {
            subject: format!("[cybercenter] {title}"),
            greeting: hello(name),
            lines: body.lines().map(str::to_string).collect(),
            quote: None,
            action: Some(("See it on My page".into(), link.into())),
            after: vec![format!("To stop getting notices by mail, turn off email in your profile: {profile_link}")],
            why: format!("You get this notice because you agreed to receive email from us on {consented_on}."),
        },
    }
}

fn text(p: &Parts) -> String {
    let mut out = String::new();
    if let Some(g) = &p.greeting {
        out.push_str(g);
        out.push_str("\n\n");
    }
    for line in &p.lines {
        out.push_str(line);
        out.push_str("\n\n");
    }
    if let Some(q) = &p.quote {
        out.push_str(q.trim_end());
        out.push_str("\n\n");
    }
    if let Some((label, url)) = &p.action {
        out.push_str(&format!("{label}:\n{url}\n\n"));
    }
    for line in &p.after {
        out.push_str(line);
        out.push_str("\n\n");
    }
    out.push_str("-- \n");
    out.push_str(&p.why);
    out.push_str("\ncybercenter\n");
    out
}

fn html(p: &Parts, locale: Locale) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"font-family:sans-serif;line-height:1.6;color:#1f2933;max-width:36em\">\n",
        locale.code(),
        escape_html(&p.subject)
    );
    if let Some(g) = &p.greeting {
        out.push_str(&format!("<p>{}</p>\n", escape_html(g)));
    }
    for line in &p.lines {
        out.push_str(&format!("<p>{}</p>\n", escape_html(line)));
    }
    if let Some(q) = &p.quote {
        out.push_str(&format!(
            "<div style=\"border-left:3px solid #cbd2d9;padding:.1em 1em;margin:1em 0\">\n{}</div>\n",
            crate::domain::rich_text::to_html(q)
        ));
    }
    if let Some((label, url)) = &p.action {
        out.push_str(&format!(
            "<p><a href=\"{}\" style=\"display:inline-block;padding:.6em 1.2em;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:6px\">{}</a></p>\n\
             <p style=\"font-size:.9em;color:#52606d\">{}</p>\n",
            escape_html(url),
            escape_html(label),
            escape_html(url)
        ));
    }
    for line in &p.after {
        out.push_str(&format!("<p>{}</p>\n", escape_html(line)));
    }
    out.push_str(&format!(
        "<hr><p style=\"font-size:.85em;color:#52606d\">{}<br>cybercenter</p>\n</body></html>\n",
        escape_html(&p.why)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static TRANSCRIPT: &[String] = &[];

    fn all<'a>() -> Vec<Template<'a>> {
        vec![
            Template::RegistrationLink { name: "<b>김</b>", link: "https://x/register/confirm?token=ab&x=1" },
            Template::RegistrationExisting { login_link: "https://x/login" },
            Template::EmailChangeLink { name: "Kim", new_email: "new@example.com", link: "https://x/account/email?token=cd" },
            Template::EmailChangeTaken,
            Template::EmailChanged { name: "Kim", new_email: "new@example.com" },
            Template::PasswordChanged { name: "Kim" },
            Template::InquiryAnswered { name: "Kim", subject: "배송 <문의>", answer: "**내일** 도착합니다.\n\n- 송장: 123", link: "https://x/my/inquiries/7", resolved: false, by_mail: false },
            Template::InquiryAnswered { name: "Kim", subject: "배송 <문의>", answer: "교환해 드렸습니다.", link: "https://x/my/inquiries/7", resolved: true, by_mail: true },
            Template::InquiryAutoAnswered { name: "Kim", subject: "배송 <문의>", answer: "보통 2일 걸립니다.", link: "https://x/my/inquiries/7", by_mail: true },
            Template::InquiryResolved { name: "Kim", subject: "배송 <문의>", link: "https://x/my/inquiries/7", by_mail: false },
            Template::ChatTranscript { name: "Kim", chat_id: 3, topic: "배송", lines: TRANSCRIPT, link: "https://x/my/chats/3" },
        ]
    }

    #[test]
    fn every_mail_has_both_parts_in_both_languages_and_says_why() {
        for t in all() {
            let ko = render(&t, Locale::Ko);
            let en = render(&t, Locale::En);
            assert_ne!(ko.subject, en.subject, "{:?}", t.kind());
            for r in [&ko, &en] {
                assert!(r.subject.starts_with("[cybercenter]"));
                assert!(r.text.contains("\n-- \n"), "signature separator: {}", r.text);
                assert!(r.html.contains("<hr>"));
                assert!(!r.html.contains("<b>"), "names are escaped: {}", r.html);
            }
            assert!(ko.text.contains("메일입니다") || ko.text.contains("알림입니다"), "{}", ko.text);
            assert!(!ko.html.contains("<문의>") && !en.html.contains("<문의>"), "subjects are escaped");
            assert!(en.text.contains("You get this mail") || en.text.contains("security notice"), "{}", en.text);
        }
    }

    #[test]
    fn links_appear_whole_in_text_and_escaped_in_html() {
        let r = render(&all()[0], Locale::Ko);
        assert!(r.text.contains("\nhttps://x/register/confirm?token=ab&x=1\n"), "{}", r.text);
        assert!(r.html.contains("href=\"https://x/register/confirm?token=ab&amp;x=1\""), "{}", r.html);
        assert!(r.text.starts_with("<b>김</b>님, 안녕하세요."), "text keeps the name as typed");
    }

    #[test]
    fn a_resolved_inquiry_asks_for_a_rating_and_says_how_to_reopen() {
        let resolved = |by_mail| Template::InquiryResolved { name: "Kim", subject: "배송", link: "https://x/my/inquiries/7", by_mail };
        let r = render(&resolved(true), Locale::En);
        assert!(r.text.contains("https://x/my/inquiries/7#rate") && r.text.contains("reply to this mail"), "{}", r.text);
        assert!(!render(&resolved(false), Locale::En).text.contains("reply to this mail"), "no mailbox: no promise a reply arrives");
        let answered = Template::InquiryAnswered { name: "Kim", subject: "배송", answer: "x", link: "https://x/my/inquiries/7", resolved: true, by_mail: false };
        let r = render(&answered, Locale::Ko);
        assert!(r.text.contains("#rate") && r.text.contains("해결됨"), "{}", r.text);
    }

    #[test]
    fn an_answer_is_quoted_as_written_and_formatted_in_html() {
        let t = Template::InquiryAnswered { name: "Kim", subject: "배송", answer: "**내일** 도착합니다.\n\n- 송장: 123\n<script>x</script>", link: "https://x/my/inquiries/7", resolved: false, by_mail: false };
        let r = render(&t, Locale::Ko);
        assert!(r.text.contains("**내일** 도착합니다.\n\n- 송장: 123"), "{}", r.text);
        assert!(r.text.contains("\nhttps://x/my/inquiries/7\n"), "{}", r.text);
        assert!(r.html.contains("<strong>내일</strong>") && r.html.contains("<li>"), "{}", r.html);
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert_eq!(r.subject, "[cybercenter] 문의에 답변드립니다: 배송");
    }
}
