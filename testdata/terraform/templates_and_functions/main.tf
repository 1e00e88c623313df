locals {
  envs  = ["prod", "staging"]
  names = formatlist("%s-flow-logs", local.envs)
  list  = "%{for i, e in local.envs~}${i > 0 ? "," : ""}${e}%{~endfor}"
  mode  = "%{if length(local.envs) > 1}multi%{else}single%{endif}"
  az    = regex("^([a-z]{2})-([a-z]+)-(\\d)$", "eu-west-1")
  cidrs = coalescelist([], ["10.60.0.0/16"])
  pairs = setproduct(["a", "b"], [1, 2])
}

resource "aws_cloudwatch_log_group" "flow" {
  count = length(local.names)
  name  = local.names[count.index]
}

resource "aws_cloudwatch_log_group" "summary" {
  name = "${local.list}/${local.mode}/${join("-", local.az)}/${length(local.pairs)}/${basename("/a/b/c")}/${trimprefix(substr("xx-env", 0, 6), "xx-")}"
}

resource "aws_vpc" "main" {
  cidr_block = one(local.cidrs)
}

resource "aws_subnet" "by_regexall" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
  availability_zone = length(regexall("^[a-z]{2}-", "eu-west-1a")) > 0 ? "eu-west-1a" : null
}

resource "aws_s3_bucket" "unsupported" {
  bucket = templatefile("name.tpl", {})
}
