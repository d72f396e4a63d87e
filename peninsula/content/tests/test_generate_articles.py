import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peninsula.content.models import Article, ArticlePlacement
from peninsula.search.models import SearchDocument
from peninsula.search.services import search_article_ids

pytestmark = pytest.mark.django_db


def test_generated_articles_are_listed_and_searchable(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_articles", articles=30, batch_size=7, verbosity=0)
    assert Article.objects.published().count() == 30
    assert SearchDocument.objects.count() == 30
    assert ArticlePlacement.objects.count() == 30
    assert Article.objects.filter(language="en").exists()
    assert Article.objects.filter(language="zh").exists()
    assert all(article.excerpt for article in Article.objects.all())
    article = Article.objects.order_by("pk").last()
    assert article.pk in search_article_ids(article.title, published_only=True)
    assert set(article.tagged_items.values_list("published_at", flat=True)) == {
        article.published_at
    }
    assert article.authors.count() == 1


def test_a_bad_count_is_refused():
    with pytest.raises(CommandError, match="must be positive"):
        call_command("generate_articles", articles=0, verbosity=0)
