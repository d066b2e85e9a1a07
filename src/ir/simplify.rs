//! Smart constructors: every node is built through these, so the graph is
//! always constant-folded and free of trivial identities.
//!
//! The rules are the ones that keep derivatives readable and cheap: neutral
//! and absorbing elements (`x*1`, `x+0`, `x*0`), double negation, constant
//! reassociation (`2*(3*x)` → `6*x`), shared factors out of sums and
//! differences (`F·a - F·b` → `F·(a - b)`), and pushing products into zero-armed
//! selects (`select(c, a, 0) * b` → `select(c, a*b, 0)`). The last one is what
//! makes "the untaken branch of an `if` gets no gradient" hold exactly: the
//! untaken branch's local derivative (possibly infinite) is never multiplied
//! by the zero that masks it, so no `0 * inf = NaN` can appear.
//!
//! Shapes: `binary` and `select` require operands whose shapes combine
//! (`Graph::broadcast_shape`, the one rule elaboration checks user code
//! with). A rule that rebuilds operands it found through broadcasts (the
//! factors of a product, the arms of a select) builds them with
//! `try_binary`/`try_select` and does not fire where they would not combine,
//! so no spec can reach the shape invariant's panic.
//!
//! `x * 0 → 0` follows the usual symbolic-algebra convention (it assumes `x`
//! is finite), which is what a derivative needs: a constant has no gradient.
//! The exception is a factor the graph knows to be infinite or NaN: `x / 0`
//! is built as `x * inf`, and `(x * inf) * 0` is `x * NaN`, so `x / 0 * 0`
//! is NaN as IEEE arithmetic (and PyTorch) give. Other identities that
//! assume finite operands (`x - x → 0`, `0 / x → 0`) are listed in
//! ARCHITECTURE.md's IR section.

use super::*;

impl Graph {
    pub fn unary(&mut self, op: Unary, a: NodeId) -> NodeId {
        let kind = op.facts().kind;
        // A boolean result of a constant (`not 0`) is folded below, as a
        // boolean node.
        if let Some(x) = self.constant(a)
            && kind == Kind::Float
        {
            // A constant seen through a broadcast keeps its shape.
            let c = self.constant_node(eval_unary(op, x));
            let shape = self.node(a).shape;
            return self.broadcast(c, shape);
        }
        let inner = self.node(a).op;
        match (op, inner) {
            (Unary::Neg, Op::Unary(Unary::Neg, x)) | (Unary::Not, Op::Unary(Unary::Not, x)) => {
                return x;
            }
            (Unary::Abs, Op::Unary(Unary::Abs, _)) | (Unary::Relu, Op::Unary(Unary::Relu, _)) => {
                return a;
            }
            (Unary::Neg, Op::Binary(Binary::Sub, x, y)) => return self.binary(Binary::Sub, y, x),
            (Unary::Neg, Op::Binary(Binary::Mul, x, y)) if self.constant(x).is_some() => {
                let c = self.constant_node(-self.constant(x).unwrap());
                return self.binary(Binary::Mul, c, y);
            }
            (Unary::Not, Op::Const(bits)) => return self.bool_node(f64::from_bits(bits) == 0.0),
            _ => {}
        }
        let shape = self.node(a).shape;
        self.intern(Node {
            op: Op::Unary(op, a),
            shape,
            kind,
        })
    }

    pub fn binary(&mut self, op: Binary, a: NodeId, b: NodeId) -> NodeId {
        let shape = self
            .broadcast_shape(self.node(a).shape, self.node(b).shape)
            .expect("operand shapes are checked before the IR is built");
        let kind = op.kind(self.kind(a), self.kind(b));
        if let (Some(x), Some(y)) = (self.constant(a), self.constant(b)) {
            let v = eval_binary(op, x, y);
            let c = if kind == Kind::Bool {
                self.bool_node(v != 0.0)
            } else {
                self.constant_node(v)
            };
            // Constants seen through broadcasts keep the operation's shape.
            return self.broadcast(c, shape);
        }
        if let Some(r) = self.identity(op, a, b)
            && self.broadcastable(self.node(r).shape, shape)
        {
            // An identity may drop an operand (`x * 0 → 0`); the result keeps
            // the shape the operation has, so rank checks downstream hold.
            return self.broadcast(r, shape);
        }
        // Commutative operations take their constant (if any) first, so that
        // `x*2` and `2*x` are one node and print as `2 * x`.
        let (a, b) = if op.facts().commutative && self.constant(b).is_some() {
            (b, a)
        } else {
            (a, b)
        };
        self.intern(Node {
            op: Op::Binary(op, a, b),
            shape,
            kind,
        })
    }

