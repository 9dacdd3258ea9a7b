"""Worker processes a batch can kill: one input at a time each, a time limit per input, nothing shared but the settings."""


from __future__ import annotations

import multiprocessing
import signal
import time
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
        self.job: Any = None
        self.started = 0.0

    def stop(self) -> None:
        """Kill the worker with its process group (the tools it started), then remove its temporary folder."""
        if not (self.process.exitcode == 0 and self.job is None):  # not a worker that ended when told to
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
    """

    def __init__(self, work: Callable[[Any, Any], Any], settings: Any, workers: int = 2, timeout: float | None = None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        # a forked worker gets the settings object itself (no pickling: the loaded model comes along)
        self._settings = settings if self._ctx.get_start_method() == "fork" else _portable(settings)
        self._work, self._n, self.timeout = work, max(1, workers), timeout
        self._workers: list[_Worker] = []

    def __enter__(self) -> "WorkerPool":
        self._workers = [self._spawn() for _ in range(self._n)]
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self._work, self._settings, self.timeout)

    def close(self) -> None:
        for worker in self._workers:
            if worker.process.is_alive() and worker.job is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self._workers:
            worker.process.join(timeout=1 if worker.job is None else 0)
            worker.stop()
        self._workers = []

    def imap_unordered(self, jobs: Iterable[Any]) -> Iterator[tuple[Any, Any, float]]:
        """(job, result, seconds) as each finishes."""
        pending = iter(jobs)
        exhausted = False
        while True:
            for i, worker in enumerate(self._workers):
                if worker.job is None and not exhausted:
                    job = next(pending, _END)
                    if job is _END:
                        exhausted = True
                        break
                    worker = self._assign(i, job)
            busy = [w for w in self._workers if w.job is not None]
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=self._wait_time(busy))
            now = time.perf_counter()
            for i, worker in enumerate(self._workers):
                if worker.job is None:
                    continue
                if worker.conn in ready:
                    yield self._collect(i, worker, now)
                elif self.timeout and now - worker.started > self.timeout:
                    yield self._expire(i, worker, now)

    def _assign(self, i: int, job: Any) -> _Worker:
        worker = self._workers[i]
        try:
            worker.conn.send(job)
        except (BrokenPipeError, OSError):
            worker.stop()
            worker = self._workers[i] = self._spawn()
            worker.conn.send(job)
        worker.job, worker.started = job, time.perf_counter()
        return worker

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if not self.timeout:
            return None
        return max(0.0, min(w.started + self.timeout for w in busy) - time.perf_counter()) + 0.01

    def _collect(self, i: int, worker: _Worker, now: float) -> tuple[Any, Any, float]:
        job, worker.job = worker.job, None
        try:
            return job, worker.conn.recv(), now - worker.started
        except (EOFError, OSError):
            code = worker.process.exitcode
            worker.stop()
            self._workers[i] = self._spawn()
            why = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
            return job, WorkerDiedError(f"the worker process died ({why}; often out of memory); split the file or give it more memory"), now - worker.started

    def _expire(self, i: int, worker: _Worker, now: float) -> tuple[Any, Any, float]:
        job, worker.job = worker.job, None
        worker.stop()
        self._workers[i] = self._spawn()
        err = TimeoutExceededError(f"took over {self.timeout:g} s; stopped (raise --timeout, or check the file is one filing)")
        return job, err, now - worker.started


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
