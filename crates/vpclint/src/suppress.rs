//! Inline suppressions, applied once for every rule (rules never see them).
//!
//! - A comment `vpclint:ignore VPC103` (IDs or names, comma- or space-separated, optionally
//!   followed by ` -- reason`) in Terraform (`#` or `//`) or CloudFormation YAML (`#`):
//!   - on a line of its own, it applies to the next line that is not a comment;
//!   - after code, it applies to its own line.
//!
//!   A finding is suppressed when that line is its anchor resource's header (the block header,
//!   the logical ID) or a line of the attribute it is anchored to.
//! - `vpclint:ignore-file VPC501` before the first non-comment line of a file suppresses the
//!   rule for every finding in that file.
//! - CloudFormation `Metadata: {vpclint: {ignore: [...]}}` is applied by the engine (the graph
//!   carries it); here it is only accounted for, so `--warn-unused-ignores` covers it too.
//!
//! Comments are found by a small lexer per file kind that knows strings, heredocs, block
//! comments (HCL) and block scalars (YAML), so a `#` inside a value is never a directive.

use std::collections::{BTreeMap, HashSet};

use vpclint_graph::{FileId, Origin, SourceFile, SourceMap, Span, VpcGraph};
use vpclint_linter::{find_rule, EnabledRule, Finding, RULES};

/// A suppression that suppressed nothing (or cannot work), for `--warn-unused-ignores`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedIgnore {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Applies to findings whose anchor header or attribute is on this 1-based line.
    Line(usize),
    /// Applies to the whole file.
    File,
    /// An `ignore-file` after the first non-comment line: applies to nothing.
    MisplacedFile,
}

/// One rule named in one comment.
#[derive(Debug, Clone)]
struct Directive {
    file: FileId,
    scope: Scope,
    /// The rule as written, and where.
    rule: String,
    span: Span,
    used: bool,
}

/// Every comment directive in the source map, with what each has suppressed so far.
#[derive(Debug, Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
}

impl Suppressions {
    /// Scans every Terraform and YAML file of the source map for directives.
    pub fn scan(sources: &SourceMap) -> Self {
        let mut directives = Vec::new();
        for (id, file) in sources.iter() {
            // Cheap pre-check: most files have no directive at all.
            if !file.text.contains("vpclint:") {
                continue;
            }
            let comments = match syntax_of(file) {
                Syntax::Hcl => hcl_comments(&file.text),
                Syntax::Yaml => yaml_comments(&file.text),
                Syntax::None => continue,
            };
            directives.extend(directives_in(id, file, &comments));
        }
        Suppressions { directives }
    }

    /// Removes the findings a directive suppresses, and marks those directives used.
    pub fn apply(&mut self, findings: Vec<Finding>, sources: &SourceMap) -> Vec<Finding> {
        if self.directives.is_empty() {
            return findings;
        }
        findings
            .into_iter()
            .filter(|finding| !self.suppress(finding, sources))
            .collect()
    }

    fn suppress(&mut self, finding: &Finding, sources: &SourceMap) -> bool {
        let line_of = |span: Span| sources.get(span.file).map(|f| f.line(span.start as usize));
        let anchor_line = line_of(finding.anchor);
        let primary = finding.primary.span;
        let primary_lines = sources.get(primary.file).map(|f| {
            let start = f.line(primary.start as usize);
            let end = f.line(primary.end as usize);
            // A primary span that is the whole anchor is matched on its first line only.
            if primary == finding.anchor {
                (start, start)
            } else {
                (start, end.max(start))
            }
        });
        let mut suppressed = false;
        for directive in &mut self.directives {
            if !names(&directive.rule, finding) {
                continue;
            }
            let applies = match directive.scope {
                Scope::File => directive.file == primary.file,
                Scope::Line(line) => {
                    (directive.file == finding.anchor.file && anchor_line == Some(line))
                        || (directive.file == primary.file
                            && primary_lines.is_some_and(|(a, b)| (a..=b).contains(&line)))
                }
                Scope::MisplacedFile => false,
            };
            if applies {
                directive.used = true;
                suppressed = true;
            }
        }
        suppressed
    }

