"""Regions of the page: header, Table I, Table II, further owners and the signature block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from form4.form.labels import run, words
from form4.form.ocr import LOOKALIKES


# ---------------------------------------------------------------- regions of the page
_LOOSE_CHARS = {c: "[" + re.escape(alike) + "]" for c, alike in LOOKALIKES.items() if c.islower()}


def _loose_word(word: str) -> str:
    """A word as OCR and noise print it: a stray space or inline tag between letters,
    confusable letters."""
    return r"(?:\s|<[^<>]{0,20}>)?".join(_LOOSE_CHARS.get(c.lower(), re.escape(c)) for c in word)


def loose(*words: str) -> re.Pattern[str]:
    """A heading as OCR and noise print it (see ``_loose_word``), any punctuation or
    markup between words.

    >>> bool(loose("Explanation", "of", "Responses").search("Exp1anation 0f Res ponses:"))
    True
    """
    return re.compile(r"(?:\W|<[^<>]{0,40}>)*".join(_loose_word(w) for w in words), re.I)


_NON, _DERIV = run("table1", "Non", 2)[0], run("table1", "Derivative", 1)[0][:5]
_TABLE = _loose_word(words("table1")[0]) + r"\W{0,6}"
_TABLE1_HEAD = re.compile(_TABLE + r"[I1l|]\W+" + _loose_word(_NON) + r"\W{0,3}" + _loose_word(_DERIV), re.I)
_TABLE2_HEAD = re.compile(_TABLE + r"[I1l|]{2}\W+" + _loose_word(_DERIV), re.I)
_EXPLANATION = loose(*words("explanation")[:2], words("explanation")[2][:6])
_REMARKS = re.compile(r"(?<![A-Za-z])" + r"\s?".join(words("remarks")[0]) + r"\s?:", re.I)
_SIGNATURE_LABEL = loose(*words("signature")[:3])
_OWNER_HEAD = loose(*words("name")[:5])
_REMINDER = loose(words("reminder")[0])


@dataclass(frozen=True)
class Regions:
    """Character ranges of the page's parts; ``owners[k]`` holds reporting owner ``k + 1``."""

    header: tuple[int, int]
    table1: tuple[int, int]
    table2: tuple[int, int]
    owners: tuple[tuple[int, int], ...]
    signature: tuple[int, int]


_FOOTNOTE_LINE = re.compile(r"^\W{0,3}\d{1,2}\.\s", re.M)


def _first_footnote(text: str, start: int, end: int) -> int:
    """Where the footnotes begin after "Explanation of Responses:" (pdfminer prints the
    last table cells between that heading and the first footnote)."""
    m = _FOOTNOTE_LINE.search(text, start, end) or _REMARKS.search(text, start, end)
    return m.start() if m else start


def find_regions(text: str, extra_owners: int = 0) -> Regions:
    """Header, tables, extra owners and signature block, by the form's printed headings.

    Tolerant of OCR (``Table Il``) and of markup between words; a heading that
    is missing collapses its region onto the next one found. Table II runs on
    past "Explanation of Responses:" to the first footnote (pdfminer prints the
    last cells there); the signature block starts at that heading.

    >>> r = find_regions("Name\\nTable I - Non-Derivative x\\nTable II - Derivative y\\nExplanation of Responses: z\\n/s/ A\\n** Signature of Reporting Person")
    >>> r.header, r.table1, r.table2, r.signature
    ((0, 5), (5, 32), (32, 77), (56, 122))
    """
    end = len(text)
    m1 = _TABLE1_HEAD.search(text)
    t1 = m1.start() if m1 else 0
    m2 = _TABLE2_HEAD.search(text, t1 + 1)
    after_tables = m2.end() if m2 else t1 + 1
    ex = _EXPLANATION.search(text, after_tables) or _REMARKS.search(text, after_tables)
    sig = None
    for sig in _SIGNATURE_LABEL.finditer(text, ex.end() if ex else after_tables):
        pass  # the last one: footnotes may quote the label
    footer = ex.start() if ex else (sig.start() if sig else end)
    t2 = m2.start() if m2 and m2.start() < footer else footer
    table2_end = _first_footnote(text, ex.end(), sig.start() if sig else end) if ex else footer
    owners: list[tuple[int, int]] = []
    if extra_owners:
        starts = [m.start() for m in _OWNER_HEAD.finditer(text, t2, footer)]
        bounds = starts + [footer]
        owners = [(bounds[k], bounds[k + 1]) for k in range(len(starts))]
        table2_end = starts[0] if starts else footer
    # the date may print under the "Signature of Reporting Person ... Date" labels
    tail = _REMINDER.search(text, sig.end()) if sig else None
    signature = (footer, (tail.start() if tail else min(end, sig.end() + 300)) if sig else end)
    return Regions((0, t1), (t1, t2), (t2, table2_end), tuple(owners), signature)
