//! `lossc repl`: an interactive session for experimenting with losses.
//!
//! The engine is [`Session`]: lines in ([`Session::handle`]), text out
//! ([`Output`]), no terminal involved, so it is driven the same way by the
//! line editor ([`run`], with rustyline), by piped standard input, and by
//! tests (golden transcripts in `tests/golden/repl/`).
//!
//! A session is spec text accumulated item by item: every `def`, `loss`,
//! declaration and `use` typed (or loaded from a spec file) is checked
//! together with what is already there — name resolution with
//! [`LossSpec::from_source`], and every objective elaborated — and only then
//! added; a definition or declaration with a name already taken replaces the
//! old one. An expression is compiled as a hidden extra objective of the
//! session: it is evaluated when it reads no inputs (`focal(2.0, 1,
//! gamma=2)`) or only inputs with data loaded by `:load`, and otherwise
//! described (type, shape, inputs, derivative). Commands start with `:`
//! (`:help` lists them); wherever a command takes an expression, the name of
//! a `loss` of the session works too.
//!
//! Guarantees: an input that fails (a compile error, shown with the usual
//! rendered diagnostics pointing into `<input>`; a bad command, range, path
//! or data file, with a message) leaves the session exactly as it was; no
//! input ends the session except `:quit` (and end of input); and a panic
//! inside the compiler is caught and reported as an internal error, so the
//! session survives it. Output is deterministic except for the timings of
//! `:eval`.

mod input;
mod terminal;

pub use input::{COMMANDS, KEYWORDS, LineJoiner, Vocabulary, complete, is_incomplete};
pub use terminal::{ReplArgs, history_path, run};

use crate::check::{DEFAULT_INPUTS, InputSig};
use crate::diag::DiagKind;
use crate::ir::Kind;
use crate::native::Precision;
use crate::plot::{self, Figure, Range, TermOptions};
use crate::runtime::{Data, OwnedInputs};
use crate::snippet::{Context, Piece, SnippetError, compile_expression, fresh_name, render_pieces};
use crate::source::SourceMap;
use crate::syntax::ast::{Item, Module};
use crate::{CompiledLoss, LossSpec};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// How a session presents things.
#[derive(Debug, Clone)]
pub struct Options {
    /// Terminal plots: size, and whether to use ANSI colours.
    pub plot: TermOptions,
    /// Default size of figures written by `:save`.
    pub figure_size: (u32, u32),
    /// Where `use` paths typed in the session are resolved.
    pub base_dir: PathBuf,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            plot: TermOptions::default(),
            figure_size: (960, 420),
            base_dir: PathBuf::from("."),
        }
    }
}

/// The reply to one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// What to show; every line ends in `\n` (empty for blank input).
    pub text: String,
    /// The input failed (the text is an error message or diagnostics).
    pub error: bool,
    /// The input asked to end the session.
    pub quit: bool,
}

impl Output {
    fn text(text: impl Into<String>) -> Output {
        let mut text = text.into();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        Output {
            text,
            error: false,
            quit: false,
        }
    }

