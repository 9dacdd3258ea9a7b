"""The public Python API: a record from a filing's text, from a file, or from many files.

>>> import form4
>>> record = form4.extract_file("samples/000_46eb1dd4f8015172.txt")  # doctest: +SKIP
>>> record.issuer.trading_symbol, record.non_derivative_transactions[0].shares  # doctest: +SKIP
('QLYS', 3638.0)

Each function uses the shipped NER model with its calibration when it is installed, else
the rules alone (``settings=form4.RULES_ONLY`` asks for the rules; ``form4.model_extractor(DIR)``
for another trained model).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from .errors import Form4Error
from .run.pipeline import RULES_ONLY, Extractor, model_extractor
from .run.pipeline import extract_file as _extract_file
from .run.pipeline import extract_text as _extract_text
from .schema import Record


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The shipped model with its calibration (loaded once), or the rules when no model is installed."""
    from .model.ner import model_path

    return model_extractor() if model_path() is not None else RULES_ONLY


def extract_text(text: str, source: str | None = None, settings: Extractor | None = None) -> Record:
    """One filing's flattened text -> its record. Raises a ``Form4Error`` for text that is no Form 4."""
    return _extract_text(text, source, settings or default_extractor())


def extract_file(path: str | Path, settings: Extractor | None = None) -> Record:
    """One file (flattened text) -> its record. Raises a ``Form4Error`` naming the file when it cannot be read."""
    return _extract_file(Path(path), str(path), settings or default_extractor())


def extract_batch(paths: Iterable[str | Path], settings: Extractor | None = None) -> Iterator[tuple[str, Record | Form4Error]]:
    """Each path with its record, or with the error that stopped it: one bad file never stops the rest."""
    settings = settings or default_extractor()
    for path in paths:
        try:
            yield str(path), _extract_file(Path(path), str(path), settings)
        except Form4Error as err:
            yield str(path), err
