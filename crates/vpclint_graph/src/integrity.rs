//! Addressing and routing integrity helpers: overlapping prefixes within one set, and the
//! VPC a route target belongs to.

use ipnet::IpNet;

use crate::arena::Id;
use crate::cidr::{bounds, same_family};
use crate::model::*;
use crate::value::HashMap;

/// Two prefixes of one set that overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap<K> {
    /// The prefix that sorts later (by network address, then prefix length, then key).
    pub later: K,
    /// A prefix that sorts earlier and contains (or equals) it.
    pub earlier: K,
}

/// The overlapping pairs of `items`, found by sorting on the network address and sweeping
/// once with a stack of the prefixes that are still open, instead of comparing all pairs.
/// Prefixes either nest or are disjoint, so the open prefixes always form one chain of
/// containers, at most one per prefix length: the work is `O(n log n + n * 129)`.
///
/// Every pair of overlapping *different* prefixes is returned. Among equal prefixes only
/// neighbours are paired (`a = b = c` gives `b~a`, `c~b`), so a thousand copies of one block
/// yield a thousand pairs, not half a million. IPv4 and IPv6 prefixes never overlap. Keys
/// order equal prefixes (pass something like a source position).
pub fn overlapping_prefixes<K: Copy + Ord>(items: &[(IpNet, K)]) -> Vec<Overlap<K>> {
    let mut sorted: Vec<(bool, u128, u8, u128, K)> = items
        .iter()
        .map(|(net, key)| {
            let net = net.trunc();
            let (v6, start, end) = bounds(&net);
            (v6, start, net.prefix_len(), end, *key)
        })
        .collect();
    sorted.sort_unstable();
    let mut out = Vec::new();
    // The open prefixes (family, start, end, key), outermost first.
    let mut open: Vec<(bool, u128, u128, K)> = Vec::new();
    for (v6, start, _, end, key) in sorted {
        while open
            .last()
            .is_some_and(|&(family, _, top_end, _)| family != v6 || top_end < start)
        {
            open.pop();
        }
        // Everything still open contains this prefix.
        for &(_, _, _, container) in &open {
            out.push(Overlap {
                later: key,
                earlier: container,
            });
        }
        // An equal prefix is replaced, so that later copies pair only with this one.
        if open
            .last()
            .is_some_and(|&(_, top_start, top_end, _)| top_start == start && top_end == end)
        {
            open.pop();
        }
        open.push((v6, start, end, key));
    }
    out
}

/// A block of `like`'s family and size inside one of the VPC's blocks that no subnet of the
/// VPC uses, for a concrete suggestion. `None` when some subnet's block is unknown (the
/// suggestion might be taken) or nothing free is found among the first few thousand.
pub fn free_subnet_block(graph: &VpcGraph, vpc: VpcId, like: &IpNet) -> Option<IpNet> {
    FreeBlocks::new(graph).like(vpc, like)
}

/// First and last addresses of the blocks in use, IPv4 then IPv6.
type UsedRanges = [Vec<(u128, u128)>; 2];

/// [`free_subnet_block`] for many findings: each VPC's used blocks are sorted and merged
/// once, and the answer depends only on the VPC, family and prefix length, so it is kept.
/// (Scanning every subnet for every finding made thousands of overlapping subnets quadratic.)
pub struct FreeBlocks<'g> {
    graph: &'g VpcGraph,
    /// Per VPC: the merged used ranges of each family (IPv4, IPv6), or `None` when some
    /// subnet's block is unknown.
    used: HashMap<VpcId, Option<UsedRanges>>,
    answers: HashMap<(VpcId, bool, u8), Option<IpNet>>,
}

impl<'g> FreeBlocks<'g> {
    pub fn new(graph: &'g VpcGraph) -> Self {
        FreeBlocks {
            graph,
            used: HashMap::default(),
            answers: HashMap::default(),
        }
    }

