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

    With ``space_classes`` (the ``form4_tokenizer.v2`` of newer models) the vocabulary gives every
    white-space token the lexical features of its :func:`space_class` (:func:`class_spaces`)."""

    def __init__(self, vocab: Vocab, space_classes: bool = False) -> None:
        self.vocab = vocab
        if space_classes:
            class_spaces(vocab)

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


def class_spaces(vocab: Vocab) -> None:
    """Make ``vocab`` give white space the features of its class (norm, shape, prefix, suffix: what
    the model's embedding reads), for the lexemes it holds and every one it makes from now on — the
    same whether a text is tokenized here or read back from a training DocBin."""
    from spacy.attrs import NORM, PREFIX, SHAPE, SUFFIX

    features = {NORM: space_class, SHAPE: space_class, PREFIX: lambda s: space_class(s)[:1], SUFFIX: space_class}
    getters = vocab.lex_attr_getters
    for attr, feature in features.items():
        if getattr(getters.get(attr), "space_classed", False):
            continue
        plain = getters.get(attr)

        def getter(string: str, plain=plain, feature=feature) -> str:
            return feature(string) if string.isspace() else (plain(string) if plain else string)

        getter.space_classed = True  # type: ignore[attr-defined]
        getters[attr] = getter
    for lexeme in vocab:
        if lexeme.orth_.isspace():
            cls = space_class(lexeme.orth_)
            lexeme.norm_, lexeme.shape_, lexeme.prefix_, lexeme.suffix_ = cls, cls, cls[:1], cls


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
