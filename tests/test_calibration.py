"""Calibrated confidence: features of a leaf, the fitted models as JSON, review lists, the fit's fallbacks."""

import gzip
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from form4.calibrate.calibrator import Calibrator, Trees, expected_cost, with_review
from form4.calibrate.features import COLUMN, FEATURES, FIELDS, kind_of, leaf_features, leaf_matrix
from form4.calibrate.text import text_layout, text_quality
from form4.run.pipeline import RULES_ONLY, extract_file, read_filing
from form4.schema import Record, iter_leaves, json_schema
from form4.score.metrics import load_gold
from form4.training.calibrate import Examples, fit, fit_examples, fold_sets
from form4.training.reliability import review_threshold

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SAMPLES = ROOT / "samples"
SEED_001 = SAMPLES / "001_d8ce4ece6e55602e.txt"

CLEAN = "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\nCommon Stock 02/01/2024 S 1,000 D $10.00 5,000 D\n" * 5
JUNK = "Tbl | - Nn-Drvtv Scrts Acqrd, Dspsd ©f, ®r Bnfclly Ownd\nC0mmn Stck 02/01/2024 S@ 1,0002) D $1O.00 5,000 D° (1\n" * 5


def test_text_quality_tells_ocr_junk_from_a_clean_page():
    clean, junk = text_quality(CLEAN), text_quality(JUNK)
    assert junk["junk_share"] > clean["junk_share"] + 0.3
    assert junk["dictionary_share"] < clean["dictionary_share"] - 0.5
    assert junk["odd_glyphs"] > 0 == clean["odd_glyphs"]
    assert junk["glued_marks"] > 0 == clean["glued_marks"]
    assert junk["mixed_tokens"] > 0 == clean["mixed_tokens"] and junk["unbalanced_marks"] > 0 == clean["unbalanced_marks"]
    assert text_layout(junk) == "ocr" and text_layout(clean) != "ocr"
    assert text_quality(None) == {} and text_layout({}) is None


def test_line_structure_guesses_the_text_layout():
    markdown = "| Title | Date |\n|---|---|\n| Common Stock | 02/01/2024 |\n" * 4
    positional = "Common Stock        02/01/2024      S     1,000\n" * 6
    stream = "Common Stock\n02/01/2024\nS\n1,000\nD\n" * 6
    assert [text_layout(text_quality(t)) for t in (markdown, positional, stream)] == ["markdown", "positional", "cell-stream"]


def test_repairs_reach_the_features_as_data_not_through_the_warnings_text():
    text = SEED_001.read_text()
    assembly = read_filing(text, "001", RULES_ONLY)
    assert assembly.provenance.repaired() == {
        "/non_derivative_transactions/0/shares_owned_following": "rebuilt",
        "/reporting_owners/0/is_officer": "implied",  # no box read as checked; an officer title is printed
    }
    reworded = assembly.record.model_copy(update={"warnings": tuple(w.upper() for w in assembly.record.warnings)})
    pointers, feats = leaf_features(reworded, text, assembly.provenance)
    by = dict(zip(pointers, feats))
    assert by["/non_derivative_transactions/0/shares_owned_following"]["repair_rebuilt"] == 1.0
    assert by["/reporting_owners/0/is_officer"]["repair_implied"] == 1.0


def test_every_leaf_gets_features_from_its_field_provenance_row_page_and_record():
    text = SEED_001.read_text()
    assembly = read_filing(text, "001", RULES_ONLY)
    pointers, feats = leaf_features(assembly.record, text, assembly.provenance)
    assert pointers == list(assembly.record.confidence) and set(feats[0]) == set(FEATURES)
    by = dict(zip(pointers, feats))
    rebuilt = by["/non_derivative_transactions/0/shares_owned_following"]
    assert rebuilt["source_derived"] == 1.0 and rebuilt["field_non_derivative_transactions/*/shares_owned_following"] == 1.0
    second = by["/non_derivative_transactions/1/shares"]
    assert second["chain_holds"] == 1.0 and second["in_table"] == 1.0 and second["kind_number"] == 1.0
    assert second["source_rule"] == 1.0 and second["reader_rows"] == 1.0 and second["printed_span"] == 1.0
    assert second["level"] >= second["evidence"] and second["page_anchors_found"] > 0.5
    assert math.isnan(by["/issuer/name"]["chain_holds"]) and by["/issuer/name"]["in_table"] == 0.0
    assert by["/issuer/name"]["text_dictionary_share"] == text_quality(text)["dictionary_share"]
    assert math.isnan(second["model_prob"])  # rules only: no model probability, missing rather than invented


