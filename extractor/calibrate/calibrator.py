"""Calibrated confidence: evidence about each field -> probability that the field is right.

The assembler's scores are evidence strengths, not probabilities. A calibrator fitted by
``training/calibrate.py`` on the training split (never on dev), cross-fitted so that every
prediction it learnt from came from a converter and a page style it had not seen, maps each
leaf's features (:mod:`form4.calibrate.features`: the field, its evidence and provenance, the
form's checks, the row, the page's text and familiarity, the record) to the probability that
its value is right.

The leaf model is gradient-boosted trees (or a logistic regression) followed by Platt
scaling (or an isotonic step), chosen by held-out measurement; a small logistic model over the
calibrated leaves gives ``record_confidence``; leaves below the review threshold are listed in
``review``. Everything is stored as JSON (``calibration.json``: the fitted parameters and the
vocabulary the page novelty is measured against, no pickle).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from ..assemble.provenance import Provenance
from ..schema import Record
from .features import COLUMN, leaf_matrix

FORMAT = "form4-calibration/3"
REVIEW_THRESHOLD = 0.9  # used only when a calibration file does not carry a measured one


# ---------------------------------------------------------------- fitted models as plain data
@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees (binary log-loss), flattened: one node table for all trees.

    ``feature[n] < 0`` marks a leaf holding ``value[n]``; otherwise ``x <= threshold[n]`` (or a
    missing x with ``missing_left[n]``) goes to ``left[n]``, else ``right[n]``.
    """

    baseline: float
    roots: tuple[int, ...]
    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    missing_left: tuple[bool, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]
    depth: int

    def raw(self, X):
        import numpy as np

        feature, threshold = np.asarray(self.feature), np.asarray(self.threshold)
        left, right, value, missing_left = np.asarray(self.left), np.asarray(self.right), np.asarray(self.value), np.asarray(self.missing_left)
        node = np.tile(np.asarray(self.roots), (len(X), 1))  # (samples, trees)
        rows = np.arange(len(X))[:, None]
        for _ in range(self.depth):
            f = feature[node]
            inner = f >= 0
            x = X[rows, np.where(inner, f, 0)]
            go_left = np.where(np.isnan(x), missing_left[node], x <= threshold[node])
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        return self.baseline + value[node].sum(axis=1)

    @classmethod
    def from_sklearn(cls, model) -> "Trees":
        """From a fitted ``HistGradientBoostingClassifier`` (binary, numeric features)."""
        roots, feature, threshold, missing, left, right, value, depth = [], [], [], [], [], [], [], 0
        for (predictor,) in model._predictors:
            nodes, offset = predictor.nodes, len(feature)
            roots.append(offset)
            depth = max(depth, int(nodes["depth"].max()))
            for n in nodes:
                leaf = bool(n["is_leaf"])
                feature.append(-1 if leaf else int(n["feature_idx"]))
                threshold.append(0.0 if leaf else float(n["num_threshold"]))
                missing.append(bool(n["missing_go_to_left"]))
                left.append(offset + int(n["left"]) if not leaf else 0)
                right.append(offset + int(n["right"]) if not leaf else 0)
                value.append(float(n["value"]) if leaf else 0.0)
        baseline = float(model._baseline_prediction.ravel()[0])
        return cls(baseline, tuple(roots), tuple(feature), tuple(threshold), tuple(missing), tuple(left), tuple(right), tuple(value), depth + 1)


@dataclass(frozen=True)
class Linear:
    """Logistic regression: raw score = intercept + coef · x (a missing x counts as 0)."""

    coef: tuple[float, ...]
    intercept: float

    def raw(self, X):
        import numpy as np

        return self.intercept + np.nan_to_num(X, nan=0.0) @ np.asarray(self.coef)


