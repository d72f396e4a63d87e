from django.core.management.base import BaseCommand

from peninsula.engagement import services, store


class Command(BaseCommand):
    help = "Write the view counts accumulated in Redis to the database now."

    def handle(self, *args, **options):
        if not store.enabled():
            self.stdout.write("REDIS_URL is not set: views are written to the database directly.")
            return
        self.stdout.write(f"{services.counters_flush()} views written.")
