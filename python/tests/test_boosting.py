"""Gradient-boosting adapters: the same margins as the boosters' built-in
objectives, and a custom objective (focal) that none of them ships."""

import numpy as np
import pytest

import lossc
import lossc.catboost
import lossc.lightgbm
import lossc.xgboost
from conftest import finite_difference

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")
catboost = pytest.importorskip("catboost")

ROUNDS = 8


@pytest.fixture
def data(rng):
    n = 600
    X = rng.normal(size=(n, 5))
    logit = X[:, 0] - 0.5 * X[:, 1] + 0.3 * rng.normal(size=n)
    return {
        "X": X,
        "binary": (logit > 0).astype(np.float64),
        "regression": logit + 0.1 * rng.normal(size=n),
        "classes": np.digitize(logit, [-0.5, 0.5]).astype(np.float64),  # 3 classes
        "weight": rng.uniform(0.2, 2.0, n),
    }


# ---------------------------------------------------------------- XGBoost

XGB = {"max_depth": 3, "eta": 0.3, "tree_method": "hist", "nthread": 1, "seed": 0}


def xgb_margins(data, label, params, obj=None, weighted=False, classes=1):
    n = len(data["X"])
    dtrain = xgb.DMatrix(
        data["X"],
        label=data[label],
        weight=data["weight"] if weighted else None,
        base_margin=np.zeros((n, classes) if classes > 1 else n),
    )
    booster = xgb.train({**XGB, **params}, dtrain, ROUNDS, obj=obj)
    return booster.predict(dtrain, output_margin=True)


