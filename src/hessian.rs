//! Exact Hessian diagonals: a forward pass over each gradient graph.
//!
//! For an input `x` and its gradient `g = ∂L/∂x` (a node of `x`'s shape,
//! built by [`crate::derive`]), the Hessian diagonal is
//! `h[i] = ∂²L/∂x[i]² = ∂g[i]/∂x[i]`: the derivative of each entry of `g`
//! along its *own* entry of `x`. It is computed by one forward loop over the
//! nodes `g` depends on (arena order is topological, so this is a loop, never
//! a recursion), building for each node `n` an IR expression `D(n)`.
//!
//! # The `D` operator
//!
//! `n` and `x` line up by the IR's broadcasting rule (a shape is a prefix
//! or a suffix of the other): their *joint* shape `J(n)` holds every axis of
//! either, and `D(n)` stands for the array over `J(n)` with
//!
//! ```text
//! D(n)[k] = ∂ n[π_n(k)] / ∂ x[π_x(k)]        (π = the broadcast projections)
//! ```
//!
//! — the derivative of each entry of `n` with respect to the entry of `x`
//! *aligned* with it. The joint shape is usually `broadcast(shape(n),
//! shape(x))`; a reduction over an axis of `x` keeps that axis in it, so
//! per-class totals `sum(z * x, axis = 0)` of `x: [N]` are `[C]` with a
//! `D` over `[N, C]` (`D[i, c] = z[i, c]`). A `D` node may be smaller than
//! its joint shape, standing for its broadcast. `D(x) = 1`, and a node that does not depend on `x`
//! differentiably (another input, a constant, `Size`, `OneHot`, a
//! comparison, `sign`, `not`, `detach`, `and`/`or`) has `D = 0`. For an
//! elementwise `n = f(a, b)` the chain rule holds entry by entry:
//! `D(n) = f_a·D(a) + f_b·D(b)`, with the local partials `f_a`, `f_b` taken
//! from the one table of first-derivative rules, `derive::local_rule`
//! called with an adjoint of 1 (so `if c then a else b` gives
//! `if c then D(a) else D(b)`, and kinks get the second derivative 0, as
//! PyTorch's double backward of `abs`, `relu` and `clamp`: the gradient
//! holds `sign` and comparisons there, whose `D` is 0).
//!
//! # Mix sets
//!
//! `D` only tracks aligned derivatives. That is enough as long as every
//! entry `n[j]` depends on `x` only at positions aligned with `j`; beside
//! `D(n)` the pass keeps `mix(n)`, the axes of `x` along which `n[j]` may
//! depend on `x` at positions *not* aligned with `j`. `mix(x) = ∅`;
//! elementwise operations take the union of their arguments' sets; and
//! every axis of `x` that `n` itself lacks is in `mix(n)` (a per-row
//! `r = sum(x, axis=-1)`, broadcast along the class axis, depends on the
//! whole row at every class).
//!
//! # Reductions
//!
//! A reduction `r = R(a)` over axes `S` (`sum` to a prefix or suffix,
//! `max` and `logsumexp` over the last axis, and `gather`, which picks one
//! entry of the last axis) has the local derivative `R'(a)` that reverse
//! mode uses: 1 for `sum`, `softmax(a) = exp(a - r)` for `logsumexp`, the
//! tie split `(a == r) / ties` for `max`, `onehot(i)` for `gather`. Let
//! `S_x` be the reduced axes that are axes of `x`.
//!
//! 1. If `mix(a) ∩ S_x = ∅`, `a[j]` depends on `x` only at the position
//!    aligned with `j` along every reduced `x`-axis, so the entries of `a`
//!    summed into `r[j]` meet the aligned `x[i]` at exactly one place:
//!    `D(r) = Σ_{S \ S_x} R'(a)·D(a)`, summed over the reduced axes that are
//!    not `x`'s and *kept* along `S_x` (the joint shape keeps `x`'s axes).
//! 2. Else, if every kept axis of `r` is an axis of `x` and `mix(a)` avoids
//!    them, entries of `r` at different positions depend on disjoint parts
//!    of `x`: `∂r[j]/∂x[i] = 0` unless `j` is aligned with `i`, so the
//!    reverse gradient of `sum(r)` with respect to `x` *is* the aligned
//!    derivative, `D(r)`. A full reduction to a scalar is the case with no
//!    kept axes, and is always exact.
//!
//! Either way `mix(r) = mix(a) ∪ S_x`. Anything else — a partial reduction
//! whose argument mixes `x` along both reduced and kept axes, such as a
//! per-row `logsumexp` of `pred / mean(pred)` — has a Hessian diagonal that
//! needs the full Jacobian of `a`, not its diagonal, and is
//! [`HessianError::Unsupported`] rather than approximated. So is a node
//! whose joint shape the IR's prefix/suffix rule cannot express.
//!
//! # Exactness
//!
//! Every rule above is the chain rule restricted to aligned entries, under
//! an invariant the mix sets track (`mix(n)` over-approximates the
//! non-aligned dependencies), so `D(g)` is the exact Hessian diagonal of the
//! objective as `derive` differentiates it, conventions at kinks included.
//! Rule 2 costs one reverse sweep per such reduction (over the nodes that
//! depend on `x`); the rest is one pass over the gradient's nodes.
//! The expressions are built through the graph's simplifying constructors,
//! so they share nodes with the value and the gradients (`mse`'s Hessian is
//! the constant `2 / N`).

