//! Terraform front end: HCL and `.tf.json` → modules → evaluation → one graph per root module.
//!
//! - [`json`]: `.tf.json` files read into the same syntax tree as `.tf` files, spans kept.
//! - [`config`]: a directory's parsed files indexed by declaration (no cloning of the trees).
//! - [`eval`]: expression evaluation for one module instance (`Evaluator` + `Scope`).
//! - [`functions`]: the function library (one registry entry per function).
//! - [`vars`]: root variable values (defaults, tfvars, `--var-file`, `--var`).
//! - [`mapping`]: resource instances → graph nodes.

mod budget;
mod config;
mod datasources;
mod eval;
mod functions;
mod json;
mod mapping;
mod modules;
mod providers;
mod syntax;

#[doc(hidden)]
pub use syntax::check_against_hcl_edit;
mod types;
mod vars;

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use rayon::prelude::*;
use vpclint_graph::files::{self, Boundary};
use vpclint_graph::{FileId, InputError, Loaded, SourceMap, Span, StackKind, VpcGraph};

use config::{local_module_dir, normalize, ModuleCall, ModuleConfig, ParsedFile};
use eval::{Evaluator, Stack};

/// The front end's hash maps and sets use foldhash (`vpclint_graph`'s aliases): SipHash
/// was ~11% of the instructions of a Terraform run, over short keys such as names and
/// addresses that do not need DoS resistance (the seed is still random).
pub(crate) use vpclint_graph::{HashMap, HashSet};

/// User-supplied inputs that change evaluation.
#[derive(Debug, Clone, Default)]
pub struct TerraformOptions {
    /// `--var` and `--var-file`, in command-line order: like Terraform, a later one wins
    /// over an earlier one whichever kind each is.
    pub inputs: Vec<VarInput>,
    /// Where files the configuration leads to (module sources, installed modules, links)
    /// may be: outside it they are refused, not read (docs/security.md).
    pub boundary: Boundary,
}

/// One root module variable input of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarInput {
    /// `--var name=value` (the raw value: a string, or HCL for a complex-typed variable).
    Var(String, String),
    /// `--var-file FILE` (`.tfvars` or `.tfvars.json`).
    File(PathBuf),
}

/// A located error for an HCL syntax error.
pub(crate) fn parse_error(
    path: &Path,
    file: FileId,
    len: usize,
    e: &crate::syntax::Error,
) -> InputError {
    let start = e.offset().min(len);
    let end = (start + 1).min(len);
    InputError::at(
        path,
        Some(Span::new(file, start, end)),
        format!("syntax error: {}", e.message()),
    )
}

/// The one-character span a `serde_json` error points at (its line and column are 1-based).
pub(crate) fn json_error_span(
    sources: &SourceMap,
    file: FileId,
    e: &serde_json::Error,
) -> Option<Span> {
    let text = &sources.get(file)?.text;
    let line_start = if e.line() <= 1 {
        0
    } else {
        text.match_indices('\n').nth(e.line() - 2)?.0 + 1
    };
    let start = text
        .get(line_start..)?
        .char_indices()
        .nth(e.column().saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i)
        .min(text.len());
    Some(Span::new(file, start, (start + 1).min(text.len())))
}

/// A file's syntax, parsed (before it gets a `FileId`).
enum Syntax {
    Hcl(Result<crate::syntax::Body, crate::syntax::Error>),
    Json(Result<json::JsonBody, json::JsonError>),
}

/// What reading one file produced (before it gets a `FileId`).
enum ReadResult {
    Parsed(String, Syntax),
    /// A `.tf` file of a linted directory that holds no `module` block (its text does not
    /// contain the word), so module discovery does not need its tree: parsed later, when its
    /// root module is evaluated, and dropped right after (see [`Deferred`]).
    Deferred(String),
    NotUtf8,
    Unreadable(files::Refusal),
}

/// Most module directories one run loads (linted and called together).
const MAX_MODULE_DIRS: usize = 10_000;

