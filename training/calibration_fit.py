"""The calibrator's models fitted as plain data: leaf models (gradient-boosted trees or a logistic
regression, :func:`fit_leaf`), the scaling step (Platt or isotonic), held-out predictions over
folds, the record model. The measures that choose them are in :mod:`.reliability`.
"""

from __future__ import annotations

from typing import Any

from form4.calibrate.calibrator import Isotonic, Linear, Trees

TREES = {"max_iter": 150, "learning_rate": 0.08, "max_leaf_nodes": 15, "min_samples_leaf": 40, "l2_regularization": 1.0}


# ---------------------------------------------------------------- leaf models
def fit_leaf(kind: str, X, y):
    """A leaf model as plain data: ``trees`` (gradient-boosted) or ``linear`` (logistic)."""
    import numpy as np

    if kind == "trees":
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        X = np.where(np.isnan(X).all(axis=0), 0.0, X)  # a feature never measured here (e.g. no provenance yet): never split on
        with threadpool_limits(1):  # one thread: a shared machine (and identical results everywhere)
            model = HistGradientBoostingClassifier(**TREES, early_stopping=False, random_state=13).fit(X, y)
        return Trees.from_sklearn(model)
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    Xf = np.nan_to_num(X, nan=0.0)
    scaler = StandardScaler().fit(Xf)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=1.0, max_iter=2000).fit((Xf - scaler.mean_) / scale, y)
    coef = model.coef_[0] / scale
    return Linear(tuple(float(c) for c in coef), float(model.intercept_[0] - (coef * scaler.mean_).sum()))


def _sigmoid(z):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def isotonic(p, y) -> Isotonic:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(p, y)
    return Isotonic(tuple(float(v) for v in iso.X_thresholds_), tuple(float(v) for v in iso.y_thresholds_))


def _logit(p):
    import numpy as np

    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def platt(p, y) -> Linear:
    """Platt scaling on the log-odds: p' = sigmoid(a * logit(p) + b)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit(_logit(p)[:, None], y)
    return Linear((float(model.coef_[0][0]),), float(model.intercept_[0]))


def apply_step(step_model, p):
    if isinstance(step_model, Isotonic):
        return step_model(p)
    return _sigmoid(step_model.coef[0] * _logit(p) + step_model.intercept)


def held_out(kind: str, X, y, splits) -> Any:
    """Probability for every leaf from a leaf model that did not see its fold."""
    import numpy as np

    p = np.full(len(y), np.nan)
    for fit_idx, test_idx in splits:
        if len(set(y[fit_idx])) < 2:
            p[test_idx] = y[fit_idx].mean()
            continue
        model = fit_leaf(kind, X[fit_idx], y[fit_idx])
        p[test_idx] = _sigmoid(model.raw(X[test_idx]))
    return p


def cross_calibrated(p, y, splits, step: str) -> Any:
    """Held-out probabilities passed through a calibration step itself fitted on the other folds."""
    import numpy as np

    if step == "none":
        return p
    out = np.array(p, dtype=float)
    for _, test_idx in splits:
        other = np.setdiff1d(np.arange(len(y)), test_idx)
        f = isotonic(p[other], y[other]) if step == "isotonic" else platt(p[other], y[other])
        out[test_idx] = apply_step(f, p[test_idx])
    return out


# ---------------------------------------------------------------- measures
def fit_record(X, y) -> Linear | None:
    """The record model: a logistic regression over the record's features (standardised, a
    missing value counting as 0); None with one class only."""
    import numpy as np

    if len(set(np.asarray(y).tolist())) < 2:
        return None
    return fit_leaf("linear", np.asarray(X, dtype=float), np.asarray(y))
