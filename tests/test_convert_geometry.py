"""form4.training.convert.geometry: the -geometry converters, laid out from the word boxes an OCR
converter kept, in the converter table and in the corpus build's cache."""

from __future__ import annotations

from pathlib import Path

from form4.io.geometry import TSV_HEADER, layout_tsv
from form4.training import convert as F
from form4.training.convert.geometry import DERIVED_FROM, boxes_file, laid_out_boxes
from form4.training.corpus import _flatten_one

#: one printed line of Table I that tesseract read as two blocks
TSV = "\n".join([
    TSV_HEADER,
    "1\t1\t0\t0\t0\t0\t0\t0\t3300\t2550\t-1\t",
    "5\t1\t1\t1\t1\t1\t100\t1000\t90\t30\t95\tCommon",
    "5\t1\t1\t1\t1\t2\t198\t1000\t75\t30\t95\tStock",
    "5\t1\t2\t1\t1\t1\t1500\t1002\t90\t30\t95\t46,780",
]) + "\n"


def test_every_geometry_converter_has_its_ocr_converters_family_and_needs() -> None:
    assert set(DERIVED_FROM) == {"ocr-300-psm4-norules-geometry", "scan-300-psm4-norules-geometry"}
    for name, base in DERIVED_FROM.items():
        assert F.REGISTRY[name].family == F.REGISTRY[base].family and F.REGISTRY[name].needs == F.REGISTRY[base].needs
        assert F.REGISTRY[name].corpus and F.ALL_CONVERTERS.index(name) > F.ALL_CONVERTERS.index(base)


def test_a_geometry_text_is_the_kept_word_boxes_laid_out_as_the_runtime_lays_them_out(tmp_path: Path) -> None:
    boxes_file(tmp_path, "scan-300-psm4-norules").write_text(TSV, encoding="utf-8")
    text = laid_out_boxes(tmp_path, "scan-300-psm4-norules")
    assert text == layout_tsv(TSV) and text.split("\n")[0].split() == ["Common", "Stock", "46,780"]
    assert laid_out_boxes(tmp_path, "ocr-300-psm4-norules") is None  # no boxes kept for that one


def test_flattening_with_a_geometry_converter_uses_the_kept_boxes_without_printing_a_pdf(tmp_path: Path) -> None:
    boxes_file(tmp_path, "ocr-300-psm4-norules").write_text(TSV, encoding="utf-8")
    texts = F.flatten("<p>not printed</p>", tmp_path, ["ocr-300-psm4-norules-geometry"])
    assert texts == {"ocr-300-psm4-norules-geometry": layout_tsv(TSV)}
    assert not (tmp_path / "form4.pdf").exists()


def test_the_corpus_build_lays_out_cached_boxes_again_rather_than_reading_a_cached_text(tmp_path: Path) -> None:
    boxes_file(tmp_path, "ocr-300-psm4-norules").write_text(TSV, encoding="utf-8")
    (tmp_path / "ocr-300-psm4-norules.txt").write_text("Common Stock\n46,780\n", encoding="utf-8")
    (tmp_path / "ocr-300-psm4-norules-geometry.txt").write_text("a stale layout\n", encoding="utf-8")
    key, texts, error = _flatten_one(("abc", "<p>x</p>", tmp_path, ("ocr-300-psm4-norules", "ocr-300-psm4-norules-geometry")))
    assert error is None and key == "abc"
    assert texts == {"ocr-300-psm4-norules": "Common Stock\n46,780\n", "ocr-300-psm4-norules-geometry": layout_tsv(TSV)}
