//! Expression evaluation over the syntax tree ([`crate::syntax`]), for one module instance.
//!
//! An [`Evaluator`] owns everything one module instance knows (its configuration, its
//! variable values, its address prefix) and memoizes locals, resource expansions and
//! resource attributes, so each expression is evaluated at most once per instance.
//! A [`Scope`] carries what changes inside a block: the file, `count.index`,
//! `each.key`/`each.value`, and `for`/`dynamic` iterator bindings.
//!
//! Nothing here fails: what cannot be evaluated is [`Value::Unknown`] with a reason.
//! Problems the user must fix (cycles, too many instances, too deep) are recorded as
//! located [`InputError`]s.

use crate::HashMap;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use crate::syntax::{
    BinaryOperator, Block, Body, Element, Expression, ObjectKey, Template, TraversalOperator,
    UnaryOperator,
};
use vpclint_graph::IndexMap;
use vpclint_graph::{FileId, InputError, InputNote, ResourceRef, Span, Unknown, Value};

use crate::budget::{Budget, Size, MAX_STACK_BYTES, MAX_STACK_ELEMENTS, OVER_BUDGET};
use crate::config::{span_of, Mode, ModuleCall, ModuleConfig, ResourceDecl};
use crate::functions::{self, registry, to_string, Args, INVALID, MAX_COLLECTION};

/// Most instances one resource may expand to.
pub(crate) const MAX_INSTANCES: usize = 100_000;
/// Most nested evaluation steps (expression nesting plus local/attribute indirection).
pub(crate) const MAX_DEPTH: usize = 200;

/// The key of one instance of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum InstanceKey {
    /// No `count` or `for_each`.
    None,
    Index(usize),
    Key(String),
}

impl InstanceKey {
    /// The address suffix: ``, `[0]`, `["a"]`.
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::None => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k) => format!("[{}]", quote(k)),
        }
    }
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How a resource expands into instances.
#[derive(Debug, Clone)]
pub(crate) enum Expansion {
    Single,
    Count(usize),
    /// `for_each`: key → `each.value`.
    ForEach(IndexMap<String, Value>),
    /// `count`/`for_each` is not known: no certain instance exists. `unknown` says so naming
    /// the block (`count of aws_subnet.a is not known: ...`), for references to its instances;
    /// `cause` says it without the name (`count is not known: ...`): why its instances may not
    /// exist, the same for every block hidden by the same unknown.
    Unknown {
        unknown: Unknown,
        cause: Unknown,
    },
    /// `count`/`for_each` is invalid (reported as an error): no instance.
    Invalid,
}

impl Expansion {
    /// An unknown expansion: `{what} of {addr} {detail}` for references, `{what} {detail}` as
    /// the cause (`what` is `count` or `for_each`).
    fn unknown(what: &str, addr: &str, detail: &str, span: Option<Span>) -> Self {
        Expansion::Unknown {
            unknown: Unknown {
                reason: format!("{what} of {addr} {detail}").into(),
                span,
            },
            cause: Unknown {
                reason: format!("{what} {detail}").into(),
                span,
            },
        }
    }

    /// An unknown expansion whose reason names no block.
    pub(crate) fn unknown_because(reason: &str, span: Option<Span>) -> Self {
        let unknown = Unknown {
            reason: reason.into(),
            span,
        };
        Expansion::Unknown {
            cause: unknown.clone(),
            unknown,
        }
    }
}

/// Variables in effect while evaluating one block.
pub(crate) struct Scope<'p> {
    pub file: FileId,
    pub count_index: Option<Value>,
    pub each: Option<(Value, Value)>,
    /// `for` and `dynamic` iterator bindings, innermost last.
    bindings: Vec<(String, Value)>,
    parent: Option<&'p Scope<'p>>,
}

impl<'p> Scope<'p> {
    /// The module-level scope of a file (no instance, no bindings).
    pub fn root(file: FileId) -> Self {
        Scope {
            file,
            count_index: None,
            each: None,
            bindings: Vec::new(),
            parent: None,
        }
    }

    /// The scope inside one resource instance.
    pub fn instance(file: FileId, key: &InstanceKey, expansion: &Expansion) -> Scope<'static> {
        let mut scope = Scope::root(file);
        match (expansion, key) {
            (Expansion::Count(_), InstanceKey::Index(i)) => {
                scope.count_index = Some(Value::Number(*i as f64));
            }
            (Expansion::ForEach(map), InstanceKey::Key(k)) => {
                let value = map.get(k).cloned().unwrap_or(Value::Null);
                scope.each = Some((Value::String(k.clone()), value));
            }
            (Expansion::Unknown { unknown: u, .. }, _) => {
                scope.count_index = Some(Value::Unknown(u.clone()));
                scope.each = Some((Value::Unknown(u.clone()), Value::Unknown(u.clone())));
            }
            _ => {}
        }
        scope
    }

    /// The same bindings, for an expression written in another file (an attribute an
    /// override file sets): spans are made in that file.
    pub fn in_file(&'p self, file: FileId) -> Scope<'p> {
        let mut scope = self.child(Vec::new());
        scope.file = file;
        scope
    }

    /// A child scope with extra bindings.
    pub fn child(&'p self, bindings: Vec<(String, Value)>) -> Scope<'p> {
        Scope {
            file: self.file,
            count_index: None,
            each: None,
            bindings,
            parent: Some(self),
        }
    }

    fn binding(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .or_else(|| self.parent.and_then(|p| p.binding(name)))
    }

    fn count_index(&self) -> Option<&Value> {
        self.count_index
            .as_ref()
            .or_else(|| self.parent.and_then(Scope::count_index))
    }

    fn each(&self) -> Option<&(Value, Value)> {
        self.each
            .as_ref()
            .or_else(|| self.parent.and_then(Scope::each))
    }
}

pub(crate) enum Slot {
    InProgress,
    Done(Rc<Value>),
}

/// Brackets the index of a held interpolation in text rendered by
/// [`Evaluator::render_holding`] (private-use characters: valid inside JSON strings, and
/// not found in real configurations).
pub(crate) const HELD_START: char = '\u{E000}';
pub(crate) const HELD_END: char = '\u{E001}';

/// One nested block of a body: a static block, or one produced by a `dynamic` block.
pub(crate) struct ExpandedBlock<'a> {
    /// The block as written: the static block, or the `dynamic` block that produced it.
    pub written: &'a Block,
    pub body: &'a Body,
    /// The iterator binding its content is evaluated with (none for a static block).
    pub bindings: Vec<(String, Value)>,
}

/// A borrowed memo key: hashes exactly as the owned `(usize, &str, InstanceKey)` tuple
/// (a tuple hashes its fields in order).
#[derive(Hash)]
struct MemoQuery<'q>(usize, &'q str, &'q InstanceKey);

impl<'a> indexmap::Equivalent<(usize, &'a str, InstanceKey)> for MemoQuery<'_> {
    fn equivalent(&self, key: &(usize, &'a str, InstanceKey)) -> bool {
        self.0 == key.0 && self.1 == key.1 && *self.2 == key.2
    }
}

/// Diagnostics collected while evaluating.
#[derive(Default)]
pub(crate) struct Diagnostics {
    pub errors: Vec<InputError>,
    pub notes: Vec<InputNote>,
}

/// A place in a file, as diagnostics locate it.
type Place = (FileId, Option<Span>);

/// What every module instance of one stack shares: the parsed module directories, the
/// diagnostics, the evaluation depth (evaluation crosses module boundaries) and the budgets.
pub(crate) struct Stack<'a> {
    /// Every loaded module directory (linted or called), indexed by `by_dir`.
    pub configs: &'a [ModuleConfig<'a>],
    pub by_dir: &'a HashMap<std::path::PathBuf, usize>,
    /// The root's `.terraform/modules/modules.json`: module key (`vpc.endpoints`) → directory.
    pub installed: HashMap<String, std::path::PathBuf>,
    /// Module directories the file policy refused (outside the linted paths and their
    /// repository), with why: a call to one is an error.
    pub refused: HashMap<std::path::PathBuf, String>,
    /// Path of each file, for diagnostics.
    pub paths: &'a HashMap<FileId, std::path::PathBuf>,
    pub diags: RefCell<Diagnostics>,
    depth: Cell<usize>,
    depth_reported: Cell<bool>,
    /// Module instances created so far (bounded by [`MAX_MODULE_INSTANCES`]).
    pub module_instances: Cell<usize>,
    /// How much value memory evaluation may still create ([`crate::budget`]).
    pub budget: Budget,
    /// Limit errors by place: the index of the one reported, and how many more times the
    /// limit was hit there (by other instances of the same module).
    limit_errors: RefCell<HashMap<Place, (usize, usize)>>,
}

impl<'a> Stack<'a> {
    pub fn new(
        configs: &'a [ModuleConfig<'a>],
        by_dir: &'a HashMap<std::path::PathBuf, usize>,
        installed: HashMap<String, std::path::PathBuf>,
        paths: &'a HashMap<FileId, std::path::PathBuf>,
    ) -> Self {
        Stack {
            configs,
            by_dir,
            installed,
            refused: HashMap::default(),
            paths,
            diags: RefCell::new(Diagnostics::default()),
            depth: Cell::new(0),
            depth_reported: Cell::new(false),
            module_instances: Cell::new(0),
            budget: Budget::default(),
            limit_errors: RefCell::new(HashMap::default()),
        }
    }

    /// The diagnostics collected so far, deduplicated (a module called N times reports its
    /// problems once, not N times).
    pub fn take_diags(&self) -> Diagnostics {
        let mut d = self.diags.take();
        for (index, more) in self.limit_errors.take().into_values() {
            if let Some(e) = d.errors.get_mut(index).filter(|_| more > 0) {
                e.message.push_str(&format!(
                    " (and {more} more like it, in other instances of this module)"
                ));
            }
        }
        let mut seen = crate::HashSet::default();
        d.errors
            .retain(|e| seen.insert((e.path.clone(), e.span, e.message.clone())));
        let mut seen = crate::HashSet::default();
        d.notes
            .retain(|n| seen.insert((n.path.clone(), n.span, n.message.clone())));
        d
    }
}

/// How a child module instance reads its input variables: from the calling `module` block,
/// evaluated in the caller's instance scope.
pub(crate) struct Parent<'a> {
    pub ev: Weak<Evaluator<'a>>,
    pub call: &'a ModuleCall<'a>,
    pub key: InstanceKey,
    pub expansion: Rc<Expansion>,
}

