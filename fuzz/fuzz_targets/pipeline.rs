//! The whole pipeline on a small directory: discovery, both front ends, every rule, every
//! renderer. The input is split at the first NUL byte into `main.tf` and
//! `template.yaml` (no NUL: both files get the whole input).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpclint::analysis::{load, LoadOptions, PathDisplay};
use vpclint::discover::discover;
use vpclint::render::{github, human, json, junit, sarif, Report};
use vpclint_linter::RuleSelection;

fuzz_target!(|data: &[u8]| {
    let (tf, yaml) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    if std::fs::write(dir.path().join("main.tf"), tf).is_err()
        || std::fs::write(dir.path().join("template.yaml"), yaml).is_err()
    {
        return;
    }
    let analysis = load(
        discover(&[dir.path().to_path_buf()]),
        &LoadOptions::default(),
    );
    let selection = RuleSelection {
        select: vec!["ALL".to_owned()],
        ..RuleSelection::default()
    };
    let findings = analysis.lint(&selection);
    let paths = PathDisplay::default().strip_prefix(dir.path());
    let report = Report {
        sources: &analysis.sources,
        findings: &findings,
        errors: &analysis.errors,
        notes: &analysis.notes,
        summary: analysis.summary(&findings),
        paths: &paths,
    };
    let _ = json::render(&report);
    let _ = human::render(&report, human::HumanStyle::default());
    let _ = github::render(&report, &[]);
    let _ = junit::render(&report, &[]);
    let _ = sarif::render(&report, &[]);
});
