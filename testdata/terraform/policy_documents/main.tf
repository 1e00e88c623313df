resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.s3"
  policy       = data.aws_iam_policy_document.endpoint.json
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "ReadOnly"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Replaced"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "endpoint" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  statement {
    sid       = "Replaced"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyOutsideEndpoint"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = [aws_vpc_endpoint.s3.id]
    }
  }

  dynamic "statement" {
    for_each = ["arn:aws:iam::111122223333:root"]
    content {
      sid       = "Admin"
      actions   = ["s3:*"]
      resources = ["arn:aws:s3:::data-bucket/*"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }

  override_policy_documents = [jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Admin", Effect = "Allow", Action = "s3:GetObject", Resource = "*", Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
  })]
}

resource "aws_s3_bucket" "data" {
  bucket = "data-bucket"
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.bucket.json
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-bucket"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:sourceVpc": "vpc-0123456789abcdef0"}}}]
    }
  EOT
}

data "aws_iam_policy_document" "unknown_source" {
  source_policy_documents = [data.aws_s3_object.policy.body]
}

data "aws_s3_object" "policy" {
  bucket = "policies"
  key    = "bucket.json"
}

resource "aws_s3_bucket" "other" {
  bucket = "other-bucket"
  policy = data.aws_iam_policy_document.unknown_source.json
}
