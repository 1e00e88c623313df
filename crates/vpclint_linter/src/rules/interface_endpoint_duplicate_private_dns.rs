use std::collections::HashMap;

use vpclint_graph::endpoints::is_interface;
use vpclint_graph::{EndpointId, Known, Link, StackKind, VpcGraph, VpcId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// Two interface endpoints for the same service in one VPC both enable private DNS.
    ///
    /// ## What it does
    /// Groups the `Interface` endpoints that certainly exist and have private DNS enabled
    /// (`private_dns_enabled = true`, `PrivateDnsEnabled: true`) by VPC and service name, and
    /// reports every endpoint after the first of a group. Endpoints built with `count` or
    /// `for_each` count one per instance. Unknown service names or VPCs keep the rule silent.
    ///
    /// ## Why is this bad?
    /// Private DNS makes the service's public name (`ssm.us-east-1.amazonaws.com`) resolve to
    /// the endpoint inside the VPC through a private hosted zone. A VPC can hold only one such
    /// zone per service, so AWS rejects the second endpoint ("private-dns-enabled cannot be
    /// set because there is already a conflicting DNS domain") and the apply fails.
    ///
    /// ## How to fix
    /// Keep one endpoint per service and VPC and give it a subnet in every Availability Zone
    /// you need, or disable private DNS on the additional endpoint and address it by its
    /// endpoint-specific DNS name.
    ///
    /// ## References
    /// - [Private DNS for interface endpoints](https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns)
    /// - [Create an interface endpoint](https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html)
    pub InterfaceEndpointDuplicatePrivateDns {
        id: "VPC404",
        name: "interface-endpoint-duplicate-private-dns",
        severity: Error,
        category: InterfaceEndpoints,
    }
}

/// A VPC that is certainly the same for two endpoints: a node, or the same literal ID.
#[derive(PartialEq, Eq, Hash)]
enum VpcKey<'g> {
    Node(VpcId),
    External(&'g str),
}

impl Rule for InterfaceEndpointDuplicatePrivateDns {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let mut first_of: HashMap<(VpcKey<'_>, &str), EndpointId> = HashMap::new();
        for (id, endpoint) in graph.endpoints.iter() {
            if !is_interface(endpoint)
                || !endpoint.origin.is_certain()
                || endpoint.private_dns_enabled != Some(Known::Known(true))
            {
                continue;
            }
            let Some(service) = endpoint.service_name.known() else {
                continue;
            };
            let vpc = match &endpoint.vpc {
                Link::Node(vpc) => VpcKey::Node(*vpc),
                Link::External(vpc) => VpcKey::External(vpc),
                _ => continue,
            };
            match first_of.entry((vpc, service.as_str())) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(id);
                }
                std::collections::hash_map::Entry::Occupied(first) => {
                    let diagnostic = duplicate(graph, *first.get(), id, service);
                    ctx.report(&endpoint.origin, diagnostic);
                }
            }
        }
    }
}

fn duplicate(graph: &VpcGraph, first: EndpointId, second: EndpointId, service: &str) -> Diagnostic {
    let a = &graph.endpoints[first];
    let b = &graph.endpoints[second];
    let vpc = match &b.vpc {
        Link::Node(v) => graph.vpcs[*v].origin.address.clone(),
        Link::External(v) => v.clone(),
        _ => "the VPC".to_owned(),
    };
    let disable = match graph.kind {
        StackKind::Terraform => "private_dns_enabled = false",
        StackKind::CloudFormation => "PrivateDnsEnabled: false",
    };
    let dns = ["private_dns_enabled", "PrivateDnsEnabled"];
    Diagnostic::new(
        b.origin.span,
        format!(
            "interface endpoint {} enables private DNS for {service} in {vpc}, but {} already does",
            b.origin.address, a.origin.address
        ),
    )
    .label(format!(
        "second endpoint for {service} with private DNS in {vpc}"
    ))
    .related(
        a.origin.attr_any(&dns),
        format!("{} already enables private DNS for {service}", a.origin.address),
    )
    .help(if a.origin.span == b.origin.span {
        // Instances of one `count` / `for_each` block.
        format!(
            "declare a single endpoint for {service} in {vpc} and list all the subnets in its subnet_ids \
             instead of one endpoint per instance, or enable private DNS on one instance only"
        )
    } else {
        format!(
            "remove {} and add its subnets to {} (one endpoint per service and VPC), or set {disable} on {}",
            b.origin.address, a.origin.address, b.origin.address
        )
    })
}
