use vpclint_graph::policy::{is_region, service_name_region};
use vpclint_graph::{same_region, Known, Span, StackKind, VpcEndpoint, VpcGraph, STACK_REGION};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// An endpoint's service name names a region other than its VPC's.
    ///
    /// ## What it does
    /// Compares the region written in a VPC endpoint's service name
    /// (`com.amazonaws.us-east-1.s3`, `com.amazonaws.vpce.us-east-1.vpce-svc-…`) with the
    /// region the endpoint and its VPC are created in: in Terraform, the region of the
    /// provider configuration the resource uses (`provider = aws.replica` included); in
    /// CloudFormation, the stack's region.
    ///
    /// When that region is not written anywhere (a CloudFormation stack linted without
    /// `--region`, a provider whose region comes from the environment), the VPC's region is
    /// still known when its subnets name literal Availability Zones (`eu-west-1a`): a VPC's
    /// subnets are in the VPC's region.
    ///
    /// Interface endpoints that connect across regions on purpose (`service_region` /
    /// `ServiceRegion` set) are not checked.
    ///
    /// The rule reports only when both regions are known and differ. A CloudFormation
    /// service name built from `${AWS::Region}` (`!Sub com.amazonaws.${AWS::Region}.s3`) is
    /// always the stack's own region and is never reported.
    ///
    /// ## Why is this bad?
    /// VPC endpoints are regional: an endpoint connects a VPC to a service in the VPC's own
    /// region. AWS rejects an endpoint whose service is in another region (cross-region
    /// access to a PrivateLink service needs the service to be shared into the VPC's region),
    /// so the apply fails — typically after a region move or a copy-pasted module.
    ///
    /// ## How to fix
    /// Build the service name from the region the endpoint is created in instead of writing
    /// it: Terraform `"com.amazonaws.${data.aws_region.current.name}.s3"` with the data
    /// source read through the same provider as the endpoint; CloudFormation
    /// `!Sub com.amazonaws.${AWS::Region}.s3`. Or create the endpoint with the provider of
    /// the region the service name names.
    ///
    /// ## References
    /// - [Gateway endpoints: considerations (endpoints are supported within the same Region only)](https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-considerations)
    /// - [Interface endpoint service names](https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html)
    /// - [Terraform: selecting a provider configuration (`provider` meta-argument)](https://developer.hashicorp.com/terraform/language/meta-arguments/resource-provider)
    pub EndpointRegionMismatch {
        id: "VPC303",
        name: "endpoint-region-mismatch",
        severity: Error,
        category: GatewayEndpoints,
    }
}

