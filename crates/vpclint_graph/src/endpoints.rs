//! Interface endpoints and flow logs: the questions the VPC4xx and VPC5xx rules ask.
//!
//! Every answer is three-valued where the graph can be incomplete: a rule reports only
//! what these helpers say is certain.
//!
//! - [`EndpointFacts`]: whether an endpoint is an `Interface` endpoint, whether it certainly
//!   has no subnets / no security groups, the known Availability Zones of its subnets, and
//!   whether its security groups let HTTPS in from its VPC.
//! - [`FlowLogCoverage`]: which VPCs and subnets a flow log certainly (or maybe) covers, and
//!   whether some flow log has a target that might be any VPC.

use crate::value::HashSet;

use ipnet::IpNet;

use crate::cidr::overlaps;
use crate::model::*;

/// Whether the endpoint is known to be an `Interface` endpoint
/// (Terraform `vpc_endpoint_type = "Interface"`, CloudFormation `VpcEndpointType: Interface`).
pub fn is_interface(endpoint: &VpcEndpoint) -> bool {
    endpoint.endpoint_type == Known::Known(EndpointType::Interface)
}

/// The effective private DNS setting: written or the default (`false` for both Terraform's
/// `private_dns_enabled` and CloudFormation's `PrivateDnsEnabled`). `None` when unknown.
pub fn private_dns(endpoint: &VpcEndpoint) -> Option<bool> {
    match &endpoint.private_dns_enabled {
        None => Some(false),
        Some(Known::Known(b)) => Some(*b),
        Some(Known::Unknown(_)) => None,
    }
}

/// Three-valued answer to "does this let traffic in?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Some rule certainly allows it.
    Allowed,
    /// Every rule is known and none allows it.
    Blocked,
    /// It depends on something vpclint cannot know (an unknown value, a rule that references
    /// another security group or a prefix list, a rule that might not exist).
    Unknown,
}

impl Access {
    /// Combines the answers of several rules (or groups): any allow wins, then unknown.
    fn or(self, other: Access) -> Access {
        match (self, other) {
            (Access::Allowed, _) | (_, Access::Allowed) => Access::Allowed,
            (Access::Unknown, _) | (_, Access::Unknown) => Access::Unknown,
            _ => Access::Blocked,
        }
    }
}

/// Per-graph facts about endpoint associations and security group rules, computed once.
pub struct EndpointFacts<'g> {
    graph: &'g VpcGraph,
    /// Some subnet association's endpoint is unknown: it might add a subnet to any endpoint.
    unknown_subnet_association: bool,
    /// Some security group association's endpoint is unknown.
    unknown_sg_association: bool,
    /// Endpoints with a subnet association that might not exist.
    uncertain_subnet_association: HashSet<EndpointId>,
    /// Endpoints with a security group association that might not exist.
    uncertain_sg_association: HashSet<EndpointId>,
    /// Some security group rule's group is unknown: it might belong to any group.
    unknown_rule_group: bool,
}

impl<'g> EndpointFacts<'g> {
    pub fn new(graph: &'g VpcGraph) -> Self {
        let mut facts = EndpointFacts {
            graph,
            unknown_subnet_association: false,
            unknown_sg_association: false,
            uncertain_subnet_association: HashSet::default(),
            uncertain_sg_association: HashSet::default(),
            unknown_rule_group: false,
        };
        for assoc in graph.endpoint_associations.values() {
            let (unknown, uncertain) = match assoc.kind {
                EndpointAssociationKind::Subnet(_) => (
                    &mut facts.unknown_subnet_association,
                    &mut facts.uncertain_subnet_association,
                ),
                EndpointAssociationKind::SecurityGroup(_) => (
                    &mut facts.unknown_sg_association,
                    &mut facts.uncertain_sg_association,
                ),
                _ => continue,
            };
            match &assoc.endpoint {
                Link::Node(id) => {
                    if !assoc.origin.is_certain() {
                        uncertain.insert(*id);
                    }
                }
                link => *unknown |= might_be_any(link),
            }
        }
        facts.unknown_rule_group = graph
            .security_group_rules
            .values()
            .any(|r| might_be_any(&r.security_group));
        // An association or rule in a part of the stack vpclint could not read might be any.
        if graph.may_lack_resources() {
            facts.unknown_subnet_association = true;
            facts.unknown_sg_association = true;
            facts.unknown_rule_group = true;
        }
        facts
    }

