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

/// A compact, reviewable rendering of graphs: per stack, each node as one line of JSON with
/// its origin reduced to its address (plus existence and suppressions when set) and spans
/// dropped. Links show `{"node": index}` into the arena named by the line's prefix kind.
fn compact(sources: &SourceMap, loaded: &Loaded) -> String {
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
        let path = e
            .path
            .display()
            .to_string()
            .replace("../../testdata/cloudformation/", "");
        writeln!(out, "error: {path}{at}: {}", e.message).unwrap();
    }
    for g in &loaded.graphs {
        let stack = g.stack.replace("../../testdata/cloudformation/", "");
        writeln!(out, "\nstack {stack} ({} resources)", g.resource_count).unwrap();
        let serde_json::Value::Object(arenas) = serde_json::to_value(g).unwrap() else {
            continue;
        };
        for (kind, nodes) in arenas {
            let serde_json::Value::Array(nodes) = nodes else {
                continue;
            };
            for (i, mut node) in nodes.into_iter().enumerate() {
                strip(&mut node);
                writeln!(out, "  {kind}[{i}] {node}").unwrap();
            }
        }
    }
    out
}

fn strip(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(origin)) = map.shift_remove("origin") {
                let mut short = serde_json::Map::new();
                for key in ["address", "existence", "suppressed_rules"] {
                    match origin.get(key) {
                        Some(serde_json::Value::String(s)) if s == "certain" => {}
                        Some(v) => {
                            short.insert(key.to_owned(), v.clone());
                        }
                        None => {}
                    }
                }
                map.insert("at".to_owned(), serde_json::Value::Object(short));
                map.sort_keys();
            }
            map.retain(|k, _| k != "span" && !k.ends_with("_span") && k != "attributes");
            map.values_mut().for_each(strip);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

fn load_compact(paths: &[PathBuf], options: &CloudFormationOptions) -> String {
    let mut sources = SourceMap::new();
    let loaded = load(&mut sources, paths, options);
    compact(&sources, &loaded)
}

fn fixtures(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(|n| fixture(n)).collect()
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

#[test]
fn all_resource_types_and_attributes() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&["all_resources.yaml"]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn conditions_on_resources_and_properties() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&["conditions.yaml"]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn get_att_base64_and_pseudo_parameters() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&["getatt_pseudo.yaml"]),
        &CloudFormationOptions::default()
    ));
    let with_region = CloudFormationOptions {
        region: Some("cn-north-1".into()),
        ..Default::default()
    };
    insta::assert_snapshot!(
        "get_att_base64_and_pseudo_parameters_with_region",
        load_compact(&fixtures(&["getatt_pseudo.yaml"]), &with_region)
    );
}

#[test]
fn sam_template_lints_ec2_and_s3_resources() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&["sam.yaml"]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn cdk_output_and_nested_stack_assets_are_plain_templates() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&[
            "cdk.out/NetworkStack.template.json",
            "cdk.out/NetworkStackEndpointsF00D.nested.template.json",
        ]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn imports_link_templates_into_one_graph() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&[
            "cross_stack/app.yaml",
            "cross_stack/network.yaml",
            "cross_stack/standalone.yaml",
        ]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn an_export_name_two_templates_use_is_not_resolved() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&[
            "ambiguous_export/a.yaml",
            "ambiguous_export/b.yaml",
            "ambiguous_export/importer.yaml",
        ]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn metadata_suppressions_yaml_and_json() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&["metadata.yaml", "metadata.json"]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn allowed_values_fill_in_and_check_parameters() {
    insta::assert_snapshot!(load_compact(
        &fixtures(&["allowed_values.yaml"]),
        &CloudFormationOptions::default()
    ));
    let wrong = CloudFormationOptions {
        parameters: vec![
            ("Environment".into(), "staging".into()),
            ("AzCount".into(), "2.0".into()),
            ("Zones".into(), "a,d".into()),
        ],
        ..Default::default()
    };
    insta::assert_snapshot!(
        "allowed_values_reject_a_given_value",
        load_compact(&fixtures(&["allowed_values.yaml"]), &wrong)
    );
}

