use vpclint_graph::endpoints::FlowLogCoverage;
use vpclint_graph::StackKind;

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A VPC has no flow log covering it or all of its subnets.
    ///
    /// ## What it does
    /// Reports a VPC that no flow log targets (`aws_flow_log` with `vpc_id`,
    /// `AWS::EC2::FlowLog` with `ResourceType: VPC`) and whose subnets are not all covered by
    /// subnet-level flow logs (`subnet_id`, `ResourceType: Subnet`) either. Flow logs of
    /// network interfaces and transit gateways cover only what they target, never a whole
    /// subnet or VPC.
    ///
    /// The rule is silent when a flow log's target is unknown (a variable, a data source, a
    /// CloudFormation `ResourceId` whose `ResourceType` is not known) — it might be this VPC —
    /// and when the flow log or subnet might not exist (an unresolved condition or `count`).
    /// Subnets that might not exist (from an unknown `for_each`, or under an unknown
    /// condition) do not keep it silent when no flow log of the stack could cover any part of
    /// the VPC: none targets one of those subnets, a subnet elsewhere or a network interface.
    /// It does not check the flow log's destination (that is VPC502).
    ///
    /// ## Why is this bad?
    /// Flow logs are the only record of which addresses talked to which, on which ports, and
    /// whether security groups and network ACLs accepted or rejected the traffic. Without them,
    /// incident response cannot reconstruct what reached the VPC, and connectivity problems
    /// (a missing return route, a blocking security group) cannot be diagnosed after the fact.
    /// Security baselines (CIS AWS Foundations 3.9, AWS Foundational Security Best Practices
    /// EC2.6) require them.
    ///
    /// ## How to fix
    /// Add a flow log for the VPC (`aws_flow_log` with `vpc_id`, `traffic_type = "ALL"`, to
    /// S3 or to CloudWatch Logs with a delivery role), or one for every subnet you need.
    ///
    /// ## References
    /// - [Logging IP traffic using VPC Flow Logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html)
    /// - [Create a flow log](https://docs.aws.amazon.com/vpc/latest/userguide/working-with-flow-logs.html#create-flow-log)
    /// - [Security Hub control EC2.6: VPC flow logging should be enabled in all VPCs](https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6)
    pub VpcFlowLogsMissing {
        id: "VPC501",
        name: "vpc-flow-logs-missing",
        severity: Warning,
        category: FlowLogs,
    }
}

impl Rule for VpcFlowLogsMissing {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let coverage = FlowLogCoverage::new(graph);
        for (id, vpc) in graph.vpcs.iter() {
            let Some(uncovered) = coverage.uncovered(graph, id) else {
                continue;
            };
            let name = &vpc.origin.address;
            let subnet_names = |ids: &[vpclint_graph::SubnetId]| -> Vec<&str> {
                ids.iter()
                    .map(|s| graph.subnets[*s].origin.address.as_str())
                    .collect()
            };
            let without = subnet_names(&uncovered.without);
            let partial = !uncovered.with.is_empty();
            let message = if !partial {
                format!(
                    "no flow log captures the traffic of VPC {name}: no flow log targets the VPC or any of its \
                     subnets"
                )
            } else if let [only] = without.as_slice() {
                format!(
                    "no flow log targets VPC {name}, and its subnet {only} has none either (flow logs cover {} of \
                     its {} subnets)",
                    uncovered.with.len(),
                    vpc.subnets.len()
                )
            } else {
                format!(
                    "no flow log targets VPC {name}, and {} of its {} subnets have none either: {}",
                    without.len(),
                    vpc.subnets.len(),
                    without.join(", ")
                )
            };
            let help = match graph.kind {
                StackKind::Terraform => format!(
                    "add an aws_flow_log with vpc_id = {name}.id and traffic_type = \"ALL\" (log_destination_type = \
                     \"s3\" with log_destination = <bucket ARN>, or log_destination = <log group ARN> with iam_role_arn)"
                ),
                StackKind::CloudFormation => format!(
                    "add an AWS::EC2::FlowLog with ResourceId: !Ref {name}, ResourceType: VPC and TrafficType: ALL \
                     (LogDestinationType: s3 with LogDestination, or LogGroupName with DeliverLogsPermissionArn)"
                ),
            };
            let help = if partial {
                let per_subnet = match graph.kind {
                    StackKind::Terraform => "subnet_id",
                    StackKind::CloudFormation => "ResourceType: Subnet",
                };
                format!(
                    "{help}; or add a flow log with {per_subnet} for {}",
                    without.join(", ")
                )
            } else {
                help
            };
            let label = if partial {
                "no VPC-level flow log for this VPC"
            } else {
                "no flow log records traffic in this VPC"
            };
            let mut diagnostic = Diagnostic::new(vpc.origin.span, message)
                .label(label)
                .help(help);
            if partial {
                for s in &uncovered.without {
                    let subnet = &graph.subnets[*s];
                    diagnostic = diagnostic.related(
                        subnet.origin.span,
                        format!("no flow log covers {}", subnet.origin.address),
                    );
                }
            }
            ctx.report(&vpc.origin, diagnostic);
        }
    }
}
