//! The vpclint command line: discovery, front ends, engine, renderers.
//!
//! `main.rs` only calls [`run`]; the modules are public so the rule-fixture harness and the
//! documentation generator load and render exactly the way the binary does.

pub mod analysis;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod docs;
pub mod fixture;
pub mod graph_json;
pub mod render;
pub mod stats;
pub mod suppress;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches};
use vpclint_cloudformation::CloudFormationOptions;
use vpclint_linter::{find_rule, RULES};
use vpclint_terraform::TerraformOptions;

use crate::analysis::{load, LoadOptions, PathDisplay};
use crate::cli::{Cli, ColorChoice, Command, Format, InputArgs, LintArgs};
use crate::discover::discover;

/// Exit status: nothing at or above `--fail-on`.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: vpclint could not do its job (bad arguments, unreadable or unparsable input).
pub const EXIT_TROUBLE: u8 = 2;

/// Parses `args` (including the program name) and runs the command.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    // Parsed in two steps: the `ArgMatches` also know the order of the flags, which
    // decides between `--var` and `--var-file`.
    let parsed = Cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(err) => {
            // `--help` and `--version` come through here too and are not failures.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_TROUBLE
            } else {
                EXIT_CLEAN
            });
        }
    };
    let status = match cli.command {
        None => lint(&cli.lint, &matches),
        Some(Command::Rules { format }) => rules(format),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Graph {
            paths,
            format: _,
            inputs,
        }) => {
            let sub = matches.subcommand_matches("graph").unwrap_or(&matches);
            graph(&paths, &inputs, sub)
        }
    };
    ExitCode::from(status)
}

fn lint(args: &LintArgs, matches: &ArgMatches) -> u8 {
    check::lint(args, load_options(&args.inputs, matches))
}

fn rules(format: Format) -> u8 {
    let output = match format {
        Format::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|rule| {
                    let meta = rule.meta();
                    serde_json::json!({
                        "id": meta.id,
                        "name": meta.name,
                        "severity": meta.default_severity,
                        "category": meta.category,
                        "summary": meta.summary(),
                        "docs_url": meta.docs_url(),
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&rules).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Human => rules_table(),
    };
    if print_stdout(&output) {
        EXIT_CLEAN
    } else {
        EXIT_TROUBLE
    }
}

/// The catalog as an aligned plain-text table.
fn rules_table() -> String {
    let rows: Vec<[&str; 4]> = RULES
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            [
                meta.id,
                meta.name,
                meta.default_severity.as_str(),
                meta.summary(),
            ]
        })
        .collect();
    let header = ["ID", "NAME", "SEVERITY", "SUMMARY"];
    let widths: Vec<usize> = (0..3)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].len())
                .chain([header[column].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn explain(rule: &str) -> u8 {
    match find_rule(rule) {
        Some(rule) => {
            if print_stdout(&docs::explain(rule.meta())) {
                EXIT_CLEAN
            } else {
                EXIT_TROUBLE
            }
        }
        None => {
            print_stderr(&format!(
                "error: unknown rule `{rule}`; `vpclint rules` lists them"
            ));
            EXIT_TROUBLE
        }
    }
}

fn graph(paths: &[PathBuf], inputs: &InputArgs, matches: &ArgMatches) -> u8 {
    let paths = paths_or_current_dir(paths);
    let analysis = load(discover(&paths), &load_options(inputs, matches));
    let path_display = PathDisplay::default();
    if !print_stdout(&graph_json::render(&analysis, &path_display)) {
        return EXIT_TROUBLE;
    }
    if analysis.errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_TROUBLE
    }
}

fn paths_or_current_dir(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// The evaluation inputs of the command line; `matches` are those of the (sub)command
/// `inputs` were parsed from.
fn load_options(inputs: &InputArgs, matches: &ArgMatches) -> LoadOptions {
    LoadOptions {
        terraform: TerraformOptions {
            inputs: inputs.terraform_inputs(matches),
            // Set from what discovery finds (`analysis::load`).
            boundary: Default::default(),
        },
        cloudformation: CloudFormationOptions {
            parameters: inputs.parameters.clone(),
            parameter_files: inputs.parameter_files.clone(),
            region: inputs.region.clone(),
            boundary: Default::default(),
        },
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && std::io::stdout().is_terminal()
        }
    }
}

/// Writes `text` to standard output; `false` when it could not be written, which is then
/// reported on standard error: the output is lost (`> /dev/full`, a full disk), so the run
/// is trouble, not a clean or failed lint. A closed pipe (`vpclint | head`) is the reader
/// having seen enough, and stays quiet.
fn print_stdout(text: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => true,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(err) => {
            print_stderr(&format!("error: cannot write the output: {err}"));
            false
        }
    }
}

/// Writes a message and a line break to standard error, its unprintable characters escaped
/// and no line of it a CI log command (it may name input files). A failed write is ignored:
/// there is nowhere left to say it, and `eprintln!` would panic.
fn print_stderr(text: &str) {
    let text = render::text::printable_lines(text);
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", render::text::defuse(&text));
}
