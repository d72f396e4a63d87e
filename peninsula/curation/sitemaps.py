"""The topics' sitemap section (added to the site's sitemap index by the app config)."""

from django.contrib.sitemaps import Sitemap

from .models import Topic


class TopicSitemap(Sitemap):
    def items(self):
        return Topic.objects.published().order_by("sort_order", "id")

    def lastmod(self, item):
        return item.updated_at
