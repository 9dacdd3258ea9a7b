"""The optional extras of the package (``pyproject.toml``'s optional dependencies) a command
needs, checked before the command runs: a missing one is one line saying how to install it
(``E025``; ``--plot`` keeps its own ``E015``), never a traceback from deep inside a library.

>>> missing_modules("plot") in ([], ["matplotlib"])
True
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .. import errors as E

#: extra -> the modules its distributions install (tests/test_extras.py holds it equal to the
#: package's metadata); ``test`` and the empty ``parquet`` need no check at run time
EXTRAS: dict[str, tuple[str, ...]] = {
    "dask": ("dask", "distributed", "fsspec", "pyarrow"),
    "plot": ("matplotlib",),
    "corpus": ("pypdf", "pdfminer", "fitz", "pdfplumber", "markitdown", "html2text", "PIL"),
}


def _importable(module: str) -> bool:
    """True when ``module`` can be imported (a module blocked in ``sys.modules`` counts as missing)."""
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_modules(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported."""
    return [module for module in EXTRAS[extra] if not _importable(module)]


def install_command(extra: str) -> str:
    """How to install ``extra``: into the clone this package runs from (an editable install),
    else from the package index.

    >>> install_command("dask").startswith("pip install")
    True
    """
    clone = Path(__file__).resolve().parents[2]
    if (clone / "pyproject.toml").is_file():
        return f"pip install -e '{clone}[{extra}]'"
    return f"pip install 'form4[{extra}]'"


def require(extra: str, what: str, error: type[E.Form4Error] = E.OptionError) -> None:
    """Raise ``error`` (one line) when ``what`` (an option or a command) needs ``extra`` and a
    module of it is missing."""
    missing = missing_modules(extra)
    if missing:
        raise error(f"{what} needs the optional extra '{extra}' ({', '.join(missing)} not installed); "
                    f"install it: {install_command(extra)}")
