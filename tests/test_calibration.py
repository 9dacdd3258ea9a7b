"""Calibrated confidence: features of a leaf, the fitted models as JSON, review lists, the fit's fallbacks."""

import gzip
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from form4.calibrate.calibrator import Calibrator, Trees, with_review
from form4.calibrate.features import FIELDS, kind_of, leaf_features, matrix, repaired_pointers, text_layout, text_quality
from form4.run.pipeline import RULES_ONLY, extract_file
from form4.schema import Record, iter_leaves, json_schema
from form4.score.metrics import load_gold
from form4.training.calibrate import Examples, fit, fit_examples, folds
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


def test_a_rebuilt_holding_is_named_as_repaired_by_its_pointer():
    record = extract_file(SEED_001)
    assert any("no relationship box read as checked" in w for w in record.warnings)
    assert repaired_pointers(record) == {
        "/non_derivative_transactions/0/shares_owned_following": "rebuilt",
        "/reporting_owners/0/is_officer": "implied",  # no box read as checked; an officer title is printed
    }


def test_every_leaf_gets_features_from_its_field_row_page_and_record():
    record = extract_file(SEED_001)
    text = SEED_001.read_text()
    pointers, feats = leaf_features(record, text)
    assert pointers == list(record.confidence)
    by = dict(zip(pointers, feats))
    rebuilt = by["/non_derivative_transactions/0/shares_owned_following"]
    assert rebuilt["repair_rebuilt"] == 1.0 and rebuilt["field_non_derivative_transactions/*/shares_owned_following"] == 1.0
    second = by["/non_derivative_transactions/1/shares"]
    assert second["chain_holds"] == 1.0 and second["in_table"] == 1.0 and second["kind_number"] == 1.0
    assert math.isnan(by["/issuer/name"]["chain_holds"]) and by["/issuer/name"]["in_table"] == 0.0
    assert by["/issuer/name"]["text_dictionary_share"] == text_quality(text)["dictionary_share"]
    # provenance, when the pipeline gives it, is used; without it, it is missing (not invented)
    _, with_evidence = leaf_features(record, text, {"/issuer/name": {"source": "model+rule", "model_prob": 0.8, "alternatives": 2}})
    named = with_evidence[pointers.index("/issuer/name")]
    assert named["source_model+rule"] == 1.0 and named["model_prob"] == 0.8 and named["alternatives"] == 2.0
    assert math.isnan(by["/issuer/name"]["model_prob"]) and by["/issuer/name"]["source_rule"] == 0.0


def test_a_breach_marks_the_leaves_it_names():
    from form4.schema import NonDerivativeTransaction as T

    record = Record(non_derivative_transactions=(T(transaction_code="S", shares=10, acquired_disposed="A", security_title="Common Stock"),),
                    confidence={"/non_derivative_transactions/0/transaction_code": 0.9, "/non_derivative_transactions/0/shares": 0.9,
                                "/non_derivative_transactions/0/acquired_disposed": 0.9, "/non_derivative_transactions/0/security_title": 0.9})
    pointers, feats = leaf_features(record)
    by = dict(zip(pointers, feats))
    assert by["/non_derivative_transactions/0/acquired_disposed"]["breaches"] == 1.0
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
        ex.docs.append({"name": f"d{d}", "converter": f"c{d % 4}", "style": "", "has_text": True, "failed": False})
        rights = []
        quality = 0.995 if d % 2 else 0.7  # clean pages and damaged ones
        for j in range(20):
            evidence = min(1.0, max(0.0, quality + rng.gauss(0, 0.1)))
            pattern = FIELDS[j % len(FIELDS)]
            right = rng.random() < quality * (0.9 if j % 7 == 6 and quality < 0.9 else 1.0)
            ex.feats.append({"evidence": evidence, f"field_{pattern}": 1.0, "breaches": 0.0})
            ex.right.append(right)
            ex.doc.append(d)
            rights.append(right)
        ex.docs[-1]["exact"] = all(rights)
    return ex


def test_a_fitted_calibrator_adds_review_and_record_confidence_and_keeps_the_contract(tmp_path):
    ex = _synthetic_examples()
    calibrator, report = fit_examples(ex, folds(ex))
    assert report.status == "fitted" and report.folds == 4 and report.held_out_after["leaves"] == len(ex)
    calibrator.save(tmp_path / "calibration.json")
    loaded = Calibrator.load(tmp_path / "calibration.json")
    assert "coef" not in json.loads((tmp_path / "calibration.json").read_text())  # the new format, plain JSON
    raw = extract_file(SEED_001)
    record = loaded.apply(raw, SEED_001.read_text())
    assert set(record.confidence) == set(raw.confidence) == {p for p, _ in iter_leaves(record.to_json_dict())}
    assert all(0.0 <= c <= 1.0 for c in record.confidence.values())
    assert list(record.review) == [p for p, c in record.confidence.items() if c < loaded.review_threshold]
    assert 0.0 <= record.record_confidence <= 1.0
    # higher evidence never means lower confidence, all else equal
    low, high = (loaded.probabilities(raw.model_copy(update={"confidence": {"/issuer/name": e}})) for e in (0.3, 0.95))
    assert high["/issuer/name"] >= low["/issuer/name"]


def test_the_review_threshold_is_the_lowest_confidence_at_which_leaves_are_99_percent_right():
    p = np.linspace(0, 1, 1001)
    y = (p > 0.7).astype(int)  # everything above 0.7 right, below wrong
    t = review_threshold(p, y)
    assert 0.69 <= t <= 0.71 and y[p >= t].mean() >= 0.99


def test_an_old_calibration_file_still_loads_and_maps_evidence_monotonically(tmp_path):
    old = {"features": ["evidence", "warned", "text", "number", "date", "flag", "code", "footnote"], "coef": [4.0, -1.0, 0, 0, 0, 0, 0, 0], "intercept": -2.0}
    (tmp_path / "calibration.json").write_text(json.dumps(old))
    calibrator = Calibrator.load(tmp_path / "calibration.json")
    record = calibrator.apply(extract_file(SEED_001))
    assert all(0 < c < 1 for c in record.confidence.values()) and record.record_confidence is None
    low, high = (calibrator.probabilities(record.model_copy(update={"confidence": {"/issuer/name": e}})) for e in (0.5, 0.9))
    assert high["/issuer/name"] > low["/issuer/name"]
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
def test_features_form_a_matrix_in_the_calibrators_column_order(text):
    record = extract_file(SEED_001, settings=RULES_ONLY)
    _, feats = leaf_features(record, text)
    names = ["evidence", "field_issuer/name", "not_a_feature", "text_junk_share"]
    X = matrix(feats, names)
    assert X.shape == (len(feats), 4) and np.isnan(X[:, 2]).all() and (X[:, 0] == [f["evidence"] for f in feats]).all()


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
    assert everything["review"] == [p for p, c in everything["confidence"].items() if c < 1.0] and everything["review"]
    assert nothing["review"] == [] and nothing["confidence"] == everything["confidence"]