    /// A free block of `like`'s family and size in `vpc` (see [`free_subnet_block`]).
    pub fn like(&mut self, vpc: VpcId, like: &IpNet) -> Option<IpNet> {
        /// Candidates tried per VPC block.
        const CANDIDATES: usize = 4096;
        let v6 = matches!(like, IpNet::V6(_));
        let key = (vpc, v6, like.prefix_len());
        if let Some(answer) = self.answers.get(&key) {
            return *answer;
        }
        let graph = self.graph;
        let node = graph.vpcs.get(vpc)?;
        let used = self
            .used
            .entry(vpc)
            .or_insert_with(|| used_ranges(graph, node));
        let answer = used.as_ref().and_then(|used| {
            let used = &used[usize::from(v6)];
            node.cidrs()
                .filter_map(CidrBlock::known)
                .filter(|c| same_family(c, like) && c.prefix_len() <= like.prefix_len())
                .find_map(|c| {
                    c.trunc()
                        .subnets(like.prefix_len())
                        .ok()?
                        .take(CANDIDATES)
                        .find(|candidate| !overlaps_any(used, candidate))
                })
        });
        self.answers.insert(key, answer);
        answer
    }
}

/// The blocks of a VPC's subnets as sorted, merged ranges per family.
fn used_ranges(graph: &VpcGraph, vpc: &Vpc) -> Option<UsedRanges> {
    let mut ranges: UsedRanges = [Vec::new(), Vec::new()];
    for &id in &vpc.subnets {
        for block in graph.subnets.get(id)?.cidrs() {
            let (v6, start, end) = bounds(&block.known()?.trunc());
            ranges[usize::from(v6)].push((start, end));
        }
    }
    Some(ranges.map(merged))
}

/// Ranges sorted and merged where they overlap.
fn merged(mut ranges: Vec<(u128, u128)>) -> Vec<(u128, u128)> {
    ranges.sort_unstable();
    let mut out: Vec<(u128, u128)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// Whether `net` shares an address with one of the sorted, disjoint `ranges`: only the last
/// range starting at or before its end can.
fn overlaps_any(ranges: &[(u128, u128)], net: &IpNet) -> bool {
    let (_, start, end) = bounds(net);
    let after = ranges.partition_point(|&(s, _)| s <= end);
    after
        .checked_sub(1)
        .and_then(|i| ranges.get(i))
        .is_some_and(|&(_, e)| e >= start)
}

/// Which VPC(s) a route target belongs to, when the graph proves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetVpc {
    /// An internet gateway, egress-only gateway, NAT gateway or endpoint of this VPC.
    Vpc(VpcId),
    /// A peering connection between these two VPCs.
    Peering { requester: VpcId, accepter: VpcId },
}

impl TargetVpc {
    /// Whether a route table of `vpc` may use this target.
    pub fn serves(&self, vpc: VpcId) -> bool {
        match *self {
            TargetVpc::Vpc(own) => own == vpc,
            TargetVpc::Peering {
                requester,
                accepter,
            } => requester == vpc || accepter == vpc,
        }
    }
}

/// Finds the VPC of route targets. Built once per graph (it indexes internet gateway
/// attachments), then each lookup is constant time.
pub struct TargetVpcs<'g> {
    graph: &'g VpcGraph,
    /// Per internet gateway: whether its VPC is settled (no attachment that might not
    /// exist or whose VPC is not a known node, and at most one VPC overall).
    igw_settled: Vec<bool>,
}

impl<'g> TargetVpcs<'g> {
    pub fn new(graph: &'g VpcGraph) -> Self {
        let mut igw_settled = vec![true; graph.internet_gateways.len()];
        for attachment in graph.gateway_attachments.values() {
            match attachment.gateway {
                Link::Node(igw) => {
                    let own = &graph.internet_gateways[igw].vpc;
                    let settled = attachment.origin.is_certain()
                        && matches!(attachment.vpc, Link::Node(_))
                        && attachment.vpc == *own;
                    if !settled {
                        if let Some(flag) = igw_settled.get_mut(igw.index()) {
                            *flag = false;
                        }
                    }
                }
                // An attachment whose gateway is unknown might attach any gateway.
                Link::Unknown(_) => igw_settled.iter_mut().for_each(|f| *f = false),
                _ => {}
            }
        }
        TargetVpcs { graph, igw_settled }
    }

