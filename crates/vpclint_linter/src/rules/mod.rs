//! One file per rule. The doc comment of each is its documentation.

mod peering_cidr_overlap;
mod peering_missing_return_route;
mod peering_transitive_route;

pub use peering_cidr_overlap::PeeringCidrOverlap;
pub use peering_missing_return_route::PeeringMissingReturnRoute;
pub use peering_transitive_route::PeeringTransitiveRoute;
