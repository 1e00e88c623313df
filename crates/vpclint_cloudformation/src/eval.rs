//! Evaluation of template values: literals, intrinsic functions, parameters, pseudo
//! parameters and conditions. Anything vpclint cannot know before deployment is
//! `Value::Unknown` with a reason; identities of resources are `Value::Ref`.

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;
use std::str::FromStr;
use std::sync::Arc;
use vpclint_graph::{HashMap, HashSet};

use ipnet::IpNet;
use vpclint_graph::IndexMap;
use vpclint_graph::{FileId, Span, Unknown, Value, STACK_REGION};

use crate::intrinsics;
use crate::syntax::{NodeId, NodeKind, Tree};
use crate::CloudFormationOptions;

/// Deepest evaluation (nested intrinsics and `GetAtt` chains); beyond it, values are unknown.
const MAX_EVAL_DEPTH: u32 = 100;

/// Fn::Cidr accepts at most this many blocks.
const MAX_CIDR_COUNT: u64 = 256;

/// Bytes of text that evaluation may build for one stack, in all: every string copied or
/// built (scalars, parameter values, `Fn::Join`, `Fn::Sub`, `Fn::Base64`, ...) is charged
/// before it is built. CloudFormation accepts at most 1 MB of template body, so a real
/// stack stays far below; a template that joins a large value thousands of times does not.
pub(crate) const MAX_VALUE_BYTES: u64 = 64 * 1024 * 1024;

/// List items and map entries that evaluation may build for one stack, in all.
pub(crate) const MAX_VALUE_ELEMENTS: u64 = 4 * 1024 * 1024;

/// What evaluation may still build for one stack (shared by the templates linked into it).
/// A value that does not fit is unknown, and takes nothing: smaller ones still fit.
#[derive(Debug)]
pub(crate) struct Budget {
    bytes: Cell<u64>,
    elements: Cell<u64>,
    /// Where the first value that did not fit was to be built.
    exceeded: Cell<Option<Span>>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(MAX_VALUE_BYTES, MAX_VALUE_ELEMENTS)
    }
}

impl Budget {
    pub(crate) fn new(bytes: u64, elements: u64) -> Self {
        Budget {
            bytes: Cell::new(bytes),
            elements: Cell::new(elements),
            exceeded: Cell::new(None),
        }
    }

    /// Where the first value over budget was to be built, if one was.
    pub(crate) fn exceeded(&self) -> Option<Span> {
        self.exceeded.get()
    }

    /// The note that says values of the stack were left unknown, if some were.
    pub(crate) fn note(&self) -> Option<(Span, String)> {
        let span = self.exceeded()?;
        Some((
            span,
            format!(
                "values of this template are larger than vpclint evaluates ({} MiB of text, {} list \
                 items and map entries per stack); this one and others over that are not known",
                MAX_VALUE_BYTES / (1024 * 1024),
                MAX_VALUE_ELEMENTS
            ),
        ))
    }

    /// Takes `bytes` and `elements` when both fit; otherwise takes nothing.
    #[inline]
    fn take(&self, bytes: usize, elements: usize) -> bool {
        let (bytes, elements) = (bytes as u64, elements as u64);
        match (
            self.bytes.get().checked_sub(bytes),
            self.elements.get().checked_sub(elements),
        ) {
            (Some(b), Some(e)) => {
                self.bytes.set(b);
                self.elements.set(e);
                true
            }
            _ => false,
        }
    }
}

/// One resource of the template.
pub(crate) struct Resource<'t> {
    pub id: &'t str,
    pub key_start: u32,
    pub key_end: u32,
    pub ty: &'t str,
    pub properties: Option<NodeId>,
    pub metadata: Option<NodeId>,
    pub condition: Option<&'t str>,
}

/// How the logical IDs of a template are written as graph addresses when it shares a graph
/// with the templates it is linked to by `Fn::ImportValue` (see the crate docs).
#[derive(Debug, Clone, Default)]
pub(crate) struct Naming {
    /// The qualifier: the template's file stem.
    pub prefix: String,
    /// Logical IDs of this template that another linked template declares too: written
    /// `<prefix>.<LogicalId>`.
    pub qualified: HashSet<String>,
    /// Logical IDs declared only by other linked templates: a `Ref` to one of them from
    /// this template is undeclared here, so it is qualified to keep it from resolving there.
    pub elsewhere: HashSet<String>,
}

/// What an export name imports, across the linted tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Export {
    /// Exported by exactly one template: its value, evaluated in that template.
    Value(Value),
    /// Exported by several templates (CloudFormation would reject the second).
    Ambiguous,
}

/// Export name → what it imports.
pub(crate) type Imports = HashMap<String, Export>;

/// A template's sections, indexed for evaluation.
pub(crate) struct Template<'t> {
    pub tree: &'t Tree<'t>,
    pub file: FileId,
    pub options: &'t CloudFormationOptions,
    pub parameters: HashMap<&'t str, NodeId>,
    pub resources: IndexMap<&'t str, Resource<'t>>,
    pub conditions: HashMap<&'t str, NodeId>,
    pub mappings: Option<NodeId>,
    pub naming: Arc<Naming>,
    /// Exports of the linted tree; `None` while export names themselves are evaluated.
    pub imports: Option<Arc<Imports>>,
    /// Evaluation steps left: bounds the work of pathological templates (nested `Fn::If`
    /// over unknown conditions evaluates both branches).
    fuel: Cell<u64>,
    /// Bounds the size of what evaluation builds (the stack's, when linked).
    budget: Rc<Budget>,
}

