"""Deterministic synthetic noise for flattened Form 4 text.

Each transform is ``Callable[[str, random.Random], str]`` and is registered in
:data:`NOISE`; :func:`apply_noise` runs one (or a ``+``-separated chain) with a seed.
The transforms imitate the five real samples in ``samples/*.txt``:

``scramble_columns`` (sample 004)
    Rows become tab-separated cells that are swapped, padded with empty cells and
    split: a number split over two cells repeats the boundary character
    (``23,139`` -> ``23,13\\t39``, ``110.0352`` -> ``110.03\\t352``,
    ``02/06/2023`` -> ``02/06/20\\t\\t023``) or loses a comma at the split
    (``5,047,398`` -> ``5\\t047,398``); single-letter codes are doubled (``S\\tS``);
    label words are split across cells (``Amoun\\tt``).
``html_tags`` (sample 000)
    Filled-in header values wrapped in ``<u>..</u>``, ``X`` marks replaced with
    ``<input checked="" type="checkbox"/>``, tab-separated table rows,
    superscript footnotes ``⁽¹⁾`` and ``\\$``.
``markdown_br_table`` (samples 002, 003)
    Markdown pipe tables; lines of one layout cell are joined with ``<br>``;
    footnotes as ``<sup>(1)</sup>`` or ``⁽¹⁾``; ``\\$``, ``\\*`` escapes; bold titles.
``ocr_confusions`` (samples 001, 004)
    Words broken by a space (``Conversio n``), O/0, S/5, l/1, B/8, T/I, rn/m
    confusions, dropped spaces (``FOSIERCITY``), ``$`` read as ``5``/``S`` or
    ``<b>5</b>``, damaged footnote marks, stray ``|`` between cells.
``tab_soup`` (sample 001)
    The three header boxes (1 | 2-4 | 5-6) interleaved on shared lines with runs of
    tabs, the right-hand box's words truncated at the cell edges (``ck all app``),
    table label lines merged, ``## **HEADINGS**`` and ``- 1.`` list footnotes.
``repeat_loop`` (sample 004)
    A runaway line of repeated, slightly varied label fragments, as produced by a
    vision model stuck in a loop.

Contract for the aligner, which runs *after* noise on the final text and finds
values by fuzzy matching (so no transform tracks offsets):

* no transform invents digits out of nothing.  New digit strings only arise by
  corrupting real ones (``$0.00`` -> ``50.00``, ``23,139`` -> ``23,13\\t39``) or, in
  ``ocr_confusions``, as single look-alike letters inside words of >= 3 letters
  (``C0mmon``), which never form a standalone number;
* ``html_tags``, ``markdown_br_table``, ``tab_soup`` and ``repeat_loop`` never add an
  ASCII digit (footnote marks may turn into superscript digits such as ``¹``);
* ``scramble_columns`` never deletes a digit; each split of a number may repeat
  one boundary digit, so ``Counter(digits(out)) >= Counter(digits(in))`` and the
  surplus is at most the number of numeric tokens in the input.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from form4.form.labels import NOTES, PAPER_ONLY, WORDINGS, plain, run, words
from form4.form.ocr import MISREAD

__all__ = ["NOISE", "Transform", "apply_noise", "digit_counts", "numeric_tokens"]

Transform = Callable[[str, random.Random], str]

# --------------------------------------------------------------------------------------
# Form vocabulary: the words of the labels printed on every Form 4 (canonical wordings, without the
# paper form's own labels and the notes).  Words outside it are filled values.

FORM_TEXT = "\n".join(plain(options[0]) for key, options in WORDINGS.items() if key not in PAPER_ONLY | NOTES)


def _norm(token: str) -> str:
    """Lower-case ``token`` without leading/trailing punctuation.

    >>> _norm("(Month/Day/Year)")
    'month/day/year'
    >>> _norm("Person*")
    'person'
    """
    return re.sub(r"^[^\w%]+|[^\w%]+$", "", token).lower()


FORM_WORDS: frozenset[str] = frozenset(_norm(t) for t in FORM_TEXT.split()) - {""}

# --------------------------------------------------------------------------------------
# Shared regular expressions and small helpers

GAP = re.compile(r"\t+| {2,}")
NUMERIC = re.compile(r"\$?\d[\d,./:-]*\d")
NUMBERED_LABEL = re.compile(r"^\d{1,2}A?\.\s")
FOOTNOTE_MARK = re.compile(r"(?<=[\w$.,])\s?\((\d{1,2})\)")
SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_TABLE, _NON, _DERIVATIVE = words("table1")[0], *run("table1", "Non", 2)
HEADER_RE = re.compile(r"\s+".join(words("name")[:5]), re.IGNORECASE)
TABLE1_RE = re.compile(rf"{_TABLE}\s+\S{{1,3}}\s*[-–]\s*{_NON}\W{{0,2}}{_DERIVATIVE[:5]}", re.IGNORECASE)
TABLE2_RE = re.compile(rf"{_TABLE}\s+\S{{1,3}}\s*[-–]\s*{_DERIVATIVE[:5]}", re.IGNORECASE)
FOOTER_RE = re.compile(r"\s+".join(words("explanation")), re.IGNORECASE)
CHECKED_BOX = '<input checked="" type="checkbox"/>'


def digit_counts(text: str) -> Counter[str]:
    """Multiset of the ASCII digits in ``text``.

    >>> sorted(digit_counts("a1 22").items())
    [('1', 1), ('2', 2)]
    """
    return Counter(ch for ch in text if "0" <= ch <= "9")


def numeric_tokens(text: str) -> list[str]:
    """Numbers, prices and dates in ``text`` (at least two characters).

    >>> numeric_tokens("A 757,756(1) $0.33 04/30/2025 5")
    ['757,756', '$0.33', '04/30/2025']
    """
    return NUMERIC.findall(text)


@dataclass(frozen=True)
class Cell:
    """A layout cell: its start column in the line and its text."""

    x: int
    text: str


def cells(line: str) -> list[Cell]:
    """Split a line into cells at tabs or runs of two or more spaces.

    >>> [c.text for c in cells("  Common Stock   04/30/2025\\tA")]
    ['Common Stock', '04/30/2025', 'A']
    """
    out: list[Cell] = []
    pos = 0
    for gap in [*GAP.finditer(line), None]:
        end = gap.start() if gap else len(line)
        chunk = line[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append(Cell(pos + lead, chunk.strip()))
        if gap:
            pos = gap.end()
    return out


def _tabs(rng: random.Random, low: int = 1, high: int = 3) -> str:
    """A run of ``low``..``high`` tabs."""
    return "\t" * rng.randint(low, high)


def _join_tabs(row: Sequence[str], rng: random.Random, low: int, high: int) -> str:
    """Join cells with a fresh run of ``low``..``high`` tabs at every gap."""
    gaps = [_tabs(rng, low, high) for _ in row[1:]]
    return "".join(cell + gap for cell, gap in zip(row, [*gaps, ""]))


def _lines(text: str) -> list[str]:
    """Split on ``\\n`` only, so form feeds (page breaks) stay inside their line."""
    return text.split("\n")


def _is_value_word(token: str) -> bool:
    """True for words that are not printed form text (names, dates, amounts...)."""
    norm = _norm(token)
    return bool(norm) and norm not in FORM_WORDS and norm != "x"


def _ensure_changed(original: str, noisy: str, rng: random.Random) -> str:
    """Guarantee a visible change: turn one space into a tab if nothing else changed."""
    if noisy != original:
        return noisy
    spaces = [m.start() for m in re.finditer(" ", noisy)]
    if not spaces:
        return noisy + "\n"
    pos = rng.choice(spaces)
    return noisy[:pos] + "\t" + noisy[pos + 1 :]


@dataclass(frozen=True)
class Zones:
    """Line indices where the parts of a flattened Form 4 start (``len(lines)`` if absent).

    The parts are: preamble, header boxes, Table I, Table II and footer.
    """

    header: int
    table1: int
    table2: int
    footer: int

    def name(self, index: int) -> str:
        """Which part line ``index`` is in."""
        if index >= self.footer:
            return "footer"
        if index >= self.table2:
            return "table2"
        if index >= self.table1:
            return "table1"
        if index >= self.header:
            return "header"
        return "preamble"


def find_zones(lines: Sequence[str]) -> Zones:
    """Locate the parts of the form; missing parts collapse onto the next one found.

    >>> find_zones(["FORM 4", "1. Name and Address of Reporting Person", "x",
    ...             "Table I - Non-Derivative Securities", "Explanation of Responses:"])
    Zones(header=1, table1=3, table2=4, footer=4)
    """
    end = len(lines)

    def first(pattern: re.Pattern[str], start: int, exclude: re.Pattern[str] | None = None) -> int:
        for i in range(start, end):
            if pattern.search(lines[i]) and not (exclude and exclude.search(lines[i])):
                return i
        return end

    footer = first(FOOTER_RE, 0)
    table1 = min(first(TABLE1_RE, 0), footer)
    table2 = min(first(TABLE2_RE, table1, exclude=TABLE1_RE), footer)
    header = min(first(HEADER_RE, 0), table1)
    return Zones(header, table1, min(max(table2, table1), footer), footer)


def _zone_slices(lines: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Consecutive ``(zone name, lines)`` pieces of the document."""
    zones = find_zones(lines)
    pieces: list[tuple[str, list[str]]] = []
    for i, line in enumerate(lines):
        name = zones.name(i)
        if pieces and pieces[-1][0] == name:
            pieces[-1][1].append(line)
        else:
            pieces.append((name, [line]))
    return pieces


