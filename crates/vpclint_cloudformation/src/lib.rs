//! CloudFormation front end: YAML and JSON templates → intrinsics → graphs.
//!
//! - [`syntax`]: one span-keeping tree for YAML (granit-parser events) and JSON
//!   (jsonc-parser AST); short-form tags become the long form; depth is bounded; aliases,
//!   duplicate keys and unknown tags are located errors.
//! - `foreach`: `Fn::ForEach` loops expanded into the entries they generate, between
//!   parsing and evaluation (see below).
//! - `eval`: intrinsic functions (table in `intrinsics`), parameters, pseudo parameters,
//!   conditions; unknown values stay unknown.
//! - `parameters`: `--parameter-file` files and `AllowedValues` validation.
//! - `graph`: resources → `VpcGraph` nodes (conventions documented there).
//!
//! # Stacks, and templates linked by `Fn::ImportValue`
//!
//! Each template is one stack and one graph, named by its path — unless it imports a value
//! that another linted template exports (`Outputs.*.Export.Name`, a name known from the
//! template alone and exported by exactly one linted template). Templates linked that way,
//! directly or through others, are loaded into **one combined graph** (stack name: their
//! paths joined with ` + `), because rules see one graph at a time and a peering split
//! across two templates can only be checked with both VPCs in view. In it:
//!
//! - `Fn::ImportValue` evaluates to the exported value, evaluated in the exporting
//!   template: an exported `!Ref Vpc` is a reference to that template's `Vpc`, an
//!   exported CIDR is the CIDR (chains of exports and imports are followed).
//! - Resources keep their logical IDs as addresses; only a logical ID declared by two or
//!   more linked templates is qualified, as `<file stem>.<LogicalId>` (`network.Vpc`), in
//!   every template that declares it (the stem drops `.json`, `.yaml`, `.yml`,
//!   `.template`, `.cfn`, `.nested`; linked templates with the same stem use their path).
//!   A `Ref` to an undeclared name that another linked template declares is qualified
//!   with the referring template's stem, so it stays undeclared.
//! - An export name that depends on the deployment (`!Sub '${AWS::StackName}-VpcId'`), an
//!   import of a name no linted template exports, or one that several export, is unknown.
//!
//! # The stack's region
//!
//! With `--region`, `AWS::Region` is that region. Without it, `AWS::Region` is the marker
//! [`vpclint_graph::STACK_REGION`] (`${AWS::Region}`): the `region` of every VPC, endpoint
//! and peering is that marker, and `!Sub com.amazonaws.${AWS::Region}.s3` is the known
//! service name `com.amazonaws.${AWS::Region}.s3` — recognizably in the stack's own
//! region. The marker equals only itself: `Fn::Equals` of it and a literal region is
//! unknown, and `Fn::Split`/`Fn::Base64` of a string holding it are unknown.
//! `AWS::Partition` and `AWS::URLSuffix` follow from `--region`; `AWS::AccountId`,
//! `AWS::StackName`, `AWS::StackId` and `AWS::NotificationARNs` are unknown.
//!
//! # Conditions
//!
//! A resource whose condition is false does not exist; one whose condition is unknown is
//! `Existence::Maybe`. A property `!If [Cond, value, !Ref AWS::NoValue]` under a false
//! condition is absent; under an unknown one it is an unknown value, except where absence
//! itself matters: a subnet's maybe-IPv6 block is not listed and the subnet is marked
//! `cidrs_may_be_incomplete`; a maybe block of `AWS::EC2::VPCCidrBlock` is a maybe-block.
//!
//! # Fn::ForEach
//!
//! Templates with `Transform: AWS::LanguageExtensions` may write
//! `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` in `Resources`,
//! `Conditions`, `Outputs` and inside resources. Loops are expanded before evaluation, as
//! CloudFormation does: each item of the collection (a list, or anything that evaluates to
//! one: a `CommaDelimitedList` parameter, `Fn::FindInMap`, `Fn::Split`, ...) copies the
//! fragment with `${Identifier}` and `&{Identifier}` (non-alphanumerics dropped) replaced in
//! keys and strings, and `Ref: Identifier` replaced by the item. Loops nest up to five deep,
//! and an inner collection may use an outer identifier. Generated resources are addressed
//! by their expanded logical IDs (`SubnetA`) and keep the spans of the fragment, so
//! findings point at the loop's lines.
//!
//! A collection that is not known (a parameter without a value, `Fn::GetAZs`, an import)
//! generates one representative (`Subnet${Az}`) that may exist (`Existence::Maybe`), whose
//! values that depend on the item are unknown, and a note says so. A `Ref` elsewhere to a
//! logical ID it could generate (`SubnetA` for `Subnet${Az}`) is unknown, not undeclared.
//! Malformed loops, generated logical IDs that repeat or collide with declared ones, loops
//! nested too deep and loops that would generate more than 2,000 resources are located
//! errors; the rest of the template is built.
//!
//! # Template flavours
//!
//! Templates are recognized by content. SAM templates (`Transform:
//! AWS::Serverless-2016-10-31`) are linted for their `AWS::EC2::*`/`AWS::S3::*` resources;
//! serverless resources are not expanded. CDK output (`cdk.out/*.template.json`, nested
//! stacks' `*.nested.template.json`) is plain CloudFormation JSON.

