use vpclint_graph::policy::{is_gateway, parse_service_name, GATEWAY_SERVICES};
use vpclint_graph::{StackKind, VpcEndpoint, STACK_REGION};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A Gateway endpoint names a service other than S3 or DynamoDB.
    ///
    /// ## What it does
    /// Reports a VPC endpoint of type `Gateway` whose service name is known and names a
    /// service that has no gateway endpoints: anything but `com.amazonaws.<region>.s3`,
    /// `com.amazonaws.<region>.dynamodb` (and `com.amazonaws.<region>.s3express`, the
    /// S3 Express One Zone gateway endpoint), including PrivateLink endpoint services
    /// (`com.amazonaws.vpce.<region>.vpce-svc-…`).
    ///
    /// The endpoint type defaults to `Gateway` in both Terraform (`vpc_endpoint_type`) and
    /// CloudFormation (`VpcEndpointType`), so the usual cause is an interface endpoint
    /// (`ec2`, `ssm`, `ecr.api`, `sts`, …) declared without its type. Service names vpclint
    /// cannot know (a variable without a value, a data source) are not checked.
    ///
    /// ## Why is this bad?
    /// Only S3 and DynamoDB are reachable through gateway endpoints. AWS rejects the
    /// endpoint when the configuration is applied, and everything that depends on it
    /// fails with it.
    ///
    /// ## How to fix
    /// Declare the endpoint as an interface endpoint: `vpc_endpoint_type = "Interface"`
    /// (CloudFormation `VpcEndpointType: Interface`) with the subnets (`subnet_ids` /
    /// `SubnetIds`) and security groups (`security_group_ids` / `SecurityGroupIds`) its
    /// network interfaces use, and usually `private_dns_enabled = true`. Or, if S3 or
    /// DynamoDB was meant, correct the service name.
    ///
    /// ## References
    /// - [Gateway endpoints](https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html)
    /// - [Access an AWS service using an interface VPC endpoint](https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html)
    /// - [AWS services that integrate with AWS PrivateLink](https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html)
    pub GatewayEndpointUnsupportedService {
        id: "VPC302",
        name: "gateway-endpoint-unsupported-service",
        severity: Error,
        category: GatewayEndpoints,
    }
}

impl Rule for GatewayEndpointUnsupportedService {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for endpoint in graph.endpoints.values() {
            if is_gateway(endpoint) != Some(true) {
                continue;
            }
            let Some(name) = endpoint.service_name.known() else {
                continue;
            };
            let Some(service) = unsupported_service(name) else {
                continue;
            };
            let diagnostic = diagnostic(graph.kind, endpoint, name, service);
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

/// The service a known gateway service name names, when it has no gateway endpoints.
/// Names of a form vpclint does not recognize are left alone.
fn unsupported_service(name: &str) -> Option<&str> {
    // Placeholders other than the stack's region are unresolved parts.
    if name.replace(STACK_REGION, "").contains("${") {
        return None;
    }
    if let Some(parsed) = parse_service_name(name) {
        return (!GATEWAY_SERVICES.contains(&parsed.service)).then_some(parsed.service);
    }
    // A PrivateLink endpoint service (`com.amazonaws.vpce.<region>.vpce-svc-…`).
    name.starts_with("com.amazonaws.vpce.")
        .then(|| name.rsplit('.').next().unwrap_or(name))
}

fn diagnostic(kind: StackKind, endpoint: &VpcEndpoint, name: &str, service: &str) -> Diagnostic {
    let origin = &endpoint.origin;
    let (type_attr, subnets, groups, dns) = match kind {
        StackKind::Terraform => (
            "vpc_endpoint_type",
            "subnet_ids",
            "security_group_ids",
            "private_dns_enabled = true",
        ),
        StackKind::CloudFormation => (
            "VpcEndpointType",
            "SubnetIds",
            "SecurityGroupIds",
            "PrivateDnsEnabled: true",
        ),
    };
    let type_span = origin.attributes.get(type_attr).copied();
    let set_type = match kind {
        StackKind::Terraform => "vpc_endpoint_type = \"Interface\"",
        StackKind::CloudFormation => "VpcEndpointType: Interface",
    };
    let help = if type_span.is_some() {
        format!(
            "`{service}` is reached through an interface endpoint: set {set_type} on {} and give it {subnets} and {groups} (usually with {dns})",
            origin.address
        )
    } else {
        format!(
            "{type_attr} defaults to \"Gateway\": set {set_type} on {} and give it {subnets} and {groups} (usually with {dns}) to reach `{service}` through an interface endpoint",
            origin.address
        )
    };
    let mut diagnostic = Diagnostic::new(
        origin.attr_any(&["service_name", "ServiceName"]),
        format!(
            "gateway endpoint {} is for {name}, but `{service}` has no gateway endpoints; only S3 and DynamoDB do",
            origin.address
        ),
    )
    .label(format!("`{service}` is not offered as a Gateway endpoint"))
    .help(help);
    if let Some(span) = type_span {
        diagnostic =
            diagnostic.related(span, "the endpoint is declared as a Gateway endpoint here");
    }
    diagnostic
}
