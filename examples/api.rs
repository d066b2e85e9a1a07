//! Using lossc as a library: compile specs at run time, evaluate values and
//! gradients, print derivatives, and handle errors.
//!
//!     cargo run --release --example api

use lossc::diag::DiagKind;
use lossc::{CompiledLoss, Data, Engine, InputView, LossSpec, OwnedInputs, RunError};
use ndarray::{ArrayD, IxDyn, array};
use std::error::Error;
use std::path::{Path, PathBuf};

/// A spec given as text: cross-entropy on logits with integer labels, plus a
/// confidence penalty, written with a `def`.
const CLASSIFIER: &str = r#"
input  logits: f32[N, C]
target labels: i64[N]

# Negative entropy of the predicted distribution (penalises over-confidence).
def neg_entropy(p) = mean(sum(softmax(p) * log_softmax(p), axis = -1))

loss train = sparse_cce(logits, labels) + 0.1 * neg_entropy(logits)
"#;

fn main() -> Result<(), Box<dyn Error>> {
    from_string()?;
    from_file()?;
    compile_errors();
    run_errors()?;
    Ok(())
}

/// Compile a spec held in a string and evaluate it on hand-written arrays.
fn from_string() -> Result<(), Box<dyn Error>> {
    println!("== a spec from a string ==");
    let spec = LossSpec::from_str(CLASSIFIER)?;
    println!("objectives: {:?}", spec.objectives());

    // Inputs are borrowed from the caller's arrays: nothing is copied.
    let logits = array![[2.0f32, 0.5, -1.0], [0.1, 0.2, 3.0]].into_dyn();
    let labels = array![0i64, 1].into_dyn();
    let inputs = [
        ("logits", InputView::from(&logits)),
        ("labels", InputView::from(&labels)),
    ];

    // Compile for the types and ranks of the data; evaluate natively where
    // the code generator supports the objective (`Engine::Auto`).
    let loss = spec.compile_for(Some("train"), &inputs)?;
    let evaluator = loss.evaluator(Engine::Auto)?;
    let result = evaluator.evaluate(&inputs)?;
    println!("value = {:.6} ({})", result.value, evaluator.running());
    for (term, value) in &result.terms {
        println!("  {term:<28} {value:.6}");
    }
    for (input, grad) in &result.gradients {
        println!("d train / d {input} =\n{:.4}", grad);
    }
    println!("derivative:\n{}", loss.derivative_text(None)?);
    Ok(())
}

/// Compile the main example spec from disk and evaluate it on synthetic data.
fn from_file() -> Result<(), Box<dyn Error>> {
    println!("== a spec from a file ==");
    // Relative to the repository root, where `cargo run` is usually started.
    let mut path = PathBuf::from("examples/segmentation.loss");
    if !path.exists() {
        path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&path);
    }
    let spec = LossSpec::from_file(&path)?;
    // No signatures given: the declared types are used.
    let loss = spec.compile(None, &Default::default())?;
    describe(&loss);

    let n = 1000;
    let mut state = 42u64;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f32 / (1u64 << 53) as f32
    };
    let pred: Vec<f32> = (0..n).map(|_| 6.0 * uniform() - 3.0).collect();
    let target: Vec<f32> = (0..n)
        .map(|_| if uniform() < 0.3 { 1.0 } else { 0.0 })
        .collect();
    let params: Vec<f32> = (0..64).map(|_| uniform() - 0.5).collect();
    let mut inputs = OwnedInputs::new();
    inputs.insert(
        "pred".into(),
        Data::F32(ArrayD::from_shape_vec(IxDyn(&[n]), pred)?),
    );
    inputs.insert(
        "target".into(),
        Data::F32(ArrayD::from_shape_vec(IxDyn(&[n]), target)?),
    );
    inputs.insert(
        "params".into(),
        Data::F32(ArrayD::from_shape_vec(IxDyn(&[64]), params)?),
    );

    let result = loss.evaluate(&inputs)?;
    println!("{} = {:.6}", loss.name(), result.value);
    for (term, value) in &result.terms {
        println!("  {term:<20} {value:.6}");
    }
    let g = result.gradient("pred").expect("pred is differentiated");
    println!(
        "|d main / d pred| = {:.6e}  (first entries {:.3e}, {:.3e})",
        g.iter().map(|x| x * x).sum::<f64>().sqrt(),
        g[[0]],
        g[[1]]
    );
    println!(
        "derivative with respect to params:\n{}",
        loss.derivative_text(Some("params"))?
    );
    Ok(())
}

fn describe(loss: &CompiledLoss) {
    println!("objective `{}` reads:", loss.name());
    let graph = loss.graph();
    for input in loss.inputs() {
        println!(
            "  {} {}: {}{}",
            input.role.as_str(),
            input.name,
            input.dtype.as_str(),
            graph.shape_text(input.shape)
        );
    }
    println!("value: {}", loss.value_text());
}

/// Specs that do not compile give a typed `DiagKind` and a rendered diagnostic.
fn compile_errors() {
    println!("== compile errors ==");
    for text in [
        "0.7*focal(gama=2) + 0.3*dice",
        "input pred: f32[N]\ntarget labels: f32[N]\nmean(pred - labels) + sparse_cce(pred, labels)",
    ] {
        match LossSpec::from_str(text).and_then(|spec| spec.compile(None, &Default::default())) {
            Ok(_) => println!("compiled (unexpected)"),
            Err(e) => {
                match e.kind() {
                    DiagKind::UnknownKeyword { name, keyword } => {
                        println!("[{keyword} is not a parameter of {name}]")
                    }
                    other => println!("[{other:?}]"),
                }
                print!("{}", e.render());
                println!();
            }
        }
    }
}

/// Data that does not fit the compiled objective gives a `RunError`.
fn run_errors() -> Result<(), Box<dyn Error>> {
    println!("== run errors ==");
    let spec = LossSpec::from_str(CLASSIFIER)?;
    let loss = spec.compile(None, &Default::default())?;
    let mut inputs = OwnedInputs::new();
    inputs.insert("logits".into(), Data::F32(ArrayD::zeros(IxDyn(&[4, 3]))));
    inputs.insert("labels".into(), Data::I64(ArrayD::zeros(IxDyn(&[5]))));
    match loss.evaluate(&inputs) {
        Err(e @ RunError::DimMismatch { .. }) => println!("error: {e}"),
        other => println!("unexpected: {other:?}"),
    }
    // A label outside [0, C) is only visible in the values.
    inputs.insert("labels".into(), Data::I64(array![0i64, 1, 2, 7].into_dyn()));
    if let Err(e) = loss.evaluate(&inputs) {
        println!("error: {e}");
    }
    Ok(())
}
