use std::collections::HashSet;

use vpclint_graph::{
    CidrOwner, EndpointAssociationKind, FlowLogTarget, Link, Origin, RouteTarget, Span, StackKind,
    VpcGraph,
};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A networking resource references a resource that is not declared.
    ///
    /// ## What it does
    /// Follows every reference between networking resources — a subnet's VPC, a route's
    /// route table and target, route table and endpoint associations, gateways and their
    /// attachments, NAT gateways, peering connections and accepters, endpoints, flow log
    /// targets, security groups and their rules, bucket policies — and reports a reference
    /// to a resource that the configuration does not declare: a Terraform reference such as
    /// `aws_vpc.mian.id` to a resource block that does not exist (in that module), or a
    /// CloudFormation `Ref` / `Fn::GetAtt` to a logical ID that is not in the template.
    ///
    /// Literal IDs of existing infrastructure (`vpc-0abc…`, `igw-0abc…`), data sources,
    /// variables, module outputs and resources of types vpclint does not model are not
    /// undeclared references and are never reported.
    ///
    /// ## Why is this bad?
    /// Terraform refuses to plan a configuration with a reference to an undeclared resource,
    /// and CloudFormation rejects the template ("Unresolved resource dependencies"). The
    /// usual causes are a typo, a resource renamed or deleted without updating its users, or
    /// a reference to a resource of another module or stack. vpclint also cannot follow the
    /// reference, so other rules know less about the resources involved.
    ///
    /// ## How to fix
    /// Reference the resource by its declared name, declare the missing resource, or — for
    /// infrastructure managed elsewhere — pass its ID in as a variable or parameter (or read
    /// it with a data source, `Fn::ImportValue`, a module output).
    ///
    /// ## References
    /// - [Terraform: references to resource attributes](https://developer.hashicorp.com/terraform/language/expressions/references#references-to-resource-attributes)
    /// - [CloudFormation: Ref](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html)
    /// - [CloudFormation: Fn::GetAtt](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html)
    pub UndefinedReference {
        id: "VPC606",
        name: "undefined-reference",
        severity: Error,
        category: Addressing,
    }
}

impl Rule for UndefinedReference {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let mut finder = Finder {
            graph,
            seen: HashSet::new(),
            found: Vec::new(),
        };
        finder.walk();
        for (origin, diagnostic) in finder.found {
            ctx.report(origin, diagnostic);
        }
    }
}

