//! Compile-time diagnostics: typed errors with source locations, rendered like rustc.
//!
//! Every error the front end can report is a [`DiagKind`] variant (tests match
//! on these), attached to the [`Span`] it is about, with an optional label for
//! the underline, secondary notes (each optionally pointing at another span,
//! e.g. the prelude definition an error was found in) and a `help:` hint.
//! [`Diagnostic::render`] produces
//!
//! ```text
//! error: unknown keyword argument `gama` for `focal`
//!  --> spec.loss:1:11
//!   |
//! 1 | 0.7*focal(gama=2) + 0.3*dice
//!   |           ^^^^ not a parameter of `focal`
//!   = help: did you mean `gamma`?
//! ```

use crate::source::{SourceMap, Span};
use std::fmt::Write;

/// What went wrong. The `Display` text is the headline of the diagnostic.
// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiagKind {
    #[error("syntax error: {0}")]
    Syntax(String),
    #[error("expression nested too deeply (more than {limit} levels)")]
    TooDeep { limit: usize },
    #[error("definition too long (more than {limit} binary operators)")]
    TooLong { limit: usize },
    /// Inlining would build more than `limit` (definition bodies expanded,
    /// or graph nodes): a definition that calls others several times with
    /// different arguments per level grows exponentially.
    #[error("the objective expands too much (more than {limit})")]
    TooManyExpansions { limit: String },
    #[error("cannot read `{path}`: {reason}")]
    MissingFile { path: String, reason: String },
    #[error("import cycle: {chain}")]
    ImportCycle { chain: String },
    #[error("`{name}` is defined twice")]
    Duplicate { name: String },
    #[error("unknown name `{name}`")]
    UnknownName { name: String },
    #[error("unknown function `{name}`")]
    UnknownFunction { name: String },
    #[error("`{name}` is not a function")]
    NotAFunction { name: String },
    #[error("`{name}` expects {expected}, got {got} positional argument{}", if *got == 1 { "" } else { "s" })]
    Arity {
        name: String,
        expected: String,
        got: usize,
    },
    #[error("unknown keyword argument `{keyword}` for `{name}`")]
    UnknownKeyword { name: String, keyword: String },
    #[error("argument `{keyword}` of `{name}` is given twice")]
    DuplicateKeyword { name: String, keyword: String },
    #[error("missing argument `{param}` of `{name}`")]
    MissingArgument { name: String, param: String },
    #[error("type mismatch: expected {expected}, found {found}")]
    Type { expected: String, found: String },
    #[error("dimension {size} is too large (the largest fixed dimension is {limit})")]
    DimensionTooLarge { size: String, limit: u64 },
    #[error("shape mismatch: {0}")]
    Shape(String),
    #[error("objective `{name}` is not a scalar: it has shape {shape}")]
    NonScalarObjective { name: String, shape: String },
    #[error("`{name}` is recursive: {chain}")]
    Recursion { name: String, chain: String },
    #[error("unknown objective `{name}`")]
    UnknownObjective { name: String },
    #[error("the spec defines no objective")]
    NoObjective,
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A warning: the spec compiles, but can produce inf or NaN.
    #[error("{0}")]
    Hazard(String),
}

impl DiagKind {
    /// Whether this is a warning (a hazard) rather than an error.
    pub fn is_warning(&self) -> bool {
        matches!(self, DiagKind::Hazard(_))
    }
}

/// A secondary message, optionally pointing at another place in the sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Where the note points, if anywhere.
    pub span: Option<Span>,
    /// The note's text.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
