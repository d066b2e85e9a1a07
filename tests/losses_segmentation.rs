//! The segmentation family (`dice`, `jaccard`, `tversky`, `focal_tversky`,
//! `generalized_dice`) in its three modes (binary, multilabel, multiclass),
//! with every option (smooth, eps, from_logits, class_weight, ignore_index,
//! empty), against an independent float64 implementation written out here:
//! values *and* hand-derived gradients (per-class sums, the chain through the
//! eps clamp, the class average, sigmoid or softmax), on random inputs from a
//! seeded RNG (the seed is printed; set `LOSSC_TEST_SEED` to reproduce), on
//! extreme inputs (logits ±1e4, probabilities exactly 0 and 1, empty masks,
//! all pixels ignored), against central finite differences, and native
//! kernels against the reference evaluator.
//!
//! Tolerances. Both sides compute in float64 from the same inputs (f32 data is
//! rounded first, as the library widens it) with algebraically equal formulas;
//! they differ only by summation order and the rounding of equivalent
//! expressions. The losses are `1 - ratio` with ratio in [0, 1] and sums of
//! non-negative terms (condition number O(1)), so:
//! - values: `|got - want| <= 1e-10 * |want| + 1e-12` (the 1e-12 absolute part
//!   covers `1 - ratio` near 0, which cannot be more accurate than ~1e-16);
//! - gradients: `|got - want| <= 1e-9 * |want| + 1e-12 * max(1, max|want|)`
//!   (the absolute part covers the cancellations in `-t/D + num*(...)/D^2` and
//!   in the softmax chain `q*(g - sum q*g)`, each a few ulp of the largest
//!   entry).
//!
//! Finite differences (`check_fd`, step `1e-6 * max(1, |x|)`, central):
//! `|g - fd| <= 1e-5 * max(|g|, |fd|) + 1e-7 * max(1, |f|)`, three orders
//! above the truncation (~1e-12) and rounding (~1e-10) errors; inputs keep
//! smooth > 0 (no eps clamp kink) and targets fixed (the empty-class and
//! ignore masks depend only on the target).
//!
//! Native kernels: `common::native::check_native` (1, 7, 1031 and 40 000
//! rows, float32 and float64; tolerances 1e-11 in float64, 2e-5 of the
//! gradient scale in float32). Every mode must compile natively, multilabel
//! and multiclass included (their per-class sums `sum(x, axis = 0)` are class
//! sums in the code generator).
//!
//! Multiclass specs declare the class axis by name (`f32[N, C]`) when the row
//! count is even and by size (`f32[N, 3]`) when it is odd, so both forms of
//! `onehot(y, dim(p))` are exercised.

mod common;

use common::native::check_native;
use common::*;
use lossc::diag::DiagKind;
use lossc::native::Precision;
use lossc::{Evaluation, LossSpec, OwnedInputs};

const V_RTOL: f64 = 1e-10;
const V_ATOL: f64 = 1e-12;
const G_RTOL: f64 = 1e-9;
const G_ATOL: f64 = 1e-12;
const FD_RTOL: f64 = 1e-5;
const FD_ATOL: f64 = 1e-7;

// ---- the problem: loss, options, data ------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Binary,
    Multilabel,
    Multiclass,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Binary => "binary",
            Mode::Multilabel => "multilabel",
            Mode::Multiclass => "multiclass",
        }
    }
}

const MODES: [Mode; 3] = [Mode::Binary, Mode::Multilabel, Mode::Multiclass];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Loss {
    Dice,
    Jaccard,
    /// alpha (false positives), beta (false negatives); `None` = default.
    Tversky(Option<(f64, f64)>),
    /// alpha, beta, gamma; `None` = defaults (0.3, 0.7, 0.75).
    FocalTversky(Option<(f64, f64, f64)>),
    Gdl,
}

impl Loss {
    fn name(self) -> &'static str {
        match self {
            Loss::Dice => "dice",
            Loss::Jaccard => "jaccard",
            Loss::Tversky(_) => "tversky",
            Loss::FocalTversky(_) => "focal_tversky",
            Loss::Gdl => "generalized_dice",
        }
    }

    fn default_smooth(self) -> f64 {
        if self == Loss::Gdl { 1e-5 } else { 1.0 }
    }

    fn default_empty(self) -> &'static str {
        if self == Loss::Gdl { "max" } else { "smooth" }
    }

    fn empties(self) -> &'static [&'static str] {
        if self == Loss::Gdl {
            &["max", "zero"]
        } else {
            &["smooth", "zero", "skip"]
        }
    }
}

/// Every option; `None` means "not passed" (the default applies).
#[derive(Clone, Debug)]
struct Opts {
    mode: Option<Mode>,
    smooth: Option<f64>,
    eps: Option<f64>,
    from_logits: bool,
    class_weight: Option<Vec<f64>>,
    ignore_index: Option<i64>,
    empty: Option<&'static str>,
}

impl Opts {
    fn plain(mode: Mode) -> Opts {
        Opts {
            mode: if mode == Mode::Binary {
                None
            } else {
                Some(mode)
            },
            smooth: None,
            eps: None,
            from_logits: true,
            class_weight: None,
            ignore_index: None,
            empty: None,
        }
    }
    fn mode(&self) -> Mode {
        self.mode.unwrap_or(Mode::Binary)
    }
}

/// Data: `n` rows of `c` classes (binary: `n` elements, `c` = 1, any shape).
/// `y` holds 0/1 (or soft) targets shaped like `p`, or in multiclass mode one
/// integer label per row (stored as f64).
#[derive(Clone, Debug)]
struct Case {
    shape: Vec<usize>,
    n: usize,
    c: usize,
    p: Vec<f64>,
    y: Vec<f64>,
}

/// How a multiclass spec declares the class axis: by name for an even row
/// count, by size for an odd one.
fn class_axis(case: &Case) -> String {
    if case.n % 2 == 0 {
        "C".to_string()
    } else {
        case.c.to_string()
    }
}

