//! The HCL native syntax tree the Terraform front end evaluates.
//!
//! Its shape and names follow hcl-edit's (`Expression`, `Body`, `Decorated`, …), so that a
//! tree hcl-edit parses converts one to one ([`super::convert`]) and the differential tests
//! can compare the two parsers node for node, spans included. Unlike hcl-edit's tree it keeps
//! no whitespace or comments (the evaluator reads none), which is what makes
//! [`super::parser`] several times faster than hcl-edit's lossless parser.

use std::ops::{Deref, Range};

pub use hcl_edit::expr::{BinaryOperator, UnaryOperator};

/// A byte range of the source text, or none for a node built in code.
///
/// Not part of a node's value: any two ranges compare equal, so two nodes are equal when they
/// are written alike anywhere (as in hcl-edit, whose duplicate object key check relies on it).
/// Tests that compare spans compare the `Debug` output, which shows them.
#[derive(Clone, Copy)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    const NONE: TextRange = TextRange {
        start: u32::MAX,
        end: u32::MAX,
    };

    /// The range `start..end` (sources are capped far below 4 GiB; larger offsets saturate).
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX - 1);
        TextRange {
            start: clamp(start),
            end: clamp(end),
        }
    }

    pub fn from_range(range: Option<Range<usize>>) -> Self {
        range.map_or(Self::NONE, |r| Self::new(r.start, r.end))
    }

    pub fn get(self) -> Option<Range<usize>> {
        (self.start != u32::MAX).then_some(self.start as usize..self.end as usize)
    }
}

impl PartialEq for TextRange {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for TextRange {}

impl Default for TextRange {
    fn default() -> Self {
        Self::NONE
    }
}

impl std::fmt::Debug for TextRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.get() {
            Some(r) => write!(f, "{r:?}"),
            None => f.write_str("-"),
        }
    }
}

/// A node's byte range in its source, if it came from one.
pub trait Span {
    fn span(&self) -> Option<Range<usize>>;
}

impl<T: Span> Span for Box<T> {
    fn span(&self) -> Option<Range<usize>> {
        (**self).span()
    }
}

/// A value with the byte range it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Decorated<T> {
    value: T,
    pub(crate) range: TextRange,
}

/// hcl-edit distinguishes decorated and merely spanned nodes; here they are the same.
pub type Spanned<T> = Decorated<T>;

impl<T> Decorated<T> {
    /// A value built in code (no span).
    pub fn new(value: T) -> Self {
        Decorated {
            value,
            range: TextRange::NONE,
        }
    }

    pub fn spanned(value: T, range: TextRange) -> Self {
        Decorated { value, range }
    }

    pub fn value(&self) -> &T {
        &self.value
    }
}

impl<T> Deref for Decorated<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Span for Decorated<T> {
    fn span(&self) -> Option<Range<usize>> {
        self.range.get()
    }
}

/// An identifier (not checked: built from parsed text or by the front end).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident(Box<str>);

impl Ident {
    pub fn new_unchecked(name: impl Into<String>) -> Self {
        Ident(name.into().into_boxed_str())
    }

