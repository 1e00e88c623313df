//! The stable, versioned JSON output (`--format json`); the contract is in DESIGN.md.
//!
//! Lines and columns are 1-based, columns count characters and `end_column` is exclusive.
//! An error about a whole file (unreadable, missing) has `null` line and column.

use serde::Serialize;

use super::Report;
use crate::analysis::Summary;

/// Bumped only on a breaking change of this shape.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    notes: Vec<JsonNote<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    resource: &'a str,
    /// Every stack the finding was found in (sorted; one unless root modules share a module).
    stacks: Vec<String>,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
}

/// What a stack's checks could not see (a module that is not installed, resources that may
/// not exist, ...), where that is written when known.
#[derive(Serialize)]
struct JsonNote<'a> {
    stack: String,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

/// Renders the report as pretty-printed JSON followed by a newline.
pub fn render(report: &Report<'_>) -> String {
    let findings = report
        .findings
        .iter()
        .filter_map(|finding| {
            // A span into a file the source map does not hold would be a front-end bug; the
            // finding cannot be located, so it is dropped rather than reported at a made-up place.
            let at = report.locate(finding.primary.span)?;
            let related = finding
                .related
                .iter()
                .filter_map(|label| {
                    let loc = report.locate(label.span)?;
                    Some(JsonRelated {
                        file: loc.file,
                        line: loc.line,
                        column: loc.column,
                        message: &label.message,
                    })
                })
                .collect();
            Some(JsonFinding {
                rule: finding.rule.id,
                name: finding.rule.name,
                severity: finding.severity.as_str(),
                message: &finding.message,
                help: finding.help.as_deref(),
                resource: &finding.resource,
                stacks: report.stacks(finding),
                file: at.file,
                line: at.line,
                column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
                related,
            })
        })
        .collect();
    let errors = report
        .errors
        .iter()
        .map(|error| {
            let at = error.span.and_then(|span| report.locate(span));
            JsonError {
                file: at
                    .as_ref()
                    .map_or_else(|| report.paths.show(&error.path), |l| l.file.clone()),
                line: at.as_ref().map(|l| l.line),
                column: at.as_ref().map(|l| l.column),
                message: &error.message,
            }
        })
        .collect();
    let notes = report
        .notes
        .iter()
        .map(|note| {
            let at = report.note_location(note);
            let position = at.as_ref().and_then(|(_, position)| *position);
            JsonNote {
                stack: report.paths.show_stack(&note.stack),
                message: &note.message,
                file: at.map(|(file, _)| file),
                line: position.map(|(line, _)| line),
                column: position.map(|(_, column)| column),
            }
        })
        .collect();
    let json = JsonReport {
        version: JSON_VERSION,
        findings,
        errors,
        notes,
        summary: report.summary,
    };
    let mut text = serde_json::to_string_pretty(&json)
        .unwrap_or_else(|err| format!("{{\"error\": \"cannot serialize report: {err}\"}}"));
    text.push('\n');
    // serde_json leaves DEL and C1 controls raw, and a log runs `##[` as a command.
    super::text::json_safe(text)
}