    /// `binary`, or `None` where the operands' shapes do not combine. The
    /// rules below rebuild operands they found through broadcasts (the
    /// factors of a product, the arms of a select), which need not combine
    /// with each other even though the original operands did; such a rule
    /// then does not fire, instead of building an ill-shaped node.
    fn try_binary(&mut self, op: Binary, a: NodeId, b: NodeId) -> Option<NodeId> {
        self.broadcast_shape(self.node(a).shape, self.node(b).shape)?;
        Some(self.binary(op, a, b))
    }

    /// `select`, or `None` where the shapes do not combine (see `try_binary`).
    fn try_select(&mut self, c: NodeId, a: NodeId, b: NodeId) -> Option<NodeId> {
        let ab = self.broadcast_shape(self.node(a).shape, self.node(b).shape)?;
        self.broadcast_shape(self.node(c).shape, ab)?;
        Some(self.select(c, a, b))
    }

    fn identity(&mut self, op: Binary, a: NodeId, b: NodeId) -> Option<NodeId> {
        let (ca, cb) = (self.constant(a), self.constant(b));
        let r = match op {
            Binary::Add => {
                if ca == Some(0.0) {
                    b
                } else if cb == Some(0.0) {
                    a
                } else if let Op::Unary(Unary::Neg, y) = self.node(b).op {
                    self.try_binary(Binary::Sub, a, y)?
                } else if let Op::Unary(Unary::Neg, x) = self.node(a).op {
                    self.try_binary(Binary::Sub, b, x)?
                } else {
                    self.merge_selects(a, b)
                        .or_else(|| self.common_factor(Binary::Add, a, b))?
                }
            }
            Binary::Sub => {
                let cancels = |g: &Graph, sum: NodeId, b: NodeId| match g.node(sum).op {
                    Op::Binary(Binary::Add, x, y) if y == b => Some(x),
                    Op::Binary(Binary::Add, x, y) if x == b => Some(y),
                    _ => None,
                };
                if a == b {
                    // Like `x * 0 → 0`: assumes `x` is finite.
                    self.constant_node(0.0)
                } else if let Some(rest) = cancels(self, a, b).filter(|&r| {
                    self.node(r).shape == self.node(a).shape
                        || self.shape_of(r).is_empty() && self.shape_of(a).is_empty()
                }) {
                    rest
                } else if cb == Some(0.0) {
                    a
                } else if ca == Some(0.0) {
                    self.unary(Unary::Neg, b)
                } else if let Op::Unary(Unary::Neg, y) = self.node(b).op {
                    self.try_binary(Binary::Add, a, y)?
                } else {
                    self.logistic_difference(a, b)
                        .or_else(|| self.common_factor(Binary::Sub, a, b))?
                }
            }
            Binary::Mul => {
                if ca == Some(1.0) {
                    b
                } else if cb == Some(1.0) {
                    a
                } else if ca == Some(0.0) || cb == Some(0.0) {
                    let other = if ca == Some(0.0) { b } else { a };
                    match self.non_finite_factor(other) {
                        // `(x * inf) * 0` (as `x / 0 * 0` is built) is
                        // `x * NaN`: NaN everywhere, as IEEE arithmetic gives.
                        Some((rest, _)) => {
                            let nan = self.constant_node(f64::NAN);
                            self.try_binary(Binary::Mul, nan, rest)?
                        }
                        None => self.constant_node(0.0),
                    }
                } else if ca == Some(-1.0) {
                    self.unary(Unary::Neg, b)
                } else if cb == Some(-1.0) {
                    self.unary(Unary::Neg, a)
                } else if let (Op::Unary(Unary::Neg, x), Op::Unary(Unary::Neg, y)) =
                    (self.node(a).op, self.node(b).op)
                {
                    self.try_binary(Binary::Mul, x, y)?
                } else if let (Some(c), Op::Unary(Unary::Neg, y)) = (ca, self.node(b).op) {
                    let k = self.constant_node(-c);
                    self.try_binary(Binary::Mul, k, y)?
                } else if let Op::Unary(Unary::Neg, x) = self.node(a).op {
                    // Pull negation outwards, where `a - (-b)` and `-(-b)` cancel.
                    let m = self.try_binary(Binary::Mul, x, b)?;
                    self.unary(Unary::Neg, m)
                } else if let Op::Unary(Unary::Neg, y) = self.node(b).op {
                    let m = self.try_binary(Binary::Mul, a, y)?;
                    self.unary(Unary::Neg, m)
                } else if let Some(r) = self.clamp_of_sign(a, b).or(self.clamp_of_sign(b, a)) {
                    r
                } else if let Some(r) = self.push_into_select(op, a, b) {
                    r
                } else if let (Some(c), Op::Binary(Binary::Mul, x, y)) = (ca, self.node(b).op) {
                    let cx = self.constant(x)?;
                    let k = self.constant_node(c * cx);
                    self.try_binary(Binary::Mul, k, y)?
                } else if let (Some(c), Op::Binary(Binary::Mul, x, y)) = (cb, self.node(a).op) {
                    let cx = self.constant(x)?;
                    let k = self.constant_node(c * cx);
                    self.try_binary(Binary::Mul, k, y)?
                } else if let Some((c, Op::Binary(Binary::Div, x, y))) = ca
                    .map(|c| (c, self.node(b).op))
                    .or(cb.map(|c| (c, self.node(a).op)))
                {
                    // c * (d / y) → (c*d) / y
                    let d = self.constant(x)?;
                    let k = self.constant_node(c * d);
                    self.try_binary(Binary::Div, k, y)?
                } else if let Some(r) = self.gather_scalars(a, b) {
                    r
                } else {
                    return None;
                }
            }
            Binary::Div => {
                if cb == Some(1.0) {
                    a
                } else if let Some(zero) = cb.filter(|&z| z == 0.0) {
                    // `x / ±0` is `x * ±inf` exactly (±inf for x ≠ 0, NaN at
                    // x = 0 and for NaN), and as a product its infinite
                    // factor is seen by `x * 0` above.
                    let inf = self.constant_node(1.0 / zero);
                    self.try_binary(Binary::Mul, inf, a)?
                } else if let Op::Unary(Unary::Neg, x) = self.node(a).op {
                    let q = self.try_binary(Binary::Div, x, b)?;
                    self.unary(Unary::Neg, q)
                } else if ca == Some(0.0) {
                    self.constant_node(0.0)
                } else {
                    self.push_into_select(op, a, b)?
                }
            }
            Binary::Pow => {
                if cb == Some(1.0) {
                    a
                } else if cb == Some(0.0) {
                    self.constant_node(1.0)
                } else {
                    return None;
                }
            }
            Binary::And => match (ca, cb) {
                (Some(x), _) => {
                    if x != 0.0 {
                        b
                    } else {
                        self.bool_node(false)
                    }
                }
                (_, Some(y)) => {
                    if y != 0.0 {
                        a
                    } else {
                        self.bool_node(false)
                    }
                }
                _ => return None,
            },
            Binary::Or => match (ca, cb) {
                (Some(x), _) => {
                    if x != 0.0 {
                        self.bool_node(true)
                    } else {
                        b
                    }
                }
                (_, Some(y)) => {
                    if y != 0.0 {
                        self.bool_node(true)
                    } else {
                        a
                    }
                }
                _ => return None,
            },
            Binary::Min
            | Binary::Max
            | Binary::Eq
            | Binary::Ne
            | Binary::Lt
            | Binary::Le
            | Binary::Gt
            | Binary::Ge => return None,
        };
        Some(r)
    }

