//! Human output: miette code frames with labels, help, rule ID and docs link, then notes on
//! what was not checked, then a summary.
//!
//! Each finding is one frame in its primary file holding the primary label and the related
//! labels of that file; related labels in other files get a frame of their own below it. A
//! finding of several stacks says `(in 3 stacks: ...)` under its message.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use vpclint_graph::{FileId, InputError, InputNote, Span};
use vpclint_linter::{Finding, Label, Severity};

use super::excerpt::{Excerpt, CONTEXT_LINES};
use super::text::{defuse, printable};
use super::Report;

/// How to draw frames.
#[derive(Debug, Clone, Copy)]
pub struct HumanStyle {
    pub color: bool,
    /// Text wraps at this width; fixed (not the terminal's) so output is reproducible.
    pub width: usize,
}

impl Default for HumanStyle {
    fn default() -> Self {
        HumanStyle {
            color: false,
            width: 100,
        }
    }
}

/// Renders every error and finding, then the notes on what was not checked and the one-line
/// summary.
pub fn render(report: &Report<'_>, style: HumanStyle) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for error in report.errors {
        render_frame(&handler, &error_frame(report, error), &mut out);
    }
    for finding in report.findings {
        render_frame(&handler, &finding_frame(report, finding), &mut out);
    }
    out.push_str(&note_lines(report, style.width));
    out.push_str(&summary_line(report));
    out.push('\n');
    defuse(&out).into_owned()
}

/// What the command line adds to [`render`]: a heading per file, suppression warnings, the
/// summary line's extras, or only the frames (`--quiet`).
#[derive(Debug, Default)]
pub struct CliOptions<'a> {
    /// Print `── path ──` before the findings of each file.
    pub group_by_file: bool,
    /// Frames only, no notes and no summary line.
    pub quiet: bool,
    /// Shown in the summary line (`in 38 ms`); `None` keeps output reproducible.
    pub elapsed: Option<std::time::Duration>,
    /// `--warn-unused-ignores` warnings.
    pub unused_ignores: &'a [crate::suppress::UnusedIgnore],
    /// Findings a baseline hid, mentioned in the summary line.
    pub baselined: usize,
}

/// The command line's human output: errors, findings grouped by file, unused-suppression
/// warnings, then the notes on what was not checked and the summary line.
pub fn render_cli(report: &Report<'_>, style: HumanStyle, options: &CliOptions<'_>) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for error in report.errors {
        render_frame(&handler, &error_frame(report, error), &mut out);
    }
    // Findings per file, counted once: counting them again at each file's heading was
    // quadratic in the number of files.
    let mut per_file: std::collections::HashMap<FileId, usize> = Default::default();
    if options.group_by_file {
        for finding in report.findings {
            *per_file.entry(finding.primary.span.file).or_default() += 1;
        }
    }
    let mut current_file = None;
    for finding in report.findings {
        let file = finding.primary.span.file;
        if options.group_by_file && current_file != Some(file) {
            current_file = Some(file);
            if let Some(source) = report.sources.get(file) {
                let count = per_file.get(&file).copied().unwrap_or(0);
                out.push_str(&format!(
                    "── {} ({}) ──\n\n",
                    printable(&report.paths.show(&source.path)),
                    plural(count, "finding")
                ));
            }
        }
        render_frame(&handler, &finding_frame(report, finding), &mut out);
    }
    for unused in options.unused_ignores {
        let (source, labels) = place(
            report,
            unused.span.file,
            vec![Mark {
                text: None,
                span: unused.span,
                primary: true,
            }],
        );
        let frame = Frame {
            message: printable(&unused.message).into_owned(),
            severity: miette::Severity::Warning,
            code: Some("unused-ignore".to_owned()),
            url: None,
            help: Some("remove it, or fix the rule it names".to_owned()),
            source,
            labels,
            related: Vec::new(),
        };
        render_frame(&handler, &frame, &mut out);
    }
    if !options.quiet {
        out.push_str(&note_lines(report, style.width));
        let mut line = summary_line(report);
        if let Some(elapsed) = options.elapsed {
            // After the counts: `3 errors in 2 stacks (41 files) in 38 ms; 1 input error ...`.
            let at = line.find(')').map_or(line.len(), |i| i + 1);
            line.insert_str(at, &format!(" in {} ms", elapsed.as_millis()));
        }
        if !options.unused_ignores.is_empty() {
            line.push_str(&format!(
                "; {}",
                plural(options.unused_ignores.len(), "unused suppression")
            ));
        }
        if options.baselined > 0 {
            line.push_str(&format!(
                "; {} in the baseline",
                plural(options.baselined, "finding")
            ));
        }
        out.push_str(&line);
        out.push('\n');
    }
    defuse(&out).into_owned()
}