/// The spec text for a loss, options and data.
fn spec_text(loss: Loss, o: &Opts, case: &Case) -> String {
    let mode = o.mode();
    let mut args: Vec<String> = Vec::new();
    let mut decls = String::new();
    match mode {
        Mode::Binary => {}
        Mode::Multilabel => {
            decls.push_str("input p: f32[N, C]\ntarget y: f32[N, C]\n");
            args.push("p".into());
            args.push("y".into());
        }
        Mode::Multiclass => {
            // Named or fixed class axis: see the module comment.
            decls.push_str(&format!(
                "input p: f32[N, {}]\ntarget y: i64[N]\n",
                class_axis(case)
            ));
            args.push("p".into());
            args.push("y".into());
        }
    }
    if o.class_weight.is_some() {
        if mode == Mode::Multiclass {
            decls.push_str(&format!("target w: f32[{}]\n", class_axis(case)));
        } else {
            decls.push_str("target w: f32[C]\n");
        }
    }
    match loss {
        Loss::Tversky(Some((a, b))) => {
            args.push(format!("alpha = {a:?}"));
            args.push(format!("beta = {b:?}"));
        }
        Loss::FocalTversky(Some((a, b, g))) => {
            args.push(format!("alpha = {a:?}"));
            args.push(format!("beta = {b:?}"));
            args.push(format!("gamma = {g:?}"));
        }
        _ => {}
    }
    if let Some(m) = o.mode {
        args.push(format!("mode = \"{}\"", m.name()));
    }
    if let Some(s) = o.smooth {
        args.push(format!("smooth = {s:?}"));
    }
    if let Some(e) = o.eps {
        args.push(format!("eps = {e:?}"));
    }
    if !o.from_logits {
        args.push("from_logits = false".into());
    }
    if o.class_weight.is_some() {
        args.push("class_weight = w".into());
    }
    if let Some(k) = o.ignore_index {
        args.push(format!("ignore_index = {k}"));
    }
    if let Some(e) = o.empty {
        args.push(format!("empty = \"{e}\""));
    }
    let call = if args.is_empty() {
        loss.name().to_string()
    } else {
        format!("{}({})", loss.name(), args.join(", "))
    };
    format!("{decls}{call}")
}

/// The inputs for a case, `p` (and `y`, `w`) in float type `fl`.
fn case_inputs(o: &Opts, case: &Case, fl: Float) -> OwnedInputs {
    let mode = o.mode();
    let (pn, yn) = if mode == Mode::Binary {
        ("pred", "target")
    } else {
        ("p", "y")
    };
    let mut v = vec![(pn, fl.data(&case.shape, &case.p))];
    if mode == Mode::Multiclass {
        let labels: Vec<i64> = case.y.iter().map(|&x| x as i64).collect();
        v.push((yn, i64_data(&[case.n], &labels)));
    } else {
        v.push((yn, fl.data(&case.shape, &case.y)));
    }
    if let Some(w) = &o.class_weight {
        v.push(("w", fl.data(&[case.c], w)));
    }
    inputs(v)
}

fn pred_name(o: &Opts) -> &'static str {
    if o.mode() == Mode::Binary {
        "pred"
    } else {
        "p"
    }
}

// ---- the reference -------------------------------------------------------------

/// Derivative of `max(x, eps)` with respect to x (PyTorch: 1/2 on a tie).
fn clamp_slope(x: f64, eps: f64) -> f64 {
    if x > eps {
        1.0
    } else if x == eps {
        0.5
    } else {
        0.0
    }
}

