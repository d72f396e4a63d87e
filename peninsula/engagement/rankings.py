"""Ranked article lists (点击排行, trending, most liked), precomputed so no request ranks articles.

Definitions (days are calendar days in the site's time zone, TIME_ZONE):
- most_read: all-time views (Article.views);
- trending_24h: views in the rolling last 24 hours: the current clock hour and the 23 before it
  (HourlyStat), not "today and yesterday";
- trending_7d: views on today and the six days before it (DailyStat);
- trending_30d: views on today and the 29 days before it (DailyStat);
- most_liked: all-time likes (Article.likes).
Ties go to the more recently published article. Only Article.objects.published() articles appear,
and a category's list includes its subcategories.

The `refresh_rankings` job computes every list once a minute into the Ranking table (shared by
all web processes). A request reads its process's memo; on a miss it reads its one Ranking row,
and only when the job has never run does it compute that one list. An article's change deletes
the rows and, through the page cache's purge, every process's memo (docs/caching.md).
"""

import logging
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.dispatch import Signal
from django.utils import timezone

from peninsula.content.models import Article, Category
from peninsula.core.memo import Memo

from .models import DailyStat, HourlyStat, Ranking
from .services import hour_start

log = logging.getLogger(__name__)

KINDS = ("most_read", "trending_24h", "trending_7d", "trending_30d", "most_liked")
WINDOW_DAYS = {"trending_7d": 7, "trending_30d": 30}
WINDOW_HOURS = {"trending_24h": 24}
# Hourly rows are kept this long, for the 24-hour window and a margin.
HOURLY_KEPT = timedelta(hours=48)
LIST_LENGTH = 20
# Lists by (kind, category id): how long a worker shows a list before reading the job's newer one.
_memo = Memo(timeout=60, max_entries=4096)
# Sent by the refresh job when the order of some list changed: the page cache purges the
# 排行榜 pages then, and never on a view or like.
rankings_reordered = Signal()


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
    if kind in WINDOW_DAYS or kind in WINDOW_HOURS:
        now = now or timezone.now()
        if kind in WINDOW_HOURS:
            hour = hour_start(now)
            start = hour - timedelta(hours=WINDOW_HOURS[kind] - 1)
            counts = HourlyStat.objects.filter(hour__gte=start, hour__lte=hour)
        else:
            today = timezone.localdate(now)
            start = today - timedelta(days=WINDOW_DAYS[kind] - 1)
            counts = DailyStat.objects.filter(day__gte=start, day__lte=today)
        top = (
            counts.filter(article__in=articles)
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


def _store(computed, now, *, scopes=None):
    """Store the lists (and with `scopes`, drop those of other categories); False, storing
    nothing, when an article they show was edited or taken down since they were computed.

    The shown articles' rows are locked meanwhile (SQLite's IMMEDIATE transactions lock
    everything), so an edit either committed before the check and is seen by it, or commits
    after these rows and its `invalidate()` deletes them.
    """
    shown = {(item["id"], item["title"]) for items in computed.values() for item in items}
    with transaction.atomic():
        current = Article.objects.published().select_for_update()
        current = current.filter(pk__in={pk for pk, _ in shown}).values_list("pk", "title")
        if not shown <= set(current):
            return False
        if scopes is not None:
            Ranking.objects.exclude(category_id__in=scopes).delete()
        for (kind, category_id), items in computed.items():
            Ranking.objects.update_or_create(
                kind=kind,
                category_id=category_id or 0,
                defaults={"items": items, "computed_at": now},
            )
    return True


def get(kind, category_id=None):
    """The precomputed list: the memo, else the Ranking row, else computed now and stored."""
    return _memo.get((kind, category_id or 0), lambda: _load(kind, category_id))


def _load(kind, category_id):
    row = Ranking.objects.filter(kind=kind, category_id=category_id or 0).first()
    if row is not None:
        return row.items
    items = compute(kind, category_id)
    try:
        if not _store({(kind, category_id): items}, timezone.now()):
            items = compute(kind, category_id)  # an article changed meanwhile; it has committed
    except DatabaseError:
        # A page read must not fail for want of this write (SQLite locked past its busy
        # timeout, a read-only replica): the list is shown, the job stores it later.
        log.warning("Ranking %s not stored", kind, exc_info=True)
    return items


def refresh_all(now=None):
    """Recompute every list (site-wide and per category); returns how many were stored."""
    now = now or timezone.now()
    scopes = [None, *Category.objects.values_list("pk", flat=True)]
    computed = {(k, c): compute(k, c, now=now) for c in scopes for k in KINDS}
    before = _orders()
    if not _store(computed, now, scopes=[c or 0 for c in scopes]):
        return 0  # the next run computes them afresh
    _memo.clear()
    HourlyStat.objects.filter(hour__lt=hour_start(now) - HOURLY_KEPT).delete()
    if _orders() != before:
        rankings_reordered.send(sender=Ranking)
    return len(computed)


def _orders():
    """Each stored list's article ids in order: what decides whether the 排行榜 pages changed
    (counts alone move every minute on a busy site and are not worth a purge)."""
    rows = Ranking.objects.values_list("kind", "category_id", "items")
    return {(kind, c): [item["id"] for item in items] for kind, c, items in rows}


def invalidate():
    """After an article changes: drop every list, so none shows a stale title or an unpublished
    article. Other processes forget their memos when the page cache applies the change's purge.
    """
    Ranking.objects.all().delete()
    _memo.clear()
