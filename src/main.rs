//! The `lossc` command line: check, derive and evaluate `.loss` specs.

use clap::{Args, Parser, Subcommand};
use lossc::budget;
use lossc::data::{self, DataError};
use lossc::native::Precision;
use lossc::{CompiledLoss, DType, Engine, Evaluator, LossSpec, Outputs, OwnedInputs};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "lossc", version, about = "A compiler for loss functions")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The most memory an evaluation may use, e.g. 16G or 512M (default: the
    /// LOSSC_MEMORY_LIMIT environment variable, else half the physical memory).
    #[arg(long, global = true, value_name = "SIZE")]
    memory_limit: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Check a spec and summarise its objectives, inputs and gradients.
    Check {
        #[command(flatten)]
        spec: SpecArg,
        /// List the stabilising rewrites applied to each objective, with the
        /// source location of each.
        #[arg(long)]
        explain: bool,
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
        /// Print the Hessian diagonal (d2 L / d x2, elementwise) instead.
        #[arg(long)]
        hessian: bool,
    },
    /// Evaluate an objective's value and gradients on .npy inputs or synthetic data.
    Eval(EvalArgs),
    /// Show the native code generated for an objective.
    Emit {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long = "loss")]
        loss: Option<String>,
        /// Cranelift IR of each pass (the default).
        #[arg(long, conflicts_with = "asm")]
        clif: bool,
        /// Machine code of each pass.
        #[arg(long)]
        asm: bool,
        /// Compile for float64 inputs instead of float32.
        #[arg(long)]
        f64: bool,
        /// Compile the Hessian diagonals too.
        #[arg(long)]
        hessian: bool,
    },
    /// Measure compile time and evaluation time (value + all gradients).
    Bench(BenchArgs),
    /// Interactive session: definitions, evaluation, derivatives, plots (see :help).
    Repl(lossc::repl::ReplArgs),
    /// Plot objectives and their derivatives over one input, in the terminal or as SVG/PNG.
    Plot(lossc::plot::PlotArgs),
    /// The reference of the built-in losses (signature, formula, reference
    /// semantics), as Markdown: all of them, or one.
    Doc {
        /// A built-in loss (default: the whole reference page).
        name: Option<String>,
    },
}

#[derive(Args)]
struct DataArgs {
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
    /// Worker threads for native kernels (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Use the float64 reference evaluator instead of native code (the
    /// same as `--engine reference`).
    #[arg(long, conflicts_with = "engine")]
    interp: bool,
    /// auto (native where supported, else the reference evaluator), native
    /// (an error where unsupported) or reference.
    #[arg(long, value_name = "ENGINE")]
    engine: Option<Engine>,
}

impl DataArgs {
    fn engine(&self) -> Engine {
        match (self.interp, self.engine) {
            (true, _) => Engine::Reference,
            (false, engine) => engine.unwrap_or_default(),
        }
    }
}

#[derive(Args)]
struct BenchArgs {
    #[command(flatten)]
    spec: SpecArg,
    /// The objective (default: the first).
    #[arg(long = "loss")]
    loss: Option<String>,
    #[command(flatten)]
    data: DataArgs,
    /// Timed evaluations after warm-up.
    #[arg(long, default_value_t = 20)]
    repeat: usize,
    /// Also compute the Hessian diagonals (value + gradients + Hessians).
    #[arg(long)]
    hessian: bool,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct SpecArg {
    /// Path of a .loss file.
    #[arg(required_unless_present = "expr", conflicts_with = "expr")]
    spec: Option<PathBuf>,
    /// The spec given inline instead of a file.
    #[arg(
        short = 'e',
        long = "expr",
        value_name = "SPEC",
        allow_hyphen_values = true
    )]
    expr: Option<String>,
}

