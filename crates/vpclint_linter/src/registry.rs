//! Every rule vpclint ships: one line per rule.

use crate::rules::*;
use crate::Rule;

pub static RULES: &[&dyn Rule] = &[
    &PeeringCidrOverlap,
    &PeeringTransitiveRoute,
    &PeeringMissingReturnRoute,
    &PeeringCrossRegionSgReference,
    &PeeringNeverAccepted,
    &PeeringRemoteDnsDisabled,
    &Ipv6EgressMissing,
    &Ipv6PrivateSubnetExposed,
    &EgressOnlyGatewayIpv4Route,
    &EgressOnlyGatewayUnused,
    &S3BucketNotLockedToEndpoint,
    &GatewayEndpointUnsupportedService,
    &EndpointRegionMismatch,
    &GatewayEndpointNotRouted,
    &GatewayEndpointForeignRouteTable,
    &EndpointPolicyFullAccess,
    &InterfaceEndpointSingleAz,
    &InterfaceEndpointDefaultSecurityGroup,
    &InterfaceEndpointPrivateDnsNeedsVpcDns,
    &InterfaceEndpointDuplicatePrivateDns,
    &InterfaceEndpointNoSubnets,
    &InterfaceEndpointHttpsBlocked,
    &InterfaceEndpointPrivateDnsDisabled,
    &VpcFlowLogsMissing,
    &FlowLogDestinationInvalid,
    &SubnetCidrOutsideVpc,
    &SubnetCidrOverlap,
    &RouteTargetCount,
    &RouteTargetOtherVpc,
    &RouteDuplicateDestination,
    &UndefinedReference,
    &SubnetMultipleRouteTables,
];

/// Finds a rule by ID or name (case-insensitive).
pub fn find_rule(id_or_name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| {
        let meta = r.meta();
        meta.id.eq_ignore_ascii_case(id_or_name) || meta.name.eq_ignore_ascii_case(id_or_name)
    })
}
