"""What OCR does to a Form 4, declared once: look-alike letters and the remnants of footnote marks.

Every reader that tolerates OCR uses these tables and patterns (compiled once, as spaCy
declares its tokenizer's suffixes); none writes its own.

Superscript footnote marks come out of OCR as glyphs (``©)``, ``@)``), lone digits or stray
parentheses glued to the words and numbers around them. :data:`MARK_REMNANTS` names each
shape that is removed from the end of a text cell; :func:`tidy_cell` also drops the short junk
tokens OCR leaves at a cell's edges.
"""

from __future__ import annotations

import re

from .normalize import split_footnotes

#: What OCR prints for a character (a letter, a digit, a glyph or a pair of letters): its
#: misreadings, most frequent first. The one table of OCR's confusions: the runtime's look-alike
#: letters below, the corpus noise that imitates OCR and the corpus aligner's folding read it.
MISREAD: dict[str, tuple[str, ...]] = {
    "O": ("0", "Q", "D"), "o": ("0", "c", "e"), "S": ("5", "$"), "s": ("5", "$"),
    "l": ("1", "I", "|", "i", "!"), "I": ("l", "1", "|", "L"), "i": ("l", "1", "|", "!"),
    "B": ("8", "R"), "b": ("8",), "T": ("I", "1"), "t": ("7", "1"), "e": ("c", "o"), "h": ("b", "n"),
    "c": ("e", "o"), "rn": ("m",), "m": ("rn", "n"), "n": ("m", "h"), "cl": ("d",), "u": ("v", "n"), "v": ("u",),
    "a": ("o",), "Z": ("2",), "z": ("2",), "g": ("6",), "q": ("0",), "D": ("0", "O"), "A": ("4",),
    "$": ("5", "S", "§"), "|": ("1",), "!": ("1",),
    "0": ("O", "o", "D"), "1": ("l", "I", "]"), "5": ("S", "s"), "8": ("B", "3"), "6": ("b",), "2": ("Z",),
    ",": (".", ""), ".": (",", ""), "/": ("l", "1"),
}

#: Letters and the glyphs OCR prints for them (the letter itself first). Section labels are
#: searched with these (``Iable I-Non-Dorivative``).
LOOKALIKES: dict[str, str] = {
    ch: ch + "".join(r for r in readings if len(r) == 1) for ch, readings in MISREAD.items() if ch.isalpha() and len(ch) == 1
}


def read_as(allowed: str) -> dict[str, str]:
    """Glyph -> the letter of ``allowed`` it stands for.

    A field that allows only some letters (A/D, D/I, the transaction code) reads a glyph as the
    allowed letter it stands for.

    >>> read_as("DI") == {"0": "D", "O": "D", "l": "I", "1": "I", "|": "I", "L": "I"}
    True
    """
    return {glyph: letter for letter in allowed for glyph in MISREAD.get(letter, ())}


#: The glyphs an unreadable superscript mark becomes.
MARK_GLYPHS = "©®@°"

# ---------------------------------------------------------------- mark remnants in text cells
#: (name, pattern, what it removes). Each pattern matches at the end of a cell's text.
MARK_REMNANTS: tuple[tuple[str, str, str], ...] = (
    ("unread-mark", rf"\s*(?:\(\)|\(?[{MARK_GLYPHS}&]+\)?|(?<=[a-z])[?”“\"]+\)?|^\([A-Za-z0-9§$]{{1,2}}\))$", '"()", "@)", "©)", "L.P.&)", "Footnotes?", "(Ss)" alone'),
    ("mark-read-as-O", r"(?:(?<=\.)|(?<=LLC)|(?<=LP))[O0]$", '"L.P.O", "LLCO": a "(1)" read as one letter'),
    ("lost-open-paren", r"(?<=[A-Za-z.,])(?:[°”“\"?]|\d{1,2})?\)$", '"Footnotes2)", "L.P.°)": a mark whose "(" was lost'),
)
_REMNANT = {name: re.compile(pattern) for name, pattern, _ in MARK_REMNANTS}

