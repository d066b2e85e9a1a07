//! Functions the compiler implements itself: elementwise math, reductions,
//! class-axis operations and indexing. Everything else (every loss) is a
//! `def` in the prelude. The elementwise functions' names come from the
//! IR's table of operations (`ir::ops`), so adding one there makes it a
//! builtin here.

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
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    pub builtin: Builtin,
    pub params: &'static [(&'static str, bool)],
}

const X: &[(&str, bool)] = &[("x", true)];
const X_AXIS: &[(&str, bool)] = &[("x", true), ("axis", false)];
const X_Y_AXIS: &[(&str, bool)] = &[("x", true), ("y", false), ("axis", false)];

/// The builtins that are not elementwise functions of one argument (those
/// are [`Unary::called`], from the IR's table of operations).
const OTHERS: &[(&str, Signature)] = {
    use Builtin::*;
    const fn sig(builtin: Builtin, params: &'static [(&'static str, bool)]) -> Signature {
        Signature { builtin, params }
    }
    &[
        ("pow", sig(Pow, &[("x", true), ("y", true)])),
        ("min", sig(Min, X_Y_AXIS)),
        ("max", sig(Max, X_Y_AXIS)),
        (
            "clamp",
            sig(Clamp, &[("x", true), ("min", false), ("max", false)]),
        ),
        ("sum", sig(Sum, X_AXIS)),
        ("mean", sig(Mean, X_AXIS)),
        ("logsumexp", sig(LogSumExp, X_AXIS)),
        ("softmax", sig(Softmax, X_AXIS)),
        ("log_softmax", sig(LogSoftmax, X_AXIS)),
        ("gather", sig(Gather, &[("x", true), ("index", true)])),
        ("onehot", sig(OneHot, &[("index", true), ("classes", true)])),
        ("numel", sig(Numel, X)),
        ("dim", sig(Dim, X_AXIS)),
        ("known", sig(Known, X)),
        ("fail", sig(Fail, &[("message", true)])),
    ]
};

pub fn lookup(name: &str) -> Option<Signature> {
    if let Some(u) = Unary::called(name) {
        return Some(Signature {
            builtin: Builtin::Math(u),
            params: X,
        });
    }
    OTHERS.iter().find(|(n, _)| *n == name).map(|&(_, sig)| sig)
}

/// Every builtin name, for "did you mean" hints and completion: the
/// elementwise functions first, in the table's order. (The names are
/// `'static`; the lifetime lets them join shorter-lived names.)
pub fn names<'a>() -> impl Iterator<Item = &'a str> + Clone {
    Unary::function_names()
        .chain(OTHERS.iter().map(|&(n, _)| n))
        .map(|n| n as &'a str)
}

/// The parameters of the builtin `name`, in order, for keyword completion.
pub fn params(name: &str) -> Option<impl Iterator<Item = &'static str>> {
    lookup(name).map(|sig| sig.params.iter().map(|&(p, _)| p))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_found_once() {
        let all: Vec<&str> = names().collect();
        for (i, name) in all.iter().enumerate() {
            assert!(lookup(name).is_some(), "`{name}`");
            assert!(!all[..i].contains(name), "`{name}` twice");
        }
        assert!(matches!(
            lookup("exp").map(|s| s.builtin),
            Some(Builtin::Math(Unary::Exp))
        ));
        assert!(lookup("neg").is_none() && lookup("not").is_none());
        assert_eq!(
            params("clamp").unwrap().collect::<Vec<_>>(),
            ["x", "min", "max"]
        );
        assert_eq!(params("tanh").unwrap().collect::<Vec<_>>(), ["x"]);
    }
}
