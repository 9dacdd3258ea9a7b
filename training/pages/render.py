"""Record -> a standalone HTML page laid out like EDGAR's rendering of a Form 4.

The layout follows the pages EDGAR serves for ownership XML (the ``xslF345X0x``
style: ``FormData`` blue values, ``FootnoteData`` marks, the numbered boxes,
Table I and Table II with their two header rows, "Explanation of Responses:",
"Remarks:", the signature line and the boilerplate). Values go through
:func:`form4.training.pages.printing.printed_form`, so :func:`render_values` lists exactly
the strings the page shows.

Layout decisions worth knowing:

* box 1 and box 5 show the first reporting owner; every further owner gets its
  own name/address and relationship block after Table II (as EDGAR prints joint
  filings), and box 6 is checked for "More than One Reporting Person";
* Table I lists transactions, then holdings; Table II likewise. Holding rows
  leave the date, code, amount and price cells empty;
* a derivative amount prints under (A) or (D) by its acquired/disposed code
  (under (A) when the code is missing), so that code prints no letter;
* footnote marks: with ``cell_footnotes`` (from
  :func:`form4.io.xml_reader.parse_ownership_xml`) each mark follows the value
  it belongs to; without it, or for ids the map does not place, the row's marks
  follow the security title (the record keeps footnotes per row, not per cell);
* the 10b5-1 checkbox row appears only when ``aff10b5_one`` is not ``None``;
* "Remarks:" prints whenever there are remarks, and by default also when there
  are none (most filings carry an empty ``<remarks/>``, which the record cannot
  tell from a missing one); pass ``empty_remarks_heading=False`` to drop it.

``annotate=True`` adds a ``data-ptr`` attribute (the record's JSON pointer) to
each printed value, for tests and span projection; it does not change the look.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from form4.form.labels import WORDINGS
from form4.schema import Record, ReportingOwner, iter_leaves
from form4.io.xml_reader import CellRef

from .cells import _TABLE1, _TABLE2, _Column, _Ctx, _amount_side, _esc, _marks_html, _resolve_marks, _table_rows, _value
from .printing import printed_form

__all__ = ["render_html", "render_values"]

# --------------------------------------------------------------------------- values


def render_values(record: Record) -> list[tuple[str, str]]:
    """(JSON pointer, printed string) for every non-null leaf the page prints.

    Leaves the page does not print as text (see :mod:`form4.training.pages.printing`) are left out.

    >>> from form4.schema import Issuer
    >>> render_values(Record(document_type="4", issuer=Issuer(name="X", cik="1")))
    [('/document_type', '4'), ('/issuer/name', 'X')]
    """
    out: list[tuple[str, str]] = []
    for pointer, value in iter_leaves(record.model_dump(mode="json")):
        text = printed_form(pointer, value)
        if text is not None:
            out.append((pointer, text))
    return out


# --------------------------------------------------------------------------- page top


_CSS = """
.FormData {color: blue; background-color: white; font-size: small; font-family: Times, serif;}
.SmallFormData {color: blue; background-color: white; font-size: x-small; font-family: Times, serif;}
.FootnoteData {color: green; background-color: white; font-size: x-small; font-family: Times, serif;}
.FormText {font-size: small; font-weight: normal; font-family: arial, helvetica, sans-serif; text-align: left;}
.FormTextC {font-size: small; font-weight: normal; font-family: arial, helvetica, sans-serif; text-align: center;}
.SmallFormText {font-size: xx-small; font-family: arial, helvetica, sans-serif; text-align: left;}
.SmallFormTextR {font-size: xx-small; font-family: arial, helvetica, sans-serif; text-align: right;}
.MedSmallFormText {font-size: x-small; font-family: arial, helvetica, sans-serif; text-align: left;}
.FormTitle {font-size: medium; font-family: arial, helvetica, sans-serif; font-weight: bold;}
.FormName {font-size: large; font-family: arial, helvetica, sans-serif; font-weight: bold;}
body {background: white;}
table {border-collapse: separate;}
"""

#: EDGAR's doctype: it selects the browser's "almost standards" mode, whose
#: table line heights the page layout depends on (nothing is fetched).
_DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" '
            '"http://www.w3.org/TR/html4/loose.dtd">')

def _l(key: str) -> str:
    """EDGAR's wording of a label (:data:`form4.form.labels.WORDINGS`)."""
    return WORDINGS[key][0]


