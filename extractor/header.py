"""Header boxes 1-6 -> entities (rules).

Converters interleave the three header columns on one line (tabs, pipes,
runs of spaces). We cut the header into cells, give every cell to a box (by
its printed label, by the box's own anchor words, else by the box above it in
the same column), then read each box's joined text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import fields as F
from .entities import Entity, HeaderEntities
from .layout import blank_markup, split_lines
from .normalize import DATE_IN_TEXT, mend_split_digits, parse_checkbox
from .sections import ANCHORS, Sections, Span

BOXES = ("box1", "box2", "box3", "box4", "box5", "box6")
_BOX1_WORDS = re.compile(r"\((?:Last|First|Middle|Street|City|State|Zip|;ate)\)", re.I)
_BOX5_WORDS = re.compile(
    r"Direc|10%\s*O|Officer|Other\s*\(|\bbelow\b|specify|give\s+title|Check\s+all|applicable\)", re.I
)
_BOX6_WORDS = re.compile(r"Form\s+filed\s+by|Joint/Group|Reporting\s+Person\s*$", re.I)


@dataclass(frozen=True)
class Piece:
    """A part of a box: ``text[start:end]``, in reading order."""

    start: int
    end: int


@dataclass
class Boxes:
    pieces: dict[str, list[Piece]] = field(default_factory=lambda: {b: [] for b in BOXES})


def _label_hits(text: str, start: int, end: int) -> list[tuple[int, str]]:
    hits = []
    for box in BOXES:
        for m in ANCHORS[box].finditer(text, start, end):
            # include a leading "N." box number in the label
            s = m.start()
            pre = text[max(start, s - 4) : s]
            if re.search(r"\d\.\s*$", pre):
                s -= len(pre) - re.search(r"\d\.\s*$", pre).start()
            hits.append((s, box))
    return sorted(hits)


def cut_boxes(sections: Sections, span: "Span | None" = None) -> Boxes:
    """Give every header cell to a box.

    Tab and pipe tables keep a box in the same column index; ``pdftotext -layout``
    keeps it at the same horizontal position, so there a cell belongs to the
    nearest box label at or left of it.
    """
    text = sections.text
    boxes = Boxes()
    column_box: dict[int, str] = {}
    x_labels: dict[int, str] = {}
    span = span or sections.header
    for line in split_lines(text, span.start, span.end):
        by_position = "\t" not in line.text and "|" not in line.text
        for cell in line.cells:
            if not cell.text:
                continue
            x = cell.start - line.start
            hits = _label_hits(text, cell.start, cell.end)
            if hits:
                if hits[0][0] > cell.start:
                    _assign_unlabelled(text, boxes, _column_of(column_box, x_labels, cell.column, x, by_position), cell.start, hits[0][0])
                bounds = [h[0] for h in hits] + [cell.end]
                for (s, box), e in zip(hits, bounds[1:]):
                    boxes.pieces[box].append(Piece(s, e))
                    if by_position:
                        x_labels[s - line.start] = box
                column_box[cell.column] = column_box[-1] = hits[-1][1]
            else:
                box = _assign_unlabelled(text, boxes, _column_of(column_box, x_labels, cell.column, x, by_position), cell.start, cell.end)
                if box:
                    column_box[cell.column] = column_box[-1] = box
    return boxes


def _column_of(column_box: dict[int, str], x_labels: dict[int, str], column: int, x: int, by_position: bool) -> str | None:
    if by_position and x_labels:
        left = [lx for lx in x_labels if lx <= x + 3]
        if left:
            return x_labels[max(left)]
    # unknown column (HTML read in document order): the box read last
    return column_box.get(column, column_box.get(-1))


def _assign_unlabelled(text: str, boxes: Boxes, column: str | None, s: int, e: int) -> str | None:
    chunk = text[s:e]
    if _BOX1_WORDS.search(chunk):
        box = "box1"
    elif _BOX6_WORDS.search(chunk):
        box = "box6"
    elif _BOX5_WORDS.search(chunk):
        box = "box5"
    else:
        box = column
        if box is None or not boxes.pieces[box]:
            return None
    boxes.pieces[box].append(Piece(s, e))
    return box


# ---------------------------------------------------------------- reading boxes
_TOKEN = re.compile(r"<br\s*/?>|<[^>]+>|[^\s<]+", re.I)


def _box_tokens(text: str, pieces: list[Piece]) -> list[tuple[int, int, str]]:
    """Word tokens of a box with offsets; line breaks (cell ends, <br>, </u>) become "\\n"."""
    out: list[tuple[int, int, str]] = []
    for piece in pieces:
        for m in _TOKEN.finditer(text, piece.start, piece.end):
            tok = m.group(0)
            if tok.startswith("<"):
                low = tok.lower()
                if low.startswith("<br") or low.startswith("</u") or low.startswith("<u"):
                    out.append((m.start(), m.start(), "\n"))
                elif "checked" in low:
                    out.append((m.start(), m.end(), "X"))
                continue
            out.append((m.start(), m.end(), tok))
        out.append((piece.end, piece.end, "\n"))
        # a new line of the source text is a break too
    return out


def _entity(label: str, toks: list[tuple[int, int, str]], text: str, score: float, value: str | None = None) -> Entity | None:
    words = [t for t in toks if t[2] != "\n"]
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    joined = " ".join(t[2] for t in words)
    return Entity(label, start, end, text[start:end], score, value_text=value if value is not None else joined)


def _clean_words(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop junk tokens (no letter or digit) and trailing markdown emphasis."""
    return [t for t in toks if t[2] == "\n" or re.search(r"[A-Za-z0-9&]", t[2])]


