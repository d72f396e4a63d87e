"""Counting views and likes: exact under concurrency, with or without Redis.

A view is counted in this process's memory (`buffer.py`) and written in batches, about every
second, by a background thread: without Redis straight into the database (one transaction: the
`F()` updates of the totals and the per-day upserts), with Redis into Redis (one script), from
where `counters_flush` writes them to the database in batches. A like is always written to the
database at once: the Like row is the truth and its counters move in the same transaction.
"""

import time
import uuid
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from peninsula.content.models import Article
from peninsula.core.memo import Memo
from peninsula.core.site import site_defaults

from . import ratelimit, store, visitors
from .buffer import ViewBuffer
from .models import CounterFlush, DailyStat, HourlyStat, Like

# How long a web process trusts what it read about an article's publication state. Changes made
# in this process clear it at once (see signals.py); other processes see them within this time.
PUBLISHED_MEMO_SECONDS = 5.0
# Ids remembered at most: posts to random ids must not grow a worker for good.
PUBLISHED_MEMO_ENTRIES = 4096
_published = Memo(timeout=PUBLISHED_MEMO_SECONDS, max_entries=PUBLISHED_MEMO_ENTRIES)


@dataclass(frozen=True)
class Counts:
    views: int
    likes: int

    def as_dict(self):
        return {"views": self.views, "likes": self.likes}


def _publication_row(article_id):
    return (
        Article.objects.filter(pk=article_id)
        .values_list("live", "published_at", "expire_at", named=True)
        .first()
    )


def article_is_published(article_id):
    """`Article.is_published()` on the three fields it reads, memoised briefly to keep view
    posts cheap."""
    row = _published.get(article_id, lambda: _publication_row(article_id))
    return row is not None and Article.is_published(row)


def published_memo_clear(article_id=None):
    if article_id is None:
        _published.clear()
    else:
        _published.forget(article_id)


def _db_counts(article_id):
    return Article.objects.filter(pk=article_id).values_list("views", "likes").first()


def _redis_counts(article_id, pending, base_v, base_l):
    if base_v is None or base_l is None:
        db = _db_counts(article_id)
        if db is None:
            return None
        base_v, base_l = store.seed(article_id, *db)
    return base_v + pending, base_l


def _totals_read(article_id):
    """An article's totals as every process sees them (without other processes' buffers)."""
    if store.enabled():
        return _redis_counts(article_id, *store.read(article_id))
    return _db_counts(article_id)


def _add_daily(rows):
    """Add (article_id, day, views, likes) rows to DailyStat with one upsert statement."""
    table = connection.ops.quote_name(DailyStat._meta.db_table)
    sql = (
        f"INSERT INTO {table} (article_id, day, views, likes) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT (article_id, day) DO UPDATE SET "
        f"views = {table}.views + excluded.views, likes = {table}.likes + excluded.likes"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(a, d.isoformat(), v, n) for a, d, v, n in rows])


