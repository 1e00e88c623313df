//! IAM policy documents and the gateway-endpoint facts the VPC3xx rules share.
//!
//! Policy documents arrive as a [`Value`] of the same shape from every front end (Terraform
//! `jsonencode(...)`, heredoc JSON, `data "aws_iam_policy_document"`, CloudFormation
//! `PolicyDocument` maps or JSON strings): a `Value::Map` whose `Statement` is a list of
//! statements or a single one. Anything vpclint cannot know — a `Value::Unknown` anywhere
//! that matters, a statement built from a reference — makes the answer unknown, never a guess.
//!
//! Condition *keys* are case-insensitive in IAM (`aws:sourceVpce` is `aws:SourceVpce`), and
//! so are the comparisons made here on keys and operator names.

use crate::model::{EndpointAssociationKind, EndpointId, EndpointType, Known, Link, VpcGraph};
use crate::model::{VpcEndpoint, STACK_REGION};
use crate::value::Value;

/// Condition key: the ID of the VPC endpoint a request came through.
pub const SOURCE_VPCE: &str = "aws:SourceVpce";
/// Condition key: the VPC a request came from (through an endpoint of that VPC).
pub const SOURCE_VPC: &str = "aws:SourceVpc";

/// Negated string operators that make a `Deny` apply to requests *not* from the named endpoints.
const NEGATED_STRING_OPERATORS: &[&str] = &[
    "StringNotEquals",
    "StringNotEqualsIfExists",
    "StringNotLike",
    "StringNotLikeIfExists",
];

/// Whether, and how, a bucket policy restricts access to VPC endpoints.
#[derive(Debug, Clone, PartialEq)]
pub enum Lock {
    /// A `Deny` for all principals applies to requests that do not come through one of
    /// `endpoints` (`aws:SourceVpce`) or from one of `vpcs` (`aws:SourceVpc`). The values are
    /// as written: literal IDs, [`Value::Ref`]s to resources, or unknowns.
    Locked {
        endpoints: Vec<Value>,
        vpcs: Vec<Value>,
    },
    /// No such `Deny`, but an `Allow` is conditioned on `aws:SourceVpce` / `aws:SourceVpc`:
    /// it grants through the endpoint, yet denies nothing to IAM principals elsewhere.
    AllowOnly {
        endpoints: Vec<Value>,
        vpcs: Vec<Value>,
    },
    /// Nothing restricts the bucket to an endpoint or a VPC.
    NotLocked,
    /// A part that could be the lock is not known (an unknown document, statement, effect,
    /// principal or condition, or a `NotPrincipal`).
    Unknown,
}

/// How a bucket policy restricts access to VPC endpoints (see [`Lock`]).
pub fn vpc_lock(document: &Value) -> Lock {
    let Some(statements) = statements(document) else {
        return Lock::Unknown;
    };
    let mut locked: Option<(Vec<Value>, Vec<Value>)> = None;
    let mut unknown = false;
    let mut allow: Option<(Vec<Value>, Vec<Value>)> = None;
    for statement in statements {
        match statement {
            Value::Map(_) => {}
            // A statement vpclint cannot see might be the lock.
            Value::Unknown(_) | Value::Ref(_) => {
                unknown = true;
                continue;
            }
            // Malformed (AWS rejects it): grants and denies nothing.
            _ => continue,
        }
        let effect = effect(statement);
        let deny_lock = and(&[effect.map(|e| e == Effect::Deny), all_principals(statement)]);
        if deny_lock != Some(false) {
            match vpc_condition(statement, Some(NEGATED_STRING_OPERATORS)) {
                Condition::Found(endpoints, vpcs) if deny_lock == Some(true) => {
                    let entry = locked.get_or_insert_with(Default::default);
                    entry.0.extend(endpoints);
                    entry.1.extend(vpcs);
                }
                Condition::Found(..) | Condition::Unknown => unknown = true,
                Condition::Absent => {}
            }
        }
        if effect == Some(Effect::Allow) {
            if let Condition::Found(endpoints, vpcs) = vpc_condition(statement, None) {
                let entry = allow.get_or_insert_with(Default::default);
                entry.0.extend(endpoints);
                entry.1.extend(vpcs);
            }
        }
    }
    match (locked, unknown, allow) {
        (Some((endpoints, vpcs)), _, _) => Lock::Locked { endpoints, vpcs },
        (None, true, _) => Lock::Unknown,
        (None, false, Some((endpoints, vpcs))) => Lock::AllowOnly { endpoints, vpcs },
        (None, false, None) => Lock::NotLocked,
    }
}

