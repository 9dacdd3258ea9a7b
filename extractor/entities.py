"""The types that pass between stages: sections -> entities -> assembler.

Readers (header, tables, footer, model) produce these; the merge and the assembler
consume them. Nothing here reads text: a reader module imports this, never the other way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TableName = Literal["I", "II"]
#: A relationship box read from box 5: (checked, evidence). ``None``: unreadable.
Checkbox = tuple["bool | None", float]


@dataclass(frozen=True)
class Entity:
    """A labelled span ``text[start:end]``.

    ``score`` is the evidence strength in [0, 1] (a named level of :mod:`form4.form.evidence`
    for rules, the model's score for the model); ``source`` says who found it ("rule",
    "model", "model+rule", "derived"). A value rebuilt from fragments or arithmetic carries
    the repaired text in ``value_text`` while ``start``/``end`` still point at what was printed.
    ``prob`` is the model's probability of the span (its beam's share of parses holding it),
    when the model read it with a beam; ``None`` otherwise.
    """

    label: str
    start: int
    end: int
    text: str
    score: float = 1.0
    source: str = "rule"
    value_text: str | None = None
    notes: tuple[str, ...] = field(default=())
    prob: float | None = None

    @property
    def value_source(self) -> str:
        return self.value_text if self.value_text is not None else self.text


@dataclass(frozen=True)
class Candidate:
    """One reading of a value that may have been split over several atoms."""

    text: str
    plausibility: float
    how: str


@dataclass(frozen=True)
class RowEntities:
    """One table row's entities, with the row's footnote marks and alternative readings."""

    table: TableName
    start: int
    end: int
    entities: tuple[Entity, ...]
    footnote_ids: tuple[str, ...]
    alternatives: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    dealt: bool = False  # cells of a one-cell-per-paragraph table dealt to this row (tables.cell_stream), not a line

    def get(self, label: str) -> Entity | None:
        for e in self.entities:
            if e.label == label:
                return e
        return None


@dataclass(frozen=True)
class HeaderEntities:
    owner: tuple[Entity, ...]
    issuer: tuple[Entity, ...]
    dates: tuple[Entity, ...]
    relationship: dict[str, Checkbox]  # field -> (checked, evidence score)
    more_owners: tuple[tuple[tuple[Entity, ...], dict[str, Checkbox]], ...]
    not_subject_to_section16: tuple[bool, float] | None
    aff10b5_one: tuple[bool, float] | None


@dataclass(frozen=True)
class FootnoteText:
    id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Footer:
    footnotes: tuple[FootnoteText, ...]
    remarks: Entity | None
    signatures: tuple[tuple[Entity, ...], ...]


@dataclass(frozen=True)
class TableReading:
    """The rows of one table and its layout, which decided the reader (``read.tables.LAYOUTS``)."""

    table: TableName
    layout: str
    rows: tuple[RowEntities, ...]
