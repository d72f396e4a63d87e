"""The one way into the database for every format: mappings → checked records → ArticleImporter.

Each format (jsonl, wordpress, feeds, pages) only turns its input into the mappings of
docs/import-format.md, so validation, sanitising and writing are the same for all of them.
"""

import gc
import hashlib
import json
import logging
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice

from django.conf import settings
from django.db import connection

from peninsula.content.models import Article
from peninsula.search.services import document_tokens, document_tokens_remember

from .fetch import fetch
from .images import ImageError, store_image
from .records import RecordError, parse_record, type_name
from .writer import ArticleImporter, ImportResult, LineError

log = logging.getLogger(__name__)
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


class Noted(dict):
    """A mapping its format read only in part (an unreadable date): imported all the same, with
    `warnings` reported under its number, so that nothing is lost silently."""

    def __init__(self, mapping, warnings):
        super().__init__(mapping)
        self.warnings = warnings


class JsonText(str):
    """An item still as the JSON text of one object: parsed where items are prepared, in the
    import's worker process when it has one, so that the writing process does not."""

    def read(self):
        """The mapping (or whatever JSON value) it holds, or the ItemError of invalid JSON."""
        try:
            return json.loads(self)
        except json.JSONDecodeError as error:
            return ItemError(f"invalid JSON: {error.msg} (column {error.colno})")


@dataclass
class Report:
    """What an import did: the writer's counts and errors, and the images it went without."""

    result: ImportResult
    warnings: list = field(default_factory=list)  # LineError: imported, without its image or date
    unit: str = "line"  # what the numbers count: lines of a file, or items of a feed


class ItemPipeline:
    """Feeds numbered mappings to one ArticleImporter, applying the command's options.

    `category` is the 栏目 path for items that carry none; `draft` lands every item as a draft;
    `fetcher` fetches lead images (`ingestion.fetch.fetch` unless a caller must guard it).
    """

    def __init__(self, *, category=None, draft=False, batch_size=500, unit="line", fetcher=fetch):
        self.fetcher = fetcher
        self.importer = ArticleImporter(batch_size=batch_size)
        # What `prepare_item` needs, picklable for a worker process.
        self.options = {
            "category": category,
            "draft": draft,
            "excerpt_length": self.importer.excerpt_length,
        }
        self.report = Report(self.importer.result, unit=unit)
        self._images = {}  # url → image id, or the reason it could not be had

    def add(self, number, item):
        """Check and queue one item: a mapping (or its JsonText), the ItemError its format met,
        or None (a blank line, counted for progress only)."""
        self.take(number, prepare_item(number, item, **self.options))

    def take(self, number, prepared):
        """Queue what `prepare_item` made of an item: a record, a reason it failed, or None."""
        if prepared is None:
            return
        if isinstance(prepared, str):
            self.importer.fail(number, prepared)
            return
        record = prepared
        document_tokens_remember(
            title=record.title,
            summary=record.summary,
            byline=record.byline,
            body=record.body,
            tokens=record.tokens,
        )
        record.tokens = None
        self.report.warnings.extend(LineError(number, warning) for warning in record.warnings)
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


def prepare_item(number, item, *, category, draft, excerpt_length):
    """An item checked and analysed without the database: its ArticleRecord with the fields
    derived from its text and its search tokens, the reason it cannot be imported, or None."""
    if isinstance(item, JsonText):
        item = item.read()
    if item is None:
        return None
    if isinstance(item, ItemError):
        return item.reason
    if not isinstance(item, dict):
        # A JSON Lines line may hold any JSON value; only an object is a record.
        return f"a line must hold a JSON object, not {type_name(item)}"
    warnings = getattr(item, "warnings", [])
    if category and item.get("category") is None:
        item = {**item, "category": category}
    if draft:
        item = {**item, "status": "draft"}
    try:
        record = parse_record(item, line=number)
    except RecordError as error:
        return str(error)
    texts = {
        "summary": record.summary,
        "byline": record.byline,
        "body": record.body,
    }
    record.derived = Article.derived_for(title=record.title, excerpt_length=excerpt_length, **texts)
    record.tokens = document_tokens(title=record.title, **texts)
    record.warnings = warnings
    return record


def _prepare_chunk(chunk, options):
    return [(number, prepare_item(number, item, **options)) for number, item in chunk]


# Items are sent to the worker process in chunks, to spread the cost of passing them; a few
# chunks are kept in flight, so that memory stays bounded whatever the input's length.
CHUNK = 100
AHEAD = 8


def prepared_items(items, options):
    """(number, `prepare_item` outcome) for every item, in order.

    Checking and analysing an item (validation, sanitising, segmenting its text for the
    fingerprint and the search index) costs about as much as writing it and needs no database:
    with PENINSULA_IMPORT_WORKERS, a worker process does it while this one writes, and this one
    prepares chunks itself whenever the worker is behind. Inputs shorter than a chunk, and
    machines with one core, start no process. The worker is forked (it starts in milliseconds,
    the code already loaded) and touches no database connection; it is shut down before this
    returns, whatever happens.
    """
    items = iter(items)
    first = list(islice(items, CHUNK))
    # With one core the worker would only add the cost of passing items to it.
    alone = settings.PENINSULA_IMPORT_WORKERS < 1 or len(os.sched_getaffinity(0)) < 2
    if len(first) < CHUNK or alone:
        yield from _prepare_chunk(first, options)
        for number, item in items:
            yield number, prepare_item(number, item, **options)
        return
    chunks = chain([first], iter(lambda: list(islice(items, CHUNK)), []))
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(settings.PENINSULA_IMPORT_WORKERS, mp_context=context)
    try:
        pending = deque()  # (chunk, the worker's future or the outcomes made here), in order
        for chunk in chunks:
            pending.append((chunk, _submit(pool, chunk, options)))
            while len(pending) >= AHEAD:
                head = pending[0][1]
                if isinstance(head, Future) and not head.done() and len(pending) < 2 * AHEAD:
                    # The worker is behind: this process prepares the next chunk itself.
                    extra = next(chunks, None)
                    if extra is not None:
                        pending.append((extra, _prepare_chunk(extra, options)))
                        continue
                yield from _outcomes(*pending.popleft(), options)
        while pending:
            yield from _outcomes(*pending.popleft(), options)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool, chunk, options):
    try:
        return pool.submit(_prepare_chunk, chunk, options)
    except (BrokenProcessPool, OSError):  # the worker could not start, or died
        return _prepare_chunk(chunk, options)


def _outcomes(chunk, prepared, options):
    if not isinstance(prepared, Future):
        return prepared
    try:
        return prepared.result()
    except BrokenProcessPool:
        # The worker was killed (out of memory, an operator): this process carries on alone.
        log.warning("The import's worker process ended; items are prepared here instead.")
        return _prepare_chunk(chunk, options)


def import_items(items, *, progress=None, **options):
    """Import `(number, mapping or ItemError)` pairs; `progress(1)` is called per item."""
    pipeline = ItemPipeline(**options)
    # The objects of the loaded code (Django, Wagtail, the dictionaries) are set aside from the
    # garbage collector's full passes meanwhile, which otherwise walk them all several times an
    # import; this also keeps the worker's copy of their pages shared with this process.
    gc.freeze()
    try:
        with closing(prepared_items(items, pipeline.options)) as prepared:
            for number, outcome in prepared:
                if progress is not None:
                    progress(1)
                pipeline.take(number, outcome)
        return pipeline.finish()
    finally:
        gc.unfreeze()


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
