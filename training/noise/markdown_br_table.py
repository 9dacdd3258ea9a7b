"""``markdown_br_table`` (samples 002, 003): markdown pipe tables, a cell's lines joined with ``<br>``."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from .common import CHECKED_BOX, NUMBERED_LABEL, Cell, cells, ensure_changed, escape_markdown, superscript_footnotes, text_lines, underline_values, zone_slices


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
        cell = "<br>".join(underline_values(part, rng, 0.8) for part in cell.split("<br>"))
        cell = re.sub(r"(?<!\S)[Xx](?!\S)", CHECKED_BOX if rng.random() < 0.5 else "X", cell)
    cell = superscript_footnotes(cell, rng, style)
    return escape_markdown(cell).replace("|", "\\|")


def title_lines(lines: list[str]) -> tuple[list[str], list[str]]:
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
            text = escape_markdown(" ".join(para))
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
    for zone, lines in zone_slices(text_lines(text)):
        if zone in ("preamble", "footer"):
            out.extend(_paragraphs(lines, bold))
            continue
        titles, body = title_lines(lines) if zone != "header" else ([], lines)
        out.extend(_paragraphs(titles, bold))
        groups = [g for g in _group_lines(body, rng) if any(r is not None for r in g)]
        rows = [
            [_markdown_cell(c, zone, rng, style) for c in _group_to_cells(g, joiner)]
            for g in groups
        ]
        if rows:
            out.extend([*_markdown_table(rows, rng, padded), ""])
    return ensure_changed(text, "\n".join(out).rstrip() + "\n", rng)
