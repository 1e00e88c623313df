//! What a stack's graph cannot show, summarized per reason.
//!
//! Rules act only on what is known ("Unknown is silent"): they say nothing about resources
//! that may not exist, VPCs and subnets whose CIDR blocks are not known, or route tables and
//! subnets that unknown routes and associations might belong to. [`unseen`] counts these blind
//! spots of one finished graph, grouped by kind and reason, so that the CLI can say what was
//! not checked and silence is not mistaken for a clean bill.

use std::fmt;
use std::sync::Arc;

use crate::model::{CidrOwner, Known, Link, VpcGraph};
use crate::{IndexMap, Span, Unknown};

/// A kind of blind spot, in the order [`unseen`] lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnseenKind {
    /// Files of the stack that could not be read or parsed: what they declare is not seen.
    UnreadableFiles,
    /// Declared resources that may not exist (`VpcGraph::may_not_exist`); `of` is the
    /// stack's resource count.
    MaybeResources,
    /// VPCs (that certainly exist) with an IPv4 CIDR block that is not known; `of` is the
    /// number of VPCs.
    VpcCidrs,
    /// Subnets (that certainly exist) whose IPv4 CIDR block is not known; `of` is the number
    /// of subnets.
    SubnetCidrs,
    /// CIDR block associations (that certainly exist) whose VPC is not known: any VPC may
    /// have more blocks.
    CidrAssociationVpcs,
    /// Route tables (that certainly exist) whose inline routes are not all known.
    InlineRoutes,
    /// Routes (that certainly exist) whose route table is not known: any route table may
    /// have more routes.
    RouteTables,
    /// Route table associations (that certainly exist) whose subnet is not known: any subnet
    /// may use another table.
    AssociatedSubnets,
}

/// Items of one kind hidden for one reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unseen {
    pub kind: UnseenKind,
    /// How many resources (or VPCs, subnets, routes, associations) this reason hides.
    pub count: usize,
    /// Out of how many (see [`UnseenKind`]).
    pub of: usize,
    /// Why: the unknown value, in the words of the front end that found it (for the kinds
    /// counted per kind alone, the first item's).
    pub reason: Arc<str>,
    /// How many other reasons hide items of this kind (kinds counted per kind alone).
    pub other_reasons: usize,
    /// Where that unknown is written, for the first item in source order (else the item
    /// itself), when known.
    pub span: Option<Span>,
}

/// The blind spots of a finished graph: one entry per (kind, reason) — per kind for routes
/// and associations, whose effect is on the whole stack — in kind order, then in source order
/// of their first place.
pub fn unseen(g: &VpcGraph) -> Vec<Unseen> {
    let mut groups = Groups::default();
    for file in &g.unreadable_files {
        let why = Unknown {
            reason: Arc::from(file.as_str()),
            span: None,
        };
        groups.add(
            UnseenKind::UnreadableFiles,
            g.unreadable_files.len(),
            &why,
            None,
        );
    }
    for why in g.may_not_exist.values() {
        groups.add(UnseenKind::MaybeResources, g.resource_count, why, None);
    }
    for vpc in g.vpcs.values().filter(|v| v.origin.is_certain()) {
        // One count per VPC, for the first unknown block.
        let unknown = vpc.ipv4_cidrs.iter().find_map(|b| match &b.cidr {
            Known::Unknown(u) => Some((u, b.span)),
            Known::Known(_) => None,
        });
        if let Some((u, at)) = unknown {
            groups.add(UnseenKind::VpcCidrs, g.vpcs.len(), u, Some(at));
        }
    }
    for subnet in g.subnets.values().filter(|s| s.origin.is_certain()) {
        if let Some(block) = &subnet.ipv4_cidr {
            if let Known::Unknown(u) = &block.cidr {
                groups.add(
                    UnseenKind::SubnetCidrs,
                    g.subnets.len(),
                    u,
                    Some(block.span),
                );
            }
        }
    }
    // Routes and associations that may not exist are counted with the maybe-resources; what
    // they hide follows from that.
    for assoc in g
        .cidr_associations
        .values()
        .filter(|a| a.origin.is_certain())
    {
        if let CidrOwner::Vpc(Link::Unknown(u)) = &assoc.owner {
            let at = assoc.origin.attr_any(&["vpc_id", "VpcId"]);
            groups.add(
                UnseenKind::CidrAssociationVpcs,
                g.cidr_associations.len(),
                u,
                Some(at),
            );
        }
    }
    for table in g.route_tables.values().filter(|t| t.origin.is_certain()) {
        if let Some(why) = &table.inline_routes_unknown {
            groups.add(
                UnseenKind::InlineRoutes,
                g.route_tables.len(),
                why,
                Some(table.origin.span),
            );
        }
    }
    for route in g.routes.values().filter(|r| r.origin.is_certain()) {
        if let Link::Unknown(u) = &route.route_table {
            let at = route.origin.attr_any(&["route_table_id", "RouteTableId"]);
            groups.add(UnseenKind::RouteTables, g.routes.len(), u, Some(at));
        }
    }
    for assoc in g
        .route_table_associations
        .values()
        .filter(|a| a.origin.is_certain())
    {
        if let Link::Unknown(u) = &assoc.subnet {
            let at = assoc.origin.attr_any(&["subnet_id", "SubnetId"]);
            groups.add(
                UnseenKind::AssociatedSubnets,
                g.route_table_associations.len(),
                u,
                Some(at),
            );
        }
    }
    groups.into_sorted()
}

