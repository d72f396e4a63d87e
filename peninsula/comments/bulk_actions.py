"""Bulk actions of the 评论审核 queue: approve, reject, mark as spam."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from .models import Comment, Status
from .services import comments_moderate


class ModerateBulkAction(SnippetBulkAction):
    models = [Comment]
    template_name = "content/admin/confirm_bulk_action.html"
    permission_action = "change"
    status = None
    question = ""

    def check_perm(self, comment):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_title": self.display_name,
            "question": self.question,
            "yes_label": _("Yes"),
            "no_label": _("No"),
            "no_access_msg": _("You don't have permission to moderate these comments"),
        }

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = comments_moderate(ids=[c.pk for c in objects], status=cls.status, user=user)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d comment changed.", "%(count)d comments changed.", num_parent_objects
        ) % {"count": num_parent_objects}


class ApproveBulkAction(ModerateBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve selected comments")
    action_priority = 10
    status = Status.APPROVED
    question = _("Show these comments to readers?")


class RejectBulkAction(ModerateBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject selected comments")
    action_priority = 20
    status = Status.REJECTED
    question = _("Reject these comments? Readers will not see them.")


class SpamBulkAction(ModerateBulkAction):
    display_name = _("Spam")
    action_type = "spam"
    aria_label = _("Mark selected comments as spam")
    action_priority = 30
    status = Status.SPAM
    question = _("Mark these comments as spam? Readers will not see them.")
