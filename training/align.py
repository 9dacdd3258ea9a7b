"""Project gold values onto flattened text: character-offset span annotations.

The values to find are the strings the rendered page prints
(:func:`training.render.render_values`) that carry an entity label
(:func:`extractor.fields.label_for_pointer`); a leaf the page does not print
(the issuer CIK, a false flag, a derivative row's (A)/(D) code, which only the
column shows) is not expected. For each of them the aligner finds where the
flattened text prints it:

* every search is confined to the value's region (header, Table I, Table II,
  the extra reporting owners' blocks after Table II, the signature block);
* table rows: the row's numbers, dates and code letters are matched as one
  monotone chain over the whole table (rows in order, cells in column order),
  so a number printed twice in a row (shares = owned following) gets its role
  from its position. Converters that print a table column by column (pdfminer)
  are matched column by column instead, whichever chain holds more;
* the matched cells give each row a window (and, for layout text, its main
  line); text values (titles, nature of ownership) are searched inside it as
  token sequences that may wrap: a value printed over several lines becomes
  several fragments, one per line, in reading order, each fragment a span with
  the value's label;
* tokens are compared exactly, then case-folded, then on an OCR-tolerant view
  (``O``/``0``, ``S``/``5``, ``l``/``1``, split words such as ``Conversio n``),
  then within a small edit distance; the fuzzy search only runs inside a row's
  window.

Every span starts and ends on a token boundary of
:class:`extractor.tokenizer.FilingTokenizer` (the search works on its tokens).
Spans never overlap. Values that cannot be placed are reported per field
(status ``missing``) and never become spans.
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

from extractor import fields as F
from extractor.schema import Record
from extractor.tokenizer import TOKEN

from .render import _TABLE1, _TABLE2, render_values

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

    >>> from extractor.schema import Issuer
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
    return list(dict.fromkeys(forms))


# ---------------------------------------------------------------- an OCR-tolerant view
_CONFUSABLE = str.maketrans({"o": "0", "q": "0", "l": "1", "i": "1", "|": "1", "!": "1", "s": "5", "$": "5", "b": "8", "z": "2", "g": "6", "t": "7", ",": ".", "’": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower case with OCR-confusable characters mapped together.

    >>> fold("Conversion"), fold("1O/26/2O23"), fold("45.551") == fold("45,551")
    ('c0nver510n', '10/26/2023', True)
    """
    return text.lower().translate(_CONFUSABLE)


