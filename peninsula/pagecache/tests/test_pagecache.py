"""The page cache through the real WSGI stack: which requests share pages, and purges."""

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from peninsula.content.changes import articles_touch
from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from peninsula.pagecache.jobs import purge_timed_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    parent = CategoryFactory(slug="world")
    child = CategoryFactory(slug="asia", parent=parent)
    return ArticleFactory(
        title="Denuke talks",
        category=child,
        tags=["korea"],
        authors=[AuthorFactory(slug="kim")],
        published_at=timezone.make_aware(timezone.datetime(2024, 9, 22, 1, 36)),
    )


ARTICLE_PAGES = [
    "/",
    "/world/",
    "/asia/",
    "/tag/korea/",
    "/author/kim/",
    "/archive/2024/",
    "/archive/2024/09/",
    "/feeds/latest/",
]


def warm(wsgi, paths):
    for path in paths:
        assert wsgi(path).cache == "MISS", path
        assert wsgi(path).cache == "HIT", path


def test_second_anonymous_request_is_a_hit_with_age_and_cdn_headers(wsgi, article):
    first = wsgi("/asia/")
    assert first.cache == "MISS"
    assert first.headers["Cache-Control"] == (
        "public, max-age=60, s-maxage=600, stale-while-revalidate=60"
    )
    assert "Cookie" in first.headers["Vary"]
    second = wsgi("/asia/")
    assert (second.status, second.body, second.cache) == (200, first.body, "HIT")
    assert second.headers["Age"] == "0"
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert "Denuke talks" in second.body


def test_shared_pages_tell_nginx_to_keep_them_to_the_end_of_the_second(wsgi, article):
    """deploy/nginx-cache.conf keeps what carries X-Accel-Expires until the end of the second it
    names, so every answer names the current second, never the one the page was stored in."""
    with time_machine.travel(1_900_000_000.25, tick=False):
        miss = wsgi("/asia/")
    assert (miss.cache, miss.headers["X-Accel-Expires"]) == ("MISS", "@1900000000")
    with time_machine.travel(1_900_000_007.9, tick=False):
        hit = wsgi("/asia/")
    assert (hit.cache, hit.headers["X-Accel-Expires"]) == ("HIT", "@1900000007")
    # Never on what only one reader may see.
    assert "X-Accel-Expires" not in wsgi("/asia/", HTTP_COOKIE="sessionid=abc").headers
    assert "X-Accel-Expires" not in wsgi("/admin/login/").headers


def test_head_is_answered_from_the_get_entry(wsgi, article):
    assert wsgi("/asia/", method="HEAD").cache == "MISS"
    assert wsgi("/asia/", method="HEAD").cache == "MISS"  # HEAD never stores
    wsgi("/asia/")
    head = wsgi("/asia/", method="HEAD")
    assert (head.cache, head.body) == ("HIT", "")
    assert int(head.headers["Content-Length"]) > 0


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=xyz", "a=1; sessionid=abc"])
def test_session_and_message_cookies_bypass_the_cache(wsgi, article, cookie):
    wsgi("/asia/")
    reply = wsgi("/asia/", HTTP_COOKIE=cookie)
    assert reply.cache is None
    assert reply.headers["Cache-Control"] == "private, no-cache"


def test_csrf_and_other_cookies_share_the_anonymous_page(wsgi, article):
    wsgi("/asia/")
    assert wsgi("/asia/", HTTP_COOKIE="csrftoken=abc; visitor=1").cache == "HIT"


def test_authorization_header_bypasses(wsgi, article):
    wsgi("/asia/")
    assert wsgi("/asia/", HTTP_AUTHORIZATION="Basic eDp5").cache is None


