"""The reader queries built once per process (core.prepared, content.queries): each run must
answer what the QuerySet would, at its own moment and with its own values, from any thread."""

import datetime
import gc
import threading

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone
from taggit.models import Tag

from peninsula.content import queries
from peninsula.content.models import Article, ArticleAuthor, ArticleTag
from peninsula.content.services import articles_related_refresh
from peninsula.content.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    SourceFactory,
)
from peninsula.content.tree import category_tree
from peninsula.core.pagination import QuerySetRows, paginate
from peninsula.core.prepared import CONVERTERS, Param, Prepared

pytestmark = pytest.mark.django_db


def test_a_run_answers_as_the_queryset_at_its_own_moment():
    now = timezone.now()
    soon = ArticleFactory(published_at=now + datetime.timedelta(minutes=5))
    older = ArticleFactory(published_at=now - datetime.timedelta(days=1))
    ending = ArticleFactory(expire_at=now + datetime.timedelta(minutes=10))

    def latest(at):
        return [card.pk for card in queries.home_latest(now=at)]

    assert latest(now) == [ending.pk, older.pk]
    assert latest(now + datetime.timedelta(minutes=6)) == [soon.pk, ending.pk, older.pk]
    assert latest(now + datetime.timedelta(minutes=11)) == [soon.pk, older.pk]
    assert latest(now) == [
        a.pk for a in Article.objects.published(now=now).latest()[: queries.HOME_LATEST]
    ]


def test_home_blocks_follow_a_change_of_the_navigation():
    news, sport = CategoryFactory(slug="news"), CategoryFactory(slug="sport")
    first, second = ArticleFactory(category=news), ArticleFactory(category=sport)

    def blocks():
        return [
            (root.slug, [a.pk for a in rows])
            for root, rows in queries.home_blocks(category_tree(), now=timezone.now())
        ]

    assert blocks() == [("news", [first.pk]), ("sport", [second.pk])]
    sport.in_navigation = False
    sport.save()
    assert blocks() == [("news", [first.pk])]


def test_an_unknown_or_hostile_id_finds_nothing():
    now = timezone.now()
    assert queries.article_for_page(10**6, now=now) is None
    assert queries.article_for_page(2**63, now=now) is None
    assert queries.article_for_page(-(2**70), now=now) is None


def test_values_must_match_the_parameters():
    prepared = Prepared(lambda: Article.objects.filter(pk=Param("pk", queries.PK.output_field)))
    with pytest.raises(TypeError, match="pk"):
        prepared.list(id=1)
    with pytest.raises(TypeError, match="pk"):
        prepared.list(pk=1, now=timezone.now())


def test_a_count_is_the_number_of_rows_a_run_returns():
    """Counted by the database, a limit included; a value out of range counts nothing."""
    articles = ArticleFactory.create_batch(5, category=CategoryFactory())
    category_id = Param("category", queries.PK.output_field)
    newest = Prepared(
        lambda: Article.objects.filter(category_id=category_id).order_by("-pk").values("pk")[:3]
    )
    assert newest.count(category=articles[0].category_id) == 3
    assert len(newest.list(category=articles[0].category_id)) == 3
    every = Prepared(lambda: Article.objects.filter(category_id=category_id).values("pk"))
    assert every.count(category=articles[0].category_id) == 5
    assert every.count(category=10**6) == 0
    assert every.count(category=2**70) == 0
    with pytest.raises(TypeError, match="category"):
        every.count(pk=1)


def test_a_run_keeps_the_queryset_s_prefetches_and_rows():
    article = ArticleFactory(tags=["甲", "乙"])
    related = ArticleFactory(tags=["甲"])

    articles_related_refresh(ids=[article.pk, related.pk])
    _previous, _following, links = queries.article_around(
        queries.article_for_page(article.pk, now=timezone.now())
    )
    assert [link.pk for link in links] == [related.pk]
    assert links[0].get_absolute_url() == related.get_absolute_url()


