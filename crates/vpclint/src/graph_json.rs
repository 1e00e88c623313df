//! `vpclint graph --format json`: the normalized graph of every stack, for debugging and
//! front-end snapshot tests.
//!
//! Shape: `{"version": 1, "stacks": [<VpcGraph>...], "errors": [...], "notes": [...]}` (notes
//! as in the lint JSON: what each stack's checks cannot see), where each graph is
//! its serde serialization (arenas are arrays; links between nodes are `{"node": index}` into
//! the arena of the target kind) with every span replaced by
//! `{"file", "line", "column", "end_line", "end_column"}` (1-based; end exclusive), so the
//! output is readable and does not depend on the order files were read in.

use serde_json::{Map, Value};
use vpclint_graph::{FileId, SourceMap, Span};

use crate::analysis::{Analysis, PathDisplay};
use crate::render::{locate, note_place, NotePlace};

pub fn render(analysis: &Analysis, paths: &PathDisplay) -> String {
    let stacks: Vec<Value> = analysis
        .graphs
        .iter()
        .map(|graph| {
            let mut value = serde_json::to_value(graph).unwrap_or(Value::Null);
            resolve_spans(&mut value, &analysis.sources, paths);
            value
        })
        .collect();
    let errors: Vec<Value> = analysis
        .errors
        .iter()
        .map(|error| {
            let at = error
                .span
                .and_then(|span| locate(&analysis.sources, paths, span));
            serde_json::json!({
                "file": at.as_ref().map_or_else(|| paths.show(&error.path), |l| l.file.clone()),
                "line": at.as_ref().map(|l| l.line),
                "column": at.as_ref().map(|l| l.column),
                "message": error.message,
            })
        })
        .collect();
    let notes: Vec<Value> = analysis
        .notes
        .iter()
        .map(|note| {
            let (file, at) = match note_place(&analysis.sources, paths, note) {
                Some(NotePlace::At(at)) => (Some(at.file.clone()), Some(at)),
                Some(NotePlace::File(file)) => (Some(file), None),
                None => (None, None),
            };
            serde_json::json!({
                "stack": paths.show_stack(&note.stack),
                "message": note.message,
                "file": file,
                "line": at.as_ref().map(|l| l.line),
                "column": at.as_ref().map(|l| l.column),
            })
        })
        .collect();
    let document = serde_json::json!({
        "version": 1,
        "stacks": stacks,
        "errors": errors,
        "notes": notes,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    // As the lint JSON: no raw DEL or C1 control, no `##[` log command.
    crate::render::text::json_safe(text)
}

/// Replaces every serialized [`Span`] (an object of exactly `file`, `start`, `end`) by its location.
fn resolve_spans(value: &mut Value, sources: &SourceMap, paths: &PathDisplay) {
    match value {
        Value::Array(items) => {
            for item in items {
                resolve_spans(item, sources, paths);
            }
        }
        Value::Object(map) => {
            if let Some(span) = as_span(map) {
                if let Some(location) = locate(sources, paths, span) {
                    *value = serde_json::to_value(location).unwrap_or(Value::Null);
                }
                return;
            }
            for item in map.values_mut() {
                resolve_spans(item, sources, paths);
            }
        }
        _ => {}
    }
}

fn as_span(map: &Map<String, Value>) -> Option<Span> {
    if map.len() != 3 {
        return None;
    }
    let number = |key: &str| map.get(key)?.as_u64().and_then(|n| u32::try_from(n).ok());
    Some(Span {
        file: FileId(number("file")?),
        start: number("start")?,
        end: number("end")?,
    })
}