def test_without_provenance_the_readers_knowledge_is_missing_not_invented():
    record = extract_file(SEED_001)
    _, feats = leaf_features(record, SEED_001.read_text())
    assert all(math.isnan(f["level"]) and f["source_rule"] == 0.0 and math.isnan(f["page_anchors_found"]) for f in feats)


def test_the_model_probability_of_a_span_reaches_its_leaf():
    from form4.run.pipeline import model_extractor

    extractor = model_extractor(calibrated=False)
    text = SEED_001.read_text()
    from dataclasses import replace

    assembly = read_filing(text, "001", replace(extractor, cascade=False))
    _, X = leaf_matrix(assembly.record, text, assembly.provenance)
    probs = X[:, COLUMN["model_prob"]]
    read_by_model = [p for p, f in assembly.provenance.fields.items() if f.source in ("model", "model+rule")]
    assert read_by_model and not np.isnan(probs).all()
    assert all(0.0 <= f.model_prob <= 1.0 for p, f in assembly.provenance.fields.items() if f.model_prob is not None)
    assert X[0, COLUMN["page_model_read"]] == 1.0 and 0.0 <= X[0, COLUMN["page_model_prob_min"]] <= 1.0


def test_a_breach_marks_the_leaves_it_names():
    from form4.schema import NonDerivativeTransaction as T

    record = Record(non_derivative_transactions=(T(transaction_code="S", shares=10, acquired_disposed="A", security_title="Common Stock"),),
                    confidence={"/non_derivative_transactions/0/transaction_code": 0.9, "/non_derivative_transactions/0/shares": 0.9,
                                "/non_derivative_transactions/0/acquired_disposed": 0.9, "/non_derivative_transactions/0/security_title": 0.9})
    pointers, feats = leaf_features(record)
    by = dict(zip(pointers, feats))
    assert by["/non_derivative_transactions/0/acquired_disposed"]["breaches"] == 1.0
    assert by["/non_derivative_transactions/0/acquired_disposed"]["breach_code-vs-side"] == 1.0
    assert by["/non_derivative_transactions/0/shares"]["breaches"] == 0.0 and by["/non_derivative_transactions/0/shares"]["row_breaches"] == 2.0


def test_boosted_trees_stored_as_json_predict_exactly_like_scikit_learn():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 4))
    X[rng.random(600) < 0.2, 1] = np.nan
    y = ((X[:, 0] + np.nan_to_num(X[:, 1], nan=1.0) + rng.normal(scale=0.5, size=600)) > 0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, random_state=0).fit(X, y)
    trees = Trees.from_sklearn(model)
    restored = Calibrator.from_dict(json.loads(json.dumps(Calibrator(names=("a", "b", "c", "d"), leaf=trees).to_dict()))).leaf
    expected = model.predict_proba(X)[:, 1]
    assert np.allclose(1 / (1 + np.exp(-restored.raw(X))), expected, atol=1e-9)


def _synthetic_examples(n_docs: int = 60, seed: int = 1) -> Examples:
    """Leaves whose rightness follows their evidence score (plus a field effect) over four 'converters'."""
    rng = random.Random(seed)
    ex = Examples()
    for d in range(n_docs):
        ex.docs.append({"name": f"d{d}", "filing": f"d{d}", "converter": f"c{d % 4}", "style": "", "has_text": True, "failed": False})
        rights = []
        quality = 0.995 if d % 2 else 0.7  # clean pages and damaged ones
        X = np.full((20, len(FEATURES)), np.nan)
        for j in range(20):
            evidence = min(1.0, max(0.0, quality + rng.gauss(0, 0.1)))
            right = rng.random() < quality * (0.9 if j % 7 == 6 and quality < 0.9 else 1.0)
            X[j, COLUMN["evidence"]] = evidence
            X[j, COLUMN[f"field_{FIELDS[j % len(FIELDS)]}"]] = 1.0
            ex.right.append(right)
            ex.doc.append(d)
            rights.append(right)
        ex.X.append(X)
        ex.docs[-1]["exact"] = all(rights)
    return ex


