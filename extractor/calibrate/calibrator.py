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
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

from ..assemble.provenance import Provenance
from ..schema import Record
from .features import COLUMN, field_pattern, kind_of, leaf_matrix

FORMAT = "form4-calibration/3"
REVIEW_THRESHOLD = 0.9  # used only when a calibration file does not carry a measured one


# ---------------------------------------------------------------- fitted models as plain data
_BLOCK = 1024  # rows per block of the trees' walk
_NODE_ARRAYS: dict[int, tuple] = {}  # id(Trees) -> (a weak reference to the model, its node arrays)

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
        """The summed leaf values (log-odds) of every row of ``X``, a block of rows at a time: the
        walk's (rows x trees) index arrays stay small, so the cost grows with the rows, no faster.

        >>> stump = Trees(0.5, (0,), (0, -1, -1), (1.0, 0.0, 0.0), (True, False, False), (1, 0, 0), (2, 0, 0), (0.0, -1.0, 2.0), 2)
        >>> import numpy as np; stump.raw(np.array([[0.0], [3.0], [np.nan]])).tolist()
        [-0.5, 2.5, -0.5]
        """
        import numpy as np

        arrays = self._arrays()
        out = np.empty(len(X))
        for start in range(0, len(X), _BLOCK):
            out[start : start + _BLOCK] = self._walk(X[start : start + _BLOCK], *arrays)
        return out

    def _arrays(self):
        """The node table as numpy arrays, made once per model."""
        cached = _NODE_ARRAYS.get(id(self))
        if cached is None or cached[0]() is not self:
            import numpy as np

            arrays = tuple(np.asarray(a) for a in (self.roots, self.feature, self.threshold, self.missing_left, self.left, self.right, self.value))
            cached = _NODE_ARRAYS[id(self)] = (weakref.ref(self), arrays)
            weakref.finalize(self, _NODE_ARRAYS.pop, id(self), None)
        return cached[1]

    def _walk(self, X, roots, feature, threshold, missing_left, left, right, value):
        import numpy as np

        node = np.tile(roots, (len(X), 1))  # (samples, trees)
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


#: The record's own signals the record model reads besides its leaves' confidences: the form's
#: checks, repairs and recovered values, and how familiar the page looked (columns of the leaf matrix).
RECORD_SIGNALS = (
    "doc_breaches",
    "doc_repairs",
    "doc_refused",
    "doc_recovered",
    "chain_fail_share",
    "text_novel_share",
    "page_anchors_found",
    "page_rows_unsure_share",
    "page_model_read_share",
    "page_model_unsure_share",
)
RECORD_FEATURES = ("min", "mean", "log_product", "below", "log_leaves", "has_text", *RECORD_SIGNALS)


def record_features(confidences: Sequence[float], threshold: float, has_text: bool, signals: Mapping[str, float] | None = None) -> list[float]:
    """The record-level model's inputs: the record's calibrated leaf confidences, then its
    :data:`RECORD_SIGNALS` (NaN where unknown).

    >>> [round(v, 3) for v in record_features([0.99, 0.5], 0.9, True, {"doc_breaches": 2.0})][:7]
    [0.5, 0.745, -0.703, 1.0, 1.099, 1.0, 2.0]
    """
    known = [float((signals or {}).get(name, math.nan)) for name in RECORD_SIGNALS]
    if not confidences:
        return [0.0, 0.0, 0.0, 0.0, 0.0, float(has_text), *known]
    logs = [math.log(max(c, 1e-6)) for c in confidences]
    return [min(confidences), sum(confidences) / len(confidences), sum(logs), float(sum(c < threshold for c in confidences)),
            math.log1p(len(confidences)), float(has_text), *known]


def record_signals(X) -> dict[str, float]:
    """The record's signals from its leaf matrix (every row holds the same record columns)."""
    return {name: float(X[0, COLUMN[name]]) for name in RECORD_SIGNALS} if len(X) else {}


