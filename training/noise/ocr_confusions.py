"""``ocr_confusions`` (samples 001, 004): OCR's character confusions, broken words, dropped spaces."""

from __future__ import annotations

import random
import re

from form4.form.ocr import MISREAD

from .common import ensure_changed, text_lines


# --------------------------------------------------------------------------------------
# ocr_confusions (samples 001, 004)

#: OCR's confusions (``form4.form.ocr.MISREAD``): of letters, in words; of digits and a number's
#: punctuation, in numbers; a dollar sign is also printed bold or apart from its amount.
LETTER_CONFUSIONS: dict[str, list[str]] = {k: list(v) for k, v in MISREAD.items() if k.isalpha()}
DIGIT_CONFUSIONS: dict[str, list[str]] = {k: list(v) for k, v in MISREAD.items() if k.isdigit() or k in ",./"}
DOLLAR_READINGS = [*MISREAD["$"], "<b>5</b> ", "$ "]
WORD_RATE = 0.05
NUMBER_RATE = 0.08


def _confuse(token: str, table: dict[str, list[str]], rng: random.Random) -> str:
    """Replace one occurrence of a confusable character (or pair) in ``token``."""
    spots = [(m.start(), key) for key in table for m in re.finditer(re.escape(key), token)]
    if not spots:
        return token
    pos, key = rng.choice(sorted(spots))
    return token[:pos] + rng.choice(table[key]) + token[pos + len(key) :]


def _break_word(token: str, rng: random.Random) -> str:
    """Insert a space inside a word: ``Conversion`` -> ``Conversio n``."""
    cut = rng.randint(1, len(token) - 1)
    return token[:cut] + " " + token[cut:]


def _corrupt_word(token: str, rng: random.Random) -> str:
    """OCR-style damage to a word of at least three letters."""
    roll = rng.random()
    if roll < 0.3 and len(token) >= 5:
        return _break_word(token, rng)
    if roll < 0.4:
        i = rng.randrange(len(token))
        return token[:i] + f"<b>{token[i]}</b>" + token[i + 1 :]
    letters_only = {k: [v for v in vs if not v.isdigit()] for k, vs in LETTER_CONFUSIONS.items()}
    table = LETTER_CONFUSIONS if sum(ch.isalpha() for ch in token) >= 3 else letters_only
    return _confuse(token, table, rng)


def _corrupt_number(token: str, rng: random.Random) -> str:
    """OCR-style damage to a token holding a number, price or footnote mark."""
    if token.startswith("$") and rng.random() < 0.5:
        return rng.choice(DOLLAR_READINGS) + token[1:]
    if re.search(r"\(\d{1,2}\)$", token) and rng.random() < 0.5:
        return re.sub(r"\((\d{1,2})\)$", rng.choice([r"\1)", r"(\1", ")", r"(\1]"]), token)
    return _confuse(token, DIGIT_CONFUSIONS, rng)


def _ocr_token(token: str, rng: random.Random) -> str:
    """Possibly corrupt one whitespace-free token."""
    if any(ch.isdigit() for ch in token):
        return _corrupt_number(token, rng) if rng.random() < NUMBER_RATE else token
    if sum(ch.isalpha() for ch in token) >= 3 and rng.random() < WORD_RATE:
        return _corrupt_word(token, rng)
    if token in ("X", "x") and rng.random() < 0.3:
        return rng.choice(["xX", "x", "Xx", "><"])
    return token


def _ocr_line(line: str, rng: random.Random) -> str:
    """Corrupt tokens, drop a few spaces and add ``|`` at some column gaps."""
    parts = re.split(r"(\s+)", line)
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        if part.isspace():
            if part == " " and out and rng.random() < 0.02:
                continue  # dropped space: "FOSTER CITY" -> "FOSTERCITY"
            if out and len(part) >= 2 and rng.random() < 0.1:
                part = rng.choice([" | ", " || ", " [ "])
            out.append(part)
        else:
            out.append(_ocr_token(part, rng))
    return "".join(out)


def ocr_confusions(text: str, rng: random.Random) -> str:
    """Character confusions, broken words and dropped spaces (samples 001, 004)."""
    noisy = "\n".join(_ocr_line(line, rng) for line in text_lines(text))
    return ensure_changed(text, noisy, rng)
