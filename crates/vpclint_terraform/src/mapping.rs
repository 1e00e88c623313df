//! Resource instances → graph nodes. One function per resource type; [`map_instance`]
//! dispatches on the type. Every instance is declared in the graph, modeled or not.

use crate::HashMap;
use std::cell::RefCell;
use std::rc::Rc;

use crate::syntax::Body;
use indexmap::IndexSet;
use ipnet::IpNet;
use vpclint_graph::IndexMap;
use vpclint_graph::*;

use crate::config::{span_of, Mode, ResourceDecl};
use crate::eval::{Evaluator, Expansion, InstanceKey, Scope};
use crate::functions::to_string;

/// Most instances one stack may hold (all resources together).
pub(crate) const MAX_STACK_INSTANCES: usize = 100_000;

/// Maps every resource instance of a root module and of the module instances it calls
/// (depth first, in declaration order) into `graph`.
pub(crate) fn map_stack(root: &Rc<Evaluator<'_>>, graph: &mut VpcGraph) {
    let mut instances = Vec::new();
    collect_instances(root, &mut instances);
    // Files that do not parse: whatever they declare is missing from the graph.
    for ev in &instances {
        for path in &ev.cfg.unreadable {
            let shown = path.display().to_string();
            if !graph.unreadable_files.contains(&shown) {
                graph.unreadable_files.push(shown);
            }
        }
    }
    let links = StackLinks::new(&instances);
    let mut total = 0usize;
    let mut pending_policies: Vec<(vpclint_graph::BucketPolicyId, String)> = Vec::new();
    for ev in &instances {
        if !map_module(ev, graph, &links, &mut total, &mut pending_policies) {
            break;
        }
    }
    // Bucket policies that name their bucket by a literal name: link to a bucket with that name.
    for (id, name) in pending_policies {
        let found = graph
            .buckets
            .values()
            .find(|b| b.name.known() == Some(&name))
            .map(|b| b.origin.address.clone());
        if let (Some(addr), Some(p)) = (found, graph.bucket_policies.get_mut(id)) {
            p.bucket = Link::pending(addr, None);
        }
    }
    links.synthesize_main_tables(graph);
}

/// The module instances of a stack, depth first: each instance before the ones it calls.
/// (The resources of an instance that may not exist are declared as such in the graph.)
fn collect_instances<'a>(ev: &Rc<Evaluator<'a>>, out: &mut Vec<Rc<Evaluator<'a>>>) {
    out.push(ev.clone());
    for call in ev.module_calls() {
        for (_, child) in &call.instances {
            collect_instances(child, out);
        }
    }
}

/// Maps the resources of one module instance. Returns false when the stack's instance
/// budget is exhausted.
fn map_module(
    ev: &Evaluator<'_>,
    graph: &mut VpcGraph,
    links: &StackLinks,
    total: &mut usize,
    pending_policies: &mut Vec<(vpclint_graph::BucketPolicyId, String)>,
) -> bool {
    for (idx, res) in ev.cfg.resources.iter().enumerate() {
        if res.mode != Mode::Managed {
            continue;
        }
        let expansion = ev.expansion(idx);
        // Why its instances may not exist: its own unknown `count`/`for_each`, else its
        // module instance's.
        let may_not_exist = match &*expansion {
            Expansion::Unknown { cause, .. } => Some(cause),
            _ => ev.may_not_exist.as_ref(),
        };
        let existence = match may_not_exist {
            Some(_) => Existence::Maybe,
            None => Existence::Certain,
        };
        let keys = Evaluator::instance_keys(&expansion);
        *total += keys.len();
        if *total > MAX_STACK_INSTANCES {
            ev.error(
                res.file,
                Some(res.header),
                format!("more than {MAX_STACK_INSTANCES} resource instances in this stack; the rest is skipped"),
            );
            return false;
        }
        for key in keys {
            let address = ev.address(res, &key);
            match may_not_exist {
                Some(why) => graph.declare_maybe(address.clone(), why.clone()),
                None => graph.declare(address.clone()),
            }
            let scope = Scope::instance(res.file, &key, &expansion);
            let region = ev.resource_region(res, idx, &key);
            let mut inst = Inst {
                ev,
                res,
                idx,
                key,
                address,
                scope,
                existence,
                attrs: IndexMap::default(),
                region,
                links,
            };
            if let Some(p) = map_instance(&mut inst, graph) {
                pending_policies.push(p);
            }
        }
    }
    true
}

/// Links that depend on the whole stack: a VPC's main route table and default security
/// group are named through attributes of the VPC (`aws_vpc.x.main_route_table_id`), and
/// are nodes only when the configuration manages them (`aws_default_route_table`,
/// `aws_default_security_group`) — or, for the main route table, when something refers
/// to it, as a synthesized table holding only the local routes.
struct StackLinks {
    /// VPC address → the `aws_default_route_table` managing its main route table.
    main_tables: HashMap<String, String>,
    /// VPC address → its `aws_default_security_group`.
    default_security_groups: HashMap<String, String>,
    /// VPCs whose unmanaged main route table is referred to (a table is synthesized for each).
    implicit_main_tables: RefCell<IndexSet<String>>,
}

impl StackLinks {
    fn new(instances: &[Rc<Evaluator<'_>>]) -> Self {
        let mut main_tables = HashMap::default();
        let mut default_security_groups = HashMap::default();
        for ev in instances {
            for (idx, res) in ev.cfg.resources.iter().enumerate() {
                let (map, attr) = match (res.mode, res.rtype) {
                    (Mode::Managed, "aws_default_route_table") => {
                        (&mut main_tables, "default_route_table_id")
                    }
                    (Mode::Managed, "aws_default_security_group") => {
                        (&mut default_security_groups, "vpc_id")
                    }
                    _ => continue,
                };
                for key in Evaluator::instance_keys(&ev.expansion(idx)) {
                    if let Some(Value::Ref(r)) = ev.configured_attr(idx, &key, attr) {
                        map.entry(r.target.clone())
                            .or_insert_with(|| ev.address(res, &key));
                    }
                }
            }
        }
        StackLinks {
            main_tables,
            default_security_groups,
            implicit_main_tables: RefCell::new(IndexSet::new()),
        }
    }

    /// Rewrites references to a VPC's main route table / default security group into
    /// references to the node that stands for it (or an unknown when there is none).
    fn resolve(&self, v: Value) -> Value {
        match v {
            Value::Ref(r)
                if matches!(
                    r.attribute.as_str(),
                    "main_route_table_id" | "default_route_table_id"
                ) =>
            {
                let table = match self.main_tables.get(&r.target) {
                    Some(table) => table.clone(),
                    None => {
                        let table = implicit_main_table_address(&r.target);
                        self.implicit_main_tables.borrow_mut().insert(r.target);
                        table
                    }
                };
                Value::reference(table, "id", r.span)
            }
            Value::Ref(r) if r.attribute == "default_security_group_id" => {
                match self.default_security_groups.get(&r.target) {
                    Some(sg) => Value::reference(sg.clone(), "id", r.span),
                    None => Value::unknown(
                        format!(
                            "the default security group of {} is not managed in this configuration",
                            r.target
                        ),
                        r.span,
                    ),
                }
            }
            Value::List(l) => Value::List(l.into_iter().map(|v| self.resolve(v)).collect()),
            v => v,
        }
    }

    /// One main route table node per VPC whose unmanaged main table is referred to. It
    /// holds only the local routes (plus whatever routes name it), as in AWS.
    fn synthesize_main_tables(&self, graph: &mut VpcGraph) {
        for vpc_address in self.implicit_main_tables.borrow().iter() {
            let Some(vpc) = graph
                .vpcs
                .values()
                .find(|v| &v.origin.address == vpc_address)
            else {
                continue;
            };
            let address = implicit_main_table_address(vpc_address);
            let mut origin = Origin::new(
                address.clone(),
                vpc.origin.resource_type.clone(),
                vpc.origin.span,
            );
            origin.existence = vpc.origin.existence;
            let mut table = RouteTable::new(origin, Link::pending(vpc_address.clone(), None));
            table.is_main = true;
            graph.route_tables.push(table);
            graph.declare(address);
        }
    }
}

fn implicit_main_table_address(vpc_address: &str) -> String {
    format!("{vpc_address}.main_route_table")
}

/// One resource instance being mapped: reads its attributes and records their spans.
struct Inst<'e, 'a> {
    ev: &'e Evaluator<'a>,
    res: &'e ResourceDecl<'a>,
    idx: usize,
    key: InstanceKey,
    address: String,
    scope: Scope<'static>,
    existence: Existence,
    attrs: IndexMap<String, Span>,
    region: Known<String>,
    links: &'e StackLinks,
}

impl<'a> Inst<'_, 'a> {
    /// A top-level attribute's value (null counts as unset), recording its span.
    fn get(&mut self, name: &str) -> Option<(Value, Span)> {
        self.get_raw(name)
            .map(|(v, span)| (self.links.resolve(v), span))
    }

