//! Symbolic reverse-mode differentiation on the IR graph.
//!
//! Walking the arena backwards from the objective (arena order is
//! topological), each node's adjoint — an IR expression for ∂objective/∂node —
//! is complete when the node is reached, and its local derivative rule adds
//! contributions to its arguments' adjoints. The contributions are built with
//! the same simplifying constructors as the forward graph, so they share
//! nodes with it (the derivative of `sigmoid(p)` reuses the `sigmoid(p)`
//! node) and with each other.
//!
//! An adjoint may have a smaller shape than its node, standing for its
//! broadcast (the adjoint of `x` in `mean(x)` is the scalar `1/N`); each
//! gradient returned is broadcast to its input's exact shape.
//!
//! Subgradient conventions (PyTorch's):
//! - `abs'(0) = sign(0) = 0`; `relu'(0) = 0`;
//! - `min`/`max` of two arrays pass the gradient to the selected argument and
//!   split it in half on ties (`torch.minimum`/`torch.maximum`);
//! - `clamp(x, lo, hi)` passes the gradient to `x` where `lo <= x <= hi`;
//! - `max(x, axis=-1)` splits the gradient evenly between tied maxima
//!   (`torch.amax`);
//! - `if c then a else b` sends the gradient only into the taken branch, and
//!   the untaken branch's local derivative is never evaluated into the result
//!   (see [`crate::ir`]'s select rules), so it cannot produce `0 * inf`.

use crate::ir::ops::{Class, Derivative, Local};
use crate::ir::{Binary, Graph, InputId, InputInfo, NodeId, Op, Reduce, ShapeId, Unary};

/// The gradient of `root` with respect to every differentiated input (in
/// input order), each with exactly its input's shape.
pub fn gradients(graph: &mut Graph, root: NodeId) -> Vec<(InputId, NodeId)> {
    let one = graph.constant_node(1.0);
    gradients_seeded(graph, root, one)
}

/// The gradients of `seed · root` (`seed` a scalar that depends on no
/// input, such as a size): reverse mode starts from `seed` instead of 1, so
/// the scale costs nothing where a gradient already has a scalar factor
/// (`N · (1/N)` of a mean is folded by the runtime in float64: 1 within
/// one rounding, exactly 1 once a float32 kernel rounds it).
pub fn gradients_seeded(graph: &mut Graph, root: NodeId, seed: NodeId) -> Vec<(InputId, NodeId)> {
    debug_assert!(graph.shape_of(seed).is_empty(), "the seed is a scalar");
    let adjoint = adjoints(graph, root, seed, |_, info| {
        info.role.is_differentiated() && info.dtype.is_float()
    });
    let mut out = Vec::new();
    for k in 0..graph.inputs.len() {
        let input = InputId(k as u32);
        if !graph.inputs[k].role.is_differentiated() || !graph.inputs[k].dtype.is_float() {
            continue;
        }
        out.push((input, input_gradient(graph, input, &adjoint)));
    }
    out
}

/// The gradient of `root` with respect to one input, with exactly its
/// shape. Only the nodes that depend on that input are visited (the
/// Hessian pass asks for one input's gradient of many subexpressions).
pub(crate) fn gradient_wrt(graph: &mut Graph, root: NodeId, input: InputId) -> NodeId {
    let one = graph.constant_node(1.0);
    let adjoint = adjoints(graph, root, one, |k, _| k == input);
    input_gradient(graph, input, &adjoint)
}

/// The adjoint of every node (`root`'s is `seed`), walking backwards from
/// `root` through the nodes that depend on an input `wrt` selects.
fn adjoints(
    graph: &mut Graph,
    root: NodeId,
    seed: NodeId,
    wrt: impl Fn(InputId, &InputInfo) -> bool,
) -> Vec<Option<NodeId>> {
    let n = graph.len();
    let needs = needs_gradient(graph, wrt);
    let live = graph.reachable(&[root]);
    let mut adjoint: Vec<Option<NodeId>> = vec![None; n];
    adjoint[root.0 as usize] = Some(seed);
    for i in (0..=root.0 as usize).rev() {
        let id = NodeId(i as u32);
        if !live[i] || !needs[i] {
            continue;
        }
        if let Some(g) = adjoint[i] {
            propagate(graph, id, g, &needs, &mut adjoint);
        }
    }
    adjoint
}

