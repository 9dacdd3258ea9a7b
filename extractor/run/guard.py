"""What fences a worker process in: its own process group, an address-space and a CPU limit,
and a temporary folder of its own.

* **Process group.** A worker leads a process group, and the converters and OCR it starts
  (``pdftotext``, ``pdftoppm``, ``tesseract``) run in it: a worker stopped for its time limit
  is killed with its whole group (:func:`kill_group`), no tool left running on.
* **Address space.** A worker may map at most :func:`address_space_limit` bytes (1 GiB, or
  what it held when it started plus 512 MiB when a large model makes that more); the tools
  it starts inherit the same limit. An allocation past it fails (``MemoryError``: error E027
  for that input) instead of the machine swapping.
* **CPU.** Before each input the worker's CPU limit is set to what it has used plus the time
  limit, so a tool it started and that outlives it (its parent killed by SIGKILL) stops too.
* **Parent's death.** A worker, and each tool a worker (or the batch) starts, is killed when the
  process that started it dies, even by SIGKILL (Linux's ``PR_SET_PDEATHSIG``,
  :func:`die_with_parent`): a killed batch leaves no worker and no tool running.
* **Temporary folder.** A worker's temporary files (the copy of a PDF, page images) go to a
  folder the batch made for it and removes when the worker ends, whatever ends it.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile

try:
    import resource
except ImportError:  # pragma: no cover  (not POSIX)
    resource = None  # type: ignore[assignment]

def _prctl():
    """libc's ``prctl``, looked up once (a child between fork and exec must not load a library)."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


_PRCTL = _prctl()
_PR_SET_PDEATHSIG = 1

#: The least address space a worker may use, and its room above what it holds at start.
MIN_ADDRESS_SPACE = 1 << 30
ROOM_ABOVE_START = 512 << 20


def _mapped_bytes() -> int:
    """The process's address space now (Linux's /proc); 0 where unknown."""
    try:
        with open("/proc/self/statm") as stats:
            return int(stats.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def address_space_limit() -> int:
    """Bytes a worker may map: 1 GiB, or its size at start plus 512 MiB if that is more.

    >>> address_space_limit() >= MIN_ADDRESS_SPACE
    True
    """
    return max(MIN_ADDRESS_SPACE, _mapped_bytes() + ROOM_ABOVE_START)


def memory_limit() -> str:
    """The address-space limit this process runs under, for a message.

    >>> memory_limit().endswith(("MiB", "no limit"))
    True
    """
    soft = resource.getrlimit(resource.RLIMIT_AS)[0] if resource is not None else -1
    return "no limit" if soft < 0 or soft == getattr(resource, "RLIM_INFINITY", -1) else f"{soft >> 20} MiB"


def die_with_parent() -> None:
    """This process is killed when the one that started it dies, even by SIGKILL; as a tool's
    ``preexec_fn``, the tool is. A forked worker holds copies of its siblings' pipes, so it would
    not see the batch's end, and an orphaned tool would run on. Nothing where not Linux."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def fence_worker(tmp: str | None) -> None:
    """In a new worker: lead a process group, take the address-space limit, use ``tmp``."""
    try:
        os.setpgid(0, 0)
    except (OSError, AttributeError):
        pass
    if resource is not None:
        limit = address_space_limit()
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
        signal.signal(signal.SIGXCPU, _over_cpu)
    if tmp:
        tempfile.tempdir = tmp
        os.environ["TMPDIR"] = tmp


class CPULimitExceeded(Exception):
    """The input used more CPU time than its limit."""


def _over_cpu(signum, frame):
    raise CPULimitExceeded


def limit_cpu(seconds: float | None) -> None:
    """Before an input: the CPU limit is what the worker has used plus ``seconds`` (None: none)."""
    if resource is None:
        return
    if seconds is None:
        soft = resource.RLIM_INFINITY
    else:
        used = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(used.ru_utime + used.ru_stime + seconds) + 1
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))
    except (ValueError, OSError):
        pass


def lead_group(pid: int) -> None:
    """From the batch: make the new worker ``pid`` lead its group (it does so too: whichever runs first)."""
    try:
        os.setpgid(pid, pid)
    except (OSError, AttributeError):
        pass


def kill_group(pid: int | None) -> None:
    """Kill the worker ``pid`` and everything left in its process group (the tools it started)."""
    if pid is None:
        return
    for kill in (getattr(os, "killpg", None), os.kill):
        try:
            if kill is not None:
                kill(pid, signal.SIGKILL)
        except OSError:  # no such group (or process): nothing left to stop
            pass


def new_temp_folder() -> str:
    return tempfile.mkdtemp(prefix="form4-worker-")


def remove_temp_folder(path: str | None) -> None:
    if path:
        shutil.rmtree(path, ignore_errors=True)
