//! Routing semantics, written once: effective route table and longest-prefix match.
//!
//! AWS rules: a subnet uses the route table explicitly associated with it, else
//! its VPC's main route table (which, unless the configuration manages it, holds
//! only the local routes). Lookup is longest-prefix match over the table's routes
//! plus one local route per VPC CIDR block.

use ipnet::IpNet;

use crate::cidr::{bounds, halves, overlaps, same_family};
use crate::model::*;

/// The route table a subnet uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectiveTable {
    /// A route table of the graph: explicitly associated, or the managed main table.
    Table {
        table: RouteTableId,
        vpc: VpcId,
        explicit: bool,
    },
    /// The VPC's main table, which the configuration does not manage: local routes only.
    ImplicitMain { vpc: VpcId },
    /// Cannot tell (unknown association, unknown VPC, ...).
    Unknown,
}

impl EffectiveTable {
    pub fn table(&self) -> Option<RouteTableId> {
        match self {
            EffectiveTable::Table { table, .. } => Some(*table),
            _ => None,
        }
    }
    pub fn vpc(&self) -> Option<VpcId> {
        match self {
            EffectiveTable::Table { vpc, .. } | EffectiveTable::ImplicitMain { vpc } => Some(*vpc),
            EffectiveTable::Unknown => None,
        }
    }
}

/// The route table a subnet uses, following AWS's association rules.
pub fn effective_route_table(graph: &VpcGraph, subnet: SubnetId) -> EffectiveTable {
    let Some(node) = graph.subnets.get(subnet) else {
        return EffectiveTable::Unknown;
    };
    let Link::Node(vpc) = node.vpc else {
        return EffectiveTable::Unknown;
    };
    match node.associations.as_slice() {
        [only] => match graph.route_table_associations[*only].route_table {
            Link::Node(table) if graph.route_table_associations[*only].origin.is_certain() => {
                EffectiveTable::Table {
                    table,
                    vpc,
                    explicit: true,
                }
            }
            _ => EffectiveTable::Unknown,
        },
        // Several explicit associations is its own error (AWS rejects it); do not guess which wins.
        [_, _, ..] => EffectiveTable::Unknown,
        [] if graph.has_unknown_subnet_association => EffectiveTable::Unknown,
        [] => main_route_table(graph, vpc),
    }
}

/// The main route table of a VPC.
pub fn main_route_table(graph: &VpcGraph, vpc: VpcId) -> EffectiveTable {
    let Some(node) = graph.vpcs.get(vpc) else {
        return EffectiveTable::Unknown;
    };
    match node.main_route_table {
        Some(table) => EffectiveTable::Table {
            table,
            vpc,
            explicit: false,
        },
        None if node.main_route_table_unknown => EffectiveTable::Unknown,
        None => EffectiveTable::ImplicitMain { vpc },
    }
}

/// Where longest-prefix match sends (part of) a destination range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hop {
    /// One of the VPC's local routes.
    Local,
    /// A route of the table.
    Route(RouteId),
    /// No route matches: the packet is dropped.
    NoRoute,
    /// Cannot tell (a route or CIDR involved is unknown, or might not exist).
    Unknown,
}

/// The routes of one table (or of an implicit main table) prepared for lookups.
#[derive(Debug, Clone)]
pub struct RouteLookup {
    /// In table order for a small table (scanned). For a large one, once
    /// [`RouteLookup::indexed`]: one entry per distinct prefix, sorted by family, first
    /// address and length, so a lookup finds the entries overlapping a range by binary
    /// search instead of scanning the table (20,000 routes in one table made rules that
    /// look up each route quadratic).
    entries: Vec<Entry>,
    /// [`sort_key`] of each entry.
    keys: Vec<(bool, u128, u8)>,
    /// The prefix lengths present, per family (IPv4, IPv6), ascending.
    lengths: [Vec<u8>; 2],
    /// Some route of unknown destination or family might match anything.
    unknown_v4: bool,
    unknown_v6: bool,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    net: IpNet,
    hop: Hop,
    /// The route might not exist (conditional resource).
    certain: bool,
}

