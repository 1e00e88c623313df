//! `--stats`: wall time per phase and what was loaded, printed to standard error.
//!
//! The front ends report their own phases ([`vpclint_graph::Phase`]): Terraform reads and
//! parses every file in parallel, then indexes modules and resolves root variables, then
//! evaluates and maps each root module (in parallel across stacks; evaluation and graph
//! building are interleaved per resource, so they are one phase); CloudFormation reads,
//! parses (in parallel per file), then evaluates and maps each template (in parallel).
//! Whatever a front end spends outside its phases (freeing syntax trees) is shown as its
//! `teardown`.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use vpclint_graph::Phase;

use crate::analysis::Summary;

/// Phase timings of one run, in order.
#[derive(Debug, Default)]
pub struct Stats {
    phases: Vec<Phase>,
}

impl Stats {
    /// Records `name` as taking the time since `started`; returns now.
    pub fn phase(&mut self, name: &'static str, started: Instant) -> Instant {
        let now = Instant::now();
        self.phases.push(Phase {
            name,
            elapsed: now.saturating_duration_since(started),
        });
        now
    }

    pub fn extend(&mut self, phases: impl IntoIterator<Item = Phase>) {
        self.phases.extend(phases);
    }

    /// The report: one line per phase, the total, and the counts.
    pub fn render(&self, total: Duration, summary: &Summary) -> String {
        let mut out = String::from("vpclint --stats\n");
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        for phase in &self.phases {
            let _ = writeln!(out, "  {:<36} {:>9.1} ms", phase.name, ms(phase.elapsed));
        }
        let _ = writeln!(out, "  {:<36} {:>9.1} ms", "total", ms(total));
        let _ = writeln!(
            out,
            "  files {}, stacks {}, resources {}, findings {}, errors {}",
            summary.files, summary.stacks, summary.resources, summary.findings, summary.errors
        );
        out
    }
}
