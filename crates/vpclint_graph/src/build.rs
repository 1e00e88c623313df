//! `VpcGraph::finish`: resolve pending links and build the indexes rules use.

use crate::value::{HashMap, HashSet};

use crate::arena::{Arena, Id};
use crate::model::*;

struct Indexes {
    vpcs: AddressIndex<Vpc>,
    subnets: AddressIndex<Subnet>,
    route_tables: AddressIndex<RouteTable>,
    internet_gateways: AddressIndex<InternetGateway>,
    egress_only_gateways: AddressIndex<EgressOnlyInternetGateway>,
    nat_gateways: AddressIndex<NatGateway>,
    peerings: AddressIndex<PeeringConnection>,
    endpoints: AddressIndex<VpcEndpoint>,
    security_groups: AddressIndex<SecurityGroup>,
    buckets: AddressIndex<S3Bucket>,
    all: HashSet<String>,
}

fn index<T>(
    arena: &Arena<T>,
    origin: impl Fn(&T) -> &Origin,
    all: &mut HashSet<String>,
) -> AddressIndex<T> {
    let mut map = HashMap::with_capacity_and_hasher(arena.len(), Default::default());
    for (id, node) in arena.iter() {
        let address = &origin(node).address;
        all.insert(address.clone());
        map.entry(address.clone()).or_insert(id);
    }
    map
}

fn resolve<T>(link: &mut Link<T>, index: &AddressIndex<T>, all: &HashSet<String>) {
    if let Link::Pending { address, span } = link {
        *link = if let Some(id) = index.get(address.as_str()) {
            Link::Node(*id)
        } else if all.contains(address.as_str()) {
            Link::Declared(std::mem::take(address))
        } else {
            Link::Undeclared {
                address: std::mem::take(address),
                span: *span,
            }
        };
    }
}

fn resolve_target(target: &mut RouteTarget, ix: &Indexes) {
    match target {
        RouteTarget::InternetGateway(l) => resolve(l, &ix.internet_gateways, &ix.all),
        RouteTarget::EgressOnlyInternetGateway(l) => resolve(l, &ix.egress_only_gateways, &ix.all),
        RouteTarget::NatGateway(l) => resolve(l, &ix.nat_gateways, &ix.all),
        RouteTarget::Peering(l) => resolve(l, &ix.peerings, &ix.all),
        RouteTarget::VpcEndpoint(l) => resolve(l, &ix.endpoints, &ix.all),
        RouteTarget::Local | RouteTarget::Other { .. } => {}
    }
}

pub(crate) fn finish(g: &mut VpcGraph) {
    let mut all = std::mem::take(&mut g.declared);
    let ix = Indexes {
        vpcs: index(&g.vpcs, |n| &n.origin, &mut all),
        subnets: index(&g.subnets, |n| &n.origin, &mut all),
        route_tables: index(&g.route_tables, |n| &n.origin, &mut all),
        internet_gateways: index(&g.internet_gateways, |n| &n.origin, &mut all),
        egress_only_gateways: index(&g.egress_only_gateways, |n| &n.origin, &mut all),
        nat_gateways: index(&g.nat_gateways, |n| &n.origin, &mut all),
        peerings: index(&g.peerings, |n| &n.origin, &mut all),
        endpoints: index(&g.endpoints, |n| &n.origin, &mut all),
        security_groups: index(&g.security_groups, |n| &n.origin, &mut all),
        buckets: index(&g.buckets, |n| &n.origin, &mut all),
        all,
    };
    resolve_links(g, &ix);
    g.declared = ix.all;
    g.resource_count = g.resource_count.max(g.declared.len());
    build_indexes(g);
    if g.may_lack_resources() {
        mark_everything_incomplete(g);
    }
}

/// A stack with parts vpclint could not read may hold any resource there: a secondary CIDR,
/// a route, an association, a flow log, a bucket policy. Every list that records "there may
/// be more" says so, so rules that reason about absence stay silent.
fn mark_everything_incomplete(g: &mut VpcGraph) {
    for vpc in g.vpcs.values_mut() {
        vpc.cidrs_may_be_incomplete = true;
        vpc.main_route_table_unknown = true;
    }
    for subnet in g.subnets.values_mut() {
        subnet.cidrs_may_be_incomplete = true;
    }
    for table in g.route_tables.values_mut() {
        table.routes_may_be_incomplete = true;
    }
    for endpoint in g.endpoints.values_mut() {
        endpoint.route_tables_may_be_incomplete = true;
        endpoint.subnets_may_be_incomplete = true;
        endpoint.security_groups_may_be_incomplete = true;
    }
    g.has_unknown_subnet_association = true;
    g.has_unknown_delivery_bucket = true;
}