use crate::derive;
use crate::ir::{Binary, Graph, InputId, NodeId, Op, Reduce, ShapeId};

// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HessianError {
    /// The pass has no exact rule for an operation of this objective.
    #[error("no exact Hessian diagonal with respect to `{input}`: {reason}")]
    Unsupported { input: String, reason: String },
}

/// For every (input, gradient node) pair, the node of the Hessian diagonal
/// `h[i] = ∂²L/∂x[i]²`, with exactly the input's shape. `gradients` are the
/// gradients of `value` as [`crate::derive::gradients`] returns them; the
/// nodes are appended to `graph`.
pub fn diagonals(
    graph: &mut Graph,
    value: NodeId,
    gradients: &[(InputId, NodeId)],
) -> Result<Vec<(InputId, NodeId)>, HessianError> {
    debug_assert!(
        graph.shape_of(value).is_empty(),
        "the objective is a scalar"
    );
    gradients
        .iter()
        .map(|&(input, grad)| Ok((input, diagonal(graph, input, grad)?)))
        .collect()
}

/// Where a node and `x` sit in their joint shape: the joint shape's dims
/// are `x`'s from `x_off` and the node's from `n_off`.
#[derive(Debug, Clone, Copy)]
struct Frame {
    joint: ShapeId,
    x_off: usize,
    n_off: usize,
}

/// The state of one input's pass, indexed by node.
struct Pass {
    input: InputId,
    x_shape: ShapeId,
    /// `Some` exactly for the nodes that depend on `x` differentiably.
    frame: Vec<Option<Frame>>,
    /// `D(n)`; `None` is 0.
    d: Vec<Option<NodeId>>,
    /// `mix(n)` as a bit per axis of `x`.
    mix: Vec<u64>,
}

fn diagonal(graph: &mut Graph, input: InputId, grad: NodeId) -> Result<NodeId, HessianError> {
    let x_shape = graph.inputs[input.0 as usize].shape;
    let mut pass = Pass {
        input,
        x_shape,
        frame: vec![None; grad.0 as usize + 1],
        d: vec![None; grad.0 as usize + 1],
        mix: vec![0; grad.0 as usize + 1],
    };
    if graph.shape(x_shape).len() > 64 {
        return Err(pass.unsupported(graph, "inputs of rank above 64".into()));
    }
    let live = graph.reachable(&[grad]);
    // Arena order is topological: every argument is visited before its users.
    for id in graph.node_ids().take(grad.0 as usize + 1) {
        if live[id.0 as usize] {
            pass.visit(graph, id)?;
        }
    }
    let h = match (pass.frame[grad.0 as usize], pass.d[grad.0 as usize]) {
        (Some(f), Some(d)) if f.joint == x_shape && f.x_off == 0 => d,
        (Some(_), Some(_)) => {
            return Err(pass.unsupported(graph, "a gradient not aligned with its input".into()));
        }
        _ => graph.constant_node(0.0),
    };
    Ok(graph.broadcast(h, x_shape))
}

/// Where `small` sits in `big` by the IR's rule (prefix first), if it does.
fn place(graph: &Graph, small: ShapeId, big: ShapeId) -> Option<usize> {
    let (s, b) = (graph.shape(small), graph.shape(big));
    if b.starts_with(s) {
        Some(0)
    } else if b.ends_with(s) {
        Some(b.len() - s.len())
    } else {
        None
    }
}

