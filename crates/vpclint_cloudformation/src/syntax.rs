//! One syntax tree for YAML and JSON templates: every node has a byte span, short-form
//! tags are kept, nesting depth is bounded, and the tree is built with an explicit stack.
//!
//! A short-form intrinsic (`!GetAtt Vpc.CidrBlock`) becomes the long form it stands for:
//! a one-entry map `{"Fn::GetAtt": "Vpc.CidrBlock"}` whose key span is the tag and whose
//! node remembers the tag as written, so the evaluator sees one shape for both formats.

use std::borrow::Cow;
use std::sync::Arc;

use granit_parser::{Event, Parser, ScalarStyle};

use crate::fast_yaml;
use crate::foreach::{Unseen, LOOP_PREFIX};
use crate::intrinsics;

/// Deepest nesting of collections accepted in a template.
pub const MAX_DEPTH: usize = 1000;

/// Index of a node in a [`Tree`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(u32);

impl NodeId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug)]
pub struct Node<'a> {
    /// Byte offsets into the file text (a tagged node starts at its tag).
    pub start: u32,
    pub end: u32,
    pub kind: NodeKind<'a>,
    /// The tag as written (`!Ref`, `!!str`), when there is one.
    pub tag: Option<&'static str>,
}

#[derive(Debug)]
pub enum NodeKind<'a> {
    /// A scalar, kept as text. `plain` is true for unquoted YAML scalars and for JSON
    /// numbers, booleans and `null`: only those may be read as null, booleans or numbers.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Vec<NodeId>),
    Map(Vec<Entry<'a>>),
    /// A value the `Fn::ForEach` expansion cannot know (it depends on an item of a
    /// collection that is not known), with the reason. Never produced by parsing.
    Unknown(Arc<str>),
}

#[derive(Debug)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_start: u32,
    pub key_end: u32,
    pub value: NodeId,
}

/// A parsed document. Nodes live in one vector, so dropping a deep tree does not recurse.
#[derive(Debug)]
pub struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    root: NodeId,
    /// Whether a map key starts with `Fn::ForEach::` (noted while parsing: most templates
    /// have no loop, and looking at every key again costs 1% of a run).
    loop_keys: bool,
    /// What `Fn::ForEach` loops over unknown collections may generate (empty unless the
    /// template has such loops; see the `foreach` module).
    unseen: Unseen,
}

/// A syntax error with the byte range it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

impl SyntaxError {
    fn new(message: impl Into<String>, start: usize, end: usize) -> Self {
        SyntaxError {
            message: message.into(),
            start,
            end: end.max(start),
        }
    }
}

