# Two VPCs peered correctly: disjoint CIDRs, a route each way over the peering.
resource "aws_vpc" "web" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_peering_connection" "web_db" {
  vpc_id      = aws_vpc.web.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true
}

resource "aws_subnet" "web" {
  vpc_id     = aws_vpc.web.id
  cidr_block = "10.1.1.0/24"
}

resource "aws_subnet" "db" {
  vpc_id     = aws_vpc.db.id
  cidr_block = "10.2.1.0/24"
}

resource "aws_route_table" "web" {
  vpc_id = aws_vpc.web.id

  route {
    cidr_block                = aws_vpc.db.cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.web_db.id
  }
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.db.id

  route {
    cidr_block                = aws_vpc.web.cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.web_db.id
  }
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}

# Both VPCs record their traffic, as a production network should.
resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/vpc/flow-logs"
  retention_in_days = 30
}

resource "aws_flow_log" "vpc" {
  for_each        = { web = aws_vpc.web.id, db = aws_vpc.db.id }
  vpc_id          = each.value
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = "arn:aws:iam::123456789012:role/vpc-flow-logs"
}