    pub fn graph(&self) -> &'g VpcGraph {
        self.graph
    }

    /// The endpoint certainly has no subnet: none listed, none associated, and nothing
    /// unknown could add one.
    pub fn certainly_no_subnets(&self, id: EndpointId) -> bool {
        let ep = &self.graph.endpoints[id];
        ep.subnets.is_empty()
            && !ep.subnets_may_be_incomplete
            && !self.unknown_subnet_association
            && !self.uncertain_subnet_association.contains(&id)
    }

    /// The endpoint certainly has no security group: none listed, none associated, and
    /// nothing unknown could add one.
    pub fn certainly_no_security_groups(&self, id: EndpointId) -> bool {
        let ep = &self.graph.endpoints[id];
        ep.security_groups.is_empty()
            && !ep.security_groups_may_be_incomplete
            && !self.unknown_sg_association
            && !self.uncertain_sg_association.contains(&id)
    }

    /// The endpoint's subnets with their Availability Zones, when the subnet list is complete
    /// and non-empty and every subnet is a node that certainly exists with a known AZ
    /// (`availability_zone` or `availability_zone_id` — names and IDs are only compared for
    /// equality, so mixing them never proves two subnets share a zone). `None` otherwise.
    pub fn subnet_azs(&self, id: EndpointId) -> Option<Vec<(SubnetId, &'g str)>> {
        let graph = self.graph;
        let ep = &graph.endpoints[id];
        if ep.subnets.is_empty()
            || ep.subnets_may_be_incomplete
            || self.unknown_subnet_association
            || self.uncertain_subnet_association.contains(&id)
        {
            return None;
        }
        ep.subnets
            .iter()
            .map(|linked| {
                let subnet_id = linked.link.node()?;
                let subnet = graph.subnets.get(subnet_id)?;
                if !subnet.origin.is_certain() {
                    return None;
                }
                match &subnet.availability_zone {
                    Some(Known::Known(az)) => Some((subnet_id, az.as_str())),
                    _ => None,
                }
            })
            .collect()
    }

    /// The endpoint's one subnet, when its subnet list is complete and names exactly one
    /// subnet — a node or not (a literal `subnet-...`, a data source): one subnet is one
    /// Availability Zone wherever it is declared.
    pub fn single_subnet(&self, id: EndpointId) -> Option<&'g Linked<Subnet>> {
        let ep = &self.graph.endpoints[id];
        if ep.subnets_may_be_incomplete
            || self.unknown_subnet_association
            || self.uncertain_subnet_association.contains(&id)
        {
            return None;
        }
        let named: Vec<&'g Linked<Subnet>> =
            ep.subnets.iter().filter(|l| !l.link.is_none()).collect();
        let (first, rest) = named.split_first()?;
        // The same subnet listed twice is still one subnet; an unknown one might be another.
        let same =
            |l: &&Linked<Subnet>| l.link == first.link && !matches!(l.link, Link::Unknown(_));
        rest.iter().all(same).then_some(*first)
    }

    /// The endpoint's security groups, when the list is complete and non-empty and each is a
    /// node of this graph that certainly exists and whose rules are all known to be its rules.
    pub fn known_security_groups(&self, id: EndpointId) -> Option<Vec<SecurityGroupId>> {
        let graph = self.graph;
        let ep = &graph.endpoints[id];
        if ep.security_groups.is_empty()
            || ep.security_groups_may_be_incomplete
            || self.unknown_sg_association
            || self.uncertain_sg_association.contains(&id)
            || self.unknown_rule_group
        {
            return None;
        }
        let mut groups: Vec<SecurityGroupId> = ep
            .security_groups
            .iter()
            .map(|linked| {
                let sg = linked.link.node()?;
                graph
                    .security_groups
                    .get(sg)
                    .filter(|g| g.origin.is_certain())
                    .map(|_| sg)
            })
            .collect::<Option<_>>()?;
        groups.sort();
        groups.dedup();
        Some(groups)
    }

    /// Whether security group `sg` allows inbound TCP `port` from some address of `cidrs`
    /// (the VPC's blocks, see [`VpcCidrs`]).
    ///
    /// A rule matches when its protocol is `tcp`, `6`, `-1` or `all`, its port range contains
    /// `port` (`-1` protocols cover every port), and one of its source CIDRs overlaps one of
    /// `cidrs`. Rules that reference another security group or a prefix list, rules with
    /// unknown values and rules that might not exist make the answer [`Access::Unknown`]
    /// unless another rule certainly allows.
    pub fn sg_allows_tcp_from(&self, sg: SecurityGroupId, port: i64, cidrs: &VpcCidrs) -> Access {
        let graph = self.graph;
        let Some(group) = graph.security_groups.get(sg) else {
            return Access::Unknown;
        };
        let mut access = Access::Blocked;
        for &rule_id in &group.rules {
            let rule = &graph.security_group_rules[rule_id];
            if rule.direction != Direction::Ingress {
                continue;
            }
            let mut answer = rule_allows_tcp_from(rule, port, cidrs);
            if answer == Access::Allowed && !rule.origin.is_certain() {
                answer = Access::Unknown;
            }
            access = access.or(answer);
            if access == Access::Allowed {
                break;
            }
        }
        access
    }

    /// Whether any of `groups` allows inbound TCP `port` from `cidrs`.
    pub fn groups_allow_tcp_from(
        &self,
        groups: &[SecurityGroupId],
        port: i64,
        cidrs: &VpcCidrs,
    ) -> Access {
        groups.iter().fold(Access::Blocked, |acc, &sg| {
            acc.or(self.sg_allows_tcp_from(sg, port, cidrs))
        })
    }
}