/// Renders only the findings' frames (no summary), as used in the rule documentation.
pub fn render_findings(report: &Report<'_>, style: HumanStyle) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for finding in report.findings {
        render_frame(&handler, &finding_frame(report, finding), &mut out);
    }
    defuse(&out).into_owned()
}

fn handler(style: HumanStyle) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        // Plain-text URLs: terminal hyperlinks are invisible where they are unsupported.
        .with_links(false)
        .with_width(style.width)
        .with_context_lines(CONTEXT_LINES)
}

fn render_frame(handler: &GraphicalReportHandler, frame: &Frame, out: &mut String) {
    // Related frames are rendered as siblings, not as miette `related` diagnostics, which
    // would print an "Advice:" banner before each.
    for frame in std::iter::once(frame).chain(&frame.related) {
        let mut text = String::new();
        if handler.render_report(&mut text, frame).is_err() {
            // Rendering into a String fails only on a formatter bug; keep the message at least.
            text = frame.message.clone();
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out.push('\n');
}

/// Most notes printed for one stack, and in all, before the rest is only counted.
const MAX_NOTES_PER_STACK: usize = 4;
const MAX_NOTES: usize = 12;

/// The notes on what the checks could not see, one `note:` per stack and reason (the same
/// note of several stacks once, naming them), each with its place; at most
/// [`MAX_NOTES_PER_STACK`] per stack and [`MAX_NOTES`] in all. Empty when nothing was hidden.
pub fn note_lines(report: &Report<'_>, width: usize) -> String {
    // The same note in several stacks (a module that several root modules call): once.
    let mut groups: Vec<(&InputNote, Vec<String>)> = Vec::new();
    let mut group_of: std::collections::HashMap<
        (&str, Option<vpclint_graph::Span>, &std::path::Path),
        usize,
    > = Default::default();
    for note in report.notes {
        let stack = report.paths.show_stack(&note.stack);
        let key = (note.message.as_str(), note.span, note.path.as_path());
        match group_of.get(&key).and_then(|&i| groups.get_mut(i)) {
            Some((_, stacks)) => stacks.push(stack),
            None => {
                group_of.insert(key, groups.len());
                groups.push((note, vec![stack]));
            }
        }
    }
    let mut out = String::new();
    let mut shown_per_stack: std::collections::HashMap<String, usize> = Default::default();
    let mut shown = 0;
    let mut hidden = 0;
    for (note, stacks) in &groups {
        let first = stacks.first().cloned().unwrap_or_default();
        let count = shown_per_stack.entry(first).or_default();
        if shown >= MAX_NOTES || *count >= MAX_NOTES_PER_STACK {
            hidden += 1;
            continue;
        }
        *count += 1;
        shown += 1;
        let label = match stacks.as_slice() {
            [one] => one.clone(),
            many => format!("{} stacks ({})", many.len(), super::list(many, 3)),
        };
        out.push_str(&wrap(
            &printable(&format!("note: {label}: {}", note.message)),
            width,
            "      ",
        ));
        if let Some((file, position)) = report.note_location(note) {
            let file = printable(&file);
            match position {
                Some((line, column)) => out.push_str(&format!("  --> {file}:{line}:{column}\n")),
                None => out.push_str(&format!("  --> {file}\n")),
            }
        }
    }
    if hidden > 0 {
        out.push_str(&format!(
            "note: {} not shown here; `--format json` lists them all\n",
            vpclint_graph::unseen::plural(hidden, "more note is", "more notes are")
        ));
    }
    out
}

/// Wraps `text` at `width` columns (a word longer than a line stays whole), continuing
/// lines with `indent`; ends with a newline.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    // Nothing but the indentation on `line` yet.
    let mut fresh = true;
    for word in text.split_whitespace() {
        if !fresh && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.to_owned();
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        line.push_str(word);
        fresh = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// `2 errors, 1 warning in 3 stacks (12 files); 1 input error`.
pub fn summary_line(report: &Report<'_>) -> String {
    let count = |severity: Severity| {
        report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    };
    let parts: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
        (count(Severity::Info), "info finding"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, noun)| plural(n, noun))
    .collect();
    let findings = if parts.is_empty() {
        "No findings".to_owned()
    } else {
        parts.join(", ")
    };
    let summary = &report.summary;
    let mut line = format!(
        "{findings} in {} ({})",
        plural(summary.stacks, "stack"),
        plural(summary.files, "file")
    );
    if summary.errors > 0 {
        line.push_str(&format!(
            "; {} (see above)",
            plural(summary.errors, "input error")
        ));
    }
    line
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn finding_frame(report: &Report<'_>, finding: &Finding) -> Frame {
    let primary_file = finding.primary.span.file;
    let mut marks = vec![Mark {
        text: non_empty(&finding.primary.message),
        span: finding.primary.span,
        primary: true,
    }];
    marks.extend(
        finding
            .related
            .iter()
            .filter(|label| label.span.file == primary_file)
            .map(Mark::related),
    );
    let (source, labels) = place(report, primary_file, marks);

    // Related places in other files: one frame per file, in order of first mention.
    let mut other_files: Vec<FileId> = Vec::new();
    for label in &finding.related {
        if label.span.file != primary_file && !other_files.contains(&label.span.file) {
            other_files.push(label.span.file);
        }
    }
    let related = other_files
        .into_iter()
        .map(|file| {
            let in_file: Vec<&Label> = finding
                .related
                .iter()
                .filter(|l| l.span.file == file)
                .collect();
            // A single place: its label text becomes the heading, the frame just underlines it.
            let (message, marks) = match in_file.as_slice() {
                [only] => (
                    format!("related: {}", printable(&only.message)),
                    vec![Mark {
                        text: None,
                        span: only.span,
                        primary: false,
                    }],
                ),
                _ => (
                    "related places".to_owned(),
                    in_file.iter().copied().map(Mark::related).collect(),
                ),
            };
            let (source, labels) = place(report, file, marks);
            Frame {
                message,
                severity: miette::Severity::Advice,
                code: None,
                url: None,
                help: None,
                source,
                labels,
                related: Vec::new(),
            }
        })
        .collect();

    // A finding in a module that several root modules call says so under its message.
    let mut message = printable(&finding.message).into_owned();
    if let Some(stacks) = report.in_stacks(finding, 3) {
        message.push_str(&format!("\n({})", printable(&stacks)));
    }
    Frame {
        message,
        severity: match finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        },
        code: Some(format!("{}/{}", finding.rule.id, finding.rule.name)),
        url: Some(finding.rule.docs_url()),
        help: finding
            .help
            .as_deref()
            .map(|help| printable(help).into_owned()),
        source,
        labels,
        related,
    }
}

fn error_frame(report: &Report<'_>, error: &InputError) -> Frame {
    let message = printable(&error.message).into_owned();
    let located = error.span.map(|span| {
        place(
            report,
            span.file,
            vec![Mark {
                text: None,
                span,
                primary: true,
            }],
        )
    });
    match located {
        Some((Some(source), labels)) => Frame {
            message,
            severity: miette::Severity::Error,
            code: None,
            url: None,
            help: None,
            source: Some(source),
            labels,
            related: Vec::new(),
        },
        _ => Frame {
            message: format!("{}: {message}", printable(&report.paths.show(&error.path))),
            severity: miette::Severity::Error,
            code: None,
            url: None,
            help: None,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        },
    }
}

/// A label of a frame before it is placed in its excerpt.
struct Mark {
    text: Option<String>,
    span: Span,
    primary: bool,
}

impl Mark {
    fn related(label: &Label) -> Mark {
        Mark {
            text: non_empty(&label.message),
            span: label.span,
            primary: false,
        }
    }
}

/// Cuts the lines of `marks` out of `file` (see [`Excerpt`]) and places the labels on
/// them; no source and no labels when the file is not in the source map.
fn place(
    report: &Report<'_>,
    file: FileId,
    marks: Vec<Mark>,
) -> (Option<Excerpt>, Vec<LabeledSpan>) {
    let Some(source) = report.sources.get(file) else {
        return (None, Vec::new());
    };
    let ranges: Vec<std::ops::Range<usize>> = marks.iter().map(|mark| mark.span.range()).collect();
    let name = printable(&report.paths.show(&source.path)).into_owned();
    let (excerpt, spans) = Excerpt::new(source, name, &ranges);
    let labels = marks
        .into_iter()
        .zip(spans)
        .map(|(mark, span)| {
            if mark.primary {
                LabeledSpan::new_primary_with_span(mark.text, span)
            } else {
                LabeledSpan::new_with_span(mark.text, span)
            }
        })
        .collect();
    (Some(excerpt), labels)
}

/// The label's text as shown, `None` when it has none.
fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| printable(text).into_owned())
}