struct Finder<'g> {
    graph: &'g VpcGraph,
    /// (reference span, address): a link copied into two nodes is reported once.
    seen: HashSet<(Span, &'g str)>,
    found: Vec<(&'g Origin, Diagnostic)>,
}

impl<'g> Finder<'g> {
    fn walk(&mut self) {
        let g = self.graph;
        for n in g.subnets.values() {
            self.link(&n.origin, &n.vpc, None, "VPC");
        }
        for n in g.route_tables.values() {
            self.link(&n.origin, &n.vpc, None, "VPC");
        }
        for n in g.routes.values() {
            self.link(&n.origin, &n.route_table, None, "route table");
            for t in &n.targets {
                let span = Some(t.span);
                match &t.target {
                    RouteTarget::InternetGateway(l) => {
                        self.link(&n.origin, l, span, "internet gateway")
                    }
                    RouteTarget::EgressOnlyInternetGateway(l) => {
                        self.link(&n.origin, l, span, "egress-only internet gateway")
                    }
                    RouteTarget::NatGateway(l) => self.link(&n.origin, l, span, "NAT gateway"),
                    RouteTarget::Peering(l) => self.link(&n.origin, l, span, "peering connection"),
                    RouteTarget::VpcEndpoint(l) => self.link(&n.origin, l, span, "VPC endpoint"),
                    RouteTarget::Local | RouteTarget::Other { .. } => {}
                }
            }
        }
        for n in g.route_table_associations.values() {
            self.link(&n.origin, &n.subnet, None, "subnet");
            self.link(&n.origin, &n.route_table, None, "route table");
        }
        for n in g.main_route_table_associations.values() {
            self.link(&n.origin, &n.vpc, None, "VPC");
            self.link(&n.origin, &n.route_table, None, "route table");
        }
        for n in g.cidr_associations.values() {
            match &n.owner {
                CidrOwner::Vpc(l) => self.link(&n.origin, l, None, "VPC"),
                CidrOwner::Subnet(l) => self.link(&n.origin, l, None, "subnet"),
            }
        }
        // Attachments first: `finish` copies an attachment's VPC into its gateway, and the
        // finding belongs to the attachment that wrote it.
        for n in g.gateway_attachments.values() {
            self.link(&n.origin, &n.gateway, None, "internet gateway");
            self.link(&n.origin, &n.vpc, None, "VPC");
        }
        for n in g.internet_gateways.values() {
            self.link(&n.origin, &n.vpc, None, "VPC");
        }
        for n in g.egress_only_gateways.values() {
            self.link(&n.origin, &n.vpc, None, "VPC");
        }
        for n in g.nat_gateways.values() {
            self.link(&n.origin, &n.subnet, None, "subnet");
        }
        for n in g.peerings.values() {
            self.link(&n.origin, &n.requester_vpc, None, "VPC");
            self.link(&n.origin, &n.accepter_vpc, None, "peer VPC");
        }
        for n in g.peering_accepters.values() {
            self.link(&n.origin, &n.peering, None, "peering connection");
        }
        for n in g.endpoints.values() {
            self.link(&n.origin, &n.vpc, None, "VPC");
            // Links that came from association resources are reported on those resources.
            for l in n.route_tables.iter().filter(|l| l.via.is_none()) {
                self.link(&n.origin, &l.link, Some(l.span), "route table");
            }
            for l in n.subnets.iter().filter(|l| l.via.is_none()) {
                self.link(&n.origin, &l.link, Some(l.span), "subnet");
            }
            for l in n.security_groups.iter().filter(|l| l.via.is_none()) {
                self.link(&n.origin, &l.link, Some(l.span), "security group");
            }
        }
        for n in g.endpoint_associations.values() {
            self.link(&n.origin, &n.endpoint, None, "VPC endpoint");
            match &n.kind {
                EndpointAssociationKind::RouteTable(l) => {
                    self.link(&n.origin, l, None, "route table")
                }
                EndpointAssociationKind::Subnet(l) => self.link(&n.origin, l, None, "subnet"),
                EndpointAssociationKind::SecurityGroup(l) => {
                    self.link(&n.origin, l, None, "security group")
                }
                EndpointAssociationKind::Policy(_) => {}
            }
        }
        for n in g.flow_logs.values() {
            for t in &n.targets {
                match t {
                    FlowLogTarget::Vpc(l) => self.link(&n.origin, l, None, "VPC"),
                    FlowLogTarget::Subnet(l) => self.link(&n.origin, l, None, "subnet"),
                    _ => {}
                }
            }
        }
        for n in g.security_groups.values() {
            self.link(&n.origin, &n.vpc, None, "VPC");
        }
        for n in g.security_group_rules.values() {
            self.link(&n.origin, &n.security_group, None, "security group");
            if let Some(r) = &n.referenced_security_group {
                self.link(&n.origin, &r.link, Some(r.span), "security group");
            }
        }
        for n in g.bucket_policies.values() {
            self.link(&n.origin, &n.bucket, None, "S3 bucket");
        }
    }

    /// Records a finding when `link` is a reference to an undeclared resource.
    fn link<T>(
        &mut self,
        origin: &'g Origin,
        link: &'g Link<T>,
        fallback: Option<Span>,
        what: &str,
    ) {
        let Link::Undeclared { address, span } = link else {
            return;
        };
        let span = span.or(fallback).unwrap_or(origin.span);
        if !self.seen.insert((span, address.as_str())) {
            return;
        }
        let diagnostic = self.diagnostic(origin, address, span, what);
        self.found.push((origin, diagnostic));
    }

    fn diagnostic(&self, origin: &Origin, address: &str, span: Span, what: &str) -> Diagnostic {
        let g = self.graph;
        let attribute = origin
            .attributes
            .iter()
            .find(|(_, s)| s.file == span.file && s.start <= span.start && span.end <= s.end)
            .map(|(name, _)| format!(" in {name}"))
            .unwrap_or_default();
        // Terraform: show a child module's addresses as written in that module.
        let module = module_prefix(origin);
        // How an address is written where the reference is: relative to the Terraform
        // module; a CloudFormation logical ID without the qualifier of linked templates.
        let local = |a: &'_ str| -> String {
            match g.kind {
                StackKind::Terraform => a
                    .strip_prefix(module)
                    .filter(|_| !module.is_empty())
                    .unwrap_or(a)
                    .to_owned(),
                StackKind::CloudFormation => a.rsplit('.').next().unwrap_or(a).to_owned(),
            }
        };
        let shown = local(address);
        let declared_where = match (g.kind, module.trim_end_matches('.')) {
            (StackKind::Terraform, "") => "in this module".to_owned(),
            (StackKind::Terraform, m) => format!("in {m}"),
            (StackKind::CloudFormation, _) => "in this template".to_owned(),
        };
        let mut diagnostic = Diagnostic::new(
            span,
            format!(
                "{} references {what} {shown}{attribute}, but no resource {shown} is declared \
                 {declared_where}",
                origin.address
            ),
        )
        .label(format!("{shown} is not declared"));
        let suggestion = closest_declared(g, address, span);
        // A qualified CloudFormation address is a logical ID that only another template linked
        // by exports declares.
        let other_template = g.kind == StackKind::CloudFormation && address.contains('.');
        let help = match (&suggestion, g.kind) {
            _ if other_template => format!(
                "{shown} is declared in another template, and Ref/GetAtt cannot reach across \
                 templates: export its ID there (Outputs, Export) and use Fn::ImportValue here, \
                 or pass it in as a parameter"
            ),
            (Some((name, _)), _) => format!(
                "did you mean {}? Otherwise declare {shown}, or pass the ID of an existing {what} \
                 in as {}",
                local(name),
                input_kind(g.kind)
            ),
            (None, StackKind::Terraform) => format!(
                "declare {shown} {declared_where}, or pass the ID of an existing {what} in as a \
                 variable (or read it with a data source) instead of this reference"
            ),
            (None, StackKind::CloudFormation) => format!(
                "declare {shown} under Resources, or pass the ID of an existing {what} in as a \
                 parameter (or Fn::ImportValue) instead of this Ref/GetAtt"
            ),
        };
        if let Some((name, Some(span))) = &suggestion {
            if !other_template {
                diagnostic = diagnostic.related(*span, format!("{} is declared here", local(name)));
            }
        }
        diagnostic.help(help)
    }
}

