"""Collection goals of issue 12, as a table: the JSON Lines import rate with the search index,
a 10 MB WordPress export's import time and peak memory, and one scheduler polling 200 due
sources in a minute while scheduled publishing stays on time.

    python bench/collection_bench.py [--sources 200] [--export-mb 10] [--jsonl 10000]

Everything runs in a temporary folder on a scratch SQLite database; the sources are served
by a local HTTP server on 127.0.0.1 (see docs/benchmarks.md).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "国家统计局今天发布数据显示，前八个月全国规模以上工业增加值同比增长百分之五点八，"
    "高技术制造业增长较快。Shares closed little changed on Friday as traders weighed the "
    "rate decision."
)
CAPTION = '\n\n[caption id="x"]<img src="https://old.binhai.example/a.jpg" alt="图"> 图说[/caption]'
CATEGORIES = [("world", "", "国际"), ("asia", "world", "亚太"), ("business", "", "财经")]
STATUSES = ["publish"] * 8 + ["draft", "future"]


def write_export(path, megabytes):
    """A WXR 1.2 export of about `megabytes` MB: posts of every status, autop paragraphs,
    shortcodes, several categories and tags."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "\n<channel><title>滨海观察</title><link>https://old.binhai.example</link>"
        "<wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:author><wp:author_login><![CDATA[linxy]]></wp:author_login>"
        "<wp:author_display_name><![CDATA[林晓燕]]></wp:author_display_name></wp:author>\n"
        + "".join(
            f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
            f"<wp:category_parent>{parent}</wp:category_parent>"
            f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
            for slug, parent, name in CATEGORIES
        )
    )
    start = datetime(2020, 1, 1, tzinfo=UTC)
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as file:
        file.write(head)
        while size < megabytes * 1024 * 1024:
            n += 1
            status = STATUSES[n % len(STATUSES)]
            when = (
                start
                + timedelta(hours=n)
                + (timedelta(days=3650) if status == "future" else timedelta())
            )
            body = "\n\n".join([PARAGRAPH * 2] * 6) + CAPTION
            item = (
                f"<item><title><![CDATA[报道 {n}]]></title>"
                f"<link>https://old.binhai.example/{when:%Y/%m/%d}/post-{n}/</link>"
                f"<dc:creator><![CDATA[linxy]]></dc:creator>"
                f'<guid isPermaLink="false">https://old.binhai.example/?p={n}</guid>'
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[摘要 {n}]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date_gmt><![CDATA[{when:%Y-%m-%d %H:%M:%S}]]></wp:post_date_gmt>"
                f"<wp:post_name><![CDATA[post-{n}]]></wp:post_name>"
                f"<wp:status><![CDATA[{status}]]></wp:status>"
                f"<wp:post_type><![CDATA[post]]></wp:post_type>"
                f'<category domain="category" nicename="asia"><![CDATA[亚太]]></category>'
                f'<category domain="category" nicename="business"><![CDATA[财经]]></category>'
                f'<category domain="post_tag" nicename="t{n % 50}">'
                f"<![CDATA[标签{n % 50}]]></category>"
                "</item>\n"
            )
            file.write(item)
            size += len(item.encode("utf-8"))
        file.write("</channel></rss>\n")
    return n


