//! Output formats. Findings hold only spans; source text and line numbers are attached here.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use vpclint_graph::{InputError, SourceMap, Span};
use vpclint_linter::Finding;

use crate::analysis::{PathDisplay, Summary};

/// Everything a renderer needs for one run.
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    pub findings: &'a [Finding],
    pub errors: &'a [InputError],
    pub summary: Summary,
    pub paths: &'a PathDisplay,
}

/// A span resolved to a file and 1-based lines and columns (columns count characters; the
/// end is exclusive, pointing just after the last character, as in SARIF and LSP).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Report<'_> {
    /// Resolves a span; `None` when its file is not in the source map.
    pub fn locate(&self, span: Span) -> Option<Location> {
        locate(self.sources, self.paths, span)
    }
}

pub fn locate(sources: &SourceMap, paths: &PathDisplay, span: Span) -> Option<Location> {
    let file = sources.get(span.file)?;
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    Some(Location {
        file: paths.show(&file.path),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    })
}
