//! End-to-end tests of what vpclint offers pull requests and pre-commit: the SARIF, GitHub
//! and JUnit formats, `--output`, configuration files, inline and metadata suppressions,
//! `--warn-unused-ignores`, baselines and exit codes. Scenarios are written into temporary
//! directories (each with a `.git` directory, so configuration discovery stops there).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// Two peered VPCs; `aws_route.web_to_db` has no route back (VPC103, on its destination,
/// line 35) and neither VPC has a flow log (VPC501, on the VPC headers, lines 1 and 5).
const PEERING_TF: &str = r#"resource "aws_vpc" "web" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc_peering_connection" "web_db" {
  vpc_id      = aws_vpc.web.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true
}

resource "aws_subnet" "web" {
  vpc_id     = aws_vpc.web.id
  cidr_block = "10.1.1.0/24"
}

resource "aws_subnet" "db" {
  vpc_id     = aws_vpc.db.id
  cidr_block = "10.2.1.0/24"
}

resource "aws_route_table" "web" {
  vpc_id = aws_vpc.web.id
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.db.id
}

resource "aws_route" "web_to_db" {
  route_table_id            = aws_route_table.web.id
  destination_cidr_block    = aws_vpc.db.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.web_db.id
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}
"#;

/// The same mistake in CloudFormation YAML: `AppToDb` has no route back (VPC103).
const PEERING_CFN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  DbVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
  Peering:
    Type: AWS::EC2::VPCPeeringConnection
    Properties:
      VpcId: !Ref AppVpc
      PeerVpcId: !Ref DbVpc
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref AppVpc
      CidrBlock: 10.0.1.0/24
  AppRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref AppVpc
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppRouteTable
  AppToDb:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppRouteTable
      DestinationCidrBlock: 10.1.0.0/16
      VpcPeeringConnectionId: !Ref Peering
  DbSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref DbVpc
      CidrBlock: 10.1.1.0/24
  DbRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref DbVpc
  DbAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref DbSubnet
      RouteTableId: !Ref DbRouteTable
"#;

