"""Header boxes 1-6 of a filing's text: cut into boxes, each box read (rules).

Converters interleave the three header columns on one line (tabs, pipes, runs of
spaces). :func:`cut_boxes` cuts the header into cells and gives every cell to a box (by
its printed label, by the box's own anchor words, else by the box above it in the same
column); the ``read_box*`` functions read each box's joined text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..form import fields as F
from ..form import evidence as E
from ..entities import Checkbox, Entity
from ..form.normalize import DATE_IN_TEXT, DATE_SHAPE, mend_split_digits
from ..form.labels import WORDINGS, words
from .sections import ANCHORS, Sections, Span

BOXES = ("box1", "box2", "box3", "box4", "box5", "box6")
#: The captions under box 1's lines, by their word ("(State)" also as OCR prints it, "(;ate)").
CAPTIONS = ("last", "first", "middle", "street", "city", "state", "zip")
_BOX1_WORDS = re.compile(r"\((?:%s|;ate)\)" % "|".join(words(key)[0] for key in CAPTIONS), re.I)
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
    for line in sections.index.lines(span.start, span.end):
        by_position = "\t" not in line.text and "|" not in line.text
        labelled = None  # the box whose label this line printed last: a value right of it is its own
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
                column_box[cell.column] = column_box[-1] = labelled = hits[-1][1]
            else:
                column = labelled if by_position and labelled else _column_of(column_box, x_labels, cell.column, x, by_position)
                box = _assign_unlabelled(text, boxes, column, cell.start, cell.end)
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


_LAST, _MIDDLE, _STREET = (re.compile(re.escape(WORDINGS[key][0]), re.I) for key in ("last", "middle", "street"))
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
    while name_toks and (name_toks[0][2] == "\n" or _OTHER_LABELS.fullmatch(name_toks[0][2])):
        name_toks = name_toks[1:]  # the wrapped end of box 2's or box 5's label ("Symbol", "applicable)")
    if e := _entity(F.OWNER_NAME, name_toks, text, E.IN_BOX):
        out.append(e)
    after_names = (i_middle + 1) if i_middle is not None else ((i_last + 1) if i_last is not None else None)
    if after_names is not None and i_street is not None and i_street > after_names:
        out.extend(_street_entities(text, _clean_words(toks[after_names:i_street])))
    if i_street is not None:
        end = i_city if i_city is not None and i_city > i_street else len(toks)
        out.extend(_city_entities(text, _drop_marks(_clean_words(toks[i_street + 1 : end]))))
    return out


_MARK = re.compile(r"[Xx✓✔☒]")
_OTHER_LABELS = re.compile(r"(?i)Symbol|Trading|applicable\)?|\(Check")


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
        out.append(_entity(F.OWNER_STREET1, parts[0], text, E.WORDS))
    if len(parts) > 1:
        out.append(_entity(F.OWNER_STREET2, [t for p in parts[1:] for t in p], text, E.JOINED))
    return [e for e in out if e]


_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_STATE = re.compile(r"[A-Z]{2}")


def _city_entities(text: str, toks: list[tuple[int, int, str]]) -> list[Entity]:
    words = [t for t in toks if t[2] != "\n"]
    out: list[Entity] = []
    at = next((i for i, w in enumerate(words) if _ZIP.fullmatch(w[2])), None)
    if at is not None and 0 < at < len(words) - 1 and all(re.fullmatch(r"[A-Z][A-Za-z.'\-]*", w[2]) for w in words[at + 1 :]):
        # "MOUNTAIN  CA  94043" / "VIEW": the city wrapped under its state and zip
        out.append(_entity(F.OWNER_ZIP, [words[at]], text, E.WORDS))
        state = at - 1 if _STATE.fullmatch(words[at - 1][2]) else None
        if state is not None:
            out.append(_entity(F.OWNER_STATE, [words[state]], text, E.WORDS))
        city = words[: state if state is not None else at] + words[at + 1 :]
        value = " ".join(w[2] for w in city)
        if city:
            out.append(_entity(F.OWNER_CITY, city, text, E.FALLBACK, value=value))
        return [e for e in out if e]
    if words and _ZIP.fullmatch(words[-1][2]):
        out.append(_entity(F.OWNER_ZIP, [words[-1]], text, E.IN_BOX))
        words = words[:-1]
    elif words and re.fullmatch(r"[\d.\-]+", words[-1][2]):
        words = words[:-1]  # a broken zip: leave it unread
    if words and _STATE.fullmatch(words[-1][2]):
        out.append(_entity(F.OWNER_STATE, [words[-1]], text, E.IN_BOX))
        words = words[:-1]
    if words:
        out.append(_entity(F.OWNER_CITY, words, text, E.WORDS))
    return [e for e in out if e]


#: the OMB box's expiry date ("Expires: August 31, 2026"), the form's own date, never the filing's
_EXPIRES = re.compile(r"(?i)expires\W*$")


def first_date(text: str, pieces: list[Piece], label: str) -> Entity | None:
    for piece in pieces:
        for m in DATE_IN_TEXT.finditer(text, piece.start, piece.end):
            if not _EXPIRES.search(text, max(piece.start, text.rfind("\n", 0, m.start()) + 1, m.start() - 40), m.start()):
                return Entity(label, m.start(), m.end(), m.group(0), E.PRINTED)
    for piece in pieces:  # "08/⇥/20/2019": a date split over two tab cells
        chunk = text[piece.start : piece.end]
        if "\t" in chunk and (m := DATE_IN_TEXT.search(mend_split_digits(chunk))):
            start = piece.start + m.start()
            return Entity(label, start, start + len(m.group(0)), text[start : start + len(m.group(0))], E.FALLBACK, value_text=m.group(0))
    return None


# ---------------------------------------------------------------- box 5: relationship
_REL_LABELS = {
    # OCR drops the D of "Director"; the words after "Officer" and "Other" tell them from a title
    "is_director": re.compile(r"\bD?%s\w*" % words("director")[0][1:5], re.I),
    "is_ten_percent_owner": re.compile(r"%s\s*%s\w*" % (words("ten")[0], words("ten")[1][0]), re.I),
    "is_officer": re.compile(r"%s\s*\(%s" % words("officer")[:2], re.I),
    "is_other": re.compile(r"%s\s*\(%s" % (words("other")[0], words("other")[1][:4]), re.I),
}
_MARK_BEFORE = re.compile(r"(?:<input[^>]*checked[^>]*>|(?<![A-Za-z])[Xx✓✔☒](?![A-Za-z])|\[\s*[Xx]\s*\])[\s_*|]*$")
_TITLE_AFTER = re.compile(r"(?:below\)?|specify\s*below\)?)", re.I)


def read_box5(text: str, pieces: list[Piece]) -> tuple[dict[str, Checkbox], list[Entity]]:
    joined_spans = [(p.start, p.end) for p in pieces]
    rel: dict[str, Checkbox] = {}
    for field_name, pattern in _REL_LABELS.items():
        found = None
        for s, e in joined_spans:
            if m := pattern.search(text, s, e):
                found = m
                break
        if found is None:
            rel[field_name] = (False, E.WEAK)
            continue
        lines_before = text[max(0, found.start() - 400) : found.start()].split("\n")  # padded tables: wide cells
        before = lines_before[-1]
        if not re.split(r"\t", before)[-1].strip() and len(lines_before) > 1 and _MARK_BEFORE.search(lines_before[-2]):
            before = lines_before[-2]  # "... (Check all applicable) X" / "Direc 10% Own": the mark ended the line above
        checked = bool(_MARK_BEFORE.search(re.sub(r"</?(?:u|b|strong|span)[^>]*>", " ", before))) or _marked_below(text, found)
        if not checked and found.group(0)[:1].islower():
            rel[field_name] = (None, E.DOUBTED)  # "irector": OCR lost the label's first letter, and the mark beside it with it
            continue
        rel[field_name] = (checked, E.PRINTED if checked else E.WORDS)
    titles = _titles(text, pieces, (bool(rel.get("is_officer", (False, 0))[0]), bool(rel.get("is_other", (False, 0))[0])))
    if not (rel.get("is_officer", (False, 0))[0] or rel.get("is_other", (False, 0))[0]):
        # no box checked: keep only a title that reads like one (OCR drops lone marks), with less confidence
        titles = [
            replace(t, score=min(t.score, E.PLACED))
            for t in titles
            if len(t.value_source) >= 5 and not re.fullmatch(r"(?i)\W*(?:bel\w*|spec\w*|title|\(?give)\W*", t.value_source)
        ]
    return rel, titles


def _marked_below(text: str, label: re.Match[str]) -> bool:
    """A two-line label ("Officer (give title" / "below)") whose check mark stands before its second
    line, under the label (``pdftotext -layout`` centres the box on the label's two lines)."""
    if not re.match(r"(?i)(?:officer|other)", label.group(0)):
        return False
    line_start = text.rfind("\n", 0, label.start()) + 1
    below_start = text.find("\n", label.end()) + 1
    below_end = text.find("\n", below_start)
    if below_start <= 0:
        return False
    below = text[below_start : below_end if below_end >= 0 else len(text)]
    x = label.start() - line_start
    for m in re.finditer(r"below\)?", below):
        if abs(m.start() - x) <= 12:
            return bool(_MARK_BEFORE.search(below[max(0, m.start() - 6) : m.start()]))
    return False


_VOCAB = re.compile(
    r"^(?:\(?Check|all|app\w*|applicable\)|Direc\w*|10%|Ow\w*|Ov\w*|vner|Officer|\(give|title|below\)?|"
    r"Other|\(s\w*|\(spec\w*|specify|\(below\)|Relationship|of|Reporting|Person\(s\)|Perso|ng|on\(s\)|to|Is\w*|Issuer|X|x|,|•|\(\))$",
    re.I,
)


def _titles(text: str, pieces: list[Piece], checked: tuple[bool, bool] = (False, False)) -> list[Entity]:
    """Officer title / other text: the words after a "(... below)" label that are not label words.

    The paper form and many filers' pages print them on the line(s) *under* the checkboxes: when
    nothing follows the label in its own cell and Officer or Other is ``checked``, the box's next
    lines are read — one title wrapped over them, or, when both are checked, the title and then
    the other text ("PRESIDENT AND CEO" / "Trustee of 10% owner").
    """
    best: list[tuple[int, int, str]] = []
    other: list[tuple[int, int, str]] = []
    for k, piece in enumerate(pieces):
        chunk = text[piece.start : piece.end]
        hits = list(_TITLE_AFTER.finditer(chunk))
        if not hits:
            continue
        after = piece.start + hits[-1].end()
        run = _clean_words(_title_run([t for t in _box_tokens(text, [Piece(after, piece.end)]) if t[2] != "\n"]))
        below: list[tuple[int, int, str]] = []
        if not run and any(checked) and k + 1 < len(pieces) and not any(_TITLE_AFTER.search(text, p.start, p.end) for p in pieces[k + 1 :]):
            lines = []
            for line in _split_on_breaks(_box_tokens(text, pieces[k + 1 :])):
                if _NEXT_BOX.fullmatch(line[0][2]):
                    break  # the next box ("2a.", "3.") or its date: the title has ended
                if r := _clean_words(_title_run(line)):
                    lines.append(r)
            # one value per line when both boxes are checked; else one title wrapped over lines
            run, below = (lines[0], [t for line in lines[1:] for t in line]) if all(checked) and len(lines) > 1 else ([t for line in lines for t in line], [])
        if len(" ".join(w for _, _, w in run)) > len(" ".join(w for _, _, w in best)):
            best, other = run, below
    out = [_entity(F.OFFICER_TITLE, _clean_words(best), text, E.WORDS), _entity(F.OTHER_TEXT, _clean_words(other), text, E.JOINED)]
    return [e for e in out if e]


_NEXT_BOX = re.compile(rf"\d[a-z]?\.|{DATE_SHAPE}")


def _title_run(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The first run of words that are no label words (a title), up to the next box's number or a mark."""
    run: list[tuple[int, int, str]] = []
    for t in toks:
        if _NEXT_BOX.fullmatch(t[2]):
            break  # the next box's number ("6.", "2a.") or its date
        if _VOCAB.match(t[2]) and not run:
            continue
        if _VOCAB.match(t[2]) and t[2] in {"X", "x", "•"}:
            break
        run.append(t)
    return run
