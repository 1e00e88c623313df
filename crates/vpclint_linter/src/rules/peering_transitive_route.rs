use ipnet::IpNet;
use vpclint_graph::cidr::{covers, overlaps, wider_than_any_vpc};
use vpclint_graph::{Link, PeeringConnection, PeeringId, Route, TargetRef, VpcGraph, VpcId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A route sends addresses over a peering connection that are not in the peer VPC.
    ///
    /// ## What it does
    /// For every route whose target is a VPC peering connection, checks that the destination
    /// lies inside the CIDR blocks of the VPC on the other side of that connection. It
    /// reports routes whose destination is
    /// - inside a third VPC that the peer is itself peered with (the route assumes peering
    ///   is transitive),
    /// - a default route (`0.0.0.0/0`, `::/0`), or
    /// - otherwise wider than, or outside, the peer VPC's CIDR blocks.
    ///
    /// The rule stays silent when any CIDR block of the peer VPC is unknown (data source,
    /// unset variable, Amazon-provided IPv6 block), since the destination might be inside it
    /// — unless the destination is too wide to lie inside any VPC: `0.0.0.0/0`, `::/0`, or a
    /// prefix that AWS's limits on VPC CIDR blocks (at most 50 blocks, each at most `/16` for
    /// IPv4 or `/44` for IPv6) make impossible to cover (IPv4 `/10` or wider, IPv6 `/38` or
    /// wider). Such a route is reported even when the peer VPC or the peering connection is
    /// outside the configuration (a literal `pcx-...` ID, a data source, a cross-account peer).
    /// A route over a peering connection that does not connect the route's own VPC is a
    /// different mistake (VPC604) and is left to that rule.
    ///
    /// ## Why is this bad?
    /// VPC peering is not transitive and does not support edge-to-edge routing: the peer VPC
    /// drops packets addressed to anything other than its own CIDR blocks, including other
    /// VPCs it is peered with, its internet gateway, NAT gateway, VPN or Direct Connect.
    /// The route is accepted by AWS, so nothing fails until traffic silently disappears.
    ///
    /// ## How to fix
    /// Route only the peer VPC's own CIDR blocks over the peering connection. To reach a
    /// third VPC, peer with it directly and route its CIDR over that connection, or connect
    /// the VPCs through a transit gateway.
    ///
    /// ## References
    /// - [Unsupported VPC peering configurations](https://docs.aws.amazon.com/vpc/latest/peering/invalid-peering-configurations.html)
    /// - [Update your route tables for a VPC peering connection](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html)
    pub PeeringTransitiveRoute {
        id: "VPC102",
        name: "peering-transitive-route",
        severity: Error,
        category: Peering,
    }
}

impl Rule for PeeringTransitiveRoute {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for route in graph.routes.values() {
            let Some(diagnostic) = check_route(graph, route) else {
                continue;
            };
            ctx.report(&route.origin, diagnostic);
        }
    }
}

fn check_route(graph: &VpcGraph, route: &Route) -> Option<Diagnostic> {
    let [target] = route.targets.as_slice() else {
        return None;
    };
    let peering_link = target.target.peering()?;
    let destination = route.destination.cidr()?;
    match peer_of(graph, route, peering_link, &destination) {
        Peer::Known(peer) => check_against_peer(graph, route, &peer, destination),
        Peer::Unseen(why) if wider_than_any_vpc(&destination) => Some(too_wide(
            graph,
            route,
            target,
            peering_link,
            why,
            destination,
        )),
        Peer::Unseen(_) | Peer::NotASide => None,
    }
}

/// The peer VPC of a route over a peering connection of this graph, with its CIDR blocks
/// of the destination's family, when all of that is known and certain.
struct KnownPeer<'g> {
    peering_id: PeeringId,
    peering: &'g PeeringConnection,
    own_vpc: VpcId,
    peer_id: VpcId,
    peer_cidrs: Vec<IpNet>,
}