/// `a * b`, broadcasting both to `joint` first where their own shapes do
/// not combine (a per-class factor times a per-row derivative).
fn product(graph: &mut Graph, a: NodeId, b: NodeId, joint: ShapeId) -> NodeId {
    combine(graph, Binary::Mul, a, b, joint)
}

fn combine(graph: &mut Graph, op: Binary, a: NodeId, b: NodeId, joint: ShapeId) -> NodeId {
    let (sa, sb) = (graph.node(a).shape, graph.node(b).shape);
    if graph.broadcast_shape(sa, sb).is_some() {
        graph.binary(op, a, b)
    } else {
        let a = graph.broadcast(a, joint);
        let b = graph.broadcast(b, joint);
        graph.binary(op, a, b)
    }
}

impl Pass {
    fn unsupported(&self, graph: &Graph, reason: String) -> HessianError {
        HessianError::Unsupported {
            input: graph.inputs[self.input.0 as usize].name.clone(),
            reason,
        }
    }

    fn x_rank(&self, graph: &Graph) -> usize {
        graph.shape(self.x_shape).len()
    }

    /// The axes of `x` that a node with this frame lacks: its entries,
    /// broadcast along them, see every position of `x` there.
    fn missing_axes(&self, graph: &Graph, f: Frame, node_rank: usize) -> u64 {
        let node = f.n_off..f.n_off + node_rank;
        (0..self.x_rank(graph))
            .filter(|&k| !node.contains(&(f.x_off + k)))
            .fold(0, |m, k| m | 1 << k)
    }

    fn visit(&mut self, graph: &mut Graph, id: NodeId) -> Result<(), HessianError> {
        match graph.node(id).op {
            Op::Input(k) if k == self.input => {
                let i = id.0 as usize;
                self.frame[i] = Some(Frame {
                    joint: self.x_shape,
                    x_off: 0,
                    n_off: 0,
                });
                self.d[i] = Some(graph.constant_node(1.0));
                Ok(())
            }
            Op::Reduce(op, a) => {
                let (sa, sr) = (graph.shape_of(a).to_vec(), graph.shape_of(id).to_vec());
                let reduced = match op {
                    Reduce::Sum if sa.starts_with(&sr) => sr.len()..sa.len(),
                    Reduce::Sum => 0..sa.len() - sr.len(),
                    _ => sa.len() - 1..sa.len(),
                };
                let what = match op {
                    Reduce::Sum => "sum",
                    Reduce::MaxLast => "max over the last axis",
                    Reduce::LogSumExpLast => "logsumexp",
                };
                self.reduction(graph, id, a, reduced, what)
            }
            Op::Gather(a, _) => {
                let (sa, si) = (graph.shape_of(a).to_vec(), graph.shape_of(id));
                if sa[..sa.len() - 1] != *si {
                    return self.reduction_if_dependent(graph, a, || {
                        "a gather whose indices broadcast over the rows".into()
                    });
                }
                self.reduction(graph, id, a, sa.len() - 1..sa.len(), "gather")
            }
            _ => self.elementwise(graph, id),
        }
    }

    /// An error when `a` depends on `x`, else nothing (the node is constant).
    fn reduction_if_dependent(
        &self,
        graph: &Graph,
        a: NodeId,
        reason: impl FnOnce() -> String,
    ) -> Result<(), HessianError> {
        match self.frame[a.0 as usize] {
            Some(_) => Err(self.unsupported(graph, reason())),
            None => Ok(()),
        }
    }

    /// `D(n) = Σ f_a·D(a)` over the arguments `a` that depend on `x`.
    fn elementwise(&mut self, graph: &mut Graph, id: NodeId) -> Result<(), HessianError> {
        let one = graph.constant_node(1.0);
        let mut partials = Vec::new();
        derive::local_rule(graph, id, one, &mut |_, arg, local| {
            partials.push((arg, local))
        });
        partials.retain(|(arg, _)| self.frame[arg.0 as usize].is_some());
        if partials.is_empty() {
            return Ok(());
        }
        let shape = graph.node(id).shape;
        let mut joint = shape;
        for (arg, _) in &partials {
            let fa = self.frame[arg.0 as usize].unwrap();
            joint = graph.broadcast_shape(joint, fa.joint).ok_or_else(|| {
                self.unsupported(
                    graph,
                    "operands whose shapes do not line up with the input".into(),
                )
            })?;
        }
        let mut x_off = None;
        let mut mix = 0;
        let mut d: Option<NodeId> = None;
        for (arg, local) in partials {
            let fa = self.frame[arg.0 as usize].unwrap();
            let off = place(graph, fa.joint, joint).unwrap() + fa.x_off;
            if x_off.is_some_and(|o| o != off) {
                return Err(
                    self.unsupported(graph, "operands aligned differently with the input".into())
                );
            }
            x_off = Some(off);
            mix |= self.mix[arg.0 as usize];
            if let Some(da) = self.d[arg.0 as usize] {
                let term = product(graph, local, da, joint);
                d = Some(match d {
                    None => term,
                    Some(prev) => combine(graph, Binary::Add, prev, term, joint),
                });
            }
        }
        let n_off = place(graph, shape, joint).unwrap();
        let f = Frame {
            joint,
            x_off: x_off.unwrap(),
            n_off,
        };
        let i = id.0 as usize;
        self.mix[i] = mix | self.missing_axes(graph, f, graph.shape(shape).len());
        self.frame[i] = Some(f);
        self.d[i] = d;
        Ok(())
    }

