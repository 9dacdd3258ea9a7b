"""OCR word boxes -> positional text: one line per printed line, words at their columns.

Tesseract's plain text reads a page block by block: a table row split over several blocks
comes out as several lines, and the columns are lost. Its TSV output (``tesseract ... tsv``)
gives every word's box (page, block, paragraph, line and word numbers, left/top/width/height
in pixels, confidence, text); :func:`layout_tsv` lays those words out the way
``pdftotext -layout`` prints a text layer, which is the shape the extractor's positional
reader reads best:

* **pages** are ended by a form feed each, empty pages too;
* **lines**: tesseract's own lines (one block, paragraph and line number) are the units; units
  whose vertical centres lie within half a glyph height of each other are one printed line,
  whatever block they came from. Centres are measured after undoing the page's skew (the median
  slope of tesseract's long lines), so a scan turned by a degree or two keeps its rows;
* **columns**: a word starts at the column its left edge gives at the page's median glyph width
  (the median of width / characters over the page's words). A word close to the one before
  (a gap under :data:`GLUE_GAP` glyphs: an ordinary space, :func:`space_between`) follows it
  after one space; any other word keeps at least two spaces before it, so the reader's ``two or
  more spaces`` cell split sees the columns the page shows;
* **specks**: tiny boxes read unsurely (dirt read as ``:``) are left out (:func:`without_specks`);
* **vertical gaps**: an empty line's height or more between two lines (centres two glyph
  heights apart) is a blank line (at most :data:`MAX_BLANK`).

Cost: one pass to parse, one sort of the lines of a page by height, one sort of each row by x:
``O(n log n)`` in the words, with no quadratic step (a word's columns are capped at
:data:`MAX_COLUMN`, so the text is at most a bounded number of characters per word and line).
Garbage boxes (negative or zero sizes, non-numeric fields, control characters in a word,
absurd coordinates) are clamped or skipped, never an error.

>>> tsv = TSV_HEADER + "\\n" + "\\n".join([
...     "5\\t1\\t1\\t1\\t1\\t1\\t100\\t100\\t60\\t20\\t95\\tClass",
...     "5\\t1\\t1\\t1\\t1\\t2\\t170\\t100\\t20\\t20\\t95\\tA",
...     "5\\t1\\t2\\t1\\t1\\t1\\t400\\t102\\t100\\t20\\t90\\t46,780",
...     "5\\t1\\t3\\t1\\t1\\t1\\t100\\t160\\t48\\t20\\t91\\tTotal"])
>>> print(layout_tsv(tsv).replace("\\f", "<FF>"))
Class A              46,780
<BLANKLINE>
Total
<FF>
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: tesseract's TSV header (the first line of every ``tsv`` output)
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
WORD_LEVEL = 5
#: a gap between two words narrower than this many glyphs is an ordinary space (one space)
GLUE_GAP = 2.0
#: two units are one printed line when their centres differ by at most this share of a glyph height
SAME_LINE = 0.5
#: the steepest skew undone (a slope: about 5.7 degrees); steeper estimates are garbage
MAX_SLOPE = 0.1
#: a line takes part in the skew estimate when it is this many glyph heights wide
SLOPE_SPAN = 8.0
#: coordinates are clamped to this many pixels (a page at 1200 dpi is about 13,000 high)
MAX_PIXELS = 100_000
#: no word starts beyond this column (a garbage box far off the page costs no memory)
MAX_COLUMN = 600
#: at most this many blank lines for a vertical gap
MAX_BLANK = 1
#: a box under this share of the page's glyph height both ways, read at a confidence under
#: :data:`SPECK_CONF`, is a speck of dirt, not a glyph (a hyphen is as small, but read surely)
SPECK = 0.35
SPECK_CONF = 50.0
_FIELDS = 12


@dataclass(frozen=True)
class Word:
    """One word box of tesseract's TSV (level 5), its line given by ``(block, par, line)``."""

    page: int
    line: tuple[int, int, int]
    number: int
    left: int
    top: int
    width: int
    height: int
    text: str
    conf: float = 100.0

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def middle(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


def clean_word(text: str) -> str:
    """A word's text without white space or control characters (they would break lines or pages).

    >>> clean_word(" 46,780\\f"), clean_word("a\\u2028b"), clean_word("\\t")
    ('46,780', 'ab', '')
    """
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("C"))


