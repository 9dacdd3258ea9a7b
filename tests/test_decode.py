"""form4.model.decode: the NER's greedy decoder stepped over all pieces at once, with span probabilities."""

import pytest

from form4.model.decode import read
from form4.model.ner import load, regions
from form4.read.sections import find_sections

from conftest import ROOT  # noqa: E402  (the repository, defined once)


@pytest.fixture(scope="module")
def nlp():
    return load()


def _pieces() -> list[str]:
    out = []
    for path in sorted((ROOT / "samples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [text[s:e] for s, e in regions(find_sections(text))]
    return out


def test_the_stepped_decoder_finds_exactly_the_entities_spacy_finds(nlp):
    pieces = _pieces()
    ours = read(nlp, pieces)
    theirs = list(nlp.pipe(pieces))
    assert [[(e.start, e.end, e.label_) for e in doc.ents] for doc, _ in ours] == [[(e.start, e.end, e.label_) for e in d.ents] for d in theirs]
    assert sum(len(doc.ents) for doc, _ in ours) > 50


def test_every_entity_gets_a_probability_and_some_are_unsure(nlp):
    out = read(nlp, _pieces() + ["", "   "])
    probs = [p for doc, ps in out for p in ps]
    assert all(len(ps) == len(doc.ents) for doc, ps in out)
    assert all(0.0 < p <= 1.0 for p in probs) and min(probs) < 0.99


def test_a_pipeline_it_cannot_step_is_read_as_spacy_reads_it_without_probabilities():
    import spacy

    blank = spacy.blank("en")
    (doc, probs), = read(blank, ["Common Stock"])
    assert probs is None and doc.text == "Common Stock"