def _underline_values(text: str, rng: random.Random, p: float = 0.9) -> str:
    """Wrap each run of value words in ``<u>..</u>`` (with probability ``p`` per run).

    >>> _underline_values("2. Issuer Name and Ticker 374Water Inc. [ SCWO ]", random.Random(0), 1)
    '2. Issuer Name and Ticker <u>374Water Inc. [ SCWO ]</u>'
    """
    tokens = text.split(" ")
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            joined = " ".join(run)
            out.append(f"<u>{joined}</u>" if rng.random() < p else joined)
            run.clear()

    for token in tokens:
        if _is_value_word(token) or (run and token and not _norm(token)):
            run.append(token)
        else:
            flush()
            out.append(token)
    flush()
    return " ".join(out)


def _superscript_footnotes(text: str, rng: random.Random, style: str) -> str:
    """Rewrite footnote marks ``757,756(1)`` as ``⁽¹⁾``, ``<sup>(1)</sup>`` or ``(1)``."""

    def repl(match: re.Match[str]) -> str:
        number = match.group(1)
        if style == "unicode":
            mark = f"({number})".translate(SUPERSCRIPT)
        elif style == "sup":
            mark = f"<sup>({number})</sup>"
        else:
            mark = f"({number})"
        return (" " if rng.random() < 0.7 else "") + mark

    return FOOTNOTE_MARK.sub(repl, text)


