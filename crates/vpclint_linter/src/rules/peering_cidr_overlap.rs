use crate::{declare_rule, Rule, RuleContext};

declare_rule! {
    /// TODO summary.
    pub PeeringCidrOverlap {
        id: "VPC101",
        name: "peering-cidr-overlap",
        severity: Error,
        category: Peering,
    }
}

impl Rule for PeeringCidrOverlap {
    fn check(&self, _ctx: &mut RuleContext<'_>) {}
}
