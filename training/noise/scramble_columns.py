"""``scramble_columns`` (sample 004): rows as tab-separated cells, swapped, padded and split."""

from __future__ import annotations

import random
import re

from .common import NUMERIC, cells, ensure_changed, text_lines


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
    for line in text_lines(text):
        row = [c.text for c in cells(line)]
        if len(row) < 2 and not NUMERIC.search(line):
            lines.append(line.strip())
            continue
        lines.append("\t".join(_scramble_row(row, rng)))
    return ensure_changed(text, "\n".join(lines), rng)
