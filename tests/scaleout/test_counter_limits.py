"""The counting limits are shared by the workers of a server (a file without Redis, Redis with it),
and the count rises by exactly the views answered as counted (docs/counters.md)."""

import os
import time
from concurrent.futures import ThreadPoolExecutor

from tests.servers import (
    manage,
    pass_redis_url,
    post_like,
    post_view,
    server_env,
    wait_for,
)

VIEW_CEILING = 25
LIKE_CAP = 4
POSTS = 240


def test_two_workers_share_the_ceiling_and_the_count_is_exact(
    site_database, redis_prefix, processes, tmp_path
):
    env = server_env(
        site_database,
        workdir=tmp_path,
        redis_url=pass_redis_url(),
        prefix=redis_prefix,
        VIEW_LIMIT_PER_ADDRESS=str(VIEW_CEILING),
        LIKE_LIMIT_PER_ADDRESS=str(LIKE_CAP),
    )
    server = processes.server(env, workdir=tmp_path, workers=2).wait_ready()
    processes.scheduler(env, workdir=tmp_path)  # with Redis, it moves the views to the database
    viewed, liked = site_database.seed["articles"][:2]

    def send(n):
        # No cookies: every post is a new visitor, as a script's are; one address, 127.0.0.1.
        if n % 12 == 0:
            return "like", post_like(server.base, liked)
        return "view", post_view(server.base, viewed)

    # The ceiling is per minute of the clock and the cap per hour: a burst that straddled the end
    # of one would count in two windows. The posts take a few seconds; start them early in one.
    left = 60 - time.time() % 60
    if left < 20:
        time.sleep(left + 0.5)
    # Each request is a new connection, spread by the kernel over both workers' accept queues.
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(send, range(POSTS)))
    views = [a for kind, a in answers if kind == "view"]
    likes = [a for kind, a in answers if kind == "like"]
    assert {a.status for a in views} == {200}
    counted = [a for a in views if a.json().get("counted", True)]
    assert len(counted) == VIEW_CEILING  # per worker, it would be up to twice that
    assert sorted(a.status for a in likes) == [200] * LIKE_CAP + [429] * (len(likes) - LIKE_CAP)

    def written():
        return site_database.article(viewed)["views"] == len(counted)

    wait_for(written, timeout=30, what="the counted views to reach the database")
    server.stop()
    manage(env, "flush_counters")
    assert site_database.article(viewed)["views"] == len(counted)
    assert site_database.article(liked)["likes"] == LIKE_CAP
    if not env.get("REDIS_URL"):
        assert os.path.exists(tmp_path / "counter-limits.sqlite3")  # shared through the file
