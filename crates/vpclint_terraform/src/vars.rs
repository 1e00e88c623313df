//! Root module variable values with Terraform's precedence:
//! defaults < `TF_VAR_*` < `terraform.tfvars` < `*.auto.tfvars` (lexical order) <
//! `--var-file` / `--var` (in command-line order, a later one winning whichever kind it is).

use crate::HashMap;
use std::path::{Path, PathBuf};

use crate::syntax::Expression;
use vpclint_graph::{FileId, InputError, SourceMap, Value};

use std::rc::Rc;

use crate::config::ModuleConfig;
use crate::eval::{Evaluator, Scope, Stack};
use crate::types;

/// A `--var` or a (read) `--var-file` of the command line.
pub(crate) enum CommandLineInput<'a> {
    Var(&'a str, &'a str),
    File(VarFile),
}

/// A parsed `.tfvars` or `.tfvars.json` file.
pub(crate) struct VarFile {
    pub file: FileId,
    pub content: VarFileContent,
}

pub(crate) enum VarFileContent {
    Hcl(crate::syntax::Body),
    /// `.tfvars.json`: a JSON object of literal values (strings are not templates here).
    Json(Vec<(String, Value)>),
}

/// The `.tfvars` files Terraform loads automatically from a root module directory, in order.
pub(crate) fn auto_var_files(dir: &Path) -> Vec<PathBuf> {
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                    }) && p.is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| p.is_file())
        .collect();
    files.extend(auto);
    files
}

/// Reads and parses a `.tfvars` file into the source map; errors are located. A file found
/// in a root module is read under the file policy (`within`: a link out of the boundary is
/// refused); one named on the command line only has to be a regular file of bounded size.
pub(crate) fn read_var_file(
    sources: &mut SourceMap,
    path: &Path,
    within: Option<&vpclint_graph::files::Boundary>,
    errors: &mut Vec<InputError>,
) -> Option<VarFile> {
    let read = match within {
        Some(boundary) => vpclint_graph::files::read_entry(path, boundary),
        None => vpclint_graph::files::read_given(path),
    };
    let text = match read {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                errors.push(InputError::at(path, None, "file is not valid UTF-8"));
                return None;
            }
        },
        Err(e) => {
            errors.push(InputError::at(
                path,
                None,
                format!("cannot read variables file: {e}"),
            ));
            return None;
        }
    };
    if path.extension().is_some_and(|e| e == "json") {
        let parsed = serde_json::from_str::<serde_json::Value>(&text);
        let file = sources.add(path, text);
        return match parsed {
            Ok(serde_json::Value::Object(map)) => Some(VarFile {
                file,
                content: VarFileContent::Json(
                    map.iter()
                        .map(|(k, v)| (k.clone(), Value::from_json(v)))
                        .collect(),
                ),
            }),
            Ok(_) => {
                errors.push(InputError::at(
                    path,
                    None,
                    "a .tfvars.json file must hold a JSON object",
                ));
                None
            }
            Err(e) => {
                let span = crate::json_error_span(sources, file, &e);
                errors.push(InputError::at(path, span, format!("syntax error: {e}")));
                None
            }
        };
    }
    let parsed = crate::syntax::parse_body(&text);
    let len = text.len();
    let file = sources.add(path, text);
    match parsed {
        Ok(body) => Some(VarFile {
            file,
            content: VarFileContent::Hcl(body),
        }),
        Err(e) => {
            errors.push(crate::parse_error(path, file, len, &e));
            None
        }
    }
}

