"""`make bench`, comments (issue 15): the comments endpoint of an article with 1,000 comments,
cached, as a ratio to nginx's static req/s measured in the same run; the endpoint uncached (one
connection, so p99 is the render, not a queue); and posting a comment through the sensitive-word
filter with a 10,000-word list.

Everything runs on 127.0.0.1 in a temporary folder, with `bench/run.py`'s helpers: a copy of the
database with the demo content, `peninsula serve` (2 workers) and nginx serving the demo
article. Goals: cached ≥ 0.25 of nginx; uncached first page p99 < 20 ms; posting p99 < 20 ms.
Exits 1 when a goal is missed.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from run import (
    BENCH,
    BIN,
    CONNECTIONS,
    DURATION,
    THREADS,
    fetch,
    parse_wrk,
    prepare_database,
    serve,
    serve_static,
    stop_all,
    wrk,
)

COMMENTS = 1000
WORDS = 10_000
POSTS = int(os.environ.get("BENCH_COMMENT_POSTS", "300"))


def seed(article_id):
    """(In a Django process) 1,000 approved comments with replies and 顶 on the article, and a
    10,000-word list (masks, holds and blocks) for the filter."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from peninsula.comments.models import Comment, CommentSettings, Status
    from peninsula.content.models import Article
    from peninsula.screening.models import SensitiveWord
    from peninsula.screening.services import words_changed

    rng = random.Random(15)
    now = timezone.now()
    with transaction.atomic():
        top = Comment.objects.bulk_create(
            Comment(
                article_id=article_id,
                name=f"网友{i}",
                text="说得好，" * rng.randint(1, 20) + f"第{i}条",
                status=Status.APPROVED,
                upvotes=rng.randint(0, 500),
                created_at=now - timezone.timedelta(minutes=COMMENTS - i),
            )
            for i in range(COMMENTS * 4 // 5)
        )
        Comment.objects.bulk_create(
            Comment(
                article_id=article_id,
                parent_id=rng.choice(top).pk,
                name=f"回复者{i}",
                text=f"回复第{i}条",
                status=Status.APPROVED,
                created_at=now,
            )
            for i in range(COMMENTS // 5)
        )
        Article.objects.filter(pk=article_id).update(comments=COMMENTS)
        settings = CommentSettings.load()
        settings.moderation = "post"
        settings.save()
        actions = ["mask", "hold", "block"]
        SensitiveWord.objects.bulk_create(
            SensitiveWord(word=f"禁词{i:05d}甲", action=actions[i % 3]) for i in range(WORDS)
        )
        words_changed()


def latency_wrk(url):
    """One connection for a few seconds: each request's own time."""
    cmd = ["wrk", "-t1", "-c1", f"-d{max(3, DURATION // 2)}s", "--latency", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=DURATION + 60).stdout
    return parse_wrk(out)


def post_latencies(base, article_id):
    """p50 and p99 (ms) of posting comments one after another through the filter."""
    times = []
    rng = random.Random(1)
    for i in range(POSTS):
        text = "这条评论讨论港口建设，" * rng.randint(1, 10) + f"编号{i}"
        body = json.dumps({"name": "压测", "text": text}).encode()
        req = urllib.request.Request(
            f"{base}/comments/{article_id}/post",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=10) as response:
            response.read()
            assert response.status == 201, response.status
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def main():
    tmp = Path(tempfile.mkdtemp(prefix="peninsula-bench-comments-"))
    tmp.chmod(0o755)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "PAGECACHE_DIR": str(tmp / "pagecache"),
        "LOG_LEVEL": "ERROR",
        # One client posts them all: the posting limits are not what is measured.
        "COMMENT_RATE_PER_ADDRESS": "1000000/m",
        "COMMENT_RATE_PER_VISITOR": "1000000/m",
    }
    try:
        print(f"== Comments bench: preparing {tmp}", flush=True)
        demo = prepare_database(tmp, env)
        subprocess.run(
            [BIN / "python", __file__, "--seed", str(demo["id"])],
            env={**env, "PYTHONPATH": str(BENCH.parent)},
            check=True,
            timeout=300,
        )
        log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the temp folder
        _, port = serve(env, log)
        base = f"http://127.0.0.1:{port}"
        _, _, html = fetch(f"{base}{demo['url']}")
        nginx_port = serve_static(tmp, html, log)

        endpoint = f"{base}/api/articles/{demo['id']}/comments"
        _, _, body = fetch(endpoint)  # fills the cache
        first_page = json.loads(body)
        assert first_page["count"] == COMMENTS, first_page["count"]
        print(
            f"== {COMMENTS} comments, first page {len(body)} bytes; wrk {DURATION}s, "
            f"{CONNECTIONS} connections, {THREADS} threads",
            flush=True,
        )
        nginx = wrk(f"http://127.0.0.1:{nginx_port}/article.html")
        time.sleep(1)
        cached = wrk(endpoint)
        time.sleep(1)
        uncached = latency_wrk(endpoint + "?nocache=1")  # not a cacheable query: Django renders
        post_p50, post_p99 = post_latencies(base, demo["id"])

        reference = nginx["rps"]
        rows = [
            ("nginx static copy (reference)", nginx["rps"], nginx["p50"], nginx["p99"]),
            ("comments endpoint, cached", cached["rps"], cached["p50"], cached["p99"]),
            ("comments endpoint, uncached (1 conn)", uncached["rps"], uncached["p50"],
             uncached["p99"]),
            (f"post a comment, {WORDS:,} words", None, post_p50, post_p99),
        ]  # fmt: skip
        print(f"\n{'target':38} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'/nginx':>7}")
        for name, rps, p50, p99 in rows:
            rate = f"{rps:>10.0f}" if rps else f"{'':>10}"
            ratio = f"{rps / reference:>7.3f}" if rps else f"{'':>7}"
            print(f"{name:38} {rate} {p50:>8.2f} {p99:>8.2f} {ratio}")
        goals = [
            ("cached ≥ 0.25 of nginx", cached["rps"] / reference >= 0.25),
            ("uncached first page p99 < 20 ms", uncached["p99"] < 20),
            ("posting p99 < 20 ms", post_p99 < 20),
        ]
        for goal, met in goals:
            print(f"{'met' if met else '!! missed'}: {goal}")
        return 0 if all(met for _, met in goals) else 1
    finally:
        stop_all()
        if os.environ.get("BENCH_KEEP"):
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        seed(int(sys.argv[2]))
        sys.exit(0)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    sys.exit(main())
