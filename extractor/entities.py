"""Entities: labelled character spans of the original text, from rules or the model."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entity:
    """A labelled span ``text[start:end]``.

    ``score`` is the evidence strength in [0, 1] (rule certainty or model
    probability); ``source`` says who found it ("rule", "model", "derived").
    A value rebuilt from fragments or arithmetic carries the repaired text in
    ``value_text`` while ``start``/``end`` still point at what was printed.
    """

    label: str
    start: int
    end: int
    text: str
    score: float = 1.0
    source: str = "rule"
    value_text: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def value_source(self) -> str:
        return self.value_text if self.value_text is not None else self.text
