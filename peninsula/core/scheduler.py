"""Recurring jobs run by one scheduler process beside the web server (`peninsula run_scheduler`).

Apps register their jobs in `AppConfig.ready()`; `make run` starts the scheduler, so scheduled
publishing and counter flushes need no cron.
"""

import logging
import time
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    interval: float
    func: object
    next_run: float = field(default=0.0)


_jobs: dict[str, Job] = {}


def register(name, *, every):
    """Decorator: run the function every `every` seconds in the scheduler process."""

    def decorator(func):
        _jobs[name] = Job(name=name, interval=every, func=func)
        return func

    return decorator


def jobs():
    return list(_jobs.values())


def run_due(now=None):
    """Run every job whose time has come; one failing job does not stop the others."""
    from django.db import close_old_connections

    now = time.monotonic() if now is None else now
    for job in _jobs.values():
        if job.next_run > now:
            continue
        job.next_run = now + job.interval
        close_old_connections()
        try:
            job.func()
        except Exception:
            log.exception("Scheduled job %s failed", job.name)
