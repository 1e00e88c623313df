//! The normalized VPC graph: one per stack, the same for Terraform and CloudFormation.
//!
//! Front ends create nodes with [`Link::Pending`] references (the address or
//! logical ID they were written with) and call [`VpcGraph::finish`], which
//! resolves every link and builds the indexes rules rely on (routes by table,
//! subnets by VPC, explicit associations, main route tables, peerings by VPC).

use crate::value::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::value::IndexMap;
use ipnet::IpNet;
use serde::Serialize;

use crate::arena::{Arena, Id};
use crate::value::{Unknown, Value};
use crate::Span;

pub type VpcId = Id<Vpc>;
pub type SubnetId = Id<Subnet>;
pub type RouteTableId = Id<RouteTable>;
pub type RouteId = Id<Route>;
pub type AssociationId = Id<RouteTableAssociation>;
pub type InternetGatewayId = Id<InternetGateway>;
pub type EgressOnlyGatewayId = Id<EgressOnlyInternetGateway>;
pub type NatGatewayId = Id<NatGateway>;
pub type PeeringId = Id<PeeringConnection>;
pub type EndpointId = Id<VpcEndpoint>;
pub type FlowLogId = Id<FlowLog>;
pub type SecurityGroupId = Id<SecurityGroup>;
pub type SecurityGroupRuleId = Id<SecurityGroupRule>;
pub type BucketId = Id<S3Bucket>;
pub type BucketPolicyId = Id<BucketPolicy>;
pub type LogGroupId = Id<LogGroup>;
pub type BucketDeliveryId = Id<BucketDelivery>;

/// A value that is either known or [`Unknown`].
#[derive(Debug, Clone, PartialEq)]
pub enum Known<T> {
    Known(T),
    Unknown(Unknown),
}

impl<T> Known<T> {
    pub fn unknown(reason: impl Into<Arc<str>>) -> Self {
        Known::Unknown(Unknown {
            reason: reason.into(),
            span: None,
        })
    }
    pub fn known(&self) -> Option<&T> {
        match self {
            Known::Known(v) => Some(v),
            Known::Unknown(_) => None,
        }
    }
    pub fn is_known(&self) -> bool {
        matches!(self, Known::Known(_))
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U> {
        match self {
            Known::Known(v) => Known::Known(f(v)),
            Known::Unknown(u) => Known::Unknown(u),
        }
    }
}

impl<T: Serialize> Serialize for Known<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Known::Known(v) => v.serialize(s),
            Known::Unknown(u) => UnknownJson { unknown: &u.reason }.serialize(s),
        }
    }
}

#[derive(Serialize)]
struct UnknownJson<'a> {
    unknown: &'a str,
}

/// The region of a CloudFormation stack deployed without `--region`: "this stack's region",
/// unknown but the same for every resource of the stack (and of stacks linked by
/// `Fn::ImportValue`, since exports are regional). It appears verbatim where the region is
/// (`region` fields) and inside strings built from `AWS::Region`
/// (`com.amazonaws.${AWS::Region}.s3`). Equal to itself; compared with a literal region it
/// proves nothing — see [`same_region`].
pub const STACK_REGION: &str = "${AWS::Region}";

/// Whether two regions are the same: `None` when that cannot be known (one of them is
/// [`STACK_REGION`] and the other a literal region).
pub fn same_region(a: &str, b: &str) -> Option<bool> {
    if a == b {
        Some(true)
    } else if a.contains(STACK_REGION) || b.contains(STACK_REGION) {
        None
    } else {
        Some(false)
    }
}

/// Whether a node certainly exists. CloudFormation resources under a condition
/// vpclint cannot evaluate (and Terraform resources with an unknown `count`) are `Maybe`:
/// rules must neither report on them as certain nor treat their absence as certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Existence {
    #[default]
    Certain,
    Maybe,
}

/// Where a node came from.
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    /// Terraform address (`module.net.aws_route.private[1]`) or CloudFormation logical ID.
    pub address: String,
    /// Resource type (`aws_route`, `AWS::EC2::Route`).
    pub resource_type: String,
    /// The resource's header (Terraform block header, CloudFormation logical ID key).
    pub span: Span,
    /// Spans of the attributes the node was built from, by attribute name as written
    /// (`cidr_block`, `route[0].cidr_block`, `CidrBlock`).
    pub attributes: IndexMap<String, Span>,
    pub existence: Existence,
    /// Rules suppressed for this resource by the source itself (CloudFormation
    /// `Metadata: {vpclint: {ignore: [...]}}`), as IDs or names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed_rules: Vec<String>,
}

impl Origin {
    pub fn new(address: impl Into<String>, resource_type: impl Into<String>, span: Span) -> Self {
        Origin {
            address: address.into(),
            resource_type: resource_type.into(),
            span,
            attributes: IndexMap::default(),
            existence: Existence::Certain,
            suppressed_rules: Vec::new(),
        }
    }

