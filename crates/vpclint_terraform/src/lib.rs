//! Terraform front end: HCL (and later `.tf.json`) → modules → evaluation → one graph per root module.
//!
//! - [`config`]: a directory's parsed files indexed by declaration (no cloning of the trees).
//! - [`eval`]: expression evaluation for one module instance (`Evaluator` + `Scope`).
//! - [`functions`]: the function library (one registry entry per function).
//! - [`vars`]: root variable values (defaults, tfvars, `--var-file`, `--var`).
//! - [`mapping`]: resource instances → graph nodes.

mod config;
mod eval;
mod functions;
mod mapping;
mod vars;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vpclint_graph::{FileId, InputError, Loaded, SourceMap, Span, StackKind, VpcGraph};

use config::{local_module_dir, normalize, ModuleConfig, ParsedFile};
use eval::Evaluator;

/// User-supplied inputs that change evaluation.
#[derive(Debug, Clone, Default)]
pub struct TerraformOptions {
    /// `--var name=value`, in command-line order (later wins).
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in command-line order.
    pub var_files: Vec<PathBuf>,
}

/// A located error for an HCL syntax error.
pub(crate) fn parse_error(
    path: &Path,
    file: FileId,
    len: usize,
    e: &hcl_edit::parser::Error,
) -> InputError {
    let start = e.location().offset().min(len);
    let end = (start + 1).min(len);
    InputError::at(
        path,
        Some(Span::new(file, start, end)),
        format!("syntax error: {}", e.message()),
    )
}

/// What reading one file produced (before it gets a `FileId`).
enum ReadResult {
    Parsed(
        String,
        Result<hcl_edit::structure::Body, hcl_edit::parser::Error>,
    ),
    NotUtf8,
    Unreadable(std::io::Error),
}

fn tf_files(dir: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// Loads the Terraform configurations in `dirs` (each a directory that holds `.tf` files,
/// as discovered by the caller), reading their files into `sources`. Every directory that
/// no other directory in `dirs` calls as a module is a root module and becomes one graph.
pub fn load(sources: &mut SourceMap, dirs: &[PathBuf], options: &TerraformOptions) -> Loaded {
    let mut loaded = Loaded::default();

    // 1. List and read every file (parallel), then register them in a deterministic order.
    let mut listing: Vec<(usize, PathBuf)> = Vec::new();
    for (d, dir) in dirs.iter().enumerate() {
        match tf_files(dir) {
            Ok(files) => listing.extend(files.into_iter().map(|f| (d, f))),
            Err(e) => loaded.errors.push(InputError::at(
                dir,
                None,
                format!("cannot read directory: {e}"),
            )),
        }
    }
    let read: Vec<ReadResult> = listing
        .par_iter()
        .map(|(_, path)| match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    let body = hcl_edit::parser::parse_body(&text);
                    ReadResult::Parsed(text, body)
                }
                Err(_) => ReadResult::NotUtf8,
            },
            Err(e) => ReadResult::Unreadable(e),
        })
        .collect();
    let mut per_dir: Vec<Vec<ParsedFile>> = dirs.iter().map(|_| Vec::new()).collect();
    let mut paths: HashMap<FileId, PathBuf> = HashMap::new();
    for ((d, path), result) in listing.into_iter().zip(read) {
        match result {
            ReadResult::Parsed(text, body) => {
                loaded.files += 1;
                let len = text.len();
                let file = sources.add(path.clone(), text);
                paths.insert(file, path.clone());
                match body {
                    Ok(body) => {
                        if let Some(v) = per_dir.get_mut(d) {
                            v.push(ParsedFile { file, path, body });
                        }
                    }
                    Err(e) => loaded.errors.push(parse_error(&path, file, len, &e)),
                }
            }
            ReadResult::NotUtf8 => {
                loaded.files += 1;
                loaded
                    .errors
                    .push(InputError::at(path, None, "file is not valid UTF-8"));
            }
            ReadResult::Unreadable(e) => {
                loaded
                    .errors
                    .push(InputError::at(path, None, format!("cannot read file: {e}")))
            }
        }
    }

    // 2. Index each directory's declarations.
    let mut index_errors = Vec::new();
    let configs: Vec<ModuleConfig<'_>> = dirs
        .iter()
        .zip(&per_dir)
        .map(|(dir, files)| ModuleConfig::index(dir, files, &mut index_errors))
        .collect();
    loaded.errors.append(&mut index_errors);

    // 3. Root modules: directories no other directory calls as a local module.
    let normalized: Vec<PathBuf> = dirs.iter().map(|d| normalize(d)).collect();
    let mut called: HashSet<usize> = HashSet::new();
    for (caller, cfg) in configs.iter().enumerate() {
        for call in cfg.module_calls.values() {
            let Some(target) = call.source.and_then(|s| local_module_dir(cfg.dir, s)) else {
                continue;
            };
            for (i, n) in normalized.iter().enumerate() {
                if i != caller && *n == target {
                    called.insert(i);
                }
            }
        }
    }

    // 4. Evaluate and map each root module.
    for (i, cfg) in configs.iter().enumerate() {
        if called.contains(&i) {
            continue;
        }
        let (Some(dir), Some(files)) = (dirs.get(i), per_dir.get(i)) else {
            continue;
        };
        if files.is_empty() && !cfg_has_files(&paths, dir) {
            continue;
        }
        let mut var_files = Vec::new();
        let mut var_errors = Vec::new();
        for path in vars::auto_var_files(dir).iter().chain(&options.var_files) {
            if let Some(vf) = vars::read_var_file(sources, path, &mut var_errors) {
                paths.insert(vf.file, path.clone());
                var_files.push(vf);
            }
        }
        loaded.files += var_files.len();
        loaded.errors.append(&mut var_errors);
        let (values, mut errors) = vars::resolve(cfg, &var_files, options, &paths);
        loaded.errors.append(&mut errors);
        let graph = build_graph(cfg, dir, values, &paths, &mut loaded);
        loaded.graphs.push(graph);
    }
    loaded
}

/// True when some file of `dir` was read (even if it did not parse).
fn cfg_has_files(paths: &HashMap<FileId, PathBuf>, dir: &Path) -> bool {
    paths.values().any(|p| p.parent() == Some(dir))
}

fn build_graph(
    cfg: &ModuleConfig<'_>,
    dir: &Path,
    values: HashMap<String, vpclint_graph::Value>,
    paths: &HashMap<FileId, PathBuf>,
    loaded: &mut Loaded,
) -> VpcGraph {
    let ev = Evaluator::new(cfg, String::new(), values, paths);
    let mut graph = VpcGraph::new(dir.display().to_string(), StackKind::Terraform);
    let regions = mapping::Regions::new(&ev);
    mapping::map_module(&ev, &mut graph, &regions);
    graph.finish();
    let diags = ev.diags.into_inner();
    loaded.errors.extend(diags.errors);
    loaded.notes.extend(diags.notes);
    graph
}
