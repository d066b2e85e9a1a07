//! Native kernels that call the tile primitives (`backend::tiles`) against
//! the pure-Cranelift code of the scalar level, and their determinism.
//!
//! At AVX2 and above, flat passes with a `softplus` call the logistic pack
//! per tile; at the scalar level (`LOSSC_ISA=scalar`) they compute
//! `e^-|x|`, `log1p` and the division inline. The two differ only in the
//! rounding of `σ` and `softplus` (each within 2 ulp of the exact value), and
//! within a level results do not depend on the thread count. On a CPU
//! without AVX2 both kernels are the scalar level's, and the comparisons
//! hold trivially.

use lossc::backend::cranelift::Cranelift;
use lossc::backend::tiles::{Level, available, detected};
use lossc::native::{Kernel, Precision};
use lossc::{InputView, LossSpec};
use ndarray::{ArrayD, IxDyn};

/// Flat objectives with a `softplus`: bce and focal (W2, W3), a mean
/// softplus times Dice plus focal (the first pass calls the pack and
/// carries `e^-|x|` to the second), a computed
/// logistic base, and a base that itself needs a logistic function (left
/// inline) under one that does not.
const SPECS: [&str; 5] = [
    "bce(pred, target)",
    "focal(pred, target, gamma = 2)",
    "mean(softplus(pred)) * dice(pred, target) + 0.7 * focal(pred, target, gamma = 2)",
    "mean(softplus(2 * pred - 1) + sigmoid(1 - 2 * pred) * target + softplus(-abs(pred)))",
    "mean(sigmoid(sigmoid(pred)) * target + softplus(-pred))",
];

fn spec(body: &str) -> lossc::CompiledLoss {
    let text = format!("input pred: f32[N]\ntarget target: f32[N]\n{body}");
    LossSpec::from_str(&text)
        .unwrap()
        .compile(None, &Default::default())
        .unwrap()
}

fn kernel(loss: &lossc::CompiledLoss, precision: Precision, level: Level) -> Kernel {
    let program = loss.program();
    Kernel::compile(
        &program,
        loss.declared_inputs(),
        precision,
        &Cranelift::at_level(level),
        false,
    )
    .unwrap()
    .0
}

