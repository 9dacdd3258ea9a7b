"""OCR of the printed page with tesseract, the table rules optionally removed first, and of a
simulated scan of it (skewed, blurred, noisy, JPEG-compressed)."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from form4.io.raster import read_pgm, remove_rules, single_thread_env, write_pgm

from .command import ConverterError, run_command


RULES = ("keep", "horizontal", "all")
#: rule setting -> the suffix of the converter names that use it
RULE_SUFFIX = {"keep": "keeprules", "horizontal": "nohrules", "all": "norules"}


def _check_rules(rules: str) -> None:
    if rules not in RULES:
        raise ValueError(f"rules must be keep, horizontal or all, not {rules!r}")


def ocr(pdf: Path, dpi: int, psm: int, rules: str = "keep") -> str:
    """Rasterise ``pdf`` to grayscale PGM at ``dpi`` and OCR all pages with tesseract.

    ``rules`` is ``"keep"``, ``"horizontal"`` (remove horizontal table rules only, the
    vertical ones stay and OCR reads them as ``|``) or ``"all"`` (see
    :func:`remove_rules`).  PGM (uncompressed) is ~8x faster to write than PNG at
    300 dpi.  Tesseract reads the page list from a file, runs single-threaded and
    separates pages with ``\\f``.
    """
    _check_rules(rules)
    clean = None if rules == "keep" else partial(_without_rules, dpi=dpi, rules=rules)
    return _ocr_raster(pdf, dpi, psm, f"ocr-{dpi}-psm{psm}-{RULE_SUFFIX[rules]}", clean)


def _without_rules(images: list[np.ndarray], dpi: int, rules: str) -> list[np.ndarray]:
    """``images`` with their table rules painted white (``rules``: see :func:`ocr`)."""
    if rules == "keep":
        return images
    return [remove_rules(image, dpi, vertical=rules == "all") for image in images]


def _ocr_raster(
    pdf: Path, dpi: int, psm: int, name: str, clean: Callable[[list[np.ndarray]], list[np.ndarray]] | None
) -> str:
    """``pdftoppm`` the pages, pass their images through ``clean`` (if any), OCR them.

    Tesseract writes its word boxes too (``tsv``, one run for both): they are kept beside the
    PDF as ``<name>.tsv`` so that the corpus can lay the words out by their geometry later
    without running OCR again.
    """
    with tempfile.TemporaryDirectory(prefix="form4-ocr-") as tmp:
        prefix = Path(tmp) / "page"
        run_command(name, ["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(prefix)])
        pages = sorted(Path(tmp).glob("page*.pgm"), key=_page_number)
        if not pages:
            raise ConverterError(name, "pdftoppm produced no pages")
        if clean is not None:
            for page, image in zip(pages, clean([read_pgm(page) for page in pages]), strict=True):
                write_pgm(page, image)
        listing = Path(tmp) / "pages.txt"
        listing.write_text("".join(f"{page}\n" for page in pages), encoding="utf-8")
        base = Path(tmp) / "ocr"
        cmd = ["tesseract", str(listing), str(base), "--psm", str(psm), "-l", "eng", "txt", "tsv"]
        run_command(name, cmd, env=single_thread_env())
        text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        tsv = base.with_suffix(".tsv")
        if tsv.exists():
            shutil.copyfile(tsv, pdf.parent / f"{name}.tsv")
        return text


# ------------------------------------------------------------ scan simulation


@dataclass(frozen=True)
class ScanSettings:
    """How one simulated scan degrades a page (drawn per document by :func:`scan_settings`)."""

    skew: tuple[float, ...]  # degrees per page, counter-clockwise
    blur: float  # Gaussian radius in pixels
    noise: float  # standard deviation of the added gray-level noise
    quality: int  # JPEG quality the scanner saved with


#: Ranges the scan simulation draws from: a flatbed or phone scan of a printed page.
SCAN_SKEW_DEGREES = (0.3, 1.5)  # absolute skew; the sign is drawn too
SCAN_BLUR_AT_300_DPI = (0.4, 1.1)  # Gaussian radius in 300-dpi pixels (scaled to the dpi)
SCAN_NOISE_SIGMA = (3.0, 12.0)
SCAN_JPEG_QUALITY = (40, 80)


def document_seed(images: Sequence[np.ndarray]) -> int:
    """A seed from a document's first page raster: the same page scans the same way.

    >>> page = np.full((4, 4), 255, dtype=np.uint8)
    >>> document_seed([page]) == document_seed([page.copy()])
    True
    """
    return int(hashlib.sha1(np.ascontiguousarray(images[0]).tobytes()).hexdigest()[:8], 16)


def scan_settings(seed: int, pages: int, dpi: int) -> ScanSettings:
    """One document's scan: a skew per page, one blur, noise level and JPEG quality.

    >>> s = scan_settings(7, 2, 300)
    >>> len(s.skew), all(0.3 <= abs(a) <= 1.5 for a in s.skew), 40 <= s.quality <= 80
    (2, True, True)
    >>> scan_settings(7, 2, 300) == s
    True
    """
    rng = np.random.default_rng(seed)
    skew = tuple(float(rng.uniform(*SCAN_SKEW_DEGREES) * rng.choice((-1, 1))) for _ in range(pages))
    blur = float(rng.uniform(*SCAN_BLUR_AT_300_DPI)) * dpi / 300
    noise = float(rng.uniform(*SCAN_NOISE_SIGMA))
    quality = int(rng.integers(SCAN_JPEG_QUALITY[0], SCAN_JPEG_QUALITY[1] + 1))
    return ScanSettings(skew, blur, noise, quality)


def simulate_scan(image: np.ndarray, skew: float, blur: float, noise: float, quality: int, seed: int) -> np.ndarray:
    """A grayscale page as a scanner returns it: rotated, blurred, noisy, JPEG-compressed.

    The page keeps its size (corners rotated in are white).

    >>> page = np.full((60, 80), 255, dtype=np.uint8); page[20:24, 10:70] = 0
    >>> out = simulate_scan(page, 1.0, 0.8, 6.0, 60, seed=1)
    >>> out.shape, out.dtype.name, bool((out != page).any())
    ((60, 80), 'uint8', True)
    >>> bool((out == simulate_scan(page, 1.0, 0.8, 6.0, 60, seed=1)).all())
    True
    """
    from PIL import Image, ImageFilter

    picture = Image.fromarray(image, mode="L").rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    picture = picture.filter(ImageFilter.GaussianBlur(blur))
    grains = np.random.default_rng(seed).normal(0.0, noise, size=image.shape)
    noisy = np.clip(np.asarray(picture, dtype=np.float64) + grains, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noisy, mode="L").save(buffer, format="JPEG", quality=quality)
    buffer.seek(0)
    return np.asarray(Image.open(buffer).convert("L"), dtype=np.uint8)


def _scanned(images: list[np.ndarray], dpi: int, rules: str) -> list[np.ndarray]:
    """Every page through :func:`simulate_scan` (seeded per document), then rule removal."""
    seed = document_seed(images)
    settings = scan_settings(seed, len(images), dpi)
    scans = [
        simulate_scan(image, skew, settings.blur, settings.noise, settings.quality, seed + page)
        for page, (image, skew) in enumerate(zip(images, settings.skew, strict=True))
    ]
    return _without_rules(scans, dpi, rules)


def scan_ocr(pdf: Path, dpi: int, psm: int, rules: str = "keep") -> str:
    """OCR of a simulated scan: :func:`ocr` with every page degraded before tesseract.

    The pages are rasterised at ``dpi``, skewed, blurred, given noise and JPEG
    artefacts (:func:`simulate_scan`, seeded by the document's first page, so the same
    filing always scans the same way), optionally cleared of table rules, then read.
    """
    _check_rules(rules)
    return _ocr_raster(pdf, dpi, psm, f"scan-{dpi}-psm{psm}-{RULE_SUFFIX[rules]}", partial(_scanned, dpi=dpi, rules=rules))


def _page_number(path: Path) -> int:
    """Page number from a ``pdftoppm`` file name such as ``page-07.pgm``."""
    match = re.search(r"(\d+)$", path.stem)
    return int(match.group(1)) if match else 0


def ocr_150_psm6(pdf: Path) -> str:
    """Fast, noisy OCR: 150 dpi, one uniform text block; horizontal rules removed, so
    whole rows survive while the vertical borders are still read as ``|``."""
    return ocr(pdf, 150, 6, rules="horizontal")


def ocr_300_psm4(pdf: Path) -> str:
    """Slower, near-clean OCR: 300 dpi, a single column of variable-size text, all
    table rules removed (with them tesseract drops rows and lone code letters)."""
    return ocr(pdf, 300, 4, rules="all")
