//! The AVX2 + FMA level: 8 `f32` or 4 `f64` lanes in 256-bit registers.
//!
//! The `Lanes` implementations below call AVX/AVX2/FMA intrinsics. They are
//! `#[inline(always)]` and reached only from this file's entry points, which are
//! compiled with `#[target_feature(enable = "avx2,fma")]` and handed out by
//! `tiles::primitives` only after `is_x86_feature_detected!` has found both
//! features: that is the safety argument of every `unsafe` block here.

use super::algo::Lanes;
use std::arch::x86_64::*;

#[derive(Clone, Copy)]
pub(super) struct F32x8(__m256);
#[derive(Clone, Copy)]
pub(super) struct F64x4(__m256d);

macro_rules! avx2_lanes {
    ($v:ident, $reg:ty, $elem:ty, $lanes:expr, $double:expr,
     ps: $load:ident $store:ident $set1:ident $addf:ident $subf:ident $mulf:ident $divf:ident
         $fmaf:ident $maxf:ident $minf:ident $andf:ident $orf:ident $xorf:ident $andnotf:ident
         $cmp:ident $blendv:ident $tobits:ident $frombits:ident,
     int: $iadd:ident $isub:ident $iset1:ident $ity:ident $srl:ident $sll:ident) => {
        impl Lanes for $v {
            type Elem = $elem;
            type Bits = __m256i;
            type Mask = $reg;
            const LANES: usize = $lanes;
            const DOUBLE: bool = $double;

            #[inline(always)]
            unsafe fn load(p: *const $elem) -> Self {
                // SAFETY: the caller guarantees LANES readable elements; AVX is present
                // (module docs).
                $v(unsafe { $load(p) })
            }
            #[inline(always)]
            unsafe fn store(self, p: *mut $elem) {
                // SAFETY: the caller guarantees LANES writable elements; AVX is present.
                unsafe { $store(p, self.0) }
            }
            #[inline(always)]
            fn splat(c: f64) -> Self {
                // SAFETY (this and every block below): AVX2 and FMA are present (module docs).
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
                $v(unsafe { $andf(self.0, o.0) })
            }
            #[inline(always)]
            fn or(self, o: Self) -> Self {
                $v(unsafe { $orf(self.0, o.0) })
            }
            #[inline(always)]
            fn xor(self, o: Self) -> Self {
                $v(unsafe { $xorf(self.0, o.0) })
            }
            #[inline(always)]
            fn clear(self, m: Self) -> Self {
                $v(unsafe { $andnotf(m.0, self.0) })
            }
            #[inline(always)]
            fn lt(self, o: Self) -> $reg {
                unsafe { $cmp::<_CMP_LT_OQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn ge(self, o: Self) -> $reg {
                unsafe { $cmp::<_CMP_GE_OQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn eq(self, o: Self) -> $reg {
                unsafe { $cmp::<_CMP_EQ_OQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn lt_or_nan(self, o: Self) -> $reg {
                unsafe { $cmp::<_CMP_NGE_UQ>(self.0, o.0) }
            }
            #[inline(always)]
            fn select(m: $reg, a: Self, b: Self) -> Self {
                $v(unsafe { $blendv(b.0, a.0, m) })
            }
            #[inline(always)]
            fn to_bits(self) -> __m256i {
                unsafe { $tobits(self.0) }
            }
            #[inline(always)]
            fn from_bits(b: __m256i) -> Self {
                $v(unsafe { $frombits(b) })
            }
            #[inline(always)]
            fn iadd_k(b: __m256i, c: i64) -> __m256i {
                unsafe { $iadd(b, $iset1(c as $ity)) }
            }
            #[inline(always)]
            fn isub(a: __m256i, b: __m256i) -> __m256i {
                unsafe { $isub(a, b) }
            }
            #[inline(always)]
            fn iand_k(b: __m256i, c: i64) -> __m256i {
                unsafe { _mm256_and_si256(b, $iset1(c as $ity)) }
            }
            #[inline(always)]
            fn ior_k(b: __m256i, c: i64) -> __m256i {
                unsafe { _mm256_or_si256(b, $iset1(c as $ity)) }
            }
            #[inline(always)]
            fn ushr(b: __m256i, s: u32) -> __m256i {
                unsafe { $srl(b, _mm_cvtsi32_si128(s as i32)) }
            }
            #[inline(always)]
            fn shl(b: __m256i, s: u32) -> __m256i {
                unsafe { $sll(b, _mm_cvtsi32_si128(s as i32)) }
            }
        }
    };
}

avx2_lanes!(F32x8, __m256, f32, 8, false,
    ps: _mm256_loadu_ps _mm256_storeu_ps _mm256_set1_ps _mm256_add_ps _mm256_sub_ps
        _mm256_mul_ps _mm256_div_ps _mm256_fmadd_ps _mm256_max_ps _mm256_min_ps _mm256_and_ps
        _mm256_or_ps _mm256_xor_ps _mm256_andnot_ps _mm256_cmp_ps _mm256_blendv_ps
        _mm256_castps_si256 _mm256_castsi256_ps,
    int: _mm256_add_epi32 _mm256_sub_epi32 _mm256_set1_epi32 i32 _mm256_srl_epi32 _mm256_sll_epi32);
avx2_lanes!(F64x4, __m256d, f64, 4, true,
    ps: _mm256_loadu_pd _mm256_storeu_pd _mm256_set1_pd _mm256_add_pd _mm256_sub_pd
        _mm256_mul_pd _mm256_div_pd _mm256_fmadd_pd _mm256_max_pd _mm256_min_pd _mm256_and_pd
        _mm256_or_pd _mm256_xor_pd _mm256_andnot_pd _mm256_cmp_pd _mm256_blendv_pd
        _mm256_castpd_si256 _mm256_castsi256_pd,
    int: _mm256_add_epi64 _mm256_sub_epi64 _mm256_set1_epi64x i64 _mm256_srl_epi64 _mm256_sll_epi64);

super::entry_points!(Avx2, F32x8, F64x4, "avx2,fma");