def _int(field: str) -> int | None:
    try:
        return int(float(field))
    except (ValueError, OverflowError):  # "x", "nan", "inf"
        return None


def _float(field: str) -> float:
    try:
        value = float(field)
    except ValueError:
        return 0.0
    return value if value == value else 0.0  # NaN: no confidence


def parse_tsv(tsv: str) -> tuple[list[Word], list[int]]:
    """The words of a TSV and the page numbers it names (every level: a page without words counts).

    Rows that are not 12 tab-separated fields, whose numbers do not parse or whose text is empty
    after :func:`clean_word` are skipped; positions and sizes are clamped to 0 ..
    :data:`MAX_PIXELS`.

    >>> words, pages = parse_tsv(TSV_HEADER + "\\n1\\t1\\t0\\t0\\t0\\t0\\t0\\t0\\t99\\t99\\t-1\\t\\n"
    ...                          "5\\t2\\t1\\t1\\t1\\t1\\t-5\\t10\\t30\\t-2\\t96\\tFORM\\nnot a row")
    >>> pages, [(w.page, w.left, w.height, w.text) for w in words]
    ([1, 2], [(2, 0, 0, 'FORM')])
    """
    words: list[Word] = []
    pages: set[int] = set()
    for row in tsv.split("\n"):  # (not splitlines: a form feed inside a word is no row break)
        fields = row.rstrip("\r").split("\t")
        if len(fields) < _FIELDS - 1:
            continue
        numbers = [_int(f) for f in fields[:10]]
        if any(n is None for n in numbers):
            continue
        level, page, block, par, line, number, left, top, width, height = numbers  # type: ignore[misc]
        pages.add(page)
        conf = _float(fields[10])
        text = clean_word("\t".join(fields[11:]))
        if level != WORD_LEVEL or not text:
            continue
        left, top, width, height = (min(MAX_PIXELS, max(0, n)) for n in (left, top, width, height))
        words.append(Word(page, (block, par, line), number, left, top, width, height, text, conf))
    return words, sorted(pages)


# ---------------------------------------------------------------- one page
def glyph_width(words: Iterable[Word]) -> float:
    """The page's median glyph width in pixels (width / characters of each word), at least 1.

    >>> w = lambda width, text: Word(1, (1, 1, 1), 1, 0, 0, width, 20, text)
    >>> glyph_width([w(40, "Form"), w(30, "of"), w(36, "4,000")])
    10.0
    """
    widths = [w.width / len(w.text) for w in words if w.width > 0]
    return max(1.0, statistics.median(widths)) if widths else 1.0


def glyph_height(words: Iterable[Word]) -> float:
    heights = [w.height for w in words if w.height > 0]
    return max(1.0, statistics.median(heights)) if heights else 1.0


def _slope(units: list[list[Word]], height: float) -> float:
    """The page's skew as dy/dx: the median least-squares slope of the word centres of the units
    at least :data:`SLOPE_SPAN` glyph heights wide; 0 when none is."""
    slopes = []
    for unit in units:
        if len(unit) < 2:
            continue
        xs = [w.middle[0] for w in unit]
        if max(xs) - min(xs) < SLOPE_SPAN * height:
            continue
        ys = [w.middle[1] for w in unit]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx)
    if not slopes:
        return 0.0
    slope = statistics.median(slopes)
    return slope if abs(slope) <= MAX_SLOPE else 0.0


@dataclass
class _Row:
    centre: float
    height: float
    weight: int
    words: list[Word]


def rows_of(words: list[Word]) -> list[tuple[float, list[Word]]]:
    """A page's words grouped into printed lines, top to bottom: (deskewed centre, the line's words
    left to right).

    Tesseract's lines (same block, paragraph, line) stay whole; lines from any block join when
    their deskewed centres are within :data:`SAME_LINE` of the smaller one's glyph height.

    >>> row = lambda block, left, top, text: Word(1, (block, 1, 1), 1, left, top, 10 * len(text), 20, text)
    >>> [[w.text for w in r] for _, r in rows_of([row(2, 300, 103, "46,780"), row(1, 10, 100, "Stock"), row(3, 10, 140, "Total")])]
    [['Stock', '46,780'], ['Total']]
    """
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    height = glyph_height(words)
    slope = _slope(list(lines.values()), height)
    placed = []
    for line in lines.values():
        centre = statistics.median(w.middle[1] - slope * w.middle[0] for w in line)
        placed.append((centre, glyph_height(line), line))
    placed.sort(key=lambda item: item[0])
    rows: list[_Row] = []
    for centre, unit_height, unit in placed:
        row = rows[-1] if rows else None
        if row is not None and abs(centre - row.centre) <= SAME_LINE * min(unit_height, row.height):
            row.centre = (row.centre * row.weight + centre * len(unit)) / (row.weight + len(unit))
            row.weight += len(unit)
            row.height = max(row.height, unit_height)
            row.words.extend(unit)
        else:
            rows.append(_Row(centre, unit_height, len(unit), list(unit)))
    return [(r.centre, sorted(r.words, key=lambda w: (w.left, w.number))) for r in rows]



