"""Holding chains across a batch: an owner's filings checked against each other.

Every Form 4 row states the holding after it (column 5 of Table I, 9 of Table II). The same
owner's next filing, for the same security and ownership form, starts from that holding: its
first row's holding is the previous filing's last holding plus or minus the row's shares (a
holdings row repeats it). :func:`check_chains` links a batch's records into chains by

* reporting owner (every owner's name, normalised), issuer (ticker, else name),
* table, security title and ownership form (``D``, or ``I`` with its nature; for Table II
  also the exercise price and expiration date, each grant its own chain),

orders each chain's filings by their first transaction date (then period of report, then
source: any input order gives the same chains) and checks each filing's first holding
against the previous filing's last. A **break** is a warning on both records, each naming the
other and the expected holding; the two holdings are listed for review. Where one other
reading of one of the values (the record's ``alternatives``) closes the chain, and breaks no
link that held, the value is **re-read** with a warning and lower confidence. A filing missing
from the batch shows as one break where the holding jumps; the chain goes on after it. A second
copy of one filing (the same period and trades: the text given twice, or read by two
converters) is set aside, status ``copy``.

A 4/A whose original is in the batch takes the original's place (:mod:`form4.run.amendments`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..form import evidence as E
from ..schema import Record
from .amendments import Amendment, match_amendments
from .filers import issuer_key, normalised, owner_key

TABLE_OF = {"non_derivative_transactions": "I", "non_derivative_holdings": "I",
            "derivative_transactions": "II", "derivative_holdings": "II"}
#: Rows of a filing in the order its holdings follow each other: transactions, then holdings.
ROW_ORDER = ("non_derivative_transactions", "non_derivative_holdings", "derivative_transactions", "derivative_holdings")
WARNING_PREFIX = "holding chain: "
#: The chains table's columns (``--chains FILE``; ``chains.parquet`` of the Dask engine).
COLUMNS = ("owner", "issuer", "security", "form", "date", "holding", "source", "row", "status", "expected")


@dataclass(frozen=True)
class ChainKey:
    owner: str
    issuer: str
    table: str
    security: str
    form: str


@dataclass(eq=False)
class Link:
    """One row's holding in a chain."""

    record: int  # index of its record in the batch
    table: str  # record key: non_derivative_transactions ...
    row: int
    date: dt.date | None
    shares: float | None
    side: str | None
    following: float | None
    transaction: bool
    status: str = "start"  # start, ok, break, repaired, unchecked, copy, outlier, amended
    expected: float | None = None

    @property
    def where(self) -> str:
        return f"{self.table}[{self.row}]"


@dataclass
class ChainReport:
    """What :func:`check_chains` found: the amended records, the table rows, the summary."""

    records: list[Record]
    changed: set[int] = field(default_factory=set)
    rows: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- keys and links
def chain_key(record: Record, table: str, row: Any) -> ChainKey | None:
    """The chain a row's holding belongs to (None: too little read to place it)."""
    owner, issuer, security = owner_key(record), issuer_key(record), normalised(row.security_title)
    form = row.direct_or_indirect
    if not (owner and issuer and security and form):
        return None
    form_text = "D" if form == "D" else f"I: {normalised(row.nature_of_ownership)}".rstrip(": ")
    if TABLE_OF[table] == "II":
        price = getattr(row, "conversion_or_exercise_price", None)
        expires = getattr(row, "expiration_date", None)
        security += f" @{price:g}" if price is not None else ""
        security += f" to {expires.isoformat()}" if expires is not None else ""
    return ChainKey(owner, issuer, TABLE_OF[table], security, form_text)


def _links(records: Sequence[Record], skip: set[int]) -> dict[ChainKey, dict[int, list[Link]]]:
    """Chain -> record index -> its links in printed order."""
    chains: dict[ChainKey, dict[int, list[Link]]] = {}
    for n, record in enumerate(records):
        if n in skip:
            continue
        for table in ROW_ORDER:
            for i, row in enumerate(getattr(record, table)):
                key = chain_key(record, table, row)
                if key is None:
                    continue
                transaction = table.endswith("transactions")
                link = Link(n, table, i, getattr(row, "transaction_date", None), getattr(row, "shares", None) if transaction else None,
                            getattr(row, "acquired_disposed", None), row.shares_owned_following, transaction)
                chains.setdefault(key, {}).setdefault(n, []).append(link)
    return chains


