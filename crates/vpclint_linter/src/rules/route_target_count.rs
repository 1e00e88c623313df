use vpclint_graph::integrity::{destination_text, target_attribute, target_is_set, target_name};
use vpclint_graph::{Route, StackKind, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A route has no target or more than one target.
    ///
    /// ## What it does
    /// Counts the target attributes of every route — standalone routes (`aws_route`,
    /// `AWS::EC2::Route`) and inline `route` blocks of `aws_route_table` /
    /// `aws_default_route_table`: `gateway_id`, `nat_gateway_id`, `egress_only_gateway_id`,
    /// `vpc_peering_connection_id`, `vpc_endpoint_id`, `transit_gateway_id`,
    /// `network_interface_id`, `carrier_gateway_id`, `local_gateway_id`, `core_network_arn`
    /// (and their CloudFormation counterparts) — and reports a route that sets none of them,
    /// or more than one.
    ///
    /// An empty string or `null` counts as not set (inline `route` blocks written in the
    /// attributes-as-blocks style list every target attribute, most of them `""`). A target
    /// whose value vpclint cannot know (an input with no value, a data source) might be
    /// null at apply time: it neither counts as a second target nor leaves the route without
    /// one.
    ///
    /// ## Why is this bad?
    /// A route sends its destination to exactly one target. AWS rejects a route with none
    /// (`MissingParameter`) and a route with several (`InvalidParameterCombination`); the
    /// Terraform provider reports the same only when the change is applied. A route with two
    /// targets is usually a copy-paste that meant a different route (for example a private
    /// table's default route through the NAT gateway that kept the public table's
    /// `gateway_id`).
    ///
    /// ## How to fix
    /// Set exactly one target on the route. When a route table needs two targets for
    /// different traffic, write two routes with different destinations.
    ///
    /// ## References
    /// - [Route table concepts: routes and targets](https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-concepts)
    /// - [CreateRoute (API reference)](https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html)
    pub RouteTargetCount {
        id: "VPC603",
        name: "route-target-count",
        severity: Error,
        category: Addressing,
    }
}

impl Rule for RouteTargetCount {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for route in graph.routes.values() {
            let diagnostic = if route.targets.is_empty() {
                no_target(graph, route)
            } else {
                let set = route
                    .targets
                    .iter()
                    .filter(|t| target_is_set(&t.target))
                    .count();
                if set < 2 {
                    continue;
                }
                several_targets(graph, route)
            };
            ctx.report(&route.origin, diagnostic);
        }
    }
}

/// `0.0.0.0/0 in aws_route_table.private`, `route aws_route.x (0.0.0.0/0 in ...)`.
fn describe(graph: &VpcGraph, route: &Route) -> String {
    let destination = destination_text(&route.destination);
    let table = route
        .route_table
        .node()
        .and_then(|t| graph.route_tables.get(t))
        .map(|t| format!(" in route table {}", t.origin.address))
        .unwrap_or_default();
    if route.inline {
        format!("the route to {destination}{table}")
    } else {
        format!("route {} (to {destination}{table})", route.origin.address)
    }
}

fn no_target(graph: &VpcGraph, route: &Route) -> Diagnostic {
    let attributes = match graph.kind {
        StackKind::Terraform => {
            "gateway_id, nat_gateway_id, egress_only_gateway_id, transit_gateway_id, \
             vpc_peering_connection_id, vpc_endpoint_id or network_interface_id"
        }
        StackKind::CloudFormation => {
            "GatewayId, NatGatewayId, EgressOnlyInternetGatewayId, TransitGatewayId, \
             VpcPeeringConnectionId, VpcEndpointId or NetworkInterfaceId"
        }
    };
    Diagnostic::new(
        route.origin.span,
        format!(
            "{} has no target; AWS rejects a route that does not say where to send traffic",
            describe(graph, route)
        ),
    )
    .label("no target attribute is set")
    .help(format!(
        "set exactly one target on this route ({attributes}), or remove the route"
    ))
}

fn several_targets(graph: &VpcGraph, route: &Route) -> Diagnostic {
    let written: Vec<String> = route
        .targets
        .iter()
        .filter(|t| target_is_set(&t.target))
        .map(|t| {
            format!(
                "{} = {}",
                target_attribute(route, t),
                target_name(graph, &t.target)
            )
        })
        .collect();
    let attributes: Vec<&str> = route
        .targets
        .iter()
        .filter(|t| target_is_set(&t.target))
        .map(|t| target_attribute(route, t))
        .collect();
    let mut diagnostic = Diagnostic::new(
        route.origin.span,
        format!(
            "{} has {} targets ({}); a route has exactly one target",
            describe(graph, route),
            written.len(),
            written.join(", ")
        ),
    )
    .label(format!("{} targets set", written.len()));
    for target in route.targets.iter().filter(|t| target_is_set(&t.target)) {
        diagnostic = diagnostic.related(
            target.span,
            format!("target {}", target_name(graph, &target.target)),
        );
    }
    let (last, rest) = attributes
        .split_last()
        .map_or((&"", &[][..]), |(l, r)| (l, r));
    diagnostic.help(format!(
        "keep only the target this route should use and remove the other{} ({} or {last}); \
         traffic for another target needs a route with its own destination",
        if attributes.len() > 2 { "s" } else { "" },
        rest.join(", ")
    ))
}
