use vpclint_graph::endpoints::is_interface;
use vpclint_graph::{Known, StackKind, Vpc};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// Private DNS is enabled but the VPC lacks DNS support or DNS hostnames.
    ///
    /// ## What it does
    /// Reports an `Interface` endpoint with private DNS enabled (`private_dns_enabled = true`,
    /// `PrivateDnsEnabled: true`) in a VPC of this configuration that does not have both DNS
    /// support and DNS hostnames enabled. Defaults count: Terraform's `enable_dns_support`
    /// and CloudFormation's `EnableDnsSupport` default to true, `enable_dns_hostnames` and
    /// `EnableDnsHostnames` to **false**. Unknown settings keep the rule silent.
    ///
    /// ## Why is this bad?
    /// Private DNS works through a private hosted zone that AWS associates with the VPC and
    /// answers through the Amazon-provided resolver. AWS requires both `enableDnsSupport` and
    /// `enableDnsHostnames` to be true to enable private DNS on an interface endpoint, so
    /// creating (or modifying) the endpoint fails at apply time.
    ///
    /// ## How to fix
    /// Enable both DNS attributes on the VPC (`enable_dns_support = true` and
    /// `enable_dns_hostnames = true`, CloudFormation `EnableDnsSupport: true` and
    /// `EnableDnsHostnames: true`), or turn private DNS off on the endpoint.
    ///
    /// ## References
    /// - [DNS attributes for your VPC](https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support)
    /// - [Private DNS for interface endpoints](https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns)
    pub InterfaceEndpointPrivateDnsNeedsVpcDns {
        id: "VPC403",
        name: "interface-endpoint-private-dns-needs-vpc-dns",
        severity: Error,
        category: InterfaceEndpoints,
    }
}

impl Rule for InterfaceEndpointPrivateDnsNeedsVpcDns {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let (support_attr, hostnames_attr, dns_attr) = match graph.kind {
            StackKind::Terraform => (
                "enable_dns_support",
                "enable_dns_hostnames",
                "private_dns_enabled",
            ),
            StackKind::CloudFormation => (
                "EnableDnsSupport",
                "EnableDnsHostnames",
                "PrivateDnsEnabled",
            ),
        };
        for endpoint in graph.endpoints.values() {
            if !is_interface(endpoint) || endpoint.private_dns_enabled != Some(Known::Known(true)) {
                continue;
            }
            let Some(vpc) = graph.vpc(&endpoint.vpc) else {
                continue;
            };
            if !vpc.origin.is_certain() {
                continue;
            }
            let off: Vec<(&str, bool)> = [
                (support_attr, &vpc.enable_dns_support),
                (hostnames_attr, &vpc.enable_dns_hostnames),
            ]
            .into_iter()
            .filter(|(_, v)| **v == Known::Known(false))
            .map(|(attr, _)| (attr, is_written(vpc, attr)))
            .collect();
            let Some(first) = off.first() else {
                continue;
            };
            let describe = |(attr, written): &(&str, bool)| {
                if *written {
                    format!("{attr} = false")
                } else {
                    format!("{attr} unset (defaults to false)")
                }
            };
            let what: Vec<String> = off.iter().map(describe).collect();
            let fix: Vec<String> = off
                .iter()
                .map(|(attr, _)| match graph.kind {
                    StackKind::Terraform => format!("{attr} = true"),
                    StackKind::CloudFormation => format!("{attr}: true"),
                })
                .collect();
            let disable = match graph.kind {
                StackKind::Terraform => "private_dns_enabled = false",
                StackKind::CloudFormation => "PrivateDnsEnabled: false",
            };
            let diagnostic = Diagnostic::new(
                endpoint
                    .origin
                    .attr_any(&["private_dns_enabled", "PrivateDnsEnabled"]),
                format!(
                    "interface endpoint {} enables private DNS, but its VPC {} has {}",
                    endpoint.origin.address,
                    vpc.origin.address,
                    what.join(" and ")
                ),
            )
            .label(format!(
                "{dns_attr} needs DNS support and DNS hostnames in the VPC"
            ))
            .related(
                vpc.origin.attr(first.0),
                if first.1 {
                    format!("{} turns it off here", first.0)
                } else {
                    format!(
                        "{} does not set {} (default false)",
                        vpc.origin.address, first.0
                    )
                },
            )
            .help(format!(
                "set {} on {}, or set {disable} on {}",
                fix.join(" and "),
                vpc.origin.address,
                endpoint.origin.address
            ));
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

fn is_written(vpc: &Vpc, attr: &str) -> bool {
    vpc.origin.attributes.contains_key(attr)
}
