"""PDF and image files -> the text the extractor reads, and which way it was read.

The extractor's rules read ``pdftotext -layout``-like text best (columns kept apart by runs of
spaces, a line per printed line), so every path ends in that shape:

* a **PDF with a text layer**: poppler's ``pdftotext -layout``, page by page
  (``text-layer:pdftotext-layout``); where poppler is not installed, pypdfium2
  (``text-layer:pypdfium2``, a wheel: it installs with ``pip install -e .``; plain text, no
  layout mode, read about as well on the corpus's pages: field F1 0.949 against 0.952; its
  character boxes laid out by position like OCR's words read worse, 0.961 against 0.987 with the
  rules on 25 training-split filings, so its plain text stays);
* a **PDF page without one** (a scan): rasterised at :data:`OCR_DPI` dpi (``pdftoppm``, else pypdfium2),
  turned upright, its table rules painted white, then OCR'd (``ocr:tesseract-psm4-300dpi-geometry``);
* an **image** (``.png``, ``.jpg``/``.jpeg``, ``.tif``/``.tiff``, every frame of a multi-page
  TIFF): the same OCR path, scaled to :data:`OCR_DPI` dpi first.

The OCR engine is tesseract at 300 dpi with the table rules removed and ``--psm 4``: the
training corpus's ``ocr-300-psm4-norules`` converter, so the model has seen this text. It was
chosen over RapidOCR's onnxruntime wheel by field F1 on the corpus's own pages, scanned
(``benchmarks/input_engines.py``: 0.692 against 0.648 on the same 3 dev filings). ``--psm 6``
tied with ``--psm 4`` (0.794 against 0.766 on 6 dev scans, 0.807 against 0.947 on seed 000's). Pages are turned
upright by tesseract's orientation detection (``--psm 0``): scans rotated by 90, 180 or 270
degrees read like upright ones.

The OCR'd page is tesseract's words laid out by their boxes (:data:`OCR_GEOMETRY`; the same run
writes its plain text and its TSV word boxes; ``form4.io.geometry``): a table row tesseract read
as several blocks comes back as one line with its columns apart, as ``pdftotext -layout`` prints
a text layer. Measured on the corpus's cached OCR of 220 training-split filings' EDGAR pages
(``python benchmarks/geometry.py --model``), field F1 of plain text -> laid-out text, rules alone
and with the shipped model (trained on plain OCR text only): ``ocr-300-psm4-norules`` (this path
on a clean page) 0.828 -> 0.834 and 0.848 -> 0.858; ``scan-300-psm4-norules`` (a simulated
scan) 0.717 -> 0.759 and 0.753 -> 0.798; ``ocr-150-psm6-nohrules`` (not a runtime path)
0.731 -> 0.730 and 0.770 -> 0.762.

:func:`read_document` returns ``None`` for anything else (text), which the caller decodes as
before. A missing tool is one line saying how to install it (:class:`MissingToolError`).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..errors import BinaryInputError, EmptyInputError, InputTooLargeError, MissingToolError
from ..run.guard import die_with_parent
from .limits import check_pdf

PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
#: leading bytes -> kind (the suffix is not trusted: stdin has none)
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
)
OCR_DPI = 300
OCR_PSM = 4  # a tie with --psm 6 on the corpus's scans (see the module doc); 4 is what the model was trained on
#: OCR'd pages are tesseract's words laid out by their boxes (``form4.io.geometry``), not its plain text
OCR_GEOMETRY = True
#: a PDF page whose text layer has fewer printable characters than this is OCR'd
MIN_LAYER_CHARS = 40
#: letter paper's long side (inches): the resolution of an image that says none is its long side / this
PAGE_LONG_SIDE_INCHES = 11.0
TIMEOUT = 300.0
#: tool -> how to install it (Debian package names; training/setup.sh installs them)
INSTALL = {
    "pdftotext": "install poppler-utils (apt-get install poppler-utils)",
    "pdftoppm": "install poppler-utils (apt-get install poppler-utils)",
    "tesseract": "install tesseract-ocr (apt-get install tesseract-ocr)",
}


class UnreadableDocumentError(BinaryInputError):
    """A PDF or image that cannot be read (E002, like other binary input)."""


@dataclass(frozen=True)
class Reading:
    """The text of a PDF or image and how it was read (``text-layer:pdftotext-layout`` …)."""

    text: str
    how: str


def kind_of(data: bytes) -> str | None:
    """``"pdf"``, ``"image"`` or ``None`` (text, or anything else) from the leading bytes.

    >>> kind_of(b"%PDF-1.7 ..."), kind_of(b"\\xff\\xd8\\xff\\xe0..."), kind_of(b"FORM 4")
    ('pdf', 'image', None)
    """
    if b"%PDF-" in data[:1024]:  # the PDF header may follow a little junk
        return "pdf"
    head = data[:16]
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def source_with(source: str | None, how: str) -> str:
    """The record's ``source``: the input and the path taken, ``"<input> (<how>)"``.

    >>> source_with("scan.pdf", "ocr:tesseract-psm4-300dpi")
    'scan.pdf (ocr:tesseract-psm4-300dpi)'
    """
    return f"{source or '-'} ({how})"


def _run(tool: str, args: list[str], source: str | None, **kwargs) -> subprocess.CompletedProcess:
    if shutil.which(tool) is None:
        raise MissingToolError(f"{tool} is needed to read PDFs and images and is not installed; {INSTALL[tool]}", source)
    try:
        return subprocess.run([tool, *args], capture_output=True, timeout=TIMEOUT, check=False,
                              preexec_fn=die_with_parent, **kwargs)  # dies with the worker, even one killed
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocumentError(f"{tool} took over {TIMEOUT:.0f} s; check the file", source) from exc


# ---------------------------------------------------------------- PDF
def text_layer(pdf: Path, source: str | None = None) -> tuple[list[str], str]:
    """The text layer of every page (a scanned page gives ``""``) and the library that read it:
    poppler's ``pdftotext -layout`` when it is installed, else pypdfium2 (a Python wheel, so PDFs
    read after ``pip install`` alone; plain text: it has no layout mode)."""
    if shutil.which("pdftotext") is None:
        return _pdfium_text(pdf, source), "pypdfium2"
    proc = _run("pdftotext", ["-layout", "-enc", "UTF-8", str(pdf), "-"], source)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableDocumentError(f"not a readable PDF ({detail[-1] if detail else 'pdftotext failed'}); "
                                      "check that the file is a complete PDF", source)
    pages = proc.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]  # pdftotext ends every page, the last one too, with a form feed
    return pages, "pdftotext-layout"


def _pdfium(pdf: Path, source: str | None):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as exc:
        raise UnreadableDocumentError(f"not a readable PDF ({exc}); check that the file is a complete PDF", source) from exc


def _pdfium_text(pdf: Path, source: str | None) -> list[str]:
    document = _pdfium(pdf, source)
    try:
        return [page.get_textpage().get_text_bounded().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def _printable(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def pdf_page_image(pdf: Path, page: int, dpi: int, source: str | None = None) -> np.ndarray:
    """Page ``page`` (1-based) of ``pdf`` as a grayscale array at ``dpi`` (poppler's ``pdftoppm``,
    else pypdfium2)."""
    from .raster import read_pgm

    if shutil.which("pdftoppm") is None:
        document = _pdfium(pdf, source)
        try:
            bitmap = document[page - 1].render(scale=dpi / 72, grayscale=True)
            return np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8).copy()
        finally:
            document.close()
    with tempfile.TemporaryDirectory(prefix="form4-page-") as tmp:
        prefix = Path(tmp) / "page"
        proc = _run("pdftoppm", ["-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf), str(prefix)], source)
        files = sorted(Path(tmp).glob("page*.pgm"))
        if proc.returncode != 0 or not files:
            raise UnreadableDocumentError(f"page {page} could not be rasterised; check the PDF", source)
        return read_pgm(files[0]).copy()


def read_pdf(data: bytes, source: str | None = None, dpi: int = OCR_DPI) -> Reading:
    """A PDF's text: its text layer, with the pages that have none OCR'd."""
    with tempfile.TemporaryDirectory(prefix="form4-pdf-") as tmp:
        pdf = Path(tmp) / "input.pdf"
        pdf.write_bytes(data)
        check_pdf(pdf, dpi, source)  # page count and sizes (form4.io.limits), before any page is read
        pages, library = text_layer(pdf, source)
        scanned = [i for i, text in enumerate(pages) if _printable(text) < MIN_LAYER_CHARS]
        for i in scanned:
            pages[i] = ocr_image(pdf_page_image(pdf, i + 1, dpi, source), dpi, source)
    if not pages:
        raise UnreadableDocumentError("the PDF has no pages; check the file", source)
    layer = f"text-layer:{library}"
    ocr = ocr_how(dpi)
    if not scanned:
        how = layer
    elif len(scanned) == len(pages):
        how = ocr
    else:
        how = f"{layer}; {ocr} on page{'s' * (len(scanned) > 1)} {','.join(str(i + 1) for i in scanned)}"
    return Reading("\f".join(pages) + "\f", how)


# ---------------------------------------------------------------- images
def image_pages(data: bytes, source: str | None = None) -> Iterator[tuple[np.ndarray, float]]:
    """Every frame of an image file as (grayscale array, dpi), decoded one at a time, each checked
    against :mod:`form4.io.limits` first; the dpi is the file's, else the long side over
    :data:`PAGE_LONG_SIDE_INCHES` (a letter page)."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    from .limits import frames

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limits are form4.io.limits'
            with Image.open(io.BytesIO(data)) as image:
                count = sum(1 for _ in frames(image, source))
            for n in range(count):
                yield _frame(data, n, source)
    except Image.DecompressionBombError as exc:
        raise InputTooLargeError(f"the image is too large to read ({exc}); scan it at 300 dpi", source) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableDocumentError(f"not a readable image ({exc}); pass a PNG, JPEG or TIFF file", source) from exc


