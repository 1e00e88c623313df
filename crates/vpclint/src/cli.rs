//! Command-line arguments (clap derive). Parsing only: `lib.rs` decides what to do with them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vpclint_linter::Severity;

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

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Rules to run: IDs, names or ID prefixes (`VPC1`), comma-separated or repeated; `ALL` for every rule.
    /// Default: every rule whose default severity is `warning` or `error`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,

    /// Rules not to run (same forms as --select), applied after it.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,

    /// Exit 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(flatten)]
    pub inputs: InputArgs,
}

/// Inputs that change how configurations evaluate.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Set a Terraform variable (`name=value`), like `terraform plan -var`. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_key_value)]
    pub vars: Vec<(String, String)>,

    /// Read Terraform variables from a `.tfvars` file. Repeatable.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Set a CloudFormation parameter (`Key=Value`). Repeatable.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub parameters: Vec<(String, String)>,

    /// The region CloudFormation templates are deployed to (the value of `AWS::Region`).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
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
