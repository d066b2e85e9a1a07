//! Scheduling: which loops run, in what order, computing what.
//!
//! The plan is built from the value + gradient graph in three steps.
//!
//! 1. **Rewrite** the graph into kernel form: `logsumexp(x)` becomes
//!    `m + log(sum(exp(x - m), axis=-1))` with `m = max(x, axis=-1)`, so every
//!    reduction left is a max or a sum; cross-entropy on logits becomes
//!    PyTorch's `(relu(x) - y·x) + log1p(e^-|x|)` (`cross_entropy_on_logits`).
//! 2. **Barriers.** A global reduction (a sum to a scalar) is a barrier: what
//!    depends on it can only run in a later pass. Everything else —
//!    elementwise work, and per-row reductions over the class axis — is
//!    recomputed inside the pass that needs it, so nothing full-size is ever
//!    materialised.
//! 3. **Passes.** The work (global sums to accumulate, gradients to write)
//!    is grouped by the *domain* it iterates over: the largest shape its
//!    computation touches, and ordered so that each item runs after the sums
//!    it reads, cheap domains first, and a sum nothing waits for joins a
//!    later pass over its domain (see `order_passes`). A domain is *flat* (every value
//!    is a scalar or has the domain's shape) or *rows* (`[rows..., C]`, with
//!    per-row values of shape `[rows...]` and per-class values of shape `[C]`).
//!    In a rows pass each row runs its class-axis reductions in *phases* (one
//!    loop over the row per phase, the row staying in L1), then a final loop.
//!
//! Scalars between passes (normalisers, combined partial sums, `1/N`) are
//! computed by the runtime in float64. So are *class values*: per-class
//! totals over the batch (`sum(x, axis=0)` of an `[N, C]` array, a *class
//! sum*, accumulated by a rows pass into one float64 slot per class and
//! block) and the `[C]` arrays computed from them (multiclass Dice's
//! per-class scores). A later pass reads a class value per class, like a
//! class-weight input.
//!
//! Anything outside this model is reported as [`Unsupported`] and the caller
//! falls back to the reference evaluator.

use crate::ir::{Binary, DimId, Graph, InputId, Kind, NodeId, Op, Reduce, ShapeId, Unary};
use std::collections::HashMap;

/// Why a graph cannot be compiled to native code (yet).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("not supported by the native code generator: {0}")]
pub struct Unsupported(pub String);

/// How a pass iterates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Every element of `shape`, in one flat loop.
    Flat { shape: ShapeId },
    /// `rows` (the shape without its last axis) times `classes`.
    Rows {
        shape: ShapeId,
        rows: ShapeId,
        classes: DimId,
    },
}

impl Domain {
    pub fn shape(&self) -> ShapeId {
        match *self {
            Domain::Flat { shape } | Domain::Rows { shape, .. } => shape,
        }
    }
}

/// Where a node's value lives relative to a pass's domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A scalar computed before the pass (a slot in the scalar table).
    Scalar,
    /// One value per element of the domain.
    Elem,
    /// One value per row (rows domains only).
    Row,
    /// One value per class (rows domains only), the same for every row.
    Class,
}

#[derive(Debug, Clone)]
pub struct Pass {
    /// Position in execution order.
    pub index: u32,
    pub domain: Domain,
    /// Global sums accumulated by this pass, one partial sum per block each.
    pub sums: Vec<NodeId>,
    /// Class sums accumulated by this pass (rows domains), one partial
    /// per class and block each.
    pub class_sums: Vec<NodeId>,
    /// Gradients written by this pass: (index into `Plan::gradients`, node).
    pub outputs: Vec<(usize, NodeId)>,
    /// Row reductions computed in each phase loop (rows domains; phase 1 first).
    pub phases: Vec<Vec<NodeId>>,
    /// `e^-|x|` handed to a later pass: (x, output index) — this pass stores
    /// the exponential of every element's `x` into that output's buffer,
    /// which the later pass overwrites with the gradient (see [`carries`]).
    pub carry_out: Vec<(NodeId, usize)>,
    /// `e^-|x|` an earlier pass left in this pass's output buffer: read back
    /// (before the gradient overwrites it) instead of computed.
    pub carry_in: Vec<(NodeId, usize)>,
}

