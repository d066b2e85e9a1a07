//! Lowering a scheduled pass to a Cranelift function.
//!
//! Each pass becomes one function of the pass ABI ([`crate::native::abi`]):
//! it processes elements (flat domains) or rows (rows domains) `begin..end`
//! and writes its float64 partial sums. The host guarantees every pointer
//! of the table covers the whole domain, so the loop bounds are the only
//! bounds there are. Class indices are also clamped to `[0, C)` before any
//! gathered load, so even an unvalidated label cannot address memory outside
//! its row.
//!
//! Inner loops run over `lanes`-wide vectors (f32x4 / f64x2) with a scalar
//! tail (short float32 rows: an overlapping last vector, `counted_loops`);
//! sums accumulate in float64 whatever the element type.
//!
//! **Tile primitives.** Given a table of [`tiles`] primitives (level AVX2 or
//! above), a flat pass that computes a `softplus` per element is cut
//! into tiles of [`TILE`] elements: per tile, a short loop writes `-|x|` of
//! each logistic base `x` into a stack scratch buffer, one call of the
//! logistic pack turns it into `σ(-|x|)`, `softplus(-|x|)` and `e^-|x|` in
//! place, and the pass's own loop over the tile reads them back instead of
//! computing its exponential, `log1p` and division (see `Parts`). Tiles are
//! cut from the block's first element, and `TILE` is a multiple of the
//! unrolled vector step, so the vector loop and scalar tail cover the same
//! elements as without tiles; a tile's sums go to accumulators of its own,
//! added to the pass's once per tile, in an order fixed by the blocks (never
//! by the thread count).

use super::vmath::{self, MathOptions};
use crate::backend::tiles;
use crate::ir::simplify::POW_BY_MULTIPLICATION;
use crate::ir::{Binary, Dim, Kind, NodeId, Op, Reduce, Unary};
use crate::native::abi::TableLayout;
use crate::native::schedule::{Domain, LogisticArg, Pass, Place, Plan, logistic_arg};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    AbiParam, Block, InstBuilder, MemFlagsData, Signature, StackSlotData, StackSlotKind, Type,
    Value, types,
};
use cranelift_frontend::{FunctionBuilder, Variable};
use std::collections::HashMap;

/// Vectors per iteration of the main loops, each with its own accumulators
/// and dependency chains. Measured (BENCHMARKS.md workloads, 2 threads): 2
/// beats 4 on Huber (11.7 vs 12.4 ms: at 4 the accumulators spill) and on
/// focal + Dice, ties on MSE, and compiles faster; 1 is 20% slower on BCE
/// (one vector's polynomial chains leave the units idle).
const UNROLL: usize = 2;

/// Elements per tile of a flat pass that calls tile primitives. The
/// prototype measured 256 and 1024 alike; 256 keeps the scratch of one
/// logistic base at 3 KiB (float32) or 6 KiB (float64) of stack. A
/// multiple of every unrolled vector step (`UNROLL` × lanes), so that tiles
/// change neither which elements the scalar tail computes nor the order of
/// the sums.
pub const TILE: i64 = 256;
const _: () = assert!(TILE % (UNROLL as i64 * 4) == 0);

/// Logistic bases of one pass that get the pack, at most: each has its own
/// scratch on the stack (`3 × TILE` elements). Further bases are computed
/// inline, as without primitives.
const MAX_PACKED: usize = 2;

/// A tile primitive that generated code calls (`lossc emit` lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileCall {
    /// The logistic pack, once per tile and logistic base.
    Logistic,
}

impl TileCall {
    /// The primitive's name in [`tiles::Table`].
    pub fn name(self) -> &'static str {
        match self {
            TileCall::Logistic => "logistic",
        }
    }
}

/// The Cranelift signature of a pass ([`crate::native::abi::PassFn`]).
pub fn signature(ptr: Type, call_conv: cranelift_codegen::isa::CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    for t in [ptr, types::I64, types::I64, ptr] {
        sig.params.push(AbiParam::new(t));
    }
    sig
}

/// A value being computed: a number, or a comparison mask.
#[derive(Debug, Clone, Copy)]
enum Ev {
    Num(Value),
    Mask(Value),
}

/// What every `sigmoid(±x)`, `softplus(±x)` and `softplus(-|x|)` of one
/// element is computed from, per base value `x` (binary cross-entropy and
/// focal use all of them).
#[derive(Debug, Clone, Copy)]
enum Parts {
    /// Computed inline: `e = e^-|x|`, `l = log1p(e)`, `inv = 1 / (1 + e)`.
    Inline { e: Value, l: Value, inv: Value },
    /// Read from the logistic pack's scratch, for `e = e^-|x|`:
    /// `l = softplus(-|x|) = log1p(e)` and `s = σ(-|x|) = e / (1 + e)`.
    Packed { l: Value, s: Value },
}

impl Parts {
    fn l(self) -> Value {
        match self {
            Parts::Inline { l, .. } | Parts::Packed { l, .. } => l,
        }
    }
}

/// The scratch of one logistic base in a tiled flat pass: three buffers of
/// `TILE` elements, addressed by the element's offset in its tile.
#[derive(Debug, Clone, Copy)]
struct Scratch {
    key: NodeId,
    /// `-|x|` before the call, `σ(-|x|)` after it (the pack runs in place).
    sigmoid: Value,
    softplus: Value,
    exp: Value,
}

/// Values computed for one element context.
#[derive(Default)]
struct Memo {
    values: HashMap<NodeId, Ev>,
    /// Per base value `x`, what its logistic functions share.
    logistic: HashMap<NodeId, Parts>,
    /// The context of this element's class, where per-class values are
    /// computed (created when first needed).
    per_class: Option<Box<Memo>>,
}

/// A gradient term `± [if cond then] coef · onehot(label) [else 0]`, added
/// at one element per row after the row's dense part is written.
#[derive(Debug, Clone, Copy)]
struct SparseTerm {
    negate: bool,
    cond: Option<NodeId>,
    coef: Option<NodeId>,
    label: NodeId,
}

/// The index of the element being computed.
#[derive(Clone, Copy)]
struct At {
    /// Element type of this context (scalar or vector).
    ty: Type,
    /// Flat element index (of the first lane).
    index: Value,
    /// Class index (rows domains), of the first lane.
    class: Option<Value>,
    /// True in the context of an element's class (`index` is the class),
    /// where per-class values are computed.
    per_class: bool,
}

pub struct Lowering<'a, 'b> {
    plan: &'a Plan,
    pass: &'a Pass,
    b: FunctionBuilder<'b>,
    opts: MathOptions,
    scalar: Type,
    vector: Type,
    lanes: i64,
    layout: TableLayout,
    table: Value,
    scalars: HashMap<NodeId, Value>,
    rows: HashMap<NodeId, Value>,
    bases: HashMap<usize, Value>,
    out_bases: HashMap<usize, Value>,
    classes: Option<Value>,
    row: Option<Value>,
    frontend: cranelift_codegen::isa::TargetFrontendConfig,
    unroll: usize,
    /// A row-summed value (softmax's `exp(x - max)`) that the phase loop
    /// summing it also stores into the gradient row it will later be
    /// overwritten with, and the final loop reads back instead of
    /// recomputing: (node, output index).
    stash: Option<(NodeId, usize)>,
    /// True while the final loop's body is emitted (and the stash is filled).
    reading_stash: bool,
    /// Where each class sum of the pass accumulates in this block's
    /// partials: one float64 per class, after the global sums' slots.
    class_sum_bases: HashMap<NodeId, Value>,
    /// Base pointer of each class value's copy (loaded in the entry block).
    class_bases: HashMap<usize, Value>,
    /// Inputs read element by element in vector code (the streams a
    /// streaming pass touches ahead).
    streamed: Vec<usize>,
    /// The tile primitives flat passes may call (`None`: pure Cranelift).
    tiles: Option<&'static tiles::Primitives>,
    /// The logistic bases whose parts the current tile's pack left in
    /// scratch (empty outside tiled loops).
    packed: Vec<Scratch>,
    /// The first element of the current tile.
    tile_start: Option<Value>,
    /// The primitives this pass calls.
    calls: Vec<TileCall>,
    /// While a row's last, overlapping vector is emitted (`counted_loops`):
    /// the lanes that are its own, the others having been computed by the
    /// vector before. Sums and maxima see only these lanes, stores write
    /// only these lanes (`keep_own_lanes`, `store_element`).
    own_lanes: Option<Value>,
    /// For float32 rows passes, computed once from the row length `C` in
    /// the entry block: whether rows end with an overlapping vector (see
    /// `counted_loops`).
    row_tail: Option<Value>,
}

