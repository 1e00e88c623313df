//! The lines of a file one human frame shows, cut out for miette.
//!
//! Handing miette the whole file went wrong three ways: it counts lines from the start of
//! the file on every lookup (quadratic with thousands of findings in one big file), it
//! prints a line whole (a minified one-line template is one line of a megabyte), and it
//! pads to a label's column with a format width that panics past 65,535. An [`Excerpt`]
//! holds only the lines around a frame's labels, with each line longer than
//! [`LONG_LINE`] bytes cut to windows around the labels (`…` where text is left out) and
//! control characters escaped; the labels' spans are re-based onto it, and it reports the
//! file's own line numbers and columns.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use vpclint_graph::SourceFile;

use super::text::{is_unprintable, push_printable};

/// Lines longer than this many bytes are cut to windows around the labels.
pub const LONG_LINE: usize = 256;
/// Bytes of context kept on each side of a label on a long line.
const CONTEXT: usize = 40;
/// A label longer than twice this on one long line keeps this many bytes of its start and
/// of its end, with `…` between.
const KEEP: usize = 60;
/// Windows closer than this merge, rather than show a `…` for a few bytes.
const MIN_GAP: usize = 8;
/// What stands for text left out.
const ELLIPSIS: &str = "…";
/// Lines of context above and below a label; the handler's `with_context_lines`.
pub const CONTEXT_LINES: usize = 1;

/// Consecutive lines of the file, as shown.
#[derive(Debug)]
struct Segment {
    /// Its bytes in [`Excerpt::text`].
    range: Range<usize>,
    /// The 0-based number of its first line in the file.
    first_line: usize,
}

/// One shown line: where its kept pieces of the file are in the excerpt.
#[derive(Debug)]
struct ShownLine {
    /// The file's bytes of the line, without its line break.
    content: Range<usize>,
    /// Where the line's text ends in the excerpt (before its `\n`).
    end: usize,
    /// Kept pieces: the file's bytes, and where they start in the excerpt.
    pieces: Vec<(Range<usize>, usize)>,
}

/// A frame's lines of one file (see the module documentation).
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    segments: Vec<Segment>,
    /// Where each label's start is in the file: (excerpt offset, 0-based column in
    /// characters), for the frame's `[file:line:column]` heading.
    columns: Vec<(usize, usize)>,
}

impl Excerpt {
    /// Cuts out the lines of `spans` (byte ranges of `file`) and their context lines; returns
    /// the excerpt and each span re-based onto it.
    pub fn new(
        file: &SourceFile,
        name: String,
        spans: &[Range<usize>],
    ) -> (Excerpt, Vec<SourceSpan>) {
        let len = file.text.len();
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|span| {
                let start = span.start.min(len);
                start..span.end.clamp(start, len)
            })
            .collect();
        let last_line = file.line(len);
        // Lines each span touches, widened by the context lines; then merged when they
        // overlap or touch, exactly when miette merges two labels' snippets into one.
        let mut wanted: Vec<(usize, usize)> = spans
            .iter()
            .map(|span| {
                let first = file.line(span.start);
                let last = file.line(span.end.saturating_sub(1).max(span.start));
                (
                    first.saturating_sub(CONTEXT_LINES).max(1),
                    (last + CONTEXT_LINES).min(last_line),
                )
            })
            .collect();
        wanted.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (first, last) in wanted {
            match runs.last_mut() {
                Some(run) if first <= run.1 + 1 => run.1 = run.1.max(last),
                _ => runs.push((first, last)),
            }
        }

        let mut excerpt = Excerpt {
            name,
            text: String::new(),
            segments: Vec::new(),
            columns: Vec::new(),
        };
        // Shown lines by 1-based line number, for mapping offsets.
        let mut shown: Vec<(usize, ShownLine)> = Vec::new();
        for (first, last) in runs {
            let start = excerpt.text.len();
            for line in first..=last {
                let range = file.line_range(line);
                let shown_line = excerpt.push_line(file, range, &spans);
                shown.push((line, shown_line));
            }
            excerpt.segments.push(Segment {
                range: start..excerpt.text.len(),
                first_line: first - 1,
            });
        }