def _escape_markdown(text: str) -> str:
    r"""Escape ``$`` and ``*`` the way pandoc/markdown converters do.

    >>> _escape_markdown("** Signature $0.00")
    '\\*\\* Signature \\$0.00'
    """
    return re.sub(r"(?<!\\)([$*])", r"\\\1", text)


# --------------------------------------------------------------------------------------
# scramble_columns (sample 004)


def split_number(token: str, rng: random.Random) -> tuple[str, str]:
    """Split a numeric token in two as a column-detecting OCR does.

    At a comma the comma is dropped (``5,047,398`` -> ``5`` + ``047,398``); elsewhere
    the boundary character is repeated in both halves (``23,139`` -> ``23,13`` +
    ``39``).  No digit is lost; at most one is repeated.

    >>> split_number("23,139", random.Random(5))
    ('23,13', '39')
    >>> split_number("23,139", random.Random(7))
    ('23', '139')
    """
    i = rng.randint(1, len(token) - 1)
    if token[i] == ",":
        return token[:i], token[i + 1 :]
    if token[i - 1] == ",":
        return token[: i - 1], token[i:]
    return token[:i], token[i - 1 :]


def _scramble_cell(cell: str, rng: random.Random) -> list[str]:
    """Split numbers and long label words of one cell across several cells."""
    numbers = list(NUMERIC.finditer(cell))
    if numbers and rng.random() < 0.45:
        match = rng.choice(numbers)
        left, right = split_number(match.group(), rng)
        return [cell[: match.start()] + left, right + cell[match.end() :]]
    words = [m for m in re.finditer(r"[A-Za-z]{5,}", cell)]
    if not numbers and words and rng.random() < 0.25:
        word = rng.choice(words)
        cut = word.start() + rng.randint(2, len(word.group()) - 2)
        return [cell[:cut], cell[cut:]]
    return [cell]


