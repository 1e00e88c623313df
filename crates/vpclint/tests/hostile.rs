//! Hostile inputs (DESIGN.md, "Robustness"): each case is generated in a temporary
//! directory at test time, next to a good Terraform module with a known finding, and run
//! through the binary. Every case must end within a time bound, never panic, report a
//! located error (exit 2) or a correct result, and still lint the good module.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

/// Generous: debug builds on a loaded 2-core machine.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// The good module: VPC601 reports `aws_subnet.fail_typo`.
const GOOD_TF: &str = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_subnet" "fail_typo" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.11.2.0/24"
}
"#;

/// What a case must end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// At least one error on a file whose path contains the given text, with a line
    /// number (a located error), and exit 2.
    LocatedError(&'static str),
    /// At least one error on a file whose path contains the given text (a whole-file
    /// error such as an unreadable file has no line), and exit 2.
    FileError(&'static str),
    /// No error at all; the good module's finding makes the exit status 1.
    Clean,
}

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let case = Case { dir };
        case.write("good/main.tf", GOOD_TF);
        case
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(&path, text).expect("write input");
        path
    }

    /// Runs `vpclint <case dir> [extra paths] --format json` and checks the contract.
    fn run(&self, extra: &[&str], expect: Expect) -> Value {
        let started = Instant::now();
        let output = Command::cargo_bin("vpclint")
            .expect("the vpclint binary is built")
            .current_dir(self.dir.path())
            .arg(".")
            .args(extra)
            .args(["--format", "json", "--color", "never"])
            .timeout(TIME_LIMIT * 2)
            .output()
            .expect("vpclint runs");
        let elapsed = started.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "vpclint panicked:\n{stderr}");
        assert!(
            elapsed < TIME_LIMIT,
            "took {elapsed:?} (limit {TIME_LIMIT:?}); stderr:\n{stderr}"
        );
        let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); status {:?}\nstdout: {}\nstderr: {stderr}",
                output.status,
                stdout.chars().take(2000).collect::<String>()
            )
        });
        let errors = json["errors"].as_array().cloned().unwrap_or_default();
        let findings = json["findings"].as_array().cloned().unwrap_or_default();
        let show = || {
            let mut s = String::new();
            for e in &errors {
                let _ = writeln!(
                    s,
                    "  error {}:{}: {}",
                    e["file"],
                    e["line"],
                    e["message"]
                        .as_str()
                        .unwrap_or_default()
                        .chars()
                        .take(200)
                        .collect::<String>()
                );
            }
            s
        };
        // The good module is still linted.
        assert!(
            findings.iter().any(|f| f["rule"] == "VPC601"
                && f["resource"] == "aws_subnet.fail_typo"
                && f["file"].as_str().is_some_and(|p| p.contains("good"))),
            "the good module's finding is missing; errors:\n{}",
            show()
        );
        let code = output.status.code();
        match expect {
            Expect::LocatedError(file) | Expect::FileError(file) => {
                let located = matches!(expect, Expect::LocatedError(_));
                assert!(
                    errors
                        .iter()
                        .any(|e| e["file"].as_str().is_some_and(|p| p.contains(file))
                            && (!located || e["line"].as_u64().is_some())),
                    "expected a{} error on `{file}`; got:\n{}",
                    if located { " located" } else { "n" },
                    show()
                );
                assert_eq!(code, Some(2), "exit status");
            }
            Expect::Clean => {
                assert!(errors.is_empty(), "unexpected errors:\n{}", show());
                assert_eq!(code, Some(1), "exit status");
            }
        }
        json
    }
}

