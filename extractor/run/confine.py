"""Writes confined to the folder the user named: no symbolic link below it is ever followed.

Every output, report and summary is written as ``root / relative``: ``root`` is the folder the
user named (itself a link or not: the user's choice), and each folder below it is opened
relative to the one above with ``O_NOFOLLOW``, so a link planted anywhere on the way (a
subfolder, the output's own name) is an :class:`~form4.errors.OutputError` (E023), never
followed. The data goes to a temporary file created exclusively in the target's folder (on
Linux an unnamed ``O_TMPFILE`` named only once written, elsewhere ``O_CREAT|O_EXCL|O_NOFOLLOW``
with a random name), then renamed over the target: a reader, or an interrupted run, sees the old
file or the new one, never a part.

Where the platform cannot open files relative to a folder (``os.supports_dir_fd``), the same
checks are made on paths (``lstat`` of each part), with the same exclusive temporary file.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from ..errors import OutputError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0)
_AT = os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd and os.stat in os.supports_dir_fd


def _link_error(where: Path) -> OutputError:
    return OutputError("a symbolic link is in the way (not followed: outputs stay in the folder you named); remove the link", str(where))


def _parts(relative: Path) -> tuple[str, ...]:
    """The parts of a path below the root; ``..`` or an absolute path would leave it.

    >>> _parts(Path("d1/a.json"))
    ('d1', 'a.json')
    """
    parts = relative.parts
    if not parts or relative.is_absolute() or any(part in ("..", ".", "") for part in parts):
        raise OutputError("an output name that leaves its folder; report it with the input's name", str(relative))
    return parts


def _open_root(root: Path) -> int:
    root.mkdir(parents=True, exist_ok=True)
    return os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)


def _descend(fd: int, name: str, where: Path) -> int:
    """Open (making it if missing) the folder ``name`` in the folder ``fd``, never through a link."""
    for _ in range(2):
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=fd)
        except FileNotFoundError:
            try:
                os.mkdir(name, dir_fd=fd)
            except FileExistsError:
                pass
        except OSError as err:
            if err.errno in (errno.ELOOP, errno.EMLINK) or _is_link(name, fd):
                raise _link_error(where) from None
            if err.errno == errno.ENOTDIR:
                raise OutputError("a file is in the way where a folder must be; move it", str(where)) from None
            raise
    return os.open(name, _DIR_FLAGS, dir_fd=fd)


def _is_link(name: str, fd: int | None) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _write_in(fd: int | None, folder: Path, name: str, data: bytes) -> None:
    """Write ``name`` in the open folder ``fd`` (or at ``folder`` by path) through an exclusive temporary file."""
    at = {"dir_fd": fd} if fd is not None else {}
    path = name if fd is not None else str(folder / name)
    try:
        mode = os.stat(path, follow_symlinks=False, **at).st_mode
    except FileNotFoundError:
        mode = 0
    if stat.S_ISLNK(mode):
        raise _link_error(folder / name)
    if stat.S_ISDIR(mode):
        raise OutputError("is a folder; remove it or choose another --output", str(folder / name))
    tmp = f".{name[:100]}.{secrets.token_hex(6)}.tmp"
    tmp_path = tmp if fd is not None else str(folder / tmp)
    if not (fd is not None and _filled_unnamed(fd, tmp, data)):
        handle = os.open(tmp_path, _NEW_FILE, 0o666, **at)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except BaseException:
            _remove(tmp_path, at)
            raise
    try:
        os.replace(tmp_path, path, **({"src_dir_fd": fd, "dst_dir_fd": fd} if fd is not None else {}))
    except BaseException:
        _remove(tmp_path, at)
        raise


def _filled_unnamed(fd: int, tmp: str, data: bytes) -> bool:
    """Write ``data`` to an unnamed file in the folder ``fd`` (Linux's ``O_TMPFILE``), then name it
    ``tmp``: a kill while writing leaves nothing behind. False where the system cannot."""
    if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        handle = os.open(".", os.O_TMPFILE | os.O_WRONLY | _CLOEXEC, 0o666, dir_fd=fd)
    except OSError:
        return False
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        try:
            os.link(f"/proc/self/fd/{handle}", tmp, dst_dir_fd=fd, follow_symlinks=True)
        except OSError:
            return False
    return True


def _remove(path: str, at: dict) -> None:
    try:
        os.unlink(path, **at)
    except OSError:
        pass


def write_confined(root: Path, relative: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``root / relative`` atomically, following no link below ``root``; the path written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = write_confined(Path(tmp), Path("d/a.json"), "{}")
    ...     (written.relative_to(tmp).as_posix(), written.read_text())
    ('d/a.json', '{}')
    """
    parts = _parts(relative)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not _AT:
        return _write_by_path(root, parts, payload)
    fd = _open_root(root)
    try:
        where = root
        for part in parts[:-1]:
            where = where / part
            inner = _descend(fd, part, where)
            os.close(fd)
            fd = inner
        _write_in(fd, where, parts[-1], payload)
    finally:
        os.close(fd)
    return root.joinpath(*parts)


def _write_by_path(root: Path, parts: tuple[str, ...], payload: bytes) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            raise _link_error(folder)
        folder.mkdir(exist_ok=True)
    _write_in(None, folder, parts[-1], payload)
    return root.joinpath(*parts)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` (its folder is the one the user named; the file is never a link
    followed) through an exclusive temporary file in the same folder and a rename."""
    path = Path(path)
    write_confined(path.parent, Path(path.name), data)


def probe(root: Path) -> None:
    """Create and remove a file in ``root`` (made if missing): it can be written. Raises OSError."""
    root.mkdir(parents=True, exist_ok=True)
    name = root / f".form4-write-test.{secrets.token_hex(6)}"
    os.close(os.open(name, _NEW_FILE, 0o600))
    os.unlink(name)


def is_regular_file(path: Path) -> bool:
    """``path`` is a file itself, not a link to one (``--resume`` reads no link).

    >>> is_regular_file(Path("/nonexistent/form4"))
    False
    """
    try:
        return stat.S_ISREG(os.stat(path, follow_symlinks=False).st_mode)
    except OSError:
        return False