def _scramble_row(row: list[str], rng: random.Random) -> list[str]:
    """Split, swap, pad and duplicate the cells of one row."""
    out: list[str] = []
    for cell in row:
        out.extend(_scramble_cell(cell, rng))
        if re.fullmatch(r"[A-Z]", cell) and rng.random() < 0.3:
            out.append(cell)  # doubled single-letter code: "S\tS"
    if len(out) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    for _ in range(rng.randint(0, 2)):
        out.insert(rng.randint(0, len(out)), "")
    return out


def scramble_columns(text: str, rng: random.Random) -> str:
    """Tab-separated rows with split numbers and shuffled cells (sample 004)."""
    lines: list[str] = []
    for line in _lines(text):
        row = [c.text for c in cells(line)]
        if len(row) < 2 and not NUMERIC.search(line):
            lines.append(line.strip())
            continue
        lines.append("\t".join(_scramble_row(row, rng)))
    return _ensure_changed(text, "\n".join(lines), rng)


# --------------------------------------------------------------------------------------
# html_tags (sample 000)


def _html_cell(cell: str, zone: str, rng: random.Random) -> str:
    """Underline header values and turn X marks into checked checkboxes."""
    if zone != "header":
        return cell
    cell = _underline_values(cell, rng, 1.0)
    return re.sub(r"(?<!\S)[Xx](?!\S)", CHECKED_BOX, cell)


def html_tags(text: str, rng: random.Random) -> str:
    """``<u>`` values, checkbox inputs and tab-separated rows (sample 000)."""
    escape_dollar = rng.random() < 0.6
    footnotes = rng.choice(["unicode", "unicode", "plain"])
    out: list[str] = []
    for zone, lines in _zone_slices(_lines(text)):
        for line in lines:
            row = [_html_cell(c.text, zone, rng) for c in cells(line)]
            joined = "".join(cell + "\t" * rng.choice([1, 1, 1, 2, 3]) for cell in row)
            if zone in ("table1", "table2"):
                joined = _superscript_footnotes(joined, rng, footnotes)
                if escape_dollar:
                    joined = joined.replace("$", "\\$")
            out.append(joined)
    return _ensure_changed(text, "\n".join(out), rng)


# --------------------------------------------------------------------------------------
# markdown_br_table (samples 002, 003)


def _aligned(a: Sequence[Cell], b: Sequence[Cell], slack: int = 4) -> bool:
    """Same number of cells starting at (nearly) the same columns."""
    return len(a) == len(b) and all(abs(x.x - y.x) <= slack for x, y in zip(a, b))


def _group_lines(lines: Sequence[str], rng: random.Random) -> list[list[list[Cell] | None]]:
    """Group consecutive aligned lines (a blank line in between becomes ``None``)."""
    groups: list[list[list[Cell] | None]] = []
    last: list[Cell] | None = None
    blank = False
    limit = rng.randint(4, 10)
    for line in lines:
        row = cells(line)
        if not row:
            blank = True
            continue
        group = groups[-1] if groups else None
        if group is not None and last is not None and _aligned(last, row) and len(group) < limit:
            if blank:
                group.append(None)
        else:
            group = []
            groups.append(group)
        group.append(row)
        last, blank = row, False
    return groups


