"""lossc specs as XGBoost objectives and metrics.

>>> obj = lossc.xgboost.objective("focal(gamma=2)")
>>> booster = xgb.train({"base_score": 0.0}, dtrain, 100, obj=obj)   # doctest: +SKIP
>>> clf = xgb.XGBClassifier(objective=obj.sklearn)                  # doctest: +SKIP

Margins, labels, weights, the row-count scaling of a mean and the Hessian
policy are as described in ``lossc._boost``. XGBoost passes multi-class
margins as ``[N, C]``: ``sparse_cce`` with ``num_class = C`` works as is.

Initial score: XGBoost starts a custom objective at ``base_score`` read as
a *margin*, 0.5 unless set (measured with XGBoost 3.2): set
``"base_score": 0.0`` (or a prior's margin, e.g. the log-odds of the label
mean), or give a ``base_margin`` on the DMatrix. The built-in
``binary:logistic`` instead fits its starting margin to the labels, so to
compare the two give both the same ``base_margin``.
"""

from ._boost import Objective


class objective(Objective):
    """``objective(spec, hessian="exact", loss=None, reduction="mean")``:
    a callable for ``xgb.train(..., obj=...)``; ``.sklearn`` is the form
    for the scikit-learn interface (``objective=...``)."""

    def __call__(self, preds, dtrain):
        return self.grad_hess(preds, dtrain.get_label(), dtrain.get_weight())

    @property
    def sklearn(self):
        def lossc_objective(y_true, y_pred, *, sample_weight=None):
            return self.grad_hess(y_pred, y_true, sample_weight)

        return lossc_objective


class metric(Objective):
    """``metric(spec, name=None)``: a callable for
    ``xgb.train(..., custom_metric=...)`` returning ``(name, value)``, the
    spec's value on the margins (lower is better); ``.sklearn`` is the form
    for ``eval_metric=``."""

    def __init__(self, spec, name=None, loss=None):
        super().__init__(spec, hessian="exact", loss=loss)
        self.name = name or self.loss.name

    def __call__(self, preds, dmatrix):
        return self.name, self.value(preds, dmatrix.get_label(), dmatrix.get_weight())

    @property
    def sklearn(self):
        def lossc_metric(y_true, y_pred, sample_weight=None):
            return self.value(y_pred, y_true, sample_weight)

        lossc_metric.__name__ = self.name
        return lossc_metric
