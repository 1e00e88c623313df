use vpclint_graph::{FlowLog, StackKind, Value, VpcGraph};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A flow log lacks its destination, delivery role, log group or target.
    ///
    /// ## What it does
    /// Checks that each flow log can be created and delivers somewhere:
    /// - destination CloudWatch Logs (the default `log_destination_type` /
    ///   `LogDestinationType`): it needs a delivery role (`iam_role_arn` /
    ///   `DeliverLogsPermissionArn`) and a log group (`log_destination` or `log_group_name` /
    ///   `LogDestination` or `LogGroupName`);
    /// - destination S3 or Kinesis Data Firehose: it needs `log_destination` /
    ///   `LogDestination`;
    /// - every flow log needs a target: `vpc_id`, `subnet_id`, `eni_id`,
    ///   `transit_gateway_id` or `transit_gateway_attachment_id` (CloudFormation
    ///   `ResourceId`).
    ///
    /// An attribute whose value is unknown counts as set; an unknown destination type skips
    /// the destination checks.
    ///
    /// ## Why is this bad?
    /// AWS rejects such a flow log at apply time (a CloudWatch Logs flow log without a role
    /// or log group, an S3 flow log without a bucket, a flow log without a resource), so the
    /// deployment fails — or, where a module makes the resource optional, the VPC silently
    /// ends up without the flow log its authors meant it to have.
    ///
    /// ## How to fix
    /// Set the missing attribute: for CloudWatch Logs, a log group and an IAM role that
    /// `vpc-flow-logs.amazonaws.com` can assume with `logs:CreateLogStream` and
    /// `logs:PutLogEvents`; for S3 or Firehose, the bucket or delivery stream ARN; and the
    /// VPC, subnet or network interface to log.
    ///
    /// ## References
    /// - [Publish flow logs to CloudWatch Logs (IAM role)](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html)
    /// - [Publish flow logs to Amazon S3](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html)
    /// - [AWS::EC2::FlowLog](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-flowlog.html)
    pub FlowLogDestinationInvalid {
        id: "VPC502",
        name: "flow-log-destination-invalid",
        severity: Error,
        category: FlowLogs,
    }
}

/// Attribute names as the front end's source language writes them.
struct Names {
    role: &'static str,
    destination: &'static str,
    group: &'static str,
    destination_type: &'static str,
    target: &'static str,
}

const TERRAFORM: Names = Names {
    role: "iam_role_arn",
    destination: "log_destination",
    group: "log_group_name",
    destination_type: "log_destination_type",
    target: "vpc_id, subnet_id, eni_id, transit_gateway_id or transit_gateway_attachment_id",
};

const CLOUDFORMATION: Names = Names {
    role: "DeliverLogsPermissionArn",
    destination: "LogDestination",
    group: "LogGroupName",
    destination_type: "LogDestinationType",
    target: "ResourceId and ResourceType",
};

impl Rule for FlowLogDestinationInvalid {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let names = match graph.kind {
            StackKind::Terraform => &TERRAFORM,
            StackKind::CloudFormation => &CLOUDFORMATION,
        };
        let group_fix = log_group_fix(graph);
        for log in graph.flow_logs.values() {
            let problems = problems(log, names, &group_fix);
            let Some(first) = problems.first() else {
                continue;
            };
            let mut message = format!("flow log {} {}", log.origin.address, first.what);
            for p in problems.iter().skip(1) {
                message.push_str(&format!("; it also {}", p.what));
            }
            let help: Vec<&str> = problems.iter().map(|p| p.fix.as_str()).collect();
            let mut diagnostic = Diagnostic::new(log.origin.span, message)
                .label(first.label.clone())
                .help(help.join("; "));
            if first.about_destination {
                if let Some(span) = log.origin.attributes.get(names.destination_type).copied() {
                    diagnostic = diagnostic.related(span, "destination type chosen here");
                }
            }
            ctx.report(&log.origin, diagnostic);
        }
    }
}

