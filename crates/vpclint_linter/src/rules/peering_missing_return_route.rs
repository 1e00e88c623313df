use ipnet::IpNet;
use vpclint_graph::cidr::same_family;
use vpclint_graph::routing::{EffectiveTable, Hop, RouteLookup, Routing};
use vpclint_graph::{PeeringId, Route, RouteId, RouteTarget, Span, SubnetId, VpcGraph, VpcId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A route over a peering connection has no route back from the peer VPC.
    ///
    /// ## What it does
    /// Follows each route whose target is a VPC peering connection: for the subnets of the
    /// route's VPC that use the route table, it finds the subnets of the peer VPC inside the
    /// route's destination and looks up, by longest-prefix match in each of their effective
    /// route tables, where replies to the source subnet go. The route is reported when some
    /// peer subnet sends (part of) the source subnet's CIDR somewhere other than the same
    /// peering connection — another target, or nowhere.
    ///
    /// When a side declares no subnets, the check works at VPC level: the finding holds when
    /// no route table of the peer VPC sends the source CIDR back through the connection.
    /// A subnet without an explicit association uses its VPC's main route table, which holds
    /// only the local routes unless the configuration manages it. Unknown CIDRs, route tables
    /// or routes keep the rule silent.
    ///
    /// ## Why is this bad?
    /// Routing over a peering connection must be configured on both sides. Requests leave
    /// through the peering connection, but replies find no route back and are dropped, so
    /// connections time out while every resource looks correct on its own.
    ///
    /// ## How to fix
    /// Add a route for the source CIDR (the requesting subnet's, or the whole VPC's) with the
    /// peering connection as target to the peer's route table named in the finding.
    ///
    /// ## References
    /// - [Update your route tables for a VPC peering connection](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html)
    /// - [Route tables: route priority (longest prefix match)](https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html#route-tables-priority)
    pub PeeringMissingReturnRoute {
        id: "VPC103",
        name: "peering-missing-return-route",
        severity: Error,
        category: Peering,
    }
}

impl Rule for PeeringMissingReturnRoute {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let routing = Routing::new(graph);
        for (route_id, route) in graph.routes.iter() {
            let Some(diagnostic) = check_route(&routing, route_id, route) else {
                continue;
            };
            ctx.report(&route.origin, diagnostic);
        }
    }
}

/// A place on the peer's side that does not send replies back.
struct MissingReturn {
    /// The source CIDR whose replies are lost.
    source: IpNet,
    /// The peer subnet, if the check ran at subnet level.
    peer_subnet: Option<SubnetId>,
    /// Where to point the user: the peer's route table, or the subnet / VPC lacking one.
    place: Span,
    place_name: String,
    /// What the peer's lookup selects instead.
    instead: String,
}

fn check_route(routing: &Routing<'_>, route_id: RouteId, route: &Route) -> Option<Diagnostic> {
    let graph = routing.graph();
    let [target] = route.targets.as_slice() else {
        return None;
    };
    let peering_id = target.target.peering()?.node()?;
    let destination = route.destination.cidr()?;
    let table_id = route.route_table.node()?;
    let own_vpc = graph.route_tables[table_id].vpc.node()?;
    let peering = &graph.peerings[peering_id];
    let peer_vpc = peering.other_side(own_vpc)?.node()?;
    if own_vpc == peer_vpc
        || !peering.origin.is_certain()
        || !graph.vpcs[peer_vpc].origin.is_certain()
    {
        return None;
    }

    // The parts of the destination that this route actually carries (more specific routes
    // of the same table may take some of it elsewhere).
    let carried: Vec<IpNet> = routing
        .table_lookup(table_id)
        .resolve(&destination)
        .into_iter()
        .filter(|(_, hop)| *hop == Hop::Route(route_id))
        .map(|(net, _)| net)
        .collect();
    if carried.is_empty() {
        return None;
    }

    let sources = source_ranges(routing, table_id, own_vpc, &destination)?;
    if sources.is_empty() {
        return None;
    }

    let missing = if graph.vpcs[peer_vpc].subnets.is_empty() {
        missing_at_vpc_level(routing, peer_vpc, peering_id, &sources)
    } else {
        missing_at_subnet_level(routing, peer_vpc, peering_id, &sources, &carried)
    };
    let first = missing.first()?;
    Some(build_diagnostic(
        graph,
        route,
        peering_id,
        own_vpc,
        peer_vpc,
        &destination,
        first,
        missing.len(),
    ))
}

