//! Syntax: source text to [`ast::Module`].
//!
//! The grammar lives in `grammar/loss.pest`; this module turns pest's parse
//! tree into the AST and pest's errors into [`Diagnostic`]s.
//!
//! Guarantees: every AST node carries the span it came from; a file either
//! parses completely or yields a syntax diagnostic; nesting is bounded by
//! [`MAX_DEPTH`] (checked on the tokens *before* the recursive-descent parser
//! runs), so neither the parser nor any later recursive pass over the AST can
//! overflow the stack.

pub mod ast;
pub mod load;

use crate::diag::{DiagKind, Diagnostic};
use crate::source::{FileId, Span};
use ast::*;
use pest::Parser;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/loss.pest"]
struct LossParser;

/// The deepest nesting accepted: parentheses, unary operators, `^`, `let`
/// and `if`, counted together. Far beyond hand-written specs; the recursive
/// passes run on a thread with a large stack (see `LossSpec`), where this
/// depth, even multiplied by inlining, is comfortably safe.
pub const MAX_DEPTH: usize = 200;

/// The largest fixed dimension a type annotation may give (`f32[N, 4]`):
/// every size must fit an `i64` (and so a `usize` on 64-bit targets) for the
/// `.npy` shapes and index arithmetic that carry it. A larger literal is a
/// `DimensionTooLarge` diagnostic; products of sizes are checked against the
/// memory budget at run time, when the named sizes are known.
pub const MAX_FIXED_DIM: u64 = i64::MAX as u64;

/// The most binary operators one top-level item may have. A flat chain
/// (`a * b * c * ...`) is a tree as deep as it is long; the front end's
/// recursive passes handle a chain of half a million terms on their thread's
/// stack (measured: 499 000 pass, a million overflowed), and beyond that a
/// spec gets this diagnostic instead of a crash.
pub const MAX_OPERATORS: usize = 500_000;

/// Parse one file's text.
pub fn parse(file: FileId, text: &str) -> Result<Module, Diagnostic> {
    check_depth(file, text)?;
    let mut pairs = LossParser::parse(Rule::file, text).map_err(|e| syntax_error(file, text, e))?;
    let root = pairs
        .next()
        .expect("the file rule always produces one pair");
    let b = Builder { file };
    let mut items = Vec::new();
    for pair in root.into_inner() {
        match pair.as_rule() {
            Rule::use_item => items.push(Item::Use(b.use_item(pair))),
            Rule::decl => items.push(Item::Decl(b.decl(pair))),
            Rule::def_item => items.push(Item::Def(b.def(pair))),
            Rule::loss_item => items.push(Item::Loss(b.loss(pair))),
            Rule::bare_objective => {
                let span = b.span(&pair);
                let body = b.expr(pair.into_inner().next().unwrap());
                let name = Ident {
                    name: "main".into(),
                    span,
                };
                items.push(Item::Loss(LossItem { name, body, span }));
            }
            _ => {}
        }
    }
    Ok(Module { file, items })
}

/// Parse a single expression (used by the REPL and tests).
pub fn parse_expr(file: FileId, text: &str) -> Result<Expr, Diagnostic> {
    let module = parse(file, text)?;
    match module.items.as_slice() {
        [Item::Loss(l)] if l.name.name == "main" => Ok(l.body.clone()),
        _ => Err(Diagnostic::new(
            DiagKind::Syntax("expected an expression".into()),
            Span::new(file, 0, text.len()),
        )),
    }
}