    /// [`Inst::get`] without resolving main route table / default security group references.
    fn get_raw(&mut self, name: &str) -> Option<(Value, Span)> {
        let (file, attr) = self.res.attribute(name)?;
        let span = span_of(file, crate::syntax::Span::span(attr)).unwrap_or(self.res.header);
        let v = self.ev.configured_attr(self.idx, &self.key, name)?;
        if v.is_null() {
            return None;
        }
        self.attrs.insert(name.to_owned(), span);
        Some((v, span))
    }

    /// The addresses of the `aws_s3_bucket` instances an attribute's expression refers to.
    fn buckets_referenced(&self, name: &str) -> Vec<String> {
        self.res
            .attribute(name)
            .map(|(_, attr)| buckets_referenced(self.ev, &attr.value))
            .unwrap_or_default()
    }

    fn span_or_header(&self, span: Option<Span>) -> Span {
        span.unwrap_or(self.res.header)
    }

    fn origin(&self) -> Origin {
        let mut o = Origin::new(self.address.clone(), self.res.rtype, self.res.header);
        o.attributes = self.attrs.clone();
        o.existence = self.existence;
        o
    }

    fn link<T>(&mut self, name: &str) -> Link<T> {
        match self.get(name) {
            Some((v, span)) => link(&v, span, false),
            None => Link::None,
        }
    }

    fn table(&mut self, name: &str) -> Link<RouteTable> {
        self.link(name)
    }

    fn opt_str(&mut self, name: &str) -> Option<Known<String>> {
        self.get(name).map(|(v, _)| known_str(&v))
    }

    fn opt_bool(&mut self, name: &str) -> Option<Known<bool>> {
        self.get(name).map(|(v, _)| known_bool(&v))
    }

    /// Static and `dynamic` nested blocks named `name`, each with its body, bindings and
    /// span. The flag is true when there may be more (a `dynamic` block's `for_each` is
    /// unknown, or an override file replaces these blocks).
    fn blocks(&self, name: &str) -> (Vec<NestedBlock<'a>>, bool) {
        if self.res.overrides_blocks(name) {
            // An override file replaces these blocks; vpclint does not merge them.
            return (Vec::new(), true);
        }
        let (blocks, incomplete) = self.ev.nested_blocks(self.res.body(), name, &self.scope);
        let file = self.res.file;
        let blocks = blocks
            .into_iter()
            .map(|b| NestedBlock {
                span: span_of(file, crate::syntax::Span::span(&b.written.ident))
                    .unwrap_or(self.res.header),
                body: b.body,
                bindings: b.bindings,
            })
            .collect();
        (blocks, incomplete)
    }
}

struct NestedBlock<'a> {
    body: &'a Body,
    bindings: Vec<(String, Value)>,
    span: Span,
}

/// One element of a nested collection, written either way Terraform allows for the
/// provider's "attributes as blocks" (`route`, `ingress`, `egress`): a nested block
/// (static or `dynamic`), or one object of the attribute form (`route = [{ ... }]`).
/// Both are read through [`ItemReader`], so mapping code handles them identically.
enum NestedItem<'a> {
    Block(NestedBlock<'a>),
    Object(ObjectItem),
}

/// One object of an attribute-form list, evaluated, with where each field is written
/// (the field itself when the list is written literally, else the whole attribute).
struct ObjectItem {
    fields: IndexMap<String, Value>,
    field_spans: IndexMap<String, Span>,
    span: Span,
}

impl NestedItem<'_> {
    fn span(&self) -> Span {
        match self {
            NestedItem::Block(b) => b.span,
            NestedItem::Object(o) => o.span,
        }
    }
}

/// Nested items of `name`, and — when there may be more that cannot be read before apply
/// (an unknown list, an unknown element, a `dynamic` block over an unknown collection, an
/// override file) — why, and where that is written.
struct NestedItems<'a> {
    items: Vec<NestedItem<'a>>,
    incomplete: Option<Unknown>,
}

impl<'a> Inst<'_, 'a> {
    /// The elements of a nested collection written as blocks or in the attribute form.
    /// `route = []` is a known, empty collection.
    fn nested_items(&mut self, name: &str) -> NestedItems<'a> {
        let mut items = Vec::new();
        let mut incomplete: Option<Unknown> = None;
        let not_known = |v: &Value, span: Span| Unknown {
            reason: match v {
                Value::Unknown(u) => u.reason.clone(),
                _ => format!("{name} is not a list of objects").into(),
            },
            span: Some(span),
        };
        if let Some((value, span)) = self.get(name) {
            let written = self
                .res
                .attribute(name)
                .map(|(file, attr)| (file, &attr.value));
            match value {
                Value::List(list) => {
                    for (i, element) in list.into_iter().enumerate() {
                        let literal = written.and_then(|(file, expr)| match expr {
                            crate::syntax::Expression::Array(array) => {
                                array.get(i).map(|e| (file, e))
                            }
                            _ => None,
                        });
                        match element {
                            Value::Map(fields) => {
                                items.push(NestedItem::Object(object_item(fields, literal, span)))
                            }
                            // An element that is not known (or not an object) hides a rule or
                            // route vpclint cannot read.
                            other => {
                                incomplete = incomplete.or_else(|| Some(not_known(&other, span)))
                            }
                        }
                    }
                }
                other => incomplete = Some(not_known(&other, span)),
            }
        }
        let (blocks, blocks_incomplete) = self.blocks(name);
        if blocks_incomplete {
            incomplete = incomplete.or_else(|| {
                Some(Unknown {
                    reason: if self.res.overrides_blocks(name) {
                        format!("the {name} blocks are replaced by an override file").into()
                    } else {
                        format!(
                            "a dynamic {name} block iterates over a value not known before apply"
                        )
                        .into()
                    },
                    span: Some(self.res.header),
                })
            });
        }
        items.extend(blocks.into_iter().map(NestedItem::Block));
        NestedItems { items, incomplete }
    }

    /// A reader of one nested item's attributes, recording spans under `prefix` (and into
    /// `parent`, the owning resource's attribute spans).
    fn item_reader<'r>(
        &'r self,
        item: &'r NestedItem<'a>,
        prefix: String,
        parent: &'r mut IndexMap<String, Span>,
    ) -> ItemReader<'r, 'a> {
        let source = match item {
            NestedItem::Block(b) => ItemSource::Block {
                body: b.body,
                scope: self.scope.child(b.bindings.clone()),
            },
            NestedItem::Object(o) => ItemSource::Object(o),
        };
        ItemReader {
            ev: self.ev,
            links: self.links,
            source,
            prefix,
            own: IndexMap::default(),
            parent,
        }
    }
}

/// The fields of one attribute-form object; spans come from the object literal when the
/// list is written literally (`route = [{ cidr_block = ... }]`).
fn object_item(
    fields: IndexMap<String, Value>,
    literal: Option<(FileId, &crate::syntax::Expression)>,
    attribute_span: Span,
) -> ObjectItem {
    use crate::syntax::{Expression, ObjectKey, Span as _};
    let mut field_spans = IndexMap::default();
    let mut span = attribute_span;
    if let Some((file, expr @ Expression::Object(object))) = literal {
        if let Some(s) = span_of(file, expr.span()) {
            span = s;
        }
        for (key, value) in object.iter() {
            let name = match key {
                ObjectKey::Ident(ident) => Some(ident.value().as_str().to_owned()),
                ObjectKey::Expression(Expression::String(s)) => Some(s.value().clone()),
                ObjectKey::Expression(_) => None,
            };
            let (Some(name), Some(start), Some(end)) = (
                name,
                key.span().map(|r| r.start),
                value.expr().span().map(|r| r.end),
            ) else {
                continue;
            };
            field_spans.insert(name, Span::new(file, start, end.max(start)));
        }
    }
    ObjectItem {
        fields,
        field_spans,
        span,
    }
}

