//! Parameter values given from outside the template: `--parameter-file` files (read here)
//! and `--parameter` pairs, and their validation against a parameter's `AllowedValues`.
//!
//! Parameter files come in the three shapes people already have:
//! - the AWS CLI's `[{"ParameterKey": "K", "ParameterValue": "V"}, ...]` list
//!   (`UsePreviousValue` entries set nothing: the previous value is not in the file);
//! - a CodePipeline template configuration `{"Parameters": {"K": "V"}, ...}`;
//! - a plain `{"K": "V"}` map.
//!
//! Values may be strings, numbers or booleans; a list value is joined with commas, as for
//! `CommaDelimitedList`. Files apply in order, then `--parameter` pairs; the last value wins.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use vpclint_graph::{FileId, InputError, SourceMap, Span};

use crate::syntax::{NodeId, NodeKind, Tree};

/// A parameter value and where it was given.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Given {
    pub key: String,
    pub value: String,
    /// For messages: `--parameter`, or `parameter file params.json`.
    pub source: String,
}

/// Reads every parameter file, then appends the `--parameter` pairs.
pub(crate) fn collect(
    sources: &mut SourceMap,
    files: &[PathBuf],
    pairs: &[(String, String)],
) -> (Vec<Given>, Vec<InputError>) {
    let mut given = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        match read_file(sources, path) {
            Ok(mut entries) => given.append(&mut entries),
            Err(error) => errors.push(error),
        }
    }
    given.extend(pairs.iter().map(|(key, value)| Given {
        key: key.clone(),
        value: value.clone(),
        source: "--parameter".to_owned(),
    }));
    (given, errors)
}

fn read_file(sources: &mut SourceMap, path: &Path) -> Result<Vec<Given>, InputError> {
    // Named on the command line or in vpclint.toml (the CLI checks where the latter are):
    // only a regular file of bounded size is read.
    let text = vpclint_graph::files::read_given_string(path)
        .map_err(|e| InputError::at(path, None, format!("cannot read parameter file: {e}")))?;
    let text: Arc<str> = Arc::from(text);
    let file = sources.add(path.to_path_buf(), Arc::clone(&text));
    let source = format!("parameter file {}", path.display());
    let error = |start: usize, message: String| {
        let end = text
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(start, |c| start + c.len_utf8());
        InputError::at(path, Some(Span::new(file, start, end)), message)
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        error(
            byte_offset(&text, e.line(), e.column()),
            format!("parameter file is not valid JSON: {e}"),
        )
    })?;
    let shape_error = || {
        error(
            0,
            "parameter file must be a list of {\"ParameterKey\": .., \"ParameterValue\": ..} \
             objects, a {\"Parameters\": {..}} object, or a {\"Key\": \"Value\"} map"
                .to_owned(),
        )
    };
    let given = |key: &str, value: &serde_json::Value| -> Result<Given, InputError> {
        let value = text_value(value).ok_or_else(|| {
            error(
                0,
                format!("parameter file: the value of `{key}` must be a string, number, boolean or list of them"),
            )
        })?;
        Ok(Given {
            key: key.to_owned(),
            value,
            source: source.clone(),
        })
    };
    match &json {
        serde_json::Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let Some(key) = item.get("ParameterKey").and_then(|k| k.as_str()) else {
                    return Err(shape_error());
                };
                // Without a value (`UsePreviousValue`) the value lives in the deployed
                // stack, not here: the parameter stays as the template declares it.
                if let Some(value) = item.get("ParameterValue") {
                    out.push(given(key, value)?);
                }
            }
            Ok(out)
        }
        serde_json::Value::Object(map) => {
            let map = match map.get("Parameters") {
                Some(serde_json::Value::Object(inner)) => inner,
                _ => map,
            };
            map.iter().map(|(key, value)| given(key, value)).collect()
        }
        _ => Err(shape_error()),
    }
}

fn text_value(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                serde_json::Value::Array(_) => None,
                other => text_value(other),
            })
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join(",")),
        _ => None,
    }
}

/// serde_json reports 1-based line and column (in characters); the byte offset of that place.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let rest = text.get(line_start..).unwrap_or("");
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// A parameter's `AllowedValues`, when it is a list of scalars.
pub(crate) fn allowed_values(tree: &Tree<'_>, decl: NodeId) -> Option<Vec<String>> {
    let list = tree.get(decl, "AllowedValues")?;
    tree.items(list)?
        .iter()
        .map(|item| tree.scalar(*item).map(str::to_owned))
        .collect()
}

/// Whether `value` is allowed. For list parameters each element must be allowed; numbers
/// compare by value (`10` and `10.0` are the same number).
pub(crate) fn is_allowed(value: &str, allowed: &[String], is_list: bool) -> bool {
    let one = |v: &str| {
        let v = v.trim();
        allowed.iter().any(|a| {
            a == v || matches!((a.parse::<f64>(), v.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
        })
    };
    if is_list {
        value.split(',').all(one)
    } else {
        one(value)
    }
}

/// Located errors for parameter values CloudFormation would reject: a given value, or a
/// `Default`, that is not one of the parameter's `AllowedValues`.
pub(crate) fn validate(
    tree: &Tree<'_>,
    path: &Path,
    file: FileId,
    given: &[Given],
) -> Vec<InputError> {
    let mut errors = Vec::new();
    let Some(section) = tree.get(tree.root(), "Parameters") else {
        return errors;
    };
    for parameter in tree.entries(section) {
        let decl = parameter.value;
        let Some(allowed) = allowed_values(tree, decl) else {
            continue;
        };
        let Some(allowed_entry) = tree.entry(decl, "AllowedValues") else {
            continue;
        };
        let ty = tree
            .get(decl, "Type")
            .and_then(|t| tree.scalar(t))
            .unwrap_or("String");
        let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
        let allowed_span = Span::new(
            file,
            allowed_entry.key_start as usize,
            tree.node(allowed_entry.value).end as usize,
        );
        let name = &parameter.key;
        let shown = allowed.join(", ");
        if let Some(g) = given.iter().rev().find(|g| g.key == **name) {
            if !is_allowed(&g.value, &allowed, is_list) {
                errors.push(InputError::at(
                    path,
                    Some(allowed_span),
                    format!(
                        "parameter `{name}`: value `{}` (from {}) is not one of its AllowedValues: {shown}",
                        g.value, g.source
                    ),
                ));
            }
        } else if let Some(default) = tree.get(decl, "Default") {
            let node = tree.node(default);
            if let NodeKind::Scalar { text, .. } = &node.kind {
                if !is_allowed(text, &allowed, is_list) {
                    errors.push(InputError::at(
                        path,
                        Some(Span::new(file, node.start as usize, node.end as usize)),
                        format!(
                            "parameter `{name}`: Default `{text}` is not one of its AllowedValues: {shown}"
                        ),
                    ));
                }
            }
        }
    }
    errors
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn allowed_values_compare_numbers_and_list_elements() {
        let allowed = ["10".to_owned(), "dev".to_owned()];
        assert!(is_allowed("10.0", &allowed, false));
        assert!(is_allowed("dev", &allowed, false));
        assert!(!is_allowed("prod", &allowed, false));
        assert!(is_allowed("dev, 10", &allowed, true));
        assert!(!is_allowed("dev,prod", &allowed, true));
    }

    #[test]
    fn byte_offsets_from_line_and_column() {
        let text = "{\n  \"é\": x\n}";
        assert_eq!(&text[byte_offset(text, 2, 8)..], "x\n}");
        assert_eq!(byte_offset(text, 1, 1), 0);
    }
}
