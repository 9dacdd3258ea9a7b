"""Every module's doctests (the printed examples in docstrings), run against the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import form4
import form4.training

# form4.training lives in its own folder (training/), so it is walked on its own
MODULES = sorted(
    m.name
    for package in (form4, form4.training)
    for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_the_printed_examples_in_docstrings_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"
