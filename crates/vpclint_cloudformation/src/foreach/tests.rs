use std::fmt::Write as _;

use vpclint_graph::SourceMap;

use super::*;
use crate::syntax::{parse_json, parse_yaml};

const HEADER: &str = "Transform: AWS::LanguageExtensions\n";

struct Run {
    text: String,
    expanded: Expanded<'static>,
}

impl Run {
    fn tree(&self) -> &Tree<'static> {
        &self.expanded.tree
    }

    /// A section (or any path of keys from the root) as compact text.
    fn show(&self, path: &[&str]) -> String {
        let tree = self.tree();
        let mut node = tree.root();
        for key in path {
            node = tree.get(node, key).unwrap();
        }
        render(tree, node)
    }

    fn keys(&self, section: &str) -> Vec<String> {
        let tree = self.tree();
        let section = tree.get(tree.root(), section).unwrap();
        tree.entries(section)
            .iter()
            .map(|e| e.key.to_string())
            .collect()
    }

    /// The source text a generated entry's key span covers.
    fn key_text(&self, section: &str, key: &str) -> &str {
        let tree = self.tree();
        let section = tree.get(tree.root(), section).unwrap();
        let e = tree.entry(section, key).unwrap();
        &self.text[e.key_start as usize..e.key_end as usize]
    }

    fn errors(&self) -> Vec<(String, String)> {
        self.expanded
            .errors
            .iter()
            .map(|e| {
                let s = e.span.unwrap();
                (
                    self.text[s.start as usize..s.end as usize].to_owned(),
                    e.message.clone(),
                )
            })
            .collect()
    }

    fn notes(&self) -> Vec<String> {
        self.expanded
            .notes
            .iter()
            .map(|n| n.message.clone())
            .collect()
    }
}

fn run_with(text: &str, options: &CloudFormationOptions, json: bool) -> Run {
    let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
    let tree = if json {
        parse_json(text).unwrap()
    } else {
        parse_yaml(text).unwrap()
    };
    let mut sources = SourceMap::new();
    let file = sources.add("t.yaml", text);
    Run {
        text: text.to_owned(),
        expanded: expand(tree, Path::new("t.yaml"), file, options),
    }
}

fn run(body: &str) -> Run {
    run_with(
        &format!("{HEADER}{body}"),
        &CloudFormationOptions::default(),
        false,
    )
}

/// `{key: value, ...}`, `[item, ...]`, scalars as written, unknown values as `?`.
fn render(tree: &Tree<'_>, node: NodeId) -> String {
    let mut out = String::new();
    match &tree.node(node).kind {
        NodeKind::Scalar { text, .. } => out.push_str(text),
        NodeKind::Unknown(_) => out.push('?'),
        NodeKind::Seq(items) => {
            let items: Vec<String> = items.iter().map(|i| render(tree, *i)).collect();
            write!(out, "[{}]", items.join(", ")).unwrap();
        }
        NodeKind::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|e| format!("{}: {}", e.key, render(tree, e.value)))
                .collect();
            write!(out, "{{{}}}", entries.join(", ")).unwrap();
        }
    }
    out
}