    /// The span of an attribute, or the resource header when the attribute is not written.
    pub fn attr(&self, name: &str) -> Span {
        self.attributes.get(name).copied().unwrap_or(self.span)
    }

    /// The span of the first of `names` that is written, else the header.
    pub fn attr_any(&self, names: &[&str]) -> Span {
        names
            .iter()
            .find_map(|n| self.attributes.get(*n).copied())
            .unwrap_or(self.span)
    }

    pub fn is_certain(&self) -> bool {
        self.existence == Existence::Certain
    }
}

/// A reference from one node to another.
#[derive(Debug)]
pub enum Link<T> {
    /// A node of this graph.
    Node(Id<T>),
    /// A literal ID of infrastructure outside the configuration (`vpc-0abc...`).
    External(String),
    /// A resource that is declared but is not a node of this kind (an unmodeled type, or
    /// another kind of node): it exists, vpclint just knows nothing about it here.
    Declared(String),
    /// A reference to a resource that is not declared anywhere in the stack.
    Undeclared { address: String, span: Option<Span> },
    /// Not known before deployment (data source, unset variable, computed attribute).
    Unknown(Unknown),
    /// Builder input only: the address or logical ID as written; resolved by [`VpcGraph::finish`].
    Pending { address: String, span: Option<Span> },
    /// The attribute is not set.
    None,
}

impl<T> Link<T> {
    pub fn node(&self) -> Option<Id<T>> {
        match self {
            Link::Node(id) => Some(*id),
            _ => None,
        }
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Link::None)
    }
    pub fn pending(address: impl Into<String>, span: Option<Span>) -> Self {
        Link::Pending {
            address: address.into(),
            span,
        }
    }
    pub fn unknown(reason: impl Into<Arc<str>>, span: Option<Span>) -> Self {
        Link::Unknown(Unknown {
            reason: reason.into(),
            span,
        })
    }
    /// True when the link certainly points at `id`.
    pub fn is(&self, id: Id<T>) -> bool {
        self.node() == Some(id)
    }
    /// Whether the link is certainly *not* `id`: another node or another external ID.
    /// Unknown, declared-but-unmodeled and unresolved links are not provably different.
    pub fn is_known_other_than(&self, id: Id<T>) -> bool {
        match self {
            Link::Node(other) => *other != id,
            Link::External(_) | Link::None | Link::Undeclared { .. } => true,
            Link::Declared(_) | Link::Unknown(_) | Link::Pending { .. } => false,
        }
    }
}

impl<T> Clone for Link<T> {
    fn clone(&self) -> Self {
        match self {
            Link::Node(id) => Link::Node(*id),
            Link::External(s) => Link::External(s.clone()),
            Link::Declared(s) => Link::Declared(s.clone()),
            Link::Undeclared { address, span } => Link::Undeclared {
                address: address.clone(),
                span: *span,
            },
            Link::Unknown(u) => Link::Unknown(u.clone()),
            Link::Pending { address, span } => Link::Pending {
                address: address.clone(),
                span: *span,
            },
            Link::None => Link::None,
        }
    }
}

impl<T> PartialEq for Link<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Link::Node(a), Link::Node(b)) => a == b,
            (Link::External(a), Link::External(b)) | (Link::Declared(a), Link::Declared(b)) => {
                a == b
            }
            (Link::Undeclared { address: a, .. }, Link::Undeclared { address: b, .. }) => a == b,
            (Link::Pending { address: a, .. }, Link::Pending { address: b, .. }) => a == b,
            (Link::Unknown(a), Link::Unknown(b)) => a == b,
            (Link::None, Link::None) => true,
            _ => false,
        }
    }
}

#[allow(clippy::derivable_impls)] // deriving would require `T: Default`
impl<T> Default for Link<T> {
    fn default() -> Self {
        Link::None
    }
}

impl<T> Serialize for Link<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        match self {
            Link::Node(id) => map.serialize_entry("node", id)?,
            Link::External(id) => map.serialize_entry("external", id)?,
            Link::Declared(a) => map.serialize_entry("declared", a)?,
            Link::Undeclared { address, .. } => map.serialize_entry("undeclared", address)?,
            Link::Unknown(u) => map.serialize_entry("unknown", &*u.reason)?,
            Link::Pending { address, .. } => map.serialize_entry("pending", address)?,
            Link::None => map.serialize_entry("none", &true)?,
        }
        map.end()
    }
}

