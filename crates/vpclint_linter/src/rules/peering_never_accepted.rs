use vpclint_graph::{Known, Link, PeeringConnection, PeeringId, StackKind, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

/// The Terraform resource that accepts a peering connection (`aws_vpc_peering_connection_options`
/// only sets options on an accepted one).
const ACCEPTER: &str = "aws_vpc_peering_connection_accepter";

declare_rule! {
    /// A peering connection is never accepted, so every route through it blackholes.
    ///
    /// ## What it does
    /// Terraform: reports an `aws_vpc_peering_connection` that has no `auto_accept = true`
    /// and that no `aws_vpc_peering_connection_accepter` in the configuration accepts — unless
    /// it is cross-account with acceptance managed elsewhere, that is, `peer_owner_id` is set
    /// to an account other than the requester's (or to one vpclint cannot compare). An
    /// accepter whose connection ID is unknown might accept any connection and keeps the rule
    /// silent.
    ///
    /// CloudFormation: reports an `AWS::EC2::VPCPeeringConnection` with a `PeerOwnerId`
    /// (a cross-account request) but no `PeerRoleArn`, the role in the peer account that
    /// CloudFormation assumes to accept it. An unknown `PeerOwnerId` (for example
    /// `!Ref AWS::AccountId`, the stack's own account) keeps the rule silent.
    ///
    /// ## Why is this bad?
    /// A peering connection carries no traffic until the accepter side accepts it. Until
    /// then it stays `pending-acceptance` (and expires after a week), every route that
    /// targets it is a blackhole, and the apply looks successful.
    ///
    /// ## How to fix
    /// Terraform: set `auto_accept = true` when both VPCs are in the same account and
    /// region; otherwise add an `aws_vpc_peering_connection_accepter` (with
    /// `auto_accept = true`) using a provider for the accepter's region or account.
    /// CloudFormation: set `PeerRoleArn` to a role in the peer account that trusts the
    /// requester account and allows `ec2:AcceptVpcPeeringConnection`.
    ///
    /// ## References
    /// - [Accept or reject a VPC peering connection](https://docs.aws.amazon.com/vpc/latest/peering/accept-vpc-peering-connection.html)
    /// - [VPC peering connection lifecycle](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-lifecycle)
    /// - [AWS::EC2::VPCPeeringConnection](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcpeeringconnection.html)
    /// - [Terraform aws_vpc_peering_connection_accepter](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_peering_connection_accepter)
    pub PeeringNeverAccepted {
        id: "VPC105",
        name: "peering-never-accepted",
        severity: Warning,
        category: Peering,
    }
}

impl Rule for PeeringNeverAccepted {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        if graph.peerings.is_empty() {
            return;
        }
        // An accepter whose connection vpclint cannot resolve might accept any of them.
        let unknown_accepter = graph.may_lack_resources()
            || graph.peering_accepters.values().any(|a| {
                a.origin.resource_type == ACCEPTER
                    && matches!(
                        a.peering,
                        Link::Unknown(_) | Link::Declared(_) | Link::Pending { .. }
                    )
            });
        for (id, peering) in graph.peerings.iter() {
            let diagnostic = match graph.kind {
                StackKind::Terraform if !unknown_accepter => check_terraform(graph, id, peering),
                StackKind::Terraform => None,
                StackKind::CloudFormation => check_cloudformation(graph, id, peering),
            };
            if let Some(diagnostic) = diagnostic {
                ctx.report(&peering.origin, diagnostic);
            }
        }
    }
}

fn check_terraform(
    graph: &VpcGraph,
    id: PeeringId,
    peering: &PeeringConnection,
) -> Option<Diagnostic> {
    match &peering.auto_accept {
        Some(Known::Known(true)) | Some(Known::Unknown(_)) => return None,
        Some(Known::Known(false)) | None => {}
    }
    let accepted = peering.accepters.iter().any(|&a| {
        graph
            .peering_accepters
            .get(a)
            .is_some_and(|a| a.origin.resource_type == ACCEPTER)
    });
    if accepted {
        return None;
    }
    // Cross-account: the peer account accepts it, possibly in another configuration.
    match &peering.peer_owner_id {
        None => {}
        Some(Known::Known(owner)) => match &peering.account {
            Known::Known(account) if account == owner => {}
            _ => return None,
        },
        Some(Known::Unknown(_)) => return None,
    }
    let name = &peering.origin.address;
    let peer_region = match &peering.peer_region {
        Some(Known::Known(region)) => match &peering.region {
            Known::Known(own) if own == region => None,
            _ => Some(region.clone()),
        },
        Some(Known::Unknown(_)) => Some("the peer region".to_owned()),
        None => None,
    };
    let help = match &peer_region {
        None => format!(
            "set `auto_accept = true` on {name} (both VPCs are in this account and region), or accept it with an \
             {ACCEPTER} whose `vpc_peering_connection_id = {name}.id` and `auto_accept = true`"
        ),
        Some(region) => format!(
            "`auto_accept` cannot accept an inter-region request: add an {ACCEPTER} with a provider for \
             {region}, `vpc_peering_connection_id = {name}.id` and `auto_accept = true`"
        ),
    };
    let span = peering.origin.attr("auto_accept");
    let label = if matches!(peering.auto_accept, Some(Known::Known(false))) {
        "`auto_accept = false` and no accepter resource"
    } else {
        "no `auto_accept = true` and no accepter resource"
    };
    Some(with_routes(
        graph,
        id,
        Diagnostic::new(
            span,
            format!(
                "peering connection {name} is never accepted: it has no `auto_accept = true` and no {ACCEPTER} \
                 accepts it, so it stays pending-acceptance and routes through it carry no traffic"
            ),
        )
        .label(label)
        .help(help),
    ))
}

fn check_cloudformation(
    graph: &VpcGraph,
    id: PeeringId,
    peering: &PeeringConnection,
) -> Option<Diagnostic> {
    let Some(Known::Known(owner)) = &peering.peer_owner_id else {
        return None;
    };
    if peering.peer_role_arn.is_some() {
        return None;
    }
    if matches!(&peering.account, Known::Known(account) if account == owner) {
        return None;
    }
    let name = &peering.origin.address;
    Some(with_routes(
        graph,
        id,
        Diagnostic::new(
            peering.origin.attr("PeerOwnerId"),
            format!(
                "cross-account peering connection {name} (peer account {owner}) has no PeerRoleArn, so \
                 CloudFormation cannot accept it in the peer account: it stays pending-acceptance and routes \
                 through it carry no traffic"
            ),
        )
        .label("cross-account request without PeerRoleArn")
        .help(format!(
            "set `PeerRoleArn` on {name} to a role in account {owner} that trusts this account and allows \
             ec2:AcceptVpcPeeringConnection"
        )),
    ))
}

/// Adds the routes that would use the connection as related places (up to three).
fn with_routes(graph: &VpcGraph, id: PeeringId, mut diagnostic: Diagnostic) -> Diagnostic {
    let routes = graph.peerings[id]
        .routes
        .iter()
        .filter_map(|&r| graph.routes.get(r));
    for route in routes.take(3) {
        diagnostic = diagnostic.related(
            route.destination_span,
            "route through the pending connection (blackhole)",
        );
    }
    diagnostic
}
