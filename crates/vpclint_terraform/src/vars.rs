//! Root module variable values with Terraform's precedence:
//! defaults < `terraform.tfvars` < `*.auto.tfvars` (lexical order) < `--var-file` / `--var`
//! (in command-line order; the CLI gives var-files first, then vars).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::expr::Expression;
use vpclint_graph::{FileId, InputError, SourceMap, Value};

use crate::config::ModuleConfig;
use crate::eval::{Evaluator, Scope};
use crate::TerraformOptions;

/// A parsed `.tfvars` file.
pub(crate) struct VarFile {
    pub file: FileId,
    pub body: hcl_edit::structure::Body,
}

/// The `.tfvars` files Terraform loads automatically from a root module directory, in order.
pub(crate) fn auto_var_files(dir: &Path) -> Vec<PathBuf> {
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(".auto.tfvars"))
                        && p.is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    let main = dir.join("terraform.tfvars");
    let mut files = Vec::new();
    if main.is_file() {
        files.push(main);
    }
    files.extend(auto);
    files
}

/// Reads and parses a `.tfvars` file into the source map; errors are located.
pub(crate) fn read_var_file(
    sources: &mut SourceMap,
    path: &Path,
    errors: &mut Vec<InputError>,
) -> Option<VarFile> {
    let text = match std::fs::read(path) {
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
    let parsed = hcl_edit::parser::parse_body(&text);
    let len = text.len();
    let file = sources.add(path, text);
    match parsed {
        Ok(body) => Some(VarFile { file, body }),
        Err(e) => {
            errors.push(crate::parse_error(path, file, len, &e));
            None
        }
    }
}

/// Final values of the root module's variables (declared ones only; values for undeclared
/// names are ignored, as Terraform warns and ignores them).
pub(crate) fn resolve(
    cfg: &ModuleConfig<'_>,
    var_files: &[VarFile],
    options: &TerraformOptions,
    paths: &HashMap<FileId, PathBuf>,
) -> (HashMap<String, Value>, Vec<InputError>) {
    // `--var` values of complex type are HCL expressions; parse them before evaluating.
    let cli: Vec<(&str, Option<Expression>)> = options
        .vars
        .iter()
        .map(|(name, raw)| {
            let complex = cfg
                .variables
                .get(name.as_str())
                .is_some_and(|d| !is_primitive_type(d.type_expr));
            let expr = if complex {
                hcl_edit::parser::parse_expr(raw).ok()
            } else {
                None
            };
            (name.as_str(), expr)
        })
        .collect();
    // Literal-only evaluation: tfvars cannot reference anything.
    let empty_paths = HashMap::new();
    let empty = ModuleConfig::index(cfg.dir, &[], &mut Vec::new());
    let literal = Evaluator::new(&empty, String::new(), HashMap::new(), &empty_paths);
    let mut values: HashMap<String, Value> = HashMap::new();
    for (name, decl) in &cfg.variables {
        if let Some(default) = decl.default {
            values.insert(
                (*name).to_owned(),
                literal.eval(default, &Scope::root(decl.file)),
            );
        }
    }
    for vf in var_files {
        for attr in vf.body.attributes() {
            let name = attr.key.as_str();
            if cfg.variables.contains_key(name) {
                values.insert(
                    name.to_owned(),
                    literal.eval(&attr.value, &Scope::root(vf.file)),
                );
            }
        }
    }
    for ((name, raw), (_, expr)) in options.vars.iter().zip(&cli) {
        let Some(decl) = cfg.variables.get(name.as_str()) else {
            continue;
        };
        let value = match expr {
            Some(expr) => literal.eval(expr, &Scope::root(decl.file)),
            None => Value::String(raw.clone()),
        };
        values.insert(name.clone(), value);
    }
    for (name, decl) in &cfg.variables {
        if let (Some(v), Some(t)) = (values.get_mut(*name), decl.type_expr) {
            convert_primitive(v, t);
        }
    }
    let mut errors = literal.diags.into_inner().errors;
    for e in &mut errors {
        if let Some(span) = e.span {
            if let Some(p) = paths.get(&span.file) {
                e.path = p.clone();
            }
        }
    }
    (values, errors)
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

/// Converts a value to a primitive type constraint where Terraform would.
fn convert_primitive(v: &mut Value, t: &Expression) {
    let converted = match (type_name(t), &*v) {
        (Some("number"), Value::String(s)) => s.trim().parse().ok().map(Value::Number),
        (Some("bool"), Value::String(s)) => match s.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        (Some("string"), Value::Number(_) | Value::Bool(_)) => {
            crate::functions::to_string(v).map(Value::String)
        }
        _ => None,
    };
    if let Some(c) = converted {
        *v = c;
    }
}
