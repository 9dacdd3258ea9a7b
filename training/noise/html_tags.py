"""``html_tags`` (sample 000): underlined values, checkbox inputs, tab-separated rows, superscript marks."""

from __future__ import annotations

import random
import re

from .common import CHECKED_BOX, cells, ensure_changed, superscript_footnotes, text_lines, underline_values, zone_slices


# --------------------------------------------------------------------------------------
# html_tags (sample 000)


def _html_cell(cell: str, zone: str, rng: random.Random) -> str:
    """Underline header values and turn X marks into checked checkboxes."""
    if zone != "header":
        return cell
    cell = underline_values(cell, rng, 1.0)
    return re.sub(r"(?<!\S)[Xx](?!\S)", CHECKED_BOX, cell)


def html_tags(text: str, rng: random.Random) -> str:
    """``<u>`` values, checkbox inputs and tab-separated rows (sample 000)."""
    escape_dollar = rng.random() < 0.6
    footnotes = rng.choice(["unicode", "unicode", "plain"])
    out: list[str] = []
    for zone, lines in zone_slices(text_lines(text)):
        for line in lines:
            row = [_html_cell(c.text, zone, rng) for c in cells(line)]
            joined = "".join(cell + "\t" * rng.choice([1, 1, 1, 2, 3]) for cell in row)
            if zone in ("table1", "table2"):
                joined = superscript_footnotes(joined, rng, footnotes)
                if escape_dollar:
                    joined = joined.replace("$", "\\$")
            out.append(joined)
    return ensure_changed(text, "\n".join(out), rng)
