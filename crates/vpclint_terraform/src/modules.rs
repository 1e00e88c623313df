//! Module calls: expansion into child module instances (`count` / `for_each`), input
//! variables read through the calling block, outputs, and `module.x[...]` traversals.
//!
//! A child instance is an [`Evaluator`] of its own (prefix `module.net["prod"].`) with a
//! weak link to its caller, so inputs are evaluated lazily, in the caller's instance scope,
//! only when the child reads them. Everything is memoized per instance.

use std::borrow::Cow;
use std::rc::Rc;

use crate::syntax::TraversalOperator;
use vpclint_graph::IndexMap;
use vpclint_graph::{Span, Unknown, Value};

use crate::budget::Size;
use crate::config::{local_module_dir, normalize, ModuleCall};
use crate::eval::{Evaluator, Expansion, InstanceKey, Parent, Scope, Slot};
use crate::functions::{self, to_string, INVALID};
use crate::types;

/// Deepest chain of nested module calls.
pub(crate) const MAX_MODULE_DEPTH: usize = 32;
/// Most module instances in one stack (all calls together).
pub(crate) const MAX_MODULE_INSTANCES: usize = 10_000;

/// One `module` block of one module instance, expanded.
pub(crate) struct CallState<'a> {
    pub name: &'a str,
    pub expansion: Rc<Expansion>,
    /// Child instances in key order (one with key `None` that may not exist when the
    /// expansion is unknown); empty when the module is unavailable.
    pub instances: Vec<(InstanceKey, Rc<Evaluator<'a>>)>,
    /// Why the module's contents are not known, in a few words (`not installed`), at its source.
    pub unavailable: Option<Unknown>,
}

type Ops<'a> = &'a [crate::syntax::Decorated<TraversalOperator>];

