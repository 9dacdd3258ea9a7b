"""Model entities + rule entities -> the entities the assembler reads.

The model labels spans inside the regions; here its row labels are grouped
into rows (a row is the run of lines holding one set of amounts; wrapped text
fragments join the nearest row), then merged with the rule rows they overlap:
for each field the model's reading wins, the rules fill what the model missed,
and agreement raises the evidence score. Header and signature entities merge
the same way, field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..form import fields as F
from ..entities import Entity
from ..read.layout import TextIndex
from ..entities import Footer, HeaderEntities, RowEntities
from ..read.sections import Sections
from ..read.tables.cell_stream import Paragraphs, is_cell_stream, stream_rows
from ..form.evidence import AGREE, DISAGREE, IN_BOX, MODEL_ONLY, RULE_SURE
from .sureness import row_sure

ANCHOR_LABELS = frozenset(
    {
        F.TXN_DATE,
        F.DEEMED_DATE,
        F.TXN_CODE,
        F.SHARES,
        F.ACQ_DISP,
        F.PRICE,
        F.OWNED_FOLLOWING,
        F.OWNERSHIP_FORM,
        F.CONV_PRICE,
        F.EXERCISE_DATE,
        F.EXPIRATION_DATE,
        F.UNDERLYING_SHARES,
    }
)
TEXT_LABELS = frozenset({F.SECURITY_TITLE, F.NATURE, F.UNDERLYING_TITLE})


@dataclass
class _Row:
    first_line: int
    last_line: int
    entities: list[Entity]

    def labels(self) -> set[str]:
        return {e.label for e in self.entities}


def model_rows(sections: Sections, entities: list[Entity]) -> list[RowEntities]:
    """Group the model's row-label entities of each table into rows."""
    text = sections.text
    lines = sections.index
    out: list[RowEntities] = []
    for table, span in (("I", sections.table1), ("II", sections.table2)):
        ents = sorted((e for e in entities if span.start <= e.start < span.end and e.label in F.ROW_LABELS), key=lambda e: e.start)
        paragraphs = Paragraphs(text, span.start, span.end)
        if is_cell_stream([e for e in ents if e.label in ANCHOR_LABELS], paragraphs):
            for cells, ids in stream_rows(table, text, span.start, span.end, ents, lines):
                if len(cells) > 1 and any(label in ANCHOR_LABELS for label in cells):  # a lone cell is no row
                    entities_ = tuple(_joined(text, label, parts) for label, parts in cells.items())
                    out.append(RowEntities(table, *_span_of(cells), entities_, ids, dealt=True))  # type: ignore[arg-type]
            continue
        rows: list[_Row] = []
        for e in ents:
            if e.label not in ANCHOR_LABELS:
                continue
            line = lines.line_of(e.start)
            current = rows[-1] if rows else None
            if current is None or e.label in current.labels() or line > current.last_line + 1:
                rows.append(_Row(line, line, [e]))
            else:
                current.entities.append(e)
                current.last_line = max(current.last_line, line)
        if not rows:
            continue
        for e in ents:
            if e.label in ANCHOR_LABELS:
                continue
            line = lines.line_of(e.start)
            # nearest row; a tie goes to the row above (cells are top-aligned: wrapped text runs below)
            best = min(rows, key=lambda r: (_distance(r, line), r.first_line > line))
            best.entities.append(e)
        for row in rows:
            out.append(_row_entities(table, text, lines, row))
    return out


def _distance(row: _Row, line: int) -> int:
    if row.first_line <= line <= row.last_line:
        return 0
    return min(abs(line - row.first_line), abs(line - row.last_line))


def _joined(text: str, label: str, parts: list[Entity]) -> Entity:
    """One entity from the fragments of one wrapped value, joined in reading order."""
    if len(parts) == 1:
        return parts[0] if parts[0].label == label else replace(parts[0], label=label)
    joined = " ".join(p.text.strip() for p in parts)
    probs = [p.prob for p in parts]
    prob = min(probs) if None not in probs else None  # type: ignore[type-var]
    return Entity(label, parts[0].start, parts[-1].end, text[parts[0].start : parts[-1].end], min(p.score for p in parts), "model", value_text=joined, prob=prob)


def _span_of(cells: dict[str, list[Entity]]) -> tuple[int, int]:
    parts = [e for p in cells.values() for e in p]
    return min(e.start for e in parts), max(e.end for e in parts)


def _row_entities(table: str, text: str, lines: TextIndex, row: _Row) -> RowEntities:
    merged: dict[str, list[Entity]] = {}
    for e in sorted(row.entities, key=lambda e: e.start):
        merged.setdefault(e.label, []).append(e)
    entities = [_joined(text, label, parts) for label, parts in merged.items()]
    start = min(e.start for e in entities)
    end = max(e.end for e in entities)
    line_start = lines.starts[row.first_line]
    line_end = lines.starts[row.last_line + 1] - 1 if row.last_line + 1 < len(lines.starts) else len(text)
    return RowEntities(table, start, end, tuple(entities), lines.footnote_ids(line_start, line_end))  # type: ignore[arg-type]


