"""training.render / training.printing: EDGAR-like HTML whose printed values render_values lists."""

from __future__ import annotations

import datetime as dt
import doctest
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from form4.schema import Record, iter_leaves
from form4.io.xml_reader import ParsedOwnership, iter_parsed_documents, parse_ownership_xml
from form4.training.pages import printing, render
from form4.training.pages.printing import format_price, format_shares, printed_form
from form4.training.pages.render import render_html, render_values

PAYPAL = "john-friedman__datamule-python/examples/ingest/paypal"
SEC = "DarkMindFX__InsidersTradeMonitor/Docs/Sample Reportings/SEC/Form4"
EDGARTOOLS = "dgunning__edgartools/data"

#: real filings of different shapes: id -> path under the raw folder
SHAPES = {
    "derivative-footnote-only-date": f"{EDGARTOOLS}/ownership/374WaterForm4.xml",
    "remarks-holding-18-sales": f"{SEC}/GOOG/000112760215028697/form4.xml",
    "derivative-holdings-remarks": f"{SEC}/GOOG/000120919122024552/doc4.xml",
    "six-owners-derivative": f"{PAYPAL}/000095017024012830/ownership.xml",
    "four-owners-derivative-holding": f"{PAYPAL}/000089924322012864/doc4.xml",
    "both-holding-kinds": f"{PAYPAL}/000120919121004591/doc4.xml",
    "10b5-1-checked": f"{PAYPAL}/000162828024034864/wk-form4_1722895731.xml",
    "10b5-1-holdings-remarks": f"{PAYPAL}/000132165524000181/wk-form4_1727395357.xml",
    "x0303-two-owners-footnote-price": f"{PAYPAL}/000118143111033001/rrd313108.xml",
    "derivative-only": f"{EDGARTOOLS}/ownership/VertexForm4.derivative-only.xml",
    "sixteen-footnotes": f"{EDGARTOOLS}/form4.snow.xml",
    "apple-holding-derivative": f"{SEC}/AAPL/wf-form4_156582182214854.xml",
    "spec-sample-swap-3-signatures": "cjavdev__sec_edgar/spec/sec_edgar/doc4.xml",
}


def _parse(raw: Path, rel: str) -> ParsedOwnership:
    return parse_ownership_xml((raw / rel).read_text(encoding="utf-8"), rel)


