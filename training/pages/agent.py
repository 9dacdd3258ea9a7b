"""Style ``agent``: an older EDGAR / filing-agent HTML page of a Form 4.

Filing agents printed the ownership XML with their own templates: ``<font>`` tags
instead of style sheets, grey-shaded heading cells, the header boxes as a grid of
their own (boxes 1-3 across the top and 4-6 under them, or box 1 beside a column
of boxes 2-4), city, state and zip on one line, checkboxes as bracketed ``[X]``,
each table with one row of numbered column captions (the code and its ``V``, the
amount, ``(A) or (D)`` and the price in cells of their own), footnotes in a
two-column table ``(1) | text``, and the signature over or under the form's
"Signature of Reporting Person" label. The OMB box prints its ``Expires:`` line.

Drawn from the seed (:mod:`.common`, :mod:`.habits`): fonts and sizes, paper,
margins, print scale, column widths, shading, mark forms, label wordings, how the
ticker is written, officer titles over two lines, page footers, a filing continued
on another copy of the form (page 1 again with the same Items 1-3, then the rest of
Table I), long tables continued on further pages with their captions repeated.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from form4.schema import Record, ReportingOwner
from form4.io.xml_reader import CellRef

from .common import Page, Presentation, esc, label, page_css, presentation, td_class, wording
from .habits import LEGEND, Habits, chunks, footer_css, habits, ticker_html, two_lines
from .printing import format_footnote_line
from .cells import _Column, _TABLE1, _TABLE2

__all__ = ["render"]

_T1 = ("non_derivative_transactions", "non_derivative_holdings")
_T2 = ("derivative_transactions", "derivative_holdings")
#: words the agents' templates broke by hand to fit their narrow caption cells
_BROKEN = {"Transaction": "Trans- action", "Ownership": "Owner- ship", "Conversion": "Conver- sion",
           "Exercisable": "Exer- cisable", "Expiration": "Expira- tion", "Month/Day/Year": "Month/ Day/ Year"}


def _broken(text: str) -> str:
    """A caption as the agents print it, long words broken.

    >>> _broken("2. Transaction Date (Month/Day/Year)")
    '2. Trans- action Date (Month/ Day/ Year)'
    """
    return " ".join(_BROKEN.get(w.strip("()"), w.strip("()")).join(("(" * w.startswith("("), ")" * w.endswith(")")))
                    if w.strip("()") in _BROKEN else w for w in text.split(" "))


def _over(spanning: str, sub: str) -> str:
    """A caption that spans two columns written in the first, over the first column's own caption."""
    return f"{_broken(spanning)}<br>{sub}"


#: one caption per column of ``render._TABLE1`` / ``_TABLE2``, from the form's wordings
_T1_CAPTIONS = tuple(_broken(c) for c in (
    wording("t1_title"), wording("t1_date"), wording("t1_deemed"), wording("t1_code"), wording("v"))) + (
    _over(wording("t1_amount", 1), wording("amount")), wording("a_or_d"), wording("price"),
    wording("t1_owned"), _broken(wording("t1_form")), wording("t1_nature"))
_T2_CAPTIONS = tuple(_broken(c) for c in (
    wording("t2_title"), wording("t2_conversion"), wording("t2_date"), wording("t2_deemed"), wording("t2_code"),
    wording("v"))) + (
    _over(wording("t2_number"), wording("acquired")), wording("disposed"),
    _over(wording("t2_dates"), _broken(wording("exercisable"))), _broken(wording("expiration")),
    _over(wording("t2_underlying", 1), wording("title")), wording("shares"), wording("t2_price"),
    wording("t2_owned", 1), _broken(wording("t2_form", 1)), wording("t2_nature"))


def _f(text: str, size: int = 1, face: str | None = None, bold: bool = False) -> str:
    """Text in the agents' ``<font>`` tag."""
    face_attr = f' face="{face}"' if face else ""
    inner = f"<b>{text}</b>" if bold else text
    return f'<font size="{size}"{face_attr}>{inner}</font>'


