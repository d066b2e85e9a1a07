//! Tile primitives against the double-double oracle of `vmath`'s tests, against
//! `vmath`'s Cranelift code, and level against level.

use super::*;
use crate::backend::cranelift::vmath::tests::{
    DD, Jit, Rng, Want, inputs, reference, special_cases, ulp_err,
};
use crate::backend::cranelift::vmath::{self, MathOptions};
use cranelift_codegen::ir::types;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fun {
    Exp,
    Log,
    Log1p,
    Tanh,
    Sigmoid,
    Softplus,
    ExpNegAbs,
}
use Fun::*;

const FUNS: [Fun; 7] = [Exp, Log, Log1p, Tanh, Sigmoid, Softplus, ExpNegAbs];

impl Fun {
    /// The oracle's name of the function whose arguments this one is tested on.
    fn name(self) -> &'static str {
        match self {
            Exp | ExpNegAbs => "exp",
            Log => "log",
            Log1p => "log1p",
            Tanh => "tanh",
            Sigmoid => "sigmoid",
            Softplus => "softplus",
        }
    }

    fn reference(self, x: f64) -> DD {
        match self {
            ExpNegAbs => reference("exp", -x.abs()),
            _ => reference(self.name(), x),
        }
    }
}

fn run_t<T: Copy + Default>(t: &Table<T>, f: Fun, xs: &[T]) -> Vec<T> {
    let mut y = vec![T::default(); xs.len()];
    match f {
        Exp => t.exp(xs, &mut y).unwrap(),
        Log => t.log(xs, &mut y).unwrap(),
        Log1p => t.log1p(xs, &mut y).unwrap(),
        Tanh => t.tanh(xs, &mut y).unwrap(),
        Sigmoid | Softplus | ExpNegAbs => {
            let (mut a, mut b) = (y.clone(), y.clone());
            t.logistic(xs, &mut a, &mut b, &mut y).unwrap();
            return match f {
                Sigmoid => a,
                Softplus => b,
                _ => y,
            };
        }
    }
    y
}

/// `f` at `level` over `xs` (rounded to `f32` unless `double`), widened to `f64`.
fn run(level: Level, f: Fun, double: bool, xs: &[f64]) -> Vec<f64> {
    let p = primitives(level);
    if double {
        run_t(&p.f64, f, xs)
    } else {
        let x: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
        run_t(&p.f32, f, &x).into_iter().map(f64::from).collect()
    }
}

fn min_normal(double: bool) -> f64 {
    if double {
        f64::MIN_POSITIVE
    } else {
        f32::MIN_POSITIVE as f64
    }
}

/// Max ulp error of `f` at `level` over `xs` where the exact result is a normal number
/// (or zero), and the argument where it occurs.
fn max_err(level: Level, f: Fun, double: bool, xs: &[f64]) -> (f64, f64) {
    let ys = run(level, f, double, xs);
    let (mut worst, mut at) = (0.0f64, 0.0);
    for (&x, &y) in xs.iter().zip(&ys) {
        let r = f.reference(x);
        if r.hi != 0.0 && r.hi.abs() < min_normal(double) {
            continue;
        }
        let e = ulp_err(y, r, double);
        if e.is_nan() || e > worst {
            (worst, at) = (e, x);
        }
    }
    (worst, at)
}

