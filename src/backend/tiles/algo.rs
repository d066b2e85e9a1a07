//! The algorithms of the tile primitives, written once over [`Lanes`]: a
//! vector of `f32` or `f64` lanes with the handful of operations they need.
//! Each instruction-set level implements `Lanes` for its registers
//! (`scalar.rs`, `avx2.rs`, `avx512.rs`) and instantiates these functions
//! inside its `#[target_feature]` entry points; everything here is
//! `#[inline(always)]`, so it compiles to that level's instructions.
//!
//! Every operation used is correctly rounded (add, sub, mul, div, fused
//! multiply-add) or exact (compares, selects, bit operations), and each
//! level performs the same operations in the same order; that is why the
//! levels agree bit for bit (the module docs of `tiles` state it, the tests
//! check it). The sequences are `vmath`'s with `fma` on, operation for
//! operation, so `exp`, `log`, `log1p`, `tanh` and `e^-|x|` also equal the
//! Cranelift code's results bit for bit.

use crate::backend::cranelift::vmath::{
    EXP_Q_F32, EXP_Q_F64, LN2_HI_F32, LN2_HI_F64, LN2_LO_F32, LN2_LO_F64, LOG_P_F32, LOG_P_F64,
    LOG2E,
};

/// Lanes of one float type in one instruction set's registers.
///
/// Implementations call `std::arch` intrinsics of their level; they are
/// reached only from functions compiled for that level (see each file).
pub(super) trait Lanes: Copy {
    /// The element type, itself a one-lane [`Lanes`] (the scalar level).
    type Elem: Lanes<Elem = Self::Elem> + Default;
    /// The same lanes viewed as unsigned integers of the same width.
    type Bits: Copy;
    /// The result of a lane-wise comparison.
    type Mask: Copy;
    const LANES: usize;
    /// `f64` lanes (otherwise `f32`).
    const DOUBLE: bool;

    /// Loads `LANES` elements from `p` (any alignment).
    ///
    /// # Safety
    /// `p` must be valid for reading `LANES` elements.
    unsafe fn load(p: *const Self::Elem) -> Self;
    /// Stores the lanes to `p` (any alignment).
    ///
    /// # Safety
    /// `p` must be valid for writing `LANES` elements.
    unsafe fn store(self, p: *mut Self::Elem);
    /// Every lane `c`, rounded to the element type.
    fn splat(c: f64) -> Self;

    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    /// `self·m + a` with one rounding.
    fn fma(self, m: Self, a: Self) -> Self;
    /// `self > o ? self : o` (so `o` where either is NaN), as x86's `maxps`.
    fn max(self, o: Self) -> Self;
    /// `self < o ? self : o` (so `o` where either is NaN), as x86's `minps`.
    fn min(self, o: Self) -> Self;
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    /// `self & !m`.
    fn clear(self, m: Self) -> Self;

    /// `self < o`, false for NaN.
    fn lt(self, o: Self) -> Self::Mask;
    /// `self >= o`, false for NaN.
    fn ge(self, o: Self) -> Self::Mask;
    /// `self == o`, false for NaN.
    fn eq(self, o: Self) -> Self::Mask;
    /// `self < o` or unordered (`!(self >= o)`).
    fn lt_or_nan(self, o: Self) -> Self::Mask;
    /// `m ? a : b`, lane-wise.
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;

    fn to_bits(self) -> Self::Bits;
    fn from_bits(b: Self::Bits) -> Self;
    /// Wrapping `b + c` (`c` truncated to the lane width).
    fn iadd_k(b: Self::Bits, c: i64) -> Self::Bits;
    /// Wrapping `a - b`.
    fn isub(a: Self::Bits, b: Self::Bits) -> Self::Bits;
    fn iand_k(b: Self::Bits, c: i64) -> Self::Bits;
    fn ior_k(b: Self::Bits, c: i64) -> Self::Bits;
    /// Logical shift right by `s < width`.
    fn ushr(b: Self::Bits, s: u32) -> Self::Bits;
    /// Shift left by `s < width`.
    fn shl(b: Self::Bits, s: u32) -> Self::Bits;
}

