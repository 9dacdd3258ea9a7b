"""A whole synthetic filing: its rows, footnotes numbered by first mark, owners, signatures."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from form4.schema import (DerivativeHolding, DerivativeTransaction, Footnote, NonDerivativeHolding,
                          NonDerivativeTransaction, Record, Signature)
from form4.io.xml_reader import CellFootnotes, CellRef

from .draw import Draw, Notes, draw_amount, draw_issuer, draw_owners, fund_name, is_entity, person_name
from .measure import Stats
from .tables import Row, derivative_rows, non_derivative_rows
from .vocab import ENTITY_SIGNATURES, REMARKS

__all__ = ["SyntheticFiling", "synthesise"]


class SyntheticFiling(NamedTuple):
    """One synthetic filing: the record and where its footnote marks print."""

    record: Record
    cell_footnotes: CellFootnotes


_MODELS = {"non_derivative_transactions": NonDerivativeTransaction, "non_derivative_holdings": NonDerivativeHolding,
           "derivative_transactions": DerivativeTransaction, "derivative_holdings": DerivativeHolding}
_COLUMN_ORDER = {name: i for i, name in enumerate(dict.fromkeys(
    list(NonDerivativeTransaction.model_fields) + list(DerivativeTransaction.model_fields)))}


def _number_notes(rows: list[Row], notes: Notes) -> dict[int, str]:
    """Footnote ids ``F1``… by first mark in page order; unmarked notes after them."""
    order: dict[int, str] = {}
    for row in rows:
        for name in sorted(row.marks, key=_COLUMN_ORDER.get):
            for note in row.marks[name]:
                order.setdefault(note, f"F{len(order) + 1}")
    for note in range(len(notes.texts)):
        order.setdefault(note, f"F{len(order) + 1}")
    return order


def _mark_see_footnote(d: Draw, notes: Notes, rows: list[Row]) -> None:
    """A nature that says "See footnote" gets its footnote mark (one note for all such rows)."""
    note = None
    for row in rows:
        if "footnote" in (row.values.get("nature_of_ownership") or "").lower() and "nature_of_ownership" not in row.marks:
            if note is None:
                note = notes.new(f"The securities are held directly by {fund_name(d)}; the reporting person may be "
                                 "deemed to share beneficial ownership of them.")
            row.marks["nature_of_ownership"] = [note]


def _one(d: Draw) -> SyntheticFiling:
    # 2004-2024, recent years likelier (as in the real filings: a fifth carry the 2023 form's 10b5-1 box)
    start = d.date(dt.date(2020, 1, 1), 1800) if d.chance(0.4) else d.date(dt.date(2004, 1, 1), 7600)
    notes = Notes(d)
    consistent = not d.chance(0.1)
    rows = non_derivative_rows(d, notes, start, consistent) + derivative_rows(d, notes, start, consistent)
    if not rows:  # a Form 4 reports something
        rows = non_derivative_rows(d, notes, start, consistent) or [Row("non_derivative_holdings", {
            "security_title": "Common Stock", "shares_owned_following": float(draw_amount(d)), "direct_or_indirect": "D"}, {})]
    _mark_see_footnote(d, notes, rows)
    target = d.count(d.stats.footnote_counts, 0, 40)
    while len(notes.texts) < min(40, target):
        notes.new()
    ids = _number_notes(rows, notes)
    tables: dict[str, list[Any]] = {k: [] for k in _MODELS}
    cells: CellFootnotes = {}
    for row in rows:
        index = len(tables[row.table])
        marked = [(name, tuple(dict.fromkeys(ids[n] for n in row.marks[name]))) for name in sorted(row.marks, key=_COLUMN_ORDER.get)]
        for name, refs in marked:
            cells[CellRef(row.table, index, name)] = refs
        footnote_ids = tuple(dict.fromkeys(ref for _, refs in marked for ref in refs))
        tables[row.table].append(_MODELS[row.table](**row.values, footnote_ids=footnote_ids))
    dates = [r.transaction_date for key in ("non_derivative_transactions", "derivative_transactions") for r in tables[key]]
    period = min(dates) if dates else start
    amendment = d.chance(0.12)
    owners = draw_owners(d)
    signed = d.date(max(dates, default=period), 4)
    # joint filers mostly each sign; now and then only some of them, or the first for all
    signers = owners if d.chance(0.6) else owners[: 1 + d.rng.randrange(len(owners))]
    record = Record(
        document_type="4/A" if amendment else "4",
        period_of_report=period,
        date_of_original_submission=d.date(period, 5) if amendment else None,
        not_subject_to_section16=d.chance(0.05),
        # the Rule 10b5-1 box came with the April 2023 form; later filings still made on the old schema lack it
        aff10b5_one=None if period < dt.date(2023, 4, 1) or d.chance(0.1) else d.chance(0.3),
        issuer=draw_issuer(d),
        reporting_owners=owners,
        **{k: tuple(v) for k, v in tables.items()},
        footnotes=tuple(Footnote(id=ids[i], text=text) for i, text in sorted(enumerate(notes.texts), key=lambda p: int(ids[p[0]][1:]))),
        remarks=d.pick(REMARKS) if d.chance(0.25) else None,
        signatures=tuple(Signature(name=signature_line(d, o.name or ""), date=signed) for o in signers),
    )
    return SyntheticFiling(record, cells)


def signature_line(d: Draw, owner: str) -> str:
    """How ``owner`` signs: ``/s/`` and the name, an attorney-in-fact, or for a fund, company or
    trust the entity's block (``Example Ventures Fund II L.P., By: /s/ Name, Title``)."""
    if is_entity(owner) and d.chance(0.6):
        return d.pick(ENTITY_SIGNATURES).format(entity=owner, person=person_name(d), gp=fund_name(d))
    if d.chance(0.5):
        return f"/s/ {owner}"
    return d.pick((f"/s/ {person_name(d)}, Attorney-in-Fact", f"/s/ {person_name(d)}, as attorney-in-fact for {owner}",
                   f"{person_name(d)}, by power of attorney", f"By: /s/ {person_name(d)}, Managing Member"))


def synthesise(n: int, seed: int = 0, *, stats: Stats | None = None, widen: float = 0.4) -> list[SyntheticFiling]:
    """``n`` synthetic filings; the same ``seed`` gives the same filings.

    Each filing has its own random stream (``seed`` and its index), so the first
    ``k`` of ``synthesise(n, s)`` are ``synthesise(k, s)``. ``widen`` is the share
    of choices drawn from the form's whole vocabulary rather than the measured one.
    """
    stats = stats or Stats.load()
    return [_one(Draw(seed * 1_000_003 + i, stats, widen)) for i in range(n)]


