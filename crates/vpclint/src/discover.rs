//! Finds the files to lint and routes them to the front ends.
//!
//! Directories are walked with the `ignore` crate (the walker ripgrep uses): `.gitignore`,
//! `.git/info/exclude` and `.ignore` are honoured even outside a git repository, hidden
//! entries (`.terraform/`, `.git/`) and `node_modules/` are skipped, symbolic links are
//! followed only while they stay inside the linted paths and their repository (the file
//! policy, docs/security.md) and loops among them are reported instead of followed forever.
//! `cdk.out/` is deliberately *not* skipped: CDK output is plain CloudFormation.
//!
//! The same file reached twice (a root named twice, relatively and absolutely, a root
//! inside another, a link to another part of the tree) is linted once, under the name it
//! was first found by.

use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use vpclint_graph::files::{self, Boundary};
use vpclint_graph::InputError;

/// Directory names never descended into (below the paths the user gave).
const SKIPPED_DIRS: &[&str] = &["node_modules", ".terraform"];

/// What discovery found: inputs for each front end, in a deterministic (sorted) order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Discovered {
    /// Directories holding `.tf` / `.tf.json` files (the Terraform front end works per module directory).
    pub terraform_dirs: Vec<PathBuf>,
    /// Candidate CloudFormation templates; the front end skips non-templates by content.
    pub cloudformation_files: Vec<PathBuf>,
    /// Paths that do not exist, cannot be read, loop, or are refused by the file policy.
    pub errors: Vec<InputError>,
    /// Where files the tree leads to may be (the linted paths and their repositories).
    pub boundary: Boundary,
}

/// Which front end a file name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Terraform,
    CloudFormation,
    Other,
}

/// Classifies a file by its name alone.
pub fn classify(file_name: &str) -> FileKind {
    let name = file_name.to_ascii_lowercase();
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        FileKind::Terraform
    } else if name.ends_with(".tfvars.json") {
        // Variable files are read by the Terraform front end when it loads their module.
        FileKind::Other
    } else if [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        FileKind::CloudFormation
    } else {
        FileKind::Other
    }
}

/// Walks `paths` (files or directories) and sorts what it finds by front end.
///
/// A file given explicitly is always linted, even when it is ignored: a Terraform file
/// (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`) stands for its directory (its module), any
/// other file is offered to CloudFormation. That is what makes file lists from pre-commit
/// work: rules span files, so a changed `.tf` file gets its whole module linted.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let boundary = Boundary::around(paths);
    let mut errors = Vec::new();
    // Per root, in the order given: what it holds.
    let mut found: Vec<(BTreeSet<PathBuf>, BTreeSet<PathBuf>)> = Vec::new();
    let followed_links = AtomicBool::new(false);
    let mut roots_seen = HashSet::new();

    for given in paths {
        let path = normalize(given);
        // The same root named twice (`.`, `./`, its absolute path, a link to it) is walked once.
        if !roots_seen.insert(canonical_or_same(&path)) {
            continue;
        }
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(err) => {
                errors.push(InputError::at(&path, None, describe_io_error(&err)));
                continue;
            }
        };
        let mut terraform_dirs = BTreeSet::new();
        let mut cloudformation_files = BTreeSet::new();
        if !metadata.is_file() && !metadata.is_dir() {
            errors.push(InputError::at(
                &path,
                None,
                format!(
                    "is {}, not a regular file; not read",
                    files::kind_of(&metadata)
                ),
            ));
            continue;
        }
        if metadata.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let lower = name.to_ascii_lowercase();
            // A changed variable file (pre-commit passes file names) stands for its module too.
            if classify(&name) == FileKind::Terraform
                || lower.ends_with(".tfvars")
                || lower.ends_with(".tfvars.json")
            {
                terraform_dirs.insert(parent_dir(&path));
            } else {
                cloudformation_files.insert(path);
            }
        } else {
            walk_directory(
                &path,
                &boundary,
                &followed_links,
                &mut terraform_dirs,
                &mut cloudformation_files,
                &mut errors,
            );
        }
        found.push((terraform_dirs, cloudformation_files));
    }

    // Several roots, or links, can reach one file by several names: keep one, the first
    // reached without a link if there is one. Only then is every path resolved (a few
    // system calls per file).
    let may_repeat = found.len() > 1 || followed_links.load(Ordering::Relaxed);
    let (terraform_dirs, cloudformation_files) = if may_repeat {
        let (dirs, templates): (Vec<_>, Vec<_>) = found.into_iter().unzip();
        (one_name_each(dirs), one_name_each(templates))
    } else {
        found.into_iter().next().unwrap_or_default()
    };

    for error in &mut errors {
        error.path = normalize(&error.path);
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    errors.dedup();
    Discovered {
        terraform_dirs: terraform_dirs.into_iter().collect(),
        cloudformation_files: cloudformation_files.into_iter().collect(),
        errors,
        boundary,
    }
}

/// The paths of `per_root` (in root order), one per canonical path: the first one reached
/// without a symbolic link, else the first one.
fn one_name_each(per_root: Vec<BTreeSet<PathBuf>>) -> BTreeSet<PathBuf> {
    let mut chosen: std::collections::HashMap<PathBuf, (PathBuf, bool)> =
        std::collections::HashMap::new();
    for path in per_root.into_iter().flatten() {
        let canonical = canonical_or_same(&path);
        let direct = std::path::absolute(&path).is_ok_and(|a| normalize(&a) == canonical);
        match chosen.entry(canonical) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((path, direct));
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                if direct && !slot.get().1 {
                    slot.insert((path, direct));
                }
            }
        }
    }
    chosen.into_values().map(|(path, _)| path).collect()
}

