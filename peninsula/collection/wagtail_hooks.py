"""Admin registration of the 采集 menu (sources, poll log, possible duplicates) and the
dashboard panel that puts failing sources and undecided duplicates before editors."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

from peninsula.content.models import Article

from .models import Feed, Item
from .viewsets import CollectionViewSetGroup, PollViewSet

PANEL_SIZE = 10

register_snippet(CollectionViewSetGroup)


class CollectionPanel(Component):
    name = "collection"
    order = 60
    template_name = "collection/admin/collection_panel.html"

    def get_context_data(self, parent_context):
        log = reverse(PollViewSet().get_url_name("list"))
        edit = Article.snippet_viewset.get_url_name("edit")
        failing = Feed.objects.filter(enabled=True, failures__gt=0).order_by("-failures", "pk")
        undecided = (
            Item.objects.filter(article__live=False, duplicate_of__isnull=False)
            .select_related("article", "duplicate_of")
            .order_by("-created_at")
        )
        return {
            "failing": [(feed, f"{log}?feed={feed.pk}") for feed in failing[:PANEL_SIZE]],
            "duplicates": [
                (item, reverse(edit, args=[item.article_id])) for item in undecided[:PANEL_SIZE]
            ],
        }


@hooks.register("construct_homepage_panels")
def add_collection_panel(request, panels):
    if policy_registry.get_by_type(Feed).user_has_permission(request.user, "view"):
        panels.append(CollectionPanel())
