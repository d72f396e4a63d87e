"""`make bench-scale`: reader page and search latencies at 100,000 and 1,000,000 articles.

    python bench/scale.py [--sizes 100000,1000000] [--pg-sizes 100000,1000000]
                          [--backends sqlite,postgresql] [--requests 200] [--rebuild]

For each database (SQLite files under var/bench-scale/, PostgreSQL databases peninsula_scale_100k
and peninsula_scale_1m on 127.0.0.1:5432) it builds the articles once, or reuses a build whose
marker file says it holds the same articles on the same migrations. A build writes straight into
the tables: big transactions, the secondary indexes dropped during the load and made afresh
after it, PRAGMAs for the build on SQLite and COPY on PostgreSQL. The search index rows are made
with the search app's own analysis and order key, and SQLite's FTS5 triggers fill its table.

Each measurement runs in a fresh process with the Django test client: no page cache, a local
memory cache, every URL kind warmed first, then `--requests` timed requests per kind spread over
articles, categories, tags and queries. "Category page 10,000" is the page a reader reaches by
following the "older" cursor 9,999 times: the `?before=` cursor of the 199,980th newest article of
a big category, so the page lists its 199,981st to 200,000th (or the category's last page when it
holds fewer). The JSON Lines import rate is measured on a fresh SQLite file, with the search index
receiver (end to end) and without it.
"""

import argparse
import bisect
import functools
import itertools
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-scale"
PYTHON = sys.executable
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_NAMES = {100_000: "peninsula_scale_100k", 1_000_000: "peninsula_scale_1m"}
# Bump when the generated data changes, so that old builds are not reused.
GENERATOR_VERSION = 4
SEED = 20240601
SPAN_DAYS = 3650
PAGE_DEEP = 10_000
GOAL_P99_MS = 50
GOAL_SEARCH_P99_MS = 150
GOAL_GROWTH = 1.5
IMPORT_GOAL = 2000

# (slug, name, share of the articles, [(slug, name), ...] subcategories)
CATEGORIES = [
    (
        "world",
        "国际",
        30,
        [("asia", "亚太"), ("europe", "欧洲"), ("americas", "美洲"), ("mideast", "中东")],
    ),
    ("peninsula", "朝鲜半岛", 20, [("dprk", "朝鲜"), ("rok", "韩国")]),
    ("china", "国内", 15, [("politics", "时政"), ("society", "社会")]),
    ("business", "财经", 12, [("markets", "市场"), ("companies", "公司")]),
    ("tech", "科技", 10, [("internet", "互联网"), ("ai", "人工智能")]),
    ("culture", "文化", 5, []),
    ("sports", "体育", 5, []),
    ("products", "产品中心", 3, []),
]
SEARCH_QUERIES = [
    "朝鲜",
    "美国",
    "峰会",
    "朝鲜无核化谈判",
    "半导体出口",
    '"无核化谈判"',
    "talks",
    "denuclearization",
    "trade agreement Seoul",
    '"North Korea"',
    "特朗普 Kim",
    "Samsung 半导体",
    "不存在的词语",
]
KINDS = [
    ("article", "article page (uncached)"),
    ("category_1", "category page 1"),
    ("category_deep", "category page 10,000"),
    ("tag", "tag page"),
    ("home", "home page"),
    ("search", "search"),
]


# ---------------------------------------------------------------------------------------------
# Orchestration (no Django in this process)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="SQLite article counts")
    parser.add_argument("--pg-sizes", default="100000,1000000", help="PostgreSQL article counts")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page kind")
    parser.add_argument("--import-count", type=int, default=10_000)
    parser.add_argument("--rebuild", action="store_true", help="build even when a build matches")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--only-build", action="store_true")
    return parser.parse_args()


def sizes(value):
    return [int(v) for v in value.split(",") if v.strip()]


