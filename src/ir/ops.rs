//! The elementwise operations and, for each, every fact the compiler knows
//! about it, in one place.
//!
//! [`Unary::facts`] is one exhaustive `match` with one entry per function:
//! its name (how specs call it and how the IR prints it), its float64
//! semantics, its derivative rule and what it tells the range analysis. A
//! new [`Unary`] variant therefore does not compile until all of those are
//! written, beside each other; the front end, the printer, the simplifier,
//! reverse mode, the Hessian pass and the stabilising rewrites read them
//! from here. What stays elsewhere is code generation (`backend::cranelift::lower`
//! and `backend::cranelift::vmath`), whose matches over [`Unary`] are exhaustive too.
//! [`Binary::facts`] does the same for the binary operators' printed
//! symbols, semantics, classes and algebraic properties.
//!
//! This module is part of the IR layer: it knows graphs, not syntax, spans,
//! diagnostics or any runtime. `tests::derivative_rules_match_finite_differences`
//! and `tests::range_facts_hold_at_sample_points` check every entry.

use super::{Graph, Kind, NodeId};

/// Declares an operation enum together with the list of all its variants,
/// so that the list ([`Unary::ALL`], [`Binary::ALL`]) cannot miss one.
macro_rules! operations {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }
    };
}

operations! {
    /// Elementwise functions of one argument.
    Unary {
        Neg,
        Not,
        Exp,
        Log,
        Log1p,
        Expm1,
        Sqrt,
        Abs,
        Sign,
        Sigmoid,
        Softplus,
        Tanh,
        Cosh,
        Sinh,
        Relu,
        /// The value of its argument, with no gradient (a stop-gradient).
        Detach,
    }
}

operations! {
    /// Elementwise operations of two arguments.
    Binary {
        Add,
        Sub,
        Mul,
        Div,
        Pow,
        Min,
        Max,
        Eq,
        Ne,
        Lt,
        Le,
        Gt,
        Ge,
        And,
        Or,
    }
}

/// How specs write a unary operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// A builtin function called as `name(x)`.
    Call,
    /// A prefix operator of the grammar (`-x`, `not x`), not a callable name.
    Prefix,
}

/// The arguments of a derivative rule: the node's argument `arg`, the node
/// itself `out` (rules reuse the forward value: `exp' = exp`), and the
/// adjoint `adj` flowing into the node.
#[derive(Debug, Clone, Copy)]
pub struct Local {
    pub arg: NodeId,
    pub out: NodeId,
    pub adj: NodeId,
}

/// How a unary operation passes a gradient to its argument.
#[derive(Debug, Clone, Copy)]
pub enum Derivative {
    /// Piecewise constant (`sign`, `not`): the value does not depend on the
    /// argument differentiably, so nothing below it needs a gradient.
    Constant,
    /// The value depends on the argument but no gradient flows, by
    /// definition (`detach`).
    Stopped,
    /// The argument's share of the adjoint, built from the arguments of
    /// [`Local`] (for an adjoint of 1, the local derivative itself).
    Rule(fn(&mut Graph, Local) -> NodeId),
}

/// What is known about a value: it lies in `[lo, hi]`, and is strictly
/// positive when `pos` (even where `lo` is 0: `exp` is never 0 in exact
/// arithmetic). Bounds are those of the rounded values, so `sigmoid` lies
/// in `[0, 1]` (it rounds to both ends). A NaN value lies in no range: the
/// analysis is about the values that are numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
    pub pos: bool,
}

impl Range {
    /// Nothing known.
    pub const ANY: Range = Range {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
        pos: false,
    };

    /// A range from computed bounds; a NaN bound (`inf - inf`, `0 * inf`,
    /// the square root of a negative bound) is unknown.
    pub fn new(lo: f64, hi: f64, pos: bool) -> Range {
        Range {
            lo: if lo.is_nan() { f64::NEG_INFINITY } else { lo },
            hi: if hi.is_nan() { f64::INFINITY } else { hi },
            pos,
        }
    }

    /// Never 0 nor negative.
    pub fn positive(self) -> bool {
        self.pos || self.lo > 0.0
    }

    pub fn non_negative(self) -> bool {
        self.lo >= 0.0
    }
}

/// Everything the compiler knows about one unary operation.
#[derive(Clone, Copy)]
pub struct UnaryFacts {
    /// The name specs call it by (for [`Notation::Call`]) and the IR prints.
    pub name: &'static str,
    pub notation: Notation,
    /// The element kind of its result.
    pub kind: Kind,
    /// The reference semantics in float64, shared by constant folding, the
    /// reference evaluator and the host-side values of native kernels.
    pub eval: fn(f64) -> f64,
    pub derivative: Derivative,
    /// The range of its values, given the range of its argument's.
    pub range: fn(Range) -> Range,
}

