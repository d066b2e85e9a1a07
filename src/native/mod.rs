//! The native engine's host: plans, validates and runs compiled passes.
//!
//! [`Kernel::compile`] turns an [`ir::Program`](Program) (value, terms,
//! gradients and Hessian diagonals as one IR graph) into a [`Kernel`]: a
//! [`schedule::Plan`] of passes, each compiled by a [`Backend`] to one
//! function of the pass ABI ([`abi`]), plus the float64 scalar steps between
//! passes, which run here. Evaluation validates every input in Rust first
//! (shapes, element types, emptiness, memory budget, class labels), so
//! native code only ever sees pointers that cover its whole domain.
//!
//! Layer: execution. This module knows the IR, the plan and the ABI; it does
//! not know Cranelift or any other code generator (they live in
//! [`crate::backend`] and are handed in), nor the API types.
//!
//! **Determinism.** Every pass splits its domain into fixed-size blocks
//! (independent of the thread count); each block writes its own float64
//! partial sums, which are added in block order. Values and gradients are
//! therefore bitwise identical for any number of threads.
//!
//! **Memory.** A kernel owns its code ([`Code`]); dropping it frees the
//! code pages.

pub mod abi;
#[doc(hidden)]
pub mod schedule;

use crate::ir::simplify_eval::{eval_binary, eval_unary};
use crate::ir::{Binary, Dim, Graph, InputId, Kind, NodeId, Op, Program, Reduce};
use crate::runtime::{self, AsInputs, InputView, Inputs, RunError};
use crate::types::DType;
pub use abi::{Backend, Code, PassFn, TableLayout};
use ndarray::{ArrayD, IxDyn};
use schedule::{Domain, Plan, Unsupported};

/// Element type the kernel computes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// float32 (inputs of other float types are converted).
    F32,
    /// float64.
    F64,
}

/// Elements per block of a flat pass (rows per block: this over the row length).
/// Fixed, so that results do not depend on the thread count.
const BLOCK: usize = 16384;

/// A compiled objective: call [`Kernel::eval`] as often as you like, from any thread.
pub struct Kernel {
    plan: Plan,
    /// The first outputs of `plan.gradients` are gradients, the rest
    /// Hessian diagonals.
    gradient_count: usize,
    /// The sharded dimensions of a distributed objective (of the plan's graph).
    sharded: Vec<crate::ir::DimId>,
    layout: TableLayout,
    precision: Precision,
    objective: String,
    declared: Vec<String>,
    /// Bytes an evaluation may use; `None` follows the process-wide limit.
    memory_limit: Option<u64>,
    /// The compiled passes, one per plan pass; owns their memory (no pass
    /// can run once the kernel is dropped: `eval` borrows it).
    code: Box<dyn Code>,
}

// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    #[error("code generation failed: {0}")]
    Backend(String),
}

/// What `lossc emit` shows of each pass, when [`Kernel::compile`] is asked
/// for a listing.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The backend's optimised intermediate code of every pass (Cranelift
    /// IR for the Cranelift backend).
    pub ir: Vec<String>,
    /// The machine code of every pass, as the backend disassembles it.
    pub asm: Vec<String>,
}

/// Value, per-term values and gradients computed by a kernel.
#[derive(Debug, Clone)]
pub struct KernelOutput {
    /// The objective.
    pub value: f64,
    /// Per-term values, in the objective's term order.
    pub terms: Vec<f64>,
}

impl Kernel {
    /// Compile `program` to native code computing in `precision`; with
    /// `listing`, keep each pass's optimised Cranelift IR and machine code
    /// for `lossc emit` (producing them costs about a tenth of the compile
    /// time). `declared` names the inputs the spec declares (given but
    /// unused, they are not typos).
    pub fn compile(
        program: &Program<'_>,
        declared: &[String],
        precision: Precision,
        backend: &dyn Backend,
        listing: bool,
    ) -> Result<(Kernel, Listing), CodegenError> {
        // Hessian diagonals are outputs like gradients, after them.
        let outputs: Vec<(InputId, NodeId)> = program
            .gradients
            .iter()
            .chain(program.hessians)
            .copied()
            .collect();
        let plan = schedule::plan(
            program.graph,
            program.value,
            program.terms,
            &outputs,
            program.shard_sums,
        )?;
        check_shard_sums(&plan)?;
        let sharded = plan_dims(program, &plan.graph);
        let layout = TableLayout {
            inputs: plan.graph.inputs.len(),
            outputs: plan.gradients.len(),
            class_values: plan.class_values.len(),
        };
        let job = abi::Job {
            plan: &plan,
            layout,
            precision,
            name: program.name,
            listing,
        };
        let (code, listing) = backend.compile(&job)?;
        if code.passes().len() != plan.passes.len() {
            return Err(CodegenError::Backend(format!(
                "the {} backend compiled {} of {} passes",
                backend.name(),
                code.passes().len(),
                plan.passes.len()
            )));
        }
        let kernel = Kernel {
            gradient_count: program.gradients.len(),
            sharded,
            plan,
            layout,
            precision,
            objective: program.name.to_string(),
            declared: declared.to_vec(),
            memory_limit: None,
            code,
        };
        Ok((kernel, listing))
    }

