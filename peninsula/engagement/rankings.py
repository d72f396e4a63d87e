"""Ranked article lists (点击排行, trending, most liked), precomputed so no request ranks articles.

Definitions (days are calendar days in the site's time zone, TIME_ZONE):
- most_read: all-time views (Article.views);
- trending_24h: views on today and yesterday (DailyStat), so between 24 and 48 hours of views;
- trending_7d: views on today and the six days before it;
- most_liked: all-time likes (Article.likes).
Ties go to the more recently published article. Only Article.objects.published() articles appear,
and a category's list includes its subcategories.

The `refresh_rankings` job computes every list once a minute into the Ranking table (shared by
all web processes) and the cache. A request reads the cache; on a miss it reads its one Ranking
row, and only when the job has never run does it compute that one list.
"""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.utils import timezone

from peninsula.content.models import Article, Category

from .models import DailyStat, Ranking

log = logging.getLogger(__name__)

KINDS = ("most_read", "trending_24h", "trending_7d", "most_liked")
WINDOW_DAYS = {"trending_24h": 2, "trending_7d": 7}
LIST_LENGTH = 20
CACHE_TIMEOUT = 60
GENERATION_KEY = "engagement:ranking:generation"


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = int(timezone.now().timestamp() * 1000)
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def cache_key(kind, category_id):
    return f"engagement:ranking:{_generation()}:{kind}:{category_id or 0}"


def _items(articles, scores):
    return [
        {"id": a.pk, "title": a.title, "url": a.get_absolute_url(), "count": scores[a.pk]}
        for a in articles
    ]


def compute(kind, category_id=None, *, length=LIST_LENGTH, now=None):
    """The top published articles for one kind and scope, as dicts a template can render."""
    if kind not in KINDS:
        raise ValueError(f"Unknown ranking kind {kind!r}; choose one of {', '.join(KINDS)}.")
    articles = Article.objects.published().select_related("category")
    articles = articles.only("id", "title", "published_at", "views", "likes", "category__slug")
    if category_id:
        articles = articles.in_category(Category.objects.get(pk=category_id))
    if kind in WINDOW_DAYS:
        today = timezone.localdate(now or timezone.now())
        start = today - timedelta(days=WINDOW_DAYS[kind] - 1)
        top = (
            DailyStat.objects.filter(day__gte=start, day__lte=today, article__in=articles)
            .values("article_id")
            .annotate(score=Sum("views"))
            .filter(score__gt=0)
            .order_by("-score", "-article__published_at", "-article_id")[:length]
        )
        scores = {row["article_id"]: row["score"] for row in top}
        by_id = articles.in_bulk(list(scores))
        return _items([by_id[pk] for pk in scores if pk in by_id], scores)
    field = "likes" if kind == "most_liked" else "views"
    top = list(articles.order_by(f"-{field}", "-published_at", "-id")[:length])
    return _items(top, {a.pk: getattr(a, field) for a in top})


def _store(kind, category_id, items, now):
    Ranking.objects.update_or_create(
        kind=kind, category_id=category_id or 0, defaults={"items": items, "computed_at": now}
    )


def get(kind, category_id=None):
    """The precomputed list: the cache, else the Ranking row, else computed now and stored."""
    key = cache_key(kind, category_id)
    items = cache.get(key)
    if items is None:
        row = Ranking.objects.filter(kind=kind, category_id=category_id or 0).first()
        if row is None:
            items = compute(kind, category_id)
            try:
                _store(kind, category_id, items, timezone.now())
            except DatabaseError:
                # A page read must not fail for want of this write (SQLite locked past its busy
                # timeout, a read-only replica): the list is shown, the job stores it later.
                log.warning("Ranking %s not stored", kind, exc_info=True)
        else:
            items = row.items
        cache.set(key, items, CACHE_TIMEOUT)
    return items


def refresh_all(now=None):
    """Recompute every list (site-wide and per category); returns how many."""
    now = now or timezone.now()
    generation = _generation()
    scopes = [None, *Category.objects.values_list("pk", flat=True)]
    computed = {(k, c): compute(k, c, now=now) for c in scopes for k in KINDS}
    with transaction.atomic():
        Ranking.objects.exclude(category_id__in=[c or 0 for c in scopes]).delete()
        for (kind, category_id), items in computed.items():
            _store(kind, category_id, items, now)
        if cache.get(GENERATION_KEY) != generation:
            # An article changed while the lists were computed: they may show its old title or
            # show it unpublished. Store nothing; the next run computes them afresh.
            transaction.set_rollback(True)
            return 0
    cache.set_many({cache_key(k, c): items for (k, c), items in computed.items()}, CACHE_TIMEOUT)
    return len(computed)


def invalidate():
    """After an article changes: drop every list, so none shows a stale title or an unpublished
    article (processes with their own in-memory cache see it within CACHE_TIMEOUT). The
    generation moves first, so a `refresh_all` computing meanwhile notices and stores nothing."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        _generation()
    Ranking.objects.all().delete()
