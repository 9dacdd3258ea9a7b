"""Rule-based anchors: where the header, the tables and the footer of a filing are.

Every section is a span of offsets into the original text. Anchors are
tolerant regular expressions compiled once from the form's printed labels
(:mod:`form4.form.labels`), so they survive
tabs, markdown and HTML tables, ``<br>``, OCR-broken words and garbage repeats
(the first plausible occurrence wins, in form order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import EmptyInputError, NotAForm4Error, TruncatedFilingError
from .layout import TextIndex, blank_markup, flatten_html_tables
from .notes import blank_notes
from ..form.labels import run, words
from ..form.ocr import LOOKALIKES
from ..form.normalize import DATE_IN_TEXT, DATE_SHAPE

_SP = r"[\s*_|#<>/bru]*"  # what converters put between the words of a label




def _broken(word: str, lookalikes: bool = False) -> str:
    """A plain word that may come broken by a space or a tag ("No n-Derivative", "Deri<b>v</b>ative"),
    and, with ``lookalikes``, with OCR's look-alike letters ("Dorivative", "Iable")."""
    if not word.isalpha():
        return word

    def letter(ch: str) -> str:
        alike = (LOOKALIKES.get(ch) or LOOKALIKES.get(ch.lower())) if lookalikes else None  # a second, looser search
        return "[" + re.escape(alike) + "]" if alike else re.escape(ch)

    return r"(?:\s|<[^<>\n]{1,8}>){0,2}".join(letter(ch) for ch in word)


def _words(*words: str) -> str:
    return _SP.join(_broken(w) for w in words)


def _stem(word: str, letters: int) -> str:
    """A word by its first letters: cut at a cell's edge or inflected ("Pers", "Person(s)")."""
    return word[:letters] + r"\w*"


def _table_label(key: str, lookalikes: bool = False) -> re.Pattern[str]:
    """"Table I - Non-Derivative", "Table II - Derivative"; OCR reads the roman numerals as "|", "l", "1" or "]"."""
    word = lambda w: _broken(w, lookalikes)  # noqa: E731
    table, numeral, *rest = words(key)
    at = rest.index("Derivative")
    non = "".join(word(w) + r"[-–\s]*" for w in rest[:at])
    derivative = rest[at] if lookalikes else rest[at][:5]
    return re.compile(word(table) + r"\s*[I|l1\]!]{%d}\s*[-–—~:.]+\s*" % len(numeral) + non + word(derivative), re.I)


_NAME, _PERIOD, _RELATIONSHIP, _REMINDER = words("name"), words("period"), words("relationship"), words("reminder")
ANCHORS: dict[str, re.Pattern[str]] = {
    "box1": re.compile(_words(*_NAME[:5], _stem(_NAME[5], 4)), re.I),
    "box2": re.compile(_words(*words("issuer")[:4]), re.I),
    "box3": re.compile(_words(*_PERIOD[:3], _stem(_PERIOD[3], 5)), re.I),
    "box4": re.compile(_words(*words("amendment")[:2]), re.I),
    "box5": re.compile(_words(*_RELATIONSHIP[:3]) + "|" + r"\s+".join(words("check_all")[:2]) + r"\s+" + _stem(words("check_all")[2], 3), re.I),
    "box6": re.compile(_words(*words("joint")[:3]), re.I),
    "table1": _table_label("table1"),
    "table2": _table_label("table2"),
    "explanation": re.compile(_words(*words("explanation")), re.I),
    "remarks": re.compile(r"(?<![A-Za-z])%s\s*:" % words("remarks")[0], re.I),
    # (no optional lead-in before the words: "\s*" runs in padded tables made it cubic)
    "signature_label": re.compile(r"\s+".join(words("signature")), re.I),
    # the printed form's own notes under the tables; never a remark
    "boilerplate": re.compile(_REMINDER[0] + r"\s*:\s*" + r"\s+".join(_REMINDER[1:6]), re.I),
}

# the start of a footnote in Explanation of Responses: "1. ", "(1) ", "<sup>1</sup> ", "- 1. ", markdown's "1\\. ",
# and OCR's "1, " or "1 " before a capital (the reader keeps only marks that count up 1, 2, 3 ...)
FOOTNOTE_START = re.compile(
    r"^[ \t\f]*(?:[-*•][ \t]*)?(?:\\?\(\s*(\d{1,2})\s*\\?\)|(\d{1,2})\s*\\?[.)]|<sup>\s*\(?(\d{1,2})\)?\s*</sup>"
    r"|(\d{1,2}),?(?=[ \t]+[A-Z(\"“]))[ \t]+",
    re.M,
)