/// Value and gradient with respect to the prediction, in float64, written from
/// the definitions (smp / Sudre / Abraham & Khan), not from the prelude.
fn reference(loss: Loss, o: &Opts, case: &Case) -> (f64, Vec<f64>) {
    let mode = o.mode();
    let (n, c) = (case.n, case.c);
    let smooth = o.smooth.unwrap_or(loss.default_smooth());
    let eps = o.eps.unwrap_or(1e-7);
    let empty = o.empty.unwrap_or(loss.default_empty());
    let at = |i: usize, k: usize| i * c + k;

    // Probabilities (unmasked), the validity mask and the target, [n][c].
    let mut q0 = vec![0.0; n * c];
    let mut valid = vec![1.0; n * c];
    let mut t = vec![0.0; n * c];
    for i in 0..n {
        let row = &case.p[i * c..(i + 1) * c];
        let probs: Vec<f64> = if !o.from_logits {
            row.to_vec()
        } else if mode == Mode::Multiclass {
            softmax(row)
        } else {
            row.iter().map(|&x| sigmoid(x)).collect()
        };
        for k in 0..c {
            q0[at(i, k)] = probs[k];
            if mode == Mode::Multiclass {
                let label = case.y[i];
                let ok = o.ignore_index.is_none_or(|ii| label != ii as f64);
                valid[at(i, k)] = if ok { 1.0 } else { 0.0 };
                t[at(i, k)] = if ok && label as usize == k { 1.0 } else { 0.0 };
            } else {
                let y = case.y[at(i, k)];
                let ok = o.ignore_index.is_none_or(|ii| y != ii as f64);
                valid[at(i, k)] = if ok { 1.0 } else { 0.0 };
                t[at(i, k)] = if ok { y } else { 0.0 };
            }
        }
    }
    let q: Vec<f64> = q0.iter().zip(&valid).map(|(a, b)| a * b).collect();

    // Per-class sums.
    let col = |f: &dyn Fn(usize) -> f64, k: usize| (0..n).map(|i| f(at(i, k))).sum::<f64>();
    let inter: Vec<f64> = (0..c).map(|k| col(&|j| q[j] * t[j], k)).collect();
    let qs: Vec<f64> = (0..c).map(|k| col(&|j| q[j], k)).collect();
    let ts: Vec<f64> = (0..c).map(|k| col(&|j| t[j], k)).collect();
    let fps: Vec<f64> = (0..c).map(|k| col(&|j| q[j] * (1.0 - t[j]), k)).collect();
    let fns: Vec<f64> = (0..c).map(|k| col(&|j| (1.0 - q[j]) * t[j], k)).collect();
    let present: Vec<bool> = ts.iter().map(|&s| s > 0.0).collect();
    let cw: Vec<f64> = o.class_weight.clone().unwrap_or(vec![1.0; c]);

    // dL/dq, [n][c].
    let mut g = vec![0.0; n * c];
    let value;
    if loss == Loss::Gdl {
        let w_seen: Vec<f64> = (0..c)
            .map(|k| {
                if present[k] {
                    1.0 / (ts[k] * ts[k]).max(1e-300)
                } else {
                    0.0
                }
            })
            .collect();
        let fill = match empty {
            "zero" => 0.0,
            "max" => w_seen.iter().cloned().fold(0.0, f64::max),
            e => panic!("empty {e}"),
        };
        let w: Vec<f64> = (0..c)
            .map(|k| cw[k] * if present[k] { w_seen[k] } else { fill })
            .collect();
        let num = 2.0 * (0..c).map(|k| w[k] * inter[k]).sum::<f64>() + smooth;
        let den_raw = (0..c).map(|k| w[k] * (qs[k] + ts[k])).sum::<f64>() + smooth;
        let den = den_raw.max(eps);
        value = 1.0 - num / den;
        let slope = clamp_slope(den_raw, eps);
        for i in 0..n {
            for k in 0..c {
                let j = at(i, k);
                g[j] = -2.0 * w[k] * t[j] / den + num / (den * den) * slope * w[k];
            }
        }
    } else {
        // Per-class loss l_k and the slope of l_k in q_ik as a function of t_ik.
        let mut l = vec![0.0; c];
        let mut dl: Vec<Box<dyn Fn(f64) -> f64>> = Vec::new();
        for k in 0..c {
            let (num, den_raw, dnum, dden): (f64, f64, f64, Box<dyn Fn(f64) -> f64>) = match loss {
                Loss::Dice => (
                    2.0 * inter[k] + smooth,
                    qs[k] + ts[k] + smooth,
                    2.0,
                    Box::new(|_t| 1.0),
                ),
                Loss::Jaccard => (
                    inter[k] + smooth,
                    qs[k] + ts[k] - inter[k] + smooth,
                    1.0,
                    Box::new(|t| 1.0 - t),
                ),
                Loss::Tversky(ab) => {
                    let (a, b) = ab.unwrap_or((0.5, 0.5));
                    (
                        inter[k] + smooth,
                        inter[k] + a * fps[k] + b * fns[k] + smooth,
                        1.0,
                        Box::new(move |t| t + a * (1.0 - t) - b * t),
                    )
                }
                Loss::FocalTversky(abg) => {
                    let (a, b, _) = abg.unwrap_or((0.3, 0.7, 0.75));
                    (
                        inter[k] + smooth,
                        inter[k] + a * fps[k] + b * fns[k] + smooth,
                        1.0,
                        Box::new(move |t| t + a * (1.0 - t) - b * t),
                    )
                }
                Loss::Gdl => unreachable!(),
            };
            let den = den_raw.max(eps);
            let slope = clamp_slope(den_raw, eps);
            let d = 1.0 - num / den;
            // d(d)/dq = -dnum*t/den + num/den^2 * slope * dden(t)
            let dd = move |t: f64| -dnum * t / den + num / (den * den) * slope * dden(t);
            match loss {
                Loss::FocalTversky(abg) => {
                    let gamma = abg.map_or(0.75, |x| x.2);
                    if gamma == 1.0 {
                        l[k] = d;
                        dl.push(Box::new(dd));
                    } else if d > 0.0 {
                        l[k] = d.powf(gamma);
                        let f = gamma * d.powf(gamma - 1.0);
                        dl.push(Box::new(move |t| f * dd(t)));
                    } else {
                        l[k] = 0.0;
                        dl.push(Box::new(|_| 0.0));
                    }
                }
                _ => {
                    l[k] = d;
                    dl.push(Box::new(dd));
                }
            }
        }
        // Averaging weights a_k.
        let a: Vec<f64> = if mode == Mode::Binary {
            assert!(o.class_weight.is_none());
            match empty {
                "smooth" => vec![1.0],
                "zero" | "skip" => vec![if present[0] { 1.0 } else { 0.0 }],
                e => panic!("empty {e}"),
            }
        } else {
            let pres: Vec<f64> = present.iter().map(|&b| if b { 1.0 } else { 0.0 }).collect();
            let total: f64 = cw.iter().sum();
            match empty {
                "smooth" => cw.iter().map(|w| w / total).collect(),
                "zero" => (0..c).map(|k| cw[k] * pres[k] / total).collect(),
                "skip" => {
                    let den: f64 = (0..c).map(|k| cw[k] * pres[k]).sum();
                    (0..c)
                        .map(|k| {
                            if den > 0.0 {
                                cw[k] * pres[k] / den
                            } else {
                                0.0
                            }
                        })
                        .collect()
                }
                e => panic!("empty {e}"),
            }
        };
        value = (0..c).map(|k| a[k] * l[k]).sum();
        for i in 0..n {
            for k in 0..c {
                let j = at(i, k);
                g[j] = if a[k] == 0.0 { 0.0 } else { a[k] * dl[k](t[j]) };
            }
        }
    }

    // Chain to the prediction: the ignore mask, then sigmoid or softmax.
    for j in 0..n * c {
        g[j] *= valid[j];
    }
    let mut gp = vec![0.0; n * c];
    for i in 0..n {
        for k in 0..c {
            let j = at(i, k);
            gp[j] = if !o.from_logits {
                g[j]
            } else if mode == Mode::Multiclass {
                let dot: f64 = (0..c).map(|m| q0[at(i, m)] * g[at(i, m)]).sum();
                q0[j] * (g[j] - dot)
            } else {
                let x = case.p[j];
                g[j] * sigmoid(x) * sigmoid(-x)
            };
        }
    }
    (value, gp)
}

// ---- checking ------------------------------------------------------------------

/// Evaluate and compare value and gradient with the reference.
fn check(loss: Loss, o: &Opts, case: &Case, fl: Float, ctx: &str) -> Evaluation {
    let text = spec_text(loss, o, case);
    let mut case = case.clone();
    case.p = fl.round(case.p);
    if o.mode() != Mode::Multiclass {
        case.y = fl.round(case.y);
    }
    let mut o2 = o.clone();
    o2.class_weight = o.class_weight.clone().map(|w| fl.round(w));
    let ins = case_inputs(&o2, &case, fl);
    let (want, gwant) = reference(loss, &o2, &case);
    let r = eval(&text, None, &ins);
    assert!(
        want.is_finite(),
        "{ctx}: reference value {want} for `{text}`"
    );
    assert!(
        r.value.is_finite(),
        "{ctx}: `{text}` value {} is not finite",
        r.value
    );
    assert_close(
        r.value,
        want,
        V_RTOL,
        V_ATOL,
        &format!("{ctx}: value of `{text}`"),
    );
    let g = grad(&r, pred_name(o));
    assert_all_finite(&g, &format!("{ctx}: gradient of `{text}`"));
    assert_all_close(
        &g,
        &gwant,
        G_RTOL,
        G_ATOL,
        &format!("{ctx}: gradient of `{text}`"),
    );
    r
}

// ---- random data ---------------------------------------------------------------

