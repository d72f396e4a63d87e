import pytest
from peninsula.content.tests.factories import ArticleFactory, AuthorFactory

@pytest.mark.django_db
def test_smoke(client):
    a = ArticleFactory(tags=["朝鲜", "summit"], authors=[AuthorFactory()], byline="By Kim")
    for url in ["/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml", "/sitemap-tags.xml","/sitemap-categories.xml","/sitemap-authors.xml", "/robots.txt", f"/feeds/rss/category/{a.category.slug}/", "/api/v1/articles", f"/api/v1/articles/{a.pk}", "/api/v1/categories", "/api/v1/tags", "/api/v1/authors", "/api/v1/nope"]:
        r = client.get(url)
        print(url, r.status_code, r["Content-Type"])
        print(r.content.decode()[:1500])