/// Where the traffic using `table` comes from: the CIDRs (of the destination's family) of
/// the subnets of `vpc` that use the table, or the VPC's own CIDRs when it declares no
/// subnets. `None` when that cannot be known.
fn source_ranges(
    routing: &Routing<'_>,
    table: vpclint_graph::RouteTableId,
    vpc: VpcId,
    destination: &IpNet,
) -> Option<Vec<IpNet>> {
    let graph = routing.graph();
    let vpc_node = &graph.vpcs[vpc];
    if vpc_node.subnets.is_empty() {
        return vpc_node.known_cidrs_like(destination);
    }
    let mut sources = Vec::new();
    for &subnet_id in routing.subnets_using(table) {
        let subnet = &graph.subnets[subnet_id];
        if !subnet.origin.is_certain() {
            continue;
        }
        sources.extend(
            subnet
                .cidrs()
                .filter_map(|b| b.known())
                .filter(|c| same_family(c, destination)),
        );
    }
    Some(sources)
}

fn missing_at_subnet_level(
    routing: &Routing<'_>,
    peer_vpc: VpcId,
    peering: PeeringId,
    sources: &[IpNet],
    carried: &[IpNet],
) -> Vec<MissingReturn> {
    let graph = routing.graph();
    let mut missing = Vec::new();
    // The peer subnets with a block the route carries traffic to.
    for subnet_id in routing.subnets_reaching(peer_vpc, carried) {
        let subnet = &graph.subnets[subnet_id];
        if !subnet.origin.is_certain() {
            continue;
        }
        let Some(lookup) = routing.subnet_lookup(subnet_id) else {
            continue;
        };
        for source in sources {
            let Some(instead) = lost_replies(graph, &lookup, source, peering) else {
                continue;
            };
            let (place, place_name) = match routing.effective_table(subnet_id) {
                EffectiveTable::Table { table, .. } => {
                    let t = &graph.route_tables[table];
                    (t.origin.span, t.origin.address.clone())
                }
                _ => (
                    subnet.origin.span,
                    format!(
                        "the main route table of {}",
                        graph.vpcs[peer_vpc].origin.address
                    ),
                ),
            };
            missing.push(MissingReturn {
                source: *source,
                peer_subnet: Some(subnet_id),
                place,
                place_name,
                instead,
            });
            break;
        }
    }
    missing
}

fn missing_at_vpc_level(
    routing: &Routing<'_>,
    peer_vpc: VpcId,
    peering: PeeringId,
    sources: &[IpNet],
) -> Vec<MissingReturn> {
    let graph = routing.graph();
    let vpc = &graph.vpcs[peer_vpc];
    if vpc.main_route_table_unknown {
        return Vec::new();
    }
    let mut missing = Vec::new();
    for source in sources {
        let mut some_table_returns = false;
        let mut unknown = false;
        for &table in &vpc.route_tables {
            match lost_replies_or_unknown(graph, routing.table_lookup(table), source, peering) {
                Some(None) => some_table_returns = true,
                Some(Some(_)) => {}
                None => unknown = true,
            }
        }
        if some_table_returns || unknown {
            continue;
        }
        missing.push(MissingReturn {
            source: *source,
            peer_subnet: None,
            place: vpc.origin.span,
            place_name: vpc.origin.address.clone(),
            instead: "no route table of the VPC sends it back".to_owned(),
        });
    }
    missing
}

