"""Which regions the rules read surely, and which the model must read.

The model costs ~20x the rules' time. Where the rules found every field a region
must have, each with good evidence, the merge would keep the rules' readings
anyway (``RULE_SURE``, used by ``combine``), so the model is run only on the other regions.
``Extractor(cascade=False)`` runs it everywhere.
"""

from __future__ import annotations

import re

from ..form import fields as F
from ..form.evidence import RULE_SURE
from .ner import named_regions
from ..entities import Footer, HeaderEntities, RowEntities
from ..read.sections import Sections
from ..form.normalize import DATE_SHAPE

HEADER_NEEDS = frozenset({F.OWNER_NAME, F.ISSUER_NAME, F.TICKER, F.PERIOD_DATE})
_VALUES = re.compile(DATE_SHAPE + r"|\d,\d{3}|\$\s?\d")


def _sure(entities) -> bool:
    return all(e.score >= RULE_SURE for e in entities)


def row_sure(row: RowEntities) -> bool:
    """The rules read every column this kind of row must have, each with good evidence."""
    labels = {e.label for e in row.entities}
    return F.needed(row.table, transaction=F.TXN_DATE in labels) <= labels and _sure(row.entities)


def _table_sure(rows: list[RowEntities], region: str) -> bool:
    if not rows:
        return not _VALUES.search(region)  # an empty table prints no dates or amounts
    return all(row_sure(row) for row in rows)


def unsure_spans(
    sections: Sections, header: HeaderEntities, rows: list[RowEntities], footer: Footer, streams: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """The spans of text the model should read: unsure regions; in a table the rules did read,
    only the lines around its unsure rows (the merge keeps sure rows as the rules read them,
    and a row only the model sees is dropped where the rules read that table). A table in
    ``streams`` (printed one cell per paragraph: ``tables.layout_of``) is read whole."""
    text = sections.text
    unsure = unsure_regions(sections, header, rows, footer)
    spans: list[tuple[int, int]] = []
    for name, start, end in named_regions(sections):
        if name not in unsure:
            continue
        table = {"table1": "I", "table2": "II"}.get(name)
        ruled = [r for r in rows if r.table == table] if table else []
        if not ruled or table in streams:
            spans.append((start, end))
            continue
        for row in ruled:
            if not row_sure(row):
                spans.append((max(start, _line_start(text, row.start, 2)), min(end, _line_end(text, row.end, 2))))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _line_start(text: str, offset: int, back: int) -> int:
    for _ in range(back + 1):
        offset = text.rfind("\n", 0, max(0, offset - 1)) + 1 if offset > 0 else 0
    return offset


def _line_end(text: str, offset: int, ahead: int) -> int:
    for _ in range(ahead + 1):
        nxt = text.find("\n", offset + 1)
        offset = len(text) if nxt < 0 else nxt
    return offset


def unsure_regions(sections: Sections, header: HeaderEntities, rows: list[RowEntities], footer: Footer) -> frozenset[str]:
    """Names of the regions (``model.REGION_NAMES``) the model should read."""
    text = sections.text
    out = set()
    for name, start, end in named_regions(sections):
        if name == "header":
            found = {e.label for e in (*header.owner, *header.issuer, *header.dates)}
            sure = HEADER_NEEDS <= found and _sure((*header.owner, *header.issuer, *header.dates))
        elif name in ("table1", "table2"):
            table = "I" if name == "table1" else "II"
            sure = _table_sure([r for r in rows if r.table == table], text[start:end])
        elif name == "more_owners":
            sure = bool(header.more_owners) and all(any(e.label == F.OWNER_NAME for e in ents) for ents, _ in header.more_owners)
        else:
            sure = bool(footer.signatures) and all({F.SIGNER_NAME, F.SIGNATURE_DATE} <= {e.label for e in sig} for sig in footer.signatures)
        if not sure:
            out.add(name)
    return frozenset(out)