def _frame(data: bytes, n: int, source: str | None) -> tuple[np.ndarray, float]:
    """Frame ``n`` as a grayscale array and its dpi; the file is opened again for it, so nothing
    of the frame before (or of this one in colour) is held while the page is read."""
    from PIL import Image

    from .limits import check_frame

    with Image.open(io.BytesIO(data)) as image:
        image.seek(n)
        stated = image.info.get("dpi", (0, 0))[0]
        dpi = float(stated) if stated and stated > 20 else max(image.size) / PAGE_LONG_SIDE_INCHES
        check_frame(image.size, dpi, OCR_DPI, n + 1, source)
        gray = image.convert("L")
    del image  # the decoded colour frame (up to 4 bytes a pixel) goes before the array is made
    return np.asarray(gray, dtype=np.uint8), dpi


def scaled(image: np.ndarray, dpi: float, target: int = OCR_DPI) -> np.ndarray:
    """``image`` resampled from ``dpi`` to ``target`` dpi (unchanged within 5%)."""
    if abs(dpi - target) <= 0.05 * target:
        return image
    from PIL import Image

    height, width = image.shape
    factor = target / dpi
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(Image.fromarray(image).resize(size, Image.Resampling.LANCZOS), dtype=np.uint8)


def read_image(data: bytes, source: str | None = None) -> Reading:
    texts, dpis = [], set()
    for image, dpi in image_pages(data, source):  # a frame is read before the next is decoded
        texts.append(ocr_image(scaled(image, dpi), OCR_DPI, source))
        dpis.add(round(dpi))
    dpis = sorted(dpis)
    scale = f", scaled from {'/'.join(map(str, dpis))} dpi" if dpis != [OCR_DPI] else ""
    return Reading("\f".join(texts) + "\f", f"{ocr_how(OCR_DPI)}{scale}")


