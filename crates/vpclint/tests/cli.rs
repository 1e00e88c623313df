//! End-to-end tests of the `vpclint` binary, run from the workspace root so paths in the
//! output are the ones a user would see.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{json, Value};

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

fn vpclint() -> Command {
    let mut cmd = Command::cargo_bin("vpclint").expect("the vpclint binary is built");
    cmd.current_dir(workspace_root()).env_remove("NO_COLOR");
    cmd
}

/// Runs vpclint with `args` and returns (exit code, stdout parsed as JSON).
fn json_run(args: &[&str]) -> (i32, Value) {
    let output = vpclint()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("vpclint runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{stdout}"));
    (output.status.code().unwrap_or(-1), json)
}

/// Checks the JSON output has exactly the shape of the contract in DESIGN.md.
fn assert_contract(json: &Value) {
    let keys = |v: &Value| -> Vec<String> {
        let mut keys: Vec<String> = v
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(json),
        ["errors", "findings", "notes", "summary", "version"]
    );
    assert_eq!(json["version"], 1);
    assert_eq!(
        keys(&json["summary"]),
        ["errors", "files", "findings", "resources", "stacks"]
    );
    let findings = json["findings"].as_array().expect("findings is an array");
    let errors = json["errors"].as_array().expect("errors is an array");
    assert_eq!(json["summary"]["findings"], findings.len());
    assert_eq!(json["summary"]["errors"], errors.len());
    for finding in findings {
        assert_eq!(
            keys(finding),
            [
                "column",
                "end_column",
                "end_line",
                "file",
                "help",
                "line",
                "message",
                "name",
                "related",
                "resource",
                "rule",
                "severity",
                "stacks"
            ]
        );
        let stacks: Vec<&str> = finding["stacks"]
            .as_array()
            .expect("stacks is an array")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(!stacks.is_empty(), "a finding names its stacks");
        assert!(
            stacks.windows(2).all(|w| w[0] < w[1]),
            "stacks are sorted and unique: {stacks:?}"
        );
        assert!(finding["rule"]
            .as_str()
            .is_some_and(|r| r.starts_with("VPC")));
        assert!(["error", "warning", "info"].contains(&finding["severity"].as_str().unwrap_or("")));
        assert!(finding["line"].as_u64().is_some_and(|l| l >= 1));
        assert!(finding["column"].as_u64().is_some_and(|c| c >= 1));
        assert!(finding["help"].is_string() || finding["help"].is_null());
        for related in finding["related"].as_array().expect("related is an array") {
            assert_eq!(keys(related), ["column", "file", "line", "message"]);
        }
    }
    for error in errors {
        assert_eq!(keys(error), ["column", "file", "line", "message"]);
        assert!(error["file"].is_string() && error["message"].is_string());
    }
    for note in json["notes"].as_array().expect("notes is an array") {
        assert_eq!(keys(note), ["column", "file", "line", "message", "stack"]);
        assert!(note["stack"].is_string() && note["message"].is_string());
        assert!(note["file"].is_string() || note["file"].is_null());
        assert_eq!(note["line"].is_null(), note["column"].is_null());
    }
}

#[test]
fn a_clean_configuration_exits_0() {
    let (code, json) = json_run(&["testdata/e2e/clean"]);
    assert_contract(&json);
    assert_eq!(json["findings"], Value::Array(vec![]), "{json:#}");
    // Nothing was hidden, so nothing is noted.
    assert_eq!(json["notes"], Value::Array(vec![]), "{json:#}");
    assert_eq!(code, 0);
}

#[test]
fn human_output_ends_with_a_summary() {
    vpclint().arg("testdata/e2e/clean").assert().code(0).stdout(
        predicate::str::ends_with("(1 file)\n").or(predicate::str::ends_with("(0 files)\n")),
    );
}

#[test]
fn the_bundled_example_follows_the_json_contract() {
    let (code, json) = json_run(&["testdata/examples/peering"]);
    assert_contract(&json);
    assert_eq!(json["errors"], Value::Array(vec![]), "{json:#}");
    // Exit 1 exactly when there are findings (every peering rule is an error).
    let has_findings = !json["findings"].as_array().is_some_and(Vec::is_empty);
    assert_eq!(code, if has_findings { 1 } else { 0 }, "{json:#}");
    for finding in json["findings"].as_array().into_iter().flatten() {
        let file = finding["file"].as_str().unwrap_or("");
        assert!(
            file.starts_with("testdata/examples/peering/"),
            "paths are relative to the current directory as given: {file}"
        );
    }
}

