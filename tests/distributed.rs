//! Data-parallel partials: shards simulated in threads give the single-
//! process result on the concatenated batch — value, terms, every shard's
//! rows of the gradient and Hessian — with uneven and empty shards; what
//! cannot merge in one round is refused.

mod common;

use common::Rng;
use lossc::{Engine, Error, Evaluator, InputView, LossSpec};
use ndarray::{ArrayD, Axis, IxDyn, concatenate};

const SPEC: &str = "input pred: f64[N]\n\
                    target target: f64[N]\n\
                    input logits: f64[N, C]\n\
                    target labels: i64[N]\n\
                    loss main = 0.5 * dice(pred, target) + focal(pred, target, gamma = 2) \
                    + sparse_cce(logits, labels)";

struct Batch {
    pred: ArrayD<f64>,
    target: ArrayD<f64>,
    logits: ArrayD<f64>,
    labels: ArrayD<i64>,
}

impl Batch {
    fn random(rng: &mut Rng, n: usize, c: usize) -> Batch {
        let pred = ArrayD::from_shape_vec(IxDyn(&[n]), rng.normals(n, 2.0)).unwrap();
        let target = ArrayD::from_shape_fn(IxDyn(&[n]), |_| f64::from(u8::from(rng.bool(0.4))));
        let logits = ArrayD::from_shape_vec(IxDyn(&[n, c]), rng.normals(n * c, 1.5)).unwrap();
        // Every fifth label ignored.
        let labels = ArrayD::from_shape_fn(IxDyn(&[n]), |i| {
            if i[0] % 5 == 3 {
                -100
            } else {
                rng.int(0, c as i64 - 1)
            }
        });
        Batch {
            pred,
            target,
            logits,
            labels,
        }
    }

    fn rows(&self, from: usize, to: usize) -> Batch {
        let s = |a: &ArrayD<f64>| a.slice_axis(Axis(0), (from..to).into()).to_owned();
        Batch {
            pred: s(&self.pred),
            target: s(&self.target),
            logits: s(&self.logits),
            labels: self
                .labels
                .slice_axis(Axis(0), (from..to).into())
                .to_owned(),
        }
    }

