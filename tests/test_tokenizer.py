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
