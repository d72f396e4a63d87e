"""The JSON Lines import rate: import N sample articles into the configured (fresh, migrated)
database and print articles per second; `make bench-scale` runs it (see docs/benchmarks.md).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/peninsula migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/import_rate.py 20000
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description="Measure the JSON Lines import rate.")
    parser.add_argument("count", type=int, nargs="?", default=10000)
    parser.add_argument(
        "--without-receivers",
        action="store_true",
        help="disconnect the articles_changed receivers (search, page cache) to time the import",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from peninsula.content.changes import articles_changed
    from peninsula.content.sample import sample_lines
    from peninsula.ingestion.jsonl import import_jsonl

    if options.without_receivers:
        articles_changed.receivers.clear()
    lines = list(sample_lines(options.count, prefix=f"bench-{time.time_ns()}"))
    started, cpu, workers = time.perf_counter(), time.process_time(), _children_cpu()
    result = import_jsonl(lines)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The import's worker process (IMPORT_WORKERS) has ended and been waited for by now.
    workers = _children_cpu() - workers
    if options.json:
        figures = {"created": result.created, "failed": result.failed, "seconds": elapsed}
        print(json.dumps({**figures, "cpu_seconds": cpu + workers, "writer_cpu_seconds": cpu}))
        return
    # CPU time (SQLite's work included) is the rate a quiet machine gives; wall-clock time on a
    # shared machine includes waiting for a core. The writing process alone bounds the rate
    # two cores give; all processes' CPU is what the import costs.
    print(
        f"{result.created} created, {result.failed} failed in {elapsed:.2f} s: "
        f"{result.created / elapsed:.0f} articles/second ({result.created / (cpu + workers):.0f} "
        f"per CPU second of all processes, {result.created / cpu:.0f} per CPU second of the "
        "writing process)"
    )


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