@dataclass(frozen=True)
class Isotonic:
    """A monotone step function fitted on held-out predictions (interpolated between knots)."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, p):
        import numpy as np

        return np.interp(p, self.x, self.y)


def _sigmoid(z):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


RECORD_FEATURES = ("min", "mean", "log_product", "below", "log_leaves", "has_text")


def record_features(confidences: Sequence[float], threshold: float, has_text: bool) -> list[float]:
    """The record-level model's inputs, from the record's calibrated leaf confidences.

    >>> [round(v, 3) for v in record_features([0.99, 0.5], 0.9, True)]
    [0.5, 0.745, -0.703, 1.0, 1.099, 1.0]
    """
    if not confidences:
        return [0.0, 0.0, 0.0, 0.0, 0.0, float(has_text)]
    logs = [math.log(max(c, 1e-6)) for c in confidences]
    return [min(confidences), sum(confidences) / len(confidences), sum(logs), float(sum(c < threshold for c in confidences)), math.log1p(len(confidences)), float(has_text)]


@dataclass(frozen=True)
class Calibrator:
    """Leaf model -> scaling step -> confidence; record model -> record confidence.

    Built by ``training/calibrate.py``; :meth:`apply` takes the record, the source text (for the
    page's text signals; without it those features are missing) and the pipeline's
    :class:`~form4.assemble.provenance.Provenance` (without it, what only the readers knew is missing).
    """

    names: tuple[str, ...] = ()
    leaf: Trees | Linear | None = None
    isotonic: Isotonic | None = None
    platt: Linear | None = None  # Platt scaling of the leaf model's log-odds: sigmoid(a * raw + b)
    record_model: Linear | None = None
    review_threshold: float = REVIEW_THRESHOLD
    record_threshold: float = REVIEW_THRESHOLD  # the "below" count of the record model's inputs (fixed at fit)
    vocabulary: frozenset[str] = frozenset()  # words of the training pages: what page novelty is measured against
    info: dict = field(default_factory=dict, compare=False)

    # ------------------------------------------------------------ persistence
    @classmethod
    def load(cls, path: Path) -> "Calibrator | None":
        if not path.exists():
            return None
        return cls.from_dict(json.loads(path.read_text()))

    @classmethod
    def from_dict(cls, data: dict) -> "Calibrator":
        """A calibrator from its JSON form; ValueError for a file of another format."""
        if data.get("format") != FORMAT:
            raise ValueError(f"calibration format {data.get('format', 'unknown')!r}, not {FORMAT!r}")
        leaf = dict(data.get("leaf") or {})
        leaf_model = None
        if leaf:
            kind = leaf.pop("kind")
            leaf_model = Trees(**{k: tuple(v) if isinstance(v, list) else v for k, v in leaf.items()}) if kind == "trees" else Linear(tuple(leaf["coef"]), leaf["intercept"])
        iso = data.get("isotonic")
        platt = data.get("platt")
        rec = data.get("record_model")
        return cls(
            names=tuple(data.get("names", ())),
            leaf=leaf_model,
            isotonic=Isotonic(tuple(iso["x"]), tuple(iso["y"])) if iso else None,
            platt=Linear((float(platt["a"]),), float(platt["b"])) if platt else None,
            record_model=Linear(tuple(rec["coef"]), rec["intercept"]) if rec else None,
            review_threshold=float(data.get("review_threshold", REVIEW_THRESHOLD)),
            record_threshold=float((rec or {}).get("threshold", REVIEW_THRESHOLD)),
            vocabulary=frozenset(data.get("vocabulary", ())),
            info=data.get("info", {}),
        )

    def to_dict(self) -> dict:
        leaf = None
        if isinstance(self.leaf, Trees):
            leaf = {"kind": "trees", **{k: list(v) if isinstance(v, tuple) else v for k, v in self.leaf.__dict__.items()}}
        elif isinstance(self.leaf, Linear):
            leaf = {"kind": "linear", "coef": list(self.leaf.coef), "intercept": self.leaf.intercept}
        return {
            "format": FORMAT,
            "names": list(self.names),
            "leaf": leaf,
            "isotonic": {"x": list(self.isotonic.x), "y": list(self.isotonic.y)} if self.isotonic else None,
            "platt": {"a": self.platt.coef[0], "b": self.platt.intercept} if self.platt else None,
            "record_model": {"features": list(RECORD_FEATURES), "threshold": self.record_threshold, "coef": list(self.record_model.coef), "intercept": self.record_model.intercept} if self.record_model else None,
            "review_threshold": self.review_threshold,
            "vocabulary": sorted(self.vocabulary),
            "info": self.info,
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), separators=(",", ":")))

    @property
    def goal(self) -> str:
        """What the review threshold was chosen for, in words (the review page prints it)."""
        return str(self.info.get("review_goal") or "chosen on held-out training pages")

    def with_review_threshold(self, threshold: float | None) -> "Calibrator":
        return self if threshold is None else replace(self, review_threshold=float(threshold))

    # ------------------------------------------------------------ prediction
    def columns(self, X):
        """The leaf matrix's columns in the order the leaf model was fitted on (missing: NaN)."""
        import numpy as np

        index = [COLUMN.get(n, -1) for n in self.names]
        out = X[:, [max(j, 0) for j in index]]
        out[:, [k for k, j in enumerate(index) if j < 0]] = np.nan
        return out

    def probabilities(self, record: Record, text: str | None = None, evidence: Provenance | None = None) -> dict[str, float]:
        """Calibrated probability that each leaf of ``record.confidence`` is right."""
        if not record.confidence:
            return {}
        if self.leaf is None:  # an identity calibrator (too little data to fit one)
            return dict(record.confidence)
        pointers, X = leaf_matrix(record, text, evidence, self.vocabulary)
        raw = self.leaf.raw(self.columns(X))
        p = _sigmoid(self.platt.coef[0] * raw + self.platt.intercept if self.platt else raw)
        if self.isotonic is not None:
            p = self.isotonic(p)
        return {ptr: round(float(v), 4) for ptr, v in zip(pointers, p)}

    def record_probability(self, confidences: Sequence[float], has_text: bool) -> float | None:
        if self.record_model is None:
            return None
        x = record_features(confidences, self.record_threshold, has_text)
        z = self.record_model.intercept + sum(c * v for c, v in zip(self.record_model.coef, x))
        return round(1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z)))), 4)

    def apply(self, record: Record, text: str | None = None, evidence: Provenance | None = None) -> Record:
        """The record with calibrated ``confidence``, its ``review`` list and ``record_confidence``."""
        conf = self.probabilities(record, text, evidence)
        calibrated = record.model_copy(update={"confidence": conf, "record_confidence": self.record_probability(list(conf.values()), bool(text))})
        return with_review(calibrated, self.review_threshold)


def with_review(record: Record, threshold: float) -> Record:
    """The record with ``review`` = its leaves whose confidence is below ``threshold``.

    >>> r = Record(remarks="x", confidence={"/remarks": 0.7})
    >>> with_review(r, 0.9).review, with_review(r, 0.5).review
    (('/remarks',), ())
    """
    return record.model_copy(update={"review": tuple(p for p, c in record.confidence.items() if c < threshold)})
