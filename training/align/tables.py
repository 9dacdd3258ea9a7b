"""Placing the rows of a table: a window and a main line per row, text values by column and position."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from form4.form.fields import Kind

from .cells import _HEADING_NUMBERS, Cell, _offsets, heaviest_chain
from .hits import Fragment, Hit, Placement, _letter_variants, atom_hits
from .phrases import Phrase, PhraseFinder, PieceCheck
from .text import Taken, TokenIndex


# ---------------------------------------------------------------- placing a table
@dataclass
class RowState:
    """What is known about one row while its values are placed."""

    cells: list[Cell]
    placed: dict[int, tuple[Fragment, ...]] = field(default_factory=dict)  # col -> fragments
    main_line: int | None = None
    main_rank: int | None = None

    def spans(self) -> list[tuple[int, int, int]]:
        """(start, end, col) of every placed fragment."""
        return [(s, e, col) for col, frags in self.placed.items() for s, e in frags]


class TablePlacer:
    """Places the values of one table's rows inside the table's region."""

    def __init__(self, ix: TokenIndex, taken: Taken, finder: PhraseFinder) -> None:
        self.ix = ix
        self.taken = taken
        self.finder = finder
        self.columnar = False
        self.column_boxes: list[tuple[int, int, int, int]] = []

    def place(self, rows: list[list[Cell]], lo: int, hi: int) -> list[Placement]:
        if not rows:
            return []
        self.columnar = is_columnar(self.ix.text, lo, hi)
        noise = _heading_noise(self.ix.text, lo, hi)
        for row in rows:
            for cell in row:
                if cell.exp.is_atom:
                    cell.hits = [h for h in atom_hits(self.ix, cell.exp, lo, hi) if not _inside(h, noise)]
        row_major = [c for row in rows for c in row if c.exp.is_atom]
        by_rows = heaviest_chain(row_major, key=self._reading_key(lo, hi))
        by_columns = self._column_chains(rows)
        states = [RowState(row) for row in rows]
        if _column_major(row_major, by_rows, by_columns):
            return self._place_by_columns(states, by_columns, lo, hi)
        for k, hit in by_rows.items():
            cell = row_major[k]
            self._take(states[cell.row], cell, ((hit.start, hit.end),))
        return self._place_by_rows(states, lo, hi)

    def _reading_key(self, lo: int, hi: int) -> Callable[[Hit], tuple[int, int]]:
        """Reading position of a hit: its offsets, or (band, column) in columnar text.

        In ``pdftotext -layout`` output a cell printed in a bigger font can land
        one line below its row's other cells; adjacent lines whose words do not
        collide form one band, read left to right.
        """
        if not self.columnar:
            return _offsets
        ix = self.ix
        band = _bands(ix, ix.span(lo, hi))

        def key(hit: Hit) -> tuple[int, int]:
            i = ix.token_at(hit.start)
            x = ix.col[i]
            b = band.get(ix.line[i], 0) * 100_000
            return b + x, b + x + hit.end - hit.start

        return key

    # -------------------------------------------------------- row by row
    def _place_by_rows(self, states: list[RowState], lo: int, hi: int) -> list[Placement]:
        for state in states:
            self._prune(state)
            state.main_line = self._main_line(state)
            if state.main_line is not None:
                first = next(s for s, _, _ in state.spans() if self.ix.line[self.ix.token_at(s)] == state.main_line)
                state.main_rank = self.ix.rank[self.ix.token_at(first)]
        self.column_boxes = self._column_boxes(states) if self.columnar else []
        out = []
        for r, state in enumerate(states):
            w_lo = max([lo] + [e for s in states[:r] for _, e, _ in s.spans()])
            w_hi = min([hi] + [s0 for s in states[r + 1 :] for s0, _, _ in s.spans()])
            for cell in state.cells:
                if cell.col in state.placed:
                    continue
                frags = self._find_in_row(state, cell, w_lo, w_hi)
                if frags:
                    self._take(state, cell, frags)
            out += [self._placement(state, cell, "row") for cell in state.cells]
        return out

    def _prune(self, state: RowState) -> None:
        """Drop chain matches that cannot be the row's: far from its main line, or
        code letters of a row none of whose numbers and dates were found (OCR lost it)."""
        ix = self.ix
        main = self._main_line(state)
        anchored = any(not c.exp.kind is Kind.LETTER and c.col in state.placed for c in state.cells)
        for cell in state.cells:
            frags = state.placed.get(cell.col)
            if not frags or not cell.exp.is_atom:
                continue
            far = main is not None and abs(ix.line[ix.token_at(frags[0][0])] - main) > 1
            if far or (cell.exp.kind is Kind.LETTER and not anchored):
                self.taken.remove(*frags[0])
                del state.placed[cell.col]

    def _main_line(self, state: RowState) -> int | None:
        """The line holding the row's numbers, dates and letters (layout text; the
        bigger-font amount may sit one line off), or None when they spread (stream text)."""
        lines = [self.ix.line[self.ix.token_at(s)] for s, _, _ in state.spans()]
        if len(lines) < 2:
            return None
        line, count = Counter(lines).most_common(1)[0]
        if count >= 0.8 * len(lines) or (count >= 0.5 * len(lines) and all(abs(x - line) <= 1 for x in lines)):
            return line
        return None

    def _find_in_row(self, state: RowState, cell: Cell, w_lo: int, w_hi: int) -> tuple[Fragment, ...] | None:
        ix = self.ix
        ok = self._row_check(state, cell.col)
        if cell.exp.is_atom:
            if cell.exp.kind is Kind.LETTER and not any(c.col in state.placed for c in state.cells if c.exp.kind is not Kind.LETTER):
                return None  # nothing anchors the row: a lone letter could be anywhere
            hits = atom_hits(ix, cell.exp, w_lo, w_hi, fuzzy=True)
            if cell.exp.kind is Kind.LETTER and state.main_line is not None:
                hits += _letter_variants(ix, cell.exp.printed, w_lo, w_hi)
            for hit in sorted(hits, key=lambda h: (-h.quality, h.start)):
                i = ix.token_at(hit.start)
                if self.taken.free(hit.start, hit.end) and ok(hit.start, hit.end, i):
                    if state.main_line is None or abs(ix.line[i] - state.main_line) <= 1:
                        return ((hit.start, hit.end),)
            return None
        phrase, tokens = Phrase.of(cell.exp.printed), ix.span(w_lo, w_hi)
        match = self.finder.find(phrase, tokens, ok, state.main_rank, self.columnar)
        if match is None and not self.columnar and state.main_line is None:
            # lines may be page slices after all (tabbed layout, OCR): check order line by line only
            match = self.finder.find(phrase, tokens, self._row_check(state, cell.col, per_line=True))
        return match.fragments if match else None

    def _row_check(self, state: RowState, col: int, per_line: bool = False) -> PieceCheck:
        """May a fragment of column ``col`` go at ``text[start:end]`` (``i``: its last token)?

        It must be free and in column order against the row's placed cells: in text
        order for stream text; on its own line for layout rows, and where the text
        keeps the page's columns (``pdftotext -layout``) in horizontal position on
        every line, against this row's cells and the columns every row's numbers
        show on that page. Layout rows also keep their cells near the main line.
        """
        ix, taken, spans = self.ix, self.taken, state.spans()
        per_line = per_line or self.columnar or state.main_line is not None
        reach = len(state.cells) + 2
        lines = [ix.line[ix.token_at(s)] for s, _, _ in spans]
        boxes = [(*self._x_range(s, e), c, ix.page(s)) for s, e, c in spans] + self.column_boxes if self.columnar else []

        def ok(start: int, end: int, i: int) -> bool:
            if not taken.free(start, end):
                return False
            if state.main_rank is not None and abs(ix.rank[i] - state.main_rank) > reach:
                return False
            for (s, e, c), line in zip(spans, lines):
                if per_line and line != ix.line[i]:
                    continue
                if (c < col and start < e) or (c > col and end > s):
                    return False
            if boxes:
                x0, x1 = self._x_range(start, end)
                page = ix.page(start)
                for b0, b1, c, p in boxes:  # columns shift a little from page to page
                    if p == page and ((c < col and x0 < b1 - _X_SLACK) or (c > col and x1 > b0 + _X_SLACK)):
                        return False
            return True

        return ok

    def _column_boxes(self, states: list[RowState]) -> list[tuple[int, int, int, int]]:
        """(x0, x1, column, page): where each column's numbers, dates and letters print, per page."""
        boxes: dict[tuple[int, int], tuple[int, int]] = {}
        for state in states:
            for s, e, col in state.spans():
                x0, x1 = self._x_range(s, e)
                key = (col, self.ix.page(s))
                a, b = boxes.get(key, (x0, x1))
                boxes[key] = (min(a, x0), max(b, x1))
        return [(x0, x1, col, page) for (col, page), (x0, x1) in boxes.items()]

    def _x_range(self, start: int, end: int) -> tuple[int, int]:
        """Columns of ``text[start:end]`` on its line."""
        line_start = self.ix.text.rfind("\n", 0, start) + 1
        return start - line_start, end - line_start

    # -------------------------------------------------------- column by column (pdfminer)
    def _column_chains(self, rows: list[list[Cell]]) -> dict[Cell, Hit]:
        """Each column's cells matched in row order, columns in turn (no shared hits).

        Columns go left to right (pdfminer prints boxes of neighbouring cells row by
        row); among equally good chains a value prefers hits within three lines of
        its row's cells already placed. Code letters must stand alone.
        """
        used = Taken()
        out: dict[Cell, Hit] = {}
        ix = self.ix
        atoms = [c for row in rows for c in row if c.exp.is_atom]
        by_col: dict[int, list[Cell]] = {}
        for c in atoms:
            by_col.setdefault(c.col, []).append(c)
        order = sorted(by_col)
        row_lines: dict[int, list[int]] = {}

        def blocked(hit: Hit, letter: bool) -> bool:
            if not used.free(hit.start, hit.end):
                return True
            return letter and (ix.text[hit.start] == "|" or not _isolated(ix, ix.token_at(hit.start)))

        def near(cell: Cell, hit: Hit) -> float:
            line = ix.line[ix.token_at(hit.start)]
            return 0.01 if any(abs(line - other) <= 3 for other in row_lines.get(cell.row, ())) else 0.0

        for col in order:
            cells = by_col[col]
            letter = cells[0].exp.kind is Kind.LETTER
            chain = heaviest_chain(cells, lambda h: blocked(h, letter), bonus=lambda k, h: near(cells[k], h))
            for k, hit in chain.items():
                out[cells[k]] = hit
                used.add(hit.start, hit.end)
                row_lines.setdefault(cells[k].row, []).append(ix.line[ix.token_at(hit.start)])
        return out

    def _place_by_columns(self, states: list[RowState], chains: dict[Cell, Hit], lo: int, hi: int) -> list[Placement]:
        for cell, hit in chains.items():
            self._take(states[cell.row], cell, ((hit.start, hit.end),))
        columns = sorted({c.col for s in states for c in s.cells if not c.exp.is_atom})
        for col in columns:
            cursor = lo
            for state in states:
                cell = next((c for c in state.cells if c.col == col), None)
                if cell is None:
                    continue
                match = self.finder.find(Phrase.of(cell.exp.printed), self.ix.span(cursor, hi), lambda s, e, i: self.taken.free(s, e))
                if match:
                    self._take(state, cell, match.fragments)
                    cursor = match.fragments[-1][1]
        return [self._placement(state, cell, "column") for state in states for cell in state.cells]

    # -------------------------------------------------------- bookkeeping
    def _take(self, state: RowState, cell: Cell, frags: tuple[Fragment, ...]) -> None:
        for s, e in frags:
            self.taken.add(s, e)
        state.placed[cell.col] = frags

    def _placement(self, state: RowState, cell: Cell, how: str) -> Placement:
        frags = state.placed.get(cell.col)
        status = "placed" if frags else "missing"
        return Placement(cell.exp.pointer, cell.exp.label, cell.exp.printed, status, frags or (), how if frags else "")


