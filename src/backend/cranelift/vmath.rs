//! Elementary functions emitted inline as Cranelift IR.
//!
//! Every function here appends straight-line, branch-free IR to the current block of a
//! [`FunctionBuilder`]; the float type is taken from the argument value and must be one of
//! `f32`, `f64`, `f32x4` or `f64x2` (anything else panics while *emitting*, never at run time).
//! Because there are no branches and no table lookups (x86-64 Cranelift has no vector gathers),
//! the same code works per lane in vector kernels. Scalars use `select`, vectors `bitselect`
//! with a bit-cast `fcmp` mask (Cranelift rejects `select` on vector conditions).
//!
//! # Algorithms
//! * `exp`: Cody–Waite reduction `x = n·ln2 + r`, `|r| ≤ ln2/2` (`n` by the `1.5·2^p`
//!   magic-number trick, so no float↔int conversions are emitted), then
//!   `e^r = 1 + r + r²·q(r)` with a minimax `q` (degree 5 for f32, 10 for f64; Remez on
//!   `[-0.347, 0.347]`). `2^n` is applied as two exact factors `2^⌊n/2⌋·2^⌈n/2⌉`, so results
//!   underflow gradually through the subnormals and overflow to `inf` by themselves; the
//!   argument is first clamped (`[-110, 100]` for f32, `[-760, 720]` for f64) with
//!   NaN-preserving `x < lo ? lo : x` selects, a range wide enough that the clamp never shows.
//! * `expm1`: the same reduction, keeping the rounding error of `r`;
//!   `expm1(x) = 2·(2^(n-1)·p + (2^(n-1) - ½))` with `p = e^r - 1`, so there is no
//!   cancellation near 0; `|x| < 2^-26` (f32) / `2^-55` (f64) returns `x` (keeps `-0`).
//! * `log`: fdlibm/musl style. `x = 2^k·m`, `m ∈ [√½, √2)` by integer arithmetic on the bits,
//!   `f = m - 1`, `s = f/(2+f)`, `log(1+f) = f - f²/2 + s·(f²/2 + R(s²))` with a minimax
//!   `R` (degree 3 in `s²` for f32, 7 for f64), `k·ln2` split hi/lo. Subnormal inputs are
//!   scaled by `2^24` / `2^54` first. Special values are patched with selects at the end.
//! * `log1p`: `u = 1 + x` with its exact rounding error `c` (TwoSum); the `log` core on `u`
//!   plus the correction `c/u`, and where `k = 0` with `f = x` itself (exact, as fdlibm).
//! * `tanh|x| = (1 - E)/(1 + E)`, `E = e^(-2|x|)`, with `E`, `1 - E`, `1 + E` kept as exact
//!   two-term sums and the quotient corrected to first order (the plain
//!   `-expm1(-2|x|)/(2 + expm1(-2|x|))` measured 1.97 ulp).
//! * `sigmoid(x) = (x ≥ 0 ? 1 : E)/(1 + E)`, `E = e^-|x|`, compensated the same way (the
//!   plain quotient measured 2.3 ulp).
//! * `softplus(x) = relu(x) + log1p(e^-|x|)`, with a `log1p` specialised to `[0, 1]`
//!   (`log1p_unit`): `1 + e = 2^k·(1 + f)` with `k = 0, f = e` below `√2 - 1` and
//!   `k = 1, f = (e - 1)/2` above, so neither the bits of `1 + e` nor a correction for its
//!   rounding are needed (about half the instructions of `log1p`).
//! * `pow(x, y)` (`y` at run time, or a constant that is not a small integer): `e^(y·log|x|)`
//!   from the `log` and `exp` above, in float64 lanes whatever the kernel's type (float32
//!   operands are widened, the result rounded once). `y` is an integer when
//!   `(|y| + 2^52) - 2^52 = |y|` or `|y| ≥ 2^52`, odd when `|y|/2` is not; an odd integer
//!   power takes `x`'s sign bit (so `(-0)^-3 = -inf`, `(-inf)^3 = -inf`). Domain and
//!   special values are IEEE `pow`'s (Rust's `f64::powf`), patched with selects: a negative
//!   finite base to a non-integer power is NaN; `x^±0 = 1` and `1^y = 1` for every `x`, `y`
//!   (NaN included); `(±1)^(±inf) = 1`; `|x| < 1` to `+inf` is `+0`, to `-inf` `+inf` (and
//!   the reverse for `|x| > 1`); `(±0)^y` is `±0`/`+0` for `y > 0` and `±inf`/`+inf` for
//!   `y < 0` (odd integer / otherwise); infinities likewise through `log(inf) = inf`. The
//!   relative error is that of `exp` and `log` plus `|y·ln x|·2^-53` (the rounding of the
//!   product): below 2^-42 where the result is a normal float64, so a float32 result is the
//!   float64 one rounded. `powi(x, n)` (constant integer `n`, `|n| ≤ 64`): repeated squaring
//!   as `f64::powi`, `1/x^|n|` for negative `n`; float32 code multiplies in float64 when
//!   that is more than one rounding.
//! * `cosh = E + ¼/E` with `E = e^|x|/2` (the `/2` inside the exponent: no early overflow).
//! * `sinh`: for `|x| < 1` the odd minimax polynomial `x + x³·P(x²)` (degree 4/7 in `x²`);
//!   above, `2·(g + g/(4g + 1))` with `g = (e^|x| - 1)/4` from the `expm1` core (overflows
//!   exactly where `sinh` does).
//!
//! # Accuracy (measured)
//! Max error in ulps of the exact result, against a double-double (≈ 100-bit) reference, over
//! dense, log-scaled and random arguments covering the range where the result is a normal
//! number (plus subnormal inputs of `log`): the unit tests (≈ 60 k arguments per function and
//! precision), the ignored `stress_*` tests (25× more), 3 M random arguments per function in
//! the critical ranges and exhaustive f32 sweeps of `[2^-13, 10]` for `tanh`, `[2^-13, 1.1]`
//! for `sinh` and `[0.125, 1]` for `expm1`. Scalar and vector code run the same IR and give
//! identical results. Columns: without `fma` / with `fma`.
//!
//! | function | f32         | f64         |
//! |----------|-------------|-------------|
//! | exp      | 0.96 / 0.99 | 1.00 / 1.00 |
//! | expm1    | 1.50 / 1.37 | 1.48 / 1.58 |
//! | log      | 0.82 / 0.82 | 0.85 / 0.85 |
//! | log1p    | 0.84 / 0.84 | 0.85 / 0.85 |
//! | tanh     | 1.33 / 1.00 | 1.21 / 1.00 |
//! | sigmoid  | 1.43 / 0.97 | 1.42 / 1.00 |
//! | softplus | 1.59 / 1.59 | 1.62 / 1.57 |
//! | cosh     | 1.39 / 1.43 | 1.42 / 1.46 |
//! | sinh     | 1.38 / 1.38 | 1.36 / 1.36 |
//!
//! The unit tests assert ≤ 2 ulp for every function, type and option set.
//!
//! # Special values (all tested for the four types, with and without `fma`)
//! `exp(-inf)=0`, `exp(inf)=inf`, overflow → `inf`, underflow → gradual, then `0`;
//! `expm1(-inf)=-1`; `log(±0)=-inf`, `log(x<0)=NaN`, `log(inf)=inf`, subnormals exact to
//! < 1 ulp; `log1p(-1)=-inf`, `log1p(x<-1)=NaN`, `log1p(inf)=inf`; `tanh(±inf)=±1`;
//! `sigmoid(-1e4)=0`, `sigmoid(1e4)=1`; `softplus(1e4)=1e4`, `softplus(-1e4)=0`,
//! `softplus(-100)=3.7e-44` (f64); `cosh`/`sinh` overflow to `±inf` exactly where the true
//! result does (f64 `710.4758…`). NaN (any sign or payload) gives NaN everywhere. `expm1`,
//! `tanh`, `sinh` keep `-0`; `log1p(-0)` returns `+0`.
//!
//! # Cost
//! x86-64 instructions per call (the loop body minus the same loop with `f(x) = x`), with
//! `fma`, for a loop of the shape `brif(i < n, body, exit)`, where each constant costs one
//! `movups` from the constant pool (Cranelift does not fold constants into `vfmadd`). With
//! the exit edge first (`brif(i >= n, exit, body)`) the constants are hoisted, but with more
//! than ~14 of them live the register allocator spills them and reloads every iteration:
//! the second number. Throughput was the same for both shapes (a reload costs what a
//! constant load does). Without `fma`: 5–25 % more instructions.
//!
//! | function | f32x4   | f64x2    | f32 | f64 | `fdiv`s | ns/elem f32x4 / f64x2 |
//! |----------|---------|----------|-----|-----|---------|-----------------------|
//! | exp      | 37 / 44 | 47 / 68  | 40  | 46  | 0       | 0.7 / 1.9             |
//! | expm1    | 42 / 60 | 52 / 90  | 48  | 54  | 0       | 0.8 / 2.4             |
//! | log      | 53 / 96 | 61 / 112 | 56  | 62  | 1       | 1.3 / 3.5             |
//! | log1p    | 66 / 90 | 74 / 106 | 64  | 70  | 2       | 1.5 / 3.8             |
//! | tanh     | 67 / 98 | 77 / 120 | 78  | 84  | 1       | 1.8 / 4.7             |
//! | sigmoid  | 58 / 77 | 68 / 97  | 66  | 72  | 1       | 1.5 / 3.8             |
//! | softplus | 67 / 106| 85 / 144 | 70  | 80  | 1       | 2.0 / 6.0             |
//! | cosh     | 40 / 49 | 50 / 73  | 47  | 53  | 1       | 0.7 / 2.2             |
//! | sinh     | 57 / 94 | 74 / 137 | 61  | 70  | 1       | 1.3 / 3.9             |
//! | abs, neg, relu, sign | 1, 2, 3, 8 | 1, 2, 3, 8 | 6, 3, 3, 11 | 6, 3, 3, 11 | 0 | |
//!
//! (ns per element: one thread of a 2-core Xeon VM, 4096-element arrays in cache; noisy.)
//! The CLIF is 45–155 instructions per function.
//!
//! # Notes for the kernel emitter
//! * Set `MathOptions::fma` only when the ISA has FMA (`isa.has_native_fma()`); otherwise
//!   the `fma` instruction fails to lower. Every function works and meets ≤ 2 ulp without it.
//! * Constants are `splat`s of scalar constants, which the mid-end turns into `vconst`s.
//! * `softplus`/`sigmoid` here are cheaper and more accurate than composing
//!   `log1p(exp(-|x|))` or `e/(1+e)` from the other functions.

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Type, Value, types};
use cranelift_frontend::FunctionBuilder;

/// Options for the emitted code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MathOptions {
    /// Emit `fma` instructions (the ISA must have FMA); otherwise `fmul` + `fadd`.
    pub fma: bool,
}

/// A scalar or vector constant of float type `ty` (`f32`, `f64`, `f32x4`, `f64x2`);
/// `c` is rounded to `f32` for the `f32` types.
pub fn splat_const(b: &mut FunctionBuilder, ty: Type, c: f64) -> Value {
    let lane = ty.lane_type();
    let s = match lane {
        types::F32 => b.ins().f32const(c as f32),
        types::F64 => b.ins().f64const(c),
        _ => panic!("vmath: unsupported type {ty}; expected f32, f64, f32x4 or f64x2"),
    };
    if ty.is_vector() {
        b.ins().splat(ty, s)
    } else {
        s
    }
}

