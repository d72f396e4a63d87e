"""The lean path for view posts: answered before Django's request handling and middleware.

Every article page load posts a view, so this endpoint takes as many requests as the pages
themselves. This WSGI wrapper answers the common case (a same-origin POST to
/api/articles/<id>/view, with an empty body or a small JSON object) with the same services the
Django view uses, answering the 404 of an unpublished id as Django does, and hands everything
else (other errors included) to Django. A view costs a dict update under a lock (`buffer.py`): no
database write and, once a returning visitor carries the `pl` cookie, no read.
"""

import io
import json
import re

from django.conf import settings
from django.core import signals
from django.http.cookie import parse_cookie
from django.utils import translation

from peninsula.content.models import Article
from peninsula.core.site import site_defaults

from . import services, visitors
from .views import body_is_valid, not_found_message

VIEW_PATH = re.compile(r"^/api/articles/([0-9]{1,18})/view$")
# Larger bodies are left to Django, which reads and checks them the same way.
MAX_LEAN_BODY = 1024


def _small_body(environ):
    """The request body when it is small enough to check here, else None.

    What is read is put back as a fresh stream, so Django can read it when the request goes on.
    """
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", ""):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length == 0:
        return b""
    if not 0 < length <= MAX_LEAN_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _language(environ):
    """The reader's chosen language (the language cookie), else the site's, as Django's
    SiteLanguageMiddleware decides."""
    chosen = parse_cookie(environ.get("HTTP_COOKIE", "")).get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return site_defaults().language


def _not_found(environ, start_response):
    """Django's 404 answer for an id that is not published, without Django's request handling
    (pages cached before an article was unpublished keep posting views)."""
    with translation.override(_language(environ)):
        body = json.dumps({"error": not_found_message(), "status": 404}).encode()
        language = translation.get_language()
    start_response(
        "404 Not Found",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Language", language),
            ("Vary", "Cookie"),
        ],
    )
    return [body]


class ViewCounterApp:
    def __init__(self, app):
        self.app = app

    def _is_lean(self, environ):
        if environ.get("REQUEST_METHOD") != "POST" or not visitors.is_same_origin_post(environ):
            return False
        body = _small_body(environ)
        return body is not None and body_is_valid(body)

    def __call__(self, environ, start_response):
        match = VIEW_PATH.match(environ.get("PATH_INFO", ""))
        if match is None or not self._is_lean(environ):
            return self.app(environ, start_response)
        article_id = int(match[1])
        visitor = visitors.visitor_from(environ)
        liked_ids = visitors.liked_from(environ, visitor)
        # When the answer will read the database (`liked` without a valid `pl` cookie, a total
        # or a publication state due for a refresh), the same signals as Django's handler, so
        # connections are checked and recycled alike; most answers need none of it.
        needs_likes = visitor is not None and liked_ids is None
        database = needs_likes or services.needs_database(article_id)
        if database:
            signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            if not services.article_is_published(article_id):
                return _not_found(environ, start_response)
            if visitors.counts_as_view(environ):
                counts = services.view_record(article_id=article_id)
            else:
                counts = services.counts_get(article_id=article_id)
            if liked_ids is not None:
                liked, liked_ids = article_id in liked_ids, None
            elif visitor is None:
                liked = False
            else:
                liked, liked_ids = services.like_state(article_id=article_id, visitor_id=visitor)
        except Article.DoesNotExist:  # deleted since the check
            return _not_found(environ, start_response)
        finally:
            if database:
                signals.request_finished.send(sender=self.__class__)
        body = json.dumps({**counts.as_dict(), "liked": liked}).encode()
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        secure = environ.get("wsgi.url_scheme") == "https"
        if visitor is None:
            cookie = visitors.visitor_cookie_header(visitors.new_visitor(), secure=secure)
            headers.append(("Set-Cookie", cookie))
        elif liked_ids is not None:
            cookie = visitors.liked_cookie_header(visitor, liked_ids, secure=secure)
            headers.append(("Set-Cookie", cookie))
        start_response("200 OK", headers)
        return [body]
