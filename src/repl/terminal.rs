//! Running a [`Session`] on a terminal or a pipe.
//!
//! On a terminal, input is read with rustyline: history kept across sessions
//! in the user's data directory ([`history_path`]), multi-line input while
//! [`is_incomplete`] says the text is unfinished, Tab completion from the
//! session's [`Vocabulary`] (file names after `:load` and `:save`), Ctrl-C
//! to drop the line being edited, Ctrl-D to leave. When standard input is not
//! a terminal, lines are read plainly, with no prompt, no banner and no
//! colour, so the output is exactly the session's replies (the exit status is
//! 1 if any input failed).

use super::{LineJoiner, Options, Output, Session, Vocabulary, complete, is_incomplete};
use crate::plot::TermOptions;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Arguments of `lossc repl`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReplArgs {
    /// Spec files whose definitions, declarations and objectives start the session.
    pub specs: Vec<PathBuf>,
    /// Neither read nor write the history file.
    #[arg(long)]
    pub no_history: bool,
}

/// Where the history is kept: `$XDG_DATA_HOME/lossc/history`, or
/// `~/.local/share/lossc/history` (None without a usable home directory).
pub fn history_path() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .map(|h| h.join(".local").join("share"))
    })?;
    Some(base.join("lossc").join("history"))
}

/// Run `lossc repl`.
pub fn run(args: &ReplArgs) -> Result<(), String> {
    let interactive = std::io::stdin().is_terminal();
    let color =
        interactive && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .map(|c| c.saturating_sub(12).clamp(24, 120))
        .unwrap_or(64);
    let options = Options {
        plot: TermOptions {
            color,
            width,
            ..TermOptions::default()
        },
        ..Options::default()
    };
    let mut session = Session::new(options);
    let mut failures = 0usize;
    for path in &args.specs {
        failures += usize::from(emit(&session.load_file(path)));
    }
    if interactive {
        interactive_loop(&mut session, args)
    } else {
        failures += piped_loop(&mut session)?;
        if failures > 0 {
            return Err(format!(
                "{failures} input{} failed",
                if failures == 1 { "" } else { "s" }
            ));
        }
        Ok(())
    }
}

/// Print a reply: errors to stderr, the rest to stdout. Returns whether it was an error.
fn emit(out: &Output) -> bool {
    if !out.text.is_empty() {
        if out.error {
            let _ = std::io::stderr().lock().write_all(out.text.as_bytes());
        } else {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(out.text.as_bytes());
            let _ = stdout.flush();
        }
    }
    out.error
}

/// Lines from a pipe, joined while unfinished. Returns the number of failed inputs.
fn piped_loop(session: &mut Session) -> Result<usize, String> {
    let stdin = std::io::stdin();
    let mut reader = stdin.lock();
    let mut lines = LineJoiner::default();
    let mut failures = 0;
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        let n = reader
            .read_until(b'\n', &mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        let inputs = if n == 0 {
            lines.finish().into_iter().collect()
        } else {
            lines.push(String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']))
        };
        for input in inputs {
            let out = session.handle(&input);
            failures += usize::from(emit(&out));
            if out.quit {
                return Ok(failures);
            }
        }
        if n == 0 {
            return Ok(failures);
        }
    }
}

/// Completion, validation (multi-line input) and nothing else for rustyline.
struct ReplHelper {
    vocab: Vocabulary,
    files: FilenameCompleter,
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = line.trim_start();
        if head.starts_with(":load ") || head.starts_with(":save ") {
            return self.files.complete_path(line, pos);
        }
        let (start, words) = complete(&self.vocab, line, pos);
        Ok((
            start,
            words
                .into_iter()
                .map(|w| Pair {
                    display: w.clone(),
                    replacement: w,
                })
                .collect(),
        ))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if is_incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ReplHelper {}

fn interactive_loop(session: &mut Session, args: &ReplArgs) -> Result<(), String> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .history_ignore_dups(true)
        .map_err(|e| e.to_string())?
        .max_history_size(2000)
        .map_err(|e| e.to_string())?
        .build();
    let mut editor: Editor<ReplHelper, DefaultHistory> =
        Editor::with_config(config).map_err(|e| format!("cannot start the line editor: {e}"))?;
    editor.set_helper(Some(ReplHelper {
        vocab: session.vocabulary().clone(),
        files: FilenameCompleter::new(),
    }));
    let history = if args.no_history {
        None
    } else {
        history_path()
    };
    if let Some(path) = &history {
        // A missing file is the first session; anything else is worth a word.
        if path.exists()
            && let Err(e) = editor.load_history(path)
        {
            eprintln!("note: cannot read the history file {}: {e}", path.display());
        }
    }
    println!(
        "lossc {} — type an expression, a definition, or :help (Ctrl-D leaves)",
        env!("CARGO_PKG_VERSION")
    );
    loop {
        match editor.readline("lossc> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(line.as_str());
                let out = session.handle(&line);
                emit(&out);
                if let Some(h) = editor.helper_mut() {
                    h.vocab = session.vocabulary().clone();
                }
                if out.quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(format!("cannot read input: {e}")),
        }
    }
    if let Some(path) = &history {
        let saved = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| e.to_string())
            .and_then(|()| editor.save_history(path).map_err(|e| e.to_string()));
        if let Err(e) = saved {
            eprintln!(
                "note: cannot write the history file {}: {e}",
                path.display()
            );
        }
    }
    Ok(())
}