fn resolve_links(g: &mut VpcGraph, ix: &Indexes) {
    let all = &ix.all;
    for n in g.subnets.values_mut() {
        resolve(&mut n.vpc, &ix.vpcs, all);
    }
    for n in g.route_tables.values_mut() {
        resolve(&mut n.vpc, &ix.vpcs, all);
    }
    for n in g.routes.values_mut() {
        resolve(&mut n.route_table, &ix.route_tables, all);
        for t in &mut n.targets {
            resolve_target(&mut t.target, ix);
        }
    }
    for n in g.route_table_associations.values_mut() {
        resolve(&mut n.subnet, &ix.subnets, all);
        resolve(&mut n.route_table, &ix.route_tables, all);
    }
    for n in g.main_route_table_associations.values_mut() {
        resolve(&mut n.vpc, &ix.vpcs, all);
        resolve(&mut n.route_table, &ix.route_tables, all);
    }
    for n in g.cidr_associations.values_mut() {
        match &mut n.owner {
            CidrOwner::Vpc(l) => resolve(l, &ix.vpcs, all),
            CidrOwner::Subnet(l) => resolve(l, &ix.subnets, all),
        }
    }
    for n in g.internet_gateways.values_mut() {
        resolve(&mut n.vpc, &ix.vpcs, all);
    }
    for n in g.gateway_attachments.values_mut() {
        resolve(&mut n.gateway, &ix.internet_gateways, all);
        resolve(&mut n.vpc, &ix.vpcs, all);
    }
    for n in g.egress_only_gateways.values_mut() {
        resolve(&mut n.vpc, &ix.vpcs, all);
    }
    for n in g.nat_gateways.values_mut() {
        resolve(&mut n.subnet, &ix.subnets, all);
    }
    for n in g.peerings.values_mut() {
        resolve(&mut n.requester_vpc, &ix.vpcs, all);
        resolve(&mut n.accepter_vpc, &ix.vpcs, all);
    }
    for n in g.peering_accepters.values_mut() {
        resolve(&mut n.peering, &ix.peerings, all);
    }
    for n in g.endpoints.values_mut() {
        resolve(&mut n.vpc, &ix.vpcs, all);
        n.route_tables
            .iter_mut()
            .for_each(|l| resolve(&mut l.link, &ix.route_tables, all));
        n.subnets
            .iter_mut()
            .for_each(|l| resolve(&mut l.link, &ix.subnets, all));
        n.security_groups
            .iter_mut()
            .for_each(|l| resolve(&mut l.link, &ix.security_groups, all));
    }
    for n in g.endpoint_associations.values_mut() {
        resolve(&mut n.endpoint, &ix.endpoints, all);
        match &mut n.kind {
            EndpointAssociationKind::RouteTable(l) => resolve(l, &ix.route_tables, all),
            EndpointAssociationKind::Subnet(l) => resolve(l, &ix.subnets, all),
            EndpointAssociationKind::SecurityGroup(l) => resolve(l, &ix.security_groups, all),
            EndpointAssociationKind::Policy(_) => {}
        }
    }
    for n in g.flow_logs.values_mut() {
        for t in &mut n.targets {
            match t {
                FlowLogTarget::Vpc(l) => resolve(l, &ix.vpcs, all),
                FlowLogTarget::Subnet(l) => resolve(l, &ix.subnets, all),
                _ => {}
            }
        }
    }
    for n in g.security_groups.values_mut() {
        resolve(&mut n.vpc, &ix.vpcs, all);
    }
    for n in g.security_group_rules.values_mut() {
        resolve(&mut n.security_group, &ix.security_groups, all);
        if let Some(r) = &mut n.referenced_security_group {
            resolve(&mut r.link, &ix.security_groups, all);
        }
    }
    for n in g.bucket_policies.values_mut() {
        resolve(&mut n.bucket, &ix.buckets, all);
    }
    for n in g.bucket_deliveries.values_mut() {
        resolve(&mut n.bucket, &ix.buckets, all);
    }
}

