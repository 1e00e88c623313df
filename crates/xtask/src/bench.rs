//! `cargo xtask bench`: release build, synthetic corpora, timings, memory, and a check that
//! vpclint finds exactly the seeded defects.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::corpus::{self, CorpusOptions, Format};
use crate::parse_only;

pub struct BenchOptions {
    pub runs: usize,
    pub sizes: Vec<usize>,
    pub formats: Vec<Format>,
    pub vpclint: Option<PathBuf>,
    pub dir: Option<PathBuf>,
}

/// Defect rate of the benchmark corpora: enough seeded findings to check, few enough
/// that the corpus stays representative of a mostly-clean repository.
const DEFECT_RATE: f64 = 0.01;
const SEED: u64 = 7;

/// One child run, from `wait4`.
#[derive(Clone, Copy, Debug)]
struct ChildUsage {
    wall: f64,
    cpu: f64,
    max_rss_kib: i64,
    status: i32,
}

pub fn run(options: &BenchOptions) -> Result<(), String> {
    let root = workspace_root();
    let (built_vpclint, xtask) = build_release(&root, options.vpclint.is_none())?;
    let vpclint = options.vpclint.clone().unwrap_or(built_vpclint);
    let temp;
    let dir = match &options.dir {
        Some(dir) => dir.clone(),
        None => {
            temp = TempDir::new()?;
            temp.0.clone()
        }
    };
    println!("vpclint: {}", vpclint.display());
    println!("machine: {}", machine());
    println!(
        "{:<15} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>10} {:>7}  seeded findings",
        "format",
        "VPCs",
        "MB",
        "wall s",
        "best s",
        "user+sys",
        "RSS MB",
        "parse1 s",
        "wall/parse",
        "files"
    );
    let mut walls: Vec<(Format, usize, f64)> = Vec::new();
    let mut all_ok = true;
    for &vpcs in &options.sizes {
        let out = dir.join(format!("vpcs_{vpcs}"));
        corpus::generate(&CorpusOptions {
            vpcs,
            out: out.clone(),
            formats: options.formats.clone(),
            defect_rate: DEFECT_RATE,
            seed: SEED,
        })?;
        let expected = read_expected(&out.join("expected.json"))?;
        for &format in &options.formats {
            let tree = out.join(format.dir_name());
            let files = parse_only::candidate_files(&tree).map_err(|e| e.to_string())?;
            let bytes: u64 = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum();
            // Warm the page cache, and check the findings.
            let check = check_findings(&vpclint, &tree, format, &expected)?;
            all_ok &= check.ok;
            // The yardstick runs as a release process too, whichever profile runs `bench`.
            // Runs alternate with it so that a machine whose speed drifts (shared cores)
            // slows both sides of the ratio alike.
            let mut parse = Vec::new();
            let mut usage = Vec::new();
            for _ in 0..options.runs {
                parse.push(run_parse_only(&xtask, &tree)?.wall);
                usage.push(run_child(&vpclint, &tree)?);
            }
            if let Some(bad) = usage.iter().find(|u| u.status > 1 || u.status < 0) {
                all_ok = false;
                println!(
                    "vpclint exited with status {} on {}",
                    bad.status,
                    tree.display()
                );
            }
            let wall = median(usage.iter().map(|u| u.wall).collect());
            let best = usage.iter().map(|u| u.wall).fold(f64::INFINITY, f64::min);
            let cpu = median(usage.iter().map(|u| u.cpu).collect());
            let rss = usage.iter().map(|u| u.max_rss_kib).max().unwrap_or(0) as f64 / 1024.0;
            let parse = median(parse);
            walls.push((format, vpcs, wall));
            println!(
                "{:<15} {:>6} {:>9.1} {:>9.3} {:>9.3} {:>9.3} {:>9.1} {:>8.3} {:>10.2} {:>7}  {}",
                format.dir_name(),
                vpcs,
                bytes as f64 / 1e6,
                wall,
                best,
                cpu,
                rss,
                parse,
                wall / parse,
                files.len(),
                check.summary
            );
        }
    }
    for &format in &options.formats {
        let of = |n: usize| {
            walls
                .iter()
                .find(|(f, v, _)| *f == format && *v == n)
                .map(|w| w.2)
        };
        if let (Some(small), Some(big)) = (
            options.sizes.first().and_then(|&n| of(n)),
            options.sizes.last().and_then(|&n| of(n)),
        ) {
            if options.sizes.len() > 1 {
                println!(
                    "{}: time({})/time({}) = {:.2}",
                    format.dir_name(),
                    options.sizes.last().copied().unwrap_or(0),
                    options.sizes.first().copied().unwrap_or(0),
                    big / small
                );
            }
        }
    }
    if all_ok {
        Ok(())
    } else {
        Err("seeded findings differ from vpclint's (see above)".into())
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Builds vpclint and xtask (for the parse-only yardstick) in release; returns both paths.
fn build_release(root: &Path, with_vpclint: bool) -> Result<(PathBuf, PathBuf), String> {
    eprintln!("building release binaries...");
    let mut args = vec!["build", "--release", "--package", "xtask"];
    if with_vpclint {
        args.extend(["--package", "vpclint"]);
    }
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    let release = target.join("release");
    Ok((release.join("vpclint"), release.join("xtask")))
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpus} CPUs, {model}")
}

/// Runs `vpclint --format json .` in `tree` with output to /dev/null.
fn run_child(vpclint: &Path, tree: &Path) -> Result<ChildUsage, String> {
    let start = Instant::now();
    let child = Command::new(vpclint)
        .args(["--format", "json", "."])
        .current_dir(tree)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", vpclint.display()))?;
    let (status, usage) = wait4(child.id())?;
    let wall = start.elapsed().as_secs_f64();
    Ok(ChildUsage {
        wall,
        cpu: usage.0,
        max_rss_kib: usage.1,
        status,
    })
}

/// Runs `xtask parse-only DIR` (release): the single-thread parse of the same files.
fn run_parse_only(xtask: &Path, tree: &Path) -> Result<ChildUsage, String> {
    let start = Instant::now();
    let child = Command::new(xtask)
        .arg("parse-only")
        .arg(tree)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", xtask.display()))?;
    let (status, usage) = wait4(child.id())?;
    if status != 0 {
        return Err(format!("xtask parse-only {} failed", tree.display()));
    }
    Ok(ChildUsage {
        wall: start.elapsed().as_secs_f64(),
        cpu: usage.0,
        max_rss_kib: usage.1,
        status,
    })
}

/// Waits for `pid` and returns its exit status and (user+sys seconds, peak RSS in KiB).
#[allow(unsafe_code)]
fn wait4(pid: u32) -> Result<(i32, (f64, i64)), String> {
    let pid = libc::pid_t::try_from(pid).map_err(|e| e.to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data that wait4 fills in; all-zero bytes are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `usage` are valid, exclusive pointers for the duration of the call;
    // `pid` is our own child, not yet reaped (std's `Child` was not waited on).
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if reaped != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((
        code,
        (secs(usage.ru_utime) + secs(usage.ru_stime), usage.ru_maxrss),
    ))
}

type Key = (String, String, String);

fn read_expected(path: &Path) -> Result<Vec<(String, Key)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let list: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let field = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    Ok(list
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|v| {
                    (
                        field(v, "format"),
                        (field(v, "rule"), field(v, "resource"), field(v, "file")),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

struct Check {
    ok: bool,
    summary: String,
}

/// Runs vpclint once, capturing JSON, and compares its findings with the seeded ones.
fn check_findings(
    vpclint: &Path,
    tree: &Path,
    format: Format,
    expected: &[(String, Key)],
) -> Result<Check, String> {
    let output = Command::new(vpclint)
        .args(["--format", "json", "."])
        .current_dir(tree)
        .output()
        .map_err(|e| format!("{}: {e}", vpclint.display()))?;
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("vpclint output is not JSON: {e}"))?;
    let errors = json
        .get("errors")
        .and_then(|e| e.as_array())
        .map_or(0, Vec::len);
    let found: BTreeSet<Key> = json
        .get("findings")
        .and_then(|f| f.as_array())
        .map(|list| {
            list.iter()
                .map(|f| {
                    let s = |k: &str| {
                        f.get(k)
                            .and_then(|x| x.as_str())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    (s("rule"), s("resource"), s("file"))
                })
                .collect()
        })
        .unwrap_or_default();
    let wanted: BTreeSet<Key> = expected
        .iter()
        .filter(|(f, _)| f == format.dir_name())
        .map(|(_, k)| k.clone())
        .collect();
    let missing: Vec<&Key> = wanted.difference(&found).collect();
    let noisy: Vec<&Key> = found.difference(&wanted).collect();
    let ok = missing.is_empty() && noisy.is_empty() && errors == 0;
    let mut summary = format!(
        "{}/{} found, {} extra, {} errors",
        wanted.len() - missing.len(),
        wanted.len(),
        noisy.len(),
        errors
    );
    for (label, list) in [("Missing", &missing), ("Noisy", &noisy)] {
        for key in list.iter().take(5) {
            summary.push_str(&format!("\n    {label}: {} {} ({})", key.0, key.1, key.2));
        }
    }
    if errors > 0 {
        if let Some(first) = json
            .get("errors")
            .and_then(|e| e.as_array())
            .and_then(|e| e.first())
        {
            summary.push_str(&format!("\n    first error: {first}"));
        }
    }
    Ok(Check { ok, summary })
}

/// A temporary directory removed on drop (no dependency needed for one directory).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let base = std::env::temp_dir().join(format!("vpclint-bench-{}", std::process::id()));
        std::fs::create_dir_all(&base).map_err(|e| corpus::io(&base, e))?;
        Ok(TempDir(base))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