fn nested(depth: usize, open: &str, leaf: &str, close: &str) -> String {
    let mut s = String::with_capacity(depth * (open.len() + close.len()) + leaf.len());
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(leaf);
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

const DEPTH: usize = 10_000;

#[test]
fn hcl_deep_nesting() {
    let case = Case::new();
    case.write(
        "lists/main.tf",
        format!("locals {{\n  x = {}\n}}\n", nested(DEPTH, "[", "1", "]")),
    );
    case.write(
        "objects/main.tf",
        format!(
            "locals {{\n  x = {}\n}}\n",
            nested(DEPTH, "{a = ", "1", "}")
        ),
    );
    case.write(
        "blocks/main.tf",
        format!(
            "resource \"aws_vpc\" \"v\" {}\n",
            nested(DEPTH, "{\nb ", "{}", "}\n")
        ),
    );
    case.write(
        "parens/main.tf",
        format!("locals {{\n  x = {}\n}}\n", nested(DEPTH, "(", "1", ")")),
    );
    let json = case.run(&[], Expect::LocatedError("lists/main.tf"));
    for dir in ["objects", "blocks", "parens"] {
        assert!(
            json["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["file"].as_str().is_some_and(|p| p.contains(dir))),
            "no error for {dir}: {json}"
        );
    }
}

/// Unclosed operator chains inside parentheses make hcl-edit's backtracking exponential
/// (found by the `hcl_differential` fuzz target: 20 levels took seconds, each more doubles it).
/// The fast parser rejects the text at once; hcl-edit, asked for its message, is stopped at
/// its time limit, and the error points where the fast parser stopped.
#[test]
fn hcl_exponential_backtracking_is_bounded() {
    let case = Case::new();
    case.write(
        "chains/main.tf",
        // Measured with hcl-edit alone: 20 levels 0.6 s, 1.7x per level; 34 would take hours.
        format!("x = {}", "(a*b + ".repeat(34)),
    );
    let started = std::time::Instant::now();
    case.run(&[], Expect::LocatedError("chains/main.tf"));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn tf_json_deep_nesting() {
    let case = Case::new();
    case.write(
        "bad/main.tf.json",
        format!(
            "{{\"locals\": {{\"x\": {}}}}}",
            nested(DEPTH, "[", "1", "]")
        ),
    );
    case.run(&[], Expect::LocatedError("bad/main.tf.json"));
}

#[test]
fn yaml_deep_nesting() {
    let case = Case::new();
    let head = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  x: ";
    let resources = "\nResources: {}\n";
    // Block sequences: `- - - … x` nests one level per dash.
    case.write(
        "block_seq.yaml",
        format!("{head}\n  {}1{resources}", "- ".repeat(DEPTH)),
    );
    // Block mappings, one space deeper per level (3,000 levels: the indentation alone
    // grows quadratically).
    let mut mapping = String::from("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n");
    for level in 1..=3_000 {
        mapping.push_str(&" ".repeat(level));
        mapping.push_str("a:\n");
    }
    mapping.push_str("Resources: {}\n");
    case.write("block_map.yaml", mapping);
    case.write(
        "flow.yaml",
        format!("{head}{}{resources}", nested(DEPTH, "[", "1", "]")),
    );
    case.write(
        "flow_map.yaml",
        format!("{head}{}{resources}", nested(DEPTH, "{a: ", "1", "}")),
    );
    let json = case.run(&[], Expect::LocatedError("flow.yaml"));
    for file in ["block_seq.yaml", "block_map.yaml", "flow_map.yaml"] {
        assert!(
            json["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["file"].as_str().is_some_and(|p| p.ends_with(file))
                    && e["line"].as_u64().is_some()),
            "no located error for {file}: {}",
            json["errors"]
        );
    }
}

#[test]
fn json_deep_nesting() {
    let case = Case::new();
    case.write(
        "deep.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Metadata\": {}, \"Resources\": {{}}}}",
            nested(DEPTH, "[", "1", "]")
        ),
    );
    case.write(
        "deep_objects.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Metadata\": {}, \"Resources\": {{}}}}",
            nested(DEPTH, "{\"a\": ", "1", "}")
        ),
    );
    let json = case.run(&[], Expect::LocatedError("deep.json"));
    assert!(
        json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["file"]
                .as_str()
                .is_some_and(|p| p.contains("deep_objects.json"))),
        "{}",
        json["errors"]
    );
}

#[test]
fn yaml_alias_bomb() {
    let case = Case::new();
    let mut bomb = String::from("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..=15 {
        let prev = format!("*l{}", level - 1);
        let items = [prev.as_str(); 10].join(", ");
        let _ = writeln!(bomb, "  l{level}: &l{level} [{items}]");
    }
    bomb.push_str(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n      Tags: *l15\n",
    );
    case.write("bomb.yaml", bomb);
    case.run(&[], Expect::LocatedError("bomb.yaml"));
}

