"""Table rows -> role-labelled entities (rules).

A row is read as a sequence of typed atoms (dates, numbers, letters, footnote
marks, words) against the column grammar of its table, not by column position:
converters drop, merge and scramble columns, but the order of kinds survives.
Numbers a converter split over two cells (``23,13⇥39``, ``$110.03⇥352``,
``02/06/20⇥023``) are re-joined when the join is the only well-formed reading;
alternatives are kept for the arithmetic checks of the assembler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal, Sequence

from . import fields as F
from .entities import Entity
from .layout import BLANK_LINE, Atom, AtomKind, Line, atoms_of, split_lines
from .normalize import is_number_text, parse_date, split_footnotes
from .sections import Sections

TableName = Literal["I", "II"]

_HEADER_LINE = re.compile(
    r"Instr\.|\(Month/Day/Y|Title\s+of|Beneficially\s+Own|Transaction\s+Code|Amount\s+or\s+Num|"
    r"Date\s+Exercisable|Expiration\s+Date|Ownership\s+Form|Code\s+V\b|\(A\)\s*or\s*\(D\)|"
    r"Table\s+I|Derivative\s+Secur|Acquired|puts,\s*calls|\(A\)\s*or\b|\bor\s*\(D\)|^\s*\(?Instr|"
    r"\bCode\b.{0,12}\bAmount\b|\bAmount\b.{0,20}\bPrice\b",  # OCR's "Code V_ Amount (0) Price"
    re.I,
)


@dataclass(frozen=True)
class Candidate:
    """One reading of a value that may have been split over several atoms."""

    text: str
    plausibility: float
    how: str


@dataclass(frozen=True)
class RowEntities:
    table: TableName
    start: int
    end: int
    entities: tuple[Entity, ...]
    footnote_ids: tuple[str, ...]
    alternatives: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    dealt: bool = False  # cells of a one-cell-per-paragraph table dealt to this row (stream.py), not a line

    def get(self, label: str) -> Entity | None:
        for e in self.entities:
            if e.label == label:
                return e
        return None


# ---------------------------------------------------------------- fragment joins
def join_candidates(parts: Sequence[str]) -> list[Candidate]:
    """Readings of a number printed over several atoms, best first.

    >>> [c.text for c in join_candidates(["23,13", "39"])][:1]
    ['23,139']
    >>> [c.text for c in join_candidates(["$110.03", "352"])][:1]
    ['$110.0352']
    >>> [c.text for c in join_candidates(["5", "047,398"])][:1]
    ['5,047,398']
    >>> [c.text for c in join_candidates(["2", "45,223"])][:1]
    ['45,223']
    """
    parts = [p for p in parts if p]
    if not parts:
        return []
    if len(parts) == 1:
        return [Candidate(parts[0], 1.0 if is_number_text(parts[0]) else 0.0, "single")]
    out: list[Candidate] = []
    a, rest = parts[0], parts[1:]
    b = "".join(rest)
    if a and b and a[-1] == b[0] and is_number_text(a + b[1:]):
        out.append(Candidate(a + b[1:], 0.7, "overlap"))
    if is_number_text(a + b):
        out.append(Candidate(a + b, 0.4 if "." in a else 0.6, "join"))
    if is_number_text(a + "," + b):
        out.append(Candidate(a + "," + b, 0.6, "comma-join"))
    if re.fullmatch(r"\d", a) and is_number_text(b):
        out.append(Candidate(b, 0.8, "stray-digit"))
    return sorted(out, key=lambda c: -c.plausibility)


def _best(parts: Sequence[str]) -> Candidate | None:
    cands = join_candidates(parts)
    return cands[0] if cands and cands[0].plausibility > 0 else None


# ---------------------------------------------------------------- row finding
_TEXT_ROW_LABELS = (F.SECURITY_TITLE, F.UNDERLYING_TITLE, F.NATURE)


def find_rows(sections: Sections) -> list[RowEntities]:
    """Data rows of Table I and II, with wrapped cell text joined back to its row."""
    text = sections.text
    rows: list[RowEntities] = []
    for name, span in (("I", sections.table1), ("II", sections.table2)):
        lines = [ln for ln in split_lines(text, span.start, span.end) if ln.cells and not ln.is_markdown_rule]
        reader = _TableReader(name, text, lines)  # type: ignore[arg-type]
        for index, line in enumerate(lines):
            reader.read(index, line)
        rows.extend(reader.finish())
    return rows


@dataclass
class _TableReader:
    """Reads one table line by line: column headers, data rows, and the text lines around them.

    ``pdftotext -layout``-like tables keep their text-only lines (``loose``) and give them to
    rows by position at the end (``_join_wrapped``). Other tables decide as they go: text above
    a row is its title's first lines (``pending``) or its nature printed above; text after an
    indirect row continues its nature (``tail``), shared with the next row by vertical centring.
    """

    name: TableName
    text: str
    lines: list[Line]
    layout: bool = False
    rows: list[tuple[int, RowEntities, Line]] = field(default_factory=list)  # (line index, row, its line)
    pending: list[Atom] = field(default_factory=list)  # a title printed on its own line(s) above its values
    pending_lines: list[tuple[Line, list[Atom]]] = field(default_factory=list)  # the lines of ``pending``
    tail: list[tuple[Line, list[Atom]]] = field(default_factory=list)  # text lines after an indirect row
    above: list[int] = field(default_factory=list)  # wrapped nature lines each row took above its values
    loose: list[tuple[int, Line, list[Atom]]] = field(default_factory=list)  # text-only lines (layout tables)
    headers: list[int] = field(default_factory=list)  # indices of column-header lines
    after_header: set[int] = field(default_factory=set)  # text between a repeated page header and the next row
    in_header: bool = False  # between a column-header line and the end of its block
    below_header: bool = False  # after a repeated page header's block, before the next row
    continues: bool = False  # the last row ends with "I" (and its nature): text after it continues it
    last_atoms: list[Atom] = field(default_factory=list)  # the atoms of the last row (it may go on below)

    def __post_init__(self) -> None:
        self.layout = _is_layout(self.lines)

    def read(self, index: int, line: Line) -> None:
        if _HEADER_LINE.search(line.text):
            self._title_below()
            self.pending, self.pending_lines, self.in_header = [], [], True
            self.headers.append(index)
            _give_nature(self.rows, -1, self.tail, self.text)
            self.tail = []
            if not self.layout and (after := _after_header_cells(line)):
                # "...Amount (D) Price⇥See": the first line of a nature centred on the next row
                self.pending_lines.append((after, atoms_of(self.text, after.cells)))
            return
        atoms = atoms_of(self.text, line.cells)
        if not atoms:
            return
        previous = self.lines[index - 1] if index else None
        if self.in_header and previous is not None and (not previous.text.strip() or BLANK_LINE.search(self.text, previous.end, line.start)):
            self.in_header, self.below_header = False, bool(self.rows)  # the header block ends at a blank line
        if _is_data_line(atoms):
            self._data_line(index, line, atoms)
        elif not self.layout and self.tail and _lone_form(atoms) and _is_holding_start(self.tail[-1][1]):
            # reading order: "Class A Common Stock 11,814(3)" / "D": a holding printed over two lines
            held_line, held_atoms = self.tail.pop()
            self._data_line(index, held_line, held_atoms + atoms)
        elif not self.layout and _BR.search(line.text):
            for part, part_atoms in _br_lines(line, atoms):  # "Planning<br><br>US<br>Venture": lines of a cell
                self._text_line(index, part, part_atoms)
        else:
            self._text_line(index, line, atoms)

    def _text_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        if self.layout and not self.in_header:
            self.loose.append((index, line, atoms))
            if self.below_header:
                self.after_header.add(index)
        elif self.rows and self.continues and not self.in_header:
            self.tail.append((line, atoms))  # text after an indirect holding's values: its nature, wrapped
        elif _HEADER_WORDS.match(line.text):
            self.pending, self.pending_lines = [], []  # a column-header fragment ("Date Exercisable", "Amount or")
        elif atoms[0].kind is AtomKind.TEXT or self.pending:
            self.pending = (self.pending + atoms)[-12:]
            self.pending_lines.append((line, atoms))  # (under a repeated page header: see _data_line)

    def _data_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        if not self.layout and self._joins_last_row(atoms):
            return
        if self.layout and self._continues_right(index, line, atoms):
            return
        if not self.layout and not self.pending and self.continues and self.tail and atoms[0].kind not in (AtomKind.TEXT, AtomKind.LETTER):
            # reading order: a row starting with a value ("(6) 06/20/2019 C ...") has its title in the
            # text before it, after the line whose mark ends the last row's nature ("(1)", "LP(2)")
            ends = [k for k, (ln, _) in enumerate(self.tail) if _ENDS_NATURE.search(ln.text.strip())]
            if ends and ends[-1] + 1 < len(self.tail):
                title_lines = self.tail[ends[-1] + 1 :]
                self.tail = self.tail[: ends[-1] + 1]
                self.pending = [a for _, line_atoms in title_lines for a in line_atoms]
        spare = self.pending_lines  # text lines above that are not the title's: nature printed above
        if not self.layout and self.pending:
            if atoms[0].kind not in (AtomKind.TEXT, AtomKind.LETTER) or _is_title_tail(atoms) or _finishes_title(self.pending, atoms):
                atoms = [_retag(a, -1) for a in _title_words(self.pending)] + atoms  # the title's first line(s) above
                spare = []
        elif atoms[0].kind not in (AtomKind.TEXT, AtomKind.LETTER) and not self.layout:
            return
        if self.in_header and self.rows and spare and not self.layout:
            # lines under a repeated page header: those up to one that ends a nature with its mark
            # ("Fund, LP)") finish the nature the page break cut; the rest are this row's where
            # natures are centred on their rows (the last row had lines above it too), and in
            # reading order they go on with the last row
            ends = [k for k, (ln, _) in enumerate(spare[:-1]) if _ENDS_NATURE.search(ln.text.strip())]
            cut = ends[-1] + 1 if ends else 0
            if not (self.above and self.above[-1] > 0):
                cut = len(spare) if self.continues else 0
            _give_nature(self.rows, -1, spare[:cut], self.text)
            spare = spare[cut:]
        self.pending, self.pending_lines, self.in_header, self.below_header = [], [], False, False
        row = parse_row(self.name, self.text, atoms, need_title=not self.layout)
        self.continues = False
        if row is None:
            return
        self.rows.append((index, row, line))
        self.continues, self.last_atoms = _ends_with_indirect(row), atoms
        if not self.layout:
            # a wrapped nature is centred on its row: the row above keeps as many lines below
            # it as it had above it (all of them when it had none: reading-order converters)
            keep = self.above[-1] if self.continues and self.rows[:-1] and self.above[-1] else len(self.tail)
            while keep < len(self.tail) and _MARK_LINE.fullmatch(self.tail[keep][0].text.strip()):
                keep += 1  # the marks OCR printed under a nature end it: they are no line of the next one
            _give_nature(self.rows, -2, self.tail[:keep], self.text)
            mine = self.tail[keep:] + spare if self.continues else []
            _give_nature(self.rows, -1, mine, self.text, before=True)
            self.above.append(len(mine))
            self.tail = []

    def _joins_last_row(self, atoms: list[Atom]) -> bool:
        """One row printed over two lines: "Common Stock 07/13/2020 A 1,475(1)" / "A $0.00 24,108 D"."""
        starts_title = atoms[0].kind is AtomKind.TEXT or (
            atoms[0].kind is AtomKind.LETTER and len(atoms) > 1 and atoms[1].kind is AtomKind.TEXT
        )
        if not self.rows or not self.last_atoms or self.rows[-1][1].get(F.OWNERSHIP_FORM) is not None:
            return False
        # Table II in reading order: the underlying title's lines (or its last words, starting this
        # line) between a row's two halves, when the row has no underlying title or an unfinished one
        under = self.rows[-1][1].get(F.UNDERLYING_TITLE)
        # (unfinished: "Class B Common", or cut after a word or two: "Class", "Class A")
        open_title = self.name == "II" and (under is None or _UNFINISHED.search(under.value_source) or len(under.value_source) <= 7)
        if starts_title and not (open_title and _TITLE_NOUN.match(atoms[0].bare)):
            return False
        between: list[Atom] = []
        if self.pending:
            if not open_title:
                return False
            between = [_retag(a, -2) for a in self.pending]
        joined = parse_row(self.name, self.text, self.last_atoms + between + atoms, need_title=True)
        if joined is None or ((between or starts_title) and joined.get(F.UNDERLYING_TITLE) is None):
            return False
        self.pending, self.pending_lines = [], []
        self.rows[-1] = (self.rows[-1][0], joined, self.rows[-1][2])
        self.last_atoms, self.continues = self.last_atoms + atoms, _ends_with_indirect(joined)
        return True

    def _continues_right(self, index: int, line: Line, atoms: list[Atom]) -> bool:
        """Layout: a row's right-hand columns printed a line or two lower than its left-hand ones
        (the underlying title wrapped above them): the values all stand right of the row's last."""
        if not self.rows or not self.last_atoms or self.rows[-1][1].get(F.OWNERSHIP_FORM) is not None:
            return False
        row_index, row, row_line = self.rows[-1]
        if index - row_index > 3:
            return False
        last_x = max((a.end - row_line.start for a in self.last_atoms if row_line.start <= a.start < row_line.end), default=None)
        if last_x is None or min(a.start - line.start for a in atoms) <= last_x:
            return False
        joined = parse_row(self.name, self.text, self.last_atoms + atoms, need_title=False)
        if joined is None or joined.get(F.OWNERSHIP_FORM) is None:
            return False
        self.rows[-1] = (row_index, joined, row_line)
        self.last_atoms, self.continues = self.last_atoms + atoms, _ends_with_indirect(joined)
        return True

    def _title_below(self) -> None:
        """Title words left over when the table (or page) ends — "Units (RSUs)" under the last
        row of a page — finish the last row's title."""
        if self.layout or not self.pending or not self.rows or not _TITLE_TAIL.match(" ".join(a.bare for a in self.pending)):
            return
        index, row, line = self.rows[-1]
        title = row.get(F.SECURITY_TITLE)
        words = [a for a in self.pending if a.kind in (AtomKind.TEXT, AtomKind.LETTER)]
        if title is None or not words:
            return
        value = tidy_cell(f"{title.value_source} {' '.join(a.bare for a in words)}")
        new = Entity(F.SECURITY_TITLE, title.start, title.end, title.text, min(title.score, 0.7), value_text=value)
        ids = tuple(dict.fromkeys(row.footnote_ids + tuple(f for a in self.pending for f in a.footnote_ids)))
        self.rows[-1] = (index, replace(row, entities=tuple(new if e is title else e for e in row.entities), footnote_ids=ids), line)
        self.pending, self.pending_lines = [], []

    def finish(self) -> list[RowEntities]:
        self._title_below()
        _give_nature(self.rows, -1, self.tail, self.text)
        self.tail = []
        return _join_wrapped(self.rows, self.loose, self.text, self.headers, self.after_header)


