//! The IR: a hash-consed expression DAG over symbolic shapes.
//!
//! A [`Graph`] is an arena of [`Node`]s in creation order. Every node's
//! arguments are older than the node itself, so the arena order is a
//! topological order and every pass over the graph is a plain loop (no
//! recursion, so no depth limit). Nodes are hash-consed through
//! [`Graph::intern`]: building the same node twice returns the same
//! [`NodeId`], which is how common subexpressions (including the ones the
//! derivative introduces) end up computed once. Builders go through the smart
//! constructors of `simplify` ([`Graph::unary`], [`Graph::binary`],
//! [`Graph::select`], [`Graph::sum`], ...), which also fold constants and
//! apply algebraic identities, so a graph never holds `x * 1`, `x + 0` or
//! `2 * 3`.
//!
//! Shapes are lists of symbolic dimensions ([`DimId`]); sizes are only known
//! at run time, so one graph serves every batch size. Elementwise operands
//! broadcast to the result shape by being a *prefix* of it (per-row values
//! against a `[N, C]` array, as class-axis reductions produce) or a *suffix*
//! (per-class values such as class weights); the prefix reading wins when both
//! apply. Reductions carry their input shape explicitly, so a reduced operand
//! that simplified to a scalar still sums the right number of elements.
//!
//! The elementwise operations ([`Unary`], [`Binary`]) and everything known
//! about each of them (names, semantics, derivative rules, ranges) are in
//! [`ops`], one table entry per operation.

pub mod ops;
pub(crate) mod print;
pub(crate) mod simplify;
pub(crate) use simplify as simplify_eval;

pub use ops::{Binary, Range, Unary};
pub use print::{Printer, format_node};

use crate::types::{DType, Role};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DimId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShapeId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InputId(pub u32);

/// A constant array of the graph ([`Graph::array`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArrayId(pub u32);

/// A symbolic dimension: a name bound at run time, or a fixed size.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dim {
    Named(String),
    Fixed(u64),
}

/// Element kind of a node's value. Booleans and integers take part in
/// arithmetic as the numbers 0/1 and their integer values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Float,
    Int,
    Bool,
}

impl Kind {
    /// The kind of an input of this element type.
    pub fn of(dtype: DType) -> Kind {
        if dtype.is_float() {
            Kind::Float
        } else if dtype.is_int() {
            Kind::Int
        } else {
            Kind::Bool
        }
    }
}

/// Reductions. `Sum` reduces its argument's shape to the node's shape (a
/// prefix or suffix of it); `MaxLast` and `LogSumExpLast` reduce the last axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reduce {
    Sum,
    MaxLast,
    LogSumExpLast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// A scalar constant (stored as bits so nodes hash).
    Const(u64),
    /// A constant float array of shape `[K]` (a literal list such as class
    /// weights), its values in [`Graph::array`].
    ConstArray(ArrayId),
    Input(InputId),
    /// The number of elements of a shape, as a scalar.
    Size(ShapeId),
    Unary(Unary, NodeId),
    Binary(Binary, NodeId, NodeId),
    /// `Select(c, a, b)`: `a` where `c`, else `b`, elementwise.
    Select(NodeId, NodeId, NodeId),
    /// Broadcast the argument to the node's shape.
    Broadcast(NodeId),
    Reduce(Reduce, NodeId),
    /// `Gather(x, i)`: `x[..., i]` along x's last axis; the node has i's shape.
    Gather(NodeId, NodeId),
    /// `OneHot(i)`: shape `i.shape ++ [classes]` where the class axis is the
    /// node's last dimension.
    OneHot(NodeId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Node {
    pub op: Op,
    pub shape: ShapeId,
    pub kind: Kind,
}

/// An objective as the middle end hands it to execution: its graph, the
/// scalar value, the per-term values and, for every differentiated input,
/// its gradient (a node of the input's shape). Everything below the middle
/// end (the reference evaluator, the native backend) reads this, never
/// the front end's or the API's types.
#[derive(Debug, Clone, Copy)]
pub struct Program<'a> {
    /// The objective's name, for messages.
    pub name: &'a str,
    pub graph: &'a Graph,
    pub value: NodeId,
    pub terms: &'a [NodeId],
    pub gradients: &'a [(InputId, NodeId)],
    /// Hessian diagonals (a node of the input's shape each); empty unless asked for.
    pub hessians: &'a [(InputId, NodeId)],
    /// For a batch sharded along `sharded`, the nodes whose values merge
    /// across shards by summation ([`crate::distributed`]); else empty.
    pub shard_sums: &'a [NodeId],
    pub sharded: &'a [DimId],
}

/// What is known of the sign of a value everywhere (by interval analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// The constant 0.
    Zero,
    /// Never negative.
    NonNegative,
    /// Not provably non-negative.
    Unknown,
}

