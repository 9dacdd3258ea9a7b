"""Running a converter: its command or Python package, failures as one typed error."""

from __future__ import annotations

import importlib.util
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path


DEFAULT_TIMEOUT = 120.0


class ConverterError(RuntimeError):
    """A converter (or Chromium) failed; ``stderr`` holds the command's error output."""

    def __init__(self, converter: str, message: str, stderr: str = "") -> None:
        self.converter = converter
        self.stderr = stderr
        detail = f"\n--- stderr ---\n{stderr.strip()}" if stderr.strip() else ""
        super().__init__(f"{converter}: {message}{detail}")


# --------------------------------------------------------------------------- helpers


def run_command(
    name: str,
    cmd: Sequence[str],
    *,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Run ``cmd`` and return its stdout; raise :class:`ConverterError` on any failure."""
    try:
        proc = subprocess.run(
            list(cmd),
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ConverterError(name, f"binary not found: {cmd[0]}", str(exc)) from exc
    except subprocess.TimeoutExpired as exc:
        raise ConverterError(name, f"timed out after {timeout:.0f}s", output_text(exc.stderr)) from exc
    if proc.returncode != 0:
        raise ConverterError(name, f"exit status {proc.returncode}: {' '.join(cmd)}", proc.stderr)
    return proc.stdout


def output_text(data: bytes | str | None) -> str:
    """Decode optional subprocess output."""
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def python_package(converter: str, module: str, package: str):  # noqa: ANN202 - a module
    """Import ``module`` for ``converter``, or raise :class:`ConverterError` saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ConverterError(
            converter, f"Python package {package} not installed; install it with pip install 'form4[corpus]'"
        ) from exc


def joined_pages(converter: str, read: Callable[[], list[str]]) -> str:
    """Join the per-page texts ``read()`` returns with form feeds; any failure is typed."""
    try:
        return "\f".join(read()) + "\f"
    except ConverterError:
        raise
    except Exception as exc:  # the PDF libraries raise many unrelated exception types
        raise ConverterError(converter, type(exc).__name__, str(exc)) from exc


MARKITDOWN = None


def markitdown(converter: str):  # noqa: ANN202 - a MarkItDown instance
    """One ``MarkItDown`` per process (plugins off: only the built-in converters)."""
    global MARKITDOWN
    if MARKITDOWN is None:
        MARKITDOWN = python_package(converter, "markitdown", "markitdown[pdf]").MarkItDown(enable_plugins=False)
    return MARKITDOWN


def markitdown_convert(converter: str, path: Path) -> str:
    """markitdown's markdown of one file; its own failure types become a ``ConverterError``."""
    try:
        return str(markitdown(converter).convert(str(path)).text_content)
    except ConverterError:
        raise
    except Exception as exc:  # markitdown wraps converter failures in its own types
        raise ConverterError(converter, type(exc).__name__, str(exc)) from exc
