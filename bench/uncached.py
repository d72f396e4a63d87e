"""`make bench`, uncached pages (issue 16): what a reader page costs when no cache holds it.

In one run, on a copy of the project database brought up with the demo content (as bench/run.py
makes it), with the page cache off (`PAGECACHE=0`):

1. In a fresh process with Django's test client: the median CPU time of a render
   (`BENCH_RENDERS` rounds after 20 renders of each page to warm up; a round renders each page
   once), the queries it makes, and how much of it is spent inside the template engines (the
   backends' `Template.render`, Jinja2's and Django's, less the queries run from inside
   templates) against the view's own Python and ORM work.
2. Under wrk against `peninsula serve` (granian, `BENCH_WORKERS` workers): requests per second
   at one connection (one thread) and at `BENCH_CONNECTIONS` (`BENCH_THREADS` threads).

Pages: a bare view through the full middleware stack (`/robots.txt`, the reference), the demo
article, home, its category, its first tag and a search; and a crawler's walk, the first render
of each other published article (CPU only). Every figure is also printed as a ratio
to the reference (CPU: times the reference; req/s: share of the reference), against the goals of
issue 16 (article ≤ 3.5× since its eleventh pass, home ≤ 4×, category and tag ≤ 3×, search ≤ 5×;
docs/decisions.md).
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import (
    CONNECTIONS,
    DURATION,
    WORKERS,
    prepare_database,
    serve,
    stop_all,
    wait_http,
    wrk,
)

ROOT = Path(__file__).resolve().parent.parent
RENDERS = int(os.environ.get("BENCH_RENDERS", "200"))
GOALS = {"article": 3.5, "home": 4, "category": 3, "tag": 3, "search": 5}
LABELS = {
    "reference": "bare view /robots.txt (reference)",
    "article": "article",
    "home": "home",
    "category": "category",
    "tag": "tag",
    "search": "search",
    "crawl": "articles, first render each (%d)",
}


def targets(demo):
    """{kind: path} of the pages measured, from `prepare_database`'s demo article."""
    paths = {
        "reference": "/robots.txt",
        "article": demo["url"],
        "home": "/",
        "category": demo["category"],
        "tag": demo["tag"],
        "search": "/search/?q=%E6%9C%9D%E9%B2%9C",  # 朝鲜
    }
    return {kind: path for kind, path in paths.items() if path}


