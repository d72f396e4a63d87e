"""Search behaviour on whichever database the suite runs on (SQLite FTS5 or PostgreSQL)."""

import itertools
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from peninsula.content.changes import articles_touch
from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.search import backends, services
from peninsula.search.models import ID_MASK, SearchDocument, key_range, order_key
from peninsula.search.services import SearchRequest, articles_search, search_article_ids

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ago(days):
    return NOW - timedelta(days=days)


@pytest.fixture
def corpus():
    """A small newsroom: each article is the expected top hit of one query in QUERY_TABLE."""
    world = CategoryFactory(name="国际", slug="world")
    korea = CategoryFactory(name="朝鲜半岛", slug="korean-peninsula")
    make = ArticleFactory
    return {
        "summit": make(
            title="美国与朝鲜举行峰会",
            body="<p>双方在新加坡会面，讨论半岛局势。</p>",
            category=korea,
            published_at=ago(3),
        ),
        "talks_zh": make(
            title="谈判陷入僵局",
            body="<p>分析人士说，朝鲜坚持先解除制裁，而美国要求首先推进无核化。</p>",
            category=korea,
            published_at=ago(2),
        ),
        "denuke_en": make(
            title="Denuke talks may gain impetus with Kim",
            body="<p>Denuclearization talks between North Korea and the U.S. have been "
            "stalled for months.</p>",
            category=world,
            language="en",
            published_at=ago(4),
        ),
        "trade_en": make(
            title="Seoul and Tokyo sign a trade agreement",
            body="<p>The ministers talked about chips and said North Korea should "
            "denuclearize.</p>",
            category=world,
            language="en",
            published_at=ago(1),
        ),
        "mixed": make(
            title="特朗普称愿再见Kim",
            body="<p>特朗普在白宫表示，他与金正恩的关系很好。</p>",
            category=world,
            published_at=ago(5),
        ),
        "culture": make(
            title="首尔举办电影节",
            body="<p>来自各国的导演参加了活动。</p>",
            category=world,
            published_at=ago(6),
        ),
    }


def top_titles(q, **filters):
    _search, results = articles_search(request=SearchRequest(q=q, **filters))
    return [article.title for article in results[0:10]]


QUERY_TABLE = [
    # (query, expected first result, every expected result)
    ("朝鲜", "summit", {"summit", "talks_zh"}),
    ("美国", "summit", {"summit", "talks_zh"}),
    ("峰会", "summit", {"summit"}),
    ("朝鲜无核化谈判", "talks_zh", {"talks_zh"}),
    ("无核", "talks_zh", {"talks_zh"}),
    ("talks", "denuke_en", {"denuke_en", "trade_en"}),
    ("talk", "denuke_en", {"denuke_en", "trade_en"}),
    ("denuclearize", "denuke_en", {"denuke_en", "trade_en"}),
    ("denuclearization", "denuke_en", {"denuke_en", "trade_en"}),
    ("特朗普 Kim", "mixed", {"mixed"}),
    ("IMPETUS", "denuke_en", {"denuke_en"}),
    ("Ｓｅｏｕｌ", "trade_en", {"trade_en"}),
    ('"North Korea"', "trade_en", {"denuke_en", "trade_en"}),
    ('"trade agreement" Seoul', "trade_en", {"trade_en"}),
    ("电影节", "culture", {"culture"}),
]


@pytest.mark.parametrize(("q", "first", "expected"), QUERY_TABLE)
def test_query_table(corpus, q, first, expected):
    titles = top_titles(q)
    assert titles[0] == corpus[first].title
    assert set(titles) == {corpus[key].title for key in expected}


def test_words_in_any_order_must_all_appear(corpus):
    assert top_titles("谈判 无核化 朝鲜") == [corpus["talks_zh"].title]
    assert top_titles("朝鲜 电影节") == []


def test_phrase_needs_adjacent_words(corpus):
    assert top_titles('"Korea North"') == []
    assert top_titles('"agreement trade"') == []
    assert top_titles('"朝鲜举行峰会"') == [corpus["summit"].title]
    assert top_titles('"峰会举行"') == []


def test_title_match_outranks_body_match():
    body_hit = ArticleFactory(
        title="本周要闻", body="<p>平壤宣布新的经济计划。</p>", published_at=ago(1)
    )
    title_hit = ArticleFactory(
        title="平壤经济计划", body="<p>官员介绍了细节。</p>", published_at=ago(30)
    )
    assert top_titles("平壤") == [title_hit.title, body_hit.title]


