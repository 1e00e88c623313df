//! Internet egress, written once: where a subnet's default routes (`0.0.0.0/0`, `::/0`)
//! go, whether a subnet or VPC has IPv6, and which routes use an egress-only gateway.
//!
//! A subnet's default route for a family is the route that longest-prefix match selects for
//! internet addresses no more specific route covers: the route of its effective table whose
//! destination is exactly `0.0.0.0/0` (or `::/0`). The VPC's local routes are never default
//! routes, so an unknown VPC CIDR (an Amazon-provided IPv6 block) does not make the answer
//! unknown; a route whose destination is unknown does, unless its attribute shows it belongs
//! to the other family (`destination_cidr_block` vs `destination_ipv6_cidr_block`).

use ipnet::IpNet;

use crate::arena::Id;
use crate::model::*;
use crate::routing::{EffectiveTable, Routing};

/// An address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpFamily {
    V4,
    V6,
}

impl IpFamily {
    pub fn of(net: &IpNet) -> IpFamily {
        match net {
            IpNet::V4(_) => IpFamily::V4,
            IpNet::V6(_) => IpFamily::V6,
        }
    }

    /// `0.0.0.0/0` or `::/0`.
    pub fn default_destination(self) -> &'static str {
        match self {
            IpFamily::V4 => "0.0.0.0/0",
            IpFamily::V6 => "::/0",
        }
    }
}

/// Where a family's default route sends traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultRoute {
    /// Certainly no default route: the table (or the implicit main table) has only more
    /// specific routes for this family.
    None,
    /// An internet gateway.
    Igw(RouteId),
    /// An egress-only internet gateway.
    EgressOnly(RouteId),
    /// A NAT gateway.
    Nat(RouteId),
    /// Another known target: transit gateway, virtual private gateway, network interface,
    /// instance, peering connection, endpoint, ...
    Other(RouteId),
    /// Cannot tell: the table is unknown, a route might be the default route, the default
    /// route might not exist, or its target is unknown or not exactly one.
    Unknown,
}

impl DefaultRoute {
    /// The default route itself, when it is certain.
    pub fn route(self) -> Option<RouteId> {
        match self {
            DefaultRoute::Igw(r)
            | DefaultRoute::EgressOnly(r)
            | DefaultRoute::Nat(r)
            | DefaultRoute::Other(r) => Some(r),
            DefaultRoute::None | DefaultRoute::Unknown => None,
        }
    }

    /// A default route certainly exists.
    pub fn exists(self) -> bool {
        self.route().is_some()
    }
}

/// The family a route's destination belongs to: from its CIDR when known, else from the
/// attribute it is written in (`destination_ipv6_cidr_block`, `ipv6_cidr_block`,
/// `DestinationIpv6CidrBlock` are IPv6; `destination_cidr_block`, `cidr_block`,
/// `DestinationCidrBlock` IPv4). `None` for prefix lists and when nothing tells.
pub fn destination_family(route: &Route) -> Option<IpFamily> {
    match &route.destination {
        Destination::Cidr(Known::Known(net)) => Some(IpFamily::of(net)),
        Destination::Cidr(Known::Unknown(_)) => {
            let (name, _) = route
                .origin
                .attributes
                .iter()
                .find(|(_, span)| **span == route.destination_span)?;
            let name = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
            if name.contains("ipv6") {
                Some(IpFamily::V6)
            } else if name.contains("cidr") {
                Some(IpFamily::V4)
            } else {
                None
            }
        }
        Destination::PrefixList(_) | Destination::Missing => None,
    }
}

/// What a route's target is, as far as egress is concerned. `None` when it cannot be told
/// (no target, several targets, an unknown `gateway_id`, a reference to nothing).
fn classify(route_id: RouteId, route: &Route) -> DefaultRoute {
    let Some(target) = route.target() else {
        return DefaultRoute::Unknown;
    };
    // A reference to nothing (VPC606's finding) proves nothing about the target.
    let undeclared = |undeclared: bool, kind: DefaultRoute| {
        if undeclared {
            DefaultRoute::Unknown
        } else {
            kind
        }
    };
    match target {
        RouteTarget::InternetGateway(link) => undeclared(
            matches!(link, Link::Undeclared { .. }),
            DefaultRoute::Igw(route_id),
        ),
        RouteTarget::EgressOnlyInternetGateway(link) => undeclared(
            matches!(link, Link::Undeclared { .. }),
            DefaultRoute::EgressOnly(route_id),
        ),
        RouteTarget::NatGateway(link) => undeclared(
            matches!(link, Link::Undeclared { .. }),
            DefaultRoute::Nat(route_id),
        ),
        // An unknown `gateway_id` might be an internet gateway.
        RouteTarget::Other { value, .. } if !value.is_known() => DefaultRoute::Unknown,
        RouteTarget::Other { .. }
        | RouteTarget::Peering(_)
        | RouteTarget::VpcEndpoint(_)
        | RouteTarget::Local => DefaultRoute::Other(route_id),
    }
}