impl<'t> Template<'t> {
    pub fn new(tree: &'t Tree<'t>, file: FileId, options: &'t CloudFormationOptions) -> Self {
        let root = tree.root();
        let section = |name: &str| tree.get(root, name);
        let named = |name: &str| -> HashMap<&'t str, NodeId> {
            section(name)
                .map(|s| tree.entries(s).iter().map(|e| (&*e.key, e.value)).collect())
                .unwrap_or_default()
        };
        let mut resources = IndexMap::default();
        if let Some(section) = section("Resources") {
            for e in tree.entries(section) {
                let ty = tree
                    .get(e.value, "Type")
                    .and_then(|t| tree.scalar(t))
                    .unwrap_or("");
                let condition = tree.get(e.value, "Condition").and_then(|c| tree.scalar(c));
                resources.insert(
                    &*e.key,
                    Resource {
                        id: &e.key,
                        key_start: e.key_start,
                        key_end: e.key_end,
                        ty,
                        properties: tree.get(e.value, "Properties"),
                        metadata: tree.get(e.value, "Metadata"),
                        condition,
                    },
                );
            }
        }
        Template {
            tree,
            file,
            options,
            parameters: named("Parameters"),
            resources,
            conditions: named("Conditions"),
            mappings: section("Mappings"),
            naming: Arc::default(),
            imports: None,
            fuel: Cell::new(1_000_000 + 50 * tree.len() as u64),
            budget: Rc::default(),
        }
    }

    /// The same template, drawing on `budget` (one per stack, shared by linked templates).
    pub fn with_budget(mut self, budget: Rc<Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Charges a value about to be built (`bytes` of text, `elements` items or entries);
    /// the unknown value to use instead when it does not fit the stack's budget.
    #[inline]
    pub(crate) fn charge(&self, bytes: usize, elements: usize, span: Span) -> Option<Value> {
        if self.budget.take(bytes, elements) {
            return None;
        }
        self.refuse(span)
    }

    /// The unknown value of a value over budget at `span`, recorded for the stack's note.
    #[cold]
    fn refuse(&self, span: Span) -> Option<Value> {
        if self.budget.exceeded.get().is_none() {
            self.budget.exceeded.set(Some(span));
        }
        Some(Value::unknown(
            format!(
                "value too large to evaluate (over vpclint's budget of {} MiB of text and {} \
                 list items per stack)",
                MAX_VALUE_BYTES / (1024 * 1024),
                MAX_VALUE_ELEMENTS
            ),
            Some(span),
        ))
    }

    /// The same template, linked: addresses follow `naming`, imports resolve through `imports`.
    pub fn linked(mut self, naming: Arc<Naming>, imports: Arc<Imports>) -> Self {
        self.naming = naming;
        self.imports = Some(imports);
        self
    }

    /// The graph address of a logical ID written in this template.
    pub fn address<'n>(&self, logical_id: &'n str) -> Cow<'n, str> {
        let naming = &*self.naming;
        let qualify = if self.resources.contains_key(logical_id) {
            naming.qualified.contains(logical_id)
        } else {
            naming.elsewhere.contains(logical_id)
        };
        if qualify {
            Cow::Owned(format!("{}.{logical_id}", naming.prefix))
        } else {
            Cow::Borrowed(logical_id)
        }
    }

    /// The resource of this template at a graph address, if it is one of this template's.
    pub fn resource_at(&self, address: &str) -> Option<&Resource<'t>> {
        let naming = &*self.naming;
        let logical_id = match address
            .strip_prefix(naming.prefix.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
        {
            Some(id) if !naming.prefix.is_empty() && naming.qualified.contains(id) => id,
            _ if naming.qualified.contains(address) => return None,
            _ => address,
        };
        self.resources.get(logical_id)
    }

    pub fn span(&self, start: u32, end: u32) -> Span {
        Span::new(self.file, start as usize, end as usize)
    }

    pub fn node_span(&self, node: NodeId) -> Span {
        let n = self.tree.node(node);
        self.span(n.start, n.end)
    }

    /// Evaluates a node. `None` is `AWS::NoValue`: the value is absent.
    pub fn eval(&self, node: NodeId, depth: u32) -> Option<Value> {
        if let Some(too_much) = self.enter(node, depth) {
            return Some(too_much);
        }
        let tree = self.tree;
        match &tree.node(node).kind {
            NodeKind::Scalar { text, plain } => {
                if self.budget.take(text.len(), 0) {
                    Some(scalar_value(text, *plain))
                } else {
                    self.refuse(self.node_span(node))
                }
            }
            NodeKind::Unknown(_) => self.left_unknown(node),
            NodeKind::Seq(items) => {
                if let Some(too_large) = self.charge(0, items.len(), self.node_span(node)) {
                    return Some(too_large);
                }
                Some(Value::List(
                    items
                        .iter()
                        .filter_map(|i| self.eval(*i, depth + 1))
                        .collect(),
                ))
            }
            NodeKind::Map(entries) => {
                if let [only] = entries.as_slice() {
                    if let Some(f) = intrinsics::by_name(&only.key) {
                        let span = self.node_span(node);
                        return match f.eval {
                            Some(handler) => handler(self, only.value, span, depth + 1),
                            None => Some(Value::unknown(
                                format!("{} is not evaluated by vpclint", f.name),
                                Some(span),
                            )),
                        };
                    }
                    if only.key.starts_with("Fn::") {
                        return Some(Value::unknown(
                            format!("unsupported function {}", only.key),
                            Some(self.node_span(node)),
                        ));
                    }
                }
                let keys: usize = entries.iter().map(|e| e.key.len()).sum();
                if let Some(too_large) = self.charge(keys, entries.len(), self.node_span(node)) {
                    return Some(too_large);
                }
                Some(Value::Map(
                    entries
                        .iter()
                        .filter_map(|e| Some((e.key.to_string(), self.eval(e.value, depth + 1)?)))
                        .collect(),
                ))
            }
        }
    }

    /// The evaluated value of a resource property (`None` when absent or `AWS::NoValue`).
    pub fn property(&self, resource: &Resource<'_>, name: &str, depth: u32) -> Option<Value> {
        let props = resource.properties?;
        let node = self.tree.get(props, name)?;
        self.eval(node, depth)
    }

    /// `Ref` to a name: a resource, a parameter, a pseudo parameter, or an undeclared name.
    pub fn resolve_ref(&self, name: &str, span: Span, depth: u32) -> Option<Value> {
        // What is built from here names it (a reference, a reason).
        if let Some(too_large) = self.charge(name.len(), 0, span) {
            return Some(too_large);
        }
        if self.resources.contains_key(name) {
            return Some(Value::reference(self.address(name), "", Some(span)));
        }
        if let Some(decl) = self.parameters.get(name) {
            return Some(self.parameter(name, *decl, span, depth));
        }
        let unknown = |reason: &str| Some(Value::unknown(reason, Some(span)));
        let region = self.options.region.as_deref();
        match name {
            "AWS::NoValue" => None,
            // Without --region: the marker for "this stack's region" (see the crate docs).
            "AWS::Region" => Some(Value::string(region.unwrap_or(STACK_REGION))),
            "AWS::Partition" => match region.map(partition_of) {
                Some(partition) => Some(Value::string(partition)),
                None => unknown("partition (AWS::Partition; pass --region to set it)"),
            },
            "AWS::URLSuffix" => match region.map(partition_of) {
                Some("aws-cn") => Some(Value::string("amazonaws.com.cn")),
                Some(_) => Some(Value::string("amazonaws.com")),
                None => unknown("URL suffix (AWS::URLSuffix; pass --region to set it)"),
            },
            "AWS::AccountId" => unknown("account ID (AWS::AccountId)"),
            "AWS::StackName" => unknown("stack name (AWS::StackName)"),
            "AWS::StackId" => unknown("stack ID (AWS::StackId)"),
            "AWS::NotificationARNs" => unknown("notification ARNs (AWS::NotificationARNs)"),
            _ => self
                .generated_by_unknown_loop(name, span)
                // An undeclared name: a reference that link resolution reports as undeclared.
                .or_else(|| Some(Value::reference(self.address(name), "", Some(span)))),
        }
    }

    fn parameter(&self, name: &str, decl: NodeId, span: Span, depth: u32) -> Value {
        let tree = self.tree;
        let ty = tree
            .get(decl, "Type")
            .and_then(|t| tree.scalar(t))
            .unwrap_or("String");
        if ty.starts_with("AWS::SSM::Parameter::Value") {
            return Value::unknown(
                format!("parameter {name} is read from SSM at deploy time"),
                Some(span),
            );
        }
        let given = self
            .options
            .parameters
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| {
                self.charge(v.len(), 0, span)
                    .unwrap_or_else(|| Value::string(v.as_str()))
            });
        let allowed = crate::parameters::allowed_values(tree, decl);
        let value = match given {
            Some(v) => v,
            None => match tree
                .get(decl, "Default")
                .and_then(|d| self.eval(d, depth + 1))
            {
                Some(v) => v,
                None => match allowed.as_deref() {
                    // The only value CloudFormation accepts.
                    Some([only]) => Value::string(only.as_str()),
                    _ => {
                        return Value::unknown(
                            format!("parameter {name} has no Default and no --parameter value"),
                            Some(span),
                        )
                    }
                },
            },
        };
        let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
        if let (Some(allowed), Some(text)) = (&allowed, text_of(&value)) {
            if !crate::parameters::is_allowed(&text, allowed, is_list) {
                // Reported as an input error by `parameters::validate`; no deployment has it.
                return Value::unknown(
                    format!(
                        "parameter {name}: `{}` is not one of its AllowedValues",
                        clipped(&text)
                    ),
                    Some(span),
                );
            }
        }
        match value {
            Value::String(s) if is_list => {
                let parts = s.matches(',').count() + 1;
                if let Some(too_large) = self.charge(s.len(), parts, span) {
                    return too_large;
                }
                Value::List(
                    s.split(',')
                        .map(|part| Value::string(part.trim()))
                        .collect(),
                )
            }
            other => other,
        }
    }

    /// `Fn::GetAtt` of `resource.attribute`.
    pub fn attribute(&self, target: &str, attr: &str, span: Span, depth: u32) -> Option<Value> {
        // What is built from here names it (a reference, a reason).
        if let Some(too_large) = self.charge(target.len() + attr.len(), 0, span) {
            return Some(too_large);
        }
        let Some(r) = self.resources.get(target) else {
            return self
                .generated_by_unknown_loop(target, span)
                .or_else(|| Some(Value::reference(self.address(target), attr, Some(span))));
        };
        let unknown = |why: String| Some(Value::unknown(why, Some(span)));
        let after = || unknown(format!("{target}.{attr} is only known after deployment"));
        match (r.ty, attr) {
            ("AWS::EC2::VPC", "CidrBlock") => match self.property(r, "CidrBlock", depth) {
                Some(v) => Some(v),
                None => unknown(format!(
                    "{target}.CidrBlock is allocated at deployment (IPAM)"
                )),
            },
            ("AWS::EC2::VPC", "Ipv6CidrBlocks") => Some(self.vpc_ipv6_blocks(target, span, depth)),
            // One association ID per CIDR block; the primary one at least exists.
            ("AWS::EC2::VPC", "CidrBlockAssociations") => Some(Value::List(vec![Value::unknown(
                format!("{target}.CidrBlockAssociations are assigned at deployment"),
                Some(span),
            )])),
            ("AWS::EC2::Subnet", "Ipv6CidrBlocks") => {
                let block = self.property(r, "Ipv6CidrBlock", depth).unwrap_or_else(|| {
                    Value::unknown(format!("IPv6 CIDR of {target}"), Some(span))
                });
                Some(Value::List(vec![block]))
            }
            ("AWS::EC2::Subnet", "CidrBlock" | "AvailabilityZone" | "VpcId")
            | ("AWS::EC2::SecurityGroup", "VpcId") => match self.property(r, attr, depth) {
                Some(v) => Some(v),
                None => after(),
            },
            _ if is_identity_attribute(r.ty, attr) => {
                Some(Value::reference(self.address(target), attr, Some(span)))
            }
            _ => after(),
        }
    }

    /// `Vpc.Ipv6CidrBlocks`: the IPv6 blocks associated to the VPC by `VPCCidrBlock` resources.
    fn vpc_ipv6_blocks(&self, vpc: &str, span: Span, depth: u32) -> Value {
        let mut blocks = Vec::new();
        let address = self.address(vpc);
        for r in self.resources.values() {
            if r.ty != "AWS::EC2::VPCCidrBlock" {
                continue;
            }
            let owner = self.property(r, "VpcId", depth + 1);
            if !matches!(&owner, Some(Value::Ref(t)) if t.target == *address) {
                continue;
            }
            if let Some(block) = self.property(r, "Ipv6CidrBlock", depth + 1) {
                blocks.push(block);
            } else if self
                .property(r, "AmazonProvidedIpv6CidrBlock", depth + 1)
                .is_some()
                || self.property(r, "Ipv6IpamPoolId", depth + 1).is_some()
                || self.property(r, "Ipv6Pool", depth + 1).is_some()
            {
                blocks.push(Value::unknown(
                    format!("IPv6 CIDR of {vpc} is assigned at deployment"),
                    Some(span),
                ));
            }
        }
        if blocks.is_empty() {
            blocks.push(Value::unknown(format!("IPv6 CIDR of {vpc}"), Some(span)));
        }
        Value::List(blocks)
    }

    /// The unknown value of a logical ID that this template does not declare but that a
    /// `Fn::ForEach` loop over an unknown collection may generate (so it is not undeclared).
    fn generated_by_unknown_loop(&self, logical_id: &str, span: Span) -> Option<Value> {
        let loop_name = self.tree.unseen().loop_that_may_generate(logical_id)?;
        Some(Value::unknown(
            format!("{logical_id} may be generated by Fn::ForEach::{loop_name}, whose collection is not known"),
            Some(span),
        ))
    }

    /// A named condition: `Some(true/false)` when known.
    pub fn condition_value(&self, name: &str, depth: u32) -> Option<bool> {
        let node = *self.conditions.get(name)?;
        truth(&self.eval(node, depth + 1)?)
    }

    /// Why condition `name` is not known (`None` when it is): the unknown its value comes
    /// from (`parameter Env has no Default and no --parameter value`), where it is written.
    pub fn condition_unknown(&self, name: &str) -> Option<Unknown> {
        let Some(node) = self.conditions.get(name).copied() else {
            return Some(Unknown {
                reason: format!("condition {name} is not declared").into(),
                span: None,
            });
        };
        match self.eval(node, 1) {
            Some(v) if truth(&v).is_some() => None,
            Some(Value::Unknown(u)) => Some(u),
            _ => Some(Unknown {
                reason: format!("condition {name} is not a boolean").into(),
                span: Some(self.node_span(node)),
            }),
        }
    }

    fn args(&self, arg: NodeId) -> &[NodeId] {
        self.tree.items(arg).unwrap_or(&[])
    }

    /// Takes one step of the budget for evaluating `node` at `depth`; the unknown value
    /// to use instead when nesting or the budget is exhausted.
    fn enter(&self, node: NodeId, depth: u32) -> Option<Value> {
        if depth > MAX_EVAL_DEPTH {
            return Some(Value::unknown(
                "expression nested too deeply to evaluate",
                Some(self.node_span(node)),
            ));
        }
        let fuel = self.fuel.get();
        if fuel == 0 {
            return Some(Value::unknown(
                "template too complex to evaluate",
                Some(self.node_span(node)),
            ));
        }
        self.fuel.set(fuel - 1);
        None
    }

    /// Whether `node` is a `Ref` or `Fn::GetAtt` of a logical ID that neither this
    /// template (resources, parameters, pseudo parameters) nor a linked one declares.
    fn names_undeclared(&self, node: NodeId) -> bool {
        let target = if let Some(arg) = self.call_argument(node, "Ref") {
            self.tree.scalar(arg)
        } else if let Some(arg) = self.call_argument(node, "Fn::GetAtt") {
            match self.tree.scalar(arg) {
                Some(dotted) => dotted.split_once('.').map(|(id, _)| id),
                None => self.args(arg).first().and_then(|id| self.tree.scalar(*id)),
            }
        } else {
            None
        };
        target.is_some_and(|id| {
            !self.resources.contains_key(id)
                && !self.parameters.contains_key(id)
                && !id.starts_with("AWS::")
                && !self.naming.elsewhere.contains(id)
                && self.tree.unseen().loop_that_may_generate(id).is_none()
        })
    }

    /// The value of a node the `Fn::ForEach` expansion left unknown (a string holding an
    /// item that is not known), where a function expects a string: its reason is better
    /// than "malformed".
    fn left_unknown(&self, node: NodeId) -> Option<Value> {
        match &self.tree.node(node).kind {
            NodeKind::Unknown(reason) => Some(Value::unknown(
                Arc::clone(reason),
                Some(self.node_span(node)),
            )),
            _ => None,
        }
    }

    /// The argument node of `node` when it is a call of the intrinsic `name`.
    fn call_argument(&self, node: NodeId, name: &str) -> Option<NodeId> {
        match &self.tree.node(node).kind {
            NodeKind::Map(entries) => match entries.as_slice() {
                [only] if only.key == name => Some(only.value),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The partition of a region (`cn-north-1` → `aws-cn`).
fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

/// A scalar as a value: plain `null`/`~`/empty is null; everything else stays a string
/// (booleans and numbers are read where a property wants one).
fn scalar_value(text: &str, plain: bool) -> Value {
    if plain && matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        Value::Null
    } else {
        Value::String(text.to_owned())
    }
}

/// Whether `attr` of a resource of type `ty` is the resource's own identity
/// (`Vpc.VpcId`, `Subnet.SubnetId`, `Endpoint.Id`, `Sg.GroupId`).
fn is_identity_attribute(ty: &str, attr: &str) -> bool {
    if attr == "Id" {
        return true;
    }
    if ty == "AWS::EC2::SecurityGroup" {
        return attr == "GroupId";
    }
    let suffix = ty.rsplit("::").next().unwrap_or("");
    attr.len() == suffix.len() + 2
        && attr.ends_with("Id")
        && attr
            .get(..suffix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(suffix))
}

/// A value read as a boolean (`true`/`false` in any case, as CloudFormation does).
pub(crate) fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn index_of(v: &Value) -> Option<usize> {
    let n = v.as_f64()?;
    (n >= 0.0 && n.fract() == 0.0 && n < 1e9).then_some(n as usize)
}

fn unknown_from(v: &Value, what: &str, span: Span) -> Value {
    match v {
        Value::Unknown(u) => Value::Unknown(u.clone()),
        Value::Ref(r) => Value::unknown(format!("{what} uses the ID of {}", r.target), Some(span)),
        other => Value::unknown(
            format!("{what}: unexpected {} argument", other.type_name()),
            Some(span),
        ),
    }
}

/// Input text quoted in a message: at most [`QUOTED_CHARS`] characters of it, so a large
/// value does not make a reason or a note as large.
pub(crate) fn clipped(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", text.get(..end).unwrap_or(""))),
        None => Cow::Borrowed(text),
    }
}

/// Characters of input text a message quotes.
const QUOTED_CHARS: usize = 80;

/// A scalar-ish value as text for string building (`None` for unknown, references, lists).
fn text_of(v: &Value) -> Option<String> {
    text_ref(v).map(Cow::into_owned)
}

/// [`text_of`] without copying a string.
fn text_ref(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Bytes of text and items (list items, map entries) in a value, to charge a copy of it.
fn size_of_value(v: &Value) -> (usize, usize) {
    match v {
        Value::String(s) => (s.len(), 0),
        Value::List(items) => items.iter().fold((0, items.len()), |(b, e), item| {
            let (ib, ie) = size_of_value(item);
            (b.saturating_add(ib), e.saturating_add(ie))
        }),
        Value::Map(map) => map.iter().fold((0, map.len()), |(b, e), (k, item)| {
            let (ib, ie) = size_of_value(item);
            (
                b.saturating_add(k.len()).saturating_add(ib),
                e.saturating_add(ie),
            )
        }),
        Value::Unknown(u) => (u.reason.len(), 0),
        Value::Ref(r) => (r.target.len() + r.attribute.len(), 0),
        Value::Null | Value::Bool(_) | Value::Number(_) => (0, 0),
    }
}

/// Longest text of a CIDR block: `255.255.255.255/32`, or an IPv6 block written out in full.
fn cidr_text_bound(net: &IpNet) -> usize {
    match net {
        IpNet::V4(_) => 18,
        IpNet::V6(_) => 43,
    }
}

pub(crate) fn ref_(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    match t.tree.scalar(arg) {
        Some(name) => t.resolve_ref(name, span, depth),
        // A computed name (`!Ref {Fn::Sub: 'RouteTable${Az}'}`, which AWS::LanguageExtensions
        // allows and `Fn::ForEach` fragments write) is followed when it names a declared
        // resource or parameter; otherwise it is not known.
        None => match t.eval(arg, depth) {
            Some(Value::String(name))
                if t.resources.contains_key(name.as_str())
                    || t.parameters.contains_key(name.as_str()) =>
            {
                t.resolve_ref(&name, span, depth)
            }
            _ => Some(Value::unknown("Ref to a computed name", Some(span))),
        },
    }
}

pub(crate) fn get_att(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    if let Some(dotted) = t.tree.scalar(arg) {
        return match dotted.split_once('.') {
            Some((target, attr)) => t.attribute(target, attr, span, depth),
            None => Some(Value::unknown(
                format!("Fn::GetAtt `{dotted}` has no attribute"),
                Some(span),
            )),
        };
    }
    let [target, attr, ..] = t.args(arg) else {
        return Some(
            t.left_unknown(arg)
                .unwrap_or_else(|| Value::unknown("malformed Fn::GetAtt", Some(span))),
        );
    };
    // A computed logical ID (`!Sub 'Subnet${Az}'`, as `Fn::ForEach` fragments write it) is
    // followed when it names a declared resource; otherwise it is not known.
    let computed;
    let target = match t.tree.scalar(*target) {
        Some(target) => target,
        None => match t.eval(*target, depth) {
            Some(Value::String(name)) if t.resources.contains_key(name.as_str()) => {
                computed = name;
                computed.as_str()
            }
            _ => return Some(Value::unknown("Fn::GetAtt of a computed name", Some(span))),
        },
    };
    match t.eval(*attr, depth) {
        Some(Value::String(attr)) => t.attribute(target, &attr, span, depth),
        _ => Some(Value::unknown(
            format!("Fn::GetAtt of {target} with a computed attribute"),
            Some(span),
        )),
    }
}

pub(crate) fn sub(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let (template, vars) = match t.tree.scalar(arg) {
        Some(s) => (s, None),
        None => match t.args(arg) {
            [template, vars] => match t.tree.scalar(*template) {
                Some(s) => (s, Some(*vars)),
                None => {
                    return Some(t.left_unknown(*template).unwrap_or_else(|| {
                        Value::unknown("Fn::Sub of a computed template", Some(span))
                    }))
                }
            },
            _ => {
                return Some(
                    t.left_unknown(arg)
                        .unwrap_or_else(|| Value::unknown("malformed Fn::Sub", Some(span))),
                )
            }
        },
    };
    let lookup = |name: &str| -> Option<Value> {
        if let Some(node) = vars.and_then(|v| t.tree.get(v, name)) {
            return t.eval(node, depth);
        }
        match name.split_once('.') {
            Some((target, attr)) if !name.starts_with("AWS::") => {
                t.attribute(target, attr, span, depth)
            }
            _ => t.resolve_ref(name, span, depth),
        }
    };
    // A template that is exactly one variable keeps the variable's value (a reference stays one).
    if let Some(name) = template
        .strip_prefix("${")
        .and_then(|s| s.strip_suffix('}'))
        .filter(|n| !n.starts_with('!') && !n.contains(['{', '}', '$']))
    {
        return Some(lookup(name.trim()).unwrap_or_else(|| Value::string("")));
    }
    if let Some(too_large) = t.charge(template.len(), 0, span) {
        return Some(too_large);
    }
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    let mut unknown: Option<Value> = None;
    while let Some(at) = rest.find("${") {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 2..).unwrap_or("");
        if let Some(literal) = after.strip_prefix('!') {
            out.push_str("${");
            rest = literal;
            continue;
        }
        let Some(close) = after.find('}') else {
            out.push_str("${");
            rest = after;
            continue;
        };
        let name = after.get(..close).unwrap_or("").trim();
        match lookup(name) {
            None => {}
            Some(v) => match text_ref(&v) {
                Some(s) => {
                    if let Some(too_large) = t.charge(s.len(), 0, span) {
                        return Some(too_large);
                    }
                    out.push_str(&s);
                }
                None => {
                    if unknown.is_none() {
                        unknown = Some(unknown_from(&v, "Fn::Sub", span));
                    }
                }
            },
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Some(unknown.unwrap_or(Value::String(out)))
}

pub(crate) fn select(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let [index, list] = t.args(arg) else {
        return Some(Value::unknown("malformed Fn::Select", Some(span)));
    };
    let index = t.eval(*index, depth).unwrap_or_default();
    let selected_cidr = index_of(&index)
        .zip(t.call_argument(*list, "Fn::Cidr"))
        .filter(|_| t.enter(*list, depth).is_none());
    let list = match selected_cidr {
        // `!Select [i, !Cidr [...]]` is how templates carve subnets: only the selected
        // block is formatted (formatting all of them was 7% of a large run).
        Some((i, cidr_arg)) => match cidr_blocks(t, cidr_arg, t.node_span(*list), depth + 1) {
            CidrBlocks::Known { mut blocks, count } if i < count => {
                return Some(
                    blocks
                        .nth(i)
                        .map(|n| {
                            t.charge(cidr_text_bound(&n), 0, span)
                                .unwrap_or_else(|| Value::String(n.to_string()))
                        })
                        .unwrap_or_default(),
                );
            }
            CidrBlocks::Known { count, .. } => return Some(select_out_of_range(i, count, span)),
            CidrBlocks::Other(list) => list,
        },
        None => t.eval(*list, depth).unwrap_or_default(),
    };
    let Some(i) = index_of(&index) else {
        return Some(unknown_from(&index, "Fn::Select index", span));
    };
    match list {
        Value::List(mut items) if i < items.len() => Some(items.swap_remove(i)),
        Value::List(items) => Some(select_out_of_range(i, items.len(), span)),
        other => Some(unknown_from(&other, "Fn::Select", span)),
    }
}

fn select_out_of_range(i: usize, len: usize, span: Span) -> Value {
    Value::unknown(
        format!("Fn::Select index {i} is out of range (list of {len})"),
        Some(span),
    )
}

/// What `Fn::Cidr` yields: `count` blocks to format, or a value (unknown, or a list of
/// unknowns when the block is not known).
enum CidrBlocks {
    Known {
        blocks: ipnet::IpSubnets,
        count: usize,
    },
    Other(Value),
}

/// `Fn::Cidr [ipBlock, count, cidrBits]`: the first `count` blocks with `cidrBits` host
/// bits each (a /24 from `cidrBits: 8` in IPv4, a /64 from `cidrBits: 64` in IPv6).
pub(crate) fn cidr(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    Some(match cidr_blocks(t, arg, span, depth) {
        CidrBlocks::Known { blocks, count } => {
            let bound = match blocks {
                ipnet::IpSubnets::V4(_) => 18,
                ipnet::IpSubnets::V6(_) => 43,
            };
            if let Some(too_large) = t.charge(count.saturating_mul(bound), count, span) {
                return Some(too_large);
            }
            Value::List(
                blocks
                    .take(count)
                    .map(|n| Value::String(n.to_string()))
                    .collect(),
            )
        }
        CidrBlocks::Other(value) => value,
    })
}

fn cidr_blocks(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> CidrBlocks {
    let [block, count, bits] = t.args(arg) else {
        return CidrBlocks::Other(Value::unknown("malformed Fn::Cidr", Some(span)));
    };
    let count_v = t.eval(*count, depth).unwrap_or_default();
    let Some(count) = count_v.as_f64().filter(|n| n.fract() == 0.0) else {
        return CidrBlocks::Other(unknown_from(&count_v, "Fn::Cidr count", span));
    };
    if !(1.0..=MAX_CIDR_COUNT as f64).contains(&count) {
        return CidrBlocks::Other(Value::unknown(
            format!("Fn::Cidr count {count} is outside 1..={MAX_CIDR_COUNT}"),
            Some(span),
        ));
    }
    let count = count as usize;
    let block = t.eval(*block, depth).unwrap_or_default();
    let bits_v = t.eval(*bits, depth).unwrap_or_default();
    let text = match &block {
        Value::String(s) => s,
        other => {
            let u = t.charge(0, count, span).unwrap_or_else(|| {
                Value::List(vec![unknown_from(other, "Fn::Cidr block", span); count])
            });
            return CidrBlocks::Other(u);
        }
    };
    let Ok(net) = IpNet::from_str(text.trim()) else {
        return CidrBlocks::Other(Value::unknown(
            format!("Fn::Cidr block `{}` is not a CIDR", clipped(text)),
            Some(span),
        ));
    };
    let Some(bits) = bits_v.as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0) else {
        let u = t.charge(0, count, span).unwrap_or_else(|| {
            Value::List(vec![
                unknown_from(&bits_v, "Fn::Cidr cidrBits", span);
                count
            ])
        });
        return CidrBlocks::Other(u);
    };
    let width = match net {
        IpNet::V4(_) => 32u8,
        IpNet::V6(_) => 128u8,
    };
    let Some(prefix) = u8::try_from(bits as u64)
        .ok()
        .and_then(|b| width.checked_sub(b))
        .filter(|p| *p >= net.prefix_len() && bits >= 1.0)
    else {
        return CidrBlocks::Other(Value::unknown(
            format!("Fn::Cidr cidrBits {bits} does not fit in {net}"),
            Some(span),
        ));
    };
    let Ok(blocks) = net.trunc().subnets(prefix) else {
        return CidrBlocks::Other(Value::unknown("Fn::Cidr: invalid prefix", Some(span)));
    };
    // 2^(new bits) blocks fit; counted without walking them.
    let available = 1usize
        .checked_shl(u32::from(prefix - net.prefix_len()))
        .unwrap_or(usize::MAX);
    if available < count {
        return CidrBlocks::Other(Value::unknown(
            format!(
                "Fn::Cidr: {net} holds only {available} blocks of /{prefix}, {count} requested"
            ),
            Some(span),
        ));
    }
    CidrBlocks::Known { blocks, count }
}

pub(crate) fn get_azs(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let region = t
        .eval(arg, depth)
        .and_then(|v| text_of(&v))
        .filter(|r| !r.is_empty());
    let region = region.as_deref().unwrap_or("the stack's region");
    Some(Value::unknown(
        format!("Availability Zones of {region} (Fn::GetAZs)"),
        Some(span),
    ))
}

pub(crate) fn join(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let [delimiter, list] = t.args(arg) else {
        return Some(Value::unknown("malformed Fn::Join", Some(span)));
    };
    let delimiter = t
        .eval(*delimiter, depth)
        .and_then(|d| text_of(&d))
        .unwrap_or_default();
    match t.eval(*list, depth).unwrap_or_default() {
        Value::List(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in &items {
                match text_ref(item) {
                    Some(s) => parts.push(s),
                    None => return Some(unknown_from(item, "Fn::Join", span)),
                }
            }
            // Measured before it is built: a large value joined thousands of times.
            let size = parts
                .iter()
                .fold(0usize, |n, p| n.saturating_add(p.len()))
                .saturating_add(
                    delimiter
                        .len()
                        .saturating_mul(parts.len().saturating_sub(1)),
                );
            if let Some(too_large) = t.charge(size, 0, span) {
                return Some(too_large);
            }
            Some(Value::String(parts.join(delimiter.as_str())))
        }
        other => Some(unknown_from(&other, "Fn::Join", span)),
    }
}

pub(crate) fn split(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let [delimiter, source] = t.args(arg) else {
        return Some(Value::unknown("malformed Fn::Split", Some(span)));
    };
    let delimiter = t
        .eval(*delimiter, depth)
        .and_then(|d| text_of(&d))
        .unwrap_or_default();
    let source = t.eval(*source, depth).unwrap_or_default();
    match source {
        // Splitting would cut the stack-region marker into meaningless pieces.
        Value::String(s) if s.contains(STACK_REGION) => Some(Value::unknown(
            "Fn::Split of a string holding the stack's region (pass --region to set it)",
            Some(span),
        )),
        Value::String(s) if !delimiter.is_empty() => {
            let parts = s.matches(delimiter.as_str()).count() + 1;
            if let Some(too_large) = t.charge(s.len(), parts, span) {
                return Some(too_large);
            }
            Some(Value::List(
                s.split(delimiter.as_str()).map(Value::string).collect(),
            ))
        }
        other => Some(unknown_from(&other, "Fn::Split", span)),
    }
}

pub(crate) fn if_(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let [name, then, otherwise] = t.args(arg) else {
        return Some(Value::unknown("malformed Fn::If", Some(span)));
    };
    let name = t.tree.scalar(*name).unwrap_or("");
    match t.condition_value(name, depth) {
        Some(true) => t.eval(*then, depth),
        Some(false) => t.eval(*otherwise, depth),
        None => {
            let a = t.eval(*then, depth);
            let b = t.eval(*otherwise, depth);
            if a == b {
                return a;
            }
            // CloudFormation resolves the references of both branches whichever is taken:
            // one to a logical ID declared nowhere fails either way, so it is kept (for
            // VPC606) instead of disappearing into the unknown value.
            if t.names_undeclared(*then) {
                return a;
            }
            if t.names_undeclared(*otherwise) {
                return b;
            }
            Some(Value::unknown(
                format!("depends on condition {name}"),
                Some(span),
            ))
        }
    }
}

/// A condition function's result; when it is not known, the first unknown among its
/// `inputs` (so the reason names what is not known, `parameter Env has no Default ...`),
/// else a reason naming the function.
fn bool_or_unknown(v: Option<bool>, what: &str, span: Span, inputs: &[Value]) -> Option<Value> {
    if let Some(b) = v {
        return Some(Value::Bool(b));
    }
    if let Some(u) = inputs.iter().find_map(Value::first_unknown) {
        return Some(Value::Unknown(u.clone()));
    }
    let reason = match inputs.iter().find_map(|v| match v {
        Value::Ref(r) => Some(r.target.as_str()),
        _ => None,
    }) {
        Some(target) => format!("{what} uses the ID of {target}, not known before deployment"),
        None => format!("{what} depends on values not known before deployment"),
    };
    Some(Value::unknown(reason, Some(span)))
}

pub(crate) fn equals(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let [a, b] = t.args(arg) else {
        return Some(Value::unknown("malformed Fn::Equals", Some(span)));
    };
    let a = t.eval(*a, depth).unwrap_or_default();
    let b = t.eval(*b, depth).unwrap_or_default();
    let comparable = |v: &Value| v.is_wholly_known() && !matches!(v, Value::Ref(_));
    let result = if comparable(&a) && comparable(&b) {
        match (text_of(&a), text_of(&b)) {
            (Some(x), Some(y)) if x == y => Some(true),
            // "This stack's region" may be any region: equal only to itself.
            (Some(x), Some(y)) if x.contains(STACK_REGION) || y.contains(STACK_REGION) => {
                return Some(Value::unknown(
                    "Fn::Equals compares the stack's region (AWS::Region; pass --region to set it)",
                    Some(span),
                ));
            }
            (Some(_), Some(_)) => Some(false),
            _ => Some(a == b),
        }
    } else {
        None
    };
    bool_or_unknown(result, "Fn::Equals", span, &[a, b])
}

/// The condition arguments' values, and whether each holds (`None`: not known).
fn conditions(t: &Template<'_>, arg: NodeId, depth: u32) -> (Vec<Value>, Vec<Option<bool>>) {
    let values: Vec<Value> = t
        .args(arg)
        .iter()
        .map(|c| t.eval(*c, depth).unwrap_or_default())
        .collect();
    let truths = values.iter().map(truth).collect();
    (values, truths)
}

pub(crate) fn and(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let (values, truths) = conditions(t, arg, depth);
    let result = if truths.contains(&Some(false)) {
        Some(false)
    } else if truths.iter().all(Option::is_some) {
        Some(true)
    } else {
        None
    };
    bool_or_unknown(result, "Fn::And", span, &values)
}

pub(crate) fn or(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let (values, truths) = conditions(t, arg, depth);
    let result = if truths.contains(&Some(true)) {
        Some(true)
    } else if truths.iter().all(Option::is_some) {
        Some(false)
    } else {
        None
    };
    bool_or_unknown(result, "Fn::Or", span, &values)
}

pub(crate) fn not(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let (values, truths) = conditions(t, arg, depth);
    let result = match truths.as_slice() {
        [one] => one.map(|b| !b),
        _ => None,
    };
    bool_or_unknown(result, "Fn::Not", span, &values)
}

pub(crate) fn condition(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let name = t.tree.scalar(arg).unwrap_or("");
    let value = t
        .conditions
        .get(name)
        .and_then(|node| t.eval(*node, depth + 1))
        .unwrap_or_default();
    bool_or_unknown(truth(&value), &format!("condition {name}"), span, &[value])
}

pub(crate) fn find_in_map(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let [map, top, second, ..] = t.args(arg) else {
        return Some(Value::unknown("malformed Fn::FindInMap", Some(span)));
    };
    let mut node = t.mappings;
    for key in [map, top, second] {
        let key = t.eval(*key, depth).unwrap_or_default();
        let Some(key) = text_of(&key) else {
            return Some(unknown_from(&key, "Fn::FindInMap key", span));
        };
        node = node.and_then(|n| t.tree.get(n, &key));
    }
    match node {
        Some(n) => t.eval(n, depth),
        None => Some(Value::unknown(
            "Fn::FindInMap: no such entry in Mappings",
            Some(span),
        )),
    }
}

/// `Fn::ImportValue`: the exported value when exactly one linted template exports the
/// name (evaluated there, so references name that template's resources); otherwise unknown.
pub(crate) fn import_value(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let name = t.eval(arg, depth).and_then(|v| text_of(&v));
    let Some(name) = name else {
        return Some(Value::unknown(
            "imported from another stack (Fn::ImportValue of a name known only at deployment)",
            Some(span),
        ));
    };
    let reason = match t.imports.as_deref().map(|imports| imports.get(&name)) {
        Some(Some(Export::Value(value))) => {
            let (bytes, elements) = size_of_value(value);
            return Some(
                t.charge(bytes, elements, span)
                    .unwrap_or_else(|| value.clone()),
            );
        }
        Some(Some(Export::Ambiguous)) => {
            format!("imported from another stack (Fn::ImportValue {name}: exported by more than one linted template)")
        }
        _ => format!("imported from another stack (Fn::ImportValue {name})"),
    };
    Some(Value::unknown(reason, Some(span)))
}

/// `Fn::Base64`: known when its input is.
pub(crate) fn base64(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    let input = t.eval(arg, depth).unwrap_or_default();
    match text_ref(&input) {
        Some(text) if text.contains(STACK_REGION) => Some(Value::unknown(
            "Fn::Base64 of a string holding the stack's region (pass --region to set it)",
            Some(span),
        )),
        Some(text) => Some(
            t.charge(text.len().div_ceil(3).saturating_mul(4), 0, span)
                .unwrap_or_else(|| Value::String(base64_encode(text.as_bytes()))),
        ),
        None => Some(unknown_from(&input, "Fn::Base64", span)),
    }
}

/// Standard base64 with padding (RFC 4648), as `Fn::Base64` produces.
fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32, shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sextet(n, 18));
        out.push(sextet(n, 12));
        out.push(if chunk.len() > 1 { sextet(n, 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n, 0) } else { '=' });
    }
    out
}

