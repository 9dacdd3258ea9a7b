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
from .boxes import Piece, _box_tokens, _clean_words, _entity, _index_of, _split_on_breaks

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


