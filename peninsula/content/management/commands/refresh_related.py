"""Compute and store every live article's related list (相关文章)."""

import time

from django.core.management.base import BaseCommand

from peninsula.content import related
from peninsula.content.models import Article
from peninsula.content.services import articles_related_refresh


class Command(BaseCommand):
    help = (
        "Compute the related articles of every live article again. Writes keep the lists "
        "current; this fills them on a site upgraded from a version without stored lists."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        ids = list(Article.objects.filter(live=True).values_list("pk", flat=True))
        for chunk in related.chunks(ids):
            articles_related_refresh(ids=chunk)
        elapsed = time.perf_counter() - started
        message = f"Stored the related lists of {len(ids)} articles in {elapsed:.1f} s."
        self.stdout.write(self.style.SUCCESS(message))
