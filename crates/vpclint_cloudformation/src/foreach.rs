//! `Fn::ForEach` (the `AWS::LanguageExtensions` transform): loops are expanded into the
//! entries they generate by a tree-to-tree rewrite between parsing and evaluation, so the
//! evaluator and the graph builder only ever see plain templates.
//!
//! `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue, ...}]` is a map
//! entry of `Resources`, `Conditions` or `Outputs`, or of any map inside them (resource
//! properties). For each item of the collection, every `OutputKey: OutputValue` of the
//! fragment becomes an entry of the map the loop is in, with `${Identifier}` replaced by the
//! item and `&{Identifier}` by the item without its non-alphanumeric characters — in keys
//! and in every scalar (`Fn::Sub` strings included) — and `Ref: Identifier` replaced by the
//! item. Generated nodes keep the spans of the fragment they are copied from, so findings
//! on `SubnetB` point at the fragment's lines.
//!
//! Rounds: each round evaluates the collections of the outermost loops with a `Template`
//! over the current tree (collections may use parameters, mappings and pseudo parameters),
//! drops the template, and rebuilds the tree with those loops expanded. A loop nested in a
//! fragment is copied with the outer item substituted (so its collection may use the outer
//! identifier) and expanded in the next round, up to CloudFormation's five levels.
//!
//! A collection vpclint cannot know (a parameter without a value, `Fn::GetAZs`, an import)
//! generates one representative per fragment entry: its key keeps the placeholder
//! (`Subnet${Az}`), values that depend on the item are unknown, and it may not exist
//! ([`Unseen`]). A `Ref` elsewhere to a logical ID such a loop could generate is unknown,
//! not undeclared. A known list with unknown items generates its known items as usual.
//!
//! Malformed loops, duplicate or colliding logical IDs, and loops that would generate too
//! much are located errors; the loop (or entry) is left out and the rest is built.

use std::borrow::Cow;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use vpclint_graph::{FileId, HashMap, HashSet, InputError, InputNote, Span, Value, STACK_REGION};

use crate::eval::Template;
use crate::syntax::{Entry, Node, NodeId, NodeKind, Tree};
use crate::CloudFormationOptions;

/// The key prefix of a loop: `Fn::ForEach::LoopName`.
pub(crate) const LOOP_PREFIX: &str = "Fn::ForEach::";

/// CloudFormation expands loops nested at most this deep.
pub(crate) const MAX_NESTING: usize = 5;

/// Generated resources allowed in one template: CloudFormation's quota is 500 resources per
/// template, so more than this many is a mistake (or an attack), not a template to lint.
const MAX_GENERATED_RESOURCES: usize = 2_000;

/// Nodes the expansion may copy in all: bounds loops nested over long collections that
/// generate properties rather than resources.
const MAX_GENERATED_NODES: usize = 500_000;

/// Bytes of text the expansion may write in all (keys and scalars with an item in place of
/// its identifier): bounds a large item substituted into many places, as the evaluator's
/// [`MAX_VALUE_BYTES`](crate::eval::MAX_VALUE_BYTES) bounds the values built from it.
const MAX_GENERATED_BYTES: usize = 64 * 1024 * 1024;

/// Whether a map key is a loop (`Fn::ForEach::Name`).
pub(crate) fn is_loop_key(key: &str) -> bool {
    key.starts_with(LOOP_PREFIX)
}

/// The fragment (`{OutputKey: OutputValue}`) of a well-formed loop's value.
pub(crate) fn fragment_of(tree: &Tree<'_>, loop_value: NodeId) -> Option<NodeId> {
    match tree.items(loop_value) {
        Some([_, _, fragment]) if tree.is_map(*fragment) => Some(*fragment),
        _ => None,
    }
}

/// What loops over collections vpclint cannot know may generate, kept with the expanded
/// tree for evaluation and graph building.
#[derive(Debug, Default)]
pub(crate) struct Unseen {
    /// Generated resources that may not exist, with why.
    maybe: HashMap<String, Arc<str>>,
    /// The logical IDs such loops could generate.
    patterns: Vec<IdPattern>,
}

impl Unseen {
    /// Why a resource may not exist, when a loop over a collection that is not known
    /// generated it.
    pub(crate) fn why_may_not_exist(&self, logical_id: &str) -> Option<&Arc<str>> {
        self.maybe.get(logical_id)
    }

    /// The loop that may generate `logical_id` although the template does not declare it.
    pub(crate) fn loop_that_may_generate(&self, logical_id: &str) -> Option<&str> {
        self.patterns
            .iter()
            .find(|p| p.matches(logical_id))
            .map(|p| p.loop_name.as_str())
    }
}

