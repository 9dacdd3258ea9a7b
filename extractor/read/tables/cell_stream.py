"""Rows of a table a converter printed one cell per paragraph, in its own reading order.

pdfminer (and other layout-analysis converters) cut a table into text boxes and
print each box as a paragraph: sometimes row by row (title, date, code, amount
...), sometimes column by column (three titles, three dates, three codes ...),
often both in one table, and may print the title column after its values. Lines
no longer hold rows, so the model's labelled cells are dealt to rows instead: a
cell goes to the earliest row that still lacks its column and has no cell of a
later column yet (a title: the earliest row without a title), and a cell no row
can take opens a row. That reads row-major and column-major runs alike.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from ...form import fields as F
from ...form import evidence as E
from ...form.codes import TRANSACTION_CODES
from ...entities import Entity
from ..layout import BLANK_LINE, TextIndex
from ...form.normalize import DATE_SHAPE

_RANK = {table: F.ranks(table) for table in F.TABLE_COLUMNS}  # printed column order (fields.TABLE_COLUMNS)
# labels the model may confuse where one table has no such column: Table I prints no underlying
_ALIASES = {"I": {F.UNDERLYING_TITLE: F.SECURITY_TITLE}, "II": {}}
_LONE_MARK = re.compile(r"(?:^|\n)[ \t]*(\(\d{1,2}\)(?:[ \t]*\(\d{1,2}\))*)[ \t]*(?=\n|$)")
_TABLE_TITLE = re.compile(r"^[ \t]*Table\s+I", re.M)  # a page's repeated table header starts a new run of boxes


@dataclass
class _Cell:
    label: str
    parts: list[Entity]


@dataclass
class _StreamRow:
    cells: dict[str, _Cell] = field(default_factory=dict)

    def takes(self, label: str, rank: dict[str, int]) -> bool:
        return label not in self.cells and all(rank.get(other, 0) <= rank[label] for other in self.cells)


class Paragraphs:
    """Paragraph numbers of offsets in ``text[start:end]`` (paragraphs end at blank lines)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.breaks = [m.start() for m in BLANK_LINE.finditer(text, start, end)]
        self.start, self.end = start, end

    def of(self, offset: int) -> int:
        return bisect.bisect_right(self.breaks, offset)

    def bounds(self, index: int) -> tuple[int, int]:
        s = self.breaks[index - 1] if index > 0 else self.start
        e = self.breaks[index] if index < len(self.breaks) else self.end
        return s, e


def is_cell_stream(anchors: list[Entity], paragraphs: Paragraphs) -> bool:
    """Most amounts, dates and codes sit alone in their paragraph: one cell per paragraph.

    A layout converter prints a row's cells on one line (a paragraph holds many).
    """
    if len(anchors) < 4:
        return False
    per_paragraph: dict[int, int] = {}
    for e in anchors:
        p = paragraphs.of(e.start)
        per_paragraph[p] = per_paragraph.get(p, 0) + 1
    return len(anchors) <= 1.25 * len(per_paragraph)


_COLUMN_LABEL = re.compile(r"Instr|Month|Table\s|Transaction|Securities|Amount|Price|Ownership|Expiration|Exercisable", re.I)
_VALUE = re.compile(DATE_SHAPE + r"|\$\s?\d[\d,]*(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|(?<![\d.])\d{2,}(?![\d.)])")


def looks_like_cell_stream(text: str, start: int, end: int) -> bool:
    """Before any labels: the table's values stand one per line, in paragraphs of their own."""
    lines = [ln for ln in text[start:end].split("\n") if _VALUE.search(ln) and not _COLUMN_LABEL.search(ln)]
    single = sum(len(_VALUE.findall(re.sub(r"\(\d{1,2}\)", "", ln))) == 1 for ln in lines)
    blank = len(BLANK_LINE.findall(text, start, end))
    return len(lines) >= 4 and single >= 0.9 * len(lines) and blank >= len(lines) / 2


def stream_rows(
    table: str, text: str, start: int, end: int, entities: list[Entity], index: TextIndex | None = None
) -> list[tuple[dict[str, list[Entity]], tuple[str, ...]]]:
    """Deal the labelled cells of one table to rows: (label -> its parts, footnote ids) per row."""
    rank = _RANK[table]
    paragraphs = Paragraphs(text, start, end)
    cuts = [m.start() for m in _TABLE_TITLE.finditer(text, start, end)]
    out: list[_StreamRow] = []
    titles = {" ".join(e.text.split()) for e in entities if _ALIASES[table].get(e.label, e.label) == F.SECURITY_TITLE}
    for seg_start, seg_end in zip([start] + cuts, cuts + [end]):
        labelled = [replace(e, label=_ALIASES[table].get(e.label, e.label)) for e in entities if seg_start <= e.start < seg_end]
        labelled += _unlabelled_titles(text, seg_start, seg_end, labelled, titles, paragraphs)
        cells = _mend(_cells([e for e in labelled if e.label in rank] + _lone_marks(table, text, seg_start, seg_end, labelled, paragraphs), paragraphs))
        natures = [c for c in cells if c.label == F.NATURE]
        indirect = sum(c.label == F.OWNERSHIP_FORM and _letter(c) == "I" for c in cells)
        if natures and len(natures) > indirect and out and F.NATURE in out[-1].cells:
            # one nature more than indirect rows: the first goes on from the page before
            out[-1].cells[F.NATURE].parts.extend(natures[0].parts)
            cells.remove(natures[0])
            natures = natures[1:]
        rows: list[_StreamRow] = []
        for cell in cells:
            if cell.label == F.SECURITY_TITLE:  # titles open rows, or name rows the values opened (titles printed last)
                target = next((r for r in rows if F.SECURITY_TITLE not in r.cells), None)
            else:
                target = next((r for r in rows if r.takes(cell.label, rank)), None)
            if target is None:
                rows.append(_StreamRow({cell.label: cell}))
            else:
                target.cells[cell.label] = cell
        # natures belong to the indirect rows: deal them again when the counts agree
        indirect_rows = [r for r in rows if F.OWNERSHIP_FORM in r.cells and _letter(r.cells[F.OWNERSHIP_FORM]) == "I"]
        if natures and len(natures) == len(indirect_rows):
            for r in rows:
                r.cells.pop(F.NATURE, None)
            for r, cell in zip(indirect_rows, natures):
                r.cells[F.NATURE] = cell
        out.extend(rows)
    return [({label: c.parts for label, c in row.cells.items()}, _footnotes(index or TextIndex(text), row, paragraphs, rank)) for row in out]