def test_tier_one_needs_every_word_in_the_title():
    """Tier 1 (every word in the title, newest first) comes before tier 2 (newest first)."""
    both_in_title = ArticleFactory(
        title="Busan harbour strike", body="<p>Unions.</p>", published_at=ago(20)
    )
    older_both = ArticleFactory(
        title="Harbour strike in Busan ends", body="<p>Deal.</p>", published_at=ago(40)
    )
    one_in_title = ArticleFactory(
        title="Busan port news", body="<p>A harbour strike.</p>", published_at=ago(1)
    )
    body_only = ArticleFactory(
        title="Weekly digest", body="<p>Busan harbour strike.</p>", published_at=ago(10)
    )
    assert top_titles("busan harbour") == [
        both_in_title.title,
        older_both.title,
        one_in_title.title,
        body_only.title,
    ]
    assert top_titles('"harbour strike"') == [
        both_in_title.title,
        older_both.title,
        one_in_title.title,
        body_only.title,
    ]


def test_pages_are_slices_of_one_ranking(monkeypatch):
    """Any offset and page size give the same order, across the tier boundary, on both plans."""
    for n in range(7):
        ArticleFactory(
            title=f"Kaesong report {n}" if n % 2 else f"Report {n}",
            body="<p>Kaesong industrial zone.</p>",
            published_at=ago(n + 1),
        )
    _search, results = articles_search(request=SearchRequest(q="kaesong"))
    everything = results.ids(offset=0, limit=50)
    assert len(everything) == 7
    titles = [Article.objects.get(pk=pk).title for pk in everything]
    assert titles == [f"Kaesong report {n}" for n in (1, 3, 5)] + [
        f"Report {n}" for n in (0, 2, 4, 6)
    ]
    # PostgreSQL: the walk alone, the walk then the GIN index, the GIN index almost alone.
    for walk in (5000, 3, 1):
        monkeypatch.setattr(backends, "WALK", walk)
        monkeypatch.setattr(backends, "WALK_PER_ROW", {"count": 0, "page": 0})
        for offset in range(8):
            _search, results = articles_search(request=SearchRequest(q="kaesong"))
            assert results.ids(offset=offset, limit=2) == everything[offset : offset + 2]
            # After a count that found every match, pages are cut from its rows.
            assert results.count() == 7
            assert results.ids(offset=offset, limit=2) == everything[offset : offset + 2]


def test_pages_in_a_category_are_slices_of_one_ranking(monkeypatch):
    """A category's search walks its articles in order of publication time while the ranking
    is by the second, then the id: articles of one second come in any id order."""
    korea = CategoryFactory(slug="korea")
    second = (NOW - timedelta(days=3)).replace(microsecond=0)
    made = []
    for n in range(9):
        # Ids rise while the times within the second fall: the listing order and the ranking
        # disagree inside that second.
        at = second + timedelta(microseconds=900_000 - n * 100_000) if n < 4 else ago(n)
        made.append(
            ArticleFactory(
                title=f"Kaesong report {n}" if n % 3 == 0 else f"Report {n}",
                body="<p>Kaesong industrial zone.</p>",
                category=korea,
                published_at=at,
            )
        )
    ArticleFactory(title="Kaesong elsewhere", published_at=ago(1))
    keys = dict(SearchDocument.objects.values_list("article_id", "order_key"))
    ranking = sorted(made, key=lambda a: ("Kaesong" not in a.title, -keys[a.pk]))
    expected = [article.pk for article in ranking]
    monkeypatch.setattr(backends, "WALK_PER_ROW", {"count": 0, "page": 0})
    # The walk alone, the walk then the GIN index, the GIN index almost alone; a sample that
    # ends inside the second and finds a page there, which only the ranking may order.
    for walk, sample in ((2000, 10), (3, 10), (1, 10), (2, 1)):
        monkeypatch.setattr(backends, "CANDIDATE_WALK", walk)
        monkeypatch.setattr(backends, "WALK_SAMPLE", sample)
        for offset, limit in itertools.product(range(10), (1, 2)):
            request = SearchRequest(q="kaesong", category=korea)
            _search, results = articles_search(request=request)
            assert results.ids(offset=offset, limit=limit) == expected[offset : offset + limit]
            assert results.count() == 9
            assert results.ids(offset=offset, limit=limit) == expected[offset : offset + limit]


@pytest.mark.parametrize("walk", [5000, 2])
def test_count_stops_at_the_cap(monkeypatch, walk):
    monkeypatch.setattr(services, "RESULT_CAP", 3)
    monkeypatch.setattr(backends, "WALK", walk)
    monkeypatch.setattr(backends, "WALK_PER_ROW", {"count": 0, "page": 0})
    for n in range(5):
        ArticleFactory(title=f"Wonsan {n}", published_at=ago(n + 1))
    _search, results = articles_search(request=SearchRequest(q="wonsan"))
    assert results.count() == 3
    assert results.capped
    assert len(results[0:3]) == 3
    _search, results = articles_search(request=SearchRequest(q="wonsan 2"))
    assert results.count() == 1
    assert not results.capped


