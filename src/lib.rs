//! lossc: a compiler for loss functions.
//!
//! A `.loss` spec is parsed ([`syntax`]), checked and elaborated into a
//! hash-consed IR graph ([`check`], [`ir`]), made numerically stable
//! ([`rewrite`]), differentiated symbolically
//! ([`derive`](mod@derive)) and evaluated on borrowed arrays validated by
//! [`runtime`], by a native kernel ([`native`]) or the float64 reference
//! evaluator ([`eval`]), through one [`Evaluator`] ([`engine`]).
//! See `ARCHITECTURE.md` for the pipeline and the guarantees of each stage.
//!
//! ```
//! use lossc::{Engine, InputView, LossSpec};
//!
//! let (pred, target) = ([1.0f32, 2.0], [0.0f32, 2.0]);
//! let inputs = [
//!     ("pred", InputView::from_slice(&pred, &[2]).unwrap()),
//!     ("target", InputView::from_slice(&target, &[2]).unwrap()),
//! ];
//! let loss = LossSpec::from_str("mse")?.compile_for(None, &inputs)?;
//! let result = loss.evaluator(Engine::Auto)?.evaluate(&inputs)?;
//! assert_eq!(result.value, 0.5);
//! assert_eq!(result.gradient("pred").unwrap().as_slice().unwrap(), &[1.0, 0.0]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Diagnostics are returned by value on the (rare) error path; boxing them buys nothing.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

#[doc(hidden)]
pub mod backend;
pub mod budget;
#[doc(hidden)]
pub mod check;
pub mod data;
#[doc(hidden)]
pub mod derive;
pub mod diag;
pub mod distributed;
#[doc(hidden)]
pub mod doc;
pub mod engine;
#[doc(hidden)]
pub mod eval;
pub mod hessian;
#[doc(hidden)]
pub mod ir;
pub mod labels;
pub mod native;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod plot;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod repl;
#[doc(hidden)]
pub mod rewrite;
pub mod runtime;
pub mod snippet;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod syntax;
pub mod types;

pub use check::InputSig;
pub use diag::CompileError;
pub use engine::{Buffer, Engine, Evaluator, HessianPolicy, Outputs, Running, Values};
pub use runtime::{AsInputs, Data, InputView, Inputs, OwnedInputs, RunError};
pub use types::{DType, Role};

/// The instruction-set level of the tile primitives native kernels compiled
/// now call (`"avx512"`, `"avx2"`, or `"scalar"`: none called): the CPU's
/// best, capped by the environment variable `LOSSC_ISA`.
pub fn native_isa() -> &'static str {
    backend::cranelift::Cranelift::default()
        .effective_level()
        .name()
}

use ir::{Graph, InputInfo, NodeId, Printer};
use ndarray::ArrayD;
use std::collections::HashMap;
use std::path::Path;

