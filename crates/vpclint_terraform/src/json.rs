//! Terraform's JSON configuration syntax (`.tf.json`), read into the same syntax tree ([`Body`])
//! the evaluator walks for `.tf` files, with every span pointing into the JSON file.
//!
//! Nodes built in code have no spans, so the spans come from the HCL parser
//! ([`crate::syntax::parse_body`]), run over a *shadow* text: a copy of the JSON text,
//! byte for byte the same length, in which every argument `"name": value` becomes
//! `\nNAME = value` (the key is overwritten in place by a placeholder name exactly as
//! wide, the colon by `=`) and everything else (block keys, labels, braces of block
//! bodies, commas, `"//"` comments) becomes spaces. A JSON value is already HCL expression syntax (strings are templates in
//! both), so the value bytes stay where they are, and the parser's byte ranges for the parsed
//! arguments and every expression inside them are byte ranges of the JSON file. The shadow
//! text parses once, as one flat body of arguments in document order; the block structure
//! (which the JSON schema decides, not the syntax) is then rebuilt around them by moving
//! each parsed argument into its block. Block headers are recorded separately
//! ([`JsonBody::headers`]), as built blocks have no spans.
//!
//! A few values are rewritten in place, always to text no longer than the original:
//! strings holding escapes HCL spells differently (`\/`, or `\"` inside `${ }`), and values
//! Terraform reads as expressions written in a string (`"type": "list(string)"`,
//! `"provider": "aws.west"`, `depends_on`, module `providers`), whose quotes are blanked.

use std::ops::Range;

use crate::syntax::{Attribute, Block, BlockLabel, Body, Decorated, Expression, Ident};
use jsonc_parser::ast::{Object, ObjectProp, ObjectPropName, StringLit, Value as Json};
use jsonc_parser::common::Ranged;
use vpclint_graph::IndexMap;

/// A `.tf.json` file read into an HCL body.
pub(crate) struct JsonBody {
    pub body: Body,
    /// The header of each top-level block of `body`, in order (the innermost label key,
    /// or the block type key for `locals`): built blocks have no spans of their own.
    pub headers: Vec<Range<usize>>,
    /// Problems that leave the rest of the file usable (an unknown block type, a property
    /// that is not a valid argument name).
    pub errors: Vec<JsonError>,
}

/// A located problem in a `.tf.json` file (byte range, message).
#[derive(Debug)]
pub(crate) struct JsonError {
    pub range: Range<usize>,
    pub message: String,
}

impl JsonError {
    fn new(range: Range<usize>, message: impl Into<String>) -> Self {
        JsonError {
            range,
            message: message.into(),
        }
    }
}

/// How an argument's JSON value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueMode {
    /// An expression: strings are templates (`"${var.x}"`).
    Expression,
    /// A literal value (a variable's `default`): strings are not templates.
    Literal,
    /// Strings hold expressions (`"list(string)"`, `"aws.west"`, `["aws_vpc.a"]`).
    StringExpression,
}

/// What a block body may contain.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    /// Resources, data sources, providers, nested blocks: the generic schema.
    Generic,
    Variable,
    Output,
    Module,
}

/// Nested block types vpclint reads (or must not mistake for arguments), with their
/// number of labels. A property with one of these names whose value is not an object (or
/// an array of objects) is an argument after all (`condition` in a `validation` block).
const NESTED_BLOCKS: &[(&str, usize)] = &[
    ("route", 0),
    ("ingress", 0),
    ("egress", 0),
    ("statement", 0),
    ("condition", 0),
    ("principals", 0),
    ("not_principals", 0),
    ("accepter", 0),
    ("requester", 0),
    ("dynamic", 1),
    ("content", 0),
    ("lifecycle", 0),
    ("precondition", 0),
    ("postcondition", 0),
    ("provisioner", 1),
    ("connection", 0),
    ("timeouts", 0),
    ("validation", 0),
    ("dns_options", 0),
    ("subnet_configuration", 0),
    ("default_tags", 0),
    ("assume_role", 0),
];

/// Top-level block types with their number of labels and body kind.
fn top_level(name: &str) -> Option<(&'static str, usize, BodyKind)> {
    Some(match name {
        "resource" => ("resource", 2, BodyKind::Generic),
        "data" => ("data", 2, BodyKind::Generic),
        "variable" => ("variable", 1, BodyKind::Variable),
        "output" => ("output", 1, BodyKind::Output),
        "module" => ("module", 1, BodyKind::Module),
        "provider" => ("provider", 1, BodyKind::Generic),
        _ => return None,
    })
}