    /// `n` as `rest * c` with `c` an infinite or NaN constant (itself, with
    /// `rest` the constant 1, when `n` is such a constant).
    fn non_finite_factor(&mut self, n: NodeId) -> Option<(NodeId, f64)> {
        let non_finite = |g: &Graph, m: NodeId| g.constant(m).filter(|c| !c.is_finite());
        if let Some(c) = non_finite(self, n) {
            return Some((self.constant_node(1.0), c));
        }
        let Op::Binary(Binary::Mul, x, y) = self.node(n).op else {
            return None;
        };
        [(x, y), (y, x)]
            .into_iter()
            .find_map(|(c, rest)| non_finite(self, c).map(|c| (rest, c)))
    }

    /// `s * (t * x)` → `(s * t) * x` when `s` and `t` are scalars and `x` is
    /// not: the scalar factor is computed once, not once per element (the
    /// `1/N * (2 * d)` of every mean's derivative).
    fn gather_scalars(&mut self, a: NodeId, b: NodeId) -> Option<NodeId> {
        let scalar = |g: &Graph, n: NodeId| g.shape_of(n).is_empty();
        for (s, prod) in [(a, b), (b, a)] {
            if !scalar(self, s) || scalar(self, prod) {
                continue;
            }
            if let Op::Binary(Binary::Mul, x, y) = self.node(prod).op {
                let (t, rest) = if scalar(self, x) {
                    (x, y)
                } else if scalar(self, y) {
                    (y, x)
                } else {
                    continue;
                };
                if scalar(self, rest) {
                    continue;
                }
                let k = self.try_binary(Binary::Mul, s, t)?;
                return self.try_binary(Binary::Mul, k, rest);
            }
        }
        None
    }

