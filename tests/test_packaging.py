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
