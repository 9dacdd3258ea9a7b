"""Evidence levels: how strongly a reader's evidence supports a reading, named once.

A rule reading carries one of these as its ``Entity.score``; the assembler lowers or keeps
it as the form's checks go; the calibrator (``calibration.py``) maps evidence to the
probability that a field is right. Each level says what evidence earns it.
"""

from __future__ import annotations

PRINTED = 0.95  # a value in its own printed shape where the form prints it: a date, a code letter, "[ TICKER ]"
IN_BOX = 0.9  # the words of a labelled box or cell, cut at the box's own labels; a footnote mark standing for a value
WORDS = 0.85  # text whose ends the reader decided: a street, a nature, an underlying title, a footnote's text
JOINED = 0.8  # text joined from wrapped lines; a second address line; a value found just outside its box
ARITHMETIC = 0.75  # another reading of a damaged number, chosen because the holdings arithmetic holds with it
FALLBACK = 0.7  # found by a fallback: a value re-joined across cells, the period outside box 3, a city wrapped under its zip
MERGED_LINE = 0.65  # a street read line by line where OCR merged the header boxes
IMPLIED = 0.6  # implied by the form, or read through an OCR confusion: the A/D side of a code, "1" read as I, a rebuilt holding
WEAK = 0.5  # a reading the form allows but nothing confirms: a garbled code letter, an unchecked box whose label was not found
PLACED = 0.4  # a footnote id placed on a row by its number's order, not read
DOUBTED = 0.3  # a reading that breaks the form (box labels inside a name): the model reads the region again
UNREADABLE = 0.2  # printed, but not readable as its kind

#: A rule reading at or above this keeps its value in a conflict with the model.
RULE_SURE = 0.5
#: Evidence of a model entity (its own score; the NER reports no per-entity probability).
MODEL = 0.9
#: Merged readings: both sources agree; only the model read it; they disagree.
AGREE, MODEL_ONLY, DISAGREE = 0.97, 0.85, 0.6
#: A field a breach of the form's rules names keeps this share of its evidence.
BREACHED = 0.7
#: A leaf no reader scored (should not happen; kept neutral).
UNSCORED = 0.5