impl RouteLookup {
    /// Prepares lookups for a subnet's effective table; `None` when the table is unknown.
    pub fn for_effective(graph: &VpcGraph, effective: EffectiveTable) -> Option<RouteLookup> {
        match effective {
            EffectiveTable::Table { table, .. } => Some(RouteLookup::for_table(graph, table)),
            EffectiveTable::ImplicitMain { vpc } => Some(RouteLookup::local_only(graph, vpc)),
            EffectiveTable::Unknown => None,
        }
    }

    /// Only the local routes of a VPC.
    pub fn local_only(graph: &VpcGraph, vpc: VpcId) -> RouteLookup {
        let mut lookup = RouteLookup::new(Vec::new(), false, false);
        lookup.add_local(graph, vpc);
        lookup.indexed()
    }

    fn new(entries: Vec<Entry>, unknown_v4: bool, unknown_v6: bool) -> RouteLookup {
        RouteLookup {
            entries,
            keys: Vec::new(),
            lengths: [Vec::new(), Vec::new()],
            unknown_v4,
            unknown_v6,
        }
    }

    /// Indexes a large table (see [`RouteLookup::with_index`]).
    fn indexed(self) -> RouteLookup {
        // Scanned, not searched (see `overlapping`): nothing to build.
        if self.entries.len() < SCAN_BELOW {
            return self;
        }
        self.with_index()
    }

    /// Sorts the entries and keeps, of equal prefixes, the one longest-prefix match picks
    /// (a local route, else the last written): the others can never be chosen.
    fn with_index(mut self) -> RouteLookup {
        self.entries.sort_by_key(|e| sort_key(&e.net));
        let mut kept: Vec<Entry> = Vec::with_capacity(self.entries.len());
        for e in self.entries {
            match kept.last_mut() {
                Some(last) if last.net == e.net => {
                    if matches!(e.hop, Hop::Local) || !matches!(last.hop, Hop::Local) {
                        *last = e;
                    }
                }
                _ => kept.push(e),
            }
        }
        self.entries = kept;
        self.keys = self.entries.iter().map(|e| sort_key(&e.net)).collect();
        for e in &self.entries {
            let lengths = &mut self.lengths[usize::from(matches!(e.net, IpNet::V6(_)))];
            if let Err(at) = lengths.binary_search(&e.net.prefix_len()) {
                lengths.insert(at, e.net.prefix_len());
            }
        }
        self
    }

    /// The entries that share an address with `range` (a truncated prefix).
    fn overlapping(&self, range: &IpNet) -> Vec<Entry> {
        // Most tables hold a handful of routes: scanning them is cheaper than searching.
        if self.entries.len() < SCAN_BELOW {
            return self
                .entries
                .iter()
                .filter(|e| overlaps(&e.net, range))
                .copied()
                .collect();
        }
        self.overlapping_indexed(range)
    }

    /// [`RouteLookup::overlapping`] by binary search: the entries that contain the range,
    /// one per shorter length present, then those inside it.
    fn overlapping_indexed(&self, range: &IpNet) -> Vec<Entry> {
        let (v6, start, end) = bounds(range);
        let len = range.prefix_len();
        let width: u8 = if v6 { 128 } else { 32 };
        let mut out = Vec::new();
        for &l in self.lengths[usize::from(v6)]
            .iter()
            .take_while(|&&l| l <= len)
        {
            // The first address of the length-`l` prefix holding the range.
            let host_bits = u32::from(width - l);
            let first = start
                .checked_shr(host_bits)
                .and_then(|n| n.checked_shl(host_bits))
                .unwrap_or(0);
            if let Ok(i) = self.keys.binary_search(&(v6, first, l)) {
                out.extend(self.entries.get(i).copied());
            }
        }
        // Inside the range: a first address in it and a longer prefix.
        let low = self.keys.partition_point(|k| *k <= (v6, start, len));
        let high = self.keys.partition_point(|k| *k <= (v6, end, u8::MAX));
        out.extend_from_slice(self.entries.get(low..high).unwrap_or(&[]));
        out
    }