enum Peer<'g> {
    Known(KnownPeer<'g>),
    /// The peer's CIDR blocks cannot be seen; why, for a connection of this graph.
    Unseen(Option<&'static str>),
    /// The route's VPC is not a side of the connection: a different mistake (VPC604).
    NotASide,
}

fn peer_of<'g>(
    graph: &'g VpcGraph,
    route: &Route,
    peering_link: &Link<PeeringConnection>,
    destination: &IpNet,
) -> Peer<'g> {
    let Some(peering_id) = peering_link.node() else {
        return Peer::Unseen(None);
    };
    let peering = &graph.peerings[peering_id];
    if !peering.origin.is_certain() {
        return Peer::Unseen(Some("this peering connection may not exist"));
    }
    let own_vpc = route
        .route_table
        .node()
        .and_then(|t| graph.route_tables.get(t))
        .and_then(|t| t.vpc.node());
    let Some(own_vpc) = own_vpc else {
        return Peer::Unseen(Some(
            "the route table's VPC is not known here, so neither is the peer",
        ));
    };
    let Some(peer_link) = peering.other_side(own_vpc) else {
        return Peer::NotASide;
    };
    let Some(peer_id) = peer_link.node() else {
        return Peer::Unseen(Some("its peer VPC is outside this configuration"));
    };
    let peer = &graph.vpcs[peer_id];
    if !peer.origin.is_certain() {
        return Peer::Unseen(Some("its peer VPC may not exist"));
    }
    // Only the peer's blocks of the destination's family decide; an Amazon-provided IPv6
    // block says nothing about an IPv4 route.
    match peer.known_cidrs_like(destination) {
        Some(peer_cidrs) => Peer::Known(KnownPeer {
            peering_id,
            peering,
            own_vpc,
            peer_id,
            peer_cidrs,
        }),
        None => Peer::Unseen(Some("its peer VPC's CIDR blocks are not known here")),
    }
}

/// A destination too wide for any VPC, over a connection whose peer vpclint cannot see.
fn too_wide(
    graph: &VpcGraph,
    route: &Route,
    target: &TargetRef,
    peering_link: &Link<PeeringConnection>,
    why: Option<&str>,
    destination: IpNet,
) -> Diagnostic {
    let connection = match peering_link {
        Link::Node(id) => graph.peerings[*id].origin.address.clone(),
        Link::External(id) => format!("peering connection {id}"),
        Link::Declared(address) | Link::Undeclared { address, .. } => address.clone(),
        Link::Pending { address, .. } => address.clone(),
        Link::Unknown(_) | Link::None => "a peering connection".to_owned(),
    };
    let again = match peering_link {
        Link::Unknown(_) | Link::None => "that connection",
        _ => &connection,
    };
    let diagnostic = if destination.prefix_len() == 0 {
        Diagnostic::new(
            route.destination_span,
            format!(
                "default route {destination} points at {connection}; a peered VPC does not forward traffic \
                 to the internet or anywhere outside its own CIDR blocks"
            ),
        )
        .label("peering has no edge-to-edge routing")
        .help(format!(
            "route only the peer VPC's CIDR blocks over {again}; send the default route to an \
             internet gateway, NAT gateway or transit gateway of this VPC"
        ))
    } else {
        Diagnostic::new(
            route.destination_span,
            format!(
                "route sends {destination} over {connection}, but no VPC can hold all of {destination} \
                 (a VPC has at most 50 CIDR blocks, each at most /16 for IPv4 and /44 for IPv6); \
                 peering is not transitive, so the peer drops what is outside its own CIDR blocks"
            ),
        )
        .label("wider than any VPC")
        .help(format!(
            "route only the peer VPC's CIDR blocks over {again}"
        ))
    };
    match peering_link {
        Link::Node(id) => diagnostic.related(
            graph.peerings[*id].origin.span,
            why.unwrap_or("its peer VPC is not known here"),
        ),
        Link::Unknown(unknown) => diagnostic.related(
            target.span,
            format!("the connection is not known here ({})", unknown.reason),
        ),
        _ => diagnostic.related(target.span, "the connection is outside this configuration"),
    }
}

