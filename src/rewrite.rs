//! Stabilising rewrites: the textbook form of a loss, made as stable as the
//! built-in.
//!
//! A user who writes `-(y*log(sigmoid(p)) + (1-y)*log(1-sigmoid(p)))` means
//! binary cross-entropy, but evaluated literally it is `log(0) = -inf` (and a
//! NaN gradient) as soon as a logit passes about ±88 in float32. This stage
//! runs between elaboration and differentiation and replaces such patterns
//! by equal expressions that stay finite ([`Rule`] lists them, each with the
//! reason). Because it runs before [`derive`](crate::derive), the derivative
//! is the derivative of the rewritten form, so value and gradient are both
//! stable.
//!
//! Guarantees:
//! - every rule is an identity of real numbers (or, for [`Rule::XLogX`], the
//!   limit `0·log 0 = 0` that every loss means), so at ordinary inputs the
//!   value changes only by rounding (a property test checks this);
//! - each applied rule is recorded with the source span of the expression it
//!   replaced ([`Rewrite`]), for `lossc check --explain` and the REPL;
//! - the graph is rewritten in place: unchanged subgraphs keep their node
//!   ids, only the rewritten nodes and their users are new.
//!
//! After rewriting, [`hazards`] looks for what no rule could fix — a `log` of
//! something that can reach 0, a division by a sum that can be 0 — in the
//! user's own code, and returns warnings pointing at it.

use crate::check::{Objective, Origin};
use crate::diag::{DiagKind, Diagnostic};
use crate::ir::{Binary, Graph, NodeId, Op, Range, Reduce, Unary};
use crate::source::Span;
use std::collections::HashMap;

/// One rewrite rule, named by the pattern it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    LogSigmoid,
    LogOneMinusSigmoid,
    LogSoftmax,
    LogExp,
    LogOnePlus,
    Softplus,
    Expm1,
    LogCosh,
    LogOfRatio,
    LogSumExp,
    Softmax,
    Sigmoid,
    XLogX,
    SqrtOfSquare,
}

impl Rule {
    /// The pattern and its replacement.
    pub fn text(self) -> &'static str {
        match self {
            Rule::LogSigmoid => "log(sigmoid(x)) -> -softplus(-x)",
            Rule::LogOneMinusSigmoid => "log(1 - sigmoid(x)) -> -softplus(x)",
            Rule::LogSoftmax => "log(softmax(x)) -> log_softmax(x)",
            Rule::LogExp => "log(exp(x)) -> x",
            Rule::LogOnePlus => "log(1 + x) -> log1p(x)",
            Rule::Softplus => "log1p(exp(x)) -> softplus(x)",
            Rule::Expm1 => "exp(x) - 1 -> expm1(x)",
            Rule::LogCosh => {
                "log(cosh(x)) -> |x| + softplus(-2|x|) - log(2) (log1p(2 sinh(x/2)^2) for |x| < 1)"
            }
            Rule::LogOfRatio => "log(a / q) -> log(a) - log(q) for q = exp, softmax or sigmoid",
            Rule::LogSumExp => "log(sum(exp(x), axis=-1)) -> logsumexp(x)",
            Rule::Softmax => "exp(x) / sum(exp(x), axis=-1) -> softmax(x)",
            Rule::Sigmoid => "1 / (1 + exp(-x)) -> sigmoid(x)",
            Rule::XLogX => "x * log(x) -> 0 where x = 0",
            Rule::SqrtOfSquare => "sqrt(x^2) -> |x|",
        }
    }

    /// What goes wrong without the rewrite.
    pub fn reason(self) -> &'static str {
        match self {
            Rule::LogSigmoid => "sigmoid(x) rounds to 0 below x = -88 (float32), and log(0) = -inf",
            Rule::LogOneMinusSigmoid => {
                "sigmoid(x) rounds to 1 above x = 17 (float32), and log(1 - 1) = -inf"
            }
            Rule::LogSoftmax => "softmax rounds to 0 for logits far below the row's maximum",
            Rule::LogExp => "exp(x) overflows above x = 88 (float32)",
            Rule::LogOnePlus => "1 + x loses the digits of a small x",
            Rule::Softplus => "exp(x) overflows above x = 88 (float32)",
            Rule::Expm1 => "exp(x) - 1 loses the digits of a small x",
            Rule::LogCosh => "cosh(x) overflows above |x| = 89 (float32)",
            Rule::LogOfRatio => "q rounds to 0 long before log(q) is out of range",
            Rule::LogSumExp => "exp overflows above 88 (float32) and underflows below -103",
            Rule::Softmax => "exp overflows above 88 (float32): inf / inf = NaN",
            Rule::Sigmoid => "exp(-x) overflows below x = -88 (float32)",
            Rule::XLogX => "0 * log(0) = 0 * -inf = NaN where the limit is 0",
            Rule::SqrtOfSquare => {
                "x^2 overflows above 1.8e19 (float32) and its sqrt has no gradient at 0"
            }
        }
    }
}

