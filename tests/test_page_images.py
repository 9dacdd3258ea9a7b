"""form4.run.page_images: page images of one filing (p1.png p2.png ...) read as one input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from form4.run.batch import collect_inputs, run_batch
from form4.run.page_images import page_of

from conftest import GOLD

SAMPLE = "000_46eb1dd4f8015172"
TOOLS = ("chromium", "pdftoppm", "tesseract")
needs_tools = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS), reason=f"needs {', '.join(TOOLS)}")


def _files(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"\x89PNG\r\n\x1a\n not really an image")
    return folder


def _grouped(items) -> list[tuple[str, list[str]]]:
    return [(Path(item.source).name, [page.name for page in item.pages]) for item in items]


def test_images_named_as_pages_of_one_document_are_one_input_in_page_order(tmp_path: Path) -> None:
    _files(tmp_path, "p2.png", "p10.png", "p1.png", "notes.txt")
    assert _grouped(collect_inputs([str(tmp_path)])) == [("notes.txt", []), ("p1.png", ["p1.png", "p2.png", "p10.png"])]


def test_page_images_named_one_by_one_on_the_command_line_are_one_input(tmp_path: Path) -> None:
    _files(tmp_path, "acme-page-01.jpg", "acme-page-02.jpg")
    items = collect_inputs([str(tmp_path / "acme-page-02.jpg"), str(tmp_path / "acme-page-01.jpg")])
    assert _grouped(items) == [("acme-page-01.jpg", ["acme-page-01.jpg", "acme-page-02.jpg"])]
    assert items[0].relative == Path("acme-page-01.jpg")  # the output is named after the first page


def test_images_numbered_without_a_page_word_stay_separate_filings(tmp_path: Path) -> None:
    _files(tmp_path, "scan1.png", "scan2.png", "step1.png", "step2.png")
    assert all(not item.pages for item in collect_inputs([str(tmp_path)]))
    assert page_of("scan1.png") is None and page_of("step1.png") is None and page_of("form4_p1.png") == ("form4_p#.png", 1)


def test_a_page_image_alone_is_an_input_of_its_own(tmp_path: Path) -> None:
    _files(tmp_path, "p1.png", "q_p1.png")
    assert _grouped(collect_inputs([str(tmp_path)])) == [("p1.png", []), ("q_p1.png", [])]


def test_pages_in_different_folders_or_of_differently_named_documents_are_not_joined(tmp_path: Path) -> None:
    _files(tmp_path, "a/p1.png", "b/p2.png", "acme_p1.png", "beta_p2.png", "c_p1.png", "c_p2.jpg")
    assert all(not item.pages for item in collect_inputs([str(tmp_path)]))


def test_a_file_named_as_a_page_that_is_not_an_image_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "p1.png").write_text("FORM 4 typed, not scanned", encoding="utf-8")
    _files(tmp_path, "p2.png")
    result = run_batch(collect_inputs([str(tmp_path)]))
    assert not result.records and len(result.failures) == 1
    line = result.failures[0][1].one_line()
    assert "error E002" in line and "p1.png is named as a page image but is not an image" in line and "\n" not in line


def test_a_page_that_went_missing_is_an_error_naming_that_page(tmp_path: Path) -> None:
    _files(tmp_path, "p1.png", "p2.png")
    items = collect_inputs([str(tmp_path)])
    (tmp_path / "p2.png").unlink()
    result = run_batch(items)
    assert result.failures[0][1].one_line().startswith(f"{tmp_path / 'p2.png'}: error E")


@needs_tools
def test_a_filing_scanned_as_one_image_per_page_is_read_as_one_filing(tmp_path: Path) -> None:
    from PIL import Image

    from form4.io.inputs import pdf_page_image, text_layer
    from form4.schema import Record
    from form4.score.metrics import Report, load_gold, score_document
    from form4.training.convert import html_to_pdf
    from form4.training.pages.render import render_html

    gold = load_gold(GOLD / f"{SAMPLE}.json")
    record = Record.model_validate({k: v for k, v in gold.record.items() if k != "unrecoverable"})
    pdf = html_to_pdf(render_html(record), tmp_path / "printed" / "filing.pdf")
    pages = len(text_layer(pdf)[0])
    scans = tmp_path / "scans"
    scans.mkdir()
    for number in range(1, pages + 1):
        Image.fromarray(pdf_page_image(pdf, number, 200)).save(scans / f"p{number}.png", dpi=(200, 200))
    result = run_batch(collect_inputs([str(scans)]))
    assert pages >= 2 and not result.failures and len(result.records) == 1
    read = result.records[0][1]
    assert read.source.endswith(f"pages {', '.join(f'p{n}.png' for n in range(1, pages + 1))})")
    assert read.issuer.trading_symbol == "QLYS" and read.signatures[-1].date.isoformat() == "2023-10-30"  # first page, last page
    report = Report()
    report.docs.append(score_document(gold, read.to_json_dict()))
    assert report.total().f1 >= 0.85  # measured 0.877 (the legend under the signature OCRs as garbage)
