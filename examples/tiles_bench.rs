//! Throughput of the tile primitives (`lossc::backend::tiles`) per level, against plain
//! loops over Rust's `std` functions. Each primitive is called tile by tile (256
//! elements, the plan for native code) over 2^20 elements, the logistic pack also over
//! 2^24 `f32`; the best of several runs, in ns per element, one thread.
//!
//! ```sh
//! cargo run --release --example tiles_bench            # every level this CPU has
//! LOSSC_ISA=avx2 cargo run --release --example tiles_bench   # cap the level
//! ```

use lossc::backend::tiles::{self, Level, Table};
use std::hint::black_box;
use std::time::Instant;

const TILE: usize = 256;
const ROW: usize = 1000; // softmax row length (W5's classes)

/// Best ns/element of `f` over `reps` runs on `n` elements.
fn time(n: usize, reps: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm up
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e9 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// Deterministic arguments in `[lo, hi]`.
fn args<T: From<f32>>(n: usize, lo: f32, hi: f32) -> Vec<T> {
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            T::from(lo + (hi - lo) * ((s >> 40) as f32 / (1u64 << 24) as f32))
        })
        .collect()
}

trait Elem: Copy + Default + From<f32> + PartialOrd + 'static {
    const NAME: &'static str;
    fn table(l: Level) -> &'static Table<Self>;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn ln_1p(self) -> Self;
    fn tanh(self) -> Self;
    fn logistic(self) -> (Self, Self, Self);
    fn sub(self, o: Self) -> Self;
    fn add(self, o: Self) -> Self;
}

macro_rules! elem {
    ($t:ty, $field:ident) => {
        impl Elem for $t {
            const NAME: &'static str = stringify!($t);
            fn table(l: Level) -> &'static Table<$t> {
                &tiles::primitives(l).$field
            }
            fn exp(self) -> $t {
                <$t>::exp(self)
            }
            fn ln(self) -> $t {
                <$t>::ln(self)
            }
            fn ln_1p(self) -> $t {
                <$t>::ln_1p(self)
            }
            fn tanh(self) -> $t {
                <$t>::tanh(self)
            }
            fn logistic(self) -> ($t, $t, $t) {
                let e = (-self.abs()).exp();
                let s = if self >= 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                (s, self.max(0.0) + e.ln_1p(), e)
            }
            fn sub(self, o: $t) -> $t {
                self - o
            }
            fn add(self, o: $t) -> $t {
                self + o
            }
        }
    };
}
elem!(f32, f32);
elem!(f64, f64);

