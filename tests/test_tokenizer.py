"""form4.model.tokenizer: the filing tokenizer keeps values whole and the text exact."""

import spacy

from form4.model.tokenizer import FilingTokenizer


def test_tokenizer_keeps_values_whole_and_text_exact():
    nlp = spacy.blank("en")
    text = "Common Stock\t10/26/2023\t\tA\t45,551 ⁽¹⁾\t\\$110.2893(1)\t5,048,392\tD"
    doc = FilingTokenizer(nlp.vocab)(text)
    assert doc.text == text
    for value in ("10/26/2023", "45,551", "110.2893", "5,048,392"):
        start = text.index(value)
        assert doc.char_span(start, start + len(value), alignment_mode="strict") is not None


def test_with_space_classes_column_gaps_of_any_width_look_alike_to_the_model():
    nlp = spacy.blank("en")
    tokenizer = FilingTokenizer(nlp.vocab, space_classes=True)
    narrow = tokenizer("Common Stock     10/26/2023")
    wide = tokenizer("Common Stock        10/26/2023")
    gap_narrow, gap_wide = narrow[2], wide[2]
    assert gap_narrow.text != gap_wide.text
    assert (gap_narrow.norm_, gap_narrow.shape_, gap_narrow.suffix_) == (gap_wide.norm_, gap_wide.shape_, gap_wide.suffix_)
    assert narrow.text == "Common Stock     10/26/2023"


def test_without_space_classes_a_gap_keeps_its_own_features():
    nlp = spacy.blank("en")
    doc = FilingTokenizer(nlp.vocab)("Common Stock        10/26/2023")
    assert doc[2].norm_ == doc[2].text


def test_space_classes_hold_for_docs_read_back_from_a_docbin_as_in_training():
    from spacy.tokens import Doc, DocBin

    from form4.training.train import DOCBIN_ATTRS

    nlp = spacy.blank("en")
    FilingTokenizer(nlp.vocab, space_classes=True)
    stored = DocBin(attrs=DOCBIN_ATTRS)
    stored.add(Doc(spacy.blank("en").vocab, words=["Stock", "        ", "10/26/2023"], spaces=[False] * 3))
    (doc,) = stored.get_docs(nlp.vocab)
    assert (doc[1].norm_, doc[1].shape_) == ("    ", "    ")