    fn error(text: impl Into<String>) -> Output {
        let text = text.into();
        let text = if text.starts_with("error") {
            text
        } else {
            format!("error: {text}")
        };
        Output {
            error: true,
            ..Output::text(text)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkKind {
    Use,
    Decl,
    Def,
    Loss,
}

/// One item of the session's spec text.
#[derive(Debug, Clone)]
struct Chunk {
    kind: ChunkKind,
    name: String,
    text: String,
}

/// What an expression (or objective name) compiled to.
struct Target {
    label: String,
    loss: CompiledLoss,
    /// An expression (a hidden objective), not a `loss` of the session.
    hidden: bool,
}

/// A REPL session: the accumulated spec, loaded data and the last plot.
pub struct Session {
    options: Options,
    chunks: Vec<Chunk>,
    data: BTreeMap<String, (Data, String)>,
    last_plot: Option<Figure>,
    vocab: Vocabulary,
}

const HELP: &str = "\
Type a definition, declaration or objective to add it to the session:
  def NAME(PARAMS) = EXPR        input|target|param NAME[: TYPE]
  loss NAME = EXPR               use \"FILE.loss\"
Type an expression to evaluate it: a number when it reads no inputs (or only
inputs with loaded data), otherwise its type, inputs and derivative.
Commands (EXPR may also be the name of a loss of the session):
  :derive EXPR [wrt NAME]     the simplified symbolic gradient
  :ir EXPR                    the optimised IR of the value
  :explain EXPR               the stabilising rewrites applied, and hazards
  :clif EXPR | :asm EXPR      the native code (Cranelift IR | machine code)
  :eval EXPR [--random N] [--seed S] [--dim NAME=SIZE]...
                              value, terms and gradient norms on loaded data
                              (:load) or synthetic data, and the time taken
  :load NAME=FILE.npy ...     data for an input (or FILE.npy, named by its stem)
  :plot EXPR[, EXPR...] over VAR in A..B [with NAME=VALUE, ...]
                              curves and their derivatives w.r.t. VAR
  :save FILE.svg|FILE.png [WIDTHxHEIGHT]
                              the last plot as a figure
  :list  what is defined      :reset  start over
  :help  this text            :quit   leave (or Ctrl-D)
";

impl Session {
    pub fn new(options: Options) -> Session {
        let mut s = Session {
            options,
            chunks: Vec::new(),
            data: BTreeMap::new(),
            last_plot: None,
            vocab: Vocabulary::default(),
        };
        s.refresh_vocabulary();
        s
    }

    /// Names for Tab completion, kept up to date with the session.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Completions for the word ending at byte `pos` of `line` (see [`complete`]).
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        complete(&self.vocab, line, pos)
    }

    /// The session's spec as text (what `:list` shows, one item per line).
    pub fn spec_text(&self) -> String {
        join(&self.chunks)
    }

    /// The last plot drawn with `:plot`.
    pub fn last_plot(&self) -> Option<&Figure> {
        self.last_plot.as_ref()
    }

    /// Handle one (possibly multi-line) input.
    pub fn handle(&mut self, input: &str) -> Output {
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.dispatch(input)));
        result.unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Output::error(format!("internal error: {what}; the session is unchanged"))
        })
    }

    /// Add the items of a spec file to the session (its `use` paths keep
    /// pointing where they did; a bare objective becomes `loss main`).
    pub fn load_file(&mut self, path: &Path) -> Output {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return Output::error(format!("cannot read `{}`: {e}", path.display())),
        };
        // Check the file on its own first, so its errors point at its own lines.
        if let Err(e) = LossSpec::from_file(path)
            && !e
                .diagnostics
                .iter()
                .all(|d| d.kind == DiagKind::NoObjective)
        {
            return Output::error(e.render());
        }
        let shown = path.display().to_string();
        let (module, _) = match parse_module(&shown, &text) {
            Ok(m) => m,
            Err(e) => return Output::error(e),
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut chunks = Vec::new();
        for item in &module.items {
            let (kind, name, text) = match item {
                Item::Use(u) => {
                    let p = if Path::new(&u.path).is_absolute() {
                        PathBuf::from(&u.path)
                    } else {
                        dir.join(&u.path)
                    };
                    let p = p.display().to_string();
                    if p.contains('"') {
                        return Output::error(format!(
                            "cannot load `{shown}`: the path `{p}` contains a quote"
                        ));
                    }
                    (ChunkKind::Use, p.clone(), format!("use \"{p}\""))
                }
                Item::Decl(d) => (
                    ChunkKind::Decl,
                    d.name.name.clone(),
                    slice(&text, d.span).to_string(),
                ),
                Item::Def(d) => (
                    ChunkKind::Def,
                    d.name.name.clone(),
                    slice(&text, d.span).to_string(),
                ),
                Item::Loss(l) if l.name.span == l.span => (
                    ChunkKind::Loss,
                    "main".to_string(),
                    format!("loss main = {}", slice(&text, l.span)),
                ),
                Item::Loss(l) => (
                    ChunkKind::Loss,
                    l.name.name.clone(),
                    slice(&text, l.span).to_string(),
                ),
            };
            chunks.push(Chunk { kind, name, text });
        }
        let joined = join(&chunks);
        match self.add(&joined, &shown, chunks) {
            Ok(report) => Output::text(format!("loaded {shown}\n{report}")),
            Err(e) => Output::error(e),
        }
    }

    fn dispatch(&mut self, input: &str) -> Output {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Output::default();
        }
        if let Some(command) = trimmed.strip_prefix(':') {
            return self.command(command);
        }
        self.source(input.trim_end())
    }

    // ---- source input ------------------------------------------------------

    /// Items to add and/or an expression to evaluate.
    fn source(&mut self, input: &str) -> Output {
        let (module, _) = match parse_module("<input>", input) {
            Ok(m) => m,
            Err(e) => return Output::error(e),
        };
        let mut chunks = Vec::new();
        let mut expr: Option<(usize, usize)> = None;
        for item in &module.items {
            let (kind, name, span) = match item {
                Item::Use(u) => (ChunkKind::Use, u.path.clone(), u.span),
                Item::Decl(d) => (ChunkKind::Decl, d.name.name.clone(), d.span),
                Item::Def(d) => (ChunkKind::Def, d.name.name.clone(), d.span),
                Item::Loss(l) if l.name.span == l.span => {
                    expr = Some((l.span.start as usize, l.span.end as usize));
                    continue;
                }
                Item::Loss(l) => (ChunkKind::Loss, l.name.name.clone(), l.span),
            };
            chunks.push(Chunk {
                kind,
                name,
                text: slice(input, span).to_string(),
            });
        }
        let mut out = Output::default();
        if !chunks.is_empty() {
            let items_text = &input[..expr.map_or(input.len(), |(s, _)| s)];
            match self.add(items_text, "<input>", chunks) {
                Ok(report) => out.text.push_str(&report),
                Err(e) => return Output::error(e),
            }
        }
        if let Some((s, e)) = expr {
            let r = self.expression(&input[s..e]);
            out.text.push_str(&r.text);
            out.error = r.error;
        }
        out
    }

    /// Check `new` together with the session (replacing items of the same
    /// kind and name) and commit it; on failure nothing changes.
    fn add(&mut self, items_text: &str, shown: &str, new: Vec<Chunk>) -> Result<String, String> {
        let replaces = |old: &Chunk| new.iter().any(|n| n.kind == old.kind && n.name == old.name);
        let kept: Vec<Chunk> = self
            .chunks
            .iter()
            .filter(|c| !replaces(c))
            .cloned()
            .collect();
        let base = join(&kept);
        let all_text = format!("{base}{items_text}");
        let dummy = fresh_name("__session", &[&all_text]);
        let text = format!("{base}{items_text}\nloss {dummy} = 0\n");
        let pieces = [Piece {
            range: base.len()..base.len() + items_text.len(),
            name: shown,
            text: items_text,
        }];
        let spec = LossSpec::from_source("<repl>", &text, Some(&self.options.base_dir))
            .map_err(|e| render_pieces(&e, &pieces))?;
        // Every objective must still elaborate (a new declaration can break an old loss).
        let sigs = self.data_sigs();
        let mut summaries = HashMap::new();
        for name in spec.objectives() {
            if name == dummy {
                continue;
            }
            let is_new = new
                .iter()
                .any(|c| c.kind == ChunkKind::Loss && c.name == name);
            let c = spec.compile(Some(name), &sigs).map_err(|e| {
                let mut text = render_pieces(&e, &pieces);
                if !is_new {
                    text.push_str(&format!(
                        "not added: with it, the session's loss `{name}` no longer compiles\n"
                    ));
                }
                text
            })?;
            summaries.insert(name.to_string(), objective_summary(&c));
        }
        let mut report = String::new();
        for chunk in new {
            let verb = if self
                .chunks
                .iter()
                .any(|c| c.kind == chunk.kind && c.name == chunk.name)
            {
                "redefined"
            } else {
                "defined"
            };
            let _ = match chunk.kind {
                ChunkKind::Use => writeln!(report, "using the definitions of \"{}\"", chunk.name),
                ChunkKind::Decl => writeln!(
                    report,
                    "{} {}",
                    if verb == "defined" {
                        "declared"
                    } else {
                        "redeclared"
                    },
                    first_line(&chunk.text)
                ),
                ChunkKind::Def => writeln!(report, "{verb} {}", def_head(&chunk.text)),
                ChunkKind::Loss => writeln!(
                    report,
                    "{verb} loss {}: {}",
                    chunk.name,
                    summaries.get(&chunk.name).map(String::as_str).unwrap_or("")
                ),
            };
            match self
                .chunks
                .iter_mut()
                .find(|c| c.kind == chunk.kind && c.name == chunk.name)
            {
                Some(old) => *old = chunk,
                None => self.chunks.push(chunk),
            }
        }
        self.refresh_vocabulary_from(&spec, &dummy);
        Ok(report)
    }

    fn context_text(&self) -> String {
        join(&self.chunks)
    }

    fn data_sigs(&self) -> HashMap<String, InputSig> {
        self.data
            .iter()
            .map(|(n, (d, _))| {
                (
                    n.clone(),
                    InputSig {
                        dtype: d.dtype(),
                        rank: d.shape().len(),
                    },
                )
            })
            .collect()
    }

    fn loss_names(&self) -> Vec<&str> {
        self.chunks
            .iter()
            .filter(|c| c.kind == ChunkKind::Loss)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// Compile an expression, or the `loss` of that name.
    fn compile_target(
        &self,
        target: &str,
        sigs: &HashMap<String, InputSig>,
    ) -> Result<Target, SnippetError> {
        let target = target.trim();
        if target.is_empty() {
            return Err(SnippetError::message("error: expected an expression"));
        }
        let text = self.context_text();
        if self.loss_names().contains(&target) {
            let spec = LossSpec::from_source("<repl>", &text, Some(&self.options.base_dir))
                .map_err(|e| SnippetError::message(e.render()))?;
            let loss = spec.compile(Some(target), sigs).map_err(|e| SnippetError {
                kind: Some(e.kind().clone()),
                rendered: e.render(),
            })?;
            return Ok(Target {
                label: target.to_string(),
                loss,
                hidden: false,
            });
        }
        let ctx = Context {
            name: "<repl>",
            text: &text,
            base_dir: Some(&self.options.base_dir),
        };
        let loss = compile_expression(&ctx, target, "<input>", sigs)?;
        Ok(Target {
            label: target.to_string(),
            loss,
            hidden: true,
        })
    }

    /// `d __expr / d pred` reads `d/d pred` for expressions.
    fn derivative_text(&self, t: &Target, wrt: Option<&str>) -> Result<String, String> {
        let text = t.loss.derivative_text(wrt).map_err(|e| e.to_string())?;
        if !t.hidden {
            return Ok(text);
        }
        let hidden = t.loss.name();
        let prefix = format!("d {hidden} / d ");
        Ok(text
            .lines()
            .map(|l| {
                format!(
                    "{}\n",
                    l.strip_prefix(&prefix)
                        .map(|r| format!("d/d {r}"))
                        .unwrap_or_else(|| l.to_string())
                )
            })
            .collect())
    }

    fn expression(&mut self, expr: &str) -> Output {
        let sigs = self.data_sigs();
        let t = match self.compile_target(expr, &sigs) {
            Ok(t) => t,
            Err(SnippetError {
                kind: Some(DiagKind::NonScalarObjective { shape, .. }),
                ..
            }) => return self.describe_array(expr, &shape),
            Err(e) => return Output::error(e.rendered),
        };
        let loss = &t.loss;
        let value_kind = loss.graph().kind(loss.objective.value);
        if loss.inputs().is_empty() {
            return match loss.evaluate(&OwnedInputs::new()) {
                Ok(r) => Output::text(with_warnings(loss, format_value(r.value, value_kind))),
                Err(e) => Output::error(e.to_string()),
            };
        }
        let names: Vec<&str> = loss.inputs().iter().map(|i| i.name.as_str()).collect();
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !self.data.contains_key(*n))
            .collect();
        if missing.is_empty() {
            let inputs: OwnedInputs = names
                .iter()
                .map(|n| (n.to_string(), self.data[*n].0.clone()))
                .collect();
            return match loss.evaluate(&inputs) {
                Ok(r) => {
                    let mut out = format!("{}\n", format_value(r.value, value_kind));
                    for (name, g) in &r.gradients {
                        if g.len() <= 6 {
                            let v: Vec<String> = g.iter().map(|x| format!("{x}")).collect();
                            let _ = writeln!(out, "  d/d {name} = [{}]", v.join(", "));
                        } else {
                            let _ = writeln!(
                                out,
                                "  |d/d {name}| = {:.6e}  shape {:?}",
                                norm(g),
                                g.shape()
                            );
                        }
                    }
                    Output::text(with_warnings(loss, out))
                }
                Err(e) => Output::error(e.to_string()),
            };
        }
        let mut out = format!(
            "{} scalar; inputs: {}\n",
            kind_name(value_kind),
            self.input_list(loss)
        );
        match self.derivative_text(&t, None) {
            Ok(d) => out.push_str(&clip_lines(&d, 12, &format!(":derive {expr}"))),
            Err(_) => out.push_str("no differentiated inputs\n"),
        }
        let _ = writeln!(
            out,
            "(no data for {}: `:load NAME=FILE.npy` to evaluate it on data, or `:eval {expr}` on synthetic data)",
            missing.join(", ")
        );
        Output::text(out)
    }

    /// A non-scalar expression: its type and shape, and the derivative of its sum.
    fn describe_array(&self, expr: &str, shape: &str) -> Output {
        let summed = format!("sum({})", expr.trim());
        match self.compile_target(&summed, &self.data_sigs()) {
            Ok(t) => {
                let g = t.loss.graph();
                let kind = match g.node(t.loss.objective.value).op {
                    crate::ir::Op::Reduce(crate::ir::Reduce::Sum, a) => kind_name(g.kind(a)),
                    _ => "an",
                };
                let mut out = format!(
                    "{kind} array of shape {shape}; inputs: {}\n",
                    self.input_list(&t.loss)
                );
                if let Ok(d) = self.derivative_text(&t, None) {
                    out.push_str(
                        "derivative of its sum (elementwise, for elementwise expressions):\n",
                    );
                    out.push_str(&clip_lines(&d, 12, &format!(":derive {summed}")));
                }
                Output::text(out)
            }
            Err(_) => Output::text(format!("array of shape {shape} (not a scalar)\n")),
        }
    }

    fn input_list(&self, loss: &CompiledLoss) -> String {
        let g = loss.graph();
        let list: Vec<String> = loss
            .inputs()
            .iter()
            .map(|i| {
                let grad = if loss.gradients.iter().any(|gr| gr.input == i.name) {
                    " (differentiated)"
                } else {
                    ""
                };
                format!(
                    "{}: {}{}{grad}",
                    i.name,
                    i.dtype.as_str(),
                    g.shape_text(i.shape)
                )
            })
            .collect();
        if list.is_empty() {
            "no inputs".into()
        } else {
            list.join(", ")
        }
    }

    // ---- commands ----------------------------------------------------------

    fn command(&mut self, command: &str) -> Output {
        let (name, rest) = command
            .split_once(char::is_whitespace)
            .unwrap_or((command, ""));
        let rest = rest.trim();
        match name {
            "help" | "h" | "?" => Output::text(HELP),
            "quit" | "q" | "exit" => Output {
                quit: true,
                ..Output::default()
            },
            "list" | "ls" => self.list(),
            "reset" => {
                self.chunks.clear();
                self.data.clear();
                self.last_plot = None;
                self.refresh_vocabulary();
                Output::text("session cleared")
            }
            "derive" | "d" => self.derive(rest),
            "ir" => self.ir(rest),
            "explain" | "x" => self.explain(rest),
            "clif" | "asm" => self.native(rest, name == "asm"),
            "eval" | "e" => self.eval(rest),
            "load" => self.load(rest),
            "plot" | "p" => self.plot(rest),
            "save" | "s" => self.save(rest),
            "" => Output::error("expected a command after `:`; type :help for the list"),
            _ => {
                let hint = crate::diag::did_you_mean(name, COMMANDS.iter().copied())
                    .map(|h| format!(" ({})", h.replacen('`', "`:", 1)))
                    .unwrap_or_default();
                Output::error(format!(
                    "unknown command `:{name}`{hint}; type :help for the list"
                ))
            }
        }
    }

    fn needs(&self, what: &str, rest: &str, usage: &str) -> Option<Output> {
        rest.is_empty()
            .then(|| Output::error(format!("`:{what}` needs an expression: {usage}")))
    }

    fn derive(&self, rest: &str) -> Output {
        if let Some(o) = self.needs("derive", rest, ":derive EXPR [wrt NAME]") {
            return o;
        }
        let (target, wrt) = match rfind_word(rest, "wrt") {
            Some(i) => (&rest[..i], Some(rest[i + 3..].trim())),
            None => (rest, None),
        };
        if let Some(w) = wrt
            && !is_ident(w)
        {
            return Output::error(if w.is_empty() {
                "`wrt` needs an input name: :derive EXPR wrt NAME".to_string()
            } else {
                format!("expected one input name after `wrt`, got `{w}`")
            });
        }
        let t = match self.compile_target(target, &self.data_sigs()) {
            Ok(t) => t,
            Err(e) => return Output::error(e.rendered),
        };
        match self.derivative_text(&t, wrt) {
            Ok(text) => Output::text(text),
            Err(e) => Output::error(if t.hidden {
                e.replace(&format!("`{}`", t.loss.name()), &format!("`{}`", t.label))
            } else {
                e
            }),
        }
    }

    fn explain(&self, rest: &str) -> Output {
        if let Some(o) = self.needs("explain", rest, ":explain EXPR") {
            return o;
        }
        match self.compile_target(rest, &self.data_sigs()) {
            Ok(t) => {
                let mut text = match t.loss.explain() {
                    "" => "no rewrites: every formula is already in a stable form\n".to_string(),
                    e => e.to_string(),
                };
                if !t.loss.render_warnings().is_empty() {
                    text.push_str(t.loss.render_warnings());
                }
                Output::text(text)
            }
            Err(e) => Output::error(e.rendered),
        }
    }

    fn ir(&self, rest: &str) -> Output {
        if let Some(o) = self.needs("ir", rest, ":ir EXPR") {
            return o;
        }
        match self.compile_target(rest, &self.data_sigs()) {
            Ok(t) => Output::text(t.loss.value_text()),
            Err(e) => Output::error(e.rendered),
        }
    }

    fn native(&self, rest: &str, asm: bool) -> Output {
        let what = if asm { "asm" } else { "clif" };
        if let Some(o) = self.needs(what, rest, &format!(":{what} EXPR")) {
            return o;
        }
        let t = match self.compile_target(rest, &self.data_sigs()) {
            Ok(t) => t,
            Err(e) => return Output::error(e.rendered),
        };
        let (kernel, listing) = match t.loss.native_with_listing(Precision::F32, true) {
            Ok(k) => k,
            Err(e) => return Output::error(e.to_string()),
        };
        let mut out = format!("; {}\n", kernel.describe().trim_end().replace('\n', "\n; "));
        let code = if asm { listing.asm } else { listing.ir };
        for (i, text) in code.iter().enumerate() {
            let _ = writeln!(out, "; pass {i}\n{}", text.trim_end());
        }
        Output::text(out)
    }

    fn eval(&self, rest: &str) -> Output {
        if let Some(o) = self.needs(
            "eval",
            rest,
            ":eval EXPR [--random N] [--seed S] [--dim NAME=SIZE]...",
        ) {
            return o;
        }
        // Options start at the first word beginning with `--` and a letter.
        let flag_at = rest
            .char_indices()
            .filter(|&(i, c)| c == '-' && (i == 0 || rest[..i].ends_with(char::is_whitespace)))
            .map(|(i, _)| i)
            .find(|&i| {
                rest[i..].starts_with("--")
                    && rest[i + 2..].starts_with(|c: char| c.is_ascii_alphabetic())
            });
        let (target, flags) = match flag_at {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let mut batch: Option<usize> = None;
        let mut seed = 0u64;
        let mut dims: HashMap<String, usize> = HashMap::new();
        let mut words = flags.split_whitespace();
        while let Some(flag) = words.next() {
            let Some(value) = words.next() else {
                return Output::error(format!("`{flag}` needs a value"));
            };
            match flag {
                "--random" => match value.parse::<usize>() {
                    Ok(n) if (1..=100_000_000).contains(&n) => batch = Some(n),
                    _ => {
                        return Output::error(format!(
                            "--random needs a batch size between 1 and 100000000, got `{value}`"
                        ));
                    }
                },
                "--seed" => match value.parse() {
                    Ok(s) => seed = s,
                    Err(_) => {
                        return Output::error(format!(
                            "--seed needs a whole number, got `{value}`"
                        ));
                    }
                },
                "--dim" => match value.split_once('=').and_then(|(n, s)| {
                    Some((
                        n,
                        s.parse::<usize>()
                            .ok()
                            .filter(|&s| (1..=100_000_000).contains(&s))?,
                    ))
                }) {
                    Some((n, s)) => {
                        dims.insert(n.to_string(), s);
                    }
                    None => {
                        return Output::error(format!(
                            "--dim needs NAME=SIZE with a positive size, got `{value}`"
                        ));
                    }
                },
                _ => {
                    return Output::error(format!(
                        "unknown option `{flag}` for :eval (use --random N, --seed S, --dim NAME=SIZE)"
                    ));
                }
            }
        }
        let t = match self.compile_target(target, &self.data_sigs()) {
            Ok(t) => t,
            Err(e) => return Output::error(e.rendered),
        };
        let loss = &t.loss;
        let g = loss.graph();
        let mut inputs = OwnedInputs::new();
        let mut given = dims.clone();
        for info in loss.inputs() {
            if let Some((d, _)) = self.data.get(&info.name) {
                inputs.insert(info.name.clone(), d.clone());
                if d.shape().len() == g.shape(info.shape).len() {
                    for (&dim, &size) in g.shape(info.shape).iter().zip(d.shape()) {
                        if let crate::ir::Dim::Named(n) = g.dim(dim) {
                            given.entry(n.clone()).or_insert(size);
                        }
                    }
                }
            }
        }
        let synthetic: Vec<String> = loss
            .inputs()
            .iter()
            .filter(|i| !inputs.contains_key(&i.name))
            .map(|i| i.name.clone())
            .collect();
        let batch = batch.unwrap_or(100);
        if !synthetic.is_empty() {
            let sizes = crate::data::dim_sizes(g, batch, &given);
            let elements: usize = loss
                .inputs()
                .iter()
                .map(|i| {
                    g.shape(i.shape)
                        .iter()
                        .map(|&d| match g.dim(d) {
                            crate::ir::Dim::Fixed(n) => *n as usize,
                            crate::ir::Dim::Named(n) => sizes.get(n).copied().unwrap_or(1),
                        })
                        .fold(1usize, |a, b| a.saturating_mul(b))
                })
                .fold(0usize, |a, b| a.saturating_add(b));
            if elements > 20_000_000 {
                return Output::error(format!(
                    "synthetic inputs of {elements} elements are too large; use a smaller --random or --dim"
                ));
            }
            let synthesized = match crate::data::random_inputs(g, batch, &given, seed) {
                Ok(synthesized) => synthesized,
                Err(e) => return Output::error(e.to_string()),
            };
            for (name, array) in synthesized {
                if synthetic.contains(&name) {
                    inputs.insert(name, array);
                }
            }
        }
        // Native where supported, as `lossc eval`; compiling is not timed.
        let evaluator = match loss.evaluator(crate::Engine::Auto) {
            Ok(e) => e,
            Err(e) => return Output::error(e.to_string()),
        };
        let start = std::time::Instant::now();
        let r = match evaluator.evaluate(&inputs) {
            Ok(r) => r,
            Err(e) => return Output::error(e.to_string()),
        };
        let elapsed = start.elapsed();
        let mut out = format!("{} = {}\n", t.label, r.value);
        for (label, v) in &r.terms {
            let _ = writeln!(out, "  {label} = {v}");
        }
        for (name, grad) in &r.gradients {
            let d = if t.hidden {
                format!("d/d {name}")
            } else {
                format!("d {} / d {name}", t.label)
            };
            let _ = writeln!(
                out,
                "  |{d}| = {:.6e}  shape {:?}",
                norm(grad),
                grad.shape()
            );
        }
        let data = if synthetic.is_empty() {
            String::new()
        } else {
            format!(
                "; synthetic {}: batch {batch}, seed {seed}",
                synthetic.join(", ")
            )
        };
        let engine = match evaluator.running() {
            crate::Running::Reference => evaluator.running().to_string(),
            native => format!("{native}, {} thread(s)", evaluator.threads()),
        };
        let _ = writeln!(
            out,
            "  ({engine}, {:.3} ms{data})",
            elapsed.as_secs_f64() * 1e3
        );
        if let Some(reason) = evaluator.fallback() {
            let _ = writeln!(out, "  (not native: {reason})");
        }
        Output::text(with_warnings(loss, out))
    }

    fn load(&mut self, rest: &str) -> Output {
        if rest.is_empty() {
            return Output::error("`:load` needs NAME=FILE.npy (or FILE.npy, named by its stem)");
        }
        let mut loaded = Vec::new();
        for arg in rest.split_whitespace() {
            let (name, file) = match arg.split_once('=') {
                Some((n, f)) => (n.to_string(), f.to_string()),
                None => (
                    Path::new(arg)
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or("")
                        .to_string(),
                    arg.to_string(),
                ),
            };
            if !is_ident(&name) || file.is_empty() {
                return Output::error(format!("expected NAME=FILE.npy, got `{arg}`"));
            }
            match crate::data::read_npy(Path::new(&file)) {
                Ok(d) => loaded.push((name, d, file)),
                Err(e) => return Output::error(format!("input `{name}`: {e}")),
            }
        }
        let mut out = String::new();
        for (name, d, file) in loaded {
            let _ = writeln!(
                out,
                "loaded {name}: {} {:?} from {file}",
                d.dtype().as_str(),
                d.shape()
            );
            self.data.insert(name, (d, file));
        }
        self.refresh_vocabulary();
        Output::text(out)
    }

    fn plot(&mut self, rest: &str) -> Output {
        const USAGE: &str = ":plot EXPR[, EXPR...] over VAR in A..B [with NAME=VALUE, ...]";
        let Some(over) = rfind_word(rest, "over") else {
            return Output::error(format!("expected `over VAR in A..B`: {USAGE}"));
        };
        let exprs = split_top_level(&rest[..over]);
        if exprs.iter().any(|e| e.trim().is_empty()) {
            return Output::error(format!(
                "expected expressions to plot before `over`: {USAGE}"
            ));
        }
        let tail = rest[over + 4..].trim();
        let (var, after) = tail.split_once(char::is_whitespace).unwrap_or((tail, ""));
        if !is_ident(var) {
            return Output::error(format!(
                "expected a variable name after `over`, got `{var}`: {USAGE}"
            ));
        }
        let after = after.trim_start();
        let Some(after) = after
            .strip_prefix("in")
            .filter(|a| a.starts_with(char::is_whitespace))
        else {
            return Output::error(format!("expected `in A..B` after `over {var}`: {USAGE}"));
        };
        let (range_text, with_text) = match rfind_word(after, "with") {
            Some(i) => (&after[..i], Some(&after[i + 4..])),
            None => (after, None),
        };
        let range = match Range::parse(range_text) {
            Ok(r) => r,
            Err(e) => return Output::error(e),
        };
        let mut with = Vec::new();
        if let Some(w) = with_text {
            let normalised = normalise_assignments(w);
            if normalised.is_empty() {
                return Output::error(format!("expected NAME=VALUE after `with`: {USAGE}"));
            }
            for a in normalised.split([',', ' ']).filter(|s| !s.is_empty()) {
                match plot::parse_assignment(a) {
                    Ok(p) => with.push(p),
                    Err(e) => return Output::error(e),
                }
            }
        }
        let none = HashMap::new();
        let mut series = Vec::new();
        for e in &exprs {
            match self.compile_target(e, &none) {
                Ok(t) => series.push((t.label, t.loss)),
                Err(err) => return Output::error(err.rendered),
            }
        }
        match plot::sample(&series, var, range, &with, plot::DEFAULT_POINTS) {
            Ok(fig) => {
                let text = plot::render_terminal(&fig, &self.options.plot);
                self.last_plot = Some(fig);
                Output::text(text)
            }
            Err(e) => Output::error(e),
        }
    }

    fn save(&self, rest: &str) -> Output {
        let Some(fig) = &self.last_plot else {
            return Output::error("nothing to save yet: draw a plot with :plot first");
        };
        let mut words = rest.split_whitespace();
        let Some(path) = words.next() else {
            return Output::error(
                "`:save` needs a file name: :save FILE.svg|FILE.png [WIDTHxHEIGHT]",
            );
        };
        let size = match words.next() {
            Some(s) => match plot::parse_size(s) {
                Ok(s) => s,
                Err(e) => return Output::error(e),
            },
            None => self.options.figure_size,
        };
        if let Some(extra) = words.next() {
            return Output::error(format!(
                "unexpected `{extra}`: :save FILE.svg|FILE.png [WIDTHxHEIGHT]"
            ));
        }
        match plot::save(fig, Path::new(path), size) {
            Ok(msg) => Output::text(msg),
            Err(e) => Output::error(e),
        }
    }

    fn list(&self) -> Output {
        if self.chunks.is_empty() && self.data.is_empty() {
            return Output::text(
                "nothing defined yet; the prelude's losses (bce, focal, dice, ...) and the inputs pred, target and params are always there",
            );
        }
        let mut out = String::new();
        for kind in [
            ChunkKind::Use,
            ChunkKind::Decl,
            ChunkKind::Def,
            ChunkKind::Loss,
        ] {
            for (i, c) in self.chunks.iter().filter(|c| c.kind == kind).enumerate() {
                let default = if kind == ChunkKind::Loss && i == 0 {
                    "    # default objective"
                } else {
                    ""
                };
                let text = c
                    .text
                    .lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n    ");
                let _ = writeln!(out, "{text}{default}");
            }
        }
        for (name, (d, file)) in &self.data {
            let _ = writeln!(
                out,
                "data {name}: {} {:?} from {file}",
                d.dtype().as_str(),
                d.shape()
            );
        }
        Output::text(out)
    }

    // ---- vocabulary --------------------------------------------------------

    fn refresh_vocabulary(&mut self) {
        let text = join(&self.chunks);
        let dummy = fresh_name("__session", &[&text]);
        let full = format!("{text}\nloss {dummy} = 0\n");
        if let Ok(spec) = LossSpec::from_source("<repl>", &full, Some(&self.options.base_dir)) {
            self.refresh_vocabulary_from(&spec, &dummy);
        }
    }

    fn refresh_vocabulary_from(&mut self, spec: &LossSpec, hidden: &str) {
        let mut v = Vocabulary::default();
        for name in crate::check::builtin_names() {
            let params = crate::check::builtin_params(name).expect("a builtin's name");
            v.params
                .insert(name.to_string(), params.map(str::to_string).collect());
            v.names.push(name.to_string());
        }
        v.names.extend(KEYWORDS.iter().map(|s| s.to_string()));
        v.names
            .extend(DEFAULT_INPUTS.iter().map(|(n, _)| n.to_string()));
        for (name, (_, def)) in &spec.spec().defs {
            v.names.push(name.clone());
            v.params.insert(
                name.clone(),
                def.params.iter().map(|p| p.name.name.clone()).collect(),
            );
        }
        v.names
            .extend(spec.spec().decls.iter().map(|d| d.name.name.clone()));
        v.names.extend(
            spec.objectives()
                .into_iter()
                .filter(|o| *o != hidden)
                .map(str::to_string),
        );
        v.names.extend(self.data.keys().cloned());
        v.names.sort();
        v.names.dedup();
        self.vocab = v;
    }
}

