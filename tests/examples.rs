//! Every spec in `examples/` checks, and every objective in it compiles and
//! evaluates on synthetic data to a finite value whose terms add up, with
//! gradients that agree with finite differences.

use lossc::ir::Dim;
use lossc::{DType, Data, LossSpec, OwnedInputs};
use ndarray::{ArrayD, Dimension, IxDyn};
use std::collections::HashMap;

const SPECS: &[&str] = &[
    "segmentation",
    "detection",
    "distillation",
    "gan",
    "custom",
    "common",
    "multitask",
];

/// A small deterministic generator (xorshift), so the test needs no extra crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Synthetic data for every input a compiled objective reads: logits and
/// predictions in [-3, 3], float targets in [0, 1], integer labels in [0, 3)
/// (every dimension is at least 3 long), masks half true.
fn synthetic(loss: &lossc::CompiledLoss, seed: u64) -> OwnedInputs {
    let graph = loss.graph();
    let mut rng = Rng(seed);
    let sizes: HashMap<&str, usize> = [("N", 7), ("M", 5), ("C", 4), ("K", 6)]
        .into_iter()
        .collect();
    let mut inputs = OwnedInputs::new();
    for info in loss.inputs() {
        let shape: Vec<usize> = graph
            .shape(info.shape)
            .iter()
            .map(|&d| match graph.dim(d) {
                Dim::Fixed(k) => *k as usize,
                Dim::Named(n) => sizes.get(n.as_str()).copied().unwrap_or(3),
            })
            .collect();
        let count: usize = shape.iter().product();
        let data = match info.dtype {
            DType::F32 | DType::F64 => {
                let values: Vec<f64> = (0..count)
                    .map(|_| {
                        if info.role.is_differentiated() {
                            6.0 * rng.next() - 3.0
                        } else {
                            rng.next()
                        }
                    })
                    .collect();
                Data::F64(ArrayD::from_shape_vec(IxDyn(&shape), values).unwrap())
            }
            DType::I32 | DType::I64 => {
                let values: Vec<i64> = (0..count).map(|_| (rng.next() * 3.0) as i64).collect();
                Data::I64(ArrayD::from_shape_vec(IxDyn(&shape), values).unwrap())
            }
            DType::Bool => {
                let values: Vec<bool> = (0..count).map(|_| rng.next() < 0.5).collect();
                Data::Bool(ArrayD::from_shape_vec(IxDyn(&shape), values).unwrap())
            }
        };
        inputs.insert(info.name.clone(), data);
    }
    inputs
}

/// Every gradient agrees with central finite differences of the value.
fn check_finite_differences(
    path: &str,
    objective: &str,
    loss: &lossc::CompiledLoss,
    inputs: &OwnedInputs,
    result: &lossc::Evaluation,
) {
    let h = 1e-6;
    for (input, grad) in &result.gradients {
        let x = match &inputs[input] {
            Data::F64(a) => a.clone(),
            other => other.to_f64(),
        };
        for (index, &v) in x.indexed_iter() {
            let value_at = |v: f64| {
                let mut moved = inputs.clone();
                let mut a = x.clone();
                a[&index] = v;
                moved.insert(input.clone(), Data::F64(a));
                loss.evaluate(&moved).unwrap().value
            };
            let numeric = (value_at(v + h) - value_at(v - h)) / (2.0 * h);
            let analytic = grad[&index];
            assert!(
                (analytic - numeric).abs() <= 1e-5 * (1.0 + numeric.abs()),
                "{path}: `{objective}`: d/d{input}{:?}: analytic {analytic} vs finite difference {numeric}",
                index.slice()
            );
        }
    }
}

fn check_spec(name: &str) -> usize {
    let path = format!("examples/{name}.loss");
    let spec = LossSpec::from_file(&path)
        .unwrap_or_else(|e| panic!("{path} does not check:\n{}", e.render()));
    let objectives: Vec<String> = spec.objectives().iter().map(|s| s.to_string()).collect();
    for objective in &objectives {
        let loss = spec
            .compile(Some(objective), &Default::default())
            .unwrap_or_else(|e| {
                panic!(
                    "{path}: objective `{objective}` does not compile:\n{}",
                    e.render()
                )
            });
        let inputs = synthetic(&loss, 0x9e37_79b9_7f4a_7c15);
        let result = loss
            .evaluate(&inputs)
            .unwrap_or_else(|e| panic!("{path}: `{objective}`: {e}"));
        assert!(
            result.value.is_finite(),
            "{path}: `{objective}` = {}",
            result.value
        );
        for (input, g) in &result.gradients {
            assert!(
                g.iter().all(|x| x.is_finite()),
                "{path}: `{objective}`: gradient for `{input}` is not finite"
            );
        }
        // Per-term values add up to the total.
        if !result.terms.is_empty() {
            let sum: f64 = result.terms.iter().map(|(_, v)| v).sum();
            assert!(
                (sum - result.value).abs() <= 1e-9 * (1.0 + result.value.abs()),
                "{path}: `{objective}` terms"
            );
        }
        // Compiling for the data's own signatures gives the same value.
        let again = spec.evaluate(Some(objective), &inputs).unwrap();
        assert!((again.value - result.value).abs() <= 1e-12 * (1.0 + result.value.abs()));
        loss.derivative_text(None)
            .unwrap_or_else(|e| panic!("{path}: `{objective}`: {e}"));
        check_finite_differences(&path, objective, &loss, &inputs, &result);
    }
    objectives.len()
}

#[test]
fn every_example_spec_checks_compiles_and_evaluates() {
    for name in SPECS {
        assert!(check_spec(name) >= 1);
    }
}

#[test]
fn examples_define_the_expected_objectives() {
    let objectives = |name: &str| -> Vec<String> {
        LossSpec::from_file(format!("examples/{name}.loss"))
            .unwrap()
            .objectives()
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    assert_eq!(objectives("segmentation"), ["main"]);
    assert_eq!(
        objectives("detection"),
        ["total", "classification", "regression"]
    );
    assert_eq!(
        objectives("distillation"),
        ["distill", "soft", "hard", "distill_t2"]
    );
    assert_eq!(objectives("gan")[..2], ["discriminator", "generator"]);
    assert_eq!(objectives("custom")[0], "quantile90");
}

#[test]
fn segmentation_reports_its_three_terms() {
    let spec = LossSpec::from_file("examples/segmentation.loss").unwrap();
    let loss = spec.compile(None, &Default::default()).unwrap();
    let result = loss.evaluate(&synthetic(&loss, 7)).unwrap();
    let labels: Vec<&str> = result.terms.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["0.7*focal(gamma=2)", "0.3*dice", "1e-4*l2"]);
    let names: Vec<&str> = result.gradients.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["pred", "params"]);
}

#[test]
fn objectives_of_an_imported_file_are_not_the_importers() {
    // `common.loss` checks on its own (with its `demo` objective), and
    // `custom.loss`, which imports it, sees only its definitions.
    let common = LossSpec::from_file("examples/common.loss").unwrap();
    assert_eq!(common.objectives(), ["demo"]);
    let custom = LossSpec::from_file("examples/custom.loss").unwrap();
    assert!(!custom.objectives().contains(&"demo"));
}
