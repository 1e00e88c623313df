# App -> shared services. VPC103: the shared-services route table has no route back to
# the app VPC, so replies from shared services never reach the app.
resource "aws_route" "app_to_shared" {
  route_table_id            = aws_route_table.app_private.id
  destination_cidr_block    = aws_vpc.shared.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
}

# VPC102: analytics is reached through the shared-services VPC, but peering is not
# transitive; shared services drops these packets.
resource "aws_route" "app_to_analytics" {
  route_table_id            = aws_route_table.app_private.id
  destination_cidr_block    = aws_vpc.analytics.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
}

# Shared services <-> analytics: routed in both directions (correct).
resource "aws_route" "shared_to_analytics" {
  route_table_id            = aws_route_table.shared_private.id
  destination_cidr_block    = aws_vpc.analytics.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.shared_analytics.id
}

resource "aws_route" "analytics_to_shared" {
  route_table_id            = aws_route_table.analytics_private.id
  destination_cidr_block    = aws_vpc.shared.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.shared_analytics.id
}
