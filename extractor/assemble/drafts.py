"""Entities -> typed values under construction: each with its evidence, its origin and where it was printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..entities import Candidate, Entity, RowEntities
from ..form import evidence as E
from ..form import fields as F
from ..form.normalize import clean_text, parse_date, parse_number
from ..form.ocr import read_as, tidy_cell


@dataclass
class Value:
    """A field's value under construction, with its confidence and origin.

    ``level``, ``source``, ``spans``, ``prob`` and ``disagreed`` record what the reader knew (see
    :class:`~form4.assemble.provenance.FieldEvidence`); ``repair`` names the rule of the form that
    changed or supplied the value (:data:`~form4.assemble.provenance.REPAIR_KINDS`).
    """

    value: Any
    confidence: float
    raw: str | None = None
    alternatives: tuple[Candidate, ...] = ()
    derived: bool = False
    note: str | None = None  # why a printed value was refused (a minus, too many digits): a warning
    level: float | None = None
    source: str = "rule"
    spans: tuple[tuple[int, int], ...] = ()
    prob: float | None = None
    disagreed: bool = False
    repair: str | None = None


@dataclass
class RowDraft:
    table: str  # "I" | "II"
    values: dict[str, Value] = field(default_factory=dict)
    footnote_ids: tuple[str, ...] = ()
    placed_ids: frozenset[str] = frozenset()  # ids placed by numbering order, not read
    refused: tuple[tuple[str, str], ...] = ()  # (field, warning) of printed values refused

    def get(self, name: str) -> Any:
        v = self.values.get(name)
        return v.value if v else None

    @property
    def is_transaction(self) -> bool:
        # in Table II a price alone does not make a transaction (a holding's conversion price read as one)
        labels = F.TRANSACTION_ONLY_LABELS - {F.PRICE} if self.table == "II" else F.TRANSACTION_ONLY_LABELS
        return any(self.get(F.ROW_LABELS[label][0]) is not None for label in labels) or any(
            F.ROW_LABELS[label][0] in self.values for label in (F.TXN_DATE, F.TXN_CODE, F.ACQ_DISP)
        )


_PARSERS: dict[F.Kind, Callable[[str], Any]] = {
    F.Kind.TEXT: lambda s: clean_text(s).value,
    F.Kind.DATE: lambda s: parse_date(s).value,
    F.Kind.NUMBER: lambda s: parse_number(s).value,
    F.Kind.LETTER: lambda s: (clean_text(s).value or "").strip()[:1].upper() or None,
}


_TIDIED = frozenset({F.SECURITY_TITLE, F.UNDERLYING_TITLE, F.NATURE})
_DISAGREE_NOTE = "model and rules disagree"


def _origin(entity: Entity) -> dict[str, Any]:
    """What a value keeps of the entity it was read from."""
    spans = ((entity.start, entity.end),) if entity.end > entity.start else ()
    return {"level": entity.score, "source": entity.source, "spans": spans, "prob": entity.prob, "disagreed": _DISAGREE_NOTE in entity.notes}


def typed_value(entity: Entity, kind: F.Kind) -> Value:
    raw = entity.value_source
    origin = _origin(entity)
    if kind is F.Kind.NUMBER and raw is not None:
        number = parse_number(raw)
        confidence = entity.score if number.value is not None else min(entity.score, E.DOUBTED)
        return Value(number.value, confidence, raw, note=number.note, **origin)
    parsed = _PARSERS[kind](raw) if raw is not None else None
    if parsed and entity.label in _TIDIED:
        parsed = tidy_cell(parsed) or None  # by the rules or the model: OCR's mark remnants go
    confidence = entity.score if parsed is not None else min(entity.score, E.DOUBTED)
    return Value(parsed, confidence, raw, **origin)


#: Letters a field may hold, and what OCR prints for them.
_ALLOWED_LETTERS = {
    F.ROW_LABELS[label][0]: (F.letters(label), read_as(F.letters(label) if label != F.TXN_CODE else "SDI"))
    for label in (F.ACQ_DISP, F.OWNERSHIP_FORM, F.TXN_CODE)
}


def _allowed_letter(name: str, value: Value) -> Value:
    rule = _ALLOWED_LETTERS.get(name)
    if rule is None or value.value is None:
        return value
    allowed, confusions = rule
    letter = str(value.value).upper()
    if letter in allowed:
        return value
    if letter in confusions:
        value.value, value.confidence, value.repair = confusions[letter], min(value.confidence, E.IMPLIED), "confusion"
        return value
    value.value, value.confidence = None, E.UNREADABLE
    return value


def draft_row(row: RowEntities) -> RowDraft:
    draft = RowDraft(row.table, footnote_ids=row.footnote_ids)
    for entity in row.entities:
        if entity.label not in F.ROW_LABELS:
            continue
        name, kind = F.ROW_LABELS[entity.label]
        if name in draft.values and draft.values[name].value is not None:
            continue
        value = _allowed_letter(name, typed_value(entity, kind))
        value.alternatives = row.alternatives.get(entity.label, ())
        draft.values[name] = value
    return draft