#[test]
fn expands_keys_values_and_ampersand_items() {
    let r = run("Resources:
  Vpc: {Type: AWS::EC2::VPC}
  Fn::ForEach::Subnets:
    - Cidr
    - [10.0.1.0/24, 10.0.2.0/24]
    - Subnet&{Cidr}:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !Ref Vpc
          CidrBlock: !Ref Cidr
          Tags: [{Key: Name, Value: !Sub 'subnet-${Cidr}'}, {Key: Plain, Value: 'x-${Cidr}-&{Cidr}'}]
  After: {Type: AWS::EC2::InternetGateway}
");
    assert_eq!(r.errors(), []);
    assert_eq!(
        r.keys("Resources"),
        ["Vpc", "Subnet1001024", "Subnet1002024", "After"]
    );
    assert_eq!(
        r.show(&["Resources", "Subnet1002024"]),
        "{Type: AWS::EC2::Subnet, Properties: {VpcId: {Ref: Vpc}, CidrBlock: 10.0.2.0/24, \
         Tags: [{Key: Name, Value: {Fn::Sub: subnet-10.0.2.0/24}}, \
         {Key: Plain, Value: x-10.0.2.0/24-1002024}]}}"
    );
    // Generated keys keep the OutputKey's span, values the fragment's.
    assert_eq!(r.key_text("Resources", "Subnet1001024"), "Subnet&{Cidr}");
    let tree = r.tree();
    let subnet = tree.get(tree.root(), "Resources").unwrap();
    let cidr = tree
        .get(tree.get(subnet, "Subnet1001024").unwrap(), "Properties")
        .and_then(|p| tree.get(p, "CidrBlock"))
        .unwrap();
    let n = tree.node(cidr);
    assert_eq!(&r.text[n.start as usize..n.end as usize], "!Ref Cidr");
    assert!(r.tree().unseen().maybe.is_empty());
}

#[test]
fn a_template_without_loops_is_returned_as_it_is() {
    let text = "Resources:\n  Vpc: {Type: AWS::EC2::VPC}\n";
    let r = run_with(text, &CloudFormationOptions::default(), false);
    assert_eq!(r.tree().len(), parse_yaml(text).unwrap().len());
    assert_eq!(r.errors(), []);
}

#[test]
fn nested_loops_use_the_outer_item_in_the_inner_collection() {
    let r = run("Mappings:
  Tiers:
    Public: {Azs: [a, b]}
    Private: {Azs: [a, b, c]}
Resources:
  Fn::ForEach::Tiers:
    - Tier
    - [Public, Private]
    - Fn::ForEach::Azs:
        - Az
        - !FindInMap [Tiers, !Ref Tier, Azs]
        - ${Tier}Subnet${Az}:
            Type: AWS::EC2::Subnet
            Properties: {Name: !Sub '${Tier}-${Az}', Zone: !Ref Az}
");
    assert_eq!(r.errors(), []);
    assert_eq!(
        r.keys("Resources"),
        [
            "PublicSubneta",
            "PublicSubnetb",
            "PrivateSubneta",
            "PrivateSubnetb",
            "PrivateSubnetc"
        ]
    );
    assert_eq!(
        r.show(&["Resources", "PrivateSubnetc", "Properties"]),
        "{Name: {Fn::Sub: Private-c}, Zone: c}"
    );
}

#[test]
fn loops_in_properties_conditions_and_outputs() {
    let r = run("Conditions:
  Fn::ForEach::Envs:
    - Env
    - [Prod, Dev]
    - Is${Env}: !Equals [!Ref Stage, '${Env}']
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      Config:
        Fn::ForEach::Keys:
          - Key
          - [A, B]
          - Setting${Key}: value-${Key}
Outputs:
  Fn::ForEach::Out:
    - Name
    - [Bucket]
    - ${Name}Arn: {Value: !GetAtt [!Ref Name, Arn]}
");
    assert_eq!(r.errors(), []);
    assert_eq!(r.keys("Conditions"), ["IsProd", "IsDev"]);
    assert_eq!(
        r.show(&["Conditions", "IsDev"]),
        "{Fn::Equals: [{Ref: Stage}, Dev]}"
    );
    assert_eq!(
        r.show(&["Resources", "Bucket", "Properties", "Config"]),
        "{SettingA: value-A, SettingB: value-B}"
    );
    assert_eq!(
        r.show(&["Outputs"]),
        "{BucketArn: {Value: {Fn::GetAtt: [Bucket, Arn]}}}"
    );
}

#[test]
fn collections_from_parameters_and_functions() {
    let body = "Parameters:
  Azs: {Type: CommaDelimitedList, Default: 'a, b'}
Resources:
  Fn::ForEach::FromParameter:
    - Az
    - !Ref Azs
    - P${Az}: {Type: AWS::EC2::Subnet}
  Fn::ForEach::FromSplit:
    - Part
    - !Split [',', 'x,y']
    - S${Part}: {Type: AWS::EC2::Subnet}
";
    let r = run(body);
    assert_eq!(r.errors(), []);
    assert_eq!(r.keys("Resources"), ["Pa", "Pb", "Sx", "Sy"]);
    let options = CloudFormationOptions {
        parameters: vec![("Azs".into(), "c,d,e".into())],
        ..Default::default()
    };
    let r = run_with(&format!("{HEADER}{body}"), &options, false);
    assert_eq!(r.keys("Resources"), ["Pc", "Pd", "Pe", "Sx", "Sy"]);
}

#[test]
fn an_unknown_collection_generates_one_representative_that_may_not_exist() {
    let r = run("Parameters:
  Azs: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Subnets:
    - Az
    - !Ref Azs
    - Subnet${Az}:
        Type: AWS::EC2::Subnet
        Properties: {AvailabilityZone: !Ref Az, Name: !Sub 'net-${Az}', Fixed: 10.0.0.0/24}
      Route${Az}Table:
        Type: AWS::EC2::RouteTable
");
    assert_eq!(r.errors(), []);
    assert_eq!(r.keys("Resources"), ["Subnet${Az}", "Route${Az}Table"]);
    assert_eq!(
        r.show(&["Resources", "Subnet${Az}", "Properties"]),
        "{AvailabilityZone: ?, Name: {Fn::Sub: ?}, Fixed: 10.0.0.0/24}"
    );
    let unseen = r.tree().unseen();
    let why = unseen
        .why_may_not_exist("Subnet${Az}")
        .map(|w| w.to_string());
    assert!(
        why.as_deref()
            .is_some_and(|w| w.contains("Fn::ForEach::Subnets") && w.contains("parameter Azs")),
        "{why:?}"
    );
    assert!(unseen.why_may_not_exist("Route${Az}Table").is_some());
    assert_eq!(
        unseen.loop_that_may_generate("SubnetEuWest1a"),
        Some("Subnets")
    );
    assert_eq!(
        unseen.loop_that_may_generate("RouteATable"),
        Some("Subnets")
    );
    assert_eq!(unseen.loop_that_may_generate("Subnet-a"), None);
    assert_eq!(unseen.loop_that_may_generate("RouteTable2"), None);
    assert_eq!(unseen.loop_that_may_generate("Vpc"), None);
    // The graph's maybe-resources say why; no separate note for a loop of resources.
    assert_eq!(r.notes(), Vec::<String>::new());
}

#[test]
fn a_list_with_an_unknown_item_generates_the_known_ones_for_certain() {
    let r = run("Parameters:
  Extra: {Type: String}
Resources:
  Fn::ForEach::Subnets:
    - Name
    - [A, !Ref Extra, B]
    - Subnet${Name}: {Type: AWS::EC2::Subnet}
");
    assert_eq!(r.keys("Resources"), ["SubnetA", "Subnet${Name}", "SubnetB"]);
    let unseen = r.tree().unseen();
    assert!(unseen.why_may_not_exist("SubnetA").is_none());
    assert!(unseen.why_may_not_exist("Subnet${Name}").is_some());
    assert_eq!(unseen.loop_that_may_generate("SubnetC"), Some("Subnets"));
}

#[test]
fn unknown_outer_loop_makes_inner_loop_output_uncertain() {
    let r = run("Parameters:
  Tiers: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Tiers:
    - Tier
    - !Ref Tiers
    - Fn::ForEach::Azs:
        - Az
        - [a, b]
        - ${Tier}Subnet${Az}: {Type: AWS::EC2::Subnet}
");
    assert_eq!(r.errors(), []);
    assert_eq!(r.keys("Resources"), ["${Tier}Subneta", "${Tier}Subnetb"]);
    let unseen = r.tree().unseen();
    assert!(unseen.why_may_not_exist("${Tier}Subneta").is_some());
    assert_eq!(unseen.loop_that_may_generate("AppSubnetb"), Some("Tiers"));
    assert_eq!(unseen.loop_that_may_generate("AppSubnetc"), None);
}

#[test]
fn json_templates_expand_the_same() {
    let json = r#"{"Transform": "AWS::LanguageExtensions", "Resources": {
      "Fn::ForEach::Subnets": ["Name", ["A", "B"],
        {"Subnet${Name}": {"Type": "AWS::EC2::Subnet", "Properties": {"Tag": {"Ref": "Name"}}}}]}}"#;
    let r = run_with(json, &CloudFormationOptions::default(), true);
    assert_eq!(r.errors(), []);
    assert_eq!(r.keys("Resources"), ["SubnetA", "SubnetB"]);
    assert_eq!(r.show(&["Resources", "SubnetB", "Properties"]), "{Tag: B}");
    assert_eq!(r.key_text("Resources", "SubnetA"), "\"Subnet${Name}\"");
}

#[test]
fn malformed_loops_are_located_errors_and_the_rest_is_built() {
    let r = run("Resources:
  Kept: {Type: AWS::EC2::VPC}
  Fn::ForEach::TwoItems: [Name, [A]]
  Fn::ForEach::BadIdentifier:
    - [Name]
    - [A]
    - X${Name}: {Type: AWS::EC2::Subnet}
  Fn::ForEach::NotAList:
    - Name
    - just-a-string
    - Y${Name}: {Type: AWS::EC2::Subnet}
  Fn::ForEach::BadFragment: [Name, [A], not-a-map]
  Fn::ForEach::NoIdentifierInKey:
    - Name
    - [A, B]
    - Same: {Type: AWS::EC2::Subnet}
      Good${Name}: {Type: AWS::EC2::Subnet}
");
    assert_eq!(
        r.errors(),
        [
            (
                "Fn::ForEach::TwoItems".to_owned(),
                "`Fn::ForEach::TwoItems` takes a list of three items: an identifier, a \
                 collection, and a fragment `{OutputKey: OutputValue}`"
                    .to_owned()
            ),
            (
                "[Name]".to_owned(),
                "the identifier of `Fn::ForEach::BadIdentifier` must be a string".to_owned()
            ),
            (
                "just-a-string".to_owned(),
                "the collection of `Fn::ForEach::NotAList` must be a list (written out, a \
                 CommaDelimitedList parameter, Fn::Split, ...), not a string"
                    .to_owned()
            ),
            (
                "not-a-map".to_owned(),
                "the fragment of `Fn::ForEach::BadFragment` must be a mapping of OutputKey: \
                 OutputValue"
                    .to_owned()
            ),
            (
                "Same".to_owned(),
                "the OutputKey `Same` of `Fn::ForEach::NoIdentifierInKey` must contain \
                 `${Name}` or `&{Name}`, or every item generates the same key"
                    .to_owned()
            ),
        ]
    );
    assert_eq!(r.keys("Resources"), ["Kept", "GoodA", "GoodB"]);
}

#[test]
fn duplicate_and_colliding_logical_ids_are_errors() {
    let r = run("Resources:
  SubnetA: {Type: AWS::EC2::Subnet}
  Fn::ForEach::Subnets:
    - Name
    - [A, B, B, c.d]
    - Subnet${Name}: {Type: AWS::EC2::Subnet}
");
    let errors = r.errors();
    assert_eq!(
        errors,
        [
            (
                "Subnet${Name}".to_owned(),
                "`Fn::ForEach::Subnets` generates `SubnetA`, which is also declared outside \
                 the loop"
                    .to_owned()
            ),
            (
                "Subnet${Name}".to_owned(),
                "`Fn::ForEach::Subnets` generates `SubnetB` more than once".to_owned()
            ),
            (
                "Subnet${Name}".to_owned(),
                "`Fn::ForEach::Subnets` generates the logical ID `Subnetc.d`, which is not \
                 alphanumeric; `&{Name}` drops the other characters of the item"
                    .to_owned()
            ),
        ]
    );
    assert_eq!(r.keys("Resources"), ["SubnetA", "SubnetB", "Subnetc.d"]);
}

#[test]
fn loops_need_the_transform_and_their_sections() {
    let r = run_with(
        "Resources:
  Fn::ForEach::Subnets:
    - Name
    - [A]
    - Subnet${Name}: {Type: AWS::EC2::Subnet}
Mappings:
  Fn::ForEach::Nope: [Name, [A], {'X${Name}': {K: V}}]
",
        &CloudFormationOptions::default(),
        false,
    );
    assert_eq!(
        r.errors(),
        [
            (
                "Fn::ForEach::Subnets".to_owned(),
                "`Fn::ForEach` needs `Transform: AWS::LanguageExtensions` in the template; \
                 CloudFormation rejects the template without it"
                    .to_owned()
            ),
            (
                "Fn::ForEach::Nope".to_owned(),
                "`Fn::ForEach` is not allowed in `Mappings`; CloudFormation expands it in \
                 Resources, Conditions and Outputs"
                    .to_owned()
            ),
        ]
    );
    // Still expanded, so the rest of the template is linted.
    assert_eq!(r.keys("Resources"), ["SubnetA"]);
    let r = run_with(
        "Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]
Resources:
  Fn::ForEach::Subnets: [Name, [A], {'Subnet${Name}': {Type: AWS::EC2::Subnet}}]
",
        &CloudFormationOptions::default(),
        false,
    );
    assert_eq!(r.errors(), []);
}

/// `depth` loops, each over `items` items, nested in a resource's properties.
fn nested_properties(depth: usize, items: usize) -> String {
    let list: Vec<String> = (0..items).map(|i| format!("i{i}")).collect();
    let list = list.join(", ");
    let keys: String = (0..depth).map(|l| format!("${{L{l}}}")).collect();
    let mut fragment = format!("{{'K{keys}': leaf}}");
    for level in (0..depth).rev() {
        fragment = format!("{{Fn::ForEach::Level{level}: [L{level}, [{list}], {fragment}]}}");
    }
    format!("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Config: {fragment}\n")
}

#[test]
fn nesting_is_limited_to_five_loops() {
    let five = run(&nested_properties(5, 2));
    assert_eq!(five.errors(), []);
    let config = five.show(&["Resources", "Bucket", "Properties", "Config"]);
    assert_eq!(config.matches("leaf").count(), 32, "{config}");
    let six = run(&nested_properties(6, 2));
    let errors = six.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "Fn::ForEach::Level5");
    assert!(
        errors[0].1.contains("nested more than 5 loops deep"),
        "{errors:?}"
    );
}

#[test]
fn nesting_bombs_and_huge_collections_are_bounded() {
    let started = std::time::Instant::now();
    let bomb = run(&nested_properties(5, 60));
    let errors = bomb.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].1.contains("nodes larger"), "{errors:?}");
    let items: Vec<String> = (0..100_000).map(|i| format!("n{i}")).collect();
    let huge = run(&format!(
        "Resources:\n  Fn::ForEach::Many: [N, [{}], {{'Subnet${{N}}': {{Type: AWS::EC2::Subnet}}}}]\n",
        items.join(", ")
    ));
    let errors = huge.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].1.contains("more than 2000 resources"),
        "{errors:?}"
    );
    assert_eq!(huge.show(&["Resources"]), "{}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn a_large_item_in_many_places_is_bounded() {
    let started = std::time::Instant::now();
    // A 1 MiB item written into 100 scalars: 100 MiB of text if it were expanded.
    let big = "z".repeat(1024 * 1024);
    let values = vec!["'${X}'"; 100].join(", ");
    let r = run(&format!(
        "Resources:\n  Fn::ForEach::Many: [X, [{big}], {{'Sub&{{X}}': {{Type: AWS::EC2::Subnet, Properties: {{Tags: [{values}]}}}}}}]\n"
    ));
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "Fn::ForEach::Many");
    assert!(
        errors[0].1.contains("more than 64 MiB of text"),
        "{errors:?}"
    );
    assert_eq!(r.show(&["Resources"]), "{}");
    // The same loop with ten places stays within the budget and is expanded.
    let values = ["'${X}'"; 10].join(", ");
    let r = run(&format!(
        "Resources:\n  Fn::ForEach::Many: [X, [{big}], {{'Sub&{{X}}': {{Type: AWS::EC2::Subnet, Properties: {{Tags: [{values}]}}}}}}]\n"
    ));
    assert_eq!(r.errors(), []);
    assert_eq!(r.keys("Resources"), [format!("Sub{big}")]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn fragment_size_counts_the_texts_an_item_rewrites() {
    let text = "Transform: AWS::LanguageExtensions\nF: {'A${X}': {B: ['${X}-&{X}', plain, {Ref: X}, {Ref: Y}]}}\n";
    let tree = parse_yaml(text).unwrap();
    let fragment = tree.get(tree.root(), "F").unwrap();
    let placeholders = ["${X}".to_owned(), "&{X}".to_owned()];
    assert_eq!(
        fragment_size(&tree, fragment, "X", &placeholders),
        FragmentSize {
            // F, A's map, the list, its 2 scalars, 2 Ref maps and their 2 scalars.
            nodes: 9,
            // `A${X}` and `${X}-&{X}`.
            text: 5 + 9,
            // Three placeholders and one `Ref: X`.
            mentions: 4,
        }
    );
}

#[test]
fn id_patterns_match_alphanumeric_items_only() {
    let pattern = IdPattern {
        pieces: vec!["Subnet".into(), "Route".into(), String::new()],
        loop_name: "L".into(),
    };
    assert!(pattern.matches("SubnetARouteB"));
    assert!(pattern.matches("SubnetRoute"));
    assert!(pattern.matches("SubnetRouteRouteX"));
    assert!(!pattern.matches("SubnetA-RouteB"));
    assert!(!pattern.matches("SubnetA"));
    assert_eq!(
        split_placeholders("A${X}B&{Y}${Z}", &["X".into(), "Y".into()]),
        ["A", "B", "${Z}"]
    );
}

#[test]
fn an_unknown_collection_outside_resources_gets_a_note() {
    let r = run("Parameters:
  Names: {Type: CommaDelimitedList}
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
Outputs:
  Fn::ForEach::Names:
    - Name
    - !Ref Names
    - Out${Name}: {Value: !Ref Vpc}
");
    assert_eq!(r.errors(), []);
    let notes = r.notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("Fn::ForEach::Names") && notes[0].contains("parameter Names"),
        "{notes:?}"
    );
}