    /// The VPC(s) the target belongs to, when the target is a node of the graph that
    /// certainly exists and whose VPC(s) are certain nodes; `None` otherwise.
    pub fn of(&self, target: &RouteTarget) -> Option<TargetVpc> {
        let g = self.graph;
        let vpc = |link: &Link<Vpc>| -> Option<VpcId> {
            let id = link.node()?;
            g.vpcs.get(id)?.origin.is_certain().then_some(id)
        };
        match target {
            RouteTarget::InternetGateway(link) => {
                let id = link.node()?;
                let igw = g.internet_gateways.get(id)?;
                let settled = self.igw_settled.get(id.index()).copied().unwrap_or(false);
                (settled && igw.origin.is_certain())
                    .then(|| vpc(&igw.vpc))
                    .flatten()
                    .map(TargetVpc::Vpc)
            }
            RouteTarget::EgressOnlyInternetGateway(link) => {
                let eigw = g.egress_only_gateways.get(link.node()?)?;
                eigw.origin.is_certain().then_some(())?;
                vpc(&eigw.vpc).map(TargetVpc::Vpc)
            }
            RouteTarget::NatGateway(link) => {
                let nat = g.nat_gateways.get(link.node()?)?;
                let subnet = g.subnets.get(nat.subnet.node()?)?;
                (nat.origin.is_certain() && subnet.origin.is_certain()).then_some(())?;
                vpc(&subnet.vpc).map(TargetVpc::Vpc)
            }
            RouteTarget::VpcEndpoint(link) => {
                let endpoint = g.endpoints.get(link.node()?)?;
                endpoint.origin.is_certain().then_some(())?;
                vpc(&endpoint.vpc).map(TargetVpc::Vpc)
            }
            RouteTarget::Peering(link) => {
                let peering = g.peerings.get(link.node()?)?;
                peering.origin.is_certain().then_some(())?;
                Some(TargetVpc::Peering {
                    requester: vpc(&peering.requester_vpc)?,
                    accepter: vpc(&peering.accepter_vpc)?,
                })
            }
            RouteTarget::Local | RouteTarget::Other { .. } => None,
        }
    }
}

/// Whether a route target is certainly set: a reference, a literal ID, `local`. A value
/// vpclint cannot know (an input with no value, a data source) might be null at apply time.
pub fn target_is_set(target: &RouteTarget) -> bool {
    fn link_set<T>(link: &Link<T>) -> bool {
        match link {
            Link::Node(_) | Link::Declared(_) | Link::Undeclared { .. } => true,
            Link::External(id) => !id.is_empty(),
            Link::Unknown(_) | Link::Pending { .. } | Link::None => false,
        }
    }
    match target {
        RouteTarget::InternetGateway(l) => link_set(l),
        RouteTarget::EgressOnlyInternetGateway(l) => link_set(l),
        RouteTarget::NatGateway(l) => link_set(l),
        RouteTarget::Peering(l) => link_set(l),
        RouteTarget::VpcEndpoint(l) => link_set(l),
        RouteTarget::Local => true,
        RouteTarget::Other { value, .. } => value.known().is_some_and(|v| !v.is_empty()),
    }
}

/// The attribute a route target is written as (`nat_gateway_id`, `NatGatewayId`), found by
/// its span among the route's attributes.
pub fn target_attribute<'r>(route: &'r Route, target: &'r TargetRef) -> &'r str {
    if let RouteTarget::Other { attribute, .. } = &target.target {
        return attribute;
    }
    route
        .origin
        .attributes
        .iter()
        .find(|(_, span)| **span == target.span)
        .map_or("target", |(name, _)| {
            name.rsplit_once('.')
                .map_or(name.as_str(), |(_, last)| last)
        })
}

