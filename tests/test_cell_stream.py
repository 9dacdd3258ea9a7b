"""Tables printed one cell per paragraph (pdfminer): labelled cells dealt to rows."""

import re

from form4.form import fields as F
from form4.entities import Entity
from form4.read.tables.cell_stream import Paragraphs, is_cell_stream, stream_rows


def _label(text: str, marks: list[tuple[str, str]]) -> list[Entity]:
    """Entities for (label, printed text) in reading order, as the model would label them."""
    out, at = [], 0
    for label, printed in marks:
        i = text.index(printed, at)
        out.append(Entity(label, i, i + len(printed), printed, 0.9, "model"))
        at = i + len(printed)
    return out


def _rows(table: str, text: str, entities: list[Entity]) -> list[dict[str, str]]:
    rows = stream_rows(table, text, 0, len(text), entities)
    return [{label: " ".join(p.text for p in parts) for label, parts in cells.items()} for cells, _ in rows]


# pdfminer's order for two transactions: titles and dates row by row, then the code column,
# then amounts row by row, then the nature column, then the form column
COLUMNS = "\n\n".join(
    ["Table I - Non-Derivative Securities", "Class A Common Stock", "06/20/2019", "Class A Common Stock", "06/20/2019",
     "C", "C", "846,821", "A", "$0.00", "846,821", "37,310", "A", "$0.00", "37,310",
     "By Sequoia\nCapital U.S.\nGrowth Fund IV,\nL.P.(1)", "By Sequoia\nUSGF Fund(2)", "I", "I"]
)


def test_row_major_and_column_major_runs_in_one_table():
    ents = _label(COLUMNS, [
        (F.SECURITY_TITLE, "Class A Common Stock"), (F.TXN_DATE, "06/20/2019"), (F.SECURITY_TITLE, "Class A Common Stock"),
        (F.TXN_DATE, "06/20/2019"), (F.TXN_CODE, "C"), (F.TXN_CODE, "C"), (F.SHARES, "846,821"), (F.ACQ_DISP, "A"),
        (F.PRICE, "0.00"), (F.OWNED_FOLLOWING, "846,821"), (F.SHARES, "37,310"), (F.ACQ_DISP, "A"), (F.PRICE, "0.00"),
        (F.OWNED_FOLLOWING, "37,310"), (F.NATURE, "By Sequoia"), (F.NATURE, "Capital U.S."), (F.NATURE, "Growth Fund IV,"),
        (F.NATURE, "L.P."), (F.NATURE, "By Sequoia"), (F.NATURE, "USGF Fund"), (F.OWNERSHIP_FORM, "I"), (F.OWNERSHIP_FORM, "I"),
    ])
    assert is_cell_stream([e for e in ents if e.label != F.NATURE], Paragraphs(COLUMNS, 0, len(COLUMNS)))
    rows = _rows("I", COLUMNS, ents)
    assert rows == [
        {"SECURITY_TITLE": "Class A Common Stock", "TXN_DATE": "06/20/2019", "TXN_CODE": "C", "SHARES": "846,821", "ACQ_DISP": "A",
         "PRICE": "0.00", "OWNED_FOLLOWING": "846,821", "NATURE": "By Sequoia Capital U.S. Growth Fund IV, L.P.", "OWNERSHIP_FORM": "I"},
        {"SECURITY_TITLE": "Class A Common Stock", "TXN_DATE": "06/20/2019", "TXN_CODE": "C", "SHARES": "37,310", "ACQ_DISP": "A",
         "PRICE": "0.00", "OWNED_FOLLOWING": "37,310", "NATURE": "By Sequoia USGF Fund", "OWNERSHIP_FORM": "I"},
    ]
    ids = [found for _, found in stream_rows("I", COLUMNS, 0, len(COLUMNS), ents)]
    assert ids == [("F1",), ("F2",)]


