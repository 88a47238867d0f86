//! Line diff between two revisions of a text (longest common subsequence; FAQ texts are short).

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

/// Above this many lines on either side the diff is "everything removed, everything added"
/// rather than a quadratic table.
const MAX_LINES: usize = 2_000;

pub fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        return a.iter().map(|l| DiffLine::Removed(l.to_string())).chain(b.iter().map(|l| DiffLine::Added(l.to_string()))).collect();
    }
    // lcs[i][j] = LCS length of a[i..] and b[j..]
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_string()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed(l.to_string())));
    out.extend(b[j..].iter().map(|l| DiffLine::Added(l.to_string())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DiffLine::*;

    #[test]
    fn changed_lines_show_as_removed_then_added() {
        let d = diff_lines("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(d, [Same("a".into()), Removed("b".into()), Added("B".into()), Same("c".into()), Added("d".into())]);
        assert_eq!(diff_lines("", "x"), [Added("x".into())]);
        assert_eq!(diff_lines("x", ""), [Removed("x".into())]);
        assert!(diff_lines("same", "same").iter().all(|l| matches!(l, Same(_))));
    }
}
