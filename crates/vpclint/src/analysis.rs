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
    /// What each stack's checks could not see, in stack order (see [`stack_notes`]).
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
    let mut options = options.clone();
    options.terraform.boundary = discovered.boundary.clone();
    options.cloudformation.boundary = discovered.boundary.clone();
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
    analysis.notes = stack_notes(
        &analysis.graphs,
        std::mem::take(&mut analysis.notes),
        &analysis.sources,
    );
    analysis
}

/// The notes on what each stack's checks could not see, stack by stack in graph order: first
/// the front end's (a module that is not installed), in source order, then the graph's blind
/// spots (resources that may not exist, CIDR blocks that are not known, ... — see
/// [`vpclint_graph::unseen`]). Rules are silent about all of it; these notes say so.
fn stack_notes(
    graphs: &[VpcGraph],
    mut from_front_ends: Vec<InputNote>,
    sources: &SourceMap,
) -> Vec<InputNote> {
    from_front_ends.sort_by(|a, b| {
        let key = |n: &InputNote| (n.path.clone(), n.span.map(|s| (s.start, s.end)));
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
    from_front_ends.dedup();
    let mut by_stack: std::collections::BTreeMap<&str, Vec<InputNote>> = Default::default();
    for note in &from_front_ends {
        by_stack
            .entry(note.stack.as_str())
            .or_default()
            .push(note.clone());
    }
    let mut notes = Vec::new();
    for graph in graphs {
        notes.extend(by_stack.remove(graph.stack.as_str()).unwrap_or_default());
        notes.extend(vpclint_graph::unseen(graph).into_iter().map(|unseen| {
            let path = match unseen.kind {
                // The reason of an unreadable file is its path: the note's place.
                vpclint_graph::UnseenKind::UnreadableFiles => PathBuf::from(&*unseen.reason),
                _ => unseen
                    .span
                    .and_then(|span| sources.get(span.file))
                    .map(|file| file.path.clone())
                    .unwrap_or_default(),
            };
            InputNote {
                stack: graph.stack.clone(),
                path,
                span: unseen.span,
                message: unseen.to_string(),
            }
        }));
    }
    // Notes about a stack that has no graph (none today) are kept, last.
    notes.extend(by_stack.into_values().flatten());
    notes
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

    /// A stack's name (a root module directory, a template path, or templates linked by
    /// imports joined with ` + `) shown like a path.
    pub fn show_stack(&self, stack: &str) -> String {
        stack
            .split(" + ")
            .map(|part| match self.show(Path::new(part)) {
                // A stack at a stripped prefix itself.
                shown if shown.is_empty() => ".".to_owned(),
                shown => shown,
            })
            .collect::<Vec<_>>()
            .join(" + ")
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
