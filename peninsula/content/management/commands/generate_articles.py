"""`peninsula generate_articles --articles N`: realistic articles for benchmarks and demos, written
in batches through the one bulk writer (services.articles_bulk_write); see docs/benchmarks.md."""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from taggit.models import Tag

from peninsula.content import sample
from peninsula.content.models import Author, Category
from peninsula.content.services import ArticleWrite, articles_bulk_write


class Command(BaseCommand):
    help = "Generate N realistic Chinese and English articles, spread over categories and dates."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="how many to create")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--days", type=int, default=3 * 365, help="spread over this many days")
        parser.add_argument("--english", type=float, default=0.4, help="share of English articles")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        total = options["articles"]
        if total < 1 or options["batch_size"] < 1 or options["days"] < 1:
            raise CommandError("--articles, --batch-size and --days must be positive.")
        rng = random.Random(options["seed"])
        categories = [
            Category.objects.filter(slug=slug).first()
            or Category.objects.create(name=name, slug=slug)
            for name, slug in sample.CATEGORIES
        ]
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": name})[0].pk
            for name in sample.TAGS
        ]
        authors = [Author.objects.get_or_create(name=name)[0] for name in sample.AUTHORS]
        started, done = time.perf_counter(), 0
        while done < total:
            size = min(options["batch_size"], total - done)
            articles_bulk_write(
                writes=[self.article(rng, categories, tags, authors, options) for _ in range(size)]
            )
            done += size
            if options["verbosity"] > 0:
                self.stdout.write(f"{done}/{total} ({time.perf_counter() - started:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Generated {total} articles."))

    def article(self, rng, categories, tags, authors, options):
        english = rng.random() < options["english"]
        title, paragraphs = sample.article(rng, english=english)
        author = rng.choice(authors)
        published_at = timezone.now() - timedelta(seconds=rng.randint(60, options["days"] * 86400))
        values = {
            "title": title,
            "body": "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
            "byline": f"By {author.name}" if english else f"记者 {author.name}",
            "category_id": rng.choice(categories).pk,
            "language": "en" if english else "zh",
            "live": True,
            "published_at": published_at,
            "first_published_at": published_at,
            "last_published_at": published_at,
        }
        return ArticleWrite(values, tag_ids=rng.sample(tags, 2), author_ids=[author.pk])