impl<'a, 'b> Lowering<'a, 'b> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        plan: &'a Plan,
        pass: &'a Pass,
        b: FunctionBuilder<'b>,
        f64_kernel: bool,
        fma: bool,
        layout: TableLayout,
        frontend: cranelift_codegen::isa::TargetFrontendConfig,
        tiles: Option<&'static tiles::Primitives>,
    ) -> Self {
        let (scalar, vector, lanes) = if f64_kernel {
            (types::F64, types::F64X2, 2)
        } else {
            (types::F32, types::F32X4, 4)
        };
        let table = Value::from_u32(0);
        Lowering {
            plan,
            pass,
            b,
            opts: MathOptions { fma },
            scalar,
            vector,
            lanes,
            layout,
            table,
            scalars: HashMap::new(),
            rows: HashMap::new(),
            bases: HashMap::new(),
            out_bases: HashMap::new(),
            classes: None,
            row: None,
            frontend,
            unroll: UNROLL,
            stash: None,
            reading_stash: false,
            class_sum_bases: HashMap::new(),
            class_bases: HashMap::new(),
            streamed: Vec::new(),
            tiles,
            packed: Vec::new(),
            tile_start: None,
            calls: Vec::new(),
            own_lanes: None,
            row_tail: None,
        }
    }

    fn flags() -> MemFlagsData {
        MemFlagsData::new().with_notrap()
    }

    fn elem_bytes(&self) -> i64 {
        if self.scalar == types::F64 { 8 } else { 4 }
    }

    /// Emit the whole function body; returns the tile primitives it calls.
    pub fn lower(mut self) -> Vec<TileCall> {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        let params = self.b.block_params(entry).to_vec();
        let (table, begin, end, partials) = (params[0], params[1], params[2], params[3]);
        self.table = table;
        self.load_scalars();
        // Every base pointer is loaded in the entry block, which dominates all loops.
        for k in 0..self.layout.inputs {
            self.input_base(k);
        }
        for k in 0..self.layout.outputs {
            self.output_base(k);
        }
        for k in 0..self.layout.class_values {
            let base = self.table_word(self.layout.class_value(k));
            self.class_bases.insert(k, base);
        }
        let sums = self.pass.sums.clone();
        let accs: Vec<Variable> = sums.iter().map(|_| self.zero_var(types::F64)).collect();
        match self.pass.domain {
            Domain::Flat { .. } => self.flat_loop(begin, end, &sums, &accs),
            Domain::Rows { classes, .. } => {
                let c = self.dim_size(classes);
                self.classes = Some(c);
                self.row_tail = self.plan_row_tail(c);
                let row_bytes = self.b.ins().imul_imm_s(c, 8);
                for (j, &s) in self.pass.class_sums.clone().iter().enumerate() {
                    let skip = self.b.ins().imul_imm_s(row_bytes, j as i64);
                    let base = self.b.ins().iadd(partials, skip);
                    let base = self.b.ins().iadd_imm_s(base, 8 * sums.len() as i64);
                    self.class_sum_bases.insert(s, base);
                }
                self.rows_loop(begin, end, &sums, &accs);
            }
        }
        for (k, acc) in accs.iter().enumerate() {
            let v = self.b.use_var(*acc);
            self.b
                .ins()
                .store(Self::flags(), v, partials, (8 * k) as i32);
        }
        self.b.ins().return_(&[]);
        self.b.seal_all_blocks();
        self.b.finalize(self.frontend);
        self.calls
    }

    fn zero_var(&mut self, ty: Type) -> Variable {
        let v = self.b.declare_var(ty);
        let z = vmath::splat_const(&mut self.b, ty, 0.0);
        self.b.def_var(v, z);
        v
    }

    fn const_var(&mut self, ty: Type, c: f64) -> Variable {
        let v = self.b.declare_var(ty);
        let z = vmath::splat_const(&mut self.b, ty, c);
        self.b.def_var(v, z);
        v
    }

    fn table_word(&mut self, k: usize) -> Value {
        self.b
            .ins()
            .load(types::I64, Self::flags(), self.table, (8 * k) as i32)
    }

    fn dim_size(&mut self, d: crate::ir::DimId) -> Value {
        match self.plan.graph.dim(d) {
            Dim::Fixed(k) => self.b.ins().iconst(types::I64, *k as i64),
            Dim::Named(_) => {
                let dims = self.table_word(self.layout.dims());
                self.b
                    .ins()
                    .load(types::I64, Self::flags(), dims, (8 * d.0) as i32)
            }
        }
    }

    /// Load every scalar the pass reads once, in the entry block.
    fn load_scalars(&mut self) {
        let table = self.table_word(self.layout.scalars());
        let mut needed: Vec<NodeId> = Vec::new();
        let plan = self.plan;
        let g = &plan.graph;
        let mut roots = self.pass.roots(g);
        let mut seen = vec![false; g.len()];
        while let Some(n) = roots.pop() {
            if std::mem::replace(&mut seen[n.0 as usize], true) {
                continue;
            }
            if g.shape_of(n).is_empty() {
                needed.push(n);
            } else if !plan.class_slot.contains_key(&n) {
                roots.extend(g.args(n));
            }
        }
        for n in needed {
            let slot = self.plan.slot[&n];
            let v = self
                .b
                .ins()
                .load(types::F64, Self::flags(), table, (8 * slot) as i32);
            let v = if self.scalar == types::F32 {
                self.b.ins().fdemote(types::F32, v)
            } else {
                v
            };
            self.scalars.insert(n, v);
        }
    }

    fn input_base(&mut self, k: usize) -> Value {
        if let Some(&v) = self.bases.get(&k) {
            return v;
        }
        let w = self.layout.input(k);
        let v = self.table_word(w);
        self.bases.insert(k, v);
        v
    }

    fn output_base(&mut self, k: usize) -> Value {
        if let Some(&v) = self.out_bases.get(&k) {
            return v;
        }
        let w = self.layout.output(k);
        let v = self.table_word(w);
        self.out_bases.insert(k, v);
        v
    }

    // ---- loops -----------------------------------------------------------

    /// `for i in from..to`: an unrolled vector loop (`unroll` vectors per
    /// iteration, each with its own accumulator slot, so that the adds of
    /// different slots do not wait on each other), a one-vector loop (rows
    /// only), then a scalar tail. `body` gets the index and `Some(slot)` for vector code
    /// or `None` for scalar code.
    ///
    /// Float32 rows at least a vector long with two or three elements left
    /// end instead with one vector that overlaps the one before: it starts
    /// `lanes` elements before the row's end, and `own_lanes` marks the
    /// lanes no vector computed yet (see `keep_own_lanes`,
    /// `store_element`). A row of 10 classes is then three vectors, not two
    /// and two scalar elements whose `exp` costs as much as a vector's.
    /// Instructions in generated code (callgrind, `lossc bench -e
    /// sparse_cce --hessian --threads 1`, 500 000 elements): C = 10 −13 %,
    /// C = 7 −29 %; the larger function costs the unrolled loops a few
    /// more spills (C = 1000 +2.7 %, C = 5 +6 %). One element left stays
    /// scalar (a masked vector timed slower there), and so do float64
    /// rows, where one is all a two-lane vector leaves. Sums stay in a
    /// fixed order per row length.
    fn counted_loops(
        &mut self,
        from: Value,
        to: Value,
        mut body: impl FnMut(&mut Self, Value, Option<usize>),
    ) {
        let i = self.b.declare_var(types::I64);
        self.b.def_var(i, from);
        // Rows are short (a class axis of 10 is common), so their loops keep
        // a one-vector loop between the unrolled one and the scalar tail;
        // flat loops are long, and a scalar tail of < unroll*lanes elements
        // costs less than compiling the body once more.
        let unroll = self.unroll;
        let rows = matches!(self.pass.domain, Domain::Rows { .. });
        let shapes: &[(usize, usize)] = if unroll > 1 && rows {
            &[(unroll, unroll), (1, 1), (0, 0)]
        } else {
            &[(unroll, unroll), (0, 0)]
        };
        for &(step_vectors, slots) in shapes {
            let step = if step_vectors == 0 {
                1
            } else {
                self.lanes * step_vectors as i64
            };
            let header = self.b.create_block();
            let block = self.b.create_block();
            let exit = self.b.create_block();
            self.b.ins().jump(header, &[]);
            self.b.switch_to_block(header);
            let iv = self.b.use_var(i);
            let next = self.b.ins().iadd_imm_s(iv, step);
            // Exit edge first: Cranelift then hoists loop invariants.
            let done = self.b.ins().icmp(IntCC::UnsignedGreaterThan, next, to);
            self.b.ins().brif(done, exit, &[], block, &[]);
            self.b.switch_to_block(block);
            let iv = self.b.use_var(i);
            if slots == 0 {
                body(self, iv, None);
            } else {
                for slot in 0..slots {
                    let at = self.b.ins().iadd_imm_s(iv, self.lanes * slot as i64);
                    body(self, at, Some(slot));
                }
            }
            let iv = self.b.use_var(i);
            let next = self.b.ins().iadd_imm_s(iv, step);
            self.b.def_var(i, next);
            self.b.ins().jump(header, &[]);
            self.b.switch_to_block(exit);
            if let Some(tail) = self.row_tail.filter(|_| rows && step_vectors == 1) {
                self.overlapping_last_vector(i, to, tail, &mut body);
            }
        }
    }

    /// Whether rows of `c` elements end with an overlapping float32
    /// vector (see `counted_loops`): the unrolled and one-vector loops
    /// leave `c mod 4` elements; with two or three left, and a row at least
    /// a vector long, the last vector starts 4 before the row's end. One
    /// element left costs less as a scalar than as a masked vector.
    /// Computed in the entry block, as `c` is the same for every row: an
    /// integer flag, where a vector mask kept live across the function
    /// would take a vector register from the hot loops (it made them spill).
    fn plan_row_tail(&mut self, c: Value) -> Option<Value> {
        if self.lanes != 4 {
            return None; // two-lane rows leave one element at most
        }
        let rest = self.b.ins().band_imm_u(c, 3);
        let two_left = self
            .b
            .ins()
            .icmp_imm_s(IntCC::SignedGreaterThanOrEqual, rest, 2);
        let wide = self
            .b
            .ins()
            .icmp_imm_s(IntCC::SignedGreaterThanOrEqual, c, 4);
        Some(self.b.ins().band(two_left, wide))
    }

    /// The last vector of a row, overlapping the one before, where
    /// `plan_row_tail` says so; it owns its lanes `j >= 4 - c mod 4`.
    /// Afterwards `i` is `to`, so the scalar tail that follows runs no
    /// iteration.
    fn overlapping_last_vector(
        &mut self,
        i: Variable,
        to: Value,
        overlap: Value,
        body: &mut impl FnMut(&mut Self, Value, Option<usize>),
    ) {
        let masked = self.b.create_block();
        let join = self.b.create_block();
        self.b.ins().brif(overlap, masked, &[], join, &[]);
        self.b.switch_to_block(masked);
        let at = self.b.ins().iadd_imm_s(to, -self.lanes);
        let c = self.classes.expect("rows passes know their row length");
        let rest = self.b.ins().band_imm_u(c, 3);
        let four = self.b.ins().iconst(types::I64, 4);
        let first_own = self.b.ins().isub(four, rest);
        let first_own = self.b.ins().ireduce(types::I32, first_own);
        let first_own = self.b.ins().splat(types::I32X4, first_own);
        let iota: Vec<u8> = (0..4i32).flat_map(|j| j.to_le_bytes()).collect();
        let iota = self.b.func.dfg.constants.insert(iota.into());
        let iota = self.b.ins().vconst(types::I32X4, iota);
        let own = self
            .b
            .ins()
            .icmp(IntCC::SignedGreaterThanOrEqual, iota, first_own);
        self.own_lanes = Some(own);
        body(self, at, Some(0));
        self.own_lanes = None;
        self.b.def_var(i, to);
        self.b.ins().jump(join, &[]);
        self.b.switch_to_block(join);
    }

    /// `x` where its lanes are the current vector's own (see
    /// `counted_loops`), `fill` in the lanes an earlier vector of the row
    /// already accounted for: `-0.0` for sums (`x + -0.0` is `x`, even for
    /// `x = -0.0`), `-inf` for maxima. `x` itself outside a row's last vector.
    fn keep_own_lanes(&mut self, x: Value, fill: f64) -> Value {
        match self.own_lanes {
            Some(own) => {
                let ty = self.b.func.dfg.value_type(x);
                let f = vmath::splat_const(&mut self.b, ty, fill);
                vmath::select_where(&mut self.b, own, x, f)
            }
            None => x,
        }
    }

    /// Store element (or vector) `x` at `addr`; in a row's last vector only
    /// its own lanes: the others hold what an earlier vector wrote there
    /// (a gradient over a stashed value the overlap recomputed wrongly).
    fn store_element(&mut self, x: Value, addr: Value) {
        let x = match self.own_lanes {
            Some(own) => {
                let ty = self.b.func.dfg.value_type(x);
                let old = self.b.ins().load(ty, Self::flags(), addr, 0);
                vmath::select_where(&mut self.b, own, x, old)
            }
            None => x,
        };
        self.b.ins().store(Self::flags(), x, addr, 0);
    }

    /// One float64 accumulator per vector slot (f64x2) for each of `n` sums.
    fn slot_accumulators(&mut self, n: usize) -> Vec<Vec<Variable>> {
        (0..self.unroll)
            .map(|_| (0..n).map(|_| self.zero_var(types::F64X2)).collect())
            .collect()
    }

    /// Add the slot accumulators, in slot order, into the scalar ones.
    fn fold_slots(&mut self, slots: &[Vec<Variable>], into: &[Variable]) {
        for (k, acc) in into.iter().enumerate() {
            let mut total = self.b.use_var(slots[0][k]);
            for slot in &slots[1..] {
                let v = self.b.use_var(slot[k]);
                total = self.b.ins().fadd(total, v);
            }
            let h = self.horizontal_f64(total);
            let cur = self.b.use_var(*acc);
            let t = self.b.ins().fadd(cur, h);
            self.b.def_var(*acc, t);
        }
    }

    /// A flat domain's loops: tiled around calls of the logistic pack where
    /// the pass has logistic bases to give it (`packed_keys`), else one
    /// loop over the block.
    fn flat_loop(&mut self, begin: Value, end: Value, sums: &[NodeId], accs: &[Variable]) {
        let slots = self.slot_accumulators(sums.len());
        let keys = self.packed_keys();
        match self.tiles.filter(|_| !keys.is_empty()) {
            Some(prims) => self.tiled_loop(prims, &keys, begin, end, sums, accs, &slots),
            None => self.flat_elements(begin, end, sums, accs, &slots),
        }
        self.fold_slots(&slots, accs);
    }

    /// The element loops over `from..to`. In float32 vector code the unrolled
    /// slots' terms of each sum are first added in float32 (one rounding,
    /// relative 2^-24, to a sum of two vectors), then widened once: the
    /// float64 halves of the pair go to the two slot accumulators. That is 6
    /// instructions a sum per iteration instead of 10, and half the live
    /// accumulators; determinism is unchanged (a fixed order).
    fn flat_elements(
        &mut self,
        from: Value,
        to: Value,
        sums: &[NodeId],
        accs: &[Variable],
        slots: &[Vec<Variable>],
    ) {
        let outputs = self.pass.outputs.clone();
        let pair = self.vector == types::F32X4 && self.unroll == 2;
        let streaming = self.is_streaming();
        let mut pending: Vec<(usize, Value)> = Vec::new();
        self.counted_loops(from, to, |me, i, slot| {
            let ty = if slot.is_some() { me.vector } else { me.scalar };
            let at = At {
                ty,
                index: i,
                class: None,
                per_class: false,
            };
            let Some(slot) = slot.filter(|_| pair) else {
                let accs = match slot {
                    Some(k) => &slots[k],
                    None => accs,
                };
                me.element_work(at, sums, accs, &outputs);
                return;
            };
            let mut memo = me.element_memo(at);
            let terms = me.sum_terms(at, sums, &mut memo);
            me.write_outputs(at, &outputs, &mut memo);
            if slot == 0 {
                pending = terms;
                if streaming {
                    me.touch_ahead(i, to);
                }
                return;
            }
            for ((k, x0), (_, x1)) in std::mem::take(&mut pending).into_iter().zip(terms) {
                let x = me.b.ins().fadd(x0, x1);
                for (half, slot_accs) in me.widen(x).into_iter().zip(slots) {
                    let acc = me.b.use_var(slot_accs[k]);
                    let t = me.b.ins().fadd(acc, half);
                    me.b.def_var(slot_accs[k], t);
                }
            }
        });
    }

    /// The logistic bases of a flat pass worth the pack (at most
    /// `MAX_PACKED`, lowest node first). By cost: a base whose pass needs
    /// its `softplus` costs an exponential, a `log1p` and a division per
    /// element inline, and a store plus three loads with the pack; a base
    /// with only `sigmoid`s costs no `log1p` inline, and there the pack,
    /// which always computes it, lost (W4's Dice sums: 11 % slower at
    /// AVX2, `LOSSC_ISA=scalar` against the default, 1 thread). Passes
    /// without a logistic function (MSE, Huber) stay pure Cranelift. Left
    /// inline: bases read back from an earlier pass
    /// (`carry_in`: their exponential is already paid), and bases whose own
    /// value needs a logistic function (the tile's prologue computes them
    /// without scratch, and the pass's loop must see the same value).
    fn packed_keys(&self) -> Vec<NodeId> {
        if self.tiles.is_none() || !matches!(self.pass.domain, Domain::Flat { .. }) {
            return Vec::new();
        }
        let g = &self.plan.graph;
        let mut roots: Vec<NodeId> = self.pass.sums.iter().map(|&s| arg_of(g, s)).collect();
        roots.extend(self.pass.outputs.iter().map(|&(_, o)| o));
        let reached = self.reached_per_element(roots);
        let mut keys: Vec<NodeId> = g
            .node_ids()
            .filter(|&n| reached[n.0 as usize] && self.place(n) == Place::Elem)
            .filter_map(|n| match g.node(n).op {
                Op::Unary(Unary::Softplus, a) => Some(logistic_arg(g, a).key),
                _ => None,
            })
            .filter(|&x| self.place(x) == Place::Elem)
            .filter(|x| !self.pass.carry_in.iter().any(|c| c.0 == *x))
            .filter(|&x| !self.needs_logistic(x))
            .collect();
        keys.sort();
        keys.dedup();
        keys.truncate(MAX_PACKED);
        keys
    }

    /// Does computing `x` per element compute a `sigmoid` or `softplus`?
    fn needs_logistic(&self, x: NodeId) -> bool {
        let g = &self.plan.graph;
        let reached = self.reached_per_element(vec![x]);
        g.node_ids().any(|n| {
            reached[n.0 as usize]
                && self.place(n) == Place::Elem
                && matches!(g.node(n).op, Op::Unary(Unary::Sigmoid | Unary::Softplus, _))
        })
    }

    /// The flat loop cut into tiles of `TILE` elements from `begin`: per
    /// tile, `-|x|` of every packed base `x` into its scratch, one call of
    /// the logistic pack per base, then the element loops reading the parts
    /// back (`element_memo`). What the element loops keep across tiles
    /// (the pass's sum accumulators, base pointers) is in Cranelift
    /// variables, which the register allocator keeps on the stack across
    /// the calls (every vector register is caller-saved); each tile sums
    /// into accumulators of its own, so its element loop keeps them in
    /// registers.
    #[allow(clippy::too_many_arguments)]
    fn tiled_loop(
        &mut self,
        prims: &'static tiles::Primitives,
        keys: &[NodeId],
        begin: Value,
        end: Value,
        sums: &[NodeId],
        accs: &[Variable],
        slots: &[Vec<Variable>],
    ) {
        let ptr = self.frontend.pointer_type();
        let eb = self.elem_bytes();
        let buffer = TILE * eb;
        self.packed = keys
            .iter()
            .map(|&key| {
                let slot = self.b.create_sized_stack_slot(StackSlotData::new(
                    StackSlotKind::ExplicitSlot,
                    (3 * buffer) as u32,
                    6,
                ));
                let sigmoid = self.b.ins().stack_addr(ptr, slot, 0);
                let softplus = self.b.ins().iadd_imm_s(sigmoid, buffer);
                let exp = self.b.ins().iadd_imm_s(sigmoid, 2 * buffer);
                Scratch {
                    key,
                    sigmoid,
                    softplus,
                    exp,
                }
            })
            .collect();
        self.calls.push(TileCall::Logistic);
        // The pack: `(n, src, sigmoid, softplus, exp_neg_abs)`, C ABI.
        let mut sig = Signature::new(self.frontend.default_call_conv);
        sig.params.push(AbiParam::new(types::I64));
        sig.params.extend([AbiParam::new(ptr); 4]);
        let sig = self.b.import_signature(sig);
        let address = if self.scalar == types::F64 {
            prims.f64.logistic as usize
        } else {
            prims.f32.logistic as usize
        };

        let (t, header, exit) = self.open_loop(begin, end);
        let start = self.b.use_var(t);
        let full = self.b.ins().iadd_imm_s(start, TILE);
        let stop = self.b.ins().umin(full, end);
        let n = self.b.ins().isub(stop, start);
        self.tile_start = Some(start);
        self.counted_loops(start, stop, |me, i, slot| {
            let ty = if slot.is_some() { me.vector } else { me.scalar };
            let at = At {
                ty,
                index: i,
                class: None,
                per_class: false,
            };
            let mut memo = Memo::default();
            for k in 0..me.packed.len() {
                let s = me.packed[k];
                let x = me.num(s.key, at, &mut memo);
                let ax = vmath::abs(&mut me.b, &me.opts, x);
                let u = vmath::neg(&mut me.b, &me.opts, ax);
                let addr = me.scratch_addr(s.sigmoid, at.index);
                me.b.ins().store(Self::flags(), u, addr, 0);
            }
        });
        for s in self.packed.clone() {
            // The primitives are plain `extern "C"` code that cannot unwind
            // or call back; the table is a static of this process.
            let callee = self.b.ins().iconst(ptr, address as i64);
            self.b
                .ins()
                .call_indirect(sig, callee, &[n, s.sigmoid, s.sigmoid, s.softplus, s.exp]);
        }
        // The tile's sums in accumulators of its own, added to the pass's
        // once per tile: the pass's accumulators live across the calls, so
        // the register allocator keeps them on the stack, and an element
        // loop adding into them would wait on a store and a reload every
        // iteration (seen in `lossc emit --asm`). Tiles start at fixed
        // offsets from the block's first element, so the order of the adds
        // is the same for any thread count.
        let tile_slots = self.slot_accumulators(sums.len());
        self.flat_elements(start, stop, sums, accs, &tile_slots);
        for (outer, inner) in slots.iter().zip(&tile_slots) {
            for (&o, &i) in outer.iter().zip(inner) {
                let (acc, part) = (self.b.use_var(o), self.b.use_var(i));
                let total = self.b.ins().fadd(acc, part);
                self.b.def_var(o, total);
            }
        }
        self.b.def_var(t, stop);
        self.close_loop(header, exit);
        self.tile_start = None;
        self.packed.clear();
    }

    /// The address of element `index`'s slot in a scratch buffer of the
    /// current tile.
    fn scratch_addr(&mut self, buffer: Value, index: Value) -> Value {
        let start = self.tile_start.expect("scratch is read inside tiles");
        let offset = self.b.ins().isub(index, start);
        let eb = self.elem_bytes();
        let offset = self.b.ins().imul_imm_s(offset, eb);
        self.b.ins().iadd(buffer, offset)
    }

    /// Opens a loop over `begin..end` with its counter in a variable: emits
    /// the header's test and switches to the body. The caller emits the
    /// body, sets the counter's next value and calls [`close_loop`](Self::close_loop)
    /// with the returned header and exit blocks.
    fn open_loop(&mut self, begin: Value, end: Value) -> (Variable, Block, Block) {
        let counter = self.b.declare_var(types::I64);
        self.b.def_var(counter, begin);
        let header = self.b.create_block();
        let body = self.b.create_block();
        let exit = self.b.create_block();
        self.b.ins().jump(header, &[]);
        self.b.switch_to_block(header);
        let at = self.b.use_var(counter);
        let done = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, at, end);
        self.b.ins().brif(done, exit, &[], body, &[]);
        self.b.switch_to_block(body);
        (counter, header, exit)
    }

    /// Ends a loop [`open_loop`](Self::open_loop) began.
    fn close_loop(&mut self, header: Block, exit: Block) {
        self.b.ins().jump(header, &[]);
        self.b.switch_to_block(exit);
    }

    fn rows_loop(&mut self, begin: Value, end: Value, sums: &[NodeId], accs: &[Variable]) {
        let (r, header, exit) = self.open_loop(begin, end);
        let rv = self.b.use_var(r);
        self.row = Some(rv);
        self.rows.clear();
        self.one_row(sums, accs);
        let rv = self.b.use_var(r);
        let next = self.b.ins().iadd_imm_s(rv, 1);
        self.b.def_var(r, next);
        self.close_loop(header, exit);
    }

    fn one_row(&mut self, sums: &[NodeId], accs: &[Variable]) {
        let plan = self.plan;
        let g = &plan.graph;
        let c = self.classes.unwrap();
        let row = self.row.unwrap();
        let row_start = self.b.ins().imul(row, c);
        let row_end = self.b.ins().iadd(row_start, c);
        self.stash = self.choose_stash();
        // Phase loops: each computes this row's reductions of its phase.
        for phase in self.pass.phases.clone() {
            let roots: Vec<NodeId> = phase.iter().map(|&n| g.args(n).next().unwrap()).collect();
            self.prepare_rows(&roots);
            // Per reduction: one vector accumulator per slot and a scalar one.
            let mut vars = Vec::new();
            for &n in &phase {
                let is_max = matches!(g.node(n).op, Op::Reduce(Reduce::MaxLast, _));
                let (v, s): (Vec<Variable>, Variable) = if is_max {
                    (
                        (0..self.unroll)
                            .map(|_| self.const_var(self.vector, f64::NEG_INFINITY))
                            .collect(),
                        self.const_var(self.scalar, f64::NEG_INFINITY),
                    )
                } else {
                    // Row sums stay in the kernel's precision: a row is short
                    // (one class axis) and lives in L1; only global sums
                    // need float64 partials.
                    (
                        (0..self.unroll)
                            .map(|_| self.zero_var(self.vector))
                            .collect(),
                        self.zero_var(self.scalar),
                    )
                };
                // Vector maxima track their NaN lanes apart (see `vector_max`).
                let nan_lanes: Vec<Variable> = if is_max {
                    (0..self.unroll).map(|_| self.no_lanes_var()).collect()
                } else {
                    Vec::new()
                };
                vars.push((n, is_max, v, s, nan_lanes));
            }
            let vars2 = vars.clone();
            self.counted_loops(row_start, row_end, |me, i, slot| {
                let ty = if slot.is_some() { me.vector } else { me.scalar };
                let class = me.b.ins().isub(i, row_start);
                let at = At {
                    ty,
                    index: i,
                    class: Some(class),
                    per_class: false,
                };
                let mut memo = Memo::default();
                for (n, is_max, v, s, nan_lanes) in &vars2 {
                    let a = me.plan.graph.args(*n).next().unwrap();
                    let x = me.num(a, at, &mut memo);
                    if let Some((node, k)) = me.stash {
                        if node == a {
                            // Each element is stored here and read back at the
                            // same index by the final loop before its gradient
                            // is written there.
                            let addr = me.output_addr(k, at.index);
                            me.store_element(x, addr);
                        }
                    }
                    let x = me.keep_own_lanes(x, if *is_max { f64::NEG_INFINITY } else { -0.0 });
                    let var = match slot {
                        Some(k) => v[k],
                        None => *s,
                    };
                    let acc = me.b.use_var(var);
                    let updated = match slot {
                        Some(k) if *is_max => {
                            let seen = me.b.use_var(nan_lanes[k]);
                            let (m, seen) = me.vector_max(acc, x, seen);
                            me.b.def_var(nan_lanes[k], seen);
                            m
                        }
                        None if *is_max => me.running_max(acc, x),
                        _ => me.b.ins().fadd(acc, x),
                    };
                    me.b.def_var(var, updated);
                }
            });
            for (n, is_max, v, s, nan_lanes) in vars {
                let mut vv = self.b.use_var(v[0]);
                for var in &v[1..] {
                    let x = self.b.use_var(*var);
                    vv = if is_max {
                        self.b.ins().fmax(vv, x)
                    } else {
                        self.b.ins().fadd(vv, x)
                    };
                }
                let sv = self.b.use_var(s);
                let result = if is_max {
                    let h = self.horizontal(vv, true);
                    let m = self.b.ins().fmax(h, sv);
                    self.with_nan_where_seen(m, &nan_lanes)
                } else {
                    let h = self.horizontal_sum(vv);
                    self.b.ins().fadd(h, sv)
                };
                self.rows.insert(n, result);
            }
        }
        // The final loop: element-level sums and gradients.
        let elem_sums: Vec<(usize, NodeId)> = sums
            .iter()
            .enumerate()
            .filter(|(_, s)| self.place(g.args(**s).next().unwrap()) == Place::Elem)
            .map(|(k, s)| (k, *s))
            .collect();
        let mut sparse = Vec::new();
        let elem_outs: Vec<(usize, NodeId)> = self
            .pass
            .outputs
            .iter()
            .copied()
            .filter(|o| self.place(o.1) == Place::Elem)
            .map(|(k, o)| {
                let (dense, terms) = self.split_sparse(o);
                sparse.extend(terms.into_iter().map(|t| (k, t)));
                (k, dense)
            })
            .collect();
        let mut roots: Vec<NodeId> = elem_sums
            .iter()
            .map(|(_, s)| g.args(*s).next().unwrap())
            .collect();
        roots.extend(elem_outs.iter().map(|o| o.1));
        roots.extend(self.pass.class_sums.iter().map(|&s| arg_of(g, s)));
        if !roots.is_empty() {
            self.prepare_rows(&roots);
            let slots = self.slot_accumulators(elem_sums.len());
            let sums_only: Vec<NodeId> = elem_sums.iter().map(|(_, s)| *s).collect();
            let scalar_accs: Vec<Variable> = elem_sums.iter().map(|(k, _)| accs[*k]).collect();
            let outs = elem_outs.clone();
            self.reading_stash = self.stash.is_some();
            self.counted_loops(row_start, row_end, |me, i, slot| {
                let ty = if slot.is_some() { me.vector } else { me.scalar };
                let class = me.b.ins().isub(i, row_start);
                let at = At {
                    ty,
                    index: i,
                    class: Some(class),
                    per_class: false,
                };
                let accs = match slot {
                    Some(k) => &slots[k],
                    None => &scalar_accs,
                };
                me.element_work(at, &sums_only, accs, &outs);
            });
            self.reading_stash = false;
            self.fold_slots(&slots, &scalar_accs);
        }
        for (k, term) in sparse {
            self.add_sparse_term(k, term, row_start);
        }
        // Row epilogue: row-level sums and gradients.
        let row_items: Vec<NodeId> = sums
            .iter()
            .map(|s| g.args(*s).next().unwrap())
            .chain(self.pass.outputs.iter().map(|o| o.1))
            .filter(|&n| self.place(n) == Place::Row)
            .collect();
        self.prepare_rows(&row_items);
        for (k, &s) in sums.iter().enumerate() {
            let a = g.args(s).next().unwrap();
            if self.place(a) == Place::Row {
                let v = self.rows[&a];
                let v = self.to_f64(v);
                let cur = self.b.use_var(accs[k]);
                let t = self.b.ins().fadd(cur, v);
                self.b.def_var(accs[k], t);
            }
        }
        for &(k, o) in &self.pass.outputs.clone() {
            if self.place(o) == Place::Row {
                let v = self.rows[&o];
                let addr = self.output_addr(k, row);
                self.b.ins().store(Self::flags(), v, addr, 0);
            }
        }
    }

    /// Splits a gradient of a rows pass into a dense part, computed by the
    /// final loop, and terms `± coef·onehot(label)` (possibly under a row
    /// condition), which are nonzero at one class per row: the row epilogue
    /// adds each at its one element (`add_sparse_term`). For cross-entropy on
    /// integer labels, `softmax - onehot`, this takes the class-index compare
    /// and two selects out of every vector of the row. Only `+`/`-` at the
    /// top of the gradient are split, and only where the dense rest is itself
    /// per element; the arithmetic at the label is the same subtraction.
    fn split_sparse(&self, o: NodeId) -> (NodeId, Vec<SparseTerm>) {
        let g = &self.plan.graph;
        let mut terms = Vec::new();
        let mut dense = o;
        loop {
            let (rest, term) = match g.node(dense).op {
                Op::Binary(Binary::Sub, x, y) => (x, self.sparse_term(y, true)),
                Op::Binary(Binary::Add, x, y) => match self.sparse_term(y, false) {
                    Some(t) => (x, Some(t)),
                    None => (y, self.sparse_term(x, false)),
                },
                _ => break,
            };
            match term {
                Some(t)
                    if self.place(rest) == Place::Elem && g.node(rest).shape == g.node(o).shape =>
                {
                    terms.push(t);
                    dense = rest;
                }
                _ => break,
            }
        }
        (dense, terms)
    }

    /// `[if c then] [coef ·] onehot(label) [else 0]` with `c`, `coef` and
    /// `label` per row (or scalar) and an integer label.
    fn sparse_term(&self, n: NodeId, negate: bool) -> Option<SparseTerm> {
        let g = &self.plan.graph;
        let per_row = |m: NodeId| matches!(self.place(m), Place::Row | Place::Scalar);
        let (cond, inner) = match g.node(n).op {
            Op::Select(c, a, z) if g.constant(z) == Some(0.0) && per_row(c) => (Some(c), a),
            _ => (None, n),
        };
        let (coef, onehot) = match g.node(inner).op {
            Op::OneHot(_) => (None, inner),
            Op::Binary(Binary::Mul, a, b)
                if matches!(g.node(b).op, Op::OneHot(_)) && per_row(a) =>
            {
                (Some(a), b)
            }
            Op::Binary(Binary::Mul, a, b)
                if matches!(g.node(a).op, Op::OneHot(_)) && per_row(b) =>
            {
                (Some(b), a)
            }
            _ => return None,
        };
        let Op::OneHot(label) = g.node(onehot).op else {
            return None;
        };
        (self.place(label) == Place::Row && g.kind(label) == Kind::Int).then_some(SparseTerm {
            negate,
            cond,
            coef,
            label,
        })
    }

    /// `out[row, label] ±= [c ?] coef [: 0]` for one sparse term, after the
    /// final loop has written the row's dense part.
    fn add_sparse_term(&mut self, k: usize, t: SparseTerm, row_start: Value) {
        let row = self.row.unwrap();
        let at = At {
            ty: self.scalar,
            index: row,
            class: None,
            per_class: false,
        };
        let mut memo = Memo::default();
        let mut v = match t.coef {
            Some(c) => self.num(c, at, &mut memo),
            None => vmath::splat_const(&mut self.b, self.scalar, 1.0),
        };
        if let Some(c) = t.cond {
            let m = self.mask(c, at, &mut memo);
            let zero = vmath::splat_const(&mut self.b, self.scalar, 0.0);
            v = self.b.ins().select(m, v, zero);
        }
        let class = self.class_of_label(t.label);
        let index = self.b.ins().iadd(row_start, class);
        let addr = self.output_addr(k, index);
        let cur = self.b.ins().load(self.scalar, Self::flags(), addr, 0);
        let new = if t.negate {
            self.b.ins().fsub(cur, v)
        } else {
            self.b.ins().fadd(cur, v)
        };
        self.b.ins().store(Self::flags(), new, addr, 0);
    }

    /// A value worth keeping from a phase loop for the final loop: the
    /// argument of a row sum that the final loop needs again, when the pass
    /// writes a gradient row to keep it in. Inputs are loaded anyway.
    fn choose_stash(&self) -> Option<(NodeId, usize)> {
        let g = &self.plan.graph;
        let out = self
            .pass
            .outputs
            .iter()
            .find(|o| self.place(o.1) == Place::Elem)?
            .0;
        let mut roots: Vec<NodeId> = self
            .pass
            .outputs
            .iter()
            .filter(|o| self.place(o.1) == Place::Elem)
            .map(|o| o.1)
            .collect();
        roots.extend(
            self.pass
                .sums
                .iter()
                .map(|&s| g.args(s).next().unwrap())
                .filter(|&a| self.place(a) == Place::Elem),
        );
        // What the final loop computes per element: stop at per-row values.
        let needed = self.reached_per_element(roots);
        self.pass.phases.iter().flatten().find_map(|&r| {
            let a = g.args(r).next().unwrap();
            let candidate = matches!(g.node(r).op, Op::Reduce(Reduce::Sum, _))
                && needed[a.0 as usize]
                && self.place(a) == Place::Elem
                && !matches!(g.node(a).op, Op::Input(_));
            candidate.then_some((a, out))
        })
    }

    /// Does the flat pass do so little per element that memory bandwidth
    /// limits it? True when no elementary function is computed per element
    /// (MSE, Huber, L2: a handful of instructions per element).
    fn is_streaming(&self) -> bool {
        let g = &self.plan.graph;
        let mut roots: Vec<NodeId> = self.pass.sums.iter().map(|&s| arg_of(g, s)).collect();
        roots.extend(self.pass.outputs.iter().map(|&(_, o)| o));
        let reached = self.reached_per_element(roots);
        !g.node_ids().any(|n| {
            reached[n.0 as usize]
                && self.place(n) == Place::Elem
                && match g.node(n).op {
                    Op::Unary(f, _) => is_elementary_function(f),
                    Op::Binary(Binary::Pow, _, e) => g
                        .constant(e)
                        .is_none_or(|e| e.fract() != 0.0 || e.abs() > POW_BY_MULTIPLICATION),
                    _ => false,
                }
        })
    }

    /// The nodes reached from `roots` through per-element values: every
    /// per-element node the pass computes, and the per-row, per-class or
    /// scalar values where the walk stops.
    fn reached_per_element(&self, roots: Vec<NodeId>) -> Vec<bool> {
        let g = &self.plan.graph;
        let mut reached = vec![false; g.len()];
        let mut stack = roots;
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut reached[n.0 as usize], true) || self.place(n) != Place::Elem {
                continue;
            }
            stack.extend(g.args(n));
        }
        reached
    }

    /// Load one element of every streamed input 1 KiB ahead of `i` (clamped
    /// to the block's last element, so always in bounds) and drop it: a
    /// software prefetch, which Cranelift's IR does not have. The hardware
    /// prefetcher alone leaves bandwidth-bound loops at ~80% of the triad
    /// with 128-bit stores; measured on W1/W6 (2 threads, N = 2^24), these
    /// loads gain 3-5%, and cost as much on compute-bound loops (BCE +8%),
    /// hence streaming passes only. The loads may trap in principle (so
    /// Cranelift keeps them although nothing uses their value); in fact the
    /// clamp keeps them inside the validated domain.
    fn touch_ahead(&mut self, i: Value, end: Value) {
        let eb = self.elem_bytes();
        let ahead = self.b.ins().iadd_imm_s(i, 1024 / eb);
        let last = self.b.ins().iadd_imm_s(end, -1);
        let j = self.b.ins().umin(ahead, last);
        let off = self.b.ins().imul_imm_s(j, eb);
        for k in self.streamed.clone() {
            let base = self.input_base(k);
            let addr = self.b.ins().iadd(base, off);
            self.b.ins().load(self.scalar, MemFlagsData::new(), addr, 0);
        }
    }

    /// Accumulate `sums` and write `outputs` for one element context (and,
    /// in rows passes, add the element to its class's slot of each class sum).
    fn element_work(
        &mut self,
        at: At,
        sums: &[NodeId],
        accs: &[Variable],
        outputs: &[(usize, NodeId)],
    ) {
        let mut memo = self.element_memo(at);
        for s in self.pass.class_sums.clone() {
            let a = arg_of(&self.plan.graph, s);
            let x = self.num(a, at, &mut memo);
            let x = self.keep_own_lanes(x, -0.0);
            let class = at.class.expect("class sums accumulate in rows loops");
            let off = self.b.ins().imul_imm_s(class, 8);
            let addr = self.b.ins().iadd(self.class_sum_bases[&s], off);
            self.add_to_f64_memory(addr, x);
        }
        for (k, x) in self.sum_terms(at, sums, &mut memo) {
            let x = self.keep_own_lanes(x, -0.0);
            let acc = self.b.use_var(accs[k]);
            let t = self.add_f64(acc, x);
            self.b.def_var(accs[k], t);
        }
        self.write_outputs(at, outputs, &mut memo);
    }

    /// This element's (or vector's) term of each global sum computed per
    /// element, by sum index.
    fn sum_terms(&mut self, at: At, sums: &[NodeId], memo: &mut Memo) -> Vec<(usize, Value)> {
        let mut terms = Vec::new();
        for (k, &s) in sums.iter().enumerate() {
            let a = self.plan.graph.args(s).next().unwrap();
            if self.place(a) == Place::Elem {
                terms.push((k, self.num(a, at, memo)));
            }
        }
        terms
    }

    fn write_outputs(&mut self, at: At, outputs: &[(usize, NodeId)], memo: &mut Memo) {
        for &(k, o) in outputs {
            if self.place(o) != Place::Elem {
                continue;
            }
            let x = self.num(o, at, memo);
            let addr = self.output_addr(k, at.index);
            self.store_element(x, addr);
        }
    }

    /// `max(acc, x)` for the scalar tail of a running maximum, as a compare
    /// and a select (half the instructions of Cranelift's IEEE `fmax` on
    /// x86): take `x` where it is larger or NaN, so a NaN, once taken, stays
    /// (every later compare with it is false). Ties of +0 and -0 keep the earlier one, which no
    /// later use of a row maximum can tell apart.
    fn running_max(&mut self, acc: Value, x: Value) -> Value {
        let larger = self.b.ins().fcmp(FloatCC::GreaterThan, x, acc);
        let nan = self.b.ins().fcmp(FloatCC::Unordered, x, x);
        let take = self.b.ins().bor(larger, nan);
        vmath::select_where(&mut self.b, take, x, acc)
    }

    /// The running maximum of a vector phase loop, as one `maxps`: `acc`
    /// where it is larger, else `x` (so a NaN in `x` is taken, and a NaN
    /// already in `acc` is lost to the next element; hence `seen`, the lanes
    /// that have met a NaN, which `with_nan_where_seen` applies once per
    /// row). Three instructions a vector and a 4-cycle dependency chain,
    /// against six and 7 cycles for the select that keeps NaN by itself.
    fn vector_max(&mut self, acc: Value, x: Value, seen: Value) -> (Value, Value) {
        let smaller = self.b.ins().fcmp(FloatCC::LessThan, x, acc);
        let m = vmath::select_where(&mut self.b, smaller, acc, x);
        let nan = self.b.ins().fcmp(FloatCC::Unordered, x, x);
        (m, self.b.ins().bor(seen, nan))
    }

    /// A vector lane mask with no lane set.
    fn no_lanes_var(&mut self) -> Variable {
        let zero = vmath::splat_const(&mut self.b, self.vector, 0.0);
        let none = self.b.ins().fcmp(FloatCC::Unordered, zero, zero);
        let ty = self.b.func.dfg.value_type(none);
        let v = self.b.declare_var(ty);
        self.b.def_var(v, none);
        v
    }

    /// `m`, or NaN if any lane of any of `seen` is set.
    fn with_nan_where_seen(&mut self, m: Value, seen: &[Variable]) -> Value {
        let Some((&first, rest)) = seen.split_first() else {
            return m;
        };
        let mut any = self.b.use_var(first);
        for &v in rest {
            let s = self.b.use_var(v);
            any = self.b.ins().bor(any, s);
        }
        let any = self.b.ins().vany_true(any);
        let nan = vmath::splat_const(&mut self.b, self.scalar, f64::NAN);
        self.b.ins().select(any, nan, m)
    }

    /// `*addr += x` in float64, lane by lane (`addr` points at as many
    /// float64 slots as `x` has lanes).
    fn add_to_f64_memory(&mut self, addr: Value, x: Value) {
        for (k, h) in self.widen(x).into_iter().enumerate() {
            let t = self.b.func.dfg.value_type(h);
            let off = 16 * k as i32;
            let cur = self.b.ins().load(t, Self::flags(), addr, off);
            let sum = self.b.ins().fadd(cur, h);
            self.b.ins().store(Self::flags(), sum, addr, off);
        }
    }

    // ---- arithmetic helpers ------------------------------------------------

    /// `acc + x` in float64: `acc` is f64x2 for vector `x`, f64 for scalar `x`
    /// (an f32x4 adds its two halves in lane order).
    fn add_f64(&mut self, acc: Value, x: Value) -> Value {
        let mut acc = acc;
        for half in self.widen(x) {
            acc = self.b.ins().fadd(acc, half);
        }
        acc
    }

    /// `x` in float64: itself (f64, f64x2), promoted (f32), or an f32x4's
    /// low and high lanes as two f64x2, in lane order.
    fn widen(&mut self, x: Value) -> Vec<Value> {
        if self.b.func.dfg.value_type(x) != types::F32X4 {
            return vec![self.to_f64(x)];
        }
        let hi = self.high_half(x);
        vec![
            self.b.ins().fvpromote_low(x),
            self.b.ins().fvpromote_low(hi),
        ]
    }

    /// Lanes 2 and 3 of an f32x4 moved to lanes 0 and 1.
    fn high_half(&mut self, x: Value) -> Value {
        let mask: Vec<u8> = vec![8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
        let imm = self.b.func.dfg.immediates.push(mask.into());
        let lanes = MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little);
        let bytes = self.b.ins().bitcast(types::I8X16, lanes, x);
        let moved = self.b.ins().shuffle(bytes, bytes, imm);
        self.b.ins().bitcast(types::F32X4, lanes, moved)
    }

    fn to_f64(&mut self, x: Value) -> Value {
        if self.b.func.dfg.value_type(x) == types::F32 {
            self.b.ins().fpromote(types::F64, x)
        } else {
            x
        }
    }

    fn horizontal_f64(&mut self, v: Value) -> Value {
        let a = self.b.ins().extractlane(v, 0);
        let b = self.b.ins().extractlane(v, 1);
        self.b.ins().fadd(a, b)
    }

    /// Horizontal sum of a vector of the kernel's element type, lanes in order.
    fn horizontal_sum(&mut self, v: Value) -> Value {
        let mut acc = self.b.ins().extractlane(v, 0);
        for k in 1..self.lanes as u8 {
            let x = self.b.ins().extractlane(v, k);
            acc = self.b.ins().fadd(acc, x);
        }
        acc
    }

    /// Horizontal max of a vector of the kernel's element type.
    fn horizontal(&mut self, v: Value, _max: bool) -> Value {
        let mut acc = self.b.ins().extractlane(v, 0);
        for k in 1..self.lanes as u8 {
            let x = self.b.ins().extractlane(v, k);
            acc = self.b.ins().fmax(acc, x);
        }
        acc
    }

    fn place(&self, n: NodeId) -> Place {
        self.plan
            .place(self.pass.domain, n)
            .expect("the scheduler checked every place")
    }

    // ---- per-row values ----------------------------------------------------

    /// Compute, in the current block, every per-row value that the element
    /// computations of `roots` read and that is not known yet.
    fn prepare_rows(&mut self, roots: &[NodeId]) {
        let mut found = self.row_leaves(roots);
        found.sort();
        for n in found {
            self.row_value(n);
        }
    }

    /// The per-row nodes that evaluating `roots` elementwise reads: the
    /// walk goes through element and class values and stops at rows.
    fn row_leaves(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let plan = self.plan;
        let g = &plan.graph;
        let mut stack: Vec<NodeId> = roots.to_vec();
        let mut seen = vec![false; g.len()];
        let mut found = Vec::new();
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut seen[n.0 as usize], true) {
                continue;
            }
            match self.place(n) {
                Place::Scalar => {}
                Place::Row => found.push(n),
                Place::Class if plan.class_slot.contains_key(&n) => {}
                Place::Elem | Place::Class => stack.extend(g.args(n)),
            }
        }
        found
    }

    /// The class a row's label `i` names, as an integer clamped into the
    /// row: validation already rejected bad labels, the clamp keeps every
    /// access in bounds regardless.
    fn class_of_label(&mut self, i: NodeId) -> Value {
        let idx = self.row_value(i);
        let c = self.classes.unwrap();
        let k = self.b.ins().fcvt_to_sint_sat(types::I64, idx);
        let zero = self.b.ins().iconst(types::I64, 0);
        let last = self.b.ins().iadd_imm_s(c, -1);
        let k = self.b.ins().smax(k, zero);
        self.b.ins().smin(k, last)
    }

    /// The value of per-row node `n` in this row (cached in `rows`). The row
    /// values it needs are computed first, in post-order (`row_order`), so
    /// that none nests deeper than one operand.
    fn row_value(&mut self, n: NodeId) -> Value {
        if let Some(&v) = self.rows.get(&n) {
            return v;
        }
        for m in self.row_order(n) {
            if !self.rows.contains_key(&m) {
                self.row_value_one(m);
            }
        }
        self.rows[&n]
    }

    /// The row values not yet computed that `n` needs, `n` last, each after
    /// its operands, in the order its computation reads them.
    fn row_order(&self, n: NodeId) -> Vec<NodeId> {
        let g = &self.plan.graph;
        post_order(
            n,
            |m| self.rows.contains_key(&m),
            |m| match g.node(m).op {
                Op::Input(_) | Op::Reduce(..) => Vec::new(),
                // The gathered expression is evaluated at the label's class
                // and reads the row values inside it (a one-hot's label).
                Op::Gather(x, label) => {
                    let mut inner = self.row_leaves(&[x]);
                    inner.retain(|&r| r != m);
                    inner.sort();
                    std::iter::once(label).chain(inner).collect()
                }
                _ => self
                    .operands(m, &Memo::default())
                    .into_iter()
                    .filter(|&a| self.place(a) == Place::Row)
                    .collect(),
            },
        )
    }

    /// Compute per-row node `n` into `rows`, the row values it reads known.
    fn row_value_one(&mut self, n: NodeId) -> Value {
        let plan = self.plan;
        let g = &plan.graph;
        let row = self.row.unwrap();
        let scalar = self.scalar;
        let v = match g.node(n).op {
            Op::Input(k) => {
                let base = self.input_base(k.0 as usize);
                if g.kind(n) == Kind::Float || plan.ints_as_floats[k.0 as usize] {
                    let eb = self.elem_bytes();
                    let off = self.b.ins().imul_imm_s(row, eb);
                    let addr = self.b.ins().iadd(base, off);
                    self.b.ins().load(scalar, Self::flags(), addr, 0)
                } else {
                    let off = self.b.ins().imul_imm_s(row, 8);
                    let addr = self.b.ins().iadd(base, off);
                    let i = self.b.ins().load(types::I64, Self::flags(), addr, 0);
                    self.b.ins().fcvt_from_sint(scalar, i)
                }
            }
            Op::Gather(x, i) => {
                let k = self.class_of_label(i);
                let c = self.classes.unwrap();
                let start = self.b.ins().imul(row, c);
                let index = self.b.ins().iadd(start, k);
                let at = At {
                    ty: scalar,
                    index,
                    class: Some(k),
                    per_class: false,
                };
                let mut memo = Memo::default();
                self.num(x, at, &mut memo)
            }
            Op::Reduce(..) => panic!("row reductions are computed by their phase loop before use"),
            _ => {
                // Row-level arithmetic: evaluate with a scalar context whose
                // per-row operands come from `rows`.
                let index = row;
                let at = At {
                    ty: scalar,
                    index,
                    class: None,
                    per_class: false,
                };
                let mut memo = Memo::default();
                let ev = self.op(n, at, &mut memo);
                self.to_num(ev, scalar)
            }
        };
        self.rows.insert(n, v);
        v
    }

    // ---- elementwise emission ------------------------------------------------

    fn num(&mut self, n: NodeId, at: At, memo: &mut Memo) -> Value {
        let ev = self.ev(n, at, memo);
        self.to_num(ev, at.ty)
    }

    fn mask(&mut self, n: NodeId, at: At, memo: &mut Memo) -> Value {
        match self.ev(n, at, memo) {
            Ev::Mask(m) => m,
            Ev::Num(x) => {
                let z = vmath::splat_const(&mut self.b, at.ty, 0.0);
                self.b.ins().fcmp(FloatCC::NotEqual, x, z)
            }
        }
    }

    fn to_num(&mut self, ev: Ev, ty: Type) -> Value {
        match ev {
            Ev::Num(v) => v,
            Ev::Mask(m) => {
                let one = vmath::splat_const(&mut self.b, ty, 1.0);
                let zero = vmath::splat_const(&mut self.b, ty, 0.0);
                vmath::select_where(&mut self.b, m, one, zero)
            }
        }
    }

    fn splat(&mut self, v: Value, ty: Type) -> Value {
        if ty.is_vector() {
            self.b.ins().splat(ty, v)
        } else {
            v
        }
    }

    /// The value of node `n` at `at` (memoised per context). What `n` needs
    /// is computed first, in the order a recursive evaluation would reach it
    /// (`evaluation_order`), so that no evaluation nests deeper than one
    /// operand: a chain of 100 000 operations is a loop, not a recursion.
    fn ev(&mut self, n: NodeId, at: At, memo: &mut Memo) -> Ev {
        if let Some(&v) = memo.values.get(&n) {
            return v;
        }
        if self.place(n) == Place::Class && !at.per_class {
            // Per-class values are indexed by the class, in a context of
            // their own, shared by every per-class value of this element.
            let class = at.class.expect("class values are read in rows loops");
            let class_at = At {
                ty: at.ty,
                index: class,
                class: Some(class),
                per_class: true,
            };
            let mut inner = memo.per_class.take().unwrap_or_default();
            let v = self.ev(n, class_at, &mut inner);
            memo.per_class = Some(inner);
            memo.values.insert(n, v);
            return v;
        }
        for m in self.evaluation_order(n, at, memo) {
            if !memo.values.contains_key(&m) {
                let v = self.ev_one(m, at, memo);
                memo.values.insert(m, v);
            }
        }
        memo.values[&n]
    }

    /// The nodes not yet in `memo` that evaluating `n` computes, `n` last,
    /// each after the operands `op` reads (`operands`), in `op`'s order:
    /// a post-order walk with an explicit stack.
    fn evaluation_order(&self, n: NodeId, at: At, memo: &Memo) -> Vec<NodeId> {
        post_order(
            n,
            |m| memo.values.contains_key(&m),
            |m| match self.place(m) {
                Place::Elem => self.operands(m, memo),
                Place::Class if at.per_class => self.operands(m, memo),
                // Loaded or splatted (scalars, row values), or computed in
                // the class context (per-class values).
                Place::Scalar | Place::Row | Place::Class => Vec::new(),
            },
        )
    }

    /// The operands `op` evaluates (in this context) before computing `n`, in
    /// the order it evaluates them.
    fn operands(&self, n: NodeId, memo: &Memo) -> Vec<NodeId> {
        let g = &self.plan.graph;
        if self.plan.class_slot.contains_key(&n) {
            return Vec::new(); // computed by the runtime, loaded
        }
        match g.node(n).op {
            Op::Const(_) | Op::Size(_) | Op::Input(_) => Vec::new(),
            // Read from the row's prepared values.
            Op::OneHot(_) | Op::Gather(..) | Op::Reduce(..) => Vec::new(),
            Op::Unary(Unary::Sigmoid | Unary::Softplus, a) => {
                // The shared exponential's base first (unless it is known);
                // `±x` or `±|x|` itself is then one step from it.
                let key = logistic_arg(g, a).key;
                if memo.logistic.contains_key(&key) {
                    Vec::new()
                } else {
                    vec![key]
                }
            }
            Op::Binary(Binary::Pow, a, b) if g.constant(b).is_some() => vec![a],
            _ => g.args(n).collect(),
        }
    }

    /// Compute `n` at `at`, its operands already in `memo`.
    fn ev_one(&mut self, n: NodeId, at: At, memo: &mut Memo) -> Ev {
        match self.place(n) {
            Place::Scalar => {
                let v = match self.plan.graph.node(n).op {
                    Op::Const(bits) if self.plan.graph.kind(n) != Kind::Bool => {
                        vmath::splat_const(&mut self.b, at.ty, f64::from_bits(bits))
                    }
                    _ => {
                        let s = match self.scalars.get(&n) {
                            Some(&s) => s,
                            None => panic!("scalar {n:?} was not loaded"),
                        };
                        self.splat(s, at.ty)
                    }
                };
                if self.plan.graph.kind(n) == Kind::Bool {
                    let z = vmath::splat_const(&mut self.b, at.ty, 0.0);
                    Ev::Mask(self.b.ins().fcmp(FloatCC::NotEqual, v, z))
                } else {
                    Ev::Num(v)
                }
            }
            Place::Row => {
                // Inside loops every row value was prepared before the loop;
                // in the row block itself this computes (and caches) it.
                let v = self.row_value(n);
                let v = self.splat(v, at.ty);
                if self.plan.graph.kind(n) == Kind::Bool {
                    let z = vmath::splat_const(&mut self.b, at.ty, 0.0);
                    Ev::Mask(self.b.ins().fcmp(FloatCC::NotEqual, v, z))
                } else {
                    Ev::Num(v)
                }
            }
            Place::Class if !at.per_class => self.ev(n, at, memo),
            Place::Elem | Place::Class => self.op(n, at, memo),
        }
    }

    fn op(&mut self, n: NodeId, at: At, memo: &mut Memo) -> Ev {
        let plan = self.plan;
        let g = &plan.graph;
        let node = *g.node(n);
        let ty = at.ty;
        if let Some(&k) = plan.class_slot.get(&n) {
            // Computed by the runtime: its copy in the kernel's precision.
            let base = self.class_bases[&k];
            let eb = self.elem_bytes();
            let off = self.b.ins().imul_imm_s(at.index, eb);
            let addr = self.b.ins().iadd(base, off);
            return Ev::Num(self.b.ins().load(ty, Self::flags(), addr, 0));
        }
        match node.op {
            Op::Const(bits) => Ev::Num(vmath::splat_const(&mut self.b, ty, f64::from_bits(bits))),
            Op::ConstArray(_) => unreachable!("constant arrays are class values (schedule)"),
            Op::Size(_) => {
                let s = self.scalars[&n];
                Ev::Num(self.splat(s, ty))
            }
            Op::Input(k) => {
                if ty.is_vector() && !self.streamed.contains(&(k.0 as usize)) {
                    self.streamed.push(k.0 as usize);
                }
                let base = self.input_base(k.0 as usize);
                let eb = self.elem_bytes();
                let off = self.b.ins().imul_imm_s(at.index, eb);
                let addr = self.b.ins().iadd(base, off);
                Ev::Num(self.b.ins().load(ty, Self::flags(), addr, 0))
            }
            Op::Unary(f, a) => {
                if f == Unary::Not {
                    let m = self.mask(a, at, memo);
                    return Ev::Mask(self.not(m, ty));
                }
                if matches!(f, Unary::Sigmoid | Unary::Softplus) {
                    return Ev::Num(self.logistic(f, a, at, memo));
                }
                let x = self.num(a, at, memo);
                if f == Unary::Exp && self.is_shifted_by_row_max(a) {
                    return Ev::Num(vmath::exp_nonpositive(&mut self.b, &self.opts, x));
                }
                Ev::Num(self.unary(f, x))
            }
            Op::Binary(op, a, b) => {
                if matches!(op, Binary::And | Binary::Or) {
                    let (x, y) = (self.mask(a, at, memo), self.mask(b, at, memo));
                    return Ev::Mask(if op == Binary::And {
                        self.b.ins().band(x, y)
                    } else {
                        self.b.ins().bor(x, y)
                    });
                }
                if op == Binary::Mul
                    && let Some(r) = self.sigmoid_product(a, b, at, memo)
                {
                    return Ev::Num(r);
                }
                let x = self.num(a, at, memo);
                let y = if op == Binary::Pow && g.constant(b).is_some() {
                    x
                } else {
                    self.num(b, at, memo)
                };
                if matches!(op, Binary::Min | Binary::Max)
                    && let Some(r) = self.min_max_with_constant(op, a, b, x, y)
                {
                    return Ev::Num(r);
                }
                self.binary(op, x, y, b)
            }
            Op::Select(c, a, b) => {
                let m = self.mask(c, at, memo);
                let (x, y) = (self.ev(a, at, memo), self.ev(b, at, memo));
                if let (Ev::Mask(x), Ev::Mask(y)) = (x, y) {
                    return Ev::Mask(vmath::select_where(&mut self.b, m, x, y));
                }
                let (x, y) = (self.to_num(x, ty), self.to_num(y, ty));
                Ev::Num(vmath::select_where(&mut self.b, m, x, y))
            }
            Op::Broadcast(a) => self.ev(a, at, memo),
            Op::OneHot(i) => {
                let label = self.rows[&i];
                let class = at.class.expect("one-hot values are read in rows loops");
                let cf = self.b.ins().fcvt_from_sint(self.scalar, class);
                let mut lanes = self.splat(cf, ty);
                if ty.is_vector() {
                    let iota: Vec<f64> = (0..self.lanes).map(|k| k as f64).collect();
                    let iota = self.vector_const(&iota);
                    lanes = self.b.ins().fadd(lanes, iota);
                }
                let label = self.splat(label, ty);
                Ev::Mask(self.b.ins().fcmp(FloatCC::Equal, lanes, label))
            }
            Op::Gather(..) | Op::Reduce(..) => {
                let v = *self
                    .rows
                    .get(&n)
                    .unwrap_or_else(|| panic!("{:?} must be a prepared row value", node.op));
                Ev::Num(self.splat(v, ty))
            }
        }
    }

    /// Is `a` of the form `x - max(x)` or `x - logsumexp(x)` over the class
    /// axis, so never positive (the exponent of a softmax)?
    fn is_shifted_by_row_max(&self, a: NodeId) -> bool {
        let g = &self.plan.graph;
        let Op::Binary(Binary::Sub, x, r) = g.node(a).op else {
            return false;
        };
        matches!(
            g.node(g.unbroadcast(r)).op,
            Op::Reduce(Reduce::MaxLast | Reduce::LogSumExpLast, y) if y == x
        )
    }

    /// `sigmoid(a)` or `softplus(a)` from the shared `exp(-|x|)` of `a = ±x`:
    /// `softplus(a) = relu(a) + log1p(e)`, `sigmoid(a) = (a >= 0 ? 1 : e) / (1 + e)`.
    /// Binary cross-entropy and focal need all four of `sigmoid(±p)` and
    /// `softplus(±p)`; this costs one exp, one log1p and one division instead
    /// of four separate functions (about 2.5x fewer instructions), at up to
    /// one more rounding than `vmath`'s compensated forms (≤ 2.5 ulp).
    /// From the pack's parts (`Parts::Packed`), `sigmoid(a)` is `σ(-|x|)`
    /// where `a < 0` and `1 - σ(-|x|)` where `a ≥ 0` (`σ(-|x|) ≤ 1/2`, so the
    /// subtraction adds at most half an ulp of its result).
    fn logistic(&mut self, f: Unary, a: NodeId, at: At, memo: &mut Memo) -> Value {
        // `softplus(-|x|)` (the `log1p(e^-|x|)` of cross-entropy on logits)
        // shares e^-|x| and what follows from it with `sigmoid(x)`.
        let LogisticArg {
            key,
            negated,
            of_abs,
        } = logistic_arg(&self.plan.graph, a);
        let parts = self.logistic_parts_of(key, at, memo);
        if f == Unary::Softplus && of_abs && negated {
            return parts.l(); // relu(-|x|) = 0; a NaN reaches `l` through e
        }
        let v = self.num(a, at, memo);
        match f {
            Unary::Softplus => {
                let r = vmath::relu(&mut self.b, &self.opts, v);
                self.b.ins().fadd(r, parts.l())
            }
            _ => {
                let zero = vmath::splat_const(&mut self.b, at.ty, 0.0);
                let one = vmath::splat_const(&mut self.b, at.ty, 1.0);
                let nonneg = self.b.ins().fcmp(FloatCC::GreaterThanOrEqual, v, zero);
                match parts {
                    Parts::Inline { e, inv, .. } => {
                        let num = vmath::select_where(&mut self.b, nonneg, one, e);
                        self.b.ins().fmul(num, inv)
                    }
                    Parts::Packed { s, .. } => {
                        let complement = self.b.ins().fsub(one, s);
                        vmath::select_where(&mut self.b, nonneg, complement, s)
                    }
                }
            }
        }
    }

    /// What every logistic function of the base `key` shares, computed
    /// once per element context.
    fn logistic_parts_of(&mut self, key: NodeId, at: At, memo: &mut Memo) -> Parts {
        if let Some(&parts) = memo.logistic.get(&key) {
            return parts;
        }
        let x = self.num(key, at, memo);
        let o = &self.opts;
        let ax = vmath::abs(&mut self.b, o, x);
        let nax = vmath::neg(&mut self.b, o, ax);
        let e = vmath::exp_nonpositive(&mut self.b, o, nax);
        self.carry_out(key, e, at);
        let parts = self.logistic_parts(e, at.ty);
        memo.logistic.insert(key, parts);
        parts
    }

    /// `sigmoid(x) * sigmoid(-x)` (sigmoid's derivative) as `s * (1 - s)`
    /// for `s = σ(-|x|) = e^-|x| / (1 + e^-|x|)`, which is at most 1/2, so
    /// `1 - s` does not cancel: no compare, select or negation per factor.
    /// `None` for any other product.
    fn sigmoid_product(&mut self, a: NodeId, b: NodeId, at: At, memo: &mut Memo) -> Option<Value> {
        let g = &self.plan.graph;
        let (Op::Unary(Unary::Sigmoid, x), Op::Unary(Unary::Sigmoid, y)) =
            (g.node(a).op, g.node(b).op)
        else {
            return None;
        };
        let (p, q) = (logistic_arg(g, x), logistic_arg(g, y));
        if p.key != q.key || p.of_abs || q.of_abs || p.negated == q.negated {
            return None;
        }
        let parts = self.logistic_parts_of(p.key, at, memo);
        Some(match parts {
            // s = e * inv and 1 - s = inv.
            Parts::Inline { e, inv, .. } => {
                let s = self.b.ins().fmul(e, inv);
                self.b.ins().fmul(s, inv)
            }
            Parts::Packed { s, .. } => {
                let one = vmath::splat_const(&mut self.b, at.ty, 1.0);
                let complement = self.b.ins().fsub(one, s);
                self.b.ins().fmul(s, complement)
            }
        })
    }

    /// Store `e = e^-|x|` for a later pass, when this pass carries it out.
    fn carry_out(&mut self, key: NodeId, e: Value, at: At) {
        if let Some(&(_, k)) = self.pass.carry_out.iter().find(|c| c.0 == key) {
            let addr = self.output_addr(k, at.index);
            self.store_element(e, addr);
        }
    }

    /// `Parts::Inline` for `e = e^-|x|`: `log1p(e)` and `1/(1 + e)`.
    fn logistic_parts(&mut self, e: Value, ty: Type) -> Parts {
        let l = vmath::log1p_unit(&mut self.b, &self.opts, e);
        let one = vmath::splat_const(&mut self.b, ty, 1.0);
        let den = self.b.ins().fadd(one, e);
        let inv = self.b.ins().fdiv(one, den);
        Parts::Inline { e, l, inv }
    }

    /// The memo of a new element context. Values parked in an output buffer
    /// — exponentials an earlier pass left there (`Pass::carry_in`), the
    /// row's stash in a final loop — are read first, before any gradient of
    /// this element is written: the buffer may belong to any of the pass's
    /// gradients, and the one written first would overwrite the element
    /// that a later one still reads (`q·logsumexp(p)` with both
    /// differentiated: `d/dq` lands where `d/dp`'s `exp(p - max)` was kept).
    fn element_memo(&mut self, at: At) -> Memo {
        let mut memo = Memo::default();
        if let Some((node, k)) = self.stash.filter(|_| self.reading_stash) {
            let addr = self.output_addr(k, at.index);
            let v = self.b.ins().load(at.ty, Self::flags(), addr, 0);
            memo.values.insert(node, Ev::Num(v));
        }
        for (x, k) in self.pass.carry_in.clone() {
            let addr = self.output_addr(k, at.index);
            let e = self.b.ins().load(at.ty, Self::flags(), addr, 0);
            let parts = self.logistic_parts(e, at.ty);
            memo.logistic.insert(x, parts);
        }
        // The current tile's pack results (loads nothing uses are dropped).
        for s in self.packed.clone() {
            let load = |me: &mut Self, buffer| {
                let addr = me.scratch_addr(buffer, at.index);
                me.b.ins().load(at.ty, Self::flags(), addr, 0)
            };
            let sig = load(self, s.sigmoid);
            let l = load(self, s.softplus);
            if self.pass.carry_out.iter().any(|c| c.0 == s.key) {
                let e = load(self, s.exp);
                self.carry_out(s.key, e, at);
            }
            memo.logistic.insert(s.key, Parts::Packed { l, s: sig });
        }
        memo
    }

    /// Address of element `index` of output `k`.
    fn output_addr(&mut self, k: usize, index: Value) -> Value {
        let base = self.output_base(k);
        let eb = self.elem_bytes();
        let off = self.b.ins().imul_imm_s(index, eb);
        self.b.ins().iadd(base, off)
    }

    fn vector_const(&mut self, lanes: &[f64]) -> Value {
        let bytes: Vec<u8> = if self.vector == types::F32X4 {
            lanes
                .iter()
                .flat_map(|&x| (x as f32).to_le_bytes())
                .collect()
        } else {
            lanes.iter().flat_map(|&x| x.to_le_bytes()).collect()
        };
        let c = self.b.func.dfg.constants.insert(bytes.into());
        self.b.ins().vconst(self.vector, c)
    }

    fn not(&mut self, m: Value, ty: Type) -> Value {
        if ty.is_vector() {
            self.b.ins().bnot(m)
        } else {
            self.b.ins().icmp_imm_s(IntCC::Equal, m, 0)
        }
    }

    fn unary(&mut self, f: Unary, x: Value) -> Value {
        let o = &self.opts;
        let b = &mut self.b;
        match f {
            Unary::Neg => vmath::neg(b, o, x),
            Unary::Abs => vmath::abs(b, o, x),
            Unary::Sign => vmath::sign(b, o, x),
            Unary::Relu => vmath::relu(b, o, x),
            Unary::Detach => x,
            Unary::Sqrt => b.ins().sqrt(x),
            Unary::Exp => vmath::exp(b, o, x),
            Unary::Log => vmath::log(b, o, x),
            Unary::Log1p => vmath::log1p(b, o, x),
            Unary::Expm1 => vmath::expm1(b, o, x),
            Unary::Sigmoid => vmath::sigmoid(b, o, x),
            Unary::Softplus => vmath::softplus(b, o, x),
            Unary::Tanh => vmath::tanh(b, o, x),
            Unary::Cosh => vmath::cosh(b, o, x),
            Unary::Sinh => vmath::sinh(b, o, x),
            Unary::Not => unreachable!("handled as a mask"),
        }
    }

    fn binary(&mut self, op: Binary, x: Value, y: Value, b_node: NodeId) -> Ev {
        let b = &mut self.b;
        Ev::Num(match op {
            Binary::Add => b.ins().fadd(x, y),
            Binary::Sub => b.ins().fsub(x, y),
            Binary::Mul => b.ins().fmul(x, y),
            Binary::Div => b.ins().fdiv(x, y),
            Binary::Min => b.ins().fmin(x, y),
            Binary::Max => b.ins().fmax(x, y),
            Binary::Pow => return Ev::Num(self.pow(x, y, b_node)),
            Binary::Eq | Binary::Ne | Binary::Lt | Binary::Le | Binary::Gt | Binary::Ge => {
                let cc = match op {
                    Binary::Eq => FloatCC::Equal,
                    Binary::Ne => FloatCC::NotEqual,
                    Binary::Lt => FloatCC::LessThan,
                    Binary::Le => FloatCC::LessThanOrEqual,
                    Binary::Gt => FloatCC::GreaterThan,
                    _ => FloatCC::GreaterThanOrEqual,
                };
                return Ev::Mask(b.ins().fcmp(cc, x, y));
            }
            Binary::And | Binary::Or => unreachable!("handled as masks"),
        })
    }

    /// `min`/`max` against a constant (a clamp's bounds, Huber's gradient)
    /// as one comparison and a select: Cranelift's `fmin`/`fmax` implement
    /// IEEE NaN and signed-zero rules in about six instructions on x86. NaN
    /// still propagates: the comparison with a NaN is false, which keeps
    /// the non-constant operand.
    fn min_max_with_constant(
        &mut self,
        op: Binary,
        a: NodeId,
        b: NodeId,
        x: Value,
        y: Value,
    ) -> Option<Value> {
        let g = &self.plan.graph;
        let (value, bound) = match (g.constant(a), g.constant(b)) {
            (Some(c), _) if !c.is_nan() => (y, x),
            (_, Some(c)) if !c.is_nan() => (x, y),
            _ => return None,
        };
        // min: the bound where bound < value; max: where value < bound.
        let cc = FloatCC::LessThan;
        let mask = if op == Binary::Min {
            self.b.ins().fcmp(cc, bound, value)
        } else {
            self.b.ins().fcmp(cc, value, bound)
        };
        Some(vmath::select_where(&mut self.b, mask, bound, value))
    }

    /// `x^y` as the reference computes it (`ir::ops::pow`): a constant
    /// integer exponent up to `POW_BY_MULTIPLICATION` in magnitude by
    /// repeated squaring (in the same order, exact in sign for negative
    /// bases), anything else by `vmath::pow`, IEEE `pow` with its special
    /// values.
    fn pow(&mut self, x: Value, y: Value, y_node: NodeId) -> Value {
        let Some(k) = self.plan.graph.constant(y_node) else {
            return vmath::pow(&mut self.b, &self.opts, x, y);
        };
        if k.fract() != 0.0 || k.abs() > POW_BY_MULTIPLICATION {
            return vmath::pow_const(&mut self.b, &self.opts, x, k);
        }
        vmath::powi(&mut self.b, x, k as i32)
    }
}