/// `adj * local`: the contribution of a rule whose derivative is a factor.
fn times(g: &mut Graph, adj: NodeId, local: NodeId) -> NodeId {
    g.binary(Binary::Mul, adj, local)
}

impl Unary {
    /// The table entry of this operation.
    pub fn facts(self) -> UnaryFacts {
        const INF: f64 = f64::INFINITY;
        match self {
            Unary::Neg => UnaryFacts {
                name: "neg",
                notation: Notation::Prefix,
                kind: Kind::Float,
                eval: |x| -x,
                derivative: Derivative::Rule(|g, d| g.unary(Unary::Neg, d.adj)),
                range: |a| Range::new(-a.hi, -a.lo, false),
            },
            Unary::Not => UnaryFacts {
                name: "not",
                notation: Notation::Prefix,
                kind: Kind::Bool,
                eval: |x| f64::from(u8::from(x == 0.0)),
                derivative: Derivative::Constant,
                range: |_| Range::ANY,
            },
            Unary::Exp => function(
                "exp",
                f64::exp,
                Derivative::Rule(|g, d| times(g, d.adj, d.out)),
                |_| Range::new(0.0, INF, true),
            ),
            Unary::Log => function(
                "log",
                f64::ln,
                Derivative::Rule(|g, d| {
                    let one = g.constant_node(1.0);
                    let local = g.binary(Binary::Div, one, d.arg);
                    times(g, d.adj, local)
                }),
                |_| Range::ANY,
            ),
            Unary::Log1p => function(
                "log1p",
                f64::ln_1p,
                Derivative::Rule(|g, d| {
                    let one = g.constant_node(1.0);
                    let sum = g.binary(Binary::Add, one, d.arg);
                    let local = g.binary(Binary::Div, one, sum);
                    times(g, d.adj, local)
                }),
                |_| Range::ANY,
            ),
            Unary::Expm1 => function(
                "expm1",
                f64::exp_m1,
                Derivative::Rule(|g, d| {
                    let local = g.unary(Unary::Exp, d.arg);
                    times(g, d.adj, local)
                }),
                |_| Range::ANY,
            ),
            Unary::Sqrt => function(
                "sqrt",
                f64::sqrt,
                Derivative::Rule(|g, d| {
                    let half = g.constant_node(0.5);
                    let local = g.binary(Binary::Div, half, d.out);
                    times(g, d.adj, local)
                }),
                |a| Range::new(a.lo.max(0.0).sqrt(), a.hi.sqrt(), a.pos),
            ),
            Unary::Abs => function(
                "abs",
                f64::abs,
                // abs'(0) = sign(0) = 0, as PyTorch.
                Derivative::Rule(|g, d| {
                    let local = g.unary(Unary::Sign, d.arg);
                    times(g, d.adj, local)
                }),
                |_| Range::new(0.0, INF, false),
            ),
            // sign(0) = 0, as torch.sign; NaN stays NaN. Its derivative is 0
            // everywhere it exists.
            Unary::Sign => function("sign", sign, Derivative::Constant, |_| Range::ANY),
            Unary::Sigmoid => function(
                "sigmoid",
                sigmoid,
                // σ(x)·σ(-x), not σ(x)·(1 - σ(x)): where σ rounds to 1
                // (x > 17 in float32, > 37 in float64) the difference cancels
                // to 0 while σ(-x) keeps its relative accuracy (float32 at
                // x = 20: 2.1e-9, not 0). Native code computes σ(±x) from one
                // e^-|x|.
                Derivative::Rule(|g, d| {
                    let minus = g.unary(Unary::Neg, d.arg);
                    let other = g.unary(Unary::Sigmoid, minus);
                    let local = g.binary(Binary::Mul, d.out, other);
                    times(g, d.adj, local)
                }),
                |_| Range::new(0.0, 1.0, false),
            ),
            // softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no
            // overflow at any x.
            Unary::Softplus => function(
                "softplus",
                |x| x.max(0.0) + (-x.abs()).exp().ln_1p(),
                Derivative::Rule(|g, d| {
                    let local = g.unary(Unary::Sigmoid, d.arg);
                    times(g, d.adj, local)
                }),
                |_| Range::new(0.0, INF, false),
            ),
            Unary::Tanh => function(
                "tanh",
                f64::tanh,
                // sech²(x) = 1 / cosh(x)², not 1 - tanh(x)²: where tanh rounds
                // to ±1 (|x| > 19 in float64, > 9 in float32) the difference
                // cancels to 0 or a rounding step, while sech² keeps its
                // relative accuracy (and reaches 0 only where cosh overflows,
                // |x| > 355).
                Derivative::Rule(|g, d| {
                    let one = g.constant_node(1.0);
                    let two = g.constant_node(2.0);
                    let cosh = g.unary(Unary::Cosh, d.arg);
                    let sq = g.binary(Binary::Pow, cosh, two);
                    let local = g.binary(Binary::Div, one, sq);
                    times(g, d.adj, local)
                }),
                |_| Range::new(-1.0, 1.0, false),
            ),
            Unary::Cosh => function(
                "cosh",
                f64::cosh,
                Derivative::Rule(|g, d| {
                    let local = g.unary(Unary::Sinh, d.arg);
                    times(g, d.adj, local)
                }),
                |_| Range::new(1.0, INF, true),
            ),
            Unary::Sinh => function(
                "sinh",
                f64::sinh,
                Derivative::Rule(|g, d| {
                    let local = g.unary(Unary::Cosh, d.arg);
                    times(g, d.adj, local)
                }),
                |_| Range::ANY,
            ),
            // NaN passes through, as torch.relu; relu'(0) = 0.
            Unary::Relu => function(
                "relu",
                |x| if x > 0.0 || x.is_nan() { x } else { 0.0 },
                Derivative::Rule(|g, d| {
                    let zero = g.constant_node(0.0);
                    let pos = g.binary(Binary::Gt, d.arg, zero);
                    g.select(pos, d.adj, zero)
                }),
                |a| Range::new(a.lo.max(0.0), a.hi.max(0.0), a.pos),
            ),
            Unary::Detach => function("detach", |x| x, Derivative::Stopped, |a| a),
        }
    }

    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// The function specs call `name`, if it is an elementwise builtin.
    pub fn called(name: &str) -> Option<Unary> {
        Unary::ALL
            .iter()
            .copied()
            .find(|u| u.facts().notation == Notation::Call && u.name() == name)
    }

