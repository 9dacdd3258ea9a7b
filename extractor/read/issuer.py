"""Box 2, "Issuer Name and Ticker or Trading Symbol": the issuer's name and its ticker (rules).

The box holds the name and the ticker however the filer wrote them: EDGAR prints
``Example Holdings, Inc. [ EXMP ]``; filers type ``Example Holdings, Inc. (EXMP)``,
``(NASDAQ: EXMP)``, or the ticker alone on the box's second line, under the name (the paper
form leaves the box two lines). The box ends at box 2a's label ("Foreign Trading Symbol").
"""

from __future__ import annotations

import re

from ..entities import Entity
from ..form import evidence as E
from ..form import fields as F
from .relationship import _REL_LABELS
from .boxes import Piece, _box_tokens, _clean_words, _entity, _split_on_breaks
from .sections import ANCHORS, Sections

#: an exchange named before the ticker: "(NASDAQ: EXMP)", "[ NYSE: EXMP ]"
_EXCHANGE = r"(?:(?:NYSE(?:\s+(?:American|MKT|Arca))?|NASDAQ|Nasdaq|AMEX|OTC(?:QB|QX|BB)?|CBOE|TSX)\s*:\s*)?"
_SYMBOL = r"[A-Z][A-Z0-9]{0,5}(?:[.\-/][A-Z]{1,2})?"  # "EXMP", "BRK.B", "RDS-A"
#: EDGAR's "[ TICKER ]"
TICKER_TOKS = re.compile(rf"\[\s*{_EXCHANGE}([A-Za-z0-9.\-]{{1,10}})\s*\]")
#: a filer's "(TICKER)" ending the name's line
_IN_PARENTHESES = re.compile(rf"\(\s*{_EXCHANGE}({_SYMBOL})\s*\)\s*$")
#: the ticker on a line of its own
_ALONE = re.compile(rf"\W*{_EXCHANGE}({_SYMBOL})\W*")
#: box 2a's label ends box 2; the label's own words wrapped onto a line of their own are no value
_BOX2A = re.compile(r"2a\.|Foreign\s+Trading", re.I)
_LABEL_WORDS = re.compile(r"[ \t]*(?i:(?:(?:Ticker\s+)?or\s+)?(?:Trading\s+)?Symbol)\b")
_LABEL_REST = re.compile(r"[ \t]*(?i:(?:or\b\s*)?(?:Trading\b\s*)?(?:Symbol\b)?)")
_BOX_NUMBER = re.compile(r"\d[a-z]?\.")
#: short upper-case words that end a company's name or say there is no ticker, never a ticker
_NO_TICKER = frozenset({"INC", "CORP", "CO", "LTD", "LLC", "LP", "LLP", "PLC", "SA", "NV", "AG", "SE", "BV", "TRUST", "FUND",
                        "NONE", "NA", "N/A"})

_LINE = re.compile(r"[^\n]+")
Token = tuple[int, int, str]


def _lines(text: str, pieces: list[Piece]) -> list[tuple[Piece, list[Token]]]:
    """The box's lines after its label, up to box 2a's label, each with its words; the label's
    wrapped tail ("Symbol") dropped."""
    body: list[Piece] = []
    label_end = -1
    for piece in pieces:
        start, end = piece.start, piece.end
        if m := ANCHORS["box2"].search(text, start, end):
            start = label_end = m.end()
        if stop := _BOX2A.search(text, start, end):
            body.append(Piece(start, stop.start()))
            break
        body.append(Piece(start, end))
    out = []
    rest = 2  # the label's own line and the next may hold the rest of its words ("or Trading" / "Symbol")
    for line in (Piece(m.start(), m.end()) for p in body for m in _LINE.finditer(text, p.start, p.end)):
        tail = _LABEL_REST.match(text, line.start, line.end) if rest and line.start >= label_end >= 0 else None
        tail = tail if tail and tail.group(0).strip() else _LABEL_WORDS.match(text, line.start, line.end)
        rest -= bool(rest and line.start >= label_end >= 0)
        if tail:
            line = Piece(tail.end(), line.end)
        for n, words in enumerate(_split_on_breaks(_clean_words(_box_tokens(text, [line])))):  # a <br> breaks a line too
            out.append((Piece(words[0][0] if n else line.start, line.end), words))
    return out


