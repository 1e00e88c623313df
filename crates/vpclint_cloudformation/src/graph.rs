//! Maps a template's resources to the VPC graph.
//!
//! Conventions: `Origin.address` is the logical ID, `Origin.span` the logical ID key,
//! `Origin.attributes` every property as written (`CidrBlock`) spanning from the key to
//! the end of its value (nested: `SecurityGroupIngress[0].CidrIp`). `Value::Ref` becomes
//! `Link::Pending` (resolved by `VpcGraph::finish`), a literal ID string `Link::External`,
//! an unknown `Link::Unknown`, an absent property `Link::None`.

use std::str::FromStr;

use ipnet::IpNet;
use vpclint_graph::IndexMap;
use vpclint_graph::*;

use crate::eval::{clipped, truth, Resource, Template};
use crate::syntax::{NodeId, NodeKind};

/// A property that is present (and not `AWS::NoValue`), with its span.
struct Prop {
    value: Value,
    span: Span,
}

/// Builds the graph of templates that share it (one, or several linked by imports).
pub(crate) fn build(templates: &[Template<'_>], stack: String) -> VpcGraph {
    let mut g = VpcGraph::new(stack, StackKind::CloudFormation);
    for t in templates {
        add_template(&mut g, t);
    }
    g.finish();
    mark_subnets_with_maybe_blocks(&mut g);
    g
}

fn add_template(g: &mut VpcGraph, t: &Template<'_>) {
    for r in t.resources.values() {
        let address = t.address(r.id);
        // Why the resource may not exist: a condition vpclint cannot evaluate, or a
        // `Fn::ForEach` over a collection that is not known generated it.
        let may_not_exist = match r.condition.map(|name| (name, t.condition_value(name, 0))) {
            // A resource under a false condition does not exist.
            Some((_, Some(false))) => {
                g.declare(address);
                continue;
            }
            Some((name, None)) => {
                let why = t.condition_unknown(name);
                Some(Unknown {
                    reason: match &why {
                        Some(u) => format!("condition {name} is not known: {}", u.reason),
                        None => format!("condition {name} is not known"),
                    }
                    .into(),
                    span: why
                        .and_then(|u| u.span)
                        .or_else(|| Some(t.span(r.key_start, r.key_end))),
                })
            }
            None | Some((_, Some(true))) => None,
        }
        .or_else(|| {
            t.tree.unseen().why_may_not_exist(r.id).map(|why| Unknown {
                reason: why.clone(),
                span: Some(t.span(r.key_start, r.key_end)),
            })
        });
        let existence = match may_not_exist {
            Some(why) => {
                g.declare_maybe(address, why);
                Existence::Maybe
            }
            None => {
                g.declare(address);
                Existence::Certain
            }
        };
        Mapper { t, r, existence }.map(g);
    }
}

/// A subnet CIDR block that might not exist is not merged into its subnet by `finish`;
/// the subnet is marked so that its lack of such a block is not taken as certain.
fn mark_subnets_with_maybe_blocks(g: &mut VpcGraph) {
    let maybe: Vec<SubnetId> = g
        .cidr_associations
        .values()
        .filter(|a| !a.origin.is_certain())
        .filter_map(|a| match &a.owner {
            CidrOwner::Subnet(Link::Node(id)) => Some(*id),
            _ => None,
        })
        .collect();
    for id in maybe {
        if let Some(subnet) = g.subnets.get_mut(id) {
            subnet.cidrs_may_be_incomplete = true;
        }
    }
}

struct Mapper<'a, 't> {
    t: &'a Template<'t>,
    r: &'a Resource<'t>,
    existence: Existence,
}

impl Mapper<'_, '_> {
    /// The graph address of this resource.
    fn address(&self) -> String {
        self.t.address(self.r.id).into_owned()
    }

    fn origin(&self) -> Origin {
        let t = self.t;
        let mut origin = Origin::new(
            self.address(),
            self.r.ty,
            t.span(self.r.key_start, self.r.key_end),
        );
        origin.existence = self.existence;
        origin.suppressed_rules = self.suppressed_rules();
        if let Some(props) = self.r.properties {
            origin.attributes = t
                .tree
                .entries(props)
                .iter()
                .map(|e| {
                    let end = t.tree.node(e.value).end;
                    (e.key.to_string(), t.span(e.key_start, end))
                })
                .collect::<IndexMap<_, _>>();
        }
        origin
    }

    /// Rules the resource's `Metadata: {vpclint: {ignore: [VPC103, ...]}}` suppresses (a
    /// list, or one comma-separated string; IDs or names, as the engine matches them).
    fn suppressed_rules(&self) -> Vec<String> {
        let tree = self.t.tree;
        let Some(ignore) = self
            .r
            .metadata
            .and_then(|m| tree.get(m, "vpclint"))
            .and_then(|v| tree.get(v, "ignore"))
        else {
            return Vec::new();
        };
        let items: Vec<&str> = match tree.items(ignore) {
            Some(items) => items.iter().filter_map(|i| tree.scalar(*i)).collect(),
            None => tree.scalar(ignore).into_iter().collect(),
        };
        items
            .iter()
            .flat_map(|item| item.split(','))
            .map(str::trim)
            .filter(|rule| !rule.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Whether a property is present only under a condition vpclint cannot evaluate
    /// (`!If [Unknown, value, !Ref AWS::NoValue]`, either way round).
    fn maybe_absent(&self, name: &str) -> bool {
        let t = self.t;
        self.r
            .properties
            .and_then(|p| t.tree.get(p, name))
            .is_some_and(|node| self.node_maybe_absent(node))
    }

    /// Whether a node is `!If [Unknown, value, !Ref AWS::NoValue]` (either way round).
    fn node_maybe_absent(&self, node: NodeId) -> bool {
        let t = self.t;
        let Some(args) = t.tree.get(node, "Fn::If").and_then(|a| t.tree.items(a)) else {
            return false;
        };
        let [condition, then, otherwise] = args else {
            return false;
        };
        let condition = t.tree.scalar(*condition).unwrap_or("");
        t.condition_value(condition, 0).is_none()
            && (t.eval(*then, 0).is_none() != t.eval(*otherwise, 0).is_none())
    }

    fn prop(&self, name: &str) -> Option<Prop> {
        let t = self.t;
        let props = self.r.properties?;
        let entry = t.tree.entry(props, name)?;
        let value = t.eval(entry.value, 0)?;
        let end = t.tree.node(entry.value).end;
        Some(Prop {
            value,
            span: t.span(entry.key_start, end),
        })
    }

    fn link<T>(&self, name: &str) -> Link<T> {
        self.prop(name).map_or(Link::None, |p| link(&p.value))
    }

    fn string(&self, name: &str) -> Option<Known<String>> {
        self.prop(name).map(|p| known_string(&p.value))
    }

    fn boolean(&self, name: &str) -> Option<Known<bool>> {
        self.prop(name).map(|p| known_bool(&p.value))
    }

    /// `--region`, else the marker for "this stack's region" (see the crate docs).
    fn region(&self) -> Known<String> {
        Known::Known(
            self.t
                .options
                .region
                .clone()
                .unwrap_or_else(|| STACK_REGION.to_owned()),
        )
    }

    fn cidr_block(&self, prop: &Prop) -> CidrBlock {
        CidrBlock {
            cidr: known_cidr(&prop.value),
            span: prop.span,
            declared_by: self.address(),
        }
    }

    fn unknown_block(&self, prop: &Prop, reason: &str) -> CidrBlock {
        CidrBlock {
            cidr: Known::unknown(reason),
            span: prop.span,
            declared_by: self.address(),
        }
    }

    fn links<T>(&self, name: &str) -> (Vec<Linked<T>>, bool) {
        let Some(p) = self.prop(name) else {
            return (Vec::new(), false);
        };
        match &p.value {
            Value::List(items) => {
                // An item that is there only under a condition vpclint cannot evaluate: the
                // list's length is not known either.
                let t = self.t;
                let maybe_shorter = self
                    .r
                    .properties
                    .and_then(|props| t.tree.get(props, name))
                    .and_then(|node| t.tree.items(node))
                    .is_some_and(|nodes| nodes.iter().any(|n| self.node_maybe_absent(*n)));
                let links = items
                    .iter()
                    .map(|v| {
                        let span = match v {
                            Value::Ref(r) => r.span.unwrap_or(p.span),
                            _ => p.span,
                        };
                        Linked::new(link(v), span)
                    })
                    .collect();
                (links, maybe_shorter)
            }
            Value::Null => (Vec::new(), false),
            _ => (Vec::new(), true),
        }
    }

    fn map(&self, g: &mut VpcGraph) {
        match self.r.ty {
            "AWS::EC2::VPC" => self.vpc(g),
            "AWS::EC2::VPCCidrBlock" => self.vpc_cidr_block(g),
            "AWS::EC2::Subnet" => self.subnet(g),
            "AWS::EC2::SubnetCidrBlock" => self.subnet_cidr_block(g),
            "AWS::EC2::RouteTable" => {
                g.route_tables
                    .push(RouteTable::new(self.origin(), self.link("VpcId")));
            }
            "AWS::EC2::Route" => self.route(g),
            "AWS::EC2::SubnetRouteTableAssociation" => {
                g.route_table_associations.push(RouteTableAssociation {
                    origin: self.origin(),
                    subnet: self.link("SubnetId"),
                    route_table: self.link("RouteTableId"),
                });
            }
            "AWS::EC2::InternetGateway" => {
                g.internet_gateways.push(InternetGateway {
                    origin: self.origin(),
                    vpc: Link::None,
                });
            }
            "AWS::EC2::VPCGatewayAttachment" if self.prop("InternetGatewayId").is_some() => {
                g.gateway_attachments.push(GatewayAttachment {
                    origin: self.origin(),
                    gateway: self.link("InternetGatewayId"),
                    vpc: self.link("VpcId"),
                });
            }
            "AWS::EC2::EgressOnlyInternetGateway" => {
                g.egress_only_gateways.push(EgressOnlyInternetGateway {
                    origin: self.origin(),
                    vpc: self.link("VpcId"),
                });
            }
            "AWS::EC2::NatGateway" => {
                g.nat_gateways.push(NatGateway {
                    origin: self.origin(),
                    subnet: self.link("SubnetId"),
                    connectivity_type: self
                        .string("ConnectivityType")
                        .unwrap_or_else(|| Known::Known("public".to_owned())),
                });
            }
            "AWS::EC2::VPCPeeringConnection" => self.peering(g),
            "AWS::EC2::VPCEndpoint" => self.endpoint(g),
            "AWS::EC2::FlowLog" => self.flow_log(g),
            "AWS::EC2::SecurityGroup" => self.security_group(g),
            "AWS::EC2::SecurityGroupIngress" => self.standalone_rule(g, Direction::Ingress),
            "AWS::EC2::SecurityGroupEgress" => self.standalone_rule(g, Direction::Egress),
            "AWS::S3::Bucket" => {
                self.bucket_deliveries(g);
                g.buckets.push(S3Bucket::new(
                    self.origin(),
                    self.string("BucketName").unwrap_or_else(|| {
                        Known::unknown("bucket name generated by CloudFormation")
                    }),
                ));
            }
            "AWS::S3::BucketPolicy" => self.bucket_policy(g),
            "AWS::CloudTrail::Trail" => {
                self.delivery(g, &["S3BucketName"], DeliveryService::CloudTrail);
            }
            "AWS::Config::DeliveryChannel" => {
                self.delivery(g, &["S3BucketName"], DeliveryService::Config);
            }
            "AWS::ElasticLoadBalancing::LoadBalancer" => self.delivery(
                g,
                &["AccessLoggingPolicy", "S3BucketName"],
                DeliveryService::LoadBalancerAccessLogs,
            ),
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => self.load_balancer_logs(g),
            "AWS::KinesisFirehose::DeliveryStream" => {
                for destination in [
                    "S3DestinationConfiguration",
                    "ExtendedS3DestinationConfiguration",
                ] {
                    self.delivery(g, &[destination, "BucketARN"], DeliveryService::Firehose);
                }
            }
            "AWS::CloudFront::Distribution" => self.delivery(
                g,
                &["DistributionConfig", "Logging", "Bucket"],
                DeliveryService::CloudFrontLogs,
            ),
            "AWS::WAFv2::LoggingConfiguration" => {
                self.delivery(g, &["LogDestinationConfigs"], DeliveryService::WafLogs);
            }
            "AWS::Route53Resolver::ResolverQueryLoggingConfig" => {
                self.delivery(g, &["DestinationArn"], DeliveryService::ResolverQueryLogs);
            }
            "AWS::Logs::LogGroup" => {
                g.log_groups.push(LogGroup {
                    origin: self.origin(),
                    name: self.string("LogGroupName").unwrap_or_else(|| {
                        Known::unknown("log group name generated by CloudFormation")
                    }),
                });
            }
            _ => {}
        }
    }

    fn vpc(&self, g: &mut VpcGraph) {
        let mut vpc = Vpc::new(self.origin());
        if let Some(p) = self.prop("CidrBlock") {
            vpc.ipv4_cidrs.push(self.cidr_block(&p));
        } else if let Some(p) = self.prop("Ipv4IpamPoolId") {
            vpc.ipv4_cidrs
                .push(self.unknown_block(&p, "IPv4 CIDR allocated from an IPAM pool"));
        }
        vpc.region = self.region();
        if let Some(v) = self.boolean("EnableDnsSupport") {
            vpc.enable_dns_support = v;
        }
        if let Some(v) = self.boolean("EnableDnsHostnames") {
            vpc.enable_dns_hostnames = v;
        }
        g.vpcs.push(vpc);
    }

    fn vpc_cidr_block(&self, g: &mut VpcGraph) {
        let (block, ipv6) = if let Some(p) = self.prop("CidrBlock") {
            (self.cidr_block(&p), false)
        } else if let Some(p) = self.prop("Ipv6CidrBlock") {
            (self.cidr_block(&p), true)
        } else if let Some(p) = self.prop("AmazonProvidedIpv6CidrBlock") {
            if truth(&p.value) == Some(false) {
                return;
            }
            (
                self.unknown_block(&p, "Amazon-provided IPv6 CIDR, assigned at deployment"),
                true,
            )
        } else if let Some(p) = self
            .prop("Ipv6IpamPoolId")
            .or_else(|| self.prop("Ipv6Pool"))
        {
            (
                self.unknown_block(&p, "IPv6 CIDR allocated from a pool at deployment"),
                true,
            )
        } else if let Some(p) = self.prop("Ipv4IpamPoolId") {
            (
                self.unknown_block(&p, "IPv4 CIDR allocated from an IPAM pool"),
                false,
            )
        } else {
            return;
        };
        let mut origin = self.origin();
        let block_property = [
            "CidrBlock",
            "Ipv6CidrBlock",
            "AmazonProvidedIpv6CidrBlock",
            "Ipv6IpamPoolId",
            "Ipv6Pool",
            "Ipv4IpamPoolId",
        ];
        if block_property.iter().any(|p| self.maybe_absent(p)) {
            // A block that may not be declared: `finish` treats it like a maybe-resource.
            origin.existence = Existence::Maybe;
        }
        g.cidr_associations.push(CidrAssociation {
            origin,
            owner: CidrOwner::Vpc(self.link("VpcId")),
            block,
            ipv6,
        });
    }

    fn subnet(&self, g: &mut VpcGraph) {
        let mut subnet = Subnet::new(self.origin(), self.link("VpcId"));
        if let Some(p) = self.prop("CidrBlock") {
            subnet.ipv4_cidr = Some(self.cidr_block(&p));
        } else if let Some(p) = self.prop("Ipv4IpamPoolId") {
            subnet.ipv4_cidr =
                Some(self.unknown_block(&p, "IPv4 CIDR allocated from an IPAM pool"));
        }
        if self.maybe_absent("Ipv6CidrBlock") {
            // Neither a block nor its absence is certain.
            subnet.cidrs_may_be_incomplete = true;
        } else if let Some(p) = self.prop("Ipv6CidrBlock") {
            subnet.ipv6_cidrs.push(self.cidr_block(&p));
        } else if let Some(p) = self.prop("Ipv6IpamPoolId") {
            subnet
                .ipv6_cidrs
                .push(self.unknown_block(&p, "IPv6 CIDR allocated from an IPAM pool"));
        }
        subnet.availability_zone = self
            .string("AvailabilityZone")
            .or_else(|| self.string("AvailabilityZoneId"));
        g.subnets.push(subnet);
    }

    fn subnet_cidr_block(&self, g: &mut VpcGraph) {
        let block = if let Some(p) = self.prop("Ipv6CidrBlock") {
            self.cidr_block(&p)
        } else if let Some(p) = self.prop("Ipv6IpamPoolId") {
            self.unknown_block(&p, "IPv6 CIDR allocated from an IPAM pool")
        } else {
            return;
        };
        g.cidr_associations.push(CidrAssociation {
            origin: self.origin(),
            owner: CidrOwner::Subnet(self.link("SubnetId")),
            block,
            ipv6: true,
        });
    }

    fn route(&self, g: &mut VpcGraph) {
        let origin = self.origin();
        let (destination, destination_span) = if let Some(p) = self.prop("DestinationCidrBlock") {
            (Destination::Cidr(known_cidr(&p.value)), p.span)
        } else if let Some(p) = self.prop("DestinationIpv6CidrBlock") {
            (Destination::Cidr(known_cidr(&p.value)), p.span)
        } else if let Some(p) = self.prop("DestinationPrefixListId") {
            (Destination::PrefixList(known_string(&p.value)), p.span)
        } else {
            (Destination::Missing, origin.span)
        };
        let mut targets = Vec::new();
        for attribute in ROUTE_TARGETS {
            let Some(p) = self.prop(attribute) else {
                continue;
            };
            let target = match *attribute {
                "GatewayId" => self.gateway_target(&p.value),
                "EgressOnlyInternetGatewayId" => {
                    RouteTarget::EgressOnlyInternetGateway(link(&p.value))
                }
                "NatGatewayId" => RouteTarget::NatGateway(link(&p.value)),
                "VpcPeeringConnectionId" => RouteTarget::Peering(link(&p.value)),
                "VpcEndpointId" => RouteTarget::VpcEndpoint(link(&p.value)),
                other => RouteTarget::Other {
                    attribute: other.to_owned(),
                    value: id_string(&p.value),
                },
            };
            targets.push(TargetRef {
                target,
                span: p.span,
            });
        }
        g.routes.push(Route {
            origin,
            route_table: self.link("RouteTableId"),
            destination,
            destination_span,
            targets,
            inline: false,
        });
    }

    /// `GatewayId` carries internet gateways, virtual private gateways and `local`.
    fn gateway_target(&self, value: &Value) -> RouteTarget {
        let other = || RouteTarget::Other {
            attribute: "GatewayId".to_owned(),
            value: id_string(value),
        };
        match value {
            Value::Ref(r) => match self.t.resource_at(&r.target).map(|r| r.ty) {
                Some("AWS::EC2::InternetGateway") | None => {
                    RouteTarget::InternetGateway(link(value))
                }
                Some(_) => other(),
            },
            Value::String(s) if s == "local" => RouteTarget::Local,
            Value::String(s) if s.starts_with("igw-") => {
                RouteTarget::InternetGateway(Link::External(s.clone()))
            }
            _ => other(),
        }
    }

    fn peering(&self, g: &mut VpcGraph) {
        let mut peering =
            PeeringConnection::new(self.origin(), self.link("VpcId"), self.link("PeerVpcId"));
        peering.region = self.region();
        peering.peer_region = self.string("PeerRegion");
        peering.peer_owner_id = self.string("PeerOwnerId");
        peering.peer_role_arn = self.string("PeerRoleArn");
        g.peerings.push(peering);
    }

    fn endpoint(&self, g: &mut VpcGraph) {
        let mut ep = VpcEndpoint::new(self.origin(), self.link("VpcId"));
        ep.service_name = self
            .string("ServiceName")
            .unwrap_or_else(|| Known::unknown("service name not set"));
        if let Some(ty) = self.string("VpcEndpointType") {
            ep.endpoint_type = ty.map(|s| match s.as_str() {
                "Gateway" => EndpointType::Gateway,
                "Interface" => EndpointType::Interface,
                "GatewayLoadBalancer" => EndpointType::GatewayLoadBalancer,
                _ => EndpointType::Other,
            });
        }
        ep.region = self.region();
        let (route_tables, a) = self.links("RouteTableIds");
        let (subnets, b) = self.links("SubnetIds");
        let (security_groups, c) = self.links("SecurityGroupIds");
        ep.route_tables = route_tables;
        ep.subnets = subnets;
        ep.security_groups = security_groups;
        ep.route_tables_may_be_incomplete = a;
        ep.subnets_may_be_incomplete = b;
        ep.security_groups_may_be_incomplete = c;
        ep.private_dns_enabled = self.boolean("PrivateDnsEnabled");
        ep.service_region = self.string("ServiceRegion");
        ep.policy = self
            .prop("PolicyDocument")
            .map(|p| policy_document(p.value));
        g.endpoints.push(ep);
    }

    fn flow_log(&self, g: &mut VpcGraph) {
        let mut targets = Vec::new();
        if let Some(id) = self.prop("ResourceId") {
            let ty = self.string("ResourceType");
            let target = match ty.as_ref().and_then(Known::known).map(String::as_str) {
                Some("VPC") => FlowLogTarget::Vpc(link(&id.value)),
                Some("Subnet") => FlowLogTarget::Subnet(link(&id.value)),
                Some("NetworkInterface") => FlowLogTarget::NetworkInterface(id_string(&id.value)),
                Some("TransitGateway") => FlowLogTarget::TransitGateway(id_string(&id.value)),
                Some("TransitGatewayAttachment") => {
                    FlowLogTarget::TransitGatewayAttachment(id_string(&id.value))
                }
                _ => FlowLogTarget::Unknown(id_string(&id.value)),
            };
            targets.push(target);
        }
        let destination_type = self
            .string("LogDestinationType")
            .unwrap_or_else(|| Known::Known("cloud-watch-logs".to_owned()));
        if destination_type.known().is_none_or(|t| t == "s3") {
            self.delivery(g, &["LogDestination"], DeliveryService::FlowLogs);
        }
        g.flow_logs.push(FlowLog {
            origin: self.origin(),
            targets,
            destination_type,
            log_destination: self.prop("LogDestination").map(|p| p.value),
            log_group_name: self.prop("LogGroupName").map(|p| p.value),
            iam_role_arn: self.prop("DeliverLogsPermissionArn").map(|p| p.value),
        });
    }

    /// The node at a property path (`["AccessLoggingPolicy", "S3BucketName"]`).
    fn node_at(&self, path: &[&str]) -> Option<NodeId> {
        let tree = self.t.tree;
        path.iter()
            .try_fold(self.r.properties?, |node, key| tree.get(node, key))
    }

    /// The evaluated value at a property path (through `Fn::If`, without `AWS::NoValue`s),
    /// with the property's node: `None` when a part of the path is absent. A part that is
    /// not known stops the walk: the unknown is the value.
    fn value_at(&self, path: &[&str]) -> Option<(Value, NodeId)> {
        let (first, rest) = path.split_first()?;
        let node = self.node_at(&[first])?;
        let mut value = self.prop(first)?.value;
        for key in rest {
            value = match value {
                Value::Map(mut map) => map.swap_remove(*key)?,
                unknown @ Value::Unknown(_) => return Some((unknown, node)),
                _ => return None,
            };
        }
        Some((value, node))
    }

    /// Deliveries into the buckets named at a property path.
    fn delivery(&self, g: &mut VpcGraph, path: &[&str], service: DeliveryService) {
        if let Some((value, node)) = self.value_at(path) {
            self.push_deliveries(g, service, self.buckets_named(&value, node));
        }
    }

    fn push_deliveries(
        &self,
        g: &mut VpcGraph,
        service: DeliveryService,
        buckets: Vec<Link<S3Bucket>>,
    ) {
        for bucket in buckets {
            g.bucket_deliveries.push(BucketDelivery {
                origin: self.origin(),
                service,
                bucket,
            });
        }
    }

    /// The buckets an AWS service delivers into, from the value naming them: a `Ref`/`GetAtt`
    /// of an `AWS::S3::Bucket`, a literal bucket name, S3 ARN or S3 domain name, a list of
    /// those — or, when the value is not known, every bucket the property refers to
    /// (`!Sub arn:aws:s3:::${LogBucket}/vpc`, either branch of an `Fn::If`), else an unknown
    /// bucket. Nothing when it certainly names something else (a log group, another ARN).
    fn buckets_named(&self, value: &Value, node: NodeId) -> Vec<Link<S3Bucket>> {
        let t = self.t;
        match value {
            Value::Ref(r) => {
                let is_bucket = t
                    .resource_at(&r.target)
                    .is_none_or(|res| res.ty == "AWS::S3::Bucket");
                if is_bucket {
                    vec![link(value)]
                } else {
                    Vec::new()
                }
            }
            Value::String(s) => bucket_name_of(s)
                .map(|name| Link::External(name.to_owned()))
                .into_iter()
                .collect(),
            Value::List(items) => items
                .iter()
                .flat_map(|item| self.buckets_named(item, node))
                .collect(),
            Value::Unknown(u) => {
                let referenced = self.buckets_referenced_in(node);
                if referenced.is_empty() {
                    vec![Link::Unknown(u.clone())]
                } else {
                    referenced
                        .into_iter()
                        .map(|address| Link::pending(address, Some(t.node_span(node))))
                        .collect()
                }
            }
            _ => Vec::new(),
        }
    }

    /// The buckets of this template an expression refers to (`Ref`, `Fn::GetAtt`, or a
    /// `${...}` of `Fn::Sub`), anywhere inside it, in order and without repeats.
    fn buckets_referenced_in(&self, node: NodeId) -> Vec<String> {
        let t = self.t;
        let bucket = |id: &str| {
            t.resources
                .get(id)
                .is_some_and(|r| r.ty == "AWS::S3::Bucket")
                .then(|| t.address(id).into_owned())
        };
        let mut found: Vec<String> = Vec::new();
        let mut pending = vec![node];
        // Bounded: a pathological expression stops the walk, not the linter.
        let mut budget = 10_000usize;
        while let Some(node) = pending.pop() {
            let Some(left) = budget.checked_sub(1) else {
                break;
            };
            budget = left;
            match &t.tree.node(node).kind {
                NodeKind::Scalar { .. } | NodeKind::Unknown(_) => {}
                NodeKind::Seq(items) => pending.extend(items.iter().rev().copied()),
                NodeKind::Map(entries) => {
                    for e in entries.iter().rev() {
                        let named: Vec<String> = match &*e.key {
                            "Ref" => t
                                .tree
                                .scalar(e.value)
                                .and_then(bucket)
                                .into_iter()
                                .collect(),
                            "Fn::GetAtt" => {
                                let id = match t.tree.scalar(e.value) {
                                    Some(dotted) => dotted.split('.').next(),
                                    None => t
                                        .tree
                                        .items(e.value)
                                        .and_then(|i| i.first())
                                        .and_then(|id| t.tree.scalar(*id)),
                                };
                                id.and_then(bucket).into_iter().collect()
                            }
                            "Fn::Sub" => {
                                let text = t.tree.scalar(e.value).or_else(|| {
                                    t.tree
                                        .items(e.value)
                                        .and_then(|i| i.first())
                                        .and_then(|s| t.tree.scalar(*s))
                                });
                                text.map(|text| {
                                    sub_variables(text)
                                        .filter_map(|v| bucket(v.split('.').next().unwrap_or(v)))
                                        .collect()
                                })
                                .unwrap_or_default()
                            }
                            _ => Vec::new(),
                        };
                        for address in named {
                            if !found.contains(&address) {
                                found.push(address);
                            }
                        }
                        pending.push(e.value);
                    }
                }
            }
        }
        found
    }

    /// Deliveries an `AWS::S3::Bucket` declares for itself or another bucket: its access
    /// logs (`LoggingConfiguration`; without `DestinationBucketName` they go to the bucket
    /// itself) and a `LogDeliveryWrite` ACL (or an `AccessControl` that is not known).
    fn bucket_deliveries(&self, g: &mut VpcGraph) {
        let own = || Link::pending(self.address(), None);
        if let Some((config, node)) = self.value_at(&["LoggingConfiguration"]) {
            let buckets = match &config {
                Value::Map(fields) => match fields.get("DestinationBucketName") {
                    Some(destination) => self.buckets_named(destination, node),
                    None => vec![own()],
                },
                // Logging configured one way or another: to this bucket, or to one it names.
                Value::Unknown(_) => {
                    let mut buckets = vec![own()];
                    buckets.extend(
                        self.buckets_referenced_in(node)
                            .into_iter()
                            .map(|address| Link::pending(address, None)),
                    );
                    buckets
                }
                _ => Vec::new(),
            };
            self.push_deliveries(g, DeliveryService::ServerAccessLogs, buckets);
        }
        match self.string("AccessControl") {
            Some(Known::Known(acl)) if acl != "LogDeliveryWrite" => {}
            None => {}
            Some(_) => {
                self.push_deliveries(g, DeliveryService::LogDeliveryAcl, vec![own()]);
            }
        }
    }

    /// `LoadBalancerAttributes` entries `access_logs.s3.bucket` / `connection_logs.s3.bucket`.
    fn load_balancer_logs(&self, g: &mut VpcGraph) {
        let Some((attributes, node)) = self.value_at(&["LoadBalancerAttributes"]) else {
            return;
        };
        let items = match attributes {
            Value::List(items) => items,
            // A computed attribute list might name any bucket.
            other => vec![other],
        };
        for item in items {
            let buckets = match &item {
                Value::Map(fields) => {
                    let names_bucket = match fields.get("Key") {
                        Some(Value::String(k)) => {
                            k == "access_logs.s3.bucket" || k == "connection_logs.s3.bucket"
                        }
                        Some(Value::Unknown(_)) => true,
                        _ => false,
                    };
                    match fields.get("Value") {
                        Some(value) if names_bucket => self.buckets_named(value, node),
                        _ => Vec::new(),
                    }
                }
                unknown @ Value::Unknown(_) => self.buckets_named(unknown, node),
                _ => Vec::new(),
            };
            self.push_deliveries(g, DeliveryService::LoadBalancerAccessLogs, buckets);
        }
    }

    fn security_group(&self, g: &mut VpcGraph) {
        g.security_groups.push(SecurityGroup {
            origin: self.origin(),
            vpc: self.link("VpcId"),
            is_default: false,
            rules: Vec::new(),
        });
        let Some(props) = self.r.properties else {
            return;
        };
        let t = self.t;
        for (property, direction) in [
            ("SecurityGroupIngress", Direction::Ingress),
            ("SecurityGroupEgress", Direction::Egress),
        ] {
            let Some(list) = t.tree.get(props, property) else {
                continue;
            };
            let Some(items) = t.tree.items(list) else {
                // The list itself is computed (`!If` on an unknown condition, a parameter):
                // record that the group has rules vpclint cannot read.
                self.unreadable_rule(g, property, direction, t.node_span(list));
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let prefix = format!("{property}[{i}]");
                let Some(Value::Map(fields)) = t.eval(*item, 0) else {
                    self.unreadable_rule(g, &prefix, direction, t.node_span(*item));
                    continue;
                };
                let item_span = t.node_span(*item);
                let mut origin =
                    Origin::new(format!("{}.{prefix}", self.address()), self.r.ty, item_span);
                origin.existence = self.existence;
                origin.suppressed_rules = self.suppressed_rules();
                for e in t.tree.entries(*item) {
                    let end = t.tree.node(e.value).end;
                    origin
                        .attributes
                        .insert(format!("{prefix}.{}", e.key), t.span(e.key_start, end));
                }
                let spans: IndexMap<String, Span> = t
                    .tree
                    .entries(*item)
                    .iter()
                    .map(|e| {
                        (
                            e.key.to_string(),
                            t.span(e.key_start, t.tree.node(e.value).end),
                        )
                    })
                    .collect();
                let rule = sg_rule(
                    origin,
                    Link::pending(
                        self.address(),
                        Some(t.span(self.r.key_start, self.r.key_end)),
                    ),
                    direction,
                    &fields,
                    &spans,
                    item_span,
                    true,
                );
                g.security_group_rules.push(rule);
            }
        }
    }

    /// A rule of this group that exists but whose content is unknown, so rules never treat
    /// the group's rule list as complete.
    fn unreadable_rule(&self, g: &mut VpcGraph, property: &str, direction: Direction, span: Span) {
        let mut origin = Origin::new(format!("{}.{property}", self.address()), self.r.ty, span);
        origin.existence = self.existence;
        origin.suppressed_rules = self.suppressed_rules();
        g.security_group_rules.push(SecurityGroupRule::unreadable(
            origin,
            Link::pending(
                self.address(),
                Some(self.t.span(self.r.key_start, self.r.key_end)),
            ),
            direction,
            format!("{property} cannot be read before deployment"),
        ));
    }

    fn standalone_rule(&self, g: &mut VpcGraph, direction: Direction) {
        let t = self.t;
        let mut fields = IndexMap::default();
        let mut spans = IndexMap::default();
        if let Some(props) = self.r.properties {
            for e in t.tree.entries(props) {
                if let Some(v) = t.eval(e.value, 0) {
                    fields.insert(e.key.to_string(), v);
                }
                spans.insert(
                    e.key.to_string(),
                    t.span(e.key_start, t.tree.node(e.value).end),
                );
            }
        }
        let origin = self.origin();
        let header = origin.span;
        let rule = sg_rule(
            origin,
            self.link("GroupId"),
            direction,
            &fields,
            &spans,
            header,
            false,
        );
        g.security_group_rules.push(rule);
    }

    fn bucket_policy(&self, g: &mut VpcGraph) {
        let origin = self.origin();
        let (document, document_span) = match self.prop("PolicyDocument") {
            Some(p) => (policy_document(p.value), p.span),
            None => (Value::Null, origin.span),
        };
        g.bucket_policies.push(BucketPolicy {
            bucket: self.link("Bucket"),
            origin,
            document,
            document_span,
        });
    }
}

/// Route target properties of `AWS::EC2::Route`, in the order they are reported.
const ROUTE_TARGETS: &[&str] = &[
    "GatewayId",
    "EgressOnlyInternetGatewayId",
    "NatGatewayId",
    "VpcPeeringConnectionId",
    "VpcEndpointId",
    "TransitGatewayId",
    "NetworkInterfaceId",
    "InstanceId",
    "CarrierGatewayId",
    "CoreNetworkArn",
    "LocalGatewayId",
];

fn sg_rule(
    origin: Origin,
    security_group: Link<SecurityGroup>,
    direction: Direction,
    fields: &IndexMap<String, Value>,
    spans: &IndexMap<String, Span>,
    fallback: Span,
    inline: bool,
) -> SecurityGroupRule {
    let get = |k: &str| fields.get(k).filter(|v| !v.is_null());
    let port = |k: &str| get(k).map(known_int);
    let (other_key, prefix_key) = match direction {
        Direction::Ingress => ("SourceSecurityGroupId", "SourcePrefixListId"),
        Direction::Egress => ("DestinationSecurityGroupId", "DestinationPrefixListId"),
    };
    SecurityGroupRule {
        protocol: get("IpProtocol")
            .map(known_string)
            .unwrap_or_else(|| Known::unknown("IpProtocol not set")),
        from_port: port("FromPort"),
        to_port: port("ToPort"),
        ipv4_cidrs: get("CidrIp").map(known_cidr).into_iter().collect(),
        ipv6_cidrs: get("CidrIpv6").map(known_cidr).into_iter().collect(),
        referenced_security_group: get(other_key).map(|v| Linked {
            link: link(v),
            span: spans.get(other_key).copied().unwrap_or(fallback),
            via: None,
        }),
        prefix_lists: get(prefix_key).map(id_string).into_iter().collect(),
        origin,
        security_group,
        direction,
        inline,
    }
}

/// A policy document: a map as written, or JSON text parsed into one.
fn policy_document(value: Value) -> Value {
    if let Value::String(text) = &value {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
            return Value::from_json(&json);
        }
    }
    value
}

fn reason_of(v: &Value, what: &str) -> Known<String> {
    match v {
        Value::Unknown(u) => Known::Unknown(u.clone()),
        Value::Ref(r) => Known::unknown(format!("the ID of {}", r.target)),
        other => Known::unknown(format!("{what} expected, found a {}", other.type_name())),
    }
}

fn known_string(v: &Value) -> Known<String> {
    match v {
        Value::String(s) => Known::Known(s.clone()),
        Value::Bool(b) => Known::Known(b.to_string()),
        Value::Number(n) => Known::Known(n.to_string()),
        other => reason_of(other, "a string"),
    }
}

/// A value naming a resource as a string: a literal ID, or the logical ID it references.
fn id_string(v: &Value) -> Known<String> {
    match v {
        Value::Ref(r) => Known::Known(r.target.clone()),
        other => known_string(other),
    }
}

fn known_bool(v: &Value) -> Known<bool> {
    match truth(v) {
        Some(b) => Known::Known(b),
        None => match reason_of(v, "a boolean") {
            Known::Unknown(u) => Known::Unknown(u),
            Known::Known(_) => Known::unknown("not a boolean"),
        },
    }
}

fn known_int(v: &Value) -> Known<i64> {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => Known::Known(n as i64),
        _ => match v {
            Value::String(s) => Known::unknown(format!("`{}` is not an integer", clipped(s))),
            other => match reason_of(other, "an integer") {
                Known::Unknown(u) => Known::Unknown(u),
                Known::Known(_) => Known::unknown("not an integer"),
            },
        },
    }
}

fn known_cidr(v: &Value) -> Known<IpNet> {
    match v {
        Value::String(s) => match IpNet::from_str(s.trim()) {
            Ok(net) => Known::Known(net),
            Err(_) => Known::unknown(format!("`{}` is not a CIDR block", clipped(s))),
        },
        other => match reason_of(other, "a CIDR block") {
            Known::Unknown(u) => Known::Unknown(u),
            Known::Known(_) => Known::unknown("not a CIDR block"),
        },
    }
}

/// The variable names of an `Fn::Sub` string (`${Bucket}`, `${Bucket.Arn}`; not `${!Literal}`).
fn sub_variables(text: &str) -> impl Iterator<Item = &str> {
    text.split("${").skip(1).filter_map(|rest| {
        let name = rest.split('}').next()?;
        (!name.starts_with('!')).then_some(name.trim())
    })
}

fn link<T>(v: &Value) -> Link<T> {
    match v {
        Value::Ref(r) => Link::Pending {
            address: r.target.clone(),
            span: r.span,
        },
        Value::String(s) if !s.is_empty() => Link::External(s.clone()),
        Value::Null => Link::None,
        Value::Unknown(u) => Link::Unknown(u.clone()),
        other => Link::unknown(format!("not a resource ID: {}", other.type_name()), None),
    }
}
