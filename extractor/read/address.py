"""Box 1, "Name and Address of Reporting Person": the owner's name, street lines, city, state and zip (rules).

The paper form prints captions under the box's lines ("(Last) (First) (Middle)", "(Street)",
"(City) (State) (Zip)"); pages without them print the name on the first line and the city,
state and zip on the last. Owners abroad carry EDGAR's letter-and-digit state codes (``X0``,
``K3``, ``2M``) and their country's postcodes (``EC2V 7HR``, ``V5Y 0A1``, ``105-6490``, or none).
"""

from __future__ import annotations

import re

from ..entities import Entity
from ..form import evidence as E
from ..form import fields as F
from ..form.labels import WORDINGS
from .merged_owner import FORM_WORDS
from .boxes import Piece, _box_tokens, _clean_words, _entity, _index_of, _split_on_breaks

_LAST, _MIDDLE, _STREET = (re.compile(re.escape(WORDINGS[key][0]), re.I) for key in ("last", "middle", "street"))
Token = tuple[int, int, str]
_CAPTION = re.compile("|".join(re.escape(w) for key in ("last", "first", "middle", "street", "city", "state", "zip") for w in WORDINGS[key]), re.I)
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
    if len(_split_on_breaks(name_toks)) > 1 and (i_last is None and i_street is None and i_city is None or _captions_together(toks, i_last)):
        return _uncaptioned(text, _split_on_breaks(name_toks))
    if e := _entity(F.OWNER_NAME, name_toks, text, E.IN_BOX):
        out.append(e)
    after_names = (i_middle + 1) if i_middle is not None else ((i_last + 1) if i_last is not None else None)
    if after_names is not None and i_street is not None and i_street > after_names:
        out.extend(_street_entities(text, _clean_words(toks[after_names:i_street])))
    if i_street is not None:
        end = i_city if i_city is not None and i_city > i_street else len(toks)
        out.extend(_city_entities(text, _drop_marks(_clean_words(toks[i_street + 1 : end]))))
    return out


def _captions_together(toks: list[Token], i_last: int | None) -> bool:
    """The box's captions printed on one row under all its lines ("(Last) (First) (Middle) (Street)
    (City) (State) (Zip)"): no value stands between "(Last)" and "(Street)"."""
    if i_last is None:
        return False
    between = [t[2] for t in toks[i_last:] if t[2] != "\n"]
    return len(between) >= 4 and all(_CAPTION.fullmatch(w) for w in between[:4])


def _uncaptioned(text: str, lines: list[list[Token]]) -> list[Entity]:
    """A box 1 printed without its captions: the name on its first line, the city, state and zip
    on its last (where that line reads as one), the street lines between."""
    out = [e for e in (_entity(F.OWNER_NAME, lines[0], text, E.IN_BOX),) if e]
    printed = next((k for k, line in enumerate(lines) if FORM_WORDS.search(" ".join(w[2] for w in line))), len(lines))
    lines = lines[:printed]  # the form's own text the converter put in the box ends its lines
    city = _city_entities(text, lines[-1]) if len(lines) > 1 and _state_at(lines[-1:]) is not None else []
    streets = lines[1:-1] if city else lines[1:]
    if streets:
        out.append(_entity(F.OWNER_STREET1, streets[0], text, E.WORDS))
    if len(streets) > 1:
        out.append(_entity(F.OWNER_STREET2, [t for line in streets[1:] for t in line], text, E.JOINED))
    return [e for e in out + city if e]


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
_BROKEN_ZIP = re.compile(r"[\dOo.\-]{4,10}")  # a zip OCR broke ("94O25", "9402.5"): left unread
#: EDGAR's state codes of places abroad: a letter and a digit ("X0" United Kingdom, "K3" Hong Kong, "2M")
_ABROAD = re.compile(r"[A-Z]\d|\d[A-Z]")
#: a postcode abroad: letters and digits, in one or two parts ("EC2V 7HR", "V5Y 0A1", "105-6490", "018989", "HM 11")
_CITY_WORD = re.compile(r"[A-Z][A-Za-z.'\-]*,?")
_POSTCODE = re.compile(r"(?=[^\n]*\d)[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,4})?")