    /// The names of the elementwise builtin functions, in declaration order.
    pub fn function_names() -> impl Iterator<Item = &'static str> + Clone {
        Unary::ALL
            .iter()
            .map(|u| u.facts())
            .filter(|f| f.notation == Notation::Call)
            .map(|f| f.name)
    }

    pub fn eval(self, x: f64) -> f64 {
        (self.facts().eval)(x)
    }
}

/// The entry of a builtin function of floats.
fn function(
    name: &'static str,
    eval: fn(f64) -> f64,
    derivative: Derivative,
    range: fn(Range) -> Range,
) -> UnaryFacts {
    UnaryFacts {
        name,
        notation: Notation::Call,
        kind: Kind::Float,
        eval,
        derivative,
        range,
    }
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x * 0.0
    }
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// What a binary operation computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A number from numbers (`+`, `^`, `min`, ...).
    Arithmetic,
    /// A boolean from numbers (`<`, `==`, ...).
    Comparison,
    /// A boolean from booleans (`and`, `or`).
    Logical,
}

/// How the IR prints a binary operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// `a op b`, with the symbol.
    Infix,
    /// `op(a, b)`, with the symbol as the function's name.
    Call,
}

/// Everything the IR knows about one binary operation (its derivative rule
/// is in `derive`, next to the reduction rules it shares conventions with).
#[derive(Clone, Copy)]
pub struct BinaryFacts {
    /// The operator (`+`, `<=`, `and`) or function name (`min`) printed.
    pub symbol: &'static str,
    pub printed: Printed,
    pub class: Class,
    /// The simplifier moves a constant operand first (`x*2` → `2*x`, one
    /// node for both). Only arithmetic: `y == 0` reads better than `0 == y`.
    pub commutative: bool,
    /// Integer operands give an integer result (`min`/`max`, so that a
    /// clamped label is still an index); otherwise arithmetic is in floats.
    pub keeps_integers: bool,
    /// The reference semantics in float64 (booleans are 0 and 1).
    pub eval: fn(f64, f64) -> f64,
}

fn truth(v: bool) -> f64 {
    f64::from(u8::from(v))
}

