//! Data flows one way: pages → server functions → store → database, with `model/` and `domain/`
//! below everything. A module under a lower layer (`store/`, `domain/`, `model/`) that names a
//! feature module (`crate::customer`, `crate::agent`, `crate::mail`, …) is a loop between layers:
//! this test fails on it, naming the file and the module. (Issue 16 took the last of 19 out.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const LOWER: [&str; 3] = ["store", "domain", "model"];
const FEATURES: [&str; 10] = ["customer", "agent", "admin", "auth", "chat", "home", "faq", "mail", "ui", "state"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The feature modules `source` names as `crate::<feature>` (a whole path segment).
fn features_named(source: &str) -> BTreeSet<&'static str> {
    let mut found = BTreeSet::new();
    for (at, _) in source.match_indices("crate::") {
        let rest = &source[at + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if let Some(f) = FEATURES.iter().find(|f| **f == name) {
            found.insert(*f);
        }
        // `use crate::{customer::X, agent::Y}`
        if rest.starts_with('{') {
            let group: String = rest.chars().take_while(|c| *c != '}').collect();
            for part in group.trim_start_matches('{').split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if let Some(f) = FEATURES.iter().find(|f| **f == name) {
                    found.insert(*f);
                }
            }
        }
    }
    found
}

#[test]
fn lower_layers_name_no_feature_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    for layer in LOWER {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source");
            let rel = file.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
            for feature in features_named(&text) {
                found.insert(format!("{rel} -> {feature}"));
            }
        }
    }
    println!("{} lower-layer imports of feature modules", found.len());
    assert!(found.is_empty(), "a lower layer names a feature module (move the type to model/ or the logic up): {found:?}");
}

#[test]
fn paths_are_found_in_every_spelling() {
    let named = features_named("use crate::customer::orders::X; let a = crate::agent::queue::f(); use crate::{admin::Y, domain::Z};");
    assert_eq!(named.into_iter().collect::<Vec<_>>(), ["admin", "agent", "customer"]);
    assert!(features_named("crate::customers_x::y; crate::domain::z").is_empty());
}
