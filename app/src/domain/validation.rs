//! Input rules for accounts, checked in the browser for quick feedback and again on the server,
//! which is the one that counts. Every rule returns a field code the UI translates.

use crate::error::{FieldCode, FieldError};

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const NAME_MAX_CHARS: usize = 100;

/// Trims and lower-cases nothing: returns the email as typed (trimmed) if it is valid.
/// The unique key is `email_key`, the lower-cased form.
pub fn validate_email(raw: &str) -> Result<String, FieldCode> {
    let email = raw.trim();
    if email.is_empty() {
        return Err(FieldCode::Required);
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(FieldCode::TooLong { max: EMAIL_MAX_CHARS });
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err(FieldCode::InvalidEmail);
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(email.to_string())
    } else {
        Err(FieldCode::InvalidEmail)
    }
}

/// The case-insensitive key under which an email is unique.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Password rules (OWASP ASVS): length only, counted in characters, no composition rules.
pub fn validate_password(password: &str) -> Result<(), FieldCode> {
    let n = password.chars().count();
    if n == 0 {
        Err(FieldCode::Required)
    } else if n < PASSWORD_MIN_CHARS {
        Err(FieldCode::TooShort { min: PASSWORD_MIN_CHARS })
    } else if n > PASSWORD_MAX_CHARS {
        Err(FieldCode::TooLong { max: PASSWORD_MAX_CHARS })
    } else {
        Ok(())
    }
}

/// A person's display name: required, at most 100 characters, no control characters.
/// Stored as typed (trimmed); markup in it is shown as text, never interpreted.
pub fn validate_name(raw: &str) -> Result<String, FieldCode> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldCode::Required);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(FieldCode::TooLong { max: NAME_MAX_CHARS });
    }
    if name.chars().any(|c| is_forbidden_char(c, false)) {
        return Err(FieldCode::ControlCharacters);
    }
    Ok(name.to_string())
}

/// A character that must not be in what people type: control characters (line breaks and tabs
/// only in multi-line text), text-direction overrides and isolates (which make "txt.exe" read as
/// "exe.txt" or reorder a name in the agent console), and invisible characters (zero-width space,
/// word joiner, byte-order mark, soft hyphen, Hangul fillers) that make two names look alike.
/// Zero-width joiners, non-joiners and tag characters are allowed in multi-line text only, where
/// emoji sequences use them.
pub fn is_forbidden_char(c: char, multiline: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' => !multiline,
        c if c.is_control() => true,
        // bidi embeddings, overrides, isolates and marks
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' => true,
        // invisible: zero-width space, word joiner and invisible operators, BOM, Mongolian vowel
        // separator, soft hyphen, combining grapheme joiner, Hangul fillers
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}' | '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{3164}'
        | '\u{FFA0}' => true,
        '\u{200C}' | '\u{200D}' | '\u{E0000}'..='\u{E007F}' => !multiline,
        _ => false,
    }
}

/// What a registration form carries once it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub name: String,
    pub email: String,
    pub password: String,
}

/// Checks every field of the registration form and reports all problems at once.
pub fn validate_registration(
    name: &str,
    email: &str,
    password: &str,
    password_confirm: &str,
) -> Result<Registration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = validate_name(name).map_err(|c| errors.push(FieldError::new("name", c))).ok();
    let email = validate_email(email).map_err(|c| errors.push(FieldError::new("email", c))).ok();
    if let Err(c) = validate_password(password) {
        errors.push(FieldError::new("password", c));
    } else if password != password_confirm {
        errors.push(FieldError::new("password_confirm", FieldCode::PasswordMismatch));
    }
    match (name, email) {
        (Some(name), Some(email)) if errors.is_empty() => {
            Ok(Registration { name, email, password: password.to_string() })
        }
        _ => Err(errors),
    }
}