/// Items counted per (kind, reason), or per kind alone for the kinds whose effect is on the
/// whole stack (see [`UnseenKind::per_reason`]).
#[derive(Default)]
struct Groups {
    by_key: IndexMap<(UnseenKind, Arc<str>), Group>,
}

struct Group {
    count: usize,
    of: usize,
    /// The reason and place of the first item in source order (unplaced ones last).
    first: (Option<Span>, Arc<str>),
    reasons: crate::HashSet<Arc<str>>,
}

impl UnseenKind {
    /// Whether items of this kind are counted per reason. A route to an unknown route table
    /// makes every route table incomplete, whatever the reason: one note says it.
    fn per_reason(self) -> bool {
        matches!(
            self,
            UnseenKind::MaybeResources
                | UnseenKind::VpcCidrs
                | UnseenKind::SubnetCidrs
                | UnseenKind::InlineRoutes
        )
    }
}

/// Orders places, unplaced last.
fn place_key(span: Option<Span>) -> (bool, Option<Span>) {
    (span.is_none(), span)
}

impl Groups {
    /// Counts one item hidden by `why`; `at` is the item's own place, used when the
    /// unknown's place is not known.
    fn add(&mut self, kind: UnseenKind, of: usize, why: &Unknown, at: Option<Span>) {
        let span = why.span.or(at);
        let key = if kind.per_reason() {
            why.reason.clone()
        } else {
            Arc::from("")
        };
        let group = self.by_key.entry((kind, key)).or_insert_with(|| Group {
            count: 0,
            of,
            first: (span, why.reason.clone()),
            reasons: Default::default(),
        });
        group.count += 1;
        group.reasons.insert(why.reason.clone());
        if (place_key(span), &why.reason) < (place_key(group.first.0), &group.first.1) {
            group.first = (span, why.reason.clone());
        }
    }

    fn into_sorted(self) -> Vec<Unseen> {
        let mut list: Vec<Unseen> = self
            .by_key
            .into_iter()
            .map(|((kind, _), group)| Unseen {
                kind,
                count: group.count,
                of: group.of,
                other_reasons: group.reasons.len().saturating_sub(1),
                span: group.first.0,
                reason: group.first.1,
            })
            .collect();
        list.sort_by(|a, b| {
            (a.kind, place_key(a.span), &a.reason).cmp(&(b.kind, place_key(b.span), &b.reason))
        });
        list
    }
}