/// Random data for a mode. Some classes are left empty on purpose; with
/// `ignore` some entries carry the ignore label.
fn random_case(
    rng: &mut Rng,
    mode: Mode,
    from_logits: bool,
    ignore: Option<i64>,
    soft: bool,
) -> Case {
    let logits = |rng: &mut Rng, k: usize| {
        if from_logits {
            rng.normals(k, 3.0)
        } else {
            rng.uniforms(k, 0.0, 1.0)
        }
    };
    match mode {
        Mode::Binary => {
            let shape = match rng.usize(0, 2) {
                0 => vec![rng.usize(1, 30)],
                1 => vec![rng.usize(1, 6), rng.usize(1, 5)],
                _ => vec![rng.usize(1, 3), rng.usize(1, 4), rng.usize(1, 3)],
            };
            let n: usize = shape.iter().product();
            let p = logits(rng, n);
            let empty_mask = rng.bool(0.2);
            let y = (0..n)
                .map(|_| {
                    if let Some(ii) = ignore.filter(|_| rng.bool(0.2)) {
                        ii as f64
                    } else if empty_mask {
                        0.0
                    } else if soft {
                        rng.unit()
                    } else {
                        f64::from(u8::from(rng.bool(0.4)))
                    }
                })
                .collect();
            Case {
                shape,
                n,
                c: 1,
                p,
                y,
            }
        }
        Mode::Multilabel => {
            let (n, c) = (rng.usize(1, 12), rng.usize(1, 5));
            let p = logits(rng, n * c);
            let empty_col: Vec<bool> = (0..c).map(|_| rng.bool(0.3)).collect();
            let mut y = vec![0.0; n * c];
            for i in 0..n {
                for k in 0..c {
                    y[i * c + k] = if let Some(ii) = ignore.filter(|_| rng.bool(0.2)) {
                        ii as f64
                    } else if empty_col[k] {
                        0.0
                    } else if soft {
                        rng.unit()
                    } else {
                        f64::from(u8::from(rng.bool(0.5)))
                    };
                }
            }
            Case {
                shape: vec![n, c],
                n,
                c,
                p,
                y,
            }
        }
        Mode::Multiclass => {
            let (n, c) = (rng.usize(1, 12), rng.usize(2, 5));
            let p = if from_logits {
                rng.normals(n * c, 3.0)
            } else {
                (0..n).flat_map(|_| rng.simplex(c)).collect()
            };
            // Labels from a random subset of the classes (others stay empty).
            let used: Vec<usize> = (0..c).filter(|_| rng.bool(0.7)).collect();
            let used = if used.is_empty() {
                vec![rng.usize(0, c - 1)]
            } else {
                used
            };
            let y = (0..n)
                .map(|_| {
                    if let Some(ii) = ignore.filter(|_| rng.bool(0.25)) {
                        ii as f64
                    } else {
                        rng.pick(&used) as f64
                    }
                })
                .collect();
            Case {
                shape: vec![n, c],
                n,
                c,
                p,
                y,
            }
        }
    }
}

fn all_losses(rng: &mut Rng) -> Vec<Loss> {
    vec![
        Loss::Dice,
        Loss::Jaccard,
        Loss::Tversky(None),
        Loss::Tversky(Some((rng.uniform(0.0, 1.0), rng.uniform(0.0, 1.0)))),
        Loss::FocalTversky(None),
        Loss::FocalTversky(Some((
            rng.uniform(0.1, 0.9),
            rng.uniform(0.1, 0.9),
            rng.pick(&[0.5, 1.0, 1.5, 2.0, 4.0 / 3.0]),
        ))),
        Loss::Gdl,
    ]
}

/// Random options for a loss and mode.
fn random_opts(rng: &mut Rng, loss: Loss, mode: Mode, c_hint: bool) -> Opts {
    let mut o = Opts::plain(mode);
    if mode == Mode::Binary && rng.bool(0.3) {
        o.mode = Some(Mode::Binary);
    }
    o.smooth = rng.pick(&[None, Some(0.0), Some(0.5), Some(1e-5), Some(1.0), Some(2.0)]);
    o.eps = rng.pick(&[None, Some(1e-7), Some(1e-3)]);
    o.from_logits = rng.bool(0.7);
    if mode != Mode::Binary && c_hint && rng.bool(0.5) {
        o.class_weight = Some(vec![]); // sized by the caller
    }
    if rng.bool(0.35) {
        o.ignore_index = Some(match mode {
            Mode::Multiclass => rng.pick(&[-100, 0, 255]),
            _ => rng.pick(&[-1, 255]),
        });
    }
    o.empty = if rng.bool(0.3) {
        None
    } else {
        Some(rng.pick(loss.empties()))
    };
    o
}

#[test]
fn random_inputs_every_loss_mode_and_option() {
    let mut rng = rng("random_inputs_every_loss_mode_and_option");
    for trial in 0..6 {
        for mode in MODES {
            for loss in all_losses(&mut rng) {
                let mut o = random_opts(&mut rng, loss, mode, true);
                let soft = mode != Mode::Multiclass && rng.bool(0.25);
                let case = random_case(&mut rng, mode, o.from_logits, o.ignore_index, soft);
                if o.class_weight.is_some() {
                    o.class_weight = Some(rng.uniforms(case.c, 0.1, 3.0));
                }
                let fl = rng.pick(&FLOATS);
                check(
                    loss,
                    &o,
                    &case,
                    fl,
                    &format!("trial {trial} {mode:?} {loss:?} {o:?} {}", fl.name()),
                );
            }
        }
    }
}

#[test]
fn defaults() {
    // Every loss called with no option at all, and the signatures' defaults
    // spelled out give the same as the reference with the documented defaults.
    let mut rng = rng("defaults");
    for loss in [
        Loss::Dice,
        Loss::Jaccard,
        Loss::Tversky(None),
        Loss::FocalTversky(None),
        Loss::Gdl,
    ] {
        let case = random_case(&mut rng, Mode::Binary, true, None, false);
        let o = Opts::plain(Mode::Binary);
        let r = check(loss, &o, &case, Float::F64, "defaults");
        let explicit = match loss {
            Loss::Dice | Loss::Jaccard => format!(
                "{}(smooth = 1.0, from_logits = true, eps = 1e-7, mode = \"binary\", class_weight = none, ignore_index = none, empty = \"smooth\")",
                loss.name()
            ),
            Loss::Tversky(_) => "tversky(alpha = 0.5, beta = 0.5, smooth = 1.0, eps = 1e-7, empty = \"smooth\")".into(),
            Loss::FocalTversky(_) => {
                "focal_tversky(alpha = 0.3, beta = 0.7, gamma = 0.75, smooth = 1.0, eps = 1e-7, empty = \"smooth\")".into()
            }
            Loss::Gdl => "generalized_dice(smooth = 1e-5, eps = 1e-7, mode = \"binary\", empty = \"max\")".into(),
        };
        let ins = case_inputs(&o, &case, Float::F64);
        let r2 = eval(&explicit, None, &ins);
        assert_eq!(r.value, r2.value, "`{explicit}`");
        assert_eq!(grad(&r, "pred"), grad(&r2, "pred"), "`{explicit}`");
    }
    // Positional order of the old dice signature: p, y, smooth, from_logits, eps.
    let case = random_case(&mut rng, Mode::Binary, false, None, false);
    let o = Opts {
        smooth: Some(0.25),
        eps: Some(1e-3),
        from_logits: false,
        ..Opts::plain(Mode::Binary)
    };
    let (want, _) = reference(Loss::Dice, &o, &case);
    let r = eval(
        "dice(pred, target, 0.25, false, 1e-3)",
        None,
        &case_inputs(&o, &case, Float::F64),
    );
    assert_close(r.value, want, V_RTOL, V_ATOL, "positional dice");
}

