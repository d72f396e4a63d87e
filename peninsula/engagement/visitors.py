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
# The articles a visitor liked, so that a view answers `liked` without reading the database.
LIKED_COOKIE = "pl"
LIKED_SALT = "peninsula.engagement.liked"
MAX_LIKED_IN_COOKIE = 200

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


@lru_cache(maxsize=8)
def _cached_signer(salt, backend, key, fallbacks):
    return signing.get_cookie_signer(salt=salt)


def _signer(name=VISITOR_COOKIE, salt=VISITOR_SALT):
    """One signer per key set: every first view signs a cookie, so building it each time shows."""
    return _cached_signer(
        name + salt,
        settings.SIGNING_BACKEND,
        settings.SECRET_KEY,
        tuple(settings.SECRET_KEY_FALLBACKS),
    )


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


def liked_from(meta, visitor_id):
    """The ids of the articles this visitor liked, from the signed `pl` cookie; None when it is
    missing, altered or another visitor's, and the database must answer."""
    value = parse_cookie(meta.get("HTTP_COOKIE", "")).get(LIKED_COOKIE)
    if not value or not visitor_id:
        return None
    try:
        owner, _, ids = _signer(LIKED_COOKIE, LIKED_SALT).unsign(value).partition(":")
    except signing.BadSignature:
        return None
    if owner != visitor_id:
        return None
    return frozenset(int(article_id) for article_id in ids.split(".") if article_id)


def _cookie_header(name, value, *, secure, max_age=VISITOR_MAX_AGE):
    parts = [f"{name}={value}", f"Max-Age={max_age}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def _liked_value(visitor_id, article_ids):
    ids = ".".join(str(article_id) for article_id in sorted(article_ids))
    return _signer(LIKED_COOKIE, LIKED_SALT).sign(f"{visitor_id}:{ids}")


def visitor_cookie_header(visitor_id, *, secure):
    """A Set-Cookie header value (both layers send the same; docs/counters.md)."""
    return _cookie_header(VISITOR_COOKIE, _signer().sign(visitor_id), secure=secure)


def liked_cookie_header(visitor_id, article_ids, *, secure):
    return _cookie_header(LIKED_COOKIE, _liked_value(visitor_id, article_ids), secure=secure)


def liked_cookie_deletion(*, secure):
    return _cookie_header(LIKED_COOKIE, "", secure=secure, max_age=0)
