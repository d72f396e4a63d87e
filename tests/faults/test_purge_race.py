"""A page purge racing re-renders in the other worker: no page stored after it shows the old title.

Both workers of one server hold the rankings (点击排行) and the category tree in their memos when
an editor renames an article through one of them, while readers keep missing and re-rendering
the pages that show it. Every page answered after the editor's save, hit or miss, must show the
new title only (docs/caching.md, "What is guaranteed").
"""

import threading
import time
import uuid

from tests.servers import AdminClient, pass_redis_url, read_page, server_env, wait_for

PAGES = ["/", "/news/", "/feeds/rss/"]
OLD_TITLE = "Scale-out article 0"
# Redis delivers a purge to the other worker's memory in well under a millisecond; the purge
# log is read by the very next request.
GRACE = 0.2


def test_a_purge_racing_a_rerender_in_the_other_worker_never_stores_the_old_title(
    site_database, redis_prefix, processes, tmp_path
):
    env = server_env(
        site_database, workdir=tmp_path, redis_url=pass_redis_url(), prefix=redis_prefix
    )
    server = processes.server(env, workdir=tmp_path, workers=2).wait_ready()
    renamed_id = site_database.seed["articles"][0]
    editor = AdminClient(server.base).login()
    # Each worker renders the sidebars and keeps them in its memos.
    for n in range(40):
        for page in ("/", "/news/"):
            assert OLD_TITLE in read_page(server.base, f"{page}?warm={n}").text
    answers, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            for page in PAGES:
                sent = time.monotonic()
                answer = read_page(server.base, page)
                answers.append((sent, page, answer.status, answer.header("x-cache"), answer.text))

    readers = [threading.Thread(target=read) for _ in range(8)]
    for thread in readers:
        thread.start()
    try:
        time.sleep(1)
        new_title = f"Renamed {uuid.uuid4().hex}"
        answer = editor.publish(renamed_id, site_database.seed["category"], title=new_title)
        assert answer.status == 302, answer.text[:2000]
        saved = time.monotonic()
        time.sleep(3)
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=60)

    late = [a for a in answers if a[0] > saved + GRACE]
    assert len(late) > 50, "too few pages read after the save to show anything"
    assert {status for _, _, status, _, _ in answers} == {200}
    stale = [(page, cache) for _, page, _, cache, text in late if OLD_TITLE in text]
    assert stale == [], f"{len(stale)} of {len(late)} pages read after the save show the old title"
    assert all(new_title in text for _, page, _, _, text in late if page != "/feeds/rss/")
    for page in PAGES:
        hit = wait_for(
            lambda page=page: (r := read_page(server.base, page)).header("x-cache") == "HIT" and r,
            timeout=20,
            what=f"a cache hit for {page}",
        )
        assert OLD_TITLE not in hit.text and new_title in hit.text
