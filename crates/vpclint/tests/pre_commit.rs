//! The pre-commit hook, for real: installs `pre-commit` from PyPI into a throwaway virtualenv
//! and runs `pre-commit try-repo` against a temporary git repository, once with a change that
//! introduces a VPC103 (the hook must fail) and once with a clean change (it must pass).
//!
//! Ignored by default: it needs the network (PyPI) and builds vpclint in release mode
//! through pre-commit (`language: rust` runs `cargo install`), which takes minutes. Run it with
//!
//! ```sh
//! cargo test -p vpclint --test pre_commit -- --ignored --nocapture
//! ```
//!
//! `pre-commit try-repo` clones the hook repository at its HEAD commit, so the test does not
//! point it at this repository: it copies the working tree's workspace (manifests, `crates/`,
//! `.pre-commit-hooks.yaml`) into a scratch git repository and commits it there, so the
//! hook under test is the code on disk, committed or not. `CARGO_TARGET_DIR` is set to
//! `target/pre-commit` of this workspace so repeated runs reuse the build.
//! When `python3 -m venv` or `pip install pre-commit` fails, the test prints why and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FAILING_TF: &str = r#"resource "aws_vpc" "web" {
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

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}
"#;

/// The forward route alone: VPC103 (no route back from the db side).
const FORWARD_ROUTE: &str = r#"resource "aws_route" "web_to_db" {
  route_table_id            = aws_route_table.web.id
  destination_cidr_block    = aws_vpc.db.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.web_db.id
}
"#;

/// Both routes: clean.
const BOTH_ROUTES: &str = r#"resource "aws_route" "web_to_db" {
  route_table_id            = aws_route_table.web.id
  destination_cidr_block    = aws_vpc.db.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.web_db.id
}

resource "aws_route" "db_to_web" {
  route_table_id            = aws_route_table.db.id
  destination_cidr_block    = aws_vpc.web.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.web_db.id
}
"#;

fn run(cmd: &mut Command) -> Option<Output> {
    match cmd.output() {
        Ok(output) => Some(output),
        Err(err) => {
            println!("could not run {cmd:?}: {err}");
            None
        }
    }
}

fn show(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=vpclint test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("git {args:?}: {err}"));
    assert!(
        output.status.success(),
        "git {args:?} failed:\n{}",
        show(&output)
    );
    output
}

/// Copies a directory tree, skipping build output and VCS metadata.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(&name))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

/// A scratch git repository holding the working tree's workspace, committed.
fn hook_repository(workspace: &Path, into: &Path) -> std::io::Result<()> {
    for file in ["Cargo.toml", "Cargo.lock", ".pre-commit-hooks.yaml"] {
        std::fs::copy(workspace.join(file), into.join(file))?;
    }
    copy_tree(&workspace.join("crates"), &into.join("crates"))?;
    if workspace.join(".cargo").is_dir() {
        copy_tree(&workspace.join(".cargo"), &into.join(".cargo"))?;
    }
    git(into, &["init", "-q"]);
    git(into, &["add", "-A"]);
    git(into, &["commit", "-q", "-m", "vpclint under test"]);
    Ok(())
}

#[test]
#[ignore = "needs PyPI and builds vpclint through pre-commit (minutes); see the module docs"]
fn pre_commit_hook_blocks_a_vpc103_and_passes_a_clean_change() {
    let workspace: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let workspace = std::fs::canonicalize(&workspace).unwrap_or(workspace);
    let scratch = tempfile::tempdir().expect("a temporary directory");

    // pre-commit in its own virtualenv.
    let venv = scratch.path().join("venv");
    let Some(made) = run(Command::new("python3").args(["-m", "venv"]).arg(&venv)) else {
        println!("SKIPPED: python3 is not available to create a virtualenv for pre-commit");
        return;
    };
    if !made.status.success() {
        println!("SKIPPED: `python3 -m venv` failed:\n{}", show(&made));
        return;
    }
    let bin = venv.join("bin");
    let Some(installed) =
        run(Command::new(bin.join("pip")).args(["install", "--quiet", "pre-commit"]))
    else {
        println!("SKIPPED: pip is not available in the virtualenv");
        return;
    };
    if !installed.status.success() {
        println!(
            "SKIPPED: `pip install pre-commit` failed (no network?):\n{}",
            show(&installed)
        );
        return;
    }

    let hooks = scratch.path().join("hooks");
    std::fs::create_dir_all(&hooks).expect("mkdir");
    hook_repository(&workspace, &hooks).expect("copy the workspace");

    // The repository a developer commits to.
    let project = scratch.path().join("project");
    std::fs::create_dir_all(project.join("network")).expect("mkdir");
    git(&project, &["init", "-q"]);
    std::fs::write(project.join("network/main.tf"), FAILING_TF).expect("write");
    // Flow logs are another rule's business: the project runs the peering rules, as a team
    // adopting vpclint one family at a time would.
    std::fs::write(
        project.join("vpclint.toml"),
        "select = [\"VPC1\"]\nignore = [\"VPC106\"]\n",
    )
    .expect("write");
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "network"]);

    let try_repo = |files: &[&str]| -> Output {
        let mut cmd = Command::new(bin.join("pre-commit"));
        cmd.current_dir(&project)
            .env("PRE_COMMIT_HOME", scratch.path().join("pre-commit-home"))
            .env("CARGO_TARGET_DIR", workspace.join("target/pre-commit"))
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .args(["try-repo"])
            .arg(&hooks)
            .args(["vpclint", "--verbose", "--files"])
            .args(files);
        cmd.output().expect("pre-commit runs")
    };

    // A change that introduces VPC103: only routes.tf changed, but the hook lints its module.
    std::fs::write(project.join("network/routes.tf"), FORWARD_ROUTE).expect("write");
    git(&project, &["add", "-A"]);
    let blocked = try_repo(&["network/routes.tf"]);
    let text = show(&blocked);
    println!("failing change:\n{text}");
    assert_eq!(
        blocked.status.code(),
        Some(1),
        "the hook must block a VPC103:\n{text}"
    );
    assert!(text.contains("VPC103"), "{text}");

    // The fixed change passes.
    std::fs::write(project.join("network/routes.tf"), BOTH_ROUTES).expect("write");
    git(&project, &["add", "-A"]);
    let passed = try_repo(&["network/routes.tf"]);
    let text = show(&passed);
    println!("clean change:\n{text}");
    assert_eq!(
        passed.status.code(),
        Some(0),
        "the hook must let a clean change through:\n{text}"
    );
}
