"""form4.assemble.assembler: the entities of each section -> a typed record, repaired, validated and scored."""

from form4.form import evidence as E
from form4.form import fields as F
from form4.assemble.assembler import assemble
from form4.entities import Candidate, Entity, Footer, FootnoteText, HeaderEntities, RowEntities
from form4.schema import iter_leaves

_BOXES = ("is_director", "is_officer", "is_ten_percent_owner", "is_other")


def _e(label: str, value: str, score: float = E.PRINTED) -> Entity:
    return Entity(label, 0, len(value), value, score)


def _header(checked: str = "is_director", owner: tuple[Entity, ...] = ()) -> HeaderEntities:
    return HeaderEntities(
        owner=(_e(F.OWNER_NAME, "Doe Jane", E.IN_BOX), *owner),
        issuer=(_e(F.ISSUER_NAME, "ACME CORP", E.IN_BOX), _e(F.TICKER, "ACME")),
        dates=(_e(F.PERIOD_DATE, "05/01/2012"),),
        relationship={box: (box == checked, E.IN_BOX) for box in _BOXES},
        more_owners=(),
        not_subject_to_section16=(False, E.JOINED),
        aff10b5_one=None,
    )


def _footer(*ids: str) -> Footer:
    notes = tuple(FootnoteText(fid, 0, 0, f"Note {fid}.") for fid in ids)
    signature = (_e(F.SIGNER_NAME, "/s/ Jane Doe", E.WORDS), _e(F.SIGNATURE_DATE, "05/03/2012"))
    return Footer(footnotes=notes, remarks=None, signatures=(signature,))


def _row(*cells: tuple, ids: tuple[str, ...] = (), table: str = "I", alternatives=None) -> RowEntities:
    """A rule row from (label, printed text[, evidence]) cells."""
    entities = tuple(_e(*cell) for cell in cells)
    return RowEntities(table, 0, 0, entities, ids, alternatives or {})  # type: ignore[arg-type]


def _sale(date: str, shares: str, following: str, following_score: float = E.PRINTED, code: str = "S", side: str | None = "D"):
    cells = [(F.SECURITY_TITLE, "Common Stock", E.WORDS), (F.TXN_DATE, date), (F.TXN_CODE, code), (F.SHARES, shares, E.IN_BOX)]
    cells += [(F.ACQ_DISP, side)] if side else []
    cells += [(F.PRICE, "$10.00", E.IN_BOX), (F.OWNED_FOLLOWING, following, following_score), (F.OWNERSHIP_FORM, "D")]
    return cells


ROWS = "/non_derivative_transactions"


def test_a_damaged_holding_is_rebuilt_from_the_next_rows_arithmetic_with_a_warning():
    # row 0's holding was read as 9,000 on weak evidence; row 1 sold 500 and holds 3,500 (printed clearly)
    rows = [_row(*_sale("05/01/2012", "1,000", "9,000", E.FALLBACK)), _row(*_sale("05/02/2012", "500", "3,500"))]
    record = assemble(_header(), rows, _footer())
    first = record.non_derivative_transactions[0]
    assert first.shares_owned_following == 4000
    assert record.confidence[f"{ROWS}/0/shares_owned_following"] == E.IMPLIED
    assert record.confidence[f"{ROWS}/1/shares_owned_following"] == E.PRINTED
    assert any("'9,000' was unreadable; rebuilt as 4,000 from the next row's holdings arithmetic" in w for w in record.warnings)
    assert not any("!=" in w for w in record.warnings)  # the chain holds after the repair: no breach left


def test_another_reading_of_a_damaged_holding_is_chosen_when_the_arithmetic_holds_with_it():
    # the grammar offered "23,139" and "2,313" for a split amount; only 2,313 - 500 = 1,813 fits the next row
    alternatives = {F.OWNED_FOLLOWING: (Candidate("23,139", 0.6, "joined"), Candidate("2,313", 0.5, "overlap"))}
    rows = [_row(*_sale("05/01/2012", "1,000", "23,139", E.FALLBACK), alternatives=alternatives),
            _row(*_sale("05/02/2012", "500", "1,813"))]
    record = assemble(_header(), rows, _footer())
    assert record.non_derivative_transactions[0].shares_owned_following == 2313
    assert record.confidence[f"{ROWS}/0/shares_owned_following"] == E.ARITHMETIC


def test_the_acquired_disposed_side_is_implied_by_the_code_in_each_table():
    sale = _row(*_sale("05/01/2012", "100", "900", side=None))
    exercise = _row((F.SECURITY_TITLE, "Common Stock", E.WORDS), (F.TXN_DATE, "05/01/2012"), (F.TXN_CODE, "M"),
                    (F.SHARES, "100", E.IN_BOX), (F.OWNED_FOLLOWING, "1,000"), (F.OWNERSHIP_FORM, "D"))
    option = _row((F.SECURITY_TITLE, "Stock Option", E.WORDS), (F.TXN_DATE, "05/01/2012"), (F.TXN_CODE, "M"),
                  (F.SHARES, "100", E.IN_BOX), (F.UNDERLYING_TITLE, "Common Stock", E.WORDS), (F.OWNED_FOLLOWING, "0"),
                  (F.OWNERSHIP_FORM, "D"), table="II")
    record = assemble(_header(), [sale, exercise, option], _footer())
    # S disposes; M acquires the shares in Table I and disposes of the option in Table II
    assert [t.acquired_disposed for t in record.non_derivative_transactions] == ["D", "A"]
    assert record.derivative_transactions[0].acquired_disposed == "D"
    assert record.confidence[f"{ROWS}/0/acquired_disposed"] == E.IMPLIED
    assert record.confidence["/derivative_transactions/0/acquired_disposed"] == E.IMPLIED


