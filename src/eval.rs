//! The reference evaluator: computes any set of IR nodes in float64 on ndarray.
//!
//! Simple and obviously correct rather than fast: every node becomes a full
//! array and elementwise operations broadcast with the IR's prefix/suffix
//! rule. It stays in the project as the oracle the native code is tested
//! against, so it is also the most accurate engine:
//! - sums are compensated (Neumaier), so their error does not grow with the
//!   number of terms;
//! - `logsumexp` is kept as its parts, the row maximum `m` and
//!   `ln(1 + rest)` with `rest` the compensated sum of `exp(x - m)` over the
//!   row's other entries; `x - logsumexp` (log-softmax) is then computed as
//!   `(x - m) - ln(1 + rest)` and `exp(x - logsumexp)` (softmax) as
//!   `exp(x - m) / (1 + rest)`, so that rounding `m + ln(1 + rest)` at large
//!   logits (1e17) loses nothing.
//!
//! Values are released after their last use, so memory is bounded by the
//! widest cut of the graph, not its size.
//!
//! Inputs must already be validated ([`crate::runtime`]): present, of the
//! graph's rank, with consistent dimension sizes. What only the values can
//! reveal (class indices out of range) is reported as an [`EvalError`].

use crate::ir::simplify_eval::{eval_binary, eval_unary};
use crate::ir::{Binary, Dim, Graph, InputId, NodeId, Op, Reduce, ShapeId, Unary};
use crate::labels::class_index;
use crate::runtime::{broadcast_view, sizes};
use ndarray::{ArrayD, Axis, IxDyn, Zip};

pub use crate::runtime::{EvalError, Label};

/// Sizes of the graph's dimensions, indexed by `DimId`.
pub type DimSizes = Vec<usize>;

/// Evaluate `roots` given the inputs (indexed by `InputId`) and dimension sizes.
pub fn evaluate(
    graph: &Graph,
    roots: &[NodeId],
    inputs: &[ArrayD<f64>],
    dims: &DimSizes,
) -> Result<Vec<ArrayD<f64>>, EvalError> {
    evaluate_with(graph, roots, inputs, dims, &[])
}

/// [`evaluate`], with the values of some nodes given instead of computed
/// (the merged partials of a distributed evaluation, see
/// [`crate::distributed`]); each must have its node's shape.
pub fn evaluate_with(
    graph: &Graph,
    roots: &[NodeId],
    inputs: &[ArrayD<f64>],
    dims: &DimSizes,
    given: &[(NodeId, ArrayD<f64>)],
) -> Result<Vec<ArrayD<f64>>, EvalError> {
    let live = graph.reachable(roots);
    let last_use = last_uses(graph, roots, &live);
    let mut values: Vec<Option<ArrayD<f64>>> = vec![None; graph.len()];
    let mut parts: Vec<Option<Parts>> = vec![None; graph.len()];
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        let (v, p) = match given.iter().find(|(n, _)| *n == id) {
            Some((_, v)) => (v.clone(), None),
            None => node_value(graph, id, &values, &parts, inputs, dims)?,
        };
        for a in graph.args(id) {
            if last_use[a.0 as usize] == id.0 as usize {
                values[a.0 as usize] = None;
                parts[a.0 as usize] = None;
            }
        }
        values[id.0 as usize] = Some(v);
        parts[id.0 as usize] = p;
    }
    Ok(roots
        .iter()
        .map(|r| values[r.0 as usize].clone().expect("roots are kept"))
        .collect())
}

/// For each node, the node that uses it last (`usize::MAX` for roots): the
/// evaluator drops a value there.
fn last_uses(graph: &Graph, roots: &[NodeId], live: &[bool]) -> Vec<usize> {
    let mut last_use = vec![0usize; graph.len()];
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        for a in graph.args(id) {
            last_use[a.0 as usize] = id.0 as usize;
        }
    }
    for r in roots {
        last_use[r.0 as usize] = usize::MAX;
    }
    last_use
}

