use vpclint_graph::{Known, Link, PeeringConnection, PeeringSideOptions, StackKind, Vpc, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// Neither side of a peering connection allows remote VPC DNS resolution.
    ///
    /// ## What it does
    /// Reports a peering connection when neither the requester nor the accepter option
    /// `allow_remote_vpc_dns_resolution` (in `requester`/`accepter` blocks of
    /// `aws_vpc_peering_connection`, `aws_vpc_peering_connection_accepter` or
    /// `aws_vpc_peering_connection_options`) is known to be `true`. Unset counts as `false`,
    /// AWS's default; CloudFormation's `AWS::EC2::VPCPeeringConnection` cannot set the option
    /// at all. A value vpclint cannot know keeps the rule silent, and so do two VPCs that
    /// both have DNS hostnames (or DNS resolution) disabled: their instances have no public
    /// DNS names to resolve, and AWS only allows the option between VPCs with both enabled.
    ///
    /// This is an `info` rule: off unless selected (`--select VPC106`).
    ///
    /// ## Why is this bad?
    /// Without the option, an instance that looks up the public DNS name of an instance in
    /// the peer VPC gets its public IP address. Traffic to it then leaves through the
    /// internet or NAT gateway instead of the peering connection: it is not private, costs
    /// more, and is blocked by security groups that only admit the peer's private CIDR.
    ///
    /// ## How to fix
    /// Terraform: set `allow_remote_vpc_dns_resolution = true` in the `requester` and/or
    /// `accepter` block (of the connection when it is auto-accepted, else of
    /// `aws_vpc_peering_connection_options` / the accepter resource). Both VPCs need
    /// `enable_dns_support` and `enable_dns_hostnames`. CloudFormation: enable it after
    /// deployment (`aws ec2 modify-vpc-peering-connection-options`) or from a custom resource.
    ///
    /// ## References
    /// - [Enable DNS resolution for a VPC peering connection](https://docs.aws.amazon.com/vpc/latest/peering/modify-peering-connections.html#vpc-peering-dns)
    /// - [DNS attributes for your VPC](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html)
    pub PeeringRemoteDnsDisabled {
        id: "VPC106",
        name: "peering-remote-dns-disabled",
        severity: Info,
        category: Peering,
    }
}

impl Rule for PeeringRemoteDnsDisabled {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for peering in graph.peerings.values() {
            if let Some(diagnostic) = check_peering(graph, peering) {
                ctx.report(&peering.origin, diagnostic);
            }
        }
    }
}

/// `Some(false)` when the side certainly does not allow remote DNS resolution.
fn allows(options: &PeeringSideOptions) -> Option<bool> {
    match &options.allow_remote_vpc_dns_resolution {
        None => Some(false),
        Some(Known::Known(value)) => Some(*value),
        Some(Known::Unknown(_)) => None,
    }
}

/// The VPC certainly gives its instances no DNS hostnames (or resolves no names at all).
fn without_hostnames(graph: &VpcGraph, link: &Link<Vpc>) -> bool {
    graph.vpc(link).is_some_and(|vpc| {
        matches!(vpc.enable_dns_hostnames, Known::Known(false))
            || matches!(vpc.enable_dns_support, Known::Known(false))
    })
}

fn check_peering(graph: &VpcGraph, peering: &PeeringConnection) -> Option<Diagnostic> {
    // An options resource in a part of the stack vpclint could not read might set them.
    if graph.may_lack_resources() {
        return None;
    }
    if allows(&peering.requester_options)? || allows(&peering.accepter_options)? {
        return None;
    }
    if without_hostnames(graph, &peering.requester_vpc)
        && without_hostnames(graph, &peering.accepter_vpc)
    {
        return None;
    }
    let name = &peering.origin.address;
    let side = |link: &Link<Vpc>| match link {
        Link::Node(_) => graph
            .vpc(link)
            .map(|v| v.origin.address.clone())
            .unwrap_or_default(),
        Link::External(id) | Link::Declared(id) => id.clone(),
        _ => "the peer VPC".to_owned(),
    };
    let (requester, accepter) = (side(&peering.requester_vpc), side(&peering.accepter_vpc));
    let help = match graph.kind {
        StackKind::Terraform => format!(
            "set `allow_remote_vpc_dns_resolution = true` in the `accepter` block (lets {requester} resolve names \
             of {accepter}) and/or the `requester` block of {name} — or of an aws_vpc_peering_connection_options \
             for it when the connection is not auto-accepted"
        ),
        StackKind::CloudFormation => format!(
            "AWS::EC2::VPCPeeringConnection cannot set this option: after deployment run `aws ec2 \
             modify-vpc-peering-connection-options` for {name} with \
             `AllowDnsResolutionFromRemoteVpc=true` on the accepter and/or requester side (or do it from a \
             custom resource)"
        ),
    };
    let mut diagnostic = Diagnostic::new(
        peering.origin.span,
        format!(
            "peering connection {name} does not allow remote VPC DNS resolution on either side: public DNS names \
             of instances in {requester} and {accepter} resolve to public IP addresses across it, so that traffic \
             leaves the peering connection"
        ),
    )
    .label("remote VPC DNS resolution is off on both sides")
    .help(help);
    for options in [&peering.requester_options, &peering.accepter_options] {
        if let (Some(span), Some(Known::Known(false))) =
            (options.span, &options.allow_remote_vpc_dns_resolution)
        {
            diagnostic = diagnostic.related(span, "allow_remote_vpc_dns_resolution = false");
        }
    }
    Some(diagnostic)
}
