//! The translation layer: every UI string comes from [`Texts`] in the current [`Locale`].

pub mod locale;
pub mod texts;

pub use locale::{Locale, LOCALE_COOKIE};
pub use texts::{texts, Texts};

use crate::error::{AppError, FieldCode};
use leptos::prelude::*;

/// The current language, shared by every component.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// The strings of the current language (tracks the locale signal).
    pub fn t(&self) -> &'static Texts {
        texts(self.locale.get())
    }

    pub fn set(&self, locale: Locale) {
        self.locale.set(locale);
        #[cfg(feature = "hydrate")]
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", locale.code());
        }
    }
}

/// The locale of the current request (server) or of the page being hydrated (browser, read back
/// from `<html lang>`, which the server rendered from the same negotiation).
pub fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use http::header::{ACCEPT_LANGUAGE, COOKIE};
        if let Some(parts) = use_context::<http::request::Parts>() {
            let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
            return locale::negotiate(header(COOKIE), header(ACCEPT_LANGUAGE));
        }
    }
    #[cfg(feature = "hydrate")]
    {
        if let Some(lang) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
        {
            if let Some(locale) = Locale::parse(&lang) {
                return locale;
            }
        }
    }
    Locale::default()
}

pub fn provide_i18n() -> I18n {
    let i18n = I18n { locale: RwSignal::new(initial_locale()) };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(provide_i18n)
}

/// Words for one rejected field.
pub fn field_message(t: &Texts, code: &FieldCode) -> String {
    match code {
        FieldCode::Required => t.err_required().to_string(),
        FieldCode::TooShort { min } => t.err_too_short(*min),
        FieldCode::TooLong { max } => t.err_too_long(*max),
        FieldCode::TooMany { max } => t.err_too_many(*max),
        FieldCode::OutOfRange { min, max } => t.err_out_of_range(*min, *max),
        FieldCode::InvalidEmail => t.err_invalid_email().to_string(),
        FieldCode::EmailTaken => t.err_email_taken().to_string(),
        FieldCode::PasswordMismatch => t.err_password_mismatch().to_string(),
        FieldCode::WrongPassword => t.err_wrong_password().to_string(),
        FieldCode::ControlCharacters => t.err_control_chars().to_string(),
        FieldCode::InvalidChoice => t.err_invalid_choice().to_string(),
        FieldCode::InvalidPhone => t.err_invalid_phone().to_string(),
        FieldCode::InvalidPostalCode => t.err_invalid_postal_code().to_string(),
        FieldCode::OldPostalCode => t.err_old_postal_code().to_string(),
        FieldCode::AddressIncomplete => t.err_address_incomplete().to_string(),
        FieldCode::InquiryClosed => t.err_inquiry_closed().to_string(),
        FieldCode::ReopenExpired => t.err_reopen_expired().to_string(),
        FieldCode::AlreadyRated => t.err_already_rated().to_string(),
        FieldCode::NotAutoAnswered => t.err_not_auto_answered().to_string(),
        FieldCode::AlreadyTaken => t.err_already_taken().to_string(),
        FieldCode::CodeTaken => t.err_code_taken().to_string(),
        FieldCode::TitleTaken => t.err_title_taken().to_string(),
        FieldCode::NoSuchCustomer => t.err_no_such_customer().to_string(),
        FieldCode::VipBelowGold => t.err_vip_below_gold().to_string(),
        FieldCode::ChatEnded => t.err_chat_ended().to_string(),
        FieldCode::ChatLimitReached { limit } => t.err_chat_limit(*limit),
        FieldCode::ChatNotYours => t.err_chat_not_yours().to_string(),
        FieldCode::InvalidDate => t.err_invalid_date().to_string(),
        FieldCode::DateOrder => t.err_date_order().to_string(),
        FieldCode::RangeTooLong { max_days } => t.err_range_too_long(*max_days),
        FieldCode::InvalidShift { part } => t.err_invalid_shift(part),
        FieldCode::LinkInvalid => t.err_link_invalid().to_string(),
        FieldCode::SameEmail => t.err_same_email().to_string(),
        FieldCode::MailboxUrl { problem } => {
            use crate::domain::mailbox::UrlProblem;
            match problem {
                UrlProblem::Scheme => t.err_url_scheme(),
                UrlProblem::Credentials => t.err_url_credentials(),
                UrlProblem::Setting => t.err_url_setting(),
                UrlProblem::Port => t.err_url_port(),
                UrlProblem::Host => t.err_url_host(),
                UrlProblem::PlainTextRemote => t.err_url_plain_remote(),
                UrlProblem::TlsContradiction => t.err_url_tls_contradiction(),
            }
            .to_string()
        }
        FieldCode::Attachment { name, problem } => {
            use crate::domain::attachment::{AttachProblem, Refusal};
            match problem {
                AttachProblem::TooLarge { max_mib } => t.err_file_too_large(name, *max_mib),
                AttachProblem::MessageTooLarge { max_mib } => t.err_files_too_large(name, *max_mib),
                AttachProblem::TooMany { max } => t.err_files_too_many(name, *max),
                AttachProblem::Refused(Refusal::Executable) => t.err_file_program(name),
                AttachProblem::Refused(Refusal::NotAllowed) => t.err_file_kind(name),
                AttachProblem::Refused(Refusal::Empty) => t.err_file_empty(name),
            }
        }
    }
}

/// Words for a whole error, for the message at the top of a form.
pub fn error_message(t: &Texts, err: &AppError) -> String {
    match err {
        AppError::Unauthorized => t.err_sign_in().to_string(),
        AppError::Forbidden => t.not_allowed_body().to_string(),
        AppError::NotFound => t.not_found_body().to_string(),
        AppError::BadCredentials => t.login_failed().to_string(),
        AppError::Invalid(_) => t.err_form().to_string(),
        AppError::RateLimited { retry_after_s, what: crate::error::Limited::Login } => t.login_throttled(*retry_after_s),
        AppError::RateLimited { retry_after_s, .. } => t.too_often(*retry_after_s),
        AppError::Busy { .. } => t.err_busy().to_string(),
        AppError::BadRequest(_) => t.err_bad_request().to_string(),
        AppError::Unavailable => t.err_unavailable().to_string(),
        AppError::Internal { request_id } => t.err_internal(request_id),
    }
}
