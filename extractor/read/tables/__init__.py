"""Table I and Table II rows, read by the reader of the table's layout.

Converters print a table in one of a few ways, and each way has its own reader, in a module
of its own with its own state:

- ``positional`` (``pdftotext -layout``): columns kept by runs of spaces; wrapped text given
  to rows by position at the end.
- ``reading-order`` (``pdftotext -raw``, pypdf, OCR lines) and ``markup`` (cells separated by
  tabs, pipes or HTML: markdown, ``<br>`` cells): a row's values on one line, wrapped text
  placed as the walk goes (the same reader: cells come in reading order).
- ``cell-stream`` (pdfminer, pdftotext's default mode): one cell per paragraph, rows and
  columns in the converter's box order. The rules read such a table as reading order; the
  model's labelled cells are dealt to rows (``cell_stream``), and those rows replace the rules'.

:func:`read_tables` decides the layout of each table from its text, once, and records it: the
model's cell dealing and sureness read it there, error analysis groups by it; every reader hands
its rows' atoms to ``grammar.parse_row``.
"""

from __future__ import annotations

from ...entities import RowEntities, TableReading
from ..layout import Line, split_lines  # noqa: F401  (layout_of's example)
from ..sections import Sections
from .cell_stream import looks_like_cell_stream
from .positional import PositionalReader, is_positional
from .reading_order import ReadingOrderReader

#: How a converter prints a table (the readers above).
LAYOUTS = ("positional", "reading-order", "markup", "cell-stream")


def layout_of(text: str, start: int, end: int, lines: list[Line]) -> str:
    """The layout of the table ``text[start:end]`` (its data lines ``lines``).

    >>> layout_of("Common Stock    10/26/2023    A    45,551", 0, 41, split_lines("Common Stock    10/26/2023    A    45,551"))
    'positional'
    """
    if is_positional(lines):
        return "positional"
    if looks_like_cell_stream(text, start, end):
        return "cell-stream"
    tabled = sum("\t" in ln.text or ln.text.count("|") >= 2 or "<" in ln.text for ln in lines)
    return "markup" if tabled > max(1, len(lines) // 10) else "reading-order"


def read_tables(sections: Sections) -> list[TableReading]:
    """Data rows of Table I and II, with wrapped cell text joined back to its row, and the layout of each."""
    text = sections.text
    out: list[TableReading] = []
    for name, span in (("I", sections.table1), ("II", sections.table2)):
        lines = [ln for ln in sections.index.lines(span.start, span.end) if ln.cells and not ln.is_markdown_rule]
        layout = layout_of(text, span.start, span.end, lines)
        reader = PositionalReader if layout == "positional" else ReadingOrderReader
        out.append(TableReading(name, layout, tuple(reader(name, sections.index, lines).read_all())))  # type: ignore[arg-type]
    return out


def find_rows(sections: Sections) -> list[RowEntities]:
    """The rows of both tables, in printed order."""
    return [row for reading in read_tables(sections) for row in reading.rows]