fn is_json_config(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".tf.json"))
}

/// The `.tf` and `.tf.json` files of a module directory, sorted by path.
fn tf_files(dir: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| (p.extension().is_some_and(|e| e == "tf") || is_json_config(p)) && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn parse_file(path: &Path, text: &str) -> Syntax {
    if is_json_config(path) {
        Syntax::Json(json::parse(text))
    } else {
        Syntax::Hcl(crate::syntax::parse_body(text))
    }
}

/// A file registered in the `SourceMap` whose parse is put off until its root module is
/// evaluated, so that no more than a few root modules' syntax trees are alive at once (they
/// are ~50× the size of the text).
struct Deferred {
    file: FileId,
    path: PathBuf,
    text: Arc<str>,
}

impl Deferred {
    fn parse(&self, errors: &mut Vec<InputError>) -> Option<ParsedFile> {
        match crate::syntax::parse_body(&self.text) {
            Ok(body) => Some(ParsedFile {
                file: self.file,
                path: self.path.clone(),
                body,
                block_headers: Vec::new(),
            }),
            Err(e) => {
                errors.push(parse_error(&self.path, self.file, self.text.len(), &e));
                None
            }
        }
    }
}

/// Every module directory of a run: the linted ones first, then the ones they call.
struct Dirs {
    dirs: Vec<PathBuf>,
    files: Vec<Vec<ParsedFile>>,
    /// Per directory, files not parsed yet (only linted directories have some).
    deferred: Vec<Vec<Deferred>>,
    /// Per directory, files that could not be read or parsed (their declarations are unseen).
    unreadable: Vec<Vec<PathBuf>>,
    linted: usize,
}

impl Dirs {
    /// Lists, reads and parses (in parallel) the files of `new` directories, registering
    /// them in `sources` in a deterministic order.
    fn load(
        &mut self,
        new: Vec<PathBuf>,
        defer: bool,
        boundary: &Boundary,
        sources: &mut SourceMap,
        paths: &mut HashMap<FileId, PathBuf>,
        loaded: &mut Loaded,
    ) {
        let first = self.dirs.len();
        let mut listing: Vec<(usize, PathBuf)> = Vec::new();
        let listed: Vec<_> = new.par_iter().map(|dir| tf_files(dir)).collect();
        for (d, (dir, files)) in new.iter().zip(listed).enumerate() {
            match files {
                Ok(files) => listing.extend(files.into_iter().map(|f| (first + d, f))),
                Err(e) => loaded.errors.push(InputError::at(
                    dir,
                    None,
                    format!("cannot read directory: {e}"),
                )),
            }
        }
        self.dirs.extend(new);
        self.files.resize_with(self.dirs.len(), Vec::new);
        self.deferred.resize_with(self.dirs.len(), Vec::new);
        self.unreadable.resize_with(self.dirs.len(), Vec::new);
        let read: Vec<ReadResult> = listing
            .par_iter()
            .map(|(_, path)| match files::read_entry(path, boundary) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    // `module` blocks can only be written with the word `module` (an HCL
                    // identifier has no escapes; `.tf.json` keys do, so those are parsed).
                    Ok(text) if defer && !is_json_config(path) && !text.contains("module") => {
                        ReadResult::Deferred(text)
                    }
                    Ok(text) => {
                        let syntax = parse_file(path, &text);
                        ReadResult::Parsed(text, syntax)
                    }
                    Err(_) => ReadResult::NotUtf8,
                },
                Err(e) => ReadResult::Unreadable(e),
            })
            .collect();
        for ((d, path), result) in listing.into_iter().zip(read) {
            match result {
                ReadResult::Parsed(text, syntax) => {
                    loaded.files += 1;
                    let len = text.len();
                    let file = sources.add(path.clone(), text);
                    paths.insert(file, path.clone());
                    let failed_path = path.clone();
                    let parsed = match syntax {
                        Syntax::Hcl(Ok(body)) => Some(ParsedFile {
                            file,
                            path,
                            body,
                            block_headers: Vec::new(),
                        }),
                        Syntax::Hcl(Err(e)) => {
                            loaded.errors.push(parse_error(&path, file, len, &e));
                            None
                        }
                        Syntax::Json(Ok(json)) => {
                            let span = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
                            loaded.errors.extend(
                                json.errors
                                    .into_iter()
                                    .map(|e| InputError::at(&path, Some(span(e.range)), e.message)),
                            );
                            Some(ParsedFile {
                                file,
                                block_headers: json.headers.into_iter().map(span).collect(),
                                path,
                                body: json.body,
                            })
                        }
                        Syntax::Json(Err(e)) => {
                            let start = e.range.start.min(len);
                            let end = e.range.end.clamp(start, len);
                            loaded.errors.push(InputError::at(
                                &path,
                                Some(Span::new(file, start, end)),
                                e.message,
                            ));
                            None
                        }
                    };
                    match (parsed, self.files.get_mut(d)) {
                        (Some(parsed), Some(v)) => v.push(parsed),
                        (None, _) => self.unreadable(d, &failed_path),
                        (Some(_), None) => {}
                    }
                }
                ReadResult::Deferred(text) => {
                    loaded.files += 1;
                    let text: Arc<str> = text.into();
                    let file = sources.add(path.clone(), text.clone());
                    paths.insert(file, path.clone());
                    if let Some(v) = self.deferred.get_mut(d) {
                        v.push(Deferred { file, path, text });
                    }
                }
                ReadResult::NotUtf8 => {
                    loaded.files += 1;
                    self.unreadable(d, &path);
                    loaded
                        .errors
                        .push(InputError::at(path, None, "file is not valid UTF-8"));
                }
                ReadResult::Unreadable(refusal) => {
                    self.unreadable(d, &path);
                    loaded.errors.push(InputError::at(
                        path,
                        None,
                        format!("cannot read file: {refusal}"),
                    ))
                }
            }
        }
    }

    /// Records that a file of directory `d` could not be read or parsed.
    fn unreadable(&mut self, d: usize, path: &Path) {
        if let Some(v) = self.unreadable.get_mut(d) {
            v.push(path.to_path_buf());
        }
    }
}

