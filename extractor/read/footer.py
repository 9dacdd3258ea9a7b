"""Explanation of Responses, Remarks and the signature block -> footnotes, remarks, signatures."""

from __future__ import annotations

import re
from ..form import fields as F
from ..form import evidence as E
from ..entities import Entity, Footer, FootnoteText
from ..form.normalize import DATE_IN_TEXT, clean_text, mend_split_digits, mend_split_digits_mapped
from .sections import ANCHORS, FOOTNOTE_START, Sections, Span, signer_start


def _body(text: str, span: Span, anchor: str) -> tuple[int, int]:
    m = ANCHORS[anchor].search(text, span.start, span.end) if span else None
    start = m.end() if m else span.start
    return start, span.end


def read_footnotes(text: str, span: Span) -> tuple[FootnoteText, ...]:
    if not span:
        return ()
    start, end = _body(text, span, "explanation")
    marks = list(FOOTNOTE_START.finditer(text, start, end))
    out: list[FootnoteText] = []
    # a copy of the form that continues a filing (Instruction 6(b)) goes on with the filing's
    # numbers: where the notes begin with a number above 1, they count up from it
    expected = int(next(g for g in marks[0].groups() if g)) if marks and not text[start : marks[0].start()].strip(" \t\n:*#") else 1
    if expected > 1 and any(int(next(g for g in m.groups() if g)) == 1 for m in marks):
        expected = 1
    kept = []
    for m in marks:  # keep marks that count up 1, 2, 3 ... (a "2." inside a note is text)
        number = int(next(g for g in m.groups() if g))
        if number == expected:
            kept.append((m, number))
            expected += 1
    for k, (m, number) in enumerate(kept):
        body_end = kept[k + 1][0].start() if k + 1 < len(kept) else end
        raw = text[m.end() : body_end]
        value = clean_text(mend_split_digits(raw).replace("\\$", "$")).value
        value = value.rstrip("#* ").strip() if value else None
        if value:
            out.append(FootnoteText(f"F{number}", m.end(), m.end() + len(raw.rstrip()), value))
    return tuple(out)


_JUNK = re.compile(r"^[\s*_#:\\]*$")


def read_remarks(text: str, span: Span) -> Entity | None:
    if not span:
        return None
    start, end = _body(text, span, "remarks")
    raw = text[start:end]
    value = clean_text(raw.replace("\\", "")).value
    if value is None or _JUNK.match(value):
        return None
    value = value.strip("* ").strip() or None
    if value is None:
        return None
    lead = len(raw) - len(raw.lstrip(" \t\n*:\\#"))
    return Entity("REMARKS", start + lead, start + len(raw.rstrip()), raw.strip(), E.WORDS, value_text=value)


_SIG_SPLIT = re.compile(r"(?=(?:^|\s)(?:\\?/s\\?/))", re.I)


def read_signatures(text: str, span: Span) -> tuple[tuple[Entity, ...], ...]:
    """One (name, date) group per ``/s/`` signature; without ``/s/`` the block is one signature."""
    if not span:
        return ()
    label = ANCHORS["signature_label"].search(text, span.start, span.end)
    end = label.start() if label else span.end
    block = text[span.start : end]
    marks = [span.start + m.start() for m in re.finditer(r"\\?/s\\?/", block, re.I)]
    starts = [0] + [_next_signer(text, previous, at) - span.start for previous, at in zip(marks, marks[1:])]
    groups = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(block)
        groups.append(_signature(text, span.start + s, span.start + e))
    if label and len(groups) == 1 and not any(x.label == F.SIGNATURE_DATE for x in groups[0]):
        # reading-order converters print the date after the label: "** Signature of Reporting Person / 03/01/2024 / Date"
        if date := DATE_IN_TEXT.search(text, label.end(), min(len(text), label.end() + 40)):
            groups[0] = groups[0] + (Entity(F.SIGNATURE_DATE, date.start(), date.end(), date.group(0), E.JOINED),)
    return tuple(g for g in groups if g)


def _next_signer(text: str, previous: int, at: int) -> int:
    """Where the signature of the ``/s/`` at ``at`` begins, the one at ``previous`` before it: after
    the date that ends the previous signature on this line, else at this line, with the entity
    lines above it that come after that date."""
    dates = list(DATE_IN_TEXT.finditer(text, previous, at))
    line = text.rfind("\n", previous, at) + 1
    if dates and dates[-1].end() > line:
        return dates[-1].end()  # "/s/ Ann Lee 05/01/2012 /s/ Bo Lee 05/01/2012" on one line
    floor = dates[-1].end() if dates else max(line, previous)
    return signer_start(text, max(line, previous), floor)


_IN_FACT = re.compile(r"\b(in)-\s+(fact)\b", re.I)
_ATTORNEY_OCR = re.compile(r"\b([Aa])tto(?:m|mm|rm|nn)ey\b")


def _signature(text: str, start: int, end: int) -> tuple[Entity, ...]:
    chunk = text[start:end]
    where = list(range(len(chunk) + 1))  # offset in ``chunk`` of each character of the view read
    if "\t" in chunk and not DATE_IN_TEXT.search(chunk):
        # "01/04/201⇥12": a date split over two tab cells; the block is read mended, its
        # offsets mapped back to the text
        chunk, where = mend_split_digits_mapped(chunk)
    date = DATE_IN_TEXT.search(chunk)
    after = chunk[date.end() :] if date else ""
    if date and re.search(r"[A-Za-z]", after):  # the name wraps around the date: "..., Attorney-in-fact for / 09/11/2020 / Reid G. Hoffman"
        name_end = start + where[date.end() + len(after.rstrip())]
        name_text = chunk[: date.start()] + " " + after
    else:
        name_end = start + where[date.start() if date else len(chunk)]
        name_text = text[start:name_end]
    name_raw = text[start:name_end]
    name_text = re.sub(r"(?<=[a-z])-[ \t]*\n\s*(?=[a-z])", "-", name_text)  # "Attorney-in-" / "fact"
    name_text = _ATTORNEY_OCR.sub(lambda m: m.group(1) + "ttorney", name_text)  # "Attomey", "Attommey": OCR's rn -> m
    name_text = _IN_FACT.sub(r"\1-\2", name_text.replace("_", " "))  # OCR's signature underline; "Attorney-in- Fact"
    name = clean_text(name_text.replace("\\/", "/").replace("\\", "")).value
    out = []
    if name:
        name = name.strip(" *-")
        lead = len(name_raw) - len(name_raw.lstrip())
        out.append(Entity(F.SIGNER_NAME, start + lead, start + len(name_raw.rstrip()), name_raw.strip(), E.IN_BOX, value_text=name))
    if date:
        s, e = start + where[date.start()], start + where[date.end()]
        out.append(Entity(F.SIGNATURE_DATE, s, e, text[s:e], E.PRINTED, value_text=date.group(0)))
    return tuple(out)


def read_footer(sections: Sections) -> Footer:
    text = sections.prose  # prose a converter left inside table cells or tags
    return Footer(
        footnotes=read_footnotes(text, sections.explanation),
        remarks=read_remarks(text, sections.remarks),
        signatures=read_signatures(text, sections.signature),
    )
