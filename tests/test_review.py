"""The review page: every field marked where the readers found it, the record's review list first, self-contained."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from form4.io.review import locate, render
from form4.run.pipeline import RULES_ONLY, read_filing

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SEED = ROOT / "samples" / "000_46eb1dd4f8015172.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _read(path: Path):
    text = path.read_text(encoding="utf-8")
    assembly = read_filing(text, path.stem, RULES_ONLY)
    return assembly.record, text, assembly.provenance.spans()


@pytest.fixture(scope="module")
def seed():
    return _read(SEED)


def _marked(page: str, pointer: str) -> list[str]:
    return re.findall(rf'<mark id="[^"]*" data-pointer="{re.escape(pointer)}"[^>]*>([^<]*)</mark>', page)


def test_known_values_of_a_sample_are_marked_where_the_text_prints_them(seed):
    record, text, spans = seed
    page = render(record, text, spans=spans)
    assert _marked(page, "/issuer/trading_symbol") == ["QLYS"]
    assert _marked(page, "/non_derivative_transactions/0/shares") == ["45,551"]
    assert _marked(page, "/reporting_owners/0/name") == ["Thakar Sumedh S"]
    assert _marked(page, "/signatures/0/date") == ["10/30/2023"]


def test_every_located_fragment_is_the_text_at_its_offsets(seed):
    record, text, spans = seed
    located = locate(record, text, spans)
    assert len(located.spans) >= 15
    for pointer, fragments in located.spans.items():
        for start, end in fragments:
            assert 0 <= start < end <= len(text) and text[start:end].strip(), pointer


def test_fields_below_the_threshold_are_listed_first_lowest_first_without_a_review_list(seed):
    record, text, spans = seed
    threshold = sorted(record.confidence.values())[len(record.confidence) // 2]  # about half below
    page = render(record, text, threshold=threshold, spans=spans)
    first = page.split("<h2>To review")[1].split("<h2>")[0]
    listed = re.findall(r"<tr><td><code>([^<]+)</code>", first)
    below = [p for p, c in record.confidence.items() if c < threshold]
    assert sorted(listed) == sorted(below) and listed
    assert [record.confidence[p] for p in listed] == sorted(record.confidence[p] for p in listed)
    assert "a display threshold, not a measured one" in page


def test_a_calibrated_records_own_review_list_is_listed_in_its_order_with_what_the_threshold_means(seed):
    record, text, spans = seed
    chosen = tuple(reversed(list(record.confidence)[:3]))
    calibrated = record.model_copy(update={"review": chosen, "record_confidence": 0.5})
    page = render(calibrated, text, threshold=0.97, spans=spans, goal="records with an empty review list were 98% exactly right")
    first = page.split("<h2>To review")[1].split("<h2>")[0]
    assert tuple(re.findall(r"<tr><td><code>([^<]+)</code>", first)) == chosen
    assert "review threshold 0.97 (records with an empty review list were 98% exactly right)" in page


def test_warnings_are_shown_and_a_rebuilt_value_is_marked_where_its_damaged_print_stands():
    record, text, spans = _read(ROOT / "samples" / "001_d8ce4ece6e55602e.txt")
    page = render(record, text, spans=spans)
    assert record.warnings
    for warning in record.warnings:
        assert warning.replace("'", "&#x27;").replace('"', "&quot;") in page
    # the garbled "40 5,274" is rebuilt from the arithmetic as 46,274: marked where "40 5,274" is printed
    assert _marked(page, "/non_derivative_transactions/0/shares_owned_following") == ["40\t5,274"]
    unprinted = page.split("<h2>Not printed as read")[1].split("<h2>")[0]
    assert "/reporting_owners/0/is_officer" in unprinted  # a checkbox's state: no text of its own


def test_a_value_wrapped_over_lines_is_marked_on_each_line_not_across_the_cells_between():
    from form4.io.review import fragments

    text = "Common     02/01/2024   S   1,000\nStock\n"
    assert [text[s:e] for s, e in fragments(text, 0, len(text) - 1, "Common Stock")] == ["Common", "Stock"]
    assert fragments(text, 11, 21, "2024-02-01") == [(11, 21)]


def test_the_page_needs_no_network_and_no_script(seed):
    record, text, spans = seed
    page = render(record, text, spans=spans)
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


def test_one_input_with_an_existing_report_folder_gets_its_page_inside_the_folder(tmp_path):
    from typer.testing import CliRunner

    from form4.cli import app

    (tmp_path / "pages").mkdir()
    result = CliRunner().invoke(app, ["extract", str(SEED), "--no-model", "--report", str(tmp_path / "pages")])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "pages").iterdir()] == ["000_46eb1dd4f8015172.html"]


def _pixel_spread(png: Path) -> float:
    from PIL import Image, ImageStat

    return max(ImageStat.Stat(Image.open(png).convert("L")).stddev)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (training/setup.sh installs it)")
def test_the_page_renders_in_headless_chromium(seed, tmp_path):
    pytest.importorskip("PIL", reason="Pillow reads the screenshot (the test extra installs it)")
    page = tmp_path / "review.html"
    record, text, spans = seed
    page.write_text(render(record, text, spans=spans), encoding="utf-8")
    shot = tmp_path / "review.png"
    subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri()],
                   capture_output=True, timeout=120, cwd=tmp_path)
    assert shot.exists() and shot.stat().st_size > 10_000
    assert _pixel_spread(shot) > 20  # a blank page has none