def size_label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def targets(args):
    backends = [b.strip() for b in args.backends.split(",")]
    found = []
    if "sqlite" in backends:
        for n in sizes(args.sizes):
            found.append(("sqlite", n, f"sqlite:///{VAR / f'scale-{size_label(n)}.sqlite3'}"))
    if "postgresql" in backends:
        for n in sizes(args.pg_sizes):
            name = PG_NAMES.get(n, f"peninsula_scale_{size_label(n).lower()}")
            found.append(("postgresql", n, f"{PG_SERVER}/{name}"))
    return found


def child_env(url):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        PAGECACHE="0",
        DEBUG="0",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_child(args, url, *, capture=False):
    cmd = [PYTHON, str(Path(__file__).resolve()), *args]
    result = subprocess.run(
        cmd, env=child_env(url), cwd=ROOT, text=True, stdout=subprocess.PIPE if capture else None
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:1])} failed for {url} (exit {result.returncode})")
    return result.stdout


def loadavg():
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def marker_path(backend, n):
    return VAR / f"{backend}-{size_label(n)}.json"


def build_spec(n):
    return {"articles": n, "generator": GENERATOR_VERSION, "seed": SEED}


def ensure_built(backend, n, url, rebuild):
    marker = marker_path(backend, n)
    if not rebuild and marker.exists():
        saved = json.loads(marker.read_text())
        if saved.get("spec") == build_spec(n):
            check = run_child(["_check", "--articles", str(n)], url, capture=True)
            if check.strip().endswith("match"):
                print(f"reusing {backend} {size_label(n)} (built {saved.get('built')})")
                return saved
    marker.unlink(missing_ok=True)
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        recreate_pg_database(url)
    print(f"building {backend} {size_label(n)} (load average {loadavg()})", flush=True)
    started = time.perf_counter()
    out = run_child(["_build", "--articles", str(n)], url, capture=True)
    info = json.loads(out.strip().splitlines()[-1])
    info.update(
        spec=build_spec(n),
        built=datetime.now(UTC).isoformat(timespec="seconds"),
        total_seconds=round(time.perf_counter() - started, 1),
    )
    marker.write_text(json.dumps(info, indent=2))
    print(f"built {backend} {size_label(n)} in {info['total_seconds']} s: {info}", flush=True)
    return info


