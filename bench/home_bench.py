"""The home page's uncached render with every slot filled, against the home page before slots.

Issue 13's goal: the home page with 头条, 幻灯, 推荐 and 滚动 filled (and an ad, friend links)
renders uncached in the same time as the home page before slots, or less, with a fixed number of
queries. In-process, in a temporary folder: a fresh SQLite database with generated articles and
cover images. The "before" page is the previous home template (bench/home_before.html) rendered
with the same view data; both go through the template engine and context processors as a
request does, never through the page cache. Runs alternate so that the machine's noise hits
both alike; the table shows the median of each and the ratio.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_HOME_RUNS", "300"))
ARTICLES = int(os.environ.get("BENCH_HOME_ARTICLES", "2000"))
FILLED = {"lead": 1, "carousel": 6, "recommended": 6, "ticker": 10}


def main():
    folder = Path(tempfile.mkdtemp(prefix="peninsula-home-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        REDIS_URL="",
        PAGECACHE="0",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.TEMPLATES[0]["DIRS"] = [ROOT / "bench", *settings.TEMPLATES[0]["DIRS"]]
    build()
    measure()


def build():
    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from PIL import Image
    from wagtail.images import get_image_model

    from peninsula.content.models import Article
    from peninsula.curation.models import Slot, SlotEntry
    from peninsula.furniture.models import Ad, FriendLink

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("generate_articles", articles=ARTICLES, verbosity=0)
    images = []
    for n in range(12):
        buffer = io.BytesIO()
        Image.new("RGB", (1280, 720), (20 * n, 90, 160)).save(buffer, "JPEG")
        image = get_image_model()(title=f"photo {n}", description=f"photo {n}")
        image.file = ImageFile(buffer, name=f"photo-{n}.jpg")
        image.save()
        images.append(image)
    newest = list(Article.objects.published().latest()[:30])
    for n, article in enumerate(newest[:12]):
        Article.objects.filter(pk=article.pk).update(cover_image=images[n])
    picks = iter(newest)
    for key, count in FILLED.items():
        slot = Slot.objects.get(key=key)
        for order in range(count):
            SlotEntry.objects.create(slot=slot, article=next(picks), sort_order=order)
    Ad.objects.create(
        name="ad", position="home-sidebar", image=images[0], link="https://a.example/"
    )
    for n in range(6):
        FriendLink.objects.create(name=f"友情链接{n}", url=f"https://site{n}.example/")


def measure():
    from django.db import connection, reset_queries
    from django.shortcuts import render
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from peninsula.content import views
    from peninsula.content.models import Article
    from peninsula.content.tree import category_tree
    from peninsula.curation import shelf
    from peninsula.furniture import furniture

    def before(request):
        published = Article.objects.published()
        return render(
            request,
            "home_before.html",
            {
                "latest": published.latest().for_listing()[: views.HOME_LATEST],
                "blocks": views._category_blocks(published, category_tree()),
            },
        )

    def after_cold(request):
        shelf.forget()
        furniture.forget()
        return views.home(request)

    pages = {"before slots": before, "slots filled": views.home, "filled, cold": after_cold}
    translation.activate(settings_language())
    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    queries = {}
    for name, view in pages.items():
        view(factory.get("/"))  # renditions made, memos filled
        with CaptureQueriesContext(connection) as captured:
            response = view(factory.get("/"))
        assert response.status_code == 200
        queries[name] = len(captured)
    html = views.home(factory.get("/")).content.decode()
    assert "lead-card" in html and "carousel__slide" in html and "ticker" in html, "slots empty"
    times = {name: [] for name in pages}
    for _ in range(RUNS):
        for name, view in pages.items():
            request = factory.get("/")
            start = time.perf_counter()
            view(request).content  # noqa: B018
            times[name].append(time.perf_counter() - start)
            reset_queries()
    reference = statistics.median(times["before slots"])
    print(f"home page uncached, {ARTICLES} articles, {RUNS} alternating runs (median)")
    print(f"{'page':<16} {'ms':>8} {'ratio':>7} {'queries':>8}")
    for name in pages:
        median = statistics.median(times[name])
        print(f"{name:<16} {median * 1000:>8.2f} {median / reference:>7.2f} {queries[name]:>8}")


def settings_language():
    from django.conf import settings

    return settings.LANGUAGE_CODE


if __name__ == "__main__":
    main()
