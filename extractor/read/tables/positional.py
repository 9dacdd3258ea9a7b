"""Positional tables (``pdftotext -layout`` and the like): columns kept by runs of spaces.

A row's values stand on one line; the text-only lines around it (wrapped titles and
natures, cut by the column width) are kept aside and given to rows by position at the end:
converters print a blank line between rows, a wrapped cell is centred on its row's values,
and each wrapped word joins the text column it stands under.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...form import fields as F
from ...form import evidence as E
from ...entities import Entity, RowEntities
from ..grammar import parse_row
from ..layout import BLANK_LINE, Atom, AtomKind, Line, TextIndex
from ...form.normalize import split_footnotes
from ...form.ocr import drop_ocr_mark
from .common import TableReader, is_column_heading, join_lines

FAMILY = "positional"
_TEXT_ROW_LABELS = (F.SECURITY_TITLE, F.UNDERLYING_TITLE, F.NATURE)
#: A text-only line kept aside: (its index, the line, its atoms).
Loose = tuple[int, Line, list[Atom]]
#: A row as the reader holds it: (index of its values line, the row, that line).
PlacedRow = tuple[int, RowEntities, Line]


def is_positional(lines: list[Line]) -> bool:
    """``pdftotext -layout``-like: columns kept by runs of spaces (or a line indented to its
    column), no tabs or pipes."""
    tabled = sum("\t" in ln.text or ln.text.count("|") >= 2 for ln in lines)
    if not lines or tabled > max(1, len(lines) // 10):  # a stray "|" is an OCR slip, not a table
        return False
    # a wrapped cell's line stands under its column, far from the left margin, with no other cell
    spaced = sum("    " in ln.text.strip() or ln.text.lstrip("\f").startswith(" " * 8) for ln in lines)
    return spaced >= max(1, len(lines) // 3)



class PositionalReader(TableReader):
    def __init__(self, name: str, index: TextIndex, lines: list[Line]) -> None:
        super().__init__(name, index, lines)
        self.loose: list[Loose] = []  # text-only lines, given to rows at the end
        self.headers: list[int] = []  # indices of column-header lines
        self.after_header: set[int] = set()  # text between a repeated page header and the next row
        self.sides: tuple[float, float] | None = None  # where Table II's (A) and (D) headings stand
        self.page_head = False  # after a page's foot, before the table's headings or rows go on

    def header_line(self, index: int, line: Line) -> None:
        self.in_header, self.page_head = True, False
        k = index - 1
        while self.rows and self.loose and self.loose[-1][0] == k and is_column_heading(self.loose[-1][1].text):
            # headings printed above the line that names the columns ("Amount of Securities  Nature of")
            self.after_header.discard(self.loose.pop()[0])
            k -= 1
        self.headers.append(index)
        if self.name == "II" and (m := _SIDE_HEADINGS.search(line.text)):
            self.sides = ((m.start(1) + m.end(1)) / 2, (m.start(2) + m.end(2)) / 2)

    def page_line(self, index: int, line: Line) -> None:
        self.headers.append(index)  # a page's foot or head: a page break between the rows around it
        self.page_head = self.below_header = bool(self.rows)  # what follows: a cell the break cut, or headings

    def text_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        if self.in_header and self.rows and not is_column_heading(line.text):
            # under a repeated page header, text that is no heading goes on with the table: a cell the page break cut
            self.in_header, self.below_header = False, True
        if self.in_header or (self.page_head and is_column_heading(line.text)):
            return  # words of the column headers (repeated on a new page, some above the line that names a column)
        self.loose.append((index, line, atoms))
        if self.below_header:
            self.after_header.add(index)

    def data_line(self, index: int, line: Line, atoms: list[Atom]) -> None:
        if self._continues_right(index, line, atoms):
            return
        if self.rows and _two_line_cells(self.rows[-1][1], line, atoms, self.text):
            self.text_line(index, line, atoms)
            return
        self.in_header, self.below_header, self.page_head = False, False, False
        row = parse_row(self.name, self.text, atoms, need_title=False)  # the title may be wholly on wrapped lines
        if row is not None:
            self.rows.append((index, _side_by_column(row, line, self.sides, self.text), line))
            self.last_atoms = atoms

    def _continues_right(self, index: int, line: Line, atoms: list[Atom]) -> bool:
        """A row's right-hand columns printed a line or two lower than its left-hand ones
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
        self.last_atoms = self.last_atoms + atoms
        return True

    def finish(self) -> list[RowEntities]:
        return _join_wrapped(self.rows, self.loose, self.text, self.headers, self.after_header)


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

    apart = lambda x, y: _apart(text, x, y)  # noqa: E731
    align = _alignment(table_rows, loose, headers, after_header, text)
    for item in sorted(loose, key=lambda it: it[0]):
        index, line, _ = item
        after = next((k for k, r in enumerate(table_rows) if r[0] > index), None)
        before = after - 1 if after is not None else len(table_rows) - 1
        if after is None or before < 0:
            k = before if after is None else after
        else:
            (a_index, _, a_line), (b_index, _, b_line) = table_rows[before], table_rows[after]
            page_break = any(index < h < b_index for h in headers)
            indirect = _indirect_of(item, table_rows[before], table_rows[after], text)
            if page_break or (apart(b_line, line) and not apart(a_line, line)):
                k = before
            elif apart(a_line, line) and not apart(b_line, line):
                k = after
            elif indirect is not None:
                k = before if indirect == 0 else after
            elif align != MIDDLE:
                k = before if align == TOP else after
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
        spill = cut if align == TOP else [] if align == BOTTOM else cut[: max(0, len(cut) - max(below, 1))]
        wrapped[k] = [it for it in wrapped[k] if it not in spill]
        wrapped[k - 1].extend(spill)
    return [_continue_row(row, main, wrapped[k], main_index, text, after_header) for k, (main_index, row, main) in enumerate(table_rows)]