    /// The element type the kernel computes in.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// A one-paragraph description of the passes (for `lossc emit`).
    pub fn describe(&self) -> String {
        let g = self.graph();
        let mut out = String::new();
        for (k, p) in self.plan.passes.iter().enumerate() {
            let domain = match p.domain {
                Domain::Flat { shape } => format!("flat loop over {}", g.shape_text(shape)),
                Domain::Rows { shape, .. } => format!(
                    "rows loop over {} ({} class-axis phase loop(s) per row)",
                    g.shape_text(shape),
                    p.phases.len()
                ),
            };
            // `d/d x` for a gradient, `d2/d x2` for a Hessian diagonal.
            let output_name = |k: usize| {
                let name = &g.inputs[self.plan.gradients[k].0.0 as usize].name;
                if k < self.gradient_count {
                    format!("d/d {name}")
                } else {
                    format!("d2/d {name}^2")
                }
            };
            let outs: Vec<String> = p.outputs.iter().map(|&(k, _)| output_name(k)).collect();
            let class_sums = match p.class_sums.len() {
                0 => String::new(),
                n => format!(", {n} per-class sum(s)"),
            };
            let carries: String = p
                .carry_out
                .iter()
                .map(|&(_, k)| format!("; leaves e^-|x| in {}", output_name(k)))
                .chain(
                    p.carry_in
                        .iter()
                        .map(|&(_, k)| format!("; reads e^-|x| back from {}", output_name(k))),
                )
                .collect();
            let calls = match self.code.calls(k) {
                [] => String::new(),
                calls => format!("; calls {} per tile", calls.join(", ")),
            };
            out.push_str(&format!(
                "pass {k}: {domain}; {} sum(s){class_sums}{}{carries}{calls}\n",
                p.sums.len(),
                if outs.is_empty() {
                    String::new()
                } else {
                    format!("; writes {}", outs.join(", "))
                }
            ));
        }
        out
    }

