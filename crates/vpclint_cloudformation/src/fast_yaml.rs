//! A fast reader for the YAML that CloudFormation templates are written in: block mappings
//! and sequences, flow collections, plain and quoted single-line scalars, literal block
//! scalars (`|`, `|-`, `|+`), short-form tags and comments. It yields the events granit-parser
//! would (same values, styles, tags and byte spans) several times faster, and gives up on
//! everything else (folded or multi-line scalars, anchors, aliases, complex keys, tabs,
//! carriage returns, several documents, any error), in which case granit-parser reads the
//! file. The differential tests in `syntax.rs` hold the two to the same trees.

use std::borrow::Cow;

/// This reader does not handle the text; granit-parser decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GiveUp;

type Read<T> = Result<T, GiveUp>;

/// A tag as granit-parser reports it: handle (`!`, or `tag:yaml.org,2002:` for `!!`),
/// suffix, and the byte range of the tag as written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tag<'a> {
    pub handle: &'static str,
    pub suffix: &'a str,
    pub start: usize,
    pub end: usize,
}

/// One parse event (the subset of granit-parser's the tree builder reads).
#[derive(Debug)]
pub(crate) enum Event<'a> {
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
        start: usize,
        end: usize,
        tag: Option<Tag<'a>>,
    },
    SequenceStart {
        flow: bool,
        start: usize,
        tag: Option<Tag<'a>>,
    },
    MappingStart {
        flow: bool,
        start: usize,
        tag: Option<Tag<'a>>,
    },
    /// The end of the innermost open collection; `end` is after a flow collection's closing
    /// bracket (block collections end where their last item ends, which the builder knows).
    End { end: usize },
}

/// The events of a one-document YAML text, or `GiveUp`.
pub(crate) fn events(text: &str) -> Read<Vec<Event<'_>>> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        events: Vec::with_capacity(text.len() / 8),
        depth: 0,
    };
    r.document()?;
    Ok(r.events)
}

/// Deepest nesting this reader follows (the builder's own limit is larger; deeper texts go to
/// granit-parser, which reports them).
const MAX_DEPTH: usize = 200;

/// YAML limits an implicit key to 1024 characters; longer ones (counted in bytes here, which
/// is stricter) are left to granit-parser, which reports them.
const MAX_SIMPLE_KEY: usize = 1000;

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    events: Vec<Event<'a>>,
    depth: usize,
}