SECTION_NAMES = ("header", "table1", "table2", "explanation", "remarks", "signature")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def __bool__(self) -> bool:
        return self.end > self.start


@dataclass(frozen=True)
class Sections:
    """Spans of one filing. A missing section is an empty span at its place."""

    text: str  # the view the rules read (raw HTML tables flattened; same offsets as raw)
    header: Span
    table1: Span
    table2: Span
    explanation: Span
    remarks: Span
    signature: Span
    box_anchors: dict[str, int]
    more_owners: Span = Span(0, 0)  # blocks of the 2nd, 3rd ... reporting owner (after Table II)
    raw: str = ""  # the text as given (what the model reads)
    prose: str = ""  # ``text`` with tags, table pipes and markdown rules blanked from the footer on (footnotes, remarks, signatures)
    index: TextIndex = field(default_factory=lambda: TextIndex(""))  # lines and atoms of ``text``, computed once

    def __post_init__(self) -> None:
        if self.index.text != self.text:
            object.__setattr__(self, "index", TextIndex(self.text))

    def get(self, name: str) -> Span:
        return getattr(self, name)


_EVIDENCE = (
    re.compile(r"\s+".join(run("statement", "BENEFICIAL", 2)), re.I),
    re.compile(r"\s*".join(run("not_subject", "Section", 2)), re.I),
    ANCHORS["table1"],
    ANCHORS["box1"],
    ANCHORS["box2"],
    ANCHORS["explanation"],
    re.compile(r"\s*".join(words("form")) + r"\b", re.I),
)


_LOOSE = {  # tried only where the exact label is not found
    "table1": _table_label("table1", lookalikes=True),
    "table2": _table_label("table2", lookalikes=True),
    "explanation": re.compile(_SP.join(_broken(w, lookalikes=True) for w in words("explanation")), re.I),
    "signature_label": re.compile(r"\s+".join(_broken(w, lookalikes=True) for w in words("signature")), re.I),
}


def _first(name: str, text: str, start: int = 0) -> re.Match[str] | None:
    """The first match of a section label; OCR's look-alike letters are tried when the label is not found."""
    found = ANCHORS[name].search(text, start)
    if found is None and name in _LOOSE:
        found = _LOOSE[name].search(text, start)
    return found


_MID_LINE_PAGE_BREAK = re.compile(r"(?<=[^\n])\f")  # pypdf: "...they relate.\f3. The restricted ..."


