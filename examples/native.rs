//! Compile a loss to native code at run time and use it in a training loop.
//!
//! Run with `cargo run --release --example native`.

use lossc::codegen::Precision;
use lossc::{Data, Inputs, LossSpec};
use ndarray::{ArrayD, IxDyn};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A regression objective with an L2 penalty on the parameters.
    let spec = LossSpec::from_str(
        "input pred: f32[N]\n\
         target target: f32[N]\n\
         param w: f32[K]\n\
         loss main = huber(pred, target, delta = 0.5) + 1e-3 * l2(w)",
    )?;
    let compiled = spec.compile(None, &Default::default())?;
    // Compile once: the kernel serves every batch size and is Send + Sync.
    let kernel = compiled.native(Precision::F32)?;
    println!("passes:\n{}", kernel.describe());

    let n = 100_000;
    let mut w: Vec<f32> = vec![0.5; 16];
    let target: Vec<f32> = (0..n).map(|i| (i as f32 * 1e-4).sin()).collect();
    // Gradient buffers are allocated once and reused by every step.
    let mut grad_pred = vec![0.0f32; n];
    let mut grad_w = vec![0.0f32; w.len()];
    for step in 0..5 {
        let pred: Vec<f32> = (0..n)
            .map(|i| w[i % 16] * (i as f32 * 1e-4).sin() * 1.5)
            .collect();
        let mut inputs = Inputs::new();
        inputs.insert(
            "pred".into(),
            Data::F32(ArrayD::from_shape_vec(IxDyn(&[n]), pred)?),
        );
        inputs.insert(
            "target".into(),
            Data::F32(ArrayD::from_shape_vec(IxDyn(&[n]), target.clone())?),
        );
        inputs.insert(
            "w".into(),
            Data::F32(ArrayD::from_shape_vec(IxDyn(&[w.len()]), w.clone())?),
        );
        let out = kernel.eval_into_f32(
            &inputs,
            &mut [grad_pred.as_mut_slice(), grad_w.as_mut_slice()],
            2,
        )?;
        println!(
            "step {step}: loss {:.6} (huber {:.6}, l2 {:.6})",
            out.value, out.terms[0], out.terms[1]
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
    let mut bad = Inputs::new();
    bad.insert("pred".into(), Data::F32(ArrayD::zeros(IxDyn(&[3]))));
    bad.insert("target".into(), Data::F32(ArrayD::zeros(IxDyn(&[4]))));
    bad.insert("w".into(), Data::F32(ArrayD::zeros(IxDyn(&[16]))));
    match kernel.eval(&bad, 1) {
        Err(e) => println!("bad input: {e}"),
        Ok(_) => unreachable!("mismatched sizes are rejected"),
    }
    Ok(())
}