// A short-lived reader on the stack, never stored in collections: boxing the scope would
// only add an allocation per nested item.
#[allow(clippy::large_enum_variant)]
enum ItemSource<'r, 'a> {
    Block { body: &'a Body, scope: Scope<'r> },
    Object(&'r ObjectItem),
}

/// Reads the attributes of one nested item, recording spans under two keys: the parent's
/// (`route[0].cidr_block`) and the item's own (`cidr_block`).
struct ItemReader<'r, 'a> {
    ev: &'r Evaluator<'a>,
    links: &'r StackLinks,
    source: ItemSource<'r, 'a>,
    prefix: String,
    own: IndexMap<String, Span>,
    parent: &'r mut IndexMap<String, Span>,
}

impl ItemReader<'_, '_> {
    /// The addresses of the `aws_s3_bucket` instances a block attribute's expression refers to.
    fn buckets_referenced(&self, name: &str) -> Vec<String> {
        match &self.source {
            ItemSource::Block { body, .. } => body
                .get_attribute(name)
                .map(|attr| buckets_referenced(self.ev, &attr.value))
                .unwrap_or_default(),
            ItemSource::Object(_) => Vec::new(),
        }
    }

    /// An attribute's value; null, empty strings and empty lists count as unset (legacy
    /// inline syntax, and the attribute form, where every field must be written).
    fn get(&mut self, name: &str) -> Option<(Value, Span)> {
        let (v, span) = match &self.source {
            ItemSource::Block { body, scope } => self.ev.attr(body, name, scope)?,
            ItemSource::Object(o) => {
                let v = o.fields.get(name)?.clone();
                let span = o.field_spans.get(name).copied().unwrap_or(o.span);
                (v, span)
            }
        };
        if v.is_null() || v.as_str() == Some("") || matches!(&v, Value::List(l) if l.is_empty()) {
            return None;
        }
        let v = self.links.resolve(v);
        self.own.insert(name.to_owned(), span);
        self.parent.insert(format!("{}{name}", self.prefix), span);
        Some((v, span))
    }
}

// ----- value conversion -----

fn link<T>(v: &Value, span: Span, empty_is_none: bool) -> Link<T> {
    match v {
        Value::Null => Link::None,
        Value::String(s) if s.is_empty() && empty_is_none => Link::None,
        Value::Ref(r) => Link::pending(r.target.clone(), r.span.or(Some(span))),
        Value::String(s) => Link::External(s.clone()),
        Value::Unknown(u) => Link::Unknown(u.clone()),
        other => Link::unknown(
            format!("expected a resource ID, got a {}", other.type_name()),
            Some(span),
        ),
    }
}

fn known_str(v: &Value) -> Known<String> {
    match v {
        Value::Unknown(u) => Known::Unknown(u.clone()),
        Value::Ref(r) => Known::Unknown(crate::functions::ref_not_known(r, None)),
        v => to_string(v).map(Known::Known).unwrap_or_else(|| {
            Known::unknown(format!("expected a string, got a {}", v.type_name()))
        }),
    }
}

fn known_bool(v: &Value) -> Known<bool> {
    match v {
        Value::Unknown(u) => Known::Unknown(u.clone()),
        v => v
            .as_bool()
            .map(Known::Known)
            .unwrap_or_else(|| Known::unknown(format!("expected a bool, got {v}"))),
    }
}

fn known_int(v: &Value) -> Known<i64> {
    match v {
        Value::Unknown(u) => Known::Unknown(u.clone()),
        v => match v.as_f64() {
            Some(n) if n.fract() == 0.0 => Known::Known(n as i64),
            _ => Known::unknown(format!("expected a whole number, got {v}")),
        },
    }
}

fn cidr(v: &Value) -> Known<IpNet> {
    match v {
        Value::String(s) => s
            .parse::<IpNet>()
            .map(Known::Known)
            .unwrap_or_else(|_| Known::unknown(format!("not a CIDR: {s:?}"))),
        other => known_str(other)
            .map(|_| IpNet::default())
            .and_then_unknown(other),
    }
}

trait KnownExt<T> {
    fn and_then_unknown(self, v: &Value) -> Known<T>;
}

impl KnownExt<IpNet> for Known<IpNet> {
    fn and_then_unknown(self, v: &Value) -> Known<IpNet> {
        match self {
            Known::Unknown(u) => Known::Unknown(u),
            Known::Known(_) => Known::unknown(format!("not a CIDR: {v}")),
        }
    }
}

fn cidr_list(v: &Value) -> Vec<Known<IpNet>> {
    match v {
        Value::List(l) => l.iter().map(cidr).collect(),
        other => vec![cidr(other)],
    }
}

fn str_list(v: &Value) -> Vec<Known<String>> {
    match v {
        Value::List(l) => l.iter().map(known_str).collect(),
        other => vec![known_str(other)],
    }
}

/// A policy document: JSON text parsed to a value; maps (from `jsonencode` arguments) as is.
fn policy(v: Value) -> Value {
    match v {
        Value::String(s) => match serde_json::from_str::<serde_json::Value>(&s) {
            Ok(j) => Value::from_json(&j),
            Err(e) => Value::unknown(format!("policy is not valid JSON: {e}"), None),
        },
        other => other,
    }
}

/// Reads a policy attribute, looking through a direct `jsonencode(...)` so references inside
/// the document are kept.
fn policy_attr<'a>(inst: &mut Inst<'_, 'a>, name: &str) -> Option<(Value, Span)> {
    use crate::syntax::Expression;
    let (file, attr) = inst.res.attribute(name)?;
    let span = span_of(file, crate::syntax::Span::span(attr)).unwrap_or(inst.res.header);
    let scope = inst.scope.in_file(file);
    if let Expression::FuncCall(call) = &attr.value {
        if call.name.name.as_str() == "jsonencode" && !call.name.is_namespaced() {
            if let Some(arg) = call.args.iter().next() {
                let document = inst.ev.eval(arg, &scope);
                inst.attrs.insert(name.to_owned(), span);
                return Some((document, span));
            }
        }
    }
    if let Some((text, held)) = inst
        .ev
        .render_holding(&attr.value, &scope)
        .filter(|(_, held)| !held.is_empty())
    {
        // A heredoc or string that interpolates references (`${aws_vpc_endpoint.s3.id}`):
        // the JSON around them is known, so the document is read with the references in
        // place, as `jsonencode(...)` documents are.
        let document = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|json| with_held(&json, &held));
        if let Some(document) = document {
            inst.attrs.insert(name.to_owned(), span);
            return Some((document, span));
        }
    }
    inst.get(name).map(|(v, s)| (policy(v), s))
}

/// A JSON document rendered by `render_holding`, with each held value back where its
/// marker is: a string that is exactly one marker is that value (a reference stays a
/// reference); a string with a marker and other text is unknown. `None` when a key holds
/// a marker (the document's shape is not known).
fn with_held(json: &serde_json::Value, held: &[Value]) -> Option<Value> {
    use crate::eval::{HELD_END, HELD_START};
    use serde_json::Value as J;
    Some(match json {
        J::String(s) if s.contains(HELD_START) => {
            let only = s
                .strip_prefix(HELD_START)
                .and_then(|rest| rest.strip_suffix(HELD_END))
                .and_then(|index| index.parse::<usize>().ok())
                .and_then(|index| held.get(index));
            match only {
                Some(value) => value.clone(),
                None => {
                    let first = s
                        .split(HELD_START)
                        .nth(1)
                        .and_then(|rest| rest.split(HELD_END).next())
                        .and_then(|index| index.parse::<usize>().ok())
                        .and_then(|index| held.get(index));
                    let span = match first {
                        Some(Value::Ref(r)) => r.span,
                        Some(Value::Unknown(u)) => u.span,
                        _ => None,
                    };
                    Value::unknown("part of this string is not known before apply", span)
                }
            }
        }
        J::Array(items) => Value::List(
            items
                .iter()
                .map(|item| with_held(item, held))
                .collect::<Option<_>>()?,
        ),
        J::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    if k.contains(HELD_START) {
                        return None;
                    }
                    Some((k.clone(), with_held(v, held)?))
                })
                .collect::<Option<_>>()?,
        ),
        other => Value::from_json(other),
    })
}

fn cidr_block(v: &Value, span: Span, declared_by: &str) -> CidrBlock {
    CidrBlock {
        cidr: cidr(v),
        span,
        declared_by: declared_by.to_owned(),
    }
}

/// The resource type of an address (`module.a.aws_vpc.x["k"]` → `aws_vpc`).
fn ref_type(address: &str) -> &str {
    let base = address.split('[').next().unwrap_or(address);
    let parts: Vec<&str> = base.split('.').collect();
    match parts.len() {
        n if n >= 2 => parts.get(n - 2).copied().unwrap_or(""),
        _ => "",
    }
}