def _unlabelled_titles(text: str, start: int, end: int, labelled: list[Entity], titles: set[str], paragraphs: Paragraphs) -> list[Entity]:
    """Paragraphs that repeat, word for word, a title the model labelled elsewhere in the table
    (in a column-major run of identical titles the model labels some, not all)."""
    if not titles:
        return []
    taken = {paragraphs.of(e.start) for e in labelled}
    out = []
    for index in range(paragraphs.of(start), paragraphs.of(max(start, end - 1)) + 1):
        s, e = paragraphs.bounds(index)
        if index in taken or not (s < end and e > start):
            continue
        raw = text[s:e]
        words = " ".join(raw.split())
        if words in titles:
            lead = len(raw) - len(raw.lstrip())
            out.append(Entity(F.SECURITY_TITLE, s + lead, s + lead + len(raw.strip()), raw.strip(), E.IMPLIED, "model+rule"))
    return out


def _lone_marks(table: str, text: str, start: int, end: int, labelled: list[Entity], paragraphs: Paragraphs) -> list[Entity]:
    """Paragraphs that are only a footnote mark: a value given only as a footnote. In Table I that
    is the price; in Table II only a mark right after a title is read (the conversion price)."""
    titled = {paragraphs.of(e.start) for e in labelled if e.label == F.SECURITY_TITLE}
    out = []
    for m in _LONE_MARK.finditer(text, start, end):
        index = paragraphs.of(m.start(1))
        s, e = paragraphs.bounds(index)
        if text[s:e].strip() != m.group(1):
            continue
        if table == "I":
            out.append(Entity(F.PRICE, m.start(1), m.end(1), m.group(1), E.IMPLIED, notes=("value given only as a footnote",)))
        elif index - 1 in titled:
            out.append(Entity(F.CONV_PRICE, m.start(1), m.end(1), m.group(1), E.IMPLIED, notes=("value given only as a footnote",)))
    return out


_PLAIN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _mend(cells: list[_Cell]) -> list[_Cell]:
    """Labels the model gives cells out of their context, mended by what the form allows.

    A letter labelled A/D or D/I that cannot be one ("S") is a code; in a column-by-column run,
    the amounts right after a run of as many codes are the transaction amounts (the model,
    seeing only amounts around an amount, takes them for holdings).
    """
    for c in cells:
        letter = _letter(c) if len(c.parts[0].text.strip().split("(")[0]) == 1 else ""
        if letter and letter in TRANSACTION_CODES and ((c.label in (F.ACQ_DISP, F.OWNERSHIP_FORM) and letter not in F.letters(c.label))):
            c.label = F.TXN_CODE
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and cells[j].label == F.TXN_CODE:
            j += 1
        codes = j - i
        k = j
        while k < len(cells) and k - j < codes and _PLAIN_NUMBER.fullmatch(cells[k].parts[0].text.strip().split("(")[0]):
            k += 1
        if codes >= 2 and k - j == codes:
            for c in cells[j:k]:
                c.label = F.SHARES
        i = max(j, i + 1)
    return cells


def _letter(cell: _Cell) -> str:
    return cell.parts[0].text.strip()[:1].upper()


def _cells(entities: list[Entity], paragraphs: Paragraphs) -> list[_Cell]:
    """Entities in reading order, with the pieces of one wrapped cell (same label, same paragraph) joined."""
    out: list[_Cell] = []
    last_paragraph = -1
    for e in sorted(entities, key=lambda e: e.start):
        p = paragraphs.of(e.start)
        if out and out[-1].label == e.label and p == last_paragraph:
            out[-1].parts.append(e)
        else:
            out.append(_Cell(e.label, [e]))
        last_paragraph = p
    return out


def _footnotes(index: TextIndex, row: _StreamRow, paragraphs: Paragraphs, rank: dict[str, int]) -> tuple[str, ...]:
    """The marks in the row's cells, in printed column order."""
    ids: list[str] = []
    for cell in sorted(row.cells.values(), key=lambda c: rank[c.label]):
        s, e = paragraphs.bounds(paragraphs.of(cell.parts[0].start))
        ids += [f for f in index.footnote_ids(s, e) if f not in ids]
    return tuple(ids)