/// Max error of every primitive, level and precision over `n`-sized input sets; panics
/// above 2 ulp.
fn accuracy(n: usize) {
    let mut report = String::new();
    let mut failures = Vec::new();
    for double in [false, true] {
        for f in FUNS {
            let xs = inputs(f.name(), double, n);
            for level in available() {
                let (worst, at) = max_err(level, f, double, &xs);
                let line = format!("{f:?} {level} f64={double}: {worst:.3} ulp at {at:e}");
                if worst.is_nan() || worst > 2.0 {
                    failures.push(line.clone());
                }
                report += &line;
                report.push('\n');
            }
        }
        for level in available() {
            let worst = softmax_accuracy(level, double, n / 100);
            let line = format!("softmax e^(x-m) {level} f64={double}: {worst:.3} ulp");
            if worst.is_nan() || worst > 2.0 {
                failures.push(line.clone());
            }
            report += &line;
            report.push('\n');
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn accuracy_against_the_oracle() {
    accuracy(20_000);
}

/// 25× more arguments. `cargo test --release --lib -- --ignored --nocapture tiles::tests::stress`.
#[test]
#[ignore]
fn stress_accuracy() {
    accuracy(500_000);
}

/// Random rows (lengths up to 1000, values spread over up to ±`spread`): the error of each
/// `e^(x - m)` against the oracle at the rounded difference, and the sum against the exact
/// sum of the outputs within `(n/16 + 4)` roundings. Returns the max ulp error.
fn softmax_accuracy(level: Level, double: bool, rows: usize) -> f64 {
    let mut rng = Rng(0x51ED_270B ^ rows as u64);
    let mut worst = 0.0f64;
    for row in 0..rows.max(20) {
        let n = (rng.next() % 1001) as usize;
        let spread = [1.0, 10.0, 100.0, 1000.0][row % 4];
        let xs: Vec<f64> = (0..n)
            .map(|_| {
                let v = (rng.unif() * 2.0 - 1.0) * spread;
                if double { v } else { v as f32 as f64 }
            })
            .collect();
        let (ys, m, sum) = softmax(level, double, &xs);
        let want_m = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(m, want_m, "row max");
        let mut exact = 0.0f64;
        let mut comp = 0.0f64; // Neumaier-compensated
        for (&x, &y) in xs.iter().zip(&ys) {
            let d = if double {
                x - m
            } else {
                (x as f32 - m as f32) as f64
            };
            let r = reference("exp", d);
            if r.hi == 0.0 || r.hi.abs() >= min_normal(double) {
                worst = worst.max(ulp_err(y, r, double));
            }
            let t = exact + y;
            comp += if exact.abs() >= y.abs() {
                (exact - t) + y
            } else {
                (y - t) + exact
            };
            exact = t;
        }
        let exact = exact + comp;
        let eps = if double {
            2f64.powi(-53)
        } else {
            2f64.powi(-24)
        };
        let bound = (n as f64 / 16.0 + 4.0) * eps * exact;
        assert!(
            (sum - exact).abs() <= bound,
            "{level} f64={double} n={n}: sum {sum} vs {exact}"
        );
    }
    worst
}

/// `(e^(x - m), m, sum)` of one row at `level`, widened to `f64`.
fn softmax(level: Level, double: bool, xs: &[f64]) -> (Vec<f64>, f64, f64) {
    let p = primitives(level);
    if double {
        let mut y = vec![0.0; xs.len()];
        let (m, s) = p.f64.softmax_row(xs, &mut y).unwrap();
        (y, m, s)
    } else {
        let x: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
        let mut y = vec![0.0f32; xs.len()];
        let (m, s) = p.f32.softmax_row(&x, &mut y).unwrap();
        (y.into_iter().map(f64::from).collect(), m.into(), s.into())
    }
}

/// Arguments of every kind: the accuracy inputs, special values, and random bit
/// patterns (NaNs, infinities, subnormals included).
fn all_kinds(f: Fun, double: bool) -> Vec<f64> {
    let mut xs = inputs(f.name(), double, 2000);
    xs.extend([
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        1e-40,
        -1e-40,
        5e-324,
        -1.0,
        1.0,
    ]);
    let mut rng = Rng(0xC0FF_EE00 + double as u64);
    for _ in 0..4000 {
        let b = rng.next();
        xs.push(if double {
            f64::from_bits(b)
        } else {
            f32::from_bits(b as u32) as f64
        });
    }
    xs
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan()
}

#[test]
fn levels_agree_bit_for_bit() {
    for double in [false, true] {
        for f in FUNS {
            let xs = all_kinds(f, double);
            let base = run(Level::Scalar, f, double, &xs);
            for level in available() {
                let ys = run(level, f, double, &xs);
                for ((x, a), b) in xs.iter().zip(&base).zip(&ys) {
                    assert!(
                        same(*a, *b),
                        "{f:?} f64={double} at {x:e}: scalar {a:e}, {level} {b:e}"
                    );
                }
            }
        }
        for n in [0, 1, 7, 15, 16, 17, 100, 1000] {
            let xs: Vec<f64> = (0..n)
                .map(|i| ((i * 37 % 101) as f64 - 50.0) * 0.7)
                .collect();
            let (y0, m0, s0) = softmax(Level::Scalar, double, &xs);
            for level in available() {
                let (y, m, s) = softmax(level, double, &xs);
                assert!(
                    same(m, m0) && same(s, s0),
                    "{level} n={n}: ({m}, {s}) vs ({m0}, {s0})"
                );
                assert!(
                    y.iter().zip(&y0).all(|(a, b)| same(*a, *b)),
                    "{level} n={n}"
                );
            }
        }
    }
}

/// `exp`, `log`, `log1p`, `tanh` and `e^-|x|` are vmath's code with `fma`, bit for bit.
#[test]
fn equals_vmath_with_fma() {
    let mut jit = Jit::new();
    if !jit.has_fma() {
        jit.free();
        return;
    }
    let o = MathOptions { fma: true };
    let pairs: [(Fun, vmath::tests::Emit); 5] = [
        (Exp, vmath::exp),
        (Log, vmath::log),
        (Log1p, vmath::log1p),
        (Tanh, vmath::tanh),
        (ExpNegAbs, vmath::exp_nonpositive),
    ];
    let mut ids = Vec::new();
    for (f, emit) in pairs {
        for ty in [types::F32X4, types::F64X2] {
            ids.push((f, ty, jit.compile(ty, emit, &o)));
        }
    }
    jit.finish();
    for (f, ty, id) in ids {
        let double = ty == types::F64X2;
        let xs = all_kinds(f, double);
        let vx: Vec<f64> = match f {
            ExpNegAbs => xs.iter().map(|x| -x.abs()).collect(),
            _ => xs.clone(),
        };
        let want = jit.run(id, ty, &vx);
        for level in available() {
            let got = run(level, f, double, &xs);
            for ((x, a), b) in xs.iter().zip(&want).zip(&got) {
                assert!(
                    same(*a, *b),
                    "{f:?} {level} {ty} at {x:e}: vmath {a:e}, tile {b:e}"
                );
            }
        }
    }
    jit.free();
}

/// `σ` and `softplus` of the pack against vmath's (one division instead of two): within
/// 2 ulp of each other where the results are normal.
#[test]
fn pack_is_close_to_vmath() {
    let mut jit = Jit::new();
    let o = MathOptions { fma: jit.has_fma() };
    let mut ids = Vec::new();
    for (f, emit) in [
        (Sigmoid, vmath::sigmoid as vmath::tests::Emit),
        (Softplus, vmath::softplus),
    ] {
        for ty in [types::F32X4, types::F64X2] {
            ids.push((f, ty, jit.compile(ty, emit, &o)));
        }
    }
    jit.finish();
    for (f, ty, id) in ids {
        let double = ty == types::F64X2;
        let xs = inputs(f.name(), double, 20_000);
        let want = jit.run(id, ty, &xs);
        let got = run(level(), f, double, &xs);
        for ((x, a), b) in xs.iter().zip(&want).zip(&got) {
            if a.abs() >= min_normal(double) {
                let e = ulp_err(*b, DD { hi: *a, lo: 0.0 }, double);
                assert!(e <= 2.0, "{f:?} {ty} at {x:e}: vmath {a:e}, tile {b:e}");
            }
        }
    }
    jit.free();
}

#[test]
fn special_values() {
    let mut cases: Vec<(&str, f64, Want, Option<bool>)> = special_cases()
        .into_iter()
        .filter(|c| ["exp", "log", "log1p", "tanh", "sigmoid", "softplus"].contains(&c.0))
        .collect();
    let inf = f64::INFINITY;
    for (x, w) in [
        (inf, Want::Is(0.0)),
        (-inf, Want::Is(0.0)),
        (0.0, Want::Is(1.0)),
        (-0.0, Want::Is(1.0)),
        (1e4, Want::Is(0.0)),
        (-1e4, Want::Is(0.0)),
        (f64::NAN, Want::Nan),
        (-f64::NAN, Want::Nan),
        (100.0, Want::Ref),
        (-740.0, Want::Ref),
    ] {
        cases.push(("exp_neg_abs", x, w, None));
    }
    let mut failures = Vec::new();
    for double in [false, true] {
        for level in available() {
            for &(name, x, want, only) in &cases {
                if only.is_some_and(|d| d != double) {
                    continue;
                }
                let f = match name {
                    "exp_neg_abs" => ExpNegAbs,
                    _ => *FUNS
                        .iter()
                        .find(|f| f.name() == name && **f != ExpNegAbs)
                        .unwrap(),
                };
                let x = if double { x } else { x as f32 as f64 };
                let y = run(level, f, double, &[x])[0];
                let ok = match want {
                    Want::Is(w) => {
                        let w = if double { w } else { w as f32 as f64 };
                        y == w && y.is_sign_negative() == w.is_sign_negative()
                    }
                    Want::Nan => y.is_nan(),
                    Want::Ref => ulp_err(y, f.reference(x), double) <= 2.0,
                };
                if !ok {
                    failures.push(format!(
                        "{name}({x:e}) = {y:e} [{level}, f64={double}], want {want:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn softmax_special_rows() {
    for double in [false, true] {
        for level in available() {
            let (y, m, s) = softmax(level, double, &[]);
            assert!(
                y.is_empty() && m == f64::NEG_INFINITY && s == 0.0,
                "{level}: empty row"
            );
            // A NaN does not enter the maximum; its output and the sum are NaN.
            let (y, m, s) = softmax(level, double, &[1.0, f64::NAN, 3.0]);
            assert_eq!(m, 3.0, "{level}");
            assert!(y[1].is_nan() && s.is_nan() && y[2] == 1.0, "{level}: {y:?}");
            // Zeros of both signs: the maximum is +0.
            let (y, m, s) = softmax(level, double, &[-0.0, -1.0, -0.0]);
            assert!(m == 0.0 && m.is_sign_positive(), "{level}: max {m}");
            assert!(y[0] == 1.0 && y[2] == 1.0 && s > 2.0, "{level}");
            // -inf elements give 0; a row of -inf only, or one with +inf, gives NaN.
            let (y, _, s) = softmax(level, double, &[f64::NEG_INFINITY, 0.0]);
            assert!(y == [0.0, 1.0] && s == 1.0, "{level}: {y:?}");
            let (y, _, s) = softmax(level, double, &[f64::NEG_INFINITY; 3]);
            assert!(y.iter().all(|v| v.is_nan()) && s.is_nan(), "{level}");
            let (y, m, _) = softmax(level, double, &[f64::INFINITY, 0.0]);
            assert!(
                m == f64::INFINITY && y[0].is_nan() && y[1] == 0.0,
                "{level}"
            );
        }
    }
}

/// The raw entry points on every length that exercises a tail, at unaligned addresses:
/// equal to the scalar level element by element, nothing written past `n`.
#[test]
fn lengths_and_unaligned_pointers() {
    fn check<T: Copy + Default + PartialEq + std::fmt::Debug + From<f32>>(
        table: &Table<T>,
        base: &Table<T>,
        level: Level,
    ) {
        let sentinel = T::from(-12345.0);
        for n in [0usize, 1, 15, 16, 17, 255, 256, 257] {
            for (so, doff) in [(0usize, 0usize), (1, 3), (3, 1)] {
                let src: Vec<T> = (0..n + so)
                    .map(|i| T::from(((i * 7919) % 200) as f32 * 0.05 - 5.0))
                    .collect();
                let x = &src[so..];
                let outs = |f: &dyn Fn(*const T, [*mut T; 3])| -> [Vec<T>; 3] {
                    let mut bufs = [(); 3].map(|_| vec![sentinel; n + doff + 4]);
                    let ptrs = [0, 1, 2].map(|k| bufs[k][doff..].as_mut_ptr());
                    f(x.as_ptr(), ptrs);
                    for b in &bufs {
                        assert!(
                            b[..doff]
                                .iter()
                                .chain(&b[doff + n..])
                                .all(|v| *v == sentinel)
                        );
                    }
                    bufs.map(|b| b[doff..doff + n].to_vec())
                };
                for (name, m, mb) in [
                    ("exp", table.exp, base.exp),
                    ("log", table.log, base.log),
                    ("log1p", table.log1p, base.log1p),
                    ("tanh", table.tanh, base.tanh),
                ] {
                    // SAFETY: each buffer covers n elements past its offset.
                    let got = outs(&|s, d| unsafe { m(n as u64, s, d[0]) });
                    let want = outs(&|s, d| unsafe { mb(n as u64, s, d[0]) });
                    assert!(eqv(&got[0], &want[0]), "{name} {level} n={n}");
                }
                // SAFETY: as above.
                let got = outs(&|s, d| unsafe { (table.logistic)(n as u64, s, d[0], d[1], d[2]) });
                let want = outs(&|s, d| unsafe { (base.logistic)(n as u64, s, d[0], d[1], d[2]) });
                assert!(
                    (0..3).all(|k| eqv(&got[k], &want[k])),
                    "logistic {level} n={n}"
                );
                let (mut a, mut b) = ([T::default(); 2], [T::default(); 2]);
                let (pa, pb) = (a.as_mut_ptr(), b.as_mut_ptr());
                // SAFETY: as above; the pairs hold two elements.
                let got = outs(&|s, d| unsafe { (table.softmax_row)(n as u64, s, d[0], pa) });
                let want = outs(&|s, d| unsafe { (base.softmax_row)(n as u64, s, d[0], pb) });
                assert!(
                    eqv(&got[0], &want[0]) && eqv(&a, &b),
                    "softmax {level} n={n}"
                );
            }
        }
    }
    /// Equal element by element, NaN matching NaN.
    #[allow(clippy::eq_op)]
    fn eqv<T: PartialEq>(a: &[T], b: &[T]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y || (x != x && y != y))
    }
    let base = primitives(Level::Scalar);
    for level in available() {
        let p = primitives(level);
        assert_eq!(p.level, level);
        check(&p.f32, &base.f32, level);
        check(&p.f64, &base.f64, level);
    }
}

#[test]
fn in_place() {
    let xs: Vec<f32> = (0..300).map(|i| i as f32 * 0.1 - 15.0).collect();
    for level in available() {
        let t = &primitives(level).f32;
        let mut want = vec![0.0; xs.len()];
        t.tanh(&xs, &mut want).unwrap();
        let mut v = xs.clone();
        // SAFETY: `dst == src` is allowed; 300 elements.
        unsafe { (t.tanh)(300, v.as_ptr(), v.as_mut_ptr()) };
        assert_eq!(v, want, "{level}");
    }
}

#[test]
fn mismatched_lengths_are_errors() {
    let t = &current().f32;
    let mut short = [0.0f32; 2];
    let err = t.exp(&[1.0, 2.0, 3.0], &mut short).unwrap_err();
    assert_eq!(
        err.to_string(),
        "tile primitive: output `dst` has 2 elements, the input 3"
    );
    let (mut a, mut b) = ([0.0f32; 3], [0.0f32; 3]);
    let err = t
        .logistic(&[1.0, 2.0, 3.0], &mut a, &mut b, &mut short)
        .unwrap_err();
    assert_eq!(err.output, "exp_neg_abs");
    assert!(t.softmax_row(&[1.0], &mut []).is_err());
}

#[test]
fn levels_caps_and_names() {
    assert_eq!("AVX512".parse::<Level>(), Ok(Level::Avx512));
    assert_eq!(" avx2 ".parse::<Level>(), Ok(Level::Avx2));
    assert_eq!("scalar".parse::<Level>(), Ok(Level::Scalar));
    let err = "sse9".parse::<Level>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown instruction-set level `sse9`; expected avx512, avx2 or scalar"
    );
    assert!(available().contains(&Level::Scalar));
    assert_eq!(available().last(), Some(&detected()));
    // Above what the CPU has, `primitives` answers with what it has.
    assert_eq!(primitives(Level::Avx512).level, detected());
    // The API cap; no other test reads `level()` in a way this could disturb (they
    // name their levels, or accept any).
    set_level_cap(Some(Level::Scalar));
    assert_eq!(level_cap(), Some(Level::Scalar));
    assert_eq!(level(), Level::Scalar);
    assert_eq!(current().level, Level::Scalar);
    set_level_cap(None);
    assert_eq!(level_cap(), None);
    let env = env_cap().ok().flatten();
    assert_eq!(level(), env.map_or(detected(), |c| c.min(detected())));
}