    /// The execution plan: passes, scalars and class values.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    fn graph(&self) -> &Graph {
        &self.plan.graph
    }

    /// Limit the memory of this kernel's evaluations to `bytes` (`None`:
    /// the process-wide limit, see [`crate::budget`]).
    pub fn set_memory_limit(&mut self, bytes: Option<u64>) {
        self.memory_limit = bytes;
    }

    /// The memory limit in bytes that applies to this kernel.
    pub fn memory_limit(&self) -> u64 {
        self.memory_limit
            .unwrap_or_else(crate::budget::memory_limit)
    }

    /// The budget of one evaluation, before anything is allocated: every
    /// pass's domain must fit the work bound, and the caller's arrays, their
    /// conversions to the kernel's layout, the label check's float64 copies,
    /// the block partials and (when `eval` allocates them) the gradients with
    /// their float64 copies must fit the memory limit.
    fn check_budget(
        &self,
        inputs: &Inputs<'_>,
        dims: &[usize],
        allocates_gradients: bool,
    ) -> Result<(), RunError> {
        use crate::budget::{check_memory, check_work, saturating_product};
        let g = self.graph();
        let limit = self.memory_limit();
        let elements = |shape: crate::ir::ShapeId| {
            saturating_product(g.shape(shape).iter().map(|d| dims[d.0 as usize] as u64))
        };
        let elem = self.elem_bytes() as u64;
        let mut partials = 0u64;
        for (k, pass) in self.plan.passes.iter().enumerate() {
            let domain = pass.domain.shape();
            let n = elements(domain);
            check_work(
                || {
                    format!(
                        "pass {k} of `{}` over {}",
                        self.objective,
                        g.shape_text(domain)
                    )
                },
                n,
                limit,
            )?;
            // As `run_pass` splits the domain: blocks of elements, or of rows.
            let (classes, blocks) = match pass.domain {
                Domain::Rows { classes, .. } => {
                    let c = (dims[classes.0 as usize] as u64).max(1);
                    let per_block = (BLOCK as u64 / c).max(1);
                    (c, (n / c).div_ceil(per_block))
                }
                Domain::Flat { .. } => (0, n.div_ceil(BLOCK as u64)),
            };
            let sums = (pass.sums.len() as u64)
                .saturating_add((pass.class_sums.len() as u64).saturating_mul(classes));
            partials = partials.max(blocks.saturating_mul(sums.max(1)).saturating_mul(8));
        }
        let mut needed = runtime::data_bytes(inputs).saturating_add(partials);
        for info in &g.inputs {
            needed = needed.saturating_add(elements(info.shape).saturating_mul(8));
        }
        if allocates_gradients {
            let mut largest = 0u64;
            for &(i, _) in &self.plan.gradients {
                let n = elements(g.inputs[i.0 as usize].shape);
                needed = needed.saturating_add(n.saturating_mul(elem));
                largest = largest.max(n);
            }
            needed = needed.saturating_add(largest.saturating_mul(8));
        }
        check_memory(
            || format!("evaluating `{}` with the native kernel", self.objective),
            needed,
            limit,
        )?;
        Ok(())
    }

    /// Evaluate value and gradients; gradients are returned as float64 arrays
    /// (of the values the kernel computed in its precision).
    pub fn eval(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        threads: usize,
    ) -> Result<(KernelOutput, Vec<(String, ArrayD<f64>)>), RunError> {
        let inputs = &inputs.as_inputs();
        let dims = self.check(inputs, true)?;
        self.eval_shard(inputs, &dims, threads, &mut Shard::Whole)
    }

    /// This shard's partials of a distributed objective (see
    /// [`crate::distributed`]), flattened in order; the kernel runs every
    /// pass, so this costs one evaluation.
    pub fn shard_partials(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        threads: usize,
    ) -> Result<Vec<f64>, RunError> {
        let inputs = &inputs.as_inputs();
        let dims = self.check(inputs, true)?;
        let mut shard = Shard::Capture(vec![Vec::new(); self.plan.shard_sums.len()]);
        self.eval_shard(inputs, &dims, threads, &mut shard)?;
        let Shard::Capture(seen) = shard else {
            unreachable!("still capturing")
        };
        Ok(seen.concat())
    }

    /// The objective on this shard with the partials replaced by `merged`
    /// (the elementwise sum of every shard's [`Kernel::shard_partials`]):
    /// the global value and terms, and this shard's outputs. `None` when
    /// `merged` does not have the partials' length for these inputs.
    #[allow(clippy::type_complexity)]
    pub fn shard_finish(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        merged: &[f64],
        threads: usize,
    ) -> Result<Option<(KernelOutput, Vec<(String, ArrayD<f64>)>)>, RunError> {
        let inputs = &inputs.as_inputs();
        let dims = self.check(inputs, true)?;
        let lens = self
            .plan
            .shard_sums
            .iter()
            .map(|&n| self.shape_len(self.graph().node(n).shape, &dims));
        let Some(parts) = crate::distributed::split_merged(merged, lens) else {
            return Ok(None);
        };
        let parts: Vec<Vec<f64>> = parts.into_iter().map(<[f64]>::to_vec).collect();
        self.eval_shard(inputs, &dims, threads, &mut Shard::Merged(&parts))
            .map(Some)
    }

    /// Allocate every output, run, and return them as float64 arrays.
    fn eval_shard(
        &self,
        inputs: &Inputs<'_>,
        dims: &[usize],
        threads: usize,
        shard: &mut Shard<'_>,
    ) -> Result<(KernelOutput, Vec<(String, ArrayD<f64>)>), RunError> {
        let dims = dims.to_vec();
        let mut outs: Vec<Vec<u8>> = self
            .plan
            .gradients
            .iter()
            .map(|&(i, _)| vec![0u8; self.input_len(i, &dims) * self.elem_bytes()])
            .collect();
        let mut slices: Vec<&mut [u8]> = outs.iter_mut().map(|v| v.as_mut_slice()).collect();
        let out = self.run(inputs, &dims, &mut slices, threads, shard)?;
        let grads = self
            .plan
            .gradients
            .iter()
            .zip(outs)
            .map(|(&(i, _), bytes)| {
                let shape: Vec<usize> = self
                    .graph()
                    .shape(self.graph().inputs[i.0 as usize].shape)
                    .iter()
                    .map(|d| dims[d.0 as usize])
                    .collect();
                let values: Vec<f64> = match self.precision {
                    Precision::F32 => bytes
                        .chunks_exact(4)
                        .map(|c| f32::from_ne_bytes(c.try_into().unwrap()) as f64)
                        .collect(),
                    Precision::F64 => bytes
                        .chunks_exact(8)
                        .map(|c| f64::from_ne_bytes(c.try_into().unwrap()))
                        .collect(),
                };
                (
                    self.graph().inputs[i.0 as usize].name.clone(),
                    ArrayD::from_shape_vec(IxDyn(&shape), values).unwrap(),
                )
            })
            .collect();
        Ok((out, grads))
    }

    /// Evaluate into caller-owned gradient buffers (one per differentiated
    /// input, in [`Kernel::gradient_inputs`] order), allocating nothing for them.
    pub fn eval_into_f32(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        grads: &mut [&mut [f32]],
        threads: usize,
    ) -> Result<KernelOutput, RunError> {
        self.eval_into(Precision::F32, &inputs.as_inputs(), grads, threads)
    }

    /// [`Kernel::eval_into_f32`] for float64 kernels.
    pub fn eval_into_f64(
        &self,
        inputs: &(impl AsInputs + ?Sized),
        grads: &mut [&mut [f64]],
        threads: usize,
    ) -> Result<KernelOutput, RunError> {
        self.eval_into(Precision::F64, &inputs.as_inputs(), grads, threads)
    }

    /// Shared body of the `eval_into_*` methods; `T` is the float type of `buffers`.
    fn eval_into<T: Copy>(
        &self,
        buffers: Precision,
        inputs: &Inputs<'_>,
        grads: &mut [&mut [T]],
        threads: usize,
    ) -> Result<KernelOutput, RunError> {
        let name = |p: Precision| if p == Precision::F32 { "f32" } else { "f64" };
        if self.precision != buffers {
            return Err(RunError::Precision {
                kernel: name(self.precision).into(),
                buffers: name(buffers).into(),
            });
        }
        let dims = self.check(inputs, false)?;
        self.check_buffers(grads.iter().map(|g| g.len()), &dims)?;
        let mut bytes: Vec<&mut [u8]> = grads
            .iter_mut()
            .map(|g| {
                let len = std::mem::size_of_val(&**g);
                // SAFETY: f32/f64 have no invalid bit patterns and u8 no alignment needs.
                unsafe { std::slice::from_raw_parts_mut(g.as_mut_ptr() as *mut u8, len) }
            })
            .collect();
        self.run(inputs, &dims, &mut bytes, threads, &mut Shard::Whole)
    }

    /// Number of elements of each gradient for these inputs (validating them).
    pub fn gradient_lens(&self, inputs: &(impl AsInputs + ?Sized)) -> Result<Vec<usize>, RunError> {
        let dims = self.check(&inputs.as_inputs(), false)?;
        Ok(self
            .plan
            .gradients
            .iter()
            .map(|&(i, _)| self.input_len(i, &dims))
            .collect())
    }

    /// How many of the outputs ([`Kernel::gradient_inputs`]) are gradients;
    /// the ones after them are Hessian diagonals, in the same input order.
    pub fn gradient_count(&self) -> usize {
        self.gradient_count
    }

    /// The input of each output buffer, in order: the gradients, then the
    /// Hessian diagonals (when compiled with them).
    pub fn gradient_inputs(&self) -> Vec<&str> {
        self.plan
            .gradients
            .iter()
            .map(|&(i, _)| self.graph().inputs[i.0 as usize].name.as_str())
            .collect()
    }

    fn check_buffers(
        &self,
        lens: impl Iterator<Item = usize>,
        dims: &[usize],
    ) -> Result<(), RunError> {
        let lens: Vec<usize> = lens.collect();
        if lens.len() != self.plan.gradients.len() {
            return Err(RunError::GradientBuffers {
                expected: self.plan.gradients.len(),
                found: lens.len(),
            });
        }
        for (&(i, _), len) in self.plan.gradients.iter().zip(lens) {
            let want = self.input_len(i, dims);
            if want != len {
                return Err(RunError::GradientBufferSize {
                    input: self.graph().inputs[i.0 as usize].name.clone(),
                    expected: want,
                    found: len,
                });
            }
        }
        Ok(())
    }

    fn elem_bytes(&self) -> usize {
        match self.precision {
            Precision::F32 => 4,
            Precision::F64 => 8,
        }
    }

    fn input_len(&self, i: InputId, dims: &[usize]) -> usize {
        self.graph()
            .shape(self.graph().inputs[i.0 as usize].shape)
            .iter()
            .map(|d| dims[d.0 as usize])
            .product()
    }

    fn shape_len(&self, shape: crate::ir::ShapeId, dims: &[usize]) -> usize {
        self.graph()
            .shape(shape)
            .iter()
            .map(|d| dims[d.0 as usize])
            .product()
    }

    /// Validate inputs and the budget; returns dimension sizes.
    fn check(
        &self,
        inputs: &Inputs<'_>,
        allocates_gradients: bool,
    ) -> Result<Vec<usize>, RunError> {
        let mut dims = runtime::check_shard(
            self.graph(),
            &self.objective,
            &self.declared,
            inputs,
            &self.sharded,
        )?;
        for (d, size) in dims.iter_mut().enumerate() {
            if let Dim::Fixed(k) = self.graph().dim(crate::ir::DimId(d as u32)) {
                *size = usize::try_from(*k).unwrap_or(usize::MAX);
            }
        }
        self.check_budget(inputs, &dims, allocates_gradients)?;
        crate::labels::check_labels(self.graph(), inputs, &dims)?;
        Ok(dims)
    }

    /// Run every pass and the scalar steps between them.
    fn run(
        &self,
        inputs: &Inputs<'_>,
        dims: &[usize],
        outputs: &mut [&mut [u8]],
        threads: usize,
        shard: &mut Shard<'_>,
    ) -> Result<KernelOutput, RunError> {
        let g = self.graph();
        // Inputs in the kernel's layout: borrowed when they already are, converted otherwise.
        let mut owned: Vec<Vec<u8>> = Vec::new();
        let mut table = vec![0u64; self.layout.slots()];
        let mut converted: Vec<(usize, usize)> = Vec::new();
        for (k, info) in g.inputs.iter().enumerate() {
            if g.input_node(InputId(k as u32)).is_none() {
                continue;
            }
            let data = &inputs[&info.name];
            let as_float = self.plan.ints_as_floats[k];
            let direct = if as_float {
                None
            } else {
                as_kernel_bytes(data, self.precision)
            };
            match direct {
                Some(ptr) => table[self.layout.input(k)] = ptr as u64,
                None => {
                    let kind = if as_float {
                        Kind::Float
                    } else {
                        g.kind(g.input_node(InputId(k as u32)).unwrap())
                    };
                    owned.push(to_kernel_bytes(data, self.precision, kind));
                    converted.push((k, owned.len() - 1));
                }
            }
        }
        for (k, i) in converted {
            table[self.layout.input(k)] = owned[i].as_ptr() as u64;
        }
        for (k, out) in outputs.iter_mut().enumerate() {
            table[self.layout.output(k)] = out.as_mut_ptr() as u64;
        }
        let mut scalars = vec![0.0f64; self.plan.scalars.len()];
        let dims_u64: Vec<u64> = dims.iter().map(|&d| d as u64).collect();
        table[self.layout.dims()] = dims_u64.as_ptr() as u64;
        let mut done = vec![false; g.len()];
        let mut rt = Runtime {
            scalars: &mut scalars,
            classes: vec![Vec::new(); self.plan.class_values.len()],
            copies: vec![Vec::new(); self.plan.class_values.len()],
            done: &mut done,
        };
        for (k, pass) in self.plan.passes.iter().enumerate() {
            self.runtime_steps(inputs, dims, &mut rt, shard);
            for (j, copy) in rt.copies.iter().enumerate() {
                table[self.layout.class_value(j)] = copy.as_ptr() as u64;
            }
            table[self.layout.scalars()] = rt.scalars.as_ptr() as u64;
            let (sums, class_sums) = self.run_pass(k, &table, dims, threads);
            for (j, &s) in pass.sums.iter().enumerate() {
                rt.scalars[self.plan.slot[&s]] = shard.value(&self.plan, s, vec![sums[j]])[0];
                rt.done[s.0 as usize] = true;
            }
            for (&s, v) in pass.class_sums.iter().zip(class_sums) {
                let v = shard.value(&self.plan, s, v);
                rt.set_class(self.plan.class_slot[&s], v, self.precision);
                rt.done[s.0 as usize] = true;
            }
        }
        self.runtime_steps(inputs, dims, &mut rt, shard);
        // Gradients that are class values (a `[C]` parameter's): copy.
        for (k, &(_, node)) in self.plan.gradients.iter().enumerate() {
            if let Some(&j) = self.plan.class_slot.get(&node) {
                let bytes = &rt.copies[j];
                outputs[k][..bytes.len()].copy_from_slice(bytes);
            }
        }
        // Gradients that are a broadcast scalar (or a scalar): fill.
        for (k, &(input, node)) in self.plan.gradients.iter().enumerate() {
            let scalar = match g.node(node).op {
                Op::Broadcast(a) if g.shape_of(a).is_empty() => Some(a),
                _ if g.shape_of(node).is_empty() => Some(node),
                _ => None,
            };
            if let Some(s) = scalar {
                let v = scalars[self.plan.slot[&s]];
                let n = self.input_len(input, dims);
                fill(outputs[k], n, v, self.precision);
            }
        }
        let value = scalars[self.plan.slot[&self.plan.value]];
        let terms = self
            .plan
            .terms
            .iter()
            .map(|t| scalars[self.plan.slot[t]])
            .collect();
        Ok(KernelOutput { value, terms })
    }

    /// Compute, in float64, every scalar and class value whose arguments
    /// are known (`plan.runtime_order` is in dependency order, so one sweep
    /// suffices).
    fn runtime_steps(
        &self,
        inputs: &Inputs<'_>,
        dims: &[usize],
        rt: &mut Runtime,
        shard: &mut Shard<'_>,
    ) {
        let g = self.graph();
        for &n in &self.plan.runtime_order {
            if rt.done[n.0 as usize]
                || schedule::is_class_sum(g, n)
                || !g.args(n).all(|a| rt.done[a.0 as usize])
            {
                continue;
            }
            let scalar = g.shape_of(n).is_empty();
            if scalar
                && matches!(g.node(n).op, Op::Reduce(_, a) if !self.plan.class_slot.contains_key(&a))
            {
                continue; // produced by a pass
            }
            let values = self.runtime_value(n, inputs, dims, rt);
            let values = shard.value(&self.plan, n, values);
            if scalar {
                rt.scalars[self.plan.slot[&n]] = values[0];
            } else {
                rt.set_class(self.plan.class_slot[&n], values, self.precision);
            }
            rt.done[n.0 as usize] = true;
        }
    }

    /// One runtime node's value: one number for a scalar, one per class for
    /// a class value (scalar arguments broadcast).
    fn runtime_value(
        &self,
        n: NodeId,
        inputs: &Inputs<'_>,
        dims: &[usize],
        rt: &Runtime,
    ) -> Vec<f64> {
        let g = self.graph();
        let len = match g.shape_of(n) {
            [] => 1,
            [c] => dims[c.0 as usize],
            _ => unreachable!("runtime values are scalars or per class"),
        };
        let arg = |k: usize| -> &[f64] {
            let a = g.args(n).nth(k).unwrap();
            match self.plan.class_slot.get(&a) {
                Some(&j) => &rt.classes[j],
                None => std::slice::from_ref(&rt.scalars[self.plan.slot[&a]]),
            }
        };
        let at = |v: &[f64], i: usize| if v.len() == 1 { v[0] } else { v[i] };
        match g.node(n).op {
            Op::Const(bits) => vec![f64::from_bits(bits); len],
            Op::ConstArray(k) => g.array(k).to_vec(),
            Op::Input(k) => {
                let data = inputs[&g.inputs[k.0 as usize].name].to_f64();
                let flat: Vec<f64> = data.iter().copied().collect();
                if flat.len() == len {
                    flat
                } else {
                    vec![flat.first().copied().unwrap_or(f64::NAN); len]
                }
            }
            Op::Size(s) => vec![self.shape_len(s, dims) as f64],
            Op::Unary(f, _) => arg(0).iter().map(|&x| eval_unary(f, x)).collect(),
            Op::Binary(op, _, _) => {
                let (x, y) = (arg(0), arg(1));
                (0..len)
                    .map(|i| eval_binary(op, at(x, i), at(y, i)))
                    .collect()
            }
            Op::Select(..) => {
                let (c, x, y) = (arg(0), arg(1), arg(2));
                (0..len)
                    .map(|i| if at(c, i) != 0.0 { at(x, i) } else { at(y, i) })
                    .collect()
            }
            Op::Broadcast(_) => {
                let x = arg(0);
                (0..len).map(|i| at(x, i)).collect()
            }
            // A sum or max of a class value over the classes, in class order.
            Op::Reduce(Reduce::Sum, _) => vec![arg(0).iter().fold(0.0, |a, &x| a + x)],
            Op::Reduce(Reduce::MaxLast, _) => {
                let max = |m, &x| eval_binary(Binary::Max, m, x);
                vec![arg(0).iter().fold(f64::NEG_INFINITY, max)]
            }
            _ => unreachable!("the scheduler admits no other runtime operations"),
        }
    }

    /// Run pass `k` over fixed blocks on `threads` threads; returns its
    /// global sums and class sums, each combined over blocks in block order.
    fn run_pass(
        &self,
        k: usize,
        table: &[u64],
        dims: &[usize],
        threads: usize,
    ) -> (Vec<f64>, Vec<Vec<f64>>) {
        let pass = &self.plan.passes[k];
        let f = self.code.passes()[k];
        let (total, per_block, classes) = match pass.domain {
            Domain::Flat { shape } => (self.shape_len(shape, dims), BLOCK, 0),
            Domain::Rows { shape, classes, .. } => {
                let c = dims[classes.0 as usize];
                (
                    self.shape_len(shape, dims) / c.max(1),
                    (BLOCK / c.max(1)).max(1),
                    c,
                )
            }
        };
        let blocks = total.div_ceil(per_block);
        if blocks == 0 {
            // An empty shard of a distributed objective: its sums are 0.
            return (
                vec![0.0; pass.sums.len()],
                vec![vec![0.0; classes]; pass.class_sums.len()],
            );
        }
        // Per block: the global sums, then `classes` slots per class sum.
        let nsums = pass.sums.len() + pass.class_sums.len() * classes;
        let mut partials = vec![0.0f64; blocks * nsums.max(1)];
        let threads = threads.max(1).min(blocks.max(1));
        let per_thread = blocks.div_ceil(threads);
        let table_ptr = table.as_ptr() as usize;
        std::thread::scope(|s| {
            for (t, chunk) in partials.chunks_mut(per_thread * nsums.max(1)).enumerate() {
                let mut run = move || {
                    for (j, slot) in chunk.chunks_mut(nsums.max(1)).enumerate() {
                        let b = t * per_thread + j;
                        let begin = b * per_block;
                        let end = (begin + per_block).min(total);
                        // SAFETY: the table's pointers cover the whole domain
                        // (validated in `check`); blocks write disjoint gradient
                        // ranges and their own partial slots.
                        unsafe {
                            f(
                                table_ptr as *const u64,
                                begin as u64,
                                end as u64,
                                slot.as_mut_ptr(),
                            )
                        };
                    }
                };
                if t + 1 == threads || threads == 1 {
                    run();
                } else {
                    s.spawn(run);
                }
            }
        });
        let combined = |j: usize| {
            (0..blocks)
                .map(|b| partials[b * nsums + j])
                .fold(0.0, |a, x| a + x)
        };
        let sums = (0..pass.sums.len()).map(combined).collect();
        let class_sums = (0..pass.class_sums.len())
            .map(|j| {
                let first = pass.sums.len() + j * classes;
                (first..first + classes).map(combined).collect()
            })
            .collect();
        (sums, class_sums)
    }
}