_X_SLACK = 2
_WIDE_GAP = re.compile(r"\S {3,}\S")
_NOT_LAYOUT = re.compile(r"[|\t<]")


def is_columnar(text: str, lo: int, hi: int) -> bool:
    """Does the text keep the page's columns (cells apart by runs of spaces, no pipes, tabs or tags)?

    >>> is_columnar("a    b\\nc     d\\n", 0, 14), is_columnar("a b\\nc\\td\\n", 0, 8), is_columnar("| a    | b |", 0, 12)
    (True, False, False)
    """
    lines = [line for line in text[lo:hi].split("\n") if line.strip()]
    spaced = sum(bool(_WIDE_GAP.search(line)) and not _NOT_LAYOUT.search(line) for line in lines)
    return bool(lines) and spaced >= 0.3 * len(lines)


def _bands(ix: TokenIndex, tokens: range) -> dict[int, int]:
    """line -> band: a line joins the band above when it is adjacent and its words collide with none of the band's."""
    bands: dict[int, int] = {}
    band, occupied, last = -1, [], -2
    for line, group in itertools.groupby(tokens, key=lambda i: ix.line[i]):
        boxes = [(ix.col[i], ix.col[i] + ix.ends[i] - ix.starts[i]) for i in group]
        collides = any(a < d + 1 and c < b + 1 for a, b in boxes for c, d in occupied)
        if line != last + 1 or collides:
            band, occupied = band + 1, []
        occupied += boxes
        bands[line] = band
        last = line
    return bands


def _column_major(row_major: list[Cell], by_rows: dict[int, Hit], by_columns: dict[Cell, Hit]) -> bool:
    """Is the table printed column by column (pdfminer, merged markdown cells)?

    Yes when matching each column on its own places clearly more cells than one
    row-major chain (column chains only take code letters that stand alone).
    """
    in_rows, in_columns = len(by_rows), len(by_columns)
    return in_columns >= in_rows + max(2, 0.1 * in_rows)


def _isolated(ix: TokenIndex, i: int) -> bool:
    """Is token ``i`` a cell of its own (alone between line ends, markup, pipes or wide gaps)?"""

    def apart(a: int, b: int) -> bool:
        if a < 0 or b >= len(ix.toks) or ix.line[a] != ix.line[b]:
            return True
        return ix.toks[a][0] in "<|" or ix.toks[b][0] in "<|" or ix.starts[b] - ix.ends[a] >= 2

    return apart(i - 1, i) and apart(i, i + 1)


def _heading_noise(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _HEADING_NUMBERS.finditer(text, lo, hi)]


def _inside(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (hit.start, 1 << 60)) - 1
    return i >= 0 and spans[i][0] <= hit.start and hit.end <= spans[i][1]