    /// Directives that suppressed nothing: unknown rules, misplaced `ignore-file`, and rules
    /// that ran and were not reported there. Rules that did not run are not judged.
    pub fn unused(&self, enabled: &[EnabledRule]) -> Vec<UnusedIgnore> {
        self.directives
            .iter()
            .filter(|d| !d.used)
            .filter_map(|d| {
                let message = match (d.scope, find_rule(&d.rule)) {
                    (_, None) => format!(
                        "`vpclint:ignore {}` names no rule; `vpclint rules` lists them",
                        d.rule
                    ),
                    (Scope::MisplacedFile, Some(_)) => format!(
                        "`vpclint:ignore-file {}` has no effect: it must come before the first \
                         line that is not a comment",
                        d.rule
                    ),
                    (scope, Some(rule)) => {
                        let id = rule.meta().id;
                        if !enabled.iter().any(|e| e.rule.meta().id == id) {
                            return None;
                        }
                        let form = if scope == Scope::File {
                            "vpclint:ignore-file"
                        } else {
                            "vpclint:ignore"
                        };
                        format!("unused suppression: `{form} {}` suppressed nothing", d.rule)
                    }
                };
                Some(UnusedIgnore {
                    span: d.span,
                    message,
                })
            })
            .collect()
    }
}

/// Whether a directive's rule (an ID or a name, exactly) names the finding's rule.
fn names(rule: &str, finding: &Finding) -> bool {
    rule.eq_ignore_ascii_case(finding.rule.id) || rule.eq_ignore_ascii_case(finding.rule.name)
}

/// CloudFormation `Metadata: {vpclint: {ignore: [...]}}` entries that suppressed nothing.
///
/// `suppressed` are the findings the engine dropped because of metadata. An entry is used
/// when one of them is anchored on its resource and names its rule.
pub fn unused_metadata_ignores(
    graphs: &[VpcGraph],
    suppressed: &[Finding],
    enabled: &[EnabledRule],
    sources: &SourceMap,
) -> Vec<UnusedIgnore> {
    // (stack, logical ID) → (header span, entries). Inline items (`Sg.SecurityGroupIngress[0]`)
    // carry their resource's entries too; they are one resource's metadata.
    let mut resources: BTreeMap<(String, String), (Span, Vec<String>)> = BTreeMap::new();
    for graph in graphs {
        for origin in origins(graph) {
            if origin.suppressed_rules.is_empty() {
                continue;
            }
            let key = (graph.stack.clone(), logical_id(&origin.address).to_owned());
            let entry = resources
                .entry(key)
                .or_insert_with(|| (origin.span, origin.suppressed_rules.clone()));
            if origin.address == logical_id(&origin.address) {
                entry.0 = origin.span;
            }
        }
    }
    let used: HashSet<(String, String, &'static str)> = suppressed
        .iter()
        .flat_map(|f| {
            f.stacks
                .iter()
                .map(|stack| (stack.clone(), logical_id(&f.resource).to_owned(), f.rule.id))
        })
        .collect();
    // Header starts per file, to bound the search for an entry's text.
    let mut headers: BTreeMap<FileId, Vec<u32>> = BTreeMap::new();
    for (header, _) in resources.values() {
        headers.entry(header.file).or_default().push(header.start);
    }
    for starts in headers.values_mut() {
        starts.sort_unstable();
    }

    let mut unused = Vec::new();
    for ((stack, id), (header, entries)) in &resources {
        for entry in entries {
            let matching: Vec<&'static str> = RULES
                .iter()
                .map(|r| r.meta())
                .filter(|m| m.matches(entry) && !entry.eq_ignore_ascii_case("ALL"))
                .map(|m| m.id)
                .collect();
            let message = if matching.is_empty() {
                format!("metadata `vpclint: ignore: {entry}` of {id} names no rule; `vpclint rules` lists them")
            } else if matching
                .iter()
                .any(|rule| used.contains(&(stack.clone(), id.clone(), *rule)))
                || !matching
                    .iter()
                    .any(|rule| enabled.iter().any(|e| e.rule.meta().id == *rule))
            {
                continue;
            } else {
                format!("unused suppression: metadata `vpclint: ignore: {entry}` of {id} suppressed nothing")
            };
            let end = headers
                .get(&header.file)
                .and_then(|starts| starts.iter().find(|s| **s > header.start).copied());
            unused.push(UnusedIgnore {
                span: entry_span(sources, *header, end, entry).unwrap_or(*header),
                message,
            });
        }
    }
    unused
}

/// The CloudFormation logical ID of a graph address (`Sg.SecurityGroupIngress[0]` → `Sg`).
fn logical_id(address: &str) -> &str {
    address.split(['.', '[']).next().unwrap_or(address)
}

/// Where `entry` is written in the resource's `vpclint` metadata, searching from its header
/// up to the next resource's header.
fn entry_span(sources: &SourceMap, header: Span, end: Option<u32>, entry: &str) -> Option<Span> {
    let file = sources.get(header.file)?;
    let start = header.start as usize;
    let end = end.map_or(file.text.len(), |e| e as usize);
    let text = file.text.get(start..end)?;
    let after = text.find("vpclint")?;
    let at = text.get(after..)?.find(entry)? + after + start;
    Some(Span::new(header.file, at, at + entry.len()))
}

/// Every node's origin in a graph.
fn origins(graph: &VpcGraph) -> Vec<&Origin> {
    let mut all: Vec<&Origin> = Vec::new();
    macro_rules! collect {
        ($($arena:ident),* $(,)?) => {
            $( all.extend(graph.$arena.values().map(|node| &node.origin)); )*
        };
    }
    collect!(
        vpcs,
        subnets,
        route_tables,
        routes,
        route_table_associations,
        main_route_table_associations,
        cidr_associations,
        internet_gateways,
        gateway_attachments,
        egress_only_gateways,
        nat_gateways,
        peerings,
        peering_accepters,
        endpoints,
        endpoint_associations,
        flow_logs,
        security_groups,
        security_group_rules,
        buckets,
        bucket_policies,
        log_groups,
    );
    all
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Hcl,
    Yaml,
    None,
}

fn syntax_of(file: &SourceFile) -> Syntax {
    let name = file.path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tf") || name.ends_with(".tfvars") || name.ends_with(".hcl") {
        Syntax::Hcl
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Syntax::Yaml
    } else if name.ends_with(".template") {
        // `.template` is JSON or YAML; JSON has no comments.
        if file.text.trim_start().starts_with('{') {
            Syntax::None
        } else {
            Syntax::Yaml
        }
    } else {
        Syntax::None
    }
}