def read_page_images(pages: list[tuple[str, bytes]], source: str | None = None) -> Reading:
    """Several image files, ``(name, bytes)`` in page order, the pages of one filing: one text
    (a form feed after each page), the way each was read and the pages named.

    >>> read_page_images([("p1.png", b"FORM 4 typed")], "p1.png")
    Traceback (most recent call last):
    ...
    form4.io.inputs.UnreadableDocumentError: p1.png is named as a page image but is not an image; rename it or pass it alone
    """
    from .limits import check_pages

    check_pages(len(pages), source)  # every file one page at least
    readings = []
    for name, data in pages:
        if kind_of(data) != "image":
            raise UnreadableDocumentError(f"{name} is named as a page image but is not an image; rename it or pass it alone", source)
        readings.append(read_image(data, source))
    hows = "; ".join(dict.fromkeys(reading.how for reading in readings))
    return Reading("".join(reading.text for reading in readings), f"{hows}; pages {', '.join(name for name, _ in pages)}")


# ---------------------------------------------------------------- OCR
_ROTATE = re.compile(r"Rotate:\s*(\d+)")


def orientation(image_file: Path, source: str | None = None) -> int:
    """Degrees to turn the page clockwise to make it upright (tesseract ``--psm 0``); 0 when unsure."""
    proc = _run("tesseract", [str(image_file), "-", "--psm", "0"], source, env=_env())
    match = _ROTATE.search(proc.stdout.decode("utf-8", "replace"))
    return int(match.group(1)) % 360 if proc.returncode == 0 and match else 0


