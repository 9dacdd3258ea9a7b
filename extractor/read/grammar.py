"""The row grammar: a table row's typed atoms -> role-labelled entities.

A row is read as a sequence of typed atoms (dates, numbers, letters, footnote marks,
words) against the column grammar of its table (``fields.TABLE_COLUMNS``), not by column
position: converters drop, merge and scramble columns, but the order of kinds survives.
Numbers a converter split over two cells are re-joined (``form4.read.amounts``; a date's
year, ``02/06/20⇥023``, here), alternatives kept for the arithmetic checks of the
assembler. Every reader family (``form4.read.tables``) hands its rows' atoms to
:func:`parse_row`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..form import fields as F
from ..form import evidence as E
from ..form.codes import TRANSACTION_CODES
from ..entities import Candidate, Entity, RowEntities, TableName
from .amounts import join_candidates, split_price_following
from .layout import Atom, AtomKind
from ..form.normalize import parse_date, split_footnotes
from ..form.ocr import GARBLED_CODE, UNREAD_MARK, cell_words, drop_ocr_mark

_SIDES, _FORMS = set(F.letters(F.ACQ_DISP)), set(F.letters(F.OWNERSHIP_FORM))  # from fields.TABLE_COLUMNS


# ---------------------------------------------------------------- the grammar
@dataclass
class _Cursor:
    atoms: list[Atom]
    i: int = 0

    def peek(self, k: int = 0) -> Atom | None:
        j = self.i + k
        return self.atoms[j] if j < len(self.atoms) else None

    def take(self) -> Atom:
        atom = self.atoms[self.i]
        self.i += 1
        return atom

    @property
    def done(self) -> bool:
        return self.i >= len(self.atoms)


def _attach_footnotes(atoms: list[Atom]) -> list[Atom]:
    """A footnote mark in the same cell as the atom before it belongs to that atom."""
    out: list[Atom] = []
    for a in atoms:
        prev = out[-1] if out else None
        if (
            a.kind is AtomKind.FOOTNOTE
            and prev is not None
            and prev.cell == a.cell
            and prev.kind in (AtomKind.LETTER, AtomKind.NUMBER, AtomKind.DATE, AtomKind.TEXT)
        ):
            out[-1] = Atom(prev.kind, prev.start, a.end, prev.text + " " + a.text, prev.cell, prev.footnote_ids + a.footnote_ids)
        else:
            out.append(a)
    return out


def _is_code(a: Atom) -> bool:
    return (a.kind is AtomKind.LETTER and a.bare in TRANSACTION_CODES) or (
        a.kind is AtomKind.NUMBER and a.bare == "5"
    )


#: Words a class letter follows in a security title ("Class A", "Series B"): the letter is the
#: title's even where the cell ends with it (the rest of the title wrapped onto other lines).
_CLASS_WORD = re.compile(r"(?i)class|series")


def _title_letter(a: Atom, nxt: Atom | None, prev: Atom | None) -> bool:
    """A capital letter inside a title's words: before a word of its cell, or after "Class"."""
    if a.kind is not AtomKind.LETTER:
        return False
    if nxt is not None and nxt.kind is AtomKind.TEXT and nxt.cell == a.cell:
        return True
    return prev is not None and prev.cell == a.cell and bool(_CLASS_WORD.fullmatch(prev.bare))


#: The words a security's par value is printed beside: the amount is the title's, no price.
_PAR_WORD = re.compile(r"(?i)par|value|nominal")


def _par_amount(cur: _Cursor, taken: list[Atom]) -> int:
    """How many atoms at the cursor are a par value inside the title: an amount after "par value"
    ("Class A Common Stock, par value $0.01 per share") or before it ("Common Stock, $0.001 par
    value"), in the title's cell. 0: none (the amount is a value of the row)."""
    prev, k = taken[-1], 0
    if cur.peek(k) is not None and cur.peek(k).kind is AtomKind.DOLLAR:
        k += 1
    amount = cur.peek(k)
    if amount is None or amount.kind is not AtomKind.NUMBER or amount.cell != prev.cell or amount.footnote_ids:
        return 0
    nxt = cur.peek(k + 1)
    after = nxt is not None and nxt.cell == amount.cell and nxt.kind is AtomKind.TEXT and nxt.bare.lower() == "par"
    before = any(_PAR_WORD.fullmatch(a.bare) for a in taken[-2:] if a.cell == amount.cell) and prev.bare.lower() in ("value", "of")
    return k + 1 if after or before else 0


def _title(text: str, cur: _Cursor) -> Entity | None:
    """Leading words (a single capital letter inside words too: "Class A Common Stock")."""
    taken: list[Atom] = []
    while not cur.done:
        a = cur.peek()
        nxt = cur.peek(1)
        if a.kind is AtomKind.TEXT or _title_letter(a, nxt, taken[-1] if taken else None):
            taken.append(cur.take())
        elif taken and (par := _par_amount(cur, taken)):
            taken += [cur.take() for _ in range(par)]
        elif a.kind is AtomKind.FOOTNOTE and taken and a.cell == taken[-1].cell:
            taken.append(cur.take())
        else:
            break
    if not taken or taken[0].text.startswith("("):
        return None
    words = " ".join(t.bare for t in taken)
    words = re.sub(r"[)\]]\d+$|\]$", "", words).strip()  # a mark's remnant; "(right to buy)" keeps its ")"
    words = drop_ocr_mark(words)
    words = re.sub(r"^[^\w(]+", "", words)
    if not words:
        return None
    return Entity(F.SECURITY_TITLE, taken[0].start, taken[-1].end, text[taken[0].start : taken[-1].end], E.IN_BOX, value_text=words)


def _ent(label: str, atoms: Sequence[Atom], text: str, value: str | None, score: float, notes: tuple[str, ...] = ()) -> Entity:
    start, end = atoms[0].start, atoms[-1].end
    return Entity(label, start, end, text[start:end], score, value_text=value, notes=notes)


def _dates(text: str, cur: _Cursor, labels: Sequence[str]) -> list[Entity]:
    out = []
    for label in labels:
        a = cur.peek()
        if a is None or a.kind is not AtomKind.DATE:
            break
        cur.take()
        bare = a.bare
        nxt = cur.peek()
        year = bare.rsplit("/", 1)[-1]
        if (
            len(year) == 2
            and nxt is not None
            and nxt.kind is AtomKind.NUMBER
            and re.fullmatch(r"\d{1,3}", nxt.bare)
            and nxt.cell != a.cell
        ):
            # "02/06/20" + "023": the year was split over two cells, its boundary digit doubled
            joined = bare + nxt.bare[1:] if bare[-1] == nxt.bare[0] else bare + nxt.bare
            if parse_date(joined).value:
                cur.take()
                out.append(_ent(label, [a, nxt], text, joined, E.FALLBACK, ("date re-joined across cells",)))
                continue
        out.append(_ent(label, [a], text, bare, E.PRINTED))
    return out


def _numbers_until(cur: _Cursor, stop) -> list[Atom]:
    taken = []
    while not cur.done and not stop(cur.peek()):
        a = cur.take()
        if a.kind in (AtomKind.NUMBER, AtomKind.FOOTNOTE, AtomKind.DOLLAR):
            taken.append(a)
    return taken


def _value_entity(label: str, atoms: list[Atom], text: str, alternatives: dict[str, tuple[Candidate, ...]]) -> Entity | None:
    """A number over one or more atoms; a lone footnote mark gives a footnote-only value."""
    nums = [a for a in atoms if a.kind is AtomKind.NUMBER]
    if not nums:
        marks = [a for a in atoms if a.kind is AtomKind.FOOTNOTE]
        return _ent(label, marks, text, None, E.IN_BOX, ("value given only as a footnote",)) if marks else None
    dollar = any(a.kind is AtomKind.DOLLAR for a in atoms)
    cands = join_candidates([a.bare for a in nums])
    if not cands or cands[0].plausibility <= 0:
        return _ent(label, nums, text, None, E.UNREADABLE, ("unreadable number",))
    if len(cands) > 1 or cands[0].how != "single":
        alternatives[label] = tuple(cands)
    best = cands[0]
    value = ("$" if dollar and not best.text.startswith("$") else "") + best.text
    notes = () if best.how == "single" else (f"number re-joined ({best.how})",)
    return _ent(label, nums, text, value, E.PRINTED * best.plausibility if best.how != "single" else E.PRINTED, notes)