fn off(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Tree<'a> {
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The node for an id minted by this tree. Ids never cross trees; an unknown id
    /// yields a shared empty scalar rather than a panic.
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        static EMPTY: Node<'static> = Node {
            start: 0,
            end: 0,
            kind: NodeKind::Scalar {
                text: Cow::Borrowed(""),
                plain: true,
            },
            tag: None,
        };
        self.nodes.get(id.index()).unwrap_or(&EMPTY)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn entries(&self, id: NodeId) -> &[Entry<'a>] {
        match &self.node(id).kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self, id: NodeId) -> Option<&[NodeId]> {
        match &self.node(id).kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.node(id).kind, NodeKind::Map(_))
    }

    /// The entry of a map node with this key.
    pub fn entry(&self, id: NodeId, key: &str) -> Option<&Entry<'a>> {
        self.entries(id).iter().find(|e| e.key == key)
    }

    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entry(id, key).map(|e| e.value)
    }

    /// The text of a scalar node.
    pub fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The values of every map entry with this key, anywhere in the tree, in document
    /// order of creation (for example every `Fn::ImportValue` argument).
    pub fn values_of_key<'s>(&'s self, key: &'s str) -> impl Iterator<Item = NodeId> + 's {
        self.nodes
            .iter()
            .flat_map(|n| match &n.kind {
                NodeKind::Map(entries) => entries.as_slice(),
                _ => &[],
            })
            .filter(move |e| e.key == key)
            .map(|e| e.value)
    }

    /// Every map entry of the tree, in arena order (which is not document order).
    pub(crate) fn all_entries(&self) -> impl Iterator<Item = &Entry<'a>> {
        self.nodes.iter().flat_map(|n| match &n.kind {
            NodeKind::Map(entries) => entries.as_slice(),
            _ => &[],
        })
    }

    /// Whether the tree may have `Fn::ForEach` loops (some key starts with `Fn::ForEach::`).
    pub(crate) fn has_loop_keys(&self) -> bool {
        self.loop_keys
    }

    /// Notes a key of a map entry being built.
    fn note_key(&mut self, key: &str) {
        if key.starts_with(LOOP_PREFIX) {
            self.loop_keys = true;
        }
    }

    /// What `Fn::ForEach` loops over unknown collections may generate.
    pub(crate) fn unseen(&self) -> &Unseen {
        &self.unseen
    }

    /// An empty tree to build another one into (the `Fn::ForEach` expansion): nodes are
    /// appended with [`Tree::push`], children before their parent, and the root set last.
    pub(crate) fn with_capacity(nodes: usize) -> Self {
        Tree {
            nodes: Vec::with_capacity(nodes),
            root: NodeId(0),
            loop_keys: false,
            unseen: Unseen::default(),
        }
    }

    pub(crate) fn set_root(&mut self, root: NodeId) {
        self.root = root;
    }

    pub(crate) fn set_unseen(&mut self, unseen: Unseen) {
        self.unseen = unseen;
    }

    pub(crate) fn push(&mut self, node: Node<'a>) -> NodeId {
        let id = NodeId(off(self.nodes.len()));
        self.nodes.push(node);
        id
    }
}

/// A collection's tag (as written) and the tag's byte range.
type OpenTag = (&'static str, usize, usize);

/// An open collection while building.
enum Open<'a> {
    Seq {
        start: usize,
        tag: Option<OpenTag>,
        items: Vec<NodeId>,
        flow_end: bool,
    },
    Map {
        start: usize,
        tag: Option<OpenTag>,
        entries: Vec<Entry<'a>>,
        pending_key: Option<(Cow<'a, str>, usize, usize)>,
        flow_end: bool,
    },
}

/// What a tag means to the tree.
enum TagKind {
    /// A short-form intrinsic: wrap the node as `{long_name: node}`.
    Intrinsic(&'static str, &'static str),
    /// `!!str`: the scalar is a string, never a bool or number.
    Str,
    /// Another YAML core tag (`!!int`, `!!map`, ...): accepted, meaning unchanged.
    Core(&'static str),
}

fn classify_tag(handle: &str, suffix: &str) -> Option<TagKind> {
    if handle == "!" {
        return intrinsics::by_short_tag(suffix)
            .map(|(short, long)| TagKind::Intrinsic(short, long));
    }
    if handle == "tag:yaml.org,2002:" {
        return match suffix {
            "str" => Some(TagKind::Str),
            "int" => Some(TagKind::Core("!!int")),
            "float" => Some(TagKind::Core("!!float")),
            "bool" => Some(TagKind::Core("!!bool")),
            "null" => Some(TagKind::Core("!!null")),
            "map" => Some(TagKind::Core("!!map")),
            "seq" => Some(TagKind::Core("!!seq")),
            _ => None,
        };
    }
    None
}

struct Builder<'a> {
    text: &'a str,
    tree: Tree<'a>,
    stack: Vec<Open<'a>>,
    root: Option<NodeId>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Builder {
            text,
            tree: Tree::with_capacity(0),
            stack: Vec::new(),
            root: None,
        }
    }

    /// Attaches a finished node to the innermost open collection (or makes it the root).
    fn attach(&mut self, id: NodeId, key_allowed: bool) -> Result<(), SyntaxError> {
        let (node_start, node_end, is_scalar) = {
            let n = self.tree.node(id);
            (
                n.start as usize,
                n.end as usize,
                matches!(n.kind, NodeKind::Scalar { .. }),
            )
        };
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() {
                    return Err(SyntaxError::new(
                        "more than one document in the file",
                        node_start,
                        node_end,
                    ));
                }
                self.root = Some(id);
            }
            Some(Open::Seq { items, .. }) => items.push(id),
            Some(Open::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                Some((key, key_start, key_end)) => {
                    self.tree.note_key(&key);
                    entries.push(Entry {
                        key,
                        key_start: off(key_start),
                        key_end: off(key_end),
                        value: id,
                    })
                }
                None => {
                    if !(key_allowed && is_scalar) {
                        return Err(SyntaxError::new(
                            "mapping keys must be plain strings",
                            node_start,
                            node_end,
                        ));
                    }
                    // The key's text is moved out of the scalar node we just pushed.
                    let text = match self.tree.nodes.pop() {
                        Some(Node {
                            kind: NodeKind::Scalar { text, .. },
                            ..
                        }) => text,
                        _ => Cow::Borrowed(""),
                    };
                    *pending_key = Some((text, node_start, node_end));
                }
            },
        }
        Ok(())
    }

    fn depth_check(&self, at: usize) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(SyntaxError::new(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                at,
                at + 1,
            ));
        }
        Ok(())
    }

    /// Wraps a node in its short-form intrinsic, if the tag is one, and attaches it.
    fn finish_node(
        &mut self,
        id: NodeId,
        tag: Option<(TagKind, usize, usize)>,
    ) -> Result<(), SyntaxError> {
        let Some((kind, tag_start, tag_end)) = tag else {
            return self.attach(id, true);
        };
        match kind {
            TagKind::Intrinsic(short, long) => {
                let end = self.tree.node(id).end;
                let wrapper = self.tree.push(Node {
                    start: off(tag_start),
                    end,
                    kind: NodeKind::Map(vec![Entry {
                        key: Cow::Borrowed(long),
                        key_start: off(tag_start),
                        key_end: off(tag_end),
                        value: id,
                    }]),
                    tag: Some(short),
                });
                self.attach(wrapper, false)
            }
            TagKind::Str | TagKind::Core(_) => {
                if let Some(node) = self.tree.nodes.get_mut(id.index()) {
                    node.start = node.start.min(off(tag_start));
                    node.tag = Some(encode_tag(kind));
                    if node.tag == Some("!!str") {
                        if let NodeKind::Scalar { plain, .. } = &mut node.kind {
                            *plain = false;
                        }
                    }
                }
                self.attach(id, true)
            }
        }
    }
}