def _filing_order(records: Sequence[Record], groups: dict[int, list[Link]]) -> list[int]:
    """The chain's filings by first transaction date, then period of report, then source."""
    far = dt.date.max

    def when(n: int) -> tuple:
        dates = [link.date for link in groups[n] if link.date is not None]
        period = records[n].period_of_report
        return (min(dates) if dates else period or far, period or far, max(dates) if dates else far, records[n].source or "", n)

    return sorted(groups, key=when)


def _without_copies(records: Sequence[Record], groups: dict[int, list[Link]], order: list[int]) -> list[int]:
    """The order without second copies of one filing (the same text given twice, or read by two
    converters): same period of report, same trades on this chain. A copy's links get status ``copy``."""
    def trades(n: int) -> tuple:
        return records[n].period_of_report, tuple((l.date, l.shares, l.side) for l in groups[n])

    kept: list[int] = []
    for n in order:
        if any(trades(m) == trades(n) for m in kept[-3:]):
            for link in groups[n]:
                link.status = "copy"
        else:
            kept.append(n)
    return kept


def _holds(groups: dict[int, list[Link]], before: int, after: int) -> bool | None:
    last, first = groups[before][-1], groups[after][0]
    return follows(last.following, first) if last.following is not None else None


def _without_outliers(batch: "_Batch", key: ChainKey, groups: dict[int, list[Link]], order: list[int]) -> list[int]:
    """Set aside a filing that breaks with both neighbours while they follow each other: its rows
    are not this chain's (a misread title or ownership form put them here) or its holding is
    misread. One warning, on it alone; its links get status ``outlier``."""
    kept = list(order)
    i = 1
    while i < len(kept) - 1:
        before, n, after = kept[i - 1], kept[i], kept[i + 1]
        if _holds(groups, before, n) is False and _holds(groups, n, after) is False and _holds(groups, before, after):
            for link in groups[n]:
                link.status = "outlier"
            first, records = groups[n][0], batch.records
            batch.warn(n, f"{first.where} {key.security} ({key.form}): {amount(first.following) if first.following is not None else 'its holding'} "
                       f"owned following does not fit between {records[before].source or 'the previous filing'} and "
                       f"{records[after].source or 'the next filing'}, which follow each other: its holding, title or "
                       f"ownership form is misread", f"/{first.table}/{first.row}/shares_owned_following", factor=E.BREACHED)
            kept.pop(i)
        else:
            i += 1
    return kept


def _other_natures(chains: dict[ChainKey, dict[int, list[Link]]], key: ChainKey, n: int) -> list[float]:
    """The holdings filing ``n`` states for the key's security held indirectly under another nature.

    A long nature of ownership wraps over lines and a reader can cut it at the wrong line, so
    one fund's rows carry two natures, or two funds' one: a holding that follows from the
    filing's holding under another nature is not a break.
    """
    if not key.form.startswith("I"):
        return []
    return [link.following for other, groups in chains.items() if other != key and other.form.startswith("I")
            and (other.owner, other.issuer, other.table, other.security) == (key.owner, key.issuer, key.table, key.security)
            for link in groups.get(n, ()) if link.following is not None]


# ---------------------------------------------------------------- the arithmetic
def follows(before: float, link: Link, following: float | None = None, shares: float | None = None) -> bool | None:
    """Does ``link``'s holding follow from the holding ``before``? None: too little read to say."""
    following = link.following if following is None else following
    shares = link.shares if shares is None else shares
    expected = expected_after(before, link, shares)
    if following is None or not expected:
        return None
    return any(_same(e, following) for e in expected)


def expected_after(before: float, link: Link, shares: float | None = None) -> list[float]:
    """The holdings ``link`` may state after ``before``: ± its shares (either side when unread).

    >>> expected_after(100.0, Link(0, "t", 0, None, 30.0, "D", 70.0, True))
    [70.0]
    """
    shares = link.shares if shares is None else shares
    if not link.transaction:
        return [before]
    if shares is None:
        return []
    sides = [link.side] if link.side in ("A", "D") else ["A", "D"]
    return [before + shares if side == "A" else before - shares for side in sides]


def amount(value: float) -> str:
    """A holding as the form prints it: ``1,234,567``, ``10.5``.

    >>> amount(1234567.0), amount(10.5)
    ('1,234,567', '10.5')
    """
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6f}".rstrip("0")


def _same(a: float, b: float) -> bool:
    """Equal, or equal but for a fractional share's rounding."""
    whole = float(a).is_integer() and float(b).is_integer()
    return abs(a - b) < (1e-6 if whole else 1.0)


