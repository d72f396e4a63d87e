from django.core.management.base import BaseCommand

from peninsula.engagement import services


class Command(BaseCommand):
    help = (
        "Write the view counts held by this process and, with Redis, those accumulated in Redis "
        "to the database now. Web processes write their own held views every second."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{services.counters_flush()} views written.")