_BR = re.compile(r"<br\s*/?>", re.I)

# ---------------------------------------------------------------- OCR's footnote-mark remnants
# Superscript marks come out of OCR as glyphs, lone digits or stray parentheses glued to the
# words around them; each pattern below names the shape it removes from a text cell.
# a footnote mark OCR could not read: "()", "@)", "©)", "L.P.&)", "Footnotes?", "(Ss)" alone
_OCR_MARK_TAIL = re.compile(r"\s*(?:\(\)|\(?[©®@°&]+\)?|(?<=[a-z])[?”“\"]+\)?|^\([A-Za-z0-9§$]{1,2}\))$")
_OCR_CLOSE_TAIL = re.compile(r"(?<=[A-Za-z.,])(?:[°”“\"?]|\d{1,2})?\)$")  # "Footnotes2)", "L.P.°)": a mark's remnant
_OCR_O_TAIL = re.compile(r"(?:(?<=\.)|(?<=LLC)|(?<=LP))[O0]$")  # "L.P.O", "LLCO": a "(1)" read as one letter
_MARK_LINE = re.compile(r"(?=[^A-Za-z]*(?:[A-Za-z][^A-Za-z]*){0,2}$)(?=.*[()©®@°]).{1,8}|\d{1,2}")  # "(3)", "@@)", "8)", "(2)(3)"
_ENDS_NATURE = re.compile(r"[A-Za-z.,]\S{0,3}\)$|^\(\d{1,2}\)(?:\(\d{1,2}\))*$")  # "Fund, LP)", "L.P.(2)", "(3)"
_LONE_DIGIT = re.compile(r"(?<!\S)\d\)?(?=\s|$)")  # "See 4 / footnote", "Footnotes 8)": a mark's digit in a nature


