"""Reading-order tables: cells in the order a converter read them, one row's values per line.

``pdftotext -raw``, pypdf, OCR lines, and tables whose cells a converter separated with tabs,
pipes or HTML (markdown, ``<br>`` cells) print a row's values on one line but put wrapped text
where reading order takes it: a title's first lines above its values (``pending``), a
nature's later lines after them (``tail``, shared with the next row by vertical centring), an
underlying title between a row's two halves. This reader decides where each line goes as it
walks the table.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...form import fields as F
from ...form import evidence as E
from ...entities import Entity, RowEntities
from ..grammar import parse_row
from ..layout import Atom, AtomKind, Line, TextIndex
from ...form.ocr import ENDS_NATURE, MARK_LINE, tidy_cell
from .common import HEADER_LINE, HEADER_WORDS, LAST_ROW, ROW_BEFORE_LAST, TableReader, TextLine, ends_with_indirect, is_column_heading

_SIDES, _FORMS = set(F.letters(F.ACQ_DISP)), set(F.letters(F.OWNERSHIP_FORM))  # from fields.TABLE_COLUMNS

FAMILY = "reading-order"
#: Atoms of lines that are not the row's own get cells of their own (negative: never a real
#: column), so the grammar keeps them apart from the row's first cell: a title line printed
#: above its values, and an underlying title printed between a row's two halves.
TITLE_ABOVE, BETWEEN_HALVES = -1, -2


class ReadingOrderReader(TableReader):
    def __init__(self, name: str, index: TextIndex, lines: list[Line]) -> None:
        super().__init__(name, index, lines)
        self.pending: list[Atom] = []  # a title printed on its own line(s) above its values
        self.pending_lines: list[TextLine] = []  # the lines of ``pending``
        self.tail: list[TextLine] = []  # text lines after an indirect row
        self.above: list[int] = []  # wrapped nature lines each row took above its values
        self.continues = False  # the last row ends with "I" (and its nature): text after it continues it
        self.parked: list[Atom] = []  # values on lines of their own inside a row still open (no D/I yet)

    def header_line(self, index: int, line: Line) -> None:
        self._title_below()
        self.pending, self.pending_lines, self.in_header = [], [], True
        self.give_nature(LAST_ROW, self.tail)
        self.tail = []
        if after := _after_header_cells(line):
            # "...Amount (D) Price⇥See": the first line of a nature centred on the next row
            self.pending_lines.append((after, self.index.atoms(after.cells)))

    def other_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        if self.tail and _lone_form(atoms) and _is_holding_start(self.tail[-1][1]):
            # "Class A Common Stock 11,814(3)" / "D": a holding printed over two lines
            held_line, held_atoms = self.tail.pop()
            self.data_line(index, held_line, held_atoms + atoms)
        elif _BR.search(line.text):
            for part, part_atoms in _br_lines(line, atoms):  # "Planning<br><br>US<br>Venture": lines of a cell
                self.text_line(index, part, part_atoms)
        else:
            self.text_line(index, line, atoms)

    def text_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        if self._open_row() and not self.pending and all(a.kind in _VALUES for a in atoms):
            # "01/15/2033" under "03/01/2024", "500" under "Common Stock": a two-value cell's second line
            self.parked += atoms
        elif self.rows and self.continues and not self.in_header:
            self.tail.append((line, atoms))  # text after an indirect holding's values: its nature, wrapped
        elif HEADER_WORDS.match(line.text) or is_column_heading(line.text):
            self.pending, self.pending_lines = [], []  # a column-header fragment ("Date Exercisable", "Amount or")
        elif atoms[0].kind is AtomKind.TEXT or self.pending:
            self.pending = (self.pending + atoms)[-12:]
            self.pending_lines.append((line, atoms))  # (under a repeated page header: see data_line)

    def data_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        if self._joins_last_row(atoms):
            return
        self.parked = []
        if not self.pending and self.continues and self.tail and atoms[0].kind not in (AtomKind.TEXT, AtomKind.LETTER):
            # a row starting with a value ("(6) 06/20/2019 C ...") has its title in the text before it
            start = self._title_start()
            if start is not None and start < len(self.tail):
                title_lines = self.tail[start:]
                self.tail = self.tail[:start]
                self.pending = [a for _, line_atoms in title_lines for a in line_atoms]
        self._finish_cut_nature()
        spare = self.pending_lines  # text lines above that are not the title's: nature printed above
        if self.pending:
            if atoms[0].kind not in (AtomKind.TEXT, AtomKind.LETTER) or _is_title_tail(atoms) or _finishes_title(self.pending, atoms):
                title = _title_words(self.pending)
                if title[-1].kind is AtomKind.LETTER:
                    # "Class A" / "Common Stock 05/01/2012 S ...": the class letter ends the first line;
                    # the words starting this line finish the title (one cell, so the letter is no code)
                    lead = next((k for k, a in enumerate(atoms) if a.kind is not AtomKind.TEXT), len(atoms))
                    atoms = [_retag(a, TITLE_ABOVE) for a in atoms[:lead]] + atoms[lead:]
                atoms = [_retag(a, TITLE_ABOVE) for a in title] + atoms  # the title's first line(s) above
                spare = []
        elif atoms[0].kind not in (AtomKind.TEXT, AtomKind.LETTER):
            return
        if self.in_header and self.rows and spare:
            # lines under a repeated page header: those up to one that ends a nature with its mark
            # ("Fund, LP)") finish the nature the page break cut; the rest are this row's where
            # natures are centred on their rows (the last row had lines above it too), and in
            # reading order they go on with the last row
            ends = [k for k, (ln, _) in enumerate(spare[:-1]) if ENDS_NATURE.search(ln.text.strip())]
            cut = ends[-1] + 1 if ends else 0
            if not (self.above and self.above[-1] > 0):
                cut = len(spare) if self.continues else 0
            self.give_nature(LAST_ROW, spare[:cut])
            spare = spare[cut:]
        self.pending, self.pending_lines, self.in_header, self.below_header = [], [], False, False
        row = parse_row(self.name, self.text, atoms, need_title=True)
        self.continues = False
        if row is None:
            return
        self.rows.append((index, row, line))
        self.continues, self.last_atoms = ends_with_indirect(row), atoms
        # a wrapped nature is centred on its row: the row above keeps as many lines below
        # it as it had above it (all of them when it had none: reading-order converters)
        keep = self.above[-1] if self.continues and self.rows[:-1] and self.above[-1] else len(self.tail)
        while keep < len(self.tail) and MARK_LINE.fullmatch(self.tail[keep][0].text.strip()):
            keep += 1  # the marks OCR printed under a nature end it: they are no line of the next one
        self.give_nature(ROW_BEFORE_LAST, self.tail[:keep])
        mine = self.tail[keep:] + spare if self.continues else []
        self.give_nature(LAST_ROW, mine, before=True)
        self.above.append(len(mine))
        self.tail = []

    def _finish_cut_nature(self) -> None:
        """Under a repeated page header, the lines up to one whose mark ends a nature ("L.P.(1)")
        finish the last row's nature the page break cut (the row ended "I By" / "Sequoia"); the
        lines after it are the next row's title."""
        if not (self.in_header and self.continues and self.pending_lines):
            return
        cut = _repeated_title(self.pending_lines, self._titles())
        if cut is None:
            ends = [k for k, (ln, _) in enumerate(self.pending_lines[:-1]) if ENDS_NATURE.search(ln.text.strip())]
            cut = ends[-1] + 1 if ends else None
        if not cut:
            return
        self.give_nature(LAST_ROW, self.pending_lines[:cut])
        self.pending_lines = self.pending_lines[cut:]
        self.pending = [a for _, atoms in self.pending_lines for a in atoms][-12:]

    def _title_start(self) -> int | None:
        """Where, in the text after the last row, the title of a row printed before its values
        begins: after the line whose mark ends the last row's nature ("(1)", "LP(2)", "[4]"; the
        nature on the last row's own line when it ended there); first, where the rest repeats the
        title of an earlier row (a table's rows mostly report one class of security)."""
        repeated = _repeated_title(self.tail, self._titles())
        if repeated is not None:
            return repeated  # (its mark, "Stock(1)", does not end a nature)
        ends = [k for k, (ln, _) in enumerate(self.tail) if ENDS_NATURE.search(ln.text.strip())]
        if ends:
            return ends[-1] + 1
        nature = self.rows[-1][1].get(F.NATURE)
        if nature is not None and ENDS_NATURE.search(nature.text.strip()):
            return 0
        return None

    def _open_row(self) -> bool:
        """The last row's values stopped before its D/I letter (every row prints one): it goes on."""
        return bool(self.rows and self.last_atoms and self.rows[-1][1].get(F.OWNERSHIP_FORM) is None and not self.in_header)

    def _titles(self) -> set[str]:
        return {t.value_source for _, row, _ in self.rows if (t := row.get(F.SECURITY_TITLE)) is not None}

    def _joins_last_row(self, atoms: list[Atom]) -> bool:
        """One row printed over two lines: "Common Stock 07/13/2020 A 1,475(1)" / "A $0.00 24,108 D"."""
        starts_title = atoms[0].kind is AtomKind.TEXT or (
            atoms[0].kind is AtomKind.LETTER and len(atoms) > 1 and atoms[1].kind is AtomKind.TEXT
        )
        if not self.rows or not self.last_atoms or self.rows[-1][1].get(F.OWNERSHIP_FORM) is not None:
            return False
        # Table II: the underlying title's lines (or its last words, starting this line) between
        # a row's two halves, when the row has no underlying title or an unfinished one
        under = self.rows[-1][1].get(F.UNDERLYING_TITLE)
        # (unfinished: "Class B Common", or cut after a word or two: "Class", "Class A")
        open_title = self.name == "II" and (under is None or _UNFINISHED.search(under.value_source) or len(under.value_source) <= 7)
        if starts_title and not (open_title and _TITLE_NOUN.match(atoms[0].bare)):
            return False
        between: list[Atom] = []
        if self.pending:
            if not open_title:
                return False
            between = [_retag(a, BETWEEN_HALVES) for a in self.pending]
        parked = self.parked
        joined = parse_row(self.name, self.text, self.last_atoms + parked + between + atoms, need_title=True)
        if joined is None or ((between or starts_title) and joined.get(F.UNDERLYING_TITLE) is None):
            return False
        self.pending, self.pending_lines, self.parked = [], [], []
        self.rows[-1] = (self.rows[-1][0], joined, self.rows[-1][2])
        self.last_atoms, self.continues = self.last_atoms + parked + between + atoms, ends_with_indirect(joined)
        return True

    def _title_below(self) -> None:
        """Title words left over when the table (or page) ends — "Units (RSUs)" under the last
        row of a page — finish the last row's title."""
        if not self.pending or not self.rows or not _TITLE_TAIL.match(" ".join(a.bare for a in self.pending)):
            return
        index, row, line = self.rows[-1]
        title = row.get(F.SECURITY_TITLE)
        words = [a for a in self.pending if a.kind in (AtomKind.TEXT, AtomKind.LETTER)]
        if title is None or not words:
            return
        value = tidy_cell(f"{title.value_source} {' '.join(a.bare for a in words)}")
        new = Entity(F.SECURITY_TITLE, title.start, title.end, title.text, min(title.score, E.FALLBACK), value_text=value)
        ids = tuple(dict.fromkeys(row.footnote_ids + tuple(f for a in self.pending for f in a.footnote_ids)))
        self.rows[-1] = (index, replace(row, entities=tuple(new if e is title else e for e in row.entities), footnote_ids=ids), line)
        self.pending, self.pending_lines = [], []


    def finish(self) -> list[RowEntities]:
        self._title_below()
        self.give_nature(LAST_ROW, _up_to_its_mark(self.tail))
        self.tail = []
        return [row for _, row, _ in self.rows]