/// `mask ? a : c`, lane-wise. `mask` is the result of an `fcmp` (or `icmp`) on values of the
/// same shape as `a`: an `i8` for scalars, an integer vector with all-ones/all-zeros lanes for
/// vectors (bit-cast here to the type of `a`).
pub fn select_where(b: &mut FunctionBuilder, mask: Value, a: Value, c: Value) -> Value {
    let ty = b.func.dfg.value_type(a);
    if ty.is_vector() {
        let mty = b.func.dfg.value_type(mask);
        let m = if mty == ty {
            mask
        } else {
            b.ins().bitcast(ty, MemFlagsData::new(), mask)
        };
        b.ins().bitselect(m, a, c)
    } else {
        // A float `select` lowers to a conditional branch on x86-64; on
        // data-dependent masks (the scalar tails of narrow rows: a row max,
        // an `if`) it mispredicts half the time. The same select on the
        // bits is a `cmov`.
        let ity = if ty == types::F64 {
            types::I64
        } else {
            types::I32
        };
        let flags = MemFlagsData::new();
        let (ai, ci) = (
            b.ins().bitcast(ity, flags, a),
            b.ins().bitcast(ity, flags, c),
        );
        let r = b.ins().select(mask, ai, ci);
        b.ins().bitcast(ty, flags, r)
    }
}

/// `|x|` (clears the sign bit; NaN stays NaN).
pub fn abs(b: &mut FunctionBuilder, _o: &MathOptions, x: Value) -> Value {
    E::new(b, _o, x).abs(x)
}

/// `-x` (flips the sign bit).
pub fn neg(b: &mut FunctionBuilder, _o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, _o, x);
    let m = e.k(-0.0);
    e.b.ins().bxor(x, m)
}

/// `sign(x)`: `1` for `x > 0`, `-1` for `x < 0`, `x` itself for `±0` and NaN.
pub fn sign(b: &mut FunctionBuilder, _o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, _o, x);
    let zero = e.k(0.0);
    let one = e.k(1.0);
    let m_one = e.k(-1.0);
    let lt = e.cmp(FloatCC::LessThan, x, zero);
    let r = e.sel(lt, m_one, x);
    let gt = e.cmp(FloatCC::GreaterThan, x, zero);
    e.sel(gt, one, r)
}

/// `max(x, 0)`, with NaN passing through (`x < 0 ? 0 : x`).
pub fn relu(b: &mut FunctionBuilder, _o: &MathOptions, x: Value) -> Value {
    E::new(b, _o, x).relu(x)
}

/// `e^x`.
pub fn exp(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    E::new(b, o, x).exp_core(x, 0, true, true)
}

/// `e^x` for `x ≤ 0` or NaN: [`exp`] without the clamp from above, which such
/// arguments never reach (the kernels' shared `e^-|x|`, softmax's `e^(x - max)`).
pub fn exp_nonpositive(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    E::new(b, o, x).exp_core(x, 0, true, false)
}

/// `e^x - 1`, accurate near 0.
pub fn expm1(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, o, x);
    let g = e.expm1_core(x, 1, true, true);
    let y = e.add(g, g);
    let ax = e.abs(x);
    e.tiny_passthrough(ax, x, y)
}

/// Natural logarithm.
pub fn log(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    E::new(b, o, x).log_core(x, None, true, true)
}

/// `x^y` for `y` known only at run time, with IEEE `pow`'s special values, as
/// Rust's `f64::powf` (see the module docs). Float32 operands are computed
/// in float64 and rounded once.
pub fn pow(b: &mut FunctionBuilder, o: &MathOptions, x: Value, y: Value) -> Value {
    in_f64(b, x, Some(y), &|b, x, y| {
        let y = y.expect("the exponent is widened with the base");
        E::new(b, o, x).pow(x, y)
    })
}

/// `x^y` for a constant `y` that is not a small integer: as [`pow`], with
/// `y` kept in float64 in float32 code too, so that an exponent such as
/// `2^52 + 1` keeps its parity.
pub fn pow_const(b: &mut FunctionBuilder, o: &MathOptions, x: Value, y: f64) -> Value {
    in_f64(b, x, None, &|b, x, _| {
        let ty = b.func.dfg.value_type(x);
        let y = splat_const(b, ty, y);
        E::new(b, o, x).pow(x, y)
    })
}

/// `x^n` for a constant integer `n` by repeated squaring (`1/x^|n|` for
/// negative `n`), the reference's order of multiplications (`f64::powi`):
/// exact in sign for every base, `x^0 = 1`. Where that is more than one
/// rounding, float32 code multiplies in float64 and rounds once (the error
/// of a chain grows with `|n|`: squaring doubles it).
pub fn powi(b: &mut FunctionBuilder, x: Value, n: i32) -> Value {
    let ty = b.func.dfg.value_type(x);
    let one_rounding = (-1..=2).contains(&n);
    if one_rounding || ty.lane_type() == types::F64 {
        return powi_chain(b, x, n);
    }
    in_f64(b, x, None, &|b, x, _| powi_chain(b, x, n))
}

fn powi_chain(b: &mut FunctionBuilder, x: Value, n: i32) -> Value {
    let ty = b.func.dfg.value_type(x);
    let mut result: Option<Value> = None;
    let mut base = x;
    let mut e = n.unsigned_abs();
    while e > 0 {
        if e & 1 == 1 {
            result = Some(match result {
                None => base,
                Some(r) => b.ins().fmul(r, base),
            });
        }
        e >>= 1;
        if e > 0 {
            base = b.ins().fmul(base, base);
        }
    }
    let mut result = result.unwrap_or_else(|| splat_const(b, ty, 1.0));
    if n < 0 {
        let one = splat_const(b, ty, 1.0);
        result = b.ins().fdiv(one, result);
    }
    result
}

/// `f(x, y)` computed on float64 lanes: float64 operands as they are,
/// float32 ones widened (an f32x4 as two f64x2 halves) with the result
/// rounded back once.
fn in_f64(
    b: &mut FunctionBuilder,
    x: Value,
    y: Option<Value>,
    f: &dyn Fn(&mut FunctionBuilder, Value, Option<Value>) -> Value,
) -> Value {
    let ty = b.func.dfg.value_type(x);
    match ty {
        types::F64 | types::F64X2 => f(b, x, y),
        types::F32 => {
            let xd = b.ins().fpromote(types::F64, x);
            let yd = y.map(|y| b.ins().fpromote(types::F64, y));
            let r = f(b, xd, yd);
            b.ins().fdemote(types::F32, r)
        }
        types::F32X4 => {
            // Each half in float64 (lanes 0-1, then 2-3), rounded back and rejoined.
            let mut halves = [x, x];
            for (k, half) in halves.iter_mut().enumerate() {
                let widen = |b: &mut FunctionBuilder, v: Value| {
                    let v = if k == 0 { v } else { high_lanes(b, v) };
                    b.ins().fvpromote_low(v)
                };
                let xd = widen(b, x);
                let yd = y.map(|y| widen(b, y));
                let r = f(b, xd, yd);
                *half = b.ins().fvdemote(r);
            }
            // Lanes 0-1 of each demoted half: [lo0, lo1, hi0, hi1].
            let bytes: Vec<u8> = (0..8).chain(16..24).collect();
            shuffle_f32x4(b, halves[0], halves[1], bytes)
        }
        _ => panic!("vmath: unsupported type {ty}; expected f32, f64, f32x4 or f64x2"),
    }
}

/// Lanes 2 and 3 of an f32x4 moved to lanes 0 and 1.
fn high_lanes(b: &mut FunctionBuilder, x: Value) -> Value {
    let bytes: Vec<u8> = (0..16).map(|i| 8 + i % 8).collect();
    shuffle_f32x4(b, x, x, bytes)
}

/// Cranelift's byte shuffle of two f32x4 (`bytes[i] < 16` from `a`, else from `c`).
fn shuffle_f32x4(b: &mut FunctionBuilder, a: Value, c: Value, bytes: Vec<u8>) -> Value {
    let lanes = MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little);
    let imm = b.func.dfg.immediates.push(bytes.into());
    let (a, c) = (
        b.ins().bitcast(types::I8X16, lanes, a),
        b.ins().bitcast(types::I8X16, lanes, c),
    );
    let r = b.ins().shuffle(a, c, imm);
    b.ins().bitcast(types::F32X4, lanes, r)
}

/// `log(1 + x)`, accurate near 0.
pub fn log1p(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, o, x);
    let one = e.k(1.0);
    let u = e.add(x, one);
    // TwoSum: c = (x + 1) - u exactly.
    let bb = e.sub(u, x);
    let t0 = e.sub(u, bb);
    let t1 = e.sub(x, t0);
    let t2 = e.sub(one, bb);
    let c = e.add(t1, t2);
    let cu = e.div(c, u);
    e.log_core(u, Some((x, cu)), false, true)
}

/// Hyperbolic tangent.
pub fn tanh(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, o, x);
    let ax = e.abs(x);
    let m2 = e.k(-2.0);
    let y0 = e.mul(ax, m2);
    // E = e^(-2|x|) = s·(1 + p), s = 2^n, n ≤ 0, and tanh|x| = (1 - E)/(1 + E). E, 1 - E and
    // 1 + E are kept as exact two-term sums, and the quotient is corrected to first order
    // (plus the exact residual of the division with fma), using 1/(1 + E) = (1 + tanh|x|)/2.
    // Near 0 (n = 0) 1 - E = -p exactly, so there is no cancellation. The plain quotient
    // (-expm1(-2|x|))/(2 + expm1(-2|x|)) costs up to 2 ulp.
    let lo = e.f.p(-30.0, -60.0);
    let (t, r, tail) = e.exp_reduce_parts(y0, Some(lo), None);
    let s = e.scale1(t, 0);
    let one = e.k(1.0);
    let half = e.k(0.5);
    // p = ph + pl (Fast2Sum, |r| ≥ |tail|); E = s + s·ph + s·pl = eh + el (s·ph and s·pl are
    // exact; Fast2Sum again as |s| ≥ |s·ph|)
    let ph = e.add(r, tail);
    let p0 = e.sub(ph, r);
    let pl = e.sub(tail, p0);
    let sr = e.mul(s, ph);
    let st = e.mul(s, pl);
    let eh = e.add(s, sr);
    let e0 = e.sub(eh, s);
    let e1 = e.sub(sr, e0);
    let el = e.add(e1, st);
    // 1 - E = nh + nl, 1 + E = dh - dln (Fast2Sum, 1 ≥ eh)
    let nh = e.sub(one, eh);
    let n0 = e.sub(one, nh);
    let n1 = e.sub(n0, eh);
    let nl = e.sub(n1, el);
    let dh = e.add(one, eh);
    let d0 = e.sub(dh, one);
    let d1 = e.sub(d0, eh);
    let dln = e.sub(d1, el);
    let q = e.div(nh, dh);
    let t0 = if e.fma {
        let nq = e.b.ins().fneg(q);
        let rho = e.b.ins().fma(nq, dh, nh); // exact residual of the division
        e.add(rho, nl)
    } else {
        nl
    };
    let corr = e.madd(q, dln, t0);
    let inv = e.madd(q, half, half);
    let y = e.madd(corr, inv, q); // tanh|x|
    let r = e.copy_sign_of(y, x);
    e.tiny_passthrough(ax, x, r)
}

