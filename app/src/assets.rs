//! The browser files' names (server only). `cargo leptos build --release` with `hash-files`
//! names them after their content (`cybercenter.<hash>.css`) and writes the hashes to `hash.txt`
//! beside the server binary; a page links the names of the build it was served by, so a deploy
//! can never pair new HTML with an old WASM, and the files can be cached for a year.

use std::collections::HashMap;

/// The hash file cargo-leptos writes beside the server binary.
pub const HASH_FILE: &str = "hash.txt";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// The stylesheet's path, e.g. `/pkg/cybercenter.3fa9….css`.
    pub css: String,
    /// Whether the names carry content hashes (then they never change and are cached for good).
    pub hashed: bool,
}

impl Assets {
    /// Unhashed names (a build without `hash-files`, or tests with no site).
    pub fn plain(output_name: &str) -> Assets {
        Assets { css: format!("/pkg/{output_name}.css"), hashed: false }
    }

    /// The names of this build: from `hash.txt` beside the running binary when there is one.
    pub fn of_this_build(output_name: &str) -> Assets {
        let text = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(HASH_FILE)))
            .and_then(|path| std::fs::read_to_string(path).ok());
        match text.as_deref().map(parse_hashes) {
            Some(hashes) if hashes.contains_key("css") => Assets {
                css: format!("/pkg/{output_name}.{}.css", hashes["css"]),
                hashed: true,
            },
            _ => Assets::plain(output_name),
        }
    }
}

/// `kind: hash` lines (`js`, `wasm`, `css`) as cargo-leptos writes them.
pub fn parse_hashes(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
        .filter(|(kind, hash)| !kind.is_empty() && !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_lines_are_read_and_odd_ones_ignored() {
        let h = parse_hashes("js: AbC12\nwasm: x-y_z\ncss: 9f\n\nbroken line\ncss2: ../../etc\n");
        assert_eq!(h["js"], "AbC12");
        assert_eq!(h["wasm"], "x-y_z");
        assert_eq!(h["css"], "9f");
        assert!(!h.contains_key("css2"), "a hash is never a path");
        assert_eq!(Assets::plain("cybercenter").css, "/pkg/cybercenter.css");
    }
}