        let map = |offset: usize| -> usize {
            let line = file.line(offset);
            let Ok(i) = shown.binary_search_by_key(&line, |(number, _)| *number) else {
                return 0;
            };
            shown.get(i).map_or(0, |(_, shown)| shown.map(file, offset))
        };
        let rebased = spans
            .iter()
            .map(|span| {
                let start = map(span.start);
                let end = map(span.end).max(start);
                excerpt
                    .columns
                    .push((start, file.line_col(span.start).column - 1));
                SourceSpan::new(start.into(), end - start)
            })
            .collect();
        (excerpt, rebased)
    }

    /// Appends one line of the file (`range`, its line break included), cut to windows
    /// around `spans` when it is long.
    fn push_line(
        &mut self,
        file: &SourceFile,
        range: Range<usize>,
        spans: &[Range<usize>],
    ) -> ShownLine {
        let text = &file.text;
        let content_end = match text.get(range.clone()) {
            Some(line) if line.ends_with("\r\n") => range.end - 2,
            Some(line) if line.ends_with('\n') => range.end - 1,
            _ => range.end,
        };
        let content = range.start..content_end;
        let windows = if content.len() > LONG_LINE {
            windows(text, &content, spans)
        } else {
            vec![content.clone()]
        };
        let mut pieces = Vec::with_capacity(windows.len());
        let mut at = content.start;
        for window in windows {
            if window.start > at {
                self.text.push_str(ELLIPSIS);
            }
            pieces.push((window.clone(), self.text.len()));
            for c in text.get(window.clone()).unwrap_or("").chars() {
                push_shown(&mut self.text, c);
            }
            at = window.end;
        }
        if at < content.end {
            self.text.push_str(ELLIPSIS);
        }
        let end = self.text.len();
        if content_end < range.end {
            self.text.push('\n');
        }
        ShownLine {
            content,
            end,
            pieces,
        }
    }
}

/// Appends a character of a code frame: escaped when unprintable, except a tab, which
/// miette turns into spaces.
fn push_shown(out: &mut String, c: char) {
    if c == '\t' || !is_unprintable(c) {
        out.push(c);
    } else {
        push_printable(out, c);
    }
}

/// Bytes `push_shown` writes for `c`.
fn shown_len(c: char) -> usize {
    match c {
        '\t' => 1,
        '\n' | '\r' => 2,
        // `\u{` hex digits `}`.
        c if is_unprintable(c) => 4 + format!("{:x}", u32::from(c)).len(),
        c => c.len_utf8(),
    }
}

impl ShownLine {
    /// Where the file's byte `offset`, on this line, is in the excerpt. Text left out maps
    /// to the `…` that stands for it; the line break to the end of the line.
    fn map(&self, file: &SourceFile, offset: usize) -> usize {
        if offset >= self.content.end {
            return self.end;
        }
        let mut position = self
            .pieces
            .first()
            .map_or(self.end, |(_, at)| at.saturating_sub(ELLIPSIS.len()));
        for (piece, at) in &self.pieces {
            if offset < piece.start {
                break;
            }
            if offset >= piece.end {
                // Just past this piece: where the `…` after it starts.
                position = at + shown_bytes(file, piece.start..piece.end);
                continue;
            }
            return at + shown_bytes(file, piece.start..offset);
        }
        position
    }
}

/// Bytes the characters starting in `range` take in the excerpt.
fn shown_bytes(file: &SourceFile, range: Range<usize>) -> usize {
    let Some(rest) = file.text.get(range.start..) else {
        return 0;
    };
    rest.char_indices()
        .take_while(|(i, _)| *i < range.len())
        .map(|(_, c)| shown_len(c))
        .sum()
}

