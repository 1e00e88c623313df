//! CloudFormation front end: YAML and JSON templates → intrinsics → one graph per template.
//!
//! - [`syntax`]: one span-keeping tree for YAML (granit-parser events) and JSON
//!   (jsonc-parser AST); short-form tags become the long form; depth is bounded; aliases,
//!   duplicate keys and unknown tags are located errors.
//! - `eval`: intrinsic functions (table in `intrinsics`), parameters, pseudo parameters,
//!   conditions; unknown values stay unknown.
//! - `graph`: resources → `VpcGraph` nodes (conventions documented there).

mod eval;
mod graph;
mod intrinsics;
pub mod syntax;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use vpclint_graph::{FileId, InputError, Loaded, SourceMap, Span, VpcGraph};

use crate::syntax::{NodeKind, Tree};

/// User-supplied inputs that change evaluation.
#[derive(Debug, Clone, Default)]
pub struct CloudFormationOptions {
    /// `--parameter KEY=VALUE`, in command-line order (later wins).
    pub parameters: Vec<(String, String)>,
    /// `--region`: the value of `AWS::Region`; otherwise "this stack's region" (unknown but the same everywhere).
    pub region: Option<String>,
}

/// What reading one candidate file gave.
enum Read {
    /// Not a template (by a cheap content check); skipped silently.
    Skip,
    Text(String),
    /// Unreadable, or not UTF-8 although it looks like a template. `text` is the lossy
    /// text to locate the error in, `at` the byte offset of the problem.
    Error {
        message: String,
        text: Option<String>,
        at: usize,
    },
}

/// What parsing one template gave.
struct Outcome {
    template: bool,
    graph: Option<VpcGraph>,
    errors: Vec<InputError>,
}

/// Loads the candidate files (`.yaml`, `.yml`, `.json`, `.template`) as discovered by the
/// caller. Files that are not CloudFormation templates (detected by content) are skipped
/// silently; each template becomes one graph.
pub fn load(sources: &mut SourceMap, files: &[PathBuf], options: &CloudFormationOptions) -> Loaded {
    let read: Vec<Read> = files.par_iter().map(|path| read_candidate(path)).collect();

    // Add to the source map sequentially so file ids follow the caller's order.
    let mut loaded = Loaded::default();
    let mut jobs: Vec<(&Path, FileId, Arc<str>)> = Vec::new();
    for (path, read) in files.iter().zip(read) {
        match read {
            Read::Skip => {}
            Read::Text(text) => {
                let text: Arc<str> = Arc::from(text);
                let id = sources.add(path.clone(), Arc::clone(&text));
                jobs.push((path, id, text));
            }
            Read::Error { message, text, at } => {
                let span = text.map(|text| {
                    let end = next_char_end(&text, at);
                    let id = sources.add(path.clone(), text);
                    Span::new(id, at, end)
                });
                loaded.files += 1;
                loaded
                    .errors
                    .push(InputError::at(path.clone(), span, message));
            }
        }
    }

    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|(path, id, text)| load_template(path, *id, text, options))
        .collect();
    for outcome in outcomes {
        if outcome.template {
            loaded.files += 1;
        }
        loaded.graphs.extend(outcome.graph);
        loaded.errors.extend(outcome.errors);
    }
    loaded
}

fn read_candidate(path: &Path) -> Read {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Read::Error {
                message: format!("cannot read file: {e}"),
                text: None,
                at: 0,
            }
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) if looks_like_template(&text) => Read::Text(text),
        Ok(_) => Read::Skip,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            if looks_like_template(&text) {
                Read::Error {
                    message: "file is not valid UTF-8".to_owned(),
                    text: Some(text),
                    at,
                }
            } else {
                Read::Skip
            }
        }
    }
}

/// A cheap content check, true for every template (and for broken files that clearly
/// meant to be one): mentions `AWSTemplateFormatVersion`, or a `Type: AWS::…` resource type.
pub fn looks_like_template(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    text.match_indices("AWS::").any(|(i, _)| {
        text.get(..i)
            .map(|before| before.trim_end_matches([' ', '\t', '"', '\'', ':']))
            .is_some_and(|before| before.ends_with("Type"))
    })
}

/// Whether a parsed document is a CloudFormation template.
fn is_template(tree: &Tree<'_>) -> bool {
    let root = tree.root();
    if tree.entry(root, "AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(resources) = tree.get(root, "Resources") else {
        return false;
    };
    tree.entries(resources).iter().any(|e| {
        tree.get(e.value, "Type")
            .and_then(|t| tree.scalar(t))
            .is_some_and(|t| t.starts_with("AWS::"))
    })
}

fn is_json(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => true,
        Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => false,
        _ => text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with('{'),
    }
}

fn load_template(
    path: &Path,
    file: FileId,
    text: &str,
    options: &CloudFormationOptions,
) -> Outcome {
    let parsed = if is_json(path, text) {
        syntax::parse_json(text)
    } else {
        syntax::parse_yaml(text)
    };
    let tree = match parsed {
        Ok(tree) => tree,
        Err(e) => {
            return Outcome {
                template: true,
                graph: None,
                errors: vec![InputError::at(
                    path,
                    Some(Span::new(file, e.start, e.end)),
                    e.message,
                )],
            }
        }
    };
    if !is_template(&tree) {
        return Outcome {
            template: false,
            graph: None,
            errors: Vec::new(),
        };
    }
    let errors = structure_errors(&tree, path, file);
    let template = eval::Template::new(&tree, file, options);
    let graph = graph::build(&template, path.display().to_string());
    Outcome {
        template: true,
        graph: Some(graph),
        errors,
    }
}

/// Template-structure problems CloudFormation rejects, reported without dropping the graph.
fn structure_errors(tree: &Tree<'_>, path: &Path, file: FileId) -> Vec<InputError> {
    let mut errors = Vec::new();
    let root = tree.root();
    let at = |start: u32, end: u32| Some(Span::new(file, start as usize, end as usize));
    if let Some(entry) = tree.entry(root, "Resources") {
        if !tree.is_map(entry.value) {
            errors.push(InputError::at(
                path,
                at(entry.key_start, entry.key_end),
                "`Resources` must be a mapping of logical IDs to resources",
            ));
        }
        for e in tree.entries(entry.value) {
            let ty = tree.get(e.value, "Type").map(|t| &tree.node(t).kind);
            if !matches!(ty, Some(NodeKind::Scalar { .. })) {
                errors.push(InputError::at(
                    path,
                    at(e.key_start, e.key_end),
                    format!("resource `{}` has no `Type`", e.key),
                ));
            }
        }
    }
    errors
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn content_check() {
        assert!(looks_like_template(
            "AWSTemplateFormatVersion: '2010-09-09'"
        ));
        assert!(looks_like_template(
            "Resources:\n  A:\n    Type: AWS::EC2::VPC\n"
        ));
        assert!(looks_like_template(
            "{\"Resources\": {\"A\": {\"Type\" : \"AWS::S3::Bucket\"}}}"
        ));
        assert!(!looks_like_template(
            "{\"name\": \"pkg\", \"dependencies\": {}}"
        ));
        assert!(!looks_like_template("description: uses AWS::EC2 somewhere"));
    }
}