impl Pass {
    /// What the pass computes per element: the arguments of its sums and
    /// its gradients.
    pub fn roots(&self, g: &Graph) -> Vec<NodeId> {
        let mut roots: Vec<NodeId> = self
            .sums
            .iter()
            .chain(&self.class_sums)
            .map(|&s| arg(g, s))
            .collect();
        roots.extend(self.outputs.iter().map(|o| o.1));
        roots
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub graph: Graph,
    pub value: NodeId,
    pub terms: Vec<NodeId>,
    /// Gradient node per differentiated input.
    pub gradients: Vec<(InputId, NodeId)>,
    /// Passes in execution order.
    pub passes: Vec<Pass>,
    /// Scalar nodes the runtime computes, in dependency order.
    pub scalars: Vec<NodeId>,
    /// Slot of each scalar node in the scalar table.
    pub slot: HashMap<NodeId, usize>,
    /// Integer/boolean inputs passed as floats instead of i64 (per input).
    pub ints_as_floats: Vec<bool>,
    /// Class values the runtime computes (class sums included), in
    /// dependency order.
    pub class_values: Vec<NodeId>,
    /// Slot of each class value in the class table.
    pub class_slot: HashMap<NodeId, usize>,
    /// Scalars and class values together, in dependency (arena) order: the
    /// runtime's sweep between passes.
    pub runtime_order: Vec<NodeId>,
    /// The distributed partials (see [`crate::distributed`]), as nodes of
    /// this plan's graph; each is a pass's sum or class sum, or a size.
    pub shard_sums: Vec<NodeId>,
}

impl Plan {
    pub fn place(&self, domain: Domain, node: NodeId) -> Option<Place> {
        place(&self.graph, domain, node)
    }

    /// Is `node` computed by the runtime between passes (a scalar or a
    /// class value) rather than inside a pass?
    pub fn is_runtime(&self, node: NodeId) -> bool {
        self.graph.shape_of(node).is_empty() || self.class_slot.contains_key(&node)
    }
}

/// Is `id` a class sum: a sum of a `[rows..., C]` array to its class axis `[C]`?
pub fn is_class_sum(g: &Graph, id: NodeId) -> bool {
    let Op::Reduce(Reduce::Sum, a) = g.node(id).op else {
        return false;
    };
    let (to, from) = (g.shape_of(id), g.shape_of(a));
    to.len() == 1 && from.len() >= 2 && from.last() == to.last()
}

/// The class values of the live graph (see the module docs): class sums,
/// the `[C]` nodes computed from them, and the `[C]` arguments those read.
fn class_values(g: &Graph, live: &[bool]) -> Result<Vec<bool>, Unsupported> {
    let mut cv = vec![false; g.len()];
    for id in g.node_ids().filter(|id| live[id.0 as usize]) {
        let rank1 = g.shape_of(id).len() == 1;
        // A constant array is always a class value: the runtime holds its values.
        // A gather reads a class value at each row's label: its result is
        // indexed by rows, not classes.
        let gather = matches!(g.node(id).op, Op::Gather(..));
        cv[id.0 as usize] = is_class_sum(g, id)
            || matches!(g.node(id).op, Op::ConstArray(_))
            || (rank1 && !gather && g.args(id).any(|a| cv[a.0 as usize]));
    }
    for i in (0..g.len()).rev() {
        let id = NodeId(i as u32);
        if cv[i] && !is_class_sum(g, id) {
            for a in g.args(id) {
                if g.shape_of(a).len() == 1 {
                    cv[a.0 as usize] = true;
                }
            }
        }
    }
    for id in g.node_ids().filter(|id| cv[id.0 as usize]) {
        let ok = is_class_sum(g, id)
            || matches!(
                g.node(id).op,
                Op::Const(_)
                    | Op::ConstArray(_)
                    | Op::Input(_)
                    | Op::Unary(..)
                    | Op::Binary(..)
                    | Op::Select(..)
                    | Op::Broadcast(_)
            );
        if !ok {
            return Err(Unsupported(format!(
                "a per-class value of shape {} computed by a reduction or gather",
                g.shape_text(g.node(id).shape)
            )));
        }
    }
    Ok(cv)
}

pub fn place(g: &Graph, domain: Domain, node: NodeId) -> Option<Place> {
    let s = g.node(node).shape;
    if g.shape(s).is_empty() {
        return Some(Place::Scalar);
    }
    match domain {
        Domain::Flat { shape } => (s == shape).then_some(Place::Elem),
        Domain::Rows {
            shape,
            rows,
            classes,
        } => {
            if s == shape {
                Some(Place::Elem)
            } else if s == rows {
                Some(Place::Row)
            } else if g.shape(s) == [classes] {
                Some(Place::Class)
            } else {
                None
            }
        }
    }
}

/// Build the plan for `value`, its `terms` and `gradients` in `source`.
pub fn plan(
    source: &Graph,
    value: NodeId,
    terms: &[NodeId],
    gradients: &[(InputId, NodeId)],
    shard_sums: &[NodeId],
) -> Result<Plan, Unsupported> {
    let mut roots = vec![value];
    roots.extend(terms);
    roots.extend(gradients.iter().map(|g| g.1));
    roots.extend(shard_sums);
    let (graph, map) = rewrite(source, &roots)?;
    // Native code does not bounds-check class indices: the host checks them
    // first, and it evaluates elementwise index expressions only.
    if crate::labels::check_index_expressions(&graph).is_err() {
        return Err(Unsupported(
            "a class index computed by a reduction, gather or one-hot".into(),
        ));
    }
    let m = |n: NodeId| map[&n];
    let shard_sums: Vec<NodeId> = shard_sums.iter().map(|&n| m(n)).collect();
    let value = m(value);
    let terms: Vec<NodeId> = terms.iter().map(|&t| m(t)).collect();
    let gradients: Vec<(InputId, NodeId)> = gradients.iter().map(|&(i, n)| (i, m(n))).collect();
    let mut all_roots = vec![value];
    all_roots.extend(&terms);
    all_roots.extend(gradients.iter().map(|g| g.1));
    let live = graph.reachable(&all_roots);
    let cv = class_values(&graph, &live)?;
    let class_values: Vec<NodeId> = graph.node_ids().filter(|n| cv[n.0 as usize]).collect();
    let class_slot: HashMap<NodeId, usize> = class_values
        .iter()
        .enumerate()
        .map(|(k, &n)| (n, k))
        .collect();
    // What a pass produces and others wait for: global sums of arrays
    // (a sum of a class value is the runtime's) and class sums.
    let barrier = |g: &Graph, n: NodeId| match g.node(n).op {
        Op::Reduce(Reduce::Sum, a) if g.shape_of(n).is_empty() => !cv[a.0 as usize],
        _ => is_class_sum(g, n),
    };

    let mut scalars = Vec::new();
    let mut slot = HashMap::new();
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        if graph.shape_of(id).is_empty() {
            // Scalars are computed by the runtime; a reduction to a scalar
            // other than a sum (the max of a rank-1 array) is a loop it
            // does not have, unless it reduces a class value.
            let unsupported = match graph.node(id).op {
                Op::Reduce(Reduce::MaxLast, a) => !cv[a.0 as usize],
                Op::Gather(..) | Op::OneHot(..) => true,
                _ => false,
            };
            if unsupported {
                return Err(Unsupported(
                    "a class-axis reduction or gather on a rank-1 array".into(),
                ));
            }
            slot.insert(id, scalars.len());
            scalars.push(id);
        }
    }