/// A return path after login must stay on this site: an absolute path, not `//host` or a URL.
pub fn safe_return_path(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control())
        && next.len() <= 512;
    ok.then(|| next.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_validation_table() {
        let good = [
            "a@example.com",
            "Customer1@Example.COM",
            "first.last+tag@sub.example.co.kr",
            "  padded@example.com  ",
            "o'brien@example.ie",
        ];
        for e in good {
            assert!(validate_email(e).is_ok(), "should accept {e:?}");
        }
        let bad = [
            ("", FieldCode::Required),
            ("   ", FieldCode::Required),
            ("plainaddress", FieldCode::InvalidEmail),
            ("@example.com", FieldCode::InvalidEmail),
            ("a@", FieldCode::InvalidEmail),
            ("a@localhost", FieldCode::InvalidEmail),
            ("a@@example.com", FieldCode::InvalidEmail),
            ("a..b@example.com", FieldCode::InvalidEmail),
            (".a@example.com", FieldCode::InvalidEmail),
            ("a b@example.com", FieldCode::InvalidEmail),
            ("a@exa mple.com", FieldCode::InvalidEmail),
            ("a@-example.com", FieldCode::InvalidEmail),
            ("a@example.c", FieldCode::InvalidEmail),
            ("<script>@example.com", FieldCode::InvalidEmail),
            ("고객@example.com", FieldCode::InvalidEmail),
        ];
        for (e, code) in bad {
            assert_eq!(validate_email(e), Err(code), "should reject {e:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(validate_email(&long), Err(FieldCode::TooLong { max: EMAIL_MAX_CHARS }));
    }

    #[test]
    fn email_key_is_case_insensitive() {
        assert_eq!(email_key(" Customer1@Example.COM "), "customer1@example.com");
    }

    #[test]
    fn password_rules_count_characters_not_bytes() {
        assert_eq!(validate_password(""), Err(FieldCode::Required));
        assert_eq!(validate_password("short"), Err(FieldCode::TooShort { min: 10 }));
        assert_eq!(validate_password("123456789"), Err(FieldCode::TooShort { min: 10 }));
        assert_eq!(validate_password("1234567890"), Ok(()));
        // ten Hangul syllables are ten characters (thirty bytes)
        assert_eq!(validate_password("가나다라마바사아자차"), Ok(()));
        assert_eq!(validate_password(&"x".repeat(128)), Ok(()));
        assert_eq!(validate_password(&"x".repeat(129)), Err(FieldCode::TooLong { max: 128 }));
        assert_eq!(validate_password(&"가".repeat(129)), Err(FieldCode::TooLong { max: 128 }));
    }

    #[test]
    fn names_keep_markup_as_text_but_refuse_control_characters() {
        assert_eq!(validate_name("  김민준 "), Ok("김민준".to_string()));
        assert_eq!(validate_name("<b>Kim</b>"), Ok("<b>Kim</b>".to_string()));
        assert_eq!(validate_name("Ann 😀"), Ok("Ann 😀".to_string()));
        assert_eq!(validate_name(""), Err(FieldCode::Required));
        assert_eq!(validate_name("a\u{0}b"), Err(FieldCode::ControlCharacters));
        // a right-to-left override, a zero-width space, a Hangul filler
        for spoof in ["Kim\u{202E}nimda", "ad\u{200B}min", "\u{3164}관리자", "a\u{2066}b\u{2069}", "x\u{FEFF}"] {
            assert_eq!(validate_name(spoof), Err(FieldCode::ControlCharacters), "{spoof:?}");
        }
    }

    #[test]
    fn emoji_sequences_pass_in_text_but_joiners_not_in_names() {
        let family = "👨\u{200D}👩\u{200D}👧";
        assert!(!family.chars().any(|c| is_forbidden_char(c, true)));
        assert!(family.chars().any(|c| is_forbidden_char(c, false)));
        assert!(!"안녕하세요 ❤\u{FE0F}".chars().any(|c| is_forbidden_char(c, false)), "variation selectors are fine");
        assert!("a\u{202E}b".chars().any(|c| is_forbidden_char(c, true)), "overrides never");
        assert_eq!(validate_name(&"가".repeat(101)), Err(FieldCode::TooLong { max: 100 }));
    }

    #[test]
    fn registration_reports_every_bad_field() {
        let errors = validate_registration("", "nope", "short", "short").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "password"]);
        let errors = validate_registration("Kim", "kim@example.com", "long enough pw", "different pw").unwrap_err();
        assert_eq!(errors, vec![FieldError::new("password_confirm", FieldCode::PasswordMismatch)]);
        assert!(validate_registration("Kim", "kim@example.com", "long enough pw", "long enough pw").is_ok());
    }

    #[test]
    fn return_paths_stay_on_site() {
        assert_eq!(safe_return_path(Some("/admin")), Some("/admin".into()));
        assert_eq!(safe_return_path(Some("/my?tab=1")), Some("/my?tab=1".into()));
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "admin", ""] {
            assert_eq!(safe_return_path(Some(bad)), None, "{bad}");
        }
        assert_eq!(safe_return_path(None), None);
    }
}