// ---------------------------------------------------------------------------------------------
// Format facts

#[inline(always)]
fn k<V: Lanes>(c: f64) -> V {
    V::splat(c)
}

/// Picks the constant for the precision.
#[inline(always)]
fn p<V: Lanes>(c32: f64, c64: f64) -> f64 {
    if V::DOUBLE { c64 } else { c32 }
}

#[inline(always)]
fn mant<V: Lanes>() -> u32 {
    if V::DOUBLE { 52 } else { 23 }
}

#[inline(always)]
fn bias<V: Lanes>() -> i64 {
    if V::DOUBLE { 1023 } else { 127 }
}

/// The magic constant `1.5·2^p` that rounds to an integer, and its bits.
#[inline(always)]
fn magic<V: Lanes>() -> (f64, i64) {
    if V::DOUBLE {
        (6755399441055744.0, 0x4338_0000_0000_0000)
    } else {
        (12582912.0, 0x4B40_0000)
    }
}

/// `(hi, lo)` of the Cody–Waite split of ln 2 for the precision.
#[inline(always)]
fn ln2<V: Lanes>() -> (f64, f64) {
    if V::DOUBLE {
        (LN2_HI_F64, LN2_LO_F64)
    } else {
        (LN2_HI_F32, LN2_LO_F32)
    }
}

// ---------------------------------------------------------------------------------------------
// Small pieces (vmath's emitter helpers, in the same order of operations)

/// `cs[0] + x·(cs[1] + x·(…))`.
#[inline(always)]
fn horner<V: Lanes>(x: V, cs: &[f64]) -> V {
    let mut acc = k::<V>(cs[cs.len() - 1]);
    for &c in cs[..cs.len() - 1].iter().rev() {
        acc = acc.fma(x, k(c));
    }
    acc
}

#[inline(always)]
fn abs<V: Lanes>(x: V) -> V {
    x.clear(k(-0.0))
}

/// `-|x|`.
#[inline(always)]
fn neg_abs<V: Lanes>(x: V) -> V {
    x.or(k(-0.0))
}

#[inline(always)]
fn neg<V: Lanes>(x: V) -> V {
    x.xor(k(-0.0))
}

/// `y` (sign bit clear) with the sign of `x`.
#[inline(always)]
fn copy_sign_of<V: Lanes>(y: V, x: V) -> V {
    y.or(x.and(k(-0.0)))
}

/// `x < 0 ? 0 : x` (NaN passes).
#[inline(always)]
fn relu<V: Lanes>(x: V) -> V {
    let zero = k::<V>(0.0);
    V::select(x.lt(zero), zero, x)
}

/// NaN-preserving clamp to `[lo, hi]`: `x < lo ? lo : x`, then `hi < x ? hi : x`.
#[inline(always)]
fn clamp<V: Lanes>(mut x: V, lo: Option<f64>, hi: Option<f64>) -> V {
    if let Some(lo) = lo {
        x = k::<V>(lo).max(x);
    }
    if let Some(hi) = hi {
        x = k::<V>(hi).min(x);
    }
    x
}

/// `|x| < tiny ? x : r`, where the function is `x` to within half an ulp.
#[inline(always)]
fn tiny_passthrough<V: Lanes>(ax: V, x: V, r: V) -> V {
    let tiny = k::<V>(p::<V>(2f64.powi(-26), 2f64.powi(-55)));
    V::select(ax.lt(tiny), x, r)
}

// ---------------------------------------------------------------------------------------------
// exp family

