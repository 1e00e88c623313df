//! hcl-edit's tree converted one to one into ours ([`super::ast`]), spans included.
//!
//! Every node keeps the span hcl-edit gave it, so diagnostics point where they did when the
//! front end walked hcl-edit's tree, and the fast parser can be checked against this
//! conversion node for node.

use super::ast::*;
use hcl_edit::expr as he;
use hcl_edit::structure as hs;
use hcl_edit::template as ht;

/// The span of an hcl-edit node as our [`TextRange`].
fn range_of(node: &impl hcl_edit::Span) -> TextRange {
    TextRange::from_range(node.span())
}

/// An hcl-edit decorated (or spanned) value, converted by `convert_value`, with its span.
fn decorated<T, U>(node: &T, convert_value: impl FnOnce(&T) -> U) -> Decorated<U>
where
    T: hcl_edit::Span,
{
    Decorated::spanned(convert_value(node), range_of(node))
}

fn ident(i: &hcl_edit::Decorated<hcl_edit::Ident>) -> Decorated<Ident> {
    decorated(i, |i| Ident::new_unchecked(i.as_str()))
}

fn string(s: &hcl_edit::Decorated<String>) -> Decorated<String> {
    decorated(s, |s| s.value().clone())
}

/// Converts a whole body (a file, or a block's contents).
pub(crate) fn body(b: &hs::Body) -> Body {
    let mut converted = Body::with_capacity(b.len());
    for structure in b.iter() {
        match structure {
            hs::Structure::Attribute(a) => converted.push(attribute(a)),
            hs::Structure::Block(bl) => converted.push(block(bl)),
        }
    }
    converted
}

fn attribute(a: &hs::Attribute) -> Attribute {
    Attribute {
        key: ident(&a.key),
        value: expression(&a.value),
        range: range_of(a),
    }
}

fn block(b: &hs::Block) -> Block {
    Block {
        ident: ident(&b.ident),
        labels: b.labels.iter().map(block_label).collect(),
        body: body(&b.body),
        range: range_of(b),
    }
}

fn block_label(l: &hs::BlockLabel) -> BlockLabel {
    match l {
        hs::BlockLabel::Ident(i) => BlockLabel::Ident(ident(i)),
        hs::BlockLabel::String(s) => BlockLabel::String(string(s)),
    }
}