/// A link together with where it is written (an attribute, or an association resource).
#[derive(Debug, Serialize)]
pub struct Linked<T> {
    pub link: Link<T>,
    pub span: Span,
    /// The association resource this link comes from, when it is not an attribute of the node itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

impl<T> Clone for Linked<T> {
    fn clone(&self) -> Self {
        Linked {
            link: self.link.clone(),
            span: self.span,
            via: self.via.clone(),
        }
    }
}

impl<T> Linked<T> {
    pub fn new(link: Link<T>, span: Span) -> Self {
        Linked {
            link,
            span,
            via: None,
        }
    }
}

/// One CIDR block of a VPC or subnet, with where it is declared.
#[derive(Debug, Clone, Serialize)]
pub struct CidrBlock {
    /// Present-but-unknown (for example an Amazon-provided IPv6 block) is `Known::Unknown`.
    pub cidr: Known<IpNet>,
    /// The attribute that declares it.
    pub span: Span,
    /// The resource that declares it (the VPC itself, or a secondary CIDR association).
    pub declared_by: String,
}

impl CidrBlock {
    pub fn known(&self) -> Option<IpNet> {
        self.cidr.known().copied()
    }
}

#[derive(Debug, Serialize)]
pub struct Vpc {
    pub origin: Origin,
    /// Primary first, then secondary blocks (`aws_vpc_ipv4_cidr_block_association`, `AWS::EC2::VPCCidrBlock`).
    pub ipv4_cidrs: Vec<CidrBlock>,
    pub ipv6_cidrs: Vec<CidrBlock>,
    /// True when some CIDR association's VPC is unknown and might add blocks to this VPC.
    pub cidrs_may_be_incomplete: bool,
    pub region: Known<String>,
    pub enable_dns_support: Known<bool>,
    pub enable_dns_hostnames: Known<bool>,
    // Indexes built by `finish`.
    pub subnets: Vec<SubnetId>,
    pub route_tables: Vec<RouteTableId>,
    /// The main route table when the configuration manages it (`aws_default_route_table`,
    /// `aws_main_route_table_association`); otherwise the main table holds only local routes.
    pub main_route_table: Option<RouteTableId>,
    /// True when a main-table designation exists whose table vpclint cannot resolve.
    pub main_route_table_unknown: bool,
    pub peerings: Vec<PeeringId>,
}

impl Vpc {
    pub fn new(origin: Origin) -> Self {
        Vpc {
            origin,
            ipv4_cidrs: Vec::new(),
            ipv6_cidrs: Vec::new(),
            cidrs_may_be_incomplete: false,
            region: Known::unknown("region not known"),
            enable_dns_support: Known::Known(true),
            enable_dns_hostnames: Known::Known(false),
            subnets: Vec::new(),
            route_tables: Vec::new(),
            main_route_table: None,
            main_route_table_unknown: false,
            peerings: Vec::new(),
        }
    }

    pub fn cidrs(&self) -> impl Iterator<Item = &CidrBlock> {
        self.ipv4_cidrs.iter().chain(self.ipv6_cidrs.iter())
    }

    /// The VPC's CIDRs of the same address family as `like`, when every one of that family
    /// is known and no association might add more. An unknown IPv6 block (Amazon-provided)
    /// does not hide the IPv4 ones, and the other way round.
    pub fn known_cidrs_like(&self, like: &IpNet) -> Option<Vec<IpNet>> {
        if self.cidrs_may_be_incomplete {
            return None;
        }
        let blocks = match like {
            IpNet::V4(_) => &self.ipv4_cidrs,
            IpNet::V6(_) => &self.ipv6_cidrs,
        };
        blocks.iter().map(CidrBlock::known).collect()
    }

    /// The VPC's CIDRs when every one of them is known (and no association might add more).
    pub fn known_cidrs(&self) -> Option<Vec<IpNet>> {
        if self.cidrs_may_be_incomplete {
            return None;
        }
        self.cidrs().map(CidrBlock::known).collect()
    }
}

#[derive(Debug, Serialize)]
pub struct Subnet {
    pub origin: Origin,
    pub vpc: Link<Vpc>,
    pub ipv4_cidr: Option<CidrBlock>,
    pub ipv6_cidrs: Vec<CidrBlock>,
    pub availability_zone: Option<Known<String>>,
    /// True when the subnet might have CIDR blocks that are not listed (a block under a
    /// condition vpclint cannot evaluate): its lack of an IPv6 block is not certain.
    pub cidrs_may_be_incomplete: bool,
    // Indexes built by `finish`.
    /// Explicit route table associations of this subnet.
    pub associations: Vec<AssociationId>,
}

impl Subnet {
    pub fn new(origin: Origin, vpc: Link<Vpc>) -> Self {
        Subnet {
            origin,
            vpc,
            ipv4_cidr: None,
            ipv6_cidrs: Vec::new(),
            availability_zone: None,
            cidrs_may_be_incomplete: false,
            associations: Vec::new(),
        }
    }