    /// `select(c, x, 0) * y` → `select(c, x*y, 0)`, and likewise for `/` and
    /// for selects whose arms are themselves such selects (the tie-splitting
    /// rule of `min`/`max` nests two).
    fn push_into_select(&mut self, op: Binary, a: NodeId, b: NodeId) -> Option<NodeId> {
        if self.has_zero_arm(a) {
            let Op::Select(c, x, y) = self.node(a).op else {
                unreachable!()
            };
            // A zero arm stays zero: `0 * b` and `0 / b` are 0 even where `b`
            // is infinite or zero (that is the point of the rule).
            let x = if self.constant(x) == Some(0.0) {
                x
            } else {
                self.try_binary(op, x, b)?
            };
            let y = if self.constant(y) == Some(0.0) {
                y
            } else {
                self.try_binary(op, y, b)?
            };
            return self.try_select(c, x, y);
        }
        if op == Binary::Mul && self.has_zero_arm(b) {
            return self.push_into_select(op, b, a);
        }
        None
    }

    /// Is `n` a select with a zero arm, possibly inside another select?
    fn has_zero_arm(&self, n: NodeId) -> bool {
        let Op::Select(_, x, y) = self.node(n).op else {
            return false;
        };
        let zero_or_nested = |m: NodeId| {
            self.constant(m) == Some(0.0)
                || matches!(self.node(m).op, Op::Select(..)) && self.has_zero_arm(m)
        };
        zero_or_nested(x) || zero_or_nested(y)
    }

    /// `select(c, x, 0) + select(c, 0, y)` → `select(c, x, y)`.
    fn merge_selects(&mut self, a: NodeId, b: NodeId) -> Option<NodeId> {
        let (Op::Select(c1, x1, y1), Op::Select(c2, x2, y2)) = (self.node(a).op, self.node(b).op)
        else {
            return None;
        };
        if c1 != c2 {
            return None;
        }
        let zero = |g: &Graph, n: NodeId| g.constant(n) == Some(0.0);
        if zero(self, y1) && zero(self, x2) {
            self.try_select(c1, x1, y2)
        } else if zero(self, x1) && zero(self, y2) {
            self.try_select(c1, x2, y1)
        } else {
            None
        }
    }

