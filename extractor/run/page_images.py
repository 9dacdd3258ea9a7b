"""Page images of one filing: image files named as the pages of one document are one input.

The rule (what a user does): give the page images names that differ only in a page number written
after a page word — ``p``, ``pg`` or ``page``, any case, with or without a ``-``, ``_``, ``.`` or
space before the number — and keep them in one folder: ``p1.png p2.png``,
``acme-page-01.jpg acme-page-02.jpg``, ``scan_pg1.tif scan_pg2.tif``. Such images (two or more)
are read as one filing, in page-number order, whether the folder or the files were named on the
command line; its output is named after the first page (``p1.json``) and its ``source`` lists the
pages. One page alone, and images numbered without a page word (``scan1.png scan2.png``: separate
scans as often as pages), are inputs of their own. A multi-page TIFF is one filing already.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path, PurePath

from ..io.inputs import IMAGE_SUFFIXES
from .items import Input

#: a page image's stem: anything not ending in a letter, a page word, separators, the page number
_PAGE = re.compile(r"^(?P<name>(?:.*[^a-z])?(?:page|pg|p)[-_. ]*)(?P<number>\d{1,4})$", re.I)


def page_of(name: str) -> tuple[str, int] | None:
    """(the image's name without its page number, the page number), or ``None`` for a file not
    named as a page image.

    >>> page_of("p2.png"), page_of("ACME_Page-01.JPG"), page_of("scan1.png"), page_of("p2.txt")
    (('p#.png', 2), ('acme_page-#.jpg', 1), None, None)
    """
    path = PurePath(name)
    suffix = path.suffix.lower()
    match = _PAGE.match(path.stem) if suffix in IMAGE_SUFFIXES else None
    if match is None:
        return None
    return f"{match['name'].lower()}#{suffix}", int(match["number"])


def group_pages(items: list[Input]) -> list[Input]:
    """``items`` with each set of two or more page images of one document (same folder, names that
    differ only in the page number: :func:`page_of`) made one input, at the place of its first
    page, its pages in page-number order.

    >>> items = [Input(Path(n), Path(n), n) for n in ("p2.png", "notes.txt", "p1.png", "p10.png", "scan1.png")]
    >>> [(i.source, [p.name for p in i.pages]) for i in group_pages(items)]
    [('p1.png', ['p1.png', 'p2.png', 'p10.png']), ('notes.txt', []), ('scan1.png', [])]
    """
    groups: dict[tuple[str, str], list[tuple[int, str, Input]]] = {}
    keys: list[tuple[str, str] | None] = []
    for item in items:
        found = page_of(item.path.name) if item.path is not None and not item.pages else None
        key = (os.path.abspath(item.path.parent), found[0]) if found and item.path is not None else None
        keys.append(key)
        if key is not None and found is not None:
            groups.setdefault(key, []).append((found[1], item.path.name, item))  # type: ignore[union-attr]
    out: list[Input] = []
    placed: set[tuple[str, str]] = set()
    for item, key in zip(items, keys):
        members = groups[key] if key is not None else []
        if len(members) < 2:
            out.append(item)
        elif key not in placed:  # the group stands once, where its first file stood
            placed.add(key)  # type: ignore[arg-type]
            ordered = [member for _, _, member in sorted(members, key=lambda m: (m[0], m[1]))]
            out.append(replace(ordered[0], pages=tuple(member.path for member in ordered if member.path is not None)))
    return out