/// What the runtime has computed so far during one evaluation.
struct Runtime<'a> {
    scalars: &'a mut [f64],
    /// Class values in float64, by class slot.
    classes: Vec<Vec<f64>>,
    /// The same in the kernel's precision, which the passes read.
    copies: Vec<Vec<u8>>,
    done: &'a mut [bool],
}

impl Runtime<'_> {
    fn set_class(&mut self, slot: usize, values: Vec<f64>, precision: Precision) {
        self.copies[slot] = match precision {
            Precision::F32 => values
                .iter()
                .flat_map(|&x| (x as f32).to_ne_bytes())
                .collect(),
            Precision::F64 => values.iter().flat_map(|&x| x.to_ne_bytes()).collect(),
        };
        self.classes[slot] = values;
    }
}

/// A pointer to the data when it is already contiguous in the kernel's layout.
fn as_kernel_bytes(data: &InputView<'_>, precision: Precision) -> Option<*const u8> {
    match (data, precision) {
        (InputView::F32(a), Precision::F32) => a.as_slice().map(|s| s.as_ptr() as *const u8),
        (InputView::F64(a), Precision::F64) => a.as_slice().map(|s| s.as_ptr() as *const u8),
        (InputView::I64(a), _) => a.as_slice().map(|s| s.as_ptr() as *const u8),
        _ => None,
    }
}