def _repeated_title(lines: list[TextLine], titles: set[str]) -> int | None:
    """Where the last lines of ``lines`` repeat an earlier row's title (marks aside), if they do."""
    for k in range(len(lines)):
        if all(a.kind is AtomKind.FOOTNOTE for a in lines[k][1]):
            continue  # a mark line ends what stands above it
        if " ".join(a.bare for _, atoms in lines[k:] for a in atoms if a.kind is not AtomKind.FOOTNOTE) in titles:
            return k
    return None


def _up_to_its_mark(tail: list[TextLine]) -> list[TextLine]:
    """The last row's nature lines at the table's end: up to the line whose mark ends the nature
    (and the marks under it); what follows is the page's, not the cell's ("Reporting Person 2")."""
    ends = next((k for k, (ln, _) in enumerate(tail) if ENDS_NATURE.search(ln.text.strip())), None)
    if ends is None:
        return tail
    ends += 1
    while ends < len(tail) and MARK_LINE.fullmatch(tail[ends][0].text.strip()):
        ends += 1
    return tail[:ends]


_BR = re.compile(r"<br\s*/?>", re.I)
_VALUES = (AtomKind.NUMBER, AtomKind.DATE, AtomKind.FOOTNOTE)

def _br_lines(line: Line, atoms: list[Atom]) -> list[tuple[Line, list[Atom]]]:
    """A text-only table line cut at its ``<br>``s, each piece with its atoms."""
    out = []
    bounds = [line.start] + [b for m in _BR.finditer(line.text) for b in (line.start + m.start(), line.start + m.end())] + [line.end]
    for s, e in zip(bounds[::2], bounds[1::2]):
        piece = [a for a in atoms if s <= a.start and a.end <= e]
        if piece:
            out.append((Line(s, e, line.text[s - line.start : e - line.start], ()), piece))
    return out



