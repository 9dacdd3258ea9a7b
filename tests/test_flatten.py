"""Tests for training/flatten.py (HTML -> PDF -> text) and training/noise.py."""

from __future__ import annotations

import random
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `training` is not an installed package
    sys.path.insert(0, str(ROOT))

from form4.training import flatten as F  # noqa: E402
from form4.training import noise as N  # noqa: E402

RAW = ROOT.parent / "shared" / "data" / "form4-raw"
WATER_HTML = RAW / "dgunning__edgartools" / "data" / "ownership" / "374WaterForm4.html"
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))

# Values printed on 374WaterForm4.html: owner, issuer, ticker, amount, transaction date.
WATER_VALUES = ("Melkote", "374Water", "SCWO", "757,756", "04/30/2025")

# A few lines of `pdftotext -layout` output for 374WaterForm4.html, so the noise tests
# do not depend on any binary.
LAYOUT_SNIPPET = """\
                FORM 4                UNITED STATES SECURITIES AND EXCHANGE COMMISSION          OMB APPROVAL
1. Name and Address of Reporting Person*         2. Issuer Name and Ticker or Trading Symbol         5. Relationship of Reporting Person(s) to Issuer
 Melkote Rajesh Ramaswamy                         374Water Inc. [ SCWO ]                              (Check all applicable)
                                                                                                     X below)
 (Last)          (First)        (Middle)         3. Date of Earliest Transaction (Month/Day/Year)
 C/O 374 WATER INC.                               04/30/2025
 MORRISVILLE     NC             27560             4. If Amendment, Date of Original Filed            6. Individual or Joint/Group Filing
 (City)          (State)        (Zip)                                                                 X    Form filed by One Reporting Person
                               Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
1. Title of Security (Instr. 3)        2. Transaction     3. Transaction     4. Securities Acquired (A) or Disposed Of (D)
                                       Date               Code      V        Amount          (A) or (D)    Price
Common Stock (restricted stock units)  04/30/2025         A                  757,756(1)      A             $0        757,756    D
                               Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
1. Title of          2. Conversion     3. Transaction     4. Transaction
Stock options        $0.33             04/30/2025         A        757,576(1)     (1)     04/29/2035   Common Stock   757,576
Explanation of Responses:
1. Vesting commencement date is March 31, 2025.
** Signature of Reporting Person     Date
"""

NOISE_TEXTS = [LAYOUT_SNIPPET, *(p.read_text(encoding="utf-8") for p in SAMPLES)]

# ------------------------------------------------------------------------- flatten

PDF_BINARIES = ("chromium", "pdftotext", "pdftoppm", "tesseract")


def _missing(*binaries: str) -> list[str]:
    return [b for b in binaries if shutil.which(b) is None]


needs_pdf_tools = pytest.mark.skipif(
    bool(_missing(*PDF_BINARIES)),
    reason=f"needs binaries {PDF_BINARIES}; missing: {_missing(*PDF_BINARIES)}",
)
needs_raw_html = pytest.mark.skipif(
    not WATER_HTML.is_file(), reason=f"needs the real EDGAR page {WATER_HTML.name} of the project's shared data (../shared/data/form4-raw), laid beside the repository, not in a plain clone"
)


def test_inject_page_css_goes_into_head() -> None:
    html = F.inject_page_css("<html><HEAD><title>t</title></HEAD><body></body></html>")
    assert html.index("@page") < html.index("</HEAD>")
    assert "landscape" in html


def test_unknown_converter_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="no-such"):
        F.flatten("<p>x</p>", tmp_path, ["no-such"])


@pytest.mark.skipif(bool(_missing("pdftotext")), reason="needs pdftotext")
def test_pdftotext_error_is_typed_and_carries_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"this is not a pdf")
    with pytest.raises(F.ConverterError) as info:
        F.CONVERTERS["pdftotext-layout"](bad)
    assert info.value.converter == "pdftotext-layout"
    assert info.value.stderr.strip()


@pytest.mark.parametrize("name", ["pypdf", "pdfminer"])
def test_python_converter_errors_are_typed(tmp_path: Path, name: str) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"this is not a pdf")
    with pytest.raises(F.ConverterError):
        F.CONVERTERS[name](bad)


