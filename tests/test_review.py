"""The review page: every field's span marked in the source text, low-confidence fields first, self-contained."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from form4.run.pipeline import extract_file
from form4.training.align.locate import locate
from form4.io.review import render

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SEED = ROOT / "samples" / "000_46eb1dd4f8015172.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


@pytest.fixture(scope="module")
def seed():
    return extract_file(SEED), SEED.read_text(encoding="utf-8")


def _page(record, text, **options) -> str:
    return render(record, text, locate(record, text), **options)


def _marked(page: str, pointer: str) -> list[str]:
    return re.findall(rf'<mark id="[^"]*" data-pointer="{re.escape(pointer)}"[^>]*>([^<]*)</mark>', page)


def test_known_values_of_a_sample_are_marked_where_the_text_prints_them(seed):
    record, text = seed
    page = _page(record, text)
    assert _marked(page, "/issuer/trading_symbol") == ["QLYS"]
    assert _marked(page, "/non_derivative_transactions/0/shares") == ["45,551"]
    assert _marked(page, "/reporting_owners/0/name") == ["Thakar Sumedh S"]
    assert _marked(page, "/signatures/0/date") == ["10/30/2023"]


def test_every_located_fragment_is_the_text_at_its_offsets(seed):
    record, text = seed
    located = locate(record, text)
    assert len(located.spans) >= 15
    for pointer, fragments in located.spans.items():
        for start, end in fragments:
            assert 0 <= start < end <= len(text) and text[start:end].strip(), pointer


def test_fields_below_the_threshold_are_listed_first_lowest_first(seed):
    record, text = seed
    threshold = sorted(record.confidence.values())[len(record.confidence) // 2]  # about half below
    page = _page(record, text, threshold=threshold)
    first = page.split("<h2>Below the review threshold")[1].split("<h2>")[0]
    listed = re.findall(r"<tr><td><code>([^<]+)</code>", first)
    below = [p for p, c in record.confidence.items() if c < threshold]
    assert sorted(listed) == sorted(below) and listed
    assert [record.confidence[p] for p in listed] == sorted(record.confidence[p] for p in listed)


def test_warnings_and_unlocated_fields_are_shown():
    record = extract_file(ROOT / "samples" / "001_d8ce4ece6e55602e.txt")
    page = _page(record, (ROOT / "samples" / "001_d8ce4ece6e55602e.txt").read_text(encoding="utf-8"))
    assert record.warnings
    for warning in record.warnings:
        assert warning.replace("'", "&#x27;").replace('"', "&quot;") in page
    # the garbled "40 5,274" is rebuilt from the arithmetic: no span prints 46,274
    unlocated = page.split("<h2>Not located in the text")[1].split("<h2>")[0]
    assert "/non_derivative_transactions/0/shares_owned_following" in unlocated


def test_the_page_needs_no_network_and_no_script(seed):
    page = _page(*seed)
    assert not re.search(r"https?://|<script|<link|<img|src=|@import|url\(", page)


def test_extract_writes_the_review_page(tmp_path):
    from typer.testing import CliRunner

    from form4.cli import app

    out = tmp_path / "review.html"
    result = CliRunner().invoke(app, ["extract", str(SEED), "--no-model", "--report", str(out), "--review-threshold", "0.95"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "review threshold 0.95" in page and _marked(page, "/issuer/trading_symbol") == ["QLYS"]


def test_several_inputs_get_one_review_page_each_in_the_report_folder(tmp_path):
    from typer.testing import CliRunner

    from form4.cli import app

    inputs = [str(ROOT / "samples" / "000_46eb1dd4f8015172.txt"), str(ROOT / "samples" / "002_f86ed184a05a2eb0.txt")]
    result = CliRunner().invoke(app, ["extract", *inputs, "--no-model", "--report", str(tmp_path / "pages")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["000_46eb1dd4f8015172.html", "002_f86ed184a05a2eb0.html"]


def _pixel_spread(png: Path) -> float:
    from PIL import Image, ImageStat

    return max(ImageStat.Stat(Image.open(png).convert("L")).stddev)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (training/setup.sh installs it)")
def test_the_page_renders_in_headless_chromium(seed, tmp_path):
    pytest.importorskip("PIL", reason="Pillow reads the screenshot (the test extra installs it)")
    page = tmp_path / "review.html"
    page.write_text(_page(*seed), encoding="utf-8")
    shot = tmp_path / "review.png"
    subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri()],
                   capture_output=True, timeout=120, cwd=tmp_path)
    assert shot.exists() and shot.stat().st_size > 10_000
    assert _pixel_spread(shot) > 20  # a blank page has none
