//! What the evaluation API costs on top of the kernel: `Evaluator::evaluate_into`
//! (borrowed inputs, buffers by name) against `Kernel::eval_into_f32` on the
//! same data, alternating, on 2^24 float32 elements (W2, bce).
//!
//!     cargo run --release --example api_overhead [-- ELEMENTS THREADS ROUNDS]

use lossc::{Engine, InputView, LossSpec, Outputs};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(1 << 24);
    let threads = args.get(1).copied().unwrap_or(2);
    let rounds = args.get(2).copied().unwrap_or(15);
    let pred: Vec<f32> = (0..n).map(|i| ((i % 1000) as f32 - 500.0) * 0.01).collect();
    let target: Vec<f32> = (0..n).map(|i| (i % 3 == 0) as u8 as f32).collect();
    let inputs = [
        ("pred", InputView::from_slice(&pred, &[n]).unwrap()),
        ("target", InputView::from_slice(&target, &[n]).unwrap()),
    ];
    let loss = LossSpec::from_str("bce")?.compile_for(None, &inputs)?;
    let evaluator = loss.evaluator(Engine::Native)?.with_threads(threads);
    let kernel = loss.native(lossc::native::Precision::F32)?;
    let mut grad = vec![0.0f32; n];
    let (mut api, mut direct) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..rounds {
        let t = Instant::now();
        let mut out = Outputs::new().gradient("pred", grad.as_mut_slice());
        let a = evaluator.evaluate_into(&inputs, &mut out)?.value;
        api = api.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let b = kernel
            .eval_into_f32(&inputs, &mut [grad.as_mut_slice()], threads)?
            .value;
        direct = direct.min(t.elapsed().as_secs_f64());
        assert_eq!(a.to_bits(), b.to_bits());
    }
    println!(
        "{n} elements, {threads} thread(s), best of {rounds}: Evaluator::evaluate_into {:.3} ms, Kernel::eval_into_f32 {:.3} ms, ratio {:.3}",
        api * 1e3,
        direct * 1e3,
        api / direct
    );
    Ok(())
}