mod eval;
mod fast_yaml;
#[cfg(test)]
mod fast_yaml_tests;
mod foreach;
mod graph;
mod intrinsics;
mod parameters;
pub mod syntax;

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use vpclint_graph::{HashMap, HashSet};

use rayon::prelude::*;
use vpclint_graph::{FileId, InputError, InputNote, Loaded, SourceMap, Span, Value, VpcGraph};

use crate::eval::{Budget, Export, Imports, Naming, Template};
use crate::parameters::Given;
use crate::syntax::{NodeId, NodeKind, Tree};

/// User-supplied inputs that change evaluation.
#[derive(Debug, Clone, Default)]
pub struct CloudFormationOptions {
    /// `--parameter KEY=VALUE`, in command-line order (later wins; wins over files).
    pub parameters: Vec<(String, String)>,
    /// `--parameter-file`, in command-line order (later wins). See the `parameters`
    /// module for the accepted shapes.
    pub parameter_files: Vec<PathBuf>,
    /// `--region`: the value of `AWS::Region`; otherwise "this stack's region"
    /// ([`vpclint_graph::STACK_REGION`]).
    pub region: Option<String>,
    /// Where a template reached through a symbolic link may be: outside it, it is refused,
    /// not read (docs/security.md).
    pub boundary: vpclint_graph::files::Boundary,
}

/// What reading one candidate file gave.
enum Read {
    /// Not a template (by a cheap content check); skipped silently.
    Skip,
    Text(String),
    /// Unreadable, or not UTF-8 although it looks like a template. `text` is the lossy
    /// text to locate the error in, `at` the byte offset of the problem.
    Error {
        message: String,
        text: Option<String>,
        at: usize,
    },
}

/// A file to parse: its path, source-map id and text.
struct Job<'p> {
    path: &'p Path,
    file: FileId,
    text: Arc<str>,
}

/// A parsed template, with what linking needs to know about it.
struct Parsed<'a> {
    path: &'a Path,
    file: FileId,
    tree: Tree<'a>,
    /// `(export name, value node)` of every output exported under a name known from the
    /// template alone.
    exports: Vec<(String, NodeId)>,
    /// Names this template imports (known from the template alone).
    imports: Vec<String>,
}

/// What parsing one file gave.
enum Outcome<'a> {
    NotATemplate,
    Failed(InputError),
    Parsed(Parsed<'a>, Problems),
    /// A template that neither exports nor imports is its own stack: its graph is built as
    /// soon as it is parsed, and its tree dropped, so that trees do not pile up (memory,
    /// and the kernel zeroing fresh pages, were a third of the time).
    Built(Box<VpcGraph>, Problems),
}

