"""Converters derived from an OCR converter's word boxes: its TSV laid out by position.

The OCR converters keep tesseract's word boxes beside the PDF (``<converter>.tsv``, written by
the same tesseract run as the text). ``<converter>-geometry`` is those boxes laid out by
``form4.io.geometry``, exactly as the runtime lays out a scan it OCRs (``form4.io.inputs``), so
the model trains on the text users' scans give. Deriving costs milliseconds and runs no OCR when
the boxes are there; the corpus build lays them out again on every build (never a stale text
when the layout changes).

Derived are the converters whose settings the runtime uses (300 dpi, ``--psm 4``, table rules
removed), on a clean page and on a simulated scan.
"""

from __future__ import annotations

from pathlib import Path

from form4.io.geometry import layout_tsv

GEOMETRY_SUFFIX = "-geometry"
#: the OCR converters whose word boxes a derived converter lays out
GEOMETRY_BASES: tuple[str, ...] = ("ocr-300-psm4-norules", "scan-300-psm4-norules")
#: derived converter -> its base
DERIVED_FROM: dict[str, str] = {f"{base}{GEOMETRY_SUFFIX}": base for base in GEOMETRY_BASES}


def boxes_file(folder: Path, base: str) -> Path:
    """Where converter ``base`` keeps its word boxes for the page printed in ``folder``.

    >>> boxes_file(Path("cache/abc"), "ocr-300-psm4-norules").as_posix()
    'cache/abc/ocr-300-psm4-norules.tsv'
    """
    return Path(folder) / f"{base}.tsv"


def laid_out_boxes(folder: Path, base: str) -> str | None:
    """The page's text laid out from ``base``'s word boxes in ``folder``; ``None`` without them."""
    path = boxes_file(folder, base)
    if not path.exists():
        return None
    return layout_tsv(path.read_text(encoding="utf-8", errors="replace"))