def drop_ocr_mark(words: str) -> str:
    """Text without the remnant of a footnote mark OCR could not read.

    >>> drop_ocr_mark("See Footnotes2)"), drop_ocr_mark("Fund, L.P.&)"), drop_ocr_mark("Fund, L.P.O")
    ('See Footnotes', 'Fund, L.P.', 'Fund, L.P.')
    >>> drop_ocr_mark("Stock Option (right to buy)")
    'Stock Option (right to buy)'
    """
    words = _OCR_O_TAIL.sub("", _OCR_MARK_TAIL.sub("", words))
    if words.count(")") > words.count("(") and (m := _OCR_CLOSE_TAIL.search(words)):
        words = words[: m.start()]
    return words.rstrip()


_EDGE_JUNK = re.compile(r"[a-z]{1,2}|O[yo]?|[^\w(]{1,3}|[^\s(]{0,3}\)")  # "o", "oy", "@", "'", "ro)": OCR's marks


def tidy_cell(words: str) -> str:
    """A title or nature without the mark remnants OCR leaves at its ends.

    >>> tidy_cell("Restricted Stock oy"), tidy_cell("oy) o) Common Stock"), tidy_cell("'Common Stock")
    ('Restricted Stock', 'Common Stock', 'Common Stock')
    >>> tidy_cell("Stock Option (right to buy)"), tidy_cell("Fund (Q), LP"), tidy_cell("Class A")
    ('Stock Option (right to buy)', 'Fund (Q), LP', 'Class A')
    """
    toks = words.split()

    def junk(tok: str, words: list[str]) -> bool:  # a ")" token only while the words' parentheses do not balance
        if not _EDGE_JUNK.fullmatch(tok):
            return False
        return not tok.endswith(")") or " ".join(words).count(")") > " ".join(words).count("(")

    while len(toks) > 1 and junk(toks[-1], toks):
        toks.pop()
    while len(toks) > 1 and junk(toks[0], toks):
        toks.pop(0)
    if toks:
        toks[0] = toks[0].lstrip("'‘`\"“")
    return drop_ocr_mark(" ".join(t for t in toks if t))


