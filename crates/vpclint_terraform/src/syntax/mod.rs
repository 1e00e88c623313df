//! Terraform's native syntax: the tree ([`ast`]) and how a text becomes one.
//!
//! [`parser`] reads a text several times faster than hcl-edit, whose lossless tree keeps
//! every space and comment the evaluator never reads. hcl-edit stays the reference: a text
//! the fast parser gives up on (a syntax error, or a rare construct it leaves alone) is
//! parsed by hcl-edit, whose error (a located message) is reported, or whose tree is
//! converted ([`convert`]) when it accepts the text; so a gap in the fast parser costs time,
//! never a result. The differential tests and fuzz target hold the two to the same trees.

// The tree mirrors hcl-edit's API in full (for the parser and its differential tests); the
// front end uses part of it.
#[allow(dead_code)]
mod ast;
mod convert;
mod parser;
#[cfg(test)]
mod tests;

pub use ast::*;

/// A syntax error (hcl-edit's, so its location and message).
pub type Error = hcl_edit::parser::Error;

/// Parses a whole file (a body of attributes and blocks).
pub fn parse_body(text: &str) -> Result<Body, Error> {
    parser::parse_body(text)
        .or_else(|parser::GiveUp| hcl_edit::parser::parse_body(text).map(|b| convert::body(&b)))
}

/// Parses one expression (a `--var` value, a `.tfvars` value written as HCL).
pub fn parse_expr(text: &str) -> Result<Expression, Error> {
    parser::parse_expr(text).or_else(|parser::GiveUp| {
        hcl_edit::parser::parse_expr(text).map(|e| convert::expression(&e))
    })
}

/// The differential check the tests and the fuzz target run: the fast parser's tree for
/// `text` is hcl-edit's, spans included, or it gives up; it never accepts a text hcl-edit
/// rejects. `Err` describes the disagreement.
#[doc(hidden)]
pub fn check_against_hcl_edit(text: &str) -> Result<(), String> {
    let reference = hcl_edit::parser::parse_body(text);
    match (parser::parse_body(text), reference) {
        (Ok(ours), Ok(theirs)) => {
            let (ours, theirs) = (
                format!("{ours:#?}"),
                format!("{:#?}", convert::body(&theirs)),
            );
            if ours == theirs {
                return Ok(());
            }
            let line = ours
                .lines()
                .zip(theirs.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let window = |s: &str| {
                s.lines()
                    .skip(line.saturating_sub(10))
                    .take(14)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            Err(format!(
                "trees differ\n--- fast parser\n{}\n--- hcl-edit\n{}",
                window(&ours),
                window(&theirs)
            ))
        }
        (Ok(_), Err(e)) => Err(format!("fast parser accepts a text hcl-edit rejects: {e}")),
        (Err(parser::GiveUp), _) => Ok(()),
    }
}