/// One diagnostic: what went wrong, where, and what to do.
pub struct Diagnostic {
    /// What went wrong (typed; match on it).
    pub kind: DiagKind,
    /// The source range to underline.
    pub span: Span,
    /// The text under the underline.
    pub label: String,
    /// Secondary notes, each optionally pointing at source.
    pub notes: Vec<Note>,
    /// A suggestion of what to write instead.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `kind` at `span`, with no label, notes or help yet.
    pub fn new(kind: DiagKind, span: Span) -> Diagnostic {
        Diagnostic {
            kind,
            span,
            label: String::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// Set the text under the underlined source.
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    /// Set the `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Add a `note:` line, pointing at `span` when given.
    pub fn note(mut self, span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        self.notes.push(Note {
            span,
            message: message.into(),
        });
        self
    }

    /// Render for a terminal, without colour (stable for golden tests).
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        // One gutter width for every snippet, so the `-->` arrows line up.
        let gutter = std::iter::once(self.span)
            .chain(self.notes.iter().filter_map(|n| n.span))
            .map(|s| sources.position(s.file, s.start).line.to_string().len())
            .max()
            .unwrap_or(1);
        let severity = if self.kind.is_warning() {
            "warning"
        } else {
            "error"
        };
        let _ = writeln!(out, "{severity}: {}", self.kind);
        render_snippet(&mut out, sources, self.span, &self.label, "^", gutter);
        for note in &self.notes {
            match note.span {
                Some(span) => {
                    let _ = writeln!(out, "note: {}", note.message);
                    render_snippet(&mut out, sources, span, "", "-", gutter);
                }
                None => {
                    let _ = writeln!(out, "  = note: {}", note.message);
                }
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}

/// The most characters of a source line a snippet shows.
const MAX_SHOWN: usize = 150;

fn render_snippet(
    out: &mut String,
    sources: &SourceMap,
    span: Span,
    label: &str,
    mark: &str,
    gutter: usize,
) {
    let start = sources.position(span.file, span.start);
    let end = sources.position(span.file, span.end.max(span.start));
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}--> {}", sources.location(span));
    let _ = writeln!(out, "{pad} |");
    let line: Vec<char> = sources.line_text(span.file, start.line).chars().collect();
    // A multi-line span is underlined to the end of its first line.
    let width = if end.line == start.line {
        end.col.saturating_sub(start.col)
    } else {
        line.len() + 1 - start.col
    };
    // A long line (generated specs) is shown as a window around the span.
    let (from, to) = if line.len() <= MAX_SHOWN {
        (0, line.len())
    } else {
        let from = (start.col - 1)
            .saturating_sub(MAX_SHOWN / 3)
            .min(line.len());
        (from, (from + MAX_SHOWN).min(line.len()))
    };
    let cut = |at: bool| if at { "..." } else { "" };
    let shown: String = line[from..to].iter().collect();
    let _ = writeln!(
        out,
        "{:>gutter$} | {}{shown}{}",
        start.line,
        cut(from > 0),
        cut(to < line.len())
    );
    let width = width.min(to + 1 - start.col.min(to)).max(1);
    let indent: String = cut(from > 0)
        .chars()
        .map(|_| ' ')
        .chain(
            line[from..(start.col - 1).min(to)]
                .iter()
                .map(|&c| if c == '\t' { '\t' } else { ' ' }),
        )
        .collect();
    let label = if label.is_empty() {
        String::new()
    } else {
        format!(" {label}")
    };
    let _ = writeln!(out, "{pad} | {indent}{}{label}", mark.repeat(width));
}

/// A failed compilation: one or more diagnostics and the sources they point into.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.render())]
pub struct CompileError {
    /// The diagnostics, the first being the error.
    pub diagnostics: Vec<Diagnostic>,
    /// The sources they point into (for rendering).
    pub sources: SourceMap,
}

impl CompileError {
    /// The diagnostics rendered as the CLI prints them: file:line:col, the source underlined, notes and help.
    pub fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.sources))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The kind of the first diagnostic (what tests usually match on).
    pub fn kind(&self) -> &DiagKind {
        &self.diagnostics[0].kind
    }
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Edits (insertions, deletions, substitutions, and swaps of two adjacent
/// characters, the commonest typo: `focla` for `focal`) turning `a` into `b`:
/// the optimal string alignment distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = Vec::new(); // row i - 2
    let mut prev: Vec<usize> = (0..=b.len()).collect(); // row i - 1
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("gama", ["gamma", "alpha"]).as_deref(),
            Some("did you mean `gamma`?")
        );
        assert_eq!(did_you_mean("zzz", ["gamma", "alpha"]), None);
        // A swap of two neighbours is one edit.
        assert_eq!(
            did_you_mean("focla", ["focal", "dice"]).as_deref(),
            Some("did you mean `focal`?")
        );
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("abc", "ca"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn renders_rustc_style() {
        let mut sm = SourceMap::new();
        let f = sm.add("spec.loss", None, "0.7*focal(gama=2)\n");
        let d = Diagnostic::new(
            DiagKind::UnknownKeyword {
                name: "focal".into(),
                keyword: "gama".into(),
            },
            Span::new(f, 10, 14),
        )
        .label("not a parameter of `focal`")
        .help("did you mean `gamma`?");
        let expected = "error: unknown keyword argument `gama` for `focal`\n --> spec.loss:1:11\n  |\n1 | 0.7*focal(gama=2)\n  |           ^^^^ not a parameter of `focal`\n  = help: did you mean `gamma`?\n";
        assert_eq!(d.render(&sm), expected);
    }
}
