use vpclint_graph::policy::is_gateway;
use vpclint_graph::{Link, Origin, StackKind, Vpc, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A gateway endpoint is associated with a route table of another VPC.
    ///
    /// ## What it does
    /// For every route table a `Gateway` VPC endpoint is associated with — through
    /// `route_table_ids` / `RouteTableIds` or an `aws_vpc_endpoint_route_table_association`
    /// — compares the route table's VPC with the endpoint's VPC and reports the association
    /// when they are known to differ (two VPCs of the configuration, or two different
    /// literal VPC IDs).
    ///
    /// Route tables or VPCs that are not known before deployment, or that are outside the
    /// configuration (a literal `rtb-…`), are not checked.
    ///
    /// ## Why is this bad?
    /// A gateway endpoint serves only the VPC it is created in; AWS refuses to associate it
    /// with a route table of another VPC, so the apply fails. It usually means the endpoint
    /// was meant for the other VPC too — which needs an endpoint of its own.
    ///
    /// ## How to fix
    /// Associate the endpoint only with route tables of its own VPC. To give the other VPC
    /// private access to the service, create a gateway endpoint in that VPC and associate
    /// it with that VPC's route tables.
    ///
    /// ## References
    /// - [Gateway endpoints: considerations](https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-considerations)
    /// - [Gateway endpoints: routing](https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing)
    pub GatewayEndpointForeignRouteTable {
        id: "VPC305",
        name: "gateway-endpoint-foreign-route-table",
        severity: Error,
        category: GatewayEndpoints,
    }
}

impl Rule for GatewayEndpointForeignRouteTable {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for endpoint in graph.endpoints.values() {
            if is_gateway(endpoint) != Some(true) || endpoint.route_tables.is_empty() {
                continue;
            }
            for linked in &endpoint.route_tables {
                let Some(table) = linked.link.node().and_then(|t| graph.route_tables.get(t)) else {
                    continue;
                };
                if !table.origin.is_certain() || !different_vpcs(&endpoint.vpc, &table.vpc) {
                    continue;
                }
                // Standalone associations are reported on the association resource itself.
                let anchor: &Origin = linked
                    .via
                    .as_deref()
                    .and_then(|address| association_origin(graph, address))
                    .unwrap_or(&endpoint.origin);
                let endpoint_vpc = vpc_name(graph, &endpoint.vpc);
                let table_vpc = vpc_name(graph, &table.vpc);
                let service = endpoint
                    .service_name
                    .known()
                    .map_or_else(|| "the service".to_owned(), Clone::clone);
                let fix_vpc = match (graph.kind, &table.vpc) {
                    (StackKind::Terraform, Link::Node(_)) => {
                        format!("vpc_id = {table_vpc}.id")
                    }
                    (StackKind::CloudFormation, Link::Node(_)) => {
                        format!("VpcId: !Ref {table_vpc}")
                    }
                    _ => format!("in {table_vpc}"),
                };
                let diagnostic = Diagnostic::new(
                    linked.span,
                    format!(
                        "gateway endpoint {} of {endpoint_vpc} is associated with route table {} of another VPC, {table_vpc}",
                        endpoint.origin.address, table.origin.address
                    ),
                )
                .label(format!("{} belongs to {table_vpc}", table.origin.address))
                .help(format!(
                    "associate {} only with route tables of {endpoint_vpc}; for {table_vpc}, create its own gateway endpoint for {service} ({fix_vpc}) and associate {} with that one",
                    endpoint.origin.address, table.origin.address
                ))
                .related(
                    endpoint.origin.attr_any(&["vpc_id", "VpcId"]),
                    format!("the endpoint is in {endpoint_vpc}"),
                )
                .related(
                    table.origin.attr_any(&["vpc_id", "VpcId"]),
                    format!("the route table is in {table_vpc}"),
                );
                ctx.report(anchor, diagnostic);
            }
        }
    }
}

/// Whether two VPC links certainly name different VPCs: two VPCs of the graph, or two
/// different literal IDs. A literal ID and a VPC of the graph might be the same VPC.
fn different_vpcs(a: &Link<Vpc>, b: &Link<Vpc>) -> bool {
    match (a, b) {
        (Link::Node(a), Link::Node(b)) => a != b,
        (Link::External(a), Link::External(b)) => a != b,
        _ => false,
    }
}

fn vpc_name(graph: &VpcGraph, link: &Link<Vpc>) -> String {
    match link {
        Link::Node(_) => graph
            .vpc(link)
            .map_or_else(String::new, |v| v.origin.address.clone()),
        Link::External(id) => id.clone(),
        _ => "an unknown VPC".to_owned(),
    }
}

/// The origin of the endpoint association resource with this address.
fn association_origin<'g>(graph: &'g VpcGraph, address: &str) -> Option<&'g Origin> {
    graph
        .endpoint_associations
        .values()
        .map(|a| &a.origin)
        .find(|o| o.address == address)
}
