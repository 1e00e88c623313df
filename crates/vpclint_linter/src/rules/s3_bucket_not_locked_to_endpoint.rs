use vpclint_graph::policy::{
    grants_service_principal, has_route_tables, is_s3_endpoint, is_s3_gateway, referenced_endpoint,
    vpc_lock, Lock,
};
use vpclint_graph::{
    BucketPolicy, EndpointId, HashMap, Link, S3Bucket, Span, StackKind, Value, VpcGraph,
};

use crate::{declare_rule, Diagnostic, Rule, RuleContext};

declare_rule! {
    /// A bucket in a stack with an S3 gateway endpoint is not restricted to VPC endpoint access.
    ///
    /// ## What it does
    /// In a stack that declares an S3 gateway endpoint, checks every S3 bucket and bucket
    /// policy. A bucket is reported when:
    ///
    /// - it has no bucket policy at all;
    /// - its policy has no `Deny` statement for all principals (`"*"` or `{"AWS": "*"}`)
    ///   whose condition is `StringNotEquals` or `StringNotEqualsIfExists` on
    ///   `aws:SourceVpce` or `aws:SourceVpc` (condition keys are case-insensitive:
    ///   `aws:sourceVpce` counts; the `StringNotLike` forms count too);
    /// - its policy only *allows* access under an `aws:SourceVpce` / `aws:SourceVpc`
    ///   condition, without denying anything;
    /// - its policy names, in that condition, an endpoint of the configuration that is not
    ///   an S3 endpoint, or an S3 gateway endpoint that no route table uses.
    ///
    /// Policies written with `jsonencode(...)`, heredoc JSON, `data "aws_iam_policy_document"`,
    /// standalone `aws_s3_bucket_policy` resources and CloudFormation `PolicyDocument` maps (or
    /// JSON strings) all count. A policy vpclint cannot read — a document with unknown parts
    /// where the lock would be, a statement built from a variable, a `NotPrincipal` — keeps
    /// the rule silent, and so does a bucket that a policy with an unknown bucket might cover.
    /// Literal endpoint IDs (`vpce-0abc…`) are accepted as written: vpclint cannot tell
    /// which endpoint they name.
    ///
    /// Never asked to be locked: a bucket that AWS services write to from outside the VPC —
    /// the S3 destination of a flow log, the target of S3 server access logging
    /// (`aws_s3_bucket_logging`, `LoggingConfiguration`, a `log-delivery-write` ACL or a grant
    /// to the LogDelivery group), a CloudTrail trail's bucket, a load balancer's access-log
    /// bucket, an AWS Config delivery channel's bucket, a Firehose delivery stream's S3
    /// destination, CloudFront access logs, AWS WAF logs, Route 53 Resolver query logs — or a
    /// bucket whose policy allows a service principal (`delivery.logs.amazonaws.com`,
    /// `logging.s3.amazonaws.com`, `cloudtrail.amazonaws.com`, ...). Locking those to the
    /// endpoint would stop the delivery. What vpclint cannot know counts as maybe: when a
    /// delivery's bucket is not known, every bucket of the stack might be it; a literal bucket
    /// name might be the name of a bucket whose name is not known; a policy whose bucket is not
    /// known might be a delivery bucket's; a policy statement whose principal is not known
    /// might grant a service. In each case the rule stays silent.
    ///
    /// ## Options
    /// - `scope` (rule option in the configuration): `"stack"` (the default) checks only the
    ///   stacks that declare an S3 gateway endpoint; `"all"` checks every bucket in every stack.
    ///
    /// ## Why is this bad?
    /// A gateway endpoint gives the VPC a private path to S3; it does not close the public
    /// one. Unless the bucket policy denies requests that do not come through the endpoint,
    /// any principal whose IAM policy allows it — a leaked access key, a role in another VPC,
    /// a laptop — reads and writes the bucket from anywhere. An `Allow` conditioned on
    /// `aws:SourceVpce` does not help: IAM principals of the account are granted by their own
    /// policies, and only an explicit `Deny` overrides that. And a lock naming the wrong
    /// endpoint (a DynamoDB one, or one no route table uses) denies every request instead.
    ///
    /// ## How to fix
    /// Add a statement that denies all S3 actions to every principal when the request does
    /// not come through the stack's S3 gateway endpoint:
    ///
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:*"
    ///   Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    ///   Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    /// }
    /// ```
    ///
    /// Add further conditions to the same statement to exempt what must keep working from
    /// outside the VPC — AWS services delivering logs (`"Bool": {"aws:PrincipalIsAWSService":
    /// "false"}`) or an administration role (`StringNotLike` on `aws:PrincipalArn`).
    ///
    /// ## References
    /// - [Control access from VPC endpoints with bucket policies](https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html)
    /// - [Gateway endpoints for Amazon S3](https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html)
    /// - [IAM policy evaluation logic: an explicit deny overrides any allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [AWS global condition keys: aws:SourceVpce, aws:SourceVpc](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce)
    pub S3BucketNotLockedToEndpoint {
        id: "VPC301",
        name: "s3-bucket-not-locked-to-endpoint",
        severity: Warning,
        category: GatewayEndpoints,
    }
}