fn is_unknown<T>(link: &Link<T>) -> bool {
    matches!(link, Link::Unknown(_))
}

fn build_indexes(g: &mut VpcGraph) {
    // Secondary CIDR blocks into their owners.
    let mut unknown_vpc_cidr = false;
    for assoc in g.cidr_associations.values() {
        // A block that might not exist can neither prove an overlap nor be ruled out.
        if !assoc.origin.is_certain() {
            match &assoc.owner {
                CidrOwner::Vpc(Link::Node(id)) => g.vpcs[*id].cidrs_may_be_incomplete = true,
                CidrOwner::Vpc(_) => unknown_vpc_cidr = true,
                CidrOwner::Subnet(_) => {}
            }
            continue;
        }
        match &assoc.owner {
            CidrOwner::Vpc(Link::Node(id)) => {
                let vpc = &mut g.vpcs[*id];
                if assoc.ipv6 {
                    &mut vpc.ipv6_cidrs
                } else {
                    &mut vpc.ipv4_cidrs
                }
                .push(assoc.block.clone());
            }
            CidrOwner::Vpc(link) => unknown_vpc_cidr |= is_unknown(link),
            CidrOwner::Subnet(Link::Node(id)) => {
                let subnet = &mut g.subnets[*id];
                if assoc.ipv6 {
                    subnet.ipv6_cidrs.push(assoc.block.clone());
                } else if subnet.ipv4_cidr.is_none() {
                    subnet.ipv4_cidr = Some(assoc.block.clone());
                }
            }
            CidrOwner::Subnet(_) => {}
        }
    }
    if unknown_vpc_cidr {
        g.vpcs
            .values_mut()
            .for_each(|v| v.cidrs_may_be_incomplete = true);
    }

    for (id, subnet) in g.subnets.iter() {
        if let Link::Node(vpc) = subnet.vpc {
            g.vpcs[vpc].subnets.push(id);
        }
    }
    for (id, table) in g.route_tables.iter() {
        if let Link::Node(vpc) = table.vpc {
            g.vpcs[vpc].route_tables.push(id);
            if table.is_main {
                g.vpcs[vpc].main_route_table = Some(id);
            }
        } else if table.is_main && is_unknown(&table.vpc) {
            g.vpcs
                .values_mut()
                .for_each(|v| v.main_route_table_unknown = true);
        }
    }
    for assoc in g.main_route_table_associations.values() {
        match (&assoc.vpc, &assoc.route_table) {
            (Link::Node(vpc), Link::Node(table)) => g.vpcs[*vpc].main_route_table = Some(*table),
            (Link::Node(vpc), _) => g.vpcs[*vpc].main_route_table_unknown = true,
            (vpc, _) if is_unknown(vpc) => g
                .vpcs
                .values_mut()
                .for_each(|v| v.main_route_table_unknown = true),
            _ => {}
        }
    }

    let mut unknown_table_route = false;
    for (id, route) in g.routes.iter() {
        match route.route_table {
            Link::Node(table) => g.route_tables[table].routes.push(id),
            ref link => unknown_table_route |= is_unknown(link),
        }
    }
    if unknown_table_route {
        g.route_tables
            .values_mut()
            .for_each(|t| t.routes_may_be_incomplete = true);
    }

    for (id, assoc) in g.route_table_associations.iter() {
        g.has_unknown_subnet_association |= is_unknown(&assoc.subnet);
        if let Link::Node(subnet) = assoc.subnet {
            g.subnets[subnet].associations.push(id);
        }
        if let Link::Node(table) = assoc.route_table {
            g.route_tables[table].associations.push(id);
        }
    }

    for att in g.gateway_attachments.values() {
        // An attachment that might not exist does not settle the gateway's VPC.
        if !att.origin.is_certain() {
            continue;
        }
        if let Link::Node(igw) = att.gateway {
            if g.internet_gateways[igw].vpc.is_none() {
                g.internet_gateways[igw].vpc = att.vpc.clone();
            }
        }
    }

    for (id, peering) in g.peerings.iter() {
        let sides = [peering.requester_vpc.node(), peering.accepter_vpc.node()];
        for vpc in sides.into_iter().flatten() {
            // Ids come in order, so a connection can only repeat as the last one (both
            // sides one VPC); `contains` made thousands of connections quadratic.
            if g.vpcs[vpc].peerings.last() != Some(&id) {
                g.vpcs[vpc].peerings.push(id);
            }
        }
    }
    for (id, route) in g.routes.iter() {
        for target in &route.targets {
            if let RouteTarget::Peering(Link::Node(p)) = &target.target {
                let routes = &mut g.peerings[*p].routes;
                if routes.last() != Some(&id) {
                    routes.push(id);
                }
            }
        }
    }
    for (id, accepter) in g.peering_accepters.iter() {
        if let Link::Node(p) = accepter.peering {
            let peering = &mut g.peerings[p];
            peering.accepters.push(id);
            // `aws_vpc_peering_connection_options` only sets options; it accepts nothing.
            if accepter.origin.resource_type != "aws_vpc_peering_connection_options" {
                peering.accepted_by.push(accepter.origin.address.clone());
            }
            if accepter.auto_accept.is_some() && peering.auto_accept.is_none() {
                peering.auto_accept = accepter.auto_accept.clone();
            }
            if accepter
                .requester_options
                .allow_remote_vpc_dns_resolution
                .is_some()
            {
                peering.requester_options = accepter.requester_options.clone();
            }
            if accepter
                .accepter_options
                .allow_remote_vpc_dns_resolution
                .is_some()
            {
                peering.accepter_options = accepter.accepter_options.clone();
            }
        }
    }

    for assoc in g.endpoint_associations.values() {
        let Link::Node(endpoint) = assoc.endpoint else {
            continue;
        };
        let ep = &mut g.endpoints[endpoint];
        let via = Some(assoc.origin.address.clone());
        let span = assoc.origin.span;
        match &assoc.kind {
            EndpointAssociationKind::RouteTable(l) => ep.route_tables.push(Linked {
                link: l.clone(),
                span,
                via,
            }),
            EndpointAssociationKind::Subnet(l) => ep.subnets.push(Linked {
                link: l.clone(),
                span,
                via,
            }),
            EndpointAssociationKind::SecurityGroup(l) => ep.security_groups.push(Linked {
                link: l.clone(),
                span,
                via,
            }),
            EndpointAssociationKind::Policy(doc) => ep.policy = Some(doc.clone()),
        }
    }
    let gateway_tables: Vec<(Id<VpcEndpoint>, Id<RouteTable>)> = g
        .endpoints
        .iter()
        .filter(|(_, ep)| ep.endpoint_type == Known::Known(EndpointType::Gateway))
        .flat_map(|(id, ep)| {
            ep.route_tables
                .iter()
                .filter_map(move |l| l.link.node().map(|t| (id, t)))
        })
        .collect();
    for (endpoint, table) in gateway_tables {
        g.route_tables[table].gateway_endpoints.push(endpoint);
    }

    for (id, rule) in g.security_group_rules.iter() {
        if let Link::Node(sg) = rule.security_group {
            g.security_groups[sg].rules.push(id);
        }
    }
    for (id, policy) in g.bucket_policies.iter() {
        if let Link::Node(bucket) = policy.bucket {
            g.buckets[bucket].policies.push(id);
        }
    }

    // Deliveries: to a bucket of the graph (by link, or by its literal name — which might
    // also be the name of any bucket whose name is not known), to a bucket elsewhere, or to
    // one vpclint cannot tell (which might be any of them).
    let by_name: HashMap<String, Id<S3Bucket>> = g
        .buckets
        .iter()
        .filter_map(|(id, b)| Some((b.name.known()?.clone(), id)))
        .collect();
    let unnamed: Vec<Id<S3Bucket>> = g
        .buckets
        .iter()
        .filter(|(_, b)| !b.name.is_known())
        .map(|(id, _)| id)
        .collect();
    for (id, delivery) in g.bucket_deliveries.iter() {
        let buckets: Vec<Id<S3Bucket>> = match &delivery.bucket {
            Link::Node(bucket) => vec![*bucket],
            Link::External(name) => match by_name.get(name) {
                Some(bucket) => vec![*bucket],
                None => unnamed.clone(),
            },
            Link::Unknown(_) => {
                g.has_unknown_delivery_bucket = true;
                Vec::new()
            }
            _ => Vec::new(),
        };
        for bucket in buckets {
            g.buckets[bucket].deliveries.push(id);
        }
    }
}
