"""JSON from outside read within limits: gold and predicted records, annotation exports, a
model folder's settings.

Python's ``json`` reads any size and recurses once per level of nesting, so a file of a million
``[`` ends in ``RecursionError``, a traceback; bytes that are not UTF-8 end in
``UnicodeDecodeError``. :func:`load_json` checks the size first (at most ``max_bytes``, read no
further), decodes UTF-8 strictly, measures the nesting in one pass over the brackets outside
strings (at most :data:`MAX_DEPTH` levels) and only then parses; anything wrong is one
:class:`JSONFileError` (a ``ValueError``) whose message says what, for the caller's one line.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

#: Levels of nesting a file may have: a record has 4, an annotation export 6.
MAX_DEPTH = 64
#: A record (gold or predicted) is a few kilobytes; an annotation export holds thousands of texts.
MAX_RECORD_BYTES = 20 << 20
MAX_EXPORT_BYTES = 500 << 20

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class JSONFileError(ValueError):
    """A JSON file over a limit, not UTF-8, or not JSON: the message says which."""


def depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, in one pass.

    >>> depth('{"a": [1, {"b": "[[[["}]}'), depth("[" * 5 + "]" * 5), depth("1")
    (3, 5, 0)
    """
    level = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def read_text(path: Path, max_bytes: int) -> str:
    """The file's text (gzip-compressed when it ends in ``.gz``), at most ``max_bytes`` bytes, UTF-8."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError) as err:
        raise JSONFileError(f"cannot read it ({getattr(err, 'strerror', None) or err})") from None
    if len(data) > max_bytes:
        raise JSONFileError(f"it is over {max_bytes >> 20} MB, more than such a file may be")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise JSONFileError(f"it is not UTF-8 text (byte 0x{data[err.start]:02x} at {err.start})") from None


def parse(text: str) -> Any:
    """One JSON document, its nesting checked before it is parsed."""
    if depth(text) > MAX_DEPTH:
        raise JSONFileError(f"it nests over {MAX_DEPTH} levels deep, deeper than any record or export")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as err:
        raise JSONFileError(f"it is not JSON ({err})") from None


def load_json(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> Any:
    """A JSON file read within the limits above; :class:`JSONFileError` says what is wrong."""
    return parse(read_text(Path(path), max_bytes))


def load_json_or_lines(path: Path, max_bytes: int = MAX_EXPORT_BYTES) -> list[Any]:
    """A JSON document (a list, or one item) or JSON Lines, within the limits above."""
    text = read_text(Path(path), max_bytes)
    try:
        data = parse(text)
    except JSONFileError as whole:
        if "not JSON" not in str(whole):
            raise
        return [parse(line) for line in text.splitlines() if line.strip()]
    return data if isinstance(data, list) else [data]
