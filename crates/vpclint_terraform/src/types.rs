//! Variable type constraints: converts a value to a `type = ...` expression the way
//! Terraform does before a module sees it (primitive conversions, `optional(T, default)`
//! attributes filled in, undeclared object attributes dropped, sets made unique).
//!
//! Conversion never fails: what does not fit is left as it is (Terraform would reject the
//! configuration; vpclint's job is not to type-check it).

use crate::syntax::{Expression, ObjectKey};
use vpclint_graph::IndexMap;
use vpclint_graph::{FileId, Value};

use crate::eval::{Evaluator, Scope};
use crate::functions::to_string;

/// Deepest type expression followed (bounds adversarial nesting).
const MAX_TYPE_DEPTH: usize = 32;

/// Converts `value` to the type constraint `ty` (written in `file`).
pub(crate) fn convert<'a>(
    ev: &Evaluator<'a>,
    value: Value,
    ty: &'a Expression,
    file: FileId,
) -> Value {
    convert_at(ev, value, ty, file, 0)
}

fn convert_at<'a>(
    ev: &Evaluator<'a>,
    value: Value,
    ty: &'a Expression,
    file: FileId,
    depth: usize,
) -> Value {
    if depth > MAX_TYPE_DEPTH || matches!(value, Value::Unknown(_) | Value::Ref(_) | Value::Null) {
        return value;
    }
    match ty {
        Expression::Variable(v) => primitive(value, v.as_str()),
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let mut args = call.args.iter();
            let (Some(inner), second) = (args.next(), args.next()) else {
                return value;
            };
            match (name, value) {
                ("list" | "set", Value::List(items)) => {
                    let mut items: Vec<Value> = items
                        .into_iter()
                        .map(|v| convert_at(ev, v, inner, file, depth + 1))
                        .collect();
                    if name == "set" {
                        let mut unique: Vec<Value> = Vec::with_capacity(items.len());
                        for v in items.drain(..) {
                            if !unique.contains(&v) {
                                unique.push(v);
                            }
                        }
                        items = unique;
                    }
                    Value::List(items)
                }
                ("map", Value::Map(m)) => Value::Map(
                    m.into_iter()
                        .map(|(k, v)| (k, convert_at(ev, v, inner, file, depth + 1)))
                        .collect(),
                ),
                ("object", Value::Map(m)) => object(ev, m, inner, file, depth),
                ("tuple", Value::List(items)) => match inner {
                    Expression::Array(types) => Value::List(
                        items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| match types.get(i) {
                                Some(t) => convert_at(ev, v, t, file, depth + 1),
                                None => v,
                            })
                            .collect(),
                    ),
                    _ => Value::List(items),
                },
                ("optional", v) => {
                    let _ = second;
                    convert_at(ev, v, inner, file, depth + 1)
                }
                (_, v) => v,
            }
        }
        _ => value,
    }
}

fn primitive(value: Value, ty: &str) -> Value {
    match (ty, &value) {
        ("number", Value::String(s)) => s.trim().parse().map(Value::Number).unwrap_or(value),
        ("bool", Value::String(s)) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => value,
        },
        ("string", Value::Number(_) | Value::Bool(_)) => {
            to_string(&value).map(Value::String).unwrap_or(value)
        }
        _ => value,
    }
}

/// An object type: declared attributes converted, missing optional ones defaulted,
/// undeclared ones dropped.
fn object<'a>(
    ev: &Evaluator<'a>,
    mut given: IndexMap<String, Value>,
    spec: &'a Expression,
    file: FileId,
    depth: usize,
) -> Value {
    let Expression::Object(spec) = spec else {
        return Value::Map(given);
    };
    let mut out = IndexMap::with_capacity_and_hasher(spec.len(), Default::default());
    for (key, ty) in spec.iter() {
        let name = match key {
            ObjectKey::Ident(id) => id.as_str().to_owned(),
            ObjectKey::Expression(e) => match crate::config::literal_str(e) {
                Some(s) => s.to_owned(),
                None => continue,
            },
        };
        let ty = ty.expr();
        let value = given.shift_remove(&name).unwrap_or(Value::Null);
        let value = match (&value, optional_default(ty)) {
            (Value::Null, Some(default)) => ev.eval(default, &Scope::root(file)),
            _ => value,
        };
        out.insert(name, convert_at(ev, value, ty, file, depth + 1));
    }
    Value::Map(out)
}

/// The default of `optional(T, default)`.
fn optional_default(ty: &Expression) -> Option<&Expression> {
    match ty {
        Expression::FuncCall(call) if call.name.name.as_str() == "optional" => {
            call.args.iter().nth(1)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_convert_like_terraform() {
        assert_eq!(primitive(Value::string("3"), "number"), Value::Number(3.0));
        assert_eq!(primitive(Value::string("true"), "bool"), Value::Bool(true));
        assert_eq!(
            primitive(Value::Bool(false), "string"),
            Value::string("false")
        );
        assert_eq!(primitive(Value::string("x"), "number"), Value::string("x"));
    }
}