/// The canonical form of a path, or the path itself when it cannot be resolved (the front
/// end reports why when it reads it).
fn canonical_or_same(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn walk_directory(
    root: &Path,
    boundary: &Boundary,
    followed_links: &AtomicBool,
    terraform_dirs: &mut BTreeSet<PathBuf>,
    cloudformation_files: &mut BTreeSet<PathBuf>,
    errors: &mut Vec<InputError>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        // The user's global excludes file would make results depend on the machine.
        .git_global(false)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            // Never filter the roots the user named, only what is found below them.
            entry.depth() == 0
                || !is_dir
                || !SKIPPED_DIRS.contains(&entry.file_name().to_string_lossy().as_ref())
        })
        // Directories are listed on several threads (`ignore` picks how many from the
        // machine): on a 10,000-directory tree the walk was the longest step that ran on
        // one thread. The results are sets, so the order of the walk does not matter.
        .threads(0)
        .build_parallel();

    let found = std::sync::Mutex::new((terraform_dirs, cloudformation_files, errors));
    walker.run(|| {
        Box::new(|result| {
            let found_one = match result {
                // A linked directory is entered only inside the boundary (a linked file is
                // checked by the front end that reads it, which reports it once).
                Ok(entry)
                    if entry.path_is_symlink()
                        && entry.depth() > 0
                        && entry.file_type().is_some_and(|t| t.is_dir()) =>
                {
                    followed_links.store(true, Ordering::Relaxed);
                    match boundary.admits(entry.path()) {
                        Ok(_) => return ignore::WalkState::Continue,
                        Err(refusal) => {
                            let error = InputError::at(
                                entry.path(),
                                None,
                                format!("symbolic link {refusal}"),
                            );
                            let mut guard = found.lock().unwrap_or_else(|p| p.into_inner());
                            guard.2.push(error);
                            return ignore::WalkState::Skip;
                        }
                    }
                }
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    if entry.path_is_symlink() {
                        followed_links.store(true, Ordering::Relaxed);
                    }
                    match classify(&entry.file_name().to_string_lossy()) {
                        FileKind::Terraform => Found::TerraformDir(parent_dir(entry.path())),
                        FileKind::CloudFormation => {
                            Found::CloudFormationFile(entry.path().to_path_buf())
                        }
                        FileKind::Other => return ignore::WalkState::Continue,
                    }
                }
                // A FIFO, device or socket with a name the front ends read: never opened (a
                // FIFO would block the run), but said, so that it is not taken for linted.
                Ok(entry)
                    if !entry.file_type().is_some_and(|t| t.is_dir())
                        && classify(&entry.file_name().to_string_lossy()) != FileKind::Other =>
                {
                    let kind = entry
                        .metadata()
                        .map_or("not a regular file", |m| files::kind_of(&m));
                    Found::Error(InputError::at(
                        entry.path(),
                        None,
                        format!("is {kind}, not a regular file; not read"),
                    ))
                }
                Ok(_) => return ignore::WalkState::Continue,
                Err(err) => {
                    let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                    Found::Error(InputError::at(path, None, describe_walk_error(&err)))
                }
            };
            // A poisoned lock only means another callback panicked; its data is intact.
            let mut guard = found.lock().unwrap_or_else(|p| p.into_inner());
            let (terraform_dirs, cloudformation_files, errors) = &mut *guard;
            match found_one {
                Found::TerraformDir(dir) => {
                    terraform_dirs.insert(dir);
                }
                Found::CloudFormationFile(file) => {
                    cloudformation_files.insert(file);
                }
                Found::Error(error) => errors.push(error),
            }
            ignore::WalkState::Continue
        })
    });
}

/// One thing the walk found.
enum Found {
    TerraformDir(PathBuf),
    CloudFormationFile(PathBuf),
    Error(InputError),
}

/// Drops `.` components so `./infra` and `infra` are the same input (the path is otherwise
/// kept as given, so output stays relative to what the user typed).
fn normalize(path: &Path) -> PathBuf {
    let normalized: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if normalized.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normalized
    }
}

fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn describe_io_error(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => format!("cannot read: {err}"),
    }
}

/// The path an error from the walker is about, when it names one.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

fn describe_walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Loop { ancestor, .. } => format!(
            "symbolic link loop: this link points back to its ancestor {}; not followed",
            ancestor.display()
        ),
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            describe_walk_error(err)
        }
        ignore::Error::Io(io) => describe_io_error(io),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_file_name() {
        assert_eq!(classify("main.tf"), FileKind::Terraform);
        assert_eq!(classify("main.tf.json"), FileKind::Terraform);
        assert_eq!(classify("prod.tfvars.json"), FileKind::Other);
        assert_eq!(classify("terraform.tfvars"), FileKind::Other);
        assert_eq!(classify("network.cfn.yaml"), FileKind::CloudFormation);
        assert_eq!(classify("Stack.template.json"), FileKind::CloudFormation);
        assert_eq!(classify("vpc.template"), FileKind::CloudFormation);
        assert_eq!(classify("package.json"), FileKind::CloudFormation);
        assert_eq!(classify("README.md"), FileKind::Other);
    }

    #[test]
    fn normalize_drops_current_dir_components() {
        assert_eq!(
            normalize(Path::new("./infra/./net")),
            PathBuf::from("infra/net")
        );
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
        assert_eq!(parent_dir(Path::new("main.tf")), PathBuf::from("."));
    }
}