/// The most bytes [`evaluate`] holds at once for these dimension sizes
/// (saturating: a size past 64 bits is over any budget), found by replaying
/// its schedule on sizes alone: the float64 inputs, the live values (each
/// dropped after its last use), each node's result with the broadcast copies
/// of its arguments, and the roots copied out at the end. Checked against
/// the memory budget before anything is allocated.
pub fn peak_bytes(graph: &Graph, roots: &[NodeId], dims: &DimSizes) -> u64 {
    let live = graph.reachable(roots);
    let last_use = last_uses(graph, roots, &live);
    let bytes = |shape: ShapeId| {
        let sizes = graph.shape(shape).iter().map(|d| match graph.dim(*d) {
            Dim::Fixed(k) => *k,
            Dim::Named(_) => dims[d.0 as usize] as u64,
        });
        crate::budget::saturating_product(sizes).saturating_mul(8)
    };
    let mut held = graph
        .inputs
        .iter()
        .fold(0u64, |acc, info| acc.saturating_add(bytes(info.shape)));
    let mut peak = held;
    let mut value_bytes = vec![0u64; graph.len()];
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        let node = graph.node(id);
        let out = bytes(node.shape);
        let copies: u64 = match node.op {
            Op::Binary(..) => 2,
            Op::Select(..) => 3,
            Op::Reduce(Reduce::Sum, a) => {
                // A copy of the argument, then partial sums no larger.
                let arg = value_bytes[a.0 as usize];
                peak = peak.max(held.saturating_add(arg.saturating_mul(2)));
                0
            }
            _ => 0,
        };
        let during = held
            .saturating_add(out)
            .saturating_add(out.saturating_mul(copies));
        peak = peak.max(during);
        for a in graph.args(id) {
            if last_use[a.0 as usize] == id.0 as usize {
                held = held.saturating_sub(std::mem::take(&mut value_bytes[a.0 as usize]));
            }
        }
        held = held.saturating_add(out);
        value_bytes[id.0 as usize] = out;
    }
    let copied_out = roots
        .iter()
        .fold(0u64, |acc, r| acc.saturating_add(value_bytes[r.0 as usize]));
    peak.max(held.saturating_add(copied_out))
}

/// What a node's value alone would lose, kept beside it for its users.
#[derive(Debug, Clone)]
enum Parts {
    /// A `logsumexp` node: its row maximum `m`, `ln(1 + rest)` and `1 + rest`
    /// (each of the node's shape), where `rest` sums `exp(x - m)` over the
    /// row's entries other than its first maximum.
    LogSumExp {
        max: ArrayD<f64>,
        log_sum: ArrayD<f64>,
        sum: ArrayD<f64>,
    },
    /// An `x - logsumexp(..)` node: `x - m` and `1 + rest`, both of the
    /// node's shape, for `exp` of it (softmax).
    LogSoftmax {
        shifted: ArrayD<f64>,
        sum: ArrayD<f64>,
    },
}