/// The module path of a Terraform address (`module.net.` for `module.net.aws_subnet.a`),
/// empty for the root module and for CloudFormation.
fn module_prefix(origin: &Origin) -> &str {
    let address = origin.address.as_str();
    let needle = format!("{}.", origin.resource_type);
    address
        .match_indices(&needle)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || address[..i].ends_with('.'))
        .map_or("", |i| &address[..i])
}

fn input_kind(kind: StackKind) -> &'static str {
    match kind {
        StackKind::Terraform => "a variable",
        StackKind::CloudFormation => "a parameter",
    }
}

/// The declared resource closest to a misspelt reference, when it is close enough to be a
/// typo, with where it is declared (when it is a node of the graph). Terraform: a resource
/// of the same type in the same module. CloudFormation: a resource of the same template.
fn closest_declared(
    graph: &VpcGraph,
    address: &str,
    reference: Span,
) -> Option<(String, Option<Span>)> {
    let best = match graph.kind {
        StackKind::Terraform => {
            let wanted = strip_index(address);
            let prefix = wanted.rsplit_once('.').map_or("", |(p, _)| p);
            let candidates = graph
                .declared
                .iter()
                .map(|c| strip_index(c))
                .filter(|c| c.rsplit_once('.').map_or("", |(p, _)| p) == prefix);
            closest(wanted, candidates)?
        }
        StackKind::CloudFormation => {
            let logical_id = |a: &'_ str| a.rsplit('.').next().unwrap_or(a).to_owned();
            let wanted = logical_id(address);
            let same_file: Vec<&str> = node_origins(graph)
                .filter(|o| o.span.file == reference.file)
                .map(|o| o.address.as_str())
                .collect();
            let found = closest(
                &wanted,
                same_file.iter().map(|a| a.rsplit('.').next().unwrap_or(a)),
            )?;
            // Back to the address as declared (it may be qualified).
            same_file
                .iter()
                .find(|a| logical_id(a) == found)
                .map_or(found, |a| a)
        }
    };
    let span = node_origins(graph)
        .find(|o| strip_index(&o.address) == best)
        .map(|o| o.span);
    Some((best.to_owned(), span))
}

/// The candidate within a small edit distance of `wanted` (the nearest, then the first
/// alphabetically, for a stable answer).
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.len() / 4).clamp(1, 3);
    candidates
        .filter(|c| *c != wanted)
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The origins of the graph's resource nodes.
fn node_origins(graph: &VpcGraph) -> impl Iterator<Item = &Origin> {
    graph
        .vpcs
        .values()
        .map(|n| &n.origin)
        .chain(graph.subnets.values().map(|n| &n.origin))
        .chain(graph.route_tables.values().map(|n| &n.origin))
        .chain(graph.internet_gateways.values().map(|n| &n.origin))
        .chain(graph.egress_only_gateways.values().map(|n| &n.origin))
        .chain(graph.nat_gateways.values().map(|n| &n.origin))
        .chain(graph.peerings.values().map(|n| &n.origin))
        .chain(graph.endpoints.values().map(|n| &n.origin))
        .chain(graph.security_groups.values().map(|n| &n.origin))
        .chain(graph.buckets.values().map(|n| &n.origin))
}

/// `aws_subnet.a[0]` → `aws_subnet.a`.
fn strip_index(address: &str) -> &str {
    match address.strip_suffix(']') {
        Some(rest) => rest.rfind('[').map_or(address, |i| &address[..i]),
        None => address,
    }
}

/// Levenshtein distance (byte-wise; addresses are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_and_index_stripping() {
        assert_eq!(edit_distance("aws_vpc.mian", "aws_vpc.main"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(strip_index("aws_subnet.a[0]"), "aws_subnet.a");
        assert_eq!(strip_index("aws_subnet.a[\"x\"]"), "aws_subnet.a");
        assert_eq!(strip_index("PublicSubnet"), "PublicSubnet");
    }
}
