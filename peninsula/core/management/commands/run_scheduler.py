import time

from django.core.management.base import BaseCommand

from peninsula.core import scheduler


class Command(BaseCommand):
    help = "Run the recurring jobs (scheduled publishing, counter flushes) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=1.0, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=1.0, **options):
        if once:
            for job in scheduler.jobs():
                job.next_run = 0
            scheduler.run_due()
            return
        try:
            while True:
                scheduler.run_due()
                time.sleep(tick)
        except KeyboardInterrupt:
            pass