fn node_value(
    graph: &Graph,
    id: NodeId,
    values: &[Option<ArrayD<f64>>],
    parts: &[Option<Parts>],
    inputs: &[ArrayD<f64>],
    dims: &DimSizes,
) -> Result<(ArrayD<f64>, Option<Parts>), EvalError> {
    let node = graph.node(id);
    let shape = sizes(graph, node.shape, dims);
    let get = |n: NodeId| {
        values[n.0 as usize]
            .as_ref()
            .expect("arguments are evaluated first")
    };
    let view = |n: NodeId| broadcast_view(graph, get(n), graph.node(n).shape, node.shape, &shape);
    // A part of `lse` (of `lse`'s shape), broadcast to this node's shape.
    let view_part = |part: &ArrayD<f64>, lse: NodeId| {
        broadcast_view(graph, part, graph.node(lse).shape, node.shape, &shape)
    };
    let lse_parts = |n: NodeId| match &parts[n.0 as usize] {
        Some(Parts::LogSumExp { max, log_sum, sum }) => Some((max, log_sum, sum)),
        _ => None,
    };
    match node.op {
        Op::Input(InputId(k)) => return Ok((inputs[k as usize].clone(), None)),
        Op::Size(s) => {
            let n = sizes(graph, s, dims).iter().product::<usize>() as f64;
            return Ok((ArrayD::from_elem(IxDyn(&[]), n), None));
        }
        // softmax: exp(x - m) / (1 + rest).
        Op::Unary(Unary::Exp, a) => {
            if let Some(Parts::LogSoftmax { shifted, sum }) = &parts[a.0 as usize] {
                let v = Zip::from(shifted)
                    .and(sum)
                    .map_collect(|&d, &s| d.exp() / s);
                return Ok((v, None));
            }
        }
        // log-softmax: (x - m) - ln(1 + rest).
        Op::Binary(Binary::Sub, a, b) if lse_parts(b).is_some() => {
            let (max, log_sum, sum) = lse_parts(b).unwrap();
            let shifted = Zip::from(&view(a))
                .and(&view_part(max, b))
                .map_collect(|&x, &m| x - m);
            let v = Zip::from(&shifted)
                .and(&view_part(log_sum, b))
                .map_collect(|&d, &l| d - l);
            let sum = view_part(sum, b);
            return Ok((v, Some(Parts::LogSoftmax { shifted, sum })));
        }
        // Its negation, `logsumexp - x`: ln(1 + rest) - (x - m).
        Op::Binary(Binary::Sub, a, b) if lse_parts(a).is_some() => {
            let (max, log_sum, _) = lse_parts(a).unwrap();
            let v = Zip::from(&view(b))
                .and(&view_part(max, a))
                .and(&view_part(log_sum, a))
                .map_collect(|&x, &m, &l| l - (x - m));
            return Ok((v, None));
        }
        Op::Reduce(Reduce::LogSumExpLast, a) => {
            let (v, p) = log_sum_exp(get(a));
            return Ok((v, Some(p)));
        }
        _ => {}
    }
    Ok((plain_value(graph, id, &shape, get, view)?, None))
}

/// `logsumexp` over the last axis, with its parts (see [`Parts::LogSumExp`]).
fn log_sum_exp(v: &ArrayD<f64>) -> (ArrayD<f64>, Parts) {
    let last = Axis(v.ndim() - 1);
    let max = v.fold_axis(last, f64::NEG_INFINITY, |&m, &x| {
        eval_binary(Binary::Max, m, x)
    });
    let mut rest = max.clone();
    Zip::from(&mut rest)
        .and(v.lanes(last))
        .and(&max)
        .for_each(|r, lane, &m| {
            *r = if m.is_finite() {
                // The first maximum contributes exactly 1, added last, so
                // that the others' small terms are summed among themselves.
                let top = lane.iter().position(|&x| x == m).unwrap_or(0);
                neumaier(
                    lane.iter()
                        .enumerate()
                        .filter(|&(k, _)| k != top)
                        .map(|(_, &x)| (x - m).exp()),
                )
            } else {
                // -inf (an empty or all -inf row), inf or NaN: the maximum
                // is the result.
                0.0
            };
        });
    let sum = rest.mapv(|r| 1.0 + r);
    // `ln(1 + rest)`, not `log1p(rest)`: where `rest` is below one unit in
    // the last place of 1, log1p would make the maximum's log-probability a
    // subnormal `-rest` instead of 0, and formulas that divide by
    // `1 - exp(log_softmax)` (the categorical focal loss's gradient) would
    // overflow to `0 * inf` where the native engine, which rounds as here,
    // gives the finite limit.
    let log_sum = sum.mapv(f64::ln);
    let value = &max + &log_sum;
    (value, Parts::LogSumExp { max, log_sum, sum })
}

/// Neumaier's compensated sum: the error is a few units in the last place of
/// the result, not of the largest partial sum.
fn neumaier(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for x in xs {
        let t = s + x;
        c += if s.abs() >= x.abs() {
            (s - t) + x
        } else {
            (x - t) + s
        };
        s = t;
    }
    // Past an overflow or a NaN the compensation is meaningless.
    if s.is_finite() { s + c } else { s }
}

