//! A fast parser for HCL native syntax into [`super::ast`].
//!
//! It accepts exactly the texts hcl-edit accepts, and builds the tree hcl-edit's would
//! convert to (same nodes, same spans), quirks included: newlines allowed after a bracketed
//! term for the rest of its expression, `-` inside identifiers, `if`/`in` keywords matched as
//! prefixes, nesting capped at 64 levels and binary operator chains at 128. Where it is not
//! sure it would agree (a syntax error, a non-ASCII character outside a string or comment, a
//! lone carriage return), it gives up with [`GiveUp`] and the caller asks hcl-edit, whose
//! tree or error is then the answer. The differential tests (`tests` below and the fuzz
//! target) hold the two parsers to the same output.

use super::ast::*;

/// The fast parser could not (or would rather not) parse the text; hcl-edit decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GiveUp;

type Parsed<T> = Result<T, GiveUp>;

/// hcl-edit's limits (its errors are the answer past them).
const MAX_NESTING_DEPTH: usize = 64;
const MAX_OPERATOR_DEPTH: usize = 128;

/// Parses a whole body (a file); `Err` is the byte offset where it gave up.
pub(crate) fn parse_body(text: &str) -> Result<Body, usize> {
    let mut p = Parser::new(text);
    match p.body() {
        Ok(body) if p.pos == p.bytes.len() => Ok(body),
        _ => Err(p.pos),
    }
}

/// The byte ranges of the number literals in `text` that hcl-edit cannot read (past `u64`
/// or `f64`), as the fast parser finds them.
pub(crate) fn big_numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut p = Parser::new(text);
    let _ = p.body();
    let mut big = p.big_numbers;
    big.sort_by_key(|r| r.start);
    big.dedup();
    big
}

/// Parses one expression filling the whole text; `Err` is the byte offset where it gave up.
pub(crate) fn parse_expr(text: &str) -> Result<Expression, usize> {
    let mut p = Parser::new(text);
    match p.operator_scope(|p| p.expr_inner(&mut ExprState::default())) {
        Ok(expr) if p.pos == p.bytes.len() => Ok(expr),
        _ => Err(p.pos),
    }
}

/// Per-expression state: whether whitespace between tokens may hold newlines. Set for the
/// rest of an expression once it has a bracketed term (array, call, `for` object), as in
/// hcl-edit; inherited by sub-expressions.
#[derive(Debug, Clone, Copy, Default)]
struct ExprState {
    newlines: bool,
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
    operator_depth: usize,
    /// Number literals hcl-edit cannot read (see [`big_numbers`]).
    big_numbers: Vec<std::ops::Range<usize>>,
}

fn is_id_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// ASCII identifier characters after the first (letters, digits, `_`, `-`), as a table: the
/// scan over names is the parser's hottest loop.
const ID_CONTINUE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    table
};

