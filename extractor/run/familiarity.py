"""How familiar a page looks to the readers: signals the calibrator reads next to each field's evidence.

A page unlike those the rules and the model were fitted on shows it in how it was read: which
layout the table readers took its tables for, how many of the form's printed anchors were
found, how many rows the rules could not read surely (and the model had to), how unsure the model
was where it read. (How many of its words are new, and how often the holdings arithmetic fails,
are measured by the calibrator itself: :mod:`form4.calibrate.features`.)
"""

from __future__ import annotations

import math
import re
from typing import Sequence

from ..entities import Entity, Footer, HeaderEntities, RowEntities, TableReading
from ..model.sureness import row_sure, unsure_regions
from ..read.sections import Sections
from ..read.tables import LAYOUTS

#: The form's printed anchors counted as found or not: header boxes 1-6, Table II, the explanation.
_ANCHORS = ("box1", "box2", "box3", "box4", "box5", "box6")
#: Below this a model span counts as unsure.
UNSURE_SPAN = 0.9

PAGE_SIGNALS: tuple[str, ...] = (
    "anchors_found",
    *(f"table_{t}_{layout}" for t in ("I", "II") for layout in LAYOUTS),
    "rows_read",
    "rows_unsure_share",
    "regions_unsure",
    "model_read",
    "model_read_share",
    "model_spans",
    "model_unsure_share",
    "model_prob_min",
    "box5_unclaimed_marks",
)

#: A check mark standing alone (not a letter of a word), as box 5 prints one beside a relationship.
_MARK = re.compile(r"<input[^>]*checked[^>]*>|\[\s*[Xx✓✔]\s*\]|(?<![A-Za-z0-9])[Xx✓✔☒](?![A-Za-z0-9])")


def page_signals(
    sections: Sections,
    tables: Sequence[TableReading],
    header: HeaderEntities,
    footer: Footer,
    model_spans: Sequence[tuple[int, int]] | None,
    entities: Sequence[Entity] | None,
) -> dict[str, float]:
    """The page's familiarity signals by name (:data:`PAGE_SIGNALS`); model signals NaN when the
    model did not run (``entities`` None), ``model_spans`` None when it read every region."""
    rows: list[RowEntities] = [row for table in tables for row in table.rows]
    found = sum(name in sections.box_anchors for name in _ANCHORS) + bool(sections.table2) + bool(sections.explanation)
    out = {
        "anchors_found": found / (len(_ANCHORS) + 2),
        **{f"table_{t.table}_{layout}": float(t.layout == layout) for t in tables for layout in LAYOUTS},
        "rows_read": float(len(rows)),
        "rows_unsure_share": sum(not row_sure(r) for r in rows) / len(rows) if rows else math.nan,
        "regions_unsure": float(len(unsure_regions(sections, header, rows, footer))),
        "box5_unclaimed_marks": float(unclaimed_marks(sections, header)),
    }
    out.update(_model_signals(sections, model_spans, entities))
    return out


def _model_signals(sections: Sections, spans: Sequence[tuple[int, int]] | None, entities: Sequence[Entity] | None) -> dict[str, float]:
    if entities is None:
        return {"model_read": 0.0, "model_read_share": math.nan, "model_spans": math.nan, "model_unsure_share": math.nan, "model_prob_min": math.nan}
    regions = [(s.start, s.end) for s in (sections.header, sections.table1, sections.table2, sections.more_owners, sections.signature)]
    total = max(1, sum(e - s for s, e in regions))
    read = total if spans is None else sum(e - s for s, e in spans)
    probs = [e.prob for e in entities if e.prob is not None]
    return {
        "model_read": 1.0,
        "model_read_share": min(1.0, read / total),
        "model_spans": float(len(entities)),
        "model_unsure_share": sum(p < UNSURE_SPAN for p in probs) / len(probs) if probs else math.nan,
        "model_prob_min": min(probs) if probs else math.nan,
    }


def unclaimed_marks(sections: Sections, header: HeaderEntities) -> int:
    """Check marks printed in box 5 of the first owner beyond the boxes read as checked: a mark
    the reader did not give to a box (on the line below its label, say) doubts every unchecked box.

    >>> from form4.read.sections import find_sections
    >>> from form4.read.header import read_header
    >>> s = find_sections(open(__file__.replace("extractor/run/familiarity.py", "samples/000_46eb1dd4f8015172.txt")).read())
    >>> unclaimed_marks(s, read_header(s))
    0
    """
    start = sections.box_anchors.get("box5")
    if start is None:
        return 0
    after = [at for at in sections.box_anchors.values() if at > start] + [sections.header.end]
    marks = len(_MARK.findall(sections.text, start, min(after)))
    checked = sum(bool(checked) for checked, _ in header.relationship.values())
    return max(0, marks - checked)

