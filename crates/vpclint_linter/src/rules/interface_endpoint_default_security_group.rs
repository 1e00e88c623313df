use vpclint_graph::endpoints::{is_interface, EndpointFacts, VpcCidrs};
use vpclint_graph::StackKind;

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// An interface endpoint has no security group, so the VPC's default security group applies.
    ///
    /// ## What it does
    /// Reports an `Interface` endpoint that lists no security group (`security_group_ids` /
    /// `SecurityGroupIds`) and has none attached with
    /// `aws_vpc_endpoint_security_group_association`. The rule is silent when the list is
    /// unknown or an association might attach a group to it.
    ///
    /// ## Why is this bad?
    /// Without a security group, AWS attaches the VPC's default security group to the
    /// endpoint's network interfaces. Its rules are usually either too open (everything in
    /// the group, or anything a later change added for another purpose) or too closed (by
    /// default it only admits members of the same group, so clients in the VPC cannot reach
    /// the endpoint on HTTPS). Either way the endpoint's access is decided by a group nobody
    /// reviews for it.
    ///
    /// ## How to fix
    /// Create a dedicated security group that allows inbound TCP 443 from the VPC (or from the
    /// clients that need the service) and attach it with `security_group_ids` /
    /// `SecurityGroupIds`.
    ///
    /// ## References
    /// - [Control access to VPC endpoints using security groups](https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html#create-interface-endpoint-aws)
    /// - [Default security group for your VPC](https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html)
    pub InterfaceEndpointDefaultSecurityGroup {
        id: "VPC402",
        name: "interface-endpoint-default-security-group",
        severity: Warning,
        category: InterfaceEndpoints,
    }
}

impl Rule for InterfaceEndpointDefaultSecurityGroup {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let facts = EndpointFacts::new(graph);
        for (id, endpoint) in graph.endpoints.iter() {
            if !is_interface(endpoint) || !facts.certainly_no_security_groups(id) {
                continue;
            }
            let vpc = graph.vpc(&endpoint.vpc);
            let vpc_name = vpc
                .map(|v| v.origin.address.clone())
                .unwrap_or_else(|| "its VPC".to_owned());
            let source = vpc
                .and_then(|v| VpcCidrs::of(v).first())
                .map(|c| c.to_string())
                .unwrap_or_else(|| "the VPC's CIDR".to_owned());
            let help = match graph.kind {
                StackKind::Terraform => format!(
                    "create a security group for the endpoint (e.g. aws_security_group.vpc_endpoints) that allows \
                     TCP 443 from {source}, and set security_group_ids = [aws_security_group.vpc_endpoints.id] on {}",
                    endpoint.origin.address
                ),
                StackKind::CloudFormation => format!(
                    "create an AWS::EC2::SecurityGroup for the endpoint (e.g. EndpointSecurityGroup) that allows \
                     TCP 443 from {source}, and set SecurityGroupIds: [!Ref EndpointSecurityGroup] on {}",
                    endpoint.origin.address
                ),
            };
            let diagnostic = Diagnostic::new(
                endpoint
                    .origin
                    .attr_any(&["security_group_ids", "SecurityGroupIds"]),
                format!(
                    "interface endpoint {} has no security group, so the default security group of {vpc_name} \
                     applies to its network interfaces",
                    endpoint.origin.address
                ),
            )
            .label("no security group is attached to this endpoint")
            .help(help);
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}
