//! Runs rules over graphs in parallel and returns findings in a deterministic order.

use std::collections::HashMap;

use rayon::prelude::*;
use vpclint_graph::{SourceMap, VpcGraph};

use crate::{Finding, Rule, RuleContext, Severity, RULES};

/// Which rules run, at what severity, with which options.
#[derive(Debug, Default, Clone)]
pub struct RuleSelection {
    /// Selectors (ID, name, ID prefix, `ALL`). Empty: every rule whose default severity is at least `warning`.
    pub select: Vec<String>,
    /// Selectors removed after `select`.
    pub ignore: Vec<String>,
    /// Per-rule severity overrides, by ID or name.
    pub severity: HashMap<String, Severity>,
    /// Per-rule options, by ID or name.
    pub options: HashMap<String, serde_json::Value>,
}

/// A rule with its effective severity and options.
pub struct EnabledRule {
    pub rule: &'static dyn Rule,
    pub severity: Severity,
    pub options: Option<serde_json::Value>,
}

impl RuleSelection {
    /// Selectors that name no rule (so the CLI can refuse them).
    pub fn unknown_selectors(&self) -> Vec<String> {
        let severity_keys = self.severity.keys();
        let option_keys = self.options.keys();
        self.select
            .iter()
            .chain(self.ignore.iter())
            .chain(severity_keys)
            .chain(option_keys)
            .filter(|s| !RULES.iter().any(|r| r.meta().matches(s)))
            .cloned()
            .collect()
    }

    /// The rules to run.
    pub fn enabled(&self) -> Vec<EnabledRule> {
        RULES
            .iter()
            .copied()
            .filter(|rule| {
                let meta = rule.meta();
                let selected = if self.select.is_empty() {
                    meta.default_severity >= Severity::Warning
                } else {
                    self.select.iter().any(|s| meta.matches(s))
                };
                selected && !self.ignore.iter().any(|s| meta.matches(s))
            })
            .map(|rule| {
                let meta = rule.meta();
                let by_key = |key: &String| {
                    key.eq_ignore_ascii_case(meta.id) || key.eq_ignore_ascii_case(meta.name)
                };
                let severity = self
                    .severity
                    .iter()
                    .find(|(k, _)| by_key(k))
                    .map_or(meta.default_severity, |(_, s)| *s);
                let options = self
                    .options
                    .iter()
                    .find(|(k, _)| by_key(k))
                    .map(|(_, v)| v.clone());
                EnabledRule {
                    rule,
                    severity,
                    options,
                }
            })
            .collect()
    }
}

/// Runs `rules` over every graph, in parallel over (graph × rule), and sorts the findings by
/// (file, position, rule ID, message) so output is byte-for-byte deterministic.
pub fn lint(graphs: &[VpcGraph], rules: &[EnabledRule], sources: &SourceMap) -> Vec<Finding> {
    lint_all(graphs, rules, sources).findings
}

/// What [`lint_all`] found: the findings, and those the anchor resources' own metadata
/// (CloudFormation `Metadata: {vpclint: {ignore: [...]}}`) suppressed.
#[derive(Debug, Default)]
pub struct Linted {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Finding>,
}

/// Like [`lint`], also returning the findings that metadata suppressed (sorted the same way).
pub fn lint_all(graphs: &[VpcGraph], rules: &[EnabledRule], sources: &SourceMap) -> Linted {
    let (mut findings, mut suppressed): (Vec<Finding>, Vec<Finding>) = graphs
        .par_iter()
        .flat_map(|graph| {
            rules.par_iter().map(move |enabled| {
                let mut ctx = RuleContext::new(
                    graph,
                    enabled.rule.meta(),
                    enabled.severity,
                    enabled.options.as_ref(),
                );
                enabled.rule.check(&mut ctx);
                ctx.into_parts()
            })
        })
        .reduce(
            || (Vec::new(), Vec::new()),
            |mut a, b| {
                a.0.extend(b.0);
                a.1.extend(b.1);
                a
            },
        );
    for list in [&mut findings, &mut suppressed] {
        sort_findings(list, sources);
        merge_duplicates(list);
    }
    Linted {
        findings,
        suppressed,
    }
}

/// Merges the findings of one rule at one place with one message, which come from root
/// modules that share a module: one finding remains (the first; findings arrive sorted and
/// in stack order), listing every stack, sorted and unique whatever order rayon ran them in.
fn merge_duplicates(findings: &mut Vec<Finding>) {
    findings.dedup_by(|later, kept| {
        let same = later.rule.id == kept.rule.id
            && later.primary == kept.primary
            && later.message == kept.message;
        if same {
            kept.stacks.append(&mut later.stacks);
        }
        same
    });
    for finding in findings {
        finding.stacks.sort_unstable();
        finding.stacks.dedup();
    }
}

/// Sorts findings by (file path, start, end, rule ID, message, resource, label), so findings
/// that [`merge_duplicates`] merges are next to each other.
pub fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    let path = |f: &Finding| {
        sources
            .get(f.primary.span.file)
            .map(|s| s.display_path())
            .unwrap_or_default()
    };
    findings.sort_by_cached_key(|f| {
        (
            path(f),
            f.primary.span.start,
            f.primary.span.end,
            f.rule.id,
            f.message.clone(),
            f.resource.clone(),
            f.primary.message.clone(),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Label;
    use vpclint_graph::{FileId, Span};

    fn finding(rule: usize, start: usize, stack: &str) -> Finding {
        let span = Span::new(FileId(0), start, start + 4);
        Finding {
            rule: RULES[rule].meta(),
            severity: Severity::Warning,
            message: "no flow log".into(),
            help: None,
            resource: "module.network.aws_vpc.this".into(),
            stacks: vec![stack.into()],
            anchor: span,
            primary: Label {
                span,
                message: String::new(),
            },
            related: Vec::new(),
        }
    }

    #[test]
    fn duplicates_merge_into_one_finding_listing_every_stack_sorted() {
        // As rayon may hand them over: stacks out of order, one stack twice.
        let mut findings = vec![
            finding(0, 10, "examples/simple"),
            finding(0, 10, "examples/complete"),
            finding(0, 10, "examples/simple"),
            finding(0, 10, "examples/ipam"),
            finding(1, 10, "examples/simple"),
            finding(0, 20, "examples/simple"),
        ];
        merge_duplicates(&mut findings);
        let merged: Vec<(&str, u32, Vec<&str>)> = findings
            .iter()
            .map(|f| {
                (
                    f.rule.id,
                    f.primary.span.start,
                    f.stacks.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            merged,
            [
                (
                    RULES[0].meta().id,
                    10,
                    vec!["examples/complete", "examples/ipam", "examples/simple"]
                ),
                (RULES[1].meta().id, 10, vec!["examples/simple"]),
                (RULES[0].meta().id, 20, vec!["examples/simple"]),
            ]
        );
    }
}
