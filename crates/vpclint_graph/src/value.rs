//! Evaluated values: known JSON-like data, `Unknown`, or a reference to a resource.

use std::fmt;
use std::sync::Arc;

/// Insertion-ordered map with a fast hasher: object values and attribute spans are built
/// by the hundred thousand, and SipHash was 3% of a large run.
pub type IndexMap<K, V> = indexmap::IndexMap<K, V, foldhash::fast::RandomState>;
/// Hash map with the same fast hasher (graph indexes, front-end tables), seeded randomly
/// per process.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// Hash set with the same fast hasher.
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

use crate::Span;

/// The result of evaluating an expression in either front end.
///
/// Unknown propagates element by element: a list with one unknown element is a
/// `List` holding one `Unknown`, not an unknown list.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Map(IndexMap<String, Value>),
    /// A value vpclint cannot know before deployment. Rules never act on it.
    Unknown(Unknown),
    /// The identity of another resource (`aws_vpc.main.id`, `!Ref Vpc`, `!GetAtt Vpc.VpcId`).
    Ref(ResourceRef),
}

/// Why a value is unknown, and where the unknown came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub reason: Arc<str>,
    pub span: Option<Span>,
}

/// A reference to the identity of a resource declared (or meant to be declared) in the same stack.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceRef {
    /// Terraform address (`module.net.aws_vpc.main[0]`) or CloudFormation logical ID.
    pub target: String,
    /// The attribute referenced (`id`, `VpcId`, ...); empty for a CloudFormation `Ref`.
    pub attribute: String,
    /// Where the reference is written.
    pub span: Option<Span>,
}

impl Value {
    pub fn unknown(reason: impl Into<Arc<str>>, span: Option<Span>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into(),
            span,
        })
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn reference(
        target: impl Into<String>,
        attribute: impl Into<String>,
        span: Option<Span>,
    ) -> Value {
        Value::Ref(ResourceRef {
            target: target.into(),
            attribute: attribute.into(),
            span,
        })
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::List(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(map) => map.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// The first unknown found inside this value, if any.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            Value::List(items) => items.iter().find_map(Value::first_unknown),
            Value::Map(map) => map.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&IndexMap<String, Value>> {
        match self {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Option<&ResourceRef> {
        match self {
            Value::Ref(r) => Some(r),
            _ => None,
        }
    }

    /// Map member lookup; `None` when this is not a map or has no such key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// A short type name for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Unknown(_) => "unknown",
            Value::Ref(_) => "reference",
        }
    }

    /// Converts to JSON for debugging output (`vpclint graph`): unknowns and references become tagged objects.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => J::String(s.clone()),
            Value::List(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(map) => {
                J::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Unknown(u) => serde_json::json!({ "unknown": &*u.reason }),
            Value::Ref(r) => serde_json::json!({ "ref": r.target, "attribute": r.attribute }),
        }
    }

    /// Converts plain JSON into a value (used for policies and `jsondecode`).
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            J::String(s) => Value::String(s.clone()),
            J::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            J::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

/// `{"unknown": reason, "span": span}` (no `span` when it is not known), as in the graph JSON.
impl serde::Serialize for Unknown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1 + usize::from(self.span.is_some())))?;
        map.serialize_entry("unknown", &*self.reason)?;
        if let Some(span) = &self.span {
            map.serialize_entry("span", span)?;
        }
        map.end()
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            Value::Unknown(u) => write!(f, "(unknown: {})", u.reason),
            Value::Ref(r) if r.attribute.is_empty() => write!(f, "{}", r.target),
            Value::Ref(r) => write!(f, "{}.{}", r.target, r.attribute),
            other => write!(f, "{}", other.to_json()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_inside_a_list_keeps_the_list() {
        let v = Value::List(vec![
            Value::string("10.0.0.0/16"),
            Value::unknown("data source", None),
        ]);
        assert!(!v.is_wholly_known());
        assert_eq!(v.as_list().map(<[Value]>::len), Some(2));
        assert_eq!(v.first_unknown().map(|u| &*u.reason), Some("data source"));
    }

    #[test]
    fn json_round_trip() {
        let json = serde_json::json!({"a": [1, "x", true, null], "b": {"c": 2.5}});
        assert_eq!(Value::from_json(&json).to_json(), json);
    }
}
