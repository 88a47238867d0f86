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
    /// The lazily loaded islands' WASM chunks (a build with `--split`).
    pub split: Option<Split>,
}

/// What `cargo leptos build --split` wrote: the loader script of the chunks, and for each lazy
/// function (an island's loader is `<island in snake case>_loader_<hash>`) the chunks it needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Split {
    /// e.g. `/pkg/__wasm_split.<hash>.js`
    pub script: String,
    /// lazy function → chunk paths (`/pkg/chunk_3.<hash>.wasm`, …)
    pub chunks: HashMap<String, Vec<String>>,
}

impl Split {
    /// The chunk paths the island `snake_name` (e.g. `faq_suggestions`) loads when it hydrates.
    pub fn island_chunks(&self, snake_name: &str) -> Vec<&str> {
        let prefix = format!("{snake_name}_loader_");
        let mut paths: Vec<&str> = self
            .chunks
            .iter()
            .filter(|(key, _)| key.starts_with(&prefix) && key[prefix.len()..].bytes().all(|b| b.is_ascii_digit()))
            .flat_map(|(_, paths)| paths.iter().map(String::as_str))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }

    /// From the manifest's text: lazy function → chunk names without `.wasm`.
    pub fn parse(script: String, manifest: &str) -> Option<Split> {
        let raw: HashMap<String, Vec<String>> = serde_json::from_str(manifest).ok()?;
        let chunks = raw
            .into_iter()
            .map(|(key, names)| {
                let paths = names
                    .into_iter()
                    .filter(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)) && !n.contains(".."))
                    .map(|n| format!("/pkg/{n}.wasm"))
                    .collect();
                (key, paths)
            })
            .collect();
        Some(Split { script, chunks })
    }
}

impl Assets {
    /// Unhashed names (a build without `hash-files`, or tests with no site).
    pub fn plain(output_name: &str) -> Assets {
        Assets { css: format!("/pkg/{output_name}.css"), hashed: false, split: None }
    }

    /// The names of this build: from `hash.txt` beside the running binary when there is one,
    /// and the split manifest under `site_root/pkg` when the build split the WASM.
    pub fn of_this_build(output_name: &str, site_root: &str) -> Assets {
        let text = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(HASH_FILE)))
            .and_then(|path| std::fs::read_to_string(path).ok());
        match text.as_deref().map(parse_hashes) {
            Some(hashes) if hashes.contains_key("css") => Assets {
                css: format!("/pkg/{output_name}.{}.css", hashes["css"]),
                hashed: true,
                split: match (hashes.get("manifest"), hashes.get("split")) {
                    (Some(manifest), Some(script)) => std::fs::read_to_string(format!("{site_root}/pkg/__wasm_split_manifest.{manifest}.json"))
                        .ok()
                        .and_then(|text| Split::parse(format!("/pkg/__wasm_split.{script}.js"), &text)),
                    _ => None,
                },
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

    #[test]
    fn an_island_preloads_the_chunks_of_its_own_loader_only() {
        let manifest = r#"{
            "faq_suggestions_loader_1194": ["chunk_11.Hy", "chunk_12.V0", "split_faq_suggestions_loader_1194.45z"],
            "faq_search_loader_1624": ["chunk_11.Hy", "split_faq_search_loader_1624.b0"],
            "evil_loader_1": ["../../etc/passwd"]
        }"#;
        let split = Split::parse("/pkg/__wasm_split.NN.js".into(), manifest).unwrap();
        assert_eq!(
            split.island_chunks("faq_suggestions"),
            vec!["/pkg/chunk_11.Hy.wasm", "/pkg/chunk_12.V0.wasm", "/pkg/split_faq_suggestions_loader_1194.45z.wasm"]
        );
        assert_eq!(split.island_chunks("faq_search"), vec!["/pkg/chunk_11.Hy.wasm", "/pkg/split_faq_search_loader_1624.b0.wasm"]);
        assert!(split.island_chunks("faq").is_empty(), "a prefix of another island's name is not that island");
        assert!(split.island_chunks("evil").is_empty(), "a name with a path in it is dropped");
        assert!(Split::parse(String::new(), "not json").is_none());
    }
}
