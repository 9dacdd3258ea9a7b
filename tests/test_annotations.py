"""Annotation tools round trip: export pre-annotated tasks, import Label Studio / doccano / Prodigy exports."""

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from form4.form.fields import LABELS
from form4.schema import Record
from form4.score.metrics import load_gold
from form4.training.align import align_record
from form4.training.annotations import (
    HASH_KEY,
    check_spans,
    export,
    import_file,
    label_config,
    text_sha256,
    to_js,
)

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SEED = ROOT / "samples" / "000_46eb1dd4f8015172.txt"


@pytest.fixture(scope="module")
def seed():
    """The seed text and its gold spans (the hand-typed record aligned onto the text)."""
    text = SEED.read_text(encoding="utf-8")
    gold = load_gold(ROOT / "annotations" / "gold" / f"{SEED.stem}.json")
    record = Record.model_validate({k: v for k, v in gold.record.items() if k not in ("confidence", "warnings")})
    return text, align_record(record, text).spans


@pytest.fixture(scope="module")
def extractor():
    from form4.run.pipeline import model_extractor

    return model_extractor(str(ROOT / "models" / "form4-ner"))


def _ls_region(start, end, label, text, rid="r"):
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def _write(path: Path, tasks) -> Path:
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def test_a_label_studio_export_built_with_the_sdk_helpers_imports_without_loss(seed, tmp_path):
    sdk = pytest.importorskip("label_studio_sdk.label_interface", reason="label-studio-sdk (test extra) builds the export")
    from label_studio_sdk.label_interface.objects import AnnotationValue, PredictionValue, TaskValue

    text, spans = seed
    control = sdk.LabelInterface(label_config()).get_control("label")
    regions = [control.label(s["label"], start=to_js(text, s["start"]), end=to_js(text, s["end"])) for s in spans]
    task = TaskValue(
        data={"text": text, HASH_KEY: text_sha256(text)},
        annotations=[AnnotationValue(completed_by=1, result=regions)],
        predictions=[PredictionValue(model_version="m", result=regions[:3])],
    )
    imported = import_file(_write(tmp_path / "export.json", [task.model_dump()]))
    assert imported.problems == []
    assert len(imported.examples) == 1 and imported.examples[0]["text"] == text
    assert imported.examples[0]["spans"] == spans and len(spans) >= 15
    assert imported.examples[0]["meta"]["from"] == "annotation"


def test_a_json_min_export_made_by_the_sdk_converter_imports_the_same_spans(seed, tmp_path):
    pytest.importorskip("label_studio_sdk.converter", reason="label-studio-sdk (test extra) converts the export")
    from label_studio_sdk.converter import Converter

    text, spans = seed
    result = [_ls_region(s["start"], s["end"], s["label"], text, str(i)) for i, s in enumerate(spans)]
    full = _write(tmp_path / "full.json", [{"id": 4, "data": {"text": text, HASH_KEY: text_sha256(text)}, "annotations": [
        {"id": 1, "completed_by": 1, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "lead_time": 1.0, "result": result}]}])
    Converter(config=label_config(), project_dir=str(tmp_path), download_resources=False).convert_to_json_min(
        str(full), str(tmp_path / "min"), is_dir=False)
    imported = import_file(tmp_path / "min" / "result.json")
    assert imported.problems == [] and imported.examples[0]["spans"] == spans


def test_exported_tasks_are_valid_label_studio_predictions_for_the_labelling_config(tmp_path, extractor):
    sdk = pytest.importorskip("label_studio_sdk.label_interface", reason="label-studio-sdk (test extra) validates the tasks")
    out = tmp_path / "tasks.json"
    assert export([SEED], "label-studio", out, extractor) == (1, [])
    task = json.loads(out.read_text())[0]
    assert task["data"]["text"] == SEED.read_text(encoding="utf-8")
    interface = sdk.LabelInterface((tmp_path / "tasks.label-config.xml").read_text())
    prediction = task["predictions"][0]
    assert len(prediction["result"]) >= 15
    assert interface.validate_prediction(prediction, return_errors=True) == []
    by_text = {r["value"]["text"]: r["value"]["labels"][0] for r in prediction["result"]}
    assert by_text["QLYS"] == "TICKER" and by_text["45,551"] == "SHARES"


def test_a_text_that_cannot_be_read_is_left_out_of_the_export_with_one_line(tmp_path, extractor):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    count, problems = export([scan, SEED], "doccano", tmp_path / "tasks.jsonl", extractor)
    assert count == 1 and len(problems) == 1 and problems[0].startswith(f"{scan}: error") and "pdftotext" in problems[0]


