"""lossc: compiled loss functions on numpy arrays.

>>> import numpy as np, lossc
>>> loss = lossc.compile("mse")
>>> r = loss(pred=np.array([1.0, 2.0]), target=np.array([0.0, 2.0]))
>>> r.value, r.grads["pred"].tolist()
(0.5, [1.0, 0.0])

A loss is compiled once per input signature (the dtype and rank of each
array), engine and thread count, on first use, and the compiled evaluator
is cached on the ``Loss``. Inputs are float32/float64 in any layout (C,
Fortran, strided, negative or zero strides), int32/int64 labels and bool
masks, passed to lossc as views without copying. A native kernel reads a
C-contiguous array of its own precision in place and converts anything
else (Fortran-ordered or strided arrays, float32 data in a float64 kernel,
int32 labels) into a contiguous copy. This module copies only what is not
a numpy array (``np.asarray``), not in native byte order, or not aligned.
Gradients (and Hessian diagonals) come back as new C-ordered arrays of the
shape and float dtype of their input. The GIL is released while kernels
run, and a ``Loss`` may be called from several threads at once.
"""

from typing import NamedTuple

import numpy as _np

from . import _native
from ._errors import Error, InputError, SpecError

__all__ = [
    "Error",
    "Input",
    "InputError",
    "Loss",
    "Result",
    "SpecError",
    "compile",
    "load",
]


class Input(NamedTuple):
    """One input the objective reads, as declared (or inferred)."""

    name: str
    role: str  # "input", "target" or "param"
    dtype: str  # "f32", "f64", "i32", "i64" or "bool"
    shape: str  # e.g. "[N, C]"
    declared: bool  # declared in the spec (else one of the built-in defaults)


class Result:
    """One evaluation: ``value``, ``terms`` (term text -> value), ``grads``
    and ``hess`` (input name -> array of that input's shape and float dtype;
    ``hess`` is empty unless asked for), ``engine`` (what ran)."""

    __slots__ = ("value", "terms", "grads", "hess", "engine")

    def __init__(self, value, terms, grads, hess, engine):
        self.value = value
        self.terms = terms
        self.grads = grads
        self.hess = hess
        self.engine = engine

    def __repr__(self):
        grads = ", ".join(f"{k}: {v.dtype}{list(v.shape)}" for k, v in self.grads.items())
        return f"lossc.Result(value={self.value!r}, terms={self.terms!r}, grads={{{grads}}})"


def _as_input(value):
    """An array lossc can read in place (a copy only where it cannot)."""
    if type(value) is not _np.ndarray:
        value = _np.asarray(value)
    if not value.dtype.isnative or not value.flags.aligned:
        value = _np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("="))
    return value


