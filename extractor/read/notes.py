"""The form's own printed notes and page lines, never a value: blanked from the footer before it is read.

The paper form prints, under and beside the signature line, the legend "** Intentional
misstatements or omissions of facts constitute Federal Criminal Violations ...", the note
"Note: File three copies of this Form ..." and the OMB notice "Potential persons who are to
respond ..." (with the notes under the tables, :data:`form4.form.labels.NOTES`); every page ends with its number ("Page 3 of 12", and on a filer's
attached pages "2 of 3", Instruction 6(b)) and page 1 with the form's number ("SEC 1474 (03-26)").
Converters print these between and beside the filer's words (a signature's name, the last
footnote), often broken over lines with the signature between their halves, so a note is found
as runs of its words in order, whatever lies between the runs.
"""

from __future__ import annotations

import re

from ..form.labels import NOTES, WORDINGS, words
_PAGE_ITEM = r"(?:(?:Page|Pg\.?)[ \t]+\d{1,3}(?:[ \t]+of[ \t]+\d{1,3})?|\d{1,3}[ \t]+of[ \t]+\d{1,3}|SEC[ \t]+1474[ \t]*\(\d{1,2}-\d{2}\))"
#: a page's own lines: its number and the form's number with its revision, alone or together on
#: one line ("SEC 1474 (11-11)        2 of 3")
PAGE_LINES = re.compile(rf"^[ \t]*{_PAGE_ITEM}(?:[ \t]+{_PAGE_ITEM})*[ \t]*$", re.I | re.M)
#: notes blanked only where they print whole: the reminder under Table I, whose last words
#: ("... owned directly or indirectly") a filer's footnote may end with too
WHOLE_ONLY = frozenset({"reminder"})
#: a shorter run of a note's words is kept (a footnote may quote a few), unless it starts or ends
#: the note with at least ``EDGE_RUN`` words
MIN_RUN, EDGE_RUN = 5, 3

_WORD = re.compile(r"[A-Za-z0-9%]+")
_STARS = re.compile(r"\*+[ \t]*$")
_NOTES = tuple(dict.fromkeys(tuple(w.lower() for w in words(key, k)) for key in sorted(NOTES) for k in range(len(WORDINGS[key]))))
_WHOLE = frozenset(tuple(w.lower() for w in words(key, k)) for key in WHOLE_ONLY for k in range(len(WORDINGS[key])))
_PLACES: dict[str, list[tuple[int, int]]] = {}
for _n, _note in enumerate(_NOTES):
    for _i, _w in enumerate(_note):
        _PLACES.setdefault(_w, []).append((_n, _i))


def _run(tokens: list[re.Match[str]], i: int, note: tuple[str, ...], at: int) -> int:
    """How many of ``note``'s words from ``at`` on the tokens from ``i`` on repeat."""
    n = 0
    while i + n < len(tokens) and at + n < len(note) and tokens[i + n].group(0).lower() == note[at + n]:
        n += 1
    return n


def note_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans of ``text[start:end]`` that are the form's notes and page lines.

    >>> t = "/s/ Jane Roe 03/05/2024\\n** Intentional misstatements or omissions of facts constitute Federal Criminal\\n"
    >>> [t[a:b] for a, b in note_spans(t)]
    ['** Intentional misstatements or omissions of facts constitute Federal Criminal']
    >>> u = "1. A note on the sale.\\nPage 3 of 12\\n"
    >>> [u[a:b] for a, b in note_spans(u)]
    ['Page 3 of 12']
    """
    end = len(text) if end is None else end
    spans = [(m.start(), m.end()) for m in PAGE_LINES.finditer(text, start, end)]
    tokens = list(_WORD.finditer(text, start, end))
    i = 0
    while i < len(tokens):
        best = 0
        for n, at in _PLACES.get(tokens[i].group(0).lower(), ()):
            length = _run(tokens, i, _NOTES[n], at)
            edge = at == 0 or at + length == len(_NOTES[n])
            whole = at == 0 and length == len(_NOTES[n])
            if (whole or (_NOTES[n] not in _WHOLE and (length >= MIN_RUN or (edge and length >= EDGE_RUN)))) and length > best:
                best = length
        if not best:
            i += 1
            continue
        first, last = tokens[i].start(), tokens[i + best - 1].end()
        if stars := _STARS.search(text, max(start, first - 8), first):  # the "**" that marks the legend
            first = stars.start()
        while last < end and text[last] in ".)]":  # "78ff(a).", "4(b)(v)."
            last += 1
        spans.append((first, last))
        i += best
    return sorted(spans)


def blank_notes(text: str, start: int = 0, end: int | None = None) -> str:
    """``text`` with the notes and page lines of ``text[start:end]`` blanked (same length, offsets hold).

    >>> blank_notes("/s/ Jane Roe\\nNote: File three copies of this Form\\n").split("\\n")
    ['/s/ Jane Roe', '                                    ', '']
    """
    out, at = [], 0
    for a, b in note_spans(text, start, end):
        a = max(a, at)
        out += [text[at:a], re.sub(r"[^\n]", " ", text[a:b])]
        at = max(at, b)
    return "".join(out) + text[at:]
