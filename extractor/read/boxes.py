"""Header boxes 1-6 of a filing's text: cut into boxes (rules), and the words of a box.

Converters interleave the three header columns on one line (tabs, pipes, runs of
spaces). :func:`cut_boxes` cuts the header into cells and gives every cell to a box (by
its printed label, by the box's own anchor words, else by the box above it in the same
column); each box's own module reads its joined text (``address`` box 1, ``issuer`` box 2,
``relationship`` box 5; the dates of boxes 3 and 4 by :func:`first_date`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..form import evidence as E
from ..entities import Entity
from ..form.normalize import DATE_IN_TEXT, mend_split_digits
from ..form.labels import words
from .sections import ANCHORS, Sections, Span

BOXES = ("box1", "box2", "box3", "box4", "box5", "box6")
#: The captions under box 1's lines, by their word ("(State)" also as OCR prints it, "(;ate)").
CAPTIONS = ("last", "first", "middle", "street", "city", "state", "zip")
_BOX1_WORDS = re.compile(r"\((?:%s|;ate)\)" % "|".join(words(key)[0] for key in CAPTIONS), re.I)
_BOX5_WORDS = re.compile(
    r"Direc|10%\s*O|Officer|Other\s*\(|\bbelow\b|specify|give\s+title|Check\s+all|applicable\)", re.I
)
_BOX6_WORDS = re.compile(r"Form\s+filed\s+by|Joint/Group|Reporting\s+Person\s*$", re.I)


@dataclass(frozen=True)
class Piece:
    """A part of a box: ``text[start:end]``, in reading order."""

    start: int
    end: int


@dataclass
class Boxes:
    pieces: dict[str, list[Piece]] = field(default_factory=lambda: {b: [] for b in BOXES})


def _label_hits(text: str, start: int, end: int) -> list[tuple[int, str]]:
    hits = []
    for box in BOXES:
        for m in ANCHORS[box].finditer(text, start, end):
            # include a leading "N." box number in the label
            s = m.start()
            pre = text[max(start, s - 4) : s]
            if re.search(r"\d\.\s*$", pre):
                s -= len(pre) - re.search(r"\d\.\s*$", pre).start()
            hits.append((s, box))
    return sorted(hits)


_NUMBERED = re.compile(r"\s*\d[a-z]?\s*\.")


def cut_boxes(sections: Sections, span: "Span | None" = None) -> Boxes:
    """Give every header cell to a box.

    Tab and pipe tables keep a box in the same column index; ``pdftotext -layout``
    keeps it at the same horizontal position, so there a cell belongs to the
    nearest box label at or left of it.
    """
    text = sections.text
    boxes = Boxes()
    column_box: dict[int, str] = {}
    x_labels: dict[int, str] = {}
    x_starts: dict[int, str] = {}
    span = span or sections.header
    for line in sections.index.lines(span.start, span.end):
        by_position = "\t" not in line.text and "|" not in line.text
        labelled, labelled_x = None, 0  # the box whose label this line printed last: a value right of it is its own,
        # up to the column of a box whose label stands further right on the lines above
        for cell in line.cells:
            if not cell.text:
                continue
            x = cell.start - line.start
            hits = _label_hits(text, cell.start, cell.end)
            if hits:
                if hits[0][0] > cell.start:
                    _assign_unlabelled(text, boxes, _column_of(column_box, x_labels, cell.column, x, by_position), cell.start, hits[0][0])
                bounds = [h[0] for h in hits] + [cell.end]
                for k, ((s, box), e) in enumerate(zip(hits, bounds[1:])):
                    boxes.pieces[box].append(Piece(s, e))
                    if by_position:
                        x_labels[s - line.start] = box
                        # where a box's numbered label begins ("(Check all applicable)" under it goes on)
                        if (k == 0 or hits[k - 1][1] != box) and _NUMBERED.match(text, s):
                            x_starts[s - line.start] = box
                            labelled_x = s - line.start
                column_box[cell.column] = column_box[-1] = labelled = hits[-1][1]
            else:
                if by_position and labelled:
                    right = [lx for lx in x_starts if labelled_x < lx <= x + 3]
                    column = x_starts[max(right)] if right else labelled
                else:
                    column = _column_of(column_box, x_labels, cell.column, x, by_position)
                box = _assign_unlabelled(text, boxes, column, cell.start, cell.end)
                if box:
                    column_box[cell.column] = column_box[-1] = box
    return boxes


def _column_of(column_box: dict[int, str], x_labels: dict[int, str], column: int, x: int, by_position: bool) -> str | None:
    if by_position and x_labels:
        left = [lx for lx in x_labels if lx <= x + 3]
        if left:
            return x_labels[max(left)]
    # unknown column (HTML read in document order): the box read last
    return column_box.get(column, column_box.get(-1))


def _assign_unlabelled(text: str, boxes: Boxes, column: str | None, s: int, e: int) -> str | None:
    chunk = text[s:e]
    if _BOX1_WORDS.search(chunk):
        box = "box1"
    elif _BOX6_WORDS.search(chunk):
        box = "box6"
    elif _BOX5_WORDS.search(chunk):
        box = "box5"
    else:
        box = column
        if box is None or not boxes.pieces[box]:
            return None
    boxes.pieces[box].append(Piece(s, e))
    return box


# ---------------------------------------------------------------- reading boxes
_TOKEN = re.compile(r"<br\s*/?>|<[^>]+>|[^\s<]+", re.I)


def _box_tokens(text: str, pieces: list[Piece]) -> list[tuple[int, int, str]]:
    """Word tokens of a box with offsets; line breaks (cell ends, <br>, </u>) become "\\n"."""
    out: list[tuple[int, int, str]] = []
    for piece in pieces:
        for m in _TOKEN.finditer(text, piece.start, piece.end):
            tok = m.group(0)
            if tok.startswith("<"):
                low = tok.lower()
                if low.startswith("<br") or low.startswith("</u") or low.startswith("<u"):
                    out.append((m.start(), m.start(), "\n"))
                elif "checked" in low:
                    out.append((m.start(), m.end(), "X"))
                continue
            out.append((m.start(), m.end(), tok))
        out.append((piece.end, piece.end, "\n"))
        # a new line of the source text is a break too
    return out


def _entity(label: str, toks: list[tuple[int, int, str]], text: str, score: float, value: str | None = None) -> Entity | None:
    words = [t for t in toks if t[2] != "\n"]
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    joined = " ".join(t[2] for t in words)
    return Entity(label, start, end, text[start:end], score, value_text=value if value is not None else joined)


def _clean_words(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop junk tokens (no letter or digit) and trailing markdown emphasis."""
    return [t for t in toks if t[2] == "\n" or re.search(r"[A-Za-z0-9&]", t[2])]


