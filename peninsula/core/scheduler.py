"""Recurring jobs run by `peninsula run_scheduler`, safe to run in two processes at once.

Each job's due time and lease live in a database row, so a second scheduler is a hot standby
(docs/deploy.md). Apps register their jobs in `AppConfig.ready()`; `make run` starts one.
"""

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

log = logging.getLogger(__name__)

# How long a job stays claimed without a renewal: how soon a standby re-runs a job whose
# scheduler died while running it. A running job renews its lease every third of this.
LEASE = timedelta(seconds=30)
HOLDER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Job:
    name: str
    interval: float
    func: object


_jobs: dict[str, Job] = {}


def register(name, *, every):
    """Decorator: run the function every `every` seconds in the scheduler process."""

    def decorator(func):
        _jobs[name] = Job(name=name, interval=every, func=func)
        return func

    return decorator


def jobs():
    return list(_jobs.values())


def run_due(*, force=False):
    """Run every due job that no other scheduler is running (`force`: due or not).

    One failing job does not stop the others, and an unreachable database skips the tick.
    """
    from peninsula.core.models import ScheduledJob

    try:
        rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=_jobs)}
        ScheduledJob.objects.bulk_create(
            [ScheduledJob(name=name, due_at=timezone.now()) for name in _jobs.keys() - rows],
            ignore_conflicts=True,
        )
        for job in _jobs.values():
            row = rows.get(job.name)
            now = timezone.now()  # after the jobs before it in this tick
            free = row is None or row.lease_until is None or row.lease_until < now
            if free and (force or row is None or row.due_at <= now):
                claimed = ScheduledJob.objects.claim(
                    job.name, holder=HOLDER, now=now, lease=LEASE, force=force
                )
                if claimed:
                    _run(job, started=now, due=row.due_at if row else now)
    except DatabaseError:
        log.warning("The scheduler cannot reach the database; retrying", exc_info=True)


def _run(job, *, started, due):
    from peninsula.core.models import ScheduledJob

    done = threading.Event()
    keeper = threading.Thread(target=_keep_lease, args=(job.name, done), daemon=True)
    keeper.start()
    next_due = due  # stopped mid-job (SIGTERM, Ctrl-C): due at once again, for any scheduler
    try:
        try:
            job.func()
        except Exception:
            log.exception("Scheduled job %s failed", job.name)
        next_due = started + timedelta(seconds=job.interval)
    finally:
        done.set()
        keeper.join()
        released = ScheduledJob.objects.filter(name=job.name, holder=HOLDER).update(
            holder="", lease_until=None, due_at=next_due
        )
    if not released:
        log.warning("Scheduled job %s outlived its lease; another scheduler took it", job.name)
    log.info(
        "job=%s due=%s started=%s finished=%s holder=%s",
        job.name, due.isoformat(), started.isoformat(), timezone.now().isoformat(), HOLDER,
    )  # fmt: skip


def _keep_lease(name, done):
    """Renew a running job's lease until it ends, so that a long job is never run twice."""
    from peninsula.core.models import ScheduledJob

    try:
        while not done.wait(LEASE.total_seconds() / 3):
            try:
                ScheduledJob.objects.filter(name=name, holder=HOLDER).update(
                    lease_until=timezone.now() + LEASE
                )
            except DatabaseError:
                log.warning("Could not renew the lease of job %s", name, exc_info=True)
    finally:
        connection.close()
