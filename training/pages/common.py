"""What every page style shares: the seeded presentation, label wording variants, cells.

A :class:`Presentation` is drawn from a seed: paper size and orientation, margins,
print scale (CSS ``zoom``), fonts and sizes, column-width jitter, how long cells wrap,
how footnote marks look (superscript ``(1)``, inline ``(1)``, bracketed ``[1]``) and
which of the form's label wordings print. Values always print through
:func:`form4.training.pages.printing.printed_form` (a style changes how a value looks,
never its characters); footnote marks are not aligned spans, so their bracket form
is free (:func:`form4.training.pages.printing.format_footnote_mark`).

>>> p = presentation(7)
>>> p == presentation(7), p.paper in PAPERS
(True, True)
>>> label(presentation(1), "officer") in WORDINGS["officer"]
True
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from form4.form.labels import WORDINGS
from form4.schema import Record
from form4.io.xml_reader import CellRef

from .printing import format_footnote_mark, printed_form
from .cells import _Column, _amount_side, _resolve_marks, _table_rows

__all__ = ["Presentation", "presentation", "label", "wording", "bare", "VARIED", "PAPERS", "Page", "page_css", "esc"]

PAPERS = ("letter", "A4", "legal")
SERIF = ("Times New Roman", "Times", "Liberation Serif", "DejaVu Serif", "Georgia")
SANS = ("Arial", "Helvetica", "Liberation Sans", "DejaVu Sans", "Verdana")
MONO = ("Courier New", "Liberation Mono", "DejaVu Sans Mono")
MARK_FORMS = ("sup", "plain", "bracket")

#: The labels whose wording a page draws from its seed (in this order: the seed's draws depend on it).
VARIED = ("name", "issuer", "period", "amendment", "relationship", "director", "officer", "ten", "other", "joint",
          "one", "more", "table1", "table2", "table2_sub", "explanation", "remarks", "signature", "date")


@dataclass(frozen=True)
class Presentation:
    """How one page looks; every field comes from the seed."""

    seed: int
    paper: str
    landscape: bool
    margin_in: float
    scale: float
    label_font: str
    value_font: str
    label_pt: float
    value_pt: float
    wrap: str  # "normal" | "break-word" (long words break only when they cannot fit) | "nowrap" (atoms)
    marks: str  # one of MARK_FORMS
    wording: tuple[tuple[str, int], ...]
    widths: tuple[float, ...] = field(default=())
    immediately: bool = True

    def width(self, i: int, base: float) -> float:
        """Column ``i``'s width: ``base`` percent times this page's jitter."""
        return round(base * (self.widths[i % len(self.widths)] if self.widths else 1.0), 1)


def presentation(seed: int, *, fonts: Sequence[str] = SERIF + SANS) -> Presentation:
    rng = random.Random(seed)
    landscape = rng.random() < 0.7
    return Presentation(
        seed=seed,
        paper=rng.choice(PAPERS[:2]) if rng.random() < 0.95 else "legal",
        landscape=landscape,
        margin_in=round(rng.uniform(0.25, 0.9), 2),
        # Table II has 16 columns: portrait pages print it smaller
        scale=round(rng.uniform(0.8, 1.0) if landscape else rng.uniform(0.6, 0.8), 2),
        label_font=rng.choice(SANS + SERIF),
        value_font=rng.choice(fonts),
        label_pt=round(rng.uniform(6.5, 9.0), 1),
        value_pt=round(rng.uniform(8.0, 11.0), 1),
        wrap=rng.choice(("normal", "normal", "break-word", "nowrap")),
        marks=rng.choice(MARK_FORMS),
        wording=tuple((key, rng.randrange(len(WORDINGS[key]))) for key in VARIED),
        widths=tuple(round(rng.uniform(0.8, 1.25), 2) for _ in range(16)),
        immediately=rng.random() < 0.6,
    )


def label(p: Presentation, key: str) -> str:
    """This page's wording of label ``key`` (:data:`form4.form.labels.WORDINGS`)."""
    return WORDINGS[key][dict(p.wording)[key]]


def wording(key: str, variant: int = 0) -> str:
    """A label's wording, the same on every page (:data:`form4.form.labels.WORDINGS`)."""
    return WORDINGS[key][variant]


_BOX_NUMBER = re.compile(r"^\d{1,2}[A-Za-z]?\.\s+")
_REFERENCE = re.compile(r"\s*\((?:Instr\.[^)]*|Month/Day/Year|MM/DD/YYYY)\)")


