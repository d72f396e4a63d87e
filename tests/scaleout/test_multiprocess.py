"""Several app processes on one database (and one Redis): counts stay exact, purges reach all.

Two `peninsula serve --no-scheduler --workers 2` servers and one `peninsula run_scheduler` share
the pass's database kind (a fresh SQLite file, or a fresh PostgreSQL database) and, on the
PostgreSQL + Redis pass, Redis. Without Redis the two servers share the page cache's purge log,
as two servers on one machine do.
"""

import re
from concurrent.futures import ThreadPoolExecutor

from tests.servers import (
    AdminClient,
    manage,
    pass_redis_url,
    post_like,
    post_view,
    read_page,
    server_env,
    wait_for,
)

VIEWS = {0: 300, 1: 100}  # views per seeded article (by position)
LIKES = 80  # likes on the first article, each from a new visitor (no cookie)


def _load(servers, article_ids):
    """Every view and like posted concurrently, alternating between the servers."""
    jobs = [("view", article_ids[n]) for n, count in VIEWS.items() for _ in range(count)]
    jobs += [("like", article_ids[0])] * LIKES
    jobs = [(kind, article_id, servers[i % 2]) for i, (kind, article_id) in enumerate(jobs)]

    def send(job):
        kind, article_id, server = job
        post = post_view if kind == "view" else post_like
        return kind, post(server.base, article_id).status

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(send, jobs))


def _cached(server, path):
    """Request the page until this server answers it from its cache."""
    return wait_for(
        lambda: (r := read_page(server.base, path)).header("x-cache") == "HIT" and r,
        timeout=20,
        what=f"a cache hit for {path}",
    )


def test_two_servers_count_exactly_and_publishing_on_one_purges_the_other(
    site_database, redis_prefix, processes, tmp_path
):
    prefix = redis_prefix
    env = server_env(site_database, workdir=tmp_path, redis_url=pass_redis_url(), prefix=prefix)
    a = processes.server(env, workdir=tmp_path)
    b = processes.server(env, workdir=tmp_path)
    scheduler = processes.scheduler(env, workdir=tmp_path)
    a.wait_ready()
    b.wait_ready()
    ids = site_database.seed["articles"]

    results = _load([a, b], ids)
    assert [status for _, status in results] == [200] * len(results)

    def flushed():
        return all(site_database.article(ids[n])["views"] == c for n, c in VIEWS.items())

    wait_for(flushed, timeout=60, what="the views to reach the database")
    first = site_database.article(ids[0])
    assert (first["views"], first["likes"]) == (VIEWS[0], LIKES)
    assert len(site_database.like_visitors(ids[0])) == LIKES
    assert site_database.daily_totals(ids[0]) == (VIEWS[0], LIKES)
    assert site_database.daily_totals(ids[1]) == (VIEWS[1], 0)
    # Each process caches totals for a moment (docs/counters.md); both soon answer exactly.
    for server in (a, b):

        def answers_exactly(server=server):
            stats = read_page(server.base, f"/api/articles/{ids[0]}/stats").json()
            return (stats["views"], stats["likes"]) == (VIEWS[0], LIKES)

        wait_for(answers_exactly, timeout=15, what=f"exact counts from {server.base}")

    # Publishing an edit through server A's admin purges server B's cached pages.
    article_path = f"/news/{ids[0]}.html"
    old_title = "Scale-out article 0"
    for path in (article_path, "/"):
        assert old_title in _cached(b, path).text
    new_title = f"Edited on server A {prefix}"
    answer = (
        AdminClient(a.base).login().publish(ids[0], site_database.seed["category"], title=new_title)
    )
    assert answer.status == 302, answer.text[:2000]
    assert site_database.article(ids[0])["title"] == new_title

    def b_shows_the_edit():
        pages = [read_page(b.base, p) for p in (article_path, "/") for _ in range(4)]
        return all(p.status == 200 and new_title in p.text for p in pages)

    wait_for(b_shows_the_edit, timeout=5, what="server B to show the edit")
    page = read_page(b.base, article_path).text
    assert old_title not in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]
    # Sidebar lists too: every process forgets them when it applies the purge (docs/caching.md).
    assert old_title not in page

    # Stopped, then flushed once more by hand: nothing was held back or counted twice.
    for process in (a, b, scheduler):
        process.stop()
    manage(env, "flush_counters")
    final = site_database.article(ids[0])
    assert (final["views"], final["likes"]) == (VIEWS[0], LIKES)
    assert site_database.article(ids[1])["views"] == VIEWS[1]
