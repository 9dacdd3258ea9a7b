"""The public Python API: form4.extract_text / extract_file / extract_batch."""

import subprocess
import sys
from pathlib import Path

import form4

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_extract_text_and_extract_file_give_the_same_record():
    path = SAMPLES / "000_46eb1dd4f8015172.txt"
    by_text = form4.extract_text(path.read_text(encoding="utf-8"), str(path), form4.RULES_ONLY)
    by_file = form4.extract_file(path, form4.RULES_ONLY)
    assert by_text == by_file
    assert by_file.issuer.trading_symbol == "QLYS"


def test_a_batch_goes_on_past_a_file_it_cannot_read(tmp_path):
    results = dict(form4.extract_batch([SAMPLES / "001_d8ce4ece6e55602e.txt", tmp_path / "missing.txt"], form4.RULES_ONLY))
    assert isinstance(results[str(SAMPLES / "001_d8ce4ece6e55602e.txt")], form4.Record)
    missing = results[str(tmp_path / "missing.txt")]
    assert isinstance(missing, form4.Form4Error) and "error E005" in missing.one_line()


def test_the_readme_example_runs_from_another_directory(tmp_path):
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```python\n", 1)[1].split("```", 1)[0].replace("samples/", f"{SAMPLES}/")
    done = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "QLYS" in done.stdout
