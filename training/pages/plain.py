"""Style ``plain``: a plain HTML page a filer or a small filing agent might make.

No EDGAR classes, no ruled boxes: headings, the header boxes as a definition list
(or a two-column label/value table), and each table with one header row of short
captions and its own column splits — Table I's amount and (A)/(D) in one cell or
two, Table II's exercisable/expiration dates and underlying title/amount stacked
in one cell or spread over two. Footnotes are paragraphs starting ``1.`` (which
markdown converters escape as ``1\\.``), the signature a line under the tables.
Further reporting owners follow Table II under "Name and Address of Reporting
Person", as on the form's continuation sheet.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from form4.form.labels import WORDINGS
from form4.schema import Record, ReportingOwner
from form4.io.xml_reader import CellRef

from .cells import _Column, _TABLE1, _TABLE2
from .common import Page, Presentation, esc, label, page_css, presentation, td_class

__all__ = ["render"]

_CSS = """
body { font-family: '{font}', sans-serif; font-size: {pt}pt; }
h1 { font-size: 1.6em; margin: 0; } h2 { font-size: 1.15em; margin: 0.8em 0 0.3em 0; }
dt { font-weight: bold; margin-top: 0.4em; } dd { margin-left: 1.5em; }
table.t { border-collapse: collapse; width: 100%; }
table.t th, table.t td { border: {border}px solid #555; padding: 2px 3px; vertical-align: top; }
table.t th { background: #eee; font-size: 0.85em; }
table.kv td { padding: 2px 8px; vertical-align: top; }
"""

def _w(key: str, variant: int = 0) -> str:
    """A label's wording (:data:`form4.form.labels.WORDINGS`); its short caption is its last variant."""
    return WORDINGS[key][variant]


#: Table I captions (one header row), by the columns of ``render._TABLE1``
_T1_CAPTIONS = (_w("t1_title", -1), _w("t1_date", -1), _w("t1_deemed", -1), _w("code"), _w("v"), _w("amount"),
                _w("a_or_d"), _w("price"), _w("t1_owned", -1), _w("t1_form", -1), _w("t1_nature", -1))
_T2_CAPTIONS = (_w("t2_title", -1), _w("t2_conversion", -1), _w("t1_date", -1), _w("t1_deemed", -1), _w("code"),
                _w("v"), "Number Acquired (A)", "Number Disposed (D)", _w("exercisable"), _w("expiration"),
                "Underlying Security Title", "Underlying Amount", _w("t2_price", -1), _w("t2_owned", -1),
                _w("t1_form", -1), _w("t1_nature", -1))


@dataclass(frozen=True)
class _Split:
    """Columns printed together in one cell (by index into the table's columns) and the caption."""

    columns: tuple[int, ...]
    caption: str


def _splits(captions: Sequence[str], merges: Sequence[tuple[tuple[int, ...], str]], drop: Sequence[int]) -> list[_Split]:
    merged = {c for cols, _ in merges for c in cols}
    out = []
    for i, caption in enumerate(captions):
        if i in drop:
            continue
        for cols, merged_caption in merges:
            if i == cols[0]:
                out.append(_Split(cols, merged_caption))
        if i not in merged:
            out.append(_Split((i,), caption))
    return out


_AMOUNT_AD = (5, 6)


def _table1_splits(rng: random.Random) -> list[_Split]:
    merges = []
    if rng.random() < 0.4:
        merges.append((_AMOUNT_AD, "Amount (A)/(D)"))
    if rng.random() < 0.3:
        merges.append(((3, 4), "Code / V"))
    return _splits(_T1_CAPTIONS, merges, drop=(4,))  # the empty V column goes (or stays merged with the code)


def _table2_splits(rng: random.Random) -> list[_Split]:
    merges = []
    if rng.random() < 0.5:
        merges.append(((8, 9), "Date Exercisable / Expiration Date"))
    if rng.random() < 0.5:
        merges.append(((10, 11), _w("t2_underlying", -1)))
    if rng.random() < 0.3:
        merges.append(((6, 7), _w("t2_number", -1)))
    return _splits(_T2_CAPTIONS, merges, drop=(5,))


def _table(page: Page, heading: str, tables: Sequence[str], columns: Sequence[_Column], splits: list[_Split],
           sep: str) -> str:
    head = "".join(f'<th width="{page.p.width(k, 100 / len(splits))}%">{esc(s.caption)}</th>'
                   for k, s in enumerate(splits))
    rows = []
    for table, i, row in page.rows(tables):
        cells = []
        for s in splits:
            parts = [page.cell(table, i, row, columns[c]) for c in s.columns]
            joint = " " if s.columns == _AMOUNT_AD else sep  # "1,000 D" stays on one line
            fields = [f for c in s.columns for f in columns[c].fields[:1]]
            cells.append(f"<td{td_class(fields)}>{joint.join(p for p in parts if p)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    body = "".join(rows) or f'<tr><td colspan="{len(splits)}">None</td></tr>'
    return f'<h2>{heading}</h2><table class="t"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _owner(page: Page, i: int, as_list: bool) -> str:
    owner = page.record.reporting_owners[i] if i < len(page.record.reporting_owners) else ReportingOwner()
    ptr = f"/reporting_owners/{i}"

    def v(name: str) -> str:
        return page.text(f"{ptr}/{name}", getattr(owner, name))

    address = "<br>".join(x for x in (v("name"), v("street1"), v("street2"),
                                      " ".join(x for x in (v("city"), v("state"), v("zip_code")) if x)) if x)
    boxes = []
    for flag, key, text in (("is_director", "director", None), ("is_ten_percent_owner", "ten", None),
                            ("is_officer", "officer", "officer_title"), ("is_other", "other", "other_text")):
        mark = page.text(f"{ptr}/{flag}", getattr(owner, flag)) or "&nbsp;&nbsp;"
        boxes.append(f"[{mark}] {label(page.p, key)}")
    written = [f"{label(page.p, key)}: {v(name)}" if page.p.seed % 2 else v(name)
               for name, key in (("officer_title", "officer"), ("other_text", "other")) if v(name)]
    relation = "<br>".join(boxes + written)
    return _pairs([(label(page.p, "name"), address),
                   (label(page.p, "relationship"), relation)], as_list)


def _pairs(pairs: Sequence[tuple[str, str]], as_list: bool) -> str:
    if as_list:
        return "<dl>" + "".join(f"<dt>{k}</dt><dd>{v or '&nbsp;'}</dd>" for k, v in pairs) + "</dl>"
    return '<table class="kv">' + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in pairs) + "</table>"


def _header(page: Page, as_list: bool) -> str:
    rec, p = page.record, page.p
    ticker = page.text("/issuer/trading_symbol", rec.issuer.trading_symbol)
    issuer = page.text("/issuer/name", rec.issuer.name) + (f" ( {ticker} )" if ticker else "")
    several = len(rec.reporting_owners) > 1
    pairs = [(label(p, "issuer"), issuer),
             (label(p, "period"), page.text("/period_of_report", rec.period_of_report)),
             (label(p, "amendment"), page.text("/date_of_original_submission", rec.date_of_original_submission)),
             (label(p, "joint"), f"[X] {label(p, 'more') if several else label(p, 'one')}")]
    checks = [f"[{page.text('/not_subject_to_section16', rec.not_subject_to_section16) or '&nbsp;&nbsp;'}] "
              + _w("not_subject", 1)]
    if rec.aff10b5_one is not None:
        checks.append(f"[{page.text('/aff10b5_one', rec.aff10b5_one) or '&nbsp;&nbsp;'}] " + _w("aff10b5", 2))
    doc_type = page.text("/document_type", rec.document_type) or "4"
    return (f"<h1>{_w('form').removesuffix('4')}{doc_type}</h1><p>{_w('commission')}, {_w('washington')}"
            f"<br><b>{_w('statement', 1)}</b></p>"
            + "".join(f"<p>{c}</p>" for c in checks)
            + _owner(page, 0, as_list) + _pairs(pairs, as_list))


def _footer(page: Page) -> str:
    rec, p = page.record, page.p
    notes = "".join(f"<p>{page.text(f'/footnotes/{i}/id', n.id)} {page.text(f'/footnotes/{i}/text', n.text)}</p>"
                    for i, n in enumerate(rec.footnotes))
    remarks = (f"<p><b>{label(p, 'remarks')}</b> {page.text('/remarks', rec.remarks)}</p>"
               if rec.remarks is not None else "")
    sigs = "".join(f"<p>{page.text(f'/signatures/{i}/name', s.name)} &nbsp;&nbsp;&nbsp; "
                   f"{page.text(f'/signatures/{i}/date', s.date)}</p>" for i, s in enumerate(rec.signatures))
    return (f"<h2>{label(p, 'explanation')}</h2>{notes}{remarks}{sigs}"
            f"<p>{label(p, 'signature')} &nbsp;&nbsp;&nbsp; {label(p, 'date')}</p>"
            f"<p><small>{_w('reminder')}</small></p>")


def render(record: Record, seed: int | None, cell_footnotes: Mapping[CellRef, Sequence[str]] | None = None) -> str:
    """A filer's own plain page for ``record`` (``seed=None`` is seed 0)."""
    seed = seed or 0
    p: Presentation = presentation(seed, fonts=("Arial", "Verdana", "Georgia", "Calibri", "Courier New"))
    rng = random.Random(seed ^ 0x91A1)
    page = Page.of(record, p, cell_footnotes)
    as_list = rng.random() < 0.6
    sep = rng.choice(("<br>", " ", " &ndash; "))
    more = "".join(f"<h2>Reporting Person {i + 1}</h2>" + _owner(page, i, as_list)
                   for i in range(1, len(record.reporting_owners)))
    body = [_header(page, as_list),
            _table(page, label(p, "table1"), ("non_derivative_transactions", "non_derivative_holdings"),
                   _TABLE1, _table1_splits(rng), sep),
            _table(page, label(p, "table2"), ("derivative_transactions", "derivative_holdings"),
                   _TABLE2, _table2_splits(rng), sep),
            more, _footer(page)]
    css = _CSS.replace("{font}", p.label_font).replace("{pt}", str(p.value_pt)).replace(
        "{border}", str(rng.choice((0, 1, 1))))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>Form {esc(record.document_type or '4')}</title><style>{css}</style></head>\n"
            f"<body>{page_css(p)}\n" + "\n".join(body) + "\n</body></html>\n")
