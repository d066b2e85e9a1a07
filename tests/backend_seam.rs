//! The seam between the native engine's host and its backends: the host
//! runs whatever a `native::abi::Backend` compiled, and refuses a backend
//! that breaks the contract instead of calling code that is not there.

use lossc::backend::cranelift::Cranelift;
use lossc::native::abi::{Backend, Code, Job};
use lossc::native::{CodegenError, Kernel, Listing, Precision};
use lossc::{InputView, LossSpec};
use ndarray::{ArrayD, IxDyn};
use std::sync::Mutex;

const SPEC: &str = "input z: f64[N, C]\ntarget y: i64[N]\nsparse_cce(z, y) + 0.5 * dice(z, y)";

/// A backend that delegates to Cranelift and records what it was asked.
#[derive(Default)]
struct Recording {
    jobs: Mutex<Vec<(String, usize, Precision)>>,
}

impl Backend for Recording {
    fn name(&self) -> &'static str {
        "recording"
    }

    fn compile(&self, job: &Job<'_>) -> Result<(Box<dyn Code>, Listing), CodegenError> {
        let seen = (job.name.to_string(), job.plan.passes.len(), job.precision);
        self.jobs.lock().unwrap().push(seen);
        Cranelift::default().compile(job)
    }
}

/// A backend that compiles one pass too few.
struct Truncating;

struct Nothing;

impl Code for Nothing {
    fn passes(&self) -> &[lossc::native::PassFn] {
        &[]
    }
}

impl Backend for Truncating {
    fn name(&self) -> &'static str {
        "truncating"
    }

    fn compile(&self, _job: &Job<'_>) -> Result<(Box<dyn Code>, Listing), CodegenError> {
        Ok((Box::new(Nothing), Listing::default()))
    }
}

fn compiled() -> lossc::CompiledLoss {
    LossSpec::from_str(SPEC)
        .unwrap()
        .compile(None, &Default::default())
        .unwrap()
}

#[test]
fn the_host_runs_any_backends_passes() {
    let loss = compiled();
    let backend = Recording::default();
    let program = loss.program();
    let (kernel, _) = Kernel::compile(
        &program,
        loss.declared_inputs(),
        Precision::F64,
        &backend,
        false,
    )
    .unwrap();
    let jobs = backend.jobs.lock().unwrap().clone();
    assert_eq!(jobs.len(), 1, "one compile per kernel");
    assert_eq!(jobs[0].1, kernel.plan().passes.len());
    assert_eq!(jobs[0].2, Precision::F64);

    let z = ArrayD::from_shape_fn(IxDyn(&[7, 3]), |i| (i[0] * 3 + i[1]) as f64 * 0.3 - 2.0);
    let y = ArrayD::from_shape_fn(IxDyn(&[7]), |i| (i[0] % 3) as i64);
    let inputs = [("z", InputView::from(&z)), ("y", InputView::from(&y))];
    let (out, grads) = kernel.eval(&inputs, 2).unwrap();
    let reference = loss.evaluate(&inputs).unwrap();
    assert!((out.value - reference.value).abs() <= 1e-12 * reference.value.abs());
    let (a, b) = (&grads[0].1, &reference.gradients[0].1);
    for (x, r) in a.iter().zip(b) {
        assert!((x - r).abs() <= 1e-12 * (1.0 + r.abs()), "{x} vs {r}");
    }
}

#[test]
fn a_backend_that_drops_passes_is_an_error_not_a_crash() {
    let loss = compiled();
    let program = loss.program();
    let result = Kernel::compile(
        &program,
        loss.declared_inputs(),
        Precision::F32,
        &Truncating,
        false,
    );
    match result {
        Err(CodegenError::Backend(message)) => {
            assert!(
                message.contains("truncating backend compiled 0 of"),
                "{message}"
            )
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("a kernel without its passes was accepted"),
    }
}