/// The default route of `family` in a route table (its own routes; local routes are never
/// default routes).
pub fn table_default_route(
    graph: &VpcGraph,
    table: RouteTableId,
    family: IpFamily,
) -> DefaultRoute {
    let Some(node) = graph.route_tables.get(table) else {
        return DefaultRoute::Unknown;
    };
    if node.routes_may_be_incomplete || !node.origin.is_certain() {
        return DefaultRoute::Unknown;
    }
    let mut found = None;
    for &route_id in &node.routes {
        let route = &graph.routes[route_id];
        let is_default = match &route.destination {
            Destination::Cidr(Known::Known(net)) => {
                IpFamily::of(net) == family && net.prefix_len() == 0
            }
            Destination::Cidr(Known::Unknown(_)) => match destination_family(route) {
                Some(f) if f != family => false,
                // It might be this family's default route.
                _ => return DefaultRoute::Unknown,
            },
            Destination::PrefixList(_) | Destination::Missing => false,
        };
        if !is_default {
            continue;
        }
        // A default route that might not exist, or two of them (AWS rejects the duplicate):
        // do not guess which one holds.
        if !route.origin.is_certain() || found.is_some() {
            return DefaultRoute::Unknown;
        }
        found = Some(route_id);
    }
    match found {
        Some(route_id) => classify(route_id, &graph.routes[route_id]),
        None => DefaultRoute::None,
    }
}

/// The default route of `family` for an effective route table.
pub fn effective_default_route(
    graph: &VpcGraph,
    effective: EffectiveTable,
    family: IpFamily,
) -> DefaultRoute {
    match effective {
        EffectiveTable::Table { table, .. } => table_default_route(graph, table, family),
        // The unmanaged main table holds only the local routes.
        EffectiveTable::ImplicitMain { .. } => DefaultRoute::None,
        EffectiveTable::Unknown => DefaultRoute::Unknown,
    }
}

/// The default route of `family` that a subnet uses.
pub fn default_route(routing: &Routing<'_>, subnet: SubnetId, family: IpFamily) -> DefaultRoute {
    effective_default_route(routing.graph(), routing.effective_table(subnet), family)
}

/// A subnet's internet egress, both families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubnetEgress {
    pub ipv4: DefaultRoute,
    pub ipv6: DefaultRoute,
}

impl SubnetEgress {
    pub fn of(routing: &Routing<'_>, subnet: SubnetId) -> SubnetEgress {
        SubnetEgress {
            ipv4: default_route(routing, subnet, IpFamily::V4),
            ipv6: default_route(routing, subnet, IpFamily::V6),
        }
    }

    /// Meant to be private: its IPv4 default route certainly goes through a NAT gateway.
    pub fn is_private(&self) -> bool {
        matches!(self.ipv4, DefaultRoute::Nat(_))
    }

    /// Public: its IPv4 default route certainly goes to an internet gateway.
    pub fn is_public(&self) -> bool {
        matches!(self.ipv4, DefaultRoute::Igw(_))
    }

    /// Isolated: certainly no default route in either family.
    pub fn is_isolated(&self) -> bool {
        self.ipv4 == DefaultRoute::None && self.ipv6 == DefaultRoute::None
    }
}

/// Whether something is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    Absent,
    Unknown,
}

/// Which subnets and VPCs have IPv6 CIDR blocks. A block that is present but whose value is
/// unknown (Amazon-provided, carved from an unknown VPC block) counts as present; a block
/// that might or might not be declared (a condition vpclint cannot evaluate) makes the
/// answer unknown.
#[derive(Debug, Clone)]
pub struct Ipv6Facts {
    /// Subnets that might have an IPv6 block not listed in `ipv6_cidrs`.
    subnet_uncertain: Vec<bool>,
    /// Some subnet CIDR association's subnet is unknown: any subnet might have more blocks.
    any_subnet_uncertain: bool,
}