/// A logical ID with unknown parts: `Subnet${Az}Route` is `["Subnet", "Route"]`.
#[derive(Debug)]
struct IdPattern {
    /// The literal text around the unknown parts (one more piece than unknown parts).
    pieces: Vec<String>,
    loop_name: String,
}

impl IdPattern {
    /// Whether `name` is the pattern with alphanumeric text (a logical ID's characters) in
    /// place of each unknown part. Each piece is matched leftmost: a shorter unknown part
    /// is a prefix of a longer one, so it is alphanumeric whenever a longer one is.
    fn matches(&self, name: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return name == first;
        };
        let Some(mut rest) = name
            .strip_prefix(first.as_str())
            .and_then(|r| r.strip_suffix(last.as_str()))
        else {
            return false;
        };
        for piece in middle {
            let Some(at) = rest.find(piece.as_str()) else {
                return false;
            };
            if !rest.get(..at).is_some_and(is_alphanumeric) {
                return false;
            }
            rest = rest.get(at + piece.len()..).unwrap_or("");
        }
        is_alphanumeric(rest)
    }
}

fn is_alphanumeric(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The expanded tree, and what the expansion found wrong or could not see.
pub(crate) struct Expanded<'a> {
    pub tree: Tree<'a>,
    pub errors: Vec<InputError>,
    pub notes: Vec<InputNote>,
}

impl<'a> Expanded<'a> {
    /// A tree without loops, as it is.
    pub(crate) fn nothing_to_expand(tree: Tree<'a>) -> Self {
        Expanded {
            tree,
            errors: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// Expands every `Fn::ForEach` of a parsed template. A template without loops is returned
/// as it is.
pub(crate) fn expand<'a>(
    tree: Tree<'a>,
    path: &Path,
    file: FileId,
    options: &CloudFormationOptions,
) -> Expanded<'a> {
    if !tree.has_loop_keys() {
        return Expanded::nothing_to_expand(tree);
    }
    let mut out = Report::new(path, file);
    let first_loop = tree
        .all_entries()
        .filter(|e| is_loop_key(&e.key))
        .min_by_key(|e| e.key_start)
        .map(|e| (e.key_start, e.key_end));
    let Some((start, end)) = first_loop else {
        return Expanded::nothing_to_expand(tree);
    };
    if !declares_language_extensions(&tree) {
        out.error(
            (start, end),
            "`Fn::ForEach` needs `Transform: AWS::LanguageExtensions` in the template; \
             CloudFormation rejects the template without it",
        );
    }
    let mut tree = tree;
    let mut inherited: HashMap<NodeId, Rc<Uncertainty>> = HashMap::default();
    // What all rounds have generated so far.
    let mut budget = Cost::default();
    for round in 0..=MAX_NESTING {
        let walk = find_loops(&tree, round == 0, &mut out);
        if walk.sites.is_empty() {
            break;
        }
        let mut plans: Vec<Plan> = if round == MAX_NESTING {
            walk.sites
                .iter()
                .map(|site| {
                    out.error(
                        site.key_span,
                        format!(
                            "`{}{}` is nested more than {MAX_NESTING} loops deep, \
                             CloudFormation's limit; it is not expanded",
                            LOOP_PREFIX, site.name
                        ),
                    );
                    Plan::Drop
                })
                .collect()
        } else {
            let template = Template::new(&tree, file, options);
            walk.sites
                .iter()
                .map(|site| plan(&template, &walk, site, &inherited, &mut out))
                .collect()
        };
        apply_budget(&walk.sites, &mut plans, &mut budget, &mut out);
        let plans = walk
            .sites
            .iter()
            .map(|site| (site.map, site.index))
            .zip(plans)
            .collect();
        let rewriter = Rewriter::new(&tree, plans, walk.resources, &mut out);
        let (next, next_inherited) = rewriter.run();
        tree = next;
        inherited = next_inherited;
    }
    tree.set_unseen(std::mem::take(&mut out.unseen));
    Expanded {
        tree,
        errors: out.errors,
        notes: out.notes,
    }
}

/// `Transform: AWS::LanguageExtensions`, alone or in a list of transforms.
fn declares_language_extensions(tree: &Tree<'_>) -> bool {
    let Some(transform) = tree.get(tree.root(), "Transform") else {
        return false;
    };
    let is_it = |node: NodeId| tree.scalar(node) == Some("AWS::LanguageExtensions");
    is_it(transform)
        || tree
            .items(transform)
            .is_some_and(|t| t.iter().any(|n| is_it(*n)))
}

/// Errors, notes and the unseen, deduplicated: copies of a nested loop share their spans.
struct Report<'p> {
    path: &'p Path,
    file: FileId,
    errors: Vec<InputError>,
    notes: Vec<InputNote>,
    reported: HashSet<(u32, u32, String)>,
    unseen: Unseen,
    patterns_seen: HashSet<Vec<String>>,
}

