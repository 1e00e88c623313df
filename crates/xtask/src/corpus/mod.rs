//! The synthetic corpus: deterministic, realistic stacks of 10 VPCs each.
//!
//! Per VPC: 4 subnets (2 public with `count`, 2 private with `for_each`; one of each
//! dual-stack), a public and a private route table with associations, an internet gateway
//! and an egress-only internet gateway, a NAT gateway, a peering connection to the next VPC
//! of the stack (a ring) with routes on both sides, an S3 gateway endpoint on both route
//! tables, a flow log to CloudWatch Logs, and a data bucket whose policy denies everything
//! not coming through the endpoint (`jsonencode` for even VPCs, `aws_iam_policy_document`
//! for odd ones). Every fourth Terraform stack builds its VPCs with a shared local module
//! (`modules/vpc`, called with `for_each`). CloudFormation templates use `!Ref`, `!GetAtt`,
//! `!Sub`, `!Cidr`, `!Select`, `!GetAZs`, parameters and conditions; every fifth is JSON.
//!
//! With `--defect-rate R`, each VPC of a flat stack (Terraform without the module, every
//! CloudFormation template) gets, with probability R, one seeded defect of a family chosen
//! at random ([`Defect`]); `expected.json` lists the findings they must produce.

mod cloudformation;
mod terraform;

use std::path::{Path, PathBuf};

use crate::rng::Rng;

pub const VPCS_PER_STACK: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Terraform,
    CloudFormation,
}

impl Format {
    pub fn dir_name(self) -> &'static str {
        match self {
            Format::Terraform => "terraform",
            Format::CloudFormation => "cloudformation",
        }
    }
}

pub struct CorpusOptions {
    pub vpcs: usize,
    pub out: PathBuf,
    pub formats: Vec<Format>,
    pub defect_rate: f64,
    pub seed: u64,
}

/// One seeded mistake, one per rule family.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Defect {
    /// VPC101: a secondary CIDR block of this VPC overlaps the next VPC (its peer).
    PeeringOverlap,
    /// VPC103: the next VPC's private route table has no route back over the peering.
    MissingReturnRoute,
    /// VPC102: the private route table sends the VPC after next over the peering.
    TransitiveRoute,
    /// VPC201: the public route table lost its `::/0` route (dual-stack public subnet).
    Ipv6Egress,
    /// VPC302: a `Gateway` endpoint for SQS.
    GatewayEndpoint,
    /// VPC401: an interface endpoint with its only subnet in one AZ.
    InterfaceEndpoint,
    /// VPC501: no flow log for the VPC.
    FlowLogs,
    /// VPC601: an extra subnet outside the VPC's CIDR (stacks with known IPv6 blocks).
    Addressing,
    /// VPC602: an extra subnet overlapping another (the addressing defect of stacks with
    /// Amazon-provided, so unknown, IPv6 blocks).
    SubnetOverlap,
}

impl Defect {
    pub const ALL: [Defect; 8] = [
        Defect::PeeringOverlap,
        Defect::MissingReturnRoute,
        Defect::TransitiveRoute,
        Defect::Ipv6Egress,
        Defect::GatewayEndpoint,
        Defect::InterfaceEndpoint,
        Defect::FlowLogs,
        Defect::Addressing,
    ];

    /// Needs a ring of peered VPCs ([`StackPlan::ring`]).
    fn needs_ring(self) -> bool {
        matches!(
            self,
            Defect::PeeringOverlap | Defect::MissingReturnRoute | Defect::TransitiveRoute
        )
    }
}

/// One finding a seeded defect must produce.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExpectedFinding {
    pub rule: &'static str,
    pub resource: String,
    /// Relative to the format's directory (`terraform/` or `cloudformation/`), `/`-separated.
    pub file: String,
}

/// What one stack looks like, before rendering.
pub struct StackPlan {
    pub index: usize,
    /// VPCs in this stack (10, fewer in the last one).
    pub vpcs: usize,
    /// Seeded defect per VPC of the stack.
    pub defects: Vec<Option<Defect>>,
}

/// Even stacks get their IPv6 blocks from an IPAM pool (known CIDRs), odd ones from Amazon
/// (unknown until deployed).
///
/// VPC102 and VPC601 stay silent for a VPC that has *any* unknown CIDR block, IPv6
/// included, even when the question is about IPv4 (`Vpc::known_cidrs`); so the
/// transitive-route and outside-subnet defects are seeded only where the IPv6 blocks are
/// known, and odd stacks get a peering overlap or a subnet overlap instead.
pub fn explicit_ipv6(stack: usize) -> bool {
    stack % 2 == 0
}

/// The IPAM-allocated IPv6 block of VPC `j` of stack `stack`.
pub fn ipv6_cidr(stack: usize, j: usize) -> String {
    format!("2600:1f14:{:x}:{:02x}00::/56", stack, j)
}