impl Ipv6Facts {
    pub fn new(graph: &VpcGraph) -> Ipv6Facts {
        let mut subnet_uncertain: Vec<bool> = graph
            .subnets
            .values()
            .map(|s| s.cidrs_may_be_incomplete)
            .collect();
        let mut any_subnet_uncertain = false;
        for assoc in graph.cidr_associations.values() {
            let CidrOwner::Subnet(owner) = &assoc.owner else {
                continue;
            };
            match owner {
                // Certain associations are merged into the subnet by `finish`.
                Link::Node(id) if !assoc.origin.is_certain() => {
                    if let Some(flag) = subnet_uncertain.get_mut(id.index()) {
                        *flag = true;
                    }
                }
                Link::Node(_) => {}
                Link::Unknown(_) | Link::Pending { .. } => any_subnet_uncertain = true,
                Link::External(_) | Link::Declared(_) | Link::Undeclared { .. } | Link::None => {}
            }
        }
        Ipv6Facts {
            subnet_uncertain,
            any_subnet_uncertain,
        }
    }

    /// Whether a subnet has an IPv6 CIDR block.
    pub fn subnet(&self, graph: &VpcGraph, subnet: SubnetId) -> Presence {
        let Some(node) = graph.subnets.get(subnet) else {
            return Presence::Unknown;
        };
        if !node.ipv6_cidrs.is_empty() {
            Presence::Present
        } else if self.any_subnet_uncertain
            || self
                .subnet_uncertain
                .get(subnet.index())
                .copied()
                .unwrap_or(true)
        {
            Presence::Unknown
        } else {
            Presence::Absent
        }
    }

    /// Whether a VPC has an IPv6 CIDR block.
    pub fn vpc(graph: &VpcGraph, vpc: VpcId) -> Presence {
        let Some(node) = graph.vpcs.get(vpc) else {
            return Presence::Unknown;
        };
        if !node.ipv6_cidrs.is_empty() {
            Presence::Present
        } else if node.cidrs_may_be_incomplete {
            Presence::Unknown
        } else {
            Presence::Absent
        }
    }
}

/// The routes that target each egress-only internet gateway, built in one pass.
#[derive(Debug, Clone)]
pub struct EgressOnlyRoutes {
    /// Per gateway: the routes whose (one of whose) target is certainly that gateway.
    routes: Vec<Vec<RouteId>>,
    /// Some route targets an egress-only gateway that vpclint cannot resolve (unknown ID),
    /// or has an unknown `gateway_id`: it might target any of them.
    pub unknown_target: bool,
}

impl EgressOnlyRoutes {
    pub fn new(graph: &VpcGraph) -> EgressOnlyRoutes {
        let mut routes = vec![Vec::new(); graph.egress_only_gateways.len()];
        let mut unknown_target = false;
        for (route_id, route) in graph.routes.iter() {
            for target in &route.targets {
                match &target.target {
                    RouteTarget::EgressOnlyInternetGateway(Link::Node(eigw)) => {
                        if let Some(list) = routes.get_mut(eigw.index()) {
                            if !list.contains(&route_id) {
                                list.push(route_id);
                            }
                        }
                    }
                    RouteTarget::EgressOnlyInternetGateway(Link::Unknown(_)) => {
                        unknown_target = true;
                    }
                    RouteTarget::Other { attribute, value }
                        if !value.is_known() && is_gateway_attribute(attribute) =>
                    {
                        unknown_target = true;
                    }
                    _ => {}
                }
            }
        }
        EgressOnlyRoutes {
            routes,
            unknown_target,
        }
    }

    /// The routes that certainly target `eigw` (some may themselves be conditional).
    pub fn routes_to(&self, eigw: EgressOnlyGatewayId) -> &[RouteId] {
        self.routes.get(eigw.index()).map_or(&[], Vec::as_slice)
    }

    /// The route tables those routes belong to (`None` for a route whose table is not a
    /// node of the graph), in route order, without duplicates.
    pub fn tables_targeting(
        &self,
        graph: &VpcGraph,
        eigw: EgressOnlyGatewayId,
    ) -> Vec<Option<RouteTableId>> {
        let mut tables = Vec::new();
        for &route in self.routes_to(eigw) {
            let table = graph.routes[route].route_table.node();
            if !tables.contains(&table) {
                tables.push(table);
            }
        }
        tables
    }
}