class _Visible(HTMLParser):
    """The text a browser shows: a line per cell/row/break, head/style skipped.

    With ``data-ptr`` annotations, also the text printed under each pointer.
    """

    BLOCKS = {"td", "th", "tr", "br", "table", "hr", "p", "div"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.open_ptrs: list[tuple[str, str | None, int]] = []  # (tag, ptr, start index)
        self.by_ptr: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title", "head"):
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag in ("span", "sup"):
            self.open_ptrs.append((tag, dict(attrs).get("data-ptr"), len(self.parts)))

    def handle_endtag(self, tag):
        if tag in ("style", "title", "head"):
            self.hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag in ("span", "sup") and self.open_ptrs:
            _, ptr, start = self.open_ptrs.pop()
            if ptr:
                self.by_ptr.setdefault(ptr, []).append("".join(self.parts[start:]))

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    @property
    def lines(self) -> list[str]:
        """Non-empty visible lines, whitespace folded."""
        folded = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return [line for line in folded if line]


def _visible(page: str) -> _Visible:
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return parser


def _check_values_visible(record: Record, page: str) -> None:
    lines = _visible(page).lines
    missing = [(p, s) for p, s in render_values(record) if not any(s in line for line in lines)]
    assert missing == []


# --------------------------------------------------------------------------- real filings


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_every_rendered_value_is_visible(shared, shape):
    parsed = _parse(shared, SHAPES[shape])
    page = render_html(parsed.record, parsed.cell_footnotes)
    _check_values_visible(parsed.record, page)
    _check_values_visible(parsed.record, render_html(parsed.record))  # row-level marks


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_each_value_prints_exactly_under_its_pointer(shared, shape):
    parsed = _parse(shared, SHAPES[shape])
    page = render_html(parsed.record, parsed.cell_footnotes, annotate=True)
    by_ptr = _visible(page).by_ptr
    values = dict(render_values(parsed.record))
    assert set(by_ptr) == set(values)
    wrong = {p: texts for p, texts in by_ptr.items() if any(t != values[p] for t in texts)}
    assert wrong == {}


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_page_anchors_and_determinism(shared, shape):
    parsed = _parse(shared, SHAPES[shape])
    page = render_html(parsed.record, parsed.cell_footnotes)
    text = "\n".join(_visible(page).lines)
    for anchor in ("FORM 4", "STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP",
                   "1. Name and Address of Reporting Person*", "(Last)", "(First)", "(Middle)",
                   "(Street)", "(City)", "(State)", "(Zip)",
                   "2. Issuer Name and Ticker or Trading Symbol",
                   "3. Date of Earliest Transaction (Month/Day/Year)",
                   "4. If Amendment, Date of Original Filed (Month/Day/Year)",
                   "5. Relationship of Reporting Person(s) to Issuer",
                   "6. Individual or Joint/Group Filing (Check Applicable Line)",
                   "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned",
                   "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned",
                   "Explanation of Responses:", "** Signature of Reporting Person",
                   "Reminder: Report on a separate line"):
        assert anchor in text, anchor
    assert page == render_html(parsed.record, parsed.cell_footnotes)
    again = _parse(shared, SHAPES[shape])
    assert page == render_html(again.record, again.cell_footnotes)


def test_standalone_page_fetches_nothing(shared):
    parsed = _parse(shared, SHAPES["six-owners-derivative"])
    page = render_html(parsed.record, parsed.cell_footnotes)
    assert not re.search(r"<(script|link|img|iframe)\b|src=|url\(|@import", page, re.I)
    assert not re.search(r'href="https?:', page)


def test_374water_prints_like_edgar(shared):
    """Values as EDGAR's own page for this XML shows them (except $0 -> $0.00)."""
    parsed = _parse(shared, SHAPES["derivative-footnote-only-date"])
    lines = _visible(render_html(parsed.record, parsed.cell_footnotes)).lines
    for expected in ("757,756(1)", "757,576(1)", "$0.33", "04/30/2025", "04/29/2035",
                     "374Water Inc. [ SCWO ]", "Chief Technology Officer",
                     "/s/ Rajesh Melkote", "05/02/2025", "$0.00"):
        assert expected in lines, expected
    assert "(1)" in lines  # the exercisable date is only a footnote: the cell shows the mark
    assert lines.index("Form filed by One Reporting Person") == \
        lines.index("X", lines.index("6. Individual or Joint/Group Filing (Check Applicable Line)")) + 1


def test_row_marks_without_cell_map_follow_the_title(shared):
    parsed = _parse(shared, SHAPES["derivative-footnote-only-date"])
    lines = _visible(render_html(parsed.record)).lines
    assert "Common Stock (restricted stock units)(1)" in lines
    assert "Stock options (right to buy)(1)" in lines
    assert "757,756" in lines


def test_several_owners(shared):
    parsed = _parse(shared, SHAPES["six-owners-derivative"])
    lines = _visible(render_html(parsed.record, parsed.cell_footnotes)).lines
    assert lines.count("1. Name and Address of Reporting Person*") == 6
    assert lines.count("1. Relationship of Reporting Person(s) to Issuer") == 5
    assert lines.count("10% Owner") == 6
    for owner in parsed.record.reporting_owners:
        assert owner.name in lines
    box6 = lines.index("6. Individual or Joint/Group Filing (Check Applicable Line)")
    assert lines.index("X", box6) + 1 == lines.index("Form filed by More than One Reporting Person")
    table2 = next(i for i, l in enumerate(lines) if l.startswith("Table II"))
    explanation = lines.index("Explanation of Responses:")
    second = lines.index(parsed.record.reporting_owners[1].name)
    assert table2 < second < explanation


def test_holdings_derivatives_signatures_and_swap(shared):
    parsed = _parse(shared, SHAPES["spec-sample-swap-3-signatures"])
    lines = _visible(render_html(parsed.record, parsed.cell_footnotes)).lines
    assert "J/K(1)(2)(3)" in lines  # code, equity swap, the coding's footnotes
    assert "Preferred Stock Options(1)" in lines and "33,333" in lines
    assert "2,222.33" in lines  # holding with valueOwnedFollowingTransaction
    assert "$50.55(5)" in lines and "12/25/1980(4)" in lines
    for name, date in (("Jane Doe", "11/23/2002"), ("John Q. Public", "11/22/2002"),
                       ("Uncle Sam", "11/24/2002")):
        assert lines.index(date) == lines.index(name) + 1
    assert lines.count("** Signature of Reporting Person") == 1
    # not-subject-to-section-16 is checked; the sample predates the 10b5-1 box
    checkbox = lines.index("Check this box if no longer subject to Section 16. Form 4 or Form 5 "
                           "obligations may continue. See Instruction 1(b).")
    assert "X" in lines[checkbox - 4 : checkbox]
    assert not any("Rule 10b5-1(c)" in line for line in lines)


def test_derivative_amount_prints_under_its_column(shared):
    parsed = _parse(shared, SHAPES["derivative-holdings-remarks"])
    page = render_html(parsed.record, parsed.cell_footnotes)
    body = page.split("Table II", 1)[1].split("<tbody>", 1)[1]
    first_row = re.findall(r"<td[^>]*>(.*?)</td>", body.split("</tr>", 1)[0])
    assert len(first_row) == 16
    holding_cells = [re.sub(r"<[^>]+>", "", c) for c in first_row]
    assert holding_cells[2:8] == [""] * 6  # a holding has no date, code, V, (A), (D)
    tx = parse_ownership_xml(
        (shared / SHAPES["six-owners-derivative"]).read_text(encoding="utf-8")).record
    disposed = next(r for r in tx.derivative_transactions if r.acquired_disposed == "D")
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(
        r"<td[^>]*>(.*?)</td>", render_html(tx).split("Table II", 1)[1].split("<tbody>", 1)[1]
        .split("</tr>", 1)[0])]
    assert cells[6] == "" and cells[7] == format_shares(disposed.shares)


