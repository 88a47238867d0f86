//! Phone numbers as a careful CRM keeps them: Korean numbers in any common writing
//! (010-1234-5678, 02-123-4567, +82 10 …) and international E.164 numbers are accepted and
//! stored in one canonical E.164 form (+821012345678); Korean numbers are shown back in the
//! national format (010-1234-5678).

use crate::error::FieldCode;

/// Parses a phone number as typed and returns its E.164 form.
pub fn normalize_phone(raw: &str) -> Result<String, FieldCode> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FieldCode::Required);
    }
    if trimmed.chars().count() > 32 {
        return Err(FieldCode::TooLong { max: 32 });
    }
    let mut plus = false;
    let mut digits = String::new();
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            // full-width digits from a Korean/Japanese IME
            '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '+' | '＋' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '\u{3000}' | '－' => {}
            _ => return Err(FieldCode::InvalidPhone),
        }
    }
    // "00" is the international call prefix used in Korea and Europe
    if !plus && digits.starts_with("00") {
        plus = true;
        digits.drain(..2);
    }
    if plus {
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(FieldCode::InvalidPhone);
        }
        if let Some(national) = digits.strip_prefix("82") {
            // a Korean number written internationally; "+82 010…" (keeping the 0) is common
            let national = national.strip_prefix('0').unwrap_or(national);
            return korean_national(&format!("0{national}"));
        }
        return Ok(format!("+{digits}"));
    }
    korean_national(&digits)
}

/// Validates a Korean national number (leading 0, or a 15xx-style service number).
fn korean_national(digits: &str) -> Result<String, FieldCode> {
    let n = digits.len();
    let ok = if let Some(rest) = digits.strip_prefix("010") {
        rest.len() == 8
    } else if ["011", "016", "017", "018", "019"].iter().any(|p| digits.starts_with(p)) {
        n == 10 || n == 11
    } else if digits.starts_with("02") {
        n == 9 || n == 10
    } else if digits.starts_with("070") {
        n == 11
    } else if digits.len() >= 3
        && digits.starts_with('0')
        && matches!(digits.as_bytes()[1], b'3'..=b'6')
        && matches!(digits.as_bytes()[2], b'1'..=b'5')
    {
        n == 10 || n == 11
    } else if ["15", "16", "18"].iter().any(|p| digits.starts_with(p)) {
        n == 8
    } else {
        false
    };
    if !ok {
        return Err(FieldCode::InvalidPhone);
    }
    let national = digits.strip_prefix('0').unwrap_or(digits);
    Ok(format!("+82{national}"))
}

/// How a stored (E.164) number is shown: Korean numbers in national format with hyphens,
/// others as stored.
pub fn format_phone(e164: &str) -> String {
    let Some(rest) = e164.strip_prefix("+82") else {
        return e164.to_string();
    };
    let national = if rest.starts_with("15") || rest.starts_with("16") || rest.starts_with("18") {
        rest.to_string()
    } else {
        format!("0{rest}")
    };
    // a stored number that is not what normalisation writes is shown as stored, never sliced
    if !national.bytes().all(|b| b.is_ascii_digit()) {
        return e164.to_string();
    }
    let n = national.len();
    let area = if national.starts_with("02") {
        2
    } else if n == 8 {
        4
    } else {
        3
    };
    if n == 8 && area == 4 {
        return format!("{}-{}", &national[..4], &national[4..]);
    }
    if !(area + 7..=area + 8).contains(&n) {
        return e164.to_string();
    }
    let (a, b) = national.split_at(area);
    let split = b.len() - 4;
    format!("{a}-{}-{}", &b[..split], &b[split..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_stored_numbers_are_shown_as_stored_not_sliced() {
        for odd in ["+82", "+821", "+82123", "+8210가나다라", "+82000000000000000"] {
            assert_eq!(format_phone(odd), odd);
        }
    }

    #[test]
    fn phone_table() {
        let good = [
            ("010-1234-5678", "+821012345678"),
            ("01012345678", "+821012345678"),
            ("010 1234 5678", "+821012345678"),
            ("(010) 1234-5678", "+821012345678"),
            ("+82 10-1234-5678", "+821012345678"),
            ("+82 010-1234-5678", "+821012345678"),
            ("+821012345678", "+821012345678"),
            ("0082 10 1234 5678", "+821012345678"),
            ("02-123-4567", "+8221234567"),
            ("02-1234-5678", "+82212345678"),
            ("031-123-4567", "+82311234567"),
            ("051.1234.5678", "+825112345678"),
            ("070-1234-5678", "+827012345678"),
            ("011-123-4567", "+82111234567"),
            ("1588-1234", "+8215881234"),
            ("+1 415-555-0142", "+14155550142"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+33 6 12 34 56 78", "+33612345678"),
            ("  +81 3-1234-5678 ", "+81312345678"),
            ("０１０-１２３４-５６７８", "+821012345678"),
        ];
        for (input, expected) in good {
            assert_eq!(normalize_phone(input).as_deref(), Ok(expected), "{input:?}");
        }
        let bad = [
            ("", FieldCode::Required),
            ("   ", FieldCode::Required),
            ("010-1234-567", FieldCode::InvalidPhone),
            ("010-1234-56789", FieldCode::InvalidPhone),
            ("1234", FieldCode::InvalidPhone),
            ("02-12-345", FieldCode::InvalidPhone),
            ("099-123-4567", FieldCode::InvalidPhone),
            ("phone: 010", FieldCode::InvalidPhone),
            ("010-1234-5678 ☎", FieldCode::InvalidPhone),
            ("+0 123 4567 890", FieldCode::InvalidPhone),
            ("+1 23", FieldCode::InvalidPhone),
            ("+1234567890123456", FieldCode::InvalidPhone),
            ("+82 99 1234 5678", FieldCode::InvalidPhone),
            ("010+1234+5678", FieldCode::InvalidPhone),
            ("<script>", FieldCode::InvalidPhone),
        ];
        for (input, code) in bad {
            assert_eq!(normalize_phone(input), Err(code), "{input:?}");
        }
        assert_eq!(normalize_phone(&"1".repeat(40)), Err(FieldCode::TooLong { max: 32 }));
    }

    #[test]
    fn korean_numbers_are_shown_in_national_format() {
        let cases = [
            ("+821012345678", "010-1234-5678"),
            ("+8221234567", "02-123-4567"),
            ("+82212345678", "02-1234-5678"),
            ("+82311234567", "031-123-4567"),
            ("+827012345678", "070-1234-5678"),
            ("+8215881234", "1588-1234"),
            ("+14155550142", "+14155550142"),
        ];
        for (stored, shown) in cases {
            assert_eq!(format_phone(stored), shown, "{stored}");
        }
    }

    #[test]
    fn normalizing_a_formatted_number_is_stable() {
        for input in ["010-1234-5678", "02-123-4567", "1588-1234", "031-123-4567"] {
            let once = normalize_phone(input).expect("valid");
            let twice = normalize_phone(&format_phone(&once)).expect("valid");
            assert_eq!(once, twice);
        }
    }
}
