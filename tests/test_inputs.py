"""form4.io.inputs: PDFs (text layer, scanned pages OCR'd) and images (OCR) into text the extractor reads.

The fixtures are built here from the render path: a sample's gold record rendered like EDGAR,
printed to PDF by Chromium, and that PDF "scanned" (200 dpi, skewed 0.5 degrees, JPEG pages).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest

from form4.io import inputs
from form4.errors import Form4Error
from form4.run.pipeline import RULES_ONLY, extract_file, extract_text
from form4.schema import Record
from form4.score.metrics import Report, load_gold, score_document

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SAMPLE = "000_46eb1dd4f8015172"
TOOLS = ("chromium", "pdftotext", "pdftoppm", "tesseract")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
needs_tools = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(TOOLS)} (bash training/setup.sh); missing: {MISSING}")


def _f1(text: str, extractor=RULES_ONLY) -> float:
    gold = load_gold(ROOT / "annotations" / "gold" / f"{SAMPLE}.json")
    report = Report()
    report.docs.append(score_document(gold, extract_text(text, SAMPLE, extractor).to_json_dict()))
    return report.total().f1


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    """The sample's gold record rendered like EDGAR and printed to PDF by Chromium."""
    from form4.training.convert import html_to_pdf
    from form4.training.pages.render import render_html

    gold = load_gold(ROOT / "annotations" / "gold" / f"{SAMPLE}.json")
    record = Record.model_validate({k: v for k, v in gold.record.items() if k != "unrecoverable"})
    return html_to_pdf(render_html(record), tmp_path_factory.mktemp("pdf") / f"{SAMPLE}.pdf")


def _scan_pages(pdf: Path, rotate: int = 0) -> list:
    """Every page at 200 dpi, skewed 0.5 degrees (and turned ``rotate`` degrees), as JPEG images."""
    from PIL import Image

    pages = []
    for number in range(1, len(inputs.text_layer(pdf)[0]) + 1):
        image = Image.fromarray(inputs.pdf_page_image(pdf, number, 200))
        image = image.rotate(0.5, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if rotate:
            image = image.rotate(-rotate, expand=True)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=75, dpi=(200, 200))
        pages.append(Image.open(io.BytesIO(buffer.getvalue())))
    return pages