def _cell_words(raw: str) -> str:
    """The words of a text cell as printed: no tags, cell pipes, footnote marks or unreadable OCR marks.

    >>> _cell_words("| By Living <u>Trust</u> (2) |")
    'By Living Trust'
    """
    words = " ".join(_LONE_DIGIT.sub(" ", split_footnotes(re.sub(r"<[^>]*>|(?<!\\)\|", " ", raw))[0]).split())
    return drop_ocr_mark(words)


def _br_lines(line: Line, atoms: list[Atom]) -> list[tuple[Line, list[Atom]]]:
    """A text-only table line cut at its ``<br>``s, each piece with its atoms."""
    out = []
    bounds = [line.start] + [b for m in _BR.finditer(line.text) for b in (line.start + m.start(), line.start + m.end())] + [line.end]
    for s, e in zip(bounds[::2], bounds[1::2]):
        piece = [a for a in atoms if s <= a.start and a.end <= e]
        if piece:
            out.append((Line(s, e, line.text[s - line.start : e - line.start], ()), piece))
    return out


def _give_nature(table_rows: list[tuple[int, RowEntities, Line]], k: int, lines: list[tuple[Line, list[Atom]]], text: str, before: bool = False) -> None:
    if not lines or len(table_rows) < abs(k):
        return
    main_index, row, main = table_rows[k]
    for line, atoms in (reversed(lines) if before else lines):
        row = _extend_nature(row, line, atoms, text, before)
    table_rows[k] = (main_index, row, main)


def _ends_with_indirect(row: RowEntities) -> bool:
    form, nature = row.get(F.OWNERSHIP_FORM), row.get(F.NATURE)
    if form is None or form.value_source != "I":
        return False
    return row.end == form.end or (nature is not None and row.end == nature.end)


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
        if not cell.text.strip() or _HEADER_LINE.search(cell.text) or _HEADER_WORDS.match(cell.text) or not re.search(r"[A-Za-z]{2}", cell.text):
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


def _extend_nature(row: RowEntities, line: Line, atoms: list[Atom], text: str, before: bool = False) -> RowEntities:
    words = _cell_words(line.text)
    ids = list(row.footnote_ids) + [f for a in atoms for f in a.footnote_ids if f not in row.footnote_ids]
    nature = row.get(F.NATURE)
    if words:
        if nature is None:
            value, start, end = words, atoms[0].start, atoms[-1].end
        elif before:
            value, start, end = f"{words} {nature.value_source}", atoms[0].start, nature.end
        else:
            value, start, end = f"{nature.value_source} {words}", nature.start, atoms[-1].end
        new = Entity(F.NATURE, start, end, text[start:end], 0.8, value_text=value)
        entities = tuple(e for e in row.entities if e.label != F.NATURE) + (new,)
    else:
        entities = row.entities
    return replace(row, entities=entities, start=min(row.start, atoms[0].start), end=max(row.end, atoms[-1].end), footnote_ids=tuple(dict.fromkeys(ids)))


def _join_wrapped(
    table_rows: list[tuple[int, RowEntities, Line]],
    loose: list[tuple[int, Line, list[Atom]]],
    text: str,
    headers: list[int],
    after_header: set[int],
) -> list[RowEntities]:
    """Give each wrapped line to its row.

    Converters print a blank line between rows, and a cell's wrapped lines are centred on
    its row's values line: between two rows, the row above takes as many lines below it as
    it took above it, the row below takes the rest. A repeated page header closes a row.
    """
    if not table_rows:
        return []
    wrapped: list[list[tuple[int, Line, list[Atom]]]] = [[] for _ in table_rows]
    above = [0] * len(table_rows)  # lines each row took above its values line

    def apart(x: Line, y: Line) -> bool:
        lo, hi = (x, y) if x.start < y.start else (y, x)
        return bool(BLANK_LINE.search(text, lo.end, hi.start))

    for item in sorted(loose, key=lambda it: it[0]):
        index, line, _ = item
        after = next((k for k, r in enumerate(table_rows) if r[0] > index), None)
        before = after - 1 if after is not None else len(table_rows) - 1
        if after is None or before < 0:
            k = before if after is None else after
        else:
            (a_index, _, a_line), (b_index, _, b_line) = table_rows[before], table_rows[after]
            page_break = any(index < h < b_index for h in headers)
            if page_break or (apart(b_line, line) and not apart(a_line, line)):
                k = before
            elif apart(a_line, line) and not apart(b_line, line):
                k = after
            else:
                k = before if index - a_index <= above[before] else after
        if k > before or (after is not None and k == after):
            above[k] += 1
        wrapped[k].append(item)
    # A cell cut by a page break goes on under the repeated header: keep for the row after it only
    # as many of those lines as it has below its values line (centred), the rest end the row before.
    for k, (main_index, _, _) in enumerate(table_rows):
        cut = [it for it in wrapped[k] if it[0] in after_header and it[0] < main_index]
        if not cut or k == 0:
            continue
        below = sum(1 for it in wrapped[k] if it[0] > main_index)
        spill = cut[: max(0, len(cut) - max(below, 1))]
        wrapped[k] = [it for it in wrapped[k] if it not in spill]
        wrapped[k - 1].extend(spill)
    return [_continue_row(row, main, wrapped[k], main_index, text) for k, (main_index, row, main) in enumerate(table_rows)]


