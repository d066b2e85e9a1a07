//! Tile primitives: ahead-of-time vector math on AVX-512 and AVX2, for native code to
//! call per tile.
//!
//! Cranelift 0.135 emits 128-bit vectors at most on x86-64, which leaves the
//! transcendental-heavy losses 2–3× behind hand-written 512-bit C. The plan
//! (issue "wide vectors"): the kernels keep their loads, stores, algebra and sums in
//! Cranelift, and cut a pass into tile-sized sub-loops (≈256 elements in scratch
//! memory) where one of these primitives applies, calling it once per tile. This
//! module is that library; it is compiled by rustc with `std::arch` intrinsics, one
//! build per instruction-set level. Generated code calls the logistic pack from flat
//! passes that compute a `softplus` at AVX2 and above (`cranelift::lower`, "tile
//! primitives"); the other primitives are not called yet.
//!
//! # Primitives
//! For `f32` and `f64` each (a [`Table`] per precision):
//! * `exp`, `log`, `log1p`, `tanh`: `dst[i] = f(src[i])`;
//! * `logistic`, the logistic pack: `σ(x)`, `softplus(x) = relu(x) + log1p(e^-|x|)` and
//!   `e^-|x|` into three outputs, from one exponential and one division per element;
//! * `softmax_row`, for one row of length `C`: `m = max(x)`, `dst[i] = e^(x[i] - m)`, and
//!   `[m, Σ dst[i]]` (the W5 structure). NaN elements do not enter the maximum (they
//!   give NaN outputs and a NaN sum), `-0` is returned as `+0`, an empty row gives
//!   `[-inf, 0]`; a row of `-inf` only, or one holding `+inf`, has NaN outputs (as
//!   `e^(x - max)` does).
//!
//! # ABI
//! Every entry point is an `unsafe extern "C" fn` taking the element count as `u64`
//! first, then pointers ([`Map`], [`Pack`], [`SoftmaxRow`]), so JIT code can call it
//! through a pointer from the table. Any `n` works (0, tails of any length, no
//! alignment needed: tails go through a small buffer on the stack); outputs may equal
//! the input pointer but must not otherwise overlap it or each other. The safe slice
//! methods of [`Table`] wrap them for Rust callers and tests. From Cranelift, a call is
//! `call_indirect` with the ISA's default C calling convention and parameters
//! `(i64, pointer…)` (`softmax_row` returns nothing: `max_sum` points at two elements).
//! Under the System V ABI every vector register is caller-saved, so values the
//! surrounding loop keeps live across a call are spilled by Cranelift around it.
//!
//! # Levels
//! [`Level::Avx512`] (AVX-512F, 16/8 lanes), [`Level::Avx2`] (AVX2 + FMA, 8/4 lanes) and
//! [`Level::Scalar`] (portable Rust, one lane; other architectures and x86-64 without
//! AVX2). [`detected`] is the best the CPU offers (`is_x86_feature_detected!`, once);
//! [`level`] is that, capped by the environment variable `LOSSC_ISA` (`avx512`, `avx2` or
//! `scalar`, read once; an unknown value caps nothing, and [`env_cap`] reports it) and by
//! [`set_level_cap`] (process-wide, for tests and benchmarks). [`primitives`] hands out
//! the table of a level, never above [`detected`], so every pointer in it is safe to
//! call on this machine. The scalar level uses `mul_add` where the vector levels
//! fuse; on x86-64 that is a library routine (correct, about 20–100× slower than the
//! vector levels), so it serves as a reference and for other architectures, and native
//! code keeps `vmath`'s inline code on machines without AVX2.
//!
//! # Algorithms and determinism
//! Those of [`vmath`](super::cranelift::vmath) with `fma` on, written once over a lane type
//! (`algo.rs`) and compiled per level: Cody–Waite `exp` with its minimax polynomial,
//! fdlibm-style `log`, `log1p` with TwoSum, the compensated `tanh` and `σ`, vmath's
//! coefficients (shared constants). Every step is a correctly rounded operation or
//! an exact one, and every level performs the same steps in the same order (the
//! scalar level fuses with `mul_add`), so **the three levels give bitwise identical
//! results**, and `exp`, `log`, `log1p`, `tanh` and `e^-|x|` equal vmath's Cranelift
//! code with `fma` bit for bit (tested). `σ` and `softplus` differ from vmath's by
//! the shared division (within the bounds below). The softmax sum adds element `i`
//! into partial sum `i mod 16` (`f32`) or `i mod 8` (`f64`) and combines the partial
//! sums in a fixed tree at every level, so it too is the same everywhere. Within a
//! level, results are a function of the inputs alone (no state, no threads).
//!
//! # Accuracy (measured)
//! Max error in ulps against the double-double oracle of `vmath`'s tests, over its
//! dense, log-scaled and random arguments in the normal range of the result: the unit
//! tests (≈ 60 k per function and precision) and the ignored stress test (25× more);
//! identical at every level (see above).
//!
//! | function           | f32  | f64  |
//! |--------------------|------|------|
//! | exp                | 0.99 | 1.00 |
//! | log                | 0.80 | 0.80 |
//! | log1p              | 0.83 | 0.83 |
//! | tanh               | 1.00 | 1.00 |
//! | σ (pack)           | 0.97 | 1.00 |
//! | softplus (pack)    | 1.59 | 1.61 |
//! | e^-\|x\| (pack)    | 0.99 | 1.00 |
//! | softmax `e^(x-m)`  | 0.97 | 1.00 |
//!
//! The unit tests assert ≤ 2 ulp for each, and the special values of `vmath` (±inf,
//! NaN, ±0, overflow to `inf`, gradual underflow, `log(0) = -inf`, `log(x < 0) = NaN`,
//! `log1p(-1) = -inf`, …) exactly. The ignored `stress_accuracy` test runs 25× more
//! arguments (`cargo test --release --lib -- --ignored tiles::tests::stress`).