/// Top-level block types vpclint does not evaluate.
const IGNORED_TOP_LEVEL: &[&str] = &["terraform", "moved", "import", "removed", "check", "//"];

/// Where an argument's parsed attribute goes, and how its value is finished.
enum Item {
    Argument {
        /// Start of the argument's key (its opening quote) in the shadow text.
        name_start: usize,
        /// The argument's name (the shadow text holds a placeholder).
        name: Ident,
        /// For a `Literal` value holding `${` or `%{`: the value built in code (HCL would
        /// read those as templates).
        literal: Option<Expression>,
    },
    Block {
        ident: &'static str,
        labels: Vec<String>,
        items: Vec<Item>,
    },
}

/// Reads a `.tf.json` file. `Err` when the file is not JSON or its arguments do not parse
/// as HCL expressions (the first problem, located).
pub(crate) fn parse(text: &str) -> Result<JsonBody, JsonError> {
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
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        let r = e.range();
        JsonError::new(r.start..r.end, format!("syntax error: {}", e.kind()))
    })?;
    let Some(Json::Object(root)) = parsed.value else {
        let range = parsed.value.as_ref().map_or(0..0, |v| {
            let r = v.range();
            r.start..r.end
        });
        return Err(JsonError::new(
            range,
            "a Terraform JSON configuration must be a JSON object",
        ));
    };

    let mut shadow = Shadow {
        text,
        bytes: vec![b' '; text.len()],
        errors: Vec::new(),
        placeholders: Default::default(),
    };
    let mut blocks = Vec::new();
    let mut headers = Vec::new();
    for prop in &root.properties {
        let name = prop.name.as_str();
        let key = key_range(prop);
        if name == "locals" {
            for obj in shadow.objects(&prop.value, "locals") {
                let items = obj
                    .properties
                    .iter()
                    .filter(|p| p.name.as_str() != "//")
                    .filter_map(|p| shadow.argument(p, ValueMode::Expression))
                    .collect();
                blocks.push(Item::Block {
                    ident: "locals",
                    labels: Vec::new(),
                    items,
                });
                headers.push(key.clone());
            }
        } else if let Some((ident, labels, kind)) = top_level(name) {
            shadow.labeled_blocks(
                &prop.value,
                ident,
                labels,
                kind,
                &mut Vec::new(),
                key.clone(),
                &mut |item, header| {
                    blocks.push(item);
                    headers.push(header);
                },
            );
        } else if !IGNORED_TOP_LEVEL.contains(&name) {
            shadow.errors.push(JsonError::new(
                key,
                format!("unsupported block type \"{name}\"; it is ignored"),
            ));
        }
    }

    let Shadow { bytes, errors, .. } = shadow;
    let shadow_text = String::from_utf8(bytes)
        .map_err(|_| JsonError::new(0..0, "internal error: rewritten JSON is not valid UTF-8"))?;
    let flat = crate::syntax::parse_body(&shadow_text).map_err(|e| {
        let start = e.offset().min(text.len());
        JsonError::new(
            start..(start + 1).min(text.len()),
            format!("syntax error in an expression: {}", e.message()),
        )
    })?;
    let mut arguments = flat.into_attributes();
    let mut body = Body::new();
    for item in blocks {
        if let Some(block) = assemble_block(item, &mut arguments)? {
            body.push(block);
        }
    }
    Ok(JsonBody {
        body,
        headers,
        errors,
    })
}

/// Builds a block from its plan, moving its arguments out of the flat parsed body (which
/// holds them in the same document order).
fn assemble_block(
    item: Item,
    arguments: &mut impl Iterator<Item = Attribute>,
) -> Result<Option<Block>, JsonError> {
    let Item::Block {
        ident,
        labels,
        items,
    } = item
    else {
        return Ok(None);
    };
    let mut block = Block::new(Ident::new_unchecked(ident));
    block.labels = labels
        .into_iter()
        .map(|l| BlockLabel::String(Decorated::new(l)))
        .collect();
    for item in items {
        match item {
            Item::Argument {
                name_start,
                name,
                literal,
            } => {
                let Some(mut attr) = arguments.next() else {
                    return Err(JsonError::new(
                        name_start..name_start,
                        "internal error: argument missing from the rewritten JSON",
                    ));
                };
                let found = crate::syntax::Span::span(&attr).map(|r| r.start);
                if found != Some(name_start) {
                    return Err(JsonError::new(
                        name_start..name_start,
                        "internal error: arguments out of order in the rewritten JSON",
                    ));
                }
                attr.key = Decorated::new(name);
                if let Some(literal) = literal {
                    attr.value = literal;
                }
                block.body.push(attr);
            }
            nested @ Item::Block { .. } => {
                if let Some(b) = assemble_block(nested, arguments)? {
                    block.body.push(b);
                }
            }
        }
    }
    Ok(Some(block))
}