impl<'a> Evaluator<'a> {
    /// The expanded module call `name`, memoized. `Err` carries the value to use instead
    /// (an undeclared module, or a call whose `count` refers to its own outputs).
    pub(crate) fn module_call(
        &self,
        name: &str,
        span: Option<Span>,
    ) -> Result<Rc<CallState<'a>>, Value> {
        if let Some(slot) = self.calls.borrow().get(name) {
            return match slot {
                Some(state) => Ok(state.clone()),
                None => Err(Value::unknown(
                    format!("{}module.{name} refers to itself", self.prefix),
                    span,
                )),
            };
        }
        let Some((key, call)) = self.cfg.module_calls.get_key_value(name) else {
            return Err(self.undeclared(
                &format!("module.{name}"),
                format!("{INVALID}reference to undeclared module module.{name}"),
                span,
            ));
        };
        self.calls.borrow_mut().insert(key, None);
        let state = Rc::new(self.expand_call(key, call));
        self.calls.borrow_mut().insert(key, Some(state.clone()));
        Ok(state)
    }

    /// Every module call of this instance, expanded, in declaration order.
    pub(crate) fn module_calls(&self) -> Vec<Rc<CallState<'a>>> {
        self.cfg
            .module_calls
            .keys()
            .filter_map(|name| self.module_call(name, None).ok())
            .collect()
    }

    /// The configuration index of the directory a module call loads, or why it is not known.
    fn call_target(&self, name: &str, call: &ModuleCall<'a>) -> Result<usize, CallProblem> {
        let Some(source) = call.source else {
            return Err(CallProblem::Error(format!(
                "the source of module.{name} must be a literal string"
            )));
        };
        if let Some(dir) = local_module_dir(self.cfg.dir, source) {
            if let Some(why) = self.stack.refused.get(&dir) {
                return Err(CallProblem::Error(format!(
                    "module.{name}: its source \"{source}\" {why}"
                )));
            }
            return self.stack.by_dir.get(&dir).copied().ok_or_else(|| {
                CallProblem::Error(format!(
                    "module.{name}: the directory {} holds no Terraform files",
                    dir.display()
                ))
            });
        }
        let key: Vec<&str> = self
            .module_path
            .iter()
            .copied()
            .chain(std::iter::once(name))
            .collect();
        let key = key.join(".");
        // Notes name the call by its module path (`module.vpc.module.label`): one note per
        // call, whatever the instances of the modules around it.
        let path = format!("module.{}", key.replace('.', ".module."));
        match self.stack.installed.get(&key) {
            Some(dir) if self.stack.refused.contains_key(&normalize(dir)) => {
                Err(CallProblem::Error(format!(
                    "{path} (\"{source}\"): the directory .terraform/modules/modules.json installs it in ({}) {}",
                    dir.display(),
                    self.stack.refused.get(&normalize(dir)).map_or("", String::as_str)
                )))
            }
            Some(dir) => self.stack.by_dir.get(&normalize(dir)).copied().ok_or_else(|| {
                CallProblem::Note(
                    format!(
                        "{path} (\"{source}\"): its installed directory {} holds no Terraform files; its outputs are unknown",
                        dir.display()
                    ),
                    "its installed directory holds no Terraform files",
                )
            }),
            None => Err(CallProblem::Note(
                format!(
                    "{path} (\"{source}\") is not installed (run `terraform init` so vpclint can read .terraform/modules/modules.json); its resources are not linted and its outputs are unknown"
                ),
                "not installed",
            )),
        }
    }

    fn expand_call(&self, name: &'a str, call: &'a ModuleCall<'a>) -> CallState<'a> {
        let address = format!("{}module.{name}", self.prefix);
        let expansion = Rc::new(if call.overridden {
            // An override file changes the call; vpclint does not merge module blocks, so
            // its instances (and, below, its inputs) are not known.
            Expansion::unknown_because(&format!("{address} is changed by an override file"), None)
        } else {
            self.expand_block(&call.block.body, call.file, &address)
        });
        let mut state = CallState {
            name,
            expansion: expansion.clone(),
            instances: Vec::new(),
            unavailable: None,
        };
        let source_span = call.source_span();
        // The reason values read from the module give (`module.x.out (module not installed)`).
        let unavailable = |why: &str| {
            Some(Unknown {
                reason: why.into(),
                span: Some(source_span),
            })
        };
        let not_loaded = "not loaded, see the error at its call";
        let target = match self.call_target(name, call) {
            Ok(t) => t,
            Err(CallProblem::Error(msg)) => {
                self.error(call.file, Some(source_span), msg);
                state.unavailable = unavailable(not_loaded);
                return state;
            }
            Err(CallProblem::Note(msg, why)) => {
                self.note(call.file, Some(source_span), msg);
                state.unavailable = unavailable(why);
                return state;
            }
        };
        if self.ancestors.contains(&target) {
            // The cycle itself: from the first expansion of the directory to this call.
            let first = self
                .ancestors
                .iter()
                .position(|a| *a == target)
                .unwrap_or(0);
            // Directories are shown relative to the root module, so the message reads the
            // same wherever the tree is checked out.
            let root_dir = self
                .ancestors
                .first()
                .and_then(|i| self.stack.configs.get(*i))
                .map(|c| c.dir);
            let chain: Vec<String> = self
                .ancestors
                .get(first..)
                .unwrap_or_default()
                .iter()
                .chain(std::iter::once(&target))
                .filter_map(|i| self.stack.configs.get(*i))
                .map(|c| relative_to_root(root_dir, c.dir))
                .collect();
            let msg = format!(
                "module cycle: {address} calls a module directory that is already being expanded ({})",
                chain.join(" -> ")
            );
            self.error(call.file, Some(source_span), msg);
            state.unavailable = unavailable(not_loaded);
            return state;
        }
        if self.ancestors.len() >= MAX_MODULE_DEPTH {
            let msg = format!(
                "{address}: modules nested deeper than vpclint's limit of {MAX_MODULE_DEPTH}; its contents are not linted"
            );
            self.error(call.file, Some(source_span), msg);
            state.unavailable = unavailable(not_loaded);
            return state;
        }
        let Some(cfg) = self.stack.configs.get(target) else {
            return state;
        };
        let keys = Evaluator::instance_keys(&expansion);
        let total = self.stack.module_instances.get() + keys.len();
        self.stack.module_instances.set(total);
        if total > MAX_MODULE_INSTANCES {
            let msg = format!(
                "{address}: more than vpclint's limit of {MAX_MODULE_INSTANCES} module instances in this stack; the rest is not linted"
            );
            self.limit_error(call.file, Some(call.header), msg);
            state.unavailable = unavailable(not_loaded);
            return state;
        }
        // Its resources may not exist when this call's instances are not known (the reason
        // names the call: it is the same for all of them), or when this instance may not.
        let may_not_exist = match &*expansion {
            Expansion::Unknown { unknown, .. } => Some(unknown.clone()),
            _ => self.may_not_exist.clone(),
        };
        let mut module_path = self.module_path.clone();
        module_path.push(name);
        let mut ancestors = self.ancestors.clone();
        ancestors.push(target);
        for key in keys {
            let prefix = format!("{address}{}.", key.suffix());
            let parent = Parent {
                ev: self.weak(),
                call,
                key: key.clone(),
                expansion: expansion.clone(),
            };
            let child = Evaluator::build(
                self.stack.clone(),
                cfg,
                prefix,
                Default::default(),
                Some(parent),
                may_not_exist.clone(),
                module_path.clone(),
                ancestors.clone(),
            );
            state.instances.push((key, child));
        }
        state
    }

    /// The value of input variable `name` of this child instance: the calling block's
    /// argument (evaluated in the caller's scope), else the default, converted to the
    /// variable's type. Memoized, and shared with the memo (a traversal copies only what it
    /// selects).
    pub(crate) fn child_var(&self, name: &str, span: Option<Span>) -> Rc<Value> {
        if let Some(slot) = self.child_vars.borrow().get(name) {
            return match slot {
                Slot::Done(v) => v.clone(),
                Slot::InProgress => Rc::new(Value::unknown(
                    format!("{}var.{name} refers to itself", self.prefix),
                    span,
                )),
            };
        }
        let Some((key, decl)) = self.cfg.variables.get_key_value(name) else {
            return Rc::new(self.undeclared(
                &format!("var.{name}"),
                format!("{INVALID}undeclared variable {name}"),
                span,
            ));
        };
        let Some(parent) = &self.parent else {
            return Rc::new(Value::unknown(
                format!("variable {name} has no value"),
                span,
            ));
        };
        self.child_vars.borrow_mut().insert(key, Slot::InProgress);
        if parent.call.overridden {
            let value = Value::unknown(
                format!(
                    "{}var.{name}: the module call is changed by an override file",
                    self.prefix
                ),
                span,
            );
            let value = Rc::new(value);
            self.child_vars
                .borrow_mut()
                .insert(key, Slot::Done(value.clone()));
            return value;
        }
        let given =
            parent
                .call
                .block
                .body
                .get_attribute(name)
                .map(|attr| match parent.ev.upgrade() {
                    Some(caller) => {
                        let scope =
                            Scope::instance(parent.call.file, &parent.key, &parent.expansion);
                        caller.eval(&attr.value, &scope)
                    }
                    None => Value::unknown("the calling module is gone", span),
                });
        let use_default = match &given {
            None => true,
            Some(Value::Null) => decl.non_nullable,
            Some(_) => false,
        };
        let value = if use_default {
            match decl.default {
                Some(default) => self.eval(default, &Scope::root(decl.file)),
                None if given.is_some() => Value::Null,
                None => Value::unknown(
                    format!(
                        "{}var.{name} is required but module.{} does not set it",
                        self.prefix,
                        self.module_path.last().copied().unwrap_or("?")
                    ),
                    span,
                ),
            }
        } else {
            given.unwrap_or(Value::Null)
        };
        let value = match decl.type_expr {
            Some(t) => types::convert(self, value, t, decl.file),
            None => value,
        };
        let value = Rc::new(value);
        self.child_vars
            .borrow_mut()
            .insert(key, Slot::Done(value.clone()));
        value
    }

    /// The value of output `name` of this instance. Memoized, and shared with the memo.
    pub(crate) fn output(&self, name: &str, span: Option<Span>) -> Rc<Value> {
        if let Some(slot) = self.outputs.borrow().get(name) {
            return match slot {
                Slot::Done(v) => v.clone(),
                Slot::InProgress => Rc::new(Value::unknown(
                    format!("output {name} of {} refers to itself", self.prefix),
                    span,
                )),
            };
        }
        let Some((key, decl)) = self.cfg.outputs.get_key_value(name) else {
            return Rc::new(self.undeclared(
                &format!("output {name} of {}", self.prefix.trim_end_matches('.')),
                format!(
                    "{INVALID}module {} has no output \"{name}\"",
                    self.prefix.trim_end_matches('.')
                ),
                span,
            ));
        };
        self.outputs.borrow_mut().insert(key, Slot::InProgress);
        let value = Rc::new(self.eval(&decl.attr.value, &Scope::root(decl.file)));
        self.outputs
            .borrow_mut()
            .insert(key, Slot::Done(value.clone()));
        value
    }

    /// All outputs of this instance as one object (`module.net` without an attribute),
    /// copies charged to the budget (`scope` is the reader's).
    fn outputs_object(&self, scope: &Scope<'_>, span: Option<Span>) -> Value {
        // Some outputs may be declared in a file that could not be read.
        let name = format!("outputs of {}", self.prefix.trim_end_matches('.'));
        if let Some(unknown) = self.maybe_in_unreadable(&name, span) {
            return unknown;
        }
        let keys = Size::new(
            self.cfg.outputs.keys().map(|k| k.len()).sum(),
            self.cfg.outputs.len(),
        );
        if !self.stack.budget.take(keys) {
            return self.breach(scope.file, span);
        }
        Value::Map(
            self.cfg
                .outputs
                .keys()
                .map(|k| {
                    let v = self.output(k, span);
                    ((*k).to_owned(), self.charged_clone(&v, scope.file, span))
                })
                .collect(),
        )
    }

    /// `module.<ops>`: an output, an instance, or the whole collection of instances.
    pub(crate) fn module_ops(&self, ops: Ops<'a>, scope: &Scope<'_>, span: Option<Span>) -> Value {
        let Some(TraversalOperator::GetAttr(name)) = ops.first().map(|o| o.value()) else {
            return functions::invalid("module must be followed by a module name");
        };
        let state = match self.module_call(name.as_str(), span) {
            Ok(s) => s,
            Err(v) => return v,
        };
        if let Some(u) = &state.unavailable {
            let output = match ops.get(1).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(out)) => format!(".{}", out.as_str()),
                _ => String::new(),
            };
            return Value::Unknown(Unknown {
                reason: format!(
                    "{}module.{}{output} (module {})",
                    self.prefix, state.name, u.reason
                )
                .into(),
                span: span.or(u.span),
            });
        }
        let rest = ops.get(1..).unwrap_or_default();
        let address = format!("{}module.{}", self.prefix, state.name);
        match (&*state.expansion, rest.first().map(|o| o.value())) {
            (Expansion::Unknown { unknown: u, .. }, _) => Value::Unknown(Unknown {
                reason: u.reason.clone(),
                span,
            }),
            (Expansion::Invalid, _) => {
                Value::unknown(format!("{address} has no valid instances"), span)
            }
            (Expansion::Single, _) => match state.instances.first() {
                Some((_, child)) => self.module_instance_ops(child, rest, scope, span),
                None => Value::unknown(format!("{address} has no instance"), span),
            },
            (Expansion::Count(_) | Expansion::ForEach(_), Some(TraversalOperator::Index(e))) => {
                let key = self.eval(e, scope);
                self.pick_instance(&state, &address, &key, rest, scope, span)
            }
            (Expansion::Count(_), Some(TraversalOperator::LegacyIndex(i))) => {
                let key = Value::Number(*i.value() as f64);
                self.pick_instance(&state, &address, &key, rest, scope, span)
            }
            (
                Expansion::Count(_) | Expansion::ForEach(_),
                Some(TraversalOperator::FullSplat(_) | TraversalOperator::AttrSplat(_)),
            ) => {
                let after = rest.get(1..).unwrap_or_default();
                if !self
                    .stack
                    .budget
                    .take(Size::elements(state.instances.len()))
                {
                    return self.breach(scope.file, span);
                }
                Value::List(
                    state
                        .instances
                        .iter()
                        .map(|(_, child)| self.module_instance_ops(child, after, scope, span))
                        .collect(),
                )
            }
            (Expansion::Count(_), _) => {
                if !self
                    .stack
                    .budget
                    .take(Size::elements(state.instances.len()))
                {
                    return self.breach(scope.file, span);
                }
                let whole = Value::List(
                    state
                        .instances
                        .iter()
                        .map(|(_, child)| child.outputs_object(scope, span))
                        .collect(),
                );
                self.apply_ops(Cow::Owned(whole), rest, scope, span)
            }
            (Expansion::ForEach(_), _) => {
                if !self
                    .stack
                    .budget
                    .take(Size::elements(state.instances.len()))
                {
                    return self.breach(scope.file, span);
                }
                let whole = Value::Map(
                    state
                        .instances
                        .iter()
                        .filter_map(|(key, child)| match key {
                            InstanceKey::Key(k) => {
                                Some((k.clone(), child.outputs_object(scope, span)))
                            }
                            _ => None,
                        })
                        .collect::<IndexMap<_, _>>(),
                );
                self.apply_ops(Cow::Owned(whole), rest, scope, span)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn pick_instance(
        &self,
        state: &CallState<'a>,
        address: &str,
        key: &Value,
        rest: Ops<'a>,
        scope: &Scope<'_>,
        span: Option<Span>,
    ) -> Value {
        let wanted = match (&*state.expansion, key) {
            (_, Value::Unknown(u)) => return Value::Unknown(u.clone()),
            (Expansion::Count(_), k) => match k.as_f64() {
                Some(i) if i.fract() == 0.0 && i >= 0.0 => InstanceKey::Index(i as usize),
                _ => return functions::invalid(format!("{address}: index must be a whole number")),
            },
            (_, k) => match to_string(k) {
                Some(s) => InstanceKey::Key(s),
                None => return self.not_known(k, "module instance key", span),
            },
        };
        match state.instances.iter().find(|(k, _)| *k == wanted) {
            Some((_, child)) => {
                self.module_instance_ops(child, rest.get(1..).unwrap_or_default(), scope, span)
            }
            None => functions::invalid(format!("{address} has no instance {}", wanted.suffix())),
        }
    }

    fn module_instance_ops(
        &self,
        child: &Evaluator<'a>,
        ops: Ops<'a>,
        scope: &Scope<'_>,
        span: Option<Span>,
    ) -> Value {
        match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(out)) => {
                let v = child.output(out.as_str(), span);
                self.apply_ops(
                    Cow::Borrowed(&v),
                    ops.get(1..).unwrap_or_default(),
                    scope,
                    span,
                )
            }
            None => child.outputs_object(scope, span),
            Some(_) => {
                let whole = child.outputs_object(scope, span);
                self.apply_ops(Cow::Owned(whole), ops, scope, span)
            }
        }
    }
}

enum CallProblem {
    /// The configuration is wrong (reported as a located error).
    Error(String),
    /// vpclint cannot see the module (reported as a note), and why in a few words.
    Note(String, &'static str),
}

/// `dir` relative to the root module's directory (`.` for the root itself), falling back to
/// the path as loaded when they share no prefix.
fn relative_to_root(root: Option<&std::path::Path>, dir: &std::path::Path) -> String {
    use std::path::Component;
    let Some(root) = root else {
        return dir.display().to_string();
    };
    let root: Vec<Component<'_>> = root.components().collect();
    let target: Vec<Component<'_>> = dir.components().collect();
    let common = root.iter().zip(&target).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return dir.display().to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    parts.extend(std::iter::repeat_n("..".to_owned(), root.len() - common));
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}