    /// `F·(1 - y)·σ(x) - F·y·σ(-x)` → `F·(σ(x) - y)`, as `σ(-x) = 1 - σ(x)`
    /// (and with the operands swapped, `F·(y - σ(x))`): the derivative of
    /// cross-entropy on logits, `y·softplus(-x) + (1 - y)·softplus(x)`, in the
    /// form PyTorch computes it. Two operations per element instead of seven,
    /// and no second sigmoid; where `σ(x)` rounds to 1 the result is 0 rather
    /// than the tiny `-σ(-x)`, an absolute error below one unit in the last
    /// place of 1.
    fn logistic_difference(&mut self, a: NodeId, b: NodeId) -> Option<NodeId> {
        let (common, s, y, swapped) = match self.logistic_pair(a, b) {
            Some((c, s, y)) => (c, s, y, false),
            None => {
                let (c, s, y) = self.logistic_pair(b, a)?;
                (c, s, y, true)
            }
        };
        let d = if swapped {
            self.try_binary(Binary::Sub, y, s)?
        } else {
            self.try_binary(Binary::Sub, s, y)?
        };
        // Scalar factors first, so that they multiply once, not per element.
        // The factors were found through broadcasts, so two of them need not
        // combine with each other (a per-row [N] adjoint and a per-class [C]
        // weight of an [N, C] product): those multiply into `d` one by one.
        let mut common = common;
        common.sort_by_key(|&n| (self.shape_of(n).len(), n));
        let mut f: Option<NodeId> = None;
        let mut result = d;
        for q in common {
            f = match f {
                None => Some(q),
                Some(p) => match self.try_binary(Binary::Mul, p, q) {
                    Some(pq) => Some(pq),
                    None => {
                        result = self.try_binary(Binary::Mul, p, result)?;
                        Some(q)
                    }
                },
            };
        }
        match f {
            Some(f) => self.try_binary(Binary::Mul, f, result),
            None => Some(result),
        }
    }

    /// `F·a ± F·b` → `F·(a ± b)` for `op` `+` or `-`, with `F` the factors
    /// the two products share (as a multiset, in any order, through
    /// broadcasts): one product per element instead of two. Second
    /// derivatives are full of these: the focal Hessian's product rule
    /// leaves `(1 - y)·t - y·t` three times over. Factoring never adds an
    /// operation and rounds no worse (one rounding before the difference,
    /// not two). Does not fire where the shared or remaining factors do not
    /// combine with each other (see `try_binary`).
    fn common_factor(&mut self, op: Binary, a: NodeId, b: NodeId) -> Option<NodeId> {
        let (fa, mut rest_b) = (self.factors(a)?, self.factors(b)?);
        let (mut shared, mut rest_a) = (Vec::new(), Vec::new());
        for f in fa {
            match rest_b.iter().position(|&g| g == f) {
                Some(j) => shared.push(rest_b.swap_remove(j)),
                None => rest_a.push(f),
            }
        }
        // Nothing shared, or the same product twice (`x - x` and `x + x`
        // have their own rules, or none).
        if shared.is_empty() || rest_a.is_empty() && rest_b.is_empty() {
            return None;
        }
        let (pa, pb) = (self.product(rest_a)?, self.product(rest_b)?);
        let d = self.try_binary(op, pa, pb)?;
        let f = self.product(shared)?;
        self.try_binary(Binary::Mul, f, d)
    }

    /// The product of `factors`, scalars first (they multiply once, not per
    /// element); 1 for none; `None` where two of them do not combine.
    fn product(&mut self, mut factors: Vec<NodeId>) -> Option<NodeId> {
        factors.sort_by_key(|&n| (self.shape_of(n).len(), n));
        let mut p = self.constant_node(1.0);
        for f in factors {
            p = self.try_binary(Binary::Mul, p, f)?;
        }
        Some(p)
    }

    /// Matches `pos = F·(1 - y)·σ(x)` and `neg = F·y·σ(-x)` (factors in any
    /// order): returns `F` as a list of factors, `σ(x)` and `y`.
    fn logistic_pair(&self, pos: NodeId, neg: NodeId) -> Option<(Vec<NodeId>, NodeId, NodeId)> {
        let (fp, fneg) = (self.factors(pos)?, self.factors(neg)?);
        for (i, &s) in fp.iter().enumerate() {
            let Op::Unary(Unary::Sigmoid, x) = self.node(s).op else {
                continue;
            };
            let is_mirror = |&m: &NodeId| match self.node(m).op {
                Op::Unary(Unary::Sigmoid, nx) => self.node(nx).op == Op::Unary(Unary::Neg, x),
                _ => false,
            };
            let Some(j) = fneg.iter().position(is_mirror) else {
                continue;
            };
            let rest_p = without(&fp, i);
            let rest_n = without(&fneg, j);
            for (k, &f) in rest_p.iter().enumerate() {
                let Op::Binary(Binary::Sub, one, y) = self.node(f).op else {
                    continue;
                };
                let y = self.unbroadcast(y);
                if self.constant(one) != Some(1.0) {
                    continue;
                }
                let Some(l) = rest_n.iter().position(|&m| m == y) else {
                    continue;
                };
                let (mut cp, mut cn) = (without(&rest_p, k), without(&rest_n, l));
                cp.sort();
                cn.sort();
                if cp == cn {
                    return Some((cp, s, y));
                }
            }
        }
        None
    }

