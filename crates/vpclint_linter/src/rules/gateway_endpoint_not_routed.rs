use vpclint_graph::policy::{has_route_tables, is_gateway};
use vpclint_graph::{StackKind, VpcEndpoint, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A gateway endpoint is associated with no route table.
    ///
    /// ## What it does
    /// Reports a `Gateway` VPC endpoint (S3, DynamoDB) that no route table is associated
    /// with: its `route_table_ids` / `RouteTableIds` is absent or empty, and no
    /// `aws_vpc_endpoint_route_table_association` names it.
    ///
    /// When the list of route tables, or the endpoint of some association resource, is not
    /// known before deployment (a module output, a data source), the rule stays silent.
    ///
    /// ## Why is this bad?
    /// A gateway endpoint carries traffic only for the route tables it is associated with:
    /// AWS adds a route to the service's prefix list to each of them. Without one, no subnet
    /// uses the endpoint; traffic to S3 or DynamoDB keeps going through the NAT gateway (and
    /// its data processing charges) or the internet gateway, and private subnets without
    /// either cannot reach the service at all. Bucket policies that require the endpoint
    /// (`aws:SourceVpce`) then deny every request.
    ///
    /// ## How to fix
    /// Associate the endpoint with the route tables of the subnets that use the service —
    /// usually every private route table, and the main route table
    /// (`aws_vpc.main.default_route_table_id`) when subnets use it: `route_table_ids =
    /// [...]` / `RouteTableIds: [...]`, or one `aws_vpc_endpoint_route_table_association`
    /// per table.
    ///
    /// ## References
    /// - [Gateway endpoints: routing](https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing)
    /// - [Gateway endpoints for Amazon S3: associate route tables](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html)
    pub GatewayEndpointNotRouted {
        id: "VPC304",
        name: "gateway-endpoint-not-routed",
        severity: Warning,
        category: GatewayEndpoints,
    }
}

/// How many route tables the help text names.
const SUGGESTED_TABLES: usize = 3;

impl Rule for GatewayEndpointNotRouted {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for (id, endpoint) in graph.endpoints.iter() {
            if is_gateway(endpoint) != Some(true) || has_route_tables(graph, id) != Some(false) {
                continue;
            }
            let diagnostic = diagnostic(graph, endpoint);
            ctx.report(&endpoint.origin, diagnostic);
        }
    }
}

fn diagnostic(graph: &VpcGraph, endpoint: &VpcEndpoint) -> Diagnostic {
    let origin = &endpoint.origin;
    let service = endpoint
        .service_name
        .known()
        .map_or_else(String::new, |s| format!(" ({s})"));
    let attr = match graph.kind {
        StackKind::Terraform => "route_table_ids",
        StackKind::CloudFormation => "RouteTableIds",
    };
    let written = origin.attributes.get(attr).copied();
    let mut tables: Vec<String> = Vec::new();
    let mut vpc_name = None;
    if let Some(vpc) = graph.vpc(&endpoint.vpc) {
        vpc_name = Some(vpc.origin.address.as_str());
        tables = vpc
            .route_tables
            .iter()
            .filter_map(|t| graph.route_tables.get(*t))
            .filter(|t| t.origin.is_certain())
            .map(|t| reference(graph.kind, &t.origin.address))
            .collect();
        if tables.is_empty() && graph.kind == StackKind::Terraform {
            tables.push(format!("{}.default_route_table_id", vpc.origin.address));
        }
    }
    let help = if tables.is_empty() {
        format!(
            "associate {} with the route tables of the subnets that use the service ({attr}, or an association resource per table)",
            origin.address
        )
    } else {
        let more = tables.len().saturating_sub(SUGGESTED_TABLES);
        tables.truncate(SUGGESTED_TABLES);
        let list = tables.join(", ");
        let list = if more > 0 {
            format!("{list}, … ({more} more)")
        } else {
            list
        };
        match graph.kind {
            StackKind::Terraform => format!(
                "set route_table_ids = [{list}] on {} — the route tables of the subnets that should reach the service — or add an aws_vpc_endpoint_route_table_association per table",
                origin.address
            ),
            StackKind::CloudFormation => format!(
                "set RouteTableIds: [{list}] on {} — the route tables of the subnets that should reach the service",
                origin.address
            ),
        }
    };
    let message = match vpc_name {
        Some(vpc) => format!(
            "gateway endpoint {}{service} is associated with no route table, so no subnet of {vpc} sends traffic through it",
            origin.address
        ),
        None => format!(
            "gateway endpoint {}{service} is associated with no route table, so no traffic uses it",
            origin.address
        ),
    };
    let label = match (graph.kind, written) {
        (_, Some(_)) => "associated with no route table",
        (StackKind::Terraform, None) => "no route_table_ids and no route table association",
        (StackKind::CloudFormation, None) => "no RouteTableIds",
    };
    let mut diagnostic = Diagnostic::new(origin.span, message)
        .label(label)
        .help(help);
    if let Some(span) = written {
        diagnostic = diagnostic.related(span, "this list of route tables is empty");
    }
    diagnostic
}

/// How a route table is referenced in the help text.
fn reference(kind: StackKind, address: &str) -> String {
    match kind {
        StackKind::Terraform => format!("{address}.id"),
        StackKind::CloudFormation => format!("!Ref {address}"),
    }
}
