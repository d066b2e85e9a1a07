"""lossc specs as CatBoost objectives and metrics.

>>> model = CatBoostClassifier(loss_function=lossc.catboost.objective("focal(gamma=2)"),
...                            eval_metric=lossc.catboost.metric("focal(gamma=2)"))  # doctest: +SKIP

CatBoost's convention is the opposite sign: it maximises, and takes the
first and second derivatives of the *negated* loss. The adapters return
exactly that. Margins, labels, weights, the row-count scaling of a mean and
the Hessian policy are otherwise as described in ``lossc._boost``.

- ``calc_ders_range`` gets a range of rows; the derivatives of a mean are
  scaled by the rows in that range, which is right for losses that are a
  sum over rows (every per-row loss); a loss coupling rows (Dice) is not a
  per-row objective.
- ``calc_ders_multi`` (multi-class, ``loss_function=objective("sparse_cce")``
  with ``classes_count``) is called by CatBoost once per row; it returns
  the Hessian as a diagonal matrix (lossc computes exact diagonals).

Initial score: CatBoost starts a custom objective at 0; give
``baseline`` on the Pool for a prior (and ``boost_from_average=False`` on a
built-in loss to compare with it).
"""

import numpy as np

from ._boost import Objective


class objective(Objective):
    """``objective(spec, hessian="exact", loss=None, reduction="mean")``:
    an object for ``loss_function=`` with ``calc_ders_range`` and
    ``calc_ders_multi``."""

    def calc_ders_range(self, approxes, targets, weights):
        margins = np.asarray(approxes, dtype=np.float64)
        g, h = self.grad_hess(margins, np.asarray(targets, dtype=np.float64), weights)
        return list(zip((-g).tolist(), (-h).tolist()))

    def calc_ders_multi(self, approx, target, weight):
        margins = np.asarray(approx, dtype=np.float64).reshape(1, -1)
        weights = None if weight is None else np.array([weight], np.float64)
        g, h = self.grad_hess(margins, np.array([target], np.float64), weights)
        return (-g[0]).tolist(), np.diag(-h[0]).tolist()


class metric(Objective):
    """``metric(spec)``: an object for ``eval_metric=`` / ``custom_metric=``
    whose value is the spec's (lower is better)."""

    def __init__(self, spec, loss=None):
        super().__init__(spec, hessian="exact", loss=loss)

    def is_max_optimal(self):
        return False

    def evaluate(self, approxes, target, weight):
        margins = np.asarray(approxes, dtype=np.float64)
        margins = margins[0] if margins.shape[0] == 1 else margins.T
        labels = np.asarray(target, dtype=np.float64)
        n = margins.shape[0]
        weights = None if weight is None else np.asarray(weight, np.float64)
        mean = self.value(margins, labels, weights)
        # The weighted mean is sum(w * l) / N in the spec; CatBoost divides
        # the error sum by the weight sum.
        total = n if (weights is None or not self.weighted) else float(weights.sum())
        return mean * n, total

    def get_final_error(self, error, weight):
        return error / weight if weight else 0.0
