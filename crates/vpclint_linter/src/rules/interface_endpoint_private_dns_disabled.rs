use std::collections::HashSet;

use vpclint_graph::endpoints::{is_interface, private_dns};
use vpclint_graph::{Known, Link, StackKind, VpcEndpoint, VpcGraph, VpcId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// An interface endpoint has private DNS turned off.
    ///
    /// ## What it does
    /// Reports an `Interface` endpoint for an AWS service whose private DNS is off —
    /// `private_dns_enabled = false` / `PrivateDnsEnabled: false`, or not set, since both
    /// Terraform and CloudFormation default it to false. Not reported: endpoint services of
    /// other accounts (`com.amazonaws.vpce.…`), which often have no private DNS name, and an
    /// endpoint whose service already has private DNS through another endpoint in the same
    /// VPC. Unknown settings keep the rule silent.
    ///
    /// This is an `info` rule: it runs only when selected (`--select VPC407`).
    ///
    /// ## Why is this bad?
    /// Without private DNS, the service's regional name (`ssm.us-east-1.amazonaws.com`) keeps
    /// resolving to public addresses. SDKs and tools use that name, so their traffic keeps
    /// leaving through the NAT or internet gateway — the endpoint is paid for but unused —
    /// unless every application is configured with the endpoint-specific DNS name.
    ///
    /// ## How to fix
    /// Set `private_dns_enabled = true` / `PrivateDnsEnabled: true` (the VPC needs DNS support
    /// and DNS hostnames enabled), or configure the applications to use the endpoint's
    /// DNS names.
    ///
    /// ## References
    /// - [Private DNS for interface endpoints](https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns)
    /// - [DNS hostnames of interface endpoints](https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#access-service-through-endpoint)
    pub InterfaceEndpointPrivateDnsDisabled {
        id: "VPC407",
        name: "interface-endpoint-private-dns-disabled",
        severity: Info,
        category: InterfaceEndpoints,
    }
}

impl Rule for InterfaceEndpointPrivateDnsDisabled {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        // (VPC, service) pairs that already get private DNS from some endpoint (maybe one).
        let with_private_dns: HashSet<(VpcId, &str)> = graph
            .endpoints
            .values()
            .filter(|e| is_interface(e) && private_dns(e) != Some(false))
            .filter_map(|e| Some((e.vpc.node()?, e.service_name.known()?.as_str())))
            .collect();
        let enable = match graph.kind {
            StackKind::Terraform => "private_dns_enabled = true",
            StackKind::CloudFormation => "PrivateDnsEnabled: true",
        };
        for endpoint in graph.endpoints.values() {
            if !is_interface(endpoint) || private_dns(endpoint) != Some(false) {
                continue;
            }
            let Some(service) = endpoint.service_name.known() else {
                continue;
            };
            if service.starts_with("com.amazonaws.vpce.") || !service.starts_with("com.amazonaws.")
            {
                continue;
            }
            if let Link::Node(vpc) = endpoint.vpc {
                if with_private_dns.contains(&(vpc, service.as_str())) {
                    continue;
                }
            }
            let how = if endpoint.private_dns_enabled.is_some() {
                "private DNS is disabled"
            } else {
                "private DNS is not enabled (it defaults to false)"
            };
            let public = public_name(service)
                .map(|n| format!("{n} still resolves to public addresses"))
                .unwrap_or_else(|| {
                    "the service's public name still resolves to public addresses".to_owned()
                });
            let diagnostic = Diagnostic::new(
                endpoint.origin.attr_any(&["private_dns_enabled", "PrivateDnsEnabled"]),
                format!(
                    "{how} on interface endpoint {} ({service}): {public}, so clients keep using the public path",
                    endpoint.origin.address
                ),
            )
            .label("only the endpoint-specific DNS names reach this endpoint")
            .help(help(graph, endpoint, enable));
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

fn help(graph: &VpcGraph, endpoint: &VpcEndpoint, enable: &str) -> String {
    let mut fix = format!("set {enable} on {}", endpoint.origin.address);
    if let Some(vpc) = graph.vpc(&endpoint.vpc) {
        let (support, hostnames, sep) = match graph.kind {
            StackKind::Terraform => ("enable_dns_support", "enable_dns_hostnames", " = "),
            StackKind::CloudFormation => ("EnableDnsSupport", "EnableDnsHostnames", ": "),
        };
        let missing: Vec<String> = [
            (support, &vpc.enable_dns_support),
            (hostnames, &vpc.enable_dns_hostnames),
        ]
        .into_iter()
        .filter(|(_, v)| **v == Known::Known(false))
        .map(|(attr, _)| format!("{attr}{sep}true"))
        .collect();
        if !missing.is_empty() {
            fix.push_str(&format!(
                " and {} on {} (required for private DNS)",
                missing.join(" and "),
                vpc.origin.address
            ));
        }
    }
    fix.push_str(", or configure clients with the endpoint-specific DNS name");
    fix
}

/// `com.amazonaws.us-east-1.ssm` → `ssm.us-east-1.amazonaws.com`, for single-label service
/// names in a literal region (multi-label names such as `ecr.dkr` do not map one to one).
fn public_name(service: &str) -> Option<String> {
    let rest = service.strip_prefix("com.amazonaws.")?;
    let (region, name) = rest.split_once('.')?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !plain(region) || !plain(name) {
        return None;
    }
    Some(format!("{name}.{region}.amazonaws.com"))
}