impl Rule for S3BucketNotLockedToEndpoint {
    fn check(&self, ctx: &mut RuleContext<'_>) {
        let graph = ctx.graph();
        let scope_all = ctx
            .option("scope")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("all"));
        let gateways: Vec<EndpointId> = graph
            .endpoints
            .iter()
            .filter(|(_, ep)| ep.origin.is_certain() && is_s3_gateway(ep) == Some(true))
            .map(|(id, _)| id)
            .collect();
        if gateways.is_empty() && !scope_all {
            return;
        }
        let buckets_by_address = graph
            .buckets
            .values()
            .map(|b| (b.origin.address.as_str(), b))
            .collect();
        let stack = Stack {
            graph,
            gateways,
            buckets_by_address,
        };

        for bucket in graph.buckets.values() {
            if bucket.policies.is_empty()
                && !stack.might_have_policy(bucket)
                && !stack.serves_aws_services(stack.target(bucket), &[])
            {
                ctx.report(&bucket.origin, stack.no_policy(bucket));
            }
        }
        for policy in graph.bucket_policies.values() {
            if matches!(policy.bucket, Link::Undeclared { .. } | Link::None) {
                continue;
            }
            let lock = vpc_lock(&policy.document);
            let asks_to_lock = matches!(lock, Lock::NotLocked | Lock::AllowOnly { .. });
            if asks_to_lock && stack.serves_aws_services(stack.bucket_of(policy), &[policy]) {
                continue;
            }
            if let Some(diagnostic) = stack.check_policy(policy, lock) {
                ctx.report(&policy.origin, diagnostic);
            }
        }
    }
}

struct Stack<'g> {
    graph: &'g VpcGraph,
    /// The stack's S3 gateway endpoints (certain ones).
    gateways: Vec<EndpointId>,
    buckets_by_address: HashMap<&'g str, &'g S3Bucket>,
}