    // Work items: sums to accumulate and gradients to write, each with the
    // domain it iterates over and the sums it needs first.
    let span = spans(&graph, &live, &cv)?;
    let mut items: Vec<Item> = Vec::new();
    for id in graph.node_ids().filter(|id| live[id.0 as usize]) {
        if let Op::Reduce(Reduce::Sum, a) = graph.node(id).op
            && barrier(&graph, id)
        {
            let domain = span[a.0 as usize].expect("sums reduce arrays");
            items.push(Item {
                domain,
                sum: Some(id),
                output: None,
                needs: sums_below(&graph, a, &barrier),
            });
        }
    }
    for (k, &(_, g)) in gradients.iter().enumerate() {
        let node = graph.node(g);
        let broadcast_scalar = matches!(node.op, Op::Broadcast(a) if graph.shape_of(a).is_empty());
        if graph.shape_of(g).is_empty() || broadcast_scalar || cv[g.0 as usize] {
            continue; // filled by the runtime from a scalar or class value
        }
        let domain = span[g.0 as usize].expect("array gradients have a span");
        items.push(Item {
            domain,
            sum: None,
            output: Some((k, g)),
            needs: sums_below(&graph, g, &barrier),
        });
    }
    let mut passes = order_passes(&graph, items);
    for p in &mut passes {
        finish_pass(&graph, p, &cv)?;
        check_loop_invariants(&graph, p, &cv)?;
    }
    carries(&graph, &mut passes, &cv);
    // Integer and boolean inputs read per element (or per class) are handed
    // to the kernel as floats of its precision (exact up to 2^24 in float32),
    // so that they load as vectors like any other array.
    let mut ints_as_floats = vec![false; graph.inputs.len()];
    for p in &passes {
        for id in graph.node_ids() {
            if let Op::Input(k) = graph.node(id).op {
                let wide = matches!(
                    place(&graph, p.domain, id),
                    Some(Place::Elem | Place::Class)
                );
                if graph.kind(id) != Kind::Float && wide {
                    ints_as_floats[k.0 as usize] = true;
                }
            }
        }
    }
    let mut runtime_order: Vec<NodeId> = scalars.iter().chain(&class_values).copied().collect();
    runtime_order.sort();
    Ok(Plan {
        graph,
        value,
        terms,
        gradients,
        passes,
        scalars,
        slot,
        ints_as_floats,
        runtime_order,
        class_values,
        class_slot,
        shard_sums,
    })
}

/// A unit of work for some pass.
struct Item {
    domain: ShapeId,
    sum: Option<NodeId>,
    output: Option<(usize, NodeId)>,
    /// Global sums this item's computation reads.
    needs: Vec<NodeId>,
}