#[test]
fn fifty_megabyte_files() {
    let case = Case::new();
    const SIZE: usize = 50 * 1024 * 1024;
    // A template with a huge Metadata section of simple entries.
    let mut yaml = String::with_capacity(SIZE + 1024);
    yaml.push_str("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  Notes: |\n");
    let line = "    The quick brown fox jumps over the lazy dog; 10.0.0.0/16 is not a subnet.\n";
    while yaml.len() < SIZE {
        yaml.push_str(line);
    }
    yaml.push_str(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n  Sub:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/24}\n",
    );
    case.write("huge.yaml", yaml);
    let json = case.run(&[], Expect::Clean);
    // The template is linted, not skipped: its subnet is outside its VPC.
    assert!(
        json["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["rule"] == "VPC601"
                && f["file"].as_str().is_some_and(|p| p.ends_with("huge.yaml"))),
        "{}",
        json["summary"]
    );
}

#[test]
fn non_utf8_bytes() {
    let case = Case::new();
    case.write(
        "bad/main.tf",
        b"resource \"aws_vpc\" \"v\" {\n  cidr_block = \"\xff\xfe\"\n}\n",
    );
    case.write(
        "bad.yaml",
        b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: \"\xc3\x28\"}}\n",
    );
    let json = case.run(&[], Expect::FileError("bad/main.tf"));
    assert!(
        json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .any(
                |e| e["file"].as_str().is_some_and(|p| p.ends_with("bad.yaml"))
                    && e["line"].as_u64().is_some()
            ),
        "{}",
        json["errors"]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;
    let case = Case::new();
    case.write("bad/main.tf", "locals {}\n");
    // A directory that contains itself, and two files that point at each other.
    symlink(case.path("bad"), case.path("bad/again")).expect("symlink");
    symlink(case.path("bad/b.tf"), case.path("bad/a.tf")).expect("symlink");
    symlink(case.path("bad/a.tf"), case.path("bad/b.tf")).expect("symlink");
    symlink(case.path("loop.yaml"), case.path("loop.yaml")).expect("symlink");
    let json = case.run(&[], Expect::FileError("bad/again"));
    for file in ["bad/a.tf", "bad/b.tf", "loop.yaml"] {
        assert!(
            json["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["file"].as_str().is_some_and(|p| p.ends_with(file))),
            "no error for {file}: {}",
            json["errors"]
        );
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let case = Case::new();
    // A dangling symlink, and a directory with a file's name, named on the command line.
    symlink(case.path("nowhere.yaml"), case.path("gone.yaml")).expect("symlink");
    std::fs::create_dir_all(case.path("bad/broken.tf")).expect("dir");
    case.write("bad/main.tf", "locals {}\n");
    case.run(
        &["gone.yaml", "bad/broken.tf"],
        Expect::FileError("gone.yaml"),
    );

    // Permissions only stop a non-root user.
    let secret = case.write(
        "secret.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
    );
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&secret).is_ok() {
        eprintln!("running as root: chmod 000 does not make a file unreadable; skipped that part");
    } else {
        case.run(&[], Expect::FileError("secret.yaml"));
    }
}

#[test]
fn cyclic_locals() {
    let case = Case::new();
    case.write(
        "bad/main.tf",
        "locals {\n  a = local.b\n  b = local.c\n  c = [local.a]\n}\n\nresource \"aws_vpc\" \"v\" {\n  cidr_block = local.a\n}\n",
    );
    case.run(&[], Expect::LocatedError("bad/main.tf"));
}

#[test]
fn cyclic_module_calls() {
    let case = Case::new();
    case.write("bad/a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n");
    case.write("bad/b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n");
    case.write(
        "bad/self/main.tf",
        "module \"me\" {\n  source = \"./\"\n}\n",
    );
    case.run(&[], Expect::LocatedError("bad/"));
}

#[test]
fn huge_count() {
    let case = Case::new();
    case.write(
        "bad/main.tf",
        "resource \"aws_vpc\" \"v\" {\n  count      = 100000000\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    );
    case.run(&[], Expect::LocatedError("bad/main.tf"));
}

#[test]
fn ten_thousand_for_each_subnets() {
    let case = Case::new();
    // 10,000 subnets in one VPC (all /24s of 10.0.0.0/8 from the first 10,000): rules
    // comparing subnets must stay near-linear.
    case.write(
        "big/main.tf",
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/8"
}

resource "aws_subnet" "s" {
  for_each   = toset([for i in range(10000) : tostring(i)])
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/8", 16, tonumber(each.key))
}
"#,
    );
    let json = case.run(&[], Expect::Clean);
    assert!(
        json["summary"]["resources"].as_u64().unwrap_or(0) >= 10_000,
        "{}",
        json["summary"]
    );
}

#[test]
fn ten_thousand_routes_in_one_table() {
    let case = Case::new();
    let mut tf = String::from(
        "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n\nresource \"aws_internet_gateway\" \"gw\" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource \"aws_route_table\" \"rt\" {\n  vpc_id = aws_vpc.main.id\n",
    );
    for i in 0..10_000u32 {
        let _ = write!(
            tf,
            "  route {{\n    cidr_block = \"{}.{}.{}.0/24\"\n    gateway_id = aws_internet_gateway.gw.id\n  }}\n",
            20 + i / 65_536,
            (i / 256) % 256,
            i % 256
        );
    }
    tf.push_str("}\n");
    case.write("routes/main.tf", tf);
    // And a CloudFormation VPC with 10,000 subnets listed literally.
    let mut yaml = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/8}\n",
    );
    for i in 0..10_000u32 {
        let _ = writeln!(
            yaml,
            "  S{i}:\n    Type: AWS::EC2::Subnet\n    Properties: {{VpcId: !Ref Vpc, CidrBlock: 10.{}.{}.0/24}}",
            i / 256,
            i % 256
        );
    }
    case.write("subnets.yaml", yaml);
    let json = case.run(&[], Expect::Clean);
    assert!(
        json["summary"]["resources"].as_u64().unwrap_or(0) >= 10_000,
        "{}",
        json["summary"]
    );
}