def test_10b5_1_box_only_when_known(shared):
    checked = _parse(shared, SHAPES["10b5-1-checked"]).record
    assert checked.aff10b5_one is True
    lines = _visible(render_html(checked)).lines
    box = next(i for i, line in enumerate(lines) if "Rule 10b5-1(c)" in line)
    assert "X" in lines[box - 4 : box]
    unknown = checked.model_copy(update={"aff10b5_one": None})
    assert "Rule 10b5-1(c)" not in render_html(unknown)


def test_amendment_prints_original_date(shared):
    rec = _parse(shared, SHAPES["derivative-footnote-only-date"]).record.model_copy(
        update={"document_type": "4/A", "date_of_original_submission": dt.date(2025, 5, 1)})
    page = render_html(rec)
    lines = _visible(page).lines
    box4 = lines.index("4. If Amendment, Date of Original Filed (Month/Day/Year)")
    assert "05/01/2025" in lines[box4 + 1 : box4 + 4]
    assert "<title>SEC FORM 4/A</title>" in page
    assert ("/document_type", "4/A") in render_values(rec)
    _check_values_visible(rec, page)


def test_remarks_heading(shared):
    rec = _parse(shared, SHAPES["derivative-footnote-only-date"]).record
    assert rec.remarks is None
    assert "Remarks:" in _visible(render_html(rec)).lines
    assert "Remarks:" not in _visible(render_html(rec, empty_remarks_heading=False)).lines
    with_remarks = _parse(shared, SHAPES["remarks-holding-18-sales"]).record
    lines = _visible(render_html(with_remarks, empty_remarks_heading=False)).lines
    assert lines[lines.index("Remarks:") + 1].startswith("Form 4 Filing 1 of 2")


def test_whole_raw_folder_renders(shared):
    """Every Form 4 in the folder: each printed value sits under its own pointer."""
    bad = []
    for source, parsed in iter_parsed_documents(shared):
        by_ptr = _visible(render_html(parsed.record, parsed.cell_footnotes, annotate=True)).by_ptr
        values = dict(render_values(parsed.record))
        if set(by_ptr) != set(values) or any(t != values[p] for p, ts in by_ptr.items() for t in ts):
            bad.append(source)
    assert bad == []


# --------------------------------------------------------------------------- printing rules


@pytest.mark.parametrize(("value", "expected"), [
    (45551, "45,551"), (45551.0, "45,551"), (5381.2, "5,381.2"), (0, "0"),
    (1234567.891, "1,234,567.891"), (26.80, "26.8"),
])
def test_share_format(value, expected):
    assert format_shares(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0, "$0.00"), (0.33, "$0.33"), (84.34, "$84.34"), (110.2893, "$110.2893"),
    (2598.325, "$2,598.325"), (12.5, "$12.50"), (1000, "$1,000.00"), (0.0001, "$0.0001"),
])
def test_price_format(value, expected):
    assert format_price(value) == expected


def test_unprinted_leaves_are_left_out():
    rec = Record.model_validate({
        "issuer": {"cik": "0000320193", "name": "Apple Inc."},
        "reporting_owners": [{"name": "A", "is_director": False, "is_officer": True}],
        "derivative_transactions": [{"acquired_disposed": "D", "shares": 10,
                                     "equity_swap_involved": False}],
    })
    values = dict(render_values(rec))
    leaves = dict(iter_leaves(rec.model_dump(mode="json")))
    assert set(leaves) - set(values) == {
        "/issuer/cik", "/reporting_owners/0/is_director",
        "/derivative_transactions/0/acquired_disposed",
        "/derivative_transactions/0/equity_swap_involved"}
    assert values["/reporting_owners/0/is_officer"] == "X"
    assert printed_form("/footnotes/0/id", "F7") == "7."


@pytest.mark.parametrize("module", [printing, render], ids=["printing", "render"])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0