def test_a_fitted_calibrator_adds_review_and_record_confidence_and_keeps_the_contract(tmp_path):
    ex = _synthetic_examples()
    calibrator, report = fit_examples(ex)
    assert report.status == "fitted" and report.folds == {"converter": 4} and report.held_out_after["converter"]["leaves"] == len(ex)
    calibrator.save(tmp_path / "calibration.json")
    loaded = Calibrator.load(tmp_path / "calibration.json")
    assert loaded.names == FEATURES
    raw = extract_file(SEED_001)
    record = loaded.apply(raw, SEED_001.read_text())
    assert set(record.confidence) == set(raw.confidence) == {p for p, _ in iter_leaves(record.to_json_dict())}
    assert all(0.0 <= c <= 1.0 for c in record.confidence.values())
    assert set(record.review) == {p for p, c in record.confidence.items() if c < loaded.review_threshold}
    assert 0.0 <= record.record_confidence <= 1.0
    # higher evidence never means lower confidence, all else equal
    low, high = (loaded.probabilities(raw.model_copy(update={"confidence": {"/issuer/name": e}})) for e in (0.3, 0.95))
    assert high["/issuer/name"] >= low["/issuer/name"]


def test_leave_one_style_out_folds_join_the_converter_folds_when_the_corpus_has_styles():
    ex = _synthetic_examples(n_docs=24)
    for d, doc in enumerate(ex.docs):
        doc["style"] = f"s{d % 3}"
    sets = fold_sets(ex)
    assert set(sets) == {"converter", "style"} and len(sets["style"]) == 3
    for fit_idx, test_idx in sets["style"]:
        held = {ex.docs[ex.doc[i]]["style"] for i in test_idx}
        assert len(held) == 1 and not held & {ex.docs[ex.doc[i]]["style"] for i in fit_idx}
    _, report = fit_examples(ex)
    assert set(report.held_out_after) == {"converter", "style"}


def test_the_review_threshold_is_the_lowest_confidence_at_which_leaves_are_99_percent_right():
    p = np.linspace(0, 1, 1001)
    y = (p > 0.7).astype(int)  # everything above 0.7 right, below wrong
    t = review_threshold(p, y)
    assert 0.69 <= t <= 0.71 and y[p >= t].mean() >= 0.99


def test_the_review_threshold_clears_the_most_records_that_stay_98_percent_exact():
    from form4.training.reliability import record_review_threshold, records_clear

    rng = np.random.default_rng(3)
    lowest = rng.uniform(0.5, 1.0, 400)  # each record's least sure leaf
    exact = (lowest > 0.8) | (rng.uniform(size=400) < 0.3)  # records are exact above 0.8, some below by luck
    p = np.concatenate([lowest, np.ones(400)])  # and one sure leaf each
    doc = np.concatenate([np.arange(400), np.arange(400)])
    t = record_review_threshold(p, doc, exact)
    records, clear, share = records_clear(p, doc, exact, t)
    assert records == 400 and share >= 0.98 and clear >= (lowest > 0.81).sum()
    assert records_clear(p, doc, exact, t - 0.05)[2] < 0.98


def test_a_calibration_file_of_another_format_is_refused_with_how_to_refit(tmp_path):
    from form4.errors import ModelNotFoundError
    from form4.run.pipeline import _calibrator

    old = {"features": ["evidence", "warned"], "coef": [4.0, -1.0], "intercept": -2.0}
    (tmp_path / "calibration.json").write_text(json.dumps(old))
    with pytest.raises(ModelNotFoundError, match="refit it: python -m form4.training.calibrate fit"):
        _calibrator(tmp_path / "calibration.json")
    assert kind_of("/period_of_report") == "date" and kind_of("/issuer/name") == "text"


def test_a_lower_review_threshold_lists_fewer_fields():
    record = Record(remarks="x", period_of_report="2024-01-02", confidence={"/remarks": 0.7, "/period_of_report": 0.97})
    assert with_review(record, 0.99).review == ("/remarks", "/period_of_report")
    assert with_review(record, 0.9).review == ("/remarks",) and with_review(record, 0.0).review == ()


