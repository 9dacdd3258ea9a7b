"""Round trip with annotation tools: export pre-annotated tasks, import the corrected ones.

``form4 annotations export`` writes, for each text, the model's reading as pre-annotations:

* **Label Studio** tasks (a JSON list): ``data.text``, the text's SHA-256 in
  ``data.form4_text_sha256``, and one ``predictions`` entry whose ``result`` items are
  Label Studio's text-span regions (``from_name: "label"``, ``to_name: "text"``,
  ``type: "labels"``, ``value: {start, end, text, labels}``). The labelling interface to paste
  into the project is :func:`label_config` (written beside the tasks).
* **doccano** sequence-labelling JSONL: ``text``, ``label: [[start, end, LABEL]]`` and the hash.

The pre-annotations are the extractor's final reading, each value of the record located in the
text (:func:`form4.io.review.locate`), completed by the NER model's entities over the regions it
reads (:func:`form4.model.ner.predict`) where they overlap no value of the record. An annotator then
corrects what the product as a whole read, and a text with no correction is a complete annotation,
not the NER's partial one. Every exported span is one the import takes back unedited
(:func:`importable`: trimmed of white space, on token boundaries, none overlapping).

``form4 annotations import`` reads a Label Studio JSON export (a task's latest non-cancelled
annotation; its prediction when nobody annotated it), doccano JSONL (``label`` or
``entities``) and Prodigy/spaCy span JSONL (``text``, ``spans: [{start, end, label}]``;
Prodigy answers other than ``accept`` are skipped) into our gzipped JSONL
(``annotations/README.md``). Every span is checked; a bad one gets one line naming its task
and span and is left out, and the task's other spans are kept:

>>> text = "Common Stock 10/26/2023 45,551"
>>> spans, problems = check_spans("t1", text, [(0, 12, "SECURITY_TITLE"), (13, 18, "TXN_DATE"), (24, 30, "SHARE")])
>>> spans
[{'start': 0, 'end': 12, 'label': 'SECURITY_TITLE'}]
>>> print("\\n".join(problems))
task t1: span 13-18 '10/26' TXN_DATE: off token boundaries (a token is '10/26/2023'); select whole tokens
task t1: span 24-30 '45,551' SHARE: unknown label; use one of form4.form.fields.LABELS (annotations/README.md)
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from form4.form.fields import LABELS

HASH_KEY = "form4_text_sha256"
FROM_NAME, TO_NAME = "label", "text"
FORMATS = ("label-studio", "doccano", "spacy")
DEFAULT_IMPORTED = Path(__file__).resolve().parents[1] / "annotations" / "imported"  # the clone's, wherever you run


def text_sha256(text: str) -> str:
    """
    >>> text_sha256("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def label_config(labels: Iterable[str] = LABELS) -> str:
    """Label Studio's labelling interface for our labels (white space kept: offsets count it)."""
    items = "\n".join(f'    <Label value="{label}"/>' for label in labels)
    return (
        "<View>\n  <Style>.htx-text{ white-space: pre-wrap; font-family: monospace; }</Style>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{items}\n  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text"/>\n</View>\n'
    )


# ---------------------------------------------------------------- offsets: Python vs JavaScript
def _utf16_units(text: str) -> list[int]:
    """UTF-16 offset of every code point offset (Label Studio counts in JavaScript string units)."""
    out, at = [0], 0
    for ch in text:
        at += 2 if ord(ch) > 0xFFFF else 1
        out.append(at)
    return out


def to_js(text: str, offset: int) -> int:
    return offset if text.isascii() else _utf16_units(text)[offset]


def from_js(text: str, offset: int) -> int:
    """
    >>> from_js("\\U0001F600 ab", 3), to_js("\\U0001F600 ab", 2)
    (2, 3)
    """
    if text.isascii():
        return offset
    units = _utf16_units(text)
    return units.index(offset) if offset in units else -1


# ---------------------------------------------------------------- export
def pre_annotations(text: str, extractor) -> list[dict]:
    """The extractor's located reading of ``text``, completed by the model's other spans; only
    spans that :func:`import_file` accepts back (:func:`importable`)."""
    from form4.errors import Form4Error
    from form4.model.ner import predict
    from form4.run.pipeline import extract_text
    from form4.io.review import locate
    from form4.read.sections import find_sections

    try:
        sections = find_sections(text)
    except Form4Error:
        return []
    spans = [{"start": e.start, "end": e.end, "label": e.label} for e in predict(extractor.nlp, sections)]
    trace: dict = {}
    record = extract_text(text, None, extractor, trace)
    located = locate(record, text, trace["provenance"].spans())
    read = [{"start": start, "end": end, "label": label} for pointer, fragments in located.spans.items()
            if (label := located.labels.get(pointer)) for start, end in fragments]
    return importable(text, read + spans)


def importable(text: str, spans: list[dict]) -> list[dict]:
    """The spans an import takes back unedited, in text order: each trimmed of white space at its
    ends, one off a token boundary or with an unknown label left out, and of overlapping spans the
    first given kept (the record's reading before the model's other spans).

    >>> text = "Common Stock\\t45,551 (1)"
    >>> importable(text, [{"start": 12, "end": 20, "label": "SHARES"}, {"start": 0, "end": 12, "label": "SHARES"},
    ...                   {"start": 0, "end": 7, "label": "SECURITY_TITLE"}, {"start": 14, "end": 19, "label": "PRICE"}])
    [{'start': 0, 'end': 12, 'label': 'SHARES'}, {'start': 13, 'end': 19, 'label': 'SHARES'}]
    """
    starts, ends, _ = _token_bounds(text)
    kept: list[dict] = []
    for span in spans:
        start, end = _trimmed(text, span["start"], span["end"])
        if start in starts and end in ends and start < end and span["label"] in LABELS \
                and all(end <= k["start"] or start >= k["end"] for k in kept):
            kept.append({"start": start, "end": end, "label": span["label"]})
    return sorted(kept, key=lambda s: (s["start"], s["end"]))


def label_studio_task(text: str, spans: list[dict], source: str, model_version: str) -> dict:
    result = [
        {
            "id": f"s{i}",
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {"start": to_js(text, s["start"]), "end": to_js(text, s["end"]), "text": text[s["start"] : s["end"]], "labels": [s["label"]]},
        }
        for i, s in enumerate(spans)
    ]
    return {
        "data": {"text": text, "source": source, HASH_KEY: text_sha256(text)},
        "predictions": [{"model_version": model_version, "result": result}],
    }


def doccano_line(text: str, spans: list[dict], source: str) -> dict:
    return {"text": text, "label": [[s["start"], s["end"], s["label"]] for s in spans], "source": source, HASH_KEY: text_sha256(text)}


def export(texts: list[Path], fmt: str, output: Path, extractor, model_version: str = "form4") -> tuple[int, list[str]]:
    """Write pre-annotated tasks for ``texts``: the number written, and one line per text left out."""
    from form4.errors import Form4Error
    from form4.io.inputs import decode

    tasks, problems = [], []
    for path in texts:
        try:
            text = decode(path.read_bytes(), str(path))
        except Form4Error as err:
            problems.append(err.one_line())
            continue
        spans = pre_annotations(text, extractor)
        tasks.append(label_studio_task(text, spans, str(path), model_version) if fmt == "label-studio" else doccano_line(text, spans, str(path)))
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "label-studio":
        output.write_text(json.dumps(tasks, indent=1, ensure_ascii=False), encoding="utf-8")
        output.with_name(output.stem + ".label-config.xml").write_text(label_config(), encoding="utf-8")
    else:
        output.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), encoding="utf-8")
    return len(tasks), problems