#[test]
fn parameter_files_in_every_shape() {
    let dir = "parameter_files";
    let options = |files: &[&str], pairs: &[(&str, &str)]| CloudFormationOptions {
        parameter_files: files
            .iter()
            .map(|f| fixture(&format!("{dir}/{f}")))
            .collect(),
        parameters: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        region: None,
        ..Default::default()
    };
    let summary = |options: &CloudFormationOptions| {
        let mut sources = SourceMap::new();
        let loaded = load(&mut sources, &[fixture("unknown_parameter.yaml")], options);
        let g = &loaded.graphs[0];
        let vpc = g.vpcs.values().next().unwrap();
        let peering = g.peerings.values().next().unwrap();
        let errors: Vec<String> = loaded
            .errors
            .iter()
            .map(|e| {
                let at = e.span.map(|s| sources.start(s));
                format!(
                    "{}:{:?}: {}",
                    e.path.file_name().unwrap().to_string_lossy(),
                    at.map(|a| (a.line, a.column)),
                    e.message
                )
            })
            .collect();
        format!(
            "cidr={:?} peer={:?} errors={errors:#?}",
            vpc.ipv4_cidrs[0].known().map(|c| c.to_string()),
            peering.accepter_vpc
        )
    };
    let cases = [
        ("list", options(&["cli_list.json"], &[])),
        ("codepipeline", options(&["codepipeline.json"], &[])),
        ("plain map", options(&["plain_map.json"], &[])),
        (
            "later files and --parameter win",
            options(
                &["cli_list.json", "codepipeline.json", "plain_map.json"],
                &[("VpcCidr", "10.60.0.0/16")],
            ),
        ),
        (
            "broken",
            options(&["broken.json", "wrong_shape.json", "missing.json"], &[]),
        ),
    ];
    let out: Vec<String> = cases
        .iter()
        .map(|(name, o)| format!("{name}: {}", summary(o)))
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn region_marker_keeps_the_service_in_the_stacks_region() {
    let mut sources = SourceMap::new();
    let loaded = load(
        &mut sources,
        &[fixture("all_resources.yaml")],
        &CloudFormationOptions::default(),
    );
    let g = &loaded.graphs[0];
    let s3 = g
        .endpoints
        .values()
        .find(|e| e.origin.address == "S3Endpoint")
        .unwrap();
    assert_eq!(
        s3.service_name.known().map(String::as_str),
        Some("com.amazonaws.${AWS::Region}.s3")
    );
    assert_eq!(
        s3.region.known().map(String::as_str),
        Some(vpclint_graph::STACK_REGION)
    );
    assert_eq!(
        vpclint_graph::same_region(vpclint_graph::STACK_REGION, "us-east-1"),
        None
    );
}

#[test]
fn hostile_yaml_is_an_error_or_a_correct_parse_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let head =
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n";
    let huge = "x".repeat(20 * 1024 * 1024);
    let cases: Vec<(&str, String)> = vec![
        (
            "tab_indent.yaml",
            format!("{head}    Properties:\n\t  CidrBlock: 10.0.0.0/16\n"),
        ),
        (
            "tab_in_value.yaml",
            format!("{head}    Properties:\n      CidrBlock:\t10.0.0.0/16\n"),
        ),
        (
            "huge_scalar.yaml",
            format!("{head}    Metadata:\n      Blob: {huge}\n"),
        ),
        (
            "huge_quoted.yaml",
            format!("{head}    Metadata:\n      Blob: \"{huge}\"\n"),
        ),
        (
            "unknown_local_tag.yaml",
            format!("{head}    Properties:\n      CidrBlock: !Custom 10.0.0.0/16\n"),
        ),
        (
            "unknown_global_tag.yaml",
            format!("{head}    Properties:\n      CidrBlock: !!binary aGVsbG8=\n"),
        ),
        (
            "anchor_only.yaml",
            format!("{head}    Properties: &props\n      CidrBlock: 10.0.0.0/16\n"),
        ),
        (
            "merge_key.yaml",
            format!("{head}    Properties:\n      <<: {{CidrBlock: 10.0.0.0/16}}\n"),
        ),
        (
            "duplicate_resource.yaml",
            format!("{head}  Vpc:\n    Type: AWS::EC2::VPC\n"),
        ),
        (
            "bom.yaml",
            format!("\u{feff}{head}    Properties:\n      CidrBlock: 10.0.0.0/16\n"),
        ),
        ("deep_block_seq.yaml", {
            let mut t = format!("{head}    Metadata:\n      Deep:\n");
            for i in 0..10_000 {
                t.push_str(&" ".repeat(8 + i));
                t.push_str("-\n");
            }
            t
        }),
        (
            "deep_flow_map.yaml",
            format!("{head}    Metadata: {}", "{a: ".repeat(10_000)),
        ),
        (
            "deep_json.json",
            format!(
            "{{\"Resources\": {{\"Vpc\": {{\"Type\": \"AWS::EC2::VPC\", \"Metadata\": {}1{}}}}}}}",
            "{\"a\": ".repeat(10_000),
            "}".repeat(10_000)
        ),
        ),
    ];
    let paths: Vec<PathBuf> = cases
        .iter()
        .map(|(name, text)| write(&dir, name, text.as_bytes()))
        .collect();
    let started = Instant::now();
    let (loaded, sources) = errors_of(&paths);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let mut out = Vec::new();
    for e in &loaded.errors {
        let at = e.span.map(|s| sources.start(s));
        let message: String = e.message.chars().take(160).collect();
        out.push(format!(
            "error {}:{:?}: {message}",
            e.path.file_name().unwrap().to_string_lossy(),
            at.map(|a| (a.line, a.column))
        ));
    }
    for g in &loaded.graphs {
        let name = std::path::Path::new(&g.stack)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let cidrs: Vec<String> = g
            .vpcs
            .values()
            .flat_map(|v| v.ipv4_cidrs.iter().map(|c| format!("{:?}", c.known())))
            .collect();
        out.push(format!("graph {name}: vpc cidrs {cidrs:?}"));
    }
    out.sort();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn foreach_generates_subnets_routes_and_associations() {
    // Before `Fn::ForEach` was expanded, this template was an input error ("resource
    // `Fn::ForEach::Tables` has no `Type`") and its loops were invisible.
    let mut sources = SourceMap::new();
    let loaded = load(
        &mut sources,
        &[fixture("foreach.yaml")],
        &CloudFormationOptions::default(),
    );
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let g = &loaded.graphs[0];
    let subnets: Vec<(&str, String, Option<String>)> = g
        .subnets
        .values()
        .map(|s| {
            (
                s.origin.address.as_str(),
                sources.snippet(s.origin.span).to_owned(),
                s.ipv4_cidr
                    .as_ref()
                    .and_then(|c| c.cidr.known())
                    .map(ToString::to_string),
            )
        })
        .collect();
    assert_eq!(
        subnets,
        [
            (
                "PublicSubneta",
                "${Tier}Subnet${Az}".to_owned(),
                Some("10.0.0.0/24".to_owned())
            ),
            (
                "PublicSubnetb",
                "${Tier}Subnet${Az}".to_owned(),
                Some("10.0.1.0/24".to_owned())
            ),
            (
                "PrivateSubneta",
                "${Tier}Subnet${Az}".to_owned(),
                Some("10.0.8.0/24".to_owned())
            ),
        ]
    );
    // Attributes point into the fragment.
    let first = g.subnets.values().next().unwrap();
    let cidr = first.origin.attributes["CidrBlock"];
    assert_eq!(sources.start(cidr).line, 54);
    assert!(g.subnets.values().all(|s| s.origin.is_certain()));
    insta::assert_snapshot!(load_compact(
        &fixtures(&["foreach.yaml"]),
        &CloudFormationOptions::default()
    ));
}

#[test]
fn foreach_over_an_unknown_collection_may_generate_what_it_references() {
    let mut sources = SourceMap::new();
    let loaded = load(
        &mut sources,
        &[fixture("foreach_unknown.yaml")],
        &CloudFormationOptions::default(),
    );
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let g = &loaded.graphs[0];
    let why = g
        .may_not_exist
        .get("Subnet&{Zone}")
        .map(|u| u.reason.to_string());
    assert!(
        why.as_deref()
            .is_some_and(|w| w.contains("Fn::ForEach::Subnets")
                && w.contains("parameter Zones has no Default")),
        "{why:?}"
    );
    let subnet = g.subnets.values().next().unwrap();
    assert_eq!(subnet.origin.address, "Subnet&{Zone}");
    assert!(!subnet.origin.is_certain());
    insta::assert_snapshot!(load_compact(
        &fixtures(&["foreach_unknown.yaml"]),
        &CloudFormationOptions::default()
    ));
    // With the parameter given, the loop is known: `Subneteuwest1a` exists for certain and
    // the typo is undeclared as before.
    let given = CloudFormationOptions {
        parameters: vec![("Zones".into(), "eu-west-1a,eu-west-1b".into())],
        ..Default::default()
    };
    insta::assert_snapshot!(
        "foreach_over_a_given_collection",
        load_compact(&fixtures(&["foreach_unknown.yaml"]), &given)
    );
}
