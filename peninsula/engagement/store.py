"""Where view counts accumulate when Redis is configured, and how they reach the database.

Keys (under the cache key prefix):
- `eng:pending`   hash  `v:<id>` views since the last flush, `d:<id>:<day>` the same per day,
                        added to by each web process's batches (`buffer.py`);
- `eng:batch:<b>` string a web process's batch already added (kept an hour);
- `eng:flushing`  hash  the batch being written to the database (the renamed pending hash),
                        with `_batch` naming it so that a retried flush is recognised;
- `eng:base:<id>` hash  `v`, `l`: the database totals, so an answer needs no database read;
- `eng:lim:<key>` string a limit's count in one window (`ratelimit.py`), expiring with it.
An answer is base + pending + flushing. The flush renames pending to flushing in one atomic
step, writes it to the database in one transaction, then (again atomically) moves the new
totals into base and deletes flushing, so that no count is lost, doubled or hidden.
"""

import math
from functools import lru_cache

import redis
from django.conf import settings

BASE_TTL = 600
# How long Redis remembers a process's batch id, so that a retried batch is not added twice.
BATCH_TTL = 3600

_ADD = """
local applied = 0
if tonumber(ARGV[3]) > 0 and redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[2]) then
  applied = 1
  for i = 4, 3 + 3 * tonumber(ARGV[3]), 3 do
    redis.call('HINCRBY', KEYS[1], 'v:' .. ARGV[i], ARGV[i + 2])
    redis.call('HINCRBY', KEYS[1], 'd:' .. ARGV[i] .. ':' .. ARGV[i + 1], ARGV[i + 2])
  end
end
local out = {applied}
for i = 4 + 3 * tonumber(ARGV[3]), #ARGV do
  local v = redis.call('HGET', KEYS[1], 'v:' .. ARGV[i]) or '0'
  local f = redis.call('HGET', KEYS[2], 'v:' .. ARGV[i]) or '0'
  local b = redis.call('HMGET', ARGV[1] .. ARGV[i], 'v', 'l')
  table.insert(out, {ARGV[i], tonumber(v) + tonumber(f), b[1], b[2]})
end
return out
"""

_READ = """
local v = redis.call('HGET', KEYS[1], 'v:' .. ARGV[1]) or '0'
local f = redis.call('HGET', KEYS[2], 'v:' .. ARGV[1]) or '0'
local b = redis.call('HMGET', KEYS[3], 'v', 'l')
return {tonumber(v) + tonumber(f), b[1], b[2]}
"""

_SEED = """
redis.call('HSETNX', KEYS[1], 'v', ARGV[1])
redis.call('HSETNX', KEYS[1], 'l', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return redis.call('HMGET', KEYS[1], 'v', 'l')
"""

_RAISE_LIKES = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  local l = tonumber(redis.call('HGET', KEYS[1], 'l') or '0')
  if tonumber(ARGV[1]) > l then redis.call('HSET', KEYS[1], 'l', ARGV[1]) end
end
return 1
"""

_TAKE = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], '_batch', ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
"""

_DONE = """
if redis.call('HGET', KEYS[1], '_batch') ~= ARGV[3] then return 0 end
for i = 4, #ARGV, 3 do
  local key = ARGV[1] .. ARGV[i]
  redis.call('HSET', key, 'v', ARGV[i + 1])
  local l = tonumber(redis.call('HGET', key, 'l') or '0')
  if tonumber(ARGV[i + 2]) > l then redis.call('HSET', key, 'l', ARGV[i + 2]) end
  redis.call('EXPIRE', key, ARGV[2])
end
redis.call('DEL', KEYS[1])
return 1
"""


_TAKE_HITS = """
for i = 1, #KEYS do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= tonumber(ARGV[2 * i - 1]) then return i end
end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('EXPIREAT', KEYS[i], ARGV[2 * i])
  end
end
return 0
"""


def enabled():
    return bool(settings.REDIS_URL)


@lru_cache(maxsize=4)
def _client(url):
    return redis.Redis.from_url(url)


def client():
    return _client(settings.REDIS_URL)


def prefix():
    base = settings.CACHES["default"].get("KEY_PREFIX") or "peninsula"
    return f"{base}:eng:"


def keys(article_id=None):
    p = prefix()
    names = {
        "pending": p + "pending",
        "flushing": p + "flushing",
        "base": p + "base:",
        "batch": p + "batch:",
    }
    if article_id is not None:
        names["article"] = f"{p}base:{article_id}"
    return names


@lru_cache(maxsize=16)
def _script(url, source):
    return _client(url).register_script(source)


def _run(source, keys_, args):
    return _script(settings.REDIS_URL, source)(keys=keys_, args=args)


def _decode(value):
    return None if value is None else int(value)


def add_views(batch_id, batch, article_ids):
    """Add a process's batch of views ({(article_id, day): views}) to the pending counts, once
    per batch id; returns whether this call added them, and
    {article_id: (pending views, base views, base likes)} for `article_ids`."""
    k = keys()
    args = [k["base"], BATCH_TTL, len(batch)]
    for (article_id, day), views in batch.items():
        args += [article_id, day.isoformat(), views]
    args += list(article_ids)
    applied, *rows = _run(_ADD, [k["pending"], k["flushing"], k["batch"] + batch_id], args)
    return bool(applied), {int(a): (int(p), _decode(v), _decode(n)) for a, p, v, n in rows}


def take_hits(windows):
    """Count one hit in each (key, limit, window end) unless one is full; returns the index of
    the first full one, or None."""
    p = prefix() + "lim:"
    args = []
    for _key, limit, until in windows:
        args += [limit, math.ceil(until)]
    refused = _run(_TAKE_HITS, [p + key for key, _limit, _until in windows], args)
    return None if refused == 0 else refused - 1


def read(article_id):
    k = keys(article_id)
    pending, base_v, base_l = _run(_READ, [k["pending"], k["flushing"], k["article"]], [article_id])
    return int(pending), _decode(base_v), _decode(base_l)


def seed(article_id, views, likes):
    """Store database totals read by a reader, unless the flush stored fresher ones meanwhile."""
    base_v, base_l = _run(_SEED, [keys(article_id)["article"]], [views, likes, BASE_TTL])
    return int(base_v), int(base_l)


def raise_likes(article_id, likes):
    _run(_RAISE_LIKES, [keys(article_id)["article"]], [likes])


def take_batch(batch):
    """Move the pending counts aside (or return the batch a crashed flush left behind)."""
    k = keys()
    raw = _run(_TAKE, [k["pending"], k["flushing"]], [batch])
    fields = {raw[i].decode(): raw[i + 1].decode() for i in range(0, len(raw), 2)}
    return fields.pop("_batch", batch), fields


def finish_batch(batch, totals):
    """Publish the new database totals and drop the flushed batch, in one atomic step; a batch
    that another flush already finished is left alone, so a newer one is never dropped."""
    k = keys()
    args = [k["base"], BASE_TTL, batch]
    for article_id, (views, likes) in totals.items():
        args += [article_id, views, likes]
    _run(_DONE, [k["flushing"]], args)
