use std::collections::BTreeMap;

use ipnet::IpNet;
use vpclint_graph::integrity::{overlapping_prefixes, FreeBlocks};
use vpclint_graph::{CidrBlock, Span, SubnetId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// Two subnets of one VPC have overlapping CIDR blocks.
    ///
    /// ## What it does
    /// Compares the IPv4 and IPv6 CIDR blocks of the subnets of each VPC and reports a subnet
    /// whose block overlaps (or equals) the block of another subnet of the same VPC. The
    /// finding is on the subnet written later; the other one is shown beside it.
    ///
    /// Subnets whose block vpclint cannot know before deployment (a data source, an unset
    /// variable, an IPAM allocation, a block computed from an Amazon-provided IPv6 prefix)
    /// are never assumed to overlap, and a subnet that might not be created (an unknown
    /// `count`, a CloudFormation condition vpclint cannot evaluate) is left out.
    ///
    /// ## Why is this bad?
    /// AWS rejects a subnet whose CIDR block overlaps an existing subnet of the VPC
    /// (`InvalidSubnet.Conflict`). With `count` or `for_each` the usual cause is a
    /// `cidrsubnet()` call whose index does not vary (`cidrsubnet(var.cidr, 8, 1)` instead of
    /// `cidrsubnet(var.cidr, 8, count.index)`), or two lists of subnets carved from the same
    /// range.
    ///
    /// ## How to fix
    /// Give every subnet its own range: derive each block with a distinct `cidrsubnet()`
    /// index (or one `cidrsubnets()` call for the whole layout), or with distinct indexes of
    /// one CloudFormation `!Cidr` list.
    ///
    /// ## References
    /// - [Subnet CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
    /// - [Create a subnet](https://docs.aws.amazon.com/vpc/latest/userguide/create-subnets.html)
    pub SubnetCidrOverlap {
        id: "VPC602",
        name: "subnet-cidr-overlap",
        severity: Error,
        category: Addressing,
    }
}

/// One subnet block, keyed so that equal blocks order by where they are written.
type Key = (Span, SubnetId, usize);

impl Rule for SubnetCidrOverlap {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let mut free_blocks = FreeBlocks::new(graph);
        for (vpc_id, vpc) in graph.vpcs.iter() {
            let mut items: Vec<(IpNet, Key)> = Vec::new();
            for &subnet_id in &vpc.subnets {
                let Some(subnet) = graph.subnets.get(subnet_id) else {
                    continue;
                };
                if !subnet.origin.is_certain() {
                    continue;
                }
                for (i, block) in subnet.cidrs().enumerate() {
                    if let Some(net) = block.known() {
                        items.push((net, (block.span, subnet_id, i)));
                    }
                }
            }
            // The subnet written later gets the finding; the others are shown beside it.
            let mut by_anchor: BTreeMap<Key, Vec<Key>> = BTreeMap::new();
            for overlap in overlapping_prefixes(&items) {
                let (anchor, other) = if overlap.later > overlap.earlier {
                    (overlap.later, overlap.earlier)
                } else {
                    (overlap.earlier, overlap.later)
                };
                if anchor.1 != other.1 {
                    by_anchor.entry(anchor).or_default().push(other);
                }
            }
            for ((_, subnet_id, block_index), others) in by_anchor {
                let subnet = &graph.subnets[subnet_id];
                let Some(block) = subnet.cidrs().nth(block_index) else {
                    continue;
                };
                let others: Vec<(&str, &CidrBlock)> = others
                    .iter()
                    .filter_map(|&(_, id, index)| {
                        let other = graph.subnets.get(id)?;
                        Some((other.origin.address.as_str(), other.cidrs().nth(index)?))
                    })
                    .collect();
                let free = block.known().and_then(|net| free_blocks.like(vpc_id, &net));
                if let Some(diagnostic) = diagnostic(
                    &subnet.origin.address,
                    block,
                    &others,
                    &vpc.origin.address,
                    free,
                ) {
                    ctx.report(&subnet.origin, diagnostic);
                }
            }
        }
    }
}

fn diagnostic(
    name: &str,
    block: &CidrBlock,
    others: &[(&str, &CidrBlock)],
    vpc_name: &str,
    free: Option<IpNet>,
) -> Option<Diagnostic> {
    let net = block.known()?.trunc();
    let (first_name, first) = others.first()?;
    let first_net = first.known()?.trunc();
    let how = if net == first_net {
        "the same CIDR block as".to_owned()
    } else if first_net.contains(&net) {
        format!("a CIDR block inside {first_net} of")
    } else {
        format!("a CIDR block that contains {first_net} of")
    };
    let mut message =
        format!("subnet {name} ({net}) has {how} subnet {first_name} in VPC {vpc_name}");
    if others.len() > 1 {
        message.push_str(&format!(
            ", and overlaps {} more subnet(s) of it",
            others.len() - 1
        ));
    }
    let label = if net == first_net {
        format!("{net} is already used by {first_name}")
    } else {
        format!("{net} overlaps {first_net} of {first_name}")
    };
    let mut diagnostic = Diagnostic::new(block.span, message).label(label);
    for (other_name, other) in others {
        if let Some(other_net) = other.known() {
            diagnostic = diagnostic.related(other.span, format!("{other_net} of {other_name}"));
        }
    }
    Some(diagnostic.help(help(name, block, first, vpc_name, free)))
}

fn help(
    name: &str,
    block: &CidrBlock,
    other: &CidrBlock,
    vpc_name: &str,
    free: Option<IpNet>,
) -> String {
    let free = free.map(|f| format!(", such as {f}")).unwrap_or_default();
    if block.span == other.span {
        // Two instances of one resource (count / for_each) got the same block.
        format!(
            "every instance gets its block from this one expression: make it depend on the \
             instance (for example `cidrsubnet(<vpc block>, 8, count.index)`, or a per-key value \
             with for_each) so that each subnet of {vpc_name} gets its own range"
        )
    } else {
        format!("give {name} a range of {vpc_name} that no other subnet uses{free}")
    }
}
