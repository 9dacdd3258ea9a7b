"""The review page: one self-contained HTML file showing what was read from where.

``form4 extract FILE --report out.html`` writes it. Every value is marked where the readers
found it (the character offsets the pipeline keeps for each leaf: its provenance), coloured by
its confidence; a value read across wrapped lines is marked on each line. Values no reader saw
printed (a checkbox's state, a holding rebuilt by the arithmetic, a side the code implies) are
listed as such. The fields to check are the record's own ``review`` list, in its order (the
likeliest and costliest mistakes first), under the review threshold the page states. No script,
no external asset (a Content-Security-Policy forbids both): the page opens from a file with the
network off.
Seed 000, for example: ``/issuer/trading_symbol`` is marked at the ``QLYS`` its box 2 prints,
``/non_derivative_transactions/0/shares`` at the row's ``45,551``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..form.fields import label_for_pointer
from ..schema import Record, iter_leaves

#: The page loads nothing and runs nothing, whatever the text it shows holds: its own styles only.
CSP = """<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"""

#: Fields below this confidence are listed first when the record carries no review list of its own
#: (rules only: no calibrated confidence).
DEFAULT_THRESHOLD = 0.9


@dataclass
class Located:
    """Where each field's value was printed: pointer -> fragments, and the fields not found."""

    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


_WORD = re.compile(r"\S+")
#: Footnote marks a reader's cell may end with ("45,551 (1)", "45,551 ⁽¹⁾"): not part of the value.
_TRAILING_MARKS = re.compile(r"(?:\s*(?:\(\d{1,2}\)|⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾|\[\d{1,2}\]|<sup>[^<]{0,6}</sup>))+\s*$")


