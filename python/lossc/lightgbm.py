"""lossc specs as LightGBM objectives and metrics.

>>> obj = lossc.lightgbm.objective("focal(gamma=2)")
>>> booster = lgb.train({"objective": obj}, train_set, 100)     # doctest: +SKIP
>>> model = lgb.LGBMClassifier(objective=obj.sklearn)           # doctest: +SKIP

Margins, labels, weights, the row-count scaling of a mean and the Hessian
policy are as described in ``lossc._boost``. LightGBM (4.x) passes
multi-class margins as ``[N, C]`` (with ``num_class = C``), which is what
``sparse_cce`` takes.

Initial score: LightGBM starts a custom objective at 0 (no
``boost_from_average``). Pass ``init_score`` on the Dataset (e.g. the
log-odds of the label mean for a binary loss) to start from a prior; to
compare with the built-in ``binary``, set ``boost_from_average=False`` there
or give both the same ``init_score``.
"""

from ._boost import Objective


class objective(Objective):
    """``objective(spec, hessian="exact", loss=None, reduction="mean")``:
    LightGBM's native form (``params["objective"] = obj`` for
    ``lgb.train``); ``.sklearn`` is the form for ``LGBMModel(objective=...)``."""

    def __call__(self, preds, train_data):
        return self.grad_hess(preds, train_data.get_label(), train_data.get_weight())

    @property
    def sklearn(self):
        def lossc_objective(y_true, y_pred, weight):
            return self.grad_hess(y_pred, y_true, weight)

        return lossc_objective


class metric(Objective):
    """``metric(spec, name=None)``: ``feval`` for ``lgb.train`` returning
    ``(name, value, is_higher_better=False)``; ``.sklearn`` is the form for
    ``eval_metric=``."""

    def __init__(self, spec, name=None, loss=None):
        super().__init__(spec, hessian="exact", loss=loss)
        self.name = name or self.loss.name

    def __call__(self, preds, eval_data):
        return self.name, self.value(preds, eval_data.get_label(), eval_data.get_weight()), False

    @property
    def sklearn(self):
        def lossc_metric(y_true, y_pred, weight):
            return self.name, self.value(y_pred, y_true, weight), False

        return lossc_metric
