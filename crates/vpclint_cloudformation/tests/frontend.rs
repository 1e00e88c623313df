//! Front-end snapshot tests: fixture templates under `testdata/cloudformation/` are loaded
//! and their graphs (or located errors) snapshotted.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use vpclint_cloudformation::{load, CloudFormationOptions};
use vpclint_graph::{Loaded, SourceMap};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from("../../testdata/cloudformation").join(name)
}

/// Loaded errors with line:column, then each graph as pretty JSON.
fn render(sources: &SourceMap, loaded: &Loaded) -> String {
    let mut out = format!("files: {}\n", loaded.files);
    for e in &loaded.errors {
        let at = e.span.map_or_else(String::new, |s| {
            let start = sources.start(s);
            format!(
                ":{}:{} [{:?}]",
                start.line,
                start.column,
                sources.snippet(s)
            )
        });
        writeln!(out, "error: {}{at}: {}", e.path.display(), e.message).unwrap();
    }
    for g in &loaded.graphs {
        writeln!(out, "{}", serde_json::to_string_pretty(g).unwrap()).unwrap();
    }
    out
}

fn load_fixture(name: &str, options: &CloudFormationOptions) -> String {
    let mut sources = SourceMap::new();
    let loaded = load(&mut sources, &[fixture(name)], options);
    render(&sources, &loaded)
}

fn snapshot(name: &str) -> String {
    load_fixture(name, &CloudFormationOptions::default())
}

#[test]
fn basic_vpc() {
    insta::assert_snapshot!(snapshot("basic_vpc.yaml"));
}

#[test]
fn basic_vpc_with_region() {
    let options = CloudFormationOptions {
        region: Some("us-east-1".into()),
        ..Default::default()
    };
    let mut sources = SourceMap::new();
    let loaded = load(&mut sources, &[fixture("basic_vpc.yaml")], &options);
    let g = &loaded.graphs[0];
    // The conditional endpoint is certain once the region is known, and the S3 service
    // name is known too.
    let names: Vec<String> = g
        .endpoints
        .values()
        .map(|e| {
            format!(
                "{} {:?} {:?}",
                e.origin.address, e.origin.existence, e.service_name
            )
        })
        .collect();
    insta::assert_snapshot!(names.join("\n"));
}

#[test]
fn peering_getatt_cidr() {
    insta::assert_snapshot!(snapshot("peering_getatt_cidr.yaml"));
}

#[test]
fn json_template() {
    insta::assert_snapshot!(snapshot("json_template.json"));
}

#[test]
fn not_a_template_is_skipped_silently() {
    let mut sources = SourceMap::new();
    let loaded = load(
        &mut sources,
        &[fixture("not_a_template.yaml")],
        &CloudFormationOptions::default(),
    );
    assert_eq!(loaded.files, 0);
    assert!(loaded.graphs.is_empty());
    assert!(loaded.errors.is_empty());
}

#[test]
fn syntax_error_is_located() {
    insta::assert_snapshot!(snapshot("syntax_error.yaml"));
}

#[test]
fn alias_bomb_is_rejected_quickly() {
    let started = Instant::now();
    let out = snapshot("alias_bomb.yaml");
    assert!(started.elapsed() < Duration::from_secs(2));
    insta::assert_snapshot!(out);
}

#[test]
fn duplicate_key_is_located() {
    insta::assert_snapshot!(snapshot("duplicate_key.yaml"));
}

#[test]
fn unknown_tag_is_located() {
    insta::assert_snapshot!(snapshot("unknown_tag.yaml"));
}

#[test]
fn unknown_parameter_stays_unknown() {
    insta::assert_snapshot!(snapshot("unknown_parameter.yaml"));
}

#[test]
fn parameter_from_the_command_line() {
    let options = CloudFormationOptions {
        parameters: vec![
            ("VpcCidr".into(), "10.50.0.0/16".into()),
            ("ExistingVpc".into(), "vpc-0abc".into()),
        ],
        ..Default::default()
    };
    let mut sources = SourceMap::new();
    let loaded = load(&mut sources, &[fixture("unknown_parameter.yaml")], &options);
    let g = &loaded.graphs[0];
    let vpc = g.vpcs.values().next().unwrap();
    assert_eq!(
        vpc.ipv4_cidrs[0].known().unwrap().to_string(),
        "10.50.0.0/16"
    );
    let peering = g.peerings.values().next().unwrap();
    assert_eq!(
        peering.accepter_vpc,
        vpclint_graph::Link::External("vpc-0abc".into())
    );
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn errors_of(paths: &[PathBuf]) -> (Loaded, SourceMap) {
    let mut sources = SourceMap::new();
    let loaded = load(&mut sources, paths, &CloudFormationOptions::default());
    (loaded, sources)
}

#[test]
fn deep_nesting_ends_in_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let header = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  Deep: ";
    let flow = format!("{header}{}\n", "[".repeat(10_000));
    let mut block = format!("{header}\n");
    for i in 0..10_000 {
        block.push_str(&" ".repeat(i + 4));
        block.push_str("a:\n");
    }
    let json = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Metadata\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let paths = [
        write(&dir, "flow.yaml", flow.as_bytes()),
        write(&dir, "block.yaml", block.as_bytes()),
        write(&dir, "deep.json", json.as_bytes()),
    ];
    let started = Instant::now();
    let (loaded, sources) = errors_of(&paths);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(loaded.errors.len(), 3, "{:?}", loaded.errors);
    for e in &loaded.errors {
        assert!(e.message.contains("nesting deeper than"), "{e:?}");
        let span = e.span.unwrap();
        assert!(sources.start(span).line >= 1);
    }
    assert!(loaded.graphs.is_empty());
}

