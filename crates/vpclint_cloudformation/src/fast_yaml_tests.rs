//! The fast YAML reader against granit-parser: every YAML template of the repository,
//! snippets for each construct it reads (and some it leaves to granit-parser), and seeded
//! mutations of all of them.

use crate::syntax::{check_yaml_against_granit, fast_yaml_reads};
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "template")
        {
            out.push(path);
        }
    }
}

fn repository_templates() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["rules", "testdata", "examples"] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t)))
        .filter(|(_, t)| !t.trim_start().starts_with('{'))
        .collect()
}

const SNIPPETS: &[&str] = &[
    "A: 1\nB:\n  - x\n  - !Ref y\n  - \"q\"\nC: {a: [1, 2]}\nD: !Sub\n  - z\n",
    "A:\nB: 1  # c\n# x\n\nC:\n- a\n- b\nD: |\n  line1\n  line2\n\nE: >-\n  f\n",
    "- - 'x'\n  - !GetAtt A.B\n- k: v\n  k2: v2 # c\n",
    "A: !Ref\nB: !!str 1\n\"q\": 's'\n",
    "A:\n  D: |\n    x\n\n  E: 1\n# c\nF: |-\n  y\n# z\nG: |+\n  w\n\nH: 1\nI: |\n  last",
    "A: [a, \"b\", {c: d}, !Ref e]\nB: {x: 1,\n  y: 2}\nC: 'it''s'\nD: \"tab\\there \\u00e9 \\x41\"\n",
    "---\nA: 1\n",
    "on:\n  schedule:\n  - cron: x\n\njobs:\n  a: 1\n",
    "A: !Base64\n  Fn::Sub: x\nB: 1\n",
    "Description: >\n  folded\n  lines\n\n  para\nX: 1\n",
    "A: arn:aws:s3:::bucket/*\nB: http://x#y\nC: a #comment\nD: -1\nE: ':'\n",
    "A:\n  - Key: Name\n    Value: !Sub '${AWS::StackName}-x'\n  - !If [C, !Ref A, !Ref 'AWS::NoValue']\n",
    "A: &anchor 1\nB: *anchor\n",
    "A: multi\n  line\n",
    "A: 'multi\n  line'\n",
    "A: >\n  a\n    more\n  b\n",
    "A: |2\n   x\n",
    "A: [a, b,]\n",
    "? complex\n: value\n",
    "A: 1\nA: 2\n",
    "A: !Unknown x\n",
    "A: 1\n---\nB: 2\n",
    "A:\r\n  B: 1\r\n",
    "A:\n\tB: 1\n",
    "A: {a: 1, a: 2}\n",
    "A:\n  - \n  - x\n",
    "A: \"x\\qy\"\n",
    "A: [1, [2, [3]], {b: [4]}]\n",
    "\u{feff}Resources:\n  Vpc: 1\n",
    "A: a\u{1}b\n",
    "A: a\u{85}b\n",
    "# Kubtup\nmeta:\n--- , name: -2\n",
    "A:\n  - x\n...\n",
];

#[test]
fn snippets_read_as_granit_reads_them() {
    // Keys past YAML's 1024-character limit for implicit keys (found by yaml_differential).
    let long_key = "k".repeat(1100);
    let long_keys = [
        format!("{long_key}: 1\n"),
        format!("A:\n  - {long_key}: 1\n"),
        format!("A: {{{long_key}: 1}}\n"),
    ];
    for text in SNIPPETS
        .iter()
        .copied()
        .chain(long_keys.iter().map(String::as_str))
    {
        if let Err(e) = check_yaml_against_granit(text) {
            panic!("{text:?}: {e}");
        }
    }
}

#[test]
fn repository_templates_read_as_granit_reads_them() {
    let templates = repository_templates();
    assert!(
        templates.len() > 100,
        "found only {} templates",
        templates.len()
    );
    let mut fast = 0;
    for (path, text) in &templates {
        if let Err(e) = check_yaml_against_granit(text) {
            panic!("{}: {e}", path.display());
        }
        fast += usize::from(fast_yaml_reads(text));
    }
    // Most templates take the fast path (the rest use constructs it leaves to granit).
    assert!(
        fast * 10 >= templates.len() * 9,
        "the fast reader reads only {fast} of {} templates",
        templates.len()
    );
}

/// Edits that take the readers down unusual paths.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "\n",
    "  ",
    " ",
    "#",
    " #",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "!Ref ",
    "!!str ",
    "!",
    "|",
    "|-",
    "|+",
    ">",
    ">-",
    "&a ",
    "*a",
    "? ",
    "---\n",
    "...\n",
    "\\",
    "\t",
    "\r\n",
    "é",
    "\\u00e9",
    "''",
    "~",
    "%YAML 1.2\n",
    "\u{1}",
    "\u{7f}",
    "\u{85}",
    "\u{feff}",
    "\u{2028}",
    "\u{fffe}",
];

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
fn mutated_templates_read_as_granit_reads_them() {
    let mut bases: Vec<String> = repository_templates()
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| t.len() < 4000)
        .collect();
    bases.extend(SNIPPETS.iter().map(|s| s.to_string()));
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
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
        if let Err(e) = check_yaml_against_granit(&text) {
            panic!("run {run}, text {text:?}: {e}");
        }
    }
}