fn check_against_peer(
    graph: &VpcGraph,
    route: &Route,
    known: &KnownPeer<'_>,
    destination: IpNet,
) -> Option<Diagnostic> {
    let KnownPeer {
        peering_id,
        peering,
        own_vpc,
        peer_id,
        ref peer_cidrs,
    } = *known;
    if covers(peer_cidrs, &destination) {
        return None;
    }
    let peer = &graph.vpcs[peer_id];
    let peering_name = &peering.origin.address;
    let peer_name = &peer.origin.address;
    let peer_list = format_cidrs(peer_cidrs, &destination);
    let mut diagnostic;
    if let Some((third_id, via)) =
        transitive_third_vpc(graph, peer_id, peering_id, own_vpc, &destination)
    {
        let third = &graph.vpcs[third_id];
        diagnostic = Diagnostic::new(
            route.destination_span,
            format!(
                "route sends {destination} over {peering_name} to {peer_name}, but {destination} belongs to {}, \
                 which {peer_name} reaches over its own peering {}; peering is not transitive",
                third.origin.address, graph.peerings[via].origin.address
            ),
        )
        .label(format!("{destination} is not in {peer_name}"))
        .related(third.origin.span, format!("{destination} is in {}", third.origin.address))
        .help(format!(
            "peer {} with {} directly and route {destination} over that connection, or use a transit gateway",
            graph.vpcs[own_vpc].origin.address, third.origin.address
        ));
    } else if destination.prefix_len() == 0 {
        diagnostic = Diagnostic::new(
            route.destination_span,
            format!(
                "default route {destination} points at {peering_name}; a peered VPC does not forward traffic to \
                 the internet or anywhere outside its own CIDR blocks"
            ),
        )
        .label("peering has no edge-to-edge routing")
        .help(format!(
            "route only {peer_list} over {peering_name}; send the default route to an internet gateway, NAT \
             gateway or transit gateway of this VPC"
        ));
    } else if peer_cidrs.iter().any(|c| destination.contains(c)) {
        diagnostic = Diagnostic::new(
            route.destination_span,
            format!(
                "route sends {destination} over {peering_name}, which is wider than {peer_name} ({peer_list}); \
                 traffic for the rest of {destination} is dropped by the peer"
            ),
        )
        .label(format!("wider than {peer_name}"))
        .help(format!("narrow the destination to {peer_list}"));
    } else {
        let covered_part = peer_cidrs.iter().any(|c| overlaps(c, &destination));
        let how = if covered_part {
            "only partly inside"
        } else {
            "outside"
        };
        diagnostic = Diagnostic::new(
            route.destination_span,
            format!(
                "route sends {destination} over {peering_name}, but {destination} is {how} the CIDR blocks of \
                 {peer_name} ({peer_list}); the peer drops it"
            ),
        )
        .label(format!("{destination} is not in {peer_name}"))
        .help(format!("route only {peer_list} over {peering_name}"));
    }
    diagnostic = diagnostic.related(
        peer.origin.span,
        format!("peer VPC {peer_name} has {peer_list}"),
    );
    Some(diagnostic)
}

/// A VPC other than `own` and `peer` that holds (part of) the destination and that the
/// peer is peered with over a connection other than `via`.
fn transitive_third_vpc(
    graph: &VpcGraph,
    peer: VpcId,
    via: PeeringId,
    own: VpcId,
    destination: &IpNet,
) -> Option<(VpcId, PeeringId)> {
    graph.vpcs[peer]
        .peerings
        .iter()
        .copied()
        .filter(|p| *p != via)
        .find_map(|other_peering| {
            let third = match graph.peerings[other_peering].other_side(peer)? {
                Link::Node(third) if *third != own && *third != peer => *third,
                _ => return None,
            };
            let holds = graph.vpcs[third]
                .cidrs()
                .filter_map(|b| b.known())
                .any(|c| overlaps(&c, destination));
            holds.then_some((third, other_peering))
        })
}

/// The peer's CIDRs of the destination's family (all of them if it has none of that family).
fn format_cidrs(cidrs: &[IpNet], destination: &IpNet) -> String {
    let same: Vec<String> = cidrs
        .iter()
        .filter(|c| vpclint_graph::cidr::same_family(c, destination))
        .map(ToString::to_string)
        .collect();
    if same.is_empty() {
        let family = if matches!(destination, IpNet::V6(_)) {
            "no IPv6 CIDR block"
        } else {
            "no IPv4 CIDR block"
        };
        return family.to_owned();
    }
    same.join(", ")
}