def fragments(text: str, start: int, end: int, value: object) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` that print ``value``: the whole span on one line; across
    lines, the runs of the value's words on each line (a wrapped title, not the cells between).

    >>> t = "Common   02/01  S\\nStock\\n"
    >>> [t[s:e] for s, e in fragments(t, 0, 23, "Common Stock")]
    ['Common', 'Stock']
    >>> [t[s:e] for t in ["45,551 (1)"] for s, e in fragments(t, 0, 10, 45551)]
    ['45,551']
    """
    if "\n" not in text[start:end]:
        mark = _TRAILING_MARKS.search(text, start, end)
        return [(start, mark.start())] if mark and mark.start() > start else [(start, end)]
    wanted = [w.lower() for w in str(value).split()]
    found: list[tuple[int, int]] = []
    at = 0
    for m in _WORD.finditer(text, start, end):
        if at < len(wanted) and m.group(0).lower().strip(",.;:") == wanted[at].strip(",.;:"):
            if found and "\n" not in text[found[-1][1] : m.start()] and not text[found[-1][1] : m.start()].strip():
                found[-1] = (found[-1][0], m.end())
            else:
                found.append((m.start(), m.end()))
            at += 1
    return found or [(start, end)]


def locate(record: Record, text: str, spans: Mapping[str, Sequence[tuple[int, int]]]) -> Located:
    """Every leaf of ``record`` with offsets (``spans``, from the pipeline's provenance) marked in ``text``."""
    out = Located()
    for pointer, value in iter_leaves(record.to_json_dict()):
        pieces = [p for s, e in spans.get(pointer, ()) if 0 <= s < e <= len(text) for p in fragments(text, s, e, value)]
        if pieces:
            out.spans[pointer] = pieces
            label = label_for_pointer(pointer)
            if label:
                out.labels[pointer] = label
        else:
            out.missing.append(pointer)
    return out


def colour(confidence: float, threshold: float = DEFAULT_THRESHOLD) -> str:
    """Green at or above the review threshold; below it amber down to red (at 0.5 and less).

    >>> colour(0.95), colour(0.3), colour(0.7, 0.9)
    ('hsl(120, 70%, 78%)', 'hsl(0, 70%, 78%)', 'hsl(25, 70%, 78%)')
    """
    if confidence >= threshold:
        return "hsl(120, 70%, 78%)"
    share = max(0.0, confidence - 0.5) / max(1e-9, threshold - 0.5)
    return f"hsl({round(50 * min(1.0, share))}, 70%, 78%)"


def _anchor(pointer: str) -> str:
    return "f" + pointer.replace("/", "-").replace("~", "_")


def _marked_text(text: str, located: Located, confidence: dict[str, float], threshold: float) -> str:
    """The source text, escaped, with a ``<mark>`` per located fragment (overlaps skipped)."""
    fragments = sorted((s, e, p) for p, frags in located.spans.items() for s, e in frags)
    out, at = [], 0
    for start, end, pointer in fragments:
        if start < at:
            continue
        c = confidence.get(pointer, 0.0)
        out.append(html.escape(text[at:start]))
        title = html.escape(f"{pointer} ({located.labels.get(pointer, 'text')}) confidence {c:.2f}")
        out.append(
            f'<mark id="{_anchor(pointer)}" data-pointer="{html.escape(pointer)}" data-confidence="{c:.3f}" '
            f'style="background:{colour(c, threshold)}" title="{title}">{html.escape(text[start:end])}</mark>'
        )
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _where(pointer: str, located: Located) -> str:
    if pointer in located.spans:
        return f'<a href="#{_anchor(pointer)}">in text</a>'
    return "not printed as read (a box, implied or rebuilt)"


def _shown(value: object) -> str:
    """
    >>> _shown(5047398.0), _shown(110.2893), _shown(True)
    ('5,047,398', '110.2893', 'yes')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else repr(value)
    return str(value)


def _field_rows(leaves: list[tuple[str, object]], record: Record, located: Located, threshold: float) -> str:
    rows = []
    for pointer, value in leaves:
        c = record.confidence.get(pointer)
        where = _where(pointer, located)
        conf = f"{c:.2f}" if c is not None else "-"
        style = f' style="background:{colour(c, threshold)}"' if c is not None else ""
        rows.append(
            f"<tr><td><code>{html.escape(pointer)}</code></td><td>{html.escape(_shown(value))}</td>"
            f"<td{style}>{conf}</td><td>{where}</td></tr>"
        )
    head = "<tr><th>field</th><th>value</th><th>confidence</th><th>source</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


_STYLE = """
body{font-family:system-ui,sans-serif;margin:1em;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.2em}
.cols{display:flex;gap:1.5em;align-items:flex-start}
.text{flex:1 1 55%;min-width:0}.record{flex:1 1 45%;min-width:0}
pre{white-space:pre-wrap;font-size:12px;line-height:1.45;background:#fafafa;border:1px solid #ddd;padding:.8em}
mark{border-radius:2px;padding:0 1px;outline:1px solid rgba(0,0,0,.15)}
table{border-collapse:collapse;font-size:12px;width:100%}td,th{border:1px solid #ddd;padding:2px 5px;text-align:left;vertical-align:top}
.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.4em .8em}
.legend span{padding:0 .5em;margin-right:.3em}
"""


def render(
    record: Record,
    text: str,
    threshold: float = DEFAULT_THRESHOLD,
    title: str | None = None,
    spans: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    goal: str | None = None,
) -> str:
    """The review page of one filing: marked source text, the record, what to check first.

    ``spans`` are the provenance's offsets of each leaf in ``text``; ``goal`` says what the review
    threshold was chosen for."""
    located = locate(record, text, spans or {})
    leaves = iter_leaves(record.to_json_dict())
    values = dict(leaves)
    if record.record_confidence is not None:  # a calibrated record: its own review list, in its order
        low = [(p, values[p]) for p in record.review if p in values]
    else:
        low = sorted((lv for lv in leaves if record.confidence.get(lv[0], 1.0) < threshold), key=lambda lv: record.confidence[lv[0]])
    name = html.escape(title or record.source or "filing")
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in record.warnings) or "<li>none</li>"
    legend = "".join(f'<span style="background:{colour(c, threshold)}">{c:.2f}</span>' for c in (0.5, 0.6, 0.7, 0.8, threshold))
    meaning = html.escape(goal) if goal else "uncalibrated evidence scores (rules only): a display threshold, not a measured one"
    unprinted = [p for p in located.missing]
    record_line = f" record confidence {record.record_confidence:.2f};" if record.record_confidence is not None else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{CSP}<title>form4 review: {name}</title><style>{_STYLE}</style></head>
<body>
<h1>form4 review: {name}</h1>
<p class="legend">confidence: {legend} &nbsp; review threshold {threshold:.4g} ({meaning});{record_line}
{len(leaves)} fields, {len(low)} to review, {len(located.spans)} marked in the text.</p>
<div class="warn"><b>Warnings</b><ul>{warnings}</ul></div>
<div class="cols">
<div class="text"><h2>Source text</h2><pre>{_marked_text(text, located, record.confidence, threshold)}</pre></div>
<div class="record">
<h2>To review, likeliest mistakes first ({len(low)})</h2>{_field_rows(low, record, located, threshold) if low else "<p>none</p>"}
<h2>Not printed as read ({len(unprinted)})</h2>
<p>{", ".join(f"<code>{html.escape(p)}</code>" for p in unprinted) or "none"}</p>
<h2>All fields</h2>{_field_rows(leaves, record, located, threshold)}
</div></div>
</body></html>
"""
