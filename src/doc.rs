//! The reference page of the standard library, generated from the prelude.
//!
//! Every public `def` of `src/prelude/*.loss` (names not starting with `_`)
//! carries a doc comment directly above it:
//!
//! ```text
//! # Name: one-sentence summary. Free text on options and edge cases.
//! # Formula: the per-element formula
//! # Reference: the library function it matches. Deliberate differences.
//! def name(p = pred, y = target, option = default) = ...
//! ```
//!
//! [`reference`] turns them into Markdown, one section per prelude file
//! (whose opening comment block introduces the family), one entry per loss
//! with its signature and defaults taken from the parsed definition.
//! `docs/losses.md` is this output; a test keeps it in sync and fails on a
//! public definition without a `Formula:` or `Reference:` line, so the page
//! always lists every built-in.

use crate::source::{FileId, SourceMap};
use crate::syntax::ast::{Def, Item};
use crate::syntax::load::PRELUDE_FILES;
use crate::syntax::parse;

/// One documented built-in.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub family: &'static str,
    pub name: String,
    /// `name(p = pred, y = target, ...)` as written in the prelude.
    pub signature: String,
    pub summary: String,
    pub formula: String,
    pub reference: String,
}

/// Every public definition of the prelude with its documentation, in
/// prelude order; an error names each definition whose doc comment lacks a
/// part.
pub fn entries() -> Result<Vec<Entry>, Vec<String>> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for (family, text) in PRELUDE_FILES {
        for def in defs(text) {
            if def.name.name.starts_with('_') {
                continue;
            }
            match entry(family, text, &def) {
                Ok(e) => out.push(e),
                Err(what) => missing.push(format!("{family}: `{}` {what}", def.name.name)),
            }
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

fn defs(text: &str) -> Vec<Def> {
    let module = parse(FileId(0), text).expect("the prelude parses (tested)");
    module
        .items
        .into_iter()
        .filter_map(|i| match i {
            Item::Def(d) => Some(d),
            _ => None,
        })
        .collect()
}

fn entry(family: &'static str, text: &str, def: &Def) -> Result<Entry, String> {
    let mut sources = SourceMap::new();
    let file = sources.add("<prelude>", None, text);
    let params: Vec<String> = def
        .params
        .iter()
        .map(|p| match &p.default {
            Some(d) => format!("{} = {}", p.name.name, sources.snippet(d.span)),
            None => p.name.name.clone(),
        })
        .collect();
    let signature = format!("{}({})", def.name.name, params.join(", "));
    let line = sources.position(file, def.span.start).line;
    let comment = comment_above(text, line);
    let (mut summary, mut formula, mut reference) = (String::new(), String::new(), String::new());
    let mut part = &mut summary;
    for l in comment {
        if let Some(rest) = l.strip_prefix("Formula:") {
            part = &mut formula;
            part.push_str(rest.trim());
        } else if let Some(rest) = l.strip_prefix("Reference:") {
            part = &mut reference;
            part.push_str(rest.trim());
        } else {
            if !part.is_empty() {
                part.push(' ');
            }
            part.push_str(l.trim());
        }
    }
    for (what, v) in [
        ("has no doc comment", &summary),
        ("has no `Formula:` line", &formula),
        ("has no `Reference:` line", &reference),
    ] {
        if v.is_empty() {
            return Err(what.to_string());
        }
    }
    Ok(Entry {
        family,
        name: def.name.name.clone(),
        signature,
        summary,
        formula,
        reference,
    })
}

/// The `#` lines directly above line `line` (1-based), without the `#`.
fn comment_above(text: &str, line: usize) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = line - 1;
    while start > 0 && lines[start - 1].trim_start().starts_with('#') {
        start -= 1;
    }
    lines[start..line - 1]
        .iter()
        .map(|l| {
            let l = l.trim_start().trim_start_matches('#');
            l.strip_prefix(' ').unwrap_or(l)
        })
        .collect()
}

/// The opening comment block of a prelude file, without its `# ---- x ----`
/// title line.
fn introduction(text: &str) -> String {
    let mut out = Vec::new();
    for l in text.lines() {
        let Some(c) = l.trim_start().strip_prefix('#') else {
            break;
        };
        let c = c.strip_prefix(' ').unwrap_or(c);
        if c.starts_with("----") {
            continue;
        }
        out.push(c);
    }
    let text = out.join("\n");
    text.trim().to_string()
}

/// The reference page (`docs/losses.md`).
pub fn reference() -> Result<String, Vec<String>> {
    let entries = entries()?;
    let mut md = String::from(
        "# Built-in losses\n\n\
         Generated by `lossc doc` from the doc comments of `src/prelude/*.loss`\n\
         (a test keeps this page in sync). `p` defaults to the input `pred`, `y` to\n\
         `target`, `w` to `params`; `reduction` is `\"mean\"`, `\"sum\"` or `\"none\"`.\n\n",
    );
    // The core file's introduction is the whole library's.
    let (_, core) = PRELUDE_FILES[0];
    md.push_str(&format!("```text\n{}\n```\n\n", introduction(core)));
    for (k, (family, text)) in PRELUDE_FILES.into_iter().enumerate() {
        let here: Vec<&Entry> = entries.iter().filter(|e| e.family == family).collect();
        if here.is_empty() {
            continue;
        }
        md.push_str(&format!("## {}\n\n", title(family)));
        let intro = introduction(text);
        if k > 0 && !intro.is_empty() {
            md.push_str(&format!("```text\n{intro}\n```\n\n"));
        }
        md.push_str("| loss | reference |\n|------|-----------|\n");
        for e in &here {
            md.push_str(&format!(
                "| [`{}`](#{}) | {} |\n",
                e.name,
                e.name.replace('_', "-").to_lowercase(),
                first_sentence(&e.reference).replace('|', "\\|")
            ));
        }
        md.push('\n');
        for e in here {
            md.push_str(&render_entry(e));
        }
    }
    Ok(md)
}

/// One entry as Markdown (also what `lossc doc NAME` prints).
pub fn render_entry(e: &Entry) -> String {
    format!(
        "### {}\n\n```text\n{}\n```\n\n{}\n\n**Formula:** {}\n\n**Reference:** {}\n\n",
        e.name, e.signature, e.summary, e.formula, e.reference
    )
}

fn title(family: &str) -> String {
    match family {
        "core" => "Reductions".into(),
        "gan" => "GAN objectives".into(),
        f => {
            let mut c = f.chars();
            c.next()
                .map(|h| h.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn first_sentence(s: &str) -> &str {
    match s.find(". ") {
        Some(i) => &s[..i + 1],
        None => s,
    }
}
