"""The one way into the database for every format: mappings → checked records → ArticleImporter.

Each format (jsonl, wordpress, feeds, pages) only turns its input into the mappings of
docs/import-format.md, so validation, sanitising and writing are the same for all of them.
"""

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

from peninsula.content.models import Article

from .fetch import fetch
from .images import ImageError, store_image
from .records import RecordError, parse_record
from .writer import ArticleImporter, ImportResult, LineError

EXTERNAL_ID_MAX = Article._meta.get_field("external_id").max_length


def external_key(value):
    """An external_id for a GUID or a URL: itself, or its SHA-1 when too long to store."""
    value = value.strip()
    if len(value) <= EXTERNAL_ID_MAX:
        return value
    return "sha1:" + hashlib.sha1(value.encode("utf-8")).hexdigest()


@dataclass
class ItemError:
    """An item its format could not read; reported like a record that failed validation."""

    reason: str


@dataclass
class Report:
    """What an import did: the writer's counts and errors, and the images it went without."""

    result: ImportResult
    warnings: list = field(default_factory=list)  # LineError: imported, without its image
    unit: str = "line"  # what the numbers count: lines of a file, or items of a feed


class ItemPipeline:
    """Feeds numbered mappings to one ArticleImporter, applying the command's options.

    `category` is the 栏目 path for items that carry none; `draft` lands every item as a draft;
    `fetcher` fetches lead images (`ingestion.fetch.fetch` unless a caller must guard it).
    """

    def __init__(self, *, category=None, draft=False, batch_size=500, unit="line", fetcher=fetch):
        self.category = category
        self.fetcher = fetcher
        self.draft = draft
        self.importer = ArticleImporter(batch_size=batch_size)
        self.report = Report(self.importer.result, unit=unit)
        self._images = {}  # url → image id, or the reason it could not be had

    def add(self, number, item):
        """Check and queue one item: a mapping, the ItemError its format met, or None (a blank
        line, counted for progress only)."""
        if item is None:
            return
        if isinstance(item, ItemError):
            self.importer.fail(number, item.reason)
            return
        if self.category and item.get("category") is None:
            item = {**item, "category": self.category}
        if self.draft:
            item = {**item, "status": "draft"}
        try:
            record = parse_record(item, line=number)
        except RecordError as error:
            self.importer.fail(number, str(error))
            return
        if record.image_url:
            record.cover_image_id = self._image(number, record)
        self.importer.add(record)

    def finish(self):
        self.importer.finish()
        self.report.warnings.sort()
        return self.report

    def _image(self, number, record):
        url = record.image_url
        if url not in self._images:
            try:
                self._images[url] = store_image(url, title=record.title, fetcher=self.fetcher)
            except ImageError as error:
                self._images[url] = str(error)
        found = self._images[url]
        if isinstance(found, str):
            self.report.warnings.append(
                LineError(number, f"image not stored ({found}); imported without it")
            )
            return None
        return found


def import_items(items, *, progress=None, **options):
    """Import `(number, mapping or ItemError)` pairs; `progress(1)` is called per item."""
    pipeline = ItemPipeline(**options)
    for number, item in items:
        if progress is not None:
            progress(1)
        pipeline.add(number, item)
    return pipeline.finish()


# SQLite memory of a bulk import: the page cache the settings give every connection (64 MB,
# for the site's reads) fills with the pages the import writes, and the memory-mapped file with
# the pages its index look-ups touch. An import reads each page about once, so it keeps both
# small; measured in docs/decisions.md ("Import memory").
IMPORT_SQLITE_PRAGMAS = {"cache_size": -8192, "mmap_size": 0}


@contextmanager
def import_memory_bounded():
    """Run a bulk import with the SQLite connection's page cache and memory map kept small,
    restoring the connection's own settings afterwards (it may be reused)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        saved = {}
        for name, value in IMPORT_SQLITE_PRAGMAS.items():
            saved[name] = cursor.execute(f"PRAGMA {name}").fetchone()[0]
            cursor.execute(f"PRAGMA {name}={int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in saved.items():
                cursor.execute(f"PRAGMA {name}={int(value)}")