/// Clamps `x` and reduces it: `(t, r, r_hi, nf, q)` with `bits(t) = bits(magic) + n`,
/// `x = n·ln2 + r` (`r_hi` before the low part of ln 2 was taken off), `nf = n` and
/// `q(r)` the polynomial.
#[inline(always)]
fn reduce<V: Lanes>(x: V, lo: Option<f64>, hi: Option<f64>) -> (V, V, V, V, V) {
    let x = clamp(x, lo, hi);
    let magic_v = k::<V>(magic::<V>().0);
    let t = x.fma(k(LOG2E), magic_v);
    let nf = t.sub(magic_v);
    let (hi_c, lo_c) = ln2::<V>();
    let r_hi = nf.fma(k(-hi_c), x); // exact
    let r = nf.fma(k(-lo_c), r_hi);
    let q = if V::DOUBLE {
        horner(r, &EXP_Q_F64)
    } else {
        horner(r, &EXP_Q_F32)
    };
    (t, r, r_hi, nf, q)
}

/// `(t, p)` with `p = e^r - 1` (vmath's `exp_reduce`, not precise).
#[inline(always)]
fn exp_reduce<V: Lanes>(x: V, lo: Option<f64>, hi: Option<f64>) -> (V, V) {
    let (t, r, _, _, q) = reduce(x, lo, hi);
    let r2 = r.mul(r);
    (t, r2.fma(q, r))
}

/// `(t, r, tail)` with `e^r - 1 = r + tail`, the reduction's rounding error folded
/// into `tail` (vmath's `exp_reduce_parts`).
#[inline(always)]
fn exp_reduce_parts<V: Lanes>(x: V, lo: Option<f64>, hi: Option<f64>) -> (V, V, V) {
    let (t, r, r_hi, nf, q) = reduce(x, lo, hi);
    let r2 = r.mul(r);
    let d = r_hi.sub(r);
    let c = nf.fma(k(-ln2::<V>().1), d);
    (t, r, r2.fma(q, c))
}

/// `(2^⌊N/2⌋, 2^⌈N/2⌉)` with `N = n + offset`, both normal numbers.
#[inline(always)]
fn scale2<V: Lanes>(t: V, offset: i64) -> (V, V) {
    let ti = t.to_bits();
    let a = V::iadd_k(ti, 2 * bias::<V>() + offset - magic::<V>().1); // N + 2·bias ≥ 0
    let h = V::ushr(a, 1); // ⌊N/2⌋ + bias
    let h2 = V::isub(a, h); // ⌈N/2⌉ + bias
    let s1 = V::from_bits(V::shl(h, mant::<V>()));
    let s2 = V::from_bits(V::shl(h2, mant::<V>()));
    (s1, s2)
}

/// `2^(n - kk)` as one (normal) number.
#[inline(always)]
fn scale1<V: Lanes>(t: V, kk: i64) -> V {
    let e = V::iadd_k(t.to_bits(), bias::<V>() - kk - magic::<V>().1);
    V::from_bits(V::shl(e, mant::<V>()))
}

/// The lower clamp of `exp`: far enough below the underflow threshold never to show.
#[inline(always)]
fn exp_lo<V: Lanes>() -> f64 {
    p::<V>(-110.0, -760.0)
}

/// `e^x`, with gradual underflow and overflow to `inf` (vmath's `exp_core`, offset 0).
#[inline(always)]
fn exp_clamped<V: Lanes>(x: V, clamp_hi: bool) -> V {
    let hi = clamp_hi.then(|| p::<V>(100.0, 720.0));
    let (t, pp) = exp_reduce(x, Some(exp_lo::<V>()), hi);
    let y = pp.add(k(1.0));
    let (s1, s2) = scale2(t, 0);
    y.mul(s1).mul(s2)
}

/// `e^x`.
#[inline(always)]
pub(super) fn exp<V: Lanes>(x: V) -> V {
    exp_clamped(x, true)
}

/// `e^x` for `x ≤ 0` or NaN (no upper clamp, which such arguments never reach).
#[inline(always)]
pub(super) fn exp_nonpositive<V: Lanes>(x: V) -> V {
    exp_clamped(x, false)
}

// ---------------------------------------------------------------------------------------------
// log family

