"""The command line: ``form4 extract|score|schema`` (``main``), ``corpus|train|evaluate``
(``training``, the only runtime module that imports ``form4.training``) and ``annotations``."""

from . import annotations, main, training  # noqa: F401  (each registers its commands on the app)
from .app import app

__all__ = ["app"]