_TITLE_TAIL = re.compile(r"(?i)(?:units?\b|\(RSUs?\)|\(right\b|to\s+buy\)|options?\b)")
_UNFINISHED = re.compile(r"(?i)(?:\bcommon|\bpreferred|\bordinary|\brestricted|\bclass\s+\w|\bseries\s+\w+)$")
_TITLE_NOUN = re.compile(r"(?i)(?:stock|shares?|units?|common)$")


def _finishes_title(pending: list[Atom], atoms: list[Atom]) -> bool:
    """Title words that stop before their noun ("Class B Common" / "Stock(2) $0.00 ..."): a line
    starting with the noun ends them."""
    words = " ".join(a.bare for a in pending if a.kind in (AtomKind.TEXT, AtomKind.LETTER))
    return bool(_UNFINISHED.search(words)) and atoms[0].kind is AtomKind.TEXT and bool(_TITLE_NOUN.match(atoms[0].bare))


def _after_header_cells(line: Line) -> Line | None:
    """The trailing tab cells of a column-header line that are no header words, as a line of their own."""
    if "\t" not in line.text or len(line.cells) < 2:
        return None
    tail: list = []
    for cell in reversed(line.cells):
        if not cell.text.strip() or HEADER_LINE.search(cell.text) or HEADER_WORDS.match(cell.text) or not re.search(r"[A-Za-z]{2}", cell.text):
            break
        tail.insert(0, cell)
    if not tail or len(tail) == len(line.cells):
        return None
    s, e = tail[0].start, tail[-1].end
    return Line(s, e, line.text[s - line.start : e - line.start], tuple(tail))