fn is_id_continue(b: u8) -> bool {
    ID_CONTINUE[b as usize]
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            operator_depth: 0,
            big_numbers: Vec::new(),
        }
    }

    // ----- bytes -----

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s.as_bytes()))
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Parsed<()> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn range(&self, start: usize) -> TextRange {
        TextRange::new(start, self.pos)
    }

    /// True when at least two characters remain (hcl-edit peeks two before an operator).
    fn two_chars_left(&self) -> bool {
        self.text
            .get(self.pos..)
            .is_some_and(|rest| rest.chars().nth(1).is_some())
    }

    // ----- trivia -----

    /// Spaces, tabs and `/* */` comments.
    fn sp(&mut self) -> Parsed<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'*') => self.inline_comment()?,
                _ => return Ok(()),
            }
        }
    }

    /// Whitespace including newlines, and comments of every kind.
    fn ws(&mut self) -> Parsed<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.pos += 1,
                Some(b'\r') if self.peek_at(1) == Some(b'\n') => self.pos += 2,
                Some(b'\r') => return Err(GiveUp),
                Some(b'#') => self.line_comment_rest(1)?,
                Some(b'/') if self.peek_at(1) == Some(b'/') => self.line_comment_rest(2)?,
                Some(b'/') if self.peek_at(1) == Some(b'*') => self.inline_comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn ws_or_sp(&mut self, st: &ExprState) -> Parsed<()> {
        if st.newlines {
            self.ws()
        } else {
            self.sp()
        }
    }

    fn inline_comment(&mut self) -> Parsed<()> {
        let rest = self.text.get(self.pos + 2..).ok_or(GiveUp)?;
        let end = rest.find("*/").ok_or(GiveUp)?;
        self.pos += 2 + end + 2;
        Ok(())
    }

    /// The rest of a `#` or `//` comment, up to (not including) the line ending.
    fn line_comment_rest(&mut self, intro: usize) -> Parsed<()> {
        self.pos += intro;
        let rest = self.bytes.get(self.pos..).ok_or(GiveUp)?;
        let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = &rest[..len];
        // A carriage return that does not end the line: let hcl-edit judge it.
        if let Some(cr) = line.iter().position(|&b| b == b'\r') {
            if cr + 1 != len || len == rest.len() {
                return Err(GiveUp);
            }
            self.pos += cr;
            return Ok(());
        }
        self.pos += len;
        Ok(())
    }

    /// `\n` or `\r\n`.
    fn line_ending(&mut self) -> bool {
        self.eat(b'\n') || self.eat_str("\r\n")
    }

    // ----- nesting -----

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        if self.depth >= MAX_NESTING_DEPTH {
            return Err(GiveUp);
        }
        self.depth += 1;
        let out = self.operator_scope(f);
        self.depth -= 1;
        out
    }

    fn operator_scope<T>(&mut self, f: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        let outer = std::mem::take(&mut self.operator_depth);
        let out = f(self);
        self.operator_depth = outer.max(self.operator_depth);
        out
    }

    // ----- structure -----

    fn ident_str(&mut self) -> Parsed<&'t str> {
        let start = self.pos;
        match self.peek() {
            Some(b) if is_id_start(b) => self.pos += 1,
            _ => return Err(GiveUp),
        }
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos += rest
            .iter()
            .position(|&b| !is_id_continue(b))
            .unwrap_or(rest.len());
        // A non-ASCII character may continue an identifier in hcl-edit.
        if self.peek().is_some_and(|b| !b.is_ascii()) {
            return Err(GiveUp);
        }
        self.text.get(start..self.pos).ok_or(GiveUp)
    }

    fn ident(&mut self) -> Parsed<Decorated<Ident>> {
        let start = self.pos;
        let name = self.ident_str()?;
        Ok(Decorated::spanned(
            Ident::new_unchecked(name),
            self.range(start),
        ))
    }

    fn body(&mut self) -> Parsed<Body> {
        let mut structures = Vec::new();
        let mut keys: Vec<&'t str> = Vec::new();
        loop {
            self.ws()?;
            match self.peek() {
                Some(b) if is_id_start(b) => {}
                Some(b) if !b.is_ascii() => return Err(GiveUp),
                _ => break,
            }
            structures.push(self.structure(&mut keys)?);
            self.sp()?;
            match (self.peek(), self.peek_at(1)) {
                (Some(b'#'), _) => self.line_comment_rest(1)?,
                (Some(b'/'), Some(b'/')) => self.line_comment_rest(2)?,
                _ => {}
            }
            if self.pos == self.bytes.len() {
                break;
            }
            if !self.line_ending() {
                return Err(GiveUp);
            }
        }
        self.ws()?;
        Ok(structures.into_iter().collect())
    }

    fn structure(&mut self, keys: &mut Vec<&'t str>) -> Parsed<Structure> {
        let start = self.pos;
        let ident = self.ident()?;
        let name = self.text.get(start..self.pos).ok_or(GiveUp)?;
        self.sp()?;
        let structure = match self.peek() {
            Some(b'=') => {
                if keys.contains(&name) {
                    return Err(GiveUp);
                }
                keys.push(name);
                let value = self.attribute_expr()?;
                Structure::Attribute(Attribute {
                    key: ident,
                    value,
                    range: self.range(start),
                })
            }
            Some(b'{') => {
                let body = self.block_body()?;
                Structure::Block(Block {
                    ident,
                    labels: Vec::new(),
                    body,
                    range: self.range(start),
                })
            }
            Some(b) if b == b'"' || is_id_start(b) => {
                let mut labels = Vec::new();
                loop {
                    let label_start = self.pos;
                    match self.peek() {
                        Some(b'"') => {
                            let value = self.quoted_string()?.ok_or(GiveUp)?;
                            labels.push(BlockLabel::String(Decorated::spanned(
                                value,
                                self.range(label_start),
                            )));
                        }
                        Some(b) if is_id_start(b) => labels.push(BlockLabel::Ident(self.ident()?)),
                        _ => break,
                    }
                    self.sp()?;
                }
                if self.peek() != Some(b'{') {
                    return Err(GiveUp);
                }
                let body = self.block_body()?;
                Structure::Block(Block {
                    ident,
                    labels,
                    body,
                    range: self.range(start),
                })
            }
            _ => return Err(GiveUp),
        };
        Ok(structure)
    }

    /// `= expr` of an attribute.
    fn attribute_expr(&mut self) -> Parsed<Expression> {
        self.expect(b'=')?;
        self.sp()?;
        self.operator_scope(|p| p.expr_inner(&mut ExprState::default()))
    }

    fn block_body(&mut self) -> Parsed<Body> {
        self.nested(|p| {
            p.expect(b'{')?;
            let open = p.pos;
            // Multi-line: the rest of the line may hold only comments.
            p.sp()?;
            match (p.peek(), p.peek_at(1)) {
                (Some(b'#'), _) => p.line_comment_rest(1)?,
                (Some(b'/'), Some(b'/')) => p.line_comment_rest(2)?,
                _ => {}
            }
            let body = if p.line_ending() {
                p.body()?
            } else {
                // One line: at most one attribute.
                p.pos = open;
                p.sp()?;
                let mut body = Body::new();
                if p.peek().is_some_and(is_id_start) {
                    let start = p.pos;
                    let key = p.ident()?;
                    p.sp()?;
                    let value = p.attribute_expr()?;
                    body.push(Attribute {
                        key,
                        value,
                        range: p.range(start),
                    });
                    p.sp()?;
                }
                body
            };
            p.expect(b'}')?;
            Ok(body)
        })
    }

    // ----- expressions -----

    /// A nested expression with a copy of `st` (hcl-edit's `expr_with_state`).
    fn expr_with_state(&mut self, st: &ExprState) -> Parsed<Expression> {
        let mut inner = *st;
        self.nested(|p| p.expr_inner(&mut inner))
    }

    /// A nested expression with a fresh state (hcl-edit's `expr`).
    fn expr(&mut self) -> Parsed<Expression> {
        self.nested(|p| p.expr_inner(&mut ExprState::default()))
    }

    /// A nested expression in which newlines are whitespace (brackets, interpolations).
    fn multiline_expr(&mut self) -> Parsed<Expression> {
        self.nested(|p| p.expr_inner(&mut ExprState { newlines: true }))
    }

    fn expr_inner(&mut self, st: &mut ExprState) -> Parsed<Expression> {
        let start = self.pos;
        let mut expr = self.expr_term(st)?;
        loop {
            let checkpoint = self.pos;
            self.ws_or_sp(st)?;
            if !self.two_chars_left() {
                self.pos = checkpoint;
                return Ok(expr);
            }
            let (a, b) = (self.peek(), self.peek_at(1));
            match a {
                Some(b'?') => {
                    self.pos += 1;
                    self.ws_or_sp(st)?;
                    let true_expr = self.expr_with_state(st)?;
                    self.ws_or_sp(st)?;
                    self.expect(b':')?;
                    self.ws_or_sp(st)?;
                    let false_expr = self.expr_with_state(st)?;
                    return Ok(Expression::Conditional(Box::new(Conditional {
                        cond_expr: expr,
                        true_expr,
                        false_expr,
                        range: self.range(start),
                    })));
                }
                Some(b'/') if matches!(b, Some(b'/' | b'*')) => {
                    self.pos = checkpoint;
                    return Ok(expr);
                }
                Some(b'=') if b == Some(b'=') => {}
                Some(b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|') => {}
                _ => {
                    self.pos = checkpoint;
                    return Ok(expr);
                }
            }
            self.pos = checkpoint;
            expr = self.binary_ops(st, expr)?;
        }
    }

    fn binary_operator(&mut self) -> Option<BinaryOperator> {
        use BinaryOperator as B;
        let (a, b) = (self.peek()?, self.peek_at(1));
        let (op, len) = match (a, b) {
            (b'=', Some(b'=')) => (B::Eq, 2),
            (b'!', Some(b'=')) => (B::NotEq, 2),
            (b'<', Some(b'=')) => (B::LessEq, 2),
            (b'<', _) => (B::Less, 1),
            (b'>', Some(b'=')) => (B::GreaterEq, 2),
            (b'>', _) => (B::Greater, 1),
            (b'+', _) => (B::Plus, 1),
            (b'-', _) => (B::Minus, 1),
            (b'*', _) => (B::Mul, 1),
            (b'/', Some(b'/' | b'*')) => return None,
            (b'/', _) => (B::Div, 1),
            (b'%', _) => (B::Mod, 1),
            (b'&', Some(b'&')) => (B::And, 2),
            (b'|', Some(b'|')) => (B::Or, 2),
            _ => return None,
        };
        self.pos += len;
        Some(op)
    }

    /// A chain of binary operators after `lhs`, resolved by precedence (all left-associative).
    fn binary_ops(&mut self, st: &mut ExprState, lhs: Expression) -> Parsed<Expression> {
        let mut operands = vec![lhs];
        let mut operators: Vec<Decorated<BinaryOperator>> = Vec::new();
        loop {
            let checkpoint = self.pos;
            self.ws_or_sp(st)?;
            let op_start = self.pos;
            let Some(op) = self.binary_operator() else {
                if operators.is_empty() {
                    return Err(GiveUp);
                }
                self.pos = checkpoint;
                break;
            };
            let op = Decorated::spanned(op, self.range(op_start));
            self.ws_or_sp(st)?;
            let mut term_state = *st;
            let rhs = self.expr_term(&mut term_state)?;
            if self.operator_depth + operators.len() + 1 > MAX_OPERATOR_DEPTH {
                return Err(GiveUp);
            }
            operators.push(op);
            operands.push(rhs);
        }
        self.operator_depth += operators.len();
        Ok(resolve_precedence(operands, operators))
    }

    fn expr_term(&mut self, st: &mut ExprState) -> Parsed<Expression> {
        let start = self.pos;
        let term = match self.peek().ok_or(GiveUp)? {
            b'"' => self.stringlike()?,
            b'[' => self.array(st)?,
            b'{' => self.object(st)?,
            b'0'..=b'9' => {
                let n = self.number()?;
                Expression::Number(Decorated::spanned(n, self.range(start)))
            }
            b'<' => self.heredoc()?,
            b'-' => match self.neg_number()? {
                Some(n) => Expression::Number(Decorated::spanned(n, self.range(start))),
                None => self.unary_op(st)?,
            },
            b'!' => self.unary_op(st)?,
            b'(' => self.parenthesis()?,
            b if is_id_start(b) => self.identlike(st)?,
            _ => return Err(GiveUp),
        };
        // Traversal operators.
        let checkpoint = self.pos;
        self.ws_or_sp(st)?;
        let traversal_follows = self.two_chars_left()
            && !self.starts_with("..")
            && matches!(self.peek(), Some(b'.' | b'['));
        if !traversal_follows {
            self.pos = checkpoint;
            return Ok(term);
        }
        let mut operators = Vec::new();
        loop {
            let before = self.pos;
            self.ws_or_sp(st)?;
            if self.starts_with("..") {
                self.pos = before;
                break;
            }
            let op_start = self.pos;
            match self.traversal_operator()? {
                Some(op) => operators.push(Decorated::spanned(op, self.range(op_start))),
                None => {
                    self.pos = before;
                    break;
                }
            }
        }
        if operators.is_empty() {
            return Err(GiveUp);
        }
        Ok(Expression::Traversal(Box::new(Traversal {
            expr: term,
            operators,
            range: self.range(start),
        })))
    }

    /// One traversal operator, or `None` when none starts here.
    fn traversal_operator(&mut self) -> Parsed<Option<TraversalOperator>> {
        match self.peek() {
            Some(b'.') => {
                self.pos += 1;
                self.ws()?;
                let start = self.pos;
                match self.peek() {
                    Some(b'*') => {
                        self.pos += 1;
                        Ok(Some(TraversalOperator::AttrSplat(Decorated::spanned(
                            Splat,
                            self.range(start),
                        ))))
                    }
                    Some(b'0'..=b'9') => {
                        // hcl-edit's unsigned integer: `0`, or digits not starting with `0`.
                        if !self.eat(b'0') {
                            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                                self.pos += 1;
                            }
                        }
                        let digits = self.text.get(start..self.pos).ok_or(GiveUp)?;
                        let index: u64 = digits.parse().map_err(|_| GiveUp)?;
                        Ok(Some(TraversalOperator::LegacyIndex(Decorated::spanned(
                            index,
                            self.range(start),
                        ))))
                    }
                    Some(b) if is_id_start(b) => {
                        Ok(Some(TraversalOperator::GetAttr(self.ident()?)))
                    }
                    _ => Err(GiveUp),
                }
            }
            Some(b'[') => {
                self.pos += 1;
                self.ws()?;
                let start = self.pos;
                let op = if self.eat(b'*') {
                    TraversalOperator::FullSplat(Decorated::spanned(Splat, self.range(start)))
                } else {
                    TraversalOperator::Index(self.multiline_expr()?)
                };
                self.ws()?;
                self.expect(b']')?;
                Ok(Some(op))
            }
            _ => Ok(None),
        }
    }

    fn number(&mut self) -> Parsed<Number> {
        let start = self.pos;
        self.digits();
        let mut float = false;
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
            self.digits();
            float = true;
            self.exponent()?;
        } else if self.exponent()? {
            float = true;
        }
        let text = self.text.get(start..self.pos).ok_or(GiveUp)?;
        // Terraform's numbers are arbitrary-precision, so `1e400` and 39-digit integers are
        // valid; hcl-edit rejects them (past `f64` and `u64`). They are read here as a
        // rounded or infinite `f64`, and recorded for the differential check.
        let n: f64 = if float {
            text.parse().map_err(|_| GiveUp)?
        } else {
            match text.parse::<u64>() {
                Ok(n) => n as f64,
                Err(_) => text.parse().map_err(|_| GiveUp)?,
            }
        };
        if (float && !n.is_finite()) || (!float && text.parse::<u64>().is_err()) {
            self.big_numbers.push(start..self.pos);
        }
        Number::from_literal(n).ok_or(GiveUp)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// An exponent (`e10`, `E-3`), if one starts here.
    fn exponent(&mut self) -> Parsed<bool> {
        if !matches!(self.peek(), Some(b'e' | b'E')) {
            return Ok(false);
        }
        self.pos += 1;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(GiveUp);
        }
        self.digits();
        Ok(true)
    }

    /// `-` spaces number: a negative number literal, or `None` (and nothing consumed).
    fn neg_number(&mut self) -> Parsed<Option<Number>> {
        let start = self.pos;
        self.pos += 1;
        self.sp()?;
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos = start;
            return Ok(None);
        }
        let n = self.number()?.as_f64().unwrap_or(f64::INFINITY);
        // hcl-edit's negative zero is zero.
        let negated = if n == 0.0 { 0.0 } else { -n };
        Number::from_literal(negated).map(Some).ok_or(GiveUp)
    }

    fn unary_op(&mut self, st: &mut ExprState) -> Parsed<Expression> {
        let start = self.pos;
        let operator = match self.peek() {
            Some(b'-') => UnaryOperator::Neg,
            Some(b'!') => UnaryOperator::Not,
            _ => return Err(GiveUp),
        };
        self.pos += 1;
        let operator = Decorated::spanned(operator, self.range(start));
        self.sp()?;
        let mut inner = *st;
        let expr = self.nested(|p| p.expr_term(&mut inner))?;
        Ok(Expression::UnaryOp(Box::new(UnaryOp {
            operator,
            expr,
            range: self.range(start),
        })))
    }

    fn parenthesis(&mut self) -> Parsed<Expression> {
        let start = self.pos;
        self.expect(b'(')?;
        self.ws()?;
        let inner = self.multiline_expr()?;
        self.ws()?;
        self.expect(b')')?;
        Ok(Expression::Parenthesis(Box::new(Parenthesis {
            inner,
            range: self.range(start),
        })))
    }

    fn identlike(&mut self, st: &mut ExprState) -> Parsed<Expression> {
        let start = self.pos;
        let name = self.ident_str()?;
        let name_range = self.range(start);
        let checkpoint = self.pos;
        self.ws_or_sp(st)?;
        let call = self.two_chars_left() && (self.starts_with("::") || self.peek() == Some(b'('));
        if !call {
            self.pos = checkpoint;
            let range = self.range(start);
            return Ok(match name {
                "null" => Expression::Null(Decorated::spanned(Null, range)),
                "true" => Expression::Bool(Decorated::spanned(true, range)),
                "false" => Expression::Bool(Decorated::spanned(false, range)),
                _ => Expression::Variable(Decorated::spanned(Ident::new_unchecked(name), range)),
            });
        }
        let first = Decorated::spanned(Ident::new_unchecked(name), name_range);
        let name = if self.starts_with("::") {
            let mut namespace = vec![first];
            while self.eat_str("::") {
                self.ws_or_sp(st)?;
                namespace.push(self.ident()?);
                self.ws_or_sp(st)?;
            }
            let name = namespace.pop().ok_or(GiveUp)?;
            FuncName { namespace, name }
        } else {
            FuncName {
                namespace: Vec::new(),
                name: first,
            }
        };
        let args = self.func_args(st)?;
        Ok(Expression::FuncCall(Box::new(FuncCall {
            name,
            args,
            range: self.range(start),
        })))
    }

    fn func_args(&mut self, st: &mut ExprState) -> Parsed<FuncArgs> {
        st.newlines = true;
        self.expect(b'(')?;
        let mut args = FuncArgs::default();
        loop {
            let before = self.pos;
            self.ws()?;
            if matches!(self.peek(), Some(b',' | b'.' | b')') | None) {
                self.pos = before;
                break;
            }
            args.args.push(self.expr_with_state(st)?);
            self.ws()?;
            if self.eat(b',') {
                continue;
            }
            if self.eat_str("...") {
                args.expand_final = true;
            } else if self.peek() == Some(b'.') {
                return Err(GiveUp);
            }
            break;
        }
        self.ws()?;
        self.expect(b')')?;
        Ok(args)
    }

    /// True when a `for` expression starts here (after whitespace).
    fn for_follows(&mut self) -> Parsed<bool> {
        let start = self.pos;
        self.ws()?;
        let found = self.starts_with("for")
            && matches!(self.peek_at(3), Some(b' ' | b'\t' | b'#' | b'/' | b'\n'));
        self.pos = start;
        Ok(found)
    }

    fn array(&mut self, st: &mut ExprState) -> Parsed<Expression> {
        st.newlines = true;
        let start = self.pos;
        self.expect(b'[')?;
        if self.for_follows()? {
            let intro = self.for_intro()?;
            self.ws()?;
            let value_expr = self.expr_with_state(st)?;
            self.ws()?;
            let cond = self.for_cond(st)?;
            self.expect(b']')?;
            return Ok(Expression::ForExpr(Box::new(ForExpr {
                intro,
                key_expr: None,
                value_expr,
                grouping: false,
                cond,
                range: self.range(start),
            })));
        }
        let mut values = Vec::new();
        loop {
            let before = self.pos;
            self.ws()?;
            if matches!(self.peek(), Some(b']') | None) {
                self.pos = before;
                break;
            }
            values.push(self.expr_with_state(st)?);
            self.ws()?;
            if !self.eat(b',') {
                break;
            }
        }
        self.ws()?;
        self.expect(b']')?;
        Ok(Expression::Array(Array {
            values,
            range: self.range(start),
        }))
    }

    /// `for k, v in coll :` (after `[` or `{`).
    fn for_intro(&mut self) -> Parsed<ForIntro> {
        self.ws()?;
        if !self.eat_str("for") {
            return Err(GiveUp);
        }
        let (key_var, value_var, collection_expr) = self.for_variables()?;
        self.expect(b':')?;
        Ok(ForIntro {
            key_var,
            value_var,
            collection_expr,
        })
    }

    /// `k, v in coll` or `v in coll` after `for` (of an expression or a directive), trailing
    /// whitespace consumed.
    fn for_variables(
        &mut self,
    ) -> Parsed<(Option<Decorated<Ident>>, Decorated<Ident>, Expression)> {
        self.ws()?;
        let first = self.ident()?;
        self.ws()?;
        let (key_var, value_var) = if self.eat(b',') {
            self.ws()?;
            let second = self.ident()?;
            self.ws()?;
            (Some(first), second)
        } else {
            (None, first)
        };
        if !self.eat_str("in") {
            return Err(GiveUp);
        }
        self.ws()?;
        let collection_expr = self.expr()?;
        self.ws()?;
        Ok((key_var, value_var, collection_expr))
    }

    /// `if cond` of a `for` expression, if present (trailing whitespace consumed).
    fn for_cond(&mut self, st: &ExprState) -> Parsed<Option<ForCond>> {
        let before = self.pos;
        self.ws()?;
        if !self.eat_str("if") {
            self.pos = before;
            return Ok(None);
        }
        self.ws()?;
        let expr = self.expr_with_state(st)?;
        self.ws()?;
        Ok(Some(ForCond { expr }))
    }

    fn object(&mut self, st: &mut ExprState) -> Parsed<Expression> {
        let start = self.pos;
        self.expect(b'{')?;
        if self.for_follows()? {
            st.newlines = true;
            let intro = self.for_intro()?;
            self.ws()?;
            let key_expr = self.expr()?;
            self.ws()?;
            if !self.eat_str("=>") {
                return Err(GiveUp);
            }
            self.ws()?;
            let value_expr = self.expr()?;
            self.ws()?;
            let grouping = self.eat_str("...");
            if grouping {
                self.ws()?;
            }
            let cond = self.for_cond(st)?;
            self.expect(b'}')?;
            return Ok(Expression::ForExpr(Box::new(ForExpr {
                intro,
                key_expr: Some(key_expr),
                value_expr,
                grouping,
                cond,
                range: self.range(start),
            })));
        }
        let mut items: Vec<(ObjectKey, ObjectValue)> = Vec::new();
        loop {
            self.ws()?;
            match self.peek() {
                None => return Err(GiveUp),
                Some(b'}') => break,
                Some(_) => {}
            }
            let key = match self.expr()? {
                Expression::Variable(v) => ObjectKey::Ident(v),
                e => ObjectKey::Expression(e),
            };
            // hcl-edit rejects a key written twice (spans aside: ranges always compare equal).
            if items.iter().any(|(k, _)| *k == key) {
                return Err(GiveUp);
            }
            self.sp()?;
            if !(self.eat(b'=') || self.eat(b':')) {
                return Err(GiveUp);
            }
            self.sp()?;
            let value = self.expr()?;
            self.sp()?;
            items.push((key, ObjectValue::new(value)));
            match (self.peek(), self.peek_at(1)) {
                (Some(b'}'), _) => break,
                (Some(b'\n'), _) => self.pos += 1,
                (Some(b'\r'), Some(b'\n')) => self.pos += 2,
                (Some(b','), _) => self.pos += 1,
                (Some(b'#'), _) | (Some(b'/'), Some(b'/')) => {
                    let intro = if self.peek() == Some(b'#') { 1 } else { 2 };
                    self.line_comment_rest(intro)?;
                    if !self.line_ending() {
                        return Err(GiveUp);
                    }
                }
                _ => return Err(GiveUp),
            }
        }
        self.expect(b'}')?;
        Ok(Expression::Object(Object {
            items,
            range: self.range(start),
        }))
    }

    // ----- strings and templates -----

    /// `"…"` as a string expression, or a string template when it interpolates. Most strings
    /// are plain, so they are read as such first (no element list to build), and read again
    /// as a template only when an interpolation or directive turns up.
    fn stringlike(&mut self) -> Parsed<Expression> {
        let start = self.pos;
        if let Some(s) = self.quoted_string()? {
            return Ok(Expression::String(Decorated::spanned(s, self.range(start))));
        }
        self.pos = start;
        self.expect(b'"')?;
        let elements = self.elements(Literal::Quoted)?;
        self.expect(b'"')?;
        Ok(Expression::StringTemplate(StringTemplate {
            template: Template {
                elements,
                range: self.range(start),
            },
        }))
    }

    /// A quoted string without interpolations or directives; `None` (position unspecified)
    /// when it has some.
    fn quoted_string(&mut self) -> Parsed<Option<String>> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                match b {
                    b'"' | b'\\' => break,
                    b'$' | b'%' if self.peek_at(1) == Some(b'{') => break,
                    b'$' | b'%' if self.peek_at(1) == Some(b) && self.peek_at(2) == Some(b'{') => {
                        break
                    }
                    _ => self.pos += 1,
                }
            }
            out.push_str(self.text.get(run_start..self.pos).ok_or(GiveUp)?);
            match (self.peek(), self.peek_at(1)) {
                (Some(b'"'), _) => {
                    self.pos += 1;
                    return Ok(Some(out));
                }
                (Some(b'\\'), _) => out.push(self.escaped_char()?),
                (Some(b'$' | b'%'), Some(b'{')) => return Ok(None),
                (Some(b'$'), _) => {
                    self.pos += 3;
                    out.push_str("${");
                }
                (Some(b'%'), _) => {
                    self.pos += 3;
                    out.push_str("%{");
                }
                _ => return Err(GiveUp),
            }
        }
    }

    fn escaped_char(&mut self) -> Parsed<char> {
        self.expect(b'\\')?;
        let b = self.peek().ok_or(GiveUp)?;
        self.pos += 1;
        Ok(match b {
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'\\' => '\\',
            b'"' => '"',
            b'/' => '/',
            b'b' => '\u{08}',
            b'f' => '\u{0C}',
            b'u' => self.hex_escape(4)?,
            b'U' => self.hex_escape(8)?,
            _ => return Err(GiveUp),
        })
    }

    fn hex_escape(&mut self, digits: usize) -> Parsed<char> {
        let hex = self.text.get(self.pos..self.pos + digits).ok_or(GiveUp)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(GiveUp);
        }
        self.pos += digits;
        let code = u32::from_str_radix(hex, 16).map_err(|_| GiveUp)?;
        char::from_u32(code).ok_or(GiveUp)
    }

    /// Template elements up to where no literal, interpolation or directive starts.
    fn elements(&mut self, literal: Literal<'_>) -> Parsed<Vec<Element>> {
        let mut elements = Vec::new();
        loop {
            let start = self.pos;
            if let Some(text) = self.template_literal(literal)? {
                elements.push(Element::Literal(Decorated::spanned(
                    text,
                    self.range(start),
                )));
                continue;
            }
            if self.starts_with("${") {
                elements.push(Element::Interpolation(self.interpolation()?));
                continue;
            }
            if self.starts_with("%{") {
                match self.directive()? {
                    Some(d) => {
                        elements.push(Element::Directive(Box::new(d)));
                        continue;
                    }
                    None => {
                        self.pos = start;
                        break;
                    }
                }
            }
            break;
        }
        Ok(elements)
    }

    /// A maximal run of literal text (with escapes where `literal` has them), or `None`
    /// when none starts here.
    fn template_literal(&mut self, literal: Literal<'_>) -> Parsed<Option<String>> {
        let mut out = String::new();
        let start = self.pos;
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                let stop = match b {
                    b'$' | b'%' => {
                        self.peek_at(1) == Some(b'{')
                            || (self.peek_at(1) == Some(b) && self.peek_at(2) == Some(b'{'))
                    }
                    b'"' | b'\\' => matches!(literal, Literal::Quoted),
                    b'\n' | b'\r' => match literal {
                        Literal::Heredoc(delim) => self.heredoc_end_at(self.pos, delim)?,
                        _ => false,
                    },
                    _ => false,
                };
                if stop {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).ok_or(GiveUp)?);
            match (self.peek(), self.peek_at(1)) {
                (Some(b'\\'), _) if matches!(literal, Literal::Quoted) => {
                    out.push(self.escaped_char()?)
                }
                (Some(b @ (b'$' | b'%')), Some(c)) if c == b && self.peek_at(2) == Some(b'{') => {
                    self.pos += 3;
                    out.push(b as char);
                    out.push('{');
                }
                _ => break,
            }
        }
        Ok((self.pos > start).then_some(out))
    }

    /// True when a heredoc's closing line (line ending, spaces, delimiter) starts at `at`.
    fn heredoc_end_at(&self, at: usize, delim: &str) -> Parsed<bool> {
        let Some(rest) = self.bytes.get(at..) else {
            return Ok(false);
        };
        let after_newline = if rest.starts_with(b"\r\n") {
            2
        } else if rest.starts_with(b"\n") {
            1
        } else {
            return Ok(false);
        };
        let rest = &rest[after_newline..];
        let spaces = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let rest = &rest[spaces..];
        if !rest.starts_with(delim.as_bytes()) {
            return Ok(false);
        }
        match rest.get(delim.len()) {
            // Whether a non-ASCII character continues the delimiter is hcl-edit's call.
            Some(b) if !b.is_ascii() => Err(GiveUp),
            Some(&b) => Ok(!is_id_continue(b)),
            None => Ok(true),
        }
    }

    /// `${ expr }` with `~` strip markers.
    fn interpolation(&mut self) -> Parsed<Interpolation> {
        self.pos += 2;
        let strip_start = self.eat(b'~');
        self.ws()?;
        let expr = self.multiline_expr()?;
        self.ws()?;
        let strip_end = self.eat(b'~');
        self.expect(b'}')?;
        Ok(Interpolation {
            expr,
            strip: Strip {
                start: strip_start,
                end: strip_end,
            },
        })
    }

    /// `%{` then optional `~` and whitespace; true when `keyword` follows (consumed).
    fn control_intro(&mut self, keyword: &str) -> Parsed<Option<bool>> {
        let start = self.pos;
        if !self.eat_str("%{") {
            return Ok(None);
        }
        let strip = self.eat(b'~');
        self.ws()?;
        if self.eat_str(keyword) {
            Ok(Some(strip))
        } else {
            self.pos = start;
            Ok(None)
        }
    }

    /// Optional `~` then `}` of a directive.
    fn control_close(&mut self) -> Parsed<bool> {
        let strip = self.eat(b'~');
        self.expect(b'}')?;
        Ok(strip)
    }

    /// An `%{if}` or `%{for}` directive; `None` (nothing consumed) for any other `%{`.
    fn directive(&mut self) -> Parsed<Option<Directive>> {
        if let Some(strip_start) = self.control_intro("if")? {
            self.ws()?;
            let cond_expr = self.expr()?;
            self.ws()?;
            let strip_end = self.control_close()?;
            let template = self.nested_template()?;
            let if_expr = IfTemplateExpr {
                cond_expr,
                template,
                strip: Strip {
                    start: strip_start,
                    end: strip_end,
                },
            };
            let else_expr = match self.control_intro("else")? {
                Some(strip_start) => {
                    self.ws()?;
                    let strip_end = self.control_close()?;
                    let template = self.nested_template()?;
                    Some(ElseTemplateExpr {
                        template,
                        strip: Strip {
                            start: strip_start,
                            end: strip_end,
                        },
                    })
                }
                None => None,
            };
            let strip_start = self.control_intro("endif")?.ok_or(GiveUp)?;
            self.ws()?;
            let strip_end = self.control_close()?;
            return Ok(Some(Directive::If(IfDirective {
                if_expr,
                else_expr,
                endif_expr: EndifTemplateExpr {
                    strip: Strip {
                        start: strip_start,
                        end: strip_end,
                    },
                },
            })));
        }
        if let Some(strip_start) = self.control_intro("for")? {
            let (key_var, value_var, collection_expr) = self.for_variables()?;
            let strip_end = self.control_close()?;
            let template = self.nested_template()?;
            let for_expr = ForTemplateExpr {
                key_var,
                value_var,
                collection_expr,
                template,
                strip: Strip {
                    start: strip_start,
                    end: strip_end,
                },
            };
            let strip_start = self.control_intro("endfor")?.ok_or(GiveUp)?;
            self.ws()?;
            let strip_end = self.control_close()?;
            return Ok(Some(Directive::For(ForDirective {
                for_expr,
                endfor_expr: EndforTemplateExpr {
                    strip: Strip {
                        start: strip_start,
                        end: strip_end,
                    },
                },
            })));
        }
        Ok(None)
    }

    /// The template inside a directive: raw literals (no escapes), up to the next `%{`
    /// that is not a nested directive.
    fn nested_template(&mut self) -> Parsed<Template> {
        self.nested(|p| {
            let start = p.pos;
            let elements = p.elements(Literal::Raw)?;
            Ok(Template {
                elements,
                range: p.range(start),
            })
        })
    }

    fn heredoc(&mut self) -> Parsed<Expression> {
        let start = self.pos;
        if !self.eat_str("<<") {
            return Err(GiveUp);
        }
        let indented = self.eat(b'-');
        let delim = self.ident_str()?;
        if !self.line_ending() {
            return Err(GiveUp);
        }
        // An empty heredoc (hcl-edit reads it only after the non-empty reading fails) is
        // left to hcl-edit.
        let mut template = self.heredoc_template(delim)?;
        self.sp_only_spaces();
        if !self.eat_str(delim)
            || self
                .peek()
                .is_some_and(|b| is_id_continue(b) || !b.is_ascii())
        {
            return Err(GiveUp);
        }
        if indented {
            dedent(&mut template.elements);
        }
        Ok(Expression::HeredocTemplate(Box::new(HeredocTemplate {
            delimiter: Ident::new_unchecked(delim),
            template,
            range: self.range(start),
        })))
    }

    fn sp_only_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// A heredoc's lines up to and including the line ending before its closing line.
    fn heredoc_template(&mut self, delim: &str) -> Parsed<Template> {
        let start = self.pos;
        let mut elements = self.elements(Literal::Heredoc(delim))?;
        let newline_start = self.pos;
        if !self.line_ending() {
            return Err(GiveUp);
        }
        let newline = self.text.get(newline_start..self.pos).ok_or(GiveUp)?;
        match elements.last_mut() {
            Some(Element::Literal(lit)) => {
                let lit_start = lit.range.get().map_or(newline_start, |r| r.start);
                let mut text = lit.value().clone();
                text.push_str(newline);
                *lit = Decorated::spanned(text, TextRange::new(lit_start, self.pos));
            }
            _ => elements.push(Element::Literal(Decorated::spanned(
                newline.to_owned(),
                self.range(newline_start),
            ))),
        }
        Ok(Template {
            elements,
            range: self.range(start),
        })
    }
}