/// Logistic function `1/(1+e^-x)`, computed without overflow for any `x`.
pub fn sigmoid(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, o, x);
    let nx = e.neg_abs(x);
    // E = e^-|x| = s·(1 + p) is kept as the exact sum Eh + El (s a power of two), the
    // denominator 1 + E as the exact sum den + dl; the quotient q = num/den is then corrected
    // to first order: σ = q + (num_l - q·dl [+ residual of the division])·(1/den), with
    // 1/den = 1 - σ (x < 0) or σ (x ≥ 0). Without the correction the three roundings cost
    // up to 2.3 ulp.
    let lo = e.f.p(-110.0, -760.0);
    let (t, p) = e.exp_reduce(nx, Some(lo), None, false);
    let (s1, s2) = e.scale2(t, 0);
    let s = e.mul(s1, s2); // rounds only where the result is subnormal
    let one = e.k(1.0);
    let zero = e.k(0.0);
    let y = e.add(p, one);
    let ym1 = e.sub(y, one);
    let ye = e.sub(p, ym1); // 1 + p = y + ye exactly (Fast2Sum, |p| < 1)
    let eh = e.mul(y, s);
    let el = e.mul(ye, s);
    let den = e.add(eh, one);
    let dm1 = e.sub(den, one);
    let dl0 = e.sub(dm1, eh); // -(rounding error of 1 + Eh)
    let dln = e.sub(dl0, el); // -dl
    let ge = e.cmp(FloatCC::GreaterThanOrEqual, x, zero);
    let num_h = e.sel(ge, one, eh);
    let num_l = e.sel(ge, zero, el);
    let q = e.div(num_h, den);
    let t0 = if e.fma {
        let nq = e.b.ins().fneg(q);
        let rho = e.b.ins().fma(nq, den, num_h); // exact residual of the division
        e.add(rho, num_l)
    } else {
        num_l
    };
    let corr = e.madd(q, dln, t0);
    let omq = e.sub(one, q);
    let inv = e.sel(ge, q, omq);
    e.madd(corr, inv, q)
}

/// `log(1 + e^x) = max(x, 0) + log1p(e^-|x|)`, stable for all `x`.
pub fn softplus(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, o, x);
    let nx = e.neg_abs(x);
    let ex = e.exp_core(nx, 0, true, false);
    let l = e.log1p_unit(ex);
    let r = e.relu(x);
    e.add(r, l)
}

/// `log(1 + x)` for `x` in `[0, 1]` (or NaN): [`log1p`] without the special
/// cases that cannot occur there (`1 + x` is a normal number in `[1, 2]`), as
/// `softplus` and the kernels' shared `log1p(e^-|x|)` need it.
pub fn log1p_unit(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    E::new(b, o, x).log1p_unit(x)
}

/// Hyperbolic cosine.
pub fn cosh(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, o, x);
    let ax = e.abs(x);
    let big = e.exp_core(ax, -1, false, true); // e^|x| / 2
    let q = e.k(0.25);
    let small = e.div(q, big); // e^-|x| / 2
    e.add(big, small)
}

/// Hyperbolic sine.
pub fn sinh(b: &mut FunctionBuilder, o: &MathOptions, x: Value) -> Value {
    let mut e = E::new(b, o, x);
    let ax = e.abs(x);
    // |x| ≥ 1: from g = (e^|x| - 1)/4, sinh|x| = 2·(g + g/(4g + 1)).
    let g = e.expm1_core(ax, 2, false, true);
    let four = e.k(4.0);
    let one = e.k(1.0);
    let d = e.madd(g, four, one); // e^|x|
    let t = e.div(g, d);
    let h = e.add(g, t); // sinh|x| / 2
    let y = e.add(h, h);
    let big = e.copy_sign_of(y, x);
    // |x| < 1: odd minimax polynomial x + x³·P(x²) (the formula above reaches 2.1 ulp there).
    let z = e.mul(x, x);
    let pz = if e.f.double {
        e.horner(z, &SINH_P_F64)
    } else {
        e.horner(z, &SINH_P_F32)
    };
    let x3 = e.mul(x, z);
    let small = e.madd(x3, pz, x);
    let m = e.cmp(FloatCC::LessThan, ax, one);
    e.sel(m, small, big)
}

// ---------------------------------------------------------------------------------------------
// Constants

pub(crate) const LOG2E: f64 = std::f64::consts::LOG2_E;

/// Cody–Waite split of ln 2: `hi` has few significant bits so `n·hi` is exact.
pub(crate) const LN2_HI_F32: f64 = 0.693359375; // 9 significant bits
pub(crate) const LN2_LO_F32: f64 = -0.00021219444170128554; // an f32; hi + lo = ln 2 to 2^-33
pub(crate) const LN2_HI_F64: f64 = 0.6931471803691238; // 0x3fe62e42fee00000, 32 significant bits
pub(crate) const LN2_LO_F64: f64 = 1.9082149292705877e-10;

/// `q(r) ≈ (e^r - 1 - r)/r²` on `[-0.347, 0.347]` (Remez, coefficients rounded to the type).
#[allow(clippy::excessive_precision)]
pub(crate) const EXP_Q_F32: [f64; 6] = [
    0.5,
    0.1666666716337204,
    0.041666463017463684,
    0.008333285339176655,
    0.0013933753361925483,
    0.00019907737441826612,
];
#[allow(clippy::excessive_precision)]
pub(crate) const EXP_Q_F64: [f64; 11] = [
    0.5,
    0.1666666666666667,
    0.041666666666666685,
    0.00833333333332607,
    0.0013888888888874255,
    0.00019841269875049737,
    2.4801587347682702e-05,
    2.755725511010396e-06,
    2.75572525788756e-07,
    2.5105337559859645e-08,
    2.0921702612785087e-09,
];

/// `P(z) ≈ (sinh(x)/x - 1)/z`, `z = x² ∈ [0, 1]` (Remez, rounded to the type).
#[allow(clippy::excessive_precision)]
const SINH_P_F32: [f64; 4] = [
    0.1666666716337204,
    0.008333339355885983,
    0.00019838099251501262,
    2.806300699376152e-06,
];
#[allow(clippy::excessive_precision)]
const SINH_P_F64: [f64; 7] = [
    0.16666666666666666,
    0.008333333333333299,
    0.0001984126984132424,
    2.755731919136358e-06,
    2.5052117699424336e-08,
    1.6057679311292412e-10,
    7.746189007801055e-13,
];

/// `P(z) ≈ (2·atanh(s)/s - 2)/z`, `z = s² ∈ [0, 0.0295]` (Remez, rounded to the type).
#[allow(clippy::excessive_precision)]
pub(crate) const LOG_P_F32: [f64; 3] =
    [0.6666668653488159, 0.39988669753074646, 0.29584264755249023];
#[allow(clippy::excessive_precision)]
pub(crate) const LOG_P_F64: [f64; 7] = [
    0.666666666666667,
    0.3999999999989718,
    0.2857142862697117,
    0.22222210979791773,
    0.1818289997851525,
    0.15331372845050503,
    0.14620636370959464,
];

// ---------------------------------------------------------------------------------------------
// Emitter

/// Layout facts of one of the four supported float types.
#[derive(Clone, Copy)]
struct Fmt {
    ty: Type,
    /// Integer type of the same shape (`i32`, `i64`, `i32x4`, `i64x2`).
    ity: Type,
    double: bool,
}

impl Fmt {
    fn of(ty: Type) -> Fmt {
        let (ity, double) = match ty {
            types::F32 => (types::I32, false),
            types::F64 => (types::I64, true),
            types::F32X4 => (types::I32X4, false),
            types::F64X2 => (types::I64X2, true),
            _ => panic!("vmath: unsupported type {ty}; expected f32, f64, f32x4 or f64x2"),
        };
        Fmt { ty, ity, double }
    }
    fn mant(self) -> i64 {
        if self.double { 52 } else { 23 }
    }
    fn bias(self) -> i64 {
        if self.double { 1023 } else { 127 }
    }
    /// Pick the constant for the precision.
    fn p(self, c32: f64, c64: f64) -> f64 {
        if self.double { c64 } else { c32 }
    }
}

struct E<'a, 'f> {
    b: &'a mut FunctionBuilder<'f>,
    fma: bool,
    f: Fmt,
}

impl<'a, 'f> E<'a, 'f> {
    fn new(b: &'a mut FunctionBuilder<'f>, o: &MathOptions, x: Value) -> Self {
        let f = Fmt::of(b.func.dfg.value_type(x));
        E { b, fma: o.fma, f }
    }

    // --- constants ---
    fn k(&mut self, c: f64) -> Value {
        splat_const(self.b, self.f.ty, c)
    }
    fn ik(&mut self, v: i64) -> Value {
        let lane = self.f.ity.lane_type();
        let v = if lane == types::I32 {
            i64::from(v as i32 as u32)
        } else {
            v
        };
        let c = self.b.ins().iconst(lane, v);
        if self.f.ity.is_vector() {
            self.b.ins().splat(self.f.ity, c)
        } else {
            c
        }
    }

    // --- float arithmetic ---
    fn add(&mut self, a: Value, c: Value) -> Value {
        self.b.ins().fadd(a, c)
    }
    fn sub(&mut self, a: Value, c: Value) -> Value {
        self.b.ins().fsub(a, c)
    }
    fn mul(&mut self, a: Value, c: Value) -> Value {
        self.b.ins().fmul(a, c)
    }
    fn div(&mut self, a: Value, c: Value) -> Value {
        self.b.ins().fdiv(a, c)
    }
    /// `a·m + c`, fused when `fma` is on.
    fn madd(&mut self, a: Value, m: Value, c: Value) -> Value {
        if self.fma {
            self.b.ins().fma(a, m, c)
        } else {
            let p = self.b.ins().fmul(a, m);
            self.b.ins().fadd(p, c)
        }
    }
    /// `a·m + c` with a constant multiplier.
    fn maddk(&mut self, a: Value, m: f64, c: Value) -> Value {
        let m = self.k(m);
        self.madd(a, m, c)
    }
    /// `cs[0] + x·(cs[1] + x·(…))`.
    fn horner(&mut self, x: Value, cs: &[f64]) -> Value {
        let mut acc = self.k(cs[cs.len() - 1]);
        for &c in cs[..cs.len() - 1].iter().rev() {
            let c = self.k(c);
            acc = self.madd(acc, x, c);
        }
        acc
    }