    /// The routes of a route table plus the local routes of its VPC.
    pub fn for_table(graph: &VpcGraph, table: RouteTableId) -> RouteLookup {
        let node = &graph.route_tables[table];
        let mut lookup = RouteLookup::new(
            Vec::with_capacity(node.routes.len() + 2),
            node.routes_may_be_incomplete,
            node.routes_may_be_incomplete,
        );
        match node.vpc {
            Link::Node(vpc) => lookup.add_local(graph, vpc),
            // Without the VPC we do not know the local routes, which win for VPC addresses.
            _ => {
                lookup.unknown_v4 = true;
                lookup.unknown_v6 = true;
            }
        }
        for &route_id in &node.routes {
            let route = &graph.routes[route_id];
            match &route.destination {
                Destination::Cidr(Known::Known(net)) => lookup.entries.push(Entry {
                    net: net.trunc(),
                    hop: Hop::Route(route_id),
                    certain: route.origin.is_certain(),
                }),
                Destination::Cidr(Known::Unknown(_)) => {
                    lookup.unknown_v4 = true;
                    lookup.unknown_v6 = true;
                }
                // Prefix lists: AWS service prefix lists (gateway endpoints) never hold VPC or
                // private ranges we look up; customer-managed lists are unknown content.
                Destination::PrefixList(_) | Destination::Missing => {}
            }
        }
        lookup.indexed()
    }

    fn add_local(&mut self, graph: &VpcGraph, vpc: VpcId) {
        let node = &graph.vpcs[vpc];
        if node.cidrs_may_be_incomplete {
            self.unknown_v4 = true;
            self.unknown_v6 = true;
        }
        for block in &node.ipv4_cidrs {
            match block.cidr {
                Known::Known(net) => self.entries.push(Entry {
                    net: net.trunc(),
                    hop: Hop::Local,
                    certain: true,
                }),
                Known::Unknown(_) => self.unknown_v4 = true,
            }
        }
        for block in &node.ipv6_cidrs {
            match block.cidr {
                Known::Known(net) => self.entries.push(Entry {
                    net: net.trunc(),
                    hop: Hop::Local,
                    certain: true,
                }),
                Known::Unknown(_) => self.unknown_v6 = true,
            }
        }
    }

    fn family_unknown(&self, range: &IpNet) -> bool {
        match range {
            IpNet::V4(_) => self.unknown_v4,
            IpNet::V6(_) => self.unknown_v6,
        }
    }

    /// Longest-prefix match for a whole range: the range split into the pieces that go
    /// to different hops, in address order.
    pub fn resolve(&self, range: &IpNet) -> Vec<(IpNet, Hop)> {
        let range = range.trunc();
        if self.family_unknown(&range) {
            return vec![(range, Hop::Unknown)];
        }
        let relevant = self.overlapping(&range);
        let mut out = Vec::new();
        resolve_into(&relevant, range, &mut out);
        out
    }

    /// The single hop for the whole range, when every address of it goes the same way.
    pub fn resolve_single(&self, range: &IpNet) -> Hop {
        let pieces = self.resolve(range);
        match pieces.first() {
            Some((_, first)) if pieces.iter().all(|(_, hop)| hop == first) => *first,
            Some(_) => Hop::Unknown,
            None => Hop::NoRoute,
        }
    }

    /// Whether every address of `range` is sent to a route satisfying `accept`.
    /// `None` when that depends on something unknown.
    pub fn all_match(&self, range: &IpNet, mut accept: impl FnMut(Hop) -> bool) -> Option<bool> {
        let mut all = true;
        for (_, hop) in self.resolve(range) {
            if hop == Hop::Unknown {
                return None;
            }
            all &= accept(hop);
        }
        Some(all)
    }
}