/// Does native code compute `f` with an elementary-function algorithm of
/// `vmath` (a polynomial, a division, a square root), rather than with a
/// few bitwise or sign operations? Decides whether a flat pass is limited
/// by memory bandwidth (`is_streaming`).
fn is_elementary_function(f: Unary) -> bool {
    match f {
        Unary::Neg | Unary::Abs | Unary::Sign | Unary::Relu | Unary::Detach | Unary::Not => false,
        Unary::Exp
        | Unary::Log
        | Unary::Log1p
        | Unary::Expm1
        | Unary::Sqrt
        | Unary::Sigmoid
        | Unary::Softplus
        | Unary::Tanh
        | Unary::Cosh
        | Unary::Sinh => true,
    }
}

fn arg_of(g: &crate::ir::Graph, n: NodeId) -> NodeId {
    g.args(n).next().expect("a reduction has an argument")
}

/// The nodes below `n` (and `n`) not yet `done`, each after the
/// `operands` it reads and in the order they are read: a post-order walk
/// with an explicit stack, so that a chain of 100 000 operations is a loop,
/// not a recursion.
fn post_order(
    n: NodeId,
    done: impl Fn(NodeId) -> bool,
    operands: impl Fn(NodeId) -> Vec<NodeId>,
) -> Vec<NodeId> {
    let mut order = Vec::new();
    let mut emitted: std::collections::HashSet<NodeId> = std::collections::HashSet::new();
    let mut stack = vec![(n, false)];
    while let Some((m, expanded)) = stack.pop() {
        if emitted.contains(&m) || done(m) {
            continue;
        }
        if expanded {
            emitted.insert(m);
            order.push(m);
            continue;
        }
        stack.push((m, true));
        stack.extend(operands(m).into_iter().rev().map(|a| (a, false)));
    }
    order
}