    /// `D` of a reduction `r` of `a` over `a`'s dims `reduced` (the two rules
    /// of the module docs), or `Unsupported`.
    fn reduction(
        &mut self,
        graph: &mut Graph,
        r: NodeId,
        a: NodeId,
        reduced: std::ops::Range<usize>,
        what: &str,
    ) -> Result<(), HessianError> {
        let Some(fa) = self.frame[a.0 as usize] else {
            return Ok(());
        };
        // Positions in the joint shape of `a`, and the x-axes among them.
        let x_axes = fa.x_off..fa.x_off + self.x_rank(graph);
        let bits = |ps: &[usize]| {
            ps.iter()
                .filter(|p| x_axes.contains(p))
                .fold(0u64, |m, &p| m | 1 << (p - fa.x_off))
        };
        let a_rank = graph.shape_of(a).len();
        let (reduced_pos, kept_pos): (Vec<usize>, Vec<usize>) = (0..a_rank)
            .map(|d| fa.n_off + d)
            .partition(|p| reduced.contains(&(p - fa.n_off)));
        let mix_a = self.mix[a.0 as usize];
        let (f, d) = if mix_a & bits(&reduced_pos) == 0 {
            let gone: Vec<usize> = reduced_pos
                .into_iter()
                .filter(|p| !x_axes.contains(p))
                .collect();
            self.sum_aligned(graph, r, a, fa, &gone, &kept_pos)
                .ok_or_else(|| {
                    self.unsupported(graph, format!("`{what}` over axes inside the joint shape"))
                })?
        } else if kept_pos.iter().all(|p| x_axes.contains(p)) && mix_a & bits(&kept_pos) == 0 {
            self.reverse_gradient(graph, r, fa, &kept_pos)
        } else {
            return Err(self.mixing_reduction(graph, a, &reduced, mix_a, what));
        };
        let i = r.0 as usize;
        self.mix[i] = mix_a | self.missing_axes(graph, f, kept_pos.len());
        self.frame[i] = Some(f);
        self.d[i] = d;
        Ok(())
    }

    /// The error for a partial reduction whose argument mixes `x` along
    /// reduced and kept axes, naming both.
    fn mixing_reduction(
        &self,
        graph: &Graph,
        a: NodeId,
        reduced: &std::ops::Range<usize>,
        mix_a: u64,
        what: &str,
    ) -> HessianError {
        let sa = graph.shape_of(a);
        let over: Vec<String> = reduced.clone().map(|d| graph.dim_text(sa[d])).collect();
        let x_dims = graph.shape(self.x_shape);
        let across: Vec<String> = (0..x_dims.len())
            .filter(|k| mix_a & (1 << k) != 0)
            .map(|k| graph.dim_text(x_dims[k]))
            .collect();
        let x = &graph.inputs[self.input.0 as usize].name;
        self.unsupported(
            graph,
            format!(
                "`{what}` over {} of a value that depends on `{x}` across {}: its derivative \
                 needs the full Jacobian of that value, not its diagonal",
                over.join(", "),
                across.join(", ")
            ),
        )
    }