/// Tables (and VPCs) with fewer entries (subnets) are scanned rather than searched.
const SCAN_BELOW: usize = 16;

/// Orders prefixes by family, first address, then length (containers before their parts).
fn sort_key(net: &IpNet) -> (bool, u128, u8) {
    let (v6, start, _) = bounds(net);
    (v6, start, net.prefix_len())
}

fn resolve_into(entries: &[Entry], range: IpNet, out: &mut Vec<(IpNet, Hop)>) {
    let splits = entries
        .iter()
        .any(|e| e.net.prefix_len() > range.prefix_len() && range.contains(&e.net));
    if splits {
        if let Some((low, high)) = halves(&range) {
            for half in [low, high] {
                let inside: Vec<Entry> = entries
                    .iter()
                    .filter(|e| overlaps(&e.net, &half))
                    .copied()
                    .collect();
                resolve_into(&inside, half, out);
            }
            return;
        }
    }
    // Every entry left contains the whole range: the longest wins. Equal prefixes from a
    // route and a local route: the local route wins for its own CIDR in AWS.
    let best = entries
        .iter()
        .filter(|e| same_family(&e.net, &range) && e.net.contains(&range))
        .max_by_key(|e| (e.net.prefix_len(), matches!(e.hop, Hop::Local)));
    let hop = match best {
        None => Hop::NoRoute,
        Some(e) if !e.certain => Hop::Unknown,
        Some(e) => e.hop,
    };
    match out.last_mut() {
        Some((prev, prev_hop))
            if *prev_hop == hop && prev.supernet() == range.supernet() && hop != Hop::Unknown =>
        {
            if let Some(sup) = prev.supernet() {
                *prev = sup;
            }
        }
        _ => out.push((range, hop)),
    }
}

/// Effective route tables of every subnet and lookups per table, computed once per graph
/// and shared by the rules that follow traffic.
pub struct Routing<'g> {
    graph: &'g VpcGraph,
    effective: Vec<EffectiveTable>,
    lookups: Vec<std::sync::OnceLock<RouteLookup>>,
    /// Subnets whose effective table is each route table.
    users: Vec<Vec<SubnetId>>,
    /// Each VPC's subnet blocks by address, built on first use.
    subnet_blocks: Vec<std::sync::OnceLock<SubnetBlocks>>,
}

/// The known blocks of a VPC's subnets, sorted by [`sort_key`], each with the position of
/// its subnet in `Vpc::subnets`: finds the subnets a range reaches without scanning them all
/// (20,000 routes each scanning 20,000 peer subnets was quadratic).
struct SubnetBlocks {
    keys: Vec<(bool, u128, u8)>,
    positions: Vec<usize>,
    /// The prefix lengths present, per family (IPv4, IPv6), ascending.
    lengths: [Vec<u8>; 2],
}

impl SubnetBlocks {
    fn new(graph: &VpcGraph, vpc: VpcId) -> Self {
        let mut blocks: Vec<((bool, u128, u8), usize)> = Vec::new();
        if let Some(node) = graph.vpcs.get(vpc) {
            for (position, &id) in node.subnets.iter().enumerate() {
                let Some(subnet) = graph.subnets.get(id) else {
                    continue;
                };
                for net in subnet.cidrs().filter_map(CidrBlock::known) {
                    blocks.push((sort_key(&net.trunc()), position));
                }
            }
        }
        blocks.sort_unstable();
        let mut lengths: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
        for ((v6, _, len), _) in &blocks {
            let family = &mut lengths[usize::from(*v6)];
            if let Err(at) = family.binary_search(len) {
                family.insert(at, *len);
            }
        }
        SubnetBlocks {
            keys: blocks.iter().map(|(k, _)| *k).collect(),
            positions: blocks.iter().map(|(_, p)| *p).collect(),
            lengths,
        }
    }

