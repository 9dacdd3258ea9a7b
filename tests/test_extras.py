"""The optional extras: the modules each one installs, and the one line a command prints when
its extra is missing (a module blocked in ``sys.modules`` stands in for an uninstalled one)."""

import importlib.metadata as metadata
import re
import sys

import pytest
from typer.testing import CliRunner

from form4.cli import app
from form4.cli.extras import EXTRAS, install_command, missing_modules

from conftest import ROOT, SAMPLES  # noqa: E402


def _without(monkeypatch, *modules):
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


def _invoke(*args):
    return CliRunner().invoke(app, list(map(str, args)))


def _one_line(result, code):
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and f"error {code}:" in lines[0], result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_every_extra_lists_a_module_of_each_of_its_distributions_and_no_other():
    by_dist = _modules_by_distribution()
    assert set(EXTRAS) == set(metadata.metadata("form4").get_all("Provides-Extra")) - {"test", "parquet"}
    for extra, modules in EXTRAS.items():
        dists = _distributions_of(extra, by_dist)
        for dist in dists:
            assert set(by_dist[dist]) & set(modules), f"{extra}: no module of {dist} listed"
        for module in modules:
            assert any(module in by_dist[dist] for dist in dists), f"{extra}: {module} is no module of {sorted(dists)}"


def _modules_by_distribution() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for module, dists in metadata.packages_distributions().items():
        for dist in dists:
            out.setdefault(dist.lower(), []).append(module)
    return out


def _distributions_of(extra: str, installed: dict) -> set[str]:
    """The distributions an extra requires, with those its requirements' own extras bring
    (``dask[distributed]``: dask and distributed)."""
    names = set()
    for requirement in metadata.requires("form4") or []:
        if f'extra == "{extra}"' in requirement:
            name, extras = re.match(r"([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?", requirement).groups()
            names.add(name.lower())
            names |= {e.strip().lower() for e in (extras or "").split(",") if e.strip().lower() in installed}
    return names


def test_an_installed_extra_has_nothing_missing_and_a_blocked_module_is_missing(monkeypatch):
    assert missing_modules("dask") == []
    _without(monkeypatch, "fsspec")
    assert missing_modules("dask") == ["fsspec"]


def test_the_install_command_names_the_extra_in_the_clone_the_package_runs_from():
    assert install_command("dask") == f"pip install -e '{ROOT}[dask]'"


def test_engine_dask_without_the_dask_extra_is_one_line_e025_naming_the_install(monkeypatch, tmp_path):
    _without(monkeypatch, "fsspec")
    line = _one_line(_invoke("extract", SAMPLES, "--engine", "dask", "--no-model", "-o", f"{tmp_path}/"), "E025")
    assert "fsspec not installed" in line and "[dask]'" in line
    assert not any(tmp_path.iterdir())


def test_plot_without_matplotlib_is_one_line_before_anything_is_scored(monkeypatch, tmp_path):
    _without(monkeypatch, "matplotlib")
    line = _one_line(_invoke("score", "--gold", ROOT / "annotations" / "gold", "--input", SAMPLES, "--no-model",
                             "--plot", tmp_path / "r.png"), "E015")
    assert "[plot]'" in line and not (tmp_path / "r.png").exists()


@pytest.mark.parametrize("args", [("corpus", "build", "--limit", "1"), ("evaluate", "--heldout", "--limit", "1")])
def test_the_corpus_commands_without_the_corpus_extra_are_one_line_e025(monkeypatch, tmp_path, args):
    _without(monkeypatch, "pdfplumber", "markitdown")
    line = _one_line(_invoke(*args, "--work", tmp_path / "work"), "E025") if args[0] == "evaluate" else \
        _one_line(_invoke(*args, "--out", tmp_path / "out", "--work", tmp_path / "work"), "E025")
    assert "pdfplumber, markitdown not installed" in line and "[corpus]'" in line
    assert not (tmp_path / "out").exists() and not (tmp_path / "work").exists()
