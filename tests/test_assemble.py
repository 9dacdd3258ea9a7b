"""form4.assemble: the entities of each section -> a typed record, repaired, validated and scored."""


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