/// A contiguous copy in the kernel's layout: floats in its precision,
/// integers and booleans as i64; each element goes through float64 as
/// [`InputView::to_f64`] reads it. Written straight into the result (no
/// float64 array in between: for a million labels that was most of the
/// conversion's cost).
fn to_kernel_bytes(data: &InputView<'_>, precision: Precision, kind: Kind) -> Vec<u8> {
    let n = data.len();
    match data {
        InputView::F32(a) => encode(a.iter().map(|&x| f64::from(x)), n, precision, kind),
        InputView::F64(a) => encode(a.iter().copied(), n, precision, kind),
        InputView::I32(a) => encode(a.iter().map(|&x| f64::from(x)), n, precision, kind),
        InputView::I64(a) => encode(a.iter().map(|&x| x as f64), n, precision, kind),
        InputView::Bool(a) => encode(
            a.iter().map(|&x| f64::from(u8::from(x))),
            n,
            precision,
            kind,
        ),
    }
}

/// `n` values as the kernel stores them (see [`to_kernel_bytes`]).
fn encode(
    values: impl Iterator<Item = f64>,
    n: usize,
    precision: Precision,
    kind: Kind,
) -> Vec<u8> {
    let float32 = kind == Kind::Float && precision == Precision::F32;
    let mut out = Vec::with_capacity(n * if float32 { 4 } else { 8 });
    if kind != Kind::Float {
        values.for_each(|x| out.extend_from_slice(&(x as i64).to_ne_bytes()));
    } else if float32 {
        values.for_each(|x| out.extend_from_slice(&(x as f32).to_ne_bytes()));
    } else {
        values.for_each(|x| out.extend_from_slice(&x.to_ne_bytes()));
    }
    out
}

