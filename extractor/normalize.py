"""Normalisers: raw cell text -> typed value, keeping the raw text and footnote marks.

Every parser returns a frozen ``Parsed`` value: ``value`` (``None`` when the text
holds no readable value), ``raw`` (the text it came from) and ``footnote_ids``
(``("F1",)`` for a printed ``(1)``, ``⁽¹⁾`` or ``<sup>(1)</sup>``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Generic, Optional, TypeVar

T = TypeVar("T")

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# (1) | ⁽¹⁾ | <sup>(1)</sup> | <sup>1</sup> ; several marks may follow each other.
FOOTNOTE_MARK = re.compile(
    r"<sup>\s*\(?\s*(\d{1,2})\s*\)?\s*</sup>"
    r"|\(\s*(\d{1,2})\s*\)"
    r"|⁽\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})\s*⁾"
)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: Optional[T]
    raw: str
    footnote_ids: tuple[str, ...] = ()


def split_footnotes(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove footnote marks from ``text``; return the rest and the ids in order.

    >>> split_footnotes("45,551 ⁽¹⁾")
    ('45,551', ('F1',))
    >>> split_footnotes("3,638(1)(2)")
    ('3,638', ('F1', 'F2'))
    >>> split_footnotes("$110.2893 <sup>(12)</sup>")
    ('$110.2893', ('F12',))
    """
    ids: list[str] = []

    def _take(match: re.Match[str]) -> str:
        digits = next(g for g in match.groups() if g is not None)
        fid = "F" + str(int(digits.translate(_SUPERSCRIPT_DIGITS)))
        if fid not in ids:
            ids.append(fid)
        return " "

    rest = FOOTNOTE_MARK.sub(_take, text)
    return " ".join(rest.split()), tuple(ids)


def strip_markup(text: str) -> str:
    """Drop HTML-ish tags and markdown escapes/emphasis.

    >>> strip_markup(r"<u>QUALYS, INC. [QLYS]</u> \\$0.00 **X**")
    'QUALYS, INC. [QLYS] $0.00 X'
    """
    text = _TAG.sub(" ", text)
    text = text.replace("\\$", "$").replace("\\*", "*").replace("\\_", "_")
    text = re.sub(r"\*\*|__", " ", text)
    return " ".join(text.split())


# ---------------------------------------------------------------- numbers
_NUMBER = re.compile(r"^[-+]?(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[-+]?\.\d+$")


def parse_number(raw: str) -> Parsed[float]:
    """Parse a share amount or a price.

    >>> parse_number("45,551 ⁽¹⁾")
    Parsed(value=45551.0, raw='45,551 ⁽¹⁾', footnote_ids=('F1',))
    >>> parse_number("3,638(1)").value, parse_number(r"\\$0.00").value, parse_number("$ 0").value
    (3638.0, 0.0, 0.0)
    >>> parse_number("$110.2893 ⁽¹⁾").value, parse_number("5,048,392").value
    (110.2893, 5048392.0)
    >>> parse_number("(1)")
    Parsed(value=None, raw='(1)', footnote_ids=('F1',))
    >>> parse_number("12,34").value is None
    True
    """
    text, ids = split_footnotes(strip_markup(raw))
    text = text.replace("$", "").replace(" ", "").strip()
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if not _NUMBER.match(text):
        return Parsed(None, raw, ids)
    return Parsed(float(text.replace(",", "")), raw, ids)


def is_number_text(text: str) -> bool:
    """True when ``text`` (no footnote marks) is a well-formed number.

    >>> is_number_text("23,139"), is_number_text("23,13"), is_number_text("$0.00")
    (True, False, True)
    """
    return parse_number(text).value is not None and not split_footnotes(text)[1]


# ---------------------------------------------------------------- dates
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_TEXT_DATE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(raw: str) -> Parsed[dt.date]:
    """Parse a printed date.

    >>> parse_date("10/26/2023").value
    datetime.date(2023, 10, 26)
    >>> parse_date("4/27/21").value
    datetime.date(2021, 4, 27)
    >>> parse_date("October 28, 2021").value
    datetime.date(2021, 10, 28)
    >>> parse_date("08/20/2021(1)")
    Parsed(value=datetime.date(2021, 8, 20), raw='08/20/2021(1)', footnote_ids=('F1',))
    >>> parse_date("13/45/2021").value is None
    True
    """
    text, ids = split_footnotes(strip_markup(raw))
    value: dt.date | None = None
    try:
        if m := _NUMERIC_DATE.match(text):
            value = dt.date(_year(m.group(3)), int(m.group(1)), int(m.group(2)))
        elif m := _ISO_DATE.match(text):
            value = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif (m := _TEXT_DATE.match(text)) and m.group(1)[:3].lower() in _MONTHS:
            value = dt.date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    except ValueError:
        value = None
    return Parsed(value, raw, ids)


_SPLIT_DIGIT = re.compile(r"([\d/])[ \t]*\t[ \t]*\1(?=[\d%/])")


def mend_split_digits(text: str) -> str:
    """Join a number or date a converter split over two tab cells, repeating the character at the cut.

    >>> mend_split_digits("less than 1\\t\\t10% of"), mend_split_digits("01/04/201\\t12"), mend_split_digits("08/\\t/20/2019")
    ('less than 10% of', '01/04/2012', '08/20/2019')
    """
    return _SPLIT_DIGIT.sub(r"\1", text)


DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b"
)


# ---------------------------------------------------------------- checkboxes, tickers
_CHECKED = re.compile(
    r"<input[^>]*\bchecked\b[^>]*>|\[\s*[xX✓✔]\s*\]|☒|☑|✓|✔|(?:^|[\s_*(|])[xX](?=$|[\s_*)|])",
)


def parse_checkbox(raw: str) -> Parsed[bool]:
    """True when the text holds a check mark.

    >>> [parse_checkbox(s).value for s in ["X", "__X__", '<input type="checkbox" checked="">', "", "Director"]]
    [True, True, True, False, False]
    """
    return Parsed(bool(_CHECKED.search(raw)), raw)


_TICKER = re.compile(r"\[\s*([A-Za-z0-9.\-]{1,10})\s*\]")


def parse_ticker(raw: str) -> Parsed[str]:
    """Trading symbol from ``NAME [TICKER]``.

    >>> parse_ticker("QUALYS, INC. [ QLYS ]").value
    'QLYS'
    >>> parse_ticker("no ticker").value is None
    True
    """
    m = _TICKER.search(strip_markup(raw))
    return Parsed(m.group(1).upper() if m else None, raw)


_ASCII_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def clean_text(raw: str) -> Parsed[str]:
    """Whitespace-folded text with markup removed, HTML entities decoded (the standard library's
    ``html.unescape``: named and numeric), typographic quotes as ASCII (as EDGAR's XML has them;
    PDFs and OCR print curly ones); empty -> ``None``.

    >>> clean_text("  <u>CEO &amp; President</u> ").value
    'CEO & President'
    >>> print(clean_text("L&#39;OREAL&nbsp;SA").value)
    L'OREAL SA
    >>> print(clean_text("the Issuer’s “Plan”").value)
    the Issuer's "Plan"
    >>> print(clean_text("&lt;u&gt; is text here, &amp;amp; decodes once").value)
    <u> is text here, &amp; decodes once
    """
    text = html.unescape(strip_markup(raw)).translate(_ASCII_QUOTES)
    text = " ".join(text.split())
    return Parsed(text or None, raw)