    /// The factors of a product (through nested products and broadcasts),
    /// or `None` past `MAX_FACTORS`: this runs on every subtraction built,
    /// so a product of thousands of factors must cost neither time nor stack.
    fn factors(&self, n: NodeId) -> Option<Vec<NodeId>> {
        const MAX_FACTORS: usize = 16;
        let mut out = Vec::new();
        let mut stack = vec![n];
        while let Some(m) = stack.pop() {
            match self.node(m).op {
                Op::Binary(Binary::Mul, x, y) => stack.extend([y, x]),
                Op::Broadcast(x) => stack.push(x),
                _ => out.push(m),
            }
            if out.len() + stack.len() > MAX_FACTORS {
                return None;
            }
        }
        Some(out)
    }

    /// `(if |x| < c then k*|x| else k*c) * sign(x)` is `k * clamp(x, -c, c)`
    /// for a constant `c > 0` (also at |x| = c and x = 0): the derivative of
    /// Huber and smooth-L1, three operations per element instead of eight.
    fn clamp_of_sign(&mut self, s: NodeId, sign: NodeId) -> Option<NodeId> {
        let Op::Unary(Unary::Sign, x) = self.node(sign).op else {
            return None;
        };
        let Op::Select(cond, inside, outside) = self.node(s).op else {
            return None;
        };
        let Op::Binary(Binary::Lt, abs, c) = self.node(cond).op else {
            return None;
        };
        let limit = self.constant(c).filter(|&c| c > 0.0)?;
        if self.node(abs).op != Op::Unary(Unary::Abs, x) {
            return None;
        }
        let k = match self.node(inside).op {
            _ if inside == abs => None,
            Op::Binary(Binary::Mul, k, y) if y == abs && self.shape_of(k).is_empty() => Some(k),
            _ => return None,
        };
        let matches = match k {
            Some(k) => match self.node(k).op {
                // (s / c) * c is s (smooth-L1's `1/beta` factor).
                Op::Binary(Binary::Div, s, d) if self.constant(d) == Some(limit) => {
                    self.unbroadcast(outside) == self.unbroadcast(s)
                }
                _ => {
                    let kc = self.binary(Binary::Mul, k, c);
                    self.unbroadcast(outside) == self.unbroadcast(kc)
                }
            },
            // Compared by value: `1` may be an integer constant, `1.0` not.
            None => self.constant(outside) == Some(limit),
        };
        if !matches {
            return None;
        }
        let hi = self.constant_node(limit);
        let lo = self.constant_node(-limit);
        let upper = self.binary(Binary::Min, x, hi);
        let clamped = self.binary(Binary::Max, upper, lo);
        let r = match k {
            Some(k) => self.try_binary(Binary::Mul, k, clamped)?,
            None => clamped,
        };
        let shape = self.broadcast_shape(self.node(s).shape, self.node(sign).shape)?;
        Some(self.broadcast(r, shape))
    }

    pub fn select(&mut self, c: NodeId, a: NodeId, b: NodeId) -> NodeId {
        let ab = self
            .broadcast_shape(self.node(a).shape, self.node(b).shape)
            .expect("checked");
        let shape = self
            .broadcast_shape(self.node(c).shape, ab)
            .expect("checked");
        if let Some(v) = self.constant(c) {
            let r = if v != 0.0 { a } else { b };
            return self.broadcast(r, shape);
        }
        if a == b {
            return self.broadcast(a, shape);
        }
        // An arm that selects on the same condition again takes the same side.
        if let Op::Select(c2, a2, _) = self.node(a).op
            && c2 == c
            && let Some(r) = self.try_select(c, a2, b)
        {
            return self.broadcast(r, shape);
        }
        if let Op::Select(c2, _, b2) = self.node(b).op
            && c2 == c
            && let Some(r) = self.try_select(c, a, b2)
        {
            return self.broadcast(r, shape);
        }
        let kind = match (self.kind(a), self.kind(b)) {
            (Kind::Int, Kind::Int) => Kind::Int,
            (Kind::Bool, Kind::Bool) => Kind::Bool,
            _ => Kind::Float,
        };
        self.intern(Node {
            op: Op::Select(c, a, b),
            shape,
            kind,
        })
    }

