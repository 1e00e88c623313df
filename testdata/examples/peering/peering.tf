resource "aws_vpc_peering_connection" "app_shared" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true
  tags        = { Name = "app-shared" }
}

resource "aws_vpc_peering_connection" "shared_analytics" {
  vpc_id      = aws_vpc.shared.id
  peer_vpc_id = aws_vpc.analytics.id
  auto_accept = true
  tags        = { Name = "shared-analytics" }
}

# VPC101: 10.20.0.0/20 (legacy) lies inside 10.20.0.0/16 (app).
resource "aws_vpc_peering_connection" "app_legacy" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.legacy.id
  auto_accept = true
  tags        = { Name = "app-legacy" }
}
