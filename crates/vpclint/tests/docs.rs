//! `docs/rules/` and the README's rule table are generated from the rules; this test fails
//! when they are stale. Regenerate with `VPCLINT_UPDATE_DOCS=1 cargo test -p vpclint --test docs`.

use std::path::{Path, PathBuf};

use vpclint::docs::{readme_with_table, rule_docs};

const UPDATE_ENV: &str = "VPCLINT_UPDATE_DOCS";
const STALE: &str =
    "docs/rules is stale; run `VPCLINT_UPDATE_DOCS=1 cargo test -p vpclint --test docs`";

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

#[test]
fn rule_docs_are_up_to_date() {
    let root = workspace_root();
    let docs_dir = root.join("docs/rules");
    let update = std::env::var_os(UPDATE_ENV).is_some_and(|v| !v.is_empty() && v != "0");

    let mut expected = rule_docs(&root);
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap_or_default();
    match readme_with_table(&readme) {
        Some(regenerated) => expected.push(("../../README.md".to_owned(), regenerated)),
        None => panic!(
            "README.md lacks the rules-table markers (see vpclint::docs::README_TABLE_START)"
        ),
    }

    let mut stale = Vec::new();
    for (name, content) in &expected {
        let path = docs_dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != *content {
            stale.push(name.clone());
            if update {
                if let Err(err) = std::fs::write(&path, content) {
                    panic!("cannot write {}: {err}", path.display());
                }
            }
        }
    }
    // Pages of rules that no longer exist.
    for entry in std::fs::read_dir(&docs_dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !expected.iter().any(|(n, _)| *n == name) {
            stale.push(name);
            if update {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    if update {
        if !stale.is_empty() {
            eprintln!("updated: {}", stale.join(", "));
        }
    } else {
        assert!(stale.is_empty(), "{STALE}\nstale: {}", stale.join(", "));
    }
}