def test_the_latest_non_cancelled_annotation_wins_and_predictions_only_stand_in(seed, tmp_path):
    text, _ = seed
    at = text.index("45,551")
    annotated = lambda label, when, cancelled=False: {  # noqa: E731
        "created_at": when, "updated_at": when, "was_cancelled": cancelled, "result": [_ls_region(at, at + 6, label, text)]}
    tasks = [
        {"id": 1, "data": {"text": text}, "predictions": [{"result": [_ls_region(at, at + 6, "PRICE", text)]}],
         "annotations": [annotated("OWNED_FOLLOWING", "2026-01-01T10:00:00Z"), annotated("SHARES", "2026-01-02T10:00:00Z"),
                         annotated("PRICE", "2026-01-03T10:00:00Z", cancelled=True)]},
        {"id": 2, "data": {"text": text}, "predictions": [{"result": [_ls_region(at, at + 6, "PRICE", text)]}]},
    ]
    imported = import_file(_write(tmp_path / "export.json", tasks))
    assert [e["spans"][0]["label"] for e in imported.examples] == ["SHARES", "PRICE"]
    assert [e["meta"]["from"] for e in imported.examples] == ["annotation", "prediction"]


def test_every_bad_span_gets_one_line_naming_task_and_span_and_the_valid_ones_are_kept(seed, tmp_path):
    text, spans = seed
    shares = text.index("45,551")
    regions = [_ls_region(s["start"], s["end"], s["label"], text, f"g{i}") for i, s in enumerate(spans)]
    regions += [
        _ls_region(shares, shares + 3, "SHARES", text, "off-token"),  # '45,' of '45,551'
        _ls_region(text.index("QLYS"), text.index("QLYS") + 4, "TICKR", text, "unknown"),
    ]
    owner = next(s for s in spans if s["label"] == "OWNER_NAME")
    regions.append(_ls_region(owner["start"], owner["start"] + 6, "ISSUER_NAME", text, "overlap"))  # 'Thakar'
    changed = text.replace("45,551", "45,552")
    tasks = [
        {"id": 7, "data": {"text": text, HASH_KEY: text_sha256(text)}, "annotations": [{"result": regions}]},
        {"id": 8, "data": {"text": changed, HASH_KEY: text_sha256(text)}, "annotations": [{"result": regions[:2]}]},
    ]
    imported = import_file(_write(tmp_path / "export.json", tasks))
    lines = imported.problems
    assert len(lines) == 5, lines
    assert any(line.startswith(f"task 7: span {shares}-{shares + 3} '45,' SHARES: off token boundaries") for line in lines)
    assert any(line.startswith("task 7: span") and "'QLYS' TICKR: unknown label" in line for line in lines)
    assert sum("overlaps span" in line and line.startswith("task 7:") for line in lines) == 2  # both sides named
    assert any(line.startswith("task 8: all 2 spans: the text changed since export") for line in lines)
    assert len(imported.examples) == 1
    kept = imported.examples[0]["spans"]
    assert kept == [s for s in spans if s is not owner]  # the owner's name overlaps the bad span; the rest stays


def test_doccano_export_and_import_round_trip_with_both_doccano_shapes(tmp_path, extractor):
    out = tmp_path / "tasks.jsonl"
    export([SEED], "doccano", out, extractor)
    line = json.loads(out.read_text().splitlines()[0])
    exported = [{"start": s, "end": e, "label": label} for s, e, label in line["label"]]
    assert import_file(out).examples[0]["spans"] == exported and import_file(out).problems == []
    # doccano's relation-project shape: entities with offsets, the hash kept in meta
    entities = {"id": 3, "text": line["text"], "meta": {HASH_KEY: line[HASH_KEY]},
                "entities": [{"id": i, "label": s["label"], "start_offset": s["start"], "end_offset": s["end"]} for i, s in enumerate(exported)]}
    other = tmp_path / "entities.jsonl"
    other.write_text(json.dumps(entities) + "\n")
    assert import_file(other, "doccano").examples[0]["spans"] == exported


def test_prodigy_span_jsonl_imports_accepted_answers_only(seed, tmp_path):
    text, spans = seed
    lines = [{"text": text, "spans": spans, "answer": "accept", "_task_hash": 11},
             {"text": text, "spans": spans, "answer": "reject", "_task_hash": 12}]
    path = tmp_path / "prodigy.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    imported = import_file(path)
    assert [e["meta"]["task"] for e in imported.examples] == ["11"] and imported.examples[0]["spans"] == spans
    assert imported.problems == ["task 12: answer 'reject', not accept; left out"]


