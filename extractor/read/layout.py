"""Lines, cells and atoms of flattened text, every piece with offsets into the original.

Converters separate table cells with tabs (pdf-to-text), pipes (markdown),
runs of spaces (``pdftotext -layout``) and ``<br>`` inside a cell. This module
turns all of them into one shape: ``Line`` -> ``Cell`` -> ``Atom``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import Enum

from ..form.normalize import DATE_SHAPE, split_footnotes
from ..form.ocr import cut_mark


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    text: str
    column: int

    @property
    def plain(self) -> str:
        """Cell text without tags, ``<br>`` as a newline."""
        text = _BR.sub("\n", self.text)
        text = _TAG.sub(" ", text)
        return text.replace("\\$", "$").replace("\\*", "*").strip()


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    cells: tuple[Cell, ...]

    @property
    def is_markdown_rule(self) -> bool:
        return "--" in self.text and bool(_MD_RULE.match(self.text))  # (the pattern backtracks on long space runs)


_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<(?!input)/?[a-zA-Z][^>]*>")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"\t+| {2,}")


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Lines of ``text[start:end]`` with their cells.

    >>> [c.text for c in split_lines("a\\tb  c\\n| d | e |")[1].cells]
    ['d', 'e']
    """
    end = len(text) if end is None else end
    lines: list[Line] = []
    pos = start
    for raw in text[start:end].split("\n"):
        line_end = pos + len(raw)
        lines.append(Line(pos, line_end, raw, tuple(_cells(raw, pos))))
        pos = line_end + 1
    return lines


def _cells(raw: str, offset: int) -> list[Cell]:
    stripped = raw.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if _MD_RULE.match(raw):
            return []
        pieces = _split_keep_offsets(raw, re.compile(r"(?<!\\)\|"))
    else:
        pieces = _split_keep_offsets(raw, _CELL_SPLIT)
    cells = []
    for column, (s, e) in enumerate(pieces):
        chunk = raw[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        cells.append(Cell(offset + s + lead, offset + s + trail, chunk.strip(), column))
    # Leading/trailing pipes give empty first/last pieces: drop those two only.
    if stripped.startswith("|") and cells and not cells[0].text:
        cells = cells[1:]
    if stripped.endswith("|") and cells and not cells[-1].text:
        cells = cells[:-1]
    return [Cell(c.start, c.end, c.text, i) for i, c in enumerate(cells)]


def _split_keep_offsets(raw: str, sep: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in sep.finditer(raw):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(raw)))
    return spans


# ---------------------------------------------------------------- atoms
class AtomKind(str, Enum):
    DATE = "date"
    NUMBER = "number"
    LETTER = "letter"
    FOOTNOTE = "footnote"  # a footnote mark standing alone: the value is only a footnote
    DOLLAR = "dollar"  # a lone "$" (the number follows in the next cell)
    DASH = "dash"
    TEXT = "text"


@dataclass(frozen=True)
class Atom:
    kind: AtomKind
    start: int
    end: int
    text: str  # raw text, footnote marks included
    cell: int  # index of the cell in its line
    footnote_ids: tuple[str, ...] = ()

    @property
    def bare(self) -> str:
        """Text without footnote marks and markup."""
        return split_footnotes(_TAG.sub(" ", self.text).replace("\\$", "$"))[0].strip("_")  # OCR's underline: "D_"


_FOOT = r"(?:<sup>\s*\(?\d{1,2}\)?\s*</sup>|\(\d{1,2}\)|\[\d{1,2}\]|⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}⁾)"
_ATOM = re.compile(
    rf"(?P<date>{DATE_SHAPE}(?:\s*{_FOOT})*)"
    rf"|(?P<number>(?:\\?\$\s?)?[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s*{_FOOT})*)"
    rf"|(?P<footnote>{_FOOT}(?:\s*{_FOOT})*)"
    r"|(?P<dollar>\\?\$)"
    r"|(?P<tag><[^<>]*>)"  # (a tag never holds "<": a run of "<" stays linear)
    r"|(?P<dash>[-–—]+(?=\s|$))"
    r"|(?P<word>[^\s<|]+)"
)