# ---------------------------------------------------------------- merging
def _same(a: Entity, b: Entity) -> bool:
    return " ".join(a.value_source.split()).lower() == " ".join(b.value_source.split()).lower()


def merge_entities(model: list[Entity], rules: list[Entity], model_wins: frozenset[str]) -> list[Entity]:
    """Per label: agreement -> high score; one source -> its reading; conflict -> the preferred one, lower score."""
    by_label: dict[str, Entity] = {}
    for e in rules:
        by_label.setdefault(e.label, e)
    out: list[Entity] = []
    seen = set()
    for m in model:
        if m.label in seen:
            continue
        seen.add(m.label)
        r = by_label.get(m.label)
        if r is None:
            out.append(replace(m, score=MODEL_ONLY))
        elif _same(m, r):
            # agreement confirms a clean reading; it does not clean a damaged one (re-joined, unreadable)
            out.append(replace(r, score=AGREE if r.score >= IN_BOX else r.score, source="model+rule", prob=m.prob))
        else:
            # the model overrides a reading only where the rules were unsure of it; either way the
            # field keeps the model's probability of its own reading (the notes say they disagree)
            chosen = m if m.label in model_wins and r.score < RULE_SURE else r
            out.append(replace(chosen, score=min(chosen.score, DISAGREE), notes=chosen.notes + ("model and rules disagree",), prob=m.prob))
    out += [r for label, r in by_label.items() if label not in seen]
    return out


def merge_rows(rule_rows: list[RowEntities], rows_from_model: list[RowEntities], model_wins: frozenset[str]) -> list[RowEntities]:
    if not rows_from_model:
        return rule_rows
    # a table printed one cell per paragraph has no lines for the rules to read rows on: the
    # rows dealt from the model's cells replace theirs
    dealt = {r.table for r in rows_from_model if r.dealt}
    if dealt:
        kept = [r for r in rule_rows if r.table not in dealt]
        lined = merge_rows(kept, [r for r in rows_from_model if not r.dealt], model_wins)
        return sorted(lined + [r for r in rows_from_model if r.dealt], key=lambda r: (r.table, r.start))
    out: list[RowEntities] = []
    matched: list[RowEntities] = []
    used: set[int] = set()
    for m in rows_from_model:
        match = next(
            (i for i, r in enumerate(rule_rows) if i not in used and r.table == m.table and r.start < m.end and m.start < r.end),
            None,
        )
        if match is None:
            out.append(m)
            continue
        used.add(match)
        r = rule_rows[match]
        if row_sure(r):  # a complete, well-evidenced rule row is kept as the rules read it
            out.append(r)
            matched.append(r)
            continue
        entities = merge_entities(list(m.entities), list(r.entities), model_wins)
        ids = r.footnote_ids or m.footnote_ids  # the rule row's marks are its own line's
        merged = RowEntities(m.table, min(m.start, r.start), max(m.end, r.end), tuple(entities), ids, r.alternatives)
        out.append(merged)
        matched.append(merged)
    # a row only the model saw is kept where the rules read no row of that table at all
    ruled_tables = {r.table for r in rule_rows}
    out = [row for row in out if row in matched or row.table not in ruled_tables]
    out += [r for i, r in enumerate(rule_rows) if i not in used and _has_amounts(r)]
    return sorted(out, key=lambda r: (r.table, r.start))


def _has_amounts(row: RowEntities) -> bool:
    return any(e.label in ANCHOR_LABELS for e in row.entities)


def merge_header(header: HeaderEntities, model: list[Entity], sections: Sections, model_wins: frozenset[str]) -> HeaderEntities:
    in_header = [e for e in model if sections.header.start <= e.start < sections.header.end and e.label in F.HEADER_LABELS]
    owner_labels = {F.OWNER_NAME, F.OWNER_STREET1, F.OWNER_STREET2, F.OWNER_CITY, F.OWNER_STATE, F.OWNER_ZIP, F.OFFICER_TITLE, F.OTHER_TEXT}
    issuer_labels = {F.ISSUER_NAME, F.TICKER}
    pick = lambda labels: [e for e in in_header if e.label in labels]  # noqa: E731
    return replace(
        header,
        owner=tuple(merge_entities(pick(owner_labels), list(header.owner), model_wins)),
        issuer=tuple(merge_entities(pick(issuer_labels), list(header.issuer), model_wins)),
        dates=tuple(merge_entities(pick({F.PERIOD_DATE, F.ORIGINAL_DATE}), list(header.dates), model_wins)),
    )


def merge_footer(footer: Footer, model: list[Entity], sections: Sections, model_wins: frozenset[str]) -> Footer:
    sig = [e for e in model if e.label in F.SIGNATURE_LABELS and e.start >= sections.signature.start - 2000]
    if not sig or len(footer.signatures) > 1:
        return footer
    first = list(footer.signatures[0]) if footer.signatures else []
    merged = tuple(merge_entities(sig, first, model_wins))
    return replace(footer, signatures=(merged,) + tuple(footer.signatures[1:]))