def _is_title_tail(atoms: list[Atom]) -> bool:
    """A data line starting with the last words of a wrapped title ("Units", "to buy)")."""
    words = []
    for a in atoms:
        if a.kind not in (AtomKind.TEXT, AtomKind.LETTER):
            break
        words.append(a.bare)
    if words and re.match(r"[a-z(]", words[0]):
        return True  # a title does not start in lower case or with "("
    starts_a_title = re.match(r"(?i)(class|common|series|ordinary|preferred|stock\b|restricted|option|warrant)", " ".join(words))
    return len(words) <= 3 and not starts_a_title



def _lone_form(atoms: list[Atom]) -> bool:
    return len(atoms) == 1 and atoms[0].kind is AtomKind.LETTER and atoms[0].bare in _FORMS


def _is_holding_start(atoms: list[Atom]) -> bool:
    """Title words and then one amount: a holding whose D/I went to the next line."""
    first_value = next((i for i, a in enumerate(atoms) if a.kind is not AtomKind.TEXT and a.kind is not AtomKind.LETTER), None)
    return bool(first_value) and atoms[0].kind is AtomKind.TEXT and [a.kind for a in atoms[first_value:]] == [AtomKind.NUMBER]



def _title_words(pending: list[Atom]) -> list[Atom]:
    """A title's line(s) printed above its values, without what OCR raised onto that line after
    the words: superscript marks (kept as the title's footnotes) and stray amounts (dropped).

    "Stock Option (right (1) (2) 1.248" / "to buy) $35.71 01/24/2020 A 1,248 ...": the marks and the
    underlying amount sat higher than the row's baseline.
    """
    last = max((i for i, a in enumerate(pending) if a.kind in (AtomKind.TEXT, AtomKind.LETTER)), default=-1)
    if last < 0 or last == len(pending) - 1:
        return pending
    ids = tuple(f for a in pending[last:] for f in a.footnote_ids)
    head = pending[last]
    return pending[:last] + [Atom(head.kind, head.start, head.end, head.text, head.cell, tuple(dict.fromkeys(ids)))]


def _retag(atom: Atom, cell: int) -> Atom:
    """Put an atom of a title line into a cell of its own (so it stays a title)."""
    return Atom(atom.kind, atom.start, atom.end, atom.text, cell, atom.footnote_ids)