#[test]
fn the_bundled_example_shows_each_peering_rule_in_both_formats() {
    let (code, json) = json_run(&["testdata/examples/peering"]);
    assert_eq!(code, 1);
    let found: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap_or_default().to_owned();
            (text("rule"), text("file"), text("resource"))
        })
        .collect();
    let expected = [
        (
            "VPC101",
            "peering.tf",
            "aws_vpc_peering_connection.app_legacy",
        ),
        ("VPC102", "routes.tf", "aws_route.app_to_analytics"),
        ("VPC103", "routes.tf", "aws_route.app_to_shared"),
        ("VPC102", "network.cfn.yaml", "BuildDefaultRoute"),
        ("VPC103", "network.cfn.yaml", "BuildToTooling"),
    ];
    for (rule, file, resource) in expected {
        assert!(
            found.iter().any(|(r, f, res)| r == rule
                && *f == format!("testdata/examples/peering/{file}")
                && res == resource),
            "expected {rule} on {resource} in {file}; found {found:#?}"
        );
    }
    assert_eq!(json["summary"]["stacks"], 2);
}

#[test]
fn fail_on_error_ignores_lower_severities_and_ignore_all_exits_0() {
    let (code, json) = json_run(&["testdata/examples/peering", "--ignore", "ALL"]);
    assert_contract(&json);
    assert_eq!(json["findings"], Value::Array(vec![]));
    assert_eq!(code, 0);
}

#[test]
fn a_broken_file_is_reported_and_the_others_are_still_linted() {
    let (code, json) = json_run(&["testdata/e2e/broken"]);
    assert_contract(&json);
    assert_eq!(code, 2, "{json:#}");
    let errors = json["errors"].as_array().expect("errors");
    assert!(
        errors
            .iter()
            .any(|e| e["file"] == "testdata/e2e/broken/bad/main.tf"),
        "the parse error names the broken file: {json:#}"
    );
    assert!(
        !errors.iter().any(|e| e["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("not-a-template.yaml"))),
        "non-templates are skipped silently: {json:#}"
    );
}

#[test]
fn a_nonexistent_path_exits_2_and_names_it() {
    let (code, json) = json_run(&["testdata/e2e/clean", "no/such/dir"]);
    assert_contract(&json);
    assert_eq!(code, 2);
    assert_eq!(json["errors"][0]["file"], "no/such/dir");
    assert_eq!(json["errors"][0]["line"], Value::Null);

    vpclint()
        .arg("no/such/dir")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "no/such/dir: no such file or directory",
        ));
}