mod algo;
#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod scalar;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// `dst[i] = f(src[i])` for `i < n`.
pub type Map<T> = unsafe extern "C" fn(n: u64, src: *const T, dst: *mut T);
/// The logistic pack: `sigmoid[i]`, `softplus[i]`, `exp_neg_abs[i]` of `src[i]`.
pub type Pack<T> = unsafe extern "C" fn(
    n: u64,
    src: *const T,
    sigmoid: *mut T,
    softplus: *mut T,
    exp_neg_abs: *mut T,
);
/// One softmax row: `dst[i] = e^(src[i] - m)`, `max_sum = [m, Σ dst[i]]`.
pub type SoftmaxRow<T> = unsafe extern "C" fn(n: u64, src: *const T, dst: *mut T, max_sum: *mut T);

/// The entry points of one level for one precision.
///
/// # Safety (of every pointer)
/// `src` readable for `n` elements, each output writable for `n` (`max_sum` for 2);
/// an output may be `src` itself but must not otherwise overlap it or another output.
/// The table came from [`primitives`], so the level's instructions exist.
///
/// Only this crate builds tables (`non_exhaustive`): the safe methods rely on that.
#[derive(Debug)]
#[non_exhaustive]
pub struct Table<T: 'static> {
    pub exp: Map<T>,
    pub log: Map<T>,
    pub log1p: Map<T>,
    pub tanh: Map<T>,
    pub logistic: Pack<T>,
    pub softmax_row: SoftmaxRow<T>,
}

/// Both precisions of one level.
#[derive(Debug)]
pub struct Primitives {
    pub level: Level,
    pub f32: Table<f32>,
    pub f64: Table<f64>,
}

