"""A server killed with SIGKILL while likes and an admin publish are in flight.

Every like answered 2xx is in the database with its counters, the published edit is either
wholly there or wholly absent (never half-written), and a new server serves what is stored.
"""

import signal
import threading
import uuid

from tests.servers import (
    AdminClient,
    Tally,
    pass_redis_url,
    read_page,
    server_env,
    wait_for,
)


def test_sigkill_during_likes_and_a_publish_loses_nothing_answered(
    site_database, redis_prefix, processes, tmp_path
):
    env = server_env(
        site_database, workdir=tmp_path, redis_url=pass_redis_url(), prefix=redis_prefix
    )
    server = processes.server(env, workdir=tmp_path).wait_ready()
    liked_id, edited_id = site_database.seed["articles"][:2]
    before = site_database.article(edited_id)
    editor = AdminClient(server.base).login()
    tally = Tally(server.base, liked_id)
    stop = threading.Event()

    def storm():
        while not stop.is_set():
            tally.like()

    token = uuid.uuid4().hex
    new_title = f"Published as the server died {token}"
    published = {}

    def publish():
        published["answer"] = editor.publish(
            edited_id,
            site_database.seed["category"],
            title=new_title,
            body=f"<p>Body written with the title {token}.</p>",
        )

    likers = [threading.Thread(target=storm) for _ in range(6)]
    for thread in likers:
        thread.start()
    try:
        wait_for(lambda: len(tally.liked) >= 20, timeout=60, what="likes to be answered")
        publisher = threading.Thread(target=publish)
        publisher.start()
        answered = len(tally.liked)
        wait_for(
            lambda: len(tally.liked) >= answered + 10 or "answer" in published,
            timeout=60,
            what="more likes during the publish",
        )
        server.kill(signal.SIGKILL)
    finally:
        stop.set()
        for thread in likers:
            thread.join(timeout=60)
    publisher.join(timeout=60)
    assert not server.alive() or server.process.wait(timeout=10) == -signal.SIGKILL

    stored = site_database.like_visitors(liked_id)
    assert tally.liked <= stored
    assert site_database.article(liked_id)["likes"] == len(stored)
    assert site_database.daily_totals(liked_id)[1] == len(stored)

    # The live article is one whole version, and what it shows is its live revision.
    after = site_database.article(edited_id)
    if after["title"] == new_title:
        assert token in after["body"]
        assert after["revision"] != before["revision"]
    else:
        assert published.get("answer") is None or published["answer"].status != 302
        assert (after["title"], after["body"], after["revision"], after["live"]) == (
            before["title"], before["body"], before["revision"], before["live"]
        )  # fmt: skip
        if after["has_unpublished_changes"]:
            # Killed between saving the revision and publishing it: the edit is kept whole as
            # a draft for the editor to publish again.
            draft = site_database.revision(after["latest_revision"])
            assert draft["title"] == new_title
            assert token in draft["body"]
    assert site_database.revision(after["revision"])["title"] == after["title"]

    # A new server on the same database serves what is stored and takes likes again.
    server = processes.server(env, workdir=tmp_path).wait_ready()
    answer = read_page(server.base, f"/news/{edited_id}.html")
    assert answer.status == 200
    if published.get("answer") is not None and published["answer"].status == 302:
        assert new_title in answer.text
    assert Tally(server.base, liked_id).like().status == 200