/// A comment found by a lexer: its body (after `#` / `//`) and facts about its line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Comment {
    /// 1-based line.
    line: usize,
    /// Byte offset of the body in the file.
    body_start: usize,
    body: String,
    /// Whether code precedes the comment on its line.
    trailing: bool,
}

/// What the lexers report: the comments, and which lines hold code (anything else than
/// whitespace and comments).
#[derive(Debug, Default)]
struct Comments {
    comments: Vec<Comment>,
    code_lines: Vec<bool>,
}

fn directives_in(file: FileId, source: &SourceFile, comments: &Comments) -> Vec<Directive> {
    let is_code = |line: usize| comments.code_lines.get(line - 1).copied().unwrap_or(false);
    let first_code_line = (1..=comments.code_lines.len()).find(|l| is_code(*l));
    let line_count = comments.code_lines.len();
    let is_comment_line = |line: usize| {
        comments
            .comments
            .iter()
            .any(|c| c.line == line && !c.trailing)
    };
    let mut out = Vec::new();
    for comment in &comments.comments {
        let Some((kind, rules)) = parse_directive(&comment.body) else {
            continue;
        };
        let scope = match kind {
            DirectiveKind::File => {
                if first_code_line.is_some_and(|l| l < comment.line) {
                    Scope::MisplacedFile
                } else {
                    Scope::File
                }
            }
            DirectiveKind::Line if comment.trailing => Scope::Line(comment.line),
            DirectiveKind::Line => {
                // The next line that is not a comment of its own.
                let mut target = comment.line + 1;
                while target <= line_count && is_comment_line(target) {
                    target += 1;
                }
                Scope::Line(target)
            }
        };
        for (offset, rule) in rules {
            let start = comment.body_start + offset;
            out.push(Directive {
                file,
                scope,
                rule: rule.to_owned(),
                span: Span::new(file, start, start + rule.len()),
                used: false,
            });
        }
    }
    // Keep the source text alive in the signature: directives point into it.
    let _ = source;
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DirectiveKind {
    Line,
    File,
}

/// Parses a comment body: `vpclint:ignore RULE[, RULE...] [-- reason]`. Returns the kind and
/// each rule with its byte offset in the body.
fn parse_directive(body: &str) -> Option<(DirectiveKind, Vec<(usize, &str)>)> {
    let lead = body.len() - body.trim_start().len();
    let rest = &body[lead..];
    let (kind, after) = if let Some(after) = rest.strip_prefix("vpclint:ignore-file") {
        (DirectiveKind::File, after)
    } else if let Some(after) = rest.strip_prefix("vpclint:ignore") {
        (DirectiveKind::Line, after)
    } else {
        return None;
    };
    // `vpclint:ignored` is not a directive.
    if after.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    let list_start = body.len() - after.len();
    let list = match after.find("--") {
        Some(reason) => &after[..reason],
        None => after,
    };
    let mut rules = Vec::new();
    let mut token_start = None;
    for (i, c) in list
        .char_indices()
        .chain(std::iter::once((list.len(), ' ')))
    {
        let separator = c.is_whitespace() || c == ',';
        match (separator, token_start) {
            (false, None) => token_start = Some(i),
            (true, Some(start)) => {
                rules.push((list_start + start, &list[start..i]));
                token_start = None;
            }
            _ => {}
        }
    }
    Some((kind, rules))
}

/// Comments in HCL: `#` and `//` to the end of the line, `/* */` blocks (skipped), strings with
/// `${ }` interpolation (which may hold strings), and heredocs (skipped).
fn hcl_comments(text: &str) -> Comments {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Code,
        Str,
        Interp(u32),
    }
    let mut out = Comments::default();
    let mut heredoc: Option<String> = None;
    let mut block_comment = false;
    let mut offset = 0;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let line_start = offset;
        offset += raw_line.len();
        let mut has_code = false;
        if let Some(end) = &heredoc {
            has_code = true;
            if line.trim() == end {
                heredoc = None;
            }
            out.code_lines.push(has_code);
            continue;
        }
        let bytes = line.as_bytes();
        let mut stack = vec![State::Code];
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let next = bytes.get(i + 1).copied();
            if block_comment {
                if b == b'*' && next == Some(b'/') {
                    block_comment = false;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            let state = stack.last().copied().unwrap_or(State::Code);
            match state {
                State::Str => match b {
                    b'\\' => i += 2,
                    b'"' => {
                        stack.pop();
                        i += 1;
                    }
                    b'$' | b'%' if next == Some(b'{') => {
                        stack.push(State::Interp(0));
                        i += 2;
                    }
                    _ => i += 1,
                },
                State::Code | State::Interp(_) => {
                    if b == b'#' || (b == b'/' && next == Some(b'/')) {
                        let body_at = i + if b == b'#' { 1 } else { 2 };
                        out.comments.push(Comment {
                            line: line_no,
                            body_start: line_start + body_at,
                            body: line[body_at..].to_owned(),
                            trailing: has_code,
                        });
                        break;
                    }
                    if b == b'/' && next == Some(b'*') {
                        block_comment = true;
                        i += 2;
                        continue;
                    }
                    if !b.is_ascii_whitespace() {
                        has_code = true;
                    }
                    match b {
                        b'"' => stack.push(State::Str),
                        b'{' => {
                            if let Some(State::Interp(depth)) = stack.last_mut() {
                                *depth += 1;
                            }
                        }
                        b'}' => match stack.last_mut() {
                            Some(State::Interp(0)) => {
                                stack.pop();
                            }
                            Some(State::Interp(depth)) => *depth -= 1,
                            _ => {}
                        },
                        b'<' if next == Some(b'<') && state == State::Code => {
                            let rest = line[i + 2..].trim_start_matches('-');
                            let ident: String = rest
                                .chars()
                                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                                .collect();
                            if !ident.is_empty() && rest[ident.len()..].trim().is_empty() {
                                heredoc = Some(ident);
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
        }
        out.code_lines.push(has_code);
    }
    out
}

/// Comments in YAML: `#` at the start of a line or after whitespace, outside quoted scalars
/// and block scalars (`|`, `>`).
fn yaml_comments(text: &str) -> Comments {
    let mut out = Comments::default();
    // Indentation of the line that opened a block scalar; its content is more indented.
    let mut block_scalar: Option<usize> = None;
    let mut offset = 0;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let line_start = offset;
        offset += raw_line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                out.code_lines.push(!line.trim().is_empty());
                continue;
            }
            block_scalar = None;
        }
        let bytes = line.as_bytes();
        let mut has_code = false;
        let mut quote: Option<u8> = None;
        let mut i = 0;
        let mut comment_at = None;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(b'"') if b == b'\\' => i += 1,
                Some(q) if b == q => {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        quote = None;
                    }
                }
                Some(_) => {}
                None => {
                    if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
                        comment_at = Some(i);
                        break;
                    }
                    if (b == b'"' || b == b'\'')
                        && (i == 0
                            || matches!(
                                bytes[i - 1],
                                b' ' | b'\t' | b'[' | b'{' | b',' | b':' | b'-'
                            ))
                    {
                        quote = Some(b);
                    }
                    if !b.is_ascii_whitespace() {
                        has_code = true;
                    }
                }
            }
            i += 1;
        }
        let code = &line[..comment_at.unwrap_or(line.len())];
        let code_trimmed = code.trim_end();
        if quote.is_none()
            && (code_trimmed.ends_with(": |")
                || code_trimmed.ends_with(": >")
                || code_trimmed.ends_with("- |")
                || code_trimmed.ends_with("- >")
                || is_block_indicator(code_trimmed))
        {
            block_scalar = Some(indent);
        }
        if let Some(at) = comment_at {
            out.comments.push(Comment {
                line: line_no,
                body_start: line_start + at + 1,
                body: line[at + 1..].to_owned(),
                trailing: has_code,
            });
        }
        out.code_lines.push(has_code);
    }
    out
}