impl<'p> Report<'p> {
    fn new(path: &'p Path, file: FileId) -> Self {
        Report {
            path,
            file,
            errors: Vec::new(),
            notes: Vec::new(),
            reported: HashSet::default(),
            unseen: Unseen::default(),
            patterns_seen: HashSet::default(),
        }
    }

    fn span(&self, (start, end): (u32, u32)) -> Option<Span> {
        Some(Span::new(self.file, start as usize, end as usize))
    }

    fn first_time(&mut self, at: (u32, u32), message: &str) -> bool {
        self.reported.insert((at.0, at.1, message.to_owned()))
    }

    fn error(&mut self, at: (u32, u32), message: impl Into<String>) {
        let message = message.into();
        if self.first_time(at, &message) {
            let span = self.span(at);
            self.errors.push(InputError::at(self.path, span, message));
        }
    }

    fn note(&mut self, at: (u32, u32), message: String) {
        if self.first_time(at, &message) {
            self.notes.push(InputNote {
                stack: self.path.display().to_string(),
                path: self.path.to_path_buf(),
                span: self.span(at),
                message,
            });
        }
    }

    /// Records a resource generated under an unknown collection: it may not exist, and
    /// references to the IDs its pattern covers are not undeclared.
    fn unseen_resource(&mut self, logical_id: &str, uncertainty: &Uncertainty) {
        self.unseen
            .maybe
            .insert(logical_id.to_owned(), Arc::clone(&uncertainty.reason));
        let pieces = split_placeholders(logical_id, &uncertainty.unknown_identifiers);
        if pieces.len() > 1 && self.patterns_seen.insert(pieces.clone()) {
            self.unseen.patterns.push(IdPattern {
                pieces,
                loop_name: uncertainty.loop_name.clone(),
            });
        }
    }
}

/// `Subnet${Az}Route` → `["Subnet", "Route"]` when `Az` is one of the unknown identifiers.
fn split_placeholders(key: &str, identifiers: &[String]) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut rest = key;
    while !rest.is_empty() {
        let placeholder = identifiers.iter().find_map(|id| {
            ["${", "&{"].into_iter().find_map(|open| {
                rest.strip_prefix(open)
                    .and_then(|r| r.strip_prefix(id.as_str()))
                    .and_then(|r| r.strip_prefix('}'))
            })
        });
        if let Some(after) = placeholder {
            pieces.push(String::new());
            rest = after;
            continue;
        }
        let mut chars = rest.chars();
        if let (Some(c), Some(last)) = (chars.next(), pieces.last_mut()) {
            last.push(c);
        }
        rest = chars.as_str();
    }
    pieces
}

/// A loop found in the current tree: the entry `index` of the map `map`.
struct Site {
    map: NodeId,
    index: usize,
    /// The name after `Fn::ForEach::`.
    name: String,
    key_span: (u32, u32),
    value: NodeId,
}

/// The outermost loops of the tree, and the `Resources` map they may generate resources in.
struct Walk {
    sites: Vec<Site>,
    resources: Option<NodeId>,
}

/// Finds the outermost loops (those not inside another loop) where CloudFormation allows
/// them; with `report_misplaced`, loops elsewhere are errors (and are left alone).
fn find_loops(tree: &Tree<'_>, report_misplaced: bool, out: &mut Report<'_>) -> Walk {
    let root = tree.root();
    let mut walk = Walk {
        sites: Vec::new(),
        resources: tree.get(root, "Resources"),
    };
    let mut misplaced: Vec<((u32, u32), String)> = Vec::new();
    // (node, the section it is in when loops are not allowed there)
    let mut stack: Vec<(NodeId, Option<&str>)> = Vec::new();
    for e in tree.entries(root) {
        match &*e.key {
            "Resources" | "Conditions" | "Outputs" => stack.push((e.value, None)),
            key if is_loop_key(key) && report_misplaced => misplaced.push((
                (e.key_start, e.key_end),
                "`Fn::ForEach` is not allowed at the top level of a template; \
                 CloudFormation expands it in Resources, Conditions and Outputs"
                    .to_owned(),
            )),
            section if report_misplaced => stack.push((e.value, Some(section))),
            _ => {}
        }
    }
    while let Some((node, misplaced_in)) = stack.pop() {
        match &tree.node(node).kind {
            NodeKind::Map(entries) => {
                for (index, e) in entries.iter().enumerate() {
                    if !is_loop_key(&e.key) {
                        stack.push((e.value, misplaced_in));
                        continue;
                    }
                    match misplaced_in {
                        Some(section) => misplaced.push((
                            (e.key_start, e.key_end),
                            format!(
                                "`Fn::ForEach` is not allowed in `{section}`; \
                                 CloudFormation expands it in Resources, Conditions and Outputs"
                            ),
                        )),
                        None => walk.sites.push(Site {
                            map: node,
                            index,
                            name: e.key.get(LOOP_PREFIX.len()..).unwrap_or("").to_owned(),
                            key_span: (e.key_start, e.key_end),
                            value: e.value,
                        }),
                    }
                }
            }
            NodeKind::Seq(items) => stack.extend(items.iter().map(|i| (*i, misplaced_in))),
            NodeKind::Scalar { .. } | NodeKind::Unknown(_) => {}
        }
    }
    // Document order, so errors and notes come out in it (copies of a nested loop share
    // their span and keep their order).
    misplaced.sort_by_key(|(span, _)| *span);
    for (span, message) in misplaced {
        out.error(span, message);
    }
    walk.sites.sort_by_key(|site| site.key_span);
    walk
}

