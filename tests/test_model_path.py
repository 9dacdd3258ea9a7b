"""The model's side of the path: tokenizer, regions, grouping model entities into rows, arbitration, calibration."""

from pathlib import Path

import spacy

from form4 import fields as F
from form4.combine import merge_entities, model_rows
from form4.entities import Entity
from form4.model import text_regions
from form4.sections import find_sections
from form4.tokenizer import FilingTokenizer

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_tokenizer_keeps_values_whole_and_text_exact():
    nlp = spacy.blank("en")
    text = "Common Stock\t10/26/2023\t\tA\t45,551 ⁽¹⁾\t\\$110.2893(1)\t5,048,392\tD"
    doc = FilingTokenizer(nlp.vocab)(text)
    assert doc.text == text
    for value in ("10/26/2023", "45,551", "110.2893", "5,048,392"):
        start = text.index(value)
        assert doc.char_span(start, start + len(value), alignment_mode="strict") is not None


def test_regions_cover_the_value_sections():
    text = (SAMPLES / "000_46eb1dd4f8015172.txt").read_text()
    regions = text_regions(text)
    covered = "".join(text[s:e] for s, e in regions)
    for value in ("Thakar Sumedh S", "45,551", "195,467", "/s/ Bruce Posey"):
        assert value in covered
    assert "Reminder: Report on a separate line" not in covered


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
