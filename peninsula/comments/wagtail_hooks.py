"""Admin registration of the 评论 menu, its bulk actions, the moderation page of a comment and
the dashboard panel of held comments."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

from . import admin_views
from .bulk_actions import ApproveBulkAction, RejectBulkAction, SpamBulkAction
from .models import Comment
from .viewsets import CommentsViewSetGroup

PANEL_SIZE = 8

register_snippet(CommentsViewSetGroup)

for action in (ApproveBulkAction, RejectBulkAction, SpamBulkAction):
    hooks.register("register_bulk_action", action)


@hooks.register("register_admin_urls")
def comments_admin_urls():
    urls = [path("<int:pk>/", admin_views.comment_moderate_view, name="reply")]
    return [path("comments/moderate/", include((urls, "comments_admin")))]


class HeldCommentsPanel(Component):
    name = "held_comments"
    order = 55
    template_name = "comments/admin/held_panel.html"

    def get_context_data(self, parent_context):
        held = Comment.objects.held().select_related("article").order_by("-created_at")
        return {
            "held_count": held.count(),
            "held": held[:PANEL_SIZE],
            "queue_url": reverse(Comment.snippet_viewset.get_url_name("list")),
        }


@hooks.register("construct_homepage_panels")
def add_held_comments_panel(request, panels):
    if policy_registry.get_by_type(Comment).user_has_permission(request.user, "change"):
        panels.append(HeldCommentsPanel())
