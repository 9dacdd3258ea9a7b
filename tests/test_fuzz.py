"""Hostile input: mutated filings never crash the extractor and never break the record's contract.

The mutations and the contract check are benchmarks/fuzz.py's (the long run: ``--n 100000``);
here a short hypothesis run over the samples, the parsers' properties, and reproducers of what the
long run found (docs/notes/NOTES-robust.md); the ones whose time still depends on the machine are non-strict xfails.
"""

import math
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from form4.run.batch import decode_bytes, extract_decoded
from form4.run.workers import WorkerPool
from form4.errors import Form4Error
from form4.form.normalize import MAX_INTEGER_DIGITS, NEGATIVE_NOTE, clean_text, parse_number
from form4.run.pipeline import RULES_ONLY
from form4.schema import NonDerivativeTransaction, Record

from conftest import ROOT  # noqa: E402  (the repository, defined once)
sys.path.insert(0, str(ROOT / "benchmarks"))
import fuzz  # noqa: E402

fuzz.load_bases(corpus=False)  # the five samples: fast enough for every test run
SAMPLE = fuzz.BASES[0]


def _extract(data: bytes, extractor=RULES_ONLY):
    """Records, or None for a typed error; any other exception fails the test."""
    try:
        return extract_decoded(extractor, decode_bytes(data, "fuzz"), "fuzz")
    except Form4Error:
        return None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.integers(0, len(fuzz.BASES) - 1), names=st.lists(st.sampled_from(fuzz.LIGHT), min_size=1, max_size=3), seed=st.integers(0, 2**31))
def test_a_mutated_filing_gives_records_that_keep_the_contract_or_a_typed_error(base, names, seed):
    data, _ = fuzz.mutate(seed, names, base)
    for record in _extract(data) or []:
        assert fuzz.contract_breaches(record.to_json_dict()) == []


@pytest.fixture(scope="module")
def model():
    from form4.model.ner import model_path
    from form4.run.pipeline import model_extractor

    if model_path() is None:
        pytest.skip("no trained model in models/form4-ner")
    return model_extractor()


def test_mutated_filings_read_with_the_model_keep_the_contract_and_read_the_same_twice(model):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(base=st.integers(0, len(fuzz.BASES) - 1), names=st.lists(st.sampled_from(fuzz.LIGHT), min_size=1, max_size=2), seed=st.integers(0, 2**31))
    def check(base, names, seed):
        data, _ = fuzz.mutate(seed, names, base)
        first = _extract(data, model)
        for record in first or []:
            assert fuzz.contract_breaches(record.to_json_dict()) == []
        again = _extract(data, model)
        assert [r.to_json_dict() for r in first or []] == [r.to_json_dict() for r in again or []]

    check()


# ---------------------------------------------------------------- parsers and schema
@given(st.text(max_size=60))
def test_a_parsed_number_is_always_finite_not_negative_and_at_most_15_digits(text):
    value = parse_number(text).value
    assert value is None or (math.isfinite(value) and 0 <= value < 10**MAX_INTEGER_DIGITS)


@pytest.mark.parametrize("printed", ["-5", "(1,000)", "$-3.50", "- 7", "(5,005.5)"])
def test_a_printed_minus_or_parentheses_gives_no_value_and_a_note(printed):
    parsed = parse_number(printed)
    assert parsed.value is None and parsed.note == NEGATIVE_NOTE


@pytest.mark.parametrize("printed", ["9" * 400, "1" * 16, "1e308", "inf", "NaN", "1,234,567,890,123,456,789"])
def test_a_number_no_filing_prints_gives_no_value(printed):
    assert parse_number(printed).value is None


@given(st.text(max_size=80))
def test_clean_text_never_keeps_a_character_xml_forbids(text):
    value = clean_text(text).value
    assert value is None or not fuzz._CONTROL.search(value)


def test_the_schema_drops_an_impossible_amount_and_strips_control_characters():
    row = NonDerivativeTransaction(shares=-5005.0, price_per_share=float("inf"), shares_owned_following=1e16)
    assert (row.shares, row.price_per_share, row.shares_owned_following) == (None, None, None)
    assert Record(remarks="a\x00b\x1bc").remarks == "a b c"


