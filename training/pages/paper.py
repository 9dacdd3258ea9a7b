"""Style ``paper``: the SEC's printed Form 4 (SEC 1474), filled in, as HTML + CSS.

Copied from the official blank form's boxes and field positions: page 1 has
"FORM 4" in a box, the two checkboxes on the left, the Commission's title in
the middle, the OMB box on the right, then one ruled grid — box 1 (name over
"(Last) (First) (Middle)", street over "(Street)", city/state/zip over their
captions, "(Country)"), boxes 2, 2a, 3 and 4 stacked in the middle, box 5 as
underscore lines (``_____ Director``) with the officer title written on the
line *under* the four lines, box 6 below it. Table I and Table II each start a
new page headed "FORM 4 (continued)", with the paper form's column captions and
blank ruled lines after the filled rows; "Reminder: …" follows Table I,
"Explanation of Responses:" follows Table II, and the signature block ("** Intentional
misstatements …" beside "**Signature of Reporting Person   Date") ends the form.
Joint filers' further owners get box 1 and box 5 again after Table II.

Drawn per page (:mod:`.habits`): the OMB box's expiry line and the revision code,
page footers, officer titles over two lines, the legend right under the
signature lines or the ``/s/`` lines typed under the labels, long tables
continued on further pages with their captions repeated, and a filing continued
on another copy of the form (page 1 again with the same Items 1-3).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from form4.form.labels import WORDINGS
from form4.schema import Record, ReportingOwner
from form4.io.xml_reader import CellRef

from .cells import _TABLE1, _TABLE2
from .common import Page, Presentation, esc, label, page_css, presentation, td_class
from .habits import Habits, chunks, footer_css, habits, two_lines

_T1_TABLES = ("non_derivative_transactions", "non_derivative_holdings")
_T2_TABLES = ("derivative_transactions", "derivative_holdings")

__all__ = ["render"]

_CSS = """
body { font-family: '{serif}', serif; font-size: {label_pt}pt; color: #000; }
.v { font-family: '{value}', serif; font-size: {value_pt}pt; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid > * > tr > td, table.grid > * > tr > th { border: 1px solid #000; vertical-align: top; padding: 3px 4px; }
table.grid th { font-weight: normal; text-align: left; }
.formbox { border: 2px solid #000; font-size: 20pt; font-weight: bold; padding: 2px 6px; display: inline-block; }
.cap { font-size: {cap_pt}pt; }
.center { text-align: center; }
.title { font-weight: bold; text-align: center; }
.omb { border: 1px solid #000; font-size: {cap_pt}pt; padding: 2px 4px; }
.line { border-bottom: 1px solid #000; min-height: 1.1em; margin: 2px 6px 6px 6px; }
.newpage { break-before: page; }
.cont { font-weight: bold; }
tr.blank td { height: 1.2em; }
"""


def _css(p: Presentation) -> str:
    return (_CSS.replace("{serif}", p.label_font).replace("{value}", p.value_font)
            .replace("{label_pt}", str(p.label_pt + 1)).replace("{value_pt}", str(p.value_pt))
            .replace("{cap_pt}", str(max(6.0, p.label_pt - 0.5))))


def _w(key: str, variant: int = 0) -> str:
    """A label's wording (:data:`form4.form.labels.WORDINGS`); the paper form's where it has its own."""
    return WORDINGS[key][variant]


def _two_lines(wording: str, before: str = "") -> str:
    """A wording broken before ``before`` (its last word by default)."""
    at = wording.index(before) if before else wording.rindex(" ") + 1
    return wording[:at].rstrip() + "<br>" + wording[at:]


def _box(page: Page, pointer: str, value: bool | None) -> str:
    """A paper checkbox: ``☒``-like ``[X]`` when checked."""
    return f"[{page.text(pointer, value) or '&nbsp;&nbsp;'}]"


def _top(page: Page, h: Habits) -> str:
    rec, p = page.record, page.p
    boxes = [f'<p class="b">{_box(page, "/not_subject_to_section16", rec.not_subject_to_section16)} '
             f'{_w("not_subject")}</p>']
    if rec.aff10b5_one is not None:
        boxes.append(f'<p class="b">{_box(page, "/aff10b5_one", rec.aff10b5_one)} {_w("aff10b5", 1)}</p>')
    title = (f'<div class="title">{_two_lines(_w("commission"))}</div>'
             f'<div class="center">{_w("washington")}</div><br>'
             f'<div class="title">{_two_lines(_w("statement"))}</div>'
             f'<div class="center">{_w("pursuant", 1)}</div>')
    omb = (f'<div class="omb"><div class="center">{_w("omb")}</div>{_w("omb_number")}<br>'
           f'{h.expires or _w("omb_expires")}<br>{_two_lines(_w("omb_burden", 1), "hours")}</div>')
    return (f'<table width="100%"><tr><td width="{p.width(0, 30)}%" valign="top">'
            f'<span class="formbox">{_w("form").removesuffix("4")}{page.text("/document_type", rec.document_type) or "4"}</span>'
            f'{"".join(boxes)}</td>'
            f'<td valign="top">{title}</td><td width="{p.width(1, 22)}%" valign="top">{omb}</td></tr></table>'
            f'<p class="cap">{_w("print_or_type")}</p>')


def _name_box(page: Page, i: int) -> str:
    owner = page.record.reporting_owners[i] if i < len(page.record.reporting_owners) else ReportingOwner()
    ptr = f"/reporting_owners/{i}"

    def v(name: str) -> str:
        return f'<span class="v">{page.text(f"{ptr}/{name}", getattr(owner, name))}</span>'

    caps = '<table width="100%" class="cap"><tr><td>{}</td><td>{}</td><td>{}</td></tr></table>'
    return (f"{label(page.p, 'name')}<br><div class=\"line\">{v('name')}</div>"
            + caps.format(_w("last"), _w("first"), _w("middle"))
            + f'<div class="line">{v("street1")}</div><div class="line">{v("street2")}</div>'
            + f'<div class="cap center">{_w("street")}</div>'
            + f'<table width="100%"><tr><td>{v("city")}</td><td>{v("state")}</td><td>{v("zip_code")}</td></tr></table>'
            + caps.format(_w("city"), _w("state"), _w("zip", 1))
            + f'<div class="cap">{_w("country")}</div>')


def _relationship_box(page: Page, i: int, h: Habits, blank: bool = False) -> str:
    owners = page.record.reporting_owners
    owner = owners[i] if i < len(owners) and not blank else ReportingOwner()
    ptr = f"/reporting_owners/{i}"

    def line(flag: str, key: str) -> str:
        mark = page.text(f"{ptr}/{flag}", getattr(owner, flag))
        blank = f"__<u>{mark}</u>__" if mark else "_____"
        return f"<div>{blank} {label(page.p, key)}</div>"

    written = " ".join(page.text(f"{ptr}/{name}", getattr(owner, name)) for name in ("officer_title", "other_text")
                       if getattr(owner, name))
    if h.title_lines and len(written) > 18:  # a long title written over the line and the one under it
        written = two_lines(written)
    return (f"{label(page.p, 'relationship')}<br>"
            + line("is_director", "director") + line("is_officer", "officer")
            + line("is_ten_percent_owner", "ten") + line("is_other", "other")
            + f'<div class="line"><span class="v">{written}</span></div>')


def _joint_box(page: Page, blank: bool = False) -> str:
    several = len(page.record.reporting_owners) > 1
    if blank:
        return f"{label(page.p, 'joint')}<br><div>_____ {label(page.p, 'one')}</div><div>_____ {label(page.p, 'more')}</div>"
    return (f"{label(page.p, 'joint')}<br>"
            f"<div>{'__<u>X</u>__' if not several else '_____'} {label(page.p, 'one')}</div>"
            f"<div>{'__<u>X</u>__' if several else '_____'} {label(page.p, 'more')}</div>")


def _owner_grid(page: Page, h: Habits, items_1_to_3_only: bool = False) -> str:
    """Boxes 1-6; on a continuation copy, only Items 1-3 filled in when ``items_1_to_3_only``."""
    rec, p = page.record, page.p
    blank = items_1_to_3_only
    issuer = page.text("/issuer/name", rec.issuer.name)
    ticker = page.text("/issuer/trading_symbol", rec.issuer.trading_symbol)
    period = page.text("/period_of_report", rec.period_of_report)
    original = "" if blank else page.text("/date_of_original_submission", rec.date_of_original_submission)
    return (
        '<table class="grid"><tr>'
        f'<td rowspan="4" width="{p.width(2, 36)}%">{_name_box(page, 0)}</td>'
        f'<td width="{p.width(3, 28)}%">{label(p, "issuer")}<div class="line v">{issuer}</div>'
        f'<div class="line v">{ticker}</div></td>'
        f'<td rowspan="3">{_relationship_box(page, 0, h, blank)}</td></tr>'
        f"<tr><td>{_w('foreign_symbol')}<div class=\"line\"></div></td></tr>"
        f'<tr><td>{label(p, "period")}<div class="line v">{period}</div></td></tr>'
        f'<tr><td>{label(p, "amendment")}<div class="line v">{original}</div></td>'
        f"<td>{_joint_box(page, blank)}</td></tr></table>"
        f'<p class="cap">{_w("joint_note", 1)}</p>'
        f'<p class="cap">{h.revision} &nbsp; {_w("respond", 2)}</p>')


_T1_HEAD = tuple((_w(key, variant), rows, cols) for key, variant, rows, cols in (
    ("t1_title", 0, 2, 1), ("t1_date", 0, 2, 1), ("t1_deemed", 0, 2, 1), ("t1_code", 0, 1, 2), ("t1_amount", 1, 1, 3),
    ("t1_owned", 0, 2, 1), ("t1_form", 0, 2, 1), ("t1_nature", 0, 2, 1),
))
_T1_SUB = tuple(_w(key) for key in ("code", "v", "amount", "a_or_d", "price"))
_T2_HEAD = tuple((_w(key, variant), rows, cols) for key, variant, rows, cols in (
    ("t2_title", 0, 2, 1), ("t2_conversion", 0, 2, 1), ("t2_date", 0, 2, 1), ("t2_deemed", 0, 2, 1),
    ("t2_code", 0, 1, 2), ("t2_number", 1, 1, 2), ("t2_dates", 0, 1, 2), ("t2_underlying", 1, 1, 2),
    ("t2_price", 0, 2, 1), ("t2_owned", 1, 2, 1), ("t2_form", 1, 2, 1), ("t2_nature", 0, 2, 1),
))
_T2_SUB = tuple(_w(key) for key in ("code", "v", "acquired", "disposed", "exercisable", "expiration", "title", "shares"))


def _table(page: Page, heading: str, head, sub, rows: Sequence[tuple[str, int, Any]], columns, blank_rows: int,
           chunk: int | None = None) -> str:
    """A table on a new page; a long one goes on over further pages, its captions repeated."""
    p = page.p
    top = "".join(f'<th rowspan="{r}" colspan="{c}" width="{p.width(k, 100 / len(head) / 1.3)}%">{t}</th>'
                  for k, (t, r, c) in enumerate(head))
    second = "".join(f'<th class="center">{t}</th>' for t in sub)
    pieces = chunks(rows, chunk)
    out = []
    for n, piece in enumerate(pieces):
        body = ["<tr>" + "".join(f'<td{td_class(col.fields, "v")}>{page.cell(table, i, row, col)}</td>'
                                 for col in columns) + "</tr>" for table, i, row in piece]
        if n == len(pieces) - 1:
            body += ['<tr class="blank">' + "<td></td>" * len(columns) + "</tr>"] * blank_rows
        out.append(f'<div class="newpage"><table width="100%"><tr><td class="cont" width="25%">{_w("continued")}'
                   f'</td><td class="title">{heading}</td></tr></table>'
                   f'<table class="grid cap"><thead><tr>{top}</tr><tr>{second}</tr></thead>'
                   f"<tbody>{''.join(body)}</tbody></table></div>")
    return "".join(out)


def _more_owners(page: Page, h: Habits) -> str:
    n = len(page.record.reporting_owners)
    return "".join(
        '<table class="grid" style="margin-top:8px"><tr>'
        f'<td width="50%">{_name_box(page, i)}</td><td>{_relationship_box(page, i, h)}</td></tr></table>'
        for i in range(1, n))


def _explanation(page: Page, rng: random.Random) -> str:
    rec, p = page.record, page.p
    lines = [f"<p><b>{label(p, 'explanation')}</b></p>"]
    for i, note in enumerate(rec.footnotes):
        lines.append(f'<div class="v">{page.text(f"/footnotes/{i}/id", note.id)} '
                     f'{page.text(f"/footnotes/{i}/text", note.text)}</div>')
    if rec.remarks is not None or rng.random() < 0.3:
        lines.append(f"<p><b>{label(p, 'remarks')}</b></p>")
        lines.append(f'<div class="v">{page.text("/remarks", rec.remarks)}</div>')
    return "".join(lines)


def _signature_rows(page: Page) -> list[str]:
    """One row per signature; an entity's block breaks before its ``By:`` line."""
    rows = []
    for i, s in enumerate(page.record.signatures):
        name = page.text(f"/signatures/{i}/name", s.name).replace(", By:", ", <br>By:", 1)
        rows.append(f'<tr><td></td><td><u class="v">{name}</u></td>'
                    f'<td><u class="v">{page.text(f"/signatures/{i}/date", s.date)}</u></td></tr>')
    return rows or ["<tr><td></td><td>&nbsp;</td><td></td></tr>"]


def _signatures(page: Page, h: Habits) -> str:
    """The signature lines over the form's labels, the legend beside the labels or right under the
    signature lines; or the ``/s/`` lines typed at the margin under the labels."""
    p = page.p
    rec = page.record
    legend = f"<td width=\"45%\">{_w('misstatements', 1)}</td>" if not h.legend_under else "<td></td>"
    labels = f"<tr>{legend}<td>{label(p, 'signature')}</td><td>{label(p, 'date')}</td></tr>"
    under = f'<tr><td colspan="3">{_w("misstatements", 1)}</td></tr>' if h.legend_under else ""
    if h.signature_under and sum(len(s.name or "") + 12 for s in rec.signatures) < 240:
        typed = "".join(f'<p class="v">{page.text(f"/signatures/{i}/name", s.name)} &nbsp; &nbsp; '
                        f'{page.text(f"/signatures/{i}/date", s.date)}</p>' for i, s in enumerate(rec.signatures))
        block = (f'<p style="margin-top:14px">{label(p, "signature")} &nbsp; &nbsp; &nbsp; {label(p, "date")}</p>'
                 f"{typed}<p>{_w('misstatements', 1)}</p>")
    else:
        block = ('<table width="100%" style="margin-top:14px">' + "".join(_signature_rows(page)) + under + labels
                 + "</table>")
    return block + f"<p>{_w('copies')}</p><p class=\"cap\">{_w('respond', 1)}</p>"


def render(record: Record, seed: int | None, cell_footnotes: Mapping[CellRef, Sequence[str]] | None = None) -> str:
    """The filled-in paper form of ``record`` (``seed=None`` is seed 0).

    On a share of pages the filing goes on to another copy of the form (the
    instructions' 6(b)): page 1 again with the same Items 1-3, then the rest of
    Table I (or, for one reporting person, of Table II).
    """
    seed = seed or 0
    p = presentation(seed)
    rng = random.Random(seed ^ 0x9A9E)
    h = habits(seed, "paper")
    page = Page.of(record, p, cell_footnotes)
    t1_rows, t2_rows = page.rows(_T1_TABLES), page.rows(_T2_TABLES)
    t1_head, t2_head = label(p, "table1"), f"{label(p, 'table2')}<br>{label(p, 'table2_sub')}"
    blank1, blank2 = rng.randrange(0, 8), rng.randrange(0, 6)

    def copy() -> list[str]:  # another copy of the form: page 1 with Items 1-3 again
        return [_top(page, h), _owner_grid(page, h, items_1_to_3_only=not h.copy_repeats_all)]

    reminder = f"<p>{_w('reminder')}</p>"
    body = [_top(page, h), _owner_grid(page, h)]
    if h.continued and len(t1_rows) >= 2:
        cut = rng.randint(1, len(t1_rows) - 1)
        body += [_table(page, t1_head, _T1_HEAD, _T1_SUB, t1_rows[:cut], _TABLE1, 0), *copy(),
                 _table(page, t1_head, _T1_HEAD, _T1_SUB, t1_rows[cut:], _TABLE1, blank1, h.chunk), reminder,
                 _table(page, t2_head, _T2_HEAD, _T2_SUB, t2_rows, _TABLE2, blank2, h.chunk)]
    elif h.continued and len(t2_rows) >= 2 and len(record.reporting_owners) == 1:
        cut = rng.randint(1, len(t2_rows) - 1)
        body += [_table(page, t1_head, _T1_HEAD, _T1_SUB, t1_rows, _TABLE1, blank1, h.chunk), reminder,
                 _table(page, t2_head, _T2_HEAD, _T2_SUB, t2_rows[:cut], _TABLE2, 0), *copy(),
                 _table(page, t2_head, _T2_HEAD, _T2_SUB, t2_rows[cut:], _TABLE2, blank2, h.chunk)]
    else:
        body += [_table(page, t1_head, _T1_HEAD, _T1_SUB, t1_rows, _TABLE1, blank1, h.chunk), reminder,
                 _table(page, t2_head, _T2_HEAD, _T2_SUB, t2_rows, _TABLE2, blank2, h.chunk)]
    body += [_more_owners(page, h), _explanation(page, rng), _signatures(page, h)]
    doc_type = esc(record.document_type or "4")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>Form {doc_type}</title><style>{_css(p)} {footer_css(h)}</style></head>\n<body>{page_css(p)}\n"
            + "\n".join(body) + "\n</body></html>\n")
