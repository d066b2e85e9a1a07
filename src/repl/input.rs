//! Reading REPL input: when a line is unfinished, and what Tab offers.
//!
//! Both are pure functions of the text (and, for completion, of a
//! [`Vocabulary`] taken from the session), so they are tested without a
//! terminal and shared by the interactive editor and the piped reader.

use crate::source::FileId;
use crate::syntax;
use std::collections::HashMap;

/// Is `text` an unfinished input that more lines should complete?
///
/// Source text is unfinished when it parses up to its end and then needs
/// more: an unclosed parenthesis, a trailing operator, `=` or `,`, a `let`
/// without its body, `if … then` without `else`. A syntax error anywhere
/// before the end is finished (it is reported). Commands (`:plot …`) are
/// unfinished only with an unclosed parenthesis or a trailing comma.
pub fn is_incomplete(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    let (depth, code) = scan(t);
    if depth > 0 {
        return true;
    }
    if t.starts_with(':') {
        return code.trim_end().ends_with(',');
    }
    match syntax::parse(FileId(0), t) {
        Ok(_) => false,
        Err(d) => {
            let at = (d.span.start as usize).min(t.len());
            matches!(d.kind, crate::diag::DiagKind::Syntax(_)) && {
                let rest = t[at..].trim_start();
                rest.is_empty() || rest.starts_with('#')
            }
        }
    }
}

/// Joins physical lines into inputs: lines accumulate while the pending
/// input [`is_incomplete`]; blank lines between inputs are skipped, and a
/// line starting with `:` always starts a new input (a command is never
/// taken as the continuation of an unfinished expression).
#[derive(Debug, Default)]
pub struct LineJoiner {
    pending: String,
}

impl LineJoiner {
    /// Add one line (without its newline); returns the inputs it finishes.
    pub fn push(&mut self, line: &str) -> Vec<String> {
        let mut done = Vec::new();
        if self.pending.is_empty() && line.trim().is_empty() {
            return done;
        }
        if line.trim_start().starts_with(':')
            && !self.pending.is_empty()
            && !self.pending.trim_start().starts_with(':')
        {
            done.push(std::mem::take(&mut self.pending));
        }
        if !self.pending.is_empty() {
            self.pending.push('\n');
        }
        self.pending.push_str(line);
        if !is_incomplete(&self.pending) {
            done.push(std::mem::take(&mut self.pending));
        }
        done
    }

    /// At the end of input: what is still pending (unfinished), if anything.
    pub fn finish(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.pending);
        (!rest.trim().is_empty()).then_some(rest)
    }
}

/// Bracket depth at the end of `text` and the text with comments and string
/// contents blanked out.
fn scan(text: &str) -> (i64, String) {
    let mut depth = 0i64;
    let mut code = String::with_capacity(text.len());
    let mut in_string = false;
    let mut in_comment = false;
    for c in text.chars() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
                code.push(c);
            }
            continue;
        }
        if in_string {
            if c == '"' || c == '\n' {
                in_string = false;
            }
            code.push(if c == '\n' { c } else { ' ' });
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' => {
                in_string = true;
                code.push(' ');
            }
            '(' | '[' => {
                depth += 1;
                code.push(c);
            }
            ')' | ']' => {
                depth -= 1;
                code.push(c);
            }
            _ => code.push(c),
        }
    }
    (depth, code)
}

/// Names the completer offers.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Names that may start a word: built-ins, definitions (the prelude's and
    /// the session's), keywords, inputs, objectives.
    pub names: Vec<String>,
    /// Parameter names of every function, for keyword arguments.
    pub params: HashMap<String, Vec<String>>,
}

/// The REPL's commands, without the colon.
pub const COMMANDS: &[&str] = &[
    "asm", "clif", "derive", "eval", "explain", "help", "ir", "list", "load", "plot", "quit",
    "reset", "save",
];

/// Words of the language that completion offers.
pub const KEYWORDS: &[&str] = &[
    "and", "def", "else", "false", "if", "in", "input", "let", "loss", "none", "not", "or",
    "param", "target", "then", "true", "use",
];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Completions for the word that ends at byte `pos` of `line`: where the word
/// starts, and the candidates (sorted, without duplicates). Inside a call,
/// after `(` or `,`, the function's keyword arguments come first, as `name=`.
pub fn complete(v: &Vocabulary, line: &str, pos: usize) -> (usize, Vec<String>) {
    let mut pos = pos.min(line.len());
    while !line.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &line[..pos];
    let start = before
        .rfind(|c: char| !is_word_char(c))
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let prefix = &before[start..];
    let head = before[..start].trim_start();
    // `:pl` → commands.
    if head == ":" {
        let found = COMMANDS
            .iter()
            .filter(|c| c.starts_with(prefix))
            .map(|c| c.to_string())
            .collect();
        return (start, found);
    }
    let mut out: Vec<String> = Vec::new();
    if let Some(callee) = open_call(&before[..start]) {
        let prev = before[..start].trim_end().chars().last();
        if matches!(prev, Some('(' | ','))
            && let Some(params) = v.params.get(&callee)
        {
            let given = given_keywords(&before[..start]);
            out.extend(
                params
                    .iter()
                    .filter(|p| p.starts_with(prefix) && !given.contains(p))
                    .map(|p| format!("{p}=")),
            );
        }
    }
    if !prefix.is_empty() && !prefix.starts_with(|c: char| c.is_ascii_digit()) {
        let mut names: Vec<String> = v
            .names
            .iter()
            .filter(|n| n.starts_with(prefix) && n.as_str() != prefix)
            .cloned()
            .collect();
        let command_words: &[&str] = match head.split_whitespace().next() {
            Some(":plot") => &["over", "in", "with"],
            Some(":derive") => &["wrt"],
            _ => &[],
        };
        names.extend(
            command_words
                .iter()
                .filter(|w| w.starts_with(prefix))
                .map(|w| w.to_string()),
        );
        names.sort();
        names.dedup();
        out.extend(names);
    }
    (start, out)
}

