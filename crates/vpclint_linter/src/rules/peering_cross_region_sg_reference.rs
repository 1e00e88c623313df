use vpclint_graph::{
    same_region, Direction, Known, PeeringConnection, PeeringId, SecurityGroupRule, StackKind,
    VpcGraph, VpcId,
};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A security group rule references a security group of a peer VPC in another region.
    ///
    /// ## What it does
    /// For every security group rule (inline `ingress`/`egress` blocks, `aws_security_group_rule`,
    /// `aws_vpc_security_group_ingress_rule`/`_egress_rule`, `SecurityGroupIngress`/`Egress`
    /// and their standalone resources) whose source or destination is another security group,
    /// checks whether that group belongs to a VPC on the other side of a peering connection
    /// of the rule's own VPC, and whether that peering connection is inter-region: its
    /// `peer_region` / `PeerRegion` is known and differs from the requester's known region.
    ///
    /// Regions vpclint cannot know (an unset variable, a CloudFormation stack deployed
    /// without `--region` compared with a literal region) keep the rule silent, and so do
    /// two VPCs known to be in one region (then the peering's `peer_region` is what is
    /// wrong). A CloudFormation stack is deployed to one region, so every VPC and security
    /// group it declares is in that region: the finding arises from Terraform
    /// configurations that use providers for several regions.
    ///
    /// ## Why is this bad?
    /// Security groups can reference security groups of a peered VPC only when the peering
    /// connection is within one region. Across regions AWS rejects the rule (the group ID is
    /// not found), so the apply fails; reference the peer's CIDR blocks instead.
    ///
    /// ## How to fix
    /// Replace the security group reference with the peer VPC's (or the peer subnets')
    /// CIDR blocks (`cidr_blocks`/`ipv6_cidr_blocks`, `CidrIp`/`CidrIpv6`), or use a
    /// managed prefix list that holds them.
    ///
    /// ## References
    /// - [Update your security groups to reference peer security groups](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html)
    /// - [VPC peering limitations](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations)
    pub PeeringCrossRegionSgReference {
        id: "VPC104",
        name: "peering-cross-region-sg-reference",
        severity: Error,
        category: Peering,
    }
}

impl Rule for PeeringCrossRegionSgReference {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        if graph.peerings.is_empty() {
            return;
        }
        for rule in graph.security_group_rules.values() {
            if let Some(diagnostic) = check_rule(graph, rule) {
                ctx.report(&rule.origin, diagnostic);
            }
        }
    }
}

fn check_rule(graph: &VpcGraph, rule: &SecurityGroupRule) -> Option<Diagnostic> {
    let referenced = rule.referenced_security_group.as_ref()?;
    let own_sg = graph.security_groups.get(rule.security_group.node()?)?;
    let peer_sg = graph.security_groups.get(referenced.link.node()?)?;
    if !peer_sg.origin.is_certain() {
        return None;
    }
    let own_vpc = own_sg.vpc.node()?;
    let peer_vpc = peer_sg.vpc.node()?;
    if own_vpc == peer_vpc {
        return None;
    }
    // Both VPCs known to be in one region contradict the peering's regions (the peering
    // itself is what fails then): do not guess.
    if let (Known::Known(a), Known::Known(b)) =
        (&graph.vpcs[own_vpc].region, &graph.vpcs[peer_vpc].region)
    {
        if same_region(a, b) != Some(false) {
            return None;
        }
    }
    let (peering_id, own_region, peer_region) = inter_region_peering(graph, own_vpc, peer_vpc)?;
    let peering = &graph.peerings[peering_id];
    let peer_vpc_name = &graph.vpcs[peer_vpc].origin.address;
    let role = match rule.direction {
        Direction::Ingress => "source",
        Direction::Egress => "destination",
    };
    let cidr_attrs = match (graph.kind, rule.origin.resource_type.as_str()) {
        (StackKind::CloudFormation, _) => "`CidrIp`/`CidrIpv6`",
        (
            StackKind::Terraform,
            "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule",
        ) => "`cidr_ipv4`/`cidr_ipv6`",
        (StackKind::Terraform, _) => "`cidr_blocks`/`ipv6_cidr_blocks`",
    };
    let cidrs: Vec<String> = graph.vpcs[peer_vpc]
        .cidrs()
        .filter_map(|b| b.known())
        .map(|c| c.to_string())
        .collect();
    let instead = if cidrs.is_empty() {
        format!("the CIDR blocks of {peer_vpc_name}")
    } else {
        format!("{} ({peer_vpc_name})", cidrs.join(", "))
    };
    Some(
        Diagnostic::new(
            referenced.span,
            format!(
                "security group rule of {} uses {} of peer VPC {peer_vpc_name} as its {role}, but {} is an \
                 inter-region peering connection ({own_region} and {peer_region}); security groups can only be \
                 referenced across a peering connection within one region",
                own_sg.origin.address, peer_sg.origin.address, peering.origin.address
            ),
        )
        .label(format!("security group of {peer_vpc_name} in {peer_region}"))
        .related(
            peering
                .origin
                .attr_any(&["peer_region", "PeerRegion"]),
            match (&peering.region, &peering.peer_region) {
                (Known::Known(requester), Some(Known::Known(accepter))) => {
                    format!("accepter in {accepter}, requester in {requester}")
                }
                _ => "inter-region peering connection".to_owned(),
            },
        )
        .help(format!(
            "reference {instead} with {cidr_attrs} instead of {}",
            peer_sg.origin.address
        )),
    )
}

/// A certain peering connection between the two VPCs whose two regions are known and
/// differ: (peering, `own_vpc`'s region, `peer_vpc`'s region).
fn inter_region_peering(
    graph: &VpcGraph,
    own_vpc: VpcId,
    peer_vpc: VpcId,
) -> Option<(PeeringId, String, String)> {
    graph.vpcs[own_vpc].peerings.iter().find_map(|&id| {
        let peering = &graph.peerings[id];
        if !peering.origin.is_certain() || !peering.other_side(own_vpc)?.is(peer_vpc) {
            return None;
        }
        let (requester, accepter) = regions(peering)?;
        if same_region(&requester, &accepter) != Some(false) {
            return None;
        }
        if peering.requester_vpc.is(own_vpc) {
            Some((id, requester, accepter))
        } else {
            Some((id, accepter, requester))
        }
    })
}

fn regions(peering: &PeeringConnection) -> Option<(String, String)> {
    let Known::Known(requester) = &peering.region else {
        return None;
    };
    let Some(Known::Known(accepter)) = &peering.peer_region else {
        return None;
    };
    Some((requester.clone(), accepter.clone()))
}