# ---------------------------------------------------------------- import: reading each tool
@dataclass
class Task:
    """One annotated text as a tool exported it: raw spans (start, end, label, printed text or None)."""

    id: str
    text: str
    spans: list[tuple[int, int, str, str | None]]
    expected_hash: str | None = None
    source: str | None = None
    origin: str = "annotation"
    problems: list[str] = field(default_factory=list)


def _latest(items: list[dict]) -> dict | None:
    """The latest of several annotators' results (by update time, then creation time, then order)."""
    keyed = [(i.get("updated_at") or i.get("created_at") or "", n, i) for n, i in enumerate(items)]
    return max(keyed, key=lambda k: (k[0], k[1]))[2] if keyed else None


def _label_studio_spans(text: str, result: list[dict], task_id: str) -> tuple[list, list[str]]:
    spans, problems = [], []
    for item in result:
        value = item.get("value") or {}
        if item.get("type") != "labels" or "start" not in value:
            problems.append(f"task {task_id}: region {item.get('id')}: type {item.get('type')!r} is not a text span (labels); left out")
            continue
        labels = value.get("labels") or []
        if len(labels) != 1:
            problems.append(f"task {task_id}: region {item.get('id')} {value.get('start')}-{value.get('end')}: {len(labels)} labels; give each span exactly one")
            continue
        spans.append((from_js(text, int(value["start"])), from_js(text, int(value["end"])), labels[0], value.get("text")))
    return spans, problems