    /// The identifier `name`, or none if HCL does not allow it as one (hcl-edit's rule: a
    /// letter or `_`, then letters, digits, `_` or `-`, in the Unicode XID sense).
    pub fn try_new(name: &str) -> Option<Self> {
        hcl_edit::Ident::try_new(name)
            .is_ok()
            .then(|| Ident::new_unchecked(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Ident {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// A number literal: a finite `f64` (integers past 2^53 rounded), or an infinity for a
/// literal beyond `f64`'s range (`1e400`), which Terraform's arbitrary-precision numbers
/// accept and vpclint evaluates as unknown. Never NaN.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(f64);

impl Number {
    pub fn from_f64(n: f64) -> Option<Number> {
        n.is_finite().then_some(Number(n))
    }

    /// A literal as read from the text: infinite when beyond `f64`'s range.
    pub fn from_literal(n: f64) -> Option<Number> {
        (!n.is_nan()).then_some(Number(n))
    }

    /// The value, when it is within `f64`'s range.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.is_finite().then_some(self.0)
    }
}

/// `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Null;

/// A `*` of a splat operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splat;

// ----- structure -----

/// A body: attributes and blocks in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    structures: Vec<Structure>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Structure {
    Attribute(Attribute),
    Block(Block),
}

impl From<Attribute> for Structure {
    fn from(a: Attribute) -> Self {
        Structure::Attribute(a)
    }
}

impl From<Block> for Structure {
    fn from(b: Block) -> Self {
        Structure::Block(b)
    }
}

impl Body {
    pub fn new() -> Self {
        Body::default()
    }

    pub fn with_capacity(n: usize) -> Self {
        Body {
            structures: Vec::with_capacity(n),
        }
    }

    pub fn push(&mut self, s: impl Into<Structure>) {
        self.structures.push(s.into());
    }

    #[cfg(test)]
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, Structure> {
        self.structures.iter()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.structures.len()
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.structures.iter().filter_map(|s| match s {
            Structure::Attribute(a) => Some(a),
            Structure::Block(_) => None,
        })
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.structures.iter().filter_map(|s| match s {
            Structure::Block(b) => Some(b),
            Structure::Attribute(_) => None,
        })
    }

    pub fn into_attributes(self) -> impl Iterator<Item = Attribute> {
        self.structures.into_iter().filter_map(|s| match s {
            Structure::Attribute(a) => Some(a),
            Structure::Block(_) => None,
        })
    }

    /// The attribute `key` (the first, should a body hold it twice).
    pub fn get_attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes().find(|a| a.key.as_str() == key)
    }

    pub fn has_attribute(&self, key: &str) -> bool {
        self.get_attribute(key).is_some()
    }

    /// The blocks of type `ident`, in document order.
    #[cfg(test)]
    pub fn get_blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> {
        self.blocks().filter(move |b| b.ident.as_str() == ident)
    }
}

impl FromIterator<Structure> for Body {
    fn from_iter<I: IntoIterator<Item = Structure>>(iter: I) -> Self {
        Body {
            structures: iter.into_iter().collect(),
        }
    }
}

/// `key = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: Decorated<Ident>,
    pub value: Expression,
    pub(crate) range: TextRange,
}

impl Span for Attribute {
    fn span(&self) -> Option<Range<usize>> {
        self.range.get()
    }
}

/// `ident "label" … { body }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ident: Decorated<Ident>,
    pub labels: Vec<BlockLabel>,
    pub body: Body,
    pub(crate) range: TextRange,
}

impl Block {
    pub fn new(ident: impl Into<Decorated<Ident>>) -> Self {
        Block {
            ident: ident.into(),
            labels: Vec::new(),
            body: Body::new(),
            range: TextRange::NONE,
        }
    }
}

impl From<Ident> for Decorated<Ident> {
    fn from(i: Ident) -> Self {
        Decorated::new(i)
    }
}

impl Span for Block {
    fn span(&self) -> Option<Range<usize>> {
        self.range.get()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockLabel {
    Ident(Decorated<Ident>),
    String(Decorated<String>),
}

impl BlockLabel {
    pub fn as_str(&self) -> &str {
        match self {
            BlockLabel::Ident(i) => i.as_str(),
            BlockLabel::String(s) => s.as_str(),
        }
    }
}

impl Span for BlockLabel {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            BlockLabel::Ident(i) => i.span(),
            BlockLabel::String(s) => s.span(),
        }
    }
}

// ----- expressions -----

#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    Null(Decorated<Null>),
    Bool(Decorated<bool>),
    Number(Decorated<Number>),
    String(Decorated<String>),
    Array(Array),
    Object(Object),
    StringTemplate(StringTemplate),
    HeredocTemplate(Box<HeredocTemplate>),
    Parenthesis(Box<Parenthesis>),
    Variable(Decorated<Ident>),
    Conditional(Box<Conditional>),
    FuncCall(Box<FuncCall>),
    Traversal(Box<Traversal>),
    UnaryOp(Box<UnaryOp>),
    BinaryOp(Box<BinaryOp>),
    ForExpr(Box<ForExpr>),
}

impl Expression {
    pub fn null() -> Self {
        Expression::Null(Decorated::new(Null))
    }

