"""Page rasters for OCR: PGM files, table-rule removal and a one-core tesseract environment.

The runtime (``form4.io.inputs``) and the corpus's OCR converters (``form4.training.convert``)
clean a page the same way before tesseract reads it, so the model has seen the text a scan gives.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from scipy.ndimage import maximum_filter, maximum_filter1d, minimum_filter1d

#: Rule removal: a dark run this long (inches) is a table rule, not a glyph.  Horizontal
#: rules are >= 0.5 in (the narrowest cells are ~0.45 in wide, the widest glyph runs
#: such as "W" or an underscore are < 0.2 in); vertical rules >= 0.22 in (a 12 pt
#: glyph with descender is ~0.17 in tall).
RULE_H_INCHES = 0.5
RULE_V_INCHES = 0.22
_DARK = 200  # gray level below which a pixel counts as ink (antialiased rule edges included)


def read_pgm(path: Path) -> np.ndarray:
    """A binary (P5) 8-bit PGM as a ``(height, width)`` uint8 array."""
    data = Path(path).read_bytes()
    magic, width, height, maxval = data.split(maxsplit=4)[:4]
    if magic != b"P5" or int(maxval) != 255:
        raise ValueError(f"{path}: not an 8-bit binary PGM")
    w, h = int(width), int(height)
    return np.frombuffer(data, dtype=np.uint8, offset=len(data) - w * h).reshape(h, w)


def write_pgm(path: Path, image: np.ndarray) -> None:
    """Write a ``(height, width)`` uint8 array as a binary PGM."""
    h, w = image.shape
    Path(path).write_bytes(b"P5\n%d %d\n255\n" % (w, h) + np.ascontiguousarray(image).tobytes())


def long_runs(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels of ``ink`` (0/1) on a run of at least ``length`` (made odd) along ``axis``.

    A morphological opening with a line: running minimum, then running maximum
    (scipy's 1-d filters cost O(pixels) whatever the length).

    >>> long_runs(np.array([[1, 1, 1, 0, 1, 1]], dtype=np.uint8), 3, 1).tolist()
    [[1, 1, 1, 0, 0, 0]]
    """
    size = length | 1  # odd: erosion and dilation windows are centred alike
    eroded = minimum_filter1d(ink, size, axis=axis, mode="constant", cval=0)
    return maximum_filter1d(eroded, size, axis=axis, mode="constant", cval=0)


def remove_rules(image: np.ndarray, dpi: int, vertical: bool = True) -> np.ndarray:
    """Paint table rules white: long horizontal (and, if ``vertical``, vertical) ink runs.

    Generic raster clean-up (no knowledge of the page's content): tesseract's layout
    analysis drops whole table rows and lone cell letters when the boxes are drawn,
    and reads vertical rules as ``|``.  The mask grows by one pixel to take the
    antialiased edges of the rule with it.  About 0.2 CPU-s per 300-dpi page.
    """
    ink = (image < _DARK).astype(np.uint8)
    mask = long_runs(ink, round(dpi * RULE_H_INCHES), 1)
    if vertical:
        mask |= long_runs(ink, round(dpi * RULE_V_INCHES), 0)
    return np.where(maximum_filter(mask, size=3).astype(bool), np.uint8(255), image)



def single_thread_env() -> dict[str, str]:
    """Environment that keeps tesseract on one core (we parallelise across filings)."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