#[derive(Args)]
struct EvalArgs {
    #[command(flatten)]
    spec: SpecArg,
    /// The objective (default: the first).
    #[arg(long = "loss")]
    loss: Option<String>,
    #[command(flatten)]
    data: DataArgs,
    /// Write each gradient to DIR/<input>.npy (and each Hessian diagonal
    /// to DIR/<input>.hess.npy).
    #[arg(long = "grad-dir", value_name = "DIR")]
    grad_dir: Option<PathBuf>,
    /// Also compute the exact Hessian diagonal of every differentiated input.
    #[arg(long)]
    hessian: bool,
    /// What Hessian diagonals are returned as: exact, clip (floored at
    /// 1e-16) or constant (1), for gradient boosting.
    #[arg(
        long,
        value_name = "POLICY",
        default_value = "exact",
        requires = "hessian"
    )]
    hessian_policy: lossc::HessianPolicy,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = set_memory_limit(cli.memory_limit.as_deref()).and_then(|()| match cli.command {
        Command::Check { spec, explain } => check(&spec, explain),
        Command::Derive {
            spec,
            loss,
            wrt,
            hessian,
        } => derive(&spec, loss.as_deref(), wrt.as_deref(), hessian),
        Command::Eval(args) => eval(&args),
        Command::Emit {
            spec,
            loss,
            asm,
            f64,
            hessian,
            ..
        } => emit(&spec, loss.as_deref(), asm, f64, hessian),
        Command::Bench(args) => bench(&args),
        Command::Repl(args) => lossc::repl::run(&args),
        Command::Plot(args) => lossc::plot::cli(&args),
        Command::Doc { name } => doc(name.as_deref()),
    });
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

/// The memory budget from `--memory-limit`, else from the environment (an
/// invalid value in either is an error rather than silently the default).
fn set_memory_limit(flag: Option<&str>) -> Result<(), String> {
    let limit = match flag {
        Some(text) => Some(budget::parse_size(text).map_err(|e| format!("--memory-limit: {e}"))?),
        None => budget::limit_from_env()?,
    };
    budget::set_memory_limit(limit);
    Ok(())
}

/// Hazard warnings go to stderr on every command that compiles.
fn warn(compiled: &CompiledLoss) -> &CompiledLoss {
    eprint!("{}", compiled.render_warnings());
    compiled
}

/// Print to stdout, ignoring a closed pipe (`lossc ... | head`).
macro_rules! out {
    ($($t:tt)*) => {{ let _ = writeln!(std::io::stdout().lock(), $($t)*); }};
}

fn load(spec: &SpecArg) -> Result<LossSpec, String> {
    match (&spec.expr, &spec.spec) {
        (Some(text), _) => {
            LossSpec::from_source("<expr>", text, Some(Path::new("."))).map_err(|e| e.render())
        }
        (None, Some(path)) => LossSpec::from_file(path).map_err(|e| e.render()),
        (None, None) => Err("give a spec file or -e 'EXPR'".into()),
    }
}

fn spec_name(spec: &SpecArg) -> String {
    spec.spec
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<expr>".into())
}

fn check(arg: &SpecArg, explain: bool) -> Result<(), String> {
    let spec = load(arg)?;
    let mut lines = vec![format!("{}: ok", spec_name(arg))];
    let mut warnings: Vec<String> = Vec::new();
    for (k, name) in spec.objectives().into_iter().enumerate() {
        let c = spec
            .compile(Some(name), &HashMap::new())
            .map_err(|e| e.render())?;
        let default = if k == 0 { " (default)" } else { "" };
        lines.push(format!("loss {name}{default}"));
        for info in c.inputs() {
            let graph = c.graph();
            let grad = if c.gradients.iter().any(|g| g.input == info.name) {
                "  -> gradient"
            } else {
                ""
            };
            lines.push(format!(
                "  {:<6} {}: {}{}{grad}",
                info.role.as_str(),
                info.name,
                info.dtype.as_str(),
                graph.shape_text(info.shape)
            ));
        }
        for t in &c.objective.terms {
            lines.push(format!("  term   {}", t.label));
        }
        if explain {
            lines.push(match c.rewrites.len() {
                0 => "  no rewrites: every formula is already in a stable form".to_string(),
                n => format!(
                    "  {n} stabilising rewrite{}:",
                    if n == 1 { "" } else { "s" }
                ),
            });
            for line in c.explain().lines() {
                lines.push(format!("    {line}"));
            }
        }
        lines.extend(hessian_notes(&c));
        let rendered = c.render_warnings().to_string();
        if !rendered.is_empty() && !warnings.contains(&rendered) {
            warnings.push(rendered);
        }
    }
    out!("{}", lines.join("\n"));
    for w in warnings {
        eprint!("{w}");
    }
    Ok(())
}

