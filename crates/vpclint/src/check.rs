//! The lint command: configuration → discovery → front ends → engine → suppressions →
//! baseline → renderer → exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use vpclint_graph::InputError;
use vpclint_linter::{RuleSelection, Severity};
use vpclint_terraform::VarInput;

use crate::analysis::{load, LoadOptions, PathDisplay};
use crate::baseline::{self, Baseline};
use crate::cli::{LintArgs, OutputFormat};
use crate::config::{self, Config};
use crate::discover::{discover, Discovered};
use crate::render::text::printable;
use crate::render::{github, human, json, junit, sarif, Report};
use crate::stats::Stats;
use crate::suppress::{unused_metadata_ignores, Suppressions, UnusedIgnore};
use crate::{print_stderr, print_stdout, use_color, EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE};

/// Runs `vpclint [PATH]...`. `load_options` are the command line's evaluation inputs;
/// the configuration's come before them (the command line wins).
pub fn lint(args: &LintArgs, load_options: LoadOptions) -> u8 {
    let started = Instant::now();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (config, refused_config) = match config::find_and_load(args.config.as_deref(), &paths) {
        Ok(found) => found,
        Err(err) => {
            print_stderr(&err.to_string());
            return EXIT_TROUBLE;
        }
    };
    let mut config = config.unwrap_or_default();

    let selection = selection(args, &config);
    let unknown = selection.unknown_selectors();
    if !unknown.is_empty() {
        let list = unknown
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        print_stderr(&format!(
            "error: unknown rule selector {list}: expected a rule ID (VPC103), name \
             (peering-missing-return-route), ID prefix (VPC1) or ALL; `vpclint rules` lists them"
        ));
        return EXIT_TROUBLE;
    }
    let baseline = match args.baseline.as_deref().map(Baseline::read).transpose() {
        Ok(baseline) => baseline,
        Err(err) => {
            print_stderr(&err.to_string());
            return EXIT_TROUBLE;
        }
    };

    let mut discovered = discover(&paths);
    discovered.errors.extend(refused_config);
    admit_config_files(&mut config, &mut discovered);
    discovered
        .terraform_dirs
        .retain(|dir| !config.excludes(dir));
    discovered
        .cloudformation_files
        .retain(|file| !config.excludes(file));
    let mut stats = Stats::default();
    stats.phase("config + discover", started);
    let owner = FreedInBackground(Some(load(discovered, &merge(&config, load_options))));
    let Some(analysis) = owner.0.as_ref() else {
        return EXIT_TROUBLE;
    };
    stats.extend(analysis.phases.iter().cloned());
    let phase_start = Instant::now();

    let enabled = selection.enabled();
    let linted = vpclint_linter::lint_all(&analysis.graphs, &enabled, &analysis.sources);
    let phase_start = stats.phase("rules", phase_start);
    let mut suppressions = Suppressions::scan(&analysis.sources);
    let findings = suppressions.apply(linted.findings, &analysis.sources);
    let unused: Vec<UnusedIgnore> = if args.warn_unused_ignores {
        let mut unused = suppressions.unused(&enabled);
        unused.extend(unused_metadata_ignores(
            &analysis.graphs,
            &linted.suppressed,
            &enabled,
            &analysis.sources,
        ));
        unused.sort_by_key(|u| {
            let path = analysis
                .sources
                .get(u.span.file)
                .map(|f| f.display_path())
                .unwrap_or_default();
            (path, u.span.start, u.message.clone())
        });
        unused
    } else {
        Vec::new()
    };
    let path_display = PathDisplay::default();
    let phase_start = stats.phase("suppressions", phase_start);

    if let Some(path) = &args.write_baseline {
        if let Err(err) = baseline::write(path, &findings, &analysis.sources, &path_display) {
            print_stderr(&format!(
                "error: cannot write baseline {}: {err}",
                path.display()
            ));
            return EXIT_TROUBLE;
        }
        print_stderr(&format!(
            "wrote {} to the baseline {}",
            plural(findings.len(), "finding"),
            path.display()
        ));
        return if analysis.errors.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_TROUBLE
        };
    }
    let (findings, baselined) = match &baseline {
        Some(baseline) => baseline.filter(findings, &analysis.sources),
        None => (findings, 0),
    };

    let report = Report {
        sources: &analysis.sources,
        findings: &findings,
        errors: &analysis.errors,
        notes: &analysis.notes,
        summary: analysis.summary(&findings),
        paths: &path_display,
    };
    let human_output = |color: bool, to_terminal: bool| {
        human::render_cli(
            &report,
            human::HumanStyle {
                color,
                ..human::HumanStyle::default()
            },
            &human::CliOptions {
                group_by_file: true,
                quiet: args.quiet,
                // Timing only on a terminal: piped output stays byte-for-byte reproducible.
                elapsed: to_terminal.then(|| started.elapsed()),
                unused_ignores: &unused,
                baselined,
            },
        )
    };
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let machine = match args.format {
        OutputFormat::Human => None,
        OutputFormat::Json => Some(json::render(&report)),
        OutputFormat::Sarif => Some(sarif::render(&report, &unused)),
        OutputFormat::Github => Some(github::render(&report, &unused)),
        OutputFormat::Junit => Some(junit::render(&report, &unused)),
    };
    // Output that cannot be written is lost: trouble, whatever the findings.
    let written = match (&args.output, machine) {
        (Some(path), machine) => {
            let text = machine.unwrap_or_else(|| human_output(false, false));
            if let Err(err) = std::fs::write(path, text) {
                print_stderr(&format!(
                    "error: cannot write {}: {err}",
                    printable(&path.display().to_string())
                ));
                return EXIT_TROUBLE;
            }
            print_stdout(&human_output(use_color(args.color), stdout_is_terminal))
        }
        (None, Some(text)) => {
            let written = print_stdout(&text);
            // JSON has no place for them; say it where people look.
            if args.format == OutputFormat::Json {
                for u in &unused {
                    if let Some(loc) = report.locate(u.span) {
                        print_stderr(&format!(
                            "warning: {}:{}:{}: {}",
                            printable(&loc.file),
                            loc.line,
                            loc.column,
                            printable(&u.message)
                        ));
                    }
                }
            }
            written
        }
        (None, None) => print_stdout(&human_output(use_color(args.color), stdout_is_terminal)),
    };
    if !written {
        return EXIT_TROUBLE;
    }

    if args.stats {
        stats.phase("render + write", phase_start);
        print_stderr(stats.render(started.elapsed(), &report.summary).trim_end());
    }

    let threshold = args
        .fail_on
        .map(|f| f.threshold())
        .or(config.fail_on)
        .unwrap_or(Severity::Warning);
    if !analysis.errors.is_empty() {
        EXIT_TROUBLE
    } else if findings.iter().any(|f| f.severity >= threshold)
        || (!unused.is_empty() && Severity::Warning >= threshold)
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// The command line's selectors replace the configuration's `select`; `ignore` lists add up.
fn selection(args: &LintArgs, config: &Config) -> RuleSelection {
    let select = if args.select.is_empty() {
        config.select.clone().unwrap_or_default()
    } else {
        args.select.clone()
    };
    let mut ignore = config.ignore.clone();
    ignore.extend(args.ignore.iter().cloned());
    RuleSelection {
        select,
        ignore,
        severity: config.severity.clone(),
        options: config.options.clone(),
    }
}

