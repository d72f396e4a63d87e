"""Two `peninsula run_scheduler` processes on one site, and the one running the jobs killed.

Each job runs once per due time and never in both at once; when one scheduler dies the other
goes on running every job (docs/deploy.md).
"""

import datetime as dt
import itertools
import re
import signal
from collections import defaultdict

from tests.servers import pass_redis_url, server_env, wait_for

RUN = re.compile(r"job=(\S+) due=(\S+) started=(\S+) finished=(\S+) holder=\S+:(\d+):")


def job_runs(*schedulers):
    """The runs each scheduler logged, by job name: (started, finished, due, pid), in order."""
    runs = defaultdict(list)
    for scheduler in schedulers:
        for name, due, started, finished, pid in RUN.findall(scheduler.log()):
            times = (dt.datetime.fromisoformat(t) for t in (started, finished, due))
            runs[name].append((*times, int(pid)))
    return {name: sorted(found) for name, found in runs.items()}


def assert_once_per_due_time(runs, every):
    for name, found in runs.items():
        dues = [due for _, _, due, _ in found]
        assert len(dues) == len(set(dues)), f"{name} ran twice for one due time: {found}"
        for (started, finished, *_), (next_started, *_) in itertools.pairwise(found):
            assert finished <= next_started, f"{name} ran in both schedulers at once: {found}"
            assert next_started - started >= dt.timedelta(seconds=every[name]), (name, found)


def test_two_schedulers_run_each_job_once_and_the_standby_takes_over(
    site_database, redis_prefix, processes, tmp_path
):
    from peninsula.core import scheduler

    every = {job.name: job.interval for job in scheduler.jobs()}
    assert "flush_counters" in every  # the job this test watches runs every 2 s
    env = server_env(
        site_database,
        workdir=tmp_path,
        redis_url=pass_redis_url(),
        prefix=redis_prefix,
        LOG_LEVEL="INFO",
    )
    first = processes.scheduler(env, workdir=tmp_path)
    second = processes.scheduler(env, workdir=tmp_path)
    both = (first, second)

    def flushes(*schedulers):
        return job_runs(*schedulers).get("flush_counters", [])

    wait_for(lambda: len(flushes(*both)) >= 6, timeout=120, what="six counter flushes")
    assert first.alive() and second.alive()
    runs = job_runs(*both)
    assert set(runs) == set(every), runs  # every job ran, in one scheduler or the other
    assert_once_per_due_time(runs, every)

    # Kill whichever ran the last flush; the other one goes on running the jobs.
    pid = flushes(*both)[-1][3]
    victim, standby = (first, second) if first.process.pid == pid else (second, first)
    victim.kill(signal.SIGKILL)
    victim.process.wait(timeout=10)
    killed_at = dt.datetime.now(dt.UTC)
    wait_for(
        lambda: sum(started > killed_at for started, *_ in flushes(standby)) >= 3,
        timeout=120,
        what="the standby to flush the counters three times",
    )
    assert standby.alive()
    assert_once_per_due_time(job_runs(*both), every)
