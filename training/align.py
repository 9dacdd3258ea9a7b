"""Project gold values onto flattened text: character-offset span annotations.

What is expected: the strings the rendered page prints
(:func:`form4.training.pages.render.render_values`) that carry an entity label
(:func:`form4.form.fields.label_for_pointer`). Leaves the page does not print
(the issuer CIK, false flags, a derivative row's (A)/(D) code, which only the
column shows) are not expected and not counted.

How they are found:

* **regions** (:func:`find_regions`): header, Table I, Table II (running on past
  "Explanation of Responses:" to the first footnote, where pdfminer prints the
  last cells), the blocks of reporting owners 2.. after Table II, the signature
  block. Headings are matched OCR-tolerantly (``Tablo Il``, ``Res ponses``).
* **table rows** (:class:`TablePlacer`): numbers, dates and code letters of all
  rows form one monotone chain (rows in order, cells in column order; in
  ``pdftotext -layout`` text read by line bands and columns), so a number
  printed twice (shares = owned following) or in two rows gets its role from
  its position. Text printed column by column (pdfminer, merged markdown cells)
  is chained column by column instead. Each row then gets a window and, for
  layout text, a main line; its text values (titles, nature of ownership) are
  searched inside, in column order on every line and, where the text keeps
  the page's columns, in horizontal position.
* **text values** (:class:`PhraseFinder`) may wrap: a value printed over several
  lines becomes several fragments, one per line (or per run between inline
  markup), in reading order; each fragment is a span with the value's label.
  Wrapped cells of tall rows, footnote-mark lines and repeated table headings
  after a page break may sit between fragments.
* **comparison**: exact, case-folded, then OCR-folded (``O``/``0``, ``S``/``5``,
  ``l``/``1``; ``US.`` for ``U.S.``), split or merged words (``Conversio n``,
  a number split by a column gap), then a small edit distance; the fuzzy
  searches only run inside a row's window or a small region.

Every span starts and ends on a token boundary of
:class:`form4.model.tokenizer.FilingTokenizer` (the search works on its tokens;
:func:`align_record` re-checks). Spans never overlap. A value that cannot be
placed has status ``missing`` and never becomes a span; ``coverage`` counts
placed / printed per converter and label.
"""

from __future__ import annotations

import bisect
import heapq
import html
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Iterator, Sequence

from form4.form import fields as F
from form4.form.labels import run, words
from form4.form.ocr import LOOKALIKES, MISREAD
from form4.schema import Record
from form4.model.tokenizer import TOKEN

from .pages.render import _TABLE1, _TABLE2, render_values

Kind = F.Kind

# ---------------------------------------------------------------- expected values
_KINDS: dict[str, Kind] = {
    label: kind for table in (F.HEADER_LABELS, F.ROW_LABELS, F.SIGNATURE_LABELS) for label, (_, kind) in table.items()
}


@dataclass(frozen=True)
class Expected:
    """One printed, labelled gold value: where it lives and the exact string the page shows."""

    pointer: str
    label: str
    printed: str
    kind: Kind

    @property
    def parts(self) -> list[str]:
        return self.pointer.strip("/").split("/")

    @property
    def needle(self) -> str:
        """The string to look for: a price without its ``$`` (the tokenizer splits it off)."""
        return self.printed[1:] if self.kind is Kind.NUMBER and self.printed.startswith("$") else self.printed

    @property
    def is_atom(self) -> bool:
        """Numbers, dates and code letters are single tokens; text values are token sequences."""
        return self.kind is not Kind.TEXT


def expected_values(record: Record) -> list[Expected]:
    """The labelled values the rendered page prints, in page-independent record order.

    >>> from form4.schema import Issuer
    >>> [e.printed for e in expected_values(Record(issuer=Issuer(name="X Corp", cik="1")))]
    ['X Corp']
    """
    out = []
    for pointer, printed in render_values(record):
        label = F.label_for_pointer(pointer)
        if label:
            out.append(Expected(pointer, label, printed, _KINDS[label]))
    return out


def atom_forms(exp: Expected) -> list[str]:
    """The printed string first, then how other printers show the same number.

    >>> atom_forms(Expected("/x/0/price_per_share", F.PRICE, "$1,250.50", Kind.NUMBER))
    ['1,250.50', '1250.50', '1,250.5', '1250.5']
    >>> atom_forms(Expected("/x/0/shares", F.SHARES, "45,551", Kind.NUMBER))
    ['45,551', '45551', '45,551.00', '45551.00']
    """
    needle = exp.needle
    if exp.kind is not Kind.NUMBER:
        return [needle]
    forms = [needle]
    if "." in needle:
        whole, decimals = needle.split(".")
        short = decimals.rstrip("0")
        forms.append(f"{whole}.{short}" if short else whole)
    else:
        forms.append(f"{needle}.00")
    forms = [g for f in forms for g in (f, f.replace(",", ""))]
    # a bare "7" for "$7.00" would match any stray digit
    return [f for f in dict.fromkeys(forms) if f == needle or len(f) >= 2]


# ---------------------------------------------------------------- an OCR-tolerant view
#: A letter or glyph OCR prints for a digit folds to that digit (OCR's confusions, ``MISREAD``), a
#: comma to a point; typographic quotes fold to "'".
_CONFUSABLE = str.maketrans({
    **{c: next(r for r in readings if r.isdigit()) for c, readings in MISREAD.items()
       if len(c) == 1 and not (c.isupper() or c.isdigit() or c in ",./") and any(r.isdigit() for r in readings)},
    ",": MISREAD[","][0], "’": "'", "`": "'",
})


#: ``fold`` for one character at a time, length-preserving (for offsets into the text).
_FOLD_CHAR = {ord(c): fold_c for c in map(chr, range(32, 127)) if (fold_c := c.lower().translate(_CONFUSABLE)) != c}
_FOLD_CHAR.update({ord("’"): "'"})
#: What the folded stream leaves out: spaces, tabs and markdown escapes; newlines stay as barriers.
_STREAM_SKIP = frozenset(" \t\xa0\\*_`")


def fold(text: str) -> str:
    """Lower case with OCR-confusable characters mapped together.

    >>> fold("Conversion"), fold("1O/26/2O23"), fold("45.551") == fold("45,551")
    ('c0nver510n', '10/26/2023', True)
    """
    return text.lower().translate(_CONFUSABLE)


def edit_distance(a: str, b: str, limit: int) -> int | None:
    """Levenshtein distance of ``a`` and ``b`` if it is at most ``limit``.

    >>> edit_distance("restricted", "restrcisted", 2), edit_distance("stock", "option", 2)
    (2, None)
    """
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


# ---------------------------------------------------------------- the text's tokens
_BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
#: Tags that may sit inside a value (``ONE <u>MICROSOFT WAY</u>``); a value is split around them.
_INLINE_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|font|a)\b[^<>]*>", re.I)