/// A scratch repository: a temporary directory with a `.git` directory.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
        Repo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    fn vpclint(&self) -> Command {
        let mut cmd = Command::cargo_bin("vpclint").expect("the vpclint binary is built");
        cmd.current_dir(self.path()).env_remove("NO_COLOR");
        cmd
    }

    /// Runs with `--format json` and returns (exit code, JSON, stderr).
    fn json(&self, args: &[&str]) -> (i32, Value, String) {
        let output = self
            .vpclint()
            .args(args)
            .args(["--format", "json"])
            .output()
            .expect("vpclint runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json = serde_json::from_str(&stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{stdout}"));
        (
            output.status.code().unwrap_or(-1),
            json,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output = self.vpclint().args(args).output().expect("vpclint runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

/// `RULE@file:line` of every finding.
fn found(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .map(|f| {
                    format!(
                        "{}@{}:{}",
                        f["rule"].as_str().unwrap_or(""),
                        f["file"].as_str().unwrap_or(""),
                        f["line"]
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn peering_repo() -> Repo {
    let repo = Repo::new();
    repo.write("net/main.tf", PEERING_TF);
    repo.write("stacks/peering.yaml", PEERING_CFN);
    repo
}

// ---------------------------------------------------------------- formats

#[test]
fn sarif_output_validates() {
    let repo = peering_repo();
    let output = repo
        .vpclint()
        .args([".", "--select", "VPC103,VPC501", "--format", "sarif"])
        .output()
        .expect("vpclint runs");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    let value: Value = serde_json::from_str(&text).expect("SARIF is JSON");

    // Every key is a SARIF 2.1.0 key of the right type: the typed model reads the whole log
    // and writes it back unchanged (an unknown or misspelt key would be dropped).
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(value.clone()).expect("deserializes as SARIF 2.1.0");
    let round_trip = serde_json::to_value(&typed).expect("serializes");
    assert_eq!(round_trip, value, "SARIF round trip changed the log");

    assert_eq!(value["version"], "2.1.0");
    let run = &value["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() >= 30, "the driver lists every rule");
    for rule in rules {
        for key in [
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "helpUri",
        ] {
            assert!(!rule[key].is_null(), "rule lacks {key}: {rule}");
        }
        assert!(["error", "warning", "note"]
            .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap_or("")));
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 6, "{text}");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or("")));
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            !uri.starts_with('/') && repo.path().join(uri).is_file(),
            "{uri}"
        );
        assert!(location["region"]["startLine"]
            .as_u64()
            .is_some_and(|l| l >= 1));
        assert!(location["region"]["startColumn"]
            .as_u64()
            .is_some_and(|c| c >= 1));
        assert!(result["partialFingerprints"]["vpclint/v1"].is_string());
    }
    let vpc103 = results
        .iter()
        .find(|r| {
            r["ruleId"] == "VPC103"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "net/main.tf"
        })
        .expect("the Terraform VPC103");
    assert_eq!(
        vpc103["locations"][0]["physicalLocation"]["region"]["startLine"],
        35
    );
    assert_eq!(vpc103["level"], "error");
    assert!(vpc103["relatedLocations"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    assert_eq!(
        vpc103["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "aws_route.web_to_db"
    );
    assert!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("file:///") && u.ends_with('/')));
}

#[test]
fn github_annotations_point_at_the_right_lines() {
    let repo = peering_repo();
    let (code, stdout, _) = repo.run(&[".", "--select", "VPC103,VPC501", "--format", "github"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn junit_has_one_suite_per_file_and_one_case_per_finding() {
    let repo = peering_repo();
    let (code, stdout, _) = repo.run(&[".", "--select", "VPC103,VPC501", "--format", "junit"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vpclint\" tests=\"6\" failures=\"6\" errors=\"0\">"), "{stdout}");
    assert_eq!(stdout.matches("<testsuite ").count(), 2, "{stdout}");
    assert_eq!(stdout.matches("<testcase ").count(), 6);
    assert!(
        stdout.contains("<testsuite name=\"net/main.tf\" tests=\"3\" failures=\"3\" errors=\"0\">")
    );
    assert!(stdout.contains("classname=\"net/main.tf\" file=\"net/main.tf\" line=\"35\""));
    assert!(stdout.trim_end().ends_with("</testsuites>"));

    let (code, stdout, _) = repo.run(&["net", "--select", "VPC101", "--format", "junit"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
        "{stdout}"
    );
}

#[test]
fn output_writes_the_format_to_a_file_and_prints_the_human_summary() {
    let repo = peering_repo();
    let (code, stdout, _) = repo.run(&[
        ".",
        "--select",
        "VPC103",
        "--format",
        "sarif",
        "--output",
        "out/results.sarif",
    ]);
    // The directory does not exist: vpclint could not do its job.
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    std::fs::create_dir(repo.path().join("out")).expect("mkdir");
    let (code, stdout, _) = repo.run(&[
        ".",
        "--select",
        "VPC103",
        "--format",
        "sarif",
        "--output",
        "out/results.sarif",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.contains("× route sends"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("2 errors in 2 stacks (2 files)"),
        "{stdout}"
    );
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.path().join("out/results.sarif")).expect("written"),
    )
    .expect("SARIF");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn human_output_groups_by_file_and_quiet_drops_the_summary() {
    let repo = peering_repo();
    let (_, stdout, _) = repo.run(&[".", "--select", "VPC103,VPC501"]);
    assert!(
        stdout.contains("── net/main.tf (3 findings) ──"),
        "{stdout}"
    );
    assert!(
        stdout.contains("── stacks/peering.yaml (3 findings) ──"),
        "{stdout}"
    );
    // Not a terminal: no timing, so output is reproducible.
    assert!(
        stdout
            .trim_end()
            .ends_with("2 errors, 4 warnings in 2 stacks (2 files)"),
        "{stdout}"
    );
    let (code, quiet, _) = repo.run(&[".", "--select", "VPC103,VPC501", "--quiet"]);
    assert_eq!(code, 1);
    assert!(!quiet.contains("in 2 stacks"), "{quiet}");
    assert!(quiet.contains("peering-missing-return-route"));
}

// ---------------------------------------------------------------- configuration

#[test]
fn configuration_is_found_upward_and_stops_at_the_repository_root() {
    let repo = peering_repo();
    repo.write(
        "vpclint.toml",
        "select = [\"VPC103\"]\nfail-on = \"error\"\n[rules.VPC103]\nseverity = \"warning\"\n",
    );
    // From a subdirectory: the root's file applies (VPC103 only, as a warning, which is below
    // `fail-on = "error"`).
    let (code, json, _) = repo.json(&["net"]);
    assert_eq!(found(&json), ["VPC103@net/main.tf:35"]);
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(code, 0);
    // The command line wins over the file.
    let (code, _, _) = repo.json(&["net", "--fail-on", "warning"]);
    assert_eq!(code, 1);
    let (_, json, _) = repo.json(&["net", "--select", "VPC501"]);
    assert_eq!(
        found(&json),
        ["VPC501@net/main.tf:1", "VPC501@net/main.tf:5"]
    );

    // A nearer `.vpclint.toml` wins over the root's.
    repo.write(
        "net/.vpclint.toml",
        "select = [\"vpc-flow-logs-missing\"]\n",
    );
    let (_, json, _) = repo.json(&["net"]);
    assert_eq!(
        found(&json),
        ["VPC501@net/main.tf:1", "VPC501@net/main.tf:5"]
    );

    // A file above the repository root is not used.
    let inner = Repo::new();
    inner.write("main.tf", PEERING_TF);
    let outer_config = inner.path().parent().map(|p| p.join("vpclint.toml"));
    assert!(outer_config.is_some_and(|p| !p.exists()));
    let nested = peering_repo();
    nested.write("vpclint.toml", "ignore = [\"ALL\"]\n");
    nested.write("sub/.git/HEAD", "");
    nested.write("sub/main.tf", PEERING_TF);
    let (code, json, _) = nested.json(&["sub", "--select", "VPC103"]);
    assert_eq!(
        code, 1,
        "the parent repository's vpclint.toml must not apply"
    );
    assert_eq!(found(&json), ["VPC103@sub/main.tf:35"]);
}

#[test]
fn configuration_errors_name_the_key_and_line_and_exit_2() {
    let repo = peering_repo();
    repo.write(
        "vpclint.toml",
        "select = [\"VPC1\"]\n\n[terraform]\nvar-file = [\"x.tfvars\"]\n",
    );
    let (code, stdout, stderr) = repo.run(&["."]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("vpclint.toml:4:1: `terraform.var-file`: unknown field `var-file`"),
        "{stderr}"
    );

    repo.write("vpclint.toml", "fail-on = \"sometimes\"\n");
    let (code, _, stderr) = repo.run(&["."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("vpclint.toml:1:11: `fail-on`: unknown variant `sometimes`"),
        "{stderr}"
    );

    repo.write("custom.toml", "[rules.not-a-rule]\nseverity = \"error\"\n");
    let (code, _, stderr) = repo.run(&[".", "--config", "custom.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("custom.toml:1:8: `rules.not-a-rule`: unknown rule"),
        "{stderr}"
    );

    let (code, _, stderr) = repo.run(&[".", "--config", "missing.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read configuration missing.toml"),
        "{stderr}"
    );
}

#[test]
fn configuration_excludes_and_supplies_variables_and_parameters() {
    let repo = peering_repo();
    repo.write("legacy/main.tf", PEERING_TF);
    repo.write("variables.tf", "variable \"db_cidr\" {}\n");
    repo.write(
        "vpclint.toml",
        "select = [\"VPC103\"]\nexclude = [\"legacy\", \"stacks/*.yaml\"]\n",
    );
    let (_, json, _) = repo.json(&["."]);
    assert_eq!(found(&json), ["VPC103@net/main.tf:35"]);

    // `vars` reach Terraform: an unknown CIDR keeps VPC103 silent, the configured one does not.
    let repo = Repo::new();
    repo.write(
        "main.tf",
        &PEERING_TF
            .replace("cidr_block = \"10.2.0.0/16\"", "cidr_block = var.db_cidr")
            .replace(
                "cidr_block = \"10.2.1.0/24\"",
                "cidr_block = cidrsubnet(var.db_cidr, 8, 1)",
            ),
    );
    repo.write(
        "variables.tf",
        "variable \"db_cidr\" {\n  type = string\n}\n",
    );
    let (_, json, _) = repo.json(&[".", "--select", "VPC103"]);
    assert_eq!(found(&json), Vec::<String>::new(), "unknown is silent");
    repo.write(
        "vpclint.toml",
        "[terraform]\nvars = { db_cidr = \"10.2.0.0/16\" }\n",
    );
    let (_, json, _) = repo.json(&[".", "--select", "VPC103"]);
    assert_eq!(found(&json), ["VPC103@main.tf:35"]);
}

// ---------------------------------------------------------------- suppressions

#[test]
fn hcl_comments_suppress_above_the_block_and_at_the_attribute() {
    let repo = Repo::new();
    let tf = PEERING_TF
        .replace(
            "resource \"aws_route\" \"web_to_db\" {",
            "# vpclint:ignore VPC103 -- the db side is managed by another team\nresource \"aws_route\" \"web_to_db\" {",
        )
        .replace(
            "resource \"aws_vpc\" \"web\" {",
            "// vpclint:ignore vpc-flow-logs-missing, VPC101\nresource \"aws_vpc\" \"web\" {",
        );
    repo.write("main.tf", &tf);
    let (code, json, _) = repo.json(&[".", "--select", "VPC103,VPC501"]);
    // Only VPC501 of aws_vpc.db (now on line 6) is left.
    assert_eq!(found(&json), ["VPC501@main.tf:6"]);
    assert_eq!(code, 1);

    // At the attribute: a trailing `//` comment, or a `#` line just above it.
    let tf = PEERING_TF.replace(
        "  destination_cidr_block    = aws_vpc.db.cidr_block\n",
        "  destination_cidr_block    = aws_vpc.db.cidr_block // vpclint:ignore peering-missing-return-route\n",
    );
    repo.write("main.tf", &tf);
    let (_, json, _) = repo.json(&[".", "--select", "VPC103"]);
    assert_eq!(found(&json), Vec::<String>::new());
    let tf = PEERING_TF.replace(
        "  destination_cidr_block    = aws_vpc.db.cidr_block\n",
        "  # vpclint:ignore VPC103\n  destination_cidr_block    = aws_vpc.db.cidr_block\n",
    );
    repo.write("main.tf", &tf);
    let (_, json, _) = repo.json(&[".", "--select", "VPC103"]);
    assert_eq!(found(&json), Vec::<String>::new());

    // Another rule's name, or a comment two lines away, suppresses nothing.
    let tf = PEERING_TF.replace(
        "  route_table_id            = aws_route_table.web.id\n  destination",
        "  # vpclint:ignore VPC103\n  route_table_id            = aws_route_table.web.id\n  destination",
    );
    repo.write("main.tf", &tf);
    let (_, json, _) = repo.json(&[".", "--select", "VPC103"]);
    assert_eq!(found(&json), ["VPC103@main.tf:36"]);
}

#[test]
fn ignore_file_applies_only_at_the_top() {
    let repo = Repo::new();
    repo.write(
        "main.tf",
        &format!("# Network of the web tier.\n\n# vpclint:ignore-file VPC501\n{PEERING_TF}"),
    );
    let (_, json, _) = repo.json(&[".", "--select", "VPC103,VPC501"]);
    assert_eq!(found(&json), ["VPC103@main.tf:38"]);

    repo.write(
        "main.tf",
        &format!("{PEERING_TF}# vpclint:ignore-file VPC501\n"),
    );
    let (code, json, stderr) =
        repo.json(&[".", "--select", "VPC103,VPC501", "--warn-unused-ignores"]);
    assert_eq!(found(&json).len(), 3);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("main.tf:48:23: `vpclint:ignore-file VPC501` has no effect"),
        "{stderr}"
    );
}

#[test]
fn yaml_comments_and_metadata_suppress_in_cloudformation() {
    let repo = Repo::new();
    repo.write(
        "comment.yaml",
        &PEERING_CFN.replace(
            "  AppToDb:\n",
            "  # vpclint:ignore VPC103 -- accepted\n  AppToDb:\n",
        ),
    );
    repo.write(
        "metadata.yaml",
        &PEERING_CFN.replace(
            "  AppToDb:\n    Type: AWS::EC2::Route\n",
            "  AppToDb:\n    Type: AWS::EC2::Route\n    Metadata:\n      vpclint:\n        ignore: [peering-missing-return-route]\n",
        ),
    );
    repo.write(
        "attribute.yaml",
        &PEERING_CFN.replace(
            "      DestinationCidrBlock: 10.1.0.0/16\n",
            "      DestinationCidrBlock: 10.1.0.0/16  # vpclint:ignore VPC103\n",
        ),
    );
    repo.write("metadata.json", &metadata_json());
    repo.write("plain.yaml", PEERING_CFN);
    let (code, json, _) = repo.json(&[".", "--select", "VPC103"]);
    assert_eq!(found(&json), ["VPC103@plain.yaml:34"]);
    assert_eq!(code, 1);
}

/// The CloudFormation scenario as JSON, with the route suppressed in its metadata.
fn metadata_json() -> String {
    let route_table = |vpc: &str| serde_json::json!({"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": vpc}}});
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "AppVpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "DbVpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.1.0.0/16"}},
            "Peering": {"Type": "AWS::EC2::VPCPeeringConnection", "Properties": {"VpcId": {"Ref": "AppVpc"}, "PeerVpcId": {"Ref": "DbVpc"}}},
            "AppSubnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "AppVpc"}, "CidrBlock": "10.0.1.0/24"}},
            "AppRouteTable": route_table("AppVpc"),
            "AppAssociation": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": {"Ref": "AppSubnet"}, "RouteTableId": {"Ref": "AppRouteTable"}}},
            "AppToDb": {
                "Type": "AWS::EC2::Route",
                "Metadata": {"vpclint": {"ignore": ["VPC103", "VPC102"]}},
                "Properties": {"RouteTableId": {"Ref": "AppRouteTable"}, "DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": {"Ref": "Peering"}}
            },
            "DbSubnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "DbVpc"}, "CidrBlock": "10.1.1.0/24"}},
            "DbRouteTable": route_table("DbVpc"),
            "DbAssociation": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": {"Ref": "DbSubnet"}, "RouteTableId": {"Ref": "DbRouteTable"}}}
        }
    });
    serde_json::to_string_pretty(&template).unwrap_or_default()
}

#[test]
fn unused_suppressions_are_warnings_with_locations() {
    let repo = Repo::new();
    // Used: VPC103 above the route. Unused: VPC501 above a subnet (it is reported on VPCs),
    // an unknown rule, and metadata naming VPC102 (the JSON template's route is not transitive).
    let tf = PEERING_TF
        .replace(
            "resource \"aws_route\" \"web_to_db\" {",
            "# vpclint:ignore VPC103\nresource \"aws_route\" \"web_to_db\" {",
        )
        .replace(
            "resource \"aws_subnet\" \"web\" {",
            "# vpclint:ignore VPC501, VPC999\nresource \"aws_subnet\" \"web\" {",
        );
    repo.write("net/main.tf", &tf);
    repo.write("metadata.json", &metadata_json());
    let args = [".", "--select", "VPC1,VPC501", "--ignore", "VPC105,VPC106"];

    // Without the flag: nothing about them, and the used suppressions work.
    let (_, stdout, _) = repo.run(&args);
    assert!(!stdout.contains("unused"), "{stdout}");

    let mut with_flag = args.to_vec();
    with_flag.push("--warn-unused-ignores");
    let (code, stdout, _) = repo.run(&[&with_flag[..], &["--format", "github"]].concat());
    assert_eq!(code, 1);
    let annotations: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("title=vpclint%3A unused suppression"))
        .collect();
    assert_eq!(annotations.len(), 3, "{stdout}");
    assert!(
        annotations[0].starts_with("::warning file=metadata.json,line="),
        "{stdout}"
    );
    assert!(annotations[0].contains("VPC102"), "{stdout}");
    assert!(
        annotations[1].starts_with("::warning file=net/main.tf,line=15,col=18,"),
        "{stdout}"
    );
    assert!(
        annotations[2].starts_with("::warning file=net/main.tf,line=15,col=26,")
            && annotations[2].contains("VPC999"),
        "{stdout}"
    );

    // Human output shows them and counts them; with `--fail-on error` they do not fail the run.
    let (code, stdout, _) = repo.run(&[&with_flag[..], &["--fail-on", "error"]].concat());
    assert!(
        stdout.contains("unused suppression: `vpclint:ignore VPC501` suppressed nothing"),
        "{stdout}"
    );
    assert!(stdout.contains("3 unused suppressions"), "{stdout}");
    assert_eq!(code, 0, "warnings stay below --fail-on error");

    // Exit codes: unused suppressions count as warnings. With only VPC1xx running, every
    // finding is suppressed; VPC501 did not run, so its suppression is not judged.
    let peering_only = [
        ".",
        "--select",
        "VPC1",
        "--ignore",
        "VPC105,VPC106",
        "--warn-unused-ignores",
    ];
    let (code, stdout, _) = repo.run(&peering_only);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("No findings in 2 stacks (2 files); 2 unused suppressions"),
        "{stdout}"
    );
    assert!(!stdout.contains("VPC501` suppressed nothing"), "{stdout}");
    let (code, _, _) = repo.run(&[&peering_only[..], &["--fail-on", "error"]].concat());
    assert_eq!(code, 0);
    let (code, _, _) = repo.run(&peering_only[..5]);
    assert_eq!(code, 0);
}

// ---------------------------------------------------------------- baseline

#[test]
fn baseline_survives_moved_lines_and_reports_new_findings() {
    let repo = peering_repo();
    let (code, stdout, stderr) = repo.run(&[
        ".",
        "--select",
        "VPC103,VPC501",
        "--write-baseline",
        "vpclint-baseline.json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("wrote 6 findings to the baseline vpclint-baseline.json"),
        "{stderr}"
    );
    let baseline: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.path().join("vpclint-baseline.json")).expect("written"),
    )
    .expect("JSON");
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"].as_array().map(Vec::len), Some(6));

    let (code, json, _) = repo.json(&[
        ".",
        "--select",
        "VPC103,VPC501",
        "--baseline",
        "vpclint-baseline.json",
    ]);
    assert_eq!((code, found(&json)), (0, Vec::new()));

    // Move every line down and reformat the anchored attribute's whitespace: still known.
    let moved = format!(
        "# A comment that moves every line.\n\nlocals {{\n  note = \"x\"\n}}\n\n{}",
        PEERING_TF.replace(
            "  destination_cidr_block    = aws_vpc.db.cidr_block",
            "  destination_cidr_block = aws_vpc.db.cidr_block",
        )
    );
    repo.write("net/main.tf", &moved);
    let (code, json, _) = repo.json(&[
        ".",
        "--select",
        "VPC103,VPC501",
        "--baseline",
        "vpclint-baseline.json",
    ]);
    assert_eq!((code, found(&json)), (0, Vec::new()));

    // A new finding is reported: another peering route without a way back.
    let added = format!(
        "{moved}\nresource \"aws_route\" \"web_to_db_again\" {{\n  route_table_id            = aws_route_table.web.id\n  destination_cidr_block    = \"10.2.1.0/24\"\n  vpc_peering_connection_id = aws_vpc_peering_connection.web_db.id\n}}\n"
    );
    repo.write("net/main.tf", &added);
    let (code, json, _) = repo.json(&[
        ".",
        "--select",
        "VPC103,VPC501",
        "--baseline",
        "vpclint-baseline.json",
    ]);
    assert_eq!(found(&json), ["VPC103@net/main.tf:57"]);
    assert_eq!(code, 1);

    // A broken baseline is an error.
    repo.write(
        "broken.json",
        "{\"version\": 1, \"findings\": [{\"rule\": 3}]}",
    );
    let (code, _, stderr) = repo.run(&[".", "--baseline", "broken.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("broken.json:1:"), "{stderr}");
}

// ---------------------------------------------------------------- pre-commit style file lists

#[test]
fn changed_files_lint_their_module_or_template() {
    let repo = Repo::new();
    // The mistake spans files: the route is in routes.tf, the VPCs in main.tf.
    let (vpcs, routes) = PEERING_TF
        .split_once("resource \"aws_route\" \"web_to_db\"")
        .expect("the route");
    repo.write("net/main.tf", vpcs);
    repo.write(
        "net/routes.tf",
        &format!("resource \"aws_route\" \"web_to_db\"{routes}"),
    );
    repo.write("net/terraform.tfvars", "");
    repo.write("stacks/peering.yaml", PEERING_CFN);
    repo.write(".pre-commit-config.yaml", "repos: []\n");
    for changed in [
        &["net/routes.tf"][..],
        &["net/main.tf", "net/routes.tf"],
        &["net/terraform.tfvars"],
    ] {
        let (code, json, _) = repo.json(&[&["--select", "VPC103"][..], changed].concat());
        assert_eq!(found(&json), ["VPC103@net/routes.tf:3"], "{changed:?}");
        assert_eq!(code, 1);
    }
    let (code, json, _) = repo.json(&[
        "--select",
        "VPC103",
        ".pre-commit-config.yaml",
        "stacks/peering.yaml",
    ]);
    assert_eq!(found(&json), ["VPC103@stacks/peering.yaml:34"]);
    assert_eq!(code, 1);
}