    /// Rule 1: `D(r) = Σ R'(a)·D(a)` over the joint positions `gone` (the
    /// reduced axes that are not `x`'s), kept along the reduced x-axes.
    /// `None` where `gone` is not at one end of the joint shape (the IR
    /// sums prefixes and suffixes only).
    fn sum_aligned(
        &self,
        graph: &mut Graph,
        r: NodeId,
        a: NodeId,
        fa: Frame,
        gone: &[usize],
        kept_pos: &[usize],
    ) -> Option<(Frame, Option<NodeId>)> {
        let ja = graph.shape(fa.joint).to_vec();
        let at_start = gone.iter().enumerate().all(|(k, &p)| p == k);
        let at_end = gone
            .iter()
            .enumerate()
            .all(|(k, &p)| p == ja.len() - gone.len() + k);
        if !(at_start || at_end) {
            return None;
        }
        let kept_dims: Vec<_> = (0..ja.len())
            .filter(|p| !gone.contains(p))
            .map(|p| ja[p])
            .collect();
        let jr = graph.shape_id(&kept_dims);
        let before = |p: usize| gone.iter().filter(|&&q| q < p).count();
        let f = Frame {
            joint: jr,
            x_off: fa.x_off - before(fa.x_off),
            n_off: kept_pos.first().map_or(0, |&p| p - before(p)),
        };
        // R'(a): reverse mode's local rule with an adjoint of 1.
        let one = graph.constant_node(1.0);
        let mut local = None;
        derive::local_rule(graph, r, one, &mut |_, _, l| local = Some(l));
        let local = local.expect("a reduction passes its adjoint to its argument");
        let d = self.d[a.0 as usize].map(|da| {
            let term = product(graph, local, da, fa.joint);
            graph.sum(term, fa.joint, jr)
        });
        Some((f, d))
    }

    /// Rule 2: the entries of `r` depend on disjoint parts of `x` (every
    /// kept axis is an x-axis that its argument does not mix), so the
    /// reverse gradient of `sum(r)` with respect to `x` is the aligned
    /// derivative; it has `x`'s shape.
    fn reverse_gradient(
        &self,
        graph: &mut Graph,
        r: NodeId,
        fa: Frame,
        kept_pos: &[usize],
    ) -> (Frame, Option<NodeId>) {
        let from = graph.node(r).shape;
        let scalar = graph.scalar_shape();
        let total = graph.sum(r, from, scalar);
        let grad = derive::gradient_wrt(graph, total, self.input);
        let f = Frame {
            joint: self.x_shape,
            x_off: 0,
            n_off: kept_pos.first().map_or(0, |&p| p - fa.x_off),
        };
        (f, Some(grad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LossSpec;
    use crate::ir::format_node;

    /// The Hessian diagonals of `text`'s objective, printed, compiled for
    /// open inputs `pred`/`target` of the given shapes.
    fn printed(text: &str) -> Result<Vec<String>, HessianError> {
        let c = LossSpec::from_str(text)
            .unwrap()
            .compile(None, &Default::default())
            .unwrap();
        let mut obj = c.objective.clone();
        let grads: Vec<(InputId, NodeId)> = c
            .gradients
            .iter()
            .map(|g| {
                let k = obj
                    .graph
                    .inputs
                    .iter()
                    .position(|i| i.name == g.input)
                    .unwrap();
                (InputId(k as u32), g.node)
            })
            .collect();
        let h = diagonals(&mut obj.graph, obj.value, &grads)?;
        Ok(h.iter().map(|&(_, n)| format_node(&obj.graph, n)).collect())
    }

    #[test]
    fn mse_hessian_is_the_constant_two_over_n() {
        let h = printed("input pred: f64[N]\ntarget target: f64[N]\nmse").unwrap();
        assert_eq!(h, ["2 / N"]);
    }

    #[test]
    fn linear_objectives_have_zero_hessian() {
        let h = printed("input x: f64[N]\nsum(3 * x) + mean(detach(x^2) * x)").unwrap();
        assert_eq!(h, ["0"]);
    }

    #[test]
    fn sigmoid_cross_entropy_hessian_is_sigmoid_of_x_times_sigmoid_of_minus_x() {
        let h = printed("input pred: f64[N]\ntarget target: f64[N]\nbce").unwrap();
        // σ(x)(1 - σ(x)) / N, written σ(x)σ(-x) (no cancellation where σ(x)
        // rounds to 1).
        assert_eq!(h[0], "1 / N * (sigmoid(pred) * sigmoid(-pred))");
    }

    #[test]
    fn a_row_reduction_of_a_globally_mixed_argument_is_unsupported() {
        let err =
            printed("input pred: f64[N, C]\nsum(softmax(pred / mean(pred)) * pred)").unwrap_err();
        let HessianError::Unsupported { input, reason } = err;
        assert_eq!(input, "pred");
        assert!(reason.contains("`logsumexp` over C"), "{reason}");
    }
}