/// Final values of the root module's variables (declared ones only; values for undeclared
/// names are ignored, as Terraform warns and ignores them). `environment` holds the
/// `TF_VAR_*` variables (name without the prefix), which have the lowest precedence after
/// defaults.
pub(crate) fn resolve(
    cfg: &ModuleConfig<'_>,
    auto_files: &[VarFile],
    command_line: &[CommandLineInput<'_>],
    environment: &[(String, String)],
    paths: &HashMap<FileId, PathBuf>,
) -> (HashMap<String, Value>, Vec<InputError>) {
    // `--var` and `TF_VAR_` values of complex type are HCL expressions; parse them first
    // (the evaluator borrows what it evaluates).
    let env: Vec<Option<Expression>> = environment
        .iter()
        .map(|(name, raw)| parse_raw(cfg, name, raw))
        .collect();
    let cli: Vec<Option<Expression>> = command_line
        .iter()
        .map(|input| match input {
            CommandLineInput::Var(name, raw) => parse_raw(cfg, name, raw),
            CommandLineInput::File(_) => None,
        })
        .collect();
    // Literal-only evaluation: tfvars cannot reference anything.
    let empty_paths = HashMap::default();
    let empty_dirs = HashMap::default();
    let empty = ModuleConfig::index(cfg.dir, &[], &mut Vec::new());
    let stack = Rc::new(Stack::new(
        &[],
        &empty_dirs,
        HashMap::default(),
        &empty_paths,
    ));
    let literal = Evaluator::root(stack.clone(), &empty, None, HashMap::default());
    let mut values: HashMap<String, Value> = HashMap::default();
    for (name, decl) in &cfg.variables {
        if let Some(default) = decl.default {
            values.insert(
                (*name).to_owned(),
                literal.eval(default, &Scope::root(decl.file)),
            );
        }
    }
    for ((name, raw), expr) in environment.iter().zip(&env) {
        if let Some(v) = raw_value(cfg, &literal, name, raw, expr.as_ref()) {
            values.insert(name.clone(), v);
        }
    }
    for vf in auto_files {
        apply_var_file(cfg, &literal, vf, &mut values);
    }
    for (input, expr) in command_line.iter().zip(&cli) {
        match input {
            CommandLineInput::Var(name, raw) => {
                if let Some(v) = raw_value(cfg, &literal, name, raw, expr.as_ref()) {
                    values.insert((*name).to_owned(), v);
                }
            }
            CommandLineInput::File(vf) => apply_var_file(cfg, &literal, vf, &mut values),
        }
    }
    for (name, decl) in &cfg.variables {
        if let (Some(v), Some(t)) = (values.get_mut(*name), decl.type_expr) {
            *v = types::convert(&literal, std::mem::take(v), t, decl.file);
        }
    }
    drop(literal);
    let mut errors = stack.take_diags().errors;
    for e in &mut errors {
        if let Some(span) = e.span {
            if let Some(p) = paths.get(&span.file) {
                e.path = p.clone();
            }
        }
    }
    (values, errors)
}

/// A raw `name=value` string (`--var`, `TF_VAR_name`) parsed as HCL, when the variable
/// has a complex type constraint.
fn parse_raw(cfg: &ModuleConfig<'_>, name: &str, raw: &str) -> Option<Expression> {
    let complex = cfg
        .variables
        .get(name)
        .is_some_and(|d| !is_primitive_type(d.type_expr));
    if complex {
        crate::syntax::parse_expr(raw).ok()
    } else {
        None
    }
}

/// The value of a raw `name=value` string for a declared variable: the string itself for
/// a primitive type (or HCL that does not parse), else the parsed expression's value.
fn raw_value<'a>(
    cfg: &ModuleConfig<'_>,
    literal: &Evaluator<'a>,
    name: &str,
    raw: &str,
    parsed: Option<&'a Expression>,
) -> Option<Value> {
    let decl = cfg.variables.get(name)?;
    Some(match parsed {
        Some(expr) => literal.eval(expr, &Scope::root(decl.file)),
        None => Value::String(raw.to_owned()),
    })
}

/// Applies the values of a variables file for the declared variables (others are ignored).
fn apply_var_file<'a>(
    cfg: &ModuleConfig<'_>,
    literal: &Evaluator<'a>,
    vf: &'a VarFile,
    values: &mut HashMap<String, Value>,
) {
    match &vf.content {
        VarFileContent::Hcl(body) => {
            for attr in body.attributes() {
                let name = attr.key.as_str();
                if cfg.variables.contains_key(name) {
                    values.insert(
                        name.to_owned(),
                        literal.eval(&attr.value, &Scope::root(vf.file)),
                    );
                }
            }
        }
        VarFileContent::Json(map) => {
            for (name, v) in map {
                if cfg.variables.contains_key(name.as_str()) {
                    values.insert(name.clone(), v.clone());
                }
            }
        }
    }
}

/// The `TF_VAR_name` variables of the process environment, sorted by name.
pub(crate) fn process_environment() -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| {
            let name = k.to_str()?.strip_prefix("TF_VAR_")?.to_owned();
            Some((name, v.into_string().ok()?))
        })
        .collect();
    vars.sort();
    vars
}

fn type_name(t: &Expression) -> Option<&str> {
    match t {
        Expression::Variable(v) => Some(v.as_str()),
        _ => None,
    }
}

/// `--var` values are strings unless the variable has a complex type constraint.
fn is_primitive_type(t: Option<&Expression>) -> bool {
    match t {
        None => true,
        Some(t) => matches!(type_name(t), Some("string" | "number" | "bool" | "any")),
    }
}
