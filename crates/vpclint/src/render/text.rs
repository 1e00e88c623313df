//! Text from the input made safe to print.
//!
//! File names, resource names and values reach messages, and vpclint's output lands in CI
//! logs and terminals. A raw ESC or BEL there drives the terminal, a newline in a file name
//! starts a line of the attacker's choosing, and a CI runner executes some log lines:
//! GitHub Actions runs a line that starts with `::` (after blanks) as a workflow command,
//! and a `##[` anywhere in a line as a legacy one (Azure Pipelines: `##vso[`). Every text
//! renderer passes input text through [`printable`] and its whole output through
//! [`defuse`]; JSON and SARIF get [`json_safe`].

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown as an escape: control characters (C0, DEL, C1), and the invisible
/// characters that move or reorder text (line and paragraph separators, bidirectional
/// embeddings, overrides and isolates, which can make a line read as something else).
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `c`, as `\n`, `\r`, `\t` or `\u{1b}` when it is [unprintable](is_unprintable).
pub fn push_printable(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_unprintable(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// `text` with every [unprintable](is_unprintable) character escaped, so it stays on one
/// line and cannot drive a terminal: `a\nb` for a newline, `\u{1b}` for ESC.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    Cow::Owned(out)
}

/// [`printable`] for text of several lines (a message for standard error): its line
/// breaks are kept, every other unprintable character is escaped.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unprintable(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            c => push_printable(&mut out, c),
        }
    }
    Cow::Owned(out)
}

/// Text output in which no line is a CI log command: a line whose first non-blank
/// characters are `::` gets a `\` before them, and the `[` of `##[` and `##vso[` one before
/// it. Applied to whole outputs, as a wrapped message or a code frame can start a line with
/// input text.
pub fn defuse(text: &str) -> Cow<'_, str> {
    defuse_with(text, "\\[", true)
}

/// [`defuse`] for lines that are meant to be workflow commands (`--format github`): only
/// `##[` and `##vso[` get their `\`, as the runner reads a command line as one command.
pub fn defuse_legacy(text: &str) -> Cow<'_, str> {
    defuse_with(text, "\\[", false)
}

/// JSON (and SARIF) text in which no string holds a raw [unprintable](is_unprintable)
/// character or a legacy log command. serde_json escapes only C0 controls; DEL, C1
/// controls and the invisible characters are escaped here (`\u009b`), and `##[` becomes
/// `##\u005b`. Both are JSON escapes inside strings (the only place such characters can
/// be), so the document means the same.
pub fn json_safe(text: String) -> String {
    let text = match defuse_with(&text, "\\u005b", false) {
        Cow::Borrowed(_) => text,
        Cow::Owned(defused) => defused,
    };
    if !text.chars().any(is_unprintable_in_json) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unprintable_in_json(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// JUnit XML in which no text is a legacy log command: `##[` becomes `##&#91;`, a
/// character reference (such text is only in attribute values and element content), so
/// the document means the same. Control characters are escaped before the XML is built.
pub fn defuse_xml(text: String) -> String {
    match defuse_with(&text, "&#91;", false) {
        Cow::Borrowed(_) => text,
        Cow::Owned(defused) => defused,
    }
}

/// What serde_json leaves raw of the [unprintable](is_unprintable) characters: not the
/// newlines and tabs of its own layout, nor C0 controls, which it escapes in strings.
fn is_unprintable_in_json(c: char) -> bool {
    is_unprintable(c) && u32::from(c) >= 0x20
}

/// [`defuse`] with `bracket` for the `[` of a legacy command; `line_starts` also guards
/// lines that start with `::`.
fn defuse_with<'a>(text: &'a str, bracket: &str, line_starts: bool) -> Cow<'a, str> {
    let starts_command = |line: &str| line_starts && line.trim_start().starts_with("::");
    if !text.contains("##") && !text.split('\n').any(starts_command) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut rest = line;
        if starts_command(line) {
            let blanks = line.len() - line.trim_start().len();
            out.push_str(&line[..blanks]);
            out.push('\\');
            rest = &line[blanks..];
        }
        while let Some(at) = rest.find("##") {
            let after = &rest[at + 2..];
            let vso = after
                .get(..3)
                .is_some_and(|word| word.eq_ignore_ascii_case("vso"));
            let prefix = if vso { 5 } else { 2 };
            if rest[at + prefix..].starts_with('[') {
                out.push_str(&rest[..at + prefix]);
                out.push_str(bracket);
                rest = &rest[at + prefix + 1..];
            } else {
                // One `#` at a time: `###[` still has its `##[`.
                out.push_str(&rest[..at + 1]);
                rest = &rest[at + 1..];
            }
        }
        out.push_str(rest);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain/main.tf"), "plain/main.tf");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        assert_eq!(
            printable("a\nb\rc\td\u{1b}[31me\u{7}f\u{7f}\u{9b}"),
            "a\\nb\\rc\\td\\u{1b}[31me\\u{7}f\\u{7f}\\u{9b}"
        );
        assert_eq!(printable("x\u{202e}y\u{2028}"), "x\\u{202e}y\\u{2028}");
        assert_eq!(printable_lines("a\nb\r\u{1b}"), "a\nb\\r\\u{1b}");
        // Other text is left alone, wide or accented.
        assert_eq!(printable("sous-réseau 子网 →"), "sous-réseau 子网 →");
    }

    #[test]
    fn no_line_is_a_workflow_command() {
        assert_eq!(defuse("ok\n  note: a::b\n"), "ok\n  note: a::b\n");
        assert_eq!(
            defuse("x\n      ::error file=a::pwned\n::warning::w"),
            "x\n      \\::error file=a::pwned\n\\::warning::w"
        );
        assert_eq!(
            defuse("a ##[error]b ##vso[task.setvariable] ###[x] ## [ok]"),
            "a ##\\[error]b ##vso\\[task.setvariable] ###\\[x] ## [ok]"
        );
        assert_eq!(defuse("##VSO[x]"), "##VSO\\[x]");
        assert_eq!(defuse_legacy("::error::a ##[b]"), "::error::a ##\\[b]");
        assert_eq!(defuse("ends with ##"), "ends with ##");
        assert_eq!(defuse("é##é[ ##é"), "é##é[ ##é");
    }

    #[test]
    fn json_stays_json_and_means_the_same() {
        let value = serde_json::json!({
            "file": "a\u{1b}b\u{7}\u{7f}\u{9b}\u{202e}##[error]x\n::error::y\u{1F600}",
        });
        let text = json_safe(serde_json::to_string_pretty(&value).unwrap_or_default());
        assert!(
            !text.chars().any(|c| is_unprintable(c) && c != '\n'),
            "{text}"
        );
        assert!(!text.contains("##["), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, value);
    }
}
