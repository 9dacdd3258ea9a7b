"""Limits a PDF or image must fit before anything in it is decoded.

A few hundred bytes can describe a page too large to rasterise (a 150-inch PDF page is 2 GB at
300 dpi) and a few hundred kilobytes hundreds of TIFF frames, so the sizes are read from the
file's header first and checked against these documented limits; an input over one is
:class:`InputTooLargeError` (E027), one line, never read:

* at most :data:`MAX_PAGES` pages (PDF pages, image frames): a Form 4 prints on 1-5 pages;
* at most :data:`MAX_PAGE_INCHES` inches a side (a page's stated size);
* at most :data:`MAX_PAGE_PIXELS` pixels a page, as stored in an image file and at the OCR
  resolution (a letter page at 300 dpi is 8.4 million).

Within them one page at a time is decoded and read: every page of the largest input stays
under 1 GB of memory (``benchmarks/hostile.py``). The worker processes add an address-space
and a CPU limit of their own (:mod:`form4.run.guard`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..errors import BinaryInputError, InputTooLargeError
from ..run.guard import die_with_parent

MAX_PAGES = 50
MAX_PAGE_INCHES = 60.0
MAX_PAGE_PIXELS = 100_000_000
POINTS_PER_INCH = 72.0
TOOL_TIMEOUT = 60.0  # seconds for pdfinfo to list the pages (it reads the page tree, never a page)


def check_pages(count: int, source: str | None = None) -> None:
    """
    >>> check_pages(3)
    >>> check_pages(500)
    Traceback (most recent call last):
    ...
    form4.errors.InputTooLargeError: it has over 50 pages (a Form 4 prints on a few); split the file
    """
    if count > MAX_PAGES:
        raise InputTooLargeError(f"it has over {MAX_PAGES} pages (a Form 4 prints on a few); split the file", source)


def check_page(width_in: float, height_in: float, dpi: float, page: int, source: str | None = None,
               stored: tuple[int, int] | None = None) -> None:
    """A page of ``width_in`` x ``height_in`` inches read at ``dpi`` (and ``stored`` pixels in its file).

    >>> check_page(8.5, 11, 300, 1)
    >>> check_page(150, 150, 300, 2)
    Traceback (most recent call last):
    ...
    form4.errors.InputTooLargeError: page 2 is 150 x 150 inches (over 60 a side); check the file
    """
    if max(width_in, height_in) > MAX_PAGE_INCHES:
        raise InputTooLargeError(f"page {page} is {width_in:.0f} x {height_in:.0f} inches (over {MAX_PAGE_INCHES:.0f} a side); check the file", source)
    pixels = (width_in * dpi) * (height_in * dpi)
    if stored is not None:
        pixels = max(pixels, stored[0] * stored[1])
    if pixels > MAX_PAGE_PIXELS:
        raise InputTooLargeError(f"page {page} is {pixels / 1e6:.0f} megapixels (over {MAX_PAGE_PIXELS / 1e6:.0f}); "
                                 "scan it at 300 dpi or split it", source)


# ---------------------------------------------------------------- PDF
_PAGES = re.compile(rb"^Pages:\s+(\d+)", re.M)
_MEDIA_BOX = re.compile(rb"^Page\s+(\d+)\s+MediaBox:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", re.M)


def check_pdf(pdf: Path, dpi: float, source: str | None = None) -> None:
    """Page count and every page's size, read from the PDF's page tree by the library that will
    render it: poppler's ``pdfinfo`` (``pdftoppm`` renders the media box), else pypdfium2."""
    if shutil.which("pdfinfo") is not None and shutil.which("pdftoppm") is not None:
        sizes = _poppler_sizes(pdf, source)
    else:
        sizes = _pdfium_sizes(pdf, source)
    for n, (width, height) in enumerate(sizes, 1):
        check_page(width / POINTS_PER_INCH, height / POINTS_PER_INCH, dpi, n, source)


def _poppler_sizes(pdf: Path, source: str | None) -> list[tuple[float, float]]:
    try:
        proc = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", str(MAX_PAGES + 1), str(pdf)],
                              capture_output=True, timeout=TOOL_TIMEOUT, check=False,
                              preexec_fn=die_with_parent)
    except subprocess.TimeoutExpired:
        raise BinaryInputError(f"pdfinfo took over {TOOL_TIMEOUT:.0f} s to list its pages; check the file", source) from None
    found = _PAGES.search(proc.stdout)
    if proc.returncode != 0 or not found:
        return []  # not a readable PDF: pdftotext says so in its own words
    check_pages(int(found.group(1)), source)
    sizes = []
    for match in _MEDIA_BOX.finditer(proc.stdout):
        try:
            x0, y0, x1, y1 = (float(v) for v in match.groups()[1:])
        except ValueError:
            continue
        sizes.append((abs(x1 - x0), abs(y1 - y0)))
    return sizes


def _pdfium_sizes(pdf: Path, source: str | None) -> list[tuple[float, float]]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError:
        return []  # not a readable PDF: the reader says so in its own words
    try:
        check_pages(len(document), source)
        return [document.get_page_size(i) for i in range(len(document))]
    finally:
        document.close()


# ---------------------------------------------------------------- images
def frames(image, source: str | None = None):
    """Each frame of an open PIL image, the frames counted first (a seek through the file's
    frame list: nothing decoded); over :data:`MAX_PAGES` is refused.

    Yields the image positioned on each frame.
    """
    width, height = image.size  # an animated image's canvas: seeking a frame decodes into it
    if width * height > MAX_PAGE_PIXELS:
        raise InputTooLargeError(f"page 1 is {width * height / 1e6:.0f} megapixels (over {MAX_PAGE_PIXELS / 1e6:.0f}); "
                                 "scan it at 300 dpi or split it", source)
    try:
        image.seek(MAX_PAGES)
    except EOFError:
        pass
    else:
        check_pages(MAX_PAGES + 1, source)
    for index in range(MAX_PAGES):
        try:
            image.seek(index)
        except EOFError:
            return
        yield image


def check_frame(size: tuple[int, int], dpi: float, target: float, page: int, source: str | None = None) -> None:
    """A stored frame of ``size`` pixels at ``dpi``, to be read at ``target`` dpi."""
    width, height = size
    check_page(width / dpi, height / dpi, target, page, source, stored=(width, height))
