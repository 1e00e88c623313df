//! The benchmark's yardstick: read and parse every input file on one thread with the
//! reference parsers, and nothing else: no evaluation, no graph, no rules. The reference
//! parsers are the general-purpose libraries the front ends fall back on and are checked
//! against: hcl-edit for `.tf` (the yardstick issue 7 names), granit-parser for YAML and
//! jsonc-parser for JSON. The front ends' own fast readers (`vpclint_terraform`'s HCL parser,
//! `vpclint_cloudformation`'s YAML reader) are faster than these; measuring against them
//! would compare vpclint with part of itself.

use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct ParseStats {
    pub files: usize,
    pub bytes: usize,
    pub errors: usize,
    pub seconds: f64,
}

/// Every candidate file under `dir`, sorted (hidden entries skipped).
pub fn candidate_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && is_candidate(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_candidate(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("tf" | "yaml" | "yml" | "json" | "template")
    ) && path.file_name().and_then(|n| n.to_str()) != Some("expected.json")
}

/// Reads the files (before timing starts the list is built) and parses them on this thread.
pub fn run(dir: &Path) -> Result<ParseStats, String> {
    let files = candidate_files(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let start = Instant::now();
    let mut stats = ParseStats {
        files: 0,
        bytes: 0,
        errors: 0,
        seconds: 0.0,
    };
    for path in &files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        stats.files += 1;
        stats.bytes += text.len();
        let ok = match path.extension().and_then(|e| e.to_str()) {
            Some("tf") => hcl_edit::parser::parse_body(&text).is_ok(),
            Some("json") => vpclint_cloudformation::syntax::parse_json(&text).is_ok(),
            _ => vpclint_cloudformation::syntax::parse_yaml_with_granit(&text).is_ok(),
        };
        if !ok {
            stats.errors += 1;
        }
    }
    stats.seconds = start.elapsed().as_secs_f64();
    Ok(stats)
}