// ---- helpers ---------------------------------------------------------------

fn join(chunks: &[Chunk]) -> String {
    chunks.iter().map(|c| format!("{}\n", c.text)).collect()
}

/// The text of an item, without the blank lines and comments after it.
fn slice(text: &str, span: crate::source::Span) -> &str {
    let mut s = text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("")
        .trim_end();
    while let Some((head, last)) = s.rsplit_once('\n') {
        if !last.trim_start().starts_with('#') {
            break;
        }
        s = head.trim_end();
    }
    s
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim_end()
}

/// `def f(x, k = 2) = ...` → `f(x, k = 2)`.
fn def_head(text: &str) -> String {
    let t = text
        .trim_start()
        .strip_prefix("def")
        .unwrap_or(text)
        .trim_start();
    let mut depth = 0;
    for (i, c) in t.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return t[..=i]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .replace("( ", "(");
                }
            }
            _ => {}
        }
    }
    first_line(t).to_string()
}

/// Parse text as a module, rendering a syntax error against `name`.
fn parse_module(name: &str, text: &str) -> Result<(Module, SourceMap), String> {
    let mut sources = SourceMap::new();
    let file = sources.add(name, None, text);
    match crate::syntax::parse(file, text) {
        Ok(m) => Ok((m, sources)),
        Err(d) => Err(d.render(&sources)),
    }
}

