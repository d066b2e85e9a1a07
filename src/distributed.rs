//! Data-parallel partials: the reductions of an objective that merge across
//! shards of a batch by summation.
//!
//! When a batch is split along a *sharded* dimension (usually `N`) over
//! several processes, a mean or a Dice computed per shard and averaged is
//! not the loss of the whole batch. But every objective here is built from
//! elementwise work and reductions, and a sum over the sharded dimension is
//! the sum over shards of the shard's own sums. So:
//!
//! 1. each shard computes the **partials**: the values of those sums (and
//!    the sizes of shapes that include the sharded dimension, the counts of
//!    a mean) on its own rows, one float64 vector;
//! 2. one all-reduce adds the vectors elementwise;
//! 3. each shard **finishes**: it evaluates the objective with the partials
//!    replaced by their merged values, which gives the global value and
//!    terms, and this shard's rows of the gradient of the global objective.
//!
//! [`partials`] finds those nodes and refuses what cannot merge in one
//! round: a max (or logsumexp) over the sharded dimension does not merge by
//! summation, and a sum over shards of something that itself needs merged
//! values (the variance's `sum((x - mean(x))^2)`) would need a second round.
//! Reductions over other axes (a per-row softmax over classes) are local to
//! each shard and need nothing.
//!
//! The nodes are found in one forward loop in arena order, with no recursion.

use crate::ir::{DimId, Graph, NodeId, Op, Reduce};

/// Why an objective cannot be evaluated from merged partials.
// Each variant is documented by its message (`#[error]`).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DistributedError {
    #[error(
        "`{operation}` over the sharded dimension `{dim}` does not merge across shards by summation; only sums (and means) over `{dim}` do"
    )]
    NotMergeable { operation: String, dim: String },
    #[error(
        "a sum over the sharded dimension `{dim}` of a value that itself needs merged sums (`{inner}` inside `{outer}`) needs two rounds of communication; distributed objectives may nest such sums only one deep"
    )]
    Nested {
        dim: String,
        inner: String,
        outer: String,
    },
    #[error(
        "objective `{objective}` has no dimension `{dim}` to shard (its dimensions: {available})"
    )]
    UnknownDim {
        objective: String,
        dim: String,
        available: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Locality {
    /// The same on every shard (constants, replicated inputs, and anything
    /// computed from merged partials).
    Global,
    /// This shard's slice along the sharded dimension.
    Local,
}

/// The partial nodes of the objective reachable from `roots`, in arena
/// (dependency) order: sums that remove a sharded dimension from a local
/// value, and sizes of shapes that include one.
pub fn partials(
    graph: &Graph,
    roots: &[NodeId],
    sharded: &[DimId],
) -> Result<Vec<NodeId>, DistributedError> {
    let live = graph.reachable(roots);
    let count = |shape: &[DimId]| shape.iter().filter(|d| sharded.contains(d)).count();
    let mut locality = vec![Locality::Global; graph.len()];
    // A partial the node depends on, if any.
    let mut below: Vec<Option<NodeId>> = vec![None; graph.len()];
    let mut out = Vec::new();
    for id in graph.node_ids().filter(|n| live[n.0 as usize]) {
        let i = id.0 as usize;
        let node = graph.node(id);
        let local_args = graph
            .args(id)
            .any(|a| locality[a.0 as usize] == Locality::Local);
        below[i] = graph.args(id).find_map(|a| below[a.0 as usize]);
        let is_partial = match node.op {
            Op::Input(_) => {
                locality[i] = if count(graph.shape(node.shape)) > 0 {
                    Locality::Local
                } else {
                    Locality::Global
                };
                false
            }
            Op::Size(s) => count(graph.shape(s)) > 0,
            Op::Reduce(Reduce::Sum, a) if locality[a.0 as usize] == Locality::Local => {
                let removes = count(graph.shape_of(a)) > count(graph.shape(node.shape));
                if !removes {
                    locality[i] = Locality::Local;
                }
                removes
            }
            Op::Reduce(Reduce::MaxLast | Reduce::LogSumExpLast, a)
            | Op::Gather(a, _) // gathers along `a`'s last axis
                if locality[a.0 as usize] == Locality::Local =>
            {
                let last = *graph.shape_of(a).last().expect("reduced arrays have axes");
                if sharded.contains(&last) {
                    let operation = match node.op {
                        Op::Gather(..) => "gather",
                        Op::Reduce(Reduce::MaxLast, _) => "max",
                        _ => "logsumexp",
                    };
                    return Err(DistributedError::NotMergeable {
                        operation: operation.into(),
                        dim: graph.dim_text(last),
                    });
                }
                locality[i] = Locality::Local;
                false
            }
            _ => {
                if local_args {
                    locality[i] = Locality::Local;
                }
                false
            }
        };
        if is_partial {
            if let Some(inner) = below[i] {
                return Err(DistributedError::Nested {
                    dim: sharded_text(graph, sharded),
                    inner: crate::ir::format_node(graph, inner),
                    outer: crate::ir::format_node(graph, id),
                });
            }
            out.push(id);
            // Whatever reads this partial needs its merged value, so a sum
            // over shards of it is a second round.
            below[i] = Some(id);
        }
    }
    Ok(out)
}

/// `merged` cut into consecutive pieces of the lengths `lens` (the
/// partials' sizes for one shard's dimensions); `None` unless the lengths
/// add up to exactly `merged.len()`.
pub fn split_merged(merged: &[f64], lens: impl IntoIterator<Item = usize>) -> Option<Vec<&[f64]>> {
    let mut rest = merged;
    let mut parts = Vec::new();
    for len in lens {
        if rest.len() < len {
            return None;
        }
        let (head, tail) = rest.split_at(len);
        parts.push(head);
        rest = tail;
    }
    rest.is_empty().then_some(parts)
}

fn sharded_text(graph: &Graph, sharded: &[DimId]) -> String {
    sharded
        .iter()
        .map(|&d| graph.dim_text(d))
        .collect::<Vec<_>>()
        .join(", ")
}