/// Evaluates expressions of one module instance.
pub(crate) struct Evaluator<'a> {
    pub cfg: &'a ModuleConfig<'a>,
    pub stack: Rc<Stack<'a>>,
    /// `""` for a root module, `module.net.` (with the dot) for a child.
    pub prefix: String,
    /// Root module variable values (a child reads its variables through `parent`).
    vars: HashMap<String, Value>,
    pub parent: Option<Parent<'a>>,
    /// Why this instance may not exist (inside a module call with an unknown `count` or
    /// `for_each`); `None` when it certainly exists.
    pub may_not_exist: Option<Unknown>,
    /// Module names from the root (`["vpc", "endpoints"]`), the key into `modules.json`.
    pub module_path: Vec<&'a str>,
    /// Configuration indexes of this instance and its callers (module cycle detection).
    pub ancestors: Vec<usize>,
    /// This evaluator, for the `Weak` parent link of its children.
    this: Weak<Evaluator<'a>>,
    locals: RefCell<HashMap<&'a str, Slot>>,
    local_stack: RefCell<Vec<&'a str>>,
    expansions: RefCell<HashMap<usize, Rc<Expansion>>>,
    /// Evaluated attributes by (resource index, attribute name, instance). Looked up with
    /// a borrowed [`MemoQuery`], so a hit copies neither the name nor the key.
    attrs: RefCell<IndexMap<(usize, &'a str, InstanceKey), Slot>>,
    pub(crate) child_vars: RefCell<HashMap<&'a str, Slot>>,
    pub(crate) outputs: RefCell<HashMap<&'a str, Slot>>,
    pub(crate) calls: RefCell<HashMap<&'a str, Option<Rc<crate::modules::CallState<'a>>>>>,
    pub(crate) regions: RefCell<Option<Rc<crate::providers::Regions>>>,
    pub(crate) regions_in_progress: Cell<bool>,
}

/// Identity attributes of resources vpclint models: referencing them is a reference to
/// (another facet of) the resource, not an unknown string.
fn identity_attribute(rtype: &str, attr: &str) -> bool {
    matches!(attr, "id" | "arn")
        || matches!(
            (rtype, attr),
            (
                "aws_vpc" | "aws_default_vpc",
                "default_route_table_id"
                    | "main_route_table_id"
                    | "default_security_group_id"
                    | "default_network_acl_id"
            )
        )
}

