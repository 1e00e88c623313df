# The lock names an S3 gateway endpoint that no route table uses, rendered by a policy
# document data source.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "s3_routed" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "s3_unrouted" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_s3_bucket" "data" {
  bucket = "example-app-data"
}

data "aws_iam_policy_document" "data_bucket" {
  statement {
    sid     = "DenyOutsideVpce"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.data.arn,
      "${aws_s3_bucket.data.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = [aws_vpc_endpoint.s3_unrouted.id]
    }
  }
}

resource "aws_s3_bucket_policy" "fail_locked_to_unrouted_endpoint" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.data_bucket.json
}