/// Reject pathological nesting before recursive descent sees it.
///
/// Counts, per top-level item, open parentheses plus prefix operators and
/// `^`/`let`/`if` (each of which nests its right-hand side one level deeper).
/// This over-approximates the AST depth, which is what makes it safe.
fn check_depth(file: FileId, text: &str) -> Result<(), Diagnostic> {
    let bytes = text.as_bytes();
    let mut parens: Vec<usize> = Vec::new(); // chain count when each `(` opened
    let mut chain = 0usize;
    let mut operators = 0usize; // binary operators in the current top-level item
    let mut prev_operand = false; // was the previous token an operand (for unary minus)?
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        // Comments and strings are lexed exactly as the grammar does (a
        // comment runs to the end of the line; a string from `"` to the next
        // `"` or the end of the line), so brackets inside them are not counted
        // and cannot hide real nesting from the count.
        if c == b'#' {
            i = line_end(bytes, i);
            continue;
        }
        if c == b'"' {
            let end = line_end(bytes, i + 1);
            i = match bytes[i + 1..end].iter().position(|&b| b == b'"') {
                Some(k) => i + 1 + k + 1,
                None => end, // unterminated: a syntax error once parsed
            };
            prev_operand = true;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            match &text[start..i] {
                "def" | "loss" | "use" if parens.is_empty() => {
                    chain = 0;
                    operators = 0;
                }
                "let" | "if" | "not" => chain += 1,
                "and" | "or" => operators += 1,
                "then" | "else" | "in" => {}
                _ => {
                    prev_operand = true;
                    continue;
                }
            }
            prev_operand = false;
            continue;
        }
        i += 1;
        match c {
            b'(' | b'[' => {
                parens.push(chain);
                prev_operand = false;
            }
            b')' | b']' => {
                chain = parens.pop().unwrap_or(0);
                prev_operand = true;
            }
            b'^' => {
                chain += 1;
                prev_operand = false;
            }
            b'-' if !prev_operand => chain += 1,
            b'0'..=b'9' | b'.' => prev_operand = true,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'+' | b'-' | b'*' | b'/' | b'<' | b'>' => {
                operators += 1;
                prev_operand = false;
            }
            _ => prev_operand = false,
        }
        if operators > MAX_OPERATORS {
            return Err(Diagnostic::new(
                DiagKind::TooLong {
                    limit: MAX_OPERATORS,
                },
                Span::new(file, start, i),
            )
            .label("operator limit reached here")
            .help("split the expression with `let` bindings or `def`initions"));
        }
        if parens.len() + chain > MAX_DEPTH {
            return Err(Diagnostic::new(
                DiagKind::TooDeep { limit: MAX_DEPTH },
                Span::new(file, start, i),
            )
            .label("nesting limit reached here")
            .help("split the expression with `let` bindings or `def`initions"));
        }
    }
    Ok(())
}

/// The index of the first `\n` at or after `from`, or the end of the text.
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |k| from + k)
}

fn syntax_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let (start, end) = match e.location {
        pest::error::InputLocation::Pos(p) => (p, p),
        pest::error::InputLocation::Span((s, e)) => (s, e),
    };
    let found = text[start..].chars().next();
    // Underline (and name) the whole word or number, not just its first character.
    let token_len = match found {
        Some(c) if c.is_alphanumeric() || c == '_' || c == '.' => text[start..]
            .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '.'))
            .unwrap_or(text.len() - start),
        Some(c) => c.len_utf8(),
        None => 0,
    };
    let mut end = end.max(start + token_len);
    if end > text.len() {
        end = text.len();
    }
    let message = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut expected: Vec<&str> = positives.iter().filter_map(describe_rule).collect();
            expected.sort();
            expected.dedup();
            let found = match found {
                None => "end of input".to_string(),
                Some(_) => format!("`{}`", &text[start..start + token_len]),
            };
            if expected.is_empty() {
                format!("unexpected {found}")
            } else {
                format!("expected {}, found {found}", join_alternatives(&expected))
            }
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    let label = if found.is_none() {
        "input ends here"
    } else {
        "unexpected here"
    };
    let d = Diagnostic::new(DiagKind::Syntax(message), Span::new(file, start, end)).label(label);
    match habit_hint(text, start) {
        Some(hint) => d.help(hint),
        None => d,
    }
}

/// A hint for syntax from other languages that users try, recognised by the
/// character the parser stopped at and the one before it.
fn habit_hint(text: &str, at: usize) -> Option<&'static str> {
    let next = text[at..].chars().next()?;
    let before = text[..at].trim_end().chars().next_back();
    match (before, next) {
        (Some('*'), '*') => Some("`^` is the power operator: write `x^2`, not `x**2`"),
        (Some('/'), '/') => Some("`#` starts a comment; `/` divides"),
        (Some(c), '[') if c.is_alphanumeric() || c == '_' || c == ')' => Some(
            "arrays cannot be indexed: use separate scalar parameters, or a `[K]` parameter \
             with `gather(x, index)` (a literal list `[1, 2, 0.5]` is a constant array)",
        ),
        _ => None,
    }
}