class Loss:
    """One objective of a compiled spec; call it on arrays by input name."""

    __slots__ = ("_native", "_inputs", "_source")

    def __init__(self, native, source):
        self._native = native
        self._inputs = None
        # How to make it again: ("text" or "file", text or path, objective).
        self._source = source

    def __deepcopy__(self, memo):
        # Immutable (and safe to share between threads): boosters deep-copy
        # their parameters, which must not recompile it.
        return self

    def __reduce__(self):
        # Pickled as its source; a spec file is read again when unpickled.
        return (_rebuild, self._source)

    @property
    def name(self):
        """The objective's name (``main`` for a bare expression)."""
        return self._native.name

    @property
    def objectives(self):
        """All objectives of the spec, the default first."""
        return self._native.objectives()

    @property
    def inputs(self):
        """The inputs the objective reads: a list of :class:`Input`."""
        if self._inputs is None:
            self._inputs = [Input(*i) for i in self._native.inputs()]
        return self._inputs

    @property
    def differentiated(self):
        """Names of the inputs with a gradient (roles ``input`` and ``param``)."""
        return self._native.differentiated()

    @property
    def terms(self):
        """The text of each top-level term, as keys of ``Result.terms``."""
        return self._native.terms()

    def derive(self, wrt=None):
        """The simplified derivative as text (every gradient, or ``wrt``'s)."""
        return self._native.derive(wrt)

    def __call__(self, hessian=False, engine="auto", threads=None, scale_by=(), value=True, **arrays):
        """Evaluate on ``arrays`` (by input name); see :meth:`evaluate`."""
        return self.evaluate(
            arrays, hessian=hessian, engine=engine, threads=threads, scale_by=scale_by, value=value
        )

    def evaluate(
        self, arrays, hessian=False, engine="auto", threads=None, scale_by=(), value=True
    ):
        """Value, terms, gradients (and with ``hessian=True`` the Hessian
        diagonals, ``∂²L/∂x[i]²``) on a dict of arrays. ``hessian`` may also
        name a policy for gradient boosting: ``"exact"`` (as ``True``),
        ``"clip"`` (floored at 1e-16) or ``"constant"`` (1 everywhere). ``engine`` is ``"auto"`` (native
        kernel where supported, else the float64 reference evaluator),
        ``"native"`` or ``"reference"``; ``threads`` defaults to all cores
        (results do not depend on it). ``scale_by`` names dimensions (a name
        or a tuple) whose sizes multiply the gradients and Hessians, not the
        value: ``scale_by="N"`` gives the derivatives of the sum over rows
        of a mean, as gradient boosting wants, computed by the kernel
        itself (no extra pass; ``N · (1/N)`` is 1 within one float64
        rounding, exactly 1 in a float32 kernel). With
        ``value=False`` only the derivatives are computed, which is cheaper
        (``Result.value`` is NaN and ``terms`` empty)."""
        hessian = _options(hessian, threads)
        scale_by = [scale_by] if isinstance(scale_by, str) else list(scale_by)
        arrays = {k: _as_input(v) for k, v in arrays.items()}
        value, terms, grads, hess, ran = self._native.evaluate(
            arrays, hessian, engine, threads, scale_by, bool(value)
        )
        return Result(value, dict(terms), grads, hess, ran)

    def partials(self, hessian=False, engine="auto", threads=None, shard=("N",), **arrays):
        """This shard's partials for data-parallel training: a new 1-D
        float64 array (the shard's sums over the sharded dimensions and its
        counts; layout: :meth:`partials_layout`) whose elementwise sum over
        all shards (one all-reduce) is what :meth:`finish` takes. ``shard``
        names the sharded dimensions (a name or a tuple of names); give the
        same ``hessian``, ``engine`` and ``shard`` to :meth:`finish`."""
        shard, hessian = _distributed_options(shard, hessian, threads)
        arrays = {k: _as_input(v) for k, v in arrays.items()}
        return self._native.partials(arrays, shard, hessian, engine, threads)

    def finish(
        self, merged, grad_scale=1.0, hessian=False, engine="auto", threads=None, shard=("N",), **arrays
    ):
        """The global objective from ``merged`` (the sum over all shards of
        their :meth:`partials`), on this shard's ``arrays``: a
        :class:`Result` with the global value and terms, and this shard's
        rows of the gradients (times ``grad_scale``: the number of ranks
        when the training engine averages gradients, as PyTorch DDP does)
        and Hessian diagonals of the global objective, for the sharded
        inputs only."""
        shard, hessian = _distributed_options(shard, hessian, threads)
        merged = _np.asarray(merged)
        if merged.ndim != 1:
            raise Error(f"merged partials must be a 1-D array, not of shape {merged.shape}")
        merged = _np.ascontiguousarray(merged, dtype=_np.float64)
        arrays = {k: _as_input(v) for k, v in arrays.items()}
        value, terms, grads, hess, ran = self._native.finish(
            merged, arrays, shard, float(grad_scale), hessian, engine, threads
        )
        return Result(value, dict(terms), grads, hess, ran)

    def partials_layout(self, shard=("N",), hessian=False):
        """``(expression, shape)`` of each partial, in the order of
        :meth:`partials` (each flattened row-major); shapes are symbolic
        (``"[C]"``) for the inputs as declared or inferred."""
        shard, _ = _distributed_options(shard, False, None)
        return self._native.partials_layout(shard, bool(hessian))

    def __repr__(self):
        return f"<lossc.Loss {self.name!r} inputs={[i.name for i in self.inputs]}>"


def _options(hessian, threads):
    """The Hessian policy name (or None) for ``hessian``, after checking ``threads``."""
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise Error(f"threads must be a positive integer or None, not {threads!r}")
    if hessian is True:
        return "exact"
    if hessian is False:
        return None
    return hessian


def _distributed_options(shard, hessian, threads):
    if isinstance(shard, str):
        shard = (shard,)
    return list(shard), _options(hessian, threads)


def compile(text, loss=None):
    """Compile spec text (a bare expression such as ``"0.3*dice + focal"``,
    or a whole spec); ``loss`` picks an objective (default: the first)."""
    return Loss(_native.compile(text, loss), ("text", text, loss))


def load(path, loss=None):
    """Load and compile a spec file; ``loss`` picks an objective."""
    path = str(path)
    return Loss(_native.load(path, loss), ("file", path, loss))


def _rebuild(kind, source, loss):
    return compile(source, loss) if kind == "text" else load(source, loss)