    /// The variable's name, if this is a bare variable reference.
    pub fn as_variable(&self) -> Option<&Ident> {
        match self {
            Expression::Variable(v) => Some(v.value()),
            _ => None,
        }
    }
}

impl From<&str> for Expression {
    fn from(s: &str) -> Self {
        Expression::String(Decorated::new(s.to_owned()))
    }
}

impl From<bool> for Expression {
    fn from(b: bool) -> Self {
        Expression::Bool(Decorated::new(b))
    }
}

impl From<Number> for Expression {
    fn from(n: Number) -> Self {
        Expression::Number(Decorated::new(n))
    }
}

impl Span for Expression {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            Expression::Null(n) => n.span(),
            Expression::Bool(b) => b.span(),
            Expression::Number(n) => n.span(),
            Expression::String(s) => s.span(),
            Expression::Array(a) => a.range.get(),
            Expression::Object(o) => o.range.get(),
            Expression::StringTemplate(t) => t.template.range.get(),
            Expression::HeredocTemplate(h) => h.range.get(),
            Expression::Parenthesis(p) => p.range.get(),
            Expression::Variable(v) => v.span(),
            Expression::Conditional(c) => c.range.get(),
            Expression::FuncCall(f) => f.range.get(),
            Expression::Traversal(t) => t.range.get(),
            Expression::UnaryOp(u) => u.range.get(),
            Expression::BinaryOp(b) => b.range.get(),
            Expression::ForExpr(f) => f.range.get(),
        }
    }
}

/// `[a, b]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Array {
    pub(crate) values: Vec<Expression>,
    pub(crate) range: TextRange,
}

impl Array {
    pub fn iter(&self) -> std::slice::Iter<'_, Expression> {
        self.values.iter()
    }

    /// The element at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&Expression> {
        self.values.get(index)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }
}

impl FromIterator<Expression> for Array {
    fn from_iter<I: IntoIterator<Item = Expression>>(iter: I) -> Self {
        Array {
            values: iter.into_iter().collect(),
            range: TextRange::NONE,
        }
    }
}

/// `{ key = value, … }`, items in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    pub(crate) items: Vec<(ObjectKey, ObjectValue)>,
    pub(crate) range: TextRange,
}