    // --- masks ---
    fn cmp(&mut self, cc: FloatCC, a: Value, c: Value) -> Value {
        self.b.ins().fcmp(cc, a, c)
    }
    fn sel(&mut self, m: Value, a: Value, c: Value) -> Value {
        select_where(self.b, m, a, c)
    }
    fn abs(&mut self, x: Value) -> Value {
        let m = self.k(-0.0);
        self.b.ins().band_not(x, m)
    }
    /// `-|x|`.
    fn neg_abs(&mut self, x: Value) -> Value {
        let m = self.k(-0.0);
        self.b.ins().bor(x, m)
    }
    /// `y` (sign bit clear) with the sign of `x`.
    fn copy_sign_of(&mut self, y: Value, x: Value) -> Value {
        let m = self.k(-0.0);
        let s = self.b.ins().band(x, m);
        self.b.ins().bor(y, s)
    }
    fn relu(&mut self, x: Value) -> Value {
        let zero = self.k(0.0);
        let m = self.cmp(FloatCC::LessThan, x, zero);
        self.sel(m, zero, x)
    }
    /// NaN-preserving clamp to `[lo, hi]` (one `maxps`/`minps` each on vectors).
    fn clamp(&mut self, mut x: Value, lo: Option<f64>, hi: Option<f64>) -> Value {
        if let Some(lo) = lo {
            let lo = self.k(lo);
            let m = self.cmp(FloatCC::LessThan, x, lo);
            x = self.sel(m, lo, x);
        }
        if let Some(hi) = hi {
            let hi = self.k(hi);
            // `hi < x ? hi : x` (not `x > hi`): the form Cranelift lowers to one `minps`.
            let m = self.cmp(FloatCC::LessThan, hi, x);
            x = self.sel(m, hi, x);
        }
        x
    }
    /// `|x| < tiny ? x : r`, where `f(x) = x` to within half an ulp for such `x`.
    fn tiny_passthrough(&mut self, ax: Value, x: Value, r: Value) -> Value {
        let tiny = self.k(self.f.p(2f64.powi(-26), 2f64.powi(-55)));
        let m = self.cmp(FloatCC::LessThan, ax, tiny);
        self.sel(m, x, r)
    }

    // --- integer views ---
    fn ibits(&mut self, v: Value) -> Value {
        self.b.ins().bitcast(self.f.ity, MemFlagsData::new(), v)
    }
    fn fbits(&mut self, v: Value) -> Value {
        self.b.ins().bitcast(self.f.ty, MemFlagsData::new(), v)
    }
    fn iaddk(&mut self, v: Value, c: i64) -> Value {
        let c = self.ik(c);
        self.b.ins().iadd(v, c)
    }
    fn ushrk(&mut self, v: Value, s: i64) -> Value {
        let s = self.b.ins().iconst(types::I32, s);
        self.b.ins().ushr(v, s)
    }
    fn ishlk(&mut self, v: Value, s: i64) -> Value {
        let s = self.b.ins().iconst(types::I32, s);
        self.b.ins().ishl(v, s)
    }
    /// Bits of the magic constant `1.5·2^p` used to round to an integer.
    fn magic(&self) -> (f64, i64) {
        if self.f.double {
            (6755399441055744.0, 0x4338_0000_0000_0000)
        } else {
            (12582912.0, 0x4B40_0000)
        }
    }

    // --- pow ---

    /// `x^y` (float64 types): `e^(y·log|x|)`, its sign `x`'s where `y` is an
    /// odd integer, and IEEE `pow`'s special values patched with selects.
    fn pow(&mut self, x: Value, y: Value) -> Value {
        let ax = self.abs(x);
        let l = self.log_core(ax, None, true, true);
        let t = self.mul(y, l);
        let r = self.exp_core(t, 0, true, true);
        // Integer-ness and parity of y by rounding (|y| + 2^52) - 2^52; every
        // float64 of magnitude 2^52 or more (and ±inf) is an integer, and from
        // 2^53 on an even one.
        let ay = self.abs(y);
        let is_int = self.is_integer(ay);
        let half = self.k(0.5);
        let hy = self.mul(ay, half);
        let half_is_int = self.is_integer(hy);
        let odd = self.b.ins().band_not(is_int, half_is_int);
        let signed = self.copy_sign_of(r, x);
        let r = self.sel(odd, signed, r);
        // A negative finite base to a non-integer power has no real value.
        let zero = self.k(0.0);
        let neg_inf = self.k(f64::NEG_INFINITY);
        let negative = self.cmp(FloatCC::LessThan, x, zero);
        let finite = self.cmp(FloatCC::GreaterThan, x, neg_inf);
        let negative_finite = self.b.ins().band(negative, finite);
        let no_value = self.b.ins().band_not(negative_finite, is_int);
        let nan = self.k(f64::NAN);
        let r = self.sel(no_value, nan, r);
        // (±1)^(±inf) = 1, where y·log|x| is ∞·0; 1^y = 1 and x^0 = 1 for
        // every y and x, NaN included.
        let one = self.k(1.0);
        let inf = self.k(f64::INFINITY);
        let unit_base = self.cmp(FloatCC::Equal, ax, one);
        let inf_exp = self.cmp(FloatCC::Equal, ay, inf);
        let unit_to_inf = self.b.ins().band(unit_base, inf_exp);
        let base_one = self.cmp(FloatCC::Equal, x, one);
        let exp_zero = self.cmp(FloatCC::Equal, y, zero);
        let one_cases = self.b.ins().bor(base_one, exp_zero);
        let one_cases = self.b.ins().bor(one_cases, unit_to_inf);
        self.sel(one_cases, one, r)
    }

    /// Is `a ≥ 0` (float64 types) an integer? A mask; false for NaN.
    fn is_integer(&mut self, a: Value) -> Value {
        let two52 = self.k(2f64.powi(52));
        let up = self.add(a, two52);
        let rounded = self.sub(up, two52);
        let exact = self.cmp(FloatCC::Equal, rounded, a);
        let huge = self.cmp(FloatCC::GreaterThanOrEqual, a, two52);
        self.b.ins().bor(exact, huge)
    }

    // --- exp family ---

    /// Shared reduction: clamps `x`, returns `(t, p)` where `bits(t) = bits(magic) + n`,
    /// `p = e^r - 1` and `x = n·ln2 + r`.
    fn exp_reduce(
        &mut self,
        x: Value,
        lo: Option<f64>,
        hi: Option<f64>,
        precise: bool,
    ) -> (Value, Value) {
        if precise {
            let (t, r, tail) = self.exp_reduce_parts(x, lo, hi);
            let p = self.add(r, tail);
            return (t, p);
        }
        let x = self.clamp(x, lo, hi);
        let (magic, _) = self.magic();
        let magic_v = self.k(magic);
        let t = self.maddk(x, LOG2E, magic_v);
        let nf = self.sub(t, magic_v);
        let (hi_c, lo_c) = if self.f.double {
            (LN2_HI_F64, LN2_LO_F64)
        } else {
            (LN2_HI_F32, LN2_LO_F32)
        };
        let r_hi = self.maddk(nf, -hi_c, x); // exact
        let r = self.maddk(nf, -lo_c, r_hi);
        let q = if self.f.double {
            self.horner(r, &EXP_Q_F64)
        } else {
            self.horner(r, &EXP_Q_F32)
        };
        let r2 = self.mul(r, r);
        let p = self.madd(r2, q, r);
        (t, p)
    }

    /// Like `exp_reduce`, but returns `e^r - 1` as the unevaluated sum `r + tail`, with the
    /// rounding error of the reduction (c = r_hi - n·ln2_lo - r) folded into `tail`. This
    /// matters when the result is later scaled by 2^n and added to 2^n ± 1 (expm1 family).
    fn exp_reduce_parts(
        &mut self,
        x: Value,
        lo: Option<f64>,
        hi: Option<f64>,
    ) -> (Value, Value, Value) {
        let x = self.clamp(x, lo, hi);
        let (magic, _) = self.magic();
        let magic_v = self.k(magic);
        let t = self.maddk(x, LOG2E, magic_v);
        let nf = self.sub(t, magic_v);
        let (hi_c, lo_c) = if self.f.double {
            (LN2_HI_F64, LN2_LO_F64)
        } else {
            (LN2_HI_F32, LN2_LO_F32)
        };
        let r_hi = self.maddk(nf, -hi_c, x); // exact
        let r = self.maddk(nf, -lo_c, r_hi);
        let q = if self.f.double {
            self.horner(r, &EXP_Q_F64)
        } else {
            self.horner(r, &EXP_Q_F32)
        };
        let r2 = self.mul(r, r);
        let d = self.sub(r_hi, r);
        let c = self.maddk(nf, -lo_c, d);
        let tail = self.madd(r2, q, c);
        (t, r, tail)
    }

    /// `e^x · 2^offset` with gradual underflow and overflow to inf.
    fn exp_core(&mut self, x: Value, offset: i64, clamp_lo: bool, clamp_hi: bool) -> Value {
        let lo = clamp_lo.then(|| self.f.p(-110.0, -760.0));
        let hi = clamp_hi.then(|| self.f.p(100.0, 720.0));
        let (t, p) = self.exp_reduce(x, lo, hi, false);
        let one = self.k(1.0);
        let y = self.add(p, one);
        let (s1, s2) = self.scale2(t, offset);
        let y = self.mul(y, s1);
        self.mul(y, s2)
    }

    /// `(2^⌊N/2⌋, 2^⌈N/2⌉)` with `N = n + offset`, both normal numbers.
    fn scale2(&mut self, t: Value, offset: i64) -> (Value, Value) {
        let (_, magic_bits) = self.magic();
        let bias = self.f.bias();
        let ti = self.ibits(t);
        let a = self.iaddk(ti, 2 * bias + offset - magic_bits); // N + 2·bias ≥ 0
        let h = self.ushrk(a, 1); // floor(N/2) + bias
        let h2 = self.b.ins().isub(a, h); // ceil(N/2) + bias
        let mant = self.f.mant();
        let e1 = self.ishlk(h, mant);
        let e2 = self.ishlk(h2, mant);
        let s1 = self.fbits(e1);
        let s2 = self.fbits(e2);
        (s1, s2)
    }

    /// `2^(n - k)` as a single (normal) number.
    fn scale1(&mut self, t: Value, k: i64) -> Value {
        let (_, magic_bits) = self.magic();
        let bias = self.f.bias();
        let ti = self.ibits(t);
        let e = self.iaddk(ti, bias - k - magic_bits); // biased exponent of 2^(n-k)
        let mant = self.f.mant();
        let sb = self.ishlk(e, mant);
        self.fbits(sb)
    }

    /// `(e^x - 1) / 2^k`, `k ∈ {1, 2}`; accurate near 0, overflows to inf only where the true
    /// value does.
    fn expm1_core(&mut self, x: Value, k: i64, clamp_lo: bool, clamp_hi: bool) -> Value {
        let lo = clamp_lo.then(|| self.f.p(-30.0, -60.0));
        let hi = match k {
            1 => self.f.p(88.8, 709.9),
            2 => self.f.p(89.5, 710.6),
            _ => unreachable!(),
        };
        let hi = clamp_hi.then_some(hi);
        let (t, p) = self.exp_reduce(x, lo, hi, true);
        let s = self.scale1(t, k);
        let inv = self.k(0.5f64.powi(k as i32));
        let sm = self.sub(s, inv);
        self.madd(s, p, sm)
    }

    // --- log family ---

    /// `log1p(x)` for `x ∈ [0, 1]` or NaN. `1 + x = 2^k·(1 + f)` needs no
    /// bit manipulation here: below `√2 - 1`, `k = 0` and `f = x` exactly;
    /// above, `k = 1` and `f = (x - 1)/2` (one rounding, of a number at most
    /// 0.3 in size, against a result of at least 0.34). NaN stays NaN through
    /// `f`.
    fn log1p_unit(&mut self, x: Value) -> Value {
        let fm = self.f;
        let lim = self.k(fm.p(
            std::f32::consts::SQRT_2 as f64 - 1.0,
            std::f64::consts::SQRT_2 - 1.0,
        ));
        let high = self.cmp(FloatCC::GreaterThanOrEqual, x, lim);
        let one = self.k(1.0);
        let half = self.k(0.5);
        let xm1 = self.sub(x, one);
        let fh = self.mul(xm1, half);
        let f = self.sel(high, fh, x);
        let zero = self.k(0.0);
        let kf = self.sel(high, one, zero);
        self.log_poly(f, kf, None)
    }

