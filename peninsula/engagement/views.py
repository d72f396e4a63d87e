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


def not_found_message():
    return _("No published article has this id.")


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
                return error(not_found_message(), 404)
            if method == "POST" and not visitors.is_same_origin_post(request.META):
                return error(_("Cross-site posts are not accepted."), 403)
            if method == "POST" and not body_is_valid(request.body):
                return error(_("The body must be empty or a JSON object."), 400)
            try:
                return view(request, article_id)
            except Article.DoesNotExist:  # deleted since the check above
                return error(not_found_message(), 404)

        return csrf_exempt(wrapper)

    return decorator


def liked_state(meta, article_id, visitor, *, after_like=False):
    """Whether the visitor liked the article, from the `pl` cookie when it is valid, else from
    the database; and the liked ids to send back in that cookie (None: nothing to send)."""
    if visitor is None:
        return False, None
    if not after_like:
        ids = visitors.liked_from(meta, visitor)
        if ids is not None:
            return article_id in ids, None
    return services.like_state(article_id=article_id, visitor_id=visitor)


def answer(request, article_id, counts, *, visitor=None, after_like=False):
    """The counts, whether this visitor liked the article, and the cookies to set."""
    known = visitors.visitor_from(request.META)
    visitor = visitor or known
    liked, liked_ids = liked_state(request.META, article_id, visitor, after_like=after_like)
    response = JsonResponse({**counts.as_dict(), "liked": liked})
    response["Cache-Control"] = "no-store"
    secure = request.is_secure()
    if request.method == "POST" and (known is None or visitor != known):
        visitors.set_visitor_cookie(response, visitor or visitors.new_visitor(), secure=secure)
    if liked_ids is not None:
        visitors.set_liked_cookie(response, visitor, liked_ids, secure=secure)
    elif after_like:  # too many likes to carry: a cookie sent before would miss this one
        response.delete_cookie(visitors.LIKED_COOKIE, samesite="Lax")
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
    return answer(request, article_id, counts, visitor=visitor, after_like=True)


@endpoint("GET")
def article_stats(request, article_id):
    return answer(request, article_id, services.counts_get(article_id=article_id))