/// Group items into passes, in an order that respects their dependencies
/// and keeps passes over large domains few: among the domain groups whose
/// items are ready, the one of lowest rank runs first (a cheap pass over the
/// labels' `[N]` can then feed the `[N, C]` pass that computes both the value
/// and the gradient).
fn order_passes(g: &Graph, mut items: Vec<Item>) -> Vec<Pass> {
    let mut done: Vec<NodeId> = Vec::new();
    let mut passes = Vec::new();
    while !items.is_empty() {
        let ready: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].needs.iter().all(|n| done.contains(n)))
            .collect();
        let first = *ready
            .iter()
            .min_by_key(|&&i| (g.shape(items[i].domain).len(), i))
            .expect("sums never depend on themselves");
        let domain = items[first].domain;
        let is_ready = |it: &Item, done: &[NodeId]| it.needs.iter().all(|n| done.contains(n));
        // A sum nothing else waits for can ride along with a later pass over
        // the same domain when there will be one anyway (focal's value next
        // to its gradient, after Dice's sums): the first pass then computes
        // only what the later one needs.
        let later_pass = items
            .iter()
            .any(|it| it.domain == domain && !is_ready(it, &done));
        let deferrable = |it: &Item, items: &[Item]| {
            later_pass
                && it
                    .sum
                    .is_some_and(|s| !items.iter().any(|other| other.needs.contains(&s)))
        };
        let takes_now: Vec<bool> = items
            .iter()
            .map(|it| it.domain == domain && is_ready(it, &done) && !deferrable(it, &items))
            .collect();
        let takes_now = if takes_now.iter().any(|&t| t) {
            takes_now
        } else {
            items
                .iter()
                .map(|it| it.domain == domain && is_ready(it, &done))
                .collect()
        };
        let mut pass = Pass {
            index: passes.len() as u32,
            domain: Domain::Flat { shape: domain },
            sums: vec![],
            class_sums: vec![],
            outputs: vec![],
            phases: vec![],
            carry_out: vec![],
            carry_in: vec![],
        };
        let mut k = 0;
        let mut i = 0;
        while k < items.len() {
            if takes_now[i] {
                let item = items.remove(k);
                match item.sum {
                    Some(s) if !g.shape_of(s).is_empty() => pass.class_sums.push(s),
                    s => pass.sums.extend(s),
                }
                pass.outputs.extend(item.output);
            } else {
                k += 1;
            }
            i += 1;
        }
        done.extend(pass.sums.iter().chain(&pass.class_sums).copied());
        passes.push(pass);
    }
    passes
}

/// The argument `a` of a `sigmoid(a)` or `softplus(a)` as `±x` or `±|x|`.
/// `e^-|x|`, `log1p(e^-|x|)` and `1/(1 + e^-|x|)` depend on `x` alone: the
/// lowering computes them once per `key` (and carries them between passes
/// by it), whichever of the four forms asks.
#[derive(Debug, Clone, Copy)]
pub struct LogisticArg {
    pub key: NodeId,
    pub negated: bool,
    pub of_abs: bool,
}

pub fn logistic_arg(g: &Graph, a: NodeId) -> LogisticArg {
    let (base, negated) = match g.node(a).op {
        Op::Unary(Unary::Neg, x) => (x, true),
        _ => (a, false),
    };
    let (key, of_abs) = match g.node(base).op {
        Op::Unary(Unary::Abs, x) => (x, true),
        _ => (base, false),
    };
    LogisticArg {
        key,
        negated,
        of_abs,
    }
}

/// The key (see [`LogisticArg`]) of every `sigmoid` or `softplus` a pass
/// computes per element.
fn logistic_bases(g: &Graph, pass: &Pass, cv: &[bool]) -> Vec<NodeId> {
    let mut bases: Vec<NodeId> = pass_nodes(g, &pass.roots(g), cv)
        .into_iter()
        .filter_map(|n| match g.node(n).op {
            Op::Unary(Unary::Sigmoid | Unary::Softplus, a) => Some(logistic_arg(g, a).key),
            _ => None,
        })
        .filter(|&x| place(g, pass.domain, x) == Some(Place::Elem))
        .collect();
    bases.sort();
    bases.dedup();
    bases
}

/// Exponentials carried between passes. When two flat passes over one
/// domain both need `e^-|x|` (focal + Dice: Dice's sums need `sigmoid(p)`
/// in the first pass, focal's value and gradient in the second), the first
/// stores it into the buffer of a gradient the second writes, and the
/// second reads it back before overwriting it: one exponential per element
/// instead of two, and no extra memory traffic in the second pass (writing
/// the gradient reads its cache lines anyway). Only passes that write no
/// gradient of their own carry out, so no buffer is needed twice; every
/// element of the buffer is overwritten by the later pass.
fn carries(g: &Graph, passes: &mut [Pass], cv: &[bool]) {
    for b in 0..passes.len() {
        let Domain::Flat { shape } = passes[b].domain else {
            continue;
        };
        let Some(&(k, _)) = passes[b].outputs.first() else {
            continue;
        };
        let later = logistic_bases(g, &passes[b], cv);
        for a in 0..b {
            let earlier = &passes[a];
            if earlier.domain != (Domain::Flat { shape })
                || !earlier.outputs.is_empty()
                || !earlier.carry_out.is_empty()
            {
                continue;
            }
            let shared: Vec<NodeId> = logistic_bases(g, earlier, cv)
                .into_iter()
                .filter(|x| later.contains(x))
                .take(1)
                .collect();
            for x in shared {
                passes[a].carry_out.push((x, k));
                passes[b].carry_in.push((x, k));
            }
            if !passes[b].carry_in.is_empty() {
                break;
            }
        }
    }
}

