//! Class labels: the error a class index outside `[0, C)` raises, and the
//! check the native engine runs before any native code.
//!
//! A `gather(x, i)` or `onehot(i, C)` reads class `i` of a row; native code
//! does not bounds-check (it would cost a compare per element in the hottest
//! loops), so every index it will use is checked here first, in Rust, from
//! the caller's data. The reference evaluator meets its indices while it
//! gathers and reports the same [`EvalError`] through [`class_index`].
//!
//! Index expressions are elementwise over labels in every spec the language
//! accepts (`if y != ignore_index then y else 0`); [`check_index_expressions`]
//! says at compile time when one is not, and the native engine refuses such a
//! program (the reference evaluator still runs it). [`check_labels`] then
//! evaluates just the index expressions, elementwise in float64, with the
//! IR's scalar semantics ([`eval_unary`], [`eval_binary`]) — not through the
//! reference evaluator, which is an engine of its own.
//!
//! Layer: execution. Knows the IR and the caller's arrays; no engine.

use crate::ir::simplify_eval::{eval_binary, eval_unary};
use crate::ir::{DimId, Graph, InputId, NodeId, Op};
use crate::runtime::{self, EvalError, InputView, Inputs, Label, RunError};
use ndarray::{ArrayD, IxDyn, Zip};

/// `k` as a class index of `[0, classes)`, or the error naming the input
/// that `index_node` reads.
pub fn class_index(
    graph: &Graph,
    index_node: NodeId,
    k: f64,
    classes: usize,
) -> Result<usize, EvalError> {
    if k >= 0.0 && (k as usize) < classes && k.fract() == 0.0 {
        Ok(k as usize)
    } else {
        Err(EvalError::LabelOutOfRange {
            input: source_input(graph, index_node),
            value: Label::from(k),
            classes,
        })
    }
}

/// The input an index expression reads (for error messages).
pub fn source_input(graph: &Graph, node: NodeId) -> String {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if let Op::Input(k) = graph.node(n).op {
            return graph.inputs[k.0 as usize].name.clone();
        }
        stack.extend(graph.args(n));
    }
    "<index>".into()
}

/// A label error with the class index as the data holds it: an `i64` label
/// beyond 2^53 was rounded when widened to float64, so it is looked up in
/// the input it came from and reported exactly.
pub fn exact_label(inputs: &Inputs<'_>, error: EvalError) -> EvalError {
    match error {
        EvalError::LabelOutOfRange {
            input,
            value: Label::Real(v),
            classes,
        } => {
            let exact = match inputs.get(&input) {
                Some(InputView::I64(a)) => a
                    .iter()
                    .find(|&&x| x as f64 == v && !(0..classes as i128).contains(&i128::from(x)))
                    .map(|&x| Label::Int(x)),
                _ => None,
            };
            EvalError::LabelOutOfRange {
                input,
                value: exact.unwrap_or(Label::Real(v)),
                classes,
            }
        }
        other => other,
    }
}

/// Every node that is used as a class index, with the node (a gather or a
/// one-hot) whose class axis it indexes.
fn index_uses(graph: &Graph) -> Vec<(NodeId, NodeId)> {
    graph
        .node_ids()
        .filter_map(|id| match graph.node(id).op {
            Op::Gather(_, i) | Op::OneHot(i) => Some((id, i)),
            _ => None,
        })
        .collect()
}

/// `Err(node)` when an index expression contains `node`, an operation that
/// is not elementwise (a reduction, a gather, a one-hot): [`check_labels`]
/// evaluates elementwise expressions only.
pub fn check_index_expressions(graph: &Graph) -> Result<(), NodeId> {
    let roots: Vec<NodeId> = index_uses(graph).into_iter().map(|(_, i)| i).collect();
    let live = graph.reachable(&roots);
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        match graph.node(id).op {
            Op::Const(_)
            | Op::ConstArray(_)
            | Op::Input(_)
            | Op::Size(_)
            | Op::Unary(..)
            | Op::Binary(..)
            | Op::Select(..)
            | Op::Broadcast(_) => {}
            Op::Reduce(..) | Op::Gather(..) | Op::OneHot(_) => return Err(id),
        }
    }
    Ok(())
}