// --- issue 13: CloudFormation budgets and near-linear rules ---

/// Findings of `rule` in the run's JSON output.
fn count_findings(json: &Value, rule: &str) -> usize {
    json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == rule)
        .count()
}

/// Whether a located note on a file ending with `file` says `text`.
fn has_note(json: &Value, file: &str, text: &str) -> bool {
    json["notes"].as_array().into_iter().flatten().any(|n| {
        n["file"].as_str().is_some_and(|p| p.ends_with(file))
            && n["line"].as_u64().is_some()
            && n["message"].as_str().is_some_and(|m| m.contains(text))
    })
}

/// A 5 MiB value joined, substituted or doubled thousands of times would take gigabytes:
/// evaluation refuses a value over its budget before building it, leaves it unknown and
/// says so in a located note; messages quote a few characters of it, not megabytes.
#[test]
fn cfn_large_values_joined_thousands_of_times() {
    let case = Case::new();
    let big = "x".repeat(5 * 1024 * 1024);
    let head = "AWSTemplateFormatVersion: '2010-09-09'\n";
    let vpc = "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n";
    let subnet = |cidr: &str| {
        format!("  Sub:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: {cidr}\n")
    };
    let param = format!("Parameters:\n  Big:\n    Type: String\n    Default: {big}\n");
    let refs = ["!Ref Big"; 2000].join(", ");
    case.write(
        "join_param.yaml",
        format!(
            "{head}{param}Resources:\n{vpc}{}",
            subnet(&format!("!Join ['', [{refs}]]"))
        ),
    );
    let atts = ["!GetAtt Big.CidrBlock"; 2000].join(", ");
    case.write(
        "join_getatt.yaml",
        format!(
            "{head}Resources:\n{vpc}  Big:\n    Type: AWS::EC2::Subnet\n    Properties: {{VpcId: !Ref Vpc, CidrBlock: {big}}}\n{}",
            subnet(&format!("!Join ['', [{atts}]]"))
        ),
    );
    case.write(
        "sub_param.yaml",
        format!(
            "{head}{param}Resources:\n{vpc}{}",
            subnet(&format!("!Sub '{}'", "${Big}".repeat(2000)))
        ),
    );
    // Each subnet's block is the previous one's twice: 2^40 KiB at the end.
    let mut doubling = format!(
        "{head}Resources:\n{vpc}  S0:\n    Type: AWS::EC2::Subnet\n    Properties: {{VpcId: !Ref Vpc, CidrBlock: {}}}\n",
        "y".repeat(1024)
    );
    for k in 1..=40 {
        let _ = writeln!(
            doubling,
            "  S{k}:\n    Type: AWS::EC2::Subnet\n    Properties: {{VpcId: !Ref Vpc, CidrBlock: !Join ['', [!GetAtt S{}.CidrBlock, !GetAtt S{}.CidrBlock]]}}",
            k - 1,
            k - 1
        );
    }
    case.write("join_doubling.yaml", doubling);
    let json = case.run(&[], Expect::Clean);
    for file in [
        "join_param.yaml",
        "join_getatt.yaml",
        "sub_param.yaml",
        "join_doubling.yaml",
    ] {
        assert!(
            has_note(&json, file, "larger than vpclint evaluates"),
            "no budget note for {file}: {}",
            json["notes"]
                .to_string()
                .chars()
                .take(2000)
                .collect::<String>()
        );
    }
    let longest = json["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["message"].as_str().map(str::len))
        .max()
        .unwrap_or(0);
    assert!(longest < 1000, "a note of {longest} bytes");
}

/// `Fn::ForEach` writing a 1 MiB item into 2,000 places: a located error, not 2 GiB.
#[test]
fn cfn_foreach_large_item_in_many_places() {
    let case = Case::new();
    let tags = ["          - {Key: k, Value: '${X}'}"; 2000].join("\n");
    case.write(
        "foreach_big.yaml",
        format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::LanguageExtensions\nParameters:\n  Big:\n    Type: CommaDelimitedList\n    Default: {}\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {{CidrBlock: 10.0.0.0/16}}\n  Fn::ForEach::Many:\n  - X\n  - !Ref Big\n  - Sub&{{X}}:\n      Type: AWS::EC2::Subnet\n      Properties:\n        VpcId: !Ref Vpc\n        CidrBlock: 10.1.0.0/24\n        Tags:\n{tags}\n",
            "z".repeat(1024 * 1024)
        ),
    );
    case.run(&[], Expect::LocatedError("foreach_big.yaml"));
}