/// What a route target points at, for messages: the node's address, the literal ID, the
/// undeclared address, or `an unknown value`.
pub fn target_name(graph: &VpcGraph, target: &RouteTarget) -> String {
    fn name<T>(link: &Link<T>, node: impl Fn(Id<T>) -> Option<String>) -> String {
        match link {
            Link::Node(id) => node(*id).unwrap_or_else(|| "a resource".to_owned()),
            Link::External(s) | Link::Declared(s) => s.clone(),
            Link::Undeclared { address, .. } | Link::Pending { address, .. } => address.clone(),
            Link::Unknown(_) => "an unknown value".to_owned(),
            Link::None => "nothing".to_owned(),
        }
    }
    let g = graph;
    match target {
        RouteTarget::InternetGateway(l) => name(l, |id| {
            g.internet_gateways
                .get(id)
                .map(|n| n.origin.address.clone())
        }),
        RouteTarget::EgressOnlyInternetGateway(l) => name(l, |id| {
            g.egress_only_gateways
                .get(id)
                .map(|n| n.origin.address.clone())
        }),
        RouteTarget::NatGateway(l) => name(l, |id| {
            g.nat_gateways.get(id).map(|n| n.origin.address.clone())
        }),
        RouteTarget::Peering(l) => {
            name(l, |id| g.peerings.get(id).map(|n| n.origin.address.clone()))
        }
        RouteTarget::VpcEndpoint(l) => name(l, |id| {
            g.endpoints.get(id).map(|n| n.origin.address.clone())
        }),
        RouteTarget::Local => "local".to_owned(),
        RouteTarget::Other { value, .. } => value
            .known()
            .cloned()
            .unwrap_or_else(|| "an unknown value".to_owned()),
    }
}

