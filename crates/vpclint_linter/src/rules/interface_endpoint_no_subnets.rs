use std::collections::HashSet;

use vpclint_graph::endpoints::{is_interface, EndpointFacts};
use vpclint_graph::{Known, StackKind, VpcGraph, VpcId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// An interface endpoint has no subnets, so it has no network interfaces.
    ///
    /// ## What it does
    /// Reports an `Interface` endpoint that lists no subnet (`subnet_ids` / `SubnetIds`) and
    /// has none added with `aws_vpc_endpoint_subnet_association`. The rule is silent when the
    /// list is unknown (a variable without a value, a data source, an unresolved condition) or
    /// an association might add a subnet to it.
    ///
    /// ## Why is this bad?
    /// An interface endpoint reaches the VPC only through the network interfaces AWS creates
    /// in its subnets, one per subnet. Without subnets it has no interface and no IP address:
    /// its DNS names resolve to nothing, and with private DNS on, the service's public name
    /// stops resolving for the whole VPC.
    ///
    /// ## How to fix
    /// Add one subnet per Availability Zone your workloads use (usually the private subnets)
    /// to `subnet_ids` / `SubnetIds`.
    ///
    /// ## References
    /// - [Access an AWS service using an interface VPC endpoint](https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html)
    /// - [Interface endpoint properties: subnets and network interfaces](https://docs.aws.amazon.com/vpc/latest/privatelink/concepts.html#concepts-vpc-endpoints)
    pub InterfaceEndpointNoSubnets {
        id: "VPC405",
        name: "interface-endpoint-no-subnets",
        severity: Warning,
        category: InterfaceEndpoints,
    }
}

impl Rule for InterfaceEndpointNoSubnets {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let facts = EndpointFacts::new(graph);
        let attr = match graph.kind {
            StackKind::Terraform => "subnet_ids",
            StackKind::CloudFormation => "SubnetIds",
        };
        for (id, endpoint) in graph.endpoints.iter() {
            if !is_interface(endpoint) || !facts.certainly_no_subnets(id) {
                continue;
            }
            let service = endpoint
                .service_name
                .known()
                .map(|s| format!(" for {s}"))
                .unwrap_or_default();
            let candidates = endpoint
                .vpc
                .node()
                .map(|vpc| one_subnet_per_zone(graph, vpc))
                .unwrap_or_default();
            let help = if candidates.is_empty() {
                format!(
                    "add one subnet per Availability Zone of its VPC to {attr} of {}",
                    endpoint.origin.address
                )
            } else {
                format!(
                    "add one subnet per Availability Zone to {attr} of {}, for example {}",
                    endpoint.origin.address,
                    candidates.join(", ")
                )
            };
            let diagnostic = Diagnostic::new(
                endpoint.origin.span,
                format!(
                    "interface endpoint {}{service} has no subnets, so it has no network interface in the VPC",
                    endpoint.origin.address
                ),
            )
            .label(format!("no {attr}: nothing in the VPC can reach this endpoint"))
            .help(help);
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

/// Up to three subnets of the VPC, one per known Availability Zone, for the help text.
fn one_subnet_per_zone(graph: &VpcGraph, vpc: VpcId) -> Vec<String> {
    let Some(vpc) = graph.vpcs.get(vpc) else {
        return Vec::new();
    };
    let mut zones = HashSet::new();
    let mut out = Vec::new();
    for &s in &vpc.subnets {
        let subnet = &graph.subnets[s];
        if !subnet.origin.is_certain() {
            continue;
        }
        if let Some(Known::Known(az)) = &subnet.availability_zone {
            if zones.insert(az.as_str()) {
                out.push(format!("{} ({az})", subnet.origin.address));
            }
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}