@pytest.fixture(scope="module")
def water_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """374WaterForm4.html flattened by every converter (the PDF is printed once)."""
    if _missing(*PDF_BINARIES, "pandoc"):
        pytest.skip(f"needs binaries {[*PDF_BINARIES, 'pandoc']}")
    if not WATER_HTML.is_file():
        pytest.skip(f"needs the real EDGAR page {WATER_HTML.name} of the project's shared data (../shared/data/form4-raw), laid beside the repository, not in a plain clone")
    html = WATER_HTML.read_text(encoding="utf-8")
    return F.flatten(html, tmp_path_factory.mktemp("water"), F.ALL_CONVERTERS)


@needs_pdf_tools
@needs_raw_html
@pytest.mark.parametrize("name", F.ALL_CONVERTERS)
def test_converter_output_holds_known_values(water_texts: dict[str, str], name: str) -> None:
    text = water_texts[name].lower()
    missing = [value for value in WATER_VALUES if value.lower() not in text]
    assert not missing, f"{name} lost {missing}"


def _ruled_page(dpi: int) -> "np.ndarray":
    """A white page with a table box (2 px rules) around a glyph-sized blob and a short dash."""
    import numpy as np

    page = np.full((dpi * 2, dpi * 3), 255, dtype=np.uint8)
    page[dpi // 4 : dpi // 4 + 2, dpi // 4 : dpi * 2] = 0  # top rule, 1.75 in
    page[dpi : dpi + 2, dpi // 4 : dpi * 2] = 0  # bottom rule
    page[dpi // 4 : dpi + 2, dpi // 4 : dpi // 4 + 2] = 40  # left rule, 0.75 in, antialiased gray
    page[dpi // 2 : dpi // 2 + dpi // 7, dpi : dpi + dpi // 12] = 0  # an "I", 1/7 in tall
    page[dpi // 2 + 5 : dpi // 2 + 7, dpi + dpi // 6 : dpi + dpi // 6 + dpi // 6] = 0  # a dash, 1/6 in
    return page


@pytest.mark.parametrize("dpi", [150, 300])
def test_remove_rules_paints_table_rules_white_and_keeps_glyphs(dpi: int) -> None:
    page = _ruled_page(dpi)
    clean = F.remove_rules(page, dpi)
    assert clean[dpi // 4, dpi].item() == 255 and clean[dpi, dpi].item() == 255  # horizontal rules gone
    assert clean[dpi // 2, dpi // 4].item() == 255  # vertical rule gone
    glyph = (slice(dpi // 2, dpi // 2 + dpi // 7), slice(dpi, dpi + dpi // 12))
    assert (clean[glyph] == page[glyph]).all()
    dash = (slice(dpi // 2 + 5, dpi // 2 + 7), slice(dpi + dpi // 6, dpi + dpi // 3))
    assert (clean[dash] == 0).all()
    assert (clean[page == 255] == 255).all()  # nothing is painted dark


def test_remove_rules_can_keep_vertical_rules() -> None:
    page = _ruled_page(150)
    clean = F.remove_rules(page, 150, vertical=False)
    assert clean[150 // 4, 150].item() == 255  # horizontal rule gone
    assert clean[150 // 2, 150 // 4].item() == 40  # vertical rule kept (OCR reads it as "|")


def test_pgm_round_trip(tmp_path: Path) -> None:
    page = _ruled_page(150)
    F.write_pgm(tmp_path / "p.pgm", page)
    assert (F.read_pgm(tmp_path / "p.pgm") == page).all()


@needs_pdf_tools
@needs_raw_html
def test_pdf_is_letter_landscape(tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = F.html_to_pdf(WATER_HTML.read_text(encoding="utf-8"), tmp_path / "w.pdf")
    box = PdfReader(str(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)


@needs_pdf_tools
def test_htmls_to_pdfs_keeps_order(tmp_path: Path) -> None:
    pairs = [(f"<p>filing number {i}</p>", tmp_path / f"{i}.pdf") for i in range(3)]
    pdfs = F.htmls_to_pdfs(pairs, workers=2)
    assert pdfs == [p.resolve() for _, p in pairs]
    for i, pdf in enumerate(pdfs):
        assert f"filing number {i}" in F.CONVERTERS["pdftotext-raw"](pdf)


# --------------------------------------------------------------------------- noise


@pytest.mark.parametrize("name", sorted(N.NOISE))
@pytest.mark.parametrize("text_index", range(len(NOISE_TEXTS)))
def test_noise_is_deterministic_and_changes_text(name: str, text_index: int) -> None:
    text = NOISE_TEXTS[text_index]
    first = N.apply_noise(text, name, seed=11)
    assert first == N.apply_noise(text, name, seed=11)
    assert first != text
    others = {N.apply_noise(text, name, seed=s) for s in range(5)}
    assert len(others) > 1, "different seeds should give different noise"


@pytest.mark.parametrize("text_index", range(len(NOISE_TEXTS)))
def test_scramble_columns_keeps_every_digit(text_index: int) -> None:
    """Guarantee: no digit is lost; at most one extra digit per numeric token."""
    text = NOISE_TEXTS[text_index]
    before = N.digit_counts(text)
    for seed in range(25):
        after = N.digit_counts(N.apply_noise(text, "scramble_columns", seed))
        assert not before - after, "scramble_columns deleted digits"
        assert sum((after - before).values()) <= len(N.numeric_tokens(text))


def test_scramble_columns_splits_numbers_like_sample_004() -> None:
    rng = random.Random(0)
    seen = {N.split_number("23,139", rng) for _ in range(200)}
    assert ("23,13", "39") in seen  # boundary character repeated
    assert ("23", "139") in seen  # split at the comma drops it


@pytest.mark.parametrize("name", ["html_tags", "markdown_br_table", "tab_soup", "repeat_loop"])
@pytest.mark.parametrize("text_index", range(len(NOISE_TEXTS)))
def test_layout_transforms_never_add_digits(name: str, text_index: int) -> None:
    text = NOISE_TEXTS[text_index]
    for seed in range(10):
        added = N.digit_counts(N.apply_noise(text, name, seed)) - N.digit_counts(text)
        assert not added, f"{name} invented digits {dict(added)}"


def test_ocr_confusions_never_turn_short_words_into_numbers() -> None:
    text = " ".join(["SO", "IS", "lO", "Il", "BOIL", "SOIL", "Officer"] * 30)
    for seed in range(20):
        tokens = N.apply_noise(text, "ocr_confusions", seed).split()
        assert not [t for t in tokens if re.fullmatch(r"[\d.,/$]+", t)]


def test_html_tags_marks_values_and_checkboxes() -> None:
    out = N.apply_noise(LAYOUT_SNIPPET, "html_tags", 3)
    assert "<u>Melkote Rajesh Ramaswamy</u>" in out
    assert N.CHECKED_BOX in out
    assert "\t" in out
    assert any("⁽¹⁾" in N.apply_noise(LAYOUT_SNIPPET, "html_tags", s) for s in range(10))


def test_markdown_br_table_makes_pipe_tables() -> None:
    out = N.apply_noise(LAYOUT_SNIPPET, "markdown_br_table", 3)
    assert re.search(r"^\|[-|]+\|$", out, flags=re.MULTILINE)
    assert "Melkote Rajesh Ramaswamy" in out and "757,756" in out


def test_tab_soup_interleaves_header_boxes() -> None:
    out = N.apply_noise(LAYOUT_SNIPPET, "tab_soup", 3)
    first = next(line for line in out.splitlines() if line.startswith("1. Name"))
    assert "\t" in first and "2. Issuer" in first


def test_apply_noise_chains_and_rejects_unknown_names() -> None:
    chained = N.apply_noise(LAYOUT_SNIPPET, "tab_soup+ocr_confusions", 5)
    assert chained == N.apply_noise(LAYOUT_SNIPPET, "tab_soup+ocr_confusions", 5)
    with pytest.raises(KeyError):
        N.apply_noise(LAYOUT_SNIPPET, "no_such_noise", 1)


def test_find_zones_on_layout_text() -> None:
    zones = N.find_zones(LAYOUT_SNIPPET.split("\n"))
    assert (zones.header, zones.table1, zones.table2, zones.footer) == (1, 8, 12, 15)


def test_digit_counter_is_a_counter() -> None:
    assert N.digit_counts("$0.33 04/30") == Counter({"0": 3, "3": 3, "4": 1})