#: What a wrong value costs the user when it goes unchecked, by the kind of field: a share count,
#: a price or a date changes what the filing reports; a footnote's wording rarely does.
COST = {"number": 3.0, "date": 2.0, "code": 2.0, "flag": 1.5, "text": 1.0, "footnote": 0.5}
#: Fields that say whose filing it is cost as much as a number.
COSTLY_FIELDS = frozenset({"issuer/name", "issuer/trading_symbol", "reporting_owners/*/name"})


def expected_cost(pointer: str, confidence: float) -> float:
    """(1 - confidence) x what a mistake in the field costs (:data:`COST`).

    >>> expected_cost("/non_derivative_transactions/0/shares", 0.9) > expected_cost("/footnotes/0/text", 0.8)
    True
    """
    cost = COST["number"] if field_pattern(pointer) in COSTLY_FIELDS else COST[kind_of(pointer)]
    return round((1.0 - confidence) * cost, 6)


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
    record_names: tuple[str, ...] = RECORD_FEATURES[:6]  # the record model's inputs, in its coefficients' order
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
            record_names=tuple((rec or {}).get("features") or RECORD_FEATURES[:6]),
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
            "record_model": {"features": list(self.record_names), "threshold": self.record_threshold, "coef": list(self.record_model.coef), "intercept": self.record_model.intercept} if self.record_model else None,
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
        return self._calibrated(record, text, evidence)[0]

    def _calibrated(self, record: Record, text: str | None, evidence: Provenance | None) -> tuple[dict[str, float], dict[str, float]]:
        """(calibrated probability per leaf, the record's signals for the record model)."""
        if not record.confidence:
            return {}, {}
        if self.leaf is None:  # an identity calibrator (too little data to fit one)
            return dict(record.confidence), {}
        pointers, X = leaf_matrix(record, text, evidence, self.vocabulary)
        raw = self.leaf.raw(self.columns(X))
        p = _sigmoid(self.platt.coef[0] * raw + self.platt.intercept if self.platt else raw)
        if self.isotonic is not None:
            p = self.isotonic(p)
        return {ptr: round(float(v), 4) for ptr, v in zip(pointers, p)}, record_signals(X)

    def record_probability(self, confidences: Sequence[float], has_text: bool, signals: Mapping[str, float] | None = None) -> float | None:
        """Probability that every field of the record is right (its record model over its leaves and signals)."""
        if self.record_model is None:
            return None
        values = dict(zip(RECORD_FEATURES, record_features(confidences, self.record_threshold, has_text, signals)))
        z = self.record_model.intercept + sum(c * v for c, v in zip(self.record_model.coef, (values.get(n, math.nan) for n in self.record_names))
                                              if not math.isnan(v))
        return round(1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z)))), 4)

    def apply(self, record: Record, text: str | None = None, evidence: Provenance | None = None) -> Record:
        """The record with calibrated ``confidence``, its ``review`` list and ``record_confidence``."""
        conf, signals = self._calibrated(record, text, evidence)
        calibrated = record.model_copy(update={"confidence": conf, "record_confidence": self.record_probability(list(conf.values()), bool(text), signals)})
        return with_review(calibrated, self.review_threshold)


def with_review(record: Record, threshold: float) -> Record:
    """The record with ``review`` = its leaves whose confidence is below ``threshold``, the
    costliest expected mistake first (:func:`expected_cost`).

    >>> r = Record(remarks="x", confidence={"/remarks": 0.7, "/period_of_report": 0.8})
    >>> with_review(r, 0.9).review, with_review(r, 0.75).review
    (('/period_of_report', '/remarks'), ('/remarks',))
    """
    low = [p for p, c in record.confidence.items() if c < threshold]
    low.sort(key=lambda p: -expected_cost(p, record.confidence[p]))
    return record.model_copy(update={"review": tuple(low)})