/// The configuration's evaluation inputs first, the command line's after them (later wins).
/// The files `vpclint.toml` names come from the tree, not from the command line: like any
/// file the tree leads to, they are read only inside the linted paths and their repository
/// (docs/security.md). The others are dropped and reported, naming the path only.
fn admit_config_files(config: &mut Config, discovered: &mut Discovered) {
    let boundary = &discovered.boundary;
    let errors = &mut discovered.errors;
    let mut admit = |path: &PathBuf, what: &str| match boundary.admits(path) {
        Ok(_) => true,
        // A missing file is reported by the front end that reads it.
        Err(vpclint_graph::files::Refusal::Io(_)) => true,
        Err(refusal) => {
            errors.push(InputError::at(
                path,
                None,
                format!("{what} named in the configuration {refusal}"),
            ));
            false
        }
    };
    config.var_files.retain(|p| admit(p, "variables file"));
    config
        .parameter_files
        .retain(|p| admit(p, "parameter file"));
}

fn merge(config: &Config, mut options: LoadOptions) -> LoadOptions {
    // The configuration's variables files, then its variables, then the command line's
    // `--var`/`--var-file` in their own order.
    let tf = &mut options.terraform;
    tf.inputs = config
        .var_files
        .iter()
        .map(|path| VarInput::File(path.clone()))
        .chain(
            config
                .vars
                .iter()
                .map(|(name, value)| VarInput::Var(name.clone(), value.clone())),
        )
        .chain(tf.inputs.drain(..))
        .collect();
    let cfn = &mut options.cloudformation;
    cfn.parameters = config
        .parameters
        .iter()
        .cloned()
        .chain(cfn.parameters.drain(..))
        .collect();
    cfn.parameter_files = config
        .parameter_files
        .iter()
        .cloned()
        .chain(cfn.parameter_files.drain(..))
        .collect();
    if cfn.region.is_none() {
        cfn.region.clone_from(&config.region);
    }
    options
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Frees what it holds on a detached thread. A run's graphs and sources are hundreds of
/// thousands of small allocations; freeing them on the main thread after the output is
/// written took ~5% of a 10,000-VPC run, and the process usually exits right after.
struct FreedInBackground<T: Send + 'static>(Option<T>);

impl<T: Send + 'static> Drop for FreedInBackground<T> {
    fn drop(&mut self) {
        if let Some(value) = self.0.take() {
            // If no thread can be started, the closure (and the value) is dropped here.
            let _ = std::thread::Builder::new().spawn(move || drop(value));
        }
    }
}
