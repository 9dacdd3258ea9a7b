"""The page as text: how clean it is, how it was flattened, and how many of its words are new.

Signals of the source text the calibrator reads next to each field's evidence (the readers'
own view of the page is in :mod:`form4.run.familiarity`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Mapping

_VOWELS = set("aeiouyAEIOUY")
_ODD = set("©®@°«»§¢£¥¤¦¬¨`~")
_GLUED = re.compile(r"(?<![(\d,.])\d[\d,.]*\d\)")
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,40}>")
_MIXED = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")  # OCR letter/digit confusions: C0mmon, 1O,000, $5O
_NORMAL_MIXED = re.compile(r"^\(?(?:\d+(?:st|nd|rd|th)|10b5-1|F\d+|\d+[A-Z]?)[),.;:]*$", re.IGNORECASE)
_UNBALANCED = re.compile(r"\(\d{1,2}(?![\d)])|\(\d{1,2}\]")  # a footnote mark missing its ")": (1  (1]
_SPACE_RUN = re.compile(r"\S {3,}\S")
#: A small English / Form 4 vocabulary: the words every Form 4 prints plus common English.
VOCABULARY = frozenset(
    """
    table non derivative securities acquired disposed beneficially owned title security transaction
    date code amount price shares ownership form direct indirect nature following reported
    exercise expiration underlying conversion deemed execution month day year if any instr
    name address reporting person issuer ticker trading symbol relationship director officer
    owner other specify below earliest filed original amendment individual joint group filing
    applicable line check box statement changes beneficial section securities exchange act
    investment company holding public utility pursuant filed explanation responses remarks
    signature footnotes footnote common stock class option options right buy sell units unit
    restricted employee performance preferred series warrant warrants plan trust fund llc inc
    corp corporation limited partners partnership holdings capital ltd the and for with from
    that this was were are has have had not all any each per its their which who may shall
    will been more than one two three four five six seven eight nine ten percent vest vesting
    vested award awarded granted grant dividend weighted average sale sales purchase purchased
    sold prices ranging range inclusive upon full information regarding number each separate
    respect staff commission undertakes provide security holder request chief executive
    financial president vice general counsel secretary treasurer chairman board member
    street suite floor avenue road drive boulevard city state zip january february march april
    june july august september october november december instruction instructions response
    omb approval number expires estimated burden hours obligations continue may see
    persons who respond collection contained required unless displays currently valid control
    intentional misstatements omissions facts constitute federal criminal violations
    attorney fact power behalf herein made reported pursuant rule plan adopted contract
    """.split()
)


#: The names of :func:`text_quality`'s signals.
QUALITY = ("junk_share", "odd_glyphs", "dictionary_share", "glued_marks", "mixed_tokens", "unbalanced_marks", "tab_lines",
           "pipe_lines", "markdown_lines", "space_run_lines", "short_lines", "tag_share", "tokens_per_line", "log_chars")


def text_quality(text: str | None) -> dict[str, float]:
    """Page-level signals of how clean the source text is and how it was flattened.

    >>> q = text_quality("Table I - Non-Derivative Securities\\n| Common Stock | 02/01/2024 | S | 1,000(1) |\\n")
    >>> q["dictionary_share"] > 0.5, q["markdown_lines"], q["glued_marks"]
    (True, 0.5, 0.0)
    """
    if not text:
        return {}
    tokens = text.split()
    words = [t for t in _TAG.sub(" ", text).split() if any(c.isalpha() for c in t)]
    alpha = [w.strip(".,:;()[]{}|*#\"'").lower() for w in words]
    alpha = [w for w in alpha if len(w) >= 3 and w.isalpha()]
    lines = [ln for ln in text.split("\n") if ln.strip()]
    n_lines, n_tokens = max(1, len(lines)), max(1, len(tokens))
    short = sum(len(ln.split()) <= 2 for ln in lines)
    return {
        "junk_share": sum(not (_VOWELS & set(w)) and len(w) > 1 for w in words) / max(1, len(words)),
        "odd_glyphs": sum(c in _ODD for c in text) / n_tokens,
        "dictionary_share": sum(w in VOCABULARY for w in alpha) / max(1, len(alpha)),
        "glued_marks": len(_GLUED.findall(text)) / n_lines,
        "mixed_tokens": sum(bool(_MIXED.search(t)) and not _NORMAL_MIXED.match(t) for t in tokens) / n_tokens,
        "unbalanced_marks": len(_UNBALANCED.findall(text)) / n_lines,
        "tab_lines": sum("\t" in ln for ln in lines) / n_lines,
        "pipe_lines": sum("|" in ln for ln in lines) / n_lines,
        "markdown_lines": sum(ln.lstrip().startswith("|") for ln in lines) / n_lines,
        "space_run_lines": sum(bool(_SPACE_RUN.search(ln)) for ln in lines) / n_lines,
        "short_lines": short / n_lines,
        "tag_share": len(_TAG.findall(text)) / n_tokens,
        "tokens_per_line": len(tokens) / n_lines,
        "log_chars": math.log1p(len(text)),
    }


#: How the page's text looks laid out, told from its quality signals alone: the tables' layouts
#: (``read.tables.LAYOUTS``, markup told apart as markdown) and OCR.
TEXT_LAYOUTS = ("positional", "reading-order", "cell-stream", "markdown", "ocr")


def text_layout(quality: Mapping[str, float]) -> str | None:
    """How the page's text looks laid out, from its quality signals (None without text).

    >>> text_layout({"markdown_lines": 0.4, "junk_share": 0.02, "dictionary_share": 0.6})
    'markdown'
    """
    if not quality:
        return None
    if quality.get("markdown_lines", 0) > 0.2 or quality.get("tag_share", 0) > 0.1:
        return "markdown"
    stray_pipes = quality.get("pipe_lines", 0) - quality.get("markdown_lines", 0)
    if quality.get("junk_share", 0) > 0.1 or quality.get("odd_glyphs", 0) >= 0.001 or stray_pipes > 0.1:
        return "ocr"
    if quality.get("space_run_lines", 0) > 0.3 or quality.get("tab_lines", 0) > 0.3:
        return "positional"
    if quality.get("short_lines", 0) > 0.62:
        return "cell-stream"
    return "reading-order"


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


def words(text: str | None) -> list[str]:
    """The words of a page (letters only, three or more, lower case) as the novelty measure counts them.

    >>> words("Common Stock 02/01/2024 S <b>Director</b> x")
    ['common', 'stock', 'director']
    """
    return [w.lower() for w in _WORD.findall(_TAG.sub(" ", text))] if text else []


def vocabulary_of(pages: Iterable[Iterable[str]], min_pages: int = 3) -> frozenset[str]:
    """The words printed on at least ``min_pages`` of ``pages`` (each a page's words).

    >>> sorted(vocabulary_of([["stock", "acme"], ["stock"], ["stock", "acme"]], min_pages=2))
    ['acme', 'stock']
    """
    counts: Counter = Counter()
    for page in pages:
        counts.update(set(page))
    return frozenset(w for w, n in counts.items() if n >= min_pages)


def novelty(page_words: list[str], vocabulary: frozenset[str] | None) -> float:
    """Share of a page's words its vocabulary has never seen (NaN without a vocabulary or words).

    >>> novelty(["stock", "acme", "zzyzx", "stock"], frozenset({"stock", "acme"}))
    0.25
    """
    if not vocabulary or not page_words:
        return math.nan
    return sum(w not in vocabulary for w in page_words) / len(page_words)
