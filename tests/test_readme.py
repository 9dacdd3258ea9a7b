"""The README is a user guide that cannot drift from the code: the record's keys and the table
columns it lists are the schema's, every command and option it shows exists, its quick start is
the command CI runs, and it stays short."""

import re
import textwrap
import typing

import typer
from typer.testing import CliRunner

from conftest import ROOT
from form4.cli import app
from form4.io.tabular import COLUMNS
from form4.schema import Record

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _nested(annotation) -> type | None:
    """The model a field holds (itself, or in a tuple), if any."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and hasattr(candidate, "model_fields"):
            return candidate
    return None


def _line(name: str, fields: list[str]) -> str:
    return textwrap.fill(f"{name}: " + ", ".join(fields), width=100, subsequent_indent="    ")


def record_keys() -> str:
    """The record's keys as the README lists them: the top level, then each nested object's keys
    (``[]``: a list of them)."""
    top, nested = [], []
    for name, info in Record.model_fields.items():
        model = _nested(info.annotation)
        many = model is not None and typing.get_origin(info.annotation) is tuple
        shown = f"{name}[]" if many else name
        top.append(shown)
        if model is not None:
            nested.append(_line(shown, list(model.model_fields)))
    return "\n".join([_line("record", top), *nested])


def table_columns() -> str:
    """The CSV/Parquet columns as the README lists them, in order, each with its kind unless text."""
    return textwrap.fill(", ".join(name if kind == "string" else f"{name} ({kind})" for name, kind in COLUMNS), width=100)


def test_the_readme_lists_every_key_of_the_record_as_the_schema_has_it():
    assert f"```\n{record_keys()}\n```" in README, f"paste into the README:\n{record_keys()}"


def test_the_readme_lists_the_table_columns_in_their_order():
    assert f"```\n{table_columns()}\n```" in README, f"paste into the README:\n{table_columns()}"


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def _shown_commands() -> list[list[str]]:
    """Every ``form4 ...`` command line in the README (code blocks and inline code), as words."""
    blocks = re.findall(r"^```\w*\n(.*?)^```", README, flags=re.S | re.M)
    lines = [line.split(" #", 1)[0] for block in blocks for line in block.splitlines()]
    lines += [" ".join(code.split()) for code in re.findall(r"(?<!`)`([^`]+)`(?!`)", README)]
    return [match.group(1).split() for line in lines if (match := re.search(r"(?:^|[\s/])form4 (.*)", line))]


def test_every_command_and_option_the_readme_shows_exists():
    tree = dict(_commands(typer.main.get_command(app)))
    shown = _shown_commands()
    assert len(shown) >= 15
    runner = CliRunner()
    for words in shown:
        path: tuple[str, ...] = ()
        for word in words:
            if (*path, word) not in tree:
                break
            path = (*path, word)
        assert path, words  # a command, not only global options
        helped = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert helped.exit_code == 0, (words, helped.output)
        known = {opt for command in (tree[()], tree[path]) for param in command.params for opt in (*param.opts, *param.secondary_opts)}
        options = {word.split("=")[0] for word in words if re.fullmatch(r"--?[a-zA-Z][\w-]*(=.*)?", word)}
        assert options <= known | {"--help"}, (words, options - known)


def test_the_quick_start_has_exactly_two_commands_and_the_second_is_the_one_ci_runs():
    section = README[README.index("## Quick start"):]
    section = section[: section.index("\n## ", 1)]
    commands = re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    assert "form4 extract samples/" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_is_a_guide_of_at_most_300_lines_and_no_page_of_the_docs_tells_history_as_sessions():
    assert len(README.splitlines()) <= 300
    for text in (README, *(page.read_text(encoding="utf-8") for page in (ROOT / "docs").glob("*.md"))):
        assert not re.search(r"this session|previous session|\bissue \d|engineers", text, flags=re.I)


def test_the_accuracy_table_has_a_row_per_page_style_and_converter_family_and_links_the_details():
    section = README[README.index("## Accuracy"):]
    section = section[: section.index("\n## ", 1)]
    assert "| page style | converter family | rules F1 | model F1 |" in section
    rows = re.findall(r"^\| (\w+) \| ([\w-]+) \| (0\.\d{3}) \| (0\.\d{3}) \|$", section, flags=re.M)
    assert len(rows) >= 6
    assert "(docs/accuracy.md)" in section and (ROOT / "docs" / "accuracy.md").is_file()


def test_every_document_the_readme_links_exists():
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), target


def test_every_option_the_readme_names_anywhere_is_an_option_of_some_command():
    every = {opt for _, command in _commands(typer.main.get_command(app)) for param in command.params
             for opt in (*param.opts, *param.secondary_opts)}
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", README))
    assert len(named) >= 20 and named <= every | {"--help"}, named - every