/// An input's adjoint broadcast to its shape (0 where nothing reached it).
fn input_gradient(graph: &mut Graph, input: InputId, adjoint: &[Option<NodeId>]) -> NodeId {
    let shape = graph.inputs[input.0 as usize].shape;
    let grad = match graph
        .input_node(input)
        .and_then(|node| adjoint.get(node.0 as usize).copied().flatten())
    {
        Some(g) => g,
        None => graph.constant_node(0.0),
    };
    graph.broadcast(grad, shape)
}

/// Which nodes depend on an input `wrt` selects through differentiable operations.
fn needs_gradient(g: &Graph, wrt: impl Fn(InputId, &InputInfo) -> bool) -> Vec<bool> {
    let mut needs = vec![false; g.len()];
    for id in g.node_ids() {
        let i = id.0 as usize;
        needs[i] = match g.node(id).op {
            Op::Input(k) => wrt(k, &g.inputs[k.0 as usize]),
            Op::Const(_) | Op::ConstArray(_) | Op::Size(_) | Op::OneHot(_) => false,
            Op::Unary(f, _) if matches!(f.facts().derivative, Derivative::Constant) => false,
            Op::Binary(op, ..) if op.facts().class != Class::Arithmetic => false,
            Op::Gather(x, _) => needs[x.0 as usize],
            Op::Select(_, a, b) => needs[a.0 as usize] || needs[b.0 as usize],
            _ => g.args(id).any(|a| needs[a.0 as usize]),
        };
    }
    needs
}

fn propagate(
    g: &mut Graph,
    id: NodeId,
    adj: NodeId,
    needs: &[bool],
    adjoint: &mut [Option<NodeId>],
) {
    let out_shape = g.node(id).shape;
    // An adjoint smaller than its node (a per-row value of a [N, C] node)
    // cannot always be combined with the node's arguments directly (a
    // per-class [C] operand): then it is broadcast to the node's shape first.
    let adj_shape = g.node(adj).shape;
    let adj = if g
        .args(id)
        .all(|a| g.broadcast_shape(adj_shape, g.node(a).shape).is_some())
    {
        adj
    } else {
        g.broadcast(adj, out_shape)
    };
    let mut acc = |g: &mut Graph, target: NodeId, contribution: NodeId| {
        if needs[target.0 as usize] {
            accumulate(g, target, contribution, out_shape, adjoint);
        }
    };
    local_rule(g, id, adj, &mut acc);
}

/// The local derivative rule of `id`: calls `acc(graph, arg, contribution)`
/// with each argument's share of the adjoint `adj` (for `adj = 1`, the
/// local partial derivative ∂id/∂arg, as an elementwise factor; for a
/// reduction, its derivative with respect to each entry of its argument).
/// The one table of first-derivative rules (the elementwise functions'
/// rules are in their entries of [`crate::ir::ops`]): reverse mode uses it
/// here, and the Hessian pass ([`crate::hessian`]) uses it forwards.
pub(crate) fn local_rule(
    g: &mut Graph,
    id: NodeId,
    adj: NodeId,
    acc: &mut impl FnMut(&mut Graph, NodeId, NodeId),
) {
    match g.node(id).op {
        Op::Const(_) | Op::ConstArray(_) | Op::Input(_) | Op::Size(_) | Op::OneHot(_) => {}
        // The rules of the elementwise functions are in their table entries.
        Op::Unary(f, arg) => match f.facts().derivative {
            Derivative::Rule(rule) => {
                let c = rule(g, Local { arg, out: id, adj });
                acc(g, arg, c);
            }
            Derivative::Constant | Derivative::Stopped => {}
        },
        Op::Binary(op, a, b) => binary_rule(g, op, a, b, id, adj, acc),
        Op::Select(c, a, b) => {
            let zero = g.constant_node(0.0);
            let ca = g.select(c, adj, zero);
            acc(g, a, ca);
            let cb = g.select(c, zero, adj);
            acc(g, b, cb);
        }
        Op::Broadcast(a) => acc(g, a, adj),
        Op::Reduce(Reduce::Sum, a) => acc(g, a, adj),
        Op::Reduce(Reduce::LogSumExpLast, a) => {
            // d logsumexp(x) / dx = softmax(x) = exp(x - logsumexp(x)).
            let d = g.binary(Binary::Sub, a, id);
            let softmax = g.unary(Unary::Exp, d);
            let c = g.binary(Binary::Mul, adj, softmax);
            acc(g, a, c);
        }
        Op::Reduce(Reduce::MaxLast, a) => {
            let from = g.node(a).shape;
            let is_max = g.binary(Binary::Eq, a, id);
            let ties = g.reduce_last(Reduce::Sum, is_max, from);
            let share = g.binary(Binary::Div, adj, ties);
            let zero = g.constant_node(0.0);
            let c = g.select(is_max, share, zero);
            acc(g, a, c);
        }
        Op::Gather(x, i) => {
            let classes = *g.shape_of(x).last().expect("gather reads a class axis");
            let hot = g.onehot(i, classes);
            let c = g.binary(Binary::Mul, hot, adj);
            acc(g, x, c);
        }
    }
}