/// Whether an `Allow` statement of the document grants an AWS service principal
/// (`{"Service": "delivery.logs.amazonaws.com"}`, `cloudtrail.amazonaws.com`, ...): a bucket
/// policy that does is there so the service can reach the bucket from outside any VPC.
/// `None` when a statement that might grant one cannot be read (an unknown statement,
/// effect or principal).
pub fn grants_service_principal(document: &Value) -> Option<bool> {
    let mut unknown = false;
    for statement in statements(document)? {
        let allows = match (statement, effect(statement)) {
            (Value::Map(_), Some(Effect::Allow)) => Some(true),
            (Value::Map(_), Some(Effect::Deny | Effect::Other)) => Some(false),
            _ => None,
        };
        let service = match element(statement, "Principal") {
            Some(Value::Map(principal)) => {
                Some(principal.keys().any(|k| k.eq_ignore_ascii_case("Service")))
            }
            Some(Value::Unknown(_)) => None,
            Some(_) | None if matches!(statement, Value::Map(_)) => Some(false),
            _ => None,
        };
        match and(&[allows, service]) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(false)
}

/// Whether a policy (an endpoint policy) allows every action on every resource to every
/// principal without condition, and denies nothing: `Some(true)` for AWS's default
/// full-access policy and its equivalents, `Some(false)` when some statement restricts it,
/// `None` when that cannot be known.
///
/// "Every action" is `*` or a whole-service wildcard (`s3:*`, `dynamodb:*`); "every
/// resource" is `*` (or `arn:aws:s3:::*`).
pub fn allows_everything(document: &Value) -> Option<bool> {
    let statements = statements(document)?;
    let mut full = false;
    let mut unknown = false;
    for statement in statements {
        match effect(statement) {
            Some(Effect::Deny) => return Some(false),
            None => unknown = true,
            Some(Effect::Allow) => match allows_all(statement) {
                Some(true) => full = true,
                Some(false) => {}
                None => unknown = true,
            },
            Some(Effect::Other) => {}
        }
    }
    match (full, unknown) {
        (_, true) => None,
        (full, false) => Some(full),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
    /// Neither (AWS rejects such a policy): the statement grants and denies nothing.
    Other,
}

/// The statements of a document; `None` when the document or its statement list is unknown.
fn statements(document: &Value) -> Option<Vec<&Value>> {
    let map = document.as_map()?;
    let statement = map.get("Statement").or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Statement"))
            .map(|(_, v)| v)
    });
    match statement {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::List(items)) => Some(items.iter().collect()),
        Some(single @ Value::Map(_)) => Some(vec![single]),
        // An unknown statement (or list), a reference, or a malformed one.
        Some(_) => None,
    }
}

/// A statement element by name (IAM element names as written, with a case-insensitive fallback).
fn element<'v>(statement: &'v Value, name: &str) -> Option<&'v Value> {
    let map = statement.as_map()?;
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn effect(statement: &Value) -> Option<Effect> {
    if !matches!(statement, Value::Map(_)) {
        return None;
    }
    match element(statement, "Effect") {
        Some(Value::String(s)) if s.eq_ignore_ascii_case("Deny") => Some(Effect::Deny),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("Allow") => Some(Effect::Allow),
        Some(Value::String(_)) | Some(Value::Null) | None => Some(Effect::Other),
        Some(_) => None,
    }
}