pub(crate) fn length(t: &Template<'_>, arg: NodeId, span: Span, depth: u32) -> Option<Value> {
    match t.eval(arg, depth).unwrap_or_default() {
        Value::List(items) => Some(Value::Number(items.len() as f64)),
        other => Some(unknown_from(&other, "Fn::Length", span)),
    }
}

pub(crate) fn to_json_string(
    t: &Template<'_>,
    arg: NodeId,
    span: Span,
    depth: u32,
) -> Option<Value> {
    let v = t.eval(arg, depth).unwrap_or_default();
    if !v.is_wholly_known() {
        return Some(unknown_from(&v, "Fn::ToJsonString", span));
    }
    // The JSON text is at most six bytes per byte of text (`\u00XX`) plus punctuation per
    // item; charged before it is written.
    let (bytes, elements) = size_of_value(&v);
    let bound = bytes
        .saturating_mul(6)
        .saturating_add(elements.saturating_mul(32))
        .saturating_add(32);
    if let Some(too_large) = t.charge(bound, 0, span) {
        return Some(too_large);
    }
    let json = v.to_json().to_string();
    if json.contains("\"ref\"") {
        Some(unknown_from(&v, "Fn::ToJsonString", span))
    } else {
        Some(Value::String(json))
    }
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::syntax::parse_yaml;
    use vpclint_graph::SourceMap;

    fn eval_in(template: &str, expr: &str, options: &CloudFormationOptions) -> Option<Value> {
        let src = format!("{template}\nProbe: {expr}\n");
        let tree = parse_yaml(&src).unwrap();
        let mut sources = SourceMap::new();
        let file = sources.add("t.yaml", src.as_str());
        let t = Template::new(&tree, file, options);
        let probe = tree.get(tree.root(), "Probe").unwrap();
        t.eval(probe, 0)
    }

    fn eval(expr: &str) -> Option<Value> {
        eval_in(TEMPLATE, expr, &CloudFormationOptions::default())
    }

    fn strings(v: Option<Value>) -> Vec<String> {
        v.unwrap()
            .as_list()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap_or("?").to_owned())
            .collect()
    }

    const TEMPLATE: &str = "
