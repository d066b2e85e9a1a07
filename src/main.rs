//! The `lossc` command line: check, derive and evaluate `.loss` specs.

use clap::{Args, Parser, Subcommand};
use lossc::data::{self, DataError};
use lossc::{CompiledLoss, DType, Data, Inputs, LossSpec};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "lossc", version, about = "A compiler for loss functions")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a spec and summarise its objectives, inputs and gradients.
    Check {
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Print the simplified symbolic gradient of an objective.
    Derive {
        #[command(flatten)]
        spec: SpecArg,
        /// The objective (default: the first).
        #[arg(long = "loss")]
        loss: Option<String>,
        /// Only the gradient with respect to this input.
        #[arg(long)]
        wrt: Option<String>,
    },
    /// Evaluate an objective's value and gradients on .npy inputs or synthetic data.
    Eval(EvalArgs),
}

#[derive(Args)]
struct SpecArg {
    /// Path of a .loss file.
    #[arg(required_unless_present = "expr", conflicts_with = "expr")]
    spec: Option<PathBuf>,
    /// The spec given inline instead of a file.
    #[arg(short = 'e', long = "expr", value_name = "SPEC")]
    expr: Option<String>,
}

#[derive(Args)]
struct EvalArgs {
    #[command(flatten)]
    spec: SpecArg,
    #[arg(long = "loss")]
    loss: Option<String>,
    /// An input as NAME=FILE.npy (f32, f64, i32, i64 or bool).
    #[arg(long = "input", value_name = "NAME=FILE")]
    inputs: Vec<String>,
    /// Synthesise inputs with batch size N (for inputs not given with --input).
    #[arg(long, value_name = "N")]
    random: Option<usize>,
    /// Seed for --random.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Size of a named dimension for --random, as NAME=SIZE (default 10).
    #[arg(long = "dim", value_name = "NAME=SIZE")]
    dims: Vec<String>,
    /// Write each gradient to DIR/<input>.npy.
    #[arg(long = "grad-dir", value_name = "DIR")]
    grad_dir: Option<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { spec } => check(&spec),
        Command::Derive { spec, loss, wrt } => derive(&spec, loss.as_deref(), wrt.as_deref()),
        Command::Eval(args) => eval(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let message = message.trim_end();
            if message.starts_with("error") {
                eprintln!("{message}");
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Print to stdout, ignoring a closed pipe (`lossc ... | head`).
macro_rules! out {
    ($($t:tt)*) => {{ let _ = writeln!(std::io::stdout().lock(), $($t)*); }};
}

fn load(spec: &SpecArg) -> Result<LossSpec, String> {
    match (&spec.expr, &spec.spec) {
        (Some(text), _) => LossSpec::from_source("<expr>", text, Some(Path::new("."))).map_err(|e| e.render()),
        (None, Some(path)) => LossSpec::from_file(path).map_err(|e| e.render()),
        (None, None) => Err("give a spec file or -e 'EXPR'".into()),
    }
}

fn spec_name(spec: &SpecArg) -> String {
    spec.spec.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "<expr>".into())
}

fn check(arg: &SpecArg) -> Result<(), String> {
    let spec = load(arg)?;
    let mut lines = vec![format!("{}: ok", spec_name(arg))];
    for (k, name) in spec.objectives().into_iter().enumerate() {
        let c = spec.compile(Some(name), &HashMap::new()).map_err(|e| e.render())?;
        let default = if k == 0 { " (default)" } else { "" };
        lines.push(format!("loss {name}{default}"));
        for info in c.inputs() {
            let graph = c.graph();
            let grad = if c.gradients.iter().any(|g| g.input == info.name) { "  -> gradient" } else { "" };
            lines.push(format!("  {:<6} {}: {}{}{grad}", info.role.as_str(), info.name, info.dtype.as_str(), graph.shape_text(info.shape)));
        }
        for t in &c.objective.terms {
            lines.push(format!("  term   {}", t.label));
        }
    }
    out!("{}", lines.join("\n"));
    Ok(())
}

fn derive(arg: &SpecArg, loss: Option<&str>, wrt: Option<&str>) -> Result<(), String> {
    let spec = load(arg)?;
    let c = spec.compile(loss, &HashMap::new()).map_err(|e| e.render())?;
    let text = c.derivative_text(wrt)?;
    out!("{}", text.trim_end());
    Ok(())
}

fn parse_pair(s: &str, what: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected {what}, got `{s}`")),
    }
}

fn eval(args: &EvalArgs) -> Result<(), String> {
    let spec = load(&args.spec)?;
    let mut inputs = Inputs::new();
    for s in &args.inputs {
        let (name, file) = parse_pair(s, "--input NAME=FILE.npy")?;
        let data = data::read_npy(Path::new(&file)).map_err(|e| format!("input `{name}`: {e}"))?;
        inputs.insert(name, data);
    }
    let mut dims = HashMap::new();
    for s in &args.dims {
        let (name, size) = parse_pair(s, "--dim NAME=SIZE")?;
        let size: usize = size.parse().ok().filter(|&n| n > 0).ok_or_else(|| format!("--dim {name}: `{size}` is not a positive size"))?;
        dims.insert(name, size);
    }
    let compiled = spec.compile_for(args.loss.as_deref(), &inputs).map_err(|e| e.render())?;
    if let Some(n) = args.random {
        if n == 0 {
            return Err("--random needs a batch size of at least 1".into());
        }
        for (name, data) in data::random_inputs(compiled.graph(), n, &dims, args.seed) {
            inputs.entry(name).or_insert(data);
        }
    }
    let start = std::time::Instant::now();
    let result = compiled.evaluate(&inputs).map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    let written = match &args.grad_dir {
        Some(dir) => write_gradients(dir, &compiled, &result.gradients).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    if args.json {
        print_json(&compiled, &result, &written);
    } else {
        print_text(&compiled, &result, &written, elapsed);
    }
    Ok(())
}

fn write_gradients(dir: &Path, c: &CompiledLoss, grads: &[(String, ndarray::ArrayD<f64>)]) -> Result<Vec<(String, String)>, DataError> {
    std::fs::create_dir_all(dir).map_err(|e| DataError::Write { path: dir.display().to_string(), reason: e.to_string() })?;
    let mut written = Vec::new();
    for (name, g) in grads {
        let path = dir.join(format!("{name}.npy"));
        let f32_input = c.inputs().iter().any(|i| &i.name == name && i.dtype == DType::F32);
        if f32_input {
            write_f32(&path, g)?;
        } else {
            data::write_npy(&path, g)?;
        }
        written.push((name.clone(), path.display().to_string()));
    }
    Ok(written)
}

fn write_f32(path: &Path, g: &ndarray::ArrayD<f64>) -> Result<(), DataError> {
    use ndarray_npy::WriteNpyExt;
    let err = |reason: String| DataError::Write { path: path.display().to_string(), reason };
    let f = std::fs::File::create(path).map_err(|e| err(e.to_string()))?;
    g.mapv(|x| x as f32).write_npy(std::io::BufWriter::new(f)).map_err(|e| err(e.to_string()))
}

fn print_text(c: &CompiledLoss, r: &lossc::Evaluation, written: &[(String, String)], elapsed: std::time::Duration) {
    out!("{} = {}", c.name(), r.value);
    for (label, v) in &r.terms {
        out!("  {label} = {v}");
    }
    for (name, g) in &r.gradients {
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        let path = written.iter().find(|(n, _)| n == name).map(|(_, p)| format!(" -> {p}")).unwrap_or_default();
        out!("  |d {} / d {}| = {norm:.6e}  shape {:?}{path}", c.name(), name, g.shape());
    }
    let _ = Data::F32; // the evaluator widens every input to f64
    out!("  (reference evaluator, float64, {:.3} ms)", elapsed.as_secs_f64() * 1e3);
}

fn json_number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { "null".into() }
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn print_json(c: &CompiledLoss, r: &lossc::Evaluation, written: &[(String, String)]) {
    let grads: Vec<String> = written.iter().map(|(n, p)| format!("{}: {}", json_string(n), json_string(p))).collect();
    let terms: Vec<String> = r.terms.iter().map(|(l, v)| format!("{}: {}", json_string(l), json_number(*v))).collect();
    let norms: Vec<String> = r
        .gradients
        .iter()
        .map(|(n, g)| format!("{}: {}", json_string(n), json_number(g.iter().map(|x| x * x).sum::<f64>().sqrt())))
        .collect();
    out!(
        "{{\"loss\": {}, \"value\": {}, \"terms\": {{{}}}, \"gradients\": {{{}}}, \"gradient_norms\": {{{}}}}}",
        json_string(c.name()),
        json_number(r.value),
        terms.join(", "),
        grads.join(", "),
        norms.join(", ")
    );
}