def edit_distance(a: str, b: str, limit: int) -> int | None:
    """Levenshtein distance of ``a`` and ``b`` if it is at most ``limit``.

    >>> edit_distance("restricted", "restrcisted", 2), edit_distance("stock", "option", 2)
    (1, None)
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
    from .render import render_html

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
        ranks, rank, last = [], -1, -1
        for line in self.line:
            if line != last and not furniture[line]:
                rank += 1
            last = line
            ranks.append(max(rank, 0))
        return ranks

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
        chars, index = [], []
        for i, ch in enumerate(self.text):
            if ch in " \t\xa0\\*_`":
                continue
            chars.append("\n" if ch == "\n" else fold(ch)[:1] or ch)
            index.append(i)
        return "".join(chars), index

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


# ---------------------------------------------------------------- results
Fragment = tuple[int, int]


@dataclass(frozen=True)
class Placement:
    """Where one expected value landed: ``placed`` (with its fragments), ``missing`` or ``ambiguous``."""

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
    for rank, form in enumerate(forms):
        for i in _in_range(ix.by_token.get(form, ()), ix, lo, hi):
            add(Hit(ix.starts[i], ix.ends[i], 1.0 if rank == 0 else 0.9, "exact"))
    if exp.kind is Kind.LETTER:
        for i in _in_range(ix.by_fold.get(fold(forms[0]), ()), ix, lo, hi):
            add(Hit(ix.starts[i], ix.ends[i], 0.8, "folded"))
        return sorted(found.values(), key=lambda h: h.start)
    chars, index = ix.folded
    a, b = bisect.bisect_left(index, lo), bisect.bisect_left(index, hi)
    for form in forms[:2]:
        needle = fold(form).replace(" ", "")
        for pos in _find_all(chars, needle, a, b):
            _add_stream_hit(ix, index, pos, len(needle), 0.8, "folded", add)
        if fuzzy and not found and len(needle) >= 5:
            for pos in _hamming_all(chars, needle, a, b, max(1, len(needle) // 8)):
                _add_stream_hit(ix, index, pos, len(needle), 0.6, "fuzzy", add)
    return sorted(found.values(), key=lambda h: h.start)


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
    if ix.aligned(start, end) and "\n" not in ix.text[start:end] and _digit_share(ix.text[start:end]) >= 0.5:
        add(Hit(start, end, quality, how))


# ---------------------------------------------------------------- finding text values (possibly wrapped)
@dataclass(frozen=True)
class Phrase:
    """A text value as tokens; ``glued[j]``: token ``j`` follows token ``j-1`` without a space."""

    toks: tuple[str, ...]
    glued: tuple[bool, ...]

    @classmethod
    def of(cls, value: str) -> "Phrase":
        toks, glued, last_end = [], [], None
        for m in TOKEN.finditer(value):
            if m.group(0).isspace():
                continue
            toks.append(m.group(0))
            glued.append(last_end == m.start())
            last_end = m.end()
        return cls(tuple(toks), tuple(glued))

    @property
    def words(self) -> int:
        return sum(any(c.isalnum() for c in t) for t in self.toks) or 1


@dataclass(frozen=True)
class PhraseMatch:
    fragments: tuple[Fragment, ...]
    cost: float
    how: str


#: ``piece_ok(start, end, token_index)`` -> may a fragment occupy ``text[start:end]``?
PieceCheck = Callable[[int, int, int], bool]


def _token_cost(value_tok: str, text_tok: str) -> float | None:
    """How far a text token is from a value token (None: no match)."""
    if value_tok == text_tok:
        return 0.0
    if value_tok.lower() == text_tok.lower():
        return 0.2
    a, b = fold(value_tok), fold(text_tok)
    if a == b:
        return 0.4
    if len(a) >= 4 and a[0].isalnum():
        d = edit_distance(a, b, 1 if len(a) < 8 else 2)
        if d is not None:
            return 0.6 + 0.3 * (d - 1)
    return None


_INLINE_GAP = re.compile(r"[ \xa0]{0,2}")


class PhraseFinder:
    """Finds a :class:`Phrase` in a token range as fragments on successive lines.

    A fragment is a run of text tokens matching consecutive value tokens, the
    tokens separated by at most two spaces on one line. The next fragment
    continues the value on a later line (at most ``max_skip`` non-empty lines
    further). Cost: token distances, +1 per extra fragment, +0.5 per skipped
    line, +0.5 per fragment not under its predecessor (layout text).
    """

    def __init__(self, ix: TextIndex, max_skip: int = 2) -> None:
        self.ix = ix
        self.max_skip = max_skip

    def find(self, phrase: Phrase, tokens: range, piece_ok: PieceCheck, centre: int | None = None) -> PhraseMatch | None:
        ix, n = self.ix, len(phrase.toks)
        if not n or not tokens:
            return None
        starts = self._starts(phrase, tokens)
        # reach[j]: best (cost, last token, chain) for fragments covering value tokens [0, j)
        reach: list[dict[int, tuple[float, tuple[tuple[int, int], ...]]]] = [dict() for _ in range(n + 1)]
        reach[0][-1] = (0.0, ())
        for j in range(n):
            for prev, (cost, chain) in sorted(reach[j].items()):
                for i in starts[j]:
                    link = self._link(chain, prev, i)
                    if link is None:
                        continue
                    for j_end, i_end, piece_cost in self._pieces(phrase, j, i, tokens.stop, piece_ok):
                        total = cost + piece_cost + link
                        best = reach[j_end + 1].get(i_end)
                        if best is None or total < best[0]:
                            reach[j_end + 1][i_end] = (total, chain + ((i, i_end),))
        if not reach[n]:
            return None
        cost, chain = min(reach[n].values(), key=lambda v: (v[0] + self._centre_cost(v[1], centre), v[1][0][0]))
        cost += self._centre_cost(chain, centre)
        if cost > 0.45 * phrase.words + 1.0 * (len(chain) - 1) + 0.5:
            return None
        frags = tuple((ix.starts[a], ix.ends[b]) for a, b in chain)
        return PhraseMatch(frags, cost, "exact" if cost == 0 else "fuzzy")

    def _starts(self, phrase: Phrase, tokens: range) -> list[list[int]]:
        """Per value token, the text tokens in range that may start a fragment with it."""
        ix = self.ix
        folded = ix.folded_toks
        out: list[list[int]] = []
        for tok in phrase.toks:
            f = fold(tok)
            cands = set(_in_token_range(ix.by_fold.get(f, ()), tokens))
            if len(f) >= 4 and tok[0].isalpha():
                for i in tokens:
                    t = folded[i]
                    if i in cands or not t[:1].isalnum():
                        continue
                    if len(t) < len(f) and f.startswith(t) and _split_word(ix, tok, i):
                        cands.add(i)
                    elif abs(len(t) - len(f)) <= 2 and (t[0] == f[0] or t[-1] == f[-1]) and _token_cost(tok, ix.toks[i]) is not None:
                        cands.add(i)
            out.append(sorted(cands))
        return out

    def _link(self, chain: tuple[tuple[int, int], ...], prev: int, i: int) -> float | None:
        """Cost of continuing a value at token ``i`` after a fragment ending at ``prev`` (None: not allowed).

        The next fragment starts on a later line (+1, +0.5 per content line skipped,
        +0.5 when it is not under its predecessor), or on the same line right after
        inline markup (+0.1: ``ONE <u>MICROSOFT WAY</u>``).
        """
        ix = self.ix
        if prev < 0:
            return 0.0
        if i <= prev:
            return None
        if ix.line[i] == ix.line[prev]:
            between = range(prev + 1, i)
            return 0.1 if between and all(ix.tag[k] for k in between) else None
        skipped = ix.rank[i] - ix.rank[prev] - 1
        if skipped > self.max_skip:
            return None
        cost = 1.0 + 0.5 * max(0, skipped)
        a, b = chain[-1]
        left, right = ix.col[a], ix.col[b] + len(ix.toks[b])
        if ix.col[i] > right + 2 or (ix.col[i] + len(ix.toks[i]) < left - 2 and ix.col[i] < left - 6):
            cost += 0.5
        return cost

    def _centre_cost(self, chain: tuple[tuple[int, int], ...], centre: int | None) -> float:
        """Layout rows: a wrapped cell is vertically centred on the row's main line (a content rank)."""
        if centre is None:
            return 0.0
        first, last = self.ix.rank[chain[0][0]], self.ix.rank[chain[-1][1]]
        return 0.3 * max(0.0, abs((first + last) / 2 - centre) - 1)

    def _pieces(self, phrase: Phrase, j: int, i: int, stop: int, piece_ok: PieceCheck) -> Iterator[tuple[int, int, float]]:
        """(last value token, last text token, cost) of every fragment starting with value token j at text token i."""
        ix = self.ix
        cost, subs = 0.0, 0
        first, piece_start = True, i
        while j < len(phrase.toks) and i < stop:
            step = self._step(phrase, j, i, first, stop)
            if step is None:
                return
            dj, di, c = step
            cost += c
            subs += c >= 1.0
            if subs > max(0, phrase.words // 3):
                return
            j_end, i_end = j + dj - 1, i + di - 1
            if not piece_ok(ix.starts[piece_start], ix.ends[i_end], i_end):
                return
            yield j_end, i_end, cost
            first = False
            j, i = j_end + 1, i_end + 1
            if i >= stop or j >= len(phrase.toks) or not self._inline(i - 1, i, phrase.glued[j]):
                return

    def _inline(self, a: int, b: int, glued: bool) -> bool:
        ix = self.ix
        if ix.line[a] != ix.line[b]:
            return False
        gap = ix.text[ix.ends[a] : ix.starts[b]]
        return gap == "" or bool(_INLINE_GAP.fullmatch(gap))

    def _step(self, phrase: Phrase, j: int, i: int, first: bool, stop: int) -> tuple[int, int, float] | None:
        """Match value token j at text token i: (value tokens used, text tokens used, cost)."""
        ix = self.ix
        tok, text_tok = phrase.toks[j], ix.toks[i]
        c = _token_cost(tok, text_tok)
        if c is not None:
            return 1, 1, c
        if i + 1 < stop and _split_word(ix, tok, i):  # OCR split: "Conversio n"
            return 1, 2, 0.5
        if j + 1 < len(phrase.toks) and fold(tok + phrase.toks[j + 1]) == fold(text_tok):  # OCR merge
            return 2, 1, 0.5
        if first:
            return None
        if not tok[0].isalnum() and j + 1 < len(phrase.toks):  # OCR dropped a comma or a dot
            c = _token_cost(phrase.toks[j + 1], text_tok)
            if c is not None:
                return 2, 1, c + 0.3
        if tok[0].isalnum() and text_tok[0].isalnum() and j + 1 < len(phrase.toks):  # a garbled word
            return 1, 1, 1.0
        return None


def _split_word(ix: TextIndex, tok: str, i: int) -> bool:
    """Is value token ``tok`` printed as text tokens i and i+1 split by one space?"""
    if i + 1 >= len(ix.toks) or ix.line[i] != ix.line[i + 1] or not ix.toks[i][:1].isalpha():
        return False
    if ix.starts[i + 1] - ix.ends[i] > 1:
        return False
    return fold(ix.toks[i] + ix.toks[i + 1]) == fold(tok)


def _in_token_range(indices: Sequence[int], tokens: range) -> Iterator[int]:
    first = bisect.bisect_left(indices, tokens.start)
    for i in indices[first:]:
        if i >= tokens.stop:
            break
        yield i


# ---------------------------------------------------------------- regions of the page
_TABLE1_HEAD = re.compile(r"Table\W{0,6}[I1l|]\W+Non\W{0,3}Deriv", re.I)
_TABLE2_HEAD = re.compile(r"Table\W{0,6}[I1l|]{2}\W+Deriv", re.I)
_EXPLANATION = re.compile(r"Explanation\W*of\W*Respon", re.I)
_SIGNATURE_LABEL = re.compile(r"Signature\W*of\W*Reporting", re.I)
_OWNER_HEAD = re.compile(r"Name\W*and\W*Address\W*of\W*Reporting", re.I)


@dataclass(frozen=True)
class Regions:
    """Character ranges of the page's parts; ``owners[k]`` holds reporting owner ``k + 1``."""

    header: tuple[int, int]
    table1: tuple[int, int]
    table2: tuple[int, int]
    owners: tuple[tuple[int, int], ...]
    signature: tuple[int, int]


def find_regions(text: str, extra_owners: int = 0) -> Regions:
    """Header, tables, extra owners and signature block, by the form's printed headings.

    Tolerant of OCR (``Table Il``) and of markup between words; a heading that
    is missing collapses its region onto the next one found.

    >>> r = find_regions("Name\\nTable I - Non-Derivative x\\nTable II - Derivative y\\nExplanation of Responses: z\\n/s/ A\\n** Signature of Reporting Person")
    >>> r.header, r.table1, r.table2
    ((0, 5), (5, 29), (29, 50))
    """
    end = len(text)
    m1 = _TABLE1_HEAD.search(text)
    t1 = m1.start() if m1 else 0
    m2 = _TABLE2_HEAD.search(text, t1 + 1)
    ex = _EXPLANATION.search(text, m2.end() if m2 else t1 + 1)
    sig = None
    for sig in _SIGNATURE_LABEL.finditer(text, ex.end() if ex else t1 + 1):
        pass  # the last one: footnotes may quote the label
    footer = ex.start() if ex else (sig.start() if sig else end)
    t2 = m2.start() if m2 and m2.start() < footer else footer
    table2_end = footer
    owners: list[tuple[int, int]] = []
    if extra_owners:
        starts = [m.start() for m in _OWNER_HEAD.finditer(text, t2, footer)]
        bounds = starts + [footer]
        owners = [(bounds[k], bounds[k + 1]) for k in range(len(starts))]
        table2_end = starts[0] if starts else footer
    signature = (footer, sig.end() if sig else end)
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
) -> dict[int, Hit]:
    """Match ``cells`` (in this order) to hits at strictly increasing, non-overlapping positions.

    ``key`` gives a hit's (start, end) reading position (default: its offsets).
    Maximises the summed weight (kind weight x hit quality); ties go to earlier
    positions. Returns cell position -> hit.
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
        weight = _ATOM_WEIGHT[cells[k].exp.kind] * hit.quality
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
            state.main_line = self._main_line(state)
            if state.main_line is not None:
                first = next(s for s, _, _ in state.spans() if self.ix.line[self.ix.token_at(s)] == state.main_line)
                state.main_rank = self.ix.rank[self.ix.token_at(first)]
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
            for hit in atom_hits(ix, cell.exp, w_lo, w_hi, fuzzy=True):
                i = ix.token_at(hit.start)
                if self.taken.free(hit.start, hit.end) and ok(hit.start, hit.end, i):
                    if state.main_line is None or abs(ix.line[i] - state.main_line) <= 1:
                        return ((hit.start, hit.end),)
            return None
        match = self.finder.find(Phrase.of(cell.exp.printed), ix.span(w_lo, w_hi), ok, state.main_rank)
        return match.fragments if match else None

    def _row_check(self, state: RowState, col: int) -> PieceCheck:
        """May a fragment of column ``col`` go at ``text[start:end]`` (``i``: its last token)?

        It must be free and in column order against the row's placed cells: in text
        order for stream text; on its own line for layout rows, and where the text
        keeps the page's columns (``pdftotext -layout``) in horizontal position on
        every line. Layout rows also keep their cells near the main line.
        """
        ix, taken, spans = self.ix, self.taken, state.spans()
        per_line = self.columnar or state.main_line is not None
        reach = len(state.cells) + 2
        lines = [ix.line[ix.token_at(s)] for s, _, _ in spans]
        boxes = [(*self._x_range(s, e), c) for s, e, c in spans] if self.columnar else []

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
                for b0, b1, c in boxes:
                    if (c < col and x0 < b1 - _X_SLACK) or (c > col and x1 > b0 + _X_SLACK):
                        return False
            return True

        return ok

    def _x_range(self, start: int, end: int) -> tuple[int, int]:
        """Columns of ``text[start:end]`` on its line."""
        line_start = self.ix.text.rfind("\n", 0, start) + 1
        return start - line_start, end - line_start

    # -------------------------------------------------------- column by column (pdfminer)
    def _column_chains(self, rows: list[list[Cell]]) -> dict[Cell, Hit]:
        """Each column's cells matched in row order, columns in turn (no shared hits)."""
        used: set[tuple[int, int]] = set()
        out: dict[Cell, Hit] = {}
        columns = sorted({c.col for row in rows for c in row if c.exp.is_atom})
        ix = self.ix

        def blocked(hit: Hit, letter: bool) -> bool:
            if (hit.start, hit.end) in used or any(hit.start < e and s < hit.end for s, e in used):
                return True
            return letter and not _isolated(ix, ix.token_at(hit.start))

        for col in columns:
            cells = [c for row in rows for c in row if c.col == col and c.exp.is_atom]
            letter = cells[0].exp.kind is Kind.LETTER
            chain = heaviest_chain(cells, lambda h: blocked(h, letter))
            for k, hit in chain.items():
                out[cells[k]] = hit
                used.add((hit.start, hit.end))
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

    Yes when matching each column on its own places clearly more numbers and
    dates than one row-major chain (code letters are too common to count).
    """
    in_rows = sum(row_major[k].exp.kind is not Kind.LETTER for k in by_rows)
    in_columns = sum(c.exp.kind is not Kind.LETTER for c in by_columns)
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