/// Whether the statement applies to every principal: `"*"`, `{"AWS": "*"}` (or a list
/// holding `"*"`). A `NotPrincipal` ("everyone except ...") is not decided here: `None`.
fn all_principals(statement: &Value) -> Option<bool> {
    if element(statement, "NotPrincipal").is_some() {
        return None;
    }
    let Some(principal) = element(statement, "Principal") else {
        return Some(false);
    };
    match principal {
        Value::String(s) => Some(s == "*"),
        Value::Map(map) => {
            let mut unknown = false;
            for (kind, ids) in map {
                if kind != "AWS" {
                    continue;
                }
                match contains_star(ids) {
                    Some(true) => return Some(true),
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            if unknown {
                None
            } else {
                Some(false)
            }
        }
        Value::List(_) => contains_star(principal),
        Value::Unknown(_) => None,
        // A reference is a role or account, never everyone.
        _ => Some(false),
    }
}

/// Whether a string-or-list value holds the literal `"*"`; `None` when an unknown element could be it.
fn contains_star(value: &Value) -> Option<bool> {
    any_string(value, |s| s == "*")
}

/// Whether a string-or-list value holds a string satisfying `test`; `None` when an unknown
/// element could. References are resource identities, never wildcards.
fn any_string(value: &Value, test: impl Fn(&str) -> bool) -> Option<bool> {
    let items: Vec<&Value> = match value {
        Value::List(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut unknown = false;
    for item in items {
        match item {
            Value::String(s) if test(s) => return Some(true),
            Value::Unknown(_) => unknown = true,
            _ => {}
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

/// Tri-state AND: `Some(false)` if any is false, `Some(true)` if all are true, else `None`.
fn and(values: &[Option<bool>]) -> Option<bool> {
    if values.contains(&Some(false)) {
        Some(false)
    } else if values.iter().all(|v| *v == Some(true)) {
        Some(true)
    } else {
        None
    }
}

enum Condition {
    /// The values compared with `aws:SourceVpce` and with `aws:SourceVpc`.
    Found(Vec<Value>, Vec<Value>),
    Absent,
    /// The condition (or an operator block of it) is not known.
    Unknown,
}

/// The `aws:SourceVpce` / `aws:SourceVpc` comparisons of a statement's condition, under one
/// of `operators` (any operator when `None`).
fn vpc_condition(statement: &Value, operators: Option<&[&str]>) -> Condition {
    let Some(condition) = element(statement, "Condition") else {
        return Condition::Absent;
    };
    let map = match condition {
        Value::Null => return Condition::Absent,
        Value::Map(map) => map,
        _ => return Condition::Unknown,
    };
    let mut endpoints = Vec::new();
    let mut vpcs = Vec::new();
    let mut found = false;
    let mut unknown = false;
    for (operator, block) in map {
        let wanted =
            operators.is_none_or(|ops| ops.iter().any(|o| o.eq_ignore_ascii_case(operator)));
        if !wanted {
            continue;
        }
        let Value::Map(keys) = block else {
            unknown |= !block.is_null();
            continue;
        };
        for (key, values) in keys {
            let target = if key.eq_ignore_ascii_case(SOURCE_VPCE) {
                &mut endpoints
            } else if key.eq_ignore_ascii_case(SOURCE_VPC) {
                &mut vpcs
            } else {
                continue;
            };
            found = true;
            match values {
                Value::List(items) => target.extend(items.iter().cloned()),
                other => target.push(other.clone()),
            }
        }
    }
    if found {
        Condition::Found(endpoints, vpcs)
    } else if unknown {
        Condition::Unknown
    } else {
        Condition::Absent
    }
}

/// Whether an `Allow` statement grants every action on every resource to everyone, unconditionally.
fn allows_all(statement: &Value) -> Option<bool> {
    let principal = if element(statement, "NotPrincipal").is_some() {
        Some(false)
    } else {
        match element(statement, "Principal") {
            // Not a well-formed endpoint policy statement: do not guess how AWS reads it.
            None => None,
            Some(_) => all_principals(statement),
        }
    };
    let actions = match (
        element(statement, "Action"),
        element(statement, "NotAction"),
    ) {
        (Some(actions), _) => any_string(actions, |a| a == "*" || is_service_wildcard(a)),
        (None, Some(_)) => Some(false),
        (None, None) => Some(false),
    };
    let resources = match (
        element(statement, "Resource"),
        element(statement, "NotResource"),
    ) {
        (Some(resources), _) => any_string(resources, |r| {
            r == "*" || (r.starts_with("arn:aws") && r.ends_with(":s3:::*"))
        }),
        (None, Some(_)) => Some(false),
        // Not a well-formed statement: do not guess how AWS reads it.
        (None, None) => None,
    };
    let unconditional = match element(statement, "Condition") {
        None | Some(Value::Null) => Some(true),
        Some(Value::Map(map)) => Some(map.is_empty()),
        Some(_) => None,
    };
    and(&[principal, actions, resources, unconditional])
}

/// `s3:*`, `dynamodb:*`: every action of one service.
fn is_service_wildcard(action: &str) -> bool {
    action
        .split_once(':')
        .is_some_and(|(service, rest)| rest == "*" && !service.is_empty() && !service.contains('*'))
}

// ----- endpoints -----

/// The services that have `Gateway` endpoints.
pub const GATEWAY_SERVICES: &[&str] = &["s3", "dynamodb", "s3express"];

/// The parts of an AWS service name `com.amazonaws.<region>.<service>` (also
/// `cn.com.amazonaws.<region>.<service>`). `region` may be [`STACK_REGION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceName<'a> {
    pub region: &'a str,
    pub service: &'a str,
}

/// Parses an AWS service name; `None` for other forms (PrivateLink endpoint services
/// `com.amazonaws.vpce.<region>.vpce-svc-...`, global names such as
/// `com.amazonaws.s3-global.accesspoint`, or anything else).
pub fn parse_service_name(name: &str) -> Option<ServiceName<'_>> {
    let rest = name
        .strip_prefix("com.amazonaws.")
        .or_else(|| name.strip_prefix("cn.com.amazonaws."))?;
    let (region, service) = rest.split_once('.')?;
    if service.is_empty() || !(is_region(region) || region == STACK_REGION) {
        return None;
    }
    Some(ServiceName { region, service })
}

/// The region a service name names, whatever its form (`com.amazonaws.vpce.us-east-1.vpce-svc-…`
/// included): the first dot-separated part that is a region name or [`STACK_REGION`].
pub fn service_name_region(name: &str) -> Option<&str> {
    name.split('.')
        .find(|part| is_region(part) || *part == STACK_REGION)
}

/// Whether `s` has the shape of an AWS region name (`us-east-1`, `us-gov-west-1`, `cn-north-1`).
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the endpoint is a `Gateway` endpoint (`None` when its type is unknown).
pub fn is_gateway(endpoint: &VpcEndpoint) -> Option<bool> {
    endpoint
        .endpoint_type
        .known()
        .map(|t| *t == EndpointType::Gateway)
}

/// The AWS service an endpoint is for (`s3`, `dynamodb`, `ec2`), when its name is known
/// and has the `com.amazonaws.<region>.<service>` form.
pub fn endpoint_service(endpoint: &VpcEndpoint) -> Option<&str> {
    endpoint
        .service_name
        .known()
        .and_then(|n| parse_service_name(n))
        .map(|n| n.service)
}

/// Whether the endpoint is an S3 endpoint (of either type): `None` when its service name is unknown.
pub fn is_s3_endpoint(endpoint: &VpcEndpoint) -> Option<bool> {
    let name = endpoint.service_name.known()?;
    Some(parse_service_name(name).is_some_and(|n| n.service == "s3"))
}

/// Whether the endpoint is an S3 gateway endpoint (`com.amazonaws.<region>.s3`, type
/// `Gateway`): `None` when its type or service name is unknown.
pub fn is_s3_gateway(endpoint: &VpcEndpoint) -> Option<bool> {
    match (is_gateway(endpoint), is_s3_endpoint(endpoint)) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Whether some route table uses the endpoint (`route_table_ids` / `RouteTableIds`, or a
/// route table association resource): `Some(false)` only when none can — no listed table,
/// no unknown list of tables, and no association resource whose endpoint is unknown.
pub fn has_route_tables(graph: &VpcGraph, endpoint: EndpointId) -> Option<bool> {
    let node = graph.endpoints.get(endpoint)?;
    // `route_table_ids = null` is an entry that names no table.
    if node.route_tables.iter().any(|l| !l.link.is_none()) {
        return Some(true);
    }
    if node.route_tables_may_be_incomplete || route_table_association_to_unknown(graph) {
        return None;
    }
    Some(false)
}

/// True when some endpoint route table association names an endpoint vpclint cannot resolve
/// (so it might belong to any endpoint).
pub fn route_table_association_to_unknown(graph: &VpcGraph) -> bool {
    graph.may_lack_resources()
        || graph.endpoint_associations.values().any(|a| {
            matches!(a.kind, EndpointAssociationKind::RouteTable(_))
                && matches!(a.endpoint, Link::Unknown(_) | Link::Pending { .. })
        })
}

/// The endpoint a policy value names, when it is a reference to an endpoint of the graph
/// (`aws_vpc_endpoint.s3.id`, `!Ref S3Endpoint`).
pub fn referenced_endpoint(graph: &VpcGraph, value: &Value) -> Option<EndpointId> {
    let r = value.as_ref()?;
    if !(r.attribute.is_empty() || r.attribute == "id") {
        return None;
    }
    graph
        .endpoints
        .iter()
        .find(|(_, ep)| ep.origin.address == r.target)
        .map(|(id, _)| id)
}

/// A known region, for messages.
pub fn known_region(region: &Known<String>) -> Option<&str> {
    region.known().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn json(v: serde_json::Value) -> Value {
        Value::from_json(&v)
    }

    fn deny_unless(operator: &str, key: &str, values: serde_json::Value) -> Value {
        json(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                "Condition": { operator: { key: values } }
            }]
        }))
    }

    #[test]
    fn service_principals_granted_by_allow_statements() {
        let doc = json(serde_json::json!({
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "delivery.logs.amazonaws.com"},
                 "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"},
                {"Effect": "Allow", "Principal": {"service": ["cloudtrail.amazonaws.com"]},
                 "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::logs"},
                {"Effect": "Deny", "Principal": {"Service": "config.amazonaws.com"},
                 "Action": "s3:*", "Resource": "*"},
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                 "Action": "s3:*", "Resource": "*"}
            ]
        }));
        assert_eq!(grants_service_principal(&doc), Some(true));
        let denies_only = json(serde_json::json!({
            "Statement": [
                {"Effect": "Deny", "Principal": {"Service": "config.amazonaws.com"},
                 "Action": "s3:*", "Resource": "*"},
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                 "Action": "s3:*", "Resource": "*"}
            ]
        }));
        assert_eq!(grants_service_principal(&denies_only), Some(false));
        // A principal or statement that is not known might be a service's.
        let unknown_principal = Value::Map(
            [(
                "Statement".to_owned(),
                Value::List(vec![Value::Map(
                    [
                        ("Effect".to_owned(), Value::string("Allow")),
                        (
                            "Principal".to_owned(),
                            Value::unknown("var.principal", None),
                        ),
                    ]
                    .into_iter()
                    .collect(),
                )]),
            )]
            .into_iter()
            .collect(),
        );
        assert_eq!(grants_service_principal(&unknown_principal), None);
        assert_eq!(grants_service_principal(&Value::unknown("doc", None)), None);
    }

    #[test]
    fn deny_unless_source_vpce_is_a_lock() {
        let doc = deny_unless(
            "StringNotEquals",
            "aws:SourceVpce",
            serde_json::json!("vpce-1"),
        );
        assert_eq!(
            vpc_lock(&doc),
            Lock::Locked {
                endpoints: vec![Value::string("vpce-1")],
                vpcs: vec![]
            }
        );
    }

    #[test]
    fn condition_keys_and_operators_are_case_insensitive() {
        for key in ["aws:sourcevpce", "AWS:SOURCEVPCE", "aws:sourceVpce"] {
            let doc = deny_unless(
                "StringNotEqualsIfExists",
                key,
                serde_json::json!(["vpce-1"]),
            );
            assert!(matches!(vpc_lock(&doc), Lock::Locked { .. }), "{key}");
        }
        let doc = deny_unless(
            "stringnotequals",
            "aws:sourcevpc",
            serde_json::json!("vpc-1"),
        );
        assert_eq!(
            vpc_lock(&doc),
            Lock::Locked {
                endpoints: vec![],
                vpcs: vec![Value::string("vpc-1")]
            }
        );
    }

    #[test]
    fn other_operators_or_keys_are_not_a_lock() {
        let doc = deny_unless(
            "StringEquals",
            "aws:SourceVpce",
            serde_json::json!("vpce-1"),
        );
        assert_eq!(vpc_lock(&doc), Lock::NotLocked);
        let doc = deny_unless(
            "StringNotEquals",
            "aws:SourceIp",
            serde_json::json!("1.2.3.4"),
        );
        assert_eq!(vpc_lock(&doc), Lock::NotLocked);
    }

    #[test]
    fn principal_forms() {
        let mut doc = deny_unless(
            "StringNotEquals",
            "aws:SourceVpce",
            serde_json::json!("vpce-1"),
        );
        let set_principal = |doc: &mut Value, p: Value| {
            if let Value::Map(m) = doc {
                if let Some(Value::List(sts)) = m.get_mut("Statement") {
                    if let Some(Value::Map(st)) = sts.first_mut() {
                        st.insert("Principal".into(), p);
                    }
                }
            }
        };
        set_principal(&mut doc, json(serde_json::json!({"AWS": "*"})));
        assert!(matches!(vpc_lock(&doc), Lock::Locked { .. }));
        set_principal(&mut doc, json(serde_json::json!({"AWS": ["*"]})));
        assert!(matches!(vpc_lock(&doc), Lock::Locked { .. }));
        set_principal(
            &mut doc,
            json(serde_json::json!({"AWS": "arn:aws:iam::111122223333:root"})),
        );
        assert_eq!(vpc_lock(&doc), Lock::NotLocked);
        set_principal(&mut doc, Value::unknown("var.principal", None));
        assert_eq!(vpc_lock(&doc), Lock::Unknown);
        set_principal(
            &mut doc,
            Value::Map(
                [("AWS".to_owned(), Value::unknown("x", None))]
                    .into_iter()
                    .collect(),
            ),
        );
        assert_eq!(vpc_lock(&doc), Lock::Unknown);
    }

    #[test]
    fn allow_only_is_distinguished() {
        let doc = json(serde_json::json!({
            "Statement": {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}
            }
        }));
        assert_eq!(
            vpc_lock(&doc),
            Lock::AllowOnly {
                endpoints: vec![Value::string("vpce-1")],
                vpcs: vec![]
            }
        );
    }

    #[test]
    fn unknown_parts_are_unknown_not_guessed() {
        assert_eq!(vpc_lock(&Value::unknown("x", None)), Lock::Unknown);
        let doc = Value::Map(
            [("Statement".to_owned(), Value::unknown("x", None))]
                .into_iter()
                .collect(),
        );
        assert_eq!(vpc_lock(&doc), Lock::Unknown);
        let doc = json(serde_json::json!({"Statement": [{"Effect": "Deny", "Principal": "*"}]}));
        let mut with_unknown_condition = doc.clone();
        if let Value::Map(m) = &mut with_unknown_condition {
            if let Some(Value::List(sts)) = m.get_mut("Statement") {
                if let Some(Value::Map(st)) = sts.first_mut() {
                    st.insert("Condition".into(), Value::unknown("x", None));
                }
            }
        }
        assert_eq!(vpc_lock(&doc), Lock::NotLocked);
        assert_eq!(vpc_lock(&with_unknown_condition), Lock::Unknown);
        // An unknown endpoint ID still makes a lock; its value stays unknown.
        let doc = deny_unless("StringNotEquals", "aws:SourceVpce", serde_json::json!(null));
        assert!(matches!(vpc_lock(&doc), Lock::Locked { .. }));
        // A statement that is itself unknown might be the lock.
        let doc = Value::Map(
            [(
                "Statement".to_owned(),
                Value::List(vec![Value::unknown("dynamic statement", None)]),
            )]
            .into_iter()
            .collect(),
        );
        assert_eq!(vpc_lock(&doc), Lock::Unknown);
    }

    #[test]
    fn not_principal_is_not_decided() {
        let doc = json(serde_json::json!({"Statement": [{
            "Effect": "Deny",
            "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/admin"},
            "Action": "s3:*",
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}
        }]}));
        assert_eq!(vpc_lock(&doc), Lock::Unknown);
    }

    #[test]
    fn a_lock_survives_unrelated_unknown_statements() {
        let mut doc = deny_unless(
            "StringNotEquals",
            "aws:SourceVpce",
            serde_json::json!("vpce-1"),
        );
        if let Value::Map(m) = &mut doc {
            if let Some(Value::List(sts)) = m.get_mut("Statement") {
                sts.push(Value::unknown("dynamic statement", None));
            }
        }
        assert!(matches!(vpc_lock(&doc), Lock::Locked { .. }));
    }

    #[test]
    fn full_access_policies() {
        let default = json(serde_json::json!({"Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"
        }]}));
        assert_eq!(allows_everything(&default), Some(true));
        let s3_star = json(serde_json::json!({"Statement": {
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:*"], "Resource": ["*"]
        }}));
        assert_eq!(allows_everything(&s3_star), Some(true));
        let scoped = json(serde_json::json!({"Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::my-bucket/*"
        }]}));
        assert_eq!(allows_everything(&scoped), Some(false));
        let conditioned = json(serde_json::json!({"Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}}
        }]}));
        assert_eq!(allows_everything(&conditioned), Some(false));
        let with_deny = json(serde_json::json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "*"}
        ]}));
        assert_eq!(allows_everything(&with_deny), Some(false));
        let unknown_action = Value::Map(
            [(
                "Statement".to_owned(),
                Value::Map(
                    [
                        ("Effect".to_owned(), Value::string("Allow")),
                        ("Principal".to_owned(), Value::string("*")),
                        ("Action".to_owned(), Value::unknown("var.actions", None)),
                        ("Resource".to_owned(), Value::string("*")),
                    ]
                    .into_iter()
                    .collect(),
                ),
            )]
            .into_iter()
            .collect(),
        );
        assert_eq!(allows_everything(&unknown_action), None);
        assert_eq!(allows_everything(&Value::unknown("x", None)), None);
    }

    #[test]
    fn service_names() {
        assert_eq!(
            parse_service_name("com.amazonaws.us-east-1.s3"),
            Some(ServiceName {
                region: "us-east-1",
                service: "s3"
            })
        );
        assert_eq!(
            parse_service_name("com.amazonaws.${AWS::Region}.dynamodb").map(|n| n.service),
            Some("dynamodb")
        );
        assert_eq!(
            parse_service_name("com.amazonaws.eu-west-1.ecr.dkr").map(|n| n.service),
            Some("ecr.dkr")
        );
        assert_eq!(
            parse_service_name("cn.com.amazonaws.cn-north-1.s3").map(|n| n.region),
            Some("cn-north-1")
        );
        assert_eq!(
            parse_service_name("com.amazonaws.vpce.us-east-1.vpce-svc-0abc"),
            None
        );
        assert_eq!(
            parse_service_name("com.amazonaws.s3-global.accesspoint"),
            None
        );
        assert_eq!(
            service_name_region("com.amazonaws.vpce.us-east-1.vpce-svc-0abc"),
            Some("us-east-1")
        );
        assert!(is_region("us-gov-west-1"));
        assert!(is_region("ap-southeast-2"));
        assert!(!is_region("vpce"));
        assert!(!is_region("s3-global"));
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            Just(Value::string("*")),
            Just(Value::string("Deny")),
            Just(Value::string("Allow")),
            Just(Value::string("vpce-1")),
            Just(Value::unknown("u", None)),
            Just(Value::reference("aws_vpc_endpoint.s3", "id", None)),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            let keys = prop_oneof![
                Just("Statement".to_owned()),
                Just("Effect".to_owned()),
                Just("Principal".to_owned()),
                Just("AWS".to_owned()),
                Just("Condition".to_owned()),
                Just("StringNotEquals".to_owned()),
                Just("aws:sourcevpce".to_owned()),
                Just("Action".to_owned()),
                Just("Resource".to_owned()),
            ];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
                proptest::collection::vec((keys, inner), 0..5)
                    .prop_map(|kv| Value::Map(kv.into_iter().collect())),
            ]
        })
    }

    /// Replaces every unknown inside `v` by `with`.
    fn fill(v: &Value, with: &Value) -> Value {
        match v {
            Value::Unknown(_) => with.clone(),
            Value::List(items) => Value::List(items.iter().map(|i| fill(i, with)).collect()),
            Value::Map(m) => {
                Value::Map(m.iter().map(|(k, i)| (k.clone(), fill(i, with))).collect())
            }
            other => other.clone(),
        }
    }

    /// Statement-shaped documents, so the interesting combinations come up often.
    fn arb_statement() -> impl Strategy<Value = Value> {
        let u = || Value::unknown("u", None);
        let effect = prop_oneof![
            Just(Some(Value::string("Deny"))),
            Just(Some(Value::string("Allow"))),
            Just(Some(u())),
            Just(None),
        ];
        let principal = prop_oneof![
            Just(Some(Value::string("*"))),
            Just(Some(json(serde_json::json!({"AWS": "*"})))),
            Just(Some(Value::Map(
                [("AWS".to_owned(), Value::List(vec![u()]))]
                    .into_iter()
                    .collect()
            ))),
            Just(Some(json(
                serde_json::json!({"AWS": "arn:aws:iam::1:root"})
            ))),
            Just(Some(u())),
            Just(None),
        ];
        let value = prop_oneof![
            Just(Value::string("vpce-1")),
            Just(u()),
            Just(Value::reference("aws_vpc_endpoint.s3", "id", None)),
        ];
        let operator = prop_oneof![
            Just("StringNotEquals"),
            Just("stringnotequalsifexists"),
            Just("StringEquals"),
            Just("Bool"),
        ];
        let key = prop_oneof![
            Just("aws:SourceVpce"),
            Just("aws:sourcevpc"),
            Just("aws:SecureTransport"),
        ];
        let condition = prop_oneof![
            Just(None),
            Just(Some(u())),
            (operator, key, value).prop_map(|(o, k, v)| Some(Value::Map(
                [(
                    o.to_owned(),
                    Value::Map([(k.to_owned(), v)].into_iter().collect())
                )]
                .into_iter()
                .collect()
            ))),
        ];
        let wildcard = prop_oneof![
            Just(Some(Value::string("*"))),
            Just(Some(Value::string("s3:GetObject"))),
            Just(Some(u())),
            Just(None),
        ];
        (effect, principal, condition, wildcard.clone(), wildcard).prop_map(
            |(effect, principal, condition, action, resource)| {
                let mut st = crate::IndexMap::default();
                for (k, v) in [
                    ("Effect", effect),
                    ("Principal", principal),
                    ("Condition", condition),
                    ("Action", action),
                    ("Resource", resource),
                ] {
                    if let Some(v) = v {
                        st.insert(k.to_owned(), v);
                    }
                }
                Value::Map(st)
            },
        )
    }

    fn arb_document() -> impl Strategy<Value = Value> {
        proptest::collection::vec(
            prop_oneof![4 => arb_statement(), 1 => Just(Value::unknown("u", None))],
            0..4,
        )
        .prop_map(|statements| {
            Value::Map(
                [("Statement".to_owned(), Value::List(statements))]
                    .into_iter()
                    .collect(),
            )
        })
    }

    /// 0 unknown, 1 locked, 2 not locked (allow-only or nothing).
    fn lock_class(lock: &Lock) -> u8 {
        match lock {
            Lock::Unknown => 0,
            Lock::Locked { .. } => 1,
            Lock::NotLocked | Lock::AllowOnly { .. } => 2,
        }
    }

    proptest! {
        /// A known answer never depends on the unknown parts: filling them in any way keeps it.
        #[test]
        fn known_answers_do_not_rest_on_unknowns(doc in arb_value(), filler in arb_value()) {
            let filled = fill(&doc, &filler);
            let before = lock_class(&vpc_lock(&doc));
            let after = lock_class(&vpc_lock(&filled));
            if before != 0 {
                prop_assert_eq!(before, after);
            }
            if let Some(answer) = allows_everything(&doc) {
                prop_assert_eq!(allows_everything(&filled), Some(answer));
            }
        }

        /// The same on statement-shaped documents, filled with values that matter.
        #[test]
        fn known_answers_survive_filling_statements(
            doc in arb_document(),
            filler in prop_oneof![
                Just(Value::string("*")),
                Just(Value::string("Deny")),
                Just(Value::string("Allow")),
                arb_statement(),
            ],
        ) {
            let filled = fill(&doc, &filler);
            let before = lock_class(&vpc_lock(&doc));
            if before != 0 {
                prop_assert_eq!(before, lock_class(&vpc_lock(&filled)));
            }
            if let Some(answer) = allows_everything(&doc) {
                prop_assert_eq!(allows_everything(&filled), Some(answer));
            }
        }
    }
}