/// Parses deferred files: the trees of those that parse, and the paths of those that do not.
fn parse_deferred<'d>(
    deferred: impl IntoIterator<Item = &'d Deferred>,
    errors: &mut Vec<InputError>,
) -> (Vec<ParsedFile>, Vec<PathBuf>) {
    let mut parsed = Vec::new();
    let mut failed = Vec::new();
    for f in deferred {
        match f.parse(errors) {
            Some(p) => parsed.push(p),
            None => failed.push(f.path.clone()),
        }
    }
    (parsed, failed)
}

/// Queues a module directory to load, or records why the file policy refuses it.
fn admit_module_dir(
    dir: &Path,
    boundary: &Boundary,
    wave: &mut Vec<PathBuf>,
    refused: &mut HashMap<PathBuf, String>,
) {
    match boundary.admits(dir) {
        Ok(_) => wave.push(dir.to_path_buf()),
        Err(refusal) => {
            refused.insert(normalize(dir), refusal.to_string());
        }
    }
}

/// The literal `source` of every `module` block of some parsed files.
fn module_sources(files: &[ParsedFile]) -> impl Iterator<Item = &str> {
    files.iter().flat_map(|pf| {
        pf.body
            .blocks()
            .filter(|b| b.ident.as_str() == "module")
            .filter_map(|b| b.body.get_attribute("source"))
            .filter_map(|a| config::literal_str(&a.value))
    })
}

