"""Import throughput: generate realistic JSON Lines articles and time their import.

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3
    .venv/bin/peninsula migrate && .venv/bin/python -m peninsula.ingestion.benchmark 20000

`sample_lines` is also what the tests import, so the measured lines are known to be valid.
"""

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

CATEGORIES = [
    "国际/亚太",
    "国际/欧洲",
    "国内/时政",
    "国内/社会",
    "财经/市场",
    "科技/互联网",
    "体育",
    "文化",
]
TAGS = ["朝鲜", "外交", "经济", "AI", "Climate", "Markets", "选举", "Football", "教育", "健康"]
AUTHORS = ["Kim Bo-eun", "李明", "王芳", "Jane Doe", "张伟", "John Smith"]
SOURCES = ["The Korea Times", "新华社", "Reuters", ""]
ZH_SENTENCE = "国家统计局今天发布数据显示，前八个月全国规模以上工业增加值同比增长百分之五点八。"
EN_SENTENCE = (
    "Denuclearization talks between North Korea and the U.S. may gain impetus, "
    "with leaders of the countries engaging in communication."
)


def sample_lines(count, *, seed=1, prefix="bench"):
    """`count` JSON Lines articles, Chinese and English, with tags, authors and sources."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(count):
        english = n % 3 == 0
        sentence = EN_SENTENCE if english else ZH_SENTENCE
        paragraphs = "".join(
            f"<p>{' '.join([sentence] * rng.randint(2, 4))}</p>" for _ in range(rng.randint(4, 10))
        )
        author = rng.choice(AUTHORS)
        record = {
            "external_id": f"{prefix}-{n}",
            "title": f"{'Report' if english else '报道'} {n}",
            "body": f"<p>By {author}</p>{paragraphs}",
            "category": rng.choice(CATEGORIES),
            "tags": rng.sample(TAGS, rng.randint(1, 3)),
            "byline": author,
            "authors": [author],
            "source_name": rng.choice(SOURCES),
            "language": "en" if english else "zh",
            "published_at": (start + timedelta(minutes=n)).isoformat(),
            "status": "published",
            "views": rng.randint(0, 5000),
            "likes": rng.randint(0, 100),
        }
        if not record["source_name"]:
            del record["source_name"]
        yield json.dumps(record, ensure_ascii=False)


def main(argv):
    import argparse

    import django

    parser = argparse.ArgumentParser(description="Measure the JSON Lines import rate.")
    parser.add_argument("count", type=int, nargs="?", default=10000)
    parser.add_argument(
        "--without-receivers",
        action="store_true",
        help="disconnect articles_imported receivers (the search index) to time the import alone",
    )
    options = parser.parse_args(argv[1:])
    django.setup()
    from peninsula.content.services import articles_imported
    from peninsula.ingestion.jsonl import import_jsonl

    if options.without_receivers:
        articles_imported.receivers.clear()
    lines = list(sample_lines(options.count, prefix=f"bench-{time.time_ns()}"))
    started = time.perf_counter()
    result = import_jsonl(lines)
    elapsed = time.perf_counter() - started
    print(
        f"{result.created} created, {result.failed} failed in {elapsed:.2f} s: "
        f"{result.created / elapsed:.0f} articles/second"
    )


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    main(sys.argv)