def hour_start(moment):
    """The start of the clock hour (UTC) holding `moment`: the key of HourlyStat rows."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _add_hourly(rows, hour):
    """Add {article_id: views} to the HourlyStat rows of `hour` with one upsert statement."""
    table = connection.ops.quote_name(HourlyStat._meta.db_table)
    sql = (
        f"INSERT INTO {table} (article_id, hour, views) VALUES (%s, %s, %s) "
        f"ON CONFLICT (article_id, hour) DO UPDATE SET views = {table}.views + excluded.views"
    )
    stamp = connection.ops.adapt_datetimefield_value(hour)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(a, stamp, v) for a, v in sorted(rows.items())])


def _totals_of(article_ids):
    rows = Article.objects.filter(pk__in=article_ids).values_list("pk", "views", "likes")
    return {pk: (views, likes) for pk, views, likes in rows}


def _batch_apply(batch_id, batch, article_ids):
    """Add a batch of views ({(article_id, day): views}) to the totals and the daily rows in
    one transaction, once per batch id, and read the totals of `article_ids` in it; returns
    (views this call added, totals). Both storage tiers write through here."""
    if not batch:  # only totals to read: no write transaction (and no SQLite write lock)
        return 0, _totals_of(article_ids)
    per_article = Counter()
    for (article_id, _day), views in batch.items():
        per_article[article_id] += views
    with transaction.atomic():
        try:
            with transaction.atomic():
                CounterFlush.objects.create(batch=batch_id)
        except IntegrityError:  # written by an attempt that reported a failure
            return 0, _totals_of(article_ids)
        # An article deleted since its views were counted takes its counts with it.
        existing = set(Article.objects.filter(pk__in=per_article).values_list("pk", flat=True))
        for article_id in sorted(existing):
            Article.objects.filter(pk=article_id).update(views=F("views") + per_article[article_id])
        _add_daily([(a, d, v, 0) for (a, d), v in batch.items() if a in existing])
        # Filed under the hour the batch is written, within a second or two of the views (the
        # buffer's and the Redis flush's period): the rolling 24 hours need no finer key.
        hourly = {a: v for a, v in per_article.items() if a in existing}
        _add_hourly(hourly, hour_start(timezone.now()))
        CounterFlush.objects.filter(applied_at__lt=timezone.now() - timedelta(days=1)).delete()
        return sum(per_article[a] for a in existing), _totals_of(article_ids)


def _views_write_db(batch_id, batch, article_ids):
    applied, totals = _batch_apply(batch_id, batch, article_ids)
    return applied > 0, totals


def _views_write_redis(batch_id, batch, article_ids):
    """Add a batch of views to Redis's pending counts and read the totals, in one call."""
    applied, rows = store.add_views(batch_id, batch, article_ids)
    totals = {}
    for article_id, (pending, base_v, base_l) in rows.items():
        counts = _redis_counts(article_id, pending, base_v, base_l)
        if counts is not None:
            totals[article_id] = counts
    return applied, totals


def _views_write(batch_id, batch, article_ids):
    if store.enabled():
        return _views_write_redis(batch_id, batch, article_ids)
    return _views_write_db(batch_id, batch, article_ids)


views_buffer = ViewBuffer(write=_views_write, read=_totals_read)


def _counts(values):
    if values is None:
        raise Article.DoesNotExist
    return Counts(*values)


def counts_get(*, article_id):
    """The totals a reader should see: the cached totals plus this process's unwritten views."""
    return _counts(views_buffer.counts(article_id))


_today = (None, None)


def _site_zone():
    return zoneinfo.ZoneInfo(site_defaults().time_zone)


def _local_day(now):
    """The day in the site's time zone (as its requests see it), worked out once per
    wall-clock second on the hot path."""
    global _today
    if now is not None:
        return timezone.localdate(now, _site_zone())
    second = int(time.time())
    if _today[0] != second:
        _today = (second, timezone.localdate(timezone.now(), _site_zone()))
    return _today[1]


def view_record(*, article_id, now=None):
    """Count one view of a published article and return the new totals."""
    return _counts(views_buffer.add(article_id, _local_day(now)))


def needs_database(article_id):
    """Whether answering a view of this article will read the database (or Redis): its
    publication state or its cached totals are due for a refresh."""
    return not _published.is_fresh(article_id) or views_buffer.is_stale(article_id)


def view_admit(*, article_id, visitor_id, address, now=None):
    """Count a reader's view unless a limit refuses it (docs/counters.md): one per visitor per
    article in each reload window, and `PENINSULA_VIEW_LIMIT_PER_ADDRESS` a minute per client
    address per article. Returns the totals and whether this view was counted."""
    rules = []
    if visitor_id and settings.PENINSULA_VIEW_RELOAD_SECONDS:
        reload_rule = f"reload:{visitor_id}:{article_id}"
        rules.append(
            ratelimit.Rule(reload_rule, 1, settings.PENINSULA_VIEW_RELOAD_SECONDS, sliding=True)
        )
    if address and settings.PENINSULA_VIEW_LIMIT_PER_ADDRESS:
        limit = settings.PENINSULA_VIEW_LIMIT_PER_ADDRESS
        rules.append(ratelimit.Rule(f"view:{address}:{article_id}", limit, 60))
    if ratelimit.take(rules) is not None:
        return counts_get(article_id=article_id), False
    return view_record(article_id=article_id, now=now), True


