"""Bulk actions on the article listing: publish, unpublish and move to a category.

Deleting comes from Wagtail (its confirmation page lists what will go). Each action asks the
article permission policy about every selected article; the ones refused are listed, not acted on.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from .models import Article, Category
from .services import article_move, article_publish, article_unpublish


class ArticleBulkAction(SnippetBulkAction):
    models = [Article]
    template_name = "content/admin/confirm_bulk_action.html"
    permission_action = "publish"
    question = ""
    yes_label = _("Yes")
    no_label = _("No")

    def check_perm(self, article):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_action, article
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_title": self.display_name,
            "question": self.question,
            "yes_label": self.yes_label,
            "no_label": self.no_label,
            "no_access_msg": _("You don't have permission to do this to these articles"),
        }

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}


class PublishBulkAction(ArticleBulkAction):
    display_name = _("Publish")
    action_type = "publish"
    aria_label = _("Publish selected articles")
    action_priority = 10
    question = _("Publish the latest version of these articles?")
    yes_label = _("Yes, publish")
    no_label = _("No, don't publish")

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for article in objects:
            article_publish(article=article, user=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d article published.", "%(count)d articles published.", num_parent_objects
        ) % {"count": num_parent_objects}


class UnpublishBulkAction(ArticleBulkAction):
    display_name = _("Unpublish")
    action_type = "unpublish"
    aria_label = _("Unpublish selected articles")
    action_priority = 20
    question = _("Take these articles off the site? Their text is kept as a draft.")
    yes_label = _("Yes, unpublish")
    no_label = _("No, don't unpublish")

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done = [a for a in objects if a.live]
        for article in done:
            article_unpublish(article=article, user=user)
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d article unpublished.", "%(count)d articles unpublished.", num_parent_objects
        ) % {"count": num_parent_objects}


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Move to category"), queryset=Category.objects.all(), required=True
    )


class MoveBulkAction(ArticleBulkAction):
    display_name = _("Move")
    action_type = "move"
    aria_label = _("Move selected articles to another category")
    action_priority = 25
    form_class = MoveForm
    permission_action = "change"
    question = _("Move these articles to another category?")
    yes_label = _("Yes, move")
    no_label = _("No, don't move")

    def check_perm(self, article):
        # Moving a live article changes what readers see, so it takes the right to publish.
        return super().check_perm(article) and (
            not article.live
            or self.permission_policy.user_has_permission_for_instance(
                self.request.user, "publish", article
            )
        )

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "category": self.cleaned_form.cleaned_data["category"],
        }

    @classmethod
    def execute_action(cls, objects, user=None, category=None, **kwargs):
        for article in objects:
            article_move(article=article, category=category, user=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d article moved to %(category)s.",
            "%(count)d articles moved to %(category)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "category": self.cleaned_form.cleaned_data["category"]}
