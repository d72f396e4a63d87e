"""Admin registrations: the 内容 menu, the article bulk actions and the newsroom dashboard panel."""

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

from .bulk_actions import MoveBulkAction, PublishBulkAction, UnpublishBulkAction
from .models import Article
from .viewsets import ContentViewSetGroup

PANEL_SIZE = 10

register_snippet(ContentViewSetGroup)

for action in (PublishBulkAction, UnpublishBulkAction, MoveBulkAction):
    hooks.register("register_bulk_action", action)


def most_read_today(limit=PANEL_SIZE):
    """Today's most-read articles: from the engagement app's daily counts when it is installed
    (looked up by name, so content imports no other app), else recent articles by views."""
    published = Article.objects.published()
    if apps.is_installed("peninsula.engagement"):
        daily_stat = apps.get_model("engagement", "DailyStat")
        today = timezone.localdate()
        ranked = list(
            daily_stat.objects.filter(day=today, views__gt=0, article__in=published)
            .order_by("-views", "-article_id")
            .values_list("article_id", "views")[:limit]
        )
        articles = published.in_bulk([pk for pk, _views in ranked])
        return [(articles[pk], views) for pk, views in ranked if pk in articles]
    since = timezone.now() - timezone.timedelta(days=1)
    recent = published.filter(published_at__gte=since).most_read()[:limit]
    return [(article, article.views) for article in recent]


class NewsroomPanel(Component):
    """The dashboard's newsroom panel: most read today, awaiting review, scheduled, overdue."""

    name = "newsroom"
    order = 50
    template_name = "content/admin/newsroom_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        policy = policy_registry.get_by_type(Article)
        mine = policy.instances_user_has_permission_for(self.user, "change")
        in_review = WorkflowState.objects.filter(
            base_content_type__app_label="content",
            base_content_type__model="article",
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).values_list("object_id", flat=True)
        awaiting = mine.filter(pk__in=[int(pk) for pk in in_review]).order_by("-updated_at")
        return {
            "most_read": most_read_today(),
            "awaiting_review": self._rows(awaiting[:PANEL_SIZE]),
            "scheduled": self._rows(mine.scheduled().order_by("scheduled_at")[:PANEL_SIZE]),
            "overdue": self._rows(mine.overdue().order_by("go_live_at", "id")[:PANEL_SIZE]),
        }

    @staticmethod
    def _rows(articles):
        name = Article.snippet_viewset.get_url_name("edit")
        return [(article, reverse(name, args=[article.pk])) for article in articles]


@hooks.register("construct_homepage_panels")
def add_newsroom_panel(request, panels):
    if policy_registry.get_by_type(Article).user_has_permission(request.user, "change"):
        panels.append(NewsroomPanel(request.user))
