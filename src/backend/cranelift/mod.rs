//! The Cranelift backend: each pass of a plan lowered to Cranelift IR
//! ([`lower`], with the inline vector math of [`vmath`]), compiled to
//! machine code for the host CPU and placed in executable memory by
//! `cranelift-jit`.
//!
//! Layer: backend. Knows the plan and the pass ABI ([`crate::native::abi`]);
//! never the host's orchestration (blocks, scalar steps, validation) or the
//! API types. Passes compile in parallel, one thread each; a panic in the
//! lowering becomes [`CodegenError::Backend`].
//!
//! **Tile primitives.** At an instruction-set level of AVX2 or above
//! ([`tiles::level`] when the kernel is compiled, or the level a
//! [`Cranelift`] value names), flat passes that compute a `softplus` call
//! the level's logistic pack once per tile ([`lower`]); at the scalar level
//! (`LOSSC_ISA=scalar`, or a CPU without AVX2) no pass calls anything, and
//! the code is the pure-Cranelift code with `vmath`. The two differ only
//! in how `σ` and `softplus` are rounded (each within 2 ulp); at a given
//! level, results do not depend on the thread count.
//!
//! **Memory.** [`Compiled`] owns the `JITModule`; dropping it frees the code
//! pages (the module would otherwise leak them).

#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod vmath;

use crate::backend::tiles::{self, Level};
use crate::native::abi::{Backend, Code, Job, PassFn, TableLayout};
use crate::native::schedule::Plan;
use crate::native::{CodegenError, Listing, Precision};
use cranelift_codegen::Context;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{Function, Signature, UserFuncName};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{FuncId, Linkage, Module, ModuleReloc, default_libcall_names};

/// The Cranelift backend (see the [module docs](self)).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cranelift {
    /// The level of the tile primitives passes may call; `None`: [`tiles::level`]
    /// when a kernel is compiled (the CPU's best, capped by `LOSSC_ISA` and
    /// [`tiles::set_level_cap`]). Never above what the CPU has.
    pub level: Option<Level>,
}

impl Cranelift {
    /// The backend at `level` (capped by the CPU), whatever `LOSSC_ISA` says:
    /// for tests and benchmarks that compare levels in one process.
    pub fn at_level(level: Level) -> Cranelift {
        Cranelift { level: Some(level) }
    }

    /// The level a kernel compiled now uses.
    pub fn effective_level(&self) -> Level {
        self.level
            .unwrap_or_else(tiles::level)
            .min(tiles::detected())
    }
}

/// Passes compiled by [`Cranelift`]: the module that owns their code.
pub struct Compiled {
    passes: Vec<PassFn>,
    /// Per pass, the tile primitives it calls, as `lossc emit` names them.
    calls: Vec<Vec<String>>,
    module: Option<JITModule>,
}

// The function pointers are plain code addresses into memory this value owns
// and only frees on drop; the module itself is only touched in `drop`.
unsafe impl Send for Compiled {}
unsafe impl Sync for Compiled {}

impl Code for Compiled {
    fn passes(&self) -> &[PassFn] {
        &self.passes
    }

    fn calls(&self, pass: usize) -> &[String] {
        self.calls.get(pass).map_or(&[], Vec::as_slice)
    }
}

impl Drop for Compiled {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: no pass can run any more: the kernel that calls them
            // owns this value and is being dropped.
            unsafe { module.free_memory() };
        }
    }
}

