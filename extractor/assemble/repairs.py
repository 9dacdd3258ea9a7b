"""The form's own arithmetic and implications, used to repair damaged or missing values of table rows.

Each repair marks the value it changed or supplied (``Value.repair``, one of
:data:`~form4.assemble.provenance.REPAIR_KINDS`) and, where a person should know, adds a warning.
"""

from __future__ import annotations

import datetime as dt

from ..form import evidence as E
from ..form import fields as F
from ..form.codes import side
from ..form.normalize import parse_number
from ..schema import is_amount
from .drafts import RowDraft, Value


def _chain_key(draft: RowDraft) -> tuple[str, ...]:
    return (draft.table, str(draft.get("security_title")).lower(), str(draft.get("direct_or_indirect")), str(draft.get("nature_of_ownership")))


def _expected(prev_following: float, shares: float, side: str | None) -> float | None:
    if side == "A":
        return prev_following + shares
    if side == "D":
        return prev_following - shares
    return None


def _readings(v: Value | None) -> list[float]:
    if v is None:
        return []
    out = [v.value] if v.value is not None else []
    for cand in v.alternatives:
        n = parse_number(cand.text).value
        if n is not None and n not in out:
            out.append(n)
    return out


def repair_chains(drafts: list[RowDraft], warnings: list[str]) -> None:
    """Use following[i] = following[i-1] ± shares[i] to fix damaged readings and A/D sides."""
    last: dict[tuple[str, ...], RowDraft] = {}
    for draft in drafts:
        if not draft.is_transaction:
            continue
        key = _chain_key(draft)
        prev = last.get(key)
        last[key] = draft
        if prev is None:
            continue
        prev_f, cur_f = prev.values.get("shares_owned_following"), draft.values.get("shares_owned_following")
        shares = draft.get("shares")
        if prev_f is None or cur_f is None or shares is None:
            continue
        side_v = draft.values.get("acquired_disposed")
        sides = [side_v.value] if side_v and side_v.value else ["A", "D"]
        for side in sides:
            if _consistent(prev_f, cur_f, shares, side):
                if not side_v or not side_v.value:
                    draft.values["acquired_disposed"] = Value(side, E.WORDS, None, derived=True, source="derived", repair="arithmetic")
                break
        else:
            _repair(prev_f, cur_f, shares, sides[0] if len(sides) == 1 else None, warnings)


def _consistent(prev_f: Value, cur_f: Value, shares: float, side: str) -> bool:
    for p in _readings(prev_f):
        for c in _readings(cur_f):
            exp = _expected(p, shares, side)
            if exp is not None and abs(exp - c) < 1e-6:
                if p != prev_f.value:
                    prev_f.value, prev_f.confidence, prev_f.repair = p, E.ARITHMETIC, "arithmetic"
                if c != cur_f.value:
                    cur_f.value, cur_f.confidence, cur_f.repair = c, E.ARITHMETIC, "arithmetic"
                return True
    return False


def _repair(prev_f: Value, cur_f: Value, shares: float, side: str | None, warnings: list[str]) -> None:
    """No reading fits: rebuild the less certain of the two from the other."""
    if side is None or prev_f.value is None or cur_f.value is None:
        return
    prev_damaged = bool(prev_f.alternatives) or prev_f.confidence < E.IN_BOX
    cur_damaged = bool(cur_f.alternatives) or cur_f.confidence < E.IN_BOX
    if prev_damaged and (not cur_damaged or cur_f.confidence > prev_f.confidence):
        rebuilt = cur_f.value - shares if side == "A" else cur_f.value + shares
        if not is_amount(rebuilt):
            warnings.append(f"shares owned following {prev_f.raw!r} was unreadable; the next row's holdings arithmetic gives no amount, left unread")
            return
        warnings.append(
            f"shares owned following {prev_f.raw!r} was unreadable; rebuilt as {rebuilt:,.0f} from the next row's holdings arithmetic"
        )
        prev_f.value, prev_f.confidence, prev_f.derived, prev_f.repair = rebuilt, E.IMPLIED, True, "rebuilt"
    elif cur_damaged:
        rebuilt = _expected(prev_f.value, shares, side)
        if rebuilt is not None and not is_amount(rebuilt):
            warnings.append(f"shares owned following {cur_f.raw!r} was unreadable; the previous row's holdings arithmetic gives no amount, left unread")
        elif rebuilt is not None:
            warnings.append(
                f"shares owned following {cur_f.raw!r} was unreadable; rebuilt as {rebuilt:,.0f} from the previous row's holdings arithmetic"
            )
            cur_f.value, cur_f.confidence, cur_f.derived, cur_f.repair = rebuilt, E.IMPLIED, True, "rebuilt"


def fill_implied(drafts: list[RowDraft], period: dt.date | None, warnings: list[str]) -> None:
    """What the form implies: the A/D side of a code; the earliest date for a lost first date."""
    first_transaction = True
    for draft in drafts:
        if not draft.is_transaction:
            continue
        code = draft.get("transaction_code")
        if draft.get("acquired_disposed") is None and (implied := side(code, derivative=draft.table == "II")):
            draft.values["acquired_disposed"] = Value(implied, E.IMPLIED, None, derived=True, source="derived", repair="implied")
        if draft.get("transaction_date") is None and first_transaction and period is not None:
            draft.values["transaction_date"] = Value(period, E.WEAK, None, derived=True, source="derived", repair="implied")
            warnings.append(
                "the first transaction date was unreadable; took box 3 (date of earliest transaction)"
            )
        first_transaction = False


def _number(fid: str) -> int:
    return int(fid[1:]) if fid[1:].isdigit() else 0


def place_unread_marks(drafts: list[RowDraft], listed: list[str], warnings: list[str]) -> None:
    """Give a listed footnote no row references to the one row its number allows.

    Every footnote in Explanation of Responses is referenced somewhere, and filers number
    footnotes in the order of their first mark, so footnote k is first marked at or after the
    rows where 1 .. k-1 first are, and at or before the rows where k+1 ... first are. When
    that leaves one row (OCR dropped a thin "(1)"), the mark is put there, with low confidence;
    footnote 1 with several rows allowed goes on the first. Rows are in printed order (Table I,
    then Table II). Measured on the training split (rules): OCR-300 F1 +0.009; the same rule
    for every footnote (earliest allowed row) lost 0.008, so it stops at footnote 1.
    """
    first: dict[str, int] = {}
    for i, draft in enumerate(drafts):
        for fid in draft.footnote_ids:
            first.setdefault(fid, i)
    for fid in sorted(listed, key=_number):
        if fid in first or not drafts:
            continue
        k = _number(fid)
        lo = max((row for other, row in first.items() if _number(other) < k), default=0)
        hi = min((row for other, row in first.items() if _number(other) > k), default=len(drafts) - 1)
        if lo != hi and k != 1:  # footnote 1, if unsure, goes where the first mark most often is: the first row
            continue
        draft = drafts[lo]
        ids = list(draft.footnote_ids)
        at = next((j for j, other in enumerate(ids) if _number(other) > k), len(ids))  # read ids keep their order
        draft.footnote_ids = tuple(ids[:at] + [fid] + ids[at:])
        draft.placed_ids = draft.placed_ids | {fid}
        first[fid] = lo
        where = "the one row its number allows" if lo == hi else "the first row"
        warnings.append(f"footnote {fid} is marked nowhere readable; placed on {where}")