/// The shadow text being written, and the problems found on the way.
struct Shadow<'t> {
    text: &'t str,
    bytes: Vec<u8>,
    errors: Vec<JsonError>,
    /// Placeholder argument names handed out so far, by width.
    placeholders: std::collections::HashMap<usize, usize>,
}

fn range_of(r: jsonc_parser::common::Range) -> Range<usize> {
    r.start..r.end
}

/// The property name's range, quotes included.
fn key_range(prop: &ObjectProp<'_>) -> Range<usize> {
    match &prop.name {
        ObjectPropName::String(s) => range_of(s.range),
        ObjectPropName::Word(w) => range_of(w.range),
    }
}

impl<'t> Shadow<'t> {
    /// The objects a block-valued property holds: one object, or an array of objects.
    fn objects<'j, 'a>(&mut self, value: &'j Json<'a>, what: &str) -> Vec<&'j Object<'a>> {
        match value {
            Json::Object(o) => vec![o],
            Json::Array(a) => a
                .elements
                .iter()
                .filter_map(|e| match e {
                    Json::Object(o) => Some(o),
                    other => {
                        self.errors.push(JsonError::new(
                            range_of(other.range()),
                            format!("a {what} block must be a JSON object"),
                        ));
                        None
                    }
                })
                .collect(),
            other => {
                self.errors.push(JsonError::new(
                    range_of(other.range()),
                    format!("a {what} block must be a JSON object or an array of objects"),
                ));
                Vec::new()
            }
        }
    }

    /// Blocks with `labels_left` more labels to read as nested object keys, then a body.
    #[allow(clippy::too_many_arguments)]
    fn labeled_blocks(
        &mut self,
        value: &Json<'_>,
        ident: &'static str,
        labels_left: usize,
        kind: BodyKind,
        labels: &mut Vec<String>,
        header: Range<usize>,
        emit: &mut dyn FnMut(Item, Range<usize>),
    ) {
        for obj in self.objects(value, ident) {
            if labels_left == 0 {
                let items = self.body(obj, kind);
                emit(
                    Item::Block {
                        ident,
                        labels: labels.clone(),
                        items,
                    },
                    header.clone(),
                );
                continue;
            }
            for prop in &obj.properties {
                if prop.name.as_str() == "//" {
                    continue;
                }
                labels.push(prop.name.as_str().to_owned());
                self.labeled_blocks(
                    &prop.value,
                    ident,
                    labels_left - 1,
                    kind,
                    labels,
                    key_range(prop),
                    emit,
                );
                labels.pop();
            }
        }
    }

    /// The items of one block body.
    fn body(&mut self, obj: &Object<'_>, kind: BodyKind) -> Vec<Item> {
        let mut items = Vec::new();
        for prop in &obj.properties {
            let name = prop.name.as_str();
            if name == "//" {
                continue;
            }
            if kind == BodyKind::Generic || matches!(name, "validation" | "precondition") {
                if let Some((ident, labels)) = nested_block(name, &prop.value) {
                    let mut nested = Vec::new();
                    self.labeled_blocks(
                        &prop.value,
                        ident,
                        labels,
                        BodyKind::Generic,
                        &mut Vec::new(),
                        key_range(prop),
                        &mut |item, _| nested.push(item),
                    );
                    items.extend(nested);
                    continue;
                }
            }
            let mode = match (kind, name) {
                (BodyKind::Variable, "default") => ValueMode::Literal,
                (BodyKind::Variable, "type")
                | (_, "depends_on" | "provider" | "ignore_changes" | "replace_triggered_by")
                | (BodyKind::Module, "providers")
                | (BodyKind::Generic, "iterator") => ValueMode::StringExpression,
                _ => ValueMode::Expression,
            };
            if let Some(item) = self.argument(prop, mode) {
                items.push(item);
            }
        }
        items
    }