def _state_at(lines: list[list[Token]]) -> tuple[int, int] | None:
    """Where the city lines' state code stands and where its zip ends (in their words): the first
    word after a city word that is a state code with only a zip (or nothing) after it; a US state
    takes a US zip, a code abroad a postcode. A city wrapped round them ends on the lines under
    the code's line.

    >>> [_state_at([[(0, 0, w) for w in line.split()] for line in lines.split("/")]) for lines in (
    ...     "ST LOUIS MO 63101", "HAMILTON/D0/HM 11", "DUBLIN 2 L2 D02 X576", "CENTRAL, HONG/K3/KONG", "LONDON")]
    [(2, 4), (1, 4), (2, 5), (2, 3), None]
    """
    words = [w for line in lines for w in line]
    ends = [len(words)] + [sum(map(len, lines[: k + 1])) for k in range(len(lines) - 1)]
    for end in ends:  # all the words, else up to the end of a line when only city words stand under it
        if not all(_CITY_WORD.fullmatch(w[2]) for w in words[end:]):
            continue
        for s in range(1, end):
            if _code_and_zip(words[s][2].rstrip(","), [w[2] for w in words[s + 1 : end]]):
                return s, end
    return None


def _code_and_zip(code: str, rest: list[str]) -> bool:
    if _STATE.fullmatch(code):
        return not rest or (len(rest) == 1 and bool(_ZIP.fullmatch(rest[0]) or _BROKEN_ZIP.fullmatch(rest[0])))
    return bool(_ABROAD.fullmatch(code)) and (not rest or (len(rest) <= 2 and bool(_POSTCODE.fullmatch(" ".join(rest)))))


def _city_entities(text: str, toks: list[Token]) -> list[Entity]:
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
    if (found := _state_at([line for line in _split_on_breaks(toks) if line])) is not None:
        # "MENLO PARK, CA 94025", "MINATO-KU, TOKYO M0 105-6490", "CENTRAL, HONG" / "K3" / "KONG":
        # the city is the words before the code and, wrapped, the lines under it
        s, end = found
        code, rest, wrapped = words[s], words[s + 1 : end], words[end:]
        state = code[2].rstrip(",")
        if rest and _ZIP.fullmatch(rest[0][2]):
            out.append(_entity(F.OWNER_ZIP, rest, text, E.IN_BOX))
        elif rest and _ABROAD.fullmatch(state):
            out.append(_entity(F.OWNER_ZIP, rest, text, E.WORDS))  # a US zip OCR broke is left unread
        out.append(Entity(F.OWNER_STATE, code[0], code[0] + len(state), state, E.IN_BOX))
        city = words[:s] + wrapped
        value = " ".join(w[2] for w in city).rstrip(",")
        out.append(_entity(F.OWNER_CITY, city, text, E.FALLBACK if wrapped else E.WORDS, value=value))
        return [e for e in out if e]
    if words and _ZIP.fullmatch(words[-1][2]):
        out.append(_entity(F.OWNER_ZIP, [words[-1]], text, E.IN_BOX))
        words = words[:-1]
    elif words and re.fullmatch(r"[\d.\-]+", words[-1][2]):
        words = words[:-1]  # a broken zip: leave it unread
        if len(words) > 1 and re.fullmatch(r"[\d.\-]+", words[-1][2]) and _STATE.fullmatch(words[-2][2]):
            words = words[:-1]  # "CA 94" / "4025": its first digits too
    if words and _STATE.fullmatch(words[-1][2]):
        out.append(_entity(F.OWNER_STATE, [words[-1]], text, E.IN_BOX))
        words = words[:-1]
    if words:
        out.append(_entity(F.OWNER_CITY, words, text, E.WORDS))
    return [e for e in out if e]