/// The sums other passes produce (see `barrier` in [`plan`]) reachable from `root`.
fn sums_below(g: &Graph, root: NodeId, barrier: &dyn Fn(&Graph, NodeId) -> bool) -> Vec<NodeId> {
    let live = g.reachable(&[root]);
    g.node_ids()
        .filter(|&n| live[n.0 as usize] && barrier(g, n))
        .collect()
}

/// Decide flat vs rows and the phases of row reductions.
fn finish_pass(g: &Graph, pass: &mut Pass, cv: &[bool]) -> Result<(), Unsupported> {
    let shape = pass.domain.shape();
    let nodes = pass_nodes(g, &pass.roots(g), cv);
    let dims = g.shape(shape).to_vec();
    // Class sums accumulate by class index, which only rows loops have.
    let needs_rows = !pass.class_sums.is_empty()
        || nodes.iter().any(|&n| {
            let s = g.node(n).shape;
            !(s == shape || g.shape(s).is_empty())
                || matches!(
                    g.node(n).op,
                    Op::Reduce(..) | Op::Gather(..) | Op::OneHot(..)
                )
        });
    if needs_rows {
        // A rows shape no node has cannot match any node: a placeholder id is fine.
        let rows = g
            .find_shape(&dims[..dims.len() - 1])
            .unwrap_or(ShapeId(u32::MAX));
        pass.domain = Domain::Rows {
            shape,
            rows,
            classes: *dims.last().unwrap(),
        };
    }
    for &n in &nodes {
        if place(g, pass.domain, n).is_none() {
            let text = g.shape_text(g.node(n).shape);
            return Err(Unsupported(format!(
                "a value of shape {text} inside a loop over {}",
                g.shape_text(shape)
            )));
        }
    }
    // Phases: a row reduction runs in the loop after everything it needs.
    // A class sum read here (`sum(x, axis = 0) + y`) is a class value, the
    // runtime's from an earlier pass: not a reduction of this pass's rows.
    let is_row_reduction = |n: NodeId| {
        matches!(g.node(n).op, Op::Reduce(..)) && !g.shape_of(n).is_empty() && !cv[n.0 as usize]
    };
    let mut phase: HashMap<NodeId, usize> = HashMap::new();
    let mut max_phase = 0;
    for &n in &nodes {
        let from_args = g
            .args(n)
            .filter_map(|a| phase.get(&a).copied())
            .max()
            .unwrap_or(0);
        let p = if is_row_reduction(n) {
            from_args + 1
        } else {
            from_args
        };
        max_phase = max_phase.max(p);
        phase.insert(n, p);
    }
    pass.phases = vec![Vec::new(); max_phase];
    for &n in &nodes {
        if is_row_reduction(n) {
            pass.phases[phase[&n] - 1].push(n);
        }
    }
    Ok(())
}

/// At most this many distinct constants and scalars are read per element
/// of one pass. Each is a value live across the pass's loops (Cranelift
/// hoists them), and the register allocator's time grows with the square of
/// their number: 2 000 take half a second, 30 000 minutes. Losses use a few
/// dozen; a generated objective beyond the limit is `Unsupported` and runs
/// on the reference evaluator.
pub const MAX_LOOP_INVARIANTS: usize = 1024;

fn check_loop_invariants(g: &Graph, pass: &Pass, cv: &[bool]) -> Result<(), Unsupported> {
    let mut invariant = vec![false; g.len()];
    for n in pass_nodes(g, &pass.roots(g), cv) {
        for a in g.args(n) {
            if g.shape_of(a).is_empty() {
                invariant[a.0 as usize] = true;
            }
        }
    }
    let count = invariant.iter().filter(|&&i| i).count();
    if count > MAX_LOOP_INVARIANTS {
        return Err(Unsupported(format!(
            "{count} distinct constants and scalars in one loop (at most {MAX_LOOP_INVARIANTS})"
        )));
    }
    Ok(())
}

fn arg(g: &Graph, n: NodeId) -> NodeId {
    g.args(n).next().unwrap()
}

