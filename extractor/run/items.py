"""What a batch works on and what it gives back: the inputs (a path, or stdin, and its name
relative to what the user gave) and the result (records, failures, skipped inputs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import Form4Error
from ..safe_text import NAME_LIMIT, escaped
from ..schema import Record


@dataclass(frozen=True)
class Input:
    """One filing to read: a path (or stdin) and its name relative to what the user gave."""

    path: Path | None  # None for stdin
    relative: Path
    source: str
    #: the folder the input was found in when links may not lead out of it (``--follow-links`` unset)
    confined_to: Path | None = None
    #: the page images of one filing, in page order (``form4.run.page_images``); ``path`` is the first
    pages: tuple[Path, ...] = ()


class ReadText(NamedTuple):
    """The text one record was read from and where each of its values was found in it
    (leaf pointer -> (start, end) offsets: the provenance's spans), for the review page."""

    text: str
    spans: dict[str, list[tuple[int, int]]]


@dataclass
class BatchResult:
    records: list[tuple[Input, Record]] = field(default_factory=list)
    failures: list[tuple[Input, Form4Error]] = field(default_factory=list)
    skipped: list[Input] = field(default_factory=list)
    interrupted: bool = False
    #: source -> the text (and value spans) of each of its records, in order (for the review page only)
    texts: dict[str, list[ReadText]] = field(default_factory=dict)
    chains: dict[str, Any] | None = None  # the holding chains' summary (form4.run.chains), once checked

    def summary(self) -> dict[str, Any]:
        """Done, failed (by code), skipped: what the end-of-batch line and ``--summary`` report."""
        codes: dict[str, int] = {}
        for _, err in self.failures:
            codes[err.code] = codes.get(err.code, 0) + 1
        return {
            "done": len({item.source for item, _ in self.records}),
            "records": len(self.records),
            "failed": len(self.failures),
            "failed_by_code": dict(sorted(codes.items())),
            "skipped": len(self.skipped),
            "interrupted": self.interrupted,
            "failures": [{"source": escaped(item.source, NAME_LIMIT), "code": err.code, "error": err.one_line()} for item, err in self.failures],
            **({"chains": self.chains} if self.chains is not None else {}),
        }
