"""Fit the confidence calibrator on the training split; report its effect on dev.

Each predicted leaf is one example: features = evidence score, a warning on its
row, the field's kind; target = the value equals the gold value (rows aligned
as ``form4 score`` aligns them). scikit-learn's logistic regression.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from form4.calibration import Calibrator, _warned_pointers, features
from form4.errors import Form4Error
from form4.pipeline import Extractor, extract_text
from form4.schema import iter_leaves
from form4.score import _field_of, _norm, _skipped, align

from .evaluate import corpus_items


@dataclass
class CalibrationReport:
    examples: int
    brier_before: float
    brier_after: float
    accuracy: float


def _examples(items, extractor: Extractor) -> tuple[list[list[float]], list[int], list[float]]:
    X, y, raw = [], [], []
    for gold, text, _, name in items:
        try:
            record = extract_text(text, name, extractor)
        except Form4Error:
            continue
        pred = align(gold.record, record.to_json_dict())
        gold_pairs = {(p, _norm(v)) for p, v in iter_leaves(gold.record)}
        warned = _warned_pointers(record)
        for pointer, value in iter_leaves(pred):
            if _skipped(_field_of(pointer)) or pointer not in record.confidence:
                continue
            evidence = record.confidence[pointer]
            X.append(features(pointer, evidence, pointer in warned))
            y.append(int((pointer, _norm(value)) in gold_pairs))
            raw.append(evidence)
    return X, y, raw


class TooFewExamples(ValueError):
    """The training split has too few predicted fields (or only right, or only wrong ones) to fit on."""


def fit(corpus: Path, extractor: Extractor, limit: int = 40) -> tuple[Calibrator, CalibrationReport]:
    from sklearn.linear_model import LogisticRegression

    X, y, _ = _examples(corpus_items(corpus, "train", limit), extractor)
    if len(set(y)) < 2:
        raise TooFewExamples(f"{len(y)} predicted fields on the training split, {sum(y)} of them right: a calibration needs right and wrong ones")
    model = LogisticRegression(max_iter=1000).fit(X, y)
    calibrator = Calibrator(tuple(float(c) for c in model.coef_[0]), float(model.intercept_[0]))
    Xd, yd, rawd = _examples(corpus_items(corpus, "dev", limit), extractor)
    after = [calibrator.probability(x) for x in Xd]
    brier = lambda ps: sum((p - t) ** 2 for p, t in zip(ps, yd)) / max(1, len(yd))  # noqa: E731
    return calibrator, CalibrationReport(len(y), round(brier(rawd), 4), round(brier(after), 4), round(sum(yd) / max(1, len(yd)), 4))