/// Logits with the extremes (±1e4, ±100, ±20, ±0, tiny values) spread over
/// several blocks and tiles (the last tile partial), labels 0 and 1.
fn data(n: usize) -> (ArrayD<f64>, ArrayD<f64>) {
    let special = [
        1e4, -1e4, 100.0, -100.0, 20.0, -20.0, 16.5, -16.5, 0.0, -0.0, 1e-3, -1e-3, 1e-30, 0.5,
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let pred = ArrayD::from_shape_fn(IxDyn(&[n]), |i| {
        let i = i[0];
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        if i % 3 == 0 {
            special[(state >> 33) as usize % special.len()]
        } else {
            ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 40.0
        }
    });
    let target = ArrayD::from_shape_fn(IxDyn(&[n]), |i| {
        let i = i[0];
        ((i * 7 + i / 5) % 2) as f64
    });
    (pred, target)
}

fn eval(k: &Kernel, pred: &ArrayD<f64>, target: &ArrayD<f64>, threads: usize) -> (f64, Vec<f64>) {
    let inputs = [
        ("pred", InputView::from(pred)),
        ("target", InputView::from(target)),
    ];
    let (out, grads) = k.eval(&inputs, threads).unwrap();
    (out.value, grads[0].1.iter().copied().collect())
}

/// Machine epsilon of the kernel's precision.
fn eps(p: Precision) -> f64 {
    match p {
        Precision::F32 => f32::EPSILON as f64,
        Precision::F64 => f64::EPSILON,
    }
}

#[test]
fn the_logistic_pack_agrees_with_the_inline_code_at_extremes() {
    let best = detected();
    let (pred, target) = data(40_009);
    for body in SPECS {
        let loss = spec(body);
        for precision in [Precision::F32, Precision::F64] {
            let inline = kernel(&loss, precision, Level::Scalar);
            let packed = kernel(&loss, precision, best);
            assert!(
                !inline.describe().contains("calls"),
                "{}",
                inline.describe()
            );
            assert_eq!(
                packed.describe().contains("calls logistic"),
                best >= Level::Avx2,
                "{body}: {}",
                packed.describe()
            );
            let (v0, g0) = eval(&inline, &pred, &target, 2);
            let (v1, g1) = eval(&packed, &pred, &target, 2);
            let e = eps(precision);
            assert!(v0.is_finite() && v1.is_finite(), "{body}: {v0} {v1}");
            // Each element's term moves by a few ulp at most; the packed
            // kernel adds each tile's sum to the pass's as a partial, a
            // different order of the same float64 adds, which moves a sum
            // of n terms of one sign by about sqrt(n) float64 ulps.
            let order = 2.0 * (pred.len() as f64).sqrt() * f64::EPSILON;
            assert!(
                (v0 - v1).abs() <= (8.0 * e + order) * v0.abs().max(1e-300),
                "{body} {precision:?}: value {v0} vs {v1}"
            );
            // Gradients: within a few ulp of the element or, where a
            // difference like σ(x) - y cancels, of the largest gradient.
            // Gradients against the float64 reference, in ulps of the
            // element or, where a difference such as `1 - σ(x)` cancels, of
            // the largest gradient: both kernels within the same bound
            // (focal's cancellations amplify σ's last-bit differences to
            // about 9 of these units, at either level).
            let inputs = [
                ("pred", InputView::from(&pred)),
                ("target", InputView::from(&target)),
            ];
            let reference = loss.evaluate(&inputs).unwrap();
            let r: Vec<f64> = reference.gradients[0].1.iter().copied().collect();
            let scale = r.iter().fold(0.0f64, |m, g| m.max(g.abs()));
            for (name, g) in [("inline", &g0), ("packed", &g1)] {
                for (i, (a, r)) in g.iter().zip(&r).enumerate() {
                    assert!(
                        (a - r).abs() <= 16.0 * e * (r.abs() + scale),
                        "{body} {precision:?} {name}: gradient {a} vs {r} at {i} (pred {})",
                        pred[i]
                    );
                }
            }
        }
    }
}

#[test]
fn kernels_with_tile_calls_are_deterministic_across_thread_counts() {
    let (pred, target) = data(100_003);
    for body in SPECS {
        let loss = spec(body);
        for level in available() {
            for precision in [Precision::F32, Precision::F64] {
                let k = kernel(&loss, precision, level);
                let (v, g) = eval(&k, &pred, &target, 1);
                for threads in [2, 3, 8] {
                    let (w, h) = eval(&k, &pred, &target, threads);
                    assert_eq!(v.to_bits(), w.to_bits(), "{body} {level} {threads}");
                    assert!(
                        g.iter().zip(&h).all(|(a, b)| a.to_bits() == b.to_bits()),
                        "{body} {level} {precision:?}: gradients differ at {threads} threads"
                    );
                }
            }
        }
    }
}

#[test]
fn tiled_kernels_match_the_reference_on_short_and_odd_sizes() {
    // Sizes around the tile (256) and the vector steps: an empty tail, a
    // scalar tail only, a partial last tile.
    for n in [1, 3, 8, 255, 256, 257, 263, 513, 16_385] {
        let (pred, target) = data(n);
        let inputs = [
            ("pred", InputView::from(&pred)),
            ("target", InputView::from(&target)),
        ];
        for body in SPECS {
            let loss = spec(body);
            let reference = loss.evaluate(&inputs).unwrap();
            let k = kernel(&loss, Precision::F64, detected());
            let (v, g) = eval(&k, &pred, &target, 2);
            assert!(
                (v - reference.value).abs() <= 1e-12 * (1.0 + reference.value.abs()),
                "{body} n={n}: {v} vs {}",
                reference.value
            );
            for (a, r) in g.iter().zip(reference.gradients[0].1.iter()) {
                assert!(
                    (a - r).abs() <= 1e-12 * (1.0 + r.abs()),
                    "{body} n={n}: {a} vs {r}"
                );
            }
        }
    }
}
