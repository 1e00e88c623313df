//! `vpclint.toml` / `.vpclint.toml`: discovery and strict parsing.
//!
//! The file is found from each linted path upward, stopping at the repository root (a
//! directory holding `.git`), or given with `--config`. Keys are kebab-case and checked: an
//! unknown key or a bad value is an error naming the key and `file:line:column`. Paths in the
//! file (`var-files`, `parameter-files`, `exclude`) are relative to the file's directory.
//! `docs/configuration.md` documents every key.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;
use vpclint_graph::files::{self, Boundary};
use vpclint_graph::InputError;
use vpclint_linter::{find_rule, Severity, RULES};

/// The file names looked for, in this order, in each directory.
pub const CONFIG_FILE_NAMES: &[&str] = &["vpclint.toml", ".vpclint.toml"];

/// A configuration error, already located and worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A parsed, checked configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from (as shown to the user).
    pub path: PathBuf,
    /// The directory paths in the file are relative to.
    pub dir: PathBuf,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    exclude: Option<GlobSet>,
    /// Per-rule severity and options, keyed by rule ID.
    pub severity: HashMap<String, Severity>,
    pub options: HashMap<String, serde_json::Value>,
    pub var_files: Vec<PathBuf>,
    pub vars: Vec<(String, String)>,
    pub parameters: Vec<(String, String)>,
    pub parameter_files: Vec<PathBuf>,
    pub region: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    fail_on: Option<Severity>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RawRule>,
    #[serde(default)]
    terraform: RawTerraform,
    #[serde(default)]
    cloudformation: RawCloudFormation,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    severity: Option<Severity>,
    /// VPC301: `stack` (default) or `all`.
    scope: Option<Spanned<Scope>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Scope {
    Stack,
    All,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTerraform {
    #[serde(default)]
    var_files: Vec<PathBuf>,
    #[serde(default)]
    vars: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCloudFormation {
    #[serde(default)]
    parameters: BTreeMap<String, toml::Value>,
    #[serde(default)]
    parameter_files: Vec<PathBuf>,
    region: Option<String>,
}

/// The configuration for `paths`: `explicit` (`--config`) if given, else the nearest
/// `vpclint.toml` / `.vpclint.toml` above each path. Paths that lead to different files are
/// an error (lint them separately, or pass `--config`). A configuration file the file policy
/// refuses is not read: the run goes on without it, and reports it as an input error.
pub fn find_and_load(
    explicit: Option<&Path>,
    paths: &[PathBuf],
) -> Result<(Option<Config>, Option<InputError>), ConfigError> {
    if let Some(path) = explicit {
        return load(path).map(|c| (Some(c), None));
    }
    let found: BTreeSet<PathBuf> = paths.iter().filter_map(|p| discover(p)).collect();
    let mut found = found.into_iter();
    match (found.next(), found.next()) {
        (None, _) => Ok((None, None)),
        (Some(path), None) => {
            // Found in the tree, so written by whoever wrote the tree: a link to a file
            // outside the linted paths and their repository is not read (its text would be
            // printed in a parse error).
            if let Err(refusal) = Boundary::around(paths).admits_entry(&path) {
                let message = format!("configuration file {refusal}; linted without it");
                return Ok((None, Some(InputError::at(shown(&path), None, message))));
            }
            load(&path).map(|c| (Some(c), None))
        }
        (Some(a), Some(b)) => Err(ConfigError(format!(
            "error: the paths given use different configuration files ({} and {}); lint them \
             separately or choose one with --config",
            shown(&a),
            shown(&b)
        ))),
    }
}

/// The nearest configuration file at or above `path`, up to the repository root.
pub fn discover(path: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(path).ok()?;
    let start = if absolute.is_file() {
        absolute.parent()?.to_path_buf()
    } else {
        absolute
    };
    for dir in start.ancestors() {
        for name in CONFIG_FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// A path relative to the current directory when it is below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok());
    let relative = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// Reads and checks one configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let display = shown(path);
    let text = files::read_given_string(path)
        .map_err(|err| ConfigError(format!("error: cannot read configuration {display}: {err}")))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    parse(&text, &display, &dir)
}

/// Parses configuration `text`; `display` names the file in errors, `dir` anchors its paths.
pub fn parse(text: &str, display: &str, dir: &Path) -> Result<Config, ConfigError> {
    let located = |span: Option<std::ops::Range<usize>>, message: &str| {
        let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
        ConfigError(format!("error: {display}:{line}:{column}: {message}"))
    };
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let span = err.span();
        let key = span
            .clone()
            .and_then(|s| key_at(text, s.start))
            .filter(|key| !err.message().contains(&format!("`{key}`")));
        let message = err.message().trim().to_owned();
        match key {
            Some(key) => located(span, &format!("`{key}`: {message}")),
            None => located(span, &message),
        }
    })?;

    let check_selectors = |list: &[Spanned<String>],
                           key: &str|
     -> Result<Vec<String>, ConfigError> {
        list.iter()
            .map(|s| {
                let value = s.get_ref();
                if RULES.iter().any(|r| r.meta().matches(value)) {
                    Ok(value.clone())
                } else {
                    Err(located(
                        Some(s.span()),
                        &format!(
                            "`{key}`: unknown rule selector `{value}`: expected a rule ID (VPC103), \
                             name (peering-missing-return-route), ID prefix (VPC1) or ALL"
                        ),
                    ))
                }
            })
            .collect()
    };
    let select = raw
        .select
        .as_deref()
        .map(|list| check_selectors(list, "select"))
        .transpose()?;
    let ignore = check_selectors(&raw.ignore, "ignore")?;

    let mut severity = HashMap::new();
    let mut options = HashMap::new();
    for (key, rule) in &raw.rules {
        let Some(found) = find_rule(key.get_ref()) else {
            return Err(located(
                Some(key.span()),
                &format!(
                    "`rules.{}`: unknown rule; use a rule ID (VPC301) or name; `vpclint rules` lists them",
                    key.get_ref()
                ),
            ));
        };
        let id = found.meta().id;
        if let Some(level) = rule.severity {
            severity.insert(id.to_owned(), level);
        }
        if let Some(scope) = &rule.scope {
            if id != "VPC301" {
                return Err(located(
                    Some(scope.span()),
                    &format!(
                        "`rules.{}.scope`: {id} has no option `scope` (only VPC301 has)",
                        key.get_ref()
                    ),
                ));
            }
            let value = match scope.get_ref() {
                Scope::Stack => "stack",
                Scope::All => "all",
            };
            options.insert(id.to_owned(), serde_json::json!({ "scope": value }));
        }
    }

    let exclude = if raw.exclude.is_empty() {
        None
    } else {
        let mut builder = GlobSetBuilder::new();
        for pattern in &raw.exclude {
            let glob = Glob::new(pattern.get_ref().trim_end_matches('/')).map_err(|err| {
                located(
                    Some(pattern.span()),
                    &format!("`exclude`: invalid glob: {}", err.kind()),
                )
            })?;
            builder.add(glob);
        }
        Some(
            builder
                .build()
                .map_err(|err| located(None, &format!("`exclude`: invalid glob: {err}")))?,
        )
    };

    Ok(Config {
        path: PathBuf::from(display),
        dir: dir.to_path_buf(),
        select,
        ignore,
        fail_on: raw.fail_on,
        exclude,
        severity,
        options,
        var_files: raw
            .terraform
            .var_files
            .iter()
            .map(|p| dir.join(p))
            .collect(),
        vars: raw
            .terraform
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), terraform_value(v)))
            .collect(),
        parameters: raw
            .cloudformation
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), parameter_value(v)))
            .collect(),
        parameter_files: raw
            .cloudformation
            .parameter_files
            .iter()
            .map(|p| dir.join(p))
            .collect(),
        region: raw.cloudformation.region,
    })
}