def read_label_studio(data: list[dict], first: int = 0) -> Iterator[Task]:
    """Tasks of a Label Studio JSON export (full JSON; JSON-MIN too); ``first``: the first task's number."""
    for n, task in enumerate(data, first):
        task_id = str(task.get("id", n))
        if "data" not in task:  # JSON-MIN: the data and the latest result's values flattened onto the task
            text = task.get("text") or ""
            regions = [{"id": i, "type": "labels", "value": value} for i, value in enumerate(task.get(FROM_NAME) or [])]
            spans, problems = _label_studio_spans(text, regions, task_id)
            yield Task(task_id, text, spans, task.get(HASH_KEY), task.get("source"), problems=problems)
            continue
        text = task["data"].get("text") or ""
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        chosen, origin = (_latest(done), "annotation") if done else (_latest(task.get("predictions") or []), "prediction")
        if chosen is None:
            yield Task(task_id, "", [], problems=[f"task {task_id}: no annotation and no prediction; annotate it, or leave it out of the export"])
            continue
        spans, problems = _label_studio_spans(text, chosen.get("result") or [], task_id)
        yield Task(task_id, text, spans, task["data"].get(HASH_KEY), task["data"].get("source"), origin, problems)


def _meta_value(line: dict, key: str):
    meta = line.get("meta") if isinstance(line.get("meta"), dict) else {}
    return line.get(key, meta.get(key))


def read_doccano(lines: list[dict], first: int = 0) -> Iterator[Task]:
    """doccano sequence-labelling JSONL: ``label: [[s, e, L]]`` or ``entities: [{start_offset, end_offset, label}]``."""
    for n, line in enumerate(lines, first):
        if "entities" in line:
            spans = [(e["start_offset"], e["end_offset"], e["label"], None) for e in line["entities"]]
        else:
            spans = [(s, e, label, None) for s, e, label in line.get("label") or []]
        yield Task(str(line.get("id", n)), line.get("text") or "", spans, _meta_value(line, HASH_KEY), _meta_value(line, "source"))


def read_spacy(lines: list[dict], first: int = 0) -> Iterator[Task]:
    """Prodigy / spaCy span JSONL (ours included): ``spans: [{start, end, label}]``."""
    for n, line in enumerate(lines, first):
        task_id = str(line.get("_task_hash", line.get("id", n)))
        if line.get("answer", "accept") != "accept":
            yield Task(task_id, "", [], problems=[f"task {task_id}: answer {line['answer']!r}, not accept; left out"])
            continue
        spans = [(s["start"], s["end"], s["label"], s.get("text")) for s in line.get("spans") or []]
        yield Task(task_id, line.get("text") or "", spans, _meta_value(line, HASH_KEY), _meta_value(line, "source"))