impl Rule for EndpointRegionMismatch {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for endpoint in graph.endpoints.values() {
            let Some(name) = endpoint.service_name.known() else {
                continue;
            };
            // A cross-region interface endpoint names its service's region on purpose.
            if endpoint.service_region.is_some()
                || endpoint.origin.attributes.contains_key("service_region")
                || endpoint.origin.attributes.contains_key("ServiceRegion")
            {
                continue;
            }
            let Some(named) = service_name_region(name) else {
                continue;
            };
            let Some(region) = endpoint_region(graph, endpoint) else {
                continue;
            };
            if same_region(named, region.name) != Some(false) {
                continue;
            }
            let diagnostic = diagnostic(graph.kind, endpoint, name, named, &region);
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

/// Where the endpoint is, and how vpclint knows.
struct Region<'g> {
    name: &'g str,
    /// Known from a subnet of the endpoint's VPC in a literal Availability Zone: (subnet, AZ, span).
    from_subnet: Option<(&'g str, &'g str, Span)>,
}

/// The region the endpoint is created in: its own (the provider's / `--region`), else its
/// VPC's; when neither is a literal region, the region every subnet of its VPC with a
/// literal Availability Zone (`eu-west-1a`) lies in — a VPC's subnets are in its region.
fn endpoint_region<'g>(graph: &'g VpcGraph, endpoint: &'g VpcEndpoint) -> Option<Region<'g>> {
    let vpc = graph.vpc(&endpoint.vpc);
    let declared = endpoint
        .region
        .known()
        .or_else(|| vpc.and_then(|v| v.region.known()))
        .map(String::as_str);
    if let Some(name) = declared.filter(|r| !r.contains(STACK_REGION)) {
        return Some(Region {
            name,
            from_subnet: None,
        });
    }
    let vpc = vpc.filter(|v| v.origin.is_certain() && !v.subnets.is_empty())?;
    let mut found: Option<(&str, &str, Span)> = None;
    for subnet in vpc.subnets.iter().filter_map(|id| graph.subnets.get(*id)) {
        let Some(Known::Known(az)) = &subnet.availability_zone else {
            continue;
        };
        if !subnet.origin.is_certain() {
            continue;
        }
        let Some(region) = region_of_zone(az) else {
            continue;
        };
        match found {
            None => {
                found = Some((
                    subnet.origin.address.as_str(),
                    az.as_str(),
                    subnet
                        .origin
                        .attr_any(&["availability_zone", "AvailabilityZone"]),
                ))
            }
            // Subnets in two regions: the configuration is broken elsewhere; say nothing here.
            Some((_, other, _)) if region_of_zone(other) != Some(region) => return None,
            Some(_) => {}
        }
    }
    let (subnet, az, span) = found?;
    Some(Region {
        name: region_of_zone(az)?,
        from_subnet: Some((subnet, az, span)),
    })
}

/// The region of an Availability Zone name (`eu-west-1a` → `eu-west-1`); `None` for zone
/// IDs (`use1-az1`), Local and Wavelength Zones, and anything else.
fn region_of_zone(zone: &str) -> Option<&str> {
    let region = zone.strip_suffix(|c: char| c.is_ascii_lowercase())?;
    is_region(region).then_some(region)
}

fn diagnostic(
    kind: StackKind,
    endpoint: &VpcEndpoint,
    name: &str,
    named: &str,
    at: &Region<'_>,
) -> Diagnostic {
    let origin = &endpoint.origin;
    let region = at.name;
    let corrected = name.replacen(named, region, 1);
    let provider = origin.attributes.get("provider").copied();
    let (created, help) = match (kind, at.from_subnet) {
        (_, Some((subnet, az, _))) => (
            format!("its VPC is in {region} (its subnet {subnet} is in {az})"),
            format!(
                "use {corrected}; build it from the region the endpoint is created in rather than writing it ({})",
                match kind {
                    StackKind::Terraform => format!(
                        "\"{}\"",
                        name.replacen(named, "${data.aws_region.current.name}", 1)
                    ),
                    StackKind::CloudFormation =>
                        format!("!Sub {}", name.replacen(named, STACK_REGION, 1)),
                }
            ),
        ),
        (StackKind::Terraform, None) => (
            format!("is created in {region} (the region of its provider configuration)"),
            format!(
                "use {corrected}, or build it from the endpoint's own region: \"{}\" with `data \"aws_region\"` read through the same provider; to use {name}, create the endpoint with a provider configuration for {named}",
                name.replacen(named, "${data.aws_region.current.name}", 1)
            ),
        ),
        (StackKind::CloudFormation, None) => (
            format!("is created in {region} (the stack's region)"),
            format!(
                "build the name from the stack's region: !Sub {}",
                name.replacen(named, STACK_REGION, 1)
            ),
        ),
    };
    let mut diagnostic = Diagnostic::new(
        origin.attr_any(&["service_name", "ServiceName"]),
        format!(
            "endpoint {} is for {name}, a service in {named}, but {created}; endpoints connect only to services of their own region",
            origin.address
        ),
    )
    .label(format!("names region {named}, not {region}"))
    .help(help);
    if let Some(span) = provider {
        diagnostic =
            diagnostic.related(span, format!("this provider configuration is in {region}"));
    }
    if let Some((_, az, span)) = at.from_subnet {
        diagnostic = diagnostic.related(span, format!("{az} is in {region}"));
    }
    diagnostic
}