def _group_to_cells(group: list[list[Cell] | None], joiner: str) -> list[str]:
    """Join a group of aligned lines column-wise; split one-column groups at labels."""
    rows = [r for r in group if r is not None]
    width = len(rows[0])
    if width > 1:
        columns = [[("" if r is None else r[j].text) for r in group] for j in range(width)]
        return [joiner.join(col).strip() for col in columns]
    out: list[list[str]] = [[]]
    for row in group:
        text = "" if row is None else row[0].text
        if NUMBERED_LABEL.match(text) and out[-1]:
            out.append([])
        out[-1].append(text)
    return [joiner.join(parts).strip() for parts in out]


def _markdown_table(rows: list[list[str]], rng: random.Random, padded: bool) -> list[str]:
    """Render rows as a pipe table, first row or an empty row as its header."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if rng.random() < 0.5:
        rows.insert(0, [""] * width)
    sizes = [max(len(r[j]) for r in rows) for j in range(width)] if padded else [1] * width
    render = [
        "| " + " | ".join(c.ljust(sizes[j]) for j, c in enumerate(r)) + " |" for r in rows
    ]
    sep = "|" + "|".join("-" * rng.choice([2, 3, sizes[j] + 2]) for j in range(width)) + "|"
    return [render[0], sep, *render[1:]]


def _markdown_cell(cell: str, zone: str, rng: random.Random, style: str) -> str:
    """Underline header values, mark footnotes, escape markdown in one table cell."""
    if zone == "header":
        cell = "<br>".join(_underline_values(part, rng, 0.8) for part in cell.split("<br>"))
        cell = re.sub(r"(?<!\S)[Xx](?!\S)", CHECKED_BOX if rng.random() < 0.5 else "X", cell)
    cell = _superscript_footnotes(cell, rng, style)
    return _escape_markdown(cell).replace("|", "\\|")


def _title_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split a table zone into its title lines and the lines from the first label on."""
    for i, line in enumerate(lines):
        if any(NUMBERED_LABEL.match(c.text) for c in cells(line)):
            return lines[:i], lines[i:]
    return [], lines


PARAGRAPH_START = re.compile(
    r"^(\d{1,2}\.\s|\*|Reminder|Note:|Persons who|Remarks|Explanation|/s/)"
)


def _paragraphs(lines: Sequence[str], bold: bool) -> list[str]:
    """Join wrapped lines into paragraphs separated by blank lines.

    A paragraph ends at a blank line, before a line that starts a footnote or a
    footer sentence, and after a short line ending in ``.`` or ``:``.
    """
    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text = _escape_markdown(" ".join(para))
            title = bold and len(text) < 120 and text.endswith((":", "OWNERSHIP"))
            out.extend([f"**{text}**" if title else text, ""])
            para.clear()

    for line in lines:
        text = " ".join(c.text for c in cells(line))
        if not text or PARAGRAPH_START.match(text):
            flush()
        if text:
            para.append(text)
        if text.endswith((".", ":")) and len(text) < 90:
            flush()
    flush()
    return out


def markdown_br_table(text: str, rng: random.Random) -> str:
    """Markdown pipe tables with ``<br>`` cell lines and superscripts (samples 002, 003)."""
    style = rng.choice(["sup", "unicode"])
    joiner = "<br>" if rng.random() < 0.7 else " "
    padded = rng.random() < 0.5
    bold = rng.random() < 0.5
    out: list[str] = [""]
    for zone, lines in _zone_slices(_lines(text)):
        if zone in ("preamble", "footer"):
            out.extend(_paragraphs(lines, bold))
            continue
        titles, body = _title_lines(lines) if zone != "header" else ([], lines)
        out.extend(_paragraphs(titles, bold))
        groups = [g for g in _group_lines(body, rng) if any(r is not None for r in g)]
        rows = [
            [_markdown_cell(c, zone, rng, style) for c in _group_to_cells(g, joiner)]
            for g in groups
        ]
        if rows:
            out.extend([*_markdown_table(rows, rng, padded), ""])
    return _ensure_changed(text, "\n".join(out).rstrip() + "\n", rng)