/// Reads the tag of an event, or reports an unknown one.
fn event_tag(
    tag: Option<&granit_parser::Tag>,
    span: &granit_parser::Span,
    fallback: usize,
) -> Result<Option<(TagKind, usize, usize)>, SyntaxError> {
    let Some(tag) = tag else {
        return Ok(None);
    };
    let (start, end) = span
        .tag_span()
        .and_then(|t| Some((t.start.byte_offset()?, t.end.byte_offset()?)))
        .unwrap_or((fallback, fallback));
    classify_written_tag(tag.handle(), tag.suffix(), start, end)
}

/// A tag's meaning, or the error for a tag CloudFormation does not know.
fn classify_written_tag(
    handle: &str,
    suffix: &str,
    start: usize,
    end: usize,
) -> Result<Option<(TagKind, usize, usize)>, SyntaxError> {
    match classify_tag(handle, suffix) {
        Some(kind) => Ok(Some((kind, start, end))),
        None => Err(SyntaxError::new(
            format!(
                "unknown tag `{}{}`: CloudFormation accepts only its intrinsic function tags (`!Ref`, `!GetAtt`, `!Sub`, ...)",
                if handle == "!" { "!" } else { "!!" },
                suffix
            ),
            start,
            end.max(start + 1),
        )),
    }
}

fn byte_range(span: &granit_parser::Span) -> (usize, usize) {
    let start = span.start.byte_offset().unwrap_or(0);
    let end = span.end.byte_offset().unwrap_or(start);
    (start, end.max(start))
}

impl<'a> Builder<'a> {
    fn scalar(
        &mut self,
        text: Cow<'a, str>,
        plain: bool,
        (start, end): (usize, usize),
        tag: Option<(TagKind, usize, usize)>,
    ) -> Result<(), SyntaxError> {
        let id = self.tree.push(Node {
            start: off(start),
            end: off(end),
            kind: NodeKind::Scalar { text, plain },
            tag: None,
        });
        self.finish_node(id, tag)
    }

