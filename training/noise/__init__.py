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
from collections.abc import Callable

from .common import digit_counts, numeric_tokens
from .html_tags import html_tags
from .markdown_br_table import markdown_br_table
from .ocr_confusions import ocr_confusions
from .repeat_loop import repeat_loop
from .scramble_columns import scramble_columns
from .tab_soup import tab_soup


__all__ = ["NOISE", "Transform", "apply_noise", "digit_counts", "numeric_tokens"]

Transform = Callable[[str, random.Random], str]


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
