"""Recurring jobs of the content app, run by `peninsula run_scheduler` (started by `make run`)."""

from django.core.management import call_command

from peninsula.core import scheduler


@scheduler.register("publish_scheduled", every=15)
def publish_scheduled():
    """Wagtail's scheduled publishing and expiry, so an article goes live within a minute of its
    time without a cron entry."""
    call_command("publish_scheduled", verbosity=0)
