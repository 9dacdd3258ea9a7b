"""Header boxes 1-6 -> entities (rules).

The boxes are cut and read in ``boxes``; where OCR merged them, the owner is read again
line by line (``merged_owner``); the two checkboxes above the boxes are read here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..form import fields as F
from ..form import evidence as E
from .original_date import original_date_after_label
from .address import read_box1
from .boxes import Piece, cut_boxes, first_date
from .relationship import read_box5
from .issuer import issuer_anywhere, read_box2
from ..entities import Checkbox, Entity, HeaderEntities
from .layout import blank_markup
from .merged_owner import doubted, implausible, owner_doubtful, read_merged_owner, split_owner_from_issuer
from ..form.normalize import parse_checkbox
from ..form.labels import run
from .sections import ANCHORS, Sections, Span


def read_more_owners(sections: Sections) -> list[tuple[tuple[Entity, ...], dict[str, Checkbox]]]:
    """The 2nd, 3rd ... owners: one name/address block and one relationship block each."""
    text = sections.text
    span = sections.more_owners
    labels = list(ANCHORS["box1"].finditer(text, span.start, span.end))
    out = []
    for k, label in enumerate(labels):
        # from its line's start (the box number, the cells before it), not before the last label's end
        floor = labels[k - 1].end() if k else span.start
        start = text.rfind("\n", floor, label.start()) + 1 or floor
        block = Span(start, labels[k + 1].start() if k + 1 < len(labels) else span.end)
        boxes = cut_boxes(sections, block)
        owner = read_box1(text, boxes.pieces["box1"])
        rel, titles = read_box5(text, boxes.pieces["box5"])
        out.append((tuple(owner + titles), rel))
    return out


# ---------------------------------------------------------------- whole header
# the box's own sentence; grid tables wrap it, so "to Section 16" may be cut off
_SECTION16 = re.compile(r"\s+".join(run("not_subject", "no", 3)) + r"(?:\s+%s\s+%s\s*%s)?" % run("not_subject", "to", 3), re.I)
_AFF10B5 = re.compile(r"10b5-1\s*\(c\)|Rule\s+10b5-1", re.I)


def _checkbox_near(text: str, m: re.Match[str] | None, window: int = 220) -> tuple[bool, float] | None:
    if m is None:
        return None
    # the box is printed before the sentence "Check this box ...", which may be long
    sentence = text.rfind("Check this box", max(0, m.start() - 800), m.start())
    end = sentence if sentence >= 0 else m.start()
    line_start = text.rfind("\n", 0, end) + 1
    lead = text[max(line_start, end - window) : end]
    return (parse_checkbox(lead).value or False, E.JOINED)


def read_header(sections: Sections) -> HeaderEntities:
    text = sections.text
    boxes = cut_boxes(sections)
    owner = read_box1(text, boxes.pieces["box1"])
    header_piece = [Piece(sections.header.start, sections.header.end)]
    # OCR loses the columns: fall back to the first "[ TICKER ]" / date after the label anywhere
    issuer = read_box2(text, boxes.pieces["box2"]) or issuer_anywhere(text, sections)
    period = first_date(text, boxes.pieces["box3"], F.PERIOD_DATE)
    if period is None:
        after_label = [Piece(sections.box_anchors.get("box3", sections.header.start), sections.header.end)]
        fallback = first_date(text, after_label, F.PERIOD_DATE) or first_date(text, header_piece, F.PERIOD_DATE)
        period = replace(fallback, score=E.FALLBACK) if fallback else None
    original = first_date(text, boxes.pieces["box4"], F.ORIGINAL_DATE) or original_date_after_label(
        text, sections.box_anchors.get("box4"), period)
    dates = [e for e in (period, original) if e]
    rel, titles = read_box5(text, boxes.pieces["box5"])
    if owner_doubtful(owner, issuer):
        owner = read_merged_owner(text, sections.header.start, sections.header.end, issuer) or owner
        owner, issuer = split_owner_from_issuer(owner, issuer, text[sections.signature.start : sections.signature.end])
    elif any(implausible(e) for e in owner):
        # the cells of a table came in scrambled columns (a date read as the street): read box 1
        # line by line instead, on a view without the table's pipes and tags
        start, end = sections.header.start, sections.header.end
        plain = text[:start] + blank_markup(text[start:end])
        lined = [replace(e, text=text[e.start : e.end]) for e in read_merged_owner(plain, start, end, issuer, need_name=False)]
        if lined and not any(implausible(e) for e in lined):
            found = {e.label for e in lined}
            owner = lined + [e for e in owner if e.label not in found and not implausible(e)]
    header = text[sections.header.start : sections.header.end]
    return HeaderEntities(
        owner=tuple(doubted(owner) + titles),
        issuer=tuple(doubted(issuer)),
        dates=tuple(dates),
        relationship=rel,
        more_owners=tuple(read_more_owners(sections)),
        not_subject_to_section16=_checkbox_near(header, _SECTION16.search(header)),
        aff10b5_one=_checkbox_near(text, _AFF10B5.search(text, 0, sections.table1.start)),
    )


