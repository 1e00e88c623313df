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

// --- issue 13: output hardening ---

/// Runs the binary on a case's directory with `args` (the human format unless they say
/// otherwise), bounded in time; returns the exit status, stdout and stderr. The good
/// module's finding must be in stdout when `canary` is set (human, GitHub and JUnit name
/// its resource).
fn run_raw(case: &Case, args: &[&str], canary: bool) -> (Option<i32>, String, String) {
    let started = Instant::now();
    let output = Command::cargo_bin("vpclint")
        .expect("the vpclint binary is built")
        .current_dir(case.path("."))
        .arg(".")
        .args(args)
        .args(["--color", "never"])
        .timeout(TIME_LIMIT * 2)
        .output()
        .expect("vpclint runs");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "vpclint panicked:\n{stderr}");
    assert!(
        elapsed < TIME_LIMIT,
        "took {elapsed:?} (limit {TIME_LIMIT:?}); stderr:\n{stderr}"
    );
    if canary {
        assert!(
            stdout.contains("aws_subnet.fail_typo"),
            "the good module's finding is missing:\n{}",
            stdout.chars().take(3000).collect::<String>()
        );
    }
    (output.status.code(), stdout, stderr)
}

/// No line of human output is longer than this many characters: long lines are cut.
const MAX_HUMAN_LINE: usize = 1_000;

fn assert_short_lines(text: &str) {
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        longest <= MAX_HUMAN_LINE,
        "a line of {longest} characters:\n{}",
        text.chars().take(3000).collect::<String>()
    );
}

/// A minified one-line template: `padding` bytes of metadata, then a subnet outside its VPC.
fn minified_template(padding: usize) -> String {
    format!(
        concat!(
            r#"{{"AWSTemplateFormatVersion":"2010-09-09","Metadata":{{"Pad":"{}"}},"#,
            r#""Resources":{{"Vpc":{{"Type":"AWS::EC2::VPC","Properties":{{"CidrBlock":"10.0.0.0/16"}}}},"#,
            r#""FarSubnet":{{"Type":"AWS::EC2::Subnet","Properties":{{"VpcId":{{"Ref":"Vpc"}},"CidrBlock":"10.1.0.0/24"}}}}}}}}"#
        ),
        "x".repeat(padding)
    )
}

/// A finding past column 65,536 made miette's code frame panic (a format width over
/// `u16::MAX`), losing every finding; the human output also printed the whole line.
#[test]
fn long_line_finding() {
    let case = Case::new();
    case.write("long/template.json", minified_template(100_000));
    let json = case.run(&[], Expect::Clean);
    let far = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["rule"] == "VPC601" && f["resource"] == "FarSubnet")
        .cloned()
        .unwrap_or_default();
    let column = far["column"].as_u64().unwrap_or(0);
    assert!(column > 100_000, "{far}");

    // Human output, alone and next to `-o` in another format.
    for extra in [
        &[][..],
        &["-o", "out.sarif"],
        &["-o", "out.json", "--format", "json"],
    ] {
        let (code, stdout, _) = run_raw(&case, extra, true);
        assert_eq!(code, Some(1), "{extra:?}");
        assert!(
            stdout.contains(&format!("long/template.json:1:{column}]")),
            "{extra:?}: the frame names the far column:\n{stdout}"
        );
        assert!(stdout.contains('…'), "the long line is cut:\n{stdout}");
        assert_short_lines(&stdout);
    }
    for file in ["out.sarif", "out.json"] {
        let text = std::fs::read_to_string(case.path(file)).unwrap_or_default();
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        assert!(text.contains("FarSubnet"), "{file}: {value}");
    }
}

/// The same for input errors: a syntax error far along a long line of JSON and of HCL.
#[test]
fn long_line_input_error() {
    let case = Case::new();
    let padding = "x".repeat(100_000);
    case.write(
        "bad/template.json",
        format!(r#"{{"AWSTemplateFormatVersion":"2010-09-09","Metadata":{{"Pad":"{padding}"}},"Resources":{{,}}}}"#),
    );
    case.write(
        "bad/main.tf",
        format!("locals {{\n  x = \"{padding}\" + }}\n"),
    );
    case.run(&[], Expect::LocatedError("bad/template.json"));
    for extra in [&[][..], &["-o", "out.sarif", "--format", "sarif"]] {
        let (code, stdout, _) = run_raw(&case, extra, true);
        assert_eq!(code, Some(2), "{extra:?}");
        for at in ["bad/template.json:1:", "bad/main.tf:2:"] {
            assert!(stdout.contains(at), "no frame at {at}:\n{stdout}");
        }
        assert_short_lines(&stdout);
    }
}

/// 5,000 findings on one line of a megabyte: human rendering recomputed line and column
/// by scanning the line for each finding (quadratic), and printed the line in each frame.
#[test]
fn five_thousand_findings_on_one_line() {
    let case = Case::new();
    let mut resources = String::new();
    for i in 0..5_000 {
        let _ = write!(
            resources,
            r#"{}"Vpc{i}":{{"Type":"AWS::EC2::VPC","Properties":{{"CidrBlock":"10.{}.{}.0/24","Tags":[{{"Key":"Name","Value":"{}"}}]}}}}"#,
            if i == 0 { "" } else { "," },
            i / 256,
            i % 256,
            "x".repeat(110)
        );
    }
    let template =
        format!(r#"{{"AWSTemplateFormatVersion":"2010-09-09","Resources":{{{resources}}}}}"#);
    assert!(template.len() > 1_000_000 && !template.contains('\n'));
    case.write("minified.json", template);
    case.run(&["--select", "VPC501,VPC601"], Expect::Clean);
    let (code, stdout, _) = run_raw(&case, &["--select", "VPC501,VPC601"], true);
    assert_eq!(code, Some(1));
    // One frame per VPC, each a few lines around its own place on the line.
    assert_eq!(stdout.matches("╭─[minified.json:1:").count(), 5_000);
    assert!(stdout.len() < 10_000_000, "{} bytes", stdout.len());
    assert_short_lines(&stdout);
}

/// Characters a file or resource name must never bring raw into any output.
fn assert_no_raw_controls(format: &str, stream: &str, text: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && (c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)))
        .collect();
    assert!(
        raw.is_empty(),
        "{format} {stream} holds raw {raw:?}:\n{}",
        text.chars().take(3000).collect::<String>()
    );
    assert!(
        !text.contains("##["),
        "{format} {stream} holds a legacy log command:\n{text}"
    );
}

