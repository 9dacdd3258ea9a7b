"""Small component tests: rows, header, validation, scoring."""

from form4.layout import atoms_of, split_lines
from form4.grammar import join_candidates, parse_row
from form4.schema import NonDerivativeTransaction as T, Record, ReportingOwner
from form4.score import Gold, score_document
from form4.validate import validate


def _row(table, text):
    line = split_lines(text)[0]
    return parse_row(table, text, atoms_of(text, line.cells))


def test_layout_row_with_footnoted_code_and_price():
    row = _row("I", "Common Stock   08/01/2019   F (1)   1,896   D   $84.34   58,076   D")
    got = {e.label: e.value_source for e in row.entities}
    assert got == {"SECURITY_TITLE": "Common Stock", "TXN_DATE": "08/01/2019", "TXN_CODE": "F", "SHARES": "1,896",
                   "ACQ_DISP": "D", "PRICE": "$84.34", "OWNED_FOLLOWING": "58,076", "OWNERSHIP_FORM": "D"}
    assert row.footnote_ids == ("F1",)


def test_holding_row_with_nature():
    row = _row("I", "Class A Common Stock\t\t1,200,000\tI\tBy Trust (2)")
    got = {e.label: e.value_source for e in row.entities}
    assert got["SECURITY_TITLE"] == "Class A Common Stock"
    assert got["OWNED_FOLLOWING"] == "1,200,000" and got["OWNERSHIP_FORM"] == "I" and got["NATURE"] == "By Trust"
    assert "TXN_DATE" not in got and row.footnote_ids == ("F2",)


def test_price_given_only_as_footnote():
    row = _row("I", "Common Stock | 03/01/2022 | | J | | 500 | D | (3) | 9,500 | D | |".replace("|", "\t"))
    price = row.get("PRICE")
    assert price is not None and price.value_text is None and row.footnote_ids == ("F3",)


def test_join_prefers_overlap_at_duplicated_boundary():
    assert join_candidates(["23,13", "39"])[0].text == "23,139"
    row = _row("I", "Common Stock 02/06/20\t\t023\tA\t3,638(1)\tA\t$0.00\t46,274\tD")
    assert row.get("TXN_DATE").value_text == "02/06/2023"
    assert row.get("TXN_DATE").score < 0.9


def test_validation_rules():
    owner = ReportingOwner(is_director=False, is_officer=True, is_ten_percent_owner=False, is_other=False)
    rows = (
        T(security_title="Common Stock", transaction_code="S", shares=100, acquired_disposed="D", shares_owned_following=900, direct_or_indirect="D"),
        T(security_title="Common Stock", transaction_code="S", shares=100, acquired_disposed="D", shares_owned_following=850, direct_or_indirect="D"),
    )
    rules = sorted(b.rule for b in validate(Record(reporting_owners=(owner,), non_derivative_transactions=rows)))
    assert rules == ["holdings-chain", "officer-title"]


def test_score_aligns_rows_and_skips_unrecoverable():
    a = {"security_title": "X", "shares": 1.0, "footnote_ids": []}
    b = {"security_title": "Y", "shares": 2.0, "footnote_ids": []}
    gold = Gold({"non_derivative_transactions": [a, b], "remarks": "r"}, frozenset({"/remarks"}))
    result = score_document(gold, {"non_derivative_transactions": [b, a], "remarks": "wrong"})
    assert result.counts.tp == result.counts.gold == result.counts.pred == 4
    missing = score_document(gold, {"non_derivative_transactions": [b]})
    assert missing.counts.tp == 2 and missing.counts.gold == 4


def test_unread_footnote_marks_placed_by_numbering_order():
    from form4.assemble import RowDraft, place_unread_marks
    from form4.evidence import PLACED

    rows = [RowDraft("I", footnote_ids=("F2",)), RowDraft("I", footnote_ids=("F3",)), RowDraft("I"), RowDraft("I", footnote_ids=("F5",))]
    warnings: list[str] = []
    place_unread_marks(rows, ["F1", "F2", "F3", "F4", "F5", "F6"], warnings)
    # F1 may sit on row 0 only (F2 is first marked there); F4 between F3 (row 1) and F5 (row 3): unsure, left
    # unplaced; F6 after F5 on the last row: the one row allowed
    assert [r.footnote_ids for r in rows] == [("F1", "F2"), ("F3",), (), ("F5", "F6")]
    assert rows[0].placed_ids == {"F1"} and rows[3].placed_ids == {"F6"} and len(warnings) == 2
    assert 0 < PLACED < 0.5


def test_a_table2_row_with_only_a_price_is_a_holding():
    from form4.assemble import RowDraft, Value

    holding = RowDraft("II", values={"price_per_share": Value(0.0, 0.8), "shares_owned_following": Value(3109744.0, 0.9)})
    sale = RowDraft("I", values={"price_per_share": Value(5.53, 0.8), "shares_owned_following": Value(100.0, 0.9)})
    assert not holding.is_transaction and sale.is_transaction
