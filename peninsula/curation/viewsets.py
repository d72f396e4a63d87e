"""The 版面 admin menu, beside 文章: slots (推荐位) and topics (专题)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Slot, Topic


class EntriesColumn(Column):
    def get_value(self, instance):
        return instance.entries.count()


class SlotViewSet(SnippetViewSet):
    model = Slot
    icon = "pick"
    menu_label = _("Slots")
    copy_view_enabled = False
    search_fields = ["name", "key"]
    list_display = [
        "name",
        Column("key", label=_("Key"), sort_key="key"),
        Column("get_kind_display", label=_("Display")),
        EntriesColumn("entries", label=_("Entries")),
    ]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("key"), FieldPanel("kind")]),
        InlinePanel(
            "entries",
            label=_("Entries"),
            heading=_("Entries (drag to reorder)"),
            panels=[
                FieldPanel("article"),
                FieldPanel("headline"),
                FieldPanel("image"),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            ],
        ),
        MultiFieldPanel(
            [FieldPanel("limit"), FieldPanel("paths")], heading=_("Display"), classname="collapsed"
        ),
    ]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "folder-inverse"
    menu_label = _("Topics")
    search_fields = ["title", "introduction"]
    list_display = [
        "title",
        Column("slug", label=_("Slug")),
        BooleanColumn("live", label=_("Published")),
        DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
    ]
    list_filter = ["live"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("introduction"),
        FieldPanel("cover_image"),
        FieldPanel("sections"),
        FieldRowPanel([FieldPanel("live"), FieldPanel("sort_order")]),
    ]


class CurationViewSetGroup(SnippetViewSetGroup):
    items = (SlotViewSet, TopicViewSet)
    menu_label = _("Front page")
    menu_icon = "home"
    menu_name = "curation"
    # Beside 文章 (menu_order 10).
    menu_order = 11