@pytest.mark.parametrize("weighted", [False, True])
def test_xgboost_bce_equals_binary_logistic(data, weighted):
    ours = xgb_margins(data, "binary", {}, lossc.xgboost.objective("bce"), weighted)
    theirs = xgb_margins(data, "binary", {"objective": "binary:logistic"}, None, weighted)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_xgboost_declared_weight_equals_multiplied_weight(data):
    spec = "input pred: f32[N]\ntarget target: f32[N]\ntarget weight: f32[N]\nbce(weight = weight)"
    declared = xgb_margins(data, "binary", {}, lossc.xgboost.objective(spec), True)
    theirs = xgb_margins(data, "binary", {"objective": "binary:logistic"}, None, True)
    np.testing.assert_allclose(declared, theirs, atol=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_xgboost_half_mse_equals_squarederror(data, weighted):
    # XGBoost's squared error is ½(p - y)² (gradient p - y, Hessian 1):
    # lossc's `mse` is (p - y)², so the same objective is `0.5*mse`.
    ours = xgb_margins(data, "regression", {}, lossc.xgboost.objective("0.5*mse"), weighted)
    theirs = xgb_margins(data, "regression", {"objective": "reg:squarederror"}, None, weighted)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_xgboost_sparse_cce_equals_softprob(data, weighted):
    obj = lossc.xgboost.objective("sparse_cce")

    def doubled_hessian(preds, dtrain):
        # multi:softprob uses 2 p (1 - p) as its Hessian (a documented
        # heuristic of XGBoost); lossc returns the exact p (1 - p).
        g, h = obj(preds, dtrain)
        assert g.shape == h.shape == preds.shape == (len(data["X"]), 3)
        return g, 2 * h

    params = {"num_class": 3}
    ours = xgb_margins(data, "classes", params, doubled_hessian, weighted, classes=3)
    theirs = xgb_margins(
        data, "classes", {**params, "objective": "multi:softprob"}, None, weighted, classes=3
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_xgboost_sklearn_forms_and_metric(data):
    obj = lossc.xgboost.objective("bce")
    model = xgb.XGBClassifier(
        n_estimators=ROUNDS,
        objective=obj.sklearn,
        eval_metric=lossc.xgboost.metric("bce").sklearn,
        max_depth=3,
    )
    model.fit(data["X"], data["binary"], sample_weight=data["weight"],
              eval_set=[(data["X"], data["binary"])], verbose=False)
    history = model.evals_result()["validation_0"]["main"]
    assert len(history) == ROUNDS and history[-1] < history[0]
    name, value = lossc.xgboost.metric("bce", name="bce")(
        np.zeros(4, np.float32), xgb.DMatrix(np.zeros((4, 1)), label=[0, 1, 0, 1]))
    assert name == "bce" and value == pytest.approx(np.log(2), rel=1e-6)


# ---------------------------------------------------------------- LightGBM

LGB = {
    "num_leaves": 7,
    "learning_rate": 0.3,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
    "seed": 0,
    "boost_from_average": False,
}


def lgb_margins(data, label, params, weighted=False):
    train = lgb.Dataset(data["X"], label=data[label],
                        weight=data["weight"] if weighted else None, free_raw_data=False)
    booster = lgb.train({**LGB, **params}, train, ROUNDS)
    return booster.predict(data["X"], raw_score=True)


@pytest.mark.parametrize("weighted", [False, True])
def test_lightgbm_bce_equals_binary(data, weighted):
    ours = lgb_margins(data, "binary", {"objective": lossc.lightgbm.objective("bce")}, weighted)
    theirs = lgb_margins(data, "binary", {"objective": "binary"}, weighted)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_lightgbm_half_mse_equals_regression(data, weighted):
    ours = lgb_margins(data, "regression",
                       {"objective": lossc.lightgbm.objective("0.5*mse")}, weighted)
    theirs = lgb_margins(data, "regression", {"objective": "regression"}, weighted)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_lightgbm_sparse_cce_equals_multiclass(data):
    obj = lossc.lightgbm.objective("sparse_cce")

    def scaled_hessian(preds, train):
        # LightGBM's multiclass scales its Hessian by C / (C - 1).
        g, h = obj(preds, train)
        assert g.shape == preds.shape == (len(data["X"]), 3)
        return g, h * 1.5

    ours = lgb_margins(data, "classes", {"objective": scaled_hessian, "num_class": 3})
    theirs = lgb_margins(data, "classes", {"objective": "multiclass", "num_class": 3})
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_lightgbm_sklearn_form_and_metric(data):
    model = lgb.LGBMClassifier(
        objective=lossc.lightgbm.objective("bce").sklearn, n_estimators=ROUNDS,
        num_leaves=7, verbose=-1)
    model.fit(data["X"], data["binary"], sample_weight=data["weight"],
              eval_X=data["X"], eval_y=data["binary"],
              eval_metric=lossc.lightgbm.metric("bce").sklearn)
    (history,) = [h["main"] for h in model.evals_result_.values()]
    assert len(history) == ROUNDS and history[-1] < history[0]


# ---------------------------------------------------------------- CatBoost

CB = {
    "iterations": ROUNDS,
    "depth": 3,
    "learning_rate": 0.3,
    "random_seed": 0,
    "thread_count": 1,
    "bootstrap_type": "No",
    "random_strength": 0,
    "boosting_type": "Plain",
    "leaf_estimation_method": "Newton",
    "leaf_estimation_iterations": 1,
    "verbose": False,
    "allow_writing_files": False,
}


def cb_margins(data, label, params, weighted=False):
    pool = catboost.Pool(data["X"], label=data[label],
                         weight=data["weight"] if weighted else None)
    model = catboost.CatBoost({**CB, **params})
    model.fit(pool)
    return model.predict(pool, prediction_type="RawFormulaVal")


@pytest.mark.parametrize("weighted", [False, True])
def test_catboost_bce_equals_logloss(data, weighted):
    ours = cb_margins(data, "binary", {
        "loss_function": lossc.catboost.objective("bce"),
        "eval_metric": lossc.catboost.metric("bce"),
    }, weighted)
    theirs = cb_margins(data, "binary", {"loss_function": "Logloss",
                                          "boost_from_average": False}, weighted)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_catboost_multiclass_trains(data):
    model = catboost.CatBoost({**CB, "loss_function": lossc.catboost.objective("sparse_cce"),
                               "eval_metric": "MultiClass", "classes_count": 3})
    model.fit(data["X"], data["classes"])
    margins = model.predict(data["X"], prediction_type="RawFormulaVal")
    assert margins.shape == (len(data["X"]), 3)
    start = lossc.compile("sparse_cce")(pred=np.zeros((len(data["X"]), 3)),
                                         target=data["classes"].astype(np.int64)).value
    end = lossc.compile("sparse_cce")(pred=margins, target=data["classes"].astype(np.int64)).value
    assert end < start


# ---------------------------------------------------------------- a custom objective

FOCAL = "focal(gamma=2)"


def focal_sum(margins, labels):
    return lossc.compile(FOCAL)(pred=margins, target=labels, engine="reference").value * len(margins)


def test_focal_grad_and_hessian_against_finite_differences(rng):
    margins = rng.normal(0, 2, 40)
    labels = (rng.random(40) > 0.5).astype(np.float64)
    g, h = lossc.xgboost.objective(FOCAL).grad_hess(margins, labels)
    np.testing.assert_allclose(g, finite_difference(lambda m: focal_sum(m, labels), margins),
                               rtol=1e-6, atol=1e-8)
    # The Hessian diagonal: central differences of each row's gradient.
    eps = 1e-5
    obj = lossc.xgboost.objective(FOCAL)
    fd = (obj.grad_hess(margins + eps, labels)[0] - obj.grad_hess(margins - eps, labels)[0]) / (2 * eps)
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-8)


def test_focal_trains_all_three_boosters(data):
    start = focal_sum(np.zeros(len(data["X"])), data["binary"])
    xgb_m = xgb_margins(data, "binary", {}, lossc.xgboost.objective(FOCAL))
    lgb_m = lgb_margins(data, "binary", {"objective": lossc.lightgbm.objective(FOCAL)})
    cb_m = cb_margins(data, "binary", {"loss_function": lossc.catboost.objective(FOCAL),
                                       "eval_metric": lossc.catboost.metric(FOCAL)})
    for m in (xgb_m, lgb_m, cb_m):
        assert focal_sum(m, data["binary"]) < 0.5 * start


def test_hessian_policies(rng):
    margins = rng.normal(size=50)
    labels = rng.normal(size=50)
    exact = lossc.xgboost.objective("mae").grad_hess(margins, labels)[1]
    assert np.all(exact == 0)
    clip = lossc.xgboost.objective("mae", hessian="clip").grad_hess(margins, labels)[1]
    assert np.all(clip > 0) and np.all(clip <= 1e-16 * 50)
    const = lossc.xgboost.objective("mae", hessian="constant").grad_hess(margins, labels)[1]
    assert np.all(const == 1)
    with pytest.raises(lossc.Error, match="hessian"):
        lossc.xgboost.objective("mae", hessian="newton")


def test_objective_needs_one_differentiated_input():
    with pytest.raises(lossc.Error, match="exactly one differentiated input"):
        lossc.xgboost.objective("mse + 1e-4*l2")


def test_native_metric_forms(data):
    n = len(data["X"])
    margins = np.zeros(n)
    train = lgb.Dataset(data["X"], label=data["binary"], free_raw_data=False).construct()
    name, value, higher_better = lossc.lightgbm.metric("bce", name="bce")(margins, train)
    assert name == "bce" and value == pytest.approx(np.log(2)) and higher_better is False
    cb = lossc.catboost.metric("bce")
    error, weight = cb.evaluate([margins], data["binary"], None)
    assert cb.get_final_error(error, weight) == pytest.approx(np.log(2))
    assert cb.is_max_optimal() is False


def test_catboost_derivatives_are_negated(rng):
    margins = rng.normal(size=8)
    labels = (rng.random(8) > 0.5).astype(np.float64)
    ders = lossc.catboost.objective("bce").calc_ders_range(margins, labels, None)
    p = 1 / (1 + np.exp(-margins))
    np.testing.assert_allclose([d[0] for d in ders], labels - p, rtol=1e-12)
    np.testing.assert_allclose([d[1] for d in ders], -p * (1 - p), rtol=1e-12)
    der1, der2 = lossc.catboost.objective("sparse_cce").calc_ders_multi([0.0, 1.0, -1.0], 2.0, 1.0)
    q = np.exp([0.0, 1.0, -1.0]) / np.exp([0.0, 1.0, -1.0]).sum()
    np.testing.assert_allclose(der1, np.eye(3)[2] - q, rtol=1e-12)
    np.testing.assert_allclose(der2, np.diag(-q * (1 - q)), rtol=1e-12, atol=1e-300)