def atoms_of(text: str, cells: tuple[Cell, ...]) -> list[Atom]:
    """Atoms of the given cells of ``text`` (offsets into ``text``).

    >>> t = "Common Stock\\t10/26/2023\\tA\\t45,551 ⁽¹⁾\\t\\\\$0.00"
    >>> [(a.kind.value, a.bare) for a in atoms_of(t, split_lines(t)[0].cells)]
    [('text', 'Common'), ('text', 'Stock'), ('date', '10/26/2023'), ('letter', 'A'), ('number', '45,551'), ('number', '$0.00')]
    """
    out: list[Atom] = []
    for cell in cells:
        taken = cell.start  # an atom may take a character past its match (a lost mark's ")")
        for m in _ATOM.finditer(text, cell.start, cell.end):
            kind = m.lastgroup
            if kind == "tag" or m.start() < taken:
                continue
            raw = m.group(0)
            start, end = m.start(), m.end()
            _, ids = split_footnotes(raw)
            if kind == "number" and text[end : end + 1] == ")" and text[start - 1 : start] != "(":
                if re.fullmatch(r"[1-9]", raw):  # "I 8)": a mark whose "(" OCR lost
                    kind, raw, ids = "footnote", f"({raw})", (f"F{raw}",)
                else:
                    raw, ids = cut_mark(raw, ids)
                end += 1
            if kind == "word":
                # "C(1)": a code letter with its footnote mark glued on is still a letter; so is OCR's "D_"
                atom_kind = AtomKind.LETTER if re.fullmatch(r"[A-Z]", split_footnotes(raw)[0].strip(" _")) else AtomKind.TEXT
            else:
                atom_kind = AtomKind(kind)
            out.append(Atom(atom_kind, start, end, raw, cell.column, ids))
            taken = end
    return out


_NEWLINE = re.compile("\n")


