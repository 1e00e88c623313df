//! CloudFormation templates: one per stack of 10 VPCs, YAML with short-form tags (every
//! fifth stack JSON with long-form intrinsics), built as a small tree and rendered.

use std::path::Path;

use super::{Defect, ExpectedFinding, StackPlan, Writer};

/// A template node.
enum N {
    S(String),
    B(bool),
    I(i64),
    L(Vec<N>),
    M(Vec<(String, N)>),
    /// An intrinsic function: short tag name (`Ref`, `GetAtt`, `Sub`, ...) and argument.
    F(&'static str, Box<N>),
}

fn s(text: impl Into<String>) -> N {
    N::S(text.into())
}
fn r(name: impl Into<String>) -> N {
    N::F("Ref", Box::new(s(name)))
}
fn get_att(target: impl Into<String>) -> N {
    N::F("GetAtt", Box::new(s(target)))
}
fn sub(text: impl Into<String>) -> N {
    N::F("Sub", Box::new(s(text)))
}
fn f(name: &'static str, args: Vec<N>) -> N {
    N::F(name, Box::new(N::L(args)))
}
fn m(entries: Vec<(&str, N)>) -> N {
    N::M(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}
fn resource(kind: &str, properties: Vec<(&str, N)>) -> N {
    m(vec![("Type", s(kind)), ("Properties", m(properties))])
}
fn tags(name: N) -> N {
    N::L(vec![
        m(vec![("Key", s("Name")), ("Value", name)]),
        m(vec![("Key", s("Environment")), ("Value", r("Environment"))]),
    ])
}

pub fn write(
    dir: &Path,
    stacks: &[StackPlan],
) -> Result<(usize, usize, Vec<ExpectedFinding>), String> {
    let mut w = Writer::new(dir);
    let mut expected = Vec::new();
    for stack in stacks {
        let json = stack.index % 5 == 4;
        let file = format!(
            "team_{:03}/stack_{:04}.{}",
            stack.index / 20,
            stack.index,
            if json { "json" } else { "yaml" }
        );
        let (template, found) = template(stack);
        expected.extend(found.into_iter().map(|(rule, resource)| ExpectedFinding {
            rule,
            resource,
            file: file.clone(),
        }));
        let text = if json {
            let mut text =
                serde_json::to_string_pretty(&to_json(&template)).map_err(|e| e.to_string())?;
            text.push('\n');
            text
        } else {
            let mut text = String::new();
            yaml_map_body(&template, 0, &mut text);
            text
        };
        w.write(&file, &text)?;
    }
    Ok((w.files, w.bytes, expected))
}

fn template(stack: &StackPlan) -> (N, Vec<(&'static str, String)>) {
    let mut expected = Vec::new();
    let name = format!("stack-{:04}", stack.index);
    let mut parameters = vec![
        (
            "Environment".to_owned(),
            m(vec![
                ("Type", s("String")),
                ("Default", s("prod")),
                ("AllowedValues", N::L(vec![s("prod"), s("staging")])),
            ]),
        ),
        (
            "EnableFlowLogs".to_owned(),
            m(vec![
                ("Type", s("String")),
                ("Default", s("true")),
                ("AllowedValues", N::L(vec![s("true"), s("false")])),
            ]),
        ),
    ];
    for j in 0..stack.vpcs {
        parameters.push((
            format!("V{j}Cidr"),
            m(vec![
                ("Type", s("String")),
                ("Default", s(stack.cidr(j))),
                ("Description", s(format!("IPv4 CIDR block of VPC v{j}"))),
            ]),
        ));
        if super::explicit_ipv6(stack.index) {
            parameters.push((
                format!("V{j}Ipv6Cidr"),
                m(vec![
                    ("Type", s("String")),
                    ("Default", s(super::ipv6_cidr(stack.index, j))),
                    (
                        "Description",
                        s(format!("IPv6 block of VPC v{j} (BYOIP pool)")),
                    ),
                ]),
            ));
        }
    }
    let mut resources: Vec<(String, N)> = vec![(
        "FlowLogRole".into(),
        resource(
            "AWS::IAM::Role",
            vec![(
                "AssumeRolePolicyDocument",
                m(vec![
                    ("Version", s("2012-10-17")),
                    (
                        "Statement",
                        N::L(vec![m(vec![
                            ("Effect", s("Allow")),
                            (
                                "Principal",
                                m(vec![("Service", s("vpc-flow-logs.amazonaws.com"))]),
                            ),
                            ("Action", s("sts:AssumeRole")),
                        ])]),
                    ),
                ]),
            )],
        ),
    )];
    let mut outputs = Vec::new();
    for j in 0..stack.vpcs {
        vpc(stack, j, &name, &mut resources, &mut expected);
        outputs.push((
            format!("V{j}VpcId"),
            m(vec![
                ("Value", r(format!("V{j}Vpc"))),
                (
                    "Export",
                    m(vec![(
                        "Name",
                        sub(format!("${{AWS::StackName}}-V{j}VpcId")),
                    )]),
                ),
            ]),
        ));
    }
    for j in 0..stack.vpcs {
        peering(stack, j, &mut resources, &mut expected);
    }
    let template = N::M(vec![
        ("AWSTemplateFormatVersion".into(), s("2010-09-09")),
        (
            "Description".into(),
            s(format!("Network {name}: 10 peered dual-stack VPCs")),
        ),
        ("Parameters".into(), N::M(parameters)),
        (
            "Conditions".into(),
            m(vec![
                (
                    "FlowLogsEnabled",
                    f("Equals", vec![r("EnableFlowLogs"), s("true")]),
                ),
                (
                    "IsProduction",
                    f("Equals", vec![r("Environment"), s("prod")]),
                ),
            ]),
        ),
        ("Resources".into(), N::M(resources)),
        ("Outputs".into(), N::M(outputs)),
    ]);
    (template, expected)
}

fn vpc(
    stack: &StackPlan,
    j: usize,
    name: &str,
    out: &mut Vec<(String, N)>,
    expected: &mut Vec<(&'static str, String)>,
) {
    let p = format!("V{j}");
    let defect = stack.defect(j);
    let explicit = super::explicit_ipv6(stack.index);
    let mut add = |id: String, node: N| out.push((id, node));
    add(
        format!("{p}Vpc"),
        resource(
            "AWS::EC2::VPC",
            vec![
                ("CidrBlock", r(format!("{p}Cidr"))),
                ("EnableDnsSupport", N::B(true)),
                ("EnableDnsHostnames", N::B(true)),
                ("Tags", tags(sub(format!("${{Environment}}-{name}-v{j}")))),
            ],
        ),
    );
    add(
        format!("{p}Ipv6Block"),
        resource(
            "AWS::EC2::VPCCidrBlock",
            if explicit {
                vec![
                    ("VpcId", r(format!("{p}Vpc"))),
                    ("Ipv6Pool", s("ipv6pool-ec2-0123456789abcdef0")),
                    ("Ipv6CidrBlock", r(format!("{p}Ipv6Cidr"))),
                ]
            } else {
                vec![
                    ("VpcId", r(format!("{p}Vpc"))),
                    ("AmazonProvidedIpv6CidrBlock", N::B(true)),
                ]
            },
        ),
    );
    let subnets = [
        ("PublicSubnetA", 0, 0, true, true),
        ("PublicSubnetB", 1, 1, false, true),
        ("PrivateSubnetA", 10, 0, true, false),
        ("PrivateSubnetB", 11, 1, false, false),
    ];
    for (subnet, netnum, az, ipv6, public) in subnets {
        let mut props = vec![
            ("VpcId", r(format!("{p}Vpc"))),
            (
                "CidrBlock",
                f(
                    "Select",
                    vec![
                        N::I(netnum),
                        f(
                            "Cidr",
                            vec![get_att(format!("{p}Vpc.CidrBlock")), N::I(16), N::I(8)],
                        ),
                    ],
                ),
            ),
            (
                "AvailabilityZone",
                f("Select", vec![N::I(az), N::F("GetAZs", Box::new(s("")))]),
            ),
        ];
        if ipv6 {
            props.push((
                "Ipv6CidrBlock",
                f(
                    "Select",
                    vec![
                        N::I(netnum),
                        f(
                            "Cidr",
                            vec![
                                if explicit {
                                    r(format!("{p}Ipv6Cidr"))
                                } else {
                                    f(
                                        "Select",
                                        vec![N::I(0), get_att(format!("{p}Vpc.Ipv6CidrBlocks"))],
                                    )
                                },
                                N::I(16),
                                N::I(64),
                            ],
                        ),
                    ],
                ),
            ));
            props.push(("AssignIpv6AddressOnCreation", N::B(true)));
        }
        if public {
            props.push(("MapPublicIpOnLaunch", N::B(true)));
        }
        props.push((
            "Tags",
            tags(sub(format!("${{Environment}}-{name}-v{j}-{subnet}"))),
        ));
        let mut node = resource("AWS::EC2::Subnet", props);
        if let N::M(entries) = &mut node {
            entries.insert(1, ("DependsOn".into(), s(format!("{p}Ipv6Block"))));
        }
        add(format!("{p}{subnet}"), node);
    }
    add(
        format!("{p}InternetGateway"),
        resource(
            "AWS::EC2::InternetGateway",
            vec![("Tags", tags(sub(format!("${{Environment}}-{name}-v{j}"))))],
        ),
    );
    add(
        format!("{p}GatewayAttachment"),
        resource(
            "AWS::EC2::VPCGatewayAttachment",
            vec![
                ("VpcId", r(format!("{p}Vpc"))),
                ("InternetGatewayId", r(format!("{p}InternetGateway"))),
            ],
        ),
    );
    add(
        format!("{p}EgressOnlyGateway"),
        resource(
            "AWS::EC2::EgressOnlyInternetGateway",
            vec![("VpcId", r(format!("{p}Vpc")))],
        ),
    );
    add(
        format!("{p}NatEip"),
        resource("AWS::EC2::EIP", vec![("Domain", s("vpc"))]),
    );
    add(
        format!("{p}NatGateway"),
        resource(
            "AWS::EC2::NatGateway",
            vec![
                ("AllocationId", get_att(format!("{p}NatEip.AllocationId"))),
                ("SubnetId", r(format!("{p}PublicSubnetA"))),
            ],
        ),
    );
    for tier in ["Public", "Private"] {
        add(
            format!("{p}{tier}RouteTable"),
            resource(
                "AWS::EC2::RouteTable",
                vec![
                    ("VpcId", r(format!("{p}Vpc"))),
                    (
                        "Tags",
                        tags(sub(format!("${{Environment}}-{name}-v{j}-{tier}"))),
                    ),
                ],
            ),
        );
    }
    let route = |table: &str, dest_key: &str, dest: &str, target_key: &str, target: String| {
        resource(
            "AWS::EC2::Route",
            vec![
                ("RouteTableId", r(format!("{p}{table}RouteTable"))),
                (dest_key, s(dest)),
                (target_key, r(target)),
            ],
        )
    };
    add(
        format!("{p}PublicDefaultRoute"),
        route(
            "Public",
            "DestinationCidrBlock",
            "0.0.0.0/0",
            "GatewayId",
            format!("{p}InternetGateway"),
        ),
    );
    if defect == Some(Defect::Ipv6Egress) {
        expected.push(("VPC201", format!("{p}PublicSubnetA")));
    } else {
        add(
            format!("{p}PublicIpv6DefaultRoute"),
            route(
                "Public",
                "DestinationIpv6CidrBlock",
                "::/0",
                "GatewayId",
                format!("{p}InternetGateway"),
            ),
        );
    }
    add(
        format!("{p}PrivateDefaultRoute"),
        route(
            "Private",
            "DestinationCidrBlock",
            "0.0.0.0/0",
            "NatGatewayId",
            format!("{p}NatGateway"),
        ),
    );
    add(
        format!("{p}PrivateIpv6DefaultRoute"),
        route(
            "Private",
            "DestinationIpv6CidrBlock",
            "::/0",
            "EgressOnlyInternetGatewayId",
            format!("{p}EgressOnlyGateway"),
        ),
    );
    for (subnet, tier) in [
        ("PublicSubnetA", "Public"),
        ("PublicSubnetB", "Public"),
        ("PrivateSubnetA", "Private"),
        ("PrivateSubnetB", "Private"),
    ] {
        add(
            format!("{p}{subnet}RouteTableAssociation"),
            resource(
                "AWS::EC2::SubnetRouteTableAssociation",
                vec![
                    ("SubnetId", r(format!("{p}{subnet}"))),
                    ("RouteTableId", r(format!("{p}{tier}RouteTable"))),
                ],
            ),
        );
    }
    add(
        format!("{p}S3Endpoint"),
        resource(
            "AWS::EC2::VPCEndpoint",
            vec![
                ("VpcId", r(format!("{p}Vpc"))),
                ("ServiceName", sub("com.amazonaws.${AWS::Region}.s3")),
                ("VpcEndpointType", s("Gateway")),
                (
                    "RouteTableIds",
                    N::L(vec![
                        r(format!("{p}PublicRouteTable")),
                        r(format!("{p}PrivateRouteTable")),
                    ]),
                ),
            ],
        ),
    );
    let conditional = |node: N| {
        let mut node = node;
        if let N::M(entries) = &mut node {
            entries.insert(1, ("Condition".into(), s("FlowLogsEnabled")));
        }
        node
    };
    add(
        format!("{p}FlowLogGroup"),
        conditional(resource(
            "AWS::Logs::LogGroup",
            vec![
                (
                    "LogGroupName",
                    sub(format!("/vpc/${{Environment}}-{name}/v{j}")),
                ),
                ("RetentionInDays", N::I(30)),
            ],
        )),
    );
    if defect == Some(Defect::FlowLogs) {
        expected.push(("VPC501", format!("{p}Vpc")));
    } else {
        add(
            format!("{p}FlowLog"),
            conditional(resource(
                "AWS::EC2::FlowLog",
                vec![
                    ("ResourceId", r(format!("{p}Vpc"))),
                    ("ResourceType", s("VPC")),
                    ("TrafficType", s("ALL")),
                    ("LogGroupName", r(format!("{p}FlowLogGroup"))),
                    ("DeliverLogsPermissionArn", get_att("FlowLogRole.Arn")),
                ],
            )),
        );
    }
    add(
        format!("{p}DataBucket"),
        resource(
            "AWS::S3::Bucket",
            vec![(
                "BucketName",
                sub(format!("${{Environment}}-{name}-v{j}-data")),
            )],
        ),
    );
    add(
        format!("{p}DataBucketPolicy"),
        resource(
            "AWS::S3::BucketPolicy",
            vec![
                ("Bucket", r(format!("{p}DataBucket"))),
                (
                    "PolicyDocument",
                    m(vec![
                        ("Version", s("2012-10-17")),
                        (
                            "Statement",
                            N::L(vec![m(vec![
                                ("Sid", s("DenyOutsideVpce")),
                                ("Effect", s("Deny")),
                                ("Principal", s("*")),
                                ("Action", s("s3:*")),
                                (
                                    "Resource",
                                    N::L(vec![
                                        get_att(format!("{p}DataBucket.Arn")),
                                        sub(format!("${{{p}DataBucket.Arn}}/*")),
                                    ]),
                                ),
                                (
                                    "Condition",
                                    m(vec![(
                                        "StringNotEquals",
                                        m(vec![("aws:SourceVpce", r(format!("{p}S3Endpoint")))]),
                                    )]),
                                ),
                            ])]),
                        ),
                    ]),
                ),
            ],
        ),
    );
    match defect {
        Some(Defect::GatewayEndpoint) => {
            add(
                format!("{p}SqsEndpoint"),
                resource(
                    "AWS::EC2::VPCEndpoint",
                    vec![
                        ("VpcId", r(format!("{p}Vpc"))),
                        ("ServiceName", sub("com.amazonaws.${AWS::Region}.sqs")),
                        ("VpcEndpointType", s("Gateway")),
                        (
                            "RouteTableIds",
                            N::L(vec![r(format!("{p}PrivateRouteTable"))]),
                        ),
                    ],
                ),
            );
            expected.push(("VPC302", format!("{p}SqsEndpoint")));
        }
        Some(Defect::InterfaceEndpoint) => {
            // The subnets' AZs come from `!GetAZs` (unknown), so the seeded mistake is the
            // missing security group rather than a single AZ.
            add(
                format!("{p}SsmEndpoint"),
                resource(
                    "AWS::EC2::VPCEndpoint",
                    vec![
                        ("VpcId", r(format!("{p}Vpc"))),
                        ("ServiceName", sub("com.amazonaws.${AWS::Region}.ssm")),
                        ("VpcEndpointType", s("Interface")),
                        (
                            "SubnetIds",
                            N::L(vec![
                                r(format!("{p}PrivateSubnetA")),
                                r(format!("{p}PrivateSubnetB")),
                            ]),
                        ),
                        ("PrivateDnsEnabled", N::B(true)),
                    ],
                ),
            );
            expected.push(("VPC402", format!("{p}SsmEndpoint")));
        }
        Some(Defect::SubnetOverlap) => {
            add(
                format!("{p}LegacySubnet"),
                resource(
                    "AWS::EC2::Subnet",
                    vec![
                        ("VpcId", r(format!("{p}Vpc"))),
                        (
                            "CidrBlock",
                            f(
                                "Select",
                                vec![
                                    N::I(22),
                                    f(
                                        "Cidr",
                                        vec![
                                            get_att(format!("{p}Vpc.CidrBlock")),
                                            N::I(64),
                                            N::I(7),
                                        ],
                                    ),
                                ],
                            ),
                        ),
                    ],
                ),
            );
            add(
                format!("{p}LegacySubnetRouteTableAssociation"),
                resource(
                    "AWS::EC2::SubnetRouteTableAssociation",
                    vec![
                        ("SubnetId", r(format!("{p}LegacySubnet"))),
                        ("RouteTableId", r(format!("{p}PrivateRouteTable"))),
                    ],
                ),
            );
            expected.push(("VPC602", format!("{p}LegacySubnet")));
        }
        Some(Defect::Addressing) => {
            add(
                format!("{p}LegacySubnet"),
                resource(
                    "AWS::EC2::Subnet",
                    vec![
                        ("VpcId", r(format!("{p}Vpc"))),
                        ("CidrBlock", s(format!("172.16.{j}.0/24"))),
                    ],
                ),
            );
            expected.push(("VPC601", format!("{p}LegacySubnet")));
        }
        Some(Defect::PeeringOverlap) => {
            if let Some(k) = stack.next(j) {
                add(
                    format!("{p}SecondaryCidr"),
                    resource(
                        "AWS::EC2::VPCCidrBlock",
                        vec![
                            ("VpcId", r(format!("{p}Vpc"))),
                            (
                                "CidrBlock",
                                f(
                                    "Select",
                                    vec![
                                        N::I(200),
                                        f("Cidr", vec![r(format!("V{k}Cidr")), N::I(256), N::I(8)]),
                                    ],
                                ),
                            ),
                        ],
                    ),
                );
            }
        }
        _ => {}
    }
}

fn peering(
    stack: &StackPlan,
    j: usize,
    out: &mut Vec<(String, N)>,
    expected: &mut Vec<(&'static str, String)>,
) {
    let Some(k) = stack.next(j) else { return };
    let defect = stack.defect(j);
    let (p, q) = (format!("V{j}"), format!("V{k}"));
    let peering = format!("{p}To{q}Peering");
    out.push((
        peering.clone(),
        resource(
            "AWS::EC2::VPCPeeringConnection",
            vec![
                ("VpcId", r(format!("{p}Vpc"))),
                ("PeerVpcId", r(format!("{q}Vpc"))),
            ],
        ),
    ));
    if defect == Some(Defect::PeeringOverlap) {
        expected.push(("VPC101", peering.clone()));
    }
    let route = |from: &str, tier: &str, to: &str| {
        (
            format!("{from}{tier}To{to}Route"),
            resource(
                "AWS::EC2::Route",
                vec![
                    ("RouteTableId", r(format!("{from}{tier}RouteTable"))),
                    (
                        "DestinationCidrBlock",
                        get_att(format!("{to}Vpc.CidrBlock")),
                    ),
                    ("VpcPeeringConnectionId", r(peering.clone())),
                ],
            ),
        )
    };
    out.push(route(&p, "Public", &q));
    out.push(route(&p, "Private", &q));
    out.push(route(&q, "Public", &p));
    if defect == Some(Defect::MissingReturnRoute) {
        expected.push(("VPC103", format!("{p}PublicTo{q}Route")));
        expected.push(("VPC103", format!("{p}PrivateTo{q}Route")));
    } else {
        out.push(route(&q, "Private", &p));
    }
    if defect == Some(Defect::TransitiveRoute) {
        if let Some(far) = stack.next(k) {
            out.push((
                format!("{p}TransitiveRoute"),
                resource(
                    "AWS::EC2::Route",
                    vec![
                        ("RouteTableId", r(format!("{p}PrivateRouteTable"))),
                        (
                            "DestinationCidrBlock",
                            get_att(format!("V{far}Vpc.CidrBlock")),
                        ),
                        ("VpcPeeringConnectionId", r(peering.clone())),
                    ],
                ),
            ));
            expected.push(("VPC102", format!("{p}TransitiveRoute")));
        }
    }
}

// ---- rendering ----

fn to_json(node: &N) -> serde_json::Value {
    use serde_json::Value as J;
    match node {
        N::S(text) => J::String(text.clone()),
        N::B(b) => J::Bool(*b),
        N::I(i) => J::from(*i),
        N::L(items) => J::Array(items.iter().map(to_json).collect()),
        N::M(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        N::F(name, arg) => {
            let key = if *name == "Ref" {
                "Ref".to_owned()
            } else {
                format!("Fn::{name}")
            };
            let value = match (*name, arg.as_ref()) {
                ("GetAtt", N::S(target)) => match target.split_once('.') {
                    Some((id, attr)) => J::Array(vec![J::from(id), J::from(attr)]),
                    None => J::from(target.as_str()),
                },
                _ => to_json(arg),
            };
            let mut map = serde_json::Map::new();
            map.insert(key, value);
            J::Object(map)
        }
    }
}

fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | ':'))
        && !text.contains(": ")
        && !text.ends_with(':')
        && !text.starts_with(['-', ':'])
        && !matches!(
            text,
            "true" | "false" | "yes" | "no" | "null" | "on" | "off"
        )
        && text.parse::<f64>().is_err()
        && !(text.starts_with(|c: char| c.is_ascii_digit()) && text.contains('-'))
        && !text.contains("::");
    if plain {
        text.to_owned()
    } else {
        serde_json::Value::String(text.to_owned()).to_string()
    }
}

/// A node that fits on one line (scalars, intrinsics in flow style).
fn yaml_inline(node: &N) -> Option<String> {
    match node {
        N::S(text) => Some(yaml_scalar(text)),
        N::B(b) => Some(b.to_string()),
        N::I(i) => Some(i.to_string()),
        N::F(name, arg) => {
            let arg = match arg.as_ref() {
                N::L(items) => {
                    let parts: Option<Vec<String>> = items.iter().map(yaml_inline).collect();
                    format!("[{}]", parts?.join(", "))
                }
                other => yaml_inline(other)?,
            };
            Some(format!("!{name} {arg}"))
        }
        N::L(items) if items.is_empty() => Some("[]".into()),
        N::M(entries) if entries.is_empty() => Some("{}".into()),
        N::L(_) | N::M(_) => None,
    }
}

fn yaml_map_body(node: &N, indent: usize, out: &mut String) {
    let N::M(entries) = node else { return };
    let pad = " ".repeat(indent);
    for (key, value) in entries {
        match yaml_inline(value) {
            Some(inline) => out.push_str(&format!("{pad}{}: {inline}\n", yaml_scalar(key))),
            None => {
                out.push_str(&format!("{pad}{}:\n", yaml_scalar(key)));
                yaml_block(value, indent + 2, out);
            }
        }
    }
}

fn yaml_block(node: &N, indent: usize, out: &mut String) {
    match node {
        N::M(_) => yaml_map_body(node, indent, out),
        N::L(items) => {
            let pad = " ".repeat(indent);
            for item in items {
                match (item, yaml_inline(item)) {
                    (_, Some(inline)) => out.push_str(&format!("{pad}- {inline}\n")),
                    (N::M(_), None) => {
                        // First entry on the dash line, the rest aligned under it.
                        let mut body = String::new();
                        yaml_map_body(item, indent + 2, &mut body);
                        let body = body.get(indent + 2..).unwrap_or_default();
                        out.push_str(&format!("{pad}- {body}"));
                    }
                    (_, None) => {
                        out.push_str(&format!("{pad}-\n"));
                        yaml_block(item, indent + 2, out);
                    }
                }
            }
        }
        other => {
            if let Some(inline) = yaml_inline(other) {
                out.push_str(&format!("{}{inline}\n", " ".repeat(indent)));
            }
        }
    }
}