READERS = {"label-studio": read_label_studio, "doccano": read_doccano, "spacy": read_spacy}


def detect_format(records: list[dict]) -> str:
    """Tasks with ``data`` are Label Studio's (JSON-MIN: ``label`` holding dicts), records with
    ``spans`` spaCy/Prodigy's, the rest doccano's.

    >>> detect_format([{"data": {"text": "x"}}]), detect_format([{"text": "x", "spans": []}]), detect_format([{"text": "x", "label": [[0, 1, "TICKER"]]}])
    ('label-studio', 'spacy', 'doccano')
    """
    first = records[0] if records and isinstance(records[0], dict) else {}
    if "data" in first or any(isinstance(x, dict) for x in first.get("label") or []):
        return "label-studio"
    return "spacy" if "spans" in first else "doccano"


def _load(path: Path) -> list[dict]:
    """A JSON document (a list of tasks, or one) or JSON Lines; gzipped or not; within the size
    and nesting limits of :mod:`form4.io.safe_json` (a ``ValueError`` saying which, otherwise)."""
    from form4.io.safe_json import load_json_or_lines

    return load_json_or_lines(path)


# ---------------------------------------------------------------- import: checking spans
@lru_cache(maxsize=1)
def _tokenizer():
    from spacy.vocab import Vocab

    from form4.model.tokenizer import FilingTokenizer

    return FilingTokenizer(Vocab())


def _token_bounds(text: str) -> tuple[set[int], set[int], list[tuple[int, int]]]:
    doc = _tokenizer()(text)
    tokens = [(t.idx, t.idx + len(t.text)) for t in doc]
    return {s for s, _ in tokens}, {e for _, e in tokens}, tokens


def _token_at(tokens: list[tuple[int, int]], text: str, offset: int) -> str:
    for s, e in tokens:
        if s <= offset < e:
            return text[s:e]
    return ""


def check_spans(task_id: str, text: str, raw: list[tuple], labels: Iterable[str] = LABELS) -> tuple[list[dict], list[str]]:
    """Valid spans of one task, and one problem line per bad span (exact duplicates merged)."""
    known = set(labels)
    starts, ends, tokens = _token_bounds(text)
    good, problems = [], []
    for item in sorted(set(raw), key=lambda r: (r[0], r[1], r[2])):
        start, end, label, printed = (*item, None)[:4]
        inside = 0 <= start < end <= len(text)
        where = f"task {task_id}: span {start}-{end} {text[start:end]!r} {label}" if inside else f"task {task_id}: span {start}-{end} {label}"
        if not inside:
            problems.append(f"{where}: outside the text (length {len(text)}); the text changed since export?")
            continue
        if printed is not None and printed != text[start:end]:
            problems.append(f"{where}: the tool printed {printed!r} here; the text changed since export, re-export it")
            continue
        start, end = _trimmed(text, start, end)  # a selection that caught the tab or line end around a value
        if start == end:
            problems.append(f"{where}: white space only; select the value")
        elif label not in known:
            problems.append(f"{where}: unknown label; use one of form4.form.fields.LABELS (annotations/README.md)")
        elif start not in starts or end not in ends:
            token = _token_at(tokens, text, start if start not in starts else end - 1)
            problems.append(f"{where}: off token boundaries (a token is {token!r}); select whole tokens")
        else:
            good.append({"start": start, "end": end, "label": label})
    kept, dropped = _without_overlaps(good)
    for a, b in dropped:
        problems.append(f"task {task_id}: span {a['start']}-{a['end']} {text[a['start']:a['end']]!r} {a['label']}: overlaps span {b['start']}-{b['end']} {b['label']}; keep one")
    return kept, problems


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span (inside ``text``) without the white space a selection caught at its ends
    (annotation tools select the tab or line end after a value).

    >>> _trimmed("Shares\\t45,551 \\n", 6, 15), _trimmed("a   b", 1, 4)
    ((7, 13), (4, 4))
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _without_overlaps(spans: list[dict]) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """Spans overlapping another are all left out (which one is right is the annotator's call)."""
    bad: dict[int, dict] = {}
    for i, a in enumerate(spans):
        for b in spans[i + 1 :]:
            if b["start"] >= a["end"]:
                break
            bad.setdefault(id(a), b)
            bad.setdefault(id(b), a)
    return [s for s in spans if id(s) not in bad], [(s, bad[id(s)]) for s in spans if id(s) in bad]


