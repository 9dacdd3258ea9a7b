"""What the calibrator looks at for every leaf: the field, its evidence, the form's checks, the row,
and the page's text quality (and the layout it suggests), as named features.

:mod:`form4.calibrate.calibrator` maps these to the probability that a leaf is right.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping, Sequence
from ..form.fields import NOT_PRINTED
from ..schema import TABLES, Footnote, Issuer, Record, ReportingOwner, Signature, iter_leaves

KINDS = ("text", "number", "date", "flag", "code", "footnote")
_DATE = re.compile(r"(?:date|period_of_report|date_of_original_submission)$")
FORMAT = "form4-calibration/2"
REVIEW_THRESHOLD = 0.9  # used only when a calibration file does not carry a measured one


def kind_of(pointer: str) -> str:
    """
    >>> kind_of("/non_derivative_transactions/0/shares"), kind_of("/footnotes/0/text"), kind_of("/reporting_owners/0/is_director")
    ('number', 'footnote', 'flag')
    """
    last = pointer.rsplit("/", 2)
    name = last[-1] if not last[-1].isdigit() else last[-2]
    if pointer.startswith("/footnotes") or name == "footnote_ids":
        return "footnote"
    if name.startswith("is_") or name in ("not_subject_to_section16", "aff10b5_one", "equity_swap_involved"):
        return "flag"
    if _DATE.search(name) or name.endswith("_date"):
        return "date"
    if name in ("shares", "price_per_share", "shares_owned_following", "conversion_or_exercise_price", "underlying_security_shares"):
        return "number"
    if name in ("transaction_code", "acquired_disposed", "direct_or_indirect", "document_type", "trading_symbol", "state", "zip_code"):
        return "code"
    return "text"


_INDEX = re.compile(r"/\d+(?=/|$)")


def field_pattern(pointer: str) -> str:
    """The field a pointer names, row indices removed.

    >>> field_pattern("/derivative_transactions/2/footnote_ids/1"), field_pattern("/issuer/name")
    ('derivative_transactions/*/footnote_ids', 'issuer/name')
    """
    return _INDEX.sub("/*", pointer).lstrip("/").replace("footnote_ids/*", "footnote_ids")


_META = ("source", "confidence", "warnings", "review", "record_confidence", "alternatives")


def _all_fields() -> tuple[str, ...]:
    """Every printed field pattern of the record (the one-hot vocabulary of the leaf model)."""
    nested = {"issuer": Issuer, "reporting_owners": ReportingOwner, "footnotes": Footnote, "signatures": Signature, **TABLES}
    out = []
    for name in Record.model_fields:
        sub = nested.get(name)
        if name in _META:
            continue
        star = "" if name == "issuer" else "/*"
        out += [f"{name}{star}/{k}" for k in sub.model_fields] if sub else [name]
    return tuple(p for p in out if not _not_printed(p))


def _not_printed(pattern: str) -> bool:
    return any(pattern.endswith(p[1:]) if p.startswith("*/") else pattern == p for p in NOT_PRINTED)


FIELDS = _all_fields()

# ---------------------------------------------------------------- the page: text quality
_VOWELS = set("aeiouyAEIOUY")
_ODD = set("©®@°«»§¢£¥¤¦¬¨`~")
_GLUED = re.compile(r"(?<![(\d,.])\d[\d,.]*\d\)")
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,40}>")
_MIXED = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")  # OCR letter/digit confusions: C0mmon, 1O,000, $5O
_NORMAL_MIXED = re.compile(r"^\(?(?:\d+(?:st|nd|rd|th)|10b5-1|F\d+|\d+[A-Z]?)[),.;:]*$", re.IGNORECASE)
_UNBALANCED = re.compile(r"\(\d{1,2}(?![\d)])|\(\d{1,2}\]")  # a footnote mark missing its ")": (1  (1]
_SPACE_RUN = re.compile(r"\S {3,}\S")
#: A small English / Form 4 vocabulary: the words every Form 4 prints plus common English.
VOCABULARY = frozenset(
    """
    table non derivative securities acquired disposed beneficially owned title security transaction
    date code amount price shares ownership form direct indirect nature following reported
    exercise expiration underlying conversion deemed execution month day year if any instr
    name address reporting person issuer ticker trading symbol relationship director officer
    owner other specify below earliest filed original amendment individual joint group filing
    applicable line check box statement changes beneficial section securities exchange act
    investment company holding public utility pursuant filed explanation responses remarks
    signature footnotes footnote common stock class option options right buy sell units unit
    restricted employee performance preferred series warrant warrants plan trust fund llc inc
    corp corporation limited partners partnership holdings capital ltd the and for with from
    that this was were are has have had not all any each per its their which who may shall
    will been more than one two three four five six seven eight nine ten percent vest vesting
    vested award awarded granted grant dividend weighted average sale sales purchase purchased
    sold prices ranging range inclusive upon full information regarding number each separate
    respect staff commission undertakes provide security holder request chief executive
    financial president vice general counsel secretary treasurer chairman board member
    street suite floor avenue road drive boulevard city state zip january february march april
    june july august september october november december instruction instructions response
    omb approval number expires estimated burden hours obligations continue may see
    persons who respond collection contained required unless displays currently valid control
    intentional misstatements omissions facts constitute federal criminal violations
    attorney fact power behalf herein made reported pursuant rule plan adopted contract
    """.split()
)


def text_quality(text: str | None) -> dict[str, float]:
    """Page-level signals of how clean the source text is and how it was flattened.

    >>> q = text_quality("Table I - Non-Derivative Securities\\n| Common Stock | 02/01/2024 | S | 1,000(1) |\\n")
    >>> q["dictionary_share"] > 0.5, q["markdown_lines"], q["glued_marks"]
    (True, 0.5, 0.0)
    """
    if not text:
        return {}
    tokens = text.split()
    words = [t for t in _TAG.sub(" ", text).split() if any(c.isalpha() for c in t)]
    alpha = [w.strip(".,:;()[]{}|*#\"'").lower() for w in words]
    alpha = [w for w in alpha if len(w) >= 3 and w.isalpha()]
    lines = [ln for ln in text.split("\n") if ln.strip()]
    n_lines, n_tokens = max(1, len(lines)), max(1, len(tokens))
    short = sum(len(ln.split()) <= 2 for ln in lines)
    return {
        "junk_share": sum(not (_VOWELS & set(w)) and len(w) > 1 for w in words) / max(1, len(words)),
        "odd_glyphs": sum(c in _ODD for c in text) / n_tokens,
        "dictionary_share": sum(w in VOCABULARY for w in alpha) / max(1, len(alpha)),
        "glued_marks": len(_GLUED.findall(text)) / n_lines,
        "mixed_tokens": sum(bool(_MIXED.search(t)) and not _NORMAL_MIXED.match(t) for t in tokens) / n_tokens,
        "unbalanced_marks": len(_UNBALANCED.findall(text)) / n_lines,
        "tab_lines": sum("\t" in ln for ln in lines) / n_lines,
        "pipe_lines": sum("|" in ln for ln in lines) / n_lines,
        "markdown_lines": sum(ln.lstrip().startswith("|") for ln in lines) / n_lines,
        "space_run_lines": sum(bool(_SPACE_RUN.search(ln)) for ln in lines) / n_lines,
        "short_lines": short / n_lines,
        "tag_share": len(_TAG.findall(text)) / n_tokens,
        "tokens_per_line": len(tokens) / n_lines,
        "log_chars": math.log1p(len(text)),
    }


#: How the page's text looks laid out, told from its quality signals alone: the tables' layouts
#: (``read.tables.LAYOUTS``, markup told apart as markdown) and OCR. The fitted calibration files
#: name its one-hot features ``family_<layout>``.
TEXT_LAYOUTS = ("positional", "reading-order", "cell-stream", "markdown", "ocr")


def text_layout(quality: Mapping[str, float]) -> str | None:
    """How the page's text looks laid out, from its quality signals (None without text).

    >>> text_layout({"markdown_lines": 0.4, "junk_share": 0.02, "dictionary_share": 0.6})
    'markdown'
    """
    if not quality:
        return None
    if quality.get("markdown_lines", 0) > 0.2 or quality.get("tag_share", 0) > 0.1:
        return "markdown"
    stray_pipes = quality.get("pipe_lines", 0) - quality.get("markdown_lines", 0)
    if quality.get("junk_share", 0) > 0.1 or quality.get("odd_glyphs", 0) >= 0.001 or stray_pipes > 0.1:
        return "ocr"
    if quality.get("space_run_lines", 0) > 0.3 or quality.get("tab_lines", 0) > 0.3:
        return "positional"
    if quality.get("short_lines", 0) > 0.62:
        return "cell-stream"
    return "reading-order"


# ---------------------------------------------------------------- repairs named by warnings
def _rebuilt(match: re.Match, record: dict) -> list[str]:
    value = float(match.group(1).replace(",", ""))
    return [p for p, v in iter_leaves(record) if p.endswith("/shares_owned_following") and isinstance(v, (int, float)) and abs(v - value) < 1]


def _first_date(match: re.Match, record: dict) -> list[str]:
    for key in ("non_derivative_transactions", "derivative_transactions"):
        if record.get(key):
            return [f"/{key}/0/transaction_date"]
    return []


def _placed(match: re.Match, record: dict) -> list[str]:
    return [p for p, v in iter_leaves(record) if "/footnote_ids/" in p and v == match.group(1)]


def _officer(match: re.Match, record: dict) -> list[str]:
    return [f"/reporting_owners/{i}/is_officer" for i, o in enumerate(record.get("reporting_owners") or []) if o.get("is_officer")]


#: Warnings of the assembler that say a value was repaired or placed by rule -> its leaves.
REPAIRS: tuple[tuple[str, re.Pattern, Any], ...] = (
    ("rebuilt", re.compile(r"shares owned following .* rebuilt as ([\d,.\-]+) from"), _rebuilt),
    ("implied", re.compile(r"first transaction date was unreadable"), _first_date),
    ("placed", re.compile(r"footnote (\w+) is marked nowhere readable; placed"), _placed),
    ("implied", re.compile(r"no relationship box read as checked"), _officer),
)


def repaired_pointers(record: Record) -> dict[str, str]:
    """Leaves the assembler repaired or placed by rule (named by its warnings) -> how.

    >>> from form4.schema import NonDerivativeTransaction as T
    >>> r = Record(non_derivative_transactions=(T(shares_owned_following=46274, footnote_ids=("F1",)),),
    ...            warnings=("shares owned following '40 5,274' was unreadable; rebuilt as 46,274 from the next row's holdings arithmetic",))
    >>> repaired_pointers(r)
    {'/non_derivative_transactions/0/shares_owned_following': 'rebuilt'}
    """
    dumped = record.to_json_dict()
    out: dict[str, str] = {}
    for warning in record.warnings:
        for how, pattern, resolve in REPAIRS:
            match = pattern.search(warning)
            if match:
                out.update({p: how for p in resolve(match, dumped)})
    return out


# ---------------------------------------------------------------- the row
def _chain_status(rows: Sequence[Any]) -> list[float]:
    """Per row: 1 if its holdings follow from the previous row of its chain (same security,
    form and nature), 0 if they do not, NaN when there is no previous row or a value is missing."""
    out, last = [], {}
    for row in rows:
        status = math.nan
        following, shares, side = row.get("shares_owned_following"), row.get("shares"), row.get("acquired_disposed")
        chain = ((row.get("security_title") or "").lower(), row.get("direct_or_indirect"), row.get("nature_of_ownership"))
        if chain in last and None not in (following, shares, side) and "shares" in row:
            expected = last[chain] + shares if side == "A" else last[chain] - shares
            status = float(abs(expected - following) <= 0.5)
        if following is not None:
            last[chain] = following
        out.append(status)
    return out


def _row_signals(record: dict) -> dict[tuple[str, int], dict[str, float]]:
    out = {}
    for key in TABLES:
        rows = record.get(key) or []
        chain = _chain_status(rows) if key.endswith("transactions") else [math.nan] * len(rows)
        for i, row in enumerate(rows):
            printed = [k for k in row if not _not_printed(f"{key}/*/{k}") and k != "footnote_ids"]
            nulls = sum(row[k] is None for k in printed)
            out[(key, i)] = {"row_nulls": nulls, "row_null_share": nulls / max(1, len(printed)), "chain_holds": chain[i], "rows_in_table": len(rows)}
    return out


# ---------------------------------------------------------------- features of every leaf
SOURCES = ("rule", "model", "model+rule", "derived")
#: The reader of a leaf when the pipeline supplies its evidence (features ``reader_<name>``).
READERS = ("header", "rows", "stream", "footer")


def leaf_features(
    record: Record, text: str | None = None, evidence: Mapping[str, dict] | None = None
) -> tuple[list[str], list[dict[str, float]]]:
    """(pointers, a feature dict per pointer) for every leaf of ``record.confidence``."""
    from ..assemble.validate import validate

    dumped = record.to_json_dict()
    quality = text_quality(text)
    layout = text_layout(quality)
    breaches: dict[str, int] = {}
    breached_rows: dict[str, int] = {}
    for breach in validate(record):
        for pointer in breach.pointers:
            breaches[pointer] = breaches.get(pointer, 0) + 1
            breached_rows[_row_of(pointer)] = breached_rows.get(_row_of(pointer), 0) + 1
    repaired = repaired_pointers(record)
    rows = _row_signals(dumped)
    scores = list(record.confidence.values())
    weak = sum(c < 0.9 for c in scores) / max(1, len(scores))
    document = {
        "doc_leaves": math.log1p(len(scores)),
        "doc_weak_share": weak,
        "doc_breaches": float(sum(breaches.values())),
        "doc_repairs": float(len(repaired)),
        "doc_owners": float(len(dumped.get("reporting_owners") or [])),
        "doc_footnotes": float(len(dumped.get("footnotes") or [])),
        "has_text": float(bool(quality)),
        **{f"text_{k}": v for k, v in quality.items()},
        **{f"family_{f}": float(layout == f) for f in TEXT_LAYOUTS},
    }
    pointers, out = [], []
    for pointer, score in record.confidence.items():
        pattern = field_pattern(pointer)
        parts = pointer.strip("/").split("/")
        row = rows.get((parts[0], int(parts[1]))) if len(parts) > 2 and parts[0] in TABLES and parts[1].isdigit() else None
        ev = (evidence or {}).get(pointer) or {}
        feats = {
            "evidence": score,
            **{f"kind_{k}": float(kind_of(pointer) == k) for k in KINDS},
            f"field_{pattern}": 1.0,
            "breaches": float(breaches.get(pointer, 0)),
            "row_breaches": float(breached_rows.get(_row_of(pointer), 0)),
            **{f"repair_{how}": float(repaired.get(pointer) == how) for how in ("rebuilt", "implied", "placed")},
            "in_table": float(row is not None),
            "row_nulls": row["row_nulls"] if row else math.nan,
            "row_null_share": row["row_null_share"] if row else math.nan,
            "chain_holds": row["chain_holds"] if row else math.nan,
            "rows_in_table": row["rows_in_table"] if row else math.nan,
            **{f"source_{s}": float(ev.get("source") == s) for s in SOURCES},
            **{f"reader_{f}": float(ev.get("family") == f) for f in READERS},
            "model_prob": float(ev["model_prob"]) if ev.get("model_prob") is not None else math.nan,
            "alternatives": float(ev["alternatives"]) if ev.get("alternatives") is not None else math.nan,
            **document,
        }
        pointers.append(pointer)
        out.append(feats)
    return pointers, out


def _row_of(pointer: str) -> str:
    """The row (or header block) a pointer belongs to.

    >>> _row_of("/non_derivative_transactions/3/footnote_ids/0"), _row_of("/issuer/name")
    ('/non_derivative_transactions/3', '/issuer')
    """
    parts = pointer.strip("/").split("/")
    return "/" + "/".join(parts[:2] if len(parts) > 2 and parts[1].isdigit() else parts[:1])


def feature_names(dicts: Sequence[Mapping[str, float]]) -> list[str]:
    """The columns of a feature matrix: every field one-hot, then the other names in first-seen order."""
    names = {f"field_{f}": None for f in FIELDS}
    for d in dicts:
        names.update(dict.fromkeys(k for k in d if k not in names))
    return list(names)


def matrix(dicts: Sequence[Mapping[str, float]], names: Sequence[str]):
    """Feature dicts -> a float matrix in ``names`` order (absent one-hots 0, absent measures NaN)."""
    import numpy as np

    index = {n: j for j, n in enumerate(names)}
    X = np.zeros((len(dicts), len(names)))
    for j, n in enumerate(names):
        if not (n.startswith(("field_", "kind_", "family_", "source_", "reader_", "repair_"))):
            X[:, j] = np.nan
    for i, d in enumerate(dicts):
        for k, v in d.items():
            j = index.get(k)
            if j is not None:
                X[i, j] = v
    return X


