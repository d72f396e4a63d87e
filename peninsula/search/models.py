"""The search index: one row of pre-segmented tokens per article, keyed for newest-first walks.

The full-text structures over these rows belong to the database in use (migrations 0002 and
0003): on SQLite an FTS5 table whose rowid is `order_key`, kept in step by triggers; on
PostgreSQL generated tsvector columns with GIN indexes beside a btree on `order_key`.
"""

import math
from datetime import UTC, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from peninsula.content.models import Article

# order_key = publication second * 2**ID_BITS + article id: unique because the id is, ordered
# like (published_at, id) to the second, and within a signed 64-bit integer for every second
# from 1900 to 2999 (later or earlier times are clamped; no publication time counts as latest).
ID_BITS = 28
ID_MASK = (1 << ID_BITS) - 1
EARLIEST_SECOND = int(datetime(1900, 1, 1, tzinfo=UTC).timestamp())
LATEST_SECOND = int(datetime(3000, 1, 1, tzinfo=UTC).timestamp())


def order_key(published_at, article_id):
    """The index key of an article: newest first is simply the key descending."""
    if not 0 < article_id <= ID_MASK:
        raise ValueError(f"article id {article_id} does not fit the search index key")
    return key_second(published_at) << ID_BITS | article_id


def key_second(moment):
    """The clamped publication second that leads the key; None sorts after every date."""
    if moment is None:
        return LATEST_SECOND
    return min(max(math.floor(moment.timestamp()), EARLIEST_SECOND), LATEST_SECOND)


def key_range(newest=None, oldest=None):
    """The smallest and largest keys an article published in [oldest, newest] can have."""
    low = key_second(oldest) << ID_BITS if oldest is not None else EARLIEST_SECOND << ID_BITS
    high = key_second(newest) << ID_BITS | ID_MASK
    return low, high


class SearchDocument(models.Model):
    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    order_key = models.BigIntegerField(_("order key"), unique=True)
    title_tokens = models.TextField(_("title tokens"))
    body_tokens = models.TextField(_("body tokens"))
    language = models.CharField(_("language"), max_length=35)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title_tokens[:80]