/// The input errors and notes of one template.
struct Problems {
    errors: Vec<InputError>,
    notes: Vec<InputNote>,
}

/// Loads the candidate files (`.yaml`, `.yml`, `.json`, `.template`) as discovered by the
/// caller. Files that are not CloudFormation templates (detected by content) are skipped
/// silently; each template becomes one graph, or shares one with the templates it is
/// linked to by `Fn::ImportValue` (see the crate docs).
pub fn load(sources: &mut SourceMap, files: &[PathBuf], options: &CloudFormationOptions) -> Loaded {
    let started = std::time::Instant::now();
    let read: Vec<Read> = files
        .par_iter()
        .map(|path| read_candidate(path, &options.boundary))
        .collect();

    // Add to the source map sequentially so file ids follow the caller's order.
    let mut loaded = Loaded::default();
    let started = loaded.phase("cloudformation: read", started);
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (path, read) in files.iter().zip(read) {
        match read {
            Read::Skip => {}
            Read::Text(text) => {
                let text: Arc<str> = Arc::from(text);
                let file = sources.add(path.clone(), Arc::clone(&text));
                jobs.push(Job { path, file, text });
            }
            Read::Error { message, text, at } => {
                let span = text.map(|text| {
                    let end = next_char_end(&text, at);
                    let id = sources.add(path.clone(), text);
                    Span::new(id, at, end)
                });
                loaded.files += 1;
                loaded
                    .errors
                    .push(InputError::at(path.clone(), span, message));
            }
        }
    }

    let (given, parameter_errors) =
        parameters::collect(sources, &options.parameter_files, &options.parameters);
    loaded.errors.extend(parameter_errors);
    let effective = CloudFormationOptions {
        parameters: given
            .iter()
            .map(|g| (g.key.clone(), g.value.clone()))
            .collect(),
        parameter_files: Vec::new(),
        region: options.region.clone(),
        boundary: options.boundary.clone(),
    };

    // When no template can import (none mentions `ImportValue`, even escaped), every
    // template is its own stack and is built right after it is parsed.
    let alone = !jobs.par_iter().any(|job| may_import(&job.text));
    let outcomes: Vec<Outcome<'_>> = jobs
        .par_iter()
        .map(|job| parse_template(job, &effective, &given, alone))
        .collect();
    let mut templates = Vec::with_capacity(outcomes.len());
    // Position (in `outcomes`) of each entry of `templates`, and the graphs built already
    // with theirs: graphs come out in the order of their first template either way.
    let mut template_pos: Vec<usize> = Vec::with_capacity(outcomes.len());
    let mut built: Vec<(usize, VpcGraph)> = Vec::new();
    for (pos, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Outcome::NotATemplate => {}
            Outcome::Failed(error) => {
                loaded.files += 1;
                loaded.errors.push(error);
            }
            Outcome::Parsed(parsed, problems) => {
                loaded.files += 1;
                loaded.errors.extend(problems.errors);
                loaded.notes.extend(problems.notes);
                templates.push(parsed);
                template_pos.push(pos);
            }
            Outcome::Built(graph, problems) => {
                loaded.files += 1;
                loaded.errors.extend(problems.errors);
                loaded.notes.extend(problems.notes);
                built.push((pos, *graph));
            }
        }
    }

    let started = loaded.phase("cloudformation: parse", started);

    let stacks = link(&templates);
    // Templates linked into one stack share its name (see `build_stack`): so do their notes.
    for stack in stacks.iter().filter(|s| s.len() > 1) {
        let members: Vec<String> = stack
            .iter()
            .filter_map(|&i| templates.get(i))
            .map(|m| m.path.display().to_string())
            .collect();
        let name = members.join(" + ");
        for note in &mut loaded.notes {
            if members.contains(&note.stack) {
                note.stack.clone_from(&name);
            }
        }
    }
    let ambiguous = Arc::new(ambiguous_exports(&templates));
    let linked: Vec<(usize, (VpcGraph, Option<InputNote>))> = stacks
        .par_iter()
        .map(|stack| {
            let first = stack.iter().min().and_then(|i| template_pos.get(*i));
            (
                first.copied().unwrap_or(usize::MAX),
                build_stack(&templates, stack, &effective, &ambiguous),
            )
        })
        .collect();
    let linked: Vec<(usize, VpcGraph)> = linked
        .into_iter()
        .map(|(pos, (graph, note))| {
            loaded.notes.extend(note);
            (pos, graph)
        })
        .collect();
    let mut graphs: Vec<(usize, VpcGraph)> = linked.into_iter().chain(built).collect();
    graphs.sort_by_key(|(pos, _)| *pos);
    loaded.graphs = graphs.into_iter().map(|(_, graph)| graph).collect();
    loaded.phase("cloudformation: evaluate + graph", started);
    loaded
}