/// `.terraform/modules/modules.json` of a directory where `terraform init` has run:
/// module key (`vpc`, `vpc.endpoints`) → installed directory. The file is read under the
/// file policy (a link out of the boundary is not followed); where the directories it names
/// may be is checked by the caller.
fn installed_modules(dir: &Path, boundary: &Boundary) -> HashMap<String, PathBuf> {
    let path = dir.join(".terraform/modules/modules.json");
    let Ok(bytes) = files::read_entry(&path, boundary) else {
        return HashMap::default();
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return HashMap::default();
    };
    json.get("Modules")
        .and_then(|m| m.as_array())
        .map(|mods| {
            mods.iter()
                .filter_map(|m| {
                    let key = m.get("Key")?.as_str()?;
                    let installed = m.get("Dir")?.as_str()?;
                    (!key.is_empty()).then(|| (key.to_owned(), normalize(&dir.join(installed))))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Loads the Terraform configurations in `dirs` (each a directory that holds `.tf` files,
/// as discovered by the caller), reading their files into `sources`, and the module
/// directories they call (local sources, and installed registry/git modules). Every
/// directory in `dirs` that no loaded module calls is a root module and becomes one graph.
pub fn load(sources: &mut SourceMap, dirs: &[PathBuf], options: &TerraformOptions) -> Loaded {
    load_with_environment(sources, dirs, options, &vars::process_environment())
}

/// [`load`] with the `TF_VAR_*` environment given explicitly (name without the prefix,
/// value) instead of read from the process, for tests and embedding.
pub fn load_with_environment(
    sources: &mut SourceMap,
    dirs: &[PathBuf],
    options: &TerraformOptions,
    environment: &[(String, String)],
) -> Loaded {
    let mut loaded = Loaded::default();
    let started = std::time::Instant::now();
    let mut paths: HashMap<FileId, PathBuf> = HashMap::default();

    // 1. Read the linted directories, then (wave by wave) the module directories they call.
    let mut all = Dirs {
        dirs: Vec::new(),
        files: Vec::new(),
        deferred: Vec::new(),
        unreadable: Vec::new(),
        linted: dirs.len(),
    };
    let boundary = &options.boundary;
    all.load(
        dirs.to_vec(),
        true,
        boundary,
        sources,
        &mut paths,
        &mut loaded,
    );
    let mut seen: HashSet<PathBuf> = dirs.iter().map(|d| normalize(d)).collect();
    let mut installed: Vec<HashMap<String, PathBuf>> = dirs
        .iter()
        .map(|d| installed_modules(d, boundary))
        .collect();
    // Module directories the file policy refuses (a source or an installed directory
    // outside the boundary): never listed or read; calls to them are errors.
    let mut refused: HashMap<PathBuf, String> = HashMap::default();
    let mut wave: Vec<PathBuf> = Vec::new();
    for m in &installed {
        for dir in m.values() {
            if seen.insert(dir.clone()) {
                admit_module_dir(dir, boundary, &mut wave, &mut refused);
            }
        }
    }
    let mut scanned = 0;
    loop {
        for d in scanned..all.dirs.len() {
            let (Some(dir), Some(files)) = (all.dirs.get(d), all.files.get(d)) else {
                continue;
            };
            for source in module_sources(files) {
                if let Some(target) = local_module_dir(dir, source) {
                    if seen.insert(target.clone()) && target.is_dir() {
                        admit_module_dir(&target, boundary, &mut wave, &mut refused);
                    }
                }
            }
        }
        scanned = all.dirs.len();
        if wave.is_empty() {
            break;
        }
        if all.dirs.len() + wave.len() > MAX_MODULE_DIRS {
            loaded.errors.push(InputError::at(
                wave.first().cloned().unwrap_or_default(),
                None,
                format!("more than {MAX_MODULE_DIRS} module directories; the rest is not loaded"),
            ));
            break;
        }
        wave.sort();
        all.load(
            std::mem::take(&mut wave),
            false,
            boundary,
            sources,
            &mut paths,
            &mut loaded,
        );
    }
    installed.resize_with(all.dirs.len(), HashMap::default);

    let mut by_dir: HashMap<PathBuf, usize> = HashMap::default();
    for (i, dir) in all.dirs.iter().enumerate() {
        by_dir.entry(normalize(dir)).or_insert(i);
    }
    // Deferred files stay deferred only in directories that cannot be module directories
    // (no module block of a loaded file names them, no `modules.json` installs them), i.e.
    // the root modules: their trees are then used by their own evaluation only. (Every
    // `module` block is seen here: the deferred files have none.)
    let mut maybe_called: HashSet<usize> = HashSet::default();
    for (d, (dir, files)) in all.dirs.iter().zip(&all.files).enumerate() {
        for source in module_sources(files) {
            if let Some(i) = local_module_dir(dir, source).and_then(|t| by_dir.get(&t)) {
                if *i != d {
                    maybe_called.insert(*i);
                }
            }
        }
    }
    for m in &installed {
        maybe_called.extend(m.values().filter_map(|dir| by_dir.get(dir)));
    }
    let mut parse_errors = Vec::new();
    let mut keep_deferred = vec![false; all.dirs.len()];
    for (d, ((files, deferred), unreadable)) in all
        .files
        .iter_mut()
        .zip(&mut all.deferred)
        .zip(&mut all.unreadable)
        .enumerate()
    {
        if deferred.is_empty() {
            continue;
        }
        if maybe_called.contains(&d) {
            let (parsed, failed) = parse_deferred(&std::mem::take(deferred), &mut parse_errors);
            files.extend(parsed);
            unreadable.extend(failed);
            files.sort_by(|a, b| a.path.cmp(&b.path));
        } else if let Some(k) = keep_deferred.get_mut(d) {
            *k = true;
        }
    }
    loaded.errors.append(&mut parse_errors);

    let started = loaded.phase("terraform: read + parse", started);

    // 2. Index each directory's declarations (a root with deferred files is indexed again,
    // with all its files, when it is evaluated; its errors are reported then).
    let indexed: Vec<(ModuleConfig<'_>, Vec<InputError>)> = all
        .dirs
        .par_iter()
        .zip(all.files.par_iter())
        .zip(keep_deferred.par_iter())
        .zip(all.unreadable.par_iter())
        .map(|(((dir, files), deferred), unreadable)| {
            let mut index_errors = Vec::new();
            let mut cfg = ModuleConfig::index(dir, files, &mut index_errors);
            cfg.unreadable.clone_from(unreadable);
            cfg.unreadable.sort();
            if *deferred {
                index_errors.clear();
            }
            (cfg, index_errors)
        })
        .collect();
    let mut configs: Vec<ModuleConfig<'_>> = Vec::with_capacity(indexed.len());
    for (cfg, mut index_errors) in indexed {
        loaded.errors.append(&mut index_errors);
        configs.push(cfg);
    }

    // 3. Root modules: linted directories no other loaded directory calls as a local module.
    // `callers[i]`: the calls of other directories that load directory `i`.
    let mut callers: Vec<Vec<(usize, &ModuleCall<'_>)>> = vec![Vec::new(); configs.len()];
    for (caller, cfg) in configs.iter().enumerate() {
        for call in cfg.module_calls.values() {
            let Some(target) = call.source.and_then(|s| local_module_dir(cfg.dir, s)) else {
                continue;
            };
            if let Some(i) = by_dir.get(&target) {
                if *i != caller {
                    if let Some(c) = callers.get_mut(*i) {
                        c.push((caller, call));
                    }
                }
            }
        }
    }
    let called: HashSet<usize> = (0..configs.len())
        .filter(|i| callers.get(*i).is_some_and(|c| !c.is_empty()))
        .collect();
    let is_root = |i: usize| {
        !called.contains(&i)
            && all.dirs.get(i).is_some_and(|dir| {
                all.files.get(i).is_some_and(|f| !f.is_empty())
                    || all.deferred.get(i).is_some_and(|f| !f.is_empty())
                    || cfg_has_files(&paths, dir)
            })
    };
    let roots_found: Vec<usize> = (0..all.linted).filter(|i| is_root(*i)).collect();
    loaded.errors.extend(unrooted_cycles(
        &configs,
        &callers,
        &roots_found,
        all.linted,
        &paths,
    ));

    // 4. Root variable values (reading var files registers them in `sources`).
    let mut roots = Vec::new();
    for i in roots_found {
        let Some(dir) = all.dirs.get(i) else {
            continue;
        };
        let mut var_errors = Vec::new();
        let mut read_var_file = |path: &PathBuf, within: Option<&Boundary>| {
            let vf = vars::read_var_file(sources, path, within, &mut var_errors)?;
            paths.insert(vf.file, path.clone());
            loaded.files += 1;
            Some(vf)
        };
        let auto_files: Vec<vars::VarFile> = vars::auto_var_files(dir)
            .iter()
            .filter_map(|path| read_var_file(path, Some(boundary)))
            .collect();
        let command_line: Vec<vars::CommandLineInput<'_>> = options
            .inputs
            .iter()
            .filter_map(|input| match input {
                VarInput::Var(name, raw) => Some(vars::CommandLineInput::Var(name, raw)),
                VarInput::File(path) => read_var_file(path, None).map(vars::CommandLineInput::File),
            })
            .collect();
        loaded.errors.append(&mut var_errors);
        roots.push((
            i,
            auto_files,
            command_line,
            std::mem::take(&mut installed[i]),
        ));
    }

    let started = loaded.phase("terraform: index + variables", started);

    // 5. Evaluate and map each root module (in parallel: stacks are independent). A root
    // with deferred files is parsed and indexed here, and its trees dropped when done.
    let paths = &paths;
    let results: Vec<(VpcGraph, Vec<InputError>, Vec<vpclint_graph::InputNote>)> = roots
        .into_par_iter()
        .filter_map(|(i, auto_files, command_line, installed)| {
            let dir = all.dirs.get(i)?;
            let mut errors = Vec::new();
            let mut unreadable: Vec<PathBuf> = all.unreadable.get(i).cloned().unwrap_or_default();
            let own_files: Option<Vec<ParsedFile>> =
                keep_deferred.get(i).copied().unwrap_or(false).then(|| {
                    let mut files: Vec<ParsedFile> = all.files.get(i).cloned().unwrap_or_default();
                    let (parsed, failed) =
                        parse_deferred(all.deferred.get(i).into_iter().flatten(), &mut errors);
                    files.extend(parsed);
                    unreadable.extend(failed);
                    files.sort_by(|a, b| a.path.cmp(&b.path));
                    files
                });
            let own_cfg = own_files.as_deref().map(|files| {
                let mut cfg = ModuleConfig::index(dir, files, &mut errors);
                unreadable.sort();
                cfg.unreadable = unreadable;
                cfg
            });
            let cfg = match &own_cfg {
                Some(cfg) => cfg,
                None => configs.get(i)?,
            };
            let (values, mut var_errors) =
                vars::resolve(cfg, &auto_files, &command_line, environment, paths);
            errors.append(&mut var_errors);
            let (graph, mut eval_errors, notes) = build_graph(
                &configs, &by_dir, &refused, i, cfg, dir, values, installed, paths,
            );
            errors.append(&mut eval_errors);
            drop(own_cfg);
            drop(own_files);
            Some((graph, errors, notes))
        })
        .collect();
    for (graph, errors, notes) in results {
        loaded.graphs.push(graph);
        loaded.errors.extend(errors);
        loaded.notes.extend(notes);
    }
    loaded.phase("terraform: evaluate + graph", started);
    loaded
}

/// Linted directories that no root module reaches are only called from module cycles
/// (`a` calls `b`, `b` calls `a`, and nothing else calls either): none of them is a root,
/// so nothing in them would be linted. One located error per such cycle, at the call that
/// closes it, instead of silence.
fn unrooted_cycles(
    configs: &[ModuleConfig<'_>],
    callers: &[Vec<(usize, &ModuleCall<'_>)>],
    roots: &[usize],
    linted: usize,
    paths: &HashMap<FileId, PathBuf>,
) -> Vec<InputError> {
    // Directories the roots load, directly or through other modules.
    let mut reached: HashSet<usize> = roots.iter().copied().collect();
    let mut callees: Vec<Vec<usize>> = vec![Vec::new(); configs.len()];
    for (target, calls) in callers.iter().enumerate() {
        for (caller, _) in calls {
            if let Some(c) = callees.get_mut(*caller) {
                c.push(target);
            }
        }
    }
    let mut stack: Vec<usize> = roots.to_vec();
    while let Some(i) = stack.pop() {
        for next in callees.get(i).into_iter().flatten() {
            if reached.insert(*next) {
                stack.push(*next);
            }
        }
    }
    let mut errors = Vec::new();
    let mut reported: HashSet<usize> = HashSet::default();
    for start in 0..linted {
        if reached.contains(&start) || reported.contains(&start) {
            continue;
        }
        // Walk up the first caller of each directory: in a finite graph where every
        // directory on the way is called, the walk comes back to a directory it has seen.
        let mut path: Vec<(usize, Option<&ModuleCall<'_>>)> = vec![(start, None)];
        let cycle_start = loop {
            let Some(&(current, _)) = path.last() else {
                break None;
            };
            let Some(&(caller, call)) = callers.get(current).and_then(|c| c.first()) else {
                break None;
            };
            if let Some(pos) = path.iter().position(|(d, _)| *d == caller) {
                path.push((caller, Some(call)));
                break Some(pos);
            }
            path.push((caller, Some(call)));
        };
        let Some(first) = cycle_start else {
            continue;
        };
        let cycle = path.get(first..).unwrap_or_default();
        if cycle.iter().any(|(d, _)| reported.contains(d)) {
            continue;
        }
        reported.extend(cycle.iter().map(|(d, _)| *d));
        // The walk went from callee to caller; the chain reads from caller to callee.
        let chain: Vec<String> = cycle
            .iter()
            .rev()
            .filter_map(|(d, _)| configs.get(*d))
            .map(|c| c.dir.display().to_string())
            .collect();
        let Some((_, Some(closing))) = cycle.last() else {
            continue;
        };
        let path_of = paths.get(&closing.file).cloned().unwrap_or_default();
        errors.push(InputError::at(
            path_of,
            Some(closing.source_span()),
            format!(
                "module cycle: {}; these directories call each other and no other linted directory calls them, so none of them is a root module and nothing in them is linted",
                chain.join(" -> ")
            ),
        ));
    }
    errors
}

/// True when some file of `dir` was read (even if it did not parse).
fn cfg_has_files(paths: &HashMap<FileId, PathBuf>, dir: &Path) -> bool {
    paths.values().any(|p| p.parent() == Some(dir))
}

#[allow(clippy::too_many_arguments)]
fn build_graph(
    configs: &[ModuleConfig<'_>],
    by_dir: &HashMap<PathBuf, usize>,
    refused: &HashMap<PathBuf, String>,
    cfg_index: usize,
    cfg: &ModuleConfig<'_>,
    dir: &Path,
    values: HashMap<String, vpclint_graph::Value>,
    installed: HashMap<String, PathBuf>,
    paths: &HashMap<FileId, PathBuf>,
) -> (VpcGraph, Vec<InputError>, Vec<vpclint_graph::InputNote>) {
    let mut stack = Stack::new(configs, by_dir, installed, paths);
    stack.refused.clone_from(refused);
    let stack = Rc::new(stack);
    let root = Evaluator::root(stack.clone(), cfg, Some(cfg_index), values);
    let mut graph = VpcGraph::new(dir.display().to_string(), StackKind::Terraform);
    mapping::map_stack(&root, &mut graph);
    graph.finish();
    drop(root);
    let mut diags = stack.take_diags();
    for note in &mut diags.notes {
        note.stack.clone_from(&graph.stack);
    }
    (graph, diags.errors, diags.notes)
}
