//! Terraform's native syntax: the tree ([`ast`]) and how a text becomes one.
//!
//! [`parser`] reads a text several times faster than hcl-edit, whose lossless tree keeps
//! every space and comment the evaluator never reads. hcl-edit stays the reference: a text
//! the fast parser gives up on (a syntax error, or a rare construct it leaves alone) is
//! parsed by hcl-edit, whose error (a located message) is reported, or whose tree is
//! converted ([`convert`]) when it accepts the text; so a gap in the fast parser costs time,
//! never a result. The differential tests and fuzz target hold the two to the same trees.

mod ast;
mod convert;
mod parser;
#[cfg(test)]
mod tests;

pub use ast::*;

/// A syntax error: where, and what (hcl-edit's message, or ours when hcl-edit did not finish).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    offset: usize,
    message: String,
}

impl Error {
    /// Byte offset of the error in the text.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<hcl_edit::parser::Error> for Error {
    fn from(e: hcl_edit::parser::Error) -> Self {
        Error {
            offset: e.location().offset(),
            message: e.message().to_owned(),
        }
    }
}

/// Parses a whole file (a body of attributes and blocks).
pub fn parse_body(text: &str) -> Result<Body, Error> {
    parser::parse_body(text).or_else(|at| {
        with_time_limit(text, at, |t| {
            hcl_edit::parser::parse_body(t).map(|b| convert::body(&b))
        })
    })
}

/// Parses one expression (a `--var` value, a `.tfvars` value written as HCL).
pub fn parse_expr(text: &str) -> Result<Expression, Error> {
    parser::parse_expr(text).or_else(|at| {
        with_time_limit(text, at, |t| {
            hcl_edit::parser::parse_expr(t).map(|e| convert::expression(&e))
        })
    })
}

/// hcl-edit on a text the fast parser gave up on (at byte `gave_up_at`), within a time limit.
///
/// Its backtracking takes exponential time on some invalid texts (`(a*b + ` repeated twenty
/// times and left open takes seconds, each more level doubles it), and no input may hang
/// vpclint. So it runs on its own thread, and past the limit the answer is a syntax error
/// where the fast parser stopped; the thread is left to end with the process.
fn with_time_limit<T: Send + 'static>(
    text: &str,
    gave_up_at: usize,
    parse: fn(&str) -> Result<T, hcl_edit::parser::Error>,
) -> Result<T, Error> {
    // Generous for a valid file the fast parser leaves to hcl-edit (~15 MB/s here).
    let limit = std::time::Duration::from_secs(2)
        + std::time::Duration::from_millis(text.len() as u64 / 5_000);
    let owned = text.to_owned();
    let (send, receive) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("hcl-edit".into())
        .spawn(move || {
            let _ = send.send(parse(&owned));
        });
    if spawned.is_err() {
        return parse(text).map_err(Error::from);
    }
    match receive.recv_timeout(limit) {
        Ok(result) => result.map_err(Error::from),
        Err(_) => Err(Error {
            offset: gave_up_at.min(text.len()),
            message: format!(
                "invalid syntax here or before (the detailed check took longer than {} s and was stopped)",
                limit.as_secs()
            ),
        }),
    }
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
        (Ok(_), Err(e)) => {
            // Numbers past `u64` or `f64` are valid Terraform that hcl-edit rejects: the one
            // place the fast parser accepts more. The rest of the text is held to the same
            // trees with those literals written as zeros of the same length.
            let big = parser::big_numbers(text);
            if big.is_empty() {
                return Err(format!("fast parser accepts a text hcl-edit rejects: {e}"));
            }
            let mut zeroed = text.to_owned();
            for r in big {
                let zeros = "0".repeat(r.len());
                zeroed.replace_range(r, &zeros);
            }
            check_against_hcl_edit(&zeroed)
        }
        (Err(_), _) => Ok(()),
    }
}
