# The edge of this network hangs on a label module from the registry that is not installed
# here (no `terraform init`): vpclint cannot know `module.label.enabled`, so it cannot know
# whether the edge exists, checks nothing about it, and says so in a note.
module "label" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  name    = "edge"
}

resource "aws_vpc" "core" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/vpc/core"
  retention_in_days = 30
}

resource "aws_flow_log" "core" {
  vpc_id          = aws_vpc.core.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = "arn:aws:iam::123456789012:role/vpc-flow-logs"
}

resource "aws_internet_gateway" "edge" {
  count  = module.label.enabled ? 1 : 0
  vpc_id = aws_vpc.core.id
}

resource "aws_subnet" "edge" {
  count      = module.label.enabled ? 1 : 0
  vpc_id     = aws_vpc.core.id
  cidr_block = "10.40.1.0/24"
}

resource "aws_route_table" "edge" {
  count  = module.label.enabled ? 1 : 0
  vpc_id = aws_vpc.core.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.edge[0].id
  }
}