#[test]
fn an_unknown_selector_exits_2_with_a_clear_message() {
    vpclint()
        .args(["--select", "VPC101,VPC999", "testdata/e2e/clean"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown rule selector `VPC999`"));
    vpclint()
        .args(["--ignore", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`no-such-rule`"));
}

#[test]
fn selectors_accept_ids_names_prefixes_and_lists() {
    for selector in [
        "VPC103",
        "peering-missing-return-route",
        "VPC1",
        "vpc101,vpc102",
        "ALL",
    ] {
        vpclint()
            .args(["--select", selector, "testdata/e2e/clean"])
            .assert()
            .code(0);
    }
    vpclint()
        .args([
            "--select",
            "VPC101",
            "--select",
            "VPC102",
            "testdata/e2e/clean",
        ])
        .assert()
        .code(0);
}

#[test]
fn bad_arguments_exit_2() {
    vpclint().args(["--format", "xml"]).assert().code(2);
    vpclint().args(["--fail-on", "never"]).assert().code(2);
    vpclint().args(["--var", "novalue"]).assert().code(2);
    vpclint().arg("--help").assert().code(0);
    vpclint().arg("--version").assert().code(0);
}

#[test]
fn rules_lists_the_catalog() {
    vpclint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ID "))
        .stdout(predicate::str::contains("VPC101  peering-cidr-overlap"))
        .stdout(predicate::str::contains(
            "VPC103  peering-missing-return-route",
        ));

    let output = vpclint()
        .args(["rules", "--format", "json"])
        .output()
        .expect("vpclint runs");
    assert_eq!(output.status.code(), Some(0));
    let rules: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rules = rules.as_array().expect("an array of rules");
    assert!(rules.iter().any(|r| r["id"] == "VPC102"
        && r["name"] == "peering-transitive-route"
        && r["severity"] == "error"));
}

#[test]
fn explain_accepts_an_id_or_a_name() {
    for rule in ["VPC103", "peering-missing-return-route", "vpc103"] {
        vpclint()
            .args(["explain", rule])
            .assert()
            .code(0)
            .stdout(predicate::str::starts_with(
                "VPC103: peering-missing-return-route\n",
            ))
            .stdout(predicate::str::contains("docs/rules/VPC103.md"));
    }
    vpclint()
        .args(["explain", "VPC999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `VPC999`"));
}

#[test]
fn graph_prints_json() {
    let output = vpclint()
        .args(["graph", "testdata/examples/peering", "--format", "json"])
        .output()
        .expect("vpclint runs");
    assert_eq!(output.status.code(), Some(0));
    let graph: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(graph["version"], 1);
    assert!(graph["stacks"].is_array());
    assert_eq!(graph["errors"], Value::Array(vec![]));
    for stack in graph["stacks"].as_array().into_iter().flatten() {
        assert!(stack["stack"].is_string() && stack["vpcs"].is_array());
        for vpc in stack["vpcs"].as_array().into_iter().flatten() {
            let span = &vpc["origin"]["span"];
            assert!(span["file"].is_string() && span["line"].is_u64(), "{span}");
        }
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = vpclint()
        .arg("testdata/examples/peering")
        .output()
        .expect("vpclint runs");
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'));
    let coloured = vpclint()
        .args(["--color", "always", "testdata/examples/peering"])
        .output()
        .expect("vpclint runs");
    let stdout = String::from_utf8_lossy(&coloured.stdout);
    let has_findings = stdout.contains('×');
    assert_eq!(stdout.contains('\u{1b}'), has_findings, "{stdout}");
}

#[test]
fn human_output_of_the_bundled_example() {
    // The peering rules the example is about, so rules added later do not churn this snapshot.
    let output = vpclint()
        .args([
            "testdata/examples/peering",
            "--select",
            "VPC101,VPC102,VPC103",
        ])
        .output()
        .expect("vpclint runs");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

/// A scratch directory (removed when dropped) to write inputs into.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        Scratch(tempfile::tempdir().expect("scratch directory"))
    }

    fn dir(&self) -> String {
        self.0.path().display().to_string()
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.path().join(name);
        std::fs::write(&path, text).expect("scratch file");
        path.display().to_string()
    }
}

/// Two peered VPCs; the second one's CIDR is the variable `ledger_cidr`.
const PEERED_BY_VARIABLE: &str = r#"
variable "ledger_cidr" {
  type = string
}

resource "aws_vpc" "payments" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "ledger" {
  cidr_block = var.ledger_cidr
}

resource "aws_vpc_peering_connection" "payments_ledger" {
  vpc_id      = aws_vpc.payments.id
  peer_vpc_id = aws_vpc.ledger.id
  auto_accept = true
}
"#;

#[test]
fn var_and_var_file_apply_in_command_line_order() {
    let scratch = Scratch::new();
    let dir = scratch.dir();
    scratch.write("main.tf", PEERED_BY_VARIABLE);
    let overlapping = scratch.write("overlap.tfvars", "ledger_cidr = \"10.20.0.0/16\"\n");
    let apart = "ledger_cidr=10.21.0.0/16";
    let overlap_findings = |args: &[&str]| -> usize {
        let (_, json) = json_run(&[&[dir.as_str(), "--select", "VPC101"], args].concat());
        json["findings"].as_array().map_or(usize::MAX, Vec::len)
    };
    // The later flag wins, whichever kind it is.
    assert_eq!(
        overlap_findings(&["--var", apart, "--var-file", &overlapping]),
        1
    );
    assert_eq!(
        overlap_findings(&["--var-file", &overlapping, "--var", apart]),
        0
    );
    assert_eq!(
        overlap_findings(&["--var", apart, "--var-file", &overlapping, "--var", apart]),
        0
    );

    // `vpclint graph` takes the same flags, in the same order.
    let graph_cidr = |args: &[&str]| -> String {
        let output = vpclint()
            .args([&["graph", dir.as_str()], args].concat())
            .output()
            .expect("vpclint runs");
        let json: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        json.pointer("/stacks/0/vpcs/1/ipv4_cidrs/0/cidr")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        graph_cidr(&["--var-file", &overlapping, "--var", apart]),
        "10.21.0.0/16"
    );
    assert_eq!(
        graph_cidr(&["--var", apart, "--var-file", &overlapping]),
        "10.20.0.0/16"
    );
}

#[test]
fn parameter_files_set_cloudformation_parameters() {
    let scratch = Scratch::new();
    let dir = scratch.dir();
    scratch.write(
        "stack.yaml",
        r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  LedgerCidr:
    Type: String
    Default: 10.21.0.0/16
Resources:
  Payments:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.20.0.0/16
  Ledger:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref LedgerCidr
  PaymentsLedger:
    Type: AWS::EC2::VPCPeeringConnection
    Properties:
      VpcId: !Ref Payments
      PeerVpcId: !Ref Ledger
"#,
    );
    let overlapping = scratch.write(
        "overlap.json",
        r#"[{"ParameterKey": "LedgerCidr", "ParameterValue": "10.20.0.0/16"}]"#,
    );
    let apart = scratch.write(
        "apart.json",
        r#"{"Parameters": {"LedgerCidr": "10.22.0.0/16"}}"#,
    );
    let overlap_findings = |args: &[&str]| -> usize {
        let (_, json) = json_run(&[&[dir.as_str(), "--select", "VPC101"], args].concat());
        json["findings"].as_array().map_or(usize::MAX, Vec::len)
    };
    assert_eq!(overlap_findings(&[]), 0);
    assert_eq!(overlap_findings(&["--parameter-file", &overlapping]), 1);
    // A later file wins; `--parameter` wins over files.
    assert_eq!(
        overlap_findings(&["--parameter-file", &overlapping, "--parameter-file", &apart]),
        0
    );
    assert_eq!(
        overlap_findings(&[
            "--parameter-file",
            &overlapping,
            "--parameter",
            "LedgerCidr=10.23.0.0/16"
        ]),
        0
    );
}

#[test]
fn one_broken_file_is_one_error() {
    // main.tf refers to what network.tf declares; network.tf does not parse. Terraform
    // reports only the syntax error, and so does vpclint: no "undeclared" reference, no
    // invalid count, and no finding that a declaration in the broken file could refute.
    let (code, json) = json_run(&["testdata/e2e/broken-module-file"]);
    assert_eq!(code, 2, "{json:#}");
    let errors = json["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "only the syntax error: {json:#}");
    assert_eq!(
        errors[0]["file"],
        "testdata/e2e/broken-module-file/network.tf"
    );
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("syntax error")),
        "{json:#}"
    );
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");

    // The graph says what it could not see.
    let output = vpclint()
        .args(["graph", "testdata/e2e/broken-module-file"])
        .output()
        .expect("vpclint runs");
    let graph: Value = serde_json::from_slice(&output.stdout).expect("graph JSON");
    let unseen = &graph["stacks"][0]["unreadable_files"];
    assert!(
        unseen.as_array().is_some_and(
            |u| u.len() == 1 && u[0].as_str().is_some_and(|s| s.contains("network.tf"))
        ),
        "{graph:#}"
    );
}

/// Human output (no colour) and its exit code.
fn human_run(args: &[&str]) -> (i32, String) {
    let output = vpclint().args(args).output().expect("vpclint runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn notes_say_what_a_terraform_stack_could_not_see() {
    // Resources gated on an output of a registry module that is not installed.
    let (code, human) = human_run(&["testdata/e2e/unseen/terraform"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(human);

    let (_, json) = json_run(&["testdata/e2e/unseen/terraform"]);
    assert_contract(&json);
    assert_eq!(
        json["notes"],
        json!([
            {
                "stack": "testdata/e2e/unseen/terraform",
                "message": "module.label (\"cloudposse/label/null\") is not installed (run `terraform init` so vpclint can read .terraform/modules/modules.json); its resources are not linted and its outputs are unknown",
                "file": "testdata/e2e/unseen/terraform/main.tf",
                "line": 5,
                "column": 3
            },
            {
                "stack": "testdata/e2e/unseen/terraform",
                "message": "3 of 6 resources may not exist and are not checked — count is not known: module.label.enabled (module not installed)",
                "file": "testdata/e2e/unseen/terraform/main.tf",
                "line": 27,
                "column": 3
            }
        ]),
        "{json:#}"
    );
}

#[test]
fn notes_say_what_a_cloudformation_stack_could_not_see() {
    // A resource under a condition on a parameter without a default.
    let (code, human) = human_run(&["testdata/e2e/unseen/cloudformation"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(human);

    let (_, json) = json_run(&["testdata/e2e/unseen/cloudformation"]);
    assert_contract(&json);
    assert_eq!(
        json["notes"],
        json!([{
            "stack": "testdata/e2e/unseen/cloudformation/network.cfn.yaml",
            "message": "1 of 3 resources may not exist and is not checked — condition WithBastion is not known: parameter BastionAccess has no Default and no --parameter value",
            "file": "testdata/e2e/unseen/cloudformation/network.cfn.yaml",
            "line": 11,
            "column": 25
        }]),
        "{json:#}"
    );
    // Given the parameter, the condition is known and nothing is hidden.
    let (_, json) = json_run(&[
        "testdata/e2e/unseen/cloudformation",
        "--parameter",
        "BastionAccess=open",
    ]);
    assert_eq!(json["notes"], json!([]), "{json:#}");
}

#[test]
fn notes_are_tool_notifications_in_sarif_and_follow_human_output_elsewhere() {
    let output = vpclint()
        .args(["testdata/e2e/unseen", "--format", "sarif"])
        .output()
        .expect("vpclint runs");
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(sarif.clone()).expect("deserializes as SARIF 2.1.0");
    assert_eq!(serde_json::to_value(&typed).ok(), Some(sarif.clone()));
    let notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let notes: Vec<(&str, &str)> = notifications
        .iter()
        .map(|n| {
            (
                n["level"].as_str().unwrap_or_default(),
                n["properties"]["stack"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("note", "testdata/e2e/unseen/terraform"),
            ("note", "testdata/e2e/unseen/terraform"),
            (
                "note",
                "testdata/e2e/unseen/cloudformation/network.cfn.yaml"
            ),
        ]
    );
    assert_eq!(
        notifications[2]["locations"][0]["physicalLocation"]["region"]["startLine"],
        11
    );

    // With `-o`, standard output is the human output, notes included; `--quiet` drops them.
    let scratch = Scratch::new();
    let out = format!("{}/report.json", scratch.dir());
    let (_, human) = human_run(&["testdata/e2e/unseen", "--format", "json", "-o", &out]);
    assert!(
        human.contains(
            "note: testdata/e2e/unseen/cloudformation/network.cfn.yaml: 1 of 3 resources"
        ),
        "{human}"
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
        .unwrap_or_default();
    assert_eq!(written["notes"].as_array().map(Vec::len), Some(3));
    let (_, quiet) = human_run(&["testdata/e2e/unseen", "--quiet"]);
    assert_eq!(quiet, "");
}

#[test]
fn a_finding_in_a_module_two_root_modules_call_names_both_stacks() {
    let (code, json) = json_run(&["testdata/e2e/shared_module", "--select", "VPC501"]);
    assert_eq!(code, 1);
    assert_contract(&json);
    let findings = json["findings"].as_array().cloned().unwrap_or_default();
    // One finding (the engine merges the two stacks' findings), naming both stacks.
    assert_eq!(findings.len(), 1, "{json:#}");
    assert_eq!(
        findings[0]["file"],
        "testdata/e2e/shared_module/modules/network/main.tf"
    );
    assert_eq!(
        findings[0]["stacks"],
        json!([
            "testdata/e2e/shared_module/prod",
            "testdata/e2e/shared_module/staging"
        ])
    );

    let (_, human) = human_run(&["testdata/e2e/shared_module", "--select", "VPC501"]);
    assert!(
        human.contains(
            "(in 2 stacks: testdata/e2e/shared_module/prod and testdata/e2e/shared_module/staging)"
        ),
        "{human}"
    );
    let output = vpclint()
        .args([
            "testdata/e2e/shared_module",
            "--select",
            "VPC501",
            "--format",
            "sarif",
        ])
        .output()
        .expect("vpclint runs");
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"]["stacks"],
        findings[0]["stacks"]
    );
}
