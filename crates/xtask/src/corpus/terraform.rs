//! Terraform stacks: `stack_NNNN/` root modules, flat (one file per VPC, `peering.tf`) or,
//! every fourth stack, built with the shared local module `modules/vpc`.

use std::path::Path;

use super::{Defect, ExpectedFinding, StackPlan, Writer};

/// Every fourth stack uses the module (and is not seeded: its VPCs are all alike).
fn uses_module(stack: usize) -> bool {
    stack % 4 == 3
}

pub fn can_seed(stack: usize) -> bool {
    !uses_module(stack)
}

pub fn write(
    dir: &Path,
    stacks: &[StackPlan],
) -> Result<(usize, usize, Vec<ExpectedFinding>), String> {
    let mut w = Writer::new(dir);
    let mut expected = Vec::new();
    if stacks.iter().any(|s| uses_module(s.index)) {
        w.write("modules/vpc/main.tf", MODULE_MAIN)?;
        w.write("modules/vpc/variables.tf", MODULE_VARIABLES)?;
        w.write("modules/vpc/outputs.tf", MODULE_OUTPUTS)?;
    }
    for stack in stacks {
        let name = format!("stack_{:04}", stack.index);
        w.write(&format!("{name}/variables.tf"), &variables(stack))?;
        if uses_module(stack.index) {
            w.write(&format!("{name}/main.tf"), &module_main(stack, &name))?;
        } else {
            w.write(
                &format!("{name}/main.tf"),
                &fill(MAIN, &[("@STACK@", &name)]),
            )?;
            for j in 0..stack.vpcs {
                let (text, mut found) = flat_vpc(stack, j, &name);
                w.write(&format!("{name}/vpc_v{j}.tf"), &text)?;
                expected.append(&mut found);
            }
        }
        let (text, mut found) = peering(stack, &name);
        w.write(&format!("{name}/peering.tf"), &text)?;
        expected.append(&mut found);
    }
    Ok((w.files, w.bytes, expected))
}

fn fill(template: &str, subs: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (from, to) in subs {
        text = text.replace(from, to);
    }
    text
}

fn variables(stack: &StackPlan) -> String {
    let mut text = String::from(
        "variable \"region\" {\n  type    = string\n  default = \"eu-west-1\"\n}\n\n\
         variable \"environment\" {\n  type    = string\n  default = \"prod\"\n}\n\n\
         variable \"ipv6_pool_id\" {\n  type    = string\n  default = \"ipam-pool-0123456789abcdef0\"\n}\n\n\
         variable \"vpc_cidrs\" {\n  description = \"IPv4 CIDR block of each VPC\"\n  \
         type        = map(string)\n  default = {\n",
    );
    for j in 0..stack.vpcs {
        text.push_str(&format!("    v{j} = \"{}\"\n", stack.cidr(j)));
    }
    text.push_str("  }\n}\n");
    text
}

const MAIN: &str = r#"terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name = "${var.environment}-@STACK@"
  azs  = ["${var.region}a", "${var.region}b"]
  private_subnets = {
    a = { netnum = 10, az = 0, ipv6 = true }
    b = { netnum = 11, az = 1, ipv6 = false }
  }
  tags = {
    Environment = var.environment
    Stack       = "@STACK@"
    ManagedBy   = "terraform"
  }
}

resource "aws_iam_role" "flow_logs" {
  name = "${local.name}-flow-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}
"#;

const VPC: &str = r#"resource "aws_vpc" "@V@" {
  cidr_block                       = var.vpc_cidrs["@V@"]
@IPV6@
  enable_dns_support               = true
  enable_dns_hostnames             = true
  tags                             = merge(local.tags, { Name = "${local.name}-@V@" })
}