#: Table II's column 5 prints the amount under "(A)" or under "(D)", no letter.
_SIDE_HEADINGS = re.compile(r"(\(A\))\s+(\(D\))")


def _side_by_column(row: RowEntities, line: Line, sides: tuple[float, float] | None, text: str) -> RowEntities:
    """A Table II amount's side by the column it stands in: nearer the "(A)" heading or the "(D)"
    one (by at least 3 characters; else the code's usual side stands)."""
    shares = row.get(F.SHARES)
    if sides is None or shares is None or row.get(F.ACQ_DISP) is not None or not line.start <= shares.start < line.end:
        return row
    x = (_column(text, shares.start) + _column(text, shares.start) + len(split_footnotes(shares.text)[0])) / 2
    to_a, to_d = abs(x - sides[0]), abs(x - sides[1])
    if abs(to_a - to_d) < 3:
        return row
    side = "A" if to_a < to_d else "D"
    return replace(row, entities=row.entities + (Entity(F.ACQ_DISP, shares.start, shares.end, shares.text, E.IN_BOX, value_text=side),))


#: Table II's cells that print two values over two lines: column 6 "Date Exercisable and
#: Expiration Date", column 7 "Title and Amount of Underlying Securities".
_TWO_LINE_CELLS = (F.EXERCISE_DATE, F.EXPIRATION_DATE, F.UNDERLYING_TITLE, F.UNDERLYING_SHARES)


def _two_line_cells(row: RowEntities, line: Line, atoms: list[Atom], text: str) -> bool:
    """A line whose values all stand under a Table II row's columns 6 and 7 and that has no
    code and no ownership letter (every row prints its D/I): the second lines of the row's
    two-value cells ("01/15/2033" under "03/01/2024", "500" under "Common Stock"), no row."""
    if row.table != "II" or any(a.kind is AtomKind.LETTER for a in atoms):
        return False
    spans = [(_column(text, e.start), _column(text, e.end)) for e in row.entities if e.label in _TWO_LINE_CELLS]
    values = [a for a in atoms if a.kind in (AtomKind.NUMBER, AtomKind.DATE)]
    return bool(spans) and all(
        any(x0 - 2 <= a.start - line.start and a.end - line.start <= max(x1, x0 + 12) + 2 for x0, x1 in spans) for a in values
    )


TOP, MIDDLE, BOTTOM = "top", "middle", "bottom"