/// The sum of `v` down to the sizes `to`, a prefix (`prefix`) or a suffix of
/// its shape, each output entry a compensated sum.
fn reduce_sum(v: &ArrayD<f64>, to: &[usize], prefix: bool) -> ArrayD<f64> {
    let v = v.as_standard_layout();
    let flat = v.as_slice().expect("standard layout is contiguous");
    let outs: usize = to.iter().product();
    let k = if outs == 0 { 0 } else { flat.len() / outs };
    let out: Vec<f64> = if prefix {
        (0..outs)
            .map(|r| neumaier(flat[r * k..(r + 1) * k].iter().copied()))
            .collect()
    } else {
        (0..outs)
            .map(|c| neumaier((0..k).map(|r| flat[r * outs + c])))
            .collect()
    };
    ArrayD::from_shape_vec(IxDyn(to), out).expect("one sum per output entry")
}

fn plain_value<'a>(
    graph: &Graph,
    id: NodeId,
    shape: &[usize],
    get: impl Fn(NodeId) -> &'a ArrayD<f64>,
    view: impl Fn(NodeId) -> ArrayD<f64>,
) -> Result<ArrayD<f64>, EvalError> {
    let node = graph.node(id);
    Ok(match node.op {
        Op::Const(bits) => ArrayD::from_elem(IxDyn(&[]), f64::from_bits(bits)),
        Op::ConstArray(k) => ArrayD::from_shape_vec(IxDyn(&shape), graph.array(k).to_vec())
            .expect("a constant array has its fixed length"),
        Op::Input(_) | Op::Size(_) => unreachable!("evaluated by node_value"),
        Op::Unary(f, a) => get(a).mapv(|x| eval_unary(f, x)),
        Op::Binary(op, a, b) => Zip::from(&view(a))
            .and(&view(b))
            .map_collect(|&x, &y| eval_binary(op, x, y)),
        Op::Select(c, a, b) => Zip::from(&view(c))
            .and(&view(a))
            .and(&view(b))
            .map_collect(|&c, &x, &y| if c != 0.0 { x } else { y }),
        Op::Broadcast(a) => view(a),
        Op::Reduce(Reduce::Sum, a) => {
            let from = graph.shape(graph.node(a).shape);
            let to = graph.shape(node.shape);
            reduce_sum(get(a), shape, from.starts_with(to))
        }
        Op::Reduce(Reduce::MaxLast, a) => {
            let v = get(a);
            let last = Axis(v.ndim() - 1);
            v.fold_axis(last, f64::NEG_INFINITY, |&m, &x| {
                eval_binary(Binary::Max, m, x)
            })
        }
        Op::Reduce(Reduce::LogSumExpLast, a) => log_sum_exp(get(a)).0,
        Op::Gather(x, i) => gather(graph, id, get(x), get(i), i)?,
        Op::OneHot(i) => {
            let idx = get(i);
            let classes = *shape.last().unwrap();
            let mut out = ArrayD::zeros(IxDyn(shape));
            let flat = out.as_slice_mut().expect("fresh arrays are contiguous");
            for (row, &k) in idx.iter().enumerate() {
                let c = class_index(graph, i, k, classes)?;
                flat[row * classes + c] = 1.0;
            }
            out
        }
    })
}

fn gather(
    graph: &Graph,
    id: NodeId,
    x: &ArrayD<f64>,
    idx: &ArrayD<f64>,
    index_node: NodeId,
) -> Result<ArrayD<f64>, EvalError> {
    let classes = *x.shape().last().unwrap();
    let x = x.as_standard_layout();
    let flat = x.as_slice().unwrap();
    let x_rows = flat.len() / classes.max(1);
    let out_len = idx.len();
    // x's rows broadcast to the index shape by the prefix or suffix rule.
    let x_shape = graph.shape(graph.node(graph.args(id).next().unwrap()).shape);
    let i_shape = graph.shape(graph.node(index_node).shape);
    let prefix = i_shape.starts_with(&x_shape[..x_shape.len() - 1]);
    let repeat = out_len / x_rows.max(1);
    let mut out = Vec::with_capacity(out_len);
    for (q, &k) in idx.iter().enumerate() {
        let c = class_index(graph, index_node, k, classes)?;
        let row = if prefix {
            q / repeat.max(1)
        } else {
            q % x_rows.max(1)
        };
        out.push(flat[row * classes + c]);
    }
    Ok(ArrayD::from_shape_vec(IxDyn(idx.shape()), out).expect("one value per index"))
}