/// Any failure of the library. Each variant is a kind callers can match on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec does not compile (a diagnostic with its source location;
    /// [`CompileError::render`] underlines the source).
    #[error("{0}")]
    Compile(#[from] CompileError),
    /// The inputs do not fit the objective, or its evaluation does not fit
    /// the memory budget.
    #[error("{0}")]
    Run(#[from] RunError),
    /// The native code generator does not support the objective (only from
    /// [`Engine::Native`]; [`Engine::Auto`] falls back instead).
    #[error("{0}")]
    Codegen(#[from] native::CodegenError),
    /// A derivative was asked of an input the objective has no gradient for.
    #[error("objective `{objective}` has no gradient with respect to `{input}`; it has gradients for: {}", if available.is_empty() { "nothing".to_string() } else { available.join(", ") })]
    NoGradient {
        /// The objective.
        objective: String,
        /// The input asked for.
        input: String,
        /// The inputs that have gradients.
        available: Vec<String>,
    },
    /// The objective has no differentiated input, so no derivative to show.
    #[error("objective `{objective}` has no differentiated inputs")]
    NotDifferentiated {
        /// The objective.
        objective: String,
    },
    /// The exact Hessian diagonal of this objective is not available
    /// ([`CompiledLoss::with_hessians`]).
    #[error("{0}")]
    Hessian(#[from] hessian::HessianError),
    /// The objective cannot be evaluated from partials merged across
    /// shards ([`CompiledLoss::distributed`]).
    #[error("{0}")]
    Distributed(#[from] distributed::DistributedError),
    /// A distributed call on an objective not compiled for it, or merged
    /// partials of the wrong length.
    #[error("{0}")]
    Partials(String),
    /// A gradient scale naming a dimension the objective does not have
    /// ([`CompiledLoss::with_gradient_scale`]), or asked after
    /// [`CompiledLoss::distributed`].
    #[error("{0}")]
    Scale(String),
}

/// A parsed and name-checked spec, ready to compile any of its objectives.
#[derive(Debug, Clone)]
pub struct LossSpec {
    spec: check::Spec,
}

/// Stack for the front end. Nesting is bounded (see `syntax::MAX_DEPTH`), but
/// a flat sum of tens of thousands of terms is a left-leaning tree as deep as
/// it is long, and inlining multiplies depths; the recursive passes over the
/// AST run on a thread whose stack has room for that (only touched pages
/// are committed).
const COMPILE_STACK: usize = 512 << 20;

fn on_compiler_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(COMPILE_STACK)
            .spawn_scoped(s, work)
            .expect("spawning the compiler thread")
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

impl LossSpec {
    /// Parse and check a spec file (and the files it `use`s).
    pub fn from_file(path: impl AsRef<Path>) -> Result<LossSpec, CompileError> {
        let path = path.as_ref();
        on_compiler_stack(|| {
            let program = syntax::load::load_file(path)?;
            Ok(LossSpec {
                spec: check::Spec::new(program)?,
            })
        })
    }

    /// Parse and check a spec given as text (`use` paths are relative to the
    /// current directory).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<LossSpec, CompileError> {
        LossSpec::from_source("<inline>", text, None)
    }

    /// Parse and check text under a display name, resolving `use` against `base_dir`.
    pub fn from_source(
        name: &str,
        text: &str,
        base_dir: Option<&Path>,
    ) -> Result<LossSpec, CompileError> {
        on_compiler_stack(|| {
            let program = syntax::load::load_str(name, text, base_dir)?;
            Ok(LossSpec {
                spec: check::Spec::new(program)?,
            })
        })
    }

    /// The checked spec (definitions, declarations, objectives).
    pub fn spec(&self) -> &check::Spec {
        &self.spec
    }

    /// Names of the objectives, the default first.
    pub fn objectives(&self) -> Vec<&str> {
        self.spec
            .objectives
            .iter()
            .map(|o| o.name.name.as_str())
            .collect()
    }

    /// Compile one objective (the first when `objective` is `None`) for inputs
    /// of the given signatures; inputs without a signature are inferred.
    pub fn compile(
        &self,
        objective: Option<&str>,
        sigs: &HashMap<String, InputSig>,
    ) -> Result<CompiledLoss, CompileError> {
        let spec = &self.spec;
        let work = move || -> Result<CompiledLoss, CompileError> {
            let mut obj = spec.objective(objective, sigs)?;
            let rewrite::Report { rewrites, warnings } = rewrite::stabilise(&mut obj);
            let sources = &spec.program.sources;
            let explanation = rewrite::explain(&rewrites, sources);
            let warning_text = warnings
                .iter()
                .map(|w| w.render(sources))
                .collect::<Vec<_>>()
                .join("\n");
            let grads = derive::gradients(&mut obj.graph, obj.value);
            let gradients = grads
                .iter()
                .copied()
                .map(|(input, node)| Gradient {
                    input: obj.graph.inputs[input.0 as usize].name.clone(),
                    node,
                })
                .collect();
            let declared = spec.decls.iter().map(|d| d.name.name.clone()).collect();
            let term_nodes = obj.terms.iter().map(|t| t.value).collect();
            Ok(CompiledLoss {
                value_node: obj.value,
                term_nodes,
                gradient_nodes: grads.clone(),
                hessians: Vec::new(),
                hessian_nodes: Vec::new(),
                sharded: Vec::new(),
                partial_nodes: Vec::new(),
                objective: obj,
                gradients,
                declared,
                rewrites,
                warnings,
                explanation,
                warning_text,
                memory_limit: None,
            })
        };
        on_compiler_stack(work)
    }

    /// Compile for the element types and ranks of `inputs`.
    pub fn compile_for(
        &self,
        objective: Option<&str>,
        inputs: &(impl AsInputs + ?Sized),
    ) -> Result<CompiledLoss, CompileError> {
        let sigs = inputs
            .as_inputs()
            .iter()
            .map(|(n, d)| {
                (
                    n.clone(),
                    InputSig {
                        dtype: d.dtype(),
                        rank: d.shape().len(),
                    },
                )
            })
            .collect();
        self.compile(objective, &sigs)
    }

    /// Compile for `inputs` and evaluate value and gradients with the reference evaluator.
    pub fn evaluate(
        &self,
        objective: Option<&str>,
        inputs: &(impl AsInputs + ?Sized),
    ) -> Result<Evaluation, Error> {
        Ok(self.compile_for(objective, inputs)?.evaluate(inputs)?)
    }
}

/// The gradient of the objective with respect to one differentiated input.
#[derive(Debug, Clone)]
pub struct Gradient {
    /// The differentiated input.
    pub input: String,
    /// The gradient's node in the objective's graph (the input's shape).
    pub node: NodeId,
}

/// One objective as an IR graph with its value, terms and gradients.
#[derive(Debug, Clone)]
pub struct CompiledLoss {
    /// The elaborated objective: graph, value, terms, source origins.
    pub objective: check::Objective,
    /// One gradient per differentiated input, in input order.
    pub gradients: Vec<Gradient>,
    /// The value's, terms' and gradients' nodes, as [`ir::Program`] lists
    /// them (the value a NaN constant and no terms [`without_value`](CompiledLoss::without_value)).
    value_node: NodeId,
    term_nodes: Vec<NodeId>,
    gradient_nodes: Vec<(ir::InputId, NodeId)>,
    /// The Hessian diagonals, one per gradient, when compiled
    /// [`with_hessians`](CompiledLoss::with_hessians); else empty.
    pub hessians: Vec<Gradient>,
    hessian_nodes: Vec<(ir::InputId, NodeId)>,
    /// The dimensions a distributed objective is sharded along, and its
    /// partials (see [`distributed`]); empty unless
    /// [`distributed`](CompiledLoss::distributed).
    sharded: Vec<ir::DimId>,
    partial_nodes: Vec<NodeId>,
    declared: Vec<String>,
    /// The stabilising rewrites applied to the user's formulas.
    pub rewrites: Vec<rewrite::Rewrite>,
    /// Hazards no rewrite could remove (warnings, rendered like errors).
    pub warnings: Vec<diag::Diagnostic>,
    explanation: String,
    warning_text: String,
    /// Bytes an evaluation may use; `None` follows [`budget::memory_limit`].
    memory_limit: Option<u64>,
}

/// Value, per-term values, gradients and (when compiled for them) Hessian
/// diagonals of one evaluation, by input name.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The objective.
    pub value: f64,
    /// Per-term values, labelled with their source text.
    pub terms: Vec<(String, f64)>,
    /// Gradients by input name, each with its input's shape.
    pub gradients: Vec<(String, ArrayD<f64>)>,
    /// Empty unless the objective was compiled [`CompiledLoss::with_hessians`].
    pub hessians: Vec<(String, ArrayD<f64>)>,
}

impl Evaluation {
    /// The gradient with respect to `input`.
    pub fn gradient(&self, input: &str) -> Option<&ArrayD<f64>> {
        self.gradients
            .iter()
            .find(|(n, _)| n == input)
            .map(|(_, g)| g)
    }

    /// The Hessian diagonal with respect to `input` (`∂²L/∂x[i]²`, the shape of `x`).
    pub fn hessian(&self, input: &str) -> Option<&ArrayD<f64>> {
        self.hessians
            .iter()
            .find(|(n, _)| n == input)
            .map(|(_, h)| h)
    }
}

impl CompiledLoss {
    /// The objective's name.
    pub fn name(&self) -> &str {
        &self.objective.name
    }

    /// The IR graph of value, terms, gradients (and Hessians).
    pub fn graph(&self) -> &Graph {
        &self.objective.graph
    }

    /// The inputs the objective reads, in graph order.
    pub fn inputs(&self) -> &[InputInfo] {
        &self.objective.graph.inputs
    }

    /// Evaluate value and gradients in float64 with the reference evaluator.
    pub fn evaluate(&self, inputs: &(impl AsInputs + ?Sized)) -> Result<Evaluation, RunError> {
        let inputs = &inputs.as_inputs();
        let graph = &self.objective.graph;
        let dims = runtime::check(graph, &self.objective.name, &self.declared, inputs)?;
        let grads: Vec<&Gradient> = self.gradients.iter().collect();
        let hess: Vec<&Gradient> = self.hessians.iter().collect();
        let roots = self.roots(&grads, &hess);
        let arrays = self.budgeted_widen(inputs, &roots, &dims, "with the reference evaluator")?;
        let values = eval::evaluate(graph, &roots, &arrays, &dims)
            .map_err(|e| labels::exact_label(inputs, e))?;
        Ok(self.assemble(values, &grads, &hess, 1.0))
    }

    /// The nodes a reference evaluation computes: value, terms, then the
    /// nodes of `grads` and `hess`, in this order.
    fn roots(&self, grads: &[&Gradient], hess: &[&Gradient]) -> Vec<NodeId> {
        let mut roots = vec![self.value_node];
        roots.extend(&self.term_nodes);
        roots.extend(grads.iter().chain(hess).map(|g| g.node));
        roots
    }

    /// Check that the caller's arrays, their float64 copies and the
    /// reference evaluator's peak over `roots` fit the memory budget, then
    /// widen the inputs.
    fn budgeted_widen(
        &self,
        inputs: &Inputs<'_>,
        roots: &[NodeId],
        dims: &[usize],
        how: &str,
    ) -> Result<Vec<ArrayD<f64>>, RunError> {
        let graph = &self.objective.graph;
        let needed = eval::peak_bytes(graph, roots, &dims.to_vec())
            .saturating_add(runtime::data_bytes(inputs));
        budget::check_memory(
            || format!("evaluating `{}` {how}", self.objective.name),
            needed,
            self.memory_limit(),
        )?;
        Ok(runtime::widen(graph, inputs))
    }

    /// The evaluation whose roots were [`CompiledLoss::roots`]`(grads, hess)`,
    /// from their values; the arrays of `grads` and `hess` times `scale`.
    fn assemble(
        &self,
        values: Vec<ArrayD<f64>>,
        grads: &[&Gradient],
        hess: &[&Gradient],
        scale: f64,
    ) -> Evaluation {
        let mut values = values.into_iter();
        let scalar = |a: ArrayD<f64>| a.first().copied().unwrap_or(f64::NAN);
        let value = scalar(values.next().unwrap());
        let terms = self
            .objective
            .terms
            .iter()
            .take(self.term_nodes.len())
            .map(|t| (t.label.clone(), scalar(values.next().unwrap())))
            .collect();
        let mut by_input = |list: &[&Gradient]| -> Vec<(String, ArrayD<f64>)> {
            list.iter()
                .map(|g| {
                    let a = values.next().unwrap();
                    (g.input.clone(), if scale == 1.0 { a } else { a * scale })
                })
                .collect()
        };
        let gradients = by_input(grads);
        let hessians = by_input(hess);
        Evaluation {
            value,
            terms,
            gradients,
            hessians,
        }
    }

    /// This objective with the exact Hessian diagonal of every
    /// differentiated input (`h[i] = ∂²L/∂x[i]²`, see [`hessian`]) computed
    /// alongside its gradients, by either engine. An objective whose
    /// diagonal needs more than the diagonal pass can express is an
    /// [`Error::Hessian`] naming the operation.
    pub fn with_hessians(mut self) -> Result<CompiledLoss, Error> {
        if !self.hessians.is_empty() || self.gradient_nodes.is_empty() {
            return Ok(self);
        }
        let graph = &mut self.objective.graph;
        let diagonals = on_compiler_stack(|| {
            hessian::diagonals(graph, self.objective.value, &self.gradient_nodes)
        })?;
        self.hessians = diagonals
            .iter()
            .map(|&(input, node)| Gradient {
                input: self.objective.graph.inputs[input.0 as usize].name.clone(),
                node,
            })
            .collect();
        self.hessian_nodes = diagonals;
        Ok(self)
    }

    /// This objective for a batch sharded along the dimensions `sharded`
    /// (usually `["N"]`) over several processes: see [`distributed`] and
    /// [`Evaluator::partials`] / [`Evaluator::finish`]. Call it after
    /// [`with_hessians`](CompiledLoss::with_hessians) to finish Hessians too.
    pub fn distributed(mut self, sharded: &[&str]) -> Result<CompiledLoss, Error> {
        let mut chosen = Vec::new();
        for &name in sharded {
            match self.named_dim(name) {
                Ok(d) => chosen.push(d),
                Err(available) => {
                    return Err(distributed::DistributedError::UnknownDim {
                        objective: self.objective.name.clone(),
                        dim: name.to_string(),
                        available,
                    }
                    .into());
                }
            }
        }
        if chosen.is_empty() {
            return Err(Error::Partials(
                "a distributed objective needs at least one sharded dimension".into(),
            ));
        }
        self.sharded = chosen;
        let (grads, hess) = self.sharded_outputs();
        let roots = self.roots(&grads, &hess);
        self.partial_nodes = distributed::partials(&self.objective.graph, &roots, &self.sharded)?;
        Ok(self)
    }

    /// This objective evaluated for its gradients (and Hessians) only: the
    /// value and terms are not computed (an evaluation reports the value
    /// as NaN and no terms), so the work that only they need (a softplus's
    /// `log1p` per element of `bce`, a row's `log` of `sparse_cce`) is left
    /// out of the kernels. For gradient boosting, which never reads the
    /// value.
    pub fn without_value(mut self) -> CompiledLoss {
        self.value_node = self.objective.graph.constant_node(f64::NAN);
        self.term_nodes.clear();
        self
    }

    /// Whether the value and terms are computed (see [`without_value`](CompiledLoss::without_value)).
    pub fn computes_value(&self) -> bool {
        self.value_node == self.objective.value
    }

    /// The dimension called `name`, or the list of the named ones.
    fn named_dim(&self, name: &str) -> Result<ir::DimId, String> {
        let graph = &self.objective.graph;
        let dims = (0..graph.num_dims()).map(|d| ir::DimId(d as u32));
        if let Some(d) = dims
            .clone()
            .find(|&d| matches!(graph.dim(d), ir::Dim::Named(n) if n == name))
        {
            return Ok(d);
        }
        Err(dims
            .filter_map(|d| match graph.dim(d) {
                ir::Dim::Named(n) => Some(n.clone()),
                ir::Dim::Fixed(_) => None,
            })
            .collect::<Vec<_>>()
            .join(", "))
    }

    /// This objective with its gradients (and Hessian diagonals) those of
    /// `S · L`, `S` the product of the sizes of the dimensions `dims` (the
    /// value and terms stay `L`'s). Gradient boosting wants derivatives of
    /// the sum over rows of a loss written as a mean: `dims = ["N"]`.
    /// Reverse mode starts from `S` instead of 1, so the scale is one more
    /// scalar the runtime folds in float64 (`N · 1/N` is 1 within one
    /// float64 rounding, and exactly 1 in a float32 kernel) and no
    /// extra pass over the gradients. Call it before
    /// [`distributed`](CompiledLoss::distributed); Hessians already
    /// computed are recomputed. Unknown dimensions are
    /// [`Error::Scale`]; no dimension at all is no scale.
    pub fn with_gradient_scale(mut self, dims: &[&str]) -> Result<CompiledLoss, Error> {
        if !self.sharded.is_empty() {
            return Err(Error::Scale(format!(
                "objective `{}` is already distributed; scale its gradients first",
                self.objective.name
            )));
        }
        let mut chosen = Vec::new();
        for &name in dims {
            let d = self.named_dim(name).map_err(|available| {
                Error::Scale(format!(
                    "objective `{}` has no dimension `{name}` to scale its gradients by (its dimensions: {})",
                    self.objective.name,
                    if available.is_empty() { "none" } else { &available }
                ))
            })?;
            if !chosen.contains(&d) {
                chosen.push(d);
            }
        }
        if chosen.is_empty() {
            return Ok(self);
        }
        let graph = &mut self.objective.graph;
        let shape = graph.shape_id(&chosen);
        let seed = graph.size_node(shape);
        let value = self.objective.value;
        let grads = on_compiler_stack(|| derive::gradients_seeded(graph, value, seed));
        self.gradients = grads
            .iter()
            .map(|&(input, node)| Gradient {
                input: graph.inputs[input.0 as usize].name.clone(),
                node,
            })
            .collect();
        self.gradient_nodes = grads;
        if !self.hessians.is_empty() {
            self.hessians.clear();
            self.hessian_nodes.clear();
            return self.with_hessians();
        }
        Ok(self)
    }

    pub(crate) fn require_distributed(&self) -> Result<(), Error> {
        if self.sharded.is_empty() {
            return Err(Error::Partials(format!(
                "objective `{}` was not compiled for distributed evaluation; call `distributed(&[\"N\"])` first",
                self.objective.name
            )));
        }
        Ok(())
    }

    /// Check one shard's inputs and the memory the reference evaluator
    /// needs for `roots`, then widen the inputs.
    fn bind_shard(
        &self,
        inputs: &Inputs<'_>,
        roots: &[NodeId],
    ) -> Result<(Vec<usize>, Vec<ArrayD<f64>>), Error> {
        let dims = runtime::check_shard(
            &self.objective.graph,
            &self.objective.name,
            &self.declared,
            inputs,
            &self.sharded,
        )?;
        let arrays = self.budgeted_widen(inputs, roots, &dims, "on a shard")?;
        Ok((dims, arrays))
    }

    /// This shard's partials in float64 (the reference evaluator), laid out
    /// as [`CompiledLoss::partials_layout`] says.
    pub(crate) fn shard_partials(&self, inputs: &Inputs<'_>) -> Result<Vec<f64>, Error> {
        self.require_distributed()?;
        let (dims, arrays) = self.bind_shard(inputs, &self.partial_nodes)?;
        let values = eval::evaluate(&self.objective.graph, &self.partial_nodes, &arrays, &dims)
            .map_err(|e| labels::exact_label(inputs, e))
            .map_err(RunError::from)?;
        Ok(values.iter().flat_map(|v| v.iter().copied()).collect())
    }

    /// The global objective's value and terms, and this shard's gradients
    /// (times `grad_scale`) and Hessians, from the merged partials.
    pub(crate) fn finish_shard(
        &self,
        inputs: &Inputs<'_>,
        merged: &[f64],
        grad_scale: f64,
    ) -> Result<Evaluation, Error> {
        self.require_distributed()?;
        let (grads, hess) = self.sharded_outputs();
        let roots = self.roots(&grads, &hess);
        let (dims, arrays) = self.bind_shard(inputs, &roots)?;
        let graph = &self.objective.graph;
        let shape = |n: NodeId| -> Vec<usize> {
            graph
                .shape_of(n)
                .iter()
                .map(|d| dims[d.0 as usize])
                .collect()
        };
        let lens = self
            .partial_nodes
            .iter()
            .map(|&n| shape(n).iter().product());
        let Some(parts) = distributed::split_merged(merged, lens) else {
            return Err(Error::Partials(format!(
                "merged partials have {} entries; objective `{}` has {} for these inputs",
                merged.len(),
                self.objective.name,
                self.partials_len(&dims)
            )));
        };
        let given: Vec<(NodeId, ArrayD<f64>)> = self
            .partial_nodes
            .iter()
            .zip(parts)
            .map(|(&n, part)| {
                let array = ArrayD::from_shape_vec(ndarray::IxDyn(&shape(n)), part.to_vec());
                (n, array.expect("the length is the shape's"))
            })
            .collect();
        let values = eval::evaluate_with(graph, &roots, &arrays, &dims, &given)
            .map_err(|e| labels::exact_label(inputs, e))
            .map_err(RunError::from)?;
        Ok(self.assemble(values, &grads, &hess, grad_scale))
    }

    /// The number of partials for inputs of these dimension sizes.
    fn partials_len(&self, dims: &[usize]) -> usize {
        let g = &self.objective.graph;
        self.partial_nodes
            .iter()
            .map(|&n| {
                g.shape_of(n)
                    .iter()
                    .map(|d| dims[d.0 as usize])
                    .product::<usize>()
            })
            .sum()
    }

    /// Whether an input is split across shards (its shape has a sharded dimension).
    pub(crate) fn is_sharded(&self, input: &str) -> bool {
        let graph = &self.objective.graph;
        graph.inputs.iter().any(|i| {
            i.name == input
                && graph
                    .shape(i.shape)
                    .iter()
                    .any(|d| self.sharded.contains(d))
        })
    }

    /// What a shard finishes besides value and terms: the gradients and
    /// Hessians of its sharded inputs.
    fn sharded_outputs(&self) -> (Vec<&Gradient>, Vec<&Gradient>) {
        let sharded = |g: &&Gradient| self.is_sharded(&g.input);
        (
            self.gradients.iter().filter(sharded).collect(),
            self.hessians.iter().filter(sharded).collect(),
        )
    }

    /// The partials' layout: for each, its expression and shape; the
    /// vector [`Evaluator::partials`] returns holds them in this order,
    /// each flattened (row-major).
    pub fn partials_layout(&self) -> Vec<(String, String)> {
        let g = self.graph();
        self.partial_nodes
            .iter()
            .map(|&n| (ir::format_node(g, n), g.shape_text(g.node(n).shape)))
            .collect()
    }

    /// What is known of each Hessian diagonal's sign, by input: for the
    /// gradient-boosting policy ([`HessianPolicy`]), which needs it positive.
    pub fn hessian_signs(&self) -> Vec<(String, ir::Sign)> {
        self.hessians
            .iter()
            .map(|h| (h.input.clone(), rewrite::sign_of(self.graph(), h.node)))
            .collect()
    }

    /// The simplified Hessian diagonals as readable math (all, or the one for `wrt`).
    pub fn hessian_text(&self, wrt: Option<&str>) -> Result<String, Error> {
        self.formula_text(&self.hessians, wrt, "d2", "^2")
    }

    /// The simplified gradients as readable math (all, or the one for `wrt`).
    pub fn derivative_text(&self, wrt: Option<&str>) -> Result<String, Error> {
        self.formula_text(&self.gradients, wrt, "d", "")
    }

    /// `d{d} name / d input{power} = expr` for each of `list` (or the one for
    /// `wrt`), with shared subexpressions bound first.
    fn formula_text(
        &self,
        list: &[Gradient],
        wrt: Option<&str>,
        d: &str,
        power: &str,
    ) -> Result<String, Error> {
        let chosen: Vec<&Gradient> = list
            .iter()
            .filter(|g| wrt.is_none_or(|w| w == g.input))
            .collect();
        if chosen.is_empty() {
            let objective = self.objective.name.clone();
            return Err(match wrt {
                Some(w) => Error::NoGradient {
                    objective,
                    input: w.to_string(),
                    available: self.gradients.iter().map(|g| g.input.clone()).collect(),
                },
                None => Error::NotDifferentiated { objective },
            });
        }
        let graph = &self.objective.graph;
        let roots: Vec<NodeId> = chosen.iter().map(|g| g.node).collect();
        let printer = Printer::new(graph, &roots);
        let mut out = String::new();
        for (name, expr) in printer.bindings() {
            out.push_str(&format!("{name} = {expr}\n"));
        }
        for g in chosen {
            out.push_str(&format!(
                "{d} {} / d {}{power} = {}\n",
                self.objective.name,
                g.input,
                printer.expr(g.node)
            ));
        }
        Ok(out)
    }

    /// Names of the inputs the spec declares (given but unused ones are not typos).
    /// The stabilising rewrites, one per place, with their source locations
    /// (`lossc check --explain`, `:explain` in the REPL); empty when none.
    pub fn explain(&self) -> &str {
        &self.explanation
    }

    /// The hazard warnings rendered with source snippets; empty when none.
    pub fn render_warnings(&self) -> &str {
        &self.warning_text
    }

    /// Replace the rendered rewrites and warnings ([`snippet`] re-renders
    /// them against the pieces of text the user typed).
    pub(crate) fn set_notes(&mut self, explanation: String, warnings: String) {
        self.explanation = explanation;
        self.warning_text = warnings;
    }

    /// Limit the memory of this objective's evaluations (and of the native
    /// kernels compiled from it) to `bytes`; `None` follows the process-wide
    /// limit ([`budget::memory_limit`]).
    pub fn set_memory_limit(&mut self, bytes: Option<u64>) {
        self.memory_limit = bytes;
    }

    /// The memory limit in bytes that applies to this objective.
    pub fn memory_limit(&self) -> u64 {
        self.memory_limit.unwrap_or_else(budget::memory_limit)
    }

    /// Names of the inputs the spec declares (given but unused ones are not typos).
    pub fn declared_inputs(&self) -> &[String] {
        &self.declared
    }

    /// The objective as the layers below the API read it.
    pub fn program(&self) -> ir::Program<'_> {
        ir::Program {
            name: &self.objective.name,
            graph: &self.objective.graph,
            value: self.value_node,
            terms: &self.term_nodes,
            gradients: &self.gradient_nodes,
            hessians: &self.hessian_nodes,
            shard_sums: &self.partial_nodes,
            sharded: &self.sharded,
        }
    }

    /// Compile to a native kernel (see [`native`]) computing in `precision`,
    /// with the Cranelift backend ([`backend::cranelift`]).
    pub fn native(
        &self,
        precision: native::Precision,
    ) -> Result<native::Kernel, native::CodegenError> {
        self.native_with_listing(precision, false).map(|(k, _)| k)
    }

    /// [`CompiledLoss::native`], keeping each pass's optimised Cranelift IR
    /// and machine code when `listing` is set (`lossc emit`, the REPL's `:clif`).
    pub fn native_with_listing(
        &self,
        precision: native::Precision,
        listing: bool,
    ) -> Result<(native::Kernel, native::Listing), native::CodegenError> {
        let (mut kernel, text) = native::Kernel::compile(
            &self.program(),
            &self.declared,
            precision,
            &backend::cranelift::Cranelift::default(),
            listing,
        )?;
        kernel.set_memory_limit(self.memory_limit);
        Ok((kernel, text))
    }

    /// The value's IR as readable math.
    pub fn value_text(&self) -> String {
        ir::format_node(&self.objective.graph, self.objective.value)
    }
}
