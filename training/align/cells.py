"""The cells of a table's rows in printed column order, and the heaviest monotone chain of their hits."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from form4.form.fields import Kind

from ..pages.cells import _TABLE1, _TABLE2
from .expected import Expected
from .hits import Hit


# ---------------------------------------------------------------- table columns
def _columns(layout: Sequence) -> dict[str, int]:
    """field -> column index in the printed table (a derivative amount: its (A) column)."""
    out: dict[str, int] = {}
    for index, column in enumerate(layout):
        for name in column.fields[:1]:
            out.setdefault(name, index)
    return out


_TABLE_COLUMNS = {"table1": _columns(_TABLE1), "table2": _columns(_TABLE2)}
_TABLES = {"table1": ("non_derivative_transactions", "non_derivative_holdings"), "table2": ("derivative_transactions", "derivative_holdings")}
_ATOM_WEIGHT = {Kind.DATE: 10.0, Kind.NUMBER: 10.0, Kind.LETTER: 2.0}
#: Column labels whose digits look like values: "(Instr. 3, 4 and 5)", "10. Ownership", "8)".
_HEADING_NUMBERS = re.compile(r"\(\s*Instr\.[^)]{0,20}\)?|(?<![\w,.])\d{1,2}A?\.(?=\s)|(?<![\w,.])\d\)|Month/Day/Year|\([ADI]\)")


@dataclass(eq=False)
class Cell:
    """One printed value of a table row."""

    row: int
    col: int
    exp: Expected
    hits: list[Hit] = field(default_factory=list)


def _table_cells(expected: list[Expected], table: str) -> list[list[Cell]]:
    """The table's rows (printed order: transactions, then holdings), cells in column order."""
    keys = _TABLES[table]
    columns = _TABLE_COLUMNS[table]
    rows: dict[tuple[int, int], list[Cell]] = {}
    for exp in expected:
        parts = exp.parts
        if parts[0] not in keys:
            continue
        key = (keys.index(parts[0]), int(parts[1]))
        col = columns.get(parts[2], 0)
        rows.setdefault(key, []).append(Cell(-1, col, exp))
    out = []
    for r, key in enumerate(sorted(rows)):
        cells = sorted(rows[key], key=lambda c: c.col)
        for c in cells:
            c.row = r
        out.append(cells)
    return out


# ---------------------------------------------------------------- the heaviest monotone chain
def _offsets(hit: Hit) -> tuple[int, int]:
    return hit.start, hit.end


def heaviest_chain(
    cells: Sequence[Cell],
    blocked: Callable[[Hit], bool] = lambda h: False,
    key: Callable[[Hit], tuple[int, int]] = _offsets,
    bonus: Callable[[int, Hit], float] = lambda k, h: 0.0,
) -> dict[int, Hit]:
    """Match ``cells`` (in this order) to hits at strictly increasing, non-overlapping positions.

    ``key`` gives a hit's (start, end) reading position (default: its offsets).
    Maximises the summed weight (kind weight x hit quality, plus ``bonus`` of the
    cell position and hit); ties go to earlier positions. Returns cell position -> hit.
    """
    events = sorted(
        ((*key(h), -k, k, h) for k, cell in enumerate(cells) for h in cell.hits if not blocked(h)),
        key=lambda e: (e[0], e[2]),
    )
    size = len(cells)
    tree = [-1] * (size + 1)  # Fenwick tree of node ids, prefix maximum by node value
    nodes: list[tuple[float, int, Hit, int]] = []  # (value, cell position, hit, predecessor node)
    pending: list[tuple[int, int]] = []  # (hit end, node) not yet usable as predecessors

    def better(a: int, b: int) -> bool:
        return b < 0 or (a >= 0 and nodes[a][0] > nodes[b][0])

    def update(pos: int, node: int) -> None:
        pos += 1
        while pos <= size:
            if better(node, tree[pos]):
                tree[pos] = node
            pos += pos & -pos

    def query(pos: int) -> int:  # best node among cell positions < pos
        best = -1
        while pos > 0:
            if better(tree[pos], best):
                best = tree[pos]
            pos -= pos & -pos
        return best

    for start, end, _, k, hit in events:
        while pending and pending[0][0] <= start:
            _, node = heapq.heappop(pending)
            update(nodes[node][1], node)
        pred = query(k)
        weight = _ATOM_WEIGHT[cells[k].exp.kind] * hit.quality + bonus(k, hit)
        nodes.append(((nodes[pred][0] if pred >= 0 else 0.0) + weight, k, hit, pred))
        heapq.heappush(pending, (end, len(nodes) - 1))
    best = max(range(len(nodes)), key=lambda n: (nodes[n][0], -nodes[n][2].start), default=-1)
    out: dict[int, Hit] = {}
    while best >= 0:
        _, k, hit, best = nodes[best]
        out[k] = hit
    return out
