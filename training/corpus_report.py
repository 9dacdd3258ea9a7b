"""What a corpus build reports: per converter and label, how many of the printed values the aligner
placed, examples of those it could not place, spans off token boundaries; the tables of it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .align import Alignment


@dataclass
class Coverage:
    """What the aligner placed, per converter and label.

    The denominator is what the page prints (``training.render.render_values``
    with an entity label): ``placed[converter][label] = [placed, printed]``.
    Values not placed are counted per converter and label (never emitted as
    spans), with a few examples; ``misaligned`` counts emitted spans that do not
    start and end on a ``FilingTokenizer`` token boundary (spaCy ``strict``).
    """

    placed: dict[str, dict[str, list[int]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0])))
    unplaced: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, dict[str, list[list[str]]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    misaligned: Counter = field(default_factory=Counter)
    spans: Counter = field(default_factory=Counter)
    texts: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)

    def add(self, converter: str, doc_id: str, alignment: Alignment, seconds: float = 0.0) -> None:
        self.texts[converter] += 1
        self.seconds[converter] += seconds
        for p in alignment.placements:
            cell = self.placed[converter][p.label]
            cell[1] += 1
            if p.status == "placed":
                cell[0] += 1
                continue
            self.unplaced[converter][p.label] += 1
            examples = self.examples[converter][p.label]
            if len(examples) < 3:
                examples.append([doc_id, p.pointer, p.value, p.status])
        spans = alignment.spans
        self.spans[converter] += len(spans)
        self.misaligned[converter] += misaligned_spans(alignment.text, spans)

    def report_fields(self) -> dict:
        return {
            "coverage": {c: dict(v) for c, v in self.placed.items()},
            "unplaced": {c: dict(v) for c, v in self.unplaced.items()},
            "unplaced_examples": {c: dict(v) for c, v in self.examples.items()},
            "misaligned_spans": dict(self.misaligned),
            "spans": dict(self.spans),
            "align_seconds_per_text": {c: round(self.seconds[c] / n, 4) for c, n in self.texts.items() if n},
        }


_NLP = None


def misaligned_spans(text: str, spans: list[dict]) -> int:
    """How many spans spaCy cannot map onto whole ``FilingTokenizer`` tokens."""
    global _NLP
    if _NLP is None:
        import spacy

        from form4.model.tokenizer import FilingTokenizer

        _NLP = spacy.blank("en")
        _NLP.tokenizer = FilingTokenizer(_NLP.vocab)
    doc = _NLP.make_doc(text)
    return sum(doc.char_span(s["start"], s["end"], alignment_mode="strict") is None for s in spans)


def coverage_table(report: dict) -> str:
    """Markdown table: per converter, printed values placed, spans off token boundaries, align time."""
    rows = ["| converter | printed | placed | share | misaligned spans | s/text |", "|---|---|---|---|---|---|"]
    seconds = report.get("align_seconds_per_text", {})
    misaligned = report.get("misaligned_spans", {})
    for converter, per in sorted(report["coverage"].items()):
        placed = sum(v[0] for v in per.values())
        total = sum(v[1] for v in per.values())
        share = f"{placed / total:.1%}" if total else "-"
        rows.append(f"| {converter} | {total} | {placed} | {share} | {misaligned.get(converter, 0)} | {seconds.get(converter, 0):.3f} |")
    return "\n".join(rows)


def label_table(report: dict) -> str:
    """Markdown table: share of printed values placed, per label (rows) and converter (columns)."""
    converters = sorted(report["coverage"])
    labels = sorted({label for per in report["coverage"].values() for label in per})
    rows = ["| label | " + " | ".join(converters) + " |", "|---" * (len(converters) + 1) + "|"]
    for label in labels:
        cells = []
        for converter in converters:
            placed, total = report["coverage"][converter].get(label, (0, 0))
            cells.append(f"{placed / total:.0%}" if total else "")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
