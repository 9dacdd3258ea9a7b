"""Worker processes a batch can kill: one input at a time each, the next already waiting in its
pipe, a time limit per input, nothing shared but the settings."""


from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from dataclasses import replace
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

from ..errors import (
    InputTooLargeError,
    InternalError,
    TimeoutExceededError,
    WorkerDiedError,
)
from . import guard
from .pipeline import Extractor


def _portable(settings: Any) -> Any:
    """Settings to pickle for a spawned worker: the model goes as its directory, loaded there."""
    if isinstance(settings, Extractor) and settings.nlp is not None:
        return replace(settings, nlp=None)
    return settings


def _restore(settings: Any) -> Any:
    if isinstance(settings, Extractor) and settings.nlp is None and settings.model_dir:
        from ..model.ner import load

        return replace(settings, nlp=load(settings.model_dir))
    return settings


def _worker_main(conn, work: Callable[[Any, Any], Any], settings: Any, tmp: str | None = None, cpu_seconds: float | None = None) -> None:
    guard.die_with_parent()  # a batch killed (even by SIGKILL) takes its workers along
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt stops
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the batch's handler: a kill ends a worker
    _one_thread_each()
    settings = _restore(settings)  # forked: the parent's own object, model loaded; spawned: loads it
    guard.fence_worker(tmp)  # its own process group, an address-space limit (above the model), its temporary folder
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            guard.limit_cpu(cpu_seconds)
            out = work(settings, job)
        except BaseException as err:  # noqa: BLE001
            out = internal_error(err, None)
        conn.send(out)