# --------------------------------------------------------------------------------------
# ocr_confusions (samples 001, 004)

#: OCR's confusions (``form4.form.ocr.MISREAD``): of letters, in words; of digits and a number's
#: punctuation, in numbers; a dollar sign is also printed bold or apart from its amount.
LETTER_CONFUSIONS: dict[str, list[str]] = {k: list(v) for k, v in MISREAD.items() if k.isalpha()}
DIGIT_CONFUSIONS: dict[str, list[str]] = {k: list(v) for k, v in MISREAD.items() if k.isdigit() or k in ",./"}
DOLLAR_READINGS = [*MISREAD["$"], "<b>5</b> ", "$ "]
WORD_RATE = 0.05
NUMBER_RATE = 0.08


def _confuse(token: str, table: dict[str, list[str]], rng: random.Random) -> str:
    """Replace one occurrence of a confusable character (or pair) in ``token``."""
    spots = [(m.start(), key) for key in table for m in re.finditer(re.escape(key), token)]
    if not spots:
        return token
    pos, key = rng.choice(sorted(spots))
    return token[:pos] + rng.choice(table[key]) + token[pos + len(key) :]


def _break_word(token: str, rng: random.Random) -> str:
    """Insert a space inside a word: ``Conversion`` -> ``Conversio n``."""
    cut = rng.randint(1, len(token) - 1)
    return token[:cut] + " " + token[cut:]


def _corrupt_word(token: str, rng: random.Random) -> str:
    """OCR-style damage to a word of at least three letters."""
    roll = rng.random()
    if roll < 0.3 and len(token) >= 5:
        return _break_word(token, rng)
    if roll < 0.4:
        i = rng.randrange(len(token))
        return token[:i] + f"<b>{token[i]}</b>" + token[i + 1 :]
    letters_only = {k: [v for v in vs if not v.isdigit()] for k, vs in LETTER_CONFUSIONS.items()}
    table = LETTER_CONFUSIONS if sum(ch.isalpha() for ch in token) >= 3 else letters_only
    return _confuse(token, table, rng)


def _corrupt_number(token: str, rng: random.Random) -> str:
    """OCR-style damage to a token holding a number, price or footnote mark."""
    if token.startswith("$") and rng.random() < 0.5:
        return rng.choice(DOLLAR_READINGS) + token[1:]
    if re.search(r"\(\d{1,2}\)$", token) and rng.random() < 0.5:
        return re.sub(r"\((\d{1,2})\)$", rng.choice([r"\1)", r"(\1", ")", r"(\1]"]), token)
    return _confuse(token, DIGIT_CONFUSIONS, rng)


def _ocr_token(token: str, rng: random.Random) -> str:
    """Possibly corrupt one whitespace-free token."""
    if any(ch.isdigit() for ch in token):
        return _corrupt_number(token, rng) if rng.random() < NUMBER_RATE else token
    if sum(ch.isalpha() for ch in token) >= 3 and rng.random() < WORD_RATE:
        return _corrupt_word(token, rng)
    if token in ("X", "x") and rng.random() < 0.3:
        return rng.choice(["xX", "x", "Xx", "><"])
    return token


def _ocr_line(line: str, rng: random.Random) -> str:
    """Corrupt tokens, drop a few spaces and add ``|`` at some column gaps."""
    parts = re.split(r"(\s+)", line)
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        if part.isspace():
            if part == " " and out and rng.random() < 0.02:
                continue  # dropped space: "FOSTER CITY" -> "FOSTERCITY"
            if out and len(part) >= 2 and rng.random() < 0.1:
                part = rng.choice([" | ", " || ", " [ "])
            out.append(part)
        else:
            out.append(_ocr_token(part, rng))
    return "".join(out)