def child_measure(paths):
    """Runs in its own process (`--cpu`): CPU, queries and template share of each page."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.template.backends import django as django_backend
    from django.template.backends import jinja2 as jinja2_backend
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    inside = {"template": 0.0, "depth": 0, "query_in_template": 0.0, "queries": 0}

    def timed(render):
        def timed_render(self, *args, **kwargs):
            if inside["depth"]:
                return render(self, *args, **kwargs)
            inside["depth"] += 1
            started = time.thread_time()
            try:
                return render(self, *args, **kwargs)
            finally:
                inside["template"] += time.thread_time() - started
                inside["depth"] -= 1

        return timed_render

    def timed_query(execute, sql, params, many, context):
        inside["queries"] += 1
        started = time.thread_time()
        try:
            return execute(sql, params, many, context)
        finally:
            if inside["depth"]:
                inside["query_in_template"] += time.thread_time() - started

    for backend in (django_backend, jinja2_backend):
        backend.Template.render = timed(backend.Template.render)
    client = Client()

    def measure(path):
        inside.update(template=0.0, query_in_template=0.0, queries=0)
        started = time.thread_time()
        response = client.get(path)
        cpu = (time.thread_time() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        template = (inside["template"] - inside["query_in_template"]) * 1000
        return cpu, template, inside["queries"]

    with connection.execute_wrapper(timed_query):
        for path in paths.values():
            for _ in range(20):
                measure(path)
        # In rounds, each page once per round, as a server meets them: a page measured in a
        # loop of its own keeps its code in the processor's caches, which favours the smallest
        # (the reference) and swung the article's ratio by half between runs (docs/decisions.md,
        # "Uncached renders measured in rounds").
        samples = {kind: [] for kind in paths}
        for _ in range(RENDERS):
            for kind, path in paths.items():
                samples[kind].append(measure(path))
        results = {kind: _medians(rows) for kind, rows in samples.items()}
        results["crawl"] = crawl(measure, paths)
    print(json.dumps(results))


def _medians(rows):
    cpu, template, queries = zip(*rows, strict=True)
    return {
        "cpu_ms": statistics.median(cpu),
        "template_ms": statistics.median(template),
        "queries": int(statistics.median(queries)),
    }


def crawl(measure, paths):
    """A crawler's walk: the first render of each published article but the one measured in
    the rounds, each after a render of the reference (its own ratio is to those); what a render
    costs that no per-address memo helps."""
    from peninsula.content.models import Article

    articles = Article.objects.published().select_related("category")
    walk = [article.get_absolute_url() for article in articles]
    reference, rows = [], []
    for path in walk:
        if path == paths.get("article"):
            continue
        reference.append(measure(paths["reference"])[0])
        rows.append(measure(path))
    return {
        **_medians(rows),
        "reference_cpu_ms": statistics.median(reference),
        "count": len(rows),
    }


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="peninsula-bench-uncached-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "PAGECACHE_DIR": str(tmp / "pagecache"),
        "PAGECACHE": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    try:
        print(f"== Uncached pages: a copy of the database in {tmp}", flush=True)
        paths = targets(prepare_database(tmp, env))
        out = subprocess.run(
            [sys.executable, __file__, "--cpu", json.dumps(paths)],
            env=env,
            check=True,
            timeout=900,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        cpu = json.loads(out.strip().splitlines()[-1])

        log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the temp folder
        _, port = serve(env, log)
        base = f"http://127.0.0.1:{port}"
        rates = {}
        for kind, path in paths.items():
            wait_http(f"{base}{path}")
            url = f"{base}{path}"
            rates[kind] = (wrk(url, connections=1, threads=1), wrk(url))
            time.sleep(1)

        ref_cpu = cpu["reference"]["cpu_ms"]
        ref_one, ref_many = (rate["rps"] for rate in rates["reference"])
        print(
            f"\nUncached renders (PAGECACHE=0), {RENDERS} renders per page; wrk {DURATION}s at 1 "
            f"and {CONNECTIONS} connections, {WORKERS} workers"
        )
        print(
            f"{'page':34} {'queries':>7} {'CPU ms':>7} {'tmpl ms':>7} {'× ref':>6} {'goal':>5} "
            f"{'req/s c1':>9} {'/ref':>5} {'req/s c' + str(CONNECTIONS):>9} {'/ref':>5}"
        )
        missed = []
        for kind in paths:
            c = cpu[kind]
            one, many = (rate["rps"] for rate in rates[kind])
            bad = any(rate["non2xx"] for rate in rates[kind])
            times = c["cpu_ms"] / ref_cpu
            goal = GOALS.get(kind)
            if goal and times > goal:
                missed.append(kind)
            flag = " !! non-2xx" if bad else ""
            print(
                f"{LABELS[kind]:34} {c['queries']:>7} {c['cpu_ms']:>7.2f} "
                f"{c['template_ms']:>7.2f} {times:>6.2f} {goal or '':>5} {one:>9.0f} "
                f"{one / ref_one:>5.2f} {many:>9.0f} {many / ref_many:>5.2f}{flag}"
            )
        c = cpu["crawl"]
        print(
            f"{LABELS['crawl'] % c['count']:34} {c['queries']:>7} {c['cpu_ms']:>7.2f} "
            f"{c['template_ms']:>7.2f} {c['cpu_ms'] / c['reference_cpu_ms']:>6.2f}"
        )
        print(f"Pages: {', '.join(f'{k} {p}' for k, p in paths.items())}")
        if missed:
            print(f"!! Over the issue 16 goal (CPU × the bare view): {', '.join(missed)}")
        return 0
    finally:
        stop_all()
        if os.environ.get("BENCH_KEEP"):
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--cpu":
        sys.path.insert(0, str(ROOT))
        child_measure(json.loads(sys.argv[2]))
        sys.exit(0)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    sys.exit(main())