#[test]
fn deeply_nested_intrinsics_evaluate_to_unknown_without_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 450;
    let expr = format!(
        "{}10.0.0.0/16{}",
        "!Select [0, [".repeat(depth),
        "]]".repeat(depth)
    );
    let template = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {expr}\n"
    );
    let nested_if = format!("{}a{}", "!If [Unknown, ".repeat(60), ", b]".repeat(60));
    let exponential = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  Unknown: !Equals [!Ref AWS::Region, x]\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {nested_if}\n"
    );
    let paths = [
        write(&dir, "nested.yaml", template.as_bytes()),
        write(&dir, "exponential.yaml", exponential.as_bytes()),
    ];
    let started = Instant::now();
    let (loaded, _) = errors_of(&paths);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let vpc = loaded.graphs[0].vpcs.values().next().unwrap();
    assert!(vpc.ipv4_cidrs[0].known().is_none());
    let bucket = loaded.graphs[1].buckets.values().next().unwrap();
    assert!(!bucket.name.is_known());
}

#[test]
fn invalid_utf8_template_is_a_located_error_and_other_bytes_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut template = b"AWSTemplateFormatVersion: '2010-09-09'\nDescription: caf".to_vec();
    template.extend_from_slice(&[0xff, 0xfe]);
    template.extend_from_slice(b"\nResources: {}\n");
    let paths = [
        write(&dir, "broken.yaml", &template),
        write(&dir, "binary.json", &[0xff, 0x00, 0x81]),
    ];
    let (loaded, sources) = errors_of(&paths);
    assert_eq!(loaded.errors.len(), 1);
    let e = &loaded.errors[0];
    assert!(e.message.contains("UTF-8"));
    let start = sources.start(e.span.unwrap());
    assert_eq!((start.line, start.column), (2, 17));
}

#[test]
fn broken_non_templates_are_skipped_and_bom_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let paths = [
        write(&dir, "package.json", b"{\"name\": \"x\", \"version\": "),
        write(&dir, "workflow.yml", b"on: [push\njobs: {"),
        write(
            &dir,
            "bom.template",
            "\u{feff}{\"Resources\": {\"Vpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}}}}"
                .as_bytes(),
        ),
        write(
            &dir,
            "bom.yaml",
            "\u{feff}Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n".as_bytes(),
        ),
    ];
    let (loaded, _) = errors_of(&paths);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.files, 2);
    assert_eq!(loaded.graphs.len(), 2);
    assert_eq!(loaded.graphs[0].stack, paths[2].display().to_string());
}

#[test]
fn missing_file_is_an_error() {
    let (loaded, _) = errors_of(&[PathBuf::from(
        "../../testdata/cloudformation/does-not-exist.yaml",
    )]);
    assert_eq!(loaded.errors.len(), 1);
    assert!(loaded.errors[0].message.starts_with("cannot read file"));
}

#[test]
fn many_templates_load_in_order() {
    let names = [
        "peering_getatt_cidr.yaml",
        "basic_vpc.yaml",
        "json_template.json",
    ];
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    let (loaded, sources) = errors_of(&paths);
    let stacks: Vec<&str> = loaded.graphs.iter().map(|g| g.stack.as_str()).collect();
    let expected: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(stacks, expected);
    assert_eq!(sources.len(), 3);
}

/// Rough throughput check: 1,000 VPC templates. Run with
/// `cargo test --release -p vpclint_cloudformation -- --ignored --nocapture`.
#[test]
#[ignore]
fn thousand_vpcs() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(fixture("basic_vpc.yaml")).unwrap();
    let paths: Vec<PathBuf> = (0..1000)
        .map(|i| write(&dir, &format!("vpc{i}.yaml"), base.as_bytes()))
        .collect();
    let started = Instant::now();
    let (loaded, _) = errors_of(&paths);
    let elapsed = started.elapsed();
    println!("1000 templates: {elapsed:?}");
    assert_eq!(loaded.graphs.len(), 1000);
    assert!(loaded.errors.is_empty());
}
