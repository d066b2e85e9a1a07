//! Functions the compiler implements itself: elementwise math, reductions,
//! class-axis operations and indexing. Everything else (every loss) is a
//! `def` in the prelude.

use crate::ir::Unary;

/// How a builtin is elaborated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Math(Unary),
    Pow,
    Min,
    Max,
    Clamp,
    Sum,
    Mean,
    LogSumExp,
    Softmax,
    LogSoftmax,
    Gather,
    OneHot,
    Numel,
    Dim,
    Known,
    Fail,
}

/// A builtin's parameters; `true` marks the required ones.
pub struct Signature {
    pub builtin: Builtin,
    pub params: &'static [(&'static str, bool)],
}

const X: &[(&str, bool)] = &[("x", true)];
const X_AXIS: &[(&str, bool)] = &[("x", true), ("axis", false)];

pub fn lookup(name: &str) -> Option<Signature> {
    use Builtin::*;
    let math = |u| {
        Some(Signature {
            builtin: Math(u),
            params: X,
        })
    };
    match name {
        "exp" => math(Unary::Exp),
        "log" => math(Unary::Log),
        "log1p" => math(Unary::Log1p),
        "expm1" => math(Unary::Expm1),
        "sqrt" => math(Unary::Sqrt),
        "abs" => math(Unary::Abs),
        "sign" => math(Unary::Sign),
        "sigmoid" => math(Unary::Sigmoid),
        "softplus" => math(Unary::Softplus),
        "tanh" => math(Unary::Tanh),
        "cosh" => math(Unary::Cosh),
        "sinh" => math(Unary::Sinh),
        "relu" => math(Unary::Relu),
        "detach" => math(Unary::Detach),
        "pow" => Some(Signature {
            builtin: Pow,
            params: &[("x", true), ("y", true)],
        }),
        "min" => Some(Signature {
            builtin: Min,
            params: &[("x", true), ("y", false), ("axis", false)],
        }),
        "max" => Some(Signature {
            builtin: Max,
            params: &[("x", true), ("y", false), ("axis", false)],
        }),
        "clamp" => Some(Signature {
            builtin: Clamp,
            params: &[("x", true), ("min", false), ("max", false)],
        }),
        "sum" => Some(Signature {
            builtin: Sum,
            params: X_AXIS,
        }),
        "mean" => Some(Signature {
            builtin: Mean,
            params: X_AXIS,
        }),
        "logsumexp" => Some(Signature {
            builtin: LogSumExp,
            params: X_AXIS,
        }),
        "softmax" => Some(Signature {
            builtin: Softmax,
            params: X_AXIS,
        }),
        "log_softmax" => Some(Signature {
            builtin: LogSoftmax,
            params: X_AXIS,
        }),
        "gather" => Some(Signature {
            builtin: Gather,
            params: &[("x", true), ("index", true)],
        }),
        "onehot" => Some(Signature {
            builtin: OneHot,
            params: &[("index", true), ("classes", true)],
        }),
        "numel" => Some(Signature {
            builtin: Numel,
            params: X,
        }),
        "dim" => Some(Signature {
            builtin: Dim,
            params: X_AXIS,
        }),
        "known" => Some(Signature {
            builtin: Known,
            params: X,
        }),
        "fail" => Some(Signature {
            builtin: Fail,
            params: &[("message", true)],
        }),
        _ => None,
    }
}

/// Every builtin name, for "did you mean" hints and completion.
pub const NAMES: &[&str] = &[
    "exp",
    "log",
    "log1p",
    "expm1",
    "sqrt",
    "abs",
    "sign",
    "sigmoid",
    "softplus",
    "tanh",
    "cosh",
    "sinh",
    "relu",
    "detach",
    "pow",
    "min",
    "max",
    "clamp",
    "sum",
    "mean",
    "logsumexp",
    "softmax",
    "log_softmax",
    "gather",
    "onehot",
    "numel",
    "dim",
    "known",
    "fail",
];

/// What to write instead of a function users reach for that the language
/// spells differently; offered when no definition has the name.
pub fn hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "logsigmoid" => "write `log_sigmoid(x)`",
        "select" => "write `where(c, a, b)` or `if c then a else b` (elementwise on arrays)",
        "norm" => "write `sqrt(sum(x^2))`, or `sqrt(sum(x^2, axis = -1))` per row",
        "square" => "write `x^2`",
        "clip" => "write `clamp(x, min, max)`",
        "maximum" | "minimum" => "write `max(x, y)` or `min(x, y)` (elementwise)",
        "ln" => "write `log(x)` (the natural logarithm)",
        _ => return None,
    })
}