def _one_thread_each() -> None:
    """One BLAS thread per worker: the workers are the parallelism (threads on top oversubscribe the cores)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return
    threadpool_limits(1)


class _Worker:
    def __init__(self, ctx, work, settings, cpu_seconds: float | None = None) -> None:
        self.conn, child = ctx.Pipe()
        self.tmp = guard.new_temp_folder()
        self.process = ctx.Process(target=_worker_main, args=(child, work, settings, self.tmp, cpu_seconds), daemon=True)
        self.process.start()
        guard.lead_group(self.process.pid)
        child.close()
        self.jobs: deque[Any] = deque()  # sent and not answered yet, in order: the first is running
        self.started = 0.0  # when the first of them started (as this process saw it)

    @property
    def job(self) -> Any:
        """The job it is running (None: idle)."""
        return self.jobs[0] if self.jobs else None

    def stop(self) -> None:
        """Kill the worker with its process group (the tools it started), then remove its temporary folder."""
        if not (self.process.exitcode == 0 and not self.jobs):  # not a worker that ended when told to
            guard.kill_group(self.process.pid)
        self.process.join()
        self.conn.close()
        guard.remove_temp_folder(self.tmp)


class WorkerPool:
    """Worker processes that run ``work(settings, job)``, one job each at a time, and can be killed.

    ``concurrent.futures`` cannot stop a running task; here a job over ``timeout`` seconds costs
    its worker (killed and replaced) and comes back as ``TimeoutExceededError``; a worker that
    dies (out of memory) gives ``WorkerDiedError``. On Linux workers are forked after the model
    is loaded, so they share it instead of loading it again.

    Each worker holds up to ``ahead`` jobs: while the batch takes one result (and writes its
    output) the worker already runs the next, which waits in its pipe. A worker killed or dead
    costs only the job it was running; the jobs waiting behind it go to the next free worker.
    """

    def __init__(self, work: Callable[[Any, Any], Any], settings: Any, workers: int = 2, timeout: float | None = None,
                 ahead: int = 2) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        # a forked worker gets the settings object itself (no pickling: the loaded model comes along)
        self._settings = settings if self._ctx.get_start_method() == "fork" else _portable(settings)
        self._work, self._n, self.timeout, self._ahead = work, max(1, workers), timeout, max(1, ahead)
        self._workers: list[_Worker] = []
        self._returned: deque[Any] = deque()  # jobs taken back from a killed or dead worker, to run first

    def __enter__(self) -> "WorkerPool":
        self._workers = [self._spawn() for _ in range(self._n)]
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self._work, self._settings, self.timeout)

    def close(self) -> None:
        for worker in self._workers:
            if worker.process.is_alive() and not worker.jobs:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self._workers:
            worker.process.join(timeout=1 if not worker.jobs else 0)
            worker.stop()
        self._workers = []

    def imap_unordered(self, jobs: Iterable[Any]) -> Iterator[tuple[Any, Any, float]]:
        """(job, result, seconds) as each finishes."""
        pending = iter(jobs)
        exhausted = False
        while True:
            for i in range(len(self._workers)):
                while len(self._workers[i].jobs) < self._ahead and not (exhausted and not self._returned):
                    job = self._returned.popleft() if self._returned else next(pending, _END)
                    if job is _END:
                        exhausted = True
                        break
                    if not self._assign(i, job):
                        break
            busy = [w for w in self._workers if w.jobs]
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=self._wait_time(busy))
            now = time.perf_counter()
            for i, worker in enumerate(self._workers):
                if not worker.jobs:
                    continue
                if worker.conn in ready:
                    yield self._collect(i, worker, now)
                elif self.timeout and now - worker.started > self.timeout:
                    yield self._expire(i, worker, now)

    def _assign(self, i: int, job: Any) -> bool:
        """Send ``job`` to worker ``i`` (replacing it if it died idle); False if it died running one
        (the job goes back to the queue; ``wait`` sees the worker's end and reports the one it ran)."""
        worker = self._workers[i]
        try:
            worker.conn.send(job)
        except (BrokenPipeError, OSError):
            if worker.jobs:
                self._returned.appendleft(job)
                return False
            self._replace(i)
            worker = self._workers[i]
            worker.conn.send(job)
        if not worker.jobs:
            worker.started = time.perf_counter()
        worker.jobs.append(job)
        return True

    def _replace(self, i: int) -> None:
        """Kill worker ``i`` and start another; the jobs waiting behind its running one go back to the queue."""
        worker = self._workers[i]
        self._returned.extendleft(reversed(list(worker.jobs)[1:]))
        worker.stop()
        worker.jobs.clear()
        self._workers[i] = self._spawn()

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if not self.timeout:
            return None
        return max(0.0, min(w.started + self.timeout for w in busy) - time.perf_counter()) + 0.01

    def _collect(self, i: int, worker: _Worker, now: float) -> tuple[Any, Any, float]:
        job, started = worker.job, worker.started
        try:
            out = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(i)
            code = worker.process.exitcode
            why = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
            return job, WorkerDiedError(f"the worker process died ({why}; often out of memory); split the file or give it more memory"), now - started
        worker.jobs.popleft()
        worker.started = now  # the next job, already in its pipe, started when this one ended
        return job, out, now - started

    def _expire(self, i: int, worker: _Worker, now: float) -> tuple[Any, Any, float]:
        job, started = worker.job, worker.started
        self._replace(i)
        err = TimeoutExceededError(f"took over {self.timeout:g} s; stopped (raise --timeout, or check the file is one filing)")
        return job, err, now - started


_END = object()


def internal_error(err: BaseException, source: str | None) -> InternalError | InputTooLargeError | TimeoutExceededError:
    """An unexpected exception as one line (E020); running out of a worker's memory (E027) or CPU
    time (E021) is the input's size, not a bug."""
    if isinstance(err, MemoryError):
        return InputTooLargeError(f"it needs more memory than a worker may use ({guard.memory_limit()}); "
                                  "split the file, or scan at 300 dpi", source)
    if isinstance(err, guard.CPULimitExceeded):
        return TimeoutExceededError("it used more CPU time than its time limit; stopped (raise --timeout, or check the file)", source)
    first = (str(err).strip().splitlines() or [""])[0][:300]
    return InternalError(f"{type(err).__name__}: {first}; please report it with this input", source)
