"""Box 4 read where the box cutter found no date in it: the date printed right after its label.

"4. If Amendment, Date of Original Filed (Month/Day/Year)" is followed by the date on the
next line in text that lost the page's columns (``pdftotext -raw``, some OCR). The date is
taken only when nothing but the label's own words stand between the label and it (no other
box's label), and it is not box 3's date: a date after the label but past another label belongs
to that box.
"""

from __future__ import annotations

import re

from ..entities import Entity
from ..form import evidence as E
from ..form import fields as F
from ..form.normalize import DATE_IN_TEXT

#: The rest of box 4's label after "If Amendment": words of the label only, then the date.
_AFTER_LABEL = re.compile(
    r"[\s,]*(?:Date\s+(?:of\s+)?Original\s+Fil\w*|Date\s+Original\s+Fil\w*)?[\s,]*(?:\((?:Month/Day/Year|MM/DD/YYYY)\))?[\s:]*",
    re.I,
)


def original_date_after_label(text: str, anchor: int | None, period: Entity | None) -> Entity | None:
    """Box 4's date just after its label (``anchor``: where "If Amendment" starts).

    >>> t = "4. If Amendment, Date of Original Filed (Month/Day/Year)\\n11/13/2020\\n6. Individual"
    >>> original_date_after_label(t, 3, None).text
    '11/13/2020'
    >>> original_date_after_label("4. If Amendment, Date of Original Filed (Month/Day/Year) 6. Individual 08/20/2021", 3, None) is None
    True
    """
    if anchor is None:
        return None
    label = re.compile(r"If\s+Amendment", re.I).match(text, anchor)
    if label is None:
        return None
    rest = _AFTER_LABEL.match(text, label.end())
    date = DATE_IN_TEXT.match(text, rest.end() if rest else label.end())
    if date is None or (period is not None and period.start == date.start()):
        return None
    return Entity(F.ORIGINAL_DATE, date.start(), date.end(), date.group(0), E.FALLBACK)
