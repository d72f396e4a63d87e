"""The client's address behind trusted reverse proxies (one rule for rate limits and login
lockouts), and whether a request came over HTTPS.

X-Forwarded-For is believed only from an address in settings.TRUSTED_PROXIES, and then only its
right-most hop that is not itself a trusted proxy, because a client can write any hops it likes
to the left of the ones our proxies append.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def _trusted_networks(proxies):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address):
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(meta):
    """REMOTE_ADDR, or behind trusted proxies the right-most X-Forwarded-For hop not one of them.

    Takes a WSGI environ (`request.META`), so lean WSGI handlers and Django views agree.
    """
    address = meta.get("REMOTE_ADDR", "")
    if not _is_trusted(address):
        return address
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            return hop
    return hops[0] if hops else address


def client_ip(request):
    """The client address of a Django request; django-axes calls it (AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request.META)


def is_secure(meta):
    """Whether the request came over HTTPS, as Django's `request.is_secure()` decides it
    (SECURE_PROXY_SSL_HEADER behind a TLS proxy, else the WSGI scheme), for layers that answer
    before Django builds a request."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = meta.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return meta.get("wsgi.url_scheme") == "https"