/// A rule applied at a place in the sources (`None`: no user-visible origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rewrite {
    pub rule: Rule,
    pub span: Option<Span>,
}

/// What [`stabilise`] did and found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The rules applied, in the order they were applied, each place once.
    pub rewrites: Vec<Rewrite>,
    /// Hazards no rule could remove.
    pub warnings: Vec<Diagnostic>,
}

/// Rewrite the objective's value graph in place, then look for hazards. Only user-written
/// expressions are rewritten: the prelude is written in stable form already,
/// and rewriting it would only add work (a second `select` around
/// `kl_div`'s guarded `y * log(y)`).
pub fn stabilise(obj: &mut Objective) -> Report {
    let mut roots = vec![obj.value];
    roots.extend(obj.terms.iter().map(|t| t.value));
    let live = obj.graph.reachable(&roots);
    let mut rw = Rewriter {
        g: &mut obj.graph,
        applied: Vec::new(),
        origin: None,
        active: false,
        guarded: Vec::new(),
    };
    let mut map: HashMap<NodeId, NodeId> = HashMap::new();
    for id in (0..live.len() as u32)
        .map(NodeId)
        .filter(|id| live[id.0 as usize])
    {
        let origin = obj.origins.get(&id).copied();
        rw.origin = origin.map(|o| o.span);
        rw.active = origin.is_some_and(|o| !o.in_prelude);
        let new = rw.rebuild(id, &map);
        if new != id
            && let Some(o) = origin
        {
            obj.origins.entry(new).or_insert(o);
        }
        map.insert(id, new);
    }
    obj.value = map[&obj.value];
    for t in &mut obj.terms {
        t.value = map[&t.value];
    }
    let mut rewrites: Vec<Rewrite> = Vec::new();
    for r in rw.applied {
        if !rewrites.contains(&r) {
            rewrites.push(r);
        }
    }
    let guarded = rw.guarded;
    Report {
        rewrites,
        warnings: hazards(obj, &guarded),
    }
}

struct Rewriter<'g> {
    g: &'g mut Graph,
    applied: Vec<Rewrite>,
    /// Where the node being rebuilt came from.
    origin: Option<Span>,
    /// Whether rules apply to it (user code) or it is only copied (prelude).
    active: bool,
    /// `log` nodes that a [`Rule::XLogX`] select keeps from ever mattering
    /// where their argument is 0.
    guarded: Vec<NodeId>,
}

