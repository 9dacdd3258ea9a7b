"""Several filings in one text, and one filing continued on further copies of the form.

A text may hold several filings one after the other (a batch's pages glued together):
:func:`split_filings` cuts it where a new copy of the form's first page starts. Such a copy is not
always another filing. The paper form's Instruction 6(b) says a filing whose line items do not
fit is continued on "another Form 4, copy of Form 4 or separate 8 1/2 by 11 inch white paper",
and "each attached page must include information required in Items 1, 2 and 3 of the Form":
a copy whose reporting person, issuer and date of earliest transaction are the filing's own is
the same filing continued (:func:`same_filing`), and its rows, footnotes and signatures belong
to it (:func:`continued`). A copy with another owner, issuer or date is another filing.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..errors import Form4Error
from ..schema import TABLES, Footnote, Record, iter_leaves

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


def read_filings(text: str, source: str, read: Callable[[str, str], Record]) -> tuple[list[Record], list[str]]:
    """Every filing in one text, each with the copies of the form that continue it, read by
    ``read(text, source)`` (sources ``source``, ``source#2`` ...), and a note for each copy that
    could not be read. The first copy's error is raised."""
    records: list[Record] = []
    unread: list[str] = []
    for n, part in enumerate(split_filings(text), 1):
        try:
            record = read(part, source if n == 1 else f"{source}#{len(records) + 1}")
        except Form4Error as err:
            if n == 1:
                raise
            unread.append(f"filing {n} of the text was not read: {' '.join(str(err).split())}")
            continue
        if records and same_filing(records[-1], record):
            records[-1] = continued(records[-1], record)
        else:
            records.append(record)
    return records, unread


# ---------------------------------------------------------------- the same filing?
def _words(value: str | None) -> str:
    """A name as its letters and digits, upper case ("Reid  Hoffman," -> "REID HOFFMAN")."""
    return " ".join(re.findall(r"[A-Z0-9]+", (value or "").upper()))


def same_filing(first: Record, more: Record) -> bool:
    """``more`` repeats ``first``'s Items 1, 2 and 3: the first reporting person's name, the
    issuer (ticker, else name) and the date of earliest transaction, each read on both and equal.

    >>> from form4.schema import Issuer, ReportingOwner as O
    >>> a = Record(period_of_report="2024-03-01", issuer=Issuer(name="Acme Corp", trading_symbol="ACME"), reporting_owners=(O(name="Roe Jane"),))
    >>> same_filing(a, a.model_copy(update={"issuer": Issuer(name="ACME CORP.", trading_symbol="ACME")}))
    True
    >>> same_filing(a, a.model_copy(update={"period_of_report": "2024-03-02"}))
    False
    """
    owner_a = _words(first.reporting_owners[0].name) if first.reporting_owners else ""
    owner_b = _words(more.reporting_owners[0].name) if more.reporting_owners else ""
    if not owner_a or owner_a != owner_b:
        return False
    if first.period_of_report is None or first.period_of_report != more.period_of_report:
        return False
    ticker_a, ticker_b = _words(first.issuer.trading_symbol), _words(more.issuer.trading_symbol)
    if ticker_a and ticker_b:
        return ticker_a == ticker_b
    issuer_a, issuer_b = _words(first.issuer.name), _words(more.issuer.name)
    return bool(issuer_a) and issuer_a == issuer_b


# ---------------------------------------------------------------- one filing from its copies
_POINTER = re.compile(r"^/([a-z_]+)/(\d+)(/.*)?$")


def _numbered(footnote_id: str) -> int | None:
    m = re.fullmatch(r"F(\d+)", footnote_id)
    return int(m.group(1)) if m else None


def _footnotes(first: Record, more: Record) -> tuple[list[Footnote], dict[str, str], dict[int, int]]:
    """The footnotes of both copies: ``more``'s notes already listed are dropped, a note whose id
    ``first`` uses for another text gets the next free number (the copy numbered its notes from 1
    again). Returns the notes, ``more``'s renamed ids and where each of ``more``'s notes went."""
    notes = list(first.footnotes)
    by_id = {f.id: f for f in notes}
    used = [n for n in (_numbered(f.id) for f in notes) if n is not None]
    next_free = max(used, default=0) + 1
    renamed: dict[str, str] = {}
    placed: dict[int, int] = {}
    for k, note in enumerate(more.footnotes):
        old = by_id.get(note.id)
        if old is not None and (old.text or "") == (note.text or ""):
            continue
        if old is not None:
            renamed[note.id] = f"F{next_free}"
            note = Footnote(id=f"F{next_free}", text=note.text)
        next_free = max(next_free, (_numbered(note.id) or 0) + 1)
        placed[k] = len(notes)
        notes.append(note)
        by_id[note.id] = note
    return notes, renamed, placed


def _filled(first: Any, more: Any) -> dict[str, Any]:
    """The fields of ``first`` (a frozen model) that are unread, filled from ``more``."""
    return {name: getattr(more, name) for name in type(first).model_fields if getattr(first, name) is None and getattr(more, name) is not None}


def continued(first: Record, more: Record) -> Record:
    """``first`` with the copy ``more`` of the same filing added: its rows after ``first``'s in each
    table, its footnotes and signatures that ``first`` does not have, its remarks after
    ``first``'s, and the Items ``first`` left unread; confidences follow their leaves.

    >>> from form4.schema import NonDerivativeHolding as H, Footnote as N
    >>> a = Record(non_derivative_holdings=(H(shares_owned_following=5, footnote_ids=("F1",)),), footnotes=(N(id="F1", text="a"),))
    >>> b = Record(non_derivative_holdings=(H(shares_owned_following=7, footnote_ids=("F1",)),), footnotes=(N(id="F1", text="b"),),
    ...            confidence={"/non_derivative_holdings/0/shares_owned_following": 0.9, "/footnotes/0/text": 0.8})
    >>> c = continued(a, b)
    >>> [h.footnote_ids for h in c.non_derivative_holdings], [f.id for f in c.footnotes], sorted(c.confidence)
    ([('F1',), ('F2',)], ['F1', 'F2'], ['/footnotes/1/text', '/non_derivative_holdings/1/shares_owned_following'])
    """
    notes, renamed, placed_notes = _footnotes(first, more)
    update: dict[str, Any] = {"footnotes": tuple(notes)}
    moved: dict[str, dict[int, int]] = {"footnotes": placed_notes}
    for key in TABLES:
        mine, theirs = getattr(first, key), getattr(more, key)
        theirs = tuple(r.model_copy(update={"footnote_ids": tuple(renamed.get(f, f) for f in r.footnote_ids)}) for r in theirs)
        update[key] = mine + theirs
        moved[key] = {k: len(mine) + k for k in range(len(theirs))}
    signatures = list(first.signatures)
    moved["signatures"] = {}
    for k, signature in enumerate(more.signatures):
        if signature not in signatures:
            moved["signatures"][k] = len(signatures)
            signatures.append(signature)
    update["signatures"] = tuple(signatures)
    if more.remarks and more.remarks != first.remarks:
        update["remarks"] = f"{first.remarks} {more.remarks}" if first.remarks else more.remarks
    top = _filled(first, more)
    for name in ("footnotes", "signatures", "remarks", "confidence", "warnings", "review", "record_confidence", "source", *TABLES):
        top.pop(name, None)
    update.update(top)
    update["issuer"] = first.issuer.model_copy(update=_filled(first.issuer, more.issuer))
    owners = {_words(o.name): o for o in more.reporting_owners}
    update["reporting_owners"] = tuple(o.model_copy(update=_filled(o, owners.get(_words(o.name), o))) for o in first.reporting_owners)
    update["warnings"] = tuple(dict.fromkeys(first.warnings + more.warnings))
    joined = first.model_copy(update=update)
    read = {pointer for pointer, value in iter_leaves(joined.to_json_dict()) if value is not None}
    confidence = {**_moved(more.confidence, moved), **first.confidence}
    review = dict.fromkeys(first.review) | dict.fromkeys(_moved(dict.fromkeys(more.review, 0.0), moved))
    both = None if first.record_confidence is None or more.record_confidence is None else first.record_confidence * more.record_confidence
    return joined.model_copy(update={
        "confidence": {p: c for p, c in confidence.items() if p in read},
        "review": tuple(p for p in review if p in read),
        "record_confidence": both if both is not None else first.record_confidence,
    })


def _moved(by_pointer: dict[str, float], moved: dict[str, dict[int, int]]) -> dict[str, float]:
    """``more``'s values by pointer under the pointers its leaves have in the joined record (the
    rows, notes and signatures it adds; a header leaf keeps its pointer)."""
    out = {}
    for pointer, score in by_pointer.items():
        m = _POINTER.match(pointer)
        if m and m.group(1) in moved:
            where = moved[m.group(1)].get(int(m.group(2)))
            if where is None:
                continue
            pointer = f"/{m.group(1)}/{where}{m.group(3) or ''}"
        out[pointer] = score
    return out