Parameters:
  Env: {Type: String, Default: prod}
  Only: {Type: String, AllowedValues: [10.9.0.0/16]}
  Choice: {Type: String, AllowedValues: [a, b]}
  NoDefault: {Type: String}
  Cidrs: {Type: CommaDelimitedList, Default: '10.0.0.0/24, 10.0.1.0/24'}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsEast: !Equals [!Ref 'AWS::Region', us-east-1]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  V6:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !GetAtt Vpc.VpcId, CidrBlock: 10.0.1.0/24}";

    #[test]
    fn fn_cidr_follows_aws_semantics() {
        // cidrBits is the number of host bits: 8 → /24 in IPv4.
        assert_eq!(
            strings(eval("!Cidr [10.0.0.0/16, 3, 8]")),
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
        );
        assert_eq!(
            strings(eval("!Cidr [192.168.0.0/24, 2, 5]")),
            ["192.168.0.0/27", "192.168.0.32/27"]
        );
        // 64 host bits in IPv6 → /64.
        assert_eq!(
            strings(eval("!Cidr ['2600:1f14:abc::/56', 2, 64]")),
            ["2600:1f14:abc::/64", "2600:1f14:abc:1::/64"]
        );
        // Host bits set in the block are ignored.
        assert_eq!(strings(eval("!Cidr [10.0.5.7/16, 1, 12]")), ["10.0.0.0/20"]);
        // Too many blocks, or blocks larger than the range: unknown, not a guess.
        assert!(eval("!Cidr [10.0.0.0/24, 3, 7]").unwrap().is_unknown());
        assert!(eval("!Cidr [10.0.0.0/24, 1, 9]").unwrap().is_unknown());
        assert!(eval("!Cidr [10.0.0.0/16, 300, 8]").unwrap().is_unknown());
        // An unknown block still gives `count` present-but-unknown blocks.
        let v = eval("!Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]").unwrap();
        let items = v.as_list().unwrap();
        assert_eq!(items.len(), 4);
        assert!(items.iter().all(Value::is_unknown));
        // Long form with the block from GetAtt.
        assert_eq!(
            strings(eval(
                "{'Fn::Cidr': [{'Fn::GetAtt': [Vpc, CidrBlock]}, 2, 8]}"
            )),
            ["10.0.0.0/24", "10.0.1.0/24"]
        );
    }

    #[test]
    fn fn_sub_forms() {
        assert_eq!(eval("!Sub 'env-${Env}'"), Some(Value::string("env-prod")));
        assert_eq!(
            eval("!Sub '${!Literal}-${Env}'"),
            Some(Value::string("${Literal}-prod"))
        );
        assert_eq!(
            eval("!Sub ['${A}/${Vpc.CidrBlock}', {A: x}]"),
            Some(Value::string("x/10.0.0.0/16"))
        );
        // A template that is exactly one variable keeps a reference.
        assert!(matches!(eval("!Sub '${Vpc}'"), Some(Value::Ref(r)) if r.target == "Vpc"));
        // Without --region the stack's region is a marker, so the service name is known
        // to be in the stack's own region.
        assert_eq!(
            eval("!Sub 'com.amazonaws.${AWS::Region}.s3'"),
            Some(Value::string("com.amazonaws.${AWS::Region}.s3"))
        );
        let options = CloudFormationOptions {
            region: Some("eu-west-1".into()),
            ..Default::default()
        };
        assert_eq!(
            eval_in(TEMPLATE, "!Sub 'com.amazonaws.${AWS::Region}.s3'", &options),
            Some(Value::string("com.amazonaws.eu-west-1.s3"))
        );
        assert!(eval("!Sub 'x-${Vpc}'").unwrap().is_unknown());
        assert_eq!(eval("!Sub 'no vars ${'"), Some(Value::string("no vars ${")));
    }

    #[test]
    fn refs_parameters_and_pseudo_parameters() {
        assert!(
            matches!(eval("!Ref Vpc"), Some(Value::Ref(r)) if r.target == "Vpc" && r.attribute.is_empty())
        );
        assert_eq!(eval("!Ref Env"), Some(Value::string("prod")));
        let options = CloudFormationOptions {
            parameters: vec![("Env".into(), "dev".into()), ("Env".into(), "test".into())],
            ..Default::default()
        };
        assert_eq!(
            eval_in(TEMPLATE, "!Ref Env", &options),
            Some(Value::string("test"))
        );
        assert!(eval("!Ref NoDefault").unwrap().is_unknown());
        // No Default, but only one value is allowed.
        assert_eq!(eval("!Ref Only"), Some(Value::string("10.9.0.0/16")));
        assert!(eval("!Ref Choice").unwrap().is_unknown());
        let wrong = CloudFormationOptions {
            parameters: vec![("Choice".into(), "c".into())],
            ..Default::default()
        };
        assert!(eval_in(TEMPLATE, "!Ref Choice", &wrong)
            .unwrap()
            .is_unknown());
        assert_eq!(strings(eval("!Ref Cidrs")), ["10.0.0.0/24", "10.0.1.0/24"]);
        assert_eq!(eval("!Ref AWS::NoValue"), None);
        assert!(eval("!Ref AWS::Partition").unwrap().is_unknown());
        assert_eq!(eval("!Ref AWS::Region"), Some(Value::string(STACK_REGION)));
        let east = CloudFormationOptions {
            region: Some("cn-north-1".into()),
            ..Default::default()
        };
        assert_eq!(
            eval_in(TEMPLATE, "!Ref AWS::Partition", &east),
            Some(Value::string("aws-cn"))
        );
        assert_eq!(
            eval_in(TEMPLATE, "!Ref AWS::URLSuffix", &east),
            Some(Value::string("amazonaws.com.cn"))
        );
        assert!(eval("!Ref AWS::AccountId").unwrap().is_unknown());
        assert!(eval("!Ref AWS::StackName").unwrap().is_unknown());
        assert!(matches!(eval("!Ref Missing"), Some(Value::Ref(r)) if r.target == "Missing"));
        // AWS::LanguageExtensions: a computed name is followed when it is declared.
        assert!(
            matches!(eval("!Ref {Fn::Join: ['', [V, pc]]}"), Some(Value::Ref(r)) if r.target == "Vpc")
        );
        assert_eq!(
            eval("!Ref {Fn::Join: ['', [E, nv]]}"),
            Some(Value::string("prod"))
        );
        assert!(eval("!Ref {Fn::Join: ['', [Miss, ing]]}")
            .unwrap()
            .is_unknown());
        assert_eq!(
            eval("[a, !Ref 'AWS::NoValue', b]"),
            Some(Value::List(vec![Value::string("a"), Value::string("b")]))
        );
    }

    #[test]
    fn get_att_attributes() {
        assert_eq!(
            eval("!GetAtt Vpc.CidrBlock"),
            Some(Value::string("10.0.0.0/16"))
        );
        assert_eq!(
            eval("!GetAtt [Vpc, CidrBlock]"),
            Some(Value::string("10.0.0.0/16"))
        );
        assert!(matches!(eval("!GetAtt Vpc.VpcId"), Some(Value::Ref(r)) if r.target == "Vpc"));
        assert!(matches!(eval("!GetAtt Sub.VpcId"), Some(Value::Ref(r)) if r.target == "Vpc"));
        assert!(eval("!GetAtt Vpc.DefaultSecurityGroup")
            .unwrap()
            .is_unknown());
        let associations = eval("!GetAtt Vpc.CidrBlockAssociations").unwrap();
        assert_eq!(associations.as_list().map(<[Value]>::len), Some(1));
        assert!(!associations.is_wholly_known());
        let v6 = eval("!GetAtt Vpc.Ipv6CidrBlocks").unwrap();
        assert_eq!(v6.as_list().map(<[Value]>::len), Some(1));
        assert!(!v6.is_wholly_known());
    }

    #[test]
    fn selects_joins_splits_and_conditions() {
        assert_eq!(eval("!Select [1, [a, b, c]]"), Some(Value::string("b")));
        assert!(eval("!Select [5, [a]]").unwrap().is_unknown());
        assert!(eval("!Select [0, !GetAZs '']").unwrap().is_unknown());
        assert_eq!(
            eval("!Join ['-', [a, !Ref Env]]"),
            Some(Value::string("a-prod"))
        );
        assert_eq!(strings(eval("!Split [',', 'a,b']")), ["a", "b"]);
        assert_eq!(eval("!If [IsProd, big, small]"), Some(Value::string("big")));
        assert!(eval("!If [IsEast, a, b]").unwrap().is_unknown());
        assert_eq!(
            eval("!If [IsEast, same, same]"),
            Some(Value::string("same"))
        );
        assert_eq!(eval("!Not [!Condition IsProd]"), Some(Value::Bool(false)));
        assert_eq!(
            eval("!Or [!Condition IsEast, !Condition IsProd]"),
            Some(Value::Bool(true))
        );
        assert!(eval("!And [!Condition IsEast, !Condition IsProd]")
            .unwrap()
            .is_unknown());
        assert_eq!(eval("!Base64 abc"), Some(Value::string("YWJj")));
        assert_eq!(eval("!Base64 ab"), Some(Value::string("YWI=")));
        assert_eq!(
            eval("!Base64 {'Fn::Sub': 'env=${Env}'}"),
            Some(Value::string("ZW52PXByb2Q="))
        );
        assert!(eval("!Base64 {Ref: NoDefault}").unwrap().is_unknown());
        assert!(eval("!Base64 {'Fn::Sub': '${AWS::Region}'}")
            .unwrap()
            .is_unknown());
        // The stack's region equals itself, and nothing else for certain.
        assert_eq!(
            eval("!Equals [!Ref AWS::Region, !Ref AWS::Region]"),
            Some(Value::Bool(true))
        );
        assert!(eval("!Equals [!Ref AWS::Region, us-east-1]")
            .unwrap()
            .is_unknown());
        assert!(eval("!Split [':', !Sub 'arn:${AWS::Region}:x']")
            .unwrap()
            .is_unknown());
        assert!(eval("{'Fn::Nope': 1}").unwrap().is_unknown());
    }

    /// Evaluates `expr` with a budget of `bytes` and `elements`; the value and the budget.
    fn eval_budgeted(expr: &str, bytes: u64, elements: u64) -> (Option<Value>, Rc<Budget>) {
        let src = format!("{TEMPLATE}\nProbe: {expr}\n");
        let tree = parse_yaml(&src).unwrap();
        let mut sources = SourceMap::new();
        let file = sources.add("t.yaml", src.as_str());
        let options = CloudFormationOptions::default();
        let budget = Rc::new(Budget::new(bytes, elements));
        let t = Template::new(&tree, file, &options).with_budget(Rc::clone(&budget));
        let probe = tree.get(tree.root(), "Probe").unwrap();
        (t.eval(probe, 0), budget)
    }

    fn too_large(v: &Option<Value>) -> bool {
        matches!(v, Some(Value::Unknown(u)) if u.reason.starts_with("value too large to evaluate") && u.span.is_some())
    }

    #[test]
    fn values_over_the_budget_are_unknown_where_they_would_be_built() {
        // Each function measures what it would build before building it.
        for (expr, bytes, elements) in [
            ("!Join ['', [aaaa, aaaa, aaaa]]", 20, 100),
            ("!Join ['--', [aa, aa, aa]]", 15, 100),
            ("!Sub '${Env}${Env}${Env}${Env}${Env}'", 20, 100),
            ("!Split [',', 'a,b,c,d,e,f']", 100, 5),
            ("!Base64 abcdefghijklmnop", 28, 100),
            ("!ToJsonString [abcdefgh]", 40, 100),
            ("!Cidr [10.0.0.0/16, 200, 8]", 100_000, 150),
            ("!Select [0, !Cidr [10.0.0.0/16, 2, 8]]", 30, 100),
            ("[a, b, c, d, e]", 100, 3),
            ("{a: 1, b: 2, c: 3}", 100, 2),
            ("!Ref Cidrs", 30, 100),
        ] {
            let (v, budget) = eval_budgeted(expr, bytes, elements);
            assert!(too_large(&v), "{expr}: {v:?}");
            assert!(budget.exceeded().is_some(), "{expr}");
            assert!(budget.note().is_some(), "{expr}");
            // With the whole budget it is known.
            let (v, budget) = eval_budgeted(expr, MAX_VALUE_BYTES, MAX_VALUE_ELEMENTS);
            assert!(
                v.as_ref().is_some_and(Value::is_wholly_known),
                "{expr}: {v:?}"
            );
            assert_eq!(budget.exceeded(), None, "{expr}");
        }
    }

    #[test]
    fn a_value_that_does_not_fit_takes_nothing() {
        // The join does not fit, but the small parts before it and the next value do.
        let (v, budget) = eval_budgeted("[!Join ['', [abcdefgh, abcdefgh]], abc]", 20, 100);
        let items = v.unwrap();
        let items = items.as_list().unwrap();
        assert!(too_large(&Some(items[0].clone())), "{items:?}");
        assert_eq!(items[1], Value::string("abc"));
        assert!(budget.exceeded().is_some());
    }

    #[test]
    fn a_value_joined_thousands_of_times_is_not_built() {
        // 2,000 references to a 1 MiB default: 2 GiB if joined, refused before it is.
        let started = std::time::Instant::now();
        let big = "x".repeat(1024 * 1024);
        let refs = vec!["!Ref Big"; 2000].join(", ");
        let src = format!(
            "Parameters:\n  Big: {{Type: String, Default: {big}}}\nProbe: !Join ['', [{refs}]]\n"
        );
        let tree = parse_yaml(&src).unwrap();
        let mut sources = SourceMap::new();
        let file = sources.add("t.yaml", src.as_str());
        let options = CloudFormationOptions::default();
        let t = Template::new(&tree, file, &options);
        let v = t.eval(tree.get(tree.root(), "Probe").unwrap(), 0);
        assert!(too_large(&v), "{v:?}");
        assert!(t.budget().exceeded().is_some());
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn quoted_input_is_clipped() {
        assert_eq!(clipped("short"), "short");
        let long = "é".repeat(200);
        let shown = clipped(&long);
        assert_eq!(shown.chars().count(), QUOTED_CHARS + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn an_unknown_condition_says_what_is_not_known() {
        let reason = |expr: &str| match eval(expr) {
            Some(Value::Unknown(u)) => u.reason.to_string(),
            other => format!("known: {other:?}"),
        };
        let no_default = "parameter NoDefault has no Default and no --parameter value";
        // Through Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition, the reason is the
        // parameter's, not the function's.
        assert_eq!(reason("!Equals [!Ref NoDefault, x]"), no_default);
        assert_eq!(reason("!Not [!Equals [!Ref NoDefault, x]]"), no_default);
        assert_eq!(
            reason("!And [!Condition IsProd, !Equals [x, !Ref NoDefault]]"),
            no_default
        );
        assert_eq!(
            reason("!Or [!Equals [!Ref NoDefault, x], !Equals [a, b]]"),
            no_default
        );
        assert_eq!(
            reason("!Equals [!Ref AWS::Region, us-east-1]"),
            "Fn::Equals compares the stack's region (AWS::Region; pass --region to set it)"
        );
        assert_eq!(
            reason("!Condition IsEast"),
            "Fn::Equals compares the stack's region (AWS::Region; pass --region to set it)"
        );
        // Known conditions stay known.
        assert_eq!(
            eval("!Or [!Equals [!Ref NoDefault, x], !Condition IsProd]"),
            Some(Value::Bool(true))
        );
    }
}
