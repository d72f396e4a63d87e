"""Feeds under /feeds/<format>/…, the sitemaps and robots.txt."""

from django.urls import path

from peninsula.core.http import public_page
from peninsula.syndication import feeds, views


def feed(route, feed_class, name):
    return path(route, public_page(feed_class()), name=name)


app_name = "syndication"
urlpatterns = [
    feed("feeds/rss/", feeds.ArticleFeed, "rss"),
    feed("feeds/atom/", feeds.ArticleAtomFeed, "atom"),
    feed("feeds/rss/category/<slug:slug>/", feeds.CategoryFeed, "category-rss"),
    feed("feeds/atom/category/<slug:slug>/", feeds.CategoryAtomFeed, "category-atom"),
    feed("feeds/rss/tag/<str:slug>/", feeds.TagFeed, "tag-rss"),
    feed("feeds/atom/tag/<str:slug>/", feeds.TagAtomFeed, "tag-atom"),
    feed("feeds/rss/author/<slug:slug>/", feeds.AuthorFeed, "author-rss"),
    feed("feeds/atom/author/<slug:slug>/", feeds.AuthorAtomFeed, "author-atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