def _index_of(toks: list[tuple[int, int, str]], pattern: re.Pattern[str]) -> int | None:
    for i, t in enumerate(toks):
        if pattern.fullmatch(t[2]):
            return i
    return None


def _split_on_breaks(toks: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    parts: list[list[tuple[int, int, str]]] = [[]]
    for t in toks:
        if t[2] == "\n":
            if parts[-1]:
                parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]



#: the OMB box's expiry date ("Expires: August 31, 2026"), the form's own date, never the filing's
_EXPIRES = re.compile(r"(?i)expires\W*$")


def first_date(text: str, pieces: list[Piece], label: str) -> Entity | None:
    for piece in pieces:
        for m in DATE_IN_TEXT.finditer(text, piece.start, piece.end):
            if not _EXPIRES.search(text, max(piece.start, text.rfind("\n", 0, m.start()) + 1, m.start() - 40), m.start()):
                return Entity(label, m.start(), m.end(), m.group(0), E.PRINTED)
    for piece in pieces:  # "08/⇥/20/2019": a date split over two tab cells
        chunk = text[piece.start : piece.end]
        if "\t" in chunk and (m := DATE_IN_TEXT.search(mend_split_digits(chunk))):
            start = piece.start + m.start()
            return Entity(label, start, start + len(m.group(0)), text[start : start + len(m.group(0))], E.FALLBACK, value_text=m.group(0))
    return None
