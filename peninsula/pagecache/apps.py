from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "peninsula.pagecache"
    label = "pagecache"

    def ready(self):
        from . import jobs, signals  # noqa: F401