// ----- routes -----

const TARGET_ATTRS: &[&str] = &[
    "gateway_id",
    "egress_only_gateway_id",
    "nat_gateway_id",
    "vpc_peering_connection_id",
    "vpc_endpoint_id",
    "transit_gateway_id",
    "network_interface_id",
    "carrier_gateway_id",
    "core_network_arn",
    "local_gateway_id",
    "instance_id",
];

fn classify_target(attr: &str, v: &Value, span: Span) -> RouteTarget {
    let other = |v: &Value| RouteTarget::Other {
        attribute: attr.to_owned(),
        value: match v {
            Value::Ref(r) => Known::Known(r.target.clone()),
            v => known_str(v),
        },
    };
    match attr {
        "gateway_id" => match v {
            Value::Ref(r) => match ref_type(&r.target) {
                "aws_internet_gateway" => RouteTarget::InternetGateway(link(v, span, true)),
                "aws_egress_only_internet_gateway" => {
                    RouteTarget::EgressOnlyInternetGateway(link(v, span, true))
                }
                "aws_vpc_endpoint" => RouteTarget::VpcEndpoint(link(v, span, true)),
                _ => other(v),
            },
            Value::String(s) if s == "local" => RouteTarget::Local,
            Value::String(s) if s.starts_with("igw-") => {
                RouteTarget::InternetGateway(Link::External(s.clone()))
            }
            _ => other(v),
        },
        "egress_only_gateway_id" => RouteTarget::EgressOnlyInternetGateway(link(v, span, true)),
        "nat_gateway_id" => RouteTarget::NatGateway(link(v, span, true)),
        "vpc_peering_connection_id" => RouteTarget::Peering(link(v, span, true)),
        "vpc_endpoint_id" => RouteTarget::VpcEndpoint(link(v, span, true)),
        _ => other(v),
    }
}

/// Destination and targets of a route, from a getter over its attributes.
fn route_parts(
    mut get: impl FnMut(&str) -> Option<(Value, Span)>,
    inline: bool,
    header: Span,
) -> (Destination, Span, Vec<TargetRef>) {
    let (v4, v6) = if inline {
        ("cidr_block", "ipv6_cidr_block")
    } else {
        ("destination_cidr_block", "destination_ipv6_cidr_block")
    };
    let (destination, destination_span) = if let Some((v, s)) = get(v4).or_else(|| get(v6)) {
        (Destination::Cidr(cidr(&v)), s)
    } else if let Some((v, s)) = get("destination_prefix_list_id") {
        (Destination::PrefixList(known_str(&v)), s)
    } else {
        (Destination::Missing, header)
    };
    let targets = TARGET_ATTRS
        .iter()
        .filter_map(|a| {
            get(a).map(|(v, span)| TargetRef {
                target: classify_target(a, &v, span),
                span,
            })
        })
        .collect();
    (destination, destination_span, targets)
}

// ----- dispatch -----

/// Maps one instance. Returns a bucket policy that still needs its bucket found by name.
fn map_instance(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) -> Option<(BucketPolicyId, String)> {
    match inst.res.rtype {
        "aws_vpc" | "aws_default_vpc" => vpc(inst, g),
        "aws_vpc_ipv4_cidr_block_association" => cidr_association(inst, g, false),
        "aws_vpc_ipv6_cidr_block_association" => cidr_association(inst, g, true),
        "aws_subnet" | "aws_default_subnet" => subnet(inst, g),
        "aws_route_table" => route_table(inst, g, false),
        "aws_default_route_table" => route_table(inst, g, true),
        "aws_route" => route(inst, g),
        "aws_route_table_association" => route_table_association(inst, g),
        "aws_main_route_table_association" => {
            let vpc = inst.link("vpc_id");
            let route_table = inst.table("route_table_id");
            g.main_route_table_associations
                .push(MainRouteTableAssociation {
                    origin: inst.origin(),
                    vpc,
                    route_table,
                });
        }
        "aws_internet_gateway" => {
            let vpc = inst.link("vpc_id");
            g.internet_gateways.push(InternetGateway {
                origin: inst.origin(),
                vpc,
            });
        }
        "aws_internet_gateway_attachment" => {
            let gateway = inst.link("internet_gateway_id");
            let vpc = inst.link("vpc_id");
            g.gateway_attachments.push(GatewayAttachment {
                origin: inst.origin(),
                gateway,
                vpc,
            });
        }
        "aws_egress_only_internet_gateway" => {
            let vpc = inst.link("vpc_id");
            g.egress_only_gateways.push(EgressOnlyInternetGateway {
                origin: inst.origin(),
                vpc,
            });
        }
        "aws_nat_gateway" => {
            let subnet = inst.link("subnet_id");
            let connectivity_type = inst
                .opt_str("connectivity_type")
                .unwrap_or_else(|| Known::Known("public".into()));
            g.nat_gateways.push(NatGateway {
                origin: inst.origin(),
                subnet,
                connectivity_type,
            });
        }
        "aws_vpc_peering_connection" => peering(inst, g),
        "aws_vpc_peering_connection_accepter" | "aws_vpc_peering_connection_options" => {
            // Both set the connection's DNS options in `accepter`/`requester` blocks; only
            // the accepter resource accepts it.
            let peering = inst.link("vpc_peering_connection_id");
            let auto_accept = if inst.res.rtype == "aws_vpc_peering_connection_accepter" {
                inst.opt_bool("auto_accept")
            } else {
                None
            };
            let requester_options = peering_options(inst, "requester");
            let accepter_options = peering_options(inst, "accepter");
            let origin = inst.origin();
            let node = PeeringAccepter {
                origin,
                peering,
                auto_accept,
                requester_options,
                accepter_options,
            };
            g.peering_accepters.push(node);
        }
        "aws_vpc_endpoint" => endpoint(inst, g),
        "aws_vpc_endpoint_route_table_association" => {
            endpoint_association(inst, g, "route_table_id")
        }
        "aws_vpc_endpoint_subnet_association" => endpoint_association(inst, g, "subnet_id"),
        "aws_vpc_endpoint_security_group_association" => {
            endpoint_association(inst, g, "security_group_id")
        }
        "aws_vpc_endpoint_policy" => endpoint_association(inst, g, "policy"),
        "aws_flow_log" => flow_log(inst, g),
        "aws_security_group" => security_group(inst, g, false),
        "aws_default_security_group" => security_group(inst, g, true),
        "aws_security_group_rule" => security_group_rule(inst, g),
        "aws_vpc_security_group_ingress_rule" => {
            vpc_security_group_rule(inst, g, Direction::Ingress)
        }
        "aws_vpc_security_group_egress_rule" => vpc_security_group_rule(inst, g, Direction::Egress),
        "aws_s3_bucket" => bucket(inst, g),
        "aws_s3_bucket_logging" => {
            delivery_attribute(inst, g, "target_bucket", DeliveryService::ServerAccessLogs)
        }
        "aws_s3_bucket_acl" => log_delivery_acl(inst, g),
        "aws_cloudtrail" => {
            delivery_attribute(inst, g, "s3_bucket_name", DeliveryService::CloudTrail)
        }
        "aws_config_delivery_channel" => {
            delivery_attribute(inst, g, "s3_bucket_name", DeliveryService::Config)
        }
        "aws_kinesis_firehose_delivery_stream" => {
            for block in ["extended_s3_configuration", "s3_configuration"] {
                delivery_block(inst, g, block, "bucket_arn", DeliveryService::Firehose);
            }
        }
        "aws_cloudfront_distribution" => delivery_block(
            inst,
            g,
            "logging_config",
            "bucket",
            DeliveryService::CloudFrontLogs,
        ),
        "aws_wafv2_web_acl_logging_configuration" => {
            delivery_attribute(inst, g, "log_destination_configs", DeliveryService::WafLogs)
        }
        "aws_route53_resolver_query_log_config" => delivery_attribute(
            inst,
            g,
            "destination_arn",
            DeliveryService::ResolverQueryLogs,
        ),
        "aws_lb" | "aws_alb" | "aws_elb" => {
            for block in ["access_logs", "connection_logs"] {
                delivery_block(
                    inst,
                    g,
                    block,
                    "bucket",
                    DeliveryService::LoadBalancerAccessLogs,
                );
            }
        }
        "aws_s3_bucket_policy" => return bucket_policy(inst, g),
        "aws_cloudwatch_log_group" => {
            let name = inst
                .opt_str("name")
                .unwrap_or_else(|| Known::unknown("log group name is generated"));
            g.log_groups.push(LogGroup {
                origin: inst.origin(),
                name,
            });
        }
        _ => {}
    }
    None
}