# ---------------------------------------------------------------- reproducers for the reader modules
def _seconds_or_outcome(text: str, extractor=RULES_ONLY, limit: float = 10.0):
    """Run one extraction in a killable worker: ("ok" | an error code | "crash: ...", seconds)."""
    with WorkerPool(_work, extractor, workers=1, timeout=limit) as pool:
        [(_, out, seconds)] = list(pool.imap_unordered([text]))
    if isinstance(out, Form4Error):
        return out.code, seconds
    return out, seconds


def _work(settings, text):
    from form4.run.batch import Decoded

    try:
        extract_decoded(settings, Decoded(text), "reproducer")
        return "ok"
    except Form4Error as err:
        return err.code
    except Exception as err:  # noqa: BLE001
        return f"crash: {type(err).__name__}: {str(err)[:200]}"


def _table1_line(text: str) -> int:
    lines = text.split("\n")
    return next(i for i, line in enumerate(lines) if "Common Stock" in line and any(ch.isdigit() for ch in line))


def _insert(text: str, new_lines: list[str]) -> str:
    lines = text.split("\n")
    i = _table1_line(text) + 1
    return "\n".join(lines[:i] + new_lines + lines[i:])


REPRODUCERS = {
    # rows.py: a row without D/I followed by numbered lines (issue 14: 250 lines 17 s, 500 lines 129 s)
    "numbered lines after a row without D/I": _insert(SAMPLE, ["Common Stock 01/02/2021 S 100 D $5.00 900"] + [f"{n}." for n in range(1, 500)]),
    # sections/header: the box-1 label repeated on one line (2,000 times: 36 s, 482 MB)
    "the box-1 label 2,000 times on one line": _insert(SAMPLE, [" ".join(["Name and Address of Reporting Person"] * 2000)]),
    # normalize/rows tag pattern: a run of '<' in a row (1 M: over 120 s)
    "a million '<' in a table row": _insert(SAMPLE, ["Common Stock " + "<" * 1_000_000]),
    # rows.py: table rows on one 1 MB line
    "table rows on one 1 MB line": _insert(SAMPLE, [" ".join([SAMPLE.split("\n")[_table1_line(SAMPLE)]] * 6000)[:1_000_000]]),
}


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason="time limits: the quadratic row split and tag pattern are fixed (these pass on a quiet machine); kept as guards measured under load")
@pytest.mark.parametrize("name", sorted(REPRODUCERS))
def test_a_pathological_input_finishes_within_10_seconds_by_the_rules(name):
    assert _seconds_or_outcome(REPRODUCERS[name])[0] in ("ok", "E003", "E004")


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason="spaCy E088 is fixed (the model reads long regions in pieces), but 25,000 rows with the model still take over the 60 s limit on a loaded 2-core machine: cost grows with the rows (issue 14)")
def test_a_table_region_over_a_million_characters_reads_with_the_model(model):
    text = _insert(SAMPLE, ["Common Stock 01/02/2021 S 100 D $5.00 900 D"] * 25_000)  # about 1.1 MB in Table I
    assert _seconds_or_outcome(text, model, limit=60)[0] in ("ok", "E003", "E004")


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason="10,000 rows with the model: over 10 s on a loaded 2-core machine (docs/notes/NOTES-robust.md)")
def test_a_10000_row_filing_finishes_within_10_seconds_with_the_model(model):
    text = _insert(SAMPLE, ["Common Stock 01/02/2021 S 100 D $5.00 900 D"] * 10_000)
    assert _seconds_or_outcome(text, model)[0] == "ok"


def test_a_holdings_rebuild_never_yields_or_reports_a_negative_value():
    from form4.training.evaluate import corpus_items

    if not (ROOT / "annotations" / "corpus" / "dev.jsonl.gz").exists():
        pytest.skip("no dev corpus in annotations/corpus")
    [text] = [text for _, text, _, name in corpus_items(ROOT / "annotations" / "corpus", "dev") if name == "93617d2deaf9.noise-scramble_columns"]
    record = RULES_ONLY(text, "x")
    assert not [w for w in record.warnings if "rebuilt as -" in w]