def peninsula(env, *args):
    """Run a `peninsula` command; (seconds, peak RSS in MB) of its process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "peninsula", *args], env=env, cwd=ROOT, stdout=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"peninsula {' '.join(args)} failed")
    return elapsed, usage.ru_maxrss / 1024


def jsonl_rate(env, tmp, count):
    """(articles a second, articles a CPU second) of `bench/import_rate.py` on a copy of the
    freshly migrated database."""
    database = tmp / "jsonl.sqlite3"
    shutil.copy(tmp / "bench.sqlite3", database)
    answer = subprocess.run(
        [sys.executable, "bench/import_rate.py", str(count), "--json"],
        env={**env, "DATABASE_URL": f"sqlite:///{database}"},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        check=True,
    )
    figures = json.loads(answer.stdout.splitlines()[-1])
    if figures["failed"]:
        raise SystemExit(f"the JSONL import failed {figures['failed']} articles")
    return figures["created"] / figures["seconds"], figures["created"] / figures["cpu_seconds"]


class Feeds:
    """`count` RSS feeds on 127.0.0.1; each answer carries one new item per minute."""

    def __init__(self, count):
        self.count = count

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/robots.txt":
                    body = b"User-agent: *\nAllow: /\n"
                else:
                    body = feed(self.path.strip("/").removesuffix(".xml")).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        def feed(name):
            minute = int(time.time() // 60)
            items = "".join(
                f"<item><guid>{name}-{m}</guid><title>{name} 第 {m} 条</title>"
                f"<link>https://feeds.example/{name}/{m}</link>"
                f"<description><![CDATA[<p>{name} {m} {PARAGRAPH}</p>]]></description></item>"
                for m in range(minute - 4, minute + 1)
            )
            return (
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>来源 {name}</title>{items}</channel></rss>"
            )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def scheduler_run(sources, seconds=70):
    """Polls in the first minute and the worst lateness of articles scheduled in it."""
    import django

    django.setup()
    from django.utils import timezone

    from peninsula.collection.models import Feed, Poll
    from peninsula.content.models import Article
    from peninsula.content.services import category_ensure_path
    from peninsula.core import scheduler

    feeds = Feeds(sources)
    category = category_ensure_path(path="采集")
    Feed.objects.bulk_create(
        Feed(url=f"{feeds.base}/s{n}.xml", name=f"s{n}", kind="feed", category=category,
             every=1, guarded=False)
        for n in range(sources)
    )  # fmt: skip
    start = timezone.now()
    scheduled = {}
    for n in range(1, 6):
        article = Article(title=f"定时 {n}", body="<p>定时发布</p>", category=category, live=False)
        article.save()
        go_live = start + timedelta(seconds=10 * n)
        article.save_revision(approved_go_live_at=go_live)
        scheduled[article.pk] = go_live
    seen = {}
    clock = time.monotonic()
    longest_tick = 0.0
    while time.monotonic() - clock < seconds:
        tick = time.monotonic()
        scheduler.run_due()
        longest_tick = max(longest_tick, time.monotonic() - tick)
        now = timezone.now()
        for pk in Article.objects.filter(pk__in=scheduled, live=True).values_list("pk", flat=True):
            seen.setdefault(pk, now)
        time.sleep(0.2)
    minute = Poll.objects.filter(started_at__lt=start + timedelta(seconds=60))
    polls = minute.count()
    failed = minute.filter(ok=False).count()
    spans = [(p.started_at, p.started_at + timedelta(seconds=p.seconds)) for p in minute]
    busy = (max(e for _, e in spans) - min(s for s, _ in spans)).total_seconds() if spans else 0
    late = max(
        ((seen.get(pk, timezone.now()) - at).total_seconds() for pk, at in scheduled.items()),
        default=0,
    )
    return polls, failed, busy, late, longest_tick, len(seen) == len(scheduled)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--export-mb", type=int, default=10)
    parser.add_argument("--jsonl", type=int, default=10000, help="articles of the JSONL import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peninsula-collection-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        os.environ["MEDIA_ROOT"] = f"{tmp}/media"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        peninsula(env, "migrate", "--no-input", "-v", "0")
        rate, cpu_rate = jsonl_rate(env, Path(tmp), args.jsonl)
        export = Path(tmp) / "export.xml"
        posts = write_export(export, args.export_mb)
        megabytes = export.stat().st_size / 1024 / 1024
        seconds, rss = peninsula(env, "import", str(export), "--no-progress", "-v", "0")
        one = Path(tmp) / "one.jsonl"
        one.write_text('{"title": "t", "body": "<p>x</p>", "category": "b"}\n', encoding="utf-8")
        _, baseline = peninsula(env, "import", str(one), "--no-progress", "-v", "0")
        polls, failed, busy, late, tick, published = scheduler_run(args.sources)

    rows = [
        ("JSONL import, search indexed", f"{args.jsonl} sample articles",
         f"{rate:.0f}/s ({cpu_rate:.0f} per CPU s)", ">= 2,000/s"),
        ("WordPress export", f"{megabytes:.1f} MB, {posts} posts", f"{seconds:.1f} s", "< 30 s"),
        ("  peak RSS of the import", f"1 line: {baseline:.0f} MB", f"{rss:.0f} MB", "< 300 MB"),
        ("Sources polled in a minute", f"{args.sources} due",
         f"{polls} ({failed} failed) in {busy:.0f} s", f">= {args.sources}"),
        ("  longest scheduler run", "", f"{tick * 1000:.0f} ms", "< 1 s (collection apart)"),
        ("  scheduled publishing", "5 articles", f"{late:.1f} s late at most"
         + ("" if published else ", NOT ALL PUBLISHED"), "<= 15 s (its job's interval)"),
    ]  # fmt: skip
    print(f"\n{'Collection':32} {'input':26} {'measured':26} goal")
    for row in rows:
        print(f"{row[0]:32} {row[1]:26} {row[2]:26} {row[3]}")
    ok = rate >= 2000 and seconds < 30 and rss < 300 and polls >= args.sources and failed == 0
    ok = ok and published and late <= 15 and tick < 1
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
