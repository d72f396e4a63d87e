"""Admin registrations: the 文章 and 内容 menus, bulk actions, article search and the dashboard.
Wagtail's page tree, which Peninsula does not use, is hidden (docs/newsroom.md)."""

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.site_summary import PagesSummaryItem, SummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.models import TaskState, WorkflowState
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

from .bulk_actions import MoveBulkAction, PublishBulkAction, UnpublishBulkAction
from .models import Article
from .viewsets import ArticleViewSet, ContentViewSetGroup

PANEL_SIZE = 10

# Menu entries of Wagtail's page tree and its English help links, which a newsroom never uses.
HIDDEN_MENU_ITEMS = frozenset({"explorer", "help"})

register_snippet(ArticleViewSet)
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


def articles_in_review():
    return WorkflowState.objects.filter(
        base_content_type__app_label="content",
        base_content_type__model="article",
        status=WorkflowState.STATUS_IN_PROGRESS,
    )


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
        in_review = articles_in_review().values_list("object_id", flat=True)
        awaiting = mine.filter(pk__in=[int(pk) for pk in in_review]).order_by("-updated_at")
        return {
            "most_read": most_read_today(),
            "awaiting_review": self._rows(awaiting[:PANEL_SIZE]),
            "scheduled": self._rows(mine.scheduled().order_by("scheduled_at")[:PANEL_SIZE]),
            "overdue": self._rows(mine.overdue().order_by("go_live_at", "id")[:PANEL_SIZE]),
            "review_outcomes": self._review_outcomes(),
        }

    def _review_outcomes(self):
        """The verdicts on what this user sent to review: the admin's own notification, which
        works with no mail server (docs/newsroom.md)."""
        verdicts = list(
            TaskState.objects.filter(
                workflow_state__requested_by=self.user,
                workflow_state__base_content_type__app_label="content",
                workflow_state__base_content_type__model="article",
                status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
            )
            .select_related("finished_by", "workflow_state")
            .order_by("-finished_at", "-pk")[:PANEL_SIZE]
        )
        articles = Article.objects.in_bulk([int(v.workflow_state.object_id) for v in verdicts])
        name = Article.snippet_viewset.get_url_name("edit")
        return [
            (verdict, article, reverse(name, args=[article.pk]))
            for verdict in verdicts
            if (article := articles.get(int(verdict.workflow_state.object_id)))
        ]

    @staticmethod
    def _rows(articles):
        name = Article.snippet_viewset.get_url_name("edit")
        return [(article, reverse(name, args=[article.pk])) for article in articles]


@hooks.register("construct_homepage_panels")
def add_newsroom_panel(request, panels):
    if policy_registry.get_by_type(Article).user_has_permission(request.user, "change"):
        panels.append(NewsroomPanel(request.user))


@hooks.register("construct_main_menu")
def hide_page_tree(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_MENU_ITEMS]


class ArticlesSummaryItem(SummaryItem):
    """The dashboard's first line: how many articles there are, and the 写稿 button."""

    order = 10
    template_name = "content/admin/site_summary_articles.html"

    def get_context_data(self, parent_context):
        policy = policy_registry.get_by_type(Article)
        viewset = Article.snippet_viewset
        return {
            "total_articles": policy.instances_user_has_permission_for(
                self.request.user, "change"
            ).count(),
            "list_url": reverse(viewset.get_url_name("list")),
            "add_url": reverse(viewset.get_url_name("add")),
            "can_add": policy.user_has_permission(self.request.user, "add"),
        }

    def is_shown(self):
        return policy_registry.get_by_type(Article).user_has_permission(self.request.user, "change")


@hooks.register("construct_homepage_summary_items")
def articles_instead_of_pages(request, items):
    items[:] = [item for item in items if not isinstance(item, PagesSummaryItem)]
    items.append(ArticlesSummaryItem(request))


class ArticleSearchArea(SearchArea):
    """Ahead of Wagtail's page search, so the sidebar's 搜索 looks for articles."""

    def is_shown(self, request):
        return policy_registry.get_by_type(Article).user_has_permission(request.user, "change")


@hooks.register("register_admin_search_area")
def register_article_search_area():
    return ArticleSearchArea(
        _("Articles"),
        reverse(Article.snippet_viewset.get_url_name("list")),
        name="articles",
        icon_name="doc-full",
        order=10,
    )


@hooks.register("construct_snippet_action_menu")
def publish_first_for_live_articles(menu_items, request, context):
    """Editing a live article ends in publishing the change (发布), not in a draft beside it."""
    instance = context.get("instance")
    if isinstance(instance, Article) and instance.live:
        publish = [item for item in menu_items if item.name == "action-publish"]
        menu_items[:] = publish + [item for item in menu_items if item not in publish]


class ReviewMenuItem(MenuItem):
    """The bell: how many stories wait for review, on every admin page of those who review."""

    def is_shown(self, request):
        return policy_registry.get_by_type(Article).user_has_permission(request.user, "publish")

    def render_component(self, request):
        waiting = articles_in_review().count()
        label = (
            gettext("Awaiting review (%(count)s)") % {"count": waiting} if waiting else self.label
        )
        return LinkMenuItem(
            self.name, label, self.url, icon_name=self.icon_name, attrs={"data-newsroom": "bell"}
        )


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    list_url = reverse(Article.snippet_viewset.get_url_name("list"))
    return ReviewMenuItem(
        _("Awaiting review"),
        f"{list_url}?status=in_review",
        name="review",
        icon_name="bell",
        order=20,
    )


@hooks.register("register_icons")
def register_bell_icon(icons):
    return [*icons, "content/icons/bell.svg"]