def space_between(a: Word, b: Word, width: float) -> bool:
    """True when ``b`` follows ``a`` after an ordinary space: a gap under :data:`GLUE_GAP` glyphs,
    a glyph being the page's median ``width`` or, in larger type, the smaller of the two words'
    own glyph widths (a space grows with the type).

    >>> w = lambda left, width, text: Word(1, (1, 1, 1), 1, left, 0, width, 20, text)
    >>> space_between(w(0, 100, "Eventbrite"), w(115, 40, "Inc."), 7.0), space_between(w(0, 30, "CA"), w(60, 50, "94025"), 7.0)
    (True, False)
    """
    own = min(a.width / len(a.text), b.width / len(b.text))
    return b.left - a.right < GLUE_GAP * max(width, own)


def line_text(words: list[Word], width: float, origin: int) -> str:
    """One printed line: each word at its column (``(left - origin) / width``), one space after a
    word close before it (:data:`GLUE_GAP`), at least two after any other.

    >>> w = lambda left, text: Word(1, (1, 1, 1), 1, left, 0, 10 * len(text), 20, text)
    >>> line_text([w(0, "Class"), w(60, "A"), w(300, "46,780"), w(380, "(1)")], 10.0, 0)
    'Class A                       46,780  (1)'
    """
    out: list[str] = []
    cursor = 0
    previous: Word | None = None
    for word in words:
        if previous is not None and space_between(previous, word, width):
            column = cursor + 1
        else:
            column = min(MAX_COLUMN, round((word.left - origin) / width))
            if previous is not None:
                column = max(column, cursor + 2)
        out.append(" " * (column - cursor) + word.text)
        cursor = column + len(word.text)
        previous = word
    return "".join(out)


def without_specks(words: list[Word]) -> list[Word]:
    """The words that are not specks: a box under :data:`SPECK` of the page's glyph height both
    ways, read unsurely, is dirt OCR read as ``:`` or ``A``; left in, it would open a column of its
    own. A small box read surely (a hyphen) stays.

    >>> w = lambda size, text, conf: Word(1, (1, 1, 1), 1, 0, 0, size, size, text, conf)
    >>> [x.text for x in without_specks([w(20, "Name", 96), w(3, "-", 91), w(3, ":", 0), w(20, "Reid", 95)])]
    ['Name', '-', 'Reid']
    """
    least = SPECK * glyph_height(words)
    return [w for w in words if w.width >= least or w.height >= least or w.conf >= SPECK_CONF]


def layout_page(words: list[Word]) -> str:
    """One page's words as positional text (lines end with a newline; ``""`` for no words)."""
    words = without_specks(words)
    if not words:
        return ""
    width, height = glyph_width(words), glyph_height(words)
    origin = min(w.left for w in words)
    lines: list[str] = []
    above: float | None = None
    for centre, row in rows_of(words):
        if above is not None and centre - above >= 2 * height:
            lines.extend([""] * min(MAX_BLANK, int((centre - above) // height) - 1))
        lines.append(line_text(row, width, origin))
        above = centre
    return "\n".join(lines) + "\n"


def layout_words(words: list[Word], pages: Iterable[int]) -> str:
    """Every page's text followed by a form feed, pages in number order."""
    by_page: dict[int, list[Word]] = {page: [] for page in pages}
    for w in words:
        by_page.setdefault(w.page, []).append(w)
    return "".join(layout_page(by_page[page]) + "\f" for page in sorted(by_page))


def layout_tsv(tsv: str) -> str:
    """Tesseract TSV -> positional text, every page ended by a form feed (see the module doc)."""
    words, pages = parse_tsv(tsv)
    return layout_words(words, pages)