/// One line per primitive: std, then each level.
fn bench<T: Elem>(n: usize, reps: usize, levels: &[Level]) {
    type Std<T> = fn(T) -> T;
    type Tile<T> = fn(&Table<T>, &[T], &mut [T]);
    type Case<T> = (&'static str, f32, f32, Std<T>, Tile<T>);
    let maps: [Case<T>; 4] = [
        ("exp", -10.0, 10.0, T::exp, |t, s, d| t.exp(s, d).unwrap()),
        ("log", 1e-3, 1e3, T::ln, |t, s, d| t.log(s, d).unwrap()),
        ("log1p", -0.5, 10.0, T::ln_1p, |t, s, d| {
            t.log1p(s, d).unwrap()
        }),
        ("tanh", -5.0, 5.0, T::tanh, |t, s, d| t.tanh(s, d).unwrap()),
    ];
    for (name, lo, hi, std_f, tile_f) in maps {
        let x: Vec<T> = args(n, lo, hi);
        let mut y = vec![T::default(); n];
        let mut line = format!("{:<9} {:<4}", name, T::NAME);
        let t = time(n, reps, || {
            for (a, b) in x.iter().zip(y.iter_mut()) {
                *b = std_f(*a);
            }
            black_box(&mut y);
        });
        line += &format!(" {t:>8.3}");
        for &l in levels {
            let table = T::table(l);
            let t = time(n, reps, || {
                for (s, d) in x.chunks(TILE).zip(y.chunks_mut(TILE)) {
                    tile_f(table, s, d);
                }
                black_box(&mut y);
            });
            line += &format!(" {t:>8.3}");
        }
        println!("{line}");
    }
    println!("{}", logistic_line::<T>(n, reps, levels));
    // Softmax rows: max, exp(x - max) written out, sum.
    let x: Vec<T> = args(n - n % ROW, -10.0, 10.0);
    let mut y = vec![T::default(); x.len()];
    let mut line = format!("{:<9} {:<4}", "softmax", T::NAME);
    let t = time(x.len(), reps, || {
        let mut total = T::default();
        for (s, d) in x.chunks(ROW).zip(y.chunks_mut(ROW)) {
            let m = s
                .iter()
                .copied()
                .fold(T::from(f32::NEG_INFINITY), |m, v| if v > m { v } else { m });
            let mut sum = T::default();
            for (a, b) in s.iter().zip(d.iter_mut()) {
                *b = a.sub(m).exp();
                sum = sum.add(*b);
            }
            total = total.add(sum);
        }
        black_box(total);
    });
    line += &format!(" {t:>8.3}");
    for &l in levels {
        let table = T::table(l);
        let t = time(x.len(), reps, || {
            for (s, d) in x.chunks(ROW).zip(y.chunks_mut(ROW)) {
                black_box(table.softmax_row(s, d).unwrap());
            }
        });
        line += &format!(" {t:>8.3}");
    }
    println!("{line}");
}

fn logistic_line<T: Elem>(n: usize, reps: usize, levels: &[Level]) -> String {
    let x: Vec<T> = args(n, -10.0, 10.0);
    let (mut a, mut b, mut c) = (
        vec![T::default(); n],
        vec![T::default(); n],
        vec![T::default(); n],
    );
    let mut line = format!("{:<9} {:<4}", "logistic", T::NAME);
    let t = time(n, reps, || {
        for i in 0..n {
            (a[i], b[i], c[i]) = x[i].logistic();
        }
        black_box((&mut a, &mut b, &mut c));
    });
    line += &format!(" {t:>8.3}");
    for &l in levels {
        let table = T::table(l);
        let t = time(n, reps, || {
            for (((s, p), q), r) in x
                .chunks(TILE)
                .zip(a.chunks_mut(TILE))
                .zip(b.chunks_mut(TILE))
                .zip(c.chunks_mut(TILE))
            {
                table.logistic(s, p, q, r).unwrap();
            }
            black_box((&mut a, &mut b, &mut c));
        });
        line += &format!(" {t:>8.3}");
    }
    line
}

fn main() {
    let levels: Vec<Level> = tiles::available()
        .into_iter()
        .filter(|&l| l <= tiles::level())
        .collect();
    println!(
        "tile primitives, ns/element (best of runs, one thread, tiles of {TILE}); detected {}, level {}",
        tiles::detected(),
        tiles::level()
    );
    let head: String = levels.iter().map(|l| format!(" {:>8}", l.name())).collect();
    println!(
        "\n2^20 elements (softmax: rows of {ROW})\n{:<14} {:>8}{head}",
        "primitive", "std"
    );
    bench::<f32>(1 << 20, 7, &levels);
    bench::<f64>(1 << 20, 7, &levels);
    println!(
        "\nlogistic pack, 2^24 f32\n{:<14} {:>8}{head}",
        "primitive", "std"
    );
    println!("{}", logistic_line::<f32>(1 << 24, 3, &levels));
    // The planned use: the input streams from memory, the outputs go to one tile of
    // scratch that the next (Cranelift) step reads while it is in L1.
    let n = 1 << 24;
    let x: Vec<f32> = args(n, -10.0, 10.0);
    let mut line = format!("{:<14}", "into scratch");
    let mut std_s = [[0f32; TILE]; 3];
    let t = time(n, 3, || {
        for s in x.chunks(TILE) {
            for (i, v) in s.iter().enumerate() {
                (std_s[0][i], std_s[1][i], std_s[2][i]) = Elem::logistic(*v);
            }
            black_box(&mut std_s);
        }
    });
    line += &format!(" {t:>8.3}");
    for &l in &levels {
        let table = <f32 as Elem>::table(l);
        let [mut p, mut q, mut r] = [[0f32; TILE]; 3];
        let t = time(n, 3, || {
            for s in x.chunks(TILE) {
                let k = s.len();
                table
                    .logistic(s, &mut p[..k], &mut q[..k], &mut r[..k])
                    .unwrap();
                black_box((&mut p, &mut q, &mut r));
            }
        });
        line += &format!(" {t:>8.3}");
    }
    println!("{line}");
}
