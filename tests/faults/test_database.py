"""The database locked, or PostgreSQL cutting and refusing connections, under a real server.

Reads keep being served (cached pages always; uncached ones while the database can still be
read), a write that cannot be done answers 503 with Retry-After (never 500), no like answered
with success is lost, and the site recovers by itself when the database is back.
"""

import sqlite3

import pytest

from tests.servers import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    AdminClient,
    Tally,
    assert_counts_kept,
    assert_unavailable,
    on_postgres,
    pass_redis_url,
    read_page,
    server_env,
    wait_for,
)


@pytest.mark.skipif(on_postgres(), reason="SQLite's file lock; the PostgreSQL pass tests below")
def test_a_locked_sqlite_file_keeps_reads_and_answers_writes_503(
    site_database, processes, tmp_path
):
    env = server_env(site_database, workdir=tmp_path)
    server = processes.server(env, workdir=tmp_path).wait_ready()
    article_id = site_database.seed["articles"][0]
    page = f"/news/{article_id}.html"
    tally = Tally(server.base, article_id)
    assert tally.like().status == 200
    assert tally.view().status == 200
    wait_for(
        lambda: read_page(server.base, page).header("x-cache") == "HIT", timeout=20, what="a hit"
    )

    # Another process holds the write lock for longer than the servers' busy timeout (1 s).
    locker = sqlite3.connect(site_database.path, isolation_level=None, timeout=30)
    try:
        locker.execute("BEGIN IMMEDIATE")
        assert read_page(server.base, page).status == 200
        for path in (f"{page}?nocache=1", "/?nocache=1", "/news/?nocache=1"):
            answer = read_page(server.base, path)
            assert answer.status == 200, (path, answer.status)
        assert "Scale-out article 0" in read_page(server.base, f"{page}?nocache=1").text
        for _ in range(3):
            assert_unavailable(tally.like(), json_body=True)
        # Views are counted in each process's memory and written once the lock goes.
        assert all(tally.view().status == 200 for _ in range(5))
        editor = AdminClient(server.base)
        assert editor.get("/admin/login/").status == 200
        signing_in = {"username": ADMIN_USER, "password": ADMIN_PASSWORD}
        assert_unavailable(editor.post("/admin/login/", signing_in), json_body=False)
    finally:
        locker.execute("ROLLBACK")
        locker.close()

    # Released: writes succeed at once, and the views held meanwhile arrive.
    assert tally.like().status == 200
    AdminClient(server.base).login()
    assert len(tally.liked) == 2
    assert_counts_kept(site_database, tally)


@pytest.fixture
def postgres_site(site_database, redis_prefix, tmp_path):
    return server_env(
        site_database, workdir=tmp_path, redis_url=pass_redis_url(), prefix=redis_prefix
    )


@pytest.mark.skipif(not on_postgres(), reason="needs DATABASE_URL on PostgreSQL")
def test_postgresql_cutting_and_refusing_connections(
    site_database, postgres_site, processes, tmp_path
):
    server = processes.server(postgres_site, workdir=tmp_path).wait_ready()
    processes.scheduler(postgres_site, workdir=tmp_path)
    article_id = site_database.seed["articles"][0]
    page = f"/news/{article_id}.html"
    tally = Tally(server.base, article_id)
    for _ in range(6):  # every worker opens its database connection
        assert tally.like().status == 200
        assert tally.view().status == 200
        assert read_page(server.base, f"{page}?nocache=1").status == 200
    wait_for(
        lambda: read_page(server.base, page).header("x-cache") == "HIT", timeout=20, what="a hit"
    )

    # A restart cuts every connection: the next requests reconnect (CONN_HEALTH_CHECKS).
    assert site_database.terminate_connections() > 0
    for _ in range(6):
        assert tally.like().status == 200
        assert tally.view().status == 200
        assert read_page(server.base, f"{page}?nocache=1").status == 200

    # While it is down: cached pages are served, what needs the database answers 503.
    site_database.allow_connections(False)
    try:
        site_database.terminate_connections()
        for _ in range(4):
            assert read_page(server.base, page).status == 200
            assert_unavailable(read_page(server.base, f"{page}?nocache=1"), json_body=False)
            assert_unavailable(tally.like(), json_body=True)
            view = tally.view()
            if view.status != 200:  # 200: counted in memory, written when the database is back
                assert_unavailable(view, json_body=True)
    finally:
        site_database.allow_connections(True)

    # Back: the very next requests succeed, and nothing answered 200 was lost.
    assert tally.like().status == 200
    assert tally.view().status == 200
    assert read_page(server.base, f"{page}?nocache=1").status == 200
    assert_counts_kept(site_database, tally)
