"""Placements and hits: where a value was found; finding single-token values (numbers, dates, letters)."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from form4.form.fields import Kind

from .expected import Expected, atom_forms
from .text import TokenIndex, fold


# ---------------------------------------------------------------- results
Fragment = tuple[int, int]


@dataclass(frozen=True)
class Placement:
    """Where one expected value landed: ``placed`` (with its fragments), ``missing``, or
    ``misaligned`` (off token boundaries; cannot happen by construction, checked anyway).
    Only ``placed`` values become spans."""

    pointer: str
    label: str
    value: str
    status: str
    fragments: tuple[Fragment, ...] = ()
    how: str = ""

    @property
    def start(self) -> int:
        return self.fragments[0][0] if self.fragments else -1

    @property
    def end(self) -> int:
        return self.fragments[-1][1] if self.fragments else -1


@dataclass
class Alignment:
    text: str
    placements: list[Placement] = field(default_factory=list)

    @property
    def spans(self) -> list[dict[str, object]]:
        """One span per fragment of every placed value, in text order."""
        spans = [(s, e, p.label) for p in self.placements if p.status == "placed" for s, e in p.fragments]
        return [{"start": s, "end": e, "label": label} for s, e, label in sorted(spans)]

    def counts(self) -> Counter:
        return Counter((p.label, p.status) for p in self.placements)


# ---------------------------------------------------------------- finding single-token values
@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    quality: float  # 1 exact printed form, .9 other form, .8 OCR-folded, .6 fuzzy
    how: str


def _digit_share(text: str) -> float:
    digits = sum(c.isdigit() for c in text)
    return digits / max(1, sum(c.isalnum() for c in text))


def atom_hits(ix: TokenIndex, exp: Expected, lo: int, hi: int, fuzzy: bool = False) -> list[Hit]:
    """Every token-aligned place in ``text[lo:hi]`` that prints ``exp`` (a number, date or letter)."""
    found: dict[tuple[int, int], Hit] = {}

    def add(hit: Hit) -> None:
        key = (hit.start, hit.end)
        if key not in found or found[key].quality < hit.quality:
            found[key] = hit

    forms = atom_forms(exp)
    letter = exp.kind is Kind.LETTER
    for rank, form in enumerate(forms):
        for i in _in_range(ix.by_token.get(form, ()), ix, lo, hi):
            quality = 0.6 if letter and _inside_words(ix, i) else (1.0 if rank == 0 else 0.9)
            add(Hit(ix.starts[i], ix.ends[i], quality, "exact"))
    if letter:
        for i in _in_range(ix.by_fold.get(fold(forms[0]), ()), ix, lo, hi):
            add(Hit(ix.starts[i], ix.ends[i], 0.5 if _inside_words(ix, i) else 0.8, "folded"))
        return sorted(found.values(), key=lambda h: h.start)
    chars, index = ix.folded
    a, b = bisect.bisect_left(index, lo), bisect.bisect_left(index, hi)
    for form in forms[:2]:
        needle = fold(form).replace(" ", "")
        for pos in _find_all(chars, needle, a, b):
            _add_stream_hit(ix, index, pos, len(needle), 0.8, "folded", add)
        if fuzzy and len(needle) >= 5:
            for pos in _hamming_all(chars, needle, a, b, max(1, len(needle) // 8)):
                _add_stream_hit(ix, index, pos, len(needle), 0.6, "fuzzy", add)
    if fuzzy and len(forms[0]) >= 3:  # split across a tab, a character repeated: "23,13<TAB>39"
        for variant, cut in _split_variants(fold(forms[0])):
            for pos in _find_all(chars, variant, a, b):
                start, end = index[pos], index[pos + len(variant) - 1] + 1
                if ix.text[index[pos + cut - 1] + 1 : index[pos + cut]].strip(" \t") == "" and index[pos + cut] > index[pos + cut - 1] + 1:
                    _add_stream_hit(ix, index, pos, len(variant), 0.7, "split", add)
    digits = re.sub(r"\D", "", forms[0])
    if fuzzy and exp.kind is Kind.NUMBER and len(digits) >= 4:  # a lost or doubled separator: "4,825779"
        for m in re.finditer("[.]?".join(digits), chars[a:b]):
            _add_stream_hit(ix, index, a + m.start(), m.end() - m.start(), 0.6, "fuzzy", add)
    return sorted(found.values(), key=lambda h: h.start)


def _inside_words(ix: TokenIndex, i: int) -> bool:
    """Is token ``i`` a letter inside running words (the ``A`` of ``Class A Common``)?"""

    def word_at(k: int, a: int, b: int) -> bool:
        return 0 <= k < len(ix.toks) and ix.line[k] == ix.line[i] and ix.toks[k][0].isalpha() and ix.starts[b] - ix.ends[a] == 1

    return word_at(i - 1, i - 1, i) and word_at(i + 1, i, i + 1)


def _letter_variants(ix: TokenIndex, letter: str, lo: int, hi: int) -> list[Hit]:
    """OCR prints a code letter with its footnote mark run in: ``Cc``, ``JO``, ``so)`` for C, J, S."""
    want = fold(letter)
    out = []
    for i in ix.span(lo, hi):
        tok = ix.toks[i]
        if 2 <= len(tok) <= 3 and tok.isalpha() and fold(tok[0]) == want:
            out.append(Hit(ix.starts[i], ix.ends[i], 0.5, "ocr-letter"))
    return out


def _in_range(indices: Sequence[int], ix: TokenIndex, lo: int, hi: int) -> Iterator[int]:
    first = bisect.bisect_left(indices, bisect.bisect_left(ix.starts, lo))
    for i in indices[first:]:
        if ix.ends[i] > hi:
            break
        yield i


def _find_all(chars: str, needle: str, a: int, b: int) -> Iterator[int]:
    pos = chars.find(needle, a, b)
    while pos >= 0:
        yield pos
        pos = chars.find(needle, pos + 1, b)


def _split_variants(needle: str) -> list[tuple[str, int]]:
    """How a number or date reads when a column-detecting OCR splits it in two (see
    ``training.noise.split_number``): the boundary character repeated in both
    halves, or a separator dropped; with the cut position.

    >>> _split_variants("1.862")
    [('11.862', 1), ('1862', 1), ('1..862', 2), ('1.8862', 3), ('1.8662', 4)]
    """
    out = []
    for i in range(1, len(needle)):
        out.append((needle[:i] + needle[i - 1 :], i))
        if needle[i] == ".":
            out.append((needle[:i] + needle[i + 1 :], i))
        if needle[i - 1] == ".":
            out.append((needle[: i - 1] + needle[i:], i - 1))
    return list(dict.fromkeys(out))


def _hamming_all(chars: str, needle: str, a: int, b: int, limit: int) -> Iterator[int]:
    """Starts of same-length windows of ``chars[a:b]`` within ``limit`` substitutions of ``needle``."""
    n = len(needle)
    for start in range(a, max(a, b - n + 1)):
        errors = 0
        for x, y in zip(chars[start : start + n], needle):
            if x != y:
                errors += 1
                if errors > limit or x == "\n":
                    break
        else:
            yield start


def _add_stream_hit(ix: TokenIndex, index: list[int], pos: int, n: int, quality: float, how: str, add: Callable[[Hit], None]) -> None:
    start, end = index[pos], index[pos + n - 1] + 1
    printed = ix.text[start:end]
    if ix.aligned(start, end) and "\n" not in printed and (_digit_share(printed) >= 0.5 or any(c in ".,/" for c in printed)):
        add(Hit(start, end, quality, how))