def recreate_pg_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def measure_import(count):
    """Articles per second of bench/import_rate.py on fresh migrated SQLite files."""
    template = VAR / "import-template.sqlite3"
    run_child(["_migrate"], f"sqlite:///{template}")
    rates = {}
    for label, extra in (("end to end", []), ("without search receiver", ["--without-receivers"])):
        path = VAR / "import-run.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, path)
        cmd = [PYTHON, str(ROOT / "bench" / "import_rate.py"), str(count), *extra]
        out = subprocess.run(
            cmd, env=child_env(f"sqlite:///{path}"), cwd=ROOT, text=True, capture_output=True
        )
        match = re.search(r"(\d+) articles/second", out.stdout)
        if out.returncode != 0 or match is None:
            print(out.stdout, out.stderr, file=sys.stderr)
            raise SystemExit(f"import benchmark failed ({label})")
        rates[label] = {"rate": int(match[1]), "line": out.stdout.strip(), "load": loadavg()}
        print(f"import {label}: {out.stdout.strip()} (load average {loadavg()})", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{VAR / 'import-run.sqlite3'}{suffix}").unlink(missing_ok=True)
    return rates


def ratio(big, small):
    return big / small if small else math.inf


def fmt(v):
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def print_tables(results):
    ok = True
    for backend in ("sqlite", "postgresql"):
        runs = sorted((n, r) for (b, n), r in results.items() if b == backend)
        if not runs:
            continue
        (small_n, small), (big_n, big) = runs[0], runs[-1]
        a, b = size_label(small_n), size_label(big_n)
        print(f"\n{backend}: {a} vs {b} articles, {big['requests']} requests per row")
        print(
            f"  load average: {a} {small['load_before']} -> {small['load_after']}; "
            f"{b} {big['load_before']} -> {big['load_after']}"
        )
        print(
            f"  {'page':<24}{a + ' p50':>9}{a + ' p99':>9}{b + ' p50':>9}{b + ' p99':>9}"
            f"{'p50 x':>7}{'p99 x':>7}{'cpu ' + a:>9}{'cpu ' + b:>9}{'cpu x':>7}  goal"
        )
        for key, label in KINDS:
            s, g = small["kinds"][key], big["kinds"][key]
            limit = GOAL_SEARCH_P99_MS if key == "search" else GOAL_P99_MS
            g50, g99 = ratio(g["p50"], s["p50"]), ratio(g["p99"], s["p99"])
            gcpu = ratio(g["cpu_p50"], s["cpu_p50"])
            met = g["p99"] < limit and s["p99"] < limit and g50 < GOAL_GROWTH
            ok &= met
            print(
                f"  {label:<24}{fmt(s['p50']):>9}{fmt(s['p99']):>9}{fmt(g['p50']):>9}"
                f"{fmt(g['p99']):>9}{g50:>6.2f}x{g99:>6.2f}x{fmt(s['cpu_p50']):>9}"
                f"{fmt(g['cpu_p50']):>9}{gcpu:>6.2f}x  {'ok' if met else 'MISSED'}"
            )
        print(
            f"  worker RSS after the run: {a} {small['rss_mb']:.0f} MB, {b} {big['rss_mb']:.0f} MB"
        )
        print(f"  deep page: {big['deep_note']}")
    print(
        "\ntimes in ms, wall clock per request in the test client; cpu = the process's CPU time\n"
        "per request (p50): on SQLite it includes the queries, on PostgreSQL the server's share\n"
        "is not in it. The cpu columns show the work done, whatever else the machine runs."
    )
    print(
        f"goals: p99 < {GOAL_P99_MS} ms (search < {GOAL_SEARCH_P99_MS} ms), p50 growth "
        f"< {GOAL_GROWTH}x; the p99 growth is shown too (it is noisier on a shared machine)."
    )
    return ok


def main():
    args = parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    print(f"bench-scale: {os.cpu_count()} CPUs, load average {loadavg()}", flush=True)
    builds, results = {}, {}
    for backend, n, url in targets(args):
        builds[backend, n] = ensure_built(backend, n, url, args.rebuild)
    if args.only_build:
        return
    for backend, n, url in targets(args):
        print(f"measuring {backend} {size_label(n)} (load average {loadavg()})", flush=True)
        out = run_child(["_measure", "--requests", str(args.requests)], url, capture=True)
        results[backend, n] = json.loads(out.strip().splitlines()[-1])
    imports = None if args.skip_import else measure_import(args.import_count)
    ok = print_tables(results)
    if imports:
        rate = imports["end to end"]["rate"]
        print(
            f"\nJSON Lines import on SQLite, {args.import_count} articles: {rate}/s end to end, "
            f"{imports['without search receiver']['rate']}/s without the search index receiver "
            f"(goal >= {IMPORT_GOAL}/s: {'ok' if rate >= IMPORT_GOAL else 'MISSED'})"
        )
    saved = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "builds": {f"{b}-{size_label(n)}": v for (b, n), v in builds.items()},
        "results": {f"{b}-{size_label(n)}": v for (b, n), v in results.items()},
        "import": imports,
    }
    (VAR / "results.json").write_text(json.dumps(saved, indent=2, ensure_ascii=False))
    print(
        f"\nall goals met: {'yes' if ok else 'no'} (figures saved to var/bench-scale/results.json)"
    )


# ---------------------------------------------------------------------------------------------
# Child processes (Django set up from the environment)


def django_setup():
    import django

    django.setup()


def child_migrate():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def child_check(n):
    """Prints "match" when the database holds n articles, after applying any new migration."""
    from peninsula.content.models import Article

    child_migrate()
    count = Article.objects.count()
    print("match" if count == n else f"differs: {count} articles")