/// An input of the objective, as the graph sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputInfo {
    pub name: String,
    pub role: Role,
    pub dtype: DType,
    pub shape: ShapeId,
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    index: HashMap<Node, NodeId>,
    dims: Vec<Dim>,
    dim_index: HashMap<Dim, DimId>,
    shapes: Vec<Vec<DimId>>,
    shape_index: HashMap<Vec<DimId>, ShapeId>,
    arrays: Vec<Vec<f64>>,
    pub inputs: Vec<InputInfo>,
}

impl Graph {
    pub fn new() -> Graph {
        Graph::default()
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + use<> {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    pub fn dim(&self, id: DimId) -> &Dim {
        &self.dims[id.0 as usize]
    }

    pub fn dim_id(&mut self, dim: Dim) -> DimId {
        if let Some(&id) = self.dim_index.get(&dim) {
            return id;
        }
        let id = DimId(self.dims.len() as u32);
        self.dims.push(dim.clone());
        self.dim_index.insert(dim, id);
        id
    }

    pub fn num_dims(&self) -> usize {
        self.dims.len()
    }

    pub fn shape(&self, id: ShapeId) -> &[DimId] {
        &self.shapes[id.0 as usize]
    }

    pub fn shape_id(&mut self, dims: &[DimId]) -> ShapeId {
        if let Some(&id) = self.shape_index.get(dims) {
            return id;
        }
        let id = ShapeId(self.shapes.len() as u32);
        self.shapes.push(dims.to_vec());
        self.shape_index.insert(dims.to_vec(), id);
        id
    }

    pub fn scalar_shape(&mut self) -> ShapeId {
        self.shape_id(&[])
    }

    pub fn shape_of(&self, id: NodeId) -> &[DimId] {
        self.shape(self.node(id).shape)
    }

    pub fn rank(&self, id: NodeId) -> usize {
        self.shape_of(id).len()
    }

    pub fn kind(&self, id: NodeId) -> Kind {
        self.node(id).kind
    }

    /// `[N, C]`-style text for a shape.
    pub fn shape_text(&self, shape: ShapeId) -> String {
        let dims: Vec<String> = self
            .shape(shape)
            .iter()
            .map(|&d| self.dim_text(d))
            .collect();
        format!("[{}]", dims.join(", "))
    }

    pub fn dim_text(&self, d: DimId) -> String {
        match self.dim(d) {
            Dim::Named(n) => n.clone(),
            Dim::Fixed(k) => k.to_string(),
        }
    }

    /// The value of a constant node.
    /// The value of a constant node, or of a broadcast constant.
    pub fn constant(&self, id: NodeId) -> Option<f64> {
        match self.node(id).op {
            Op::Const(bits) => Some(f64::from_bits(bits)),
            Op::Broadcast(a) => self.constant(a),
            _ => None,
        }
    }

    /// Insert a node as given, or return the existing identical node.
    /// Does not simplify; builders use the smart constructors ([`Graph::unary`],
    /// [`Graph::binary`], ...) or the helpers below.
    pub fn intern(&mut self, node: Node) -> NodeId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.index.insert(node, id);
        id
    }

    pub fn add_input(&mut self, info: InputInfo) -> NodeId {
        let id = InputId(self.inputs.len() as u32);
        let shape = info.shape;
        let kind = Kind::of(info.dtype);
        self.inputs.push(info);
        self.intern(Node {
            op: Op::Input(id),
            shape,
            kind,
        })
    }

    pub fn input_node(&self, id: InputId) -> Option<NodeId> {
        let info = &self.inputs[id.0 as usize];
        let kind = Kind::of(info.dtype);
        self.index
            .get(&Node {
                op: Op::Input(id),
                shape: info.shape,
                kind,
            })
            .copied()
    }

    pub fn constant_node(&mut self, value: f64) -> NodeId {
        let shape = self.scalar_shape();
        self.intern(Node {
            op: Op::Const(value.to_bits()),
            shape,
            kind: Kind::Float,
        })
    }

    /// A constant float array `[K]`, K the number of values (at least one).
    /// Equal arrays (bit for bit) are one node.
    pub fn const_array(&mut self, values: &[f64]) -> NodeId {
        let k = self.dim_id(Dim::Fixed(values.len() as u64));
        let shape = self.shape_id(&[k]);
        let existing = (0..self.arrays.len()).find(|&i| {
            self.arrays[i].len() == values.len()
                && self.arrays[i]
                    .iter()
                    .zip(values)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
        });
        let id = ArrayId(existing.unwrap_or_else(|| {
            self.arrays.push(values.to_vec());
            self.arrays.len() - 1
        }) as u32);
        self.intern(Node {
            op: Op::ConstArray(id),
            shape,
            kind: Kind::Float,
        })
    }

    /// The values of a constant array.
    pub fn array(&self, id: ArrayId) -> &[f64] {
        &self.arrays[id.0 as usize]
    }

    pub fn bool_node(&mut self, value: bool) -> NodeId {
        let shape = self.scalar_shape();
        self.intern(Node {
            op: Op::Const(f64::from(u8::from(value)).to_bits()),
            shape,
            kind: Kind::Bool,
        })
    }

    pub fn size_node(&mut self, shape: ShapeId) -> NodeId {
        if self.shape(shape).is_empty() {
            return self.constant_node(1.0);
        }
        let fixed: Option<u64> = self
            .shape(shape)
            .iter()
            .map(|&d| match self.dim(d) {
                Dim::Fixed(k) => Some(*k),
                Dim::Named(_) => None,
            })
            .product();
        if let Some(k) = fixed {
            return self.constant_node(k as f64);
        }
        let scalar = self.scalar_shape();
        self.intern(Node {
            op: Op::Size(shape),
            shape: scalar,
            kind: Kind::Float,
        })
    }

    /// Is `small` broadcastable to `big` (a prefix or a suffix of it)?
    pub fn broadcastable(&self, small: ShapeId, big: ShapeId) -> bool {
        let (s, b) = (self.shape(small), self.shape(big));
        s.len() <= b.len() && (b.starts_with(s) || b.ends_with(s))
    }

    /// The shape two operands broadcast to, if any.
    pub fn broadcast_shape(&self, a: ShapeId, b: ShapeId) -> Option<ShapeId> {
        if self.broadcastable(a, b) {
            Some(b)
        } else if self.broadcastable(b, a) {
            Some(a)
        } else {
            None
        }
    }

    /// Nodes reachable from `roots`, as a mask over the arena.
    pub fn reachable(&self, roots: &[NodeId]) -> Vec<bool> {
        let mut live = vec![false; self.nodes.len()];
        for r in roots {
            live[r.0 as usize] = true;
        }
        for i in (0..self.nodes.len()).rev() {
            if live[i] {
                for a in self.args(NodeId(i as u32)) {
                    live[a.0 as usize] = true;
                }
            }
        }
        live
    }

    /// The argument nodes of a node.
    pub fn args(&self, id: NodeId) -> ArgIter {
        let (list, len) = match self.node(id).op {
            Op::Const(_) | Op::ConstArray(_) | Op::Input(_) | Op::Size(_) => ([id; 3], 0),
            Op::Unary(_, a) | Op::Broadcast(a) | Op::Reduce(_, a) | Op::OneHot(a) => ([a, a, a], 1),
            Op::Binary(_, a, b) | Op::Gather(a, b) => ([a, b, b], 2),
            Op::Select(c, a, b) => ([c, a, b], 3),
        };
        ArgIter { list, len, pos: 0 }
    }
}

pub struct ArgIter {
    list: [NodeId; 3],
    len: usize,
    pos: usize,
}

impl Iterator for ArgIter {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.pos < self.len {
            self.pos += 1;
            Some(self.list[self.pos - 1])
        } else {
            None
        }
    }
}

