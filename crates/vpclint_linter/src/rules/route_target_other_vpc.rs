use vpclint_graph::integrity::{
    destination_text, target_attribute, target_name, TargetVpc, TargetVpcs,
};
use vpclint_graph::{Link, Route, RouteTarget, TargetRef, VpcEndpoint, VpcGraph, VpcId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A route targets a gateway, endpoint or peering connection of another VPC.
    ///
    /// ## What it does
    /// For every route whose route table belongs to a VPC of the configuration, checks that
    /// its target belongs to that same VPC:
    /// - an internet gateway attached to it (`vpc_id`, `aws_internet_gateway_attachment`,
    ///   `AWS::EC2::VPCGatewayAttachment`),
    /// - an egress-only internet gateway of it,
    /// - a NAT gateway in one of its subnets,
    /// - a VPC endpoint (Gateway Load Balancer or gateway endpoint) of it,
    /// - a peering connection that has it as the requester or the accepter.
    ///
    /// Both VPCs must be resources of the configuration: a target given by literal ID
    /// (`igw-0abc…`), a VPC from a data source, or a gateway or attachment that might not be
    /// created keeps the rule silent.
    ///
    /// ## Why is this bad?
    /// A route table can only send traffic to targets in its own VPC (or to a peering
    /// connection of it). AWS rejects the route ("route table and network gateway belong to
    /// different networks"), so the apply fails. With several VPCs in one configuration, the
    /// usual cause is a copy-pasted resource that still references the other VPC's gateway.
    ///
    /// ## How to fix
    /// Point the route at the gateway, NAT gateway, endpoint or peering connection of the
    /// route table's own VPC, creating it if that VPC has none.
    ///
    /// ## References
    /// - [Route table concepts: route targets](https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-concepts)
    /// - [Configure route tables](https://docs.aws.amazon.com/vpc/latest/userguide/WorkWithRouteTables.html)
    /// - [Update your route tables for a VPC peering connection](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html)
    pub RouteTargetOtherVpc {
        id: "VPC604",
        name: "route-target-other-vpc",
        severity: Error,
        category: Addressing,
    }
}

impl Rule for RouteTargetOtherVpc {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let owners = TargetVpcs::new(graph);
        for route in graph.routes.values() {
            let Some(table) = route
                .route_table
                .node()
                .and_then(|t| graph.route_tables.get(t))
            else {
                continue;
            };
            let Some(own) = table.vpc.node() else {
                continue;
            };
            if !table.origin.is_certain() || !graph.vpcs[own].origin.is_certain() {
                continue;
            }
            for target in &route.targets {
                let Some(owner) = owners.of(&target.target) else {
                    continue;
                };
                if owner.serves(own) {
                    continue;
                }
                let diagnostic = diagnostic(graph, &owners, route, target, owner, own);
                ctx.report(&route.origin, diagnostic);
            }
        }
    }
}

fn kind(target: &RouteTarget) -> &'static str {
    match target {
        RouteTarget::InternetGateway(_) => "internet gateway",
        RouteTarget::EgressOnlyInternetGateway(_) => "egress-only internet gateway",
        RouteTarget::NatGateway(_) => "NAT gateway",
        RouteTarget::VpcEndpoint(_) => "VPC endpoint",
        RouteTarget::Peering(_) => "peering connection",
        RouteTarget::Local | RouteTarget::Other { .. } => "target",
    }
}

fn diagnostic(
    graph: &VpcGraph,
    owners: &TargetVpcs<'_>,
    route: &Route,
    target: &TargetRef,
    owner: TargetVpc,
    own: VpcId,
) -> Diagnostic {
    let own_name = &graph.vpcs[own].origin.address;
    let target_label = target_name(graph, &target.target);
    let what = kind(&target.target);
    let destination = destination_text(&route.destination);
    let table_name = route
        .route_table
        .node()
        .and_then(|t| graph.route_tables.get(t))
        .map(|t| t.origin.address.as_str())
        .unwrap_or("its route table");
    let (belongs, other_vpcs) = match owner {
        TargetVpc::Vpc(other) => {
            let other_name = &graph.vpcs[other].origin.address;
            let verb = match &target.target {
                RouteTarget::InternetGateway(_) => "is attached to",
                RouteTarget::NatGateway(_) => "is in a subnet of",
                _ => "belongs to",
            };
            (format!("{verb} {other_name}"), vec![other])
        }
        TargetVpc::Peering {
            requester,
            accepter,
        } => (
            format!(
                "connects {} and {}",
                graph.vpcs[requester].origin.address, graph.vpcs[accepter].origin.address
            ),
            vec![requester, accepter],
        ),
    };
    let mut diagnostic = Diagnostic::new(
        target.span,
        format!(
            "route to {destination} in {table_name} (VPC {own_name}) targets {what} {target_label}, \
             which {belongs}"
        ),
    )
    .label(format!("{target_label} is not {} of {own_name}", article(what)));
    let role = if other_vpcs.len() > 1 {
        "one side of"
    } else {
        "the VPC of"
    };
    for &vpc in &other_vpcs {
        let other = &graph.vpcs[vpc].origin;
        diagnostic = diagnostic.related(
            other.span,
            format!("{} is {role} {target_label}", other.address),
        );
    }
    let attribute = target_attribute(route, target);
    if let TargetVpc::Peering { .. } = owner {
        return diagnostic.help(peering_help(
            graph,
            owners,
            route,
            &other_vpcs,
            own,
            attribute,
        ));
    }
    let help = match same_kind_in(graph, owners, &target.target, own) {
        Some(alternative) => format!(
            "set {attribute} to {alternative}, the {what} of {own_name}, or move the route to a route \
             table of the other VPC"
        ),
        None => format!(
            "create {} for {own_name} and point {attribute} at it, or move the route to a \
             route table of the VPC that owns {target_label}",
            article(what)
        ),
    };
    diagnostic.help(help)
}

