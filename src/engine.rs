//! One way to evaluate a compiled objective, whichever engine runs it.
//!
//! An [`Evaluator`] is made once from a [`CompiledLoss`] and an [`Engine`]
//! choice, and called as often as you like, from any thread:
//!
//! - [`Engine::Native`] compiles a native kernel ([`crate::native`]) or fails
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

use crate::native::{Kernel, Precision};
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

/// What a Hessian diagonal is returned as, for gradient boosting: boosters
/// divide by it, so where the exact diagonal is 0 or negative (piecewise
/// linear losses such as `mae`, `quantile`, `hinge`; non-convex ones) they
/// need a positive stand-in. Applied to every Hessian an evaluation returns.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum HessianPolicy {
    /// The exact diagonal.
    #[default]
    Exact,
    /// The exact diagonal floored at [`HessianPolicy::CLIP_FLOOR`] (as
    /// XGBoost's built-in objectives floor theirs, e.g.
    /// `max(2p(1 - p), 1e-16)` for softprob). NaN stays NaN.
    Clip,
    /// 1 everywhere (as LightGBM's built-in L1 and quantile objectives,
    /// which then refit leaf values).
    Constant,
}

impl HessianPolicy {
    /// The floor of [`HessianPolicy::Clip`].
    pub const CLIP_FLOOR: f64 = 1e-16;

    fn apply(self, h: f64) -> f64 {
        match self {
            HessianPolicy::Exact => h,
            HessianPolicy::Clip if h < Self::CLIP_FLOOR => Self::CLIP_FLOOR,
            HessianPolicy::Clip => h,
            HessianPolicy::Constant => 1.0,
        }
    }
}

impl std::str::FromStr for HessianPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<HessianPolicy, String> {
        match s {
            "exact" => Ok(HessianPolicy::Exact),
            "clip" => Ok(HessianPolicy::Clip),
            "constant" => Ok(HessianPolicy::Constant),
            _ => Err(format!(
                "unknown Hessian policy `{s}`; expected exact, clip or constant"
            )),
        }
    }
}