/// One item of a collection.
#[derive(Clone)]
enum Item {
    Known(String),
    /// Not known before deployment, with the reason.
    Unknown(Arc<str>),
}

/// Why what a loop generates may not exist: it, or a loop around it, iterates over a
/// collection that is not known.
#[derive(Debug, Clone)]
struct Uncertainty {
    /// The (outermost) loop whose collection is not known.
    loop_name: String,
    /// Why what it generates may not exist (its collection's unknown).
    reason: Arc<str>,
    /// Identifiers whose item is not known: their placeholders stay in generated keys.
    unknown_identifiers: Vec<String>,
}

/// What to do with a loop in this round.
enum Plan {
    /// Leave it out (an error was reported).
    Drop,
    Expand(Rc<Loop>),
}

/// A loop ready to expand.
struct Loop {
    name: String,
    identifier: String,
    items: Vec<Item>,
    fragment: NodeId,
    /// Fragment entries left out (their OutputKey lacks the identifier).
    skipped: Vec<usize>,
    /// Inherited from the loops this one was copied out of.
    inherited: Option<Rc<Uncertainty>>,
    cost: Cost,
}

/// What expanding loops creates: nodes copied, resources generated, and bytes of text
/// written with items substituted.
#[derive(Default, Clone, Copy)]
struct Cost {
    nodes: usize,
    resources: usize,
    bytes: usize,
}

fn plan(
    template: &Template<'_>,
    walk: &Walk,
    site: &Site,
    inherited: &HashMap<NodeId, Rc<Uncertainty>>,
    out: &mut Report<'_>,
) -> Plan {
    let tree = template.tree;
    let loop_key = format!("{LOOP_PREFIX}{}", site.name);
    let span_of = |node: NodeId| {
        let n = tree.node(node);
        (n.start, n.end)
    };
    let Some([identifier, collection, fragment]) = tree.items(site.value) else {
        out.error(
            site.key_span,
            format!(
                "`{loop_key}` takes a list of three items: an identifier, a collection, \
                 and a fragment `{{OutputKey: OutputValue}}`"
            ),
        );
        return Plan::Drop;
    };
    let identifier = match tree.scalar(*identifier) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => {
            out.error(
                span_of(*identifier),
                format!("the identifier of `{loop_key}` must be a string"),
            );
            return Plan::Drop;
        }
    };
    if !tree.is_map(*fragment) {
        out.error(
            span_of(*fragment),
            format!("the fragment of `{loop_key}` must be a mapping of OutputKey: OutputValue"),
        );
        return Plan::Drop;
    }
    let Some(items) = collection_items(template, *collection, &loop_key, out) else {
        return Plan::Drop;
    };
    let placeholders = [format!("${{{identifier}}}"), format!("&{{{identifier}}}")];
    let mut skipped = Vec::new();
    for (i, e) in tree.entries(*fragment).iter().enumerate() {
        if !is_loop_key(&e.key) && !placeholders.iter().any(|p| e.key.contains(p.as_str())) {
            out.error(
                (e.key_start, e.key_end),
                format!(
                    "the OutputKey `{}` of `{loop_key}` must contain `${{{identifier}}}` or \
                     `&{{{identifier}}}`, or every item generates the same key",
                    e.key
                ),
            );
            skipped.push(i);
        }
    }

    let copies = items.len();
    let resources_per_copy = if Some(site.map) == walk.resources {
        tree.entries(*fragment)
            .iter()
            .filter(|e| !is_loop_key(&e.key))
            .count()
    } else {
        0
    };
    let size = fragment_size(tree, *fragment, &identifier, &placeholders);
    // Each copy rewrites the texts that mention the identifier, with its item (at most as
    // long as the item) in place of each mention.
    let item_bytes = items.iter().fold(0usize, |n, item| match item {
        Item::Known(v) => n.saturating_add(v.len()),
        Item::Unknown(_) => n,
    });
    let cost = Cost {
        nodes: copies.saturating_mul(size.nodes),
        resources: copies.saturating_mul(resources_per_copy),
        bytes: copies
            .saturating_mul(size.text)
            .saturating_add(size.mentions.saturating_mul(item_bytes)),
    };

    // Resources a loop over an unknown collection may generate are counted with the graph's
    // other resources that may not exist (and the notes say so, with this reason); a loop
    // elsewhere (conditions, outputs, properties) gets a note of its own.
    let generates_resources = Some(site.map) == walk.resources;
    if let Some(Item::Unknown(reason)) = items
        .iter()
        .find(|i| matches!(i, Item::Unknown(_)))
        .filter(|_| !generates_resources)
    {
        out.note(
            site.key_span,
            format!(
                "`{loop_key}`: an item of the collection is not known ({reason}); what it \
                 generates is checked as one representative that may not exist"
            ),
        );
    }
    Plan::Expand(Rc::new(Loop {
        name: site.name.clone(),
        identifier,
        items,
        fragment: *fragment,
        skipped,
        inherited: inherited.get(&site.value).cloned(),
        cost,
    }))
}

