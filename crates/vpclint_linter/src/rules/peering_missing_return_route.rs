use crate::{declare_rule, Rule, RuleContext};

declare_rule! {
    /// TODO summary.
    pub PeeringMissingReturnRoute {
        id: "VPC103",
        name: "peering-missing-return-route",
        severity: Error,
        category: Peering,
    }
}

impl Rule for PeeringMissingReturnRoute {
    fn check(&self, _ctx: &mut RuleContext<'_>) {}
}