fn vpc(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let addr = inst.address.clone();
    // `aws_default_vpc` adopts the region's default VPC: its IPv4 block exists but is not
    // configured (AWS picks it), and DNS hostnames are on unless turned off.
    let adopted = inst.res.rtype == "aws_default_vpc";
    let mut ipv4 = Vec::new();
    let mut ipv6 = Vec::new();
    if adopted {
        ipv4.push(CidrBlock {
            cidr: Known::unknown("the default VPC's IPv4 block is chosen by AWS"),
            span: inst.res.header,
            declared_by: addr.clone(),
        });
    } else if let Some((v, span)) = inst.get("cidr_block") {
        ipv4.push(cidr_block(&v, span, &addr));
    } else if let Some((_, span)) = inst.get("ipv4_ipam_pool_id") {
        ipv4.push(CidrBlock {
            cidr: Known::unknown("allocated from an IPAM pool"),
            span,
            declared_by: addr.clone(),
        });
    }
    if let Some((v, span)) = inst.get("ipv6_cidr_block") {
        ipv6.push(cidr_block(&v, span, &addr));
    } else if let Some((v, span)) = inst.get("assign_generated_ipv6_cidr_block") {
        match v.as_bool() {
            Some(false) => {}
            Some(true) => ipv6.push(CidrBlock {
                cidr: Known::unknown("Amazon-provided IPv6 CIDR block"),
                span,
                declared_by: addr.clone(),
            }),
            None => ipv6.push(CidrBlock {
                cidr: Known::unknown("IPv6 CIDR block may be assigned (value not known)"),
                span,
                declared_by: addr.clone(),
            }),
        }
    } else if let Some((_, span)) = inst.get("ipv6_ipam_pool_id") {
        ipv6.push(CidrBlock {
            cidr: Known::unknown("allocated from an IPAM pool"),
            span,
            declared_by: addr.clone(),
        });
    }
    let dns_support = inst
        .opt_bool("enable_dns_support")
        .unwrap_or(Known::Known(true));
    let dns_hostnames = inst
        .opt_bool("enable_dns_hostnames")
        .unwrap_or(Known::Known(adopted));
    let mut node = Vpc::new(inst.origin());
    node.ipv4_cidrs = ipv4;
    node.ipv6_cidrs = ipv6;
    node.region = inst.region.clone();
    node.enable_dns_support = dns_support;
    node.enable_dns_hostnames = dns_hostnames;
    g.vpcs.push(node);
}

fn cidr_association(inst: &mut Inst<'_, '_>, g: &mut VpcGraph, ipv6: bool) {
    let owner = CidrOwner::Vpc(inst.link("vpc_id"));
    let addr = inst.address.clone();
    let attr = if ipv6 {
        "ipv6_cidr_block"
    } else {
        "cidr_block"
    };
    let block = match inst.get(attr) {
        Some((v, span)) => cidr_block(&v, span, &addr),
        None => CidrBlock {
            cidr: Known::unknown(if ipv6 {
                "Amazon-provided or IPAM-allocated IPv6 CIDR block"
            } else {
                "IPAM-allocated CIDR block"
            }),
            span: inst.res.header,
            declared_by: addr,
        },
    };
    g.cidr_associations.push(CidrAssociation {
        origin: inst.origin(),
        owner,
        block,
        ipv6,
    });
}

fn subnet(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let addr = inst.address.clone();
    // `aws_default_subnet` adopts the default subnet of an Availability Zone: it is in the
    // default VPC (which the configuration names nowhere) and AWS chose its block.
    let (vpc, ipv4) = if inst.res.rtype == "aws_default_subnet" {
        let block = CidrBlock {
            cidr: Known::unknown("the default subnet's IPv4 block is chosen by AWS"),
            span: inst.res.header,
            declared_by: addr.clone(),
        };
        (
            Link::unknown("a default subnet is in the region's default VPC", None),
            Some(block),
        )
    } else {
        let vpc = inst.link("vpc_id");
        let ipv4 = inst
            .get("cidr_block")
            .map(|(v, s)| cidr_block(&v, s, &addr));
        (vpc, ipv4)
    };
    let ipv6: Vec<CidrBlock> = inst
        .get("ipv6_cidr_block")
        .map(|(v, s)| cidr_block(&v, s, &addr))
        .into_iter()
        .collect();
    let az = inst
        .opt_str("availability_zone")
        .or_else(|| inst.opt_str("availability_zone_id"));
    let mut node = Subnet::new(inst.origin(), vpc);
    node.ipv4_cidr = ipv4;
    node.ipv6_cidrs = ipv6;
    node.availability_zone = az;
    g.subnets.push(node);
}

fn route_table(inst: &mut Inst<'_, '_>, g: &mut VpcGraph, is_main: bool) {
    let vpc = if is_main {
        match inst.get_raw("default_route_table_id") {
            Some((Value::Ref(r), span)) if r.attribute == "default_route_table_id" => {
                Link::pending(r.target.clone(), r.span.or(Some(span)))
            }
            Some((Value::Unknown(u), _)) => Link::Unknown(u),
            Some(_) => Link::unknown(
                "the VPC of a default route table given by ID is not known",
                None,
            ),
            None => Link::None,
        }
    } else {
        inst.link("vpc_id")
    };
    let table_address = inst.address.clone();
    let nested = inst.nested_items("route");
    let mut routes = Vec::new();
    let mut table_attrs = std::mem::take(&mut inst.attrs);
    for (i, item) in nested.items.iter().enumerate() {
        let mut reader = inst.item_reader(item, format!("route[{i}]."), &mut table_attrs);
        let (destination, destination_span, targets) =
            route_parts(|a| reader.get(a), true, item.span());
        let mut origin = Origin::new(
            format!("{table_address}.route[{i}]"),
            inst.res.rtype,
            item.span(),
        );
        origin.attributes = reader.own;
        origin.existence = inst.existence;
        routes.push(Route {
            origin,
            route_table: Link::pending(table_address.clone(), None),
            destination,
            destination_span,
            targets,
            inline: true,
        });
    }
    inst.attrs = table_attrs;
    let mut node = RouteTable::new(inst.origin(), vpc);
    node.is_main = is_main;
    node.routes_may_be_incomplete = nested.incomplete.is_some();
    node.inline_routes_unknown = nested.incomplete;
    g.route_tables.push(node);
    for r in routes {
        g.routes.push(r);
    }
}

fn route(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let route_table = inst.table("route_table_id");
    let header = inst.res.header;
    let (destination, destination_span, targets) = route_parts(|a| inst.get(a), false, header);
    g.routes.push(Route {
        origin: inst.origin(),
        route_table,
        destination,
        destination_span,
        targets,
        inline: false,
    });
}

fn route_table_association(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    if inst.get("gateway_id").is_some() && inst.res.attribute("subnet_id").is_none() {
        return; // An edge association (gateway → table) is not a subnet association.
    }
    let subnet = inst.link("subnet_id");
    let route_table = inst.table("route_table_id");
    g.route_table_associations.push(RouteTableAssociation {
        origin: inst.origin(),
        subnet,
        route_table,
    });
}

fn peering_options(inst: &mut Inst<'_, '_>, name: &str) -> PeeringSideOptions {
    let (blocks, incomplete) = inst.blocks(name);
    let Some(nb) = blocks.first() else {
        return PeeringSideOptions {
            // A `dynamic` block that may produce the options block: the option is not known.
            allow_remote_vpc_dns_resolution: incomplete
                .then(|| Known::unknown(format!("the {name} block is not known before apply"))),
            span: None,
        };
    };
    let span = nb.span;
    let item = NestedItem::Block(NestedBlock {
        body: nb.body,
        bindings: nb.bindings.clone(),
        span,
    });
    let mut attrs = std::mem::take(&mut inst.attrs);
    let mut reader = inst.item_reader(&item, format!("{name}."), &mut attrs);
    let dns = reader
        .get("allow_remote_vpc_dns_resolution")
        .map(|(v, _)| known_bool(&v));
    inst.attrs = attrs;
    PeeringSideOptions {
        allow_remote_vpc_dns_resolution: dns,
        span: Some(span),
    }
}