fn binary_rule(
    g: &mut Graph,
    op: Binary,
    a: NodeId,
    b: NodeId,
    out: NodeId,
    adj: NodeId,
    acc: &mut impl FnMut(&mut Graph, NodeId, NodeId),
) {
    match op {
        Binary::Add => {
            acc(g, a, adj);
            acc(g, b, adj);
        }
        Binary::Sub => {
            acc(g, a, adj);
            let n = g.unary(Unary::Neg, adj);
            acc(g, b, n);
        }
        Binary::Mul => {
            let ca = g.binary(Binary::Mul, adj, b);
            acc(g, a, ca);
            let cb = g.binary(Binary::Mul, adj, a);
            acc(g, b, cb);
        }
        Binary::Div => {
            let ca = g.binary(Binary::Div, adj, b);
            acc(g, a, ca);
            // d(a/b)/db = -(a/b)/b
            let q = g.binary(Binary::Div, out, b);
            let t = g.binary(Binary::Mul, adj, q);
            let cb = g.unary(Unary::Neg, t);
            acc(g, b, cb);
        }
        Binary::Pow => {
            // d(a^b)/da = b * a^(b-1); d(a^b)/db = a^b * log(a).
            let one = g.constant_node(1.0);
            let bm1 = g.binary(Binary::Sub, b, one);
            let p = g.binary(Binary::Pow, a, bm1);
            let local = g.binary(Binary::Mul, b, p);
            let ca = g.binary(Binary::Mul, adj, local);
            acc(g, a, ca);
            if g.constant(b).is_none() {
                let la = g.unary(Unary::Log, a);
                let local_b = g.binary(Binary::Mul, out, la);
                let cb = g.binary(Binary::Mul, adj, local_b);
                acc(g, b, cb);
            }
        }
        Binary::Min | Binary::Max => {
            // Written as zero-armed selects so that a loser's infinite local
            // derivative (`max(log(p), -100)` at p = 0) is never multiplied in.
            let wins = if op == Binary::Max {
                Binary::Gt
            } else {
                Binary::Lt
            };
            let (half, zero) = (g.constant_node(0.5), g.constant_node(0.0));
            let tie = g.binary(Binary::Eq, a, b);
            let half_adj = g.binary(Binary::Mul, half, adj);
            let on_tie = g.select(tie, half_adj, zero);
            let a_wins = g.binary(wins, a, b);
            let ca = g.select(a_wins, adj, on_tie);
            acc(g, a, ca);
            let b_wins = g.binary(wins, b, a);
            let cb = g.select(b_wins, adj, on_tie);
            acc(g, b, cb);
        }
        // Booleans: no gradient (the arguments are not visited, see
        // `needs_gradient`).
        Binary::Eq
        | Binary::Ne
        | Binary::Lt
        | Binary::Le
        | Binary::Gt
        | Binary::Ge
        | Binary::And
        | Binary::Or => {}
    }
}

/// Add `contribution` (broadcastable to, or reducible to, `target`'s shape)
/// to `target`'s adjoint.
fn accumulate(
    g: &mut Graph,
    target: NodeId,
    contribution: NodeId,
    out_shape: ShapeId,
    adjoint: &mut [Option<NodeId>],
) {
    let t_shape = g.node(target).shape;
    let c = fit(g, contribution, t_shape, out_shape);
    let slot = &mut adjoint[target.0 as usize];
    *slot = Some(match *slot {
        None => c,
        Some(prev) => {
            let (ps, cs) = (g.node(prev).shape, g.node(c).shape);
            if g.broadcast_shape(ps, cs).is_some() {
                g.binary(Binary::Add, prev, c)
            } else {
                let p = g.broadcast(prev, t_shape);
                let c = g.broadcast(c, t_shape);
                g.binary(Binary::Add, p, c)
            }
        }
    });
}

