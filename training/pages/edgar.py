"""Style ``edgar``: EDGAR's modern Form 4 page (``training.render``), with a seeded presentation.

Without a seed the page is :func:`form4.training.pages.render.render_html`'s, byte for
byte (the committed corpus was built from it). With a seed the same markup gets
another look: fonts and sizes, page size and orientation, margins, print scale,
column widths, cell wrapping, footnote marks inline or bracketed, the label
wordings other EDGAR renderings and filing agents print, and the empty
"Remarks:" heading kept or dropped, and on a share of pages the lines a browser prints
around a page (the date and time, the title, the address, ``1/3``).

>>> from form4.schema import Record, Issuer
>>> record = Record(document_type="4", issuer=Issuer(name="X Corp", trading_symbol="XC"))
>>> from form4.training.pages.render import render_html
>>> render(record, None) == render_html(record)
True
>>> "X Corp" in render(record, 3)
True
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

from form4.schema import Record
from form4.io.xml_reader import CellRef

from .render import label_html, render_html
from .common import Presentation, label, page_css, presentation
from .habits import footer_css, habits

__all__ = ["render"]

#: EDGAR's label (as ``render.py`` prints it, between ``>`` and ``<``) -> its key in ``form4.form.labels.WORDINGS``
_EDGAR_LABELS: dict[str, str] = {
    label_html(key): key for key in ("name", "period", "amendment", "officer", "other", "ten", "more", "signature")
}
_WIDTH = re.compile(r'(<th width=")(\d+)(%")')
_MARK = re.compile(r"<sup([^>]*)>\((\d+)\)</sup>")


def _css(p: Presentation) -> str:
    return (
        "<style>"
        f".FormData, .SmallFormData {{font-family: '{p.value_font}', serif; font-size: {p.value_pt}pt;}}"
        f".SmallFormData {{font-size: {max(6.5, p.value_pt - 1.5)}pt;}}"
        f".FormText, .FormTextC, .MedSmallFormText, .SmallFormText, .SmallFormTextR "
        f"{{font-family: '{p.label_font}', sans-serif;}}"
        f".SmallFormText, .SmallFormTextR {{font-size: {p.label_pt - 1}pt;}}"
        f".MedSmallFormText {{font-size: {p.label_pt}pt;}}"
        f".FootnoteData {{font-size: {max(6.5, p.value_pt - 1.5)}pt;}}"
        + (".FootnoteData sup {vertical-align: baseline; font-size: inherit;}" if p.marks != "sup" else "")
        + "</style>"
    )


def _relabel(page: str, p: Presentation) -> str:
    for edgar, key in _EDGAR_LABELS.items():
        page = page.replace(f">{edgar}<", f">{label(p, key)}<")
    return page


def render(record: Record, seed: int | None, cell_footnotes: Mapping[CellRef, Sequence[str]] | None = None) -> str:
    """The EDGAR page of ``record``; ``seed=None``: exactly ``render_html``'s page."""
    if seed is None:
        return render_html(record, cell_footnotes)
    p = presentation(seed)
    rng = random.Random(seed ^ 0xED6A)
    page = render_html(record, cell_footnotes, empty_remarks_heading=rng.random() < 0.7)
    page = _relabel(page, p)
    page = _WIDTH.sub(lambda m: f"{m[1]}{max(2, round(int(m[2]) * rng.uniform(0.8, 1.25)))}{m[3]}", page)
    if p.marks == "bracket":
        page = _MARK.sub(r"<sup\1>[\2]</sup>", page)
    footer = footer_css(habits(seed, "edgar"))  # the browser's date, title, address and page count
    return page.replace("<body>", "<body>" + page_css(p) + _css(p) + (f"<style>{footer}</style>" if footer else ""), 1)