class TextPool:
    """Paragraphs and titles with their index tokens computed once and reused by many articles."""

    def __init__(self, rng):
        from peninsula.content import sample
        from peninsula.core.text import make_excerpt, reading_time
        from peninsula.search.analysis import index_tokens

        self.byline_tokens = functools.lru_cache(maxsize=None)(index_tokens)
        self.paragraphs, self.titles = {}, {}
        for lang, sentence in (("zh", sample.zh_sentence), ("en", sample.en_sentence)):
            joiner = "" if lang == "zh" else " "
            items = []
            for _ in range(3000):
                text = joiner.join(sentence(rng) for _ in range(rng.randint(2, 5)))
                html = f"<p>{text}</p>"
                excerpt = make_excerpt(html, length=100)
                items.append((html, index_tokens(text), excerpt, reading_time(text)))
            self.paragraphs[lang] = items
            titles = {article_title(lang == "en", rng) for _ in range(20000)}
            self.titles[lang] = [(t, index_tokens(t)) for t in sorted(titles)]


def article_title(english, rng):
    """A title from the sample phrase tables (its paragraphs are drawn apart, from the pool)."""
    from peninsula.content import sample

    title, _ = sample.article(rng, english=english)
    return title


class Zipf:
    """Picks index i of n with weight 1/(i+1)**s: a few tags and authors are everywhere."""

    def __init__(self, n, s):
        weights = [1 / (i + 1) ** s for i in range(n)]
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng):
        return bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])


def seed_reference_rows(rng):
    """Categories (with subcategories), tags, authors and sources; returns what articles use."""
    from taggit.models import Tag

    from peninsula.content import sample as words
    from peninsula.content.models import Author, Category, Source

    leaves = []  # (category id, weight)
    for order, (slug, name, share, children) in enumerate(CATEGORIES):
        root = Category.objects.create(name=name, slug=slug, sort_order=order)
        subs = [
            Category.objects.create(name=n, slug=s, parent=root, sort_order=i)
            for i, (s, n) in enumerate(children)
        ]
        if subs:
            leaves.append((root.pk, share * 0.2))
            leaves += [(sub.pk, share * 0.8 / len(subs)) for sub in subs]
        else:
            leaves.append((root.pk, share))
    chains = Category.objects.chains()  # where the content app files each category's articles
    names = list(dict.fromkeys(words.TAGS + words.ZH["who"] + words.ZH["what"] + words.EN["who"]))
    names += [f"专题{i}" if i % 2 else f"Topic {i}" for i in range(1000 - len(names))]
    Tag.objects.bulk_create([Tag(name=name, slug=f"t{i}") for i, name in enumerate(names)])
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
    surnames = "王李张刘陈杨赵黄周吴"
    given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰"]
    author_names = [s + g for s in surnames for g in given]
    author_names += [
        f"{first} {last}"
        for first in ("Kim", "Lee", "Park", "Choi", "Jung")
        for last in (
            "Bo-eun",
            "Min-ho",
            "Ji-won",
            "Soo-jin",
            "Hyun-woo",
            "Eun-ji",
            "Dong-hyun",
            "Seo-yeon",
            "Jae-won",
            "Ha-eun",
            "Tae-yang",
            "Yu-na",
            "Sung-min",
            "Ji-ho",
            "Da-eun",
            "Woo-jin",
            "Min-seo",
            "Jun-ho",
            "Ye-jin",
            "Hye-won",
        )
    ]
    Author.objects.bulk_create(
        [Author(name=name, slug=f"author-{i}") for i, name in enumerate(author_names)]
    )
    authors = list(Author.objects.order_by("pk").values_list("pk", flat=True))
    sources = ["The Korea Times", "新华社", "Reuters", "Yonhap", "中新社", "AP", "人民网", "KBS"]
    Source.objects.bulk_create([Source(name=name) for name in sources])
    source_ids = list(Source.objects.values_list("pk", flat=True))
    author_names_by_id = dict(Author.objects.values_list("pk", "name"))
    return leaves, chains, tags, authors, author_names_by_id, source_ids


