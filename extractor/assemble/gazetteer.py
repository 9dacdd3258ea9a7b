"""US ZIP codes -> the cities they serve, from a table that installs with the package.

The ``zipcodes`` package (MIT) ships its table inside the wheel: no download at run time.
A reporting owner's city that OCR garbled (``FOSIERCITY``) is corrected to the one city its
ZIP code serves that it is a few letters from (``FOSTER CITY``), in the case it was printed in.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LETTERS = re.compile(r"[^A-Z]")


@lru_cache(maxsize=4096)
def places(zip_code: str) -> tuple[str, tuple[str, ...]] | None:
    """(state, cities) a ZIP code serves, or None (unknown, or the table is not installed).

    >>> places("94404")
    ('CA', ('SAN MATEO', 'FOSTER CITY'))
    """
    try:
        import zipcodes
    except ImportError:  # pragma: no cover  (a base dependency; kept optional for minimal installs)
        return None
    digits = (zip_code or "").strip()[:5]
    if not re.fullmatch(r"\d{5}", digits):
        return None
    try:
        found = zipcodes.matching(digits)
    except (TypeError, ValueError):
        return None
    if not found:
        return None
    entry = found[0]
    cities = (entry["city"], *entry.get("acceptable_cities", ()))
    return entry["state"], tuple(dict.fromkeys(c.upper() for c in cities if c))


def _squashed(text: str) -> str:
    return _LETTERS.sub("", text.upper())


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions).

    >>> distance("FOSIERCITY", "FOSTERCITY"), distance("", "ab")
    (1, 2)
    """
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def corrected_city(city: str | None, zip_code: str | None, state: str | None = None) -> str | None:
    """The city ``zip_code`` serves that a garbled ``city`` stands for; None when the city is
    already one it serves, or no served city is near enough (at most one letter in five wrong).

    >>> corrected_city("FOSIERCITY", "94404"), corrected_city("Fosier City", "94404")
    ('FOSTER CITY', 'Foster City')
    >>> corrected_city("San Mateo", "94404"), corrected_city("Palo Alto", "94404"), corrected_city("X", "00000")
    (None, None, None)
    """
    if not city or not zip_code or (found := places(zip_code)) is None:
        return None
    zip_state, cities = found
    if state and state.strip().upper() != zip_state:
        return None
    read = _squashed(city)
    if not read or any(_squashed(c) == read for c in cities):
        return None
    near = sorted((distance(read, _squashed(c)), c) for c in cities)
    best, name = near[0]
    if best > max(1, len(read) // 5) or (len(near) > 1 and near[1][0] == best):
        return None
    return name if city.isupper() or not city.strip() else name.title()


def zip_in_state(zip_code: str, state: str | None) -> bool:
    """A ZIP code the table knows, in ``state`` (any state when none was read).

    >>> zip_in_state("94404", "CA"), zip_in_state("94404", "NY"), zip_in_state("12", None)
    (True, False, False)
    """
    found = places(zip_code)
    return found is not None and (not state or found[0] == state.strip().upper())