/// A link that might point at any node: unknown, or a declared resource vpclint does not model.
fn might_be_any<T>(link: &Link<T>) -> bool {
    matches!(
        link,
        Link::Unknown(_) | Link::Declared(_) | Link::Pending { .. }
    )
}

/// A VPC's address space for "from an address of the VPC" questions: the known blocks, and
/// for each family whether some block of it is unknown.
#[derive(Debug, Clone, Default)]
pub struct VpcCidrs {
    pub known: Vec<IpNet>,
    pub unknown_v4: bool,
    pub unknown_v6: bool,
}

impl VpcCidrs {
    pub fn of(vpc: &Vpc) -> Self {
        let mut out = VpcCidrs::default();
        for block in &vpc.ipv4_cidrs {
            match block.known() {
                Some(net) => out.known.push(net),
                None => out.unknown_v4 = true,
            }
        }
        for block in &vpc.ipv6_cidrs {
            match block.known() {
                Some(net) => out.known.push(net),
                None => out.unknown_v6 = true,
            }
        }
        if vpc.cidrs_may_be_incomplete {
            out.unknown_v4 = true;
            out.unknown_v6 = true;
        }
        out
    }

    /// Whether `source` shares an address with the VPC's space.
    pub fn overlap(&self, source: &IpNet) -> Access {
        if self.known.iter().any(|c| overlaps(c, source)) {
            return Access::Allowed;
        }
        let unknown_same_family = match source {
            IpNet::V4(_) => self.unknown_v4,
            IpNet::V6(_) => self.unknown_v6,
        };
        if !unknown_same_family {
            return Access::Blocked;
        }
        // An unknown block of the family overlaps a /0 of that family for certain.
        if source.prefix_len() == 0 {
            Access::Allowed
        } else {
            Access::Unknown
        }
    }

    /// The known blocks, for messages (`10.0.0.0/16, 2600:1f18::/56`).
    pub fn describe(&self) -> String {
        let list: Vec<String> = self.known.iter().map(IpNet::to_string).collect();
        list.join(", ")
    }

    /// The first known IPv4 block (for help text), else the first known block.
    pub fn first(&self) -> Option<IpNet> {
        self.known
            .iter()
            .find(|c| matches!(c, IpNet::V4(_)))
            .or_else(|| self.known.first())
            .copied()
    }
}

