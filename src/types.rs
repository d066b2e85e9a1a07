//! The vocabulary every layer shares: an input's element type and its role.
//!
//! The lowest layer: it imports nothing of the crate, so the front end, the
//! IR, the runtime and the backends can all name these without reaching
//! into each other (the IR knows no syntax tokens; the syntax re-exports
//! these for its declarations).

/// How an input takes part in differentiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Differentiated (predictions, logits).
    Input,
    /// Not differentiated (labels, targets, masks, weights).
    Target,
    /// Differentiated; what regularisers act on.
    Param,
}

impl Role {
    /// The keyword that declares it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Input => "input",
            Role::Target => "target",
            Role::Param => "param",
        }
    }

    /// Whether inputs of this role get a gradient.
    pub fn is_differentiated(self) -> bool {
        !matches!(self, Role::Target)
    }
}

/// Element type of an input array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DType {
    /// float32.
    F32,
    /// float64.
    F64,
    /// int32.
    I32,
    /// int64.
    I64,
    /// bool.
    Bool,
}

impl DType {
    /// The spelling in specs (`f32`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            DType::F32 => "f32",
            DType::F64 => "f64",
            DType::I32 => "i32",
            DType::I64 => "i64",
            DType::Bool => "bool",
        }
    }

    /// float32 or float64.
    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }

    /// int32 or int64.
    pub fn is_int(self) -> bool {
        matches!(self, DType::I32 | DType::I64)
    }
}
