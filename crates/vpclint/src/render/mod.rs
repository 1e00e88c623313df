//! Output formats. Findings hold only spans; source text and line numbers are attached here.

mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use vpclint_graph::{InputError, InputNote, SourceMap, Span};
use vpclint_linter::Finding;

use crate::analysis::{PathDisplay, Summary};

/// Everything a renderer needs for one run.
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    pub findings: &'a [Finding],
    pub errors: &'a [InputError],
    /// What the stacks' checks could not see (`Analysis::notes`).
    pub notes: &'a [InputNote],
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

    /// A finding's stacks as shown (sorted and unique, as the engine leaves them).
    pub fn stacks(&self, finding: &Finding) -> Vec<String> {
        finding
            .stacks
            .iter()
            .map(|s| self.paths.show_stack(s))
            .collect()
    }

    /// `in 3 stacks: a, b and c` for a finding found in more than one stack, naming at most
    /// `limit` of them (`a, b and 7 more`); `None` for a finding of one stack.
    pub fn in_stacks(&self, finding: &Finding, limit: usize) -> Option<String> {
        let stacks = self.stacks(finding);
        (stacks.len() > 1).then(|| format!("in {} stacks: {}", stacks.len(), list(&stacks, limit)))
    }

    /// Where a note is: its span's place, else its file (line and column `None`), else
    /// nowhere in particular.
    pub fn note_location(&self, note: &InputNote) -> Option<(String, Option<(usize, usize)>)> {
        match note_place(self.sources, self.paths, note)? {
            NotePlace::At(at) => Some((at.file, Some((at.line, at.column)))),
            NotePlace::File(file) => Some((file, None)),
        }
    }
}

/// Where a note is written.
pub enum NotePlace {
    /// Its span's place.
    At(Location),
    /// Only its file, as shown.
    File(String),
}

/// Where a note is: its span's place, else its file, else nowhere in particular.
pub fn note_place(sources: &SourceMap, paths: &PathDisplay, note: &InputNote) -> Option<NotePlace> {
    if let Some(at) = note.span.and_then(|span| locate(sources, paths, span)) {
        return Some(NotePlace::At(at));
    }
    (!note.path.as_os_str().is_empty()).then(|| NotePlace::File(paths.show(&note.path)))
}

/// `a`, `a and b`, `a, b and c`; past `limit` names, `a, b and 7 more`.
pub fn list(names: &[String], limit: usize) -> String {
    let limit = limit.max(1);
    if names.len() > limit {
        let shown: Vec<&str> = names.iter().take(limit).map(String::as_str).collect();
        return format!("{} and {} more", shown.join(", "), names.len() - limit);
    }
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} and {last}", init.join(", ")),
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
