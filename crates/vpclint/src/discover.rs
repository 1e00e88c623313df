//! Finds the files to lint and routes them to the front ends.
//!
//! Directories are walked with the `ignore` crate (the walker ripgrep uses): `.gitignore`,
//! `.git/info/exclude` and `.ignore` are honoured even outside a git repository, hidden
//! entries (`.terraform/`, `.git/`) and `node_modules/` are skipped, symbolic links are
//! followed and loops among them are reported instead of followed forever. `cdk.out/` is
//! deliberately *not* skipped: CDK output is plain CloudFormation.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

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
    /// Paths that do not exist, cannot be read, or loop.
    pub errors: Vec<InputError>,
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
    let mut terraform_dirs = BTreeSet::new();
    let mut cloudformation_files = BTreeSet::new();
    let mut errors = Vec::new();

    for given in paths {
        let path = normalize(given);
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(err) => {
                errors.push(InputError::at(&path, None, describe_io_error(&err)));
                continue;
            }
        };
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
            continue;
        }
        walk_directory(
            &path,
            &mut terraform_dirs,
            &mut cloudformation_files,
            &mut errors,
        );
    }

    errors.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
    errors.dedup();
    Discovered {
        terraform_dirs: terraform_dirs.into_iter().collect(),
        cloudformation_files: cloudformation_files.into_iter().collect(),
        errors,
    }
}

fn walk_directory(
    root: &Path,
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
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    match classify(&entry.file_name().to_string_lossy()) {
                        FileKind::Terraform => Found::TerraformDir(parent_dir(entry.path())),
                        FileKind::CloudFormation => {
                            Found::CloudFormationFile(entry.path().to_path_buf())
                        }
                        FileKind::Other => return ignore::WalkState::Continue,
                    }
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
