"""The distribution installs one import package, form4, with every subpackage of the repository."""

import tomllib

from conftest import ROOT  # noqa: E402  (the repository, defined once)


def test_every_package_folder_of_the_repository_is_in_the_distribution():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    where = {name: ROOT / folder for name, folder in config["package-dir"].items()}
    found = set()
    for name, folder in where.items():
        for init in folder.rglob("__init__.py"):
            parts = init.parent.relative_to(folder).parts
            found.add(".".join((name, *parts)))
    assert found <= listed, f"packages missing from pyproject.toml: {sorted(found - listed)}"
    assert all(name == "form4" or name.startswith("form4.") for name in listed)


def _imports(path) -> set[str]:
    """The absolute modules a file imports (relative imports resolved against its package)."""
    import ast

    package = ("form4." + ".".join(path.parent.relative_to(ROOT / "extractor").parts)).rstrip(".")
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            out |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return out


def test_the_runtime_imports_the_training_code_only_in_its_command_line():
    runtime = [p for p in (ROOT / "extractor").rglob("*.py") if "cli" not in p.relative_to(ROOT / "extractor").parts]
    offenders = [str(p.relative_to(ROOT)) for p in runtime if any(m.startswith("form4.training") for m in _imports(p))]
    assert offenders == []