# ---------------------------------------------------------------- the check
class _Batch:
    """The records being amended: changed values, confidences, warnings and review pointers."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = list(records)
        self.updates: dict[int, dict[str, Any]] = {}
        self.warnings: dict[int, list[str]] = {}
        self.review: dict[int, list[str]] = {}
        self.confidence: dict[int, dict[str, float]] = {}

    def warn(self, n: int, text: str, *pointers: str, factor: float = 1.0) -> None:
        self.warnings.setdefault(n, []).append(WARNING_PREFIX + text)
        self.review.setdefault(n, []).extend(pointers)
        conf = self.confidence.setdefault(n, {})
        for pointer in pointers:
            old = conf.get(pointer, self.records[n].confidence.get(pointer, E.UNSCORED))
            conf[pointer] = round(old * factor, 4)

    def set_value(self, n: int, link: Link, name: str, value: float) -> None:
        rows = self.updates.setdefault(n, {}).setdefault(link.table, list(getattr(self.records[n], link.table)))
        rows[link.row] = rows[link.row].model_copy(update={name: value})
        self.confidence.setdefault(n, {})[f"/{link.table}/{link.row}/{name}"] = min(
            self.records[n].confidence.get(f"/{link.table}/{link.row}/{name}", E.ARITHMETIC), E.ARITHMETIC)

    def finish(self) -> tuple[list[Record], set[int]]:
        changed = set(self.updates) | set(self.warnings)
        out = list(self.records)
        for n in changed:
            record = out[n]
            update: dict[str, Any] = {table: tuple(rows) for table, rows in self.updates.get(n, {}).items()}
            update["warnings"] = tuple(dict.fromkeys(record.warnings + tuple(self.warnings.get(n, ()))))
            update["confidence"] = {**record.confidence, **self.confidence.get(n, {})}
            update["review"] = tuple(dict.fromkeys(record.review + tuple(self.review.get(n, ()))))
            out[n] = record.model_copy(update=update)
        return out, changed


def check_chains(records: Sequence[Record]) -> ChainReport:
    """Link the batch's records into holding chains, check them, re-read what one reading closes."""
    batch = _Batch(records)
    amendments = match_amendments(records)
    for amendment in amendments:
        for n, text in amendment.warnings(records):
            batch.warn(n, text)
    superseded = {a.original for a in amendments}
    chains = _links(records, superseded)
    report_rows: list[dict[str, Any]] = []
    counts = {"chains": 0, "links": 0, "ok": 0, "breaks": 0, "repaired": 0, "unchecked": 0}
    breaks: list[dict[str, Any]] = []
    for key, groups in sorted(chains.items(), key=lambda item: tuple(vars(item[0]).values())):
        order = _without_copies(records, groups, _filing_order(records, groups))
        counts["chains"] += len(order) > 1
        _check_within(groups, order)
        order = _without_outliers(batch, key, groups, order)
        for before, after in zip(order, order[1:]):
            counts["links"] += 1
            status = _check_link(batch, key, groups, order, before, after, _other_natures(chains, key, before))
            counts[status] += 1
            if status == "breaks":
                first = groups[after][0]
                breaks.append({"owner": key.owner, "issuer": key.issuer, "security": key.security, "form": key.form,
                               "source": records[after].source, "row": first.where, "expected": first.expected,
                               "after": records[before].source})
        for n in sorted(groups, key=lambda n: (n not in order, order.index(n) if n in order else n)):
            report_rows.extend(_table_row(key, records[n], link) for link in groups[n])
    for amendment in amendments:
        report_rows.extend(_superseded_rows(records, amendment))
    out, changed = batch.finish()
    set_aside = [links[0].status for key_groups in chains.values() for links in key_groups.values()]
    summary = {**counts, "outliers": set_aside.count("outlier"), "copies": set_aside.count("copy"), "amendments": len(amendments), "breaks_found": breaks}
    return ChainReport(out, changed, report_rows, summary)


def _check_within(groups: dict[int, list[Link]], order: list[int]) -> None:
    """Statuses of the rows after each filing's first (the assembler checks and warns within a filing)."""
    for n in order:
        for prev, link in zip(groups[n], groups[n][1:]):
            ok = follows(prev.following, link) if prev.following is not None else None
            link.status = "unchecked" if ok is None else ("ok" if ok else "break")
            link.expected = expected_after(prev.following, link)[0] if ok is not None else None