struct Problem {
    what: String,
    label: String,
    fix: String,
    /// About the destination (not the target): the destination type is worth pointing at.
    about_destination: bool,
}

/// How to name a log group in help text: a log group of the stack when there is one.
fn log_group_fix(graph: &VpcGraph) -> String {
    let group = graph
        .log_groups
        .values()
        .find(|g| g.origin.is_certain())
        .map(|g| g.origin.address.as_str());
    match (graph.kind, group) {
        (StackKind::Terraform, Some(g)) => format!("log_destination = {g}.arn"),
        (StackKind::Terraform, None) => {
            "log_destination to the ARN of a CloudWatch Logs log group".to_owned()
        }
        (StackKind::CloudFormation, Some(g)) => format!("LogGroupName: !Ref {g}"),
        (StackKind::CloudFormation, None) => {
            "LogGroupName to a CloudWatch Logs log group (or LogDestination to its ARN)".to_owned()
        }
    }
}

/// Whether an attribute is set to something (an unknown value counts; `null` does not).
fn is_set(value: &Option<Value>) -> bool {
    value.as_ref().is_some_and(|v| !v.is_null())
}

fn problems(log: &FlowLog, n: &Names, group_fix: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    match log.destination_type.known().map(String::as_str) {
        Some("cloud-watch-logs") => {
            let has_group = is_set(&log.log_destination) || is_set(&log.log_group_name);
            let has_role = is_set(&log.iam_role_arn);
            if !has_group && !has_role {
                out.push(Problem {
                    what: format!(
                        "delivers to CloudWatch Logs but has neither a log group ({} / {}) nor a delivery role ({})",
                        n.destination, n.group, n.role
                    ),
                    label: "CloudWatch Logs flow log without log group or delivery role".to_owned(),
                    fix: format!(
                        "set {group_fix} and {} to a role that vpc-flow-logs.amazonaws.com can assume \
                         (logs:CreateLogStream, logs:PutLogEvents), or deliver to S3",
                        n.role
                    ),
                    about_destination: true,
                });
            } else if !has_group {
                out.push(Problem {
                    what: format!(
                        "delivers to CloudWatch Logs but names no log group ({} / {})",
                        n.destination, n.group
                    ),
                    label: "CloudWatch Logs flow log without a log group".to_owned(),
                    fix: format!("set {group_fix}"),
                    about_destination: true,
                });
            } else if !has_role {
                out.push(Problem {
                    what: format!(
                        "delivers to CloudWatch Logs but has no delivery role ({})",
                        n.role
                    ),
                    label: "CloudWatch Logs flow log without a delivery role".to_owned(),
                    fix: format!(
                        "set {} to a role that vpc-flow-logs.amazonaws.com can assume with logs:CreateLogStream \
                         and logs:PutLogEvents",
                        n.role
                    ),
                    about_destination: true,
                });
            }
        }
        Some(kind @ ("s3" | "kinesis-data-firehose")) if !is_set(&log.log_destination) => {
            let (what, arn) = if kind == "s3" {
                ("S3", "an S3 bucket (arn:aws:s3:::bucket[/prefix])")
            } else {
                ("Kinesis Data Firehose", "a Firehose delivery stream")
            };
            out.push(Problem {
                what: format!("delivers to {what} but has no {}", n.destination),
                label: format!("{what} flow log without {}", n.destination),
                fix: format!("set {} to the ARN of {arn}", n.destination),
                about_destination: true,
            });
        }
        _ => {}
    }
    if log.targets.is_empty() {
        out.push(Problem {
            what: "has no target: no VPC, subnet, network interface or transit gateway to log"
                .to_owned(),
            label: "flow log without a VPC, subnet, network interface or transit gateway"
                .to_owned(),
            fix: format!("set {} to the resource to log", n.target),
            about_destination: false,
        });
    }
    out
}
