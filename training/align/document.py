"""One filing: header, owners and signatures placed freely, the tables by rows; coverage per converter."""

from __future__ import annotations

from typing import Iterable

from form4.form import fields as F
from form4.schema import Record

from .expected import Expected, expected_values
from .hits import Alignment, Fragment, Placement, atom_hits
from .phrases import Phrase, PhraseFinder
from .regions import find_regions
from .cells import _table_cells
from .tables import TablePlacer
from .text import Taken, TokenIndex


# ---------------------------------------------------------------- header, owners, signatures
class FreePlacer:
    """Places header, owner and signature values: anywhere in a region, not overlapping."""

    def __init__(self, ix: TokenIndex, taken: Taken, finder: PhraseFinder) -> None:
        self.ix = ix
        self.taken = taken
        self.finder = finder

    def place(self, exp: Expected, lo: int, hi: int, last: bool = False) -> Placement:
        frags = self.find(exp, lo, hi, last)
        if not frags:
            return Placement(exp.pointer, exp.label, exp.printed, "missing")
        for s, e in frags:
            self.taken.add(s, e)
        return Placement(exp.pointer, exp.label, exp.printed, "placed", frags, "free")

    def find(self, exp: Expected, lo: int, hi: int, last: bool = False) -> tuple[Fragment, ...] | None:
        """The best free occurrence in ``text[lo:hi]``: the first one, or the ``last`` one."""
        if lo >= hi:
            return None
        if exp.is_atom:
            hits = [h for h in atom_hits(self.ix, exp, lo, hi) if self.taken.free(h.start, h.end)]
            if not hits:
                hits = [h for h in atom_hits(self.ix, exp, lo, hi, fuzzy=hi - lo < 20000) if self.taken.free(h.start, h.end)]
            best = max(hits, key=lambda h: (h.quality, h.start if last else -h.start), default=None)
            return ((best.start, best.end),) if best else None
        match = self.finder.find(Phrase.of(exp.printed), self.ix.span(lo, hi), lambda s, e, i: self.taken.free(s, e))
        return match.fragments if match else None


def _owner_index(exp: Expected) -> int | None:
    parts = exp.parts
    return int(parts[1]) if parts[0] == "reporting_owners" else None


def _place_header(free: FreePlacer, values: list[Expected], lo: int, hi: int) -> list[Placement]:
    """Longest values first ("C/O QUALYS, INC." before "QUALYS, INC."); the ticker after the issuer."""
    out: dict[str, Placement] = {}
    ticker = [e for e in values if e.label == F.TICKER]
    for exp in sorted((e for e in values if e.label != F.TICKER), key=lambda e: -len(e.printed)):
        out[exp.pointer] = free.place(exp, lo, hi)
    issuer = next((p for p in out.values() if p.label == F.ISSUER_NAME and p.status == "placed"), None)
    for exp in ticker:
        after = issuer.end if issuer else lo
        placement = free.place(exp, after, min(hi, after + 200)) if issuer else free.place(exp, lo, hi)
        out[exp.pointer] = placement if placement.status == "placed" else free.place(exp, lo, hi)
    return [out[e.pointer] for e in values]


def _place_signatures(free: FreePlacer, values: list[Expected], lo: int, hi: int) -> list[Placement]:
    """Signer names in order; each date after its signer's first line."""
    out: list[Placement] = []
    cursor = lo
    text = free.ix.text
    by_sig: dict[str, list[Expected]] = {}
    for exp in values:
        by_sig.setdefault(exp.parts[1], []).append(exp)
    for key in sorted(by_sig, key=int):
        names = [e for e in by_sig[key] if e.label == F.SIGNER_NAME]
        dates = [e for e in by_sig[key] if e.label == F.SIGNATURE_DATE]
        line_start = cursor
        for exp in names:
            p = free.place(exp, cursor, hi)
            out.append(p)
            if p.status == "placed":
                line_start = text.rfind("\n", lo, p.start) + 1 or lo
                cursor = p.end
        for exp in dates:
            p = free.place(exp, max(lo, line_start), hi, last=not names or out[-1].status != "placed")
            out.append(p)
            if p.status == "placed":
                cursor = max(cursor, p.end)
    return out


# ---------------------------------------------------------------- the document
def align_record(record: Record, text: str) -> Alignment:
    """Place every printed, labelled gold value of ``record`` in ``text``."""
    expected = expected_values(record)
    ix = TokenIndex.of(text)
    taken = Taken()
    finder = PhraseFinder(ix)
    extra_owners = max((_owner_index(e) or 0 for e in expected), default=0)
    regions = find_regions(text, extra_owners)
    placements: dict[str, Placement] = {}

    tables = TablePlacer(ix, taken, finder)
    for name, (lo, hi) in (("table1", regions.table1), ("table2", regions.table2)):
        for p in tables.place(_table_cells(expected, name), lo, hi):
            placements[p.pointer] = p

    free = FreePlacer(ix, taken, finder)
    header = [e for e in expected if e.parts[0] in ("issuer", "period_of_report", "date_of_original_submission") or _owner_index(e) == 0]
    for p in _place_header(free, header, *regions.header):
        placements[p.pointer] = p
    for k in range(1, extra_owners + 1):
        lo, hi = regions.owners[k - 1] if k - 1 < len(regions.owners) else (regions.table2[0], regions.signature[0])
        for p in _place_header(free, [e for e in expected if _owner_index(e) == k], lo, hi):
            placements[p.pointer] = p
    signatures = [e for e in expected if e.parts[0] == "signatures"]
    for p in _place_signatures(free, signatures, *regions.signature):
        placements[p.pointer] = p

    ordered = [placements.get(e.pointer) or Placement(e.pointer, e.label, e.printed, "missing") for e in expected]
    return Alignment(text, [_checked(ix, p) for p in ordered])


def _checked(ix: TokenIndex, p: Placement) -> Placement:
    """A placement whose fragments are not all token-aligned is not emitted."""
    if p.status == "placed" and not all(ix.aligned(s, e) for s, e in p.fragments):
        return Placement(p.pointer, p.label, p.value, "misaligned", p.fragments, p.how)
    return p


# ---------------------------------------------------------------- reporting
def coverage(alignments: Iterable[tuple[str, Alignment]]) -> dict[str, dict[str, tuple[int, int]]]:
    """converter -> label -> (placed, printed)."""
    table: dict[str, dict[str, list[int]]] = {}
    for converter, alignment in alignments:
        per = table.setdefault(converter, {})
        for p in alignment.placements:
            cell = per.setdefault(p.label, [0, 0])
            cell[1] += 1
            cell[0] += p.status == "placed"
    return {c: {k: (v[0], v[1]) for k, v in sorted(per.items())} for c, per in table.items()}
