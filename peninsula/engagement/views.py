"""The counters' JSON endpoints: one plain function, `counter_answer`, computes every answer from
the WSGI environ, and both the Django views here and the lean WSGI path (`wsgi.py`) adapt it.

Article pages are cached, so these carry no CSRF token; a post from another site is refused by
its Sec-Fetch-Site or Origin header instead (docs/counters.md).
"""

import json
from dataclasses import dataclass

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from peninsula.content.models import MAX_ID, Article, Category
from peninsula.content.tree import category_tree
from peninsula.core.http import public_page
from peninsula.core.jinja2 import render_page
from peninsula.core.net import is_secure

from . import rankings, services, visitors


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: dict
    headers: tuple = ()  # (name, value) pairs beyond the JSON ones, Set-Cookie included


def error(message, status, *headers):
    return Answer(status, {"error": message, "status": status}, headers)


def body_is_valid(body):
    """An empty body, or a JSON object (whose fields are ignored)."""
    body = body.strip()
    if body in (b"", b"{}"):
        return True
    try:
        return isinstance(json.loads(body), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def not_found():
    return error(_("No published article has this id."), 404)


def counter_answer(action, article_id, meta, body=b""):
    """The answer to `action` ("view", "like" or "stats") on an article, from the request's
    WSGI environ (`request.META`) and its body; error messages are lazy, in the active
    language."""
    method = meta.get("REQUEST_METHOD")
    allowed = ("GET", "HEAD") if action == "stats" else ("POST",)
    if method not in allowed:
        verb = "GET" if action == "stats" else "POST"
        return error(_("Use %s.") % verb, 405, ("Allow", ", ".join(allowed)))
    if article_id > MAX_ID or not services.article_is_published(article_id):
        return not_found()
    if method == "POST" and not visitors.is_same_origin_post(meta):
        return error(_("Cross-site posts are not accepted."), 403)
    if method == "POST" and not body_is_valid(body):
        return error(_("The body must be empty or a JSON object."), 400)
    try:
        return _ACTIONS[action](article_id, meta)
    except Article.DoesNotExist:  # deleted since the check above
        return not_found()


def _view(article_id, meta):
    known = visitors.visitor_from(meta)
    visitor = known or visitors.new_visitor()  # its first view starts its reload window too
    if visitors.counts_as_view(meta):
        counts, counted = services.view_admit(
            article_id=article_id, visitor_id=visitor, address=visitors.client_address(meta)
        )
    else:
        counts, counted = services.counts_get(article_id=article_id), False
    return _counts_answer(meta, article_id, counts, known, visitor=visitor, counted=counted)


def _like(article_id, meta):
    wait = services.like_admit(article_id=article_id, address=visitors.client_address(meta))
    if wait is not None:
        message = _("Too many likes from your address; try again later.")
        return error(message, 429, ("Retry-After", str(wait)))
    known = visitors.visitor_from(meta)
    visitor = known or visitors.new_visitor()
    counts, _added = services.like_record(article_id=article_id, visitor_id=visitor)
    return _counts_answer(meta, article_id, counts, known, visitor=visitor, after_like=True)


def _stats(article_id, meta):
    counts = services.counts_get(article_id=article_id)
    return _counts_answer(meta, article_id, counts, visitors.visitor_from(meta))


_ACTIONS = {"view": _view, "like": _like, "stats": _stats}


def _liked_state(meta, article_id, visitor, *, after_like):
    """Whether the visitor liked the article, from the `pl` cookie when it is valid, else from
    the database; and the liked ids to send back in that cookie (None: nothing to send)."""
    if visitor is None:
        return False, None
    if not after_like:
        ids = visitors.liked_from(meta, visitor)
        if ids is not None:
            return article_id in ids, None
    return services.like_state(article_id=article_id, visitor_id=visitor)


def _counts_answer(
    meta, article_id, counts, known, *, visitor=None, after_like=False, counted=True
):
    """The counts, whether this visitor liked the article, and the cookies to set: a new visitor
    cookie with a post that had none, the `pl` cookie when the database answered `liked`."""
    visitor = visitor or known
    # A visitor new with this answer has liked nothing, unless the answer is to its like.
    asker = visitor if known is not None or after_like else None
    liked, liked_ids = _liked_state(meta, article_id, asker, after_like=after_like)
    body = {**counts.as_dict(), "liked": liked}
    if not counted:
        body["counted"] = False
    secure = is_secure(meta)
    cookies = []
    if meta.get("REQUEST_METHOD") == "POST" and (known is None or visitor != known):
        cookies.append(
            visitors.visitor_cookie_header(visitor or visitors.new_visitor(), secure=secure)
        )
    if liked_ids is not None:
        cookies.append(visitors.liked_cookie_header(visitor, liked_ids, secure=secure))
    elif after_like:  # too many likes to carry: a cookie sent before would miss this one
        cookies.append(visitors.liked_cookie_deletion(secure=secure))
    return Answer(200, body, tuple(("Set-Cookie", cookie) for cookie in cookies))


def as_response(answer):
    """The Django response for an answer."""
    response = JsonResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        if name == "Set-Cookie":
            response.cookies.load(value)
        else:
            response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _endpoint(action):
    @csrf_exempt
    def view(request, article_id):
        body = request.body if request.method == "POST" else b""
        return as_response(counter_answer(action, article_id, request.META, body))

    view.__name__ = f"article_{action}"
    return view


article_view = _endpoint("view")
article_like = _endpoint("like")
article_stats = _endpoint("stats")


# The 排行榜 page's lists, in the order shown: the kind and how many articles each shows.
RANKINGS_PAGE = ("trending_24h", "trending_7d", "trending_30d", "most_read", "most_liked")


@public_page
def rankings_page(request, slug=None):
    """排行榜: most read in the last 24 hours, 7 and 30 days and of all time, and most liked,
    for the whole site or one 栏目 (with its subcategories). The lists are the ones the
    refresh_rankings job stores; the page is cached and purged when their order changes."""
    category = get_object_or_404(Category, slug=slug) if slug is not None else None
    tree = category_tree()
    return render_page(
        request,
        "engagement/rankings.html",
        {
            "category": category,
            "kinds": RANKINGS_PAGE,
            "length": rankings.LIST_LENGTH,
            "scopes": [root for root in tree.roots() if root.in_navigation],
        },
    )