def test_the_page_s_article_reads_its_tags_and_credits_without_a_query(
    django_assert_num_queries,
):
    article = ArticleFactory(tags=["乙", "甲", "丙"])
    ArticleFactory(tags=["丁"])
    writer, photographer = AuthorFactory(name="王小明"), AuthorFactory(name="李华")
    ArticleAuthor.objects.create(article=article, author=writer, role="text", sort_order=1)
    ArticleAuthor.objects.create(
        article=article, author=photographer, role="photography", sort_order=0
    )
    given = list(
        ArticleTag.objects.filter(content_object=article).order_by("pk").values_list("tag__name")
    )

    found = queries.article_for_page(article.pk, now=timezone.now())
    with django_assert_num_queries(0):
        assert [(tag.name,) for tag in found.tags.all()] == given
        assert {tag.name for tag in found.tags.all()} == {"乙", "甲", "丙"}
        assert [author.name for author in found.ordered_authors()] == ["李华", "王小明"]
        assert found.credits_labelled


def test_a_run_makes_the_instances_the_queryset_makes():
    """Model instances are made as Django's ModelIterable makes them: the same field values and
    deferred fields, the `select_related` rows (None where there is none), the annotations and
    the prefetches."""
    category = CategoryFactory()
    english = ArticleFactory(category=category, language="en", tags=["甲"])
    ArticleFactory(category=category, translation=english, source=SourceFactory(), tags=["乙"])
    ArticleFactory(category=category)

    def articles(category_id):
        return (
            Article.objects.filter(category_id=category_id)
            .select_related("category", "source", "translation__category")
            .defer("body", "translation__body")
            .annotate(tag_count=Count("tagged_items"))
            .prefetch_related("tagged_items__tag")
            .order_by("pk")
        )

    prepared = Prepared(lambda: articles(Param("category", queries.PK.output_field)))
    made, expected = prepared.list(category=category.pk), list(articles(category.pk))
    assert [a.pk for a in made] == [a.pk for a in expected] and len(made) == 3
    for got, want in zip(made, expected, strict=True):
        assert type(got) is type(want) and got._state.db == want._state.db
        assert not got._state.adding
        assert got.get_deferred_fields() == want.get_deferred_fields() == {"body"}
        assert fields_of(got) == fields_of(want)
        assert got.tag_count == want.tag_count
        for name in ("category", "source", "translation"):
            assert fields_of(getattr(got, name)) == fields_of(getattr(want, name))
        if want.translation:
            assert fields_of(got.translation.category) == fields_of(want.translation.category)
        assert [(t.pk, t.tag.name) for t in got._prefetched_objects_cache["tagged_items"]] == [
            (t.pk, t.tag.name) for t in want._prefetched_objects_cache["tagged_items"]
        ]


def fields_of(instance):
    """An instance's loaded field values (None for no instance)."""
    if instance is None:
        return None
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in instance.get_deferred_fields()
    }


@pytest.mark.django_db(transaction=True)
def test_threads_running_one_prepared_query_each_get_their_own_rows():
    """The compiled SQL is shared by every thread of a process; the values and the connection
    are each run's own."""
    articles = [ArticleFactory(title=f"第{n}篇") for n in range(6)]
    start, errors = threading.Barrier(len(articles)), []
    held_before = converters_held()

    def read(article):
        try:
            start.wait(timeout=10)
            for _ in range(30):
                found = queries.article_for_page(article.pk, now=timezone.now())
                assert found is not None and found.title == article.title
                # Converted by this thread's connection's converters (a time from SQLite's text).
                assert found.published_at == article.published_at
        except Exception as exc:  # reported to the test's thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(article,)) for article in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    # The converters remembered for each thread's connection go with the connection: once the
    # threads have ended, only this thread's and those the queries were compiled with are left.
    del threads
    prepared = [queries._article, *queries._children.values()]
    kept = {id(c.compiler.connection.__dict__) for p in prepared for c in p._compiled.values()}
    kept.add(id(connections["default"].__dict__))
    assert converters_held() - held_before <= kept