impl Binary {
    /// The table entry of this operation.
    pub fn facts(self) -> BinaryFacts {
        type Eval = fn(f64, f64) -> f64;
        fn arithmetic(symbol: &'static str, commutative: bool, eval: Eval) -> BinaryFacts {
            BinaryFacts {
                symbol,
                printed: Printed::Infix,
                class: Class::Arithmetic,
                commutative,
                keeps_integers: false,
                eval,
            }
        }
        fn comparison(symbol: &'static str, eval: Eval) -> BinaryFacts {
            BinaryFacts {
                symbol,
                printed: Printed::Infix,
                class: Class::Comparison,
                commutative: false,
                keeps_integers: false,
                eval,
            }
        }
        fn logical(symbol: &'static str, eval: Eval) -> BinaryFacts {
            BinaryFacts {
                class: Class::Logical,
                ..comparison(symbol, eval)
            }
        }
        fn extremum(symbol: &'static str, eval: Eval) -> BinaryFacts {
            BinaryFacts {
                printed: Printed::Call,
                keeps_integers: true,
                ..arithmetic(symbol, true, eval)
            }
        }
        match self {
            Binary::Add => arithmetic("+", true, |x, y| x + y),
            Binary::Sub => arithmetic("-", false, |x, y| x - y),
            Binary::Mul => arithmetic("*", true, |x, y| x * y),
            Binary::Div => arithmetic("/", false, |x, y| x / y),
            Binary::Pow => arithmetic("^", false, pow),
            // NaN-propagating, as torch.minimum / torch.maximum.
            Binary::Min => extremum("min", |x, y| {
                if x.is_nan() || y.is_nan() {
                    f64::NAN
                } else {
                    x.min(y)
                }
            }),
            Binary::Max => extremum("max", |x, y| {
                if x.is_nan() || y.is_nan() {
                    f64::NAN
                } else {
                    x.max(y)
                }
            }),
            Binary::Eq => comparison("==", |x, y| truth(x == y)),
            Binary::Ne => comparison("!=", |x, y| truth(x != y)),
            Binary::Lt => comparison("<", |x, y| truth(x < y)),
            Binary::Le => comparison("<=", |x, y| truth(x <= y)),
            Binary::Gt => comparison(">", |x, y| truth(x > y)),
            Binary::Ge => comparison(">=", |x, y| truth(x >= y)),
            Binary::And => logical("and", |x, y| truth(x != 0.0 && y != 0.0)),
            Binary::Or => logical("or", |x, y| truth(x != 0.0 || y != 0.0)),
        }
    }

    pub fn is_comparison(self) -> bool {
        self.facts().class == Class::Comparison
    }

    pub fn eval(self, x: f64, y: f64) -> f64 {
        (self.facts().eval)(x, y)
    }

    /// The element kind of `a op b`.
    pub fn kind(self, a: Kind, b: Kind) -> Kind {
        let facts = self.facts();
        match facts.class {
            Class::Comparison | Class::Logical => Kind::Bool,
            Class::Arithmetic if facts.keeps_integers && a == Kind::Int && b == Kind::Int => {
                Kind::Int
            }
            Class::Arithmetic => Kind::Float,
        }
    }
}

/// Integer exponents up to this magnitude are computed by repeated
/// multiplication, by the reference (`pow`) and by native code alike.
pub const POW_BY_MULTIPLICATION: f64 = 64.0;