/// The function whose argument list is open at the end of `text`.
fn open_call(text: &str) -> Option<String> {
    let (_, code) = scan(text);
    let mut stack: Vec<usize> = Vec::new();
    for (i, c) in code.char_indices() {
        match c {
            '(' => stack.push(i),
            ')' => {
                stack.pop();
            }
            _ => {}
        }
    }
    let open = *stack.last()?;
    let callee_end = code[..open].trim_end().len();
    let callee_start = code[..callee_end]
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word_char(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let name = &code[callee_start..callee_end];
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then(|| name.to_string())
}

/// Keyword arguments already given in the innermost open call.
fn given_keywords(text: &str) -> Vec<String> {
    let (_, code) = scan(text);
    let open = code.rfind('(').unwrap_or(0);
    code[open..]
        .split(',')
        .filter_map(|arg| {
            let (k, rest) = arg.trim_start_matches('(').split_once('=')?;
            (!rest.starts_with('=')).then(|| k.trim().to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_join_while_unfinished() {
        let mut j = LineJoiner::default();
        assert!(j.push("").is_empty());
        assert!(j.push("sum(").is_empty());
        assert_eq!(j.push("  pred)"), vec!["sum(\n  pred)".to_string()]);
        assert!(j.push("mean(pred) +").is_empty());
        assert_eq!(
            j.push(":help"),
            vec!["mean(pred) +".to_string(), ":help".into()]
        );
        assert!(j.push(":plot bce,").is_empty());
        assert_eq!(
            j.push(":mse over pred in -1..1"),
            vec![":plot bce,\n:mse over pred in -1..1".to_string()]
        );
        assert!(j.push("bce(").is_empty());
        assert_eq!(j.finish(), Some("bce(".to_string()));
        assert_eq!(j.finish(), None);
    }

    #[test]
    fn unfinished_input() {
        for text in [
            "bce(",
            "focal(gamma=",
            "0.7*focal +",
            "let d = pred - target;",
            "def f(x) =",
            "if pred > 0 then 1",
            ":plot bce,",
            ":plot focal(gamma=1",
            "input x:",
            "mean(x +  # comment",
        ] {
            assert!(is_incomplete(text), "{text:?} should be unfinished");
        }
        for text in [
            "",
            "bce",
            "bce)",
            "def f(x) = x;",
            "1 + * 2",
            ":plot bce over pred in -6..",
            ":help",
            "focal(gamma=2)\n",
            "\"unterminated",
        ] {
            assert!(!is_incomplete(text), "{text:?} should be finished");
        }
        assert!(is_incomplete("sum(\n  pred"));
        assert!(!is_incomplete("sum(\n  pred)"));
    }

    fn vocab() -> Vocabulary {
        let mut v = Vocabulary {
            names: [
                "focal",
                "floor_div",
                "for_each",
                "pred",
                "params",
                "sum",
                "softmax",
                "softplus",
                "let",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            ..Vocabulary::default()
        };
        v.params.insert(
            "focal".into(),
            vec![
                "p".into(),
                "y".into(),
                "gamma".into(),
                "alpha".into(),
                "reduction".into(),
            ],
        );
        v
    }

    #[test]
    fn completes_names_commands_and_keyword_arguments() {
        let v = vocab();
        assert_eq!(
            complete(&v, "0.7*fo", 6),
            (4, vec!["focal".into(), "for_each".into()])
        );
        assert_eq!(
            complete(&v, "soft", 4).1,
            vec!["softmax".to_string(), "softplus".into()]
        );
        assert_eq!(complete(&v, ":pl", 3), (1, vec!["plot".into()]));
        assert_eq!(
            complete(&v, "focal(", 6),
            (
                6,
                vec![
                    "p=".into(),
                    "y=".into(),
                    "gamma=".into(),
                    "alpha=".into(),
                    "reduction=".into()
                ]
            )
        );
        assert_eq!(
            complete(&v, "focal(pred, ga", 14),
            (12, vec!["gamma=".into()])
        );
        assert_eq!(
            complete(&v, "focal(gamma=2, ", 15).1,
            vec![
                "p=".to_string(),
                "y=".into(),
                "alpha=".into(),
                "reduction=".into()
            ]
        );
        assert_eq!(
            complete(&v, "focal(gamma=p", 13).1,
            vec!["params".to_string(), "pred".into()]
        );
        assert_eq!(complete(&v, ":plot bce o", 11).1, vec!["over".to_string()]);
        assert_eq!(
            complete(&v, ":derive focal w", 15).1,
            vec!["wrt".to_string()]
        );
        assert!(complete(&v, "1", 1).1.is_empty());
        assert!(complete(&v, "", 0).1.is_empty());
        // Never panics on positions inside a character.
        let _ = complete(&v, "é", 1);
    }
}
