"""The model's tokenizer: flattened-filing text -> spaCy tokens.

spaCy's English rules keep ``45,551(1)`` or ``\\$0.00`` whole and split dates;
here a token is a date, a number (with its thousands separators), a word, a
markup tag, one punctuation character, or a run of white space other than one
space — so every value the aligner places starts and ends on a token boundary.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab
from ..form.normalize import DATE_SHAPE

TOKEN = re.compile(
    r"<[^<>\n]{0,80}>"  # markup: <br>, <u>, <sup>, <input ... checked>
    rf"|{DATE_SHAPE}"  # dates
    r"|\d+(?:,\d{3})*(?:\.\d+)?"  # numbers
    r"|[A-Za-z]+(?:['’][A-Za-z]+)*\.?(?<=[A-Z]\.)|[A-Za-z]+(?:['’][A-Za-z]+)*"  # words (initials keep their dot)
    r"|[^\sA-Za-z0-9]"  # any other single character
    r"|\s+"  # white space
)


class FilingTokenizer:
    """Regex tokenizer; white space runs other than one space become their own tokens."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for m in TOKEN.finditer(text):
            tok = m.group(0)
            if tok == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                continue
            if tok.isspace() and words and not spaces[-1] and not words[-1].isspace() and tok.startswith(" ") and len(tok) > 1:
                spaces[-1] = True
                tok = tok[1:]
            words.append(tok)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serialises tokenizers; ours has no state
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "FilingTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "FilingTokenizer":
        return self


@registry.tokenizers("form4_tokenizer.v1")
def create_tokenizer():
    def make(nlp):
        return FilingTokenizer(nlp.vocab)

    return make