fn describe_rule(rule: &Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of input",
        Rule::expr | Rule::bare_objective | Rule::unary | Rule::power => "an expression",
        Rule::ident => "a name",
        Rule::number | Rule::int_lit => "a number",
        Rule::string => "a string",
        Rule::dtype | Rule::type_ann => "a type (f32, f64, i32, i64, bool)",
        Rule::dim => "a dimension",
        Rule::add_op | Rule::mul_op | Rule::cmp_op => "an operator",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::kw_in => "`;` or `in`",
        Rule::call | Rule::kwarg => "an argument",
        Rule::list => "a list of numbers",
        Rule::param_def => "a parameter",
        Rule::role | Rule::kw_use | Rule::kw_def | Rule::kw_loss => {
            "an item (`def`, `loss`, `input`, `target`, `param`, `use`)"
        }
        _ => return None,
    })
}

fn join_alternatives(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

struct Builder {
    file: FileId,
}

impl Builder {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn use_item(&self, pair: Pair<Rule>) -> UseItem {
        let span = self.span(&pair);
        let s = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::string)
            .unwrap();
        UseItem {
            path: unquote(s.as_str()),
            span,
        }
    }

    fn decl(&self, pair: Pair<Rule>) -> Decl {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let role = match inner.next().unwrap().as_str() {
            "input" => Role::Input,
            "target" => Role::Target,
            _ => Role::Param,
        };
        let name = self.ident(inner.next().unwrap());
        let ty = inner.next().map(|t| self.type_ann(t));
        Decl {
            role,
            name,
            ty,
            span,
        }
    }

    fn type_ann(&self, pair: Pair<Rule>) -> TypeAnn {
        let span = self.span(&pair);
        let text = pair.as_str().to_string();
        let mut inner = pair.into_inner();
        let dtype = match inner.next().unwrap().as_str() {
            "f32" => DType::F32,
            "f64" => DType::F64,
            "i32" => DType::I32,
            "i64" => DType::I64,
            _ => DType::Bool,
        };
        let dims: Vec<DimAnn> = inner
            .map(|d| {
                let d = d.into_inner().next().unwrap();
                match d.as_rule() {
                    Rule::ident => DimAnn::Named(self.ident(d)),
                    // Digits only, so parsing fails only on overflow: saturate, and let
                    // the checker reject every size above `MAX_FIXED_DIM`.
                    _ => DimAnn::Fixed(d.as_str().parse().unwrap_or(u64::MAX), self.span(&d)),
                }
            })
            .collect();
        let dims = if text.contains('[') { Some(dims) } else { None };
        TypeAnn { dtype, dims, span }
    }

    fn def(&self, pair: Pair<Rule>) -> Def {
        let span = self.span(&pair);
        let mut name = None;
        let mut params = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(p)),
                Rule::param_def => {
                    let mut inner = p.into_inner();
                    let name = self.ident(inner.next().unwrap());
                    let default = inner.next().map(|e| self.expr(e));
                    params.push(ParamDef { name, default });
                }
                Rule::expr => body = Some(self.expr(p)),
                _ => {}
            }
        }
        Def {
            name: name.unwrap(),
            params,
            body: body.unwrap(),
            span,
        }
    }

    fn loss(&self, pair: Pair<Rule>) -> LossItem {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_loss);
        let name = self.ident(inner.next().unwrap());
        let body = self.expr(inner.next().unwrap());
        LossItem { name, body, span }
    }

    fn expr(&self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let text = pair.as_str();
        let mut inner: Vec<Pair<Rule>> = pair
            .into_inner()
            .filter(|p| !is_keyword_token(p.as_rule()))
            .collect();
        let kind = match rule {
            Rule::expr => return self.expr(inner.remove(0)),
            Rule::let_expr => {
                let body = self.expr(inner.pop().unwrap());
                let value = self.expr(inner.pop().unwrap());
                let name = self.ident(inner.pop().unwrap());
                ExprKind::Let {
                    name,
                    value: Box::new(value),
                    body: Box::new(body),
                }
            }
            Rule::if_expr => {
                let otherwise = self.expr(inner.pop().unwrap());
                let then = self.expr(inner.pop().unwrap());
                let cond = self.expr(inner.pop().unwrap());
                ExprKind::If {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                }
            }
            Rule::or_expr | Rule::and_expr | Rule::add_expr | Rule::mul_expr | Rule::cmp_expr => {
                return self.left_assoc(rule, inner);
            }
            Rule::not_expr => {
                if inner.len() == 1 {
                    // `not` keywords were filtered out; tell negations from plain comparisons by rule.
                    let only = inner.remove(0);
                    if only.as_rule() == Rule::not_expr {
                        ExprKind::Unary(UnOp::Not, Box::new(self.expr(only)))
                    } else {
                        return self.expr(only);
                    }
                } else {
                    unreachable!("not_expr has one child")
                }
            }
            Rule::unary => {
                if inner.len() == 2 {
                    ExprKind::Unary(UnOp::Neg, Box::new(self.expr(inner.pop().unwrap())))
                } else {
                    return self.expr(inner.remove(0));
                }
            }
            Rule::power => {
                if inner.len() == 2 {
                    let exp = self.expr(inner.pop().unwrap());
                    let base = self.expr(inner.pop().unwrap());
                    ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp))
                } else {
                    return self.expr(inner.remove(0));
                }
            }
            // The grammar only admits well-formed decimal literals, which always parse.
            Rule::number => ExprKind::Number(text.parse().unwrap_or(f64::NAN)),
            Rule::string => ExprKind::Str(unquote(text)),
            Rule::kw_lit => match text {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                _ => ExprKind::None,
            },
            Rule::ident => ExprKind::Name(text.to_string()),
            Rule::list => ExprKind::List(inner.into_iter().map(|e| self.expr(e)).collect()),
            Rule::call => {
                let mut it = inner.into_iter();
                let callee = self.ident(it.next().unwrap());
                let args = it
                    .map(|a| match a.as_rule() {
                        Rule::kwarg => {
                            let mut kv = a.into_inner();
                            let keyword = Some(self.ident(kv.next().unwrap()));
                            Arg {
                                keyword,
                                value: self.expr(kv.next().unwrap()),
                            }
                        }
                        _ => Arg {
                            keyword: None,
                            value: self.expr(a),
                        },
                    })
                    .collect();
                ExprKind::Call { callee, args }
            }
            other => unreachable!("unexpected rule {other:?} in expression"),
        };
        Expr { kind, span }
    }

    fn left_assoc(&self, rule: Rule, inner: Vec<Pair<Rule>>) -> Expr {
        let mut it = inner.into_iter();
        let mut lhs = self.expr(it.next().unwrap());
        while let Some(op) = it.next() {
            let op = match (rule, op.as_str()) {
                (Rule::or_expr, _) => BinOp::Or,
                (Rule::and_expr, _) => BinOp::And,
                (_, "+") => BinOp::Add,
                (_, "-") => BinOp::Sub,
                (_, "*") => BinOp::Mul,
                (_, "/") => BinOp::Div,
                (_, "==") => BinOp::Eq,
                (_, "!=") => BinOp::Ne,
                (_, "<=") => BinOp::Le,
                (_, ">=") => BinOp::Ge,
                (_, "<") => BinOp::Lt,
                _ => BinOp::Gt,
            };
            let rhs = self.expr(it.next().unwrap());
            let span = lhs.span.to(rhs.span);
            lhs = Expr {
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                span,
            };
        }
        lhs
    }
}