def like_admit(*, article_id, address):
    """None when this address may like the article now, else the seconds to wait: likes per
    address (`PENINSULA_LIKE_RATE`) and likes per address per article an hour
    (`PENINSULA_LIKE_LIMIT_PER_ADDRESS`), shared by every process."""
    limit, period = ratelimit.parse_rate(settings.PENINSULA_LIKE_RATE)
    rules = [ratelimit.Rule(f"like:{address}", limit, period)]
    if settings.PENINSULA_LIKE_LIMIT_PER_ADDRESS:
        per_article = settings.PENINSULA_LIKE_LIMIT_PER_ADDRESS
        rules.append(ratelimit.Rule(f"like:{address}:{article_id}", per_article, 3600))
    refused = ratelimit.take(rules)
    return None if refused is None else refused[1]


def like_record(*, article_id, visitor_id, now=None):
    """Record a visitor's like once; returns (totals, whether this call added the like)."""
    day = timezone.localdate(now or timezone.now())
    try:
        with transaction.atomic():
            Like.objects.create(article_id=article_id, visitor_id=visitor_id)
            Article.objects.filter(pk=article_id).update(likes=F("likes") + 1)
            _add_daily([(article_id, day, 0, 1)])
            likes = Article.objects.filter(pk=article_id).values_list("likes", flat=True).get()
    except IntegrityError:
        return counts_get(article_id=article_id), False
    if store.enabled():
        store.raise_likes(article_id, likes)
    views_buffer.likes_seen(article_id, likes)
    return counts_get(article_id=article_id), True


def like_state(*, article_id, visitor_id):
    """Whether the visitor liked the article, and the ids of all the articles the visitor liked
    for the `pl` cookie (None when there are too many to carry: then a second query answers)."""
    limit = visitors.MAX_LIKED_IN_COOKIE
    ids = list(
        Like.objects.filter(visitor_id=visitor_id).values_list("article_id", flat=True)[: limit + 1]
    )
    if len(ids) > limit:
        return like_exists(article_id=article_id, visitor_id=visitor_id), None
    return article_id in ids, ids


def like_exists(*, article_id, visitor_id):
    """Whether this visitor liked the article: asked on every view by a returning visitor, so
    in plain SQL (the unique index answers it), a twentieth of the ORM's cost."""
    if not visitor_id:
        return False
    quote = connection.ops.quote_name
    sql = (
        f"SELECT 1 FROM {quote(Like._meta.db_table)} "
        f"WHERE {quote('article_id')} = %s AND {quote('visitor_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [article_id, visitor_id])
        return cursor.fetchone() is not None


def counters_flush():
    """Write the views this process holds, then (with Redis) the views accumulated in Redis, to
    the database; returns how many views reached the database.

    One transaction per batch, recorded by its batch id, so a flush that dies after the commit
    and is run again does not add the batch twice.
    """
    written = views_buffer.flush()
    if not store.enabled():
        return written
    return _redis_flush()


def _redis_flush():
    batch_id, fields = store.take_batch(uuid.uuid4().hex)
    if not fields:
        return 0
    batch = {}
    for field, value in fields.items():
        kind, _, rest = field.partition(":")
        if kind == "d":  # the per-day counts; their sums are the `v:` totals
            article_id, _, day = rest.partition(":")
            batch[(int(article_id), date.fromisoformat(day))] = int(value)
    applied, totals = _batch_apply(batch_id, batch, {a for a, _day in batch})
    store.finish_batch(batch_id, totals)
    return applied