/// The windows of a long line (`content`, byte offsets of `text`) to show: around each
/// span's part of the line, or the line's start when no span is on it.
fn windows(text: &str, content: &Range<usize>, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let clamp = |i: usize| i.clamp(content.start, content.end);
    let mut windows: Vec<Range<usize>> = Vec::new();
    for span in spans {
        if span.end < content.start || span.start > content.end {
            continue;
        }
        let (start, end) = (clamp(span.start), clamp(span.end));
        if end - start > 2 * KEEP {
            windows.push(start.saturating_sub(CONTEXT)..start + KEEP);
            windows.push(end - KEEP..end + CONTEXT);
        } else {
            windows.push(start.saturating_sub(CONTEXT)..end + CONTEXT);
        }
    }
    if windows.is_empty() {
        windows.push(content.start..content.start + KEEP);
    }
    let mut windows: Vec<Range<usize>> = windows
        .into_iter()
        .map(|w| floor_boundary(text, clamp(w.start))..ceil_boundary(text, clamp(w.end)))
        .collect();
    windows.sort_unstable_by_key(|w| w.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
    for window in windows {
        match merged.last_mut() {
            Some(last) if window.start <= last.end + MIN_GAP => last.end = last.end.max(window.end),
            _ => merged.push(window),
        }
    }
    merged
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        // The segment holding the span; one that only ends where the span starts is the
        // last choice. A span across two segments (miette asking to merge two snippets
        // that do not touch) is out of bounds, and miette keeps them apart.
        let segment = self
            .segments
            .iter()
            .find(|s| s.range.start <= start && start < s.range.end && end <= s.range.end)
            .or_else(|| {
                self.segments
                    .iter()
                    .find(|s| s.range.contains(&start) || s.range.end == start)
            })
            .filter(|s| end <= s.range.end)
            .ok_or(MietteError::OutOfBounds)?;
        let text = self
            .text
            .get(segment.range.clone())
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((start - segment.range.start).into(), span.len());
        let contents = text.read_span(&local, context_lines_before, context_lines_after)?;
        let data = contents.data();
        // The snippet's own line count: miette 7 reports the lines from the start of the
        // text to the end of the snippet, and merges two labels' snippets when `line +
        // line_count` reaches the next one, so labels far apart ended up in one frame.
        let newlines = data.iter().filter(|b| **b == b'\n').count();
        let lines = newlines + usize::from(!data.ends_with(b"\n"));
        // The heading's column is the file's, in characters, for a label's own span.
        let column = match context_lines_before {
            0 => self
                .columns
                .iter()
                .find(|(at, _)| *at == start)
                .map_or(contents.column(), |(_, column)| *column),
            _ => contents.column(),
        };
        let offset = contents.span().offset() + segment.range.start;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(offset.into(), contents.span().len()),
            contents.line() + segment.first_line,
            column,
            lines,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt of `spans` (start, end) and the text each re-based span covers in it.
    fn cut(text: &str, spans: &[(usize, usize)]) -> (String, Vec<String>) {
        let file = SourceFile::new("t".into(), text.into());
        let spans: Vec<Range<usize>> = spans.iter().map(|&(start, end)| start..end).collect();
        let (excerpt, rebased) = Excerpt::new(&file, "t".into(), &spans);
        let shown = rebased
            .iter()
            .map(|s| {
                excerpt
                    .text
                    .get(s.offset()..s.offset() + s.len())
                    .unwrap_or("<out of range>")
                    .to_owned()
            })
            .collect();
        (excerpt.text, shown)
    }

    #[test]
    fn short_lines_are_kept_whole_with_their_context() {
        let text = "a\nb\nc\nd\ne\nf\ng\n";
        let (shown, labels) = cut(text, &[(2, 3), (12, 13)]);
        // Lines 1-3 around `b`, lines 6-7 around `g`: two segments.
        assert_eq!(shown, "a\nb\nc\nf\ng\n");
        assert_eq!(labels, ["b", "g"]);
    }

    #[test]
    fn long_lines_are_cut_around_the_labels() {
        let line = format!(
            "{}TARGET{}OTHER{}",
            "x".repeat(70_000),
            "y".repeat(500),
            "z".repeat(300)
        );
        let start = 70_000;
        let other = start + 6 + 500;
        let (shown, labels) = cut(&line, &[(start, start + 6), (other, other + 5)]);
        assert_eq!(labels, ["TARGET", "OTHER"]);
        assert!(
            shown.starts_with(ELLIPSIS) && shown.ends_with(ELLIPSIS),
            "{shown}"
        );
        assert!(shown.len() < 400, "{}", shown.len());
        assert_eq!(shown.matches(ELLIPSIS).count(), 3, "{shown}");
    }

    #[test]
    fn a_long_label_keeps_its_ends() {
        let line = format!("{{{}}}", "a".repeat(10_000));
        let (shown, labels) = cut(&line, &[(0, line.len())]);
        assert!(shown.len() < 2 * KEEP + 10, "{shown}");
        // The label runs from the first byte to the last, over the `…`.
        assert_eq!(labels.len(), 1);
        assert!(
            labels[0].starts_with('{') && labels[0].ends_with('}'),
            "{labels:?}"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_spans_follow() {
        let text = "x = \"\u{1b}[31m\u{7}\" # ok\ttab\r\nnext\n";
        let (shown, labels) = cut(text, &[(4, 12)]);
        assert_eq!(shown, "x = \"\\u{1b}[31m\\u{7}\" # ok\ttab\nnext\n");
        assert_eq!(labels, ["\"\\u{1b}[31m\\u{7}\""]);
    }

    #[test]
    fn spans_at_the_end_of_the_file_and_out_of_range_are_kept_in_bounds() {
        let text = "abc\n";
        let (shown, labels) = cut(text, &[(4, 4), (3, 4), (10, 20), (2, 1)]);
        assert_eq!(shown, "abc\n");
        assert_eq!(labels, ["", "\n", "", ""]);
    }

    #[test]
    fn shown_lengths_match_what_is_written() {
        for c in [
            'a', 'é', '子', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{9b}', '\u{202e}',
        ] {
            let mut out = String::new();
            push_shown(&mut out, c);
            assert_eq!(shown_len(c), out.len(), "{c:?}");
        }
    }
}
