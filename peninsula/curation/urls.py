"""The topic pages and their feeds (feeds live under /feeds/ like the site's others)."""

from django.urls import path

from peninsula.core.http import public_page

from . import feeds, views

app_name = "curation"
urlpatterns = [
    path("topics/", views.topic_list, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("feeds/rss/topic/<slug:slug>/", public_page(feeds.TopicFeed()), name="topic-rss"),
    path("feeds/atom/topic/<slug:slug>/", public_page(feeds.TopicAtomFeed()), name="topic-atom"),
]