impl<'a> Evaluator<'a> {
    /// The evaluator of a root module (or of literal-only input such as `.tfvars`).
    pub fn root(
        stack: Rc<Stack<'a>>,
        cfg: &'a ModuleConfig<'a>,
        cfg_index: Option<usize>,
        vars: HashMap<String, Value>,
    ) -> Rc<Self> {
        Self::build(
            stack,
            cfg,
            String::new(),
            vars,
            None,
            None,
            Vec::new(),
            cfg_index.into_iter().collect(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn build(
        stack: Rc<Stack<'a>>,
        cfg: &'a ModuleConfig<'a>,
        prefix: String,
        vars: HashMap<String, Value>,
        parent: Option<Parent<'a>>,
        may_not_exist: Option<Unknown>,
        module_path: Vec<&'a str>,
        ancestors: Vec<usize>,
    ) -> Rc<Self> {
        Rc::new_cyclic(|this| Evaluator {
            cfg,
            stack,
            prefix,
            vars,
            parent,
            may_not_exist,
            module_path,
            ancestors,
            this: this.clone(),
            locals: RefCell::new(HashMap::default()),
            local_stack: RefCell::new(Vec::new()),
            expansions: RefCell::new(HashMap::default()),
            // Sized for one instance of every attribute: growing it rehashed all the keys.
            attrs: RefCell::new(IndexMap::with_capacity_and_hasher(
                cfg.resources
                    .iter()
                    .map(|r| r.body().attributes().count())
                    .sum(),
                Default::default(),
            )),
            child_vars: RefCell::new(HashMap::default()),
            outputs: RefCell::new(HashMap::default()),
            calls: RefCell::new(HashMap::default()),
            regions: RefCell::new(None),
            regions_in_progress: Cell::new(false),
        })
    }

    pub(crate) fn weak(&self) -> Weak<Evaluator<'a>> {
        self.this.clone()
    }

    pub fn error(&self, file: FileId, span: Option<Span>, message: impl Into<String>) {
        let path = self.stack.paths.get(&file).cloned().unwrap_or_default();
        self.stack
            .diags
            .borrow_mut()
            .errors
            .push(InputError::at(path, span, message));
    }

    /// Records an error for a limit that every instance of a module may hit at the same
    /// place (10,000 instances of a module whose `count` is too large): the first is
    /// reported, the others are counted in it.
    pub(crate) fn limit_error(&self, file: FileId, span: Option<Span>, message: String) {
        let mut seen = self.stack.limit_errors.borrow_mut();
        match seen.get_mut(&(file, span)) {
            Some((_, more)) => *more += 1,
            None => {
                let index = self.stack.diags.borrow().errors.len();
                seen.insert((file, span), (index, 0));
                drop(seen);
                self.error(file, span, message);
            }
        }
    }

    /// The value to use when a value does not fit in the stack's budget: the first breach is
    /// reported at `span` (the budget is closed by then, see [`Budget::take`]).
    pub(crate) fn breach(&self, file: FileId, span: Option<Span>) -> Value {
        self.stack.budget.close();
        if self.stack.budget.first_breach() {
            self.error(
                file,
                span,
                format!(
                    "this value takes the evaluation of this stack past vpclint's limit of {} MiB of strings and {MAX_STACK_ELEMENTS} collection elements; it is treated as unknown, and so is every later value that needs room",
                    MAX_STACK_BYTES >> 20
                ),
            );
        }
        Value::unknown(OVER_BUDGET, span)
    }

    /// Takes `size` from the budget; `Err` is the value to use instead.
    fn charge(&self, size: Size, file: FileId, span: Option<Span>) -> Result<(), Value> {
        if self.stack.budget.take(size) {
            Ok(())
        } else {
            Err(self.breach(file, span))
        }
    }

    /// `v`, charged to the budget, or the value to use instead.
    fn charged(&self, v: Value, file: FileId, span: Option<Span>) -> Value {
        if self.stack.budget.take_value(&v) {
            v
        } else {
            self.breach(file, span)
        }
    }

    /// A copy of `v`, measured and charged before it is made (so a value too large is
    /// never copied).
    pub(crate) fn charged_clone(&self, v: &Value, file: FileId, span: Option<Span>) -> Value {
        if self.stack.budget.take_value(v) {
            v.clone()
        } else {
            self.breach(file, span)
        }
    }

    /// Records a note about this stack (`build_graph` fills in the stack's name).
    pub fn note(&self, file: FileId, span: Option<Span>, message: impl Into<String>) {
        let path = self.stack.paths.get(&file).cloned().unwrap_or_default();
        self.stack.diags.borrow_mut().notes.push(InputNote {
            stack: String::new(),
            path,
            span,
            message: message.into(),
        });
    }

    /// The full address of an instance.
    pub fn address(&self, res: &ResourceDecl<'_>, key: &InstanceKey) -> String {
        // Built in place: this runs for every attribute read (was 6% of a run as `format!`).
        let mut out =
            String::with_capacity(self.prefix.len() + res.rtype.len() + res.name.len() + 16);
        out.push_str(&self.prefix);
        if res.mode == Mode::Data {
            out.push_str("data.");
        }
        out.push_str(res.rtype);
        out.push('.');
        out.push_str(res.name);
        match key {
            InstanceKey::None => {}
            InstanceKey::Index(i) => {
                use std::fmt::Write;
                let _ = write!(out, "[{i}]");
            }
            InstanceKey::Key(k) => {
                out.push('[');
                out.push_str(&quote(k));
                out.push(']');
            }
        }
        out
    }

    // ----- expressions -----

    /// Evaluates an expression. Never fails; bounded in depth.
    pub fn eval(&self, expr: &'a Expression, scope: &Scope<'_>) -> Value {
        let depth = self.stack.depth.get();
        if depth >= MAX_DEPTH {
            let span = span_of(scope.file, crate::syntax::Span::span(expr));
            if !self.stack.depth_reported.replace(true) {
                self.error(
                    scope.file,
                    span,
                    format!("expression nesting or references deeper than {MAX_DEPTH} levels; the value is treated as unknown"),
                );
            }
            return Value::unknown("evaluation too deep", span);
        }
        self.stack.depth.set(depth + 1);
        let v = self.eval_inner(expr, scope);
        self.stack.depth.set(depth);
        v
    }

    fn span(&self, expr: &Expression, scope: &Scope<'_>) -> Option<Span> {
        span_of(scope.file, crate::syntax::Span::span(expr))
    }

    fn eval_inner(&self, expr: &'a Expression, scope: &Scope<'_>) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            // Valid in Terraform (arbitrary precision) but past `f64`: unknown, not infinite.
            Expression::Number(n) => n.as_f64().map(Value::Number).unwrap_or_else(|| {
                Value::unknown(
                    "this number is beyond the range of vpclint's numbers (64-bit floats, about 1.8e308)",
                    self.span(expr, scope),
                )
            }),
            Expression::String(s) => {
                let s = s.value();
                if let Err(v) =
                    self.charge(Size::bytes(s.len()), scope.file, self.span(expr, scope))
                {
                    return v;
                }
                Value::String(s.clone())
            }
            Expression::Array(a) => {
                if let Err(v) =
                    self.charge(Size::elements(a.len()), scope.file, self.span(expr, scope))
                {
                    return v;
                }
                let mut out = Vec::with_capacity(a.len());
                for e in a.iter() {
                    out.push(self.eval(e, scope));
                }
                Value::List(out)
            }
            Expression::Object(o) => {
                if let Err(v) =
                    self.charge(Size::elements(o.len()), scope.file, self.span(expr, scope))
                {
                    return v;
                }
                let mut out = IndexMap::with_capacity_and_hasher(o.len(), Default::default());
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_owned(),
                        ObjectKey::Expression(e) => match self.eval(e, scope) {
                            Value::Unknown(u) => return Value::Unknown(u),
                            k => match to_string(&k) {
                                Some(s) => s,
                                None => return functions::invalid("object key must be a string"),
                            },
                        },
                    };
                    if let Err(v) =
                        self.charge(Size::bytes(key.len()), scope.file, self.span(expr, scope))
                    {
                        return v;
                    }
                    out.insert(key, self.eval(v.expr(), scope));
                }
                Value::Map(out)
            }
            Expression::StringTemplate(t) => self.eval_template(t, expr, scope),
            Expression::HeredocTemplate(h) => self.eval_template(&h.template, expr, scope),
            Expression::Parenthesis(p) => self.eval(p.inner(), scope),
            Expression::Variable(v) => self.eval_variable(v.as_str(), expr, scope),
            Expression::Conditional(c) => match self.eval(&c.cond_expr, scope) {
                Value::Unknown(u) => Value::Unknown(u),
                v => match v.as_bool() {
                    Some(true) => self.eval(&c.true_expr, scope),
                    Some(false) => self.eval(&c.false_expr, scope),
                    None => self.not_known(&v, "condition", self.span(expr, scope)),
                },
            },
            Expression::FuncCall(call) => self.eval_call(call, expr, scope),
            Expression::Traversal(t) => self.eval_traversal(&t.expr, &t.operators, scope),
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr, scope);
                match (op.operator.value(), &v) {
                    (_, Value::Unknown(_)) => v,
                    (UnaryOperator::Neg, v) => v
                        .as_f64()
                        .map(|n| Value::Number(-n))
                        .unwrap_or_else(|| self.not_known(v, "operand of -", None)),
                    (UnaryOperator::Not, v) => v
                        .as_bool()
                        .map(|b| Value::Bool(!b))
                        .unwrap_or_else(|| self.not_known(v, "operand of !", None)),
                }
            }
            Expression::BinaryOp(op) => {
                self.eval_binary(*op.operator.value(), &op.lhs_expr, &op.rhs_expr, scope)
            }
            Expression::ForExpr(f) => self.eval_for(f, expr, scope),
        }
    }

    /// The unknown for a value that is not usable where it is used (a reference, a wrong type).
    /// `v` where a plain value was needed and `v` is not one: its own unknown, a
    /// reference's "not known before apply", or an invalid-argument unknown.
    pub(crate) fn not_known(&self, v: &Value, what: &str, span: Option<Span>) -> Value {
        match v {
            Value::Unknown(u) => Value::Unknown(u.clone()),
            Value::Ref(r) => Value::Unknown(functions::ref_not_known(r, span)),
            v => Value::unknown(
                format!("{INVALID}{what}: unexpected {}", v.type_name()),
                span,
            ),
        }
    }

    fn eval_template(&self, t: &'a Template, expr: &Expression, scope: &Scope<'_>) -> Value {
        // `"${x}"` is `x` itself, with no conversion to string.
        let mut elements = t.iter();
        if let (Some(Element::Interpolation(i)), None) = (elements.next(), elements.next()) {
            return self.eval(&i.expr, scope);
        }
        let mut out = String::new();
        let mut trim_next = false;
        match self.render_template(t, scope, &mut out, &mut trim_next, &mut None, 0) {
            Ok(()) => match self.charge(Size::bytes(out.len()), scope.file, self.span(expr, scope))
            {
                Ok(()) => Value::String(out),
                Err(v) => v,
            },
            Err(v) => v,
        }
    }

    /// A string template or heredoc rendered with every interpolation that is not text (a
    /// reference such as `${aws_vpc_endpoint.s3.id}`, or an unknown) held aside: the text,
    /// with `HELD_START` n `HELD_END` where held value n was, and the held values. `None`
    /// for other expressions, for templates that cannot be rendered (an unknown `%{for}`
    /// collection), and when the text itself contains the marker characters.
    pub(crate) fn render_holding(
        &self,
        expr: &'a Expression,
        scope: &Scope<'_>,
    ) -> Option<(String, Vec<Value>)> {
        let template = match expr {
            Expression::StringTemplate(t) => &**t,
            Expression::HeredocTemplate(h) => &h.template,
            _ => return None,
        };
        let (mut out, mut trim_next, mut held) = (String::new(), false, Some(Vec::new()));
        self.render_template(template, scope, &mut out, &mut trim_next, &mut held, 0)
            .ok()?;
        let held = held.unwrap_or_default();
        (out.matches(HELD_START).count() == held.len()
            && out.matches(HELD_END).count() == held.len())
        .then_some((out, held))
    }

    /// Renders a template (literals, interpolations, `%{if}` and `%{for}` directives with
    /// their `~` whitespace stripping) into `out`. `Err` is the value of the whole template
    /// when a part of it is not known.
    fn render_template(
        &self,
        t: &'a Template,
        scope: &Scope<'_>,
        out: &mut String,
        trim_next: &mut bool,
        held: &mut Option<Vec<Value>>,
        depth: usize,
    ) -> Result<(), Value> {
        use crate::syntax::Directive;
        if depth > MAX_DEPTH {
            return Err(Value::unknown(
                "template too deep",
                span_of(scope.file, crate::syntax::Span::span(t)),
            ));
        }
        // The text must fit in the room left: checked as it grows, so a `%{for}` over a
        // large collection stops where the budget ends, not after building it all.
        let too_large = |out: &String| out.len() > self.stack.budget.room().bytes;
        if too_large(out) {
            return Err(self.breach(
                scope.file,
                span_of(scope.file, crate::syntax::Span::span(t)),
            ));
        }
        let trim_end = |out: &mut String| {
            let len = out.trim_end().len();
            out.truncate(len);
        };
        for el in t.iter() {
            match el {
                Element::Literal(l) => {
                    let text = l.value().as_str();
                    let text = if std::mem::take(trim_next) {
                        text.trim_start()
                    } else {
                        text
                    };
                    out.push_str(text);
                }
                Element::Interpolation(i) => {
                    if i.strip.strip_start() {
                        trim_end(out);
                    }
                    match self.eval(&i.expr, scope) {
                        v @ (Value::String(_) | Value::Number(_) | Value::Bool(_)) => {
                            out.push_str(&to_string(&v).unwrap_or_default());
                            if too_large(out) {
                                let span = span_of(scope.file, crate::syntax::Span::span(&i.expr));
                                return Err(self.breach(scope.file, span));
                            }
                        }
                        v @ (Value::Ref(_) | Value::Unknown(_)) if held.is_some() => {
                            if let Some(held) = held.as_mut() {
                                out.push(HELD_START);
                                out.push_str(&held.len().to_string());
                                out.push(HELD_END);
                                held.push(v);
                            }
                        }
                        v => {
                            let span = span_of(scope.file, crate::syntax::Span::span(&i.expr));
                            return Err(self.not_known(&v, "template interpolation", span));
                        }
                    }
                    *trim_next = i.strip.strip_end();
                }
                Element::Directive(dir) => match &**dir {
                    Directive::If(d) => {
                        if d.if_expr.strip.strip_start() {
                            trim_end(out);
                        }
                        *trim_next = d.if_expr.strip.strip_end();
                        let cond = self.eval(&d.if_expr.cond_expr, scope);
                        match cond.as_bool() {
                            Some(true) => {
                                self.render_template(
                                    &d.if_expr.template,
                                    scope,
                                    out,
                                    trim_next,
                                    held,
                                    depth + 1,
                                )?;
                            }
                            Some(false) => {
                                if let Some(e) = &d.else_expr {
                                    *trim_next = e.strip.strip_end();
                                    self.render_template(
                                        &e.template,
                                        scope,
                                        out,
                                        trim_next,
                                        held,
                                        depth + 1,
                                    )?;
                                }
                            }
                            None => {
                                let span = span_of(
                                    scope.file,
                                    crate::syntax::Span::span(&d.if_expr.cond_expr),
                                );
                                return Err(self.not_known(&cond, "template condition", span));
                            }
                        }
                        if d.endif_expr.strip.strip_start() {
                            trim_end(out);
                        }
                        *trim_next = d.endif_expr.strip.strip_end();
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        if f.strip.strip_start() {
                            trim_end(out);
                        }
                        let items: Vec<(Value, Value)> = match self.eval(&f.collection_expr, scope)
                        {
                            Value::List(l) => l
                                .into_iter()
                                .enumerate()
                                .map(|(i, v)| (Value::Number(i as f64), v))
                                .collect(),
                            Value::Map(m) => {
                                m.into_iter().map(|(k, v)| (Value::String(k), v)).collect()
                            }
                            other => {
                                let span = span_of(
                                    scope.file,
                                    crate::syntax::Span::span(&f.collection_expr),
                                );
                                return Err(self.not_known(
                                    &other,
                                    "template for collection",
                                    span,
                                ));
                            }
                        };
                        for (k, v) in items {
                            let mut bindings = vec![(f.value_var.as_str().to_owned(), v)];
                            if let Some(kv) = &f.key_var {
                                bindings.push((kv.as_str().to_owned(), k));
                            }
                            let child = scope.child(bindings);
                            *trim_next = f.strip.strip_end();
                            self.render_template(
                                &f.template,
                                &child,
                                out,
                                trim_next,
                                held,
                                depth + 1,
                            )?;
                            if d.endfor_expr.strip.strip_start() {
                                trim_end(out);
                            }
                        }
                        *trim_next = d.endfor_expr.strip.strip_end();
                    }
                },
            }
        }
        Ok(())
    }

    fn eval_binary(
        &self,
        op: BinaryOperator,
        lhs: &'a Expression,
        rhs: &'a Expression,
        scope: &Scope<'_>,
    ) -> Value {
        use BinaryOperator as B;
        let l = self.eval(lhs, scope);
        // Logic short-circuits only where the result is certain.
        match (op, l.as_bool()) {
            (B::And, Some(false)) => return Value::Bool(false),
            (B::Or, Some(true)) => return Value::Bool(true),
            _ => {}
        }
        let r = self.eval(rhs, scope);
        match op {
            B::And | B::Or => match (l.as_bool(), r.as_bool()) {
                (Some(a), Some(b)) => Value::Bool(if op == B::And { a && b } else { a || b }),
                (_, Some(b)) if (op == B::And && !b) || (op == B::Or && b) => Value::Bool(b),
                _ => self.not_known(
                    if l.as_bool().is_none() { &l } else { &r },
                    "logic operand",
                    None,
                ),
            },
            B::Eq | B::NotEq => {
                if !l.is_wholly_known() {
                    return self.not_known(&l, "", None);
                }
                if !r.is_wholly_known() {
                    return self.not_known(&r, "", None);
                }
                let eq = match (&l, &r) {
                    (Value::Ref(a), Value::Ref(b))
                        if a.target == b.target && a.attribute == b.attribute =>
                    {
                        true
                    }
                    (Value::Ref(_), _) | (_, Value::Ref(_)) => {
                        return Value::unknown(
                            "comparison with a value not known before apply",
                            None,
                        )
                    }
                    (Value::Number(a), Value::Number(b)) => a == b,
                    _ => l == r,
                };
                Value::Bool(if op == B::Eq { eq } else { !eq })
            }
            _ => {
                let (a, b) = match (l.as_f64(), r.as_f64()) {
                    (Some(a), Some(b)) => (a, b),
                    (None, _) => return self.not_known(&l, "arithmetic operand", None),
                    (_, None) => return self.not_known(&r, "arithmetic operand", None),
                };
                match op {
                    B::Plus => Value::Number(a + b),
                    B::Minus => Value::Number(a - b),
                    B::Mul => Value::Number(a * b),
                    B::Div if b == 0.0 => functions::invalid("division by zero"),
                    B::Div => Value::Number(a / b),
                    B::Mod if b == 0.0 => functions::invalid("modulo by zero"),
                    B::Mod => Value::Number(a % b),
                    B::Less => Value::Bool(a < b),
                    B::LessEq => Value::Bool(a <= b),
                    B::Greater => Value::Bool(a > b),
                    B::GreaterEq => Value::Bool(a >= b),
                    _ => Value::Null,
                }
            }
        }
    }

    fn eval_for(
        &self,
        f: &'a crate::syntax::ForExpr,
        expr: &Expression,
        scope: &Scope<'_>,
    ) -> Value {
        let collection = self.eval(&f.intro.collection_expr, scope);
        // Consumed as it goes: a second copy of the collection as pairs doubled the memory.
        let items: Box<dyn Iterator<Item = (Value, Value)>> = match collection {
            Value::List(l) => Box::new(
                l.into_iter()
                    .enumerate()
                    .map(|(i, v)| (Value::Number(i as f64), v)),
            ),
            Value::Map(m) => Box::new(m.into_iter().map(|(k, v)| (Value::String(k), v))),
            Value::Null => return functions::invalid("for expression over null"),
            other => return self.not_known(&other, "for expression collection", None),
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_owned());
        let value_var = f.intro.value_var.as_str().to_owned();
        let mut list = Vec::new();
        let mut map: IndexMap<String, Value> = IndexMap::default();
        for (k, v) in items {
            let mut bindings = vec![(value_var.clone(), v)];
            if let Some(kv) = &key_var {
                bindings.push((kv.clone(), k));
            }
            let child = scope.child(bindings);
            if let Some(cond) = &f.cond {
                match self.eval(&cond.expr, &child) {
                    Value::Bool(true) => {}
                    Value::Bool(false) => continue,
                    other => return self.not_known(&other, "for expression condition", None),
                }
            }
            let value = self.eval(&f.value_expr, &child);
            // Each element is charged as it is added (its value was charged when it was
            // made): a `for` over a large collection stops where the budget ends.
            match &f.key_expr {
                None => {
                    if let Err(v) =
                        self.charge(Size::elements(1), scope.file, self.span(expr, scope))
                    {
                        return v;
                    }
                    list.push(value)
                }
                Some(key_expr) => {
                    let key = match self.eval(key_expr, &child) {
                        k @ (Value::String(_) | Value::Number(_) | Value::Bool(_)) => {
                            to_string(&k).unwrap_or_default()
                        }
                        other => return self.not_known(&other, "for expression key", None),
                    };
                    if let Err(v) =
                        self.charge(Size::new(key.len(), 1), scope.file, self.span(expr, scope))
                    {
                        return v;
                    }
                    if f.grouping {
                        if let Value::List(l) =
                            map.entry(key).or_insert_with(|| Value::List(Vec::new()))
                        {
                            l.push(value);
                        }
                    } else if map.contains_key(&key) {
                        return functions::invalid(format!(
                            "duplicate key \"{key}\" in for expression"
                        ));
                    } else {
                        map.insert(key, value);
                    }
                }
            }
        }
        if f.key_expr.is_some() {
            Value::Map(map)
        } else {
            Value::List(list)
        }
    }

    fn eval_call(
        &self,
        call: &'a crate::syntax::FuncCall,
        expr: &Expression,
        scope: &Scope<'_>,
    ) -> Value {
        let span = self.span(expr, scope);
        let name = call.name.name.as_str();
        if call.name.is_namespaced() {
            return Value::unknown(format!("provider function {name} is not supported"), span);
        }
        // Lazy functions.
        match name {
            "try" => {
                let mut last = functions::invalid("try: no argument succeeded");
                for a in call.args.iter() {
                    match self.eval(a, scope) {
                        Value::Unknown(u) if u.reason.starts_with(INVALID) => {
                            last = Value::Unknown(u)
                        }
                        v => return v,
                    }
                }
                return last;
            }
            "can" => {
                return match call.args.iter().next().map(|a| self.eval(a, scope)) {
                    Some(Value::Unknown(u)) if u.reason.starts_with(INVALID) => Value::Bool(false),
                    Some(Value::Unknown(u)) => Value::Unknown(u),
                    Some(_) => Value::Bool(true),
                    None => functions::invalid("can: needs an argument"),
                };
            }
            _ => {}
        }
        let Some((function, mode)) = registry().get(name) else {
            return Value::unknown(format!("function {name}() is not supported yet"), span);
        };
        let mut args: Vec<Value> = call.args.iter().map(|a| self.eval(a, scope)).collect();
        if call.args.expand_final() {
            match args.pop() {
                Some(Value::List(l)) => args.extend(l),
                Some(other) => return self.not_known(&other, "expanded argument", span),
                None => {}
            }
        }
        if mode == Args::Strict {
            for a in &args {
                match a {
                    Value::Unknown(u) => return Value::Unknown(u.clone()),
                    Value::Ref(r) => return Value::Unknown(functions::ref_not_known(r, span)),
                    _ => {}
                }
            }
        }
        match function.call(&args, self.stack.budget.room()) {
            Value::Unknown(u) if &*u.reason == OVER_BUDGET => self.breach(scope.file, span),
            Value::Unknown(mut u) => {
                if u.span.is_none() {
                    u.span = span;
                }
                Value::Unknown(u)
            }
            v => self.charged(v, scope.file, span),
        }
    }

    fn eval_variable(&self, name: &str, expr: &Expression, scope: &Scope<'_>) -> Value {
        if let Some(v) = scope.binding(name) {
            return self.charged_clone(v, scope.file, self.span(expr, scope));
        }
        Value::unknown(
            format!("{INVALID}unknown name \"{name}\""),
            self.span(expr, scope),
        )
    }

    // ----- traversals -----

    fn eval_traversal(
        &self,
        root: &'a Expression,
        ops: &'a [crate::syntax::Decorated<TraversalOperator>],
        scope: &Scope<'_>,
    ) -> Value {
        let span = span_of(
            scope.file,
            match (
                crate::syntax::Span::span(root),
                ops.last().and_then(crate::syntax::Span::span),
            ) {
                (Some(a), Some(b)) => Some(a.start..b.end),
                (a, _) => a,
            },
        );
        // Once the budget is spent, what a traversal reads is not copied at all: reading a
        // large memoized value over and over would otherwise cost its size every time.
        if self.stack.budget.is_closed() {
            return self.breach(scope.file, span);
        }
        let Expression::Variable(var) = root else {
            let base = self.eval(root, scope);
            return self.apply_ops(Cow::Owned(base), ops, scope, span);
        };
        let name = var.as_str();
        if let Some(v) = scope.binding(name) {
            return self.apply_ops(Cow::Borrowed(v), ops, scope, span);
        }
        let attr_name = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        match name {
            "var" => {
                let Some(v) = attr_name(0) else {
                    return functions::invalid("var must be followed by a variable name");
                };
                let rest = ops.get(1..).unwrap_or_default();
                if self.parent.is_some() {
                    let value = self.child_var(v, span);
                    return self.apply_ops(Cow::Borrowed(&value), rest, scope, span);
                }
                match self.vars.get(v) {
                    Some(value) => self.apply_ops(Cow::Borrowed(value), rest, scope, span),
                    None if self.cfg.variables.contains_key(v) => {
                        Value::unknown(format!("variable {v} has no value"), span)
                    }
                    None => self.undeclared(
                        &format!("var.{v}"),
                        format!("{INVALID}undeclared variable {v}"),
                        span,
                    ),
                }
            }
            "local" => {
                let Some(l) = attr_name(0) else {
                    return functions::invalid("local must be followed by a name");
                };
                let value = self.local(l, span);
                self.apply_ops(
                    Cow::Borrowed(&value),
                    ops.get(1..).unwrap_or_default(),
                    scope,
                    span,
                )
            }
            "count" => match (attr_name(0), scope.count_index()) {
                (Some("index"), Some(v)) => self.apply_ops(
                    Cow::Borrowed(v),
                    ops.get(1..).unwrap_or_default(),
                    scope,
                    span,
                ),
                _ => functions::invalid("count.index used outside a counted block"),
            },
            "each" => match (attr_name(0), scope.each()) {
                (Some("key"), Some((k, _))) => self.apply_ops(
                    Cow::Borrowed(k),
                    ops.get(1..).unwrap_or_default(),
                    scope,
                    span,
                ),
                (Some("value"), Some((_, v))) => self.apply_ops(
                    Cow::Borrowed(v),
                    ops.get(1..).unwrap_or_default(),
                    scope,
                    span,
                ),
                _ => functions::invalid("each used outside a for_each block"),
            },
            "path" => match attr_name(0) {
                Some("module") => Value::String(self.cfg.dir.to_string_lossy().into_owned()),
                Some("root" | "cwd") => Value::String(".".into()),
                _ => functions::invalid("unknown path attribute"),
            },
            "terraform" => match attr_name(0) {
                Some("workspace") => Value::String("default".into()),
                _ => Value::unknown("terraform attribute", span),
            },
            "module" => self.module_ops(ops, scope, span),
            "data" => {
                let (Some(t), Some(n)) = (attr_name(0), attr_name(1)) else {
                    return functions::invalid("data must be followed by type and name");
                };
                match self.cfg.data(t, n) {
                    Some(idx) => {
                        self.resource_ops(idx, ops.get(2..).unwrap_or_default(), scope, span)
                    }
                    None => self.undeclared(
                        &format!("data.{t}.{n}"),
                        format!("{INVALID}undeclared data source data.{t}.{n}"),
                        span,
                    ),
                }
            }
            "self" => Value::unknown("self is not supported", span),
            rtype => {
                let Some(n) = attr_name(0) else {
                    return functions::invalid(format!("unknown name \"{rtype}\""));
                };
                match self.cfg.managed(rtype, n) {
                    Some(idx) => {
                        self.resource_ops(idx, ops.get(1..).unwrap_or_default(), scope, span)
                    }
                    None => {
                        // Possibly declared in a file that could not be parsed: unknown.
                        if let Some(unknown) =
                            self.maybe_in_unreadable(&format!("{rtype}.{n}"), span)
                        {
                            return unknown;
                        }
                        // An undeclared resource: keep the reference so the graph reports it.
                        match attr_name(1) {
                            Some(attr) if identity_attribute(rtype, attr) => {
                                Value::reference(format!("{}{rtype}.{n}", self.prefix), attr, span)
                            }
                            _ => Value::unknown(
                                format!("{INVALID}reference to undeclared resource {rtype}.{n}"),
                                span,
                            ),
                        }
                    }
                }
            }
        }
    }

    /// The value of a name this module does not declare in the files vpclint could read:
    /// `invalid` (an unknown that `try` moves past and `count` reports) — unless one of the
    /// module's files could not be read or parsed, where the name may be declared. Then it
    /// is merely unknown: Terraform reports only the syntax error, and so does vpclint.
    pub(crate) fn undeclared(&self, name: &str, invalid: String, span: Option<Span>) -> Value {
        self.maybe_in_unreadable(name, span)
            .unwrap_or_else(|| Value::unknown(invalid, span))
    }

    /// When one of the module's files could not be read or parsed: the unknown value of a
    /// name the other files do not declare, which may be declared there.
    pub(crate) fn maybe_in_unreadable(&self, name: &str, span: Option<Span>) -> Option<Value> {
        let file = self.cfg.unreadable.first()?;
        Some(Value::unknown(
            format!(
                "{name} may be declared in {}, which could not be read",
                file.file_name().map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().into_owned()
                )
            ),
            span,
        ))
    }

    /// Applies traversal operators to a value, then copies the part they select, charged
    /// to the budget. Operators navigate by reference: reading `local.big[0]` copies one
    /// element, not the list. An owned `base` was charged by whoever built it, and is
    /// returned as is when no operator selects a part of it.
    pub(crate) fn apply_ops(
        &self,
        base: Cow<'_, Value>,
        ops: &'a [crate::syntax::Decorated<TraversalOperator>],
        scope: &Scope<'_>,
        span: Option<Span>,
    ) -> Value {
        let selected = match self.select(&base, ops, scope, span) {
            Selected::Whole => None,
            Selected::Part(part) => Some(self.charged_clone(part, scope.file, span)),
            Selected::Built(v) => Some(v),
        };
        match (selected, base) {
            (Some(v), _) => v,
            (None, Cow::Owned(v)) => v,
            (None, Cow::Borrowed(v)) => self.charged_clone(v, scope.file, span),
        }
    }

    /// The part of `base` that traversal operators select.
    fn select<'v>(
        &self,
        base: &'v Value,
        ops: &'a [crate::syntax::Decorated<TraversalOperator>],
        scope: &Scope<'_>,
        span: Option<Span>,
    ) -> Selected<'v> {
        let mut cur: Option<&'v Value> = None;
        for (i, op) in ops.iter().enumerate() {
            let at = cur.unwrap_or(base);
            let next = match op.value() {
                TraversalOperator::GetAttr(name) => get_attr(at, name.as_str()),
                TraversalOperator::Index(e) => {
                    let key = self.eval(e, scope);
                    index(at, &key)
                }
                TraversalOperator::LegacyIndex(n) => index(at, &Value::Number(*n.value() as f64)),
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = ops.get(i + 1..).unwrap_or_default();
                    let items = match at {
                        Value::Unknown(u) => return Selected::Built(Value::Unknown(u.clone())),
                        Value::Null => return Selected::Built(Value::List(Vec::new())),
                        Value::List(l) => l.as_slice(),
                        other => std::slice::from_ref(other),
                    };
                    if let Err(v) = self.charge(Size::elements(items.len()), scope.file, span) {
                        return Selected::Built(v);
                    }
                    return Selected::Built(Value::List(
                        items
                            .iter()
                            .map(|item| self.apply_ops(Cow::Borrowed(item), rest, scope, span))
                            .collect(),
                    ));
                }
            };
            match next {
                Ok(v) => cur = Some(v),
                Err(v) => return Selected::Built(v),
            }
            if cur.is_some_and(Value::is_unknown) {
                break;
            }
        }
        cur.map_or(Selected::Whole, Selected::Part)
    }

    // ----- locals -----

    fn local(&self, name: &str, span: Option<Span>) -> Rc<Value> {
        if let Some(slot) = self.locals.borrow().get(name) {
            return match slot {
                Slot::Done(v) => v.clone(),
                Slot::InProgress => {
                    self.report_local_cycle(name, span);
                    Rc::new(Value::unknown(
                        format!("local.{name} refers to itself"),
                        span,
                    ))
                }
            };
        }
        let Some(decl) = self.cfg.locals.get(name) else {
            return Rc::new(self.undeclared(
                &format!("local.{name}"),
                format!("{INVALID}undeclared local value local.{name}"),
                span,
            ));
        };
        let key: &'a str = decl.attr.key.as_str();
        self.locals.borrow_mut().insert(key, Slot::InProgress);
        self.local_stack.borrow_mut().push(key);
        let value = self.eval(&decl.attr.value, &Scope::root(decl.file));
        let value = Rc::new(bound_size(value, span));
        self.local_stack.borrow_mut().pop();
        self.locals
            .borrow_mut()
            .insert(key, Slot::Done(value.clone()));
        value
    }

    fn report_local_cycle(&self, name: &str, span: Option<Span>) {
        let stack = self.local_stack.borrow();
        let start = stack.iter().position(|n| *n == name).unwrap_or(0);
        let chain: Vec<String> = stack
            .get(start..)
            .unwrap_or_default()
            .iter()
            .chain(std::iter::once(&name))
            .map(|n| format!("local.{n}"))
            .collect();
        let file = self
            .cfg
            .locals
            .get(name)
            .map(|d| d.file)
            .or_else(|| span.map(|s| s.file));
        if let Some(file) = file {
            let decl_span = self
                .cfg
                .locals
                .get(name)
                .and_then(|d| span_of(d.file, crate::syntax::Span::span(d.attr)));
            drop(stack);
            self.error(
                file,
                span.or(decl_span),
                format!("cycle in local values: {}", chain.join(" -> ")),
            );
        }
    }

    // ----- resources -----

    /// How resource `idx` expands; memoized.
    pub fn expansion(&self, idx: usize) -> Rc<Expansion> {
        if let Some(e) = self.expansions.borrow().get(&idx) {
            return e.clone();
        }
        // Mark as in progress: a `count` that refers to its own resource is unknown.
        self.expansions.borrow_mut().insert(
            idx,
            Rc::new(Expansion::unknown_because(
                "count/for_each refers to itself",
                None,
            )),
        );
        let e = Rc::new(self.compute_expansion(idx));
        self.expansions.borrow_mut().insert(idx, e.clone());
        e
    }

    fn compute_expansion(&self, idx: usize) -> Expansion {
        let Some(res) = self.cfg.resources.get(idx) else {
            return Expansion::Invalid;
        };
        if res
            .overrides
            .iter()
            .any(|(_, b)| b.body.has_attribute("count") || b.body.has_attribute("for_each"))
        {
            return Expansion::unknown_because("count/for_each set by an override file", None);
        }
        let addr = self.address(res, &InstanceKey::None);
        self.expand_block(res.body(), res.file, &addr)
    }

    /// How a `resource`, `data` or `module` block expands, from its `count` / `for_each`.
    /// Invalid and too large expansions are reported as located errors.
    pub(crate) fn expand_block(&self, body: &'a Body, file: FileId, addr: &str) -> Expansion {
        let scope = Scope::root(file);
        if let Some(attr) = body.get_attribute("count") {
            let span = span_of(file, crate::syntax::Span::span(attr));
            return match self.eval(&attr.value, &scope) {
                Value::Unknown(u) if u.reason.starts_with(INVALID) => {
                    self.error(
                        file,
                        span,
                        format!(
                            "count of {addr} is invalid ({}); the resource is skipped",
                            u.reason.trim_start_matches(INVALID)
                        ),
                    );
                    Expansion::Invalid
                }
                Value::Unknown(u) => {
                    Expansion::unknown("count", addr, &format!("is not known: {}", u.reason), span)
                }
                v => match v.as_f64() {
                    Some(n) if n.fract() == 0.0 && n >= 0.0 && n <= MAX_INSTANCES as f64 => {
                        Expansion::Count(n as usize)
                    }
                    Some(n) if n.fract() == 0.0 && n > MAX_INSTANCES as f64 => {
                        self.limit_error(
                            file,
                            span,
                            format!("count of {addr} is {}, more than vpclint's limit of {MAX_INSTANCES} instances; the resource is skipped", functions::fmt_number(n)),
                        );
                        Expansion::Invalid
                    }
                    _ => {
                        self.error(
                            file,
                            span,
                            format!("count of {addr} must be a non-negative whole number, got {v}"),
                        );
                        Expansion::Invalid
                    }
                },
            };
        }
        if let Some(attr) = body.get_attribute("for_each") {
            let span = span_of(file, crate::syntax::Span::span(attr));
            return match self.eval(&attr.value, &scope) {
                Value::Unknown(u) if u.reason.starts_with(INVALID) => {
                    self.error(
                        file,
                        span,
                        format!(
                            "for_each of {addr} is invalid ({}); the resource is skipped",
                            u.reason.trim_start_matches(INVALID)
                        ),
                    );
                    Expansion::Invalid
                }
                Value::Map(m) if m.len() <= MAX_INSTANCES => Expansion::ForEach(m),
                Value::List(l) if l.len() <= MAX_INSTANCES => {
                    let mut map = IndexMap::default();
                    for item in l {
                        match item {
                            Value::String(s) => {
                                map.insert(s.clone(), Value::String(s));
                            }
                            Value::Unknown(u) => {
                                return Expansion::unknown(
                                    "for_each",
                                    addr,
                                    &format!("is not known: {}", u.reason),
                                    span,
                                )
                            }
                            Value::Ref(r) => {
                                return Expansion::unknown(
                                    "for_each",
                                    addr,
                                    &format!(
                                        "uses {}, not known before apply",
                                        crate::functions::ref_name(&r)
                                    ),
                                    span,
                                )
                            }
                            other => {
                                self.error(file, span, format!("for_each of {addr} must be a map or a set of strings, got a set of {}", other.type_name()));
                                return Expansion::Invalid;
                            }
                        }
                    }
                    Expansion::ForEach(map)
                }
                Value::Map(_) | Value::List(_) => {
                    self.limit_error(
                        file,
                        span,
                        format!("for_each of {addr} has more than vpclint's limit of {MAX_INSTANCES} instances; the resource is skipped"),
                    );
                    Expansion::Invalid
                }
                Value::Unknown(u) => Expansion::unknown(
                    "for_each",
                    addr,
                    &format!("is not known: {}", u.reason),
                    span,
                ),
                Value::Ref(r) => Expansion::unknown(
                    "for_each",
                    addr,
                    &format!(
                        "uses {}, not known before apply",
                        crate::functions::ref_name(&r)
                    ),
                    span,
                ),
                other => {
                    self.error(
                        file,
                        span,
                        format!(
                            "for_each of {addr} must be a map or a set of strings, got {}",
                            other.type_name()
                        ),
                    );
                    Expansion::Invalid
                }
            };
        }
        Expansion::Single
    }

    /// The instance keys of a resource (an unknown expansion has the single key `None`, to be
    /// mapped with `Existence::Maybe`).
    pub fn instance_keys(expansion: &Expansion) -> Vec<InstanceKey> {
        match expansion {
            Expansion::Single | Expansion::Unknown { .. } => vec![InstanceKey::None],
            Expansion::Count(n) => (0..*n).map(InstanceKey::Index).collect(),
            Expansion::ForEach(m) => m.keys().cloned().map(InstanceKey::Key).collect(),
            Expansion::Invalid => Vec::new(),
        }
    }

    /// Applies traversal operators to resource `idx` (the operators after `type.name`).
    fn resource_ops(
        &self,
        idx: usize,
        ops: &'a [crate::syntax::Decorated<TraversalOperator>],
        scope: &Scope<'_>,
        span: Option<Span>,
    ) -> Value {
        let Some(res) = self.cfg.resources.get(idx) else {
            return Value::Null;
        };
        let expansion = self.expansion(idx);
        let first = ops.first().map(|o| o.value());
        match (&*expansion, first) {
            (Expansion::Unknown { unknown: u, .. }, _) => Value::Unknown(Unknown {
                reason: u.reason.clone(),
                span,
            }),
            (Expansion::Invalid, _) => Value::unknown(
                format!(
                    "{} has no valid instances",
                    self.address(res, &InstanceKey::None)
                ),
                span,
            ),
            (Expansion::Single, _) => self.instance_ops(idx, InstanceKey::None, ops, scope, span),
            (Expansion::Count(n), Some(TraversalOperator::Index(e))) => {
                let key = self.eval(e, scope);
                self.count_index_ops(idx, *n, &key, ops, scope, span)
            }
            (Expansion::Count(n), Some(TraversalOperator::LegacyIndex(i))) => {
                let key = Value::Number(*i.value() as f64);
                self.count_index_ops(idx, *n, &key, ops, scope, span)
            }
            (Expansion::ForEach(m), Some(TraversalOperator::Index(e))) => match self.eval(e, scope)
            {
                Value::Unknown(u) => Value::Unknown(u),
                k => match to_string(&k) {
                    Some(k) if m.contains_key(&k) => self.instance_ops(
                        idx,
                        InstanceKey::Key(k),
                        ops.get(1..).unwrap_or_default(),
                        scope,
                        span,
                    ),
                    Some(k) => functions::invalid(format!(
                        "{} has no instance [\"{k}\"]",
                        self.address(res, &InstanceKey::None)
                    )),
                    None => self.not_known(&k, "instance key", span),
                },
            },
            (
                Expansion::Count(_) | Expansion::ForEach(_),
                Some(TraversalOperator::FullSplat(_) | TraversalOperator::AttrSplat(_)),
            ) => {
                let rest = ops.get(1..).unwrap_or_default();
                let keys = Self::instance_keys(&expansion);
                if let Err(v) = self.charge(Size::elements(keys.len()), scope.file, span) {
                    return v;
                }
                Value::List(
                    keys.into_iter()
                        .map(|k| self.instance_ops(idx, k, rest, scope, span))
                        .collect(),
                )
            }
            (Expansion::Count(_) | Expansion::ForEach(_), _) => {
                // The whole collection (`values(aws_vpc.this)`, `length(aws_subnet.x)`).
                let whole = self.materialize_collection(idx, &expansion, scope.file, span);
                self.apply_ops(Cow::Owned(whole), ops, scope, span)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn count_index_ops(
        &self,
        idx: usize,
        n: usize,
        key: &Value,
        ops: &'a [crate::syntax::Decorated<TraversalOperator>],
        scope: &Scope<'_>,
        span: Option<Span>,
    ) -> Value {
        match key {
            Value::Unknown(u) => Value::Unknown(u.clone()),
            k => match k.as_f64() {
                Some(i) if i.fract() == 0.0 && i >= 0.0 && (i as usize) < n => self.instance_ops(
                    idx,
                    InstanceKey::Index(i as usize),
                    ops.get(1..).unwrap_or_default(),
                    scope,
                    span,
                ),
                _ => functions::invalid(format!("instance index {k} out of range")),
            },
        }
    }

    /// Every instance of a resource as objects (charged to the budget as they are built).
    fn materialize_collection(
        &self,
        idx: usize,
        expansion: &Expansion,
        file: FileId,
        span: Option<Span>,
    ) -> Value {
        match expansion {
            Expansion::Count(n) => {
                if let Err(v) = self.charge(Size::elements(*n), file, span) {
                    return v;
                }
                Value::List(
                    (0..*n)
                        .map(|i| self.instance_object(idx, &InstanceKey::Index(i), file, span))
                        .collect(),
                )
            }
            Expansion::ForEach(m) => {
                let keys = Size::new(m.keys().map(String::len).sum(), m.len());
                if let Err(v) = self.charge(keys, file, span) {
                    return v;
                }
                Value::Map(
                    m.keys()
                        .map(|k| {
                            (
                                k.clone(),
                                self.instance_object(idx, &InstanceKey::Key(k.clone()), file, span),
                            )
                        })
                        .collect(),
                )
            }
            _ => self.instance_object(idx, &InstanceKey::None, file, span),
        }
    }

    /// An instance as an object: its identity and its configured attributes.
    fn instance_object(
        &self,
        idx: usize,
        key: &InstanceKey,
        file: FileId,
        span: Option<Span>,
    ) -> Value {
        let Some(res) = self.cfg.resources.get(idx) else {
            return Value::Null;
        };
        let names: Vec<&str> = std::iter::once("id")
            .chain(res.attribute_names().into_iter().filter(|name| {
                !matches!(
                    *name,
                    "count" | "for_each" | "provider" | "depends_on" | "lifecycle"
                )
            }))
            .collect();
        let size = Size::new(names.iter().map(|n| n.len()).sum(), names.len());
        if let Err(v) = self.charge(size, file, span) {
            return v;
        }
        let mut map = IndexMap::with_capacity_and_hasher(names.len(), Default::default());
        for name in names {
            let v = match self.instance_attr(idx, key, name, span) {
                Read::Shared(v) => self.charged_clone(&v, file, span),
                Read::Fresh(v) => self.charged(v, file, span),
            };
            map.insert(name.to_owned(), v);
        }
        Value::Map(map)
    }

    fn instance_ops(
        &self,
        idx: usize,
        key: InstanceKey,
        ops: &'a [crate::syntax::Decorated<TraversalOperator>],
        scope: &Scope<'_>,
        span: Option<Span>,
    ) -> Value {
        match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => {
                let rest = ops.get(1..).unwrap_or_default();
                match self.instance_attr(idx, &key, a.as_str(), span) {
                    Read::Shared(v) => self.apply_ops(Cow::Borrowed(&v), rest, scope, span),
                    // Built for this read (a reference, nested blocks, a rendered policy):
                    // charged here, as it was not when it was built.
                    Read::Fresh(v) => {
                        let v = self.charged(v, scope.file, span);
                        self.apply_ops(Cow::Owned(v), rest, scope, span)
                    }
                }
            }
            None => self.instance_object(idx, &key, scope.file, span),
            Some(_) => {
                let obj = self.instance_object(idx, &key, scope.file, span);
                self.apply_ops(Cow::Owned(obj), ops, scope, span)
            }
        }
    }

    /// The value of attribute `name` of one resource instance: a reference for identity
    /// attributes, the configured value (evaluated in the instance's scope) otherwise, and
    /// unknown for computed attributes that are not configured. Memoized.
    fn instance_attr(&self, idx: usize, key: &InstanceKey, name: &str, span: Option<Span>) -> Read {
        let Some(res) = self.cfg.resources.get(idx) else {
            return Read::Fresh(Value::Null);
        };
        if res.mode == Mode::Data {
            let address = self.address(res, key);
            return Read::Fresh(self.data_attr(res, idx, key, &address, name, span));
        }
        // The accepter's ID is the peering connection's ID.
        if res.rtype == "aws_vpc_peering_connection_accepter" && name == "id" {
            if let Some(v) = self.configured_attr_shared(idx, key, "vpc_peering_connection_id") {
                return Read::Shared(v);
            }
        }
        if identity_attribute(res.rtype, name) && res.attribute(name).is_none() {
            return Read::Fresh(Value::Ref(ResourceRef {
                target: self.address(res, key),
                attribute: name.to_owned(),
                span,
            }));
        }
        if let Some(v) = self.configured_attr_shared(idx, key, name) {
            return Read::Shared(v);
        }
        Read::Fresh(self.unconfigured_attr(res, idx, key, name, span))
    }

    /// An attribute an instance does not set: its nested blocks, or unknown.
    fn unconfigured_attr(
        &self,
        res: &ResourceDecl<'a>,
        idx: usize,
        key: &InstanceKey,
        name: &str,
        span: Option<Span>,
    ) -> Value {
        if res.overrides_blocks(name) {
            return Value::unknown(
                format!(
                    "{}.{name}: its blocks are replaced by an override file",
                    self.address(res, key)
                ),
                span,
            );
        }
        // Nested blocks (static and `dynamic`) read as a list of objects.
        let expansion = self.expansion(idx);
        let scope = Scope::instance(res.file, key, &expansion);
        let (blocks, incomplete) = self.nested_blocks(res.body(), name, &scope);
        if incomplete {
            return Value::unknown(
                format!(
                    "{}.{name}: a dynamic block iterates over a value not known before apply",
                    self.address(res, key)
                ),
                span,
            );
        }
        if !blocks.is_empty() {
            return Value::List(
                blocks
                    .into_iter()
                    .map(|b| self.block_object(b.body, &scope.child(b.bindings)))
                    .collect(),
            );
        }
        let address = self.address(res, key);
        Value::unknown(format!("{address}.{name} is not known before apply"), span)
    }

    fn block_object(&self, body: &'a Body, scope: &Scope<'_>) -> Value {
        Value::Map(
            body.attributes()
                .map(|a| (a.key.as_str().to_owned(), self.eval(&a.value, scope)))
                .collect(),
        )
    }

    /// A derived value of an instance (a rendered policy document), computed once.
    pub(crate) fn memoized(
        &self,
        idx: usize,
        key: &InstanceKey,
        name: &'static str,
        compute: impl FnOnce() -> Value,
    ) -> Value {
        match self.memo_slot(idx, key, name) {
            // Read again on every reference: charged before it is copied.
            Some(Slot::Done(v)) => {
                let file = self.cfg.resources.get(idx).map_or(FileId(0), |r| r.file);
                return self.charged_clone(&v, file, None);
            }
            Some(Slot::InProgress) => {
                return Value::unknown(format!("{name} refers to itself"), None);
            }
            None => {}
        }
        self.set_memo_slot(idx, key, name, Slot::InProgress);
        let v = bound_size(compute(), None);
        self.set_memo_slot(idx, key, name, Slot::Done(Rc::new(v.clone())));
        v
    }

    fn memo_slot(&self, idx: usize, key: &InstanceKey, name: &'a str) -> Option<Slot> {
        match self.attrs.borrow().get(&MemoQuery(idx, name, key))? {
            Slot::Done(v) => Some(Slot::Done(v.clone())),
            Slot::InProgress => Some(Slot::InProgress),
        }
    }

    fn set_memo_slot(&self, idx: usize, key: &InstanceKey, name: &'a str, slot: Slot) {
        let mut attrs = self.attrs.borrow_mut();
        match attrs.get_mut(&MemoQuery(idx, name, key)) {
            Some(existing) => *existing = slot,
            None => {
                attrs.insert((idx, name, key.clone()), slot);
            }
        }
    }

    /// A configured top-level attribute of an instance, evaluated once (a copy, for the
    /// mapping: what expressions read goes through [`Self::configured_attr_shared`]).
    pub fn configured_attr(&self, idx: usize, key: &InstanceKey, name: &str) -> Option<Value> {
        self.configured_attr_shared(idx, key, name)
            .map(|v| Value::clone(&v))
    }

    /// A configured top-level attribute of an instance, evaluated once, shared with its memo.
    fn configured_attr_shared(
        &self,
        idx: usize,
        key: &InstanceKey,
        name: &str,
    ) -> Option<Rc<Value>> {
        let res = self.cfg.resources.get(idx)?;
        let (file, attr) = res.attribute(name)?;
        let name = attr.key.as_str();
        match self.memo_slot(idx, key, name) {
            Some(Slot::Done(v)) => return Some(v),
            Some(Slot::InProgress) => {
                return Some(Rc::new(Value::unknown(
                    format!("{}.{name} refers to itself", self.address(res, key)),
                    span_of(file, crate::syntax::Span::span(attr)),
                )));
            }
            None => {}
        }
        self.set_memo_slot(idx, key, name, Slot::InProgress);
        let expansion = self.expansion(idx);
        let scope = Scope::instance(file, key, &expansion);
        let v = Rc::new(bound_size(self.eval(&attr.value, &scope), None));
        self.set_memo_slot(idx, key, name, Slot::Done(v.clone()));
        Some(v)
    }

    /// Static and `dynamic` nested blocks named `name` of `body`, each with the iterator
    /// binding its content is evaluated with, and whether there may be more: a `dynamic`
    /// block whose `for_each` is not known contributes nothing but makes the list incomplete.
    pub(crate) fn nested_blocks(
        &self,
        body: &'a Body,
        name: &str,
        scope: &Scope<'_>,
    ) -> (Vec<ExpandedBlock<'a>>, bool) {
        let mut out = Vec::new();
        let mut incomplete = false;
        for b in body.blocks() {
            if b.ident.as_str() == name {
                out.push(ExpandedBlock {
                    written: b,
                    body: &b.body,
                    bindings: Vec::new(),
                });
                continue;
            }
            if b.ident.as_str() != "dynamic" || b.labels.first().map(|l| l.as_str()) != Some(name) {
                continue;
            }
            let Some(content) = b.body.blocks().find(|c| c.ident.as_str() == "content") else {
                continue;
            };
            let iterator = b
                .body
                .get_attribute("iterator")
                .and_then(|a| a.value.as_variable().map(|v| v.as_str().to_owned()))
                .unwrap_or_else(|| name.to_owned());
            let items: Vec<(Value, Value)> = match self.attr(&b.body, "for_each", scope) {
                Some((Value::List(l), _)) => l
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Value::Number(i as f64), v))
                    .collect(),
                Some((Value::Map(m), _)) => {
                    m.into_iter().map(|(k, v)| (Value::String(k), v)).collect()
                }
                _ => {
                    incomplete = true;
                    continue;
                }
            };
            for (k, v) in items {
                let obj: IndexMap<String, Value> =
                    [("key".to_string(), k), ("value".to_string(), v)]
                        .into_iter()
                        .collect();
                out.push(ExpandedBlock {
                    written: b,
                    body: &content.body,
                    bindings: vec![(iterator.clone(), Value::Map(obj))],
                });
            }
        }
        (out, incomplete)
    }

    /// Evaluates an attribute of a block body in a scope, with its span.
    pub fn attr(&self, body: &'a Body, name: &str, scope: &Scope<'_>) -> Option<(Value, Span)> {
        let attr = body.get_attribute(name)?;
        let span = span_of(scope.file, crate::syntax::Span::span(attr))
            .unwrap_or(Span::new(scope.file, 0, 0));
        Some((self.eval(&attr.value, scope), span))
    }
}