/// Converts one expression and everything beneath it.
pub(crate) fn expression(e: &he::Expression) -> Expression {
    match e {
        he::Expression::Null(n) => Expression::Null(decorated(n, |_| Null)),
        he::Expression::Bool(b) => Expression::Bool(decorated(b, |b| *b.value())),
        he::Expression::Number(n) => number(n),
        he::Expression::String(s) => Expression::String(string(s)),
        he::Expression::Array(a) => Expression::Array(Array {
            values: a.iter().map(expression).collect(),
            range: range_of(a),
        }),
        he::Expression::Object(o) => Expression::Object(Object {
            items: o
                .iter()
                .map(|(key, value)| (object_key(key), ObjectValue::new(expression(value.expr()))))
                .collect(),
            range: range_of(o),
        }),
        // hcl-edit spans the string template node (quotes included); its inner template has
        // no span of its own, so ours carries the node's.
        he::Expression::StringTemplate(t) => {
            Expression::StringTemplate(StringTemplate::new(Template {
                elements: t.iter().map(element).collect(),
                range: range_of(t),
            }))
        }
        he::Expression::HeredocTemplate(h) => {
            Expression::HeredocTemplate(Box::new(HeredocTemplate {
                delimiter: Ident::new_unchecked(h.delimiter.as_str()),
                template: template(&h.template),
                range: range_of(&**h),
            }))
        }
        he::Expression::Parenthesis(p) => Expression::Parenthesis(Box::new(Parenthesis {
            inner: expression(p.inner()),
            range: range_of(&**p),
        })),
        he::Expression::Variable(v) => Expression::Variable(ident(v)),
        he::Expression::Conditional(c) => Expression::Conditional(Box::new(Conditional {
            cond_expr: expression(&c.cond_expr),
            true_expr: expression(&c.true_expr),
            false_expr: expression(&c.false_expr),
            range: range_of(&**c),
        })),
        he::Expression::FuncCall(f) => Expression::FuncCall(Box::new(FuncCall {
            name: FuncName {
                namespace: f.name.namespace.iter().map(ident).collect(),
                name: ident(&f.name.name),
            },
            args: FuncArgs {
                args: f.args.iter().map(expression).collect(),
                expand_final: f.args.expand_final(),
            },
            range: range_of(&**f),
        })),
        he::Expression::Traversal(t) => Expression::Traversal(Box::new(Traversal {
            expr: expression(&t.expr),
            operators: t.operators.iter().map(traversal_operator).collect(),
            range: range_of(&**t),
        })),
        he::Expression::UnaryOp(u) => Expression::UnaryOp(Box::new(UnaryOp {
            operator: decorated(&u.operator, |o| *o.value()),
            expr: expression(&u.expr),
            range: range_of(&**u),
        })),
        he::Expression::BinaryOp(b) => Expression::BinaryOp(Box::new(BinaryOp {
            lhs_expr: expression(&b.lhs_expr),
            operator: decorated(&b.operator, |o| *o.value()),
            rhs_expr: expression(&b.rhs_expr),
            range: range_of(&**b),
        })),
        he::Expression::ForExpr(f) => Expression::ForExpr(Box::new(ForExpr {
            intro: ForIntro {
                key_var: f.intro.key_var.as_ref().map(ident),
                value_var: ident(&f.intro.value_var),
                collection_expr: expression(&f.intro.collection_expr),
            },
            key_expr: f.key_expr.as_ref().map(expression),
            value_expr: expression(&f.value_expr),
            grouping: f.grouping,
            cond: f.cond.as_ref().map(|c| ForCond {
                expr: expression(&c.expr),
            }),
            range: range_of(&**f),
        })),
    }
}

/// hcl-edit's numbers are integers or finite floats, so each has an `f64` (an integer above
/// 2^53 rounds, as it did when the evaluator read `as_f64` from hcl-edit's number). Should one
/// ever lack a finite `f64`, the expression reads as `null` at the same span rather than
/// panicking.
fn number(n: &hcl_edit::Formatted<hcl_edit::Number>) -> Expression {
    let range = range_of(n);
    match n.as_f64().and_then(Number::from_f64) {
        Some(number) => Expression::Number(Decorated::spanned(number, range)),
        None => Expression::Null(Decorated::spanned(Null, range)),
    }
}

fn object_key(k: &he::ObjectKey) -> ObjectKey {
    match k {
        he::ObjectKey::Ident(i) => ObjectKey::Ident(ident(i)),
        he::ObjectKey::Expression(e) => ObjectKey::Expression(expression(e)),
    }
}

fn traversal_operator(
    op: &hcl_edit::Decorated<he::TraversalOperator>,
) -> Decorated<TraversalOperator> {
    decorated(op, |op| match op.value() {
        he::TraversalOperator::AttrSplat(s) => {
            TraversalOperator::AttrSplat(decorated(s, |_| Splat))
        }
        he::TraversalOperator::FullSplat(s) => {
            TraversalOperator::FullSplat(decorated(s, |_| Splat))
        }
        he::TraversalOperator::GetAttr(i) => TraversalOperator::GetAttr(ident(i)),
        he::TraversalOperator::Index(e) => TraversalOperator::Index(expression(e)),
        he::TraversalOperator::LegacyIndex(i) => {
            TraversalOperator::LegacyIndex(decorated(i, |i| *i.value()))
        }
    })
}

fn template(t: &ht::Template) -> Template {
    Template {
        elements: t.iter().map(element).collect(),
        range: range_of(t),
    }
}

fn strip(s: ht::Strip) -> Strip {
    Strip {
        start: s.strip_start(),
        end: s.strip_end(),
    }
}

