"""form4.model.combine: the model's entities grouped into rows and merged with the rules' readings."""

from form4.form import evidence as E
from form4.form import fields as F
from form4.model.combine import merge_entities, merge_rows, model_rows
from form4.entities import Entity, RowEntities
from form4.read.sections import find_sections


def _ent(text, value, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Entity(label, start, start + len(value), value, 0.9, source="model")


def test_model_rows_group_by_line_and_join_wrapped_text():
    text = (
        "Table I - Non-Derivative Securities\n"
        "Class A Common    10/26/2023  S  100  D  $5.00  900  I  By Trust\n"
        "Stock                                                  Fund\n"
        "Class A Common    10/27/2023  S  50   D  $5.10  850  I\n"
        "Explanation of Responses:\n1. x\n/s/ A 10/30/2023\n** Signature of Reporting Person Date\n"
    )
    s = find_sections("STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP Section 16 1. Name and Address of Reporting Person\n" + text)
    t = s.text
    ents = [
        _ent(t, "Class A Common", F.SECURITY_TITLE), _ent(t, "10/26/2023", F.TXN_DATE), _ent(t, "100", F.SHARES),
        _ent(t, "900", F.OWNED_FOLLOWING), _ent(t, "By Trust", F.NATURE), _ent(t, "Stock", F.SECURITY_TITLE),
        _ent(t, "Fund", F.NATURE), _ent(t, "Class A Common", F.SECURITY_TITLE, 1), _ent(t, "10/27/2023", F.TXN_DATE),
        _ent(t, "50", F.SHARES, 1), _ent(t, "850", F.OWNED_FOLLOWING),
    ]
    rows = model_rows(s, ents)
    assert len(rows) == 2
    first = {e.label: e.value_source for e in rows[0].entities}
    assert first[F.SECURITY_TITLE] == "Class A Common Stock" and first[F.NATURE] == "By Trust Fund"
    assert {e.label: e.value_source for e in rows[1].entities}[F.SHARES] == "50"


def test_arbitration_and_agreement_scores():
    m = [Entity(F.SHARES, 0, 3, "100", 0.9, "model"), Entity(F.PRICE, 5, 9, "5.00", 0.9, "model")]
    r = [Entity(F.SHARES, 0, 3, "100", 0.95), Entity(F.PRICE, 5, 9, "5.10", 0.3), Entity(F.NATURE, 10, 12, "By", 0.8)]
    rules_win = {e.label: e for e in merge_entities(m, r, frozenset())}
    assert rules_win[F.SHARES].score >= 0.97  # both read it
    assert rules_win[F.PRICE].value_source == "5.10" and rules_win[F.PRICE].score < 0.7  # conflict
    assert F.NATURE in rules_win  # the rules fill what the model missed
    model_win = {e.label: e for e in merge_entities(m, r, frozenset({F.PRICE}))}
    assert model_win[F.PRICE].value_source == "5.00"


def _model(label: str, value: str, start: int = 0) -> Entity:
    return Entity(label, start, start + len(value), value, E.MODEL, "model")


def _rule(label: str, value: str, score: float, start: int = 0) -> Entity:
    return Entity(label, start, start + len(value), value, score)


def test_agreement_of_model_and_rules_raises_a_clean_reading_to_agree_but_not_a_damaged_one():
    merged = merge_entities([_model(F.SHARES, "1,000"), _model(F.PRICE, "$5.00")],
                            [_rule(F.SHARES, "1,000", E.IN_BOX), _rule(F.PRICE, "$5.00", E.FALLBACK)], frozenset())
    got = {e.label: e for e in merged}
    assert got[F.SHARES].score == E.AGREE and got[F.SHARES].source == "model+rule"
    assert got[F.PRICE].score == E.FALLBACK  # a re-joined reading stays as weak as it was


def test_in_a_conflict_a_sure_rule_reading_is_kept_even_where_the_model_wins():
    wins = frozenset({F.SHARES, F.PRICE})
    merged = merge_entities([_model(F.SHARES, "1,000"), _model(F.PRICE, "$5.00")],
                            [_rule(F.SHARES, "7,000", E.IN_BOX), _rule(F.PRICE, "$5.10", E.DOUBTED)], wins)
    got = {e.label: e for e in merged}
    assert got[F.SHARES].value_source == "7,000" and got[F.SHARES].score == E.DISAGREE
    assert got[F.PRICE].value_source == "$5.00"  # the rules were unsure of theirs: the model's reading wins
    assert all("model and rules disagree" in e.notes for e in merged)


def test_the_model_fills_a_field_the_rules_missed():
    merged = merge_entities([_model(F.NATURE, "By Trust")], [_rule(F.SHARES, "1,000", E.IN_BOX)], frozenset())
    got = {e.label: e for e in merged}
    assert got[F.NATURE].value_source == "By Trust" and got[F.NATURE].score == E.MODEL_ONLY
    assert got[F.SHARES].score == E.IN_BOX  # what only the rules read is kept as read


def _table_row(table: str, start: int, entities: list[Entity], dealt: bool = False) -> RowEntities:
    return RowEntities(table, start, start + 60, tuple(entities), (), dealt=dealt)  # type: ignore[arg-type]


def _holding(start: int, title: str, following: str, score: float = E.PRINTED, source: str = "rule") -> list[Entity]:
    return [Entity(F.SECURITY_TITLE, start, start + 12, title, score, source), Entity(F.OWNED_FOLLOWING, start + 20, start + 25, following, score, source),
            Entity(F.OWNERSHIP_FORM, start + 30, start + 31, "D", score, source)]


def test_merge_rows_keeps_a_rule_row_the_rules_read_surely():
    sure = _table_row("I", 0, _holding(0, "Common Stock", "5,000"))
    model = _table_row("I", 0, _holding(0, "Common Stock", "6,000", E.MODEL, "model"))
    assert merge_rows([sure], [model], frozenset(F.ROW_LABELS)) == [sure]
    unsure = _table_row("I", 0, _holding(0, "Common Stock", "5,000", E.DOUBTED))
    [merged] = merge_rows([unsure], [model], frozenset(F.ROW_LABELS))
    assert merged.get(F.OWNED_FOLLOWING).value_source == "6,000"  # an unsure rule row is merged field by field


def test_rows_dealt_from_the_model_replace_the_rule_rows_of_their_table_only():
    rule_rows = [_table_row("I", 0, _holding(0, "Common Stock", "5,000")), _table_row("I", 100, _holding(100, "Common Stock", "7,000")),
                 _table_row("II", 300, _holding(300, "Stock Option", "1,000"))]
    dealt = [_table_row("I", 10, _holding(10, "Common Stock", "5,000", E.MODEL, "model"), dealt=True),
             _table_row("I", 110, _holding(110, "Class A Stock", "7,000", E.MODEL, "model"), dealt=True)]
    merged = merge_rows(rule_rows, dealt, frozenset(F.ROW_LABELS))
    assert merged == [*dealt, rule_rows[2]]
