//! The pass ABI: the contract between the host ([`super::Kernel`]) and a
//! backend's compiled code.
//!
//! Every pass of a [`Plan`](super::schedule::Plan) becomes one function
//!
//! ```text
//! extern "C" fn(table: *const u64, begin: u64, end: u64, partials: *mut f64)
//! ```
//!
//! that processes elements (flat domains) or rows (rows domains)
//! `begin..end` and writes into `partials` one float64 partial sum per
//! global sum of the pass, then `C` per class sum (class by class). The
//! host calls it once per fixed block, from any thread, and combines the
//! blocks' partials in block order (so results do not depend on the thread
//! count).
//!
//! `table` is laid out by [`TableLayout`]: the base pointer of every input
//! (in the kernel's layout: floats in its precision, integers and booleans
//! as `i64`, row-major and contiguous), every output buffer (same), the
//! float64 scalar table (one slot per `Plan::scalars` entry), the `u64`
//! dimension sizes (by `DimId`) and the kernel-precision copy of every class
//! value. The host guarantees that every pointer covers the whole domain and
//! that every class index lies in `[0, C)` ([`crate::labels`]), so a pass's
//! loop bounds are the only bounds it needs.

use super::schedule::Plan;
use super::{CodegenError, Listing, Precision};

/// A compiled pass (see the [module docs](self)).
pub type PassFn = unsafe extern "C" fn(*const u64, u64, u64, *mut f64);

/// Where things are in the argument table.
#[derive(Debug, Clone, Copy)]
pub struct TableLayout {
    /// Inputs of the plan's graph (every input has a slot, used or not).
    pub inputs: usize,
    /// Output buffers: the gradients, then the Hessian diagonals.
    pub outputs: usize,
    /// Class values the passes read.
    pub class_values: usize,
}

impl TableLayout {
    /// The slot of input `k`'s base pointer.
    pub fn input(&self, k: usize) -> usize {
        k
    }
    /// The slot of output buffer `k`.
    pub fn output(&self, k: usize) -> usize {
        self.inputs + k
    }
    /// The slot of the float64 scalar table.
    pub fn scalars(&self) -> usize {
        self.inputs + self.outputs
    }
    /// The slot of the `u64` dimension sizes.
    pub fn dims(&self) -> usize {
        self.inputs + self.outputs + 1
    }
    /// The kernel-precision copy of class value `k` (see `Plan::class_slot`).
    pub fn class_value(&self, k: usize) -> usize {
        self.inputs + self.outputs + 2 + k
    }
    /// Slots in all.
    pub fn slots(&self) -> usize {
        self.inputs + self.outputs + 2 + self.class_values
    }
}

/// A code generator: compiles every pass of a plan to a [`PassFn`]. The
/// host ([`super::Kernel`]) knows backends only through this trait; the API
/// layer chooses one (today [`crate::backend::cranelift::Cranelift`]).
pub trait Backend: Sync {
    /// A short name, shown by `lossc emit`.
    fn name(&self) -> &'static str;

    /// Compile `job`'s passes. A pass the backend cannot compile is
    /// [`CodegenError::Unsupported`] (the API then falls back to the
    /// reference evaluator), a failure of its own [`CodegenError::Backend`];
    /// neither may panic out of this call.
    fn compile(&self, job: &Job<'_>) -> Result<(Box<dyn Code>, Listing), CodegenError>;
}

/// What a backend compiles: a plan's passes, for one table layout and
/// element type.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// The passes to compile (each its own function, in plan order).
    pub plan: &'a Plan,
    /// Where the passes find their pointers.
    pub layout: TableLayout,
    /// The element type of float inputs and outputs.
    pub precision: Precision,
    /// The objective's name (symbol names, listings).
    pub name: &'a str,
    /// Keep what [`Listing`] shows of each pass.
    pub listing: bool,
}

/// Compiled passes. Owns their executable memory: the pointers of
/// [`Code::passes`] are valid while it lives.
pub trait Code: Send + Sync {
    /// The pass functions, in plan order.
    fn passes(&self) -> &[PassFn];

    /// The ahead-of-time routines pass `pass` calls (tile primitives), with
    /// their instruction-set level, as `lossc emit` lists them; empty when
    /// it calls none. Such calls are plain code: they cannot call back into
    /// the host or unwind.
    fn calls(&self, pass: usize) -> &[String] {
        let _ = pass;
        &[]
    }
}