/// Leaves out the loops that would take the expansion past its budget. The copies of a
/// loop (made by the loops around it) share its key's span, and go or stay together.
fn apply_budget(sites: &[Site], plans: &mut [Plan], budget: &mut Cost, out: &mut Report<'_>) {
    let mut order: Vec<(u32, u32)> = Vec::new();
    let mut groups: HashMap<(u32, u32), (String, Cost)> = HashMap::default();
    for (site, plan) in sites.iter().zip(plans.iter()) {
        if let Plan::Expand(lp) = plan {
            let (_, cost) = groups.entry(site.key_span).or_insert_with(|| {
                order.push(site.key_span);
                (site.name.clone(), Cost::default())
            });
            cost.nodes = cost.nodes.saturating_add(lp.cost.nodes);
            cost.resources = cost.resources.saturating_add(lp.cost.resources);
            cost.bytes = cost.bytes.saturating_add(lp.cost.bytes);
        }
    }
    let mut dropped: HashSet<(u32, u32)> = HashSet::default();
    for span in order {
        let Some((name, cost)) = groups.get(&span) else {
            continue;
        };
        let nodes = budget.nodes.saturating_add(cost.nodes);
        let resources = budget.resources.saturating_add(cost.resources);
        let bytes = budget.bytes.saturating_add(cost.bytes);
        let excess = if nodes > MAX_GENERATED_NODES {
            format!("make the template more than {MAX_GENERATED_NODES} nodes larger")
        } else if bytes > MAX_GENERATED_BYTES {
            format!(
                "write more than {} MiB of text with its items substituted",
                MAX_GENERATED_BYTES / (1024 * 1024)
            )
        } else if resources > MAX_GENERATED_RESOURCES {
            format!(
                "generate more than {MAX_GENERATED_RESOURCES} resources (CloudFormation \
                 allows 500 in a template)"
            )
        } else {
            *budget = Cost {
                nodes,
                resources,
                bytes,
            };
            continue;
        };
        out.error(
            span,
            format!("`{LOOP_PREFIX}{name}` would {excess}; it is not expanded"),
        );
        dropped.insert(span);
    }
    for (site, plan) in sites.iter().zip(plans.iter_mut()) {
        if dropped.contains(&site.key_span) {
            *plan = Plan::Drop;
        }
    }
}

/// The items of a collection, or `None` after reporting a collection that is not a list.
fn collection_items(
    template: &Template<'_>,
    collection: NodeId,
    loop_key: &str,
    out: &mut Report<'_>,
) -> Option<Vec<Item>> {
    let node = template.tree.node(collection);
    let at = (node.start, node.end);
    let values = match template.eval(collection, 0) {
        Some(Value::List(values)) => values,
        // One representative for what the collection holds.
        Some(Value::Unknown(u)) => return Some(vec![Item::Unknown(u.reason)]),
        other => {
            let what = match &other {
                None => "nothing (AWS::NoValue)".to_owned(),
                Some(Value::Ref(r)) => format!("the ID of {}", r.target),
                Some(v) => format!("a {}", v.type_name()),
            };
            out.error(
                at,
                format!(
                    "the collection of `{loop_key}` must be a list (written out, a \
                     CommaDelimitedList parameter, Fn::Split, ...), not {what}"
                ),
            );
            return None;
        }
    };
    let mut items = Vec::with_capacity(values.len());
    let mut unknown = false;
    for value in values {
        let item = match value {
            Value::String(s) if s.contains(STACK_REGION) => {
                Item::Unknown(Arc::from("the stack's region (pass --region to set it)"))
            }
            Value::String(s) => Item::Known(s),
            Value::Number(n) => Item::Known(n.to_string()),
            Value::Bool(b) => Item::Known(b.to_string()),
            Value::Unknown(u) => Item::Unknown(u.reason),
            Value::Ref(r) => Item::Unknown(Arc::from(format!(
                "the ID of {}, known after deployment",
                r.target
            ))),
            other => Item::Unknown(Arc::from(format!(
                "an item is a {}, not a string",
                other.type_name()
            ))),
        };
        // Unknown items are alike: one representative stands for them all.
        if matches!(item, Item::Unknown(_)) {
            if unknown {
                continue;
            }
            unknown = true;
        }
        items.push(item);
    }
    Some(items)
}

