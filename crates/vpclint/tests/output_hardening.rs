//! Output hardening (issue 13): what the command line prints when names carry control
//! characters, when the output cannot be written, and when the reader goes away.
//! The hostile-input suite (`hostile.rs`) holds the attacks themselves; these pin the
//! exact behaviour.

use std::io::Read as _;
use std::path::Path;
use std::process::Stdio;

use assert_cmd::Command;

/// A template whose VPC logical ID carries ESC, BEL, a newline and a workflow command, and
/// a subnet outside it.
fn evil_tree(dir: &Path) {
    let name = "Vpc\u{1b}[31m\u{7}\n::error::pwned";
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            name: {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Sub": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": name}, "CidrBlock": "10.1.0.0/24"}},
        }
    });
    std::fs::write(dir.join("t\u{1b}\n::x.json"), template.to_string()).expect("write");
}

fn vpclint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("vpclint").expect("the vpclint binary is built");
    cmd.current_dir(dir).args(["--color", "never"]);
    cmd
}

/// GitHub annotations: the file name and message are escaped for the runner after their
/// control characters are made visible, so each annotation is one line of the log.
#[cfg(unix)]
#[test]
fn github_annotations_escape_names_before_the_runner_escapes() {
    let dir = tempfile::tempdir().expect("temp dir");
    evil_tree(dir.path());
    let output = vpclint(dir.path())
        .args([".", "--format", "github", "--select", "VPC601"])
        .output()
        .expect("vpclint runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let annotation = stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_default();
    assert!(
        annotation.starts_with(r"::error file=t\u{1b}\n%3A%3Ax.json,line=1,col=",),
        "{stdout}"
    );
    assert!(
        annotation.contains(r"its VPC Vpc\u{1b}[31m\u{7}\n::error::pwned (10.0.0.0/16)%0Ahelp: "),
        "{annotation}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::")).count(),
        1,
        "{stdout}"
    );
}

/// JSON keeps names exact (the JSON encoding escapes them), so tools see the real file.
#[cfg(unix)]
#[test]
fn json_keeps_names_exact() {
    let dir = tempfile::tempdir().expect("temp dir");
    evil_tree(dir.path());
    let output = vpclint(dir.path())
        .args([".", "--format", "json", "--select", "VPC601"])
        .output()
        .expect("vpclint runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    assert_eq!(json["findings"][0]["file"], "t\u{1b}\n::x.json", "{json}");
}

/// `vpclint | head -1`: the reader closes the pipe; vpclint stops quietly with the exit
/// status of the lint, as before.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Enough output (well over a pipe's 64 KiB buffer) that writing it meets the closed pipe.
    let mut resources = serde_json::Map::new();
    for i in 0..2_000 {
        resources.insert(
            format!("Vpc{i}"),
            serde_json::json!({"Type": "AWS::EC2::VPC",
                "Properties": {"CidrBlock": format!("10.{}.{}.0/24", i / 256, i % 256)}}),
        );
    }
    let template =
        serde_json::json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources});
    std::fs::write(dir.path().join("t.json"), template.to_string()).expect("write");
    for format in ["human", "json"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vpclint"))
            .current_dir(dir.path())
            .args([".", "--format", format, "--select", "VPC501"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vpclint starts");
        // Read a little, then close the pipe, as `head -1` does.
        if let Some(mut stdout) = child.stdout.take() {
            let mut first = [0u8; 16];
            let _ = stdout.read(&mut first);
        }
        let output = child.wait_with_output().expect("vpclint ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

/// Every command that prints reports a failed write: `rules`, `explain`, `graph`, and the
/// lint with `-o` (whose file is written, while stdout fails).
#[cfg(target_os = "linux")]
#[test]
fn every_command_reports_a_failed_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    evil_tree(dir.path());
    let runs: [&[&str]; 5] = [
        &["rules"],
        &["explain", "VPC101"],
        &["graph", "."],
        &[".", "-o", "out.sarif", "--format", "sarif"],
        &[".", "--quiet"],
    ];
    for args in runs {
        let full = std::fs::File::create("/dev/full").expect("/dev/full opens");
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("vpclint"))
            .current_dir(dir.path())
            .args(args)
            .stdout(full)
            .output()
            .expect("vpclint runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write the output: "),
            "{args:?}: {stderr}"
        );
    }
    // The file of `-o` was written before stdout failed.
    let sarif = std::fs::read_to_string(dir.path().join("out.sarif")).unwrap_or_default();
    assert!(sarif.contains("VPC601"), "{sarif}");
}

/// `-o` to a file that cannot be written: exit 2, naming the file, nothing else printed.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_output_file_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    evil_tree(dir.path());
    for target in ["/dev/full", "no/such/dir/out.json"] {
        let output = vpclint(dir.path())
            .args([".", "-o", target, "--format", "json"])
            .output()
            .expect("vpclint runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{target}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: cannot write {target}: ")),
            "{target}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{target}");
    }
}