/// Keyword tokens that carry no information once the rule they sit in is known.
fn is_keyword_token(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_let | Rule::kw_in | Rule::kw_if | Rule::kw_then | Rule::kw_else | Rule::kw_not
    )
}

fn unquote(s: &str) -> String {
    s.trim_matches('"').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expr {
        parse_expr(FileId(0), text).unwrap_or_else(|d| panic!("{d:?}"))
    }

    /// Fully parenthesised rendering, to make precedence visible.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(x) => format!("{x}"),
            ExprKind::Name(n) => n.clone(),
            ExprKind::Str(s) => format!("{s:?}"),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::None => "none".into(),
            ExprKind::Unary(UnOp::Neg, a) => format!("(-{})", show(a)),
            ExprKind::Unary(UnOp::Not, a) => format!("(not {})", show(a)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", show(a), op.symbol(), show(b)),
            ExprKind::List(items) => {
                let items: Vec<String> = items.iter().map(show).collect();
                format!("[{}]", items.join(", "))
            }
            ExprKind::Call { callee, args } => {
                let args: Vec<String> = args
                    .iter()
                    .map(|a| match &a.keyword {
                        Some(k) => format!("{}={}", k.name, show(&a.value)),
                        None => show(&a.value),
                    })
                    .collect();
                format!("{}({})", callee.name, args.join(", "))
            }
            ExprKind::Let { name, value, body } => {
                format!("(let {} = {}; {})", name.name, show(value), show(body))
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => format!(
                "(if {} then {} else {})",
                show(cond),
                show(then),
                show(otherwise)
            ),
        }
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(show(&expr("-x^2")), "(-(x ^ 2))");
        assert_eq!(show(&expr("2^3^2")), "(2 ^ (3 ^ 2))");
        assert_eq!(show(&expr("x^-1")), "(x ^ (-1))");
        assert_eq!(show(&expr("a - b - c")), "((a - b) - c)");
        assert_eq!(show(&expr("a + b * c / d")), "(a + ((b * c) / d))");
        assert_eq!(
            show(&expr("a < b and not c == d or e")),
            "(((a < b) and (not (c == d))) or e)"
        );
        assert_eq!(
            show(&expr("0.7*focal(gamma=2) + 1e-4*l2")),
            "((0.7 * focal(gamma=2)) + (0.0001 * l2))"
        );
    }

    #[test]
    fn let_and_if_extend_to_the_right() {
        assert_eq!(
            show(&expr("let d = abs(p - y); if d < 1 then 0.5 * d^2 else d")),
            "(let d = abs((p - y)); (if (d < 1) then (0.5 * (d ^ 2)) else d))"
        );
        assert_eq!(show(&expr("let a = 1 in a + 1")), "(let a = 1; (a + 1))");
    }

    #[test]
    fn keywords_are_not_identifiers_but_role_words_are() {
        assert!(parse(FileId(0), "loss let = 1").is_err());
        assert_eq!(
            show(&expr("mean(target - input)")),
            "mean((target - input))"
        );
        assert_eq!(show(&expr("iffy + letter")), "(iffy + letter)");
    }

    #[test]
    fn items_and_bare_objective() {
        let m = parse(FileId(0), "use \"a.loss\"\ninput x: f32[N, 3]\ntarget y: i64[N]; param w\ndef f(a, b = 2) = a * b\nloss l = f(x)\nmean(x)").unwrap();
        assert_eq!(m.items.len(), 7);
        let Item::Decl(d) = &m.items[1] else { panic!() };
        assert_eq!(d.role, Role::Input);
        assert!(matches!(
            d.ty.as_ref().unwrap().dims.as_deref(),
            Some([DimAnn::Named(_), DimAnn::Fixed(3, _)])
        ));
        let Item::Loss(l) = &m.items[6] else { panic!() };
        assert_eq!(l.name.name, "main");
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let d = parse(FileId(0), "mean(x +)").unwrap_err();
        assert!(matches!(d.kind, DiagKind::Syntax(_)));
        assert_eq!(d.span.start, 8);
        let d = parse(FileId(0), "def f(x) = ").unwrap_err();
        assert!(
            matches!(&d.kind, DiagKind::Syntax(m) if m.contains("expected an expression")),
            "{d:?}"
        );
    }

    #[test]
    fn nesting_depth_is_limited_before_parsing() {
        let deep = format!("{}x{}", "(".repeat(5000), ")".repeat(5000));
        assert!(matches!(
            parse(FileId(0), &deep).unwrap_err().kind,
            DiagKind::TooDeep { .. }
        ));
        let negs = format!("{}x", "-".repeat(5000));
        assert!(matches!(
            parse(FileId(0), &negs).unwrap_err().kind,
            DiagKind::TooDeep { .. }
        ));
        let pows = format!("x{}", "^x".repeat(5000));
        assert!(matches!(
            parse(FileId(0), &pows).unwrap_err().kind,
            DiagKind::TooDeep { .. }
        ));
        // Long but flat is fine.
        let flat = vec!["x"; 20000].join(" - ");
        assert!(parse(FileId(0), &flat).is_ok());
        // Brackets inside strings and comments neither hide nor add nesting.
        let hidden = format!("{}x", "(\"x)\" + ".repeat(300));
        assert!(matches!(
            parse(FileId(0), &hidden).unwrap_err().kind,
            DiagKind::TooDeep { .. }
        ));
        let hidden = format!("{}x", "(\"x)\" + ".repeat(200_000));
        assert!(matches!(
            parse(FileId(0), &hidden).unwrap_err().kind,
            DiagKind::TooDeep { .. }
        ));
        let commented = format!("{}x{}", "( # )\n".repeat(300), ")".repeat(300));
        assert!(matches!(
            parse(FileId(0), &commented).unwrap_err().kind,
            DiagKind::TooDeep { .. }
        ));
        let quoted = format!(
            "loss s = f(\"{}\")\nmean(pred) # {}",
            "((".repeat(5000),
            "(".repeat(5000)
        );
        assert!(
            parse(FileId(0), &quoted).is_ok(),
            "brackets in a string or a comment are not nesting"
        );
        // Moderate nesting is fine too.
        let ok = format!("{}x{}", "(".repeat(150), ")".repeat(150));
        assert!(parse(FileId(0), &ok).is_ok());
    }
}
