"""What a page prints around the values, and how filers fill the form in, drawn from the seed.

Real Form 4 pages carry text that is not a value but looks like one, and filers
lay values out in ways EDGAR never does. A :class:`Habits` says, for one page:

* ``continued`` — the filing runs on to another copy of the form: page 1 again
  with the same Items 1-3 (the instructions' 6(b)), then the rest of the rows;
* ``footer`` — printed page footers: the form's revision (``SEC 1474 (03-26)``),
  ``Page 2 of 12`` or ``3 of 4``; or, on an EDGAR page printed from a browser, the
  browser's own lines (the date and time printed, the title, the address, ``1/3``).
  They are CSS margin boxes, so they sit on every page of the printed PDF, between
  a long table's rows;
* ``expires`` — the OMB box's ``Expires:`` line (a date that is not a value);
* ``legend_under`` — the ``** Intentional misstatements ...`` legend printed right
  under the signature line; ``signature_under`` — ``/s/`` lines typed under the
  form's "Signature of Reporting Person" label instead of above it;
* ``ticker`` — how the ticker is written: ``[ EXMP ]``, ``Example Holdings, Inc.
  (EXMP)``, ``EXMP`` on the line after the name;
* ``title_lines`` — a long officer title (or signature) broken over two lines;
* ``chunk`` — a long table continued on further pages every ``chunk`` rows,
  its column headings repeated.

Every value still prints through ``printed_form``; a break over two lines keeps the
space before it, so the page's words are the value's words.

>>> h = habits(5, "paper")
>>> h == habits(5, "paper"), h.ticker in TICKER_FORMS
(True, True)
>>> two_lines("Executive Vice President, Chief Financial Officer")
'Executive Vice President, <br>Chief Financial Officer'
>>> footer_css(Habits(1, footer="sec", revision="SEC 1474 (03-26)"))
'@page { @bottom-left { content: "SEC 1474 (03-26)"; font-size: 7.0pt; } }'
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from form4.form.labels import WORDINGS

__all__ = ["Habits", "habits", "two_lines", "footer_css", "chunks", "ticker_html", "TICKER_FORMS", "REVISIONS",
           "EXPIRIES", "LEGEND"]

T = TypeVar("T")

#: the form's revision codes as printed at the foot of its pages
REVISIONS = WORDINGS["sec_1474"]
#: the OMB box's expiry lines of the form's revisions
EXPIRIES = WORDINGS["omb_expires"]
TICKER_FORMS = ("brackets", "parens", "next_line")
FOOTERS = ("page_of", "sec", "n_of")
LEGEND = WORDINGS["misstatements"][1]

#: per style: (share continued on another copy, share with page footers, ticker forms, share of chunked tables)
_STYLE_ODDS: dict[str, tuple[float, float, tuple[str, ...], float]] = {
    "paper": (0.3, 0.6, ("next_line",), 0.3),
    "agent": (0.25, 0.5, TICKER_FORMS, 0.4),
    "word": (0.0, 0.5, ("parens", "next_line", "parens"), 0.5),
    "edgar": (0.0, 0.4, ("brackets",), 0.0),
}


@dataclass(frozen=True)
class Habits:
    """One page's text around the values and its filer's layout habits (see the module)."""

    seed: int
    continued: bool = False
    copy_repeats_all: bool = False
    footer: str | None = None
    revision: str = REVISIONS[0]
    expires: str | None = None
    legend_under: bool = False
    signature_under: bool = False
    ticker: str = "brackets"
    title_lines: bool = False
    chunk: int | None = None
    printed_on: str = "3/14/24, 10:02 AM"
    address: str = "https://www.sec.gov/Archives/edgar/data/1234567/000123456724000001/xslF345X05/form4.xml"


def habits(seed: int, style: str) -> Habits:
    """The habits of page ``seed`` in ``style`` (a style not listed draws the agent's odds)."""
    rng = random.Random(seed ^ 0x4AB175)
    continued, footed, tickers, chunked = _STYLE_ODDS.get(style, _STYLE_ODDS["agent"])
    return Habits(
        seed=seed,
        continued=rng.random() < continued,
        copy_repeats_all=rng.random() < 0.5,
        footer=(rng.choice(FOOTERS) if style != "edgar" else "browser") if rng.random() < footed else None,
        revision=rng.choice(REVISIONS),
        expires=rng.choice(EXPIRIES) if rng.random() < 0.8 else None,
        legend_under=rng.random() < 0.35,
        signature_under=rng.random() < 0.3,
        ticker=rng.choice(tickers),
        title_lines=rng.random() < 0.4,
        chunk=rng.randint(5, 14) if rng.random() < chunked else None,
        printed_on=f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(5, 25):02d}, "
                   f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(('AM', 'PM'))}",
        address=f"https://www.sec.gov/Archives/edgar/data/{rng.randrange(1, 2_000_000)}/"
                f"{rng.randrange(10**17, 10**18)}/xslF345X0{rng.randint(2, 5)}/{rng.choice(('form4.xml', 'doc4.xml', 'wf-form4_' + str(rng.randrange(10**12, 10**13)) + '.xml'))}",
    )