def test_order_key_sorts_like_publication_time_then_id():
    moment = NOW.replace(microsecond=0)
    keys = [
        order_key(moment - timedelta(seconds=1), 9),
        order_key(moment, 3),
        order_key(moment, 4),
        order_key(moment + timedelta(days=1), 1),
        order_key(None, 2),
    ]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert [key & ID_MASK for key in keys] == [9, 3, 4, 1, 2]
    low, high = key_range(newest=moment, oldest=moment)
    assert [low <= key <= high for key in keys] == [False, True, True, False, False]
    far = [order_key(NOW.replace(year=year), 7) for year in (1066, 1900, 2999, 9999)]
    assert far == sorted(far)
    assert all(-(2**63) <= key < 2**63 for key in far)
    with pytest.raises(ValueError):
        order_key(NOW, ID_MASK + 1)


def test_first_publication_dates_the_article_and_finds_it_in_place(
    django_capture_on_commit_callbacks,
):
    older = ArticleFactory(title="Sinuiju bridge reopens", published_at=ago(2))
    draft = ArticleFactory(title="Sinuiju trade fair", live=False, published_at=None)
    assert top_titles("sinuiju") == [older.title]
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert top_titles("sinuiju") == [draft.title, older.title]
    assert SearchDocument.objects.get(pk=draft.pk).order_key == order_key(
        draft.published_at, draft.pk
    )


def test_newer_first_among_equal_matches():
    older = ArticleFactory(
        title="Harbour report one", body="<p>Busan port</p>", published_at=ago(9)
    )
    newer = ArticleFactory(
        title="Harbour report two", body="<p>Busan port</p>", published_at=ago(1)
    )
    assert top_titles("busan") == [newer.title, older.title]


def test_filters_by_category_and_dates(corpus):
    korea = corpus["summit"].category
    assert set(top_titles("朝鲜", category=korea)) == {
        corpus["summit"].title,
        corpus["talks_zh"].title,
    }
    assert top_titles("talks", category=korea) == []
    assert top_titles("talks", published_from=ago(2)) == [corpus["trade_en"].title]
    assert top_titles("talks", published_before=ago(2)) == [corpus["denuke_en"].title]


def test_draft_is_invisible_until_published_and_gone_when_unpublished(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(title="独家：板门店会谈", live=False)
    assert top_titles("板门店") == []
    assert search_article_ids("板门店") == [article.pk]

    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert top_titles("板门店") == [article.title]

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).unpublish()
    assert top_titles("板门店") == []


def test_expired_and_future_articles_are_not_returned():
    expired = ArticleFactory(title="Expired Pyongyang story", expire_at=ago(1))
    scheduled = ArticleFactory(title="Future Pyongyang story", published_at=NOW + timedelta(days=1))
    assert top_titles("pyongyang") == []
    assert set(search_article_ids("pyongyang")) == {expired.pk, scheduled.pk}
    assert search_article_ids("pyongyang", published_only=True) == []


def test_edit_reindexes_and_delete_removes(django_capture_on_commit_callbacks):
    article = ArticleFactory(title="Old headline", body="<p>Text.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Fresh headline about Hanoi"
        article.save()
    assert top_titles("hanoi") == [article.title]
    assert top_titles("old") == []
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert top_titles("hanoi") == []
    assert not SearchDocument.objects.exists()


def test_bulk_written_articles_are_indexed_by_the_event(django_capture_on_commit_callbacks):
    category = CategoryFactory()
    created = Article.objects.bulk_create(
        [Article(title="Imported Busan report", category=category, live=True, published_at=ago(1))]
    )
    assert top_titles("busan") == []
    with django_capture_on_commit_callbacks(execute=True):
        articles_touch([created[0].pk])
    assert top_titles("busan") == ["Imported Busan report"]


def test_reindex_command_rebuilds_everything(corpus):
    SearchDocument.objects.all().delete()
    assert top_titles("峰会") == []
    call_command("reindex_search", verbosity=0)
    assert SearchDocument.objects.count() == len(corpus)
    assert top_titles("峰会") == [corpus["summit"].title]


def test_admin_ids_are_ranked(corpus):
    ids = search_article_ids("朝鲜")
    assert ids[0] == corpus["summit"].pk
    assert search_article_ids("!!!") == []


def test_admin_hook_offers_the_index():
    from wagtail import hooks

    assert search_article_ids in hooks.get_hooks("peninsula_article_search")


def test_searches_of_one_shape_each_bind_their_own_values(corpus):
    """The candidates' SQL is compiled once per shape (category, dates) and bound per search:
    back-to-back searches of one shape with other values, and a later moment, each get theirs."""
    korea, world = corpus["summit"].category, corpus["trade_en"].category
    both = {corpus["trade_en"].title, corpus["denuke_en"].title}
    assert set(top_titles("talks", category=world)) == both
    assert top_titles("talks", category=korea) == []
    assert top_titles("talks", published_from=ago(2)) == [corpus["trade_en"].title]
    assert set(top_titles("talks", published_from=ago(10**4))) == both

    later = ArticleFactory(title="Pyongyang talks resume", published_at=NOW + timedelta(hours=1))
    assert later.title not in top_titles("pyongyang")
    with time_machine.travel(NOW + timedelta(hours=2)):
        assert later.title in top_titles("pyongyang")
