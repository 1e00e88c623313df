//! Reading input files under vpclint's file policy (docs/security.md).
//!
//! vpclint runs on pull requests from strangers, and its output (code frames included) lands
//! in public CI logs. So a file is read only when it is a regular file of bounded size, and,
//! when the tree itself led to it (a symbolic link, a module `source`, a path in
//! `vpclint.toml`, an installed-module directory), only when it resolves inside the
//! [`Boundary`]: the linted roots and the repositories that hold them. A refused file is never
//! opened, so no byte of it can be printed; the error names the path only.

use std::fs::Metadata;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The largest input file vpclint reads (64 MiB). CloudFormation's own limit on a template
/// body is 1 MB, and Terraform configuration files are far smaller; a bigger file is refused
/// before it is read (a sparse file can claim gigabytes at no cost to its author).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Directories whose files are never input, whatever the boundary: kernel and device views
/// that hold the process environment, credentials and endless streams.
const SYSTEM_DIRS: &[&str] = &["/proc", "/sys", "/dev"];

/// Where files the linted tree points at may be: the canonical linted roots and the
/// repository root above each (the nearest ancestor holding `.git`). Without a boundary
/// ([`Boundary::unrestricted`], for library use and tests) only the regular-file, size and
/// system-directory checks apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Boundary {
    /// Canonical directories; `None` means unrestricted.
    allowed: Option<Vec<PathBuf>>,
}

/// Why a file was not read.
#[derive(Debug)]
pub enum Refusal {
    /// The file system said no (missing, permission denied, a loop of links, ...).
    Io(std::io::Error),
    /// It resolves outside the linted roots and their repositories.
    Outside,
    /// It resolves into `/proc`, `/sys` or `/dev`.
    SystemPath,
    /// It is not a regular file (a FIFO, a device, a socket, a directory).
    NotRegular(&'static str),
    /// It is larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Io(e) => write!(f, "{}", describe_io_error(e)),
            Refusal::Outside => f.write_str(
                "resolves outside the linted paths and their repository; vpclint does not \
                 read it (see docs/security.md)",
            ),
            Refusal::SystemPath => f.write_str(
                "resolves into /proc, /sys or /dev; vpclint does not read it (see \
                 docs/security.md)",
            ),
            Refusal::NotRegular(kind) => write!(f, "is {kind}, not a regular file; not read"),
            Refusal::TooLarge(size) => write!(
                f,
                "is {} MiB, over vpclint's limit of {} MiB per file; not read",
                size.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        }
    }
}

impl Boundary {
    /// No boundary: only regular files of bounded size, never system directories.
    pub fn unrestricted() -> Self {
        Boundary { allowed: None }
    }