def _check_link(batch: _Batch, key: ChainKey, groups: dict[int, list[Link]], order: list[int], before: int, after: int,
                others: Sequence[float] = ()) -> str:
    """Check the first link of filing ``after`` against the last of ``before``; repair or warn.
    ``others``: the holdings ``before`` states for the same security under other natures."""
    last, first = groups[before][-1], groups[after][0]
    if last.following is None or follows(last.following, first) is None:
        first.status = "unchecked"
        return "unchecked"
    first.expected = expected_after(last.following, first)[0]
    if follows(last.following, first) or any(follows(other, first) for other in others):
        first.status = "ok"
        return "ok"
    repair = _repair(batch, groups, order, before, after)
    records = batch.records
    if repair is not None:
        link, name, old, new = repair
        batch.set_value(link.record, link, name, new)
        setattr(link, "following" if name == "shares_owned_following" else "shares", new)
        how = (f"so that {records[after].source or 'the next filing'} follows from it" if link is last
               else f"so that it follows from {records[before].source or 'the previous filing'}")
        batch.warn(link.record, f"{link.where} {key.security} ({key.form}) {name.replace('_', ' ')} re-read as {amount(new)} "
                   f"(read {amount(old)}; the text allows both) {how}")
        first.status = "repaired"
        first.expected = expected_after(last.following, first)[0]
        return "repaired"
    first.status = "break"
    pointer_last, pointer_first = f"/{last.table}/{last.row}/shares_owned_following", f"/{first.table}/{first.row}/shares_owned_following"
    batch.warn(after, f"{first.where} {key.security} ({key.form}): {amount(first.following)} owned following does not follow from "
               f"{records[before].source or 'the previous filing'} ({last.where}, {_day(last, records[before])}: {amount(last.following)}); "
               f"expected {amount(first.expected)}. A value is misread, or a filing between them is missing from the batch",
               pointer_first, factor=E.BREACHED)
    batch.warn(before, f"{last.where} {key.security} ({key.form}): {amount(last.following)} owned following is not where "
               f"{records[after].source or 'the next filing'} starts ({first.where}, {_day(first, records[after])}: "
               f"{amount(first.following)}, expected {amount(first.expected)})", pointer_last, factor=E.BREACHED)
    return "breaks"


def _day(link: Link, record: Record) -> str:
    day = link.date or record.period_of_report
    return day.isoformat() if day else "undated"


def _repair(batch: _Batch, groups: dict[int, list[Link]], order: list[int], before: int, after: int):
    """The one other reading that closes the link and breaks no link that held: (link, field, old, new)."""
    last, first = groups[before][-1], groups[after][0]
    chain = [link for n in order for link in groups[n]]
    found = []
    for link, name in ((last, "shares_owned_following"), (first, "shares"), (first, "shares_owned_following")):
        record = batch.records[link.record]
        for value in record.alternatives.get(f"/{link.table}/{link.row}/{name}", ()):
            if name == "shares":
                closes = follows(last.following, first, shares=value)
            elif link is last:
                closes = follows(value, first)
            else:
                closes = follows(last.following, first, following=value)
            if closes and (name == "shares" or _keeps_neighbours(chain, link, value, skip=first if link is last else last)):
                found.append((link, name, link.shares if name == "shares" else link.following, value))
    return found[0] if len(found) == 1 else None


def _keeps_neighbours(chain: list[Link], link: Link, value: float, skip: Link) -> bool:
    """A re-read holding breaks no link to its neighbours (but ``skip``, the link being mended) that held."""
    at = chain.index(link)
    prev = chain[at - 1] if at > 0 else None
    nxt = chain[at + 1] if at + 1 < len(chain) else None
    if prev is not None and prev is not skip and prev.following is not None:
        if follows(prev.following, link) and not follows(prev.following, link, following=value):
            return False
    if nxt is not None and nxt is not skip and link.following is not None:
        if follows(link.following, nxt) and not follows(value, nxt):
            return False
    return True


def _table_row(key: ChainKey, record: Record, link: Link) -> dict[str, Any]:
    return {"owner": key.owner, "issuer": key.issuer, "security": key.security, "form": key.form,
            "date": link.date or record.period_of_report, "holding": link.following, "source": record.source,
            "row": link.where, "status": link.status, "expected": link.expected}


def _superseded_rows(records: Sequence[Record], amendment: Amendment) -> list[dict[str, Any]]:
    record = records[amendment.original]
    out = []
    for table in ROW_ORDER:
        for i, row in enumerate(getattr(record, table)):
            key = chain_key(record, table, row)
            if key is not None:
                link = Link(amendment.original, table, i, getattr(row, "transaction_date", None), None, None, row.shares_owned_following, False, "amended")
                out.append(_table_row(key, record, link))
    return out
