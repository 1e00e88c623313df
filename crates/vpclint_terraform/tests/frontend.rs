//! Front-end snapshot tests: each `testdata/terraform/<case>/` directory is loaded and its
//! graphs, errors and notes are snapshotted.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use vpclint_graph::SourceMap;
use vpclint_terraform::{load, load_with_environment, TerraformOptions, VarInput};

/// The case directory, canonical: module directories are loaded by lexically normalized
/// paths, and the snapshots show every path relative to the case.
fn case_dir(case: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/terraform")
        .join(case);
    dir.canonicalize().unwrap_or(dir)
}

/// Loads a case and renders everything the front end produced, with paths relative to the case.
fn render(case: &str, options: &TerraformOptions) -> String {
    render_with(case, options, &[])
}

/// [`render`] with `TF_VAR_*` environment variables (the process environment is not read).
fn render_with(case: &str, options: &TerraformOptions, environment: &[(String, String)]) -> String {
    render_dirs(case, &[], options, environment)
}

/// Loads the given subdirectories of a case as the linted directories (the case directory
/// itself when there are none) and renders the result.
fn render_dirs(
    case: &str,
    subdirs: &[&str],
    options: &TerraformOptions,
    environment: &[(String, String)],
) -> String {
    let dir = case_dir(case);
    let linted: Vec<PathBuf> = if subdirs.is_empty() {
        vec![dir.clone()]
    } else {
        subdirs.iter().map(|s| dir.join(s)).collect()
    };
    let mut sources = SourceMap::new();
    let loaded = load_with_environment(&mut sources, &linted, options, environment);
    let prefix = format!("{}/", dir.display());
    let mut out = String::new();
    let _ = writeln!(out, "files: {}", loaded.files);
    for e in &loaded.errors {
        let path = e.path.display().to_string().replace(&prefix, "");
        let at = e.span.map(|s| {
            let lc = sources.start(s);
            format!(
                ":{}:{} [{}..{}] `{}`",
                lc.line,
                lc.column,
                s.start,
                s.end,
                sources.snippet(s)
            )
        });
        let _ = writeln!(
            out,
            "error: {path}{}: {}",
            at.unwrap_or_default(),
            e.message.replace(&prefix, "")
        );
    }
    for n in &loaded.notes {
        let path = n.path.display().to_string().replace(&prefix, "");
        let _ = writeln!(out, "note: {path}: {}", n.message);
    }
    for g in &loaded.graphs {
        let json = serde_json::to_string_pretty(g).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}",
            json.replace(&prefix, "")
                .replace(&dir.display().to_string(), "<case>")
        );
    }
    out
}

macro_rules! case {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render(stringify!($name), &TerraformOptions::default()));
        }
    };
}

case!(basic_vpc);
case!(for_each_peering);
case!(inline_and_standalone_routes);
case!(unknown_values);
case!(syntax_error);
case!(locals_cycle);
case!(count_huge);
case!(modules_nested);
case!(module_cycle);
case!(module_remote);
case!(module_maybe);
case!(providers_and_regions);
case!(policy_documents);
case!(templates_and_functions);
case!(implicit_main_route_table);
case!(peering_options);
case!(json_config);
case!(json_mixed);
case!(json_syntax_error);
case!(default_vpc);
case!(overrides);

#[test]
fn env_and_json_tfvars() {
    let environment = vec![
        ("from_env".to_string(), "env".to_string()),
        (
            "env_overridden_by_tfvars_json".to_string(),
            "env".to_string(),
        ),
        (
            "cidrs".to_string(),
            "[\"10.70.0.0/16\", \"10.71.0.0/16\"]".to_string(),
        ),
        ("undeclared".to_string(), "ignored".to_string()),
    ];
    insta::assert_snapshot!(render_with(
        "env_and_json_tfvars",
        &TerraformOptions::default(),
        &environment
    ));
}

#[test]
fn variables_and_tfvars() {
    let options = TerraformOptions {
        inputs: vec![
            VarInput::File(case_dir("variables_and_tfvars").join("extra.tfvars")),
            VarInput::Var("from_cli".into(), "cli".into()),
        ],
        ..TerraformOptions::default()
    };
    insta::assert_snapshot!(render("variables_and_tfvars", &options));
}

#[test]
fn module_cycle_unrooted() {
    insta::assert_snapshot!(render_dirs(
        "module_cycle_unrooted",
        &["a", "b"],
        &TerraformOptions::default(),
        &[]
    ));
}

#[test]
fn var_and_var_file_in_command_line_order() {
    let case = case_dir("variables_and_tfvars");
    let cli_then_file = TerraformOptions {
        inputs: vec![
            VarInput::Var("from_cli".into(), "cli".into()),
            VarInput::File(case.join("extra.tfvars")),
        ],
        ..TerraformOptions::default()
    };
    let file_then_cli = TerraformOptions {
        inputs: vec![
            VarInput::File(case.join("extra.tfvars")),
            VarInput::Var("from_cli".into(), "cli".into()),
        ],
        ..TerraformOptions::default()
    };
    let a = render("variables_and_tfvars", &cli_then_file);
    let b = render("variables_and_tfvars", &file_then_cli);
    assert_ne!(
        a, b,
        "extra.tfvars sets from_cli too, so the order must matter"
    );
}

#[test]
fn a_directory_called_as_a_module_is_not_a_root() {
    let dir = tempdir();
    let root = dir.join("root");
    let child = dir.join("modules/net");
    std::fs::create_dir_all(&root).ok();
    std::fs::create_dir_all(&child).ok();
    std::fs::write(
        root.join("main.tf"),
        "module \"net\" {\n  source = \"../modules/net\"\n}\n",
    )
    .ok();
    std::fs::write(
        child.join("main.tf"),
        "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    )
    .ok();
    let mut sources = SourceMap::new();
    let loaded = load(
        &mut sources,
        &[root.clone(), child],
        &TerraformOptions::default(),
    );
    assert_eq!(loaded.graphs.len(), 1);
    assert_eq!(loaded.graphs[0].stack, root.display().to_string());
    assert_eq!(loaded.files, 2);
    std::fs::remove_dir_all(&dir).ok();
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpclint-tf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok();
    dir
}