ARTICLE_COLUMNS = [
    "id",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "expired",
    "locked",
    "title",
    "summary",
    "body",
    "byline",
    "source_url",
    "language",
    "published_at",
    "views",
    "likes",
    "excerpt",
    "reading_minutes",
    "created_at",
    "updated_at",
    "category_id",
    "source_id",
    "original_title",
    "original_author",
    "responsible_editor",
    "comments",
]
DOCUMENT_COLUMNS = ["article_id", "order_key", "title_tokens", "body_tokens", "language"]
# The tables a build fills, with the columns it writes.
BULK_COLUMNS = {
    "content_article": ARTICLE_COLUMNS,
    "content_articletag": ["content_object_id", "tag_id", "published_at"],
    "content_articleplacement": ["category_id", "article_id", "published_at"],
    "content_articleauthor": ["article_id", "author_id", "role", "sort_order"],
    "search_searchdocument": DOCUMENT_COLUMNS,
}
BULK_TABLES = list(BULK_COLUMNS)
TIME_COLUMNS = {
    "first_published_at",
    "last_published_at",
    "published_at",
    "created_at",
    "updated_at",
}


def check_columns(connection):
    """Refuse to build when a table gained a required column that this generator does not fill."""
    from peninsula.search.models import SearchDocument

    with connection.cursor() as cursor:
        for table, filled in BULK_COLUMNS.items():
            for col in connection.introspection.get_table_description(cursor, table):
                required = not col.null_ok and col.default is None and col.name != "id"
                if required and col.name not in filled:
                    raise SystemExit(
                        f"{table}.{col.name} is required; teach bench/scale.py to fill it"
                    )
    columns = {f.column for f in SearchDocument._meta.concrete_fields}
    if columns != set(DOCUMENT_COLUMNS):
        raise SystemExit(
            f"the search index columns changed ({sorted(columns)}); update bench/scale.py"
        )


def generate_rows(n, rng, pool, seeds, batch):
    """Yields batches of {table: rows}, oldest first."""
    leaves, chains, tags, authors, author_names, sources = seeds
    from peninsula.search.models import order_key

    end = datetime.now(UTC) - timedelta(minutes=5)
    start = end - timedelta(days=SPAN_DAYS)
    step = (end - start) / n
    category_ids = [c for c, _ in leaves]
    category_cum = list(itertools.accumulate(w for _, w in leaves))
    tag_zipf, author_zipf = Zipf(len(tags), 1.05), Zipf(len(authors), 0.8)
    rows = {table: [] for table in BULK_TABLES}
    for pk in range(1, n + 1):
        lang = "en" if rng.random() < 0.4 else "zh"
        paragraphs = pool.paragraphs[lang]
        chosen = [paragraphs[rng.randrange(len(paragraphs))] for _ in range(rng.randint(3, 10))]
        title, title_tokens = pool.titles[lang][rng.randrange(len(pool.titles[lang]))]
        author = authors[author_zipf.pick(rng)]
        byline = f"By {author_names[author]}" if lang == "en" else f"记者 {author_names[author]}"
        published = start + step * (pk - 1) + step * rng.random() * 0.9
        live = rng.random() >= 0.005
        category = category_ids[bisect.bisect(category_cum, rng.random() * category_cum[-1])]
        rows["content_article"].append(
            (
                pk,
                live,
                False,
                published if live else None,
                published if live else None,
                False,
                False,
                title,
                "",
                "".join(p[0] for p in chosen),
                byline,
                "",
                lang,
                published,
                int(rng.paretovariate(1.2) * 20),
                rng.randrange(40),
                chosen[0][2],
                max(1, math.ceil(sum(p[3] for p in chosen))),
                published,
                published,
                category,
                sources[rng.randrange(len(sources))] if rng.random() < 0.3 else None,
                "",
                "",
                "",
                rng.randrange(10),
            )
        )
        picked = set()
        for _ in range(rng.randint(1, 4)):
            picked.add(tags[tag_zipf.pick(rng)])
        rows["content_articletag"].extend((pk, tag, published) for tag in picked)
        rows["content_articleplacement"].extend((c, pk, published) for c in chains[category])
        rows["content_articleauthor"].append((pk, author, "text", 0))
        body_tokens = " ".join([pool.byline_tokens(byline), *(p[1] for p in chosen)])
        rows["search_searchdocument"].append(
            (pk, order_key(published, pk), title_tokens, body_tokens, lang)
        )
        if pk % batch == 0 or pk == n:
            yield rows
            rows = {table: [] for table in BULK_TABLES}