class _Agent:
    """One agent page: the record's values, the presentation, the filer's habits."""

    def __init__(self, page: Page, h: Habits, rng: random.Random) -> None:
        self.page, self.p, self.h = page, page.p, h
        self.shade = rng.choice(("#C0C0C0", "#D9D9D9", "#E8E8E8", "#FFFFFF"))
        self.grid = rng.choice(("rows", "column"))
        self.caps = rng.random() < 0.3
        self.border = rng.choice((1, 1, 2))
        self.note_form = rng.choice(("paren", "dot", "paren"))

    # ------------------------------------------------------------ pieces
    def lab(self, key_or_text: str, keyed: bool = True) -> str:
        text = label(self.p, key_or_text) if keyed else key_or_text
        return _f(text.upper() if self.caps and keyed else text, 1, self.p.label_font)

    def val(self, pointer: str, value: object, lines: bool = False) -> str:
        text = self.page.text(pointer, value)
        if lines and self.h.title_lines and len(text) > 18:
            text = two_lines(text)
        return _f(text, 2, self.p.value_font) if text else ""

    def box(self, pointer: str, value: bool | None) -> str:
        return f"[{self.page.text(pointer, value) or '&nbsp;&nbsp;'}]"

    def top(self) -> str:
        rec = self.page.record
        checks = [f"{self.box('/not_subject_to_section16', rec.not_subject_to_section16)} " + _f(wording("not_subject"))]
        if rec.aff10b5_one is not None:
            checks.append(f"{self.box('/aff10b5_one', rec.aff10b5_one)} " + _f(wording("aff10b5", 1)))
        doc = self.page.text("/document_type", rec.document_type) or "4"
        expires = f"<br>{self.h.expires}" if self.h.expires else ""
        burden = wording("omb_burden", 1).replace(" hours", "<br>hours", 1)
        omb = (f'<table border="1" cellspacing="0" cellpadding="2" width="100%"><tr><td bgcolor="{self.shade}">'
               + _f(f"<b>{wording('omb')}</b><br>{wording('omb_number')}{expires}<br>{burden}") + "</td></tr></table>")
        title = (f"<b>{wording('commission')}</b><br>{wording('washington')}<br><br><b>{wording('statement', 1)}</b>"
                 f"<br>{wording('pursuant', 1)}")
        return ('<table width="100%" border="0" cellpadding="3"><tr>'
                f'<td width="{self.p.width(0, 22)}%" valign="top">'
                f'{_f("<b>" + wording("form").removesuffix("4") + doc + "</b>", 5)}<br>' + "<br>".join(checks) + "</td>"
                f'<td align="center" valign="top">{_f(title, 2)}'
                f'</td><td width="{self.p.width(1, 20)}%" valign="top">{omb}</td></tr></table>')

    def name_box(self, i: int) -> str:
        rec = self.page.record
        owner = rec.reporting_owners[i] if i < len(rec.reporting_owners) else ReportingOwner()
        ptr = f"/reporting_owners/{i}"

        def v(name: str) -> str:
            return self.val(f"{ptr}/{name}", getattr(owner, name))

        place = " ".join(x for x in (v("city") + ("," if v("city") and v("state") else ""), v("state"), v("zip_code")) if x)
        lines = [x for x in (v("name"), v("street1"), v("street2"), place) if x]
        captions = " &nbsp; ".join(wording(k) for k in ("last", "first", "middle", "street"))
        places = " ".join(wording(k) for k in ("city", "state", "zip"))
        return self.lab("name") + "<br>" + "<br>".join(lines) + "<br>" + _f(f"{captions} &nbsp; {places}")

    def relationship(self, i: int, blank: bool = False) -> str:
        rec = self.page.record
        owner = rec.reporting_owners[i] if i < len(rec.reporting_owners) and not blank else ReportingOwner()
        ptr = f"/reporting_owners/{i}"
        cells = []
        for flag, key in (("is_director", "director"), ("is_ten_percent_owner", "ten"),
                          ("is_officer", "officer"), ("is_other", "other")):
            cells.append(f"<td>{self.box(f'{ptr}/{flag}', getattr(owner, flag))} {self.lab(key)}</td>")
        written = "".join(f'<tr><td colspan="2">{self.val(f"{ptr}/{name}", getattr(owner, name), lines=True)}</td></tr>'
                          for name in ("officer_title", "other_text") if getattr(owner, name))
        return (self.lab("relationship") + '<table border="0" width="100%">'
                f"<tr>{cells[0]}{cells[1]}</tr><tr>{cells[2]}{cells[3]}</tr>{written}</table>")

    def joint(self) -> str:
        several = len(self.page.record.reporting_owners) > 1
        return (self.lab("joint") + "<br>" + f"[{'&nbsp;&nbsp;' if several else 'X'}] " + self.lab("one")
                + "<br>" + f"[{'X' if several else '&nbsp;&nbsp;'}] " + self.lab("more"))

    def header(self, items_1_to_3_only: bool = False) -> str:
        rec, p = self.page.record, self.p
        issuer = ticker_html(self.h, self.val("/issuer/name", rec.issuer.name),
                             self.val("/issuer/trading_symbol", rec.issuer.trading_symbol))
        box2 = self.lab("issuer") + "<br>" + issuer
        box3 = self.lab("period") + "<br>" + self.val("/period_of_report", rec.period_of_report)
        original = "" if items_1_to_3_only else self.val("/date_of_original_submission", rec.date_of_original_submission)
        box4 = self.lab("amendment") + "<br>" + original
        box5 = self.relationship(0, blank=items_1_to_3_only)
        box6 = self.joint() if not items_1_to_3_only else self.lab("joint")
        td = f'<td valign="top" bgcolor="#FFFFFF" width="{{}}%">{{}}</td>'
        grid = (f'<table width="100%" border="{self.border}" cellspacing="0" cellpadding="3">')
        if self.grid == "rows":
            return (grid + "<tr>" + td.format(p.width(2, 34), self.name_box(0)) + td.format(p.width(3, 33), box2)
                    + td.format(p.width(4, 33), box3) + "</tr><tr>" + td.format(34, box4) + td.format(33, box5)
                    + td.format(33, box6) + "</tr></table>")
        return (grid + f'<tr><td rowspan="3" valign="top" width="{p.width(2, 34)}%">{self.name_box(0)}</td>'
                + td.format(p.width(3, 33), box2) + f'<td rowspan="2" valign="top">{box5}</td></tr>'
                + f"<tr>{td.format(33, box3)}</tr><tr>{td.format(33, box4)}<td valign=\"top\">{box6}</td></tr></table>")

    def table(self, heading: str, captions: Sequence[str], columns: Sequence[_Column],
              rows: Sequence[tuple[str, int, object]], first: bool = True) -> str:
        """A table's heading, caption row and rows; a long table continues on further pages
        (heading and captions repeated), as does the rest of a table on a continuation copy."""
        p = self.p
        head = "".join(f'<td bgcolor="{self.shade}" valign="bottom" width="{p.width(k, 100 / len(captions))}%">'
                       f"{_f(c)}</td>" for k, c in enumerate(captions))
        pieces = chunks(rows, self.h.chunk)
        out = []
        for k, piece in enumerate(pieces):
            body = "".join("<tr>" + "".join(f'<td{td_class(col.fields)} valign="top">{self._cell(t, i, r, col)}</td>'
                                            for col in columns) + "</tr>" for t, i, r in piece)
            brk = ' style="break-before: page"' if k else ""
            name = heading if k == 0 and first else f"{heading} (continued)"
            out.append(f'<div{brk}><p align="center">{_f(f"<b>{name}</b>", 2)}</p>'
                       f'<table width="100%" border="{self.border}" cellspacing="0" cellpadding="2">'
                       f"<tr>{head}</tr>{body}</table></div>")
        return "".join(out)

    def _cell(self, table: str, i: int, row: object, col: _Column) -> str:
        text = self.page.cell(table, i, row, col)
        return _f(text, 2, self.p.value_font) if text else "&nbsp;"

    def more_owners(self) -> str:
        n = len(self.page.record.reporting_owners)
        return "".join(f'<table width="100%" border="{self.border}" cellspacing="0" cellpadding="3"><tr>'
                       f'<td width="50%" valign="top">{self.name_box(i)}</td><td valign="top">{self.relationship(i)}'
                       "</td></tr></table>" for i in range(1, n))

    def notes(self, rng: random.Random) -> str:
        rec = self.page.record
        rows = "".join(f'<tr><td valign="top" width="3%">{_f(format_footnote_line(n.id, self.note_form), 1)}</td>'
                       f'<td>{_f(self.page.text(f"/footnotes/{i}/text", n.text), 1)}</td></tr>'
                       for i, n in enumerate(rec.footnotes))
        remarks = ""
        if rec.remarks is not None or rng.random() < 0.4:
            remarks = f"<p>{self.lab('remarks')}<br>{_f(self.page.text('/remarks', rec.remarks), 1)}</p>"
        return (f"<p>{_f('<b>' + label(self.p, 'explanation') + '</b>', 2)}</p>"
                f'<table border="0" width="100%">{rows}</table>{remarks}')

    def signatures(self) -> str:
        h = self.h
        signed = []
        for i, s in enumerate(self.page.record.signatures):
            name = self.page.text(f"/signatures/{i}/name", s.name)
            if h.title_lines and ", By:" in name:
                name = name.replace(", By:", ", <br>By:", 1)
            signed.append(f'<tr><td width="55%"></td><td>{_f(name, 2)}</td>'
                          f'<td>{_f(self.page.text(f"/signatures/{i}/date", s.date), 2)}</td></tr>')
        labels = f'<tr><td></td><td>{self.lab("signature")}</td><td>{self.lab("date")}</td></tr>'
        legend = f'<tr><td colspan="3">{_f(LEGEND)}</td></tr>'
        rows = [labels, *signed] if h.signature_under else [*signed, labels]
        if h.legend_under:
            rows.insert(len(signed) if not h.signature_under else len(rows), legend)
        else:
            rows.append(legend)
        notes = (wording("reminder"), wording("joint_note", 1), wording("copies"), wording("respond", 1))
        return f'<table width="100%" border="0">{"".join(rows)}</table>' + _f("<br>".join(notes))


