use vpclint_graph::egress::{
    reference, DefaultRoute, EgressOnlyRoutes, Ipv6Facts, Presence, RouteAttributes, SubnetEgress,
};
use vpclint_graph::routing::Routing;
use vpclint_graph::{
    EgressOnlyGatewayId, EgressOnlyInternetGateway, RouteTableId, StackKind, SubnetId, VpcId,
};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// An egress-only internet gateway that no IPv6 traffic can use.
    ///
    /// ## What it does
    /// Reports an egress-only internet gateway when
    /// - its VPC has no IPv6 CIDR block (none declared, and no association vpclint cannot
    ///   resolve might add one), or
    /// - no route of any route table targets it, or
    /// - every route table that targets it serves only subnets without an IPv6 CIDR block
    ///   (through explicit associations, or as the VPC's main route table).
    ///
    /// A route whose target or route table is unknown, a route table whose routes may be
    /// incomplete, a subnet whose IPv6 block or route table is unknown, and a route table
    /// that serves no subnet of the configuration (it may be associated elsewhere) all keep
    /// the rule silent.
    ///
    /// ## Why is this bad?
    /// An egress-only internet gateway only carries IPv6 traffic that route tables send to
    /// it. Unused, it usually means the IPv6 half of a dual-stack design is missing: the
    /// private subnets that should reach the internet over IPv6 cannot (or the subnets were
    /// never given IPv6 blocks), while the configuration suggests otherwise.
    ///
    /// ## How to fix
    /// Give the VPC and its private subnets IPv6 CIDR blocks and add `::/0` routes through the
    /// gateway to their route tables — or remove the gateway if the VPC is meant to be
    /// IPv4-only.
    ///
    /// ## References
    /// - [Enable outbound IPv6 traffic using an egress-only internet gateway](https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html)
    /// - [Add IPv6 support for your VPC](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-migrate-ipv6-add.html)
    pub EgressOnlyGatewayUnused {
        id: "VPC204",
        name: "egress-only-gateway-unused",
        severity: Warning,
        category: Ipv6,
    }
}

impl Rule for EgressOnlyGatewayUnused {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        if graph.egress_only_gateways.is_empty() {
            return;
        }
        let routing = Routing::new(graph);
        let facts = Ipv6Facts::new(graph);
        let index = EgressOnlyRoutes::new(graph);
        let checker = Checker {
            routing: &routing,
            facts: &facts,
            index: &index,
        };
        for (id, gateway) in graph.egress_only_gateways.iter() {
            if let Some(diagnostic) = checker.check(id, gateway) {
                ctx.report(&gateway.origin, diagnostic);
            }
        }
    }
}

struct Checker<'a, 'g> {
    routing: &'a Routing<'g>,
    facts: &'a Ipv6Facts,
    index: &'a EgressOnlyRoutes,
}

impl Checker<'_, '_> {
    fn check(
        &self,
        id: EgressOnlyGatewayId,
        gateway: &EgressOnlyInternetGateway,
    ) -> Option<Diagnostic> {
        let graph = self.routing.graph();
        let vpc_id = gateway.vpc.node()?;
        let vpc = &graph.vpcs[vpc_id];
        if !vpc.origin.is_certain() {
            return None;
        }
        let name = &gateway.origin.address;
        if Ipv6Facts::vpc(graph, vpc_id) == Presence::Absent {
            let fix = match graph.kind {
                StackKind::Terraform => {
                    "`assign_generated_ipv6_cidr_block = true`, an `ipv6_ipam_pool_id` or an \
                                         aws_vpc_ipv6_cidr_block_association"
                }
                StackKind::CloudFormation => {
                    "an AWS::EC2::VPCCidrBlock with `AmazonProvidedIpv6CidrBlock: true` or \
                                              an IPv6 IPAM pool"
                }
            };
            return Some(
                Diagnostic::new(
                    gateway.origin.span,
                    format!(
                        "egress-only internet gateway {name} is attached to {}, which has no IPv6 CIDR block, so \
                         no traffic can use it",
                        vpc.origin.address
                    ),
                )
                .label("egress-only gateway of an IPv4-only VPC")
                .related(vpc.origin.span, format!("{} has no IPv6 CIDR block", vpc.origin.address))
                .help(format!(
                    "give {} an IPv6 CIDR block ({fix}) and route ::/0 from its private subnets through {name}, or \
                     remove {name}",
                    vpc.origin.address
                )),
            );
        }

        let routes = self.index.routes_to(id);
        if routes.is_empty() {
            if self.routes_may_be_missing(vpc_id) {
                return None;
            }
            return Some(self.not_routed(gateway, vpc_id));
        }

        self.only_ipv4_subnets(id, gateway, vpc_id)
    }

    /// Some route vpclint cannot see might target the gateway.
    fn routes_may_be_missing(&self, vpc: VpcId) -> bool {
        let graph = self.routing.graph();
        self.index.unknown_target
            || graph.may_lack_resources()
            || graph
                .route_tables
                .values()
                .any(|t| t.routes_may_be_incomplete && !t.vpc.is_known_other_than(vpc))
    }