def test_each_language_has_its_own_entry(wsgi, article):
    zh = wsgi("/asia/")
    en = wsgi("/asia/", HTTP_COOKIE="django_language=en")
    assert (zh.cache, en.cache) == ("MISS", "MISS")
    assert "lang=zh-hans" in zh.body and "lang=en" in en.body
    assert "lang=en" in wsgi("/asia/", HTTP_COOKIE="django_language=en").body
    by_header = wsgi("/asia/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert (by_header.cache, "lang=zh-hans" in by_header.body) == ("HIT", True)
    assert "lang=zh-hans" in wsgi("/asia/", HTTP_COOKIE="django_language=xx").body


def test_a_page_is_gzipped_once_and_both_forms_are_hits(wsgi, article):
    own = article.get_absolute_url()
    first = wsgi(own, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert (first.cache, first.headers["Content-Encoding"]) == ("MISS", "gzip")
    assert first.headers["Content-Length"] == str(len(first.raw))
    assert "Accept-Encoding" in first.headers["Vary"]
    assert "Denuke talks" in first.body
    # Both forms were stored by that one render.
    plain = wsgi(own)
    assert (plain.cache, plain.body, plain.raw.decode()) == ("HIT", first.body, first.body)
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["Content-Length"] == str(len(plain.raw))
    assert "Accept-Encoding" in plain.headers["Vary"]
    hit = wsgi(own, HTTP_ACCEPT_ENCODING="gzip")
    assert (hit.cache, hit.raw) == ("HIT", first.raw)


@pytest.mark.parametrize(
    "accept", ["", "identity", "br", "gzip;q=0", "gzip;q=0.0, br", "*;q=0", "deflate, *;q=0"]
)
def test_readers_who_refuse_gzip_get_the_page_as_rendered(wsgi, article, accept):
    own = article.get_absolute_url()
    wsgi(own, HTTP_ACCEPT_ENCODING="gzip")
    reply = wsgi(own, HTTP_ACCEPT_ENCODING=accept)
    assert (reply.cache, reply.headers.get("Content-Encoding")) == ("HIT", None)
    assert "Denuke talks" in reply.raw.decode()


def test_a_page_too_short_to_compress_is_one_page_for_everyone(wsgi, article):
    first = wsgi("/asia/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in first.headers
    assert "Accept-Encoding" not in first.headers["Vary"]
    assert wsgi("/asia/").cache == "HIT"
    assert wsgi("/asia/", HTTP_ACCEPT_ENCODING="gzip").cache == "HIT"


def test_an_uncached_public_page_is_gzipped_too(wsgi, article):
    """A page the cache may not keep (here a page number past the end of what is cached) is
    still compressed for the reader, so nginx in front never has to."""
    own = article.get_absolute_url()
    reply = wsgi(
        own.replace(f"/{article.pk}.html", f"/0{article.pk}.html"), HTTP_ACCEPT_ENCODING="gzip"
    )
    assert (reply.cache, reply.headers["Content-Encoding"]) == ("MISS", "gzip")
    assert "Denuke talks" in reply.body


def test_a_purge_drops_both_forms(wsgi, article, django_capture_on_commit_callbacks):
    own = article.get_absolute_url()
    wsgi(own, HTTP_ACCEPT_ENCODING="gzip")
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Talks resume"
        article.save()
    plain = wsgi(own)
    assert (plain.cache, "Talks resume" in plain.body) == ("MISS", True)
    gzipped = wsgi(own, HTTP_ACCEPT_ENCODING="gzip")
    assert (gzipped.cache, gzipped.body) == ("HIT", plain.body)


def test_each_host_has_its_own_entry(wsgi, article):
    wsgi("/asia/", HTTP_HOST="a.example")
    assert wsgi("/asia/", HTTP_HOST="b.example").cache == "MISS"
    assert wsgi("/asia/", HTTP_HOST="A.example").cache == "HIT"


def test_page_numbers_are_cached_other_query_strings_bypass(wsgi, article):
    assert "page=2" in wsgi("/asia/?page=2").body
    assert wsgi("/asia/?page=2").cache == "HIT"
    assert wsgi("/asia/?page=3").cache == "MISS"
    assert wsgi("/asia/?utm_source=x").cache is None
    assert wsgi("/asia/?page=2&x=1").cache is None
    assert wsgi("/asia/?%zz=%").cache is None


def test_a_repeated_query_parameter_is_never_shared(wsgi, article):
    assert wsgi("/asia/?page=2&page=1").cache is None
    assert wsgi("/asia/?page=1&page=2").cache is None


def test_a_page_at_another_spelling_of_its_address_is_not_stored(wsgi, article):
    own = article.get_absolute_url()
    padded = own.replace(f"/{article.pk}.html", f"/0{article.pk}.html")
    assert wsgi(padded).status == 200  # the stand-in view does not redirect; the real one does
    assert wsgi(padded).cache == "MISS"


def test_set_cookie_responses_are_not_stored_and_stay_private(wsgi, article):
    first = wsgi("/feeds/cookie/")
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert wsgi("/feeds/cookie/").cache is None
    assert "Set-Cookie" in wsgi("/feeds/cookie/").headers


def test_unkeyed_vary_and_view_cache_control_are_respected(wsgi, article):
    wsgi("/feeds/vary/")
    assert wsgi("/feeds/vary/").cache != "HIT"
    private = wsgi("/feeds/private/")
    assert private.headers["Cache-Control"] == "private"
    assert wsgi("/feeds/private/").cache is None


def test_other_pages_are_not_cached_and_admin_is_no_store(wsgi, article):
    assert wsgi("/search/").cache is None
    assert wsgi("/search/").headers["Cache-Control"] == "private, no-cache"
    admin = wsgi("/admin/login/").headers["Cache-Control"]
    assert "no-store" in admin and "private" in admin
    assert wsgi("/asia/", method="POST").cache is None


def test_missing_article_404_is_public_but_not_stored(wsgi, article):
    reply = wsgi("/asia/999999.html")
    assert reply.status == 404
    assert reply.headers["Cache-Control"].startswith("public")
    assert wsgi("/asia/999999.html").cache == "MISS"


@pytest.mark.parametrize("change", ["edit", "unpublish", "publish", "delete"])
def test_article_changes_purge_every_page_that_shows_it(
    wsgi, article, change, django_capture_on_commit_callbacks
):
    other = ArticleFactory(title="Unrelated", category=CategoryFactory(slug="sports"))
    other_url = other.get_absolute_url()
    own = article.get_absolute_url()
    if change == "publish":
        with django_capture_on_commit_callbacks(execute=True):
            article.live = False
            article.save()
        wsgi(own)  # a 404 is never stored
    else:
        warm(wsgi, [own])
    warm(wsgi, [other_url, "/sports/", *ARTICLE_PAGES])
    with django_capture_on_commit_callbacks(execute=True):
        if change == "edit":
            article.title = "Denuke talks resume"
            article.save()
        elif change == "unpublish":
            article.unpublish()
        elif change == "publish":
            article.save_revision().publish()
        else:
            article.delete()
    for path in [own, *ARTICLE_PAGES]:
        assert wsgi(path).cache == "MISS", path
    assert wsgi(other_url).cache == "HIT"
    assert wsgi("/sports/").cache == "HIT"
    home = wsgi("/").body
    assert ("Denuke talks resume" in home) == (change == "edit")
    assert ("Denuke talks" in home) == (change in ("edit", "publish"))


def test_moving_an_article_purges_the_old_and_new_category(
    wsgi, article, django_capture_on_commit_callbacks
):
    CategoryFactory(slug="europe")
    warm(wsgi, ["/asia/", "/europe/", "/world/"])
    with django_capture_on_commit_callbacks(execute=True):
        article.category = Article._meta.get_field("category").related_model.objects.get(
            slug="europe"
        )
        article.save()
    assert [wsgi(p).cache for p in ("/asia/", "/europe/")] == ["MISS", "MISS"]


def test_retagging_purges_old_and_new_tag_pages(wsgi, article, django_capture_on_commit_callbacks):
    warm(wsgi, ["/tag/korea/", "/tag/peace/"])
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.set(["peace"])
        article.save()
    assert [wsgi(p).cache for p in ("/tag/korea/", "/tag/peace/")] == ["MISS", "MISS"]


def test_counter_updates_never_purge(wsgi, article, django_capture_on_commit_callbacks):
    own = article.get_absolute_url()
    warm(wsgi, [own, "/"])
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).update(views=F("views") + 5, likes=F("likes") + 1)
    assert [wsgi(own).cache, wsgi("/").cache] == ["HIT", "HIT"]
    assert "views=0" in wsgi(own).body


def test_draft_edits_purge_nothing(wsgi, article, django_capture_on_commit_callbacks):
    warm(wsgi, ["/"])
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "A draft title"
        article.save_revision()
    assert wsgi("/").cache == "HIT"


def test_saving_an_unpublished_draft_purges_nothing(
    wsgi, article, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(live=False, category=article.category)
    warm(wsgi, ["/"])
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Still a draft"
        draft.save()
    assert wsgi("/").cache == "HIT"


def test_category_save_purges_everything(wsgi, article, django_capture_on_commit_callbacks):
    other = ArticleFactory(category=CategoryFactory(slug="sports"))
    warm(wsgi, [other.get_absolute_url(), "/sports/"])
    with django_capture_on_commit_callbacks(execute=True):
        article.category.name = "亚洲"
        article.category.save()
    assert wsgi(other.get_absolute_url()).cache == "MISS"


def test_articles_changed_purges_their_pages(wsgi, article, django_capture_on_commit_callbacks):
    CategoryFactory(slug="sports")
    warm(wsgi, ["/asia/", "/sports/"])
    with django_capture_on_commit_callbacks(execute=True):
        articles_touch([article.pk])
    assert [wsgi("/asia/").cache, wsgi("/sports/").cache] == ["MISS", "HIT"]


def test_scheduled_publication_purges_when_its_time_comes(
    wsgi, article, django_capture_on_commit_callbacks
):
    later = timezone.now() + timezone.timedelta(hours=2)
    scheduled = ArticleFactory(title="Scheduled", category=article.category, published_at=later)
    with time_machine.travel(later - timezone.timedelta(minutes=1), tick=False):
        purge_timed_articles()
        warm(wsgi, ["/asia/"])
        assert "Scheduled" not in wsgi("/asia/").body
    with time_machine.travel(later + timezone.timedelta(seconds=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert purge_timed_articles() == [scheduled.pk]
        reply = wsgi("/asia/")
        assert (reply.cache, "Scheduled" in reply.body) == ("MISS", True)
