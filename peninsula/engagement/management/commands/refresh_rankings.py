from django.core.management.base import BaseCommand

from peninsula.engagement import rankings


class Command(BaseCommand):
    help = "Recompute the ranked article lists (most read, trending, most liked) now."

    def handle(self, *args, **options):
        self.stdout.write(f"{rankings.refresh_all()} lists computed.")
