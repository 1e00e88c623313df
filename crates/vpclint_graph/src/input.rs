//! What a front end hands back: graphs, plus located errors for input it could not read.

use std::path::PathBuf;

use crate::{Span, VpcGraph};

/// A problem with the input (unreadable file, syntax error, cycle, ...). The rest of the
/// tree is still linted; the CLI reports these and exits 2.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file the error is about (always set).
    pub path: PathBuf,
    /// Where in that file, when the file's text is in the source map.
    pub span: Option<Span>,
    pub message: String,
}

impl InputError {
    pub fn at(path: impl Into<PathBuf>, span: Option<Span>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            span,
            message: message.into(),
        }
    }
}

/// Something a stack's checks could not see that is not an error (a module that is not
/// installed, resources that may not exist): the CLI shows it after the findings, so that
/// silence is not taken for a clean bill.
#[derive(Debug, Clone, PartialEq)]
pub struct InputNote {
    /// The stack it is about (`VpcGraph::stack`).
    pub stack: String,
    /// The file it is about (empty when it is about no file in particular).
    pub path: PathBuf,
    pub span: Option<Span>,
    pub message: String,
}

/// The result of loading one front end's files.
#[derive(Debug, Default)]
pub struct Loaded {
    /// One finished graph per stack (root module or template), in a deterministic order.
    pub graphs: Vec<VpcGraph>,
    pub errors: Vec<InputError>,
    pub notes: Vec<InputNote>,
    /// How many files were read and recognized as input of this front end.
    pub files: usize,
    /// Wall time of the front end's phases, in order (for `--stats`).
    pub phases: Vec<Phase>,
}

/// One timed phase of a front end (`--stats`).
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// What was done, e.g. `"terraform: read + parse"`.
    pub name: &'static str,
    pub elapsed: std::time::Duration,
}

impl Loaded {
    /// Records that `name` took the time since `started`, and returns now (the next
    /// phase's start).
    pub fn phase(&mut self, name: &'static str, started: std::time::Instant) -> std::time::Instant {
        let now = std::time::Instant::now();
        self.phases.push(Phase {
            name,
            elapsed: now.saturating_duration_since(started),
        });
        now
    }
}
