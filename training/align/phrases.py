"""Finding text values, possibly wrapped over several lines or split around inline markup."""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .hits import Fragment
from .text import _MARKS, TokenIndex, Word, edit_distance, norm


# ---------------------------------------------------------------- finding text values (possibly wrapped)


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

    def __init__(self, ix: TokenIndex, max_skip: int = 2) -> None:
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


def _in_token_range(indices: Sequence[int], tokens: range) -> Iterator[int]:
    first = bisect.bisect_left(indices, tokens.start)
    for i in indices[first:]:
        if i >= tokens.stop:
            break
        yield i
