//! Files, byte spans, and line/column lookup at render time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file. Line and column are computed only when rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let (start, end) = (clamp(start), clamp(end));
        Span {
            file,
            start,
            end: end.max(start),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed; otherwise `self`).
    pub fn cover(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One source file: where it came from, its text, and where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as it was discovered (relative to the current directory when the user gave a relative path).
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Computed on first use: only files with something to report need it, and scanning
    /// every file's lines when it is registered was 3% of a large run, on one thread.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Characters before every [`CHAR_STRIDE`]th byte, computed on the first column asked
    /// of a long line: counting a minified template's one line from its start for each of
    /// thousands of findings was quadratic.
    char_marks: std::sync::OnceLock<Vec<usize>>,
}

/// Bytes between two entries of [`SourceFile::char_marks`]: a column costs at most two
/// counts of this many bytes.
const CHAR_STRIDE: usize = 1024;

/// Characters that start in `bytes` (UTF-8 continuation bytes start none); also right
/// when `bytes` starts or ends inside a character.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl SourceFile {
    pub fn new(path: PathBuf, text: Arc<str>) -> Self {
        SourceFile {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
            char_marks: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// The path with forward slashes, as shown to users.
    pub fn display_path(&self) -> String {
        let s = self.path.to_string_lossy().replace('\\', "/");
        s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
    }

    /// Line and column (1-based) of a byte offset; offsets past the end clamp to the end.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line(offset);
        let line_start = self.line_starts().get(line - 1).copied().unwrap_or(0);
        LineCol {
            line,
            column: self.chars_between(line_start, offset) + 1,
        }
    }

    /// The 1-based line of a byte offset (a binary search; offsets past the end clamp).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }

    /// The bytes of 1-based line `line`, its line break included; an empty range at the end
    /// of the text for a line past the last.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let starts = self.line_starts();
        let len = self.text.len();
        match starts.get(line.wrapping_sub(1)) {
            Some(&start) => start..starts.get(line).copied().unwrap_or(len),
            None => len..len,
        }
    }

    /// Characters in `start..end` (byte offsets, `start <= end <= len`).
    fn chars_between(&self, start: usize, end: usize) -> usize {
        let bytes = self.text.as_bytes();
        if end - start <= 2 * CHAR_STRIDE {
            return bytes.get(start..end).map_or(end - start, chars_in);
        }
        self.chars_before(end) - self.chars_before(start)
    }

    /// Characters in `..offset`, from the nearest mark below it.
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = vec![0];
            let mut count = 0;
            for chunk in bytes.chunks(CHAR_STRIDE) {
                count += chars_in(chunk);
                marks.push(count);
            }
            marks
        });
        let mark = offset / CHAR_STRIDE;
        let counted = marks.get(mark).copied().unwrap_or(0);
        counted + bytes.get(mark * CHAR_STRIDE..offset).map_or(0, chars_in)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts().get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts()
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }
}

/// Every file vpclint has read in this run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(path.into(), text.into()));
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        // FileIds are only created by `add`, so an out-of-range id is a programming error.
        &self.files[id.0 as usize]
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The text a span covers (empty when out of range).
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.range()))
            .unwrap_or("")
    }

    pub fn start(&self, span: Span) -> LineCol {
        self.file(span.file).line_col(span.start as usize)
    }

    pub fn end(&self, span: Span) -> LineCol {
        self.file(span.file).line_col(span.end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let f = SourceFile::new("a.tf".into(), "ab\ncé d\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 3 });
        assert_eq!(f.line_text(2), "cé d");
        assert_eq!(f.line_col(1000), LineCol { line: 3, column: 1 });
        assert_eq!((f.line(0), f.line(2), f.line(3), f.line(9)), (1, 1, 2, 3));
        assert_eq!(f.line_range(2), 3..9);
        assert_eq!(f.line_range(3), 9..9);
        assert_eq!(f.line_range(0), 9..9);
    }

    /// Columns far along a long line come from the marks, and agree with counting.
    #[test]
    fn columns_on_long_lines_agree_with_counting() {
        let line = "é".repeat(3000) + &"a".repeat(5000) + "ü";
        let text = format!("x\n{line}\n");
        let f = SourceFile::new("a.json".into(), text.as_str().into());
        for offset in [
            2,
            4,
            2 + 2 * 1500,
            2 + 6000,
            2 + 6000 + 4000,
            text.len() - 1,
        ] {
            let counted = text.get(2..offset).map(|s| s.chars().count()).unwrap_or(0);
            assert_eq!(
                f.line_col(offset),
                LineCol {
                    line: 2,
                    column: counted + 1
                },
                "offset {offset}"
            );
        }
        // Inside a character: the character is counted, as it starts before the offset.
        assert_eq!(f.line_col(2 + 2 * 2000 + 1).column, 2002);
    }
}
