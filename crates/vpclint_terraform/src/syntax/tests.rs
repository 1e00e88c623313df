//! The fast parser against hcl-edit: every `.tf` file of the repository, hand-written
//! snippets for each construct and quirk, and seeded mutations of all of them.

use super::{check_against_hcl_edit, parser};
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            tf_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "tf") {
            out.push(path);
        }
    }
}

/// Every `.tf` file under rules/ and testdata/.
fn repository_sources() -> Vec<(PathBuf, String)> {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ["rules", "testdata", "examples"] {
        tf_files(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t)))
        .collect()
}

const SNIPPETS: &[&str] = &[
    "a = 1\nb = -1.5e3\nc = - 2\nd = -x\ne = !true\nf = null\n",
    "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\" # comment\n  tags = { Name = \"x\", \"k\" = 2, (var.k) = 3 }\n}\n",
    "block label {\n}\nempty {}\none { a = 1 }\nnested {\n  inner \"x\" {\n    y = [1, 2,]\n  }\n}",
    "x = a.b[0].c.*.d[*].e.0\ny = a .b\nz = foo(1, [2]...)\nw = provider::aws::arn_parse(x)\n",
    "x = a ? b : c ? d : e\ny = 1 + 2 * 3 - 4 / 5 % 6 == 7 && !b || c >= d\nz = (1 +\n 2)\n",
    "x = [for k, v in var.m : upper(v) if k != \"\"]\ny = {for s in var.l : s.id => s... if s.on}\n",
    "x = \"a ${var.b} c %{ if d }e%{ else }f%{ endif } %{~ for i in l ~} [${i}] %{~ endfor ~}\"\n",
    "x = \"esc \\n \\t \\\" \\\\ \\u00e9 \\U0001F600 $${lit} %%{lit}\"\n",
    "x = <<EOT\nline ${var.a}\n  two\nEOT\ny = <<-EOT\n    indented\n      more ${x}\n    EOT\n",
    "policy = <<-JSON\n  {\n    \"a\": \"${b}\"\n  }\n  JSON\n",
    "x = {\n  a = 1\n  b = 2, c = 3\n  d = 4 // trailing\n}\n",
    "x = a-b\ny = a - b\nz = a -1\n",
    "x = [1]\n+ 2\n",
    "x = f(\n  a,\n  b\n)\n",
    "/* head */ a = 1 /* mid */ # tail\n// line\nb = 2",
    "x = 1\r\ny = 2\r\n",
    "x = 18446744073709551615\ny = 1.7976931348623157e308\n",
    "x = -0\ny = -0.0\n",
    "x = { for = 1 }\n",
    "x = \"unterminated\n",
    "x = a +\n b\n",
    "a = 1\na = 2\n",
    "x = { a = 1, a = 2 }\n",
    "x = { \"${a}\" = 1, \"${a}\" = 2 }\n",
    "x = { \"${a}\" = 1, \"${b}\" = 2 }\n",
    "x = f(a, b...,)\n",
    "x = <<EOT\nEOT\n",
    "x = \"\\q\"\n",
    "é = 1\n",
    "x = aé\n",
    "r=h.00",
    "x = \"${a.01}\"\n",
    // Numbers past u64 and f64: valid Terraform, checked with the literals zeroed.
    "x = 1e400\ny = -1e400\nz = 123456789012345678901234567890123456789\nw = \"${1.5e999 + 18446744073709551616}\"\n",
];

/// Terraform's numbers are arbitrary-precision: literals hcl-edit rejects (past `u64` or
/// `f64`) are read, rounded or infinite (the evaluator makes an infinite one unknown).
#[test]
fn numbers_past_u64_and_f64_parse() {
    let text =
        "a = 1e400\nb = - 1E+999\nc = 123456789012345678901234567890123456789\nd = 0.5e-400\n";
    assert!(hcl_edit::parser::parse_body(text).is_err());
    let body = super::parse_body(text).expect("valid Terraform");
    let number = |key: &str| match body.get_attribute(key).map(|a| &a.value) {
        Some(super::Expression::Number(n)) => n.as_f64(),
        other => panic!("a number expected, got {other:?}"),
    };
    assert_eq!(number("a"), None);
    assert_eq!(number("b"), None);
    assert_eq!(number("c"), Some(1.2345678901234568e38));
    assert_eq!(number("d"), Some(0.0));
    assert_eq!(parser::big_numbers(text), [4..9, 16..22, 27..66]);
    // The same through the expression entry point (`--var`, `.tfvars` values).
    assert!(super::parse_expr("[1e400, 99999999999999999999]").is_ok());
}

#[test]
fn snippets_parse_as_hcl_edit_parses_them() {
    for text in SNIPPETS {
        if let Err(e) = check_against_hcl_edit(text) {
            panic!("{text:?}: {e}");
        }
    }
}

#[test]
fn repository_files_parse_as_hcl_edit_parses_them_without_falling_back() {
    let sources = repository_sources();
    assert!(
        sources.len() > 100,
        "found only {} .tf files",
        sources.len()
    );
    for (path, text) in &sources {
        if let Err(e) = check_against_hcl_edit(text) {
            panic!("{}: {e}", path.display());
        }
        let valid = hcl_edit::parser::parse_body(text).is_ok();
        assert!(
            !valid || parser::parse_body(text).is_ok(),
            "{}: the fast parser gives up on a valid file",
            path.display()
        );
    }
}

/// Edits that make the parsers take unusual paths.
const TOKENS: &[&str] = &[
    "${",
    "%{",
    "}",
    "{",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "\n",
    " ",
    "\\",
    "~",
    "?",
    ":",
    "=",
    "==",
    ".",
    "..",
    "...",
    "*",
    "-",
    "!",
    "/*",
    "*/",
    "//",
    "#",
    "<<EOT\n",
    "\nEOT\n",
    "<<-EOT\n",
    "for ",
    " in ",
    "if ",
    "%{ if x }",
    "%{ endif }",
    "%{ else }",
    "%{ for a in b }",
    "%{ endfor }",
    ",",
    "=>",
    "0",
    "1.5",
    "1e3",
    "::",
    "\r\n",
    "\r",
    "é",
    "a-b",
    "null",
    "&&",
    ">=",
    "\t",
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_sources_parse_as_hcl_edit_parses_them() {
    let mut bases: Vec<String> = repository_sources()
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| t.len() < 4000)
        .collect();
    bases.extend(SNIPPETS.iter().map(|s| s.to_string()));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for run in 0..20_000 {
        let mut bytes = bases[rng.below(bases.len())].as_bytes().to_vec();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(3) {
                0 => {
                    let token = TOKENS[rng.below(TOKENS.len())];
                    bytes.splice(at..at, token.bytes());
                }
                1 => {
                    let end = (at + rng.below(16)).min(bytes.len());
                    bytes.drain(at..end);
                }
                _ => {
                    let end = (at + rng.below(32)).min(bytes.len());
                    let piece = bytes[at..end].to_vec();
                    let to = rng.below(bytes.len() + 1);
                    bytes.splice(to..to, piece);
                }
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Err(e) = check_against_hcl_edit(&text) {
            panic!("run {run}, text {text:?}: {e}");
        }
    }
}