    fn open_sequence(
        &mut self,
        start: usize,
        flow: bool,
        tag: Option<(TagKind, usize, usize)>,
    ) -> Result<(), SyntaxError> {
        self.depth_check(start)?;
        self.stack.push(Open::Seq {
            start,
            tag: tag.map(|(kind, s, e)| (encode_tag(kind), s, e)),
            items: Vec::new(),
            flow_end: flow,
        });
        Ok(())
    }

    fn open_mapping(
        &mut self,
        start: usize,
        flow: bool,
        tag: Option<(TagKind, usize, usize)>,
    ) -> Result<(), SyntaxError> {
        self.depth_check(start)?;
        self.stack.push(Open::Map {
            start,
            tag: tag.map(|(kind, s, e)| (encode_tag(kind), s, e)),
            entries: Vec::new(),
            pending_key: None,
            flow_end: flow,
        });
        Ok(())
    }
}

/// Parses a YAML template into a tree.
///
/// Most templates are read by [`fast_yaml`], several times faster; a text it gives up on,
/// or whose tree the builder rejects, is read again by granit-parser, the reference, whose
/// tree or error is the answer.
pub fn parse_yaml(text: &str) -> Result<Tree<'_>, SyntaxError> {
    fast_yaml_tree(text).or_else(|()| parse_yaml_with_granit(text))
}

/// The tree from [`fast_yaml`]'s events, or `Err` to ask granit-parser.
fn fast_yaml_tree(text: &str) -> Result<Tree<'_>, ()> {
    use fast_yaml::Event as E;
    let events = fast_yaml::events(text).map_err(|_| ())?;
    let classify = |tag: Option<fast_yaml::Tag<'_>>| match tag {
        None => Ok(None),
        Some(t) => classify_written_tag(t.handle, t.suffix, t.start, t.end),
    };
    let mut b = Builder::new(text);
    for event in events {
        let done = match event {
            E::Scalar {
                text,
                plain,
                start,
                end,
                tag,
            } => classify(tag).and_then(|tag| b.scalar(text, plain, (start, end), tag)),
            E::SequenceStart { flow, start, tag } => {
                classify(tag).and_then(|tag| b.open_sequence(start, flow, tag))
            }
            E::MappingStart { flow, start, tag } => {
                classify(tag).and_then(|tag| b.open_mapping(start, flow, tag))
            }
            E::End { end } => close(&mut b, end),
        };
        done.map_err(|_| ())?;
    }
    finish(b, text).map_err(|_| ())
}

/// Parses a YAML template with granit-parser only (the reference reader; also the
/// benchmark's parse-only yardstick).
#[doc(hidden)]
pub fn parse_yaml_with_granit(text: &str) -> Result<Tree<'_>, SyntaxError> {
    let options = granit_parser::options! {
        emit_comments: false,
        flow_nesting_limit: MAX_DEPTH,
        block_nesting_limit: MAX_DEPTH,
    };
    let mut b = Builder::new(text);
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = match next {
            Ok(pair) => pair,
            Err(e) => {
                let at = e
                    .marker()
                    .byte_offset()
                    .unwrap_or_else(|| char_to_byte(text, e.marker().index()));
                let message = match e.kind() {
                    granit_parser::ErrorKind::RecursionLimitExceeded => {
                        format!("nesting deeper than {MAX_DEPTH} levels")
                    }
                    _ => e.info(),
                };
                return Err(SyntaxError::new(message, at, next_char_end(text, at)));
            }
        };
        let (start, end) = byte_range(&span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Anchor(..) => {}
            Event::DocumentStart(..) if b.root.is_some() => {
                return Err(SyntaxError::new(
                    "more than one YAML document in the file; a template is one document",
                    start,
                    next_char_end(text, start),
                ));
            }
            Event::DocumentStart(..) => {}
            Event::Alias(_) | Event::UnresolvedAlias(_) => {
                return Err(SyntaxError::new(
                    "YAML aliases are not allowed in CloudFormation templates",
                    start,
                    end,
                ));
            }
            Event::Scalar(value, style, _anchor, tag) => {
                let tag = event_tag(tag.as_deref(), &span, start)?;
                b.scalar(value, style == ScalarStyle::Plain, (start, end), tag)?;
            }
            Event::SequenceStart(style, _anchor, tag) => {
                let tag = event_tag(tag.as_deref(), &span, start)?;
                b.open_sequence(start, style == granit_parser::StructureStyle::Flow, tag)?;
            }
            Event::MappingStart(style, _anchor, tag) => {
                let tag = event_tag(tag.as_deref(), &span, start)?;
                b.open_mapping(start, style == granit_parser::StructureStyle::Flow, tag)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                close(&mut b, end)?;
            }
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
    finish(b, text)
}

