//! The data sources vpclint can evaluate without AWS: `aws_region` (the provider's region),
//! `aws_iam_policy_document` (rendered to the same structure as a JSON policy) and the
//! `service_name` of `aws_vpc_endpoint_service` for an AWS `service` in a known region. Every
//! other data source is read at plan time, so its attributes are unknown.

use crate::syntax::Body;
use vpclint_graph::IndexMap;
use vpclint_graph::{Known, Span, Value};

use crate::config::ResourceDecl;
use crate::eval::{Evaluator, InstanceKey, Scope};
use crate::functions::to_json;

/// The policy language version Terraform writes when `version` is not set.
const DEFAULT_POLICY_VERSION: &str = "2012-10-17";

impl<'a> Evaluator<'a> {
    /// Attribute `name` of an instance of data source `res`.
    pub(crate) fn data_attr(
        &self,
        res: &ResourceDecl<'a>,
        idx: usize,
        key: &InstanceKey,
        address: &str,
        name: &str,
        span: Option<Span>,
    ) -> Value {
        let from_data_source =
            || Value::unknown(format!("{address}.{name} comes from a data source"), span);
        match (res.rtype, name) {
            ("aws_region", "name" | "region" | "id") => {
                // A configured `region`/`name` filters: the result is that region.
                for arg in ["region", "name"] {
                    match self.configured_attr(idx, key, arg) {
                        Some(Value::Null) | None => {}
                        Some(v) => return v,
                    }
                }
                match self.provider_region(res) {
                    Known::Known(r) => Value::String(r),
                    Known::Unknown(mut u) => {
                        u.span = u.span.or(span);
                        Value::Unknown(u)
                    }
                }
            }
            ("aws_iam_policy_document", "json" | "minified_json") => {
                // A name no configured attribute can have: the rendered document's memo slot.
                let doc = self.memoized(idx, key, "\u{0}document", || {
                    self.policy_document(res, idx, key)
                });
                // Wholly known documents are JSON text, as in Terraform; documents that name
                // other resources (an endpoint ID in a condition) stay structured so the
                // references survive.
                match to_json(&doc) {
                    Some(j) => Value::String(j.to_string()),
                    None => doc,
                }
            }
            ("aws_vpc_endpoint_service", "service_name") => {
                // AWS services are named `com.amazonaws.<region>.<service>` in the commercial
                // and GovCloud partitions; China prefixes some with `cn.`, so stay unknown there.
                if let Some(v) = self
                    .configured_attr(idx, key, "service_name")
                    .filter(|v| !v.is_null())
                {
                    return v;
                }
                let service = self.configured_attr(idx, key, "service");
                let Some(Value::String(service)) = service else {
                    return from_data_source();
                };
                match self.provider_region(res) {
                    Known::Known(region) if !region.starts_with("cn-") => {
                        Value::String(format!("com.amazonaws.{region}.{service}"))
                    }
                    _ => from_data_source(),
                }
            }
            _ => from_data_source(),
        }
    }

    /// Renders a `data "aws_iam_policy_document"` instance, merging
    /// `source_policy_documents` and `override_policy_documents` by `Sid` as the AWS
    /// provider does.
    fn policy_document(&self, res: &ResourceDecl<'a>, idx: usize, key: &InstanceKey) -> Value {
        if !res.overrides.is_empty() {
            // Its statements would be merged from two files; vpclint does not.
            return Value::unknown(
                format!("{} is changed by an override file", self.address(res, key)),
                Some(res.header),
            );
        }
        let expansion = self.expansion(idx);
        let scope = Scope::instance(res.file, key, &expansion);
        let body = res.body();
        let mut statements: Vec<Value> = Vec::new();
        if let Some((docs, _)) = self.attr(body, "source_policy_documents", &scope) {
            match document_statements(&docs) {
                Ok(s) => s
                    .into_iter()
                    .for_each(|st| upsert_by_sid(&mut statements, st)),
                Err(u) => return u,
            }
        }
        let (statement_blocks, incomplete) = self.nested_blocks(body, "statement", &scope);
        if incomplete {
            // A missing statement may be the Deny that locks a bucket: not a partial document.
            return Value::unknown(
                format!(
                    "{}: a dynamic statement block iterates over a value not known before apply",
                    self.address(res, key)
                ),
                Some(res.header),
            );
        }
        for block in statement_blocks {
            let child = scope.child(block.bindings);
            let st = self.policy_statement(block.body, &child);
            upsert_by_sid(&mut statements, st);
        }
        if let Some((docs, _)) = self.attr(body, "override_policy_documents", &scope) {
            match document_statements(&docs) {
                Ok(s) => s
                    .into_iter()
                    .for_each(|st| upsert_by_sid(&mut statements, st)),
                Err(u) => return u,
            }
        }
        let mut doc = IndexMap::default();
        let version = self
            .attr(body, "version", &scope)
            .map(|(v, _)| v)
            .filter(|v| !v.is_null())
            .unwrap_or_else(|| Value::string(DEFAULT_POLICY_VERSION));
        doc.insert("Version".to_owned(), version);
        if let Some((id, _)) = self.attr(body, "policy_id", &scope) {
            if !id.is_null() {
                doc.insert("Id".to_owned(), id);
            }
        }
        doc.insert("Statement".to_owned(), Value::List(statements));
        Value::Map(doc)
    }