fn is_space_or_end(b: Option<u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\n'))
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

/// True when the text holds none of the characters granit-parser treats specially: tabs and
/// carriage returns, a byte order mark, control characters (which YAML forbids), and the
/// Unicode line breaks NEL, LS and PS.
fn plain_characters(bytes: &[u8]) -> bool {
    // Most templates are printable ASCII: one branch-free pass (vectorized) settles them.
    if bytes.iter().fold(true, |ok, &b| {
        ok & ((0x20..0x7f).contains(&b) | (b == b'\n'))
    }) {
        return true;
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | 0x20..=0x7e => {}
            0x00..=0x1f | 0x7f => return false,
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return false,
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                return false
            }
            0xef if bytes.get(i + 1) == Some(&0xbb) && bytes.get(i + 2) == Some(&0xbf) => {
                return false
            }
            0xef if bytes.get(i + 1) == Some(&0xbf)
                && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)) =>
            {
                return false
            }
            _ => {}
        }
        i += 1;
    }
    true
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    fn slice(&self, start: usize, end: usize) -> Read<&'a str> {
        self.text.get(start..end).ok_or(GiveUp)
    }

    /// The column of `pos` (indentation is spaces only, so bytes are columns).
    fn column(&self) -> usize {
        let line_start = self.bytes[..self.pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        self.pos - line_start
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Read<T>) -> Read<T> {
        if self.depth >= MAX_DEPTH {
            return Err(GiveUp);
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    /// Skips spaces (not newlines).
    fn spaces(&mut self) -> Read<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' => self.pos += 1,
                b'\t' | b'\r' => return Err(GiveUp),
                _ => break,
            }
        }
        Ok(())
    }

    /// After a node on a line: spaces, an optional comment, then the line ending (or the
    /// end of the text).
    fn end_of_line(&mut self) -> Read<()> {
        let before = self.pos;
        self.spaces()?;
        // A comment must be separated from what it follows.
        if self.peek() == Some(b'#') && (self.pos > before || self.column() == 0) {
            self.skip_to_line_end();
        }
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(GiveUp),
        }
    }

    fn skip_to_line_end(&mut self) {
        let rest = &self.bytes[self.pos..];
        self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    }

    /// Skips blank and comment-only lines from a line start; stops at the first content
    /// character (returning its column) or the end (`None`). A document marker (`---` or
    /// `...` at the start of a line) is left to granit.
    fn next_content_line(&mut self) -> Read<Option<usize>> {
        let col = self.next_content_line_or_marker()?;
        if col == Some(0) {
            let rest = &self.text[self.pos..];
            if (rest.starts_with("---") || rest.starts_with("..."))
                && is_space_or_end(self.peek_at(3))
            {
                return Err(GiveUp);
            }
        }
        Ok(col)
    }

    fn next_content_line_or_marker(&mut self) -> Read<Option<usize>> {
        loop {
            self.spaces()?;
            match self.peek() {
                None => return Ok(None),
                Some(b'\n') => self.pos += 1,
                Some(b'#') => {
                    self.skip_to_line_end();
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                }
                // Also when called at a line's first content character (after a nested
                // block ended there).
                Some(_) => return Ok(Some(self.column())),
            }
        }
    }

    fn document(&mut self) -> Read<()> {
        if !plain_characters(self.bytes) {
            return Err(GiveUp);
        }
        let mut col = self.next_content_line_or_marker()?.ok_or(GiveUp)?;
        if col == 0 && self.text[self.pos..].starts_with("---") && is_space_or_end(self.peek_at(3))
        {
            self.pos += 3;
            self.end_of_line()?;
            col = self.next_content_line()?.ok_or(GiveUp)?;
        }
        if matches!(self.peek(), Some(b'%'))
            || (col == 0
                && (self.text[self.pos..].starts_with("---")
                    || self.text[self.pos..].starts_with("...")))
        {
            return Err(GiveUp);
        }
        // The root must be a block mapping (a template).
        if !self.line_is_mapping_entry()? {
            return Err(GiveUp);
        }
        self.block_mapping(col)?;
        if self.pos != self.bytes.len() {
            return Err(GiveUp);
        }
        Ok(())
    }

    // ----- block context -----

    /// True when the line from `pos` starts a mapping entry (`key:` with a plain or quoted
    /// key followed by `: `, `:` at the end of the line, or `:` at the end of the text).
    fn line_is_mapping_entry(&self) -> Read<bool> {
        let rest = &self.bytes[self.pos..];
        let line = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
        match line.first() {
            // A flow collection, tag or block scalar: not a key of this reader's subset.
            Some(b'[' | b'{' | b'!' | b'|' | b'>' | b'&' | b'*' | b'?') => Ok(false),
            Some(b'"' | b'\'') => {
                // A quoted key: the quote must close on this line, then `:`.
                let quote = line[0];
                let mut i = 1;
                while i < line.len() {
                    if line[i] == b'\\' && quote == b'"' {
                        i += 2;
                        continue;
                    }
                    if line[i] == quote {
                        if quote == b'\'' && line.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                let after = line.get(i + 1..).unwrap_or_default();
                let after = &after[after.iter().take_while(|&&b| b == b' ').count()..];
                Ok(after.first() == Some(&b':') && matches!(after.get(1), None | Some(b' ')))
            }
            _ => {
                for i in 0..line.len() {
                    match line[i] {
                        b'#' if i > 0 && line[i - 1] == b' ' => return Ok(false),
                        b':' if matches!(line.get(i + 1), None | Some(b' ')) => return Ok(true),
                        _ => {}
                    }
                }
                Ok(false)
            }
        }
    }

    /// A block mapping whose first key is at `pos`, at column `col`.
    fn block_mapping(&mut self, col: usize) -> Read<()> {
        self.block_mapping_tagged(col, None)
    }

    fn block_mapping_tagged(&mut self, col: usize, tag: Option<Tag<'a>>) -> Read<()> {
        self.nested(|r| {
            r.events.push(Event::MappingStart {
                flow: false,
                start: r.pos,
                tag,
            });
            loop {
                r.mapping_entry(col)?;
                match r.next_content_line()? {
                    Some(n) if n == col => {
                        if r.peek() == Some(b'-') && is_space_or_end(r.peek_at(1)) {
                            return Err(GiveUp);
                        }
                    }
                    Some(n) if n > col => return Err(GiveUp),
                    _ => break,
                }
            }
            r.events.push(Event::End { end: r.pos });
            Ok(())
        })
    }

    /// `key: value` at `pos`; leaves `pos` at the start of the line after the value.
    fn mapping_entry(&mut self, col: usize) -> Read<()> {
        let key_start = self.pos;
        let (key, plain) = match self.peek() {
            Some(b'"') => (self.double_quoted()?, false),
            Some(b'\'') => (self.single_quoted()?, false),
            Some(b) if self.plain_may_start(b, false) => {
                let end = self.plain_key_end()?;
                let key = self.slice(key_start, end)?;
                self.pos = end;
                (Cow::Borrowed(key), true)
            }
            _ => return Err(GiveUp),
        };
        self.events.push(Event::Scalar {
            text: key,
            plain,
            start: key_start,
            end: self.pos,
            tag: None,
        });
        self.spaces()?;
        let colon = self.pos;
        if colon - key_start > MAX_SIMPLE_KEY {
            return Err(GiveUp);
        }
        if self.peek() != Some(b':') || !is_space_or_end(self.peek_at(1)) {
            return Err(GiveUp);
        }
        self.pos += 1;
        self.spaces()?;
        if matches!(self.peek(), None | Some(b'\n' | b'#')) {
            self.end_of_line()?;
            let value_line = self.pos;
            match self.next_content_line()? {
                Some(n) if n > col => self.block_node(n, col, None),
                Some(n)
                    if n == col
                        && self.peek() == Some(b'-')
                        && is_space_or_end(self.peek_at(1)) =>
                {
                    // A sequence at the key's own indentation.
                    self.block_sequence_at(n, None, true)
                }
                _ => {
                    self.pos = value_line;
                    self.empty_scalar(colon, None);
                    Ok(())
                }
            }
        } else {
            self.inline_node(col)
        }
    }

    /// The empty value of `key:` (granit-parser reads it as `~` at the colon; an empty
    /// tagged value as `""` after the tag).
    fn empty_scalar(&mut self, at: usize, tag: Option<Tag<'a>>) {
        self.events.push(Event::Scalar {
            text: Cow::Borrowed(if tag.is_some() { "" } else { "~" }),
            plain: true,
            start: at,
            end: at,
            tag,
        });
    }

    /// A node starting on its own line at column `col` (more indented than its parent at
    /// `parent`): a block mapping, a block sequence, or a scalar or flow node.
    fn block_node(&mut self, col: usize, parent: usize, tag: Option<Tag<'a>>) -> Read<()> {
        match self.peek() {
            Some(b'-') if is_space_or_end(self.peek_at(1)) => self.block_sequence_tagged(col, tag),
            _ if self.line_is_mapping_entry()? => self.block_mapping_tagged(col, tag),
            _ => self.inline_node_tagged(parent, tag),
        }
    }

    fn block_sequence(&mut self, col: usize) -> Read<()> {
        self.block_sequence_at(col, None, false)
    }

    fn block_sequence_tagged(&mut self, col: usize, tag: Option<Tag<'a>>) -> Read<()> {
        self.block_sequence_at(col, tag, false)
    }

    /// A block sequence whose first `-` is at `pos`, column `col`. granit-parser starts an
    /// indentless one (at its key's indentation) at its first item, others at the `-`.
    fn block_sequence_at(
        &mut self,
        col: usize,
        tag: Option<Tag<'a>>,
        indentless: bool,
    ) -> Read<()> {
        self.nested(|r| {
            let start = if indentless {
                let item = r.pos
                    + 1
                    + r.bytes[r.pos + 1..]
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                if matches!(r.bytes.get(item), None | Some(b'\n' | b'#')) {
                    return Err(GiveUp);
                }
                item
            } else {
                r.pos
            };
            r.events.push(Event::SequenceStart {
                flow: false,
                start,
                tag,
            });
            loop {
                // At `-`.
                r.pos += 1;
                r.spaces()?;
                if matches!(r.peek(), None | Some(b'\n' | b'#')) {
                    r.end_of_line()?;
                    match r.next_content_line()? {
                        Some(n) if n > col => r.block_node(n, col, None)?,
                        _ => return Err(GiveUp),
                    }
                } else {
                    let item_col = r.column();
                    match r.peek() {
                        Some(b'-') if is_space_or_end(r.peek_at(1)) => {
                            r.block_sequence(item_col)?
                        }
                        _ if r.line_is_mapping_entry()? => r.block_mapping(item_col)?,
                        _ => r.inline_node(col)?,
                    }
                }
                match r.next_content_line()? {
                    Some(n)
                        if n == col && r.peek() == Some(b'-') && is_space_or_end(r.peek_at(1)) => {}
                    Some(n) if n > col => return Err(GiveUp),
                    _ => break,
                }
            }
            r.events.push(Event::End { end: r.pos });
            Ok(())
        })
    }

    /// A value on the rest of the line (after `key: ` or `- `), inside a block at `parent`:
    /// a scalar, a flow collection, a literal block scalar, or a tag and one of those (or a
    /// tag and a block node on the next lines).
    fn inline_node(&mut self, parent: usize) -> Read<()> {
        self.inline_node_tagged(parent, None)
    }

    fn inline_node_tagged(&mut self, parent: usize, outer_tag: Option<Tag<'a>>) -> Read<()> {
        let tag = match (outer_tag, self.peek()) {
            (None, Some(b'!')) => {
                let tag = self.tag()?;
                self.spaces()?;
                if matches!(self.peek(), None | Some(b'\n' | b'#')) {
                    self.end_of_line()?;
                    let value_line = self.pos;
                    return match self.next_content_line()? {
                        Some(n) if n > parent => self.block_node(n, parent, Some(tag)),
                        _ => {
                            self.pos = value_line;
                            self.empty_scalar(tag.end, Some(tag));
                            Ok(())
                        }
                    };
                }
                Some(tag)
            }
            (tag, _) => tag,
        };
        match self.peek() {
            Some(b'[' | b'{') => {
                self.flow_node(parent, tag)?;
                self.end_of_line()
            }
            Some(b'"' | b'\'') => self.quoted_value(tag),
            Some(b'|' | b'>') => self.block_scalar(parent, tag),
            Some(b) if self.plain_may_start(b, false) => {
                let start = self.pos;
                let end = self.plain_value_end()?;
                let text = self.slice(start, end)?;
                self.pos = end;
                self.events.push(Event::Scalar {
                    text: Cow::Borrowed(text),
                    plain: true,
                    start,
                    end,
                    tag,
                });
                self.end_of_line()
            }
            _ => Err(GiveUp),
        }
    }

    fn quoted_value(&mut self, tag: Option<Tag<'a>>) -> Read<()> {
        let start = self.pos;
        let text = if self.peek() == Some(b'"') {
            self.double_quoted()?
        } else {
            self.single_quoted()?
        };
        self.events.push(Event::Scalar {
            text,
            plain: false,
            start,
            end: self.pos,
            tag,
        });
        self.end_of_line()
    }

    /// Whether a plain scalar may start with `b` here.
    fn plain_may_start(&self, b: u8, flow: bool) -> bool {
        match b {
            b'-' | b'?' | b':' => {
                let next = self.peek_at(1);
                !(is_space_or_end(next) || (flow && next.is_some_and(is_flow_indicator)))
            }
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
            _ => true,
        }
    }

    /// The end of a plain key on this line (before `:` and the spaces before it).
    fn plain_key_end(&self) -> Read<usize> {
        let mut i = self.pos;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\n' => return Err(GiveUp),
                b'#' if self.bytes.get(i.wrapping_sub(1)) == Some(&b' ') => return Err(GiveUp),
                b':' if is_space_or_end(self.bytes.get(i + 1).copied()) => {
                    let mut end = i;
                    while end > self.pos && self.bytes[end - 1] == b' ' {
                        end -= 1;
                    }
                    return Ok(end);
                }
                _ => i += 1,
            }
        }
        Err(GiveUp)
    }

    /// The end of a plain value on this line (before a comment and trailing spaces); gives up
    /// on `: ` (a mapping where none may start).
    fn plain_value_end(&self) -> Read<usize> {
        let mut i = self.pos;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\n' => break,
                b'#' if self.bytes.get(i.wrapping_sub(1)) == Some(&b' ') => break,
                b':' if is_space_or_end(self.bytes.get(i + 1).copied()) => return Err(GiveUp),
                _ => i += 1,
            }
        }
        let mut end = i;
        while end > self.pos && self.bytes[end - 1] == b' ' {
            end -= 1;
        }
        Ok(end)
    }

    /// `!Name` or `!!name`.
    fn tag(&mut self) -> Read<Tag<'a>> {
        let start = self.pos;
        self.pos += 1;
        let handle = if self.peek() == Some(b'!') {
            self.pos += 1;
            "tag:yaml.org,2002:"
        } else {
            "!"
        };
        let suffix_start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'))
        {
            self.pos += 1;
        }
        if self.pos == suffix_start || !is_space_or_end(self.peek()) {
            return Err(GiveUp);
        }
        Ok(Tag {
            handle,
            suffix: self.slice(suffix_start, self.pos)?,
            start,
            end: self.pos,
        })
    }

    /// A literal (`|`) or folded (`>`) block scalar with its chomping indicator (`-`, `+`)
    /// and its lines (more indented than `parent`). Folded lines that are more indented than
    /// the first (kept as written) are left to granit.
    fn block_scalar(&mut self, parent: usize, tag: Option<Tag<'a>>) -> Read<()> {
        let folded = self.peek() == Some(b'>');
        self.pos += 1;
        #[derive(PartialEq)]
        enum Chomp {
            Clip,
            Strip,
            Keep,
        }
        let chomp = match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                Chomp::Strip
            }
            Some(b'+') => {
                self.pos += 1;
                Chomp::Keep
            }
            _ => Chomp::Clip,
        };
        if !matches!(self.peek(), None | Some(b' ' | b'\n')) {
            return Err(GiveUp);
        }
        self.end_of_line()?;
        // The first line sets the indentation; leading blank lines are left to granit.
        let first_line = self.pos;
        let indent = self.bytes[first_line..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        match self.bytes.get(first_line + indent) {
            None | Some(b'\n') => return Err(GiveUp),
            Some(_) if indent <= parent => return Err(GiveUp),
            Some(_) => {}
        }
        let start = first_line + indent;
        let mut value = String::new();
        let mut pending_blank = 0usize;
        let mut line = first_line;
        let mut ended_with_newline = true;
        loop {
            if line >= self.bytes.len() {
                break;
            }
            let rest = &self.bytes[line..];
            let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let spaces = rest[..len].iter().take_while(|&&b| b == b' ').count();
            if spaces == len {
                // A blank line: content if more lines follow, trailing otherwise.
                if spaces > indent {
                    return Err(GiveUp);
                }
                if line + len >= self.bytes.len() {
                    // Spaces to the end of the text.
                    line += len;
                    break;
                }
                pending_blank += 1;
                line += len + 1;
                continue;
            }
            if spaces < indent {
                break;
            }
            let content = self.slice(line + indent, line + len)?;
            if folded {
                if content.starts_with(' ') {
                    return Err(GiveUp);
                }
                // Between two lines: one line break folds into a space; blank lines stay.
                if !value.is_empty() {
                    value.pop();
                    if pending_blank == 0 {
                        value.push(' ');
                    }
                }
            }
            for _ in 0..pending_blank {
                value.push('\n');
            }
            pending_blank = 0;
            value.push_str(content);
            value.push('\n');
            ended_with_newline = line + len < self.bytes.len();
            line += len + usize::from(ended_with_newline);
        }
        // The span runs to the next token: past trailing blank lines and the indentation of
        // the line after them.
        let mut end = line.min(self.bytes.len());
        while self.bytes.get(end) == Some(&b' ') {
            end += 1;
        }
        match chomp {
            Chomp::Clip => {}
            Chomp::Strip => {
                value.pop();
            }
            Chomp::Keep => {
                if !ended_with_newline {
                    return Err(GiveUp);
                }
                for _ in 0..pending_blank {
                    value.push('\n');
                }
            }
        }
        self.events.push(Event::Scalar {
            text: Cow::Owned(value),
            plain: false,
            start,
            end,
            tag,
        });
        // Leave `pos` at the start of the line that ended the scalar.
        self.pos = line.min(self.bytes.len());
        Ok(())
    }

    // ----- scalars -----

    fn single_quoted(&mut self) -> Read<Cow<'a, str>> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(GiveUp),
                Some(b'\'') if self.peek_at(1) == Some(b'\'') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.slice(start, self.pos)?);
                    s.push('\'');
                    self.pos += 2;
                    return self.single_quoted_rest(owned.take().unwrap_or_default());
                }
                Some(b'\'') => {
                    let text = self.slice(start, self.pos)?;
                    self.pos += 1;
                    return Ok(Cow::Borrowed(text));
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn single_quoted_rest(&mut self, mut out: String) -> Read<Cow<'a, str>> {
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(GiveUp),
                Some(b'\'') if self.peek_at(1) == Some(b'\'') => {
                    out.push('\'');
                    self.pos += 2;
                }
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(_) => {
                    let run_start = self.pos;
                    while !matches!(self.peek(), None | Some(b'\n' | b'\'')) {
                        self.pos += 1;
                    }
                    out.push_str(self.slice(run_start, self.pos)?);
                }
            }
        }
    }

    fn double_quoted(&mut self) -> Read<Cow<'a, str>> {
        self.pos += 1;
        let start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    let text = self.slice(start, self.pos)?;
                    self.pos += 1;
                    return Ok(Cow::Borrowed(text));
                }
                b'\\' => break,
                b'\n' => return Err(GiveUp),
                _ => self.pos += 1,
            }
        }
        let mut out = self.slice(start, self.pos)?.to_owned();
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(GiveUp),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let c = self.peek_at(1).ok_or(GiveUp)?;
                    self.pos += 2;
                    match c {
                        b'\\' => out.push('\\'),
                        b'"' => out.push('"'),
                        b'/' => out.push('/'),
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'0' => out.push('\0'),
                        b'b' => out.push('\u{08}'),
                        b'f' => out.push('\u{0C}'),
                        b'x' => out.push(self.hex(2)?),
                        b'u' => out.push(self.hex(4)?),
                        b'U' => out.push(self.hex(8)?),
                        _ => return Err(GiveUp),
                    }
                }
                Some(_) => {
                    let run_start = self.pos;
                    while !matches!(self.peek(), None | Some(b'\n' | b'"' | b'\\')) {
                        self.pos += 1;
                    }
                    out.push_str(self.slice(run_start, self.pos)?);
                }
            }
        }
    }

    fn hex(&mut self, digits: usize) -> Read<char> {
        let hex = self.slice(self.pos, self.pos + digits)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(GiveUp);
        }
        self.pos += digits;
        let code = u32::from_str_radix(hex, 16).map_err(|_| GiveUp)?;
        char::from_u32(code).ok_or(GiveUp)
    }

    // ----- flow context -----

    /// Spaces, newlines and comments inside a flow collection; a line break must be followed
    /// by indentation deeper than the enclosing block (`parent`).
    fn flow_space(&mut self, parent: usize) -> Read<()> {
        loop {
            match self.peek() {
                Some(b' ') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    let indent = self.bytes[self.pos..]
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                    if indent <= parent && !matches!(self.bytes.get(self.pos + indent), Some(b'\n'))
                    {
                        return Err(GiveUp);
                    }
                }
                Some(b'#') if self.pos > 0 && matches!(self.bytes[self.pos - 1], b' ' | b'\n') => {
                    self.skip_to_line_end()
                }
                Some(b'\t' | b'\r') => return Err(GiveUp),
                _ => return Ok(()),
            }
        }
    }

    /// A flow collection or scalar (with an optional tag).
    fn flow_node(&mut self, parent: usize, tag: Option<Tag<'a>>) -> Read<()> {
        let tag = match (tag, self.peek()) {
            (None, Some(b'!')) => {
                let t = self.tag()?;
                if self.peek() != Some(b' ') {
                    return Err(GiveUp);
                }
                self.flow_space(parent)?;
                Some(t)
            }
            (t, _) => t,
        };
        match self.peek() {
            Some(b'[') => self.nested(|r| r.flow_sequence(parent, tag)),
            Some(b'{') => self.nested(|r| r.flow_mapping(parent, tag)),
            Some(b'"' | b'\'') => {
                let start = self.pos;
                let text = if self.peek() == Some(b'"') {
                    self.double_quoted()?
                } else {
                    self.single_quoted()?
                };
                self.events.push(Event::Scalar {
                    text,
                    plain: false,
                    start,
                    end: self.pos,
                    tag,
                });
                Ok(())
            }
            Some(b) if self.plain_may_start(b, true) => {
                let start = self.pos;
                while let Some(b) = self.peek() {
                    match b {
                        b'\n' | b',' | b'[' | b']' | b'{' | b'}' => break,
                        b'#' if self.bytes[self.pos - 1] == b' ' => break,
                        b':' if self
                            .peek_at(1)
                            .is_none_or(|n| n == b' ' || n == b'\n' || is_flow_indicator(n)) =>
                        {
                            break
                        }
                        _ => self.pos += 1,
                    }
                }
                let mut end = self.pos;
                while end > start && self.bytes[end - 1] == b' ' {
                    end -= 1;
                }
                // A plain scalar that goes on after a line break is left to granit.
                if self.peek() == Some(b'\n') {
                    let after = self.pos;
                    self.flow_space(parent)?;
                    if !matches!(self.peek(), Some(b',' | b']' | b'}' | b':')) {
                        return Err(GiveUp);
                    }
                    self.pos = after;
                }
                let text = self.slice(start, end)?;
                self.events.push(Event::Scalar {
                    text: Cow::Borrowed(text),
                    plain: true,
                    start,
                    end,
                    tag,
                });
                self.pos = end;
                Ok(())
            }
            _ => Err(GiveUp),
        }
    }

    /// After a flow item: `,` and the next item (`false`), or the closing bracket (`true`,
    /// not consumed). A trailing comma is left to granit.
    fn flow_item_end(&mut self, parent: usize, close: u8) -> Read<bool> {
        self.flow_space(parent)?;
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.flow_space(parent)?;
                if self.peek() == Some(close) {
                    return Err(GiveUp);
                }
                Ok(false)
            }
            Some(b) if b == close => Ok(true),
            _ => Err(GiveUp),
        }
    }

    fn flow_sequence(&mut self, parent: usize, tag: Option<Tag<'a>>) -> Read<()> {
        self.events.push(Event::SequenceStart {
            flow: true,
            start: self.pos,
            tag,
        });
        self.pos += 1;
        self.flow_space(parent)?;
        if self.peek() != Some(b']') {
            loop {
                self.flow_node(parent, None)?;
                if self.flow_item_end(parent, b']')? {
                    break;
                }
            }
        }
        self.pos += 1;
        self.events.push(Event::End { end: self.pos });
        Ok(())
    }

    fn flow_mapping(&mut self, parent: usize, tag: Option<Tag<'a>>) -> Read<()> {
        self.events.push(Event::MappingStart {
            flow: true,
            start: self.pos,
            tag,
        });
        self.pos += 1;
        self.flow_space(parent)?;
        if self.peek() != Some(b'}') {
            loop {
                // The key: a scalar (no tag, no collection).
                if matches!(self.peek(), Some(b'!' | b'[' | b'{')) {
                    return Err(GiveUp);
                }
                let key_start = self.pos;
                self.flow_node(parent, None)?;
                self.flow_space(parent)?;
                if self.pos - key_start > MAX_SIMPLE_KEY {
                    return Err(GiveUp);
                }
                if self.peek() != Some(b':') {
                    return Err(GiveUp);
                }
                self.pos += 1;
                if !matches!(self.peek(), Some(b' ' | b'\n')) {
                    return Err(GiveUp);
                }
                self.flow_space(parent)?;
                if matches!(self.peek(), Some(b',' | b'}')) {
                    return Err(GiveUp);
                }
                self.flow_node(parent, None)?;
                if self.flow_item_end(parent, b'}')? {
                    break;
                }
            }
        }
        self.pos += 1;
        self.events.push(Event::End { end: self.pos });
        Ok(())
    }
}
