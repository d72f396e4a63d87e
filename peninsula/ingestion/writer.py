"""Writing validated records to the database in batches, each record all-or-nothing.

A batch is written in one transaction with bulk inserts. When any part of it fails, the batch
is rolled back and written again one record at a time, each in its own transaction, so that a
bad record is reported and the good ones around it still land. Categories, authors, sources and
tags are looked up once and cached; entries created inside a transaction that rolls back are
forgotten with it. The articles and their derived rows are written by the content app's one
bulk writer, `articles_bulk_write`; see docs/import-format.md.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from taggit.models import Tag

from peninsula.content.models import Article, Author, Source
from peninsula.content.services import ArticleWrite, articles_bulk_write, category_ensure_path
from peninsula.core.text import excerpt_length, free_slug

DEFAULT_LANGUAGE = Article._meta.get_field("language").default


@dataclass(order=True)
class LineError:
    line: int
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)

    @property
    def failed(self):
        return len(self.errors)

    @property
    def ok(self):
        return not self.errors


class _Cache(dict):
    """A name → id map that can forget what was added since the last commit."""

    def __init__(self):
        super().__init__()
        self._fresh = []

    def add(self, key, value):
        self[key] = value
        self._fresh.append(key)

    def commit(self):
        self._fresh.clear()

    def rollback(self):
        for key in self._fresh:
            self.pop(key, None)
        self._fresh.clear()


class ArticleImporter:
    """Collects records into batches and writes them; the outcome is in `result`."""

    def __init__(self, *, batch_size=500):
        self.batch_size = batch_size
        self.result = ImportResult()
        self.excerpt_length = excerpt_length()
        self._pending = []
        self._pending_ids = set()
        self._categories = _Cache()  # path: the leaf category's id
        self._authors = _Cache()
        self._sources = _Cache()
        self._tags = _Cache()
        self._caches = (self._categories, self._authors, self._sources, self._tags)

    def fail(self, line, reason):
        self.result.errors.append(LineError(line, reason))

    def add(self, record):
        # A second record for the same article must see the first one stored.
        if record.external_id is not None and record.external_id in self._pending_ids:
            self.flush()
        self._pending.append(record)
        if record.external_id is not None:
            self._pending_ids.add(record.external_id)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def finish(self):
        self.flush()
        self.result.errors.sort()
        return self.result

    def flush(self):
        records, self._pending, self._pending_ids = self._pending, [], set()
        if not records:
            return
        try:
            with transaction.atomic():
                created, updated = self._write(records)
        except (DatabaseError, ValidationError):
            self._rollback_caches()
            created, updated = [], []
            for record in records:
                try:
                    with transaction.atomic():
                        one_created, one_updated = self._write([record])
                except (DatabaseError, ValidationError) as error:
                    self._rollback_caches()
                    self.fail(record.line, f"could not be stored: {_describe(error)}")
                    continue
                self._commit_caches()
                created += one_created
                updated += one_updated
        self._commit_caches()
        self.result.created += len(created)
        self.result.updated += len(updated)

    def _commit_caches(self):
        for cache in self._caches:
            cache.commit()

    def _rollback_caches(self):
        for cache in self._caches:
            cache.rollback()

    def _write(self, records):
        now = timezone.now()
        with_ids = [r.external_id for r in records if r.external_id is not None]
        existing = {a.external_id: a for a in Article.objects.filter(external_id__in=with_ids)}
        self._resolve_names(records)
        new, updates = [], []
        for record in records:
            article = existing.get(record.external_id)
            if article is None:
                new.append(self._links(record, self._new_values(record, now)))
            else:
                for name, value in {
                    **self._content(record),
                    **self._state(record, now, article),
                }.items():
                    setattr(article, name, value)
                updates.append((record, self._links(record, article)))

        new_ids = articles_bulk_write(
            writes=new + [write for _, write in updates], excerpt_length=self.excerpt_length
        )
        scheduled = [
            pk for write, pk in zip(new, new_ids, strict=True) if write.article["go_live_at"]
        ]
        for article in Article.objects.filter(pk__in=scheduled):
            article.save_revision(approved_go_live_at=article.go_live_at, clean=False)
        for record, write in updates:
            self._finish_update(record, write.article)
        return new_ids, [write.article.pk for _, write in updates]

    def _resolve_names(self, records):
        """Fill the caches for every name the records use, creating what is missing."""
        for record in records:
            if record.category_path not in self._categories:
                leaf = category_ensure_path(path="/".join(record.category_path))
                self._categories.add(record.category_path, leaf.pk)
        self._fill(self._authors, Author, {n for r in records for n in r.authors})
        self._fill(self._sources, Source, {r.source_name for r in records if r.source_name})
        self._fill(self._tags, Tag, {n for r in records for n in r.tags})

    def _fill(self, cache, model, names):
        missing = names.difference(cache)
        if not missing:
            return
        for pk, name in model.objects.filter(name__in=missing).values_list("pk", "name"):
            cache.add(name, pk)
        for name in sorted(missing.difference(cache)):
            cache.add(name, _create_named(model, name).pk)

    def _state(self, record, now, article=None):
        """Publication fields for the record's status, with a future time meaning scheduled."""
        published_at = record.published_at or (article and article.published_at)
        if record.status == "published" and published_at is None:
            published_at = now
        state = {"published_at": published_at, "go_live_at": None}
        if record.status == "draft":
            state.update(live=False, has_unpublished_changes=True)
        elif published_at > now:
            state.update(live=False, has_unpublished_changes=True, go_live_at=published_at)
        else:
            first = article.first_published_at if article is not None else None
            state.update(
                live=True,
                has_unpublished_changes=False,
                first_published_at=min(first, published_at) if first else published_at,
                last_published_at=published_at,
            )
        return state

    def _content(self, record):
        return {
            "title": record.title,
            "body": record.body,
            "summary": record.summary,
            "byline": record.byline,
            "category_id": self._categories[record.category_path],
            "source_id": self._sources[record.source_name] if record.source_name else None,
            "source_url": record.source_url,
            "original_title": record.original_title,
            "original_author": record.original_author,
            "responsible_editor": record.editor,
            "cover_image_id": record.cover_image_id,
            "language": record.language or DEFAULT_LANGUAGE,
        }

    def _new_values(self, record, now):
        return {
            "external_id": record.external_id,
            "views": record.views or 0,
            "likes": record.likes or 0,
            **self._content(record),
            **self._state(record, now),
        }

    def _links(self, record, article):
        return ArticleWrite(
            article,
            tag_ids=[self._tags[name] for name in record.tags],
            author_ids=[self._authors[name] for name in record.authors],
            derived=record.derived,
        )

    def _finish_update(self, record, article):
        """The record's counts, and a revision for the admin of the content just written."""
        counts = {  # a record may carry views and likes; comments are counted from their rows
            name: getattr(record, name, None)
            for name in Article.COUNTER_FIELDS
            if getattr(record, name, None) is not None
        }
        if counts:
            Article.objects.filter(pk=article.pk).update(**counts)
        # An earlier schedule must not publish stale content over this import later on.
        article.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)
        revision = article.save_revision(
            approved_go_live_at=article.go_live_at, changed=not article.live, clean=False
        )
        if article.live:
            Article.objects.filter(pk=article.pk).update(live_revision=revision)


def _create_named(model, name):
    """A new author, source or tag; a name taken meanwhile by another process is read back."""
    try:
        with transaction.atomic():
            if model is Tag:
                return Tag.objects.create(name=name, slug=_free_tag_slug(name))
            return model.objects.create(name=name)
    except IntegrityError:
        return model.objects.get(name=name)


def _free_tag_slug(name):
    """ASCII tag slugs like those of categories and authors (中国 → zhongguo)."""
    return free_slug(Tag.objects.all(), name, fallback="tag")


def _describe(error):
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error) or type(error).__name__