// ---- identities between the losses ---------------------------------------------------

#[test]
fn identities() {
    // tversky(0.5, 0.5, smooth = 0) = dice(smooth = 0); tversky(1, 1) = jaccard;
    // focal_tversky(gamma = 1) = tversky; generalized_dice with one class and
    // smooth = 0 = dice(smooth = 0) (the weight cancels). All modes.
    let mut rng = rng("identities");
    for trial in 0..4 {
        for mode in MODES {
            let case = random_case(&mut rng, mode, true, None, false);
            let o = Opts::plain(mode);
            let ins = case_inputs(&o, &case, Float::F64);
            let m = if mode == Mode::Binary {
                String::new()
            } else {
                format!(", mode = \"{}\"", mode.name())
            };
            let decl = spec_text(Loss::Dice, &o, &case);
            let decl = &decl[..decl.len() - decl.lines().last().unwrap().len()];
            let xy = if mode == Mode::Binary {
                "pred, target"
            } else {
                "p, y"
            };
            let pn = pred_name(&o);
            let pairs = [
                (
                    format!("tversky({xy}, alpha = 0.5, beta = 0.5, smooth = 0{m})"),
                    format!("dice({xy}, smooth = 0{m})"),
                ),
                (
                    format!("tversky({xy}, alpha = 1, beta = 1, smooth = 0.3{m})"),
                    format!("jaccard({xy}, smooth = 0.3{m})"),
                ),
                (
                    format!("focal_tversky({xy}, alpha = 0.2, beta = 0.9, gamma = 1{m})"),
                    format!("tversky({xy}, alpha = 0.2, beta = 0.9{m})"),
                ),
            ];
            for (a, b) in pairs {
                let ra = eval(&format!("{decl}{a}"), None, &ins);
                let rb = eval(&format!("{decl}{b}"), None, &ins);
                let ctx = format!("trial {trial} {mode:?}: `{a}` vs `{b}`");
                assert_close(ra.value, rb.value, V_RTOL, V_ATOL, &ctx);
                assert_all_close(&grad(&ra, pn), &grad(&rb, pn), G_RTOL, G_ATOL, &ctx);
            }
            if mode == Mode::Binary && case.y.iter().any(|&y| y > 0.0) {
                let ra = eval("generalized_dice(smooth = 0)", None, &ins);
                let rb = eval("dice(smooth = 0)", None, &ins);
                assert_close(ra.value, rb.value, V_RTOL, V_ATOL, "gdl with one class");
            }
        }
    }
}

// ---- empty masks ---------------------------------------------------------------------

#[test]
fn empty_mask_rules_by_hand() {
    // Multilabel, 2 rows x 2 channels, probabilities given directly: channel 0
    // has target [1, 0] and prediction [0.8, 0.1]; channel 1 is empty with
    // prediction [0.2, 0.4]. Dice with smooth = 1:
    //   d0 = 1 - (2*0.8 + 1)/(0.9 + 1 + 1) = 1 - 2.6/2.9
    //   d1 = 1 - (0 + 1)/(0.6 + 0 + 1) = 1 - 1/1.6
    // smooth: (d0 + d1)/2; zero: d0/2; skip: d0.
    let spec = |empty: &str| {
        format!(
            "input p: f32[N, C]\ntarget y: f32[N, C]\ndice(p, y, mode = \"multilabel\", from_logits = false, empty = \"{empty}\")"
        )
    };
    let ins = inputs(vec![
        ("p", f64_data(&[2, 2], &[0.8, 0.2, 0.1, 0.4])),
        ("y", f64_data(&[2, 2], &[1.0, 0.0, 0.0, 0.0])),
    ]);
    let d0 = 1.0 - 2.6 / 2.9;
    let d1 = 1.0 - 1.0 / 1.6;
    for (empty, want) in [
        ("smooth", (d0 + d1) / 2.0),
        ("zero", d0 / 2.0),
        ("skip", d0),
    ] {
        let r = eval(&spec(empty), None, &ins);
        assert_close(r.value, want, V_RTOL, V_ATOL, empty);
        // The empty channel gets no gradient unless empty = "smooth".
        let g = grad(&r, "p");
        let empty_channel_grad = g[1].abs() + g[3].abs();
        assert_eq!(
            empty_channel_grad == 0.0,
            empty != "smooth",
            "{empty}: {g:?}"
        );
    }

    // Binary: an empty mask with an empty prediction.
    let n = 5;
    for p in [vec![-1e4; n], vec![0.0; n]] {
        let from_logits = p[0] != 0.0;
        let ins = inputs(vec![
            ("pred", f64_data(&[n], &p)),
            ("target", f64_data(&[n], &[0.0; 5])),
        ]);
        let fl = if from_logits {
            ""
        } else {
            ", from_logits = false"
        };
        for (text, want) in [
            (format!("dice(smooth = 1{fl})"), 0.0),
            (format!("dice(smooth = 0{fl})"), 1.0),
            (format!("dice(smooth = 0, empty = \"zero\"{fl})"), 0.0),
            (format!("dice(smooth = 0, empty = \"skip\"{fl})"), 0.0),
            (format!("jaccard(smooth = 0{fl})"), 1.0),
            (format!("jaccard({fl})"), 0.0),
            (format!("tversky({fl})"), 0.0),
            (format!("focal_tversky({fl})"), 0.0),
            (
                format!("focal_tversky(smooth = 0, empty = \"zero\"{fl})"),
                0.0,
            ),
            (format!("generalized_dice({fl})"), 0.0),
            (format!("generalized_dice(empty = \"zero\"{fl})"), 0.0),
        ] {
            let text = text.replace("(, ", "(").replace("()", "");
            let r = eval(&text, None, &ins);
            assert_eq!(r.value, want, "`{text}` on {p:?}");
            assert_all_finite(&grad(&r, "pred"), &text);
        }
    }

    // Multiclass with every pixel ignored: every class is empty.
    let ins = inputs(vec![
        (
            "p",
            f64_data(&[3, 3], &[1.0, -2.0, 0.5, 1e4, -1e4, 0.0, 3.0, 3.0, 3.0]),
        ),
        ("y", i64_data(&[3], &[-100, -100, -100])),
    ]);
    let decl = "input p: f32[N, 3]\ntarget y: i64[N]\n";
    for (call, want) in [
        (
            "dice(p, y, mode = \"multiclass\", ignore_index = -100)",
            0.0,
        ),
        (
            "dice(p, y, mode = \"multiclass\", ignore_index = -100, smooth = 0)",
            1.0,
        ),
        (
            "dice(p, y, mode = \"multiclass\", ignore_index = -100, smooth = 0, empty = \"skip\")",
            0.0,
        ),
        (
            "jaccard(p, y, mode = \"multiclass\", ignore_index = -100, smooth = 0, empty = \"zero\")",
            0.0,
        ),
        (
            "generalized_dice(p, y, mode = \"multiclass\", ignore_index = -100)",
            0.0,
        ),
        (
            "focal_tversky(p, y, mode = \"multiclass\", ignore_index = -100)",
            0.0,
        ),
    ] {
        let r = eval(&format!("{decl}{call}"), None, &ins);
        assert_eq!(r.value, want, "`{call}`");
        let g = grad(&r, "p");
        assert!(
            g.iter().all(|&x| x == 0.0),
            "`{call}`: ignored pixels get gradient {g:?}"
        );
    }
}