fn is_gateway_attribute(attribute: &str) -> bool {
    attribute.eq_ignore_ascii_case("gateway_id") || attribute.eq_ignore_ascii_case("GatewayId")
}

/// The egress-only internet gateways certainly attached to `vpc`.
pub fn egress_only_gateways_of(graph: &VpcGraph, vpc: VpcId) -> Vec<EgressOnlyGatewayId> {
    graph
        .egress_only_gateways
        .iter()
        .filter(|(_, g)| g.vpc.is(vpc) && g.origin.is_certain())
        .map(|(id, _)| id)
        .collect()
}

/// The internet gateways certainly attached to `vpc`.
pub fn internet_gateways_of(graph: &VpcGraph, vpc: VpcId) -> Vec<InternetGatewayId> {
    graph
        .internet_gateways
        .iter()
        .filter(|(_, g)| g.vpc.is(vpc) && g.origin.is_certain())
        .map(|(id, _)| id)
        .collect()
}

/// How a route target is written, for messages: the node's address, the literal ID, or the
/// attribute's value as far as it is known.
pub fn target_name(graph: &VpcGraph, target: &RouteTarget) -> String {
    fn link_name<T>(link: &Link<T>, node: impl Fn(Id<T>) -> Option<String>) -> String {
        match link {
            Link::Node(id) => node(*id).unwrap_or_else(|| "a gateway".to_owned()),
            Link::External(s) | Link::Declared(s) => s.clone(),
            Link::Undeclared { address, .. } | Link::Pending { address, .. } => address.clone(),
            Link::Unknown(_) | Link::None => "an unknown target".to_owned(),
        }
    }
    match target {
        RouteTarget::InternetGateway(l) => link_name(l, |id| {
            graph
                .internet_gateways
                .get(id)
                .map(|n| n.origin.address.clone())
        }),
        RouteTarget::EgressOnlyInternetGateway(l) => link_name(l, |id| {
            graph
                .egress_only_gateways
                .get(id)
                .map(|n| n.origin.address.clone())
        }),
        RouteTarget::NatGateway(l) => link_name(l, |id| {
            graph.nat_gateways.get(id).map(|n| n.origin.address.clone())
        }),
        RouteTarget::Peering(l) => link_name(l, |id| {
            graph.peerings.get(id).map(|n| n.origin.address.clone())
        }),
        RouteTarget::VpcEndpoint(l) => link_name(l, |id| {
            graph.endpoints.get(id).map(|n| n.origin.address.clone())
        }),
        RouteTarget::Local => "local".to_owned(),
        RouteTarget::Other { attribute, value } => match value {
            Known::Known(v) => v.clone(),
            Known::Unknown(_) => format!("an unknown {attribute}"),
        },
    }
}

/// Attribute names of a route in the stack's language, for help texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteAttributes {
    pub ipv4_destination: &'static str,
    pub ipv6_destination: &'static str,
    pub internet_gateway: &'static str,
    pub egress_only_gateway: &'static str,
    pub nat_gateway: &'static str,
    pub kind: StackKind,
}

impl RouteAttributes {
    /// Names for a standalone route (`aws_route`, `AWS::EC2::Route`) or, in Terraform, an
    /// inline `route` block (`inline`).
    pub fn for_route(kind: StackKind, inline: bool) -> RouteAttributes {
        match (kind, inline) {
            (StackKind::CloudFormation, _) => RouteAttributes {
                ipv4_destination: "DestinationCidrBlock",
                ipv6_destination: "DestinationIpv6CidrBlock",
                internet_gateway: "GatewayId",
                egress_only_gateway: "EgressOnlyInternetGatewayId",
                nat_gateway: "NatGatewayId",
                kind,
            },
            (StackKind::Terraform, true) => RouteAttributes {
                ipv4_destination: "cidr_block",
                ipv6_destination: "ipv6_cidr_block",
                internet_gateway: "gateway_id",
                egress_only_gateway: "egress_only_gateway_id",
                nat_gateway: "nat_gateway_id",
                kind,
            },
            (StackKind::Terraform, false) => RouteAttributes {
                ipv4_destination: "destination_cidr_block",
                ipv6_destination: "destination_ipv6_cidr_block",
                internet_gateway: "gateway_id",
                egress_only_gateway: "egress_only_gateway_id",
                nat_gateway: "nat_gateway_id",
                kind,
            },
        }
    }

