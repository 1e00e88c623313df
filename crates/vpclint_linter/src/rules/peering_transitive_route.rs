use crate::{declare_rule, Rule, RuleContext};

declare_rule! {
    /// TODO summary.
    pub PeeringTransitiveRoute {
        id: "VPC102",
        name: "peering-transitive-route",
        severity: Error,
        category: Peering,
    }
}

impl Rule for PeeringTransitiveRoute {
    fn check(&self, _ctx: &mut RuleContext<'_>) {}
}
