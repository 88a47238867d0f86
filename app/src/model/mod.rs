//! Types more than one feature uses, compiled for the server and the browser: the states records
//! move through, as enums (stored and sent as the snake_case words of DESIGN 2), so a new state
//! is a compile error wherever it is not handled, labels included; and the records several areas
//! show (the signed-in user, chat messages, inquiry rows, the contact timeline, pages of lists).

/// An enum whose values are stored and sent as fixed words: the enum with its serde and sqlx
/// forms (each variant renamed to its word, so the three can never disagree), `ALL` and `WORDS`
/// in the given order, `as_str`, `parse` and `Display`.
macro_rules! stored_words {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant),+
        }

        // stored as its word in a text column, on either backend
        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <&str as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(&self, buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let word = <&str as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                $name::parse(word).ok_or_else(|| format!("{:?} is not a stored {}", word, stringify!($name)).into())
            }
        }

        impl $name {
            pub const ALL: [$name; <[&str]>::len(&[$($word),+])] = [$($name::$variant),+];

            /// The stored words, in the order of `ALL` (filter options, query strings).
            pub const WORDS: [&'static str; <[&str]>::len(&[$($word),+])] = [$($word),+];

            /// The stored word (its column, CSS classes, query strings).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            pub fn parse(word: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.as_str() == word)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod attachment;
pub mod channel;
#[cfg(feature = "ssr")]
pub mod flag;
pub mod chat;
pub mod grade;
pub mod history;
pub mod inbound;
pub mod inquiry;
pub mod inquiry_status;
pub mod options;
pub mod page;
pub mod order_status;
pub mod presence;
pub mod saved_reply;
pub mod user;
pub mod voc;

pub use channel::Channel;
#[cfg(feature = "ssr")]
pub use flag::Flag;
pub use grade::Grade;
pub use inquiry_status::InquiryStatus;
pub use options::{GroupOption, TypeOption};
pub use order_status::OrderStatus;
pub use page::Page;
pub use presence::Presence;
pub use user::CurrentUser;
pub use voc::VocCategory;

#[cfg(test)]
mod tests {
    use super::chat::ChatStatus;
    use super::*;

    fn words_round_trip<T: Copy + PartialEq + std::fmt::Debug + serde::Serialize>(all: &[T], words: &[&str], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>) {
        assert_eq!(all.len(), words.len());
        for (v, w) in all.iter().zip(words) {
            assert_eq!(as_str(*v), *w);
            assert_eq!(parse(w), Some(*v));
            assert_eq!(serde_json::to_string(v).ok(), Some(format!("\"{w}\"")));
        }
        assert_eq!(parse("no_such_word"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn every_stored_enum_round_trips_its_words_through_parse_and_serde() {
        words_round_trip(&InquiryStatus::ALL, &InquiryStatus::WORDS, InquiryStatus::as_str, InquiryStatus::parse);
        words_round_trip(&ChatStatus::ALL, &ChatStatus::WORDS, ChatStatus::as_str, ChatStatus::parse);
        words_round_trip(&Grade::ALL, &Grade::WORDS, Grade::as_str, Grade::parse);
        words_round_trip(&Presence::ALL, &Presence::WORDS, Presence::as_str, Presence::parse);
        words_round_trip(&OrderStatus::ALL, &OrderStatus::WORDS, OrderStatus::as_str, OrderStatus::parse);
        words_round_trip(&inbound::InboundOutcome::ALL, &inbound::InboundOutcome::WORDS, inbound::InboundOutcome::as_str, inbound::InboundOutcome::parse);
        words_round_trip(&inbound::InboundReason::ALL, &inbound::InboundReason::WORDS, inbound::InboundReason::as_str, inbound::InboundReason::parse);
        words_round_trip(&Channel::ALL, &Channel::WORDS, Channel::as_str, Channel::parse);
        words_round_trip(&VocCategory::ALL, &VocCategory::WORDS, VocCategory::as_str, VocCategory::parse);
        assert_eq!(InquiryStatus::WaitingCustomer.as_str(), "waiting_customer");
        assert_eq!(InquiryStatus::AutoAnswered.to_string(), "auto_answered");
        // the queue ranks VIP first: priorities fall along `Grade::ALL`
        assert!(Grade::ALL.windows(2).all(|w| w[0].priority() > w[1].priority()));
        assert_eq!(Grade::Vip.priority(), 3);
    }
}