/// The size of a fragment, as one copy of it costs.
#[derive(Debug, Default, PartialEq)]
struct FragmentSize {
    /// Nodes in its subtree.
    nodes: usize,
    /// Bytes of the keys and scalars that mention the identifier (they are rewritten).
    text: usize,
    /// Mentions of the identifier: placeholders in those texts, and `Ref: Identifier`.
    mentions: usize,
}

fn fragment_size(
    tree: &Tree<'_>,
    node: NodeId,
    identifier: &str,
    placeholders: &[String; 2],
) -> FragmentSize {
    let mut size = FragmentSize::default();
    let count = |text: &str, size: &mut FragmentSize| {
        let mentions: usize = placeholders
            .iter()
            .map(|p| text.matches(p.as_str()).count())
            .sum();
        if mentions > 0 {
            size.text = size.text.saturating_add(text.len());
            size.mentions = size.mentions.saturating_add(mentions);
        }
    };
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        size.nodes += 1;
        match &tree.node(n).kind {
            NodeKind::Map(entries) => {
                if let [only] = entries.as_slice() {
                    if only.key == "Ref" && tree.scalar(only.value) == Some(identifier) {
                        size.mentions = size.mentions.saturating_add(1);
                    }
                }
                for e in entries {
                    count(&e.key, &mut size);
                    stack.push(e.value);
                }
            }
            NodeKind::Seq(items) => stack.extend(items.iter().copied()),
            NodeKind::Scalar { text, .. } => count(text, &mut size),
            NodeKind::Unknown(_) => {}
        }
    }
    size
}

/// One item of one loop, while its fragment is copied.
struct Scope {
    identifier: String,
    /// `${Identifier}` and `&{Identifier}`.
    dollar: String,
    ampersand: String,
    /// The item, and the item without non-alphanumeric characters; `None` when unknown.
    item: Option<(String, String)>,
    /// The reason of values that depend on an unknown item.
    unknown_reason: Arc<str>,
    uncertainty: Option<Rc<Uncertainty>>,
    lp: Rc<Loop>,
}

impl Scope {
    fn new(lp: &Rc<Loop>, item: &Item) -> Self {
        let identifier = lp.identifier.clone();
        let (value, reason) = match item {
            Item::Known(v) => {
                let alphanumeric: String = v.chars().filter(char::is_ascii_alphanumeric).collect();
                (Some((v.clone(), alphanumeric)), Arc::from(""))
            }
            Item::Unknown(reason) => (
                None,
                Arc::from(format!(
                    "depends on {identifier} of Fn::ForEach::{}, an item not known ({reason})",
                    lp.name
                )),
            ),
        };
        let uncertainty = match (&lp.inherited, value.is_none()) {
            (inherited, false) => inherited.clone(),
            (Some(inherited), true) => {
                let mut u = Uncertainty::clone(inherited);
                u.unknown_identifiers.push(identifier.clone());
                Some(Rc::new(u))
            }
            (None, true) => Some(Rc::new(Uncertainty {
                loop_name: lp.name.clone(),
                reason: Arc::from(format!(
                    "the collection of Fn::ForEach::{} is not known: {}",
                    lp.name,
                    match item {
                        Item::Unknown(reason) => reason.as_ref(),
                        Item::Known(_) => "",
                    }
                )),
                unknown_identifiers: vec![identifier.clone()],
            })),
        };
        Scope {
            dollar: format!("${{{identifier}}}"),
            ampersand: format!("&{{{identifier}}}"),
            identifier,
            item: value,
            unknown_reason: reason,
            uncertainty,
            lp: Rc::clone(lp),
        }
    }

    fn mentions(&self, text: &str) -> bool {
        text.contains(self.dollar.as_str()) || text.contains(self.ampersand.as_str())
    }

    /// A key with the item in place of the identifier (placeholders stay when it is unknown).
    fn key<'a>(&self, key: &Cow<'a, str>) -> Cow<'a, str> {
        match &self.item {
            Some((value, alphanumeric)) if self.mentions(key) => Cow::Owned(
                key.replace(self.dollar.as_str(), value)
                    .replace(self.ampersand.as_str(), alphanumeric),
            ),
            _ => key.clone(),
        }
    }
}

/// One step of the rebuild (children are built before their parent).
enum Task<'a> {
    Visit { old: NodeId, scope: Option<usize> },
    Seq { old: NodeId, len: usize },
    Map { old: NodeId, keys: Vec<NewKey<'a>> },
}

