"""``repeat_loop`` (sample 004): a runaway line of repeated label fragments, as a looping vision model prints."""

from __future__ import annotations

import random

from .common import cells, ensure_changed, find_zones, tabs, text_lines


# --------------------------------------------------------------------------------------
# repeat_loop (sample 004)


def _fragments(text: str) -> list[str]:
    """Digit-free label fragments (3-8 words) to repeat."""
    out = []
    for line in text_lines(text):
        for cell in cells(line):
            words = cell.text.split()
            if len(words) >= 3 and not any(ch.isdigit() for ch in cell.text):
                out.append(" ".join(words[:8]))
    return out


def repeat_loop(text: str, rng: random.Random) -> str:
    """Insert a runaway line of repeated label fragments before the footnotes."""
    fragments = _fragments(text)
    lines = text_lines(text)
    if not fragments:
        return ensure_changed(text, text, rng)
    pool = rng.sample(fragments, min(len(fragments), rng.randint(3, 6)))
    loop = []
    for _ in range(rng.randint(8, 30)):
        fragment = rng.choice(pool)
        words = fragment.split()
        start = rng.randint(0, max(0, len(words) - 3))
        loop.append(" ".join(words[start:]))
    joined = "".join(frag + (tabs(rng, 1, 1) if rng.random() < 0.15 else " ") for frag in loop)
    at = find_zones(lines).footer
    return "\n".join([*lines[:at], joined.strip(), *lines[at:]])
