"""The NER model: where it lives, what text it reads, and its entities.

The model reads only the *regions* the anchors found (header, Table I, Table II,
signature block): training cuts the same regions, so what the model sees at run
time is what it was trained on.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..entities import Entity
from ..form.evidence import MODEL
from ..errors import Form4Error, ModelNotFoundError
from ..read.sections import Sections, find_sections
from .decode import read

MODEL_NAME = "form4-ner"
ENV_VAR = "FORM4_MODEL"


REGION_NAMES = ("header", "table1", "table2", "more_owners", "signature")


def named_regions(sections: Sections) -> list[tuple[str, int, int]]:
    """The spans the model reads, by name, in text order."""
    sig_start = sections.remarks.start if sections.remarks else sections.signature.start
    spans = [
        ("header", sections.header.start, sections.header.end),
        ("table1", sections.table1.start, sections.table1.end),
        ("table2", sections.table2.start, sections.table2.end),
        ("more_owners", sections.more_owners.start, sections.more_owners.end),
        ("signature", sig_start, sections.signature.end),
    ]
    return [(n, s, e) for n, s, e in spans if e > s]


def regions(sections: Sections) -> list[tuple[int, int]]:
    """The spans the model reads, in text order."""
    return [(s, e) for _, s, e in named_regions(sections)]


def text_regions(text: str) -> list[tuple[int, int]]:
    """Regions of a raw text; the whole text when the anchors cannot be found."""
    try:
        return regions(find_sections(text))
    except Form4Error:
        return [(0, len(text))]


def model_path() -> Path | None:
    """The shipped pipeline: $FORM4_MODEL, else ``models/form4-ner`` (the package ``form4.models``,
    in a clone and in an installed copy alike). $FORM4_MODEL naming a folder with no pipeline in
    it is an error (E008), never passed over for the shipped model."""
    from importlib.resources import files

    named = os.environ.get(ENV_VAR)
    if named:
        if not (Path(named) / "meta.json").is_file():
            raise ModelNotFoundError(f"${ENV_VAR} names a folder with no trained pipeline in it (no meta.json); "
                                     "point it at a folder `form4 train` wrote, or unset it", named)
        return Path(named)
    shipped = Path(str(files("form4.models") / MODEL_NAME))
    return shipped if (shipped / "meta.json").exists() else None


@lru_cache(maxsize=2)
def load(path: str | None = None):
    """The spaCy pipeline at ``path`` (default :func:`model_path`); one that cannot be loaded (a
    crafted or broken config, missing weights) is one :class:`ModelNotFoundError`."""
    import spacy

    from . import tokenizer  # noqa: F401  (registers form4_tokenizer.v1)

    target = Path(path) if path else model_path()
    if target is None:
        raise ModelNotFoundError(
            f"no trained model found (looked in $FORM4_MODEL and models/{MODEL_NAME}); "
            "run `form4 train`, or use --no-model for rules only"
        )
    config = target / "config.cfg"
    if config.is_file() and config.stat().st_size > MAX_CONFIG_BYTES:
        raise ModelNotFoundError(f"its config.cfg is over {MAX_CONFIG_BYTES >> 10} KB, not a pipeline's; pass --model with a folder `form4 train` wrote", str(target))
    try:
        return spacy.load(target)
    except Exception as err:  # noqa: BLE001  (whatever a broken folder raises: one line)
        first = (str(err).strip().splitlines() or [""])[0][:300]
        raise ModelNotFoundError(f"cannot load the pipeline ({type(err).__name__}: {first}); "
                                 "pass --model with a folder `form4 train` wrote, or --no-model", str(target)) from None


#: A pipeline's config.cfg is a few kilobytes.
MAX_CONFIG_BYTES = 1 << 20


def predict(nlp, sections: Sections, spans: list[tuple[int, int]] | None = None) -> list[Entity]:
    """Model entities over the regions of one filing (or over ``spans``), with offsets into the whole text
    and each span's probability (:mod:`form4.model.decode`)."""
    text = sections.raw or sections.text
    spans = [piece for span in (regions(sections) if spans is None else spans) for piece in _pieces(text, *span)]
    out: list[Entity] = []
    for (start, _), (doc, probs) in zip(spans, read(nlp, [_short_lines_only(text[s:e]) for s, e in spans])):
        for k, ent in enumerate(doc.ents):
            s, e = start + ent.start_char, start + ent.end_char
            if _line_length(text, s) > MAX_LINE:
                continue  # a converter's runaway repeat (seed 004), not a table row
            prob = round(probs[k], 4) if probs is not None else None
            out.append(Entity(ent.label_, s, e, _trim(ent.label_, ent.text), MODEL, source="model", prob=prob))
    return out


MAX_LINE = 2000
#: The longest text the model reads at once (spaCy refuses more than ``nlp.max_length``, 1,000,000
#: characters, and its memory grows with the length); a longer region is read in pieces cut at line ends.
MAX_PIECE = 100_000


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at line ends into pieces of at most ``MAX_PIECE`` characters.

    >>> _pieces("ab\\ncd\\nef", 0, 8)
    [(0, 8)]
    """
    out = []
    while end - start > MAX_PIECE:
        cut = text.rfind("\n", start, start + MAX_PIECE)
        cut = cut + 1 if cut > start else start + MAX_PIECE
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _short_lines_only(piece: str) -> str:
    """The piece with its lines over ``MAX_LINE`` characters blanked (same length, offsets hold): no
    entity on such a line is kept, and the model's time grows with what it reads.

    >>> _short_lines_only("Common Stock 100\\n" + "x " * 1500 + "\\nend").split("\\n")[::2]
    ['Common Stock 100', 'end']
    >>> _short_lines_only("Common Stock 100\\n" + "x " * 1500).split("\\n")[1].strip()
    ''
    """
    if len(piece) <= MAX_LINE:
        return piece
    lines = piece.split("\n")
    if all(len(line) <= MAX_LINE for line in lines):
        return piece
    return "\n".join(line if len(line) <= MAX_LINE else " " * len(line) for line in lines)


def _line_length(text: str, offset: int) -> int:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return (len(text) if end < 0 else end) - start


def _trim(label: str, text: str) -> str:
    """A signer's name span that ran into the signature date loses the date."""
    if label == "SIGNER_NAME":
        from ..form.normalize import DATE_IN_TEXT

        m = DATE_IN_TEXT.search(text)
        if m and m.start() > 0:
            return text[: m.start()].rstrip(" ,")
    return text
