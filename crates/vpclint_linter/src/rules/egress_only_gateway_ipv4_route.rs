use vpclint_graph::egress::{reference, target_name, RouteAttributes};
use vpclint_graph::{Route, RouteTarget, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A route with an IPv4 destination targets an egress-only internet gateway.
    ///
    /// ## What it does
    /// Reports every route — standalone (`aws_route`, `AWS::EC2::Route`) or an inline `route`
    /// block of `aws_route_table` — whose destination is a known IPv4 CIDR block and whose
    /// target is an egress-only internet gateway (`egress_only_gateway_id`, or `gateway_id`
    /// referencing an `aws_egress_only_internet_gateway`; `EgressOnlyInternetGatewayId`).
    ///
    /// A destination whose value is unknown is never reported.
    ///
    /// ## Why is this bad?
    /// An egress-only internet gateway carries IPv6 traffic only. AWS rejects a route that
    /// sends an IPv4 range to it, so the apply fails — typically when `0.0.0.0/0` was meant
    /// to go to a NAT gateway and `::/0` to the egress-only gateway, and the two got mixed up.
    ///
    /// ## How to fix
    /// Give the route an IPv6 destination (`destination_ipv6_cidr_block = "::/0"`,
    /// `DestinationIpv6CidrBlock: ::/0`). Send IPv4 internet traffic of private subnets
    /// through a NAT gateway, and of public subnets through an internet gateway.
    ///
    /// ## References
    /// - [Enable outbound IPv6 traffic using an egress-only internet gateway](https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html)
    /// - [Route table concepts: routing options for egress-only internet gateways](https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html#route-tables-eigw)
    pub EgressOnlyGatewayIpv4Route {
        id: "VPC203",
        name: "egress-only-gateway-ipv4-route",
        severity: Error,
        category: Ipv6,
    }
}

impl Rule for EgressOnlyGatewayIpv4Route {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for route in graph.routes.values() {
            if let Some(diagnostic) = check_route(graph, route) {
                ctx.report(&route.origin, diagnostic);
            }
        }
    }
}

fn check_route(graph: &VpcGraph, route: &Route) -> Option<Diagnostic> {
    let destination = route.destination.cidr()?;
    if !destination.addr().is_ipv4() {
        return None;
    }
    let target = route
        .targets
        .iter()
        .find(|t| matches!(t.target, RouteTarget::EgressOnlyInternetGateway(_)))?;
    let gateway = target_name(graph, &target.target);
    let attrs = RouteAttributes::for_route(graph.kind, route.inline);
    let gateway_ref = match &target.target {
        RouteTarget::EgressOnlyInternetGateway(link) => link
            .node()
            .and_then(|id| graph.egress_only_gateways.get(id))
            .map(|g| reference(graph.kind, &g.origin.address)),
        _ => None,
    }
    .unwrap_or_else(|| gateway.clone());
    let help = if destination.prefix_len() == 0 {
        format!(
            "egress-only gateways carry IPv6 only: make this route `{}` (with `{}`), and send 0.0.0.0/0 \
             through a NAT gateway (`{}`) for a private subnet or an internet gateway (`{}`) for a public one",
            attrs.assign(attrs.ipv6_destination, "::/0", true),
            attrs.assign(attrs.egress_only_gateway, &gateway_ref, false),
            attrs.nat_gateway,
            attrs.internet_gateway
        )
    } else {
        format!(
            "egress-only gateways carry IPv6 only: route {destination} through another target, or give this \
             route an IPv6 destination (`{}`)",
            attrs.ipv6_destination
        )
    };
    Some(
        Diagnostic::new(
            route.destination_span,
            format!(
                "route sends the IPv4 destination {destination} to egress-only internet gateway {gateway}, \
                 which carries only IPv6 traffic; AWS rejects this route"
            ),
        )
        .label("IPv4 destination")
        .related(target.span, "egress-only internet gateway (IPv6 only)")
        .help(help),
    )
}