def find_sections(text: str, continued: bool = False) -> Sections:
    """Locate the sections; raise a typed error when ``text`` is no Form 4.

    A copy of the form that the filing goes on from (``continued``: another copy follows, the
    instructions' 6(b)) may stop inside its tables: its footer is then empty, not missing.

    >>> s = find_sections(open(__file__.replace("extractor/read/sections.py", "samples/000_46eb1dd4f8015172.txt")).read())
    >>> s.table1.slice(s.text).split("\\n")[0]
    'Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned'
    """
    if not text.strip():
        raise EmptyInputError("the input is empty; pass the text of a Form 4 filing")
    raw, text = text, _MID_LINE_PAGE_BREAK.sub("\n", flatten_html_tables(text))  # same length: offsets hold
    hits = sum(bool(p.search(text)) for p in _EVIDENCE)
    t1 = _first("table1", text)
    if hits < 3:
        raise NotAForm4Error(
            "this does not look like a Form 4 (no 'Table I - Non-Derivative Securities', "
            "'Name and Address of Reporting Person' or 'Statement of Changes in Beneficial "
            "Ownership' found); pass the text of a Form 4 filing"
        )
    if t1 is None:
        raise TruncatedFilingError(
            "the filing ends before Table I (Non-Derivative Securities); "
            "the text looks truncated: pass the whole filing"
        )
    t2 = _first("table2", text, t1.end())
    after_tables = t2.end() if t2 else t1.end()
    expl = _first("explanation", text, after_tables)
    rem = _first("remarks", text, expl.end() if expl else after_tables)
    sig_label = _first("signature_label", text, (rem or expl or t2 or t1).end())
    end = len(text)
    if expl is None and rem is None and sig_label is None and continued:
        return _tables_only(raw, text, t1, t2)
    if expl is None and rem is None and sig_label is None:
        raise TruncatedFilingError(
            "the filing stops inside its tables (no 'Explanation of Responses', 'Remarks' "
            "or signature found after Table I); the text looks truncated: pass the whole filing"
        )
    footer_start = (expl or rem or sig_label).start()
    extra = ANCHORS["box1"].search(text, (t2 or t1).end(), footer_start)
    tables_end = text.rfind("\n", 0, extra.start()) + 1 if extra else footer_start
    more_owners = Span(tables_end, footer_start) if extra else Span(footer_start, footer_start)
    table1_end = t2.start() if t2 else tables_end
    table2 = Span(t2.start(), tables_end) if t2 else Span(table1_end, table1_end)
    sig_end = sig_label.start() if sig_label else end
    explanation = Span(expl.start(), (rem or sig_label).start() if (rem or sig_label) else end) if expl else Span(footer_start, footer_start)
    remarks = Span(rem.start(), sig_end) if rem else Span(explanation.end, explanation.end)
    prose_from = text.rfind("\n", 0, footer_start) + 1  # only the footer is read as prose
    prose = blank_notes(text[:prose_from] + blank_markup(text[prose_from:]), prose_from)
    signed_under = _signed_under(prose, sig_label, remarks if rem else explanation) if sig_label else None
    signature_start = sig_end if signed_under else _signature_start(prose, remarks if rem else explanation, sig_end)
    notes = ANCHORS["boilerplate"].search(text, footer_start)  # converters that print it before the signature
    prose_end = min(signature_start, notes.start()) if notes else signature_start
    remarks = Span(remarks.start, min(remarks.end, prose_end)) if rem else remarks
    explanation = Span(explanation.start, min(explanation.end, prose_end)) if not rem else explanation
    signature = signed_under or Span(signature_start, sig_label.end() if sig_label else end)
    header = Span(0, t1.start())
    boxes = {name: m.start() for name in ("box1", "box2", "box3", "box4", "box5", "box6") if (m := _first(name, text[: t1.start()]))}
    return Sections(
        text=text,
        header=header,
        table1=Span(t1.start(), table1_end),
        table2=table2,
        explanation=explanation,
        remarks=remarks,
        signature=signature,
        box_anchors=boxes,
        more_owners=more_owners,
        raw=raw,
        prose=prose,
    )


def _tables_only(raw: str, text: str, t1: re.Match[str], t2: re.Match[str] | None) -> Sections:
    """The sections of a copy of the form that stops inside its tables: an empty footer at its end."""
    end, tables_end = len(text), len(text)
    boxes = {name: m.start() for name in ("box1", "box2", "box3", "box4", "box5", "box6") if (m := _first(name, text[: t1.start()]))}
    table1_end = t2.start() if t2 else tables_end
    empty = Span(end, end)
    return Sections(
        text=text, header=Span(0, t1.start()), table1=Span(t1.start(), table1_end),
        table2=Span(t2.start(), tables_end) if t2 else Span(table1_end, table1_end), explanation=empty, remarks=empty,
        signature=empty, box_anchors=boxes, more_owners=empty, raw=raw, prose=text,
    )


#: a line that starts a signature: "/s/ Jane Roe", an entity's "[Example Fund L.P.,] By: /s/ Jane Roe, Trustee"
_SIGNATURE_START = re.compile(r"^[ \t>*\-]*(?:[^\n]*?\bBy:?[ \t]+)?(?:/s/|\\?/s\\?/|s/\s)", re.I | re.M)
#: a name and the date beside it, typed under the label without ``/s/``
_NAMED_DATE = re.compile(rf"^[ \t]*[A-Za-z][^\n]*?[ \t]{DATE_SHAPE}[ \t]*$", re.M)
_ENTITY_LINE = re.compile(r"[^\n]*[A-Za-z][^\n]*,[ \t]*$")


def signer_start(text: str, at: int, floor: int) -> int:
    """Where the signature whose ``/s/`` line starts at ``at`` begins: an entity signs with its name
    on the lines above, each ending with a comma ("Example Ventures Fund II L.P.," / "By: Example
    GP LLC, its General Partner," / "By: /s/ Jane Roe, Managing Member"), never above ``floor``.

    >>> t = "3. A note.\\nExample Fund L.P.,\\nBy: /s/ Jane Roe, Trustee"
    >>> t[signer_start(t, t.index("By:"), 0):]
    'Example Fund L.P.,\\nBy: /s/ Jane Roe, Trustee'
    """
    start = at
    for found in reversed(list(re.finditer(r"[^\n]*\S[^\n]*", text[max(floor, at - 600) : at]))[-4:]):
        line = found.group(0)
        if _DATE_LINE.match(line):
            continue  # the signature's date, printed between its lines (a date column centred on them)
        if not _ENTITY_LINE.fullmatch(line) or FOOTNOTE_START.match(line) or ANCHORS["signature_label"].search(line):
            break
        start = max(floor, at - 600) + found.start()
    return start