    fn inputs(&self) -> [(&str, InputView<'_>); 4] {
        [
            ("pred", InputView::from(&self.pred)),
            ("target", InputView::from(&self.target)),
            ("logits", InputView::from(&self.logits)),
            ("labels", InputView::from(&self.labels)),
        ]
    }
}

fn evaluator(src: &str, hessians: bool) -> Evaluator {
    evaluator_on(src, hessians, Engine::Reference)
}

fn evaluator_on(src: &str, hessians: bool, engine: Engine) -> Evaluator {
    let mut c = LossSpec::from_str(src)
        .unwrap()
        .compile(None, &Default::default())
        .unwrap();
    if hessians {
        c = c.with_hessians().unwrap();
    }
    c.distributed(&["N"])
        .unwrap()
        .into_evaluator(engine)
        .unwrap()
}

/// Partials on every shard (each on its own thread), one elementwise sum,
/// then finish on every shard.
fn run_sharded(e: &Evaluator, shards: &[Batch], grad_scale: f64) -> Vec<lossc::Evaluation> {
    let partials: Vec<Vec<f64>> = std::thread::scope(|s| {
        let hs: Vec<_> = shards
            .iter()
            .map(|b| s.spawn(move || e.partials(&b.inputs()).unwrap()))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut merged = vec![0.0; partials[0].len()];
    for p in &partials {
        assert_eq!(p.len(), merged.len(), "every shard has the same layout");
        merged.iter_mut().zip(p).for_each(|(m, x)| *m += x);
    }
    std::thread::scope(|s| {
        let hs: Vec<_> = shards
            .iter()
            .map(|b| {
                let merged = &merged;
                s.spawn(move || e.finish(&b.inputs(), merged, grad_scale).unwrap())
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn close(a: f64, b: f64, what: &str) {
    close_to(a, b, 1e-12, what)
}

fn close_to(a: f64, b: f64, rel: f64, what: &str) {
    let tol = rel * a.abs().max(b.abs()).max(1e-300) + rel * 1e-3;
    assert!(
        (a - b).abs() <= tol,
        "{what}: {a} (single) vs {b} (sharded)"
    );
}

#[test]
fn sharded_results_equal_the_single_process_batch() {
    sharded_equals_single(SPEC, Engine::Reference, 1e-12);
}

/// The native kernel: float64 to rounding, float32 as its precision allows
/// (its block sums are float64, so only the elementwise work rounds).
#[test]
fn native_shards_equal_the_single_process_batch() {
    sharded_equals_single(SPEC, Engine::Native, 1e-12);
    sharded_equals_single(&SPEC.replace("f64", "f32"), Engine::Native, 2e-5);
}

fn sharded_equals_single(spec: &str, engine: Engine, rel: f64) {
    let close = |a: f64, b: f64, what: &str| close_to(a, b, rel, what);
    let mut rng = common::rng("sharded_results_equal_the_single_process_batch");
    let (n, c) = (97, 5);
    let whole = Batch::random(&mut rng, n, c);
    let single = evaluator(SPEC, true).evaluate(&whole.inputs()).unwrap();
    let e = evaluator_on(spec, true, engine);
    // Uneven shards and one empty shard.
    for cuts in [vec![0, 97], vec![0, 40, 41, 41, 97], vec![0, 10, 60, 97]] {
        let shards: Vec<Batch> = cuts.windows(2).map(|w| whole.rows(w[0], w[1])).collect();
        let results = run_sharded(&e, &shards, 1.0);
        for r in &results {
            close(single.value, r.value, "value");
            for ((label, a), (_, b)) in single.terms.iter().zip(&r.terms) {
                close(*a, *b, label);
            }
        }
        for kind in ["gradient", "hessian"] {
            for name in ["pred", "logits"] {
                let pick = |ev: &lossc::Evaluation| {
                    if kind == "gradient" {
                        ev.gradient(name)
                    } else {
                        ev.hessian(name)
                    }
                    .unwrap()
                    .clone()
                };
                let parts: Vec<ArrayD<f64>> = results.iter().map(pick).collect();
                let views: Vec<_> = parts.iter().map(|a| a.view()).collect();
                let joined = concatenate(Axis(0), &views).unwrap();
                let want = pick(&single);
                assert_eq!(joined.shape(), want.shape());
                for (a, b) in want.iter().zip(joined.iter()) {
                    close(*a, *b, &format!("{kind} of {name}, cuts {cuts:?}"));
                }
            }
        }
    }
}

/// Averaging per-shard Dice is not the Dice of the batch; the merged
/// partials are.
#[test]
fn per_shard_averages_differ_and_partials_do_not() {
    let src = "input pred: f64[N]\ntarget target: f64[N]\ndice";
    let pred = ArrayD::from_shape_vec(IxDyn(&[4]), vec![4.0, -4.0, 4.0, 4.0]).unwrap();
    let target = ArrayD::from_shape_vec(IxDyn(&[4]), vec![1.0, 0.0, 0.0, 0.0]).unwrap();
    let whole = [
        ("pred", InputView::from(&pred)),
        ("target", InputView::from(&target)),
    ];
    let single = evaluator(src, false).evaluate(&whole).unwrap().value;
    let e = evaluator(src, false);
    let halves: Vec<[ArrayD<f64>; 2]> = [(0, 2), (2, 4)]
        .iter()
        .map(|&(a, b)| {
            [
                pred.slice_axis(Axis(0), (a..b).into()).to_owned(),
                target.slice_axis(Axis(0), (a..b).into()).to_owned(),
            ]
        })
        .collect();
    let views: Vec<[(&str, InputView<'_>); 2]> = halves
        .iter()
        .map(|[p, t]| [("pred", InputView::from(p)), ("target", InputView::from(t))])
        .collect();
    let averaged: f64 = views
        .iter()
        .map(|v| evaluator(src, false).evaluate(v).unwrap().value)
        .sum::<f64>()
        / 2.0;
    let mut merged = vec![0.0; e.partials(&views[0]).unwrap().len()];
    for v in &views {
        for (m, x) in merged.iter_mut().zip(e.partials(v).unwrap()) {
            *m += x;
        }
    }
    let finished = e.finish(&views[1], &merged, 1.0).unwrap().value;
    close(single, finished, "dice from partials");
    // 0.337 averaged over the two halves, 0.403 for the batch.
    assert!((averaged - single).abs() > 0.05, "{averaged} vs {single}");
}

#[test]
fn what_cannot_merge_in_one_round_is_refused() {
    let compile = |src: &str| {
        LossSpec::from_str(src)
            .unwrap()
            .compile(None, &Default::default())
            .unwrap()
            .distributed(&["N"])
    };
    for (src, what) in [
        ("input x: f64[N]\nmax(x, axis = -1)", "max"),
        ("input x: f64[N]\nlogsumexp(x)", "logsumexp"),
        ("input x: f64[N]\nmean((x - mean(x))^2)", "two rounds"),
    ] {
        match compile(src) {
            Err(e @ Error::Distributed(_)) => assert!(e.to_string().contains(what), "{src}: {e}"),
            other => panic!("{src}: {:?}", other.map(|_| ())),
        }
    }
    assert!(matches!(compile("mse").map(|_| ()), Ok(())));
    assert!(matches!(
        LossSpec::from_str("mse")
            .unwrap()
            .compile(None, &Default::default())
            .unwrap()
            .distributed(&["M"]),
        Err(Error::Distributed(_))
    ));
    // Per-row reductions over classes are local.
    assert!(compile("input z: f64[N, C]\ntarget y: i64[N]\nsparse_cce(z, y)").is_ok());
}

#[test]
fn grad_scale_and_wrong_lengths() {
    let e = evaluator("mse", false);
    let p = ArrayD::from_shape_vec(IxDyn(&[2]), vec![1.0, 3.0]).unwrap();
    let t = ArrayD::from_shape_vec(IxDyn(&[2]), vec![0.0, 0.0]).unwrap();
    let ins = [
        ("pred", InputView::from(&p)),
        ("target", InputView::from(&t)),
    ];
    let partials = e.partials(&ins).unwrap();
    let r = e.finish(&ins, &partials, 4.0).unwrap();
    close(r.value, 5.0, "mse");
    assert_eq!(
        r.gradient("pred").unwrap().as_slice().unwrap(),
        &[4.0, 12.0]
    );
    assert!(matches!(
        e.finish(&ins, &partials[1..], 1.0),
        Err(Error::Partials(_))
    ));
    let plain = LossSpec::from_str("mse")
        .unwrap()
        .compile(None, &Default::default())
        .unwrap();
    let plain = plain.into_evaluator(Engine::Reference).unwrap();
    assert!(matches!(plain.partials(&ins), Err(Error::Partials(_))));
}

/// A shard's evaluation is budgeted before anything is allocated, on both
/// engines; an empty list of sharded dimensions is refused.
#[test]
fn shards_are_budgeted_and_need_a_dimension() {
    let mut c = LossSpec::from_str("mse")
        .unwrap()
        .compile(None, &Default::default())
        .unwrap()
        .distributed(&["N"])
        .unwrap();
    c.set_memory_limit(Some(1 << 10));
    let p = ArrayD::from_shape_vec(IxDyn(&[4096]), vec![1.0f32; 4096]).unwrap();
    let ins = [
        ("pred", InputView::from(&p)),
        ("target", InputView::from(&p)),
    ];
    for engine in [Engine::Reference, Engine::Native] {
        let e = c.evaluator(engine).unwrap();
        assert!(
            matches!(
                e.partials(&ins),
                Err(Error::Run(lossc::RunError::Budget(_)))
            ),
            "{engine:?}"
        );
        assert!(
            matches!(
                e.finish(&ins, &[0.0, 0.0], 1.0),
                Err(Error::Run(lossc::RunError::Budget(_)))
            ),
            "{engine:?}"
        );
    }
    let plain = LossSpec::from_str("mse")
        .unwrap()
        .compile(None, &Default::default())
        .unwrap();
    assert!(matches!(plain.distributed(&[]), Err(Error::Partials(_))));
}