fn peering(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let requester = inst.link("vpc_id");
    let accepter = inst.link("peer_vpc_id");
    let peer_region = inst.opt_str("peer_region");
    let peer_owner_id = inst.opt_str("peer_owner_id");
    let auto_accept = inst.opt_bool("auto_accept");
    let requester_options = peering_options(inst, "requester");
    let accepter_options = peering_options(inst, "accepter");
    let mut node = PeeringConnection::new(inst.origin(), requester, accepter);
    node.region = inst.region.clone();
    node.account = inst.ev.provider_account(inst.res);
    node.peer_region = peer_region;
    node.peer_owner_id = peer_owner_id;
    node.auto_accept = auto_accept;
    node.requester_options = requester_options;
    node.accepter_options = accepter_options;
    g.peerings.push(node);
}

/// The links of a list attribute, and whether the list itself is unknown (so it may hold
/// more than is listed).
fn linked_list<T>(inst: &mut Inst<'_, '_>, name: &str) -> (Vec<Linked<T>>, bool) {
    match inst.get(name) {
        Some((Value::List(l), span)) => (
            l.iter()
                .map(|v| Linked::new(link(v, span, false), span))
                .collect(),
            false,
        ),
        Some((Value::Unknown(_), _)) => (Vec::new(), true),
        Some((v, span)) => (vec![Linked::new(link(&v, span, false), span)], false),
        None => (Vec::new(), false),
    }
}

fn endpoint(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let vpc = inst.link("vpc_id");
    let service_name = inst
        .opt_str("service_name")
        .unwrap_or_else(|| Known::unknown("service name not set"));
    let endpoint_type = match inst.get("vpc_endpoint_type") {
        None => Known::Known(EndpointType::Gateway),
        Some((v, _)) => known_str(&v).map(|s| match s.as_str() {
            "Gateway" => EndpointType::Gateway,
            "Interface" => EndpointType::Interface,
            "GatewayLoadBalancer" => EndpointType::GatewayLoadBalancer,
            _ => EndpointType::Other,
        }),
    };
    let (route_tables, route_tables_incomplete) = linked_list(inst, "route_table_ids");
    let (subnets, subnets_incomplete) = linked_list(inst, "subnet_ids");
    let (security_groups, security_groups_incomplete) = linked_list(inst, "security_group_ids");
    let private_dns_enabled = inst.opt_bool("private_dns_enabled");
    let service_region = inst.opt_str("service_region");
    let policy = policy_attr(inst, "policy").map(|(v, _)| v);
    let mut node = VpcEndpoint::new(inst.origin(), vpc);
    node.service_region = service_region;
    node.service_name = service_name;
    node.endpoint_type = endpoint_type;
    node.region = inst.region.clone();
    node.route_tables = route_tables;
    node.subnets = subnets;
    node.security_groups = security_groups;
    node.route_tables_may_be_incomplete = route_tables_incomplete;
    node.subnets_may_be_incomplete = subnets_incomplete;
    node.security_groups_may_be_incomplete = security_groups_incomplete;
    node.private_dns_enabled = private_dns_enabled;
    node.policy = policy;
    g.endpoints.push(node);
}

fn endpoint_association(inst: &mut Inst<'_, '_>, g: &mut VpcGraph, attr: &str) {
    let endpoint = inst.link("vpc_endpoint_id");
    let kind = match attr {
        "route_table_id" => EndpointAssociationKind::RouteTable(inst.table(attr)),
        "subnet_id" => EndpointAssociationKind::Subnet(inst.link(attr)),
        "security_group_id" => EndpointAssociationKind::SecurityGroup(inst.link(attr)),
        _ => EndpointAssociationKind::Policy(
            policy_attr(inst, "policy")
                .map(|(v, _)| v)
                .unwrap_or(Value::Null),
        ),
    };
    g.endpoint_associations.push(EndpointAssociation {
        origin: inst.origin(),
        endpoint,
        kind,
    });
}

fn flow_log(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let mut targets = Vec::new();
    if let Some((v, span)) = inst.get("vpc_id") {
        targets.push(FlowLogTarget::Vpc(link(&v, span, false)));
    }
    if let Some((v, span)) = inst.get("subnet_id") {
        targets.push(FlowLogTarget::Subnet(link(&v, span, false)));
    }
    let ref_str = |v: &Value| match v {
        Value::Ref(r) => Known::Known(r.target.clone()),
        v => known_str(v),
    };
    if let Some((v, _)) = inst.get("eni_id") {
        targets.push(FlowLogTarget::NetworkInterface(ref_str(&v)));
    }
    if let Some((v, _)) = inst.get("transit_gateway_id") {
        targets.push(FlowLogTarget::TransitGateway(ref_str(&v)));
    }
    if let Some((v, _)) = inst.get("transit_gateway_attachment_id") {
        targets.push(FlowLogTarget::TransitGatewayAttachment(ref_str(&v)));
    }
    let destination_type = inst
        .opt_str("log_destination_type")
        .unwrap_or_else(|| Known::Known("cloud-watch-logs".into()));
    let log_destination = inst.get("log_destination").map(|(v, _)| v);
    if destination_type.known().is_none_or(|t| t == "s3") {
        delivery_attribute(inst, g, "log_destination", DeliveryService::FlowLogs);
    }
    let log_group_name = inst.get("log_group_name").map(|(v, _)| v);
    let iam_role_arn = inst.get("iam_role_arn").map(|(v, _)| v);
    g.flow_logs.push(FlowLog {
        origin: inst.origin(),
        targets,
        destination_type,
        log_destination,
        log_group_name,
        iam_role_arn,
    });
}

fn security_group(inst: &mut Inst<'_, '_>, g: &mut VpcGraph, is_default: bool) {
    let vpc = inst.link("vpc_id");
    let sg_address = inst.address.clone();
    let mut rules = Vec::new();
    let mut attrs = std::mem::take(&mut inst.attrs);
    for (direction, name) in [
        (Direction::Ingress, "ingress"),
        (Direction::Egress, "egress"),
    ] {
        // Blocks, or the attribute form (`ingress = [{ ... }]`). Rules vpclint cannot read
        // (an unknown list or element, a dynamic block over an unknown collection) still
        // exist, so the group's rule list is marked incomplete with a rule of unknown content.
        let nested = inst.nested_items(name);
        if let Some(unknown) = nested.incomplete {
            let span = unknown.span.unwrap_or(inst.res.header);
            rules.push(unreadable_rule(&sg_address, name, span, inst, direction));
        }
        for (i, item) in nested.items.iter().enumerate() {
            let mut reader = inst.item_reader(item, format!("{name}[{i}]."), &mut attrs);
            let fields = classic_rule_fields(|name| reader.get(name).map(|(v, _)| v));
            let mut referenced: Vec<Linked<SecurityGroup>> = match reader.get("security_groups") {
                Some((Value::List(l), span)) => l
                    .iter()
                    .map(|v| Linked::new(link(v, span, true), span))
                    .collect(),
                Some((v, span)) => vec![Linked::new(link(&v, span, true), span)],
                None => Vec::new(),
            };
            if let Some((v, span)) = reader.get("self") {
                if v.as_bool() == Some(true) {
                    referenced.push(Linked::new(
                        Link::pending(sg_address.clone(), Some(span)),
                        span,
                    ));
                }
            }
            let own = reader.own;
            let mut origin = Origin::new(
                format!("{sg_address}.{name}[{i}]"),
                inst.res.rtype,
                item.span(),
            );
            origin.attributes = own;
            origin.existence = inst.existence;
            let base = fields.into_rule(
                origin,
                Link::pending(sg_address.clone(), None),
                direction,
                None,
                true,
            );
            push_rule_per_reference(&mut rules, base, referenced);
        }
    }
    inst.attrs = attrs;
    g.security_groups.push(SecurityGroup {
        origin: inst.origin(),
        vpc,
        is_default,
        rules: Vec::new(),
    });
    for r in rules {
        g.security_group_rules.push(r);
    }
}

/// A rule of a security group whose content is unknown (so its rule list is never complete).
fn unreadable_rule(
    sg_address: &str,
    name: &str,
    span: Span,
    inst: &Inst<'_, '_>,
    direction: Direction,
) -> SecurityGroupRule {
    let mut origin = Origin::new(format!("{sg_address}.{name}"), inst.res.rtype, span);
    origin.existence = inst.existence;
    SecurityGroupRule::unreadable(
        origin,
        Link::pending(sg_address.to_owned(), None),
        direction,
        format!("{name} rules cannot be read before apply"),
    )
}