    pub fn cidrs(&self) -> impl Iterator<Item = &CidrBlock> {
        self.ipv4_cidr.iter().chain(self.ipv6_cidrs.iter())
    }
}

#[derive(Debug, Serialize)]
pub struct RouteTable {
    pub origin: Origin,
    pub vpc: Link<Vpc>,
    /// This resource *is* the VPC's main route table (`aws_default_route_table`).
    pub is_main: bool,
    // Indexes built by `finish`.
    pub routes: Vec<RouteId>,
    /// Explicit subnet associations.
    pub associations: Vec<AssociationId>,
    /// Gateway endpoints associated with this table (each adds a prefix-list route).
    pub gateway_endpoints: Vec<EndpointId>,
    /// True when some route's table is unknown and might be this one, or its own inline
    /// routes are not all known.
    pub routes_may_be_incomplete: bool,
    /// Why the table's own inline routes are not all known (an unknown `route = [...]` list,
    /// a `dynamic "route"` block over an unknown collection), when they are not.
    pub inline_routes_unknown: Option<Unknown>,
}

impl RouteTable {
    pub fn new(origin: Origin, vpc: Link<Vpc>) -> Self {
        RouteTable {
            origin,
            vpc,
            is_main: false,
            routes: Vec::new(),
            associations: Vec::new(),
            gateway_endpoints: Vec::new(),
            routes_may_be_incomplete: false,
            inline_routes_unknown: None,
        }
    }
}

/// Where a route sends traffic.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "link")]
pub enum RouteTarget {
    InternetGateway(Link<InternetGateway>),
    EgressOnlyInternetGateway(Link<EgressOnlyInternetGateway>),
    NatGateway(Link<NatGateway>),
    Peering(Link<PeeringConnection>),
    VpcEndpoint(Link<VpcEndpoint>),
    /// The VPC's local route (`gateway_id = "local"`).
    Local,
    /// Transit gateway, virtual private gateway, network interface, instance, carrier
    /// gateway, core network, or a `gateway_id` vpclint cannot classify.
    Other {
        attribute: String,
        value: Known<String>,
    },
}

impl RouteTarget {
    pub fn peering(&self) -> Option<&Link<PeeringConnection>> {
        match self {
            RouteTarget::Peering(link) => Some(link),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetRef {
    pub target: RouteTarget,
    /// The target attribute (`vpc_peering_connection_id`, `VpcPeeringConnectionId`).
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Destination {
    Cidr(Known<IpNet>),
    /// A managed prefix list (customer-managed or an AWS service's).
    PrefixList(Known<String>),
    /// No destination attribute at all.
    Missing,
}

impl Destination {
    pub fn cidr(&self) -> Option<IpNet> {
        match self {
            Destination::Cidr(Known::Known(net)) => Some(*net),
            _ => None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Route {
    /// For a standalone route, the route resource; for an inline route, its route table
    /// (the address ends with `.route[N]`), with attribute spans of the inline block.
    pub origin: Origin,
    pub route_table: Link<RouteTable>,
    pub destination: Destination,
    pub destination_span: Span,
    /// Every target attribute that is set (more than one, or none, is an error in AWS).
    pub targets: Vec<TargetRef>,
    /// Declared as an inline block of its route table.
    pub inline: bool,
}

impl Route {
    /// The single target, when exactly one is set.
    pub fn target(&self) -> Option<&RouteTarget> {
        match self.targets.as_slice() {
            [only] => Some(&only.target),
            _ => None,
        }
    }
}

/// An explicit subnet (or gateway) to route table association.
#[derive(Debug, Serialize)]
pub struct RouteTableAssociation {
    pub origin: Origin,
    pub subnet: Link<Subnet>,
    pub route_table: Link<RouteTable>,
}

/// A secondary CIDR block declared as its own resource (`aws_vpc_ipv4_cidr_block_association`,
/// `AWS::EC2::VPCCidrBlock`, `AWS::EC2::SubnetCidrBlock`); merged into its owner by `finish`.
#[derive(Debug, Serialize)]
pub struct CidrAssociation {
    pub origin: Origin,
    pub owner: CidrOwner,
    pub block: CidrBlock,
    pub ipv6: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CidrOwner {
    Vpc(Link<Vpc>),
    Subnet(Link<Subnet>),
}

/// `aws_main_route_table_association`: makes a route table the VPC's main table.
#[derive(Debug, Serialize)]
pub struct MainRouteTableAssociation {
    pub origin: Origin,
    pub vpc: Link<Vpc>,
    pub route_table: Link<RouteTable>,
}

#[derive(Debug, Serialize)]
pub struct InternetGateway {
    pub origin: Origin,
    /// Inline `vpc_id` or an attachment resource.
    pub vpc: Link<Vpc>,
}

#[derive(Debug, Serialize)]
pub struct EgressOnlyInternetGateway {
    pub origin: Origin,
    pub vpc: Link<Vpc>,
}

/// An internet gateway attachment declared as its own resource.
#[derive(Debug, Serialize)]
pub struct GatewayAttachment {
    pub origin: Origin,
    pub gateway: Link<InternetGateway>,
    pub vpc: Link<Vpc>,
}

#[derive(Debug, Serialize)]
pub struct NatGateway {
    pub origin: Origin,
    pub subnet: Link<Subnet>,
    /// `public` (default) or `private`.
    pub connectivity_type: Known<String>,
}

/// Options one side of a peering connection sets.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PeeringSideOptions {
    pub allow_remote_vpc_dns_resolution: Option<Known<bool>>,
    pub span: Option<Span>,
}

#[derive(Debug, Serialize)]
pub struct PeeringConnection {
    pub origin: Origin,
    pub requester_vpc: Link<Vpc>,
    pub accepter_vpc: Link<Vpc>,
    /// The requester's region (the provider's / the stack's).
    pub region: Known<String>,
    /// `peer_region` / `PeerRegion`; `None` when not set (same region).
    pub peer_region: Option<Known<String>>,
    pub peer_owner_id: Option<Known<String>>,
    /// The requester's AWS account ID (the provider's / the stack's account), when known.
    pub account: Known<String>,
    pub peer_role_arn: Option<Known<String>>,
    pub auto_accept: Option<Known<bool>>,
    /// Accepter resources (`aws_vpc_peering_connection_accepter`) that accept this connection.
    pub accepted_by: Vec<String>,
    pub requester_options: PeeringSideOptions,
    pub accepter_options: PeeringSideOptions,
    // Indexes built by `finish` (not serialized: they repeat links shown elsewhere), so
    // rules need not scan every route or accepter per connection.
    /// Routes with this connection among their targets, in route order.
    #[serde(skip)]
    pub routes: Vec<RouteId>,
    /// Accepter and options resources whose connection is this one, in their order.
    #[serde(skip)]
    pub accepters: Vec<Id<PeeringAccepter>>,
}

impl PeeringConnection {
    pub fn new(origin: Origin, requester_vpc: Link<Vpc>, accepter_vpc: Link<Vpc>) -> Self {
        PeeringConnection {
            origin,
            requester_vpc,
            accepter_vpc,
            region: Known::unknown("region not known"),
            peer_region: None,
            peer_owner_id: None,
            account: Known::unknown("account not known"),
            peer_role_arn: None,
            auto_accept: None,
            accepted_by: Vec::new(),
            requester_options: PeeringSideOptions::default(),
            accepter_options: PeeringSideOptions::default(),
            routes: Vec::new(),
            accepters: Vec::new(),
        }
    }

    /// The VPC on the other side from `vpc`, when `vpc` is certainly one side.
    pub fn other_side(&self, vpc: VpcId) -> Option<&Link<Vpc>> {
        if self.requester_vpc.is(vpc) {
            Some(&self.accepter_vpc)
        } else if self.accepter_vpc.is(vpc) {
            Some(&self.requester_vpc)
        } else {
            None
        }
    }
}

/// `aws_vpc_peering_connection_accepter` / `aws_vpc_peering_connection_options`.
#[derive(Debug, Serialize)]
pub struct PeeringAccepter {
    pub origin: Origin,
    pub peering: Link<PeeringConnection>,
    pub auto_accept: Option<Known<bool>>,
    /// Options set by this resource (`aws_vpc_peering_connection_accepter` /
    /// `aws_vpc_peering_connection_options` blocks); merged into the connection by `finish`.
    pub requester_options: PeeringSideOptions,
    pub accepter_options: PeeringSideOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointType {
    Gateway,
    Interface,
    GatewayLoadBalancer,
    Other,
}

#[derive(Debug, Serialize)]
pub struct VpcEndpoint {
    pub origin: Origin,
    pub vpc: Link<Vpc>,
    pub service_name: Known<String>,
    pub endpoint_type: Known<EndpointType>,
    pub region: Known<String>,
    pub route_tables: Vec<Linked<RouteTable>>,
    pub subnets: Vec<Linked<Subnet>>,
    pub security_groups: Vec<Linked<SecurityGroup>>,
    /// True when the list of route tables is not wholly known (there may be more, or fewer).
    pub route_tables_may_be_incomplete: bool,
    /// True when the list of subnets is not wholly known (there may be more, or fewer).
    pub subnets_may_be_incomplete: bool,
    /// True when the list of security groups is not wholly known (there may be more, or fewer).
    pub security_groups_may_be_incomplete: bool,
    pub private_dns_enabled: Option<Known<bool>>,
    /// The endpoint policy document, parsed (JSON-like), if any.
    pub policy: Option<Value>,
    /// The region of the service for a cross-region interface endpoint (Terraform
    /// `service_region`, CloudFormation `ServiceRegion`); `None` when not set (the service
    /// is in the endpoint's own region).
    pub service_region: Option<Known<String>>,
}

impl VpcEndpoint {
    pub fn new(origin: Origin, vpc: Link<Vpc>) -> Self {
        VpcEndpoint {
            origin,
            vpc,
            service_name: Known::unknown("service name not set"),
            endpoint_type: Known::Known(EndpointType::Gateway),
            region: Known::unknown("region not known"),
            route_tables: Vec::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            route_tables_may_be_incomplete: false,
            subnets_may_be_incomplete: false,
            security_groups_may_be_incomplete: false,
            private_dns_enabled: None,
            policy: None,
            service_region: None,
        }
    }
}

/// A standalone association of an endpoint with a route table, subnet or security group,
/// or a standalone endpoint policy.
#[derive(Debug, Serialize)]
pub struct EndpointAssociation {
    pub origin: Origin,
    pub endpoint: Link<VpcEndpoint>,
    pub kind: EndpointAssociationKind,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointAssociationKind {
    RouteTable(Link<RouteTable>),
    Subnet(Link<Subnet>),
    SecurityGroup(Link<SecurityGroup>),
    Policy(Value),
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "link")]
pub enum FlowLogTarget {
    Vpc(Link<Vpc>),
    Subnet(Link<Subnet>),
    NetworkInterface(Known<String>),
    TransitGateway(Known<String>),
    TransitGatewayAttachment(Known<String>),
    /// A CloudFormation `ResourceId` whose `ResourceType` vpclint cannot tell.
    Unknown(Known<String>),
}

#[derive(Debug, Serialize)]
pub struct FlowLog {
    pub origin: Origin,
    /// Empty when no target attribute is set.
    pub targets: Vec<FlowLogTarget>,
    /// `cloud-watch-logs` (default), `s3`, `kinesis-data-firehose`.
    pub destination_type: Known<String>,
    pub log_destination: Option<Value>,
    pub log_group_name: Option<Value>,
    pub iam_role_arn: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

#[derive(Debug, Serialize)]
pub struct SecurityGroup {
    pub origin: Origin,
    pub vpc: Link<Vpc>,
    /// The VPC's default security group (`aws_default_security_group`).
    pub is_default: bool,
    // Index built by `finish`: inline and standalone rules.
    pub rules: Vec<SecurityGroupRuleId>,
}

#[derive(Debug, Serialize)]
pub struct SecurityGroupRule {
    pub origin: Origin,
    pub security_group: Link<SecurityGroup>,
    pub direction: Direction,
    /// `tcp`, `udp`, `icmp`, `-1`, or a protocol number, as written.
    pub protocol: Known<String>,
    pub from_port: Option<Known<i64>>,
    pub to_port: Option<Known<i64>>,
    pub ipv4_cidrs: Vec<Known<IpNet>>,
    pub ipv6_cidrs: Vec<Known<IpNet>>,
    /// The other security group of the rule (source for ingress, destination for egress).
    pub referenced_security_group: Option<Linked<SecurityGroup>>,
    pub prefix_lists: Vec<Known<String>>,
    pub inline: bool,
}

impl SecurityGroupRule {
    /// An inline rule that exists but cannot be read before deployment (a dynamic block or
    /// a list that is not known): its protocol is unknown and it has no addresses, so no
    /// rule acts on it, and the group's rule list never looks complete.
    pub fn unreadable(
        origin: Origin,
        security_group: Link<SecurityGroup>,
        direction: Direction,
        reason: impl Into<Arc<str>>,
    ) -> Self {
        SecurityGroupRule {
            origin,
            security_group,
            direction,
            protocol: Known::unknown(reason),
            from_port: None,
            to_port: None,
            ipv4_cidrs: Vec::new(),
            ipv6_cidrs: Vec::new(),
            referenced_security_group: None,
            prefix_lists: Vec::new(),
            inline: true,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct S3Bucket {
    pub origin: Origin,
    pub name: Known<String>,
    // Indexes built by `finish`.
    /// Bucket policies attached to it (inline or standalone).
    pub policies: Vec<BucketPolicyId>,
    /// AWS services configured to write into it (certain or not).
    pub deliveries: Vec<BucketDeliveryId>,
}

impl S3Bucket {
    pub fn new(origin: Origin, name: Known<String>) -> Self {
        S3Bucket {
            origin,
            name,
            policies: Vec::new(),
            deliveries: Vec::new(),
        }
    }
}

/// An AWS service that writes into an S3 bucket from outside any VPC, so the bucket must
/// stay writable by that service (not locked to a VPC endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryService {
    /// VPC flow logs with an S3 destination (`delivery.logs.amazonaws.com`).
    FlowLogs,
    /// S3 server access logging (`logging.s3.amazonaws.com`).
    ServerAccessLogs,
    CloudTrail,
    /// Elastic Load Balancing access logs.
    LoadBalancerAccessLogs,
    /// An AWS Config delivery channel.
    Config,
    /// The bucket's ACL lets the S3 log delivery group write (`log-delivery-write`, a grant
    /// to the LogDelivery group), or an ACL that is not known might.
    LogDeliveryAcl,
    /// An Amazon Data Firehose (Kinesis Firehose) delivery stream's S3 destination.
    Firehose,
    /// CloudFront standard (access) logs.
    CloudFrontLogs,
    /// AWS WAF web ACL logs.
    WafLogs,
    /// Route 53 Resolver query logs.
    ResolverQueryLogs,
}

impl DeliveryService {
    /// How a message names it: "flow logs are delivered to it".
    pub fn description(self) -> &'static str {
        match self {
            DeliveryService::FlowLogs => "VPC flow logs",
            DeliveryService::ServerAccessLogs => "S3 server access logs",
            DeliveryService::CloudTrail => "CloudTrail logs",
            DeliveryService::LoadBalancerAccessLogs => "load balancer access logs",
            DeliveryService::Config => "AWS Config snapshots",
            DeliveryService::LogDeliveryAcl => "S3 log delivery (its ACL)",
            DeliveryService::Firehose => "Firehose delivery streams",
            DeliveryService::CloudFrontLogs => "CloudFront access logs",
            DeliveryService::WafLogs => "AWS WAF logs",
            DeliveryService::ResolverQueryLogs => "Route 53 Resolver query logs",
        }
    }
}

/// A configuration that makes an AWS service deliver into a bucket: a flow log's S3
/// destination, a bucket's access-logging target, a trail, a load balancer's access logs,
/// a Config delivery channel, a `log-delivery-write` ACL.
#[derive(Debug, Serialize)]
pub struct BucketDelivery {
    pub origin: Origin,
    pub service: DeliveryService,
    /// The bucket: a node, a bucket outside the configuration by its literal name
    /// (`External`, an ARN already reduced to the name), or unknown.
    pub bucket: Link<S3Bucket>,
}

/// The bucket name in an S3 ARN (`arn:aws:s3:::logs-bucket/prefix/` → `logs-bucket`) or an S3
/// domain name (`logs-bucket.s3.amazonaws.com`, as CloudFront logging writes it), or the text
/// itself when it is a plain bucket name. `None` for other ARNs.
pub fn bucket_name_of(text: &str) -> Option<&str> {
    let domain = [".amazonaws.com", ".amazonaws.com.cn"]
        .iter()
        .find_map(|suffix| text.strip_suffix(suffix))
        .and_then(|host| host.rfind(".s3").map(|at| &host[..at]));
    let name = match text.strip_prefix("arn:") {
        _ if domain.is_some() => domain?,
        Some(rest) => {
            // arn:PARTITION:s3:::NAME[/KEY]
            let mut parts = rest.splitn(5, ':');
            let (_partition, service) = (parts.next()?, parts.next()?);
            let (region, account, resource) = (parts.next()?, parts.next()?, parts.next()?);
            if service != "s3" || !region.is_empty() || !account.is_empty() {
                return None;
            }
            resource.split('/').next()?
        }
        None => text,
    };
    (!name.is_empty() && !name.contains(['/', ':', ' '])).then_some(name)
}

#[derive(Debug, Serialize)]
pub struct BucketPolicy {
    pub origin: Origin,
    pub bucket: Link<S3Bucket>,
    /// The policy document, parsed to a JSON-like value (possibly with unknown parts).
    pub document: Value,
    pub document_span: Span,
}

#[derive(Debug, Serialize)]
pub struct LogGroup {
    pub origin: Origin,
    pub name: Known<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StackKind {
    Terraform,
    CloudFormation,
}

impl fmt::Display for StackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StackKind::Terraform => "terraform",
            StackKind::CloudFormation => "cloudformation",
        })
    }
}

/// One stack's normalized networking graph.
#[derive(Debug, Serialize)]
pub struct VpcGraph {
    /// The stack's name as shown to users: the root module directory or the template path.
    pub stack: String,
    pub kind: StackKind,
    pub vpcs: Arena<Vpc>,
    pub subnets: Arena<Subnet>,
    pub route_tables: Arena<RouteTable>,
    pub routes: Arena<Route>,
    pub route_table_associations: Arena<RouteTableAssociation>,
    pub main_route_table_associations: Arena<MainRouteTableAssociation>,
    pub cidr_associations: Arena<CidrAssociation>,
    pub internet_gateways: Arena<InternetGateway>,
    pub gateway_attachments: Arena<GatewayAttachment>,
    pub egress_only_gateways: Arena<EgressOnlyInternetGateway>,
    pub nat_gateways: Arena<NatGateway>,
    pub peerings: Arena<PeeringConnection>,
    pub peering_accepters: Arena<PeeringAccepter>,
    pub endpoints: Arena<VpcEndpoint>,
    pub endpoint_associations: Arena<EndpointAssociation>,
    pub flow_logs: Arena<FlowLog>,
    pub security_groups: Arena<SecurityGroup>,
    pub security_group_rules: Arena<SecurityGroupRule>,
    pub buckets: Arena<S3Bucket>,
    pub bucket_policies: Arena<BucketPolicy>,
    pub log_groups: Arena<LogGroup>,
    pub bucket_deliveries: Arena<BucketDelivery>,
    /// Every resource address declared in the stack, modeled or not (for "declared" vs "undeclared").
    #[serde(skip)]
    pub declared: crate::value::HashSet<String>,
    /// How many resources the stack declares (all types).
    pub resource_count: usize,
    /// The declared resources that may not exist (an unknown `count` or `for_each`, a
    /// CloudFormation condition vpclint cannot evaluate, a module instance that may not
    /// exist), by address, with why. Their nodes are `Existence::Maybe`; see [`crate::unseen`].
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub may_not_exist: IndexMap<String, Unknown>,
    /// True when some route table association's subnet is unknown (it might be any subnet).
    pub has_unknown_subnet_association: bool,
    /// True when some AWS service delivers into a bucket vpclint cannot tell (it might be
    /// any bucket of the stack).
    pub has_unknown_delivery_bucket: bool,
    /// Files of the stack's modules that could not be read or parsed (as their paths are
    /// shown). Whatever they declare is unseen, so no absence is certain: [`VpcGraph::finish`]
    /// marks every list that might be missing members as incomplete.
    pub unreadable_files: Vec<String>,
}

impl VpcGraph {
    pub fn new(stack: impl Into<String>, kind: StackKind) -> Self {
        VpcGraph {
            stack: stack.into(),
            kind,
            vpcs: Arena::default(),
            subnets: Arena::default(),
            route_tables: Arena::default(),
            routes: Arena::default(),
            route_table_associations: Arena::default(),
            main_route_table_associations: Arena::default(),
            cidr_associations: Arena::default(),
            internet_gateways: Arena::default(),
            gateway_attachments: Arena::default(),
            egress_only_gateways: Arena::default(),
            nat_gateways: Arena::default(),
            peerings: Arena::default(),
            peering_accepters: Arena::default(),
            endpoints: Arena::default(),
            endpoint_associations: Arena::default(),
            flow_logs: Arena::default(),
            security_groups: Arena::default(),
            security_group_rules: Arena::default(),
            buckets: Arena::default(),
            bucket_policies: Arena::default(),
            log_groups: Arena::default(),
            bucket_deliveries: Arena::default(),
            declared: Default::default(),
            resource_count: 0,
            may_not_exist: IndexMap::default(),
            has_unknown_subnet_association: false,
            has_unknown_delivery_bucket: false,
            unreadable_files: Vec::new(),
        }
    }

    /// Records that a resource is declared (whether or not it becomes a node).
    pub fn declare(&mut self, address: impl Into<String>) {
        self.declared.insert(address.into());
        self.resource_count = self.declared.len();
    }

    /// Records that a resource is declared but may not exist, and why (`why.reason` should
    /// not name the resource, so that resources hidden by the same unknown are counted
    /// together; `why.span` is where that unknown is written).
    pub fn declare_maybe(&mut self, address: impl Into<String>, why: Unknown) {
        let address = address.into();
        self.may_not_exist.insert(address.clone(), why);
        self.declare(address);
    }

    /// Resolves every pending link and builds the indexes. Call once, after all nodes are added.
    pub fn finish(&mut self) {
        crate::build::finish(self);
    }

    pub fn node_count(&self) -> usize {
        self.vpcs.len()
            + self.subnets.len()
            + self.route_tables.len()
            + self.routes.len()
            + self.route_table_associations.len()
            + self.internet_gateways.len()
            + self.egress_only_gateways.len()
            + self.nat_gateways.len()
            + self.peerings.len()
            + self.endpoints.len()
            + self.flow_logs.len()
            + self.security_groups.len()
            + self.security_group_rules.len()
            + self.buckets.len()
            + self.bucket_policies.len()
            + self.log_groups.len()
            + self.bucket_deliveries.len()
    }

    /// Whether some part of the stack could not be read, so resources may be missing from
    /// the graph (see [`VpcGraph::unreadable_files`]).
    pub fn may_lack_resources(&self) -> bool {
        !self.unreadable_files.is_empty()
    }

    /// The VPC a link points to, if it is a node of this graph.
    pub fn vpc(&self, link: &Link<Vpc>) -> Option<&Vpc> {
        link.node().and_then(|id| self.vpcs.get(id))
    }
}

/// Address → node lookup used while resolving links.
pub(crate) type AddressIndex<T> = HashMap<String, Id<T>>;

#[cfg(test)]
mod bucket_name_tests {
    use super::bucket_name_of;

    #[test]
    fn bucket_names_from_arns_and_names() {
        assert_eq!(
            bucket_name_of("arn:aws:s3:::logs-bucket"),
            Some("logs-bucket")
        );
        assert_eq!(bucket_name_of("arn:aws-cn:s3:::logs/vpc/"), Some("logs"));
        assert_eq!(bucket_name_of("logs-bucket"), Some("logs-bucket"));
        assert_eq!(bucket_name_of("cf.logs.s3.amazonaws.com"), Some("cf.logs"));
        assert_eq!(
            bucket_name_of("logs.s3.eu-west-1.amazonaws.com"),
            Some("logs")
        );
        assert_eq!(bucket_name_of("arn:aws:logs:us-east-1:1:log-group:x"), None);
        assert_eq!(bucket_name_of("arn:aws:s3:::"), None);
        assert_eq!(bucket_name_of(""), None);
    }
}
