# The policy is set by a separate aws_vpc_endpoint_policy, rendered from a policy document
# that allows s3:* on everything.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "fail_s3" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

data "aws_iam_policy_document" "s3_endpoint" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

resource "aws_vpc_endpoint_policy" "fail_s3_everything" {
  vpc_endpoint_id = aws_vpc_endpoint.fail_s3.id
  policy          = data.aws_iam_policy_document.s3_endpoint.json
}