/// One rule node per referenced security group (the first also carries the CIDRs).
fn push_rule_per_reference(
    rules: &mut Vec<SecurityGroupRule>,
    base: SecurityGroupRule,
    referenced: Vec<Linked<SecurityGroup>>,
) {
    let mut referenced = referenced.into_iter();
    let Some(first) = referenced.next() else {
        rules.push(base);
        return;
    };
    let rest: Vec<SecurityGroupRule> = referenced
        .map(|r| SecurityGroupRule {
            origin: base.origin.clone(),
            security_group: base.security_group.clone(),
            direction: base.direction,
            protocol: base.protocol.clone(),
            from_port: base.from_port.clone(),
            to_port: base.to_port.clone(),
            ipv4_cidrs: Vec::new(),
            ipv6_cidrs: Vec::new(),
            referenced_security_group: Some(r),
            prefix_lists: Vec::new(),
            inline: base.inline,
        })
        .collect();
    rules.push(SecurityGroupRule {
        referenced_security_group: Some(first),
        ..base
    });
    rules.extend(rest);
}

fn security_group_rule(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let direction = match inst.get("type").map(|(v, _)| v) {
        Some(Value::String(s)) if s == "egress" => Direction::Egress,
        _ => Direction::Ingress,
    };
    let security_group = inst.link("security_group_id");
    let fields = classic_rule_fields(|name| inst.get(name).map(|(v, _)| v));
    let mut referenced = inst
        .get("source_security_group_id")
        .map(|(v, span)| Linked::new(link(&v, span, false), span));
    if let Some((v, span)) = inst.get("self") {
        if v.as_bool() == Some(true) {
            if let Some((sg, _)) = inst.get("security_group_id") {
                referenced = Some(Linked::new(link(&sg, span, false), span));
            }
        }
    }
    let rule = fields.into_rule(inst.origin(), security_group, direction, referenced, false);
    g.security_group_rules.push(rule);
}

/// What `aws_security_group` ingress/egress (blocks or attribute objects) and
/// `aws_security_group_rule` write under the same names.
struct ClassicRuleFields {
    protocol: Known<String>,
    from_port: Option<Known<i64>>,
    to_port: Option<Known<i64>>,
    ipv4_cidrs: Vec<Known<IpNet>>,
    ipv6_cidrs: Vec<Known<IpNet>>,
    prefix_lists: Vec<Known<String>>,
}

fn classic_rule_fields(mut get: impl FnMut(&str) -> Option<Value>) -> ClassicRuleFields {
    ClassicRuleFields {
        protocol: get("protocol")
            .map_or_else(|| Known::unknown("protocol not set"), |v| known_str(&v)),
        from_port: get("from_port").map(|v| known_int(&v)),
        to_port: get("to_port").map(|v| known_int(&v)),
        ipv4_cidrs: get("cidr_blocks")
            .map(|v| cidr_list(&v))
            .unwrap_or_default(),
        ipv6_cidrs: get("ipv6_cidr_blocks")
            .map(|v| cidr_list(&v))
            .unwrap_or_default(),
        prefix_lists: get("prefix_list_ids")
            .map(|v| str_list(&v))
            .unwrap_or_default(),
    }
}

impl ClassicRuleFields {
    fn into_rule(
        self,
        origin: Origin,
        security_group: Link<SecurityGroup>,
        direction: Direction,
        referenced_security_group: Option<Linked<SecurityGroup>>,
        inline: bool,
    ) -> SecurityGroupRule {
        SecurityGroupRule {
            origin,
            security_group,
            direction,
            protocol: self.protocol,
            from_port: self.from_port,
            to_port: self.to_port,
            ipv4_cidrs: self.ipv4_cidrs,
            ipv6_cidrs: self.ipv6_cidrs,
            referenced_security_group,
            prefix_lists: self.prefix_lists,
            inline,
        }
    }
}

fn vpc_security_group_rule(inst: &mut Inst<'_, '_>, g: &mut VpcGraph, direction: Direction) {
    let security_group = inst.link("security_group_id");
    let protocol = inst
        .opt_str("ip_protocol")
        .unwrap_or_else(|| Known::unknown("protocol not set"));
    let from_port = inst.get("from_port").map(|(v, _)| known_int(&v));
    let to_port = inst.get("to_port").map(|(v, _)| known_int(&v));
    let ipv4_cidrs = inst
        .get("cidr_ipv4")
        .map(|(v, _)| vec![cidr(&v)])
        .unwrap_or_default();
    let ipv6_cidrs = inst
        .get("cidr_ipv6")
        .map(|(v, _)| vec![cidr(&v)])
        .unwrap_or_default();
    let prefix_lists = inst
        .get("prefix_list_id")
        .map(|(v, _)| vec![known_str(&v)])
        .unwrap_or_default();
    let referenced = inst
        .get("referenced_security_group_id")
        .map(|(v, span)| Linked::new(link(&v, span, false), span));
    g.security_group_rules.push(SecurityGroupRule {
        origin: inst.origin(),
        security_group,
        direction,
        protocol,
        from_port,
        to_port,
        ipv4_cidrs,
        ipv6_cidrs,
        referenced_security_group: referenced,
        prefix_lists,
        inline: false,
    });
}

fn bucket(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    let name = inst
        .opt_str("bucket")
        .unwrap_or_else(|| Known::unknown("bucket name is generated"));
    let inline_policy = policy_attr(inst, "policy");
    // The deprecated inline forms: `acl = "log-delivery-write"`, and `logging` blocks naming
    // the bucket that receives this one's access logs.
    if acl_lets_log_delivery(inst, &["grant"]) {
        g.bucket_deliveries.push(BucketDelivery {
            origin: inst.origin(),
            service: DeliveryService::LogDeliveryAcl,
            bucket: Link::pending(inst.address.clone(), None),
        });
    }
    delivery_block(
        inst,
        g,
        "logging",
        "target_bucket",
        DeliveryService::ServerAccessLogs,
    );
    g.buckets.push(S3Bucket::new(inst.origin(), name));
    if let Some((document, document_span)) = inline_policy {
        let mut origin = inst.origin();
        origin.attributes.retain(|k, _| k == "policy");
        g.bucket_policies.push(BucketPolicy {
            origin,
            bucket: Link::pending(inst.address.clone(), None),
            document,
            document_span,
        });
    }
}

fn bucket_policy(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) -> Option<(BucketPolicyId, String)> {
    let bucket_value = inst.get("bucket");
    let (document, document_span) = policy_attr(inst, "policy")
        .unwrap_or_else(|| (Value::unknown("no policy", None), inst.span_or_header(None)));
    let (bucket, by_name) = match bucket_value {
        Some((Value::String(s), _)) => (Link::External(s.clone()), Some(s)),
        Some((v, span)) => (link(&v, span, false), None),
        None => (Link::None, None),
    };
    let id = g.bucket_policies.push(BucketPolicy {
        origin: inst.origin(),
        bucket,
        document,
        document_span,
    });
    by_name.map(|n| (id, n))
}

// ----- AWS services delivering into buckets -----

/// The buckets an AWS service delivers into, from the value naming them: a reference to an
/// `aws_s3_bucket` (its ID, name or ARN), a literal bucket name, S3 ARN or S3 domain name, a
/// list of those — or, when the value is not known, every bucket its expression refers to
/// (`"${aws_s3_bucket.logs.arn}/vpc/"`, either branch of a conditional; `referenced`), else an
/// unknown bucket. Nothing when the value certainly names something else (a log group, another
/// kind of ARN).
fn delivery_buckets(
    value: &Value,
    referenced: impl FnOnce() -> Vec<String>,
) -> Vec<Link<S3Bucket>> {
    fn named(value: &Value, out: &mut Vec<Link<S3Bucket>>) -> Option<Unknown> {
        match value {
            Value::Ref(r) if ref_type(&r.target) == "aws_s3_bucket" => {
                out.push(Link::pending(r.target.clone(), r.span));
            }
            Value::String(s) => out.extend(bucket_name_of(s).map(|n| Link::External(n.to_owned()))),
            Value::List(items) => {
                let mut unknown = None;
                for item in items {
                    if let Some(u) = named(item, out) {
                        unknown = Some(u);
                    }
                }
                return unknown;
            }
            Value::Unknown(u) => return Some(u.clone()),
            _ => {}
        }
        None
    }
    let mut buckets = Vec::new();
    if let Some(unknown) = named(value, &mut buckets) {
        let referenced = referenced();
        if referenced.is_empty() {
            buckets.push(Link::Unknown(unknown));
        } else {
            buckets.extend(referenced.into_iter().map(|a| Link::pending(a, None)));
        }
    }
    buckets
}