#: how far under the "Signature of Reporting Person" label ``/s/`` lines typed there begin
_UNDER_LABEL = 400


def _signed_under(prose: str, label: re.Match[str], before: Span) -> Span | None:
    """The ``/s/`` lines a filer typed under the form's "Signature of Reporting Person" label, where
    none stands above it: from the first to the blank line after the last (the form's own notes
    under them are blanked in ``prose``)."""
    if _SIGNATURE_START.search(prose, before.start, label.start()):
        return None
    first = _SIGNATURE_START.search(prose, label.end(), label.end() + _UNDER_LABEL)
    if first is None and not DATE_IN_TEXT.search(prose, max(before.start, label.start() - 300), label.start()):
        first = _NAMED_DATE.search(prose, label.end(), label.end() + _UNDER_LABEL)  # unsigned by /s/, dated
    if first is None:
        return None
    start = signer_start(prose, first.start(), label.end())
    end = first.end()
    for line in re.finditer(r"[^\n]*\n?", prose[start:]):
        body = line.group(0)
        if not body.strip():
            if not _SIGNATURE_START.match(prose, start + line.end()):
                break  # a blank line ends the block, unless another signature follows it
            continue
        end = start + line.start() + len(body.rstrip())
    return Span(start, end)


_DATE_LINE = re.compile(rf"^\W*{DATE_SHAPE}\W*$", re.M)


def _signature_start(text: str, before: Span, sig_end: int) -> int:
    """Where the signature block begins: the first ``/s/`` line, else the trailing name/date lines.

    Without ``/s/``, a signature printed in its own column (indented like the "Signature of
    Reporting Person" label under it) is the run of lines at that indent; otherwise the last
    line, with a date line and a name line split around it.
    """
    if m := _SIGNATURE_START.search(text, before.start, sig_end):
        return signer_start(text, m.start(), before.start)
    label_line = text.rfind("\n", 0, sig_end) + 1
    label_indent = len(text[label_line:sig_end]) - len(text[label_line:sig_end].lstrip())
    lines = [
        m
        for m in re.finditer(r"[^\n]*[A-Za-z0-9][^\n]*", text[before.start : label_line])
        if not (ANCHORS["remarks"].search(m.group(0)) or ANCHORS["explanation"].search(m.group(0)))
    ]
    if not lines:
        return sig_end
    if label_indent >= 20:
        run = []
        for m in reversed(lines):
            line = m.group(0)
            if len(line) - len(line.lstrip()) < label_indent - 12:
                break
            run.append(m)
        if run:
            return before.start + run[-1].start()
    start_idx = len(lines) - 1
    if start_idx >= 1 and _DATE_LINE.match(lines[start_idx].group(0)):
        start_idx -= 1
    elif start_idx >= 2 and _DATE_LINE.match(lines[start_idx - 1].group(0)):
        start_idx -= 2  # "name, attorney-in-fact for / date / the owner's name"
    # a name wrapped after "Attorney-in-fact for" / "By:" / a comma goes on the next line, and a
    # line starting "for ..." or in lower case goes on from the line above
    while start_idx >= 1 and not FOOTNOTE_START.match(lines[start_idx - 1].group(0)) and (
        _CONTINUED.search(_TRAILING_DATE.sub("", lines[start_idx - 1].group(0))) or _CONTINUES.match(lines[start_idx].group(0))
    ):
        start_idx -= 1
    return before.start + lines[start_idx].start()


_CONTINUED = re.compile(r"(?:\b(?:for|of|by|and|the|on\s+behalf)|[&,:-])\s*$", re.I)
_CONTINUES = re.compile(r"^[ \t]*(?:for\b|of\b|on\s+behalf\b|[a-z])")
_TRAILING_DATE = re.compile(rf"\s+{DATE_SHAPE}\W*$")  # "By: Jane Roe, Attorney-in- 04/15/2022"
