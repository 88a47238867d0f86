//! A quote-aware TSV reader: fields separated by tabs, rows by newlines; a field that starts with
//! a double quote runs to the matching quote (so it may hold tabs and newlines; "" is a quote).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TsvError {
    UnterminatedQuote { row: usize },
    MissingColumn { name: String },
    ShortRow { row: usize },
}

impl std::fmt::Display for TsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TsvError::UnterminatedQuote { row } => write!(f, "row {row}: a quoted field is never closed"),
            TsvError::MissingColumn { name } => write!(f, "the header has no column {name:?}"),
            TsvError::ShortRow { row } => write!(f, "row {row}: fewer fields than the header"),
        }
    }
}

pub fn parse(input: &str) -> Result<Vec<Vec<String>>, TsvError> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = input.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if at_field_start && c == '"' {
            at_field_start = false;
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(other) => field.push(other),
                    None => return Err(TsvError::UnterminatedQuote { row: rows.len() + 1 }),
                }
            }
            continue;
        }
        at_field_start = false;
        match c {
            '\t' => {
                row.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\n' => {
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            other => field.push(other),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// Reads a `text<TAB>label` file (columns found by header name) into (text, label) pairs.
pub fn read_labelled(input: &str) -> Result<Vec<(String, String)>, TsvError> {
    let rows = parse(input)?;
    let Some((header, body)) = rows.split_first() else { return Ok(Vec::new()) };
    let col = |name: &str| {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| TsvError::MissingColumn { name: name.to_string() })
    };
    let (t, l) = (col("text")?, col("label")?);
    body.iter()
        .enumerate()
        .map(|(i, r)| match (r.get(t), r.get(l)) {
            (Some(text), Some(label)) => Ok((text.clone(), label.trim().to_string())),
            _ => Err(TsvError::ShortRow { row: i + 2 }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_may_hold_tabs_newlines_and_quotes() {
        let input = "text\tlabel\nplain\ta\n\"two\nlines\"\tb\n\"say \"\"hi\"\"\tnow\"\tc\r\nlast\td";
        let rows = read_labelled(input).expect("parses");
        assert_eq!(
            rows,
            vec![
                ("plain".into(), "a".into()),
                ("two\nlines".into(), "b".into()),
                ("say \"hi\"\tnow".into(), "c".into()),
                ("last".into(), "d".into()),
            ]
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(parse("\"never closed\tx"), Err(TsvError::UnterminatedQuote { row: 1 }));
        assert_eq!(read_labelled("question\tlabel\nq\ta"), Err(TsvError::MissingColumn { name: "text".into() }));
        assert_eq!(read_labelled("text\tlabel\nonly one field"), Err(TsvError::ShortRow { row: 2 }));
        assert_eq!(read_labelled(""), Ok(vec![]));
    }
}
