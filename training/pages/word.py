"""Style ``word``: a Form 4 typed by a filer in a word processor and saved as HTML.

A word processor's page: ``MsoNormal`` paragraphs, centred bold headings, its own
table borders (full grid, double outer lines, or rules only under the heading
row and at the table's foot), its own fonts (Calibri, Cambria, Times New Roman,
Garamond, Arial). The header boxes are the filer's layout: a two-column table of
"label | value", or numbered paragraphs with the value indented under each label.
Box 2 writes the ticker as filers type it (``Example Holdings, Inc. (EXMP)`` or on
the line after the name), box 5 lists the checked relationships with ``X`` and
the officer title after its label (over two lines when long). Each table has one
heading row of the filer's own captions and carries its heading row onto the
next page when it runs long. Footnotes are ``(1)`` or ``1.`` paragraphs; entity
signatures print as the entity's line and a ``By: /s/ ...`` line.

Every value prints through ``printed_form``; the presentation and the habits
(:mod:`.common`, :mod:`.habits`) are drawn from the seed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from form4.schema import Record, ReportingOwner
from form4.io.xml_reader import CellRef

from .common import Page, bare, esc, label, page_css, presentation, td_class, wording
from .habits import LEGEND, Habits, chunks, footer_css, habits, ticker_html, two_lines
from .printing import format_footnote_line
from .cells import _Column, _TABLE1, _TABLE2

__all__ = ["render"]

_FONTS = ("Calibri", "Cambria", "Times New Roman", "Garamond", "Arial", "Book Antiqua", "Century Schoolbook")
_T1 = ("non_derivative_transactions", "non_derivative_holdings")
_T2 = ("derivative_transactions", "derivative_holdings")
#: the filer's captions for the columns of ``render._TABLE1`` / ``_TABLE2``: the form's wordings without box
#: numbers and instruction references (None: the column is left out)
_T1_CAPTIONS = (bare(wording("t1_title")), bare(wording("t1_date")), bare(wording("t1_deemed")),
                bare(wording("t1_code")), None, wording("amount"), wording("a_or_d"), wording("price"),
                bare(wording("t1_owned")), bare(wording("t1_form")), bare(wording("t1_nature")))
_T2_CAPTIONS = (bare(wording("t2_title")), bare(wording("t2_conversion")), bare(wording("t2_date")),
                bare(wording("t2_deemed")), bare(wording("t2_code")), None,
                f"{bare(wording('t2_number', 2))}<br>{wording('acquired')}", wording("disposed"),
                wording("exercisable"), wording("expiration"), f"{bare(wording('t2_underlying', 2))}<br>{wording('title')}",
                wording("shares"), bare(wording("t2_price")), bare(wording("t2_owned", 1)), bare(wording("t2_form")),
                bare(wording("t2_nature")))
_BORDERS = {
    "grid": "table.t td, table.t th { border: solid windowtext 1.0pt; }",
    "double": "table.t { border: double windowtext 2.25pt; } table.t td, table.t th { border: solid windowtext 0.5pt; }",
    "rules": "table.t th { border-top: solid windowtext 1.5pt; border-bottom: solid windowtext 1.0pt; } "
             "table.t { border-bottom: solid windowtext 1.5pt; }",
}


class _Word:
    """One word-processor page: values, presentation, habits and the document's own choices."""

    def __init__(self, page: Page, h: Habits, rng: random.Random) -> None:
        self.page, self.p, self.h = page, page.p, h
        self.as_table = rng.random() < 0.55
        self.numbered = rng.random() < 0.7
        self.note_form = rng.choice(("paren", "dot", "paren", "bracket"))
        self.heading_caps = rng.random() < 0.5

    def v(self, pointer: str, value: object) -> str:
        return self.page.text(pointer, value)

    def lab(self, key: str) -> str:
        text = label(self.p, key)
        return text if self.numbered else text.split(". ", 1)[-1] if text[:1].isdigit() else text

    # ------------------------------------------------------------ header
    def owner(self, i: int) -> list[tuple[str, str]]:
        rec = self.page.record
        owner = rec.reporting_owners[i] if i < len(rec.reporting_owners) else ReportingOwner()
        ptr = f"/reporting_owners/{i}"

        def v(name: str) -> str:
            return self.v(f"{ptr}/{name}", getattr(owner, name))

        city = ", ".join(x for x in (v("city"), " ".join(x for x in (v("state"), v("zip_code")) if x)) if x)
        address = "<br>".join(x for x in (v("name"), v("street1"), v("street2"), city) if x)
        checked = []
        for flag, key in (("is_director", "director"), ("is_officer", "officer"),
                          ("is_ten_percent_owner", "ten"), ("is_other", "other")):
            mark = self.v(f"{ptr}/{flag}", getattr(owner, flag))
            line = f"{mark or '&nbsp;&nbsp;'} &nbsp; {label(self.p, key)}"
            text_field = {"officer": "officer_title", "other": "other_text"}.get(key)
            written = v(text_field) if text_field else ""
            if written:
                line += "<br>" + (two_lines(written) if self.h.title_lines and len(written) > 18 else written)
            checked.append(f"<p class=MsoNormal style='margin-left:.25in'>{line}</p>")
        return [(self.lab("name"), address), (self.lab("relationship"), "".join(checked))]

    def header(self) -> str:
        rec = self.page.record
        several = len(rec.reporting_owners) > 1
        issuer = ticker_html(self.h, self.v("/issuer/name", rec.issuer.name),
                             self.v("/issuer/trading_symbol", rec.issuer.trading_symbol))
        owner = self.owner(0)
        pairs = [owner[0], (self.lab("issuer"), issuer),
                 (self.lab("period"), self.v("/period_of_report", rec.period_of_report)),
                 (self.lab("amendment"), self.v("/date_of_original_submission", rec.date_of_original_submission)
                  or "N/A"),
                 owner[1],
                 (self.lab("joint"), f"X &nbsp; {label(self.p, 'more') if several else label(self.p, 'one')}")]
        return self.pairs(pairs)

    def pairs(self, pairs: Sequence[tuple[str, str]]) -> str:
        if self.as_table:
            rows = "".join(f"<tr><td width='40%' valign=top><p class=MsoNormal><b>{k}</b></p></td>"
                           f"<td valign=top><p class=MsoNormal>{v or '&nbsp;'}</p></td></tr>" for k, v in pairs)
            return f"<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=4 width='100%'>{rows}</table>"
        return "".join(f"<p class=MsoNormal><b>{k}</b></p><p class=MsoNormal style='margin-left:.5in'>"
                       f"{v or '&nbsp;'}</p>" for k, v in pairs)

    # ------------------------------------------------------------ tables
    def table(self, heading: str, captions: Sequence[str | None], columns: Sequence[_Column],
              tables: Sequence[str]) -> str:
        keep = [k for k, c in enumerate(captions) if c is not None]
        head = "".join(f"<th width='{self.p.width(n, 100 / len(keep))}%'><p class=MsoNormal align=center>"
                       f"<b>{captions[k]}</b></p></th>" for n, k in enumerate(keep))
        rows = self.page.rows(tables)
        out = []
        for n, piece in enumerate(chunks(rows, self.h.chunk)):
            body = "".join("<tr>" + "".join(f"<td{td_class(columns[k].fields)} valign=top><p class=MsoNormal>"
                                            f"{self.page.cell(t, i, r, columns[k]) or '&nbsp;'}</p></td>"
                                            for k in keep) + "</tr>" for t, i, r in piece)
            if not piece:
                body = f"<tr><td colspan={len(keep)}><p class=MsoNormal>None</p></td></tr>"
            title = heading if n == 0 else f"{heading} (continued)"
            brk = " style='break-before:page'" if n else ""
            out.append(f"<div{brk}><p class=MsoTitle align=center><b>{title}</b></p>"
                       f"<table class=t border=0 cellspacing=0 cellpadding=3 width='100%'>"
                       f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
        return "".join(out)

    # ------------------------------------------------------------ the end of the form
    def notes(self) -> str:
        rec = self.page.record
        lines = "".join(f"<p class=MsoNormal style='text-indent:-.3in;margin-left:.3in'>"
                        f"{format_footnote_line(n.id, self.note_form)} &nbsp; "
                        f"{self.v(f'/footnotes/{i}/text', n.text)}</p>" for i, n in enumerate(rec.footnotes))
        remarks = (f"<p class=MsoNormal><b>{label(self.p, 'remarks')}</b> {self.v('/remarks', rec.remarks)}</p>"
                   if rec.remarks is not None else "")
        return f"<p class=MsoNormal><b><u>{label(self.p, 'explanation')}</u></b></p>{lines}{remarks}"

    def signatures(self) -> str:
        h = self.h
        blocks = []
        for i, s in enumerate(self.page.record.signatures):
            name = self.v(f"/signatures/{i}/name", s.name)
            if ", By:" in name:  # an entity's block: its name, then who signs for it
                name = name.replace(", By:", ", <br>By:", 1)
            elif h.title_lines and len(name) > 30:
                name = two_lines(name)
            blocks.append(f"<p class=MsoNormal style='margin-top:10pt'>{name}</p>"
                          f"<p class=MsoNormal>{self.v(f'/signatures/{i}/date', s.date)}</p>")
        labels = (f"<p class=MsoNormal>{label(self.p, 'signature')} &nbsp;&nbsp;&nbsp;&nbsp; "
                  f"{label(self.p, 'date')}</p>")
        legend = f"<p class=MsoNormal style='font-size:8pt'>{LEGEND}</p>"
        parts = [labels, *blocks] if h.signature_under else [*blocks, labels]
        if h.legend_under and not h.signature_under:
            parts.insert(len(blocks), legend)
        else:
            parts.append(legend)
        return "".join(parts) + f"<p class=MsoNormal style='font-size:8pt'>{wording('reminder')}</p>"


def render(record: Record, seed: int | None, cell_footnotes: Mapping[CellRef, Sequence[str]] | None = None) -> str:
    """The filer's word-processor page for ``record`` (``seed=None`` is seed 0)."""
    seed = seed or 0
    p = presentation(seed, fonts=_FONTS)
    rng = random.Random(seed ^ 0x3F0D)
    h = habits(seed, "word")
    page = Page.of(record, p, cell_footnotes)
    w = _Word(page, h, rng)
    font = rng.choice(_FONTS)
    # further owners: box 1 and box 5 again (their own label starts each owner's block)
    more = "".join("<p class=MsoNormal>&nbsp;</p>" + w.pairs(w.owner(k)) for k in range(1, len(record.reporting_owners)))
    doc = page.text("/document_type", record.document_type) or "4"
    title = wording("statement", 1)
    checks = [f"{page.text('/not_subject_to_section16', record.not_subject_to_section16) or '&#9744;'} "
              + wording("not_subject", 1)]
    if record.aff10b5_one is not None:
        checks.append(f"{page.text('/aff10b5_one', record.aff10b5_one) or '&#9744;'} {wording('aff10b5', 1)}")
    omb = (f"<p class=MsoNormal align=right style='font-size:8pt'>{wording('omb_number')}<br>{h.expires}</p>"
           if h.expires else "")
    body = [f"{omb}<p class=MsoTitle align=center><b>{wording('form').removesuffix('4')}{doc}</b></p>"
            f"<p class=MsoNormal align=center>{wording('commission')}<br>{wording('washington')}</p>"
            f"<p class=MsoNormal align=center><b>{title if w.heading_caps else title.title()}</b></p>"
            + "".join(f"<p class=MsoNormal>{c}</p>" for c in checks),
            w.header(),
            w.table(label(p, "table1"), _T1_CAPTIONS, _TABLE1, _T1),
            w.table(f"{label(p, 'table2')}<br>{label(p, 'table2_sub')}", _T2_CAPTIONS, _TABLE2, _T2),
            more, w.notes(), w.signatures()]
    css = (f"p.MsoNormal {{ margin:0; font-family:'{font}',serif; font-size:{p.value_pt}pt; }} "
           f"p.MsoTitle {{ margin:8pt 0 4pt 0; font-family:'{font}',serif; font-size:{p.value_pt + 2}pt; }} "
           f"table.t {{ border-collapse:collapse; }} table.t th p {{ font-size:{p.label_pt}pt; }} "
           + _BORDERS[rng.choice(sorted(_BORDERS))] + " " + footer_css(h))
    return ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta charset=\"utf-8\">"
            f"<meta name=Generator content=\"Microsoft Word 15\"><title>Form {esc(doc)}</title><style>{css}</style>"
            f"</head>\n<body lang=EN-US>{page_css(p)}<div class=WordSection1>\n" + "\n".join(body)
            + "\n</div></body></html>\n")