def render(record: Record, seed: int | None, cell_footnotes: Mapping[CellRef, Sequence[str]] | None = None) -> str:
    """A filing agent's page for ``record`` (``seed=None`` is seed 0)."""
    seed = seed or 0
    p: Presentation = presentation(seed, fonts=("Arial", "Times New Roman", "Courier New", "Verdana", "Tahoma"))
    rng = random.Random(seed ^ 0xA6E7)
    h = habits(seed, "agent")
    page = Page.of(record, p, cell_footnotes)
    a = _Agent(page, h, rng)
    t1_rows, t2_rows = page.rows(_T1), page.rows(_T2)
    body = [a.top(), a.header()]
    t1_head = label(p, "table1")
    if h.continued and len(t1_rows) >= 2:
        # the first copy's Table I is full: the rest goes on another copy of the form, Items 1-3 again
        cut = rng.randint(1, len(t1_rows) - 1)
        body += [a.table(t1_head, _T1_CAPTIONS, _TABLE1, t1_rows[:cut]),
                 '<div style="break-before: page"></div>', a.top(), a.header(items_1_to_3_only=not h.copy_repeats_all),
                 a.table(t1_head, _T1_CAPTIONS, _TABLE1, t1_rows[cut:], first=False)]
    else:
        body.append(a.table(t1_head, _T1_CAPTIONS, _TABLE1, t1_rows))
    body += [a.table(f"{label(p, 'table2')}<br>{label(p, 'table2_sub')}", _T2_CAPTIONS, _TABLE2, t2_rows),
             a.more_owners(), a.notes(rng), a.signatures()]
    css = (f"body {{ font-family: '{p.label_font}', sans-serif; }} td {{ vertical-align: top; }} "
           f"font[size=\"1\"] {{ font-size: {p.label_pt}pt; }} font[size=\"2\"] {{ font-size: {p.value_pt}pt; }} "
           + footer_css(h))
    return ("<html><head><title>" + esc(f"FORM {record.document_type or '4'}") + "</title>"
            f"<style>{css}</style></head>\n<body>{page_css(p)}\n" + "\n".join(body) + "\n</body></html>\n")