fn read_candidate(path: &Path, boundary: &vpclint_graph::files::Boundary) -> Read {
    let bytes = match vpclint_graph::files::read_entry(path, boundary) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Read::Error {
                message: format!("cannot read file: {e}"),
                text: None,
                at: 0,
            }
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) if looks_like_template(&text) => Read::Text(text),
        Ok(_) => Read::Skip,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            if looks_like_template(&text) {
                Read::Error {
                    message: "file is not valid UTF-8".to_owned(),
                    text: Some(text),
                    at,
                }
            } else {
                Read::Skip
            }
        }
    }
}

/// A cheap content check, true for every template (and for broken files that clearly
/// meant to be one): mentions `AWSTemplateFormatVersion`, or a `Type: AWS::…` resource type.
pub fn looks_like_template(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    text.match_indices("AWS::").any(|(i, _)| {
        text.get(..i)
            .map(|before| before.trim_end_matches([' ', '\t', '"', '\'', ':']))
            .is_some_and(|before| before.ends_with("Type"))
    })
}

/// Whether a parsed document is a CloudFormation template.
fn is_template(tree: &Tree<'_>) -> bool {
    let root = tree.root();
    if tree.entry(root, "AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(resources) = tree.get(root, "Resources") else {
        return false;
    };
    declares_aws_resource(tree, tree.entries(resources), 0)
}

/// Whether entries of `Resources` declare an `AWS::` resource, directly or in the fragment of
/// a `Fn::ForEach` loop.
fn declares_aws_resource(tree: &Tree<'_>, entries: &[syntax::Entry<'_>], depth: usize) -> bool {
    entries.iter().any(|e| {
        if foreach::is_loop_key(&e.key) {
            return depth < foreach::MAX_NESTING
                && foreach::fragment_of(tree, e.value)
                    .is_some_and(|f| declares_aws_resource(tree, tree.entries(f), depth + 1));
        }
        tree.get(e.value, "Type")
            .and_then(|t| tree.scalar(t))
            .is_some_and(|t| t.starts_with("AWS::"))
    })
}

fn is_json(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => true,
        Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => false,
        _ => text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with('{'),
    }
}

/// Whether a template's text might hold an `Fn::ImportValue` / `!ImportValue` (escape
/// sequences in JSON or YAML strings, and `%` escapes in YAML tags, could spell it). Three
/// single-pattern searches (memchr-fast); a char-set pattern took seconds on a 50 MB file.
fn may_import(text: &str) -> bool {
    text.contains("ImportValue") || text.contains('\\') || text.contains('%')
}

