//! Provider configurations and regions: `provider "aws"` blocks (default and aliased),
//! inheritance into child modules (implicitly, or through `providers = { ... }` on the
//! module call), `provider = aws.alias` on resources, and the per-resource `region`
//! argument of AWS provider v6.

use std::rc::Rc;

use crate::syntax::{Expression, ObjectKey, TraversalOperator};
use vpclint_graph::IndexMap;
use vpclint_graph::{Known, Value};

use crate::config::ResourceDecl;
use crate::eval::{Evaluator, InstanceKey, Parent, Scope};

/// The AWS provider configurations one module instance sees: default and by alias.
#[derive(Debug, Clone)]
pub(crate) struct Regions {
    pub default: Known<String>,
    pub by_alias: IndexMap<String, Known<String>>,
    /// The AWS account each configuration is pinned to (`allowed_account_ids` with exactly
    /// one entry); otherwise unknown.
    pub default_account: Known<String>,
    pub account_by_alias: IndexMap<String, Known<String>>,
}

impl Regions {
    fn unconfigured() -> Self {
        Regions {
            default: Known::unknown("region not known (no provider \"aws\" region)"),
            by_alias: IndexMap::default(),
            default_account: Known::unknown(NO_ACCOUNT),
            account_by_alias: IndexMap::default(),
        }
    }

    /// The account of provider configuration `aws` (alias `None`) or `aws.<alias>`.
    pub fn account(&self, alias: Option<&str>) -> Known<String> {
        match alias {
            None => self.default_account.clone(),
            Some(a) => self
                .account_by_alias
                .get(a)
                .cloned()
                .unwrap_or_else(|| Known::unknown(NO_ACCOUNT)),
        }
    }

    /// The region of provider configuration `aws` (alias `None`) or `aws.<alias>`.
    pub fn lookup(&self, alias: Option<&str>) -> Known<String> {
        match alias {
            None => self.default.clone(),
            Some(a) => {
                self.by_alias.get(a).cloned().unwrap_or_else(|| {
                    Known::unknown(format!("provider aws.{a} is not configured"))
                })
            }
        }
    }
}

const NO_ACCOUNT: &str = "the provider's account is not pinned (allowed_account_ids)";

/// `allowed_account_ids = ["123456789012"]`: the one account the provider may use.
fn pinned_account(v: &Value) -> Known<String> {
    match v.as_list() {
        Some([Value::String(id)]) => Known::Known(id.clone()),
        _ => Known::unknown(NO_ACCOUNT),
    }
}