    fn policy_statement(&self, body: &'a Body, scope: &Scope<'_>) -> Value {
        let mut st = IndexMap::default();
        let get = |name: &str| {
            self.attr(body, name, scope)
                .map(|(v, _)| v)
                .filter(|v| !v.is_null())
        };
        if let Some(sid) = get("sid") {
            st.insert("Sid".to_owned(), sid);
        }
        st.insert(
            "Effect".to_owned(),
            get("effect").unwrap_or_else(|| Value::string("Allow")),
        );
        for (attr, field) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(v) = get(attr) {
                st.insert(field.to_owned(), v);
            }
        }
        for (block, field) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let (blocks, incomplete) = self.nested_blocks(body, block, scope);
            if incomplete {
                st.insert(
                    field.to_owned(),
                    Value::unknown(
                        "principals from a dynamic block not known before apply",
                        None,
                    ),
                );
                continue;
            }
            if blocks.is_empty() {
                continue;
            }
            let mut by_type: IndexMap<String, Vec<Value>> = IndexMap::default();
            let mut everyone = false;
            for b in blocks {
                let child = scope.child(b.bindings);
                let ty = self.attr(b.body, "type", &child).map(|(v, _)| v);
                let ids = self.attr(b.body, "identifiers", &child).map(|(v, _)| v);
                match (ty, ids) {
                    (Some(Value::String(t)), Some(ids)) => {
                        let ids = as_list(ids);
                        if t == "*" && ids.iter().all(|i| i.as_str() == Some("*")) {
                            everyone = true;
                        } else {
                            by_type.entry(t).or_default().extend(ids);
                        }
                    }
                    // A principal whose type is not known: the whole principal is unknown.
                    (Some(other), _) => {
                        by_type.clear();
                        st.insert(
                            field.to_owned(),
                            self.not_known(&other, "principal type", None),
                        );
                        everyone = false;
                        break;
                    }
                    _ => {}
                }
            }
            if everyone {
                st.insert(field.to_owned(), Value::string("*"));
            } else if !by_type.is_empty() {
                st.insert(
                    field.to_owned(),
                    Value::Map(
                        by_type
                            .into_iter()
                            .map(|(k, v)| (k, Value::List(v)))
                            .collect(),
                    ),
                );
            }
        }
        let (conditions, incomplete) = self.nested_blocks(body, "condition", scope);
        if incomplete {
            st.insert(
                "Condition".to_owned(),
                Value::unknown(
                    "conditions from a dynamic block not known before apply",
                    None,
                ),
            );
            return Value::Map(st);
        }
        if !conditions.is_empty() {
            let mut by_test: IndexMap<String, Value> = IndexMap::default();
            for b in conditions {
                let child = scope.child(b.bindings);
                let test = self.attr(b.body, "test", &child).map(|(v, _)| v);
                let variable = self.attr(b.body, "variable", &child).map(|(v, _)| v);
                let values = self
                    .attr(b.body, "values", &child)
                    .map(|(v, _)| as_list(v))
                    .unwrap_or_default();
                let (Some(Value::String(test)), Some(Value::String(variable))) = (test, variable)
                else {
                    st.insert(
                        "Condition".to_owned(),
                        Value::unknown("a condition's test or variable is not known", None),
                    );
                    return Value::Map(st);
                };
                if let Value::Map(vars) = by_test
                    .entry(test)
                    .or_insert_with(|| Value::Map(IndexMap::default()))
                {
                    match vars
                        .entry(variable)
                        .or_insert_with(|| Value::List(Vec::new()))
                    {
                        Value::List(l) => l.extend(values),
                        other => *other = Value::List(values),
                    }
                }
            }
            st.insert("Condition".to_owned(), Value::Map(by_test));
        }
        Value::Map(st)
    }
}

fn as_list(v: Value) -> Vec<Value> {
    match v {
        Value::List(l) => l,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// The statements of a list of policy documents (JSON text or rendered structures).
/// `Err` is the unknown the whole merged document becomes when one of them is not known.
fn document_statements(docs: &Value) -> Result<Vec<Value>, Value> {
    let docs = match docs {
        Value::List(l) => l.as_slice(),
        Value::Null => return Ok(Vec::new()),
        Value::Unknown(u) => return Err(Value::Unknown(u.clone())),
        _ => return Err(Value::unknown("policy documents must be a list", None)),
    };
    let mut out = Vec::new();
    for doc in docs {
        let parsed = match doc {
            Value::String(s) => match serde_json::from_str::<serde_json::Value>(s) {
                Ok(j) => Value::from_json(&j),
                Err(e) => {
                    return Err(Value::unknown(
                        format!("policy is not valid JSON: {e}"),
                        None,
                    ))
                }
            },
            Value::Map(_) => doc.clone(),
            Value::Null => continue,
            Value::Unknown(u) => return Err(Value::Unknown(u.clone())),
            other => {
                return Err(Value::unknown(
                    format!("a policy document that is not known ({other})"),
                    None,
                ))
            }
        };
        match parsed.get("Statement") {
            Some(Value::List(l)) => out.extend(l.iter().cloned()),
            Some(Value::Map(_)) => out.extend(parsed.get("Statement").cloned()),
            Some(Value::Unknown(u)) => return Err(Value::Unknown(u.clone())),
            _ => {}
        }
    }
    Ok(out)
}

/// Adds a statement, replacing an earlier one with the same non-empty `Sid`.
fn upsert_by_sid(statements: &mut Vec<Value>, statement: Value) {
    let sid = statement
        .get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(sid) = sid {
        if let Some(existing) = statements
            .iter_mut()
            .find(|s| s.get("Sid").and_then(Value::as_str) == Some(sid.as_str()))
        {
            *existing = statement;
            return;
        }
    }
    statements.push(statement);
}