#: A line that is only marks: "(3)", "@@)", "8)", "(2)(3)".
MARK_LINE = re.compile(rf"(?=[^A-Za-z]*(?:[A-Za-z][^A-Za-z]*){{0,2}}$)(?=.*[(){MARK_GLYPHS}]).{{1,8}}|\d{{1,2}}")
#: A line whose mark ends a nature: "Fund, LP)", "L.P.(2)", "(3)", "See footnote [4]".
ENDS_NATURE = re.compile(r"[A-Za-z.,]\S{0,3}\)$|[A-Za-z.,]\s?\[\d{1,2}\]$|^(?:\(\d{1,2}\)|\[\d{1,2}\])+$")
#: A mark's digit standing alone in a nature: "See 4 / footnote", "Footnotes 8)".
_LONE_DIGIT = re.compile(r"(?<!\S)\d\)?(?=\s|$)")
#: Junk tokens at a cell's edges: "o", "oy", "@", "'", "ro)" — not the short words a nature starts
#: with in lower case ("by Trust", "in trust", "as custodian").
_EDGE_JUNK = re.compile(r"(?!(?:by|of|in|to|as|at|an|or|on)$)[a-z]{1,2}|O[yo]?|[^\w(]{1,3}|[^\s(]{0,3}\)")
#: A mark OCR could not read, standing where a value is given only as a footnote: "Q)", "@)".
UNREAD_MARK = re.compile(rf"\(?[{MARK_GLYPHS[:3]}Q0O]?\)$")
#: A code letter whose mark OCR garbled ("ci)", "s®)", "sO)", "S(5", "JO", "co)"), or set in lower case ("s", "Ss", "c", "jj").
GARBLED_CODE = re.compile(rf"([A-Za-z])(?:[iIl1|!O0]?\)|[{MARK_GLYPHS}*]\)?|\(\S{{0,2}})|([A-Z][O0]|[csj][O0o]?\)?|[CS][cs]|jj)")
_TAG_OR_PIPE = re.compile(r"<[^>]*>|(?<!\\)\|")


def drop_ocr_mark(words: str) -> str:
    """Text without the remnant of a footnote mark OCR could not read.

    >>> drop_ocr_mark("See Footnotes2)"), drop_ocr_mark("Fund, L.P.&)"), drop_ocr_mark("Fund, L.P.O")
    ('See Footnotes', 'Fund, L.P.', 'Fund, L.P.')
    >>> drop_ocr_mark("Stock Option (right to buy)")
    'Stock Option (right to buy)'
    """
    words = _REMNANT["mark-read-as-O"].sub("", _REMNANT["unread-mark"].sub("", words))
    if words.count(")") > words.count("(") and (m := _REMNANT["lost-open-paren"].search(words)):
        words = words[: m.start()]
    return words.rstrip()


def tidy_cell(words: str) -> str:
    """A title or nature without the mark remnants OCR leaves at its ends.

    >>> tidy_cell("Restricted Stock oy"), tidy_cell("oy) o) Common Stock"), tidy_cell("'Common Stock")
    ('Restricted Stock', 'Common Stock', 'Common Stock')
    >>> tidy_cell("Stock Option (right to buy)"), tidy_cell("Fund (Q), LP"), tidy_cell("Class A"), tidy_cell("by Trust")
    ('Stock Option (right to buy)', 'Fund (Q), LP', 'Class A', 'by Trust')
    """
    toks = words.split()

    def junk(tok: str, words: list[str]) -> bool:  # a ")" token only while the words' parentheses do not balance
        if not _EDGE_JUNK.fullmatch(tok):
            return False
        return not tok.endswith(")") or " ".join(words).count(")") > " ".join(words).count("(")

    while len(toks) > 1 and junk(toks[-1], toks):
        toks.pop()
    while len(toks) > 1 and junk(toks[0], toks):
        toks.pop(0)
    if toks:
        toks[0] = toks[0].lstrip("'‘`\"“")
    return drop_ocr_mark(" ".join(t for t in toks if t))


def cell_words(raw: str) -> str:
    """The words of a text cell as printed: no tags, cell pipes, footnote marks or unreadable OCR marks.

    >>> cell_words("| By Living <u>Trust</u> (2) |")
    'By Living Trust'
    """
    words = " ".join(_LONE_DIGIT.sub(" ", split_footnotes(_TAG_OR_PIPE.sub(" ", raw))[0]).split())
    return drop_ocr_mark(words)


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def cut_mark(number: str, ids: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A number OCR printed with its footnote mark's "(" lost: "25" + "(2)" -> "252)".

    The last digit is the mark's when the number does not read as printed without it
    (a bad thousands grouping, or 1,000 and more without commas); else the mark was lost whole.

    >>> cut_mark("11,5522", ()), cut_mark("6430", ()), cut_mark("1,248", ()), cut_mark("252", ())
    (('11,552(2)', ('F2',)), ('643', ()), ('1,248', ()), ('252', ()))
    """
    digits = number.replace(",", "")
    if ids or not digits.isdigit():
        return number, ids
    wrong = ("," in number and not _GROUPED.fullmatch(number)) or ("," not in number and len(digits) >= 4)
    if wrong and (_GROUPED.fullmatch(number[:-1]) or ("," not in number and len(digits) <= 7)):
        mark = number[-1]  # "0" is no footnote number: a garbled one, unread
        return (number[:-1], ()) if mark == "0" else (f"{number[:-1]}({mark})", (f"F{mark}",))
    return number, ids
