//! One way to evaluate a compiled objective, whichever engine runs it.
//!
//! An [`Evaluator`] is made once from a [`CompiledLoss`] and an [`Engine`]
//! choice, and called as often as you like, from any thread:
//!
//! - [`Engine::Native`] compiles a native kernel ([`crate::codegen`]) or fails
//!   with [`Error::Codegen`] naming what the code generator does not support;
//! - [`Engine::Reference`] uses the float64 reference evaluator (the oracle);
//! - [`Engine::Auto`] (the default) is native where supported, else the
//!   reference evaluator, with the reason kept ([`Evaluator::fallback`]).
//!
//! Inputs are borrowed ([`crate::Inputs`], or anything [`AsInputs`]): an
//! evaluation copies nothing it does not have to. [`Evaluator::evaluate`]
//! returns an [`Evaluation`]; [`Evaluator::evaluate_into`] writes the
//! gradients into caller-owned buffers addressed by input name
//! ([`Outputs`]), allocating nothing for them.
//!
//! ```
//! use lossc::{Engine, InputView, LossSpec, Outputs};
//!
//! let pred = [0.5f32, -1.0, 2.0];
//! let target = [1.0f32, 0.0, 1.0];
//! let inputs = [
//!     ("pred", InputView::from_slice(&pred, &[3]).unwrap()),
//!     ("target", InputView::from_slice(&target, &[3]).unwrap()),
//! ];
//! let loss = LossSpec::from_str("bce")?.compile_for(None, &inputs)?;
//! let evaluator = loss.evaluator(Engine::Auto)?;
//! let mut grad = [0.0f32; 3];
//! let values = evaluator.evaluate_into(&inputs, &mut Outputs::new().gradient("pred", &mut grad[..]))?;
//! assert!(values.value > 0.0 && grad[1] > 0.0);
//! # Ok::<(), lossc::Error>(())
//! ```

use crate::codegen::{Kernel, Precision};
use crate::runtime::{AsInputs, RunError};
use crate::{CompiledLoss, Error, Evaluation};

/// Which engine evaluates an objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// The native kernel where the code generator supports the objective,
    /// else the reference evaluator.
    #[default]
    Auto,
    /// The float64 reference evaluator.
    Reference,
    /// The native kernel; an objective it does not support is an error.
    Native,
}

impl std::str::FromStr for Engine {
    type Err = String;
    fn from_str(s: &str) -> Result<Engine, String> {
        match s {
            "auto" => Ok(Engine::Auto),
            "reference" | "interp" => Ok(Engine::Reference),
            "native" => Ok(Engine::Native),
            _ => Err(format!(
                "unknown engine `{s}`; expected auto, native or reference"
            )),
        }
    }
}

/// The engine an [`Evaluator`] actually runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Running {
    /// A native kernel computing in this precision.
    Native(Precision),
    /// The reference evaluator (float64).
    Reference,
}

impl std::fmt::Display for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Running::Native(Precision::F32) => write!(f, "native f32 kernel"),
            Running::Native(Precision::F64) => write!(f, "native f64 kernel"),
            Running::Reference => write!(f, "reference evaluator, float64"),
        }
    }
}

/// A caller-owned output buffer, in the precision of the engine's results.
#[derive(Debug)]
pub enum Buffer<'a> {
    F32(&'a mut [f32]),
    F64(&'a mut [f64]),
}

impl<'a> From<&'a mut [f32]> for Buffer<'a> {
    fn from(b: &'a mut [f32]) -> Buffer<'a> {
        Buffer::F32(b)
    }
}

impl<'a> From<&'a mut [f64]> for Buffer<'a> {
    fn from(b: &'a mut [f64]) -> Buffer<'a> {
        Buffer::F64(b)
    }
}

impl Buffer<'_> {
    fn len(&self) -> usize {
        match self {
            Buffer::F32(b) => b.len(),
            Buffer::F64(b) => b.len(),
        }
    }

    fn precision(&self) -> Precision {
        match self {
            Buffer::F32(_) => Precision::F32,
            Buffer::F64(_) => Precision::F64,
        }
    }
}