def converters_held():
    """The connections (their attribute dicts) holding converters of prepared queries."""
    gc.collect()
    return {id(o) for o in gc.get_objects() if type(o) is dict and CONVERTERS in o}


def test_a_prepared_listing_pages_as_its_queryset_does():
    """Numbered pages, older and newer cursors: the prepared category and tag listings read the
    same rows as paginating their QuerySets, ties in time included."""
    news = CategoryFactory(slug="news")
    local = CategoryFactory(slug="local", parent=news)
    at = timezone.now() - datetime.timedelta(hours=3)
    for n in range(8):
        ArticleFactory(
            category=local if n % 2 else news,
            tags=["选举"],
            published_at=at + datetime.timedelta(minutes=n // 2),
        )
    ArticleFactory(category=news, tags=["选举"], live=False)
    tag = queries.tag_by_slug(Tag.objects.get(name="选举").slug)
    now = timezone.now()
    listings = [
        (
            queries.category_listing(news.pk, now=now),
            Article.objects.published().in_category(news),
        ),
        (queries.tag_listing(tag.pk, now=now), Article.objects.published().tagged(tag.pk)),
    ]
    for prepared, articles in listings:
        plain = QuerySetRows(articles.cards(), key=articles.listing_key)

        def pages(rows, params):
            page = paginate(rows, params, per_page=3)
            return [a.pk for a in page.items], page.numbers, page.older_query, page.newer_query

        for params in ({}, {"page": "2"}, {"page": "3"}):
            assert pages(prepared, params) == pages(plain, params)
        older = paginate(plain, {}, per_page=3).older_query.split("=")[1]
        assert pages(prepared, {"before": older}) == pages(plain, {"before": older})
        newer = paginate(plain, {"page": "3"}, per_page=3).newer_query.split("=")[1]
        assert pages(prepared, {"after": newer}) == pages(plain, {"after": newer})
        assert len(pages(prepared, {"page": "3"})[0]) == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="how SQLite chooses its index bound")
def test_reading_back_in_time_does_not_walk_the_newer_articles():
    """An old article's 上一篇 and 下一篇 and a past month's archive do not read the articles
    published since: `published()`'s `published_at <= now` is not the bound SQLite seeks with."""
    category = CategoryFactory()
    start = timezone.now() - datetime.timedelta(days=400)
    ArticleFactory(category=category, published_at=start - datetime.timedelta(days=1))
    old = ArticleFactory(category=category, published_at=start)
    newer = [
        Article(
            title=f"后来的{n}",
            category=category,
            live=True,
            published_at=start + datetime.timedelta(hours=1 + n),
        )
        for n in range(3000)
    ]
    Article.objects.bulk_create(newer)
    newest = ArticleFactory(category=category, published_at=timezone.now())
    now = timezone.now()

    def month(at):
        first = at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        rows = Article.objects.published().filter(published_at__gte=first).latest()
        return list(rows.filter(published_at__lt=first + datetime.timedelta(days=31))[:20])

    # Fewer of SQLite's instructions than there are newer articles (a walk takes about 12 each).
    assert vm_steps(lambda: queries.article_for_page(old.pk, now=now)) * 100 < len(newer)
    assert vm_steps(lambda: month(start)) * 100 < len(newer)
    assert (
        queries.article_around(queries.article_for_page(newest.pk, now=now))[0].pk == newer[-1].pk
    )


def vm_steps(read):
    """How much work SQLite's engine does for `read()`, in hundreds of its instructions."""
    steps = [0]

    def count():
        steps[0] += 1
        return 0

    connection.ensure_connection()
    read()  # compiled and cached first
    connection.connection.set_progress_handler(count, 100)
    try:
        read()
    finally:
        connection.connection.set_progress_handler(None, 100)
    return steps[0]