def parse_row(table: TableName, text: str, atoms: list[Atom], need_title: bool = True) -> RowEntities | None:
    atoms = _attach_footnotes(atoms)
    cur = _Cursor(atoms)
    title = _title(text, cur)
    if title is None and need_title:
        return None
    rest = atoms[cur.i :]
    parse = _parse_table1 if table == "I" else _parse_table2
    ents, alts = parse(text, cur, _looks_like_transaction(table, rest))
    entities = (title, *ents)
    ids: list[str] = []
    for a in atoms:
        for fid in a.footnote_ids:
            if fid not in ids:
                ids.append(fid)
    return RowEntities(table, atoms[0].start, atoms[-1].end, tuple(e for e in entities if e), tuple(ids), alts)


def _looks_like_transaction(table: TableName, rest: list[Atom]) -> bool:
    """A transaction row has a code letter followed by an amount (holdings have neither)."""
    dates = [i for i, a in enumerate(rest) if a.kind is AtomKind.DATE]
    codes = [i for i, a in enumerate(rest) if a.kind is AtomKind.LETTER and a.bare in TRANSACTION_CODES]
    for i in codes:
        after = rest[i + 1 :]
        if any(a.kind is AtomKind.NUMBER for a in after) and (
            table == "II" or any(a.kind is AtomKind.LETTER and a.bare in _SIDES for a in after)
        ):
            if table == "I" or dates and dates[0] < i:
                return True
    return table == "I" and bool(dates)




def _code(text: str, cur: _Cursor) -> Entity | None:
    first = cur.peek()
    if first is not None and first.kind is AtomKind.TEXT and (m := GARBLED_CODE.fullmatch(first.text)):
        letter = (m.group(1) or m.group(2)[0]).upper()
        if letter in TRANSACTION_CODES:
            cur.take()
            return _ent(F.TXN_CODE, [first], text, letter, E.WEAK, ("code read through an OCR-garbled footnote mark or case",))
    # skip junk atoms before the code (e.g. a date the converter destroyed); junk right before
    # the amount is the code itself, unreadable ("clea"): the A/D letter after the amount is no code
    j = cur.i
    while j < len(cur.atoms) and not _is_code(cur.atoms[j]):
        if cur.atoms[j].kind is AtomKind.DATE:
            return None
        if cur.atoms[j].kind is AtomKind.NUMBER and j > cur.i and all(a.kind is AtomKind.TEXT and len(a.text) <= 4 for a in cur.atoms[cur.i : j]):
            cur.i = j
            return None
        j += 1
    if j >= len(cur.atoms):
        return None
    cur.i = j
    a = cur.take()
    letter = "S" if a.bare == "5" else a.bare
    score = E.IMPLIED if a.bare == "5" else E.PRINTED
    atoms = [a]
    # converters repeat a cell ("S S"); "V" after the code is the voluntary-report column
    while not cur.done and cur.peek().kind is AtomKind.LETTER and cur.peek().bare in {letter, "V"}:
        atoms.append(cur.take())
    return _ent(F.TXN_CODE, atoms, text, letter, score)


def _letter(cur: _Cursor, allowed: set[str]) -> Atom | None:
    if not cur.done and cur.peek().kind is AtomKind.LETTER and cur.peek().bare in allowed:
        return cur.take()
    return None