/// Reduce `c` so that it broadcasts to `target`. A contribution stands for
/// its broadcast to the shape of the node that produced it (`out`), so when
/// `target` lacks some of those axes (it was broadcast along them), the
/// contribution is summed over them.
fn fit(g: &mut Graph, c: NodeId, target: ShapeId, out: ShapeId) -> NodeId {
    let cs = g.node(c).shape;
    let stands_for = g.broadcast_shape(cs, out).unwrap_or(cs);
    if g.broadcastable(stands_for, target) {
        return c;
    }
    if g.broadcastable(target, stands_for) {
        return g.sum(c, stands_for, target);
    }
    let full = g.broadcast(c, stands_for);
    g.sum(full, stands_for, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Dim, InputInfo, Printer};
    use crate::types::{DType, Role};

    fn gradient_text(build: impl FnOnce(&mut Graph, NodeId) -> NodeId) -> String {
        let mut g = Graph::new();
        let n = g.dim_id(Dim::Named("N".into()));
        let shape = g.shape_id(&[n]);
        let x = g.add_input(InputInfo {
            name: "x".into(),
            role: Role::Input,
            dtype: DType::F64,
            shape,
        });
        let root = build(&mut g, x);
        let grads = gradients(&mut g, root);
        let p = Printer::new(&g, &[grads[0].1]);
        let mut text: String = p
            .bindings()
            .iter()
            .map(|(n, e)| format!("{n} = {e}; "))
            .collect();
        text.push_str(&p.expr(grads[0].1));
        text
    }

    fn sum_all(g: &mut Graph, v: NodeId) -> NodeId {
        let from = g.node(v).shape;
        let to = g.scalar_shape();
        g.sum(v, from, to)
    }

    #[test]
    fn derivative_of_sum_of_squares() {
        let t = gradient_text(|g, x| {
            let two = g.constant_node(2.0);
            let sq = g.binary(Binary::Pow, x, two);
            sum_all(g, sq)
        });
        assert_eq!(t, "2 * x");
    }

    #[test]
    fn derivative_of_sigmoid_is_sigmoid_times_sigmoid_of_minus_x() {
        let t = gradient_text(|g, x| {
            let s = g.unary(Unary::Sigmoid, x);
            sum_all(g, s)
        });
        // σ'(x) = σ(x)·σ(-x): the value's sigmoid node is one factor (and
        // σ(-x), not 1 - σ(x), keeps its accuracy where σ(x) rounds to 1).
        assert_eq!(t, "sigmoid(x) * sigmoid(-x)");
    }

    #[test]
    fn untaken_branch_gets_no_gradient() {
        let t = gradient_text(|g, x| {
            let zero = g.constant_node(0.0);
            let c = g.binary(Binary::Gt, x, zero);
            let l = g.unary(Unary::Log, x);
            let s = g.select(c, l, zero);
            sum_all(g, s)
        });
        assert_eq!(t, "if x > 0 then 1 / x else 0");
    }

    #[test]
    fn constant_objective_has_zero_gradient() {
        let t = gradient_text(|g, _| g.constant_node(3.0));
        assert_eq!(t, "0");
    }

    #[test]
    fn broadcast_operands_sum_their_adjoint() {
        // mean(x + z) with x: [N], z: [N, C]: d/dx = C / (N*C) = 1/N.
        let mut g = Graph::new();
        let n = g.dim_id(Dim::Named("N".into()));
        let c = g.dim_id(Dim::Named("C".into()));
        let sx = g.shape_id(&[n]);
        let sz = g.shape_id(&[n, c]);
        let x = g.add_input(InputInfo {
            name: "x".into(),
            role: Role::Input,
            dtype: DType::F64,
            shape: sx,
        });
        let z = g.add_input(InputInfo {
            name: "z".into(),
            role: Role::Target,
            dtype: DType::F64,
            shape: sz,
        });
        let add = g.binary(Binary::Add, x, z);
        let scalar = g.scalar_shape();
        let s = g.sum(add, sz, scalar);
        let count = g.size_node(sz);
        let mean = g.binary(Binary::Div, s, count);
        let grads = gradients(&mut g, mean);
        assert_eq!(crate::ir::format_node(&g, grads[0].1), "C * (1 / (N*C))");
    }
}
