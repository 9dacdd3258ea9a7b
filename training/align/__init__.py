"""Project gold values onto flattened text: character-offset span annotations.

What is expected: the strings the rendered page prints
(:func:`form4.training.pages.render.render_values`) that carry an entity label
(:func:`form4.form.fields.label_for_pointer`). Leaves the page does not print
(the issuer CIK, false flags, a derivative row's (A)/(D) code, which only the
column shows) are not expected and not counted.

How they are found:

* **regions** (:func:`find_regions`): header, Table I, Table II (running on past
  "Explanation of Responses:" to the first footnote, where pdfminer prints the
  last cells), the blocks of reporting owners 2.. after Table II, the signature
  block. Headings are matched OCR-tolerantly (``Tablo Il``, ``Res ponses``).
* **table rows** (:class:`TablePlacer`): numbers, dates and code letters of all
  rows form one monotone chain (rows in order, cells in column order; in
  ``pdftotext -layout`` text read by line bands and columns), so a number
  printed twice (shares = owned following) or in two rows gets its role from
  its position. Text printed column by column (pdfminer, merged markdown cells)
  is chained column by column instead. Each row then gets a window and, for
  layout text, a main line; its text values (titles, nature of ownership) are
  searched inside, in column order on every line and, where the text keeps
  the page's columns, in horizontal position.
* **text values** (:class:`PhraseFinder`) may wrap: a value printed over several
  lines becomes several fragments, one per line (or per run between inline
  markup), in reading order; each fragment is a span with the value's label.
  Wrapped cells of tall rows, footnote-mark lines and repeated table headings
  after a page break may sit between fragments.
* **comparison**: exact, case-folded, then OCR-folded (``O``/``0``, ``S``/``5``,
  ``l``/``1``; ``US.`` for ``U.S.``), split or merged words (``Conversio n``,
  a number split by a column gap), then a small edit distance; the fuzzy
  searches only run inside a row's window or a small region.

Every span starts and ends on a token boundary of
:class:`form4.model.tokenizer.FilingTokenizer` (the search works on its tokens;
:func:`align_record` re-checks). Spans never overlap. A value that cannot be
placed has status ``missing`` and never becomes a span; ``coverage`` counts
placed / printed per converter and label.
"""

from __future__ import annotations

from .document import align_record, coverage
from .expected import expected_values
from .hits import Alignment

__all__ = ["Alignment", "align_record", "coverage", "expected_values"]