/// `key: |-`, `key: >+2`, `- |` and the like.
fn is_block_indicator(code: &str) -> bool {
    let Some(last) = code.rsplit([' ', '\t']).next() else {
        return false;
    };
    let before = &code[..code.len() - last.len()];
    let opener = before.trim_end().ends_with(':') || before.trim_end().ends_with('-');
    let mut chars = last.chars();
    opener
        && matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(comments: &Comments) -> Vec<(usize, &str, bool)> {
        comments
            .comments
            .iter()
            .map(|c| (c.line, c.body.trim(), c.trailing))
            .collect()
    }

    #[test]
    fn parses_ids_names_lists_and_reasons() {
        let (kind, rules) =
            parse_directive(" vpclint:ignore VPC103, peering-cidr-overlap -- shared")
                .expect("a directive");
        assert_eq!(kind, DirectiveKind::Line);
        let names: Vec<&str> = rules.iter().map(|(_, r)| *r).collect();
        assert_eq!(names, ["VPC103", "peering-cidr-overlap"]);
        let body = " vpclint:ignore VPC103, peering-cidr-overlap -- shared";
        for (offset, rule) in rules {
            assert_eq!(&body[offset..offset + rule.len()], rule);
        }
        let (kind, rules) = parse_directive("vpclint:ignore-file VPC501").expect("a directive");
        assert_eq!(kind, DirectiveKind::File);
        assert_eq!(rules.len(), 1);
        assert!(parse_directive(" vpclint:ignored VPC103").is_none());
        assert!(parse_directive(" see vpclint:ignore").is_none());
    }

    #[test]
    fn hcl_comments_skip_strings_heredocs_and_blocks() {
        let text = r##"# vpclint:ignore-file VPC501
resource "a" "b" { // vpclint:ignore VPC101
  name = "x # not a comment ${format("%s#", "y")}" # real
  policy = <<EOF
# inside heredoc
EOF
  /* # in block */ x = 1
}
"##;
        let comments = hcl_comments(text);
        assert_eq!(
            bodies(&comments),
            [
                (1, "vpclint:ignore-file VPC501", false),
                (2, "vpclint:ignore VPC101", true),
                (3, "real", true),
            ]
        );
        assert_eq!(
            comments.code_lines,
            [false, true, true, true, true, true, true, true]
        );
        let first = &comments.comments[1];
        assert_eq!(&text[first.body_start..first.body_start + 8], " vpclint");
    }

    #[test]
    fn yaml_comments_skip_quotes_and_block_scalars() {
        let text = "# top\nResources:\n  A: # here\n    Type: 'x # y'\n    Policy: |\n      # inside\n    B: \"#\" # after\n";
        assert_eq!(
            bodies(&yaml_comments(text)),
            [(1, "top", false), (3, "here", true), (7, "after", true)]
        );
    }
}
