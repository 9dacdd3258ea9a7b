"""Page styles: independent templates that print a record the way different Form 4 pages look.

``STYLES`` maps a style name to its renderer ``render(record, seed, cell_footnotes) -> html``:

* ``edgar`` — EDGAR's modern page (``training.render``); ``seed=None`` gives
  ``render_html``'s page byte for byte, a seed a randomised presentation of it;
* ``paper`` — the SEC's printed paper form (SEC 1474) filled in;
* ``plain`` — a plain HTML page a filer might make (definition-list boxes, other
  column splits);
* ``agent`` — an older EDGAR / filing-agent page (``<font>`` tags, shaded captions,
  its own box grid, a filing continued on another copy of the form);
* ``word`` — a word-processor document (its own table borders, fonts and headings,
  the filer's layout of the boxes).

What a page prints around the values and how filers fill the form in (page
footers, the OMB expiry, the ticker's forms, titles over two lines, long tables
continued with their headings) is drawn per page by :mod:`.habits`.

Every style prints values through :func:`form4.training.pages.printing.printed_form`,
so the aligner finds them on any style's flattened page. ``python -m
form4.training.pages check --n 30`` measures that.

>>> from form4.schema import Record, Issuer
>>> record = Record(document_type="4", issuer=Issuer(name="Orbital Corp", trading_symbol="ORBC"))
>>> sorted(STYLES)
['agent', 'edgar', 'paper', 'plain', 'word']
>>> all("Orbital Corp" in render_styled(record, name, seed=4) for name in STYLES)
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Callable, Optional

from form4.schema import Record
from form4.io.xml_reader import CellRef

from . import agent, edgar, paper, plain, word

__all__ = ["STYLES", "DEFAULT_STYLE", "render_styled", "parse_styles"]

Renderer = Callable[[Record, Optional[int], Optional[Mapping[CellRef, Sequence[str]]]], str]

STYLES: dict[str, Renderer] = {"edgar": edgar.render, "paper": paper.render, "plain": plain.render,
                               "agent": agent.render, "word": word.render}
DEFAULT_STYLE = "edgar"


def render_styled(record: Record, style: str, seed: int | None,
                  cell_footnotes: Mapping[CellRef, Sequence[str]] | None = None) -> str:
    """The HTML page of ``record`` in ``style`` with the presentation drawn from ``seed``."""
    if style not in STYLES:
        raise KeyError(f"unknown page style {style!r}; known: {', '.join(sorted(STYLES))}")
    return STYLES[style](record, seed, cell_footnotes)


def parse_styles(text: str) -> tuple[str, ...]:
    """``"edgar,paper"`` -> ``('edgar', 'paper')``; an unknown name raises ``ValueError``.

    >>> parse_styles("edgar, plain")
    ('edgar', 'plain')
    """
    names = tuple(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
    unknown = [n for n in names if n not in STYLES]
    if unknown or not names:
        raise ValueError(f"unknown page style(s) {unknown or [text]}; known: {', '.join(sorted(STYLES))}")
    return names