fn fill(out: &mut [u8], n: usize, v: f64, precision: Precision) {
    match precision {
        Precision::F32 => {
            for c in out[..n * 4].chunks_exact_mut(4) {
                c.copy_from_slice(&(v as f32).to_ne_bytes());
            }
        }
        Precision::F64 => {
            for c in out[..n * 8].chunks_exact_mut(8) {
                c.copy_from_slice(&v.to_ne_bytes());
            }
        }
    }
}

/// Every distributed partial must be a value the host sees between passes
/// (a pass's sum or class sum, or a size the runtime computes), where
/// [`Kernel::run`] can capture or replace it.
fn check_shard_sums(plan: &Plan) -> Result<(), CodegenError> {
    for &n in &plan.shard_sums {
        let produced = plan
            .passes
            .iter()
            .any(|p| p.sums.contains(&n) || p.class_sums.contains(&n));
        let size = matches!(plan.graph.node(n).op, Op::Size(_)) && plan.slot.contains_key(&n);
        if !produced && !size {
            return Err(CodegenError::Unsupported(Unsupported(format!(
                "the distributed partial `{}` is not a sum the kernel produces",
                crate::ir::format_node(&plan.graph, n)
            ))));
        }
    }
    Ok(())
}

/// The program's sharded dimensions as dimensions of `plan` (by name: the
/// plan's graph has its own dimension table).
fn plan_dims(program: &Program<'_>, plan: &Graph) -> Vec<crate::ir::DimId> {
    program
        .sharded
        .iter()
        .filter_map(|&d| {
            let want = program.graph.dim(d);
            (0..plan.num_dims())
                .map(|k| crate::ir::DimId(k as u32))
                .find(|&k| plan.dim(k) == want)
        })
        .collect()
}

/// What an evaluation does with a distributed objective's partials.
enum Shard<'a> {
    /// An ordinary evaluation of the whole batch.
    Whole,
    /// Record each partial's value on this shard (in plan order).
    Capture(Vec<Vec<f64>>),
    /// Use these merged values instead of this shard's.
    Merged(&'a [Vec<f64>]),
}

impl Shard<'_> {
    /// The value to use for node `n` whose local value is `local`.
    fn value(&mut self, plan: &Plan, n: NodeId, local: Vec<f64>) -> Vec<f64> {
        let Some(k) = plan.shard_sums.iter().position(|&p| p == n) else {
            return local;
        };
        match self {
            Shard::Whole => local,
            Shard::Capture(seen) => {
                seen[k] = local.clone();
                local
            }
            Shard::Merged(merged) => merged[k].clone(),
        }
    }
}

/// The precision a kernel should use for these inputs: float64 when any
/// floating-point input is float64, else float32.
pub fn precision_for(inputs: &(impl AsInputs + ?Sized)) -> Precision {
    if inputs.as_inputs().values().any(|d| d.dtype() == DType::F64) {
        Precision::F64
    } else {
        Precision::F32
    }
}