impl Rewriter<'_> {
    /// The node `id` with its arguments replaced by their rewritten forms and
    /// the rules applied at its root.
    fn rebuild(&mut self, id: NodeId, map: &HashMap<NodeId, NodeId>) -> NodeId {
        let node = *self.g.node(id);
        let m = |n: NodeId| map[&n];
        match node.op {
            Op::Const(_) | Op::ConstArray(_) | Op::Input(_) | Op::Size(_) => id,
            Op::Unary(op, a) if self.active => self.unary(op, m(a)),
            Op::Unary(op, a) => self.g.unary(op, m(a)),
            Op::Binary(op, a, b) if self.active => self.binary(op, m(a), m(b)),
            Op::Binary(op, a, b) => self.g.binary(op, m(a), m(b)),
            Op::Select(c, a, b) if (m(c), m(a), m(b)) == (c, a, b) => id,
            Op::Select(c, a, b) => self.g.select(m(c), m(a), m(b)),
            Op::Broadcast(a) => self.g.broadcast(m(a), node.shape),
            Op::Reduce(..) | Op::Gather(..) | Op::OneHot(..) if self.unchanged(id, map) => id,
            Op::Reduce(Reduce::Sum, a) => {
                let from = self.g.node(a).shape;
                self.g.sum(m(a), from, node.shape)
            }
            Op::Reduce(op, a) => {
                let from = self.g.node(a).shape;
                self.g.reduce_last(op, m(a), from)
            }
            Op::Gather(x, i) => {
                let from = self.g.node(x).shape;
                self.g.gather(m(x), m(i), from)
            }
            Op::OneHot(i) => {
                let classes = *self
                    .g
                    .shape_of(id)
                    .last()
                    .expect("one-hot has a class axis");
                self.g.onehot(m(i), classes)
            }
        }
    }

    fn unchanged(&self, id: NodeId, map: &HashMap<NodeId, NodeId>) -> bool {
        self.g.args(id).all(|a| map[&a] == a)
    }

    fn record(&mut self, rule: Rule) {
        self.applied.push(Rewrite {
            rule,
            span: self.origin,
        });
    }

    fn constant_is(&self, n: NodeId, v: f64) -> bool {
        self.g.constant(n) == Some(v)
    }

    fn op(&self, n: NodeId) -> Op {
        self.g.node(self.g.unbroadcast(n)).op
    }

    /// `op(a)`, rewritten when a rule matches.
    fn unary(&mut self, op: Unary, a: NodeId) -> NodeId {
        // Patterns are matched through broadcasts; replacements keep `a`'s shape.
        let shape = self.g.node(a).shape;
        match (op, self.op(a)) {
            (Unary::Log, Op::Unary(Unary::Sigmoid, x)) => {
                self.record(Rule::LogSigmoid);
                let nx = self.unary(Unary::Neg, x);
                let sp = self.unary(Unary::Softplus, nx);
                self.unary(Unary::Neg, sp)
            }
            (Unary::Log, Op::Binary(Binary::Sub, one, s))
                if self.constant_is(one, 1.0)
                    && matches!(self.op(s), Op::Unary(Unary::Sigmoid, _)) =>
            {
                let Op::Unary(_, x) = self.op(s) else {
                    unreachable!()
                };
                self.record(Rule::LogOneMinusSigmoid);
                let sp = self.unary(Unary::Softplus, x);
                self.unary(Unary::Neg, sp)
            }
            (Unary::Log, Op::Unary(Unary::Exp, x)) => {
                let softmax = matches!(self.op(x), Op::Binary(Binary::Sub, _, l)
                    if matches!(self.op(l), Op::Reduce(Reduce::LogSumExpLast, _)));
                self.record(if softmax {
                    Rule::LogSoftmax
                } else {
                    Rule::LogExp
                });
                self.g.broadcast(x, shape)
            }
            (Unary::Log, Op::Binary(Binary::Add, u, v))
                if self.constant_is(u, 1.0) || self.constant_is(v, 1.0) =>
            {
                let x = if self.constant_is(u, 1.0) { v } else { u };
                self.record(Rule::LogOnePlus);
                let x = self.g.broadcast(x, shape);
                self.unary(Unary::Log1p, x)
            }
            (Unary::Log, Op::Binary(Binary::Div, u, q))
                if matches!(self.op(q), Op::Unary(Unary::Exp | Unary::Sigmoid, _)) =>
            {
                self.record(Rule::LogOfRatio);
                let lu = self.unary(Unary::Log, u);
                let lq = self.unary(Unary::Log, q);
                self.binary(Binary::Sub, lu, lq)
            }
            (Unary::Log1p, Op::Unary(Unary::Exp, x)) => {
                self.record(Rule::Softplus);
                let x = self.g.broadcast(x, shape);
                self.unary(Unary::Softplus, x)
            }
            (Unary::Log, Op::Unary(Unary::Cosh, x)) => {
                self.record(Rule::LogCosh);
                let x = self.g.broadcast(x, shape);
                self.log_cosh(x)
            }
            (Unary::Log, Op::Reduce(Reduce::Sum, e))
                if self.is_row_sum_of_exp(self.g.unbroadcast(a), e) =>
            {
                let Op::Unary(Unary::Exp, x) = self.op(e) else {
                    unreachable!()
                };
                self.record(Rule::LogSumExp);
                let from = self.g.node(e).shape;
                let lse = self.g.reduce_last(Reduce::LogSumExpLast, x, from);
                self.g.broadcast(lse, shape)
            }
            (Unary::Sqrt, _) if self.square_of(a).is_some() => {
                let x = self.square_of(a).expect("matched");
                self.record(Rule::SqrtOfSquare);
                let x = self.g.broadcast(x, shape);
                self.unary(Unary::Abs, x)
            }
            _ => self.g.unary(op, a),
        }
    }

    /// `log(cosh(x))` without overflow: `|x| + softplus(-2|x|) - log 2` in
    /// the tails, and `log1p(2 sinh(x/2)^2)` below |x| = 1, where the tail
    /// form would cancel to nothing (`log 2 - log 2`) for tiny x.
    fn log_cosh(&mut self, x: NodeId) -> NodeId {
        let c = |g: &mut Graph, v: f64| g.constant_node(v);
        let ax = self.unary(Unary::Abs, x);
        let m2 = c(self.g, -2.0);
        let t = self.binary(Binary::Mul, m2, ax);
        let sp = self.unary(Unary::Softplus, t);
        let s = self.binary(Binary::Add, ax, sp);
        let ln2 = c(self.g, std::f64::consts::LN_2);
        let tail = self.binary(Binary::Sub, s, ln2);
        let half = c(self.g, 0.5);
        let hx = self.binary(Binary::Mul, half, x);
        let sh = self.unary(Unary::Sinh, hx);
        let two = c(self.g, 2.0);
        let sq = self.binary(Binary::Pow, sh, two);
        let twice = self.binary(Binary::Mul, two, sq);
        let near = self.unary(Unary::Log1p, twice);
        let one = c(self.g, 1.0);
        let small = self.g.binary(Binary::Lt, ax, one);
        self.g.select(small, near, tail)
    }

    /// Is `sum` (a `Reduce::Sum` of `e`) a class-axis row sum of an `exp`?
    fn is_row_sum_of_exp(&self, sum: NodeId, e: NodeId) -> bool {
        let (to, from) = (self.g.shape_of(sum), self.g.shape_of(e));
        matches!(self.op(e), Op::Unary(Unary::Exp, x) if self.g.node(x).shape == self.g.node(e).shape)
            && from.len() == to.len() + 1
            && from.starts_with(to)
    }

    /// `x` when `a op b` is `exp(x) - 1`, `exp(x) + (-1)` or `-1 + exp(x)`.
    fn exp_minus_one(&self, op: Binary, a: NodeId, b: NodeId) -> Option<NodeId> {
        let e = match op {
            Binary::Sub if self.constant_is(b, 1.0) => a,
            Binary::Add if self.constant_is(b, -1.0) => a,
            Binary::Add if self.constant_is(a, -1.0) => b,
            _ => return None,
        };
        match self.op(e) {
            Op::Unary(Unary::Exp, x) => Some(x),
            _ => None,
        }
    }

    /// `x` when `n` is `x^2` or `x * x`.
    fn square_of(&self, n: NodeId) -> Option<NodeId> {
        match self.op(n) {
            Op::Binary(Binary::Pow, x, two) if self.constant_is(two, 2.0) => Some(x),
            Op::Binary(Binary::Mul, x, y) if x == y => Some(x),
            _ => None,
        }
    }

    /// `a op b`, rewritten when a rule matches.
    fn binary(&mut self, op: Binary, a: NodeId, b: NodeId) -> NodeId {
        let shape = self
            .g
            .broadcast_shape(self.g.node(a).shape, self.g.node(b).shape);
        let Some(shape) = shape else {
            return self.g.binary(op, a, b);
        };
        match (op, self.op(a), self.op(b)) {
            _ if self.exp_minus_one(op, a, b).is_some() => {
                let x = self.exp_minus_one(op, a, b).expect("matched");
                self.record(Rule::Expm1);
                let x = self.g.broadcast(x, shape);
                self.unary(Unary::Expm1, x)
            }
            (Binary::Sub, _, Op::Unary(Unary::Exp, x)) if self.constant_is(a, 1.0) => {
                self.record(Rule::Expm1);
                let x = self.g.broadcast(x, shape);
                let e = self.unary(Unary::Expm1, x);
                self.unary(Unary::Neg, e)
            }
            (Binary::Div, _, Op::Binary(Binary::Add, u, v))
                if self.constant_is(u, 1.0) || self.constant_is(v, 1.0) =>
            {
                let e = if self.constant_is(u, 1.0) { v } else { u };
                match (self.op(e), self.g.constant(a)) {
                    // 1 / (1 + exp(-x)) and 1 / (1 + exp(x))
                    (Op::Unary(Unary::Exp, t), Some(1.0)) => {
                        self.record(Rule::Sigmoid);
                        let t = self.g.broadcast(t, shape);
                        let nt = self.unary(Unary::Neg, t);
                        self.unary(Unary::Sigmoid, nt)
                    }
                    // exp(x) / (1 + exp(x))
                    (Op::Unary(Unary::Exp, t), _) if self.op(a) == Op::Unary(Unary::Exp, t) => {
                        self.record(Rule::Sigmoid);
                        let t = self.g.broadcast(t, shape);
                        self.unary(Unary::Sigmoid, t)
                    }
                    _ => self.g.binary(op, a, b),
                }
            }
            (Binary::Div, Op::Unary(Unary::Exp, x), Op::Reduce(Reduce::Sum, e))
                if self.is_row_sum_of_exp(self.g.unbroadcast(b), e)
                    && self.op(e) == Op::Unary(Unary::Exp, x)
                    && self.g.node(x).shape == shape =>
            {
                self.record(Rule::Softmax);
                let lse = self.g.reduce_last(Reduce::LogSumExpLast, x, shape);
                let d = self.binary(Binary::Sub, x, lse);
                self.unary(Unary::Exp, d)
            }
            (Binary::Mul, _, _) if self.x_log_x(a, b) || self.x_log_x(b, a) => {
                let (x, l) = if self.x_log_x(a, b) { (a, b) } else { (b, a) };
                self.record(Rule::XLogX);
                self.guarded.push(self.log_in(l));
                let zero = self.g.constant_node(0.0);
                let is_zero = self.g.binary(Binary::Eq, x, zero);
                let product = self.g.binary(Binary::Mul, x, l);
                self.g.select(is_zero, zero, product)
            }
            _ => self.g.binary(op, a, b),
        }
    }

    /// The `log` node of a term that [`Rewriter::x_log_x`] accepted.
    fn log_in(&self, l: NodeId) -> NodeId {
        let l = self.g.unbroadcast(l);
        match self.g.node(l).op {
            Op::Binary(Binary::Sub, u, _) => self.g.unbroadcast(u),
            _ => l,
        }
    }

    /// Is `l` a `log(x)`, `log(x / c)` or `log(x) - c`: a term that is -inf
    /// where the factor `x` is 0 (the `y * log(y / q)` of a KL divergence)?
    fn x_log_x(&self, x: NodeId, l: NodeId) -> bool {
        let x = self.g.unbroadcast(x);
        if self.g.constant(x).is_some() {
            return false;
        }
        let log_of_x = |n: NodeId| match self.op(n) {
            Op::Unary(Unary::Log, y) => {
                let y = self.g.unbroadcast(y);
                y == x
                    || matches!(self.op(y), Op::Binary(Binary::Div, u, _) if self.g.unbroadcast(u) == x)
            }
            _ => false,
        };
        match self.op(l) {
            Op::Binary(Binary::Sub, u, _) => log_of_x(u),
            _ => log_of_x(l),
        }
    }
}

