//! Baselines: accept today's findings, report only new ones.
//!
//! A finding's fingerprint is its rule ID, its resource address, and a hash of the anchored
//! attribute's text with whitespace normalized — no line numbers, so edits elsewhere in the
//! file (which move lines) keep it. Matching is by count: a baseline that holds a fingerprint
//! twice hides two findings with it, and a third one is new.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use vpclint_graph::SourceMap;
use vpclint_linter::Finding;

use crate::analysis::PathDisplay;

/// Bumped only on a breaking change of the file's shape or of the fingerprint.
pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One accepted finding. `file` and `message` are for reviewers; only `fingerprint` matches.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: String,
    resource: String,
    fingerprint: String,
    #[serde(default)]
    file: String,
    #[serde(default)]
    message: String,
}

/// The fingerprint of a finding (see the module documentation).
pub fn fingerprint(finding: &Finding, sources: &SourceMap) -> String {
    let text = sources
        .get(finding.primary.span.file)
        .and_then(|file| file.text.get(finding.primary.span.range()))
        .unwrap_or("");
    let normalized = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut hash = Fnv64::new();
    for part in [finding.rule.id, "\0", &finding.resource, "\0", &normalized] {
        hash.write(part.as_bytes());
    }
    format!("{:016x}", hash.finish())
}

/// Writes every finding to `path` as a baseline.
pub fn write(
    path: &Path,
    findings: &[Finding],
    sources: &SourceMap,
    paths: &PathDisplay,
) -> std::io::Result<()> {
    let findings = findings
        .iter()
        .map(|finding| Entry {
            rule: finding.rule.id.to_owned(),
            resource: finding.resource.clone(),
            fingerprint: fingerprint(finding, sources),
            file: sources
                .get(finding.primary.span.file)
                .map(|f| paths.show(&f.path))
                .unwrap_or_default(),
            message: finding.message.clone(),
        })
        .collect();
    let file = BaselineFile {
        version: BASELINE_VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}

/// A read baseline: how many findings each fingerprint accepts.
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<String, usize>,
}

impl Baseline {
    /// Reads a baseline file written by [`write`].
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = vpclint_graph::files::read_given_string(path)
            .map_err(|err| format!("error: cannot read baseline {shown}: {err}"))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|err| {
            format!(
                "error: {shown}:{}:{}: not a vpclint baseline: {err}",
                err.line(),
                err.column()
            )
        })?;
        if file.version != BASELINE_VERSION {
            return Err(format!(
                "error: {shown}: baseline version {} is not supported (expected {BASELINE_VERSION}); \
                 write it again with --write-baseline",
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for entry in file.findings {
            *counts.entry(entry.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Keeps the findings the baseline does not accept; returns them and how many it hid.
    pub fn filter(&self, findings: Vec<Finding>, sources: &SourceMap) -> (Vec<Finding>, usize) {
        let mut left = self.counts.clone();
        let mut hidden = 0;
        let new = findings
            .into_iter()
            .filter(
                |finding| match left.get_mut(&fingerprint(finding, sources)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        hidden += 1;
                        false
                    }
                    _ => true,
                },
            )
            .collect();
        (new, hidden)
    }
}

/// 64-bit FNV-1a: tiny, and stable across Rust versions and platforms (unlike `DefaultHasher`).
struct Fnv64(u64);

impl Fnv64 {
    fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        let hash = |s: &str| {
            let mut h = Fnv64::new();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
