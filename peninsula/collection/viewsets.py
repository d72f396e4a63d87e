"""The 采集 admin menu: sources with their health, the poll log and the possible duplicates."""

from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from peninsula.content.models import Article

from .forms import FeedForm
from .models import Feed, Item, Poll


class LogColumn(Column):
    """A link to the source's entries in the poll log."""

    def get_value(self, instance):
        url = reverse(PollViewSet().get_url_name("list")) + f"?feed={instance.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Log"))


class ArticleColumn(Column):
    """An article of an item, linked to its edit page."""

    def get_value(self, instance):
        article = getattr(instance, self.name)
        url = reverse(Article.snippet_viewset.get_url_name("edit"), args=[article.pk])
        state = _("live") if article.live else _("draft")
        return format_html('<a href="{}">{}</a> ({})', url, article.title, state)


class FeedViewSet(SnippetViewSet):
    model = Feed
    icon = "rss"
    menu_label = _("Collected sources")
    copy_view_enabled = False
    search_fields = ["name", "url"]
    list_filter = ["enabled", "review", "kind", "category"]
    list_display = [
        "__str__",
        Column("url", label=_("Address")),
        Column("category", label=_("Category")),
        Column("every", label=_("Every (minutes)"), sort_key="every"),
        BooleanColumn("review", label=_("Review"), sort_key="review"),
        StatusTagColumn(
            "health_label", label=_("Health"), primary=lambda feed: feed.health == "ok"
        ),
        DateColumn("last_polled_at", label=_("Last poll"), sort_key="last_polled_at"),
        Column("next_poll_at", label=_("Next poll"), sort_key="next_poll_at"),
        Column("last_error", label=_("Last error")),
        LogColumn("log", label=_("Log")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("url"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("category"), FieldPanel("every")]),
            FieldRowPanel([FieldPanel("review"), FieldPanel("editor")]),
            FieldPanel("link_pattern"),
            FieldPanel("enabled"),
        ],
        base_form_class=FeedForm,
    )


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "list-ul"
    menu_label = _("Collection log")
    copy_view_enabled = False
    inspect_view_enabled = True
    list_filter = ["feed", "ok"]
    list_display = [
        Column("feed", label=_("Collected source")),
        DateColumn("started_at", label=_("Time"), sort_key="started_at"),
        Column("status", label=_("HTTP status")),
        BooleanColumn("ok", label=_("Succeeded")),
        Column("new", label=_("New")),
        Column("updated", label=_("Updated")),
        Column("skipped", label=_("Skipped")),
        Column("duplicates", label=_("Duplicates")),
        Column("failed", label=_("Failed items")),
        Column("errors", label=_("Errors")),
    ]

    def get_queryset(self, request):
        return Poll.objects.select_related("feed")


class DuplicateViewSet(SnippetViewSet):
    """Articles imported as drafts because they read like one already here, beside it."""

    model = Item
    icon = "warning"
    menu_label = _("Possible duplicates")
    copy_view_enabled = False
    list_display = [
        ArticleColumn("article", label=_("Article")),
        ArticleColumn("duplicate_of", label=_("Duplicate of")),
        Column("similarity", label=_("Similarity")),
        Column("feed", label=_("Collected source")),
        DateColumn("created_at", label=_("Collected at"), sort_key="created_at"),
    ]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return (
            Item.objects.filter(article__isnull=False, duplicate_of__isnull=False)
            .exclude(article=F("duplicate_of"))
            .select_related("article", "duplicate_of", "feed")
        )


class CollectionViewSetGroup(SnippetViewSetGroup):
    items = (FeedViewSet, PollViewSet, DuplicateViewSet)
    menu_label = _("Collection")
    menu_icon = "rss"
    menu_order = 150
