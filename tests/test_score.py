"""form4.score: a record scored field by field against its gold."""

from form4.score import Gold, score_document


def test_score_aligns_rows_and_skips_unrecoverable():
    a = {"security_title": "X", "shares": 1.0, "footnote_ids": []}
    b = {"security_title": "Y", "shares": 2.0, "footnote_ids": []}
    gold = Gold({"non_derivative_transactions": [a, b], "remarks": "r"}, frozenset({"/remarks"}))
    result = score_document(gold, {"non_derivative_transactions": [b, a], "remarks": "wrong"})
    assert result.counts.tp == result.counts.gold == result.counts.pred == 4
    missing = score_document(gold, {"non_derivative_transactions": [b]})
    assert missing.counts.tp == 2 and missing.counts.gold == 4