def _apart(text: str, x: Line, y: Line) -> bool:
    """A blank line between two lines."""
    lo, hi = (x, y) if x.start < y.start else (y, x)
    return bool(BLANK_LINE.search(text, lo.end, hi.start))


def _alignment(table_rows: list[PlacedRow], loose: list[Loose], headers: list[int], after_header: set[int], text: str) -> str:
    """How the table's cells sit in their rows, from the lines only one row can own.

    A cell is aligned the same way in every row of a printed table. Text before the first row
    of the table (under its column headers), or set off by a blank line from the row above and
    touching the row below, or in the nature column between a direct row above and an indirect
    row below, is wrapped *above* its row's values; text after the last row, or
    before a repeated page header, or touching the row above and set off from the row below,
    is wrapped *below* them (lines under a repeated page header tell neither: a cell the page
    break cut, or text above the next row). Lines only below: top-aligned cells (each wrapped line is the row
    above's); only above: bottom-aligned; both or neither: centred.
    """
    up = down = False
    first, last = table_rows[0][0], table_rows[-1][0]
    for index, line, atoms in loose:
        after = next((k for k, r in enumerate(table_rows) if r[0] > index), None)
        if index < first:
            up = True
        elif index > last or any(index < h < table_rows[after][0] for h in headers):
            down = True
        elif index in after_header:
            continue  # under a repeated page header: a cell the page break cut, or text above the next row
        else:
            a_line, b_line = table_rows[after - 1][2], table_rows[after][2]
            indirect = _indirect_of((index, line, atoms), table_rows[after - 1], table_rows[after], text)
            up = up or (_apart(text, a_line, line) and not _apart(text, b_line, line)) or indirect == 1
            down = down or (_apart(text, b_line, line) and not _apart(text, a_line, line)) or indirect == 0
    if down and not up:
        return TOP
    if up and not down:
        return BOTTOM
    return MIDDLE


def _line_of(text: str, offset: int) -> int:
    """The offset where the line holding ``offset`` starts."""
    return text.rfind("\n", 0, offset) + 1


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1)


def _indirect_of(item: Loose, above: PlacedRow, below: PlacedRow, text: str) -> int | None:
    """Which of two rows (0: above, 1: below) a line in the nature column must belong to.

    The form asks the nature of ownership of indirect holdings only (column 7 of Table I, 11
    of Table II): a line wholly right of both rows' D/I letters, between a direct row and an
    indirect one, is the indirect row's.
    """
    _, line, atoms = item
    forms = [row.get(F.OWNERSHIP_FORM) for _, row, _ in (above, below)]
    if None in forms or not atoms:
        return None
    letters = [f.value_source for f in forms]
    if sorted(letters) != ["D", "I"]:
        return None
    if atoms[0].start - line.start <= max(_column(text, f.end) for f in forms):
        return None
    return letters.index("I")


def _own_words(entity: Entity) -> str:
    """A cell's words on the row's values line, before the reading of that line alone tidied
    them: a title's closing ")" ("to buy)") looks like a lost mark's until its wrapped start
    ("Stock Option (right") is joined to it."""
    printed = split_footnotes(entity.text)[0]
    if entity.label != F.NATURE and printed == f"{entity.value_source})":
        return printed
    return entity.value_source


def _stacked_dates(row: RowEntities, atom: Atom, x0: int, x1: int, text: str) -> dict[str, Entity]:
    """A date wrapped under the row's one date of column 6: the page prints "Date Exercisable and
    Expiration Date" in one cell, the exercisable date above the expiration date; {} if not."""
    dates = [e for e in (row.get(F.EXERCISE_DATE), row.get(F.EXPIRATION_DATE)) if e is not None]
    if len(dates) != 1 or dates[0].value_text is None:
        return {}
    above = dates[0]
    a0 = _column(text, above.start)
    if not (a0 - 2 <= x0 and x1 <= a0 + len(above.text) + 2):
        return {}
    exercisable = Entity(F.EXERCISE_DATE, above.start, above.end, above.text, above.score, value_text=above.value_text)
    expiration = Entity(F.EXPIRATION_DATE, atom.start, atom.end, atom.text, E.JOINED, value_text=atom.bare)
    return {F.EXERCISE_DATE: exercisable, F.EXPIRATION_DATE: expiration}