def test_review_and_record_confidence_are_metadata_in_the_schema_not_leaves():
    record = Record(remarks="x", confidence={"/remarks": 0.5}, review=("/remarks",), record_confidence=0.4)
    assert iter_leaves(record.to_json_dict()) == [("/remarks", "x")]
    props = json_schema()["properties"]
    assert {"review", "record_confidence"} <= set(props)
    assert Record().review == () and Record().record_confidence is None


def _tiny_corpus(path: Path) -> Path:
    """One seed filing as a 'training split': one converter, so no held-out fold to fit on."""
    path.mkdir()
    with gzip.open(path / "train.jsonl.gz", "wt") as fh, gzip.open(path / "gold.jsonl.gz", "wt") as gold:
        for i, text_path in enumerate(sorted(SAMPLES.glob("*.txt"))[:1]):
            g = load_gold(ROOT / "annotations" / "gold" / f"{text_path.stem}.json")
            fh.write(json.dumps({"text": text_path.read_text(), "spans": [], "meta": {"doc_id": text_path.stem, "converter": f"conv{i}"}}) + "\n")
            gold.write(json.dumps({"doc_id": text_path.stem, "record": g.record}) + "\n")
    return path


def test_fit_on_a_tiny_corpus_keeps_the_previous_calibration(tmp_path):
    corpus = _tiny_corpus(tmp_path / "corpus")
    previous = Calibrator(review_threshold=0.8)
    previous.save(tmp_path / "calibration.json")
    calibrator, report = fit(corpus, RULES_ONLY, previous=tmp_path / "calibration.json")
    assert report.status.startswith("kept the previous calibration") and report.documents == 1
    assert calibrator == Calibrator.load(tmp_path / "calibration.json")
    fresh, _ = fit(corpus, RULES_ONLY)  # no previous one: the evidence scores stand
    raw = extract_file(SEED_001)
    assert fresh.apply(raw).confidence == raw.confidence


@pytest.mark.parametrize("text", [CLEAN, JUNK])
def test_a_calibrator_reads_the_matrix_columns_it_was_fitted_on_by_name(text):
    record = extract_file(SEED_001, settings=RULES_ONLY)
    _, X = leaf_matrix(record, text)
    calibrator = Calibrator(names=("evidence", "field_issuer/name", "not_a_feature", "text_junk_share"))
    cols = calibrator.columns(X)
    assert cols.shape == (len(X), 4) and np.isnan(cols[:, 2]).all() and (cols[:, 0] == X[:, COLUMN["evidence"]]).all()
    assert (cols[:, 3] == text_quality(text)["junk_share"]).all()


def test_extract_lists_fields_below_the_review_threshold_given_on_the_command_line():
    import os
    import subprocess
    import sys

    def run(*extra):
        out = subprocess.run([sys.executable, "-m", "extractor", "extract", SEED_001, *extra], capture_output=True, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    everything, nothing = run("--review-threshold", "1.0"), run("--review-threshold", "0")
    assert set(everything["review"]) == {p for p, c in everything["confidence"].items() if c < 1.0} and everything["review"]
    costs = [expected_cost(p, everything["confidence"][p]) for p in everything["review"]]
    assert costs == sorted(costs, reverse=True)  # the costliest expected mistake first
    assert nothing["review"] == [] and nothing["confidence"] == everything["confidence"]


def test_a_record_model_stored_with_fewer_inputs_reads_only_those_by_name():
    old = Calibrator.from_dict({**Calibrator().to_dict(), "record_model": {"features": ["min", "has_text"], "threshold": 0.9,
                                                                           "coef": [4.0, 1.0], "intercept": -3.0}})
    assert old.record_names == ("min", "has_text")
    # sigmoid(-3 + 4 * 0.5 + 1 * 1): the record's signals are not inputs of this model
    assert old.record_probability([0.5, 0.9], True, {"doc_breaches": 9.0}) == 0.5


def test_the_review_list_puts_a_doubtful_number_before_an_equally_doubtful_footnote_text():
    record = Record(footnotes=({"id": "F1", "text": "x"},), non_derivative_transactions=({"shares": 5.0},),
                    confidence={"/footnotes/0/text": 0.6, "/non_derivative_transactions/0/shares": 0.6, "/footnotes/0/id": 0.99})
    assert with_review(record, 0.9).review == ("/non_derivative_transactions/0/shares", "/footnotes/0/text")
