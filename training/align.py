"""Project gold values onto flattened text: character-offset span annotations.

For every non-null gold leaf that the printed form shows as a span (see
``extractor.fields.label_for_pointer``), find where the flattened text prints it:

* the search is confined to the value's section (header, Table I, Table II,
  signature block) found by the product's own anchors, and for table values to
  the text line of the gold row (rows are matched to lines in order, by how many
  of the row's numbers and dates the line holds), so a repeated number lands in
  the right row and column;
* values are tried in the forms the form prints them (``45,551``, ``45551``,
  ``10/26/2023``, ``$0.00`` -> ``0.00``), then on an OCR-tolerant view of the
  text (case, spaces and confusable characters folded: ``Conversio n``,
  ``O``/``0``, ``S``/``5``), then within a small edit distance;
* within a row, values are placed left to right in column order, so a number
  printed twice (shares = owned following) gets its role from its position.

Values that cannot be placed, or only ambiguously, are reported per field and
never passed through as spans.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from extractor import fields as F
from extractor.errors import Form4Error
from extractor.layout import split_lines
from extractor.schema import Record, iter_leaves
from extractor.sections import Sections, Span, find_sections

# ---------------------------------------------------------------- printed forms


def number_forms(value: float) -> list[str]:
    """The ways a form prints a number, most likely first.

    >>> number_forms(45551.0)
    ['45,551', '45551']
    >>> number_forms(0.0)[:3]
    ['0.00', '0', '0.0']
    >>> number_forms(110.2893)
    ['110.2893']
    """
    if float(value).is_integer():
        n = int(value)
        if n == 0:
            return ["0.00", "0", "0.0", "0.000", "0.0000"]
        forms = [f"{n:,}", str(n)]
        forms += [f"{n:,}.00", f"{n:,}.0"]
        return list(dict.fromkeys(forms[:2] + (forms[2:] if abs(n) < 10000 else [])))
    text = repr(float(value))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 4
    forms = [f"{value:,.{d}f}" for d in range(max(2, decimals), 7)]
    forms += [f"{value:.{d}f}" for d in range(max(2, decimals), 7)]
    return [f for f in dict.fromkeys(forms) if float(f.replace(",", "")) == round(value, 6)] or [f"{value:,}"]


def date_forms(value: dt.date) -> list[str]:
    """
    >>> date_forms(dt.date(2023, 2, 6))[:3]
    ['02/06/2023', '2/6/2023', '02/06/23']
    """
    return list(
        dict.fromkeys(
            [
                value.strftime("%m/%d/%Y"),
                f"{value.month}/{value.day}/{value.year}",
                value.strftime("%m/%d/%y"),
                f"{value.month}/{value.day}/{value.strftime('%y')}",
                value.strftime("%B %d, %Y").replace(" 0", " "),
                value.strftime("%Y-%m-%d"),
            ]
        )
    )


def value_forms(value: Any) -> list[str]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return number_forms(float(value))
    if isinstance(value, str):
        try:
            return date_forms(dt.date.fromisoformat(value))
        except ValueError:
            return [value.strip()]
    return []


# ---------------------------------------------------------------- an OCR-tolerant view
_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "|": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "T": "7"})


def _fold(ch: str) -> str:
    return ch.lower().translate(_CONFUSABLE) if ch.isalnum() or ch == "|" else ch


@dataclass(frozen=True)
class Folded:
    """``text[start:end]`` without white space, folded; ``index[i]`` maps back to the text."""

    chars: str
    index: tuple[int, ...]

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Folded":
        chars, index = [], []
        for i in range(start, end):
            ch = text[i]
            if ch.isspace() or ch in "\\*_`":
                continue
            chars.append(_fold(ch))
            index.append(i)
        return cls("".join(chars), tuple(index))


def _fold_value(value: str) -> str:
    return "".join(_fold(c) for c in value if not (c.isspace() or c in "\\*_`"))


def _edit_search(hay: str, needle: str, max_errors: int) -> int | None:
    """Start of the best approximate occurrence of ``needle`` in ``hay`` (same length windows)."""
    n = len(needle)
    best: tuple[int, int] | None = None
    for start in range(0, max(0, len(hay) - n) + 1):
        window = hay[start : start + n]
        errors = sum(a != b for a, b in zip(window, needle))
        if errors <= max_errors and (best is None or errors < best[0]):
            best = (errors, start)
            if errors == 0:
                break
    return best[1] if best else None


# ---------------------------------------------------------------- placing one value
_BOUNDARY_BEFORE = r"(?<![\w.,/])"
_BOUNDARY_AFTER = r"(?![\w/]|[.,]\d)"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    how: str  # exact | folded | fuzzy


def find_value(text: str, forms: list[str], start: int, end: int, fuzzy: bool = True) -> Hit | None:
    """The first place in ``text[start:end]`` that prints one of ``forms``."""
    best: Hit | None = None
    for form in forms:
        pattern = re.escape(form).replace(r"\ ", r"\s+")
        m = re.compile(_BOUNDARY_BEFORE + pattern + _BOUNDARY_AFTER, re.I).search(text, start, end)
        if m and (best is None or m.start() < best.start):
            best = Hit(m.start(), m.end(), "exact")
    if best or not fuzzy:
        return best
    folded = Folded.of(text, start, end)
    for form in forms:
        needle = _fold_value(form)
        if len(needle) < 2:
            continue
        pos = folded.chars.find(needle)
        how = "folded"
        if pos < 0 and len(needle) >= 5:
            pos = _edit_search(folded.chars, needle, max(1, len(needle) // 8)) or -1
            how = "fuzzy"
        if pos >= 0:
            s, e = folded.index[pos], folded.index[pos + len(needle) - 1] + 1
            if best is None or s < best.start:
                best = Hit(s, e, how)
    return best


# ---------------------------------------------------------------- the document
@dataclass(frozen=True)
class Placement:
    pointer: str
    label: str
    status: str  # placed | missing | overlap
    start: int = -1
    end: int = -1
    how: str = ""


@dataclass
class Alignment:
    text: str
    placements: list[Placement] = field(default_factory=list)

    @property
    def spans(self) -> list[dict[str, Any]]:
        placed = sorted((p for p in self.placements if p.status == "placed"), key=lambda p: p.start)
        return [{"start": p.start, "end": p.end, "label": p.label} for p in placed]

    def counts(self) -> Counter:
        return Counter((F.label_for_pointer(p.pointer), p.status) for p in self.placements)


def _section_span(sections: Sections | None, name: str, text: str) -> Span:
    if sections is None:
        return Span(0, len(text))
    if name == "signature":
        return Span(sections.remarks.start if sections.remarks else sections.signature.start, sections.signature.end)
    return sections.get(name)


def align_record(record: Record, text: str) -> Alignment:
    """Place every printable gold leaf of ``record`` in ``text``."""
    try:
        sections: Sections | None = find_sections(text)
    except Form4Error:
        sections = None
    out = Alignment(text)
    taken: list[tuple[int, int]] = []
    leaves = [(p, v) for p, v in iter_leaves(record.to_json_dict()) if F.label_for_pointer(p)]
    by_group: dict[str, list[tuple[str, Any]]] = {}
    for pointer, value in leaves:
        parts = pointer.strip("/").split("/")
        group = "/".join(parts[:2]) if parts[0] in F.TABLE_KEYS else ("signature" if parts[0] == "signatures" else "header")
        by_group.setdefault(group, []).append((pointer, value))

    # header and signature values: search their section, in order
    header = _section_span(sections, "header", text)
    # longest values first: "C/O QUALYS, INC." must claim its place before "QUALYS, INC."
    header_values = sorted(by_group.pop("header", []), key=lambda pv: -len(str(pv[1])))
    for pointer, value in header_values:
        out.placements.append(_place(text, pointer, value, header.start, header.end, taken))
    sig = _section_span(sections, "signature", text)
    cursor = sig.start
    for pointer, value in by_group.pop("signature", []):
        placement = _place(text, pointer, value, cursor, sig.end, taken)
        if placement.status == "placed":
            cursor = placement.end
        out.placements.append(placement)

    # table rows: match each gold row to a line, then place its values left to right
    for key in F.TABLE_KEYS:
        rows = [g for g in by_group if g.split("/")[0] == key]
        rows.sort(key=lambda g: int(g.split("/")[1]))
        table = _section_span(sections, "table1" if key.startswith("non_") else "table2", text)
        out.placements.extend(_place_rows(text, table, [by_group[g] for g in rows], taken))
    return out


def _overlaps(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < te and ts < e for ts, te in taken)


def _place(text: str, pointer: str, value: Any, start: int, end: int, taken: list[tuple[int, int]]) -> Placement:
    label = F.label_for_pointer(pointer) or ""
    forms = value_forms(value)
    search_from = start
    while search_from < end:
        hit = find_value(text, forms, search_from, end)
        if hit is None:
            break
        if not _overlaps(taken, hit.start, hit.end):
            taken.append((hit.start, hit.end))
            return Placement(pointer, label, "placed", hit.start, hit.end, hit.how)
        search_from = hit.end
    return Placement(pointer, label, "missing")


_ANCHOR_KINDS = (float, int)


def _row_lines(text: str, table: Span) -> list[tuple[int, int]]:
    return [(line.start, line.end) for line in split_lines(text, table.start, table.end) if line.text.strip()]


def _place_rows(text: str, table: Span, rows: list[list[tuple[str, Any]]], taken: list[tuple[int, int]]) -> list[Placement]:
    lines = _row_lines(text, table)
    out: list[Placement] = []
    next_line = 0
    for row in rows:
        anchors = [(p, v) for p, v in row if isinstance(v, _ANCHOR_KINDS) or _is_date(v)]
        best, best_score = None, 0
        for i in range(next_line, len(lines)):
            s, e = lines[i]
            score = sum(1 for _, v in anchors if find_value(text, value_forms(v), s, e, fuzzy=False))
            if score > best_score:
                best, best_score = i, score
            if anchors and score == len(anchors):
                break
        if best is None:  # no line holds any of the row's numbers: search the whole table
            window = (table.start, table.end)
        else:
            next_line = best + 1
            lo = max(0, best - 2)
            hi = min(len(lines) - 1, best + 2)
            window = (lines[lo][0], lines[hi][1])
            main = lines[best]
        cursor = main[0] if best is not None else window[0]
        for pointer, value in row:
            label = F.label_for_pointer(pointer) or ""
            placed = None
            # column order on the row's own line first, then anywhere in the window
            for s, e in ((cursor, main[1]) if best is not None else (cursor, window[1]), window):
                p = _place(text, pointer, value, s, e, taken)
                if p.status == "placed":
                    placed = p
                    break
            if placed is None:
                out.append(Placement(pointer, label, "missing"))
                continue
            if best is not None and main[0] <= placed.start <= main[1]:
                cursor = placed.end
            out.append(placed)
    return out


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def coverage(alignments: Iterable[tuple[str, Alignment]]) -> dict[str, dict[str, tuple[int, int]]]:
    """converter -> label -> (placed, total)."""
    table: dict[str, dict[str, list[int]]] = {}
    for converter, alignment in alignments:
        per = table.setdefault(converter, {})
        for p in alignment.placements:
            cell = per.setdefault(p.label, [0, 0])
            cell[1] += 1
            cell[0] += p.status == "placed"
    return {c: {k: (v[0], v[1]) for k, v in sorted(per.items())} for c, per in table.items()}