struct NewKey<'a> {
    key: Cow<'a, str>,
    key_start: u32,
    key_end: u32,
    /// The scope of the loop item that generated the entry, if it was generated.
    generated_by: Option<usize>,
}

/// Rebuilds the tree with this round's loops expanded.
struct Rewriter<'o, 'a, 'r, 'p> {
    old: &'o Tree<'a>,
    new: Tree<'a>,
    plans: HashMap<(NodeId, usize), Plan>,
    /// The `Resources` map of the old tree.
    resources: Option<NodeId>,
    scopes: Vec<Scope>,
    /// Uncertainty of the loops copied under an unknown item, by their value in the new tree.
    inherited: HashMap<NodeId, Rc<Uncertainty>>,
    out: &'r mut Report<'p>,
}

impl<'o, 'a, 'r, 'p> Rewriter<'o, 'a, 'r, 'p> {
    fn new(
        old: &'o Tree<'a>,
        plans: HashMap<(NodeId, usize), Plan>,
        resources: Option<NodeId>,
        out: &'r mut Report<'p>,
    ) -> Self {
        Rewriter {
            old,
            new: Tree::with_capacity(old.len()),
            plans,
            resources,
            scopes: Vec::new(),
            inherited: HashMap::default(),
            out,
        }
    }

    fn run(mut self) -> (Tree<'a>, HashMap<NodeId, Rc<Uncertainty>>) {
        let mut tasks = vec![Task::Visit {
            old: self.old.root(),
            scope: None,
        }];
        let mut built: Vec<NodeId> = Vec::new();
        while let Some(task) = tasks.pop() {
            match task {
                Task::Visit { old, scope } => self.visit(old, scope, &mut tasks, &mut built),
                Task::Seq { old, len } => {
                    let items = built.split_off(built.len().saturating_sub(len));
                    let id = self.copy_of(old, NodeKind::Seq(items));
                    built.push(id);
                }
                Task::Map { old, keys } => {
                    let values = built.split_off(built.len().saturating_sub(keys.len()));
                    let entries = self.entries(old, keys, values);
                    let id = self.copy_of(old, NodeKind::Map(entries));
                    built.push(id);
                }
            }
        }
        if let Some(root) = built.pop() {
            self.new.set_root(root);
        }
        (self.new, self.inherited)
    }

    /// A node with the span and tag of `old` and a new kind.
    fn copy_of(&mut self, old: NodeId, kind: NodeKind<'a>) -> NodeId {
        let n = self.old.node(old);
        self.new.push(Node {
            start: n.start,
            end: n.end,
            kind,
            tag: n.tag,
        })
    }

    fn visit(
        &mut self,
        old: NodeId,
        scope: Option<usize>,
        tasks: &mut Vec<Task<'a>>,
        built: &mut Vec<NodeId>,
    ) {
        let old_tree = self.old;
        let node = old_tree.node(old);
        match &node.kind {
            NodeKind::Map(entries) => {
                if let Some(id) = self.identifier_ref(old, scope) {
                    built.push(id);
                    return;
                }
                let mut keys = Vec::with_capacity(entries.len());
                let mut values = Vec::with_capacity(entries.len());
                for (index, e) in entries.iter().enumerate() {
                    let expand = match self.plans.get(&(old, index)) {
                        Some(Plan::Drop) => continue,
                        Some(Plan::Expand(lp)) => Some(Rc::clone(lp)),
                        None => None,
                    };
                    if let Some(lp) = expand {
                        self.generate(&lp, &mut keys, &mut values);
                        continue;
                    }
                    let key = match scope.and_then(|s| self.scopes.get(s)) {
                        Some(scope) => scope.key(&e.key),
                        None => e.key.clone(),
                    };
                    keys.push(NewKey {
                        key,
                        key_start: e.key_start,
                        key_end: e.key_end,
                        generated_by: None,
                    });
                    values.push((e.value, scope));
                }
                tasks.push(Task::Map { old, keys });
                tasks.extend(
                    values
                        .into_iter()
                        .rev()
                        .map(|(old, scope)| Task::Visit { old, scope }),
                );
            }
            NodeKind::Seq(items) => {
                tasks.push(Task::Seq {
                    old,
                    len: items.len(),
                });
                tasks.extend(items.iter().rev().map(|i| Task::Visit { old: *i, scope }));
            }
            NodeKind::Scalar { text, plain } => {
                let kind = match scope.and_then(|s| self.scopes.get(s)) {
                    Some(scope) if scope.mentions(text) => match &scope.item {
                        Some((value, alphanumeric)) => NodeKind::Scalar {
                            text: Cow::Owned(
                                text.replace(scope.dollar.as_str(), value)
                                    .replace(scope.ampersand.as_str(), alphanumeric),
                            ),
                            plain: *plain,
                        },
                        None => NodeKind::Unknown(Arc::clone(&scope.unknown_reason)),
                    },
                    _ => NodeKind::Scalar {
                        text: text.clone(),
                        plain: *plain,
                    },
                };
                let id = self.copy_of(old, kind);
                built.push(id);
            }
            NodeKind::Unknown(reason) => {
                let id = self.copy_of(old, NodeKind::Unknown(Arc::clone(reason)));
                built.push(id);
            }
        }
    }

