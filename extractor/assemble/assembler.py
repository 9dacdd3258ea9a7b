"""Entities -> record: normalise, repair with the form's arithmetic, validate, score.

The assembler is deterministic. It takes the entities of each section (from
rules or the model), parses each into its typed value (:mod:`.drafts`), uses the form's own
rules to choose between readings of damaged numbers (the shares-owned-following
chain) and fills what the form implies (the A/D side of a code) (:mod:`.repairs`), and gives
every non-null leaf a confidence. :func:`assemble_traced` also returns where every value
came from (:mod:`.provenance`): the evidence per leaf, the repairs and the breaches, as data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..entities import Entity, Footer, HeaderEntities, RowEntities
from ..form import evidence as E
from ..form import fields as F
from ..form.normalize import clean_text
from ..schema import (
    DerivativeHolding,
    DerivativeTransaction,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    Record,
    ReportingOwner,
    Signature,
    iter_leaves,
)
from .drafts import RowDraft, Value, draft_row, typed_value
from .price_ranges import read_price_ranges
from .provenance import Assembly, FieldEvidence, Provenance, Repair
from .readings import other_readings
from .repairs import fill_implied, place_unread_marks, repair_chains
from .validate import validate


@dataclass
class _Ledger:
    """Confidence, evidence and repairs per leaf pointer, filled as the record is built."""

    confidence: dict[str, float] = field(default_factory=dict)
    fields: dict[str, FieldEvidence] = field(default_factory=dict)
    repairs: list[Repair] = field(default_factory=list)

    def add(self, pointer: str, v: Value, reader: str) -> None:
        self.confidence[pointer] = v.confidence
        self.fields[pointer] = FieldEvidence(
            source="derived" if v.derived else v.source,
            reader=reader,
            level=v.level if v.level is not None else v.confidence,
            model_prob=v.prob,
            alternatives=len(v.alternatives),
            disagreed=v.disagreed,
            spans=v.spans,
        )
        if v.repair:
            self.repairs.append(Repair(v.repair, (pointer,)))


_MODELS = {
    ("I", True): NonDerivativeTransaction,
    ("I", False): NonDerivativeHolding,
    ("II", True): DerivativeTransaction,
    ("II", False): DerivativeHolding,
}
_TABLE_KEYS = {
    NonDerivativeTransaction: "non_derivative_transactions",
    NonDerivativeHolding: "non_derivative_holdings",
    DerivativeTransaction: "derivative_transactions",
    DerivativeHolding: "derivative_holdings",
}


def _build_row(draft: RowDraft, ledger: _Ledger, count: dict[str, int]):
    """The row's model instance; its leaves' evidence, repairs and refused values go to ``ledger``."""
    model = _MODELS[(draft.table, draft.is_transaction)]
    allowed = model.model_fields
    key = _TABLE_KEYS[model]
    prefix = f"/{key}/{count.get(key, 0)}/"
    count[key] = count.get(key, 0) + 1
    kwargs = {k: v.value for k, v in draft.values.items() if k in allowed and v.value is not None}
    kwargs["footnote_ids"] = draft.footnote_ids
    for name, v in draft.values.items():
        if name in allowed and v.value is not None:
            ledger.add(prefix + name, v, "rows")
        elif v.note:
            ledger.repairs.append(Repair("refused", (prefix + name,), f"{name} {v.raw!r}: {v.note}"))
    placed = []
    for j, fid in enumerate(draft.footnote_ids):
        mark = Value(fid, E.PLACED if fid in draft.placed_ids else E.IN_BOX)
        ledger.add(f"{prefix}footnote_ids/{j}", mark, "rows")
        if fid in draft.placed_ids:
            placed.append(f"{prefix}footnote_ids/{j}")
    if placed:
        ledger.repairs.append(Repair("placed", tuple(placed)))
    return key, model(**kwargs)


# ---------------------------------------------------------------- header
def _owner(
    entities: tuple[Entity, ...], relationship: dict[str, tuple[bool | None, float]], warnings: list[str]
) -> tuple[ReportingOwner, dict[str, Value]]:
    values: dict[str, Value] = {}
    for entity in entities:
        name, kind = F.HEADER_LABELS[entity.label]
        if name not in values:
            values[name] = typed_value(entity, kind)
    boxes = {name: Value(checked, score) for name, (checked, score) in relationship.items()}
    if not any(v.value for v in boxes.values()) and values.get("officer_title"):
        boxes["is_officer"] = Value(True, E.IMPLIED, derived=True, source="derived", repair="implied")
        warnings.append("no relationship box read as checked; an officer title is printed, so took Officer")
    if not _checked(boxes, "is_officer") and _checked(boxes, "is_other") and "officer_title" in values:
        values["other_text"] = values.pop("officer_title")
    values = {k: v for k, v in values.items() if v.value is not None} | boxes
    return ReportingOwner(**{k: v.value for k, v in values.items()}), values


def _checked(boxes: dict[str, Value], name: str) -> bool:
    return bool(boxes[name].value) if name in boxes else False


def _header_values(entities: tuple[Entity, ...], prefix: str, ledger: _Ledger) -> dict[str, Any]:
    """Typed values of header entities by field name; their evidence under ``prefix``."""
    out: dict[str, Any] = {}
    for entity in entities:
        name, kind = F.HEADER_LABELS[entity.label]
        v = typed_value(entity, kind)
        if v.value is not None and name not in out:
            out[name] = v.value
            ledger.add(f"{prefix}{name}", v, "header")
    return out


def _footer_parts(footer: Footer, ledger: _Ledger) -> tuple[tuple[Footnote, ...], str | None, tuple[Signature, ...]]:
    footnotes = tuple(Footnote(id=f.id, text=f.text) for f in footer.footnotes)
    for i, f in enumerate(footer.footnotes):
        ledger.add(f"/footnotes/{i}/id", Value(f.id, E.PRINTED), "footer")
        ledger.add(f"/footnotes/{i}/text", Value(f.text, E.WORDS, spans=((f.start, f.end),) if f.end > f.start else ()), "footer")
    remarks = clean_text(footer.remarks.value_source).value if footer.remarks else None
    if remarks and footer.remarks:
        ledger.add("/remarks", typed_value(footer.remarks, F.Kind.TEXT), "footer")
    signatures = []
    for i, group in enumerate(footer.signatures):
        kwargs = {}
        for entity in group:
            name, kind = F.SIGNATURE_LABELS[entity.label]
            v = typed_value(entity, kind)
            if v.value is not None:
                kwargs[name] = v.value
                ledger.add(f"/signatures/{i}/{name}", v, "footer")
        signatures.append(Signature(**kwargs))
    return footnotes, remarks, tuple(signatures)


def assemble(header: HeaderEntities, rows: list[RowEntities], footer: Footer, source: str | None = None) -> Record:
    """The record of one filing (see :func:`assemble_traced` for its provenance too)."""
    return assemble_traced(header, rows, footer, source).record


def assemble_traced(header: HeaderEntities, rows: list[RowEntities], footer: Footer, source: str | None = None) -> Assembly:
    """The record and where each of its values came from: evidence per leaf, repairs, breaches."""
    warnings: list[str] = []
    ledger = _Ledger()

    owners = []
    for i, (entities, relationship) in enumerate(((header.owner, header.relationship), *header.more_owners)):
        owner, values = _owner(entities, relationship, warnings)
        owners.append(owner)
        for name, v in values.items():
            ledger.add(f"/reporting_owners/{i}/{name}", v, "header")

    issuer_kwargs = _header_values(header.issuer, "/issuer/", ledger)
    top: dict[str, Any] = _header_values(header.dates, "/", ledger)
    top["document_type"] = "4/A" if top.get("date_of_original_submission") else "4"
    ledger.add("/document_type", Value(top["document_type"], E.IN_BOX), "header")
    for name in ("not_subject_to_section16", "aff10b5_one"):
        got = getattr(header, name)
        if got is not None:
            top[name] = got[0]
            ledger.add(f"/{name}", Value(*got), "header")

    drafts = [draft_row(r) for r in rows]
    warnings += [f"{name} {v.raw!r}: {v.note}" for d in drafts for name, v in d.values.items() if v.note]
    fill_implied(drafts, top.get("period_of_report"), warnings)
    repair_chains(drafts, warnings)
    place_unread_marks(drafts, [f.id for f in footer.footnotes], warnings)
    tables: dict[str, list[Any]] = {key: [] for key in _TABLE_KEYS.values()}
    count: dict[str, int] = {}
    alternatives: dict[str, tuple[float, ...]] = {}
    for draft in drafts:
        key, row = _build_row(draft, ledger, count)
        alternatives.update(other_readings(draft.values, f"/{key}/{len(tables[key])}/"))
        tables[key].append(row)

    footnotes, remarks, signatures = _footer_parts(footer, ledger)
    record = Record(
        source=source,
        issuer=Issuer(**issuer_kwargs),
        reporting_owners=tuple(owners),
        footnotes=footnotes,
        remarks=remarks,
        signatures=signatures,
        alternatives=alternatives,
        **top,
        **{k: tuple(v) for k, v in tables.items()},
    )
    record, range_confidence, range_warnings = read_price_ranges(record)
    for pointer, level in range_confidence.items():
        ledger.add(pointer, Value(None, level), "footer")
    warnings += range_warnings
    breaches = validate(record)
    confidence = ledger.confidence
    for breach in breaches:
        warnings.append(breach.message)
        for pointer in breach.pointers:
            if pointer in confidence:
                confidence[pointer] = round(confidence[pointer] * E.BREACHED, 4)
    record = replace_meta(record, confidence, warnings)
    fields = {p: ledger.fields[p] for p in record.confidence if p in ledger.fields}
    return Assembly(record, Provenance(fields, tuple(ledger.repairs), tuple(breaches)))


def replace_meta(record: Record, confidence: dict[str, float], warnings: list[str]) -> Record:
    """Attach confidence (every non-null leaf, nothing else) and warnings."""
    leaves = iter_leaves(record.to_json_dict())
    final = {pointer: round(min(1.0, max(0.0, confidence.get(pointer, E.UNSCORED))), 4) for pointer, _ in leaves}
    return record.model_copy(update={"confidence": final, "warnings": tuple(dict.fromkeys(warnings))})