fn element(e: &ht::Element) -> Element {
    match e {
        ht::Element::Literal(l) => {
            Element::Literal(Decorated::spanned(l.value().clone(), range_of(l)))
        }
        ht::Element::Interpolation(i) => Element::Interpolation(Interpolation {
            expr: expression(&i.expr),
            strip: strip(i.strip),
        }),
        ht::Element::Directive(d) => Element::Directive(Box::new(directive(d))),
    }
}

fn directive(d: &ht::Directive) -> Directive {
    match d {
        ht::Directive::If(d) => Directive::If(IfDirective {
            if_expr: IfTemplateExpr {
                cond_expr: expression(&d.if_expr.cond_expr),
                template: template(&d.if_expr.template),
                strip: strip(d.if_expr.strip),
            },
            else_expr: d.else_expr.as_ref().map(|e| ElseTemplateExpr {
                template: template(&e.template),
                strip: strip(e.strip),
            }),
            endif_expr: EndifTemplateExpr {
                strip: strip(d.endif_expr.strip),
            },
        }),
        ht::Directive::For(d) => Directive::For(ForDirective {
            for_expr: ForTemplateExpr {
                key_var: d.for_expr.key_var.as_ref().map(ident),
                value_var: ident(&d.for_expr.value_var),
                collection_expr: expression(&d.for_expr.collection_expr),
                template: template(&d.for_expr.template),
                strip: strip(d.for_expr.strip),
            },
            endfor_expr: EndforTemplateExpr {
                strip: strip(d.endfor_expr.strip),
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    //! Each test converts hcl-edit's tree and walks both trees side by side, checking that
    //! every node kept its kind, its value and its span; a few spans are also checked as
    //! text, to pin down hcl-edit's conventions the fast parser has to reproduce.

    use super::*;
    use hcl_edit::Span as _;
    use std::ops::Range;

    fn parsed(src: &str) -> (hs::Body, Body) {
        let theirs = hcl_edit::parser::parse_body(src).expect("test source parses");
        let ours = body(&theirs);
        same_body(&ours, &theirs);
        (theirs, ours)
    }

    fn same_span(ours: Option<Range<usize>>, theirs: Option<Range<usize>>, what: &str) {
        assert_eq!(ours, theirs, "span of {what}");
    }

    fn same_ident(ours: &Decorated<Ident>, theirs: &hcl_edit::Decorated<hcl_edit::Ident>) {
        assert_eq!(ours.as_str(), theirs.as_str());
        same_span(ours.span(), theirs.span(), ours.as_str());
    }

    fn same_body(ours: &Body, theirs: &hs::Body) {
        assert_eq!(ours.len(), theirs.len(), "structures in a body");
        for (o, t) in ours.iter().zip(theirs.iter()) {
            match (o, t) {
                (Structure::Attribute(o), hs::Structure::Attribute(t)) => {
                    same_span(o.span(), t.span(), "attribute");
                    same_ident(&o.key, &t.key);
                    same_expr(&o.value, &t.value);
                }
                (Structure::Block(o), hs::Structure::Block(t)) => {
                    same_span(o.span(), t.span(), "block");
                    same_ident(&o.ident, &t.ident);
                    assert_eq!(o.labels.len(), t.labels.len(), "block labels");
                    for (ol, tl) in o.labels.iter().zip(&t.labels) {
                        match (ol, tl) {
                            (BlockLabel::Ident(o), hs::BlockLabel::Ident(t)) => same_ident(o, t),
                            (BlockLabel::String(o), hs::BlockLabel::String(t)) => {
                                assert_eq!(o.value(), t.value());
                                same_span(o.span(), t.span(), "string label");
                            }
                            _ => panic!("label kinds differ: {ol:?} vs {tl:?}"),
                        }
                    }
                    same_body(&o.body, &t.body);
                }
                _ => panic!("structure kinds differ: {o:?} vs {t:?}"),
            }
        }
    }

    fn same_expr(ours: &Expression, theirs: &he::Expression) {
        same_span(ours.span(), theirs.span(), &format!("{ours:?}"));
        match (ours, theirs) {
            (Expression::Null(_), he::Expression::Null(_)) => {}
            (Expression::Bool(o), he::Expression::Bool(t)) => assert_eq!(o.value(), t.value()),
            (Expression::Number(o), he::Expression::Number(t)) => {
                assert_eq!(o.as_f64(), t.as_f64());
            }
            (Expression::String(o), he::Expression::String(t)) => assert_eq!(o.value(), t.value()),
            (Expression::Array(o), he::Expression::Array(t)) => {
                assert_eq!(o.len(), t.len(), "array elements");
                o.iter().zip(t.iter()).for_each(|(o, t)| same_expr(o, t));
            }
            (Expression::Object(o), he::Expression::Object(t)) => {
                assert_eq!(o.len(), t.len(), "object items");
                for ((ok, ov), (tk, tv)) in o.iter().zip(t.iter()) {
                    same_span(ok.span(), tk.span(), "object key");
                    match (ok, tk) {
                        (ObjectKey::Ident(o), he::ObjectKey::Ident(t)) => same_ident(o, t),
                        (ObjectKey::Expression(o), he::ObjectKey::Expression(t)) => {
                            same_expr(o, t);
                        }
                        _ => panic!("object key kinds differ: {ok:?} vs {tk:?}"),
                    }
                    same_expr(ov.expr(), tv.expr());
                }
            }
            (Expression::StringTemplate(o), he::Expression::StringTemplate(t)) => {
                same_template(o, t);
            }
            (Expression::HeredocTemplate(o), he::Expression::HeredocTemplate(t)) => {
                assert_eq!(o.delimiter.as_str(), t.delimiter.as_str());
                same_template(&o.template, &t.template);
            }
            (Expression::Parenthesis(o), he::Expression::Parenthesis(t)) => {
                same_expr(o.inner(), t.inner());
            }
            (Expression::Variable(o), he::Expression::Variable(t)) => same_ident(o, t),
            (Expression::Conditional(o), he::Expression::Conditional(t)) => {
                same_expr(&o.cond_expr, &t.cond_expr);
                same_expr(&o.true_expr, &t.true_expr);
                same_expr(&o.false_expr, &t.false_expr);
            }
            (Expression::FuncCall(o), he::Expression::FuncCall(t)) => {
                assert_eq!(o.name.namespace.len(), t.name.namespace.len());
                o.name
                    .namespace
                    .iter()
                    .zip(&t.name.namespace)
                    .for_each(|(o, t)| same_ident(o, t));
                same_ident(&o.name.name, &t.name.name);
                assert_eq!(o.args.expand_final(), t.args.expand_final());
                assert_eq!(o.args.len(), t.args.len(), "call arguments");
                o.args
                    .iter()
                    .zip(t.args.iter())
                    .for_each(|(o, t)| same_expr(o, t));
            }
            (Expression::Traversal(o), he::Expression::Traversal(t)) => {
                same_expr(&o.expr, &t.expr);
                assert_eq!(o.operators.len(), t.operators.len(), "traversal operators");
                for (oo, to) in o.operators.iter().zip(&t.operators) {
                    same_span(oo.span(), to.span(), "traversal operator");
                    match (oo.value(), to.value()) {
                        (TraversalOperator::AttrSplat(o), he::TraversalOperator::AttrSplat(t))
                        | (TraversalOperator::FullSplat(o), he::TraversalOperator::FullSplat(t)) => {
                            same_span(o.span(), t.span(), "splat");
                        }
                        (TraversalOperator::GetAttr(o), he::TraversalOperator::GetAttr(t)) => {
                            same_ident(o, t);
                        }
                        (TraversalOperator::Index(o), he::TraversalOperator::Index(t)) => {
                            same_expr(o, t);
                        }
                        (
                            TraversalOperator::LegacyIndex(o),
                            he::TraversalOperator::LegacyIndex(t),
                        ) => {
                            assert_eq!(o.value(), t.value());
                            same_span(o.span(), t.span(), "legacy index");
                        }
                        (o, t) => panic!("operator kinds differ: {o:?} vs {t:?}"),
                    }
                }
            }
            (Expression::UnaryOp(o), he::Expression::UnaryOp(t)) => {
                assert_eq!(o.operator.value(), t.operator.value());
                same_span(o.operator.span(), t.operator.span(), "unary operator");
                same_expr(&o.expr, &t.expr);
            }
            (Expression::BinaryOp(o), he::Expression::BinaryOp(t)) => {
                same_expr(&o.lhs_expr, &t.lhs_expr);
                assert_eq!(o.operator.value(), t.operator.value());
                same_span(o.operator.span(), t.operator.span(), "binary operator");
                same_expr(&o.rhs_expr, &t.rhs_expr);
            }
            (Expression::ForExpr(o), he::Expression::ForExpr(t)) => {
                match (&o.intro.key_var, &t.intro.key_var) {
                    (Some(o), Some(t)) => same_ident(o, t),
                    (None, None) => {}
                    _ => panic!("for key variables differ"),
                }
                same_ident(&o.intro.value_var, &t.intro.value_var);
                same_expr(&o.intro.collection_expr, &t.intro.collection_expr);
                match (&o.key_expr, &t.key_expr) {
                    (Some(o), Some(t)) => same_expr(o, t),
                    (None, None) => {}
                    _ => panic!("for key expressions differ"),
                }
                same_expr(&o.value_expr, &t.value_expr);
                assert_eq!(o.grouping, t.grouping);
                match (&o.cond, &t.cond) {
                    (Some(o), Some(t)) => same_expr(&o.expr, &t.expr),
                    (None, None) => {}
                    _ => panic!("for conditions differ"),
                }
            }
            (o, t) => panic!("expression kinds differ: {o:?} vs {t:?}"),
        }
    }

    fn same_strip(ours: Strip, theirs: ht::Strip) {
        assert_eq!(
            (ours.strip_start(), ours.strip_end()),
            (theirs.strip_start(), theirs.strip_end())
        );
    }

    fn same_template(ours: &Template, theirs: &ht::Template) {
        same_span(ours.span(), theirs.span(), "template");
        assert_eq!(ours.iter().count(), theirs.len(), "template elements");
        for (o, t) in ours.iter().zip(theirs.iter()) {
            match (o, t) {
                (Element::Literal(o), ht::Element::Literal(t)) => {
                    assert_eq!(o.value(), t.value());
                    same_span(o.span(), t.span(), "template literal");
                }
                (Element::Interpolation(o), ht::Element::Interpolation(t)) => {
                    same_expr(&o.expr, &t.expr);
                    same_strip(o.strip, t.strip);
                }
                (Element::Directive(o), ht::Element::Directive(t)) => match (&**o, &**t) {
                    (Directive::If(o), ht::Directive::If(t)) => {
                        same_expr(&o.if_expr.cond_expr, &t.if_expr.cond_expr);
                        same_template(&o.if_expr.template, &t.if_expr.template);
                        same_strip(o.if_expr.strip, t.if_expr.strip);
                        match (&o.else_expr, &t.else_expr) {
                            (Some(o), Some(t)) => {
                                same_template(&o.template, &t.template);
                                same_strip(o.strip, t.strip);
                            }
                            (None, None) => {}
                            _ => panic!("else branches differ"),
                        }
                        same_strip(o.endif_expr.strip, t.endif_expr.strip);
                    }
                    (Directive::For(o), ht::Directive::For(t)) => {
                        let (o, t, oe, te) = (
                            &o.for_expr,
                            &t.for_expr,
                            o.endfor_expr.strip,
                            t.endfor_expr.strip,
                        );
                        match (&o.key_var, &t.key_var) {
                            (Some(o), Some(t)) => same_ident(o, t),
                            (None, None) => {}
                            _ => panic!("for key variables differ"),
                        }
                        same_ident(&o.value_var, &t.value_var);
                        same_expr(&o.collection_expr, &t.collection_expr);
                        same_template(&o.template, &t.template);
                        same_strip(o.strip, t.strip);
                        same_strip(oe, te);
                    }
                    (o, t) => panic!("directive kinds differ: {o:?} vs {t:?}"),
                },
                (o, t) => panic!("element kinds differ: {o:?} vs {t:?}"),
            }
        }
    }

    /// The source text a node spans.
    fn text<'s>(src: &'s str, node: &impl Span) -> &'s str {
        node.span()
            .and_then(|r| src.get(r))
            .expect("node has a span inside the source")
    }

    /// The value of the attribute `key` of a body.
    fn value<'b>(body: &'b Body, key: &str) -> &'b Expression {
        &body.get_attribute(key).expect("attribute exists").value
    }

    #[test]
    fn blocks_labels_and_attributes_keep_their_spans() {
        let src = "resource \"aws_vpc\" main  {\n  cidr_block = \"10.0.0.0/16\"   # comment\n  \
                   nested {\n    a = null\n    b = true\n  }\n}\none { x = 1 }\nempty {}\n";
        let (_, ours) = parsed(src);
        let blocks: Vec<&Block> = ours.blocks().collect();
        assert_eq!(blocks.len(), 3);
        let resource = blocks[0];
        assert!(text(src, resource).starts_with("resource \"aws_vpc\" main  {"));
        assert!(text(src, resource).ends_with("  }\n}"));
        assert_eq!(text(src, &resource.ident), "resource");
        assert_eq!(resource.labels[0].as_str(), "aws_vpc");
        assert!(matches!(resource.labels[0], BlockLabel::String(_)));
        assert_eq!(text(src, &resource.labels[0]), "\"aws_vpc\"");
        assert!(matches!(resource.labels[1], BlockLabel::Ident(_)));
        assert_eq!(text(src, &resource.labels[1]), "main");
        let cidr = resource
            .body
            .get_attribute("cidr_block")
            .expect("cidr_block");
        assert_eq!(text(src, cidr), "cidr_block = \"10.0.0.0/16\"");
        assert_eq!(text(src, &cidr.key), "cidr_block");
        assert_eq!(text(src, &cidr.value), "\"10.0.0.0/16\"");
        let nested = resource.body.blocks().next().expect("nested block");
        assert_eq!(
            text(src, nested),
            "nested {\n    a = null\n    b = true\n  }"
        );
        assert_eq!(text(src, blocks[1]), "one { x = 1 }");
        assert_eq!(text(src, blocks[2]), "empty {}");
    }

    #[test]
    fn every_expression_kind_converts_with_its_span() {
        let src = r#"locals {
  t   = var.a.b[0].*.c[*].d.0
  p   = ( 1 + 2 )
  f   = provider::aws::arn_parse( x , y... )
  g   = upper ( "a" )
  c   = a ? b ? c : d : e
  u   = !x.y
  n   = - 5
  m   = -x
  bo  = a  ==  b && c || !d
  ar  = [ 1 , 2.5e1 , true, null, ]
  ob  = { Name = "x", "k" = 1, (var.k) = 2.5, a = { b = [] } }
  l   = [for k, v in xs : v if k != "" ]
  o   = {for x in xs : x.id => x... if x.ok}
  o2  = { for v in xs : v => v }
  sp  = a[*].b.c
  sp2 = a.*.b
  li  = a.0.b
  ix  = a[ "k" ][b[0]]
  pt  = (a).b
  ft  = f(x).y
  at  = [1, 2][0]
  cm  = a /* c */ .b
  ml  = (a +
    b)
  big = 18446744073709551615
}
"#;
        let (_, ours) = parsed(src);
        let locals = &ours.blocks().next().expect("locals").body;
        let expr_text = |key: &str| text(src, value(locals, key));
        assert_eq!(expr_text("t"), "var.a.b[0].*.c[*].d.0");
        assert_eq!(expr_text("p"), "( 1 + 2 )");
        assert_eq!(expr_text("f"), "provider::aws::arn_parse( x , y... )");
        assert_eq!(expr_text("g"), "upper ( \"a\" )");
        assert_eq!(expr_text("c"), "a ? b ? c : d : e");
        assert_eq!(expr_text("n"), "- 5");
        assert_eq!(
            expr_text("ob"),
            r#"{ Name = "x", "k" = 1, (var.k) = 2.5, a = { b = [] } }"#
        );
        assert_eq!(expr_text("l"), r#"[for k, v in xs : v if k != "" ]"#);
        assert_eq!(expr_text("cm"), "a /* c */ .b");
        assert_eq!(expr_text("ml"), "(a +\n    b)");

        // `- 5` is a negative number literal, `-x` an operation.
        assert!(matches!(value(locals, "n"), Expression::Number(n) if n.as_f64() == Some(-5.0)));
        let Expression::UnaryOp(m) = value(locals, "m") else {
            panic!("-x is a unary operation");
        };
        assert_eq!(text(src, &m.operator), "-");

        let Expression::Traversal(t) = value(locals, "t") else {
            panic!("a traversal");
        };
        let ops: Vec<&str> = t.operators.iter().map(|op| text(src, op)).collect();
        assert_eq!(ops, [".a", ".b", "[0]", ".*", ".c", "[*]", ".d", ".0"]);
        match t.operators[0].value() {
            TraversalOperator::GetAttr(name) => assert_eq!(text(src, name), "a"),
            other => panic!("GetAttr expected, got {other:?}"),
        }
        match t.operators[3].value() {
            TraversalOperator::AttrSplat(star) => assert_eq!(text(src, star), "*"),
            other => panic!("AttrSplat expected, got {other:?}"),
        }
        match t.operators[7].value() {
            TraversalOperator::LegacyIndex(i) => {
                assert_eq!(*i.value(), 0);
                assert_eq!(text(src, i), "0");
            }
            other => panic!("LegacyIndex expected, got {other:?}"),
        }
        let Expression::Traversal(cm) = value(locals, "cm") else {
            panic!("a traversal");
        };
        assert_eq!(text(src, &cm.operators[0]), ".b");

        let Expression::FuncCall(f) = value(locals, "f") else {
            panic!("a call");
        };
        let namespace: Vec<&str> = f.name.namespace.iter().map(|n| text(src, n)).collect();
        assert_eq!(namespace, ["provider", "aws"]);
        assert_eq!(text(src, &f.name.name), "arn_parse");
        assert!(f.args.expand_final());

        let Expression::BinaryOp(bo) = value(locals, "bo") else {
            panic!("a binary operation");
        };
        assert_eq!(text(src, &bo.operator), "||");
        assert_eq!(text(src, &bo.lhs_expr), "a  ==  b && c");

        let Expression::ForExpr(o) = value(locals, "o") else {
            panic!("a for expression");
        };
        assert!(o.grouping);
        assert_eq!(text(src, &o.intro.value_var), "x");
        assert_eq!(o.cond.as_ref().map(|c| text(src, &c.expr)), Some("x.ok"));

        let Expression::Object(ob) = value(locals, "ob") else {
            panic!("an object");
        };
        let keys: Vec<&str> = ob.iter().map(|(k, _)| text(src, k)).collect();
        assert_eq!(keys, ["Name", "\"k\"", "(var.k)", "a"]);
    }

    #[test]
    fn templates_and_heredocs_keep_their_spans() {
        let src = "s = \"a${ var.x }b%{~ if c ~}yes%{ else }no%{ endif ~}\\u00e9\"\n\
                   f = \"%{ for k, v in xs ~} ${k}=${~ v ~}, %{~ endfor }\"\n\
                   w = \"${a}\"\n\
                   e = \"\"\n\
                   d = \"$${x}\"\n\
                   h = <<EOT\nhello ${name}\nEOT\n\
                   i = <<-EOT\n    indented ${a}\n      more\n    EOT\n";
        let (_, ours) = parsed(src);

        let Expression::StringTemplate(s) = value(&ours, "s") else {
            panic!("a string template");
        };
        assert_eq!(
            text(src, &**s),
            "\"a${ var.x }b%{~ if c ~}yes%{ else }no%{ endif ~}\\u00e9\""
        );
        let elements: Vec<&Element> = s.iter().collect();
        match elements.as_slice() {
            [Element::Literal(a), Element::Interpolation(x), Element::Literal(b), Element::Directive(d), Element::Literal(e)] =>
            {
                assert_eq!((a.as_str(), text(src, a)), ("a", "a"));
                assert_eq!(text(src, &x.expr), "var.x");
                assert_eq!(text(src, b), "b");
                assert_eq!((e.as_str(), text(src, e)), ("é", "\\u00e9"));
                let Directive::If(d) = &**d else {
                    panic!("an if directive");
                };
                assert!(d.if_expr.strip.strip_start() && d.if_expr.strip.strip_end());
                assert!(!d.endif_expr.strip.strip_start() && d.endif_expr.strip.strip_end());
                assert_eq!(text(src, &d.if_expr.template), "yes");
                let otherwise = d.else_expr.as_ref().expect("an else branch");
                assert_eq!(text(src, &otherwise.template), "no");
            }
            other => panic!("unexpected elements {other:?}"),
        }

        let Expression::StringTemplate(f) = value(&ours, "f") else {
            panic!("a string template");
        };
        let Some(Element::Directive(d)) = f.iter().next() else {
            panic!("a directive first");
        };
        let Directive::For(d) = &**d else {
            panic!("a for directive");
        };
        assert_eq!(d.for_expr.key_var.as_ref().map(|k| text(src, k)), Some("k"));
        assert_eq!(text(src, &d.for_expr.value_var), "v");
        assert_eq!(text(src, &d.for_expr.template), " ${k}=${~ v ~}, ");
        assert!(d.endfor_expr.strip.strip_start() && !d.endfor_expr.strip.strip_end());

        assert!(matches!(value(&ours, "w"), Expression::StringTemplate(_)));
        assert!(matches!(value(&ours, "e"), Expression::String(s) if s.is_empty()));
        assert!(matches!(value(&ours, "d"), Expression::String(s) if s.as_str() == "${x}"));

        let Expression::HeredocTemplate(h) = value(&ours, "h") else {
            panic!("a heredoc");
        };
        assert_eq!(text(src, value(&ours, "h")), "<<EOT\nhello ${name}\nEOT");
        assert_eq!(h.delimiter.as_str(), "EOT");
        assert_eq!(text(src, &h.template), "hello ${name}\n");

        // `<<-` heredocs are dedented by hcl-edit's parser; literal spans stay on the raw text.
        let Expression::HeredocTemplate(i) = value(&ours, "i") else {
            panic!("a heredoc");
        };
        let literals: Vec<(&str, &str)> = i
            .template
            .iter()
            .filter_map(|e| match e {
                Element::Literal(l) => Some((l.as_str(), text(src, l))),
                _ => None,
            })
            .collect();
        assert_eq!(
            literals,
            [
                ("indented ", "    indented "),
                ("\n  more\n", "\n      more\n")
            ]
        );
    }

    #[test]
    fn single_expressions_convert_with_spans_into_their_text() {
        // hcl-edit's `parse_expr` takes no white space around the expression.
        let src = "{ a = [for x in y : x], b = \"${c}\" }[\"a\"]";
        assert!(hcl_edit::parser::parse_expr(" 1").is_err());
        assert!(hcl_edit::parser::parse_expr("1\n").is_err());
        let theirs = hcl_edit::parser::parse_expr(src).expect("expression parses");
        let ours = expression(&theirs);
        same_expr(&ours, &theirs);
        assert_eq!(
            text(src, &ours),
            "{ a = [for x in y : x], b = \"${c}\" }[\"a\"]"
        );
    }

    #[test]
    fn numbers_are_finite_doubles() {
        let (_, ours) = parsed("a = 18446744073709551615\nb = 1e3\nc = -1.5\n");
        let number = |key: &str| match value(&ours, key) {
            Expression::Number(n) => n.as_f64(),
            other => panic!("a number expected, got {other:?}"),
        };
        assert_eq!(number("a"), Some(18_446_744_073_709_551_615_u64 as f64));
        assert_eq!(number("b"), Some(1000.0));
        assert_eq!(number("c"), Some(-1.5));
    }
}
