//! Development tasks for vpclint, run as `cargo xtask <command>`.
//!
//! - `gen-corpus`: a deterministic, realistic synthetic corpus of Terraform and/or
//!   CloudFormation stacks, optionally with seeded defects and their `expected.json`.
//! - `bench`: builds the release binary, generates 1,000- and 10,000-VPC corpora in a
//!   temporary directory, and measures vpclint against a single-thread parse-only pass.
//! - `parse-only`: parses every Terraform/CloudFormation file under a directory on one
//!   thread (the benchmark's yardstick).

mod bench;
mod corpus;
mod parse_only;
mod rng;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "xtask", about = "vpclint development tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes a synthetic corpus (10 VPCs per stack).
    GenCorpus {
        /// Number of VPCs in the corpus (per format).
        #[arg(long)]
        vpcs: usize,
        /// Output directory (created; `terraform/` and/or `cloudformation/` inside).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = FormatChoice::Both)]
        format: FormatChoice,
        /// Fraction of VPCs (0.0–1.0) that get one seeded defect; writes `expected.json`.
        #[arg(long, default_value_t = 0.0)]
        defect_rate: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Release build, corpora of 1,000 and 10,000 VPCs, timings and memory.
    Bench {
        /// Runs per measurement (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Corpus sizes in VPCs.
        #[arg(long, value_delimiter = ',', default_values_t = [1_000usize, 10_000])]
        sizes: Vec<usize>,
        #[arg(long, value_enum, default_value_t = FormatChoice::Both)]
        format: FormatChoice,
        /// Use this vpclint binary instead of building one.
        #[arg(long)]
        vpclint: Option<PathBuf>,
        /// Keep the corpora here instead of a temporary directory.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Parses every `.tf`, `.yaml`, `.yml`, `.json` file under DIR on one thread.
    ParseOnly { dir: PathBuf },
}

/// Which front end's files to generate.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum FormatChoice {
    Terraform,
    Cloudformation,
    Both,
}

impl FormatChoice {
    pub fn formats(self) -> Vec<corpus::Format> {
        match self {
            FormatChoice::Terraform => vec![corpus::Format::Terraform],
            FormatChoice::Cloudformation => vec![corpus::Format::CloudFormation],
            FormatChoice::Both => vec![corpus::Format::Terraform, corpus::Format::CloudFormation],
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::GenCorpus {
            vpcs,
            out,
            format,
            defect_rate,
            seed,
        } => corpus::generate(&corpus::CorpusOptions {
            vpcs,
            out,
            formats: format.formats(),
            defect_rate,
            seed,
        })
        .map(|summary| {
            for line in summary.lines() {
                eprintln!("{line}");
            }
        }),
        Command::Bench {
            runs,
            sizes,
            format,
            vpclint,
            dir,
        } => bench::run(&bench::BenchOptions {
            runs: runs.max(1),
            sizes,
            formats: format.formats(),
            vpclint,
            dir,
        }),
        Command::ParseOnly { dir } => parse_only::run(&dir).map(|stats| {
            println!(
                "parsed {} files ({} bytes) in {:.3} s, {} errors",
                stats.files, stats.bytes, stats.seconds, stats.errors
            );
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