    /// `a` broadcast to exactly `shape` (no node when it already has it).
    pub fn broadcast(&mut self, a: NodeId, shape: ShapeId) -> NodeId {
        let a = self.unbroadcast(a);
        if self.node(a).shape == shape {
            return a;
        }
        let kind = self.kind(a);
        self.intern(Node {
            op: Op::Broadcast(a),
            shape,
            kind,
        })
    }

    /// Sum of `a` (broadcast to `from`) down to `to`, a prefix or suffix of `from`.
    /// The value a broadcast node broadcasts (or the node itself).
    pub fn unbroadcast(&self, a: NodeId) -> NodeId {
        match self.node(a).op {
            Op::Broadcast(inner) => inner,
            _ => a,
        }
    }

    pub fn sum(&mut self, a: NodeId, from: ShapeId, to: ShapeId) -> NodeId {
        if from == to {
            return a;
        }
        let a = self.unbroadcast(a);
        if let Some(r) = self.row_sum_identity(a, from, to) {
            return r;
        }
        let removed = self.removed_dims(from, to);
        let a_shape = self.node(a).shape;
        if self.broadcastable(a_shape, to) {
            // Nothing of `a` varies along the summed axes: multiply by their count.
            let count = self.size_node(removed);
            return self.binary(Binary::Mul, count, a);
        }
        let full = self.broadcast(a, from);
        self.intern(Node {
            op: Op::Reduce(Reduce::Sum, full),
            shape: to,
            kind: Kind::Float,
        })
    }

    /// Sums over the class axis that the derivative of `gather` and
    /// `log_softmax` produce: `sum(onehot(i))` is 1, `sum(onehot(i) * b)` is
    /// `b` for a per-row `b` and `gather(b, i)` otherwise, and a per-row
    /// condition or negation moves outside the sum. Each saves a sweep over
    /// the row in native code.
    fn row_sum_identity(&mut self, a: NodeId, from: ShapeId, to: ShapeId) -> Option<NodeId> {
        let f = self.shape(from).to_vec();
        if f.len() != self.shape(to).len() + 1 || !f.starts_with(self.shape(to)) {
            return None;
        }
        let per_row = |g: &Graph, n: NodeId| g.broadcastable(g.node(n).shape, to);
        match self.node(a).op {
            Op::OneHot(_) => Some(self.constant_node(1.0)).map(|one| self.broadcast(one, to)),
            Op::Binary(Binary::Mul, x, y) => {
                let (hot, other) = match (self.node(x).op, self.node(y).op) {
                    (Op::OneHot(_), _) => (x, y),
                    (_, Op::OneHot(_)) => (y, x),
                    _ => return None,
                };
                let Op::OneHot(i) = self.node(hot).op else {
                    unreachable!()
                };
                if per_row(self, other) {
                    Some(self.broadcast(other, to))
                } else {
                    Some(self.gather(other, i, from))
                }
            }
            Op::Select(c, x, y)
                if per_row(self, c)
                    && (self.constant(x) == Some(0.0) || self.constant(y) == Some(0.0)) =>
            {
                let sx = self.sum(x, from, to);
                let sy = self.sum(y, from, to);
                self.try_select(c, sx, sy)
            }
            Op::Unary(Unary::Neg, x) => {
                let sx = self.sum(x, from, to);
                Some(self.unary(Unary::Neg, sx))
            }
            Op::Binary(Binary::Add | Binary::Sub, ..) => self.row_sum_of_terms(a, from, to),
            _ => None,
        }
    }