#[test]
fn generalized_dice_weights_by_hand() {
    // Multilabel, probabilities given, 3 channels over 4 rows:
    //   channel 0: t = [1,1,0,0], q = [0.9,0.6,0.2,0.0]   T = 2, w = 1/4
    //   channel 1: t = [0,0,0,1], q = [0.1,0.0,0.3,0.5]   T = 1, w = 1
    //   channel 2: t = 0 (empty), q = [0.2,0.1,0.0,0.1]   w = max = 1 ("max") or 0 ("zero")
    let q = [
        [0.9, 0.1, 0.2],
        [0.6, 0.0, 0.1],
        [0.2, 0.3, 0.0],
        [0.0, 0.5, 0.1],
    ];
    let t = [
        [1.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
    ];
    let flat = |a: &[[f64; 3]; 4]| a.iter().flatten().copied().collect::<Vec<f64>>();
    let ins = inputs(vec![
        ("p", f64_data(&[4, 3], &flat(&q))),
        ("y", f64_data(&[4, 3], &flat(&t))),
    ]);
    let (i0, i1, i2) = (1.5, 0.5, 0.0);
    let (c0, c1, c2) = (1.7 + 2.0, 0.9 + 1.0, 0.4);
    let s = 1e-5;
    for (empty, w2) in [("max", 1.0), ("zero", 0.0)] {
        let num = 2.0 * (0.25 * i0 + 1.0 * i1 + w2 * i2) + s;
        let den = 0.25 * c0 + 1.0 * c1 + w2 * c2 + s;
        let want = 1.0 - num / den;
        let text = format!(
            "input p: f32[N, C]\ntarget y: f32[N, C]\ngeneralized_dice(p, y, mode = \"multilabel\", from_logits = false, empty = \"{empty}\")"
        );
        let r = eval(&text, None, &ins);
        assert_close(r.value, want, V_RTOL, V_ATOL, empty);
    }
    // Class weights multiply the Sudre weights.
    let text = "input p: f32[N, C]\ntarget y: f32[N, C]\ntarget w: f32[C]\ngeneralized_dice(p, y, mode = \"multilabel\", from_logits = false, class_weight = w)";
    let mut ins2 = ins.clone();
    ins2.insert("w".into(), f64_data(&[3], &[2.0, 0.5, 3.0]));
    let (w0, w1, w2) = (2.0 * 0.25, 0.5 * 1.0, 3.0 * 1.0);
    let want = 1.0 - (2.0 * (w0 * i0 + w1 * i1 + w2 * i2) + s) / (w0 * c0 + w1 * c1 + w2 * c2 + s);
    assert_close(
        eval(text, None, &ins2).value,
        want,
        V_RTOL,
        V_ATOL,
        "class weights",
    );
}

#[test]
fn ignore_index_equals_dropping_the_pixels() {
    // Ignoring pixels gives the loss of the remaining pixels, and no gradient
    // on the ignored ones (an independent check of the masking, through the
    // library on the reduced data).
    let mut rng = rng("ignore_index_equals_dropping_the_pixels");
    for trial in 0..4 {
        for loss in all_losses(&mut rng) {
            let mode = rng.pick(&[Mode::Binary, Mode::Multiclass]);
            let ii = if mode == Mode::Multiclass { -100 } else { 255 };
            let mut o = random_opts(&mut rng, loss, mode, false);
            o.ignore_index = Some(ii);
            let mut case = random_case(&mut rng, mode, o.from_logits, Some(ii), false);
            if mode == Mode::Binary {
                // One flat axis so that dropping pixels keeps a valid shape.
                case.shape = vec![case.n];
            }
            let keep: Vec<usize> = (0..case.n).filter(|&i| case.y[i] != ii as f64).collect();
            if keep.is_empty() {
                continue;
            }
            let c = case.c;
            let reduced = Case {
                shape: if mode == Mode::Binary {
                    vec![keep.len()]
                } else {
                    vec![keep.len(), c]
                },
                n: keep.len(),
                c,
                p: keep
                    .iter()
                    .flat_map(|&i| case.p[i * c..(i + 1) * c].to_vec())
                    .collect(),
                y: keep.iter().map(|&i| case.y[i]).collect(),
            };
            let full = eval(
                &spec_text(loss, &o, &case),
                None,
                &case_inputs(&o, &case, Float::F64),
            );
            let o_plain = Opts {
                ignore_index: None,
                ..o.clone()
            };
            let part = eval(
                &spec_text(loss, &o_plain, &reduced),
                None,
                &case_inputs(&o_plain, &reduced, Float::F64),
            );
            let ctx = format!("trial {trial} {mode:?} {loss:?} {o:?}");
            assert_close(full.value, part.value, V_RTOL, V_ATOL, &ctx);
            let g = grad(&full, pred_name(&o));
            let gp = grad(&part, pred_name(&o));
            let mut kept = Vec::new();
            for i in 0..case.n {
                let row = &g[i * c..(i + 1) * c];
                if keep.contains(&i) {
                    kept.extend_from_slice(row);
                } else {
                    assert!(
                        row.iter().all(|&x| x == 0.0),
                        "{ctx}: ignored row {i} has gradient {row:?}"
                    );
                }
            }
            assert_all_close(&kept, &gp, G_RTOL, G_ATOL, &ctx);
        }
    }
}

// ---- extreme inputs --------------------------------------------------------------------

const EXTREME: [f64; 10] = [
    1e4, -1e4, 50.0, -50.0, 800.0, -800.0, 36.0, -36.0, 0.0, 1e-300,
];

#[test]
fn extreme_inputs_finite_and_accurate() {
    // Saturated logits (sigmoid and softmax exactly 0 or 1), probabilities
    // exactly 0 and 1, all-zero predictions, empty and full masks, in every
    // mode, with every empty rule and gammas below and above 1.
    let mut rng = rng("extreme_inputs_finite_and_accurate");
    let mut losses = all_losses(&mut rng);
    losses.push(Loss::FocalTversky(Some((0.3, 0.7, 0.5))));
    losses.push(Loss::FocalTversky(Some((0.3, 0.7, 3.0))));
    for mode in MODES {
        for loss in &losses {
            for empty in loss.empties() {
                for smooth in [0.0, 1e-5, 1.0] {
                    for from_logits in [true, false] {
                        for pattern in 0..4 {
                            let (n, c) = (6, if mode == Mode::Binary { 1 } else { 3 });
                            let p: Vec<f64> = (0..n * c)
                                .map(|j| {
                                    if from_logits {
                                        EXTREME[(j * 7 + pattern) % EXTREME.len()]
                                    } else if pattern == 3 {
                                        0.0 // all-zero prediction
                                    } else {
                                        f64::from(u8::from((j + pattern) % 2 == 0))
                                    }
                                })
                                .collect();
                            let y: Vec<f64> = if mode == Mode::Multiclass {
                                // pattern 0: every label the same (two empty classes)
                                (0..n)
                                    .map(|i| {
                                        if pattern == 0 {
                                            1.0
                                        } else {
                                            ((i + pattern) % 3) as f64
                                        }
                                    })
                                    .collect()
                            } else {
                                (0..n * c)
                                    .map(|j| match pattern {
                                        0 => 0.0, // empty mask
                                        1 => 1.0, // full mask
                                        _ => f64::from(u8::from(j % 3 == 0)),
                                    })
                                    .collect()
                            };
                            let shape = if mode == Mode::Binary {
                                vec![n]
                            } else {
                                vec![n, c]
                            };
                            let case = Case { shape, n, c, p, y };
                            let mut o = Opts::plain(mode);
                            o.smooth = Some(smooth);
                            o.from_logits = from_logits;
                            o.empty = Some(empty);
                            if mode == Mode::Multiclass && !from_logits {
                                // Probabilities: one-hot rows (0 and 1 exactly).
                                o.from_logits = false;
                            }
                            if mode == Mode::Multiclass && !from_logits {
                                let mut p = vec![0.0; n * c];
                                for i in 0..n {
                                    if pattern != 3 {
                                        p[i * c + (i + pattern) % c] = 1.0;
                                    }
                                }
                                let case = Case { p, ..case.clone() };
                                check(
                                    *loss,
                                    &o,
                                    &case,
                                    Float::F64,
                                    &format!(
                                        "{mode:?} {loss:?} {empty} smooth {smooth} probs pattern {pattern}"
                                    ),
                                );
                                continue;
                            }
                            check(
                                *loss,
                                &o,
                                &case,
                                Float::F64,
                                &format!(
                                    "{mode:?} {loss:?} {empty} smooth {smooth} logits {from_logits} pattern {pattern}"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn focal_tversky_small_gamma_at_a_perfect_score() {
    // gamma < 1: (1 - TI)^gamma has an infinite slope at TI = 1. Saturated
    // logits on an empty mask give TI = 1 exactly: the value is 0 and the
    // gradient 0, not NaN. Near (but not at) a perfect score the gradient is
    // large but finite.
    let n = 4;
    for (p, zero) in [(vec![-1e4; n], true), (vec![-30.0; n], false)] {
        let ins = inputs(vec![
            ("pred", f64_data(&[n], &p)),
            ("target", f64_data(&[n], &[0.0; 4])),
        ]);
        for gamma in [0.5, 0.75] {
            let text = format!("focal_tversky(gamma = {gamma})");
            let r = eval(&text, None, &ins);
            let g = grad(&r, "pred");
            assert_all_finite(&g, &text);
            assert!(r.value.is_finite());
            if zero {
                assert_eq!(r.value, 0.0);
                assert!(g.iter().all(|&x| x == 0.0), "{g:?}");
            } else {
                assert!(
                    r.value > 0.0 && g.iter().all(|&x| x > 0.0),
                    "{} {g:?}",
                    r.value
                );
            }
        }
    }
}

// ---- finite differences ------------------------------------------------------------

#[test]
fn finite_differences() {
    let mut rng = rng("finite_differences");
    for trial in 0..2 {
        for mode in MODES {
            for loss in all_losses(&mut rng) {
                let mut o = random_opts(&mut rng, loss, mode, true);
                o.smooth = Some(rng.pick(&[0.5, 1.0, 1e-3]));
                o.eps = None;
                let mut case = random_case(&mut rng, mode, o.from_logits, o.ignore_index, false);
                if !o.from_logits && mode != Mode::Multiclass {
                    // Probabilities inside (0, 1): no kink of max/clamp nearby.
                    case.p = rng.uniforms(case.p.len(), 0.05, 0.95);
                }
                if o.class_weight.is_some() {
                    o.class_weight = Some(rng.uniforms(case.c, 0.1, 3.0));
                }
                let text = spec_text(loss, &o, &case);
                let ins = case_inputs(&o, &case, Float::F64);
                let r = check_fd(&text, None, &ins, FD_RTOL, FD_ATOL);
                assert!(r.value.is_finite(), "trial {trial}: `{text}`");
            }
        }
    }
}

// ---- native kernels ------------------------------------------------------------------

/// Compile `src` natively (it must be supported) and compare the kernel with
/// the reference evaluator on random data.
fn native(src: &str, seed: u64) {
    let spec = LossSpec::from_str(src).unwrap_or_else(|e| panic!("{e}"));
    let c = spec
        .compile(None, &Default::default())
        .unwrap_or_else(|e| panic!("`{src}`: {e}"));
    if let Err(e) = common::native::kernel(&c, Precision::F64) {
        panic!("`{src}` has no native kernel: {e}");
    }
    check_native(src, seed);
}

#[test]
fn native_kernels() {
    let seed = base_seed();
    eprintln!("[native_kernels] reproduce with LOSSC_TEST_SEED={seed}");
    let binary = [
        "dice",
        "dice(smooth = 0)",
        "dice(empty = \"zero\")",
        "jaccard",
        "jaccard(smooth = 0, empty = \"skip\")",
        "tversky(alpha = 0.3, beta = 0.7)",
        "focal_tversky",
        // Probabilities for `from_logits = false`: on raw logits (negative
        // "probabilities") the Tversky index leaves [0, 1] and the float32
        // value loses its accuracy (393226 vs 393239 at one seed).
        "focal_tversky(sigmoid(pred), gamma = 2, from_logits = false)",
        "generalized_dice",
        "generalized_dice(empty = \"zero\", ignore_index = 255)",
        "dice(ignore_index = -1, mode = \"binary\")",
    ];
    for (i, src) in binary.iter().enumerate() {
        native(src, seed.wrapping_add(i as u64 * 1000));
    }
    let ml = "input p: f32[N, C]\ntarget y: f32[N, C]\ntarget w: f32[C]\n";
    let mc = "input p: f32[N, C]\ntarget y: i64[N]\ntarget w: f32[C]\n";
    let mc4 = "input p: f32[N, 4]\ntarget y: i64[N]\ntarget w: f32[4]\n";
    let others = [
        format!("{ml}dice(p, y, mode = \"multilabel\")"),
        format!(
            "{ml}dice(p, y, mode = \"multilabel\", from_logits = false, smooth = 0, empty = \"zero\")"
        ),
        format!("{ml}jaccard(p, y, mode = \"multilabel\", class_weight = w, empty = \"skip\")"),
        format!(
            "{ml}tversky(p, y, alpha = 0.2, beta = 0.8, mode = \"multilabel\", ignore_index = -1)"
        ),
        format!("{ml}focal_tversky(p, y, mode = \"multilabel\", class_weight = w)"),
        format!("{ml}generalized_dice(p, y, mode = \"multilabel\")"),
        format!("{mc}dice(p, y, mode = \"multiclass\")"),
        format!(
            "{mc}dice(p, y, mode = \"multiclass\", ignore_index = 0, class_weight = w, empty = \"skip\")"
        ),
        format!("{mc}jaccard(p, y, mode = \"multiclass\", empty = \"zero\")"),
        format!("{mc}tversky(p, y, mode = \"multiclass\", ignore_index = 1, empty = \"zero\")"),
        format!("{mc}focal_tversky(p, y, mode = \"multiclass\", class_weight = w)"),
        format!("{mc}focal_tversky(p, y, gamma = 2, mode = \"multiclass\", smooth = 0)"),
        format!("{mc}generalized_dice(p, y, mode = \"multiclass\")"),
        format!(
            "{mc}generalized_dice(p, y, mode = \"multiclass\", empty = \"zero\", class_weight = w)"
        ),
        format!("{mc4}dice(p, y, mode = \"multiclass\")"),
        format!("{mc4}generalized_dice(p, y, mode = \"multiclass\", ignore_index = 2)"),
    ];
    for (i, src) in others.iter().enumerate() {
        native(src, seed.wrapping_add(77 + i as u64));
    }
}

// ---- bad options ---------------------------------------------------------------------

#[test]
fn bad_options_are_compile_errors() {
    let ins = inputs(vec![
        ("pred", f64_data(&[3], &[0.1, -0.2, 0.3])),
        ("target", f64_data(&[3], &[1.0, 0.0, 1.0])),
    ]);
    for name in [
        "dice",
        "jaccard",
        "tversky",
        "focal_tversky",
        "generalized_dice",
    ] {
        for bad in [
            "mode = \"multi\"",
            "mode = \"Binary\"",
            "empty = \"ignore\"",
        ] {
            let text = format!("{name}({bad})");
            assert!(
                matches!(compile_error(&text, &ins), DiagKind::InvalidArgument(_)),
                "`{text}`"
            );
        }
        // No reduction option: these losses are already scalar.
        let text = format!("{name}(reduction = \"avg\")");
        assert!(
            matches!(compile_error(&text, &ins), DiagKind::UnknownKeyword { .. }),
            "`{text}`"
        );
        // Class weights need classes.
        let text = format!("target w: f32[C]\n{name}(class_weight = w)");
        let mut ins2 = ins.clone();
        ins2.insert("w".into(), f64_data(&[2], &[1.0, 2.0]));
        assert!(
            matches!(compile_error(&text, &ins2), DiagKind::InvalidArgument(_)),
            "`{text}`"
        );
    }
    // The empty rules of the other losses are not generalized_dice's, and back.
    for text in [
        "generalized_dice(empty = \"skip\")",
        "generalized_dice(empty = \"smooth\")",
        "dice(empty = \"max\")",
    ] {
        assert!(
            matches!(compile_error(text, &ins), DiagKind::InvalidArgument(_)),
            "`{text}`"
        );
    }
    // Multiclass needs integer labels.
    let text = "input p: f32[N, 3]\ntarget y: f32[N]\ndice(p, y, mode = \"multiclass\")";
    let ins3 = inputs(vec![
        ("p", f64_data(&[2, 3], &[0.0; 6])),
        ("y", f64_data(&[2], &[0.0, 1.0])),
    ]);
    let k = compile_error(text, &ins3);
    assert!(matches!(k, DiagKind::Type { .. }), "{k:?}");
}

#[test]
fn multiclass_named_and_fixed_class_axis_agree() {
    // `onehot(y, dim(p))` with a named class axis and with a fixed one.
    let mut rng = rng("multiclass_named_and_fixed_class_axis_agree");
    for loss in all_losses(&mut rng) {
        let mut o = random_opts(&mut rng, loss, Mode::Multiclass, true);
        let case = random_case(
            &mut rng,
            Mode::Multiclass,
            o.from_logits,
            o.ignore_index,
            false,
        );
        if o.class_weight.is_some() {
            o.class_weight = Some(rng.uniforms(case.c, 0.1, 3.0));
        }
        let call = spec_text(loss, &o, &case);
        let call = call.lines().last().unwrap();
        let w = if o.class_weight.is_some() {
            "target w: f32[C]\n"
        } else {
            ""
        };
        let named = format!("input p: f32[N, C]\ntarget y: i64[N]\n{w}{call}");
        let fixed = named
            .replace("[N, C]", &format!("[N, {}]", case.c))
            .replace("[C]", &format!("[{}]", case.c));
        let ins = case_inputs(&o, &case, Float::F64);
        let (a, b) = (eval(&named, None, &ins), eval(&fixed, None, &ins));
        let (want, g) = reference(loss, &o, &case);
        let ctx = format!("{loss:?} {o:?}");
        assert_close(a.value, want, V_RTOL, V_ATOL, &ctx);
        assert_all_close(&grad(&a, "p"), &g, G_RTOL, G_ATOL, &ctx);
        // The two graphs may divide by C in different forms (ulp-level).
        assert_close(b.value, a.value, V_RTOL, V_ATOL, &ctx);
        assert_all_close(&grad(&b, "p"), &grad(&a, "p"), G_RTOL, G_ATOL, &ctx);
    }
}