/// What a gradient booster needs to know of each Hessian diagonal: a note
/// where it is identically 0, not provably non-negative, or not available
/// (nothing where it is provably non-negative).
fn hessian_notes(c: &CompiledLoss) -> Vec<String> {
    if c.gradients.is_empty() {
        return Vec::new();
    }
    let c = match c.clone().with_hessians() {
        Ok(c) => c,
        Err(e) => return vec![format!("  note   {e}")],
    };
    c.hessian_signs()
        .into_iter()
        .filter_map(|(input, sign)| match sign {
            lossc::ir::Sign::NonNegative => None,
            lossc::ir::Sign::Zero => Some(format!(
                "  note   the Hessian diagonal of `{input}` is identically 0 (piecewise linear): for boosting use --hessian-policy constant or clip"
            )),
            lossc::ir::Sign::Unknown => Some(format!(
                "  note   the Hessian diagonal of `{input}` is not provably non-negative (the loss may not be convex): for boosting use --hessian-policy clip"
            )),
        })
        .collect()
}

fn doc(name: Option<&str>) -> Result<(), String> {
    let entries = lossc::doc::entries().map_err(|m| m.join("\n"))?;
    let Some(name) = name else {
        out!(
            "{}",
            lossc::doc::reference()
                .map_err(|m| m.join("\n"))?
                .trim_end()
        );
        return Ok(());
    };
    match entries.iter().find(|e| e.name == name) {
        Some(e) => {
            out!("{}", lossc::doc::render_entry(e).trim_end());
            Ok(())
        }
        None => {
            let hint = lossc::diag::did_you_mean(name, entries.iter().map(|e| e.name.as_str()))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            Err(format!("error: `{name}` is not a built-in loss{hint}"))
        }
    }
}

fn derive(
    arg: &SpecArg,
    loss: Option<&str>,
    wrt: Option<&str>,
    hessian: bool,
) -> Result<(), String> {
    let spec = load(arg)?;
    let c = spec
        .compile(loss, &HashMap::new())
        .map_err(|e| e.render())?;
    warn(&c);
    let text = if hessian {
        c.with_hessians()
            .and_then(|c| c.hessian_text(wrt))
            .map_err(|e| e.to_string())?
    } else {
        c.derivative_text(wrt).map_err(|e| e.to_string())?
    };
    out!("{}", text.trim_end());
    Ok(())
}

fn parse_pair(s: &str, what: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected {what}, got `{s}`")),
    }
}

/// Inputs from --input files and --random, and the objective compiled for them.
fn prepare(
    spec: &LossSpec,
    loss: Option<&str>,
    data: &DataArgs,
) -> Result<(CompiledLoss, OwnedInputs), String> {
    let mut inputs = OwnedInputs::new();
    for s in &data.inputs {
        let (name, file) = parse_pair(s, "--input NAME=FILE.npy")?;
        let array = data::read_npy(Path::new(&file)).map_err(|e| format!("input `{name}`: {e}"))?;
        inputs.insert(name, array);
    }
    let mut dims = HashMap::new();
    for s in &data.dims {
        let (name, size) = parse_pair(s, "--dim NAME=SIZE")?;
        let size: usize = size
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("--dim {name}: `{size}` is not a positive size"))?;
        dims.insert(name, size);
    }
    let compiled = spec.compile_for(loss, &inputs).map_err(|e| e.render())?;
    warn(&compiled);
    check_dim_names(&compiled, &dims)?;
    if let Some(n) = data.random {
        if n == 0 {
            return Err("--random needs a batch size of at least 1".into());
        }
        let synthetic = data::random_inputs(compiled.graph(), n, &dims, data.seed)
            .map_err(|e| e.to_string())?;
        for (name, array) in synthetic {
            inputs.entry(name).or_insert(array);
        }
    }
    Ok((compiled, inputs))
}

