"""Where each value of a record came from, as data: the calibrator's and the review page's input.

The assembler returns, next to the record, an :class:`Assembly`: per leaf its
:class:`FieldEvidence` (who read it, at which evidence level, where in the text, the model's
probability, how many other readings there were), the :class:`Repair` s it made by the form's
rules, and the :class:`~form4.assemble.validate.Breach` es of the form's rules the record still
shows. The warnings' text says the same for a person; nothing reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..schema import Record
from .validate import Breach

#: How a value came to be what it is when it is not simply read as printed.
REPAIR_KINDS = (
    "rebuilt",  # a holding computed from the neighbouring row's holdings arithmetic
    "arithmetic",  # another reading of a damaged number, the one the holdings arithmetic holds with
    "implied",  # implied by the form: the A/D side of a code, box 3's date for a lost first date, Officer from a title
    "confusion",  # a letter read through an OCR look-alike ("1" read as I)
    "placed",  # a footnote mark placed on a row by its number's order, not read
    "refused",  # a printed value refused (a minus, too many digits, no amount): the field is left empty
    "recovered",  # taken from another copy of the value on the page, or a city corrected from its ZIP code
)

#: Who produced a leaf's value.
SOURCES = ("rule", "model", "model+rule", "derived")


@dataclass(frozen=True)
class Repair:
    """A value the assembler changed or supplied by a rule of the form, by the leaves it touched.

    ``pointers`` name leaves of the record (for ``refused``: the field left empty).
    """

    kind: str
    pointers: tuple[str, ...]
    message: str | None = None


@dataclass(frozen=True)
class FieldEvidence:
    """What the readers knew about one leaf.

    ``level`` is the evidence level the reader gave it (:mod:`form4.form.evidence`) before the
    form's checks lowered it; ``spans`` are character offsets into the text the value was read
    from (empty for values no reader saw printed: implied, rebuilt, a checkbox's state).
    """

    source: str = "rule"
    reader: str = "header"  # header | rows | footer
    level: float = 0.5
    model_prob: float | None = None
    alternatives: int = 0
    disagreed: bool = False  # the model and the rules read it differently
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Provenance:
    """Everything the calibrator knows about a record besides the record itself.

    ``page`` holds the page's familiarity signals (:mod:`form4.run.familiarity`), by name.
    """

    fields: Mapping[str, FieldEvidence] = field(default_factory=dict)
    repairs: tuple[Repair, ...] = ()
    breaches: tuple[Breach, ...] = ()
    page: Mapping[str, float] = field(default_factory=dict)

    def repaired(self) -> dict[str, str]:
        """Leaf pointer -> how it was repaired (the first repair naming it).

        >>> Provenance(repairs=(Repair("placed", ("/x/0/footnote_ids/0",)),)).repaired()
        {'/x/0/footnote_ids/0': 'placed'}
        """
        out: dict[str, str] = {}
        for repair in self.repairs:
            for pointer in repair.pointers:
                out.setdefault(pointer, repair.kind)
        return out

    def spans(self) -> dict[str, list[tuple[int, int]]]:
        """Leaf pointer -> the fragments of text its value was read from (leaves with any)."""
        return {p: list(f.spans) for p, f in self.fields.items() if f.spans}


@dataclass(frozen=True)
class Assembly:
    """The assembler's result: the record and its provenance."""

    record: Record
    provenance: Provenance
