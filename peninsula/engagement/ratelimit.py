"""A fixed-window rate limit in the shared cache (Redis when configured, else per process)."""

import math
import re
import time

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*([smhd])\s*$")


def parse_rate(rate):
    """'30/m' → (30, 60)."""
    match = RATE_RE.match(rate or "")
    if not match:
        raise ValueError(f"A rate looks like '30/m' (count per s, m, h or d), not {rate!r}.")
    return int(match[1]), PERIODS[match[2]]


def retry_after(*, scope, key, rate):
    """Count one hit; None while under the limit, else the seconds until the window ends."""
    limit, period = parse_rate(rate)
    now = time.time()
    cache_key = f"engagement:rate:{scope}:{key}:{int(now // period)}"
    cache.add(cache_key, 0, period + 1)
    try:
        hits = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, period + 1)
        hits = 1
    if hits <= limit:
        return None
    return max(1, math.ceil(period - now % period))
