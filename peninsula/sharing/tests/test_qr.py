from datetime import timedelta

import pytest
from django.utils import timezone

from peninsula.content.models import MAX_ID
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.sharing.qr import qr_svg

pytestmark = pytest.mark.django_db


def qr_address(article):
    return f"/share/qr/{article.category.slug}/{article.pk}.svg"


def test_the_code_holds_the_articles_address_on_the_host_asked(client):
    article = ArticleFactory(category=CategoryFactory(slug="world"))

    response = client.get(qr_address(article), HTTP_HOST="news.example.org")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response.content == qr_svg(f"http://news.example.org/world/{article.pk}.html")
    assert response.content != qr_svg(f"http://testserver/world/{article.pk}.html")
    assert b"<script" not in response.content and b"style=" not in response.content


def test_a_code_under_an_old_category_moves_to_the_new_one(client):
    article = ArticleFactory(category=CategoryFactory(slug="world"))

    response = client.get(f"/share/qr/old-name/{article.pk}.svg")

    assert response.status_code == 301
    assert response["Location"] == f"/share/qr/world/{article.pk}.svg"


@pytest.mark.parametrize(
    "state",
    [
        {"live": False},
        {"published_at": timezone.now() + timedelta(hours=1)},
        {"expire_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_no_code_for_an_article_readers_may_not_see(client, state):
    article = ArticleFactory(**state)

    response = client.get(qr_address(article))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("pk", [MAX_ID + 1, 10**30, 999999])
def test_no_code_for_an_id_no_article_has(client, pk):
    ArticleFactory()
    assert client.get(f"/share/qr/world/{pk}.svg").status_code == 404


def test_only_get_and_head(client):
    article = ArticleFactory()
    assert client.head(qr_address(article)).status_code == 200
    assert client.post(qr_address(article)).status_code in (403, 405)