def upright(image: np.ndarray, degrees: int) -> np.ndarray:
    """``image`` turned ``degrees`` (a multiple of 90) clockwise.

    >>> upright(np.array([[1, 2], [3, 4]]), 90).tolist()
    [[3, 1], [4, 2]]
    """
    return np.rot90(image, k=-(degrees // 90) % 4).copy()


def _env() -> dict[str, str]:
    from .raster import single_thread_env

    return single_thread_env()


def ocr_image(image: np.ndarray, dpi: int, source: str | None = None, psm: int | None = None) -> str:
    """One page's text: turned upright, table rules removed, tesseract ``--psm`` :data:`OCR_PSM`;
    the words laid out by their boxes (:data:`OCR_GEOMETRY`, ``form4.io.geometry``) or
    tesseract's plain text. One tesseract run writes both."""
    from .raster import remove_rules, write_pgm

    with tempfile.TemporaryDirectory(prefix="form4-ocr-") as tmp:
        page = Path(tmp) / "page.pgm"
        write_pgm(page, image[::2, ::2])  # orientation needs no detail: half the resolution, a quarter of the time
        degrees = orientation(page, source)
        if degrees:
            image = upright(image, degrees)
        write_pgm(page, remove_rules(image, dpi))
        out = Path(tmp) / "ocr"
        args = [str(page), str(out), "--psm", str(psm or OCR_PSM), "--dpi", str(dpi), "-l", "eng", "txt", "tsv"]
        proc = _run("tesseract", args, source, env=_env())
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UnreadableDocumentError(f"tesseract failed ({detail[-1] if detail else proc.returncode}); check the image", source)
        plain, tsv = (_read_output(out.with_suffix(suffix)) for suffix in (".txt", ".tsv"))
    return _page_text(plain, tsv)


def _read_output(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _page_text(plain: str, tsv: str) -> str:
    """The page's text from tesseract's two outputs: the words laid out by their boxes when
    :data:`OCR_GEOMETRY` holds and the boxes hold words, else the plain text.

    >>> _page_text("Common Stock 46,780\\n", "")
    'Common Stock 46,780\\n'
    """
    from .geometry import layout_page, parse_tsv

    words, _ = parse_tsv(tsv)
    return layout_page(words) if OCR_GEOMETRY and words else plain


def ocr_how(dpi: int) -> str:
    """How a page was OCR'd, for the record's ``source``.

    >>> ocr_how(300)
    'ocr:tesseract-psm4-300dpi-geometry'
    """
    return f"ocr:tesseract-psm{OCR_PSM}-{dpi}dpi{'-geometry' if OCR_GEOMETRY else ''}"


# ---------------------------------------------------------------- entry point
def decode(data: bytes, source: str | None = None) -> str:
    """Bytes -> text; typed errors for empty and binary input."""
    if not data.strip():
        raise EmptyInputError("the input is empty; pass the text of a Form 4 filing", source)
    head = data[:8192]
    if b"\x00" in head or head.startswith(b"%PDF"):
        if head.startswith(b"%PDF"):  # only where text is wanted (an annotation task): extract reads PDFs itself
            raise BinaryInputError("a PDF, where text is needed; flatten it first, e.g. `pdftotext -layout FILE.pdf`", source)
        raise BinaryInputError("the input is binary: neither text nor a PDF or image (PNG, JPEG, TIFF) form4 reads; "
                               "pass the filing's text, its PDF or its page images", source)
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 50):
        raise BinaryInputError("the input is not UTF-8 text; convert it to UTF-8 text first", source)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(data: bytes, source: str | None = None) -> Reading | None:
    """The text of a PDF or image file and how it was read; ``None`` for anything else."""
    kind = kind_of(data)
    if kind == "pdf":
        return read_pdf(data, source)
    if kind == "image":
        return read_image(data, source)
    return None


def read_input_bytes(data: bytes, source: str | None = None) -> tuple[str, str | None]:
    """(text, source) of an input's bytes: PDFs and images read here, with the path taken named
    in the source (:func:`source_with`); anything else decoded as text, its source unchanged."""
    reading = read_document(data, source)
    if reading is None:
        return decode(data, source), source
    if not reading.text.strip():
        raise BinaryInputError(f"no text was found in it ({reading.how}); check that the file shows a filing", source)
    return reading.text.replace("\r\n", "\n"), source_with(source, reading.how)
