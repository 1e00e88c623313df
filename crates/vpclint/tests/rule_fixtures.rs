//! Runs every rule on its fixtures in `rules/<ID>-<name>/` and snapshots the rendered output.
//!
//! - `pass*` fixtures must produce no finding of the rule (else **Noisy**),
//!   `fail*` fixtures at least one (else **Missing**); an input error fails the fixture too.
//! - The human output (no colour) is snapshotted to `rules/<ID>-<name>/snapshots/<fixture>.snap`.
//!   Review changes with `cargo insta review`, or accept them all with
//!   `INSTA_UPDATE=always cargo test -p vpclint --test rule_fixtures`.
//!
//! All problems are collected and reported together. `VPCLINT_FIXTURE_RULES=VPC201,VPC202`
//! limits the run to those rules (handy while writing one). See `vpclint::fixture` for how each kind
//! of fixture (single `.tf`, `.cfn.yaml`, `pass_*/` directory) is loaded.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use vpclint::docs::rule_dir;
use vpclint::fixture::{fixtures_in, run_fixture, Expectation};
use vpclint_linter::{RuleSelection, RULES};

/// Files every rule folder must have.
const REQUIRED_FIXTURES: &[&str] = &["fail.tf", "pass.tf", "fail.cfn.yaml", "pass.cfn.yaml"];

/// Rules whose mistake cannot be written in CloudFormation at all, with the reason. They
/// still need `pass.cfn.yaml` (the rule must run, and stay silent, on templates); a
/// `fail.cfn.yaml` would have to be a fake. Keep this list as short as the facts allow.
const CLOUDFORMATION_CANNOT_FAIL: &[(&str, &str)] = &[(
    "VPC104",
    "a stack is deployed to one region and imports only from its own region, so no security \
     group it declares or imports is across an inter-region peering connection",
)];

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

#[test]
fn rule_fixtures() {
    let root = workspace_root();
    let mut problems = Vec::new();
    let mut checked = 0;
    let only: Option<Vec<String>> = std::env::var("VPCLINT_FIXTURE_RULES")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    for rule in RULES {
        let meta = rule.meta();
        if only
            .as_ref()
            .is_some_and(|ids| !ids.iter().any(|id| meta.matches(id)))
        {
            continue;
        }
        let dir_name = rule_dir(meta);
        let dir = root.join(&dir_name);
        // A missing folder is reported by `fixture_folders_and_doc_pages_match_the_rules`.
        let Ok(fixtures) = fixtures_in(&dir) else {
            continue;
        };
        let selection = RuleSelection {
            select: vec![meta.id.to_owned()],
            ..RuleSelection::default()
        };
        for fixture in fixtures {
            checked += 1;
            let shown = format!("{dir_name}/{}", fixture.name);
            let run = match run_fixture(&root, &fixture.path, &selection) {
                Ok(run) => run,
                Err(err) => {
                    problems.push(format!("Unreadable: {shown}: {err}"));
                    continue;
                }
            };
            let rendered = run.render();
            if !run.analysis.errors.is_empty() {
                problems.push(format!(
                    "Input error: {shown} does not load cleanly:\n{rendered}"
                ));
            }
            match fixture.expectation {
                Expectation::Pass if !run.findings.is_empty() => problems.push(format!(
                    "Noisy: {shown} must produce no {} finding, got {}:\n{rendered}",
                    meta.id,
                    run.findings.len()
                )),
                Expectation::Fail if run.findings.is_empty() => problems.push(format!(
                    "Missing: {shown} must produce at least one {} finding, got none ({})",
                    meta.id,
                    rendered.trim_end()
                )),
                _ => {}
            }

            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path(dir.join("snapshots"));
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.set_input_file(&fixture.path);
            settings.set_description(format!("vpclint --select {} {shown}", meta.id));
            let snapshot = catch_unwind(AssertUnwindSafe(|| {
                settings.bind(|| insta::assert_snapshot!(fixture.name.clone(), rendered));
            }));
            if snapshot.is_err() {
                problems.push(format!(
                    "Snapshot: the output for {shown} changed (see the diff above; `cargo insta review`)"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {checked} fixtures have problems:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn fixture_folders_and_doc_pages_match_the_rules() {
    let root = workspace_root();
    let mut problems = Vec::new();

    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for rule in RULES {
        let meta = rule.meta();
        if !ids.insert(meta.id) {
            problems.push(format!("duplicate rule ID {}", meta.id));
        }
        if !names.insert(meta.name) {
            problems.push(format!("duplicate rule name {}", meta.name));
        }
        let well_formed_id = meta.id.len() == 6
            && meta.id.starts_with("VPC")
            && meta.id[3..].bytes().all(|b| b.is_ascii_digit());
        if !well_formed_id {
            problems.push(format!("rule ID {} is not VPC + three digits", meta.id));
        }
        let kebab = !meta.name.is_empty()
            && meta
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !kebab {
            problems.push(format!("rule name {} is not kebab-case", meta.name));
        }
        if meta.summary().is_empty() {
            problems.push(format!(
                "{} has no summary line in its doc comment",
                meta.id
            ));
        }

        let dir = rule_dir(meta);
        let cfn_cannot_fail = CLOUDFORMATION_CANNOT_FAIL
            .iter()
            .any(|(id, _)| *id == meta.id);
        if cfn_cannot_fail && root.join(&dir).join("fail.cfn.yaml").is_file() {
            problems.push(format!(
                "{} is listed in CLOUDFORMATION_CANNOT_FAIL but has {dir}/fail.cfn.yaml: remove one",
                meta.id
            ));
        }
        for required in REQUIRED_FIXTURES {
            if cfn_cannot_fail && *required == "fail.cfn.yaml" {
                continue;
            }
            if !root.join(&dir).join(required).is_file() {
                problems.push(format!("{} has no fixture {dir}/{required}", meta.id));
            }
        }
        let page = format!("docs/rules/{}.md", meta.id);
        if !root.join(&page).is_file() {
            problems.push(format!(
                "{} has no {page} (run `VPCLINT_UPDATE_DOCS=1 cargo test -p vpclint --test docs`)",
                meta.id
            ));
        }
    }

    let rule_dirs: HashSet<String> = RULES.iter().map(|r| rule_dir(r.meta())).collect();
    for entry in read_dir_names(&root.join("rules")) {
        let dir = format!("rules/{entry}");
        if !rule_dirs.contains(&dir) {
            problems.push(format!(
                "{dir}/ belongs to no rule (expected rules/<ID>-<name>/)"
            ));
        }
    }
    for entry in read_dir_names(&root.join("docs/rules")) {
        let belongs =
            entry == "README.md" || entry.strip_suffix(".md").is_some_and(|id| ids.contains(id));
        if !belongs {
            problems.push(format!("docs/rules/{entry} belongs to no rule"));
        }
    }

    assert!(
        problems.is_empty(),
        "{} consistency problems:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

fn read_dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    names
}
