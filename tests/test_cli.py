"""The form4 command, bad inputs included, through the real console script."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "000_46eb1dd4f8015172.txt"


def form4(*args, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "extractor", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture()
def bad_dir(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    (tmp_path / "letter.txt").write_text("Dear shareholder, our annual meeting is on May 5.")
    text = SEED.read_text()
    (tmp_path / "truncated.txt").write_text(text[: text.index("Table II")])
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "seed.txt").write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    "name,code",
    [("empty.txt", "E001"), ("binary.bin", "E002"), ("scan.pdf", "E002"), ("letter.txt", "E003"), ("truncated.txt", "E004"), ("missing.txt", "E005")],
)
def test_bad_input_one_line_nonzero(bad_dir, name, code):
    out = form4("extract", "--no-model", bad_dir / name)
    assert out.returncode == 1
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and code in lines[0] and name in lines[0]
    assert "Traceback" not in out.stderr.decode()
    assert out.stdout == b""


def test_the_binary_input_message_offers_pdfs_and_page_images_not_text_alone(bad_dir):
    line = form4("extract", "--no-model", bad_dir / "binary.bin").stderr.decode().strip()
    assert "error E002:" in line and "its PDF or its page images" in line and "pass a text file" not in line


def test_batch_continues_past_bad_files(bad_dir, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("out")
    out = form4("extract", "--no-model", bad_dir, "--output", out_dir)
    assert out.returncode == 1
    err = out.stderr.decode()
    assert "1 done, 5 failed (E001: 1, E002: 2, E003: 1, E004: 1), 0 skipped" in err and "Traceback" not in err
    written = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*.json"))
    assert written == ["good/seed.json"]  # the input tree is mirrored
    record = json.loads((out_dir / "good" / "seed.json").read_text())
    assert record["issuer"]["trading_symbol"] == "QLYS"


def test_single_file_json_matches_contract():
    out = form4("extract", SEED)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    for key in ("document_type", "period_of_report", "issuer", "reporting_owners", "non_derivative_transactions",
                "non_derivative_holdings", "derivative_transactions", "derivative_holdings", "footnotes",
                "remarks", "signatures", "confidence", "warnings", "source"):
        assert key in record
    assert record["period_of_report"] == "2023-10-26"
    assert record["non_derivative_transactions"][0]["shares"] == 45551
    assert record["remarks"] is None


def test_stdin_and_jsonl():
    out = form4("extract", "-", "--format", "jsonl", stdin=SEED.read_bytes())
    assert out.returncode == 0
    lines = out.stdout.decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["source"] == "-"


def test_directory_to_stdout_is_a_json_array():
    out = form4("extract", SAMPLES)
    assert out.returncode == 0
    records = json.loads(out.stdout)
    assert len(records) == 5


def test_csv_transactions(tmp_path):
    out = form4("extract", SAMPLES, "--format", "csv", "--output", tmp_path / "t.csv")
    assert out.returncode == 0
    rows = (tmp_path / "t.csv").read_text().splitlines()
    assert rows[0].startswith("source,") and len(rows) == 1 + 7


def test_schema_command():
    out = form4("schema")
    schema = json.loads(out.stdout)
    assert "reporting_owners" in schema["properties"] and "confidence" in schema["properties"]


def test_score_command_on_seeds():
    out = form4("score", "--gold", ROOT / "annotations" / "gold", "--input", SAMPLES, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["documents"] == 5 and report["overall"]["f1"] == 1.0


def test_xml_output_round_trips_through_the_xml_reader(tmp_path):
    from form4.run.pipeline import extract_file
    from form4.schema import iter_leaves
    from form4.io.xml_reader import read_ownership_xml
    from form4.io.xml_writer import schema_errors, write

    out = form4("extract", "--no-model", SAMPLES, "--format", "xml", "--output", tmp_path)
    assert out.returncode == 0, out.stderr
    for sample in sorted(SAMPLES.glob("*.txt")):
        xml = (tmp_path / f"{sample.stem}.xml").read_text()
        assert schema_errors(xml) == []
        written = write(extract_file(sample)).record.to_json_dict()  # the record with the XSD's placeholders
        again = read_ownership_xml(xml).to_json_dict()
        assert dict(iter_leaves(again)) == dict(iter_leaves(written))


def test_bad_input_with_the_shipped_model(bad_dir):
    from form4.model.ner import model_path

    if model_path() is None:
        pytest.skip("no trained model in models/form4-ner")
    out = form4("extract", bad_dir / "letter.txt")
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == 1 and len(lines) == 1 and "E003" in lines[0]


def test_parallel_batch_matches_sequential(tmp_path):
    for i in range(3):
        for sample in SAMPLES.glob("*.txt"):
            (tmp_path / "in").mkdir(exist_ok=True)
            (tmp_path / "in" / f"{i}_{sample.name}").write_text(sample.read_text())
    (tmp_path / "in" / "zz_empty.txt").write_text("")
    par = form4("extract", "--no-model", "--workers", "2", tmp_path / "in", "--format", "jsonl")
    seq = form4("extract", "--no-model", "--workers", "1", tmp_path / "in", "--format", "jsonl")
    assert par.returncode == seq.returncode == 1
    assert par.stdout == seq.stdout and len(par.stdout.splitlines()) == 15
    assert b"zz_empty.txt" in par.stderr


def test_output_file_with_several_inputs_is_one_json_array_not_a_folder(tmp_path):
    out = form4("extract", "--no-model", SAMPLES, "-o", tmp_path / "all.json")
    assert out.returncode == 0, out.stderr
    records = json.loads((tmp_path / "all.json").read_text())
    assert (tmp_path / "all.json").is_file() and len(records) == 5


def test_output_file_in_jsonl_holds_one_line_per_record(tmp_path):
    out = form4("extract", "--no-model", SAMPLES, "-f", "jsonl", "-o", tmp_path / "all.jsonl")
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["source"] for line in (tmp_path / "all.jsonl").read_text().splitlines()] == [str(p) for p in sorted(SAMPLES.glob("*.txt"))]


def test_output_folder_with_a_slash_keeps_one_file_per_input(tmp_path):
    out = form4("extract", "--no-model", SAMPLES, "-o", f"{tmp_path / 'new'}/")
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(p.stem + ".json" for p in SAMPLES.glob("*.txt"))


def test_two_inputs_of_the_same_name_keep_their_folders_in_the_output(tmp_path):
    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(SEED.read_text())
    out = form4("extract", "--no-model", tmp_path / "d1", tmp_path / "d2", "-o", f"{tmp_path / 'out'}/")
    assert out.returncode == 0, out.stderr
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.json")) == ["d1/a.txt.json", "d2/a.txt.json"]


def test_several_xml_records_into_one_file_is_one_error_line(tmp_path):
    out = form4("extract", "--no-model", SAMPLES, "-f", "xml", "-o", tmp_path / "all.xml")
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and "E023" in lines[0] and "--output" in lines[0]


def test_an_output_folder_where_a_file_is_is_one_error_line(tmp_path):
    (tmp_path / "taken").write_text("mine")
    out = form4("extract", "--no-model", SAMPLES, "-o", f"{tmp_path / 'taken'}/")
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and "E023" in lines[0] and (tmp_path / "taken").read_text() == "mine"


def test_resume_needs_an_output_folder(tmp_path):
    out = form4("extract", "--no-model", SAMPLES, "--resume", "-o", tmp_path / "all.json")
    assert out.returncode == 2 and "E025" in out.stderr.decode()


def test_summary_file_counts_done_failed_by_code_and_skipped(bad_dir, tmp_path):
    out = form4("extract", "--no-model", bad_dir, "-o", f"{tmp_path / 'out'}/", "--summary", tmp_path / "summary.json")
    assert out.returncode == 1
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["done"], summary["failed"], summary["skipped"]) == (1, 5, 0)
    assert summary["failed_by_code"] == {"E001": 1, "E002": 2, "E003": 1, "E004": 1}


def test_version_prints_the_package_version():
    from importlib.metadata import version

    out = form4("--version")
    assert out.returncode == 0 and out.stdout.decode().strip() == f"form4 {version('form4')}"


def test_quiet_keeps_only_errors_and_verbose_adds_the_summary(bad_dir):
    quiet = form4("-q", "extract", "--no-model", bad_dir).stderr.decode()
    verbose = form4("-v", "extract", "--no-model", SAMPLES).stderr.decode()
    assert "error E001" in quiet and "done" not in quiet
    assert "5 done, 0 failed, 0 skipped" in verbose


def test_score_extracts_with_the_given_settings():
    from form4.score.directory import score_directory
    from form4.run.pipeline import RULES_ONLY

    seen = []

    def counting(text, source=None):
        seen.append(source)
        return RULES_ONLY(text, source)

    report, _ = score_directory(ROOT / "annotations" / "gold", input_dir=SAMPLES, settings=counting)
    assert len(seen) == 5 and report.to_dict()["documents"] == 5


def test_score_takes_no_model_to_score_the_rules_alone():
    out = form4("score", "--gold", ROOT / "annotations" / "gold", "--input", SAMPLES, "--json", "--no-model")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["documents"] == 5


def test_score_extracts_with_the_model_folder_given_by_model(tmp_path):
    gold = ROOT / "annotations" / "gold"
    out = form4("score", "--gold", gold, "--input", SAMPLES, "--json", "--model", ROOT / "models" / "form4-ner", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["overall"]["f1"] == 1.0
    wrong = form4("score", "--gold", gold, "--input", SAMPLES, "--model", tmp_path, cwd=tmp_path)
    assert wrong.returncode == 2 and wrong.stderr.decode().count("\n") == 1 and "error E008" in wrong.stderr.decode()


def test_the_shipped_corpus_is_found_from_any_working_directory_and_a_wrong_base_names_the_shipped_model(tmp_path):
    out = form4("train", "--base", "models/form4-ner", cwd=tmp_path)
    err = out.stderr.decode()
    assert out.returncode == 2 and err.count("\n") == 1, err
    assert "error E035: no trained pipeline at models/form4-ner" in err and str(ROOT / "models" / "form4-ner") in err


def test_training_output_goes_to_stderr_without_colours_when_not_a_terminal():
    code = (
        "from form4.cli.training import library_output_on_stderr\n"
        "with library_output_on_stderr():\n"
        "    from spacy.cli.train import msg\n"
        "    msg.good('trained'); msg.row(['E', '#', 'LOSS']); print('plain print')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout == b"" and b"trained" in out.stderr and b"plain print" in out.stderr
    assert b"\x1b[" not in out.stderr


def _commands(command, path=()):
    """Every command of the click tree under ``command``, with the words that invoke it."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_help_text_prints_as_written_brackets_included():
    import typer
    from typer.testing import CliRunner

    from form4.cli import app

    runner, checked = CliRunner(), 0
    for path, command in _commands(typer.main.get_command(app)):
        shown = "".join(runner.invoke(app, [*path, "--help"], terminal_width=100).output.split())
        for param in command.params:
            if getattr(param, "help", None):  # compared without white space: the help is wrapped to the terminal
                assert "".join(param.help.split()) in shown, (path, param.name)
                checked += 1
    assert checked > 60
    assert "needs the extra form4[dask]" in " ".join(runner.invoke(app, ["extract", "--help"]).output.split())