resource "aws_subnet" "@V@_public" {
  count                           = 2
  vpc_id                          = aws_vpc.@V@.id
  cidr_block                      = cidrsubnet(aws_vpc.@V@.cidr_block, 8, count.index)
  availability_zone               = local.azs[count.index]
  ipv6_cidr_block                 = count.index == 0 ? cidrsubnet(aws_vpc.@V@.ipv6_cidr_block, 8, 0) : null
  assign_ipv6_address_on_creation = count.index == 0
  map_public_ip_on_launch         = true
  tags                            = merge(local.tags, { Name = "${local.name}-@V@-public-${count.index}", Tier = "public" })
}

resource "aws_subnet" "@V@_private" {
  for_each          = local.private_subnets
  vpc_id            = aws_vpc.@V@.id
  cidr_block        = cidrsubnet(aws_vpc.@V@.cidr_block, 8, each.value.netnum)
  availability_zone = local.azs[each.value.az]
  ipv6_cidr_block   = each.value.ipv6 ? cidrsubnet(aws_vpc.@V@.ipv6_cidr_block, 8, each.value.netnum) : null
  tags              = merge(local.tags, { Name = "${local.name}-@V@-private-${each.key}", Tier = "private" })
}

resource "aws_internet_gateway" "@V@" {
  vpc_id = aws_vpc.@V@.id
  tags   = local.tags
}

resource "aws_egress_only_internet_gateway" "@V@" {
  vpc_id = aws_vpc.@V@.id
  tags   = local.tags
}

resource "aws_eip" "@V@_nat" {
  domain = "vpc"
  tags   = local.tags
}

resource "aws_nat_gateway" "@V@" {
  allocation_id = aws_eip.@V@_nat.id
  subnet_id     = aws_subnet.@V@_public[0].id
  tags          = local.tags
  depends_on    = [aws_internet_gateway.@V@]
}

resource "aws_route_table" "@V@_public" {
  vpc_id = aws_vpc.@V@.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.@V@.id
  }
@PUBLIC_V6@
  tags = merge(local.tags, { Name = "${local.name}-@V@-public" })
}

resource "aws_route_table" "@V@_private" {
  vpc_id = aws_vpc.@V@.id
  tags   = merge(local.tags, { Name = "${local.name}-@V@-private" })
}

resource "aws_route" "@V@_private_default" {
  route_table_id         = aws_route_table.@V@_private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.@V@.id
}

resource "aws_route" "@V@_private_default_ipv6" {
  route_table_id              = aws_route_table.@V@_private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.@V@.id
}

resource "aws_route_table_association" "@V@_public" {
  count          = length(aws_subnet.@V@_public)
  subnet_id      = aws_subnet.@V@_public[count.index].id
  route_table_id = aws_route_table.@V@_public.id
}

resource "aws_route_table_association" "@V@_private" {
  for_each       = local.private_subnets
  subnet_id      = aws_subnet.@V@_private[each.key].id
  route_table_id = aws_route_table.@V@_private.id
}

resource "aws_vpc_endpoint" "@V@_s3" {
  vpc_id            = aws_vpc.@V@.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.@V@_public.id, aws_route_table.@V@_private.id]
  tags              = local.tags
}

resource "aws_cloudwatch_log_group" "@V@_flow_logs" {
  name              = "/vpc/${local.name}/@V@"
  retention_in_days = 30
}
@FLOW_LOG@
resource "aws_s3_bucket" "@V@_data" {
  bucket = "${local.name}-@V@-data"
  tags   = local.tags
}
"#;

const PUBLIC_V6: &str = r#"
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.@V@.id
  }
"#;

const FLOW_LOG: &str = r#"
resource "aws_flow_log" "@V@" {
  vpc_id          = aws_vpc.@V@.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.@V@_flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
  tags            = local.tags
}
"#;

