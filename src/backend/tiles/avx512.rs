//! The AVX-512 level: 16 `f32` or 8 `f64` lanes in 512-bit registers, comparisons in
//! mask registers.
//!
//! The `Lanes` implementations below call AVX-512F intrinsics. They are
//! `#[inline(always)]` and reached only from this file's entry points, which are
//! compiled with `#[target_feature(enable = "avx512f,avx2,fma")]` and handed out by
//! `tiles::primitives` only after `is_x86_feature_detected!` has found those
//! features: that is the safety argument of every `unsafe` block here.

use super::algo::Lanes;
use std::arch::x86_64::*;

#[derive(Clone, Copy)]
pub(super) struct F32x16(__m512);
#[derive(Clone, Copy)]
pub(super) struct F64x8(__m512d);

macro_rules! avx512_lanes {
    ($v:ident, $mask:ty, $elem:ty, $lanes:expr, $double:expr,
     ps: $load:ident $store:ident $set1:ident $addf:ident $subf:ident $mulf:ident $divf:ident
         $fmaf:ident $maxf:ident $minf:ident $cmp:ident $blend:ident $tobits:ident
         $frombits:ident,
     int: $iadd:ident $isub:ident $iset1:ident $ity:ident $srl:ident $sll:ident) => {
        impl $v {
            #[inline(always)]
            fn bitwise(a: Self, b: Self, f: impl Fn(__m512i, __m512i) -> __m512i) -> Self {
                Self::from_bits(f(a.to_bits(), b.to_bits()))
            }
        }

        impl Lanes for $v {
            type Elem = $elem;
            type Bits = __m512i;
            type Mask = $mask;
            const LANES: usize = $lanes;
            const DOUBLE: bool = $double;

            #[inline(always)]
            unsafe fn load(p: *const $elem) -> Self {
                // SAFETY: the caller guarantees LANES readable elements; AVX-512F is
                // present (module docs).
                $v(unsafe { $load(p) })
            }
            #[inline(always)]
            unsafe fn store(self, p: *mut $elem) {
                // SAFETY: the caller guarantees LANES writable elements; AVX-512F is present.
                unsafe { $store(p, self.0) }
            }
            #[inline(always)]
            fn splat(c: f64) -> Self {
                // SAFETY (this and every block below): AVX-512F is present (module docs).
                $v(unsafe { $set1(c as $elem) })
            }
            #[inline(always)]
            fn add(self, o: Self) -> Self {
                $v(unsafe { $addf(self.0, o.0) })
            }
            #[inline(always)]
            fn sub(self, o: Self) -> Self {
                $v(unsafe { $subf(self.0, o.0) })
            }
            #[inline(always)]
            fn mul(self, o: Self) -> Self {
                $v(unsafe { $mulf(self.0, o.0) })
            }
            #[inline(always)]
            fn div(self, o: Self) -> Self {
                $v(unsafe { $divf(self.0, o.0) })
            }
            #[inline(always)]
            fn fma(self, m: Self, a: Self) -> Self {
                $v(unsafe { $fmaf(self.0, m.0, a.0) })
            }
            #[inline(always)]
            fn max(self, o: Self) -> Self {
                $v(unsafe { $maxf(self.0, o.0) })
            }
            #[inline(always)]
            fn min(self, o: Self) -> Self {
                $v(unsafe { $minf(self.0, o.0) })
            }
            #[inline(always)]
            fn and(self, o: Self) -> Self {
                Self::bitwise(self, o, |a, b| unsafe { _mm512_and_si512(a, b) })
            }
            #[inline(always)]
            fn or(self, o: Self) -> Self {
                Self::bitwise(self, o, |a, b| unsafe { _mm512_or_si512(a, b) })
            }
            #[inline(always)]
            fn xor(self, o: Self) -> Self {
                Self::bitwise(self, o, |a, b| unsafe { _mm512_xor_si512(a, b) })
            }
            #[inline(always)]
            fn clear(self, m: Self) -> Self {
                Self::bitwise(m, self, |a, b| unsafe { _mm512_andnot_si512(a, b) })
            }
            #[inline(always)]
            fn lt(self, o: Self) -> $mask {
                unsafe { $cmp::<_CMP_LT_OQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn ge(self, o: Self) -> $mask {
                unsafe { $cmp::<_CMP_GE_OQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn eq(self, o: Self) -> $mask {
                unsafe { $cmp::<_CMP_EQ_OQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn lt_or_nan(self, o: Self) -> $mask {
                unsafe { $cmp::<_CMP_NGE_UQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn select(m: $mask, a: Self, b: Self) -> Self {
                // `blend(k, b, a)` takes `a` where `k` is set.
                $v(unsafe { $blend(m, b.0, a.0) })
            }
            #[inline(always)]
            fn to_bits(self) -> __m512i {
                unsafe { $tobits(self.0) }
            }
            #[inline(always)]
            fn from_bits(b: __m512i) -> Self {
                $v(unsafe { $frombits(b) })
            }
            #[inline(always)]
            fn iadd_k(b: __m512i, c: i64) -> __m512i {
                unsafe { $iadd(b, $iset1(c as $ity)) }
            }
            #[inline(always)]
            fn isub(a: __m512i, b: __m512i) -> __m512i {
                unsafe { $isub(a, b) }
            }
            #[inline(always)]
            fn iand_k(b: __m512i, c: i64) -> __m512i {
                unsafe { _mm512_and_si512(b, $iset1(c as $ity)) }
            }
            #[inline(always)]
            fn ior_k(b: __m512i, c: i64) -> __m512i {
                unsafe { _mm512_or_si512(b, $iset1(c as $ity)) }
            }
            #[inline(always)]
            fn ushr(b: __m512i, s: u32) -> __m512i {
                unsafe { $srl(b, _mm_cvtsi32_si128(s as i32)) }
            }
            #[inline(always)]
            fn shl(b: __m512i, s: u32) -> __m512i {
                unsafe { $sll(b, _mm_cvtsi32_si128(s as i32)) }
            }
        }
    };
}

avx512_lanes!(F32x16, __mmask16, f32, 16, false,
    ps: _mm512_loadu_ps _mm512_storeu_ps _mm512_set1_ps _mm512_add_ps _mm512_sub_ps
        _mm512_mul_ps _mm512_div_ps _mm512_fmadd_ps _mm512_max_ps _mm512_min_ps
        _mm512_cmp_ps_mask _mm512_mask_blend_ps _mm512_castps_si512 _mm512_castsi512_ps,
    int: _mm512_add_epi32 _mm512_sub_epi32 _mm512_set1_epi32 i32 _mm512_srl_epi32 _mm512_sll_epi32);
avx512_lanes!(F64x8, __mmask8, f64, 8, true,
    ps: _mm512_loadu_pd _mm512_storeu_pd _mm512_set1_pd _mm512_add_pd _mm512_sub_pd
        _mm512_mul_pd _mm512_div_pd _mm512_fmadd_pd _mm512_max_pd _mm512_min_pd
        _mm512_cmp_pd_mask _mm512_mask_blend_pd _mm512_castpd_si512 _mm512_castsi512_pd,
    int: _mm512_add_epi64 _mm512_sub_epi64 _mm512_set1_epi64 i64 _mm512_srl_epi64 _mm512_sll_epi64);

super::entry_points!(Avx512, F32x16, F64x8, "avx512f,avx2,fma");
