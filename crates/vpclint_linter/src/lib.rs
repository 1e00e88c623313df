//! The rule engine and the rules.
//!
//! Rules read only the [`vpclint_graph::VpcGraph`] and report through a
//! [`RuleContext`], which stamps ID, severity and documentation in one place.

mod context;
mod diagnostic;
mod engine;
mod registry;
mod rule;
pub mod rules;

pub use context::RuleContext;
pub use diagnostic::{Diagnostic, Finding, Label};
pub use engine::{lint, lint_all, sort_findings, EnabledRule, Linted, RuleSelection};
pub use registry::{find_rule, RULES};
pub use rule::{Category, Rule, RuleMeta, RuleMetadata, Severity, DOCS_BASE_URL};