/// `Some(description)` when replies to `source` certainly do not all go back through
/// `peering`; `None` when they do or when it depends on something unknown.
fn lost_replies(
    graph: &VpcGraph,
    lookup: &RouteLookup,
    source: &IpNet,
    peering: PeeringId,
) -> Option<String> {
    lost_replies_or_unknown(graph, lookup, source, peering).flatten()
}

/// `None`: unknown. `Some(None)`: every reply goes back through `peering`.
/// `Some(Some(what))`: some replies go elsewhere, described by `what`.
fn lost_replies_or_unknown(
    graph: &VpcGraph,
    lookup: &RouteLookup,
    source: &IpNet,
    peering: PeeringId,
) -> Option<Option<String>> {
    let mut lost = None;
    for (piece, hop) in lookup.resolve(source) {
        match hop {
            Hop::Unknown => return None,
            // Replies delivered locally mean the CIDRs overlap: VPC101's finding, not ours.
            Hop::Local => return None,
            Hop::NoRoute => {
                lost.get_or_insert_with(|| format!("no route matches {piece}"));
            }
            Hop::Route(id) => {
                let route = &graph.routes[id];
                match route.target() {
                    Some(RouteTarget::Peering(link)) if link.is(peering) => {}
                    Some(RouteTarget::Peering(link)) if !link.is_known_other_than(peering) => {
                        return None
                    }
                    Some(RouteTarget::Other { value, .. }) if !value.is_known() => return None,
                    // No target or several targets: VPC603's finding; do not guess.
                    None => return None,
                    Some(_) => {
                        lost.get_or_insert_with(|| {
                            format!("{piece} is routed by {} instead", route.origin.address)
                        });
                    }
                }
            }
        }
    }
    Some(lost)
}

#[allow(clippy::too_many_arguments)]
fn build_diagnostic(
    graph: &VpcGraph,
    route: &Route,
    peering: PeeringId,
    own_vpc: VpcId,
    peer_vpc: VpcId,
    destination: &IpNet,
    first: &MissingReturn,
    count: usize,
) -> Diagnostic {
    let peering_name = &graph.peerings[peering].origin.address;
    let own_name = &graph.vpcs[own_vpc].origin.address;
    let peer_name = &graph.vpcs[peer_vpc].origin.address;
    let source = first.source;
    let who = match first.peer_subnet {
        Some(subnet) => {
            let s = &graph.subnets[subnet];
            let cidr = s
                .cidrs()
                .filter_map(|b| b.known())
                .find(|c| same_family(c, destination));
            match cidr {
                Some(cidr) => format!("subnet {} ({cidr}) of {peer_name}", s.origin.address),
                None => format!("subnet {} of {peer_name}", s.origin.address),
            }
        }
        None => peer_name.clone(),
    };
    let mut message = format!(
        "route sends {destination} over {peering_name}, but {who} has no route back to {source} through \
         {peering_name}: {}",
        first.instead
    );
    if count > 1 {
        message.push_str(&format!(
            " ({} more place(s) on the {peer_name} side lack it too)",
            count - 1
        ));
    }
    let help = if first.peer_subnet.is_some()
        && !first.place_name.starts_with("the main route table")
    {
        format!(
            "add a route for {source} via {peering_name} to route table {}",
            first.place_name
        )
    } else if first.peer_subnet.is_some() {
        format!(
            "associate {who} with a route table that has a route for {source} via {peering_name}, or manage the \
             main route table of {peer_name} and add that route"
        )
    } else {
        format!("add a route for {source} via {peering_name} to the route tables of {peer_name}")
    };
    Diagnostic::new(route.destination_span, message)
        .label(format!(
            "requests from {own_name} leave over {peering_name}"
        ))
        .related(
            first.place,
            format!("replies to {source} are not routed back over {peering_name} here"),
        )
        .help(help)
}