    /// `name = "value"` (Terraform) or `Name: value` (CloudFormation); `literal` values are
    /// quoted in Terraform, references are not.
    pub fn assign(&self, name: &str, value: &str, literal: bool) -> String {
        match (self.kind, literal) {
            (StackKind::Terraform, true) => format!("{name} = \"{value}\""),
            (StackKind::Terraform, false) => format!("{name} = {value}"),
            (StackKind::CloudFormation, _) => format!("{name}: {value}"),
        }
    }

    /// Names for a route added to `table`: inline when the table already has only inline
    /// routes (Terraform: mixing both kinds fights over the table), else standalone.
    pub fn for_new_route(graph: &VpcGraph, table: Option<RouteTableId>) -> RouteAttributes {
        let inline = table
            .and_then(|t| graph.route_tables.get(t))
            .is_some_and(|t| {
                !t.routes.is_empty() && t.routes.iter().all(|r| graph.routes[*r].inline)
            });
        RouteAttributes::for_route(graph.kind, inline)
    }
}

/// How a resource is referenced in the stack's language: `aws_x.y.id` or `!Ref Y`.
pub fn reference(kind: StackKind, address: &str) -> String {
    match kind {
        StackKind::Terraform => format!("{address}.id"),
        StackKind::CloudFormation => format!("!Ref {address}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileId, Span};

    fn span(n: usize) -> Span {
        Span::new(FileId(0), n, n + 1)
    }

    fn net(s: &str) -> Known<IpNet> {
        Known::Known(s.parse().expect("test CIDR"))
    }

    fn block(cidr: Known<IpNet>, by: &str) -> CidrBlock {
        CidrBlock {
            cidr,
            span: span(0),
            declared_by: by.into(),
        }
    }

    /// A VPC (10.0.0.0/16 + an Amazon-provided IPv6 block), gateways, one route table
    /// `aws_route_table.t` with the given routes, and subnet `aws_subnet.s` associated with it.
    struct Builder {
        g: VpcGraph,
    }

    impl Builder {
        fn new() -> Builder {
            let mut g = VpcGraph::new("test", StackKind::Terraform);
            let mut vpc = Vpc::new(Origin::new("aws_vpc.v", "aws_vpc", span(0)));
            vpc.ipv4_cidrs.push(block(net("10.0.0.0/16"), "aws_vpc.v"));
            vpc.ipv6_cidrs
                .push(block(Known::unknown("Amazon-provided"), "aws_vpc.v"));
            g.vpcs.push(vpc);
            for (addr, ty) in [
                ("aws_internet_gateway.igw", "aws_internet_gateway"),
                ("aws_egress_only_internet_gateway.eigw", "x"),
                ("aws_nat_gateway.nat", "aws_nat_gateway"),
            ] {
                let origin = Origin::new(addr, ty, span(0));
                let vpc = Link::pending("aws_vpc.v", None);
                match ty {
                    "aws_internet_gateway" => {
                        g.internet_gateways.push(InternetGateway { origin, vpc });
                    }
                    "aws_nat_gateway" => {
                        g.nat_gateways.push(NatGateway {
                            origin,
                            subnet: Link::None,
                            connectivity_type: Known::Known("public".into()),
                        });
                    }
                    _ => {
                        g.egress_only_gateways
                            .push(EgressOnlyInternetGateway { origin, vpc });
                    }
                }
            }
            g.route_tables.push(RouteTable::new(
                Origin::new("aws_route_table.t", "aws_route_table", span(0)),
                Link::pending("aws_vpc.v", None),
            ));
            let mut subnet = Subnet::new(
                Origin::new("aws_subnet.s", "aws_subnet", span(0)),
                Link::pending("aws_vpc.v", None),
            );
            subnet.ipv4_cidr = Some(block(net("10.0.1.0/24"), "aws_subnet.s"));
            g.subnets.push(subnet);
            g.route_table_associations.push(RouteTableAssociation {
                origin: Origin::new("aws_route_table_association.a", "x", span(0)),
                subnet: Link::pending("aws_subnet.s", None),
                route_table: Link::pending("aws_route_table.t", None),
            });
            Builder { g }
        }

        fn route(mut self, dest: Known<IpNet>, attr: &str, target: RouteTarget) -> Builder {
            let i = self.g.routes.len();
            let mut origin = Origin::new(format!("aws_route.r{i}"), "aws_route", span(100 + i));
            let dest_span = span(200 + i);
            origin.attributes.insert(attr.into(), dest_span);
            self.g.routes.push(Route {
                origin,
                route_table: Link::pending("aws_route_table.t", None),
                destination: Destination::Cidr(dest),
                destination_span: dest_span,
                targets: vec![TargetRef {
                    target,
                    span: span(300 + i),
                }],
                inline: false,
            });
            self
        }

        fn finish(mut self) -> VpcGraph {
            self.g.finish();
            self.g
        }
    }

    fn igw() -> RouteTarget {
        RouteTarget::InternetGateway(Link::pending("aws_internet_gateway.igw", None))
    }
    fn eigw() -> RouteTarget {
        RouteTarget::EgressOnlyInternetGateway(Link::pending(
            "aws_egress_only_internet_gateway.eigw",
            None,
        ))
    }
    fn nat() -> RouteTarget {
        RouteTarget::NatGateway(Link::pending("aws_nat_gateway.nat", None))
    }
    fn r(i: u32) -> RouteId {
        Id::from_raw(i)
    }
    fn s0() -> SubnetId {
        Id::from_raw(0)
    }

    #[test]
    fn private_subnet_with_ipv6_egress() {
        let g = Builder::new()
            .route(net("0.0.0.0/0"), "destination_cidr_block", nat())
            .route(net("10.9.0.0/16"), "destination_cidr_block", igw())
            .route(net("::/0"), "destination_ipv6_cidr_block", eigw())
            .finish();
        let routing = Routing::new(&g);
        let egress = SubnetEgress::of(&routing, s0());
        assert_eq!(egress.ipv4, DefaultRoute::Nat(r(0)));
        assert_eq!(egress.ipv6, DefaultRoute::EgressOnly(r(2)));
        assert!(egress.is_private() && !egress.is_public() && !egress.is_isolated());
    }

    #[test]
    fn public_subnet_and_missing_ipv6_default() {
        let g = Builder::new()
            .route(net("0.0.0.0/0"), "destination_cidr_block", igw())
            .finish();
        let routing = Routing::new(&g);
        let egress = SubnetEgress::of(&routing, s0());
        assert_eq!(egress.ipv4, DefaultRoute::Igw(r(0)));
        assert_eq!(egress.ipv6, DefaultRoute::None);
        assert!(egress.is_public());
    }

    #[test]
    fn implicit_main_table_is_isolated() {
        let mut g = Builder::new().finish();
        g.subnets.values_mut().for_each(|s| s.associations.clear());
        let routing = Routing::new(&g);
        let egress = SubnetEgress::of(&routing, s0());
        assert!(egress.is_isolated());
    }

    #[test]
    fn unknown_destination_of_the_other_family_does_not_matter() {
        let g = Builder::new()
            .route(net("0.0.0.0/0"), "destination_cidr_block", nat())
            .route(Known::unknown("var"), "destination_cidr_block", igw())
            .finish();
        let routing = Routing::new(&g);
        assert_eq!(
            default_route(&routing, s0(), IpFamily::V6),
            DefaultRoute::None
        );
        assert_eq!(
            default_route(&routing, s0(), IpFamily::V4),
            DefaultRoute::Unknown
        );
        // Inline route attribute names carry a prefix.
        let g = Builder::new()
            .route(Known::unknown("var"), "route[0].ipv6_cidr_block", igw())
            .finish();
        let routing = Routing::new(&g);
        assert_eq!(
            default_route(&routing, s0(), IpFamily::V6),
            DefaultRoute::Unknown
        );
        assert_eq!(
            default_route(&routing, s0(), IpFamily::V4),
            DefaultRoute::None
        );
    }

    #[test]
    fn uncertain_or_duplicate_or_unknown_target_is_unknown() {
        let mut g = Builder::new()
            .route(net("0.0.0.0/0"), "destination_cidr_block", nat())
            .finish();
        g.routes
            .values_mut()
            .for_each(|r| r.origin.existence = Existence::Maybe);
        assert_eq!(
            default_route(&Routing::new(&g), s0(), IpFamily::V4),
            DefaultRoute::Unknown
        );

        let g = Builder::new()
            .route(net("0.0.0.0/0"), "destination_cidr_block", nat())
            .route(net("0.0.0.0/0"), "destination_cidr_block", igw())
            .finish();
        assert_eq!(
            default_route(&Routing::new(&g), s0(), IpFamily::V4),
            DefaultRoute::Unknown
        );

        let g = Builder::new()
            .route(
                net("0.0.0.0/0"),
                "destination_cidr_block",
                RouteTarget::Other {
                    attribute: "gateway_id".into(),
                    value: Known::unknown("var"),
                },
            )
            .finish();
        assert_eq!(
            default_route(&Routing::new(&g), s0(), IpFamily::V4),
            DefaultRoute::Unknown
        );

        let mut g = Builder::new()
            .route(net("0.0.0.0/0"), "destination_cidr_block", nat())
            .finish();
        g.route_tables
            .values_mut()
            .for_each(|t| t.routes_may_be_incomplete = true);
        assert_eq!(
            default_route(&Routing::new(&g), s0(), IpFamily::V4),
            DefaultRoute::Unknown
        );
    }

    #[test]
    fn transit_gateway_default_is_other() {
        let g = Builder::new()
            .route(
                net("0.0.0.0/0"),
                "destination_cidr_block",
                RouteTarget::Other {
                    attribute: "transit_gateway_id".into(),
                    value: Known::Known("tgw-0abc".into()),
                },
            )
            .finish();
        assert_eq!(
            default_route(&Routing::new(&g), s0(), IpFamily::V4),
            DefaultRoute::Other(r(0))
        );
    }

    #[test]
    fn ipv6_presence() {
        let mut g = Builder::new().finish();
        let facts = Ipv6Facts::new(&g);
        assert_eq!(facts.subnet(&g, s0()), Presence::Absent);
        assert_eq!(Ipv6Facts::vpc(&g, Id::from_raw(0)), Presence::Present);

        g.subnets[s0()]
            .ipv6_cidrs
            .push(block(Known::unknown("carved from an unknown block"), "s"));
        assert_eq!(facts.subnet(&g, s0()), Presence::Present);

        g.subnets[s0()].ipv6_cidrs.clear();
        g.subnets[s0()].cidrs_may_be_incomplete = true;
        assert_eq!(Ipv6Facts::new(&g).subnet(&g, s0()), Presence::Unknown);

        g.vpcs.values_mut().for_each(|v| v.ipv6_cidrs.clear());
        assert_eq!(Ipv6Facts::vpc(&g, Id::from_raw(0)), Presence::Absent);
        g.vpcs
            .values_mut()
            .for_each(|v| v.cidrs_may_be_incomplete = true);
        assert_eq!(Ipv6Facts::vpc(&g, Id::from_raw(0)), Presence::Unknown);
    }

    #[test]
    fn conditional_subnet_cidr_association_makes_ipv6_unknown() {
        let mut b = Builder::new();
        let mut origin = Origin::new("SubnetV6", "AWS::EC2::SubnetCidrBlock", span(0));
        origin.existence = Existence::Maybe;
        b.g.cidr_associations.push(CidrAssociation {
            origin,
            owner: CidrOwner::Subnet(Link::pending("aws_subnet.s", None)),
            block: block(Known::unknown("x"), "SubnetV6"),
            ipv6: true,
        });
        let g = b.finish();
        assert_eq!(Ipv6Facts::new(&g).subnet(&g, s0()), Presence::Unknown);
    }

    #[test]
    fn routes_targeting_an_egress_only_gateway() {
        let g = Builder::new()
            .route(net("::/0"), "destination_ipv6_cidr_block", eigw())
            .route(net("0.0.0.0/0"), "destination_cidr_block", nat())
            .finish();
        let index = EgressOnlyRoutes::new(&g);
        let gw = Id::from_raw(0);
        assert_eq!(index.routes_to(gw), &[r(0)]);
        assert_eq!(index.tables_targeting(&g, gw), vec![Some(Id::from_raw(0))]);
        assert!(!index.unknown_target);
        assert_eq!(egress_only_gateways_of(&g, Id::from_raw(0)), vec![gw]);
        assert_eq!(
            target_name(&g, &g.routes[r(0)].targets[0].target),
            "aws_egress_only_internet_gateway.eigw"
        );

        let g = Builder::new()
            .route(
                net("::/0"),
                "destination_ipv6_cidr_block",
                RouteTarget::EgressOnlyInternetGateway(Link::unknown("var", None)),
            )
            .finish();
        let index = EgressOnlyRoutes::new(&g);
        assert!(index.routes_to(Id::from_raw(0)).is_empty());
        assert!(index.unknown_target);
    }
}