const PEERINGS: usize = 20_000;

/// 20,000 routes over 20,000 peering connections between two VPCs, none accepted and none
/// routed back: one VPC103 and one VPC105 finding each (VPC103 took 28 s and VPC105 11 s
/// in a release build when every route scanned the whole table and every connection every
/// route).
#[test]
fn tf_twenty_thousand_routes_over_twenty_thousand_peerings() {
    let case = Case::new();
    case.write(
        "peerings/main.tf",
        format!(
            r#"
resource "aws_vpc" "a" {{
  cidr_block = "10.0.0.0/16"
}}
resource "aws_vpc" "b" {{
  cidr_block = "10.1.0.0/16"
}}
resource "aws_subnet" "a" {{
  vpc_id     = aws_vpc.a.id
  cidr_block = "10.0.1.0/24"
}}
resource "aws_subnet" "b" {{
  vpc_id     = aws_vpc.b.id
  cidr_block = "10.1.0.0/16"
}}
resource "aws_route_table" "a" {{
  vpc_id = aws_vpc.a.id
}}
resource "aws_route_table_association" "a" {{
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}}
resource "aws_vpc_peering_connection" "p" {{
  count       = {PEERINGS}
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
}}
resource "aws_route" "r" {{
  count                     = {PEERINGS}
  route_table_id            = aws_route_table.a.id
  destination_cidr_block    = cidrsubnet("10.1.0.0/16", 16, count.index)
  vpc_peering_connection_id = aws_vpc_peering_connection.p[count.index].id
}}
"#
        ),
    );
    let json = case.run(&[], Expect::Clean);
    assert_eq!(count_findings(&json, "VPC103"), PEERINGS);
    assert_eq!(count_findings(&json, "VPC105"), PEERINGS);
}

