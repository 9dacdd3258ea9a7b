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


def space_class(run: str) -> str:
    r"""The class a run of white space stands for, to the model: a page break, a paragraph break,
    a line break, a tab, a long, middling or short gap between columns, or one space. Converters
    and page styles print column gaps of any width; the model learns from the class, not the width.

    >>> [space_class(s) for s in ("\f", "\n\n  ", "\n   ", "\t", " " * 12, " " * 5, "  ", " ")]
    ['\x0c', '\n\n', '\n', '\t', '          ', '    ', '  ', ' ']
    """
    if "\f" in run:
        return "\f"
    if "\n" in run:
        return "\n\n" if run.count("\n") > 1 else "\n"
    if "\t" in run:
        return "\t"
    width = len(run)
    return " " * (10 if width >= 10 else 4 if width >= 4 else min(width, 2))


class FilingTokenizer:
    """Regex tokenizer; white space runs other than one space become their own tokens.

    With ``space_classes`` (the ``form4_tokenizer.v2`` of newer models) every white-space token's
    lexical features (norm, shape, prefix, suffix: what the model's embedding reads) are those of
    its :func:`space_class`."""

    def __init__(self, vocab: Vocab, space_classes: bool = False) -> None:
        self.vocab = vocab
        self.space_classes = space_classes
        self._classed: set[str] = set()

    def _class_spaces(self, words: list[str]) -> None:
        for word in words:
            if word in self._classed or not word.isspace():
                continue
            lexeme, cls = self.vocab[word], space_class(word)
            lexeme.norm_, lexeme.shape_, lexeme.prefix_, lexeme.suffix_ = cls, cls, cls[:1], cls
            self._classed.add(word)

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
        if self.space_classes:
            self._class_spaces(words)
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


@registry.tokenizers("form4_tokenizer.v2")
def create_tokenizer_v2():
    """The tokenizer of models trained on every page style: white space read by its class."""

    def make(nlp):
        return FilingTokenizer(nlp.vocab, space_classes=True)

    return make
