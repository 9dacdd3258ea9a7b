"""Normalisers: raw cell text -> typed value, keeping the raw text and footnote marks.

Every parser returns a frozen ``Parsed`` value: ``value`` (``None`` when the text
holds no readable value), ``raw`` (the text it came from) and ``footnote_ids``
(``("F1",)`` for a printed ``(1)``, ``⁽¹⁾`` or ``<sup>(1)</sup>``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Generic, Optional, TypeVar

T = TypeVar("T")

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# (1) | [1] | ⁽¹⁾ | <sup>(1)</sup> | <sup>1</sup> ; several marks may follow each other.
FOOTNOTE_MARK = re.compile(
    r"<sup>\s*\(?\s*(\d{1,2})\s*\)?\s*</sup>"
    r"|\(\s*(\d{1,2})\s*\)"
    r"|\[\s*(\d{1,2})\s*\]"  # a filer's "[1]"
    r"|⁽\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})\s*⁾"
)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")  # no "<" inside: "<a<a<a..." stays linear


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: Optional[T]
    raw: str
    footnote_ids: tuple[str, ...] = ()
    note: Optional[str] = field(default=None, repr=False)  # why a value that looks readable was refused (for the record's warnings)


def split_footnotes(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove footnote marks from ``text``; return the rest and the ids in order.

    >>> split_footnotes("45,551 ⁽¹⁾")
    ('45,551', ('F1',))
    >>> split_footnotes("3,638(1)(2)")
    ('3,638', ('F1', 'F2'))
    >>> split_footnotes("$110.2893 <sup>(12)</sup>")
    ('$110.2893', ('F12',))
    >>> split_footnotes("See footnote [4]")
    ('See footnote', ('F4',))
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
#: More integer digits than this is no share count or price a Form 4 prints (and would not fit
#: the XSD's decimal as a float): digits of numbered lines glued together, or noise.
MAX_INTEGER_DIGITS = 15
NEGATIVE_NOTE = "printed as negative; Form 4 amounts are never negative, so it was not read"
TOO_LONG_NOTE = f"more than {MAX_INTEGER_DIGITS} integer digits; not a Form 4 amount, so it was not read"


def _number_text(raw: str) -> tuple[str, tuple[str, ...]]:
    """The bare number text (markup, footnote marks, ``$`` and spaces gone; ``(x)`` as ``-x``)."""
    text, ids = split_footnotes(strip_markup(raw))
    text = text.replace("$", "").replace(" ", "").strip()
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    return text, ids


def parse_number(raw: str) -> Parsed[float]:
    """Parse a share amount or a price: a finite value >= 0, or ``None`` with a ``note`` saying why.

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

    A printed minus or parentheses, or a run of digits no filing prints, gives no value and a note:

    >>> parse_number("(1,000)").value, parse_number("-5").note
    (None, 'printed as negative; Form 4 amounts are never negative, so it was not read')
    >>> parse_number("9" * 400).value, parse_number("1e308").value
    (None, None)
    """
    text, ids = _number_text(raw)
    if not _NUMBER.match(text):
        return Parsed(None, raw, ids)
    if text.startswith("-") and text.strip("-0.,"):
        return Parsed(None, raw, ids, NEGATIVE_NOTE)
    integer = text.lstrip("+-").split(".")[0].replace(",", "").lstrip("0")
    if len(integer) > MAX_INTEGER_DIGITS:
        return Parsed(None, raw, ids, TOO_LONG_NOTE)
    return Parsed(abs(float(text.replace(",", ""))), raw, ids)


def is_number_text(text: str) -> bool:
    """True when ``text`` (no footnote marks) is a well-formed number (readable or not: ``-5`` is one).

    >>> is_number_text("23,139"), is_number_text("23,13"), is_number_text("$0.00"), is_number_text("(1,000)")
    (True, False, True, True)
    """
    bare, ids = _number_text(text)
    return bool(_NUMBER.match(bare)) and not ids


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


def mend_split_digits_mapped(text: str) -> tuple[str, list[int]]:
    """:func:`mend_split_digits`, with the offset in ``text`` of every character of the result
    (and of its end), so spans found in the mended view are spans of ``text``.

    >>> mended, where = mend_split_digits_mapped("on 01/04/201\\t12 by")
    >>> mended, where[mended.index("2012")], where[len(mended)] == len("on 01/04/201\\t12 by")
    ('on 01/04/2012 by', 9, True)
    """
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _SPLIT_DIGIT.finditer(text):
        out.append(text[pos : m.start()] + m.group(1))
        where.extend(range(pos, m.start() + 1))
        pos = m.end()
    out.append(text[pos:])
    where.extend(range(pos, len(text) + 1))
    return "".join(out), where


#: The shape of a printed date, MM/DD/YYYY with one-digit parts and two- or three-digit years tolerated
#: (a converter cuts them); every reader that looks for a date in a table or a line uses it.
DATE_SHAPE = r"\d{1,2}/\d{1,2}/\d{2,4}"
#: A whole date in running text (prose, boxes): two- or four-digit years, or a month name.
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


#: Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/F),
#: with DEL and the C1 controls, which no printed form holds: a converter's or a copy's debris.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control(text: str) -> str:
    """``text`` without control characters (each becomes a space) that XML, CSV and Parquet readers refuse.

    >>> strip_control("A\\x00B\\x1bC\\tD")
    'A B C\\tD'
    """
    return CONTROL_CHARS.sub(" ", text)


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
    text = " ".join(strip_control(text).split())
    return Parsed(text or None, raw)
