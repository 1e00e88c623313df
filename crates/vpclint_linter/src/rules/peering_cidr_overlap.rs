use vpclint_graph::cidr::overlaps;
use vpclint_graph::{CidrBlock, Vpc};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// The two VPCs of a peering connection have overlapping CIDR blocks.
    ///
    /// ## What it does
    /// Compares every IPv4 and IPv6 CIDR block of the requester VPC with every block of the
    /// accepter VPC — primary blocks and secondary ones (`aws_vpc_ipv4_cidr_block_association`,
    /// `aws_vpc_ipv6_cidr_block_association`, `AWS::EC2::VPCCidrBlock`) — and reports a
    /// peering connection whose two sides share any address.
    ///
    /// Blocks whose value vpclint cannot know before deployment (a data source, an unset
    /// variable, an Amazon-provided IPv6 block) are never assumed to overlap.
    ///
    /// ## Why is this bad?
    /// AWS refuses to create a peering connection between VPCs with matching or overlapping
    /// IPv4 or IPv6 CIDR blocks, even when only a secondary block overlaps. The apply fails,
    /// usually late in a pull request's life, and the fix is a re-addressing of one VPC.
    ///
    /// ## How to fix
    /// Give one of the VPCs a block that does not overlap the other's — plan VPC address
    /// space centrally (for example an IPAM pool or a per-environment `/16` map) — or remove
    /// the secondary block that collides.
    ///
    /// ## References
    /// - [VPC peering limitations](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations)
    /// - [Invalid VPC peering configurations: overlapping CIDR blocks](https://docs.aws.amazon.com/vpc/latest/peering/invalid-peering-configurations.html)
    pub PeeringCidrOverlap {
        id: "VPC101",
        name: "peering-cidr-overlap",
        severity: Error,
        category: Peering,
    }
}

impl Rule for PeeringCidrOverlap {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for peering in graph.peerings.values() {
            let (Some(requester), Some(accepter)) =
                (peering.requester_vpc.node(), peering.accepter_vpc.node())
            else {
                continue;
            };
            if requester == accepter {
                continue;
            }
            let (a, b) = (&graph.vpcs[requester], &graph.vpcs[accepter]);
            if !a.origin.is_certain() || !b.origin.is_certain() {
                continue;
            }
            let pairs = overlapping_blocks(a, b);
            let Some((first_a, first_b)) = pairs.first() else {
                continue;
            };
            let describe =
                |block: &CidrBlock| block.known().map(|c| c.to_string()).unwrap_or_default();
            let mut message = format!(
                "peering connection joins VPCs with overlapping CIDR blocks: {} ({}) and {} ({})",
                describe(first_a),
                a.origin.address,
                describe(first_b),
                b.origin.address,
            );
            if pairs.len() > 1 {
                message.push_str(&format!(
                    " and {} more overlapping pair(s)",
                    pairs.len() - 1
                ));
            }
            let mut diagnostic = Diagnostic::new(peering.origin.span, message)
                .label("AWS rejects a peering connection between overlapping VPCs")
                .help(format!(
                    "re-address one side so that {} and {} do not overlap; peered VPCs need disjoint address space",
                    describe(first_a),
                    describe(first_b)
                ));
            for (block_a, block_b) in &pairs {
                diagnostic = diagnostic
                    .related(
                        block_a.span,
                        format!("{} of {}", describe(block_a), a.origin.address),
                    )
                    .related(
                        block_b.span,
                        format!("{} of {}", describe(block_b), b.origin.address),
                    );
            }
            ctx.report(&peering.origin, diagnostic);
        }
    }
}

/// Every pair of known blocks, one from each VPC, that share an address.
fn overlapping_blocks<'v>(a: &'v Vpc, b: &'v Vpc) -> Vec<(&'v CidrBlock, &'v CidrBlock)> {
    let mut pairs = Vec::new();
    for block_a in a.cidrs() {
        let Some(net_a) = block_a.known() else {
            continue;
        };
        for block_b in b.cidrs() {
            if block_b
                .known()
                .is_some_and(|net_b| overlaps(&net_a, &net_b))
            {
                pairs.push((block_a, block_b));
            }
        }
    }
    pairs
}
