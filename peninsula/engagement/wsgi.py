"""The lean path for view posts: answered before Django's request handling and middleware.

Every article page load posts a view, so this endpoint takes as many requests as the pages
themselves. This WSGI wrapper answers a same-origin POST to /api/articles/<id>/view with a valid
body by adapting the same `counter_answer` as the Django views, and hands everything else to
Django (docs/counters.md, "The lean path").
"""

import json
import re
from http import HTTPStatus

from django.conf import settings
from django.core import signals
from django.http.cookie import parse_cookie
from django.utils import translation

from peninsula.core.guards import body_too_large_message, read_body
from peninsula.core.site import site_language

from . import services, visitors
from .views import body_is_valid, counter_answer, error

VIEW_PATH = re.compile(r"^/api/articles/([0-9]{1,18})/view$")


class ViewCounterApp:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        match = VIEW_PATH.match(environ.get("PATH_INFO", ""))
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "POST"
            or not visitors.is_same_origin_post(environ)
        ):
            return self.app(environ, start_response)
        try:
            body = read_body(environ, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        except ValueError:  # a Content-Length that is not a number: Django's guard answers
            return self.app(environ, start_response)
        language = site_language(
            parse_cookie(environ.get("HTTP_COOKIE", "")).get(settings.LANGUAGE_COOKIE_NAME)
        )
        if body is None:
            with translation.override(language):
                answer = error(body_too_large_message(), 413)
        elif body_is_valid(body):
            answer = self._answer(int(match[1]), environ, body)
        else:
            return self.app(environ, start_response)
        return self._respond(answer, language, start_response)

    def _answer(self, article_id, environ, body):
        # When the answer will read the database (`liked` without a valid `pl` cookie, a total
        # or a publication state due for a refresh), the same signals as Django's handler, so
        # connections are checked and recycled alike; most answers need none of it.
        visitor = visitors.visitor_from(environ)
        database = (
            visitor is not None and visitors.liked_from(environ, visitor) is None
        ) or services.needs_database(article_id)
        if database:
            signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            return counter_answer("view", article_id, environ, body)
        finally:
            if database:
                signals.request_finished.send(sender=self.__class__)

    def _respond(self, answer, language, start_response):
        """The answer as Django's middleware would send it: its language, `nosniff`."""
        if answer.status == 200:
            content = json.dumps(answer.body).encode()
        else:
            with translation.override(language):
                content = json.dumps(answer.body, default=str).encode()
        status = HTTPStatus(answer.status)
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(content))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Language", language),
            ("Vary", "Cookie"),
            *answer.headers,
        ]
        start_response(f"{status.value} {status.phrase}", headers)
        return [content]