// ---- hazards ------------------------------------------------------------------

/// Warnings for what the rules could not fix, in user code only (the
/// prelude's edge cases are documented there): a `log` whose argument can be
/// 0, and a division by a sum that can be 0.
fn hazards(obj: &Objective, guarded: &[NodeId]) -> Vec<Diagnostic> {
    let g = &obj.graph;
    let mut roots = vec![obj.value];
    roots.extend(obj.terms.iter().map(|t| t.value));
    let live = g.reachable(&roots);
    let range = ranges(g, &live);
    let mut out: Vec<Diagnostic> = Vec::new();
    for id in (0..live.len() as u32)
        .map(NodeId)
        .filter(|id| live[id.0 as usize])
    {
        let Some(&Origin {
            span,
            in_prelude: false,
        }) = obj.origins.get(&id)
        else {
            continue;
        };
        let warning = match g.node(id).op {
            Op::Unary(Unary::Log, a)
                if !range[a.0 as usize].positive() && !guarded.contains(&id) =>
            {
                Some(
                Diagnostic::new(
                    DiagKind::Hazard("`log` of a value that can be 0".into()),
                    span,
                )
                .label("-inf (and a NaN gradient) where this is 0")
                .help("clamp it away from 0, e.g. `log(max(x, 1e-12))`, or use the built-in that takes logits"),
                )
            }
            Op::Binary(Binary::Div, _, b)
                if !range[b.0 as usize].positive() && contains_sum(g, b) =>
            {
                Some(
                    Diagnostic::new(
                        DiagKind::Hazard("division by a sum that can be 0".into()),
                        span,
                    )
                    .label("NaN or inf where the sum is 0 (e.g. an empty mask)")
                    .help("add a smoothing constant to the denominator, or `max(..., eps)`"),
                )
            }
            _ => None,
        };
        if let Some(w) = warning
            && !out.iter().any(|o| o.span == w.span && o.kind == w.kind)
        {
            out.push(w.note(None, format!("in objective `{}`", obj.name)));
        }
    }
    out
}