    /// `Ref: Identifier` inside a fragment: the item (or an unknown value).
    fn identifier_ref(&mut self, old: NodeId, scope: Option<usize>) -> Option<NodeId> {
        let scope = self.scopes.get(scope?)?;
        let [only] = self.old.entries(old) else {
            return None;
        };
        if only.key != "Ref" || self.old.scalar(only.value) != Some(scope.identifier.as_str()) {
            return None;
        }
        let kind = match &scope.item {
            Some((value, _)) => NodeKind::Scalar {
                text: Cow::Owned(value.clone()),
                plain: false,
            },
            None => NodeKind::Unknown(Arc::clone(&scope.unknown_reason)),
        };
        let node = self.old.node(old);
        let (start, end) = (node.start, node.end);
        Some(self.new.push(Node {
            start,
            end,
            kind,
            tag: None,
        }))
    }

    /// The entries a loop generates: its fragment's, once per item.
    fn generate(
        &mut self,
        lp: &Rc<Loop>,
        keys: &mut Vec<NewKey<'a>>,
        values: &mut Vec<(NodeId, Option<usize>)>,
    ) {
        let fragment = self.old.entries(lp.fragment);
        for item in &lp.items {
            let scope = Scope::new(lp, item);
            let index = self.scopes.len();
            for (i, e) in fragment.iter().enumerate() {
                if lp.skipped.contains(&i) {
                    continue;
                }
                keys.push(NewKey {
                    key: scope.key(&e.key),
                    key_start: e.key_start,
                    key_end: e.key_end,
                    generated_by: Some(index),
                });
                values.push((e.value, Some(index)));
            }
            self.scopes.push(scope);
        }
    }

    /// The entries of a rebuilt map. A generated key that the map declares already, or that
    /// was generated before, is an error (unless it holds an unknown item's placeholder:
    /// representatives of unknown collections may coincide).
    fn entries(
        &mut self,
        old: NodeId,
        keys: Vec<NewKey<'a>>,
        values: Vec<NodeId>,
    ) -> Vec<Entry<'a>> {
        let declared: HashSet<String> = keys
            .iter()
            .filter(|k| k.generated_by.is_none())
            .map(|k| k.key.to_string())
            .collect();
        let in_resources = Some(old) == self.resources;
        let mut generated: HashSet<String> = HashSet::default();
        let mut entries = Vec::with_capacity(keys.len());
        for (k, value) in keys.into_iter().zip(values) {
            if let Some(scope) = k.generated_by.and_then(|s| self.scopes.get(s)) {
                let at = (k.key_start, k.key_end);
                let loop_key = format!("{LOOP_PREFIX}{}", scope.lp.name);
                if is_loop_key(&k.key) {
                    // A nested loop, expanded next round: it inherits this item's uncertainty.
                    if let Some(u) = &scope.uncertainty {
                        self.inherited.insert(value, Rc::clone(u));
                    }
                } else {
                    let unresolved = scope.uncertainty.as_ref().is_some_and(|u| {
                        split_placeholders(&k.key, &u.unknown_identifiers).len() > 1
                    });
                    if declared.contains(&*k.key) {
                        if !unresolved {
                            self.out.error(
                                at,
                                format!(
                                    "`{loop_key}` generates `{}`, which is also declared outside the loop",
                                    k.key
                                ),
                            );
                        }
                        continue;
                    }
                    if !generated.insert(k.key.to_string()) {
                        if !unresolved {
                            self.out.error(
                                at,
                                format!("`{loop_key}` generates `{}` more than once", k.key),
                            );
                        }
                        continue;
                    }
                    if in_resources {
                        if !unresolved && !is_alphanumeric(&k.key) {
                            self.out.error(
                                at,
                                format!(
                                    "`{loop_key}` generates the logical ID `{}`, which is not \
                                     alphanumeric; `&{{{}}}` drops the other characters of the item",
                                    k.key, scope.identifier
                                ),
                            );
                        }
                        if let Some(u) = &scope.uncertainty {
                            self.out.unseen_resource(&k.key, u);
                        }
                    }
                }
            }
            entries.push(Entry {
                key: k.key,
                key_start: k.key_start,
                key_end: k.key_end,
                value,
            });
        }
        entries
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
