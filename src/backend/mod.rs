//! Backends: code generators behind the host's [`Backend`](crate::native::Backend)
//! trait.
//!
//! A backend compiles the passes of a plan to functions of the pass ABI
//! ([`crate::native::abi`]); the host ([`crate::native::Kernel`]) validates
//! inputs, splits domains into blocks, runs the passes on threads and
//! computes the scalar steps between them, whatever backend compiled them.
//! Writing a new one is a recipe in ARCHITECTURE.md ("A new backend").
//!
//! Layer: backend. A backend knows the IR, the plan and the ABI; it never
//! sees the API types or the host's orchestration.

pub mod cranelift;
#[doc(hidden)]
pub mod tiles;