/// Nodes computed inside a pass for `roots`, in dependency order:
/// everything reachable without crossing into scalars (which come from
/// slots); class values are read, not computed, so their arguments are not.
fn pass_nodes(g: &Graph, roots: &[NodeId], cv: &[bool]) -> Vec<NodeId> {
    let mut mark = vec![false; g.len()];
    let mut stack: Vec<NodeId> = roots.to_vec();
    while let Some(n) = stack.pop() {
        if mark[n.0 as usize] || g.shape_of(n).is_empty() {
            continue;
        }
        mark[n.0 as usize] = true;
        if !cv[n.0 as usize] {
            stack.extend(g.args(n));
        }
    }
    g.node_ids().filter(|n| mark[n.0 as usize]).collect()
}

/// The largest shape each array node's computation touches inside one pass
/// (scalars, including global sums, come from the scalar table).
fn spans(g: &Graph, live: &[bool], cv: &[bool]) -> Result<Vec<Option<ShapeId>>, Unsupported> {
    let mut span: Vec<Option<ShapeId>> = vec![None; g.len()];
    for id in g.node_ids().filter(|id| live[id.0 as usize]) {
        let own = g.node(id).shape;
        if g.shape(own).is_empty() {
            continue; // scalars come from slots
        }
        if cv[id.0 as usize] {
            // Class values are computed by the runtime and read per class.
            span[id.0 as usize] = Some(own);
            continue;
        }
        let mut s = own;
        for a in g.args(id) {
            if let Some(sa) = span[a.0 as usize] {
                s = combine(g, s, sa).ok_or_else(|| {
                    Unsupported(format!(
                        "one loop would need both {} and {}",
                        g.shape_text(s),
                        g.shape_text(sa)
                    ))
                })?;
            }
        }
        span[id.0 as usize] = Some(s);
    }
    Ok(span)
}

/// The smallest domain covering both shapes: one of them, or per-row values
/// `[rows...]` with per-class values `[C]` in an existing `[rows..., C]`
/// (class weights looked up by label).
fn combine(g: &Graph, a: ShapeId, b: ShapeId) -> Option<ShapeId> {
    if let Some(s) = g.broadcast_shape(a, b) {
        return Some(s);
    }
    for (rows, class) in [(a, b), (b, a)] {
        if g.shape(class).len() == 1 {
            let mut dims = g.shape(rows).to_vec();
            dims.extend_from_slice(g.shape(class));
            if let Some(s) = g.find_shape(&dims) {
                return Some(s);
            }
        }
    }
    None
}

/// `y·softplus(-x) + (1 - y)·softplus(x)` (cross-entropy on logits: BCE,
/// focal's cross-entropy factor) as `(x ≥ 0 ? 1 - y : -y)·x +
/// softplus(-|x|)`, the linear part of PyTorch's form written so that it
/// never subtracts infinities: exact for `y` in {0, 1}, one rounding apart
/// otherwise, and at an infinite logit the written form's value (infinite,
/// or NaN where it multiplies 0 by infinity) — `relu(x) - y·x` was NaN at
/// `x = +inf, y = 0`, where the loss is infinite. The lowering takes
/// `softplus(-|x|) = log1p(e^-|x|)` from the exponential the gradient's
/// `sigmoid(x)` shares, so this is about half the operations per element
/// of the written form.
fn cross_entropy_on_logits(g: &mut Graph, a: NodeId, b: NodeId) -> Option<NodeId> {
    // (coefficient, softplus argument) of `c · softplus(s)`.
    let term = |g: &Graph, n: NodeId| match g.node(n).op {
        Op::Binary(Binary::Mul, p, q) => {
            [(p, q), (q, p)]
                .into_iter()
                .find_map(|(c, s)| match g.node(s).op {
                    Op::Unary(Unary::Softplus, arg) => Some((c, arg)),
                    _ => None,
                })
        }
        _ => None,
    };
    for (neg, pos) in [(a, b), (b, a)] {
        let (Some((y, nx)), Some((one_minus_y, x))) = (term(g, neg), term(g, pos)) else {
            continue;
        };
        let Op::Binary(Binary::Sub, one, y2) = g.node(one_minus_y).op else {
            continue;
        };
        if g.node(nx).op != Op::Unary(Unary::Neg, x)
            || g.constant(one) != Some(1.0)
            || g.unbroadcast(y2) != g.unbroadcast(y)
        {
            continue;
        }
        // The coefficient is chosen, then multiplied: one product instead
        // of two, and the same bits as `(1 - y)·x` or `-(y·x)`.
        let zero = g.constant_node(0.0);
        let nonnegative = g.binary(Binary::Ge, x, zero);
        let minus_y = g.unary(Unary::Neg, y);
        let coefficient = g.select(nonnegative, one_minus_y, minus_y);
        let linear = g.binary(Binary::Mul, coefficient, x);
        let abs = g.unary(Unary::Abs, x);
        let neg_abs = g.unary(Unary::Neg, abs);
        let log_term = g.unary(Unary::Softplus, neg_abs);
        return Some(g.binary(Binary::Add, linear, log_term));
    }
    None
}

