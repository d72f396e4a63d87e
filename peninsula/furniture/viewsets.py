"""The 站务 admin menu: static pages, friend links and ads."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Ad, FriendLink, StaticPage


class StaticPageViewSet(SnippetViewSet):
    model = StaticPage
    icon = "doc-empty"
    menu_label = _("Static pages")
    search_fields = ["title", "body"]
    list_display = ["title", Column("slug", label=_("Slug")), BooleanColumn("in_footer")]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("in_footer"), FieldPanel("sort_order")]),
    ]


class FriendLinkViewSet(SnippetViewSet):
    model = FriendLink
    icon = "link"
    menu_label = _("Friend links")
    list_display = ["name", Column("url", label=_("Address")), BooleanColumn("enabled")]
    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("enabled"), FieldPanel("sort_order")]),
    ]


class AdViewSet(SnippetViewSet):
    model = Ad
    icon = "image"
    menu_label = _("Ads")
    search_fields = ["name", "position"]
    list_filter = ["position", "enabled"]
    list_display = [
        "name",
        Column("position", label=_("Position"), sort_key="position"),
        Column("starts_at", label=_("Starts"), sort_key="starts_at"),
        Column("ends_at", label=_("Ends"), sort_key="ends_at"),
        BooleanColumn("enabled"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("position")]),
        FieldRowPanel([FieldPanel("image"), FieldPanel("alt")]),
        FieldPanel("html"),
        FieldPanel("link"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("enabled"), FieldPanel("sort_order")]),
    ]


class FurnitureViewSetGroup(SnippetViewSetGroup):
    items = (StaticPageViewSet, FriendLinkViewSet, AdViewSet)
    menu_label = _("Site pages and ads")
    menu_icon = "cog"
    menu_name = "furniture"
    menu_order = 12