/// A provider reference written as an expression or object key: `aws` or `aws.west`.
fn provider_ref(expr: &Expression) -> Option<(&str, Option<&str>)> {
    match expr {
        Expression::Variable(v) => Some((v.as_str(), None)),
        Expression::Traversal(t) => match (&t.expr, t.operators.as_slice()) {
            (Expression::Variable(v), [op]) => match op.value() {
                TraversalOperator::GetAttr(alias) => Some((v.as_str(), Some(alias.as_str()))),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn known_region(v: &Value) -> Known<String> {
    match v {
        Value::String(s) => Known::Known(s.clone()),
        Value::Unknown(u) => Known::Unknown(u.clone()),
        Value::Null => Known::unknown("the provider's region is not set"),
        other => Known::unknown(format!("region is not a known string ({other})")),
    }
}

impl Evaluator<'_> {
    /// The provider regions of this module instance, computed once.
    pub(crate) fn regions(&self) -> Rc<Regions> {
        if let Some(r) = self.regions.borrow().as_ref() {
            return r.clone();
        }
        // A provider region that depends on itself (through `data "aws_region"`) is unknown.
        if self.regions_in_progress.replace(true) {
            return Rc::new(Regions {
                default: Known::unknown("the provider's region depends on itself"),
                by_alias: IndexMap::default(),
                default_account: Known::unknown(NO_ACCOUNT),
                account_by_alias: IndexMap::default(),
            });
        }
        let mut regions = match &self.parent {
            None => Regions::unconfigured(),
            Some(parent) => inherited(parent),
        };
        // Provider blocks inside a module (legacy) configure that module directly.
        for p in self.cfg.providers.iter().filter(|p| p.name == "aws") {
            let region = match self.attr(&p.block.body, "region", &Scope::root(p.file)) {
                Some((v, _)) => known_region(&v),
                None => Known::unknown(
                    "the provider's region is not set in the configuration (it comes from the environment)",
                ),
            };
            let account = self
                .attr(&p.block.body, "allowed_account_ids", &Scope::root(p.file))
                .map_or_else(|| Known::unknown(NO_ACCOUNT), |(v, _)| pinned_account(&v));
            match p.alias {
                Some(a) => {
                    regions.by_alias.insert(a.to_owned(), region);
                    regions.account_by_alias.insert(a.to_owned(), account);
                }
                None => {
                    regions.default = region;
                    regions.default_account = account;
                }
            }
        }
        let regions = Rc::new(regions);
        *self.regions.borrow_mut() = Some(regions.clone());
        self.regions_in_progress.set(false);
        regions
    }

    /// The provider configuration a `resource` or `data` block uses (`provider = aws.x`).
    pub(crate) fn provider_region(&self, res: &ResourceDecl<'_>) -> Known<String> {
        let regions = self.regions();
        match res.attribute("provider").map(|(_, attr)| attr) {
            None => regions.default.clone(),
            Some(attr) => match provider_ref(&attr.value) {
                Some(("aws", alias)) => regions.lookup(alias),
                _ => Known::unknown("provider of the resource not known"),
            },
        }
    }

    /// The account of the provider configuration a resource uses, when pinned.
    pub(crate) fn provider_account(&self, res: &ResourceDecl<'_>) -> Known<String> {
        let regions = self.regions();
        match res.attribute("provider").map(|(_, attr)| attr) {
            None => regions.account(None),
            Some(attr) => match provider_ref(&attr.value) {
                Some(("aws", alias)) => regions.account(alias),
                _ => Known::unknown("provider of the resource not known"),
            },
        }
    }

    /// A resource's region: its own `region` argument (AWS provider v6), else its provider's.
    pub(crate) fn resource_region(
        &self,
        res: &ResourceDecl<'_>,
        idx: usize,
        key: &InstanceKey,
    ) -> Known<String> {
        match self.configured_attr(idx, key, "region") {
            Some(Value::Null) | None => self.provider_region(res),
            Some(v) => known_region(&v),
        }
    }
}

/// A child module's providers: the caller's default `aws` implicitly, and whatever the
/// call's `providers = { aws = aws.west, aws.peer = aws }` passes.
fn inherited(parent: &Parent<'_>) -> Regions {
    let Some(caller) = parent.ev.upgrade() else {
        return Regions::unconfigured();
    };
    let from = caller.regions();
    let mut regions = Regions {
        default: from.default.clone(),
        by_alias: IndexMap::default(),
        default_account: from.default_account.clone(),
        account_by_alias: IndexMap::default(),
    };
    let Some(attr) = parent.call.block.body.get_attribute("providers") else {
        return regions;
    };
    let Expression::Object(map) = &attr.value else {
        return regions;
    };
    for (key, value) in map.iter() {
        let key = match key {
            ObjectKey::Ident(id) => Some((id.as_str(), None)),
            ObjectKey::Expression(e) => provider_ref(e),
        };
        let (Some(("aws", child_alias)), Some(("aws", caller_alias))) =
            (key, provider_ref(value.expr()))
        else {
            continue;
        };
        let region = from.lookup(caller_alias);
        let account = from.account(caller_alias);
        match child_alias {
            None => {
                regions.default = region;
                regions.default_account = account;
            }
            Some(a) => {
                regions.by_alias.insert(a.to_owned(), region);
                regions.account_by_alias.insert(a.to_owned(), account);
            }
        }
    }
    regions
}