const POLICY_JSONENCODE: &str = r#"
resource "aws_s3_bucket_policy" "@V@_data" {
  bucket = aws_s3_bucket.@V@_data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyOutsideVpce"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.@V@_data.arn, "${aws_s3_bucket.@V@_data.arn}/*"]
        Condition = {
          StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.@V@_s3.id }
        }
      },
    ]
  })
}
"#;

const POLICY_DOCUMENT: &str = r#"
data "aws_iam_policy_document" "@V@_data" {
  statement {
    sid       = "DenyOutsideVpce"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.@V@_data.arn, "${aws_s3_bucket.@V@_data.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = [aws_vpc_endpoint.@V@_s3.id]
    }
  }
}

resource "aws_s3_bucket_policy" "@V@_data" {
  bucket = aws_s3_bucket.@V@_data.id
  policy = data.aws_iam_policy_document.@V@_data.json
}
"#;

const SQS_GATEWAY: &str = r#"
resource "aws_vpc_endpoint" "@V@_sqs" {
  vpc_id            = aws_vpc.@V@.id
  service_name      = "com.amazonaws.${var.region}.sqs"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.@V@_private.id]
}
"#;

const INTERFACE_ENDPOINT: &str = r#"
resource "aws_security_group" "@V@_endpoints" {
  name   = "${local.name}-@V@-endpoints"
  vpc_id = aws_vpc.@V@.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.@V@.cidr_block]
  }
}

resource "aws_vpc_endpoint" "@V@_ssm" {
  vpc_id              = aws_vpc.@V@.id
  service_name        = "com.amazonaws.${var.region}.ssm"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.@V@_private["a"].id]
  security_group_ids  = [aws_security_group.@V@_endpoints.id]
  private_dns_enabled = true
}
"#;

const OVERLAPPING_SUBNET: &str = r#"
resource "aws_subnet" "@V@_legacy" {
  vpc_id     = aws_vpc.@V@.id
  cidr_block = cidrsubnet(aws_vpc.@V@.cidr_block, 9, 22)
}

resource "aws_route_table_association" "@V@_legacy" {
  subnet_id      = aws_subnet.@V@_legacy.id
  route_table_id = aws_route_table.@V@_private.id
}
"#;

const OUTSIDE_SUBNET: &str = r#"
resource "aws_subnet" "@V@_legacy" {
  vpc_id     = aws_vpc.@V@.id
  cidr_block = "172.16.@J@.0/24"
}
"#;

const SECONDARY_CIDR: &str = r#"
resource "aws_vpc_ipv4_cidr_block_association" "@V@_secondary" {
  vpc_id     = aws_vpc.@V@.id
  cidr_block = cidrsubnet(var.vpc_cidrs["@K@"], 8, 200)
}
"#;

fn flat_vpc(stack: &StackPlan, j: usize, name: &str) -> (String, Vec<ExpectedFinding>) {
    let v = format!("v{j}");
    let file = format!("{name}/vpc_{v}.tf");
    let defect = stack.defect(j);
    let mut expected = Vec::new();
    let mut expect = |rule: &'static str, resource: String, file: &str| {
        expected.push(ExpectedFinding {
            rule,
            resource,
            file: file.to_owned(),
        })
    };
    let public_v6 = if defect == Some(Defect::Ipv6Egress) {
        expect("VPC201", format!("aws_subnet.{v}_public[0]"), &file);
        ""
    } else {
        PUBLIC_V6
    };
    let flow_log = if defect == Some(Defect::FlowLogs) {
        expect("VPC501", format!("aws_vpc.{v}"), &file);
        ""
    } else {
        FLOW_LOG
    };
    let mut text = VPC
        .replace("@PUBLIC_V6@", public_v6)
        .replace("@FLOW_LOG@", flow_log);
    text.push_str(if j % 2 == 0 {
        POLICY_JSONENCODE
    } else {
        POLICY_DOCUMENT
    });
    match defect {
        Some(Defect::GatewayEndpoint) => {
            text.push_str(SQS_GATEWAY);
            expect("VPC302", format!("aws_vpc_endpoint.{v}_sqs"), &file);
        }
        Some(Defect::InterfaceEndpoint) => {
            text.push_str(INTERFACE_ENDPOINT);
            expect("VPC401", format!("aws_vpc_endpoint.{v}_ssm"), &file);
        }
        Some(Defect::Addressing) => {
            text.push_str(OUTSIDE_SUBNET);
            expect("VPC601", format!("aws_subnet.{v}_legacy"), &file);
        }
        Some(Defect::SubnetOverlap) => {
            text.push_str(OVERLAPPING_SUBNET);
            expect("VPC602", format!("aws_subnet.{v}_legacy"), &file);
        }
        Some(Defect::PeeringOverlap) => {
            if let Some(k) = stack.next(j) {
                text.push_str(&SECONDARY_CIDR.replace("@K@", &format!("v{k}")));
            }
        }
        _ => {}
    }
    let ipv6 = if super::explicit_ipv6(stack.index) {
        format!(
            "  ipv6_ipam_pool_id                = var.ipv6_pool_id\n  ipv6_cidr_block                  = \"{}\"",
            super::ipv6_cidr(stack.index, j)
        )
    } else {
        "  assign_generated_ipv6_cidr_block = true".to_owned()
    };
    (
        fill(
            &text,
            &[("@IPV6@", &ipv6), ("@V@", &v), ("@J@", &j.to_string())],
        ),
        expected,
    )
}

/// `peering.tf`: the ring of peering connections and the routes on both sides.
fn peering(stack: &StackPlan, name: &str) -> (String, Vec<ExpectedFinding>) {
    let module = uses_module(stack.index);
    let file = format!("{name}/peering.tf");
    let mut text = String::new();
    let mut expected = Vec::new();
    let vpc_id = |j: usize| {
        if module {
            format!("module.vpc[\"v{j}\"].vpc_id")
        } else {
            format!("aws_vpc.v{j}.id")
        }
    };
    let cidr = |j: usize| {
        if module {
            format!("module.vpc[\"v{j}\"].cidr_block")
        } else {
            format!("aws_vpc.v{j}.cidr_block")
        }
    };
    let tables = |j: usize, private: bool| {
        let mut entries = vec![("public", j)];
        if private {
            entries.push(("private", j));
        }
        entries
            .iter()
            .map(|(tier, j)| {
                if module {
                    format!("    {tier} = module.vpc[\"v{j}\"].{tier}_route_table_id\n")
                } else {
                    format!("    {tier} = aws_route_table.v{j}_{tier}.id\n")
                }
            })
            .collect::<String>()
    };
    for j in 0..stack.vpcs {
        let Some(k) = stack.next(j) else { continue };
        let defect = stack.defect(j);
        let peering = format!("v{j}_v{k}");
        text.push_str(&format!(
            "resource \"aws_vpc_peering_connection\" \"{peering}\" {{\n  vpc_id      = {}\n  \
             peer_vpc_id = {}\n  auto_accept = true\n\n  accepter {{\n    \
             allow_remote_vpc_dns_resolution = true\n  }}\n\n  requester {{\n    \
             allow_remote_vpc_dns_resolution = true\n  }}\n\n  tags = {{\n    \
             Name = \"${{local.name}}-{peering}\"\n  }}\n}}\n\n",
            vpc_id(j),
            vpc_id(k)
        ));
        if defect == Some(Defect::PeeringOverlap) {
            expected.push(ExpectedFinding {
                rule: "VPC101",
                resource: format!("aws_vpc_peering_connection.{peering}"),
                file: file.clone(),
            });
        }
        let missing_return = defect == Some(Defect::MissingReturnRoute);
        for (from, to, private) in [(j, k, true), (k, j, !missing_return)] {
            text.push_str(&format!(
                "resource \"aws_route\" \"v{from}_to_v{to}\" {{\n  for_each = {{\n{}  }}\n\n  \
                 route_table_id            = each.value\n  destination_cidr_block    = {}\n  \
                 vpc_peering_connection_id = aws_vpc_peering_connection.{peering}.id\n}}\n\n",
                tables(from, private),
                cidr(to)
            ));
        }
        if missing_return {
            for tier in ["public", "private"] {
                expected.push(ExpectedFinding {
                    rule: "VPC103",
                    resource: format!("aws_route.v{j}_to_v{k}[\"{tier}\"]"),
                    file: file.clone(),
                });
            }
        }
        if defect == Some(Defect::TransitiveRoute) {
            if let Some(far) = stack.next(k) {
                text.push_str(&format!(
                    "resource \"aws_route\" \"v{j}_transitive\" {{\n  \
                     route_table_id            = aws_route_table.v{j}_private.id\n  \
                     destination_cidr_block    = {}\n  \
                     vpc_peering_connection_id = aws_vpc_peering_connection.{peering}.id\n}}\n\n",
                    cidr(far)
                ));
                expected.push(ExpectedFinding {
                    rule: "VPC102",
                    resource: format!("aws_route.v{j}_transitive"),
                    file: file.clone(),
                });
            }
        }
    }
    (text, expected)
}

fn module_main(stack: &StackPlan, name: &str) -> String {
    let mut text = fill(MAIN, &[("@STACK@", name)]);
    text.push_str(
        r#"
module "vpc" {
  source   = "../modules/vpc"
  for_each = var.vpc_cidrs

  name              = "${local.name}-${each.key}"
  cidr_block        = each.value
  region            = var.region
  azs               = local.azs
  flow_log_role_arn = aws_iam_role.flow_logs.arn
  tags              = local.tags
}
"#,
    );
    let _ = stack;
    text
}

const MODULE_VARIABLES: &str = r#"variable "name" {
  type = string
}

variable "cidr_block" {
  type = string
}

variable "region" {
  type = string
}

variable "azs" {
  type = list(string)
}

variable "flow_log_role_arn" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "private_subnets" {
  type = map(object({ netnum = number, az = number, ipv6 = bool }))
  default = {
    a = { netnum = 10, az = 0, ipv6 = true }
    b = { netnum = 11, az = 1, ipv6 = false }
  }
}
"#;

const MODULE_OUTPUTS: &str = r#"output "vpc_id" {
  value = aws_vpc.this.id
}

output "cidr_block" {
  value = aws_vpc.this.cidr_block
}

output "public_route_table_id" {
  value = aws_route_table.public.id
}

output "private_route_table_id" {
  value = aws_route_table.private.id
}
"#;

const MODULE_MAIN: &str = r#"locals {
  tags = merge(var.tags, { Module = "vpc" })
}

resource "aws_vpc" "this" {
  cidr_block                       = var.cidr_block
  assign_generated_ipv6_cidr_block = true
  enable_dns_support               = true
  enable_dns_hostnames             = true
  tags                             = merge(local.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count                           = length(var.azs)
  vpc_id                          = aws_vpc.this.id
  cidr_block                      = cidrsubnet(var.cidr_block, 8, count.index)
  availability_zone               = var.azs[count.index]
  ipv6_cidr_block                 = count.index == 0 ? cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, 0) : null
  assign_ipv6_address_on_creation = count.index == 0
  map_public_ip_on_launch         = true
  tags                            = merge(local.tags, { Name = "${var.name}-public-${count.index}" })
}

resource "aws_subnet" "private" {
  for_each          = var.private_subnets
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr_block, 8, each.value.netnum)
  availability_zone = var.azs[each.value.az]
  ipv6_cidr_block   = each.value.ipv6 ? cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, each.value.netnum) : null
  tags              = merge(local.tags, { Name = "${var.name}-private-${each.key}" })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = local.tags
}

resource "aws_egress_only_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = local.tags
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
  tags          = local.tags
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }

  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.this.id
  }

  tags = local.tags
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this.id
  }

  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.this.id
  }

  tags = local.tags
}

resource "aws_route_table_association" "public" {
  count          = length(aws_subnet.public)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.public.id, aws_route_table.private.id]
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/vpc/${var.name}"
  retention_in_days = 30
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = var.flow_log_role_arn
}

resource "aws_s3_bucket" "data" {
  bucket = "${var.name}-data"
  tags   = local.tags
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyOutsideVpce"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
      Condition = {
        StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id }
      }
    }]
  })
}
"#;
