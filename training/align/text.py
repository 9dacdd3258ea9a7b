"""The text as the aligner reads it: OCR-folded characters, the tokens with their lines, words, spans taken."""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from form4.form.labels import TABLE_HEADS, WORDINGS, plain
from form4.form.ocr import MISREAD
from form4.model.tokenizer import TOKEN


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


@dataclass
class TokenIndex:
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
    def of(cls, text: str) -> "TokenIndex":
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


#: Folded words of the tables' printed heads: lines made only of them are page furniture.
_HEADINGS = frozenset(fold(w) for key in TABLE_HEADS for w in TOKEN.findall(plain(WORDINGS[key][0])) if not w.isspace())

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


# ---------------------------------------------------------------- words
def norm(text: str) -> str:
    """Folded letters and digits only: what OCR keeps of a word.

    >>> norm("L.P.") == norm("LP."), norm("U.S.") == norm("US")
    (True, True)
    """
    return "".join(c for c in fold(text) if c.isalnum())


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


#: Characters that start a footnote mark glued to a value (``Stock⁽¹⁾``, ``Stock*``).
_MARKS = "⁽¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§®©™"