def test_a_discretionary_transaction_whose_side_is_unread_is_left_without_one():
    discretionary = _row(*_sale("05/01/2012", "100", "900", code="I", side=None))
    record = assemble(_header(), [discretionary], _footer())
    assert record.non_derivative_transactions[0].acquired_disposed is None


def test_a_footnote_no_row_marks_is_placed_by_its_numbers_order_with_low_confidence():
    rows = [_row(*_sale("05/01/2012", "100", "900")), _row(*_sale("05/02/2012", "100", "800"), ids=("F2", "F4"))]
    record = assemble(_header(), rows, _footer("F1", "F2", "F3", "F4"))
    # F3 can only be first marked on the row where F2 and F4 are; F1, allowed on either row, goes on the first
    assert [t.footnote_ids for t in record.non_derivative_transactions] == [("F1",), ("F2", "F3", "F4")]
    assert record.confidence[f"{ROWS}/0/footnote_ids/0"] == record.confidence[f"{ROWS}/1/footnote_ids/1"] == E.PLACED
    assert record.confidence[f"{ROWS}/1/footnote_ids/0"] == record.confidence[f"{ROWS}/1/footnote_ids/2"] == E.IN_BOX
    assert "footnote F1 is marked nowhere readable; placed on the first row" in record.warnings
    assert "footnote F3 is marked nowhere readable; placed on the one row its number allows" in record.warnings


def test_every_non_null_leaf_has_a_confidence_and_nothing_else_has_one():
    # a code letter the form does not allow ("Q") is read as null: it gets no confidence
    holding = _row((F.SECURITY_TITLE, "Common Stock", E.WORDS), (F.OWNED_FOLLOWING, "5,000"), (F.OWNERSHIP_FORM, "I"),
                   (F.NATURE, "By Trust", E.WORDS))
    rows = [_row(*_sale("05/01/2012", "100", "900", code="Q")), holding]
    record = assemble(_header(), rows, _footer("F1"))
    leaves = {pointer for pointer, _ in iter_leaves(record.to_json_dict())}
    assert set(record.confidence) == leaves
    assert record.non_derivative_transactions[0].transaction_code is None
    assert f"{ROWS}/0/transaction_code" not in record.confidence
    assert record.non_derivative_holdings[0].nature_of_ownership == "By Trust"
    assert all(0.0 <= c <= 1.0 for c in record.confidence.values())


def test_a_breach_of_the_forms_rules_lowers_the_confidence_of_the_fields_it_names():
    # code S with the (A) side printed breaks code-vs-side; Officer checked with no title breaks officer-title
    rows = [_row(*_sale("05/01/2012", "100", "900", side="A"))]
    record = assemble(_header(checked="is_officer"), rows, _footer())
    lowered = round(E.PRINTED * E.BREACHED, 4)
    assert record.confidence[f"{ROWS}/0/transaction_code"] == record.confidence[f"{ROWS}/0/acquired_disposed"] == lowered
    assert record.confidence["/reporting_owners/0/is_officer"] == round(E.IN_BOX * E.BREACHED, 4)
    assert record.confidence[f"{ROWS}/0/shares"] == E.IN_BOX  # a field no breach names keeps its evidence
    assert record.confidence["/reporting_owners/0/is_director"] == E.IN_BOX
    assert sum("normally means (D), but the row says (A)" in w for w in record.warnings) == 1


def test_unread_footnote_marks_placed_by_numbering_order():
    from form4.assemble.drafts import RowDraft
    from form4.assemble.repairs import place_unread_marks
    from form4.form.evidence import PLACED

    rows = [RowDraft("I", footnote_ids=("F2",)), RowDraft("I", footnote_ids=("F3",)), RowDraft("I"), RowDraft("I", footnote_ids=("F5",))]
    warnings: list[str] = []
    place_unread_marks(rows, ["F1", "F2", "F3", "F4", "F5", "F6"], warnings)
    # F1 may sit on row 0 only (F2 is first marked there); F4 between F3 (row 1) and F5 (row 3): unsure, left
    # unplaced; F6 after F5 on the last row: the one row allowed
    assert [r.footnote_ids for r in rows] == [("F1", "F2"), ("F3",), (), ("F5", "F6")]
    assert rows[0].placed_ids == {"F1"} and rows[3].placed_ids == {"F6"} and len(warnings) == 2
    assert 0 < PLACED < 0.5


def test_a_table2_row_with_only_a_price_is_a_holding():
    from form4.assemble.drafts import RowDraft, Value

    holding = RowDraft("II", values={"price_per_share": Value(0.0, 0.8), "shares_owned_following": Value(3109744.0, 0.9)})
    sale = RowDraft("I", values={"price_per_share": Value(5.53, 0.8), "shares_owned_following": Value(100.0, 0.9)})
    assert not holding.is_transaction and sale.is_transaction