fn encode_tag(kind: TagKind) -> &'static str {
    match kind {
        TagKind::Intrinsic(short, _) => short,
        TagKind::Str => "!!str",
        TagKind::Core(t) => t,
    }
}

fn decode_tag(code: &'static str) -> Option<TagKind> {
    if let Some(core) = code.strip_prefix("!!") {
        return classify_tag("tag:yaml.org,2002:", core);
    }
    code.strip_prefix('!').and_then(|s| classify_tag("!", s))
}

fn close(b: &mut Builder<'_>, end_event_end: usize) -> Result<(), SyntaxError> {
    let Some(open) = b.stack.pop() else {
        return Ok(());
    };
    let (node, tag) = match open {
        Open::Seq {
            start,
            tag,
            items,
            flow_end,
        } => {
            let end = if flow_end {
                end_event_end
            } else {
                items
                    .last()
                    .map_or(start, |last| b.tree.node(*last).end as usize)
            };
            (
                Node {
                    start: off(start),
                    end: off(end),
                    kind: NodeKind::Seq(items),
                    tag: None,
                },
                tag,
            )
        }
        Open::Map {
            start,
            tag,
            entries,
            pending_key,
            flow_end,
        } => {
            let mut entries = entries;
            if let Some((key, key_start, key_end)) = pending_key {
                // `key:` with nothing after it in a flow mapping: an empty value.
                let value = b.tree.push(Node {
                    start: off(key_end),
                    end: off(key_end),
                    kind: NodeKind::Scalar {
                        text: Cow::Borrowed(""),
                        plain: true,
                    },
                    tag: None,
                });
                b.tree.note_key(&key);
                entries.push(Entry {
                    key,
                    key_start: off(key_start),
                    key_end: off(key_end),
                    value,
                });
            }
            check_duplicates(&entries, b.text)?;
            let end = if flow_end {
                end_event_end
            } else {
                entries
                    .last()
                    .map_or(start, |last| b.tree.node(last.value).end as usize)
            };
            (
                Node {
                    start: off(start),
                    end: off(end),
                    kind: NodeKind::Map(entries),
                    tag: None,
                },
                tag,
            )
        }
    };
    let id = b.tree.push(node);
    let tag = tag.and_then(|(code, s, e)| decode_tag(code).map(|kind| (kind, s, e)));
    b.finish_node(id, tag)
}