/// Huber's value, `if |x| < c then 0.5·x² else c·(|x| - c/2)`, as
/// `k·(x - k/2)` with `k = clamp(x, -c, c)`, the very node its simplified
/// gradient multiplies (smooth-L1, the same divided by `c`, likewise):
/// two operations per element instead of six, and bit for bit the same
/// value (`x - x/2` is exact, and at `|x| ≥ c` the sign cancels).
fn huber_as_clamp(g: &mut Graph, cond: NodeId, quad: NodeId, lin: NodeId) -> Option<NodeId> {
    let Op::Binary(Binary::Lt, a, limit) = g.node(cond).op else {
        return None;
    };
    let Op::Unary(Unary::Abs, x) = g.node(a).op else {
        return None;
    };
    let c = g.constant(limit).filter(|&c| c > 0.0 && c.is_finite())?;
    let is = |g: &Graph, n: NodeId, v: f64| g.constant(n) == Some(v);
    // 0.5·|x|², or (smooth-L1) that over c.
    let (half_square, divided) = match g.node(quad).op {
        Op::Binary(Binary::Div, q, d) if is(g, d, c) => (q, true),
        _ => (quad, false),
    };
    let Op::Binary(Binary::Mul, h, sq) = g.node(half_square).op else {
        return None;
    };
    let Op::Binary(Binary::Pow, base, two) = g.node(sq).op else {
        return None;
    };
    if !is(g, h, 0.5) || base != a || !is(g, two, 2.0) {
        return None;
    }
    // |x| - c/2, times c for Huber (where c = 1 leaves no factor).
    let (shifted, scaled) = match g.node(lin).op {
        Op::Binary(Binary::Mul, k, l) if is(g, k, c) => (l, true),
        _ => (lin, false),
    };
    let Op::Binary(Binary::Sub, a2, half_c) = g.node(shifted).op else {
        return None;
    };
    let huber = !divided && (scaled || c == 1.0);
    let smooth_l1 = divided && !scaled;
    if a2 != a || !is(g, half_c, 0.5 * c) || !(huber || smooth_l1) {
        return None;
    }
    let hi = g.constant_node(c);
    let lo = g.constant_node(-c);
    let upper = g.binary(Binary::Min, x, hi);
    let k = g.binary(Binary::Max, upper, lo);
    let half = g.constant_node(0.5);
    let half_k = g.binary(Binary::Mul, half, k);
    let inner = g.binary(Binary::Sub, x, half_k);
    let v = g.binary(Binary::Mul, k, inner);
    Some(if divided {
        let d = g.constant_node(c);
        g.binary(Binary::Div, v, d)
    } else {
        v
    })
}