impl Graph {
    /// An integer-valued constant: keeps integer-ness through `if`, so that
    /// `if valid then label else 0` is still a valid index.
    pub fn int_node(&mut self, value: f64) -> NodeId {
        let shape = self.scalar_shape();
        self.intern(Node {
            op: Op::Const(value.to_bits()),
            shape,
            kind: Kind::Int,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_with_x() -> (Graph, NodeId) {
        let mut g = Graph::new();
        let n = g.dim_id(Dim::Named("N".into()));
        let shape = g.shape_id(&[n]);
        let x = g.add_input(InputInfo {
            name: "x".into(),
            role: Role::Input,
            dtype: DType::F64,
            shape,
        });
        (g, x)
    }

    #[test]
    fn identical_nodes_are_shared() {
        let (mut g, x) = graph_with_x();
        let a = g.unary(Unary::Exp, x);
        let b = g.unary(Unary::Exp, x);
        assert_eq!(a, b);
        let two = g.constant_node(2.0);
        assert_eq!(g.binary(Binary::Mul, a, two), g.binary(Binary::Mul, two, a));
    }

    #[test]
    fn constants_fold_and_identities_vanish() {
        let (mut g, x) = graph_with_x();
        let (zero, one, two, three) = (
            g.constant_node(0.0),
            g.constant_node(1.0),
            g.constant_node(2.0),
            g.constant_node(3.0),
        );
        let six = g.binary(Binary::Mul, two, three);
        assert_eq!(g.constant(six), Some(6.0));
        assert_eq!(g.binary(Binary::Mul, x, one), x);
        assert_eq!(g.binary(Binary::Add, zero, x), x);
        // `x * 0` is 0, still of x's shape.
        let z = g.binary(Binary::Mul, x, zero);
        assert_eq!(
            (g.constant(z), g.node(z).shape),
            (Some(0.0), g.node(x).shape)
        );
        let nx = g.unary(Unary::Neg, x);
        assert_eq!(g.unary(Unary::Neg, nx), x);
        let tx = g.binary(Binary::Mul, three, x);
        let ttx = g.binary(Binary::Mul, two, tx);
        assert_eq!(g.node(ttx).op, Op::Binary(Binary::Mul, six, x));
    }

    #[test]
    fn a_known_infinite_factor_is_not_erased_by_zero() {
        let (mut g, x) = graph_with_x();
        let zero = g.constant_node(0.0);
        // `x / 0` is `x * inf` exactly; `x / 0 * 0` and `0 * (x / 0)` are
        // `x * NaN` (NaN everywhere), not 0.
        let q = g.binary(Binary::Div, x, zero);
        let inf = g.constant_node(f64::INFINITY);
        assert_eq!(g.node(q).op, Op::Binary(Binary::Mul, inf, x));
        for z in [
            g.binary(Binary::Mul, q, zero),
            g.binary(Binary::Mul, zero, q),
        ] {
            let Op::Binary(Binary::Mul, c, rest) = g.node(z).op else {
                panic!("{:?}", g.node(z).op)
            };
            assert!(g.constant(c).unwrap().is_nan());
            assert_eq!(rest, x);
        }
        let minus_zero = g.constant_node(-0.0);
        let q = g.binary(Binary::Div, x, minus_zero);
        let neg_inf = g.constant_node(f64::NEG_INFINITY);
        assert_eq!(g.node(q).op, Op::Binary(Binary::Mul, neg_inf, x));
    }

    #[test]
    fn products_move_into_zero_armed_selects() {
        let (mut g, x) = graph_with_x();
        let zero = g.constant_node(0.0);
        let c = g.binary(Binary::Gt, x, zero);
        let s = g.select(c, x, zero);
        let inv = g.unary(Unary::Log, x);
        let p = g.binary(Binary::Mul, s, inv);
        let Op::Select(c2, a, b) = g.node(p).op else {
            panic!("{:?}", g.node(p))
        };
        assert_eq!((c2, b), (c, zero));
        assert_eq!(g.node(a).op, Op::Binary(Binary::Mul, x, inv));
    }

    #[test]
    fn shared_factors_are_taken_out_of_sums_and_differences() {
        let (mut g, x) = graph_with_x();
        let shape = g.node(x).shape;
        let scalar = g.scalar_shape();
        let e = g.unary(Unary::Exp, x);
        let l = g.unary(Unary::Log, x);
        let s = g.sum(x, shape, scalar);
        // Factors in any order, through broadcasts, shared as a multiset:
        // `e·s·e·x - x·e·l` → `(s·e - l)·(x·e)` up to the order of factors.
        let es = g.binary(Binary::Mul, e, s);
        let ese = g.binary(Binary::Mul, es, e);
        let a = g.binary(Binary::Mul, ese, x);
        let xe = g.binary(Binary::Mul, x, e);
        let b = g.binary(Binary::Mul, xe, l);
        let d = g.binary(Binary::Sub, a, b);
        assert_eq!(
            format_node(&g, d),
            "x * t1 * (sum(x) * t1 - log(x))\n  where\n    t1 = exp(x)"
        );
        // `x - 3·x` → `-2·x`, and `x·e + e` → `e·(1 + x)`.
        let three = g.constant_node(3.0);
        let tx = g.binary(Binary::Mul, three, x);
        let d = g.binary(Binary::Sub, x, tx);
        assert_eq!(format_node(&g, d), "-2 * x");
        let d = g.binary(Binary::Add, xe, e);
        assert_eq!(format_node(&g, d), "exp(x) * (1 + x)");
        // Nothing shared: unchanged.
        let d = g.binary(Binary::Sub, l, xe);
        assert_eq!(g.node(d).op, Op::Binary(Binary::Sub, l, xe));
    }

    #[test]
    fn sums_of_broadcast_values_become_products_with_sizes() {
        let (mut g, x) = graph_with_x();
        let shape = g.node(x).shape;
        let scalar = g.scalar_shape();
        let two = g.constant_node(2.0);
        let s = g.sum(two, shape, scalar);
        assert_eq!(format_node(&g, s), "2 * N");
    }
}

impl Graph {
    /// The id of an already interned shape.
    pub fn find_shape(&self, dims: &[DimId]) -> Option<ShapeId> {
        self.shape_index.get(dims).copied()
    }
}
