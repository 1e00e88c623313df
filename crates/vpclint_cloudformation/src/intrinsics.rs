//! The table of CloudFormation intrinsic functions: long name, YAML short-form tag, and
//! the evaluator. Adding a function is one entry here (plus its handler in `eval`).
//!
//! Every function CloudFormation accepts has an entry so its short-form tag parses; a
//! function without a handler evaluates to an unknown value that names it.

use vpclint_graph::{Span, Value};

use crate::eval::{self, Template};
use crate::syntax::NodeId;

/// Evaluates a call: the template, the argument node, the span of the whole call, and
/// the evaluation depth. `None` is `AWS::NoValue` (the property is absent).
pub(crate) type Handler = fn(&Template<'_>, NodeId, Span, u32) -> Option<Value>;

pub(crate) struct Intrinsic {
    /// Long form as written in JSON (`Fn::GetAtt`, `Ref`, `Condition`).
    pub name: &'static str,
    /// Short-form YAML tag (`!GetAtt`).
    pub short: &'static str,
    pub eval: Option<Handler>,
}

const fn f(name: &'static str, short: &'static str, eval: Option<Handler>) -> Intrinsic {
    Intrinsic { name, short, eval }
}

pub(crate) static INTRINSICS: &[Intrinsic] = &[
    f("Ref", "!Ref", Some(eval::ref_)),
    f("Fn::GetAtt", "!GetAtt", Some(eval::get_att)),
    f("Fn::Sub", "!Sub", Some(eval::sub)),
    f("Fn::Select", "!Select", Some(eval::select)),
    f("Fn::Cidr", "!Cidr", Some(eval::cidr)),
    f("Fn::GetAZs", "!GetAZs", Some(eval::get_azs)),
    f("Fn::Join", "!Join", Some(eval::join)),
    f("Fn::Split", "!Split", Some(eval::split)),
    f("Fn::If", "!If", Some(eval::if_)),
    f("Fn::Equals", "!Equals", Some(eval::equals)),
    f("Fn::And", "!And", Some(eval::and)),
    f("Fn::Or", "!Or", Some(eval::or)),
    f("Fn::Not", "!Not", Some(eval::not)),
    f("Condition", "!Condition", Some(eval::condition)),
    f("Fn::FindInMap", "!FindInMap", Some(eval::find_in_map)),
    f("Fn::ImportValue", "!ImportValue", Some(eval::import_value)),
    f("Fn::Length", "!Length", Some(eval::length)),
    f(
        "Fn::ToJsonString",
        "!ToJsonString",
        Some(eval::to_json_string),
    ),
    f("Fn::Base64", "!Base64", Some(eval::base64)),
    f("Fn::Transform", "!Transform", None),
    f("Fn::ForEach", "!ForEach", None),
    // Rules-section functions (never in resource properties, but valid tags).
    f("Fn::Contains", "!Contains", None),
    f("Fn::EachMemberEquals", "!EachMemberEquals", None),
    f("Fn::EachMemberIn", "!EachMemberIn", None),
    f("Fn::RefAll", "!RefAll", None),
    f("Fn::ValueOf", "!ValueOf", None),
    f("Fn::ValueOfAll", "!ValueOfAll", None),
];

/// The function a long-form key names (`Fn::GetAtt`, `Ref`).
pub(crate) fn by_name(name: &str) -> Option<&'static Intrinsic> {
    INTRINSICS.iter().find(|i| i.name == name)
}

/// `(short tag, long name)` for a local tag suffix (`GetAtt` → `("!GetAtt", "Fn::GetAtt")`).
pub(crate) fn by_short_tag(suffix: &str) -> Option<(&'static str, &'static str)> {
    INTRINSICS
        .iter()
        .find(|i| i.short.get(1..) == Some(suffix))
        .map(|i| (i.short, i.name))
}
