from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The newsroom's desk tools around the article editor: shareable preview links, views-per-day
    charts, the live word count and the review comparison (docs/newsroom.md)."""

    name = "peninsula.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom tools")