/// Check that every class index a gather or one-hot will read lies in
/// `[0, C)`, for validated `inputs` with dimension sizes `dims`. Index
/// expressions must pass [`check_index_expressions`].
pub fn check_labels(graph: &Graph, inputs: &Inputs<'_>, dims: &[usize]) -> Result<(), RunError> {
    let mut uses = index_uses(graph);
    // The common case first: labels from one integer input, checked once
    // per distinct label (and once for a gather and a one-hot of the same
    // labels, which share their index node); only where one is out of range
    // (or the index is another expression) does the float64 evaluation
    // below find and report it.
    let mut checked: Vec<(NodeId, usize)> = Vec::new();
    uses.retain(|&(user, index)| {
        let classes = dims[class_axis(graph, user).0 as usize];
        if checked.contains(&(index, classes)) {
            return false;
        }
        let in_range = one_input_labels_in_range(graph, inputs, index, classes);
        if in_range {
            checked.push((index, classes));
        }
        !in_range
    });
    if uses.is_empty() {
        return Ok(());
    }
    let roots: Vec<NodeId> = uses.iter().map(|&(_, i)| i).collect();
    let values = elementwise_values(graph, &roots, inputs, dims);
    for (user, index) in uses {
        let classes = dims[class_axis(graph, user).0 as usize];
        let Some(v) = &values[index.0 as usize] else {
            continue;
        };
        for &k in v.iter() {
            if let Err(e) = class_index(graph, index, k, classes) {
                return Err(RunError::Eval(exact_label(inputs, e)));
            }
        }
    }
    Ok(())
}

/// The class axis a gather reads from or a one-hot writes.
fn class_axis(graph: &Graph, user: NodeId) -> DimId {
    match graph.node(user).op {
        Op::Gather(x, _) => *graph.shape_of(x).last().expect("gathers read a class axis"),
        _ => *graph
            .shape_of(user)
            .last()
            .expect("one-hots have a class axis"),
    }
}

/// Whether `index`, an expression of one integer input and constants (the
/// input itself, or the prelude's `if y != ignore_index then y else 0`),
/// maps every label present to a class in `[0, classes)`. The labels
/// present are found in two passes over the input (their range, then a
/// bitmap over it), and the expression is evaluated once per distinct label
/// instead of once per row with float64 arrays. False for any other
/// expression, for labels spread over more than 2^20 values, and for a
/// label out of range: the caller then checks the general way, which finds
/// and reports it.
fn one_input_labels_in_range(
    graph: &Graph,
    inputs: &Inputs<'_>,
    index: NodeId,
    classes: usize,
) -> bool {
    let live = graph.reachable(&[index]);
    let nodes: Vec<NodeId> = graph.node_ids().filter(|n| live[n.0 as usize]).collect();
    let mut input = None;
    for &n in &nodes {
        match graph.node(n).op {
            Op::Input(k) if input.is_none_or(|i| i == k) => input = Some(k),
            Op::Const(_) | Op::Unary(..) | Op::Binary(..) | Op::Select(..) => {}
            _ => return false,
        }
    }
    let Some(InputId(k)) = input else {
        return false;
    };
    // Contiguous data as a slice (the order does not matter for a set):
    // iterating an n-dimensional view costs several times more.
    let present = match &inputs[&graph.inputs[k as usize].name] {
        InputView::I64(a) => match a.as_slice_memory_order() {
            Some(s) => labels_present(|| s.iter().copied()),
            None => labels_present(|| a.iter().copied()),
        },
        InputView::I32(a) => match a.as_slice_memory_order() {
            Some(s) => labels_present(|| s.iter().map(|&v| i64::from(v))),
            None => labels_present(|| a.iter().map(|&v| i64::from(v))),
        },
        _ => None,
    };
    let Some(present) = present else {
        return false;
    };
    let mut value = vec![0.0f64; graph.len()];
    present.into_iter().all(|label| {
        for &n in &nodes {
            value[n.0 as usize] = match graph.node(n).op {
                Op::Input(_) => label as f64,
                Op::Const(bits) => f64::from_bits(bits),
                Op::Unary(f, a) => eval_unary(f, value[a.0 as usize]),
                Op::Binary(op, a, b) => eval_binary(op, value[a.0 as usize], value[b.0 as usize]),
                Op::Select(c, a, b) => {
                    if value[c.0 as usize] != 0.0 {
                        value[a.0 as usize]
                    } else {
                        value[b.0 as usize]
                    }
                }
                _ => unreachable!("only the ops accepted above"),
            };
        }
        class_index(graph, index, value[index.0 as usize], classes).is_ok()
    })
}