fn objective_summary(c: &CompiledLoss) -> String {
    let g = c.graph();
    let inputs: Vec<String> = c
        .inputs()
        .iter()
        .map(|i| format!("{}: {}{}", i.name, i.dtype.as_str(), g.shape_text(i.shape)))
        .collect();
    let grads: Vec<&str> = c.gradients.iter().map(|g| g.input.as_str()).collect();
    let mut s = if inputs.is_empty() {
        "reads no inputs".to_string()
    } else {
        format!("reads {}", inputs.join(", "))
    };
    if !grads.is_empty() {
        s.push_str(&format!("; gradients for {}", grads.join(", ")));
    }
    if !c.objective.terms.is_empty() {
        s.push_str(&format!("; {} terms", c.objective.terms.len()));
    }
    s
}

/// A result followed by the hazard warnings of the expression that produced
/// it, so that a NaN or infinite value arrives with its explanation.
fn with_warnings(loss: &crate::CompiledLoss, result: String) -> String {
    let warnings = loss.render_warnings();
    if warnings.is_empty() {
        return result;
    }
    let mut out = result;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(warnings);
    out
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Float => "float",
        Kind::Int => "integer",
        Kind::Bool => "boolean",
    }
}

fn format_value(v: f64, kind: Kind) -> String {
    match kind {
        Kind::Bool => (if v != 0.0 { "true" } else { "false" }).to_string(),
        _ => format!("{v}"),
    }
}

