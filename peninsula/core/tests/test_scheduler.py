import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from peninsula.core import scheduler
from peninsula.core.models import ScheduledJob

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def runs(monkeypatch):
    """Two jobs of the test's own instead of the site's: the names of the runs, in order."""
    monkeypatch.setattr(scheduler, "_jobs", {})
    ran = []
    scheduler.register("every_minute", every=60)(lambda: ran.append("every_minute"))
    scheduler.register("hourly", every=3600)(lambda: ran.append("hourly"))
    return ran


def test_a_job_runs_once_per_due_time(runs):
    with time_machine.travel(NOW, tick=False):
        scheduler.run_due()
        scheduler.run_due()
    assert runs == ["every_minute", "hourly"]
    row = ScheduledJob.objects.get(name="every_minute")
    assert (row.due_at, row.holder, row.lease_until) == (NOW + dt.timedelta(minutes=1), "", None)
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        scheduler.run_due()
    assert runs == ["every_minute", "hourly", "every_minute"]


def test_a_job_another_scheduler_runs_is_left_to_it_until_its_lease_expires(runs):
    with time_machine.travel(NOW, tick=False):
        ScheduledJob.objects.create(name="every_minute", due_at=NOW)
        assert ScheduledJob.objects.claim(
            "every_minute", holder="other-host:1", now=NOW, lease=scheduler.LEASE
        )
        scheduler.run_due()
        scheduler.run_due(force=True)
    assert runs == ["hourly", "hourly"]
    with time_machine.travel(NOW + scheduler.LEASE + dt.timedelta(seconds=1), tick=False):
        scheduler.run_due()
    assert runs == ["hourly", "hourly", "every_minute"]


def test_only_one_of_two_claims_wins():
    ScheduledJob.objects.create(name="job", due_at=NOW)
    claims = [
        ScheduledJob.objects.claim("job", holder=holder, now=NOW, lease=scheduler.LEASE)
        for holder in ("a", "b")
    ]
    assert claims == [True, False]
    assert ScheduledJob.objects.get().holder == "a"


def test_a_failing_job_does_not_stop_the_others_and_waits_for_its_next_time(
    monkeypatch, runs, caplog
):
    monkeypatch.setattr(scheduler, "_jobs", {})
    scheduler.register("broken", every=60)(lambda: 1 / 0)
    scheduler.register("fine", every=60)(lambda: runs.append("fine"))
    with time_machine.travel(NOW, tick=False):
        scheduler.run_due()
    assert runs == ["fine"]
    assert "Scheduled job broken failed" in caplog.text
    broken = ScheduledJob.objects.get(name="broken")
    assert (broken.due_at, broken.holder) == (NOW + dt.timedelta(minutes=1), "")


def test_a_job_stopped_mid_run_gives_its_lease_back_and_stays_due(monkeypatch):
    monkeypatch.setattr(scheduler, "_jobs", {})

    def interrupted():
        raise KeyboardInterrupt

    scheduler.register("long", every=60)(interrupted)
    with time_machine.travel(NOW, tick=False), pytest.raises(KeyboardInterrupt):
        scheduler.run_due()
    row = ScheduledJob.objects.get()
    assert (row.due_at, row.holder, row.lease_until) == (NOW, "", None)


def test_run_scheduler_once_runs_every_job_due_or_not(runs):
    ScheduledJob.objects.create(name="hourly", due_at=timezone.now() + dt.timedelta(hours=1))
    call_command("run_scheduler", "--once")
    assert sorted(runs) == ["every_minute", "hourly"]