def child_build(n):
    from django.db import connection

    started = time.perf_counter()
    child_migrate()
    migrated = time.perf_counter()
    check_columns(connection)
    rng = random.Random(SEED)
    pool = TextPool(rng)
    print(f"  text pool ready after {time.perf_counter() - migrated:.1f} s", file=sys.stderr)
    seeds = seed_reference_rows(rng)
    pooled = time.perf_counter()
    rows = generate_rows(n, rng, pool, seeds, 20_000)
    if connection.vendor == "sqlite":
        load_sqlite(connection, rows)
    else:
        load_postgresql(connection, rows, n)
    loaded = time.perf_counter()
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "articles": n,
                "migrate_seconds": round(migrated - started, 1),
                "pool_seconds": round(pooled - migrated, 1),
                "load_seconds": round(loaded - pooled, 1),
                "size_mb": database_size_mb(connection),
            }
        )
    )


def database_size_mb(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return round(pages * cursor.fetchone()[0] / 2**20)
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(cursor.fetchone()[0] / 2**20)


def sqlite_time(value):
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def load_sqlite(connection, batches):
    connection.close()
    import sqlite3

    db = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-1000000",
        "temp_store=MEMORY",
        "locking_mode=EXCLUSIVE",
    ):
        db.execute(f"PRAGMA {pragma}")
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        f"tbl_name IN ({','.join('?' * len(BULK_TABLES))})",
        BULK_TABLES,
    ).fetchall()
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')
    done = 0
    for rows in batches:
        db.execute("BEGIN")
        for table, columns in BULK_COLUMNS.items():
            times = [i for i, name in enumerate(columns) if name in TIME_COLUMNS]
            db.executemany(
                f"INSERT INTO {table} ({','.join(columns)}) "
                f"VALUES ({','.join('?' * len(columns))})",
                (
                    [sqlite_time(v) if i in times else v for i, v in enumerate(row)]
                    for row in rows[table]
                ),
            )
        db.execute("COMMIT")
        done += len(rows["content_article"])
        if done % 100_000 < len(rows["content_article"]):
            print(f"  sqlite: {done} articles", file=sys.stderr, flush=True)
    for _name, sql in indexes:
        db.execute(sql)
    db.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    db.execute("PRAGMA locking_mode=NORMAL")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def load_postgresql(connection, batches, n):
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [BULK_TABLES],
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        raw = cursor.cursor
        done = 0
        for rows in batches:
            for table, columns in BULK_COLUMNS.items():
                with raw.copy(f"COPY {table} ({','.join(columns)}) FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)
            done += len(rows["content_article"])
            if done % 100_000 < len(rows["content_article"]):
                print(f"  postgresql: {done} articles", file=sys.stderr, flush=True)
        for _name, sql in indexes:
            cursor.execute(sql)
        cursor.execute("SELECT setval(pg_get_serial_sequence('content_article', 'id'), %s)", [n])
        for table in BULK_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb():
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024


def measure_urls(requests):
    """{kind: [url, ...]} spread over articles, categories, tags and queries; deep-page note."""
    from django.conf import settings
    from django.db.models import Count
    from django.utils.http import urlencode
    from taggit.models import Tag

    from peninsula.content.models import Article, Category
    from peninsula.content.tree import category_tree
    from peninsula.core.pagination import encode_key

    rng = random.Random(7)
    published = Article.objects.published()
    top = published.order_by("-pk").values_list("pk", flat=True).first()
    ids = set()
    while len(ids) < requests + 20:
        ids.add(rng.randint(1, top))
    articles = list(published.filter(pk__in=ids).values_list("pk", "category__slug"))
    rng.shuffle(articles)
    urls = {"article": [f"/{slug}/{pk}.html" for pk, slug in articles]}
    slugs = list(Category.objects.order_by("pk").values_list("slug", flat=True))
    urls["category_1"] = [f"/{slugs[i % len(slugs)]}/" for i in range(requests + 20)]
    per_page = settings.PENINSULA_PAGE_SIZE
    depth = per_page * (PAGE_DEEP - 1) - 1  # the cursor row: the last one of page 9,999
    tree = category_tree()
    deep, notes = [], []
    for category in Category.objects.filter(parent__isnull=True).order_by("sort_order")[:2]:
        rows = published.filter(category_id__in=tree.descendant_ids(category.pk)).order_by(
            "-published_at", "-pk"
        )
        count = rows.count()
        offset = min(depth, count - per_page - 1 - requests)
        page = (offset + 1) // per_page + 1
        notes.append(f"/{category.slug}/ ({count} articles): cursor page {page}")
        keys = rows.values_list("published_at", "pk")[offset : offset + requests // 2 + 10]
        deep += [f"/{category.slug}/?{urlencode({'before': encode_key(*k)})}" for k in keys]
    rng.shuffle(deep)
    urls["category_deep"] = deep
    by_use = list(
        Tag.objects.annotate(n=Count("content_articletag_items"))
        .order_by("-n")
        .values_list("slug", flat=True)
    )
    spread = by_use[:20] + [by_use[int(len(by_use) ** (i / 30)) - 1] for i in range(1, 31)]
    urls["tag"] = [f"/tag/{spread[i % len(spread)]}/" for i in range(requests + 20)]
    urls["home"] = ["/"] * (requests + 20)
    urls["search"] = [
        f"/search/?{urlencode({'q': SEARCH_QUERIES[i % len(SEARCH_QUERIES)]})}"
        for i in range(requests + 20)
    ]
    return urls, "; ".join(notes)


def child_measure(requests):
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())
    urls, deep_note = measure_urls(requests)
    client = Client()
    # Warm the process: templates, URL resolver, rankings, the category tree and settings caches.
    for kind, _label in KINDS:
        for url in urls[kind][-20:]:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    kinds = {}
    for kind, _label in KINDS:
        timings, cpu = [], []
        for url in urls[kind][:requests]:
            started, cpu_started = time.perf_counter(), time.thread_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        kinds[kind] = {
            "p50": round(statistics.median(timings), 2),
            "p99": round(percentile(timings, 0.99), 2),
            "max": round(max(timings), 2),
            "cpu_p50": round(statistics.median(cpu), 2),
            "cpu_p99": round(percentile(cpu, 0.99), 2),
            "n": len(timings),
        }
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "requests": requests,
                "kinds": kinds,
                "rss_mb": round(rss_mb(), 1),
                "deep_note": deep_note,
                "load_before": load_before,
                "load_after": " ".join(f"{v:.2f}" for v in os.getloadavg()),
            }
        )
    )


def child_main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["_build", "_measure", "_check", "_migrate"])
    parser.add_argument("--articles", type=int, default=0)
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args(argv)
    django_setup()
    if options.step == "_build":
        child_build(options.articles)
    elif options.step == "_measure":
        child_measure(options.requests)
    elif options.step == "_check":
        child_check(options.articles)
    else:
        child_migrate()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        sys.path.insert(0, str(ROOT))
        child_main(sys.argv[1:])
    else:
        main()
