"""Guards against hostile requests that would otherwise end in a server error or a misleading
answer: oversized bodies, too many query parameters, writes to read-only pages, and error
answers under /api/ that are not JSON."""

import io

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.static import serve

from .http import is_read_only

COUNTER_PREFIX = "/api/articles/"
API_PREFIX = "/api/"


def read_body(environ, limit):
    """The request body, or None when it is larger than `limit` bytes (declared in
    Content-Length, or found while reading a chunked body, which declares no length).

    What is read is put back as a fresh stream with its Content-Length, so the next reader (the
    lean view path, then Django) reads the same bytes; a chunked body is read at most once.
    """
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        body = environ["wsgi.input"].read(limit + 1)
        if len(body) > limit:
            return None
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["HTTP_TRANSFER_ENCODING"] = "identity"
        return body
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > limit:
        return None
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def body_too_large_message():
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _("The request body is too large (at most %(limit)d bytes).") % {"limit": limit}


def serve_media(request, path):
    """Django's static file view for MEDIA_ROOT (as the settings say at the time of the
    request), with paths the file system refuses (a name longer than it allows, a NUL byte)
    answered 404 like any other missing file instead of a 500."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError) as exc:
        raise Http404("No such file") from exc


def refusal(request, status, message, **headers):
    """JSON under /api/ (in the shape each API uses), a short HTML page elsewhere."""
    if request.path_info.startswith(COUNTER_PREFIX):
        response = JsonResponse({"error": message, "status": status}, status=status)
    elif request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=status)
    else:
        response = HttpResponse(
            f"<!doctype html><meta charset=utf-8><title>{status}</title><h1>{escape(message)}</h1>",
            status=status,
        )
    for name, value in headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


class RequestGuardMiddleware:
    """Refuse what no view should see, before any of them reads the request.

    Django enforces DATA_UPLOAD_MAX_MEMORY_SIZE only when a body is read, as a 400 in HTML,
    and a view that catches every exception (the read API) turns it into a 500; here a declared
    body over the limit is a 413 at once. Multipart uploads (the admin's images) are exempt, as
    Django streams them to files. A chunked body declares no length (Django would read it as
    empty): it is read here up to the limit, refused past it, and handed on otherwise. A write to
    a read-only view (`peninsula.core.http`) is a 405 with a message, before the CSRF check could
    make it a 403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self.check(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self.as_json(request, response)
        return response

    def check(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, 400, _("The Content-Length header is not a number."))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        multipart = request.content_type == "multipart/form-data"
        if limit is not None and length > limit and not multipart:
            return refusal(request, 413, body_too_large_message())
        if (
            limit is not None
            and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        ):
            body = read_body(request.META, limit)
            if body is None:
                return refusal(request, 413, body_too_large_message())
            request._stream = request.META["wsgi.input"]  # built before the body was read here
        try:
            query = request.GET
        except SuspiciousOperation:
            return refusal(request, 400, _("The query string has too many parameters."))
        # No text a reader may send contains NUL; PostgreSQL refuses to store or compare it.
        if "\x00" in request.path_info or any(
            "\x00" in key or "\x00" in value for key, values in query.lists() for value in values
        ):
            return refusal(request, 400, _("The address contains a NUL character."))
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") and is_read_only(view_func):
            return refusal(request, 405, _("This page can only be read."), Allow="GET, HEAD")
        return None

    def as_json(self, request, response):
        reason = response.reason_phrase or _("Request refused")
        try:
            text = response.content.decode()
        except (UnicodeDecodeError, AttributeError):
            text = ""
        message = text.strip() if text and len(text) < 200 and "<" not in text else reason
        refused = refusal(request, response.status_code, message)
        for name in ("Allow", "Retry-After"):
            if response.has_header(name):
                refused[name] = response[name]
        return refused