    /// The boundary around `roots` (files or directories as the user named them): each
    /// root's canonical directory and its repository root. Roots that do not exist add
    /// nothing (discovery reports them).
    pub fn around(roots: &[PathBuf]) -> Self {
        let mut allowed: Vec<PathBuf> = Vec::new();
        for root in roots {
            // A file root stands for the directory it is in, not for where it may link to:
            // pre-commit passes the file names of a commit, links included.
            let dir = if root.is_dir() {
                root.as_path()
            } else {
                match root.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                }
            };
            let Ok(dir) = std::fs::canonicalize(dir) else {
                continue;
            };
            match repository_root(&dir) {
                Some(repository) => allowed.push(repository),
                None => allowed.extend(working_directory_around(&dir)),
            }
            allowed.push(dir);
        }
        allowed.sort();
        allowed.dedup();
        // A directory inside another allowed one adds nothing.
        let mut outer: Vec<PathBuf> = Vec::new();
        for dir in allowed {
            if !outer.iter().any(|o| dir.starts_with(o)) {
                outer.push(dir);
            }
        }
        Boundary {
            allowed: Some(outer),
        }
    }

    /// Whether the boundary restricts anything.
    pub fn is_restricted(&self) -> bool {
        self.allowed.is_some()
    }

    /// Checks a path the tree led to, whatever it is (file or directory): its canonical
    /// form must be inside the boundary and outside the system directories.
    pub fn admits(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let canonical = std::fs::canonicalize(path).map_err(Refusal::Io)?;
        self.admits_canonical(&canonical)?;
        Ok(canonical)
    }

    /// Checks a path that is already canonical.
    pub fn admits_canonical(&self, canonical: &Path) -> Result<(), Refusal> {
        if SYSTEM_DIRS.iter().any(|d| canonical.starts_with(d)) {
            return Err(Refusal::SystemPath);
        }
        match &self.allowed {
            Some(allowed) if !allowed.iter().any(|dir| canonical.starts_with(dir)) => {
                Err(Refusal::Outside)
            }
            _ => Ok(()),
        }
    }

    /// Checks an entry of a directory already admitted (found by walking a root, or listed
    /// in an admitted module directory): only a symbolic link can lead elsewhere, so only
    /// links are resolved (one `lstat` for the rest).
    pub fn admits_entry(&self, path: &Path) -> Result<Metadata, Refusal> {
        let metadata = std::fs::symlink_metadata(path).map_err(Refusal::Io)?;
        if !metadata.file_type().is_symlink() {
            return Ok(metadata);
        }
        self.admits(path)?;
        std::fs::metadata(path).map_err(Refusal::Io)
    }
}

/// Outside a repository (an extracted archive, a container image built without `.git`), the
/// directory vpclint runs in stands for the project when it holds `dir`: `vpclint
/// examples/complete` may then read `../../modules`. Never the file system root or the home
/// directory, which hold far more than a project.
fn working_directory_around(dir: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let cwd = std::fs::canonicalize(cwd).ok()?;
    let home = std::env::var_os("HOME").and_then(|h| std::fs::canonicalize(h).ok());
    (dir.starts_with(&cwd) && cwd.parent().is_some() && Some(&cwd) != home.as_ref()).then_some(cwd)
}

/// The nearest ancestor of `dir` (itself included) that holds `.git` (a directory, or the
/// file of a worktree or submodule).
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Reads an entry of an admitted directory (see [`Boundary::admits_entry`]): a regular file
/// of at most [`MAX_FILE_BYTES`], reached through no link that leaves the boundary.
pub fn read_entry(path: &Path, boundary: &Boundary) -> Result<Vec<u8>, Refusal> {
    let metadata = boundary.admits_entry(path)?;
    read_regular(path, &metadata)
}

/// Reads a file the tree named (a path in `vpclint.toml`, a variables file next to a root
/// module): resolved in full, so it must lie inside the boundary.
pub fn read_named(path: &Path, boundary: &Boundary) -> Result<Vec<u8>, Refusal> {
    let canonical = boundary.admits(path)?;
    let metadata = std::fs::metadata(&canonical).map_err(Refusal::Io)?;
    read_regular(&canonical, &metadata)
}

/// Reads a file the user named on the command line (`--config`, `--baseline`,
/// `--var-file`, ...): trusted as to where it is, but still only a regular file of bounded
/// size, so that `/dev/zero` or a FIFO cannot hang the run or exhaust memory.
pub fn read_given(path: &Path) -> Result<Vec<u8>, Refusal> {
    let metadata = std::fs::metadata(path).map_err(Refusal::Io)?;
    read_regular(path, &metadata)
}

/// [`read_given`] as UTF-8 text; invalid UTF-8 is an `InvalidData` I/O error.
pub fn read_given_string(path: &Path) -> Result<String, Refusal> {
    let bytes = read_given(path)?;
    String::from_utf8(bytes).map_err(|_| {
        Refusal::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "file is not valid UTF-8",
        ))
    })
}

/// Whether a file of this metadata may be read, and what it is if not.
pub fn check_regular(metadata: &Metadata) -> Result<(), Refusal> {
    if !metadata.is_file() {
        return Err(Refusal::NotRegular(kind_of(metadata)));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(metadata.len()));
    }
    Ok(())
}

