use std::collections::BTreeMap;

use vpclint_graph::endpoints::{is_interface, Access, EndpointFacts, VpcCidrs};
use vpclint_graph::{EndpointId, SecurityGroupId, StackKind, VpcGraph, VpcId};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// No security group of an interface endpoint allows inbound HTTPS from its VPC.
    ///
    /// ## What it does
    /// For each `Interface` endpoint, reads the ingress rules of its security groups (inline
    /// `ingress` blocks, `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`,
    /// CloudFormation `SecurityGroupIngress` and `AWS::EC2::SecurityGroupIngress`) and reports
    /// the security group when no rule allows TCP port 443 (protocol `tcp`, `6`, `-1` or
    /// `all`, a port range containing 443) from any address of the endpoint's VPC CIDR
    /// blocks. Endpoints that share the same security groups are reported once.
    ///
    /// The rule stays silent when it cannot know: a rule that references another security
    /// group or a prefix list (the clients behind it are not known), an unknown CIDR, port or
    /// protocol, a rule that might not exist or might belong to the group, a security group
    /// not declared in the configuration, or an unknown VPC CIDR.
    ///
    /// ## Why is this bad?
    /// AWS services behind interface endpoints are reached over HTTPS. The endpoint's network
    /// interfaces only accept what their security groups allow, so without an inbound 443
    /// rule every call from the VPC times out — SDKs hang on connect, and with private DNS on,
    /// the service becomes unreachable for the whole VPC.
    ///
    /// ## How to fix
    /// Add an ingress rule for TCP 443 from the VPC's CIDR block (or from the security groups
    /// of the clients) to the endpoint's security group.
    ///
    /// ## References
    /// - [Control access to VPC endpoints using security groups](https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html#create-interface-endpoint-aws)
    /// - [Security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    pub InterfaceEndpointHttpsBlocked {
        id: "VPC406",
        name: "interface-endpoint-https-blocked",
        severity: Warning,
        category: InterfaceEndpoints,
    }
}

impl Rule for InterfaceEndpointHttpsBlocked {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let facts = EndpointFacts::new(graph);
        // (VPC, security groups) → the endpoints that use exactly those groups and are blocked.
        let mut blocked: BTreeMap<(VpcId, Vec<SecurityGroupId>), Vec<EndpointId>> = BTreeMap::new();
        for (id, endpoint) in graph.endpoints.iter() {
            if !is_interface(endpoint) || !endpoint.origin.is_certain() {
                continue;
            }
            let Some(vpc_id) = endpoint.vpc.node() else {
                continue;
            };
            let Some(groups) = facts.known_security_groups(id) else {
                continue;
            };
            let cidrs = VpcCidrs::of(&graph.vpcs[vpc_id]);
            if cidrs.known.is_empty() {
                continue;
            }
            if facts.groups_allow_tcp_from(&groups, 443, &cidrs) == Access::Blocked {
                blocked.entry((vpc_id, groups)).or_default().push(id);
            }
        }
        for ((vpc, groups), endpoints) in blocked {
            let Some(&anchor_sg) = groups.first() else {
                continue;
            };
            let anchor = &graph.security_groups[anchor_sg].origin;
            let diagnostic = build(graph, vpc, anchor_sg, &groups, &endpoints);
            ctx.report(anchor, diagnostic);
        }
    }
}

fn build(
    graph: &VpcGraph,
    vpc: VpcId,
    anchor: SecurityGroupId,
    groups: &[SecurityGroupId],
    endpoints: &[EndpointId],
) -> Diagnostic {
    let vpc_node = &graph.vpcs[vpc];
    let cidrs = VpcCidrs::of(vpc_node);
    let sg_names: Vec<&str> = groups
        .iter()
        .map(|g| graph.security_groups[*g].origin.address.as_str())
        .collect();
    let ep_names: Vec<&str> = endpoints
        .iter()
        .map(|e| graph.endpoints[*e].origin.address.as_str())
        .collect();
    let who = match sg_names.as_slice() {
        [only] => format!("security group {only} allows no"),
        many => format!("none of the security groups {} allows", many.join(", ")),
    };
    let users = match ep_names.as_slice() {
        [only] => format!("interface endpoint {only}"),
        many => format!("interface endpoints {}", many.join(", ")),
    };
    let message = format!(
        "{who} inbound TCP 443 from {} ({}), so clients in the VPC cannot reach {users}",
        vpc_node.origin.address,
        cidrs.describe()
    );
    let first = cidrs.first();
    let v6 = matches!(first, Some(ipnet::IpNet::V6(_)));
    let source = first
        .map(|c| c.to_string())
        .unwrap_or_else(|| "the VPC's CIDR".to_owned());
    let (tf_list, tf_single, cfn_key) = if v6 {
        ("ipv6_cidr_blocks", "cidr_ipv6", "CidrIpv6")
    } else {
        ("cidr_blocks", "cidr_ipv4", "CidrIp")
    };
    let target = &graph.security_groups[anchor].origin.address;
    let help = match graph.kind {
        StackKind::Terraform => format!(
            "add an ingress rule to {target}: protocol = \"tcp\", from_port = 443, to_port = 443, \
             {tf_list} = [\"{source}\"] (or an aws_vpc_security_group_ingress_rule with {tf_single} = \"{source}\")"
        ),
        StackKind::CloudFormation => format!(
            "add to SecurityGroupIngress of {target}: {{IpProtocol: tcp, FromPort: 443, ToPort: 443, {cfn_key}: {source}}}"
        ),
    };
    let mut diagnostic = Diagnostic::new(graph.security_groups[anchor].origin.span, message)
        .label("no ingress rule here admits HTTPS from the VPC")
        .help(help);
    for g in groups.iter().skip(1) {
        diagnostic = diagnostic.related(
            graph.security_groups[*g].origin.span,
            "no ingress rule here admits HTTPS from the VPC either",
        );
    }
    // Instances of one `count` / `for_each` block share their spans: one label per place.
    let what = if groups.len() == 1 {
        "this security group"
    } else {
        "these security groups"
    };
    let mut places: Vec<(vpclint_graph::Span, Vec<&str>)> = Vec::new();
    for e in endpoints {
        let ep = &graph.endpoints[*e];
        let span = ep
            .origin
            .attr_any(&["security_group_ids", "SecurityGroupIds"]);
        match places.iter_mut().find(|(s, _)| *s == span) {
            Some((_, names)) => names.push(&ep.origin.address),
            None => places.push((span, vec![&ep.origin.address])),
        }
    }
    for (span, names) in places {
        let label = match names.as_slice() {
            [only] => format!("{only} uses {what}"),
            many => format!("{} use {what}", many.join(", ")),
        };
        diagnostic = diagnostic.related(span, label);
    }
    diagnostic
}