impl StackPlan {
    /// Peering defects need a ring of at least four VPCs (a transitive route to the VPC
    /// after next must not be a direct peer).
    pub fn ring(&self) -> bool {
        self.vpcs >= 4
    }
    /// The VPC this one peers with (`None`: no peering).
    pub fn next(&self, j: usize) -> Option<usize> {
        match self.vpcs {
            0 | 1 => None,
            2 => (j == 0).then_some(1),
            n => Some((j + 1) % n),
        }
    }
    /// IPv4 CIDR of VPC `j`: distinct within a stack, varying across stacks.
    pub fn cidr(&self, j: usize) -> String {
        format!("10.{}.0.0/16", j * 16 + self.index % 16)
    }
    pub fn defect(&self, j: usize) -> Option<Defect> {
        self.defects.get(j).copied().flatten()
    }
}

/// Plans every stack of one format. Defects are drawn from `rng` in a fixed order, so the
/// plan depends only on (vpcs, defect rate, seed, format).
fn plan(vpcs: usize, rate: f64, rng: &mut Rng, can_seed: impl Fn(usize) -> bool) -> Vec<StackPlan> {
    let mut stacks = Vec::new();
    let mut first = 0;
    let mut index = 0;
    while first < vpcs {
        let n = VPCS_PER_STACK.min(vpcs - first);
        let mut plan = StackPlan {
            index,
            vpcs: n,
            defects: vec![None; n],
        };
        for j in 0..n {
            let draw = rng.next_f64();
            let mut kind = Defect::ALL[rng.below(Defect::ALL.len())];
            if !explicit_ipv6(index) {
                kind = match kind {
                    Defect::TransitiveRoute => Defect::PeeringOverlap,
                    Defect::Addressing => Defect::SubnetOverlap,
                    other => other,
                };
            }
            if rate > 0.0 && draw < rate && can_seed(index) && (!kind.needs_ring() || plan.ring()) {
                plan.defects[j] = Some(kind);
            }
        }
        stacks.push(plan);
        first += n;
        index += 1;
    }
    stacks
}

/// Writes the corpus; returns a human summary.
pub fn generate(options: &CorpusOptions) -> Result<String, String> {
    if !(0.0..=1.0).contains(&options.defect_rate) {
        return Err("--defect-rate must be between 0 and 1".into());
    }
    let mut summary = String::new();
    std::fs::create_dir_all(&options.out).map_err(|e| io(&options.out, e))?;
    let mut all_expected: Vec<(Format, ExpectedFinding)> = Vec::new();
    for &format in &options.formats {
        let dir = options.out.join(format.dir_name());
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let mut rng = Rng::new(options.seed.wrapping_add(format as u64));
        let (files, bytes, expected) = match format {
            Format::Terraform => {
                let stacks = plan(
                    options.vpcs,
                    options.defect_rate,
                    &mut rng,
                    terraform::can_seed,
                );
                terraform::write(&dir, &stacks)?
            }
            Format::CloudFormation => {
                let stacks = plan(options.vpcs, options.defect_rate, &mut rng, |_| true);
                cloudformation::write(&dir, &stacks)?
            }
        };
        summary.push_str(&format!(
            "{}: {} VPCs, {} files, {} bytes, {} seeded findings\n",
            dir.display(),
            options.vpcs,
            files,
            bytes,
            expected.len()
        ));
        all_expected.extend(expected.into_iter().map(|e| (format, e)));
    }
    write_expected(&options.out, &all_expected)?;
    Ok(summary)
}

fn write_expected(out: &Path, expected: &[(Format, ExpectedFinding)]) -> Result<(), String> {
    let mut sorted: Vec<&(Format, ExpectedFinding)> = expected.iter().collect();
    sorted.sort_by(|a, b| (a.0.dir_name(), &a.1).cmp(&(b.0.dir_name(), &b.1)));
    let list: Vec<serde_json::Value> = sorted
        .iter()
        .map(|(format, e)| {
            serde_json::json!({
                "format": format.dir_name(),
                "rule": e.rule,
                "resource": e.resource,
                "file": e.file,
            })
        })
        .collect();
    let path = out.join("expected.json");
    let mut text = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| io(&path, e))
}

/// Accumulates a format's output files.
pub struct Writer<'a> {
    root: &'a Path,
    pub files: usize,
    pub bytes: usize,
}

impl<'a> Writer<'a> {
    pub fn new(root: &'a Path) -> Self {
        Writer {
            root,
            files: 0,
            bytes: 0,
        }
    }
    /// Writes `text` at `rel` (a `/`-separated path under the root).
    pub fn write(&mut self, rel: &str, text: &str) -> Result<(), String> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
        self.files += 1;
        self.bytes += text.len();
        Ok(())
    }
}

pub fn io(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}
