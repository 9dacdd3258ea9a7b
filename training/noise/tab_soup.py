"""``tab_soup`` (sample 001): the header boxes interleaved with runs of tabs, words cut at cell edges."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from .common import bare_word, cells, ensure_changed, escape_markdown, is_value_word, join_tabs, tabs, text_lines, zone_slices
from .markdown_br_table import title_lines


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
    p = 0.35 if not is_value_word(word) else 0.15
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
        out.append(parts[0] + tabs(rng, 1, 6) + parts[1] + tabs(rng, 1, 9) + parts[2])
    return out


def _is_label_line(line: str) -> bool:
    """Mostly printed form words (column labels), not a data row."""
    words = [w for w in line.split() if bare_word(w)]
    printed = sum(not is_value_word(w) for w in words)
    return bool(words) and printed >= 0.7 * len(words)


def _soup_table(lines: Sequence[str], rng: random.Random) -> list[str]:
    """Merge a table's column-label lines into one line; tab-join the data rows."""
    titles, body = title_lines(list(lines))
    out = [t.strip() for t in titles if t.strip()]
    labels: list[str] = []
    rows: list[str] = []
    for line in body:
        row = [c.text for c in cells(line)]
        if not row:
            continue
        if not rows and _is_label_line(line):
            labels.append(join_tabs([_truncate_words(c, rng) for c in row], rng, 1, 2))
        else:
            rows.append(join_tabs(row, rng, 1, 6))
    return [*out, *(["\t".join(labels)] if labels else []), *rows]


def _soup_footer(lines: Sequence[str], rng: random.Random) -> list[str]:
    """Markdown-ish footer: ``## **Explanation of Responses:**``, ``- 1.`` and ``\\*``."""
    out = []
    for line in lines:
        text = line.strip()
        if re.match(r"(Explanation of Responses|Remarks):?$", text):
            text = "## **" + text + "**" if rng.random() < 0.5 else "## " + text
        elif re.match(r"(\d{1,2}\.|\*+) ", text):
            text = "- " + escape_markdown(text)
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
            out.append(join_tabs(row, rng, 1, 11))
    return out


def tab_soup(text: str, rng: random.Random) -> str:
    """Header boxes interleaved with tabs, truncated words at cell edges (sample 001)."""
    out: list[str] = []
    for zone, lines in zone_slices(text_lines(text)):
        if zone == "header":
            out.extend(_interleave_header(lines, rng))
        elif zone in ("table1", "table2"):
            out.extend(_soup_table(lines, rng))
        elif zone == "footer":
            out.extend(_soup_footer(lines, rng))
        else:
            out.extend(_soup_preamble(lines, rng))
    return ensure_changed(text, "\n".join(out), rng)