@pytest.fixture(scope="module")
def scanned(printed, tmp_path_factory) -> Path:
    """The printed PDF as a scan: a PDF of 200-dpi JPEG pages with no text layer."""
    pages = _scan_pages(printed)
    out = tmp_path_factory.mktemp("scan") / f"{SAMPLE}.scan.pdf"
    pages[0].save(out, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    return out


def test_the_kind_of_an_input_comes_from_its_leading_bytes():
    assert inputs.kind_of(b"%PDF-1.4\n...") == "pdf"
    assert inputs.kind_of(b"\x89PNG\r\n\x1a\n....") == "image"
    assert inputs.kind_of(b"II*\x00....") == inputs.kind_of(b"MM\x00*....") == "image"
    assert inputs.kind_of(b"FORM 4 UNITED STATES SECURITIES") is None
    assert inputs.read_document(b"FORM 4 text", "x.txt") is None


def test_upright_turns_a_page_back_by_its_detected_rotation():
    page = np.arange(12).reshape(3, 4)
    for degrees in (90, 180, 270):
        turned = np.rot90(page, k=degrees // 90)  # the page as scanned, turned counter-clockwise
        assert np.array_equal(inputs.upright(turned, degrees), page)


def test_a_missing_ocr_engine_is_one_line_saying_how_to_install_it(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(inputs.shutil, "which", lambda tool: None if tool == "tesseract" else real_which(tool))
    with pytest.raises(Form4Error) as caught:
        inputs.ocr_image(np.full((50, 50), 255, dtype=np.uint8), 300, "scan.png")
    line = caught.value.one_line()
    assert line.startswith("scan.png: error E040: tesseract") and "apt-get install tesseract-ocr" in line and "\n" not in line


def test_a_broken_pdf_is_one_line_not_a_traceback():
    with pytest.raises(Form4Error) as caught:
        inputs.read_input_bytes(b"%PDF-1.7\n" + bytes(range(256)), "broken.pdf")
    assert caught.value.one_line().startswith("broken.pdf: error E002: not a readable PDF")


@needs_tools
def test_a_pdf_with_a_text_layer_reads_like_its_pdftotext_layout_text(printed):
    import subprocess

    layout = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True, check=True).stdout
    from_pdf = extract_file(printed)
    from_text = extract_text(layout, str(printed))
    assert from_pdf.source == f"{printed} (text-layer:pdftotext-layout)"
    assert from_pdf.model_copy(update={"source": None}) == from_text.model_copy(update={"source": None})
    assert _f1(layout) >= 0.9


@needs_tools
def test_without_poppler_a_pdf_is_read_by_pypdfium2_and_its_source_says_so(printed, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(inputs.shutil, "which", lambda tool: None if tool in ("pdftotext", "pdftoppm") else real_which(tool))
    text, source = inputs.read_input_bytes(printed.read_bytes(), "filing.pdf")
    assert source == "filing.pdf (text-layer:pypdfium2)"
    assert _f1(text) >= 0.9
    image = inputs.pdf_page_image(printed, 1, 100)
    assert image.dtype == np.uint8 and image.shape[1] > image.shape[0] > 500  # a letter-landscape page at 100 dpi


@needs_tools
def test_a_200_dpi_skewed_jpeg_scan_gives_field_f1_of_at_least_0_9(scanned):
    reading = inputs.read_pdf(scanned.read_bytes(), scanned.name)
    assert reading.how == inputs.ocr_how(300)  # every page OCR'd: the scan has no text layer
    assert reading.text.count("\f") == len(inputs.text_layer(scanned)[0])
    assert _f1(reading.text) >= 0.9


@needs_tools
def test_a_jpeg_image_of_a_page_is_read_by_ocr_and_its_source_says_so(printed, tmp_path):
    page = _scan_pages(printed)[0]
    path = tmp_path / "page1.jpg"
    page.save(path, "JPEG", quality=75, dpi=(200, 200))
    text, source = inputs.read_input_bytes(path.read_bytes(), str(path))
    assert source == f"{path} ({inputs.ocr_how(300)}, scaled from 200 dpi)"
    record = extract_text(text, source)
    assert record.issuer.trading_symbol == "QLYS" and record.period_of_report.isoformat() == "2023-10-26"


@needs_tools
@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_page_scanned_sideways_or_upside_down_is_turned_upright_before_ocr(printed, tmp_path, degrees):
    from form4.io.raster import write_pgm

    page = np.asarray(_scan_pages(printed, rotate=degrees)[0].convert("L"))  # turned ``degrees`` clockwise
    write_pgm(tmp_path / "p.pgm", page)
    assert inputs.orientation(tmp_path / "p.pgm") == (360 - degrees) % 360  # to turn clockwise back upright
    text = inputs.ocr_image(inputs.scaled(page, 200), inputs.OCR_DPI)
    assert "QUALYS" in text and "Table I" in text


@needs_tools
def test_a_pdf_with_one_scanned_page_reads_the_text_layer_and_ocrs_only_that_page(printed, scanned, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    text_pages, scan_pages = PdfReader(printed).pages, PdfReader(scanned).pages
    writer.add_page(text_pages[0])
    for page in scan_pages[1:]:
        writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as fh:
        writer.write(fh)
    reading = inputs.read_pdf(mixed.read_bytes(), "mixed.pdf")
    scanned_numbers = ",".join(str(n) for n in range(2, len(scan_pages) + 1))
    assert reading.how == f"text-layer:pdftotext-layout; {inputs.ocr_how(300)} on page{'s' * (len(scan_pages) > 2)} {scanned_numbers}"
    assert _f1(reading.text) >= 0.9