def _index_of(toks: list[tuple[int, int, str]], pattern: re.Pattern[str]) -> int | None:
    for i, t in enumerate(toks):
        if pattern.fullmatch(t[2]):
            return i
    return None


_LAST = re.compile(r"\(Last\)", re.I)
_MIDDLE = re.compile(r"\(Middle\)", re.I)
_STREET = re.compile(r"\(Street\)", re.I)
_CITY_ANCHOR = re.compile(r"\((?:City|State|Zip)\)|\(?[;:]?(?:St)?ate\)|\([;:]", re.I)
_LABEL_END = re.compile(r"Person(?:\(s\))?(?:\^?\(?\\?\*\)?)?", re.I)  # "Person*", "Person^(*)", markdown's "Person\*"


def read_box1(text: str, pieces: list[Piece]) -> list[Entity]:
    toks = _box_tokens(text, pieces)
    i_label = _index_of(toks, _LABEL_END)
    i_last = _index_of(toks, _LAST)
    i_middle = _index_of(toks, _MIDDLE)
    i_street = _index_of(toks, _STREET)
    i_city = _index_of(toks, _CITY_ANCHOR)
    out: list[Entity] = []
    begin = (i_label + 1) if i_label is not None else 0
    name_toks = _drop_marks(_clean_words(toks[begin : i_last if i_last is not None else len(toks)]))
    if e := _entity(F.OWNER_NAME, name_toks, text, 0.9):
        out.append(e)
    after_names = (i_middle + 1) if i_middle is not None else ((i_last + 1) if i_last is not None else None)
    if after_names is not None and i_street is not None and i_street > after_names:
        out.extend(_street_entities(text, _clean_words(toks[after_names:i_street])))
    if i_street is not None:
        end = i_city if i_city is not None and i_city > i_street else len(toks)
        out.extend(_city_entities(text, _drop_marks(_clean_words(toks[i_street + 1 : end]))))
    return out


_MARK = re.compile(r"[Xx✓✔☒]")