    /// Writes one argument into the shadow text.
    fn argument(&mut self, prop: &ObjectProp<'_>, mode: ValueMode) -> Option<Item> {
        let key = key_range(prop);
        let name = prop.name.as_str();
        let Some(ident) = Ident::try_new(name) else {
            self.errors.push(JsonError::new(
                key,
                format!("\"{name}\" is not a valid argument name; it is ignored"),
            ));
            return None;
        };
        // The parser rejects a body that sets one name twice, and the shadow text is one body
        // for the whole file: each argument gets a name of its own there, exactly as wide
        // as the JSON key with its quotes, so the argument's span covers the key. The byte
        // before the key (`{`, `,` or white space of the enclosing block body) becomes the
        // line break that ends the previous argument.
        let Some(placeholder) = self.placeholder(key.len()) else {
            self.errors.push(JsonError::new(
                key,
                format!("too many arguments named like \"{name}\" in one file; it is ignored"),
            ));
            return None;
        };
        self.put(key.start.checked_sub(1)?, b"\n");
        self.put(key.start, placeholder.as_bytes());
        let value = range_of(prop.value.range());
        // `\nname = value`: the opening quote becomes the line break, the closing one a space.
        let colon = self
            .text
            .get(key.end..value.start)?
            .find(':')
            .map(|i| key.end + i)?;
        self.put(colon, b"=");
        let literal = (mode == ValueMode::Literal && has_template_markers(&prop.value))
            .then(|| literal_expression(&prop.value));
        if literal.is_some() {
            // HCL would read the strings as templates: parse a placeholder, and build the
            // value in code.
            let mut null = b"null".to_vec();
            null.resize(value.len().max(4), b' ');
            self.put(value.start, &null);
        } else {
            let raw_value = self.text.get(value.clone())?;
            self.put(value.start, raw_value.as_bytes());
            self.rewrite_value(&prop.value, mode);
        }
        Some(Item::Argument {
            name_start: key.start,
            name: ident,
            literal,
        })
    }

    /// The next unused placeholder argument name exactly `width` bytes wide. The first
    /// character is upper case or `_`, so no placeholder is an HCL keyword.
    fn placeholder(&mut self, width: usize) -> Option<String> {
        const FIRST: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        const REST: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
        if width == 0 {
            return None;
        }
        let counter = self.placeholders.entry(width).or_insert(0);
        let mut n = *counter;
        *counter += 1;
        let mut out = Vec::with_capacity(width);
        for _ in 1..width {
            out.push(REST.get(n % REST.len()).copied()?);
            n /= REST.len();
        }
        out.push(FIRST.get(n).copied()?);
        out.reverse();
        String::from_utf8(out).ok()
    }