/// An attribute as a traversal reads it: a memoized value is shared, so only the part the
/// traversal selects is copied; a value built for this read is owned.
enum Read {
    Shared(Rc<Value>),
    Fresh(Value),
}

/// What traversal operators select: the whole value, a part of it, or a value they built.
enum Selected<'v> {
    Whole,
    Part(&'v Value),
    Built(Value),
}

fn get_attr<'v>(v: &'v Value, name: &str) -> Result<&'v Value, Value> {
    match v {
        Value::Map(m) => m
            .get(name)
            .ok_or_else(|| functions::invalid(format!("no attribute \"{name}\""))),
        Value::Unknown(u) => Err(Value::Unknown(u.clone())),
        Value::Ref(r) => Err(Value::unknown(
            format!(
                "{rn}.{name} is not known before apply",
                rn = crate::functions::ref_name(r)
            ),
            r.span,
        )),
        other => Err(functions::invalid(format!(
            "cannot read attribute \"{name}\" of {}",
            other.type_name()
        ))),
    }
}

fn index<'v>(v: &'v Value, key: &Value) -> Result<&'v Value, Value> {
    match (v, key) {
        (Value::Unknown(u), _) | (_, Value::Unknown(u)) => Err(Value::Unknown(u.clone())),
        (Value::List(l), k) => match k.as_f64() {
            Some(i) if i.fract() == 0.0 && i >= 0.0 => l
                .get(i as usize)
                .ok_or_else(|| functions::invalid(format!("index {i} out of range"))),
            _ => Err(functions::invalid("list index must be a whole number")),
        },
        (Value::Map(m), k) => match to_string(k) {
            Some(k) => m
                .get(&k)
                .ok_or_else(|| functions::invalid(format!("no key \"{k}\""))),
            None => Err(functions::invalid("map key must be a string")),
        },
        (Value::Ref(r), _) => Err(Value::Unknown(functions::ref_not_known(r, None))),
        (other, _) => Err(functions::invalid(format!(
            "cannot index {}",
            other.type_name()
        ))),
    }
}

