"""The model's side of the path: the regions it reads; the calibrator that turns evidence into confidence."""

from conftest import SAMPLES
from form4.model.ner import text_regions


def test_regions_cover_the_value_sections():
    text = (SAMPLES / "000_46eb1dd4f8015172.txt").read_text()
    regions = text_regions(text)
    covered = "".join(text[s:e] for s, e in regions)
    for value in ("Thakar Sumedh S", "45,551", "195,467", "/s/ Bruce Posey"):
        assert value in covered
    assert "Reminder: Report on a separate line" not in covered


def test_a_region_longer_than_the_model_reads_at_once_is_read_in_pieces(monkeypatch):
    import spacy

    from form4.model import ner as model
    from form4.read.sections import Sections, Span

    nlp = spacy.blank("en")
    nlp.max_length = 1_000  # spaCy raises E088 beyond this
    monkeypatch.setattr(model, "MAX_PIECE", 500)
    text = "Common Stock 05/01/2012 S 100 D\n" * 150  # 4,800 characters in one region
    sections = Sections(text, Span(0, 0), Span(0, len(text)), Span(len(text), len(text)), Span(len(text), len(text)),
                        Span(len(text), len(text)), Span(len(text), len(text)), {})
    assert model.predict(nlp, sections) == []  # a blank pipeline finds nothing, but reads every piece without E088
    assert all(e - s <= 500 for s, e in model._pieces(text, 0, len(text)))
