use vpclint_graph::policy::{allows_everything, endpoint_service};
use vpclint_graph::{
    EndpointAssociationKind, EndpointId, EndpointType, Link, StackKind, VpcEndpoint, VpcGraph,
};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// An endpoint has no policy, or one that allows every action on every resource to everyone.
    ///
    /// ## What it does
    /// Reports an S3 or DynamoDB VPC endpoint (gateway or interface) whose endpoint policy
    /// is absent — AWS then attaches its default policy — or allows every action (`*`, or
    /// the whole service: `s3:*`, `dynamodb:*`) on every resource (`*`) to every principal
    /// without a condition, and denies nothing.
    ///
    /// Policies set by a separate resource (`aws_vpc_endpoint_policy`) count. A policy with
    /// parts vpclint cannot know, or a policy resource whose endpoint it cannot resolve,
    /// keeps the rule silent. This is an `info` rule: enable it with `--select VPC306`.
    ///
    /// ## Why is this bad?
    /// The endpoint policy is the only control on *which* buckets or tables traffic through
    /// the endpoint may reach. With full access, anything in the VPC can copy data to a bucket
    /// or table in any AWS account — an attacker's included — over a path that never touches
    /// the NAT gateway or the firewall that inspects internet egress.
    ///
    /// ## How to fix
    /// Attach a policy that allows only the buckets or tables the VPC uses (their ARNs in
    /// `Resource`), or that requires `aws:ResourceAccount` (or `aws:ResourceOrgID`) to be
    /// your own account or organization. Keep the AWS-owned buckets workloads need, if they
    /// need them (for example Amazon Linux package repositories, or the bucket ECR serves
    /// image layers from).
    ///
    /// ## References
    /// - [Control access to VPC endpoints using endpoint policies](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html)
    /// - [Endpoint policies for gateway endpoints for Amazon S3](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3)
    /// - [AWS global condition keys: aws:ResourceAccount](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount)
    pub EndpointPolicyFullAccess {
        id: "VPC306",
        name: "endpoint-policy-full-access",
        severity: Info,
        category: GatewayEndpoints,
    }
}

/// How many of the stack's buckets the help text names.
const SUGGESTED_BUCKETS: usize = 3;

impl Rule for EndpointPolicyFullAccess {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        // A policy resource whose endpoint is unknown might be the policy of any endpoint.
        let unknown_policy = graph.may_lack_resources()
            || graph.endpoint_associations.values().any(|a| {
                matches!(a.kind, EndpointAssociationKind::Policy(_))
                    && matches!(a.endpoint, Link::Unknown(_) | Link::Pending { .. })
            });
        for (id, endpoint) in graph.endpoints.iter() {
            let Some(service) = endpoint_service(endpoint) else {
                continue;
            };
            if !matches!(service, "s3" | "dynamodb")
                || endpoint.endpoint_type.known() == Some(&EndpointType::GatewayLoadBalancer)
            {
                continue;
            }
            let full = match &endpoint.policy {
                None if unknown_policy => continue,
                None => Finding::NoPolicy,
                Some(document) if allows_everything(document) == Some(true) => Finding::FullAccess,
                Some(_) => continue,
            };
            let diagnostic = diagnostic(graph, id, endpoint, service, full);
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Finding {
    NoPolicy,
    FullAccess,
}

fn diagnostic(
    graph: &VpcGraph,
    id: EndpointId,
    endpoint: &VpcEndpoint,
    service: &str,
    finding: Finding,
) -> Diagnostic {
    let origin = &endpoint.origin;
    let (what, things) = match service {
        "s3" => ("S3", "any bucket"),
        _ => ("DynamoDB", "any table"),
    };
    let message = match finding {
        Finding::NoPolicy => format!(
            "{what} endpoint {} has no endpoint policy, so AWS attaches the default one that allows every action on every resource: traffic through it reaches {things} in any AWS account",
            origin.address
        ),
        Finding::FullAccess => format!(
            "the endpoint policy of {what} endpoint {} allows every action on every resource to everyone: traffic through it reaches {things} in any AWS account",
            origin.address
        ),
    };
    // A policy set by a separate resource is shown there.
    let policy_resource = graph
        .endpoint_associations
        .values()
        .find(|a| a.endpoint.is(id) && matches!(a.kind, EndpointAssociationKind::Policy(_)));
    let span = match finding {
        Finding::FullAccess if policy_resource.is_none() => {
            origin.attr_any(&["policy", "PolicyDocument"])
        }
        _ => origin.span,
    };
    let label = match finding {
        Finding::NoPolicy => "no policy: the default allows full access",
        Finding::FullAccess => "allows every action on every resource to everyone",
    };
    let mut diagnostic = Diagnostic::new(span, message)
        .label(label)
        .help(help(graph, service));
    if let (Finding::FullAccess, Some(resource)) = (finding, policy_resource) {
        diagnostic = diagnostic.related(
            resource.origin.attr_any(&["policy", "PolicyDocument"]),
            format!("the policy of {} is set here", origin.address),
        );
    }
    diagnostic
}

fn help(graph: &VpcGraph, service: &str) -> String {
    let attribute = match graph.kind {
        StackKind::Terraform => "policy",
        StackKind::CloudFormation => "PolicyDocument",
    };
    if service != "s3" {
        return format!(
            "set a {attribute} that allows only the tables this VPC uses (their ARNs in Resource), or that requires aws:ResourceAccount to be your account ID"
        );
    }
    let buckets: Vec<String> = graph
        .buckets
        .values()
        .filter(|b| b.origin.is_certain())
        .map(|b| match graph.kind {
            StackKind::Terraform => format!("{a}.arn, \"${{{a}.arn}}/*\"", a = b.origin.address),
            StackKind::CloudFormation => format!(
                "!GetAtt {a}.Arn, !Sub \"${{{a}.Arn}}/*\"",
                a = b.origin.address
            ),
        })
        .take(SUGGESTED_BUCKETS)
        .collect();
    if buckets.is_empty() {
        format!(
            "set a {attribute} that allows only the buckets this VPC uses (their ARNs in Resource), or that requires aws:ResourceAccount to be your account ID"
        )
    } else {
        format!(
            "set a {attribute} that allows only the buckets this VPC uses (for this stack's buckets: Resource [{}]) or that requires aws:ResourceAccount to be your account ID",
            buckets.join(", ")
        )
    }
}