_HEADER_WORDS = re.compile(
    r"^[\s|]*(?:(?:Date|Exercisable|Expiration|Title|Amount|or|Number|of|Shares|Code|V|\(A\)|\(D\)|Price|"
    r"Following|Reported|Transaction\(s\)|Instr\.|\d\)|and|\d|\(Instr\.)[\s,.|]*)+$",
    re.I,
)


def _is_layout(lines: list[Line]) -> bool:
    """``pdftotext -layout``-like: columns kept by runs of spaces, no tabs or pipes."""
    tabled = sum("\t" in ln.text or ln.text.count("|") >= 2 for ln in lines)
    if not lines or tabled > max(1, len(lines) // 10):  # a stray "|" is an OCR slip, not a table
        return False
    return sum("    " in ln.text.strip() for ln in lines) >= max(1, len(lines) // 3)


def _lone_form(atoms: list[Atom]) -> bool:
    return len(atoms) == 1 and atoms[0].kind is AtomKind.LETTER and atoms[0].bare in {"D", "I"}


def _is_holding_start(atoms: list[Atom]) -> bool:
    """Title words and then one amount: a holding whose D/I went to the next line."""
    first_value = next((i for i, a in enumerate(atoms) if a.kind is not AtomKind.TEXT and a.kind is not AtomKind.LETTER), None)
    return bool(first_value) and atoms[0].kind is AtomKind.TEXT and [a.kind for a in atoms[first_value:]] == [AtomKind.NUMBER]


def _is_data_line(atoms: list[Atom]) -> bool:
    """Two values, or one value and an ownership letter: a holding row has at least that."""
    values = [i for i, a in enumerate(atoms) if a.kind in (AtomKind.NUMBER, AtomKind.DATE)]
    if len(values) >= 2:
        return True
    return bool(values) and any(a.kind is AtomKind.LETTER and a.bare in {"D", "I"} for a in atoms[values[0] :])


def _continue_row(row: RowEntities, main: Line, wrapped: list[tuple[int, Line, list[Atom]]], main_index: int, text: str) -> RowEntities:
    """Join wrapped lines' words to the text cell at their horizontal position (above, then below)."""
    if not wrapped:
        return row
    # columns by position in each entity's own line (a row may stand on two lines: _continues_right)
    col = lambda offset: offset - (text.rfind("\n", 0, offset) + 1)  # noqa: E731
    cells = {e.label: (col(e.start), col(e.start) + e.end - e.start) for e in row.entities if e.label in _TEXT_ROW_LABELS}
    numeric = [(col(e.start), col(e.start) + e.end - e.start) for e in row.entities if e.label not in _TEXT_ROW_LABELS]
    if F.SECURITY_TITLE not in cells:  # the title is wholly on wrapped lines: its column ends at the first value
        cells[F.SECURITY_TITLE] = (0, max(1, min((n0 for n0, _ in numeric), default=30) - 2))
    form = row.get(F.OWNERSHIP_FORM)
    if F.NATURE not in cells and form is not None:  # the nature column, right of D/I, wholly wrapped
        x = col(form.end)
        cells[F.NATURE] = (x + 2, x + 40)
    before: dict[str, list[Atom]] = {}
    after: dict[str, list[Atom]] = {}
    ids = list(row.footnote_ids)
    for index, line, atoms in sorted(wrapped, key=lambda w: w[0]):
        target = before if index < main_index else after
        for atom in atoms:
            x0, x1 = atom.start - line.start, atom.end - line.start
            for fid in atom.footnote_ids:
                if fid not in ids:
                    ids.append(fid)
            if atom.kind is AtomKind.FOOTNOTE or any(n0 - 1 <= x0 and x1 <= n1 + 1 for n0, n1 in numeric):
                continue  # a mark, or something under a number: not wrapped text
            label = min(cells, key=lambda lb: 0 if cells[lb][0] - 2 <= x0 <= cells[lb][1] + 12 else abs(x0 - cells[lb][0]))
            if not (cells[label][0] - 2 <= x0 <= cells[label][1] + 12) and abs(x0 - cells[label][0]) > 40:
                continue
            target.setdefault(label, []).append(atom)
    entities = {e.label: e for e in row.entities}
    for label in set(before) | set(after):
        parts = before.get(label, []) + ([entities[label]] if label in entities else []) + after.get(label, [])
        words: list[str] = []
        for k, p in enumerate(parts):
            word = p.value_source if isinstance(p, Entity) else p.bare
            glued = k and isinstance(p, Atom) and isinstance(parts[k - 1], Atom) and parts[k - 1].end == p.start
            if glued and words:
                words[-1] += word  # "2010" + "-Seed": one printed word
            else:
                words.append(word)
        first, last = parts[0], parts[-1]
        score = entities[label].score if label in entities else 0.7
        entities[label] = Entity(label, first.start, last.end, text[first.start : last.end], score, value_text=" ".join(words))
    return replace(row, entities=tuple(entities.values()), footnote_ids=tuple(ids))


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


# ---------------------------------------------------------------- the grammar
@dataclass
class _Cursor:
    atoms: list[Atom]
    i: int = 0

    def peek(self, k: int = 0) -> Atom | None:
        j = self.i + k
        return self.atoms[j] if j < len(self.atoms) else None

    def take(self) -> Atom:
        atom = self.atoms[self.i]
        self.i += 1
        return atom

    @property
    def done(self) -> bool:
        return self.i >= len(self.atoms)


def _attach_footnotes(atoms: list[Atom]) -> list[Atom]:
    """A footnote mark in the same cell as the atom before it belongs to that atom."""
    out: list[Atom] = []
    for a in atoms:
        prev = out[-1] if out else None
        if (
            a.kind is AtomKind.FOOTNOTE
            and prev is not None
            and prev.cell == a.cell
            and prev.kind in (AtomKind.LETTER, AtomKind.NUMBER, AtomKind.DATE, AtomKind.TEXT)
        ):
            out[-1] = Atom(prev.kind, prev.start, a.end, prev.text + " " + a.text, prev.cell, prev.footnote_ids + a.footnote_ids)
        else:
            out.append(a)
    return out


def _is_code(a: Atom) -> bool:
    return (a.kind is AtomKind.LETTER and a.bare in F.TRANSACTION_CODES) or (
        a.kind is AtomKind.NUMBER and a.bare == "5"
    )


def _title(text: str, cur: _Cursor) -> Entity | None:
    """Leading words (a single capital letter inside words too: "Class A Common Stock")."""
    taken: list[Atom] = []
    while not cur.done:
        a = cur.peek()
        nxt = cur.peek(1)
        if a.kind is AtomKind.TEXT or (
            a.kind is AtomKind.LETTER and nxt is not None and nxt.kind is AtomKind.TEXT and nxt.cell == a.cell
        ):
            taken.append(cur.take())
        elif a.kind is AtomKind.FOOTNOTE and taken and a.cell == taken[-1].cell:
            taken.append(cur.take())
        else:
            break
    if not taken or taken[0].text.startswith("("):
        return None
    words = " ".join(t.bare for t in taken)
    words = re.sub(r"[)\]]\d+$|\]$", "", words).strip()  # a mark's remnant; "(right to buy)" keeps its ")"
    words = drop_ocr_mark(words)
    words = re.sub(r"^[^\w(]+", "", words)
    if not words:
        return None
    return Entity(F.SECURITY_TITLE, taken[0].start, taken[-1].end, text[taken[0].start : taken[-1].end], 0.9, value_text=words)


def _ent(label: str, atoms: Sequence[Atom], text: str, value: str | None, score: float, notes: tuple[str, ...] = ()) -> Entity:
    start, end = atoms[0].start, atoms[-1].end
    return Entity(label, start, end, text[start:end], score, value_text=value, notes=notes)


def _dates(text: str, cur: _Cursor, labels: Sequence[str]) -> list[Entity]:
    out = []
    for label in labels:
        a = cur.peek()
        if a is None or a.kind is not AtomKind.DATE:
            break
        cur.take()
        bare = a.bare
        nxt = cur.peek()
        year = bare.rsplit("/", 1)[-1]
        if (
            len(year) == 2
            and nxt is not None
            and nxt.kind is AtomKind.NUMBER
            and re.fullmatch(r"\d{1,3}", nxt.bare)
            and nxt.cell != a.cell
        ):
            # "02/06/20" + "023": the year was split over two cells, its boundary digit doubled
            joined = bare + nxt.bare[1:] if bare[-1] == nxt.bare[0] else bare + nxt.bare
            if parse_date(joined).value:
                cur.take()
                out.append(_ent(label, [a, nxt], text, joined, 0.7, ("date re-joined across cells",)))
                continue
        out.append(_ent(label, [a], text, bare, 0.95))
    return out


def _numbers_until(cur: _Cursor, stop) -> list[Atom]:
    taken = []
    while not cur.done and not stop(cur.peek()):
        a = cur.take()
        if a.kind in (AtomKind.NUMBER, AtomKind.FOOTNOTE, AtomKind.DOLLAR):
            taken.append(a)
    return taken


def _value_entity(label: str, atoms: list[Atom], text: str, alternatives: dict[str, tuple[Candidate, ...]]) -> Entity | None:
    """A number over one or more atoms; a lone footnote mark gives a footnote-only value."""
    nums = [a for a in atoms if a.kind is AtomKind.NUMBER]
    if not nums:
        marks = [a for a in atoms if a.kind is AtomKind.FOOTNOTE]
        return _ent(label, marks, text, None, 0.9, ("value given only as a footnote",)) if marks else None
    dollar = any(a.kind is AtomKind.DOLLAR for a in atoms)
    cands = join_candidates([a.bare for a in nums])
    if not cands or cands[0].plausibility <= 0:
        return _ent(label, nums, text, None, 0.2, ("unreadable number",))
    if len(cands) > 1 or cands[0].how != "single":
        alternatives[label] = tuple(cands)
    best = cands[0]
    value = ("$" if dollar and not best.text.startswith("$") else "") + best.text
    notes = () if best.how == "single" else (f"number re-joined ({best.how})",)
    return _ent(label, nums, text, value, 0.95 * best.plausibility if best.how != "single" else 0.95, notes)


def _split_price_following(atoms: list[Atom]) -> tuple[list[Atom], list[Atom]]:
    """Share the numeric atoms between the price column and the owned-following column."""
    atoms = [a for a in atoms if a.kind is not AtomKind.DASH]
    # a "5" or "S" read for "$" just before a decimal price
    if len(atoms) >= 2 and atoms[0].bare in {"5", "S"} and "." in atoms[1].bare:
        atoms = atoms[1:]
    if len(atoms) <= 1:
        if atoms and (atoms[0].kind in (AtomKind.DOLLAR,) or atoms[0].bare.startswith("$")):
            return atoms, []
        return [], atoms
    best: tuple[float, int] = (-1.0, 1)
    for k in range(1, len(atoms)):
        price, follow = atoms[:k], atoms[k:]
        if any(a.footnote_ids for a in price[:-1]) or any(a.footnote_ids for a in follow[:-1]):
            continue  # a footnote mark closes a value
        score = _group_score(price, price=True) + _group_score(follow, price=False)
        if score > best[0]:
            best = (score, k)
    k = best[1]
    return atoms[:k], atoms[k:]


def _group_score(atoms: list[Atom], price: bool) -> float:
    nums = [a.bare for a in atoms if a.kind is AtomKind.NUMBER]
    marks = [a for a in atoms if a.kind is AtomKind.FOOTNOTE]
    if not nums:
        return 0.9 if marks or any(a.kind is AtomKind.DOLLAR for a in atoms) else 0.0
    best = _best(nums)
    if best is None:
        return -1.0
    score = best.plausibility
    if price and (nums[0].startswith("$") or any(a.kind is AtomKind.DOLLAR for a in atoms)):
        score += 0.2
    return score


def parse_row(table: TableName, text: str, atoms: list[Atom], need_title: bool = True) -> RowEntities | None:
    atoms = _attach_footnotes(atoms)
    cur = _Cursor(atoms)
    title = _title(text, cur)
    if title is None and need_title:
        return None
    rest = atoms[cur.i :]
    parse = _parse_table1 if table == "I" else _parse_table2
    ents, alts = parse(text, cur, _looks_like_transaction(table, rest))
    entities = (title, *ents)
    ids: list[str] = []
    for a in atoms:
        for fid in a.footnote_ids:
            if fid not in ids:
                ids.append(fid)
    return RowEntities(table, atoms[0].start, atoms[-1].end, tuple(e for e in entities if e), tuple(ids), alts)


def _looks_like_transaction(table: TableName, rest: list[Atom]) -> bool:
    """A transaction row has a code letter followed by an amount (holdings have neither)."""
    dates = [i for i, a in enumerate(rest) if a.kind is AtomKind.DATE]
    codes = [i for i, a in enumerate(rest) if a.kind is AtomKind.LETTER and a.bare in F.TRANSACTION_CODES]
    for i in codes:
        after = rest[i + 1 :]
        if any(a.kind is AtomKind.NUMBER for a in after) and (
            table == "II" or any(a.kind is AtomKind.LETTER and a.bare in {"A", "D"} for a in after)
        ):
            if table == "I" or dates and dates[0] < i:
                return True
    return table == "I" and bool(dates)


# a code whose mark OCR garbled ("ci)", "s®)", "sO)", "S(5", "JO", "co)"), or that OCR set in lower case ("s", "Ss", "c", "jj")
_OCR_CODE = re.compile(r"([A-Za-z])(?:[iIl1|!O0]?\)|[®©@°*]\)?|\(\S{0,2})|([A-Z][O0]|[csj][O0o]?\)?|[CS][cs]|jj)")


def _code(text: str, cur: _Cursor) -> Entity | None:
    first = cur.peek()
    if first is not None and first.kind is AtomKind.TEXT and (m := _OCR_CODE.fullmatch(first.text)):
        letter = (m.group(1) or m.group(2)[0]).upper()
        if letter in F.TRANSACTION_CODES:
            cur.take()
            return _ent(F.TXN_CODE, [first], text, letter, 0.5, ("code read through an OCR-garbled footnote mark or case",))
    # skip junk atoms before the code (e.g. a date the converter destroyed); junk right before
    # the amount is the code itself, unreadable ("clea"): the A/D letter after the amount is no code
    j = cur.i
    while j < len(cur.atoms) and not _is_code(cur.atoms[j]):
        if cur.atoms[j].kind is AtomKind.DATE:
            return None
        if cur.atoms[j].kind is AtomKind.NUMBER and j > cur.i and all(a.kind is AtomKind.TEXT and len(a.text) <= 4 for a in cur.atoms[cur.i : j]):
            cur.i = j
            return None
        j += 1
    if j >= len(cur.atoms):
        return None
    cur.i = j
    a = cur.take()
    letter = "S" if a.bare == "5" else a.bare
    score = 0.6 if a.bare == "5" else 0.95
    atoms = [a]
    # converters repeat a cell ("S S"); "V" after the code is the voluntary-report column
    while not cur.done and cur.peek().kind is AtomKind.LETTER and cur.peek().bare in {letter, "V"}:
        atoms.append(cur.take())
    return _ent(F.TXN_CODE, atoms, text, letter, score)


def _letter(cur: _Cursor, allowed: set[str]) -> Atom | None:
    if not cur.done and cur.peek().kind is AtomKind.LETTER and cur.peek().bare in allowed:
        return cur.take()
    return None


def _tail(text: str, cur: _Cursor, alts: dict[str, tuple[Candidate, ...]], with_price: bool) -> list[Entity]:
    """[price] owned-following D/I [nature] — the columns every row ends with."""
    rest = cur.atoms[cur.i :]
    di_index = None
    for j in range(len(rest) - 1, -1, -1):
        if rest[j].kind is AtomKind.LETTER and rest[j].bare in {"D", "I"}:
            di_index = j
            break
    form_read_as = None
    if di_index is None:
        # OCR prints the "I" as "1", "l" or "|": after an amount, with only words (a nature) after it
        for j in range(1, len(rest)):
            if rest[j].bare in {"1", "l", "|"} and rest[j - 1].kind is AtomKind.NUMBER and all(a.kind is AtomKind.TEXT for a in rest[j + 1 :]):
                di_index, form_read_as = j, "I"
                break
    out: list[Entity] = []
    numeric = rest[:di_index] if di_index is not None else rest
    numeric = [a for a in numeric if a.kind in (AtomKind.NUMBER, AtomKind.FOOTNOTE, AtomKind.DOLLAR, AtomKind.DASH)]
    if with_price:
        price, follow = _split_price_following(numeric)
        if e := _value_entity(F.PRICE, price, text, alts):
            out.append(e)
    else:
        follow = numeric
    if e := _value_entity(F.OWNED_FOLLOWING, follow, text, alts):
        out.append(e)
    if di_index is not None:
        di = rest[di_index]
        if form_read_as:
            out.append(_ent(F.OWNERSHIP_FORM, [di], text, form_read_as, 0.6, ("an OCR-garbled I",)))
        else:
            out.append(_ent(F.OWNERSHIP_FORM, [di], text, di.bare, 0.95))
        nature = [a for a in rest[di_index + 1 :] if a.kind is not AtomKind.DASH]
        while nature and nature[-1].kind is AtomKind.FOOTNOTE:  # its marks are the row's footnotes
            nature.pop()
        if any(a.kind in (AtomKind.TEXT, AtomKind.LETTER) for a in nature):
            # the cell as printed (numbers and hyphens kept: "Venture 2010-Seed Fund"), marks dropped
            value = _cell_words(text[nature[0].start : nature[-1].end])
            out.append(_ent(F.NATURE, nature, text, value, 0.85))
    cur.i = len(cur.atoms)
    return out


def _parse_table1(text: str, cur: _Cursor, is_transaction: bool):
    alts: dict[str, tuple[Candidate, ...]] = {}
    out: list[Entity] = []
    if is_transaction:
        out += _dates(text, cur, (F.TXN_DATE, F.DEEMED_DATE))
        if code := _code(text, cur):
            out.append(code)
        shares = _numbers_until(cur, lambda a: a.kind is AtomKind.LETTER and a.bare in {"A", "D"})
        if e := _value_entity(F.SHARES, shares, text, alts):
            out.append(e)
        if ad := _letter(cur, {"A", "D"}):
            out.append(_ent(F.ACQ_DISP, [ad], text, ad.bare, 0.95))
        out += _tail(text, cur, alts, with_price=True)
    else:
        out += _tail(text, cur, alts, with_price=False)
    return out, alts


def _date_or_mark(text: str, cur: _Cursor, label: str) -> Entity | None:
    a = cur.peek()
    if a is None:
        return None
    if a.kind is AtomKind.DATE:
        cur.take()
        return _ent(label, [a], text, a.bare, 0.9)
    if a.kind is AtomKind.FOOTNOTE:
        cur.take()
        return _ent(label, [a], text, None, 0.85, ("value given only as a footnote",))
    if a.kind is AtomKind.TEXT and re.match(r"\(?[@©®Q0O]?\)$", a.bare):  # a mark OCR could not read: "Q)", "@)"
        cur.take()
        return _ent(label, [a], text, None, 0.5, ("value given only as a footnote (mark unreadable)",))
    if a.kind is AtomKind.TEXT and re.match(r"(?i)immed|\(?\d+\)?$|n/?a|none|various", a.bare):
        cur.take()
        return _ent(label, [a], text, None, 0.6, ("date printed as words",))
    return None


def _spaced_mark_before_single_date(cur: _Cursor) -> Atom | None:
    """The footnote mark printed after the amount, when only one date follows before the title."""
    prev = cur.atoms[cur.i - 1] if cur.i else None
    nxt, after = cur.peek(), cur.peek(1)
    if prev is None or prev.kind is not AtomKind.NUMBER or nxt is None or nxt.kind is not AtomKind.DATE:
        return None
    if after is not None and after.kind not in (AtomKind.TEXT, AtomKind.LETTER):
        return None
    m = re.search(r"\d\s+(\(\d{1,2}\))$", prev.text)
    if not m:
        return None
    start = prev.start + m.start(1)
    return Atom(AtomKind.FOOTNOTE, start, prev.end, m.group(1), prev.cell, split_footnotes(m.group(1))[1])


def _parse_table2(text: str, cur: _Cursor, is_transaction: bool):
    alts: dict[str, tuple[Candidate, ...]] = {}
    out: list[Entity] = []
    conv = _numbers_until(cur, lambda a: a.kind in (AtomKind.DATE, AtomKind.TEXT, AtomKind.LETTER))
    if e := _value_entity(F.CONV_PRICE, conv[:2] if len(conv) > 1 and not is_transaction else conv, text, alts):
        out.append(e)
    if is_transaction:
        out += _dates(text, cur, (F.TXN_DATE, F.DEEMED_DATE))
        if code := _code(text, cur):
            out.append(code)
        shares = _numbers_until(
            cur, lambda a: a.kind in (AtomKind.DATE, AtomKind.TEXT) or (a.kind is AtomKind.FOOTNOTE)
        )
        if e := _value_entity(F.SHARES, shares, text, alts):
            out.append(e)
        if ad := _letter(cur, {"A", "D"}):
            out.append(_ent(F.ACQ_DISP, [ad], text, ad.bare, 0.9))
    labels: tuple[str, ...] = (F.EXERCISE_DATE, F.EXPIRATION_DATE)
    if is_transaction and (mark := _spaced_mark_before_single_date(cur)):
        # "424 (1) 01/13/2032 Common Stock": the mark is the exercisable date's, not the amount's
        out.append(_ent(F.EXERCISE_DATE, [mark], text, None, 0.7, ("value given only as a footnote",)))
        labels = (F.EXPIRATION_DATE,)
    for label in labels:
        if e := _date_or_mark(text, cur, label):
            out.append(e)
    under: list[Atom] = []
    while not cur.done and (
        cur.peek().kind is AtomKind.TEXT
        or (cur.peek().kind is AtomKind.LETTER and cur.peek(1) is not None and cur.peek(1).kind is AtomKind.TEXT)
    ):
        under.append(cur.take())
    if under:
        out.append(_ent(F.UNDERLYING_TITLE, under, text, " ".join(a.bare for a in under), 0.85))
    rest_numeric = [a for a in cur.atoms[cur.i :] if a.kind is not AtomKind.TEXT]
    di_pos = [k for k, a in enumerate(rest_numeric) if a.kind is AtomKind.LETTER and a.bare in {"D", "I"}]
    numeric = rest_numeric[: di_pos[-1]] if di_pos else rest_numeric
    values = [a for a in numeric if a.kind in (AtomKind.NUMBER, AtomKind.FOOTNOTE, AtomKind.DOLLAR)]
    if values:
        first = values[0]
        if first.kind is AtomKind.NUMBER and not first.bare.startswith("$") and (len(values) >= 3 or not is_transaction):
            out.append(_ent(F.UNDERLYING_SHARES, [first], text, first.bare, 0.85))
            cur.i = cur.atoms.index(first) + 1
    out += _tail(text, cur, alts, with_price=is_transaction)
    return out, alts