    /// `log(2^k·(1 + f))` for `f ∈ [√½ - 1, √2 - 1)` given as the float `kf`,
    /// plus an optional correction `cu` (added with the low part of `k·ln2`).
    fn log_poly(&mut self, f: Value, kf: Value, cu: Option<Value>) -> Value {
        let fm = self.f;
        let two = self.k(2.0);
        let half = self.k(0.5);
        let d = self.add(f, two);
        let s = self.div(f, d);
        let z = self.mul(s, s);
        let pz = if fm.double {
            self.horner(z, &LOG_P_F64)
        } else {
            self.horner(z, &LOG_P_F32)
        };
        let r = self.mul(z, pz);
        let hf = self.mul(f, half);
        let hfsq = self.mul(hf, f);
        let (hi_c, lo_c) = if fm.double {
            (LN2_HI_F64, LN2_LO_F64)
        } else {
            (LN2_HI_F32, LN2_LO_F32)
        };
        // lo = k·ln2_lo (+ c/u)
        let lo = match cu {
            Some(c) => self.maddk(kf, lo_c, c),
            None => {
                let l = self.k(lo_c);
                self.mul(kf, l)
            }
        };
        let hr = self.add(hfsq, r);
        let a1 = self.madd(s, hr, lo);
        let a2 = self.sub(hfsq, a1);
        let a3 = self.sub(f, a2); // log(m) - k·ln2_lo-part
        self.maddk(kf, hi_c, a3)
    }

    /// `log(u)`, or with `corr = Some((x, cu))`, `log1p(x)` where `u = 1 + x` rounded and
    /// `cu = ((1 + x) - u)/u` is the first-order correction. As in fdlibm, where `k = 0`
    /// `f = u - 1` is replaced by `x` itself (exact) and the correction dropped.
    fn log_core(
        &mut self,
        u: Value,
        corr: Option<(Value, Value)>,
        subnormal: bool,
        specials: bool,
    ) -> Value {
        let fm = self.f;
        let mut v = u;
        let mut kadj = None;
        if subnormal {
            let sc = fm.p(24.0, 54.0);
            let min_normal = self.k(fm.p(f32::MIN_POSITIVE as f64, f64::MIN_POSITIVE));
            let m = self.cmp(FloatCC::LessThan, u, min_normal);
            let scale = self.k(2f64.powf(sc));
            let scaled = self.mul(u, scale);
            v = self.sel(m, scaled, u);
            let sc_v = self.k(sc);
            let zero = self.k(0.0);
            kadj = Some(self.sel(m, sc_v, zero));
        }
        let (one_minus_sqrth, sqrth, mant_mask, kmagic_bits, kmagic) = if fm.double {
            (
                0x3ff0_0000_0000_0000i64 - 0x3fe6_a09e_0000_0000,
                0x3fe6_a09e_0000_0000i64,
                0x000f_ffff_ffff_ffffi64,
                0x4330_0000_0000_0000i64,
                4503599627370496.0 + 1023.0,
            )
        } else {
            (
                0x3f80_0000 - 0x3f35_04f3,
                0x3f35_04f3,
                0x007f_ffff,
                0x4b00_0000,
                8388608.0 + 127.0,
            )
        };
        let vi = self.ibits(v);
        let ix = self.iaddk(vi, one_minus_sqrth);
        // k as a float: biased exponent OR-ed into the mantissa of 2^p, minus (2^p + bias).
        let eb = self.ushrk(ix, fm.mant());
        let kmb = self.ik(kmagic_bits);
        let kbits = self.b.ins().bor(eb, kmb);
        let kf0 = self.fbits(kbits);
        let kmv = self.k(kmagic);
        let mut kf = self.sub(kf0, kmv);
        if let Some(ka) = kadj {
            kf = self.sub(kf, ka);
        }
        let mm = self.ik(mant_mask);
        let mi = self.b.ins().band(ix, mm);
        let mi = self.iaddk(mi, sqrth);
        let m = self.fbits(mi); // ∈ [√½, √2)
        let one = self.k(1.0);
        let mut f = self.sub(m, one);
        let mut cu = None;
        if let Some((x, c)) = corr {
            let zero = self.k(0.0);
            let k0 = self.cmp(FloatCC::Equal, kf, zero);
            f = self.sel(k0, x, f);
            cu = Some(self.sel(k0, zero, c));
        }
        let mut res = self.log_poly(f, kf, cu);
        if specials {
            let zero = self.k(0.0);
            let nan = self.k(f64::NAN);
            let ninf = self.k(f64::NEG_INFINITY);
            let inf = self.k(f64::INFINITY);
            let m = self.cmp(FloatCC::UnorderedOrLessThan, u, zero);
            res = self.sel(m, nan, res);
            let m = self.cmp(FloatCC::Equal, u, zero);
            res = self.sel(m, ninf, res);
            let m = self.cmp(FloatCC::Equal, u, inf);
            res = self.sel(m, inf, res);
        }
        res
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use cranelift_codegen::Context;
    use cranelift_codegen::ir::AbiParam;
    use cranelift_codegen::ir::condcodes::IntCC;
    use cranelift_codegen::settings::{self, Configurable};
    use cranelift_frontend::FunctionBuilderContext;
    use cranelift_jit::{JITBuilder, JITModule};
    use cranelift_module::{FuncId, Module, default_libcall_names};

    pub(crate) type Emit = fn(&mut FunctionBuilder, &MathOptions, Value) -> Value;

    const FUNCS: [(&str, Emit); 13] = [
        ("exp", exp),
        ("expm1", expm1),
        ("log", log),
        ("log1p", log1p),
        ("tanh", tanh),
        ("sigmoid", sigmoid),
        ("softplus", softplus),
        ("cosh", cosh),
        ("sinh", sinh),
        ("abs", abs),
        ("neg", neg),
        ("sign", sign),
        ("relu", relu),
    ];
    const TYPES: [Type; 4] = [types::F32, types::F32X4, types::F64, types::F64X2];

    fn emitter(name: &str) -> Emit {
        FUNCS.iter().find(|(n, _)| *n == name).unwrap().1
    }

    // ----------------------------------------------------------------------------------------
    // JIT harness: `extern "C" fn(x: *const T, y: *mut T, n: usize)` mapping `y[i] = f(x[i])`.

    pub(crate) struct Jit {
        module: JITModule,
        ctx: Context,
        fctx: FunctionBuilderContext,
        /// Loop shape: `brif(i < n, body, exit)` (constants stay in the loop, as memory
        /// operands) instead of `brif(i >= n, exit, body)` (constants hoisted).
        body_first: bool,
    }

    impl Jit {
        pub(crate) fn new() -> Jit {
            let mut flags = settings::builder();
            flags.set("opt_level", "speed").unwrap();
            flags.set("is_pic", "false").unwrap();
            let isa = cranelift_native::builder()
                .unwrap()
                .finish(settings::Flags::new(flags))
                .unwrap();
            let module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
            let ctx = module.make_context();
            Jit {
                module,
                ctx,
                fctx: FunctionBuilderContext::new(),
                body_first: false,
            }
        }

        pub(crate) fn has_fma(&self) -> bool {
            self.module.isa().has_native_fma()
        }

        /// Option sets to test: without fma always, with fma when the host has it.
        fn option_sets(&self) -> Vec<MathOptions> {
            let mut v = vec![MathOptions { fma: false }];
            if self.has_fma() {
                v.push(MathOptions { fma: true });
            }
            v
        }

        fn build_body(&mut self, ty: Type, f: Emit, o: &MathOptions) {
            let cfg = self.module.target_config();
            let ptr = cfg.pointer_type();
            let mut sig = self.module.make_signature();
            for _ in 0..3 {
                sig.params.push(AbiParam::new(ptr));
            }
            self.ctx.func.signature = sig;
            let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
            let entry = b.create_block();
            let header = b.create_block();
            let body = b.create_block();
            let exit = b.create_block();
            b.append_block_params_for_function_params(entry);
            b.switch_to_block(entry);
            let (xp, yp, n) = {
                let p = b.block_params(entry);
                (p[0], p[1], p[2])
            };
            let i = b.declare_var(ptr);
            let zero = b.ins().iconst(ptr, 0);
            b.def_var(i, zero);
            b.ins().jump(header, &[]);
            b.switch_to_block(header);
            let iv = b.use_var(i);
            if self.body_first {
                let more = b.ins().icmp(IntCC::UnsignedLessThan, iv, n);
                b.ins().brif(more, body, &[], exit, &[]);
            } else {
                let done = b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, iv, n);
                b.ins().brif(done, exit, &[], body, &[]);
            }
            b.switch_to_block(body);
            let size = ty.lane_type().bytes() as i64;
            let off = b.ins().imul_imm_s(iv, size);
            let xa = b.ins().iadd(xp, off);
            let ya = b.ins().iadd(yp, off);
            let x = b.ins().load(ty, MemFlagsData::new(), xa, 0);
            let y = f(&mut b, o, x);
            b.ins().store(MemFlagsData::new(), y, ya, 0);
            let next = b.ins().iadd_imm_s(iv, ty.lane_count() as i64);
            b.def_var(i, next);
            b.ins().jump(header, &[]);
            b.switch_to_block(exit);
            b.ins().return_(&[]);
            b.seal_all_blocks();
            b.finalize(cfg);
        }

        pub(crate) fn compile(&mut self, ty: Type, f: Emit, o: &MathOptions) -> FuncId {
            self.build_body(ty, f, o);
            let sig = self.ctx.func.signature.clone();
            let id = self.module.declare_anonymous_function(&sig).unwrap();
            self.module.define_function(id, &mut self.ctx).unwrap();
            self.module.clear_context(&mut self.ctx);
            id
        }

        pub(crate) fn finish(&mut self) {
            self.module.finalize_definitions().unwrap();
        }

        pub(crate) fn free(self) {
            // SAFETY: called last, after every use of the compiled functions.
            unsafe { self.module.free_memory() }
        }

        fn run32(&self, id: FuncId, lanes: usize, xs: &[f32]) -> Vec<f32> {
            let mut x = xs.to_vec();
            while !x.len().is_multiple_of(lanes) {
                x.push(1.0);
            }
            let mut y = vec![0.0f32; x.len()];
            let p = self.module.get_finalized_function(id);
            // SAFETY: `p` was compiled from `build_body` with this signature, and the length
            // is a multiple of the lane count.
            let f: extern "C" fn(*const f32, *mut f32, usize) = unsafe { std::mem::transmute(p) };
            f(x.as_ptr(), y.as_mut_ptr(), x.len());
            y.truncate(xs.len());
            y
        }

        fn run64(&self, id: FuncId, lanes: usize, xs: &[f64]) -> Vec<f64> {
            let mut x = xs.to_vec();
            while !x.len().is_multiple_of(lanes) {
                x.push(1.0);
            }
            let mut y = vec![0.0f64; x.len()];
            let p = self.module.get_finalized_function(id);
            // SAFETY: as in `run32`.
            let f: extern "C" fn(*const f64, *mut f64, usize) = unsafe { std::mem::transmute(p) };
            f(x.as_ptr(), y.as_mut_ptr(), x.len());
            y.truncate(xs.len());
            y
        }

        /// Run the kernel of type `ty` on `xs` (given as f64, rounded to f32 for the f32 types);
        /// results returned as f64.
        pub(crate) fn run(&self, id: FuncId, ty: Type, xs: &[f64]) -> Vec<f64> {
            let lanes = ty.lane_count() as usize;
            if ty.lane_type() == types::F32 {
                let x: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
                self.run32(id, lanes, &x)
                    .into_iter()
                    .map(f64::from)
                    .collect()
            } else {
                self.run64(id, lanes, xs)
            }
        }
    }

