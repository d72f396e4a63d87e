"""Feeds under /feeds/<format>/…, the sitemaps and robots.txt."""

from django.urls import path

from peninsula.syndication import feeds, views

app_name = "syndication"
urlpatterns = [
    path("feeds/rss/", feeds.ArticleFeed(), name="rss"),
    path("feeds/atom/", feeds.ArticleAtomFeed(), name="atom"),
    path("feeds/rss/category/<slug:slug>/", feeds.CategoryFeed(), name="category-rss"),
    path("feeds/atom/category/<slug:slug>/", feeds.CategoryAtomFeed(), name="category-atom"),
    path("feeds/rss/tag/<str:slug>/", feeds.TagFeed(), name="tag-rss"),
    path("feeds/atom/tag/<str:slug>/", feeds.TagAtomFeed(), name="tag-atom"),
    path("feeds/rss/author/<slug:slug>/", feeds.AuthorFeed(), name="author-rss"),
    path("feeds/atom/author/<slug:slug>/", feeds.AuthorAtomFeed(), name="author-atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
