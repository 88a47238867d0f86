//! Names of stored values (grades, statuses, presence, channels, categories, timeline kinds) and
//! formatted quantities. Every enum is matched exhaustively: a new variant without its two names
//! does not compile.

use super::{group_thousands, Texts};
use crate::model::inbound::{InboundOutcome, InboundReason};
use crate::model::{Grade, InquiryStatus, OrderStatus, Presence, VocCategory};

texts! {
    grade: "등급", "Grade";
    won(n: i64) -> String: format!("{}원", group_thousands(n)), format!("₩{}", group_thousands(n));
    minutes(m: i64) -> String: format!("{m}분"), format!("{m} min");
    stars(n: i32) -> String: format!("{n}점"), format!("{n} of 5");
    time_left(m: i64) -> String: if m >= 0 { format!("{}시간 {}분 남음", m / 60, m % 60) } else { format!("{}시간 {}분 초과", -m / 60, -m % 60) }, if m >= 0 { format!("{}h {}m left", m / 60, m % 60) } else { format!("{}h {}m overdue", -m / 60, -m % 60) };
    confidence(c: f32) -> String: format!("신뢰도 {:.0}%", c * 100.0), format!("confidence {:.0}%", c * 100.0);
    weekdays -> [&'static str; 7]: ["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"], ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    weekdays_short -> [&'static str; 7]: ["월", "화", "수", "목", "금", "토", "일"], ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    voc_label: "고객의 소리(VOC)", "Voice of customer";
    voc_none: "분류 안 함", "Not filed";
}

