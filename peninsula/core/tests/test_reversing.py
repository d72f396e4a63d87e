"""URL reversing remembered per process (core.reversing): the same answers as Django's own."""

import threading
from contextlib import contextmanager

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.urls.resolvers import URLResolver

from peninsula.core import reversing

CASES = [
    ("content:home", (), {}),
    ("content:category", (), {"slug": "shichang"}),
    ("content:article", (), {"category_slug": "news", "pk": 39}),
    ("content:article", (), {"category_slug": "news", "pk": "39"}),
    ("content:tag", ("朝鲜",), {}),
    ("content:tag", ("a b?c",), {}),
    ("content:archive-month", (), {"year": 2024, "month": "09"}),
    ("set_language", (), {}),
]


@contextmanager
def djangos_own():
    URLResolver._reverse_with_prefix = reversing._uncached
    try:
        yield
    finally:
        reversing.install()


def test_it_is_installed_and_answers_as_django_does():
    assert URLResolver._reverse_with_prefix is reversing._reverse_with_prefix
    with djangos_own():
        expected = [reverse(name, args=args, kwargs=kwargs) for name, args, kwargs in CASES]
    for _ in range(2):
        assert [reverse(name, args=args, kwargs=kwargs) for name, args, kwargs in CASES] == (
            expected
        )
    assert reverse("content:tag", args=["朝鲜"]) == "/tag/%E6%9C%9D%E9%B2%9C/"


def test_no_match_is_still_an_error_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            reverse("content:article", kwargs={"category_slug": "news", "pk": "x"})


def test_the_script_prefix_is_part_of_the_answer():
    plain = reverse("content:category", kwargs={"slug": "news"})
    set_script_prefix("/site/")
    try:
        assert reverse("content:category", kwargs={"slug": "news"}) == "/site/news/"
    finally:
        set_script_prefix("/")
    assert reverse("content:category", kwargs={"slug": "news"}) == plain == "/news/"


def test_at_most_size_answers_are_kept():
    for pk in range(reversing.SIZE + 50):
        reverse("content:article", kwargs={"category_slug": "news", "pk": pk})
    assert reversing._remembered.cache_info().currsize <= reversing.SIZE


def test_threads_reversing_at_once_each_get_their_own_url():
    errors = []
    start = threading.Barrier(6)

    def run(n):
        try:
            start.wait(timeout=10)
            for pk in range(n, 3000, 6):
                url = reverse("content:article", kwargs={"category_slug": f"c{n}", "pk": pk})
                assert url == f"/c{n}/{pk}.html"
        except Exception as exc:  # reported to the test's thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_the_pages_own_reverse_answers_as_django_does():
    with djangos_own():
        expected = [reverse(name, args=args, kwargs=kwargs) for name, args, kwargs in CASES]
    for _ in range(2):
        found = [reversing.reverse(name, args=args, kwargs=kwargs) for name, args, kwargs in CASES]
        assert found == expected
    # A value of another type is another key: True is not 1 to a str converter.
    assert reversing.reverse("content:tag", args=[1]) == "/tag/1/"
    assert reversing.reverse("content:tag", args=[True]) == "/tag/True/"
    with pytest.raises(NoReverseMatch):
        reversing.reverse("content:article", kwargs={"category_slug": "news", "pk": "x"})


def test_the_pages_own_reverse_follows_the_prefix_and_the_url_configuration(settings):
    set_script_prefix("/site/")
    try:
        assert reversing.reverse("content:category", kwargs={"slug": "news"}) == "/site/news/"
    finally:
        set_script_prefix("/")
    assert reversing.reverse("content:category", kwargs={"slug": "news"}) == "/news/"
    settings.ROOT_URLCONF = "peninsula.core.tests.urls_elsewhere"
    assert reversing.reverse("content:category", kwargs={"slug": "news"}) == "/elsewhere/news/"


@pytest.mark.parametrize(
    "location",
    [
        "/shichang/49.html",
        "/tag/%E6%9C%9D%E9%B2%9C/",
        "/tag/朝鲜/",
        "/a b/",
        '/a"b<c>',
        "//elsewhere.example/x",
        "/a/./b/../c",
        "https://cdn.example.com/x.jpg",
        "/media/images/a.jpg?x=1&y=2#top",
        "relative/path",
        "",
    ],
)
@pytest.mark.parametrize("secure", [False, True])
def test_absolute_answers_as_build_absolute_uri_does(rf, location, secure):
    request = rf.get("/news/1.html", secure=secure, HTTP_HOST="news.example.com:8443")
    assert reversing.absolute(request, location) == request.build_absolute_uri(location)
    # The scheme and host kept for the request's next paths are still its own.
    assert reversing.absolute(request, "/x/") == request.build_absolute_uri("/x/")
