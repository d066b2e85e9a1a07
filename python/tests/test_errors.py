"""Errors are Python exceptions with the command-line tool's diagnostics."""

import numpy as np
import pytest

import lossc


def test_exception_hierarchy():
    assert issubclass(lossc.Error, ValueError)
    assert issubclass(lossc.SpecError, lossc.Error)
    assert issubclass(lossc.InputError, lossc.Error)


def test_bad_spec_text_has_the_rendered_diagnostic():
    with pytest.raises(lossc.SpecError) as info:
        lossc.compile("0.5 * focal(gama=2)")
    e = info.value
    assert (e.file, e.line, e.column) == ("<inline>", 1, 13)
    text = str(e)
    assert "unknown keyword argument `gama`" in text
    assert "--> <inline>:1:13" in text and "^^^^" in text
    assert "did you mean `gamma`?" in text


def test_bad_spec_file_points_at_the_file(tmp_path):
    path = tmp_path / "bad.loss"
    path.write_text("input pred: f32[N]\n\nmse(pred, tagret)\n")
    with pytest.raises(lossc.SpecError) as info:
        lossc.load(path)
    assert info.value.line == 3 and info.value.column == 11
    assert info.value.file.endswith("bad.loss")
    assert "tagret" in str(info.value)


def test_syntax_error():
    with pytest.raises(lossc.SpecError, match="-->"):
        lossc.compile("mse +")


def test_missing_file_and_unknown_objective(tmp_path):
    with pytest.raises(lossc.SpecError):
        lossc.load(tmp_path / "nope.loss")
    with pytest.raises(lossc.SpecError, match="nope"):
        lossc.compile("loss a = mse", loss="nope")


def test_unknown_missing_and_misshapen_inputs():
    loss = lossc.compile("mse")
    p = np.zeros(4)
    with pytest.raises(lossc.InputError, match="input `prd` is not used"):
        loss(prd=p, target=p)
    with pytest.raises(lossc.InputError, match="missing input `target`"):
        loss(pred=p)
    with pytest.raises(lossc.InputError, match="dimension `N` is 4 in input `pred` but 3"):
        loss(pred=p, target=np.zeros(3))


def test_wrong_dtype_and_rank():
    loss = lossc.compile("mse")
    with pytest.raises(lossc.InputError, match="float16"):
        loss(pred=np.zeros(4, np.float16), target=np.zeros(4))
    with pytest.raises(lossc.InputError, match="i32 data, which has no gradient"):
        loss(pred=np.zeros(4, np.int32), target=np.zeros(4))
    declared = lossc.compile("input pred: f32[N]\ntarget target: f32[N]\nmse")
    with pytest.raises(lossc.InputError):
        declared(pred=np.zeros((4, 2)), target=np.zeros((4, 2)))
    with pytest.raises(lossc.InputError, match="not a numpy array"):
        loss._native.evaluate({"pred": "abc", "target": p_like()}, None, "auto", None)


def p_like():
    return np.zeros(4)


def test_bad_engine_and_threads():
    loss = lossc.compile("mse")
    p = np.zeros(4)
    with pytest.raises(lossc.Error, match="unknown engine `gpu`"):
        loss(pred=p, target=p, engine="gpu")
    for threads in (0, -1, 1.5):
        with pytest.raises(lossc.Error, match="threads"):
            loss(pred=p, target=p, threads=threads)


def test_results_over_the_memory_budget_are_an_input_error():
    # Broadcast views of 2^40 elements take no memory; their gradient would.
    huge = np.broadcast_to(np.float32(1.0), (1 << 40,))
    with pytest.raises(lossc.InputError, match="memory"):
        lossc.compile("mse")(pred=huge, target=huge)


def test_other_edge_cases():
    loss = lossc.compile("mse")
    with pytest.raises(lossc.InputError, match="empty"):
        loss(pred=np.zeros(0), target=np.zeros(0))
    r = loss(pred=np.float64(1.0), target=np.float64(0.0))  # 0-d arrays
    assert r.value == 1.0 and r.grads["pred"].shape == ()
    with pytest.raises(lossc.InputError, match="class index 7"):
        lossc.compile("sparse_cce")(pred=np.zeros((2, 3)), target=np.array([0, 7]))


def test_a_panic_becomes_lossc_error():
    from lossc import _native

    with pytest.raises(lossc.Error, match="internal error in lossc.*a panic in a test"):
        _native._panic_for_tests()


def test_an_unsupported_hessian_is_lossc_error_and_the_gradient_still_works():
    loss = lossc.compile('dice(mode = "multiclass")')
    logits = np.full((2, 3), 0.1)
    labels = np.array([0, 2])
    with pytest.raises(lossc.Error, match="Hessian"):
        loss(pred=logits, target=labels, hessian=True)
    assert loss(pred=logits, target=labels).grads["pred"].shape == (2, 3)


def test_evaluator_cache_is_bounded():
    loss = lossc.compile("mse")
    p = np.zeros(4)
    for threads in range(1, 140):
        loss(pred=p, target=p, threads=threads)
        assert loss._native._cached() <= 64
    assert loss._native._cached() > 1
    assert loss(pred=p, target=p, threads=3).value == 0.0