def ocr_confusions(text: str, rng: random.Random) -> str:
    """Character confusions, broken words and dropped spaces (samples 001, 004)."""
    noisy = "\n".join(_ocr_line(line, rng) for line in _lines(text))
    return _ensure_changed(text, noisy, rng)


# --------------------------------------------------------------------------------------
# tab_soup (sample 001)

HEADER_COLUMNS: dict[int, int] = {1: 0, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2}


def _header_columns(lines: Sequence[str]) -> list[list[str]]:
    """Assign header cells to the three box columns (1 | 2-4 | 5-6).

    A cell starting with a box label ``N.`` opens box N at its column; other cells go
    to the right-most box starting at or left of them (the latest one on ties), which
    also handles text without layout (every cell at column 0).
    """
    columns: list[list[str]] = [[], [], []]
    opened: list[tuple[int, int]] = []  # (x, box) in order of appearance
    for line in lines:
        for cell in cells(line):
            label = re.match(r"([1-6])\.\s", cell.text)
            if label:
                box = int(label.group(1))
                opened.append((cell.x, box))
            else:
                box = _box_at(opened, cell.x)
            columns[HEADER_COLUMNS[box]].append(cell.text)
    return columns


def _box_at(opened: Sequence[tuple[int, int]], x: int, slack: int = 4) -> int:
    """The latest-opened box among those starting furthest right at or before ``x``."""
    if not opened:
        return 1
    left = [(bx, i) for i, (bx, _) in enumerate(opened) if bx <= x + slack]
    if not left:
        return opened[-1][1]
    _, index = max(left)
    return opened[index][1]