def label_html(key: str) -> str:
    """A label as EDGAR's page prints it: box 1's footnote star raised, box 2's "and" in bold.

    >>> label_html("name")
    '1. Name and Address of Reporting Person<sup>*</sup>'
    """
    if key == "name":
        return _l("name").removesuffix("*") + "<sup>*</sup>"
    return WORDINGS["issuer"][1] if key == "issuer" else _l(key)


def _split(wording: str, before: str) -> tuple[str, str]:
    """A wording printed on two lines, broken before ``before``: ("OMB Number:", "3235-0287")."""
    at = wording.index(before)
    return wording[:at].rstrip(), wording[at:]


def _checkbox_row(ctx: _Ctx, pointer: str, value: bool | None, label: str) -> str:
    mark = _value(ctx, pointer, value) or "&nbsp;&nbsp;"
    return (f'<tr valign="middle"><td><table width="100%" border="1" cellpadding="0" '
            f'cellspacing="0"><tr><td align="center">{mark}</td></tr></table></td>'
            f'<td class="SmallFormText">{label}</td></tr>')


def _omb_box() -> str:
    number, value = _split(_l("omb_number"), "3235")
    burden, hours = _split(_l("omb_burden"), "hours")
    hours, time = _split(hours, "0.5")
    return ('<table width="100%" border="1" summary="OMB Approval Status Box">'
            f'<tr><td class="FormTextC">{_l("omb")}</td></tr>'
            '<tr><td><table width="100%" border="0" summary="OMB Interior Box">'
            f'<tr><td class="SmallFormText" colspan="3">{number}</td>'
            f'<td class="SmallFormTextR">{value}</td></tr>'
            f'<tr><td class="SmallFormText" colspan="4">{burden}</td></tr>'
            f'<tr><td class="SmallFormText" colspan="3">{hours}</td>'
            f'<td class="SmallFormTextR">{time}</td></tr></table></td></tr></table>')


def _page_top(ctx: _Ctx) -> str:
    rec = ctx.record
    rows = [_checkbox_row(ctx, "/not_subject_to_section16", rec.not_subject_to_section16,
                          _l("not_subject"))]
    if rec.aff10b5_one is not None:
        rows.append(_checkbox_row(ctx, "/aff10b5_one", rec.aff10b5_one, _l("aff10b5")))
    act, company_act = _split(_l("pursuant"), "or Section 30(h)")
    title = (f'<span class="FormTitle">{_l("commission")}</span>'
             f'<br><span class="MedSmallFormText">{_l("washington")}</span><br><br>'
             f'<span class="FormTitle">{_l("statement")}</span><br><br>'
             f'<span class="MedSmallFormText">{act}</span><br><span class="MedSmallFormText">{company_act}</span>')
    return ('<table width="100%" border="0" cellspacing="0" cellpadding="4">'
            '<tr><td width="20%" colspan="2" valign="top" align="center" class="FormName">'
            f'{_l("form")}</td>'
            # EDGAR spans two rows even when the 10b5-1 row makes three
            f'<td rowspan="2" width="60%" valign="middle" align="center">{title}</td>'
            f'<td rowspan="2" width="20%" valign="top" align="center">'
            f'{_omb_box()}</td></tr>' + "".join(rows) + "</table>")


# --------------------------------------------------------------------------- owner boxes


#: EDGAR links names to its company browser; relative, so nothing is fetched.
_OWNER_HREF = "/cgi-bin/browse-edgar?action=getcompany"


def _label(text: str) -> str:
    return f'<span class="MedSmallFormText">{text}</span>'


