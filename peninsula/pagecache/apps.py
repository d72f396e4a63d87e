from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "peninsula.pagecache"
    label = "pagecache"