impl Texts {
    pub fn grade_name(&self, grade: Grade) -> &'static str {
        let (ko, en) = match grade {
            Grade::Vip => ("VIP", "VIP"),
            Grade::Gold => ("골드", "Gold"),
            Grade::General => ("일반", "General"),
            Grade::New => ("신규", "New"),
        };
        self.pick(ko, en)
    }

    pub fn order_status(&self, status: OrderStatus) -> &'static str {
        let (ko, en) = match status {
            OrderStatus::Placed => ("주문 접수", "Placed"),
            OrderStatus::Paid => ("결제 완료", "Paid"),
            OrderStatus::Shipped => ("배송 중", "Shipped"),
            OrderStatus::Delivered => ("배송 완료", "Delivered"),
            OrderStatus::Cancelled => ("주문 취소", "Cancelled"),
            OrderStatus::Returned => ("반품", "Returned"),
        };
        self.pick(ko, en)
    }

    pub fn inquiry_status(&self, status: InquiryStatus) -> &'static str {
        let (ko, en) = match status {
            InquiryStatus::New => ("접수", "New"),
            InquiryStatus::AutoAnswered => ("자동 답변", "Auto-answered"),
            InquiryStatus::Open => ("처리 중", "Open"),
            InquiryStatus::WaitingCustomer => ("고객 답변 대기", "Waiting for you"),
            InquiryStatus::Resolved => ("해결", "Resolved"),
            InquiryStatus::Closed => ("종료", "Closed"),
        };
        self.pick(ko, en)
    }

    pub fn presence_name(&self, presence: Presence) -> &'static str {
        let (ko, en) = match presence {
            Presence::Online => ("상담 가능", "Online"),
            Presence::Away => ("자리 비움", "Away"),
            Presence::Offline => ("오프라인", "Offline"),
        };
        self.pick(ko, en)
    }

    /// Why a mail read from a support mailbox was not imported (admins' list).
    pub fn inbound_reason(&self, reason: InboundReason) -> &'static str {
        let (ko, en) = match reason {
            InboundReason::AutoSubmitted => ("자동 발송 메일(부재중 답장 등)이라 답하지 않았습니다", "Sent automatically (an out-of-office reply or similar): not answered"),
            InboundReason::BulkOrList => ("대량·메일링 리스트 메일입니다", "Bulk or mailing-list mail"),
            InboundReason::OwnMail => ("이 서버가 보낸 메일이 되돌아왔습니다(메일 순환 방지)", "Our own mail came back (loop protection)"),
            InboundReason::TooManyFromSender => ("한 발신자가 한 시간에 보낸 메일이 너무 많습니다", "Too many mails from this sender in one hour"),
            InboundReason::TooLarge => ("메일이 크기 제한보다 큽니다", "Larger than the size limit"),
            InboundReason::Malformed => ("메일 형식이 깨져 읽을 수 없습니다", "Malformed: it cannot be read as a mail"),
            InboundReason::NoSender => ("보낸 사람 주소가 없습니다", "No sender address"),
            InboundReason::StaffAddress => ("상담원·관리자 주소에서 온 메일입니다", "From an agent's or admin's address"),
            InboundReason::NoText => ("본문 글이 없습니다", "No text to read"),
            InboundReason::UnknownCharset => ("알 수 없는 문자 인코딩입니다", "Written in a character set we cannot decode"),
        };
        self.pick(ko, en)
    }

    pub fn inbound_outcome(&self, outcome: InboundOutcome) -> &'static str {
        let (ko, en) = match outcome {
            InboundOutcome::NewInquiry => ("새 문의", "New inquiry"),
            InboundOutcome::Reply => ("답장", "Reply"),
            InboundOutcome::Ignored => ("무시함", "Ignored"),
            InboundOutcome::Bounce => ("반송", "Bounce"),
            InboundOutcome::Failed => ("가져오지 못함", "Could not import"),
        };
        self.pick(ko, en)
    }

    pub fn voc_name(&self, category: VocCategory) -> &'static str {
        let (ko, en) = match category {
            VocCategory::Complaint => ("불만", "Complaint"),
            VocCategory::Question => ("문의", "Question"),
            VocCategory::Compliment => ("칭찬", "Compliment"),
            VocCategory::Suggestion => ("제안", "Suggestion"),
        };
        self.pick(ko, en)
    }

    pub fn language_name(&self, code: &str) -> &'static str {
        match code {
            "en" => self.pick("영어", "English"),
            _ => self.pick("한국어", "Korean"),
        }
    }

    pub fn channel_name(&self, channel: &str) -> &'static str {
        let (ko, en) = match channel {
            "web" => ("웹 문의", "Web"),
            "chat" => ("채팅", "Chat"),
            "email" => ("이메일", "Email"),
            "phone" => ("전화", "Phone"),
            _ => ("기타", "Other"),
        };
        self.pick(ko, en)
    }

    /// A status change written into a customer's thread, by its stored code.
    pub fn system_event(&self, code: &str) -> &'static str {
        let (ko, en) = match code {
            "closed_by_customer" => ("고객님이 문의를 종료했습니다.", "You closed this inquiry."),
            "reopened_by_customer" => ("고객님이 문의를 다시 열었습니다.", "You reopened this inquiry."),
            "solved_by_customer" => ("고객님이 자동 답변으로 해결되었다고 알려 주셨습니다.", "You told us the automatic answer solved your question."),
            "escalated_by_customer" => ("상담원에게 연결했습니다. 곧 답변드리겠습니다.", "Passed to our agents: a person will answer soon."),
            "auto_closed_solved" => ("3일 동안 응답이 없어 해결된 것으로 종료했습니다.", "Closed as solved after 3 days without a reply."),
            _ => ("문의 상태가 바뀌었습니다.", "The inquiry status changed."),
        };
        self.pick(ko, en)
    }

    /// The same events as the agent sees them, with the agent's own changes (`status:…`,
    /// `retyped:…`, `voc:…`).
    pub fn agent_system_event(&self, code: &str) -> String {
        match code.split_once(':') {
            Some(("status", s)) => {
                let name = InquiryStatus::parse(s).map(|s| self.inquiry_status(s)).unwrap_or(s);
                self.pick(format!("상태를 '{name}'(으)로 바꿈"), format!("Status set to “{name}”"))
            }
            Some(("assigned", "-")) => self.pick("대기열로 돌려보냄 (담당자 없음)", "Released to the queue (unassigned)").to_string(),
            Some(("assigned", who)) => self.pick(format!("담당자를 {who}(으)로 지정"), format!("Assigned to {who}")),
            Some(("retyped", t)) => self.pick(format!("유형을 {t}(으)로 바꿈 (재배정)"), format!("Re-typed as {t} (re-routed)")),
            Some(("voc", c)) => {
                let name = VocCategory::parse(c).map_or(if c == "-" { self.voc_none() } else { c }, |c| self.voc_name(c));
                self.pick(format!("고객의 소리를 '{name}'(으)로 분류"), format!("Filed as “{name}” (voice of customer)"))
            }
            _ => self.system_event(code).to_string(),
        }
    }

    /// A kind of entry in the contact timeline ("" or anything unknown: all kinds).
    pub fn history_kind(&self, kind: &str) -> &'static str {
        let (ko, en) = match kind {
            "inquiry" => ("문의 접수", "Inquiry"),
            "message" => ("답변", "Answer"),
            "order" => ("주문 상태", "Order status"),
            "chat" => ("채팅 상담", "Chat"),
            "email" => ("발송 메일", "Email sent"),
            _ => ("전체", "All"),
        };
        self.pick(ko, en)
    }

    /// The agent's timeline also shows internal notes.
    pub fn agent_history_kind(&self, kind: &str) -> &'static str {
        match kind {
            "note" => self.pick("내부 메모", "Internal note"),
            _ => self.history_kind(kind),
        }
    }
}
