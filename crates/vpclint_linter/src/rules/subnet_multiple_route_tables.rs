use vpclint_graph::{AssociationId, Link, RouteTableAssociation, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A subnet is explicitly associated with more than one route table.
    ///
    /// ## What it does
    /// Counts the explicit route table associations of every subnet
    /// (`aws_route_table_association`, `AWS::EC2::SubnetRouteTableAssociation`) and reports
    /// each association after the first. Associations that might not be created (an unknown
    /// `count`, a CloudFormation condition vpclint cannot evaluate) are not counted.
    ///
    /// ## Why is this bad?
    /// A subnet is associated with exactly one route table at a time. AWS rejects the second
    /// association (`Resource.AlreadyAssociated`), so the apply fails — or, when the first
    /// association is replaced outside the configuration, the subnet's routing depends on
    /// which resource was applied last. Either way one of the two tables does not route the
    /// subnet the way its author expects.
    ///
    /// ## How to fix
    /// Keep one association per subnet and remove the other. To change a subnet's route
    /// table, edit the `route_table_id` / `RouteTableId` of its existing association. With
    /// `count` or `for_each`, make sure each instance associates a different subnet
    /// (`aws_subnet.private[count.index].id`).
    ///
    /// ## References
    /// - [Subnet route tables](https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#subnet-route-tables)
    /// - [Associate a subnet with a route table](https://docs.aws.amazon.com/vpc/latest/userguide/WorkWithRouteTables.html#AssociateSubnet)
    pub SubnetMultipleRouteTables {
        id: "VPC607",
        name: "subnet-multiple-route-tables",
        severity: Error,
        category: Addressing,
    }
}

impl Rule for SubnetMultipleRouteTables {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        for subnet in graph.subnets.values() {
            if !subnet.origin.is_certain() {
                continue;
            }
            let mut associations: Vec<AssociationId> = subnet
                .associations
                .iter()
                .copied()
                .filter(|&a| graph.route_table_associations[a].origin.is_certain())
                .collect();
            if associations.len() < 2 {
                continue;
            }
            // Source order: the first one written is kept, the others are reported.
            associations.sort_by_key(|&a| (graph.route_table_associations[a].origin.span, a));
            let first = &graph.route_table_associations[associations[0]];
            for &id in &associations[1..] {
                let association = &graph.route_table_associations[id];
                let diagnostic = diagnostic(graph, &subnet.origin.address, association, first);
                ctx.report(&association.origin, diagnostic);
            }
        }
    }
}

fn table_name(graph: &VpcGraph, association: &RouteTableAssociation) -> String {
    match &association.route_table {
        Link::Node(t) => graph
            .route_tables
            .get(*t)
            .map_or_else(|| "a route table".to_owned(), |t| t.origin.address.clone()),
        Link::External(s) | Link::Declared(s) => s.clone(),
        Link::Undeclared { address, .. } | Link::Pending { address, .. } => address.clone(),
        Link::Unknown(_) | Link::None => "a route table".to_owned(),
    }
}

fn diagnostic(
    graph: &VpcGraph,
    subnet: &str,
    association: &RouteTableAssociation,
    first: &RouteTableAssociation,
) -> Diagnostic {
    let table = table_name(graph, association);
    let first_table = table_name(graph, first);
    let subnet_attr = ["subnet_id", "SubnetId"];
    let same_table =
        association.route_table.node().is_some() && association.route_table == first.route_table;
    let same_instance =
        association.origin.attr_any(&subnet_attr) == first.origin.attr_any(&subnet_attr);
    let message = if same_table {
        format!(
            "{} associates subnet {subnet} with {table} again; {} already does",
            association.origin.address, first.origin.address
        )
    } else {
        format!(
            "{} associates subnet {subnet} with {table}, but {} already associates it with \
             {first_table}; a subnet has exactly one route table",
            association.origin.address, first.origin.address
        )
    };
    let help = if same_instance {
        format!(
            "every instance of this resource associates {subnet}: index the subnet by the \
             instance (for example `aws_subnet.private[count.index].id` or `each.value`)"
        )
    } else if same_table {
        format!("remove {}", association.origin.address)
    } else {
        format!(
            "decide whether {subnet} should use {first_table} or {table}: keep that association \
             and remove the other"
        )
    };
    Diagnostic::new(association.origin.attr_any(&subnet_attr), message)
        .label(format!("second route table association of {subnet}"))
        .related(
            first.origin.attr_any(&subnet_attr),
            format!("{subnet} is associated with {first_table} here"),
        )
        .help(help)
}
