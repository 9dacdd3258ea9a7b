"""Scoring's reliability report: which predicted leaves are right at which confidence."""

import json
import os
import subprocess
import sys

import pytest

from form4.score.metrics import BINS, Counts, DocScore, Gold, Report, format_reliability, plot_reliability, reliability, score_document, scored_leaves

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SAMPLES = ROOT / "samples"


def _doc(leaves, review=(), exact=False, record_confidence=None):
    counts = Counts(1, 1, 1) if exact else Counts(0, 1, 1)
    return DocScore("d", "g", counts, {}, [], [], leaves, review, record_confidence)


def test_leaf_confidences_follow_their_rows_when_scoring_reorders_rows():
    gold = Gold({"non_derivative_transactions": [{"shares": 5}, {"shares": 7}]})
    pred = {"non_derivative_transactions": [{"shares": 7}, {"shares": 6}],
            "confidence": {"/non_derivative_transactions/0/shares": 0.9, "/non_derivative_transactions/1/shares": 0.2}}
    assert scored_leaves(gold, pred) == {"/non_derivative_transactions/0/shares": True, "/non_derivative_transactions/1/shares": False}
    assert sorted(score_document(gold, pred).leaves) == [(0.2, False), (0.9, True)]


def test_reliability_bins_leaves_and_measures_ece_and_coverage():
    leaves = [(0.999, True)] * 98 + [(0.995, False)] * 2 + [(0.6, True), (0.6, False), (0.3, False)]
    rel = reliability(Report([_doc(leaves)]))
    assert [b["leaves"] for b in rel.bins] == [1, 2, 0, 0, 0, 100] and len(rel.bins) == len(BINS) - 1
    assert rel.bins[-1]["share_right"] == 0.98 and rel.bins[1]["share_right"] == 0.5
    expected = (100 * abs(0.9989 - 0.98) + 2 * 0.1 + 1 * 0.3) / 103
    assert rel.ece == pytest.approx(expected, abs=1e-3)
    assert rel.coverage[0.99] == {"share": round(100 / 103, 4), "accuracy": 0.98}
    assert "ECE" in format_reliability(rel) and "0.99-1.00" in format_reliability(rel)


def test_records_with_an_empty_review_list_are_counted_for_exactness():
    docs = [_doc([(0.99, True)], (), exact=True), _doc([(0.99, False)], (), exact=False), _doc([(0.5, False)], ("/x",))]
    rel = reliability(Report(docs))
    assert (rel.records, rel.records_without_review, rel.exact_without_review) == (3, 2, 0.5)
    assert reliability(Report([_doc([(0.9, True)], None)])).records == 0  # predictions without a review list


def test_record_confidence_gets_its_own_reliability_table_of_exact_records():
    docs = [_doc([(0.99, True)], (), exact=True, record_confidence=0.95), _doc([(0.9, False)], (), exact=False, record_confidence=0.3),
            _doc([(0.9, True)], (), exact=True, record_confidence=0.35)]
    rel = reliability(Report(docs))
    rows = {(b["lo"], b["hi"]): (b["records"], b["share_exact"]) for b in rel.record_bins if b["records"]}
    assert rows == {(0.2, 0.4): (2, 0.5), (0.9, 1.0): (1, 1.0)}
    assert "record conf" in format_reliability(rel) and "share exact" in format_reliability(rel)


def test_the_reliability_diagram_is_drawn_to_a_png(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib (the plot extra) is not installed")
    rel = reliability(Report([_doc([(0.97, True), (0.85, False), (0.4, False)])]))
    plot_reliability(rel, tmp_path / "r.png")
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_score_command_prints_the_reliability_table_and_plots_it(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib (the plot extra) is not installed")
    out = subprocess.run(
        [sys.executable, "-m", "extractor", "score", "--gold", ROOT / "annotations" / "gold", "--input", SAMPLES, "--no-fields", "--plot", tmp_path / "r.png"],
        capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "ECE" in text and "confidence >= 0.95" in text and (tmp_path / "r.png").exists()
    as_json = subprocess.run(
        [sys.executable, "-m", "extractor", "score", "--gold", ROOT / "annotations" / "gold", "--input", SAMPLES, "--json"],
        capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    report = json.loads(as_json.stdout)
    assert report["reliability"]["leaves"] > 100 and len(report["reliability"]["bins"]) == 6
