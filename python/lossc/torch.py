"""lossc specs as PyTorch operations on CPU tensors.

>>> f = lossc.torch.loss("0.7*focal(gamma=2) + 0.3*dice")
>>> value = f(pred=logits, target=mask)      # a 0-d tensor      # doctest: +SKIP
>>> value.backward()                         # logits.grad       # doctest: +SKIP

One custom operator, ``lossc::evaluate``, defined with
``torch.library.custom_op`` and given an autograd formula
(``register_autograd``: the gradients lossc computes with the value, times
the incoming gradient) and a fake implementation (so it traces under
``torch.compile``). Tensors reach lossc through ``Tensor.numpy()`` and
gradients come back through ``torch.from_numpy``: no copies. CPU tensors
only; the value has the dtype of the first differentiated input. Second
derivatives through autograd are not supported (use ``hessian=True`` on
the ``lossc.Loss`` for exact Hessian diagonals).

torch is not a dependency of lossc: install it yourself (``pip install
torch``; a large download).
"""

import itertools
import threading

import torch as _torch

from . import Loss, compile as _compile
from ._errors import InputError

# Compiled losses by handle: a custom operator's arguments are tensors and
# plain values, so the operator names its loss by an integer.
_losses = {}
_handles = itertools.count()
_lock = threading.Lock()


def _differentiated(handle, names):
    diff = set(_losses[handle].differentiated)
    return [n in diff for n in names.split(",")]


@_torch.library.custom_op("lossc::evaluate", mutates_args=())
def _evaluate(
    handle: int, names: str, arrays: list[_torch.Tensor]
) -> tuple[_torch.Tensor, list[_torch.Tensor]]:
    # `names`: the input names of `arrays`, comma-separated (an operator
    # schema has no list of strings).
    loss = _losses[handle]
    names_list = names.split(",")
    for name, a in zip(names_list, arrays):
        if a.device.type != "cpu":
            raise InputError(f"input `{name}` is on {a.device}; lossc takes CPU tensors")
    r = loss.evaluate({n: a.detach().numpy() for n, a in zip(names_list, arrays)})
    mask = _differentiated(handle, names)
    grads = [_torch.from_numpy(r.grads[n]) for n, d in zip(names_list, mask) if d]
    dtype = grads[0].dtype if grads else _torch.float64
    return _torch.tensor(r.value, dtype=dtype), grads


@_evaluate.register_fake
def _(handle, names, arrays):
    mask = _differentiated(handle, names)
    grads = [_torch.empty_like(a) for a, d in zip(arrays, mask) if d]
    dtype = grads[0].dtype if grads else _torch.float64
    return arrays[0].new_empty((), dtype=dtype), grads


def _setup_context(ctx, inputs, output):
    handle, names, _ = inputs
    ctx.mask = _differentiated(handle, names)
    ctx.save_for_backward(*output[1])


def _backward(ctx, grad_value, _grad_grads):
    grads = iter(ctx.saved_tensors)
    return None, None, [grad_value * next(grads) if d else None for d in ctx.mask]


_evaluate.register_autograd(_backward, setup_context=_setup_context)


class loss:
    """``loss(spec, loss=None)``: a callable on CPU tensors by input name,
    returning the objective's value as a 0-d tensor that takes part in
    autograd."""

    def __init__(self, spec, loss=None):
        self.loss = spec if isinstance(spec, Loss) else _compile(spec, loss)
        with _lock:
            self.handle = next(_handles)
            _losses[self.handle] = self.loss

    def __call__(self, **tensors):
        names = sorted(tensors)
        value, _ = _evaluate(self.handle, ",".join(names), [tensors[n] for n in names])
        return value
