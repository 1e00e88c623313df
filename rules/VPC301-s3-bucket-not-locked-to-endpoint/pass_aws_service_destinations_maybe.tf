# AWS services that may write into these buckets: what vpclint cannot know counts as "may",
# and a bucket that may receive deliveries is never asked to be locked.
provider "aws" {
  region = "eu-west-1"
}

variable "central_logging" {
  type = bool
}

variable "trail_bucket_name" {
  type = string
}

variable "reader_principal" {
  type = string
}

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.app.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

# Either bucket, depending on a variable with no value here.
resource "aws_s3_bucket" "pass_central_flow_logs" {
  bucket = "example-central-flow-logs"
}

resource "aws_s3_bucket" "pass_local_flow_logs" {
  bucket = "example-local-flow-logs"
}

resource "aws_flow_log" "app" {
  vpc_id               = aws_vpc.app.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = var.central_logging ? aws_s3_bucket.pass_central_flow_logs.arn : aws_s3_bucket.pass_local_flow_logs.arn
}

# The trail names its bucket literally; this bucket's name is not known, so it may be it.
resource "aws_s3_bucket" "pass_maybe_trail" {
  bucket = var.trail_bucket_name
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "example-org-trail"
}

# A grant to the S3 log delivery group.
resource "aws_s3_bucket" "pass_log_delivery_grant" {
  bucket = "example-legacy-access-logs"
}

resource "aws_s3_bucket_acl" "pass_log_delivery_grant" {
  bucket = aws_s3_bucket.pass_log_delivery_grant.id

  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
      }
      permission = "WRITE"
    }

    owner {
      id = "0123456789abcdef"
    }
  }
}

# A Firehose delivery stream, CloudFront and WAF logs.
resource "aws_s3_bucket" "pass_firehose" {
  bucket = "example-firehose"
}

resource "aws_kinesis_firehose_delivery_stream" "events" {
  name        = "events"
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn   = "arn:aws:iam::111122223333:role/firehose"
    bucket_arn = aws_s3_bucket.pass_firehose.arn
  }
}

resource "aws_s3_bucket" "pass_cloudfront_logs" {
  bucket = "example-cloudfront-logs"
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true

  logging_config {
    bucket = "example-cloudfront-logs.s3.amazonaws.com"
  }
}

resource "aws_s3_bucket" "pass_waf_logs" {
  bucket = "aws-waf-logs-example"
}

resource "aws_wafv2_web_acl_logging_configuration" "site" {
  resource_arn            = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/site/0"
  log_destination_configs = [aws_s3_bucket.pass_waf_logs.arn]
}

# A policy whose principal is not known: it may be a service's.
resource "aws_s3_bucket" "pass_unknown_principal" {
  bucket = "example-shared"
}

resource "aws_s3_bucket_policy" "pass_unknown_principal" {
  bucket = aws_s3_bucket.pass_unknown_principal.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = var.reader_principal
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.pass_unknown_principal.arn}/*"
    }]
  })
}