/// An instruction-set level, lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Portable Rust, one lane at a time.
    Scalar,
    /// AVX2 + FMA, 256-bit registers.
    Avx2,
    /// AVX-512F, 512-bit registers.
    Avx512,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Scalar, Level::Avx2, Level::Avx512];

    /// The name `LOSSC_ISA` takes.
    pub fn name(self) -> &'static str {
        match self {
            Level::Scalar => "scalar",
            Level::Avx2 => "avx2",
            Level::Avx512 => "avx512",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A level name that is none of `avx512`, `avx2`, `scalar`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown instruction-set level `{0}`; expected avx512, avx2 or scalar")]
pub struct UnknownLevel(pub String);

impl std::str::FromStr for Level {
    type Err = UnknownLevel;
    fn from_str(s: &str) -> Result<Level, UnknownLevel> {
        Level::ALL
            .into_iter()
            .find(|l| l.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| UnknownLevel(s.to_string()))
    }
}

/// The environment variable that caps the level (read once per process).
pub const ENV_VAR: &str = "LOSSC_ISA";

/// The best level this CPU supports (detected once).
pub fn detected() -> Level {
    static DETECTED: OnceLock<Level> = OnceLock::new();
    *DETECTED.get_or_init(detect)
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Level {
    let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
    if avx2 && is_x86_feature_detected!("avx512f") {
        Level::Avx512
    } else if avx2 {
        Level::Avx2
    } else {
        Level::Scalar
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Level {
    Level::Scalar
}

/// The cap set by `LOSSC_ISA` (`None` when unset or empty), or the unknown name.
pub fn env_cap() -> Result<Option<Level>, UnknownLevel> {
    static ENV: OnceLock<Result<Option<Level>, UnknownLevel>> = OnceLock::new();
    ENV.get_or_init(|| match std::env::var(ENV_VAR) {
        Ok(v) if !v.trim().is_empty() => v.parse().map(Some),
        _ => Ok(None),
    })
    .clone()
}

/// The cap set by [`set_level_cap`]: 0 none, else `1 + level`.
static API_CAP: AtomicU8 = AtomicU8::new(0);

/// Caps [`level`] for the whole process (`None` lifts the cap); the environment cap
/// still applies.
pub fn set_level_cap(cap: Option<Level>) {
    API_CAP.store(cap.map_or(0, |l| 1 + l as u8), Ordering::Relaxed);
}

/// The cap set by [`set_level_cap`].
pub fn level_cap() -> Option<Level> {
    match API_CAP.load(Ordering::Relaxed) {
        0 => None,
        v => Some(Level::ALL[usize::from(v - 1)]),
    }
}

/// The level to use: [`detected`], capped by `LOSSC_ISA` and [`set_level_cap`].
pub fn level() -> Level {
    let mut l = detected();
    if let Ok(Some(c)) = env_cap() {
        l = l.min(c);
    }
    if let Some(c) = level_cap() {
        l = l.min(c);
    }
    l
}

/// The levels this machine can run, lowest first.
pub fn available() -> Vec<Level> {
    Level::ALL
        .into_iter()
        .filter(|&l| l <= detected())
        .collect()
}

/// The table of `want`, or of [`detected`] where `want` is above it.
pub fn primitives(want: Level) -> &'static Primitives {
    match want.min(detected()) {
        Level::Scalar => &scalar::PRIMITIVES,
        #[cfg(target_arch = "x86_64")]
        Level::Avx2 => &avx2::PRIMITIVES,
        #[cfg(target_arch = "x86_64")]
        Level::Avx512 => &avx512::PRIMITIVES,
        #[cfg(not(target_arch = "x86_64"))]
        _ => &scalar::PRIMITIVES,
    }
}

/// The table of [`level`].
pub fn current() -> &'static Primitives {
    primitives(level())
}

/// An output slice whose length differs from the input's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("tile primitive: output `{output}` has {got} elements, the input {want}")]
pub struct LengthMismatch {
    pub output: &'static str,
    pub got: usize,
    pub want: usize,
}

fn same_len(output: &'static str, got: usize, want: usize) -> Result<(), LengthMismatch> {
    if got == want {
        Ok(())
    } else {
        Err(LengthMismatch { output, got, want })
    }
}

impl<T: Copy + Default> Table<T> {
    fn map(&self, f: Map<T>, src: &[T], dst: &mut [T]) -> Result<(), LengthMismatch> {
        same_len("dst", dst.len(), src.len())?;
        // SAFETY: both slices hold `src.len()` elements and cannot overlap (`&mut`); the
        // table came from `primitives`, so its level runs here.
        unsafe { f(src.len() as u64, src.as_ptr(), dst.as_mut_ptr()) };
        Ok(())
    }

    /// `dst[i] = e^src[i]`.
    pub fn exp(&self, src: &[T], dst: &mut [T]) -> Result<(), LengthMismatch> {
        self.map(self.exp, src, dst)
    }

    /// `dst[i] = log(src[i])`.
    pub fn log(&self, src: &[T], dst: &mut [T]) -> Result<(), LengthMismatch> {
        self.map(self.log, src, dst)
    }

    /// `dst[i] = log(1 + src[i])`.
    pub fn log1p(&self, src: &[T], dst: &mut [T]) -> Result<(), LengthMismatch> {
        self.map(self.log1p, src, dst)
    }

    /// `dst[i] = tanh(src[i])`.
    pub fn tanh(&self, src: &[T], dst: &mut [T]) -> Result<(), LengthMismatch> {
        self.map(self.tanh, src, dst)
    }

    /// The logistic pack: `σ(x)`, `softplus(x)` and `e^-|x|` of each element.
    pub fn logistic(
        &self,
        src: &[T],
        sigmoid: &mut [T],
        softplus: &mut [T],
        exp_neg_abs: &mut [T],
    ) -> Result<(), LengthMismatch> {
        same_len("sigmoid", sigmoid.len(), src.len())?;
        same_len("softplus", softplus.len(), src.len())?;
        same_len("exp_neg_abs", exp_neg_abs.len(), src.len())?;
        // SAFETY: as in `map`; the three outputs are distinct `&mut` slices.
        unsafe {
            (self.logistic)(
                src.len() as u64,
                src.as_ptr(),
                sigmoid.as_mut_ptr(),
                softplus.as_mut_ptr(),
                exp_neg_abs.as_mut_ptr(),
            )
        };
        Ok(())
    }

    /// One softmax row: `dst[i] = e^(src[i] - m)`; returns `(m, Σ dst[i])`.
    pub fn softmax_row(&self, src: &[T], dst: &mut [T]) -> Result<(T, T), LengthMismatch> {
        same_len("dst", dst.len(), src.len())?;
        let mut out = [T::default(); 2];
        // SAFETY: as in `map`; `out` holds two elements.
        unsafe {
            (self.softmax_row)(
                src.len() as u64,
                src.as_ptr(),
                dst.as_mut_ptr(),
                out.as_mut_ptr(),
            )
        };
        Ok((out[0], out[1]))
    }
}

/// Defines a level's entry points (generic over its lane types, compiled with its
/// target features) and its [`Primitives`] table `PRIMITIVES`.
macro_rules! entry_points {
    ($level:ident, $v32:ty, $v64:ty $(, $features:literal)?) => {
        // The closures `|x| algo::exp(x)` are not redundant: a closure inherits its
        // function's target features, the fn item's call shim does not, and the
        // intrinsics would then be calls (20× slower).
        #[allow(clippy::redundant_closure)]
        mod entry {
            use super::super::algo::{self, Lanes};

            $(#[target_feature(enable = $features)])?
            pub(super) unsafe extern "C" fn exp<V: Lanes>(
                n: u64,
                src: *const V::Elem,
                dst: *mut V::Elem,
            ) {
                // SAFETY: the caller's contract (`Table`).
                unsafe { algo::map::<V>(n, src, dst, |x| algo::exp(x)) }
            }

            $(#[target_feature(enable = $features)])?
            pub(super) unsafe extern "C" fn log<V: Lanes>(
                n: u64,
                src: *const V::Elem,
                dst: *mut V::Elem,
            ) {
                // SAFETY: the caller's contract (`Table`).
                unsafe { algo::map::<V>(n, src, dst, |x| algo::log(x)) }
            }

            $(#[target_feature(enable = $features)])?
            pub(super) unsafe extern "C" fn log1p<V: Lanes>(
                n: u64,
                src: *const V::Elem,
                dst: *mut V::Elem,
            ) {
                // SAFETY: the caller's contract (`Table`).
                unsafe { algo::map::<V>(n, src, dst, |x| algo::log1p(x)) }
            }

            $(#[target_feature(enable = $features)])?
            pub(super) unsafe extern "C" fn tanh<V: Lanes>(
                n: u64,
                src: *const V::Elem,
                dst: *mut V::Elem,
            ) {
                // SAFETY: the caller's contract (`Table`).
                unsafe { algo::map::<V>(n, src, dst, |x| algo::tanh(x)) }
            }

            $(#[target_feature(enable = $features)])?
            pub(super) unsafe extern "C" fn logistic<V: Lanes>(
                n: u64,
                src: *const V::Elem,
                sigmoid: *mut V::Elem,
                softplus: *mut V::Elem,
                exp_neg_abs: *mut V::Elem,
            ) {
                // SAFETY: the caller's contract (`Table`).
                unsafe { algo::map_logistic::<V>(n, src, sigmoid, softplus, exp_neg_abs) }
            }

            $(#[target_feature(enable = $features)])?
            pub(super) unsafe extern "C" fn softmax_row<V: Lanes>(
                n: u64,
                src: *const V::Elem,
                dst: *mut V::Elem,
                max_sum: *mut V::Elem,
            ) {
                // SAFETY: the caller's contract (`Table`).
                unsafe { algo::softmax_row::<V>(n, src, dst, max_sum) }
            }
        }

        pub(super) static PRIMITIVES: super::Primitives = super::Primitives {
            level: super::Level::$level,
            f32: super::Table {
                exp: entry::exp::<$v32>,
                log: entry::log::<$v32>,
                log1p: entry::log1p::<$v32>,
                tanh: entry::tanh::<$v32>,
                logistic: entry::logistic::<$v32>,
                softmax_row: entry::softmax_row::<$v32>,
            },
            f64: super::Table {
                exp: entry::exp::<$v64>,
                log: entry::log::<$v64>,
                log1p: entry::log1p::<$v64>,
                tanh: entry::tanh::<$v64>,
                logistic: entry::logistic::<$v64>,
                softmax_row: entry::softmax_row::<$v64>,
            },
        };
    };
}
use entry_points;