/// A caller-owned output buffer, in the precision of the engine's results.
#[derive(Debug)]
pub enum Buffer<'a> {
    /// float32 values.
    F32(&'a mut [f32]),
    /// float64 values.
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
    fn apply(&mut self, policy: HessianPolicy) {
        if policy == HessianPolicy::Exact {
            return;
        }
        match self {
            Buffer::F32(b) => b
                .iter_mut()
                .for_each(|h| *h = policy.apply(f64::from(*h)) as f32),
            Buffer::F64(b) => b.iter_mut().for_each(|h| *h = policy.apply(*h)),
        }
    }

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

/// Gradient (and Hessian) buffers for [`Evaluator::evaluate_into`],
/// addressed by the name of the input each belongs to (row-major, the
/// input's length).
#[derive(Debug, Default)]
pub struct Outputs<'a> {
    gradients: Vec<(String, Buffer<'a>)>,
    hessians: Vec<(String, Buffer<'a>)>,
}

impl<'a> Outputs<'a> {
    /// No buffers yet.
    pub fn new() -> Outputs<'a> {
        Outputs::default()
    }

    /// Write the gradient with respect to `input` into `buffer`.
    pub fn gradient(mut self, input: &str, buffer: impl Into<Buffer<'a>>) -> Outputs<'a> {
        self.gradients.push((input.to_string(), buffer.into()));
        self
    }

    /// Write the Hessian diagonal with respect to `input` into `buffer`
    /// (the objective must be compiled [`with_hessians`](CompiledLoss::with_hessians)).
    pub fn hessian(mut self, input: &str, buffer: impl Into<Buffer<'a>>) -> Outputs<'a> {
        self.hessians.push((input.to_string(), buffer.into()));
        self
    }

    /// Every buffer: the gradients', then the Hessians'.
    fn all_mut(&mut self) -> impl Iterator<Item = &mut Buffer<'a>> {
        self.gradients
            .iter_mut()
            .chain(self.hessians.iter_mut())
            .map(|(_, b)| b)
    }
}

/// The value and per-term values of an [`Evaluator::evaluate_into`].
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// The objective.
    pub value: f64,
    /// Per-term values, labelled with their source text.
    pub terms: Vec<(String, f64)>,
}

/// A compiled objective bound to an engine; see the [module docs](self).
pub struct Evaluator {
    loss: CompiledLoss,
    kernel: Option<Kernel>,
    fallback: Option<String>,
    threads: usize,
    policy: HessianPolicy,
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
            policy: HessianPolicy::Exact,
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

    /// Worker threads for native kernels.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// What Hessian diagonals are returned as (default: exact).
    pub fn with_hessian_policy(mut self, policy: HessianPolicy) -> Evaluator {
        self.policy = policy;
        self
    }

    /// What Hessian diagonals are returned as.
    pub fn hessian_policy(&self) -> HessianPolicy {
        self.policy
    }

    /// The compiled objective.
    pub fn loss(&self) -> &CompiledLoss {
        &self.loss
    }

    /// The native kernel, when one runs.
    pub fn kernel(&self) -> Option<&Kernel> {
        self.kernel.as_ref()
    }

    /// Value, per-term values, gradients and Hessian diagonals (as float64
    /// arrays of the values the engine computed).
    pub fn evaluate(&self, inputs: &(impl AsInputs + ?Sized)) -> Result<Evaluation, Error> {
        let mut result = match &self.kernel {
            None => self.loss.evaluate(inputs)?,
            Some(kernel) => {
                let (out, mut gradients) = kernel.eval(inputs, self.threads)?;
                let hessians = gradients.split_off(kernel.gradient_count());
                Evaluation {
                    value: out.value,
                    terms: self.labelled(out.terms),
                    gradients,
                    hessians,
                }
            }
        };
        if self.policy != HessianPolicy::Exact {
            for (_, h) in &mut result.hessians {
                h.mapv_inplace(|x| self.policy.apply(x));
            }
        }
        Ok(result)
    }

    /// Value and per-term values, with every gradient (and Hessian
    /// diagonal) written into the buffer `outputs` names for it. A native
    /// kernel needs buffers of its precision ([`Evaluator::running`]); the
    /// reference evaluator rounds its float64 results into buffers of
    /// either precision.
    pub fn evaluate_into(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        outputs: &mut Outputs<'_>,
    ) -> Result<Values, Error> {
        let grads: Vec<&str> = self
            .loss
            .gradients
            .iter()
            .map(|g| g.input.as_str())
            .collect();
        let hess: Vec<&str> = self
            .loss
            .hessians
            .iter()
            .map(|g| g.input.as_str())
            .collect();
        // Buffer indices in `outputs.all_mut()` order, gradients first.
        let mut order = buffer_order(&grads, &outputs.gradients, Kind::Gradient)?;
        let offset = outputs.gradients.len();
        order.extend(
            buffer_order(&hess, &outputs.hessians, Kind::Hessian)?
                .into_iter()
                .map(|k| k + offset),
        );
        let values = match &self.kernel {
            Some(kernel) => self.native_into(kernel, inputs, outputs, &order)?,
            None => self.reference_into(inputs, outputs, &order)?,
        };
        for (_, b) in &mut outputs.hessians {
            b.apply(self.policy);
        }
        Ok(values)
    }

    fn native_into(
        &self,
        kernel: &Kernel,
        inputs: &(impl AsInputs + ?Sized),
        outputs: &mut Outputs<'_>,
        order: &[usize],
    ) -> Result<Values, Error> {
        let precision = kernel.precision();
        if let Some(b) = outputs.all_mut().find(|b| b.precision() != precision) {
            return Err(RunError::Precision {
                kernel: precision_name(precision).into(),
                buffers: precision_name(b.precision()).into(),
            }
            .into());
        }
        let mut slots: Vec<Option<&mut Buffer<'_>>> = outputs.all_mut().map(Some).collect();
        let mut ordered: Vec<&mut Buffer<'_>> = order
            .iter()
            .map(|&k| slots[k].take().expect("one buffer per output"))
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
        let mut slots: Vec<Option<&mut Buffer<'_>>> = outputs.all_mut().map(Some).collect();
        let arrays = result.gradients.iter().chain(&result.hessians);
        for ((name, array), &k) in arrays.zip(order) {
            let buffer = slots[k].take().expect("one buffer per output");
            if buffer.len() != array.len() {
                return Err(RunError::GradientBufferSize {
                    input: name.clone(),
                    expected: array.len(),
                    found: buffer.len(),
                }
                .into());
            }
            // Row-major, as the native kernels write them.
            match buffer {
                Buffer::F32(b) => b
                    .iter_mut()
                    .zip(array.iter())
                    .for_each(|(o, &g)| *o = g as f32),
                Buffer::F64(b) => b.iter_mut().zip(array.iter()).for_each(|(o, &g)| *o = g),
            }
        }
        Ok(Values {
            value: result.value,
            terms: result.terms,
        })
    }

    /// This shard's partials of a [distributed](CompiledLoss::distributed)
    /// objective: a float64 vector (layout: [`CompiledLoss::partials_layout`])
    /// whose elementwise sum over all shards is what [`Evaluator::finish`]
    /// takes. A native kernel runs its passes (one evaluation's cost).
    pub fn partials(&self, inputs: &(impl AsInputs + ?Sized)) -> Result<Vec<f64>, Error> {
        match &self.kernel {
            Some(kernel) => {
                self.loss.require_distributed()?;
                Ok(kernel.shard_partials(inputs, self.threads)?)
            }
            None => self.loss.shard_partials(&inputs.as_inputs()),
        }
    }

    /// The global objective from the `merged` partials (the elementwise sum
    /// of every shard's [`Evaluator::partials`]): its value and terms, and
    /// this shard's rows of the gradients (times `grad_scale`, 1 unless an
    /// engine averages gradients over ranks) and Hessian diagonals of its
    /// sharded inputs. A native kernel computes in its precision (float32
    /// sums of a float32 kernel are float64 block partials, so the merged
    /// values differ from the whole batch's by float64 rounding only).
    pub fn finish(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        merged: &[f64],
        grad_scale: f64,
    ) -> Result<Evaluation, Error> {
        let mut r = match &self.kernel {
            None => self
                .loss
                .finish_shard(&inputs.as_inputs(), merged, grad_scale)?,
            Some(kernel) => {
                self.loss.require_distributed()?;
                let Some((out, mut outputs)) = kernel.shard_finish(inputs, merged, self.threads)?
                else {
                    return Err(Error::Partials(format!(
                        "merged partials have {} entries, not the length of objective `{}`'s partials for these inputs",
                        merged.len(),
                        self.loss.name()
                    )));
                };
                let hessians = outputs.split_off(kernel.gradient_count());
                // Only the sharded inputs' rows belong to this shard.
                let mine = |list: Vec<(String, ndarray::ArrayD<f64>)>| -> Vec<_> {
                    list.into_iter()
                        .filter(|(n, _)| self.loss.is_sharded(n))
                        .map(|(n, a)| (n, a * grad_scale))
                        .collect()
                };
                Evaluation {
                    value: out.value,
                    terms: self.labelled(out.terms),
                    gradients: mine(outputs),
                    hessians: mine(hessians),
                }
            }
        };
        if self.policy != HessianPolicy::Exact {
            for (_, h) in &mut r.hessians {
                h.mapv_inplace(|x| self.policy.apply(x));
            }
        }
        Ok(r)
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

/// Which outputs a list of buffers is for.
#[derive(Clone, Copy)]
enum Kind {
    Gradient,
    Hessian,
}

/// For each output (the objective's order, `names`), the index of its
/// buffer in `buffers`; every output needs exactly one buffer and every
/// buffer must name an output.
fn buffer_order(
    names: &[&str],
    buffers: &[(String, Buffer<'_>)],
    kind: Kind,
) -> Result<Vec<usize>, RunError> {
    for (k, (name, _)) in buffers.iter().enumerate() {
        if !names.contains(&name.as_str()) {
            return Err(match kind {
                Kind::Gradient => RunError::UnknownGradientBuffer {
                    input: name.clone(),
                    gradients: names.join(", "),
                },
                Kind::Hessian => RunError::UnknownHessianBuffer {
                    input: name.clone(),
                    hessians: names.join(", "),
                },
            });
        }
        if buffers[..k].iter().any(|(n, _)| n == name) {
            return Err(RunError::DuplicateGradientBuffer {
                input: name.clone(),
            });
        }
    }
    names
        .iter()
        .map(|&name| {
            buffers
                .iter()
                .position(|(n, _)| n == name)
                .ok_or_else(|| match kind {
                    Kind::Gradient => RunError::MissingGradientBuffer {
                        input: name.to_string(),
                    },
                    Kind::Hessian => RunError::MissingHessianBuffer {
                        input: name.to_string(),
                    },
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
