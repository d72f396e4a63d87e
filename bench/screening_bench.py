"""Screening a comment-sized text against a 10,000-word list: p50 and p99, as a table.

    python bench/screening_bench.py [--words 10000] [--runs 2000]

It builds a scratch SQLite database under var/bench-screening/, loads random Chinese and Latin
words (mask, hold and block), then times `text_screen` on comments of about 140 and 500
characters: clean ones, ones with listed words, and ones padded and written in traditional
characters and full-width forms. The first call (building the automaton) is reported apart. The
reference row is a bare Python pass over the same 500 characters (keeping letters and digits,
lower-cased), timed in the same run, so the ratio says what the filter costs on a noisy machine.
Goal (issue 15): posting a comment through the filter with a 10,000-word list, p99 under 20 ms;
the filter is a fraction of that.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (
    "今天看了这篇报道，觉得记者写得很细致，把事情的来龙去脉都讲清楚了。希望有关部门能够重视，"
    "尽快解决小区门口的交通问题。The article was clear and fair; thanks to the reporter. "
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2000)
    return parser.parse_args()


def setup():
    path = ROOT / "var" / "bench-screening" / "screening.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def random_words(count, rng):
    chars = [chr(code) for code in range(0x4E00, 0x9FA5)]
    words = set()
    while len(words) < count:
        if rng.random() < 0.9:
            words.add("".join(rng.choice(chars) for _ in range(rng.randint(2, 4))))
        else:
            words.add("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)))
    return sorted(words)


def texts(words, rng):
    import zhconv

    listed = [w for w in words if not w.isascii()]
    short = CLEAN[:140]
    long = (CLEAN * 4)[:500]
    with_words = short[:60] + "".join(rng.sample(listed, 3)) + short[60:]
    padded = "".join(c + " *"[rng.randint(0, 1)] for c in rng.choice(listed)) + short
    disguised = zhconv.convert(with_words, "zh-hant").replace("a", "ａ")
    return [
        ("clean 140", short),
        ("clean 500", long),
        ("3 words 140", with_words),
        ("padded 140", padded),
        ("trad+fullwidth", disguised),
        ("3 words 500", long[:250] + "".join(rng.sample(listed, 3)) + long[250:]),
    ]


def reference(text):
    return "".join(c.lower() for c in text if c.isalnum())


def percentiles(function, text, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function(text)
        timings.append((time.perf_counter() - start) * 1e6)
    timings.sort()
    return result, statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def main():
    args = parse_args()
    setup()
    from peninsula.screening.services import text_screen, words_import

    rng = random.Random(15)
    words = random_words(args.words, rng)
    for action, part in zip(
        ("mask", "hold", "block"), (words[0::3], words[1::3], words[2::3]), strict=True
    ):
        words_import(words=part, action=action)
    start = time.perf_counter()
    text_screen(text="warm-up")
    build_ms = (time.perf_counter() - start) * 1000
    print(f"{len(words)} words; first call (automaton built): {build_ms:.1f} ms")
    cases = texts(words, rng)
    _, ref_p50, ref_p99 = percentiles(reference, cases[1][1], args.runs)
    print(f"{'text':<16} {'chars':>6} {'action':>7} {'p50 µs':>8} {'p99 µs':>8} {'p50/ref':>8}")
    chars = len(cases[1][1])
    print(f"{'reference':<16} {chars:>6} {'':>7} {ref_p50:>8.0f} {ref_p99:>8.0f} {1:>8.1f}")
    worst = 0.0
    for name, text in cases:
        result, p50, p99 = percentiles(lambda t: text_screen(text=t), text, args.runs)
        worst = max(worst, p99)
        ratio = p50 / ref_p50
        print(f"{name:<16} {len(text):>6} {result.action:>7} {p50:>8.0f} {p99:>8.0f} {ratio:>8.1f}")
    print(f"worst p99: {worst / 1000:.2f} ms (the comment goal: posting under 20 ms p99)")


if __name__ == "__main__":
    main()
