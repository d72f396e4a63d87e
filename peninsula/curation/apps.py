from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "peninsula.curation"
    label = "curation"
    verbose_name = _("Curation")

    def ready(self):
        from peninsula.syndication.sitemaps import SITEMAPS

        from . import jobs, signals  # noqa: F401
        from .sitemaps import TopicSitemap

        # The app holds its own sitemap section; the syndication index lists every section.
        SITEMAPS["topics"] = TopicSitemap