fn check_duplicates(entries: &[Entry<'_>], text: &str) -> Result<(), SyntaxError> {
    let duplicate = if entries.len() <= 16 {
        entries.iter().enumerate().find_map(|(i, e)| {
            entries
                .get(..i)
                .and_then(|before| before.iter().find(|b| b.key == e.key))
                .map(|first| (first, e))
        })
    } else {
        let mut seen =
            vpclint_graph::HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        entries
            .iter()
            .find_map(|e| seen.insert(&*e.key, e).map(|first| (first, e)))
    };
    match duplicate {
        Some((first, again)) => Err(SyntaxError::new(
            format!(
                "duplicate key `{}` (first defined on line {}); CloudFormation rejects duplicate keys",
                again.key,
                line_of(text, first.key_start as usize)
            ),
            again.key_start as usize,
            again.key_end as usize,
        )),
        None => Ok(()),
    }
}

fn finish<'a>(b: Builder<'a>, text: &'a str) -> Result<Tree<'a>, SyntaxError> {
    let Builder { mut tree, root, .. } = b;
    match root {
        Some(root) => {
            tree.root = root;
            Ok(tree)
        }
        None => {
            let root = tree.push(Node {
                start: 0,
                end: off(text.len()),
                kind: NodeKind::Scalar {
                    text: Cow::Borrowed(""),
                    plain: true,
                },
                tag: None,
            });
            tree.root = root;
            Ok(tree)
        }
    }
}

fn line_of(text: &str, at: usize) -> usize {
    text.get(..at)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// Parses a JSON template into a tree (strict JSON: no comments, no trailing commas).
pub fn parse_json(text: &str) -> Result<Tree<'_>, SyntaxError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(bom..).unwrap_or("");
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(body, &Default::default(), &options).map_err(|e| {
        let r = e.range();
        let message = match e.kind() {
            jsonc_parser::errors::ParseErrorKind::NestingDepthExceeded => {
                format!("nesting deeper than {} levels", 512)
            }
            kind => kind.to_string(),
        };
        SyntaxError::new(message, r.start + bom, r.end + bom)
    })?;
    let Some(value) = parsed.value else {
        return Err(SyntaxError::new("empty JSON document", bom, bom));
    };
    convert_json(value, bom, text)
}

/// Converts the jsonc AST with an explicit work stack (pre-order; children fill their
/// parent's slots).
fn convert_json<'a>(
    root: jsonc_parser::ast::Value<'a>,
    base: usize,
    text: &str,
) -> Result<Tree<'a>, SyntaxError> {
    use jsonc_parser::ast::{ObjectPropName, Value as J};
    enum Slot {
        Root,
        Item(NodeId, usize),
        Value(NodeId, usize),
    }
    let mut tree = Tree::with_capacity(0);
    let mut work: Vec<(J<'_>, Slot)> = vec![(root, Slot::Root)];
    while let Some((value, slot)) = work.pop() {
        let placeholder = NodeId(u32::MAX);
        let (start, end) = {
            let r = match &value {
                J::StringLit(v) => v.range,
                J::NumberLit(v) => v.range,
                J::BooleanLit(v) => v.range,
                J::NullKeyword(v) => v.range,
                J::Object(v) => v.range,
                J::Array(v) => v.range,
            };
            (off(r.start + base), off(r.end + base))
        };
        let (kind, children): (NodeKind<'_>, Vec<(J<'_>, usize, bool)>) = match value {
            J::StringLit(v) => (
                NodeKind::Scalar {
                    text: v.value,
                    plain: false,
                },
                Vec::new(),
            ),
            J::NumberLit(v) => (
                NodeKind::Scalar {
                    text: Cow::Borrowed(v.value),
                    plain: true,
                },
                Vec::new(),
            ),
            J::BooleanLit(v) => (
                NodeKind::Scalar {
                    text: Cow::Borrowed(if v.value { "true" } else { "false" }),
                    plain: true,
                },
                Vec::new(),
            ),
            J::NullKeyword(_) => (
                NodeKind::Scalar {
                    text: Cow::Borrowed("null"),
                    plain: true,
                },
                Vec::new(),
            ),
            J::Array(a) => (
                NodeKind::Seq(vec![placeholder; a.elements.len()]),
                a.elements
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (v, i, false))
                    .collect(),
            ),
            J::Object(o) => {
                let mut entries = Vec::with_capacity(o.properties.len());
                let mut children = Vec::with_capacity(o.properties.len());
                for (i, prop) in o.properties.into_iter().enumerate() {
                    let (key, range) = match prop.name {
                        ObjectPropName::String(s) => (s.value, s.range),
                        ObjectPropName::Word(w) => (Cow::Borrowed(w.value), w.range),
                    };
                    tree.note_key(&key);
                    entries.push(Entry {
                        key,
                        key_start: off(range.start + base),
                        key_end: off(range.end + base),
                        value: placeholder,
                    });
                    children.push((prop.value, i, true));
                }
                check_duplicates(&entries, text)?;
                (NodeKind::Map(entries), children)
            }
        };
        let id = tree.push(Node {
            start,
            end,
            kind,
            tag: None,
        });
        match slot {
            Slot::Root => tree.root = id,
            Slot::Item(parent, i) | Slot::Value(parent, i) => {
                if let Some(parent) = tree.nodes.get_mut(parent.index()) {
                    match &mut parent.kind {
                        NodeKind::Seq(items) => {
                            if let Some(s) = items.get_mut(i) {
                                *s = id;
                            }
                        }
                        NodeKind::Map(entries) => {
                            if let Some(e) = entries.get_mut(i) {
                                e.value = id;
                            }
                        }
                        NodeKind::Scalar { .. } | NodeKind::Unknown(_) => {}
                    }
                }
            }
        }
        // Push in reverse so children are created in document order.
        for (child, i, is_value) in children.into_iter().rev() {
            let slot = if is_value {
                Slot::Value(id, i)
            } else {
                Slot::Item(id, i)
            };
            work.push((child, slot));
        }
    }
    Ok(tree)
}