def _three(cells: Sequence[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    tds = "".join(f'<td width="33%"{cls}>{c}</td>' for c in cells)
    return f'<table border="0" width="100%"><tr>{tds}</tr></table>'


def _name_address(ctx: _Ctx, i: int) -> str:
    """"1. Name and Address of Reporting Person*" with the owner's name and address."""
    owner = ctx.record.reporting_owners[i] if i < len(ctx.record.reporting_owners) else None
    p = f"/reporting_owners/{i}"

    def val(name: str) -> str:
        return _value(ctx, f"{p}/{name}", getattr(owner, name)) if owner else ""

    name = _value(ctx, f"{p}/name", owner.name, None) if owner else ""
    linked = f'<a href="{_OWNER_HREF}">{name}</a>' if name else ""

    streets = "".join(f"<tr><td>{val(name) or '&nbsp;'}</td></tr>" for name in ("street1", "street2"))
    return (_label(label_html("name"))
            + f'<table border="0" width="100%"><tr><td>{linked}</td></tr></table>'
            + '<hr width="98%">'
            + _three([_l("last"), _l("first"), _l("middle")], "MedSmallFormText")
            + f'<table border="0" width="100%">{streets}</table>'
            + '<hr width="98%">' + _label(_l("street"))
            + _three([val("city"), val("state"), val("zip_code")])
            + '<hr width="98%">'
            + _three([_l("city"), _l("state"), _l("zip")], "MedSmallFormText"))


def _relationship(ctx: _Ctx, i: int, heading: str) -> str:
    """The relationship checkboxes (Director / 10% Owner / Officer / Other) of owner ``i``."""
    owners = ctx.record.reporting_owners
    owner = owners[i] if i < len(owners) else ReportingOwner()
    p = f"/reporting_owners/{i}"

    def box(name: str) -> str:
        return f'<td width="15%" align="center">{_value(ctx, f"{p}/{name}", getattr(owner, name))}</td>'

    def label(text: str) -> str:
        return f'<td width="35%" class="MedSmallFormText">{text}</td>'

    def title(name: str) -> str:
        return (f'<td width="35%" align="left" style="color: blue">'
                f'{_value(ctx, f"{p}/{name}", getattr(owner, name), None)}</td>')

    return (_label(heading) + "<br>" + _label(_l("check_all"))
            + '<table border="0" width="100%">'
            + f"<tr>{box('is_director')}{label(_l('director'))}"
            + f"{box('is_ten_percent_owner')}{label(_l('ten'))}</tr>"
            + f"<tr>{box('is_officer')}{label(_l('officer'))}"
            + f"{box('is_other')}{label(_l('other'))}</tr>"
            + f'<tr><td width="15%"></td>{title("officer_title")}'
            + f'<td width="15%"></td>{title("other_text")}</tr></table>')


def _issuer_box(ctx: _Ctx) -> str:
    issuer = ctx.record.issuer
    name = _value(ctx, "/issuer/name", issuer.name, None)
    href = f"{_OWNER_HREF}&CIK={issuer.cik}" if issuer.cik else _OWNER_HREF
    linked = f'<a href="{_esc(href)}">{name}</a>' if name else ""
    ticker = _value(ctx, "/issuer/trading_symbol", issuer.trading_symbol)
    return (_label(label_html("issuer"))
            + f"<br>{linked} [ {ticker} ]")


def _date_box(ctx: _Ctx, heading: str, pointer: str, value: Any) -> str:
    return _label(heading) + "<br>" + _value(ctx, pointer, value)


def _joint_box(ctx: _Ctx) -> str:
    several = len(ctx.record.reporting_owners) > 1
    rows = [(not several, _l("one")), (several, _l("more"))]
    body = "".join(
        f'<tr><td width="15%" align="center">{"<span class=FormData>X</span>" if on else ""}</td>'
        f'<td width="85%" class="MedSmallFormText">{text}</td></tr>'
        for on, text in rows)
    return (_label(_l("joint"))
            + f'<table border="0" width="100%">{body}</table>')


def _owner_boxes(ctx: _Ctx) -> str:
    rec = ctx.record
    return ('<table width="100%" border="1" cellspacing="0" cellpadding="4"><tr>'
            f'<td rowspan="3" width="35%" valign="top">{_name_address(ctx, 0)}</td>'
            f'<td width="35%" valign="top">{_issuer_box(ctx)}</td>'
            f'<td rowspan="2" valign="top">'
            f'{_relationship(ctx, 0, _l("relationship"))}</td>'
            '</tr><tr><td valign="top">'
            + _date_box(ctx, _l("period"), "/period_of_report", rec.period_of_report)
            + '</td></tr><tr><td valign="top">'
            + _date_box(ctx, _l("amendment"), "/date_of_original_submission", rec.date_of_original_submission)
            + f'</td><td valign="top">{_joint_box(ctx)}</td></tr></table>')


def _more_owners(ctx: _Ctx) -> str:
    """One name/address + relationship block per reporting owner after the first."""
    blocks = [
        '<table width="100%" border="1" cellspacing="0" cellpadding="4"><tr>'
        f'<td width="35%" valign="top">{_name_address(ctx, i)}</td>'
        f'<td valign="top">'
        f'{_relationship(ctx, i, _l("relationship").replace("5.", "1.", 1))}</td>'
        "</tr></table>"
        for i in range(1, len(ctx.record.reporting_owners))
    ]
    return "".join(blocks)


# --------------------------------------------------------------------------- tables


def _field_value(ctx: _Ctx, table: str, i: int, row: Any, name: str, css: str) -> str:
    if name not in type(row).model_fields:
        return ""
    return _value(ctx, f"/{table}/{i}/{name}", getattr(row, name), css)


def _cell(ctx: _Ctx, table: str, i: int, row: Any, col: _Column) -> str:
    if col.kind == "blank":
        return f'<td align="{col.align}"></td>'
    if col.kind.startswith("amount_") and col.kind != f"amount_{_amount_side(row)}":
        return f'<td align="{col.align}"></td>'
    value = _field_value(ctx, table, i, row, col.fields[0], col.css)
    if col.kind == "code":
        value += _field_value(ctx, table, i, row, "equity_swap_involved", col.css)
    marks = [m for name in col.fields for m in ctx.marks.get(CellRef(table, i, name), ())]
    return f'<td align="{col.align}">{value}{_marks_html(ctx, marks)}</td>'


def _body(ctx: _Ctx, tables: Sequence[str], columns: Sequence[_Column]) -> str:
    rows = []
    for table, records in _table_rows(ctx.record):
        if table not in tables:
            continue
        for i, row in enumerate(records):
            rows.append("<tr>" + "".join(_cell(ctx, table, i, row, c) for c in columns) + "</tr>")
    return f"<tbody>{''.join(rows)}</tbody>" if rows else ""


def _th(text: str, width: int, span: str = "", css: str = "SmallFormText",
        align: str = "left", valign: str = "top") -> str:
    return (f'<th width="{width}%" valign="{valign}"{span} align="{align}" class="{css}">'
            f"{text}</th>")


_R2, _C2, _C3 = ' rowspan="2"', ' colspan="2"', ' colspan="3"'


def _table1(ctx: _Ctx) -> str:
    head = (
        '<tr><th width="100%" valign="top" colspan="11" align="center" class="FormTextC">'
        f"<b>{_l('table1')}</b></th></tr><tr>"
        + _th(_l("t1_title"), 36, _R2, "MedSmallFormText")
        + _th(_l("t1_date"), 6, _R2)
        + _th(_l("t1_deemed"), 5, _R2)
        + _th(_l("t1_code"), 7, _C2)
        + _th(_l("t1_amount"), 19, _C3)
        + _th(_l("t1_owned"), 11, _R2)
        + _th(_l("t1_form"), 9, _R2)
        + _th(_l("t1_nature"), 8, _R2)
        + "</tr><tr>"
        + "".join(_th(_l(key), w, align="center", valign="bottom")
                  for key, w in (("code", 4), ("v", 3), ("amount", 8), ("a_or_d", 5), ("price", 6)))
        + "</tr>")
    body = _body(ctx, ("non_derivative_transactions", "non_derivative_holdings"), _TABLE1)
    return (f'<table width="100%" border="1" cellspacing="0" cellpadding="4">'
            f"<thead>{head}</thead>{body}</table>")


def _table2(ctx: _Ctx) -> str:
    head = (
        '<tr><th width="100%" valign="top" colspan="16" align="center" class="FormTextC">'
        f"<b>{_l('table2')}</b><br><b>{_l('table2_sub')}</b></th></tr><tr>"
        + _th(_l("t2_title"), 13, _R2)
        + _th(_l("t2_conversion"), 5, _R2)
        + _th(_l("t2_date"), 5, _R2)
        + _th(_l("t2_deemed"), 5, _R2)
        + _th(_l("t2_code"), 9, _C2)
        + _th(_l("t2_number"), 10, _C2)
        + _th(_l("t2_dates"), 9, _C2)
        + _th(_l("t2_underlying"), 17, _C2)
        + _th(_l("t2_price"), 6, _R2)
        + _th(_l("t2_owned"), 6, _R2)
        + _th(_l("t2_form"), 6, _R2)
        + _th(_l("t2_nature"), 7, _R2)
        + "</tr><tr>"
        + "".join(_th(_l(key), w, align="center", valign="bottom")
                  for key, w in (("code", 4), ("v", 4), ("acquired", 5), ("disposed", 5), ("exercisable", 5),
                                 ("expiration", 4), ("title", 10), ("shares", 7)))
        + "</tr>")
    body = _body(ctx, ("derivative_transactions", "derivative_holdings"), _TABLE2)
    return (f'<table width="100%" border="1" cellspacing="0" cellpadding="4">'
            f"<thead>{head}</thead>{body}</table>")


# --------------------------------------------------------------------------- page bottom


def _explanation(ctx: _Ctx, empty_remarks_heading: bool) -> str:
    rec = ctx.record
    rows = [f'<tr><td class="MedSmallFormText"><b>{_l("explanation")}</b></td></tr>']
    for i, note in enumerate(rec.footnotes):
        number = _value(ctx, f"/footnotes/{i}/id", note.id, "FootnoteData")
        text = _value(ctx, f"/footnotes/{i}/text", note.text, "FootnoteData")
        rows.append(f'<tr><td class="FootnoteData">{number} {text}</td></tr>')
    if rec.remarks is not None or empty_remarks_heading:
        rows.append(f'<tr><td class="FormText"><b>{_l("remarks")}</b></td></tr>')
        remarks = _value(ctx, "/remarks", rec.remarks, "FootnoteData")
        rows.append(f'<tr><td class="FootnoteData">{remarks}</td></tr>')
    return f'<table border="0" width="100%">{"".join(rows)}</table>'


#: The form's notes under the signature, in EDGAR's order (the last one bold).
_NOTES = ("reminder", "joint_note", "misstatements", "copies", "respond")


def _signatures(ctx: _Ctx) -> str:
    rows = []
    for i, sig in enumerate(ctx.record.signatures or ()):
        name = _value(ctx, f"/signatures/{i}/name", sig.name)
        when = _value(ctx, f"/signatures/{i}/date", sig.date)
        rows.append(f'<tr><td width="60%"></td><td width="20%"><u>{name}</u></td>'
                    f'<td width="20%"><u>{when}</u></td></tr>')
    if not rows:
        rows.append('<tr><td width="60%"></td><td width="20%"></td><td width="20%"></td></tr>')
    rows.append(f'<tr><td></td><td class="MedSmallFormText">{_l("signature")}</td>'
                f'<td class="MedSmallFormText">{_l("date")}</td></tr>')
    rows += [f'<tr><td colspan="3" class="MedSmallFormText">{_l(key) if key != "respond" else f"<b>{_l(key)}</b>"}</td></tr>'
             for key in _NOTES]
    return f'<table width="100%" border="0">{"".join(rows)}</table>'


# --------------------------------------------------------------------------- page


def render_html(record: Record, cell_footnotes: Mapping[CellRef, Sequence[str]] | None = None,
                *, annotate: bool = False, empty_remarks_heading: bool = True) -> str:
    """A standalone HTML page (inline CSS, no network) that looks like EDGAR's Form 4.

    ``cell_footnotes`` (see :class:`form4.io.xml_reader.ParsedOwnership`) places
    each footnote mark after the value it belongs to; without it a row's marks
    follow its security title. Deterministic: the same input gives the same page.
    """
    ctx = _Ctx(record, _resolve_marks(record, cell_footnotes), annotate)
    doc_type = record.document_type or "4"
    heading = _value(ctx, "/document_type", record.document_type, None) or "4"  # after "SEC Form "
    parts = [
        _page_top(ctx),
        _owner_boxes(ctx),
        _table1(ctx),
        _table2(ctx),
        _more_owners(ctx),
        _explanation(ctx, empty_remarks_heading),
        _signatures(ctx),
    ]
    return (f"{_DOCTYPE}\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n"
            f"<title>SEC FORM {_esc(doc_type)}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body>{_l('sec_form').removesuffix('4')}{heading}\n" + "\n".join(parts) + "\n</body>\n</html>\n")