/// `log(2^k·(1 + f))` for `f ∈ [√½ - 1, √2 - 1)` given `s = f/(2 + f)` and the float `kf`,
/// plus an optional correction `cu` added with the low part of `k·ln2`.
#[inline(always)]
fn log_poly_s<V: Lanes>(f: V, s: V, kf: V, cu: Option<V>) -> V {
    let z = s.mul(s);
    let pz = if V::DOUBLE {
        horner(z, &LOG_P_F64)
    } else {
        horner(z, &LOG_P_F32)
    };
    let r = z.mul(pz);
    let hf = f.mul(k(0.5));
    let hfsq = hf.mul(f);
    let (hi_c, lo_c) = ln2::<V>();
    let lo = match cu {
        Some(c) => kf.fma(k(lo_c), c),
        None => kf.mul(k(lo_c)),
    };
    let hr = hfsq.add(r);
    let a1 = s.fma(hr, lo);
    let a2 = hfsq.sub(a1);
    let a3 = f.sub(a2);
    kf.fma(k(hi_c), a3)
}

/// [`log_poly_s`] with its own division.
#[inline(always)]
fn log_poly<V: Lanes>(f: V, kf: V, cu: Option<V>) -> V {
    let s = f.div(f.add(k(2.0)));
    log_poly_s(f, s, kf, cu)
}

