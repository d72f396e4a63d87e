"""Redis going away under a real server, and coming back empty.

While Redis is away pages are rendered from the database (the cache reads as empty), likes
answer 503 with Retry-After, views answer 200 (held in the process, written when Redis is back)
or 503; afterwards the site recovers by itself, no like answered 200 is lost and every view
answered 200 reaches the database.
"""

import shutil

import pytest

from tests.servers import (
    RedisServer,
    Tally,
    assert_counts_kept,
    assert_unavailable,
    read_page,
    server_env,
    wait_for,
)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.fail("The Redis fault test needs redis-server: apt-get install redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


def test_redis_going_away_keeps_reads_and_loses_no_like(
    site_database, redis_server, processes, tmp_path
):
    env = server_env(site_database, workdir=tmp_path, redis_url=redis_server.url)
    server = processes.server(env, workdir=tmp_path).wait_ready()
    processes.scheduler(env, workdir=tmp_path)
    article_id = site_database.seed["articles"][0]
    page = f"/news/{article_id}.html"
    tally = Tally(server.base, article_id)
    for _ in range(5):
        assert tally.like().status == 200
        assert tally.view().status == 200
    assert_counts_kept(site_database, tally)  # the views are flushed into the database

    def cached():
        return read_page(server.base, page).header("x-cache") == "HIT"

    wait_for(cached, timeout=20, what="a cache hit")

    redis_server.kill()
    for _ in range(3):
        for path in (page, "/", "/news/", f"{page}?nocache=1"):
            answer = read_page(server.base, path)
            assert answer.status == 200, (path, answer.status)
        assert "Scale-out article 0" in read_page(server.base, page).text
        assert_unavailable(tally.like(), json_body=True)
        view = tally.view()
        if view.status != 200:
            assert_unavailable(view, json_body=True)

    # Back, empty (no persistence): the site recovers by itself.
    redis_server.start()
    wait_for(lambda: tally.like().status == 200, timeout=30, what="likes to succeed again")
    assert tally.view().status == 200
    wait_for(cached, timeout=30, what="the page cache to serve hits again")
    assert_counts_kept(site_database, tally)