    /// Compiles `names` for all four types and every option set.
    fn compile_all(jit: &mut Jit, names: &[&str]) -> Vec<(String, Type, MathOptions, FuncId)> {
        let mut out = Vec::new();
        for o in jit.option_sets() {
            for &name in names {
                for ty in TYPES {
                    let id = jit.compile(ty, emitter(name), &o);
                    out.push((name.to_string(), ty, o, id));
                }
            }
        }
        jit.finish();
        out
    }

    // ----------------------------------------------------------------------------------------
    // Double-double reference (~100 bits).

    #[derive(Clone, Copy, Debug)]
    pub(crate) struct DD {
        pub(crate) hi: f64,
        pub(crate) lo: f64,
    }

    fn two_sum(a: f64, b: f64) -> DD {
        let s = a + b;
        let bb = s - a;
        DD {
            hi: s,
            lo: (a - (s - bb)) + (b - bb),
        }
    }

    fn fast2(a: f64, b: f64) -> DD {
        let s = a + b;
        DD {
            hi: s,
            lo: b - (s - a),
        }
    }

    impl DD {
        fn n(x: f64) -> DD {
            DD { hi: x, lo: 0.0 }
        }
        fn add(self, o: DD) -> DD {
            let s = two_sum(self.hi, o.hi);
            let t = two_sum(self.lo, o.lo);
            let u = fast2(s.hi, s.lo + t.hi);
            fast2(u.hi, u.lo + t.lo)
        }
        fn neg(self) -> DD {
            DD {
                hi: -self.hi,
                lo: -self.lo,
            }
        }
        fn sub(self, o: DD) -> DD {
            self.add(o.neg())
        }
        fn mul(self, o: DD) -> DD {
            let p = self.hi * o.hi;
            let e = self.hi.mul_add(o.hi, -p);
            fast2(p, e + (self.hi * o.lo + self.lo * o.hi))
        }
        fn div(self, o: DD) -> DD {
            let q1 = self.hi / o.hi;
            let r = self.sub(o.mul(DD::n(q1)));
            let q2 = r.hi / o.hi;
            let r = r.sub(o.mul(DD::n(q2)));
            let q3 = r.hi / o.hi;
            fast2(q1, q2).add(DD::n(q3))
        }
        /// Multiply by a power of two (exact while in the normal range).
        fn scale(self, s: f64) -> DD {
            DD {
                hi: self.hi * s,
                lo: self.lo * s,
            }
        }
        fn ldexp(self, mut e: i32) -> DD {
            let mut s = self;
            while e > 600 {
                s = s.scale(2f64.powi(600));
                e -= 600;
            }
            while e < -600 {
                s = s.scale(2f64.powi(-600));
                e += 600;
            }
            s.scale(2f64.powi(e))
        }
    }

    const LN2: DD = DD {
        hi: std::f64::consts::LN_2,
        lo: 2.3190468138462996e-17,
    };

    /// `e^x · 2^extra`.
    fn exp_dd(x: f64, extra: i32) -> DD {
        if x == f64::INFINITY {
            return DD::n(f64::INFINITY);
        }
        if x == f64::NEG_INFINITY {
            return DD::n(0.0);
        }
        let n = (x * std::f64::consts::LOG2_E).round();
        let r = DD::n(x).sub(LN2.mul(DD::n(n))).scale(1.0 / 1024.0);
        let mut s = DD::n(1.0);
        let mut term = DD::n(1.0);
        for k in 1..=10 {
            term = term.mul(r).div(DD::n(k as f64));
            s = s.add(term);
        }
        for _ in 0..10 {
            s = s.mul(s);
        }
        s.ldexp(n as i32 + extra)
    }

    fn expm1_dd(x: f64) -> DD {
        if x.abs() < 0.25 {
            let mut s = DD::n(0.0);
            let mut term = DD::n(1.0);
            for k in 1..=24 {
                term = term.mul(DD::n(x)).div(DD::n(k as f64));
                s = s.add(term);
            }
            s
        } else {
            exp_dd(x, 0).sub(DD::n(1.0))
        }
    }

    /// `ln a` for `a.hi` positive normal: one Newton step from the f64 logarithm.
    fn ln_dd(a: DD) -> DD {
        // Start from log1p near 1, so that the Newton step's quadratic error stays negligible
        // relative to a tiny result.
        if (0.5..=2.0).contains(&a.hi) {
            let t = two_sum(a.hi - 1.0, a.lo);
            if t.hi.abs() < 1e-10 {
                return t.sub(t.mul(t).scale(0.5)); // log1p(t) = t - t²/2 + O(t³)
            }
        }
        let y0 = if (0.5..=2.0).contains(&a.hi) {
            ((a.hi - 1.0) + a.lo).ln_1p()
        } else {
            a.hi.ln()
        };
        let e = exp_dd(y0, 0);
        DD::n(y0).add(a.sub(e).div(e))
    }

    pub(crate) fn reference(name: &str, x: f64) -> DD {
        let ax = x.abs();
        let sgn = |d: DD| if x < 0.0 { d.neg() } else { d };
        match name {
            "exp" => exp_dd(x, 0),
            "expm1" => expm1_dd(x),
            "log" => {
                if x < f64::MIN_POSITIVE {
                    ln_dd(DD::n(x * 2f64.powi(54))).sub(LN2.mul(DD::n(54.0)))
                } else {
                    ln_dd(DD::n(x))
                }
            }
            "log1p" => ln_dd(two_sum(1.0, x)),
            "tanh" => {
                if ax > 40.0 {
                    return sgn(DD::n(1.0));
                }
                let em = expm1_dd(2.0 * ax);
                sgn(em.div(em.add(DD::n(2.0))))
            }
            "sigmoid" => {
                let e = exp_dd(-ax, 0);
                let den = DD::n(1.0).add(e);
                if x >= 0.0 {
                    DD::n(1.0).div(den)
                } else {
                    e.div(den)
                }
            }
            "softplus" => {
                let e = exp_dd(-ax, 0);
                DD::n(x.max(0.0)).add(ln_dd(DD::n(1.0).add(e)))
            }
            "cosh" => {
                let big = exp_dd(ax, -1);
                big.add(DD::n(0.25).div(big))
            }
            "sinh" => {
                if ax < 1.0 {
                    let em = expm1_dd(ax);
                    sgn(em.add(em.div(em.add(DD::n(1.0)))).scale(0.5))
                } else {
                    let big = exp_dd(ax, -1);
                    sgn(big.sub(DD::n(0.25).div(big)))
                }
            }
            _ => unreachable!(),
        }
    }

    /// Error of `y` in ulps of the exact result `r` for a format with `p` significant bits
    /// and minimum normal exponent `emin`.
    pub(crate) fn ulp_err(y: f64, r: DD, double: bool) -> f64 {
        let (p, emin, max) = if double {
            (53, -1022, f64::MAX)
        } else {
            (24, -126, f32::MAX as f64)
        };
        if r.hi.abs() > max * (1.0 + 2f64.powi(-p - 1)) {
            // Overflows in this format (beyond the rounding boundary).
            return if y == f64::INFINITY.copysign(r.hi) {
                0.0
            } else {
                f64::INFINITY
            };
        }
        if !y.is_finite() {
            return f64::INFINITY;
        }
        let d = (y - r.hi) - r.lo;
        let e = if r.hi == 0.0 {
            emin
        } else {
            (((r.hi.abs().to_bits() >> 52) & 0x7ff) as i32 - 1023).max(emin)
        };
        d.abs() / pow2(e - p + 1)
    }

    /// `2^k` for `k ≥ -1074`, exact (`powi` underflows in its reciprocal for tiny `k`).
    fn pow2(k: i32) -> f64 {
        if k >= -1022 {
            f64::from_bits(((k + 1023) as u64) << 52)
        } else {
            f64::from_bits(1u64 << (k + 1074))
        }
    }

    // ----------------------------------------------------------------------------------------
    // Inputs

