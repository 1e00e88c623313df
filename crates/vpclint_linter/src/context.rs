//! The context a rule reports through: it stamps ID, severity and docs, and drops
//! reports about resources that might not exist, in one place.

use vpclint_graph::{Origin, VpcGraph};

use crate::{Diagnostic, Finding, RuleMeta, Severity};

pub struct RuleContext<'a> {
    graph: &'a VpcGraph,
    meta: &'static RuleMeta,
    severity: Severity,
    options: Option<&'a serde_json::Value>,
    findings: Vec<Finding>,
    suppressed: Vec<Finding>,
}

impl<'a> RuleContext<'a> {
    pub(crate) fn new(
        graph: &'a VpcGraph,
        meta: &'static RuleMeta,
        severity: Severity,
        options: Option<&'a serde_json::Value>,
    ) -> Self {
        RuleContext {
            graph,
            meta,
            severity,
            options,
            findings: Vec::new(),
            suppressed: Vec::new(),
        }
    }

    /// The stack's graph.
    pub fn graph(&self) -> &'a VpcGraph {
        self.graph
    }

    /// A rule option (from configuration), if set.
    pub fn option(&self, key: &str) -> Option<&'a serde_json::Value> {
        self.options.and_then(|o| o.get(key))
    }

    /// Reports a finding about the resource `anchor`. A resource that might not exist
    /// (unknown condition or count) is never reported as if it were certain, and a resource
    /// whose own metadata suppresses this rule is not reported (the finding is kept aside so
    /// `--warn-unused-ignores` knows the suppression was used).
    pub fn report(&mut self, anchor: &Origin, diagnostic: Diagnostic) {
        if !anchor.is_certain() {
            return;
        }
        let suppressed = anchor
            .suppressed_rules
            .iter()
            .any(|s| self.meta.matches(s) && s != "ALL");
        let finding = Finding {
            rule: self.meta,
            severity: self.severity,
            message: diagnostic.message,
            help: diagnostic.help,
            resource: anchor.address.clone(),
            stacks: vec![self.graph.stack.clone()],
            anchor: anchor.span,
            primary: diagnostic.primary,
            related: diagnostic.related,
        };
        if suppressed {
            self.suppressed.push(finding);
        } else {
            self.findings.push(finding);
        }
    }

    /// (reported findings, findings suppressed by the anchor's own metadata)
    pub(crate) fn into_parts(self) -> (Vec<Finding>, Vec<Finding>) {
        (self.findings, self.suppressed)
    }
}