    /// Positions of the subnets with a block that shares an address with `range`.
    fn overlapping(&self, range: &IpNet, out: &mut Vec<usize>) {
        let range = range.trunc();
        let (v6, start, end) = bounds(&range);
        let len = range.prefix_len();
        let width: u8 = if v6 { 128 } else { 32 };
        let mut take = |low: usize, high: usize| {
            out.extend_from_slice(self.positions.get(low..high).unwrap_or(&[]));
        };
        // Blocks that contain the range (several subnets may have the same block).
        for &l in self.lengths[usize::from(v6)]
            .iter()
            .take_while(|&&l| l <= len)
        {
            let host_bits = u32::from(width - l);
            let first = start
                .checked_shr(host_bits)
                .and_then(|n| n.checked_shl(host_bits))
                .unwrap_or(0);
            let key = (v6, first, l);
            take(
                self.keys.partition_point(|k| *k < key),
                self.keys.partition_point(|k| *k <= key),
            );
        }
        // Blocks inside it.
        take(
            self.keys.partition_point(|k| *k <= (v6, start, len)),
            self.keys.partition_point(|k| *k <= (v6, end, u8::MAX)),
        );
    }
}

impl<'g> Routing<'g> {
    pub fn new(graph: &'g VpcGraph) -> Self {
        let effective: Vec<EffectiveTable> = graph
            .subnets
            .ids()
            .map(|s| effective_route_table(graph, s))
            .collect();
        let mut users = vec![Vec::new(); graph.route_tables.len()];
        for (subnet, eff) in graph.subnets.ids().zip(&effective) {
            if let Some(table) = eff.table() {
                users[table.index()].push(subnet);
            }
        }
        let lookups = (0..graph.route_tables.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let subnet_blocks = (0..graph.vpcs.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Routing {
            graph,
            effective,
            lookups,
            users,
            subnet_blocks,
        }
    }

    /// The subnets of `vpc` with a known block that shares an address with one of
    /// `ranges`, in the VPC's order of subnets.
    pub fn subnets_reaching(&self, vpc: VpcId, ranges: &[IpNet]) -> Vec<SubnetId> {
        let Some(node) = self.graph.vpcs.get(vpc) else {
            return Vec::new();
        };
        // A VPC of a few subnets is scanned.
        if node.subnets.len() < SCAN_BELOW {
            let graph = self.graph;
            return node
                .subnets
                .iter()
                .copied()
                .filter(|&s| {
                    graph.subnets.get(s).is_some_and(|subnet| {
                        subnet
                            .cidrs()
                            .filter_map(CidrBlock::known)
                            .any(|c| ranges.iter().any(|r| overlaps(&c, r)))
                    })
                })
                .collect();
        }
        let Some(cell) = self.subnet_blocks.get(vpc.index()) else {
            return Vec::new();
        };
        let blocks = cell.get_or_init(|| SubnetBlocks::new(self.graph, vpc));
        let mut positions = Vec::new();
        for range in ranges {
            blocks.overlapping(range, &mut positions);
        }
        positions.sort_unstable();
        positions.dedup();
        positions
            .into_iter()
            .filter_map(|p| node.subnets.get(p).copied())
            .collect()
    }

    pub fn graph(&self) -> &'g VpcGraph {
        self.graph
    }

    pub fn effective_table(&self, subnet: SubnetId) -> EffectiveTable {
        self.effective
            .get(subnet.index())
            .copied()
            .unwrap_or(EffectiveTable::Unknown)
    }

    /// Subnets that certainly use `table`.
    pub fn subnets_using(&self, table: RouteTableId) -> &[SubnetId] {
        self.users.get(table.index()).map_or(&[], Vec::as_slice)
    }

    /// Whether some subnet's table is unknown, so it might use any table of its VPC.
    pub fn subnet_table_unknown(&self, subnet: SubnetId) -> bool {
        self.effective_table(subnet) == EffectiveTable::Unknown
    }

    pub fn table_lookup(&self, table: RouteTableId) -> &RouteLookup {
        self.lookups[table.index()].get_or_init(|| RouteLookup::for_table(self.graph, table))
    }

    /// The lookup for a subnet's effective table; `None` when that table is unknown.
    pub fn subnet_lookup(&self, subnet: SubnetId) -> Option<std::borrow::Cow<'_, RouteLookup>> {
        match self.effective_table(subnet) {
            EffectiveTable::Table { table, .. } => {
                Some(std::borrow::Cow::Borrowed(self.table_lookup(table)))
            }
            EffectiveTable::ImplicitMain { vpc } => Some(std::borrow::Cow::Owned(
                RouteLookup::local_only(self.graph, vpc),
            )),
            EffectiveTable::Unknown => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileId, Id, Span};

    fn net(s: &str) -> IpNet {
        s.parse().expect("test CIDR")
    }

    fn span() -> Span {
        Span::new(FileId(0), 0, 0)
    }

    fn graph_with(vpc_cidr: &str, routes: &[(&str, &str)]) -> (VpcGraph, RouteTableId, SubnetId) {
        let mut g = VpcGraph::new("test", StackKind::Terraform);
        let mut vpc = Vpc::new(Origin::new("aws_vpc.a", "aws_vpc", span()));
        vpc.ipv4_cidrs.push(CidrBlock {
            cidr: Known::Known(net(vpc_cidr)),
            span: span(),
            declared_by: "aws_vpc.a".into(),
        });
        g.vpcs.push(vpc);
        g.route_tables.push(RouteTable::new(
            Origin::new("aws_route_table.a", "aws_route_table", span()),
            Link::pending("aws_vpc.a", None),
        ));
        for (i, (dest, pcx)) in routes.iter().enumerate() {
            g.routes.push(Route {
                origin: Origin::new(format!("aws_route.r{i}"), "aws_route", span()),
                route_table: Link::pending("aws_route_table.a", None),
                destination: Destination::Cidr(Known::Known(net(dest))),
                destination_span: span(),
                targets: vec![TargetRef {
                    target: RouteTarget::Other {
                        attribute: "gateway_id".into(),
                        value: Known::Known((*pcx).into()),
                    },
                    span: span(),
                }],
                inline: false,
            });
        }
        let mut subnet = Subnet::new(
            Origin::new("aws_subnet.a", "aws_subnet", span()),
            Link::pending("aws_vpc.a", None),
        );
        subnet.ipv4_cidr = Some(CidrBlock {
            cidr: Known::Known(net("10.0.1.0/24")),
            span: span(),
            declared_by: "aws_subnet.a".into(),
        });
        g.subnets.push(subnet);
        g.route_table_associations.push(RouteTableAssociation {
            origin: Origin::new(
                "aws_route_table_association.a",
                "aws_route_table_association",
                span(),
            ),
            subnet: Link::pending("aws_subnet.a", None),
            route_table: Link::pending("aws_route_table.a", None),
        });
        g.finish();
        (g, Id::from_raw(0), Id::from_raw(0))
    }

    #[test]
    fn explicit_association_wins_and_lpm_picks_longest() {
        let (g, table, subnet) = graph_with(
            "10.0.0.0/16",
            &[
                ("0.0.0.0/0", "igw"),
                ("10.1.0.0/16", "pcx"),
                ("10.1.5.0/24", "tgw"),
            ],
        );
        let eff = effective_route_table(&g, subnet);
        assert_eq!(eff.table(), Some(table));
        let lookup = RouteLookup::for_effective(&g, eff).expect("known table");
        assert_eq!(
            lookup.resolve_single(&net("10.1.0.7/32")),
            Hop::Route(Id::from_raw(1))
        );
        assert_eq!(
            lookup.resolve_single(&net("10.1.5.7/32")),
            Hop::Route(Id::from_raw(2))
        );
        assert_eq!(lookup.resolve_single(&net("10.0.3.0/24")), Hop::Local);
        assert_eq!(
            lookup.resolve_single(&net("8.8.8.8/32")),
            Hop::Route(Id::from_raw(0))
        );
        let pieces = lookup.resolve(&net("10.1.0.0/16"));
        assert!(pieces.contains(&(net("10.1.5.0/24"), Hop::Route(Id::from_raw(2)))));
        assert!(
            pieces
                .iter()
                .filter(|(_, h)| *h == Hop::Route(Id::from_raw(1)))
                .count()
                >= 1
        );
        let covered: Vec<IpNet> = pieces.iter().map(|(n, _)| *n).collect();
        assert!(crate::cidr::covers(&covered, &net("10.1.0.0/16")));
    }

    #[test]
    fn no_route_and_implicit_main() {
        let (mut g, _, _) = graph_with("10.0.0.0/16", &[]);
        let lookup = RouteLookup::local_only(&g, Id::from_raw(0));
        assert_eq!(lookup.resolve_single(&net("10.9.0.0/16")), Hop::NoRoute);
        g.subnets.values_mut().for_each(|s| s.associations.clear());
        assert_eq!(
            effective_route_table(&g, Id::from_raw(0)),
            EffectiveTable::ImplicitMain {
                vpc: Id::from_raw(0)
            }
        );
    }

    #[test]
    fn unknown_destination_makes_lookups_unknown() {
        let (mut g, _, _) = graph_with("10.0.0.0/16", &[("0.0.0.0/0", "igw")]);
        g.routes
            .values_mut()
            .for_each(|r| r.destination = Destination::Cidr(Known::unknown("var")));
        let lookup = RouteLookup::for_table(&g, Id::from_raw(0));
        assert_eq!(lookup.resolve_single(&net("10.9.0.0/16")), Hop::Unknown);
        assert_eq!(lookup.all_match(&net("10.9.0.0/16"), |_| true), None);
    }

    mod model {
        use super::*;
        use proptest::prelude::*;
        use std::net::Ipv4Addr;

        fn small_net() -> impl Strategy<Value = IpNet> {
            (0u8..=255, 24u8..=32).prop_map(|(host, len)| {
                IpNet::V4(
                    ipnet::Ipv4Net::new(Ipv4Addr::new(10, 0, 0, host), len).expect("valid len"),
                )
                .trunc()
            })
        }

        /// Brute force: for one address, the longest route containing it (local wins ties).
        fn brute(entries: &[Entry], addr: u8) -> Hop {
            let host =
                IpNet::V4(ipnet::Ipv4Net::new(Ipv4Addr::new(10, 0, 0, addr), 32).expect("host"));
            entries
                .iter()
                .filter(|e| e.net.contains(&host))
                .max_by_key(|e| (e.net.prefix_len(), matches!(e.hop, Hop::Local)))
                .map_or(Hop::NoRoute, |e| e.hop)
        }

        proptest! {
            #[test]
            fn resolve_agrees_with_per_address_lookup(
                nets in proptest::collection::vec(small_net(), 0..6),
                range in small_net(),
            ) {
                let entries: Vec<Entry> = nets
                    .iter()
                    .enumerate()
                    .map(|(i, net)| Entry { net: *net, hop: Hop::Route(Id::from_raw(i as u32)), certain: true })
                    .collect();
                let lookup = RouteLookup::new(entries.clone(), false, false).indexed();
                let pieces = lookup.resolve(&range);
                let IpNet::V4(r) = range else { unreachable!() };
                for a in u32::from(r.network())..=u32::from(r.broadcast()) {
                    let addr = (a & 0xff) as u8;
                    let host = IpNet::V4(ipnet::Ipv4Net::new(Ipv4Addr::from(a), 32).expect("host"));
                    let containing: Vec<&(IpNet, Hop)> = pieces.iter().filter(|(n, _)| n.contains(&host)).collect();
                    prop_assert_eq!(containing.len(), 1, "address {} in exactly one piece", addr);
                    prop_assert_eq!(containing[0].1, brute(&entries, addr));
                }
            }

            /// The index changes nothing: the same pieces as filtering every entry, with
            /// containers of every length, both families, locals and duplicate prefixes.
            #[test]
            fn indexed_resolve_equals_a_scan(
                nets in proptest::collection::vec((any_net(), any::<bool>(), any::<bool>()), 0..40),
                range in any_net(),
            ) {
                let entries: Vec<Entry> = nets
                    .iter()
                    .enumerate()
                    .map(|(i, (net, local, certain))| Entry {
                        net: *net,
                        hop: if *local { Hop::Local } else { Hop::Route(Id::from_raw(i as u32)) },
                        certain: *certain,
                    })
                    .collect();
                let lookup = RouteLookup::new(entries.clone(), false, false).indexed();
                let relevant: Vec<Entry> = entries
                    .iter()
                    .filter(|e| overlaps(&e.net, &range))
                    .copied()
                    .collect();
                let mut scanned = Vec::new();
                resolve_into(&relevant, range, &mut scanned);
                prop_assert_eq!(lookup.resolve(&range), scanned.clone());
                // The binary search finds the same entries as a scan, at any table size.
                let mut indexed = Vec::new();
                let searched = RouteLookup::new(entries.clone(), false, false).with_index();
                resolve_into(&searched.overlapping_indexed(&range), range, &mut indexed);
                prop_assert_eq!(indexed, scanned);
            }
        }

        proptest! {
            /// The subnets a set of ranges reaches, as a scan of every subnet finds them.
            #[test]
            fn subnets_reaching_equals_a_scan(
                blocks in proptest::collection::vec(any_net(), 0..30),
                ranges in proptest::collection::vec(any_net(), 0..4),
            ) {
                let mut g = VpcGraph::new("test", StackKind::Terraform);
                g.vpcs.push(Vpc::new(Origin::new("aws_vpc.a", "aws_vpc", span())));
                for (i, net) in blocks.iter().enumerate() {
                    let mut subnet = Subnet::new(
                        Origin::new(format!("aws_subnet.s{i}"), "aws_subnet", span()),
                        Link::pending("aws_vpc.a", None),
                    );
                    let block = CidrBlock { cidr: Known::Known(*net), span: span(), declared_by: String::new() };
                    match net {
                        IpNet::V4(_) => subnet.ipv4_cidr = Some(block),
                        IpNet::V6(_) => subnet.ipv6_cidrs.push(block),
                    }
                    g.subnets.push(subnet);
                }
                g.finish();
                let vpc = Id::from_raw(0);
                let scanned: Vec<SubnetId> = g.vpcs[vpc]
                    .subnets
                    .iter()
                    .copied()
                    .filter(|&s| {
                        g.subnets[s]
                            .cidrs()
                            .filter_map(CidrBlock::known)
                            .any(|c| ranges.iter().any(|r| overlaps(&c, r)))
                    })
                    .collect();
                prop_assert_eq!(Routing::new(&g).subnets_reaching(vpc, &ranges), scanned);
            }
        }

        /// IPv4 prefixes of any length near 10.0.0.0, and a few IPv6 ones.
        fn any_net() -> impl Strategy<Value = IpNet> {
            prop_oneof![
                6 => (0u8..=255, 0u8..=32).prop_map(|(host, len)| {
                    IpNet::V4(ipnet::Ipv4Net::new(Ipv4Addr::new(10, 0, 0, host), len).expect("len"))
                        .trunc()
                }),
                1 => (0u16..=255, 0u8..=128).prop_map(|(host, len)| {
                    let addr = std::net::Ipv6Addr::new(0x2600, 0, 0, 0, 0, 0, 0, host);
                    IpNet::V6(ipnet::Ipv6Net::new(addr, len).expect("len")).trunc()
                }),
            ]
        }
    }
}