def _heading_vocabulary() -> frozenset[str]:
    """Folded tokens of the tables' printed headings: lines made only of them are page furniture."""
    from .pages.render import render_html

    page = render_html(Record())
    page = page[page.index("Table I -") : page.index("Explanation of")]
    words = TOKEN.findall(html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return frozenset(fold(w) for w in words if not w.isspace())


@dataclass
class TextIndex:
    """The non-space tokens of a text (``FilingTokenizer`` boundaries) with their lines.

    ``line`` counts visual lines: a newline or a ``<br>`` starts a new one. ``rank``
    numbers the content lines: lines that hold tokens other than table-heading
    words (a table heading repeated after a page break is furniture), so a
    ``rank`` difference counts the content lines in between. ``col`` is the
    offset from the physical line start; ``tag`` marks inline markup tokens.
    """

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    toks: list[str] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    rank: list[int] = field(default_factory=list)
    col: list[int] = field(default_factory=list)
    tag: list[bool] = field(default_factory=list)
    furniture: frozenset[int] = frozenset()

    @classmethod
    def of(cls, text: str) -> "TextIndex":
        ix = cls(text)
        line, line_start = 0, 0
        for m in TOKEN.finditer(text):
            tok = m.group(0)
            if tok.isspace():
                newlines = tok.count("\n")
                if newlines:
                    line += newlines
                    line_start = m.start() + tok.rindex("\n") + 1
                continue
            if _BREAK_TAG.fullmatch(tok):
                line += 1
                continue
            ix.starts.append(m.start())
            ix.ends.append(m.end())
            ix.toks.append(tok)
            ix.line.append(line)
            ix.col.append(m.start() - line_start)
            ix.tag.append(tok[0] == "<" and bool(_INLINE_TAG.fullmatch(tok)))
        ix.rank = ix._content_ranks()
        return ix

    def _content_ranks(self) -> list[int]:
        furniture: dict[int, bool] = {}
        for line, tok in zip(self.line, self.folded_toks):
            furniture[line] = furniture.get(line, True) and (tok in _HEADINGS or tok.startswith("<"))
        self.furniture = frozenset(line for line, flag in furniture.items() if flag)
        ranks, rank, last = [], -1, -1
        for line in self.line:
            if line != last and not furniture[line]:
                rank += 1
            last = line
            ranks.append(max(rank, 0))
        return ranks

    @cached_property
    def words(self) -> list["Word"]:
        """Runs of tokens printed without white space on one line; markup and pipes stand apart."""
        out: list[Word] = []
        first = 0
        for i in range(1, len(self.toks) + 1):
            if i < len(self.toks) and self._joined(i - 1, i):
                continue
            if not self._separator(first):
                tokens = self.toks[first:i]
                cut = next((k for k, t in enumerate(tokens) if k and (t == "(" or t[0] in _MARKS)), len(tokens))
                whole, core = "".join(tokens), "".join(tokens[:cut])
                if "&" in whole:  # raw HTML: "&amp;"
                    whole, core = html.unescape(whole), html.unescape(core)
                out.append(Word(first, i - 1, norm(whole), norm(core)))
            first = i
        return out

    def _joined(self, a: int, b: int) -> bool:
        if self.ends[a] != self.starts[b] or self.line[a] != self.line[b] or self._separator(a) or self._separator(b):
            return False
        return not (self.toks[a] in ("-", "/") and self.toks[b][0].isalnum())  # a word may wrap after "-" or "/"

    def _separator(self, i: int) -> bool:
        return self.toks[i][0] in "<|"

    @cached_property
    def page_breaks(self) -> list[int]:
        return [m.start() for m in re.finditer("\f", self.text)]

    def page(self, offset: int) -> int:
        """Page number of ``offset`` (form feeds separate pages)."""
        return bisect.bisect_right(self.page_breaks, offset)

    @cached_property
    def line_tokens(self) -> dict[int, tuple[int, int]]:
        """line -> (first token, last token + 1)."""
        out: dict[int, tuple[int, int]] = {}
        for i, line in enumerate(self.line):
            first = out.get(line, (i, i))[0]
            out[line] = (first, i + 1)
        return out

    def lines_printing(self, first_line: int, stop_line: int, x0: int, x1: int) -> int:
        """How many content lines in ``[first_line, stop_line)`` print a token within columns ``[x0, x1)``."""
        count = 0
        for line in range(first_line, stop_line):
            if line in self.furniture:
                continue
            a, b = self.line_tokens.get(line, (0, 0))
            if any(self.col[k] < x1 + 1 and self.col[k] + self.ends[k] - self.starts[k] > x0 - 1 for k in range(a, b)):
                count += 1
        return count

    @cached_property
    def word_firsts(self) -> list[int]:
        return [w.first for w in self.words]

    def _word_index(self, key: Callable[["Word"], str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for k, w in enumerate(self.words):
            out.setdefault(key(w), []).append(k)
        return out

    @cached_property
    def by_norm(self) -> dict[str, list[int]]:
        return self._word_index(lambda w: w.norm)

    @cached_property
    def by_core(self) -> dict[str, list[int]]:
        return self._word_index(lambda w: w.core)

    @cached_property
    def by_word_raw(self) -> dict[str, list[int]]:
        return self._word_index(lambda w: html.unescape(self.text[self.starts[w.first] : self.ends[w.last]]))

    @cached_property
    def start_set(self) -> frozenset[int]:
        return frozenset(self.starts)

    @cached_property
    def end_set(self) -> frozenset[int]:
        return frozenset(self.ends)

    @cached_property
    def by_token(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, tok in enumerate(self.toks):
            out.setdefault(tok, []).append(i)
        return out

    @cached_property
    def folded_toks(self) -> list[str]:
        return [fold(tok) for tok in self.toks]

    @cached_property
    def by_fold(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, tok in enumerate(self.folded_toks):
            out.setdefault(tok, []).append(i)
        return out

    @cached_property
    def folded(self) -> tuple[str, list[int]]:
        """The text folded, without spaces and tabs (newlines stay as barriers); offsets back."""
        folded = self.text.translate(_FOLD_CHAR)
        index = [i for i, ch in enumerate(self.text) if ch not in _STREAM_SKIP]
        return "".join([folded[i] for i in index]), index

    def span(self, lo: int, hi: int) -> range:
        """Token indices wholly inside ``text[lo:hi]``."""
        return range(bisect.bisect_left(self.starts, lo), bisect.bisect_right(self.ends, hi))

    def token_at(self, offset: int) -> int:
        """Index of the token starting at ``offset`` (which must be a token start)."""
        return bisect.bisect_left(self.starts, offset)

    def aligned(self, start: int, end: int) -> bool:
        return start in self.start_set and end in self.end_set and start < end


_HEADINGS = _heading_vocabulary()

# ---------------------------------------------------------------- spans already taken
class Taken:
    """Non-overlapping ``[start, end)`` intervals, sorted."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        if i and self._ends[i - 1] > start:
            return False
        return i == len(self._starts) or self._starts[i] >= end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def remove(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        if i < len(self._starts) and self._starts[i] == start and self._ends[i] == end:
            del self._starts[i], self._ends[i]


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


def atom_hits(ix: TextIndex, exp: Expected, lo: int, hi: int, fuzzy: bool = False) -> list[Hit]:
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


def _inside_words(ix: TextIndex, i: int) -> bool:
    """Is token ``i`` a letter inside running words (the ``A`` of ``Class A Common``)?"""

    def word_at(k: int, a: int, b: int) -> bool:
        return 0 <= k < len(ix.toks) and ix.line[k] == ix.line[i] and ix.toks[k][0].isalpha() and ix.starts[b] - ix.ends[a] == 1

    return word_at(i - 1, i - 1, i) and word_at(i + 1, i, i + 1)


def _letter_variants(ix: TextIndex, letter: str, lo: int, hi: int) -> list[Hit]:
    """OCR prints a code letter with its footnote mark run in: ``Cc``, ``JO``, ``so)`` for C, J, S."""
    want = fold(letter)
    out = []
    for i in ix.span(lo, hi):
        tok = ix.toks[i]
        if 2 <= len(tok) <= 3 and tok.isalpha() and fold(tok[0]) == want:
            out.append(Hit(ix.starts[i], ix.ends[i], 0.5, "ocr-letter"))
    return out


def _in_range(indices: Sequence[int], ix: TextIndex, lo: int, hi: int) -> Iterator[int]:
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


def _add_stream_hit(ix: TextIndex, index: list[int], pos: int, n: int, quality: float, how: str, add: Callable[[Hit], None]) -> None:
    start, end = index[pos], index[pos + n - 1] + 1
    printed = ix.text[start:end]
    if ix.aligned(start, end) and "\n" not in printed and (_digit_share(printed) >= 0.5 or any(c in ".,/" for c in printed)):
        add(Hit(start, end, quality, how))


# ---------------------------------------------------------------- finding text values (possibly wrapped)
def norm(text: str) -> str:
    """Folded letters and digits only: what OCR keeps of a word.

    >>> norm("L.P.") == norm("LP."), norm("U.S.") == norm("US")
    (True, True)
    """
    return "".join(c for c in fold(text) if c.isalnum())


def split_words(text: str) -> list[tuple[str, bool]]:
    """White-space separated words, split again after a hyphen or slash (where a
    browser may wrap); ``True`` marks a part glued to the one before.

    >>> split_words("Attorney-in-fact for C/O X")
    [('Attorney-', False), ('in-', True), ('fact', True), ('for', False), ('C/', False), ('O', True), ('X', False)]
    """
    out = []
    for word in text.split():
        parts = re.findall(r"[^\-/]*[\-/]+(?=[^\-/])|.+", word)
        out += [(part, k > 0) for k, part in enumerate(parts)]
    return out


@dataclass(frozen=True)
class Phrase:
    """A text value as its words (:func:`split_words`), raw and :func:`norm` ed."""

    words: tuple[str, ...]
    norms: tuple[str, ...]
    glued: tuple[bool, ...]

    @classmethod
    def of(cls, value: str) -> "Phrase":
        parts = split_words(value)
        return cls(tuple(w for w, _ in parts), tuple(norm(w) for w, _ in parts), tuple(g for _, g in parts))

    @property
    def size(self) -> int:
        """How many words carry letters or digits."""
        return sum(bool(n) for n in self.norms) or 1


@dataclass(frozen=True)
class Word:
    """A run of tokens printed without white space on one line (``Stock(1)(2)``).

    Markup and pipes are never part of a word. ``core`` is the :func:`norm` of
    the tokens before a footnote mark or other trailing punctuation.
    """

    first: int
    last: int
    norm: str
    core: str


@dataclass(frozen=True)
class PhraseMatch:
    fragments: tuple[Fragment, ...]
    cost: float
    how: str


#: ``piece_ok(start, end, token_index)`` -> may a fragment occupy ``text[start:end]``?
PieceCheck = Callable[[int, int, int], bool]

#: A matched value word: (value words used, text words used, cost, first token, last token).
_Step = tuple[int, int, float, int, int]

_INLINE_GAP = re.compile(r"[ \xa0]{1,2}")


def _fuzzy_cost(a: str, b: str) -> float | None:
    """Cost of reading norm ``b`` for norm ``a`` (None: too different)."""
    if a == b:
        return 0.0
    if len(a) < 4:
        return None
    d = edit_distance(a, b, 1 if len(a) < 8 else 2)
    return None if d is None else 0.6 + 0.3 * (d - 1)


def _garbled(value_norm: str, text_norm: str) -> bool:
    """Could OCR have garbled ``value_norm`` into ``text_norm`` (not just another word)?"""
    limit = max(2, len(value_norm) // 2)
    return edit_distance(value_norm, text_norm, limit) is not None


class PhraseFinder:
    """Finds a :class:`Phrase` in a token range as fragments on successive lines.

    A fragment is a run of text words matching consecutive value words, the
    words apart by one or two spaces on one line. The next fragment continues
    the value on a later line (at most ``max_skip`` content lines further), or
    on the same line after inline markup. Words are compared on their
    :func:`norm` (OCR: ``US.`` for ``U.S.``, ``LP.)`` for ``L.P.``), then within
    a small edit distance; an OCR split (``Conversio n``) or merge (``ClassA``)
    costs 0.5, a garbled word inside a fragment 1.0, a word OCR lost 1.5 (at
    most a quarter of the words). Cost also counts +1 per extra fragment, +0.5
    per content line skipped and, in columnar text, +0.5 per fragment not under
    its predecessor.
    """

    def __init__(self, ix: TextIndex, max_skip: int = 2) -> None:
        self.ix = ix
        self.max_skip = max_skip
        self.columnar = False

    def find(
        self, phrase: Phrase, tokens: range, piece_ok: PieceCheck, centre: int | None = None, columnar: bool = False
    ) -> PhraseMatch | None:
        """The cheapest acceptable placement of ``phrase`` in ``tokens`` (``centre``: a
        layout row's main content rank; ``columnar``: the text keeps the page's columns)."""
        self.columnar = columnar
        ix, n = self.ix, len(phrase.words)
        words = self._words_in(tokens)
        if not n or not len(words):
            return None
        starts = self._starts(phrase, words)
        max_drops = phrase.size // 4
        # reach[j]: last text word -> best (cost, fragments as token pairs, words dropped) covering value words [0, j)
        reach: list[dict[int, tuple[float, tuple[tuple[int, int], ...], int]]] = [dict() for _ in range(n + 1)]
        reach[0][-1] = (0.0, (), 0)

        def offer(j: int, w: int, state: tuple[float, tuple[tuple[int, int], ...], int]) -> None:
            best = reach[j].get(w)
            if best is None or state[0] < best[0]:
                reach[j][w] = state

        for j in range(n):
            for prev, (cost, chain, drops) in sorted(reach[j].items()):
                if j and (not phrase.norms[j] or drops < max_drops):  # OCR lost this word
                    offer(j + 1, prev, (cost + (0.3 if not phrase.norms[j] else 1.5), chain, drops + bool(phrase.norms[j])))
                for w in starts[j]:
                    link = self._link(chain, prev, w)
                    if link is None:
                        continue
                    for j_end, w_end, piece_cost, frag in self._pieces(phrase, j, w, words.stop, piece_ok):
                        offer(j_end + 1, w_end, (cost + piece_cost + link, chain + (frag,), drops))
        done = [v for v in reach[n].values() if v[1]]
        if not done:
            return None
        cost, chain, _ = min(done, key=lambda v: (v[0] + self._centre_cost(v[1], centre), v[1][0][0]))
        cost += self._centre_cost(chain, centre)
        if cost > 0.45 * phrase.size + 1.0 * (len(chain) - 1) + 0.5:
            return None
        frags = tuple((ix.starts[a], ix.ends[b]) for a, b in chain)
        return PhraseMatch(frags, cost, "exact" if cost == 0 else "fuzzy")

    # -------------------------------------------------------- words
    def _words_in(self, tokens: range) -> range:
        """Indices of the text words wholly inside a token range."""
        firsts = self.ix.word_firsts
        a = bisect.bisect_left(firsts, tokens.start)
        b = bisect.bisect_left(firsts, tokens.stop)
        while b > a and self.ix.words[b - 1].last >= tokens.stop:
            b -= 1
        return range(a, b)

    def _starts(self, phrase: Phrase, words: range) -> list[list[int]]:
        """Per value word, the text words in range that may start a fragment with it."""
        ix = self.ix
        out: list[list[int]] = []
        for j, (raw, n) in enumerate(zip(phrase.words, phrase.norms)):
            if not n:
                out.append([w for w in _in_token_range(ix.by_word_raw.get(raw, ()), words)])
                continue
            cands = set(_in_token_range(ix.by_core.get(n, ()), words))
            cands.update(_in_token_range(ix.by_norm.get(n, ()), words))
            if j + 1 < len(phrase.norms) and phrase.norms[j + 1]:  # OCR merge of two long words: "MENLOPARK"
                cands.update(_in_token_range(ix.by_core.get(n + phrase.norms[j + 1], ()), words))
            if len(n) >= 2:
                for w in words:
                    core = ix.words[w].core
                    if w in cands or not core or abs(len(core) - len(n)) > 2:
                        continue
                    if core[:2] == n[:2] and (n.startswith(core) or core.startswith(n)):
                        cands.add(w)  # split ("Conversio n") or a letter lost or added ("LPo")
                    elif len(n) >= 4 and (core[0] == n[0] or core[-1] == n[-1]) and _fuzzy_cost(n, core) is not None:
                        cands.add(w)
            out.append(sorted(cands))
        return out

    def _step(self, phrase: Phrase, j: int, w: int, first: bool, stop: int) -> _Step | None:
        """Match value word j at text word w."""
        ix = self.ix
        raw, n = phrase.words[j], phrase.norms[j]
        word = ix.words[w]
        if not n:  # "&", "-": printed as is (or as "&amp;"), or dropped by OCR
            if html.unescape(ix.text[ix.starts[word.first] : ix.ends[word.last]]) == raw:
                return 1, 1, 0.0, word.first, word.last
            return None
        exact = self._word_span(word, raw, n, lenient=False)
        if exact is not None:
            a, b, c = exact
            return 1, 1, c, a, b
        nxt = ix.words[w + 1] if w + 1 < stop else None
        if nxt and self._split(word, nxt, n):  # OCR split: "Conversio n", "280<TAB>00"
            return 1, 2, 0.5, self._first_alnum(word, raw), self._trailing(nxt, self._core_end(nxt), raw)
        if j + 1 < len(phrase.words) and word.core == n + phrase.norms[j + 1]:  # OCR merge: "ClassA"
            return 2, 1, 0.5, self._first_alnum(word, raw), self._core_end(word)
        close = self._word_span(word, raw, n, lenient=True)
        if close is not None:
            a, b, c = close
            return 1, 1, c, a, b
        if first:
            return None
        if word.core and _garbled(n, word.core):  # a garbled word inside a fragment
            return 1, 1, 1.0, word.first, self._core_end(word)
        return None

    def _split(self, word: Word, nxt: Word, n: str) -> bool:
        """Is value word ``n`` printed as text words ``word`` and ``nxt`` on one line: split
        by a space (``Conversio n``) or by a column gap repeating the boundary
        character (``280<TAB>00`` for ``2800``)?"""
        ix = self.ix
        if nxt.first != word.last + 1 or ix.line[word.last] != ix.line[nxt.first] or not word.norm or not nxt.core:
            return False
        gap = ix.text[ix.ends[word.last] : ix.starts[nxt.first]]
        if gap == " ":
            return word.norm + nxt.core == n
        if gap.strip(" \t") or len(gap) > 8:
            return False
        return word.norm + nxt.core == n or (word.norm[-1] == nxt.core[0] and word.norm + nxt.core[1:] == n)

    def _word_span(self, word: Word, raw: str, n: str, lenient: bool) -> tuple[int, int, float] | None:
        """First and last token of ``word`` that print value word ``raw`` (norm ``n``), with a cost;
        ``lenient``: also within a small edit distance, or one letter more or less (``LPo``)."""
        ix = self.ix
        a = self._first_alnum(word, raw)
        if word.core == n or word.norm == n:
            b = self._core_end(word) if word.core == n else word.last
            b = self._trailing(word, b, raw)
            exact = ix.text[ix.starts[a] : ix.ends[b]] == raw
            return a, b, 0.0 if exact else 0.2
        if not lenient:
            return None
        c = _fuzzy_cost(n, word.core)
        if c is None and len(n) >= 2 and abs(len(word.core) - len(n)) == 1 and (word.core.startswith(n) or n.startswith(word.core)):
            c = 0.5
        if c is not None:
            return a, self._core_end(word), c
        return None

    def _first_alnum(self, word: Word, raw: str) -> int:
        """Skip leading punctuation the value does not have (OCR quotes, stray marks)."""
        ix = self.ix
        if raw[:1].isalnum():
            for i in range(word.first, word.last + 1):
                if ix.toks[i][0].isalnum():
                    return i
        return word.first

    def _core_end(self, word: Word) -> int:
        """Last token of the word's core: before a ``(1)`` mark or trailing punctuation."""
        ix = self.ix
        end = word.first
        for i in range(word.first, word.last + 1):
            tok = ix.toks[i]
            if tok == "(" and i > word.first or tok[0] in _MARKS:
                break
            if any(ch.isalnum() for ch in tok):
                end = i
        return end

    def _trailing(self, word: Word, b: int, raw: str) -> int:
        """Extend the fragment over punctuation the value itself ends with (``L.P.``, ``Fund,``)."""
        ix = self.ix
        tail = raw[len(raw.rstrip(".,;:)-/")) :]
        for ch in tail:
            if b < word.last and ix.toks[b + 1] == ch:
                b += 1
        return b

    def _adjacent(self, a: Word, b: Word, glued: bool = False) -> bool:
        """Do text words a and b follow each other on one line, apart by one or two
        spaces (``glued``: directly, as ``Attorney-`` and ``in-``)?"""
        ix = self.ix
        if b.first != a.last + 1 or ix.line[a.last] != ix.line[b.first]:
            return False
        gap = ix.text[ix.ends[a.last] : ix.starts[b.first]]
        return gap in ("", " ") if glued else bool(_INLINE_GAP.fullmatch(gap))

    # -------------------------------------------------------- fragments
    def _pieces(self, phrase: Phrase, j: int, w: int, stop: int, piece_ok: PieceCheck) -> Iterator[tuple[int, int, float, tuple[int, int]]]:
        """(last value word, last text word, cost, (first, last token)) of every fragment
        starting with value word j at text word w."""
        ix = self.ix
        cost, subs, first_tok = 0.0, 0, -1
        first = True
        while j < len(phrase.words) and w < stop:
            step = self._step(phrase, j, w, first, stop)
            if step is None and not first and not phrase.norms[j] and j + 1 < len(phrase.words):
                j, cost = j + 1, cost + 0.3  # OCR dropped an "&" or a "-"
                continue
            if step is None:
                return
            dj, dw, c, a, b = step
            cost += c
            subs += c >= 1.0
            if subs > phrase.size // 3:
                return
            first_tok = a if first else first_tok
            j_end, w_end = j + dj - 1, w + dw - 1
            if not piece_ok(ix.starts[first_tok], ix.ends[b], b):
                return
            yield j_end, w_end, cost, (first_tok, b)
            first = False
            j, w = j_end + 1, w_end + 1
            if w >= stop or j >= len(phrase.words) or not self._adjacent(ix.words[w - 1], ix.words[w], phrase.glued[j]):
                return
            if b != ix.words[w - 1].last and ix.toks[b + 1][0] in _MARKS + "(":
                return  # a footnote mark ends the value's print on this line

    def _link(self, chain: tuple[tuple[int, int], ...], prev: int, w: int) -> float | None:
        """Cost of continuing a value at text word ``w`` after a fragment ending in word ``prev``.

        The next fragment starts on a later line (+1, +0.5 per content line skipped,
        +0.5 in columnar text when it is not under its predecessor), or on the same line right after
        inline markup (+0.1: ``ONE <u>MICROSOFT WAY</u>``). None: not allowed. In
        columnar text only lines printing something in the value's column count as
        skipped (cells with footnote marks sit on lines of their own).
        """
        ix = self.ix
        if prev < 0:
            return 0.0
        if w <= prev:
            return None
        i, last = ix.words[w].first, ix.words[prev].last
        if ix.line[i] == ix.line[last]:
            between = range(last + 1, i)
            return 0.1 if between and all(ix.tag[k] for k in between) else None
        a, b = chain[-1]
        left, right = ix.col[a], ix.col[b] + len(ix.toks[b])
        if self.columnar:
            x0, x1 = min(left, ix.col[i]), max(right, ix.col[i] + len(ix.toks[i]))
            skipped = ix.lines_printing(ix.line[last] + 1, ix.line[i], x0, x1)
        else:
            skipped = ix.rank[i] - ix.rank[last] - 1
        if skipped > (self.max_skip if self.columnar else self.max_skip + 2):
            return None
        cost = 1.0 + 0.5 * max(0, skipped)
        if self.columnar and (ix.col[i] > right + 2 or (ix.col[i] + len(ix.toks[i]) < left - 2 and ix.col[i] < left - 6)):
            cost += 0.5
        return cost

    def _centre_cost(self, chain: tuple[tuple[int, int], ...], centre: int | None) -> float:
        """Layout rows: a wrapped cell is vertically centred on the row's main line (a content rank)."""
        if centre is None:
            return 0.0
        first, last = self.ix.rank[chain[0][0]], self.ix.rank[chain[-1][1]]
        return 0.3 * max(0.0, abs((first + last) / 2 - centre) - 1)


#: Characters that start a footnote mark glued to a value (``Stock⁽¹⁾``, ``Stock*``).
_MARKS = "⁽¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§®©™"


def _in_token_range(indices: Sequence[int], tokens: range) -> Iterator[int]:
    first = bisect.bisect_left(indices, tokens.start)
    for i in indices[first:]:
        if i >= tokens.stop:
            break
        yield i


# ---------------------------------------------------------------- regions of the page
_LOOSE_CHARS = {c: "[" + re.escape(alike) + "]" for c, alike in LOOKALIKES.items() if c.islower()}


def _loose_word(word: str) -> str:
    """A word as OCR and noise print it: a stray space or inline tag between letters,
    confusable letters."""
    return r"(?:\s|<[^<>]{0,20}>)?".join(_LOOSE_CHARS.get(c.lower(), re.escape(c)) for c in word)


def loose(*words: str) -> re.Pattern[str]:
    """A heading as OCR and noise print it (see ``_loose_word``), any punctuation or
    markup between words.

    >>> bool(loose("Explanation", "of", "Responses").search("Exp1anation 0f Res ponses:"))
    True
    """
    return re.compile(r"(?:\W|<[^<>]{0,40}>)*".join(_loose_word(w) for w in words), re.I)


_NON, _DERIV = run("table1", "Non", 2)[0], run("table1", "Derivative", 1)[0][:5]
_TABLE = _loose_word(words("table1")[0]) + r"\W{0,6}"
_TABLE1_HEAD = re.compile(_TABLE + r"[I1l|]\W+" + _loose_word(_NON) + r"\W{0,3}" + _loose_word(_DERIV), re.I)
_TABLE2_HEAD = re.compile(_TABLE + r"[I1l|]{2}\W+" + _loose_word(_DERIV), re.I)
_EXPLANATION = loose(*words("explanation")[:2], words("explanation")[2][:6])
_REMARKS = re.compile(r"(?<![A-Za-z])" + r"\s?".join(words("remarks")[0]) + r"\s?:", re.I)
_SIGNATURE_LABEL = loose(*words("signature")[:3])
_OWNER_HEAD = loose(*words("name")[:5])
_REMINDER = loose(words("reminder")[0])


@dataclass(frozen=True)
class Regions:
    """Character ranges of the page's parts; ``owners[k]`` holds reporting owner ``k + 1``."""

    header: tuple[int, int]
    table1: tuple[int, int]
    table2: tuple[int, int]
    owners: tuple[tuple[int, int], ...]
    signature: tuple[int, int]


_FOOTNOTE_LINE = re.compile(r"^\W{0,3}\d{1,2}\.\s", re.M)


def _first_footnote(text: str, start: int, end: int) -> int:
    """Where the footnotes begin after "Explanation of Responses:" (pdfminer prints the
    last table cells between that heading and the first footnote)."""
    m = _FOOTNOTE_LINE.search(text, start, end) or _REMARKS.search(text, start, end)
    return m.start() if m else start


def find_regions(text: str, extra_owners: int = 0) -> Regions:
    """Header, tables, extra owners and signature block, by the form's printed headings.

    Tolerant of OCR (``Table Il``) and of markup between words; a heading that
    is missing collapses its region onto the next one found. Table II runs on
    past "Explanation of Responses:" to the first footnote (pdfminer prints the
    last cells there); the signature block starts at that heading.

    >>> r = find_regions("Name\\nTable I - Non-Derivative x\\nTable II - Derivative y\\nExplanation of Responses: z\\n/s/ A\\n** Signature of Reporting Person")
    >>> r.header, r.table1, r.table2, r.signature
    ((0, 5), (5, 32), (32, 77), (56, 122))
    """
    end = len(text)
    m1 = _TABLE1_HEAD.search(text)
    t1 = m1.start() if m1 else 0
    m2 = _TABLE2_HEAD.search(text, t1 + 1)
    after_tables = m2.end() if m2 else t1 + 1
    ex = _EXPLANATION.search(text, after_tables) or _REMARKS.search(text, after_tables)
    sig = None
    for sig in _SIGNATURE_LABEL.finditer(text, ex.end() if ex else after_tables):
        pass  # the last one: footnotes may quote the label
    footer = ex.start() if ex else (sig.start() if sig else end)
    t2 = m2.start() if m2 and m2.start() < footer else footer
    table2_end = _first_footnote(text, ex.end(), sig.start() if sig else end) if ex else footer
    owners: list[tuple[int, int]] = []
    if extra_owners:
        starts = [m.start() for m in _OWNER_HEAD.finditer(text, t2, footer)]
        bounds = starts + [footer]
        owners = [(bounds[k], bounds[k + 1]) for k in range(len(starts))]
        table2_end = starts[0] if starts else footer
    # the date may print under the "Signature of Reporting Person ... Date" labels
    tail = _REMINDER.search(text, sig.end()) if sig else None
    signature = (footer, (tail.start() if tail else min(end, sig.end() + 300)) if sig else end)
    return Regions((0, t1), (t1, t2), (t2, table2_end), tuple(owners), signature)


# ---------------------------------------------------------------- table columns
def _columns(layout: Sequence) -> dict[str, int]:
    """field -> column index in the printed table (a derivative amount: its (A) column)."""
    out: dict[str, int] = {}
    for index, column in enumerate(layout):
        for name in column.fields[:1]:
            out.setdefault(name, index)
    return out


_TABLE_COLUMNS = {"table1": _columns(_TABLE1), "table2": _columns(_TABLE2)}
_TABLES = {"table1": ("non_derivative_transactions", "non_derivative_holdings"), "table2": ("derivative_transactions", "derivative_holdings")}
_ATOM_WEIGHT = {Kind.DATE: 10.0, Kind.NUMBER: 10.0, Kind.LETTER: 2.0}
#: Column labels whose digits look like values: "(Instr. 3, 4 and 5)", "10. Ownership", "8)".
_HEADING_NUMBERS = re.compile(r"\(\s*Instr\.[^)]{0,20}\)?|(?<![\w,.])\d{1,2}A?\.(?=\s)|(?<![\w,.])\d\)|Month/Day/Year|\([ADI]\)")


@dataclass(eq=False)
class Cell:
    """One printed value of a table row."""

    row: int
    col: int
    exp: Expected
    hits: list[Hit] = field(default_factory=list)


def _table_cells(expected: list[Expected], table: str) -> list[list[Cell]]:
    """The table's rows (printed order: transactions, then holdings), cells in column order."""
    keys = _TABLES[table]
    columns = _TABLE_COLUMNS[table]
    rows: dict[tuple[int, int], list[Cell]] = {}
    for exp in expected:
        parts = exp.parts
        if parts[0] not in keys:
            continue
        key = (keys.index(parts[0]), int(parts[1]))
        col = columns.get(parts[2], 0)
        rows.setdefault(key, []).append(Cell(-1, col, exp))
    out = []
    for r, key in enumerate(sorted(rows)):
        cells = sorted(rows[key], key=lambda c: c.col)
        for c in cells:
            c.row = r
        out.append(cells)
    return out


# ---------------------------------------------------------------- the heaviest monotone chain
def _offsets(hit: Hit) -> tuple[int, int]:
    return hit.start, hit.end


def heaviest_chain(
    cells: Sequence[Cell],
    blocked: Callable[[Hit], bool] = lambda h: False,
    key: Callable[[Hit], tuple[int, int]] = _offsets,
    bonus: Callable[[int, Hit], float] = lambda k, h: 0.0,
) -> dict[int, Hit]:
    """Match ``cells`` (in this order) to hits at strictly increasing, non-overlapping positions.

    ``key`` gives a hit's (start, end) reading position (default: its offsets).
    Maximises the summed weight (kind weight x hit quality, plus ``bonus`` of the
    cell position and hit); ties go to earlier positions. Returns cell position -> hit.
    """
    events = sorted(
        ((*key(h), -k, k, h) for k, cell in enumerate(cells) for h in cell.hits if not blocked(h)),
        key=lambda e: (e[0], e[2]),
    )
    size = len(cells)
    tree = [-1] * (size + 1)  # Fenwick tree of node ids, prefix maximum by node value
    nodes: list[tuple[float, int, Hit, int]] = []  # (value, cell position, hit, predecessor node)
    pending: list[tuple[int, int]] = []  # (hit end, node) not yet usable as predecessors

    def better(a: int, b: int) -> bool:
        return b < 0 or (a >= 0 and nodes[a][0] > nodes[b][0])

    def update(pos: int, node: int) -> None:
        pos += 1
        while pos <= size:
            if better(node, tree[pos]):
                tree[pos] = node
            pos += pos & -pos

    def query(pos: int) -> int:  # best node among cell positions < pos
        best = -1
        while pos > 0:
            if better(tree[pos], best):
                best = tree[pos]
            pos -= pos & -pos
        return best

    for start, end, _, k, hit in events:
        while pending and pending[0][0] <= start:
            _, node = heapq.heappop(pending)
            update(nodes[node][1], node)
        pred = query(k)
        weight = _ATOM_WEIGHT[cells[k].exp.kind] * hit.quality + bonus(k, hit)
        nodes.append(((nodes[pred][0] if pred >= 0 else 0.0) + weight, k, hit, pred))
        heapq.heappush(pending, (end, len(nodes) - 1))
    best = max(range(len(nodes)), key=lambda n: (nodes[n][0], -nodes[n][2].start), default=-1)
    out: dict[int, Hit] = {}
    while best >= 0:
        _, k, hit, best = nodes[best]
        out[k] = hit
    return out


# ---------------------------------------------------------------- placing a table
@dataclass
class RowState:
    """What is known about one row while its values are placed."""

    cells: list[Cell]
    placed: dict[int, tuple[Fragment, ...]] = field(default_factory=dict)  # col -> fragments
    main_line: int | None = None
    main_rank: int | None = None

    def spans(self) -> list[tuple[int, int, int]]:
        """(start, end, col) of every placed fragment."""
        return [(s, e, col) for col, frags in self.placed.items() for s, e in frags]


class TablePlacer:
    """Places the values of one table's rows inside the table's region."""

    def __init__(self, ix: TextIndex, taken: Taken, finder: PhraseFinder) -> None:
        self.ix = ix
        self.taken = taken
        self.finder = finder
        self.columnar = False
        self.column_boxes: list[tuple[int, int, int, int]] = []

    def place(self, rows: list[list[Cell]], lo: int, hi: int) -> list[Placement]:
        if not rows:
            return []
        self.columnar = is_columnar(self.ix.text, lo, hi)
        noise = _heading_noise(self.ix.text, lo, hi)
        for row in rows:
            for cell in row:
                if cell.exp.is_atom:
                    cell.hits = [h for h in atom_hits(self.ix, cell.exp, lo, hi) if not _inside(h, noise)]
        row_major = [c for row in rows for c in row if c.exp.is_atom]
        by_rows = heaviest_chain(row_major, key=self._reading_key(lo, hi))
        by_columns = self._column_chains(rows)
        states = [RowState(row) for row in rows]
        if _column_major(row_major, by_rows, by_columns):
            return self._place_by_columns(states, by_columns, lo, hi)
        for k, hit in by_rows.items():
            cell = row_major[k]
            self._take(states[cell.row], cell, ((hit.start, hit.end),))
        return self._place_by_rows(states, lo, hi)

    def _reading_key(self, lo: int, hi: int) -> Callable[[Hit], tuple[int, int]]:
        """Reading position of a hit: its offsets, or (band, column) in columnar text.

        In ``pdftotext -layout`` output a cell printed in a bigger font can land
        one line below its row's other cells; adjacent lines whose words do not
        collide form one band, read left to right.
        """
        if not self.columnar:
            return _offsets
        ix = self.ix
        band = _bands(ix, ix.span(lo, hi))

        def key(hit: Hit) -> tuple[int, int]:
            i = ix.token_at(hit.start)
            x = ix.col[i]
            b = band.get(ix.line[i], 0) * 100_000
            return b + x, b + x + hit.end - hit.start

        return key

    # -------------------------------------------------------- row by row
    def _place_by_rows(self, states: list[RowState], lo: int, hi: int) -> list[Placement]:
        for state in states:
            self._prune(state)
            state.main_line = self._main_line(state)
            if state.main_line is not None:
                first = next(s for s, _, _ in state.spans() if self.ix.line[self.ix.token_at(s)] == state.main_line)
                state.main_rank = self.ix.rank[self.ix.token_at(first)]
        self.column_boxes = self._column_boxes(states) if self.columnar else []
        out = []
        for r, state in enumerate(states):
            w_lo = max([lo] + [e for s in states[:r] for _, e, _ in s.spans()])
            w_hi = min([hi] + [s0 for s in states[r + 1 :] for s0, _, _ in s.spans()])
            for cell in state.cells:
                if cell.col in state.placed:
                    continue
                frags = self._find_in_row(state, cell, w_lo, w_hi)
                if frags:
                    self._take(state, cell, frags)
            out += [self._placement(state, cell, "row") for cell in state.cells]
        return out

    def _prune(self, state: RowState) -> None:
        """Drop chain matches that cannot be the row's: far from its main line, or
        code letters of a row none of whose numbers and dates were found (OCR lost it)."""
        ix = self.ix
        main = self._main_line(state)
        anchored = any(not c.exp.kind is Kind.LETTER and c.col in state.placed for c in state.cells)
        for cell in state.cells:
            frags = state.placed.get(cell.col)
            if not frags or not cell.exp.is_atom:
                continue
            far = main is not None and abs(ix.line[ix.token_at(frags[0][0])] - main) > 1
            if far or (cell.exp.kind is Kind.LETTER and not anchored):
                self.taken.remove(*frags[0])
                del state.placed[cell.col]

    def _main_line(self, state: RowState) -> int | None:
        """The line holding the row's numbers, dates and letters (layout text; the
        bigger-font amount may sit one line off), or None when they spread (stream text)."""
        lines = [self.ix.line[self.ix.token_at(s)] for s, _, _ in state.spans()]
        if len(lines) < 2:
            return None
        line, count = Counter(lines).most_common(1)[0]
        if count >= 0.8 * len(lines) or (count >= 0.5 * len(lines) and all(abs(x - line) <= 1 for x in lines)):
            return line
        return None

    def _find_in_row(self, state: RowState, cell: Cell, w_lo: int, w_hi: int) -> tuple[Fragment, ...] | None:
        ix = self.ix
        ok = self._row_check(state, cell.col)
        if cell.exp.is_atom:
            if cell.exp.kind is Kind.LETTER and not any(c.col in state.placed for c in state.cells if c.exp.kind is not Kind.LETTER):
                return None  # nothing anchors the row: a lone letter could be anywhere
            hits = atom_hits(ix, cell.exp, w_lo, w_hi, fuzzy=True)
            if cell.exp.kind is Kind.LETTER and state.main_line is not None:
                hits += _letter_variants(ix, cell.exp.printed, w_lo, w_hi)
            for hit in sorted(hits, key=lambda h: (-h.quality, h.start)):
                i = ix.token_at(hit.start)
                if self.taken.free(hit.start, hit.end) and ok(hit.start, hit.end, i):
                    if state.main_line is None or abs(ix.line[i] - state.main_line) <= 1:
                        return ((hit.start, hit.end),)
            return None
        phrase, tokens = Phrase.of(cell.exp.printed), ix.span(w_lo, w_hi)
        match = self.finder.find(phrase, tokens, ok, state.main_rank, self.columnar)
        if match is None and not self.columnar and state.main_line is None:
            # lines may be page slices after all (tabbed layout, OCR): check order line by line only
            match = self.finder.find(phrase, tokens, self._row_check(state, cell.col, per_line=True))
        return match.fragments if match else None

    def _row_check(self, state: RowState, col: int, per_line: bool = False) -> PieceCheck:
        """May a fragment of column ``col`` go at ``text[start:end]`` (``i``: its last token)?

        It must be free and in column order against the row's placed cells: in text
        order for stream text; on its own line for layout rows, and where the text
        keeps the page's columns (``pdftotext -layout``) in horizontal position on
        every line, against this row's cells and the columns every row's numbers
        show on that page. Layout rows also keep their cells near the main line.
        """
        ix, taken, spans = self.ix, self.taken, state.spans()
        per_line = per_line or self.columnar or state.main_line is not None
        reach = len(state.cells) + 2
        lines = [ix.line[ix.token_at(s)] for s, _, _ in spans]
        boxes = [(*self._x_range(s, e), c, ix.page(s)) for s, e, c in spans] + self.column_boxes if self.columnar else []

        def ok(start: int, end: int, i: int) -> bool:
            if not taken.free(start, end):
                return False
            if state.main_rank is not None and abs(ix.rank[i] - state.main_rank) > reach:
                return False
            for (s, e, c), line in zip(spans, lines):
                if per_line and line != ix.line[i]:
                    continue
                if (c < col and start < e) or (c > col and end > s):
                    return False
            if boxes:
                x0, x1 = self._x_range(start, end)
                page = ix.page(start)
                for b0, b1, c, p in boxes:  # columns shift a little from page to page
                    if p == page and ((c < col and x0 < b1 - _X_SLACK) or (c > col and x1 > b0 + _X_SLACK)):
                        return False
            return True

        return ok

    def _column_boxes(self, states: list[RowState]) -> list[tuple[int, int, int, int]]:
        """(x0, x1, column, page): where each column's numbers, dates and letters print, per page."""
        boxes: dict[tuple[int, int], tuple[int, int]] = {}
        for state in states:
            for s, e, col in state.spans():
                x0, x1 = self._x_range(s, e)
                key = (col, self.ix.page(s))
                a, b = boxes.get(key, (x0, x1))
                boxes[key] = (min(a, x0), max(b, x1))
        return [(x0, x1, col, page) for (col, page), (x0, x1) in boxes.items()]

    def _x_range(self, start: int, end: int) -> tuple[int, int]:
        """Columns of ``text[start:end]`` on its line."""
        line_start = self.ix.text.rfind("\n", 0, start) + 1
        return start - line_start, end - line_start

    # -------------------------------------------------------- column by column (pdfminer)
    def _column_chains(self, rows: list[list[Cell]]) -> dict[Cell, Hit]:
        """Each column's cells matched in row order, columns in turn (no shared hits).

        Columns go left to right (pdfminer prints boxes of neighbouring cells row by
        row); among equally good chains a value prefers hits within three lines of
        its row's cells already placed. Code letters must stand alone.
        """
        used = Taken()
        out: dict[Cell, Hit] = {}
        ix = self.ix
        atoms = [c for row in rows for c in row if c.exp.is_atom]
        by_col: dict[int, list[Cell]] = {}
        for c in atoms:
            by_col.setdefault(c.col, []).append(c)
        order = sorted(by_col)
        row_lines: dict[int, list[int]] = {}

        def blocked(hit: Hit, letter: bool) -> bool:
            if not used.free(hit.start, hit.end):
                return True
            return letter and (ix.text[hit.start] == "|" or not _isolated(ix, ix.token_at(hit.start)))

        def near(cell: Cell, hit: Hit) -> float:
            line = ix.line[ix.token_at(hit.start)]
            return 0.01 if any(abs(line - other) <= 3 for other in row_lines.get(cell.row, ())) else 0.0

        for col in order:
            cells = by_col[col]
            letter = cells[0].exp.kind is Kind.LETTER
            chain = heaviest_chain(cells, lambda h: blocked(h, letter), bonus=lambda k, h: near(cells[k], h))
            for k, hit in chain.items():
                out[cells[k]] = hit
                used.add(hit.start, hit.end)
                row_lines.setdefault(cells[k].row, []).append(ix.line[ix.token_at(hit.start)])
        return out

    def _place_by_columns(self, states: list[RowState], chains: dict[Cell, Hit], lo: int, hi: int) -> list[Placement]:
        for cell, hit in chains.items():
            self._take(states[cell.row], cell, ((hit.start, hit.end),))
        columns = sorted({c.col for s in states for c in s.cells if not c.exp.is_atom})
        for col in columns:
            cursor = lo
            for state in states:
                cell = next((c for c in state.cells if c.col == col), None)
                if cell is None:
                    continue
                match = self.finder.find(Phrase.of(cell.exp.printed), self.ix.span(cursor, hi), lambda s, e, i: self.taken.free(s, e))
                if match:
                    self._take(state, cell, match.fragments)
                    cursor = match.fragments[-1][1]
        return [self._placement(state, cell, "column") for state in states for cell in state.cells]

    # -------------------------------------------------------- bookkeeping
    def _take(self, state: RowState, cell: Cell, frags: tuple[Fragment, ...]) -> None:
        for s, e in frags:
            self.taken.add(s, e)
        state.placed[cell.col] = frags

    def _placement(self, state: RowState, cell: Cell, how: str) -> Placement:
        frags = state.placed.get(cell.col)
        status = "placed" if frags else "missing"
        return Placement(cell.exp.pointer, cell.exp.label, cell.exp.printed, status, frags or (), how if frags else "")


_X_SLACK = 2
_WIDE_GAP = re.compile(r"\S {3,}\S")
_NOT_LAYOUT = re.compile(r"[|\t<]")


def is_columnar(text: str, lo: int, hi: int) -> bool:
    """Does the text keep the page's columns (cells apart by runs of spaces, no pipes, tabs or tags)?

    >>> is_columnar("a    b\\nc     d\\n", 0, 14), is_columnar("a b\\nc\\td\\n", 0, 8), is_columnar("| a    | b |", 0, 12)
    (True, False, False)
    """
    lines = [line for line in text[lo:hi].split("\n") if line.strip()]
    spaced = sum(bool(_WIDE_GAP.search(line)) and not _NOT_LAYOUT.search(line) for line in lines)
    return bool(lines) and spaced >= 0.3 * len(lines)


def _bands(ix: TextIndex, tokens: range) -> dict[int, int]:
    """line -> band: a line joins the band above when it is adjacent and its words collide with none of the band's."""
    bands: dict[int, int] = {}
    band, occupied, last = -1, [], -2
    for line, group in itertools.groupby(tokens, key=lambda i: ix.line[i]):
        boxes = [(ix.col[i], ix.col[i] + ix.ends[i] - ix.starts[i]) for i in group]
        collides = any(a < d + 1 and c < b + 1 for a, b in boxes for c, d in occupied)
        if line != last + 1 or collides:
            band, occupied = band + 1, []
        occupied += boxes
        bands[line] = band
        last = line
    return bands


def _column_major(row_major: list[Cell], by_rows: dict[int, Hit], by_columns: dict[Cell, Hit]) -> bool:
    """Is the table printed column by column (pdfminer, merged markdown cells)?

    Yes when matching each column on its own places clearly more cells than one
    row-major chain (column chains only take code letters that stand alone).
    """
    in_rows, in_columns = len(by_rows), len(by_columns)
    return in_columns >= in_rows + max(2, 0.1 * in_rows)


def _isolated(ix: TextIndex, i: int) -> bool:
    """Is token ``i`` a cell of its own (alone between line ends, markup, pipes or wide gaps)?"""

    def apart(a: int, b: int) -> bool:
        if a < 0 or b >= len(ix.toks) or ix.line[a] != ix.line[b]:
            return True
        return ix.toks[a][0] in "<|" or ix.toks[b][0] in "<|" or ix.starts[b] - ix.ends[a] >= 2

    return apart(i - 1, i) and apart(i, i + 1)


def _heading_noise(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _HEADING_NUMBERS.finditer(text, lo, hi)]


def _inside(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (hit.start, 1 << 60)) - 1
    return i >= 0 and spans[i][0] <= hit.start and hit.end <= spans[i][1]


# ---------------------------------------------------------------- header, owners, signatures
class FreePlacer:
    """Places header, owner and signature values: anywhere in a region, not overlapping."""

    def __init__(self, ix: TextIndex, taken: Taken, finder: PhraseFinder) -> None:
        self.ix = ix
        self.taken = taken
        self.finder = finder

    def place(self, exp: Expected, lo: int, hi: int, last: bool = False) -> Placement:
        frags = self.find(exp, lo, hi, last)
        if not frags:
            return Placement(exp.pointer, exp.label, exp.printed, "missing")
        for s, e in frags:
            self.taken.add(s, e)
        return Placement(exp.pointer, exp.label, exp.printed, "placed", frags, "free")

    def find(self, exp: Expected, lo: int, hi: int, last: bool = False) -> tuple[Fragment, ...] | None:
        """The best free occurrence in ``text[lo:hi]``: the first one, or the ``last`` one."""
        if lo >= hi:
            return None
        if exp.is_atom:
            hits = [h for h in atom_hits(self.ix, exp, lo, hi) if self.taken.free(h.start, h.end)]
            if not hits:
                hits = [h for h in atom_hits(self.ix, exp, lo, hi, fuzzy=hi - lo < 20000) if self.taken.free(h.start, h.end)]
            best = max(hits, key=lambda h: (h.quality, h.start if last else -h.start), default=None)
            return ((best.start, best.end),) if best else None
        match = self.finder.find(Phrase.of(exp.printed), self.ix.span(lo, hi), lambda s, e, i: self.taken.free(s, e))
        return match.fragments if match else None


def _owner_index(exp: Expected) -> int | None:
    parts = exp.parts
    return int(parts[1]) if parts[0] == "reporting_owners" else None


def _place_header(free: FreePlacer, values: list[Expected], lo: int, hi: int) -> list[Placement]:
    """Longest values first ("C/O QUALYS, INC." before "QUALYS, INC."); the ticker after the issuer."""
    out: dict[str, Placement] = {}
    ticker = [e for e in values if e.label == F.TICKER]
    for exp in sorted((e for e in values if e.label != F.TICKER), key=lambda e: -len(e.printed)):
        out[exp.pointer] = free.place(exp, lo, hi)
    issuer = next((p for p in out.values() if p.label == F.ISSUER_NAME and p.status == "placed"), None)
    for exp in ticker:
        after = issuer.end if issuer else lo
        placement = free.place(exp, after, min(hi, after + 200)) if issuer else free.place(exp, lo, hi)
        out[exp.pointer] = placement if placement.status == "placed" else free.place(exp, lo, hi)
    return [out[e.pointer] for e in values]


def _place_signatures(free: FreePlacer, values: list[Expected], lo: int, hi: int) -> list[Placement]:
    """Signer names in order; each date after its signer's first line."""
    out: list[Placement] = []
    cursor = lo
    text = free.ix.text
    by_sig: dict[str, list[Expected]] = {}
    for exp in values:
        by_sig.setdefault(exp.parts[1], []).append(exp)
    for key in sorted(by_sig, key=int):
        names = [e for e in by_sig[key] if e.label == F.SIGNER_NAME]
        dates = [e for e in by_sig[key] if e.label == F.SIGNATURE_DATE]
        line_start = cursor
        for exp in names:
            p = free.place(exp, cursor, hi)
            out.append(p)
            if p.status == "placed":
                line_start = text.rfind("\n", lo, p.start) + 1 or lo
                cursor = p.end
        for exp in dates:
            p = free.place(exp, max(lo, line_start), hi, last=not names or out[-1].status != "placed")
            out.append(p)
            if p.status == "placed":
                cursor = max(cursor, p.end)
    return out


# ---------------------------------------------------------------- the document
def align_record(record: Record, text: str) -> Alignment:
    """Place every printed, labelled gold value of ``record`` in ``text``."""
    expected = expected_values(record)
    ix = TextIndex.of(text)
    taken = Taken()
    finder = PhraseFinder(ix)
    extra_owners = max((_owner_index(e) or 0 for e in expected), default=0)
    regions = find_regions(text, extra_owners)
    placements: dict[str, Placement] = {}

    tables = TablePlacer(ix, taken, finder)
    for name, (lo, hi) in (("table1", regions.table1), ("table2", regions.table2)):
        for p in tables.place(_table_cells(expected, name), lo, hi):
            placements[p.pointer] = p

    free = FreePlacer(ix, taken, finder)
    header = [e for e in expected if e.parts[0] in ("issuer", "period_of_report", "date_of_original_submission") or _owner_index(e) == 0]
    for p in _place_header(free, header, *regions.header):
        placements[p.pointer] = p
    for k in range(1, extra_owners + 1):
        lo, hi = regions.owners[k - 1] if k - 1 < len(regions.owners) else (regions.table2[0], regions.signature[0])
        for p in _place_header(free, [e for e in expected if _owner_index(e) == k], lo, hi):
            placements[p.pointer] = p
    signatures = [e for e in expected if e.parts[0] == "signatures"]
    for p in _place_signatures(free, signatures, *regions.signature):
        placements[p.pointer] = p

    ordered = [placements.get(e.pointer) or Placement(e.pointer, e.label, e.printed, "missing") for e in expected]
    return Alignment(text, [_checked(ix, p) for p in ordered])


def _checked(ix: TextIndex, p: Placement) -> Placement:
    """A placement whose fragments are not all token-aligned is not emitted."""
    if p.status == "placed" and not all(ix.aligned(s, e) for s, e in p.fragments):
        return Placement(p.pointer, p.label, p.value, "misaligned", p.fragments, p.how)
    return p


# ---------------------------------------------------------------- reporting
def coverage(alignments: Iterable[tuple[str, Alignment]]) -> dict[str, dict[str, tuple[int, int]]]:
    """converter -> label -> (placed, printed)."""
    table: dict[str, dict[str, list[int]]] = {}
    for converter, alignment in alignments:
        per = table.setdefault(converter, {})
        for p in alignment.placements:
            cell = per.setdefault(p.label, [0, 0])
            cell[1] += 1
            cell[0] += p.status == "placed"
    return {c: {k: (v[0], v[1]) for k, v in sorted(per.items())} for c, per in table.items()}
