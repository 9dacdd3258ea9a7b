"""training/heldout.py: the leave-one-out evaluation (styles x converters the rules and model never saw)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from form4.run.pipeline import RULES_ONLY
from form4.schema import Record
from form4.training import heldout as H
from form4.training.pages.render import render_html

from conftest import ROOT  # noqa: E402  (the repository, defined once)
RAW = ROOT.parent / "shared" / "data" / "form4-raw"
SEED_TEXT = ROOT / "samples" / "000_46eb1dd4f8015172.txt"
SEED_GOLD = ROOT / "annotations" / "gold" / "000_46eb1dd4f8015172.json"


def _seed_record() -> Record:
    data = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    drop = ("confidence", "warnings", "unrecoverable", "source")
    return Record.model_validate({k: v for k, v in data.items() if k not in drop})


def _job(tmp_path: Path, style: str, converters: tuple[str, ...], html: str = "") -> H.Job:
    return H.Job(style, "seed000", html, tmp_path / style / "seed000", converters)


def test_only_the_edgar_style_with_a_corpus_converter_counts_as_seen() -> None:
    assert H.is_seen("edgar", "pandoc-gfm") and H.is_seen("edgar", "ocr-300-psm4-norules")
    assert not H.is_seen("edgar", "markitdown-pdf")
    assert not H.is_seen("paper", "pdftotext-layout")


def test_scores_and_tables_per_style_converter_and_family(tmp_path: Path) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    results = [
        (_job(tmp_path, "edgar", ("pandoc-gfm",)), {"pandoc-gfm": text}, {}),
        (_job(tmp_path, "paper", ("pymupdf", "pdfplumber")), {"pymupdf": text}, {"pdfplumber": "pdfplumber: boom\nmore"}),
    ]
    scores = H.score(results, {"seed000": SimpleNamespace(record=_seed_record())}, placement=True, model=RULES_ONLY)
    rows = {(r["style"], r["converter"]): r for r in H.converter_rows(scores)}
    assert set(rows) == {("edgar", "pandoc-gfm"), ("paper", "pymupdf")}
    assert rows["edgar", "pandoc-gfm"]["seen"] and not rows["paper", "pymupdf"]["seen"]
    assert rows["paper", "pymupdf"]["family"] == "text-layer"
    assert rows["edgar", "pandoc-gfm"]["rules_f1"] == rows["edgar", "pandoc-gfm"]["model_f1"] == 1.0  # the seed reads exactly
    assert 0.5 < rows["paper", "pymupdf"]["placed"] <= 1.0
    assert scores.errors == {"paper|pdfplumber": ["seed000: pdfplumber: boom"]}
    families = H.family_rows(scores)
    assert [(f["style"], f["family"], f["seen"], f["texts"]) for f in families] == [
        ("edgar", "markdown", True, 1), ("paper", "text-layer", False, 1)]
    table = H.format_report({"filings": 1, "rows": H.converter_rows(scores), "families": families, "costs": []}, placement=True)
    assert "| paper | pymupdf | text-layer | no | 1 | 1.000 | 1.000 | 100% | 100% |" in table


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="needs pandoc (bash training/setup.sh)")
def test_flattened_texts_are_cached_until_the_page_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    job = _job(tmp_path, "edgar", ("pandoc-plain",), "<p>Reporting owner</p>")
    _, texts, errors = H.flatten_cached(job)
    assert "Reporting owner" in texts["pandoc-plain"] and not errors
    assert set(json.loads((job.workdir / "cost.json").read_text())) == {"pandoc-plain"}
    real = H.flatten
    monkeypatch.setattr(H, "flatten", lambda *a, **k: pytest.fail("a cached text was flattened again"))
    assert H.flatten_cached(job)[1] == texts
    monkeypatch.setattr(H, "flatten", real)
    changed = H.Job(job.style, job.doc_id, "<p>Issuer name</p>", job.workdir, job.converters)
    assert "Issuer name" in H.flatten_cached(changed)[1]["pandoc-plain"]


def test_without_the_styles_module_only_the_edgar_page_is_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(H, "STYLES_MODULE", "form4.training.no_such_styles_module")
    record = _seed_record()
    assert H.known_styles() == ("edgar",)
    assert H.render_page(record, None, "edgar", 1) == render_html(record)
    with pytest.raises(KeyError, match="unknown page style"):
        H.render_page(record, None, "paper", 1)


def test_with_a_styles_module_its_renderer_draws_every_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "fake_form4_styles.py").write_text(
        "STYLES = {'edgar': None, 'paper': None}\n"
        "def render_styled(record, style, seed, cell_footnotes=None):\n"
        "    return f'<p>{style} {seed} {record.issuer.trading_symbol}</p>'\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(H, "STYLES_MODULE", "fake_form4_styles")
    assert H.known_styles() == ("edgar", "paper")
    assert H.render_page(_seed_record(), None, "paper", 7) == "<p>paper 7 QLYS</p>"


@pytest.mark.parametrize("args", [["--converters", "markdwn"], ["--styles", "no-such-style"]])
def test_an_unknown_converter_or_style_is_one_error_line_and_exit_2(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "form4", "evaluate", "--heldout", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "error E017: unknown" in proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(not RAW.is_dir(), reason=f"raw Form 4 data folder not found at {RAW}")
@pytest.mark.skipif(shutil.which("pandoc") is None, reason="needs pandoc (bash training/setup.sh)")
def test_the_command_scores_real_dev_filings_on_an_unseen_converter(tmp_path: Path) -> None:
    report = H.evaluate(["edgar"], "pandoc-commonmark", limit=2, work=tmp_path, workers=1, raw=RAW)
    assert report["filings"] == 2 and not report["errors"]
    (row,) = report["rows"]
    assert (row["converter"], row["seen"], row["filings"]) == ("pandoc-commonmark", False, 2)
    assert 0.0 < row["rules_f1"] <= 1.0 and 0.0 < row["model_f1"] <= 1.0
    assert sorted(p.name for p in tmp_path.glob("edgar/*/pandoc-commonmark.txt")) != []