/// What interval analysis knows of the sign of `node`'s values.
pub fn sign_of(g: &Graph, node: NodeId) -> crate::ir::Sign {
    use crate::ir::Sign;
    if g.constant(node) == Some(0.0) {
        return Sign::Zero;
    }
    let live = g.reachable(&[node]);
    if ranges(g, &live)[node.0 as usize].non_negative() {
        Sign::NonNegative
    } else {
        Sign::Unknown
    }
}

fn ranges(g: &Graph, live: &[bool]) -> Vec<Range> {
    let mut r = vec![Range::ANY; live.len()];
    for i in 0..live.len() {
        if !live[i] {
            continue;
        }
        let at = |n: NodeId| r[n.0 as usize];
        let id = NodeId(i as u32);
        r[i] = match g.node(id).op {
            Op::Const(_) => match g.constant(id) {
                Some(c) if !c.is_nan() => Range::new(c, c, c > 0.0),
                _ => Range::ANY,
            },
            Op::Size(_) => Range::new(1.0, f64::INFINITY, true),
            // exp(x - logsumexp(x)) is a softmax: at most 1.
            Op::Unary(Unary::Exp, d) if is_log_softmax(g, d) => Range::new(0.0, 1.0, true),
            // Every other function's range is a fact of its table entry.
            Op::Unary(f, a) => (f.facts().range)(at(a)),
            Op::Broadcast(a) | Op::Reduce(Reduce::MaxLast, a) => at(a),
            Op::Binary(Binary::Add, a, b) => {
                let (x, y) = (at(a), at(b));
                let pos = x.positive() && y.non_negative() || y.positive() && x.non_negative();
                // Bounds rounded outwards: the sums themselves round.
                Range::new((x.lo + y.lo).next_down(), (x.hi + y.hi).next_up(), pos)
            }
            Op::Binary(Binary::Sub, a, b) => {
                let (x, y) = (at(a), at(b));
                Range::new(
                    difference_bound(x.lo, y.hi, f64::next_down),
                    difference_bound(x.hi, y.lo, f64::next_up),
                    false,
                )
            }
            Op::Binary(Binary::Mul, a, b) if at(a).non_negative() && at(b).non_negative() => {
                let (x, y) = (at(a), at(b));
                Range::new(x.lo * y.lo, x.hi * y.hi, x.positive() && y.positive())
            }
            Op::Binary(Binary::Div, a, b) if at(a).non_negative() && at(b).non_negative() => {
                let (x, y) = (at(a), at(b));
                Range::new(x.lo / y.hi, x.hi / y.lo, x.positive() && y.positive())
            }
            Op::Binary(Binary::Max, a, b) => {
                let (x, y) = (at(a), at(b));
                Range::new(x.lo.max(y.lo), x.hi.max(y.hi), x.positive() || y.positive())
            }
            Op::Binary(Binary::Min, a, b) => {
                let (x, y) = (at(a), at(b));
                Range::new(x.lo.min(y.lo), x.hi.min(y.hi), x.positive() && y.positive())
            }
            Op::Binary(Binary::Pow, a, k) => match (at(a).positive(), g.constant(k)) {
                (true, _) => Range::new(0.0, f64::INFINITY, true),
                (_, Some(k)) if k.fract() == 0.0 && k % 2.0 == 0.0 && k > 0.0 => {
                    Range::new(0.0, f64::INFINITY, false)
                }
                _ => Range::ANY,
            },
            Op::Select(c, a, b) => {
                let (x, y) = (at(a), narrowed_by(g, c, b, at(b), &r));
                Range::new(x.lo.min(y.lo), x.hi.max(y.hi), x.positive() && y.positive())
            }
            // A sum of non-negative values is non-negative, of positive ones
            // (at least one, as dimensions are never empty) positive.
            Op::Reduce(Reduce::Sum, a) if at(a).non_negative() => {
                Range::new(0.0, f64::INFINITY, at(a).positive())
            }
            _ => Range::ANY,
        };
    }
    r
}

