"""Writing validated records to the database in batches, each record all-or-nothing.

A batch is written in one transaction with bulk inserts. When any part of it fails, the batch
is rolled back and written again one record at a time, each in its own transaction, so that a
bad record is reported and the good ones around it still land. Categories, authors, sources and
tags are looked up once and cached; entries created inside a transaction that rolls back are
forgotten with it.

New articles are inserted with `bulk_create`, which sends no `post_save`; after each batch
commits, `peninsula.content.services.articles_imported` is sent with the ids of the articles
the batch created or updated, so that a search index or a page cache can catch up.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone
from taggit.models import Tag

from peninsula.content.models import Article, ArticlePlacement, ArticleTag, Author, Source
from peninsula.content.services import articles_imported, category_ensure_path
from peninsula.core.text import excerpt_length, free_slug, make_excerpt

DEFAULT_LANGUAGE = Article._meta.get_field("language").default
ArticleAuthor = Article.authors.through
# What a record replaces on an existing article; the counters are handled apart.
UPDATED_FIELDS = [
    f.attname
    for f in Article._meta.concrete_fields
    if not f.primary_key and f.name not in Article.COUNTER_FIELDS
]


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
        self._categories = _Cache()  # path: the ids of the leaf and every category above it
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
        ids = created + updated
        if ids:
            transaction.on_commit(lambda: articles_imported.send(sender=Article, ids=ids))

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
                new.append((record, self._new_values(record, now)))
            else:
                updates.append((record, article))

        new_ids = _insert_articles([values for _, values in new], now)
        written = [
            (record, pk, values["published_at"])
            for (record, values), pk in zip(new, new_ids, strict=True)
        ]
        self._write_relations(written)
        self._write_placements(written)
        scheduled = [
            pk for (_, values), pk in zip(new, new_ids, strict=True) if values["go_live_at"]
        ]
        for article in Article.objects.filter(pk__in=scheduled):
            article.save_revision(approved_go_live_at=article.go_live_at, clean=False)
        for record, article in updates:
            self._update_article(record, article, now)
        return new_ids, [a.pk for _, a in updates]

    def _resolve_names(self, records):
        """Fill the caches for every name the records use, creating what is missing."""
        for record in records:
            if record.category_path not in self._categories:
                leaf = category_ensure_path(path="/".join(record.category_path))
                chain = [category.pk for category in leaf.ancestors_and_self]
                self._categories.add(record.category_path, chain[::-1])
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
            "category_id": self._categories[record.category_path][0],
            "source_id": self._sources[record.source_name] if record.source_name else None,
            "source_url": record.source_url,
            "original_title": record.original_title,
            "original_author": record.original_author,
            "responsible_editor": record.editor,
            "cover_image_id": record.cover_image_id,
            "language": record.language or DEFAULT_LANGUAGE,
            "excerpt": make_excerpt(
                record.summary or record.body,
                byline=record.byline,
                length=self.excerpt_length,
                is_summary=bool(record.summary),
            ),
        }

    def _new_values(self, record, now):
        return {
            "external_id": record.external_id,
            "views": record.views or 0,
            "likes": record.likes or 0,
            **self._content(record),
            **self._state(record, now),
        }

    def _write_relations(self, written):
        """Tag and author rows for (record, article id, publication time) triples."""
        # Plain INSERTs: building a model instance per link costs more than the insert itself.
        adapt = connection.ops.adapt_datetimefield_value
        _insert_rows(
            ArticleTag,
            ("content_object", "tag", "published_at"),
            [
                (pk, self._tags[name], adapt(published_at))
                for record, pk, published_at in written
                for name in record.tags
            ],
        )

    def _write_placements(self, written):
        """What `ArticlePlacement.objects.refresh` writes for new articles, from the cached
        category chains rather than a recursive query per batch."""
        adapt = connection.ops.adapt_datetimefield_value
        _insert_rows(
            ArticlePlacement,
            ("category", "article", "published_at"),
            [
                (category_id, pk, adapt(published_at))
                for record, pk, published_at in written
                for category_id in self._categories[record.category_path]
            ],
        )
        _insert_rows(
            ArticleAuthor,
            ("article", "author"),
            [(pk, self._authors[name]) for record, pk, _ in written for name in record.authors],
        )

    def _update_article(self, record, article, now):
        """Replace an article's content with the record's, keeping a revision for the admin."""
        for name, value in {**self._content(record), **self._state(record, now, article)}.items():
            setattr(article, name, value)
        article.save()
        ArticleTag.objects.filter(content_object_id=article.pk).delete()
        ArticleAuthor.objects.filter(article_id=article.pk).delete()
        self._write_relations([(record, article.pk, article.published_at)])
        counts = {
            name: getattr(record, name)
            for name in Article.COUNTER_FIELDS
            if getattr(record, name) is not None
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


def _insert_rows(model, field_names, rows, *, returning=False):
    """INSERT rows of values for the named fields; with `returning`, the new ids in order."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in field_names)
    row_sql = "(" + ", ".join(["%s"] * len(field_names)) + ")"
    if not returning:
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {row_sql}", rows)
        return []
    pk = quote(model._meta.pk.column)
    per_statement = max(1, _max_query_params() // len(field_names))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} "
                f"RETURNING {pk}",
                [value for row in chunk for value in row],
            )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _max_query_params():
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


def _insert_articles(rows, now):
    """Insert new articles from dicts of field values, the others at their defaults.

    Skipping model instances and `bulk_create`'s per-value preparation more than doubles the
    import rate; the values are already validated and only datetimes need adapting.
    """
    if not rows:
        return []
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    defaults["created_at"] = defaults["updated_at"] = now
    columns = [(f.attname, defaults[f.attname], isinstance(f, DateTimeField)) for f in fields]
    # A batch shares `now`, and an article's publication times are mostly one moment.
    adapted = {}

    def adapt(value):
        if value not in adapted:
            adapted[value] = connection.ops.adapt_datetimefield_value(value)
        return adapted[value]

    return _insert_rows(
        Article,
        [f.name for f in fields],
        [
            [
                adapt(value) if is_datetime and value is not None else value
                for name, default, is_datetime in columns
                for value in (row.get(name, default),)
            ]
            for row in rows
        ],
        returning=True,
    )


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
