use vpclint_graph::endpoints::{is_interface, EndpointFacts};
use vpclint_graph::{
    Known, Link, Linked, StackKind, Subnet, SubnetId, VpcEndpoint, VpcGraph, VpcId,
};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// All subnets of an interface endpoint are in one Availability Zone.
    ///
    /// ## What it does
    /// For each `Interface` endpoint (Terraform `vpc_endpoint_type = "Interface"`,
    /// CloudFormation `VpcEndpointType: Interface`), looks up the Availability Zone of every
    /// subnet it is placed in — listed in `subnet_ids` / `SubnetIds` or added with
    /// `aws_vpc_endpoint_subnet_association` — and reports the endpoint when all of them are
    /// in the same zone. An endpoint with exactly one subnet is in a single zone, even when
    /// that subnet is not declared here (a literal `subnet-...` ID, a data source) or its zone
    /// is not known.
    ///
    /// With two or more subnets, the rule is silent when any subnet's zone is not known (no
    /// `availability_zone`, a data source such as `data.aws_availability_zones`,
    /// CloudFormation `Fn::GetAZs`) or a subnet is not declared in the configuration; it is
    /// always silent when the subnet list itself is unknown.
    ///
    /// ## Why is this bad?
    /// An interface endpoint has one network interface per subnet, and its zonal DNS names
    /// and private DNS name resolve only to those interfaces. When that one Availability Zone
    /// is impaired, every client in the VPC loses the service — including clients in healthy
    /// zones — and traffic from other zones crosses zones (and is billed for it) all the time.
    ///
    /// ## How to fix
    /// Place the endpoint in one subnet per Availability Zone your workloads run in (at least
    /// two): add a subnet of another zone to `subnet_ids` / `SubnetIds`.
    ///
    /// ## References
    /// - [Access an AWS service using an interface VPC endpoint](https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html)
    /// - [Resilience in AWS PrivateLink](https://docs.aws.amazon.com/vpc/latest/privatelink/disaster-recovery-resiliency.html)
    pub InterfaceEndpointSingleAz {
        id: "VPC401",
        name: "interface-endpoint-single-az",
        severity: Warning,
        category: InterfaceEndpoints,
    }
}

impl Rule for InterfaceEndpointSingleAz {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let facts = EndpointFacts::new(graph);
        for (id, endpoint) in graph.endpoints.iter() {
            if !is_interface(endpoint) {
                continue;
            }
            let Some(azs) = facts.subnet_azs(id) else {
                if let Some(subnet) = facts.single_subnet(id) {
                    ctx.report(&endpoint.origin, single_subnet(graph, endpoint, subnet));
                }
                continue;
            };
            let Some(&(_, zone)) = azs.first() else {
                continue;
            };
            if azs.iter().any(|(_, az)| *az != zone) {
                continue;
            }
            let mut subnets: Vec<SubnetId> = azs.iter().map(|(s, _)| *s).collect();
            subnets.sort();
            subnets.dedup();
            let names: Vec<&str> = subnets
                .iter()
                .map(|s| graph.subnets[*s].origin.address.as_str())
                .collect();
            let message = match names.as_slice() {
                [only] => format!(
                    "interface endpoint {} has a single subnet, {only}, so its only network interface \
                     is in {zone}",
                    endpoint.origin.address
                ),
                [a, b] => format!(
                    "both subnets of interface endpoint {} ({a}, {b}) are in {zone}",
                    endpoint.origin.address
                ),
                _ => format!(
                    "all {} subnets of interface endpoint {} ({}) are in {zone}",
                    names.len(),
                    endpoint.origin.address,
                    names.join(", ")
                ),
            };
            let subnet_attr = subnet_attribute(graph);
            let help = match endpoint
                .vpc
                .node()
                .and_then(|vpc| other_zone_subnet(graph, vpc, zone))
            {
                Some((subnet, az)) => format!(
                    "add a subnet of another Availability Zone to {subnet_attr} of {}, for example \
                     {subnet} ({az})",
                    endpoint.origin.address
                ),
                None => format!(
                    "create a subnet in a second Availability Zone and add it to {subnet_attr} of {}",
                    endpoint.origin.address
                ),
            };
            let mut diagnostic = Diagnostic::new(
                endpoint.origin.attr_any(&["subnet_ids", "SubnetIds"]),
                message,
            )
            .label(format!("every subnet here is in {zone}"))
            .help(help);
            for subnet in &subnets {
                let s = &graph.subnets[*subnet];
                diagnostic = diagnostic.related(
                    s.origin.attr_any(&[
                        "availability_zone",
                        "availability_zone_id",
                        "AvailabilityZone",
                        "AvailabilityZoneId",
                    ]),
                    format!("{} is in {zone}", s.origin.address),
                );
            }
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

/// The finding for an endpoint whose only subnet's zone vpclint cannot see.
fn single_subnet(graph: &VpcGraph, endpoint: &VpcEndpoint, subnet: &Linked<Subnet>) -> Diagnostic {
    let name = match &subnet.link {
        Link::Node(id) => graph.subnets[*id].origin.address.clone(),
        Link::External(id) | Link::Declared(id) => id.clone(),
        Link::Undeclared { address, .. } | Link::Pending { address, .. } => address.clone(),
        Link::Unknown(unknown) => format!("which is not known here ({})", unknown.reason),
        Link::None => "which is not known here".to_owned(),
    };
    let subnet_attr = subnet_attribute(graph);
    let address = &endpoint.origin.address;
    let mut diagnostic = Diagnostic::new(
        endpoint.origin.attr_any(&["subnet_ids", "SubnetIds"]),
        format!(
            "interface endpoint {address} has a single subnet, {name}, so its only network interface is in \
             one Availability Zone"
        ),
    )
    .label("one subnet is one Availability Zone")
    .help(format!(
        "add a subnet of another Availability Zone to {subnet_attr} of {address}"
    ));
    if let Link::Node(id) = subnet.link {
        let s = &graph.subnets[id];
        diagnostic = diagnostic.related(
            s.origin.span,
            format!("{} is the only subnet", s.origin.address),
        );
    }
    diagnostic
}

fn subnet_attribute(graph: &VpcGraph) -> &'static str {
    match graph.kind {
        StackKind::Terraform => "subnet_ids",
        StackKind::CloudFormation => "SubnetIds",
    }
}

/// A subnet of `vpc` that certainly exists in a known zone other than `zone` (same kind of
/// name: an AZ name is not compared with an AZ ID).
fn other_zone_subnet<'g>(
    graph: &'g VpcGraph,
    vpc: VpcId,
    zone: &str,
) -> Option<(&'g str, &'g str)> {
    let looks_like_id = |az: &str| az.contains("-az");
    graph.vpcs.get(vpc)?.subnets.iter().find_map(|&s| {
        let subnet = &graph.subnets[s];
        match &subnet.availability_zone {
            Some(Known::Known(az))
                if subnet.origin.is_certain()
                    && az != zone
                    && looks_like_id(az) == looks_like_id(zone) =>
            {
                Some((subnet.origin.address.as_str(), az.as_str()))
            }
            _ => None,
        }
    })
}