def test_titles_printed_after_their_values_name_the_rows_the_values_opened():
    text = "\n\n".join(["900,000", "8,344,128", "D", "I", "Common Stock", "Common Stock"])
    ents = _label(text, [(F.OWNED_FOLLOWING, "900,000"), (F.OWNED_FOLLOWING, "8,344,128"), (F.OWNERSHIP_FORM, "D"),
                         (F.OWNERSHIP_FORM, "I"), (F.SECURITY_TITLE, "Common Stock")])  # the model missed the second title
    rows = _rows("I", text, ents)
    # the second "Common Stock" repeats a labelled title word for word: it is read as one too
    assert rows == [{"OWNED_FOLLOWING": "900,000", "OWNERSHIP_FORM": "D", "SECURITY_TITLE": "Common Stock"},
                    {"OWNED_FOLLOWING": "8,344,128", "OWNERSHIP_FORM": "I", "SECURITY_TITLE": "Common Stock"}]


def test_a_nature_cut_by_a_page_break_goes_on_after_the_repeated_header():
    text = "\n\n".join(["Table I - Non-Derivative", "Common Stock", "5,000", "I", "By Sequoia",
                        "Table I - Non-Derivative", "Capital Fund, LP", "Common Stock", "7,000", "I", "By Trust"])
    ents = _label(text, [(F.SECURITY_TITLE, "Common Stock"), (F.OWNED_FOLLOWING, "5,000"), (F.OWNERSHIP_FORM, "I"),
                         (F.NATURE, "By Sequoia"), (F.NATURE, "Capital Fund, LP"), (F.SECURITY_TITLE, "Common Stock"),
                         (F.OWNED_FOLLOWING, "7,000"), (F.OWNERSHIP_FORM, "I"), (F.NATURE, "By Trust")])
    rows = _rows("I", text, ents)
    assert [r["NATURE"] for r in rows] == ["By Sequoia Capital Fund, LP", "By Trust"]


def test_a_lone_mark_is_the_price_given_only_as_a_footnote():
    text = "\n\n".join(["Common Stock", "02/11/2022", "J", "1,125,295", "D", "(1)", "9,002,363", "I"])
    ents = _label(text, [(F.SECURITY_TITLE, "Common Stock"), (F.TXN_DATE, "02/11/2022"), (F.TXN_CODE, "J"), (F.SHARES, "1,125,295"),
                         (F.ACQ_DISP, "D"), (F.OWNED_FOLLOWING, "9,002,363"), (F.OWNERSHIP_FORM, "I")])
    [(cells, ids)] = stream_rows("I", text, 0, len(text), ents)
    assert cells[F.PRICE][0].text == "(1)" and ids == ("F1",)


def test_layout_rows_are_not_a_cell_stream():
    text = "Common Stock   08/01/2019   F   1,896   D   $84.34   58,076   D\nCommon Stock   08/02/2019   S   100   D   $85.00   57,976   D\n"
    ents = [Entity(F.SHARES, m.start(), m.end(), m.group(0)) for m in re.finditer(r"\d[\d,]*\d", text)]
    assert not is_cell_stream(ents, Paragraphs(text, 0, len(text)))


def test_labels_the_form_forbids_are_mended_in_column_runs():
    # pdfminer's column-by-column run: six dates, six codes, six amounts; the model, seeing only
    # codes and amounts around them, called the "S"s A/D letters and the amounts holdings
    cells = ["08/01/2012"] * 3 + ["C(1)", "S(5)", "S(5)"] + ["78,667", "14,051", "22,200"] + ["A", "D", "D"]
    text = "\n\n".join(cells)
    labels = [F.TXN_DATE] * 3 + [F.TXN_CODE, F.ACQ_DISP, F.ACQ_DISP] + [F.OWNED_FOLLOWING] * 3 + [F.ACQ_DISP] * 3
    ents = _label(text, list(zip(labels, [c.split("(")[0] for c in cells])))
    rows = _rows("I", text, ents)
    assert [(r["TXN_CODE"], r["SHARES"], r["ACQ_DISP"]) for r in rows] == [("C", "78,667", "A"), ("S", "14,051", "D"), ("S", "22,200", "D")]


def test_a_table_of_one_value_per_paragraph_is_recognised_before_labelling():
    from form4.read.tables.cell_stream import looks_like_cell_stream

    assert looks_like_cell_stream(COLUMNS, 0, len(COLUMNS))
    layout = "Common Stock   08/01/2019   F   1,896   D   $84.34   58,076   D\n" * 5
    assert not looks_like_cell_stream(layout, 0, len(layout))