/// One miette diagnostic, built from a finding or an input error.
#[derive(Debug)]
struct Frame {
    message: String,
    severity: miette::Severity,
    code: Option<String>,
    url: Option<String>,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Frame>,
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Frame {}

impl miette::Diagnostic for Frame {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() || self.source.is_none() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{PathDisplay, Summary};
    use vpclint_graph::SourceMap;
    use vpclint_linter::RULES;

    const MAIN_TF: &str = r#"resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_peering_connection" "a_to_b" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}
"#;
    const PEER_TF: &str = r#"resource "aws_vpc" "b" {
  cidr_block = "10.0.128.0/17"
}
"#;

    fn span_of(sources: &SourceMap, file: FileId, needle: &str) -> Span {
        let text = &sources.file(file).text;
        let start = text.find(needle).unwrap_or(0);
        Span::new(file, start, start + needle.len())
    }

    /// A hand-made finding with a related label in the same file and one in another file.
    #[test]
    fn frames_show_primary_related_help_and_docs_link() {
        let mut sources = SourceMap::new();
        let main = sources.add("infra/main.tf", MAIN_TF);
        let peer = sources.add("infra/peer.tf", PEER_TF);
        let finding = Finding {
            rule: RULES[0].meta(),
            severity: Severity::Error,
            message: "VPCs aws_vpc.a and aws_vpc.b of this peering connection overlap".into(),
            help: Some("give one of the VPCs a CIDR block that does not overlap".into()),
            resource: "aws_vpc_peering_connection.a_to_b".into(),
            stacks: vec!["infra".into()],
            anchor: span_of(
                &sources,
                main,
                r#"resource "aws_vpc_peering_connection" "a_to_b""#,
            ),
            primary: Label {
                span: span_of(
                    &sources,
                    main,
                    r#"resource "aws_vpc_peering_connection" "a_to_b""#,
                ),
                message: "AWS refuses to create this peering connection".into(),
            },
            related: vec![
                Label {
                    span: span_of(&sources, main, r#""10.0.0.0/16""#),
                    message: "aws_vpc.a has 10.0.0.0/16".into(),
                },
                Label {
                    span: span_of(&sources, peer, r#""10.0.128.0/17""#),
                    message: "aws_vpc.b has 10.0.128.0/17, inside it".into(),
                },
            ],
        };
        let paths = PathDisplay::default();
        let report = Report {
            sources: &sources,
            findings: std::slice::from_ref(&finding),
            errors: &[],
            notes: &[],
            summary: Summary {
                files: 2,
                stacks: 1,
                resources: 3,
                findings: 1,
                errors: 0,
            },
            paths: &paths,
        };
        insta::assert_snapshot!(render(&report, HumanStyle::default()));
    }

    #[test]
    fn input_errors_are_located_frames() {
        let mut sources = SourceMap::new();
        let broken = sources.add(
            "broken.tf",
            "resource \"aws_vpc\" \"a\" {\n  cidr_block = \n",
        );
        let errors = [
            InputError::at(
                "broken.tf",
                Some(span_of(&sources, broken, "cidr_block = ")),
                "expected an expression after `=`",
            ),
            InputError::at("unreadable.yaml", None, "permission denied"),
        ];
        let paths = PathDisplay::default();
        let report = Report {
            sources: &sources,
            findings: &[],
            errors: &errors,
            notes: &[],
            summary: Summary {
                files: 1,
                stacks: 0,
                resources: 0,
                findings: 0,
                errors: 2,
            },
            paths: &paths,
        };
        insta::assert_snapshot!(render(&report, HumanStyle::default()));
    }

    #[test]
    fn notes_are_merged_across_stacks_and_capped() {
        let mut sources = SourceMap::new();
        let main = sources.add("modules/net/main.tf", MAIN_TF);
        let at = span_of(&sources, main, r#"resource "aws_vpc" "a""#);
        let note = |stack: &str, message: &str, span: Option<Span>| InputNote {
            stack: stack.into(),
            path: "modules/net/main.tf".into(),
            span,
            message: message.into(),
        };
        // The same note of two stacks is printed once; the third stack has more than fit.
        let mut notes = vec![
            note("prod", "module.label is not installed", Some(at)),
            note("staging", "module.label is not installed", Some(at)),
        ];
        for i in 1..=6 {
            notes.push(note("dev", &format!("reason {i}"), None));
        }
        let paths = PathDisplay::default();
        let report = Report {
            sources: &sources,
            findings: &[],
            errors: &[],
            notes: &notes,
            summary: Summary {
                files: 1,
                stacks: 3,
                resources: 3,
                findings: 0,
                errors: 0,
            },
            paths: &paths,
        };
        assert_eq!(
            note_lines(&report, 100),
            "note: 2 stacks (prod and staging): module.label is not installed\n\
             \x20 --> modules/net/main.tf:1:1\n\
             note: dev: reason 1\n  --> modules/net/main.tf\n\
             note: dev: reason 2\n  --> modules/net/main.tf\n\
             note: dev: reason 3\n  --> modules/net/main.tf\n\
             note: dev: reason 4\n  --> modules/net/main.tf\n\
             note: 2 more notes are not shown here; `--format json` lists them all\n"
        );
        // Nothing hidden, nothing said.
        let quiet = Report {
            notes: &[],
            ..report
        };
        assert_eq!(note_lines(&quiet, 100), "");
    }

    /// A report of `findings` in `sources`, with no errors or notes.
    fn report_of<'a>(
        sources: &'a SourceMap,
        findings: &'a [Finding],
        paths: &'a PathDisplay,
    ) -> Report<'a> {
        Report {
            sources,
            findings,
            errors: &[],
            notes: &[],
            summary: Summary {
                files: sources.len(),
                stacks: 1,
                resources: findings.len(),
                findings: findings.len(),
                errors: 0,
            },
            paths,
        }
    }

    fn finding_at(primary: Span, related: Vec<Label>, message: &str) -> Finding {
        Finding {
            rule: RULES[0].meta(),
            severity: Severity::Error,
            message: message.into(),
            help: None,
            resource: "Sub".into(),
            stacks: vec!["t.json".into()],
            anchor: primary,
            primary: Label {
                span: primary,
                message: "here".into(),
            },
            related,
        }
    }

    /// A minified one-line template: the frame shows windows of the line around its labels
    /// (the column is past 65,536, where miette's padding used to panic).
    #[test]
    fn long_lines_are_cut_around_their_labels() {
        let text = format!(
            r#"{{"Metadata":"{}","Resources":{{"Vpc":{{"Properties":{{"CidrBlock":"10.0.0.0/16"}}}},"Pad":"{}","Sub":{{"Properties":{{"CidrBlock":"10.1.0.0/24"}}}}}}}}"#,
            "m".repeat(70_000),
            "p".repeat(500)
        );
        let mut sources = SourceMap::new();
        let file = sources.add("t.json", text.as_str());
        let finding = finding_at(
            span_of(&sources, file, r#""10.1.0.0/24""#),
            vec![Label {
                span: span_of(&sources, file, r#""10.0.0.0/16""#),
                message: "10.0.0.0/16 of Vpc".into(),
            }],
            "subnet Sub is outside its VPC",
        );
        let paths = PathDisplay::default();
        let report = report_of(&sources, std::slice::from_ref(&finding), &paths);
        insta::assert_snapshot!(render(&report, HumanStyle::default()));
    }

    /// File names, messages, labels and source lines show control characters escaped, and
    /// no line starts with a workflow command.
    #[test]
    fn control_characters_are_escaped_everywhere_in_a_frame() {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "evil\u{1b}[31m\n::error::x.tf",
            "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"\u{1b}]0;t\u{7}\"\n}\n",
        );
        let mut finding = finding_at(
            span_of(&sources, file, "\"\u{1b}]0;t\u{7}\""),
            Vec::new(),
            "not a CIDR: \"\u{1b}]0;t\u{7}\"\n::error::injected",
        );
        finding.primary.message = "value \u{9b}\u{7f}\r".into();
        finding.help = Some("fix it\n::warning::help ##[error]x".into());
        let paths = PathDisplay::default();
        let report = report_of(&sources, std::slice::from_ref(&finding), &paths);
        let out = render(&report, HumanStyle::default());
        assert!(!out.chars().any(|c| c != '\n' && c.is_control()), "{out}");
        assert!(
            out.lines().all(|l| !l.trim_start().starts_with("::")),
            "{out}"
        );
        insta::assert_snapshot!(out);
    }

    #[test]
    fn long_notes_wrap_under_their_first_word() {
        let text = wrap("note: aaaa bbbb cccc dddd", 15, "      ");
        assert_eq!(text, "note: aaaa bbbb\n      cccc dddd\n");
        // A word longer than the line stays whole.
        assert_eq!(
            wrap("note: abcdefghijklmnop", 10, "  "),
            "note:\n  abcdefghijklmnop\n"
        );
    }
}
