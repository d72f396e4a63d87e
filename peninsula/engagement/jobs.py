"""Recurring engagement work, run by `peninsula run_scheduler`."""

from peninsula.core import scheduler

from . import rankings, services


@scheduler.register("flush_counters", every=2)
def flush_counters():
    services.counters_flush()


@scheduler.register("refresh_rankings", every=60)
def refresh_rankings():
    rankings.refresh_all()