/// The same in CloudFormation (cross-account requests without `PeerRoleArn`).
#[test]
fn cfn_twenty_thousand_routes_over_twenty_thousand_peerings() {
    let case = Case::new();
    let mut yaml = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n  B: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}\n  SA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref A, CidrBlock: 10.0.1.0/24}}\n  SB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref B, CidrBlock: 10.1.0.0/16}}\n  RtA: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref A}}\n  AssocA: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref SA, RouteTableId: !Ref RtA}}\n",
    );
    for i in 0..PEERINGS {
        let _ = writeln!(
            yaml,
            "  P{i}: {{Type: AWS::EC2::VPCPeeringConnection, Properties: {{VpcId: !Ref A, PeerVpcId: !Ref B, PeerOwnerId: '111111111111'}}}}\n  R{i}: {{Type: AWS::EC2::Route, Properties: {{RouteTableId: !Ref RtA, DestinationCidrBlock: 10.1.{}.{}/32, VpcPeeringConnectionId: !Ref P{i}}}}}",
            i / 256,
            i % 256
        );
    }
    case.write("peerings.yaml", yaml);
    let json = case.run(&[], Expect::Clean);
    assert_eq!(count_findings(&json, "VPC103"), PEERINGS);
    assert_eq!(count_findings(&json, "VPC105"), PEERINGS);
}

const SAME_SUBNETS: usize = 30_000;

/// 30,000 subnets with one block: each but the first is reported once, beside the one
/// written before it (VPC602 looked for a free block over every subnet for each finding).
#[test]
fn tf_thirty_thousand_identical_subnets() {
    let case = Case::new();
    case.write(
        "same/main.tf",
        format!(
            "resource \"aws_vpc\" \"v\" {{\n  cidr_block = \"10.0.0.0/16\"\n}}\n\nresource \"aws_subnet\" \"s\" {{\n  count      = {SAME_SUBNETS}\n  vpc_id     = aws_vpc.v.id\n  cidr_block = \"10.0.0.0/24\"\n}}\n"
        ),
    );
    let json = case.run(&[], Expect::Clean);
    assert_eq!(count_findings(&json, "VPC602"), SAME_SUBNETS - 1);
}

#[test]
fn cfn_thirty_thousand_identical_subnets() {
    let case = Case::new();
    let mut yaml = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n",
    );
    for i in 0..SAME_SUBNETS {
        let _ = writeln!(
            yaml,
            "  S{i}: {{Type: AWS::EC2::Subnet, Properties: {{VpcId: !Ref V, CidrBlock: 10.0.0.0/24}}}}"
        );
    }
    case.write("same.yaml", yaml);
    let json = case.run(&[], Expect::Clean);
    assert_eq!(count_findings(&json, "VPC602"), SAME_SUBNETS - 1);
}

/// 10,000 routes over 10,000 peering connections, each to its own one of 10,000 subnets of
/// the peer VPC: VPC103 looked at every peer subnet for every route.
#[test]
fn tf_ten_thousand_routes_to_ten_thousand_peer_subnets() {
    const N: usize = 10_000;
    let case = Case::new();
    case.write(
        "peer_subnets/main.tf",
        format!(
            r#"
resource "aws_vpc" "a" {{
  cidr_block = "10.0.0.0/16"
}}
resource "aws_vpc" "b" {{
  cidr_block = "10.1.0.0/16"
}}
resource "aws_subnet" "a" {{
  vpc_id     = aws_vpc.a.id
  cidr_block = "10.0.1.0/24"
}}
resource "aws_subnet" "b" {{
  count      = {N}
  vpc_id     = aws_vpc.b.id
  cidr_block = cidrsubnet("10.1.0.0/16", 16, count.index)
}}
resource "aws_route_table" "a" {{
  vpc_id = aws_vpc.a.id
}}
resource "aws_route_table_association" "a" {{
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}}
resource "aws_vpc_peering_connection" "p" {{
  count       = {N}
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}}
resource "aws_route" "r" {{
  count                     = {N}
  route_table_id            = aws_route_table.a.id
  destination_cidr_block    = cidrsubnet("10.1.0.0/16", 16, count.index)
  vpc_peering_connection_id = aws_vpc_peering_connection.p[count.index].id
}}
"#
        ),
    );
    let json = case.run(&[], Expect::Clean);
    assert_eq!(count_findings(&json, "VPC103"), N);
}