def _drop_marks(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop a check mark standing alone on its line (a box-5/6 tick the cell order put in box 1)."""
    out: list[tuple[int, int, str]] = []
    for part in _split_on_breaks(toks):
        if not (len(part) == 1 and _MARK.fullmatch(part[0][2])):
            out.extend(part)
        out.append((part[-1][1], part[-1][1], "\n"))
    return out


def _split_on_breaks(toks: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    parts: list[list[tuple[int, int, str]]] = [[]]
    for t in toks:
        if t[2] == "\n":
            if parts[-1]:
                parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


_COMPANY_END = re.compile(r"(?i)(?:CORPORATION|CORP\.?|INC\.?|LLC|L\.?P\.?|LTD\.?|COMPANY|CO\.),?")


def _street_entities(text: str, toks: list[tuple[int, int, str]]) -> list[Entity]:
    parts = _split_on_breaks(toks)
    if len(parts) == 1 and re.match(r"C/O\b|ATTN|c/o", parts[0][0][2]):
        # "C/O QUALYS, INC. 919 E. HILLSDALE BLVD.": the street starts at the first number
        words = parts[0]
        for i in range(1, len(words)):
            if re.match(r"\d", words[i][2]):
                parts = [words[:i], words[i:]]
                break
        else:  # "C/O MICROSOFT CORPORATION ONE MICROSOFT WAY": the c/o name ends with its company suffix
            for i in range(2, len(words)):
                if _COMPANY_END.fullmatch(words[i - 1][2]):
                    parts = [words[:i], words[i:]]
                    break
    out = []
    if parts:
        out.append(_entity(F.OWNER_STREET1, parts[0], text, 0.85))
    if len(parts) > 1:
        out.append(_entity(F.OWNER_STREET2, [t for p in parts[1:] for t in p], text, 0.8))
    return [e for e in out if e]


_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_STATE = re.compile(r"[A-Z]{2}")


def _city_entities(text: str, toks: list[tuple[int, int, str]]) -> list[Entity]:
    words = [t for t in toks if t[2] != "\n"]
    out: list[Entity] = []
    at = next((i for i, w in enumerate(words) if _ZIP.fullmatch(w[2])), None)
    if at is not None and 0 < at < len(words) - 1 and all(re.fullmatch(r"[A-Z][A-Za-z.'\-]*", w[2]) for w in words[at + 1 :]):
        # "MOUNTAIN  CA  94043" / "VIEW": the city wrapped under its state and zip
        out.append(_entity(F.OWNER_ZIP, [words[at]], text, 0.85))
        state = at - 1 if _STATE.fullmatch(words[at - 1][2]) else None
        if state is not None:
            out.append(_entity(F.OWNER_STATE, [words[state]], text, 0.85))
        city = words[: state if state is not None else at] + words[at + 1 :]
        value = " ".join(w[2] for w in city)
        if city:
            out.append(_entity(F.OWNER_CITY, city, text, 0.7, value=value))
        return [e for e in out if e]
    if words and _ZIP.fullmatch(words[-1][2]):
        out.append(_entity(F.OWNER_ZIP, [words[-1]], text, 0.9))
        words = words[:-1]
    elif words and re.fullmatch(r"[\d.\-]+", words[-1][2]):
        words = words[:-1]  # a broken zip: leave it unread
    if words and _STATE.fullmatch(words[-1][2]):
        out.append(_entity(F.OWNER_STATE, [words[-1]], text, 0.9))
        words = words[:-1]
    if words:
        out.append(_entity(F.OWNER_CITY, words, text, 0.85))
    return [e for e in out if e]


_TICKER_TOKS = re.compile(r"\[\s*([A-Za-z0-9.\-]{1,10})\s*\]")


def read_box2(text: str, pieces: list[Piece]) -> list[Entity]:
    out: list[Entity] = []
    for piece in pieces:
        chunk = text[piece.start : piece.end]
        m = ANCHORS["box2"].search(chunk)
        body_start = piece.start + (m.end() if m else 0)
        label_tail = re.match(r"[\s\w]*?Symbol", text[body_start : piece.end])
        if label_tail:
            body_start += label_tail.end()
        t = _TICKER_TOKS.search(text, body_start, piece.end)
        if not t:
            continue
        name_toks = _clean_words(
            [(s, e, w) for s, e, w in _box_tokens(text, [Piece(body_start, t.start())]) if w != "\n"]
        )
        if e := _entity(F.ISSUER_NAME, name_toks, text, 0.9):
            out.append(e)
        out.append(Entity(F.TICKER, t.start(1), t.end(1), t.group(1), 0.95, value_text=t.group(1).upper()))
        break
    return out


def _issuer_anywhere(text: str, sections: Sections) -> list[Entity]:
    """The first "NAME [ TICKER ]" of the header, the name being the words before it on its line."""
    m = _TICKER_TOKS.search(text, sections.header.start, sections.header.end)
    if not m:
        return []
    line_start = text.rfind("\n", 0, m.start()) + 1
    words = [t for t in _box_tokens(text, [Piece(line_start, m.start())]) if t[2] != "\n"]
    while words and not re.search(r"[A-Za-z0-9]", words[0][2]):
        words = words[1:]
    out = []
    if e := _entity(F.ISSUER_NAME, words[-6:], text, 0.6):
        out.append(e)
    out.append(Entity(F.TICKER, m.start(1), m.end(1), m.group(1), 0.8, value_text=m.group(1).upper()))
    return out


def _first_date(text: str, pieces: list[Piece], label: str) -> Entity | None:
    for piece in pieces:
        if m := DATE_IN_TEXT.search(text, piece.start, piece.end):
            return Entity(label, m.start(), m.end(), m.group(0), 0.95)
    for piece in pieces:  # "08/⇥/20/2019": a date split over two tab cells
        chunk = text[piece.start : piece.end]
        if "\t" in chunk and (m := DATE_IN_TEXT.search(mend_split_digits(chunk))):
            start = piece.start + m.start()
            return Entity(label, start, start + len(m.group(0)), text[start : start + len(m.group(0))], 0.7, value_text=m.group(0))
    return None


# ---------------------------------------------------------------- box 5: relationship
_REL_LABELS = {
    "is_director": re.compile(r"\bD?irec\w*", re.I),
    "is_ten_percent_owner": re.compile(r"10%\s*O\w*", re.I),
    "is_officer": re.compile(r"Officer\s*\(give", re.I),
    "is_other": re.compile(r"Other\s*\(spec", re.I),
}
_MARK_BEFORE = re.compile(r"(?:<input[^>]*checked[^>]*>|(?<![A-Za-z])[Xx✓✔☒](?![A-Za-z])|\[\s*[Xx]\s*\])[\s_*|]*$")
_TITLE_AFTER = re.compile(r"(?:below\)?|specify\s*below\)?)", re.I)


def read_box5(text: str, pieces: list[Piece]) -> tuple[dict[str, tuple[bool | None, float]], list[Entity]]:
    joined_spans = [(p.start, p.end) for p in pieces]
    rel: dict[str, tuple[bool | None, float]] = {}
    for field_name, pattern in _REL_LABELS.items():
        found = None
        for s, e in joined_spans:
            if m := pattern.search(text, s, e):
                found = m
                break
        if found is None:
            rel[field_name] = (False, 0.5)
            continue
        lines_before = text[max(0, found.start() - 400) : found.start()].split("\n")  # padded tables: wide cells
        before = lines_before[-1]
        if not re.split(r"\t", before)[-1].strip() and len(lines_before) > 1 and _MARK_BEFORE.search(lines_before[-2]):
            before = lines_before[-2]  # "... (Check all applicable) X" / "Direc 10% Own": the mark ended the line above
        checked = bool(_MARK_BEFORE.search(re.sub(r"</?(?:u|b|strong|span)[^>]*>", " ", before)))
        if not checked and found.group(0)[:1].islower():
            rel[field_name] = (None, 0.3)  # "irector": OCR lost the label's first letter, and the mark beside it with it
            continue
        rel[field_name] = (checked, 0.95 if checked else 0.85)
    titles = _titles(text, pieces)
    if not (rel.get("is_officer", (False, 0))[0] or rel.get("is_other", (False, 0))[0]):
        # no box checked: keep only a title that reads like one (OCR drops lone marks), with less confidence
        titles = [
            replace(t, score=min(t.score, 0.4))
            for t in titles
            if len(t.value_source) >= 5 and not re.fullmatch(r"(?i)\W*(?:bel\w*|spec\w*|title|\(?give)\W*", t.value_source)
        ]
    return rel, titles


_VOCAB = re.compile(
    r"^(?:\(?Check|all|app\w*|applicable\)|Direc\w*|10%|Ow\w*|Ov\w*|vner|Officer|\(give|title|below\)?|"
    r"Other|\(s\w*|\(spec\w*|specify|\(below\)|Relationship|of|Reporting|Person\(s\)|Perso|ng|on\(s\)|to|Is\w*|Issuer|X|x|,|•|\(\))$",
    re.I,
)


def _titles(text: str, pieces: list[Piece]) -> list[Entity]:
    """Officer title / other text: the words after a "(... below)" label that are not label words."""
    best: list[tuple[int, int, str]] = []
    for piece in pieces:
        chunk = text[piece.start : piece.end]
        hits = list(_TITLE_AFTER.finditer(chunk))
        if not hits:
            continue
        after = piece.start + hits[-1].end()
        toks = [t for t in _box_tokens(text, [Piece(after, piece.end)]) if t[2] != "\n"]
        # the title is the first run of non-label words
        run: list[tuple[int, int, str]] = []
        for t in toks:
            if re.fullmatch(r"\d\.", t[2]):
                break  # the next box's number ("6.")
            if _VOCAB.match(t[2]) and not run:
                continue
            if _VOCAB.match(t[2]) and t[2] in {"X", "x", "•"}:
                break
            run.append(t)
        if len(" ".join(w for _, _, w in run)) > len(" ".join(w for _, _, w in best)):
            best = run
    ent = _entity(F.OFFICER_TITLE, _clean_words(best), text, 0.85)
    return [ent] if ent else []


def read_more_owners(sections: Sections) -> list[tuple[tuple[Entity, ...], dict[str, tuple[bool | None, float]]]]:
    """The 2nd, 3rd ... owners: one name/address block and one relationship block each."""
    text = sections.text
    span = sections.more_owners
    starts = [m.start() for m in ANCHORS["box1"].finditer(text, span.start, span.end)]
    out = []
    for k, start in enumerate(starts):
        block = Span(text.rfind("\n", 0, start) + 1, starts[k + 1] if k + 1 < len(starts) else span.end)
        boxes = cut_boxes(sections, block)
        owner = read_box1(text, boxes.pieces["box1"])
        rel, titles = read_box5(text, boxes.pieces["box5"])
        out.append((tuple(owner + titles), rel))
    return out


# ---------------------------------------------------------------- whole header
_SECTION16 = re.compile(r"no\s+longer\s+subject(?:\s+to\s+Section\s*16)?", re.I)  # grid tables wrap the sentence
_AFF10B5 = re.compile(r"10b5-1\s*\(c\)|Rule\s+10b5-1", re.I)


def _checkbox_near(text: str, m: re.Match[str] | None, window: int = 220) -> tuple[bool, float] | None:
    if m is None:
        return None
    # the box is printed before the sentence "Check this box ...", which may be long
    sentence = text.rfind("Check this box", max(0, m.start() - 800), m.start())
    end = sentence if sentence >= 0 else m.start()
    line_start = text.rfind("\n", 0, end) + 1
    lead = text[max(line_start, end - window) : end]
    return (parse_checkbox(lead).value or False, 0.8)


def read_header(sections: Sections) -> HeaderEntities:
    text = sections.text
    boxes = cut_boxes(sections)
    owner = read_box1(text, boxes.pieces["box1"])
    header_piece = [Piece(sections.header.start, sections.header.end)]
    # OCR loses the columns: fall back to the first "[ TICKER ]" / date after the label anywhere
    issuer = read_box2(text, boxes.pieces["box2"]) or _issuer_anywhere(text, sections)
    period = _first_date(text, boxes.pieces["box3"], F.PERIOD_DATE)
    if period is None:
        after_label = [Piece(sections.box_anchors.get("box3", sections.header.start), sections.header.end)]
        fallback = _first_date(text, after_label, F.PERIOD_DATE) or _first_date(text, header_piece, F.PERIOD_DATE)
        period = replace(fallback, score=0.7) if fallback else None
    dates = [e for e in (period, _first_date(text, boxes.pieces["box4"], F.ORIGINAL_DATE)) if e]
    rel, titles = read_box5(text, boxes.pieces["box5"])
    if _owner_doubtful(owner, issuer):
        owner = read_merged_owner(text, sections.header.start, sections.header.end, issuer) or owner
        owner, issuer = _split_owner_from_issuer(owner, issuer, text[sections.signature.start : sections.signature.end])
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
        owner=tuple(_doubted(owner) + titles),
        issuer=tuple(_doubted(issuer)),
        dates=tuple(dates),
        relationship=rel,
        more_owners=tuple(read_more_owners(sections)),
        not_subject_to_section16=_checkbox_near(header, _SECTION16.search(header)),
        aff10b5_one=_checkbox_near(text, _AFF10B5.search(text, 0, sections.table1.start)),
    )


_FORM_WORDS = re.compile(
    r"Name\s+and\s+Address|Reporting\s+Person|Issuer\s+Name|Relationship\s+of|Date\s+of\s+Earliest|[Il]f\s+Amendment"
    r"|\((?:Last|First|Middle|Street|City|State|Zip)\)|<[a-z/]|Exchange\s+Commission|Statement\s+of\s+Changes|OMB\s+(?:Number|Approval)",
    re.I,
)
_NAME_OR_ADDRESS = frozenset({F.OWNER_NAME, F.ISSUER_NAME, F.OWNER_STREET1, F.OWNER_STREET2, F.OWNER_CITY})
DOUBTED = 0.3  # below sureness.RULE_SURE: the model reads the header and may override


def implausible(entity: Entity) -> str | None:
    """Why a box reading cannot be the value its label says (the box cut went wrong), or None.

    >>> implausible(Entity(F.OWNER_STREET1, 0, 10, "01/24/2020"))
    'a date where a name or address belongs'
    >>> implausible(Entity(F.OWNER_NAME, 0, 12, "BOTHA ROELOF")) is None
    True
    """
    value = entity.value_source
    if _FORM_WORDS.search(value):
        return "printed form labels inside the value"
    if entity.label in _NAME_OR_ADDRESS and DATE_IN_TEXT.search(value):
        return "a date where a name or address belongs"
    if entity.label == F.OWNER_NAME and _junk_name(value):
        return "not a name (relationship marks or no word)"
    if entity.label == F.OWNER_CITY and re.search(r"\d", value):
        return "digits in a city"
    return None


def _doubted(entities: list[Entity]) -> list[Entity]:
    out = []
    for e in entities:
        why = implausible(e)
        out.append(replace(e, score=min(e.score, DOUBTED), notes=e.notes + (why,)) if why else e)
    return out


# ---------------------------------------------------------------- OCR: boxes merged line by line
_LABEL_WORDS = re.compile(r"Name\s+and\s+Address|Reporting\s+Person|Issuer\s+Name|Relationship", re.I)
_RELATION_WORDS = re.compile(r"\bD?irec\w*|\b10%|\bOwne\b|\bOwner\b|\bOfficer\b|\bCheck\s+all", re.I)  # OCR: "irector"
_NAME_STOP = re.compile(r"\s(?:[»X×✓]\s|x\s+Dir|Director|10%|Officer|Other\s*\(|\(Check)")
_CITY_LINE = re.compile(r"^\W*([A-Za-z][A-Za-z .'\-]*?)\s+([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\b")
_BOX3_TAIL = re.compile(r"\s+(?:\d{1,2}/\d{1,2}/\d{2,4}|3\.\s*Date|4\.\s*[Il]f\s+Amend).*$")


def _junk_name(name: str | None) -> bool:
    """An owner name that is box labels or relationship marks, not a name."""
    return name is None or not re.search(r"[A-Za-z]{3}", name) or bool(_LABEL_WORDS.search(name) or _RELATION_WORDS.search(name))


def _owner_doubtful(owner: list[Entity], issuer: list[Entity]) -> bool:
    """The box reading mixed other boxes into the owner (OCR joins the boxes of a line)."""
    name = next((e.value_source for e in owner if e.label == F.OWNER_NAME), None)
    if _junk_name(name):
        return True
    issuer_name = next((e.value_source for e in issuer if e.label == F.ISSUER_NAME), None)
    return bool(issuer_name and len(issuer_name) > 3 and issuer_name in name)


def read_merged_owner(text: str, start: int, end: int, issuer: list[Entity], need_name: bool = True) -> list[Entity]:
    """Owner name and address where OCR printed the header boxes side by side on each line.

    The name is the first line under the box-1 label that is not the issuer's "NAME [ TICKER ]"
    line, up to the relationship marks; the street lines lie between "(Last) (First) (Middle)"
    and "(Street)" (or box 4's label), without box 3's date; city, state and zip are the
    "CITY ST 12345" line above "(City) (State) (Zip)".
    """
    lines = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text[start:end])]
    find = lambda pattern, after=0: next((i for i, (_, ln) in enumerate(lines) if i >= after and re.search(pattern, ln, re.I)), None)  # noqa: E731
    label = find(r"Name\s+and\s+Address")
    last = find(r"\(Last\)|\(First\)|\(Middle\)", label or 0)
    if label is None or last is None:
        return []
    out: list[Entity] = []
    issuer_name = next((e.value_source for e in issuer if e.label == F.ISSUER_NAME), "")

    def entity(label_: str, i: int, s: int, e: int, score: float, strip: str = " ;:»*°") -> None:
        raw = lines[i][1][s:e]
        value = " ".join(w for w in raw.split() if re.search(r"[A-Za-z0-9&]", w)).strip(strip)
        if value:
            offset = start + lines[i][0]
            out.append(Entity(label_, offset + s, offset + e, raw, score, value_text=value))

    for i in range(label + 1, last):
        ln = lines[i][1]
        e = len(ln)
        if issuer_name and issuer_name in ln:  # the owner's name, if any, is left of the issuer's
            e = ln.index(issuer_name)
        elif t := _TICKER_TOKS.search(ln):
            e = t.start()
        if stop := _NAME_STOP.search(" " + ln[:e]):
            e = stop.start() - 1
        if not re.search(r"[A-Za-z]{2}", ln[:e]) or re.search(r"(?i)check|applicable|name\s+and", ln[:e]):
            continue
        entity(F.OWNER_NAME, i, 0, e, 0.7, " ,;:»*°")
        break
    street_end = find(r"\(Street\)|[Il]f\s+Amendment", last + 1)
    streets = 0
    for i in range(last + 1, street_end if street_end is not None else min(last + 3, len(lines))):
        ln = lines[i][1]
        cut = _BOX3_TAIL.search(ln)
        e = cut.start() if cut else len(ln)
        if streets < 2 and re.search(r"[A-Za-z0-9]{2}", ln[:e]) and not re.search(r"\(Last\)|Date\s+of\s+Earliest", ln[:e]):
            entity(F.OWNER_STREET1 if streets == 0 else F.OWNER_STREET2, i, 0, e, 0.65)
            streets += 1
    city_label = find(r"\(City\)", last + 1)
    for i in range((city_label if city_label is not None else len(lines)) - 1, last, -1):
        if m := _CITY_LINE.match(lines[i][1]):
            entity(F.OWNER_CITY, i, m.start(1), m.end(1), 0.7, " ,;:»*°.")
            entity(F.OWNER_STATE, i, m.start(2), m.end(2), 0.75)
            entity(F.OWNER_ZIP, i, m.start(3), m.end(3), 0.8)
            break
    return out if not need_name or any(e.label == F.OWNER_NAME for e in out) else []


def _style(word: str) -> str:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return "upper" if letters.isupper() and len(letters) > 1 else "title" if letters[:1].isupper() else "other"


def _split_owner_from_issuer(owner: list[Entity], issuer: list[Entity], signature: str = "") -> tuple[list[Entity], list[Entity]]:
    """OCR printed "BOTHA ROELOF Square, Inc. [ SQ ]" on one line: the owner's 2-4 words end where
    the letter case changes ("Hoffman Reid MICROSOFT CORP"), or, in one case, after the longest run
    of first words the signature block names too ("Hoffman Reid Aurora Innovation, Inc." signed
    "... for Reid G. Hoffman"). Used only when the owner read is junk."""
    if not _junk_name(next((e.value_source for e in owner if e.label == F.OWNER_NAME), None)):
        return owner, issuer
    iss = next((e for e in issuer if e.label == F.ISSUER_NAME), None)
    if iss is None:
        return owner, issuer
    words = iss.value_source.split()
    signed = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", signature)}
    named = max((k for k in (2, 3) if len(words) > k and all(w.lower().strip(",.") in signed for w in words[:k])), default=None)
    for k in (2, 3, 4):
        if len(words) <= k:
            break
        head = {_style(w) for w in words[:k]}
        if k == named or (len(head) == 1 and head != {"other"} and _style(words[k]) not in head | {"other"}):
            cut = iss.text.find(words[k], len(" ".join(words[:k])) - 1)
            if cut < 0:
                break
            new_owner = Entity(F.OWNER_NAME, iss.start, iss.start + cut, iss.text[:cut], 0.5, value_text=" ".join(words[:k]))
            new_issuer = replace(iss, start=iss.start + cut, text=iss.text[cut:], value_text=" ".join(words[k:]), score=min(iss.score, 0.6))
            owner = [e for e in owner if e.label != F.OWNER_NAME] + [new_owner]
            issuer = [new_issuer if e is iss else e for e in issuer]
            break
    return owner, issuer
