"""Calibrated confidence: rule/model evidence -> probability that a field is right.

The assembler's scores are evidence strengths. A logistic model fitted by
``training/calibrate.py`` on the training split (never on dev) maps them, with
the field's kind, to the probability that the value is right. It ships beside
the NER model as ``calibration.json``; without it the evidence scores stand.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .schema import Record

KINDS = ("text", "number", "date", "flag", "code", "footnote")
_DATE = re.compile(r"(?:date|period_of_report|date_of_original_submission)$")


def kind_of(pointer: str) -> str:
    """
    >>> kind_of("/non_derivative_transactions/0/shares"), kind_of("/footnotes/0/text"), kind_of("/reporting_owners/0/is_director")
    ('number', 'footnote', 'flag')
    """
    last = pointer.rsplit("/", 2)
    field = last[-1] if not last[-1].isdigit() else last[-2]
    if pointer.startswith("/footnotes") or field == "footnote_ids":
        return "footnote"
    if field.startswith("is_") or field in ("not_subject_to_section16", "aff10b5_one", "equity_swap_involved"):
        return "flag"
    if _DATE.search(field) or field.endswith("_date"):
        return "date"
    if field in ("shares", "price_per_share", "shares_owned_following", "conversion_or_exercise_price", "underlying_security_shares"):
        return "number"
    if field in ("transaction_code", "acquired_disposed", "direct_or_indirect", "document_type", "trading_symbol", "state", "zip_code"):
        return "code"
    return "text"


def features(pointer: str, evidence: float, warned: bool) -> list[float]:
    kind = kind_of(pointer)
    return [evidence, float(warned)] + [float(kind == k) for k in KINDS]


@dataclass(frozen=True)
class Calibrator:
    coef: tuple[float, ...]
    intercept: float

    @classmethod
    def load(cls, path: Path) -> "Calibrator | None":
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        return cls(tuple(data["coef"]), float(data["intercept"]))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"features": ["evidence", "warned", *KINDS], "coef": list(self.coef), "intercept": self.intercept}, indent=1))

    def probability(self, x: list[float]) -> float:
        z = self.intercept + sum(c * v for c, v in zip(self.coef, x))
        return 1.0 / (1.0 + math.exp(-z))

    def apply(self, record: Record) -> Record:
        warned = _warned_pointers(record)
        conf = {p: round(self.probability(features(p, c, p in warned)), 4) for p, c in record.confidence.items()}
        return record.model_copy(update={"confidence": conf})


def _warned_pointers(record: Record) -> set[str]:
    """Pointers whose confidence validation lowered (named in a warning)."""
    out = set()
    for warning in record.warnings:
        m = re.match(r"(\w+)\[(\d+)\]", warning)
        if m:
            out.update(p for p in record.confidence if p.startswith(f"/{m.group(1)}/{m.group(2)}/"))
    return out