/// The distinct values `labels()` yields, in increasing order, or `None`
/// when they span more than 2^20 values.
fn labels_present<I: Iterator<Item = i64>>(labels: impl Fn() -> I) -> Option<Vec<i64>> {
    const SPAN: u64 = 1 << 20;
    let (lo, hi) = labels().fold((i64::MAX, i64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return Some(Vec::new());
    }
    let span = hi.abs_diff(lo);
    if span >= SPAN {
        return None;
    }
    let mut seen = vec![0u64; (span as usize + 1).div_ceil(64)];
    for v in labels() {
        let bit = v.abs_diff(lo) as usize;
        seen[bit / 64] |= 1 << (bit % 64);
    }
    let mut out = Vec::new();
    for (w, &word) in seen.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let bit = bits.trailing_zeros() as usize;
            out.push(lo + (w * 64 + bit) as i64);
            bits &= bits - 1;
        }
    }
    Some(out)
}

/// The float64 values of `roots` and of the nodes they read, computed
/// elementwise in the arena's (topological) order; entries of other nodes
/// stay `None`. Every node reached must be elementwise.
fn elementwise_values(
    graph: &Graph,
    roots: &[NodeId],
    inputs: &Inputs<'_>,
    dims: &[usize],
) -> Vec<Option<ArrayD<f64>>> {
    let live = graph.reachable(roots);
    // Each value is dropped after its last use, roots excepted.
    let mut last_use = vec![usize::MAX; graph.len()];
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        for a in graph.args(id) {
            last_use[a.0 as usize] = id.0 as usize;
        }
    }
    for r in roots {
        last_use[r.0 as usize] = usize::MAX;
    }
    let mut values: Vec<Option<ArrayD<f64>>> = vec![None; graph.len()];
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        let node = graph.node(id);
        let shape = runtime::sizes(graph, node.shape, dims);
        let get = |n: NodeId| values[n.0 as usize].as_ref().expect("arguments come first");
        let view = |n: NodeId| {
            runtime::broadcast_view(graph, get(n), graph.node(n).shape, node.shape, &shape)
        };
        let value = match node.op {
            Op::Input(InputId(k)) => inputs[&graph.inputs[k as usize].name].to_f64(),
            Op::Size(s) => {
                let n = runtime::sizes(graph, s, dims).iter().product::<usize>() as f64;
                ArrayD::from_elem(IxDyn(&[]), n)
            }
            Op::Const(bits) => ArrayD::from_elem(IxDyn(&[]), f64::from_bits(bits)),
            Op::ConstArray(k) => ArrayD::from_shape_vec(IxDyn(&shape), graph.array(k).to_vec())
                .expect("a constant array has its fixed length"),
            Op::Unary(f, a) => get(a).mapv(|x| eval_unary(f, x)),
            Op::Binary(op, a, b) => Zip::from(&view(a))
                .and(&view(b))
                .map_collect(|&x, &y| eval_binary(op, x, y)),
            Op::Select(c, a, b) => Zip::from(&view(c))
                .and(&view(a))
                .and(&view(b))
                .map_collect(|&c, &x, &y| if c != 0.0 { x } else { y }),
            Op::Broadcast(a) => view(a),
            Op::Reduce(..) | Op::Gather(..) | Op::OneHot(_) => {
                unreachable!("index expressions were checked to be elementwise")
            }
        };
        for a in graph.args(id) {
            if last_use[a.0 as usize] == id.0 as usize {
                values[a.0 as usize] = None;
            }
        }
        values[id.0 as usize] = Some(value);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Binary, Dim, InputInfo, Reduce};
    use crate::types::{DType, Role};

    /// `x: f64[N, C]`, labels `y: i64[N]` and `k: i64[N, K]`, and the
    /// spelling of `ignore_index = -1`: `gather(x, if y != -1 then y else 0)`.
    fn ignoring_gather() -> (Graph, NodeId, NodeId) {
        let mut g = Graph::new();
        let n = g.dim_id(Dim::Named("N".into()));
        let c = g.dim_id(Dim::Named("C".into()));
        let k = g.dim_id(Dim::Named("K".into()));
        let (nc, rows, nk) = (g.shape_id(&[n, c]), g.shape_id(&[n]), g.shape_id(&[n, k]));
        let input = |g: &mut Graph, name: &str, dtype, shape| {
            let role = if dtype == DType::F64 {
                Role::Input
            } else {
                Role::Target
            };
            let name = name.into();
            g.add_input(InputInfo {
                name,
                role,
                dtype,
                shape,
            })
        };
        let x = input(&mut g, "x", DType::F64, nc);
        let y = input(&mut g, "y", DType::I64, rows);
        let labels = input(&mut g, "k", DType::I64, nk);
        let minus_one = g.int_node(-1.0);
        let zero = g.int_node(0.0);
        let valid = g.binary(Binary::Ne, y, minus_one);
        let index = g.select(valid, y, zero);
        let gathered = g.gather(x, index, nc);
        let largest = g.reduce_last(Reduce::MaxLast, labels, nk);
        (g, gathered, largest)
    }

    fn inputs<'a>(x: &'a [f64], y: &'a [i64], k: &'a [i64]) -> Inputs<'a> {
        let mut inputs = Inputs::new();
        inputs.insert("x".into(), InputView::from_slice(x, &[2, 3]).unwrap());
        inputs.insert("y".into(), InputView::from_slice(y, &[2]).unwrap());
        inputs.insert("k".into(), InputView::from_slice(k, &[2, 1]).unwrap());
        inputs
    }

    #[test]
    fn index_expressions_are_checked_elementwise() {
        let (g, gathered, _) = ignoring_gather();
        assert_eq!(check_index_expressions(&g), Ok(()));
        let x = [0.0; 6];
        let dims = [2, 3, 1];
        // -1 is ignored (the expression maps it to class 0); 2 < C = 3.
        assert!(check_labels(&g, &inputs(&x, &[-1, 2], &[0, 0]), &dims).is_ok());
        let err = check_labels(&g, &inputs(&x, &[-1, 3], &[0, 0]), &dims).unwrap_err();
        assert!(
            matches!(&err, RunError::Eval(EvalError::LabelOutOfRange { input, value: Label::Int(3), classes: 3 }) if input == "y"),
            "{err:?} (gather {gathered:?})"
        );
    }

    /// The per-distinct-label check of one integer input says "in range"
    /// exactly where the float64 evaluation of the whole expression does,
    /// for contiguous and strided, int64 and int32 labels, with ignored,
    /// negative, too large and widely spread values.
    #[test]
    fn the_fast_label_check_agrees_with_the_general_one() {
        let (g, gathered, _) = ignoring_gather();
        let Op::Gather(_, index) = g.node(gathered).op else {
            unreachable!()
        };
        let general = |inputs: &Inputs<'_>| {
            let values = elementwise_values(&g, &[index], inputs, &[4, 3, 1]);
            let v = values[index.0 as usize].as_ref().unwrap();
            v.iter().all(|&k| class_index(&g, index, k, 3).is_ok())
        };
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let x = [0.0; 12];
        for case in 0..400 {
            let spread = [4, 4, 8, 3_000_000][case % 4];
            let labels: Vec<i64> = (0..8)
                .map(|_| (next() % spread) as i64 - 2 + (case % 3 == 0) as i64)
                .collect();
            // Rows 0, 2, 4, 6 of the labels: a strided view.
            let strided = ndarray::ArrayView1::from(&labels[..])
                .slice_move(ndarray::s![..;2])
                .into_dyn();
            let narrow: Vec<i32> = labels[..4].iter().map(|&v| v as i32).collect();
            for y in [
                InputView::from_slice(&labels[..4], &[4]).unwrap(),
                InputView::I64(strided),
                InputView::from_slice(&narrow, &[4]).unwrap(),
            ] {
                let mut inputs = Inputs::new();
                inputs.insert("x".into(), InputView::from_slice(&x, &[4, 3]).unwrap());
                inputs.insert("y".into(), y);
                assert_eq!(
                    one_input_labels_in_range(&g, &inputs, index, 3),
                    general(&inputs),
                    "case {case}: {:?}",
                    inputs["y"]
                );
            }
        }
    }

    #[test]
    fn labels_beyond_two_to_the_53_are_reported_exactly() {
        let (g, ..) = ignoring_gather();
        let x = [0.0; 6];
        let err = check_labels(&g, &inputs(&x, &[0, i64::MAX], &[0, 0]), &[2, 3, 1]);
        assert!(matches!(
            err,
            Err(RunError::Eval(EvalError::LabelOutOfRange {
                value: Label::Int(i64::MAX),
                ..
            }))
        ));
    }

    #[test]
    fn an_index_computed_by_a_reduction_is_refused() {
        let (mut g, _, largest) = ignoring_gather();
        let nc = g.node(g.input_node(InputId(0)).unwrap()).shape;
        let x = g.input_node(InputId(0)).unwrap();
        g.gather(x, largest, nc);
        assert_eq!(check_index_expressions(&g), Err(largest));
    }

    #[test]
    fn labels_print_exactly_when_integral() {
        assert_eq!(Label::from(3.0).to_string(), "3");
        assert_eq!(Label::from(-1.5).to_string(), "-1.5");
        assert_eq!(Label::from(1e300), Label::Real(1e300));
    }
}
