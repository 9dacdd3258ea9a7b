"""Amounts a converter split, merged or shared between columns, read back by the form's number shapes.

Numbers a converter split over two cells (``23,13⇥39``, ``$110.03⇥352``, ``5⇥047,398``) are
re-joined when the join is a well-formed reading, its alternatives kept for the assembler's
arithmetic; the amounts after a row's A/D letter are shared between the price column and the
holdings column by how well each group reads as its column's value.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..form import evidence as E
from ..entities import Candidate
from ..form.normalize import is_number_text
from .layout import Atom, AtomKind


def join_candidates(parts: Sequence[str]) -> list[Candidate]:
    """Readings of a number printed over several atoms, best first.

    >>> [c.text for c in join_candidates(["23,13", "39"])][:1]
    ['23,139']
    >>> [c.text for c in join_candidates(["$110.03", "352"])][:1]
    ['$110.0352']
    >>> [c.text for c in join_candidates(["5", "047,398"])][:1]
    ['5,047,398']
    >>> [c.text for c in join_candidates(["2", "45,223"])][:1]
    ['45,223']
    """
    parts = [p for p in parts if p]
    if not parts:
        return []
    if len(parts) == 1:
        return [Candidate(parts[0], 1.0 if is_number_text(parts[0]) else 0.0, "single")]
    out: list[Candidate] = []
    a, rest = parts[0], parts[1:]
    b = "".join(rest)
    if a and b and a[-1] == b[0] and is_number_text(a + b[1:]):
        out.append(Candidate(a + b[1:], 0.7, "overlap"))
    if is_number_text(a + b):
        out.append(Candidate(a + b, 0.4 if "." in a else 0.6, "join"))
    if is_number_text(a + "," + b):
        out.append(Candidate(a + "," + b, 0.6, "comma-join"))
    if re.fullmatch(r"\d", a) and is_number_text(b):
        out.append(Candidate(b, 0.8, "stray-digit"))
    return sorted(out, key=lambda c: -c.plausibility)


def _best_join(parts: Sequence[str]) -> Candidate | None:
    cands = join_candidates(parts)
    return cands[0] if cands and cands[0].plausibility > 0 else None


_MAX_SPLIT = 16


def split_price_following(atoms: list[Atom]) -> tuple[list[Atom], list[Atom]]:
    """Share the numeric atoms between the price column and the owned-following column."""
    atoms = [a for a in atoms if a.kind is not AtomKind.DASH]
    # a "5" or "S" read for "$" just before a decimal price
    if len(atoms) >= 2 and atoms[0].bare in {"5", "S"} and "." in atoms[1].bare:
        atoms = atoms[1:]
    if len(atoms) <= 1:
        if atoms and (atoms[0].kind in (AtomKind.DOLLAR,) or atoms[0].bare.startswith("$")):
            return atoms, []
        return [], atoms
    best: tuple[float, int] = (-1.0, 1)
    # a printed price and holding take a few atoms each; a runaway row (thousands of numbers on
    # one line) is split only near its ends, so the cost stays linear
    cuts = range(1, len(atoms)) if len(atoms) <= _MAX_SPLIT else [*range(1, 9), *range(len(atoms) - 8, len(atoms))]
    for k in cuts:
        price, follow = atoms[:k], atoms[k:]
        if any(a.footnote_ids for a in price[:-1]) or any(a.footnote_ids for a in follow[:-1]):
            continue  # a footnote mark closes a value
        score = _group_score(price, price=True) + _group_score(follow, price=False)
        if score > best[0]:
            best = (score, k)
    k = best[1]
    return atoms[:k], atoms[k:]


def _group_score(atoms: list[Atom], price: bool) -> float:
    nums = [a.bare for a in atoms if a.kind is AtomKind.NUMBER]
    marks = [a for a in atoms if a.kind is AtomKind.FOOTNOTE]
    if not nums:
        return E.IN_BOX if marks or any(a.kind is AtomKind.DOLLAR for a in atoms) else 0.0
    best = _best_join(nums)
    if best is None:
        return -1.0
    score = best.plausibility
    if price and (nums[0].startswith("$") or any(a.kind is AtomKind.DOLLAR for a in atoms)):
        score += 0.2
    return score