# ---------------------------------------------------------------- import: the whole file
@dataclass
class Imported:
    examples: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    tasks: int = 0
    spans: int = 0


#: Spans one task may hold (a Form 4 has a few hundred values; overlaps are checked pairwise).
MAX_SPANS = 5000
#: What a task of the wrong shape raises while it is read (a string where a number goes, a list
#: where an object goes, an offset of 1e400): that task is one problem, the others are read.
_BAD_TASK = (TypeError, KeyError, ValueError, AttributeError, IndexError, OverflowError)


def import_file(path: Path, fmt: str | None = None) -> Imported:
    """Read one tool's export into our examples; bad spans and tasks reported, the rest kept."""
    records = _load(path)
    fmt = fmt or detect_format(records)
    out = Imported()
    for n, record in enumerate(records):
        try:
            tasks = list(READERS[fmt]([record], first=n))
        except _BAD_TASK as err:
            out.tasks += 1
            out.problems.append(f"task {n}: not a {fmt} task ({type(err).__name__}: {err}); left out")
            continue
        for task in tasks:
            try:
                _import_task(task, path, fmt, out)
            except _BAD_TASK as err:
                out.problems.append(f"task {task.id}: its spans are not offsets and labels ({type(err).__name__}: {err}); left out")
    return out


def _import_task(task: Task, path: Path, fmt: str, out: Imported) -> None:
    out.tasks += 1
    out.problems.extend(task.problems)
    if not task.text:
        return
    if not isinstance(task.text, str) or len(task.spans) > MAX_SPANS:
        out.problems.append(f"task {task.id}: not a text with at most {MAX_SPANS} spans; left out")
        return
    digest = text_sha256(task.text)
    if task.expected_hash and task.expected_hash != digest:
        out.problems.append(f"task {task.id}: all {len(task.spans)} spans: the text changed since export (its hash differs); re-export and annotate it again")
        return
    spans, problems = check_spans(task.id, task.text, task.spans)
    out.problems.extend(problems)
    if not spans:
        out.problems.append(f"task {task.id}: no valid span left; not imported")
        return
    meta = {"source": task.source or f"{path.name}#{task.id}", "doc_id": digest[:12], "converter": "imported",
            "split": "train", "owners": [], "tool": fmt, "task": task.id, "from": task.origin, "text_sha256": digest}
    out.examples.append({"text": task.text, "spans": spans, "meta": meta})
    out.spans += len(spans)


def write_examples(examples: list[dict], out_dir: Path, name: str) -> Path:
    """``out_dir/<name>.jsonl.gz`` in our format (the one ``form4 train --annotations`` reads)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.jsonl.gz"
    with gzip.open(target, "wt", encoding="utf-8") as fh:
        for example in examples:
            fh.write(json.dumps(example, ensure_ascii=False) + "\n")
    return target


def imported_name(path: Path) -> str:
    """
    >>> imported_name(Path("exports/project-3-at-2026.json")), imported_name(Path("a.jsonl.gz"))
    ('project-3-at-2026', 'a')
    """
    name = path.name
    for suffix in (".gz", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return name


def read_imported(folder: Path) -> list[dict]:
    """Every example under ``folder`` (``*.jsonl.gz``), in file-name order."""
    from .corpus import iter_jsonl

    return [e for path in sorted(folder.glob("*.jsonl.gz")) for e in iter_jsonl(path)]
