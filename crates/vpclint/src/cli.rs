//! Command-line arguments (clap derive). Parsing only: `lib.rs` decides what to do with them.

use std::path::PathBuf;

use clap::{ArgMatches, Args, Parser, Subcommand, ValueEnum};
use vpclint_linter::Severity;
use vpclint_terraform::VarInput;

/// Static linter for AWS VPC networking in Terraform and CloudFormation.
///
/// Lints the given paths (default: the current directory). Directories are searched
/// recursively, honouring .gitignore; `.tf` files are read as Terraform modules,
/// `.yaml`/`.yml`/`.json`/`.template` files as CloudFormation templates when they are ones.
#[derive(Debug, Parser)]
#[command(name = "vpclint", version, about, long_about)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every rule: ID, name, default severity and summary.
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print a rule's documentation.
    Explain {
        /// A rule ID (`VPC103`) or name (`peering-missing-return-route`).
        rule: String,
    },
    /// Print the normalized VPC graph of each stack (for debugging and front-end tests).
    Graph {
        /// Files or directories to load (default: the current directory).
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = GraphFormat::Json)]
        format: GraphFormat,
        #[command(flatten)]
        inputs: InputArgs,
    },
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: the current directory).
    /// A directory named like a subcommand must be written with a path prefix (`./rules`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format: `human` (code frames), `json` (versioned), `sarif` (2.1.0, for code
    /// scanning), `github` (workflow-command annotations), `junit` (XML test report).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Write the chosen format to FILE instead of standard output, and print the human
    /// output (frames and summary) to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Read this configuration file instead of looking for `vpclint.toml` / `.vpclint.toml`
    /// from each path upward to the repository root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Human output: print the findings only, without the notes and the summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Report only findings that are not in this baseline (written by --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE as the accepted baseline, and exit 0 (2 on input errors).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Warn about suppressions (comments and CloudFormation metadata) that suppressed nothing;
    /// they count as warnings for --fail-on.
    #[arg(long)]
    pub warn_unused_ignores: bool,

    /// Rules to run: IDs, names or ID prefixes (`VPC1`), comma-separated or repeated; `ALL` for every rule.
    /// Default: every rule whose default severity is `warning` or `error`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,

    /// Rules not to run (same forms as --select), applied after it.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,

    /// Exit 1 when a finding has at least this severity [default: warning, or `fail-on`
    /// from the configuration].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print per-phase timings and file/stack/resource counts to standard error.
    #[arg(long)]
    pub stats: bool,

    #[command(flatten)]
    pub inputs: InputArgs,
}

/// Inputs that change how configurations evaluate.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Set a Terraform variable (`name=value`), like `terraform plan -var`. Repeatable;
    /// with --var-file, a later flag wins.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_key_value)]
    pub vars: Vec<(String, String)>,

    /// Read Terraform variables from a `.tfvars` or `.tfvars.json` file. Repeatable; with
    /// --var, a later flag wins.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Set a CloudFormation parameter (`Key=Value`). Repeatable; wins over parameter files.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub parameters: Vec<(String, String)>,

    /// Read CloudFormation parameters from a JSON file (`[{"ParameterKey": .., "ParameterValue":
    /// ..}]`, `{"Parameters": {..}}` or `{"Key": "Value"}`). Repeatable; a later file wins.
    #[arg(long = "parameter-file", value_name = "FILE")]
    pub parameter_files: Vec<PathBuf>,

    /// The region CloudFormation templates are deployed to (the value of `AWS::Region`).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Output formats of a lint run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl InputArgs {
    /// `--var` and `--var-file` in the order they were given (Terraform lets a later one win
    /// whichever kind it is). `matches` are those of the (sub)command these arguments
    /// belong to; clap keeps each flag's values apart, their indices give the order.
    pub fn terraform_inputs(&self, matches: &ArgMatches) -> Vec<VarInput> {
        let indices = |id: &str| -> Vec<usize> {
            match matches.try_contains_id(id) {
                Ok(true) => matches
                    .indices_of(id)
                    .map(Iterator::collect)
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        };
        let vars = indices("vars")
            .into_iter()
            .zip(&self.vars)
            .map(|(i, (name, value))| (i, VarInput::Var(name.clone(), value.clone())));
        let files = indices("var_files")
            .into_iter()
            .zip(&self.var_files)
            .map(|(i, path)| (i, VarInput::File(path.clone())));
        let mut inputs: Vec<(usize, VarInput)> = vars.chain(files).collect();
        inputs.sort_by_key(|(i, _)| *i);
        inputs.into_iter().map(|(_, input)| input).collect()
    }
}

fn parse_key_value(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{raw}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn key_value_splits_at_the_first_equals_sign() {
        assert_eq!(
            parse_key_value("cidr=10.0.0.0/16"),
            Ok(("cidr".into(), "10.0.0.0/16".into()))
        );
        assert_eq!(
            parse_key_value("tags={a=b}"),
            Ok(("tags".into(), "{a=b}".into()))
        );
        assert!(parse_key_value("novalue").is_err());
        assert!(parse_key_value("=x").is_err());
    }
}
