# Locks written with data "aws_iam_policy_document": one on the VPC (StringNotEqualsIfExists
# on aws:SourceVpc), one on the endpoint for buckets built with for_each.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.app.id
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_vpc_endpoint_route_table_association" "s3_private" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.private.id
}

resource "aws_s3_bucket" "archive" {
  bucket = "example-app-archive"
}

data "aws_iam_policy_document" "archive" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::example-app-archive/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEqualsIfExists"
      variable = "aws:SourceVpc"
      values   = [aws_vpc.app.id]
    }
  }
}

resource "aws_s3_bucket_policy" "pass_archive_locked_to_vpc" {
  bucket = aws_s3_bucket.archive.id
  policy = data.aws_iam_policy_document.archive.json
}

resource "aws_s3_bucket" "team" {
  for_each = toset(["analytics", "billing"])
  bucket   = "example-app-${each.key}"
}

data "aws_iam_policy_document" "team" {
  for_each = aws_s3_bucket.team
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:sourcevpce"
      values   = [aws_vpc_endpoint.s3.id]
    }
  }
}

resource "aws_s3_bucket_policy" "pass_team_locked" {
  for_each = aws_s3_bucket.team
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.team[each.key].json
}