/// `x^y`, with integer exponents computed by repeated multiplication (exact
/// for negative bases, as `powi`), other exponents with IEEE `pow`'s special
/// values (`0^0 = 1`, `1^y = 1`, `x^0 = 1`, NaN for a negative base and a
/// non-integer exponent).
pub fn pow(x: f64, y: f64) -> f64 {
    if y.fract() == 0.0 && y.abs() <= POW_BY_MULTIPLICATION {
        x.powi(y as i32)
    } else {
        x.powf(y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Op;

    /// Points inside each function's domain (where it is differentiable:
    /// away from the kinks of `abs`/`relu` and from `log`'s and `sqrt`'s 0).
    fn sample_points(op: Unary) -> &'static [f64] {
        match op {
            Unary::Log | Unary::Sqrt => &[0.05, 0.3, 1.0, 2.5, 40.0],
            Unary::Log1p => &[-0.9, -0.3, 0.0, 0.7, 12.0],
            _ => &[-7.5, -2.0, -0.4, 0.3, 1.0, 3.2, 9.0],
        }
    }

    /// The derivative rule's local derivative at `x`: the rule applied to
    /// the constant `x` with an adjoint of 1, which the smart constructors
    /// fold to a number with the same scalar semantics (`eval`).
    fn rule_at(op: Unary, x: f64) -> Option<f64> {
        let mut g = Graph::new();
        let arg = g.constant_node(x);
        let out = g.unary(op, arg);
        let adj = g.constant_node(1.0);
        match op.facts().derivative {
            Derivative::Constant | Derivative::Stopped => None,
            Derivative::Rule(rule) => {
                let d = rule(&mut g, Local { arg, out, adj });
                Some(
                    g.constant(d)
                        .expect("a rule on constants folds to a constant"),
                )
            }
        }
    }

    #[test]
    fn derivative_rules_match_finite_differences() {
        for &op in Unary::ALL {
            for &x in sample_points(op) {
                let h = 1e-6 * x.abs().max(1.0);
                let f = |x| op.eval(x);
                let numeric = (f(x + h) - f(x - h)) / (2.0 * h);
                match op.facts().derivative {
                    // Piecewise constant: the difference quotient is 0 away
                    // from its jumps.
                    Derivative::Constant => {
                        assert_eq!(numeric, 0.0, "{} at {x}", op.name())
                    }
                    // No gradient by definition; the value is the argument's.
                    Derivative::Stopped => assert_eq!(f(x), x, "{}", op.name()),
                    Derivative::Rule(_) => {
                        let exact = rule_at(op, x).unwrap();
                        let tol = 1e-6 * exact.abs().max(1.0);
                        assert!(
                            (exact - numeric).abs() <= tol,
                            "{}'({x}): rule {exact}, finite difference {numeric}",
                            op.name()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn range_facts_hold_at_sample_points() {
        // Argument ranges, each with points inside it.
        let cases: &[(Range, &[f64])] = &[
            (
                Range::ANY,
                &[-800.0, -30.0, -1.5, -1e-9, 0.0, 1e-9, 0.7, 25.0, 800.0],
            ),
            (Range::new(0.0, 4.0, false), &[0.0, 1e-300, 0.5, 4.0]),
            (Range::new(0.0, 4.0, true), &[1e-300, 0.5, 4.0]),
            (Range::new(-3.0, -1.0, false), &[-3.0, -2.0, -1.0]),
            (Range::new(2.0, 2.0, true), &[2.0]),
        ];
        for &op in Unary::ALL {
            for (arg, points) in cases {
                let r = (op.facts().range)(*arg);
                for &x in *points {
                    let v = op.eval(x);
                    if v.is_nan() {
                        continue;
                    }
                    assert!(
                        r.lo <= v && v <= r.hi,
                        "{}({x}) = {v} outside [{}, {}]",
                        op.name(),
                        r.lo,
                        r.hi
                    );
                    // Strict positivity is a fact of exact arithmetic (exp
                    // underflows to 0 below -745): checked where the value
                    // does not underflow.
                    if r.pos && x.abs() < 700.0 {
                        assert!(v > 0.0, "{}({x}) = {v} should be positive", op.name());
                    }
                }
            }
        }
    }

    #[test]
    fn names_are_distinct_and_found_again() {
        for (i, &op) in Unary::ALL.iter().enumerate() {
            assert!(
                Unary::ALL[..i].iter().all(|o| o.name() != op.name()),
                "{} twice",
                op.name()
            );
            let called = op.facts().notation == Notation::Call;
            assert_eq!(Unary::called(op.name()), called.then_some(op));
        }
        assert_eq!(Unary::called("neg"), None);
        assert_eq!(Unary::function_names().count(), Unary::ALL.len() - 2);
    }

    #[test]
    fn kinds_and_folding_follow_the_table() {
        let mut g = Graph::new();
        let x = g.constant_node(0.0);
        let t = g.unary(Unary::Not, x);
        assert_eq!((g.kind(t), g.constant(t)), (Kind::Bool, Some(1.0)));
        for &op in Binary::ALL {
            let (a, b) = (g.constant_node(2.0), g.constant_node(3.0));
            let n = g.binary(op, a, b);
            assert_eq!(g.constant(n), Some(op.eval(2.0, 3.0)), "{op:?}");
            let expected = match op.facts().class {
                Class::Arithmetic => Kind::Float,
                Class::Comparison | Class::Logical => Kind::Bool,
            };
            assert_eq!(g.kind(n), expected, "{op:?}");
            if op.facts().commutative {
                assert_eq!(op.eval(2.0, 3.0), op.eval(3.0, 2.0), "{op:?}");
            }
        }
        assert!(matches!(g.node(t).op, Op::Const(_)));
    }
}