/// File, directory and resource names with ESC, BEL, DEL, a C1 control, a bidi override,
/// carriage returns, newlines and `::error` commands were printed raw in human output
/// (where a GitHub Actions log runs `::error` lines) and ESC/BEL passed raw in
/// `--format github`. No format may print them raw, and no line but the GitHub format's own
/// annotations may start with `::`.
#[cfg(unix)]
#[test]
fn control_characters_in_names() {
    let case = Case::new();
    let evil = "e\u{1b}[31mvil\u{7}\r\n::error file=x.tf::pwned ##[error]legacy\u{202e}";
    case.write(
        &format!("{evil}/main.tf"),
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "outside" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.21.2.0/24"
  tags       = { Name = "\u001b]0;title\u0007\n::error::tag ##[warning]x" }
}

resource "aws_vpc" "odd" {
  cidr_block = "10.0.0.0/16\u001b[2J\u0007\n::error::cidr"
}
"#,
    );
    let cfn_name = "Vpc\u{1b}[31m\u{7}\u{7f}\u{9b}\r\n::error::cfn";
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            cfn_name: {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Sub\u{1b}\u{7}": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": cfn_name}, "CidrBlock": "10.1.0.0/24"}},
        }
    });
    case.write(&format!("{evil}.json"), template.to_string());
    case.write(
        &format!("broken\u{1b}\n::error::{}.yaml", "y"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\u{1b}\n",
    );
    // JSON keeps the names exact (escaped by the JSON encoding), and says where they are.
    let json = case.run(&[], Expect::LocatedError("broken"));
    assert!(
        json["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["resource"] == cfn_name),
        "{}",
        json["findings"]
    );

    for format in ["human", "json", "sarif", "github", "junit"] {
        let (code, stdout, stderr) = run_raw(
            &case,
            &["--format", format],
            format != "json" && format != "sarif",
        );
        assert_eq!(code, Some(2), "{format}");
        assert_no_raw_controls(format, "stdout", &stdout);
        assert_no_raw_controls(format, "stderr", &stderr);
        for line in stdout.lines().chain(stderr.lines()) {
            let command = line.trim_start().starts_with("::");
            let ours = ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|c| line.starts_with(c));
            assert!(
                !command || (format == "github" && ours),
                "{format}: a line runs as a workflow command:\n{line}"
            );
        }
        if format == "human" {
            // The names are there, escaped, on the lines they belong to.
            assert!(
                stdout.contains(r"e\u{1b}[31mvil\u{7}\r\n::error file=x.tf::pwned"),
                "{stdout}"
            );
            assert!(stdout.contains(r"Sub\u{1b}\u{7}"), "{stdout}");
        }
    }
}

/// A failed write of the output (a full disk) exited 1 without a word, as if the lint had
/// run and found something: the output was lost. It is trouble (exit 2), said on stderr;
/// for `-o FILE` naming the file.
#[cfg(target_os = "linux")]
#[test]
fn output_write_failures() {
    let case = Case::new();
    let full = || std::fs::File::create("/dev/full").expect("/dev/full opens");
    for format in ["human", "json", "github"] {
        // std's Command: assert_cmd's captures stdout, and this one must go to the device.
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("vpclint"))
            .current_dir(case.path("."))
            .args([".", "--format", format])
            .stdout(full())
            .output()
            .expect("vpclint runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{format}: {stderr}");
        assert!(
            stderr.contains("error: cannot write the output") && !stderr.contains("panicked"),
            "{format}: {stderr}"
        );
    }
    let (code, _, stderr) = run_raw(&case, &["-o", "/dev/full", "--format", "sarif"], false);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot write /dev/full"), "{stderr}");
}