impl Config {
    /// Whether `path` (a discovered file or directory) matches an `exclude` glob, itself or
    /// through one of its parent directories, relative to the configuration's directory.
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(set) = &self.exclude else {
            return false;
        };
        let (Ok(base), Ok(absolute)) = (
            std::fs::canonicalize(&self.dir),
            std::fs::canonicalize(path),
        ) else {
            return false;
        };
        let Ok(relative) = absolute.strip_prefix(&base) else {
            return false;
        };
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| set.is_match(p))
    }
}

/// A TOML value as a Terraform `-var` value: strings as they are, anything else in JSON
/// syntax (which HCL reads as the same list, map, number or bool).
fn terraform_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A TOML value as a CloudFormation parameter value: lists become comma-delimited.
fn parameter_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items
            .iter()
            .map(parameter_value)
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before
        .get(line_start..)
        .map_or(1, |s| s.chars().count() + 1);
    (line, column)
}

/// The dotted key whose value is at `offset`: the table header above it (`rules.VPC301`)
/// joined to the key on its line (`severity`).
fn key_at(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(offset..)?
        .find('\n')
        .map_or(text.len(), |i| offset + i);
    let line = text.get(line_start..line_end)?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('[') {
        return None;
    }
    let table = before
        .get(..line_start)?
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(['[', ']']).trim().to_owned());
    Some(match table {
        Some(table) if !table.is_empty() => format!("{table}.{key}"),
        _ => key.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        match parse(text, "vpclint.toml", Path::new(".")) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(err) => err.0,
        }
    }

    #[test]
    fn reads_every_key() {
        let text = r#"
select = ["VPC1", "s3-bucket-not-locked-to-endpoint"]
ignore = ["VPC106"]
fail-on = "error"
exclude = ["legacy/**"]

[rules.VPC301]
severity = "error"
scope = "all"

[terraform]
var-files = ["prod.tfvars"]
vars = { cidr = "10.0.0.0/16", azs = ["a", "b"] }

[cloudformation]
parameters = { Env = "prod", Subnets = ["a", "b"] }
parameter-files = ["params.json"]
region = "eu-west-1"
"#;
        let config = parse(text, "vpclint.toml", Path::new("infra")).expect("valid");
        assert_eq!(
            config.select.as_deref(),
            Some(
                &[
                    "VPC1".to_owned(),
                    "s3-bucket-not-locked-to-endpoint".to_owned()
                ][..]
            )
        );
        assert_eq!(config.ignore, ["VPC106"]);
        assert_eq!(config.fail_on, Some(Severity::Error));
        assert_eq!(config.severity.get("VPC301"), Some(&Severity::Error));
        assert_eq!(config.options["VPC301"]["scope"], "all");
        assert_eq!(config.var_files, [PathBuf::from("infra/prod.tfvars")]);
        assert_eq!(
            config.vars,
            [
                ("azs".to_owned(), r#"["a","b"]"#.to_owned()),
                ("cidr".to_owned(), "10.0.0.0/16".to_owned())
            ]
        );
        assert_eq!(
            config.parameters[1],
            ("Subnets".to_owned(), "a,b".to_owned())
        );
        assert_eq!(config.parameter_files, [PathBuf::from("infra/params.json")]);
        assert_eq!(config.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn errors_name_the_key_and_the_line() {
        let err = parse_err("select = [\"VPC1\"]\ncolour = true\n");
        assert!(err.starts_with("error: vpclint.toml:2:1: "), "{err}");
        assert!(err.contains("colour"), "{err}");

        let err = parse_err("fail-on = \"loud\"\n");
        assert!(
            err.starts_with("error: vpclint.toml:1:11: `fail-on`: "),
            "{err}"
        );

        let err = parse_err("[rules.VPC301]\nseverity = \"fatal\"\n");
        assert!(err.contains("vpclint.toml:2:"), "{err}");
        assert!(err.contains("rules.VPC301.severity"), "{err}");

        let err = parse_err("[rules.VPC999]\nseverity = \"error\"\n");
        assert!(
            err.contains("vpclint.toml:1:8: `rules.VPC999`: unknown rule"),
            "{err}"
        );

        let err = parse_err("[rules.VPC101]\nscope = \"all\"\n");
        assert!(
            err.contains("vpclint.toml:2:9: `rules.VPC101.scope`"),
            "{err}"
        );

        let err = parse_err("ignore = [\"VPC1\", \"nope\"]\n");
        assert!(
            err.contains("vpclint.toml:1:19: `ignore`: unknown rule selector `nope`"),
            "{err}"
        );

        let err = parse_err("[terraform]\nvar_files = []\n");
        assert!(
            err.contains("vpclint.toml:2:1") && err.contains("var_files"),
            "{err}"
        );
    }
}
