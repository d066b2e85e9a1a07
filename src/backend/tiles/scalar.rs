//! The portable level: one lane at a time in plain Rust, the same operations as the
//! vector levels (`mul_add` where they fuse), so its results equal theirs bit for bit.
//! It serves other architectures and x86-64 machines without AVX2. On x86-64 without
//! FMA, `mul_add` is a library routine (correct, slow); the backend keeps `vmath`'s
//! inline code there.

use super::algo::Lanes;

macro_rules! scalar_lanes {
    ($t:ty, $bits:ty, $double:expr) => {
        impl Lanes for $t {
            type Elem = $t;
            type Bits = $bits;
            type Mask = bool;
            const LANES: usize = 1;
            const DOUBLE: bool = $double;

            #[inline(always)]
            unsafe fn load(p: *const $t) -> $t {
                // SAFETY: the caller guarantees one readable element (any alignment).
                unsafe { p.read_unaligned() }
            }
            #[inline(always)]
            unsafe fn store(self, p: *mut $t) {
                // SAFETY: the caller guarantees one writable element (any alignment).
                unsafe { p.write_unaligned(self) }
            }
            #[inline(always)]
            fn splat(c: f64) -> $t {
                c as $t
            }
            #[inline(always)]
            fn add(self, o: $t) -> $t {
                self + o
            }
            #[inline(always)]
            fn sub(self, o: $t) -> $t {
                self - o
            }
            #[inline(always)]
            fn mul(self, o: $t) -> $t {
                self * o
            }
            #[inline(always)]
            fn div(self, o: $t) -> $t {
                self / o
            }
            #[inline(always)]
            fn fma(self, m: $t, a: $t) -> $t {
                self.mul_add(m, a)
            }
            #[inline(always)]
            fn max(self, o: $t) -> $t {
                if self > o { self } else { o }
            }
            #[inline(always)]
            fn min(self, o: $t) -> $t {
                if self < o { self } else { o }
            }
            #[inline(always)]
            fn and(self, o: $t) -> $t {
                <$t>::from_bits(self.to_bits() & o.to_bits())
            }
            #[inline(always)]
            fn or(self, o: $t) -> $t {
                <$t>::from_bits(self.to_bits() | o.to_bits())
            }
            #[inline(always)]
            fn xor(self, o: $t) -> $t {
                <$t>::from_bits(self.to_bits() ^ o.to_bits())
            }
            #[inline(always)]
            fn clear(self, m: $t) -> $t {
                <$t>::from_bits(self.to_bits() & !m.to_bits())
            }
            #[inline(always)]
            fn lt(self, o: $t) -> bool {
                self < o
            }
            #[inline(always)]
            fn ge(self, o: $t) -> bool {
                self >= o
            }
            #[inline(always)]
            fn eq(self, o: $t) -> bool {
                self == o
            }
            #[inline(always)]
            #[allow(clippy::neg_cmp_op_on_partial_ord)] // true for NaN, on purpose
            fn lt_or_nan(self, o: $t) -> bool {
                !(self >= o)
            }
            #[inline(always)]
            fn select(m: bool, a: $t, b: $t) -> $t {
                if m { a } else { b }
            }
            #[inline(always)]
            fn to_bits(self) -> $bits {
                <$t>::to_bits(self)
            }
            #[inline(always)]
            fn from_bits(b: $bits) -> $t {
                <$t>::from_bits(b)
            }
            #[inline(always)]
            fn iadd_k(b: $bits, c: i64) -> $bits {
                b.wrapping_add(c as $bits)
            }
            #[inline(always)]
            fn isub(a: $bits, b: $bits) -> $bits {
                a.wrapping_sub(b)
            }
            #[inline(always)]
            fn iand_k(b: $bits, c: i64) -> $bits {
                b & c as $bits
            }
            #[inline(always)]
            fn ior_k(b: $bits, c: i64) -> $bits {
                b | c as $bits
            }
            #[inline(always)]
            fn ushr(b: $bits, s: u32) -> $bits {
                b >> s
            }
            #[inline(always)]
            fn shl(b: $bits, s: u32) -> $bits {
                b << s
            }
        }
    };
}

scalar_lanes!(f32, u32, false);
scalar_lanes!(f64, u64, true);

super::entry_points!(Scalar, f32, f64);
