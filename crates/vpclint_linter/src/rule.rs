//! Rule metadata, the `Rule` trait and the `declare_rule!` macro.

use std::fmt;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The families of the catalog (the hundreds digit of the ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Peering,
    Ipv6,
    GatewayEndpoints,
    InterfaceEndpoints,
    FlowLogs,
    Addressing,
}

impl Category {
    pub fn title(self) -> &'static str {
        match self {
            Category::Peering => "VPC peering",
            Category::Ipv6 => "IPv6 and egress-only internet gateways",
            Category::GatewayEndpoints => "Gateway endpoints and S3",
            Category::InterfaceEndpoints => "Interface endpoints (PrivateLink)",
            Category::FlowLogs => "Flow logs",
            Category::Addressing => "Addressing and routing integrity",
        }
    }
}

/// Where rule documentation is published.
pub const DOCS_BASE_URL: &str = "https://github.com/vpclint/vpclint/blob/main/docs/rules/";

/// Everything about a rule except its logic. Built by [`declare_rule!`].
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable ID (`VPC103`), never reused.
    pub id: &'static str,
    /// Kebab-case name (`peering-missing-return-route`), accepted wherever an ID is.
    pub name: &'static str,
    pub default_severity: Severity,
    pub category: Category,
    /// The rule's doc comment: the first line is the summary, then `## What it does`, ...
    pub docs: &'static str,
    /// Source location, for a "view source" link.
    pub source_file: &'static str,
    pub source_line: u32,
}

impl RuleMeta {
    /// The one-line summary (the doc comment's first paragraph).
    pub fn summary(&self) -> &'static str {
        self.docs.trim_start().lines().next().unwrap_or("").trim()
    }

    pub fn docs_url(&self) -> String {
        format!("{DOCS_BASE_URL}{}.md", self.id)
    }

    /// The documentation body without the summary line, dedented.
    pub fn body(&self) -> String {
        let mut lines = self.docs.trim_start().lines();
        lines.next();
        lines
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }

    /// Whether `selector` (ID, name, ID prefix such as `VPC1`, or `ALL`) names this rule.
    pub fn matches(&self, selector: &str) -> bool {
        let s = selector.trim();
        s.eq_ignore_ascii_case("ALL")
            || s.eq_ignore_ascii_case(self.id)
            || s.eq_ignore_ascii_case(self.name)
            || (s.len() >= 3
                && s.len() < self.id.len()
                && self.id.starts_with(&s.to_ascii_uppercase()))
    }
}

/// Gives a rule its metadata; implemented by [`declare_rule!`].
pub trait RuleMetadata {
    fn meta(&self) -> &'static RuleMeta;
}

/// A check over one stack's graph. Rules read only the graph and report through the context.
pub trait Rule: RuleMetadata + Send + Sync {
    fn check(&self, ctx: &mut crate::RuleContext<'_>);
}

/// Declares a rule: its doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// One-line summary.
///     ///
///     /// ## What it does
///     /// ...
///     pub PeeringCidrOverlap {
///         id: "VPC101",
///         name: "peering-cidr-overlap",
///         severity: Error,
///         category: Peering,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis $name:ident {
            id: $id:literal,
            name: $rule_name:literal,
            severity: $severity:ident,
            category: $category:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                id: $id,
                name: $rule_name,
                default_severity: $crate::Severity::$severity,
                category: $crate::Category::$category,
                docs: concat!($($doc, "\n"),+),
                source_file: file!(),
                source_line: line!(),
            };
        }

        impl $crate::RuleMetadata for $name {
            fn meta(&self) -> &'static $crate::RuleMeta {
                static META: $crate::RuleMeta = $name::META;
                &META
            }
        }
    };
}