impl Backend for Cranelift {
    fn name(&self) -> &'static str {
        "cranelift"
    }

    fn compile(&self, job: &Job<'_>) -> Result<(Box<dyn Code>, Listing), CodegenError> {
        let plan = job.plan;
        let mut module = JITModule::new(JITBuilder::with_isa(host_isa()?, default_libcall_names()));
        let sig = lower::signature(
            module.target_config().pointer_type(),
            module.target_config().default_call_conv,
        );
        let ids = (0..plan.passes.len())
            .map(|k| {
                let name = format!("{}_pass{k}", job.name);
                module
                    .declare_function(&name, Linkage::Local, &sig)
                    .map_err(|e| backend(&e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let level = self.effective_level();
        let passes = PassJob {
            plan,
            layout: job.layout,
            f64: job.precision == Precision::F64,
            isa: module.isa(),
            sig: &sig,
            listing: job.listing,
            // Below AVX2 the primitives are portable scalar Rust, slower
            // than the inline 128-bit code: nothing is called.
            tiles: (level >= Level::Avx2).then(|| tiles::primitives(level)),
        };
        let compiled = passes.compile_all(&ids)?;
        let mut out = Listing::default();
        let mut calls = Vec::with_capacity(compiled.len());
        for (&id, pass) in ids.iter().zip(compiled) {
            calls.push(
                pass.calls
                    .iter()
                    .map(|c| format!("{} ({level})", c.name()))
                    .collect(),
            );
            module
                .define_function_bytes(id, pass.alignment, &pass.bytes, &pass.relocs)
                .map_err(|e| backend(&e))?;
            out.ir.extend(pass.clif);
            out.asm.extend(pass.asm);
        }
        module.finalize_definitions().map_err(|e| backend(&e))?;
        let passes = ids
            .iter()
            .map(|&id| {
                let p = module.get_finalized_function(id);
                // SAFETY: the function was defined with exactly this signature.
                unsafe { std::mem::transmute::<*const u8, PassFn>(p) }
            })
            .collect();
        let code = Compiled {
            passes,
            calls,
            module: Some(module),
        };
        Ok((Box::new(code), out))
    }
}

fn backend(e: &dyn std::fmt::Display) -> CodegenError {
    CodegenError::Backend(e.to_string())
}

/// The host's instruction set with the flags every kernel is built with.
fn host_isa() -> Result<cranelift_codegen::isa::OwnedTargetIsa, CodegenError> {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").map_err(|e| backend(&e))?;
    flags.set("is_pic", "false").map_err(|e| backend(&e))?;
    flags
        .set(
            "enable_verifier",
            if verify_ir() { "true" } else { "false" },
        )
        .map_err(|e| backend(&e))?;
    flags
        .set("use_colocated_libcalls", "false")
        .map_err(|e| backend(&e))?;
    // A pass with tile scratch has a frame of several KiB: probe it page by
    // page, so that it cannot step over a thread's guard page.
    flags
        .set("enable_probestack", "true")
        .map_err(|e| backend(&e))?;
    flags
        .set("probestack_strategy", "inline")
        .map_err(|e| backend(&e))?;
    cranelift_native::builder()
        .map_err(|e| backend(&e))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| backend(&e))
}

/// One pass compiled to machine code, not yet placed in executable memory.
struct CompiledPass {
    bytes: Vec<u8>,
    alignment: u64,
    relocs: Vec<ModuleReloc>,
    clif: Option<String>,
    asm: Option<String>,
    calls: Vec<lower::TileCall>,
}

/// Everything needed to lower and compile any pass of one plan; shared by
/// the threads that compile the passes.
struct PassJob<'a> {
    plan: &'a Plan,
    layout: TableLayout,
    f64: bool,
    isa: &'a dyn TargetIsa,
    sig: &'a Signature,
    listing: bool,
    tiles: Option<&'static tiles::Primitives>,
}

impl PassJob<'_> {
    /// Compile every pass, each on its own thread: passes are independent
    /// functions, and Cranelift's time grows with function size, so a
    /// multi-pass objective (W4: three passes) compiles in about the time
    /// of its largest pass.
    fn compile_all(&self, ids: &[FuncId]) -> Result<Vec<CompiledPass>, CodegenError> {
        let Some((&first, rest)) = ids.split_first() else {
            return Ok(Vec::new());
        };
        std::thread::scope(|s| {
            let others: Vec<_> = rest
                .iter()
                .enumerate()
                .map(|(k, &id)| s.spawn(move || self.compile(k + 1, id)))
                .collect();
            // A lowering bug must not take the caller down: like the other
            // passes' threads, the first pass's panic becomes an error (and
            // `Engine::Auto` falls back to the reference evaluator).
            let first =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.compile(0, first)))
                    .map_err(|_| CodegenError::Backend("the code generator panicked".to_string()))?;
            let mut out = vec![first?];
            for h in others {
                let pass = h.join().map_err(|_| {
                    CodegenError::Backend("the code generator panicked".to_string())
                })?;
                out.push(pass?);
            }
            Ok(out)
        })
    }

    fn compile(&self, k: usize, id: FuncId) -> Result<CompiledPass, CodegenError> {
        let mut func =
            Function::with_name_signature(UserFuncName::user(0, k as u32), self.sig.clone());
        let mut fctx = FunctionBuilderContext::new();
        let calls = lower::Lowering::new(
            self.plan,
            &self.plan.passes[k],
            FunctionBuilder::new(&mut func, &mut fctx),
            self.f64,
            self.isa.has_native_fma(),
            self.layout,
            self.isa.frontend_config(),
            self.tiles,
        )
        .lower();
        let mut ctx = Context::for_function(func);
        ctx.set_disasm(self.listing);
        ctx.compile(self.isa, &mut ControlPlane::default())
            .map_err(|e| CodegenError::Backend(format!("{:?}", e.inner)))?;
        let code = ctx.compiled_code().expect("compiled just above");
        let alignment = code.buffer.alignment as u64;
        let bytes = code.code_buffer().to_vec();
        let asm = self.listing.then(|| code.vcode.clone().unwrap_or_default());
        let relocs = code
            .buffer
            .relocs()
            .iter()
            .map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, id))
            .collect();
        let clif = self.listing.then(|| ctx.func.display().to_string());
        Ok(CompiledPass {
            bytes,
            alignment,
            relocs,
            clif,
            asm,
            calls,
        })
    }
}

static VERIFY_IR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Run Cranelift's IR verifier on every pass compiled from now on (in this
/// process). The verifier turns a malformed lowering into a compile error
/// instead of wrong code; it costs about a tenth of the compile time, so
/// kernels skip it unless asked. The test suites turn it on.
#[doc(hidden)]
pub fn verify_generated_ir(on: bool) {
    VERIFY_IR.store(on, std::sync::atomic::Ordering::Relaxed);
}

fn verify_ir() -> bool {
    cfg!(debug_assertions) || VERIFY_IR.load(std::sync::atomic::Ordering::Relaxed)
}