/// `alone`: no template of the run imports, so this one is its own stack whatever it exports.
fn parse_template<'a>(
    job: &'a Job<'_>,
    options: &CloudFormationOptions,
    given: &[Given],
    alone: bool,
) -> Outcome<'a> {
    let (path, file, text) = (job.path, job.file, &*job.text);
    let parsed = if is_json(path, text) {
        syntax::parse_json(text)
    } else {
        syntax::parse_yaml(text)
    };
    let tree = match parsed {
        Ok(tree) => tree,
        Err(e) => {
            return Outcome::Failed(InputError::at(
                path,
                Some(Span::new(file, e.start, e.end)),
                e.message,
            ))
        }
    };
    if !is_template(&tree) {
        return Outcome::NotATemplate;
    }
    let foreach::Expanded {
        tree,
        errors: mut foreach_errors,
        notes,
    } = foreach::expand(tree, path, file, options);
    let mut errors = structure_errors(&tree, path, file);
    errors.append(&mut foreach_errors);
    errors.extend(parameters::validate(&tree, path, file, given));
    let mut problems = Problems { errors, notes };
    // Most templates neither export nor import: skip indexing them a second time.
    let links = tree.get(tree.root(), "Outputs").is_some()
        || tree.values_of_key("Fn::ImportValue").next().is_some();
    if alone || !links {
        // Its own stack, as `build_stack` would make it.
        let template = Template::new(&tree, file, options);
        let graph = graph::build(std::slice::from_ref(&template), path.display().to_string());
        problems.notes.extend(budget_note(
            template.budget(),
            &graph.stack,
            &[(path, file)],
        ));
        return Outcome::Built(Box::new(graph), problems);
    }
    let (exports, imports) = {
        let template = Template::new(&tree, file, options);
        (export_names(&template), import_names(&template))
    };
    Outcome::Parsed(
        Parsed {
            path,
            file,
            tree,
            exports,
            imports,
        },
        problems,
    )
}

/// `(name, value node)` of each output exported under a name the template alone determines.
/// Outputs under a false condition export nothing.
fn export_names(t: &Template<'_>) -> Vec<(String, NodeId)> {
    let tree = t.tree;
    let Some(outputs) = tree.get(tree.root(), "Outputs") else {
        return Vec::new();
    };
    let mut exports = Vec::new();
    for output in tree.entries(outputs) {
        let Some(name) = tree
            .get(output.value, "Export")
            .and_then(|export| tree.get(export, "Name"))
        else {
            continue;
        };
        let Some(value) = tree.get(output.value, "Value") else {
            continue;
        };
        let condition = tree
            .get(output.value, "Condition")
            .and_then(|c| tree.scalar(c));
        if condition.is_some_and(|c| t.condition_value(c, 0) == Some(false)) {
            continue;
        }
        if let Some(Value::String(name)) = t.eval(name, 0) {
            if !name.contains(vpclint_graph::STACK_REGION) {
                exports.push((name, value));
            }
        }
    }
    exports
}

/// The names a template imports, where the template alone determines them.
fn import_names(t: &Template<'_>) -> Vec<String> {
    let mut names: Vec<String> = t
        .tree
        .values_of_key("Fn::ImportValue")
        .filter_map(|arg| match t.eval(arg, 0) {
            Some(Value::String(name)) => Some(name),
            _ => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// One stack to build: the indices of its templates (one, or several linked by imports).
type Stack = Vec<usize>;

/// Groups templates into stacks: a template that imports a name exported by exactly one
/// other template shares a graph with it (transitively).
fn link(templates: &[Parsed<'_>]) -> Vec<Stack> {
    let mut exporters: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, t) in templates.iter().enumerate() {
        for (name, _) in &t.exports {
            exporters.entry(name.as_str()).or_default().push(i);
        }
    }
    let mut parent: Vec<usize> = (0..templates.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            // Path halving keeps the chains short.
            let grand = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = grand;
            }
            i = grand;
        }
        i
    }
    for (i, t) in templates.iter().enumerate() {
        for name in &t.imports {
            if let Some([exporter]) = exporters.get(name.as_str()).map(Vec::as_slice) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, *exporter));
                if a != b {
                    // The lower index is the root, so stacks come out in the caller's order.
                    let (low, high) = (a.min(b), a.max(b));
                    if let Some(slot) = parent.get_mut(high) {
                        *slot = low;
                    }
                }
            }
        }
    }
    let mut stacks: Vec<Stack> = Vec::new();
    let mut stack_of_root: HashMap<usize, usize> = HashMap::default();
    for i in 0..templates.len() {
        let r = root(&mut parent, i);
        match stack_of_root.get(&r) {
            Some(&s) => {
                if let Some(stack) = stacks.get_mut(s) {
                    stack.push(i);
                }
            }
            None => {
                stack_of_root.insert(r, stacks.len());
                stacks.push(vec![i]);
            }
        }
    }
    stacks
}

