//! Compiling a piece of text against a spec: an expression as an extra
//! objective ([`compile_expression`]), or new items appended to a spec (the
//! REPL's session).
//!
//! This is the API's facility for anything that lets a user type an
//! expression next to a spec: `lossc plot -e`, the REPL, or an embedder's
//! notebook. It needs no command-line feature.
//!
//! The compiler sees one assembled file (the spec's text and the snippet);
//! its diagnostics are then re-rendered against the pieces the user wrote, so
//! an error in a typed expression points at `<input>:1:7` in that expression,
//! not at a line of a hidden file, and an error in the spec still points at
//! the spec's own line. The hidden objective's name never shows: a
//! non-scalar expression is named by its own text.
//!
//! ```
//! use lossc::snippet::{Context, compile_expression};
//! use std::collections::HashMap;
//!
//! let ctx = Context { name: "spec.loss", text: "def sq(x) = x^2\n", base_dir: None };
//! let loss = compile_expression(&ctx, "sq(3) + 1", "<expr>", &HashMap::new()).unwrap();
//! assert_eq!(loss.evaluate(&lossc::OwnedInputs::new()).unwrap().value, 10.0);
//!
//! let err = compile_expression(&ctx, "sq(3) + sqq(1)", "<expr>", &HashMap::new()).unwrap_err();
//! assert!(err.rendered.contains("--> <expr>:1:9"), "{}", err.rendered);
//! ```

use crate::check::InputSig;
use crate::diag::{CompileError, DiagKind, Diagnostic};
use crate::rewrite::Rewrite;
use crate::source::{FileId, SourceMap, Span};
use crate::{CompiledLoss, LossSpec};
use std::collections::HashMap;
use std::path::Path;

/// Spec text that snippets are compiled against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Name shown in diagnostics (a path, or `<repl>`).
    pub name: &'a str,
    /// The spec's text: its definitions, declarations and objectives are
    /// in scope for the expression.
    pub text: &'a str,
    /// Where `use` paths are resolved.
    pub base_dir: Option<&'a Path>,
}

/// A compile error, rendered against the user's pieces, and its kind.
#[derive(Debug, Clone)]
pub struct SnippetError {
    /// The first diagnostic's kind; `None` for a plain message.
    pub kind: Option<DiagKind>,
    /// The diagnostics rendered against the user's pieces (or the message).
    pub rendered: String,
}

impl SnippetError {
    /// An error that is a message, not a diagnostic.
    pub fn message(text: impl Into<String>) -> SnippetError {
        SnippetError {
            kind: None,
            rendered: text.into(),
        }
    }
}

/// One piece of the assembled file: `range` there shows as `text` under `name`.
pub(crate) struct Piece<'a> {
    pub range: std::ops::Range<usize>,
    pub name: &'a str,
    pub text: &'a str,
}

/// The assembled file's spans re-pointed at the pieces, each shown as a file
/// of its own.
struct Remap {
    sources: SourceMap,
    pieces: Vec<(std::ops::Range<usize>, FileId, usize)>,
}

impl Remap {
    /// `from` holds the assembled entry file and the files before it.
    fn new(from: &SourceMap, files: u32, pieces: &[Piece]) -> Remap {
        let mut sources = SourceMap::new();
        for i in 0..files.max(entry_file().0 + 1) {
            let f = from.file(FileId(i));
            sources.add(f.name.clone(), f.path.as_deref(), f.text.clone());
        }
        let pieces = pieces
            .iter()
            .map(|p| {
                (
                    p.range.clone(),
                    sources.add(p.name, None, p.text),
                    p.text.len(),
                )
            })
            .collect();
        Remap { sources, pieces }
    }

    fn fix(&self, s: Span) -> Span {
        if s.file != entry_file() {
            return s;
        }
        let (start, end) = (s.start as usize, s.end as usize);
        for (range, id, len) in &self.pieces {
            if range.start <= start && start <= range.end {
                let from = start - range.start;
                let to = end.saturating_sub(range.start).clamp(from, *len);
                return Span::new(*id, from, to);
            }
        }
        s
    }