/// A target of the same kind that serves `own`, for a concrete suggestion.
fn same_kind_in(
    graph: &VpcGraph,
    owners: &TargetVpcs<'_>,
    target: &RouteTarget,
    own: VpcId,
) -> Option<String> {
    fn first<T>(
        ids: impl Iterator<Item = vpclint_graph::Id<T>>,
        wrap: impl Fn(Link<T>) -> RouteTarget,
        owners: &TargetVpcs<'_>,
        own: VpcId,
    ) -> Option<RouteTarget> {
        ids.map(|id| wrap(Link::Node(id)))
            .find(|t| owners.of(t).is_some_and(|o| o.serves(own)))
    }
    let service = |link: &Link<VpcEndpoint>| {
        link.node()
            .and_then(|id| graph.endpoints.get(id))
            .and_then(|e| e.service_name.known().cloned())
    };
    let candidate = match target {
        RouteTarget::InternetGateway(_) => first(
            graph.internet_gateways.ids(),
            RouteTarget::InternetGateway,
            owners,
            own,
        ),
        RouteTarget::EgressOnlyInternetGateway(_) => first(
            graph.egress_only_gateways.ids(),
            RouteTarget::EgressOnlyInternetGateway,
            owners,
            own,
        ),
        RouteTarget::NatGateway(_) => first(
            graph.nat_gateways.ids(),
            RouteTarget::NatGateway,
            owners,
            own,
        ),
        // Only an endpoint for the same service is a replacement.
        RouteTarget::VpcEndpoint(wrong) => {
            let wanted = service(wrong)?;
            first(
                graph
                    .endpoints
                    .iter()
                    .filter(|(_, e)| e.service_name.known() == Some(&wanted))
                    .map(|(id, _)| id),
                RouteTarget::VpcEndpoint,
                owners,
                own,
            )
        }
        RouteTarget::Peering(_) => None,
        RouteTarget::Local | RouteTarget::Other { .. } => None,
    }?;
    Some(target_name(graph, &candidate))
}

fn article(what: &str) -> String {
    let an = what.starts_with(|c: char| "aeiouAEIO".contains(c));
    format!("{} {what}", if an { "an" } else { "a" })
}

/// For a peering connection of other VPCs: the peering of the route table's VPC with the
/// VPC that holds the destination, or the advice to create one (peering is not transitive).
fn peering_help(
    graph: &VpcGraph,
    owners: &TargetVpcs<'_>,
    route: &Route,
    sides: &[VpcId],
    own: VpcId,
    attribute: &str,
) -> String {
    let own_name = &graph.vpcs[own].origin.address;
    let holder = route.destination.cidr().and_then(|destination| {
        sides.iter().copied().find(|&side| {
            graph.vpcs[side]
                .cidrs()
                .filter_map(|b| b.known())
                .any(|c| c.contains(&destination.trunc()))
        })
    });
    let Some(holder) = holder else {
        return format!(
            "route over a peering connection of {own_name}; a route table can only use peering \
             connections of its own VPC"
        );
    };
    let holder_name = &graph.vpcs[holder].origin.address;
    let direct = own_peerings(graph, owners, own).find(|&(_, other)| other == holder);
    match direct {
        Some((peering, _)) => format!(
            "set {attribute} to {}, the peering connection between {own_name} and {holder_name}",
            graph.peerings[peering].origin.address
        ),
        None => format!(
            "peer {own_name} with {holder_name} directly and route over that connection (peering \
             is not transitive), or use a transit gateway"
        ),
    }
}

/// The certain peerings of a VPC, with the VPC on the other side.
fn own_peerings<'a>(
    graph: &'a VpcGraph,
    owners: &'a TargetVpcs<'_>,
    own: VpcId,
) -> impl Iterator<Item = (vpclint_graph::PeeringId, VpcId)> + 'a {
    graph.vpcs[own].peerings.iter().filter_map(move |&p| {
        match owners.of(&RouteTarget::Peering(Link::Node(p)))? {
            TargetVpc::Peering {
                requester,
                accepter,
            } if requester == own => Some((p, accepter)),
            TargetVpc::Peering {
                requester,
                accepter,
            } if accepter == own => Some((p, requester)),
            _ => None,
        }
    })
}
