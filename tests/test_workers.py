"""The worker pool: each worker holds its next job in its pipe, and a killed or dead worker costs only the job it ran."""

import os
import signal
import time

from form4.run.workers import WorkerPool


def _misbehave(settings, job):
    """Hangs on "hang", kills its own process on "die", else doubles the job."""
    if job == "hang":
        time.sleep(60)
    if job == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    return job * 2


def _run(jobs, **pool):
    with WorkerPool(_misbehave, None, **pool) as p:
        return {job: out for job, out, _ in p.imap_unordered(jobs)}


def test_the_jobs_queued_behind_one_over_the_time_limit_are_run_by_a_fresh_worker():
    out = _run(["hang", 1, 2, 3], workers=1, timeout=3, ahead=3)
    assert out[1] == 2 and out[2] == 4 and out[3] == 6
    assert out["hang"].code == "E021"


def test_the_jobs_queued_behind_one_that_kills_its_worker_are_still_run():
    out = _run([1, "die", 2, 3], workers=1, ahead=2)
    assert (out[1], out[2], out[3]) == (2, 4, 6)
    assert out["die"].code == "E024"


def test_every_job_comes_back_once_whatever_the_number_of_workers_and_jobs_ahead():
    for workers, ahead in ((1, 1), (2, 2), (3, 4)):
        with WorkerPool(_misbehave, None, workers=workers, ahead=ahead) as pool:
            seen = sorted(out for _, out, _ in pool.imap_unordered(range(20)))
        assert seen == [2 * n for n in range(20)]