/// Copy the live part of `g` into kernel form (see the module docs).
fn rewrite(src: &Graph, roots: &[NodeId]) -> Result<(Graph, HashMap<NodeId, NodeId>), Unsupported> {
    let live = src.reachable(roots);
    let mut g = Graph::new();
    let mut dims: HashMap<DimId, DimId> = HashMap::new();
    for d in 0..src.num_dims() {
        let old = DimId(d as u32);
        dims.insert(old, g.dim_id(src.dim(old).clone()));
    }
    let shape = |g: &mut Graph, s: ShapeId| -> ShapeId {
        let mapped: Vec<DimId> = src.shape(s).iter().map(|d| dims[d]).collect();
        g.shape_id(&mapped)
    };
    let mut inputs = Vec::new();
    for info in &src.inputs {
        let mut info = info.clone();
        info.shape = shape(&mut g, info.shape);
        inputs.push(g.add_input(info));
    }
    let mut map: HashMap<NodeId, NodeId> = HashMap::new();
    // `logsumexp` nodes as (max, log(sum(exp(x - max)))), so that `x - lse`
    // is built as `(x - max) - log_sum`: at large logits `max + log_sum`
    // rounded to float32 would lose the digits that matter.
    let mut lse_parts: HashMap<NodeId, (NodeId, NodeId, NodeId)> = HashMap::new();
    // `x - lse` nodes as (x - max, sum): `exp(x - lse)` (softmax, in every
    // cross-entropy gradient) becomes `exp(x - max) / sum`, reusing the very
    // `exp(x - max)` the row sum computed, which the lowering can then keep
    // from the sum's sweep instead of evaluating it again.
    let mut log_softmax: HashMap<NodeId, (NodeId, NodeId)> = HashMap::new();
    for id in src.node_ids().filter(|id| live[id.0 as usize]) {
        let node = *src.node(id);
        let m = |n: NodeId| map[&n];
        let new = match node.op {
            Op::Const(bits) => match node.kind {
                Kind::Float => g.constant_node(f64::from_bits(bits)),
                Kind::Int => g.int_node(f64::from_bits(bits)),
                Kind::Bool => g.bool_node(f64::from_bits(bits) != 0.0),
            },
            Op::ConstArray(k) => g.const_array(src.array(k)),
            Op::Input(k) => inputs[k.0 as usize],
            Op::Size(s) => {
                let s = shape(&mut g, s);
                g.size_node(s)
            }
            Op::Unary(Unary::Exp, a) if log_softmax.contains_key(&m(a)) => {
                let (shifted, sum) = log_softmax[&m(a)];
                let e = g.unary(Unary::Exp, shifted);
                g.binary(Binary::Div, e, sum)
            }
            Op::Unary(f, a) => g.unary(f, m(a)),
            Op::Binary(Binary::Sub, a, b) if lse_parts.get(&m(a)).is_some_and(|p| p.0 == m(b)) => {
                lse_parts[&m(a)].1
            }
            Op::Binary(Binary::Sub, a, b) if lse_parts.contains_key(&m(b)) => {
                let (max, log_sum, sum) = lse_parts[&m(b)];
                let shifted = g.binary(Binary::Sub, m(a), max);
                let r = g.binary(Binary::Sub, shifted, log_sum);
                log_softmax.insert(r, (shifted, sum));
                r
            }
            // `lse - x` (a negated log-softmax, as `-log_softmax(p)` simplifies
            // to) likewise as `log_sum - (x - max)`.
            Op::Binary(Binary::Sub, a, b) if lse_parts.contains_key(&m(a)) => {
                let (max, log_sum, _) = lse_parts[&m(a)];
                let shifted = g.binary(Binary::Sub, m(b), max);
                g.binary(Binary::Sub, log_sum, shifted)
            }
            Op::Binary(Binary::Add, a, b) => match cross_entropy_on_logits(&mut g, m(a), m(b)) {
                Some(r) => r,
                None => g.binary(Binary::Add, m(a), m(b)),
            },
            Op::Binary(op, a, b) => g.binary(op, m(a), m(b)),
            Op::Select(c, a, b) => match huber_as_clamp(&mut g, m(c), m(a), m(b)) {
                Some(r) => r,
                None => g.select(m(c), m(a), m(b)),
            },
            Op::Broadcast(a) => {
                let s = shape(&mut g, node.shape);
                g.broadcast(m(a), s)
            }
            Op::Reduce(Reduce::Sum, a) => {
                let to = shape(&mut g, node.shape);
                let from = g.node(m(a)).shape;
                let from_src = shape(&mut g, src.node(a).shape);
                let from = if from == from_src { from } else { from_src };
                let to_dims = g.shape(to).to_vec();
                let from_dims = g.shape(from).to_vec();
                let row_sum =
                    from_dims.len() == to_dims.len() + 1 && from_dims.starts_with(&to_dims);
                let class_sum = to_dims.len() == 1
                    && from_dims.len() >= 2
                    && from_dims.last() == to_dims.last();
                if !to_dims.is_empty() && !row_sum && !class_sum {
                    return Err(Unsupported(format!(
                        "a sum from {} to {}",
                        g.shape_text(from),
                        g.shape_text(to)
                    )));
                }
                g.sum(m(a), from, to)
            }
            Op::Reduce(Reduce::MaxLast, a) => {
                let from = shape(&mut g, src.node(a).shape);
                g.reduce_last(Reduce::MaxLast, m(a), from)
            }
            Op::Reduce(Reduce::LogSumExpLast, a) => {
                let from = shape(&mut g, src.node(a).shape);
                let x = m(a);
                let max = g.reduce_last(Reduce::MaxLast, x, from);
                let shifted = g.binary(Binary::Sub, x, max);
                let e = g.unary(Unary::Exp, shifted);
                let s = g.reduce_last(Reduce::Sum, e, from);
                let l = g.unary(Unary::Log, s);
                let lse = g.binary(Binary::Add, max, l);
                lse_parts.insert(lse, (max, l, s));
                lse
            }
            Op::Gather(x, i) => {
                let from = shape(&mut g, src.node(x).shape);
                if g.shape(from).len() == 1 {
                    // A class value looked up by label (`gather([1, 2, 3], y)`)
                    // runs in a rows loop over the labels' rows and its
                    // classes: make sure that domain's shape exists, as it
                    // does when something else (a `[C]` parameter's
                    // gradient) already iterates over it.
                    let mut rows_and_classes = g.shape_of(m(i)).to_vec();
                    rows_and_classes.extend_from_slice(g.shape(from));
                    g.shape_id(&rows_and_classes);
                }
                g.gather(m(x), m(i), from)
            }
            Op::OneHot(i) => {
                let classes = dims[src.shape_of(id).last().unwrap()];
                g.onehot(m(i), classes)
            }
        };
        map.insert(id, new);
    }
    Ok((g, map))
}
