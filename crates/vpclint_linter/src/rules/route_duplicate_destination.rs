use std::collections::HashMap;

use ipnet::IpNet;
use vpclint_graph::integrity::{destination_text, target_attribute, target_name};
use vpclint_graph::{Destination, Known, Route, RouteId, StackKind, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// Two routes in one route table have the same destination.
    ///
    /// ## What it does
    /// Looks at the routes of each route table — inline `route` blocks and standalone routes
    /// (`aws_route`, `AWS::EC2::Route`) together — and reports a route whose destination
    /// equals that of another route of the same table: the same IPv4 or IPv6 CIDR block
    /// (compared as networks, so `10.0.0.1/16` equals `10.0.0.0/16`) or the same prefix list.
    ///
    /// A destination vpclint cannot know (an input with no value, a data source) is never
    /// assumed to be a duplicate, and a route that might not be created (an unknown `count`,
    /// a CloudFormation condition vpclint cannot evaluate) is left out.
    ///
    /// ## Why is this bad?
    /// A route table holds at most one route per destination. AWS rejects the second route
    /// (`RouteAlreadyExists`); when one route is inline and the other standalone, Terraform
    /// instead keeps replacing one with the other on every apply. Either way only one target
    /// can win, so at least one of the two routes does not do what its author meant.
    ///
    /// ## How to fix
    /// Keep one route per destination and remove the other, or change its destination if it
    /// was meant for another range. Do not mix inline `route` blocks and standalone `aws_route`
    /// resources for the same route table.
    ///
    /// ## References
    /// - [Route table concepts: destination and target](https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-concepts)
    /// - [Terraform `aws_route_table`: inline routes and `aws_route` conflict](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route_table)
    pub RouteDuplicateDestination {
        id: "VPC605",
        name: "route-duplicate-destination",
        severity: Error,
        category: Addressing,
    }
}

#[derive(Hash, PartialEq, Eq)]
enum Key<'g> {
    Cidr(IpNet),
    PrefixList(&'g str),
}

fn key(destination: &Destination) -> Option<Key<'_>> {
    match destination {
        Destination::Cidr(Known::Known(net)) => Some(Key::Cidr(net.trunc())),
        Destination::PrefixList(Known::Known(id)) if !id.is_empty() => Some(Key::PrefixList(id)),
        _ => None,
    }
}

impl Rule for RouteDuplicateDestination {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for table in graph.route_tables.values() {
            if !table.origin.is_certain() {
                continue;
            }
            // Source order, so that "the second route" is the one written later.
            let mut routes: Vec<RouteId> = table
                .routes
                .iter()
                .copied()
                .filter(|&r| graph.routes[r].origin.is_certain())
                .collect();
            routes.sort_by_key(|&r| (graph.routes[r].destination_span, r));
            let mut first_by_destination: HashMap<Key<'_>, RouteId> = HashMap::new();
            for id in routes {
                let route = &graph.routes[id];
                let Some(key) = key(&route.destination) else {
                    continue;
                };
                match first_by_destination.get(&key) {
                    None => {
                        first_by_destination.insert(key, id);
                    }
                    Some(&first) => {
                        let diagnostic =
                            diagnostic(graph, route, &graph.routes[first], &table.origin.address);
                        ctx.report(&route.origin, diagnostic);
                    }
                }
            }
        }
    }
}

/// `aws_route.x` or `the inline route`, with its target.
fn describe(graph: &VpcGraph, route: &Route) -> String {
    let name = if route.inline {
        format!("inline route {}", route.origin.address)
    } else {
        route.origin.address.clone()
    };
    match route.targets.as_slice() {
        [only] => format!(
            "{name} ({} = {})",
            target_attribute(route, only),
            target_name(graph, &only.target)
        ),
        _ => name,
    }
}

fn diagnostic(graph: &VpcGraph, route: &Route, first: &Route, table: &str) -> Diagnostic {
    let destination = destination_text(&route.destination);
    let same_target = match (route.targets.as_slice(), first.targets.as_slice()) {
        ([a], [b]) => target_name(graph, &a.target) == target_name(graph, &b.target),
        _ => false,
    };
    let mixed = route.inline != first.inline;
    let same_instance = route.destination_span == first.destination_span;
    let mut help = if same_instance {
        "every instance of this resource gets the same destination: make it depend on the \
         instance (for example `var.cidrs[count.index]` or `each.value`), or create one route"
            .to_owned()
    } else if same_target {
        format!(
            "both routes send {destination} to the same target: remove {}",
            route.origin.address
        )
    } else {
        format!(
            "decide which target {destination} should use and remove the other route, or give \
             {} the destination it was meant for",
            route.origin.address
        )
    };
    if mixed && graph.kind == StackKind::Terraform {
        help.push_str(&format!(
            "; do not mix inline route blocks and aws_route resources for {table}"
        ));
    }
    let message = if same_instance {
        format!(
            "{} and {} both add a route to {destination} to route table {table}",
            first.origin.address, route.origin.address
        )
    } else {
        format!(
            "route table {table} already has a route to {destination}: {} duplicates {}",
            describe(graph, route),
            describe(graph, first)
        )
    };
    Diagnostic::new(route.destination_span, message)
        .label(format!("second route to {destination}"))
        .related(
            first.destination_span,
            format!("first route to {destination} ({})", first.origin.address),
        )
        .help(help)
}
