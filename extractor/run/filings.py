"""Several filings in one text, and one filing continued on further copies of the form.

A text may hold several filings one after the other (a batch's pages glued together):
:func:`split_filings` cuts it where a new copy of the form's first page starts. Such a copy is not
always another filing. The paper form's Instruction 6(b) says a filing whose line items do not
fit is continued on "another Form 4, copy of Form 4 or separate 8 1/2 by 11 inch white paper",
and "each attached page must include information required in Items 1, 2 and 3 of the Form":
a copy whose reporting person, issuer and date of earliest transaction are the filing's own is
the same filing continued (:func:`same_items`), and its rows, footnotes and signatures belong
to it (:func:`join_copies`, before the record is assembled: a footnote marked on one copy and
listed on another is one note). A copy with another owner, issuer or date is another filing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from ..entities import Entity, Footer, HeaderEntities, RowEntities
from ..errors import Form4Error
from ..form import fields as F
from ..form.normalize import parse_date
from ..read.header import read_header
from ..read.sections import find_sections
from ..schema import Record

# ---------------------------------------------------------------- cutting a text into copies of the form
#: A filing ends with its signature block; a copy of the form's first page starts at the first of
#: these lines after it, when a "Name and Address of Reporting Person" follows (a second box 1).
_SIGNATURE_LINE = re.compile(r"Signature\s+of\s+Reporting\s+Person", re.I)
_FILING_START = re.compile(
    r"UNITED\s+STATES\s+SECURITIES\s+AND\s+EXCHANGE|^\W*FORM\s+4\W*$|Check\s+this\s+box\s+if\s+no\s+longer"
    r"|Name\s+and\s+Address\s+of\s+Reporting",
    re.I,
)
_BOX1 = re.compile(r"Name\s+and\s+Address\s+of\s+Reporting", re.I)
_BOX2 = re.compile(r"Issuer\s+Name\s+and\s+Ticker", re.I)
_TABLE1 = re.compile(r"Table\s+I\s*[-–—:.]+\s*Non[-–\s]*Deriv", re.I)
#: how far after a copy's first line its box 1 and box 2 labels are looked for
_PAGE_ONE = 6000


def _page_one_follows(text: str, offset: int) -> bool:
    """A copy of the form's first page starts here: box 1 and box 2 both follow, before any Table I.

    The blocks of a joint filing's further owners repeat box 1 alone (with box 5), never box 2.
    """
    end = offset + _PAGE_ONE
    table = _TABLE1.search(text, offset, end)
    end = table.start() if table else end
    return bool(_BOX1.search(text, offset, end) and _BOX2.search(text, offset, end))


def split_filings(text: str) -> list[str]:
    """The copies of the form in one text: cut where the form's first page starts again after a
    signature block, or after a Table I when box 1 and box 2 follow (a copy signed only at its end).

    >>> one = "FORM 4\\n1. Name and Address of Reporting Person* Roe Jane\\n** Signature of Reporting Person Date\\n"
    >>> [part.splitlines() for part in split_filings(one + "Reminder: ...\\n" + one)][1][0], len(split_filings(one))
    ('FORM 4', 1)
    >>> page = "FORM 4\\n1. Name and Address of Reporting Person*\\n2. Issuer Name and Ticker or Trading Symbol\\n"
    >>> len(split_filings(page + "Table I - Non-Derivative Securities\\n" + page + "Table I - Non-Derivative Securities\\n"))
    2
    """
    cuts, signed, tabled, offset = [0], False, False, 0
    for line in text.splitlines(keepends=True):
        head = line[:2000]
        if _SIGNATURE_LINE.search(head):
            signed = True
        elif (signed or tabled) and _FILING_START.search(head) and (
            _BOX1.search(text, offset, offset + 20000) if signed else _page_one_follows(text, offset)
        ):
            cuts.append(offset)
            signed = tabled = False
        if _TABLE1.search(head):
            tabled = True
        offset += len(line)
    return [text[a:b] for a, b in zip(cuts, cuts[1:] + [len(text)])]


def read_filings(text: str, source: str, read: Callable[..., Record]) -> tuple[list[Record], list[str]]:
    """Every filing in one text, read by ``read(text, source)`` (sources ``source``, ``source#2``
    ...; ``continued=True`` where another filing follows): the copies of the form that continue a
    filing are read with it, as one text. Returns
    the records and a note for each copy that could not be read; the first copy's error is raised."""
    parts = split_filings(text)
    groups: list[list[int]] = []  # the parts of each filing
    last: Items | None = None
    for k, part in enumerate(parts):
        mine = copy_items(part, continued=k + 1 < len(parts)) if len(parts) > 1 else None
        if groups and last is not None and mine is not None and same_items(last, mine):
            groups[-1].append(k)
        else:
            groups.append([k])
            last = mine
    records: list[Record] = []
    unread: list[str] = []
    for n, group in enumerate(groups, 1):
        named = source if not records else f"{source}#{len(records) + 1}"
        joined = "".join(parts[k] for k in group)
        try:  # a filing that another follows may stop inside its tables (copy_items read it so)
            records.append(read(joined, named, continued=True) if n < len(groups) else read(joined, named))
        except Form4Error as err:
            if group[0] == 0:
                raise
            unread.append(f"filing {group[0] + 1} of the text was not read: {' '.join(str(err).split())}")
    return records, unread


