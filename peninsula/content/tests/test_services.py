import threading

import pytest
from django.core.exceptions import ValidationError

from peninsula.content.models import Article, Category
from peninsula.content.services import article_publish, category_ensure_path

from .factories import ArticleFactory, AuthorFactory


@pytest.mark.django_db
def test_creates_each_missing_level_and_returns_the_leaf():
    leaf = category_ensure_path(path="国际/亚太")
    assert leaf.name == "亚太"
    assert leaf.parent.name == "国际"
    assert leaf.parent.parent is None
    assert [c.name for c in leaf.ancestors_and_self] == ["国际", "亚太"]
    assert leaf.slug == "yatai"
    assert leaf.parent.slug == "guoji"


@pytest.mark.django_db
def test_reuses_existing_categories():
    first = category_ensure_path(path="国际/亚太")
    again = category_ensure_path(path=" 国际 / 亚太 ")
    sibling = category_ensure_path(path="国际/欧洲")
    assert again == first
    assert sibling.parent == first.parent
    assert Category.objects.count() == 3


@pytest.mark.django_db
def test_same_name_under_different_parents_gets_distinct_slugs():
    a = category_ensure_path(path="国际/新闻")
    b = category_ensure_path(path="国内/新闻")
    assert a != b
    assert a.slug != b.slug


@pytest.mark.django_db
def test_reserved_slugs_are_avoided():
    assert category_ensure_path(path="Search").slug == "search-news"


@pytest.mark.parametrize("path", ["", "/", "国际//亚太", "国际/", "  ", 5, None])
@pytest.mark.django_db
def test_bad_paths_are_refused(path):
    with pytest.raises(ValidationError):
        category_ensure_path(path=path)
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_too_long_name_is_refused():
    with pytest.raises(ValidationError):
        category_ensure_path(path="国际/" + "长" * 101)
    assert not Category.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_create_the_path_once():
    results, errors = [], []
    barrier = threading.Barrier(4)

    def work():
        from django.db import connections

        try:
            barrier.wait()
            results.append(category_ensure_path(path="国际/亚太/东北亚").pk)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Category.objects.count() == 3


@pytest.mark.django_db
def test_publishing_a_new_draft_costs_a_fixed_number_of_queries(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    """One event on commit: one reindex, one purge and one refresh of the stored related lists
    (9 queries; 75 queries when search, the page cache and engagement each listened to post_save
    and `published`; 58 then, and 8 more since the 图集 and 更正 child relations are read and
    committed with the save and the revision; 13 more since the ordered 作者 credits are such a
    child too, read where the many-to-many field they replace was not, and each credit saved
    again on commit: one credit here; 2 find the slots and topics that hold it, to purge their
    pages)."""
    draft = ArticleFactory(
        live=False, published_at=None, tags=["a", "b"], authors=[AuthorFactory()]
    )
    draft = Article.objects.get(pk=draft.pk)
    with django_assert_num_queries(90), django_capture_on_commit_callbacks(execute=True):
        article_publish(article=draft)
    draft.refresh_from_db()
    assert draft.published_at == draft.first_published_at
    assert Article.objects.published().get() == draft