    fn put(&mut self, at: usize, bytes: &[u8]) {
        if let Some(dst) = self.bytes.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    /// Rewrites the strings of a value copied into the shadow text where HCL needs it.
    fn rewrite_value(&mut self, value: &Json<'_>, mode: ValueMode) {
        match value {
            Json::StringLit(s) => self.rewrite_string(s, mode),
            Json::Array(a) => {
                for e in &a.elements {
                    self.rewrite_value(e, mode);
                }
            }
            Json::Object(o) => {
                for p in &o.properties {
                    if let ObjectPropName::String(s) = &p.name {
                        self.rewrite_string(s, mode);
                        if mode == ValueMode::StringExpression {
                            // `{ aws.peer = aws }`: a traversal key needs `=`, not `:`.
                            let (key_end, value_start) = (s.range.end, p.value.range().start);
                            if let Some(i) = self
                                .text
                                .get(key_end..value_start)
                                .and_then(|t| t.find(':'))
                            {
                                self.put(key_end + i, b"=");
                            }
                        }
                    }
                    self.rewrite_value(&p.value, mode);
                }
            }
            _ => {}
        }
    }

    fn rewrite_string(&mut self, s: &StringLit<'_>, mode: ValueMode) {
        let range = range_of(s.range);
        let Some(raw) = self.text.get(range.clone()) else {
            return;
        };
        let replacement = match mode {
            // The string's content is the expression: drop the quotes.
            ValueMode::StringExpression => format!(" {} ", s.value),
            _ if !raw.contains('\\') => return,
            _ => hcl_quoted(&s.value),
        };
        if replacement.len() > range.len() {
            self.errors.push(JsonError::new(
                range,
                "this string uses an escape vpclint cannot read (\\b or \\f); it is read as null",
            ));
            let mut null = b"null".to_vec();
            null.resize(s.range.end - s.range.start, b' ');
            self.put(s.range.start, &null);
            return;
        }
        let mut bytes = replacement.into_bytes();
        bytes.resize(range.len(), b' ');
        self.put(range.start, &bytes);
    }
}

/// A nested block's type and label count, when `name` is one and `value` looks like a block.
fn nested_block(name: &str, value: &Json<'_>) -> Option<(&'static str, usize)> {
    let (ident, labels) = NESTED_BLOCKS.iter().find(|(n, _)| *n == name)?;
    let is_block = match value {
        Json::Object(_) => true,
        Json::Array(a) => {
            !a.elements.is_empty() && a.elements.iter().all(|e| e.as_object().is_some())
        }
        _ => false,
    };
    is_block.then_some((*ident, *labels))
}

/// A template (the decoded JSON string) written as an HCL quoted template: literal parts
/// escaped, interpolations and directives as written (inside `${ }` a quote is a quote).
fn hcl_quoted(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 2);
    out.push('"');
    let mut chars = template.chars().peekable();
    // Brace depth inside `${ }` / `%{ }`; 0 in literal text.
    let mut depth = 0usize;
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if depth > 0 {
            out.push(c);
            match c {
                '\\' if in_string => {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => depth -= 1,
                _ => {}
            }
            continue;
        }
        match c {
            '$' | '%' if chars.peek() == Some(&c) => {
                // `$${` / `%%{` are escapes of the marker, the same in both syntaxes.
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push('{');
                chars.next();
                depth = 1;
            }
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// True when a string (or object key) of the value would read as a template in HCL.
fn has_template_markers(value: &Json<'_>) -> bool {
    let marked = |s: &str| s.contains("${") || s.contains("%{");
    match value {
        Json::StringLit(s) => marked(&s.value),
        Json::Array(a) => a.elements.iter().any(has_template_markers),
        Json::Object(o) => o
            .properties
            .iter()
            .any(|p| marked(p.name.as_str()) || has_template_markers(&p.value)),
        _ => false,
    }
}

/// A JSON value as an HCL literal expression built in code (no spans; strings are not templates).
fn literal_expression(value: &Json<'_>) -> Expression {
    match value {
        Json::StringLit(s) => Expression::from(s.value.as_ref()),
        Json::NumberLit(n) => n
            .value
            .parse::<f64>()
            .ok()
            .and_then(crate::syntax::Number::from_literal)
            .map_or(Expression::null(), Expression::from),
        Json::BooleanLit(b) => Expression::from(b.value),
        Json::NullKeyword(_) => Expression::null(),
        Json::Array(a) => Expression::Array(a.elements.iter().map(literal_expression).collect()),
        Json::Object(o) => {
            // A repeated key keeps its first place and takes its last value, as it did in
            // hcl-edit's object (a map), which this tree replaced.
            let mut items: IndexMap<&str, Expression> = IndexMap::default();
            for p in &o.properties {
                items.insert(p.name.as_str(), literal_expression(&p.value));
            }
            Expression::Object(
                items
                    .into_iter()
                    .map(|(key, value)| {
                        (
                            crate::syntax::ObjectKey::Expression(Expression::from(key)),
                            crate::syntax::ObjectValue::new(value),
                        )
                    })
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> JsonBody {
        match parse(text) {
            Ok(b) => b,
            Err(e) => panic!("{e:?} in {text}"),
        }
    }

    fn span_text<'t>(text: &'t str, node: &impl crate::syntax::Span) -> &'t str {
        node.span().and_then(|r| text.get(r)).unwrap_or("<no span>")
    }

    #[test]
    fn arguments_keep_their_json_spans() {
        let text = r#"{"resource":{"aws_vpc":{"a":{"cidr_block":"10.0.0.0/16"},"b":{"cidr_block": "${var.x}", "tags": {"Name": "b"}}}},
 "variable": {"x": {"type": "string", "default": "10.1.0.0/16"}}}"#;
        let json = read(text);
        let blocks: Vec<&Block> = json.body.blocks().collect();
        assert_eq!(blocks.len(), 3);
        let labels: Vec<Vec<&str>> = blocks
            .iter()
            .map(|b| b.labels.iter().map(|l| l.as_str()).collect())
            .collect();
        assert_eq!(
            labels,
            [vec!["aws_vpc", "a"], vec!["aws_vpc", "b"], vec!["x"]]
        );
        let b = blocks[1];
        let cidr = b.body.get_attribute("cidr_block").expect("cidr_block");
        assert_eq!(span_text(text, cidr), "\"cidr_block\": \"${var.x}\"");
        assert_eq!(span_text(text, &cidr.value), "\"${var.x}\"");
        assert!(matches!(cidr.value, Expression::StringTemplate(_)));
        let tags = b.body.get_attribute("tags").expect("tags");
        assert_eq!(span_text(text, &tags.value), "{\"Name\": \"b\"}");
        let headers: Vec<&str> = json
            .headers
            .iter()
            .filter_map(|r| text.get(r.clone()))
            .collect();
        assert_eq!(headers, ["\"a\"", "\"b\"", "\"x\""]);
        let ty = blocks[2].body.get_attribute("type").expect("type");
        assert!(matches!(&ty.value, Expression::Variable(v) if v.as_str() == "string"));
    }

    #[test]
    fn nested_blocks_are_known_by_name() {
        let text = r#"{"resource": {"aws_security_group": {"sg": {
  "//": "a comment",
  "ingress": [{"from_port": 443}, {"from_port": 80}],
  "egress": {"from_port": 0},
  "dynamic": {"ingress": {"for_each": "${var.ports}", "iterator": "port", "content": {"from_port": "${port.value}"}}},
  "provider": "aws.west",
  "depends_on": ["aws_vpc.a"]
}}}}"#;
        let json = read(text);
        let sg = json.body.blocks().next().expect("block");
        assert_eq!(sg.body.get_blocks("ingress").count(), 2);
        assert_eq!(sg.body.get_blocks("egress").count(), 1);
        let dynamic = sg.body.get_blocks("dynamic").next().expect("dynamic");
        assert_eq!(dynamic.labels.first().map(|l| l.as_str()), Some("ingress"));
        assert!(dynamic
            .body
            .get_attribute("iterator")
            .is_some_and(|a| a.value.as_variable().is_some_and(|v| v.as_str() == "port")));
        assert_eq!(dynamic.body.get_blocks("content").count(), 1);
        let provider = sg.body.get_attribute("provider").expect("provider");
        assert!(matches!(provider.value, Expression::Traversal(_)));
        assert_eq!(span_text(text, &provider.value), "aws.west");
        assert!(sg.body.get_attribute("//").is_none());
    }

    #[test]
    fn escapes_and_literals() {
        let text = r#"{"locals": {"a": "x\/y", "b": "${lookup(var.m, \"k\", \"d\")}", "c": "q\"${1}\""},
 "variable": {"v": {"default": {"k": "${not a template}"}}}}"#;
        let json = read(text);
        let locals = json.body.blocks().next().expect("locals");
        let a = locals.body.get_attribute("a").expect("a");
        assert!(matches!(&a.value, Expression::String(s) if s.as_str() == "x/y"));
        assert!(locals.body.get_attribute("b").is_some());
        assert!(locals.body.get_attribute("c").is_some());
        let v = json.body.blocks().nth(1).expect("variable");
        let default = v.body.get_attribute("default").expect("default");
        assert!(matches!(&default.value, Expression::Object(_)));
        assert!(json.errors.is_empty(), "{:?}", json.errors);
    }

    #[test]
    fn errors_are_located() {
        let e = parse("{\"resource\": {\"aws_vpc\": {\"a\": {\"cidr_block\": }}}}")
            .err()
            .expect("error");
        assert_eq!(e.range.start, 46);
        let e = parse("{\"locals\": {\"a\": \"${1 +}\"}}")
            .err()
            .expect("error");
        assert!(e.message.contains("expression"), "{}", e.message);
        assert!((17..25).contains(&e.range.start), "{e:?}");
        let e = parse("[1]").err().expect("error");
        assert!(e.message.contains("JSON object"));
        let json = read("{\"bogus\": {}, \"terraform\": {\"required_version\": \">= 1\"}}");
        assert_eq!(json.errors.len(), 1);
    }
}