def _name(text: str, words: list[Token]) -> Entity | None:
    """The issuer's name: the words up to another box's number ("5. Relationship ...")."""
    cut = next((k for k, t in enumerate(words) if _BOX_NUMBER.fullmatch(t[2])), len(words))
    return _entity(F.ISSUER_NAME, words[:cut], text, E.IN_BOX)


def _ticker(text: str, start: int, m: re.Match[str], score: float) -> Entity:
    return Entity(F.TICKER, start + m.start(1), start + m.end(1), m.group(1), score, value_text=m.group(1).upper())


def _ticker_in(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first bracketed ticker (EDGAR's ``[ EXMP ]``) that is not a checkbox: an ``[X]`` followed
    by one of box 5's labels is the relationship box's mark.

    >>> _ticker_in("[X] Director   Example Holdings, Inc. [ X ]").start()
    38
    """
    for m in TICKER_TOKS.finditer(text, start, len(text) if end is None else end):
        line_end = text.find("\n", m.end())
        rest = text[m.end() : line_end if line_end >= 0 else len(text)].lstrip(" \t_*|")
        if not any(label.match(rest) for label in _REL_LABELS.values()):
            return m
    return None


def read_box2(text: str, pieces: list[Piece]) -> list[Entity]:
    """The issuer's name and ticker of box 2, or nothing where no ticker is found in it.

    >>> t = "2. Issuer Name and Ticker or Trading Symbol\\nExample Holdings, Inc.\\nEXMP\\n2a. Foreign Trading Symbol\\n"
    >>> [(e.label, e.value_source) for e in read_box2(t, [Piece(0, len(t))])]
    [('ISSUER_NAME', 'Example Holdings, Inc.'), ('TICKER', 'EXMP')]
    >>> t = "2. Issuer Name and Ticker or Trading Symbol Example Holdings, Inc. (NASDAQ: EXMP)"
    >>> [(e.label, e.value_source) for e in read_box2(t, [Piece(0, len(t))])]
    [('ISSUER_NAME', 'Example Holdings, Inc.'), ('TICKER', 'EXMP')]
    """
    lines = _lines(text, pieces)
    for k, (span, line) in enumerate(lines):
        chunk = text[span.start : span.end].rstrip()
        # the lines above, without another box's label a converter put between ("5. Relationship ...")
        above = [words for _, words in lines[:k] if not _BOX_NUMBER.fullmatch(words[0][2])]
        found, score = _ticker_in(chunk), E.PRINTED
        if found is None:
            found, score = _IN_PARENTHESES.search(chunk), E.IN_BOX
        if found is not None and found.group(1).upper() not in _NO_TICKER:
            before = Piece(span.start, span.start + found.start())
            name = _clean_words([t for t in _box_tokens(text, [before]) if t[2] != "\n"]) or (above[-1] if above else [])
            return [e for e in (_name(text, name), _ticker(text, span.start, found, score)) if e]
        found = _ALONE.fullmatch(chunk) if above and len(line) <= 3 else None
        if found is not None and found.group(1) not in _NO_TICKER:
            # the ticker typed on the line under the name (the name may wrap over two lines)
            name = [t for words in above[-2:] for t in words]
            return [e for e in (_name(text, name), _ticker(text, span.start, found, E.IN_BOX)) if e]
    return []


def issuer_anywhere(text: str, sections: Sections) -> list[Entity]:
    """The first "NAME [ TICKER ]" of the header, the name being the words before it on its line."""
    m = _ticker_in(text, sections.header.start, sections.header.end)
    if not m:
        return []
    line_start = text.rfind("\n", 0, m.start()) + 1
    words = [t for t in _box_tokens(text, [Piece(line_start, m.start())]) if t[2] != "\n"]
    while words and not re.search(r"[A-Za-z0-9]", words[0][2]):
        words = words[1:]
    out = []
    if e := _entity(F.ISSUER_NAME, words[-6:], text, E.IMPLIED):
        out.append(e)
    out.append(Entity(F.TICKER, m.start(1), m.end(1), m.group(1), E.JOINED, value_text=m.group(1).upper()))
    return out