/// A bound of `a - b` valid in float32 and float64: rounded outwards, except
/// where the difference of bounds exact in both precisions is itself exact
/// (rounding is monotonic, so `1 - sigmoid(p)` is never below `1 - 1 = 0`).
fn difference_bound(a: f64, b: f64, outwards: fn(f64) -> f64) -> f64 {
    let d = a - b;
    let in_f32 = |v: f64| v.is_finite() && f64::from(v as f32) == v;
    // Two-sum: the rounding error of `a - b` is 0 exactly when it is exact.
    let bv = a - d;
    let exact = in_f32(a) && in_f32(b) && in_f32(d) && (a - (d + bv)) + (bv - b) == 0.0;
    if exact { d } else { outwards(d) }
}

/// `x - logsumexp(x)` (rows of log-probabilities, at most 0).
fn is_log_softmax(g: &Graph, d: NodeId) -> bool {
    let Op::Binary(Binary::Sub, x, r) = g.node(d).op else {
        return false;
    };
    matches!(g.node(g.unbroadcast(r)).op,
        Op::Reduce(Reduce::LogSumExpLast, y) if g.unbroadcast(y) == g.unbroadcast(x))
}

/// The range of `b`, the else-arm of a select on `cond`, where that arm is
/// taken: `if x <= k then k else x` (a clamp from below) takes `x` only
/// where `x > k`, and `if x >= k then k else x` only where `x < k`.
fn narrowed_by(g: &Graph, cond: NodeId, b: NodeId, rb: Range, r: &[Range]) -> Range {
    let Op::Binary(op, x, k) = g.node(cond).op else {
        return rb;
    };
    if g.unbroadcast(x) != g.unbroadcast(b) {
        return rb;
    }
    let k = r[k.0 as usize];
    match op {
        // The arm is taken where x > k (or x >= k): x is above k's lower bound.
        Binary::Le | Binary::Lt => Range::new(
            rb.lo.max(k.lo),
            rb.hi,
            rb.pos || op == Binary::Le && k.non_negative() || k.positive(),
        ),
        Binary::Ge | Binary::Gt => Range::new(rb.lo, rb.hi.min(k.hi), rb.pos),
        _ => rb,
    }
}

/// Does `n` add up array elements (a sum, possibly scaled or shifted)?
fn contains_sum(g: &Graph, n: NodeId) -> bool {
    match g.node(n).op {
        Op::Reduce(Reduce::Sum, _) => true,
        Op::Broadcast(a) | Op::Unary(Unary::Neg, a) => contains_sum(g, a),
        Op::Binary(Binary::Add | Binary::Sub | Binary::Mul, a, b) => {
            contains_sum(g, a) || contains_sum(g, b)
        }
        _ => false,
    }
}

/// The rewrites as text, one per place: where, what the user wrote, the rule
/// and why it matters.
pub fn explain(rewrites: &[Rewrite], sources: &crate::source::SourceMap) -> String {
    let mut out = String::new();
    for r in rewrites {
        match r.span {
            Some(span) => {
                let text = sources
                    .snippet(span)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = if text.chars().count() > 60 {
                    format!("{}...", text.chars().take(57).collect::<String>())
                } else {
                    text
                };
                out.push_str(&format!("{}: `{text}`\n", sources.location(span)));
            }
            None => out.push_str("(generated code)\n"),
        }
        out.push_str(&format!(
            "  {}\n  because {}\n",
            r.rule.text(),
            r.rule.reason()
        ));
    }
    out
}