/// The differential check the tests and the fuzz target run: when [`fast_yaml`] reads a
/// text, its tree is granit-parser's, spans included (and granit-parser accepts the text).
/// `Err` describes the disagreement.
#[doc(hidden)]
pub fn check_yaml_against_granit(text: &str) -> Result<(), String> {
    let Ok(fast) = fast_yaml_tree(text) else {
        return Ok(());
    };
    let reference = parse_yaml_with_granit(text)
        .map_err(|e| format!("the fast reader accepts a text granit-parser rejects: {e:?}"))?;
    let (ours, theirs) = (format!("{fast:#?}"), format!("{reference:#?}"));
    if ours == theirs {
        return Ok(());
    }
    let line = ours
        .lines()
        .zip(theirs.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let window = |s: &str| {
        s.lines()
            .skip(line.saturating_sub(12))
            .take(16)
            .collect::<Vec<_>>()
            .join("\n")
    };
    Err(format!(
        "trees differ\n--- fast reader\n{}\n--- granit-parser\n{}",
        window(&ours),
        window(&theirs)
    ))
}

/// Whether the fast reader reads `text` (for the tests' coverage checks).
#[doc(hidden)]
pub fn fast_yaml_reads(text: &str) -> bool {
    fast_yaml_tree(text).is_ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn text_of<'t>(src: &'t str, tree: &Tree<'_>, id: NodeId) -> &'t str {
        let n = tree.node(id);
        &src[n.start as usize..n.end as usize]
    }

    #[test]
    fn yaml_spans_and_short_tags() {
        let src = "a: !Ref X\nb:\n  - 1\n  - !GetAtt [A, B]\nc: 'q'\n";
        let tree = parse_yaml(src).unwrap();
        let root = tree.root();
        let a = tree.get(root, "a").unwrap();
        assert_eq!(text_of(src, &tree, a), "!Ref X");
        assert_eq!(tree.node(a).tag, Some("!Ref"));
        let e = &tree.entries(a)[0];
        assert_eq!(e.key, "Ref");
        assert_eq!(&src[e.key_start as usize..e.key_end as usize], "!Ref");
        assert_eq!(tree.scalar(e.value), Some("X"));
        let b = tree.get(root, "b").unwrap();
        assert_eq!(text_of(src, &tree, b), "- 1\n  - !GetAtt [A, B]");
        let items = tree.items(b).unwrap();
        let getatt = tree.entries(items[1])[0].value;
        assert_eq!(tree.entries(items[1])[0].key, "Fn::GetAtt");
        assert_eq!(text_of(src, &tree, getatt), "[A, B]");
        let c = tree.get(root, "c").unwrap();
        assert!(matches!(
            tree.node(c).kind,
            NodeKind::Scalar { plain: false, .. }
        ));
        let entry = tree.entry(root, "c").unwrap();
        assert_eq!(&src[entry.key_start as usize..entry.key_end as usize], "c");
        assert_eq!(text_of(src, &tree, root), &src[..src.len() - 1]);
    }

    #[test]
    fn tagged_block_collection_span_starts_at_tag() {
        let src = "x: !Sub\n  - '${A}'\n  - A: 1\n";
        let tree = parse_yaml(src).unwrap();
        let x = tree.get(tree.root(), "x").unwrap();
        assert_eq!(text_of(src, &tree, x), "!Sub\n  - '${A}'\n  - A: 1");
        assert_eq!(tree.entries(x)[0].key, "Fn::Sub");
    }

    #[test]
    fn unknown_tag_is_located() {
        let src = "a: !Uppercase x\n";
        let err = parse_yaml(src).unwrap_err();
        assert!(err.message.contains("unknown tag `!Uppercase`"), "{err:?}");
        assert_eq!(&src[err.start..err.end], "!Uppercase");
    }

    #[test]
    fn core_str_tag_makes_a_string() {
        let tree = parse_yaml("a: !!str true\n").unwrap();
        let a = tree.get(tree.root(), "a").unwrap();
        assert!(matches!(
            tree.node(a).kind,
            NodeKind::Scalar { plain: false, .. }
        ));
    }

    #[test]
    fn duplicate_keys_are_located() {
        let src = "a: 1\nb: 2\na: 3\n";
        let err = parse_yaml(src).unwrap_err();
        assert!(err.message.contains("duplicate key `a`"));
        assert_eq!(err.start, 10);
        let src = "{\"a\": 1, \"a\": 2}";
        let err = parse_json(src).unwrap_err();
        assert!(err.message.contains("duplicate key `a`"));
        assert_eq!(&src[err.start..err.end], "\"a\"");
    }

    #[test]
    fn aliases_are_rejected() {
        let src = "a: &x [1]\nb: *x\n";
        let err = parse_yaml(src).unwrap_err();
        assert!(err.message.contains("aliases are not allowed"));
        assert_eq!(&src[err.start..err.end], "*x");
    }

    #[test]
    fn deep_flow_and_block_nesting_end_in_a_located_error() {
        let deep = "[".repeat(10_000);
        let err = parse_yaml(&deep).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{err:?}");
        let mut block = String::new();
        for i in 0..10_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        let err = parse_yaml(&block).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{err:?}");
        let mut seq = String::new();
        for i in 0..10_000 {
            seq.push_str(&" ".repeat(i * 2));
            seq.push_str("- \n");
        }
        assert!(parse_yaml(&seq).is_err());
        let json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_json(&json).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{err:?}");
    }

    #[test]
    fn nesting_within_the_limit_parses() {
        let src = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        assert!(parse_yaml(&src).is_ok());
        assert!(parse_json(&src).is_ok());
    }

    #[test]
    fn json_spans_and_plain_flags() {
        let src = "\u{feff}{\"a\": [1, \"x\", true, null], \"b\": {\"Ref\": \"V\"}}";
        let tree = parse_json(src).unwrap();
        let root = tree.root();
        let a = tree.get(root, "a").unwrap();
        assert_eq!(text_of(src, &tree, a), "[1, \"x\", true, null]");
        let items = tree.items(a).unwrap();
        assert!(matches!(
            tree.node(items[0]).kind,
            NodeKind::Scalar { plain: true, .. }
        ));
        assert!(matches!(
            tree.node(items[1]).kind,
            NodeKind::Scalar { plain: false, .. }
        ));
        assert_eq!(tree.scalar(items[3]), Some("null"));
        let b = tree.get(root, "b").unwrap();
        assert_eq!(text_of(src, &tree, b), "{\"Ref\": \"V\"}");
        let e = tree.entry(root, "b").unwrap();
        assert_eq!(&src[e.key_start as usize..e.key_end as usize], "\"b\"");
    }

    #[test]
    fn bom_and_syntax_errors_are_located() {
        assert!(parse_yaml("\u{feff}a: 1\n").is_ok());
        let src = "a: [1, 2\nb: 3\n";
        let err = parse_yaml(src).unwrap_err();
        assert!(err.start <= src.len());
        let err = parse_json("{\"a\": }").unwrap_err();
        assert_eq!(err.start, 6);
    }

    #[test]
    fn multiple_documents_are_rejected() {
        assert!(parse_yaml("a: 1\n---\nb: 2\n").is_err());
    }
}
