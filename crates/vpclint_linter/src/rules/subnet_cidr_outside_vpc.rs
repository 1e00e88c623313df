use ipnet::IpNet;
use vpclint_graph::cidr::{overlaps, same_family};
use vpclint_graph::integrity::FreeBlocks;
use vpclint_graph::{CidrBlock, StackKind, Subnet, Vpc};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A subnet's CIDR block is not inside any CIDR block of its VPC.
    ///
    /// ## What it does
    /// Checks that the IPv4 CIDR block of every subnet, and each of its IPv6 CIDR blocks,
    /// lies inside one CIDR block of the subnet's VPC — the primary block or a secondary one
    /// (`aws_vpc_ipv4_cidr_block_association`, `aws_vpc_ipv6_cidr_block_association`,
    /// `AWS::EC2::VPCCidrBlock`).
    ///
    /// The rule only speaks when the subnet's block and every block of its VPC are known:
    /// a block from a data source, an unset variable, an IPAM pool or an Amazon-provided
    /// IPv6 block (`assign_generated_ipv6_cidr_block = true`,
    /// `AmazonProvidedIpv6CidrBlock: true`) keeps it silent, since the subnet might be
    /// inside it.
    ///
    /// ## Why is this bad?
    /// AWS rejects a subnet whose range is not a subset of one of its VPC's CIDR blocks
    /// (`InvalidSubnet.Range`). A subnet cannot straddle two VPC blocks either, even adjacent
    /// ones. The plan looks fine; the apply fails, often after other resources were created.
    ///
    /// ## How to fix
    /// Carve the subnet from one of the VPC's blocks (Terraform:
    /// `cidrsubnet(aws_vpc.main.cidr_block, 8, 1)`; CloudFormation: `!Select` over
    /// `!Cidr [!GetAtt Vpc.CidrBlock, ...]`), or add the range the subnet needs to the VPC as a
    /// secondary CIDR block and make the subnet depend on that association.
    ///
    /// ## References
    /// - [Subnet CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
    /// - [VPC CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
    pub SubnetCidrOutsideVpc {
        id: "VPC601",
        name: "subnet-cidr-outside-vpc",
        severity: Error,
        category: Addressing,
    }
}

impl Rule for SubnetCidrOutsideVpc {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let mut free_blocks = FreeBlocks::new(graph);
        for subnet in graph.subnets.values() {
            let Some((vpc_id, vpc)) = subnet.vpc.node().zip(graph.vpc(&subnet.vpc)) else {
                continue;
            };
            // Every VPC has a primary IPv4 block; a VPC without one is one vpclint could
            // not read, so nothing about it is certain.
            if !vpc.origin.is_certain() || vpc.ipv4_cidrs.is_empty() {
                continue;
            }
            for block in subnet.cidrs() {
                let Some(net) = block.known() else {
                    continue;
                };
                let net = net.trunc();
                // Only blocks of the subnet block's family matter: an Amazon-provided IPv6
                // block of the VPC says nothing about its IPv4 blocks.
                let Some(vpc_cidrs) = vpc.known_cidrs_like(&net) else {
                    continue;
                };
                if vpc_cidrs.iter().any(|c| c.trunc().contains(&net)) {
                    continue;
                }
                let example = free_blocks.like(vpc_id, &net);
                ctx.report(
                    &subnet.origin,
                    diagnostic(subnet, vpc, block, net, example, graph.kind),
                );
            }
        }
    }
}

fn diagnostic(
    subnet: &Subnet,
    vpc: &Vpc,
    block: &CidrBlock,
    net: IpNet,
    example: Option<IpNet>,
    kind: StackKind,
) -> Diagnostic {
    let subnet_name = &subnet.origin.address;
    let vpc_name = &vpc.origin.address;
    let family = if matches!(net, IpNet::V4(_)) {
        "IPv4"
    } else {
        "IPv6"
    };
    let same: Vec<&CidrBlock> = vpc
        .cidrs()
        .filter(|b| b.known().is_some_and(|c| same_family(&c, &net)))
        .collect();
    let list = same
        .iter()
        .filter_map(|b| b.known().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join(", ");

    if same.is_empty() {
        let how_to_add = match kind {
            StackKind::Terraform => {
                "an `aws_vpc_ipv6_cidr_block_association`, or the VPC's \
                                     `ipv6_cidr_block` with its IPAM pool"
            }
            StackKind::CloudFormation => {
                "an `AWS::EC2::VPCCidrBlock` with `Ipv6CidrBlock` and \
                                          its `Ipv6Pool` or `Ipv6IpamPoolId`"
            }
        };
        return Diagnostic::new(
            block.span,
            format!(
                "subnet {subnet_name} has the {family} CIDR block {net}, but its VPC {vpc_name} has no \
                 {family} CIDR block"
            ),
        )
        .label(format!("{vpc_name} has no {family} block"))
        .related(vpc.origin.span, format!("{vpc_name} declares no {family} CIDR block"))
        .help(format!(
            "give {vpc_name} an {family} CIDR block that contains {net} ({how_to_add}), then \
             carve the subnet's block from it"
        ));
    }

    let partly = same
        .iter()
        .any(|b| b.known().is_some_and(|c| overlaps(&c, &net)));
    let (how, blocks) = match (partly, same.len()) {
        (true, _) => ("only partly inside", "CIDR blocks"),
        (false, 1) => ("outside", "CIDR block"),
        (false, _) => ("outside every one of", "CIDR blocks"),
    };
    let mut diagnostic = Diagnostic::new(
        block.span,
        format!(
            "subnet {subnet_name} has the CIDR block {net}, which is {how} the {family} {blocks} \
             of its VPC {vpc_name} ({list})"
        ),
    )
    .label(format!("{net} is not inside {}", or_list(&same)));
    for b in &same {
        if let Some(c) = b.known() {
            diagnostic = diagnostic.related(b.span, format!("{c} of {vpc_name}"));
        }
    }
    let suggestion = example
        .map(|example| format!(" (for example {example}, which no other subnet uses)"))
        .unwrap_or_default();
    if partly {
        return diagnostic.help(format!(
            "a subnet must fit inside a single VPC CIDR block: shrink {subnet_name} to a block \
             inside {}{suggestion}",
            or_list(&same)
        ));
    }
    diagnostic.help(format!(
        "choose a block inside {} for {subnet_name}{suggestion}, or add a secondary CIDR \
         block containing {net} to {vpc_name}",
        or_list(&same)
    ))
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(blocks: &[&CidrBlock]) -> String {
    let items: Vec<String> = blocks
        .iter()
        .filter_map(|b| b.known().map(|c| c.to_string()))
        .collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
