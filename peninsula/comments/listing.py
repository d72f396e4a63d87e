"""One page of an article's public comments, as the endpoint and the comments page show it."""

import math

from django.utils import timezone

from .models import Comment
from .text import as_html

ORDERS = {"newest": ("-created_at", "-id"), "hottest": ("-upvotes", "-id")}
# Replies shown under one comment at most (the newest ones); the rest is said as a number.
MAX_REPLIES = 50


def _item(row):
    return {
        "id": row["id"],
        "name": row["name"],
        "html": as_html(row["text"]),
        "time": timezone.localtime(row["created_at"]).isoformat(timespec="seconds"),
        "upvotes": row["upvotes"],
        "staff": row["is_staff_reply"],
    }


FIELDS = ("id", "parent_id", "name", "text", "created_at", "upvotes", "is_staff_reply")


def comments_page(article, *, order="newest", page=1, page_size=20):
    """{count, order, page, pages, comments: [{…, replies: […], more_replies}]} or None when
    `page` is past the last page (page 1 always exists)."""
    top = Comment.objects.public().filter(article=article.pk, parent__isnull=True)
    threads = top.count()
    pages = max(1, math.ceil(threads / page_size))
    if page > pages:
        return None
    start = (page - 1) * page_size
    rows = list(top.order_by(*ORDERS[order]).values(*FIELDS)[start : start + page_size])
    items = [_item(row) | {"replies": [], "more_replies": 0} for row in rows]
    by_id = {item["id"]: item for item in items}
    if by_id:
        replies = (
            Comment.objects.public()
            .filter(article=article.pk, parent__in=list(by_id))
            .order_by("created_at", "id")
            .values(*FIELDS)
        )
        for row in replies:
            thread = by_id[row["parent_id"]]
            thread["replies"].append(_item(row))
        for item in items:
            extra = len(item["replies"]) - MAX_REPLIES
            if extra > 0:
                item["replies"] = item["replies"][extra:]
                item["more_replies"] = extra
    return {
        "count": article.comments,
        "order": order,
        "page": page,
        "pages": pages,
        "comments": items,
    }