/// How literal text of a template ends and whether it has escapes.
#[derive(Clone, Copy)]
enum Literal<'d> {
    /// In a quoted string: ends at `"`, has `\` escapes.
    Quoted,
    /// In a heredoc: ends at the closing line.
    Heredoc(&'d str),
    /// Inside a directive: ends only at `${` or `%{`.
    Raw,
}

/// Resolves a flat `a op b op c …` chain by precedence, every operator left-associative.
fn resolve_precedence(
    operands: Vec<Expression>,
    operators: Vec<Decorated<BinaryOperator>>,
) -> Expression {
    let mut operands = operands.into_iter();
    let mut operators = operators.into_iter().peekable();
    let Some(first) = operands.next() else {
        return Expression::null();
    };
    climb(first, 0, &mut operands, &mut operators)
}

fn climb(
    mut lhs: Expression,
    min_precedence: u8,
    operands: &mut impl Iterator<Item = Expression>,
    operators: &mut std::iter::Peekable<impl Iterator<Item = Decorated<BinaryOperator>>>,
) -> Expression {
    while let Some(op) = operators.next_if(|op| op.value().precedence() >= min_precedence) {
        let precedence = op.value().precedence();
        let Some(mut rhs) = operands.next() else {
            return lhs;
        };
        while operators
            .peek()
            .is_some_and(|next| next.value().precedence() > precedence)
        {
            rhs = climb(rhs, precedence + 1, operands, operators);
        }
        let range = match (lhs.span(), rhs.span()) {
            (Some(l), Some(r)) => TextRange::new(l.start, r.end),
            _ => TextRange::default(),
        };
        lhs = Expression::BinaryOp(Box::new(BinaryOp {
            lhs_expr: lhs,
            operator: op,
            rhs_expr: rhs,
            range,
        }));
    }
    lhs
}

