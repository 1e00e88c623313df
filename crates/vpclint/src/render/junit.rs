//! JUnit XML (`--format junit`) for GitLab's and Jenkins' test reports.
//!
//! One `<testsuite>` per file (in the findings' order), one failing `<testcase>` per finding;
//! input errors are `<error>` test cases of their file. A run without findings or errors has
//! one passing test case, so the report is never empty. A finding of several stacks names
//! them in its failure text. Notes on what was not checked are not test outcomes and are left
//! out (the human output printed with `-o` shows them).

use std::fmt::Write as _;

use super::text::{defuse_xml, printable};
use super::{Location, Report};
use crate::suppress::UnusedIgnore;

struct Case {
    name: String,
    classname: String,
    file: String,
    line: Option<usize>,
    /// (element, type, message, body)
    outcome: Option<(&'static str, String, String, String)>,
}

/// Renders the report as a JUnit XML document.
pub fn render(report: &Report<'_>, unused_ignores: &[UnusedIgnore]) -> String {
    let mut cases: Vec<Case> = Vec::new();
    // Input text (file names, messages, resource and stack names) is made printable before
    // it is composed with the report's own line breaks; `xml` then escapes the markup.
    for error in report.errors {
        let at = error
            .span
            .and_then(|span| report.locate(span))
            .map(printable_file);
        let file = at.as_ref().map_or_else(
            || printable(&report.paths.show(&error.path)).into_owned(),
            |l| l.file.clone(),
        );
        let message = printable(&error.message).into_owned();
        let position = at.as_ref().map_or_else(
            || file.clone(),
            |l| format!("{}:{}:{}", l.file, l.line, l.column),
        );
        cases.push(Case {
            name: format!("input error at {position}"),
            classname: file.clone(),
            file,
            line: at.as_ref().map(|l| l.line),
            outcome: Some((
                "error",
                "input-error".into(),
                message.clone(),
                format!("{position}: {message}"),
            )),
        });
    }
    for finding in report.findings {
        let Some(at) = report.locate(finding.primary.span).map(printable_file) else {
            continue;
        };
        let message = printable(&finding.message).into_owned();
        let mut body = format!("{}:{}:{}: {message}", at.file, at.line, at.column);
        if let Some(stacks) = report.in_stacks(finding, 10) {
            let _ = write!(body, "\n{}", printable(&stacks));
        }
        if let Some(help) = &finding.help {
            let _ = write!(body, "\nhelp: {}", printable(help));
        }
        let _ = write!(body, "\n{}", finding.rule.docs_url());
        cases.push(Case {
            name: format!(
                "{} {} {} ({}:{})",
                finding.rule.id,
                finding.rule.name,
                printable(&finding.resource),
                at.file,
                at.line
            ),
            classname: at.file.clone(),
            file: at.file.clone(),
            line: Some(at.line),
            outcome: Some((
                "failure",
                finding.severity.as_str().to_owned(),
                message,
                body,
            )),
        });
    }
    for unused in unused_ignores {
        let Some(at) = report.locate(unused.span).map(printable_file) else {
            continue;
        };
        let message = printable(&unused.message).into_owned();
        cases.push(Case {
            name: format!("unused suppression ({}:{})", at.file, at.line),
            classname: at.file.clone(),
            file: at.file.clone(),
            line: Some(at.line),
            outcome: Some((
                "failure",
                "warning".into(),
                message.clone(),
                format!("{}:{}:{}: {message}", at.file, at.line, at.column),
            )),
        });
    }
    if cases.is_empty() {
        cases.push(Case {
            name: "vpclint".into(),
            classname: "vpclint".into(),
            file: String::new(),
            line: None,
            outcome: None,
        });
    }

    // Group by file, keeping first-seen order (an index by name: searching the suites for
    // each case was quadratic in the number of files).
    let mut suites: Vec<(String, Vec<Case>)> = Vec::new();
    let mut suite_of: std::collections::HashMap<String, usize> = Default::default();
    for case in cases {
        match suite_of
            .get(&case.classname)
            .and_then(|&i| suites.get_mut(i))
        {
            Some((_, list)) => list.push(case),
            None => {
                suite_of.insert(case.classname.clone(), suites.len());
                suites.push((case.classname.clone(), vec![case]));
            }
        }
    }
    let count = |cases: &[Case], kind: &str| {
        cases
            .iter()
            .filter(|c| c.outcome.as_ref().is_some_and(|o| o.0 == kind))
            .count()
    };
    let all: Vec<&Case> = suites.iter().flat_map(|(_, c)| c).collect();
    let failures = all
        .iter()
        .filter(|c| c.outcome.as_ref().is_some_and(|o| o.0 == "failure"))
        .count();
    let errors = all
        .iter()
        .filter(|c| c.outcome.as_ref().is_some_and(|o| o.0 == "error"))
        .count();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"vpclint\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
        all.len()
    );
    for (file, cases) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            xml(file),
            cases.len(),
            count(cases, "failure"),
            count(cases, "error")
        );
        for case in cases {
            let mut attributes = format!(
                "name=\"{}\" classname=\"{}\"",
                xml(&case.name),
                xml(&case.classname)
            );
            if !case.file.is_empty() {
                let _ = write!(attributes, " file=\"{}\"", xml(&case.file));
            }
            if let Some(line) = case.line {
                let _ = write!(attributes, " line=\"{line}\"");
            }
            match &case.outcome {
                None => {
                    let _ = writeln!(out, "    <testcase {attributes}/>");
                }
                Some((element, kind, message, body)) => {
                    let _ = writeln!(out, "    <testcase {attributes}>");
                    let _ = writeln!(
                        out,
                        "      <{element} type=\"{}\" message=\"{}\">{}</{element}>",
                        xml(kind),
                        xml(message),
                        xml(body)
                    );
                    let _ = writeln!(out, "    </testcase>");
                }
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    defuse_xml(out)
}

/// A location whose file name is printable.
fn printable_file(mut at: Location) -> Location {
    at.file = printable(&at.file).into_owned();
    at
}

/// Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(xml("a<b & \"c\"\n\u{1}"), "a&lt;b &amp; &quot;c&quot;&#10;");
    }
}
