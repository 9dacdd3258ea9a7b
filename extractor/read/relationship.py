"""Box 5, "Relationship of Reporting Person(s) to Issuer": the four checkboxes and the officer
title or other text written under them (rules)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..entities import Checkbox, Entity
from ..form import evidence as E
from ..form import fields as F
from ..form.labels import WORDINGS, words
from ..form.normalize import DATE_SHAPE
from .boxes import Piece, _box_tokens, _clean_words, _entity, _split_on_breaks

def _any_wording(key: str) -> str:
    """A label in any of its printed wordings, its last word known by its first letter (OCR and
    converters mangle it: "Ovvner").

    >>> [bool(re.fullmatch(_any_wording("ten"), label)) for label in ("10% Owner", "10 % Ovvner", "Ten Percent Owner", "Tenant")]
    [True, True, True, False]
    """
    variants = (words(key, v) for v in range(len(WORDINGS[key])))
    alternatives = (r"\s*".join([*map(re.escape, ws[:-1]), re.escape(ws[-1][0]) + r"\w*"]) for ws in variants)
    return "(?:%s)" % "|".join(dict.fromkeys(alternatives))


_REL_LABELS = {
    # OCR drops the D of "Director"; the words after "Officer" and "Other" tell them from a title
    "is_director": re.compile(r"\bD?%s\w*" % words("director")[0][1:5], re.I),
    "is_ten_percent_owner": re.compile(_any_wording("ten"), re.I),
    # "Officer" / "below):" / "(give title": a converter may put the label's last line between its words
    "is_officer": re.compile(r"%s(?=\s*(?:below\)?:?\s*)?\((?:%s))" % (words("officer")[0], "|".join(sorted({words("officer", v)[1] for v in range(len(WORDINGS["officer"]))}))), re.I),
    "is_other": re.compile(r"%s\s*\(%s" % (words("other")[0], words("other")[1][:4]), re.I),
}
_MARK_BEFORE = re.compile(r"(?:<input[^>]*checked[^>]*>|(?<![A-Za-z])[Xx✓✔☒](?![A-Za-z])|\[\s*[Xx]\s*\])[\s_*|]*$")
_TITLE_AFTER = re.compile(r"(?:below\)?|specify\s*below\)?)", re.I)


def read_box5(text: str, pieces: list[Piece]) -> tuple[dict[str, Checkbox], list[Entity]]:
    joined_spans = [(p.start, p.end) for p in pieces]
    rel: dict[str, Checkbox] = {}
    for field_name, pattern in _REL_LABELS.items():
        found = None
        for k, (s, e) in enumerate(joined_spans):
            # a label may go on in the box's next pieces ("X Officer" / "below):" / "(give title")
            reach = joined_spans[min(k + 2, len(joined_spans) - 1)][1]
            if (m := pattern.search(text, s, max(e, reach))) and m.start() < e:
                found = m
                break
        if found is None:
            rel[field_name] = (False, E.WEAK)
            continue
        lines_before = text[max(0, found.start() - 400) : found.start()].split("\n")  # padded tables: wide cells
        before = lines_before[-1]
        if not re.split(r"\t", before)[-1].strip() and len(lines_before) > 1 and _MARK_BEFORE.search(lines_before[-2]):
            before = lines_before[-2]  # "... (Check all applicable) X" / "Direc 10% Own": the mark ended the line above
        checked = bool(_MARK_BEFORE.search(re.sub(r"</?(?:u|b|strong|span)[^>]*>", " ", before))) or _marked_below(text, found)
        if not checked and found.group(0)[:1].islower():
            rel[field_name] = (None, E.DOUBTED)  # "irector": OCR lost the label's first letter, and the mark beside it with it
            continue
        rel[field_name] = (checked, E.PRINTED if checked else E.WORDS)
    titles = _titles(text, pieces, (bool(rel.get("is_officer", (False, 0))[0]), bool(rel.get("is_other", (False, 0))[0])))
    if not (rel.get("is_officer", (False, 0))[0] or rel.get("is_other", (False, 0))[0]):
        # no box checked: keep only a title that reads like one (OCR drops lone marks), with less confidence
        titles = [
            replace(t, score=min(t.score, E.PLACED))
            for t in titles
            if len(t.value_source) >= 5 and not re.fullmatch(r"(?i)\W*(?:bel\w*|spec\w*|title|\(?give)\W*", t.value_source)
        ]
    return rel, titles


def _marked_below(text: str, label: re.Match[str]) -> bool:
    """A two-line label ("Officer (give title" / "below)") whose check mark stands before its second
    line, under the label (``pdftotext -layout`` centres the box on the label's two lines)."""
    if not re.match(r"(?i)(?:officer|other)", label.group(0)):
        return False
    line_start = text.rfind("\n", 0, label.start()) + 1
    below_start = text.find("\n", label.end()) + 1
    below_end = text.find("\n", below_start)
    if below_start <= 0:
        return False
    below = text[below_start : below_end if below_end >= 0 else len(text)]
    x = label.start() - line_start
    for m in re.finditer(r"below\)?", below):
        if abs(m.start() - x) <= 12:  # the mark stands in the checkbox column, left of the label
            return bool(_MARK_BEFORE.search(below[max(0, min(x, m.start()) - 12) : m.start()]))
    return False


_VOCAB = re.compile(
    r"^(?:\(?Check|all|app\w*|applicable\)|Direc\w*|10%|Ow\w*|Ov\w*|vner|Officer|\(give|title|below\)?|"
    r"Other|\(s\w*|\(spec\w*|specify|\(below\)|Relationship|of|Reporting|Person\(s\)|Perso|ng|on\(s\)|to|Is\w*|Issuer|X|x|,|•|\(\))$",
    re.I,
)


def _titles(text: str, pieces: list[Piece], checked: tuple[bool, bool] = (False, False)) -> list[Entity]:
    """Officer title / other text: the words after a "(... below)" label that are not label words.

    The paper form and many filers' pages print them on the line(s) *under* the checkboxes: when
    nothing follows the label in its own cell and Officer or Other is ``checked``, the box's next
    lines are read — one title wrapped over them, or, when both are checked, the title and then
    the other text ("PRESIDENT AND CEO" / "Trustee of 10% owner").
    """
    best: list[tuple[int, int, str]] = []
    other: list[tuple[int, int, str]] = []
    for k, piece in enumerate(pieces):
        chunk = text[piece.start : piece.end]
        hits = list(_TITLE_AFTER.finditer(chunk))
        if not hits:
            continue
        after = piece.start + hits[-1].end()
        run = _clean_words(_title_run([t for t in _box_tokens(text, [Piece(after, piece.end)]) if t[2] != "\n"]))
        below: list[tuple[int, int, str]] = []
        if not run and any(checked) and k + 1 < len(pieces):
            lines = []
            for line in _split_on_breaks(_box_tokens(text, pieces[k + 1 :])):
                if _NEXT_BOX.fullmatch(line[0][2]) or _is_label_line(text, line):
                    break  # the next box ("2a.", "3."), its date or the next checkbox's label: the title has ended
                if r := _clean_words(_title_run(line, continued=bool(lines))):
                    lines.append(r)
            # one value per line when both boxes are checked; else one title wrapped over lines
            run, below = (lines[0], [t for line in lines[1:] for t in line]) if all(checked) and len(lines) > 1 else ([t for line in lines for t in line], [])
        if len(" ".join(w for _, _, w in run)) > len(" ".join(w for _, _, w in best)):
            best, other = run, below
    out = [_entity(F.OFFICER_TITLE, _clean_words(best), text, E.WORDS), _entity(F.OTHER_TEXT, _clean_words(other), text, E.JOINED)]
    return [e for e in out if e]


_NEXT_BOX = re.compile(rf"\d[a-z]?\.|{DATE_SHAPE}")


def _title_run(toks: list[tuple[int, int, str]], continued: bool = False) -> list[tuple[int, int, str]]:
    """The first run of words that are no label words (a title), up to the next box's number or a
    mark. A line that ``continued`` a title keeps its first words ("Chief Executive" / "Officer")."""
    run: list[tuple[int, int, str]] = []
    for t in toks:
        if _NEXT_BOX.fullmatch(t[2]):
            break  # the next box's number ("6.", "2a.") or its date
        if _VOCAB.match(t[2]) and t[2] in {"X", "x", "•"} and (run or continued):
            break
        if _VOCAB.match(t[2]) and not run and not continued:
            continue
        run.append(t)
    return run


def _is_label_line(text: str, line: list[tuple[int, int, str]]) -> bool:
    """A line that begins with a checkbox's label (a title under the label above ends there);
    "Director" only alone, as titles end in it ("Managing Director").

    >>> [_is_label_line(s, [(0, len(s), s)]) for s in ("Ten Percent Owner", "__ Director", "[ ] Other (specify below):",
    ...                                                 "Managing Director", "Officer", "Trustee of 10% owner")]
    [True, True, True, False, False, False]
    """
    chunk = _LEADING_MARKS.sub("", text[line[0][0] : line[-1][1]])
    if any(_REL_LABELS[key].match(chunk) for key in ("is_ten_percent_owner", "is_officer", "is_other")) or _TITLE_AFTER.match(chunk):
        return True
    return bool(re.fullmatch(r"%s[\W_]*" % _REL_LABELS["is_director"].pattern, chunk, re.I))


_LEADING_MARKS = re.compile(r"^(?:\[\s*[xX]?\s*\]|[_*•☐☒✓✔xX](?![A-Za-z])|\s)*")
