"""The one table of error codes (form4.errors) and the README's table of them."""

import re

from conftest import ROOT

from form4 import errors
from form4.errors import Form4Error, all_errors


def _readme_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Error codes") :]
    section = section[: section.index("\n#", 1)]
    return [line for line in section.splitlines() if re.match(r"\| E\d{3} ", line)]


def test_the_readme_lists_every_error_code_with_the_meaning_and_the_fix_errors_py_gives():
    assert _readme_rows() == [f"| {e.code} | {e.meaning} | {e.hint} |" for e in all_errors()]


def test_no_two_errors_share_a_code_and_every_error_says_what_and_how_to_fix():
    codes = [e.code for e in all_errors()]
    assert len(codes) == len(set(codes)) and all(re.fullmatch(r"E0\d\d", c) for c in codes)
    assert all(e.meaning and e.hint for e in all_errors())


def test_an_error_is_one_line_with_its_source_and_code():
    err = errors.ReportFromStdinError("--report needs the text again,\n which stdin cannot give; pass a file", "-")
    assert err.one_line() == "-: error E034: --report needs the text again, which stdin cannot give; pass a file"
    assert isinstance(err, Form4Error)


def test_no_module_writes_an_error_code_of_its_own():
    inline = re.compile(r"error E0\d\d:|code = \"E0\d\d\"")
    offenders = [str(p.relative_to(ROOT)) for folder in ("extractor", "training") for p in (ROOT / folder).rglob("*.py")
                 if p.name != "errors.py" and inline.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
