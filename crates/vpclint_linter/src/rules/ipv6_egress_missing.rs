use vpclint_graph::egress::{
    egress_only_gateways_of, reference, target_name, DefaultRoute, Ipv6Facts, Presence,
    RouteAttributes, SubnetEgress,
};
use vpclint_graph::routing::Routing;
use vpclint_graph::{
    Link, RouteId, RouteTableId, RouteTarget, StackKind, Subnet, SubnetId, VpcGraph, VpcId,
};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A subnet with an IPv6 CIDR has IPv4 internet egress but no `::/0` route.
    ///
    /// ## What it does
    /// For every subnet with an IPv6 CIDR block (including one whose value is only known at
    /// deployment, such as a block carved from an Amazon-provided VPC block), looks up the
    /// subnet's effective route table — the explicitly associated one, else the VPC's main
    /// route table — and reports the subnet when that table has a `0.0.0.0/0` route (through
    /// a NAT gateway, an internet gateway, a transit gateway, ...) but no `::/0` route.
    ///
    /// Subnets with no default route at all are isolated on purpose (CDK and the common VPC
    /// modules create them) and are not reported. The rule stays silent when the route table,
    /// the subnet's IPv6 block or a route that might be the `::/0` route is unknown.
    ///
    /// ## Why is this bad?
    /// The subnet's hosts get IPv6 addresses and prefer IPv6 for dual-stack destinations, but
    /// with no `::/0` route their IPv6 packets to the internet are dropped. Connections stall
    /// until the client falls back to IPv4, or fail outright for IPv6-only destinations,
    /// while IPv4 egress works and hides the gap.
    ///
    /// ## How to fix
    /// Add a `::/0` route to the subnet's route table: through an egress-only internet
    /// gateway for a private subnet (its IPv4 default route goes through a NAT gateway), or
    /// through the internet gateway for a public subnet.
    ///
    /// ## References
    /// - [Enable outbound IPv6 traffic using an egress-only internet gateway](https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html)
    /// - [Add IPv6 support for your VPC: update your route tables](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-migrate-ipv6-add.html)
    /// - [Route table concepts](https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html)
    pub Ipv6EgressMissing {
        id: "VPC201",
        name: "ipv6-egress-missing",
        severity: Warning,
        category: Ipv6,
    }
}

impl Rule for Ipv6EgressMissing {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let routing = Routing::new(graph);
        let facts = Ipv6Facts::new(graph);
        for (subnet_id, subnet) in graph.subnets.iter() {
            if let Some(diagnostic) = check_subnet(&routing, &facts, subnet_id, subnet) {
                ctx.report(&subnet.origin, diagnostic);
            }
        }
    }
}

fn check_subnet(
    routing: &Routing<'_>,
    facts: &Ipv6Facts,
    subnet_id: SubnetId,
    subnet: &Subnet,
) -> Option<Diagnostic> {
    let graph = routing.graph();
    if facts.subnet(graph, subnet_id) != Presence::Present {
        return None;
    }
    let egress = SubnetEgress::of(routing, subnet_id);
    let ipv4_route = match egress.ipv4 {
        DefaultRoute::Igw(r) | DefaultRoute::Nat(r) | DefaultRoute::Other(r) => r,
        // Isolated, unknown, or an egress-only gateway for IPv4 (VPC203's finding).
        DefaultRoute::None | DefaultRoute::EgressOnly(_) | DefaultRoute::Unknown => return None,
    };
    if egress.ipv6 != DefaultRoute::None {
        return None;
    }
    let table_id = routing.effective_table(subnet_id).table()?;
    let table = &graph.route_tables[table_id];
    let vpc = routing.effective_table(subnet_id).vpc()?;
    let route = &graph.routes[ipv4_route];
    let via = route
        .target()
        .map(|t| target_name(graph, t))
        .unwrap_or_default();
    let ipv6_block = subnet.ipv6_cidrs.first()?;
    let ipv6_text = ipv6_block
        .known()
        .map(|c| format!("IPv6 CIDR {c}"))
        .unwrap_or_else(|| "an IPv6 CIDR block".to_owned());

    let message = format!(
        "subnet {} has {ipv6_text} and reaches the internet over IPv4 (0.0.0.0/0 via {via} in {}), but \
         that route table has no ::/0 route, so its IPv6 traffic cannot leave the VPC",
        subnet.origin.address, table.origin.address
    );
    Some(
        Diagnostic::new(ipv6_block.span, message)
            .label("IPv6 CIDR block without a ::/0 route")
            .related(
                route.destination_span,
                format!("IPv4 internet egress via {via}"),
            )
            .related(
                table.origin.span,
                format!("{} has no route for ::/0", table.origin.address),
            )
            .help(help(graph, egress.ipv4, ipv4_route, table_id, vpc)),
    )
}

fn help(
    graph: &VpcGraph,
    ipv4: DefaultRoute,
    ipv4_route: RouteId,
    table_id: RouteTableId,
    vpc: VpcId,
) -> String {
    let table = &graph.route_tables[table_id].origin.address;
    let attrs = RouteAttributes::for_new_route(graph, Some(table_id));
    let destination = attrs.assign(attrs.ipv6_destination, "::/0", true);
    match ipv4 {
        DefaultRoute::Nat(_) => match egress_only_gateways_of(graph, vpc).first() {
            Some(&eigw) => {
                let name = &graph.egress_only_gateways[eigw].origin.address;
                format!(
                    "the subnet is private (IPv4 goes through a NAT gateway): add a route for ::/0 via {name} to \
                     route table {table} (`{destination}`, `{}`)",
                    attrs.assign(
                        attrs.egress_only_gateway,
                        &reference(graph.kind, name),
                        false
                    )
                )
            }
            None => {
                let resource = match graph.kind {
                    StackKind::Terraform => "aws_egress_only_internet_gateway",
                    StackKind::CloudFormation => "AWS::EC2::EgressOnlyInternetGateway",
                };
                format!(
                    "the subnet is private (IPv4 goes through a NAT gateway): create an egress-only internet \
                     gateway ({resource}) for {} and add a route for ::/0 via it to route table {table} \
                     (`{destination}`, with `{}` set to the new gateway)",
                    graph.vpcs[vpc].origin.address, attrs.egress_only_gateway
                )
            }
        },
        DefaultRoute::Igw(_) => {
            let target = graph.routes[ipv4_route].target();
            let name = target.map(|t| target_name(graph, t)).unwrap_or_default();
            let (value, literal) = match target {
                Some(RouteTarget::InternetGateway(Link::Node(id))) => (
                    reference(graph.kind, &graph.internet_gateways[*id].origin.address),
                    false,
                ),
                Some(RouteTarget::InternetGateway(Link::External(id))) => (id.clone(), true),
                _ => (name.clone(), false),
            };
            format!(
                "the subnet is public (IPv4 goes to an internet gateway): add a route for ::/0 via {name} to route \
                 table {table} (`{destination}`, `{}`)",
                attrs.assign(attrs.internet_gateway, &value, literal)
            )
        }
        _ => {
            let via = graph.routes[ipv4_route]
                .target()
                .map(|t| target_name(graph, t))
                .unwrap_or_default();
            format!(
                "add a route for ::/0 to route table {table} (`{destination}`): via {via} like its IPv4 default \
                 route if that path carries IPv6, else via an egress-only internet gateway"
            )
        }
    }
}