/// `1 route names`, `3 routes name`: the count with the singular or plural wording.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The note as shown to users: what is hidden, then why (`3 of 12 resources may not exist —
/// count is not known: variable create has no value`).
impl fmt::Display for Unseen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (count, of) = (self.count, self.of);
        let reason = match self.other_reasons {
            0 => self.reason.to_string(),
            n => format!(
                "{} (and {})",
                self.reason,
                plural(n, "other reason", "other reasons")
            ),
        };
        match self.kind {
            // The file is the note's place (`reason` is its path), shown by the renderers.
            UnseenKind::UnreadableFiles if count == 1 => write!(
                f,
                "a file of this stack could not be read (see its error): what it declares is not \
                 seen, and nothing it could change is reported"
            ),
            UnseenKind::UnreadableFiles => write!(
                f,
                "{count} files of this stack could not be read (see their errors; the first one \
                 here): what they declare is not seen, and nothing they could change is reported"
            ),
            UnseenKind::MaybeResources => write!(
                f,
                "{count} of {} may not exist and {} not checked — {reason}",
                plural(of, "resource", "resources"),
                if count == 1 { "is" } else { "are" },
            ),
            UnseenKind::VpcCidrs => write!(
                f,
                "{count} of {} {} an IPv4 CIDR block that is not known — {reason}",
                plural(of, "VPC", "VPCs"),
                if count == 1 { "has" } else { "have" },
            ),
            UnseenKind::SubnetCidrs => write!(
                f,
                "{count} of {} {} an IPv4 CIDR block that is not known — {reason}",
                plural(of, "subnet", "subnets"),
                if count == 1 { "has" } else { "have" },
            ),
            UnseenKind::CidrAssociationVpcs => write!(
                f,
                "{} a VPC that is not known, so any VPC may have more CIDR blocks — {reason}",
                plural(count, "CIDR block association names", "CIDR block associations name"),
            ),
            UnseenKind::InlineRoutes => write!(
                f,
                "{count} of {} {} inline routes that are not known — {reason}",
                plural(of, "route table", "route tables"),
                if count == 1 { "has" } else { "have" },
            ),
            UnseenKind::RouteTables => write!(
                f,
                "{} a route table that is not known, so any route table may have more routes — {reason}",
                plural(count, "route names", "routes name"),
            ),
            UnseenKind::AssociatedSubnets => write!(
                f,
                "{} a subnet that is not known, so any subnet may use another route table — {reason}",
                plural(count, "route table association names", "route table associations name"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::FileId;

    fn span(start: u32) -> Span {
        Span {
            file: FileId(0),
            start,
            end: start + 1,
        }
    }

    fn why(reason: &str, at: Option<u32>) -> Unknown {
        Unknown {
            reason: reason.into(),
            span: at.map(span),
        }
    }

    fn origin(address: &str, at: u32) -> Origin {
        Origin::new(address, "aws_x", span(at))
    }

    fn block(cidr: Known<ipnet::IpNet>, at: u32) -> CidrBlock {
        CidrBlock {
            cidr,
            span: span(at),
            declared_by: String::new(),
        }
    }

    #[test]
    fn a_graph_that_hides_nothing_has_no_blind_spots() {
        let mut g = VpcGraph::new("s", StackKind::Terraform);
        let mut vpc = Vpc::new(origin("aws_vpc.a", 0));
        let cidr = "10.0.0.0/16"
            .parse()
            .ok()
            .map_or(Known::unknown("x"), Known::Known);
        vpc.ipv4_cidrs.push(block(cidr, 1));
        g.vpcs.push(vpc);
        g.declare("aws_vpc.a");
        g.finish();
        assert_eq!(unseen(&g), []);
    }

    #[test]
    fn maybe_resources_are_counted_by_reason_at_their_first_place() {
        let mut g = VpcGraph::new("s", StackKind::Terraform);
        g.declare("aws_vpc.certain");
        g.declare_maybe("aws_subnet.b", why("count is not known: var.n", Some(40)));
        g.declare_maybe("aws_subnet.a", why("count is not known: var.n", Some(20)));
        g.declare_maybe("aws_route.x", why("count is not known: var.m", Some(30)));
        g.declare_maybe("aws_route.y", why("set by an override file", None));
        g.finish();
        let found = unseen(&g);
        let summary: Vec<(usize, usize, &str, Option<Span>)> = found
            .iter()
            .map(|u| (u.count, u.of, &*u.reason, u.span))
            .collect();
        assert_eq!(
            summary,
            [
                (2, 5, "count is not known: var.n", Some(span(20))),
                (1, 5, "count is not known: var.m", Some(span(30))),
                (1, 5, "set by an override file", None),
            ]
        );
        assert_eq!(
            found[0].to_string(),
            "2 of 5 resources may not exist and are not checked — count is not known: var.n"
        );
        assert_eq!(
            found[2].to_string(),
            "1 of 5 resources may not exist and is not checked — set by an override file"
        );
    }

    #[test]
    fn unknown_cidrs_of_certain_vpcs_and_subnets_are_counted() {
        let mut g = VpcGraph::new("s", StackKind::CloudFormation);
        let mut known = Vpc::new(origin("Known", 0));
        let cidr = "10.0.0.0/16"
            .parse()
            .ok()
            .map_or(Known::unknown("x"), Known::Known);
        known.ipv4_cidrs.push(block(cidr, 1));
        g.vpcs.push(known);
        let mut pooled = Vpc::new(origin("Pooled", 10));
        pooled
            .ipv4_cidrs
            .push(block(Known::unknown("allocated from an IPAM pool"), 11));
        g.vpcs.push(pooled);
        // A VPC that may not exist is counted with the maybe-resources, not here.
        let mut maybe = Vpc::new(origin("Maybe", 20));
        maybe.origin.existence = Existence::Maybe;
        maybe
            .ipv4_cidrs
            .push(block(Known::unknown("parameter Cidr"), 21));
        g.vpcs.push(maybe);
        let mut subnet = Subnet::new(origin("Sub", 30), Link::pending("Pooled", None));
        subnet.ipv4_cidr = Some(block(
            Known::Unknown(why("parameter SubnetCidr has no Default", Some(5))),
            31,
        ));
        g.subnets.push(subnet);
        g.finish();
        let found: Vec<String> = unseen(&g).iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "1 of 3 VPCs has an IPv4 CIDR block that is not known — allocated from an IPAM pool",
                "1 of 1 subnet has an IPv4 CIDR block that is not known — parameter SubnetCidr has no Default",
            ]
        );
        let places: Vec<Option<Span>> = unseen(&g).iter().map(|u| u.span).collect();
        assert_eq!(places, [Some(span(11)), Some(span(5))]);
    }

    #[test]
    fn unknown_route_tables_subnets_and_vpcs_make_everything_incomplete() {
        let mut g = VpcGraph::new("s", StackKind::Terraform);
        g.vpcs.push(Vpc::new(origin("aws_vpc.a", 0)));
        let unknown_table = Link::Unknown(why("count of aws_route_table.t is not known", None));
        for (i, at) in [(0u32, 50u32), (1, 40)] {
            let mut o = origin(&format!("aws_route.r{i}"), at);
            o.attributes.insert("route_table_id".into(), span(at + 2));
            g.routes.push(Route {
                origin: o,
                route_table: unknown_table.clone(),
                destination: Destination::Missing,
                destination_span: span(at),
                targets: Vec::new(),
                inline: false,
            });
        }
        // One that may not exist is counted with the maybe-resources only.
        let mut maybe = origin("aws_route_table_association.maybe", 90);
        maybe.existence = Existence::Maybe;
        g.route_table_associations.push(RouteTableAssociation {
            origin: maybe,
            subnet: Link::unknown("count of aws_subnet.z is not known", Some(span(91))),
            route_table: Link::None,
        });
        g.route_table_associations.push(RouteTableAssociation {
            origin: origin("aws_route_table_association.b", 80),
            subnet: Link::unknown("data.aws_subnet.y.id is not known", Some(span(81))),
            route_table: Link::None,
        });
        g.route_table_associations.push(RouteTableAssociation {
            origin: origin("aws_route_table_association.a", 60),
            subnet: Link::unknown("data.aws_subnet.x.id is not known", Some(span(61))),
            route_table: Link::None,
        });
        g.cidr_associations.push(CidrAssociation {
            origin: origin("aws_vpc_ipv4_cidr_block_association.x", 70),
            owner: CidrOwner::Vpc(Link::unknown("variable vpc_id has no value", None)),
            block: block(Known::unknown("IPAM"), 71),
            ipv6: false,
        });
        g.finish();
        let found = unseen(&g);
        let text: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "1 CIDR block association names a VPC that is not known, so any VPC may have more CIDR blocks — variable vpc_id has no value",
                "2 routes name a route table that is not known, so any route table may have more routes — count of aws_route_table.t is not known",
                "2 route table associations name a subnet that is not known, so any subnet may use another route table — data.aws_subnet.x.id is not known (and 1 other reason)",
            ]
        );
        // Without a place of its own, the unknown is placed at the first route's attribute.
        assert_eq!(found[1].span, Some(span(42)));
        assert_eq!(found[2].span, Some(span(61)));
    }
}