def test_label_studio_offsets_are_javascript_string_units(tmp_path):
    text = "Owner \U0001F600 note\nCommon Stock 45,551"
    start = text.index("45,551")
    region = {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": to_js(text, start), "end": to_js(text, start + 6), "text": "45,551", "labels": ["SHARES"]}}
    assert region["value"]["start"] == start + 1  # the emoji is two UTF-16 units
    imported = import_file(_write(tmp_path / "e.json", [{"id": 1, "data": {"text": text}, "annotations": [{"result": [region]}]}]))
    assert imported.examples[0]["spans"] == [{"start": start, "end": start + 6, "label": "SHARES"}]


def test_the_import_command_writes_what_is_valid_and_exits_non_zero_on_bad_spans(seed, tmp_path):
    from typer.testing import CliRunner

    from form4.cli import app

    text, spans = seed
    regions = [_ls_region(s["start"], s["end"], s["label"], text, str(i)) for i, s in enumerate(spans)]
    regions.append(_ls_region(0, 4, "NOT_A_LABEL", text))
    export_file = _write(tmp_path / "project-1.json", [{"id": 5, "data": {"text": text}, "annotations": [{"result": regions}]}])
    result = CliRunner().invoke(app, ["annotations", "import", str(export_file), "--output", str(tmp_path / "imported")])
    assert result.exit_code == 1
    assert f"{export_file}: error E032: task 5: span 0-4" in result.output and "unknown label" in result.output
    with gzip.open(tmp_path / "imported" / "project-1.jsonl.gz", "rt") as fh:
        example = json.loads(fh.readline())
    assert example["spans"] == spans


_WORDS = st.lists(st.tuples(st.sampled_from(["Common", "Stock", "45,551", "10/26/2023", "D", "$", "(1)"]),
                            st.sampled_from([" ", "\t", "\n", "  "])), min_size=1, max_size=12)


@given(words=_WORDS, labels=st.lists(st.sampled_from(LABELS), min_size=12, max_size=12), keep=st.lists(st.booleans(), min_size=12, max_size=12))
@settings(max_examples=60, deadline=None)
def test_whole_token_spans_with_known_labels_are_all_kept(words, labels, keep):
    text, spans, at = "", [], 0
    for (word, gap), label, chosen in zip(words, labels, keep):
        if chosen:
            spans.append({"start": at, "end": at + len(word), "label": label})
        text += word + gap
        at = len(text)
    kept, problems = check_spans("p", text, [(s["start"], s["end"], s["label"]) for s in spans])
    assert problems == [] and kept == spans


def test_the_annotation_guide_names_every_label():
    guide = (ROOT / "annotations" / "README.md").read_text(encoding="utf-8")
    assert [label for label in LABELS if f"`{label}`" not in guide] == []


def test_a_file_that_is_no_annotation_export_gets_one_line_and_exit_2(tmp_path):
    from typer.testing import CliRunner

    from form4.cli import app

    broken = tmp_path / "notes.json"
    broken.write_text("this is not JSON")
    result = CliRunner().invoke(app, ["annotations", "import", str(broken)])
    assert result.exit_code == 2 and f"{broken}: error E031: not a known annotation export" in result.output


@pytest.mark.parametrize("fmt,name", [("label-studio", "tasks.json"), ("doccano", "tasks.jsonl")])
def test_an_unedited_export_of_every_sample_imports_back_whole(tmp_path, extractor, fmt, name):
    samples = sorted((ROOT / "samples").glob("*.txt"))
    out = tmp_path / name
    assert export(samples, fmt, out, extractor) == (len(samples), [])
    imported = import_file(out)
    assert imported.problems == [] and len(imported.examples) == len(samples)
    exported = _exported_spans(out, fmt)
    assert [example["spans"] for example in imported.examples] == exported
    assert all(len(spans) >= 15 for spans in exported)


def _exported_spans(path: Path, fmt: str) -> list[list[dict]]:
    if fmt == "doccano":
        lines = [json.loads(line) for line in path.read_text().splitlines()]
        return [[{"start": s, "end": e, "label": label} for s, e, label in line["label"]] for line in lines]
    return [[{"start": r["value"]["start"], "end": r["value"]["end"], "label": r["value"]["labels"][0]}
             for r in task["predictions"][0]["result"]] for task in json.loads(path.read_text())]


def test_sample_004s_split_share_count_is_exported_as_the_record_reads_it_not_the_models_long_span(tmp_path, extractor):
    sample = ROOT / "samples" / "004_6f1bfb28d9774b22.txt"
    text = sample.read_text(encoding="utf-8")
    export([sample], "doccano", tmp_path / "t.jsonl", extractor)
    spans = json.loads((tmp_path / "t.jsonl").read_text())["label"]
    shares = [text[s:e] for s, e, label in spans if label == "SHARES"]
    assert "23,13\t39" in shares and all(piece == piece.strip() for piece in shares)
