"""Synthetic Form 4 records: realistic, schema-valid, seeded — for training only.

The real filings come from a handful of filers, so a model fitted on them learns
those filers' words. :func:`synthesise` draws records from distributions measured
on the real filings (:mod:`.measure`, ``stats.json``, written by ``python -m
form4.training.synth measure``: row counts, transaction codes, security titles,
officer titles, natures, price decimals, footnote counts and lengths, owner
counts) and widens them by the form's own rules (:mod:`.vocab`): every transaction
code, 1–10 reporting owners (people, funds, trusts, LLCs, c/o lines, long names),
every relationship combination, officer titles of every shape, natures of
ownership in any case and length, holdings in both tables, derivative rows
without dates, values given only as a footnote, 4/A with the original date,
deemed execution dates, the 10b5-1 box, remarks, 0–40 footnotes of up to 1,500
characters, tables of 1–60 rows, prices with 0–6 decimals, $0, fractional
shares, very large holdings. In most records the holdings add up (shares owned
following = previous ± shares, per security and ownership form).

The parts: :mod:`.draw` (the seeded source, people, firms, numbers, footnotes),
:mod:`.tables` (the rows of Table I and II), :mod:`.record` (a whole filing).

>>> [len(s.record.reporting_owners) >= 1 for s in synthesise(3, seed=1)]
[True, True, True]
>>> synthesise(2, seed=5) == synthesise(2, seed=5)
True
"""

from __future__ import annotations

from .measure import STATS_PATH, Stats, measure
from .record import SyntheticFiling, synthesise
from .vocab import DERIVATIVE_CODES, TRANSACTION_CODES

__all__ = ["SyntheticFiling", "synthesise", "measure", "Stats", "STATS_PATH", "TRANSACTION_CODES", "DERIVATIVE_CODES"]