def _continue_row(row: RowEntities, main: Line, wrapped: list[tuple[int, Line, list[Atom]]], main_index: int, text: str,
                  after_break: set[int] = frozenset()) -> RowEntities:  # type: ignore[assignment]
    """Join wrapped lines' words to the text cell at their horizontal position (above, then below).
    Lines a page break cut off below the row (``after_break``) go on with the cell that was
    wrapping when the page ended: the next page sets its columns elsewhere."""
    if not wrapped:
        return row
    # columns by position in each entity's own line (a row may stand on two lines: _continues_right)
    col = lambda offset: _column(text, offset)  # noqa: E731
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
    amounts: dict[str, Entity] = {e.label: e for e in row.entities if e.label == F.UNDERLYING_SHARES}
    ids = list(row.footnote_ids)
    wrapping: set[str] = set()  # the cells the last line below the row went on
    for index, line, atoms in sorted(wrapped, key=lambda w: w[0]):
        target = before if index < main_index else after
        if index > main_index and index in after_break and len(wrapping) == 1:
            # one cell was still wrapping when the page ended: the next page's lines go on with it
            (cell,) = wrapping
            for atom in atoms:
                ids.extend(f for f in atom.footnote_ids if f not in ids)
            target.setdefault(cell, []).extend(a for a in atoms if a.kind is not AtomKind.FOOTNOTE)
            continue
        if index > main_index:
            wrapping = set()
        for atom in atoms:
            x0, x1 = atom.start - line.start, atom.end - line.start
            for fid in atom.footnote_ids:
                if fid not in ids:
                    ids.append(fid)
            if atom.kind is AtomKind.DATE and index > main_index and (stacked := _stacked_dates(row, atom, x0, x1, text)):
                amounts.update(stacked)  # "Date Exercisable and Expiration Date" printed in one cell, one above the other
                continue
            if atom.kind is AtomKind.FOOTNOTE or any(n0 - 1 <= x0 and x1 <= n1 + 1 for n0, n1 in numeric):
                continue  # a mark, or something under a number: not wrapped text
            label = min(cells, key=lambda lb: 0 if cells[lb][0] - 2 <= x0 <= cells[lb][1] + 12 else abs(x0 - cells[lb][0]))
            if not (cells[label][0] - 2 <= x0 <= cells[label][1] + 12) and abs(x0 - cells[label][0]) > 40:
                continue
            if label == F.UNDERLYING_TITLE and atom.kind is AtomKind.NUMBER and F.UNDERLYING_SHARES not in amounts:
                # column 7 is "Title and Amount of Underlying Securities": the amount wrapped under the title
                amounts[F.UNDERLYING_SHARES] = Entity(F.UNDERLYING_SHARES, atom.start, atom.end, atom.text, E.JOINED, value_text=atom.bare)
                continue
            target.setdefault(label, []).append(atom)
            if target is after:
                wrapping.add(label)
    entities = {e.label: e for e in row.entities} | amounts
    for label in set(before) | set(after):
        parts = before.get(label, []) + ([entities[label]] if label in entities else []) + after.get(label, [])
        words: list[str] = []
        for k, p in enumerate(parts):
            word = _own_words(p) if isinstance(p, Entity) else p.bare
            glued = k and isinstance(p, Atom) and isinstance(parts[k - 1], Atom) and parts[k - 1].end == p.start
            if glued and words:
                words[-1] += word  # "2010" + "-Seed": one printed word
            elif words and _line_of(text, parts[k - 1].end) != _line_of(text, p.start):
                words.append(join_lines(words.pop(), word))  # the cell's next line: "2010-" / "Seed"
            else:
                words.append(word)
        first, last = parts[0], parts[-1]
        score = entities[label].score if label in entities else E.FALLBACK
        value = " ".join(words) if label == F.NATURE else drop_ocr_mark(" ".join(words))
        entities[label] = Entity(label, first.start, last.end, text[first.start : last.end], score, value_text=value)
    return replace(row, entities=tuple(entities.values()), footnote_ids=tuple(ids))