/// Bounds the size of a stored value (nested objects built from locals can grow exponentially).
fn bound_size(v: Value, span: Option<Span>) -> Value {
    fn size(v: &Value, budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        match v {
            Value::List(l) => l.iter().all(|x| size(x, budget)),
            Value::Map(m) => m.values().all(|x| size(x, budget)),
            _ => true,
        }
    }
    let mut budget = MAX_COLLECTION;
    if size(&v, &mut budget) {
        v
    } else {
        Value::unknown(format!("value larger than {MAX_COLLECTION} elements"), span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ParsedFile;

    /// Evaluates `local.out` of a configuration, with optional variable values.
    fn eval_local(src: &str, vars: &[(&str, Value)]) -> (Value, Vec<InputError>) {
        let body = crate::syntax::parse_body(src).expect("test source parses");
        let files = vec![ParsedFile {
            file: FileId(0),
            path: "main.tf".into(),
            body,
            block_headers: Vec::new(),
        }];
        let mut errors = Vec::new();
        let cfg = ModuleConfig::index(std::path::Path::new("."), &files, &mut errors);
        let paths = HashMap::from_iter([(FileId(0), std::path::PathBuf::from("main.tf"))]);
        let vars = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let dirs = HashMap::default();
        let stack = Rc::new(Stack::new(&[], &dirs, HashMap::default(), &paths));
        let ev = Evaluator::root(stack.clone(), &cfg, None, vars);
        let v = ev.local("out", None);
        let errors = stack.take_diags().errors;
        ((*v).clone(), errors)
    }

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    /// `local.out` rendered by `render_holding`: the text with markers shown as `<n>`, and
    /// the held values.
    fn holding(src: &str) -> Option<(String, Vec<Value>)> {
        let body = crate::syntax::parse_body(src).expect("test source parses");
        let files = vec![ParsedFile {
            file: FileId(0),
            path: "main.tf".into(),
            body,
            block_headers: Vec::new(),
        }];
        let mut errors = Vec::new();
        let cfg = ModuleConfig::index(std::path::Path::new("."), &files, &mut errors);
        let paths = HashMap::from_iter([(FileId(0), std::path::PathBuf::from("main.tf"))]);
        let dirs = HashMap::default();
        let stack = Rc::new(Stack::new(&[], &dirs, HashMap::default(), &paths));
        let ev = Evaluator::root(stack, &cfg, None, HashMap::default());
        let out = cfg.locals.get("out")?;
        let (text, held) = ev.render_holding(&out.attr.value, &Scope::root(FileId(0)))?;
        let shown = text.replace(HELD_START, "<").replace(HELD_END, ">");
        Some((shown, held))
    }

    #[test]
    fn templates_hold_references_and_unknowns_aside() {
        let src = r#"
resource "aws_vpc_endpoint" "s3" {}
variable "names" { type = list(string) }
locals {
  out = <<-EOT
    {"vpce": "${aws_vpc_endpoint.s3.id}", "who": "${var.names[0]}-x", "n": ${1 + 1}%{ if true }, "t": 1%{ endif }}
  EOT
}
"#;
        let (text, held) = holding(src).expect("rendered");
        assert_eq!(
            text,
            "{\"vpce\": \"<0>\", \"who\": \"<1>-x\", \"n\": 2, \"t\": 1}\n"
        );
        assert!(matches!(&held[0], Value::Ref(r) if r.target == "aws_vpc_endpoint.s3"));
        assert!(held[1].is_unknown());
        // A `%{for}` over an unknown collection cannot be rendered at all.
        let unknown_for = r#"
variable "names" { type = list(string) }
locals {
  out = "%{ for n in var.names }${n}%{ endfor }"
}
"#;
        assert_eq!(holding(unknown_for), None);
        // Literal text that contains a marker character is not trusted.
        let marker_in_text =
            "locals {\n  out = \"\u{E000}0\u{E001}${var.x}\"\n}\nvariable \"x\" {}\n";
        assert_eq!(holding(marker_in_text), None);
        // Not a template.
        assert_eq!(holding("locals {\n  out = 1\n}\n"), None);
    }

    #[test]
    fn references_become_refs_or_configured_values() {
        let src = r#"
resource "aws_vpc" "a" { cidr_block = "10.0.0.0/16" }
locals { out = [aws_vpc.a.id, aws_vpc.a.cidr_block, aws_vpc.a.default_route_table_id, aws_vpc.a.owner_id] }
"#;
        let (v, _) = eval_local(src, &[]);
        let l = v.as_list().expect("list");
        assert_eq!(
            l[0].as_ref()
                .map(|r| (r.target.as_str(), r.attribute.as_str())),
            Some(("aws_vpc.a", "id"))
        );
        assert_eq!(l[1], s("10.0.0.0/16"));
        assert_eq!(
            l[2].as_ref().map(|r| r.attribute.as_str()),
            Some("default_route_table_id")
        );
        assert!(l[3].is_unknown());
    }

    #[test]
    fn count_and_for_each_instances() {
        let src = r#"
resource "aws_subnet" "c" {
  count      = 3
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_vpc" "m" {
  for_each   = { a = "10.1.0.0/16", b = "10.2.0.0/16" }
  cidr_block = each.value
}
locals {
  out = [aws_subnet.c[2].cidr_block, aws_subnet.c[*].id, aws_vpc.m["b"].cidr_block, aws_vpc.m["a"].id, length(aws_subnet.c)]
}
"#;
        let (v, _) = eval_local(src, &[]);
        let l = v.as_list().expect("list");
        assert_eq!(l[0], s("10.0.2.0/24"));
        let ids: Vec<String> = l[1]
            .as_list()
            .expect("splat list")
            .iter()
            .filter_map(|v| v.as_ref().map(|r| r.target.clone()))
            .collect();
        assert_eq!(
            ids,
            ["aws_subnet.c[0]", "aws_subnet.c[1]", "aws_subnet.c[2]"]
        );
        assert_eq!(l[2], s("10.2.0.0/16"));
        assert_eq!(
            l[3].as_ref().map(|r| r.target.as_str()),
            Some("aws_vpc.m[\"a\"]")
        );
        assert_eq!(l[4], Value::Number(3.0));
    }

    #[test]
    fn operators_conditionals_templates_and_for() {
        let src = r#"
variable "env" { default = "prod" }
locals {
  n   = 2 * 3 + 1
  out = {
    cond  = var.env == "prod" ? "big" : "small"
    tmpl  = "${var.env}-${local.n}"
    fl    = [for i, x in ["a", "b"] : "${i}${x}" if x != "c"]
    obj   = { for k, v in { x = 1, y = 2 } : v => k }
    logic = !(local.n > 5) || false
    split = ["x", "y"][*]
  }
}
"#;
        let (v, _) = eval_local(src, &[("env", s("prod"))]);
        assert_eq!(v.get("cond"), Some(&s("big")));
        assert_eq!(v.get("tmpl"), Some(&s("prod-7")));
        assert_eq!(v.get("fl"), Some(&Value::List(vec![s("0a"), s("1b")])));
        assert_eq!(v.get("obj").and_then(|o| o.get("2")), Some(&s("y")));
        assert_eq!(v.get("logic"), Some(&Value::Bool(false)));
    }

    #[test]
    fn unknown_propagates_element_wise() {
        let src = r#"
data "aws_vpc" "shared" {}
locals {
  out = [data.aws_vpc.shared.cidr_block, "10.0.0.0/8", cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1), nosuchfn(1)]
}
"#;
        let (v, errors) = eval_local(src, &[]);
        let l = v.as_list().expect("list");
        assert!(l[0].is_unknown());
        assert_eq!(l[1], s("10.0.0.0/8"));
        assert!(l[2].is_unknown());
        assert!(l[3]
            .first_unknown()
            .is_some_and(|u| u.reason.contains("nosuchfn")));
        assert!(errors.is_empty());
    }

    #[test]
    fn locals_cycle_is_a_located_error() {
        let src = "locals {\n  out = local.b\n  b = local.out\n}\n";
        let (v, errors) = eval_local(src, &[]);
        assert!(v.is_unknown());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .message
                .contains("local.out -> local.b -> local.out"),
            "{}",
            errors[0].message
        );
        assert!(errors[0].span.is_some());
    }

    #[test]
    fn try_and_can_skip_invalid_but_not_unknown() {
        let src = r#"
data "aws_vpc" "x" {}
locals {
  m   = { a = 1 }
  out = [try(local.m.b, "fallback"), can(local.m.b), try(data.aws_vpc.x.id, "no"), lookup(local.m, "a", 0)]
}
"#;
        let (v, _) = eval_local(src, &[]);
        let l = v.as_list().expect("list");
        assert_eq!(l[0], s("fallback"));
        assert_eq!(l[1], Value::Bool(false));
        assert!(l[2].is_unknown());
        assert_eq!(l[3], Value::Number(1.0));
    }

    #[test]
    fn deep_local_chains_are_bounded() {
        let mut src = String::from("locals {\n  out = local.l0\n");
        for i in 0..2000 {
            src.push_str(&format!("  l{i} = local.l{}\n", i + 1));
        }
        src.push_str("  l2000 = 1\n}\n");
        let (v, errors) = eval_local(&src, &[]);
        assert!(v.is_unknown());
        assert_eq!(errors.len(), 1);
    }

    /// `local.out` of a configuration, its errors, and what is left of the budget.
    fn eval_local_budget(src: &str) -> (Value, Vec<InputError>, Size) {
        let body = crate::syntax::parse_body(src).expect("test source parses");
        let files = vec![ParsedFile {
            file: FileId(0),
            path: "main.tf".into(),
            body,
            block_headers: Vec::new(),
        }];
        let mut errors = Vec::new();
        let cfg = ModuleConfig::index(std::path::Path::new("."), &files, &mut errors);
        let paths = HashMap::from_iter([(FileId(0), std::path::PathBuf::from("main.tf"))]);
        let dirs = HashMap::default();
        let stack = Rc::new(Stack::new(&[], &dirs, HashMap::default(), &paths));
        let ev = Evaluator::root(stack.clone(), &cfg, None, HashMap::default());
        let v = ev.local("out", None);
        let room = stack.budget.room();
        ((*v).clone(), stack.take_diags().errors, room)
    }

    fn over_budget(v: &Value) -> bool {
        v.first_unknown()
            .is_some_and(|u| &*u.reason == crate::budget::OVER_BUDGET)
    }

    #[test]
    fn doubling_strings_stop_at_the_budget_with_one_located_error() {
        for step in [
            "\"${local.s@}${local.s@}\"",
            "join(\"\", [local.s@, local.s@])",
            "format(\"%s%s\", local.s@, local.s@)",
            "replace(local.s@, \"x\", \"xx\")",
        ] {
            let mut src = String::from("locals {\n  s0 = \"xxxxxxxx\"\n");
            for i in 1..=40 {
                let prev = (i - 1).to_string();
                src.push_str(&format!("  s{i} = {}\n", step.replace('@', &prev)));
            }
            src.push_str("  out = length(local.s40)\n}\n");
            let (v, errors, room) = eval_local_budget(&src);
            assert!(over_budget(&v), "{step}: {v:?}");
            assert_eq!(errors.len(), 1, "{step}: {errors:?}");
            assert!(
                errors[0].message.contains("64 MiB"),
                "{}",
                errors[0].message
            );
            assert!(errors[0].span.is_some(), "{step}: the error is located");
            assert_eq!(room, Size::default(), "{step}: the budget is closed");
        }
    }

    #[test]
    fn large_iterations_stop_at_the_budget() {
        for out in [
            "[for i in range(1000000) : [for j in range(1000000) : j]]",
            "[for i in range(1000) : local.r]",
            "[for i in range(999999) : [i, i, i, i]][0]",
            "\"%{ for i in range(999999) }${local.t}%{ endfor }\"",
        ] {
            let src = format!(
                "locals {{\n  r = range(999999)\n  t = \"${{join(\"\", [for i in range(1000) : \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"])}}\"\n  out = {out}\n}}\n"
            );
            let (v, errors, _) = eval_local_budget(&src);
            assert!(over_budget(&v), "{out}: {v:?}");
            assert_eq!(errors.len(), 1, "{out}: {errors:?}");
        }
    }

    #[test]
    fn real_sized_values_fit_the_budget() {
        // Far more than real stacks: the 1000-VPC benchmark's stacks (270 resources each)
        // use 46 KB and 1435 elements of the budget.
        let src = r#"
locals {
  azs  = ["a", "b", "c"]
  big  = range(999999)
  tags = { for i in range(10) : "k${i}" => "value ${i}" }
  out  = [length(local.big), length([for i in range(10000) : merge(local.tags, { n = i })]), join(",", local.azs)]
}
"#;
        let (v, errors, room) = eval_local_budget(src);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            v,
            Value::List(vec![
                Value::Number(999999.0),
                Value::Number(10000.0),
                s("a,b,c")
            ])
        );
        assert!(room.elements > 0 && room.bytes > 0);
    }

    #[test]
    fn reading_part_of_a_large_value_copies_only_that_part() {
        // 1000 reads of one element of a 999,999-element local: a copy of the whole list per
        // read would take the budget 250 times over.
        let src = "locals {\n  r = range(999999)\n  out = [for i in range(1000) : local.r[i]]\n}\n";
        let (v, errors, _) = eval_local_budget(src);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(v.as_list().map(<[Value]>::len), Some(1000));
    }

    #[test]
    fn numbers_past_f64_are_unknown_and_big_integers_round() {
        let (v, errors) = eval_local(
            "locals {\n  out = [1e400, -1e400, 123456789012345678901234567890123456789]\n}\n",
            &[],
        );
        assert!(errors.is_empty(), "{errors:?}");
        let l = v.as_list().expect("list");
        for unknown in &l[..2] {
            assert!(
                unknown
                    .first_unknown()
                    .is_some_and(|u| u.reason.contains("64-bit")
                        && !u.reason.starts_with(INVALID)
                        && u.span.is_some()),
                "{unknown:?}"
            );
        }
        assert_eq!(l[2], Value::Number(1.2345678901234568e38));
    }

    #[test]
    fn huge_count_is_capped() {
        let src =
            "resource \"aws_vpc\" \"x\" {\n  count = 1e9\n}\nlocals { out = aws_vpc.x[0].id }\n";
        let (v, errors) = eval_local(src, &[]);
        assert!(v.is_unknown());
        assert!(errors[0].message.contains("limit"), "{errors:?}");
    }
}
