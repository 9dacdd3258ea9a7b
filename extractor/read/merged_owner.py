"""Boxes merged by OCR: the owner's name and address read line by line, and readings doubted.

OCR prints the header's three columns side by side on each line and loses the cells, so
the box cut can put another box's words into the owner's. Such readings are recognised
(:func:`implausible`), doubted (the model then reads the header) and read again line by
line (:func:`read_merged_owner`); an owner printed on the issuer's line is split off
(:func:`split_owner_from_issuer`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..form import fields as F
from ..form import evidence as E
from ..form.labels import run, words
from .boxes import CAPTIONS
from .issuer import TICKER_TOKS
from ..entities import Entity
from ..form.normalize import DATE_IN_TEXT
from ..form.normalize import DATE_SHAPE

def _phrase(key: str, first: str, n: int) -> str:
    return r"\s+".join(run(key, first, n))


#: Printed labels that never belong inside a box's value ("If" also as OCR prints it, "lf").
FORM_WORDS = re.compile(
    "|".join((_phrase("name", "Name", 3), _phrase("name", "Reporting", 2), _phrase("issuer", "Issuer", 2),
              _phrase("relationship", "Relationship", 2), _phrase("period", "Date", 3),
              "[Il]" + _phrase("amendment", "If", 2)[1:]))
    + r"|\((?:%s)\)|<[a-z/]|" % "|".join(words(key)[0] for key in CAPTIONS)
    + "|".join((_phrase("commission", "EXCHANGE", 2), _phrase("statement", "STATEMENT", 3)))
    + r"|%s\s+(?:%s|%s)" % (words("omb")[0], words("omb_number")[1], words("omb")[1]),
    re.I,
)
_NAME_OR_ADDRESS = frozenset({F.OWNER_NAME, F.ISSUER_NAME, F.OWNER_STREET1, F.OWNER_STREET2, F.OWNER_CITY})
#: a city's district number ("DUBLIN 2"), never the first digits of a zip after a state ("MENLO PARK CA 94")
_DISTRICT = re.compile(r"(?<=\w\w\w)\s\d{1,2}$")
DOUBTED = E.DOUBTED  # below evidence.RULE_SURE: the model reads the header and may override


def implausible(entity: Entity) -> str | None:
    """Why a box reading cannot be the value its label says (the box cut went wrong), or None.

    >>> implausible(Entity(F.OWNER_STREET1, 0, 10, "01/24/2020"))
    'a date where a name or address belongs'
    >>> implausible(Entity(F.OWNER_NAME, 0, 12, "BOTHA ROELOF")) is None
    True
    >>> [implausible(Entity(F.OWNER_CITY, 0, 9, city)) for city in ("DUBLIN 2", "MENLO PARK CA 94")]
    [None, 'digits in a city']
    """
    value = entity.value_source
    if FORM_WORDS.search(value):
        return "printed form labels inside the value"
    if entity.label in _NAME_OR_ADDRESS and DATE_IN_TEXT.search(value):
        return "a date where a name or address belongs"
    if entity.label == F.OWNER_NAME and _junk_name(value):
        return "not a name (relationship marks or no word)"
    if entity.label == F.OWNER_CITY and re.search(r"\d", _DISTRICT.sub("", value)):
        return "digits in a city"
    return None


def doubted(entities: list[Entity]) -> list[Entity]:
    out = []
    for e in entities:
        why = implausible(e)
        out.append(replace(e, score=min(e.score, DOUBTED), notes=e.notes + (why,)) if why else e)
    return out


# ---------------------------------------------------------------- OCR: boxes merged line by line
_LABEL_WORDS = re.compile("|".join((_phrase("name", "Name", 3), _phrase("name", "Reporting", 2), _phrase("issuer", "Issuer", 2), words("relationship")[0])), re.I)
_RELATION_WORDS = re.compile(r"\bD?irec\w*|\b10%|\bOwne\b|\bOwner\b|\bOfficer\b|\bCheck\s+all", re.I)  # OCR: "irector"
_NAME_STOP = re.compile(r"\s(?:[»X×✓]\s|x\s+Dir|Director|10%|Officer|Other\s*\(|\(Check)")
_CITY_LINE = re.compile(r"^\W*([A-Za-z][A-Za-z .'\-]*?)\s+([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\b")
_BOX3_TAIL = re.compile(rf"\s+(?:{DATE_SHAPE}|3\.\s*Date|4\.\s*[Il]f\s+Amend).*$")


def _junk_name(name: str | None) -> bool:
    """An owner name that is box labels or relationship marks, not a name."""
    return name is None or not re.search(r"[A-Za-z]{3}", name) or bool(_LABEL_WORDS.search(name) or _RELATION_WORDS.search(name))


def owner_doubtful(owner: list[Entity], issuer: list[Entity]) -> bool:
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
        elif t := TICKER_TOKS.search(ln):
            e = t.start()
        if stop := _NAME_STOP.search(" " + ln[:e]):
            e = stop.start() - 1
        if not re.search(r"[A-Za-z]{2}", ln[:e]) or re.search(r"(?i)check|applicable|name\s+and|^\W*(?:or\s+)?(?:trading\s+)?symbol\W*$", ln[:e]):
            continue
        entity(F.OWNER_NAME, i, 0, e, E.FALLBACK, " ,;:»*°")
        break
    street_end = find(r"\(Street\)|[Il]f\s+Amendment", last + 1)
    streets = 0
    for i in range(last + 1, street_end if street_end is not None else min(last + 3, len(lines))):
        ln = lines[i][1]
        cut = _BOX3_TAIL.search(ln)
        e = cut.start() if cut else len(ln)
        if streets < 2 and re.search(r"[A-Za-z0-9]{2}", ln[:e]) and not re.search(r"\(Last\)|Date\s+of\s+Earliest", ln[:e]):
            entity(F.OWNER_STREET1 if streets == 0 else F.OWNER_STREET2, i, 0, e, E.MERGED_LINE)
            streets += 1
    city_label = find(r"\(City\)", last + 1)
    for i in range((city_label if city_label is not None else len(lines)) - 1, last, -1):
        if m := _CITY_LINE.match(lines[i][1]):
            entity(F.OWNER_CITY, i, m.start(1), m.end(1), E.FALLBACK, " ,;:»*°.")
            entity(F.OWNER_STATE, i, m.start(2), m.end(2), E.ARITHMETIC)
            entity(F.OWNER_ZIP, i, m.start(3), m.end(3), E.JOINED)
            break
    return out if not need_name or any(e.label == F.OWNER_NAME for e in out) else []


def _style(word: str) -> str:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return "upper" if letters.isupper() and len(letters) > 1 else "title" if letters[:1].isupper() else "other"


def split_owner_from_issuer(owner: list[Entity], issuer: list[Entity], signature: str = "") -> tuple[list[Entity], list[Entity]]:
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
            new_owner = Entity(F.OWNER_NAME, iss.start, iss.start + cut, iss.text[:cut], E.WEAK, value_text=" ".join(words[:k]))
            new_issuer = replace(iss, start=iss.start + cut, text=iss.text[cut:], value_text=" ".join(words[k:]), score=min(iss.score, E.IMPLIED))
            owner = [e for e in owner if e.label != F.OWNER_NAME] + [new_owner]
            issuer = [new_issuer if e is iss else e for e in issuer]
            break
    return owner, issuer