/// Removes the common leading whitespace of a `<<-` heredoc's lines, as hcl-edit does.
fn dedent(elements: &mut [Element]) {
    let mut indent: Option<usize> = None;
    let mut skip_first_line = false;
    for element in elements.iter() {
        match element {
            Element::Literal(lit) => {
                if let Some(ws) = min_leading_whitespace(lit.value(), skip_first_line) {
                    indent = Some(indent.map_or(ws, |i| i.min(ws)));
                }
                skip_first_line = !lit.value().ends_with('\n');
            }
            _ if !skip_first_line => return,
            _ => {}
        }
    }
    let Some(indent) = indent else {
        return;
    };
    let mut skip_first_line = false;
    for element in elements.iter_mut() {
        match element {
            Element::Literal(lit) => {
                let text = dedent_lines(lit.value(), indent, skip_first_line);
                skip_first_line = !text.ends_with('\n');
                let range = lit.range;
                *lit = Decorated::spanned(text, range);
            }
            _ if !skip_first_line => skip_first_line = true,
            _ => {}
        }
    }
}

/// The least leading whitespace (in characters) of the non-empty lines of `s`; `None` when a
/// line has none, or there are no such lines.
fn min_leading_whitespace(s: &str, skip_first_line: bool) -> Option<usize> {
    let mut least: Option<usize> = None;
    for (i, line) in s.lines().enumerate() {
        if (i == 0 && skip_first_line) || line.is_empty() {
            continue;
        }
        let leading = line.chars().take_while(|c| c.is_whitespace()).count();
        if leading == 0 {
            return None;
        }
        least = Some(least.map_or(leading, |l| l.min(leading)));
    }
    least
}

/// `s` with `n` characters removed from the start of each non-empty line (but the first, if
/// `skip_first_line`); lines end in `\n` (a final line ending is kept only if `s` had one).
fn dedent_lines(s: &str, n: usize, skip_first_line: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i == 0 && skip_first_line {
            out.push_str(line);
        } else if !line.is_empty() {
            out.extend(line.chars().skip(n));
        }
        out.push('\n');
    }
    if out.ends_with('\n') && !s.ends_with('\n') {
        out.pop();
    }
    out
}
