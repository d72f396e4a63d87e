"""Keyset pagination for lists ordered newest first by (published_at, id).

Why not Django's Paginator: it counts every matching row and reads page N with
OFFSET (N-1)*size, so page 10,000 of a million articles makes the database walk 200,000 rows,
and an article published while a reader goes from page 2 to page 3 pushes one row from page 2
onto page 3, which the reader then sees twice.

The design here:

- The first NUMBERED_PAGES pages can be addressed as `?page=N`, the numbers people and crawlers
  expect. Their OFFSET is bounded by NUMBERED_PAGES * size rows, and one COUNT over at most
  that many rows + 1 tells how many of them exist, so neither grows with the table.
- Moving on is done by cursor, also from numbered pages: "older" is `?before=<key>`, the rows
  strictly older than the last row shown; "newer" is `?after=<key>`, the rows strictly newer
  than the first one. A key is `<microseconds since the epoch>_<id>` of that edge row. The query
  starts a range scan of the (published_at, id) index at the key, as cheap deep in the archive
  as on the front page, and since a page's edge is a row rather than a position, reading on
  never repeats or skips an article however many are published meanwhile. The redundant
  `published_at <= t` bound is there so that the database can seek to the key instead of
  filtering the newer rows one by one.
- A newer-page that reaches the top of the list is shown as page 1, so that it is full.
- Bad input answers 404: `?page=abc`, `?page=0`, a page past the end or past the numbered
  window (deep pages are reached by cursor), a malformed cursor, a cursor with nothing beyond it,
  or a page number together with a cursor.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils.http import urlencode

NUMBERED_PAGES = 10
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_KEY = re.compile(r"(-?\d{1,19})_(\d{1,19})")
_PAGE = re.compile(r"[1-9]\d{0,5}")


def encode_key(published_at, pk):
    return f"{(published_at - EPOCH) // timedelta(microseconds=1)}_{pk}"


def decode_key(value):
    """(published_at, pk) from a cursor; Http404 when it is not one."""
    match = _KEY.fullmatch(value or "")
    if match is None:
        raise Http404("Malformed cursor")
    try:
        published_at = EPOCH + timedelta(microseconds=int(match[1]))
    except OverflowError as exc:
        raise Http404("Cursor out of range") from exc
    return published_at, int(match[2])


DEFAULT_KEY = ("published_at", "pk")


def older_than(queryset, published_at, pk, *, key=DEFAULT_KEY):
    """The rows strictly older than (published_at, pk), newest first."""
    at, id_ = key
    return queryset.filter(
        Q(**{f"{at}__lt": published_at}) | Q(**{at: published_at, f"{id_}__lt": pk}),
        **{f"{at}__lte": published_at},
    ).order_by(f"-{at}", f"-{id_}")


def newer_than(queryset, published_at, pk, *, key=DEFAULT_KEY):
    """The rows strictly newer than (published_at, pk), oldest first."""
    at, id_ = key
    return queryset.filter(
        Q(**{f"{at}__gt": published_at}) | Q(**{at: published_at, f"{id_}__gt": pk}),
        **{f"{at}__gte": published_at},
    ).order_by(at, id_)


@dataclass
class Page:
    items: list
    number: int | None  # None on a page reached by cursor
    page_count: int  # numbered pages that exist, at most NUMBERED_PAGES
    query: str = ""  # this page's own query string, for its canonical URL
    newer_query: str | None = None  # query string of the newer page; "" is the first page
    older_query: str | None = None
    numbers: list = field(default_factory=list)

    @property
    def has_other_pages(self):
        return self.newer_query is not None or self.older_query is not None


class QuerySetRows:
    """The rows `paginate` reads, from a QuerySet: `key` names the fields that order the rows
    newest first, a time equal to the row's `published_at` and an id equal to its `pk`, in
    columns an index can walk. (core.prepared.PreparedListing answers the same four questions
    with queries compiled once per process.)"""

    def __init__(self, queryset, *, key=DEFAULT_KEY):
        self.queryset = queryset.order_by(*(f"-{name}" for name in key))
        self.key = key

    def count(self, limit):
        return self.queryset[:limit].count()

    def page(self, offset, limit):
        return list(self.queryset[offset : offset + limit])

    def older(self, published_at, pk, limit):
        return list(older_than(self.queryset, published_at, pk, key=self.key)[:limit])

    def newer(self, published_at, pk, limit):
        return list(newer_than(self.queryset, published_at, pk, key=self.key)[:limit])


def paginate(rows, params, *, per_page, numbered_pages=NUMBERED_PAGES):
    """The page that `params` (request.GET) asks for of `rows` (a QuerySetRows or a
    PreparedListing's); raises Http404 for bad input."""
    page_value, before, after = params.get("page"), params.get("before"), params.get("after")
    if sum(v is not None for v in (page_value, before, after)) > 1:
        raise Http404("Conflicting page parameters")
    counted = rows.count(numbered_pages * per_page + 1)
    page_count = min(max(1, math.ceil(counted / per_page)), numbered_pages)
    number = None
    if before is not None:
        found = rows.older(*decode_key(before), per_page + 1)
        items, has_older, has_newer = found[:per_page], len(found) > per_page, True
    elif after is not None:
        found = rows.newer(*decode_key(after), per_page + 1)
        if len(found) > per_page:
            items, has_older, has_newer = found[:per_page][::-1], True, True
        else:
            after, number = None, 1
    if before is None and after is None:
        number = _page_number(page_value)
        if number > page_count:
            raise Http404("Page past the end")
        found = rows.page((number - 1) * per_page, per_page + 1)
        items, has_older, has_newer = found[:per_page], len(found) > per_page, number > 1
    if not items and (number or 0) != 1:
        raise Http404("Nothing beyond this cursor")
    page = Page(items=items, number=number, page_count=page_count)
    if before is not None:
        page.query = urlencode({"before": before})
    elif after is not None:
        page.query = urlencode({"after": after})
    elif number > 1:
        page.query = urlencode({"page": number})
    page.numbers = list(range(1, page_count + 1)) if page_count > 1 else []
    if has_newer:
        page.newer_query = _newer_query(number, items)
    if has_older:
        last = items[-1]
        page.older_query = urlencode({"before": encode_key(last.published_at, last.pk)})
    return page


def _page_number(value):
    if value is None:
        return 1
    if _PAGE.fullmatch(value) is None:
        raise Http404("Invalid page number")
    return int(value)


def _newer_query(number, items):
    if number == 2:
        return ""
    first = items[0]
    return urlencode({"after": encode_key(first.published_at, first.pk)})
