import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from peninsula.core import scheduler


class Command(BaseCommand):
    help = (
        "Run the recurring jobs (scheduled publishing, counter flushes) until stopped. A second "
        "one, here or on another host, is a hot standby: no job runs twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=1.0, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=1.0, **options):
        if once:
            scheduler.run_due(force=True)
            return
        # SIGTERM (systemd, `peninsula serve`) stops like Ctrl-C: the running job's lease is
        # given back, so a standby need not wait for it to expire.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            while True:
                # Reconnect after a database restart, as a request does.
                close_old_connections()
                scheduler.run_due()
                time.sleep(tick)
        except KeyboardInterrupt:
            pass
