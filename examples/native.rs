//! Compile a loss to native code at run time and use it in a training loop.
//!
//! Run with `cargo run --release --example native`.

use lossc::{Engine, InputView, LossSpec, Outputs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A regression objective with an L2 penalty on the parameters.
    let spec = LossSpec::from_str(
        "input pred: f32[N]\n\
         target target: f32[N]\n\
         param w: f32[K]\n\
         loss main = huber(pred, target, delta = 0.5) + 1e-3 * l2(w)",
    )?;
    let compiled = spec.compile(None, &Default::default())?;
    // Compile once: the evaluator serves every batch size and is Send + Sync.
    // `Engine::Native` insists on native code (`Auto` would fall back to the
    // reference evaluator where the code generator lacks something).
    let evaluator = compiled.into_evaluator(Engine::Native)?.with_threads(2);
    println!("{}; passes:", evaluator.running());
    print!("{}", evaluator.kernel().expect("native").describe());

    let n = 100_000;
    let mut w: Vec<f32> = vec![0.5; 16];
    let target: Vec<f32> = (0..n).map(|i| (i as f32 * 1e-4).sin()).collect();
    let mut pred = vec![0.0f32; n];
    // Gradient buffers are allocated once and reused by every step.
    let mut grad_pred = vec![0.0f32; n];
    let mut grad_w = vec![0.0f32; w.len()];
    for step in 0..5 {
        for (i, p) in pred.iter_mut().enumerate() {
            *p = w[i % 16] * (i as f32 * 1e-4).sin() * 1.5;
        }
        // The inputs are borrowed: nothing is copied.
        let inputs = [
            ("pred", InputView::from_slice(&pred, &[n]).unwrap()),
            ("target", InputView::from_slice(&target, &[n]).unwrap()),
            ("w", InputView::from_slice(&w, &[w.len()]).unwrap()),
        ];
        // Gradient buffers are addressed by the input's name.
        let mut outputs = Outputs::new()
            .gradient("pred", grad_pred.as_mut_slice())
            .gradient("w", grad_w.as_mut_slice());
        let out = evaluator.evaluate_into(&inputs, &mut outputs)?;
        println!(
            "step {step}: loss {:.6} ({} {:.6}, {} {:.6})",
            out.value, out.terms[0].0, out.terms[0].1, out.terms[1].0, out.terms[1].1
        );
        // Chain rule by hand for this toy model: pred_i = 1.5 * w[i % 16] * x_i.
        let mut dw = grad_w.clone();
        for i in 0..n {
            dw[i % 16] += grad_pred[i] * 1.5 * (i as f32 * 1e-4).sin();
        }
        for (wk, g) in w.iter_mut().zip(dw) {
            *wk -= 2.0 * g;
        }
    }
    // Bad input is a typed error, found before any native code runs.
    let (three, four) = ([0.0f32; 3], [0.0f32; 4]);
    let bad = [
        ("pred", InputView::from_slice(&three, &[3]).unwrap()),
        ("target", InputView::from_slice(&four, &[4]).unwrap()),
        ("w", InputView::from_slice(&w, &[16]).unwrap()),
    ];
    match evaluator.evaluate(&bad) {
        Err(e @ lossc::Error::Run(lossc::RunError::DimMismatch { .. })) => {
            println!("bad input: {e}")
        }
        other => unreachable!("mismatched sizes are rejected, got {other:?}"),
    }
    Ok(())
}
