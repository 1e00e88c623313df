variable "region" {
  description = "Region every VPC of this example lives in."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_cidrs" {
  description = "Address plan: one /16 per VPC."
  type        = map(string)
  default = {
    shared    = "10.10.0.0/16"
    app       = "10.20.0.0/16"
    analytics = "10.30.0.0/16"
    # Copied from the app VPC's plan when the legacy account was migrated:
    # it overlaps the app VPC, so the app <-> legacy peering cannot be created (VPC101).
    legacy = "10.20.0.0/20"
  }
}