/// The addresses of the `aws_s3_bucket` instances (of the module of `ev`) an expression
/// refers to anywhere inside it: interpolated into strings, in either branch of a
/// conditional, in function arguments.
fn buckets_referenced(ev: &Evaluator<'_>, expr: &crate::syntax::Expression) -> Vec<String> {
    use crate::syntax::{Element, Expression, TraversalOperator};
    let mut names: Vec<&str> = Vec::new();
    let mut pending: Vec<&crate::syntax::Expression> = vec![expr];
    // Bounded: a pathological expression stops the walk, not the linter.
    let mut budget = 10_000usize;
    while let Some(expr) = pending.pop() {
        let Some(left) = budget.checked_sub(1) else {
            break;
        };
        budget = left;
        match expr {
            Expression::Traversal(t) => {
                if let (Some(root), Some(TraversalOperator::GetAttr(name))) =
                    (t.expr.as_variable(), t.operators.first().map(|o| o.value()))
                {
                    if root.as_str() == "aws_s3_bucket" && !names.contains(&name.as_str()) {
                        names.push(name.as_str());
                    }
                }
                pending.push(&t.expr);
                for op in &t.operators {
                    if let TraversalOperator::Index(e) = op.value() {
                        pending.push(e);
                    }
                }
            }
            Expression::Array(a) => pending.extend(a.iter()),
            Expression::Object(o) => pending.extend(o.iter().map(|(_, v)| v.expr())),
            Expression::StringTemplate(t) => {
                pending.extend(t.template.iter().filter_map(|e| match e {
                    Element::Interpolation(i) => Some(&i.expr),
                    _ => None,
                }))
            }
            Expression::HeredocTemplate(h) => {
                pending.extend(h.template.iter().filter_map(|e| match e {
                    Element::Interpolation(i) => Some(&i.expr),
                    _ => None,
                }))
            }
            Expression::Parenthesis(p) => pending.push(p.inner()),
            Expression::Conditional(c) => {
                pending.extend([&c.cond_expr, &c.true_expr, &c.false_expr]);
            }
            Expression::FuncCall(f) => pending.extend(f.args.iter()),
            Expression::UnaryOp(u) => pending.push(&u.expr),
            Expression::BinaryOp(b) => pending.extend([&b.lhs_expr, &b.rhs_expr]),
            Expression::ForExpr(f) => {
                pending.push(&f.intro.collection_expr);
                pending.push(&f.value_expr);
                pending.extend(f.key_expr.as_ref());
            }
            _ => {}
        }
    }
    let mut addresses = Vec::new();
    for name in names {
        let Some(idx) = ev.cfg.managed("aws_s3_bucket", name) else {
            continue;
        };
        let Some(res) = ev.cfg.resources.get(idx) else {
            continue;
        };
        for key in Evaluator::instance_keys(&ev.expansion(idx)) {
            addresses.push(ev.address(res, &key));
        }
    }
    addresses
}

/// The S3 log delivery group, as ACL grants name it.
const LOG_DELIVERY_GROUP: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/// Whether an ACL lets S3 log delivery write (or might): the canned `log-delivery-write`
/// ACL, an ACL that is not known, or a grant to the LogDelivery group (or one whose grantee
/// is not known).
fn acl_lets_log_delivery(inst: &mut Inst<'_, '_>, grants: &[&str]) -> bool {
    let canned = match inst.opt_str("acl") {
        Some(Known::Known(acl)) => acl == "log-delivery-write",
        Some(Known::Unknown(_)) => true,
        None => false,
    };
    canned || grants_to_log_delivery(inst, grants)
}

/// Whether nested `grant` blocks (at the path `grants`, e.g. `access_control_policy` then
/// `grant` then `grantee`) give the LogDelivery group a permission, or might.
fn grants_to_log_delivery(inst: &Inst<'_, '_>, path: &[&str]) -> bool {
    fn walk<'a>(ev: &Evaluator<'a>, body: &'a Body, scope: &Scope<'_>, path: &[&str]) -> bool {
        let Some((first, rest)) = path.split_first() else {
            return match ev.attr(body, "uri", scope) {
                Some((Value::String(uri), _)) => uri == LOG_DELIVERY_GROUP,
                Some((Value::Unknown(_), _)) => true,
                _ => false,
            };
        };
        let (blocks, incomplete) = ev.nested_blocks(body, first, scope);
        incomplete
            || blocks
                .into_iter()
                .any(|b| walk(ev, b.body, &scope.child(b.bindings), rest))
    }
    !path.is_empty() && walk(inst.ev, inst.res.body(), &inst.scope, path)
}

/// `aws_s3_bucket_acl` that lets S3 log delivery write into its bucket.
fn log_delivery_acl(inst: &mut Inst<'_, '_>, g: &mut VpcGraph) {
    if acl_lets_log_delivery(inst, &["access_control_policy", "grant", "grantee"]) {
        delivery_attribute(inst, g, "bucket", DeliveryService::LogDeliveryAcl);
    }
}

/// A delivery whose bucket is a top-level attribute of the resource.
fn delivery_attribute(
    inst: &mut Inst<'_, '_>,
    g: &mut VpcGraph,
    attribute: &str,
    service: DeliveryService,
) {
    let Some((value, _)) = inst.get(attribute) else {
        return;
    };
    for bucket in delivery_buckets(&value, || inst.buckets_referenced(attribute)) {
        g.bucket_deliveries.push(BucketDelivery {
            origin: inst.origin(),
            service,
            bucket,
        });
    }
}

/// Deliveries whose bucket is an attribute of nested blocks (`access_logs { bucket = ... }`).
fn delivery_block(
    inst: &mut Inst<'_, '_>,
    g: &mut VpcGraph,
    block: &str,
    attribute: &str,
    service: DeliveryService,
) {
    let nested = inst.nested_items(block);
    let mut attrs = std::mem::take(&mut inst.attrs);
    let mut buckets = Vec::new();
    for (i, item) in nested.items.iter().enumerate() {
        let mut reader = inst.item_reader(item, format!("{block}[{i}]."), &mut attrs);
        if let Some((value, _)) = reader.get(attribute) {
            buckets.extend(delivery_buckets(&value, || {
                reader.buckets_referenced(attribute)
            }));
        }
    }
    if let Some(unknown) = nested.incomplete {
        buckets.push(Link::Unknown(unknown));
    }
    inst.attrs = attrs;
    for bucket in buckets {
        g.bucket_deliveries.push(BucketDelivery {
            origin: inst.origin(),
            service,
            bucket,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_type_strips_module_and_key() {
        assert_eq!(ref_type("aws_vpc.a"), "aws_vpc");
        assert_eq!(
            ref_type("module.net.aws_internet_gateway.gw[0]"),
            "aws_internet_gateway"
        );
        assert_eq!(ref_type("aws_vpc.this[\"a.b\"]"), "aws_vpc");
    }

    #[test]
    fn cidr_conversion_keeps_malformed_out_of_known() {
        assert!(cidr(&Value::string("10.0.0.0/16")).is_known());
        match cidr(&Value::string("10.0.0.0/33")) {
            Known::Unknown(u) => assert!(u.reason.starts_with("not a CIDR")),
            Known::Known(_) => panic!("malformed CIDR became known"),
        }
        assert!(!cidr(&Value::Number(3.0)).is_known());
    }

    #[test]
    fn held_values_go_back_where_their_markers_are() {
        use crate::eval::{HELD_END, HELD_START};
        let endpoint = Value::Ref(vpclint_graph::ResourceRef {
            target: "aws_vpc_endpoint.s3".into(),
            attribute: "id".into(),
            span: None,
        });
        let held = [endpoint.clone(), Value::unknown("bucket ARN", None)];
        let marker = |i: usize| format!("{HELD_START}{i}{HELD_END}");
        let text = format!(
            r#"{{"Condition": {{"aws:SourceVpce": "{}"}}, "Resource": "{}/*", "Version": 1}}"#,
            marker(0),
            marker(1)
        );
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let document = with_held(&json, &held).expect("a document");
        let map = document.as_map().expect("an object");
        let condition = map
            .get("Condition")
            .and_then(Value::as_map)
            .expect("a condition");
        assert_eq!(condition.get("aws:SourceVpce"), Some(&endpoint));
        // Text around a held value: the string is not known.
        assert!(map.get("Resource").is_some_and(Value::is_unknown));
        assert_eq!(map.get("Version"), Some(&Value::Number(1.0)));
        // A marker in a key: the document's shape is not known.
        let keyed: serde_json::Value =
            serde_json::from_str(&format!(r#"{{"{}": 1}}"#, marker(0))).expect("valid JSON");
        assert!(with_held(&keyed, &held).is_none());
    }
}