    fn not_routed(&self, gateway: &EgressOnlyInternetGateway, vpc: VpcId) -> Diagnostic {
        let graph = self.routing.graph();
        let name = &gateway.origin.address;
        let candidates = self.private_ipv6_tables(vpc);
        let attrs = RouteAttributes::for_new_route(graph, candidates.first().copied());
        let route = format!(
            "`{}`, `{}`",
            attrs.assign(attrs.ipv6_destination, "::/0", true),
            attrs.assign(
                attrs.egress_only_gateway,
                &reference(graph.kind, name),
                false
            )
        );
        let help = match candidates.as_slice() {
            [] => format!(
                "add a route for ::/0 via {name} ({route}) to the route tables of the private IPv6 subnets of {}, \
                 or remove {name}",
                graph.vpcs[vpc].origin.address
            ),
            [one] => format!(
                "add a route for ::/0 via {name} to route table {} ({route}), whose dual-stack subnets go \
                 through a NAT gateway for IPv4",
                graph.route_tables[*one].origin.address
            ),
            [first, rest @ ..] => format!(
                "add a route for ::/0 via {name} to route table {} and {} more ({route}), whose dual-stack \
                 subnets go through a NAT gateway for IPv4",
                graph.route_tables[*first].origin.address,
                rest.len()
            ),
        };
        Diagnostic::new(
            gateway.origin.span,
            format!("egress-only internet gateway {name} is not the target of any route, so no traffic uses it"),
        )
        .label("no route targets this gateway")
        .help(help)
    }

    /// Route tables of `vpc` serving private subnets (IPv4 via NAT) that have IPv6 but no
    /// `::/0` route: where the gateway is most likely missing.
    fn private_ipv6_tables(&self, vpc: VpcId) -> Vec<RouteTableId> {
        let graph = self.routing.graph();
        graph.vpcs[vpc]
            .route_tables
            .iter()
            .copied()
            .filter(|&table| {
                self.routing.subnets_using(table).iter().any(|&s| {
                    let egress = SubnetEgress::of(self.routing, s);
                    self.facts.subnet(graph, s) == Presence::Present
                        && egress.is_private()
                        && egress.ipv6 == DefaultRoute::None
                })
            })
            .collect()
    }

    fn only_ipv4_subnets(
        &self,
        id: EgressOnlyGatewayId,
        gateway: &EgressOnlyInternetGateway,
        vpc: VpcId,
    ) -> Option<Diagnostic> {
        let graph = self.routing.graph();
        let mut tables = Vec::new();
        for table in self.index.tables_targeting(graph, id) {
            let table = table?;
            let node = &graph.route_tables[table];
            // Another VPC's table cannot use the gateway (VPC604's finding); unknown: silent.
            if !node.vpc.is(vpc) || node.routes_may_be_incomplete {
                return None;
            }
            tables.push(table);
        }
        // A subnet whose route table is unknown might use one of these tables.
        let unknown_user = graph.subnets.iter().any(|(s, node)| {
            self.routing.subnet_table_unknown(s)
                && !node.vpc.is_known_other_than(vpc)
                && self.facts.subnet(graph, s) != Presence::Absent
        });
        if unknown_user {
            return None;
        }
        let mut served: Vec<SubnetId> = Vec::new();
        for &table in &tables {
            let users = self.routing.subnets_using(table);
            // A table serving no subnet here may be associated elsewhere.
            if users.is_empty() {
                return None;
            }
            for &s in users {
                if self.facts.subnet(graph, s) != Presence::Absent {
                    return None;
                }
                served.push(s);
            }
        }
        if tables.is_empty() {
            return None;
        }
        let name = &gateway.origin.address;
        let table_names: Vec<&str> = tables
            .iter()
            .map(|t| graph.route_tables[*t].origin.address.as_str())
            .collect();
        let subnet_names: Vec<&str> = served
            .iter()
            .map(|s| graph.subnets[*s].origin.address.as_str())
            .collect();
        let fix = match graph.kind {
            StackKind::Terraform => "`ipv6_cidr_block`",
            StackKind::CloudFormation => "`Ipv6CidrBlock` or an AWS::EC2::SubnetCidrBlock",
        };
        let mut diagnostic = Diagnostic::new(
            gateway.origin.span,
            format!(
                "egress-only internet gateway {name} is only routed from {} {}, which serve{} only subnets \
                 without an IPv6 CIDR block ({}), so no traffic uses it",
                if tables.len() == 1 { "route table" } else { "route tables" },
                list(&table_names),
                if tables.len() == 1 { "s" } else { "" },
                list(&subnet_names),
            ),
        )
        .label("no IPv6 subnet routes through this gateway")
        .help(format!(
            "give the subnets of {} IPv6 CIDR blocks ({fix}), or remove the ::/0 route(s) and {name}",
            list(&table_names)
        ));
        for &route in self.index.routes_to(id).iter().take(3) {
            let r = &graph.routes[route];
            if let Some(table) = r.route_table.node() {
                diagnostic = diagnostic.related(
                    r.destination_span,
                    format!(
                        "route in {}, which serves only subnets without IPv6",
                        graph.route_tables[table].origin.address
                    ),
                );
            }
        }
        Some(diagnostic)
    }
}

/// `a`, `a and b`, `a, b and 2 more`.
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}
