//! Discovery → front ends → engine: everything between arguments and rendering.

use std::path::{Path, PathBuf};

use vpclint_cloudformation::CloudFormationOptions;
use vpclint_graph::{InputError, InputNote, SourceMap, VpcGraph};
use vpclint_linter::{Finding, RuleSelection};
use vpclint_terraform::TerraformOptions;

use crate::discover::Discovered;

/// Inputs for both front ends.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub terraform: TerraformOptions,
    pub cloudformation: CloudFormationOptions,
}

/// Everything the front ends produced for one run.
#[derive(Debug, Default)]
pub struct Analysis {
    pub sources: SourceMap,
    /// One graph per stack: Terraform root modules first, then CloudFormation templates.
    pub graphs: Vec<VpcGraph>,
    /// Discovery and front-end errors, sorted by file and position.
    pub errors: Vec<InputError>,
    pub notes: Vec<InputNote>,
    /// Files the front ends read and recognized.
    pub files: usize,
    /// Front-end phase timings (`--stats`).
    pub phases: Vec<vpclint_graph::Phase>,
}

/// Loads every discovered input with its front end.
pub fn load(discovered: Discovered, options: &LoadOptions) -> Analysis {
    let mut sources = SourceMap::new();
    let started = std::time::Instant::now();
    let mut terraform =
        vpclint_terraform::load(&mut sources, &discovered.terraform_dirs, &options.terraform);
    let started = teardown(&mut terraform, "terraform: teardown", started);
    let mut cloudformation = vpclint_cloudformation::load(
        &mut sources,
        &discovered.cloudformation_files,
        &options.cloudformation,
    );
    teardown(&mut cloudformation, "cloudformation: teardown", started);

    let mut analysis = Analysis {
        sources,
        errors: discovered.errors,
        ..Analysis::default()
    };
    for loaded in [terraform, cloudformation] {
        analysis.graphs.extend(loaded.graphs);
        analysis.errors.extend(loaded.errors);
        analysis.notes.extend(loaded.notes);
        analysis.files += loaded.files;
        analysis.phases.extend(loaded.phases);
    }
    analysis
        .errors
        .sort_by_key(|e| (e.path.clone(), e.span.map(|s| s.start), e.message.clone()));
    analysis.errors.dedup();
    analysis
}

/// Records the part of a front end's time outside its own phases (freeing its syntax trees
/// on return) as `name`; returns now.
fn teardown(
    loaded: &mut vpclint_graph::Loaded,
    name: &'static str,
    started: std::time::Instant,
) -> std::time::Instant {
    let now = std::time::Instant::now();
    let total = now.saturating_duration_since(started);
    let inside: std::time::Duration = loaded.phases.iter().map(|p| p.elapsed).sum();
    if !loaded.phases.is_empty() {
        loaded.phases.push(vpclint_graph::Phase {
            name,
            elapsed: total.saturating_sub(inside),
        });
    }
    now
}

impl Analysis {
    /// Runs the selected rules over every stack; findings come back sorted.
    pub fn lint(&self, selection: &RuleSelection) -> Vec<Finding> {
        let rules = selection.enabled();
        vpclint_linter::lint(&self.graphs, &rules, &self.sources)
    }

    pub fn summary(&self, findings: &[Finding]) -> Summary {
        Summary {
            files: self.files,
            stacks: self.graphs.len(),
            resources: self.graphs.iter().map(|g| g.resource_count).sum(),
            findings: findings.len(),
            errors: self.errors.len(),
        }
    }
}

/// The counts every output format ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub stacks: usize,
    pub resources: usize,
    pub findings: usize,
    pub errors: usize,
}

/// How file paths are shown: as read (relative to the current directory when the user gave a
/// relative path), with forward slashes and without a leading `./`. Test harnesses that copy
/// fixtures elsewhere strip the copy's location so output names the fixture's own path.
#[derive(Debug, Clone, Default)]
pub struct PathDisplay {
    strip_prefixes: Vec<PathBuf>,
}

impl PathDisplay {
    /// Shows paths under `prefix` relative to it.
    pub fn strip_prefix(mut self, prefix: impl Into<PathBuf>) -> Self {
        self.strip_prefixes.push(prefix.into());
        self
    }

    pub fn show(&self, path: &Path) -> String {
        let shown = self
            .strip_prefixes
            .iter()
            .find_map(|prefix| path.strip_prefix(prefix).ok())
            .unwrap_or(path);
        let text = shown.to_string_lossy().replace('\\', "/");
        match text.strip_prefix("./") {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => text,
        }
    }
}
