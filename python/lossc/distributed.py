"""Exact global losses across data-parallel shards.

A batch sharded over processes (MPI ranks, torch.distributed workers) gets
the loss of the *whole* batch, and each shard its rows of its gradient,
with one all-reduce of a small float64 vector:

1. ``local = loss.partials(**arrays)``: this shard's sums and counts;
2. all-reduce ``local`` by elementwise sum;
3. ``loss.finish(merged, **arrays)``: the global value and terms, and this
   shard's gradients (and Hessian diagonals) of the global objective.

:func:`mpi` and :func:`torch` return a callable ``f(**arrays) -> Result``
that does the three steps with mpi4py or torch.distributed. Every rank
must call it (it is a collective), with its own rows; shards may be uneven
or empty. ``grad_scale`` multiplies the gradients: set it to the world size
when the training engine averages gradients over ranks (PyTorch DDP), so
that the averaged gradient is the global objective's.
"""

import numpy as _np

__all__ = ["mpi", "torch"]


def _collective(loss, all_reduce, shard, hessian, engine, threads, grad_scale):
    def evaluate(**arrays):
        local = loss.partials(hessian=hessian, engine=engine, threads=threads, shard=shard, **arrays)
        merged = all_reduce(local)
        return loss.finish(
            merged,
            grad_scale=grad_scale,
            hessian=hessian,
            engine=engine,
            threads=threads,
            shard=shard,
            **arrays,
        )

    return evaluate


def mpi(loss, comm, shard=("N",), hessian=False, engine="auto", threads=None, grad_scale=1.0):
    """``f(**arrays) -> lossc.Result`` over the ranks of the mpi4py
    communicator ``comm`` (``MPI.COMM_WORLD``, or a sub-communicator): the
    partials are merged with ``comm.Allreduce(local, merged, op=MPI.SUM)``."""
    from mpi4py import MPI

    def all_reduce(local):
        merged = _np.empty_like(local)
        comm.Allreduce(local, merged, op=MPI.SUM)
        return merged

    return _collective(loss, all_reduce, shard, hessian, engine, threads, grad_scale)


def torch(
    loss, group=None, shard=("N",), hessian=False, engine="auto", threads=None, grad_scale=1.0, device=None
):
    """``f(**arrays) -> lossc.Result`` over the process group ``group``
    (default: the default group of ``torch.distributed``): the partials are
    merged with ``torch.distributed.all_reduce`` on a float64 tensor, on the
    CPU (gloo) unless ``device`` names another (``"cuda"`` for NCCL). The
    arrays are numpy arrays (``tensor.detach().cpu().numpy()``); the
    gradients come back as numpy arrays, to pass to ``tensor.backward``."""
    import torch as _torch
    import torch.distributed as _dist

    def all_reduce(local):
        t = _torch.from_numpy(local)
        if device is not None:
            t = t.to(device)
        _dist.all_reduce(t, op=_dist.ReduceOp.SUM, group=group)
        return t.cpu().numpy()

    return _collective(loss, all_reduce, shard, hessian, engine, threads, grad_scale)
