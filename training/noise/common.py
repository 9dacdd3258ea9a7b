"""What every noise transform reads: the form's words, a page's cells, lines and zones, and the
small rewrites several transforms share (underlined values, superscript marks, markdown escapes)."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from form4.form.labels import NOTES, PAPER_ONLY, WORDINGS, plain, run, words


# --------------------------------------------------------------------------------------
# Form vocabulary: the words of the labels printed on every Form 4 (canonical wordings, without the
# paper form's own labels and the notes).  Words outside it are filled values.

FORM_TEXT = "\n".join(plain(options[0]) for key, options in WORDINGS.items() if key not in PAPER_ONLY | NOTES)


def bare_word(token: str) -> str:
    """Lower-case ``token`` without leading/trailing punctuation.

    >>> bare_word("(Month/Day/Year)")
    'month/day/year'
    >>> bare_word("Person*")
    'person'
    """
    return re.sub(r"^[^\w%]+|[^\w%]+$", "", token).lower()


FORM_WORDS: frozenset[str] = frozenset(bare_word(t) for t in FORM_TEXT.split()) - {""}

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


def tabs(rng: random.Random, low: int = 1, high: int = 3) -> str:
    """A run of ``low``..``high`` tabs."""
    return "\t" * rng.randint(low, high)


def join_tabs(row: Sequence[str], rng: random.Random, low: int, high: int) -> str:
    """Join cells with a fresh run of ``low``..``high`` tabs at every gap."""
    gaps = [tabs(rng, low, high) for _ in row[1:]]
    return "".join(cell + gap for cell, gap in zip(row, [*gaps, ""]))


def text_lines(text: str) -> list[str]:
    """Split on ``\\n`` only, so form feeds (page breaks) stay inside their line."""
    return text.split("\n")


def is_value_word(token: str) -> bool:
    """True for words that are not printed form text (names, dates, amounts...)."""
    norm = bare_word(token)
    return bool(norm) and norm not in FORM_WORDS and norm != "x"


def ensure_changed(original: str, noisy: str, rng: random.Random) -> str:
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


def zone_slices(lines: Sequence[str]) -> list[tuple[str, list[str]]]:
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


def underline_values(text: str, rng: random.Random, p: float = 0.9) -> str:
    """Wrap each run of value words in ``<u>..</u>`` (with probability ``p`` per run).

    >>> underline_values("2. Issuer Name and Ticker 374Water Inc. [ SCWO ]", random.Random(0), 1)
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
        if is_value_word(token) or (run and token and not bare_word(token)):
            run.append(token)
        else:
            flush()
            out.append(token)
    flush()
    return " ".join(out)


def superscript_footnotes(text: str, rng: random.Random, style: str) -> str:
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


def escape_markdown(text: str) -> str:
    r"""Escape ``$`` and ``*`` the way pandoc/markdown converters do.

    >>> escape_markdown("** Signature $0.00")
    '\\*\\* Signature \\$0.00'
    """
    return re.sub(r"(?<!\\)([$*])", r"\\\1", text)