class TextIndex:
    """Lines, cells and atoms of one text, each computed once and shared by every reader.

    The header boxes, the table readers, the grouping of the model's entities and the
    cell-stream dealer all ask this index (``Sections.index``) for the lines of a span and the
    atoms of a line, so a text is split once however many readers look at it.

    >>> index = TextIndex("a\\tb\\n1,000 D")
    >>> index.lines(0, 11) is index.lines(0, 11), [a.bare for a in index.atoms(index.lines(0, 11)[1].cells)]
    (True, ['1,000', 'D'])
    >>> index.line_of(5), index.footnote_ids(0, 11)
    (1, ())
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[tuple[int, int], list[Line]] = {}
        self._atoms: dict[tuple[Cell, ...], list[Atom]] = {}
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """Where each line starts (computed when first asked: only the model's row grouping asks)."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        return self._starts

    def lines(self, start: int, end: int) -> list[Line]:
        """``split_lines`` of ``text[start:end]``."""
        key = (start, end)
        if key not in self._lines:
            self._lines[key] = split_lines(self.text, start, end)
        return self._lines[key]

    def atoms(self, cells: tuple[Cell, ...]) -> list[Atom]:
        """``atoms_of`` the given cells."""
        if cells not in self._atoms:
            self._atoms[cells] = atoms_of(self.text, cells)
        return self._atoms[cells]

    def line_of(self, offset: int) -> int:
        """The number of the line holding ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def footnote_ids(self, start: int, end: int) -> tuple[str, ...]:
        """Every footnote mark printed in ``text[start:end]``, in order, without repeats."""
        ids: list[str] = []
        for line in self.lines(start, end):
            for atom in self.atoms(line.cells):
                ids += [f for f in atom.footnote_ids if f not in ids]
        return tuple(ids)


# ---------------------------------------------------------------- prose view
BLANK_LINE = re.compile(r"\n[ \t]*\n")  # converters print one between table rows and between paragraphs
_PROSE_BLANK = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}[-:| \t]*$|<[^>]*>|(?<!\\)\|", re.M)


def blank_markup(text: str) -> str:
    """A same-length view of ``text`` with tags, table pipes and markdown rules blanked.

    For reading prose (footnotes, remarks, signatures) that a converter put inside table
    cells: offsets are unchanged, so spans found in the view are spans of ``text``.

    >>> v = blank_markup("| <span>1.</span> <span>Sold.</span> |")
    >>> len(v) == len("| <span>1.</span> <span>Sold.</span> |"), v.split()
    (True, ['1.', 'Sold.'])
    """
    view = _PROSE_BLANK.sub(lambda m: " " * len(m.group(0)) if "\n" not in m.group(0) else re.sub(r"[^\n]", " ", m.group(0)), text)
    return view.replace("\xa0", " ").replace("\f", " ").replace("\v", " ")  # no-break spaces, page breaks


# ---------------------------------------------------------------- HTML tables in text
_HTML_TABLE_TAG = re.compile(r"</?(?:table|tbody|thead|tfoot|tr|td|th|colgroup|col|span|em|strong|div|p)\b[^>]*>", re.I)
_ROW_OPEN = re.compile(r"<tr\b", re.I)
_CELL_OPEN = re.compile(r"<t[dh]\b", re.I)


def flatten_html_tables(text: str) -> str:
    """A same-length view of ``text`` in which raw HTML tables read as lines of tab-separated cells.

    Converters such as pandoc leave complex tables as HTML. Each ``<tr>`` starts a line,
    each ``<td>``/``<th>`` a tab-separated cell, other structural tags become spaces and
    line breaks inside a row become spaces (inline ``span``/``em``/``strong`` tags no-break
    spaces, so they do not split a cell). Offsets are unchanged, so every span found in
    the view is a span of the original text. ``<u>``, ``<sup>``, ``<br>`` and
    ``<input>`` stay: they carry meaning.

    >>> html = "<tr>\\n<td>Common Stock</td>\\n<td>10/26/2023</td><td>A</td>\\n</tr>"
    >>> v = flatten_html_tables(html)
    >>> len(v) == len(html), v.split(), v.index("Common") == html.index("Common")
    (True, ['Common', 'Stock', '10/26/2023', 'A'], True)
    """
    if len(_CELL_OPEN.findall(text)) < 3:
        return text
    out = list(text)
    depth = 0
    pos = 0
    for m in _HTML_TABLE_TAG.finditer(text):
        if depth > 0:  # inside a row: its line breaks are spaces
            for i in range(pos, m.start()):
                if out[i] == "\n":
                    out[i] = " "
        tag = m.group(0)
        low = tag.lower()
        # inline tags become no-break spaces: "Issuer Name <strong>and</strong> Ticker" stays one cell
        fill = ["\xa0" if re.match(r"</?(?:span|em|strong)\b", low) else " "] * len(tag)
        if low.startswith("<tr"):
            fill[0] = "\n"
            depth += 1
        elif low.startswith("</tr"):
            depth = max(0, depth - 1)
        elif _CELL_OPEN.match(tag):
            fill[0] = "\t"
        out[m.start() : m.end()] = fill
        pos = m.end()
    return "".join(out)


# ---------------------------------------------------------------- grid tables (reStructuredText)
_GRID_BORDER = re.compile(r"^(\s*)\+(?:[-=]+\+)+\s*$")
_RST_SUP = re.compile(r"\\?\s*:sup:`([^`]*)`")


def unwrap_grid_tables(text: str) -> str:
    """Grid tables (reStructuredText, as pandoc writes them) as lines of tab-separated cells.

    A grid table wraps every cell's text inside its column, word by word and, where a word is
    wider than the column, letter by letter: read by line, "Table I - Non-Derivative" is gone.
    Each row between ``+---+`` borders becomes one line; a cell's lines are joined, without a
    space where the line above filled its column and the next goes on in lower case, a digit or
    after a hyphen or slash ("C"/"ommon", "46,"/"780", "Non-"/"Derivative"), and a table nested
    in a cell is unwrapped into it. Unlike the other views this one changes the text's length: the whole extraction
    reads it (``pipeline.extract_text``).

    >>> grid = "+------+-----+\\n| Comm | 10/ |\\n| on   | 26/ |\\n| Stock| 2023|\\n+------+-----+"
    >>> unwrap_grid_tables(grid).split("\\t")
    ['Common Stock', '10/26/2023']
    """
    if "+-" not in text or not any(_GRID_BORDER.match(ln) for ln in text.split("\n")):
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        border = _GRID_BORDER.match(lines[i])
        if not border:
            out.append(lines[i])
            i += 1
            continue
        indent = len(border.group(1))
        j = i
        while j < len(lines) and (_GRID_BORDER.match(lines[j]) or lines[j][indent : indent + 1] == "|"):
            j += 1
        out.extend(_grid_rows([ln[indent:] for ln in lines[i:j]]))
        i = j
    return _RST_SUP.sub(r" \1", "\n".join(out)).replace("**", "")


def _grid_rows(block: list[str]) -> list[str]:
    rows: list[str] = []
    cuts: list[int] = []
    body: list[str] = []
    for line in block + ["+"]:
        if line.startswith("+") and (_GRID_BORDER.match(line) or line == "+"):
            if body and len(cuts) > 1:
                cells = [_cell_text([ln[a + 1 : b] for ln in body]) for a, b in zip(cuts, cuts[1:])]
                if any(cells):
                    rows.append("\t".join(cells))
            body = []
            cuts = [k for k, ch in enumerate(line) if ch == "+"]
        else:
            body.append(line)
    return rows


def _cell_text(slices: list[str]) -> str:
    if any(_GRID_BORDER.match(s.strip()) for s in slices):  # a table inside the cell
        return " ".join(" ".join(row.split()) for row in unwrap_grid_tables("\n".join(s.strip() for s in slices)).split("\n") if row.strip())
    text, cut = "", False
    for s in slices:
        part = s.strip()
        if not part:
            continue
        glued = cut and (part[0].islower() or part[0].isdigit() or text.endswith(("-", "/")))
        text = text + part if glued else (f"{text} {part}" if text else part)
        inner = s[:-1] if s.endswith(" ") else s  # the column's right padding
        cut = not inner.endswith(" ")  # this line filled its column: its last word goes on below
    return text