    fn render(&self, diagnostics: &[Diagnostic]) -> String {
        diagnostics
            .iter()
            .map(|d| {
                let mut d = d.clone();
                d.span = self.fix(d.span);
                for n in &mut d.notes {
                    n.span = n.span.map(|s| self.fix(s));
                }
                d.render(&self.sources)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The entry file's id: the first after the prelude's files.
fn entry_file() -> FileId {
    FileId(crate::syntax::load::PRELUDE_FILES.len() as u32)
}

/// Render `err`, whose entry file was assembled from `pieces`, as if
/// each piece were a file of its own.
pub(crate) fn render_pieces(err: &CompileError, pieces: &[Piece]) -> String {
    let mut files = entry_file().0 + 1;
    for d in &err.diagnostics {
        files = files.max(d.span.file.0 + 1);
        for n in &d.notes {
            if let Some(s) = n.span {
                files = files.max(s.file.0 + 1);
            }
        }
    }
    Remap::new(&err.sources, files, pieces).render(&err.diagnostics)
}

/// Re-render the rewrites and warnings of `loss` against the pieces.
fn render_notes(loss: &mut CompiledLoss, spec: &LossSpec, pieces: &[Piece]) {
    let sources = &spec.spec().program.sources;
    let remap = Remap::new(sources, sources.len() as u32, pieces);
    let rewrites: Vec<Rewrite> = loss
        .rewrites
        .iter()
        .map(|r| Rewrite {
            span: r.span.map(|s| remap.fix(s)),
            ..*r
        })
        .collect();
    let explanation = crate::rewrite::explain(&rewrites, &remap.sources);
    let warnings = remap.render(&loss.warnings);
    loss.set_notes(explanation, warnings);
}

/// A name for a hidden objective that occurs in none of the texts.
pub(crate) fn fresh_name(base: &str, texts: &[&str]) -> String {
    let mut name = base.to_string();
    let mut k = 0;
    while texts.iter().any(|t| t.contains(&name)) {
        k += 1;
        name = format!("{base}{k}");
    }
    name
}

/// Check that `expr` is one expression, rendering a syntax error against `expr_name`.
pub(crate) fn parse_check(expr: &str, expr_name: &str) -> Result<(), SnippetError> {
    let mut sources = SourceMap::new();
    let file = sources.add(expr_name, None, expr);
    crate::syntax::parse_expr(file, expr)
        .map(|_| ())
        .map_err(|d| SnippetError {
            rendered: d.render(&sources),
            kind: Some(d.kind),
        })
}

/// Compile `expr` as one more objective of the spec `ctx`, for inputs of the
/// given signatures. Diagnostics inside the expression point into a file
/// named `expr_name` holding only the expression; those inside the spec
/// point at the spec's own lines.
pub fn compile_expression(
    ctx: &Context,
    expr: &str,
    expr_name: &str,
    sigs: &HashMap<String, InputSig>,
) -> Result<CompiledLoss, SnippetError> {
    parse_check(expr, expr_name)?;
    let name = fresh_name("__expr", &[ctx.text, expr]);
    // The expression goes first: a spec may end with a bare objective, after
    // which nothing may follow. `;` keeps the spec's first item out of it.
    let head = format!("loss {name} = ");
    let text = format!("{head}{expr};\n{}", ctx.text);
    let expr_range = head.len()..head.len() + expr.len();
    let ctx_start = expr_range.end + 2;
    let pieces = [
        Piece {
            range: expr_range,
            name: expr_name,
            text: expr,
        },
        Piece {
            range: ctx_start..text.len(),
            name: ctx.name,
            text: ctx.text,
        },
    ];
    let fail = |mut e: CompileError| {
        // The hidden objective's name means nothing to the user: name the expression instead.
        for d in &mut e.diagnostics {
            if let DiagKind::NonScalarObjective { name: n, .. } = &mut d.kind
                && *n == name
            {
                *n = expr.trim().to_string();
            }
        }
        SnippetError {
            kind: Some(e.kind().clone()),
            rendered: render_pieces(&e, &pieces),
        }
    };
    let spec = LossSpec::from_source(ctx.name, &text, ctx.base_dir).map_err(fail)?;
    let mut loss = spec.compile(Some(&name), sigs).map_err(fail)?;
    render_notes(&mut loss, &spec, &pieces);
    Ok(loss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_into_the_expression() {
        let ctx = Context {
            name: "<repl>",
            text: "def f(x) = x^2\n",
            base_dir: None,
        };
        let e = compile_expression(&ctx, "f(2) + focal(gama=2)", "<input>", &HashMap::new())
            .unwrap_err();
        assert!(e.rendered.contains("--> <input>:1:14"), "{}", e.rendered);
        assert!(
            e.rendered.contains("1 | f(2) + focal(gama=2)"),
            "{}",
            e.rendered
        );
        assert!(matches!(e.kind, Some(DiagKind::UnknownKeyword { .. })));
    }

    #[test]
    fn a_spec_ending_in_a_bare_objective_still_takes_expressions() {
        let ctx = Context {
            name: "spec.loss",
            text: "input p: f32[N]\nmse(p, 0)",
            base_dir: None,
        };
        let c = compile_expression(&ctx, "-mae(p, 1)", "<expr>", &HashMap::new()).unwrap();
        assert_eq!(c.inputs()[0].name, "p");
        let e = compile_expression(&ctx, "p", "<expr>", &HashMap::new()).unwrap_err();
        assert!(
            matches!(e.kind, Some(DiagKind::NonScalarObjective { .. })),
            "{}",
            e.rendered
        );
        assert!(e.rendered.contains("<expr>:1:1"), "{}", e.rendered);
    }

    #[test]
    fn syntax_errors_are_reported_against_the_expression_alone() {
        let ctx = Context {
            name: "<repl>",
            text: "",
            base_dir: None,
        };
        let e = compile_expression(&ctx, "bce(", "<input>", &HashMap::new()).unwrap_err();
        assert!(e.rendered.contains("<input>:1:"), "{}", e.rendered);
        let e = compile_expression(&ctx, "def f(x) = 1", "<input>", &HashMap::new()).unwrap_err();
        assert!(
            e.rendered.contains("expected an expression"),
            "{}",
            e.rendered
        );
    }
}
