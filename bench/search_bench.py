"""Search latency over generated articles: p50 and p99 per query, as a table.

    python bench/search_bench.py [--articles 100000] [--runs 50] [--database-url URL] [--reuse]

It builds a scratch database (a SQLite file under var/bench-search/ unless --database-url
names another, which is emptied first), generates the articles with `peninsula generate_articles`,
then times what the search page does for each query: parse it, count the matches (up to the cap)
and read one page of ranked ids and articles. Some rows add a category filter or read the last
page the cap allows; "1000+" means the count reached the cap.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    ("zh", "朝鲜"),
    ("zh", "美国"),
    ("zh", "峰会"),
    ("zh", "朝鲜无核化谈判"),
    ("zh", "半导体出口"),
    ("zh", '"无核化谈判"'),
    ("en", "talks"),
    ("en", "denuclearization"),
    ("en", "trade agreement Seoul"),
    ("en", '"North Korea"'),
    ("mixed", "特朗普 Kim"),
    ("mixed", "Samsung 半导体"),
    ("none", "不存在的词语"),
    ("rare", "板门店 奥运会 周末"),
    ("filter", "朝鲜 category=culture"),
    ("filter", "talks category=sports"),
    ("deep", "朝鲜 page=50"),
    ("deep", "talks page=50"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true", help="keep an existing scratch database")
    return parser.parse_args()


def setup(args):
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = ROOT / "var" / "bench-search" / f"search-{args.articles}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(args):
    from django.core.management import call_command

    from peninsula.content.models import Article

    if args.database_url and not args.reuse:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    missing = args.articles - Article.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("generate_articles", articles=missing, verbosity=0)
        elapsed = time.perf_counter() - started
        print(f"generated and indexed {missing} articles in {elapsed:.1f} s")


def parse(spec):
    """The query text and its options ("category=slug", "page=n") from one row of QUERIES."""
    words, options = [], {}
    for part in spec.split(" "):
        name, _, value = part.partition("=")
        if value and name in ("category", "page"):
            options[name] = value
        else:
            words.append(part)
    return " ".join(words), options


def time_query(spec, runs):
    from django.conf import settings

    from peninsula.content.models import Category
    from peninsula.search.services import SearchRequest, articles_search

    q, options = parse(spec)
    category = Category.objects.get(slug=options["category"]) if "category" in options else None
    size = settings.PENINSULA_PAGE_SIZE
    offset = (int(options.get("page", 1)) - 1) * size
    timings, count, capped = [], 0, False
    for _ in range(runs + 2):
        started = time.perf_counter()
        _query, results = articles_search(request=SearchRequest(q=q, category=category))
        count = results.count()
        results[offset : offset + size]
        timings.append((time.perf_counter() - started) * 1000)
        capped = results.capped
    timings = sorted(timings[2:])
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    return f"{count}{'+' if capped else ''}", statistics.median(timings), p99


def main():
    args = parse_args()
    setup(args)
    build(args)
    from django.db import connection

    from peninsula.content.models import Article

    total = Article.objects.count()
    print(f"{connection.vendor}, {total} articles, {args.runs} runs per query")
    print(f"{'kind':<6} {'query':<26} {'results':>8} {'p50 ms':>8} {'p99 ms':>8}")
    worst = 0.0
    for kind, q in QUERIES:
        count, p50, p99 = time_query(q, args.runs)
        worst = max(worst, p99)
        print(f"{kind:<6} {q:<26} {count:>8} {p50:>8.1f} {p99:>8.1f}")
    print(f"worst p99: {worst:.1f} ms (goal < 150 ms)")


if __name__ == "__main__":
    main()
