//! Loading one rule fixture the way the harness and the documentation generator need it.
//!
//! Fixture conventions (`rules/<ID>-<name>/`):
//! - `pass*.tf`, `fail*.tf`, `*.tf.json`: a one-file Terraform root module. The file is
//!   copied alone into a scratch directory (its neighbours are other fixtures), and paths
//!   are shown as if it had been read in place.
//! - `pass*.cfn.yaml`, `fail*.cfn.yaml` (also `.cfn.yml`, `.cfn.json`): one template.
//! - directories `pass_*/`, `fail_*/`: discovered like the CLI does (a multi-file root
//!   module with its child modules, or several templates).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use vpclint_linter::{Finding, RuleSelection};

use crate::analysis::{load, Analysis, LoadOptions, PathDisplay, Summary};
use crate::discover::{classify, discover, Discovered, FileKind};
use crate::render::{human, Report};

/// Whether a fixture must stay silent or must be flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation {
    Pass,
    Fail,
}

/// A fixture found in a rule's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    pub path: PathBuf,
    /// The file or directory name; also the snapshot name.
    pub name: String,
    pub expectation: Expectation,
}

/// The fixtures of one rule folder, sorted by name. Other entries (`snapshots/`, notes) are ignored.
pub fn fixtures_in(rule_dir: &Path) -> std::io::Result<Vec<Fixture>> {
    let mut fixtures = Vec::new();
    for entry in std::fs::read_dir(rule_dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type()?.is_dir();
        let Some(expectation) = expectation_of(&name, is_dir) else {
            continue;
        };
        fixtures.push(Fixture {
            path: entry.path(),
            name,
            expectation,
        });
    }
    fixtures.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(fixtures)
}

/// `pass*` / `fail*` files with an input extension, `pass_*` / `fail_*` directories.
fn expectation_of(name: &str, is_dir: bool) -> Option<Expectation> {
    let (pass, fail) = if is_dir {
        (name.starts_with("pass_"), name.starts_with("fail_"))
    } else {
        let lower = name.to_ascii_lowercase();
        let is_input = [".tf", ".tf.json", ".cfn.yaml", ".cfn.yml", ".cfn.json"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        (
            is_input && name.starts_with("pass"),
            is_input && name.starts_with("fail"),
        )
    };
    match (pass, fail) {
        (true, _) => Some(Expectation::Pass),
        (_, true) => Some(Expectation::Fail),
        _ => None,
    }
}

/// A loaded and linted fixture.
pub struct FixtureRun {
    pub analysis: Analysis,
    pub findings: Vec<Finding>,
    pub paths: PathDisplay,
}

impl FixtureRun {
    pub fn report(&self) -> Report<'_> {
        Report {
            sources: &self.analysis.sources,
            findings: &self.findings,
            errors: &self.analysis.errors,
            notes: &self.analysis.notes,
            summary: self.summary(),
            paths: &self.paths,
        }
    }

    pub fn summary(&self) -> Summary {
        self.analysis.summary(&self.findings)
    }

    /// Human output without colour: frames and the summary line.
    pub fn render(&self) -> String {
        human::render(&self.report(), human::HumanStyle::default())
    }
}

/// Loads `fixture` (a path under `workspace_root`) and runs `selection` on it. Paths in the
/// result are shown relative to `workspace_root` (`rules/VPC101-peering-cidr-overlap/fail.tf`).
pub fn run_fixture(
    workspace_root: &Path,
    fixture: &Path,
    selection: &RuleSelection,
) -> std::io::Result<FixtureRun> {
    let mut paths = PathDisplay::default().strip_prefix(workspace_root);
    let relative = fixture.strip_prefix(workspace_root).unwrap_or(fixture);
    let name = fixture
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    // Held until the front ends have read the copy (the source map keeps the text).
    let mut scratch = None;
    let discovered = if fixture.is_dir() {
        discover(&[fixture.to_path_buf()])
    } else if classify(&name) == FileKind::Terraform {
        let dir = ScratchDir::new()?;
        let copy = dir.path.join(relative);
        if let Some(parent) = copy.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(fixture, &copy)?;
        paths = paths.strip_prefix(&dir.path);
        let module_dir = copy.parent().map(Path::to_path_buf).unwrap_or_default();
        scratch = Some(dir);
        Discovered {
            terraform_dirs: vec![module_dir],
            ..Discovered::default()
        }
    } else {
        Discovered {
            cloudformation_files: vec![fixture.to_path_buf()],
            ..Discovered::default()
        }
    };
    let analysis = load(discovered, &LoadOptions::default());
    drop(scratch);
    let findings = analysis.lint(selection);
    Ok(FixtureRun {
        analysis,
        findings,
        paths,
    })
}

/// A uniquely named directory under the system temp dir, removed on drop.
struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    fn new() -> std::io::Result<Self> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "vpclint-fixture-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path)?;
        Ok(ScratchDir { path })
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // Best effort: a leftover scratch dir in the temp dir harms nothing.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
