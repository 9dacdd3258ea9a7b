"""Untrusted text made safe to print on one line: file names, values read from inputs, messages
of other programs.

A file name can hold a newline (and so forge a line of the batch's summary), terminal escapes
(clear the screen, set the window title), bidirectional-override characters (show text in
another order than it is) or bytes that are not UTF-8; an annotation file can hold a 50 MB
token. :func:`escaped` writes every such character as a visible escape (``\\n``, ``\\x1b``,
``\\u202e``; a byte that was not UTF-8 as ``\\xff``) and cuts the text to a length, keeping its
start and saying how long it was; every error line, log line and summary goes through it.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, line and paragraph separators, bidirectional and zero-width format
#: characters, BOM, and the lone surrogates that stand for bytes that were not UTF-8.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

#: The longest file name and the longest message an error line shows (characters).
NAME_LIMIT = 300
MESSAGE_LIMIT = 600


def _escape(match: re.Match) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: object, limit: int = MESSAGE_LIMIT) -> str:
    r"""``text`` on one line, every control or format character escaped, at most about ``limit``
    characters (a longer one keeps its start and says how long it was).

    >>> print(escaped("a\nb\x1b[2J\u202etxt.exe"), escaped("bad\udcff.txt"))
    a\nb\x1b[2J\u202etxt.exe bad\xff.txt
    >>> escaped("x" * 5000, limit=40)
    'xxxxxxxxxxxxxxxxxxxx… (5,000 characters)'
    """
    text = str(text)
    shown = _UNSAFE.sub(_escape, text[: 4 * limit])  # escaping at most quadruples: a 50 MB string costs nothing
    if len(text) <= 4 * limit and len(shown) <= limit:
        return shown
    marker = f"… ({len(text):,} characters)"
    return shown[: max(8, limit - len(marker))] + marker


_SURROGATE = re.compile("[\udc80-\udcff]")


def printable(name: str) -> str:
    r"""A file name with the bytes that were not UTF-8 written ``\xNN``, so it can be written as
    UTF-8 (a record's ``source``, a page's title); nothing else changes.

    >>> print(printable("bad\udcff.txt"), printable("Müller.txt"))
    bad\xff.txt Müller.txt
    """
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group(0)) - 0xDC00:02x}", name)
