"""A page's cells: the columns of Table I and Table II as EDGAR prints them, where each row's
footnote marks go, and a value printed in its cell with EDGAR's classes.

Every page style lays its tables out from these columns (a style may print several in one
cell); :func:`_resolve_marks` puts each footnote mark after the value it belongs to.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from form4.io.xml_reader import CellRef
from form4.schema import Record

from .printing import printed_form

#: One footnote mark to print: the footnote id and the pointer of its leaf.
_Mark = tuple[str, str]


def _resolve_marks(record: Record, cell_footnotes: Mapping[CellRef, Sequence[str]] | None,
                   ) -> dict[CellRef, tuple[_Mark, ...]]:
    """Place each row's footnote ids on cells; unplaced ids go to the title cell."""
    marks: dict[CellRef, tuple[_Mark, ...]] = {}
    given = cell_footnotes or {}
    for table, rows in _table_rows(record):
        for i, row in enumerate(rows):
            pointers = {ref: f"/{table}/{i}/footnote_ids/{k}"
                        for k, ref in enumerate(row.footnote_ids)}
            placed: set[str] = set()
            for cell, ids in sorted(given.items()):
                if cell.table != table or cell.row != i:
                    continue
                known = tuple((ref, pointers[ref]) for ref in ids if ref in pointers)
                if known:
                    marks[cell] = known
                    placed.update(ref for ref, _ in known)
            rest = tuple((ref, ptr) for ref, ptr in pointers.items() if ref not in placed)
            if rest:
                title = CellRef(table, i, "security_title")
                marks[title] = rest + marks.get(title, ())
    return marks


def _table_rows(record: Record) -> list[tuple[str, Sequence[Any]]]:
    return [
        ("non_derivative_transactions", record.non_derivative_transactions),
        ("non_derivative_holdings", record.non_derivative_holdings),
        ("derivative_transactions", record.derivative_transactions),
        ("derivative_holdings", record.derivative_holdings),
    ]


@dataclass(frozen=True)
class _Column:
    """One body cell of a table: what it prints and where footnote marks land.

    ``kind``: ``value`` prints ``fields[0]``; ``code`` prints the transaction code
    and the equity-swap mark; ``amount_A``/``amount_D`` print a derivative amount
    by its (A)/(D) code; ``blank`` prints nothing. Marks of every field in
    ``fields`` print in this cell.
    """

    kind: str
    fields: tuple[str, ...] = ()
    css: str = "FormData"
    align: str = "center"


def _col(*fields: str, css: str = "FormData", align: str = "center") -> _Column:
    return _Column("value", fields, css, align)


_TABLE1 = (
    _col("security_title", align="left"),
    _col("transaction_date"),
    _col("deemed_execution_date"),
    _Column("code", ("transaction_code", "equity_swap_involved"), "SmallFormData"),
    _Column("blank"),
    _col("shares"),
    _col("acquired_disposed"),
    _col("price_per_share"),
    _col("shares_owned_following"),
    _col("direct_or_indirect"),
    _col("nature_of_ownership", align="left"),
)

_SMALL = "SmallFormData"
_TABLE2 = (
    _col("security_title", css=_SMALL, align="left"),
    _col("conversion_or_exercise_price", css=_SMALL),
    _col("transaction_date", css=_SMALL),
    _col("deemed_execution_date", css=_SMALL),
    _Column("code", ("transaction_code", "equity_swap_involved"), _SMALL),
    _Column("blank"),
    _Column("amount_A", ("shares", "acquired_disposed"), _SMALL),
    _Column("amount_D", ("shares", "acquired_disposed"), _SMALL),
    _col("exercise_date", css=_SMALL),
    _col("expiration_date", css=_SMALL),
    _col("underlying_security_title", css=_SMALL),
    _col("underlying_security_shares"),
    _col("price_per_share", css=_SMALL),
    _col("shares_owned_following", css=_SMALL),
    _col("direct_or_indirect", css=_SMALL),
    _col("nature_of_ownership", css=_SMALL, align="left"),
)


def _amount_side(row: Any) -> str:
    return "D" if getattr(row, "acquired_disposed", None) == "D" else "A"


# --------------------------------------------------------------------------- a value in its cell
@dataclass(frozen=True)
class _Ctx:
    """What every part of the page needs: the record, the marks per cell, the mode."""

    record: Record
    marks: Mapping[CellRef, tuple[_Mark, ...]]
    annotate: bool


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _attr(ctx: _Ctx, pointer: str) -> str:
    return f' data-ptr="{_esc(pointer)}"' if ctx.annotate else ""


def _value(ctx: _Ctx, pointer: str, value: Any, css: str | None = "FormData") -> str:
    """The printed form of one leaf in a span (``css=None``: no class, the
    browser's default font, as EDGAR prints names and titles); ``''`` when it
    prints nothing."""
    text = printed_form(pointer, value)
    if text is None:
        return ""
    cls = f' class="{css}"' if css else ""
    if text.startswith("$"):  # EDGAR prints the dollar sign in the label font
        label = "SmallFormText" if css == "SmallFormData" else "FormText"
        money = f'<span class="{label}">$</span><span{cls}>{_esc(text[1:])}</span>'
        return f"<span{_attr(ctx, pointer)}>{money}</span>"
    return f"<span{cls}{_attr(ctx, pointer)}>{_esc(text)}</span>"


def _marks_html(ctx: _Ctx, marks: Sequence[_Mark]) -> str:
    if not marks:
        return ""
    sups = "".join(f"<sup{_attr(ctx, ptr)}>{_esc(printed_form(ptr, ref) or '')}</sup>"
                   for ref, ptr in marks)
    return f'<span class="FootnoteData">{sups}</span>'
