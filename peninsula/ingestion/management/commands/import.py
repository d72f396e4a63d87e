"""`peninsula import FILE|URL`: load articles from any supported format, listing bad items."""

import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from peninsula.ingestion import detect, jsonl, wordpress
from peninsula.ingestion.feeds import FeedError, feed_items, json_feed_items
from peninsula.ingestion.fetch import FetchError, charset_of, fetch
from peninsula.ingestion.pages import page_item
from peninsula.ingestion.pipeline import import_items, import_memory_bounded


class Command(BaseCommand):
    help = (
        "Import articles from JSON Lines, a WordPress export, an RSS/Atom/JSON feed or an "
        "article page, given as a file or a URL (see docs/import-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a file (articles.jsonl, export.xml, …) or a URL")
        parser.add_argument(
            "--category", metavar="PATH", help="the 栏目 for items without one, e.g. 国际/亚太"
        )
        parser.add_argument(
            "--draft", action="store_true", help="store everything as drafts for review"
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="articles written per transaction"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="do not show the progress bar"
        )

    def handle(self, *args, source, category, draft, batch_size, no_progress, verbosity, **_):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        options = {"category": category, "draft": draft, "batch_size": batch_size}
        with ExitStack() as stack:
            path, url, content_type = self._local(source, stack)
            try:
                with open(path, "rb") as file:
                    head = file.read(detect.HEAD_BYTES)
                kind = detect.detect_format(head, suffix="" if url else path.suffix)
                items, total, unit = self._items(kind, path, url, content_type)
                bar = stack.enter_context(
                    tqdm(
                        total=total,
                        unit=unit,
                        file=sys.stderr,
                        disable=no_progress or verbosity == 0 or None,
                        desc="Importing",
                    )
                )
                stack.enter_context(import_memory_bounded())
                if kind == detect.WORDPRESS:
                    report = wordpress.import_wordpress(
                        path, export=items, progress=bar.update, **options
                    )
                else:
                    report = import_items(items, progress=bar.update, unit=unit, **options)
            except (detect.UnknownFormat, FeedError, wordpress.WordPressError) as error:
                raise CommandError(f"{source}: {error}; nothing was imported") from None
            except OSError as error:
                raise CommandError(f"{source}: {error.strerror or error}") from None

        result = report.result
        for error in result.errors:
            self.stderr.write(f"{source}: {report.unit} {error.line}: {error.reason}")
        for warning in report.warnings:
            self.stderr.write(f"{source}: {report.unit} {warning.line}: {warning.reason}")
        summary = f"{result.created} created, {result.updated} updated, {result.failed} failed"
        if result.failed:
            raise CommandError(f"{summary}. The {report.unit}s above were not imported.")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(summary))

    def _local(self, source, stack):
        """(path, fetched URL or None, Content-Type) of the source, downloading a URL first."""
        if source.startswith(("http://", "https://")):
            try:
                fetched = fetch(source)
            except FetchError as error:
                raise CommandError(str(error)) from None
            spool = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".download"))  # noqa: SIM115
            spool.write(fetched.body)
            spool.flush()
            return Path(spool.name), fetched.url, fetched.content_type
        path = Path(source)
        if not path.exists():
            raise CommandError(f"{source}: no such file")
        if path.is_dir():
            raise CommandError(f"{source} is a directory; give a file or a URL")
        return path, None, ""

    def _items(self, kind, path, url, content_type):
        """The numbered items (for a WordPress export, its first pass), their count, the unit."""
        if kind == detect.WORDPRESS:
            export = wordpress.scan(path)
            return export, export.posts, "post"
        if kind == detect.JSONL:
            return jsonl.jsonl_items(path), jsonl.count_lines(path), "line"
        body = path.read_bytes()
        if kind == detect.HTML:
            return [(1, page_item(body, url=url, charset=charset_of(content_type)))], 1, "page"
        if kind == detect.JSON_FEED:
            items = json_feed_items(body, url=url or "")
        else:
            items = feed_items(body, url=url or "", content_type=content_type)
        return items, len(items), "item"
