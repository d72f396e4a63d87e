"""Rebuild the search index from every article."""

import time

from django.core.management.base import BaseCommand

from peninsula.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every article."

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(done, total):
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total}")

        count = index_rebuild(progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} articles in {elapsed:.1f} s."))