impl Object {
    pub fn iter(&self) -> impl Iterator<Item = (&ObjectKey, &ObjectValue)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

impl FromIterator<(ObjectKey, ObjectValue)> for Object {
    fn from_iter<I: IntoIterator<Item = (ObjectKey, ObjectValue)>>(iter: I) -> Self {
        Object {
            items: iter.into_iter().collect(),
            range: TextRange::NONE,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectKey {
    Ident(Decorated<Ident>),
    Expression(Expression),
}

impl Span for ObjectKey {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            ObjectKey::Ident(i) => i.span(),
            ObjectKey::Expression(e) => e.span(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectValue {
    expr: Expression,
}

impl ObjectValue {
    pub fn new(expr: Expression) -> Self {
        ObjectValue { expr }
    }

    pub fn expr(&self) -> &Expression {
        &self.expr
    }
}

/// A quoted string with interpolations or directives (`"${var.x}-a"`).
#[derive(Debug, Clone, PartialEq)]
pub struct StringTemplate {
    pub(crate) template: Template,
}

impl StringTemplate {
    pub fn new(template: Template) -> Self {
        StringTemplate { template }
    }
}

impl Deref for StringTemplate {
    type Target = Template;

    fn deref(&self) -> &Template {
        &self.template
    }
}

/// `<<EOT … EOT` or `<<-EOT … EOT` (whose template is already dedented).
#[derive(Debug, Clone, PartialEq)]
pub struct HeredocTemplate {
    pub delimiter: Ident,
    pub template: Template,
    pub(crate) range: TextRange,
}

/// `( expr )`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parenthesis {
    pub(crate) inner: Expression,
    pub(crate) range: TextRange,
}

impl Parenthesis {
    pub fn inner(&self) -> &Expression {
        &self.inner
    }
}

/// `cond ? a : b`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub cond_expr: Expression,
    pub true_expr: Expression,
    pub false_expr: Expression,
    pub(crate) range: TextRange,
}

/// `name(args)` or `provider::p::name(args)`.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncCall {
    pub name: FuncName,
    pub args: FuncArgs,
    pub(crate) range: TextRange,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncName {
    pub namespace: Vec<Decorated<Ident>>,
    pub name: Decorated<Ident>,
}

impl FuncName {
    pub fn is_namespaced(&self) -> bool {
        !self.namespace.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FuncArgs {
    pub(crate) args: Vec<Expression>,
    pub(crate) expand_final: bool,
}

impl FuncArgs {
    pub fn iter(&self) -> std::slice::Iter<'_, Expression> {
        self.args.iter()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.args.len()
    }

    /// True when the last argument ends in `...` (its elements are the arguments).
    pub fn expand_final(&self) -> bool {
        self.expand_final
    }
}

/// `expr.attr[index].*…`: an expression followed by traversal operators.
#[derive(Debug, Clone, PartialEq)]
pub struct Traversal {
    pub expr: Expression,
    pub operators: Vec<Decorated<TraversalOperator>>,
    pub(crate) range: TextRange,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TraversalOperator {
    /// `.*`
    AttrSplat(Decorated<Splat>),
    /// `[*]`
    FullSplat(Decorated<Splat>),
    /// `.name`
    GetAttr(Decorated<Ident>),
    /// `[expr]`
    Index(Expression),
    /// `.0`
    LegacyIndex(Decorated<u64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnaryOp {
    pub operator: Decorated<UnaryOperator>,
    pub expr: Expression,
    pub(crate) range: TextRange,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BinaryOp {
    pub lhs_expr: Expression,
    pub operator: Decorated<BinaryOperator>,
    pub rhs_expr: Expression,
    pub(crate) range: TextRange,
}

/// `[for k, v in coll : v if cond]` or `{for k, v in coll : k => v... if cond}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    pub intro: ForIntro,
    pub key_expr: Option<Expression>,
    pub value_expr: Expression,
    pub grouping: bool,
    pub cond: Option<ForCond>,
    pub(crate) range: TextRange,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForIntro {
    pub key_var: Option<Decorated<Ident>>,
    pub value_var: Decorated<Ident>,
    pub collection_expr: Expression,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForCond {
    pub expr: Expression,
}

// ----- templates -----

/// The elements of a string template or heredoc.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    pub(crate) elements: Vec<Element>,
    pub(crate) range: TextRange,
}

impl Template {
    pub fn iter(&self) -> std::slice::Iter<'_, Element> {
        self.elements.iter()
    }
}

impl Span for Template {
    fn span(&self) -> Option<Range<usize>> {
        self.range.get()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    Literal(Spanned<String>),
    Interpolation(Interpolation),
    Directive(Box<Directive>),
}

/// `~` whitespace stripping at the start and/or end of an interpolation or directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Strip {
    pub(crate) start: bool,
    pub(crate) end: bool,
}

impl Strip {
    pub fn strip_start(self) -> bool {
        self.start
    }

    pub fn strip_end(self) -> bool {
        self.end
    }
}

/// `${ expr }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpolation {
    pub expr: Expression,
    pub strip: Strip,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Directive {
    If(IfDirective),
    For(ForDirective),
}

/// `%{ if cond }…%{ else }…%{ endif }`.
#[derive(Debug, Clone, PartialEq)]
pub struct IfDirective {
    pub if_expr: IfTemplateExpr,
    pub else_expr: Option<ElseTemplateExpr>,
    pub endif_expr: EndifTemplateExpr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IfTemplateExpr {
    pub cond_expr: Expression,
    pub template: Template,
    pub strip: Strip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElseTemplateExpr {
    pub template: Template,
    pub strip: Strip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EndifTemplateExpr {
    pub strip: Strip,
}

/// `%{ for k, v in coll }…%{ endfor }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForDirective {
    pub for_expr: ForTemplateExpr,
    pub endfor_expr: EndforTemplateExpr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForTemplateExpr {
    pub key_var: Option<Decorated<Ident>>,
    pub value_var: Decorated<Ident>,
    pub collection_expr: Expression,
    pub template: Template,
    pub strip: Strip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EndforTemplateExpr {
    pub strip: Strip,
}