/// Export names that several linted templates export: importing one is unknown, and says why.
fn ambiguous_exports(templates: &[Parsed<'_>]) -> Imports {
    let mut count: HashMap<&str, usize> = HashMap::default();
    for t in templates {
        for (name, _) in &t.exports {
            *count.entry(name.as_str()).or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| (name.to_owned(), Export::Ambiguous))
        .collect()
}

/// A stack's graph, and the note that some of its values were too large to evaluate.
fn build_stack(
    templates: &[Parsed<'_>],
    stack: &Stack,
    options: &CloudFormationOptions,
    ambiguous: &Arc<Imports>,
) -> (VpcGraph, Option<InputNote>) {
    let members: Vec<&Parsed<'_>> = stack.iter().filter_map(|&i| templates.get(i)).collect();
    let files: Vec<(&Path, FileId)> = members.iter().map(|m| (m.path, m.file)).collect();
    if let [only] = members.as_slice() {
        let mut template = Template::new(&only.tree, only.file, options);
        if !only.imports.is_empty() && !ambiguous.is_empty() {
            template = template.linked(Arc::default(), Arc::clone(ambiguous));
        }
        let graph = graph::build(
            std::slice::from_ref(&template),
            only.path.display().to_string(),
        );
        let note = budget_note(template.budget(), &graph.stack, &files);
        return (graph, note);
    }
    // One budget for the stack: exports are evaluated again in every round.
    let budget = Rc::new(Budget::default());
    let namings = namings(&members);
    let imports = resolve_exports(&members, &namings, options, ambiguous, &budget);
    let linked: Vec<Template<'_>> = members
        .iter()
        .zip(&namings)
        .map(|(m, naming)| {
            Template::new(&m.tree, m.file, options)
                .linked(Arc::clone(naming), Arc::clone(&imports))
                .with_budget(Rc::clone(&budget))
        })
        .collect();
    let name = members
        .iter()
        .map(|m| m.path.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    let graph = graph::build(&linked, name);
    let note = budget_note(&budget, &graph.stack, &files);
    (graph, note)
}

/// The note for a stack whose evaluation ran over its budget, at the first value that did
/// not fit (in whichever of `files` it is written).
fn budget_note(budget: &Budget, stack: &str, files: &[(&Path, FileId)]) -> Option<InputNote> {
    let (span, message) = budget.note()?;
    let path = files
        .iter()
        .find(|(_, file)| *file == span.file)
        .map(|(path, _)| path.to_path_buf())
        .unwrap_or_default();
    Some(InputNote {
        stack: stack.to_owned(),
        path,
        span: Some(span),
        message,
    })
}

/// How each member of a combined stack writes its logical IDs (see the crate docs).
fn namings(members: &[&Parsed<'_>]) -> Vec<Arc<Naming>> {
    let ids_of = |m: &Parsed<'_>| -> HashSet<String> {
        m.tree
            .get(m.tree.root(), "Resources")
            .map(|r| {
                m.tree
                    .entries(r)
                    .iter()
                    .map(|e| e.key.to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let ids: Vec<HashSet<String>> = members.iter().map(|m| ids_of(m)).collect();
    let mut declared_by: HashMap<&str, usize> = HashMap::default();
    for set in &ids {
        for id in set {
            *declared_by.entry(id.as_str()).or_default() += 1;
        }
    }
    let stems: Vec<String> = members.iter().map(|m| file_stem(m.path)).collect();
    members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let own = ids.get(i).cloned().unwrap_or_default();
            let stem = stems.get(i).cloned().unwrap_or_default();
            let prefix = if stems.iter().filter(|s| **s == stem).count() > 1 {
                m.path.display().to_string()
            } else {
                stem
            };
            let qualified = own
                .iter()
                .filter(|id| declared_by.get(id.as_str()).copied().unwrap_or(0) > 1)
                .cloned()
                .collect();
            let elsewhere = ids
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .flat_map(|(_, set)| set.iter())
                .filter(|id| !own.contains(*id))
                .cloned()
                .collect();
            Arc::new(Naming {
                prefix,
                qualified,
                elsewhere,
            })
        })
        .collect()
}

/// `network.cfn.yaml` → `network`; `Stack.nested.template.json` → `Stack`.
fn file_stem(path: &Path) -> String {
    let mut stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    loop {
        let lower = stem.to_ascii_lowercase();
        let suffix = [".json", ".yaml", ".yml", ".template", ".cfn", ".nested"]
            .into_iter()
            .find(|s| lower.ends_with(s) && lower.len() > s.len());
        match suffix {
            Some(s) => stem.truncate(stem.len() - s.len()),
            None => return stem,
        }
    }
}

/// The import table of a combined stack: each export of its members evaluated in the
/// exporting template, repeated until exports that import other exports settle (chains
/// are at most as long as the stack has templates). Names several linted templates
/// export are ambiguous.
fn resolve_exports(
    members: &[&Parsed<'_>],
    namings: &[Arc<Naming>],
    options: &CloudFormationOptions,
    ambiguous: &Imports,
    budget: &Rc<Budget>,
) -> Arc<Imports> {
    let mut table: Imports = ambiguous.clone();
    for m in members {
        for (name, _) in &m.exports {
            table.entry(name.clone()).or_insert_with(|| {
                Export::Value(Value::unknown(
                    format!("export {name} depends on a cycle of imports"),
                    None,
                ))
            });
        }
    }
    let mut table = Arc::new(table);
    for _round in 0..=members.len() {
        let mut next = (*table).clone();
        for (m, naming) in members.iter().zip(namings) {
            if m.exports.is_empty() {
                continue;
            }
            let t = Template::new(&m.tree, m.file, options)
                .linked(Arc::clone(naming), Arc::clone(&table))
                .with_budget(Rc::clone(budget));
            for (name, value) in &m.exports {
                if let Some(Export::Value(slot)) = next.get_mut(name) {
                    *slot = t.eval(*value, 0).unwrap_or(Value::Null);
                }
            }
        }
        if next == *table {
            break;
        }
        table = Arc::new(next);
    }
    table
}

/// Template-structure problems CloudFormation rejects, reported without dropping the graph.
fn structure_errors(tree: &Tree<'_>, path: &Path, file: FileId) -> Vec<InputError> {
    let mut errors = Vec::new();
    let root = tree.root();
    let at = |start: u32, end: u32| Some(Span::new(file, start as usize, end as usize));
    if let Some(entry) = tree.entry(root, "Resources") {
        if !tree.is_map(entry.value) {
            errors.push(InputError::at(
                path,
                at(entry.key_start, entry.key_end),
                "`Resources` must be a mapping of logical IDs to resources",
            ));
        }
        for e in tree.entries(entry.value) {
            let ty = tree.get(e.value, "Type").map(|t| &tree.node(t).kind);
            // An unknown type: made of an item of a `Fn::ForEach` collection that is not known.
            if !matches!(ty, Some(NodeKind::Scalar { .. } | NodeKind::Unknown(_))) {
                errors.push(InputError::at(
                    path,
                    at(e.key_start, e.key_end),
                    format!("resource `{}` has no `Type`", e.key),
                ));
            }
        }
    }
    errors
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn content_check() {
        assert!(looks_like_template(
            "AWSTemplateFormatVersion: '2010-09-09'"
        ));
        assert!(looks_like_template(
            "Resources:\n  A:\n    Type: AWS::EC2::VPC\n"
        ));
        assert!(looks_like_template(
            "{\"Resources\": {\"A\": {\"Type\" : \"AWS::S3::Bucket\"}}}"
        ));
        assert!(!looks_like_template(
            "{\"name\": \"pkg\", \"dependencies\": {}}"
        ));
        assert!(!looks_like_template("description: uses AWS::EC2 somewhere"));
    }
}