/// Every `--dim NAME=SIZE` must name a dimension of the objective (`c` for
/// `C` would otherwise be silently ignored).
fn check_dim_names(compiled: &CompiledLoss, dims: &HashMap<String, usize>) -> Result<(), String> {
    let graph = compiled.graph();
    let known: Vec<&str> = (0..graph.num_dims())
        .filter_map(|d| match graph.dim(lossc::ir::DimId(d as u32)) {
            lossc::ir::Dim::Named(name) => Some(name.as_str()),
            lossc::ir::Dim::Fixed(_) => None,
        })
        .collect();
    let mut given: Vec<&String> = dims.keys().collect();
    given.sort();
    for name in given {
        if !known.contains(&name.as_str()) {
            let hint = lossc::diag::did_you_mean(name, known.iter().copied())
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            let listed = if known.is_empty() {
                "it has no named dimensions".to_string()
            } else {
                format!("its dimensions are {}", known.join(", "))
            };
            return Err(format!(
                "--dim {name}: objective `{}` has no dimension `{name}` ({listed}){hint}",
                compiled.name()
            ));
        }
    }
    Ok(())
}

fn threads(data: &DataArgs) -> usize {
    data.threads.filter(|&t| t > 0).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

/// The evaluator on the chosen engine; a fallback from native code to the
/// reference evaluator is noted on stderr with its reason.
fn evaluator(compiled: &CompiledLoss, data: &DataArgs) -> Result<Evaluator, String> {
    let evaluator = compiled
        .evaluator(data.engine())
        .map_err(|e| e.to_string())?
        .with_threads(threads(data));
    if let Some(reason) = evaluator.fallback() {
        eprintln!("note: {reason}; using the reference evaluator");
    }
    Ok(evaluator)
}

fn eval(args: &EvalArgs) -> Result<(), String> {
    let spec = load(&args.spec)?;
    let (mut compiled, inputs) = prepare(&spec, args.loss.as_deref(), &args.data)?;
    if args.hessian {
        compiled = compiled.with_hessians().map_err(|e| e.to_string())?;
    }
    let evaluator = evaluator(&compiled, &args.data)?.with_hessian_policy(args.hessian_policy);
    let start = std::time::Instant::now();
    let result = evaluator.evaluate(&inputs).map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    let engine = match evaluator.running() {
        lossc::Running::Reference => evaluator.running().to_string(),
        native => format!("{native}, {} thread(s)", evaluator.threads()),
    };
    let written = match &args.grad_dir {
        Some(dir) => {
            let mut written =
                write_arrays(dir, &compiled, &result.gradients, "").map_err(|e| e.to_string())?;
            written.extend(
                write_arrays(dir, &compiled, &result.hessians, ".hess")
                    .map_err(|e| e.to_string())?,
            );
            written
        }
        None => Vec::new(),
    };
    let native = evaluator.running() != lossc::Running::Reference;
    if args.json {
        print_json(&compiled, &result, &written, native);
    } else {
        print_text(&compiled, &result, &written, elapsed, &engine);
    }
    Ok(())
}

fn emit(
    arg: &SpecArg,
    loss: Option<&str>,
    asm: bool,
    f64: bool,
    hessian: bool,
) -> Result<(), String> {
    let spec = load(arg)?;
    let mut compiled = spec
        .compile(loss, &HashMap::new())
        .map_err(|e| e.render())?;
    warn(&compiled);
    if hessian {
        compiled = compiled.with_hessians().map_err(|e| e.to_string())?;
    }
    let precision = if f64 { Precision::F64 } else { Precision::F32 };
    let (k, listing) = compiled
        .native_with_listing(precision, true)
        .map_err(|e| e.to_string())?;
    out!("; {}", k.describe().trim_end().replace('\n', "\n; "));
    let code = if asm { listing.asm } else { listing.ir };
    for (i, text) in code.iter().enumerate() {
        out!("; pass {i}\n{}", text.trim_end());
    }
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn bench(args: &BenchArgs) -> Result<(), String> {
    let text = match (&args.spec.expr, &args.spec.spec) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) => lossc::syntax::load::read_spec(p)
            .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?,
        (None, None) => return Err("give a spec file or -e 'EXPR'".into()),
    };
    let spec = load(&args.spec)?;
    let (compiled, inputs) = prepare(&spec, args.loss.as_deref(), &args.data)?;
    let elements: usize = inputs
        .values()
        .map(|d| d.shape().iter().product::<usize>())
        .sum();
    let repeat = args.repeat.max(1);
    // Compile latency: spec text to a callable kernel, best of five.
    let mut compile_times = Vec::new();
    let sigs: HashMap<String, lossc::InputSig> = inputs
        .iter()
        .map(|(n, d)| {
            (
                n.clone(),
                lossc::InputSig {
                    dtype: d.dtype(),
                    rank: d.shape().len(),
                },
            )
        })
        .collect();
    // `use` paths resolve against the spec file's folder, as `lossc eval` does.
    let base = args
        .spec
        .spec
        .as_ref()
        .and_then(|p| p.parent())
        .unwrap_or(Path::new("."));
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let s = LossSpec::from_source("<bench>", &text, Some(base)).map_err(|e| e.render())?;
        let mut c = s
            .compile(args.loss.as_deref(), &sigs)
            .map_err(|e| e.render())?;
        if args.hessian {
            c = c.with_hessians().map_err(|e| e.to_string())?;
        }
        let _ = c.into_evaluator(args.data.engine());
        compile_times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let compiled = if args.hessian {
        compiled.with_hessians().map_err(|e| e.to_string())?
    } else {
        compiled
    };
    let evaluator = evaluator(&compiled, &args.data)?;
    let threads = evaluator.threads();
    // Gradient buffers in the engine's precision, reused by every run.
    let f32_buffers = evaluator.running() == lossc::Running::Native(Precision::F32);
    // Gradients, then Hessian diagonals (when asked for).
    let lens: Vec<(String, usize)> = compiled
        .gradients
        .iter()
        .chain(&compiled.hessians)
        .map(|g| {
            let n = inputs[&g.input].shape().iter().product();
            (g.input.clone(), n)
        })
        .collect();
    let gradient_count = compiled.gradients.len();
    let mut b32: Vec<Vec<f32>> = lens
        .iter()
        .map(|(_, n)| vec![0.0; if f32_buffers { *n } else { 0 }])
        .collect();
    let mut b64: Vec<Vec<f64>> = lens
        .iter()
        .map(|(_, n)| vec![0.0; if f32_buffers { 0 } else { *n }])
        .collect();
    let warm_up = if evaluator.running() == lossc::Running::Reference {
        1
    } else {
        3
    };
    let mut times = Vec::with_capacity(repeat);
    let mut value = f64::NAN;
    for i in 0..repeat + warm_up {
        let mut outputs = Outputs::new();
        for (k, (((name, _), a), b)) in lens.iter().zip(&mut b32).zip(&mut b64).enumerate() {
            let buffer: lossc::Buffer = if f32_buffers {
                a.as_mut_slice().into()
            } else {
                b.as_mut_slice().into()
            };
            outputs = if k < gradient_count {
                outputs.gradient(name, buffer)
            } else {
                outputs.hessian(name, buffer)
            };
        }
        let start = std::time::Instant::now();
        value = evaluator
            .evaluate_into(&inputs, &mut outputs)
            .map_err(|e| e.to_string())?
            .value;
        if i >= warm_up {
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let med = median(&mut times);
    let compile_ms = median(&mut compile_times);
    let engine = if evaluator.running() == lossc::Running::Reference {
        "interp"
    } else {
        "native"
    };
    if args.json {
        // The instruction-set level of the tile primitives native code calls
        // (`LOSSC_ISA` caps it); none for the reference evaluator.
        let isa = if engine == "native" {
            json_string(lossc::native_isa())
        } else {
            "null".to_string()
        };
        out!(
            "{{\"loss\": {}, \"engine\": \"{engine}\", \"isa\": {isa}, \"compile_ms\": {compile_ms:.4}, \"eval_ms_median\": {med:.4}, \"eval_ms_min\": {min:.4}, \"threads\": {threads}, \"elements\": {elements}, \"repeat\": {repeat}, \"value\": {}}}",
            json_string(compiled.name()),
            json_number(value)
        );
    } else {
        out!(
            "{} ({engine}, {threads} thread(s), {elements} input elements)",
            compiled.name()
        );
        out!("  compile  {compile_ms:.3} ms (median of 5, text to callable kernel)");
        out!(
            "  eval     {med:.3} ms median, {min:.3} ms min over {repeat} runs (value + all gradients{})",
            if args.hessian { " + Hessians" } else { "" }
        );
    }
    Ok(())
}

/// Each array as DIR/<input><suffix>.npy, in the input's float type;
/// returns (input name with suffix, path).
fn write_arrays(
    dir: &Path,
    c: &CompiledLoss,
    grads: &[(String, ndarray::ArrayD<f64>)],
    suffix: &str,
) -> Result<Vec<(String, String)>, DataError> {
    std::fs::create_dir_all(dir).map_err(|e| DataError::Write {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut written = Vec::new();
    for (name, g) in grads {
        let path = dir.join(format!("{name}{suffix}.npy"));
        let f32_input = c
            .inputs()
            .iter()
            .any(|i| &i.name == name && i.dtype == DType::F32);
        if f32_input {
            write_f32(&path, g)?;
        } else {
            data::write_npy(&path, g)?;
        }
        written.push((format!("{name}{suffix}"), path.display().to_string()));
    }
    Ok(written)
}

fn write_f32(path: &Path, g: &ndarray::ArrayD<f64>) -> Result<(), DataError> {
    use ndarray_npy::WriteNpyExt;
    let err = |reason: String| DataError::Write {
        path: path.display().to_string(),
        reason,
    };
    let f = std::fs::File::create(path).map_err(|e| err(e.to_string()))?;
    g.mapv(|x| x as f32)
        .write_npy(std::io::BufWriter::new(f))
        .map_err(|e| err(e.to_string()))
}

fn print_text(
    c: &CompiledLoss,
    r: &lossc::Evaluation,
    written: &[(String, String)],
    elapsed: std::time::Duration,
    engine: &str,
) {
    out!("{} = {}", c.name(), r.value);
    for (label, v) in &r.terms {
        out!("  {label} = {v}");
    }
    let arrays = r
        .gradients
        .iter()
        .map(|(n, g)| (n, g, "d", "", ""))
        .chain(r.hessians.iter().map(|(n, h)| (n, h, "d2", "^2", ".hess")));
    for (name, g, d, power, suffix) in arrays {
        let path = written
            .iter()
            .find(|(n, _)| *n == format!("{name}{suffix}"))
            .map(|(_, p)| format!(" -> {p}"))
            .unwrap_or_default();
        let what = format!("{d} {} / d {name}{power}", c.name());
        if g.ndim() == 0 {
            // A scalar's derivative is a value, with its sign.
            out!("  {what} = {}{path}", g.sum());
            continue;
        }
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        out!("  |{what}| = {norm:.6e}  shape {:?}{path}", g.shape());
    }
    out!("  ({engine}, {:.3} ms)", elapsed.as_secs_f64() * 1e3);
}

fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "null".into()
    }
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

fn print_json(c: &CompiledLoss, r: &lossc::Evaluation, written: &[(String, String)], native: bool) {
    let grads: Vec<String> = written
        .iter()
        .map(|(n, p)| format!("{}: {}", json_string(n), json_string(p)))
        .collect();
    let terms: Vec<String> = r
        .terms
        .iter()
        .map(|(l, v)| format!("{}: {}", json_string(l), json_number(*v)))
        .collect();
    let norms = |arrays: &[(String, ndarray::ArrayD<f64>)]| -> String {
        arrays
            .iter()
            .map(|(n, g)| {
                let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
                format!("{}: {}", json_string(n), json_number(norm))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let hessians = if r.hessians.is_empty() {
        String::new()
    } else {
        format!(", \"hessian_norms\": {{{}}}", norms(&r.hessians))
    };
    out!(
        "{{\"loss\": {}, \"engine\": \"{}\", \"value\": {}, \"terms\": {{{}}}, \"gradients\": {{{}}}, \"gradient_norms\": {{{}}}{hessians}}}",
        json_string(c.name()),
        if native { "native" } else { "interp" },
        json_number(r.value),
        terms.join(", "),
        grads.join(", "),
        norms(&r.gradients)
    );
}
