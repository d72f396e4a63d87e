"""Who is asking: the client address, the visitor cookie, crawlers, prefetches and cross-site posts.

Each function reads a WSGI environ (`request.META` in a Django view), so the lean WSGI path and
the Django views decide the same way.
"""

import secrets
from functools import lru_cache
from urllib.parse import urlsplit

import crawleruseragents
from django.conf import settings
from django.core import signing
from django.http.cookie import parse_cookie

from peninsula.core.net import client_address as client_address  # one rule, shared with axes

VISITOR_COOKIE = "pv"
VISITOR_SALT = "peninsula.engagement.visitor"
VISITOR_MAX_AGE = 2 * 365 * 24 * 3600

# AI and answer-engine crawlers missing from crawler-user-agents 1.67; matched case-insensitively.
EXTRA_CRAWLER_TOKENS = (
    "perplexitybot",
    "meta-externalagent",
    "meta-externalfetcher",
    "diffbot",
    "omgilibot",
    "omgili",
    "webzio-extended",
    "friendlycrawler",
    "iaskspider",
    "novaact",
    "ai2bot",
    "panscient",
    "quillbot",
)


@lru_cache(maxsize=4096)
def is_crawler(user_agent):
    """Known bots (the crawler-user-agents list plus AI crawlers); no user agent counts as a bot."""
    if not user_agent.strip():
        return True
    lowered = user_agent.lower()
    if any(token in lowered for token in EXTRA_CRAWLER_TOKENS):
        return True
    return crawleruseragents.is_crawler(user_agent)


def is_prefetch(meta):
    """Speculative loads (link prefetch, prerender) that a person may never see."""
    purpose = " ".join(
        meta.get(key, "")
        for key in ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
    ).lower()
    return "prefetch" in purpose or "prerender" in purpose or "preview" in purpose


def counts_as_view(meta):
    return not is_prefetch(meta) and not is_crawler(meta.get("HTTP_USER_AGENT", ""))


def is_same_origin_post(meta):
    """Browsers say where a post comes from; refuse one from another site, allow header-less
    clients (curl, server-to-server), which the rate limit and the visitor cookie still govern."""
    fetch_site = meta.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = meta.get("HTTP_ORIGIN")
    if not origin:
        return True
    host = meta.get("HTTP_HOST") or meta.get("SERVER_NAME", "")
    parts = urlsplit(origin)
    return parts.netloc == host or origin in settings.CSRF_TRUSTED_ORIGINS


def _signer():
    return signing.get_cookie_signer(salt=VISITOR_COOKIE + VISITOR_SALT)


def visitor_from(meta):
    """The visitor id from a valid signed cookie, or None."""
    value = parse_cookie(meta.get("HTTP_COOKIE", "")).get(VISITOR_COOKIE)
    if not value:
        return None
    try:
        return _signer().unsign(value, max_age=VISITOR_MAX_AGE)
    except signing.BadSignature:
        return None


def new_visitor():
    return secrets.token_hex(16)


def visitor_cookie_header(visitor_id, *, secure):
    """A Set-Cookie header value, for the lean path that has no Django response object."""
    parts = [
        f"{VISITOR_COOKIE}={_signer().sign(visitor_id)}",
        f"Max-Age={VISITOR_MAX_AGE}",
        "Path=/",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def set_visitor_cookie(response, visitor_id, *, secure):
    response.set_cookie(
        VISITOR_COOKIE,
        _signer().sign(visitor_id),
        max_age=VISITOR_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )
