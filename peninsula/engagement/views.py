"""The counters' JSON endpoints. Article pages are cached, so these carry no CSRF token; a post
from another site is refused by its Sec-Fetch-Site or Origin header instead, and likes are
bound to the signed visitor cookie and rate-limited per client address."""

import json
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from peninsula.content.models import Article

from . import services, visitors
from .ratelimit import retry_after


def error(message, status, **headers):
    response = JsonResponse({"error": message, "status": status}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


def body_is_valid(body):
    """An empty body, or a JSON object (whose fields are ignored)."""
    body = body.strip()
    if body in (b"", b"{}"):
        return True
    try:
        return isinstance(json.loads(body), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def endpoint(method):
    """Answer wrong methods, unknown articles, cross-site posts and bad bodies with JSON errors."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, article_id):
            allowed = ("GET", "HEAD") if method == "GET" else (method,)
            if request.method not in allowed:
                return error(_("Use %s.") % method, 405, Allow=", ".join(allowed))
            if article_id > services.MAX_ID or not services.article_is_published(article_id):
                return error(_("No published article has this id."), 404)
            if method == "POST" and not visitors.is_same_origin_post(request.META):
                return error(_("Cross-site posts are not accepted."), 403)
            if method == "POST" and not body_is_valid(request.body):
                return error(_("The body must be empty or a JSON object."), 400)
            try:
                return view(request, article_id)
            except Article.DoesNotExist:  # deleted since the check above
                return error(_("No published article has this id."), 404)

        return csrf_exempt(wrapper)

    return decorator


def answer(request, article_id, counts, *, visitor=None, liked=None):
    """The counts, whether this visitor liked the article, and a visitor cookie if new."""
    known = visitors.visitor_from(request.META)
    visitor = visitor or known
    if liked is None:
        liked = services.like_exists(article_id=article_id, visitor_id=visitor)
    response = JsonResponse({**counts.as_dict(), "liked": liked})
    response["Cache-Control"] = "no-store"
    if request.method == "POST" and (known is None or visitor != known):
        visitors.set_visitor_cookie(
            response, visitor or visitors.new_visitor(), secure=request.is_secure()
        )
    return response


@endpoint("POST")
def article_view(request, article_id):
    if visitors.counts_as_view(request.META):
        counts = services.view_record(article_id=article_id)
    else:
        counts = services.counts_get(article_id=article_id)
    return answer(request, article_id, counts)


@endpoint("POST")
def article_like(request, article_id):
    wait = retry_after(
        scope="like", key=visitors.client_address(request.META), rate=settings.PENINSULA_LIKE_RATE
    )
    if wait is not None:
        return error(_("Too many likes from your address; try again later."), 429, Retry_After=wait)
    visitor = visitors.visitor_from(request.META) or visitors.new_visitor()
    counts, _added = services.like_record(article_id=article_id, visitor_id=visitor)
    return answer(request, article_id, counts, visitor=visitor, liked=True)


@endpoint("GET")
def article_stats(request, article_id):
    return answer(request, article_id, services.counts_get(article_id=article_id))
