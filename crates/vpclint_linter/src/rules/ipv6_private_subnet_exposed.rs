use std::collections::HashMap;

use vpclint_graph::egress::{
    egress_only_gateways_of, reference, target_name, DefaultRoute, Ipv6Facts, Presence,
    RouteAttributes, SubnetEgress,
};
use vpclint_graph::routing::Routing;
use vpclint_graph::{RouteId, StackKind, SubnetId, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A private subnet (IPv4 through NAT) sends `::/0` to an internet gateway.
    ///
    /// ## What it does
    /// For every subnet with an IPv6 CIDR block, looks up the default routes of its
    /// effective route table (the explicitly associated one, else the VPC's main route
    /// table). When `0.0.0.0/0` goes through a NAT gateway — the subnet is meant to be
    /// private — but `::/0` goes to an internet gateway, the `::/0` route is reported, once
    /// per route, naming the private subnets that use it.
    ///
    /// The rule stays silent when a default route might not exist (a condition vpclint
    /// cannot evaluate), when its target is unknown, or when the route table is unknown.
    ///
    /// ## Why is this bad?
    /// There is no NAT for IPv6: every IPv6 address in a VPC is globally routable. With
    /// `::/0` through an internet gateway, the hosts of the "private" subnet are reachable
    /// from the whole IPv6 internet, limited only by their security groups and network ACLs
    /// — the protection the NAT gateway gives IPv4 does not exist for IPv6.
    ///
    /// ## How to fix
    /// Send `::/0` to an egress-only internet gateway instead. It allows connections the
    /// subnet's hosts open and blocks connections from the internet, like NAT does for IPv4.
    ///
    /// ## References
    /// - [Enable outbound IPv6 traffic using an egress-only internet gateway](https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html)
    /// - [NAT gateways: NAT64 and IPv6](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html)
    /// - [IPv6 addressing: every IPv6 address is public](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html)
    pub Ipv6PrivateSubnetExposed {
        id: "VPC202",
        name: "ipv6-private-subnet-exposed",
        severity: Error,
        category: Ipv6,
    }
}

impl Rule for Ipv6PrivateSubnetExposed {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let routing = Routing::new(graph);
        let facts = Ipv6Facts::new(graph);
        // (the exposing ::/0 route, the NAT route, the private subnets that use it), in
        // subnet order; `index` finds an entry by its ::/0 route.
        let mut exposed: Vec<(RouteId, RouteId, Vec<SubnetId>)> = Vec::new();
        let mut index: HashMap<RouteId, usize> = HashMap::new();
        for (subnet_id, subnet) in graph.subnets.iter() {
            if !subnet.origin.is_certain() || facts.subnet(graph, subnet_id) != Presence::Present {
                continue;
            }
            let egress = SubnetEgress::of(&routing, subnet_id);
            let (DefaultRoute::Nat(nat_route), DefaultRoute::Igw(igw_route)) =
                (egress.ipv4, egress.ipv6)
            else {
                continue;
            };
            let slot = *index.entry(igw_route).or_insert_with(|| {
                exposed.push((igw_route, nat_route, Vec::new()));
                exposed.len() - 1
            });
            exposed[slot].2.push(subnet_id);
        }
        for (igw_route, nat_route, subnets) in exposed {
            let route = &graph.routes[igw_route];
            ctx.report(
                &route.origin,
                diagnostic(graph, igw_route, nat_route, &subnets),
            );
        }
    }
}

fn diagnostic(
    graph: &VpcGraph,
    igw_route: RouteId,
    nat_route: RouteId,
    subnets: &[SubnetId],
) -> Diagnostic {
    let route = &graph.routes[igw_route];
    let nat = &graph.routes[nat_route];
    let igw = route
        .target()
        .map(|t| target_name(graph, t))
        .unwrap_or_default();
    let nat_name = nat
        .target()
        .map(|t| target_name(graph, t))
        .unwrap_or_default();
    let table_id = route.route_table.node();
    let table = table_id
        .and_then(|t| graph.route_tables.get(t))
        .map(|t| t.origin.address.clone())
        .unwrap_or_default();
    let names: Vec<&str> = subnets
        .iter()
        .map(|s| graph.subnets[*s].origin.address.as_str())
        .collect();
    let who = match names.as_slice() {
        [one] => format!("private subnet {one}"),
        [first, second] => format!("private subnets {first} and {second}"),
        [first, rest @ ..] => format!("private subnets {first} and {} more", rest.len()),
        [] => "private subnets".to_owned(),
    };
    let message = format!(
        "route table {table} sends ::/0 to internet gateway {igw}, but its 0.0.0.0/0 goes through NAT \
         gateway {nat_name}: the hosts of {who} have public IPv6 addresses reachable from the internet"
    );

    let attrs = RouteAttributes::for_route(graph.kind, route.inline);
    let vpc = table_id
        .and_then(|t| graph.route_tables.get(t))
        .and_then(|t| t.vpc.node());
    let eigw = vpc.and_then(|v| egress_only_gateways_of(graph, v).first().copied());
    let current = attrs.internet_gateway;
    let help = match eigw {
        Some(eigw) => {
            let name = &graph.egress_only_gateways[eigw].origin.address;
            format!(
                "send ::/0 to egress-only internet gateway {name} instead: replace `{current}` with `{}` in this \
                 route",
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
            let vpc_name = vpc
                .map(|v| graph.vpcs[v].origin.address.clone())
                .unwrap_or_else(|| "the VPC".to_owned());
            format!(
                "create an egress-only internet gateway ({resource}) for {vpc_name} and point this route at it \
                 (`{}` instead of `{current}`)",
                attrs.egress_only_gateway
            )
        }
    };

    let mut diagnostic = Diagnostic::new(route.destination_span, message)
        .label(format!("::/0 to internet gateway {igw}"))
        .related(
            nat.destination_span,
            format!(
                "0.0.0.0/0 through NAT gateway {nat_name}: the subnets are meant to be private"
            ),
        );
    for &subnet in subnets.iter().take(3) {
        let s = &graph.subnets[subnet];
        if let Some(block) = s.ipv6_cidrs.first() {
            diagnostic = diagnostic.related(
                block.span,
                format!("IPv6 block of {} (public addresses)", s.origin.address),
            );
        }
    }
    diagnostic.help(help)
}
