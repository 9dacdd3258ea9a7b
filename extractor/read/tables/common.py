"""What every table reader shares: column-header lines, data lines, the natures of rows.

A layout's reader (``positional``, ``reading_order``) walks a table's lines; the line tests
and the row edits they have in common live here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...form import fields as F
from ...form import evidence as E
from ...entities import Entity, RowEntities
from ..layout import BLANK_LINE, Atom, AtomKind, Line, TextIndex
from ...form.labels import WORDINGS, words
from ...form.normalize import DATE_SHAPE
from ...form.ocr import cell_words

_SIDES, _FORMS = set(F.letters(F.ACQ_DISP)), set(F.letters(F.OWNERSHIP_FORM))  # from fields.TABLE_COLUMNS

#: A column-header line of Table I or II (and OCR's garblings of one).
HEADER_LINE = re.compile(
    r"Instr\.|\(Month/Day/Y|Title\s+of|Beneficially\s+Own|Transaction\s+Code|Amount\s+or\s+Num|"
    r"Date\s+Exercisable|Expiration\s+Date|Ownership\s+Form|Code\s+V\b|\(A\)\s*or\s*\(D\)|"
    r"Table\s+I|Derivative\s+Secur|Acquired|puts,\s*calls|\(A\)\s*or\b|\bor\s*\(D\)|^\s*\(?Instr|"
    r"\bCode\b.{0,12}\bAmount\b|\bAmount\b.{0,20}\bPrice\b",  # OCR's "Code V_ Amount (0) Price"
    re.I,
)


#: A line of column-header words only ("Date Exercisable", "Amount or").
HEADER_WORDS = re.compile(
    r"^[\s|]*(?:(?:Date|Exercisable|Expiration|Title|Amount|or|Number|of|Shares|Code|V|\(A\)|\(D\)|Price|"
    r"Following|Reported|Transaction\(s\)|Instr\.|\d\)|and|\d(?!\d)|\(Instr\.)[\s,.|]*)+$",  # "3, 4 and 5": no amount
    re.I,
)


#: The words of the tables' column headings, in every wording a page prints (``form.labels``).
COLUMN_WORDS = frozenset(
    w.lower()
    for key, wordings in WORDINGS.items()
    if key.startswith(("t1_", "t2_")) or key in ("code", "amount", "a_or_d", "price", "exercisable", "expiration", "title", "shares", "table2_sub")
    for variant in range(len(wordings))
    for w in words(key, variant)
)
_WORD = re.compile(r"[A-Za-z]{2,}")


def is_column_heading(text: str) -> bool:
    """A line of the column headings' words ("or Indirect (I) Nature of Indirect Beneficial"), not
    a cell's text ("Capital U.S.", "Fund IV, L.P.(1)"): under a repeated page header both follow
    the heading lines with no blank line between.

    >>> is_column_heading("Following Reported      (D/I)     Indirect"), is_column_heading("Growth Fund IV,")
    (True, False)
    """
    found = [w.lower() for w in _WORD.findall(text)]
    known = sum(w in COLUMN_WORDS for w in found)
    return known > 0 and known >= len(found) - known


#: What the printed form prints at a page's head and foot, inside a table's span when the table
#: goes on over pages: the form's revision ("SEC 1474 (03-26)"), "FORM 4 (continued)", page
#: numbers ("Page 2 of 12", "3 of 4", a browser's "1/3"), a browser's date, title and address.
PAGE_FURNITURE = re.compile(
    r"^[\s\f]*(?:(?:SEC\s+1474\s*\(\d{1,2}-\d{2}\)|FORM\s+4\s*\(continued\)|SEC\s+FORM\s+4|(?:Page\s+)?\d{1,3}\s+of\s+\d{1,3}"
    rf"|\d{{1,3}}/\d{{1,3}}|{DATE_SHAPE},?\s+\d{{1,2}}:\d{{2}}(?:\s*[AP]M)?|(?:https?|file)://\S+)[\s\f]*)+$",
    re.I,
)
#: The form's notes that a page prints under a table part ("Potential persons who are to respond ...").
FORM_NOTE = re.compile("|".join(re.escape(w.split(" to the ")[0]) for w in WORDINGS["respond"]), re.I)


def is_data_line(atoms: list[Atom]) -> bool:
    """Two values, or one value and an ownership letter: a holding row has at least that."""
    values = [i for i, a in enumerate(atoms) if a.kind in (AtomKind.NUMBER, AtomKind.DATE)]
    if len(values) >= 2:
        return True
    return bool(values) and any(a.kind is AtomKind.LETTER and a.bare in _FORMS for a in atoms[values[0] :])



def ends_with_indirect(row: RowEntities) -> bool:
    form, nature = row.get(F.OWNERSHIP_FORM), row.get(F.NATURE)
    if form is None or form.value_source != "I":
        return False
    return row.end == form.end or (nature is not None and row.end == nature.end)



#: Where a cell's wrapped lines join without a space: after a hyphen ending a word ("2010-" /
#: "Seed Fund": browsers break lines after hyphens) and before punctuation starting a line ("L.P" / ".").
_GLUE = re.compile(r"\w-$")
_GLUED_START = re.compile(r"^[.,;:)]")


def join_lines(left: str, right: str) -> str:
    """Two lines of one cell as one text.

    >>> join_lines("Venture 2010-", "Seed Fund"), join_lines("XII, L.P", "."), join_lines("Fund III -", "Endurance")
    ('Venture 2010-Seed Fund', 'XII, L.P.', 'Fund III - Endurance')
    """
    if not left or not right:
        return left or right
    return left + right if _GLUE.search(left) or _GLUED_START.match(right) else f"{left} {right}"


def extend_nature(row: RowEntities, line: Line, atoms: list[Atom], text: str, before: bool = False) -> RowEntities:
    words = cell_words(line.text)
    ids = list(row.footnote_ids) + [f for a in atoms for f in a.footnote_ids if f not in row.footnote_ids]
    nature = row.get(F.NATURE)
    if words:
        if nature is None:
            value, start, end = words, atoms[0].start, atoms[-1].end
        elif before:
            value, start, end = join_lines(words, nature.value_source), atoms[0].start, nature.end
        else:
            value, start, end = join_lines(nature.value_source, words), nature.start, atoms[-1].end
        new = Entity(F.NATURE, start, end, text[start:end], E.JOINED, value_text=value)
        entities = tuple(e for e in row.entities if e.label != F.NATURE) + (new,)
    else:
        entities = row.entities
    return replace(row, entities=entities, start=min(row.start, atoms[0].start), end=max(row.end, atoms[-1].end), footnote_ids=tuple(dict.fromkeys(ids)))



LAST_ROW, ROW_BEFORE_LAST = -1, -2  # row indices for give_nature
#: A row as a reader holds it: (index of its values line, the row, that line).
PlacedRow = tuple[int, RowEntities, Line]
#: A text line with its atoms.
TextLine = tuple[Line, list[Atom]]


class TableReader:
    """Reads one table line by line: column-header blocks, data lines, the text lines around them.

    A layout's reader says what a data line and a text line do (``data_line``, ``text_line``)
    and how the table ends (``finish``); the walk over the lines and the header blocks are here.
    """

    def __init__(self, name: str, index: TextIndex, lines: list[Line]) -> None:
        self.name, self.index, self.text, self.lines = name, index, index.text, lines
        self.rows: list[PlacedRow] = []
        self.in_header = False  # between a column-header line and the end of its block
        self.below_header = False  # after a repeated page header's block, before the next row
        self.last_atoms: list[Atom] = []  # the atoms of the last row (it may go on below)

    def read_all(self) -> list[RowEntities]:
        for index, line in enumerate(self.lines):
            self.read(index, line)
        return self.finish()

    def read(self, index: int, line: Line) -> None:
        if HEADER_LINE.search(line.text):
            self.header_line(index, line)
            return
        if PAGE_FURNITURE.match(line.text) or FORM_NOTE.search(line.text):
            self.page_line(index, line)
            return
        atoms = self.index.atoms(line.cells)
        if not atoms:
            return
        previous = self.lines[index - 1] if index else None
        if self.in_header and previous is not None and (not previous.text.strip() or BLANK_LINE.search(self.text, previous.end, line.start)):
            self.in_header, self.below_header = False, bool(self.rows)  # the header block ends at a blank line
        if is_data_line(atoms):
            self.data_line(index, line, atoms)
        else:
            self.other_line(index, line, atoms)

    def header_line(self, index: int, line: Line) -> None:
        self.in_header = True

    def page_line(self, index: int, line: Line) -> None:
        """A line the printed form prints at a page's head or foot: no part of any row."""

    def other_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        self.text_line(index, line, atoms)

    def data_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        raise NotImplementedError

    def text_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        raise NotImplementedError

    def finish(self) -> list[RowEntities]:
        raise NotImplementedError

    def give_nature(self, k: int, lines: list[TextLine], before: bool = False) -> None:
        """Text lines to the nature of row ``k`` (-1: the last row, -2: the one before it)."""
        if not lines or len(self.rows) < abs(k):
            return
        main_index, row, main = self.rows[k]
        for line, atoms in (reversed(lines) if before else lines):
            row = extend_nature(row, line, atoms, self.text, before)
        self.rows[k] = (main_index, row, main)