    pub(crate) struct Rng(pub(crate) u64);
    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub(crate) fn unif(&mut self) -> f64 {
            (self.next() >> 11) as f64 * 2f64.powi(-53)
        }
    }

    fn lin(v: &mut Vec<f64>, a: f64, b: f64, n: usize) {
        v.extend((0..n).map(|i| a + (b - a) * i as f64 / (n - 1) as f64));
    }
    /// `±2^u`, `u` uniform on `[e0, e1]` (both signs when `sym`).
    fn logs(v: &mut Vec<f64>, e0: f64, e1: f64, n: usize, sym: bool) {
        for i in 0..n {
            let x = 2f64.powf(e0 + (e1 - e0) * i as f64 / (n - 1) as f64);
            v.push(x);
            if sym {
                v.push(-x);
            }
        }
    }
    fn rand(v: &mut Vec<f64>, rng: &mut Rng, a: f64, b: f64, n: usize) {
        v.extend((0..n).map(|_| a + (b - a) * rng.unif()));
    }
    /// Random finite positive numbers of the format, uniform in the bit pattern.
    fn rand_bits(v: &mut Vec<f64>, rng: &mut Rng, double: bool, n: usize) {
        for _ in 0..n {
            let x = if double {
                f64::from_bits(rng.next() % 0x7ff0_0000_0000_0000)
            } else {
                f32::from_bits((rng.next() % 0x7f80_0000) as u32) as f64
            };
            v.push(x);
        }
    }

    /// Test inputs for `name` in double (`double`) or single precision, covering the range
    /// where the result is a normal number.
    pub(crate) fn inputs(name: &str, double: bool, n: usize) -> Vec<f64> {
        let mut v = Vec::new();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
        let p = |a: f64, b: f64| if double { b } else { a };
        match name {
            "exp" => {
                let (lo, hi) = (p(-87.3, -708.3), p(88.72, 709.78));
                lin(&mut v, lo, hi, n);
                rand(&mut v, &mut rng, lo, hi, n);
                logs(&mut v, -40.0, 1.0, n / 4, true);
                rand(&mut v, &mut rng, -1.0, 1.0, n / 2);
            }
            "expm1" => {
                let (lo, hi) = (p(-20.0, -40.0), p(88.72, 709.78));
                lin(&mut v, lo, hi, n);
                rand(&mut v, &mut rng, -2.0, 2.0, n);
                logs(&mut v, -60.0, 2.0, n / 2, true);
            }
            "log" => {
                rand_bits(&mut v, &mut rng, double, n);
                lin(&mut v, 0.5, 2.0, n);
                rand(&mut v, &mut rng, 0.9, 1.1, n / 2);
                logs(&mut v, p(-149.0, -1074.0), p(127.9, 1023.9), n / 2, false);
            }
            "log1p" => {
                lin(&mut v, -0.999, 3.0, n);
                logs(&mut v, -60.0, -0.001, n / 2, true);
                logs(&mut v, 0.0, p(127.0, 1023.0), n / 4, false);
                rand(&mut v, &mut rng, -0.5, 0.5, n);
                for k in 1..if double { 53 } else { 24 } {
                    v.push(-1.0 + 2f64.powi(-k));
                }
            }
            "tanh" => {
                lin(&mut v, -10.0, 10.0, n);
                logs(&mut v, -60.0, 4.5, n / 2, true);
                rand(&mut v, &mut rng, -1.0, 1.0, n);
            }
            "sigmoid" => {
                let (lo, hi) = (p(-87.0, -708.0), p(30.0, 40.0));
                lin(&mut v, lo, hi, n);
                logs(&mut v, -60.0, 3.0, n / 2, true);
                rand(&mut v, &mut rng, -20.0, 20.0, n);
            }
            "softplus" => {
                let (lo, hi) = (p(-87.0, -708.0), p(100.0, 1000.0));
                lin(&mut v, lo, hi, n);
                logs(&mut v, -60.0, 3.0, n / 2, true);
                rand(&mut v, &mut rng, -20.0, 20.0, n);
            }
            "cosh" | "sinh" => {
                let hi = p(89.41, 710.47);
                lin(&mut v, -hi, hi, n);
                logs(&mut v, -60.0, 3.0, n / 2, true);
                rand(&mut v, &mut rng, -3.0, 3.0, n);
            }
            _ => unreachable!(),
        }
        if !double {
            // Round to f32 now so that the reference sees the same argument.
            for x in &mut v {
                *x = *x as f32 as f64;
            }
        }
        v
    }

    const ACCURACY_FUNCS: [&str; 9] = [
        "exp", "expm1", "log", "log1p", "tanh", "sigmoid", "softplus", "cosh", "sinh",
    ];

    /// Max ulp error of every function × type × option set over `inputs(.., n)`; panics
    /// above `bound`.
    fn accuracy(double: bool, bound: f64, n: usize) {
        let mut jit = Jit::new();
        let kernels = compile_all(&mut jit, &ACCURACY_FUNCS);
        let mut report = String::new();
        let mut failures = Vec::new();
        for name in ACCURACY_FUNCS {
            let xs = inputs(name, double, n);
            let refs: Vec<DD> = xs.iter().map(|&x| reference(name, x)).collect();
            for (kname, ty, o, id) in &kernels {
                if kname != name || (ty.lane_type() == types::F64) != double {
                    continue;
                }
                let ys = jit.run(*id, *ty, &xs);
                let (mut worst, mut at) = (0.0f64, 0.0f64);
                for ((&x, &y), &r) in xs.iter().zip(&ys).zip(&refs) {
                    let tiny = if double {
                        f64::MIN_POSITIVE
                    } else {
                        f32::MIN_POSITIVE as f64
                    };
                    if r.hi != 0.0 && r.hi.abs() < tiny {
                        continue; // subnormal result: outside the normal range
                    }
                    let e = ulp_err(y, r, double);
                    if e.is_nan() || e > worst {
                        worst = e;
                        at = x;
                    }
                }
                report += &format!(
                    "{name:>8} {:>5} fma={:<5} max {worst:.3} ulp at {at:e}\n",
                    ty.to_string(),
                    o.fma
                );
                if worst.is_nan() || worst > bound {
                    failures.push(format!("{name} {ty} fma={}: {worst} ulp at {at:e}", o.fma));
                }
            }
        }
        eprintln!("{report}");
        jit.free();
        assert!(
            failures.is_empty(),
            "accuracy bound {bound} exceeded: {failures:#?}"
        );
    }

    #[test]
    fn accuracy_f32() {
        accuracy(false, 2.0, 20_000);
    }

    #[test]
    fn accuracy_f64() {
        accuracy(true, 2.0, 20_000);
    }

    /// The accuracy tests with 25× more arguments (about 1.5 M per function and precision,
    /// ~1 min). Run with `cargo test --release -- --ignored --nocapture stress`.
    #[test]
    #[ignore]
    fn stress_f32() {
        accuracy(false, 2.0, 500_000);
    }

    #[test]
    #[ignore]
    fn stress_f64() {
        accuracy(true, 2.0, 500_000);
    }

    // ----------------------------------------------------------------------------------------
    // Special values

    #[derive(Clone, Copy, Debug)]
    pub(crate) enum Want {
        /// Equal, and the same sign for zeros.
        Is(f64),
        Nan,
        /// Within 2 ulps of the reference (1 ulp of the subnormal grid for tiny results).
        Ref,
    }
    use Want::*;

    /// `(function, x, expected, precision filter: None both, Some(double))`.
    pub(crate) fn special_cases() -> Vec<(&'static str, f64, Want, Option<bool>)> {
        let inf = f64::INFINITY;
        let nan = f64::NAN;
        let mut v = vec![
            ("exp", -inf, Is(0.0), None),
            ("exp", inf, Is(inf), None),
            ("exp", nan, Nan, None),
            ("exp", 0.0, Is(1.0), None),
            ("exp", -0.0, Is(1.0), None),
            ("exp", 1e4, Is(inf), None),
            ("exp", -1e4, Is(0.0), None),
            ("exp", 88.73, Is(inf), Some(false)),
            ("exp", 88.72, Ref, Some(false)),
            ("exp", -87.0, Ref, Some(false)),
            ("exp", -100.0, Ref, Some(false)), // subnormal result
            ("exp", -103.2, Ref, Some(false)),
            ("exp", -104.0, Is(0.0), Some(false)),
            ("exp", 709.79, Is(inf), Some(true)),
            ("exp", 709.78, Ref, Some(true)),
            ("exp", -740.0, Ref, Some(true)), // subnormal result
            ("exp", -745.0, Ref, Some(true)),
            ("exp", -745.2, Is(0.0), Some(true)),
            ("expm1", -inf, Is(-1.0), None),
            ("expm1", inf, Is(inf), None),
            ("expm1", nan, Nan, None),
            ("expm1", 0.0, Is(0.0), None),
            ("expm1", -0.0, Is(-0.0), None),
            ("expm1", 1e-30, Is(1e-30), Some(false)),
            ("expm1", 1e-300, Is(1e-300), Some(true)),
            ("expm1", 1e4, Is(inf), None),
            ("expm1", -1e4, Is(-1.0), None),
            ("expm1", 88.73, Is(inf), Some(false)),
            ("expm1", 88.72, Ref, Some(false)),
            ("expm1", 709.79, Is(inf), Some(true)),
            ("expm1", 709.78, Ref, Some(true)),
            ("log", 0.0, Is(-inf), None),
            ("log", -0.0, Is(-inf), None),
            ("log", -1.0, Nan, None),
            ("log", -inf, Nan, None),
            ("log", -1e-40, Nan, None),
            ("log", inf, Is(inf), None),
            ("log", nan, Nan, None),
            ("log", 1.0, Is(0.0), None),
            ("log", 1e-45, Ref, Some(false)), // smallest f32 subnormal
            ("log", 1e-40, Ref, Some(false)),
            ("log", f32::MAX as f64, Ref, Some(false)),
            ("log", 5e-324, Ref, Some(true)),
            ("log", 1e-310, Ref, Some(true)),
            ("log", f64::MAX, Ref, Some(true)),
            ("log1p", -1.0, Is(-inf), None),
            ("log1p", -2.0, Nan, None),
            ("log1p", -inf, Nan, None),
            ("log1p", inf, Is(inf), None),
            ("log1p", nan, Nan, None),
            ("log1p", 0.0, Is(0.0), None),
            ("log1p", 1e-30, Is(1e-30), Some(false)),
            ("log1p", 1e-300, Is(1e-300), Some(true)),
            ("log1p", 1e30, Ref, Some(false)),
            ("log1p", 1e300, Ref, Some(true)),
            ("log1p", f64::MAX, Ref, Some(true)),
            ("tanh", inf, Is(1.0), None),
            ("tanh", -inf, Is(-1.0), None),
            ("tanh", nan, Nan, None),
            ("tanh", 0.0, Is(0.0), None),
            ("tanh", -0.0, Is(-0.0), None),
            ("tanh", 1e-30, Is(1e-30), None),
            ("tanh", -1e-30, Is(-1e-30), None),
            ("tanh", 25.0, Is(1.0), None),
            ("tanh", -25.0, Is(-1.0), None),
            ("tanh", 1e4, Is(1.0), None),
            ("sigmoid", -1e4, Is(0.0), None),
            ("sigmoid", 1e4, Is(1.0), None),
            ("sigmoid", -inf, Is(0.0), None),
            ("sigmoid", inf, Is(1.0), None),
            ("sigmoid", nan, Nan, None),
            ("sigmoid", 0.0, Is(0.5), None),
            ("sigmoid", -100.0, Ref, Some(false)), // subnormal result
            ("sigmoid", -740.0, Ref, Some(true)),
            ("softplus", 1e4, Is(1e4), None),
            ("softplus", -1e4, Is(0.0), None),
            ("softplus", inf, Is(inf), None),
            ("softplus", -inf, Is(0.0), None),
            ("softplus", nan, Nan, None),
            ("softplus", 0.0, Ref, None),
            ("softplus", -100.0, Ref, None),
            ("softplus", 100.0, Is(100.0), None),
            ("softplus", 1e30, Is(1e30), Some(false)),
            ("softplus", 1e300, Is(1e300), Some(true)),
            ("cosh", inf, Is(inf), None),
            ("cosh", -inf, Is(inf), None),
            ("cosh", nan, Nan, None),
            ("cosh", 0.0, Is(1.0), None),
            ("cosh", 1e4, Is(inf), None),
            ("cosh", 89.4, Ref, Some(false)),
            ("cosh", -89.4, Ref, Some(false)),
            ("cosh", 89.42, Is(inf), Some(false)),
            ("cosh", 710.47, Ref, Some(true)),
            ("cosh", 710.48, Is(inf), Some(true)),
            ("sinh", inf, Is(inf), None),
            ("sinh", -inf, Is(-inf), None),
            ("sinh", nan, Nan, None),
            ("sinh", 0.0, Is(0.0), None),
            ("sinh", -0.0, Is(-0.0), None),
            ("sinh", 1e-30, Is(1e-30), None),
            ("sinh", 1e4, Is(inf), None),
            ("sinh", -1e4, Is(-inf), None),
            ("sinh", 89.4, Ref, Some(false)),
            ("sinh", -89.4, Ref, Some(false)),
            ("sinh", 89.42, Is(inf), Some(false)),
            ("sinh", -89.42, Is(-inf), Some(false)),
            ("sinh", 710.47, Ref, Some(true)),
            ("sinh", -710.47, Ref, Some(true)),
            ("sinh", 710.48, Is(inf), Some(true)),
            ("abs", -3.5, Is(3.5), None),
            ("abs", -0.0, Is(0.0), None),
            ("abs", -inf, Is(inf), None),
            ("abs", nan, Nan, None),
            ("neg", 2.0, Is(-2.0), None),
            ("neg", 0.0, Is(-0.0), None),
            ("neg", nan, Nan, None),
            ("sign", 3.0, Is(1.0), None),
            ("sign", -1e-30, Is(-1.0), None),
            ("sign", 0.0, Is(0.0), None),
            ("sign", -0.0, Is(-0.0), None),
            ("sign", inf, Is(1.0), None),
            ("sign", -inf, Is(-1.0), None),
            ("sign", nan, Nan, None),
            ("relu", -2.0, Is(0.0), None),
            ("relu", 2.0, Is(2.0), None),
            ("relu", -inf, Is(0.0), None),
            ("relu", inf, Is(inf), None),
            ("relu", nan, Nan, None),
        ];
        // NaN must survive every function, with either sign and any payload.
        for (name, _) in FUNCS {
            v.push((name, -nan, Nan, None));
            v.push((name, f64::from_bits(0x7ff0_0000_0000_0001), Nan, Some(true)));
        }
        v
    }

    #[test]
    fn special_values() {
        let mut jit = Jit::new();
        let names: Vec<&str> = FUNCS.iter().map(|(n, _)| *n).collect();
        let kernels = compile_all(&mut jit, &names);
        let cases = special_cases();
        let mut failures = Vec::new();
        for (kname, ty, o, id) in &kernels {
            let double = ty.lane_type() == types::F64;
            let mine: Vec<_> = cases
                .iter()
                .filter(|c| c.0 == kname && c.3.is_none_or(|d| d == double))
                .collect();
            let xs: Vec<f64> = mine.iter().map(|c| c.1).collect();
            let ys = jit.run(*id, *ty, &xs);
            for (c, &y) in mine.iter().zip(&ys) {
                let x = if double { c.1 } else { c.1 as f32 as f64 };
                let ok = match c.2 {
                    Is(w) => {
                        let w = if double { w } else { w as f32 as f64 };
                        y == w && y.is_sign_negative() == w.is_sign_negative()
                    }
                    Nan => y.is_nan(),
                    Ref => ulp_err(y, reference(kname, x), double) <= 2.0,
                };
                if !ok {
                    failures.push(format!(
                        "{kname}({x:e}) = {y:e} [{ty}, fma={}], want {:?}",
                        o.fma, c.2
                    ));
                }
            }
        }
        jit.free();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// The Fast2Sum/TwoSum and polynomial tricks rely on these identities of the reference.
    #[test]
    fn reference_agrees_with_std() {
        for &x in &[-700.0, -20.0, -1.0, -1e-5, 1e-5, 0.3, 1.0, 20.0, 700.0] {
            let r = exp_dd(x, 0).hi;
            assert!(((r - x.exp()) / r).abs() < 4e-16, "exp {x}");
            let r = expm1_dd(x).hi;
            assert!(((r - x.exp_m1()) / r).abs() < 4e-16, "expm1 {x}");
            let r = reference("tanh", x).hi;
            assert!(((r - x.tanh()) / r).abs() < 6e-16, "tanh {x}");
            if x > -1.0 {
                let r = reference("log1p", x).hi;
                assert!(((r - x.ln_1p()) / r).abs() < 4e-16, "log1p {x}");
            }
            if x > 0.0 && x != 1.0 {
                let r = reference("log", x).hi;
                assert!(((r - x.ln()) / r).abs() < 4e-16, "log {x}");
            }
        }
    }

    #[test]
    fn select_where_and_splat_const() {
        // y = x < 1.5 ? 7 : x, through both helpers, for all four types.
        fn emit(b: &mut FunctionBuilder, _o: &MathOptions, x: Value) -> Value {
            let ty = b.func.dfg.value_type(x);
            let c = splat_const(b, ty, 1.5);
            let seven = splat_const(b, ty, 7.0);
            let m = b.ins().fcmp(FloatCC::LessThan, x, c);
            select_where(b, m, seven, x)
        }
        let mut jit = Jit::new();
        let ids: Vec<_> = TYPES
            .iter()
            .map(|&ty| (ty, jit.compile(ty, emit, &MathOptions::default())))
            .collect();
        jit.finish();
        for (ty, id) in ids {
            let ys = jit.run(id, ty, &[1.0, 2.0, -3.0, f64::NAN]);
            assert_eq!(&ys[..3], &[7.0, 2.0, 7.0], "{ty}");
            assert!(ys[3].is_nan(), "{ty}");
        }
        jit.free();
    }

    #[test]
    fn exp_nonpositive_is_exp_where_defined() {
        // Bit for bit the same as `exp` on x <= 0 (normal, subnormal and zero
        // results), -inf and NaN, for all four types and both option sets.
        let mut xs: Vec<f64> = (0..4000)
            .map(|k| -120.0 * (k as f64 / 4000.0).powi(2))
            .collect();
        xs.extend([-0.0, -1e-30, -745.0, f64::NEG_INFINITY, f64::NAN, -f64::NAN]);
        let mut jit = Jit::new();
        let opts = jit.option_sets();
        let mut ids = Vec::new();
        for &ty in &TYPES {
            for o in &opts {
                ids.push((
                    ty,
                    jit.compile(ty, exp, o),
                    jit.compile(ty, exp_nonpositive, o),
                ));
            }
        }
        jit.finish();
        for (ty, a, b) in ids {
            let (ya, yb) = (jit.run(a, ty, &xs), jit.run(b, ty, &xs));
            for ((x, p), q) in xs.iter().zip(&ya).zip(&yb) {
                assert!(
                    p.to_bits() == q.to_bits() || p.is_nan() && q.is_nan(),
                    "{ty} at {x}: {p} vs {q}"
                );
            }
        }
        jit.free();
    }

    /// Throughput of the vector kernels for both loop shapes. Run with
    /// `--ignored --nocapture`.
    #[test]
    #[ignore]
    fn timings() {
        for body_first in [false, true] {
            let mut jit = Jit::new();
            jit.body_first = body_first;
            let kernels = compile_all(&mut jit, &ACCURACY_FUNCS);
            let n = 1 << 12;
            let xs32: Vec<f32> = (0..n)
                .map(|i| (i as f32 / n as f32) * 4.0 - 2.0 + 1.0)
                .collect();
            let xs64: Vec<f64> = xs32.iter().map(|&v| v as f64).collect();
            let mut out = String::new();
            let mut y32 = vec![0f32; n];
            let mut y64 = vec![0f64; n];
            for (name, ty, o, id) in &kernels {
                if !ty.is_vector() || !o.fma {
                    continue;
                }
                let p = jit.module.get_finalized_function(*id);
                let reps = 300;
                let mut best = f64::INFINITY;
                for _ in 0..5 {
                    let t0 = std::time::Instant::now();
                    for _ in 0..reps {
                        // SAFETY: compiled by `build_body` for this element type; n % 4 == 0.
                        unsafe {
                            if ty.lane_type() == types::F32 {
                                let f: extern "C" fn(*const f32, *mut f32, usize) =
                                    std::mem::transmute(p);
                                f(xs32.as_ptr(), y32.as_mut_ptr(), n);
                            } else {
                                let f: extern "C" fn(*const f64, *mut f64, usize) =
                                    std::mem::transmute(p);
                                f(xs64.as_ptr(), y64.as_mut_ptr(), n);
                            }
                        }
                        std::hint::black_box((&y32, &y64));
                    }
                    best = best.min(t0.elapsed().as_secs_f64() * 1e9 / (reps * n) as f64);
                }
                out += &format!("{name:>8} {ty:>5} {best:.2} ns/elem\n");
            }
            eprintln!("body_first={body_first}\n{out}");
            jit.free();
        }
    }

    /// CLIF and x86-64 instructions per function (the kernel loop minus the same loop with
    /// `f(x) = x`), by type and option set. Run with
    /// `cargo test --release -- --ignored --nocapture instruction_counts`; `VMATH_BODY_FIRST=1`
    /// uses the loop shape that keeps constants in the loop, `VMATH_DUMP="f32x4 log true"`
    /// prints that function's CLIF and machine code.
    #[test]
    #[ignore]
    fn instruction_counts() {
        fn identity(_b: &mut FunctionBuilder, _o: &MathOptions, x: Value) -> Value {
            x
        }
        let mut jit = Jit::new();
        jit.body_first = std::env::var("VMATH_BODY_FIRST").is_ok();
        let count =
            |jit: &mut Jit, name: &str, ty: Type, f: Emit, o: &MathOptions| -> (usize, usize) {
                jit.build_body(ty, f, o);
                let clif = jit.ctx.func.dfg.num_insts();
                jit.ctx.set_disasm(true);
                let sig = jit.ctx.func.signature.clone();
                let id = jit.module.declare_anonymous_function(&sig).unwrap();
                jit.module.define_function(id, &mut jit.ctx).unwrap();
                let text = jit.ctx.compiled_code().unwrap().vcode.clone().unwrap();
                if std::env::var("VMATH_DUMP").is_ok_and(|w| w == format!("{ty} {name} {}", o.fma))
                {
                    eprintln!("{}\n{text}", jit.ctx.func.display());
                }
                let n = text
                    .lines()
                    .filter(|l| l.starts_with("  ") && !l.trim_start().starts_with(';'))
                    .count();
                jit.module.clear_context(&mut jit.ctx);
                (clif, n)
            };
        let mut out = String::new();
        for o in jit.option_sets() {
            for ty in TYPES {
                let (c0, m0) = count(&mut jit, "identity", ty, identity, &o);
                for (name, f) in FUNCS {
                    let (c, m) = count(&mut jit, name, ty, f, &o);
                    out += &format!(
                        "{name:>8} {ty:>5} fma={:<5} clif {:>3} machine {:>3}\n",
                        o.fma,
                        c - c0,
                        m - m0
                    );
                }
            }
        }
        eprintln!("{out}");
        jit.finish();
        jit.free();
    }

    /// Error sweep of one function over `[lo, hi]`, vector type, both option sets, with an
    /// error histogram: `VMATH_FN=tanh VMATH_LO=0.125 VMATH_HI=1 [VMATH_N=1000000]
    /// [VMATH_F64=1] [VMATH_ALL=1] cargo test --release -- --ignored --nocapture sweep`.
    /// `VMATH_ALL` takes every f32 in the range (exhaustive) instead of `VMATH_N` random ones.
    #[test]
    #[ignore]
    fn sweep() {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let name = var("VMATH_FN").expect("set VMATH_FN");
        let double = var("VMATH_F64").is_some();
        let lo: f64 = var("VMATH_LO").expect("set VMATH_LO").parse().unwrap();
        let hi: f64 = var("VMATH_HI").expect("set VMATH_HI").parse().unwrap();
        let n: usize = var("VMATH_N").map_or(1_000_000, |v| v.parse().unwrap());
        let mut jit = Jit::new();
        let ty = if double { types::F64X2 } else { types::F32X4 };
        let ids: Vec<_> = jit
            .option_sets()
            .into_iter()
            .map(|o| (o, jit.compile(ty, emitter(&name), &o)))
            .collect();
        jit.finish();
        let mut rng = Rng(12345);
        let mut xs = Vec::new();
        if var("VMATH_ALL").is_some() {
            let (mut a, z) = (lo as f32, hi as f32);
            while a <= z {
                xs.push(a as f64);
                a = f32::from_bits(if a >= 0.0 {
                    a.to_bits() + 1
                } else if a == -0.0 {
                    0
                } else {
                    a.to_bits() - 1
                });
            }
        } else {
            rand(&mut xs, &mut rng, lo, hi, n);
        }
        if !double {
            for x in &mut xs {
                *x = *x as f32 as f64;
            }
        }
        let refs: Vec<DD> = xs.iter().map(|&x| reference(&name, x)).collect();
        for (o, id) in ids {
            let ys = jit.run(id, ty, &xs);
            let mut hist = [0usize; 5];
            let (mut w, mut at) = (0.0f64, 0.0);
            for i in 0..xs.len() {
                let e = ulp_err(ys[i], refs[i], double);
                hist[(e * 2.0).min(4.0) as usize] += 1;
                if e > w {
                    w = e;
                    at = xs[i];
                }
            }
            println!(
                "{name} fma={} max {w:.3} ulp at {at:e}; counts per 0.5-ulp bin {hist:?}",
                o.fma
            );
        }
        jit.free();
    }
}
