"""The lean path for view posts: answered before Django's request handling and middleware.

Every article page load posts a view, so this endpoint takes as many requests as the pages
themselves. This WSGI wrapper answers the common case (a same-origin POST to
/api/articles/<id>/view for a published article, with an empty body or a small JSON object) with
the same services the Django view uses, and hands everything else, errors included, to Django,
which answers them the same way. A view costs a dict update under a lock (`buffer.py`): no
database write and no network round trip.
"""

import io
import json
import re

from . import visitors

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


class ViewCounterApp:
    def __init__(self, app):
        self.app = app

    def _is_lean(self, environ):
        if environ.get("REQUEST_METHOD") != "POST" or not visitors.is_same_origin_post(environ):
            return False
        body = _small_body(environ)
        if body is None:
            return False
        from .views import body_is_valid

        return body_is_valid(body)

    def __call__(self, environ, start_response):
        match = VIEW_PATH.match(environ.get("PATH_INFO", ""))
        if match is None or not self._is_lean(environ):
            return self.app(environ, start_response)
        from django.core import signals

        from peninsula.content.models import Article

        from . import services

        article_id = int(match[1])
        # The same signals as Django's handler, so database connections are recycled alike.
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            if not services.article_is_published(article_id):
                return self.app(environ, start_response)
            if visitors.counts_as_view(environ):
                counts = services.view_record(article_id=article_id)
            else:
                counts = services.counts_get(article_id=article_id)
            visitor = visitors.visitor_from(environ)
            liked = services.like_exists(article_id=article_id, visitor_id=visitor)
        except Article.DoesNotExist:  # deleted since the check: Django answers the 404
            return self.app(environ, start_response)
        finally:
            signals.request_finished.send(sender=self.__class__)
        body = json.dumps({**counts.as_dict(), "liked": liked}).encode()
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if visitor is None:
            secure = environ.get("wsgi.url_scheme") == "https"
            cookie = visitors.visitor_cookie_header(visitors.new_visitor(), secure=secure)
            headers.append(("Set-Cookie", cookie))
        start_response("200 OK", headers)
        return [body]
