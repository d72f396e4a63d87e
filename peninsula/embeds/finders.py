"""Wagtail's embed finder for the allowed providers (WAGTAILEMBEDS_FINDERS): a player frame
built from the address, or "not found" for any other site, so an editor cannot embed a site the
settings do not allow and no embed fetches anything over the network."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

from . import allowlist, providers

WIDTH, HEIGHT = 640, 360


class AllowlistFinder(EmbedFinder):
    def __init__(self, **options):
        self.options = options

    def accept(self, url):
        return providers.match(url, allowlist.allowed_providers()) is not None

    def find_embed(self, url, max_width=None, max_height=None):
        found = providers.match(url, allowlist.allowed_providers())
        if found is None:
            raise EmbedNotFoundException
        provider, player = found
        title = _("Video from %(provider)s") % {"provider": provider.name}
        html = format_html(
            '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
            'allow="fullscreen; picture-in-picture; encrypted-media" allowfullscreen '
            'referrerpolicy="strict-origin-when-cross-origin" '
            'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"></iframe>',
            player,
            title,
            WIDTH,
            HEIGHT,
        )
        return {
            "title": title,
            "author_name": "",
            "provider_name": str(provider.name),
            "type": "video",
            "thumbnail_url": None,
            "width": WIDTH,
            "height": HEIGHT,
            "html": str(html),
        }


embed_finder_class = AllowlistFinder
