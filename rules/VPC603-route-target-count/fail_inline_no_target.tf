# An inline route whose target was deleted in a refactoring.
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "10.99.0.0/16"
  }
}