    /// A sum distributes over `+` and `-` when every term simplifies: `a`'s
    /// tree of `+`/`-` (down to per-row terms and other operations) is
    /// summed term by term and rebuilt bottom-up, each half before its
    /// parent, first half first. An explicit stack: a flat sum is a chain as
    /// long as the objective.
    fn row_sum_of_terms(&mut self, a: NodeId, from: ShapeId, to: ShapeId) -> Option<NodeId> {
        let per_row = |g: &Graph, n: NodeId| g.broadcastable(g.node(n).shape, to);
        let mut summed: HashMap<NodeId, NodeId> = HashMap::new();
        let mut stack = vec![(a, false)];
        while let Some((n, halves_done)) = stack.pop() {
            if summed.contains_key(&n) {
                continue;
            }
            let split = match self.node(n).op {
                Op::Binary(op @ (Binary::Add | Binary::Sub), x, y)
                    if n == a || !per_row(self, n) =>
                {
                    Some((op, x, y))
                }
                _ => None,
            };
            let s = match split {
                Some((op, x, y)) if halves_done => self.binary(op, summed[&x], summed[&y]),
                Some((_, x, y)) => {
                    stack.extend([(n, true), (y, false), (x, false)]);
                    continue;
                }
                None if per_row(self, n) => self.sum(n, from, to),
                None => self.row_sum_identity(n, from, to)?,
            };
            summed.insert(n, s);
        }
        Some(summed[&a])
    }

    /// The dimensions of `from` that are not in `to` (prefix or suffix).
    pub fn removed_dims(&mut self, from: ShapeId, to: ShapeId) -> ShapeId {
        let f = self.shape(from).to_vec();
        let t = self.shape(to).len();
        if f.starts_with(self.shape(to)) {
            self.shape_id(&f[t..])
        } else {
            self.shape_id(&f[..f.len() - t])
        }
    }

    /// Reduce the last axis of `a` broadcast to `from`.
    pub fn reduce_last(&mut self, op: Reduce, a: NodeId, from: ShapeId) -> NodeId {
        let a = self.unbroadcast(a);
        let dims = self.shape(from).to_vec();
        let to = self.shape_id(&dims[..dims.len() - 1]);
        let last = self.shape_id(&dims[dims.len() - 1..]);
        if self.broadcastable(self.node(a).shape, to) {
            // Constant along the reduced axis.
            return match op {
                Reduce::MaxLast => a,
                Reduce::Sum => self.sum(a, from, to),
                Reduce::LogSumExpLast => {
                    let n = self.size_node(last);
                    let log_n = self.unary(Unary::Log, n);
                    self.binary(Binary::Add, a, log_n)
                }
            };
        }
        let full = self.broadcast(a, from);
        if op == Reduce::Sum {
            return self.sum(full, from, to);
        }
        self.intern(Node {
            op: Op::Reduce(op, full),
            shape: to,
            kind: Kind::Float,
        })
    }

    /// `x[..., i]` along the last axis of `x` (which has shape `from`).
    pub fn gather(&mut self, x: NodeId, i: NodeId, from: ShapeId) -> NodeId {
        let x = self.unbroadcast(x);
        let dims = self.shape(from).to_vec();
        let rows = self.shape_id(&dims[..dims.len() - 1]);
        if self.broadcastable(self.node(x).shape, rows) {
            // `x` does not vary along the class axis: every entry is the same.
            let shape = self.node(i).shape;
            return self.broadcast_to_at_least(x, shape);
        }
        let full = self.broadcast(x, from);
        let shape = self.node(i).shape;
        let kind = self.kind(x);
        self.intern(Node {
            op: Op::Gather(full, i),
            shape,
            kind,
        })
    }

    fn broadcast_to_at_least(&mut self, x: NodeId, shape: ShapeId) -> NodeId {
        if self.broadcastable(self.node(x).shape, shape) {
            x
        } else {
            self.broadcast(x, shape)
        }
    }

    pub fn onehot(&mut self, i: NodeId, classes: DimId) -> NodeId {
        let mut dims = self.shape_of(i).to_vec();
        dims.push(classes);
        let shape = self.shape_id(&dims);
        self.intern(Node {
            op: Op::OneHot(i),
            shape,
            kind: Kind::Float,
        })
    }
}

/// `v` without its `i`-th element.
fn without(v: &[NodeId], i: usize) -> Vec<NodeId> {
    let mut v = v.to_vec();
    v.remove(i);
    v
}

/// Reference semantics of each unary function in float64 (the table's,
/// [`Unary::facts`]; also used by the evaluators).
pub fn eval_unary(op: Unary, x: f64) -> f64 {
    op.eval(x)
}

/// Reference semantics of each binary operation in float64 ([`Binary::facts`]).
pub fn eval_binary(op: Binary, x: f64, y: f64) -> f64 {
    op.eval(x, y)
}

pub use super::ops::POW_BY_MULTIPLICATION;