def bare(text: str) -> str:
    """A wording as a filer types it for a caption: no box number, no instruction or date-format reference.

    >>> bare("2A. Deemed Execution Date, if any (Month/Day/Year)"), bare("3. Transaction Code (Instr. 8)")
    ('Deemed Execution Date, if any', 'Transaction Code')
    """
    return _REFERENCE.sub("", _BOX_NUMBER.sub("", text)).strip()


def page_css(p: Presentation) -> str:
    """``@page`` size and margins and the print scale, as a ``<style>`` placed in ``<body>``.

    In the body it comes after any ``<style>`` the printer adds to ``<head>``, so it wins.
    """
    size = f"{p.paper} {'landscape' if p.landscape else 'portrait'}"
    wrap = {"normal": "", "break-word": "td { overflow-wrap: break-word; } td.n { overflow-wrap: normal; }",
            "nowrap": "td.n { white-space: nowrap; }"}[p.wrap]
    return (f"<style>@page {{ size: {size}; margin: {p.margin_in}in; }} "
            f"body {{ zoom: {p.scale}; }} {wrap}</style>")


#: table fields printed as one token (numbers, dates, letters): their cells never break inside a word
ATOM_FIELDS = frozenset({
    "conversion_or_exercise_price", "transaction_date", "deemed_execution_date", "transaction_code", "shares",
    "acquired_disposed", "price_per_share", "exercise_date", "expiration_date", "underlying_security_shares",
    "shares_owned_following", "direct_or_indirect",
})


def td_class(fields: Sequence[str], base: str = "") -> str:
    """The cell's class attribute: ``n`` added for atom columns.

    >>> td_class(("shares",), "v"), td_class(("security_title",), "v"), td_class(("nature_of_ownership",))
    (' class="v n"', ' class="v"', '')
    """
    names = " ".join(x for x in (base, "n" if fields and all(f in ATOM_FIELDS for f in fields) else "") if x)
    return f' class="{names}"' if names else ""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- one page's values
@dataclass(frozen=True)
class Page:
    """A record with its marks resolved, printed through ``printed_form``."""

    record: Record
    p: Presentation
    marks: Mapping[CellRef, tuple[tuple[str, str], ...]]
    notes: Mapping[str, str]

    @classmethod
    def of(cls, record: Record, p: Presentation, cell_footnotes: Mapping[CellRef, Sequence[str]] | None) -> "Page":
        notes = {f.id: f.text or "" for f in record.footnotes}
        return cls(record, p, _resolve_marks(record, cell_footnotes), notes)

    def text(self, pointer: str, value: Any) -> str:
        """The escaped printed form of a leaf (``''`` when the page prints nothing)."""
        printed = printed_form(pointer, value)
        return esc(printed) if printed is not None else ""

    def mark_html(self, marks: Sequence[tuple[str, str]]) -> str:
        if not marks:
            return ""
        form = "bracket" if self.p.marks == "bracket" else "paren"
        text = "".join(esc(format_footnote_mark(ref, form)) for ref, _ in marks)
        return f"<sup>{text}</sup>" if self.p.marks == "sup" else f" <small>{text}</small>"

    def rows(self, tables: Sequence[str]) -> list[tuple[str, int, Any]]:
        return [(table, i, row) for table, rows in _table_rows(self.record) if table in tables
                for i, row in enumerate(rows)]

    def cell(self, table: str, i: int, row: Any, col: _Column) -> str:
        """One table cell's content: the value(s) and the marks of its fields."""
        if col.kind == "blank":
            return ""
        if col.kind.startswith("amount_") and col.kind != f"amount_{_amount_side(row)}":
            return ""
        name = col.fields[0]
        value = self.field(table, i, row, name)
        if col.kind == "code":
            value += self.field(table, i, row, "equity_swap_involved")
        if name == "exercise_date" and not value and self.immediately(table, i, row):
            value = "Immediately"
        marks = [m for f in col.fields for m in self.marks.get(CellRef(table, i, f), ())]
        return value + self.mark_html(marks)

    def field(self, table: str, i: int, row: Any, name: str) -> str:
        if name not in type(row).model_fields:
            return ""
        return self.text(f"/{table}/{i}/{name}", getattr(row, name))

    def immediately(self, table: str, i: int, row: Any) -> bool:
        """A derivative row whose exercise-date footnote says it is exercisable at once
        prints "Immediately" there (as many filers do), on pages that choose to."""
        if not self.p.immediately or getattr(row, "exercise_date", 1) is not None:
            return False
        refs = self.marks.get(CellRef(table, i, "exercise_date"), ())
        return any("immediately exercisable" in self.notes.get(ref, "").lower() for ref, _ in refs)