/// `log(u)`, or with `corr = Some((x, cu))`, `log1p(x)` where `u = 1 + x` rounded and `cu`
/// the first-order correction of that rounding (vmath's `log_core`, specials patched).
#[inline(always)]
fn log_core<V: Lanes>(u: V, corr: Option<(V, V)>, subnormal: bool) -> V {
    let mut v = u;
    let mut kadj = None;
    if subnormal {
        let sc = p::<V>(24.0, 54.0);
        let min_normal = k::<V>(p::<V>(f32::MIN_POSITIVE as f64, f64::MIN_POSITIVE));
        let m = u.lt(min_normal);
        v = V::select(m, u.mul(k(2f64.powf(sc))), u);
        kadj = Some(V::select(m, k(sc), k(0.0)));
    }
    let (one_minus_sqrth, sqrth, mant_mask, kmagic_bits, kmagic) = if V::DOUBLE {
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
    let ix = V::iadd_k(v.to_bits(), one_minus_sqrth);
    // k as a float: the biased exponent OR-ed into the mantissa of 2^p, minus (2^p + bias).
    let kbits = V::ior_k(V::ushr(ix, mant::<V>()), kmagic_bits);
    let mut kf = V::from_bits(kbits).sub(k(kmagic));
    if let Some(ka) = kadj {
        kf = kf.sub(ka);
    }
    let mi = V::iadd_k(V::iand_k(ix, mant_mask), sqrth);
    let m = V::from_bits(mi); // ∈ [√½, √2)
    let mut f = m.sub(k(1.0));
    let mut cu = None;
    if let Some((x, c)) = corr {
        let zero = k::<V>(0.0);
        let k0 = kf.eq(zero);
        f = V::select(k0, x, f);
        cu = Some(V::select(k0, zero, c));
    }
    let res = log_poly(f, kf, cu);
    let zero = k::<V>(0.0);
    let res = V::select(u.lt_or_nan(zero), k(f64::NAN), res);
    let res = V::select(u.eq(zero), k(f64::NEG_INFINITY), res);
    V::select(u.eq(k(f64::INFINITY)), k(f64::INFINITY), res)
}

/// Natural logarithm.
#[inline(always)]
pub(super) fn log<V: Lanes>(x: V) -> V {
    log_core(x, None, true)
}

/// `log(1 + x)`, accurate near 0.
#[inline(always)]
pub(super) fn log1p<V: Lanes>(x: V) -> V {
    let one = k::<V>(1.0);
    let u = x.add(one);
    // TwoSum: c = (x + 1) - u exactly.
    let bb = u.sub(x);
    let t0 = u.sub(bb);
    let t1 = x.sub(t0);
    let t2 = one.sub(bb);
    let c = t1.add(t2);
    let cu = c.div(u);
    log_core(u, Some((x, cu)), false)
}

// ---------------------------------------------------------------------------------------------
// tanh

/// Hyperbolic tangent: `tanh|x| = (1 - E)/(1 + E)`, `E = e^(-2|x|)`, with `E`, `1 - E` and
/// `1 + E` as exact two-term sums and the quotient corrected to first order (vmath's `tanh`).
#[inline(always)]
pub(super) fn tanh<V: Lanes>(x: V) -> V {
    let ax = abs(x);
    let y0 = ax.mul(k(-2.0));
    let (t, r, tail) = exp_reduce_parts(y0, Some(p::<V>(-30.0, -60.0)), None);
    let s = scale1(t, 0);
    let one = k::<V>(1.0);
    let half = k::<V>(0.5);
    // p = ph + pl (Fast2Sum); E = s + s·ph + s·pl = eh + el.
    let ph = r.add(tail);
    let p0 = ph.sub(r);
    let pl = tail.sub(p0);
    let sr = s.mul(ph);
    let st = s.mul(pl);
    let eh = s.add(sr);
    let e0 = eh.sub(s);
    let e1 = sr.sub(e0);
    let el = e1.add(st);
    // 1 - E = nh + nl, 1 + E = dh - dln.
    let nh = one.sub(eh);
    let n0 = one.sub(nh);
    let n1 = n0.sub(eh);
    let nl = n1.sub(el);
    let dh = one.add(eh);
    let d0 = dh.sub(one);
    let d1 = d0.sub(eh);
    let dln = d1.sub(el);
    let q = nh.div(dh);
    let rho = neg(q).fma(dh, nh); // the exact residual of the division
    let t0 = rho.add(nl);
    let corr = q.fma(dln, t0);
    let inv = q.fma(half, half);
    let y = corr.fma(inv, q);
    tiny_passthrough(ax, x, copy_sign_of(y, x))
}

// ---------------------------------------------------------------------------------------------
// The logistic pack

/// `(σ(x), softplus(x), e^-|x|)` from one exponential and one division.
///
/// `E = e^-|x|` is vmath's `exp_nonpositive(-|x|)` bit for bit, and also kept as the
/// exact sum `eh + el`. `σ = num/(1 + E)` is vmath's compensated quotient; `softplus =
/// relu(x) + log1p(E)` takes vmath's `log1p_unit` reduction (`f = E`, or `(E - 1)/2` with
/// `k = 1`) and its `s = f/(2 + f)`. The two quotients share one reciprocal
/// `1/((1 + E)(2 + f))`: the quotient of `σ` may then be a few ulps off, which the
/// compensation step (the exact residual by `fma`) removes; `s` enters `log1p` only
/// through a term `f²/4` times smaller than the result, where a few ulps do not show.
#[inline(always)]
pub(super) fn logistic<V: Lanes>(x: V) -> (V, V, V) {
    let one = k::<V>(1.0);
    let zero = k::<V>(0.0);
    let nx = neg_abs(x);
    let (t, pp) = exp_reduce(nx, Some(exp_lo::<V>()), None);
    let y = pp.add(one);
    let ym1 = y.sub(one);
    let ye = pp.sub(ym1); // 1 + p = y + ye exactly (Fast2Sum, |p| < 1)
    let (s1, s2) = scale2(t, 0);
    let eh = y.mul(s1).mul(s2); // e^-|x|
    let el = ye.mul(s1).mul(s2);
    // 1 + E = den + dl.
    let den = eh.add(one);
    let dm1 = den.sub(one);
    let dl0 = dm1.sub(eh);
    let dln = dl0.sub(el); // -dl
    let ge = x.ge(zero);
    let num_h = V::select(ge, one, eh);
    let num_l = V::select(ge, zero, el);
    // log1p(E) = log(2^kf·(1 + f)).
    let lim = k::<V>(p::<V>(
        std::f32::consts::SQRT_2 as f64 - 1.0,
        std::f64::consts::SQRT_2 - 1.0,
    ));
    let high = eh.ge(lim);
    let f = V::select(high, eh.sub(one).mul(k(0.5)), eh);
    let kf = V::select(high, one, zero);
    let d = f.add(k(2.0));
    // The one division.
    let rcp = one.div(den.mul(d));
    let q = num_h.mul(d.mul(rcp));
    let s = f.mul(den.mul(rcp));
    let rho = neg(q).fma(den, num_h); // the exact residual num_h - q·den
    let t0 = rho.add(num_l);
    let corr = q.fma(dln, t0);
    let inv = V::select(ge, q, one.sub(q)); // 1/(1 + E) to first order
    let sigmoid = corr.fma(inv, q);
    let softplus = relu(x).add(log_poly_s(f, s, kf, None));
    (sigmoid, softplus, eh)
}

// ---------------------------------------------------------------------------------------------
// Loop drivers (the bodies of the entry points)

/// Elements per group of the softmax sum: one 512-bit register. Every level adds element
/// `i` into partial sum `i % GROUP` and combines the partial sums in the same tree, so
/// the sum is the same at every level.
const fn group<V: Lanes>() -> usize {
    if V::DOUBLE { 8 } else { 16 }
}

/// `dst[i] = f(src[i])` for `i < n`; the tail goes through a padded buffer.
///
/// # Safety
/// `src` readable and `dst` writable for `n` elements; `dst` may equal `src`, but the
/// ranges must not otherwise overlap. Callable only where `V`'s instructions exist.
#[inline(always)]
pub(super) unsafe fn map<V: Lanes>(
    n: u64,
    src: *const V::Elem,
    dst: *mut V::Elem,
    f: impl Fn(V) -> V,
) {
    let n = n as usize;
    let full = n - n % V::LANES;
    let mut i = 0;
    while i < full {
        // SAFETY: i + LANES ≤ n.
        unsafe { f(V::load(src.add(i))).store(dst.add(i)) };
        i += V::LANES;
    }
    if full < n {
        let rem = n - full;
        let mut buf = [V::Elem::default(); 16];
        // SAFETY: `rem` elements remain at `full`; `buf` holds 16 ≥ LANES.
        unsafe {
            std::ptr::copy_nonoverlapping(src.add(full), buf.as_mut_ptr(), rem);
            f(V::load(buf.as_ptr())).store(buf.as_mut_ptr());
            std::ptr::copy_nonoverlapping(buf.as_ptr(), dst.add(full), rem);
        }
    }
}

/// The logistic pack over `n` elements into three outputs.
///
/// # Safety
/// As [`map`], for each of the three outputs (none may overlap another).
#[inline(always)]
pub(super) unsafe fn map_logistic<V: Lanes>(
    n: u64,
    src: *const V::Elem,
    sig: *mut V::Elem,
    sp: *mut V::Elem,
    e: *mut V::Elem,
) {
    let n = n as usize;
    let full = n - n % V::LANES;
    let mut i = 0;
    while i < full {
        // SAFETY: i + LANES ≤ n for every pointer.
        unsafe {
            let (a, b, c) = logistic(V::load(src.add(i)));
            a.store(sig.add(i));
            b.store(sp.add(i));
            c.store(e.add(i));
        }
        i += V::LANES;
    }
    if full < n {
        let rem = n - full;
        let mut buf = [V::Elem::default(); 16];
        // SAFETY: as in `map`.
        unsafe {
            std::ptr::copy_nonoverlapping(src.add(full), buf.as_mut_ptr(), rem);
            let (a, b, c) = logistic(V::load(buf.as_ptr()));
            for (v, out) in [(a, sig), (b, sp), (c, e)] {
                v.store(buf.as_mut_ptr());
                std::ptr::copy_nonoverlapping(buf.as_ptr(), out.add(full), rem);
            }
        }
    }
}

/// One softmax row: `m = max(src)` (NaN ignored, `-0` read as `+0`; `-inf` for an
/// empty row), `dst[i] = e^(src[i] - m)`, and `out = [m, Σ dst[i]]`.
///
/// # Safety
/// As [`map`]; `out` writable for two elements.
#[inline(always)]
pub(super) unsafe fn softmax_row<V: Lanes>(
    n: u64,
    src: *const V::Elem,
    dst: *mut V::Elem,
    out: *mut V::Elem,
) {
    let n = n as usize;
    let g = group::<V>();
    let per = g / V::LANES; // vectors per group
    let ninf = k::<V>(f64::NEG_INFINITY);
    let mut buf = [V::Elem::default(); 16];

    // Maximum: lane-wise, then across lanes (order does not matter: `max` ignores NaN and
    // the only ties with different bits are ±0, made +0 below).
    let full = n - n % V::LANES;
    let mut mv = ninf;
    let mut i = 0;
    while i < full {
        // SAFETY: i + LANES ≤ n.
        mv = unsafe { V::load(src.add(i)) }.max(mv);
        i += V::LANES;
    }
    if full < n {
        let pad = [<V::Elem as Lanes>::splat(f64::NEG_INFINITY); 16];
        // SAFETY: as in `map`.
        unsafe {
            std::ptr::copy_nonoverlapping(pad.as_ptr(), buf.as_mut_ptr(), 16);
            std::ptr::copy_nonoverlapping(src.add(full), buf.as_mut_ptr(), n - full);
            mv = V::load(buf.as_ptr()).max(mv);
        }
    }
    // SAFETY: buf holds 16 ≥ LANES elements.
    unsafe { mv.store(buf.as_mut_ptr()) };
    let mut m = <V::Elem as Lanes>::splat(f64::NEG_INFINITY);
    for &x in &buf[..V::LANES] {
        m = x.max(m);
    }
    let m = m.add(<V::Elem as Lanes>::splat(0.0)); // -0 → +0
    let mv = broadcast::<V>(m);

    // exp(x - m), written out and summed into `g` partial sums.
    let zero = k::<V>(0.0);
    let mut acc = [zero; 16];
    let full_groups = n - n % g;
    let mut base = 0;
    while base < full_groups {
        for (j, a) in acc.iter_mut().enumerate().take(per) {
            let at = base + j * V::LANES;
            // SAFETY: at + LANES ≤ base + g ≤ n.
            let e = exp_nonpositive(unsafe { V::load(src.add(at)) }.sub(mv));
            unsafe { e.store(dst.add(at)) };
            *a = a.add(e);
        }
        base += g;
    }
    if full_groups < n {
        let rem = n - full_groups;
        let mut ebuf = [V::Elem::default(); 16];
        // SAFETY: `rem < g ≤ 16` elements remain; both buffers hold 16.
        unsafe {
            std::ptr::copy_nonoverlapping(src.add(full_groups), buf.as_mut_ptr(), rem);
            for j in 0..per {
                let e = exp_nonpositive(V::load(buf.as_ptr().add(j * V::LANES)).sub(mv));
                e.store(ebuf.as_mut_ptr().add(j * V::LANES));
            }
            for x in &mut ebuf[rem..g] {
                *x = V::Elem::default(); // the padding adds nothing
            }
            std::ptr::copy_nonoverlapping(ebuf.as_ptr(), dst.add(full_groups), rem);
            for (j, a) in acc.iter_mut().enumerate().take(per) {
                *a = a.add(V::load(ebuf.as_ptr().add(j * V::LANES)));
            }
        }
    }
    // The partial sums in lane order, combined as a fixed tree: halves, quarters, …
    let mut parts = [V::Elem::default(); 16];
    for (j, a) in acc.iter().enumerate().take(per) {
        // SAFETY: j·LANES + LANES ≤ g ≤ 16.
        unsafe { a.store(parts.as_mut_ptr().add(j * V::LANES)) };
    }
    let mut w = g / 2;
    while w > 0 {
        for i in 0..w {
            parts[i] = parts[i].add(parts[i + w]);
        }
        w /= 2;
    }
    // SAFETY: `out` is writable for two elements.
    unsafe {
        *out = m;
        *out.add(1) = parts[0];
    }
}

/// Every lane the scalar `x`.
#[inline(always)]
fn broadcast<V: Lanes>(x: V::Elem) -> V {
    let buf = [x; 16];
    // SAFETY: 16 ≥ LANES elements.
    unsafe { V::load(buf.as_ptr()) }
}