/// Whether a protocol as written means TCP (or every protocol). `None` when unknown.
fn protocol_matches_tcp(protocol: &Known<String>) -> Option<ProtocolMatch> {
    let p = protocol.known()?.trim().to_ascii_lowercase();
    Some(match p.as_str() {
        "-1" | "all" => ProtocolMatch::All,
        "tcp" | "6" => ProtocolMatch::Tcp,
        _ => ProtocolMatch::No,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProtocolMatch {
    All,
    Tcp,
    No,
}

fn port_in_range(from: Option<&Known<i64>>, to: Option<&Known<i64>>, port: i64) -> Access {
    let (Some(Known::Known(from)), Some(Known::Known(to))) = (from, to) else {
        return Access::Unknown;
    };
    // `-1` (all ports) is how some templates write "every port".
    if *from == -1 && *to == -1 {
        return Access::Allowed;
    }
    if *from <= port && port <= *to {
        Access::Allowed
    } else {
        Access::Blocked
    }
}

fn rule_allows_tcp_from(rule: &SecurityGroupRule, port: i64, cidrs: &VpcCidrs) -> Access {
    let ports = match protocol_matches_tcp(&rule.protocol) {
        Some(ProtocolMatch::No) => return Access::Blocked,
        Some(ProtocolMatch::All) => Access::Allowed,
        Some(ProtocolMatch::Tcp) => {
            port_in_range(rule.from_port.as_ref(), rule.to_port.as_ref(), port)
        }
        None => Access::Unknown,
    };
    if ports == Access::Blocked {
        return Access::Blocked;
    }
    let mut sources = Access::Blocked;
    for cidr in rule.ipv4_cidrs.iter().chain(&rule.ipv6_cidrs) {
        sources = sources.or(match cidr {
            Known::Known(net) => cidrs.overlap(net),
            Known::Unknown(_) => Access::Unknown,
        });
    }
    if rule.referenced_security_group.is_some() || !rule.prefix_lists.is_empty() {
        sources = sources.or(Access::Unknown);
    }
    // AWS requires a source; a rule without any is one whose source vpclint could not read
    // (or a front end's placeholder for rules it cannot see).
    if rule.ipv4_cidrs.is_empty()
        && rule.ipv6_cidrs.is_empty()
        && rule.referenced_security_group.is_none()
        && rule.prefix_lists.is_empty()
    {
        sources = Access::Unknown;
    }
    match (ports, sources) {
        (_, Access::Blocked) => Access::Blocked,
        (Access::Allowed, Access::Allowed) => Access::Allowed,
        _ => Access::Unknown,
    }
}

/// Whether a node is covered by a flow log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    None,
    /// Only by a flow log that might not exist.
    Maybe,
    Covered,
}

/// Which VPCs and subnets the stack's flow logs cover.
///
/// VPC- and subnet-level flow logs count for the node they target; network-interface and
/// transit gateway flow logs cover neither a whole subnet nor a VPC. A flow log whose target
/// is unknown (an unknown VPC or subnet, a declared resource vpclint does not model, a
/// CloudFormation `ResourceId` of unknown `ResourceType`) might cover any VPC.
#[derive(Debug, Clone)]
pub struct FlowLogCoverage {
    vpcs: Vec<Coverage>,
    subnets: Vec<Coverage>,
    /// Some flow log's target is unknown: it might cover any VPC.
    pub unknown_target: bool,
    /// Some subnet-level flow log targets a subnet outside the configuration or one whose
    /// VPC is unknown: it might be a subnet of any VPC declared here.
    pub foreign_subnet_target: bool,
    /// Some flow log targets a network interface (which might be in any subnet).
    pub interface_target: bool,
}

impl FlowLogCoverage {
    pub fn new(graph: &VpcGraph) -> Self {
        let mut cov = FlowLogCoverage {
            vpcs: vec![Coverage::None; graph.vpcs.len()],
            subnets: vec![Coverage::None; graph.subnets.len()],
            // A flow log in a part of the stack vpclint could not read might target anything.
            unknown_target: graph.may_lack_resources(),
            foreign_subnet_target: false,
            interface_target: false,
        };
        for log in graph.flow_logs.values() {
            let level = if log.origin.is_certain() {
                Coverage::Covered
            } else {
                Coverage::Maybe
            };
            for target in &log.targets {
                match target {
                    FlowLogTarget::Vpc(Link::Node(id)) => raise(&mut cov.vpcs, id.index(), level),
                    FlowLogTarget::Vpc(link) => cov.unknown_target |= might_be_any(link),
                    FlowLogTarget::Subnet(Link::Node(id)) => {
                        raise(&mut cov.subnets, id.index(), level);
                        let vpc_known = graph
                            .subnets
                            .get(*id)
                            .is_some_and(|s| s.vpc.node().is_some());
                        cov.foreign_subnet_target |= !vpc_known;
                    }
                    FlowLogTarget::Subnet(link) => {
                        cov.unknown_target |= might_be_any(link);
                        cov.foreign_subnet_target |= matches!(link, Link::External(_));
                    }
                    FlowLogTarget::Unknown(_) => cov.unknown_target = true,
                    FlowLogTarget::NetworkInterface(_) => cov.interface_target = true,
                    FlowLogTarget::TransitGateway(_)
                    | FlowLogTarget::TransitGatewayAttachment(_) => {}
                }
            }
        }
        cov
    }

    /// How the VPC itself is targeted by a VPC-level flow log.
    pub fn vpc_level(&self, vpc: VpcId) -> Coverage {
        self.vpcs
            .get(vpc.index())
            .copied()
            .unwrap_or(Coverage::None)
    }

    /// How the subnet is targeted by a subnet-level flow log.
    pub fn subnet_level(&self, subnet: SubnetId) -> Coverage {
        self.subnets
            .get(subnet.index())
            .copied()
            .unwrap_or(Coverage::None)
    }

    /// When the VPC is certainly not covered — no VPC-level flow log (certain or maybe), no
    /// flow log with an unknown target, and some subnet of it that certainly exists has no
    /// subnet-level flow log (or it declares no subnet and no flow log might cover one of its
    /// subnets) — the subnets of the VPC without a flow log and those with one.
    ///
    /// Subnets that might not exist (an unknown `count` or `for_each`) prove nothing by
    /// lacking a flow log, but when no flow log of the stack could cover any part of the VPC
    /// — none targets one of its subnets, even maybe, none targets a subnet elsewhere or a
    /// network interface — the VPC is uncovered whatever subnets it turns out to have.
    pub fn uncovered(&self, graph: &VpcGraph, vpc: VpcId) -> Option<UncoveredVpc> {
        if self.unknown_target || self.vpc_level(vpc) != Coverage::None {
            return None;
        }
        let node = graph.vpcs.get(vpc)?;
        let mut out = UncoveredVpc::default();
        for &subnet in &node.subnets {
            let certain = graph.subnets.get(subnet)?.origin.is_certain();
            match self.subnet_level(subnet) {
                Coverage::None if certain => out.without.push(subnet),
                Coverage::Covered => out.with.push(subnet),
                _ => {}
            }
        }
        if node.subnets.is_empty() {
            return (!self.foreign_subnet_target).then_some(out);
        }
        let nothing_could_cover_a_part = !self.foreign_subnet_target
            && !self.interface_target
            && node
                .subnets
                .iter()
                .all(|s| self.subnet_level(*s) == Coverage::None);
        if out.without.is_empty() && out.with.is_empty() {
            // Every subnet might not exist.
            return nothing_could_cover_a_part.then_some(out);
        }
        (!out.without.is_empty()).then_some(out)
    }
}

fn raise(slots: &mut [Coverage], index: usize, level: Coverage) {
    if let Some(slot) = slots.get_mut(index) {
        *slot = (*slot).max(level);
    }
}

/// The subnets of a VPC that no flow log covers (certain ones) and those covered.
#[derive(Debug, Clone, Default)]
pub struct UncoveredVpc {
    pub without: Vec<SubnetId>,
    pub with: Vec<SubnetId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileId, Id, Span};

    fn span() -> Span {
        Span::new(FileId(0), 0, 0)
    }

    fn origin(address: &str) -> Origin {
        Origin::new(address, "test", span())
    }

    fn net(s: &str) -> IpNet {
        s.parse().unwrap_or_else(|_| panic!("bad test CIDR {s}"))
    }

    fn vpc(g: &mut VpcGraph, name: &str, cidr: &str) -> VpcId {
        let mut v = Vpc::new(origin(name));
        v.ipv4_cidrs.push(CidrBlock {
            cidr: Known::Known(net(cidr)),
            span: span(),
            declared_by: name.into(),
        });
        g.vpcs.push(v)
    }

    fn subnet(g: &mut VpcGraph, name: &str, vpc: &str, az: Option<&str>) -> SubnetId {
        let mut s = Subnet::new(origin(name), Link::pending(vpc, None));
        s.availability_zone = az.map(|a| Known::Known(a.to_owned()));
        g.subnets.push(s)
    }

    fn interface(g: &mut VpcGraph, name: &str, vpc: &str, subnets: &[&str], sgs: &[&str]) {
        let mut ep = VpcEndpoint::new(origin(name), Link::pending(vpc, None));
        ep.endpoint_type = Known::Known(EndpointType::Interface);
        ep.subnets = subnets
            .iter()
            .map(|s| Linked::new(Link::pending(*s, None), span()))
            .collect();
        ep.security_groups = sgs
            .iter()
            .map(|s| Linked::new(Link::pending(*s, None), span()))
            .collect();
        g.endpoints.push(ep);
    }

    fn sg(g: &mut VpcGraph, name: &str) {
        g.security_groups.push(SecurityGroup {
            origin: origin(name),
            vpc: Link::None,
            is_default: false,
            rules: Vec::new(),
        });
    }

    fn ingress(g: &mut VpcGraph, sg: &str, protocol: &str, from: i64, to: i64, cidr: &str) {
        g.security_group_rules.push(SecurityGroupRule {
            origin: origin(&format!("{sg}.ingress")),
            security_group: Link::pending(sg, None),
            direction: Direction::Ingress,
            protocol: Known::Known(protocol.to_owned()),
            from_port: Some(Known::Known(from)),
            to_port: Some(Known::Known(to)),
            ipv4_cidrs: vec![Known::Known(net(cidr))],
            ipv6_cidrs: Vec::new(),
            referenced_security_group: None,
            prefix_lists: Vec::new(),
            inline: true,
        });
    }

    fn ep(g: &VpcGraph, index: u32) -> EndpointId {
        let id = Id::from_raw(index);
        assert!(g.endpoints.get(id).is_some());
        id
    }

    #[test]
    fn interface_type_and_private_dns_default() {
        let mut g = VpcGraph::new("t", StackKind::Terraform);
        interface(&mut g, "ep", "v", &[], &[]);
        g.endpoints
            .values_mut()
            .for_each(|e| e.private_dns_enabled = None);
        let e = &g.endpoints[ep(&g, 0)];
        assert!(is_interface(e));
        assert_eq!(private_dns(e), Some(false));
        let gw = VpcEndpoint::new(origin("gw"), Link::None);
        assert!(!is_interface(&gw));
    }

    #[test]
    fn subnet_azs_known_only_when_every_subnet_is() {
        let mut g = VpcGraph::new("t", StackKind::Terraform);
        vpc(&mut g, "v", "10.0.0.0/16");
        subnet(&mut g, "a", "v", Some("us-east-1a"));
        subnet(&mut g, "b", "v", Some("us-east-1a"));
        subnet(&mut g, "c", "v", None);
        interface(&mut g, "one_az", "v", &["a", "b"], &[]);
        interface(&mut g, "unknown_az", "v", &["a", "c"], &[]);
        interface(&mut g, "undeclared", "v", &["a", "zzz"], &[]);
        interface(&mut g, "none", "v", &[], &[]);
        g.finish();
        let facts = EndpointFacts::new(&g);
        let azs = facts.subnet_azs(ep(&g, 0)).unwrap_or_default();
        assert_eq!(azs.len(), 2);
        assert!(azs.iter().all(|(_, az)| *az == "us-east-1a"));
        assert!(facts.subnet_azs(ep(&g, 1)).is_none());
        assert!(facts.subnet_azs(ep(&g, 2)).is_none());
        assert!(facts.subnet_azs(ep(&g, 3)).is_none());
        assert!(facts.certainly_no_subnets(ep(&g, 3)));
        assert!(!facts.certainly_no_subnets(ep(&g, 0)));
    }

    #[test]
    fn unknown_association_endpoint_makes_lists_uncertain() {
        let mut g = VpcGraph::new("t", StackKind::Terraform);
        vpc(&mut g, "v", "10.0.0.0/16");
        interface(&mut g, "bare", "v", &[], &[]);
        g.endpoint_associations.push(EndpointAssociation {
            origin: origin("assoc"),
            endpoint: Link::unknown("data source", None),
            kind: EndpointAssociationKind::SecurityGroup(Link::None),
        });
        g.finish();
        let facts = EndpointFacts::new(&g);
        assert!(!facts.certainly_no_security_groups(ep(&g, 0)));
        assert!(facts.certainly_no_subnets(ep(&g, 0)));
    }

    #[test]
    fn maybe_association_makes_its_endpoint_uncertain() {
        let mut g = VpcGraph::new("t", StackKind::CloudFormation);
        vpc(&mut g, "v", "10.0.0.0/16");
        interface(&mut g, "bare", "v", &[], &[]);
        let mut o = origin("assoc");
        o.existence = Existence::Maybe;
        g.endpoint_associations.push(EndpointAssociation {
            origin: o,
            endpoint: Link::pending("bare", None),
            kind: EndpointAssociationKind::Subnet(Link::None),
        });
        g.finish();
        let facts = EndpointFacts::new(&g);
        assert!(!facts.certainly_no_subnets(ep(&g, 0)));
        assert!(facts.certainly_no_security_groups(ep(&g, 0)));
    }

    fn https(g: &VpcGraph) -> Access {
        let facts = EndpointFacts::new(g);
        let Some(groups) = facts.known_security_groups(ep(g, 0)) else {
            return Access::Unknown;
        };
        let cidrs = VpcCidrs::of(&g.vpcs[Id::from_raw(0)]);
        facts.groups_allow_tcp_from(&groups, 443, &cidrs)
    }

    fn https_graph(rules: impl FnOnce(&mut VpcGraph)) -> VpcGraph {
        let mut g = VpcGraph::new("t", StackKind::Terraform);
        vpc(&mut g, "v", "10.0.0.0/16");
        sg(&mut g, "sg");
        interface(&mut g, "ep", "v", &[], &["sg"]);
        rules(&mut g);
        g.finish();
        g
    }

    #[test]
    fn https_allowed_by_tcp_all_and_numeric_protocols() {
        for (protocol, from, to) in [
            ("tcp", 443, 443),
            ("6", 0, 65535),
            ("-1", 0, 0),
            ("all", 0, 0),
            ("TCP", 400, 500),
        ] {
            let g = https_graph(|g| ingress(g, "sg", protocol, from, to, "10.0.0.0/8"));
            assert_eq!(https(&g), Access::Allowed, "{protocol} {from}-{to}");
        }
    }

    #[test]
    fn https_blocked_by_wrong_port_protocol_or_source() {
        for (protocol, from, to, cidr) in [
            ("tcp", 80, 80, "10.0.0.0/16"),
            ("udp", 443, 443, "10.0.0.0/16"),
            ("tcp", 443, 443, "192.168.0.0/16"),
            ("tcp", 443, 443, "10.1.0.0/16"),
        ] {
            let g = https_graph(|g| ingress(g, "sg", protocol, from, to, cidr));
            assert_eq!(https(&g), Access::Blocked, "{protocol} {from}-{to} {cidr}");
        }
        // No ingress rule at all.
        assert_eq!(https(&https_graph(|_| {})), Access::Blocked);
    }

    #[test]
    fn https_partial_overlap_counts() {
        let g = https_graph(|g| ingress(g, "sg", "tcp", 443, 443, "10.0.5.0/24"));
        assert_eq!(https(&g), Access::Allowed);
        let g = https_graph(|g| ingress(g, "sg", "tcp", 443, 443, "0.0.0.0/0"));
        assert_eq!(https(&g), Access::Allowed);
    }

    #[test]
    fn https_unknown_for_references_prefix_lists_and_unknown_values() {
        let g = https_graph(|g| {
            ingress(g, "sg", "tcp", 443, 443, "192.168.0.0/16");
            if let Some(r) = g.security_group_rules.values_mut().next() {
                r.ipv4_cidrs.clear();
                r.referenced_security_group =
                    Some(Linked::new(Link::pending("other", None), span()));
            }
        });
        assert_eq!(https(&g), Access::Unknown);
        let g = https_graph(|g| {
            ingress(g, "sg", "tcp", 443, 443, "192.168.0.0/16");
            if let Some(r) = g.security_group_rules.values_mut().next() {
                r.prefix_lists.push(Known::Known("pl-123".into()));
            }
        });
        assert_eq!(https(&g), Access::Unknown);
        let g = https_graph(|g| {
            ingress(g, "sg", "tcp", 443, 443, "10.0.0.0/16");
            if let Some(r) = g.security_group_rules.values_mut().next() {
                r.protocol = Known::unknown("var");
            }
        });
        assert_eq!(https(&g), Access::Unknown);
        let g = https_graph(|g| {
            ingress(g, "sg", "tcp", 443, 443, "10.0.0.0/16");
            if let Some(r) = g.security_group_rules.values_mut().next() {
                r.origin.existence = Existence::Maybe;
            }
        });
        assert_eq!(https(&g), Access::Unknown);
        // A rule for an unknown group might belong to this one.
        let g = https_graph(|g| {
            ingress(g, "sg", "tcp", 80, 80, "10.0.0.0/16");
            if let Some(r) = g.security_group_rules.values_mut().next() {
                r.security_group = Link::unknown("var", None);
            }
        });
        assert_eq!(https(&g), Access::Unknown);
        // But an unknown value in a rule that cannot match anyway changes nothing.
        let g = https_graph(|g| {
            ingress(g, "sg", "udp", 443, 443, "10.0.0.0/16");
            if let Some(r) = g.security_group_rules.values_mut().next() {
                r.ipv4_cidrs = vec![Known::unknown("var")];
            }
        });
        assert_eq!(https(&g), Access::Blocked);
    }

    #[test]
    fn placeholder_rule_for_unseen_rules_makes_https_unknown() {
        // What a front end pushes for a group whose ingress list it cannot see (an unknown
        // `dynamic` for_each, an unknown SecurityGroupIngress item): an ingress rule of the
        // group with unknown protocol and nothing else.
        let g = https_graph(|g| {
            g.security_group_rules.push(SecurityGroupRule::unreadable(
                origin("sg.ingress[?]"),
                Link::pending("sg", None),
                Direction::Ingress,
                "dynamic block over an unknown value",
            ));
        });
        assert_eq!(https(&g), Access::Unknown);
    }

    #[test]
    fn unknown_vpc_block_overlaps_only_the_zero_prefix() {
        let mut cidrs = VpcCidrs {
            known: vec![net("10.0.0.0/16")],
            unknown_v4: false,
            unknown_v6: true,
        };
        assert_eq!(cidrs.overlap(&net("::/0")), Access::Allowed);
        assert_eq!(cidrs.overlap(&net("2600::/56")), Access::Unknown);
        assert_eq!(cidrs.overlap(&net("192.168.0.0/16")), Access::Blocked);
        cidrs.unknown_v4 = true;
        assert_eq!(cidrs.overlap(&net("192.168.0.0/16")), Access::Unknown);
    }

    fn flow_log(g: &mut VpcGraph, name: &str, target: FlowLogTarget) {
        g.flow_logs.push(FlowLog {
            origin: origin(name),
            targets: vec![target],
            destination_type: Known::Known("s3".into()),
            log_destination: None,
            log_group_name: None,
            iam_role_arn: None,
        });
    }

    fn two_subnet_vpc() -> VpcGraph {
        let mut g = VpcGraph::new("t", StackKind::Terraform);
        vpc(&mut g, "v", "10.0.0.0/16");
        subnet(&mut g, "a", "v", None);
        subnet(&mut g, "b", "v", None);
        g
    }

    #[test]
    fn flow_log_coverage_by_vpc_and_subnets() {
        let v = Id::from_raw(0);
        let g = {
            let mut g = two_subnet_vpc();
            g.finish();
            g
        };
        let cov = FlowLogCoverage::new(&g);
        let unc = cov
            .uncovered(&g, v)
            .map(|u| (u.without.len(), u.with.len()));
        assert_eq!(unc, Some((2, 0)));

        let mut g = two_subnet_vpc();
        flow_log(&mut g, "fl", FlowLogTarget::Vpc(Link::pending("v", None)));
        g.finish();
        assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_none());

        let mut g = two_subnet_vpc();
        flow_log(
            &mut g,
            "fa",
            FlowLogTarget::Subnet(Link::pending("a", None)),
        );
        g.finish();
        let cov = FlowLogCoverage::new(&g);
        let unc = cov
            .uncovered(&g, v)
            .map(|u| (u.without.len(), u.with.len()));
        assert_eq!(unc, Some((1, 1)));

        let mut g = two_subnet_vpc();
        flow_log(
            &mut g,
            "fa",
            FlowLogTarget::Subnet(Link::pending("a", None)),
        );
        flow_log(
            &mut g,
            "fb",
            FlowLogTarget::Subnet(Link::pending("b", None)),
        );
        g.finish();
        assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_none());
    }

    #[test]
    fn flow_log_unknown_or_maybe_targets_suppress() {
        let v = Id::from_raw(0);
        for target in [
            FlowLogTarget::Vpc(Link::unknown("var", None)),
            FlowLogTarget::Subnet(Link::unknown("var", None)),
            FlowLogTarget::Unknown(Known::unknown("ResourceType")),
        ] {
            let mut g = two_subnet_vpc();
            flow_log(&mut g, "fl", target);
            g.finish();
            assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_none());
        }
        let mut g = two_subnet_vpc();
        flow_log(&mut g, "fl", FlowLogTarget::Vpc(Link::pending("v", None)));
        g.flow_logs
            .values_mut()
            .for_each(|f| f.origin.existence = Existence::Maybe);
        g.finish();
        assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_none());

        // ENI and other VPCs' flow logs do not cover this VPC.
        for target in [
            FlowLogTarget::NetworkInterface(Known::unknown("eni")),
            FlowLogTarget::Vpc(Link::External("vpc-0abc".into())),
        ] {
            let mut g = two_subnet_vpc();
            flow_log(&mut g, "fl", target);
            g.finish();
            assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_some());
        }
    }

    #[test]
    fn subnets_that_might_not_exist() {
        let v = Id::from_raw(0);
        let maybe_subnets = || {
            let mut g = two_subnet_vpc();
            g.subnets
                .values_mut()
                .for_each(|s| s.origin.existence = Existence::Maybe);
            g
        };
        // No flow log could cover any part of the VPC: uncovered whatever subnets exist.
        let mut g = maybe_subnets();
        g.finish();
        assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_some());
        // A flow log on one of them, on a network interface, or on a subnet elsewhere
        // might cover what exists.
        for target in [
            FlowLogTarget::Subnet(Link::pending("a", None)),
            FlowLogTarget::NetworkInterface(Known::unknown("eni")),
            FlowLogTarget::Subnet(Link::External("subnet-0abc".into())),
        ] {
            let mut g = maybe_subnets();
            flow_log(&mut g, "fl", target);
            g.finish();
            assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_none());
        }
    }

    #[test]
    fn vpc_without_subnets() {
        let v = Id::from_raw(0);
        let mut g = VpcGraph::new("t", StackKind::Terraform);
        vpc(&mut g, "v", "10.0.0.0/16");
        g.finish();
        assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_some());
        let mut g = VpcGraph::new("t", StackKind::Terraform);
        vpc(&mut g, "v", "10.0.0.0/16");
        flow_log(
            &mut g,
            "fl",
            FlowLogTarget::Subnet(Link::External("subnet-0abc".into())),
        );
        g.finish();
        assert!(FlowLogCoverage::new(&g).uncovered(&g, v).is_none());
    }
}