fn norm(a: &ndarray::ArrayD<f64>) -> f64 {
    a.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// At most `max` lines, then a note on how to see the rest.
fn clip_lines(text: &str, max: usize, see: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= max {
        return text.to_string();
    }
    let mut out: String = lines[lines.len() - max..]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    out.insert_str(
        0,
        &format!(
            "... ({} earlier lines; `{see}` shows them all)\n",
            lines.len() - max
        ),
    );
    out
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Byte offset of the last occurrence of `word` in `text` as a whole word
/// outside parentheses and strings.
fn rfind_word(text: &str, word: &str) -> Option<usize> {
    word_positions(text, word).pop()
}

fn word_positions(text: &str, word: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut depth = 0i32;
    let mut in_string = false;
    let mut found = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_string = !in_string,
            b'(' | b'[' if !in_string => depth += 1,
            b')' | b']' if !in_string => depth -= 1,
            _ => {}
        }
        if depth == 0
            && !in_string
            && bytes[i..].starts_with(word.as_bytes())
            && (i == 0 || !is_word(bytes[i - 1]))
            && bytes.get(i + word.len()).is_none_or(|&c| !is_word(c))
        {
            found.push(i);
        }
    }
    found
}

/// Split on commas outside parentheses and strings.
fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut in_string = false;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' if !in_string => depth += 1,
            ')' | ']' if !in_string => depth -= 1,
            ',' if depth == 0 && !in_string => {
                parts.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur.trim().to_string());
    parts
}

/// `target = 1, alpha= 0.25` → `target=1, alpha=0.25`.
fn normalise_assignments(text: &str) -> String {
    let mut s = text.trim().to_string();
    while s.contains(" =") || s.contains("= ") {
        s = s.replace(" =", "=").replace("= ", "=");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_search_skips_parentheses_and_parts_of_words() {
        assert_eq!(
            rfind_word("bce, f(over=1) over pred in -6..6", "over"),
            Some(15)
        );
        assert_eq!(rfind_word("rover", "over"), None);
        assert_eq!(rfind_word("x --random 5", "--random"), Some(2));
        assert_eq!(
            split_top_level("bce, focal(gamma=1, alpha=0.25) , dice"),
            vec!["bce", "focal(gamma=1, alpha=0.25)", "dice"]
        );
        assert_eq!(normalise_assignments("target = 1, a =2"), "target=1, a=2");
        assert_eq!(
            def_head("def  soft_kl(s, t,\n  T = temperature) = T^2"),
            "soft_kl(s, t, T = temperature)"
        );
    }
}