# ---------------------------------------------------------------- the same filing?
@dataclass(frozen=True)
class Items:
    """A copy's Items 1-3 as read: the first reporting person's name, the issuer's ticker and name,
    the date of earliest transaction (names as their letters and digits in upper case)."""

    owner: str
    ticker: str
    issuer: str
    period: object


def _words(value: str | None) -> str:
    """A name as its letters and digits, upper case ("Reid  Hoffman," -> "REID HOFFMAN")."""
    return " ".join(re.findall(r"[A-Z0-9]+", (value or "").upper()))


def items_of(header: HeaderEntities) -> Items:
    def value(entities: tuple[Entity, ...], label: str) -> str:
        return next((_words(e.value_source) for e in entities if e.label == label), "")

    period = next((parse_date(e.value_source).value for e in header.dates if e.label == F.PERIOD_DATE), None)
    return Items(value(header.owner, F.OWNER_NAME), value(header.issuer, F.TICKER), value(header.issuer, F.ISSUER_NAME), period)


def copy_items(text: str, continued: bool = False) -> Items | None:
    """The Items 1-3 of one copy of the form's text (None where it reads as no Form 4)."""
    try:
        return items_of(read_header(find_sections(text, continued)))
    except Form4Error:
        return None


def same_items(first: Items, more: Items) -> bool:
    """``more`` repeats ``first``'s Items 1, 2 and 3: the owner and the date of earliest
    transaction read on both and equal, and the issuer (ticker, else name) equal where both read it.

    >>> a = Items("ROE JANE", "EXMP", "EXAMPLE HOLDINGS INC", "2024-03-01")
    >>> same_items(a, Items("ROE JANE", "EXMP", "EXAMPLE HOLDINGS INC.", "2024-03-01")), same_items(a, Items("ROE JANE", "EXMP", "", "2024-03-02"))
    (True, False)
    """
    if not first.owner or first.owner != more.owner or first.period is None or first.period != more.period:
        return False
    if first.ticker and more.ticker:
        return first.ticker == more.ticker
    # a box 2 unread on one copy (a page break inside it, a scan's smudge) does not make another
    # filing of the same owner on the same date; one read differently on both does
    return not (first.issuer and more.issuer) or first.issuer == more.issuer


# ---------------------------------------------------------------- one filing from its copies
Copy = tuple[HeaderEntities, list[RowEntities], Footer]


def _number(footnote_id: str) -> int:
    m = re.fullmatch(r"F(\d+)", footnote_id)
    return int(m.group(1)) if m else 0


def join_copies(copies: list[Copy]) -> Copy:
    """The entities of one filing from its copies: the first copy's Items (a joint filing's further
    owners from the copy that prints them), every copy's rows in order, the notes, remarks and
    signatures each copy adds. A copy that numbers its notes from 1
    again (a note's id already used for another text) has its notes and marks renumbered after
    the filing's.

    >>> from form4.entities import Footer as Ft, FootnoteText as N
    >>> one = (None, [], Ft((N("F1", 0, 1, "a"),), None, ()))
    >>> two = (None, [RowEntities("I", 0, 1, (), ("F1",))], Ft((N("F1", 0, 1, "b"),), None, ()))
    >>> _, rows, footer = join_copies([one, two])
    >>> [r.footnote_ids for r in rows], [(n.id, n.text) for n in footer.footnotes]
    ([('F2',)], [('F1', 'a'), ('F2', 'b')])
    """
    header, rows, footer = copies[0]
    rows = list(rows)
    notes = list(footer.footnotes)
    remarks, signatures = footer.remarks, list(footer.signatures)
    for more_header, more_rows, more in copies[1:]:
        if header is not None and not header.more_owners and more_header.more_owners:
            header = replace(header, more_owners=more_header.more_owners)  # joint filers' blocks follow Table II
        texts = {n.id: n.text for n in notes}
        top = max((_number(n.id) for n in notes), default=0)
        renamed = {n.id: f"F{top + _number(n.id)}" for n in more.footnotes if n.id in texts and texts[n.id] != n.text}
        if renamed:  # numbered from 1 again: every note of the copy moves up
            renamed = {n.id: f"F{top + _number(n.id)}" for n in more.footnotes}
        for n in more.footnotes:
            n = replace(n, id=renamed.get(n.id, n.id))
            if texts.get(n.id) != n.text:
                notes.append(n)
                texts[n.id] = n.text
        rows += [replace(r, footnote_ids=tuple(renamed.get(f, f) for f in r.footnote_ids)) for r in more_rows]
        if more.remarks is not None and (remarks is None or more.remarks.value_source != remarks.value_source):
            remarks = more.remarks if remarks is None else replace(remarks, value_text=f"{remarks.value_source} {more.remarks.value_source}")
        seen = {_signed(s) for s in signatures}
        signatures += [s for s in more.signatures if _signed(s) not in seen]
    return header, rows, Footer(tuple(sorted(notes, key=lambda n: _number(n.id))), remarks, tuple(signatures))


def _signed(signature: tuple[Entity, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((e.label, e.value_source) for e in signature)