/// The bucket a statement is written for.
#[derive(Clone, Copy)]
enum Target<'a> {
    /// A bucket of the graph, by address.
    Node(&'a str),
    /// A bucket outside the configuration, by its literal name.
    Name(&'a str),
    Unnamed,
}

/// Why a policy's lock does not hold.
enum BadEndpoint<'g> {
    NotS3 { service: &'g str },
    Unrouted,
}

impl<'g> Stack<'g> {
    /// Whether some policy whose bucket vpclint cannot resolve might be this bucket's.
    fn might_have_policy(&self, bucket: &S3Bucket) -> bool {
        self.graph.may_lack_resources()
            || self
                .graph
                .bucket_policies
                .values()
                .any(|p| match &p.bucket {
                    Link::Unknown(_) | Link::Pending { .. } => true,
                    // A policy naming a bucket by its literal name.
                    Link::External(name) => bucket.name.known().is_none_or(|n| n == name),
                    _ => false,
                })
    }

    fn target(&self, bucket: &'g S3Bucket) -> Target<'g> {
        Target::Node(&bucket.origin.address)
    }

    /// Whether AWS services deliver into the bucket from outside the VPC (flow logs, access
    /// logs, CloudTrail, Config, ...), or its policy (or `extra` policies) lets a service
    /// principal write: locking it to the endpoint would stop the delivery. True too when
    /// some delivery's bucket is not known, as it might be this one.
    fn serves_aws_services(&self, target: Target<'_>, extra: &[&BucketPolicy]) -> bool {
        let graph = self.graph;
        if graph.has_unknown_delivery_bucket {
            return true;
        }
        // A policy statement vpclint cannot read might grant a service principal.
        let may_grant_service =
            |p: &BucketPolicy| grants_service_principal(&p.document) != Some(false);
        if extra.iter().any(|p| may_grant_service(p)) {
            return true;
        }
        match target {
            Target::Node(address) => self.buckets_by_address.get(address).is_some_and(|b| {
                !b.deliveries.is_empty()
                    || b.policies
                        .iter()
                        .filter_map(|id| graph.bucket_policies.get(*id))
                        .any(may_grant_service)
            }),
            // A bucket outside the graph, by name: a delivery names it, or names a bucket of
            // the graph whose own name is not known (which might be this one).
            Target::Name(name) => graph.bucket_deliveries.values().any(|d| match &d.bucket {
                Link::External(n) => n == name,
                Link::Node(id) => graph.buckets.get(*id).is_some_and(|b| !b.name.is_known()),
                _ => false,
            }),
            // A policy whose bucket is not known might be for any bucket a service writes to.
            Target::Unnamed => !graph.bucket_deliveries.is_empty(),
        }
    }

    /// The bucket a policy is for: a bucket of the graph (by link, or by its literal name).
    fn bucket_of(&self, policy: &'g BucketPolicy) -> Target<'g> {
        match &policy.bucket {
            Link::Node(id) => self
                .graph
                .buckets
                .get(*id)
                .map_or(Target::Unnamed, |b| Target::Node(&b.origin.address)),
            Link::External(name) => self
                .graph
                .buckets
                .values()
                .find(|b| b.name.known() == Some(name))
                .map_or(Target::Name(name.as_str()), |b| {
                    Target::Node(&b.origin.address)
                }),
            _ => Target::Unnamed,
        }
    }

    fn bucket_name(&self, policy: &BucketPolicy) -> String {
        match self.bucket_of(policy) {
            Target::Node(address) => address.to_owned(),
            Target::Name(name) => format!("bucket `{name}`"),
            Target::Unnamed => format!("the bucket of {}", policy.origin.address),
        }
    }

    /// The stack's S3 gateway endpoints, as a reader would write them in the condition.
    fn endpoint_refs(&self) -> Option<String> {
        let refs: Vec<String> = self
            .gateways
            .iter()
            .filter_map(|id| self.graph.endpoints.get(*id))
            .map(|ep| match self.graph.kind {
                StackKind::Terraform => format!("{}.id", ep.origin.address),
                StackKind::CloudFormation => format!("!Ref {}", ep.origin.address),
            })
            .collect();
        match refs.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(format!("[{}]", many.join(", "))),
        }
    }

    fn endpoint_names(&self) -> String {
        let names: Vec<&str> = self
            .gateways
            .iter()
            .filter_map(|id| self.graph.endpoints.get(*id))
            .map(|ep| ep.origin.address.as_str())
            .collect();
        names.join(", ")
    }

    /// The concrete statement to add, in the stack's own syntax.
    fn deny_statement(&self, bucket: Target<'_>) -> String {
        let endpoint = self
            .endpoint_refs()
            .unwrap_or_else(|| "<the ID of the S3 endpoint the bucket is used through>".to_owned());
        let resource = match (self.graph.kind, bucket) {
            (StackKind::Terraform, Target::Node(b)) => format!("[{b}.arn, \"${{{b}.arn}}/*\"]"),
            (StackKind::CloudFormation, Target::Node(b)) => {
                format!("[!GetAtt {b}.Arn, !Sub \"${{{b}.Arn}}/*\"]")
            }
            (_, Target::Name(n)) => format!("[\"arn:aws:s3:::{n}\", \"arn:aws:s3:::{n}/*\"]"),
            (_, Target::Unnamed) => "[<bucket ARN>, \"<bucket ARN>/*\"]".to_owned(),
        };
        match self.graph.kind {
            StackKind::Terraform => format!(
                "{{ Effect = \"Deny\", Principal = \"*\", Action = \"s3:*\", Resource = {resource}, Condition = {{ StringNotEquals = {{ \"aws:SourceVpce\" = {endpoint} }} }} }}"
            ),
            StackKind::CloudFormation => format!(
                "{{Effect: Deny, Principal: \"*\", Action: \"s3:*\", Resource: {resource}, Condition: {{StringNotEquals: {{aws:SourceVpce: {endpoint}}}}}}}"
            ),
        }
    }

    fn context(&self) -> String {
        if self.gateways.is_empty() {
            String::new()
        } else {
            format!(
                " (the stack routes S3 through gateway endpoint {})",
                self.endpoint_names()
            )
        }
    }

    fn with_endpoints(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        for ep in self
            .gateways
            .iter()
            .filter_map(|id| self.graph.endpoints.get(*id))
        {
            diagnostic = diagnostic.related(ep.origin.span, "the stack's S3 gateway endpoint");
        }
        diagnostic
    }

    fn no_policy(&self, bucket: &S3Bucket) -> Diagnostic {
        let address = &bucket.origin.address;
        let help = match self.graph.kind {
            StackKind::Terraform => format!(
                "add an aws_s3_bucket_policy for {address} with the statement {}",
                self.deny_statement(Target::Node(address))
            ),
            StackKind::CloudFormation => format!(
                "add an AWS::S3::BucketPolicy for {address} with the statement {}",
                self.deny_statement(Target::Node(address))
            ),
        };
        self.with_endpoints(
            Diagnostic::new(
                bucket.origin.span,
                format!(
                    "bucket {address} has no bucket policy, so it is not restricted to VPC endpoint access{}: any principal whose IAM policy allows it reaches the bucket from anywhere",
                    self.context()
                ),
            )
            .label("no bucket policy denies access from outside the VPC endpoint")
            .help(help),
        )
    }

    fn check_policy(&self, policy: &BucketPolicy, lock: Lock) -> Option<Diagnostic> {
        let bucket = self.bucket_name(policy);
        let target = self.bucket_of(policy);
        match lock {
            Lock::Unknown => None,
            Lock::NotLocked => Some(self.with_endpoints(
                Diagnostic::new(
                    policy.document_span,
                    format!(
                        "the bucket policy of {bucket} does not restrict it to VPC endpoint access{}: no statement denies all principals when aws:SourceVpce or aws:SourceVpc is not the endpoint",
                        self.context()
                    ),
                )
                .label("no Deny for Principal \"*\" with StringNotEquals on aws:SourceVpce / aws:SourceVpc")
                .help(format!(
                    "add the statement {}",
                    self.deny_statement(target)
                )),
            )),
            Lock::AllowOnly { .. } => Some(self.with_endpoints(
                Diagnostic::new(
                    policy.document_span,
                    format!(
                        "the bucket policy of {bucket} only allows access under an aws:SourceVpce / aws:SourceVpc condition and denies nothing: IAM principals whose own policies allow S3 still reach the bucket from anywhere"
                    ),
                )
                .label("an Allow with an endpoint condition does not keep anyone out")
                .help(format!(
                    "add a Deny statement, which overrides IAM allows: {}",
                    self.deny_statement(target)
                )),
            )),
            Lock::Locked { endpoints, .. } => endpoints
                .iter()
                .find_map(|value| self.bad_endpoint(value))
                .map(|(id, span, why)| self.bad_lock(policy, &bucket, id, span, why)),
        }
    }

    /// A value of the lock that names an endpoint of the graph that cannot carry the bucket's traffic.
    fn bad_endpoint(&self, value: &Value) -> Option<(EndpointId, Option<Span>, BadEndpoint<'g>)> {
        let id = referenced_endpoint(self.graph, value)?;
        let endpoint = self.graph.endpoints.get(id)?;
        if !endpoint.origin.is_certain() {
            return None;
        }
        let span = value.as_ref().and_then(|r| r.span);
        if is_s3_endpoint(endpoint) == Some(false) {
            let service = endpoint.service_name.known().map_or("", String::as_str);
            return Some((id, span, BadEndpoint::NotS3 { service }));
        }
        if is_s3_gateway(endpoint) == Some(true) && has_route_tables(self.graph, id) == Some(false)
        {
            return Some((id, span, BadEndpoint::Unrouted));
        }
        None
    }

    fn bad_lock(
        &self,
        policy: &BucketPolicy,
        bucket: &str,
        id: EndpointId,
        span: Option<Span>,
        why: BadEndpoint<'_>,
    ) -> Diagnostic {
        let Some(endpoint) = self.graph.endpoints.get(id) else {
            return Diagnostic::new(policy.document_span, "");
        };
        let name = &endpoint.origin.address;
        // The reference inside the policy when it is in the policy's file, else the document.
        let primary = span
            .filter(|s| s.file == policy.document_span.file)
            .unwrap_or(policy.document_span);
        let (message, label, help, related) = match why {
            BadEndpoint::NotS3 { service } => (
                format!(
                    "the bucket policy of {bucket} admits only requests through {name}, which is not an S3 endpoint ({service}): no request to the bucket comes through it, so the lock denies them all"
                ),
                format!("{name} is not an S3 endpoint"),
                match self.endpoint_refs() {
                    Some(refs) => format!(
                        "name the S3 gateway endpoint in the aws:SourceVpce condition instead: {refs}"
                    ),
                    None => "name the S3 endpoint the bucket is used through in the aws:SourceVpce condition".to_owned(),
                },
                (
                    endpoint.origin.attr_any(&["service_name", "ServiceName"]),
                    format!("{name} is for {service}"),
                ),
            ),
            BadEndpoint::Unrouted => (
                format!(
                    "the bucket policy of {bucket} admits only requests through {name}, but no route table uses that endpoint: no request reaches the bucket through it, so the lock denies them all"
                ),
                format!("{name} is associated with no route table"),
                {
                    let how = match self.graph.kind {
                        StackKind::Terraform => {
                            "route_table_ids or aws_vpc_endpoint_route_table_association"
                        }
                        StackKind::CloudFormation => "RouteTableIds",
                    };
                    let routed: Vec<&str> = self
                        .gateways
                        .iter()
                        .filter(|g| **g != id && has_route_tables(self.graph, **g) == Some(true))
                        .filter_map(|g| self.graph.endpoints.get(*g))
                        .map(|ep| ep.origin.address.as_str())
                        .collect();
                    if routed.is_empty() {
                        format!(
                            "associate {name} with the route tables of the subnets that use the bucket ({how})"
                        )
                    } else {
                        format!(
                            "associate {name} with the route tables of the subnets that use the bucket ({how}), or name the routed S3 endpoint {} in the condition instead",
                            routed.join(", ")
                        )
                    }
                },
                (
                    endpoint.origin.span,
                    format!("{name} has no route table"),
                ),
            ),
        };
        Diagnostic::new(primary, message)
            .label(label)
            .help(help)
            .related(related.0, related.1)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use vpclint_graph::SourceMap;

    use crate::{lint, RuleSelection};

    /// Loads one Terraform file as a root module and runs VPC301 with `options`.
    fn findings(name: &str, text: &str, options: Option<serde_json::Value>) -> Vec<String> {
        let dir: PathBuf =
            std::env::temp_dir().join(format!("vpclint-vpc301-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("main.tf"), text).expect("write fixture");
        let mut sources = SourceMap::new();
        let loaded = vpclint_terraform::load(
            &mut sources,
            std::slice::from_ref(&dir),
            &vpclint_terraform::TerraformOptions::default(),
        );
        let _ = std::fs::remove_dir_all(&dir);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let mut selection = RuleSelection {
            select: vec!["VPC301".to_owned()],
            ..RuleSelection::default()
        };
        if let Some(options) = options {
            selection.options.insert("VPC301".to_owned(), options);
        }
        lint(&loaded.graphs, &selection.enabled(), &sources)
            .into_iter()
            .map(|f| f.resource)
            .collect()
    }

    const NO_ENDPOINT: &str = r#"
resource "aws_s3_bucket" "reports" {
  bucket = "example-reports"
}
"#;

    #[test]
    fn without_an_s3_gateway_endpoint_the_rule_is_silent_by_default() {
        assert!(findings("default", NO_ENDPOINT, None).is_empty());
    }

    #[test]
    fn scope_all_checks_every_bucket() {
        let options = serde_json::json!({ "scope": "all" });
        assert_eq!(
            findings("all", NO_ENDPOINT, Some(options)),
            vec!["aws_s3_bucket.reports".to_owned()]
        );
    }

    #[test]
    fn other_scopes_keep_the_default() {
        let options = serde_json::json!({ "scope": "stack" });
        assert!(findings("stack", NO_ENDPOINT, Some(options)).is_empty());
    }
}
