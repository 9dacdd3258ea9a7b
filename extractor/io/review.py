"""The review page: one self-contained HTML file showing what was read from where.

``form4 extract FILE --report out.html`` writes it. The record carries JSON pointers and a
confidence per field, not offsets, so the page is given where each value was found again in
the text (:class:`Located`; the CLI finds them with :func:`form4.training.align.locate.locate`).
Fields that cannot be found are listed on the page. No script, no external asset (a
Content-Security-Policy forbids both): the page opens from a file with the network off.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..form.fields import label_for_pointer
from ..schema import Record, iter_leaves

#: The page loads nothing and runs nothing, whatever the text it shows holds: its own styles only.
CSP = """<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"""

#: Fields below this confidence are listed first (until calibration work sets a better one).
DEFAULT_THRESHOLD = 0.9

#: Leaves found by a plain search of their printed text (no entity label of their own).
SEARCHED = ("/footnotes/", "/remarks")


@dataclass
class Located:
    """Where each field's value was printed: pointer -> fragments, and the fields not found."""

    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


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
    return "not located" if pointer in located.missing else "box or implied"


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


def render(record: Record, text: str, located: Located, threshold: float = DEFAULT_THRESHOLD, title: str | None = None) -> str:
    """The review page of one filing: marked source text, the record, what to check first."""
    leaves = iter_leaves(record.to_json_dict())
    low = sorted((lv for lv in leaves if record.confidence.get(lv[0], 1.0) < threshold), key=lambda lv: record.confidence[lv[0]])
    printed = {p for p, _ in leaves if label_for_pointer(p) or p.startswith(SEARCHED)}
    missing = [p for p in located.missing if p in printed]
    name = html.escape(title or record.source or "filing")
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in record.warnings) or "<li>none</li>"
    legend = "".join(f'<span style="background:{colour(c, threshold)}">{c:.2f}</span>' for c in (0.5, 0.6, 0.7, 0.8, threshold))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{CSP}<title>form4 review: {name}</title><style>{_STYLE}</style></head>
<body>
<h1>form4 review: {name}</h1>
<p class="legend">confidence: {legend} &nbsp; review threshold {threshold:.2f};
{len(leaves)} fields, {len(low)} below the threshold, {len(located.spans)} located in the text.</p>
<div class="warn"><b>Warnings</b><ul>{warnings}</ul></div>
<div class="cols">
<div class="text"><h2>Source text</h2><pre>{_marked_text(text, located, record.confidence, threshold)}</pre></div>
<div class="record">
<h2>Below the review threshold ({len(low)})</h2>{_field_rows(low, record, located, threshold) if low else "<p>none</p>"}
<h2>Not located in the text ({len(missing)})</h2>
<p>{", ".join(f"<code>{html.escape(p)}</code>" for p in missing) or "none"}</p>
<h2>All fields</h2>{_field_rows(leaves, record, located, threshold)}
</div></div>
</body></html>
"""
