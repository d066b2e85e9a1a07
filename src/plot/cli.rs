//! `lossc plot`: the same figures as the REPL's `:plot` and `:save`, from the
//! command line.

use super::figure::parse_size;
use super::{DEFAULT_POINTS, Range, TermOptions, parse_assignment, render_terminal, sample, save};
use crate::LossSpec;
use crate::snippet::{Context, compile_expression};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Arguments of `lossc plot`.
#[derive(clap::Args, Debug, Clone)]
pub struct PlotArgs {
    /// A .loss file: its objectives are plotted, or, with -e, the expressions
    /// are evaluated against its definitions and declarations.
    #[arg(required_unless_present = "exprs")]
    pub spec: Option<PathBuf>,
    /// An expression to plot (repeat for several curves), e.g. -e 'focal(gamma=2)'.
    #[arg(
        short = 'e',
        long = "expr",
        value_name = "EXPR",
        allow_hyphen_values = true
    )]
    pub exprs: Vec<String>,
    /// Plot only this objective of SPEC (repeatable).
    #[arg(long = "loss", value_name = "NAME", conflicts_with = "exprs")]
    pub losses: Vec<String>,
    /// The variable and its range, e.g. --over pred=-6..6.
    #[arg(long, value_name = "VAR=A..B", allow_hyphen_values = true)]
    pub over: String,
    /// The value of another input, e.g. --with target=1 (repeatable).
    #[arg(long = "with", value_name = "NAME=VALUE", allow_hyphen_values = true)]
    pub with: Vec<String>,
    /// Write the figure to FILE.svg or FILE.png instead of drawing in the terminal.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Figure size in pixels.
    #[arg(long, value_name = "WxH", default_value = "960x420")]
    pub size: String,
    /// Samples per curve.
    #[arg(long, default_value_t = DEFAULT_POINTS)]
    pub points: usize,
    /// Figure title (default: what is plotted, over what, at which values).
    #[arg(long)]
    pub title: Option<String>,
}

/// Run `lossc plot`.
pub fn run(args: &PlotArgs) -> Result<(), String> {
    let (var, range) = args
        .over
        .split_once('=')
        .ok_or_else(|| format!("expected --over VAR=A..B, got `{}`", args.over))?;
    let var = var.trim();
    let range = Range::parse(range)?;
    let with = args
        .with
        .iter()
        .map(|w| parse_assignment(w))
        .collect::<Result<Vec<_>, _>>()?;
    let size = parse_size(&args.size)?;
    if let Some(out) = &args.output {
        // Fail on a bad extension before doing any work.
        super::ImageFormat::for_path(out)?;
    }
    let mut series = Vec::new();
    let none = HashMap::new();
    if args.exprs.is_empty() {
        let path = args.spec.as_ref().ok_or("give a spec file or -e 'EXPR'")?;
        let spec = LossSpec::from_file(path).map_err(|e| e.render())?;
        let names: Vec<String> = if args.losses.is_empty() {
            spec.objectives().iter().map(|s| s.to_string()).collect()
        } else {
            args.losses.clone()
        };
        for name in names {
            let c = spec.compile(Some(&name), &none).map_err(|e| e.render())?;
            series.push((name, c));
        }
    } else {
        let (text, name, dir) = match &args.spec {
            Some(p) => {
                let text = crate::syntax::load::read_spec(p)
                    .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
                let dir = p
                    .parent()
                    .map(Path::to_path_buf)
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or_else(|| PathBuf::from("."));
                (text, p.display().to_string(), dir)
            }
            None => (String::new(), "<spec>".to_string(), PathBuf::from(".")),
        };
        let ctx = Context {
            name: &name,
            text: &text,
            base_dir: Some(&dir),
        };
        for e in &args.exprs {
            let c = compile_expression(&ctx, e, "<expr>", &none).map_err(|err| err.rendered)?;
            series.push((e.trim().to_string(), c));
        }
    }
    // Hazard warnings go to stderr, as on every command that compiles.
    for (_, c) in &series {
        eprint!("{}", c.render_warnings());
    }
    let mut fig = sample(&series, var, range, &with, args.points)?;
    if let Some(t) = &args.title {
        fig.title = t.clone();
    }
    match &args.output {
        Some(path) => {
            let msg = save(&fig, path, size)?;
            let _ = writeln!(std::io::stdout().lock(), "{msg}");
        }
        None => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let text = render_terminal(
                &fig,
                &TermOptions {
                    color,
                    ..TermOptions::default()
                },
            );
            let _ = write!(std::io::stdout().lock(), "{text}");
        }
    }
    Ok(())
}
