//! GitHub Actions workflow commands (`--format github`): one annotation per finding.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=VPC103 name::message` (the
//! message says `in 3 stacks: ...` on a line of its own for a finding of several stacks).
//! Message data escapes `%`, `\r` and `\n`; property values also escape `:` and `,`
//! (the runner's own escaping rules). Text from the input first has its control
//! characters escaped ([`printable`]), so a newline in a file name reads `\n` rather than
//! ending the command, and no ESC or BEL reaches the log. `info` findings are notices.

use vpclint_linter::Severity;

use super::text::{defuse, defuse_legacy, printable};
use super::{human, Location, Report};
use crate::suppress::UnusedIgnore;

/// Renders one annotation per input error, finding and unused suppression, then the notes
/// on what was not checked and the summary line (plain text in the log).
pub fn render(report: &Report<'_>, unused_ignores: &[UnusedIgnore]) -> String {
    let mut out = String::new();
    for error in report.errors {
        match error.span.and_then(|span| report.locate(span)) {
            Some(loc) => out.push_str(&command(
                "error",
                Some(&loc),
                "vpclint: input error",
                &printable(&error.message),
            )),
            None => {
                let file = report.paths.show(&error.path);
                out.push_str(&format!(
                    "::error file={},title={}::{}\n",
                    escape_property(&printable(&file)),
                    escape_property("vpclint: input error"),
                    escape_data(&printable(&error.message))
                ));
            }
        }
    }
    for finding in report.findings {
        let Some(loc) = report.locate(finding.primary.span) else {
            continue;
        };
        let kind = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = format!("{} {}", finding.rule.id, finding.rule.name);
        // Lines of the message, each from input text made printable, then joined: only
        // these newlines are the message's own.
        let mut message = printable(&finding.message).into_owned();
        if let Some(stacks) = report.in_stacks(finding, 10) {
            message.push('\n');
            message.push_str(&printable(&stacks));
        }
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(&printable(help));
        }
        message.push('\n');
        message.push_str(&finding.rule.docs_url());
        out.push_str(&command(kind, Some(&loc), &title, &message));
    }
    for unused in unused_ignores {
        let loc = report.locate(unused.span);
        out.push_str(&command(
            "warning",
            loc.as_ref(),
            "vpclint: unused suppression",
            &printable(&unused.message),
        ));
    }
    // A `##[` in a message would not run (the line is read as the command it starts with),
    // but a runner that tried the legacy form first would; it gets its `\` too.
    let mut out = defuse_legacy(&out).into_owned();
    // Notes on what was not checked are plain log lines, not annotations: they are not
    // problems of the lines they point at. Being plain, they must not read as commands.
    let mut plain = human::note_lines(report, 100);
    plain.push_str(&human::summary_line(report));
    plain.push('\n');
    out.push_str(&defuse(&plain));
    out
}

fn command(kind: &str, loc: Option<&Location>, title: &str, message: &str) -> String {
    let mut properties = Vec::new();
    if let Some(loc) = loc {
        properties.push(format!("file={}", escape_property(&printable(&loc.file))));
        properties.push(format!("line={}", loc.line));
        properties.push(format!("col={}", loc.column));
        properties.push(format!("endLine={}", loc.end_line));
        properties.push(format!("endColumn={}", loc.end_column));
    }
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{kind} {}::{}\n",
        properties.join(","),
        escape_data(message)
    )
}

/// Escapes a command's message (the runner's `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (the runner's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_runner() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
