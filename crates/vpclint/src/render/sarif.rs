//! SARIF 2.1.0 (`--format sarif`), as GitHub code scanning reads it.
//!
//! One run: the tool driver lists every rule (ID, name, descriptions, help URI, default
//! level); each finding is a result with its rule index, level, message, physical location
//! and related locations. URIs are relative to `%SRCROOT%` (the current directory), columns
//! count Unicode code points (`columnKind`), and `partialFingerprints` carries the baseline
//! fingerprint so code scanning tracks a finding across line moves; a result's `properties`
//! list the `stacks` it was found in. Input errors, notes on what a stack's checks could not
//! see (level `note`) and unused suppressions are tool execution notifications of the
//! invocation.

use serde_json::{json, Value};
use vpclint_linter::{Severity, RULES};

use super::{note_place, Location, NotePlace, Report};
use crate::baseline::fingerprint;
use crate::suppress::UnusedIgnore;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/vpclint/vpclint";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Renders the report as one SARIF log, pretty-printed, ending with a newline.
pub fn render(report: &Report<'_>, unused_ignores: &[UnusedIgnore]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            json!({
                "id": meta.id,
                "name": meta.name,
                "shortDescription": { "text": meta.summary() },
                "fullDescription": { "text": first_paragraph_of_body(&meta.body()).unwrap_or_else(|| meta.summary().to_owned()) },
                "helpUri": meta.docs_url(),
                "help": { "text": format!("{} See {}", meta.summary(), meta.docs_url()), "markdown": meta.body() },
                "defaultConfiguration": { "level": level(meta.default_severity) },
                "properties": { "tags": ["networking", "aws", "vpc"] },
            })
        })
        .collect();

    let results: Vec<Value> = report
        .findings
        .iter()
        .filter_map(|finding| {
            let at = report.locate(finding.primary.span)?;
            let rule_index = RULES
                .iter()
                .position(|r| r.meta().id == finding.rule.id)?;
            let mut text = finding.message.clone();
            if let Some(help) = &finding.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let related: Vec<Value> = finding
                .related
                .iter()
                .filter_map(|label| report.locate(label.span).map(|loc| (loc, label)))
                .enumerate()
                .map(|(id, (loc, label))| {
                    json!({
                        "id": id,
                        "physicalLocation": physical(&loc),
                        "message": { "text": label.message },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": finding.rule.id,
                "ruleIndex": rule_index,
                "level": level(finding.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": physical(&at),
                    "logicalLocations": [{ "fullyQualifiedName": finding.resource, "kind": "resource" }],
                }],
                "partialFingerprints": { "vpclint/v1": fingerprint(finding, report.sources) },
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result["properties"] = json!({ "stacks": report.stacks(finding) });
            Some(result)
        })
        .collect();

    let mut notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|error| {
            let at = error.span.and_then(|span| report.locate(span));
            let location = match at {
                Some(loc) => json!({ "physicalLocation": physical(&loc) }),
                None => json!({ "physicalLocation": { "artifactLocation": artifact(&report.paths.show(&error.path)) } }),
            };
            json!({
                "level": "error",
                "message": { "text": error.message },
                "locations": [location],
            })
        })
        .collect();
    notifications.extend(report.notes.iter().map(|note| {
        let stack = report.paths.show_stack(&note.stack);
        let mut notification = json!({
            "level": "note",
            "message": { "text": format!("{stack}: {}", note.message) },
            "properties": { "stack": stack },
        });
        match note_place(report.sources, report.paths, note) {
            Some(NotePlace::At(loc)) => {
                notification["locations"] = json!([{ "physicalLocation": physical(&loc) }]);
            }
            Some(NotePlace::File(file)) => {
                notification["locations"] =
                    json!([{ "physicalLocation": { "artifactLocation": artifact(&file) } }]);
            }
            None => {}
        }
        notification
    }));
    notifications.extend(unused_ignores.iter().filter_map(|unused| {
        let loc = report.locate(unused.span)?;
        Some(json!({
            "level": "warning",
            "message": { "text": unused.message },
            "locations": [{ "physicalLocation": physical(&loc) }],
        }))
    }));

    let mut run = json!({
        "tool": {
            "driver": {
                "name": "vpclint",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [{
            "executionSuccessful": report.errors.is_empty(),
            "toolExecutionNotifications": notifications,
        }],
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(root) = srcroot() {
        run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": root } });
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|err| format!("{{\"error\": \"cannot serialize SARIF: {err}\"}}"));
    text.push('\n');
    // serde_json leaves DEL and C1 controls raw, and a log runs `##[` as a command.
    super::text::json_safe(text)
}

fn first_paragraph_of_body(body: &str) -> Option<String> {
    // The body starts with `## What it does`; its first paragraph is the full description.
    let after = body.split_once("## What it does")?.1;
    let paragraph = after.trim_start().split("\n\n").next()?.trim();
    (!paragraph.is_empty()).then(|| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn physical(loc: &Location) -> Value {
    json!({
        "artifactLocation": artifact(&loc.file),
        "region": {
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
        },
    })
}

fn artifact(file: &str) -> Value {
    json!({ "uri": percent_encode(file), "uriBaseId": "%SRCROOT%" })
}

/// The current directory as a `file://` URI ending in `/`.
fn srcroot() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let mut path = cwd.to_string_lossy().replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    Some(format!("file://{}", percent_encode(&path)))
}

/// Percent-encodes everything but unreserved characters and `/` (RFC 3986).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            percent_encode("infra/my net/a#b.tf"),
            "infra/my%20net/a%23b.tf"
        );
        assert_eq!(percent_encode("ü.tf"), "%C3%BC.tf");
    }
}