/// Gradient buffers for [`Evaluator::evaluate_into`], addressed by the name
/// of the input each is the gradient of (row-major, the input's length).
#[derive(Debug, Default)]
pub struct Outputs<'a> {
    gradients: Vec<(String, Buffer<'a>)>,
}

impl<'a> Outputs<'a> {
    pub fn new() -> Outputs<'a> {
        Outputs::default()
    }

    /// Write the gradient with respect to `input` into `buffer`.
    pub fn gradient(mut self, input: &str, buffer: impl Into<Buffer<'a>>) -> Outputs<'a> {
        self.gradients.push((input.to_string(), buffer.into()));
        self
    }
}

/// The value and per-term values of an [`Evaluator::evaluate_into`].
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    pub value: f64,
    pub terms: Vec<(String, f64)>,
}

/// A compiled objective bound to an engine; see the [module docs](self).
pub struct Evaluator {
    loss: CompiledLoss,
    kernel: Option<Kernel>,
    fallback: Option<String>,
    threads: usize,
}

impl CompiledLoss {
    /// An evaluator of this objective on `engine` (see [`Engine`]).
    pub fn evaluator(&self, engine: Engine) -> Result<Evaluator, Error> {
        self.clone().into_evaluator(engine)
    }

    /// [`CompiledLoss::evaluator`], consuming the compiled objective.
    pub fn into_evaluator(self, engine: Engine) -> Result<Evaluator, Error> {
        let (kernel, fallback) = match engine {
            Engine::Reference => (None, None),
            Engine::Native => (Some(self.native(self.precision())?), None),
            Engine::Auto => match self.native(self.precision()) {
                Ok(k) => (Some(k), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        Ok(Evaluator {
            loss: self,
            kernel,
            fallback,
            threads: default_threads(),
        })
    }

    /// The precision a native kernel computes in: float64 when any float
    /// input is float64, else float32.
    pub fn precision(&self) -> Precision {
        let f64_input = self.inputs().iter().any(|i| i.dtype == crate::DType::F64);
        if f64_input {
            Precision::F64
        } else {
            Precision::F32
        }
    }
}

/// All cores.
fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

impl Evaluator {
    /// The engine that runs.
    pub fn running(&self) -> Running {
        match &self.kernel {
            Some(k) => Running::Native(k.precision()),
            None => Running::Reference,
        }
    }

    /// Why [`Engine::Auto`] chose the reference evaluator, if it did.
    pub fn fallback(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// Worker threads for native kernels (results do not depend on it).
    pub fn with_threads(mut self, threads: usize) -> Evaluator {
        self.threads = threads.max(1);
        self
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The compiled objective.
    pub fn loss(&self) -> &CompiledLoss {
        &self.loss
    }

    /// The native kernel, when one runs.
    pub fn kernel(&self) -> Option<&Kernel> {
        self.kernel.as_ref()
    }

    /// Value, per-term values and gradients (as float64 arrays of the values
    /// the engine computed).
    pub fn evaluate(&self, inputs: &(impl AsInputs + ?Sized)) -> Result<Evaluation, Error> {
        let Some(kernel) = &self.kernel else {
            return Ok(self.loss.evaluate(inputs)?);
        };
        let (out, gradients) = kernel.eval(inputs, self.threads)?;
        Ok(Evaluation {
            value: out.value,
            terms: self.labelled(out.terms),
            gradients,
        })
    }

    /// Value and per-term values, with every gradient written into the
    /// buffer `outputs` names for it. A native kernel needs buffers of its
    /// precision ([`Evaluator::running`]); the reference evaluator rounds
    /// its float64 results into buffers of either precision.
    pub fn evaluate_into(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        outputs: &mut Outputs<'_>,
    ) -> Result<Values, Error> {
        let names: Vec<&str> = match &self.kernel {
            Some(kernel) => kernel.gradient_inputs(),
            None => self
                .loss
                .gradients
                .iter()
                .map(|g| g.input.as_str())
                .collect(),
        };
        let order = gradient_order(&names, outputs)?;
        match &self.kernel {
            Some(kernel) => self.native_into(kernel, inputs, outputs, &order),
            None => self.reference_into(inputs, outputs, &order),
        }
    }

    fn native_into(
        &self,
        kernel: &Kernel,
        inputs: &(impl AsInputs + ?Sized),
        outputs: &mut Outputs<'_>,
        order: &[usize],
    ) -> Result<Values, Error> {
        let precision = kernel.precision();
        if let Some((_, b)) = outputs
            .gradients
            .iter()
            .find(|(_, b)| b.precision() != precision)
        {
            return Err(RunError::Precision {
                kernel: precision_name(precision).into(),
                buffers: precision_name(b.precision()).into(),
            }
            .into());
        }
        let mut slots: Vec<Option<&mut Buffer<'_>>> =
            outputs.gradients.iter_mut().map(|(_, b)| Some(b)).collect();
        let mut ordered: Vec<&mut Buffer<'_>> = order
            .iter()
            .map(|&k| slots[k].take().expect("one buffer per gradient"))
            .collect();
        let out = match precision {
            Precision::F32 => {
                let mut views: Vec<&mut [f32]> = ordered
                    .iter_mut()
                    .map(|b| match b {
                        Buffer::F32(s) => &mut **s,
                        Buffer::F64(_) => unreachable!("precision checked above"),
                    })
                    .collect();
                kernel.eval_into_f32(inputs, &mut views, self.threads)?
            }
            Precision::F64 => {
                let mut views: Vec<&mut [f64]> = ordered
                    .iter_mut()
                    .map(|b| match b {
                        Buffer::F64(s) => &mut **s,
                        Buffer::F32(_) => unreachable!("precision checked above"),
                    })
                    .collect();
                kernel.eval_into_f64(inputs, &mut views, self.threads)?
            }
        };
        Ok(Values {
            value: out.value,
            terms: self.labelled(out.terms),
        })
    }

    fn reference_into(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        outputs: &mut Outputs<'_>,
        order: &[usize],
    ) -> Result<Values, Error> {
        let result = self.loss.evaluate(inputs)?;
        for ((name, grad), &k) in result.gradients.iter().zip(order) {
            let buffer = &mut outputs.gradients[k].1;
            if buffer.len() != grad.len() {
                return Err(RunError::GradientBufferSize {
                    input: name.clone(),
                    expected: grad.len(),
                    found: buffer.len(),
                }
                .into());
            }
            // Row-major, as the native kernels write them.
            match buffer {
                Buffer::F32(b) => b
                    .iter_mut()
                    .zip(grad.iter())
                    .for_each(|(o, &g)| *o = g as f32),
                Buffer::F64(b) => b.iter_mut().zip(grad.iter()).for_each(|(o, &g)| *o = g),
            }
        }
        Ok(Values {
            value: result.value,
            terms: result.terms,
        })
    }

    fn labelled(&self, values: Vec<f64>) -> Vec<(String, f64)> {
        self.loss
            .objective
            .terms
            .iter()
            .map(|t| t.label.clone())
            .zip(values)
            .collect()
    }
}

/// For each gradient (in the engine's order, `names`), the index of its
/// buffer in `outputs`; every gradient needs exactly one buffer and every
/// buffer must name a gradient.
fn gradient_order(names: &[&str], outputs: &Outputs<'_>) -> Result<Vec<usize>, RunError> {
    for (k, (name, _)) in outputs.gradients.iter().enumerate() {
        if !names.contains(&name.as_str()) {
            return Err(RunError::UnknownGradientBuffer {
                input: name.clone(),
                gradients: names.join(", "),
            });
        }
        if outputs.gradients[..k].iter().any(|(n, _)| n == name) {
            return Err(RunError::DuplicateGradientBuffer {
                input: name.clone(),
            });
        }
    }
    names
        .iter()
        .map(|&name| {
            outputs
                .gradients
                .iter()
                .position(|(n, _)| n == name)
                .ok_or_else(|| RunError::MissingGradientBuffer {
                    input: name.to_string(),
                })
        })
        .collect()
}

fn precision_name(p: Precision) -> &'static str {
    match p {
        Precision::F32 => "f32",
        Precision::F64 => "f64",
    }
}