/// A route's destination, for messages (`0.0.0.0/0`, `pl-63a5400a`, `an unknown destination`).
pub fn destination_text(destination: &Destination) -> String {
    match destination {
        Destination::Cidr(Known::Known(net)) => net.to_string(),
        Destination::PrefixList(Known::Known(id)) => id.clone(),
        Destination::Cidr(Known::Unknown(_)) | Destination::PrefixList(Known::Unknown(_)) => {
            "an unknown destination".to_owned()
        }
        Destination::Missing => "no destination".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileId, Span};
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    fn net(s: &str) -> IpNet {
        s.parse().expect("test CIDR")
    }

    #[test]
    fn sweep_pairs_nested_and_equal_prefixes() {
        let items = [
            (net("10.0.2.0/24"), 0),
            (net("10.0.0.0/16"), 1),
            (net("10.1.0.0/24"), 2),
            (net("10.0.2.0/24"), 3),
            (net("2600:1f18::/64"), 4),
            (net("2600:1f18::/64"), 5),
            (net("10.0.2.128/25"), 6),
            (net("2600:1f18::/64"), 7),
        ];
        let mut found: Vec<(usize, usize)> = overlapping_prefixes(&items)
            .iter()
            .map(|o| (o.later, o.earlier))
            .collect();
        found.sort_unstable();
        assert_eq!(
            found,
            vec![(0, 1), (3, 0), (3, 1), (5, 4), (6, 1), (6, 3), (7, 5)]
        );
        // IPv4 0.0.0.0/0 does not overlap IPv6 ::/0.
        assert!(overlapping_prefixes(&[(net("0.0.0.0/0"), 0), (net("::/0"), 1)]).is_empty());
    }

    #[test]
    fn non_canonical_prefixes_are_truncated() {
        let found = overlapping_prefixes(&[(net("10.0.0.5/24"), 0), (net("10.0.0.0/25"), 1)]);
        assert_eq!(
            found,
            vec![Overlap {
                later: 1,
                earlier: 0
            }]
        );
    }

    fn small_net() -> impl Strategy<Value = IpNet> {
        (0u8..=255, 24u8..=32).prop_map(|(host, len)| {
            IpNet::V4(ipnet::Ipv4Net::new(Ipv4Addr::new(10, 0, 0, host), len).expect("valid len"))
                .trunc()
        })
    }

    proptest! {
        /// For distinct prefixes the sweep finds exactly the overlapping pairs.
        #[test]
        fn sweep_agrees_with_all_pairs(nets in proptest::collection::btree_set(small_net(), 0..10)) {
            let nets: Vec<IpNet> = nets.into_iter().collect();
            let items: Vec<(IpNet, usize)> = nets.iter().copied().zip(0..).collect();
            let mut found: Vec<(usize, usize)> = overlapping_prefixes(&items)
                .iter()
                .map(|o| (o.later.max(o.earlier), o.later.min(o.earlier)))
                .collect();
            found.sort_unstable();
            let mut expected = Vec::new();
            for i in 0..nets.len() {
                for j in 0..i {
                    if crate::cidr::overlaps(&nets[i], &nets[j]) {
                        expected.push((i, j));
                    }
                }
            }
            prop_assert_eq!(found, expected);
        }
    }

    fn span() -> Span {
        Span::new(FileId(0), 0, 0)
    }

    #[test]
    fn gateway_vpc_follows_certain_attachments_only() {
        let mut g = VpcGraph::new("test", StackKind::Terraform);
        g.vpcs
            .push(Vpc::new(Origin::new("aws_vpc.a", "aws_vpc", span())));
        g.vpcs
            .push(Vpc::new(Origin::new("aws_vpc.b", "aws_vpc", span())));
        g.internet_gateways.push(InternetGateway {
            origin: Origin::new("aws_internet_gateway.a", "aws_internet_gateway", span()),
            vpc: Link::None,
        });
        g.gateway_attachments.push(GatewayAttachment {
            origin: Origin::new("att", "aws_internet_gateway_attachment", span()),
            gateway: Link::pending("aws_internet_gateway.a", None),
            vpc: Link::pending("aws_vpc.b", None),
        });
        g.finish();
        let target = RouteTarget::InternetGateway(Link::Node(crate::Id::from_raw(0)));
        let b = crate::Id::from_raw(1);
        assert_eq!(TargetVpcs::new(&g).of(&target), Some(TargetVpc::Vpc(b)));

        g.gateway_attachments
            .values_mut()
            .for_each(|a| a.origin.existence = Existence::Maybe);
        assert_eq!(TargetVpcs::new(&g).of(&target), None);
    }

    fn graph_with_subnets(vpc_cidr: &str, subnets: &[&str]) -> VpcGraph {
        let mut g = VpcGraph::new("test", StackKind::Terraform);
        let mut vpc = Vpc::new(Origin::new("aws_vpc.a", "aws_vpc", span()));
        vpc.ipv4_cidrs.push(CidrBlock {
            cidr: Known::Known(net(vpc_cidr)),
            span: span(),
            declared_by: "aws_vpc.a".into(),
        });
        g.vpcs.push(vpc);
        for (i, cidr) in subnets.iter().enumerate() {
            let mut subnet = Subnet::new(
                Origin::new(format!("aws_subnet.s{i}"), "aws_subnet", span()),
                Link::pending("aws_vpc.a", None),
            );
            subnet.ipv4_cidr = Some(CidrBlock {
                cidr: Known::Known(net(cidr)),
                span: span(),
                declared_by: format!("aws_subnet.s{i}"),
            });
            g.subnets.push(subnet);
        }
        g.finish();
        g
    }

    #[test]
    fn free_block_skips_used_ranges_and_is_kept_per_size() {
        let a = crate::Id::from_raw(0);
        let g = graph_with_subnets(
            "10.0.0.0/16",
            &["10.0.0.0/24", "10.0.0.0/24", "10.0.1.0/25", "10.0.2.0/23"],
        );
        let mut free = FreeBlocks::new(&g);
        assert_eq!(free.like(a, &net("10.9.9.0/24")), Some(net("10.0.4.0/24")));
        assert_eq!(
            free.like(a, &net("10.0.0.0/25")),
            Some(net("10.0.1.128/25"))
        );
        assert_eq!(free.like(a, &net("10.0.0.0/24")), Some(net("10.0.4.0/24")));
        assert_eq!(free.like(a, &net("10.0.0.0/8")), None);
        assert_eq!(free.like(a, &net("2600::/64")), None);
        assert_eq!(
            free_subnet_block(&g, a, &net("10.0.0.0/26")),
            Some(net("10.0.1.128/26"))
        );
        // Full: nothing among the candidates is free.
        let g = graph_with_subnets("10.0.0.0/24", &["10.0.0.0/24"]);
        assert_eq!(free_subnet_block(&g, a, &net("10.0.0.0/28")), None);
    }

    proptest! {
        /// Sorted, merged ranges answer "does it overlap a used block" as the scan did.
        #[test]
        fn merged_ranges_agree_with_a_scan(
            used in proptest::collection::vec(small_net(), 0..12),
            candidate in small_net(),
        ) {
            let ranges = merged(used.iter().map(|n| {
                let (_, start, end) = bounds(n);
                (start, end)
            }).collect());
            let scan = used.iter().any(|u| crate::cidr::overlaps(u, &candidate));
            prop_assert_eq!(overlaps_any(&ranges, &candidate), scan);
        }
    }
}