def _chunks(words: list[str], n: int) -> list[str]:
    """Cut a word list into ``n`` roughly equal space-joined chunks."""
    size = max(1, -(-len(words) // n))
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]


def _truncate_word(word: str, rng: random.Random) -> str:
    """Keep only a slice of a digit-free word, as if cut at a cell edge."""
    if any(ch.isdigit() for ch in word) or len(word) < 4:
        return word
    p = 0.35 if not _is_value_word(word) else 0.15
    if rng.random() >= p:
        return word
    cut = rng.randint(2, len(word) - 2)
    return word[:cut] if rng.random() < 0.6 else word[cut:]


def _truncate_words(text: str, rng: random.Random) -> str:
    """:func:`_truncate_word` applied to every word of ``text``."""
    return " ".join(_truncate_word(word, rng) for word in text.split())


def _interleave_header(lines: Sequence[str], rng: random.Random) -> list[str]:
    """Three header columns interleaved line by line with runs of tabs."""
    columns = _header_columns(lines)
    chunked: list[list[str]] = []
    for index, column in enumerate(columns):
        words = " ".join(column).split()
        if index == 2:
            words = [_truncate_word(w, rng) for w in words]
        chunked.append(_chunks(words, rng.randint(2, 4)) if words else [])
    height = max((len(c) for c in chunked), default=0)
    out = []
    for i in range(height):
        parts = [c[i] if i < len(c) else "" for c in chunked]
        out.append(parts[0] + _tabs(rng, 1, 6) + parts[1] + _tabs(rng, 1, 9) + parts[2])
    return out


def _is_label_line(line: str) -> bool:
    """Mostly printed form words (column labels), not a data row."""
    words = [w for w in line.split() if _norm(w)]
    printed = sum(not _is_value_word(w) for w in words)
    return bool(words) and printed >= 0.7 * len(words)


def _soup_table(lines: Sequence[str], rng: random.Random) -> list[str]:
    """Merge a table's column-label lines into one line; tab-join the data rows."""
    titles, body = _title_lines(list(lines))
    out = [t.strip() for t in titles if t.strip()]
    labels: list[str] = []
    rows: list[str] = []
    for line in body:
        row = [c.text for c in cells(line)]
        if not row:
            continue
        if not rows and _is_label_line(line):
            labels.append(_join_tabs([_truncate_words(c, rng) for c in row], rng, 1, 2))
        else:
            rows.append(_join_tabs(row, rng, 1, 6))
    return [*out, *(["\t".join(labels)] if labels else []), *rows]


def _soup_footer(lines: Sequence[str], rng: random.Random) -> list[str]:
    """Markdown-ish footer: ``## **Explanation of Responses:**``, ``- 1.`` and ``\\*``."""
    out = []
    for line in lines:
        text = line.strip()
        if re.match(r"(Explanation of Responses|Remarks):?$", text):
            text = "## **" + text + "**" if rng.random() < 0.5 else "## " + text
        elif re.match(r"(\d{1,2}\.|\*+) ", text):
            text = "- " + _escape_markdown(text)
        out.extend([text, ""] if text else [])
    return out


def _soup_preamble(lines: Sequence[str], rng: random.Random) -> list[str]:
    """Headings for upper-case titles; column gaps become runs of tabs."""
    out = []
    for line in lines:
        row = [c.text for c in cells(line)]
        for i, cell in enumerate(row):
            if cell.isupper() and len(cell) > 25 and rng.random() < 0.6:
                row[i] = f"\n## **{cell}**\n"
        if row:
            out.append(_join_tabs(row, rng, 1, 11))
    return out


def tab_soup(text: str, rng: random.Random) -> str:
    """Header boxes interleaved with tabs, truncated words at cell edges (sample 001)."""
    out: list[str] = []
    for zone, lines in _zone_slices(_lines(text)):
        if zone == "header":
            out.extend(_interleave_header(lines, rng))
        elif zone in ("table1", "table2"):
            out.extend(_soup_table(lines, rng))
        elif zone == "footer":
            out.extend(_soup_footer(lines, rng))
        else:
            out.extend(_soup_preamble(lines, rng))
    return _ensure_changed(text, "\n".join(out), rng)


# --------------------------------------------------------------------------------------
# repeat_loop (sample 004)


def _fragments(text: str) -> list[str]:
    """Digit-free label fragments (3-8 words) to repeat."""
    out = []
    for line in _lines(text):
        for cell in cells(line):
            words = cell.text.split()
            if len(words) >= 3 and not any(ch.isdigit() for ch in cell.text):
                out.append(" ".join(words[:8]))
    return out


def repeat_loop(text: str, rng: random.Random) -> str:
    """Insert a runaway line of repeated label fragments before the footnotes."""
    fragments = _fragments(text)
    lines = _lines(text)
    if not fragments:
        return _ensure_changed(text, text, rng)
    pool = rng.sample(fragments, min(len(fragments), rng.randint(3, 6)))
    loop = []
    for _ in range(rng.randint(8, 30)):
        fragment = rng.choice(pool)
        words = fragment.split()
        start = rng.randint(0, max(0, len(words) - 3))
        loop.append(" ".join(words[start:]))
    joined = "".join(frag + (_tabs(rng, 1, 1) if rng.random() < 0.15 else " ") for frag in loop)
    at = find_zones(lines).footer
    return "\n".join([*lines[:at], joined.strip(), *lines[at:]])


# --------------------------------------------------------------------------------------
# Registry


NOISE: dict[str, Transform] = {
    "scramble_columns": scramble_columns,
    "html_tags": html_tags,
    "markdown_br_table": markdown_br_table,
    "ocr_confusions": ocr_confusions,
    "tab_soup": tab_soup,
    "repeat_loop": repeat_loop,
}


def apply_noise(text: str, name: str, seed: int) -> str:
    """Apply the transform ``name`` (or a chain ``"tab_soup+ocr_confusions"``) with ``seed``.

    Each step gets its own ``random.Random`` seeded from ``seed``, the step index and
    the transform name, so results are reproducible across processes.

    >>> apply_noise("Common Stock  04/30/2025  A  757,756", "scramble_columns", 1) == \\
    ...     apply_noise("Common Stock  04/30/2025  A  757,756", "scramble_columns", 1)
    True
    """
    for step, part in enumerate(name.split("+")):
        if part not in NOISE:
            raise KeyError(f"unknown noise {part!r}; known: {sorted(NOISE)}")
        text = NOISE[part](text, random.Random(f"{seed}:{step}:{part}"))
    return text