def two_lines(text: str, at: int | None = None) -> str:
    """``text`` (escaped HTML) broken over two lines at the space nearest its middle
    (or ``at``), the space kept before the break; a single word stays whole.

    >>> two_lines("CEO"), two_lines("Chief Executive Officer", at=5)
    ('CEO', 'Chief <br>Executive Officer')
    """
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text
    target = len(text) // 2 if at is None else at
    cut = min(spaces, key=lambda i: abs(i - target))
    return f"{text[:cut + 1]}<br>{text[cut + 1:]}"


def footer_css(h: Habits, pt: float = 7.0) -> str:
    """``@page`` margin boxes printing the page footers (empty when the page has none)."""
    if h.footer is None:
        return ""
    if h.footer == "browser":
        return (f'@page {{ @top-left {{ content: "{h.printed_on}"; font-size: {pt}pt; }} '
                f'@top-center {{ content: "SEC FORM 4"; font-size: {pt}pt; }} '
                f'@bottom-left {{ content: "{h.address}"; font-size: {pt}pt; }} '
                f'@bottom-right {{ content: counter(page) "/" counter(pages); font-size: {pt}pt; }} }}')
    counter = {"page_of": '"Page " counter(page) " of " counter(pages)',
               "n_of": 'counter(page) " of " counter(pages)', "sec": None}[h.footer]
    left = f'@bottom-left {{ content: "{h.revision}"; font-size: {pt}pt; }}'
    right = f" @bottom-right {{ content: {counter}; font-size: {pt}pt; }}" if counter else ""
    return f"@page {{ {left}{right} }}"


def chunks(rows: Sequence[T], size: int | None) -> list[Sequence[T]]:
    """``rows`` in pieces of ``size`` (all in one piece when ``size`` is None or not exceeded).

    >>> chunks([1, 2, 3, 4, 5], 2), chunks([1, 2], None), chunks([], 3)
    ([[1, 2], [3, 4], [5]], [[1, 2]], [[]])
    """
    if not size or len(rows) <= size:
        return [list(rows)]
    return [list(rows[k:k + size]) for k in range(0, len(rows), size)]


def ticker_html(h: Habits, issuer: str, ticker: str) -> str:
    """Box 2's content: issuer name and ticker written the filer's way (both escaped HTML).

    >>> [ticker_html(Habits(0, ticker=t), "Example Holdings, Inc.", "EXMP") for t in TICKER_FORMS]
    ['Example Holdings, Inc. [ EXMP ]', 'Example Holdings, Inc. (EXMP)', 'Example Holdings, Inc.<br>EXMP']
    """
    if not ticker:
        return issuer
    if h.ticker == "parens":
        return f"{issuer} ({ticker})"
    if h.ticker == "next_line":
        return f"{issuer}<br>{ticker}"
    return f"{issuer} [ {ticker} ]"