def _tail(text: str, cur: _Cursor, alts: dict[str, tuple[Candidate, ...]], with_price: bool) -> list[Entity]:
    """[price] owned-following D/I [nature] — the columns every row ends with."""
    rest = cur.atoms[cur.i :]
    di_index = None
    for j in range(len(rest) - 1, -1, -1):
        if rest[j].kind is AtomKind.LETTER and rest[j].bare in _FORMS:
            di_index = j
            break
    form_read_as = None
    if di_index is None:
        # OCR prints the "I" as "1", "l" or "|": after an amount, with only words (a nature) after it
        for j in range(1, len(rest)):
            if rest[j].bare in {"1", "l", "|"} and rest[j - 1].kind is AtomKind.NUMBER and all(a.kind is AtomKind.TEXT for a in rest[j + 1 :]):
                di_index, form_read_as = j, "I"
                break
    out: list[Entity] = []
    numeric = rest[:di_index] if di_index is not None else rest
    numeric = [a for a in numeric if a.kind in (AtomKind.NUMBER, AtomKind.FOOTNOTE, AtomKind.DOLLAR, AtomKind.DASH)]
    if with_price:
        price, follow = split_price_following(numeric)
        if e := _value_entity(F.PRICE, price, text, alts):
            out.append(e)
    else:
        follow = numeric
    if e := _value_entity(F.OWNED_FOLLOWING, follow, text, alts):
        out.append(e)
    if di_index is not None:
        di = rest[di_index]
        if form_read_as:
            out.append(_ent(F.OWNERSHIP_FORM, [di], text, form_read_as, E.IMPLIED, ("an OCR-garbled I",)))
        else:
            out.append(_ent(F.OWNERSHIP_FORM, [di], text, di.bare, E.PRINTED))
        nature = [a for a in rest[di_index + 1 :] if a.kind is not AtomKind.DASH]
        while nature and nature[-1].kind is AtomKind.FOOTNOTE:  # its marks are the row's footnotes
            nature.pop()
        if any(a.kind in (AtomKind.TEXT, AtomKind.LETTER) for a in nature):
            # the cell as printed (numbers and hyphens kept: "Venture 2010-Seed Fund"), marks dropped
            value = cell_words(text[nature[0].start : nature[-1].end])
            out.append(_ent(F.NATURE, nature, text, value, E.WORDS))
    cur.i = len(cur.atoms)
    return out


def _parse_table1(text: str, cur: _Cursor, is_transaction: bool):
    alts: dict[str, tuple[Candidate, ...]] = {}
    out: list[Entity] = []
    if is_transaction:
        out += _dates(text, cur, (F.TXN_DATE, F.DEEMED_DATE))
        if code := _code(text, cur):
            out.append(code)
        shares = _numbers_until(cur, lambda a: a.kind is AtomKind.LETTER and a.bare in _SIDES)
        if e := _value_entity(F.SHARES, shares, text, alts):
            out.append(e)
        if ad := _letter(cur, _SIDES):
            out.append(_ent(F.ACQ_DISP, [ad], text, ad.bare, E.PRINTED))
        out += _tail(text, cur, alts, with_price=True)
    else:
        out += _tail(text, cur, alts, with_price=False)
    return out, alts


#: A date column's words: "Immediately", "N/A", "None", "Various".
_WORD_DATE = re.compile(r"(?i)immed|\(?\d+\)?$|n/?a|none|various")


def _date_or_mark(text: str, cur: _Cursor, label: str) -> Entity | None:
    a = cur.peek()
    if a is None:
        return None
    if a.kind is AtomKind.DATE:
        cur.take()
        return _ent(label, [a], text, a.bare, E.IN_BOX)
    if a.kind is AtomKind.FOOTNOTE:
        cur.take()
        return _ent(label, [a], text, None, E.WORDS, ("value given only as a footnote",))
    if a.kind is AtomKind.TEXT and UNREAD_MARK.match(a.bare):  # a mark OCR could not read: "Q)", "@)"
        cur.take()
        return _ent(label, [a], text, None, E.WEAK, ("value given only as a footnote (mark unreadable)",))
    if a.kind is AtomKind.TEXT and _WORD_DATE.match(a.bare):
        cur.take()
        return _ent(label, [a], text, None, E.IMPLIED, ("date printed as words",))
    return None


def _spaced_mark_before_single_date(cur: _Cursor) -> Atom | None:
    """The footnote mark printed after the amount, when only one date follows before the title."""
    prev = cur.atoms[cur.i - 1] if cur.i else None
    nxt, after = cur.peek(), cur.peek(1)
    if prev is None or prev.kind is not AtomKind.NUMBER or nxt is None or nxt.kind not in (AtomKind.DATE, AtomKind.FOOTNOTE):
        return None
    if after is not None and after.kind not in (AtomKind.TEXT, AtomKind.LETTER):
        return None
    m = re.search(r"[\d)\]]\s+(\(\d{1,2}\)|\[\d{1,2}\])$", prev.text)  # "424 (1)", "884(1) (2)": the spaced one
    if not m:
        return None
    start = prev.start + m.start(1)
    return Atom(AtomKind.FOOTNOTE, start, prev.end, m.group(1), prev.cell, split_footnotes(m.group(1))[1])


