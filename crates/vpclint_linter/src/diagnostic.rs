//! Findings: what a rule reports, with a primary span and related places.

use vpclint_graph::Span;

use crate::{RuleMeta, Severity};

/// A labelled place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One reported problem. Holds no source text; renderers attach it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// The effective severity (the rule's default unless configured otherwise).
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Terraform address or CloudFormation logical ID of the anchor resource.
    pub resource: String,
    /// The stacks (root module directories, template paths) the finding was found in,
    /// sorted and unique: more than one when root modules share the module it is in.
    pub stacks: Vec<String>,
    /// The anchor resource's header (Terraform block header, CloudFormation logical ID key),
    /// so a suppression comment above the resource block can apply to the finding.
    pub anchor: Span,
    /// The anchored attribute (or resource header), with an optional label.
    pub primary: Label,
    /// Secondary places (the peer VPC, the route table lacking the return route).
    pub related: Vec<Label>,
}

/// What a rule hands to [`crate::RuleContext::report`]; the context stamps rule and severity.
#[derive(Debug, Clone)]
#[must_use = "a diagnostic does nothing until it is reported"]
pub struct Diagnostic {
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) primary: Label,
    pub(crate) related: Vec<Label>,
}

impl Diagnostic {
    /// A diagnostic anchored at `span` (the wrong attribute, else the resource header).
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            help: None,
            primary: Label {
                span,
                message: String::new(),
            },
            related: Vec::new(),
        }
    }

    /// The label shown under the primary span.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}