fn read_regular(path: &Path, metadata: &Metadata) -> Result<Vec<u8>, Refusal> {
    check_regular(metadata)?;
    let file = std::fs::File::open(path).map_err(Refusal::Io)?;
    // The length is checked again while reading: a file can grow after `stat`, and some
    // files report a size of 0 whatever they hold.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// "a FIFO", "a directory", ... for a file that is not a regular file.
pub fn kind_of(metadata: &Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// A short, stable description of an I/O error (no OS error numbers).
pub fn describe_io_error(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ if err.raw_os_error() == Some(40) => {
            // ELOOP on Linux: a chain of symbolic links that never ends.
            "too many levels of symbolic links".to_owned()
        }
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_directories_are_refused_even_without_a_boundary() {
        let unrestricted = Boundary::unrestricted();
        assert!(matches!(
            unrestricted.admits_canonical(Path::new("/proc/self/environ")),
            Err(Refusal::SystemPath)
        ));
        assert!(unrestricted
            .admits_canonical(Path::new("/srv/infra/main.tf"))
            .is_ok());
    }

    #[test]
    fn a_boundary_admits_only_what_is_inside_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("infra");
        std::fs::create_dir_all(&root).expect("mkdir");
        let boundary = Boundary::around(std::slice::from_ref(&root));
        let canonical = std::fs::canonicalize(&root).expect("canonical");
        assert!(boundary.admits_canonical(&canonical.join("a.tf")).is_ok());
        assert!(matches!(
            boundary.admits_canonical(Path::new("/etc/passwd")),
            Err(Refusal::Outside)
        ));
        // Without a repository (and run from elsewhere), the parent of the root is outside.
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|d| std::fs::canonicalize(d).ok());
        if repository_root(&canonical).is_none() && cwd.is_some_and(|c| !canonical.starts_with(c)) {
            assert!(matches!(
                boundary.admits_canonical(&canonical.with_file_name("other.tf")),
                Err(Refusal::Outside)
            ));
        }
    }

    #[test]
    fn a_repository_widens_the_boundary_to_its_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".git")).expect("mkdir");
        let root = dir.path().join("live/prod");
        std::fs::create_dir_all(&root).expect("mkdir");
        let boundary = Boundary::around(&[root]);
        let repository = std::fs::canonicalize(dir.path()).expect("canonical");
        assert!(boundary
            .admits_canonical(&repository.join("modules/vpc/main.tf"))
            .is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_boundary_fifos_and_big_files_are_not_read() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("infra");
        std::fs::create_dir_all(&root).expect("mkdir");
        let outside = dir.path().join("secret.txt");
        std::fs::write(&outside, "TOKEN=hunter2\n").expect("write");
        symlink(&outside, root.join("env.tf")).expect("symlink");
        std::fs::write(root.join("ok.tf"), "locals {}\n").expect("write");
        symlink(root.join("ok.tf"), root.join("alias.tf")).expect("symlink");
        let boundary = Boundary::around(std::slice::from_ref(&root));

        assert!(matches!(
            read_entry(&root.join("env.tf"), &boundary),
            Err(Refusal::Outside)
        ));
        assert_eq!(
            read_entry(&root.join("alias.tf"), &boundary).expect("inside"),
            b"locals {}\n"
        );
        assert!(matches!(
            read_named(&root.join("env.tf"), &boundary),
            Err(Refusal::Outside)
        ));

        let sparse = root.join("sparse.yaml");
        let file = std::fs::File::create(&sparse).expect("create");
        file.set_len(MAX_FILE_BYTES + 1).expect("set_len");
        assert!(matches!(
            read_entry(&sparse, &boundary),
            Err(Refusal::TooLarge(_))
        ));
        assert!(matches!(
            read_given(Path::new("/dev/zero")),
            Err(Refusal::NotRegular("a character device"))
        ));
    }
}