def _lone_date(cur: _Cursor) -> bool:
    """One date alone in column 6 ("Date Exercisable and Expiration Date"), nothing printed for
    the other: it is the expiration date. A Date Exercisable is left blank, or given as a mark or
    a word ("Immediately"), where an expiration date is printed; of the training filings' Table II
    rows with one date, every one gives the expiration date."""
    nxt, after = cur.peek(), cur.peek(1)
    if nxt is None or nxt.kind is not AtomKind.DATE:
        return False
    return after is None or after.kind not in (AtomKind.DATE, AtomKind.FOOTNOTE) and not _WORD_DATE.match(after.bare)


def _parse_table2(text: str, cur: _Cursor, is_transaction: bool):
    alts: dict[str, tuple[Candidate, ...]] = {}
    out: list[Entity] = []
    conv = _numbers_until(cur, lambda a: a.kind in (AtomKind.DATE, AtomKind.TEXT, AtomKind.LETTER))
    if e := _value_entity(F.CONV_PRICE, conv[:2] if len(conv) > 1 and not is_transaction else conv, text, alts):
        out.append(e)
    if is_transaction:
        out += _dates(text, cur, (F.TXN_DATE, F.DEEMED_DATE))
        if code := _code(text, cur):
            out.append(code)
        shares = _numbers_until(
            cur, lambda a: a.kind in (AtomKind.DATE, AtomKind.TEXT) or (a.kind is AtomKind.FOOTNOTE)
        )
        if e := _value_entity(F.SHARES, shares, text, alts):
            out.append(e)
        if ad := _letter(cur, _SIDES):
            out.append(_ent(F.ACQ_DISP, [ad], text, ad.bare, E.IN_BOX))
    labels: tuple[str, ...] = (F.EXERCISE_DATE, F.EXPIRATION_DATE)
    if is_transaction and (mark := _spaced_mark_before_single_date(cur)):
        # "424 (1) 01/13/2032 Common Stock": the mark is the exercisable date's, not the amount's
        out.append(_ent(F.EXERCISE_DATE, [mark], text, None, E.FALLBACK, ("value given only as a footnote",)))
        labels = (F.EXPIRATION_DATE,)
    if labels == (F.EXERCISE_DATE, F.EXPIRATION_DATE) and _lone_date(cur):
        labels = (F.EXPIRATION_DATE,)
    for label in labels:
        if e := _date_or_mark(text, cur, label):
            out.append(e)
    under: list[Atom] = []
    while not cur.done and (cur.peek().kind is AtomKind.TEXT or _title_letter(cur.peek(), cur.peek(1), under[-1] if under else None)):
        under.append(cur.take())
    if under:
        out.append(_ent(F.UNDERLYING_TITLE, under, text, " ".join(a.bare for a in under), E.WORDS))
    rest_numeric = [a for a in cur.atoms[cur.i :] if a.kind is not AtomKind.TEXT]
    di_pos = [k for k, a in enumerate(rest_numeric) if a.kind is AtomKind.LETTER and a.bare in _FORMS]
    numeric = rest_numeric[: di_pos[-1]] if di_pos else rest_numeric
    values = [a for a in numeric if a.kind in (AtomKind.NUMBER, AtomKind.FOOTNOTE, AtomKind.DOLLAR)]
    if values:
        first = values[0]
        if first.kind is AtomKind.NUMBER and not first.bare.startswith("$") and (len(values) >= 3 or not is_transaction):
            out.append(_ent(F.UNDERLYING_SHARES, [first], text, first.bare, E.WORDS))
            cur.i = cur.atoms.index(first) + 1
    out += _tail(text, cur, alts, with_price=is_transaction)
    return out, alts
